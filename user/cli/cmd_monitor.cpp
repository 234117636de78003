// SPDX-License-Identifier: GPL-2.0
// `nfgate monitor [-t table] [-o json]`: one line per committed change as
// it happens (format in nfgate/event.hpp, documented in user/README.md; with
// -o json one JSON object per line, nfgate/json.hpp), line buffered;
// SIGINT/SIGTERM end it with status 0.
#include "commands.hpp"

#include "nfgate/json.hpp"
#include "nfgate/monitor.hpp"

#include <CLI/CLI.hpp>

#include <poll.h>
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

namespace nfgate::cli {

namespace {

volatile sig_atomic_t stop_requested = 0;

void on_stop_signal(int) { stop_requested = 1; }

}  // namespace

int run_monitor(const std::vector<std::string>& args) {
    CLI::App app{"nfgate monitor: print every committed ruleset change as it happens", "nfgate monitor"};
    std::string table;
    app.add_option("-t,--table", table, "only changes of this table (filter, mangle, raw, nat)");
    std::string output;
    app.add_option("-o,--output", output, "output format: json (one object per line)")
        ->check(CLI::IsMember({"json"}));
    if (auto status = parse_verb_options(app, args, 2)) return *status;
    std::optional<Table> only;
    if (!table.empty()) {
        only = table_from_name(table);
        if (!only) throw UsageError("table '" + table + "' does not exist (nfgate has filter, mangle, raw and nat)");
    }

    Monitor mon;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    // The signals stay blocked except inside ppoll(), so a signal can only
    // arrive while waiting and is never lost between the check and the wait.
    sigset_t stop_set, wait_mask;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_set, &wait_mask);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    const bool json = output == "json";
    auto line = [json](const Event& e) { return json ? format_json_event(e) : format_event(e); };
    std::uint32_t shown = 0;  // lines of the selected table in this batch
    auto print = [&](const Event& e) {
        if (only && e.kind != EventKind::commit && e.kind != EventKind::lost && e.table != *only) return;
        if (only && e.kind == EventKind::commit) {
            if (!shown) return;
            Event marker = e;
            marker.changes = shown;
            shown = 0;
            std::printf("%s\n", line(marker).c_str());
            return;
        }
        if (e.kind != EventKind::commit && e.kind != EventKind::lost) ++shown;
        std::printf("%s\n", line(e).c_str());
    };

    while (!stop_requested) {
        pollfd p{mon.fd(), POLLIN, 0};
        int rc = ppoll(&p, 1, nullptr, &wait_mask);
        if (rc < 0) {
            if (errno == EINTR) continue;
            throw Error("waiting for nfgate events failed: " + std::string(std::strerror(errno)));
        }
        mon.receive(print);
    }
    std::fflush(stdout);
    return 0;
}

}  // namespace nfgate::cli
