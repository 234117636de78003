// SPDX-License-Identifier: GPL-2.0
// `nfgate apply`'s difference: the current state of a table (a snapshot,
// with handles) and the desired state (the same shape, from a file) ->
// the shortest list of write operations that turns one into the other
// inside one transaction, without touching rules that stay.
#pragma once

#include "nfgate/op.hpp"
#include "nfgate/ruleset.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nfgate {

// One operation of the difference plus what is needed to print it as an
// iptables command: deletes are sent by handle but shown by the position
// the rule has at the moment the delete runs.
struct DiffOp {
    Op op;
    std::uint32_t shown_position = 0;  // del_rule only
};

struct DiffOptions {
    // -c: rules that are inserted carry the desired counters, and policy
    // counters that differ are set. Without it counters are never compared.
    bool counters = false;
};

// Edit script between two sequences of ids: the indices of `a` to delete
// and the indices of `b` to insert (both ascending); every other element
// is kept, matched in order. Minimal (Myers' O(ND) algorithm after trimming
// the common prefix and suffix) while the number of edits stays within a
// budget; beyond it, elements unique to both sides anchor the match
// (patience diff) and the gaps between anchors are diffed alone, which is
// still correct but may be longer than minimal.
struct SeqEdit {
    std::vector<std::size_t> deleted;
    std::vector<std::size_t> inserted;
};
SeqEdit diff_sequences(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

// The operations that turn `current` into `desired` (same table), in the
// order they must be sent:
//   1. -N for user chains only in desired;
//   2. -D (by handle) of rules not kept, every chain, last position first,
//      and -F of user chains only in current;
//   3. -X of user chains only in current (nothing refers to them now);
//   4. -P where the policy differs;
//   5. -I / -A of the desired rules not kept, every chain in ascending
//      desired position (so each position is final when it is sent).
// Deleting everything before inserting anything means no intermediate
// state has a jump loop or a jump to a missing chain: each is a subset of
// the current or of the desired ruleset.
std::vector<DiffOp> diff_table(const TableSnapshot& current, const TableSnapshot& desired,
                               const DiffOptions& opts = {});

// "-t filter -D FORWARD 5", "-t filter -I FORWARD 3 -d 192.0.2.1/32 -j ACCEPT",
// "-t filter -A X -j DROP", "-t filter -N X", "-t filter -P INPUT DROP".
std::string format_diff_op(const DiffOp& d);

std::vector<Op> diff_ops(const std::vector<DiffOp>& diff);

}  // namespace nfgate
