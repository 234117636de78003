// SPDX-License-Identifier: GPL-2.0
// "state" match (libxt_conntrack's state alias, libxt_state):
// [!] --state {INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED}[,...].
#include "ext/ct_common.hpp"
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>
#include <strings.h>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"state", 1, 1}}};

// state_parse_state(): the first name the word is a prefix of.
std::uint32_t state_word(std::string_view w) {
    static constexpr std::array<std::pair<const char*, std::uint32_t>, 5> names = {{
        {"INVALID", NFGATE_CT_STATE_INVALID},
        {"NEW", NFGATE_CT_STATE_NEW},
        {"ESTABLISHED", NFGATE_CT_STATE_ESTABLISHED},
        {"RELATED", NFGATE_CT_STATE_RELATED},
        {"UNTRACKED", NFGATE_CT_STATE_UNTRACKED},
    }};
    for (const auto& [n, bit] : names) {
        std::string_view name = n;
        if (w.size() <= name.size() && strncasecmp(name.data(), w.data(), w.size()) == 0) return bit;
    }
    return 0;
}

std::uint32_t parse_states(std::string_view arg) {
    std::uint32_t mask = 0;
    auto bad = [&] { return UsageError("Bad state \"" + std::string(arg) + "\""); };
    while (true) {
        auto comma = arg.find(',');
        if (comma == std::string_view::npos) break;
        auto bit = comma ? state_word(arg.substr(0, comma)) : 0;
        if (!bit) throw bad();
        mask |= bit;
        arg = arg.substr(comma + 1);
    }
    if (arg.empty())
        throw UsageError("\"--state\" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED");
    auto bit = state_word(arg);
    if (!bit) throw bad();
    return mask | bit;
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        if (seen_) throw UsageError("state: option \"--state\" can only be used once.");
        seen_ = true;
        mask_ = parse_states(arg);
        invert_ = ctx.invert;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("state: option \"--state\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_STATE_A_MASK, mask_);
        if (invert_) w.put_flag(NFGATE_STATE_A_INV);
        return w.take();
    }

private:
    std::uint32_t mask_ = 0;
    bool invert_ = false;
    bool seen_ = false;
};

class State final : public ExtKind {
public:
    std::string_view name() const override { return "state"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        if (a.has(NFGATE_STATE_A_INV)) out += " !";
        out += " --state ";
        ct_print_states(out, a.u32(NFGATE_STATE_A_MASK), "");
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        if (a.has(NFGATE_STATE_A_INV)) out += " !";
        out += " state ";
        ct_print_states(out, a.u32(NFGATE_STATE_A_MASK), "");
    }
};

}  // namespace

const ExtKind& ext_state() {
    static const State kind;
    return kind;
}

}  // namespace nfgate
