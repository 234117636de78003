// SPDX-License-Identifier: GPL-2.0
// Which program this process is, from the name it was started by: nfgate
// itself (nfgate, nfgate-save, nfgate-restore) or the drop-in iptables
// (iptables-nfgate[-save|-restore], or iptables[-save|-restore] once
// update-alternatives points those names at it), which speaks with
// iptables-legacy v1.8.9's words, version and error format.
#pragma once

#include "nfgate/error.hpp"
#include "nfgate/restore.hpp"

#include <string>
#include <string_view>

namespace nfgate::cli {

// The iptables release whose output the drop-in reproduces.
inline constexpr std::string_view iptables_version = "1.8.9";

struct Program {
    enum Mode { command, save, restore };
    Mode mode = command;
    bool iptables = false;          // the drop-in personality
    std::string name = "nfgate";    // "iptables", "iptables-save", "nfgate"...

    static Program from_argv0(std::string_view argv0);
    // "iptables v1.8.9 (nfgate)" or "nfgate v0.1.0".
    std::string version() const;
    // Print err as this program does, return its exit status.
    int report(const Error& err, bool usage) const;

private:
    int report_restore(const RestoreError& err) const;
};

// The program of this process (set once by main).
const Program& program();
void set_program(const Program& p);

}  // namespace nfgate::cli
