#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Who-am-I echo of the nfgate NAT selftests.

  nfg_echo.py server tcp|udp PORT READY_FILE [NAME]
      Listen on 0.0.0.0:PORT; answer every TCP connection (one line) or UDP
      datagram with "peer=IP:PORT local=IP:PORT": the addresses the server
      sees after NAT (TCP: "name=NAME peer=..." when NAME is given).
      Touches READY_FILE once listening.
  nfg_echo.py client tcp|udp DST PORT [[SADDR:]SPORT]
      Send one line to DST:PORT (from SADDR:SPORT) and print
      "from=IP:PORT <server's line>", where from is the address the answer
      came from as the client sees it (UDP: recvfrom; TCP: the connected
      peer, which only accepts segments from DST:PORT), or "timeout" /
      "refused" or "error=ERRNO" (e.g. EHOSTUNREACH).
  nfg_echo.py clients tcp DST PORT COUNT [TIMEOUT]
      COUNT TCP connections to DST:PORT one after the other, each from a
      new ephemeral port (one process: fast even in the TCG VM), one line
      each as "client" prints it; TIMEOUT seconds per connection (default 3).
"""
import errno
import socket
import sys


def server(proto, port, ready, name):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    if proto == "tcp":
        s.listen(16)
    open(ready, "w").write("ready\n")
    while True:
        if proto == "tcp":
            c, peer = s.accept()
            c.settimeout(5)
            try:
                c.recv(100)
                local = c.getsockname()
                line = "peer=%s:%d local=%s:%d\n" % (peer + local)
                if name:
                    line = "name=%s %s" % (name, line)
                c.sendall(line.encode())
            except OSError:
                pass
            c.close()
        else:
            # IP_PKTINFO would give the local address; the socket's own
            # view is enough with one address per test.
            data, peer = s.recvfrom(100)
            s.sendto(("peer=%s:%d\n" % peer).encode(), peer)


def client(proto, dst, port, src, timeout=3.0):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if src:
        addr, _, sport = src.rpartition(":")
        s.bind((addr or "0.0.0.0", int(sport)))
    s.settimeout(timeout)
    try:
        if proto == "tcp":
            s.connect((dst, port))
            s.sendall(b"hello\n")
            line = s.recv(200).decode().strip()
            frm = s.getpeername()
        else:
            s.sendto(b"hello\n", (dst, port))
            data, frm = s.recvfrom(200)
            line = data.decode().strip()
    except socket.timeout:
        print("timeout")
        return 1
    except ConnectionRefusedError:
        print("refused")
        return 1
    except OSError as e:
        print("error=%s" % errno.errorcode.get(e.errno, e.errno))
        return 1
    finally:
        s.close()
    print("from=%s:%d %s" % (frm[0], frm[1], line))
    return 0


def clients(dst, port, count, timeout):
    bad = 0
    for _ in range(count):
        bad += client("tcp", dst, port, "", timeout)
        sys.stdout.flush()
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "server":
        name = sys.argv[5] if len(sys.argv) > 5 else ""
        server(sys.argv[2], int(sys.argv[3]), sys.argv[4], name)
        return 0
    if len(sys.argv) >= 5 and sys.argv[1] == "client":
        src = sys.argv[5] if len(sys.argv) > 5 else ""
        return client(sys.argv[2], sys.argv[3], int(sys.argv[4]), src)
    if len(sys.argv) >= 6 and sys.argv[1] == "clients" and sys.argv[2] == "tcp":
        timeout = float(sys.argv[6]) if len(sys.argv) > 6 else 3.0
        return clients(sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
                       timeout)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
