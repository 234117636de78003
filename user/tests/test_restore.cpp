// SPDX-License-Identifier: GPL-2.0
// Restore reader tests: iptables-restore tokenizer quoting, blocks, chain
// lines, counters, -T, and errors with line numbers.
#include "nfgate/restore.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace nfgate {
namespace {

using Tokens = std::vector<std::string>;

std::vector<RestoreBlock> read(const std::string& text, RestoreOptions o = {}) {
    std::istringstream in(text);
    return read_restore(in, o);
}

std::string error_of(const std::string& text, RestoreOptions o = {}) {
    try {
        read(text, o);
    } catch (const RestoreError& e) {
        EXPECT_EQ(e.exit_status(), 1);
        return e.what();
    }
    return "accepted";
}

TEST(Restore, Tokenizer) {
    EXPECT_EQ(tokenize_restore_line("-A  INPUT\t-j ACCEPT\n"), (Tokens{"-A", "INPUT", "-j", "ACCEPT"}));
    EXPECT_EQ(tokenize_restore_line("--comment \"a b\" x"), (Tokens{"--comment", "a b", "x"}));
    EXPECT_EQ(tokenize_restore_line("\"abc\"def"), (Tokens{"abc", "def"}));
    EXPECT_EQ(tokenize_restore_line("abc\"def\" g"), (Tokens{"abcdef", "g"}));
    EXPECT_EQ(tokenize_restore_line("-c \"\" x"), (Tokens{"-c", "", "x"}));
    EXPECT_EQ(tokenize_restore_line("\"a\\\"b\\\\c\""), (Tokens{"a\"b\\c"}));
    EXPECT_EQ(tokenize_restore_line("'a b' c\\d"), (Tokens{"'a", "b'", "c\\d"}));
    EXPECT_EQ(tokenize_restore_line("   "), Tokens{});
}

TEST(Restore, UnsupportedFeaturesNameTheLine) {
    EXPECT_EQ(error_of("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m u32 --u32 0x0 -j ACCEPT\nCOMMIT\n"),
              "line 3: match `u32' is not supported by nfgate");
    EXPECT_EQ(error_of("*filter\n-A INPUT -j MIRROR\nCOMMIT\n"),
              "line 2: target `MIRROR' is not supported by nfgate");
}

TEST(Restore, BlocksParsed) {
    RestoreOptions o;
    o.counters = true;
    auto blocks = read(
        "# comment\n"
        "*filter\n"
        ":INPUT DROP [10:600]\n"
        ":USER - [0:0]\n"
        "\n"
        "[1:60] -A INPUT -p tcp --dport 22 -j USER\n"
        "-X OLD\n"
        "COMMIT\n"
        "*mangle\n"
        "COMMIT\n"
        "*raw\n"
        ":PREROUTING DROP [3:180]\n"
        "-A OUTPUT -o lo -j ACCEPT\n"
        "COMMIT\n"
        "*nat\n"
        ":POSTROUTING ACCEPT [2:120]\n"
        ":SVC - [0:0]\n"
        "[4:240] -A PREROUTING -d 198.51.100.7/32 -p tcp -m tcp --dport 80 -j SVC\n"
        "COMMIT\n",
        o);
    ASSERT_EQ(blocks.size(), 4U);
    EXPECT_EQ(blocks[3].table, Table::nat);
    EXPECT_EQ(blocks[3].line, 15);
    ASSERT_EQ(blocks[3].lines.size(), 3U);
    EXPECT_EQ(std::get<ChainLine>(blocks[3].lines[0].what).counters->packets, 2U);
    EXPECT_EQ(std::get<Command>(blocks[3].lines[2].what).table, Table::nat);
    EXPECT_EQ(std::get<Command>(blocks[3].lines[2].what).set_counters->packets, 4U);
    EXPECT_EQ(blocks[2].table, Table::raw);
    EXPECT_EQ(blocks[2].line, 11);
    ASSERT_EQ(blocks[2].lines.size(), 2U);
    EXPECT_EQ(std::get<ChainLine>(blocks[2].lines[0].what).policy, "DROP");
    EXPECT_EQ(std::get<Command>(blocks[2].lines[1].what).table, Table::raw);
    const auto& b = blocks[0];
    EXPECT_EQ(b.table, Table::filter);
    EXPECT_EQ(b.line, 2);
    EXPECT_EQ(b.commit_line, 8);
    ASSERT_EQ(b.lines.size(), 4U);
    const auto& c0 = std::get<ChainLine>(b.lines[0].what);
    EXPECT_EQ(c0.name, "INPUT");
    EXPECT_EQ(c0.policy, "DROP");
    ASSERT_TRUE(c0.counters);
    EXPECT_EQ(c0.counters->bytes, 600U);
    EXPECT_EQ(std::get<ChainLine>(b.lines[1].what).policy, "-");
    const auto& cmd = std::get<Command>(b.lines[2].what);
    EXPECT_EQ(b.lines[2].line, 6);
    ASSERT_TRUE(cmd.set_counters);
    EXPECT_EQ(cmd.set_counters->packets, 1U);
    EXPECT_EQ(cmd.rules().at(0).target.chain, "USER");
    EXPECT_EQ(std::get<Command>(b.lines[3].what).command, CMD_DELETE_CHAIN);
    EXPECT_EQ(blocks[1].table, Table::mangle);
}

TEST(Restore, CountersOnlyWithDashC) {
    auto blocks = read("*filter\n:INPUT ACCEPT [5:6]\n[1:60] -A INPUT -j ACCEPT\nCOMMIT\n");
    EXPECT_FALSE(std::get<ChainLine>(blocks[0].lines[0].what).counters);
    EXPECT_FALSE(std::get<Command>(blocks[0].lines[1].what).set_counters);
}

TEST(Restore, Errors) {
    EXPECT_EQ(error_of("*filter\n-A INPUT -j ACCEPT\n"), "line 3: COMMIT expected");
    EXPECT_EQ(error_of("-A INPUT -j ACCEPT\n"), "line 1: line outside of a table (missing `*table' line?)");
    EXPECT_EQ(error_of("*security\nCOMMIT\n"),
              "line 1: table 'security' is not supported by nfgate (filter, mangle, raw, nat)");
    EXPECT_EQ(error_of("*filter\n\n-A INPUT --bogus\nCOMMIT\n"), "line 3: unknown option \"--bogus\"");
    EXPECT_EQ(error_of("*filter\n-t nat -A FORWARD -j ACCEPT\nCOMMIT\n"),
              "line 2: The -t option cannot be used in nfgate-restore.");
    EXPECT_EQ(error_of("*filter\n:INPUT\nCOMMIT\n"), "line 2: policy invalid");
    EXPECT_EQ(error_of("*filter\n:abcdefghijklmnopqrstuvwxyz0123 - [0:0]\nCOMMIT\n"),
              "line 2: Invalid chain name `abcdefghijklmnopqrstuvwxyz0123' (28 chars max)");
    EXPECT_EQ(error_of("*filter\n:INPUT ACCEPT [x]\nCOMMIT\n"),
              "line 2: invalid policy counters for chain 'INPUT'");
    RestoreOptions c;
    c.counters = true;
    EXPECT_EQ(error_of("*filter\n:INPUT ACCEPT\nCOMMIT\n", c),
              "line 2: invalid policy counters for chain 'INPUT'");
    EXPECT_EQ(error_of("*filter\n[1:2 -A INPUT\nCOMMIT\n"), "line 2: Bad line: need ]");
    EXPECT_EQ(error_of("*filter\n[12] -A INPUT\nCOMMIT\n"), "line 2: Bad line: need :");
    EXPECT_EQ(error_of("*filter\n[a:b] -A INPUT\nCOMMIT\n", c),
              "line 2: --set-counters packet counter not numeric");
    EXPECT_EQ(error_of("*filter\n*filter\nCOMMIT\n"), "line 2: Bad argument `*filter'");
    EXPECT_EQ(error_of("COMMIT\n"), "line 1: line outside of a table (missing `*table' line?)");
    EXPECT_EQ(error_of("*\n"), "line 1: table name invalid");
}

TEST(Restore, OnlyTable) {
    RestoreOptions o;
    o.only_table = "mangle";
    auto blocks = read("*nat\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n*mangle\n-A INPUT\nCOMMIT\n", o);
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].table, Table::mangle);
    o.only_table = "raw";
    blocks = read("*filter\n-A INPUT\nCOMMIT\n*raw\n-A OUTPUT\nCOMMIT\n", o);
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].table, Table::raw);
    o.only_table = "nat";
    blocks = read("*raw\n-A OUTPUT\nCOMMIT\n*nat\n-A INPUT -j ACCEPT\nCOMMIT\n", o);
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].table, Table::nat);
    // As iptables-legacy-restore: a DROP policy line is taken (the kernel
    // accepts it), a -j DROP rule line is refused by the parser.
    blocks = read("*nat\n:PREROUTING DROP [0:0]\nCOMMIT\n");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(std::get<ChainLine>(blocks[0].lines[0].what).policy, "DROP");
    EXPECT_EQ(error_of("*nat\n:PREROUTING DROP [0:0]\n-A PREROUTING -j DROP\nCOMMIT\n"),
              "line 3: The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");
    // Targets nfgate lacks stop loading at their line, with the reason.
    EXPECT_EQ(error_of("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j NETMAP --to 198.51.100.0/24\nCOMMIT\n"),
              "line 3: target `NETMAP' is not supported by nfgate");
    // What nfgate cannot do stops loading at its line, with the reason.
    EXPECT_EQ(error_of("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -j CT --timeout t\nCOMMIT\n"),
              "line 3: CT option --timeout is not supported by nfgate");
}

TEST(Restore, CommitWithoutNewlineAndBlanks) {
    auto blocks = read("*filter\n   \n-A INPUT -j ACCEPT\nCOMMIT");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].lines.size(), 1U);
}

// Tokens are views into the input (or into the unquoting buffer for lines
// with a quote): what the parsed commands keep must not point into either.
TEST(Restore, ParsedLinesOwnTheirText) {
    auto blocks = read("*filter\n:FOO - [0:0]\n-A FOO -i \"eth0\" -j BAR\n-A FOO -o \"x\\\"y\" -j FOO\n"
                       "-A FOO -j FOO -i e1\r\nCOMMIT\n");
    ASSERT_EQ(blocks.size(), 1U);
    ASSERT_EQ(blocks[0].lines.size(), 4U);
    const auto& a = std::get<Command>(blocks[0].lines[1].what);
    EXPECT_EQ(a.chain, "FOO");
    EXPECT_EQ(a.rule.in->name, "eth0");
    EXPECT_EQ(a.rule.target.chain, "BAR");
    const auto& b = std::get<Command>(blocks[0].lines[2].what);
    EXPECT_EQ(b.rule.out->name, "x\"y");
    EXPECT_EQ(b.rule.target.chain, "FOO");
    const auto& c = std::get<Command>(blocks[0].lines[3].what);
    EXPECT_EQ(c.rule.in->name, "e1\r");  // getline keeps the '\r'
    EXPECT_EQ(blocks[0].lines[3].line, 5);
}

TEST(Restore, RefusedLineAfterManyGood) {
    std::string text = "*filter\n";
    for (int i = 0; i < 1000; ++i) text += "-A INPUT -d 198.18.0." + std::to_string(i % 250) + " -j ACCEPT\n";
    text += "-A INPUT -p tcp --dport 70000 -j ACCEPT\nCOMMIT\n";
    EXPECT_EQ(error_of(text), "line 1002: invalid port/service `70000' specified");
}

// Found by fuzz_restore_reader: a NUL byte inside a restore line's word
// (`-j FORWA\0\0_direct`) was read as part of the chain name and cut at
// the NUL when sent; now it is an error naming the line.
TEST(Restore, NulByteInALineIsAnError) {
    using namespace std::string_literals;
    std::string text = "*filter\n:user - [0:0]\n-A FORWARD -j FORWA\0\0_direct\nCOMMIT\n"s;
    EXPECT_NE(error_of(text).find("line 3: "), std::string::npos) << error_of(text);
}

}  // namespace
}  // namespace nfgate
