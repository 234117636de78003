// SPDX-License-Identifier: GPL-2.0
// Restore blocks -> desired table snapshots, through RulesetModel.
#include "nfgate/desired.hpp"

#include "nfgate/digest.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>

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

NoflushScope noflush_scope(const RestoreBlock& block) {
    NoflushScope scope;
    for (const auto& l : block.lines) {
        if (const auto* cl = std::get_if<ChainLine>(&l.what)) {
            if (!is_builtin_chain(block.table, cl->name)) scope.content.insert(cl->name);
            continue;
        }
        const Command& cmd = std::get<Command>(l.what);
        if (cmd.chain.empty()) {
            scope.whole_table = true;
            continue;
        }
        if (cmd.command & (CMD_NEW_CHAIN | CMD_DELETE_CHAIN | CMD_FLUSH)) scope.content.insert(cmd.chain);
        for (const auto& r : cmd.rules())
            if (!r.target.chain.empty()) scope.referenced.insert(r.target.chain);
    }
    for (const auto& c : scope.content) scope.referenced.erase(c);
    for (const auto& c : builtin_chains(block.table)) {
        scope.referenced.erase(std::string(c));
        scope.content.erase(std::string(c));
    }
    return scope;
}

namespace {

// kube-proxy's and Docker's full syncs only declare chains (`:CHAIN`,
// which flushes or creates), append to them and delete some (-X): then
// the content chains end as exactly what the block appends, whatever the
// kernel had, and the model is not needed (building it from 100k services'
// rules cost more than the rest of the sync).  Anything else on a content
// chain (-I, -D, -R, -F, -Z, a position, a -X of a chain the block did not
// declare, a chain used after its -X) -> nullopt: the model decides.
// Nothing is validated here; the kernel validates the difference, and a
// refusal is explained from the block's own operations.
std::optional<NoflushPlan> plan_rewrite(std::vector<Op> ops, const NoflushScope& scope,
                                       const std::set<std::string>& existing, const std::set<std::string>& known,
                                       Table table) {
    struct Rewritten {
        std::vector<RuleSpec> rules;
        bool deleted = false;
    };
    std::unordered_map<std::string, Rewritten> chains;
    std::vector<std::string> order;
    NoflushPlan plan;
    for (auto& op : ops) {
        if (!scope.content.count(op.chain)) {
            plan.literal.push_back(std::move(op));
            continue;
        }
        auto it = chains.find(op.chain);
        if (it != chains.end() && it->second.deleted) return std::nullopt;
        switch (op.kind) {
            case OpKind::new_chain:  // `:CHAIN` of a chain that is not there, or -N
            case OpKind::flush:      // `:CHAIN` of a chain that is there, or -F
                // -N of a chain that exists, -F of one that does not: errors
                // the model words
                if ((op.kind == OpKind::new_chain) == (it != chains.end() || existing.count(op.chain)))
                    return std::nullopt;
                if (it == chains.end()) {
                    order.push_back(op.chain);
                    chains.emplace(op.chain, Rewritten{});
                } else {
                    it->second.rules.clear();
                }
                break;
            case OpKind::new_rule: {
                if (it == chains.end() || op.position || op.handle || !op.rule) return std::nullopt;
                // a jump to a chain that is not there (yet): the model words it
                const std::string& to = op.rule->target.chain;
                if (!to.empty()) {
                    auto t = chains.find(to);
                    if (t != chains.end() ? t->second.deleted : !existing.count(to) && !known.count(to))
                        return std::nullopt;
                }
                it->second.rules.push_back(std::move(*op.rule));
                break;
            }
            case OpKind::del_chain:
                if (it == chains.end() || !it->second.rules.empty()) return std::nullopt;
                it->second.deleted = true;
                break;
            default:
                return std::nullopt;
        }
    }
    plan.desired.table = table;
    for (const auto& name : order) {
        auto& c = chains.at(name);
        if (c.deleted) continue;
        ChainInfo ci;
        ci.name = name;
        ci.rules = static_cast<std::uint32_t>(c.rules.size());
        plan.desired.chains.push_back(std::move(ci));
        std::uint32_t pos = 0;
        for (auto& r : c.rules) {
            Counters counters = r.counters.value_or(Counters{});
            normalize(r);
            r.counters = counters;
            plan.desired.rules.push_back(RuleEntry{name, ++pos, std::move(r)});
        }
    }
    // Not sorted: a full sync's plan loses most of its chains to
    // drop_unchanged_chains() first, and sorting a million rules (moving
    // each) cost more than the rest of the plan.
    return plan;
}

}  // namespace

NoflushPlan plan_noflush(const RestoreBlock& block, const NoflushScope& scope, const TableSnapshot& current,
                         const std::set<std::string>& known) {
    {
        RestorePlanOptions po;
        po.noflush = true;
        po.zero_policy_counters = true;
        std::set<std::string> existing;
        for (const auto& c : current.chains)
            if (!c.builtin) existing.insert(c.name);
        if (auto plan = plan_rewrite(plan_restore_block(block, po, existing), scope, existing, known, current.table)) {
            plan->desired.sort();
            return std::move(*plan);
        }
    }
    // The model starts as the content chains the kernel has (all chains
    // before any rule, since rules may jump forward).  Chains jumped to
    // but not read are empty stand-ins that the result leaves out.
    // Nothing here can fail: the kernel holds it.
    RulesetModel model;
    std::set<std::string> have, stand_ins, user_chains;
    auto op_of = [&](OpKind k, const std::string& chain) {
        Op op;
        op.kind = k;
        op.table = current.table;
        op.chain = chain;
        return op;
    };
    for (const auto& c : current.chains) have.insert(c.name);
    for (const auto& k : known)
        if (!have.count(k)) stand_ins.insert(k);
    for (const auto& e : current.rules)
        if (!e.rule.target.chain.empty() && !have.count(e.rule.target.chain)) stand_ins.insert(e.rule.target.chain);
    for (const auto& name : have) {
        model.apply(op_of(OpKind::new_chain, name));
        user_chains.insert(name);
    }
    for (const auto& name : stand_ins) {
        model.apply(op_of(OpKind::new_chain, name));
        user_chains.insert(name);
    }
    for (const auto& e : current.rules) {
        Op op = op_of(OpKind::new_rule, e.chain);
        op.rule = e.rule;
        model.apply(op);
    }
    // The block: operations on content chains through the model, the
    // others kept as they are.
    NoflushPlan plan;
    RestorePlanOptions po;
    po.noflush = true;
    po.zero_policy_counters = true;
    for (auto& op : plan_restore_block(block, po, user_chains)) {
        if (!scope.content.count(op.chain)) {
            plan.literal.push_back(std::move(op));
            continue;
        }
        try {
            model.apply(op);
        } catch (const KernelError& e) {
            throw RestoreError(op.line ? op.line : block.line, e.what());
        }
    }
    // What was read, as it is now, plus what the block created.
    TableSnapshot all = model.snapshot(current.table);
    plan.desired.table = current.table;
    std::set<std::string> keep;
    for (const auto& c : all.chains) {
        if (c.builtin || !scope.content.count(c.name)) continue;
        keep.insert(c.name);
        plan.desired.chains.push_back(c);
    }
    for (auto& e : all.rules)
        if (keep.count(e.chain)) plan.desired.rules.push_back(std::move(e));
    plan.desired.sort();
    return plan;
}

std::optional<NoflushPlan> plan_noflush_rewrite(const RestoreBlock& block, const NoflushScope& scope,
                                                const std::vector<ChainInfo>& chains) {
    std::set<std::string> existing, known;
    for (const auto& c : chains) {
        if (c.builtin) continue;
        if (scope.content.count(c.name))
            existing.insert(c.name);
        else if (scope.referenced.count(c.name))
            known.insert(c.name);
    }
    RestorePlanOptions po;
    po.noflush = true;
    po.zero_policy_counters = true;
    return plan_rewrite(plan_restore_block(block, po, existing), scope, existing, known, block.table);
}

std::vector<ChainInfo> drop_unchanged_chains(NoflushPlan& plan, const NoflushScope& scope,
                                             const std::vector<ChainInfo>& chains) {
    std::unordered_map<std::string_view, const ChainInfo*> kernel;
    for (const auto& c : chains)
        if (!c.builtin && scope.content.count(c.name)) kernel.emplace(c.name, &c);
    std::unordered_set<std::string_view> unchanged;
    {
        const RulesByChain want = plan.desired.rules_by_chain();
        for (const auto& c : plan.desired.chains) {
            auto k = kernel.find(c.name);
            if (k == kernel.end() || !k->second->digest) continue;
            const auto& rules = want[c.name];
            if (rules.size() != k->second->rules) continue;
            ChainDigest d;
            for (const auto* e : rules) d.add(rule_digest(e->rule));
            if (d.value() == *k->second->digest) unchanged.insert(k->first);
        }
    }
    std::vector<ChainInfo> left;
    for (const auto& c : chains)
        if (kernel.count(c.name) && !unchanged.count(c.name)) left.push_back(c);
    auto& dc = plan.desired.chains;
    dc.erase(std::remove_if(dc.begin(), dc.end(), [&](const ChainInfo& c) { return unchanged.count(c.name) > 0; }),
             dc.end());
    auto& dr = plan.desired.rules;
    dr.erase(std::remove_if(dr.begin(), dr.end(), [&](const RuleEntry& e) { return unchanged.count(e.chain) > 0; }),
             dr.end());
    plan.desired.sort();
    return left;
}

std::vector<Op> noflush_ops(NoflushPlan plan, const std::vector<DiffOp>& diff) {
    std::vector<Op> ops;
    ops.reserve(diff.size() + plan.literal.size());
    std::size_t i = 0;
    for (; i < diff.size() && diff[i].op.kind == OpKind::new_chain; ++i) ops.push_back(diff[i].op);
    for (auto& op : plan.literal) ops.push_back(std::move(op));
    for (; i < diff.size(); ++i) ops.push_back(diff[i].op);
    return ops;
}

}  // namespace nfgate
