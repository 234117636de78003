// SPDX-License-Identifier: GPL-2.0
// nfgate entry point: `save` / `restore` / `apply` / `monitor` subcommands (also as nfgate-save,
// nfgate-restore), otherwise an iptables command line; maps errors to
// iptables' exit statuses (1 command/kernel error, 2 usage error).
#include "commands.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

using namespace nfgate;

namespace {

int dispatch(const std::vector<std::string>& args) {
    Command cmd = parse_command(args);
    if (cmd.help) {
        cli::print_usage();
        return 0;
    }
    if (cmd.version) {
        cli::print_version();
        return 0;
    }
    if (cmd.command & (CMD_LIST | CMD_LIST_RULES)) return cli::run_list_command(cmd);
    if (cmd.is_rule_command() || (cmd.command & CMD_DELETE_NUM)) return cli::run_rule_command(cmd);
    return cli::run_chain_command(cmd);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string prog = argc > 0 ? argv[0] : "nfgate";
    if (auto slash = prog.rfind('/'); slash != std::string::npos) prog = prog.substr(slash + 1);
    try {
        if (prog == "nfgate-save") return cli::run_save(args);
        if (prog == "nfgate-restore") return cli::run_restore(args);
        if (!args.empty() && args[0] == "save") return cli::run_save({args.begin() + 1, args.end()});
        if (!args.empty() && args[0] == "restore") return cli::run_restore({args.begin() + 1, args.end()});
        if (!args.empty() && args[0] == "apply") return cli::run_apply({args.begin() + 1, args.end()});
        if (!args.empty() && args[0] == "monitor") return cli::run_monitor({args.begin() + 1, args.end()});
        return dispatch(args);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "nfgate: %s\n", e.what());
        std::fprintf(stderr, "Try `nfgate -h' or 'nfgate --help' for more information.\n");
        return e.exit_status();
    } catch (const Error& e) {
        std::fprintf(stderr, "nfgate: %s\n", e.what());
        return e.exit_status();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nfgate: %s\n", e.what());
        return 1;
    }
}
