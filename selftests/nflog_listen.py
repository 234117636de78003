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

from nfnl import NETLINK_NETFILTER, NLM_F_ACK, NLM_F_REQUEST, attr, attrs_of, error_of, message

NFNL_SUBSYS_ULOG = 4
NFULNL_MSG_PACKET, NFULNL_MSG_CONFIG = 0, 1
NFULA_CFG_CMD = 1
NFULNL_CFG_CMD_BIND = 1
NFULA_PAYLOAD, NFULA_PREFIX = 9, 10


def config(sock, group, attrs, seq):
    sock.send(message(NFNL_SUBSYS_ULOG, NFULNL_MSG_CONFIG, socket.AF_INET, group,
                      attrs, NLM_F_REQUEST | NLM_F_ACK, seq))
    err = error_of(sock.recv(65536))
    if err:
        sys.exit("nflog_listen: bind of group %d: %s" % (group, os.strerror(err)))


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
