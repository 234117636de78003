// SPDX-License-Identifier: GPL-2.0
// "statistic" match (libxt_statistic): --mode random [!] --probability P,
// --mode nth [!] --every N --packet P.  The probability travels as
// libxt_statistic's threshold, lround(0x80000000 * P), and prints back as
// threshold / 0x80000000 with 11 decimals.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nfgate {

namespace {

enum { O_MODE = 0, O_PROBABILITY, O_EVERY, O_PACKET };

constexpr std::array<ExtOption, 4> options = {{
    {"mode", 1, O_MODE + 1},
    {"probability", 1, O_PROBABILITY + 1},
    {"every", 1, O_EVERY + 1},
    {"packet", 1, O_PACKET + 1},
}};

struct Entry {
    int id;
    unsigned excl, also;
    bool invertible;
};
constexpr std::array<Entry, 4> table = {{
    {O_MODE, 0, 0, false},
    {O_PROBABILITY, 1U << O_EVERY | 1U << O_PACKET, 0, true},
    {O_EVERY, 1U << O_PROBABILITY, 1U << O_PACKET, true},
    {O_PACKET, 1U << O_PROBABILITY, 1U << O_EVERY, false},
}};

std::string opt_name(int o) { return std::string(options[static_cast<std::size_t>(o)].name); }

std::string prob_text(std::uint32_t threshold) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.11f", 1.0 * threshold / 0x80000000);
    return buf;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        int o = id - 1;
        std::string name = opt_name(o);
        if (ctx.invert) invert_ = true;
        if (xflags_ & (1U << o)) throw UsageError("statistic: option \"--" + name + "\" can only be used once.");
        if (ctx.invert && !table[static_cast<std::size_t>(o)].invertible)
            throw UsageError("statistic: option \"--" + name + "\" cannot be inverted.");
        switch (o) {
            case O_MODE:
                if (arg == "random")
                    mode_ = NFGATE_STATISTIC_RANDOM;
                else if (arg == "nth")
                    mode_ = NFGATE_STATISTIC_NTH;
                else
                    throw UsageError("Bad mode \"" + std::string(arg) + "\"");
                break;
            case O_PROBABILITY: {
                std::string s(arg);
                char* end = nullptr;
                double v = std::strtod(s.c_str(), &end);
                // iptables also takes "nan"; nfgate does not.
                if (end == s.c_str() || *end != '\0' || !(v >= 0 && v <= 1))
                    throw UsageError("statistic: bad value for option \"--probability\", or out of range (0-1).");
                prob_ = static_cast<std::uint32_t>(std::lround(0x80000000 * v));
                break;
            }
            case O_EVERY: {
                auto v = parse_uint(arg, 1, UINT32_MAX);
                if (!v) throw UsageError("statistic: bad value for option \"--every\", or out of range (1-4294967295).");
                every_ = static_cast<std::uint32_t>(*v);
                break;
            }
            case O_PACKET: {
                auto v = parse_uint(arg, 0, UINT32_MAX);
                if (!v) throw UsageError("statistic: bad value for option \"--packet\", or out of range (0-4294967295).");
                packet_ = static_cast<std::uint32_t>(*v);
                break;
            }
        }
        xflags_ |= 1U << o;
    }
    void finish(const ExtParseContext&) override {
        // statistic_check(), then xtables_options_fcheck(), as iptables.
        if (mode_ == NFGATE_STATISTIC_RANDOM && !(xflags_ & (1U << O_PROBABILITY)))
            throw UsageError("--probability must be specified when using random mode");
        if (mode_ == NFGATE_STATISTIC_NTH && !(xflags_ & (1U << O_EVERY | 1U << O_PACKET)))
            throw UsageError("--every and --packet must be specified when using nth mode");
        // libxt_statistic compares with every - 1, or 0 without --every.
        if (packet_ > (xflags_ & (1U << O_EVERY) ? every_ - 1U : 0U)) throw UsageError("the --packet p must be 0 <= p <= n-1");
        for (const auto& e : table) {
            if (e.id == O_MODE && !(xflags_ & 1U))
                throw UsageError("statistic: option \"--mode\" must be specified");
            if (!(xflags_ & (1U << e.id))) continue;
            for (int i = 0; i < 4; ++i) {
                if (i == e.id) continue;
                if ((e.excl & (1U << i)) && (xflags_ & (1U << i)))
                    throw UsageError("statistic: option \"--" + opt_name(e.id) +
                                     "\" cannot be used together with \"--" + opt_name(i) + "\".");
                if ((e.also & (1U << i)) && !(xflags_ & (1U << i)))
                    throw UsageError("statistic: option \"--" + opt_name(e.id) + "\" also requires \"--" +
                                     opt_name(i) + "\".");
            }
        }
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_STATISTIC_A_MODE, mode_);
        if (invert_) w.put_flag(NFGATE_STATISTIC_A_INV);
        if (mode_ == NFGATE_STATISTIC_RANDOM) {
            w.put_u32(NFGATE_STATISTIC_A_PROBABILITY, prob_);
        } else {
            w.put_u32(NFGATE_STATISTIC_A_EVERY, every_);
            w.put_u32(NFGATE_STATISTIC_A_PACKET, packet_);
        }
        return w.take();
    }

private:
    std::uint8_t mode_ = NFGATE_STATISTIC_RANDOM;
    bool invert_ = false;
    std::uint32_t prob_ = 0, every_ = 0, packet_ = 0;
    unsigned xflags_ = 0;
};

void dump(std::span<const std::uint8_t> data, std::string& out, const char* pfx) {
    AttrReader a(data);
    const char* inv = a.has(NFGATE_STATISTIC_A_INV) ? " !" : "";
    std::string p(pfx);
    if (a.u8(NFGATE_STATISTIC_A_MODE) == NFGATE_STATISTIC_RANDOM) {
        out += " " + p + "mode random" + inv + " " + p + "probability " +
               prob_text(a.u32(NFGATE_STATISTIC_A_PROBABILITY));
        return;
    }
    std::uint32_t packet = a.u32(NFGATE_STATISTIC_A_PACKET);
    out += " " + p + "mode nth" + inv + " " + p + "every " + std::to_string(a.u32(NFGATE_STATISTIC_A_EVERY));
    if (packet || !p.empty()) out += " " + p + "packet " + std::to_string(packet);
}

class Statistic final : public ExtKind {
public:
    std::string_view name() const override { return "statistic"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override { dump(data, out, "--"); }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " statistic";
        dump(data, out, "");
    }
};

}  // namespace

const ExtKind& ext_statistic() {
    static const Statistic kind;
    return kind;
}

}  // namespace nfgate
