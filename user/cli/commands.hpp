// SPDX-License-Identifier: GPL-2.0
// The CLI's verbs (one file each) and their shared helpers.
#pragma once

#include "nfgate/client.hpp"
#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace nfgate::cli {

// Parses a verb's options (save, restore, apply, monitor, stats) with CLI11.
// Returns the exit status when the verb must stop here: 0 after --help,
// error_status after a bad option (iptables-save/-restore use 1, the
// nfgate-only verbs 2); nullopt when the verb goes on.
std::optional<int> parse_verb_options(CLI::App& app, const std::vector<std::string>& args,
                                      int error_status);

int run_rule_command(const Command& cmd);   // -A -I -D -R -C
int run_chain_command(const Command& cmd);  // -N -X -P -F -Z -E
int run_list_command(const Command& cmd);   // -L -S (and -Z with them)
// -v's "VERB chain `NAME'" lines, as iptables prints them before flushing,
// zeroing or deleting: the command's chain, or every chain of its table
// (only user chains if user_only).
void print_chain_verb(Client& client, const Command& cmd, const char* verb, bool user_only);
int run_save(const std::vector<std::string>& args);
int run_restore(const std::vector<std::string>& args);
int run_apply(const std::vector<std::string>& args);
int run_monitor(const std::vector<std::string>& args);
int run_stats(const std::vector<std::string>& args);

void print_usage();
void print_version();

// -w/-W of the command: how long to retry while another socket holds a
// transaction (EBUSY).
struct WaitPolicy {
    bool wait = false;
    unsigned seconds = 0;  // 0: forever
    unsigned interval_us = 1000000;
    static WaitPolicy of(const Command& cmd) { return {cmd.wait, cmd.wait_seconds, cmd.wait_interval_us}; }
};

// Runs one write operation, turning a KernelError into an Error that names
// the object (looks up whether the chains involved exist).
ScalarReply execute_op(Client& client, const Op& op, const WaitPolicy& wait = {});
// Runs several operations as one transaction, same error translation.
void execute_ops(Client& client, const std::vector<Op>& ops, const WaitPolicy& wait = {});
[[noreturn]] void throw_explained(Client& client, const Op& op, const KernelError& e);

}  // namespace nfgate::cli
