// SPDX-License-Identifier: GPL-2.0
// "length" match (libxt_length): [!] --length MIN[:MAX], an
// XTTYPE_UINT16RC option: an empty bound is 0 (MIN) or 65535 (MAX), and
// MAX below MIN is refused, as iptables 1.8.10 and later do (30a7f112;
// its .t vectors say so; 1.8.9 kept such a rule, which never matched).
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdlib>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"length", 1, 1}}};

// xtables_strtoul(): no sign, base 0; *end is where the number stopped.
bool strtoul_prefix(const char* s, const char** end, std::uintmax_t& v, std::uintmax_t min, std::uintmax_t max) {
    const char* p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
    if (*p == '-') return false;
    char* e = nullptr;
    errno = 0;
    v = std::strtoumax(s, &e, 0);
    if (e == s) return false;
    *end = e;
    return errno != ERANGE && v >= min && v <= max;
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("length", "length", seen_, ctx.invert, true);
        seen_ = true;
        invert_ = ctx.invert;
        // xtopt_parse_mint() with at most two components
        const std::string text(arg);
        const std::uintmax_t lmax = 0xFFFF;
        std::uintmax_t lmin = 0, vals[2] = {0, 0};
        unsigned n = 0;
        const char* end = text.c_str();
        for (const char* a = text.c_str();; a = end + 1) {
            if (n == 2)
                throw UsageError("length: Too many components for option \"--length\" (max: 2)");
            std::uintmax_t v;
            if (*a == '\0' || *a == ':') {
                end = a;
                v = n == 1 ? lmax : lmin;
            } else {
                if (!strtoul_prefix(a, &end, v, lmin, lmax))
                    throw UsageError("length: bad value for option \"--length\" near \"" + std::string(a) +
                                     "\", or out of range (" + std::to_string(lmin) + "-" +
                                     std::to_string(lmax) + ").");
                if (*end != '\0' && *end != ':')
                    throw UsageError("length: Argument to \"--length\" has unexpected characters near \"" +
                                     std::string(end) + "\".");
                lmin = v;
            }
            vals[n++] = v;
            if (*end == '\0') break;
        }
        min_ = static_cast<std::uint16_t>(vals[0]);
        max_ = n >= 2 ? static_cast<std::uint16_t>(vals[1]) : min_;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("length: option \"--length\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u16(NFGATE_LENGTH_A_MIN_LEN, min_);
        w.put_u16(NFGATE_LENGTH_A_MAX_LEN, max_);
        if (invert_) w.put_flag(NFGATE_LENGTH_A_INV);
        return w.take();
    }

private:
    std::uint16_t min_ = 0, max_ = 0;
    bool invert_ = false, seen_ = false;
};

std::string range_text(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    auto min = a.u16(NFGATE_LENGTH_A_MIN_LEN), max = a.u16(NFGATE_LENGTH_A_MAX_LEN);
    return min == max ? std::to_string(min) : std::to_string(min) + ":" + std::to_string(max);
}

class Length final : public ExtKind {
public:
    std::string_view name() const override { return "length"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        if (AttrReader(data).has(NFGATE_LENGTH_A_INV)) out += " !";
        out += " --length " + range_text(data);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " length ";
        if (AttrReader(data).has(NFGATE_LENGTH_A_INV)) out += "!";
        out += range_text(data);
    }
};

}  // namespace

const ExtKind& ext_length() {
    static const Length kind;
    return kind;
}

}  // namespace nfgate
