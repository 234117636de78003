// SPDX-License-Identifier: GPL-2.0
// "addrtype" match (libxt_addrtype, revision 1): [!] --src-type and
// [!] --dst-type take comma lists of route types, each any prefix (any
// case) of a name, the first in RTN_* order winning; --limit-iface-in and
// --limit-iface-out exclude each other.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>
#include <strings.h>

namespace nfgate {

namespace {

enum { SRC = 1, DST, LIMIT_IN, LIMIT_OUT };

constexpr std::array<ExtOption, 4> options = {{
    {"src-type", 1, SRC},
    {"dst-type", 1, DST},
    {"limit-iface-in", 0, LIMIT_IN},
    {"limit-iface-out", 0, LIMIT_OUT},
}};

// Index = RTN_*.
constexpr std::array<std::string_view, 12> types = {
    "UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
    "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};

// parse_type(): strncasecmp(name, type, len) over the word's length.
bool add_type(std::string_view word, std::uint16_t& mask) {
    for (std::size_t i = 0; i < types.size(); ++i) {
        std::string t(types[i]);
        if (strncasecmp(std::string(word).c_str(), t.c_str(), word.size()) == 0) {
            mask = static_cast<std::uint16_t>(mask | (1U << i));
            return true;
        }
    }
    return false;
}

std::uint16_t parse_types(std::string_view arg) {
    std::uint16_t mask = 0;
    std::size_t comma;
    while ((comma = arg.find(',')) != std::string_view::npos) {
        if (comma == 0 || !add_type(arg.substr(0, comma), mask))
            throw UsageError("addrtype: bad type `" + std::string(arg) + "'");
        arg = arg.substr(comma + 1);
    }
    if (arg.empty() || !add_type(arg, mask)) throw UsageError("addrtype: bad type \"" + std::string(arg) + "\"");
    return mask;
}

std::string type_list(std::uint16_t mask) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i)
        if (mask & (1U << i)) {
            if (!out.empty()) out += ',';
            out += types[i];
        }
    return out;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[static_cast<std::size_t>(id - 1)].name);
        ext_check_option("addrtype", opt, seen_ & (1U << id), ctx.invert, id < LIMIT_IN);
        seen_ |= 1U << id;
        switch (id) {
            case SRC:
                src_ = parse_types(arg);
                if (ctx.invert) flags_ |= NFGATE_ADDRTYPE_INV_SRC;
                break;
            case DST:
                dst_ = parse_types(arg);
                if (ctx.invert) flags_ |= NFGATE_ADDRTYPE_INV_DST;
                break;
            case LIMIT_IN:
                flags_ |= NFGATE_ADDRTYPE_LIMIT_IN;
                break;
            case LIMIT_OUT:
                flags_ |= NFGATE_ADDRTYPE_LIMIT_OUT;
                break;
            default:
                break;
        }
    }
    void finish(const ExtParseContext&) override {
        if (!(seen_ & ((1U << SRC) | (1U << DST))))
            throw UsageError("addrtype: you must specify --src-type or --dst-type");
        if ((seen_ & (1U << LIMIT_IN)) && (seen_ & (1U << LIMIT_OUT)))
            throw UsageError(
                "addrtype: option \"--limit-iface-in\" cannot be used together with \"--limit-iface-out\".");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u16(NFGATE_ADDRTYPE_A_SRC, src_);
        w.put_u16(NFGATE_ADDRTYPE_A_DST, dst_);
        w.put_u32(NFGATE_ADDRTYPE_A_FLAGS, flags_);
        return w.take();
    }

private:
    std::uint16_t src_ = 0, dst_ = 0;
    std::uint32_t flags_ = 0;
    unsigned seen_ = 0;
};

struct Info {
    std::uint16_t src, dst;
    std::uint32_t flags;
};

Info read_info(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return {a.has(NFGATE_ADDRTYPE_A_SRC) ? a.u16(NFGATE_ADDRTYPE_A_SRC) : std::uint16_t{0},
            a.has(NFGATE_ADDRTYPE_A_DST) ? a.u16(NFGATE_ADDRTYPE_A_DST) : std::uint16_t{0},
            a.has(NFGATE_ADDRTYPE_A_FLAGS) ? a.u32(NFGATE_ADDRTYPE_A_FLAGS) : 0U};
}

class Addrtype final : public ExtKind {
public:
    std::string_view name() const override { return "addrtype"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Info i = read_info(data);
        if (i.src) {
            if (i.flags & NFGATE_ADDRTYPE_INV_SRC) out += " !";
            out += " --src-type " + type_list(i.src);
        }
        if (i.dst) {
            if (i.flags & NFGATE_ADDRTYPE_INV_DST) out += " !";
            out += " --dst-type " + type_list(i.dst);
        }
        if (i.flags & NFGATE_ADDRTYPE_LIMIT_IN) out += " --limit-iface-in";
        if (i.flags & NFGATE_ADDRTYPE_LIMIT_OUT) out += " --limit-iface-out";
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Info i = read_info(data);
        out += " ADDRTYPE match";
        if (i.src) {
            out += " src-type ";
            if (i.flags & NFGATE_ADDRTYPE_INV_SRC) out += "!";
            out += type_list(i.src);
        }
        if (i.dst) {
            out += " dst-type ";
            if (i.flags & NFGATE_ADDRTYPE_INV_DST) out += "!";
            out += type_list(i.dst);
        }
        if (i.flags & NFGATE_ADDRTYPE_LIMIT_IN) out += " limit-in";
        if (i.flags & NFGATE_ADDRTYPE_LIMIT_OUT) out += " limit-out";
    }
};

}  // namespace

const ExtKind& ext_addrtype() {
    static const Addrtype kind;
    return kind;
}

}  // namespace nfgate
