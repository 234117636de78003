// SPDX-License-Identifier: GPL-2.0
// "SNAT" target (iptables 1.8.9): --to-source [ADDR[-ADDR]][:PORT[-PORT]]
// (once, required), --random, --random-fully, --persistent.  iptables
// parses a "/BASE" here too but keeps no base port for SNAT (it saves
// "/0"); nfgate refuses it.
#include "ext/kinds.hpp"
#include "ext/nat_range.hpp"

#include "nfgate/error.hpp"

#include <linux/netfilter/nf_nat.h>

#include <array>

namespace nfgate {

namespace {

enum { TO_SRC = 1, RANDOM, RANDOM_FULLY, PERSISTENT };

constexpr std::array<ExtOption, 4> options = {{
    {"to-source", 1, TO_SRC},
    {"random", 0, RANDOM},
    {"random-fully", 0, RANDOM_FULLY},
    {"persistent", 0, PERSISTENT},
}};

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        nat_check_once("SNAT", options[static_cast<std::size_t>(id - 1)].name, seen_[id], ctx.invert);
        switch (id) {
        case TO_SRC:
            nat_parse_to("SNAT", arg, nat_portok(ctx), false, r_);
            break;
        case RANDOM:
            r_.flags |= NF_NAT_RANGE_PROTO_RANDOM;
            break;
        case RANDOM_FULLY:
            r_.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
            break;
        default:
            r_.flags |= NF_NAT_RANGE_PERSISTENT;
        }
    }
    void finish(const ExtParseContext&) override {
        if (!seen_[TO_SRC]) throw UsageError("SNAT: option \"--to-source\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override { return nat_encode(r_); }

private:
    NatRange r_;
    std::array<bool, 5> seen_{};
};

void flags_text(const NatRange& r, std::string& out, const char* pfx) {
    if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) out += std::string(" ") + pfx + "random";
    if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) out += std::string(" ") + pfx + "random-fully";
    if (r.flags & NF_NAT_RANGE_PERSISTENT) out += std::string(" ") + pfx + "persistent";
}

class Snat final : public ExtKind {
public:
    std::string_view name() const override { return "SNAT"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        NatRange r = nat_decode(data);
        std::string s = nat_range_text(r);
        if (!s.empty()) out += " --to-source " + s;
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

const ExtKind& ext_SNAT() {
    static const Snat kind;
    return kind;
}

}  // namespace nfgate
