// SPDX-License-Identifier: GPL-2.0
// The planning half of the example service agent (service_agent.cpp): what
// one change of the service set does to the nat table, as a list of
// operations the client library sends as ONE transaction.  Pure code, no
// socket: unit-tested in user/tests/test_example_agent.cpp.
//
// The shape is kube-proxy's, reduced:
//
//   PREROUTING, OUTPUT  -j NFGATE-SERVICES
//   NFGATE-SERVICES     -d VIP/32 -p tcp -m tcp --dport PORT
//                       -m comment --comment "service NAME" -j NFGSVC-NAME
//   NFGSVC-NAME         one rule per backend: -p tcp -m statistic --mode random
//                       --probability 1/(n-i) -j DNAT --to-destination B
//                       (the last one without the statistic match)
//
// so a connection to VIP:PORT is spread evenly over the backends and the
// kernel's conntrack keeps each connection on the backend it got.
#pragma once

#include "nfgate/op.hpp"
#include "nfgate/ruleset.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nfgate::example {

struct Service {
    std::string name;                   // [A-Za-z0-9_-], at most 20 characters
    std::string vip;                    // dotted IPv4 address
    std::uint16_t port = 0;             // TCP port on the VIP
    std::vector<std::string> backends;  // "ADDRESS:PORT", at least one
    friend bool operator==(const Service&, const Service&) = default;
};

// One input line: "add NAME VIP PORT BACKEND..." or "del NAME".
struct Request {
    enum Kind { add, del } kind = add;
    Service service;  // del: only the name
};

// Parses one line; nullopt for a blank line or a '#' comment.  Throws
// std::invalid_argument with a message for anything else it cannot take.
std::optional<Request> parse_request(std::string_view line);

inline constexpr const char* services_chain = "NFGATE-SERVICES";
inline constexpr const char* service_chain_prefix = "NFGSVC-";

// "NFGSVC-" + name.
std::string service_chain(std::string_view name);

// The set of services the kernel holds, and the operations of each change.
// plan_*() only plan; commit() records a change once its transaction was
// committed, so a refused transaction leaves the planner as the kernel is.
class Planner {
public:
    // The start-up transaction, from a snapshot of the nat table: removes
    // what an earlier run left (its jumps, NFGATE-SERVICES, every NFGSVC-
    // chain) and creates NFGATE-SERVICES and the two jumps afresh.
    std::vector<Op> plan_setup(const TableSnapshot& nat) const;

    // One change.  add of a new service: its chain, its backend rules, its
    // dispatch rule.  add of a known one: the chain's rules replaced (flush
    // and refill) and, if the VIP or port changed, its dispatch rule.
    // del: dispatch rule, chain flushed and deleted.  Empty when the
    // change changes nothing (the same add twice).  Throws
    // std::invalid_argument for del of an unknown service.
    std::vector<Op> plan(const Request& r) const;
    void commit(const Request& r);

    const std::map<std::string, Service>& services() const { return services_; }

private:
    std::map<std::string, Service> services_;
};

}  // namespace nfgate::example
