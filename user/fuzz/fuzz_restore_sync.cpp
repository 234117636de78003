// SPDX-License-Identifier: GPL-2.0
// libFuzzer target: the plans that send a difference instead of a restore
// file's literal operations (desired.cpp, diff.cpp), checked against those
// operations in the in-memory model (model.hpp: the kernel's documented
// semantics).  Input: two iptables-save files separated by a NUL byte,
// BEFORE and AFTER.  BEFORE is loaded as `restore` loads it; then each
// block of AFTER is played three ways beside its literal operations:
//   - `apply`: desired_tables() + diff_table(), against a flushing restore;
//   - `restore --noflush` by the model: noflush_scope(), plan_noflush() on
//     the scope's chains, the difference, noflush_ops(); against the
//     block's literal --noflush operations;
//   - `restore --noflush` by chain digests, when the block is a plain
//     rewrite: plan_noflush_rewrite(), drop_unchanged_chains(), then the
//     chains left read and diffed; against the same.
// Where the model takes the literal operations, each plan must be taken
// too and leave the same table (its save text, counters left out): a
// refusal or another table aborts, which libFuzzer reports as a crash.
#include "../tests/model_digests.hpp"
#include "nfgate/desired.hpp"
#include "nfgate/diff.hpp"
#include "nfgate/digest.hpp"
#include "nfgate/error.hpp"
#include "nfgate/model.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/save.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace nfgate;

[[noreturn]] void mismatch(const char* path, const RestoreBlock& b, const std::string& got,
                           const std::string& want) {
    std::fprintf(stderr,
                 "fuzz_restore_sync: %s differs from the literal operations (block of line %d)\n"
                 "--- %s:\n%s--- literal:\n%s",
                 path, b.line, path, got.c_str(), want.c_str());
    std::abort();
}

[[noreturn]] void refused(const char* path, const RestoreBlock& b, const Error& e) {
    std::fprintf(stderr,
                 "fuzz_restore_sync: %s refused what the literal operations do (block of line %d): %s\n",
                 path, b.line, e.what());
    std::abort();
}

std::set<std::string> user_chains(const TableSnapshot& t) {
    std::set<std::string> out;
    for (const auto& c : t.chains)
        if (!c.builtin) out.insert(c.name);
    return out;
}

std::string text_of(const RulesetModel& m, Table t) { return format_save_table(m.snapshot(t), false); }

using test::chains_with_digests;

// `full` cut down to `names` (what the CLI reads of the kernel).
TableSnapshot part_of(const TableSnapshot& full, const std::set<std::string>& names) {
    TableSnapshot part;
    part.table = full.table;
    for (const auto& c : full.chains)
        if (names.count(c.name)) part.chains.push_back(c);
    for (const auto& e : full.rules)
        if (names.count(e.chain)) part.rules.push_back(e);
    part.sort();
    return part;
}

// apply: flushing restore of `b` on `literal`, the difference on `synced`.
bool apply_block(RulesetModel& literal, RulesetModel& synced, const RestoreBlock& b) {
    try {
        literal.apply_all(plan_restore_block(b, {}));
    } catch (const Error&) {
        return false;
    }
    try {
        TableSnapshot cur = synced.snapshot(b.table);
        TableSnapshot want = desired_tables({b}, {cur}).at(0);
        synced.apply_all(diff_ops(diff_table(cur, want)));
    } catch (const Error& e) {
        refused("apply", b, e);
    }
    std::string got = text_of(synced, b.table), lit = text_of(literal, b.table);
    if (got != lit) mismatch("apply", b, got, lit);
    return true;
}

std::vector<Op> noflush_by_model(const RulesetModel& m, const RestoreBlock& b, const NoflushScope& scope) {
    TableSnapshot full = m.snapshot(b.table);
    std::set<std::string> content(scope.content.begin(), scope.content.end()), known;
    for (const auto& c : full.chains)
        if (scope.referenced.count(c.name)) known.insert(c.name);
    TableSnapshot part = part_of(full, content);
    NoflushPlan plan = plan_noflush(b, scope, part, known);
    auto diff = diff_table(part, plan.desired);
    return noflush_ops(std::move(plan), diff);
}

std::optional<std::vector<Op>> noflush_by_digest(const RulesetModel& m, const RestoreBlock& b,
                                                 const NoflushScope& scope) {
    TableSnapshot full = m.snapshot(b.table);
    std::vector<ChainInfo> chains = chains_with_digests(full);
    auto plan = plan_noflush_rewrite(b, scope, chains);
    if (!plan) return std::nullopt;
    std::set<std::string> read;
    for (const auto& c : drop_unchanged_chains(*plan, scope, chains)) read.insert(c.name);
    TableSnapshot cur = part_of(full, read);
    auto diff = diff_table(cur, plan->desired);
    return noflush_ops(std::move(*plan), diff);
}

// restore --noflush: the literal operations on `literal`, the model's and
// the digests' plans on copies of `synced`.
bool noflush_block(RulesetModel& literal, RulesetModel& synced, const RestoreBlock& b) {
    RestorePlanOptions po;
    po.noflush = true;
    po.zero_policy_counters = true;
    std::vector<Op> ops;
    try {
        ops = plan_restore_block(b, po, user_chains(literal.snapshot(b.table)));
        literal.apply_all(ops);
    } catch (const Error&) {
        return false;
    }
    const std::string lit = text_of(literal, b.table);
    NoflushScope scope = noflush_scope(b);
    if (scope.whole_table) {  // the CLI sends such a block as it is
        try {
            synced.apply_all(ops);
        } catch (const Error& e) {
            refused("noflush (whole table)", b, e);
        }
        return true;
    }
    std::optional<std::vector<Op>> by_digest;
    try {
        by_digest = noflush_by_digest(synced, b, scope);
    } catch (const Error& e) {
        refused("noflush (digests)", b, e);
    }
    if (by_digest) {
        RulesetModel m = synced;
        try {
            m.apply_all(*by_digest);
        } catch (const Error& e) {
            refused("noflush (digests)", b, e);
        }
        std::string got = text_of(m, b.table);
        if (got != lit) mismatch("noflush (digests)", b, got, lit);
    }
    try {
        synced.apply_all(noflush_by_model(synced, b, scope));
    } catch (const Error& e) {
        refused("noflush", b, e);
    }
    std::string got = text_of(synced, b.table);
    if (got != lit) mismatch("noflush", b, got, lit);
    return true;
}

std::vector<RestoreBlock> blocks_of(std::string_view text) {
    std::istringstream in{std::string(text)};
    return read_restore(in, {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view all(reinterpret_cast<const char*>(data), size);
    auto nul = all.find('\0');
    if (nul == std::string_view::npos) return 0;
    std::vector<RestoreBlock> before, after;
    RulesetModel loaded;
    try {
        before = blocks_of(all.substr(0, nul));
        after = blocks_of(all.substr(nul + 1));
        for (const auto& b : before) loaded.apply_all(plan_restore_block(b, {}));
    } catch (const Error&) {
        return 0;
    }
    RulesetModel literal = loaded, synced = loaded;
    for (const auto& b : after)
        if (!apply_block(literal, synced, b)) break;
    literal = loaded, synced = loaded;
    for (const auto& b : after)
        if (!noflush_block(literal, synced, b)) break;
    return 0;
}
