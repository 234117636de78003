// SPDX-License-Identifier: GPL-2.0
// Listing commands: -L (iptables' table layout) and -S (rules as commands),
// each optionally followed by -Z; with -o json both print the same JSON
// document (nfgate/json.hpp) of what they select.
#include "commands.hpp"

#include "nfgate/iptables_text.hpp"
#include "nfgate/json.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/plan.hpp"

#include <cstdio>

namespace nfgate::cli {

int run_list_command(const Command& cmd) {
    Client client;
    // -S CHAIN prints that chain only: read only it (kube-proxy's tables
    // have 400k chains and 1M rules).  -L CHAIN also counts the jumps to
    // the chain from every other chain: it needs the whole table.
    const bool one_chain = !cmd.chain.empty() && !(cmd.command & CMD_LIST);
    TableSnapshot t = one_chain ? client.snapshot_chain(cmd.table, cmd.chain) : client.snapshot(cmd.table);
    if (!cmd.chain.empty() && !t.find_chain(cmd.chain))
        throw Error("chain '" + cmd.chain + "' does not exist in table '" +
                        std::string(table_name(cmd.table)) + "'",
                    1, iptc_text(iptc_no_such_chain));
    std::string out;
    if (cmd.output == "json") {
        out = format_json_ruleset({t}, JsonSelection{cmd.chain, cmd.rulenum});
    } else if (cmd.command & CMD_LIST) {
        ListOptions o;
        o.verbose = cmd.verbose > 0;
        o.numeric = cmd.numeric;
        o.exact = cmd.exact;
        o.line_numbers = cmd.line_numbers;
        out = list_table(t, cmd.chain, cmd.rulenum, o);
    } else {
        out = list_rules(t, cmd.chain, cmd.rulenum, cmd.verbose > 0);
    }
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
    if (cmd.command & (CMD_ZERO | CMD_ZERO_NUM)) {
        // -L -Z -v: iptables lists, then says what it zeroes.
        // (Not after a JSON document: stdout must stay one document.)
        if ((cmd.command & CMD_ZERO) && cmd.verbose && cmd.output.empty()) {
            print_chain_verb(client, cmd, "Zeroing", false);
            std::fflush(stdout);
        }
        Op op;
        op.kind = OpKind::zero;
        op.table = cmd.table;
        op.chain = cmd.chain;
        if (cmd.command & CMD_ZERO_NUM) op.position = cmd.rulenum;
        execute_op(client, op, WaitPolicy::of(cmd));
    }
    return 0;
}

}  // namespace nfgate::cli
