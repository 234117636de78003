// SPDX-License-Identifier: GPL-2.0
// The conntrack-side kinds (conntrack, state, connmark, CONNMARK,
// statistic): iptables' own .t vectors (parse, save, delete by the
// original spelling), the -S and -L texts iptables-legacy 1.8.9 printed
// for the same rules in the VM, and its refusals.
#include "corpus_util.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nfgate::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) out.push_back(cur);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

std::vector<std::string> with_chain(const char* cmd, const std::string& chain, const std::string& table,
                                    const std::vector<std::string>& tok) {
    std::vector<std::string> args = {cmd, chain};
    if (table != "filter") args.insert(args.end(), {"-t", table});
    args.insert(args.end(), tok.begin(), tok.end());
    return args;
}

// "" when the line behaves as the .t file says.
std::string run_line(const std::string& table, const std::string& chain, const std::string& rule,
                     const std::string& expected, bool want_ok) {
    auto tok = shell_split(rule);
    RulesetModel kernel;
    try {
        for (auto& op : plan_command(parse_command(with_chain("-A", chain, table, tok)))) kernel.apply(op);
    } catch (const Error& e) {
        return want_ok ? std::string("rejected: ") + e.what() : "";
    }
    if (!want_ok) return "accepted, but iptables refuses it";
    auto snap = kernel.snapshot(*table_from_name(table));
    auto in_chain = snap.rules_of(chain);
    if (in_chain.size() != 1) return "rule not stored";
    std::string want = "-A " + chain + " " + (expected == "=" ? rule : expected);
    std::string got = format_append(chain, in_chain.front()->rule);
    if (got != want) return "saved as `" + got + "', expected `" + want + "'";
    try {
        for (auto& op : plan_command(parse_command(with_chain("-D", chain, table, tok)))) kernel.apply(op);
    } catch (const Error& e) {
        return std::string("delete failed: ") + e.what();
    }
    if (!kernel.snapshot(*table_from_name(table)).rules_of(chain).empty()) return "delete left the rule";
    return "";
}

class CorpusFile : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusFile, EveryLine) {
    fs::path f = corpus_dir() / "iptables-tests" / GetParam();
    if (!fs::exists(f)) GTEST_SKIP() << "corpus not found at " << f;
    std::ifstream in(f);
    std::string line, table = "filter";
    std::vector<std::string> chains;
    int lineno = 0, lines = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty() || line[0] == '#') continue;
        if (line[0] == ':') {
            chains = split(line.substr(1), ',');
            continue;
        }
        if (line[0] == '*') {
            table = line.substr(1);
            continue;
        }
        auto cols = split(line, ';');
        ASSERT_GE(cols.size(), 3U) << lineno;
        ++lines;
        for (const auto& chain : chains) {
            std::string problem = run_line(table, chain, cols[0], cols[1], cols[2] == "OK");
            EXPECT_EQ(problem, "") << GetParam() << ":" << lineno << " `" << line << "' in " << chain;
        }
    }
    EXPECT_GT(lines, 0);
}

INSTANTIATE_TEST_SUITE_P(ConntrackKinds, CorpusFile,
                         ::testing::Values("libxt_conntrack.t", "libxt_state.t", "libxt_connmark.t",
                                           "libxt_CONNMARK.t", "libxt_statistic.t"));

// What iptables-legacy 1.8.9 printed in the VM: -A FORWARD RULE, then
// iptables-save's line and the end of the -L -n -v row (after the
// destination column); some rules also the -L -v (not numeric) end.
struct Oracle {
    const char* table;
    const char* rule;
    const char* save;     // after "-A FORWARD"
    const char* listing;  // end of the -n -v row
    const char* named = nullptr;  // end of the -v row, if it differs
};

const Oracle oracle[] = {
    {"filter", "-m conntrack --ctstate NEW", " -m conntrack --ctstate NEW", "ctstate NEW"},
    {"filter", "-m conntrack ! --ctstate NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED,SNAT,DNAT",
     " -m conntrack ! --ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
     "! ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT"},
    {"filter", "-m conntrack --ctstate new,Established", " -m conntrack --ctstate NEW,ESTABLISHED",
     "ctstate NEW,ESTABLISHED"},
    {"filter", "-m conntrack --ctstate N", " -m conntrack --ctstate NEW", "ctstate NEW"},
    {"filter", "-m conntrack --ctstatus NONE,ASSURED", " -m conntrack --ctstatus ASSURED", "ctstatus ASSURED"},
    {"filter", "-m conntrack ! --ctstatus EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED",
     " -m conntrack ! --ctstatus EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED",
     "! ctstatus EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED"},
    {"filter", "-m conntrack --ctproto tcp", " -m conntrack --ctproto 6", "ctproto 6"},
    {"filter", "-m conntrack ! --ctproto udp", " -m conntrack ! --ctproto 17", "! ctproto 17"},
    {"filter", "-m conntrack --ctorigsrc 192.0.2.1", " -m conntrack --ctorigsrc 192.0.2.1", "ctorigsrc 192.0.2.1"},
    {"filter",
     "-m conntrack ! --ctorigsrc 192.0.2.0/24 --ctorigdst 0.0.0.0/0 --ctreplsrc 198.51.100.7/255.255.0.0 "
     "--ctrepldst 203.0.113.9/32",
     " -m conntrack ! --ctorigsrc 192.0.2.0/24 --ctorigdst 0.0.0.0/0 --ctreplsrc 198.51.100.7/16 --ctrepldst "
     "203.0.113.9",
     "! ctorigsrc 192.0.2.0/24 ctorigdst 0.0.0.0/0 ctreplsrc 198.51.100.7/16 ctrepldst 203.0.113.9",
     "! ctorigsrc 192.0.2.0/24 ctorigdst anywhere ctreplsrc 198.51.100.7/16 ctrepldst 203.0.113.9"},
    {"filter", "-m conntrack --ctorigsrc 0.0.0.0", " -m conntrack --ctorigsrc 0.0.0.0", "ctorigsrc 0.0.0.0",
     "ctorigsrc anywhere"},
    {"filter", "-m conntrack --ctorigsrc 192.0.2.5/24", " -m conntrack --ctorigsrc 192.0.2.5/24",
     "ctorigsrc 192.0.2.5/24"},
    {"filter", "-m conntrack --ctorigsrcport 80 ! --ctorigdstport 1:1024 --ctreplsrcport : --ctrepldstport 5:",
     " -m conntrack --ctorigsrcport 80 ! --ctorigdstport 1:1024 --ctreplsrcport 0:65535 --ctrepldstport 5:65535",
     "ctorigsrcport 80 ! ctorigdstport 1:1024 ctreplsrcport 0:65535 ctrepldstport 5:65535"},
    {"filter", "-m conntrack --ctorigsrcport http", " -m conntrack --ctorigsrcport 80", "ctorigsrcport 80"},
    {"filter", "-m conntrack --ctdir reply", " -m conntrack --ctdir REPLY", "ctdir REPLY"},
    {"filter", "-m conntrack --ctdir ORIGINAL", " -m conntrack --ctdir ORIGINAL", "ctdir ORIGINAL"},
    {"filter", "-m conntrack ! --ctexpire 10:20", " -m conntrack ! --ctexpire 10:20", "! ctexpire 10:20"},
    {"filter", "-m conntrack --ctexpire :5", " -m conntrack --ctexpire 0:5", "ctexpire 0:5"},
    {"filter", "-m conntrack --ctexpire 5:", " -m conntrack --ctexpire 5:4294967295", "ctexpire 5:4294967295"},
    {"filter",
     "-m conntrack --ctstatus NONE --ctstate INVALID --ctdir REPLY --ctexpire 5 --ctproto 6 --ctorigsrc 1.2.3.4 "
     "--ctrepldstport 9",
     " -m conntrack --ctstate INVALID --ctproto 6 --ctorigsrc 1.2.3.4 --ctrepldstport 9 --ctstatus NONE "
     "--ctexpire 5 --ctdir REPLY",
     "ctstate INVALID ctproto 6 ctorigsrc 1.2.3.4 ctrepldstport 9 ctstatus NONE ctexpire 5 ctdir REPLY"},
    {"filter", "-m state --state NEW", " -m state --state NEW", "state NEW"},
    {"filter", "-m state ! --state NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED",
     " -m state ! --state INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED", "! state INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED"},
    {"filter", "-m connmark --mark 1", " -m connmark --mark 0x1", "connmark match  0x1"},
    {"filter", "-m connmark ! --mark 0x10/0xff", " -m connmark ! --mark 0x10/0xff", "connmark match ! 0x10/0xff"},
    {"filter", "-m connmark --mark 0/0xffffffff", " -m connmark --mark 0x0", "connmark match  0x0"},
    {"mangle", "-j CONNMARK --set-mark 1", " -j CONNMARK --set-xmark 0x1/0xffffffff", "CONNMARK set 0x1"},
    {"mangle", "-j CONNMARK --set-mark 0x10/0xff", " -j CONNMARK --set-xmark 0x10/0xff", "CONNMARK xset 0x10/0xff"},
    {"mangle", "-j CONNMARK --set-xmark 0x10", " -j CONNMARK --set-xmark 0x10/0xffffffff", "CONNMARK set 0x10"},
    {"mangle", "-j CONNMARK --and-mark 0xf0", " -j CONNMARK --set-xmark 0x0/0xffffff0f", "CONNMARK and 0xf0"},
    {"mangle", "-j CONNMARK --or-mark 0xf0", " -j CONNMARK --set-xmark 0xf0/0xf0", "CONNMARK or 0xf0"},
    {"mangle", "-j CONNMARK --xor-mark 0xf0", " -j CONNMARK --set-xmark 0xf0/0x0", "CONNMARK xor 0xf0"},
    {"mangle", "-j CONNMARK --save-mark", " -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff",
     "CONNMARK save"},
    {"mangle", "-j CONNMARK --restore-mark", " -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff",
     "CONNMARK restore"},
    {"mangle", "-j CONNMARK --save-mark --mask 0xff", " -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff",
     "CONNMARK save mask 0xff"},
    {"mangle", "-j CONNMARK --restore-mark --mask 0xff", " -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff",
     "CONNMARK restore mask 0xff"},
    {"mangle", "-j CONNMARK --save-mark --nfmask 0xf --ctmask 0xf0",
     " -j CONNMARK --save-mark --nfmask 0xf --ctmask 0xf0", "CONNMARK save nfmask 0xf ctmask ~0xf0"},
    {"mangle", "-j CONNMARK --restore-mark --ctmask 0xf0",
     " -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xf0", "CONNMARK restore ctmask 0xf0 nfmask ~0xffffffff"},
    {"mangle", "-j CONNMARK --set-mark 1 --nfmask 2", " -j CONNMARK --set-xmark 0x1/0xffffffff", "CONNMARK set 0x1"},
    {"mangle", "-j CONNMARK --set-mark 1 --mask 2", " -j CONNMARK --set-xmark 0x1/0x2", "CONNMARK xset 0x1/0x2"},
    {"mangle", "-j CONNMARK --set-xmark 0/0", " -j CONNMARK --set-xmark 0x0/0x0", "CONNMARK and 0xffffffff"},
    {"mangle", "-j CONNMARK --set-mark 0", " -j CONNMARK --set-xmark 0x0/0xffffffff", "CONNMARK and 0x0"},
    {"mangle", "-j CONNMARK --set-xmark 5/0", " -j CONNMARK --set-xmark 0x5/0x0", "CONNMARK xor 0x5"},
    {"mangle", "-j CONNMARK --set-xmark 5/5", " -j CONNMARK --set-xmark 0x5/0x5", "CONNMARK or 0x5"},
    {"mangle", "-j CONNMARK --set-xmark 0/5", " -j CONNMARK --set-xmark 0x0/0x5", "CONNMARK and 0xfffffffa"},
    {"filter", "-j CONNMARK --set-mark 1", " -j CONNMARK --set-xmark 0x1/0xffffffff", "CONNMARK set 0x1"},
    {"filter", "-m statistic --mode random --probability 0.5",
     " -m statistic --mode random --probability 0.50000000000", "statistic mode random probability 0.50000000000"},
    {"filter", "-m statistic --mode random ! --probability 0.33333333333",
     " -m statistic --mode random ! --probability 0.33333333349",
     "statistic mode random ! probability 0.33333333349"},
    {"filter", "-m statistic --mode random --probability 1",
     " -m statistic --mode random --probability 1.00000000000", "statistic mode random probability 1.00000000000"},
    {"filter", "-m statistic --mode random --probability 0.0000000001",
     " -m statistic --mode random --probability 0.00000000000", "statistic mode random probability 0.00000000000"},
    {"filter", "-m statistic --mode random --probability 1e-3",
     " -m statistic --mode random --probability 0.00100000016", "statistic mode random probability 0.00100000016"},
    {"filter", "-m statistic --mode nth ! --every 5 --packet 2", " -m statistic --mode nth ! --every 5 --packet 2",
     "statistic mode nth ! every 5 packet 2"},
    {"filter", "-m statistic --mode nth --every 5 --packet 0", " -m statistic --mode nth --every 5 --packet 0",
     "statistic mode nth every 5"},
};

std::string row_end(const std::string& row) {
    // after the destination column: "0.0.0.0/0            " or "anywhere             "
    for (const char* col : {"0.0.0.0/0            ", "anywhere             "}) {
        auto p = row.find(col);
        if (p != std::string::npos) {
            p = row.find(col, p + 1);
            if (p != std::string::npos) {
                std::string s = row.substr(p + std::string(col).size());
                while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
                return s;
            }
        }
    }
    return "?" + row;
}

TEST(ExtConntrack, SaveAndListAsIptables189) {
    for (const auto& o : oracle) {
        auto args = with_chain("-A", "FORWARD", o.table, shell_split(o.rule));
        RulesetModel m;
        try {
            for (auto& op : plan_command(parse_command(args))) m.apply(op);
        } catch (const Error& e) {
            ADD_FAILURE() << o.rule << ": " << e.what();
            continue;
        }
        auto snap = m.snapshot(*table_from_name(o.table));
        auto rules = snap.rules_of("FORWARD");
        ASSERT_EQ(rules.size(), 1U) << o.rule;
        const RuleSpec& r = rules.front()->rule;
        EXPECT_EQ(format_append("FORWARD", r), std::string("-A FORWARD") + o.save) << o.rule;
        ListOptions lo;
        lo.verbose = lo.numeric = true;
        EXPECT_EQ(row_end(list_rule_row(r, 0, lo)), o.listing) << o.rule;
        lo.numeric = false;
        EXPECT_EQ(row_end(list_rule_row(r, 0, lo)), o.named ? o.named : o.listing) << o.rule;
    }
}

// iptables 1.8.9's refusals (and where nfgate is stricter: names the
// later iptables refuses too).
TEST(ExtConntrack, Refusals) {
    const std::pair<const char*, const char*> refused[] = {
        {"-m conntrack --ctstate NEW,", "Bad ctstate \"\""},
        {"-m conntrack --ctstate ,NEW", "Bad ctstate \",NEW\""},
        {"-m conntrack --ctstate wrong", "Bad ctstate \"wrong\""},
        {"-m conntrack --ctstatus bad", "Bad ctstatus \"bad\""},
        {"-m conntrack --ctproto foo", "unknown protocol \"foo\" specified"},
        {"-m conntrack ! --ctdir REPLY", "conntrack: option \"--ctdir\" cannot be inverted."},
        {"-m conntrack --ctdir foo", "conntrack: Bad value for \"--ctdir\" option: \"foo\""},
        {"-m conntrack --ctexpire -1",
         "conntrack: bad value for option \"--ctexpire\" near \"-1\", or out of range (0-4294967295)."},
        {"-m conntrack", "conntrack: At least one option is required"},
        {"-m conntrack --ctstate NEW --ctstate ESTABLISHED", "conntrack: option \"--ctstate\" can only be used once."},
        {"-m conntrack --ctorigsrcport 65536", ""},  // 1.8.9 wraps to 0
        {"-m state --state SNAT", "Bad state \"SNAT\""},
        {"-m state", "state: option \"--state\" must be specified"},
        {"-m state --state NEW,", "\"--state\" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED"},
        {"-m state --state NEW --state INVALID", "state: option \"--state\" can only be used once."},
        {"-m connmark --mark -1", "connmark: bad integer value for option \"--mark\", or out of range."},
        {"-m connmark", "connmark: option \"--mark\" must be specified"},
        {"-m connmark --mark 1 --mark 2", "connmark: option \"--mark\" can only be used once."},
        {"-j CONNMARK --set-mark 1 --set-mark 2", "CONNMARK: option \"--set-mark\" can only be used once."},
        {"-j CONNMARK --set-mark 1 --save-mark",
         "CONNMARK: option \"--set-mark\" cannot be used together with \"--save-mark\"."},
        {"-j CONNMARK", "CONNMARK target: No operation specified"},
        {"-j CONNMARK --nfmask 1", "CONNMARK target: No operation specified"},
        {"-j CONNMARK ! --set-mark 1", "CONNMARK: option \"--set-mark\" cannot be inverted."},
        {"-j CONNMARK --save-mark --mask 0xff --nfmask 1",
         "CONNMARK: option \"--nfmask\" cannot be used together with \"--mask\"."},
        {"-m statistic --mode random --probability 1.1",
         "statistic: bad value for option \"--probability\", or out of range (0-1)."},
        {"-m statistic --mode random --probability abc",
         "statistic: bad value for option \"--probability\", or out of range (0-1)."},
        {"-m statistic --probability 1", "statistic: option \"--mode\" must be specified"},
        {"-m statistic --mode nth --every 3", "statistic: option \"--every\" also requires \"--packet\"."},
        {"-m statistic --mode nth --every 5 --packet 5", "the --packet p must be 0 <= p <= n-1"},
        {"-m statistic --mode nth --every 0",
         "statistic: bad value for option \"--every\", or out of range (1-4294967295)."},
        {"-m statistic --mode nth --packet 1", "the --packet p must be 0 <= p <= n-1"},
        {"-m statistic --mode nth", "--every and --packet must be specified when using nth mode"},
        {"-m statistic --mode random", "--probability must be specified when using random mode"},
        {"-m statistic --mode foo", "Bad mode \"foo\""},
        {"-m statistic --mode nth --every 3 --probability 0.5",
         "statistic: option \"--probability\" cannot be used together with \"--every\"."},
        {"-m statistic --mode random --mode nth --every 2", "statistic: option \"--mode\" can only be used once."},
        {"-m statistic", "--probability must be specified when using random mode"},
    };
    for (const auto& [rule, msg] : refused) {
        auto args = with_chain("-A", "FORWARD", "filter", shell_split(rule));
        try {
            parse_command(args);
            ADD_FAILURE() << rule << ": accepted";
        } catch (const UsageError& e) {
            if (*msg) {
                EXPECT_EQ(std::string(e.what()), msg) << rule;
            }
        }
    }
}

// Delete by specification: the nth counter is not part of what a rule is.
TEST(ExtConntrack, SameRuleWhateverTheSpelling) {
    RulesetModel m;
    for (auto& op : plan_command(parse_command(with_chain(
             "-A", "FORWARD", "filter",
             shell_split("-m conntrack --ctstate ESTABLISHED,RELATED -m statistic --mode nth --every 3 --packet 0 "
                         "-j CONNMARK --set-mark 7")))))
        m.apply(op);
    for (auto& op : plan_command(parse_command(with_chain(
             "-D", "FORWARD", "filter",
             shell_split("-m conntrack --ctstate related,established -m statistic --mode nth --every 3 --packet 0 "
                         "-j CONNMARK --set-xmark 7/0xffffffff")))))
        m.apply(op);
    EXPECT_TRUE(m.snapshot(Table::filter).rules_of("FORWARD").empty());
}

}  // namespace
}  // namespace nfgate::test
