// SPDX-License-Identifier: GPL-2.0
// Rule commands: -A (append), -I (insert), -D (delete by rule or number),
// -R (replace), -C (check, against a dump).
#include "commands.hpp"

#include "nfgate/iptables_text.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/plan.hpp"

#include <cstdio>

namespace nfgate::cli {

namespace {

int run_check(Client& client, const Command& cmd) {
    TableSnapshot t = client.snapshot(cmd.table);
    // iptables looks a jump target up while parsing.
    for (const auto& r : cmd.rules())
        if (!r.target.chain.empty() && !t.find_chain(r.target.chain))
            throw Error("target chain '" + r.target.chain + "' does not exist in table '" +
                            std::string(table_name(cmd.table)) + "'",
                        1,
                        {IptablesText::xtables,
                         "Couldn't load target `" + r.target.chain + "':No such file or directory\n", 2});
    if (!t.find_chain(cmd.chain))
        throw Error("chain '" + cmd.chain + "' does not exist in table '" +
                        std::string(table_name(cmd.table)) + "'",
                    1, iptc_text(iptc_bad_rule));
    for (const auto& r : cmd.rules()) {
        bool found = false;
        for (const auto* e : t.rules_of(cmd.chain))
            if (same_rule(e->rule, r)) found = true;
        if (!found) throw Error("bad rule (does a matching rule exist in that chain?)", 1, iptc_text(iptc_bad_rule));
    }
    return 0;
}

}  // namespace

int run_rule_command(const Command& cmd) {
    if (cmd.verbose && (cmd.command & ~CMD_DELETE_NUM))
        for (const auto& r : cmd.rules()) std::fputs(print_rule_verbose(r).c_str(), stdout);
    std::fflush(stdout);
    Client client;
    if (cmd.command & CMD_CHECK) return run_check(client, cmd);
    execute_ops(client, plan_command(cmd), WaitPolicy::of(cmd));
    return 0;
}

}  // namespace nfgate::cli
