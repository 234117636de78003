// SPDX-License-Identifier: GPL-2.0
// Matching received netlink messages to one request: data replies, the
// final ACK/error (with extack) or, for a dump, NLMSG_DONE and the
// NLM_F_DUMP_INTR flag that asks the client to restart the dump.
#pragma once

#include "nfgate/codec.hpp"

#include <cstdint>
#include <functional>
#include <optional>

namespace nfgate {

class ReplyCollector {
public:
    using DataFn = std::function<void(nlmsghdr*)>;

    ReplyCollector(std::uint32_t seq, bool dump, DataFn on_data = {})
        : seq_(seq), dump_(dump), on_data_(std::move(on_data)) {}

    // Takes one received message; messages of other requests are ignored.
    void feed(nlmsghdr* nlh);

    bool done() const { return done_; }
    // A dump whose messages spanned a ruleset change (data after the flag
    // is not passed on).
    bool interrupted() const { return interrupted_; }
    const std::optional<AckInfo>& error() const { return error_; }

private:
    std::uint32_t seq_;
    bool dump_;
    DataFn on_data_;
    bool done_ = false;
    bool interrupted_ = false;
    std::optional<AckInfo> error_;
};

}  // namespace nfgate
