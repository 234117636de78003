// SPDX-License-Identifier: GPL-2.0
// Helpers shared by the conntrack-side kinds (conntrack.cpp, state.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace nfgate {

// The NFGATE_CT_STATE_* names in iptables' print order, comma-separated,
// the first preceded by first_sep.
void ct_print_states(std::string& out, std::uint32_t mask, const char* first_sep);
// XTTYPE_HOSTMASK of a numeric address: "a.b.c.d[/N|/a.b.c.d]", host
// order, the address kept as written (iptables prints 192.0.2.5/24 back).
std::pair<std::uint32_t, std::uint32_t> ct_parse_hostmask(std::string_view arg);

}  // namespace nfgate
