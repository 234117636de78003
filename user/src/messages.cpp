// SPDX-License-Identifier: GPL-2.0
// Error explanations for each operation and errno of the protocol.
#include "nfgate/messages.hpp"

#include <cerrno>
#include <cstring>

namespace nfgate {

namespace {

std::string chain_ref(const Op& op) { return "chain '" + op.chain + "'"; }

std::string missing_chain(const Op& op, const std::string& name) {
    return "chain '" + name + "' does not exist in table '" + std::string(table_name(op.table)) + "'";
}

bool is_rule_op(OpKind k) {
    return k == OpKind::new_rule || k == OpKind::del_rule || k == OpKind::replace_rule;
}

std::string base_message(const Op& op, int err, const ErrorContext& ctx) {
    const std::string target = op.rule ? op.rule->target.chain : std::string();
    switch (err) {
        case ENOENT:
            if (op.chain.empty()) return "no such chain or rule";
            if (ctx.chain_exists == false) return missing_chain(op, op.chain);
            if (!target.empty() && ctx.target_exists == false &&
                (op.kind == OpKind::new_rule || op.kind == OpKind::replace_rule))
                return "target " + missing_chain(op, target);
            switch (op.kind) {
                case OpKind::del_rule:
                    if (op.rule) return "bad rule (does a matching rule exist in that chain?)";
                    return op.handle
                               ? "no rule with handle " + std::to_string(*op.handle) + " in " + chain_ref(op)
                               : "index of deletion too big";
                case OpKind::replace_rule:
                    return "index of replacement too big";
                case OpKind::zero:
                    if (op.position) return "index of rule too big";
                    return missing_chain(op, op.chain);
                case OpKind::new_rule:
                    if (!target.empty() && ctx.chain_exists == true)
                        return "target " + missing_chain(op, target);
                    return missing_chain(op, op.chain);
                default:
                    return missing_chain(op, op.chain);
            }
        case EEXIST:
            return "chain '" + op.chain + "' already exists";
        case ERANGE:
            if (op.kind == OpKind::new_rule) return "index of insertion too big";
            if (op.kind == OpKind::replace_rule) return "index of replacement too big";
            if (op.kind == OpKind::del_rule) return "index of deletion too big";
            return "rule position out of range";
        case ENOTEMPTY:
            return op.chain.empty() ? "a user chain is not empty (flush it first)"
                                    : chain_ref(op) + " is not empty (flush it first)";
        case EMLINK:
            return op.chain.empty()
                       ? "a user chain is still referenced by a rule"
                       : chain_ref(op) + " is referenced by a rule (remove the jumps to it first)";
        case EPERM:
            if (op.kind == OpKind::del_chain && is_builtin_chain(op.table, op.chain))
                return "can't delete built-in " + chain_ref(op);
            if (op.kind == OpKind::set_policy && !is_builtin_chain(op.table, op.chain))
                return "bad built-in chain name '" + op.chain + "' (only built-in chains have a policy)";
            return "permission denied (you must be root, with CAP_NET_ADMIN)";
        case ELOOP:
            return "jump to chain '" + target + "' would create a loop or nest too deep (max " +
                   std::to_string(NFGATE_MAX_JUMP_DEPTH) + " chains)";
        case EBUSY:
            return "another nfgate transaction is in progress, try again";
        case ECANCELED:
            return "the transaction had already failed";
        case ESTALE:
            return "the ruleset changed meanwhile (generation mismatch)";
        case ENOSPC:
            return "limit on rules, chains or interface names in this network namespace reached";
        case EINVAL:
            if (is_rule_op(op.kind)) return "invalid rule";
            return "invalid argument";
        default:
            return std::strerror(err);
    }
}

// Whether the kernel's extack text adds to the message: not when the
// message already names the object and the reason.
bool extack_adds(const Op& op, int err) {
    switch (err) {
        case EEXIST:
        case ERANGE:
        case ENOTEMPTY:
        case EMLINK:
            return op.chain.empty();  // the kernel may name the chain
        case ELOOP:
        case EBUSY:
        case ECANCELED:
            return false;
        case ENOENT:
            return op.chain.empty();
        case EPERM:
            return !(op.kind == OpKind::del_chain && is_builtin_chain(op.table, op.chain)) &&
                   !(op.kind == OpKind::set_policy && !is_builtin_chain(op.table, op.chain));
        default:
            return true;
    }
}

}  // namespace

std::string explain_error(const Op& op, int err, const std::string& extack, const ErrorContext& ctx) {
    // Something else than a chain is missing (a conntrack helper, a
    // logger, ...): the kernel's message says what.
    const bool writes_rule = op.kind == OpKind::new_rule || op.kind == OpKind::replace_rule;
    const bool jumps = op.rule && !op.rule->target.chain.empty();
    if (err == ENOENT && writes_rule && !extack.empty() && ctx.chain_exists == true &&
        (!jumps || ctx.target_exists == true))
        return extack;
    // ERANGE is also what an attribute policy says of a value beyond its
    // bounds ("integer out of range"): only the kernel's own position
    // message (kmod/write.c) means an index.
    if (err == ERANGE && !extack.empty() && extack != "position out of range")
        return std::string(is_rule_op(op.kind) ? "invalid rule" : "invalid argument") + " (" + extack + ")";
    std::string msg = base_message(op, err, ctx);
    if (!extack.empty() && extack_adds(op, err)) msg += " (" + extack + ")";
    return msg;
}

}  // namespace nfgate
