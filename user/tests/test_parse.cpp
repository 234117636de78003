// SPDX-License-Identifier: GPL-2.0
// Parser tests: iptables v1.8 argv grammar (getopt_long rules, '!', implicit
// tcp/udp loading, command/option checks) and the value parsers.
#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/parse.hpp"

#include <netdb.h>

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

Command parse(const std::string& s) { return parse_command(words(s)); }

std::string saved(const std::string& s) {
    Command c = parse(s);
    auto rules = c.rules();
    EXPECT_EQ(rules.size(), 1U);
    return format_append(c.chain, rules.at(0));
}

std::string usage_error(const std::string& s) {
    try {
        parse(s);
    } catch (const UsageError& e) {
        EXPECT_EQ(e.exit_status(), 2);
        return e.what();
    } catch (const Error& e) {
        return std::string("not a usage error: ") + e.what();
    }
    return "accepted";
}

TEST(Parse, CanonicalOrder) {
    EXPECT_EQ(saved("-A INPUT -p tcp --dport 22 --sport 1000:2000 -i eth+ ! -d 198.51.100.7 "
                    "-s 192.0.2.0/24 -j ACCEPT"),
              "-A INPUT -s 192.0.2.0/24 ! -d 198.51.100.7/32 -i eth+ -p tcp -m tcp "
              "--sport 1000:2000 --dport 22 -j ACCEPT");
}

TEST(Parse, InversionPlacement) {
    EXPECT_EQ(saved("-A FORWARD ! -s 192.0.2.1 ! -i eth0 ! -o eth+ ! -p udp -j DROP"),
              "-A FORWARD ! -s 192.0.2.1/32 ! -i eth0 ! -o eth+ ! -p udp -j DROP");
    EXPECT_EQ(saved("-A INPUT -p tcp ! --dport 22 ! --sport 1:2"),
              "-A INPUT -p tcp -m tcp ! --sport 1:2 ! --dport 22");
}

TEST(Parse, PortRanges) {
    EXPECT_EQ(saved("-A INPUT -p udp --dport :53"), "-A INPUT -p udp -m udp --dport 0:53");
    EXPECT_EQ(saved("-A INPUT -p udp --dport 1024:"), "-A INPUT -p udp -m udp --dport 1024:65535");
    EXPECT_EQ(saved("-A INPUT -p tcp --dport 7:7"), "-A INPUT -p tcp -m tcp --dport 7");
    EXPECT_EQ(saved("-A INPUT -p tcp --dport ssh"), "-A INPUT -p tcp -m tcp --dport 22");
    EXPECT_EQ(saved("-A INPUT -p tcp --dport 0x16"), "-A INPUT -p tcp -m tcp --dport 22");
    EXPECT_EQ(saved("-A INPUT -p tcp --destination-port 80 --source-port 8080"),
              "-A INPUT -p tcp -m tcp --sport 8080 --dport 80");
    EXPECT_EQ(saved("-A INPUT -p tcp -m tcp --sport :"), "-A INPUT -p tcp -m tcp");
    EXPECT_EQ(saved("-A INPUT -p tcp -m tcp"), "-A INPUT -p tcp -m tcp");
    EXPECT_EQ(usage_error("-A INPUT -p tcp --dport 10:5"), "invalid portrange (min > max)");
    EXPECT_EQ(usage_error("-A INPUT -p tcp --dport 65536"), "invalid port/service `65536' specified");
    EXPECT_EQ(usage_error("-A INPUT -p tcp --dport 1 --dport 2"), "Only one `--destination-port' allowed");
}

TEST(Parse, PortOptionsNeedTheMatch) {
    EXPECT_EQ(usage_error("-A INPUT --dport 22"), "unknown option \"--dport\"");
    EXPECT_EQ(usage_error("-A INPUT -p icmp --dport 22"), "unknown option \"--dport\"");
    EXPECT_EQ(usage_error("-A INPUT -p all --sport 22"), "unknown option \"--sport\"");
    EXPECT_EQ(usage_error("-A INPUT ! --dport 22 -p tcp"), "unknown option \"--dport\"");
    EXPECT_EQ(saved("-A INPUT -p 6 --dport 22"), "-A INPUT -p tcp -m tcp --dport 22");
    EXPECT_EQ(saved("-A INPUT -m udp --dport 1 -p 17"), "-A INPUT -p udp -m udp --dport 1");
    EXPECT_NE(usage_error("-A INPUT -p udp -m tcp --dport 1").find("tcp match"), std::string::npos);
    EXPECT_NE(usage_error("-A INPUT ! -p tcp -m tcp --dport 1").find("tcp match"), std::string::npos);
    EXPECT_NE(usage_error("-A INPUT -p tcp -m tcp -m tcp").find("one tcp or udp"), std::string::npos);
    EXPECT_EQ(usage_error("-A INPUT -p sctp --chunk-types all INIT"),
              "match `sctp' (--chunk-types) is not supported by nfgate");
    EXPECT_NE(usage_error("-A INPUT -m u32 --u32 0x0").find("not supported"), std::string::npos);
}

TEST(Parse, GetoptForms) {
    EXPECT_EQ(saved("-A FORWARD --protocol=tcp --source=1.2.3.4 --destination=5.6.7.8/32 "
                    "--in-interface=eth0 --out-interface=eth1 --jump=ACCEPT"),
              "-A FORWARD -s 1.2.3.4/32 -d 5.6.7.8/32 -i eth0 -o eth1 -p tcp -j ACCEPT");
    EXPECT_EQ(saved("-AFORWARD -ptcp -s1.2.3.4 -d5.6.7.8/32 -ieth0 -oeth1 -jACCEPT"),
              "-A FORWARD -s 1.2.3.4/32 -d 5.6.7.8/32 -i eth0 -o eth1 -p tcp -j ACCEPT");
    EXPECT_EQ(saved("--append INPUT --src 192.0.2.1 --dst 192.0.2.2 --proto udp --dp 53"),
              "-A INPUT -s 192.0.2.1/32 -d 192.0.2.2/32 -p udp -m udp --dport 53");
    // "--dest" is ambiguous once tcp's --destination-port exists.
    EXPECT_EQ(usage_error("-A INPUT -p tcp --dport 22 --dest 192.0.2.1"), "unknown option \"--dest\"");
    EXPECT_EQ(saved("-A INPUT --dest 192.0.2.1"), "-A INPUT -d 192.0.2.1/32");
    Command c = parse("-nvxL INPUT");
    EXPECT_EQ(c.command, CMD_LIST);
    EXPECT_EQ(c.chain, "INPUT");
    EXPECT_TRUE(c.numeric && c.exact && c.verbose == 1);
    c = parse("-L --line-numbers -n");
    EXPECT_TRUE(c.line_numbers);
    EXPECT_TRUE(c.chain.empty());
    EXPECT_EQ(usage_error("-A"), "option \"-A\" requires an argument");
    EXPECT_EQ(usage_error("-A INPUT -p"), "option \"-p\" requires an argument");
    EXPECT_EQ(usage_error("-A INPUT --bogus"), "unknown option \"--bogus\"");
    EXPECT_EQ(usage_error("-A INPUT -q"), "unknown option \"-q\"");
    EXPECT_EQ(usage_error("-A INPUT foo"), "Bad argument `foo'");
    EXPECT_EQ(usage_error("-A INPUT -j ACCEPT --"), "accepted");
    EXPECT_EQ(usage_error("-A INPUT -- -j ACCEPT"), "unknown arguments found on commandline");
}

TEST(Parse, Bang) {
    EXPECT_EQ(usage_error("-A INPUT ! ! -s 1.2.3.4"), "multiple consecutive ! not allowed");
    EXPECT_EQ(usage_error("-A INPUT -s 1.2.3.4 !"), "nothing appropriate following !");
    EXPECT_EQ(usage_error("! -A INPUT"), "unexpected '!' flag");
    EXPECT_EQ(usage_error("-A INPUT ! -j DROP"), "cannot have ! before --jump");
    EXPECT_EQ(usage_error("-A INPUT ! -m tcp"), "unexpected ! flag before --match");
    EXPECT_EQ(usage_error("-A INPUT ! -p all"), "rule would never match protocol");
    EXPECT_EQ(usage_error("-A INPUT ! -p 0"), "rule would never match protocol");
}

TEST(Parse, Addresses) {
    EXPECT_EQ(saved("-A INPUT -s 10"), "-A INPUT -s 10.0.0.0/32");
    EXPECT_EQ(saved("-A INPUT -s 10.1/16"), "-A INPUT -s 10.1.0.0/16");
    EXPECT_EQ(saved("-A INPUT -s 192.0.2.77/0"), "-A INPUT");
    EXPECT_EQ(saved("-A INPUT ! -s 0.0.0.0/0"), "-A INPUT ! -s 0.0.0.0/0");
    EXPECT_EQ(saved("-A INPUT -d 198.51.100.9/255.255.0.255"), "-A INPUT -d 198.51.0.9/255.255.0.255");
    EXPECT_EQ(saved("-A INPUT -d 203.0.113.9/255.255.255.0"), "-A INPUT -d 203.0.113.0/24");
    EXPECT_EQ(usage_error("-A INPUT -s 1.2.3.4/33"), "invalid mask `33' specified");
    EXPECT_EQ(usage_error("-A INPUT -s 1.2.3.256"), "host/network `1.2.3.256' not found");
    EXPECT_EQ(usage_error("-A INPUT -s 1.2.3.4.5"), "host/network `1.2.3.4.5' not found");
    Command c = parse("-A INPUT -s 192.0.2.1,192.0.2.2 -d 198.51.100.0/24,203.0.113.1 -j DROP");
    auto rules = c.rules();
    ASSERT_EQ(rules.size(), 4U);
    EXPECT_EQ(format_append("INPUT", rules[1]), "-A INPUT -s 192.0.2.1/32 -d 203.0.113.1/32 -j DROP");
    EXPECT_EQ(usage_error("-A INPUT ! -s 192.0.2.1,192.0.2.2"),
              "! not allowed with multiple source or destination IP addresses");
}

TEST(Parse, RawTable) {
    EXPECT_EQ(table_name(Table::raw), "raw");
    EXPECT_EQ(table_from_name("raw"), Table::raw);
    ASSERT_EQ(builtin_chains(Table::raw).size(), 2U);
    EXPECT_EQ(builtin_chains(Table::raw)[0], "PREROUTING");
    EXPECT_EQ(builtin_chains(Table::raw)[1], "OUTPUT");
    EXPECT_FALSE(is_builtin_chain(Table::raw, "INPUT"));
    Command c = parse("-t raw -A PREROUTING -s 192.0.2.0/24 -p udp --dport 53 -j RAWCHAIN");
    EXPECT_EQ(c.table, Table::raw);
    EXPECT_EQ(format_append(c.chain, c.rules().at(0)),
              "-A PREROUTING -s 192.0.2.0/24 -p udp -m udp --dport 53 -j RAWCHAIN");
    // What nfgate cannot do in raw is refused, never dropped.
    EXPECT_EQ(usage_error("-t raw -A PREROUTING -p tcp -j CT --timeout t"),
              "CT option --timeout is not supported by nfgate");
}

TEST(Parse, NatTable) {
    EXPECT_EQ(table_name(Table::nat), "nat");
    EXPECT_EQ(table_from_name("nat"), Table::nat);
    // iptables-save's order: the hooks', PREROUTING INPUT OUTPUT POSTROUTING.
    ASSERT_EQ(builtin_chains(Table::nat).size(), 4U);
    EXPECT_EQ(builtin_chains(Table::nat)[0], "PREROUTING");
    EXPECT_EQ(builtin_chains(Table::nat)[1], "INPUT");
    EXPECT_EQ(builtin_chains(Table::nat)[2], "OUTPUT");
    EXPECT_EQ(builtin_chains(Table::nat)[3], "POSTROUTING");
    EXPECT_FALSE(is_builtin_chain(Table::nat, "FORWARD"));
    Command c = parse("-t nat -A POSTROUTING -s 192.0.2.0/24 -o eth1 -p udp --dport 53 -j SVC");
    EXPECT_EQ(c.table, Table::nat);
    EXPECT_EQ(format_append(c.chain, c.rules().at(0)),
              "-A POSTROUTING -s 192.0.2.0/24 -o eth1 -p udp -m udp --dport 53 -j SVC");
    // Count-only, ACCEPT, DROP, RETURN, jumps: what the nat table takes now.
    EXPECT_EQ(saved("-t nat -A PREROUTING -d 198.51.100.7 -p tcp --dport 80"),
              "-A PREROUTING -d 198.51.100.7/32 -p tcp -m tcp --dport 80");
    EXPECT_EQ(saved("-t nat -A OUTPUT -d 203.0.113.0/24 -j ACCEPT"), "-A OUTPUT -d 203.0.113.0/24 -j ACCEPT");
    c = parse("-t nat -P PREROUTING ACCEPT");
    EXPECT_EQ(c.table, Table::nat);
    EXPECT_EQ(c.policy, Verdict::accept);
    // iptables' parser refuses DROP in nat, as a policy and as a target
    // (a restore file's ":CHAIN DROP" line still sets one: Restore tests).
    const std::string no_drop = "The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.";
    EXPECT_EQ(usage_error("-t nat -P PREROUTING DROP"), no_drop);
    EXPECT_EQ(usage_error("-t nat -A POSTROUTING -o eth0 -j DROP"), no_drop);
    EXPECT_EQ(usage_error("-t nat -D INPUT -j DROP"), no_drop);
    EXPECT_EQ(usage_error("-t nat -I SVC 1 -j DROP"), no_drop);
    EXPECT_EQ(saved("-t nat -A SVC -j ACCEPT"), "-A SVC -j ACCEPT");
    EXPECT_EQ(saved("-t mangle -A PREROUTING -j DROP"), "-A PREROUTING -j DROP");
    // The nat targets (test_ext_nat.cpp has their syntax).
    EXPECT_EQ(saved("-t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 198.51.100.2"),
              "-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 198.51.100.2");
    EXPECT_EQ(saved("-t nat -A POSTROUTING -o eth0 -j MASQUERADE"), "-A POSTROUTING -o eth0 -j MASQUERADE");
    EXPECT_EQ(usage_error("-t nat -A POSTROUTING -j NETMAP --to 198.51.100.0/24"),
              "target `NETMAP' is not supported by nfgate");
    try {
        parse("-t security -L");
        ADD_FAILURE() << "-t security accepted";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "can't initialize table `security': table does not exist (nfgate has filter, mangle, raw and nat)");
    }
}

TEST(Parse, Interfaces) {
    EXPECT_EQ(saved("-A FORWARD -i + -o +"), "-A FORWARD");
    EXPECT_EQ(saved("-A FORWARD ! -i +"), "-A FORWARD ! -i +");
    EXPECT_EQ(usage_error("-A INPUT -i \"\"").substr(0, 9), "accepted");
    EXPECT_EQ(usage_error("-A OUTPUT -i eth0"), "Can't use --in-interface with OUTPUT");
    EXPECT_EQ(usage_error("-t mangle -A POSTROUTING -i eth0"), "Can't use --in-interface with POSTROUTING");
    EXPECT_EQ(usage_error("-A INPUT -o eth0"), "Can't use --out-interface with INPUT");
    EXPECT_EQ(usage_error("-t mangle -A PREROUTING -o eth0"), "Can't use --out-interface with PREROUTING");
    EXPECT_EQ(usage_error("-t raw -A PREROUTING -o x"), "Can't use --out-interface with PREROUTING");
    EXPECT_EQ(usage_error("-t raw -A OUTPUT -i eth0"), "Can't use --in-interface with OUTPUT");
    EXPECT_EQ(saved("-t raw -A PREROUTING -i eth0 -j DROP"), "-A PREROUTING -i eth0 -j DROP");
    EXPECT_EQ(saved("-t raw -A OUTPUT -o eth0"), "-A OUTPUT -o eth0");
    // nat: by chain name as iptables, so PREROUTING/INPUT take no -o and
    // OUTPUT/POSTROUTING no -i.
    EXPECT_EQ(usage_error("-t nat -A PREROUTING -o eth0"), "Can't use --out-interface with PREROUTING");
    EXPECT_EQ(usage_error("-t nat -A INPUT -o eth0"), "Can't use --out-interface with INPUT");
    EXPECT_EQ(usage_error("-t nat -A OUTPUT -i eth0"), "Can't use --in-interface with OUTPUT");
    EXPECT_EQ(usage_error("-t nat -A POSTROUTING -i eth0"), "Can't use --in-interface with POSTROUTING");
    EXPECT_EQ(saved("-t nat -A PREROUTING -i eth0 -j ACCEPT"), "-A PREROUTING -i eth0 -j ACCEPT");
    EXPECT_EQ(saved("-t nat -A POSTROUTING -o eth1"), "-A POSTROUTING -o eth1");
    EXPECT_EQ(saved("-A OUTPUT -o eth0"), "-A OUTPUT -o eth0");
    EXPECT_EQ(saved("-A MYCHAIN -i eth0 -o eth1"), "-A MYCHAIN -i eth0 -o eth1");
    EXPECT_EQ(usage_error("-A INPUT -i abcdefghijklmnop"),
              "interface name `abcdefghijklmnop' must be shorter than 16 characters");
    EXPECT_EQ(usage_error("-A INPUT -i eth0 -i eth1"), "multiple --in-interface options not allowed");
    std::vector<std::string> empty_iface = {"-A", "INPUT", "-i", ""};
    EXPECT_THROW(parse_command(empty_iface), UsageError);
}

TEST(Parse, Targets) {
    EXPECT_EQ(saved("-A INPUT -j MYCHAIN"), "-A INPUT -j MYCHAIN");
    EXPECT_EQ(saved("-A INPUT -g MYCHAIN"), "-A INPUT -g MYCHAIN");
    EXPECT_EQ(saved("-A INPUT -p icmp -j CONTINUE"), "-A INPUT -p icmp");
    EXPECT_EQ(saved("-A INPUT -j RETURN"), "-A INPUT -j RETURN");
    EXPECT_EQ(usage_error("-A INPUT -j ULOG"), "target `ULOG' is not supported by nfgate");
    EXPECT_EQ(usage_error("-A INPUT -g ACCEPT"), "goto 'ACCEPT' is not a chain");
    EXPECT_EQ(usage_error("-A INPUT -j ACCEPT -j DROP"), "multiple --jump options not allowed");
    EXPECT_EQ(usage_error("-A INPUT -j ACCEPT -g X"), "multiple --jump options not allowed");
    EXPECT_EQ(usage_error("-A INPUT -j abcdefghijklmnopqrstuvwxyz0123"),
              "Invalid target name `abcdefghijklmnopqrstuvwxyz0123' (28 chars max)");
}

TEST(Parse, Protocols) {
    EXPECT_EQ(saved("-A INPUT -p TCP"), "-A INPUT -p tcp");
    EXPECT_EQ(saved("-A INPUT -p 1"), "-A INPUT -p icmp");
    // Outside iptables' short list, /etc/protocols' name as 1.8.9 saves it
    // (netbase provides the file; without it, the number).
    const protoent* gre = getprotobynumber(47);
    EXPECT_EQ(saved("-A INPUT -p gre"), std::string("-A INPUT -p ") + (gre ? gre->p_name : "47"));
    EXPECT_EQ(saved("-A INPUT -p 47"), saved("-A INPUT -p gre"));
    EXPECT_EQ(saved("-A INPUT -p sctp"), "-A INPUT -p sctp");
    EXPECT_EQ(saved("-A INPUT -p all"), "-A INPUT");
    EXPECT_EQ(saved("-A INPUT -p 0"), "-A INPUT");
    EXPECT_EQ(usage_error("-A INPUT -p nosuchproto"), "unknown protocol \"nosuchproto\" specified");
    EXPECT_EQ(usage_error("-A INPUT -p 256"), "unknown protocol \"256\" specified");
    EXPECT_EQ(usage_error("-A INPUT -p tcp -p udp"), "multiple --protocol options not allowed");
}

TEST(Parse, Commands) {
    Command c = parse("-I INPUT -j ACCEPT");
    EXPECT_EQ(c.command, CMD_INSERT);
    EXPECT_EQ(c.rulenum, 1U);
    c = parse("-I INPUT 3 -j ACCEPT");
    EXPECT_EQ(c.rulenum, 3U);
    c = parse("-D INPUT 2");
    EXPECT_EQ(c.command, CMD_DELETE_NUM);
    EXPECT_EQ(c.rulenum, 2U);
    c = parse("-D INPUT -p tcp -j ACCEPT");
    EXPECT_EQ(c.command, CMD_DELETE);
    c = parse("-R INPUT 2 -j DROP");
    EXPECT_EQ(c.command, CMD_REPLACE);
    EXPECT_EQ(c.rulenum, 2U);
    c = parse("-L -Z");
    EXPECT_EQ(c.command, CMD_LIST | CMD_ZERO);
    c = parse("-Z INPUT 3");
    EXPECT_EQ(c.command, CMD_ZERO_NUM);
    c = parse("-S INPUT 2");
    EXPECT_EQ(c.command, CMD_LIST_RULES);
    EXPECT_EQ(c.rulenum, 2U);
    c = parse("-F");
    EXPECT_EQ(c.command, CMD_FLUSH);
    EXPECT_TRUE(c.chain.empty());
    c = parse("-X");
    EXPECT_EQ(c.command, CMD_DELETE_CHAIN);
    c = parse("-E OLD NEW");
    EXPECT_EQ(c.new_name, "NEW");
    c = parse("-P FORWARD DROP -c 5 100");
    EXPECT_EQ(c.policy, Verdict::drop);
    ASSERT_TRUE(c.set_counters);
    EXPECT_EQ(c.set_counters->bytes, 100U);
    c = parse("-t mangle -N MINE");
    EXPECT_EQ(c.table, Table::mangle);
    c = parse("-t raw -P PREROUTING DROP");
    EXPECT_EQ(c.table, Table::raw);
    EXPECT_EQ(c.policy, Verdict::drop);
    c = parse("-A INPUT -j ACCEPT -c 7 700");
    ASSERT_TRUE(c.rules().at(0).counters);
    EXPECT_EQ(c.rules().at(0).counters->packets, 7U);
    c = parse("-A INPUT -j ACCEPT --set-counters 7,700");
    EXPECT_EQ(c.rules().at(0).counters->bytes, 700U);
    EXPECT_TRUE(parse("-h").help);
    EXPECT_TRUE(parse("-V").version);
    EXPECT_EQ(usage_error(""), "no command specified");
    EXPECT_EQ(usage_error("-A INPUT -D INPUT"), "Cannot use -D with -A");
    EXPECT_EQ(usage_error("-L -F"), "Cannot use -F with -L");
    EXPECT_EQ(usage_error("-D INPUT 1:2"), "Rule ranges are not supported");
    EXPECT_EQ(usage_error("-D INPUT 0"), "Invalid rule number `0'");
    EXPECT_EQ(usage_error("-I INPUT x"), "Invalid rule number `x'");
    EXPECT_EQ(usage_error("-R INPUT -j DROP"), "-R requires a rule number");
    EXPECT_EQ(usage_error("-P INPUT"), "-P requires a chain and a policy");
    EXPECT_EQ(usage_error("-E OLD"), "-E requires old-chain-name and new-chain-name");
    EXPECT_EQ(usage_error("-A INPUT -n"), "Illegal option `--numeric' with this command");
    EXPECT_EQ(usage_error("-S -x"), "Illegal option `--exact' with this command");
    EXPECT_EQ(usage_error("-D INPUT -c 1 2 -j ACCEPT"), "Illegal option `--set-counters' with this command");
    EXPECT_EQ(usage_error("-D INPUT 1 -p tcp"), "Illegal option `--protocol' with this command");
    EXPECT_EQ(usage_error("-L -s 1.2.3.4"), "Illegal option `--source' with this command");
    EXPECT_EQ(usage_error("-A abcdefghijklmnopqrstuvwxyz0123 -j ACCEPT"),
              "chain name `abcdefghijklmnopqrstuvwxyz0123' too long (must be under 29 chars)");
    EXPECT_EQ(usage_error("-f -A INPUT"), "-f (fragments) is not supported by nfgate");
    EXPECT_EQ(usage_error("-6 -L"), "nfgate is IPv4 only (-6 given)");
    EXPECT_EQ(usage_error("-A INPUT -c 1"), "--set-counters requires packet and byte counter");
    EXPECT_EQ(usage_error("-A INPUT -c x 1"), "--set-counters packet counter not numeric");
    // -w / -W take an optional number and are ignored.
    c = parse("-w 5 -W 100 -L");
    EXPECT_EQ(c.command, CMD_LIST);
    EXPECT_TRUE(c.wait);
    EXPECT_EQ(c.wait_seconds, 5U);
    EXPECT_EQ(c.wait_interval_us, 100U);
    c = parse("-w -A INPUT -j ACCEPT");
    EXPECT_TRUE(c.wait);
    EXPECT_EQ(c.wait_seconds, 0U);
    EXPECT_EQ(usage_error("-W 100 -L"), "--wait-interval only makes sense with --wait");
    EXPECT_TRUE(parse("-w -W 999999 -L").wait_interval_given);
    EXPECT_FALSE(parse("-w -L").wait_interval_given);
    EXPECT_EQ(usage_error("-w -W 1000000 -L"), "too long usec wait 1000000 > 999999 usec");
    EXPECT_EQ(usage_error("-w x -L"), "wait seconds not numeric");
}

TEST(Parse, KernelSideErrorsExitOne) {
    try {
        parse("-t security -A INPUT -j ACCEPT");
        FAIL() << "security accepted";
    } catch (const UsageError&) {
        FAIL() << "should not be a usage error";
    } catch (const Error& e) {
        // iptables' VERSION_PROBLEM: "can't initialize iptables table"
        EXPECT_EQ(e.exit_status(), 3);
    }
    try {
        parse("-P INPUT REJECT");
        FAIL();
    } catch (const UsageError&) {
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "Bad policy name `REJECT'");
    }
}

TEST(Parse, ChainNames) {
    EXPECT_NO_THROW(parse("-N my-chain_1"));
    EXPECT_EQ(usage_error("-N -x"), "chain name not allowed to start with `-'");
    std::vector<std::string> args = {"-N", "!x"};
    EXPECT_THROW(parse_command(args), UsageError);
    EXPECT_EQ(usage_error("-N ACCEPT"), "chain name may not clash with target name");
    EXPECT_EQ(usage_error("-N LOG"), "chain name may not clash with target name");
    EXPECT_EQ(usage_error("-N abcdefghijklmnopqrstuvwxyz0123"),
              "chain name `abcdefghijklmnopqrstuvwxyz0123' too long (must be under 29 chars)");
    EXPECT_NO_THROW(parse("-N abcdefghijklmnopqrstuvwxyz01"));
    std::vector<std::string> spaced = {"-N", "a b"};
    EXPECT_THROW(parse_command(spaced), UsageError);
}

TEST(Parse, RestoreContext) {
    ParseContext ctx;
    ctx.restore = true;
    ctx.restore_table = Table::mangle;
    Command c = parse_command(words("-A PREROUTING -j ACCEPT"), ctx);
    EXPECT_EQ(c.table, Table::mangle);
    EXPECT_THROW(parse_command(words("-t filter -A INPUT -j ACCEPT"), ctx), UsageError);
    EXPECT_THROW(parse_command(words("-w -A INPUT -j ACCEPT"), ctx), UsageError);
}

TEST(Parse, ValueParsers) {
    EXPECT_EQ(parse_uint("0x10", 0, 100), 16U);
    EXPECT_EQ(parse_uint("010", 0, 100), 8U);
    EXPECT_FALSE(parse_uint("-1", 0, 100));
    EXPECT_FALSE(parse_uint("5x", 0, 100));
    EXPECT_FALSE(parse_uint("", 0, 100));
    EXPECT_FALSE(parse_uint("101", 0, 100));
    AddrMatch a = parse_address("192.0.2.77/24");
    EXPECT_EQ(a.addr, 0xC0000200U);
    EXPECT_EQ(a.mask, 0xFFFFFF00U);
    EXPECT_EQ(parse_port_range("http", "tcp").min, 80);
    EXPECT_EQ(parse_protocol("udp"), 17);
    EXPECT_EQ(parse_set_counters(" 12", "+3").packets, 12U);
}

// Found by fuzz_rule_parser (and fuzz_restore_reader, from restore input):
// `-g OT\1\0..HER` parsed, and the encoder's C string sent the jump to
// chain "OT\1" instead.  Any argument with a NUL is refused.
TEST(Parse, ArgumentWithNulIsRefused) {
    using namespace std::string_literals;
    for (std::string bad : {"OT\1\0\0HER"s, "\0"s, "FORWA\0\0_direct"s}) {
        std::vector<std::string> args{"-A", "INPUT", "-g", bad};
        EXPECT_THROW(parse_command(args), UsageError) << bad.size();
    }
    std::vector<std::string> comment{"-A", "INPUT", "-m", "comment", "--comment", "a\0b"s};
    EXPECT_THROW(parse_command(comment), UsageError);
    std::vector<std::string> iface{"-A", "INPUT", "-i", "eth\0"s, "-j", "ACCEPT"};
    EXPECT_THROW(parse_command(iface), UsageError);
}

}  // namespace
}  // namespace nfgate
