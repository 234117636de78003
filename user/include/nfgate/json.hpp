// SPDX-License-Identifier: GPL-2.0
// Machine-readable output (`-o json`): the ruleset documents of `-L`, `-S`
// and `save`, and one object per line for `monitor`.  The format is
// versioned by a top-level "schema_version" and described by
// Documentation/nfgate.schema.json (Documentation/output.rst).
#pragma once

#include "nfgate/event.hpp"
#include "nfgate/ruleset.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

// Bumped only for incompatible changes (a field removed, renamed or given
// another type or meaning); new fields do not change it.
inline constexpr int json_schema_version = 1;

// s as a JSON string literal with its quotes (RFC 8259): '"', '\\' and
// control characters escaped, bytes that are not UTF-8 replaced by U+FFFD
// (JSON text must be UTF-8; a comment may hold any byte).
std::string json_quote(std::string_view s);

// s with every byte that does not belong to well-formed UTF-8 replaced by
// U+FFFD (for the Prometheus format, which is UTF-8 as well).
std::string utf8_sanitized(std::string_view s);

// The rule's iptables-save text without "-A CHAIN" and without a leading
// space: "-s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT".
std::string rule_text(const RuleSpec& r);

// What a listing shows: all chains, or one chain (and one rule of it when
// rulenum is not 0).
struct JsonSelection {
    std::string chain;
    std::uint32_t rulenum = 0;
};

// One "ruleset" document, one line with its newline: schema_version,
// type, generation (the highest of the tables'), and every table with its
// chains and rules.
std::string format_json_ruleset(const std::vector<TableSnapshot>& tables, const JsonSelection& sel = {});

// One "event" object, one line without a newline.
std::string format_json_event(const Event& e);

}  // namespace nfgate
