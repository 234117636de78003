// SPDX-License-Identifier: GPL-2.0
// `nfgate restore [-n] [-t] [-c] [-T table] [FILE]`: one kernel transaction
// per `*table` ... COMMIT block; --test validates in the kernel and aborts.
// Without --noflush a block is streamed: each line parsed, planned and
// sent as it is read.
// With --noflush the block is played on a copy of the kernel's table and
// only the difference is committed (kube-proxy and Docker rewrite whole
// chains on every sync; the rules that stay keep their counters).
// Errors name the input line (also for "operation N" failures at commit).
#include "commands.hpp"

#include "nfgate/desired.hpp"
#include "nfgate/diff.hpp"
#include "nfgate/messages.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/progress.hpp"
#include "nfgate/restore.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <set>
#include <unordered_set>

namespace nfgate::cli {

namespace {

constexpr int max_stale_retries = 5;

// Which chains exist just before ops[index] runs (the kernel's view inside
// the transaction), to explain ENOENT precisely.
ErrorContext context_at(Table table, const std::set<std::string>& existing, const std::vector<Op>& ops,
                        std::size_t index) {
    std::set<std::string> chains = existing;
    for (auto c : builtin_chains(table)) chains.insert(std::string(c));
    for (std::size_t i = 0; i < index && i < ops.size(); ++i) {
        const Op& op = ops[i];
        if (op.kind == OpKind::new_chain)
            chains.insert(op.chain);
        else if (op.kind == OpKind::del_chain && !op.chain.empty())
            chains.erase(op.chain);
        else if (op.kind == OpKind::del_chain)
            for (auto it = chains.begin(); it != chains.end();)
                it = is_builtin_chain(table, *it) ? std::next(it) : chains.erase(it);
    }
    ErrorContext ctx;
    const Op& op = ops[index];
    if (!op.chain.empty()) ctx.chain_exists = chains.count(op.chain) > 0;
    if (op.rule && !op.rule->target.chain.empty())
        ctx.target_exists = chains.count(op.rule->target.chain) > 0;
    return ctx;
}

// The user chains of the table (all of them).
std::set<std::string> user_chains(Client& client, Table table) {
    std::set<std::string> out;
    for (const auto& c : client.get_chains(table))
        if (!c.builtin) out.insert(c.name);
    return out;
}

// With --noflush the plan needs to know, of the existing user chains, only
// those the block's `:CHAIN` lines name (flush it, or create it): ask for
// each by name, O(1) in the kernel, instead of dumping every chain of the
// table (kube-proxy's partial syncs name a few of its 400k chains; the
// whole dump made one service change cost O(chains)).  A chain created
// between this look-up and the commit is caught by the generation.
std::set<std::string> named_user_chains(Client& client, const RestoreBlock& block) {
    std::set<std::string> out;
    for (const auto& l : block.lines) {
        const auto* cl = std::get_if<ChainLine>(&l.what);
        if (!cl || is_builtin_chain(block.table, cl->name) || out.count(cl->name)) continue;
        if (client.find_chain(block.table, cl->name)) out.insert(cl->name);
    }
    return out;
}

// A transaction that failed as a whole (TXN_BEGIN or TXN_COMMIT): the
// block's `*table` line for a busy or changed ruleset, else its COMMIT.
[[noreturn]] void throw_block_error(const RestoreBlock& block, const TxnError& e) {
    throw RestoreError(e.error_number() == ESTALE || e.error_number() == EBUSY ? block.line : block.commit_line,
                       explain_error(Op{}, e.error_number(), e.extack()));
}

// --noflush, the block's lines as they are (a line acting on every chain,
// or locating the line of a refused difference).
void apply_block_literal(Client& client, const RestoreBlock& block, bool test) {
    for (int attempt = 0;; ++attempt) {
        std::uint64_t gen = client.get_gen();
        const std::set<std::string> existing = named_user_chains(client, block);
        RestorePlanOptions po;
        po.noflush = true;
        po.zero_policy_counters = true;
        std::vector<Op> ops = plan_restore_block(block, po, existing);
        try {
            client.run_transaction(ops, !test, gen);
            return;
        } catch (const TxnError& e) {
            if (e.error_number() == ESTALE && e.op_index() < 0 && attempt < max_stale_retries) continue;
            if (e.op_index() < 0) throw_block_error(block, e);
            auto i = static_cast<std::size_t>(e.op_index());
            // (the full chain set, read again: only on the error path)
            ErrorContext ctx = context_at(block.table, user_chains(client, block.table), ops, i);
            throw RestoreError(ops[i].line, explain_error(ops[i], e.error_number(), e.extack(), ctx));
        }
    }
}

// Above this many chains to read one by one, one dump of the table is
// cheaper (a full kube-proxy sync declares every chain it owns).
constexpr std::size_t read_whole_table_above = 64;

// The scope's content chains as the kernel has them, and which of its
// referenced chains exist; false if the generation moved meanwhile.
bool read_scope(Client& client, Table table, const NoflushScope& scope, std::uint64_t gen, TableSnapshot& current,
                std::set<std::string>& known) {
    current = TableSnapshot{};
    current.table = table;
    known.clear();
    if (scope.content.size() > read_whole_table_above) {
        TableSnapshot all = client.snapshot(table);
        std::unordered_set<std::string> names;
        for (auto& c : all.chains) {
            if (scope.content.count(c.name)) {
                names.insert(c.name);
                current.chains.push_back(std::move(c));
            } else if (scope.referenced.count(c.name)) {
                known.insert(c.name);
            }
        }
        for (auto& e : all.rules)
            if (names.count(e.chain)) current.rules.push_back(std::move(e));
        return client.get_gen() == gen;
    }
    for (const auto& name : scope.content) {
        auto c = client.find_chain(table, name);
        if (!c) continue;
        c->policy = Verdict::none;
        current.chains.push_back(std::move(*c));
        for (auto& r : client.get_rules(table, name)) current.rules.push_back(std::move(r));
    }
    for (const auto& name : scope.referenced)
        if (client.find_chain(table, name)) known.insert(name);
    current.sort();
    return client.get_gen() == gen;
}

enum class DigestRead { done, stale, not_rewrite };

// A full sync (kube-proxy's, Docker's) by chain digests: from the chain
// list alone, the block's declared chains whose rules the kernel already
// has, in order (digest.hpp), drop out of the plan; only the others' rules
// are read and diffed.  At 100k services one service's change reads a
// handful of chains instead of every rule of the table.  not_rewrite: the
// block does more than declare, append and delete (plan_noflush_rewrite).
struct DigestStats {
    std::size_t declared = 0, unchanged = 0, read = 0;
};

DigestRead read_by_digest(Client& client, const RestoreBlock& block, const NoflushScope& scope,
                          std::uint64_t gen, TableSnapshot& current, std::optional<NoflushPlan>& plan,
                          DigestStats& stats) {
    const std::vector<ChainInfo> chains = client.get_chains(block.table);
    plan = plan_noflush_rewrite(block, scope, chains);
    if (!plan) return DigestRead::not_rewrite;
    stats.declared = plan->desired.chains.size();
    std::vector<ChainInfo> left = drop_unchanged_chains(*plan, scope, chains);
    stats.unchanged = stats.declared - plan->desired.chains.size();
    current = TableSnapshot{};
    current.table = block.table;
    std::unordered_set<std::string> to_read;
    for (const auto& c : left)
        if (c.rules) to_read.insert(c.name);
    stats.read = to_read.size();
    if (to_read.size() > read_whole_table_above) {
        TableSnapshot all = client.snapshot(block.table);
        for (auto& e : all.rules)
            if (to_read.count(e.chain)) current.rules.push_back(std::move(e));
    } else {
        for (const auto& name : to_read) {
            try {
                for (auto& r : client.get_rules(block.table, name)) current.rules.push_back(std::move(r));
            } catch (const KernelError& e) {
                // deleted since the chain list was read: read again
                if (e.error_number() == ENOENT) return DigestRead::stale;
                throw;
            }
        }
    }
    current.chains = std::move(left);
    current.sort();
    return client.get_gen() == gen ? DigestRead::done : DigestRead::stale;
}

// Without --noflush a block replaces its table, and its operations do not
// depend on the kernel: they are planned and sent as the block is read,
// one line at a time, while the kernel takes the batches before.  A bulk
// load of 100k services never holds its parsed lines or its operations
// (1.7 GB of them, most of the load's time spent zeroing fresh pages).
// What is kept: the line of each operation sent, for errors.
class BlockSource : public Client::OpSource {
public:
    BlockSource(RestoreReader& reader, Table table, int table_line)
        : reader_(reader), table_(table), table_line_(table_line) {
        po_.zero_policy_counters = true;
    }
    const Op* next() override {
        while (pending_i_ == pending_.size()) {
            pending_.clear();
            pending_i_ = 0;
            if (!started_) {
                started_ = true;
                pending_ = plan_restore_begin(table_, table_line_);
                continue;
            }
            if (commit_line_) return nullptr;
            RestoreLine l;
            if (reader_.next(l) == RestoreReader::Event::line)
                plan_restore_line(table_, std::move(l), po_, chains_, pending_);
            else  // COMMIT (a `*table` or the end cannot come inside a block)
                commit_line_ = l.line;
        }
        return &pending_[pending_i_++];
    }
    int commit_line() const { return commit_line_; }

private:
    RestoreReader& reader_;
    Table table_;
    int table_line_;
    RestorePlanOptions po_;
    std::set<std::string> chains_;  // unused without --noflush
    std::vector<Op> pending_;       // the current line's operations
    std::size_t pending_i_ = 0;
    bool started_ = false;
    int commit_line_ = 0;
};

// A refused operation of a streamed block, found again by reading the
// block again from `start`: the operation and the chain operations before
// it (which context_at() needs), the refused one last.
std::vector<Op> refused_op(RestoreReader start, Table table, int table_line, std::size_t index) {
    BlockSource again(start, table, table_line);
    std::vector<Op> out;
    for (std::size_t i = 0; i <= index; ++i) {
        const Op* op = again.next();
        if (!op) break;
        if (i == index || op->kind == OpKind::new_chain || op->kind == OpKind::del_chain) out.push_back(*op);
    }
    return out;
}

void restore_streamed(std::string_view data, const RestoreOptions& ro, bool test) {
    RestoreReader reader(data, ro);
    std::optional<Client> client;  // opened at the first block, as before
    std::optional<Progress> progress;
    RestoreLine l;
    while (reader.next(l) == RestoreReader::Event::table) {
        const Table table = *reader.table();
        const int table_line = l.line;
        const RestoreReader start = reader;
        const std::size_t lines = reader.lines_until_commit();
        if (!client) {
            client.emplace();
            progress.emplace(std::cerr, stderr_is_terminal());
            client->on_progress([&](std::size_t done, std::size_t total) { progress->update(done, total); });
        }
        for (int attempt = 0;; ++attempt) {
            reader = start;
            BlockSource src(reader, table, table_line);
            try {
                client->run_transaction(src, lines + 2, !test, client->get_gen());
                break;
            } catch (const TxnError& e) {
                if (e.error_number() == ESTALE && e.op_index() < 0 && attempt < max_stale_retries) continue;
                if (e.op_index() < 0) throw_block_error(RestoreBlock{table, table_line, {}, src.commit_line()}, e);
                std::vector<Op> ops = refused_op(start, table, table_line, static_cast<std::size_t>(e.op_index()));
                if (ops.empty()) throw_block_error(RestoreBlock{table, table_line, {}, src.commit_line()}, e);
                const std::size_t i = ops.size() - 1;
                const Op& op = ops[i];
                const ErrorContext ctx = context_at(table, {}, ops, i);
                // iptables-restore takes a jump to a chain the block has
                // not created (yet) for an extension it cannot load: a
                // parameter problem, status 2.
                IptablesText ipt;
                if (e.error_number() == ENOENT && op.rule && !op.rule->target.chain.empty() &&
                    ctx.target_exists == false)
                    ipt = {IptablesText::xtables,
                           "Couldn't load target `" + op.rule->target.chain + "':No such file or directory\n", 2};
                throw RestoreError(op.line, explain_error(op, e.error_number(), e.extack(), ctx), std::move(ipt));
            }
        }
    }
}

// --noflush: the chains the block rewrites are diffed against the kernel's
// (the rules that stay keep handles and counters); its other lines go as
// they are; all in one transaction begun at the generation read.
void apply_block_noflush(Client& client, const RestoreBlock& block, bool test, bool counters, bool verbose) {
    const NoflushScope scope = noflush_scope(block);
    if (scope.whole_table) {
        apply_block_literal(client, block, test);
        return;
    }
    // Digests ignore counters: with -c every chain is read and compared.
    const bool by_digest = !counters && scope.content.size() > read_whole_table_above;
    for (int attempt = 0;; ++attempt) {
        std::uint64_t gen = client.get_gen();
        TableSnapshot current;
        std::optional<NoflushPlan> plan;
        DigestStats stats;
        DigestRead dr = by_digest ? read_by_digest(client, block, scope, gen, current, plan, stats)
                                  : DigestRead::not_rewrite;
        if (dr == DigestRead::stale && attempt < max_stale_retries) continue;
        // -v, "additional debug info" in iptables-restore(8): how much of
        // the kernel's table this block had to read.
        if (verbose && dr == DigestRead::done)
            std::cerr << "nfgate restore: " << table_name(block.table) << ": " << stats.declared
                      << " chains declared, " << stats.unchanged << " unchanged by digest, " << stats.read
                      << " read\n";
        else if (verbose)
            std::cerr << "nfgate restore: " << table_name(block.table) << ": " << scope.content.size()
                      << " chains declared, all read\n";
        if (dr == DigestRead::not_rewrite) {
            std::set<std::string> known;
            if (!read_scope(client, block.table, scope, gen, current, known) && attempt < max_stale_retries)
                continue;
            plan = plan_noflush(block, scope, current, known);
        }
        DiffOptions dopts;
        dopts.counters = counters;
        std::vector<DiffOp> diff = diff_table(current, plan->desired, dopts);
        std::vector<Op> ops = noflush_ops(std::move(*plan), diff);
        if (ops.empty()) return;
        try {
            client.run_transaction(ops, !test, gen);
            return;
        } catch (const TxnError& e) {
            if (e.error_number() == ESTALE && e.op_index() < 0 && attempt < max_stale_retries) continue;
            if (e.op_index() < 0) throw_block_error(block, e);
            // The kernel refused an operation (a target in a hook that
            // does not allow it, a chain that is not there, a reference
            // from a chain that was not read): the block's own
            // operations, validated and aborted, name the line.
            apply_block_literal(client, block, true);
            auto k = static_cast<std::size_t>(e.op_index());
            throw RestoreError(ops[k].line ? ops[k].line : block.commit_line,
                               explain_error(ops[k], e.error_number(), e.extack()));
        }
    }
}

}  // namespace

int run_restore(const std::vector<std::string>& args) {
    CLI::App app{"nfgate restore: load a ruleset in iptables-save format", "nfgate restore"};
    bool noflush = false, test = false, counters = false;
    int verbose = 0;
    std::string only_table, file, modprobe;
    app.add_flag("-n,--noflush", noflush, "don't flush the tables (and user chains) first");
    app.add_flag("-t,--test", test, "only parse and validate (in the kernel), change nothing");
    app.add_flag("-c,--counters", counters, "restore packet and byte counters");
    app.add_flag("-v,--verbose", verbose, "with --noflush: how much of each table was read (stderr)");
    app.add_option("-T,--table", only_table, "restore only this table");
    app.add_option("-M,--modprobe", modprobe, "ignored (iptables compatibility)");
    app.add_option("file", file, "input file (default: standard input)");
    if (auto status = parse_verb_options(app, args, 1)) return *status;

    RestoreOptions ro;
    ro.counters = counters;
    if (!only_table.empty()) ro.only_table = only_table;
    if (!noflush) {
        restore_streamed(slurp_restore_file(file), ro, test);
        return 0;
    }
    std::vector<RestoreBlock> blocks = read_restore_file(file, ro);
    if (blocks.empty()) return 0;
    Client client;
    Progress progress(std::cerr, stderr_is_terminal());
    client.on_progress([&](std::size_t done, std::size_t total) { progress.update(done, total); });
    for (const auto& b : blocks) apply_block_noflush(client, b, test, counters, verbose > 0);
    return 0;
}

}  // namespace nfgate::cli
