// SPDX-License-Identifier: GPL-2.0
// Restore blocks -> desired table snapshots, through RulesetModel.
#include "nfgate/desired.hpp"

#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"

#include <algorithm>

namespace nfgate {

std::vector<Table> named_tables(const std::vector<RestoreBlock>& blocks) {
    std::vector<Table> out;
    for (Table t : all_tables)
        if (std::any_of(blocks.begin(), blocks.end(), [&](const RestoreBlock& b) { return b.table == t; }))
            out.push_back(t);
    return out;
}

std::vector<TableSnapshot> desired_tables(const std::vector<RestoreBlock>& blocks,
                                          const std::vector<TableSnapshot>& current) {
    RulesetModel model;
    for (const auto& snap : current)
        for (const auto& c : snap.chains) {
            if (!c.builtin) continue;
            model.apply(Op{OpKind::set_policy, snap.table, c.name, {}, {}, {}, c.policy, c.counters, 0});
        }
    for (const auto& block : blocks) {
        std::vector<Op> ops = plan_restore_block(block, RestorePlanOptions{});
        RulesetModel before = model;
        for (const auto& op : ops) {
            try {
                model.apply(op);
            } catch (const KernelError& e) {
                model = std::move(before);
                throw RestoreError(op.line ? op.line : block.line, e.what());
            }
        }
    }
    std::vector<TableSnapshot> out;
    for (Table t : named_tables(blocks)) out.push_back(model.snapshot(t));
    return out;
}

}  // namespace nfgate
