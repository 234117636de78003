#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parallel TCP connections of the nfgate connlimit selftest.

  nfg_conns.py listen PORT READY_FILE
      Listen on 0.0.0.0:PORT (backlog 64) and never accept: the kernel
      completes the handshakes, so connections stay open until the client
      resets them.  Touches READY_FILE once listening; runs until killed.
  nfg_conns.py hold DST PORT COUNT
      COUNT connections to DST:PORT one after the other, every one kept
      open while the next is made; prints "open", "refused" or "timeout"
      per connection on one line, then resets them all (SO_LINGER 0, so
      conntrack sees them closed at once).
"""
import socket
import struct
import sys
import time


def listen(port, ready):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    with open(ready, "w") as f:
        f.write("ready\n")
    while True:
        time.sleep(3600)


def hold(dst, port, count):
    socks, out = [], []
    for _ in range(count):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.settimeout(1.0)
        try:
            c.connect((dst, port))
            out.append("open")
        except ConnectionRefusedError:
            out.append("refused")
        except OSError:
            out.append("timeout")
        socks.append(c)
    print(" ".join(out), flush=True)
    for c in socks:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "listen":
        listen(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "hold":
        hold(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
