// SPDX-License-Identifier: GPL-2.0
// "pkttype" match (libxt_pkttype): [!] --pkt-type TYPE, a name of
// libxt_pkttype's table in any case (unicast, broadcast, multicast,
// otherhost and the aliases host, bcast, mcast), printed by its first name.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>
#include <strings.h>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"pkt-type", 1, 1}}};

struct Type {
    const char* name;
    std::uint8_t value;  // PACKET_*
};
constexpr std::array<Type, 7> types = {{
    {"unicast", 0},
    {"broadcast", 1},
    {"multicast", 2},
    {"otherhost", 3},
    {"bcast", 1},
    {"mcast", 2},
    {"host", 0},
}};

std::string type_name(std::uint8_t v) {
    for (const auto& t : types)
        if (t.value == v) return t.name;
    return std::to_string(v);
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("pkttype", "pkt-type", seen_, ctx.invert, true);
        seen_ = true;
        const std::string text(arg);
        for (const auto& t : types)
            if (strcasecmp(text.c_str(), t.name) == 0) {
                type_ = t.value;
                invert_ = ctx.invert;
                return;
            }
        throw UsageError("Bad packet type '" + text + "'");
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("pkttype: option \"--pkt-type\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_PKTTYPE_A_TYPE, type_);
        if (invert_) w.put_flag(NFGATE_PKTTYPE_A_INV);
        return w.take();
    }

private:
    std::uint8_t type_ = 0;
    bool invert_ = false, seen_ = false;
};

class Pkttype final : public ExtKind {
public:
    std::string_view name() const override { return "pkttype"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        if (a.has(NFGATE_PKTTYPE_A_INV)) out += " !";
        out += " --pkt-type " + type_name(a.u8(NFGATE_PKTTYPE_A_TYPE));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        AttrReader a(data);
        out += a.has(NFGATE_PKTTYPE_A_INV) ? " PKTTYPE != " : " PKTTYPE = ";
        out += type_name(a.u8(NFGATE_PKTTYPE_A_TYPE));
    }
};

}  // namespace

const ExtKind& ext_pkttype() {
    static const Pkttype kind;
    return kind;
}

}  // namespace nfgate
