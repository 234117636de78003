// SPDX-License-Identifier: GPL-2.0
// "multiport" match (libxt_multiport revision 1, iptables 1.8.9):
// [!] --source-ports/--sports, --destination-ports/--dports or --ports
// with up to 15 entries, "LO:HI" ranges taking two. Needs -p tcp, udp,
// udplite, sctp or dccp (not inverted) before the option, as iptables
// checks it while parsing.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/rule.hpp"

#include <linux/nfgate.h>
#include <netdb.h>
#include <netinet/in.h>

#include <array>
#include <cstring>

namespace nfgate {

namespace {

enum { SOURCE = 1, DEST, EITHER };

constexpr std::array<ExtOption, 5> options = {{
    {"source-ports", 1, SOURCE},
    {"sports", 1, SOURCE},
    {"destination-ports", 1, DEST},
    {"dports", 1, DEST},
    {"ports", 1, EITHER},
}};

// The first option of an id names it in messages, as xtables_option_lookup.
std::string_view option_name(int id) {
    for (const auto& o : options)
        if (o.id == id) return o.name;
    return "";
}

const char* proto_to_name(std::uint8_t proto) {
    switch (proto) {
        case 6:
            return "tcp";
        case 17:
            return "udp";
        case 136:
            return "udplite";
        case 132:
            return "sctp";
        case 33:
            return "dccp";
        default:
            return nullptr;
    }
}

std::string port_text(std::uint16_t port, const char* proto, bool numeric) {
    if (!numeric)
        if (const servent* se = getservbyport(htons(port), proto)) return se->s_name;
    return std::to_string(port);
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        unsigned bit = 1U << id;
        if (xflags_ & bit)
            throw UsageError("multiport: option \"--" + std::string(option_name(id)) + "\" can only be used once.");
        const char* proto = check_proto(ctx.rule);
        parse_ports(arg, proto);
        dir_ = id == SOURCE ? NFGATE_MULTIPORT_SRC : id == DEST ? NFGATE_MULTIPORT_DST : NFGATE_MULTIPORT_EITHER;
        if (ctx.invert) invert_ = true;
        xflags_ |= bit;
    }
    void finish(const ExtParseContext&) override {
        if (!xflags_) throw UsageError("multiport expection an option");
        // xtables_options_fcheck(): the options exclude each other.
        for (int id = SOURCE; id <= EITHER; ++id) {
            if (!(xflags_ & (1U << id))) continue;
            for (int other = SOURCE; other <= EITHER; ++other)
                if (other != id && (xflags_ & (1U << other)))
                    throw UsageError("multiport: option \"--" + std::string(option_name(id)) +
                                     "\" cannot be used together with \"--" + std::string(option_name(other)) +
                                     "\".");
        }
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_MULTIPORT_A_DIR, dir_);
        w.put(NFGATE_MULTIPORT_A_PORTS, ports_.data(), count_ * sizeof(std::uint16_t));
        w.put_u16(NFGATE_MULTIPORT_A_RANGES, ranges_);
        if (invert_) w.put_flag(NFGATE_MULTIPORT_A_INV);
        return w.take();
    }

private:
    static const char* check_proto(const RuleSpec& rule) {
        if (rule.proto && rule.proto->invert)
            throw UsageError("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
        if (const char* name = proto_to_name(rule.proto_num())) return name;
        if (rule.proto_num() == 0)
            throw UsageError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
        throw UsageError("multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
    }

    // parse_multi_ports_v1()
    void parse_ports(std::string_view text, const char* proto) {
        ranges_ = 0;
        std::size_t i = 0;
        std::size_t pos = 0;
        bool more = true;
        for (; more && i < NFGATE_MULTIPORT_MAX; ++i) {
            auto comma = text.find(',', pos);
            std::string_view item = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
            more = comma != std::string_view::npos;
            pos = more ? comma + 1 : text.size();
            auto colon = item.find(':');
            if (colon != std::string_view::npos && i == NFGATE_MULTIPORT_MAX - 1)
                throw UsageError("too many ports specified");
            ports_[i] = parse_port(item.substr(0, colon), proto);
            if (colon != std::string_view::npos) {
                ranges_ |= static_cast<std::uint16_t>(1U << i);
                ++i;
                ports_[i] = parse_port(item.substr(colon + 1), proto);
                if (ports_[i - 1] >= ports_[i]) throw UsageError("invalid portrange specified");
            }
        }
        count_ = i;
        if (more) throw UsageError("too many ports specified");
        for (std::size_t j = count_; j < ports_.size(); ++j) ports_[j] = 0;
    }

    std::array<std::uint16_t, NFGATE_MULTIPORT_MAX> ports_{};
    std::size_t count_ = 0;
    std::uint16_t ranges_ = 0;
    std::uint8_t dir_ = NFGATE_MULTIPORT_SRC;
    bool invert_ = false;
    unsigned xflags_ = 0;
};

struct Decoded {
    std::uint8_t dir;
    std::vector<std::uint16_t> ports;
    std::uint16_t ranges;
    bool invert;
};

Decoded decode(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    Decoded d{a.u8(NFGATE_MULTIPORT_A_DIR), {}, 0, a.has(NFGATE_MULTIPORT_A_INV)};
    auto raw = a.raw(NFGATE_MULTIPORT_A_PORTS);
    d.ports.resize(raw.size() / sizeof(std::uint16_t));
    if (!d.ports.empty()) std::memcpy(d.ports.data(), raw.data(), d.ports.size() * sizeof(std::uint16_t));
    if (a.has(NFGATE_MULTIPORT_A_RANGES)) d.ranges = a.u16(NFGATE_MULTIPORT_A_RANGES);
    return d;
}

void port_list(const Decoded& d, const char* proto, bool numeric, std::string& out) {
    for (std::size_t i = 0; i < d.ports.size(); ++i) {
        if (i) out += ',';
        out += port_text(d.ports[i], proto, numeric);
        if ((d.ranges & (1U << i)) && i + 1 < d.ports.size()) {
            out += ':';
            out += port_text(d.ports[++i], proto, numeric);
        }
    }
}

class Multiport final : public ExtKind {
public:
    std::string_view name() const override { return "multiport"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        Decoded d = decode(data);
        if (d.invert) out += " !";
        static constexpr const char* opt[] = {" --sports ", " --dports ", " --ports "};
        if (d.dir <= NFGATE_MULTIPORT_EITHER) out += opt[d.dir];
        port_list(d, nullptr, true, out);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const override {
        print_proto(data, out, numeric, nullptr);
    }
    void print_in(const RuleSpec& rule, std::span<const std::uint8_t> data, std::string& out,
                  bool numeric) const override {
        print_proto(data, out, numeric, proto_to_name(rule.proto_num()));
    }

private:
    // __multiport_print_v1(): " multiport dports " then " !" when inverted.
    static void print_proto(std::span<const std::uint8_t> data, std::string& out, bool numeric, const char* proto) {
        Decoded d = decode(data);
        static constexpr const char* dir[] = {"sports ", "dports ", "ports "};
        out += " multiport ";
        out += d.dir <= NFGATE_MULTIPORT_EITHER ? dir[d.dir] : "ERROR ";
        if (d.invert) out += " !";
        port_list(d, proto, numeric, out);
    }
};

}  // namespace

const ExtKind& ext_multiport() {
    static const Multiport kind;
    return kind;
}

}  // namespace nfgate
