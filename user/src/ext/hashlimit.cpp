// SPDX-License-Identifier: GPL-2.0
// "hashlimit" match (libxt_hashlimit, xt_hashlimit revision 2 semantics):
// [!] --hashlimit-upto | --hashlimit-above RATE (the old --hashlimit
// spelling is --hashlimit-upto), --hashlimit-burst, --hashlimit-mode,
// --hashlimit-srcmask/-dstmask, --hashlimit-name (required) and the
// --hashlimit-htable-* knobs.  The rate is sent as iptables keeps it, the
// time between packets in 1/1000000 s; save and -L print what
// libxt_hashlimit prints, defaults omitted the same way.  Byte rates
// ("kb/s") and revision 3's --hashlimit-rate-match/-rate-interval are
// refused by name.
#include "ext/kinds.hpp"
#include "ext/rate.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <cstring>

namespace nfgate {

namespace {

enum {
    UPTO = 1,
    ABOVE,
    OLD,  // --hashlimit, the old name of --hashlimit-upto
    SRCMASK,
    DSTMASK,
    BURST,
    SIZE,
    MAX,
    GCINT,
    EXPIRE,
    MODE,
    NAME,
    RATEMATCH,
    INTERVAL,
};

constexpr std::uint32_t default_burst = 5;
constexpr std::uint32_t default_gcinterval = 1000;
constexpr std::uint64_t scale = NFGATE_HASHLIMIT_SCALE;

constexpr std::array<ExtOption, 14> options = {{
    {"hashlimit-upto", 1, UPTO},
    {"hashlimit-above", 1, ABOVE},
    {"hashlimit", 1, OLD},
    {"hashlimit-srcmask", 1, SRCMASK},
    {"hashlimit-dstmask", 1, DSTMASK},
    {"hashlimit-burst", 1, BURST},
    {"hashlimit-htable-size", 1, SIZE},
    {"hashlimit-htable-max", 1, MAX},
    {"hashlimit-htable-gcinterval", 1, GCINT},
    {"hashlimit-htable-expire", 1, EXPIRE},
    {"hashlimit-mode", 1, MODE},
    {"hashlimit-name", 1, NAME},
    {"hashlimit-rate-match", 0, RATEMATCH},
    {"hashlimit-rate-interval", 1, INTERVAL},
}};

std::string opt_name(int id) {
    for (const auto& o : options)
        if (o.id == id) return std::string(o.name);
    return {};
}

// atoll(): leading blanks, a sign, digits.
long long atoll_sv(std::string_view text) {
    std::string s(text);
    return std::atoll(s.c_str());
}

[[noreturn]] void bad_value(const char* opt, std::string_view arg) {
    throw UsageError(std::string("hashlimit: Bad value for \"") + opt + "\" option: \"" + std::string(arg) + "\"");
}

[[noreturn]] void burst_error() {
    throw UsageError("bad value for option \"--hashlimit-burst\", or out of range (1-" +
                     std::to_string(NFGATE_HASHLIMIT_MAX_BURST) + ").");
}

// libxt_hashlimit's parse_rate() (revision 2): *mult is the unit in s.
std::optional<std::uint64_t> parse_rate(std::string_view text, std::uint32_t& mult) {
    auto unit = rate_unit_seconds(text);
    if (!unit) return std::nullopt;
    mult = *unit;
    auto r = static_cast<std::uint64_t>(atoll_sv(text));
    if (r == 0) return std::nullopt;
    std::uint64_t avg = scale * mult / r;
    if (avg == 0) throw UsageError("Rate too fast \"" + std::string(text) + "\"");
    return avg;
}

// libxt_hashlimit's print_rate(); *quantum: the unit printed, in ms.
std::string format_rate(std::uint64_t period, std::uint64_t& quantum) {
    RateText r = rate_text(period, scale);
    quantum = std::uint64_t{r.seconds} * 1000;
    return r.text;
}

// libxt_hashlimit's print_mode(): srcip, srcport, dstip, dstport.
std::string format_mode(std::uint32_t mode, char sep) {
    std::string out = " ";
    bool prev = false;
    auto add = [&](std::uint32_t bit, const char* name) {
        if (!(mode & bit)) return;
        if (prev) out += sep;
        out += name;
        prev = true;
    };
    add(NFGATE_HASHLIMIT_HASH_SIP, "srcip");
    add(NFGATE_HASHLIMIT_HASH_SPT, "srcport");
    add(NFGATE_HASHLIMIT_HASH_DIP, "dstip");
    add(NFGATE_HASHLIMIT_HASH_DPT, "dstport");
    return out;
}

// XTTYPE_PLEN for IPv4: 0..32, or a contiguous dotted mask.
std::uint8_t parse_plen(std::string_view opt, std::string_view arg) {
    if (auto v = parse_uint(arg, 0, 32)) return static_cast<std::uint8_t>(*v);
    if (arg.find('.') != std::string_view::npos) {
        if (auto m = parse_numeric_ipv4(arg)) {
            std::uint32_t mask = *m;
            int len = 0;
            while (len < 32 && (mask & (0x80000000U >> len))) ++len;
            std::uint32_t want = len ? ~0U << (32 - len) : 0;
            if (mask == want) return static_cast<std::uint8_t>(len);
        }
    }
    throw UsageError("hashlimit: bad value for option \"--" + std::string(opt) +
                     "\", neither a valid network mask nor valid CIDR (0-32).");
}

struct Config {
    std::string name;
    std::uint32_t mode = 0;
    std::uint64_t avg = 0;
    std::uint64_t burst = default_burst;
    std::uint32_t size = 0;
    std::uint32_t max = 0;
    std::uint32_t gc_interval = default_gcinterval;
    std::uint32_t expire = 0;
    std::uint8_t srcmask = 32;
    std::uint8_t dstmask = 32;
};

Config read(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    Config c;
    c.name = a.string(NFGATE_HASHLIMIT_A_NAME);
    c.mode = a.u32(NFGATE_HASHLIMIT_A_MODE);
    auto avg = a.raw(NFGATE_HASHLIMIT_A_AVG);
    if (avg.size() != sizeof c.avg) throw Error("hashlimit: malformed AVG attribute");
    std::memcpy(&c.avg, avg.data(), sizeof c.avg);
    c.burst = a.u32(NFGATE_HASHLIMIT_A_BURST);
    c.size = a.u32(NFGATE_HASHLIMIT_A_SIZE);
    c.max = a.u32(NFGATE_HASHLIMIT_A_HTMAX);
    c.gc_interval = a.u32(NFGATE_HASHLIMIT_A_GCINTERVAL);
    c.expire = a.u32(NFGATE_HASHLIMIT_A_EXPIRE);
    c.srcmask = a.u8(NFGATE_HASHLIMIT_A_SRCMASK);
    c.dstmask = a.u8(NFGATE_HASHLIMIT_A_DSTMASK);
    return c;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        // --hashlimit and --hashlimit-upto are one option to xtables
        int slot = id == OLD ? UPTO : id;
        bool invertible = id == UPTO || id == ABOVE || id == OLD;
        ext_check_option("hashlimit", opt_name(id), seen_ & (1U << slot), ctx.invert, invertible);
        seen_ |= 1U << slot;
        switch (id) {
        case RATEMATCH:
        case INTERVAL:
            throw UsageError("hashlimit: --" + opt_name(id) +
                             " (revision 3) is not supported by nfgate");
        case UPTO:
        case ABOVE:
        case OLD: {
            bool above = (id == ABOVE) != ctx.invert;
            if (above) c_.mode |= NFGATE_HASHLIMIT_INVERT;
            auto b = arg.find("b/s");
            if (b != std::string_view::npos && b != 0 && atoll_sv(arg) != 0)
                throw UsageError("hashlimit: byte-based rates (\"" + std::string(arg) +
                                 "\") are not supported by nfgate");
            auto avg = parse_rate(arg, mult_);
            if (!avg) bad_value(id == ABOVE ? "--hashlimit-above" : "--hashlimit-upto", arg);
            c_.avg = *avg;
            return;
        }
        case MODE: {
            std::string s(arg);
            std::uint32_t mode = 0;
            std::size_t i = 0;
            while (i <= s.size()) {
                auto j = s.find_first_of(",|", i);
                if (j == std::string::npos) j = s.size();
                std::string tok = s.substr(i, j - i);
                if (tok == "dstip")
                    mode |= NFGATE_HASHLIMIT_HASH_DIP;
                else if (tok == "srcip")
                    mode |= NFGATE_HASHLIMIT_HASH_SIP;
                else if (tok == "srcport")
                    mode |= NFGATE_HASHLIMIT_HASH_SPT;
                else if (tok == "dstport")
                    mode |= NFGATE_HASHLIMIT_HASH_DPT;
                else if (!tok.empty())
                    bad_value("--hashlimit-mode", arg);
                i = j + 1;
            }
            c_.mode |= mode;
            return;
        }
        case SRCMASK:
            c_.srcmask = parse_plen(opt_name(id), arg);
            return;
        case DSTMASK:
            c_.dstmask = parse_plen(opt_name(id), arg);
            return;
        case BURST:
            c_.burst = parse_burst(arg);
            return;
        case SIZE:
        case MAX:
        case GCINT:
        case EXPIRE: {
            auto v = parse_uint(arg, 0, UINT32_MAX);
            if (!v)
                throw UsageError("hashlimit: bad value for option \"--" + opt_name(id) +
                                 "\", or out of range (0-4294967295).");
            auto u = static_cast<std::uint32_t>(*v);
            if (id == SIZE) c_.size = u;
            if (id == MAX) c_.max = u;
            if (id == GCINT) c_.gc_interval = u;
            if (id == EXPIRE) c_.expire = u;
            return;
        }
        case NAME:
            if (arg.empty()) throw UsageError("Argument must have a minimum length of 1 characters");
            // XTOPT_PUT into name[NAME_MAX]: longer names are cut
            c_.name = std::string(arg.substr(0, NFGATE_HASHLIMIT_NAME_LEN - 1));
            return;
        default:
            return;
        }
    }

    void finish(const ExtParseContext&) override {
        // hashlimit_mt_check(), then xtables_options_fcheck()
        if (!(seen_ & ((1U << UPTO) | (1U << ABOVE)))) throw UsageError("You have to specify --hashlimit");
        if (!(seen_ & (1U << EXPIRE))) c_.expire = mult_ * 1000;
        if (c_.burst > NFGATE_HASHLIMIT_MAX_BURST) burst_error();
        if ((seen_ & (1U << UPTO)) && (seen_ & (1U << ABOVE)))
            throw UsageError(
                "hashlimit: option \"--hashlimit-upto\" cannot be used together with \"--hashlimit-above\".");
        if (!(seen_ & (1U << NAME))) throw UsageError("hashlimit: option \"--hashlimit-name\" must be specified");
        if (c_.gc_interval == 0 || c_.expire == 0)
            throw UsageError("hashlimit: --hashlimit-htable-gcinterval and --hashlimit-htable-expire must not be 0");
        // xt_hashlimit truncates both, and keeps what it truncated
        c_.size = std::min<std::uint32_t>(c_.size, NFGATE_HASHLIMIT_MAX_SIZE);
        c_.max = std::min<std::uint32_t>(c_.max, NFGATE_HASHLIMIT_MAX_SIZE);
    }

    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_string(NFGATE_HASHLIMIT_A_NAME, c_.name);
        w.put_u32(NFGATE_HASHLIMIT_A_MODE, c_.mode);
        w.put(NFGATE_HASHLIMIT_A_AVG, &c_.avg, sizeof c_.avg);
        w.put_u32(NFGATE_HASHLIMIT_A_BURST, static_cast<std::uint32_t>(c_.burst));
        w.put_u32(NFGATE_HASHLIMIT_A_SIZE, c_.size);
        w.put_u32(NFGATE_HASHLIMIT_A_HTMAX, c_.max);
        w.put_u32(NFGATE_HASHLIMIT_A_GCINTERVAL, c_.gc_interval);
        w.put_u32(NFGATE_HASHLIMIT_A_EXPIRE, c_.expire);
        w.put_u8(NFGATE_HASHLIMIT_A_SRCMASK, c_.srcmask);
        w.put_u8(NFGATE_HASHLIMIT_A_DSTMASK, c_.dstmask);
        return w.take();
    }

private:
    // libxt_hashlimit's parse_burst() (revision 2): xtables_strtoul()
    // (base 0) of a prefix, a k or m suffix multiplies.
    static std::uint64_t parse_burst(std::string_view arg) {
        std::string s(arg);
        const char* p = s.c_str();
        while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
        if (*p == '-') burst_error();
        char* end = nullptr;
        errno = 0;
        std::uintmax_t v = std::strtoumax(p, &end, 0);
        if (end == p || errno == ERANGE || v < 1) burst_error();
        if (*end == '\0' && v > NFGATE_HASHLIMIT_MAX_BURST) burst_error();
        std::uint64_t factor = *end == 'm' ? 1024 * 1024 : *end == 'k' ? 1024 : 1;
        if (v > UINT64_MAX / factor) burst_error();
        return v * factor;
    }

    Config c_;
    std::uint32_t mult_ = 1;
    unsigned seen_ = 0;
};

class Hashlimit final : public ExtKind {
public:
    std::string_view name() const override { return "hashlimit"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }

    // hashlimit_mt_save()
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Config c = read(data);
        std::uint64_t quantum = 0;
        out += c.mode & NFGATE_HASHLIMIT_INVERT ? " --hashlimit-above" : " --hashlimit-upto";
        out += format_rate(c.avg, quantum);
        out += " --hashlimit-burst " + std::to_string(c.burst);
        if (c.mode & hash_bits) out += " --hashlimit-mode" + format_mode(c.mode, ',');
        out += " --hashlimit-name " + c.name;
        if (c.size) out += " --hashlimit-htable-size " + std::to_string(c.size);
        if (c.max) out += " --hashlimit-htable-max " + std::to_string(c.max);
        if (c.gc_interval != default_gcinterval)
            out += " --hashlimit-htable-gcinterval " + std::to_string(c.gc_interval);
        if (c.expire != quantum) out += " --hashlimit-htable-expire " + std::to_string(c.expire);
        if (c.srcmask != 32) out += " --hashlimit-srcmask " + std::to_string(c.srcmask);
        if (c.dstmask != 32) out += " --hashlimit-dstmask " + std::to_string(c.dstmask);
    }

    // hashlimit_mt_print()
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Config c = read(data);
        std::uint64_t quantum = 0;
        out += c.mode & NFGATE_HASHLIMIT_INVERT ? " limit: above" : " limit: up to";
        out += format_rate(c.avg, quantum);
        out += " burst " + std::to_string(c.burst);
        if (c.mode & hash_bits) out += " mode" + format_mode(c.mode, '-');
        if (c.size) out += " htable-size " + std::to_string(c.size);
        if (c.max) out += " htable-max " + std::to_string(c.max);
        if (c.gc_interval != default_gcinterval) out += " htable-gcinterval " + std::to_string(c.gc_interval);
        if (c.expire != quantum) out += " htable-expire " + std::to_string(c.expire);
        if (c.srcmask != 32) out += " srcmask " + std::to_string(c.srcmask);
        if (c.dstmask != 32) out += " dstmask " + std::to_string(c.dstmask);
    }

private:
    static constexpr std::uint32_t hash_bits = NFGATE_HASHLIMIT_HASH_SIP | NFGATE_HASHLIMIT_HASH_SPT |
                                               NFGATE_HASHLIMIT_HASH_DIP | NFGATE_HASHLIMIT_HASH_DPT;
};

}  // namespace

const ExtKind& ext_hashlimit() {
    static const Hashlimit kind;
    return kind;
}

}  // namespace nfgate
