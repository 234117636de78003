// SPDX-License-Identifier: GPL-2.0
// What the nat targets (DNAT.cpp, SNAT.cpp, MASQUERADE.cpp, REDIRECT.cpp)
// share, as iptables 1.8.9's libxt_DNAT.c does for them: the range
// (struct nf_nat_range2's fields), its --to-destination / --to-ports
// syntax, its text, and its attributes (NFGATE_NAT_A_*).
#pragma once

#include "nfgate/ext.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

struct NatRange {
    std::uint32_t flags = 0;     // NF_NAT_RANGE_*
    std::uint32_t min_addr = 0;  // host order
    std::uint32_t max_addr = 0;
    std::uint16_t min_port = 0;
    std::uint16_t max_port = 0;
    std::uint16_t base_port = 0;
};

// The rule's protocol may have ports mapped (iptables' portok).
bool nat_portok(const ExtParseContext& ctx);
// parse_ports(): "PORT[-PORT[/BASE]]"; BASE only when allow_base, else
// the kind refuses it (nfgate: shifted ranges are DNAT's only).
void nat_parse_ports(std::string_view kind, std::string_view arg, bool portok, bool allow_base, NatRange& r);
// parse_to(): "[ADDR[-ADDR]][:PORT[-PORT[/BASE]]]".
void nat_parse_to(std::string_view kind, std::string_view arg, bool portok, bool allow_base, NatRange& r);
// sprint_range(): "ADDR[-ADDR]" then ":PORT[-PORT][/BASE]".
std::string nat_range_text(const NatRange& r);
std::vector<std::uint8_t> nat_encode(const NatRange& r);
NatRange nat_decode(std::span<const std::uint8_t> data);

}  // namespace nfgate
