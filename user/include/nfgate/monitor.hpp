// SPDX-License-Identifier: GPL-2.0
// Monitor: an RAII netlink socket subscribed to the nfgate "events"
// multicast group of the caller's network namespace, handing out decoded
// change notifications (nfgate/event.hpp) as the kernel commits them.
#pragma once

#include "nfgate/event.hpp"

#include <functional>
#include <memory>

struct nl_sock;

namespace nfgate {

class Monitor {
public:
    // Opens the socket, resolves the family and its "events" group and
    // joins it; throws Error when the module is not loaded.
    Monitor();
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    // For poll()/ppoll(): readable when receive() will not block.
    int fd() const;

    // Reads one datagram (blocking) and calls on_event for every event in
    // it, in the kernel's order. An overrun of the socket's receive buffer
    // (ENOBUFS: the kernel dropped events) is passed on as EventKind::lost;
    // the listener must then re-read the ruleset (a dump) and may use the
    // generations to tell which events it still has to apply. Returns
    // false if a signal interrupted the read before anything arrived.
    // Throws Error on other socket errors.
    bool receive(const std::function<void(const Event&)>& on_event);

private:
    struct SockDeleter {
        void operator()(nl_sock* s) const;
    };
    std::unique_ptr<nl_sock, SockDeleter> sock_;
    int family_ = 0;
};

}  // namespace nfgate
