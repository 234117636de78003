// SPDX-License-Identifier: GPL-2.0
// "REDIRECT" target (libxt_DNAT.c's REDIRECT in iptables 1.8.9):
// --to-ports PORT[-PORT], --random, each at most once.
#include "ext/kinds.hpp"
#include "ext/nat_range.hpp"

#include "nfgate/error.hpp"

#include <linux/netfilter/nf_nat.h>

#include <array>

namespace nfgate {

namespace {

enum { TO_PORTS = 1, RANDOM };

constexpr std::array<ExtOption, 2> options = {{
    {"to-ports", 1, TO_PORTS},
    {"random", 0, RANDOM},
}};

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("REDIRECT", options[static_cast<std::size_t>(id - 1)].name, seen_[id], ctx.invert);
        seen_[id] = true;
        if (id == TO_PORTS)
            nat_parse_ports("REDIRECT", arg, nat_portok(ctx), false, r_);
        else
            r_.flags |= NF_NAT_RANGE_PROTO_RANDOM;
    }
    std::vector<std::uint8_t> encode() const override { return nat_encode(r_); }

private:
    NatRange r_;
    std::array<bool, 3> seen_{};
};

// __NAT_print() with skip_colon: the range text without its ':'.
void range_text(const NatRange& r, std::string& out, const char* opt, const char* pfx) {
    std::string s = nat_range_text(r);
    if (!s.empty() && s[0] == ':') s.erase(0, 1);
    if (!s.empty()) out += std::string(" ") + opt + s;
    if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) out += std::string(" ") + pfx + "random";
}

class Redirect final : public ExtKind {
public:
    std::string_view name() const override { return "REDIRECT"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        range_text(nat_decode(data), out, "--to-ports ", "--");
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        range_text(nat_decode(data), out, "redir ports ", "");
    }
};

}  // namespace

const ExtKind& ext_REDIRECT() {
    static const Redirect kind;
    return kind;
}

}  // namespace nfgate
