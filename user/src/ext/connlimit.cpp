// SPDX-License-Identifier: GPL-2.0
// "connlimit" match (libxt_connlimit, revision 1, IPv4): [!]
// --connlimit-upto N or [!] --connlimit-above N (one of them; the '!'
// turns one into the other, as iptables saves it), --connlimit-mask PLEN
// (0..32, default 32), --connlimit-saddr (default) or --connlimit-daddr.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

// libxt_connlimit's O_*, in its table order (ExtOption ids are one more).
enum { UPTO = 0, ABOVE, MASK, SADDR, DADDR, NOPTS };

constexpr unsigned bit(int id) { return 1U << id; }

constexpr std::array<ExtOption, NOPTS> options = {{
    {"connlimit-upto", 1, UPTO + 1},
    {"connlimit-above", 1, ABOVE + 1},
    {"connlimit-mask", 1, MASK + 1},
    {"connlimit-saddr", 0, SADDR + 1},
    {"connlimit-daddr", 0, DADDR + 1},
}};

// .excl of each option.
constexpr std::array<unsigned, NOPTS> excl = {bit(ABOVE), bit(UPTO), 0, bit(DADDR), bit(SADDR)};

class Parser final : public ExtParser {
public:
    void parse(int opt_id, std::string_view arg, const ExtParseContext& ctx) override {
        const int id = opt_id - 1;
        const std::string name(options[static_cast<std::size_t>(id)].name);
        ext_check_option("connlimit", name, seen_ & bit(id), ctx.invert, id <= ABOVE);
        seen_ |= bit(id);
        switch (id) {
            case UPTO:
            case ABOVE: {
                auto v = parse_uint(arg, 0, UINT32_MAX);
                if (!v)
                    throw UsageError("connlimit: bad value for option \"--" + name +
                                     "\", or out of range (0-4294967295).");
                limit_ = static_cast<std::uint32_t>(*v);
                // upto: the count is at most N, i.e. not above it
                if ((id == UPTO) != ctx.invert) flags_ |= NFGATE_CONNLIMIT_UPTO;
                break;
            }
            case MASK: {
                auto v = parse_uint(arg, 0, 32);
                if (!v)
                    throw UsageError("connlimit: bad value for option \"--connlimit-mask\", or out of range (0-32).");
                plen_ = static_cast<std::uint8_t>(*v);
                break;
            }
            case SADDR:
                flags_ &= ~NFGATE_CONNLIMIT_DADDR;
                break;
            case DADDR:
                flags_ |= NFGATE_CONNLIMIT_DADDR;
                break;
            default:
                break;
        }
    }
    void finish(const ExtParseContext&) override {
        if (!(seen_ & (bit(UPTO) | bit(ABOVE))))
            throw UsageError("You must specify \"--connlimit-above\" or \"--connlimit-upto\".");
        for (int e = 0; e < NOPTS; ++e)
            for (int x = 0; x < NOPTS; ++x)
                if ((seen_ & bit(e)) && (seen_ & bit(x)) && (excl[static_cast<std::size_t>(e)] & bit(x)))
                    throw UsageError("connlimit: option \"--" +
                                     std::string(options[static_cast<std::size_t>(e)].name) +
                                     "\" cannot be used together with \"--" +
                                     std::string(options[static_cast<std::size_t>(x)].name) + "\".");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u32(NFGATE_CONNLIMIT_A_LIMIT, limit_);
        w.put_u8(NFGATE_CONNLIMIT_A_PLEN, plen_);
        w.put_u32(NFGATE_CONNLIMIT_A_FLAGS, flags_);
        return w.take();
    }

private:
    std::uint32_t limit_ = 0, flags_ = 0;
    std::uint8_t plen_ = 32;
    unsigned seen_ = 0;
};

struct Info {
    std::uint32_t limit;
    unsigned plen;
    std::uint32_t flags;
};

Info read_info(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return {a.u32(NFGATE_CONNLIMIT_A_LIMIT),
            a.has(NFGATE_CONNLIMIT_A_PLEN) ? a.u8(NFGATE_CONNLIMIT_A_PLEN) : 32U,
            a.has(NFGATE_CONNLIMIT_A_FLAGS) ? a.u32(NFGATE_CONNLIMIT_A_FLAGS) : 0U};
}

class Connlimit final : public ExtKind {
public:
    std::string_view name() const override { return "connlimit"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Info i = read_info(data);
        out += i.flags & NFGATE_CONNLIMIT_UPTO ? " --connlimit-upto " : " --connlimit-above ";
        out += std::to_string(i.limit) + " --connlimit-mask " + std::to_string(i.plen);
        out += i.flags & NFGATE_CONNLIMIT_DADDR ? " --connlimit-daddr" : " --connlimit-saddr";
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Info i = read_info(data);
        out += std::string(" #conn ") + (i.flags & NFGATE_CONNLIMIT_DADDR ? "dst" : "src") + "/" +
               std::to_string(i.plen) + (i.flags & NFGATE_CONNLIMIT_UPTO ? " <= " : " > ") +
               std::to_string(i.limit);
    }
};

}  // namespace

const ExtKind& ext_connlimit() {
    static const Connlimit kind;
    return kind;
}

}  // namespace nfgate
