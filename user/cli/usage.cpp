// SPDX-License-Identifier: GPL-2.0
// `nfgate -h` and `nfgate -V` text.
#include "commands.hpp"
#include "program.hpp"

#include "nfgate/ext.hpp"
#include "nfgate/version.hpp"

#include <cstdio>
#include <span>
#include <cstring>
#include <string_view>

namespace nfgate::cli {

void print_version() { std::printf("%s\n", program().version().c_str()); }

namespace {

// One wrapped paragraph naming every kind of the registry.
void print_kinds(const char* title, std::span<const ExtKind* const> kinds) {
    std::size_t col = std::strlen(title);
    std::printf("\n%s", title);
    for (const ExtKind* k : kinds) {
        const std::string_view n = k->name();
        if (col + 1 + n.size() > 76) {
            std::printf("\n ");
            col = 1;
        }
        std::printf(" %.*s", static_cast<int>(n.size()), n.data());
        col += 1 + n.size();
    }
    std::printf("\n");
}

}  // namespace

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
        "implicit after -p) [!] --sport/--dport port[:port], tcp also [!] --syn,\n"
        "[!] --tcp-flags mask comp, [!] --tcp-option n.\n"
        "Targets: -j ACCEPT|DROP|RETURN|CHAIN, -g CHAIN.\n"
        "Options: -t table, -v, -n, -x, --line-numbers, -c packets bytes.\n");
    print_kinds("Extension matches (-m NAME):", all_match_kinds());
    print_kinds("Extension targets (-j NAME):", all_target_kinds());
}

}  // namespace nfgate::cli
