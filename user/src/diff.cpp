// SPDX-License-Identifier: GPL-2.0
// The difference between two states of a table as write operations:
// sequence diff (Myers, patience fallback) per chain, then the operations
// in an order that is valid at every step of the transaction.
#include "nfgate/diff.hpp"

#include "nfgate/format.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

namespace nfgate {

namespace {

// Past this many edits Myers' trace (O(D^2) memory, O((N+M)D) time) is not
// worth it; the patience split takes over.
constexpr std::size_t myers_max_edits = 2000;
constexpr std::size_t myers_max_work = 100'000'000;

using Ids = std::vector<std::uint32_t>;

// Half-open index ranges of a and b under diff.
struct Range {
    std::size_t a0, a1, b0, b1;
};

// Myers' greedy algorithm on a range with no common prefix or suffix
// trimmed necessarily; nullopt when it needs more than `max_d` edits.
std::optional<SeqEdit> myers(const Ids& a, const Ids& b, const Range& r, std::size_t max_d) {
    const long n = static_cast<long>(r.a1 - r.a0), m = static_cast<long>(r.b1 - r.b0);
    const long dmax = std::min<long>(n + m, static_cast<long>(max_d));
    const long off = dmax + 1;
    std::vector<long> v(static_cast<std::size_t>(2 * dmax + 3), 0);
    // snaps[d]: V[k] for k in [-d, d] after round d.
    std::vector<std::vector<long>> snaps;
    auto at = [&](long k) -> long& { return v[static_cast<std::size_t>(k + off)]; };
    long found = -1;
    for (long d = 0; d <= dmax && found < 0; ++d) {
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
            long y = x - k;
            while (x < n && y < m && a[r.a0 + static_cast<std::size_t>(x)] == b[r.b0 + static_cast<std::size_t>(y)]) {
                ++x;
                ++y;
            }
            at(k) = x;
            if (x >= n && y >= m) found = d;
        }
        snaps.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));
    }
    if (found < 0) return std::nullopt;

    SeqEdit e;
    long x = n, y = m;
    for (long d = found; d > 0; --d) {
        const auto& prev = snaps[static_cast<std::size_t>(d - 1)];
        auto pv = [&](long k) { return prev[static_cast<std::size_t>(k + d - 1)]; };
        long k = x - y;
        bool down = k == -d || (k != d && pv(k - 1) < pv(k + 1));
        long pk = down ? k + 1 : k - 1;
        long px = pv(pk), py = px - pk;
        if (down)
            e.inserted.push_back(r.b0 + static_cast<std::size_t>(py));
        else
            e.deleted.push_back(r.a0 + static_cast<std::size_t>(px));
        x = px;
        y = py;
    }
    std::reverse(e.deleted.begin(), e.deleted.end());
    std::reverse(e.inserted.begin(), e.inserted.end());
    return e;
}

void append(SeqEdit& to, const SeqEdit& from) {
    to.deleted.insert(to.deleted.end(), from.deleted.begin(), from.deleted.end());
    to.inserted.insert(to.inserted.end(), from.inserted.begin(), from.inserted.end());
}

// Anchors for the patience split: (i, j) pairs of ids occurring exactly
// once in a's range and once in b's, longest chain increasing in both.
std::vector<std::pair<std::size_t, std::size_t>> unique_anchors(const Ids& a, const Ids& b, const Range& r) {
    std::unordered_map<std::uint32_t, std::pair<long, long>> seen;  // id -> (index or -2 if repeated)
    for (std::size_t i = r.a0; i < r.a1; ++i) {
        auto [it, fresh] = seen.try_emplace(a[i], static_cast<long>(i), -1);
        if (!fresh) it->second.first = -2;
    }
    for (std::size_t j = r.b0; j < r.b1; ++j) {
        auto it = seen.find(b[j]);
        if (it == seen.end()) continue;
        it->second.second = it->second.second == -1 ? static_cast<long>(j) : -2;
    }
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (const auto& [id, p] : seen)
        if (p.first >= 0 && p.second >= 0)
            pairs.emplace_back(static_cast<std::size_t>(p.first), static_cast<std::size_t>(p.second));
    std::sort(pairs.begin(), pairs.end());
    // Longest increasing subsequence of j (patience sorting).
    std::vector<std::size_t> tails, prev(pairs.size(), SIZE_MAX);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        auto it = std::lower_bound(tails.begin(), tails.end(), pairs[p].second,
                                   [&](std::size_t t, std::size_t j) { return pairs[t].second < j; });
        if (it != tails.begin()) prev[p] = *(it - 1);
        if (it == tails.end())
            tails.push_back(p);
        else
            *it = p;
    }
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t p = tails.empty() ? SIZE_MAX : tails.back(); p != SIZE_MAX; p = prev[p])
        out.push_back(pairs[p]);
    std::reverse(out.begin(), out.end());
    return out;
}

void diff_range(const Ids& a, const Ids& b, Range r, SeqEdit& out) {
    while (r.a0 < r.a1 && r.b0 < r.b1 && a[r.a0] == b[r.b0]) {
        ++r.a0;
        ++r.b0;
    }
    while (r.a0 < r.a1 && r.b0 < r.b1 && a[r.a1 - 1] == b[r.b1 - 1]) {
        --r.a1;
        --r.b1;
    }
    std::size_t n = r.a1 - r.a0, m = r.b1 - r.b0;
    if (n == 0 || m == 0) {
        for (std::size_t i = r.a0; i < r.a1; ++i) out.deleted.push_back(i);
        for (std::size_t j = r.b0; j < r.b1; ++j) out.inserted.push_back(j);
        return;
    }
    std::size_t budget = std::min(myers_max_edits, myers_max_work / (n + m));
    if (auto e = myers(a, b, r, budget)) {
        append(out, *e);
        return;
    }
    auto anchors = unique_anchors(a, b, r);
    if (anchors.empty()) {
        for (std::size_t i = r.a0; i < r.a1; ++i) out.deleted.push_back(i);
        for (std::size_t j = r.b0; j < r.b1; ++j) out.inserted.push_back(j);
        return;
    }
    std::size_t pa = r.a0, pb = r.b0;
    for (auto [i, j] : anchors) {
        diff_range(a, b, Range{pa, i, pb, j}, out);
        pa = i + 1;
        pb = j + 1;
    }
    diff_range(a, b, Range{pa, r.a1, pb, r.b1}, out);
}

// Rule -> small id, equal ids exactly for same_rule() rules. The canonical
// save text with its target is the hash key (without the target, the 100k
// `-m statistic ... -j KUBE-SEP-...` rules of kube-proxy's table shared one
// bucket, walked for each of them); same_rule() decides within a key.
class RuleIds {
public:
    std::uint32_t id(const RuleSpec& r) {
        auto& bucket = by_text_[format_append({}, normalized(r), CounterStyle::none)];
        for (const auto& [rep, id] : bucket)
            if (same_rule(rep, r)) return id;
        bucket.emplace_back(r, next_);
        return next_++;
    }

private:
    std::unordered_map<std::string, std::vector<std::pair<RuleSpec, std::uint32_t>>> by_text_;
    std::uint32_t next_ = 0;
};

Op base_op(OpKind k, Table t, const std::string& chain) {
    Op op;
    op.kind = k;
    op.table = t;
    op.chain = chain;
    return op;
}

// One chain's rules that differ: ids, a sequence diff, and the deletes
// (by handle, last first) and inserts (at their positions) it implies.
void diff_chain(Table t, const std::string& chain, const std::vector<const RuleEntry*>& crules,
                const std::vector<const RuleEntry*>& wrules, const DiffOptions& opts, RuleIds& ids,
                std::vector<DiffOp>& deletes, std::vector<DiffOp>& inserts) {
    Ids a, b;
    a.reserve(crules.size());
    b.reserve(wrules.size());
    for (const auto* e : crules) a.push_back(ids.id(e->rule));
    for (const auto* e : wrules) b.push_back(ids.id(e->rule));
    SeqEdit e = diff_sequences(a, b);
    for (auto it = e.deleted.rbegin(); it != e.deleted.rend(); ++it) {
        DiffOp d{base_op(OpKind::del_rule, t, chain), static_cast<std::uint32_t>(*it + 1)};
        d.op.handle = crules[*it]->rule.handle;
        deletes.push_back(std::move(d));
    }
    // Kept rules sit between inserts; an insert past the last kept rule
    // is an append.
    std::size_t kept_after = 0;  // largest desired index kept, +1
    {
        std::size_t k = 0;
        for (std::size_t j = 0; j < b.size(); ++j) {
            if (k < e.inserted.size() && e.inserted[k] == j) {
                ++k;
                continue;
            }
            kept_after = j + 1;
        }
    }
    for (std::size_t j : e.inserted) {
        DiffOp d{base_op(OpKind::new_rule, t, chain)};
        RuleSpec r = wrules[j]->rule;
        r.handle = 0;
        if (!opts.counters) r.counters.reset();
        d.op.rule = std::move(r);
        if (j < kept_after) d.op.position = static_cast<std::uint32_t>(j + 1);
        inserts.push_back(std::move(d));
    }
}

}  // namespace

SeqEdit diff_sequences(const Ids& a, const Ids& b) {
    SeqEdit e;
    diff_range(a, b, Range{0, a.size(), 0, b.size()}, e);
    std::sort(e.deleted.begin(), e.deleted.end());
    std::sort(e.inserted.begin(), e.inserted.end());
    return e;
}

std::vector<DiffOp> diff_table(const TableSnapshot& current, const TableSnapshot& desired,
                               const DiffOptions& opts) {
    const Table t = desired.table;
    const RulesByChain cur = current.rules_by_chain(), want = desired.rules_by_chain();
    std::vector<DiffOp> creates, deletes, drops, policies, inserts;
    // by name: TableSnapshot::find_chain() is a linear search
    std::unordered_map<std::string_view, const ChainInfo*> in_current, in_desired;
    for (const auto& c : current.chains) in_current.emplace(c.name, &c);
    for (const auto& c : desired.chains) in_desired.emplace(c.name, &c);

    for (const auto& c : desired.chains)
        if (!c.builtin && !in_current.count(c.name)) creates.push_back({base_op(OpKind::new_chain, t, c.name)});

    RuleIds ids;
    for (const auto& c : current.chains) {
        const auto& crules = cur[c.name];
        if (!in_desired.count(c.name)) {
            // A user chain that goes: one flush, then -X after every delete.
            if (!crules.empty()) deletes.push_back({base_op(OpKind::flush, t, c.name)});
            drops.push_back({base_op(OpKind::del_chain, t, c.name)});
            continue;
        }
        const auto& wrules = want[c.name];
        // Most chains of a full sync are as they were: no ids, no diff
        // (kept rules keep their counters either way).
        const bool unchanged =
            crules.size() == wrules.size() &&
            std::equal(crules.begin(), crules.end(), wrules.begin(),
                       [](const RuleEntry* x, const RuleEntry* y) { return same_rule(x->rule, y->rule); });
        if (!unchanged) diff_chain(t, c.name, crules, wrules, opts, ids, deletes, inserts);
        if (c.builtin) {
            const ChainInfo* w = in_desired.at(c.name);
            bool differs = w->policy != c.policy || (opts.counters && w->counters != c.counters);
            if (differs) {
                DiffOp d{base_op(OpKind::set_policy, t, c.name)};
                d.op.policy = w->policy;
                if (opts.counters) d.op.counters = w->counters;
                policies.push_back(std::move(d));
            }
        }
    }
    for (const auto& c : desired.chains) {
        if (in_current.count(c.name)) continue;
        for (const auto* e : want[c.name]) {
            DiffOp d{base_op(OpKind::new_rule, t, c.name)};
            RuleSpec r = e->rule;
            r.handle = 0;
            if (!opts.counters) r.counters.reset();
            d.op.rule = std::move(r);
            inserts.push_back(std::move(d));
        }
    }

    std::vector<DiffOp> out;
    out.reserve(creates.size() + deletes.size() + drops.size() + policies.size() + inserts.size());
    for (auto* part : {&creates, &deletes, &drops, &policies, &inserts})
        for (auto& d : *part) out.push_back(std::move(d));
    return out;
}

std::string format_diff_op(const DiffOp& d) {
    const Op& op = d.op;
    std::string s = "-t " + std::string(table_name(op.table)) + " ";
    switch (op.kind) {
        case OpKind::new_chain:
            return s + "-N " + op.chain;
        case OpKind::del_chain:
            return s + "-X " + op.chain;
        case OpKind::flush:
            return s + "-F " + op.chain;
        case OpKind::set_policy:
            return s + format_policy(op.chain, op.policy, op.counters);
        case OpKind::del_rule:
            return s + "-D " + op.chain + " " + std::to_string(d.shown_position);
        case OpKind::new_rule: {
            CounterStyle style = op.rule->counters ? CounterStyle::option : CounterStyle::none;
            std::string line = format_append(op.chain, *op.rule, style);
            if (op.position)
                line = "-I " + op.chain + " " + std::to_string(*op.position) + line.substr(3 + op.chain.size());
            return s + line;
        }
        case OpKind::replace_rule:
        case OpKind::zero:
            break;
    }
    return s + "?";
}

std::vector<Op> diff_ops(const std::vector<DiffOp>& diff) {
    std::vector<Op> ops;
    ops.reserve(diff.size());
    for (const auto& d : diff) ops.push_back(d.op);
    return ops;
}

}  // namespace nfgate
