// SPDX-License-Identifier: GPL-2.0
// `nfgate save [-c] [-t table] [-o json]`: iptables-save output, tables in
// the order filter, mangle, raw, nat (nfgate's fixed table order); -o json
// (not as iptables-nfgate-save) prints the JSON ruleset document instead.
#include "commands.hpp"
#include "program.hpp"

#include "nfgate/json.hpp"
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
    std::string output;
    // iptables-save has no -o: the drop-in refuses it as iptables-save does.
    if (!program().iptables)
        app.add_option("-o,--output", output, "output format: json (counters always included)")
            ->check(CLI::IsMember({"json"}));
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
    if (output == "json")
        std::fputs(format_json_ruleset(snaps).c_str(), stdout);
    else
        std::fputs(format_save(snaps, counters, now_ctime(), program().version()).c_str(), stdout);
    return 0;
}

}  // namespace nfgate::cli
