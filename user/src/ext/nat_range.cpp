// SPDX-License-Identifier: GPL-2.0
// The nat targets' range: syntax and messages as iptables 1.8.9's
// parse_to() and parse_ports() (libxt_DNAT.c, which SNAT, MASQUERADE and
// REDIRECT share there), text as its sprint_range().
#include "ext/nat_range.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"

#include <arpa/inet.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/nfgate.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <optional>

namespace nfgate {

namespace {

// xtables_strtoui(s, &end, ...): base 0, a prefix number is enough; end
// is where it stopped.
std::optional<std::uint16_t> strtoui_prefix(const std::string& s, std::size_t& end, unsigned min) {
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && s[i] == '-') return std::nullopt;
    errno = 0;
    char* e = nullptr;
    std::uintmax_t v = std::strtoumax(s.c_str(), &e, 0);
    if (e == s.c_str()) return std::nullopt;
    end = static_cast<std::size_t>(e - s.c_str());
    if (errno == ERANGE || v < min || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

std::optional<std::uint16_t> service_port(const std::string& name) {
    if (const servent* se = getservbyname(name.c_str(), nullptr))
        return ntohs(static_cast<std::uint16_t>(se->s_port));
    return std::nullopt;
}

std::uint32_t parse_addr(const std::string& text, const std::string& shown) {
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1) throw UsageError("Bad IP address \"" + shown + "\"");
    return ntohl(a.s_addr);
}

}  // namespace

bool nat_portok(const ExtParseContext& ctx) {
    switch (ctx.rule.proto_num()) {
    case IPPROTO_TCP:
    case IPPROTO_UDP:
    case IPPROTO_SCTP:
    case IPPROTO_DCCP:
    case IPPROTO_ICMP:
        return true;
    default:
        return false;
    }
}

void nat_parse_ports(std::string_view kind, std::string_view text, bool portok, bool allow_base, NatRange& r) {
    if (!portok) throw UsageError("Need TCP, UDP, SCTP or DCCP with port specification");
    r.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    std::string arg(text);
    std::size_t end = 0;
    auto port = strtoui_prefix(arg, end, 0);
    if (!port) {
        port = service_port(arg);
        if (!port) throw UsageError("Port `" + arg + "' not valid");
        end = arg.size();
    }
    if (end == arg.size()) {
        r.min_port = r.max_port = *port;
        return;
    }
    if (arg[end] == ':') throw UsageError("Invalid port:port syntax - use dash");
    if (arg[end] != '-') throw UsageError("Garbage after port value: `" + arg.substr(end) + "'");
    arg = arg.substr(end + 1);
    auto maxport = strtoui_prefix(arg, end, 0);
    if (!maxport) throw UsageError("Port `" + arg + "' not valid");
    if (*maxport < *port) throw UsageError("Port range `" + arg + "' funky");
    r.min_port = *port;
    r.max_port = *maxport;
    if (end == arg.size()) return;
    if (arg[end] != '/') throw UsageError("Garbage after port range: `" + arg.substr(end) + "'");
    if (!allow_base)
        throw UsageError(std::string(kind) + ": shifted port ranges (/PORT) are supported by DNAT only");
    arg = arg.substr(end + 1);
    auto base = strtoui_prefix(arg, end, 1);
    if (!base) {
        base = service_port(arg);
        if (!base) throw UsageError("Port `" + arg + "' not valid");
    }
    r.flags |= NF_NAT_RANGE_PROTO_OFFSET;
    r.base_port = *base;
}

void nat_parse_to(std::string_view kind, std::string_view text, bool portok, bool allow_base, NatRange& r) {
    std::string arg(text);
    if (arg.find('[') != std::string::npos) throw UsageError("Invalid address format");
    // One colon is a port; more would be an IPv6 address.
    auto colon = arg.find(':');
    if (colon != std::string::npos && arg.find(':', colon + 1) != std::string::npos) colon = std::string::npos;
    if (colon != std::string::npos) {
        nat_parse_ports(kind, std::string_view(arg).substr(colon + 1), portok, allow_base, r);
        // iptables: "Starts with colon or [] colon? No IP info..."
        if (colon == 0 || colon == 2) return;
        arg.resize(colon);
    }
    r.flags |= NF_NAT_RANGE_MAP_IPS;
    auto dash = arg.find('-');
    std::string min = arg.substr(0, dash);
    r.min_addr = parse_addr(min, min);
    if (dash == std::string::npos) {
        r.max_addr = r.min_addr;
    } else {
        std::string max = arg.substr(dash + 1);
        r.max_addr = parse_addr(max, max);
    }
}

std::string nat_range_text(const NatRange& r) {
    std::string s;
    if (r.flags & NF_NAT_RANGE_MAP_IPS) {
        s += format_ipv4(r.min_addr);
        if (r.max_addr != r.min_addr) s += "-" + format_ipv4(r.max_addr);
    }
    if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
        s += ":" + std::to_string(r.min_port);
        if (r.max_port != r.min_port) s += "-" + std::to_string(r.max_port);
        if (r.flags & NF_NAT_RANGE_PROTO_OFFSET) s += "/" + std::to_string(r.base_port);
    }
    return s;
}

std::vector<std::uint8_t> nat_encode(const NatRange& r) {
    AttrWriter w;
    w.put_u32(NFGATE_NAT_A_FLAGS, r.flags);
    if (r.flags & NF_NAT_RANGE_MAP_IPS) {
        w.put_be32(NFGATE_NAT_A_MIN_ADDR, r.min_addr);
        w.put_be32(NFGATE_NAT_A_MAX_ADDR, r.max_addr);
    }
    if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
        w.put_u16(NFGATE_NAT_A_MIN_PORT, r.min_port);
        w.put_u16(NFGATE_NAT_A_MAX_PORT, r.max_port);
    }
    if (r.flags & NF_NAT_RANGE_PROTO_OFFSET) w.put_u16(NFGATE_NAT_A_BASE_PORT, r.base_port);
    return w.take();
}

NatRange nat_decode(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    NatRange r;
    if (a.has(NFGATE_NAT_A_FLAGS)) r.flags = a.u32(NFGATE_NAT_A_FLAGS);
    if (a.has(NFGATE_NAT_A_MIN_ADDR)) r.min_addr = a.be32(NFGATE_NAT_A_MIN_ADDR);
    if (a.has(NFGATE_NAT_A_MAX_ADDR)) r.max_addr = a.be32(NFGATE_NAT_A_MAX_ADDR);
    if (a.has(NFGATE_NAT_A_MIN_PORT)) r.min_port = a.u16(NFGATE_NAT_A_MIN_PORT);
    if (a.has(NFGATE_NAT_A_MAX_PORT)) r.max_port = a.u16(NFGATE_NAT_A_MAX_PORT);
    if (a.has(NFGATE_NAT_A_BASE_PORT)) r.base_port = a.u16(NFGATE_NAT_A_BASE_PORT);
    return r;
}


}  // namespace nfgate
