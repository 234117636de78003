// SPDX-License-Identifier: GPL-2.0
// What iptables-legacy v1.8.9 prints for a failure nfgate reports, for the
// drop-in names (iptables-nfgate): libiptc's message for the operation and
// errno (its TC_STRERROR table, then strerror), and the few failures
// iptables reports as its own errors (a missing jump target, a held lock).
#pragma once

#include "nfgate/error.hpp"
#include "nfgate/messages.hpp"
#include "nfgate/op.hpp"

#include <string>

namespace nfgate {

// The kernel refused OP with ERR; ctx as for explain_error().
IptablesText iptables_kernel_text(const Op& op, int err, const ErrorContext& ctx);

// libiptc's generic texts, for failures the CLI finds before the kernel
// does (a chain missing for -L or -C, ...).
inline constexpr const char* iptc_no_such_chain = "No chain/target/match by that name";
inline constexpr const char* iptc_bad_rule = "Bad rule (does a matching rule exist in that chain?)";
inline IptablesText iptc_text(std::string text) { return {IptablesText::libiptc, std::move(text), 0}; }
// iptables adds a hint to libiptc's message when errno is EINVAL.
inline std::string iptc_einval(const std::string& text) { return text + ". Run `dmesg' for more information"; }

}  // namespace nfgate
