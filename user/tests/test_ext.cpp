// SPDX-License-Identifier: GPL-2.0
// The extension framework and its first kinds (comment, mark, MARK):
// options loaded by -m/-j, iptables-save text, -L text, the netlink
// encoding with the tcp/udp place marker, and equality by attribute bytes.
#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/restore.hpp"

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtest/gtest.h>

#include <sstream>

namespace nfgate {
namespace {

RuleSpec restore_rule(const std::string& line, Table table = Table::filter) {
    ParseContext ctx;
    ctx.restore = true;
    ctx.restore_table = table;
    return parse_command(tokenize_restore_line(line), ctx).rules().at(0);
}

std::string save_of(const std::string& line) { return format_append("INPUT", restore_rule(line)); }

// The rule after a trip through NFGATE_A_RULE, as a dump returns it.
RuleSpec codec_trip(const RuleSpec& r) {
    MsgPtr msg = new_request(0x1234, NFGATE_CMD_NEWRULE);
    put_rule(msg.get(), r);
    nlattr* tb[NFGATE_A_MAX + 1] = {};
    EXPECT_EQ(genlmsg_parse(nlmsg_hdr(msg.get()), 0, tb, NFGATE_A_MAX, nullptr), 0);
    return parse_rule_attr(tb[NFGATE_A_RULE]);
}

TEST(Ext, SaveTextIsIptables) {
    // iptables-save prints the matches in rule order, -p before them.
    EXPECT_EQ(save_of("-A INPUT -m comment --comment \"ns/svc:http\" -m tcp -p tcp --dport 80 -j ACCEPT"),
              "-A INPUT -p tcp -m comment --comment \"ns/svc:http\" -m tcp --dport 80 -j ACCEPT");
    EXPECT_EQ(save_of("-A INPUT -p udp --dport 53 -m comment --comment DNS"),
              "-A INPUT -p udp -m udp --dport 53 -m comment --comment DNS");
    EXPECT_EQ(save_of("-A INPUT -m comment --comment \"it's \\\"q\\\"\" -j DROP"),
              "-A INPUT -m comment --comment \"it\\'s \\\"q\\\"\" -j DROP");
    EXPECT_EQ(save_of("-A INPUT -m mark ! --mark 0x1/0xff -j ACCEPT"),
              "-A INPUT -m mark ! --mark 0x1/0xff -j ACCEPT");
    EXPECT_EQ(save_of("-A INPUT -m mark --mark 16"), "-A INPUT -m mark --mark 0x10");
    EXPECT_EQ(save_of("-A INPUT -j MARK --set-mark 5"), "-A INPUT -j MARK --set-xmark 0x5/0xffffffff");
    EXPECT_EQ(save_of("-A INPUT -j MARK --set-mark 0x4/0xc"), "-A INPUT -j MARK --set-xmark 0x4/0xc");
    EXPECT_EQ(save_of("-A INPUT -j MARK --and-mark 0xff"), "-A INPUT -j MARK --set-xmark 0x0/0xffffff00");
    EXPECT_EQ(save_of("-A INPUT -j MARK --or-mark 0x4000"), "-A INPUT -j MARK --set-xmark 0x4000/0x4000");
    EXPECT_EQ(save_of("-A INPUT -j MARK --xor-mark 3"), "-A INPUT -j MARK --set-xmark 0x3/0x0");
    // Options of the newest extension win, and the same match may repeat.
    EXPECT_EQ(save_of("-A INPUT -m mark --mark 1 -m mark ! --mark 2"),
              "-A INPUT -m mark --mark 0x1 -m mark ! --mark 0x2");
}

TEST(Ext, ListingTextIsIptables) {
    ListOptions o;
    o.numeric = true;
    std::string row = list_rule_row(restore_rule("-A INPUT -p tcp -m comment --comment hi -m tcp --dport 22 -m mark "
                                                 "--mark 0x1/0x3 -j MARK --or-mark 4"),
                                    1, o);
    EXPECT_NE(row.find("MARK       6    --  0.0.0.0/0            0.0.0.0/0            /* hi */ tcp dpt:22 mark "
                       "match 0x1/0x3 MARK or 0x4"),
              std::string::npos)
        << row;
}

TEST(Ext, ParseErrorsAreIptables) {
    auto fails = [](const std::string& line, const std::string& what) {
        try {
            restore_rule(line);
            ADD_FAILURE() << line << " parsed";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
        }
    };
    fails("-A INPUT -m comment", "option \"--comment\" must be specified");
    fails("-A INPUT -m comment --comment " + std::string(256, 'x'), "no longer than 255");
    fails("-A INPUT -m mark --mark nope", "bad value for option \"--mark\"");
    fails("-A INPUT -j MARK", "--set/and/or/xor-mark is required");
    fails("-A INPUT -j MARK --set-mark 1 --or-mark 2", "twice");
    fails("-A INPUT -g MARK", "goto 'MARK' is not a chain");
    fails("-A INPUT -m nosuch", "match `nosuch' is not supported by nfgate");
    fails("-A INPUT --comment x", "unknown option");
    EXPECT_THROW(check_chain_name("MARK"), UsageError);
}

TEST(Ext, CodecKeepsOrderAndEquality) {
    for (const char* line : {
             "-A INPUT -p tcp -m comment --comment a -m tcp --dport 80 -m mark --mark 1 -j MARK --set-mark 2",
             "-A INPUT -p tcp -m tcp --dport 80 -m comment --comment a -j ACCEPT",
             "-A INPUT -p tcp -m comment --comment a -m tcp -j KUBE-SVC-X",
             "-A INPUT -m comment --comment x",
         }) {
        RuleSpec r = restore_rule(line);
        RuleSpec back = codec_trip(r);
        EXPECT_TRUE(same_rule(r, back)) << line;
        EXPECT_EQ(format_append("INPUT", back), format_append("INPUT", r)) << line;
    }
    EXPECT_FALSE(same_rule(restore_rule("-A INPUT -m comment --comment a"),
                           restore_rule("-A INPUT -m comment --comment b")));
    EXPECT_FALSE(same_rule(restore_rule("-A INPUT -p tcp -m comment --comment a -m tcp --dport 1"),
                           restore_rule("-A INPUT -p tcp -m tcp --dport 1 -m comment --comment a")));
    EXPECT_FALSE(same_rule(restore_rule("-A INPUT -j MARK --set-mark 1"), restore_rule("-A INPUT -j MARK --set-mark 2")));
}

TEST(Ext, LimitAsIptables) {
    // libxt_limit.t, and what iptables-save prints for other spellings
    for (const char* r : {"-m limit --limit 1/sec", "-m limit --limit 1/min", "-m limit --limit 1000/hour",
                          "-m limit --limit 1000/day", "-m limit --limit 1/sec --limit-burst 1"})
        EXPECT_EQ(save_of(std::string("-A INPUT ") + r), std::string("-A INPUT ") + r);
    EXPECT_EQ(save_of("-A INPUT -m limit"), "-A INPUT -m limit --limit 3/hour");
    EXPECT_EQ(save_of("-A INPUT -m limit --limit 5/m --limit-burst 7 -j ACCEPT"),
              "-A INPUT -m limit --limit 5/min --limit-burst 7 -j ACCEPT");
    EXPECT_EQ(save_of("-A INPUT -m limit --limit 60/minute"), "-A INPUT -m limit --limit 1/sec");
    EXPECT_EQ(save_of("-A INPUT -m limit --limit 7/s"), "-A INPUT -m limit --limit 7/sec");
    EXPECT_EQ(save_of("-A INPUT -m limit --limit 2/HOUR"), "-A INPUT -m limit --limit 2/hour");
    EXPECT_EQ(save_of("-A INPUT -m limit --limit 1/d"), "-A INPUT -m limit --limit 1/day");
    EXPECT_EQ(save_of("-A INPUT -m limit --limit 48/d"), "-A INPUT -m limit --limit 2/hour");
    EXPECT_THROW(save_of("-A INPUT -m limit --limit 3/"), UsageError);
    EXPECT_THROW(save_of("-A INPUT -m limit --limit 20000/sec"), UsageError);  // rate too fast
    EXPECT_THROW(save_of("-A INPUT -m limit --limit 1/week"), UsageError);
    EXPECT_THROW(save_of("-A INPUT -m limit --limit-burst 10001"), UsageError);
    EXPECT_THROW(save_of("-A INPUT -m limit ! --limit 1/s"), UsageError);
    ListOptions o;
    o.numeric = true;
    EXPECT_NE(list_rule_row(restore_rule("-A INPUT -m limit --limit 3/min --limit-burst 2"), 1, o)
                  .find("limit: avg 3/min burst 2"),
              std::string::npos);
}

TEST(Ext, CtAsIptables) {
    auto raw = [](const std::string& r) { return format_append("PREROUTING", restore_rule("-A PREROUTING " + r, Table::raw)); };
    // libxt_CT.t, libxt_NOTRACK.t
    for (const char* r : {"-j CT --notrack", "-j CT --ctevents new,related,destroy,reply,assured,protoinfo,helper,mark",
                          "-j CT --expevents new", "-j CT --zone 65535", "-j NOTRACK", "-j CT"})
        EXPECT_EQ(raw(r), std::string("-A PREROUTING ") + r);
    EXPECT_EQ(raw("-p tcp -m tcp --dport 21 -j CT --helper ftp"), "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp");
    EXPECT_EQ(raw("-j CT --zone-orig mark"), "-A PREROUTING -j CT --zone-orig mark");
    EXPECT_EQ(raw("-j CT --ctevents mark,new"), "-A PREROUTING -j CT --ctevents new,mark");
    EXPECT_THROW(raw("-j CT --zone 65536"), UsageError);
    EXPECT_THROW(raw("-j CT --zone -1"), UsageError);
    EXPECT_THROW(raw("-j CT --ctevents bogus"), UsageError);
    EXPECT_THROW(raw("-j CT --notrack --zone 1"), UsageError);
    EXPECT_THROW(raw("-p tcp -j CT --timeout t"), UsageError);
    EXPECT_THROW(check_chain_name("NOTRACK"), UsageError);
    ListOptions o;
    o.numeric = true;
    EXPECT_NE(list_rule_row(restore_rule("-A PREROUTING -j CT --notrack", Table::raw), 1, o).find("CT notrack"),
              std::string::npos);
}

TEST(Ext, AttributeBytesAreCanonical) {
    AttrWriter w;
    w.put_u32(2, 7);
    w.put_flag(3);
    w.put_u32(1, 9);
    auto bytes = w.take();
    auto c = canonical_attrs(bytes);
    AttrReader r(c);
    EXPECT_EQ(r.u32(1), 9U);
    EXPECT_EQ(r.u32(2), 7U);
    EXPECT_TRUE(r.has(3));
    AttrWriter sorted;
    sorted.put_u32(1, 9);
    sorted.put_u32(2, 7);
    sorted.put_flag(3);
    EXPECT_EQ(c, sorted.take());
    std::vector<std::uint8_t> bad = {8, 0, 1, 0, 1};  // 8-byte attribute in 5 bytes
    EXPECT_THROW(AttrReader{bad}, Error);
}

// Found by fuzz_reply_decoder: a comment match from the kernel without its
// text attribute (or with an empty one) read the string through a null
// pointer (UBSan: strnlen(nullptr, 0)).  It prints as an empty comment.
TEST(Ext, StringOfAbsentOrEmptyAttributeIsEmpty) {
    AttrReader none(std::span<const std::uint8_t>{});
    EXPECT_EQ(none.string(1), "");
    std::vector<std::uint8_t> empty = {4, 0, 1, 0};  // type 1, no payload
    AttrReader r(empty);
    EXPECT_TRUE(r.has(1));
    EXPECT_EQ(r.string(1), "");
    std::string out;
    find_match_kind("comment")->save({}, out);
    EXPECT_EQ(out, " --comment \"\"");
}

}  // namespace
}  // namespace nfgate
