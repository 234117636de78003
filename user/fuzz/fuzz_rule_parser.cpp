// SPDX-License-Identifier: GPL-2.0
// libFuzzer target: the iptables command-line grammar (parse_command), as
// `iptables ARGS` and as a line of nfgate's own CLI.  Input: one command
// line, split as iptables-restore splits a line (blanks, "..." quoting), so
// the seeds are readable rule lines such as `-A INPUT -p tcp --dport 22
// -j ACCEPT`.  A line that parses is formatted every way the CLI can print
// it and sent through the netlink encoder and decoder, which must give the
// same rule back.  Usage errors are the expected outcome, not findings.
#include "exercise.hpp"

#include "nfgate/parse.hpp"
#include "nfgate/restore.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args = nfgate::tokenize_restore_line(text);
    for (bool own_cli : {false, true}) {
        nfgate::ParseContext ctx;
        ctx.output_format = own_cli;
        try {
            nfgate::Command c = nfgate::parse_command(args, ctx);
            if (!c.is_rule_command()) continue;
            for (const nfgate::RuleSpec& r : c.rules()) nfgate::fuzz::exercise_rule(r, true);
        } catch (const nfgate::Error&) {
        }
    }
    return 0;
}
