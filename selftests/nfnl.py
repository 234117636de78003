# SPDX-License-Identifier: GPL-2.0
#
# nfnl.py: the nfnetlink wire format shared by the selftests' small raw
# NETLINK_NETFILTER clients (nfq_listen.py, nflog_listen.py, nfg_acct.py),
# which stand in for libnetfilter_queue, libnetfilter_log and nfacct(8):
# attributes, one message with its nfgenmsg header, the error of an ack.
import socket
import struct

NETLINK_NETFILTER = 12
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attr(typ, payload):
    """One attribute, padded to 4 bytes."""
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, typ) + payload + b"\0" * ((4 - ln % 4) % 4)


def attrs_of(data):
    """{type: payload} of a run of attributes (nested flag cleared)."""
    out, off = {}, 0
    while off + 4 <= len(data):
        ln, typ = struct.unpack("=HH", data[off:off + 4])
        if ln < 4:
            break
        out[typ & 0x7FFF] = data[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


def message(subsys, kind, family, res_id, attrs, flags, seq):
    """A netlink message of nfnetlink SUBSYS: header, nfgenmsg, ATTRS."""
    body = struct.pack("=BBH", family, 0, socket.htons(res_id)) + attrs
    return struct.pack("=IHHII", 16 + len(body), (subsys << 8) | kind,
                       flags, seq, 0) + body


def error_of(data, off=0):
    """The errno of the NLMSG_ERROR message at OFF (0 for an ack), or
    None if that message is not one."""
    typ = struct.unpack_from("=H", data, off + 4)[0]
    if typ != NLMSG_ERROR:
        return None
    return -struct.unpack_from("=i", data, off + 16)[0]
