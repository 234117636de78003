// SPDX-License-Identifier: GPL-2.0
// The iptables-save document: `*table`, `:CHAIN POLICY [p:b]` lines
// (built-ins in hook order, then user chains by name with `-`), `-A` rules
// (`[p:b] -A` with counters), `COMMIT`, and the Generated/Completed comments.
#pragma once

#include "nfgate/ruleset.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

// One table block from `*table` to `COMMIT\n`, without comments.
std::string format_save_table(const TableSnapshot& t, bool counters);

// Whole `nfgate save` output; `when` is ctime()-style text without newline.
std::string format_save(const std::vector<TableSnapshot>& tables, bool counters, std::string_view when);

// ctime() of now, without the trailing newline.
std::string now_ctime();

}  // namespace nfgate
