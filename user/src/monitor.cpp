// SPDX-License-Identifier: GPL-2.0
// Monitor: family and group resolution, group membership, and the receive
// loop that turns each datagram of the events group into Event values.
#include "nfgate/monitor.hpp"

#include "nfgate/error.hpp"

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace nfgate {

namespace {

// Larger than any batch datagram (NLMSG_GOODSIZE, at most 8 KiB).
constexpr std::size_t datagram_size = 64 * 1024;
// Room for bursts (a large restore) before the kernel has to drop events.
constexpr int rcvbuf_size = 8 << 20;

}  // namespace

void Monitor::SockDeleter::operator()(nl_sock* s) const { nl_socket_free(s); }

Monitor::Monitor() : sock_(nl_socket_alloc()) {
    if (!sock_) throw Error("cannot allocate a netlink socket");
    if (genl_connect(sock_.get()) < 0)
        throw Error("cannot open a generic netlink socket: " + std::string(std::strerror(errno)));
    nl_socket_disable_seq_check(sock_.get());
    family_ = genl_ctrl_resolve(sock_.get(), NFGATE_GENL_NAME);
    if (family_ < 0)
        throw Error("generic netlink family '" NFGATE_GENL_NAME "' not found (is the nfgate module loaded?)");
    int group = genl_ctrl_resolve_grp(sock_.get(), NFGATE_GENL_NAME, NFGATE_MCGRP_EVENTS);
    if (group < 0)
        throw Error("the nfgate family has no '" NFGATE_MCGRP_EVENTS "' multicast group (module too old?)");
    int fd = nl_socket_get_fd(sock_.get());
    // SO_RCVBUFFORCE (root) goes past net.core.rmem_max; fall back if refused.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf_size, sizeof(rcvbuf_size)) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf_size, sizeof(rcvbuf_size));
    if (int rc = nl_socket_add_membership(sock_.get(), group); rc < 0)
        throw Error("cannot join the nfgate events group: " + std::string(nl_geterror(rc)));
}

Monitor::~Monitor() = default;

int Monitor::fd() const { return nl_socket_get_fd(sock_.get()); }

bool Monitor::receive(const std::function<void(const Event&)>& on_event) {
    std::vector<unsigned char> buf(datagram_size);
    ssize_t n = recv(fd(), buf.data(), buf.size(), 0);
    if (n < 0) {
        if (errno == EINTR) return false;
        if (errno == ENOBUFS) {
            Event lost;
            lost.kind = EventKind::lost;
            on_event(lost);
            return true;
        }
        throw Error("receiving nfgate events failed: " + std::string(std::strerror(errno)));
    }
    int len = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data()); nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
        if (nlh->nlmsg_type != family_) continue;  // not an nfgate message
        if (auto e = parse_event(nlh)) on_event(*e);
    }
    return true;
}

}  // namespace nfgate
