#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# icmp_err.py DST PORT[,PORT...] [TIMEOUT]: send one UDP datagram to each
# DST:PORT and print, per port in the order given, the ICMP error that
# answered it as "PORT:TYPE/CODE" (read from a raw ICMP socket, matched on
# the quoted datagram's destination), or "PORT:none" when nothing came
# within TIMEOUT seconds (default 2).  For the REJECT selftests.
import select
import socket
import struct
import sys
import time


def main():
    dst = sys.argv[1]
    ports = [int(p) for p in sys.argv[2].split(",")]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for p in ports:
        udp.sendto(b"nfgate", (dst, p))
    got = {}
    end = time.monotonic() + timeout
    while len(got) < len(ports):
        left = end - time.monotonic()
        if left <= 0 or not select.select([raw], [], [], left)[0]:
            break
        pkt = raw.recv(2048)
        ihl = (pkt[0] & 0x0F) * 4
        icmp = pkt[ihl:]
        if len(icmp) < 8 + 20 + 4:
            continue
        inner = icmp[8:]
        iihl = (inner[0] & 0x0F) * 4
        if inner[9] != socket.IPPROTO_UDP or len(inner) < iihl + 4:
            continue
        dport = struct.unpack("!H", inner[iihl + 2:iihl + 4])[0]
        if socket.inet_ntoa(inner[16:20]) == dst and dport in ports:
            got.setdefault(dport, "%d/%d" % (icmp[0], icmp[1]))
    print(" ".join("%d:%s" % (p, got.get(p, "none")) for p in ports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
