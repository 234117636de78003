// SPDX-License-Identifier: GPL-2.0
// Planning: a parsed command, or a restore block, becomes the list of
// protocol write operations that carry it out (restore: one transaction).
#pragma once

#include "nfgate/op.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/restore.hpp"

#include <set>
#include <string>
#include <vector>

namespace nfgate {

// Write commands only (-A -I -D -R -N -X -F -Z -P); throws Error for the
// others (-L, -S, -C, -E), which are not plain write operations.
std::vector<Op> plan_command(const Command& cmd, int line = 0);

struct RestorePlanOptions {
    bool noflush = false;
    // A policy line without counters (restore without -c) sets the policy
    // counters to zero, as iptables-restore does; apply leaves them alone.
    bool zero_policy_counters = false;
};

// Operations for one `*table` ... COMMIT block. Without noflush the table is
// flushed and its user chains deleted first (tagged with the `*table` line).
// existing_user_chains: user chains of the table before the block (used with
// noflush: a `:CHAIN` line flushes an existing chain, creates a missing one).
std::vector<Op> plan_restore_block(const RestoreBlock& block, const RestorePlanOptions& opts,
                                   const std::set<std::string>& existing_user_chains = {});
// plan_restore_block()'s steps, for a caller that plans each line as it
// is read: the operations a flushing block starts with (flush every chain,
// delete every user chain), and one line's operations appended to `ops`
// (its rule moved out; `chains`: the user chains so far, which decide
// whether --noflush's `:CHAIN` flushes or creates).  Throw RestoreError.
std::vector<Op> plan_restore_begin(Table table, int line);
void plan_restore_line(Table table, RestoreLine&& line, const RestorePlanOptions& opts,
                       std::set<std::string>& chains, std::vector<Op>& ops);

}  // namespace nfgate
