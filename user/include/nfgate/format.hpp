// SPDX-License-Identifier: GPL-2.0
// RuleSpec -> canonical iptables-save text (the parts and their order exactly
// as iptables-save prints them), and the `-S` lines (-P, -N, -A).
#pragma once

#include "nfgate/rule.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nfgate {

// "a.b.c.d" from a host-order address.
std::string format_ipv4(std::uint32_t addr);
// "/N" part as iptables-save prints it: prefix length, or a dotted mask
// when not contiguous.
std::string format_mask_save(std::uint32_t mask);

// TCP flags as libxt_tcp's print_tcpf: "FIN,SYN,RST,PSH,ACK,URG" order,
// "NONE" for none.
std::string format_tcp_flags(std::uint8_t flags);

// The rule's match and target part, each piece with a leading space, e.g.
// " -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT". Empty for a rule
// that matches everything and has no target.
std::string format_rule_body(const RuleSpec& r);

enum class CounterStyle {
    none,    // -A CHAIN ...
    prefix,  // [p:b] -A CHAIN ...        (iptables-save -c)
    option,  // -A CHAIN ... -c p b -j X  (iptables -S -v)
};

// "-A CHAIN ..." without a trailing newline.
std::string format_append(std::string_view chain, const RuleSpec& r, CounterStyle style = CounterStyle::none);

// "-P CHAIN POLICY" (+ " -c p b" when counters are given).
std::string format_policy(std::string_view chain, Verdict policy,
                          const std::optional<Counters>& counters = std::nullopt);

}  // namespace nfgate
