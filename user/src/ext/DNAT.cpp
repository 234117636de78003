// SPDX-License-Identifier: GPL-2.0
// "DNAT" target (libxt_DNAT, IPv4 revision 2): --to-destination
// [ADDR[-ADDR]][:PORT[-PORT[/BASE]]] (once, required), --random,
// --persistent.
#include "ext/kinds.hpp"
#include "ext/nat_range.hpp"

#include "nfgate/error.hpp"

#include <linux/netfilter/nf_nat.h>

#include <array>

namespace nfgate {

namespace {

enum { TO_DEST = 1, RANDOM, PERSISTENT };

constexpr std::array<ExtOption, 3> options = {{
    {"to-destination", 1, TO_DEST},
    {"random", 0, RANDOM},
    {"persistent", 0, PERSISTENT},
}};

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        nat_check_once("DNAT", options[static_cast<std::size_t>(id - 1)].name, seen_[id], ctx.invert);
        if (id == TO_DEST)
            nat_parse_to("DNAT", arg, nat_portok(ctx), true, r_);
        else if (id == RANDOM)
            r_.flags |= NF_NAT_RANGE_PROTO_RANDOM;
        else
            r_.flags |= NF_NAT_RANGE_PERSISTENT;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_[TO_DEST]) throw UsageError("DNAT: option \"--to-destination\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override { return nat_encode(r_); }

private:
    NatRange r_;
    std::array<bool, 4> seen_{};
};

void flags_text(const NatRange& r, std::string& out, const char* pfx) {
    if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) out += std::string(" ") + pfx + "random";
    if (r.flags & NF_NAT_RANGE_PERSISTENT) out += std::string(" ") + pfx + "persistent";
}

class Dnat final : public ExtKind {
public:
    std::string_view name() const override { return "DNAT"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        NatRange r = nat_decode(data);
        std::string s = nat_range_text(r);
        if (!s.empty()) out += " --to-destination " + s;
        flags_text(r, out, "--");
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        NatRange r = nat_decode(data);
        std::string s = nat_range_text(r);
        if (!s.empty()) out += " to:" + s;
        flags_text(r, out, "");
    }
};

}  // namespace

const ExtKind& ext_DNAT() {
    static const Dnat kind;
    return kind;
}

}  // namespace nfgate
