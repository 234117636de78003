// SPDX-License-Identifier: GPL-2.0
// `nfgate apply [--dry-run] [-c] [-v] [-t TABLE] [FILE|-]`: make the tables
// a file names equal to the file, with the fewest operations, in one
// transaction begun at the generation that was read (ESTALE -> re-read and
// retry). --dry-run prints the operations and changes nothing.
#include "commands.hpp"

#include "nfgate/desired.hpp"
#include "nfgate/diff.hpp"
#include "nfgate/messages.hpp"
#include "nfgate/progress.hpp"
#include "nfgate/restore.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace nfgate::cli {

namespace {

constexpr int max_attempts = 5;

struct Plan {
    std::uint64_t generation = 0;
    std::vector<DiffOp> diff;
};

// Reads the named tables at one generation and computes the difference.
Plan make_plan(Client& client, const std::vector<RestoreBlock>& blocks, const DiffOptions& dopts) {
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        Plan p;
        p.generation = client.get_gen();
        std::vector<TableSnapshot> current;
        for (Table t : named_tables(blocks)) current.push_back(client.snapshot(t));
        if (client.get_gen() != p.generation) continue;
        std::vector<TableSnapshot> desired = desired_tables(blocks, current);
        for (std::size_t i = 0; i < current.size(); ++i)
            for (auto& d : diff_table(current[i], desired[i], dopts)) p.diff.push_back(std::move(d));
        return p;
    }
    throw Error("the ruleset kept changing while it was being read; nothing was changed");
}

void print_diff(const std::vector<DiffOp>& diff) {
    for (const auto& d : diff) std::printf("%s\n", format_diff_op(d).c_str());
    std::printf("%zu change%s\n", diff.size(), diff.size() == 1 ? "" : "s");
}

}  // namespace

int run_apply(const std::vector<std::string>& args) {
    CLI::App app{"nfgate apply: make the tables named in FILE (iptables-save format) equal to it, "
                 "changing only what differs, in one transaction",
                 "nfgate apply"};
    bool dry_run = false, counters = false, verbose = false;
    std::string only_table, file;
    app.add_flag("--dry-run", dry_run, "print the operations (iptables syntax) and change nothing");
    app.add_flag("-c,--counters", counters, "give new rules (and policies) the file's [packets:bytes]");
    app.add_flag("-v,--verbose", verbose, "print the operations as they are committed");
    app.add_option("-t,--table", only_table, "apply only this table's block");
    app.add_option("file", file, "desired ruleset (default or '-': standard input)");
    if (auto status = parse_verb_options(app, args, 2)) return *status;
    if (!only_table.empty() && !table_from_name(only_table))
        throw UsageError("table '" + only_table + "' does not exist (nfgate has filter, mangle, raw and nat)");

    RestoreOptions ro;
    ro.counters = counters;
    if (!only_table.empty()) ro.only_table = only_table;
    std::vector<RestoreBlock> blocks = read_restore_file(file, ro);
    if (blocks.empty()) {
        if (dry_run || verbose) print_diff({});
        return 0;
    }

    DiffOptions dopts;
    dopts.counters = counters;
    Client client;
    Progress progress(std::cerr, stderr_is_terminal());
    client.on_progress([&](std::size_t done, std::size_t total) { progress.update(done, total); });
    for (int attempt = 1;; ++attempt) {
        Plan p = make_plan(client, blocks, dopts);
        if (dry_run) {
            print_diff(p.diff);
            return 0;
        }
        if (p.diff.empty()) {
            if (verbose) print_diff(p.diff);
            return 0;
        }
        std::vector<Op> ops = diff_ops(p.diff);
        try {
            client.run_transaction(ops, true, p.generation);
            progress.finish();
            if (verbose) print_diff(p.diff);
            return 0;
        } catch (const TxnError& e) {
            progress.finish();
            if (e.error_number() == ESTALE && e.op_index() < 0) {
                if (attempt < max_attempts) continue;
                throw Error("the ruleset was changed by someone else " + std::to_string(max_attempts) +
                            " times while apply ran (ESTALE); nothing was changed");
            }
            if (e.op_index() < 0)
                throw KernelError(e.error_number(), e.extack(),
                                  explain_error(Op{}, e.error_number(), e.extack()) + "; nothing was changed");
            auto i = static_cast<std::size_t>(e.op_index());
            throw KernelError(e.error_number(), e.extack(),
                              "operation " + std::to_string(i + 1) + " (" + format_diff_op(p.diff[i]) +
                                  "): " + explain_error(ops[i], e.error_number(), e.extack()) +
                                  "; nothing was changed");
        }
    }
}

}  // namespace nfgate::cli
