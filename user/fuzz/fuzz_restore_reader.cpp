// SPDX-License-Identifier: GPL-2.0
// libFuzzer target: the iptables-restore reader (RestoreReader, as the bulk
// load drives it), with -c (counters), the mode that reads the most: the
// `[p:b]` prefixes and policy counters.  Input: a whole restore file.
// Every rule of every command line read is formatted and sent through the
// netlink encoder and decoder.  RestoreError is the expected outcome.
#include "exercise.hpp"

#include "nfgate/restore.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    nfgate::RestoreOptions opts;
    opts.counters = true;
    try {
        nfgate::RestoreReader reader(text, opts);
        nfgate::RestoreLine line;
        for (;;) {
            auto ev = reader.next(line);
            if (ev == nfgate::RestoreReader::Event::end) break;
            if (ev == nfgate::RestoreReader::Event::table) {
                volatile std::size_t hint = reader.lines_until_commit();
                (void)hint;
            }
            if (ev != nfgate::RestoreReader::Event::line) continue;
            if (auto* c = std::get_if<nfgate::Command>(&line.what)) {
                if (!c->is_rule_command()) continue;
                for (const nfgate::RuleSpec& r : c->rules()) nfgate::fuzz::exercise_rule(r, true);
            }
        }
    } catch (const nfgate::Error&) {
    }
    return 0;
}
