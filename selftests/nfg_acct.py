#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nfnetlink_acct objects for the nfgate nfacct selftest (no nfacct(8)).

  nfg_acct.py add NAME [QUOTA_PKTS]
      Create the accounting object NAME (with a packet quota if given).
  nfg_acct.py zero NAME
      Print the object's "PACKETS BYTES" and zero its counters.
Exit status 0, or 1 with the kernel's error.
"""
import os
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_ACCT = 7
MSG_NEW, MSG_GET_CTRZERO = 0, 2
NFACCT_NAME, NFACCT_PKTS, NFACCT_BYTES, NFACCT_FLAGS, NFACCT_QUOTA = 1, 2, 3, 5, 6
NFACCT_F_QUOTA_PKTS = 1
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR = 2


def attr(kind, data):
    pad = (4 - len(data) % 4) % 4
    return struct.pack("HH", 4 + len(data), kind) + data + b"\0" * pad


def request(msg, flags, attrs):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.settimeout(5)
    body = struct.pack("BBH", socket.AF_UNSPEC, 0, 0) + attrs
    hdr = struct.pack("IHHII", 16 + len(body), (NFNL_SUBSYS_ACCT << 8) | msg,
                      NLM_F_REQUEST | flags, 1, 0)
    s.send(hdr + body)
    replies = []
    while True:
        buf = s.recv(65536)
        off = 0
        while off < len(buf):
            length, kind = struct.unpack_from("IH", buf, off)
            if kind == NLMSG_ERROR:
                err = struct.unpack_from("i", buf, off + 16)[0]
                if err:
                    sys.exit("nfg_acct: " + os.strerror(-err))
                return replies
            replies.append(buf[off + 20:off + length])
            off += (length + 3) & ~3
        if replies and not flags & NLM_F_ACK:
            return replies


def parse(payload):
    out, off = {}, 0
    while off + 4 <= len(payload):
        length, kind = struct.unpack_from("HH", payload, off)
        out[kind & 0x7fff] = payload[off + 4:off + length]
        off += (length + 3) & ~3
    return out


def main():
    if len(sys.argv) in (3, 4) and sys.argv[1] == "add":
        attrs = attr(NFACCT_NAME, sys.argv[2].encode() + b"\0")
        if len(sys.argv) == 4:
            attrs += attr(NFACCT_FLAGS, struct.pack(">I", NFACCT_F_QUOTA_PKTS))
            attrs += attr(NFACCT_QUOTA, struct.pack(">Q", int(sys.argv[3])))
        request(MSG_NEW, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, attrs)
    elif len(sys.argv) == 3 and sys.argv[1] == "zero":
        replies = request(MSG_GET_CTRZERO, 0,
                          attr(NFACCT_NAME, sys.argv[2].encode() + b"\0"))
        a = parse(replies[0])
        print(struct.unpack(">Q", a[NFACCT_PKTS])[0],
              struct.unpack(">Q", a[NFACCT_BYTES])[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
