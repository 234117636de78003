// SPDX-License-Identifier: GPL-2.0
// The stateless header and socket matches (iprange, length, ttl, pkttype,
// mac, owner): iptables' own .t vectors (parse, save, delete by the
// original spelling; FAIL lines refused), the -S and -L texts of
// iptables 1.8.9 for more spellings, its refusals, and the refusal of
// ipset's set match and SET target.
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

// Every line of their .t files: test_corpus.cpp (all files).

// iptables 1.8.9's texts for -A CHAIN RULE: the
// iptables-save line and the end of the -L -n -v row (after the
// destination column); some rules also the -L -v (not numeric) end.
struct Oracle {
    const char* chain;
    const char* rule;
    const char* save;     // after "-A CHAIN"
    const char* listing;  // end of the -n -v row
    const char* named = nullptr;
};

const Oracle oracle[] = {
    {"INPUT", "-m iprange --src-range 192.0.2.1-192.0.2.10", " -m iprange --src-range 192.0.2.1-192.0.2.10",
     "source IP range 192.0.2.1-192.0.2.10"},
    {"INPUT", "-m iprange ! --dst-range 10.0.0.0-10.255.255.255 --src-range 198.51.100.7",
     " -m iprange --src-range 198.51.100.7-198.51.100.7 ! --dst-range 10.0.0.0-10.255.255.255",
     "source IP range 198.51.100.7-198.51.100.7 destination IP range ! 10.0.0.0-10.255.255.255"},
    {"INPUT", "-m iprange --src-range 10-10.1", " -m iprange --src-range 10.0.0.0-10.1.0.0",
     "source IP range 10.0.0.0-10.1.0.0"},
    {"INPUT", "-m iprange --dst-range 192.0.2.9-192.0.2.1", " -m iprange --dst-range 192.0.2.9-192.0.2.1",
     "destination IP range 192.0.2.9-192.0.2.1"},
    {"INPUT", "-m length --length 100:200", " -m length --length 100:200", "length 100:200"},
    {"INPUT", "-m length ! --length 64", " -m length ! --length 64", "length !64"},
    {"INPUT", "-m length --length 0x40:", " -m length --length 64:65535", "length 64:65535"},
    {"INPUT", "-m ttl --ttl-eq 64", " -m ttl --ttl-eq 64", "TTL match TTL == 64"},
    {"INPUT", "-m ttl ! --ttl-eq 64", " -m ttl ! --ttl-eq 64", "TTL match TTL != 64"},
    {"INPUT", "-m ttl --ttl-lt 5", " -m ttl --ttl-lt 5", "TTL match TTL < 5"},
    {"INPUT", "-m ttl --ttl-gt 0x10", " -m ttl --ttl-gt 16", "TTL match TTL > 16"},
    {"INPUT", "-m ttl --ttl 3", " -m ttl --ttl-eq 3", "TTL match TTL == 3"},
    {"INPUT", "-m pkttype --pkt-type BCAST", " -m pkttype --pkt-type broadcast", "PKTTYPE = broadcast"},
    {"INPUT", "-m pkttype ! --pkt-type host", " -m pkttype ! --pkt-type unicast", "PKTTYPE != unicast"},
    {"INPUT", "-m pkttype --pkt-type otherhost", " -m pkttype --pkt-type otherhost", "PKTTYPE = otherhost"},
    {"INPUT", "-m pkttype --pkt-type Mcast", " -m pkttype --pkt-type multicast", "PKTTYPE = multicast"},
    {"INPUT", "-m mac --mac-source 0A:0b:C:d:e:FF", " -m mac --mac-source 0a:0b:0c:0d:0e:ff",
     "MAC 0a:0b:0c:0d:0e:ff"},
    {"FORWARD", "-m mac ! --mac-source 42:01:02:03:04:05", " -m mac ! --mac-source 42:01:02:03:04:05",
     "MAC ! 42:01:02:03:04:05"},
    {"OUTPUT", "-m owner --uid-owner 0", " -m owner --uid-owner 0", "owner UID match 0", "owner UID match root"},
    {"OUTPUT", "-m owner --uid-owner root", " -m owner --uid-owner 0", "owner UID match 0", "owner UID match root"},
    {"OUTPUT", "-m owner ! --uid-owner 1000-2000", " -m owner ! --uid-owner 1000-2000",
     "! owner UID match 1000-2000"},
    {"OUTPUT", "-m owner --uid-owner 4242:4242", " -m owner --uid-owner 4242", "owner UID match 4242"},
    {"OUTPUT", "-m owner --gid-owner 0 --suppl-groups", " -m owner --gid-owner 0 --suppl-groups",
     "owner GID match 0 incl. suppl. groups", "owner GID match root incl. suppl. groups"},
    {"POSTROUTING", "-m owner ! --socket-exists", " -m owner ! --socket-exists", "! owner socket exists"},
    {"OUTPUT", "-m owner --gid-owner 4243 --uid-owner 4241 --socket-exists",
     " -m owner --socket-exists --uid-owner 4241 --gid-owner 4243",
     "owner socket exists owner UID match 4241 owner GID match 4243"},
};

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

TEST(ExtXmatch, SaveAndListAsIptables189) {
    for (const auto& o : oracle) {
        std::string table = std::string(o.chain) == "POSTROUTING" ? "mangle" : "filter";
        auto args = with_chain("-A", o.chain, shell_split(o.rule));
        if (table != "filter") args.insert(args.begin() + 2, {"-t", table});
        RulesetModel m;
        try {
            for (auto& op : plan_command(parse_command(args))) m.apply(op);
        } catch (const Error& e) {
            ADD_FAILURE() << o.rule << ": " << e.what();
            continue;
        }
        auto snap = m.snapshot(*table_from_name(table));
        auto rules = snap.rules_of(o.chain);
        ASSERT_EQ(rules.size(), 1U) << o.rule;
        const RuleSpec& r = rules.front()->rule;
        EXPECT_EQ(format_append(o.chain, r), std::string("-A ") + o.chain + o.save) << o.rule;
        ListOptions lo;
        lo.verbose = lo.numeric = true;
        EXPECT_EQ(row_end(list_rule_row(r, 0, lo)), o.listing) << o.rule;
        lo.numeric = false;
        EXPECT_EQ(row_end(list_rule_row(r, 0, lo)), o.named ? o.named : o.listing) << o.rule;
        // the attributes survive the netlink codec and compare equal
        RuleSpec back = codec_trip(r);
        EXPECT_TRUE(same_rule(r, back)) << o.rule;
        EXPECT_EQ(format_append(o.chain, back), format_append(o.chain, r)) << o.rule;
    }
}

TEST(ExtXmatch, Refusals) {
    const std::pair<const char*, const char*> refused[] = {
        {"-m iprange", "iprange match: You must specify `--src-range' or `--dst-range'"},
        {"-m iprange --src-range 1.2.3.4-nope", "iprange: Bad value for \"--src-range\" option: \"nope\""},
        {"-m iprange --dst-range 256.0.0.1", "iprange: Bad value for \"--dst-range\" option: \"256.0.0.1\""},
        {"-m iprange --dst-range 1.2.3.4-1.2.3.5-1.2.3.6",
         "iprange: Bad value for \"--dst-range\" option: \"1.2.3.5-1.2.3.6\""},
        {"-m iprange --src-range 1.1.1.1 --src-range 1.1.1.2",
         "iprange: option \"--src-range\" can only be used once."},
        {"-m length", "length: option \"--length\" must be specified"},
        {"-m length --length 0:65536",
         "length: bad value for option \"--length\" near \"65536\", or out of range (0-65535)."},
        {"-m length --length -1:65535",
         "length: bad value for option \"--length\" near \"-1:65535\", or out of range (0-65535)."},
        {"-m length --length 4:3", "length: bad value for option \"--length\" near \"3\", or out of range (4-65535)."},
        {"-m length --length 4x", "length: Argument to \"--length\" has unexpected characters near \"x\"."},
        {"-m length --length 1:2:3", "length: Too many components for option \"--length\" (max: 2)"},
        {"-m length --length 1 --length 2", "length: option \"--length\" can only be used once."},
        {"-m ttl", "TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt"},
        {"-m ttl --ttl-eq 256", "ttl: bad value for option \"--ttl-eq\", or out of range (0-255)."},
        {"-m ttl --ttl-eq -1", "ttl: bad value for option \"--ttl-eq\", or out of range (0-255)."},
        {"-m ttl ! --ttl-lt 3", "ttl: option \"--ttl-lt\" cannot be inverted."},
        {"-m ttl ! --ttl 3", "ttl: option \"--ttl\" cannot be inverted."},
        {"-m ttl --ttl-eq 1 --ttl-lt 2", "ttl: option \"--ttl-lt\" cannot be used together with \"--ttl-eq\"."},
        {"-m ttl --ttl-gt 1 --ttl-lt 2", "ttl: option \"--ttl-lt\" cannot be used together with \"--ttl-gt\"."},
        {"-m ttl --ttl 1 --ttl-eq 2", "ttl: option \"--ttl-eq\" can only be used once."},
        {"-m pkttype --pkt-type wrong", "Bad packet type 'wrong'"},
        {"-m pkttype", "pkttype: option \"--pkt-type\" must be specified"},
        {"-m mac --mac-source 42:01:02:03:04", "Invalid MAC address specified."},
        {"-m mac --mac-source 42:01:02:03:04:05:06", "Invalid MAC address specified."},
        {"-m mac --mac-source 042:01:02:03:04:05", "Invalid MAC address specified."},
        {"-m mac", "mac: option \"--mac-source\" must be specified"},
        {"-m owner", "owner: At least one of --uid-owner, --gid-owner or --socket-exists is required"},
        {"-m owner --suppl-groups --gid-owner 3",
         "owner: Bad value for \"--suppl-groups\" option: \"you need to use --gid-owner first\""},
        {"-m owner --gid-owner 3 ! --suppl-groups", "owner: option \"--suppl-groups\" cannot be inverted."},
        {"-m owner --uid-owner nosuchuser-xmatch",
         "owner: Bad value for \"--uid-owner\" option: \"nosuchuser-xmatch\""},
        {"-m owner --uid-owner 4294967295", "owner: Bad value for \"--uid-owner\" option: \"4294967295\""},
        {"-m owner --gid-owner 1-2x", "owner: Bad value for \"--gid-owner\" option: \"1-2x\""},
        {"-m owner --uid-owner 1 --uid-owner 2", "owner: option \"--uid-owner\" can only be used once."},
    };
    for (const auto& [rule, msg] : refused) {
        auto args = with_chain("-A", "OUTPUT", shell_split(rule));
        try {
            parse_command(args);
            ADD_FAILURE() << rule << ": accepted";
        } catch (const UsageError& e) {
            EXPECT_EQ(std::string(e.what()), msg) << rule;
        }
    }
}

// ipset's set match and SET target: refused, naming ipset, at parse
// time, and the drop-in's iptables-style text says so too.
TEST(ExtXmatch, SetNeedsIpset) {
    const std::pair<const char*, const char*> refused[] = {
        {"-m set --match-set blocked src -j DROP", "the set match needs ipset, which is not supported by nfgate"},
        {"-j SET --add-set blocked src", "the SET target needs ipset, which is not supported by nfgate"},
        {"-p tcp -m set ! --match-set x dst", "the set match needs ipset, which is not supported by nfgate"},
    };
    for (const auto& [rule, msg] : refused) {
        try {
            parse_command(with_chain("-A", "INPUT", shell_split(rule)));
            ADD_FAILURE() << rule << ": accepted";
        } catch (const UsageError& e) {
            EXPECT_EQ(std::string(e.what()), msg) << rule;
            EXPECT_NE(e.iptables_text().text.find("ipset"), std::string::npos) << e.iptables_text().text;
            EXPECT_EQ(e.exit_status(), 2);
        }
    }
    // other unsupported kinds keep their words
    try {
        parse_command(with_chain("-A", "INPUT", {"-m", "u32", "--u32", "0"}));
        ADD_FAILURE() << "-m u32 accepted";
    } catch (const UsageError& e) {
        EXPECT_EQ(std::string(e.what()), "match `u32' is not supported by nfgate");
    }
}

}  // namespace
}  // namespace nfgate::test
