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
    // As the drop-in, iptables' name and only iptables' commands.
    const bool dropin = program().iptables;
    const char* me = dropin ? "iptables" : "nfgate";
    static constexpr const char* forms[] = {
        "-[ACD] chain rule-specification [options]",
        "-I chain [rulenum] rule-specification [options]",
        "-R chain rulenum rule-specification [options]",
        "-D chain rulenum [options]",
        "-[LS] [chain [rulenum]] [options]",
        "-[FZ] [chain] [options]",
        "-[NX] chain",
        "-E old-chain-name new-chain-name",
        "-P chain target [options]",
    };
    static constexpr const char* verbs[] = {
        "save [-c] [-t table] [-o json]",
        "restore [-n|--noflush] [-t|--test] [-c|--counters] [-T table] [file]",
        "apply [--dry-run] [-c] [-v] [-t table] [file]",
        "monitor [-t table] [-o json]",
        "stats [-t table] [--prometheus]",
    };
    const char* lead = "\nUsage: ";
    for (const char* f : forms) {
        std::printf("%s%s %s\n", lead, me, f);
        lead = "       ";
    }
    if (!dropin)
        for (const char* v : verbs) std::printf("%s%s %s\n", lead, me, v);
    std::printf("%s%s -h (print this help information)\n", lead, me);
    std::printf(
        "\n"
        "Tables: filter (INPUT FORWARD OUTPUT), mangle (PREROUTING INPUT FORWARD\n"
        "OUTPUT POSTROUTING), raw (PREROUTING OUTPUT), nat (PREROUTING INPUT OUTPUT\n"
        "POSTROUTING; a connection's first packet only). Matches: [!] -s/-d\n"
        "address[/mask][,...], [!] -p proto, [!] -i/-o name[+], -m tcp|udp (or\n"
        "implicit after -p) [!] --sport/--dport port[:port], tcp also [!] --syn,\n"
        "[!] --tcp-flags mask comp, [!] --tcp-option n.\n"
        "Targets: -j ACCEPT|DROP|RETURN|CHAIN, -g CHAIN.\n"
        "Options: -t table, -v, -n, -x, --line-numbers, -c packets bytes.\n");
    if (!dropin) std::printf("With -L or -S: -o json (--output json), a JSON document (schema_version 1).\n");
    print_kinds("Extension matches (-m NAME):", all_match_kinds());
    print_kinds("Extension targets (-j NAME):", all_target_kinds());
}

}  // namespace nfgate::cli
