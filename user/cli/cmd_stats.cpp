// SPDX-License-Identifier: GPL-2.0
// `nfgate stats [-t table] [--prometheus]`: the sizes and counters of the
// tables.  Without --prometheus a short summary (chains, rules, packets and
// bytes per table, and the generation); with it the Prometheus text format
// of nfgate/prometheus.hpp, e.g. for node_exporter's textfile collector.
#include "commands.hpp"

#include "nfgate/prometheus.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

namespace nfgate::cli {

int run_stats(const std::vector<std::string>& args) {
    CLI::App app{"nfgate stats: rule and chain counts and counters of the tables", "nfgate stats"};
    std::string table;
    bool prometheus = false;
    app.add_option("-t,--table", table, "only this table (filter, mangle, raw, nat)");
    app.add_flag("--prometheus", prometheus, "Prometheus text exposition format");
    if (auto status = parse_verb_options(app, args, 2)) return *status;
    std::vector<Table> tables;
    if (!table.empty()) {
        auto t = table_from_name(table);
        if (!t)
            throw UsageError("table '" + table + "' does not exist (nfgate has filter, mangle, raw and nat)");
        tables.push_back(*t);
    } else {
        tables.assign(std::begin(all_tables), std::end(all_tables));
    }
    Client client;
    std::vector<TableSnapshot> snaps;
    for (Table t : tables) snaps.push_back(client.snapshot(t));
    if (prometheus) {
        std::fputs(format_prometheus(snaps).c_str(), stdout);
        return 0;
    }
    std::uint64_t generation = 0;
    for (const auto& s : snaps) {
        generation = std::max(generation, s.generation);
        Counters sum;
        for (const auto& r : s.rules) {
            Counters c = r.rule.counters.value_or(Counters{});
            sum.packets += c.packets;
            sum.bytes += c.bytes;
        }
        std::printf("%-7s %zu chains, %zu rules, %llu packets, %llu bytes matched by rules\n",
                    std::string(table_name(s.table)).c_str(), s.chains.size(), s.rules.size(),
                    static_cast<unsigned long long>(sum.packets), static_cast<unsigned long long>(sum.bytes));
    }
    std::printf("generation %llu\n", static_cast<unsigned long long>(generation));
    return 0;
}

}  // namespace nfgate::cli
