// SPDX-License-Identifier: GPL-2.0
// iptables-legacy's words for a refused operation: libiptc's TC_STRERROR
// picks a message by the function that failed and errno, falling back to
// strerror(); nfgate's operations map onto those functions here.
#include "nfgate/iptables_text.hpp"

#include <cerrno>
#include <cstring>

namespace nfgate {

namespace {

// libiptc's entries for one function (TC_INSERT_ENTRY, ...), by nfgate's
// errno for the same failure (nfgate says ERANGE for an index too big,
// libiptc E2BIG).
const char* function_text(const Op& op, int err) {
    switch (op.kind) {
        case OpKind::new_chain:
            if (err == EEXIST) return "Chain already exists";
            break;
        case OpKind::new_rule:
            if (err == ERANGE) return "Index of insertion too big";
            if (err == ELOOP) return "Loop found in table";
            break;
        case OpKind::replace_rule:
            if (err == ERANGE) return "Index of replacement too big";
            break;
        case OpKind::del_rule:
            if (err == ERANGE) return "Index of deletion too big";
            // Deleting (or checking) by specification.
            if (err == ENOENT && op.rule) return iptc_bad_rule;
            break;
        case OpKind::zero:
            if (err == ERANGE) return "Index of counter too big";
            break;
        case OpKind::set_policy:
            if (err == ENOENT || err == EPERM) return "Bad built-in chain name";
            break;
        case OpKind::del_chain:
            // nfgate refuses a built-in chain with EPERM, libiptc with
            // EINVAL, whose text iptables 1.8.9 prints as strerror's.
            if (err == EPERM) return "Invalid argument. Run `dmesg' for more information";
            break;
        default:
            break;
    }
    return nullptr;
}

}  // namespace

IptablesText iptables_kernel_text(const Op& op, int err, const ErrorContext& ctx) {
    // iptables looks the jump target up while parsing: a chain it does
    // not find must be a target extension, which it cannot load.
    if (err == ENOENT && op.rule && !op.rule->target.chain.empty() && ctx.target_exists == false)
        return {IptablesText::xtables,
                "Couldn't load target `" + op.rule->target.chain + "':No such file or directory\n", 2};
    // The xtables lock iptables would have waited for (without -w).
    if (err == EBUSY)
        return {IptablesText::xtables,
                "Another app is currently holding the xtables lock. Perhaps you want to use the -w option?",
                4};
    if (const char* t = function_text(op, err)) return iptc_text(t);
    switch (err) {
        case ENOMEM:
            return iptc_text("Memory allocation problem");
        case ENOENT:
            return iptc_text(iptc_no_such_chain);
        default:
            return iptc_text(std::strerror(err));
    }
}

}  // namespace nfgate
