// SPDX-License-Identifier: GPL-2.0
// "NFQUEUE" target (libxt_NFQUEUE, revision 3): --queue-num N,
// --queue-balance A:B (a missing end is 0 or 65534, the option's bounds, as
// iptables parses ranges since 1.8.11; 1.8.9 filled in 65535, which its own
// test vectors now reject), --queue-bypass, --queue-cpu-fanout (only with a
// balance).
// "QUEUE": iptables' standard target for queue 0, no options.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdlib>

namespace nfgate {

namespace {

enum { NUM = 1, BALANCE, BYPASS, CPU_FANOUT };

constexpr std::array<ExtOption, 4> options = {{
    {"queue-num", 1, NUM},
    {"queue-balance", 1, BALANCE},
    {"queue-bypass", 0, BYPASS},
    {"queue-cpu-fanout", 0, CPU_FANOUT},
}};

// xtopt_parse_mint() for XTTYPE_UINT16RC with the option's max of
// UINT16_MAX - 1: up to two ':'-separated components, each
// xtables_strtoul() up to 65534; an empty first one is 0, an empty second
// one 65534.  Returns the values.
constexpr std::uintmax_t max_queue = 65534;

std::vector<std::uint32_t> parse_u16_range(std::string_view text) {
    const std::string s(text);
    std::vector<std::uint32_t> vals;
    const char* arg = s.c_str();
    for (;;) {
        if (vals.size() == 2)
            throw UsageError("NFQUEUE: Too many components for option \"--queue-balance\" (max: 2)");
        const char* end = arg;
        std::uintmax_t v;
        if (*arg == '\0' || *arg == ':') {
            v = vals.size() == 1 ? max_queue : 0;
        } else {
            const char* p = arg;
            while (std::isspace(static_cast<unsigned char>(*p))) ++p;
            char* e = nullptr;
            errno = 0;
            v = *p == '-' ? 0 : std::strtoumax(arg, &e, 0);
            if (*p == '-' || e == arg || errno == ERANGE || v > max_queue)
                throw UsageError("NFQUEUE: bad value for option \"--queue-balance\" near \"" + std::string(arg) +
                                 "\", or out of range (0-65534).");
            end = e;
            if (*end != '\0' && *end != ':')
                throw UsageError("NFQUEUE: Argument to \"--queue-balance\" has unexpected characters near \"" +
                                 std::string(end) + "\".");
        }
        vals.push_back(static_cast<std::uint32_t>(v));
        if (*end == '\0') break;
        arg = end + 1;
    }
    return vals;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[static_cast<std::size_t>(id - 1)].name);
        ext_check_option("NFQUEUE", opt, seen_ & (1U << id), ctx.invert);
        seen_ |= 1U << id;
        switch (id) {
            case NUM: {
                auto n = parse_uint(arg, 0, 65535);
                if (!n)
                    throw UsageError("NFQUEUE: bad value for option \"--queue-num\", or out of range (0-65535).");
                num_ = static_cast<std::uint16_t>(*n);
                break;
            }
            case BALANCE: {
                auto r = parse_u16_range(arg);
                if (r.size() != 2) throw UsageError("Bad range \"" + std::string(arg) + "\"");
                if (r[0] >= r[1])
                    throw UsageError(std::to_string(r[0]) + " should be less than " + std::to_string(r[1]));
                // iptables 1.8.9 stores 65536 queues as 0, which the kernel refuses
                if (r[1] - r[0] + 1 > 65535)
                    throw UsageError("NFQUEUE: --queue-balance " + std::to_string(r[0]) + ":" + std::to_string(r[1]) +
                                     ": number of total queues is out of range");
                num_ = static_cast<std::uint16_t>(r[0]);
                total_ = static_cast<std::uint16_t>(r[1] - r[0] + 1);
                break;
            }
            case BYPASS:
                flags_ |= NFGATE_NFQUEUE_BYPASS;
                break;
            case CPU_FANOUT:
                flags_ |= NFGATE_NFQUEUE_CPU_FANOUT;
                break;
            default:
                break;
        }
    }
    void finish(const ExtParseContext&) override {
        // xtables_options_fcheck(), in option table order
        if ((seen_ & (1U << NUM)) && (seen_ & (1U << BALANCE)))
            throw UsageError("NFQUEUE: option \"--queue-num\" cannot be used together with \"--queue-balance\".");
        if ((seen_ & (1U << CPU_FANOUT)) && !(seen_ & (1U << BALANCE)))
            throw UsageError("NFQUEUE: option \"--queue-cpu-fanout\" also requires \"--queue-balance\".");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u16(NFGATE_NFQUEUE_A_NUM, num_);
        w.put_u16(NFGATE_NFQUEUE_A_TOTAL, total_);
        w.put_u32(NFGATE_NFQUEUE_A_FLAGS, flags_);
        return w.take();
    }

private:
    std::uint16_t num_ = 0, total_ = 1;
    std::uint32_t flags_ = 0;
    unsigned seen_ = 0;
};

struct Queue {
    unsigned num, total;
    std::uint32_t flags;
};

Queue read_queue(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    return {a.has(NFGATE_NFQUEUE_A_NUM) ? a.u16(NFGATE_NFQUEUE_A_NUM) : 0U,
            a.has(NFGATE_NFQUEUE_A_TOTAL) ? a.u16(NFGATE_NFQUEUE_A_TOTAL) : 1U,
            a.has(NFGATE_NFQUEUE_A_FLAGS) ? a.u32(NFGATE_NFQUEUE_A_FLAGS) : 0U};
}

class Nfqueue final : public ExtKind {
public:
    std::string_view name() const override { return "NFQUEUE"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Queue q = read_queue(data);
        if (q.total > 1)
            out += " --queue-balance " + std::to_string(q.num) + ":" + std::to_string(q.num + q.total - 1);
        else
            out += " --queue-num " + std::to_string(q.num);
        if (q.flags & NFGATE_NFQUEUE_BYPASS) out += " --queue-bypass";
        if (q.flags & NFGATE_NFQUEUE_CPU_FANOUT) out += " --queue-cpu-fanout";
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        Queue q = read_queue(data);
        if (q.total > 1)
            out += " NFQUEUE balance " + std::to_string(q.num) + ":" + std::to_string(q.num + q.total - 1);
        else
            out += " NFQUEUE num " + std::to_string(q.num);
        if (q.flags & NFGATE_NFQUEUE_BYPASS) out += " bypass";
        if (q.flags & NFGATE_NFQUEUE_CPU_FANOUT) out += " cpu-fanout";
    }
};

class QueueParser final : public ExtParser {
public:
    void parse(int, std::string_view, const ExtParseContext&) override {}
    std::vector<std::uint8_t> encode() const override { return {}; }
};

// iptables' standard verdict: "-j QUEUE" and nothing else, in save and -L.
class QueueTarget final : public ExtKind {
public:
    std::string_view name() const override { return "QUEUE"; }
    bool is_target() const override { return true; }
    std::span<const ExtOption> options() const override { return {}; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<QueueParser>(); }
    void save(std::span<const std::uint8_t>, std::string&) const override {}
    void print(std::span<const std::uint8_t>, std::string&, bool) const override {}
};

}  // namespace

const ExtKind& ext_NFQUEUE() {
    static const Nfqueue kind;
    return kind;
}

const ExtKind& ext_QUEUE() {
    static const QueueTarget kind;
    return kind;
}

}  // namespace nfgate
