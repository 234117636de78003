// SPDX-License-Identifier: GPL-2.0
// The hashlimit match: the -S and -L texts of iptables 1.8.9 (the
// selftest nfgate_hashlimit.sh compares these spellings with
// iptables-legacy)
// (libxt_hashlimit revision 2/3 print and save: defaults omitted, the rate
// in the unit that divides well, htable-expire when it is not that unit),
// the corpus' hashlimit lines round-tripped, and iptables' refusals.
#include "corpus_util.hpp"

#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nfgate::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> with_chain(const char* cmd, const std::string& chain, const std::vector<std::string>& tok) {
    std::vector<std::string> args = {cmd, chain};
    args.insert(args.end(), tok.begin(), tok.end());
    return args;
}

std::string row_end(const std::string& row) {
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

// The rule after a trip through NFGATE_A_RULE, as a dump returns it.
RuleSpec codec_trip(const RuleSpec& r) {
    MsgPtr msg = new_request(0x1234, NFGATE_CMD_NEWRULE);
    put_rule(msg.get(), r);
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    EXPECT_EQ(genlmsg_parse(nlmsg_hdr(msg.get()), 0, tb, NFGATE_A_MAX, nullptr), 0);
    return parse_rule_attr(tb[NFGATE_A_RULE]);
}


struct Oracle {
    const char* rule;
    const char* save;     // after "-A INPUT"
    const char* listing;  // end of the -n -v row
};

const Oracle oracle[] = {
    {"-m hashlimit --hashlimit-above 5/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name ping -j DROP",
     " -m hashlimit --hashlimit-above 5/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name ping -j DROP",
     "limit: above 5/sec burst 5 mode srcip"},
    {"-m hashlimit --hashlimit-upto 60/min --hashlimit-name x",
     " -m hashlimit --hashlimit-upto 1/sec --hashlimit-burst 5 --hashlimit-name x --hashlimit-htable-expire 60000",
     "limit: up to 1/sec burst 5 htable-expire 60000"},
    {"-m hashlimit --hashlimit 10/minute --hashlimit-name old --hashlimit-mode dstport,srcip,dstip,srcport "
     "--hashlimit-srcmask 24 --hashlimit-dstmask 255.255.0.0",
     " -m hashlimit --hashlimit-upto 10/min --hashlimit-burst 5 --hashlimit-mode srcip,srcport,dstip,dstport "
     "--hashlimit-name old --hashlimit-srcmask 24 --hashlimit-dstmask 16",
     "limit: up to 10/min burst 5 mode srcip-srcport-dstip-dstport srcmask 24 dstmask 16"},
    {"-m hashlimit ! --hashlimit-above 3/hour --hashlimit-name h --hashlimit-htable-size 2000000 "
     "--hashlimit-htable-max 100 --hashlimit-htable-gcinterval 500 --hashlimit-htable-expire 3600000 "
     "--hashlimit-burst 2k",
     " -m hashlimit --hashlimit-upto 3/hour --hashlimit-burst 2048 --hashlimit-name h --hashlimit-htable-size "
     "1048576 --hashlimit-htable-max 100 --hashlimit-htable-gcinterval 500",
     "limit: up to 3/hour burst 2048 htable-size 1048576 htable-max 100 htable-gcinterval 500"},
    {"-m hashlimit --hashlimit-upto 7 --hashlimit-name s --hashlimit-mode dstip|dstport",
     " -m hashlimit --hashlimit-upto 7/sec --hashlimit-burst 5 --hashlimit-mode dstip,dstport --hashlimit-name s",
     "limit: up to 7/sec burst 5 mode dstip-dstport"},
    {"-m hashlimit ! --hashlimit-upto 1/hour --hashlimit-burst 3 --hashlimit-name e --hashlimit-htable-expire 1000 "
     "--hashlimit-srcmask 0",
     " -m hashlimit --hashlimit-above 1/hour --hashlimit-burst 3 --hashlimit-name e --hashlimit-htable-expire 1000 "
     "--hashlimit-srcmask 0",
     "limit: above 1/hour burst 3 htable-expire 1000 srcmask 0"},
};

TEST(ExtHashlimit, SaveAndListAsIptables189) {
    for (const auto& o : oracle) {
        auto args = with_chain("-A", "INPUT", shell_split(o.rule));
        RulesetModel m;
        try {
            for (auto& op : plan_command(parse_command(args))) m.apply(op);
        } catch (const Error& e) {
            ADD_FAILURE() << o.rule << ": " << e.what();
            continue;
        }
        auto snap = m.snapshot(Table::filter);
        auto rules = snap.rules_of("INPUT");
        ASSERT_EQ(rules.size(), 1U) << o.rule;
        const RuleSpec& r = rules.front()->rule;
        EXPECT_EQ(format_append("INPUT", r), std::string("-A INPUT") + o.save) << o.rule;
        ListOptions lo;
        lo.verbose = lo.numeric = true;
        EXPECT_EQ(row_end(list_rule_row(r, 0, lo)), o.listing) << o.rule;
        RuleSpec back = codec_trip(r);
        EXPECT_TRUE(same_rule(r, back)) << o.rule;
        EXPECT_EQ(format_append("INPUT", back), format_append("INPUT", r)) << o.rule;
        // delete by the original spelling
        for (auto& op : plan_command(parse_command(with_chain("-D", "INPUT", shell_split(o.rule))))) m.apply(op);
        EXPECT_TRUE(m.snapshot(Table::filter).rules_of("INPUT").empty()) << o.rule;
    }
}

// The hashlimit lines of the handwritten home-router corpus file: what
// iptables-save printed is what nfgate saves back.
TEST(ExtHashlimit, CorpusLinesRoundTrip) {
    fs::path f = corpus_dir() / "rulesets" / "home-router-handwritten.rules";
    if (!fs::exists(f)) GTEST_SKIP() << "corpus not found at " << f;
    std::ifstream in(f);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        if (line.find("-m hashlimit") == std::string::npos || line.find("-m recent") != std::string::npos) continue;
        auto tok = shell_split(line);
        ASSERT_GE(tok.size(), 2U);
        std::string chain = tok[1];
        RulesetModel m;
        for (auto& op : plan_command(parse_command({"-N", chain}))) m.apply(op);
        try {
            for (auto& op : plan_command(parse_command(tok))) m.apply(op);
        } catch (const Error& e) {
            ADD_FAILURE() << line << ": " << e.what();
            continue;
        }
        auto snap = m.snapshot(Table::filter);
        auto rules = snap.rules_of(chain);
        ASSERT_EQ(rules.size(), 1U) << line;
        EXPECT_EQ(format_append(chain, rules.front()->rule), line);
        ++n;
    }
    EXPECT_EQ(n, 5);
}

// Line 179 also uses recent: its hashlimit part on its own.
TEST(ExtHashlimit, CorpusLine179HashlimitPart) {
    const std::string rule =
        "-i eth0.22 -m hashlimit --hashlimit-above 10/sec --hashlimit-burst 5 --hashlimit-mode srcip "
        "--hashlimit-name limited_packets -j DROP";
    RulesetModel m;
    auto args = with_chain("-A", "PREROUTING", shell_split(rule));
    args.insert(args.begin() + 2, {"-t", "raw"});
    for (auto& op : plan_command(parse_command(args))) m.apply(op);
    auto snap = m.snapshot(Table::raw);
    auto rules = snap.rules_of("PREROUTING");
    ASSERT_EQ(rules.size(), 1U);
    EXPECT_EQ(format_append("PREROUTING", rules.front()->rule), "-A PREROUTING " + rule);
}

TEST(ExtHashlimit, Refusals) {
    const std::pair<const char*, const char*> refused[] = {
        {"-m hashlimit --hashlimit-name x", "You have to specify --hashlimit"},
        {"-m hashlimit --hashlimit-upto 5/sec", "hashlimit: option \"--hashlimit-name\" must be specified"},
        {"-m hashlimit --hashlimit-upto 5/sec --hashlimit-above 5/sec --hashlimit-name x",
         "hashlimit: option \"--hashlimit-upto\" cannot be used together with \"--hashlimit-above\"."},
        {"-m hashlimit --hashlimit 1/s --hashlimit-upto 1/s --hashlimit-name x",
         "hashlimit: option \"--hashlimit-upto\" can only be used once."},
        {"-m hashlimit --hashlimit-upto 1kb/s --hashlimit-name x",
         "hashlimit: byte-based rates (\"1kb/s\") are not supported by nfgate"},
        {"-m hashlimit --hashlimit-upto 5/fortnight --hashlimit-name x",
         "hashlimit: Bad value for \"--hashlimit-upto\" option: \"5/fortnight\""},
        {"-m hashlimit --hashlimit-above 0 --hashlimit-name x",
         "hashlimit: Bad value for \"--hashlimit-above\" option: \"0\""},
        {"-m hashlimit --hashlimit-upto 2000000/sec --hashlimit-name x", "Rate too fast \"2000000/sec\""},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-burst 1000001 --hashlimit-name x",
         "bad value for option \"--hashlimit-burst\", or out of range (1-1000000)."},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-burst 0 --hashlimit-name x",
         "bad value for option \"--hashlimit-burst\", or out of range (1-1000000)."},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-burst 1000k --hashlimit-name x",
         "bad value for option \"--hashlimit-burst\", or out of range (1-1000000)."},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-mode srcip,foo --hashlimit-name x",
         "hashlimit: Bad value for \"--hashlimit-mode\" option: \"srcip,foo\""},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-srcmask 33 --hashlimit-name x",
         "hashlimit: bad value for option \"--hashlimit-srcmask\", neither a valid network mask nor valid CIDR "
         "(0-32)."},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-dstmask 255.0.255.0 --hashlimit-name x",
         "hashlimit: bad value for option \"--hashlimit-dstmask\", neither a valid network mask nor valid CIDR "
         "(0-32)."},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-rate-match --hashlimit-name x",
         "hashlimit: --hashlimit-rate-match (revision 3) is not supported by nfgate"},
        {"-m hashlimit --hashlimit-upto 1/s ! --hashlimit-name x",
         "hashlimit: option \"--hashlimit-name\" cannot be inverted."},
        {"-m hashlimit --hashlimit-upto 1/s --hashlimit-name x --hashlimit-htable-size -1",
         "hashlimit: bad value for option \"--hashlimit-htable-size\", or out of range (0-4294967295)."},
    };
    for (const auto& [rule, msg] : refused) {
        auto args = with_chain("-A", "INPUT", shell_split(rule));
        try {
            parse_command(args);
            ADD_FAILURE() << rule << ": accepted";
        } catch (const UsageError& e) {
            EXPECT_EQ(std::string(e.what()), msg) << rule;
        }
    }
}

}  // namespace
}  // namespace nfgate::test
