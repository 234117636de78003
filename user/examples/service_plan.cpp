// SPDX-License-Identifier: GPL-2.0
// Example service agent: request parsing and transaction planning.  Rules
// are written the way an operator would type them and turned into
// operations by the library's own parser and planner (parse_command,
// plan_command), so they carry exactly the extensions' canonical data.
#include "service_plan.hpp"

#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace nfgate::example {

namespace {

using Args = std::vector<std::string>;

// The operations of one iptables command in the nat table.
void add_ops(std::vector<Op>& ops, Args args) {
    args.insert(args.begin(), {"-t", "nat"});
    for (auto& op : plan_command(parse_command(args))) ops.push_back(std::move(op));
}

bool valid_name(std::string_view n) {
    if (n.empty() || n.size() > 20) return false;
    for (char c : n)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return false;
    return true;
}

std::uint16_t parse_port_number(const std::string& s) {
    auto v = parse_uint(s, 1, 65535);
    if (!v) throw std::invalid_argument("bad port '" + s + "' (1-65535)");
    return static_cast<std::uint16_t>(*v);
}

void check_address(const std::string& s) {
    if (s.find_first_not_of("0123456789.") != std::string::npos || std::count(s.begin(), s.end(), '.') != 3 ||
        !parse_numeric_ipv4(s))
        throw std::invalid_argument("bad address '" + s + "' (dotted IPv4)");
}

// "-d VIP/32 -p tcp --dport PORT -m comment --comment "service NAME" -j CHAIN"
Args dispatch_rule(const Service& s) {
    return {"-d",      s.vip + "/32",          "-p", "tcp",     "-m",        "tcp",
            "--dport", std::to_string(s.port), "-m", "comment", "--comment", "service " + s.name,
            "-j",      service_chain(s.name)};
}

// The backend rules of a service's chain: backend i of n takes the
// connection with probability 1/(n-i), so each gets 1/n of them.
void backend_rules(std::vector<Op>& ops, const Service& s) {
    const std::string chain = service_chain(s.name);
    const std::size_t n = s.backends.size();
    for (std::size_t i = 0; i < n; ++i) {
        Args a = {"-A", chain, "-p", "tcp"};  // DNAT to a port needs -p tcp
        if (i + 1 < n) {
            char p[32];
            std::snprintf(p, sizeof(p), "%.10f", 1.0 / static_cast<double>(n - i));
            a.insert(a.end(), {"-m", "statistic", "--mode", "random", "--probability", p});
        }
        a.insert(a.end(), {"-j", "DNAT", "--to-destination", s.backends[i]});
        add_ops(ops, a);
    }
}

}  // namespace

std::string service_chain(std::string_view name) { return service_chain_prefix + std::string(name); }

std::optional<Request> parse_request(std::string_view line) {
    std::istringstream in{std::string(line)};
    std::vector<std::string> w;
    for (std::string s; in >> s;) w.push_back(s);
    if (w.empty() || w[0][0] == '#') return std::nullopt;
    Request r;
    if (w[0] == "del") {
        if (w.size() != 2) throw std::invalid_argument("usage: del NAME");
        r.kind = Request::del;
    } else if (w[0] == "add") {
        if (w.size() < 5) throw std::invalid_argument("usage: add NAME VIP PORT BACKEND...");
        r.kind = Request::add;
        check_address(w[2]);
        r.service.vip = w[2];
        r.service.port = parse_port_number(w[3]);
        for (std::size_t i = 4; i < w.size(); ++i) {
            const auto colon = w[i].find(':');
            if (colon == std::string::npos)
                throw std::invalid_argument("backend '" + w[i] + "' is not ADDRESS:PORT");
            check_address(w[i].substr(0, colon));
            parse_port_number(w[i].substr(colon + 1));
            r.service.backends.push_back(w[i]);
        }
    } else {
        throw std::invalid_argument("unknown request '" + w[0] + "' (add or del)");
    }
    if (!valid_name(w[1]))
        throw std::invalid_argument("bad service name '" + w[1] + "' ([A-Za-z0-9_-]{1,20})");
    r.service.name = w[1];
    return r;
}

std::vector<Op> Planner::plan_setup(const TableSnapshot& nat) const {
    std::vector<Op> ops;
    const Args jump = {"-j", services_chain};
    // Jumps of an earlier run first: a chain that is still referenced
    // cannot be deleted.
    for (const char* hook : {"PREROUTING", "OUTPUT"})
        for (const auto* r : nat.rules_of(hook))
            if (r->rule.target.verdict == Verdict::jump && r->rule.target.chain == services_chain) {
                Op del;
                del.kind = OpKind::del_rule;
                del.table = Table::nat;
                del.chain = hook;
                del.handle = r->rule.handle;
                ops.push_back(del);
            }
    // Then every chain of ours: all flushed, then all deleted (they jump
    // to each other).
    std::vector<std::string> ours;
    for (const auto& c : nat.chains)
        if (!c.builtin && (c.name == services_chain || c.name.starts_with(service_chain_prefix)))
            ours.push_back(c.name);
    for (const auto& c : ours) add_ops(ops, {"-F", c});
    for (const auto& c : ours) add_ops(ops, {"-X", c});
    add_ops(ops, {"-N", services_chain});
    add_ops(ops, {"-A", "PREROUTING", "-j", services_chain});
    add_ops(ops, {"-A", "OUTPUT", "-j", services_chain});
    return ops;
}

std::vector<Op> Planner::plan(const Request& r) const {
    std::vector<Op> ops;
    const Service& s = r.service;
    const auto known = services_.find(s.name);
    if (r.kind == Request::del) {
        if (known == services_.end()) throw std::invalid_argument("no service '" + s.name + "'");
        Args d = dispatch_rule(known->second);
        d.insert(d.begin(), {"-D", services_chain});
        add_ops(ops, d);
        add_ops(ops, {"-F", service_chain(s.name)});
        add_ops(ops, {"-X", service_chain(s.name)});
        return ops;
    }
    if (known == services_.end()) {
        add_ops(ops, {"-N", service_chain(s.name)});
        backend_rules(ops, s);
        Args a = dispatch_rule(s);
        a.insert(a.begin(), {"-A", services_chain});
        add_ops(ops, a);
        return ops;
    }
    const Service& old = known->second;
    if (old == s) return ops;
    if (old.backends != s.backends) {
        add_ops(ops, {"-F", service_chain(s.name)});
        backend_rules(ops, s);
    }
    if (old.vip != s.vip || old.port != s.port) {
        Args d = dispatch_rule(old);
        d.insert(d.begin(), {"-D", services_chain});
        add_ops(ops, d);
        Args a = dispatch_rule(s);
        a.insert(a.begin(), {"-A", services_chain});
        add_ops(ops, a);
    }
    return ops;
}

void Planner::commit(const Request& r) {
    if (r.kind == Request::del)
        services_.erase(r.service.name);
    else
        services_[r.service.name] = r.service;
}

}  // namespace nfgate::example
