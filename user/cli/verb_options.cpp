// SPDX-License-Identifier: GPL-2.0
// Option parsing shared by the verbs that take their own options (save,
// restore, apply, monitor): CLI11 with iptables' exit statuses.
#include "commands.hpp"

#include <CLI/CLI.hpp>

namespace nfgate::cli {

std::optional<int> parse_verb_options(CLI::App& app, const std::vector<std::string>& args,
                                      int error_status) {
    // CLI11 takes a vector of arguments in reverse order.
    std::vector<std::string> rev(args.rbegin(), args.rend());
    try {
        app.parse(rev);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : error_status;
    }
    return std::nullopt;
}

}  // namespace nfgate::cli
