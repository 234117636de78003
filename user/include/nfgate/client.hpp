// SPDX-License-Identifier: GPL-2.0
// The nfgate netlink client: one RAII libnl socket bound to the "nfgate"
// generic netlink family; request/ack with extack messages, dumps with
// NLM_F_DUMP_INTR restart, consistent table snapshots, one method per
// protocol command, and streamed transactions (TXN_BEGIN, ops pipelined many
// per sendmsg, TXN_COMMIT).
#pragma once

#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/op.hpp"
#include "nfgate/ruleset.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct nl_sock;

namespace nfgate {

// A failed transaction: the operation at fault (index into the ops given,
// -1 when BEGIN/COMMIT itself failed), its errno and extack text.
class TxnError : public KernelError {
public:
    TxnError(int err, std::string extack, int op_index, const std::string& msg)
        : KernelError(err, std::move(extack), msg), op_index_(op_index) {}
    int op_index() const { return op_index_; }

private:
    int op_index_;
};

struct TxnOutcome {
    std::uint64_t generation = 0;
    std::uint32_t ops = 0;
};

// "operation N: ..." in a commit's extack -> N (1-based), if present.
std::optional<std::uint32_t> extack_operation(const std::string& extack);

class Client {
public:
    // Opens the socket and resolves the family; throws Error when the
    // module is not loaded.
    Client();
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    int family() const { return family_; }

    // One method per protocol command. Write methods throw KernelError.
    void new_chain(Table t, const std::string& chain);
    void del_chain(Table t, const std::string& chain = {});
    void flush(Table t, const std::string& chain = {});
    void set_policy(Table t, const std::string& chain, Verdict policy,
                    const std::optional<Counters>& counters = std::nullopt);
    std::uint64_t new_rule(Table t, const std::string& chain, const RuleSpec& r,
                           std::optional<std::uint32_t> position = std::nullopt);
    void del_rule(Table t, const std::string& chain, const RuleSpec& r);
    void del_rule_at(Table t, const std::string& chain, std::uint32_t position);
    void del_rule_handle(Table t, const std::string& chain, std::uint64_t handle);
    std::uint64_t replace_rule(Table t, const std::string& chain, std::uint32_t position, const RuleSpec& r);
    void zero(Table t, const std::string& chain = {}, std::optional<std::uint32_t> position = std::nullopt);
    std::vector<ChainInfo> get_chains(Table t, const std::string& chain = {});
    // One chain by name, nullopt when there is none (without throwing: the
    // first C++ exception of a process costs ~0.1 s of unwinder set-up in
    // the static binary, more than a whole one-service change).
    std::optional<ChainInfo> find_chain(Table t, const std::string& chain);
    std::vector<RuleEntry> get_rules(Table t, const std::string& chain = {});
    std::uint64_t get_gen();
    void txn_begin(std::optional<std::uint64_t> generation = std::nullopt);
    TxnOutcome txn_commit(std::optional<std::uint64_t> generation = std::nullopt);
    void txn_abort();

    // Any write operation; returns the reply's scalars (NEWRULE handle).
    ScalarReply execute(const Op& op);

    // Chains and rules of one table from one committed generation.
    TableSnapshot snapshot(Table t);
    // Only CHAIN and its rules (no chain of that name: no chains, no
    // rules): what `-S CHAIN` prints, without dumping the whole table.
    TableSnapshot snapshot_chain(Table t, const std::string& chain);

    // TXN_BEGIN, every op (streamed, acks collected as they come), then
    // TXN_COMMIT (commit=true) or TXN_ABORT (commit=false: validate only).
    // Throws TxnError naming the failing op; the transaction is then
    // aborted and nothing changed.
    TxnOutcome run_transaction(const std::vector<Op>& ops, bool commit = true,
                               std::optional<std::uint64_t> generation = std::nullopt);

    // The operations of a transaction pulled one at a time, so that they
    // are made while the kernel takes the ones before (a bulk load never
    // holds all of them).  next() returns nullptr at the end; an exception
    // from it aborts the transaction and is passed on.
    class OpSource {
    public:
        virtual ~OpSource() = default;
        virtual const Op* next() = 0;
    };
    // run_transaction() from a source; `total` (an estimate) is what the
    // progress callback reports as the total.  A TxnError's op_index()
    // counts the source's operations from 0.
    TxnOutcome run_transaction(OpSource& ops, std::size_t total, bool commit = true,
                               std::optional<std::uint64_t> generation = std::nullopt);

    // Called by run_transaction after each operation it sends: (sent, total).
    using ProgressFn = std::function<void(std::size_t, std::size_t)>;
    void on_progress(ProgressFn fn) { progress_ = std::move(fn); }

private:
    struct SockDeleter {
        void operator()(nl_sock* s) const;
    };
    using DataFn = std::function<void(nlmsghdr*)>;
    struct Batch;

    // Transaction pipelining: requests allowed in flight (from the receive
    // buffer size), one sendmsg of many requests, many datagrams per recv.
    std::size_t txn_window() const;
    void send_batch(const Batch& b);
    void recv_many(const std::function<void(nlmsghdr*)>& on_msg);

    std::uint32_t send(MsgPtr& msg);
    // Reads one datagram; calls on_msg for each message in it.
    void recv_once(const std::function<void(nlmsghdr*)>& on_msg);
    // Sends and waits for the ack; data replies go to on_data.
    void request(MsgPtr msg, const DataFn& on_data = {});
    // Runs a dump; returns false when it was interrupted (NLM_F_DUMP_INTR).
    bool dump(MsgPtr msg, const DataFn& on_data);

    std::unique_ptr<nl_sock, SockDeleter> sock_;
    int family_ = 0;
    ProgressFn progress_;
    std::vector<unsigned char> rx_;  // recv_many's datagram buffers
};

}  // namespace nfgate
