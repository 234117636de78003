// SPDX-License-Identifier: GPL-2.0
// `nfgate -h` and `nfgate -V` text.
#include "commands.hpp"

#include "nfgate/version.hpp"

#include <cstdio>

namespace nfgate::cli {

void print_version() { std::printf("nfgate v%s\n", NFGATE_VERSION); }

void print_usage() {
    print_version();
    std::printf(
        "\n"
        "Usage: nfgate -[ACD] chain rule-specification [options]\n"
        "       nfgate -I chain [rulenum] rule-specification [options]\n"
        "       nfgate -R chain rulenum rule-specification [options]\n"
        "       nfgate -D chain rulenum [options]\n"
        "       nfgate -[LS] [chain [rulenum]] [options]\n"
        "       nfgate -[FZ] [chain] [options]\n"
        "       nfgate -[NX] chain\n"
        "       nfgate -E old-chain-name new-chain-name\n"
        "       nfgate -P chain target [options]\n"
        "       nfgate save [-c] [-t table]\n"
        "       nfgate restore [-n|--noflush] [-t|--test] [-c|--counters] [-T table] [file]\n"
        "       nfgate apply [--dry-run] [-c] [-v] [-t table] [file]\n"
        "       nfgate monitor [-t table]\n"
        "       nfgate -h (print this help information)\n"
        "\n"
        "Tables: filter (INPUT FORWARD OUTPUT), mangle (PREROUTING INPUT FORWARD\n"
        "OUTPUT POSTROUTING), raw (PREROUTING OUTPUT), nat (PREROUTING INPUT OUTPUT\n"
        "POSTROUTING; a connection's first packet only). Matches: [!] -s/-d\n"
        "address[/mask][,...], [!] -p proto, [!] -i/-o name[+], -m tcp|udp (or\n"
        "implicit after -p) [!] --sport/--dport port[:port].\n"
        "Targets: -j ACCEPT|DROP|RETURN|CHAIN, -g CHAIN.\n"
        "Options: -t table, -v, -n, -x, --line-numbers, -c packets bytes.\n");
}

}  // namespace nfgate::cli
