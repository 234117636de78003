// SPDX-License-Identifier: GPL-2.0
// "REJECT" target (libipt_REJECT): --reject-with TYPE, where TYPE may be
// any prefix (any case) of a name or of its alias, the first in table
// order winning, as iptables 1.8 matches it; saved and listed by full name.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/rule.hpp"

#include <linux/nfgate.h>

#include <array>
#include <strings.h>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"reject-with", 1, 1}}};

struct RejectName {
    std::string_view name;
    std::string_view alias;
};

// Index = enum nfgate_reject_with (ipt_reject_with); 4 is echo-reply,
// which iptables no longer offers.
constexpr std::array<RejectName, NFGATE_REJECT_MAX + 1> names = {{
    {"icmp-net-unreachable", "net-unreach"},
    {"icmp-host-unreachable", "host-unreach"},
    {"icmp-proto-unreachable", "proto-unreach"},
    {"icmp-port-unreachable", "port-unreach"},
    {"", ""},
    {"icmp-net-prohibited", "net-prohib"},
    {"icmp-host-prohibited", "host-prohib"},
    {"tcp-reset", "tcp-rst"},
    {"icmp-admin-prohibited", "admin-prohib"},
}};

// strncasecmp(full, arg, strlen(arg)) == 0: arg is a prefix of full.
bool prefix_of(std::string_view arg, std::string_view full) {
    return arg.size() <= full.size() && strncasecmp(full.data(), std::string(arg).c_str(), arg.size()) == 0;
}

std::string_view name_of(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    std::uint32_t with = a.has(NFGATE_REJECT_A_WITH) ? a.u32(NFGATE_REJECT_A_WITH) : std::uint32_t{NFGATE_REJECT_PORT_UNREACH};
    if (with >= names.size() || names[with].name.empty())
        throw Error("unknown REJECT type " + std::to_string(with) + " from the kernel");
    return names[with].name;
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("REJECT", "reject-with", seen_, ctx.invert);
        seen_ = true;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i].name.empty()) continue;
            if (prefix_of(arg, names[i].name) || prefix_of(arg, names[i].alias)) {
                with_ = static_cast<std::uint32_t>(i);
                return;
            }
        }
        throw UsageError("unknown reject type \"" + std::string(arg) + "\"");
    }
    void finish(const ExtParseContext& ctx) override {
        // ipt_REJECT's checkentry: a TCP RST answers TCP packets only.
        if (with_ == NFGATE_REJECT_TCP_RESET &&
            (!ctx.rule.proto || ctx.rule.proto->num != 6 || ctx.rule.proto->invert))
            throw UsageError("REJECT: --reject-with tcp-reset is only valid with -p tcp");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_REJECT_A_WITH, with_);
        return w.take();
    }

private:
    std::uint32_t with_ = NFGATE_REJECT_PORT_UNREACH;
    bool seen_ = false;
};

class Reject final : public ExtKind {
public:
    std::string_view name() const override { return "REJECT"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        out += " --reject-with ";
        out += name_of(data);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " reject-with ";
        out += name_of(data);
    }
};

}  // namespace

const ExtKind& ext_REJECT() {
    static const Reject kind;
    return kind;
}

}  // namespace nfgate
