// SPDX-License-Identifier: GPL-2.0
// The Prometheus text exposition format of `nfgate stats --prometheus`.
#include "nfgate/prometheus.hpp"

#include "nfgate/json.hpp"

#include <algorithm>
#include <functional>

namespace nfgate {

namespace {

struct Family {
    std::string_view name;
    std::string_view type;  // "counter" or "gauge"
    std::string_view help;
};

void header(std::string& out, const Family& f) {
    out += "# HELP ";
    out += f.name;
    out += ' ';
    out += prometheus_help_text(f.help);
    out += "\n# TYPE ";
    out += f.name;
    out += ' ';
    out += f.type;
    out += '\n';
}

using Labels = std::vector<std::pair<std::string_view, std::string>>;

void sample(std::string& out, std::string_view name, const Labels& labels, std::uint64_t value) {
    out += name;
    if (!labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) out += ',';
            out += labels[i].first;
            out += "=\"";
            out += prometheus_label_value(labels[i].second);
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    out += std::to_string(value);
    out += '\n';
}

}  // namespace

std::string prometheus_label_value(std::string_view text) {
    const std::string s = utf8_sanitized(text);
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string prometheus_help_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string format_prometheus(const std::vector<TableSnapshot>& tables) {
    std::string out;
    std::uint64_t generation = 0;
    for (const auto& t : tables) generation = std::max(generation, t.generation);

    header(out, {"nfgate_generation", "gauge",
                 "Ruleset generation: incremented by every committed nfgate transaction."});
    sample(out, "nfgate_generation", {}, generation);

    header(out, {"nfgate_chains", "gauge", "Chains of the table, built-in and user-defined."});
    for (const auto& t : tables)
        sample(out, "nfgate_chains", {{"table", std::string(table_name(t.table))}}, t.chains.size());

    header(out, {"nfgate_rules", "gauge", "Rules of the table."});
    for (const auto& t : tables)
        sample(out, "nfgate_rules", {{"table", std::string(table_name(t.table))}}, t.rules.size());

    // Built-in chains only: their policy counters count the packets that
    // reached the end of the chain (user chains have no counters).
    auto chains = [&](std::string_view name, std::function<std::uint64_t(const ChainInfo&)> value) {
        for (const auto& t : tables)
            for (const auto& c : t.chains)
                if (c.builtin)
                    sample(out, name,
                           {{"table", std::string(table_name(t.table))},
                            {"chain", c.name},
                            {"policy", std::string(verdict_name(c.policy))}},
                           value(c));
    };
    header(out, {"nfgate_chain_packets_total", "counter",
                 "Packets that reached the end of a built-in chain and took its policy."});
    chains("nfgate_chain_packets_total", [](const ChainInfo& c) { return c.counters.packets; });
    header(out, {"nfgate_chain_bytes_total", "counter",
                 "Bytes of the packets that reached the end of a built-in chain and took its policy."});
    chains("nfgate_chain_bytes_total", [](const ChainInfo& c) { return c.counters.bytes; });

    // A rule's series is keyed by its handle: a replaced rule (new handle)
    // starts a new series, as its counters start again.  Labels are built
    // once for both families; rules grouped by chain in one pass.
    struct RuleSample {
        Labels labels;
        Counters counters;
    };
    std::vector<RuleSample> rule_samples;
    for (const auto& t : tables) {
        const RulesByChain by_chain = t.rules_by_chain();
        for (const auto& c : t.chains)
            for (const auto* r : by_chain[c.name])
                rule_samples.push_back({{{"table", std::string(table_name(t.table))},
                                         {"chain", c.name},
                                         {"handle", std::to_string(r->rule.handle)},
                                         {"position", std::to_string(r->position)},
                                         {"rule", rule_text(r->rule)}},
                                        r->rule.counters.value_or(Counters{})});
    }
    header(out, {"nfgate_rule_packets_total", "counter", "Packets that matched the rule."});
    for (const auto& r : rule_samples) sample(out, "nfgate_rule_packets_total", r.labels, r.counters.packets);
    header(out, {"nfgate_rule_bytes_total", "counter", "Bytes of the packets that matched the rule."});
    for (const auto& r : rule_samples) sample(out, "nfgate_rule_bytes_total", r.labels, r.counters.bytes);
    return out;
}

}  // namespace nfgate
