// SPDX-License-Identifier: GPL-2.0
// Exception types of the nfgate library and the exit status each maps to
// (as iptables: 1 command or kernel error, 2 usage error).
#pragma once

#include <stdexcept>
#include <string>

namespace nfgate {

// Any nfgate error; what() is the human message without a program prefix.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& msg, int exit_status = 1)
        : std::runtime_error(msg), status_(exit_status) {}
    int exit_status() const { return status_; }

private:
    int status_;
};

// Bad command line or rule syntax (iptables' PARAMETER_PROBLEM): exit 2.
class UsageError : public Error {
public:
    explicit UsageError(const std::string& msg) : Error(msg, 2) {}
};

// The kernel refused a request: errno plus the extack message, if any.
class KernelError : public Error {
public:
    KernelError(int err, std::string extack, const std::string& msg)
        : Error(msg, 1), errno_(err), extack_(std::move(extack)) {}
    int error_number() const { return errno_; }
    const std::string& extack() const { return extack_; }

private:
    int errno_;
    std::string extack_;
};

}  // namespace nfgate
