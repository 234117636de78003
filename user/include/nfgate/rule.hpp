// SPDX-License-Identifier: GPL-2.0
// The rule model shared by the parser, the formatters and the netlink codec:
// tables, built-in chains, verdicts, the supported matches (each with its own
// '!' flag), targets, counters and RuleSpec itself.
#pragma once

#include "nfgate/ext.hpp"

#include <linux/nfgate.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

enum class Table : std::uint32_t {
    filter = NFGATE_TABLE_FILTER,
    mangle = NFGATE_TABLE_MANGLE,
    raw = NFGATE_TABLE_RAW,
    nat = NFGATE_TABLE_NAT,
};

// Tables in the order `nfgate save` prints them: the order they were added
// to nfgate, so that the output of the older tables stays as it was.
inline constexpr Table all_tables[] = {Table::filter, Table::mangle, Table::raw, Table::nat};

std::string_view table_name(Table t);
std::optional<Table> table_from_name(std::string_view name);

// Built-in chains of a table, in hook order (PREROUTING .. POSTROUTING).
std::span<const std::string_view> builtin_chains(Table t);
bool is_builtin_chain(Table t, std::string_view chain);

enum class Verdict : std::uint32_t {
    none = NFGATE_VERDICT_NONE,
    accept = NFGATE_VERDICT_ACCEPT,
    drop = NFGATE_VERDICT_DROP,
    ret = NFGATE_VERDICT_RETURN,
    jump = NFGATE_VERDICT_JUMP,
    go_to = NFGATE_VERDICT_GOTO,
    ext = NFGATE_VERDICT_EXT,  // an extension target, Target::ext
};

// "ACCEPT", "DROP", "RETURN" for those verdicts, "" otherwise.
std::string_view verdict_name(Verdict v);

struct Counters {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    friend bool operator==(const Counters&, const Counters&) = default;
};

// -s / -d. Address and mask in host byte order; addr is kept masked.
struct AddrMatch {
    std::uint32_t addr = 0;
    std::uint32_t mask = 0;
    bool invert = false;
    friend bool operator==(const AddrMatch&, const AddrMatch&) = default;
};

// -p. 0 means "all".
struct ProtoMatch {
    std::uint8_t num = 0;
    bool invert = false;
    friend bool operator==(const ProtoMatch&, const ProtoMatch&) = default;
};

// -i / -o. A trailing '+' is a prefix wildcard.
struct IfaceMatch {
    std::string name;
    bool invert = false;
    friend bool operator==(const IfaceMatch&, const IfaceMatch&) = default;
};

// --sport / --dport: inclusive range; 0:65535 uninverted matches anything.
struct PortRange {
    std::uint16_t min = 0;
    std::uint16_t max = 65535;
    bool invert = false;
    bool is_any() const { return min == 0 && max == 65535 && !invert; }
    friend bool operator==(const PortRange&, const PortRange&) = default;
};

// The tcp or udp match (`-m tcp`, `-m udp`, or loaded implicitly by
// `-p tcp --dport ..`). Its protocol is the rule's -p (6 or 17). The ports
// are the rule's core; the tcp flags and option test travel in the data of
// the "tcp" match element (tcp_data()).
struct L4Match {
    PortRange sport;
    PortRange dport;
    // [!] --tcp-flags MASK COMP, --syn (MASK FIN,SYN,RST,ACK, COMP SYN).
    bool has_flags = false;
    std::uint8_t flags_mask = 0;
    std::uint8_t flags_comp = 0;
    bool flags_invert = false;
    // [!] --tcp-option N, 1..255; 0: none.
    std::uint8_t option = 0;
    bool option_invert = false;

    bool has_tcp_data() const { return has_flags || option != 0; }
    friend bool operator==(const L4Match&, const L4Match&) = default;
};

// The attributes of the "tcp" element's data (enum nfgate_tcp_attr), as
// the kernel dumps them; empty for a place marker.
std::vector<std::uint8_t> tcp_data(const L4Match& m);
// Reads them back into m's flags and option.
void read_tcp_data(std::span<const std::uint8_t> data, L4Match& m);

struct Target {
    Verdict verdict = Verdict::none;
    std::string chain;  // for jump / go_to
    Ext ext;            // for Verdict::ext: MARK, ...
    friend bool operator==(const Target&, const Target&) = default;
};

struct RuleSpec {
    std::optional<AddrMatch> src;
    std::optional<AddrMatch> dst;
    std::optional<IfaceMatch> in;
    std::optional<IfaceMatch> out;
    std::optional<ProtoMatch> proto;
    std::optional<L4Match> l4;
    // -m NAME matches other than tcp/udp, in rule order; the tcp/udp match
    // (l4) sits before matches[l4_pos], as iptables keeps the order.
    std::vector<Ext> matches;
    std::size_t l4_pos = 0;
    Target target;
    std::optional<Counters> counters;  // initial (input) or live (dump)
    std::uint64_t handle = 0;          // from dumps only

    // The protocol number of -p, 0 when absent.
    std::uint8_t proto_num() const { return proto ? proto->num : 0; }
};

// Drops parts that match everything (-s 0.0.0.0/0, -p all), so that two
// specifications of the same rule compare equal.
RuleSpec normalized(const RuleSpec& r);
// The same in place.
void normalize(RuleSpec& r);
// normalized()'s parts, without copying the rule (same_rule() runs for
// every rule of a table on each full sync, put_rule() for every rule sent).
std::optional<AddrMatch> normal_addr(const std::optional<AddrMatch>& a);
std::optional<ProtoMatch> normal_proto(const std::optional<ProtoMatch>& p);
std::size_t normal_l4_pos(const RuleSpec& r);

// "The same rule" as the kernel defines it for delete by specification:
// normalized matches and target equal; counters and handles ignored.
bool same_rule(const RuleSpec& a, const RuleSpec& b);

// Protocol names iptables itself knows without /etc/protocols
// (xtables_chain_protos): tcp, udp, icmp, ... and "all" for 0.
std::optional<std::uint8_t> builtin_proto_number(std::string_view name);
std::optional<std::string_view> builtin_proto_name(std::uint8_t num);
// A protocol as iptables 1.8.9 prints it (proto_to_name): the short list,
// else /etc/protocols' name if lookup, else the number.  (1.8.10 and later
// save numbers; the drop-in is 1.8.9, and so is the oracle.)
std::string proto_to_name(std::uint8_t num, bool lookup);

}  // namespace nfgate
