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

// Every line of their .t files: test_corpus.cpp (all files, VARIANT
// read for the legacy backend).

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
