// SPDX-License-Identifier: GPL-2.0
// "NOTRACK" target: no options; the packet stays untracked (-j CT --notrack
// under its old name, which iptables keeps and saves as written).
#include "ext/kinds.hpp"

namespace nfgate {

namespace {

class NoParser final : public ExtParser {
public:
    void parse(int, std::string_view, const ExtParseContext&) override {}
    std::vector<std::uint8_t> encode() const override { return {}; }
};

class Notrack final : public ExtKind {
public:
    std::string_view name() const override { return "NOTRACK"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return {}; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<NoParser>(); }
    void save(std::span<const std::uint8_t>, std::string&) const override {}
    void print(std::span<const std::uint8_t>, std::string& out, bool) const override { out += " NOTRACK"; }
};

}  // namespace

const ExtKind& ext_NOTRACK() {
    static const Notrack kind;
    return kind;
}

}  // namespace nfgate
