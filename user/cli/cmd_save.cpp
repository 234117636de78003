// SPDX-License-Identifier: GPL-2.0
// `nfgate save [-c] [-t table]`: iptables-save output, tables in the order
// filter, mangle, raw, nat (nfgate's fixed table order).
#include "commands.hpp"
#include "program.hpp"

#include "nfgate/save.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace nfgate::cli {

int run_save(const std::vector<std::string>& args) {
    CLI::App app{"nfgate save: print the ruleset in iptables-save format", "nfgate save"};
    bool counters = false;
    std::string table;
    std::string modprobe;
    app.add_flag("-c,--counters", counters, "include packet and byte counters of every rule");
    app.add_option("-t,--table", table, "only this table (filter, mangle, raw, nat)");
    app.add_option("-M,--modprobe", modprobe, "ignored (iptables compatibility)");
    if (auto status = parse_verb_options(app, args, 1)) return *status;
    std::vector<Table> tables;
    if (!table.empty()) {
        auto t = table_from_name(table);
        if (!t) throw Error("table '" + table + "' does not exist (nfgate has filter, mangle, raw and nat)");
        tables.push_back(*t);
    } else {
        tables.assign(std::begin(all_tables), std::end(all_tables));
    }
    Client client;
    std::vector<TableSnapshot> snaps;
    for (Table t : tables) snaps.push_back(client.snapshot(t));
    std::fputs(format_save(snaps, counters, now_ctime(), program().version()).c_str(), stdout);
    return 0;
}

}  // namespace nfgate::cli
