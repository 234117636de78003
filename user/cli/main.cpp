// SPDX-License-Identifier: GPL-2.0
// nfgate entry point: `save` / `restore` / `apply` / `monitor` / `stats` subcommands
// (also as nfgate-save, nfgate-restore), otherwise an iptables command
// line.  Started as iptables-nfgate[-save|-restore] (or as iptables once
// update-alternatives points there) it is the drop-in iptables
// (program.hpp).  Errors map to iptables' exit statuses (1 command or
// kernel error, 2 usage error, 3 no such table, 4 lock held).
#include "commands.hpp"
#include "program.hpp"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

using namespace nfgate;

namespace {

int dispatch(const std::vector<std::string>& args) {
    // As nfgate (not the drop-in) -L and -S also take -o json.
    ParseContext ctx;
    ctx.output_format = !cli::program().iptables;
    Command cmd = parse_command(args, ctx);
    if (cmd.wait_interval_given && cli::program().iptables)
        std::fputs("Ignoring deprecated --wait-interval option.\n", stderr);
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

int run(const cli::Program& prog, const std::vector<std::string>& args) {
    if (prog.mode == cli::Program::save) return cli::run_save(args);
    if (prog.mode == cli::Program::restore) return cli::run_restore(args);
    if (!prog.iptables && !args.empty()) {
        const std::vector<std::string> rest(args.begin() + 1, args.end());
        if (args[0] == "save") return cli::run_save(rest);
        if (args[0] == "restore") return cli::run_restore(rest);
        if (args[0] == "apply") return cli::run_apply(rest);
        if (args[0] == "monitor") return cli::run_monitor(rest);
        if (args[0] == "stats") return cli::run_stats(rest);
    }
    return dispatch(args);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    cli::set_program(cli::Program::from_argv0(argc > 0 ? argv[0] : "nfgate"));
    const cli::Program& prog = cli::program();
    try {
        return run(prog, args);
    } catch (const UsageError& e) {
        return prog.report(e, true);
    } catch (const Error& e) {
        return prog.report(e, false);
    } catch (const std::exception& e) {
        return prog.report(Error(e.what()), false);
    }
}
