#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# diff_cap.py: the packet capture of nfgate_differential.sh.  Runs in one
# namespace for the whole test and records every IPv4 packet that arrives
# there (AF_PACKET, any device, outgoing packets skipped), one round at a
# time:
#
#   diff_cap.py PREFIX READY-FILE
#
# On SIGUSR1 it reads what is still queued, writes the round's records,
# sorted, to PREFIX.N (N = 1, 2, ...) and then creates PREFIX.N.done.
# SIGTERM ends it.
#
# A record is one line of the fields a rule can change or that tell which
# packet it is; never the outer IP id and header checksum, which the
# router picks for packets it generates itself (REJECT, ICMP errors):
#
#   ID SRC DST PROTO TTL TOS TOTLEN L4HEX
#
# ID is the probe's number as nfg_inject carries it (TCP sequence number,
# UDP payload, ICMP echo field; for an ICMP error the quoted packet's IP
# id; "-" when none of these applies), L4HEX the first 64 bytes after the
# IP header in hex.
import os
import select
import signal
import socket
import struct
import sys

ETH_P_IP = 0x0800
PACKET_OUTGOING = 4

prefix, ready = sys.argv[1], sys.argv[2]
flush = False
stop = False


def on_usr1(_sig, _frm):
    global flush
    flush = True


def on_term(_sig, _frm):
    global stop
    stop = True


def record(p):
    if len(p) < 20 or p[0] >> 4 != 4:
        return None
    ihl = (p[0] & 15) * 4
    tos, totlen = p[1], struct.unpack('!H', p[2:4])[0]
    ttl, proto = p[8], p[9]
    src, dst = socket.inet_ntoa(p[12:16]), socket.inet_ntoa(p[16:20])
    l4 = p[ihl:totlen]
    pid = '-'
    if proto == 6 and len(l4) >= 8:
        pid = str(struct.unpack('!I', l4[4:8])[0])
    elif proto == 17 and len(l4) >= 12:
        pid = str(struct.unpack('!I', l4[8:12])[0])
    elif proto == 1 and len(l4) >= 8 and l4[0] in (0, 8):
        pid = str(struct.unpack('!H', l4[6:8])[0])
    elif proto == 1 and len(l4) >= 28 and l4[0] in (3, 4, 5, 11, 12):
        pid = 'e' + str(struct.unpack('!H', l4[12:14])[0])
    return '%s %s %s %d %d %d %d %s' % (pid, src, dst, proto, ttl, tos,
                                        totlen, l4[:64].hex())


def main():
    global flush
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_IP))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setblocking(False)
    signal.signal(signal.SIGUSR1, on_usr1)
    signal.signal(signal.SIGTERM, on_term)
    with open(ready, 'w') as f:
        f.write('ready\n')
    recs = []
    rnd = 0

    def drain():
        while True:
            try:
                data, addr = s.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            if addr[2] == PACKET_OUTGOING:
                continue
            r = record(data)
            if r:
                recs.append(r)

    while not stop:
        try:
            select.select([s], [], [], 0.05)
        except InterruptedError:
            pass
        drain()
        if flush:
            flush = False
            drain()
            rnd += 1
            name = '%s.%d' % (prefix, rnd)
            with open(name, 'w') as f:
                f.writelines(x + '\n' for x in sorted(recs))
            with open(name + '.done', 'w') as f:
                f.write('%d\n' % len(recs))
            recs.clear()


main()
