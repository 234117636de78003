// SPDX-License-Identifier: GPL-2.0
// "recent" match (libxt_recent, revision 1, IPv4): [!] --set|--rcheck|
// --update|--remove (one of them), --seconds N (>= 1), --reap (needs
// --seconds), --hitcount N, --rttl (not with --set/--remove), --name NAME
// (DEFAULT; cut to 199 bytes as iptables does), --rsource|--rdest (the last
// wins), --mask ADDR (255.255.255.255). What xt_recent's checkentry refuses
// (hitcount over 255, --seconds or --hitcount with --set, a name the kernel
// cannot use as a /proc file) is refused here with iptables' words for
// the kernel's EINVAL.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/iptables_text.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <arpa/inet.h>

#include <array>

namespace nfgate {

namespace {

// libxt_recent's O_*, in its table order (bit numbers; ExtOption ids are one more).
enum { SET = 0, RCHECK, UPDATE, REMOVE, SECONDS, REAP, HITCOUNT, RTTL, NAME, RSOURCE, RDEST, MASK, NOPTS };

constexpr unsigned bit(int id) { return 1U << id; }
constexpr unsigned any_cmd = bit(SET) | bit(RCHECK) | bit(UPDATE) | bit(REMOVE);

constexpr std::array<ExtOption, NOPTS> options = {{
    {"set", 0, SET + 1},
    {"rcheck", 0, RCHECK + 1},
    {"update", 0, UPDATE + 1},
    {"remove", 0, REMOVE + 1},
    {"seconds", 1, SECONDS + 1},
    {"reap", 0, REAP + 1},
    {"hitcount", 1, HITCOUNT + 1},
    {"rttl", 0, RTTL + 1},
    {"name", 1, NAME + 1},
    {"rsource", 0, RSOURCE + 1},
    {"rdest", 0, RDEST + 1},
    {"mask", 1, MASK + 1},
}};

// The .excl and .also of each option, as libxt_recent's table.
struct Rule {
    unsigned excl, also;
};
constexpr std::array<Rule, NOPTS> rules = {{
    {any_cmd, 0},
    {any_cmd, 0},
    {any_cmd, 0},
    {any_cmd, 0},
    {0, 0},
    {0, bit(SECONDS)},
    {0, 0},
    {bit(SET) | bit(REMOVE), 0},
    {0, 0},
    {0, 0},
    {0, 0},
    {0, 0},
}};

[[noreturn]] void kernel_refuses(const std::string& why) {
    throw Error("recent: " + why, 1, iptc_text(iptc_einval("Invalid argument")));
}

std::string dotted(std::uint32_t be) {
    char buf[INET_ADDRSTRLEN];
    in_addr a{};
    a.s_addr = be;
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return buf;
}

class Parser final : public ExtParser {
public:
    void parse(int opt_id, std::string_view arg, const ExtParseContext& ctx) override {
        const int id = opt_id - 1;  // ExtOption ids start at 1
        const auto& o = options[static_cast<std::size_t>(id)];
        ext_check_option("recent", o.name, seen_ & bit(id), ctx.invert, id <= REMOVE);
        seen_ |= bit(id);
        switch (id) {
            case SET:
                flags_ |= NFGATE_RECENT_SET;
                break;
            case RCHECK:
                flags_ |= NFGATE_RECENT_CHECK;
                break;
            case UPDATE:
                flags_ |= NFGATE_RECENT_UPDATE;
                break;
            case REMOVE:
                flags_ |= NFGATE_RECENT_REMOVE;
                break;
            case SECONDS:
            case HITCOUNT: {
                std::uint64_t min = id == SECONDS ? 1 : 0;
                auto v = parse_uint(arg, min, UINT32_MAX);
                if (!v)
                    throw UsageError("recent: bad value for option \"--" + std::string(o.name) +
                                     "\", or out of range (" + std::to_string(min) + "-4294967295).");
                (id == SECONDS ? seconds_ : hitcount_) = static_cast<std::uint32_t>(*v);
                break;
            }
            case REAP:
                flags_ |= NFGATE_RECENT_REAP;
                break;
            case RTTL:
                flags_ |= NFGATE_RECENT_TTL;
                break;
            case NAME:
                name_ = arg.substr(0, NFGATE_RECENT_NAME_LEN - 1);
                break;
            case RSOURCE:
                flags_ &= ~NFGATE_RECENT_DEST;
                break;
            case RDEST:
                flags_ |= NFGATE_RECENT_DEST;
                break;
            case MASK: {
                in_addr a{};
                if (inet_pton(AF_INET, std::string(arg).c_str(), &a) != 1)
                    throw UsageError("host/network `" + std::string(arg) + "' not found");
                mask_ = a.s_addr;
                break;
            }
            default:
                break;
        }
        if (ctx.invert) flags_ |= NFGATE_RECENT_INV;
    }
    void finish(const ExtParseContext&) override {
        if (!(seen_ & any_cmd))
            throw UsageError("recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
        // xtables_options_fcheck(): each given option against the others,
        // both in table order, "also" before "excl".
        for (int e = 0; e < NOPTS; ++e) {
            if (!(seen_ & bit(e))) continue;
            for (int x = 0; x < NOPTS; ++x) {
                if (x == e) continue;
                const std::string both = std::string("recent: option \"--") +
                                         std::string(options[static_cast<std::size_t>(e)].name) + "\" ";
                const std::string other = "\"--" + std::string(options[static_cast<std::size_t>(x)].name) + "\".";
                if ((rules[static_cast<std::size_t>(e)].also & bit(x)) && !(seen_ & bit(x)))
                    throw UsageError(both + "also requires " + other);
                if ((rules[static_cast<std::size_t>(e)].excl & bit(x)) && (seen_ & bit(x)))
                    throw UsageError(both + "cannot be used together with " + other);
            }
        }
        // xt_recent's checkentry.
        if ((flags_ & (NFGATE_RECENT_SET | NFGATE_RECENT_REMOVE)) &&
            (seconds_ || hitcount_ || (flags_ & (NFGATE_RECENT_TTL | NFGATE_RECENT_REAP))))
            kernel_refuses("--set and --remove take no --seconds, --hitcount, --rttl or --reap");
        if (hitcount_ > NFGATE_RECENT_MAX_HITCOUNT)
            kernel_refuses("hitcount (" + std::to_string(hitcount_) + ") is larger than allowed maximum (" +
                           std::to_string(NFGATE_RECENT_MAX_HITCOUNT) + ")");
        if (name_.empty() || name_ == "." || name_ == ".." || name_.find('/') != std::string::npos)
            kernel_refuses("bad list name \"" + name_ + "\"");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_string(NFGATE_RECENT_A_NAME, name_);
        w.put_u32(NFGATE_RECENT_A_FLAGS, flags_);
        w.put_u32(NFGATE_RECENT_A_SECONDS, seconds_);
        w.put_u32(NFGATE_RECENT_A_HITCOUNT, hitcount_);
        w.put_u32(NFGATE_RECENT_A_MASK, mask_);
        return w.take();
    }

private:
    std::string name_ = "DEFAULT";
    std::uint32_t flags_ = 0, seconds_ = 0, hitcount_ = 0;
    std::uint32_t mask_ = 0xFFFFFFFFU;
    unsigned seen_ = 0;
};

struct Info {
    std::string name;
    std::uint32_t flags, seconds, hitcount, mask;
};

Info read_info(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return {a.string(NFGATE_RECENT_A_NAME), a.u32(NFGATE_RECENT_A_FLAGS),
            a.has(NFGATE_RECENT_A_SECONDS) ? a.u32(NFGATE_RECENT_A_SECONDS) : 0U,
            a.has(NFGATE_RECENT_A_HITCOUNT) ? a.u32(NFGATE_RECENT_A_HITCOUNT) : 0U, a.u32(NFGATE_RECENT_A_MASK)};
}

class Recent final : public ExtKind {
public:
    std::string_view name() const override { return "recent"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Info i = read_info(data);
        if (i.flags & NFGATE_RECENT_INV) out += " !";
        if (i.flags & NFGATE_RECENT_SET) out += " --set";
        if (i.flags & NFGATE_RECENT_CHECK) out += " --rcheck";
        if (i.flags & NFGATE_RECENT_UPDATE) out += " --update";
        if (i.flags & NFGATE_RECENT_REMOVE) out += " --remove";
        if (i.seconds) out += " --seconds " + std::to_string(i.seconds);
        if (i.flags & NFGATE_RECENT_REAP) out += " --reap";
        if (i.hitcount) out += " --hitcount " + std::to_string(i.hitcount);
        if (i.flags & NFGATE_RECENT_TTL) out += " --rttl";
        out += " --name " + i.name + " --mask " + dotted(i.mask);
        out += i.flags & NFGATE_RECENT_DEST ? " --rdest" : " --rsource";
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Info i = read_info(data);
        if (i.flags & NFGATE_RECENT_INV) out += " !";
        out += " recent:";
        if (i.flags & NFGATE_RECENT_SET) out += " SET";
        if (i.flags & NFGATE_RECENT_CHECK) out += " CHECK";
        if (i.flags & NFGATE_RECENT_UPDATE) out += " UPDATE";
        if (i.flags & NFGATE_RECENT_REMOVE) out += " REMOVE";
        if (i.seconds) out += " seconds: " + std::to_string(i.seconds);
        if (i.flags & NFGATE_RECENT_REAP) out += " reap";
        if (i.hitcount) out += " hit_count: " + std::to_string(i.hitcount);
        if (i.flags & NFGATE_RECENT_TTL) out += " TTL-Match";
        out += " name: " + i.name;
        out += i.flags & NFGATE_RECENT_DEST ? " side: dest" : " side: source";
        out += " mask: " + dotted(i.mask);
    }
};

}  // namespace

const ExtKind& ext_recent() {
    static const Recent kind;
    return kind;
}

}  // namespace nfgate
