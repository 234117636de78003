#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# nfq_listen.py -q QUEUE[:accept|:drop] [-q ...] -r READY: a minimal
# nfnetlink_queue listener on a raw NETLINK_NETFILTER socket (no
# libnetfilter_queue): binds the queues (metadata only), gives every packet
# its queue's verdict (default accept), prints "QUEUE ID" per packet,
# flushed, and writes READY once bound.  Runs until killed.  For the
# NFQUEUE selftests.
import argparse
import os
import socket
import struct
import sys

from nfnl import NETLINK_NETFILTER, NLM_F_ACK, NLM_F_REQUEST, attr, attrs_of, error_of, message

NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NF_DROP, NF_ACCEPT = 0, 1


def msg(kind, queue, attrs, flags, seq):
    return message(NFNL_SUBSYS_QUEUE, kind, socket.AF_INET, queue, attrs, flags, seq)


def request(sock, kind, queue, attrs, seq):
    sock.send(msg(kind, queue, attrs, NLM_F_REQUEST | NLM_F_ACK, seq))
    err = error_of(sock.recv(65536))
    if err:
        sys.exit("nfq_listen: config of queue %d: %s" % (queue, os.strerror(err)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-q", action="append", required=True)
    ap.add_argument("-r", required=True)
    a = ap.parse_args()
    verdicts = {}
    for q in a.q:
        num, _, v = q.partition(":")
        if v not in ("", "accept", "drop"):
            sys.exit("nfq_listen: bad verdict in -q " + q)
        verdicts[int(num)] = NF_DROP if v == "drop" else NF_ACCEPT
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    seq = 1
    for q in verdicts:
        request(sock, NFQNL_MSG_CONFIG, q,
                attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, socket.AF_INET)), seq)
        seq += 1
        request(sock, NFQNL_MSG_CONFIG, q,
                attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)), seq)
        seq += 1
    with open(a.r, "w") as f:
        f.write("ready\n")
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            ln, typ = struct.unpack("=IH", data[off:off + 6])
            if ln < 16:
                break
            if typ == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                queue = socket.ntohs(struct.unpack("=H", data[off + 18:off + 20])[0])
                at = attrs_of(data[off + 20:off + ln])
                pid = struct.unpack("!I", at[NFQA_PACKET_HDR][:4])[0]
                print(queue, pid, flush=True)
                sock.send(msg(NFQNL_MSG_VERDICT, queue,
                              attr(NFQA_VERDICT_HDR, struct.pack("!II", verdicts[queue], pid)),
                              NLM_F_REQUEST, 0))
            off += (ln + 3) & ~3


if __name__ == "__main__":
    main()
