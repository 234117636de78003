// SPDX-License-Identifier: GPL-2.0
// "LOG" target (libxt_LOG): --log-level (0..7 or a syslog name),
// --log-prefix (cut to 29 bytes as xtables does), and the flag options.
// Saved as iptables 1.8 does: the prefix first (xtables_save_string), the
// level only when it is not the default 4, then the flags.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

enum { LEVEL = 1, PREFIX, TCPSEQ, TCPOPTS, IPOPTS, UID, MACDECODE };

constexpr std::array<ExtOption, 7> options = {{
    {"log-level", 1, LEVEL},
    {"log-prefix", 1, PREFIX},
    {"log-tcp-sequence", 0, TCPSEQ},
    {"log-tcp-options", 0, TCPOPTS},
    {"log-ip-options", 0, IPOPTS},
    {"log-uid", 0, UID},
    {"log-macdecode", 0, MACDECODE},
}};

constexpr std::uint8_t default_level = 4;  // LOG_WARNING

struct Flag {
    std::uint32_t bit;
    std::string_view save;  // " --log-tcp-sequence"
    std::string_view print; // " tcp-sequence"
};

constexpr std::array<Flag, 5> flags = {{
    {NFGATE_LOG_TCPSEQ, " --log-tcp-sequence", " tcp-sequence"},
    {NFGATE_LOG_TCPOPT, " --log-tcp-options", " tcp-options"},
    {NFGATE_LOG_IPOPT, " --log-ip-options", " ip-options"},
    {NFGATE_LOG_UID, " --log-uid", " uid"},
    {NFGATE_LOG_MACDECODE, " --log-macdecode", " macdecode"},
}};

// xtopt_parse_sysloglevel's names (exact, case matters).
std::optional<std::uint8_t> level_by_name(std::string_view s) {
    static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 9> names = {{
        {"alert", 1}, {"crit", 2}, {"debug", 7}, {"emerg", 0}, {"error", 3},
        {"info", 6}, {"notice", 5}, {"panic", 0}, {"warning", 4},
    }};
    for (const auto& [n, v] : names)
        if (n == s) return v;
    return std::nullopt;
}

// glibc's prioritynames[], first name of each value, as priority2name().
std::string_view level_name(std::uint8_t level) {
    static constexpr std::array<std::string_view, 8> names = {
        "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"};
    return level < names.size() ? names[level] : std::string_view{};
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[static_cast<std::size_t>(id - 1)].name);
        ext_check_option("LOG", opt, seen_ & (1U << id), ctx.invert);
        seen_ |= 1U << id;
        switch (id) {
            case LEVEL:
                if (auto n = parse_uint(arg, 0, 7)) {
                    level_ = static_cast<std::uint8_t>(*n);
                } else if (auto l = level_by_name(arg)) {
                    level_ = *l;
                } else {
                    throw UsageError("log level \"" + std::string(arg) + "\" unknown");
                }
                break;
            case PREFIX:
                if (arg.empty()) throw UsageError("Argument must have a minimum length of 1 characters");
                if (arg.find('\n') != std::string_view::npos)
                    throw UsageError("Newlines not allowed in --log-prefix");
                prefix_ = arg.substr(0, NFGATE_LOG_PREFIXLEN - 1);
                break;
            default:
                flags_ |= flags[static_cast<std::size_t>(id - TCPSEQ)].bit;
                break;
        }
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_LOG_A_LEVEL, level_);
        w.put_u32(NFGATE_LOG_A_FLAGS, flags_);
        if (!prefix_.empty()) w.put_string(NFGATE_LOG_A_PREFIX, prefix_);
        return w.take();
    }

private:
    std::uint8_t level_ = default_level;
    std::uint32_t flags_ = 0;
    std::string prefix_;
    unsigned seen_ = 0;
};

class Log final : public ExtKind {
public:
    std::string_view name() const override { return "LOG"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        AttrReader a(data);
        if (a.has(NFGATE_LOG_A_PREFIX)) {
            std::string p = a.string(NFGATE_LOG_A_PREFIX);
            if (!p.empty()) {
                out += " --log-prefix";
                save_string(out, p);
            }
        }
        std::uint8_t level = a.has(NFGATE_LOG_A_LEVEL) ? a.u8(NFGATE_LOG_A_LEVEL) : default_level;
        if (level != default_level) out += " --log-level " + std::to_string(level);
        std::uint32_t f = a.has(NFGATE_LOG_A_FLAGS) ? a.u32(NFGATE_LOG_A_FLAGS) : 0;
        for (const auto& fl : flags)
            if (f & fl.bit) out += fl.save;
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const override {
        AttrReader a(data);
        std::uint8_t level = a.has(NFGATE_LOG_A_LEVEL) ? a.u8(NFGATE_LOG_A_LEVEL) : default_level;
        std::uint32_t f = a.has(NFGATE_LOG_A_FLAGS) ? a.u32(NFGATE_LOG_A_FLAGS) : 0;
        out += " LOG";
        if (numeric) {
            out += " flags " + std::to_string(f) + " level " + std::to_string(level);
        } else {
            std::string_view n = level_name(level);
            if (!n.empty())
                out += " level " + std::string(n);
            else
                out += " UNKNOWN level " + std::to_string(level);
            for (const auto& fl : flags)
                if (f & fl.bit) out += fl.print;
            if (f & ~std::uint32_t{NFGATE_LOG_FLAGS}) out += " unknown-flags";
        }
        if (a.has(NFGATE_LOG_A_PREFIX)) {
            std::string p = a.string(NFGATE_LOG_A_PREFIX);
            if (!p.empty()) out += " prefix \"" + p + "\"";
        }
    }
};

}  // namespace

const ExtKind& ext_LOG() {
    static const Log kind;
    return kind;
}

}  // namespace nfgate
