// SPDX-License-Identifier: GPL-2.0
// Command -> operations and restore block -> transaction operations,
// following iptables-legacy's do_command4 and iptables-restore semantics.
#include "nfgate/plan.hpp"

#include "nfgate/error.hpp"

#include <type_traits>

namespace nfgate {

namespace {

// Cmd: const Command (rules copied) or Command (rules moved out).
template <class Cmd>
std::vector<Op> plan_command_impl(Cmd& cmd, int line) {
    auto rules_of = [&] {
        if constexpr (std::is_const_v<Cmd>)
            return cmd.rules();
        else
            return cmd.take_rules();
    };
    std::vector<Op> ops;
    auto base = [&](OpKind k) {
        Op op;
        op.kind = k;
        op.table = cmd.table;
        op.chain = cmd.chain;
        op.line = line;
        return op;
    };
    unsigned c = cmd.command;
    if (c & (CMD_APPEND | CMD_INSERT | CMD_DELETE)) {
        for (auto& r : rules_of()) {
            Op op = base(c & CMD_DELETE ? OpKind::del_rule : OpKind::new_rule);
            if (c & CMD_INSERT) op.position = cmd.rulenum;
            op.rule = std::move(r);
            if (c & CMD_DELETE) op.rule->counters.reset();
            ops.push_back(std::move(op));
        }
    } else if (c & CMD_REPLACE) {
        auto rules = rules_of();
        if (rules.size() != 1) throw UsageError("Replacement rule does not specify a unique address");
        Op op = base(OpKind::replace_rule);
        op.position = cmd.rulenum;
        op.rule = std::move(rules.front());
        ops.push_back(std::move(op));
    } else if (c & CMD_DELETE_NUM) {
        Op op = base(OpKind::del_rule);
        op.position = cmd.rulenum;
        ops.push_back(std::move(op));
    } else if (c & CMD_FLUSH) {
        ops.push_back(base(OpKind::flush));
    } else if (c == CMD_ZERO || c == CMD_ZERO_NUM) {
        Op op = base(OpKind::zero);
        if (c == CMD_ZERO_NUM) op.position = cmd.rulenum;
        ops.push_back(std::move(op));
    } else if (c & CMD_NEW_CHAIN) {
        ops.push_back(base(OpKind::new_chain));
    } else if (c & CMD_DELETE_CHAIN) {
        ops.push_back(base(OpKind::del_chain));
    } else if (c & CMD_SET_POLICY) {
        Op op = base(OpKind::set_policy);
        op.policy = cmd.policy;
        op.counters = cmd.set_counters;
        ops.push_back(std::move(op));
    } else {
        throw Error("this command is not a write operation");
    }
    return ops;
}

}  // namespace

std::vector<Op> plan_command(const Command& cmd, int line) { return plan_command_impl(cmd, line); }

namespace {

Op op_at(OpKind k, Table table, const std::string& chain, int line) {
    Op op;
    op.kind = k;
    op.table = table;
    op.chain = chain;
    op.line = line;
    return op;
}

// Line: const RestoreLine (rules copied) or RestoreLine (moved out).
template <class Line>
void plan_restore_line_impl(Table table, Line& l, const RestorePlanOptions& opts, std::set<std::string>& chains,
                            std::vector<Op>& ops) {
    if (const auto* cl = std::get_if<ChainLine>(&l.what)) {
        bool builtin = is_builtin_chain(table, cl->name);
        if (!builtin) {
            if (opts.noflush && chains.count(cl->name)) {
                ops.push_back(op_at(OpKind::flush, table, cl->name, l.line));
            } else {
                ops.push_back(op_at(OpKind::new_chain, table, cl->name, l.line));
                if (opts.noflush) chains.insert(cl->name);
            }
        }
        if (cl->policy == "-") return;
        if (!builtin)
            throw RestoreError(l.line, "Can't set policy `" + cl->policy + "' on `" + cl->name +
                                           "': Bad built-in chain name");
        Op op = op_at(OpKind::set_policy, table, cl->name, l.line);
        if (cl->policy == "ACCEPT")
            op.policy = Verdict::accept;
        else if (cl->policy == "DROP")
            op.policy = Verdict::drop;
        else
            throw RestoreError(l.line,
                               "Can't set policy `" + cl->policy + "' on `" + cl->name + "': Bad policy name");
        op.counters = cl->counters;
        if (!op.counters && opts.zero_policy_counters) op.counters = Counters{};
        ops.push_back(std::move(op));
        return;
    }
    auto& cmd = std::get<Command>(l.what);
    if (cmd.command & (CMD_LIST | CMD_LIST_RULES | CMD_CHECK | CMD_RENAME_CHAIN))
        throw RestoreError(l.line, "-L, -S, -C and -E are not supported in restore input");
    try {
        for (auto& op : plan_command_impl(cmd, l.line)) ops.push_back(std::move(op));
    } catch (const RestoreError&) {
        throw;
    } catch (const Error& e) {
        throw RestoreError(l.line, e.what());
    }
    // (the chain set only decides --noflush's `:CHAIN`: flush or create)
    if (!opts.noflush) return;
    if (cmd.command & CMD_NEW_CHAIN) chains.insert(cmd.chain);
    if (cmd.command & CMD_DELETE_CHAIN) {
        if (cmd.chain.empty())
            chains.clear();
        else
            chains.erase(cmd.chain);
    }
}

}  // namespace

std::vector<Op> plan_restore_begin(Table table, int line) {
    return {op_at(OpKind::flush, table, "", line), op_at(OpKind::del_chain, table, "", line)};
}

void plan_restore_line(Table table, RestoreLine&& line, const RestorePlanOptions& opts,
                       std::set<std::string>& chains, std::vector<Op>& ops) {
    plan_restore_line_impl(table, line, opts, chains, ops);
}

std::vector<Op> plan_restore_block(const RestoreBlock& block, const RestorePlanOptions& opts,
                                   const std::set<std::string>& existing_user_chains) {
    std::vector<Op> ops;
    std::set<std::string> chains;
    if (!opts.noflush)
        ops = plan_restore_begin(block.table, block.line);
    else
        chains = existing_user_chains;
    for (const auto& l : block.lines) plan_restore_line_impl(block.table, l, opts, chains, ops);
    return ops;
}

}  // namespace nfgate
