// SPDX-License-Identifier: GPL-2.0
// Running write operations from the CLI and explaining kernel errors with
// the names of the objects involved.
#include "commands.hpp"

#include "nfgate/iptables_text.hpp"
#include "nfgate/messages.hpp"

#include <cerrno>
#include <chrono>
#include <thread>

namespace nfgate::cli {

void throw_explained(Client& client, const Op& op, const KernelError& e) {
    ErrorContext ctx;
    if (e.error_number() == ENOENT) {
        try {
            auto chains = client.get_chains(op.table);
            auto exists = [&](const std::string& name) {
                for (const auto& c : chains)
                    if (c.name == name) return true;
                return false;
            };
            if (!op.chain.empty()) ctx.chain_exists = exists(op.chain);
            if (op.rule && !op.rule->target.chain.empty()) ctx.target_exists = exists(op.rule->target.chain);
        } catch (const Error&) {
        }
    }
    throw KernelError(e.error_number(), e.extack(), explain_error(op, e.error_number(), e.extack(), ctx),
                      iptables_kernel_text(op, e.error_number(), ctx));
}

namespace {

// Runs fn, retrying while the ruleset is busy (EBUSY) if -w was given.
template <typename Fn>
auto with_wait(const WaitPolicy& wait, Fn fn) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + std::chrono::seconds(wait.seconds);
    while (true) {
        try {
            return fn();
        } catch (const KernelError& e) {
            bool busy = e.error_number() == EBUSY;
            if (!busy || !wait.wait || (wait.seconds && clock::now() >= deadline)) throw;
            std::this_thread::sleep_for(std::chrono::microseconds(wait.interval_us));
        }
    }
}

}  // namespace

ScalarReply execute_op(Client& client, const Op& op, const WaitPolicy& wait) {
    try {
        return with_wait(wait, [&] { return client.execute(op); });
    } catch (const KernelError& e) {
        throw_explained(client, op, e);
    }
}

void execute_ops(Client& client, const std::vector<Op>& ops, const WaitPolicy& wait) {
    if (ops.size() == 1) {
        execute_op(client, ops.front(), wait);
        return;
    }
    try {
        with_wait(wait, [&] { return client.run_transaction(ops); });
    } catch (const TxnError& e) {
        if (e.op_index() >= 0) throw_explained(client, ops[static_cast<std::size_t>(e.op_index())], e);
        // TXN_BEGIN or TXN_COMMIT itself failed (EBUSY, ESTALE, ...).
        throw KernelError(e.error_number(), e.extack(), explain_error(Op{}, e.error_number(), e.extack()),
                          iptables_kernel_text(Op{}, e.error_number(), {}));
    }
}

}  // namespace nfgate::cli
