// SPDX-License-Identifier: GPL-2.0
// "MASQUERADE" target (iptables 1.8.9): --to-ports PORT[-PORT], --random,
// --random-fully, each at most once.
#include "ext/kinds.hpp"
#include "ext/nat_range.hpp"

#include "nfgate/error.hpp"

#include <linux/netfilter/nf_nat.h>

#include <array>

namespace nfgate {

namespace {

enum { TO_PORTS = 1, RANDOM, RANDOM_FULLY };

constexpr std::array<ExtOption, 3> options = {{
    {"to-ports", 1, TO_PORTS},
    {"random", 0, RANDOM},
    {"random-fully", 0, RANDOM_FULLY},
}};

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("MASQUERADE", options[static_cast<std::size_t>(id - 1)].name, seen_[id], ctx.invert);
        seen_[id] = true;
        if (id == TO_PORTS)
            nat_parse_ports("MASQUERADE", arg, nat_portok(ctx), false, r_);
        else if (id == RANDOM)
            r_.flags |= NF_NAT_RANGE_PROTO_RANDOM;
        else
            r_.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
    }
    std::vector<std::uint8_t> encode() const override { return nat_encode(r_); }

private:
    NatRange r_;
    std::array<bool, 4> seen_{};
};

void ports_text(const NatRange& r, std::string& out) {
    out += std::to_string(r.min_port);
    if (r.max_port != r.min_port) out += "-" + std::to_string(r.max_port);
}

class Masquerade final : public ExtKind {
public:
    std::string_view name() const override { return "MASQUERADE"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        NatRange r = nat_decode(data);
        if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
            out += " --to-ports ";
            ports_text(r, out);
        }
        if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) out += " --random";
        if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) out += " --random-fully";
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        NatRange r = nat_decode(data);
        if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
            out += " masq ports: ";
            ports_text(r, out);
        }
        if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) out += " random";
        if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) out += " random-fully";
    }
};

}  // namespace

const ExtKind& ext_MASQUERADE() {
    static const Masquerade kind;
    return kind;
}

}  // namespace nfgate
