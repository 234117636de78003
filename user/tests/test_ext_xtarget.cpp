// SPDX-License-Identifier: GPL-2.0
// TCPMSS, CHECKSUM, TTL and NFLOG: iptables' own vectors (libxt_TCPMSS.t,
// libxt_CHECKSUM.t, libipt_TTL.t, libxt_NFLOG.t) through parse, the kernel
// model and save, in the table each file names, with the result
// iptables-legacy gives (the VARIANT column); then the -S / -L text and
// the messages of iptables-legacy 1.8.9 for the same commands.
#include "corpus_util.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
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

std::string check_saved(RulesetModel& kernel, Table t, const std::string& table, const std::string& chain,
                        const std::string& rule, const std::string& expected, const std::vector<std::string>& tok);

// "" when the rule behaves as expected in `table`: OK rules save as
// `expected` and delete by their spelling, FAIL rules are refused.
std::string run_one(const std::string& table, const std::string& chain, const std::string& rule,
                    const std::string& expected, bool want_ok) {
    auto tok = shell_split(rule);
    std::vector<std::string> args = {"-t", table, "-A", chain};
    args.insert(args.end(), tok.begin(), tok.end());
    Table t = *table_from_name(table);
    RulesetModel kernel;
    try {
        for (auto& op : plan_command(parse_command(args))) kernel.apply(op);
    } catch (const Error& e) {
        return want_ok ? std::string("rejected: ") + e.what() : "";
    }
    if (!want_ok) return "accepted, but iptables-legacy refuses it";
    try {
        return check_saved(kernel, t, table, chain, rule, expected, tok);
    } catch (const Error& e) {
        return std::string("after adding: ") + e.what();
    }
}

std::string check_saved(RulesetModel& kernel, Table t, const std::string& table, const std::string& chain,
                        const std::string& rule, const std::string& expected, const std::vector<std::string>& tok) {
    auto snap = kernel.snapshot(t);
    auto in_chain = snap.rules_of(chain);
    if (in_chain.size() != 1) return "rule not stored";
    std::string want = "-A " + chain + " " + (expected == "=" ? rule : expected);
    std::string got = format_append(chain, in_chain.front()->rule);
    if (got != want) return "saved as `" + got + "', expected `" + want + "'";
    std::vector<std::string> dargs = {"-t", table, "-D", chain};
    dargs.insert(dargs.end(), tok.begin(), tok.end());
    try {
        for (auto& op : plan_command(parse_command(dargs))) kernel.apply(op);
    } catch (const Error& e) {
        return std::string("delete failed: ") + e.what();
    }
    auto after = kernel.snapshot(t);
    if (!after.rules_of(chain).empty()) return "delete left the rule";
    return "";
}

// Every test line of `name`; returns the number of (line, chain) pairs.
int run_file(const std::string& name) {
    auto path = corpus_dir() / "iptables-tests" / name;
    std::ifstream in(path);
    EXPECT_TRUE(in) << path << " not found (set NFGATE_CORPUS_DIR)";
    std::string line, table = "filter";
    std::vector<std::string> chains;
    int checked = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line[0] == ':') {
            chains = split(line.substr(1), ',');
            continue;
        }
        if (line[0] == '*') {
            table = line.substr(1);
            continue;
        }
        auto f = split(line, ';');
        EXPECT_GE(f.size(), 3U) << name << ": " << line;
        if (f.size() < 3) continue;
        std::string expected = f[1];
        std::string result = f[2];
        // VARIANT: the result holds for that backend only; nfgate is
        // checked against legacy's.
        if (f.size() >= 4 && f[3] == "NFT") {
            if (f.size() >= 5)
                result = f[4];
            else
                result = result == "OK" ? "FAIL" : "OK";
        }
        for (const auto& c : chains) {
            SCOPED_TRACE(line);
            EXPECT_EQ(run_one(table, c, f[0], expected, result == "OK"), "") << name << " " << c << ": " << line;
            ++checked;
        }
    }
    return checked;
}

RuleSpec rule_of(const std::string& cmd) { return parse_command(shell_split(cmd)).rules().at(0); }

std::string saved(const std::string& cmd) { return format_append("POSTROUTING", rule_of(cmd)); }

std::string listed(const std::string& cmd) {
    RuleSpec r = rule_of(cmd);
    std::string out;
    r.target.ext.kind->print(r.target.ext.data, out, true);
    return out;
}

std::string refusal(const std::string& cmd) {
    try {
        (void)parse_command(shell_split(cmd));
    } catch (const Error& e) {
        return e.what();
    }
    return "accepted";
}

// Refused by the model (the kernel's checkentry), in `table`/`chain`.
std::string model_refusal(const std::string& cmd) {
    RulesetModel kernel;
    try {
        for (auto& op : plan_command(parse_command(shell_split(cmd)))) kernel.apply(op);
    } catch (const Error& e) {
        return "";
    }
    return "accepted";
}

void expect_canonical(const std::string& cmd) {
    RuleSpec r = rule_of(cmd);
    EXPECT_EQ(canonical_attrs(r.target.ext.data), r.target.ext.data) << cmd;
}

TEST(ExtXtarget, TcpmssVectors) { EXPECT_EQ(run_file("libxt_TCPMSS.t"), 12); }

TEST(ExtXtarget, TcpmssText) {
    const std::string syn = "-t mangle -A POSTROUTING -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS";
    EXPECT_EQ(saved(syn + " --set-mss 1400"),
              "-A POSTROUTING -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --set-mss 1400");
    EXPECT_EQ(saved(syn + " --clamp-mss-to-pmtu --set-mss 0x10"),
              "-A POSTROUTING -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --set-mss 16");
    EXPECT_EQ(saved(syn + " --set-mss 100 --clamp-mss-to-pmtu"),
              "-A POSTROUTING -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j TCPMSS --clamp-mss-to-pmtu");
    EXPECT_EQ(listed(syn + " --set-mss 1400"), " TCPMSS set 1400");
    EXPECT_EQ(listed(syn + " --clamp-mss-to-pmtu"), " TCPMSS clamp to PMTU");
    EXPECT_EQ(refusal(syn), "TCPMSS target: At least one parameter is required");
    EXPECT_EQ(refusal(syn + " --set-mss 65516"),
              "TCPMSS: bad value for option \"--set-mss\", or out of range (0-65515).");
    EXPECT_EQ(refusal(syn + " --set-mss 1 --set-mss 2"), "TCPMSS: option \"--set-mss\" can only be used once.");
    EXPECT_EQ(refusal(syn + " ! --clamp-mss-to-pmtu"), "TCPMSS: option \"--clamp-mss-to-pmtu\" cannot be inverted.");
    // xt_TCPMSS's checkentry
    EXPECT_EQ(model_refusal("-t mangle -A PREROUTING -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu"), "");
    EXPECT_EQ(model_refusal("-t mangle -A INPUT -p tcp --syn -j TCPMSS --clamp-mss-to-pmtu"), "");
    EXPECT_EQ(model_refusal("-t mangle -A PREROUTING -p tcp --syn -j TCPMSS --set-mss 1000"), "accepted");
    EXPECT_EQ(model_refusal("-A FORWARD -p tcp ! --syn -j TCPMSS --set-mss 1000"), "");
    EXPECT_EQ(model_refusal("-A FORWARD -p tcp --tcp-flags SYN,ACK ACK -j TCPMSS --set-mss 1000"), "");
    EXPECT_EQ(model_refusal("-A FORWARD -p tcp --tcp-flags SYN,ACK SYN,ACK -j TCPMSS --set-mss 1000"), "accepted");
    EXPECT_EQ(model_refusal("-A FORWARD -p udp -j TCPMSS --set-mss 1000"), "");
    expect_canonical(syn + " --set-mss 1400");
}

TEST(ExtXtarget, ChecksumVectors) { EXPECT_EQ(run_file("libxt_CHECKSUM.t"), 6); }

TEST(ExtXtarget, ChecksumText) {
    EXPECT_EQ(saved("-t mangle -A POSTROUTING -p udp -j CHECKSUM --checksum-fill"),
              "-A POSTROUTING -p udp -j CHECKSUM --checksum-fill");
    EXPECT_EQ(listed("-t mangle -A POSTROUTING -j CHECKSUM --checksum-fill"), " CHECKSUM fill");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j CHECKSUM"), "CHECKSUM: option \"--checksum-fill\" must be specified");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j CHECKSUM --checksum-fill --checksum-fill"),
              "CHECKSUM: option \"--checksum-fill\" can only be used once.");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j CHECKSUM ! --checksum-fill"),
              "CHECKSUM: option \"--checksum-fill\" cannot be inverted.");
    expect_canonical("-t mangle -A POSTROUTING -j CHECKSUM --checksum-fill");
}

TEST(ExtXtarget, TtlVectors) { EXPECT_EQ(run_file("libipt_TTL.t"), 40); }

TEST(ExtXtarget, TtlText) {
    EXPECT_EQ(saved("-t mangle -A POSTROUTING -j TTL --ttl-set 0x10"), "-A POSTROUTING -j TTL --ttl-set 16");
    EXPECT_EQ(saved("-t mangle -A POSTROUTING -j TTL --ttl-set 0"), "-A POSTROUTING -j TTL --ttl-set 0");
    EXPECT_EQ(listed("-t mangle -A POSTROUTING -j TTL --ttl-set 42"), " TTL set to 42");
    EXPECT_EQ(listed("-t mangle -A POSTROUTING -j TTL --ttl-dec 5"), " TTL decrement by 5");
    EXPECT_EQ(listed("-t mangle -A POSTROUTING -j TTL --ttl-inc 255"), " TTL increment by 255");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL"), "TTL: You must specify an action");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL --ttl-set 256"),
              "TTL: bad value for option \"--ttl-set\", or out of range (0-255).");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL --ttl-inc 0"),
              "TTL: bad value for option \"--ttl-inc\", or out of range (1-255).");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL --ttl-set --ttl-inc 1"),
              "TTL: bad value for option \"--ttl-set\", or out of range (0-255).");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL --ttl-dec 1 --ttl-inc 1"),
              "TTL: option \"--ttl-dec\" cannot be used together with \"--ttl-inc\".");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL --ttl-inc 1 --ttl-set 1"),
              "TTL: option \"--ttl-set\" cannot be used together with \"--ttl-inc\".");
    EXPECT_EQ(refusal("-t mangle -A POSTROUTING -j TTL --ttl-set 1 --ttl-set 2"),
              "TTL: option \"--ttl-set\" can only be used once.");
    expect_canonical("-t mangle -A POSTROUTING -j TTL --ttl-dec 1");
}

TEST(ExtXtarget, NflogVectors) { EXPECT_EQ(run_file("libxt_NFLOG.t"), 57); }

TEST(ExtXtarget, NflogText) {
    const std::string x65(65, 'x'), x63(63, 'x');
    EXPECT_EQ(saved("-A POSTROUTING -j NFLOG --nflog-prefix " + x65), "-A POSTROUTING -j NFLOG --nflog-prefix " + x63);
    EXPECT_EQ(saved("-A POSTROUTING -j NFLOG --nflog-threshold 0 --nflog-group 0x10 --nflog-size 0 --nflog-prefix "
                    "'a b'"),
              "-A POSTROUTING -j NFLOG --nflog-prefix \"a b\" --nflog-group 16 --nflog-size 0");
    EXPECT_EQ(saved("-A POSTROUTING -j NFLOG --nflog-range 0"), "-A POSTROUTING -j NFLOG");
    EXPECT_EQ(listed("-A POSTROUTING -j NFLOG"), "");
    EXPECT_EQ(listed("-A POSTROUTING -j NFLOG --nflog-prefix p --nflog-group 2 --nflog-range 9 --nflog-threshold 3"),
              " nflog-prefix p nflog-group 2 nflog-range 9 nflog-threshold 3");
    EXPECT_EQ(refusal("-A POSTROUTING -j NFLOG --nflog-group 65536"),
              "NFLOG: bad value for option \"--nflog-group\", or out of range (0-65535).");
    EXPECT_EQ(refusal("-A POSTROUTING -j NFLOG --nflog-size -1"),
              "NFLOG: bad value for option \"--nflog-size\", or out of range (0-4294967295).");
    EXPECT_EQ(refusal("-A POSTROUTING -j NFLOG --nflog-size 1 --nflog-range 1"),
              "NFLOG: option \"--nflog-range\" cannot be used together with \"--nflog-size\".");
    EXPECT_EQ(refusal("-A POSTROUTING -j NFLOG --nflog-prefix ''"),
              "Argument must have a minimum length of 1 characters");
    EXPECT_EQ(refusal("-A POSTROUTING -j NFLOG --nflog-prefix 'a\nb'"), "Newlines not allowed in --log-prefix");
    EXPECT_EQ(refusal("-A POSTROUTING -j NFLOG --nflog-group 1 --nflog-group 1"),
              "NFLOG: option \"--nflog-group\" can only be used once.");
    expect_canonical("-A POSTROUTING -j NFLOG --nflog-prefix p --nflog-size 3");
}

}  // namespace
}  // namespace nfgate::test
