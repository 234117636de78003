// SPDX-License-Identifier: GPL-2.0
// The stateful matches (recent): iptables' own .t vectors (parse, save,
// delete by the original spelling, FAIL lines refused), the -L text and
// the refusals of libxt_recent and of xt_recent's checkentry.
#include "corpus_util.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nfgate::test {
namespace {

namespace fs = std::filesystem;

// Every line of libxt_recent.t and libipt_recent.t: test_corpus.cpp.

RuleSpec restore_rule(const std::string& line) {
    ParseContext ctx;
    ctx.restore = true;
    return parse_command(tokenize_restore_line(line), ctx).rules().at(0);
}

std::string save_of(const std::string& line) { return format_append("INPUT", restore_rule(line)); }

std::string fails(const std::string& line) {
    try {
        restore_rule(line);
    } catch (const Error& e) {
        return e.what();
    }
    return "parsed";
}

TEST(Recent, SaveIsIptables) {
    // ufw's limit pair.
    EXPECT_EQ(save_of("-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set"),
              "-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name DEFAULT "
              "--mask 255.255.255.255 --rsource");
    EXPECT_EQ(save_of("-A INPUT -m recent --update --seconds 30 --hitcount 6 --name DEFAULT --mask 255.255.255.255 "
                      "--rsource -j DROP"),
              "-A INPUT -m recent --update --seconds 30 --hitcount 6 --name DEFAULT --mask 255.255.255.255 "
              "--rsource -j DROP");
    EXPECT_EQ(save_of("-A INPUT -m recent ! --rcheck --rttl --reap --seconds 5 --rdest --name x --mask 255.255.0.0"),
              "-A INPUT -m recent ! --rcheck --seconds 5 --reap --rttl --name x --mask 255.255.0.0 --rdest");
    EXPECT_EQ(save_of("-A INPUT -m recent --remove --rdest --rsource"),
              "-A INPUT -m recent --remove --name DEFAULT --mask 255.255.255.255 --rsource");
    // iptables cuts a long name to 199 bytes.
    EXPECT_EQ(save_of("-A INPUT -m recent --set --name " + std::string(250, 'a')),
              "-A INPUT -m recent --set --name " + std::string(199, 'a') + " --mask 255.255.255.255 --rsource");
}

TEST(Recent, ListingIsIptables) {
    ListOptions o;
    o.numeric = true;
    std::string row = list_rule_row(
        restore_rule("-A INPUT -m recent ! --update --seconds 30 --reap --hitcount 6 --rttl --name L --rdest"), 1, o);
    EXPECT_NE(row.find("0.0.0.0/0            ! recent: UPDATE seconds: 30 reap hit_count: 6 TTL-Match name: L "
                       "side: dest mask: 255.255.255.255"),
              std::string::npos)
        << row;
    row = list_rule_row(restore_rule("-A INPUT -m recent --set"), 1, o);
    EXPECT_NE(row.find("0.0.0.0/0            recent: SET name: DEFAULT side: source mask: 255.255.255.255"),
              std::string::npos)
        << row;
}

TEST(Recent, RefusalsAreIptables) {
    EXPECT_EQ(fails("-A INPUT -m recent --name x"),
              "recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
    EXPECT_EQ(fails("-A INPUT -m recent --set --rcheck"),
              "recent: option \"--set\" cannot be used together with \"--rcheck\".");
    EXPECT_EQ(fails("-A INPUT -m recent --set --rttl"),
              "recent: option \"--rttl\" cannot be used together with \"--set\".");
    EXPECT_EQ(fails("-A INPUT -m recent --rcheck --reap"), "recent: option \"--reap\" also requires \"--seconds\".");
    EXPECT_EQ(fails("-A INPUT -m recent --set --set"), "recent: option \"--set\" can only be used once.");
    EXPECT_EQ(fails("-A INPUT -m recent --set ! --rsource"), "recent: option \"--rsource\" cannot be inverted.");
    EXPECT_EQ(fails("-A INPUT -m recent --rcheck --seconds 0"),
              "recent: bad value for option \"--seconds\", or out of range (1-4294967295).");
    EXPECT_EQ(fails("-A INPUT -m recent --rcheck --hitcount x"),
              "recent: bad value for option \"--hitcount\", or out of range (0-4294967295).");
    EXPECT_EQ(fails("-A INPUT -m recent --rcheck --mask 300.1.1.1"), "host/network `300.1.1.1' not found");
    // xt_recent's checkentry (EINVAL), iptables' words for it.
    for (const char* r : {"-A INPUT -m recent --set --seconds 3", "-A INPUT -m recent --remove --hitcount 2",
                          "-A INPUT -m recent --rcheck --hitcount 256", "-A INPUT -m recent --set --name a/b",
                          "-A INPUT -m recent --set --name ..", "-A INPUT -m recent --set --name \"\""}) {
        try {
            restore_rule(r);
            ADD_FAILURE() << r << " parsed";
        } catch (const Error& e) {
            EXPECT_EQ(e.exit_status(), 1) << r;
            EXPECT_EQ(e.iptables_text().text, "Invalid argument. Run `dmesg' for more information") << r;
        }
    }
    EXPECT_EQ(fails("-A INPUT -m recent --rcheck --hitcount 255"), "parsed");
}

TEST(Connlimit, SaveListingAndRefusals) {
    // home-router-handwritten.rules:111, as iptables-save prints it
    EXPECT_EQ(save_of("-A INPUT -m connlimit --connlimit-above 6298 --connlimit-mask 32 --connlimit-saddr -m recent "
                      "--set --name limited --rsource -j DROP"),
              "-A INPUT -m connlimit --connlimit-above 6298 --connlimit-mask 32 --connlimit-saddr -m recent --set "
              "--name limited --mask 255.255.255.255 --rsource -j DROP");
    EXPECT_EQ(save_of("-A INPUT -p tcp --syn --dport 22 -m connlimit --connlimit-above 3 -j REJECT"),
              "-A INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -m connlimit --connlimit-above 3 "
              "--connlimit-mask 32 --connlimit-saddr -j REJECT --reject-with icmp-port-unreachable");
    // '!' turns upto into above and back
    EXPECT_EQ(save_of("-A INPUT -m connlimit ! --connlimit-upto 4 --connlimit-daddr --connlimit-mask 24"),
              "-A INPUT -m connlimit --connlimit-above 4 --connlimit-mask 24 --connlimit-daddr");
    EXPECT_EQ(save_of("-A INPUT -m connlimit ! --connlimit-above 4 --connlimit-mask 0"),
              "-A INPUT -m connlimit --connlimit-upto 4 --connlimit-mask 0 --connlimit-saddr");
    ListOptions o;
    o.numeric = true;
    std::string row = list_rule_row(restore_rule("-A INPUT -m connlimit --connlimit-upto 2 --connlimit-mask 16 "
                                                 "--connlimit-daddr"),
                                    1, o);
    EXPECT_NE(row.find("0.0.0.0/0            #conn dst/16 <= 2"), std::string::npos) << row;
    row = list_rule_row(restore_rule("-A INPUT -m connlimit --connlimit-above 3"), 1, o);
    EXPECT_NE(row.find("0.0.0.0/0            #conn src/32 > 3"), std::string::npos) << row;

    EXPECT_EQ(fails("-A INPUT -m connlimit --connlimit-mask 24"),
              "You must specify \"--connlimit-above\" or \"--connlimit-upto\".");
    EXPECT_EQ(fails("-A INPUT -m connlimit --connlimit-upto 1 --connlimit-above 2"),
              "connlimit: option \"--connlimit-upto\" cannot be used together with \"--connlimit-above\".");
    EXPECT_EQ(fails("-A INPUT -m connlimit --connlimit-above 1 --connlimit-saddr --connlimit-daddr"),
              "connlimit: option \"--connlimit-saddr\" cannot be used together with \"--connlimit-daddr\".");
    EXPECT_EQ(fails("-A INPUT -m connlimit --connlimit-above 1 --connlimit-mask 33"),
              "connlimit: bad value for option \"--connlimit-mask\", or out of range (0-32).");
    EXPECT_EQ(fails("-A INPUT -m connlimit --connlimit-above -1"),
              "connlimit: bad value for option \"--connlimit-above\", or out of range (0-4294967295).");
    EXPECT_EQ(fails("-A INPUT -m connlimit --connlimit-above 1 ! --connlimit-saddr"),
              "connlimit: option \"--connlimit-saddr\" cannot be inverted.");
}

TEST(Nfacct, SaveListingAndRefusals) {
    // kube-proxy-overall.rules:20; iptables 1.8.9 saves two spaces
    EXPECT_EQ(save_of("-A INPUT -m conntrack --ctstate INVALID -m nfacct --nfacct-name "
                      "ct_state_invalid_dropped_pkts -j DROP"),
              "-A INPUT -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP");
    EXPECT_EQ(save_of("-A INPUT -m nfacct --nfacct-name \"a b\""), "-A INPUT -m nfacct --nfacct-name  \"a b\"");
    EXPECT_EQ(save_of("-A INPUT -m nfacct --nfacct-name " + std::string(40, 'n')),
              "-A INPUT -m nfacct --nfacct-name  " + std::string(31, 'n'));
    ListOptions o;
    o.numeric = true;
    std::string row = list_rule_row(restore_rule("-A INPUT -m nfacct --nfacct-name x"), 1, o);
    EXPECT_NE(row.find("0.0.0.0/0            nfacct-name  x"), std::string::npos) << row;
    EXPECT_EQ(fails("-A INPUT -m nfacct"), "nfacct: option \"--nfacct-name\" must be specified");
    EXPECT_EQ(fails("-A INPUT -m nfacct ! --nfacct-name x"), "nfacct: option \"--nfacct-name\" cannot be inverted.");
    EXPECT_EQ(fails("-A INPUT -m nfacct --nfacct-name x --nfacct-name y"),
              "nfacct: option \"--nfacct-name\" can only be used once.");
}

}  // namespace
}  // namespace nfgate::test
