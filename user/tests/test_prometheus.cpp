// SPDX-License-Identifier: GPL-2.0
// `nfgate stats --prometheus`: label and help escaping, and the exposition
// as a whole (each family's HELP and TYPE before its samples, one family
// once, label syntax a parser of the text format accepts).
#include "nfgate/prometheus.hpp"

#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

namespace nfgate {
namespace {

void run(RulesetModel& m, const std::vector<std::string>& args) {
    for (auto& op : plan_command(parse_command(args))) m.apply(op);
}

TEST(Prometheus, LabelValueEscaping) {
    EXPECT_EQ(prometheus_label_value("plain -j ACCEPT"), "plain -j ACCEPT");
    EXPECT_EQ(prometheus_label_value("a\\b"), "a\\\\b");
    EXPECT_EQ(prometheus_label_value("say \"hi\""), "say \\\"hi\\\"");
    EXPECT_EQ(prometheus_label_value("two\nlines"), "two\\nlines");
    // Other control characters and UTF-8 pass; non-UTF-8 bytes do not.
    EXPECT_EQ(prometheus_label_value("t\tx \xc3\xa9"), "t\tx \xc3\xa9");
    EXPECT_EQ(prometheus_label_value("bad\xff"), "bad\xef\xbf\xbd");
}

TEST(Prometheus, HelpEscaping) {
    EXPECT_EQ(prometheus_help_text("a \"quoted\" \\ help\nnext"), "a \"quoted\" \\\\ help\\nnext");
}

// One sample line: name, labels (unescaped back), value.
struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    std::string value;
};

// A reader of the text format's sample lines, as strict as Prometheus'
// parser about label syntax and escapes.
Sample parse_sample(const std::string& line) {
    Sample s;
    std::size_t i = 0;
    auto name_char = [](char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
               (!first && c >= '0' && c <= '9');
    };
    while (i < line.size() && name_char(line[i], i == 0)) s.name += line[i++];
    if (s.name.empty()) throw std::runtime_error("no metric name: " + line);
    if (i < line.size() && line[i] == '{') {
        ++i;
        while (line.at(i) != '}') {
            std::string key;
            while (name_char(line.at(i), key.empty())) key += line[i++];
            if (key.empty() || line.at(i++) != '=' || line.at(i++) != '"')
                throw std::runtime_error("bad label: " + line);
            std::string val;
            for (;;) {
                char c = line.at(i++);
                if (c == '"') break;
                if (c == '\n') throw std::runtime_error("raw newline");
                if (c == '\\') {
                    char e = line.at(i++);
                    if (e == 'n')
                        val += '\n';
                    else if (e == '\\' || e == '"')
                        val += e;
                    else
                        throw std::runtime_error("bad escape: " + line);
                } else {
                    val += c;
                }
            }
            if (!s.labels.emplace(key, val).second) throw std::runtime_error("duplicate label " + key);
            if (line.at(i) == ',') ++i;
        }
        ++i;
    }
    if (line.at(i++) != ' ') throw std::runtime_error("no value: " + line);
    s.value = line.substr(i);
    if (s.value.empty() || s.value.find_first_not_of("0123456789") != std::string::npos)
        throw std::runtime_error("bad value: " + line);
    return s;
}

TEST(Prometheus, Exposition) {
    RulesetModel m;
    const std::string comment = "ssh \"admin\" \\ side\nline two";
    run(m, {"-P", "INPUT", "DROP"});
    run(m, {"-N", "WEB"});
    run(m, {"-A", "INPUT", "-s", "192.0.2.0/24", "-p", "tcp", "--dport", "22", "-m", "comment", "--comment",
            comment, "-j", "ACCEPT"});
    run(m, {"-A", "INPUT", "-j", "WEB"});
    run(m, {"-A", "WEB", "-p", "tcp", "--dport", "80", "-j", "ACCEPT"});
    TableSnapshot f = m.snapshot(Table::filter);
    f.generation = 17;
    f.chains[0].counters = Counters{5, 300};
    f.rules[0].rule.counters = Counters{12, 840};
    f.rules[1].rule.counters = Counters{3, 180};
    f.rules[2].rule.counters = Counters{2, 120};
    TableSnapshot n = RulesetModel().snapshot(Table::nat);
    n.generation = 16;

    const std::string text = format_prometheus({f, n});
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');

    std::istringstream in(text);
    std::string line;
    std::set<std::string> seen_families;
    std::string family, type;
    bool help = false;
    std::vector<Sample> samples;
    while (std::getline(in, line)) {
        if (line.rfind("# HELP ", 0) == 0) {
            std::istringstream w(line.substr(7));
            w >> family;
            ASSERT_TRUE(seen_families.insert(family).second) << "family twice: " << family;
            help = true;
            type.clear();
            continue;
        }
        if (line.rfind("# TYPE ", 0) == 0) {
            std::istringstream w(line.substr(7));
            std::string name;
            w >> name >> type;
            ASSERT_TRUE(help);
            ASSERT_EQ(name, family);
            ASSERT_TRUE(type == "counter" || type == "gauge") << type;
            continue;
        }
        ASSERT_NE(line[0], '#') << line;
        Sample s = parse_sample(line);
        ASSERT_EQ(s.name, family) << "sample outside its family: " << line;
        ASSERT_FALSE(type.empty());
        if (type == "counter") {
            EXPECT_TRUE(s.name.ends_with("_total")) << s.name;
        }
        samples.push_back(s);
    }
    EXPECT_EQ(seen_families, (std::set<std::string>{"nfgate_generation", "nfgate_chains", "nfgate_rules",
                                                    "nfgate_chain_packets_total", "nfgate_chain_bytes_total",
                                                    "nfgate_rule_packets_total", "nfgate_rule_bytes_total"}));

    auto find = [&](const std::string& name, const std::map<std::string, std::string>& want) {
        std::vector<const Sample*> hits;
        for (const auto& s : samples) {
            if (s.name != name) continue;
            bool ok = true;
            for (const auto& [k, v] : want) {
                auto it = s.labels.find(k);
                ok = ok && it != s.labels.end() && it->second == v;
            }
            if (ok) hits.push_back(&s);
        }
        EXPECT_EQ(hits.size(), 1U) << name;
        return hits.empty() ? std::string("?") : hits[0]->value;
    };
    EXPECT_EQ(find("nfgate_generation", {}), "17");
    EXPECT_EQ(find("nfgate_chains", {{"table", "filter"}}), "4");
    EXPECT_EQ(find("nfgate_chains", {{"table", "nat"}}), "4");
    EXPECT_EQ(find("nfgate_rules", {{"table", "filter"}}), "3");
    EXPECT_EQ(find("nfgate_rules", {{"table", "nat"}}), "0");
    EXPECT_EQ(
        find("nfgate_chain_packets_total", {{"table", "filter"}, {"chain", "INPUT"}, {"policy", "DROP"}}),
        "5");
    EXPECT_EQ(find("nfgate_chain_bytes_total", {{"table", "filter"}, {"chain", "INPUT"}}), "300");
    EXPECT_EQ(find("nfgate_chain_packets_total", {{"table", "nat"}, {"chain", "POSTROUTING"}}), "0");

    // The rule label unescapes to the iptables-save text, quotes and all.
    const std::string rule0 =
        "-s 192.0.2.0/24 -p tcp -m tcp --dport 22 -m comment --comment \"ssh \\\"admin\\\" "
        "\\\\ side\nline two\" -j ACCEPT";
    const std::string h0 = std::to_string(f.rules[0].rule.handle);
    EXPECT_EQ(
        find("nfgate_rule_packets_total",
             {{"table", "filter"}, {"chain", "INPUT"}, {"handle", h0}, {"position", "1"}, {"rule", rule0}}),
        "12");
    EXPECT_EQ(find("nfgate_rule_bytes_total", {{"handle", h0}}), "840");
    EXPECT_EQ(find("nfgate_rule_packets_total", {{"chain", "INPUT"}, {"position", "2"}, {"rule", "-j WEB"}}),
              "3");
    EXPECT_EQ(find("nfgate_rule_bytes_total",
                   {{"chain", "WEB"}, {"position", "1"}, {"rule", "-p tcp -m tcp --dport 80 -j ACCEPT"}}),
              "120");
    // No chain counters for user chains.
    for (const auto& s : samples)
        if (s.name == "nfgate_chain_packets_total") {
            EXPECT_NE(s.labels.at("chain"), "WEB");
        }

    // Exact text of the head.
    EXPECT_EQ(
        text.substr(0, text.find("# HELP nfgate_chains")),
        "# HELP nfgate_generation Ruleset generation: incremented by every committed nfgate transaction.\n"
        "# TYPE nfgate_generation gauge\n"
        "nfgate_generation 17\n");
}

}  // namespace
}  // namespace nfgate
