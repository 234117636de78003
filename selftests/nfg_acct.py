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

from nfnl import NETLINK_NETFILTER, NLM_F_ACK, NLM_F_REQUEST, attr, attrs_of, error_of, message

NFNL_SUBSYS_ACCT = 7
MSG_NEW, MSG_GET_CTRZERO = 0, 2
NFACCT_NAME, NFACCT_PKTS, NFACCT_BYTES, NFACCT_FLAGS, NFACCT_QUOTA = 1, 2, 3, 5, 6
NFACCT_F_QUOTA_PKTS = 1
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400


def request(msg, flags, attrs):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.settimeout(5)
    s.send(message(NFNL_SUBSYS_ACCT, msg, socket.AF_UNSPEC, 0, attrs,
                   NLM_F_REQUEST | flags, 1))
    replies = []
    while True:
        buf = s.recv(65536)
        off = 0
        while off < len(buf):
            length = struct.unpack_from("I", buf, off)[0]
            err = error_of(buf, off)
            if err is not None:
                if err:
                    sys.exit("nfg_acct: " + os.strerror(err))
                return replies
            replies.append(buf[off + 20:off + length])
            off += (length + 3) & ~3
        if replies and not flags & NLM_F_ACK:
            return replies


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
        a = attrs_of(replies[0])
        print(struct.unpack(">Q", a[NFACCT_PKTS])[0],
              struct.unpack(">Q", a[NFACCT_BYTES])[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
