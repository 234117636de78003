#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# nflog_listen.py -g GROUP -r READY: a minimal nfnetlink_log listener on a
# raw NETLINK_NETFILTER socket (no libnetfilter_log): binds the group,
# prints "prefix=PREFIX payload=BYTES" per logged packet, flushed, and
# writes READY once bound.  Runs until killed.  For the NFLOG selftest.
import argparse
import os
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_ULOG = 4
NFULNL_MSG_PACKET, NFULNL_MSG_CONFIG = 0, 1
NFULA_CFG_CMD = 1
NFULNL_CFG_CMD_BIND = 1
NFULA_PAYLOAD, NFULA_PREFIX = 9, 10
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attr(typ, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, typ) + payload + b"\0" * ((4 - ln % 4) % 4)


def config(sock, group, attrs, seq):
    body = struct.pack("=BBH", socket.AF_INET, 0, socket.htons(group)) + attrs
    typ = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG
    sock.send(struct.pack("=IHHII", 16 + len(body), typ,
                          NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body)
    data = sock.recv(65536)
    typ = struct.unpack("=IH", data[:6])[1]
    if typ == NLMSG_ERROR:
        err = struct.unpack("=i", data[16:20])[0]
        if err:
            sys.exit("nflog_listen: bind of group %d: %s" % (group, os.strerror(-err)))


def attrs_of(data):
    out, off = {}, 0
    while off + 4 <= len(data):
        ln, typ = struct.unpack("=HH", data[off:off + 4])
        if ln < 4:
            break
        out[typ & 0x7FFF] = data[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-g", type=int, required=True)
    ap.add_argument("-r", required=True)
    a = ap.parse_args()
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    config(sock, a.g, attr(NFULA_CFG_CMD, struct.pack("=B", NFULNL_CFG_CMD_BIND) + b"\0" * 3), 1)
    with open(a.r, "w") as f:
        f.write("ready\n")
    while True:
        data = sock.recv(1 << 17)
        off = 0
        while off + 16 <= len(data):
            ln, typ = struct.unpack("=IH", data[off:off + 6])
            if ln < 16:
                break
            if typ == (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET:
                at = attrs_of(data[off + 20:off + ln])
                prefix = at.get(NFULA_PREFIX, b"").rstrip(b"\0").decode()
                print("prefix=%s payload=%d" % (prefix, len(at.get(NFULA_PAYLOAD, b""))), flush=True)
            off += (ln + 3) & ~3


if __name__ == "__main__":
    main()
