// SPDX-License-Identifier: GPL-2.0
// `-o json` writers: RFC 8259 strings, the ruleset document and the
// monitor's event lines (schema: Documentation/nfgate.schema.json).
#include "nfgate/json.hpp"

#include "nfgate/format.hpp"

#include <algorithm>
#include <cstdio>

namespace nfgate {

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7:
// no overlong forms, no surrogates, nothing past U+10FFFF), 0 if none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = at(i);
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
    return n;
}

// Appends "key": (with the comma before it unless first).
class Object {
public:
    explicit Object(std::string& out) : out_(out) { out_ += '{'; }
    Object& key(std::string_view k) {
        if (!first_) out_ += ',';
        first_ = false;
        out_ += json_quote(k);
        out_ += ':';
        return *this;
    }
    Object& str(std::string_view k, std::string_view v) {
        key(k);
        out_ += json_quote(v);
        return *this;
    }
    Object& num(std::string_view k, std::uint64_t v) {
        key(k);
        out_ += std::to_string(v);
        return *this;
    }
    Object& boolean(std::string_view k, bool v) {
        key(k);
        out_ += v ? "true" : "false";
        return *this;
    }
    Object& counters(std::string_view k, const Counters& c) {
        key(k);
        out_ += "{\"packets\":" + std::to_string(c.packets) + ",\"bytes\":" + std::to_string(c.bytes) + "}";
        return *this;
    }
    void close() { out_ += '}'; }

private:
    std::string& out_;
    bool first_ = true;
};

std::string target_name(const Target& t) {
    switch (t.verdict) {
        case Verdict::jump:
        case Verdict::go_to:
            return t.chain;
        case Verdict::ext:
            return t.ext.kind ? std::string(t.ext.kind->name()) : std::string();
        default:
            return std::string(verdict_name(t.verdict));
    }
}

// The -m modules in rule order, as iptables-save names them.
void append_matches(std::string& out, const RuleSpec& r) {
    out += '[';
    bool first = true;
    auto add = [&](std::string_view name) {
        if (!first) out += ',';
        first = false;
        out += json_quote(name);
    };
    for (std::size_t i = 0; i <= r.matches.size(); ++i) {
        if (r.l4 && i == std::min(r.l4_pos, r.matches.size())) add(r.proto_num() == 17 ? "udp" : "tcp");
        if (i < r.matches.size() && r.matches[i].kind) add(r.matches[i].kind->name());
    }
    out += ']';
}

// A rule object. position 0: unknown (a deleted rule's event) and left out;
// counters are left out when the kernel sent none (events).
void append_rule(std::string& out, Table table, std::string_view chain, std::uint32_t position,
                 const RuleSpec& r, bool always_counters) {
    Object o(out);
    o.str("table", table_name(table)).str("chain", chain);
    if (position) o.num("position", position);
    o.num("handle", r.handle);
    if (r.counters || always_counters) o.counters("counters", r.counters.value_or(Counters{}));
    const std::string target = target_name(r.target);
    if (!target.empty()) o.str("target", target);
    if (r.target.verdict == Verdict::go_to) o.boolean("goto", true);
    o.key("matches");
    append_matches(out, r);
    o.str("rule", rule_text(r));
    o.close();
}

void append_chain(std::string& out, const ChainInfo& c) {
    Object o(out);
    o.str("name", c.name).boolean("builtin", c.builtin);
    if (c.builtin) {
        o.str("policy", verdict_name(c.policy));
        o.counters("counters", c.counters);
    }
    o.num("references", c.refs);
    o.num("rule_count", c.rules);
    o.close();
}

void append_table(std::string& out, const TableSnapshot& t, const JsonSelection& sel) {
    Object o(out);
    o.str("table", table_name(t.table)).num("generation", t.generation);
    o.key("chains");
    out += '[';
    bool first = true;
    for (const auto& c : t.chains) {
        if (!sel.chain.empty() && c.name != sel.chain) continue;
        if (!first) out += ',';
        first = false;
        append_chain(out, c);
    }
    out += ']';
    o.key("rules");
    out += '[';
    first = true;
    const RulesByChain by_chain = t.rules_by_chain();  // one pass, not one per chain
    for (const auto& c : t.chains) {
        if (!sel.chain.empty() && c.name != sel.chain) continue;
        for (const auto* r : by_chain[c.name]) {
            if (sel.rulenum && r->position != sel.rulenum) continue;
            if (!first) out += ',';
            first = false;
            append_rule(out, t.table, c.name, r->position, r->rule, true);
        }
    }
    out += ']';
    o.close();
}

std::string_view event_name(EventKind k) {
    switch (k) {
        case EventKind::new_chain:
            return "new_chain";
        case EventKind::del_chain:
            return "del_chain";
        case EventKind::set_policy:
            return "set_policy";
        case EventKind::new_rule:
            return "new_rule";
        case EventKind::del_rule:
            return "del_rule";
        case EventKind::commit:
            return "commit";
        case EventKind::lost:
            return "lost";
    }
    return "unknown";
}

}  // namespace

std::string json_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof(buf), "\\u%04x", c);
                    out += buf;
                } else if (std::size_t n = utf8_sequence(s, i)) {
                    out.append(s.substr(i, n));
                    i += n;
                    continue;
                } else {
                    out += "\\ufffd";
                }
        }
        ++i;
    }
    out += '"';
    return out;
}

std::string utf8_sanitized(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (std::size_t n = utf8_sequence(s, i)) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::string rule_text(const RuleSpec& r) {
    // "-A " + "" + " -s ... -j X": the matches and the target.
    std::string body = format_append("", r).substr(3);
    if (!body.empty() && body.front() == ' ') body.erase(0, 1);
    return body;
}

std::string format_json_ruleset(const std::vector<TableSnapshot>& tables, const JsonSelection& sel) {
    std::string out;
    std::uint64_t generation = 0;
    for (const auto& t : tables) generation = std::max(generation, t.generation);
    Object o(out);
    o.num("schema_version", json_schema_version).str("type", "ruleset").num("generation", generation);
    o.key("tables");
    out += '[';
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (i) out += ',';
        append_table(out, tables[i], sel);
    }
    out += ']';
    o.close();
    out += '\n';
    return out;
}

std::string format_json_event(const Event& e) {
    std::string out;
    Object o(out);
    o.num("schema_version", json_schema_version).str("type", "event").str("event", event_name(e.kind));
    if (e.kind != EventKind::lost) o.num("generation", e.generation);
    switch (e.kind) {
        case EventKind::new_chain:
        case EventKind::del_chain:
            o.str("table", table_name(e.table)).str("chain", e.chain);
            break;
        case EventKind::set_policy:
            o.str("table", table_name(e.table)).str("chain", e.chain).str("policy", verdict_name(e.policy));
            break;
        case EventKind::new_rule:
        case EventKind::del_rule:
            o.str("table", table_name(e.table)).str("chain", e.chain);
            o.key("rule");
            append_rule(out, e.table, e.chain, e.kind == EventKind::new_rule ? e.position : 0, e.rule, false);
            break;
        case EventKind::commit:
            o.num("changes", e.changes);
            break;
        case EventKind::lost:
            break;
    }
    o.close();
    return out;
}

}  // namespace nfgate
