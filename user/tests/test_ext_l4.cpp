// SPDX-License-Identifier: GPL-2.0
// The layer-4 matches: tcp flags and option (--tcp-flags, --syn,
// --tcp-option), icmp (--icmp-type) and multiport: parse -> save text as
// iptables-save 1.8.9 prints it (vectors of libxt_tcp.t, libipt_icmp.t,
// libxt_multiport.t and more), iptables' messages, -L text, and the
// netlink codec (the "tcp" element's data, at any position).
#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include <sstream>

namespace nfgate {
namespace {

std::vector<std::string> words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> v;
    std::string w;
    while (in >> w) v.push_back(w);
    return v;
}

RuleSpec rule_of(const std::string& s) { return parse_command(words(s)).rules().at(0); }

// "-A INPUT RULE" parsed, stored in the model (the kernel's checks) and
// saved.
std::string saved(const std::string& rule) {
    Command c = parse_command(words("-A INPUT " + rule));
    RulesetModel m;
    for (auto& op : plan_command(c)) m.apply(op);
    auto snap = m.snapshot(Table::filter);
    auto rules = snap.rules_of("INPUT");
    EXPECT_EQ(rules.size(), 1U);
    if (rules.empty()) return "";
    std::string s = format_append("INPUT", rules.front()->rule);
    return s.substr(std::string("-A INPUT ").size());
}

std::string usage_error(const std::string& rule) {
    try {
        parse_command(words("-A INPUT " + rule));
    } catch (const UsageError& e) {
        return e.what();
    } catch (const Error& e) {
        return std::string("not a usage error: ") + e.what();
    }
    return "accepted";
}

// What -L prints after the address columns (the matches and the target's
// text), trailing blanks cut.
std::string listed(const std::string& rule, bool numeric) {
    ListOptions o;
    o.numeric = numeric;
    std::string row = list_rule_row(rule_of("-A INPUT " + rule), 1, o);
    while (!row.empty() && (row.back() == '\n' || row.back() == ' ')) row.pop_back();
    const char* any = numeric ? "0.0.0.0/0" : "anywhere";
    auto pos = row.rfind(any);
    if (pos == std::string::npos) return row;
    pos = row.find_first_not_of(' ', pos + std::string_view(any).size());
    return pos == std::string::npos ? "" : row.substr(pos);
}

// The rule through the codec: encoded as for NEWRULE, read back as a dump.
RuleSpec through_codec(const RuleSpec& r) {
    Op op;
    op.kind = OpKind::new_rule;
    op.chain = "INPUT";
    op.rule = r;
    MsgPtr msg = encode_op(0x1234, op);
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    EXPECT_EQ(genlmsg_parse(nlmsg_hdr(msg.get()), 0, tb, NFGATE_A_MAX, nullptr), 0);
    return parse_rule_attr(tb[NFGATE_A_RULE]);
}

TEST(ExtL4, TcpVectors) {
    // libxt_tcp.t
    EXPECT_EQ(saved("-p tcp -m tcp --syn"), "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN");
    for (const char* r : {"-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN",
                          "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN",
                          "-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN",
                          "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG RST"})
        EXPECT_EQ(saved(r), r);
    // Names in any case and order, ALL and NONE, empty items skipped.
    EXPECT_EQ(saved("-p tcp --tcp-flags ALL syn,,Ack"), "-p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN,ACK");
    EXPECT_EQ(saved("-p tcp --tcp-flags SYN,ACK NONE"), "-p tcp -m tcp --tcp-flags SYN,ACK NONE");
    EXPECT_EQ(saved("-p tcp ! --syn"), "-p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN");
    // tcp_save() prints only a nonzero mask (or an inverted test).
    EXPECT_EQ(saved("-p tcp --tcp-flags NONE NONE"), "-p tcp -m tcp");
    EXPECT_EQ(saved("-p tcp ! --tcp-flags NONE NONE"), "-p tcp -m tcp ! --tcp-flags NONE NONE");
    // Ports first, then the option, then the flags, whatever the order given.
    EXPECT_EQ(saved("-p tcp --syn --tcp-option 2 --dport 22 --sport 1024:"),
              "-p tcp -m tcp --sport 1024:65535 --dport 22 --tcp-option 2 --tcp-flags FIN,SYN,RST,ACK SYN");
    EXPECT_EQ(saved("-p tcp ! --tcp-option 0x1e"), "-p tcp -m tcp ! --tcp-option 30");
    EXPECT_EQ(saved("-m tcp --syn -p 6"), "-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN");
    // the tcp match keeps its place among other matches
    EXPECT_EQ(saved("-p tcp -m mark --mark 1 --syn -m comment --comment x"),
              "-p tcp -m mark --mark 0x1 -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m comment --comment x");
}

TEST(ExtL4, TcpErrors) {
    EXPECT_EQ(usage_error("-p tcp --syn --syn"), "Only one of `--syn' or `--tcp-flags'  allowed");
    EXPECT_EQ(usage_error("-p tcp --syn --tcp-flags SYN SYN"), "Only one of `--syn' or `--tcp-flags'  allowed");
    EXPECT_EQ(usage_error("-p tcp --tcp-flags SYN"), "--tcp-flags requires two args.");
    EXPECT_EQ(usage_error("-p tcp --tcp-flags SYN -j ACCEPT"), "--tcp-flags requires two args.");
    EXPECT_EQ(usage_error("-p tcp --tcp-flags SYN ! ACK"), "--tcp-flags requires two args.");
    EXPECT_EQ(usage_error("-p tcp --tcp-flags SYN,FOO SYN"), "Unknown TCP flag `FOO'");
    EXPECT_EQ(usage_error("-p tcp --tcp-flags SYN ECE"), "Unknown TCP flag `ECE'");
    EXPECT_EQ(usage_error("-p tcp --tcp-option 0"), "Bad TCP option \"0\"");
    EXPECT_EQ(usage_error("-p tcp --tcp-option 256"), "Bad TCP option \"256\"");
    EXPECT_EQ(usage_error("-p tcp --tcp-option 2 --tcp-option 3"), "Only one `--tcp-option' allowed");
    EXPECT_EQ(usage_error("-p udp --syn"), "unknown option \"--syn\"");
    EXPECT_EQ(usage_error("--syn"), "unknown option \"--syn\"");
}

TEST(ExtL4, IcmpVectors) {
    // libipt_icmp.t
    EXPECT_EQ(saved("-p icmp -m icmp --icmp-type any"), "-p icmp -m icmp --icmp-type any");
    EXPECT_EQ(saved("-p icmp -m icmp --icmp-type echo-reply"), "-p icmp -m icmp --icmp-type 0");
    EXPECT_EQ(saved("-p icmp -m icmp --icmp-type destination-unreachable"), "-p icmp -m icmp --icmp-type 3");
    // "any" only for every code of type 255, as iptables since 1.8.10
    // (1.8.9 saved 255/255 as "any" too, and the rule could not be found).
    EXPECT_EQ(saved("-p icmp -m icmp --icmp-type 255/255"), "-p icmp -m icmp --icmp-type 255/255");
    EXPECT_EQ(saved("-p icmp -m icmp --icmp-type 255/0:255"), "-p icmp -m icmp --icmp-type any");
    EXPECT_EQ(usage_error("-m icmp"), "icmp: option \"--icmp-type\" must be specified");
    EXPECT_EQ(usage_error("-p icmp -m icmp"), "icmp: option \"--icmp-type\" must be specified");
    // implicit load by -p icmp, names, codes, prefixes, inversion
    EXPECT_EQ(saved("-p icmp --icmp-type 8"), "-p icmp -m icmp --icmp-type 8");
    EXPECT_EQ(saved("-p 1 ! --icmp-type echo-request"), "-p icmp -m icmp ! --icmp-type 8");
    EXPECT_EQ(saved("-p icmp --icmp-type port-unr"), "-p icmp -m icmp --icmp-type 3/3");
    EXPECT_EQ(saved("-p icmp --icmp-type Host-Prohibited"), "-p icmp -m icmp --icmp-type 3/10");
    EXPECT_EQ(saved("-p icmp --icmp-type network-unreachable"), "-p icmp -m icmp --icmp-type 3/0");
    EXPECT_EQ(saved("-p icmp --icmp-type 3/0:3"), "-p icmp -m icmp --icmp-type 3/0");
    EXPECT_EQ(saved("-p icmp --icmp-type 0x0b/1"), "-p icmp -m icmp --icmp-type 11/1");
    EXPECT_EQ(saved("-p icmp -m comment --comment c --icmp-type 8"),
              "-p icmp -m comment --comment c -m icmp --icmp-type 8");
}

TEST(ExtL4, IcmpErrors) {
    EXPECT_EQ(usage_error("-p icmp --icmp-type echo"), "Ambiguous ICMP type `echo': `echo-reply' or `echo-request'?");
    EXPECT_EQ(usage_error("-p icmp --icmp-type bogus"), "Unknown ICMP type `bogus'");
    EXPECT_EQ(usage_error("-p icmp --icmp-type 256"), "Unknown ICMP type `256'");
    EXPECT_EQ(usage_error("-p icmp --icmp-type 3/x"), "Unknown ICMP code `3/x'");
    EXPECT_EQ(usage_error("-p icmp --icmp-type 3x"), "unknown character x");
    EXPECT_EQ(usage_error("-p icmp --icmp-type 3/1x"), "unknown character x");
    EXPECT_EQ(usage_error("-p icmp --icmp-type 3:4"), "ICMP type range not supported");
    EXPECT_EQ(usage_error("-p icmp --icmp-type 8 --icmp-type 0"), "icmp: option \"--icmp-type\" can only be used once.");
    EXPECT_EQ(usage_error("-m icmp --icmp-type 8"), "icmp match: only valid for protocol 1 (use -p icmp, not inverted)");
    EXPECT_EQ(usage_error("! -p icmp -m icmp --icmp-type 8"),
              "icmp match: only valid for protocol 1 (use -p icmp, not inverted)");
    EXPECT_EQ(usage_error("-p tcp --icmp-type 8"), "unknown option \"--icmp-type\"");
    EXPECT_EQ(saved("-m icmp --icmp-type 8 -p icmp"), "-p icmp -m icmp --icmp-type 8");
}

TEST(ExtL4, MultiportVectors) {
    // libxt_multiport.t
    for (const char* p : {"tcp", "udp", "sctp", "dccp", "udplite"})
        for (const char* o : {"--sports", "--dports"}) {
            std::string r = std::string("-p ") + p + " -m multiport " + o + " 53,1024:65535";
            EXPECT_EQ(saved(r), r);
        }
    EXPECT_EQ(saved("-p udp -m multiport --ports 53,1024:65535"), "-p udp -m multiport --ports 53,1024:65535");
    EXPECT_EQ(saved("-p tcp -m multiport --ports 1,2,3,4,6,7,8,9,10,11,12,13,14,15"),
              "-p tcp -m multiport --ports 1,2,3,4,6,7,8,9,10,11,12,13,14,15");
    EXPECT_NE(usage_error("-p tcp -m multiport --sports 1024:65536"), "accepted");
    EXPECT_NE(usage_error("-p udp -m multiport --ports 1024:65536"), "accepted");
    EXPECT_EQ(usage_error("-p tcp --multiport"), "unknown option \"--multiport\"");
    EXPECT_EQ(usage_error("-m multiport"), "multiport expection an option");
    // long names, inversion, services, 15 entries with ranges
    EXPECT_EQ(saved("-p tcp -m multiport ! --destination-ports ssh,http:https"),
              "-p tcp -m multiport ! --dports 22,80:443");
    EXPECT_EQ(saved("-p 17 -m multiport --source-ports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15"),
              "-p udp -m multiport --sports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15");
    // getopt abbreviates --dport to multiport's --dports when tcp is not
    // loaded (so -p tcp does not load it), as in iptables
    EXPECT_EQ(saved("-p tcp -m multiport --dport 80"), "-p tcp -m multiport --dports 80");
    EXPECT_EQ(usage_error("-p tcp -m multiport --dports 80 --sport 1"),
              "multiport: option \"--source-ports\" cannot be used together with \"--destination-ports\".");
    EXPECT_EQ(saved("-p tcp -m multiport --dports 80 -m tcp --sport 1"),
              "-p tcp -m multiport --dports 80 -m tcp --sport 1");
    EXPECT_EQ(saved("-p tcp --sport 1 -m multiport --dports 80"),
              "-p tcp -m tcp --sport 1 -m multiport --dports 80");
}

TEST(ExtL4, MultiportErrors) {
    EXPECT_EQ(usage_error("-m multiport --dports 80"),
              "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
    EXPECT_EQ(usage_error("-m multiport --dports 80 -p tcp"),
              "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
    EXPECT_EQ(usage_error("-p icmp -m multiport --dports 80"),
              "multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
    EXPECT_EQ(usage_error("! -p tcp -m multiport --dports 80"),
              "multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP");
    EXPECT_EQ(usage_error("-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"),
              "too many ports specified");
    EXPECT_EQ(usage_error("-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16"),
              "too many ports specified");
    EXPECT_EQ(usage_error("-p tcp -m multiport --ports 80:80"), "invalid portrange specified");
    EXPECT_EQ(usage_error("-p tcp -m multiport --ports 81:80"), "invalid portrange specified");
    EXPECT_EQ(usage_error("-p tcp -m multiport --ports 80,"), "invalid port/service `' specified");
    EXPECT_EQ(usage_error("-p tcp -m multiport --ports nosuchservice"),
              "invalid port/service `nosuchservice' specified");
    EXPECT_EQ(usage_error("-p tcp -m multiport --sports 1 --sports 2"),
              "multiport: option \"--source-ports\" can only be used once.");
    EXPECT_EQ(usage_error("-p tcp -m multiport --dports 1 --sports 2"),
              "multiport: option \"--source-ports\" cannot be used together with \"--destination-ports\".");
    EXPECT_EQ(usage_error("-p tcp -m multiport --dports 1 --ports 2"),
              "multiport: option \"--destination-ports\" cannot be used together with \"--ports\".");
}

TEST(ExtL4, Listing) {
    EXPECT_EQ(listed("-p tcp --syn", true), "tcp flags:0x17/0x02");
    EXPECT_EQ(listed("-p tcp --syn", false), "tcp flags:FIN,SYN,RST,ACK/SYN");
    EXPECT_EQ(listed("-p tcp --dport 22 ! --tcp-option 8 ! --tcp-flags ALL NONE", true),
              "tcp dpt:22 option=!8 flags:!0x3F/0x00");
    EXPECT_EQ(listed("-p icmp --icmp-type 8", true), "icmptype 8");
    EXPECT_EQ(listed("-p icmp --icmp-type 8", false), "icmp echo-request");
    EXPECT_EQ(listed("-p icmp ! --icmp-type 3/3", true), "icmp !type 3 code 3");
    EXPECT_EQ(listed("-p icmp ! --icmp-type 3/3", false), "icmp !port-unreachable");
    EXPECT_EQ(listed("-p icmp --icmp-type 3/1:4", false), "icmptype 3 codes 1-4");
    EXPECT_EQ(listed("-p icmp --icmp-type any", false), "icmp any");
    EXPECT_EQ(listed("-p icmp --icmp-type any", true), "icmptype 255");
    EXPECT_EQ(listed("-p tcp -m multiport --dports 22,80:443", true), "multiport dports 22,80:443");
    EXPECT_EQ(listed("-p tcp -m multiport ! --ports 22,80:443", true), "multiport ports  !22,80:443");
    EXPECT_EQ(listed("-p tcp -m multiport --sports 22,80:443", false), "multiport sports ssh,http:https");
}

TEST(ExtL4, Codec) {
    for (const char* r : {"-A INPUT -p tcp --syn",
                          "-A INPUT -p tcp ! --tcp-option 2 --dport 22",
                          "-A INPUT -p tcp -m comment --comment x ! --tcp-flags SYN,ACK SYN -j DROP",
                          "-A INPUT -p tcp -m comment --comment x --dport 1 -m mark --mark 2",
                          "-A INPUT -p tcp -m tcp",
                          "-A INPUT -p icmp ! --icmp-type 3/1:4 -m mark --mark 1",
                          "-A INPUT -p udp -m multiport ! --ports 1,2:3,4 -m udp --sport 5",
                          "-A INPUT -p sctp -m multiport --dports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15"}) {
        RuleSpec in = rule_of(r);
        RuleSpec back = through_codec(in);
        EXPECT_TRUE(same_rule(back, in)) << r;
        EXPECT_EQ(format_append("INPUT", back), format_append("INPUT", in)) << r;
    }
    // The "tcp" element's data is what nfgate's kernel dumps for it.
    L4Match m;
    m.has_flags = true;
    m.flags_mask = 0x17;
    m.flags_comp = 0x02;
    m.option = 2;
    m.option_invert = true;
    auto bytes = tcp_data(m);
    EXPECT_EQ(bytes, canonical_attrs(bytes));
    AttrReader a(bytes);
    EXPECT_EQ(a.u8(NFGATE_TCP_A_FLAGS_MASK), 0x17);
    EXPECT_EQ(a.u8(NFGATE_TCP_A_FLAGS_COMP), 0x02);
    EXPECT_FALSE(a.has(NFGATE_TCP_A_FLAGS_INV));
    EXPECT_EQ(a.u8(NFGATE_TCP_A_OPTION), 2);
    EXPECT_TRUE(a.has(NFGATE_TCP_A_OPTION_INV));
    L4Match back;
    read_tcp_data(bytes, back);
    EXPECT_EQ(back, m);
    EXPECT_TRUE(tcp_data(L4Match{}).empty());
}

TEST(ExtL4, SameRuleNeedsSameFlags) {
    EXPECT_FALSE(same_rule(rule_of("-A INPUT -p tcp --syn"), rule_of("-A INPUT -p tcp ! --syn")));
    EXPECT_FALSE(same_rule(rule_of("-A INPUT -p tcp --syn"), rule_of("-A INPUT -p tcp")));
    EXPECT_TRUE(same_rule(rule_of("-A INPUT -p tcp --syn"),
                          rule_of("-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN")));
    EXPECT_FALSE(same_rule(rule_of("-A INPUT -p icmp --icmp-type 8"), rule_of("-A INPUT -p icmp --icmp-type 0")));
}

}  // namespace
}  // namespace nfgate
