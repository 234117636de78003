// SPDX-License-Identifier: GPL-2.0
// REJECT, LOG, NFQUEUE, QUEUE and addrtype: iptables' own vectors
// (libipt_REJECT.t, libipt_LOG.t, libxt_NFQUEUE.t, libxt_addrtype.t)
// through parse, the kernel model and save, and the -S / -L text and
// messages iptables-legacy 1.8.9 printed for the same commands in the VM.
#include "corpus_util.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace nfgate::test {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) out.push_back(cur);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

// "" when the rule behaves as expected: OK rules save as `expected` and
// delete by their spelling, FAIL rules are refused.
std::string run_one(const std::string& chain, const std::string& rule, const std::string& expected, bool want_ok) {
    auto tok = shell_split(rule);
    std::vector<std::string> args = {"-A", chain};
    args.insert(args.end(), tok.begin(), tok.end());
    RulesetModel kernel;
    try {
        for (auto& op : plan_command(parse_command(args))) kernel.apply(op);
    } catch (const Error& e) {
        return want_ok ? std::string("rejected: ") + e.what() : "";
    }
    if (!want_ok) return "accepted, but iptables refuses it";
    auto snap = kernel.snapshot(Table::filter);
    auto in_chain = snap.rules_of(chain);
    if (in_chain.size() != 1) return "rule not stored";
    std::string want = "-A " + chain + " " + (expected == "=" ? rule : expected);
    std::string got = format_append(chain, in_chain.front()->rule);
    if (got != want) return "saved as `" + got + "', expected `" + want + "'";
    std::vector<std::string> dargs = {"-D", chain};
    dargs.insert(dargs.end(), tok.begin(), tok.end());
    try {
        for (auto& op : plan_command(parse_command(dargs))) kernel.apply(op);
    } catch (const Error& e) {
        return std::string("delete failed: ") + e.what();
    }
    auto after = kernel.snapshot(Table::filter);
    if (!after.rules_of(chain).empty()) return "delete left the rule";
    return "";
}

TEST(ExtVerdicts, IptablesVectors) {
    int checked = 0;
    for (const char* name : {"libipt_REJECT.t", "libipt_LOG.t", "libxt_NFQUEUE.t", "libxt_addrtype.t"}) {
        auto path = corpus_dir() / "iptables-tests" / name;
        if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found (set NFGATE_CORPUS_DIR)";
        std::ifstream in(path);
        std::string line;
        std::vector<std::string> chains;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (line[0] == ':') {
                chains = split(line.substr(1), ',');
                continue;
            }
            auto f = split(line, ';');
            ASSERT_GE(f.size(), 3U) << name << ": " << line;
            std::string expected = f[1];
            bool ok = f[2] == "OK";
            for (const auto& c : chains) {
                EXPECT_EQ(run_one(c, f[0], expected, ok), "") << name << " " << c << ": " << line;
                ++checked;
            }
        }
    }
    EXPECT_GE(checked, 90);
}

std::vector<std::string> words(const std::string& s) { return shell_split(s); }

RuleSpec rule_of(const std::string& cmd) { return parse_command(words(cmd)).rules().at(0); }

std::string saved(const std::string& cmd) {
    RuleSpec r = rule_of(cmd);
    return format_append("INPUT", r);
}

// iptables-legacy -S in the VM for the same commands.
TEST(ExtVerdicts, SaveAsIptablesLegacy) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"-A INPUT -j REJECT --reject-with net-unreach", "-A INPUT -j REJECT --reject-with icmp-net-unreachable"},
        {"-A INPUT -j REJECT --reject-with icmp-h", "-A INPUT -j REJECT --reject-with icmp-host-unreachable"},
        {"-A INPUT -j REJECT --reject-with ICMP-ADMIN", "-A INPUT -j REJECT --reject-with icmp-admin-prohibited"},
        {"-A INPUT -j REJECT --reject-with ''", "-A INPUT -j REJECT --reject-with icmp-net-unreachable"},
        {"-A INPUT -j REJECT --reject-with host-prohib", "-A INPUT -j REJECT --reject-with icmp-host-prohibited"},
        {"-A INPUT -p tcp -j REJECT --reject-with tcp", "-A INPUT -p tcp -j REJECT --reject-with tcp-reset"},
        {"-A INPUT -j LOG --log-prefix 'a b: ' --log-level alert", "-A INPUT -j LOG --log-prefix \"a b: \" --log-level 1"},
        {"-A INPUT -j LOG --log-prefix abc --log-level 4", "-A INPUT -j LOG --log-prefix abc"},
        {"-A INPUT -j LOG --log-level warning --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid "
         "--log-macdecode",
         "-A INPUT -j LOG --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid --log-macdecode"},
        {"-A INPUT -j LOG --log-level 7 --log-prefix 0123456789012345678901234567890123456789",
         "-A INPUT -j LOG --log-prefix 01234567890123456789012345678 --log-level 7"},
        {"-A INPUT -j LOG --log-level error", "-A INPUT -j LOG --log-level 3"},
        {"-A INPUT -j LOG --log-prefix \"it's \\\"q\\\"\"", "-A INPUT -j LOG --log-prefix \"it\\'s \\\"q\\\"\""},
        {"-A INPUT -j NFQUEUE --queue-num 5 --queue-bypass", "-A INPUT -j NFQUEUE --queue-num 5 --queue-bypass"},
        {"-A INPUT -j NFQUEUE --queue-cpu-fanout --queue-balance 2:3",
         "-A INPUT -j NFQUEUE --queue-balance 2:3 --queue-cpu-fanout"},
        {"-A INPUT -j QUEUE", "-A INPUT -j QUEUE"},
        {"-A INPUT -m addrtype --src-type LOCAL,unicast ! --dst-type loc",
         "-A INPUT -m addrtype --src-type UNICAST,LOCAL ! --dst-type LOCAL"},
        {"-A INPUT -m addrtype ! --src-type U", "-A INPUT -m addrtype ! --src-type UNSPEC"},
        {"-A INPUT -m addrtype --dst-type BROADCAST,MULTICAST --limit-iface-in",
         "-A INPUT -m addrtype --dst-type BROADCAST,MULTICAST --limit-iface-in"},
    };
    for (const auto& [cmd, want] : cases) EXPECT_EQ(saved(cmd), want) << cmd;
}

std::string listed(const std::string& cmd, bool numeric) {
    RuleSpec r = rule_of(cmd);
    std::string out;
    for (const auto& m : r.matches) m.kind->print(m.data, out, numeric);
    if (r.target.verdict == Verdict::ext) r.target.ext.kind->print(r.target.ext.data, out, numeric);
    return out;
}

// The extension part of iptables-legacy -L rows (-n and without).
TEST(ExtVerdicts, ListAsIptablesLegacy) {
    EXPECT_EQ(listed("-A INPUT -j REJECT", true), " reject-with icmp-port-unreachable");
    EXPECT_EQ(listed("-A INPUT -p tcp -j REJECT --reject-with tcp-rst", false), " reject-with tcp-reset");
    EXPECT_EQ(listed("-A INPUT -j LOG", true), " LOG flags 0 level 4");
    EXPECT_EQ(listed("-A INPUT -j LOG", false), " LOG level warn");
    EXPECT_EQ(listed("-A INPUT -j LOG --log-prefix 'a b: ' --log-level alert", true),
              " LOG flags 0 level 1 prefix \"a b: \"");
    EXPECT_EQ(listed("-A INPUT -j LOG --log-prefix 'a b: ' --log-level alert", false),
              " LOG level alert prefix \"a b: \"");
    EXPECT_EQ(listed("-A INPUT -j LOG --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid --log-macdecode",
                     true),
              " LOG flags 47 level 4");
    EXPECT_EQ(listed("-A INPUT -j LOG --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid --log-macdecode",
                     false),
              " LOG level warn tcp-sequence tcp-options ip-options uid macdecode");
    EXPECT_EQ(listed("-A INPUT -j LOG --log-level error", false), " LOG level err");
    EXPECT_EQ(listed("-A INPUT -j LOG --log-level 7 --log-prefix x", false), " LOG level debug prefix \"x\"");
    EXPECT_EQ(listed("-A INPUT -j NFQUEUE", true), " NFQUEUE num 0");
    EXPECT_EQ(listed("-A INPUT -j NFQUEUE --queue-num 5 --queue-bypass", true), " NFQUEUE num 5 bypass");
    EXPECT_EQ(listed("-A INPUT -j NFQUEUE --queue-balance 4:", true), " NFQUEUE balance 4:65534");
    EXPECT_EQ(listed("-A INPUT -j NFQUEUE --queue-balance 2:3 --queue-cpu-fanout", true),
              " NFQUEUE balance 2:3 cpu-fanout");
    EXPECT_EQ(listed("-A INPUT -j QUEUE", true), "");
    EXPECT_EQ(listed("-A INPUT -m addrtype --src-type LOCAL,unicast ! --dst-type loc", true),
              " ADDRTYPE match src-type UNICAST,LOCAL dst-type !LOCAL");
    EXPECT_EQ(listed("-A INPUT -m addrtype --dst-type BROADCAST,MULTICAST --limit-iface-in -j LOG", false),
              " ADDRTYPE match dst-type BROADCAST,MULTICAST limit-in LOG level warn");
    EXPECT_EQ(listed("-A FORWARD -m addrtype ! --src-type LOCAL --limit-iface-out", true),
              " ADDRTYPE match src-type !LOCAL limit-out");
}

std::string refusal(const std::string& cmd) {
    try {
        (void)parse_command(words(cmd));
    } catch (const Error& e) {
        return e.what();
    }
    return "accepted";
}

// iptables-legacy 1.8.9's messages for the same commands (those it
// reports itself; the kernel's refusals have their own text here).
TEST(ExtVerdicts, MessagesAsIptablesLegacy) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"-A INPUT -j REJECT --reject-with bogus", "unknown reject type \"bogus\""},
        {"-A INPUT -j REJECT --reject-with echo-reply", "unknown reject type \"echo-reply\""},
        {"-A INPUT -j REJECT ! --reject-with tcp-reset", "REJECT: option \"--reject-with\" cannot be inverted."},
        {"-A INPUT -j LOG --log-level err", "log level \"err\" unknown"},
        {"-A INPUT -j LOG --log-level 8", "log level \"8\" unknown"},
        {"-A INPUT -j LOG --log-prefix ''", "Argument must have a minimum length of 1 characters"},
        {"-A INPUT -j LOG --log-level 0 --log-level 1", "LOG: option \"--log-level\" can only be used once."},
        {"-A INPUT -j LOG --log-prefix 'a\nb'", "Newlines not allowed in --log-prefix"},
        {"-A INPUT -j NFQUEUE --queue-cpu-fanout",
         "NFQUEUE: option \"--queue-cpu-fanout\" also requires \"--queue-balance\"."},
        {"-A INPUT -j NFQUEUE --queue-num 1 --queue-balance 2:3",
         "NFQUEUE: option \"--queue-num\" cannot be used together with \"--queue-balance\"."},
        {"-A INPUT -j NFQUEUE --queue-balance 3:3", "3 should be less than 3"},
        {"-A INPUT -j NFQUEUE --queue-balance 4", "Bad range \"4\""},
        {"-A INPUT -j NFQUEUE --queue-balance 1:2:3",
         "NFQUEUE: Too many components for option \"--queue-balance\" (max: 2)"},
        {"-A INPUT -j NFQUEUE --queue-balance 1x",
         "NFQUEUE: Argument to \"--queue-balance\" has unexpected characters near \"x\"."},
        // The bound is the option's (65534), as since iptables 1.8.11;
        // 1.8.9 said 65535 and filled open ranges with it.
        {"-A INPUT -j NFQUEUE --queue-balance -1:4",
         "NFQUEUE: bad value for option \"--queue-balance\" near \"-1:4\", or out of range (0-65534)."},
        {"-A INPUT -j NFQUEUE --queue-num 65536",
         "NFQUEUE: bad value for option \"--queue-num\", or out of range (0-65535)."},
        {"-A INPUT -j QUEUE --queue-num 1", "unknown option \"--queue-num\""},
        {"-A INPUT -m addrtype --src-type LOCAL,,UNICAST", "addrtype: bad type `,UNICAST'"},
        {"-A INPUT -m addrtype --src-type LOCAL,", "addrtype: bad type \"\""},
        {"-A INPUT -m addrtype --src-type wrong", "addrtype: bad type \"wrong\""},
        {"-A INPUT -m addrtype --limit-iface-in --limit-iface-out",
         "addrtype: you must specify --src-type or --dst-type"},
        {"-A INPUT -m addrtype --src-type LOCAL --limit-iface-in --limit-iface-out",
         "addrtype: option \"--limit-iface-in\" cannot be used together with \"--limit-iface-out\"."},
        {"-A INPUT -m addrtype ! --limit-iface-in --src-type LOCAL",
         "addrtype: option \"--limit-iface-in\" cannot be inverted."},
        {"-A INPUT -m addrtype --src-type LOCAL --src-type UNICAST",
         "addrtype: option \"--src-type\" can only be used once."},
    };
    for (const auto& [cmd, want] : cases) EXPECT_EQ(refusal(cmd), want) << cmd;
    // the kernel refuses these in iptables (ipt_REJECT's checkentry); here
    // the parser does, and the kernel again
    EXPECT_NE(refusal("-A INPUT -p udp -j REJECT --reject-with tcp-reset"), "accepted");
    EXPECT_NE(refusal("-A INPUT ! -p tcp -j REJECT --reject-with tcp-reset"), "accepted");
    EXPECT_NE(refusal("-A INPUT -j NFQUEUE --queue-balance 0:65535"), "accepted");
}

// The bytes the kernel dumps are the bytes the parser encodes: a rule
// read back compares equal to the one sent (delete by specification).
TEST(ExtVerdicts, CanonicalEncoding) {
    for (const char* cmd : {"-A INPUT -j LOG", "-A INPUT -j LOG --log-prefix p --log-uid", "-A INPUT -j NFQUEUE",
                            "-A INPUT -j QUEUE", "-A INPUT -j REJECT", "-A INPUT -m addrtype --dst-type LOCAL"}) {
        RuleSpec r = rule_of(cmd);
        const Ext& e = r.target.verdict == Verdict::ext ? r.target.ext : r.matches.at(0);
        EXPECT_EQ(canonical_attrs(e.data), e.data) << cmd;
    }
}

}  // namespace
}  // namespace nfgate::test
