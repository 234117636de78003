#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP helper of nfgate_conntrack.sh (python3, standard library only).

  nfg_ct.py serve ADDR PORT READY     echo server; creates READY when listening
  nfg_ct.py talk ADDR PORT            connect, send, read the echo: prints
                                      "ok" or "timeout" (nothing came back)
  nfg_ct.py oow ADDR PORT DEV         connect, learn both initial sequence
                                      numbers from the SYN-ACK seen on DEV,
                                      then send one data segment of the
                                      connection 1 GiB beyond the receiver's
                                      window (conntrack: INVALID); prints
                                      "sent" and closes the connection
"""
import os
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800


def serve(addr, port, ready):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    open(ready, "w").write("ready\n")
    while True:
        c, _ = s.accept()
        c.settimeout(5)
        try:
            while True:
                data = c.recv(4096)
                if not data:
                    break
                c.sendall(data)
        except OSError:
            pass
        c.close()


def talk(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.5)
    try:
        s.connect((addr, port))
        s.sendall(b"nfgate conntrack\n")
        data = s.recv(100)
        print("ok" if data == b"nfgate conntrack\n" else "short")
    except OSError:
        print("timeout")
    s.close()


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def oow(addr, port, dev):
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    sniff.bind((dev, ETH_P_IP))
    sniff.settimeout(0.5)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    s.connect((addr, port))
    lport = s.getsockname()[1]
    src = s.getsockname()[0]
    srv_isn = cli_next = None
    deadline = time.time() + 3
    while srv_isn is None and time.time() < deadline:
        try:
            frame = sniff.recv(2048)
        except socket.timeout:
            continue
        ip = frame[14:]
        if len(ip) < 40 or ip[9] != socket.IPPROTO_TCP:
            continue
        ihl = (ip[0] & 0xF) * 4
        tcp = ip[ihl:]
        sport, dport, seq, ack = struct.unpack("!HHII", tcp[:12])
        flags = tcp[13]
        if sport == port and dport == lport and flags & 0x12 == 0x12:
            srv_isn, cli_next = seq, ack
    if srv_isn is None:
        print("no-synack")
        return 1
    payload = b"out of window"
    seq = (cli_next + 0x40000000) & 0xFFFFFFFF
    hdr = struct.pack("!HHIIBBHHH", lport, port, seq, (srv_isn + 1) & 0xFFFFFFFF,
                      5 << 4, 0x18, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(addr) + struct.pack(
        "!BBH", 0, socket.IPPROTO_TCP, len(hdr) + len(payload))
    c = csum(pseudo + hdr + payload)
    hdr = hdr[:16] + struct.pack("!H", c) + hdr[18:]
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    raw.sendto(hdr + payload, (addr, 0))
    print("sent")
    time.sleep(0.2)
    s.close()
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve" and len(args) == 3:
        serve(args[0], int(args[1]), args[2])
    elif cmd == "talk" and len(args) == 2:
        talk(args[0], int(args[1]))
    elif cmd == "oow" and len(args) == 3:
        return oow(args[0], int(args[1]), args[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
