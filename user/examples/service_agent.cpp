// SPDX-License-Identifier: GPL-2.0
// nfgate-example-agent: a small, long-running controller that keeps a set
// of TCP services in the kernel's nat table through the nfgate client
// library, the pattern a kube-proxy-like agent follows:
//
//   * one netlink socket (nfgate::Client) for the whole run;
//   * at start-up, one transaction that replaces whatever an earlier run
//     left with an empty service table (service_plan.hpp has the layout);
//   * then, for every request line read from stdin,
//         add NAME VIP PORT BACKEND_ADDRESS:PORT...
//         del NAME
//     exactly ONE transaction (Client::run_transaction): the kernel applies
//     all of a change's operations or none of them, and packets never see
//     a half-built service;
//   * the in-memory view (Planner) is updated only after the kernel
//     committed, so a refused change leaves agent and kernel in agreement.
//
// Each request gets one answer line on stdout:
//     ok NAME generation G (N operations)
//     error NAME: MESSAGE      (the change was refused, nothing changed)
//     error: MESSAGE           (the line is not a request)
// and the agent goes on with the next line (exit status 0 at end of input,
// 1 if the start-up transaction failed).  Run it in the network namespace
// whose tables it should manage, as root (CAP_NET_ADMIN).
#include "service_plan.hpp"

#include "nfgate/client.hpp"
#include "nfgate/error.hpp"

#include <iostream>
#include <stdexcept>
#include <string>

using nfgate::example::Planner;
using nfgate::example::Request;

int main() {
    nfgate::Client client;  // throws when the nfgate module is not loaded
    Planner planner;

    // Start-up: read the nat table once, then clean up and set up in one
    // transaction.  Passing the generation the snapshot was read at makes
    // the kernel refuse the transaction if anything changed in between.
    try {
        nfgate::TableSnapshot nat = client.snapshot(nfgate::Table::nat);
        client.run_transaction(planner.plan_setup(nat), true, nat.generation);
    } catch (const nfgate::Error& e) {
        std::cerr << "nfgate-example-agent: set-up failed: " << e.what() << "\n";
        return 1;
    }
    std::cout << "ready" << std::endl;

    std::string line;
    while (std::getline(std::cin, line)) {
        std::optional<Request> req;
        try {
            req = nfgate::example::parse_request(line);
            if (!req) continue;  // blank line or comment
            auto ops = planner.plan(*req);
            if (ops.empty()) {
                std::cout << "ok " << req->service.name << " unchanged" << std::endl;
                continue;
            }
            // The whole change, or nothing of it.
            nfgate::TxnOutcome done = client.run_transaction(ops);
            planner.commit(*req);
            std::cout << "ok " << req->service.name << " generation " << done.generation << " (" << done.ops
                      << " operations)" << std::endl;
        } catch (const std::exception& e) {
            // nfgate::TxnError names the operation the kernel refused; the
            // transaction was aborted and nothing changed.
            if (req)
                std::cout << "error " << req->service.name << ": " << e.what() << std::endl;
            else
                std::cout << "error: " << e.what() << std::endl;  // the line did not parse
        }
    }
    return 0;
}
