// SPDX-License-Identifier: GPL-2.0
// The desired state of the tables an `nfgate apply` file names: its
// `*table` blocks played, as `nfgate restore` without --noflush would, on
// top of the tables' current policies, in the in-memory model. Errors
// (a jump to a chain the file does not create, a loop, ...) name the line.
#pragma once

#include "nfgate/diff.hpp"
#include "nfgate/op.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/ruleset.hpp"

#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace nfgate {

// One snapshot per table named in `blocks`, in all_tables order. A built-in
// chain the file has no `:CHAIN` line for keeps its current policy (and
// policy counters), as iptables-restore leaves it. `current` must hold a
// snapshot of every named table. Throws RestoreError.
std::vector<TableSnapshot> desired_tables(const std::vector<RestoreBlock>& blocks,
                                          const std::vector<TableSnapshot>& current);

// What `restore --noflush` of `block` must read of its table.  Content:
// the user chains whose whole list of rules the block sets (declared by a
// `:CHAIN` line, which flushes it, or created, flushed or deleted by -N,
// -F, -X); these are diffed.  Every other line (-A, -I, -D, -R, -Z, -P on
// a chain not declared, a built-in's policy line) is sent as it is: it
// needs no read, so appending one rule to a chain of 100k costs one
// operation.  Referenced: chains only jumped to (their existence is
// enough).  A line acting on every chain (-F, -X, -Z alone) makes the
// whole block literal.
struct NoflushScope {
    std::unordered_set<std::string> content;
    std::unordered_set<std::string> referenced;
    bool whole_table = false;
};
NoflushScope noflush_scope(const RestoreBlock& block);

struct NoflushPlan {
    // The content chains as the block leaves them: those of `current`
    // (minus the ones the block deletes) plus the ones it creates, ready
    // for diff_table(current, desired).
    TableSnapshot desired;
    // The block's other operations, in input order; they go after the
    // difference's -N and before the rest of it (so they may jump to new
    // chains, and delete references before a chain goes).
    std::vector<Op> literal;
};

// `current` holds the scope's content chains as the kernel has them (those
// that exist); `known` the referenced chains that exist.  Throws
// RestoreError naming the line of an operation the model refuses.
NoflushPlan plan_noflush(const RestoreBlock& block, const NoflushScope& scope, const TableSnapshot& current,
                         const std::set<std::string>& known);

// A full sync's plan from the kernel's chain list alone (`chains`: every
// chain of the table, as GETCHAIN dumps it), when the block only declares,
// appends to and deletes its content chains, as kube-proxy's and Docker's
// do; nullopt for anything else (plan_noflush() then needs the rules).
// Nothing is validated: the kernel validates the difference.  The plan's
// desired snapshot is not sorted yet: drop_unchanged_chains() sorts it.
std::optional<NoflushPlan> plan_noflush_rewrite(const RestoreBlock& block, const NoflushScope& scope,
                                                const std::vector<ChainInfo>& chains);

// Leaves out of plan.desired every content chain whose rules digest
// (digest.hpp) to the kernel's digest of that chain in `chains`: the
// difference would keep each of its rules, so it need not be read.
// Returns the content chains of `chains` left, those to read and diff
// (changed ones, and the ones the block deletes); plan.desired is then
// sorted, ready for diff_table().
std::vector<ChainInfo> drop_unchanged_chains(NoflushPlan& plan, const NoflushScope& scope,
                                             const std::vector<ChainInfo>& chains);

// The transaction of a --noflush block: the difference's -N, the literal
// operations, then the rest of the difference.
std::vector<Op> noflush_ops(NoflushPlan plan, const std::vector<DiffOp>& diff);

// The tables `blocks` name, in all_tables order.
std::vector<Table> named_tables(const std::vector<RestoreBlock>& blocks);

}  // namespace nfgate
