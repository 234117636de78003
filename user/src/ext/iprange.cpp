// SPDX-License-Identifier: GPL-2.0
// "iprange" match (libxt_iprange, revision 1): [!] --src-range A[-B] and
// [!] --dst-range A[-B], each address as xtables_numeric_to_ipaddr()
// reads it; a single address is the range A-A, and a reversed range is
// kept with iptables' warning (it never matches).
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cstdio>

namespace nfgate {

namespace {

enum { SRC = 1, DST };

constexpr std::array<ExtOption, 2> options = {{
    {"src-range", 1, SRC},
    {"dst-range", 1, DST},
}};

struct Range {
    bool on = false, inv = false;
    std::uint32_t min = 0, max = 0;  // host order
};

std::string dotted(std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." +
           std::to_string((a >> 8) & 0xFF) + "." + std::to_string(a & 0xFF);
}

// iprange_parse_range(): split at the first '-'; the bad part is named.
Range parse_range(std::string_view arg, const std::string& opt) {
    auto one = [&](std::string_view spec) {
        auto a = parse_numeric_ipv4(spec);
        if (!a)
            throw UsageError("iprange: Bad value for \"" + opt + "\" option: \"" + std::string(spec) + "\"");
        return *a;
    };
    Range r;
    r.on = true;
    auto dash = arg.find('-');
    if (dash == std::string_view::npos) {
        r.min = r.max = one(arg);
        return r;
    }
    r.min = one(arg.substr(0, dash));
    r.max = one(arg.substr(dash + 1));
    if (r.min > r.max)
        std::fprintf(stderr, "xt_iprange: range %s-%s is reversed and will never match\n",
                     std::string(arg.substr(0, dash)).c_str(), std::string(arg.substr(dash + 1)).c_str());
    return r;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[static_cast<std::size_t>(id - 1)].name);
        Range& r = id == SRC ? src_ : dst_;
        ext_check_option("iprange", opt, r.on, ctx.invert, true);
        r = parse_range(arg, "--" + opt);
        r.inv = ctx.invert;
    }
    void finish(const ExtParseContext&) override {
        if (!src_.on && !dst_.on)
            throw UsageError("iprange match: You must specify `--src-range' or `--dst-range'");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        if (src_.on) {
            w.put_be32(NFGATE_IPRANGE_A_SRC_MIN, src_.min);
            w.put_be32(NFGATE_IPRANGE_A_SRC_MAX, src_.max);
            if (src_.inv) w.put_flag(NFGATE_IPRANGE_A_SRC_INV);
        }
        if (dst_.on) {
            w.put_be32(NFGATE_IPRANGE_A_DST_MIN, dst_.min);
            w.put_be32(NFGATE_IPRANGE_A_DST_MAX, dst_.max);
            if (dst_.inv) w.put_flag(NFGATE_IPRANGE_A_DST_INV);
        }
        return w.take();
    }

private:
    Range src_, dst_;
};

struct Info {
    Range src, dst;
};

Info read_info(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    Info i;
    if (a.has(NFGATE_IPRANGE_A_SRC_MIN))
        i.src = {true, a.has(NFGATE_IPRANGE_A_SRC_INV), a.be32(NFGATE_IPRANGE_A_SRC_MIN),
                 a.be32(NFGATE_IPRANGE_A_SRC_MAX)};
    if (a.has(NFGATE_IPRANGE_A_DST_MIN))
        i.dst = {true, a.has(NFGATE_IPRANGE_A_DST_INV), a.be32(NFGATE_IPRANGE_A_DST_MIN),
                 a.be32(NFGATE_IPRANGE_A_DST_MAX)};
    return i;
}

class Iprange final : public ExtKind {
public:
    std::string_view name() const override { return "iprange"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Info i = read_info(data);
        for (const auto& [r, opt] : {std::pair{i.src, " --src-range "}, std::pair{i.dst, " --dst-range "}}) {
            if (!r.on) continue;
            if (r.inv) out += " !";
            out += opt + dotted(r.min) + "-" + dotted(r.max);
        }
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Info i = read_info(data);
        for (const auto& [r, label] :
             {std::pair{i.src, " source IP range"}, std::pair{i.dst, " destination IP range"}}) {
            if (!r.on) continue;
            out += label;
            if (r.inv) out += " !";
            out += " " + dotted(r.min) + "-" + dotted(r.max);
        }
    }
};

}  // namespace

const ExtKind& ext_iprange() {
    static const Iprange kind;
    return kind;
}

}  // namespace nfgate
