// SPDX-License-Identifier: GPL-2.0
// What DNAT.cpp and SNAT.cpp share, as libxt_DNAT.c does for them in
// iptables 1.8.9: a target that binds one side of a connection to a range
// given by one required option (--to-destination / --to-source) plus flag
// options (--random, --persistent...).  Each kind's file describes itself
// with a NatBinding; this class parses, saves and prints it.
#pragma once

#include "ext/nat_range.hpp"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace nfgate {

struct NatFlagOption {
    std::string_view option;  // "random"
    std::uint32_t flag;       // NF_NAT_RANGE_PROTO_RANDOM
};

struct NatBinding {
    std::string_view kind;                // "DNAT"
    std::string_view to_option;           // "to-destination"
    bool allow_base;                      // the range may end in "/BASE"
    std::span<const NatFlagOption> flags; // in iptables-save's order
};

class NatBindingKind final : public ExtKind {
public:
    explicit NatBindingKind(const NatBinding& desc);
    std::string_view name() const override { return desc_.kind; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return options_; }
    std::unique_ptr<ExtParser> parser() const override;
    void save(std::span<const std::uint8_t> data, std::string& out) const override;
    void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const override;

private:
    void text(const NatRange& r, std::string& out, std::string_view to, std::string_view pfx) const;

    NatBinding desc_;
    std::vector<ExtOption> options_;  // id 1: the range, 2..: desc_.flags
};

}  // namespace nfgate
