// SPDX-License-Identifier: GPL-2.0
// Chain commands: -N (new), -X (delete), -P (policy), -F (flush), -Z (zero),
// -E (rename: one transaction that copies the rules to the new name and
// re-points every jump).
#include "commands.hpp"

#include "nfgate/iptables_text.hpp"
#include "nfgate/plan.hpp"

#include <cstdio>

namespace nfgate::cli {

void print_chain_verb(Client& client, const Command& cmd, const char* verb, bool user_only) {
    if (!cmd.chain.empty()) {
        std::printf("%s chain `%s'\n", verb, cmd.chain.c_str());
        return;
    }
    for (const auto& c : client.get_chains(cmd.table))
        if (!user_only || !c.builtin) std::printf("%s chain `%s'\n", verb, c.name.c_str());
}

namespace {

int rename_chain(Client& client, const Command& cmd) {
    TableSnapshot t = client.snapshot(cmd.table);
    const ChainInfo* old = t.find_chain(cmd.chain);
    std::string tname(table_name(cmd.table));
    // In libiptc's order: the new name first (its rename has no entry in
    // the message table: strerror(EEXIST)), then the old one among the
    // user chains.
    if (t.find_chain(cmd.new_name))
        throw Error("chain '" + cmd.new_name + "' already exists", 1, iptc_text("File exists"));
    if (!old)
        throw Error("chain '" + cmd.chain + "' does not exist in table '" + tname + "'", 1,
                    iptc_text(iptc_no_such_chain));
    if (old->builtin)
        throw Error("can't rename built-in chain '" + cmd.chain + "'", 1, iptc_text(iptc_no_such_chain));
    std::vector<Op> ops;
    auto op_of = [&](OpKind k, const std::string& chain) {
        Op op;
        op.kind = k;
        op.table = cmd.table;
        op.chain = chain;
        return op;
    };
    ops.push_back(op_of(OpKind::new_chain, cmd.new_name));
    for (const auto* e : t.rules_of(cmd.chain)) {
        Op op = op_of(OpKind::new_rule, cmd.new_name);
        op.rule = e->rule;
        ops.push_back(op);
    }
    for (const auto& e : t.rules) {
        auto v = e.rule.target.verdict;
        if ((v == Verdict::jump || v == Verdict::go_to) && e.rule.target.chain == cmd.chain &&
            e.chain != cmd.chain) {
            Op op = op_of(OpKind::replace_rule, e.chain);
            op.handle = e.rule.handle;
            op.rule = e.rule;
            op.rule->target.chain = cmd.new_name;
            ops.push_back(op);
        }
    }
    ops.push_back(op_of(OpKind::flush, cmd.chain));
    ops.push_back(op_of(OpKind::del_chain, cmd.chain));
    execute_ops(client, ops, WaitPolicy::of(cmd));
    return 0;
}

}  // namespace

int run_chain_command(const Command& cmd) {
    Client client;
    if (cmd.command & CMD_RENAME_CHAIN) return rename_chain(client, cmd);
    if (cmd.verbose) {
        if (cmd.command & CMD_FLUSH)
            print_chain_verb(client, cmd, "Flushing", false);
        else if (cmd.command & CMD_ZERO)
            print_chain_verb(client, cmd, "Zeroing", false);
        else if (cmd.command & CMD_DELETE_CHAIN)
            print_chain_verb(client, cmd, "Deleting", true);
    }
    if ((cmd.command & CMD_SET_POLICY) && !is_builtin_chain(cmd.table, cmd.chain)) {
        Op op;
        op.kind = OpKind::set_policy;
        op.table = cmd.table;
        op.chain = cmd.chain;
        throw Error("bad built-in chain name '" + cmd.chain + "' (only built-in chains have a policy)", 1,
                    iptc_text("Bad built-in chain name"));
    }
    execute_ops(client, plan_command(cmd), WaitPolicy::of(cmd));
    return 0;
}

}  // namespace nfgate::cli
