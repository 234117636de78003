// SPDX-License-Identifier: GPL-2.0
// DNAT, SNAT, MASQUERADE, REDIRECT: parse -> save and -L text, against
// what iptables-legacy 1.8.9 prints for the same commands, its error
// messages, and the canonical attribute bytes.
#include "nfgate/error.hpp"
#include "nfgate/ext.hpp"
#include "nfgate/format.hpp"
#include "nfgate/listing.hpp"
#include "nfgate/parse.hpp"

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

RuleSpec rule_of(const std::string& cmd) { return parse_command(words("-t nat " + cmd)).rules().at(0); }

std::string save(const std::string& chain, const std::string& rest) {
    return format_append(chain, rule_of("-A " + chain + " " + rest));
}

// The text after the destination column of `iptables -t nat -L -n -v`.
std::string listed(const std::string& chain, const std::string& rest) {
    ListOptions o;
    o.verbose = o.numeric = true;
    std::string row = list_rule_row(rule_of("-A " + chain + " " + rest), 0, o);
    while (!row.empty() && (row.back() == '\n' || row.back() == ' ')) row.pop_back();
    // The destination column is "%-19s " wide.
    auto pos = row.rfind("0.0.0.0/0");
    return pos == std::string::npos || row.size() <= pos + 20 ? "" : row.substr(pos + 20);
}

std::string error_of(const std::string& cmd) {
    try {
        rule_of(cmd);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

// Every line here is `iptables-legacy -t nat -S` of the command after -A.
TEST(ExtNat, SaveLikeIptables) {
    const char* cases[] = {
        "PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2:8080",
        "PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2-198.51.100.5:8080-8090",
        "PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2:8080-8090/100 --random --persistent",
        "PREROUTING -p icmp -j DNAT --to-destination 1.2.3.4:5",
        "PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:0",
        "PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 --random",
        "PREROUTING -p tcp -j REDIRECT --to-ports 8080 --random",
        "PREROUTING -p tcp -j REDIRECT --to-ports 8080-8081",
        "PREROUTING -p tcp -j REDIRECT --random",
        "PREROUTING -p tcp -j REDIRECT",
        "POSTROUTING -p udp -j SNAT --to-source 203.0.113.1:1000-2000 --random --random-fully --persistent",
        "POSTROUTING -j SNAT --to-source 203.0.113.1-203.0.113.3",
        "POSTROUTING -p tcp -j SNAT --to-source :0",
        "POSTROUTING -j MASQUERADE",
        "POSTROUTING -p tcp -j MASQUERADE --to-ports 1024-2048 --random --random-fully",
        "POSTROUTING -p tcp -j MASQUERADE --to-ports 0",
    };
    for (const char* c : cases) {
        std::string s(c);
        auto sp = s.find(' ');
        EXPECT_EQ(save(s.substr(0, sp), s.substr(sp + 1)), "-A " + s) << c;
    }
}

TEST(ExtNat, SaveNormalizes) {
    EXPECT_EQ(save("PREROUTING", "-p tcp -j DNAT --to-destination :http"),
              "-A PREROUTING -p tcp -j DNAT --to-destination :80");
    EXPECT_EQ(save("PREROUTING", "-p tcp -j DNAT --random --to-destination 1.2.3.4"),
              "-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 --random");
    EXPECT_EQ(save("PREROUTING", "-p tcp -j DNAT --to-destination 1.2.3.9-1.2.3.4"),
              "-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.9-1.2.3.4");
    EXPECT_EQ(save("PREROUTING", "-p tcp -j DNAT --to-destination 1.2.3.4-1.2.3.4:0x50"),
              "-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:80");
    EXPECT_EQ(save("PREROUTING", "-p tcp -j REDIRECT --to-ports http"),
              "-A PREROUTING -p tcp -j REDIRECT --to-ports 80");
    EXPECT_EQ(save("POSTROUTING", "-p tcp -j MASQUERADE --to-ports http"),
              "-A POSTROUTING -p tcp -j MASQUERADE --to-ports 80");
    EXPECT_EQ(save("POSTROUTING", "-p tcp -j SNAT --to-source 1.2.3.4:http"),
              "-A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:80");
    // iptables' "[] colon" quirk: two characters before the colon are no address.
    EXPECT_EQ(save("PREROUTING", "-p tcp -j DNAT --to-destination ab:80"),
              "-A PREROUTING -p tcp -j DNAT --to-destination :80");
}

// `iptables-legacy -t nat -L -n -v`, after the destination column.
TEST(ExtNat, ListLikeIptables) {
    EXPECT_EQ(listed("PREROUTING", "-p tcp -j DNAT --to-destination 198.51.100.2:8080"),
              " to:198.51.100.2:8080");
    EXPECT_EQ(listed("PREROUTING", "-p tcp -j DNAT --to-destination 198.51.100.2:8080-8090/100 --random --persistent"),
              " to:198.51.100.2:8080-8090/100 random persistent");
    EXPECT_EQ(listed("PREROUTING", "-p tcp -j DNAT --to-destination :80"), " to::80");
    EXPECT_EQ(listed("PREROUTING", "-p tcp -j REDIRECT --to-ports 8080 --random"), " redir ports 8080 random");
    EXPECT_EQ(listed("PREROUTING", "-p tcp -j REDIRECT --random"), " random");
    EXPECT_EQ(listed("PREROUTING", "-p tcp -j REDIRECT"), "");
    EXPECT_EQ(listed("POSTROUTING", "-p udp -j SNAT --to-source 203.0.113.1:1000-2000 --random --random-fully --persistent"),
              " to:203.0.113.1:1000-2000 random random-fully persistent");
    EXPECT_EQ(listed("POSTROUTING", "-p tcp -j SNAT --to-source :0"), " to::0");
    EXPECT_EQ(listed("POSTROUTING", "-p tcp -j MASQUERADE --to-ports 1024-2048 --random --random-fully"),
              " masq ports: 1024-2048 random random-fully");
    EXPECT_EQ(listed("POSTROUTING", "-j MASQUERADE"), "");
}

// iptables-legacy 1.8.9's messages (without its "iptables v1.8.9 (legacy): ").
TEST(ExtNat, ErrorsLikeIptables) {
    EXPECT_EQ(error_of("-A PREROUTING -j DNAT --to-destination 1.2.3.4:5"),
              "Need TCP, UDP, SCTP or DCCP with port specification");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:9-8"), "Port range `8' funky");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:9:8"),
              "Bad IP address \"1.2.3.4:9:8\"");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:x"), "Port `x' not valid");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:8x"), "Garbage after port value: `x'");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:8-9x"),
              "Garbage after port range: `x'");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4:8-9/"), "Port `' not valid");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.x"), "Bad IP address \"1.2.3.x\"");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4-1.2.3.x"),
              "Bad IP address \"1.2.3.x\"");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 --to-destination 1.2.3.5"),
              "DNAT: option \"--to-destination\" can only be used once.");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT"), "DNAT: option \"--to-destination\" must be specified");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 --random --random"),
              "DNAT: option \"--random\" can only be used once.");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 ! --persistent"),
              "DNAT: option \"--persistent\" cannot be inverted.");
    // xtables_option_parse() checks "once" before "!".
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j DNAT --to-destination 1.2.3.4 ! --to-destination 1.2.3.5"),
              "DNAT: option \"--to-destination\" can only be used once.");
    EXPECT_EQ(error_of("-A POSTROUTING -p tcp -j MASQUERADE --random ! --random"),
              "MASQUERADE: option \"--random\" can only be used once.");
    EXPECT_EQ(error_of("-A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4 --to-source 1.2.3.5"),
              "SNAT: option \"--to-source\" can only be used once.");
    EXPECT_EQ(error_of("-A POSTROUTING -j SNAT --to-source 1.2.3.4:80"),
              "Need TCP, UDP, SCTP or DCCP with port specification");
    EXPECT_EQ(error_of("-A POSTROUTING -j SNAT"), "SNAT: option \"--to-source\" must be specified");
    EXPECT_EQ(error_of("-A POSTROUTING -p tcp -j MASQUERADE --to-ports 9-8"), "Port range `8' funky");
    EXPECT_EQ(error_of("-A POSTROUTING -j MASQUERADE --to-ports 80"),
              "Need TCP, UDP, SCTP or DCCP with port specification");
    EXPECT_EQ(error_of("-A PREROUTING -j REDIRECT --to-ports 80"),
              "Need TCP, UDP, SCTP or DCCP with port specification");
    EXPECT_EQ(error_of("-A PREROUTING -p tcp -j REDIRECT --to-ports 1:2:3"), "Invalid port:port syntax - use dash");
    // nfgate's own: shifted ranges only where the kernel keeps a base port.
    EXPECT_EQ(error_of("-A POSTROUTING -p tcp -j SNAT --to-source 1.2.3.4:8-9/10"),
              "SNAT: shifted port ranges (/PORT) are supported by DNAT only");
}

// The bytes the kernel's dump emits: FLAGS always, the rest by flag, in
// ascending attribute order.
TEST(ExtNat, CanonicalBytes) {
    for (const char* c : {"-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2-198.51.100.5:8080-8090/7",
                          "-A POSTROUTING -j MASQUERADE", "-A PREROUTING -p udp -j REDIRECT --to-ports 53",
                          "-A POSTROUTING -j SNAT --to-source 203.0.113.1"}) {
        RuleSpec r = rule_of(c);
        ASSERT_EQ(r.target.verdict, Verdict::ext) << c;
        const auto& data = r.target.ext.data;
        EXPECT_EQ(canonical_attrs(data), data) << c;
    }
    RuleSpec m = rule_of("-A POSTROUTING -j MASQUERADE");
    EXPECT_EQ(m.target.ext.data.size(), 8U);  // FLAGS only
    RuleSpec d = rule_of("-A PREROUTING -p tcp -j DNAT --to-destination 198.51.100.2:80");
    EXPECT_EQ(d.target.ext.data.size(), 8U + 2 * 8 + 2 * 8);  // FLAGS, 2 addresses, 2 ports
}

}  // namespace
}  // namespace nfgate
