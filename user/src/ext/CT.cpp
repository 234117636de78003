// SPDX-License-Identifier: GPL-2.0
// "CT" target (libxt_CT, revision 2): --notrack, --helper NAME, --zone,
// --zone-orig, --zone-reply (an id or "mark"), --ctevents and --expevents
// (comma lists).  --timeout needs nfct timeout objects nfgate does not
// manage, and is refused.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

enum { NOTRACK = 1, HELPER, TIMEOUT, CTEVENTS, EXPEVENTS, ZONE_ORIG, ZONE_REPLY, ZONE };

constexpr std::array<ExtOption, 8> options = {{
    {"notrack", 0, NOTRACK},
    {"helper", 1, HELPER},
    {"timeout", 1, TIMEOUT},
    {"ctevents", 1, CTEVENTS},
    {"expevents", 1, EXPEVENTS},
    {"zone-orig", 1, ZONE_ORIG},
    {"zone-reply", 1, ZONE_REPLY},
    {"zone", 1, ZONE},
}};

struct EventName {
    std::string_view name;
    unsigned bit;  // IPCT_* / IPEXP_*
};
// libxt_CT's tables, in their order (the order events are printed in).
constexpr std::array<EventName, 10> ct_events = {{
    {"new", 0},
    {"related", 1},
    {"destroy", 2},
    {"reply", 3},
    {"assured", 4},
    {"protoinfo", 5},
    {"helper", 6},
    {"mark", 7},
    {"natseqinfo", 8},
    {"secmark", 9},
}};
constexpr std::array<EventName, 1> exp_events = {{{"new", 0}}};

template <std::size_t N>
std::uint32_t parse_events(std::string_view list, const std::array<EventName, N>& table) {
    std::uint32_t mask = 0;
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto comma = list.find(',', pos);
        auto word = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        bool found = false;
        for (const auto& e : table)
            if (e.name == word) {
                mask |= 1U << e.bit;
                found = true;
            }
        if (!found) throw UsageError("CT: unknown event \"" + std::string(word) + "\"");
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return mask;
}

template <std::size_t N>
std::string format_events(std::uint32_t mask, const std::array<EventName, N>& table) {
    std::string out;
    for (const auto& e : table)
        if (mask & (1U << e.bit)) {
            if (!out.empty()) out += ',';
            out += e.name;
        }
    return out;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        if (ctx.invert) throw UsageError("CT: unexpected \"!\"");
        switch (id) {
            case NOTRACK:
                notrack_ = true;
                break;
            case HELPER:
                if (arg.size() >= NFGATE_CT_HELPER_MAXLEN)
                    throw UsageError("CT: helper name \"" + std::string(arg) + "\" is too long");
                helper_ = arg;
                break;
            case TIMEOUT:
                throw UsageError("CT option --timeout is not supported by nfgate");
            case CTEVENTS:
                ctevents_ = parse_events(arg, ct_events);
                break;
            case EXPEVENTS:
                expevents_ = parse_events(arg, exp_events);
                break;
            default: {
                std::uint32_t dir = id == ZONE_ORIG    ? NFGATE_CT_ZONE_F_ORIG
                                    : id == ZONE_REPLY ? NFGATE_CT_ZONE_F_REPLY
                                                       : 0;
                zone_flags_ = (zone_flags_ & ~(NFGATE_CT_ZONE_F_ORIG | NFGATE_CT_ZONE_F_REPLY)) | dir;
                if (arg == "mark") {
                    zone_flags_ |= NFGATE_CT_ZONE_F_MARK;
                    zone_ = 0;
                } else {
                    auto z = parse_uint(arg, 0, UINT16_MAX);
                    if (!z) throw UsageError("CT: bad value for option \"--zone\", or out of range (0-65535).");
                    zone_flags_ &= ~NFGATE_CT_ZONE_F_MARK;
                    zone_ = static_cast<std::uint16_t>(*z);
                }
                break;
            }
        }
    }
    void finish(const ExtParseContext&) override {
        if (notrack_ && (!helper_.empty() || ctevents_ || expevents_ || zone_ || zone_flags_))
            throw UsageError("CT: --notrack and other options are mutually exclusive");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        if (notrack_) w.put_flag(NFGATE_CT_A_NOTRACK);
        if (zone_) w.put_u16(NFGATE_CT_A_ZONE, zone_);
        if (zone_flags_) w.put_u32(NFGATE_CT_A_ZONE_FLAGS, zone_flags_);
        if (!helper_.empty()) w.put_string(NFGATE_CT_A_HELPER, helper_);
        if (ctevents_) w.put_u32(NFGATE_CT_A_CTEVENTS, ctevents_);
        if (expevents_) w.put_u32(NFGATE_CT_A_EXPEVENTS, expevents_);
        return w.take();
    }

private:
    bool notrack_ = false;
    std::string helper_;
    std::uint32_t ctevents_ = 0, expevents_ = 0, zone_flags_ = 0;
    std::uint16_t zone_ = 0;
};

// libxt_CT's save and print differ only in the option names.
void describe(std::span<const std::uint8_t> data, std::string& out, bool save) {
    AttrReader a(data);
    const char* dash = save ? "--" : "";
    if (a.has(NFGATE_CT_A_NOTRACK)) out += std::string(" ") + dash + "notrack";
    if (a.has(NFGATE_CT_A_HELPER)) out += std::string(" ") + dash + "helper " + a.string(NFGATE_CT_A_HELPER);
    if (a.has(NFGATE_CT_A_CTEVENTS))
        out += std::string(" ") + dash + "ctevents " + format_events(a.u32(NFGATE_CT_A_CTEVENTS), ct_events);
    if (a.has(NFGATE_CT_A_EXPEVENTS))
        out += std::string(" ") + dash + "expevents " + format_events(a.u32(NFGATE_CT_A_EXPEVENTS), exp_events);
    std::uint32_t flags = a.has(NFGATE_CT_A_ZONE_FLAGS) ? a.u32(NFGATE_CT_A_ZONE_FLAGS) : 0;
    std::uint16_t zone = a.has(NFGATE_CT_A_ZONE) ? a.u16(NFGATE_CT_A_ZONE) : 0;
    if ((flags & NFGATE_CT_ZONE_F_MARK) || zone) {
        out += std::string(" ") + dash + "zone";
        auto dir = flags & (NFGATE_CT_ZONE_F_ORIG | NFGATE_CT_ZONE_F_REPLY);
        if (dir == NFGATE_CT_ZONE_F_ORIG) out += "-orig";
        if (dir == NFGATE_CT_ZONE_F_REPLY) out += "-reply";
        out += flags & NFGATE_CT_ZONE_F_MARK ? std::string(" mark") : " " + std::to_string(zone);
    }
}

class Ct final : public ExtKind {
public:
    std::string_view name() const override { return "CT"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override { describe(data, out, true); }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " CT";
        describe(data, out, false);
    }
};

}  // namespace

const ExtKind& ext_CT() {
    static const Ct kind;
    return kind;
}

}  // namespace nfgate
