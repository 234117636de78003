// SPDX-License-Identifier: GPL-2.0
// Exception types of the nfgate library and the exit status each maps to
// (as iptables: 1 command or kernel error, 2 usage error).
#pragma once

#include <stdexcept>
#include <string>

namespace nfgate {

// How iptables-legacy words the same failure, for the drop-in names
// (iptables-nfgate): libiptc's "iptables: TEXT.", xtables_error()'s
// "iptables v1.8.9 (nfgate): TEXT", or plain "iptables-restore: TEXT";
// none: nfgate's own message (restore: "line N failed").  exit_status,
// when not 0, is iptables' where it differs.
struct IptablesText {
    enum Style { none, libiptc, xtables, plain };
    Style style = none;
    std::string text;
    int exit_status = 0;
};

// Any nfgate error; what() is the human message without a program prefix.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& msg, int exit_status = 1, IptablesText ipt = {})
        : std::runtime_error(msg), status_(exit_status), ipt_(std::move(ipt)) {}
    int exit_status() const { return status_; }
    const IptablesText& iptables_text() const { return ipt_; }

private:
    int status_;
    IptablesText ipt_;
};

// Bad command line or rule syntax (iptables' PARAMETER_PROBLEM): exit 2.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& msg, IptablesText ipt = {}) : Error(msg, 2, std::move(ipt)) {}
};

// The kernel refused a request: errno plus the extack message, if any.
class KernelError : public Error {
public:
    KernelError(int err, std::string extack, const std::string& msg, IptablesText ipt = {})
        : Error(msg, 1, std::move(ipt)), errno_(err), extack_(std::move(extack)) {}
    int error_number() const { return errno_; }
    const std::string& extack() const { return extack_; }

private:
    int errno_;
    std::string extack_;
};

}  // namespace nfgate
