// SPDX-License-Identifier: GPL-2.0
// `-o json`: the ruleset document and the monitor's event lines parse as
// strict RFC 8259 JSON and validate against Documentation/nfgate.schema.json
// (strictly: no field the schema does not describe); string escaping;
// the -o/--output option of nfgate's own command line and its refusal by
// the drop-in's grammar.
#include "json_check.hpp"

#include "nfgate/json.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nfgate {
namespace {

jsoncheck::Value load_schema() {
    std::ifstream in(NFGATE_DOC_DIR "/nfgate.schema.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return jsoncheck::parse(ss.str());
}

const jsoncheck::Validator& validator() {
    static const jsoncheck::Validator v(load_schema(), true);
    return v;
}

// Parses as strict JSON and validates; the parsed value.
jsoncheck::Value valid(const std::string& text) {
    jsoncheck::Value v = jsoncheck::parse(text);
    EXPECT_EQ(validator().validate(v), "") << text;
    return v;
}

void run(RulesetModel& m, const std::vector<std::string>& args, Table t = Table::filter) {
    std::vector<std::string> a = args;
    if (t != Table::filter) a.insert(a.begin(), {"-t", std::string(table_name(t))});
    for (auto& op : plan_command(parse_command(a))) m.apply(op);
}

// A comment with everything JSON must escape, and bytes that are not UTF-8.
const std::string nasty =
    std::string("say \"hi\" \\ back\\slash\ttab\nnl\x01\x1f del\x7f \xc3\xa9t\xc3\xa9 ") +
    "\xe2\x82\xac bad\xff\xc3 end";

RulesetModel sample_model() {
    RulesetModel m;
    run(m, {"-P", "INPUT", "DROP"});
    run(m, {"-N", "SVC"});
    run(m, {"-A", "INPUT", "-s", "192.0.2.0/24", "-p", "tcp", "--dport", "22", "-j", "ACCEPT"});
    run(m, {"-A", "INPUT", "-m", "comment", "--comment", nasty, "-j", "SVC"});
    run(m, {"-A", "FORWARD", "-p", "udp", "-m", "udp", "--dport", "53", "-m", "comment", "--comment", "dns",
            "-g", "SVC"});
    run(m, {"-A", "SVC", "-j", "RETURN"});
    run(m, {"-A", "OUTPUT"});
    run(m,
        {"-A", "PREROUTING", "-d", "198.18.0.1", "-p", "tcp", "--dport", "80", "-j", "DNAT",
         "--to-destination", "203.0.113.5:8080"},
        Table::nat);
    return m;
}

TEST(Json, QuoteEscapesPerRfc8259) {
    EXPECT_EQ(json_quote(""), "\"\"");
    EXPECT_EQ(json_quote("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
    EXPECT_EQ(json_quote("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
    EXPECT_EQ(json_quote(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
    // UTF-8 passes through; bytes that are not UTF-8 become U+FFFD.
    EXPECT_EQ(json_quote("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    EXPECT_EQ(json_quote("a\xff"
                         "b"),
              "\"a\\ufffdb\"");
    EXPECT_EQ(json_quote("\xc3"), "\"\\ufffd\"");                                   // truncated sequence
    EXPECT_EQ(json_quote("\xc0\xaf"), "\"\\ufffd\\ufffd\"");                        // overlong '/'
    EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");             // surrogate
    EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
    // Whatever goes in, a strict parser reads back a string.
    for (int c = 0; c < 256; ++c) {
        std::string s = "x" + std::string(1, static_cast<char>(c)) + "y";
        jsoncheck::Value v = jsoncheck::parse(json_quote(s));
        ASSERT_EQ(v.kind, jsoncheck::Value::string) << c;
        if (c < 0x80) {
            EXPECT_EQ(v.s, s) << c;
        }
    }
}

TEST(Json, RulesetDocumentValidates) {
    RulesetModel m = sample_model();
    TableSnapshot f = m.snapshot(Table::filter);
    f.generation = 41;
    TableSnapshot n = m.snapshot(Table::nat);
    n.generation = 42;
    // Counters as a dump returns them, one of them past 2^53.
    for (auto& r : f.rules) r.rule.counters = Counters{3, 180};
    f.rules[0].rule.counters = Counters{(1ULL << 60) + 1, 18446744073709551615ULL};
    f.chains[0].counters = Counters{7, 420};

    const std::string doc = format_json_ruleset({f, n});
    ASSERT_EQ(doc.back(), '\n');
    EXPECT_EQ(doc.find('\n'), doc.size() - 1) << "one line";
    jsoncheck::Value v = valid(doc);
    EXPECT_EQ(v.at("schema_version").u, 1U);
    EXPECT_EQ(v.at("type").s, "ruleset");
    EXPECT_EQ(v.at("generation").u, 42U);
    const auto& tables = *v.at("tables").a;
    ASSERT_EQ(tables.size(), 2U);
    EXPECT_EQ(tables[0].at("table").s, "filter");
    EXPECT_EQ(tables[0].at("generation").u, 41U);

    const auto& chains = *tables[0].at("chains").a;
    ASSERT_EQ(chains.size(), 4U);  // INPUT FORWARD OUTPUT SVC
    EXPECT_EQ(chains[0].at("name").s, "INPUT");
    EXPECT_TRUE(chains[0].at("builtin").b);
    EXPECT_EQ(chains[0].at("policy").s, "DROP");
    EXPECT_EQ(chains[0].at("counters").at("packets").u, 7U);
    EXPECT_EQ(chains[0].at("counters").at("bytes").u, 420U);
    EXPECT_EQ(chains[0].at("rule_count").u, 2U);
    EXPECT_EQ(chains[3].at("name").s, "SVC");
    EXPECT_FALSE(chains[3].at("builtin").b);
    EXPECT_EQ(chains[3].get("policy"), nullptr);
    EXPECT_EQ(chains[3].get("counters"), nullptr);
    EXPECT_EQ(chains[3].at("references").u, 2U);

    const auto& rules = *tables[0].at("rules").a;
    ASSERT_EQ(rules.size(), 5U);
    const auto& r0 = rules[0];
    EXPECT_EQ(r0.at("table").s, "filter");
    EXPECT_EQ(r0.at("chain").s, "INPUT");
    EXPECT_EQ(r0.at("position").u, 1U);
    EXPECT_EQ(r0.at("handle").u, f.rules[0].rule.handle);
    EXPECT_NE(r0.at("handle").u, 0U);
    EXPECT_EQ(r0.at("counters").at("packets").u, (1ULL << 60) + 1);
    EXPECT_EQ(r0.at("counters").at("bytes").u, 18446744073709551615ULL);
    EXPECT_EQ(r0.at("target").s, "ACCEPT");
    EXPECT_EQ(r0.get("goto"), nullptr);
    EXPECT_EQ(r0.at("rule").s, "-s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT");
    ASSERT_EQ(r0.at("matches").a->size(), 1U);
    EXPECT_EQ(r0.at("matches").a->at(0).s, "tcp");

    // The comment comes back as iptables-save quotes it, every byte that
    // is UTF-8 intact.
    const auto& r1 = rules[1];
    EXPECT_EQ(r1.at("target").s, "SVC");
    EXPECT_EQ(r1.at("position").u, 2U);
    EXPECT_NE(r1.at("rule").s.find("say \\\"hi\\\""), std::string::npos) << r1.at("rule").s;
    EXPECT_NE(
        r1.at("rule").s.find("\ttab\nnl\x01\x1f del\x7f \xc3\xa9t\xc3\xa9 \xe2\x82\xac bad\xef\xbf\xbd"),
        std::string::npos);
    EXPECT_EQ(r1.at("matches").a->at(0).s, "comment");

    const auto& r2 = rules[2];
    EXPECT_EQ(r2.at("chain").s, "FORWARD");
    EXPECT_TRUE(r2.at("goto").b);
    EXPECT_EQ(r2.at("target").s, "SVC");
    EXPECT_EQ(r2.at("rule").s, "-p udp -m udp --dport 53 -m comment --comment dns -g SVC");
    ASSERT_EQ(r2.at("matches").a->size(), 2U);
    EXPECT_EQ(r2.at("matches").a->at(0).s, "udp");
    EXPECT_EQ(r2.at("matches").a->at(1).s, "comment");

    // OUTPUT's empty rule: no target, empty text.
    EXPECT_EQ(rules[3].at("chain").s, "OUTPUT");
    EXPECT_EQ(rules[3].get("target"), nullptr);
    EXPECT_EQ(rules[3].at("rule").s, "");
    EXPECT_EQ(rules[4].at("chain").s, "SVC");
    EXPECT_EQ(rules[4].at("target").s, "RETURN");

    const auto& nat_rules = *tables[1].at("rules").a;
    ASSERT_EQ(nat_rules.size(), 1U);
    EXPECT_EQ(nat_rules[0].at("table").s, "nat");
    EXPECT_EQ(nat_rules[0].at("target").s, "DNAT");
    EXPECT_EQ(nat_rules[0].at("rule").s,
              "-d 198.18.0.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 203.0.113.5:8080");
    // Rules without counters (never the case in dumps) still carry zeros.
    EXPECT_EQ(nat_rules[0].at("counters").at("packets").u, 0U);
}

TEST(Json, SelectionOfChainAndRule) {
    RulesetModel m = sample_model();
    TableSnapshot f = m.snapshot(Table::filter);
    jsoncheck::Value v = valid(format_json_ruleset({f}, {"INPUT", 2}));
    const auto& t = v.at("tables").a->at(0);
    ASSERT_EQ(t.at("chains").a->size(), 1U);
    EXPECT_EQ(t.at("chains").a->at(0).at("name").s, "INPUT");
    ASSERT_EQ(t.at("rules").a->size(), 1U);
    EXPECT_EQ(t.at("rules").a->at(0).at("position").u, 2U);

    jsoncheck::Value empty = valid(format_json_ruleset({}));
    EXPECT_EQ(empty.at("tables").a->size(), 0U);
    EXPECT_EQ(empty.at("generation").u, 0U);
}

TEST(Json, EventsValidate) {
    RulesetModel m = sample_model();
    TableSnapshot f = m.snapshot(Table::filter);

    Event nr;
    nr.kind = EventKind::new_rule;
    nr.chain = "INPUT";
    nr.position = 2;
    nr.rule = f.rules[1].rule;
    nr.rule.counters = Counters{0, 0};
    nr.generation = 9;
    std::string line = format_json_event(nr);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    jsoncheck::Value v = valid(line);
    EXPECT_EQ(v.at("event").s, "new_rule");
    EXPECT_EQ(v.at("generation").u, 9U);
    EXPECT_EQ(v.at("table").s, "filter");
    EXPECT_EQ(v.at("rule").at("position").u, 2U);
    EXPECT_EQ(v.at("rule").at("handle").u, f.rules[1].rule.handle);

    Event dr = nr;
    dr.kind = EventKind::del_rule;
    dr.table = Table::nat;
    dr.position = 0;
    dr.rule.counters.reset();
    v = valid(format_json_event(dr));
    EXPECT_EQ(v.at("event").s, "del_rule");
    EXPECT_EQ(v.at("table").s, "nat");
    EXPECT_EQ(v.at("rule").get("position"), nullptr);
    EXPECT_EQ(v.at("rule").get("counters"), nullptr);

    Event nc;
    nc.kind = EventKind::new_chain;
    nc.table = Table::mangle;
    nc.chain = "X\"Y";
    nc.generation = 3;
    v = valid(format_json_event(nc));
    EXPECT_EQ(v.at("chain").s, "X\"Y");
    nc.kind = EventKind::del_chain;
    EXPECT_EQ(valid(format_json_event(nc)).at("event").s, "del_chain");

    Event p;
    p.kind = EventKind::set_policy;
    p.chain = "FORWARD";
    p.policy = Verdict::drop;
    p.generation = 4;
    v = valid(format_json_event(p));
    EXPECT_EQ(v.at("policy").s, "DROP");

    Event c;
    c.kind = EventKind::commit;
    c.generation = 10;
    c.changes = 3;
    EXPECT_EQ(format_json_event(c),
              R"({"schema_version":1,"type":"event","event":"commit","generation":10,"changes":3})");
    valid(format_json_event(c));

    Event l;
    l.kind = EventKind::lost;
    EXPECT_EQ(format_json_event(l), R"({"schema_version":1,"type":"event","event":"lost"})");
    valid(format_json_event(l));
}

// The validator itself: it must catch what the test relies on it for.
TEST(Json, ValidatorCatchesDeviations) {
    auto bad = [](const std::string& text) { return !validator().validate(jsoncheck::parse(text)).empty(); };
    EXPECT_FALSE(bad(R"({"schema_version":1,"type":"event","event":"lost"})"));
    EXPECT_TRUE(bad(R"({"schema_version":2,"type":"event","event":"lost"})"));
    EXPECT_TRUE(bad(R"({"schema_version":1,"type":"event","event":"lost","extra":1})"));
    EXPECT_TRUE(bad(R"({"schema_version":1,"type":"event","event":"commit","generation":1})"));
    EXPECT_TRUE(bad(R"({"schema_version":1,"type":"event","event":"commit","generation":-1,"changes":0})"));
    EXPECT_TRUE(bad(R"({"schema_version":1,"type":"ruleset","generation":1,"tables":[{"table":"security",)"
                    R"("generation":1,"chains":[],"rules":[]}]})"));
    EXPECT_TRUE(bad(R"({"schema_version":1,"type":"ruleset","generation":1,"tables":[{"table":"filter",)"
                    R"("generation":1,"chains":[],"rules":[{"table":"filter","chain":"INPUT","handle":1,)"
                    R"("matches":[],"rule":"","counters":{"packets":1}}]}]})"));
    EXPECT_THROW(jsoncheck::parse("{\"a\":\"\x01\"}"), std::runtime_error);
    EXPECT_THROW(jsoncheck::parse("{\"a\":1,\"a\":2}"), std::runtime_error);
    EXPECT_THROW(jsoncheck::parse("\"\xff\""), std::runtime_error);
    EXPECT_THROW(jsoncheck::parse("[01]"), std::runtime_error);
}

Command parse_nfgate(const std::vector<std::string>& args) {
    ParseContext ctx;
    ctx.output_format = true;
    return parse_command(args, ctx);
}

TEST(Json, OutputOption) {
    EXPECT_EQ(parse_nfgate({"-L", "-o", "json"}).output, "json");
    EXPECT_EQ(parse_nfgate({"-o", "json", "-S", "INPUT"}).output, "json");
    EXPECT_EQ(parse_nfgate({"-t", "nat", "-L", "-n", "-v", "--output", "json"}).output, "json");
    EXPECT_EQ(parse_nfgate({"-S", "--output=json"}).output, "json");
    EXPECT_EQ(parse_nfgate({"-L", "--out", "json"}).output, "json");
    Command c = parse_nfgate({"-L", "-o", "json"});
    EXPECT_FALSE(c.rule.out.has_value());
    EXPECT_EQ(parse_nfgate({"-L"}).output, "");
    EXPECT_THROW(parse_nfgate({"-L", "-o", "xml"}), UsageError);
    EXPECT_THROW(parse_nfgate({"-L", "!", "-o", "json"}), UsageError);
    // A rule's -o is still the out-interface, also spelt --output.
    EXPECT_EQ(parse_nfgate({"-A", "FORWARD", "-o", "json", "-j", "ACCEPT"}).rules().at(0).out->name, "json");
    EXPECT_EQ(parse_nfgate({"-A", "FORWARD", "--output", "eth0"}).rules().at(0).out->name, "eth0");
    // iptables' grammar (the drop-in): -o with -L is iptables' error and
    // --output is no option at all.
    try {
        parse_command({"-L", "-o", "json"});
        FAIL() << "accepted";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "Illegal option `--out-interface' with this command");
    }
    EXPECT_THROW(parse_command({"-L", "--output", "json"}), UsageError);
    EXPECT_EQ(parse_command({"-A", "FORWARD", "--out", "eth0"}).rules().at(0).out->name, "eth0");
}

}  // namespace
}  // namespace nfgate
