// SPDX-License-Identifier: GPL-2.0
// iptables-save rule text: save_ipv4_addr, save_rule_details, the tcp/udp
// match save functions and the target part, in iptables' order.
#include "nfgate/format.hpp"

#include <algorithm>

namespace nfgate {

std::string format_ipv4(std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." +
           std::to_string((a >> 8) & 0xFF) + "." + std::to_string(a & 0xFF);
}

std::string format_mask_save(std::uint32_t mask) {
    if (mask == 0xFFFFFFFFU) return "32";
    std::uint32_t bits = 0xFFFFFFFEU;
    for (int i = 31; i >= 0; --i, bits <<= 1)
        if (mask == bits) return std::to_string(i);
    return format_ipv4(mask);
}

std::string format_tcp_flags(std::uint8_t flags) {
    static constexpr std::pair<const char*, std::uint8_t> names[] = {
        {"FIN", 0x01}, {"SYN", 0x02}, {"RST", 0x04}, {"PSH", 0x08}, {"ACK", 0x10}, {"URG", 0x20},
    };
    std::string out;
    for (const auto& [name, bit] : names) {
        if (!(flags & bit)) continue;
        if (!out.empty()) out += ',';
        out += name;
    }
    // print_tcpf() would look past its table for the ECN bits 0x40, 0x80,
    // which no name sets; they print as nothing here.
    return out.empty() ? "NONE" : out;
}

namespace {

void save_addr(std::string& out, char letter, const std::optional<AddrMatch>& a) {
    if (!a) return;
    std::uint32_t addr = a->addr & a->mask;
    if (a->mask == 0 && !a->invert && addr == 0) return;
    if (a->invert) out += " !";
    out += std::string(" -") + letter + " " + format_ipv4(addr) + "/" + format_mask_save(a->mask);
}

void save_iface(std::string& out, char letter, const std::optional<IfaceMatch>& i) {
    if (!i || i->name.empty() || (i->name == "+" && !i->invert)) return;
    if (i->invert) out += " !";
    out += std::string(" -") + letter + " " + i->name;
}

void save_ports(std::string& out, const char* opt, const PortRange& p) {
    if (p.is_any()) return;
    if (p.invert) out += " !";
    out += std::string(" ") + opt + " " + std::to_string(p.min);
    if (p.min != p.max) out += ":" + std::to_string(p.max);
}

}  // namespace

std::string format_rule_body(const RuleSpec& r) {
    std::string out;
    save_addr(out, 's', r.src);
    save_addr(out, 'd', r.dst);
    save_iface(out, 'i', r.in);
    save_iface(out, 'o', r.out);
    if (r.proto && r.proto->num > 0) {
        if (r.proto->invert) out += " !";
        out += " -p ";
        out += proto_to_name(r.proto->num, true);
    }
    // Matches in rule order, the tcp/udp match at its place.
    for (std::size_t i = 0; i <= r.matches.size(); ++i) {
        if (r.l4 && i == std::min(r.l4_pos, r.matches.size())) {
            out += r.proto_num() == 17 ? " -m udp" : " -m tcp";
            save_ports(out, "--sport", r.l4->sport);
            save_ports(out, "--dport", r.l4->dport);
            if (r.l4->option || r.l4->option_invert) {
                if (r.l4->option_invert) out += " !";
                out += " --tcp-option " + std::to_string(r.l4->option);
            }
            if (r.l4->flags_mask || r.l4->flags_invert) {
                if (r.l4->flags_invert) out += " !";
                out += " --tcp-flags " + format_tcp_flags(r.l4->flags_mask) + " " +
                       format_tcp_flags(r.l4->flags_comp);
            }
        }
        if (i == r.matches.size()) break;
        const Ext& m = r.matches[i];
        out += " -m " + std::string(m.kind->name());
        m.kind->save(m.data, out);
    }
    return out;
}

namespace {

std::string format_target(const Target& t) {
    switch (t.verdict) {
        case Verdict::accept:
        case Verdict::drop:
        case Verdict::ret:
            return " -j " + std::string(verdict_name(t.verdict));
        case Verdict::jump:
            return " -j " + t.chain;
        case Verdict::go_to:
            return " -g " + t.chain;
        case Verdict::ext: {
            std::string out = " -j " + std::string(t.ext.kind->name());
            t.ext.kind->save(t.ext.data, out);
            return out;
        }
        default:
            return "";
    }
}

}  // namespace

std::string format_append(std::string_view chain, const RuleSpec& r, CounterStyle style) {
    std::string out;
    Counters c = r.counters.value_or(Counters{});
    if (style == CounterStyle::prefix)
        out += "[" + std::to_string(c.packets) + ":" + std::to_string(c.bytes) + "] ";
    out += "-A ";
    out += chain;
    out += format_rule_body(r);
    if (style == CounterStyle::option)
        out += " -c " + std::to_string(c.packets) + " " + std::to_string(c.bytes);
    out += format_target(r.target);
    return out;
}

std::string format_policy(std::string_view chain, Verdict policy, const std::optional<Counters>& counters) {
    std::string out = "-P " + std::string(chain) + " " + std::string(verdict_name(policy));
    if (counters) out += " -c " + std::to_string(counters->packets) + " " + std::to_string(counters->bytes);
    return out;
}

}  // namespace nfgate
