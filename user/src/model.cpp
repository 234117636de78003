// SPDX-License-Identifier: GPL-2.0
// RulesetModel: the kernel's per-namespace tables simulated in memory.
#include "nfgate/model.hpp"

#include "nfgate/error.hpp"
#include "nfgate/ext.hpp"

#include <linux/nfgate.h>

#include <cerrno>

namespace nfgate {

namespace {

[[noreturn]] void fail(int err, const std::string& msg) { throw KernelError(err, msg, msg); }

}  // namespace

RulesetModel::RulesetModel() : tables_(std::size(all_tables)) {
    for (Table t : all_tables)
        for (auto name : builtin_chains(t))
            chains(t)[std::string(name)] = Chain{true, Verdict::accept, {}, {}};
}

std::uint32_t RulesetModel::refs(const Chains& cs, const std::string& name) const {
    std::uint32_t n = 0;
    for (const auto& [cname, c] : cs)
        for (const auto& r : c.rules)
            if ((r.target.verdict == Verdict::jump || r.target.verdict == Verdict::go_to) &&
                r.target.chain == name)
                ++n;
    return n;
}

bool RulesetModel::reaches(const Chains& cs, const std::string& from, const std::string& to,
                           int depth) const {
    if (from == to) return true;
    if (depth > NFGATE_MAX_JUMP_DEPTH) return true;
    auto it = cs.find(from);
    if (it == cs.end()) return false;
    for (const auto& r : it->second.rules)
        if ((r.target.verdict == Verdict::jump || r.target.verdict == Verdict::go_to) &&
            reaches(cs, r.target.chain, to, depth + 1))
            return true;
    return false;
}

void RulesetModel::check_rule(const Chains& cs, const std::string& chain, const RuleSpec& r) const {
    if (r.l4 && (r.proto_num() != 6 && r.proto_num() != 17))
        fail(EINVAL, "port match needs -p tcp or -p udp");
    if (r.l4 && r.proto && r.proto->invert) fail(EINVAL, "port match needs a protocol that is not inverted");
    if (r.proto && r.proto->num == 0 && r.proto->invert) fail(EINVAL, "protocol 0 cannot be inverted");
    if (r.l4 && r.l4->has_tcp_data() && r.proto_num() != 6) fail(EINVAL, "tcp match needs protocol tcp, not inverted");
    for (const auto& m : r.matches) {
        bool inv = r.proto && r.proto->invert;
        std::uint8_t p = r.proto_num();
        if (m.kind->name() == "icmp" && (p != 1 || inv)) fail(EINVAL, "icmp match needs protocol icmp, not inverted");
        if (m.kind->name() == "multiport" && (inv || (p != 6 && p != 17 && p != 136 && p != 132 && p != 33)))
            fail(EINVAL, "multiport needs protocol tcp, udp, udplite, sctp or dccp, not inverted");
    }
    bool builtin = cs.at(chain).builtin;
    if (r.target.verdict == Verdict::ext && r.target.ext.kind->name() == "TCPMSS") {
        // xt_TCPMSS's checkentry
        if (r.proto_num() != 6 || r.proto->invert) fail(EINVAL, "TCPMSS: only valid with -p tcp, not inverted");
        if (!r.l4 || !r.l4->has_flags || r.l4->flags_invert || !(r.l4->flags_comp & 0x02))
            fail(EINVAL, "TCPMSS: only works on TCP SYN packets");
        AttrReader a(r.target.ext.data);
        if (builtin && a.has(NFGATE_TCPMSS_A_MSS) && a.u16(NFGATE_TCPMSS_A_MSS) == NFGATE_TCPMSS_CLAMP_PMTU &&
            chain != "FORWARD" && chain != "OUTPUT" && chain != "POSTROUTING")
            fail(EINVAL, "TCPMSS is not valid in chain " + chain);
    }
    if (builtin && r.in && (chain == "OUTPUT" || chain == "POSTROUTING"))
        fail(EINVAL, "input interface not valid in " + chain);
    if (builtin && r.out && (chain == "PREROUTING" || chain == "INPUT"))
        fail(EINVAL, "output interface not valid in " + chain);
    if (r.target.verdict == Verdict::jump || r.target.verdict == Verdict::go_to) {
        auto it = cs.find(r.target.chain);
        if (it == cs.end()) fail(ENOENT, "target chain '" + r.target.chain + "' does not exist");
        if (it->second.builtin) fail(EINVAL, "cannot jump to a built-in chain");
        if (reaches(cs, r.target.chain, chain, 0))
            fail(ELOOP, "jump to '" + r.target.chain + "' would create a loop");
    }
}

void RulesetModel::apply(const Op& op) {
    Chains& cs = chains(op.table);
    auto find = [&](const std::string& name) -> Chain& {
        auto it = cs.find(name);
        if (it == cs.end()) fail(ENOENT, "chain '" + name + "' does not exist");
        return it->second;
    };
    auto rule_index = [&](Chain& c) -> std::size_t {
        if (op.handle) {
            for (std::size_t i = 0; i < c.rules.size(); ++i)
                if (c.rules[i].handle == *op.handle) return i;
            fail(ENOENT, "no rule with that handle");
        }
        if (op.position) {
            if (*op.position < 1 || *op.position > c.rules.size()) fail(ENOENT, "no rule at that position");
            return *op.position - 1;
        }
        if (op.rule) {
            for (std::size_t i = 0; i < c.rules.size(); ++i)
                if (same_rule(c.rules[i], *op.rule)) return i;
            fail(ENOENT, "no such rule");
        }
        fail(EINVAL, "no rule selector");
    };

    switch (op.kind) {
        case OpKind::new_chain:
            if (cs.count(op.chain)) fail(EEXIST, "chain '" + op.chain + "' exists");
            cs[op.chain] = Chain{};
            return;
        case OpKind::del_chain: {
            std::vector<std::string> victims;
            if (op.chain.empty()) {
                for (const auto& [n, c] : cs)
                    if (!c.builtin) victims.push_back(n);
            } else {
                if (find(op.chain).builtin) fail(EPERM, "cannot delete built-in chain");
                victims.push_back(op.chain);
            }
            for (const auto& v : victims) {
                if (!cs.at(v).rules.empty()) fail(ENOTEMPTY, "chain '" + v + "' is not empty");
                if (refs(cs, v)) fail(EMLINK, "chain '" + v + "' is referenced");
            }
            for (const auto& v : victims) cs.erase(v);
            return;
        }
        case OpKind::flush:
            if (op.chain.empty()) {
                for (auto& [n, c] : cs) c.rules.clear();
            } else {
                find(op.chain).rules.clear();
            }
            return;
        case OpKind::set_policy: {
            Chain& c = find(op.chain);
            if (!c.builtin) fail(EPERM, "only built-in chains have a policy");
            if (op.policy != Verdict::accept && op.policy != Verdict::drop)
                fail(EINVAL, "policy must be ACCEPT or DROP");
            c.policy = op.policy;
            if (op.counters) c.counters = *op.counters;
            return;
        }
        case OpKind::new_rule: {
            Chain& c = find(op.chain);
            check_rule(cs, op.chain, *op.rule);
            RuleSpec r = normalized(*op.rule);
            r.counters = op.rule->counters.value_or(Counters{});
            r.handle = next_handle_++;
            if (op.position) {
                if (*op.position < 1 || *op.position > c.rules.size() + 1)
                    fail(ERANGE, "position out of range");
                c.rules.insert(c.rules.begin() + (*op.position - 1), r);
            } else {
                c.rules.push_back(r);
            }
            return;
        }
        case OpKind::del_rule: {
            Chain& c = find(op.chain);
            c.rules.erase(c.rules.begin() + static_cast<long>(rule_index(c)));
            return;
        }
        case OpKind::replace_rule: {
            Chain& c = find(op.chain);
            std::size_t i = rule_index(c);
            check_rule(cs, op.chain, *op.rule);
            RuleSpec r = normalized(*op.rule);
            r.counters = op.rule->counters.value_or(Counters{});
            r.handle = next_handle_++;
            c.rules[i] = r;
            return;
        }
        case OpKind::zero: {
            auto zero_chain = [](Chain& c) {
                c.counters = {};
                for (auto& r : c.rules) r.counters = Counters{};
            };
            if (op.chain.empty()) {
                for (auto& [n, c] : cs) zero_chain(c);
            } else if (op.position || op.handle) {
                Chain& c = find(op.chain);
                c.rules[rule_index(c)].counters = Counters{};
            } else {
                zero_chain(find(op.chain));
            }
            return;
        }
    }
}

void RulesetModel::apply_all(const std::vector<Op>& ops) {
    auto saved = tables_;
    auto saved_handle = next_handle_;
    try {
        for (const auto& op : ops) apply(op);
    } catch (...) {
        tables_ = std::move(saved);
        next_handle_ = saved_handle;
        throw;
    }
}

TableSnapshot RulesetModel::snapshot(Table t) const {
    TableSnapshot s;
    s.table = t;
    const Chains& cs = chains(t);
    // every chain's references in one pass (refs() per chain: chains x rules)
    std::map<std::string_view, std::uint32_t> refs_of;
    for (const auto& [cname, c] : cs)
        for (const auto& r : c.rules)
            if (r.target.verdict == Verdict::jump || r.target.verdict == Verdict::go_to) ++refs_of[r.target.chain];
    for (const auto& [name, c] : cs) {
        ChainInfo ci;
        ci.name = name;
        ci.builtin = c.builtin;
        if (c.builtin) {
            ci.policy = c.policy;
            ci.counters = c.counters;
        }
        auto ref = refs_of.find(name);
        ci.refs = ref == refs_of.end() ? 0 : ref->second;
        ci.rules = static_cast<std::uint32_t>(c.rules.size());
        s.chains.push_back(ci);
        std::uint32_t pos = 0;
        for (const auto& r : c.rules) s.rules.push_back(RuleEntry{name, ++pos, r});
    }
    s.sort();
    return s;
}

}  // namespace nfgate
