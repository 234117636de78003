// SPDX-License-Identifier: GPL-2.0
// iptables command-line grammar: argv (as iptables v1.8 takes it, getopt_long
// rules, order-sensitive '!', implicit `-p tcp` match loading) -> Command.
// Errors are UsageError with iptables-like messages.
#pragma once

#include "nfgate/rule.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

// Command bits, combinable only as iptables allows (-L/-S with -Z).
enum CommandBits : unsigned {
    CMD_NONE = 0,
    CMD_INSERT = 1U << 0,
    CMD_DELETE = 1U << 1,
    CMD_DELETE_NUM = 1U << 2,
    CMD_REPLACE = 1U << 3,
    CMD_APPEND = 1U << 4,
    CMD_LIST = 1U << 5,
    CMD_FLUSH = 1U << 6,
    CMD_ZERO = 1U << 7,
    CMD_NEW_CHAIN = 1U << 8,
    CMD_DELETE_CHAIN = 1U << 9,
    CMD_SET_POLICY = 1U << 10,
    CMD_RENAME_CHAIN = 1U << 11,
    CMD_LIST_RULES = 1U << 12,
    CMD_ZERO_NUM = 1U << 13,
    CMD_CHECK = 1U << 14,
};

struct Command {
    unsigned command = CMD_NONE;
    Table table = Table::filter;
    std::string chain;               // empty: all chains (-L, -S, -F, -Z, -X)
    std::string new_name;            // -E
    Verdict policy = Verdict::none;  // -P
    std::string policy_name;         // -P as written
    std::uint32_t rulenum = 0;       // -I, -R, -D N, -Z CHAIN N, -L CHAIN N; 0 = none

    // Rule commands: the rule; src/dst live in srcs/dsts because iptables
    // accepts comma-separated address lists (one rule per combination).
    RuleSpec rule;
    std::vector<AddrMatch> srcs;
    std::vector<AddrMatch> dsts;

    std::optional<Counters> set_counters;  // -c / --set-counters
    int verbose = 0;
    bool numeric = false;
    bool exact = false;
    bool line_numbers = false;
    // -o json / --output json with -L or -S (ParseContext::output_format):
    // the listing as a JSON document; empty: iptables' text.
    std::string output;
    bool help = false;     // -h: print usage, nothing else
    bool version = false;  // -V
    // -W given: iptables (since its flock) ignores it and says so; the
    // drop-in says so too (nfgate still uses it as the retry interval).
    bool wait_interval_given = false;
    // -w [seconds] / -W usecs: retry while another transaction holds the
    // ruleset (iptables waits for its lock); 0 seconds = wait forever.
    bool wait = false;
    unsigned wait_seconds = 0;
    unsigned wait_interval_us = 1000000;

    // One RuleSpec per (source, destination) pair, counters applied.
    std::vector<RuleSpec> rules() const;
    // The same, moving `rule` out instead of copying it (the command keeps
    // everything else): a bulk load plans a million of them once.
    std::vector<RuleSpec> take_rules();
    bool is_rule_command() const {
        return command & (CMD_APPEND | CMD_INSERT | CMD_DELETE | CMD_REPLACE | CMD_CHECK);
    }
};

struct ParseContext {
    // iptables-restore mode: the table is fixed by the `*table` line and
    // -t, -w, -W are refused.
    bool restore = false;
    Table restore_table = Table::filter;
    // nfgate's own command line (not the drop-in, not restore): -o and its
    // long form --output name the output format of -L and -S ("json")
    // instead of an out-interface, which those commands cannot take.
    bool output_format = false;
};

// args excludes the program name.
Command parse_command(const std::vector<std::string>& args, const ParseContext& ctx = {});
// The same on views (restore's tokens point into its input buffer, no copy).
Command parse_command(std::span<const std::string_view> args, const ParseContext& ctx = {});
// The same into out, which must be default-constructed: restore parses
// straight into its line list (no move of the Command per line).
void parse_command_into(std::span<const std::string_view> args, const ParseContext& ctx, Command& out);

// Value parsers, exposed for reuse and tests. All throw UsageError.
AddrMatch parse_address(std::string_view text);                             // one "a.b.c.d[/mask]"
std::vector<AddrMatch> parse_address_list(std::string_view text);           // comma-separated
std::uint8_t parse_protocol(std::string_view text);                         // name or number
PortRange parse_port_range(std::string_view text, std::string_view proto);  // "a", "a:b", ":b", "a:"
std::uint16_t parse_port(std::string_view text, std::string_view proto);
Counters parse_set_counters(std::string_view pcnt, std::string_view bcnt);
void check_chain_name(std::string_view name);  // -N / -E rules
// strtoul(base 0) as xtables_strtoui: no sign, whole string, within [min,max].
std::optional<std::uint64_t> parse_uint(std::string_view text, std::uint64_t min, std::uint64_t max);
// xtables_numeric_to_ipaddr(): "a.b.c.d", fewer parts completed with
// zeros ("10" is 10.0.0.0); host order.
std::optional<std::uint32_t> parse_numeric_ipv4(std::string_view text);

// Extension targets of iptables that nfgate does not implement; `-j NAME`
// with one of them is refused instead of being taken as a chain jump.
bool is_unsupported_target(std::string_view name);

}  // namespace nfgate
