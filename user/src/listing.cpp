// SPDX-License-Identifier: GPL-2.0
// iptables -L / -S / -v output, reproduced from iptables' format flags
// (FMT_NUMERIC, FMT_NOCOUNTS, FMT_KILOMEGAGIGA, FMT_OPTIONS, FMT_NOTABLE,
// FMT_VIA, FMT_LINENUMBERS).
#include "nfgate/listing.hpp"

#include "nfgate/format.hpp"

#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace nfgate {

namespace {

enum : unsigned {
    FMT_NUMERIC = 0x0001,
    FMT_NOCOUNTS = 0x0002,
    FMT_KILOMEGAGIGA = 0x0004,
    FMT_OPTIONS = 0x0008,
    FMT_NOTABLE = 0x0010,
    FMT_NOTARGET = 0x0020,
    FMT_VIA = 0x0040,
    FMT_NONEWLINE = 0x0080,
    FMT_LINENUMBERS = 0x0100,
    FMT_PRINT_RULE = FMT_NOCOUNTS | FMT_OPTIONS | FMT_VIA | FMT_NUMERIC | FMT_NOTABLE,
};

__attribute__((format(printf, 2, 3))) void appendf(std::string& out, const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = std::vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0)
        out.append(buf,
                   static_cast<std::size_t>(n) < sizeof(buf) ? static_cast<std::size_t>(n) : sizeof(buf) - 1);
}

void print_num(std::string& out, std::uint64_t number, unsigned format) {
    bool notable = format & FMT_NOTABLE;
    auto n = static_cast<unsigned long long>(number);
    if (!(format & FMT_KILOMEGAGIGA)) {
        appendf(out, notable ? "%llu " : "%8llu ", n);
        return;
    }
    if (n <= 99999) {
        appendf(out, notable ? "%llu " : "%5llu ", n);
        return;
    }
    static constexpr char units[] = {'K', 'M', 'G'};
    for (char u : units) {
        n = (n + 500) / 1000;
        if (n <= 9999) {
            appendf(out, notable ? "%llu%c " : "%4llu%c ", n, u);
            return;
        }
    }
    n = (n + 500) / 1000;
    appendf(out, notable ? "%llu%c " : "%4llu%c ", n, 'T');
}

unsigned list_format(const ListOptions& o) {
    unsigned f = FMT_OPTIONS;
    f |= o.verbose ? FMT_VIA : FMT_NOCOUNTS;
    if (o.numeric) f |= FMT_NUMERIC;
    if (!o.exact) f |= FMT_KILOMEGAGIGA;
    if (o.line_numbers) f |= FMT_LINENUMBERS;
    return f;
}

std::string addr_to_string(const std::optional<AddrMatch>& a, unsigned format) {
    std::uint32_t addr = a ? a->addr & a->mask : 0, mask = a ? a->mask : 0;
    if (mask == 0 && !(format & FMT_NUMERIC)) return "anywhere";
    std::string s = format_ipv4(addr);
    if (mask == 0xFFFFFFFFU) return s;
    std::uint32_t bits = 0xFFFFFFFFU;
    for (int i = 32; i >= 0; --i, bits <<= 1)
        if (bits == mask || (i == 0 && mask == 0)) return s + "/" + std::to_string(i);
    return s + "/" + format_ipv4(mask);
}

std::string port_name(std::uint16_t port, bool numeric, const char* proto) {
    if (!numeric)
        if (const servent* se = getservbyport(htons(port), proto)) return se->s_name;
    return std::to_string(port);
}

void print_ports(std::string& out, const char* name, const PortRange& p, bool numeric, const char* proto) {
    if (p.is_any()) return;
    const char* inv = p.invert ? "!" : "";
    if (p.min == p.max)
        out += std::string(" ") + name + ":" + inv + port_name(p.min, numeric, proto);
    else
        out += std::string(" ") + name + "s:" + inv + port_name(p.min, numeric, proto) + ":" +
               port_name(p.max, numeric, proto);
}

std::string target_name(const Target& t) {
    if (t.verdict == Verdict::jump || t.verdict == Verdict::go_to) return t.chain;
    if (t.verdict == Verdict::ext) return std::string(t.ext.kind->name());
    return std::string(verdict_name(t.verdict));
}

std::string print_firewall(const RuleSpec& r, std::uint32_t num, unsigned format) {
    std::string out;
    bool notable = format & FMT_NOTABLE;
    bool numeric = format & FMT_NUMERIC;
    // print_rule_details
    if (format & FMT_LINENUMBERS) appendf(out, notable ? "%u " : "%-4u ", num);
    if (!(format & FMT_NOCOUNTS)) {
        Counters c = r.counters.value_or(Counters{});
        print_num(out, c.packets, format);
        print_num(out, c.bytes, format);
    }
    if (!(format & FMT_NOTARGET)) appendf(out, notable ? "%s " : "%-9s ", target_name(r.target).c_str());
    out += r.proto && r.proto->invert ? '!' : ' ';
    // iptables 1.8.9 prints the number in -n tables (later versions
    // went back to names); the VM's iptables-legacy is 1.8.9.
    if (numeric && !notable)
        appendf(out, "%-4u ", static_cast<unsigned>(r.proto_num()));
    else
        appendf(out, notable ? "%s " : "%-4s ", proto_to_name(r.proto_num(), !numeric).c_str());
    // print_fragment
    if (format & FMT_OPTIONS) {
        if (notable) out += "opt ";
        out += "-- ";
    }
    // print_ifaces
    if (format & FMT_VIA) {
        const char* any = numeric ? "*" : "any";
        auto iface = [&](const std::optional<IfaceMatch>& i) {
            std::string s = i && i->invert ? "!" : "";
            s += i && !i->name.empty() ? i->name : any;
            return s;
        };
        appendf(out, notable ? "in %s " : " %-6s ", iface(r.in).c_str());
        appendf(out, notable ? "out %s " : "%-6s ", iface(r.out).c_str());
    }
    // print_ipv4_addresses
    out += r.src && r.src->invert ? '!' : ' ';
    appendf(out, notable ? "%s " : "%-19s ", addr_to_string(r.src, format).c_str());
    out += r.dst && r.dst->invert ? '!' : ' ';
    appendf(out, notable ? "-> %s" : "%-19s ", addr_to_string(r.dst, format).c_str());
    if (notable) out += "  ";
    if (r.target.verdict == Verdict::go_to) out += "[goto] ";
    for (std::size_t i = 0; i <= r.matches.size(); ++i) {
        if (r.l4 && i == std::min(r.l4_pos, r.matches.size())) {
            const char* proto = r.proto_num() == 17 ? "udp" : "tcp";
            out += std::string(" ") + proto;
            print_ports(out, "spt", r.l4->sport, numeric, proto);
            print_ports(out, "dpt", r.l4->dport, numeric, proto);
            if (r.l4->option || r.l4->option_invert)
                out += std::string(" option=") + (r.l4->option_invert ? "!" : "") + std::to_string(r.l4->option);
            if (r.l4->flags_mask || r.l4->flags_invert) {
                out += std::string(" flags:") + (r.l4->flags_invert ? "!" : "");
                if (numeric)
                    appendf(out, "0x%02X/0x%02X", r.l4->flags_mask, r.l4->flags_comp);
                else
                    out += format_tcp_flags(r.l4->flags_mask) + "/" + format_tcp_flags(r.l4->flags_comp);
            }
        }
        if (i == r.matches.size()) break;
        r.matches[i].kind->print_in(r, r.matches[i].data, out, numeric);
    }
    if (r.target.verdict == Verdict::ext) r.target.ext.kind->print(r.target.ext.data, out, numeric);
    if (!(format & FMT_NONEWLINE)) out += '\n';
    return out;
}

std::string header(const ChainInfo& c, unsigned format) {
    std::string out = "Chain " + c.name;
    if (c.builtin) {
        out += " (policy " + std::string(verdict_name(c.policy));
        if (!(format & FMT_NOCOUNTS)) {
            out += ' ';
            print_num(out, c.counters.packets, format | FMT_NOTABLE);
            out += "packets, ";
            print_num(out, c.counters.bytes, format | FMT_NOTABLE);
            out += "bytes";
        }
        out += ")\n";
    } else {
        out += " (" + std::to_string(c.refs) + " references)\n";
    }
    if (format & FMT_LINENUMBERS) appendf(out, "%-4s ", "num");
    if (!(format & FMT_NOCOUNTS)) {
        if (format & FMT_KILOMEGAGIGA) {
            appendf(out, "%5s ", "pkts");
            appendf(out, "%5s ", "bytes");
        } else {
            appendf(out, "%8s ", "pkts");
            appendf(out, "%10s ", "bytes");
        }
    }
    if (!(format & FMT_NOTARGET)) appendf(out, "%-9s ", "target");
    out += " prot ";
    if (format & FMT_OPTIONS) out += "opt";
    if (format & FMT_VIA) {
        appendf(out, " %-6s ", "in");
        appendf(out, "%-6s ", "out");
    }
    appendf(out, " %-19s ", "source");
    appendf(out, " %-19s ", "destination");
    out += "\n";
    return out;
}

}  // namespace

std::string format_count(std::uint64_t n, bool exact, bool notable) {
    std::string out;
    print_num(out, n, (exact ? 0U : FMT_KILOMEGAGIGA) | (notable ? FMT_NOTABLE : 0U));
    return out;
}

std::string list_chain_header(const ChainInfo& c, const ListOptions& o) { return header(c, list_format(o)); }

std::string list_rule_row(const RuleSpec& r, std::uint32_t num, const ListOptions& o) {
    return print_firewall(r, num, list_format(o));
}

std::string list_table(const TableSnapshot& t, const std::string& chain, std::uint32_t rulenum,
                       const ListOptions& o) {
    unsigned format = list_format(o);
    std::string out;
    bool found = false;
    const RulesByChain by_chain = t.rules_by_chain();
    for (const auto& c : t.chains) {
        if (!chain.empty() && c.name != chain) continue;
        if (found) out += "\n";
        if (!rulenum) out += header(c, format);
        for (const auto* r : by_chain[c.name])
            if (!rulenum || r->position == rulenum) out += print_firewall(r->rule, r->position, format);
        found = true;
    }
    return out;
}

std::string print_rule_verbose(const RuleSpec& r) { return print_firewall(r, 0, FMT_PRINT_RULE); }

std::string list_rules(const TableSnapshot& t, const std::string& chain, std::uint32_t rulenum,
                       bool counters) {
    std::string out;
    if (!rulenum) {
        for (const auto& c : t.chains) {
            if (!chain.empty() && c.name != chain) continue;
            if (c.builtin)
                out += format_policy(c.name, c.policy,
                                     counters ? std::optional<Counters>(c.counters) : std::nullopt) +
                       "\n";
            else
                out += "-N " + c.name + "\n";
        }
    }
    const RulesByChain by_chain = t.rules_by_chain();
    for (const auto& c : t.chains) {
        if (!chain.empty() && c.name != chain) continue;
        for (const auto* r : by_chain[c.name])
            if (!rulenum || r->position == rulenum)
                out += format_append(c.name, r->rule, counters ? CounterStyle::option : CounterStyle::none) +
                       "\n";
    }
    return out;
}

}  // namespace nfgate
