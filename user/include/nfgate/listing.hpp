// SPDX-License-Identifier: GPL-2.0
// `-L` output in iptables' exact column layout (print_header, print_firewall,
// xtables_print_num), the `-v` echo of rule commands, and `-S` output.
#pragma once

#include "nfgate/ruleset.hpp"

#include <cstdint>
#include <string>

namespace nfgate {

struct ListOptions {
    bool verbose = false;       // -v: counters, in/out columns
    bool numeric = false;       // -n
    bool exact = false;         // -x: no K/M/G abbreviation
    bool line_numbers = false;  // --line-numbers
};

// "Chain X (policy ACCEPT ...)" or "(N references)" plus the column header.
std::string list_chain_header(const ChainInfo& c, const ListOptions& o);
// One rule row (with newline).
std::string list_rule_row(const RuleSpec& r, std::uint32_t num, const ListOptions& o);
// iptables -L [CHAIN [N]]: chains separated by blank lines. With rulenum,
// only that rule's row and no header. chain must exist when given.
std::string list_table(const TableSnapshot& t, const std::string& chain, std::uint32_t rulenum,
                       const ListOptions& o);

// The line `iptables -v -A ...` prints for each rule it adds/deletes.
std::string print_rule_verbose(const RuleSpec& r);

// iptables -S [CHAIN [N]] [-v]: -P/-N lines then -A lines.
std::string list_rules(const TableSnapshot& t, const std::string& chain, std::uint32_t rulenum,
                       bool counters);

// xtables_print_num: right-aligned, abbreviated K/M/G/T unless exact.
std::string format_count(std::uint64_t n, bool exact, bool notable);

}  // namespace nfgate
