// SPDX-License-Identifier: GPL-2.0
// `nfgate stats --prometheus`: counters and sizes of the tables in the
// Prometheus text exposition format (version 0.0.4), e.g. for
// node_exporter's textfile collector.  Metric names and labels are listed
// in Documentation/output.rst.
#pragma once

#include "nfgate/ruleset.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

// A label value as the format wants it inside its double quotes:
// backslash, double quote and newline escaped (\\, \", \n); bytes that
// are not UTF-8 replaced by U+FFFD (the format is UTF-8).
std::string prometheus_label_value(std::string_view s);

// A # HELP text: backslash and newline escaped.
std::string prometheus_help_text(std::string_view s);

// The whole exposition: generation, chain and rule counts per table,
// policy counters of built-in chains, packet and byte counters of every
// rule.  Each metric family once, its # HELP and # TYPE lines first.
std::string format_prometheus(const std::vector<TableSnapshot>& tables);

}  // namespace nfgate
