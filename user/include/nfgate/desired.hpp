// SPDX-License-Identifier: GPL-2.0
// The desired state of the tables an `nfgate apply` file names: its
// `*table` blocks played, as `nfgate restore` without --noflush would, on
// top of the tables' current policies, in the in-memory model. Errors
// (a jump to a chain the file does not create, a loop, ...) name the line.
#pragma once

#include "nfgate/restore.hpp"
#include "nfgate/ruleset.hpp"

#include <vector>

namespace nfgate {

// One snapshot per table named in `blocks`, in all_tables order. A built-in
// chain the file has no `:CHAIN` line for keeps its current policy (and
// policy counters), as iptables-restore leaves it. `current` must hold a
// snapshot of every named table. Throws RestoreError.
std::vector<TableSnapshot> desired_tables(const std::vector<RestoreBlock>& blocks,
                                          const std::vector<TableSnapshot>& current);

// The tables `blocks` name, in all_tables order.
std::vector<Table> named_tables(const std::vector<RestoreBlock>& blocks);

}  // namespace nfgate
