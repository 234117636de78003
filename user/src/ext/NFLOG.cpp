// SPDX-License-Identifier: GPL-2.0
// "NFLOG" target (libxt_NFLOG): --nflog-group 0..65535, --nflog-prefix
// (cut to 63 bytes, as iptables-legacy stores it), --nflog-size or the old
// --nflog-range 0..4294967295 (one excludes the other; only --size sets
// the COPY_LEN flag that makes the kernel use the length), and
// --nflog-threshold 0..65535. Saved as iptables 1.8.9: prefix, group
// unless 0, size or range, threshold unless 0.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

// ids as libxt_NFLOG's O_* + 1 (its excl checks go by id)
enum { GROUP = 1, PREFIX, RANGE, SIZE, THRESHOLD };

constexpr std::array<ExtOption, 5> options = {{
    {"nflog-group", 1, GROUP},
    {"nflog-prefix", 1, PREFIX},
    {"nflog-range", 1, RANGE},
    {"nflog-size", 1, SIZE},
    {"nflog-threshold", 1, THRESHOLD},
}};

std::string opt_name(int id) { return std::string(options[static_cast<std::size_t>(id - 1)].name); }

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt = opt_name(id);
        ext_check_option("NFLOG", opt, seen_ & (1U << id), ctx.invert);
        seen_ |= 1U << id;
        auto number = [&](std::uint64_t max) {
            auto n = parse_uint(arg, 0, max);
            if (!n)
                throw UsageError("NFLOG: bad value for option \"--" + opt + "\", or out of range (0-" +
                                 std::to_string(max) + ").");
            return *n;
        };
        switch (id) {
            case GROUP:
                group_ = static_cast<std::uint16_t>(number(65535));
                break;
            case PREFIX:
                if (arg.empty()) throw UsageError("Argument must have a minimum length of 1 characters");
                prefix_ = arg.substr(0, NFGATE_NFLOG_PREFIXLEN - 1);
                if (arg.find('\n') != std::string_view::npos)
                    throw UsageError("Newlines not allowed in --log-prefix");
                break;
            case RANGE:
            case SIZE:
                len_ = static_cast<std::uint32_t>(number(UINT32_MAX));
                break;
            case THRESHOLD:
                threshold_ = static_cast<std::uint16_t>(number(65535));
                break;
            default:
                break;
        }
    }
    void finish(const ExtParseContext&) override {
        // xtables_options_fcheck(): --nflog-range and --nflog-size exclude
        // each other (the first of them in the table names the conflict)
        if ((seen_ & (1U << RANGE)) && (seen_ & (1U << SIZE)))
            throw UsageError("NFLOG: option \"--nflog-range\" cannot be used together with \"--nflog-size\".");
        if (seen_ & (1U << SIZE)) flags_ |= NFGATE_NFLOG_F_COPY_LEN;
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u16(NFGATE_NFLOG_A_GROUP, group_);
        if (!prefix_.empty()) w.put_string(NFGATE_NFLOG_A_PREFIX, prefix_);
        w.put_u32(NFGATE_NFLOG_A_LEN, len_);
        w.put_u16(NFGATE_NFLOG_A_THRESHOLD, threshold_);
        w.put_u16(NFGATE_NFLOG_A_FLAGS, flags_);
        return w.take();
    }

private:
    std::uint16_t group_ = 0, threshold_ = 0, flags_ = 0;
    std::uint32_t len_ = 0;
    std::string prefix_;
    unsigned seen_ = 0;
};

// nflog_print() of libxt_NFLOG: dashes "--" for save, "" for -L.
void nflog_text(std::span<const std::uint8_t> data, std::string& out, std::string_view dashes) {
    AttrReader a(data);
    std::string prefix = a.has(NFGATE_NFLOG_A_PREFIX) ? a.string(NFGATE_NFLOG_A_PREFIX) : std::string();
    unsigned group = a.has(NFGATE_NFLOG_A_GROUP) ? a.u16(NFGATE_NFLOG_A_GROUP) : 0;
    std::uint32_t len = a.has(NFGATE_NFLOG_A_LEN) ? a.u32(NFGATE_NFLOG_A_LEN) : 0;
    unsigned threshold = a.has(NFGATE_NFLOG_A_THRESHOLD) ? a.u16(NFGATE_NFLOG_A_THRESHOLD) : 0;
    unsigned flags = a.has(NFGATE_NFLOG_A_FLAGS) ? a.u16(NFGATE_NFLOG_A_FLAGS) : 0;
    const std::string d(dashes);
    if (!prefix.empty()) {
        out += " " + d + "nflog-prefix";
        save_string(out, prefix);
    }
    if (group) out += " " + d + "nflog-group " + std::to_string(group);
    if (flags & NFGATE_NFLOG_F_COPY_LEN)
        out += " " + d + "nflog-size " + std::to_string(len);
    else if (len)
        out += " " + d + "nflog-range " + std::to_string(len);
    if (threshold) out += " " + d + "nflog-threshold " + std::to_string(threshold);
}

class Nflog final : public ExtKind {
public:
    std::string_view name() const override { return "NFLOG"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override { nflog_text(data, out, "--"); }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        nflog_text(data, out, "");
    }
};

}  // namespace

const ExtKind& ext_NFLOG() {
    static const Nflog kind;
    return kind;
}

}  // namespace nfgate
