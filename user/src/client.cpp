// SPDX-License-Identifier: GPL-2.0
// Client: libnl socket, family resolution, the receive loop (acks with
// extack, replies, dump parts), dumps with restart, snapshots and streamed
// transactions.
#include "nfgate/client.hpp"

#include "nfgate/reply.hpp"

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <regex>

namespace nfgate {

namespace {

constexpr int max_dump_attempts = 10;
// Transactions: requests per sendmsg and bytes per batch (well below the
// send buffer); receive buffer asked for (as root, beyond rmem_max) and the
// receive memory reckoned per request in flight (the error answer it may
// get; only the last of a batch is acked).
constexpr std::size_t batch_msgs = 128;
constexpr std::size_t batch_bytes = 64 * 1024;
constexpr int rcvbuf_bytes = 8 << 20;
constexpr std::size_t rcv_per_request = 4096;
constexpr std::size_t min_window = 16, max_window = 1024;
// recv_many: datagrams per recvmmsg and the room for each (transaction
// replies and acks are small; a truncated one is an error).
constexpr std::size_t rx_slots = 64;
constexpr std::size_t rx_slot_bytes = 8192;

struct FreeDeleter {
    void operator()(unsigned char* p) const { std::free(p); }
};

std::string errno_text(int err, const std::string& extack) {
    std::string s = std::strerror(err);
    if (!extack.empty()) s += ": " + extack;
    return s;
}

}  // namespace

std::optional<std::uint32_t> extack_operation(const std::string& extack) {
    static const std::regex re("operation ([0-9]+)");
    std::smatch m;
    if (std::regex_search(extack, m, re)) return static_cast<std::uint32_t>(std::stoul(m[1].str()));
    return std::nullopt;
}

void Client::SockDeleter::operator()(nl_sock* s) const { nl_socket_free(s); }

Client::Client() : sock_(nl_socket_alloc()) {
    if (!sock_) throw Error("cannot allocate a netlink socket");
    if (genl_connect(sock_.get()) < 0)
        throw Error("cannot open a generic netlink socket: " + std::string(std::strerror(errno)));
    nl_socket_disable_seq_check(sock_.get());
    nl_socket_enable_msg_peek(sock_.get());
    int one = 1;
    int fd = nl_socket_get_fd(sock_.get());
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
    nl_socket_set_buffer_size(sock_.get(), 1 << 20, 1 << 20);
    // Root may exceed net.core.rmem_max; a larger buffer allows a wider
    // transaction window.  Without privilege the 1 MiB request stands.
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf_bytes, sizeof(rcvbuf_bytes));
    family_ = genl_ctrl_resolve(sock_.get(), NFGATE_GENL_NAME);
    if (family_ < 0)
        throw Error("generic netlink family '" NFGATE_GENL_NAME "' not found (is the nfgate module loaded?)");
}

Client::~Client() = default;

// Requests of a transaction packed into one sendmsg buffer.  Only the last
// one asks for an ack (set by close()): the kernel runs them in order and
// reports every failure whatever the flags, so one ack per batch says the
// whole batch is done, at a hundredth of the acks to build and read.
struct Client::Batch {
    // Which requests: consecutive sequence numbers and operation indexes.
    struct Span {
        std::uint32_t first_seq = 0;
        int first_index = 0;
        std::size_t count = 0;
        std::uint32_t last_seq() const { return first_seq + static_cast<std::uint32_t>(count) - 1; }
        bool holds(std::uint32_t seq) const { return seq - first_seq < count; }
    };
    std::vector<unsigned char> buf;
    Span span;
    std::size_t last_off = 0;

    // Completes msg (port, sequence number) and appends it; false when it
    // does not fit next to the requests already there.
    bool add(nl_sock* sock, nl_msg* msg, int index) {
        nl_complete_msg(sock, msg);
        nlmsghdr* h = nlmsg_hdr(msg);
        h->nlmsg_flags &= ~NLM_F_ACK;
        std::size_t len = NLMSG_ALIGN(h->nlmsg_len);
        if (span.count > 0 && buf.size() + len > batch_bytes) return false;
        if (span.count == 0) {
            span.first_seq = h->nlmsg_seq;
            span.first_index = index;
        } else if (h->nlmsg_seq != span.first_seq + span.count) {
            throw Error("netlink sequence numbers of a batch are not consecutive");
        }
        last_off = buf.size();
        const auto* p = reinterpret_cast<const unsigned char*>(h);
        buf.insert(buf.end(), p, p + h->nlmsg_len);
        buf.resize(buf.size() + (len - h->nlmsg_len), 0);
        ++span.count;
        return true;
    }
    // The last request asks for the ack that ends the batch.
    void close() { reinterpret_cast<nlmsghdr*>(buf.data() + last_off)->nlmsg_flags |= NLM_F_ACK; }
    void clear() {
        buf.clear();
        span = Span{};
        last_off = 0;
    }
};

std::size_t Client::txn_window() const {
    int rcvbuf = 0;
    socklen_t len = sizeof(rcvbuf);
    if (getsockopt(nl_socket_get_fd(sock_.get()), SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) < 0 || rcvbuf <= 0)
        return min_window;
    return std::clamp(static_cast<std::size_t>(rcvbuf) / rcv_per_request, min_window, max_window);
}

void Client::send_batch(const Batch& b) {
    int rc = nl_sendto(sock_.get(), const_cast<unsigned char*>(b.buf.data()), b.buf.size());
    if (rc < 0) throw Error("netlink send failed: " + std::string(nl_geterror(rc)));
}

void Client::recv_many(const std::function<void(nlmsghdr*)>& on_msg) {
    if (rx_.empty()) rx_.resize(rx_slots * rx_slot_bytes);
    std::vector<mmsghdr> hdrs(rx_slots);
    std::vector<iovec> iov(rx_slots);
    for (std::size_t i = 0; i < rx_slots; ++i) {
        iov[i] = iovec{rx_.data() + i * rx_slot_bytes, rx_slot_bytes};
        hdrs[i] = mmsghdr{};
        hdrs[i].msg_hdr.msg_iov = &iov[i];
        hdrs[i].msg_hdr.msg_iovlen = 1;
    }
    int fd = nl_socket_get_fd(sock_.get());
    int n;
    do {
        n = recvmmsg(fd, hdrs.data(), rx_slots, MSG_WAITFORONE, nullptr);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == ENOBUFS)
            throw Error(
                "netlink receive buffer overrun: kernel replies were lost "
                "(the transaction is aborted; raise net.core.rmem_max)");
        throw Error("netlink receive failed: " + std::string(std::strerror(errno)));
    }
    for (int i = 0; i < n; ++i) {
        if (hdrs[i].msg_hdr.msg_flags & MSG_TRUNC)
            throw Error("netlink reply larger than the receive buffer");
        auto* nlh = reinterpret_cast<nlmsghdr*>(iov[i].iov_base);
        int len = static_cast<int>(hdrs[i].msg_len);
        while (nlmsg_ok(nlh, len)) {
            on_msg(nlh);
            nlh = nlmsg_next(nlh, &len);
        }
    }
}

std::uint32_t Client::send(MsgPtr& msg) {
    int rc = nl_send_auto(sock_.get(), msg.get());
    if (rc < 0) throw Error("netlink send failed: " + std::string(nl_geterror(rc)));
    return nlmsg_hdr(msg.get())->nlmsg_seq;
}

void Client::recv_once(const std::function<void(nlmsghdr*)>& on_msg) {
    sockaddr_nl addr{};
    unsigned char* raw = nullptr;
    int n = nl_recv(sock_.get(), &addr, &raw, nullptr);
    std::unique_ptr<unsigned char, FreeDeleter> buf(raw);
    if (n <= 0)
        throw Error("netlink receive failed: " + std::string(n < 0 ? nl_geterror(n) : "connection closed"));
    auto* nlh = reinterpret_cast<nlmsghdr*>(buf.get());
    while (nlmsg_ok(nlh, n)) {
        on_msg(nlh);
        nlh = nlmsg_next(nlh, &n);
    }
}

void Client::request(MsgPtr msg, const DataFn& on_data) {
    ReplyCollector rc(send(msg), false, on_data);
    while (!rc.done()) recv_once([&](nlmsghdr* nlh) { rc.feed(nlh); });
    if (const auto& err = rc.error())
        throw KernelError(err->error, err->extack, errno_text(err->error, err->extack));
}

bool Client::dump(MsgPtr msg, const DataFn& on_data) {
    nlmsg_hdr(msg.get())->nlmsg_flags |= NLM_F_DUMP;
    ReplyCollector rc(send(msg), true, on_data);
    while (!rc.done()) recv_once([&](nlmsghdr* nlh) { rc.feed(nlh); });
    if (const auto& err = rc.error())
        throw KernelError(err->error, err->extack, errno_text(err->error, err->extack));
    return !rc.interrupted();
}

ScalarReply Client::execute(const Op& op) {
    ScalarReply r;
    MsgPtr msg = encode_op(family_, op);
    // NEWRULE and REPLACERULE reply with the new handle only when asked.
    if (op.kind == OpKind::new_rule || op.kind == OpKind::replace_rule)
        nlmsg_hdr(msg.get())->nlmsg_flags |= NLM_F_ECHO;
    request(std::move(msg), [&](nlmsghdr* nlh) { r = parse_scalar_reply(nlh); });
    return r;
}

void Client::new_chain(Table t, const std::string& chain) {
    execute(Op{OpKind::new_chain, t, chain, {}, {}, {}, Verdict::none, {}, 0});
}

void Client::del_chain(Table t, const std::string& chain) {
    execute(Op{OpKind::del_chain, t, chain, {}, {}, {}, Verdict::none, {}, 0});
}

void Client::flush(Table t, const std::string& chain) {
    execute(Op{OpKind::flush, t, chain, {}, {}, {}, Verdict::none, {}, 0});
}

void Client::set_policy(Table t, const std::string& chain, Verdict policy,
                        const std::optional<Counters>& counters) {
    execute(Op{OpKind::set_policy, t, chain, {}, {}, {}, policy, counters, 0});
}

std::uint64_t Client::new_rule(Table t, const std::string& chain, const RuleSpec& r,
                               std::optional<std::uint32_t> position) {
    return execute(Op{OpKind::new_rule, t, chain, r, position, {}, Verdict::none, {}, 0}).handle.value_or(0);
}

void Client::del_rule(Table t, const std::string& chain, const RuleSpec& r) {
    execute(Op{OpKind::del_rule, t, chain, r, {}, {}, Verdict::none, {}, 0});
}

void Client::del_rule_at(Table t, const std::string& chain, std::uint32_t position) {
    execute(Op{OpKind::del_rule, t, chain, {}, position, {}, Verdict::none, {}, 0});
}

void Client::del_rule_handle(Table t, const std::string& chain, std::uint64_t handle) {
    execute(Op{OpKind::del_rule, t, chain, {}, {}, handle, Verdict::none, {}, 0});
}

std::uint64_t Client::replace_rule(Table t, const std::string& chain, std::uint32_t position,
                                   const RuleSpec& r) {
    return execute(Op{OpKind::replace_rule, t, chain, r, position, {}, Verdict::none, {}, 0})
        .handle.value_or(0);
}

void Client::zero(Table t, const std::string& chain, std::optional<std::uint32_t> position) {
    execute(Op{OpKind::zero, t, chain, {}, position, {}, Verdict::none, {}, 0});
}

std::vector<ChainInfo> Client::get_chains(Table t, const std::string& chain) {
    for (int attempt = 0; attempt < max_dump_attempts; ++attempt) {
        std::vector<ChainInfo> out;
        MsgPtr msg = new_request(family_, NFGATE_CMD_GETCHAIN);
        Op sel{OpKind::flush, t, chain, {}, {}, {}, Verdict::none, {}, 0};
        put_op(msg.get(), sel);
        if (dump(std::move(msg), [&](nlmsghdr* nlh) {
                auto c = parse_chain_msg(nlh);
                if (c.table == t) out.push_back(std::move(c.info));
            }))
            return out;
    }
    throw Error("chain dump kept being interrupted by concurrent changes");
}

std::optional<ChainInfo> Client::find_chain(Table t, const std::string& chain) {
    for (int attempt = 0; attempt < max_dump_attempts; ++attempt) {
        std::optional<ChainInfo> out;
        MsgPtr msg = new_request(family_, NFGATE_CMD_GETCHAIN);
        Op sel{OpKind::flush, t, chain, {}, {}, {}, Verdict::none, {}, 0};
        put_op(msg.get(), sel);
        nlmsg_hdr(msg.get())->nlmsg_flags |= NLM_F_DUMP;
        ReplyCollector rc(send(msg), true, [&](nlmsghdr* nlh) {
            auto c = parse_chain_msg(nlh);
            if (c.table == t) out = std::move(c.info);
        });
        while (!rc.done()) recv_once([&](nlmsghdr* nlh) { rc.feed(nlh); });
        if (const auto& err = rc.error()) {
            if (err->error == ENOENT) return std::nullopt;
            throw KernelError(err->error, err->extack, errno_text(err->error, err->extack));
        }
        if (!rc.interrupted()) return out;
    }
    throw Error("chain dump kept being interrupted by concurrent changes");
}

std::vector<RuleEntry> Client::get_rules(Table t, const std::string& chain) {
    for (int attempt = 0; attempt < max_dump_attempts; ++attempt) {
        std::vector<RuleEntry> out;
        MsgPtr msg = new_request(family_, NFGATE_CMD_GETRULE);
        Op sel{OpKind::flush, t, chain, {}, {}, {}, Verdict::none, {}, 0};
        put_op(msg.get(), sel);
        if (dump(std::move(msg), [&](nlmsghdr* nlh) {
                auto r = parse_rule_msg(nlh);
                if (r.table == t) out.push_back(std::move(r.entry));
            }))
            return out;
    }
    throw Error("rule dump kept being interrupted by concurrent changes");
}

std::uint64_t Client::get_gen() {
    ScalarReply r;
    request(new_request(family_, NFGATE_CMD_GETGEN), [&](nlmsghdr* nlh) { r = parse_scalar_reply(nlh); });
    return r.generation.value_or(0);
}

void Client::txn_begin(std::optional<std::uint64_t> generation) {
    MsgPtr msg = new_request(family_, NFGATE_CMD_TXN_BEGIN);
    if (generation) nla_put_u64(msg.get(), NFGATE_A_GENERATION, *generation);
    request(std::move(msg));
}

TxnOutcome Client::txn_commit(std::optional<std::uint64_t> generation) {
    MsgPtr msg = new_request(family_, NFGATE_CMD_TXN_COMMIT);
    if (generation) nla_put_u64(msg.get(), NFGATE_A_GENERATION, *generation);
    TxnOutcome out;
    request(std::move(msg), [&](nlmsghdr* nlh) {
        auto r = parse_scalar_reply(nlh);
        out.generation = r.generation.value_or(0);
        out.ops = r.txn_ops.value_or(0);
    });
    return out;
}

void Client::txn_abort() { request(new_request(family_, NFGATE_CMD_TXN_ABORT)); }

TableSnapshot Client::snapshot(Table t) {
    for (int attempt = 0; attempt < max_dump_attempts; ++attempt) {
        std::uint64_t g1 = get_gen();
        TableSnapshot s;
        s.table = t;
        s.generation = g1;
        s.chains = get_chains(t);
        s.rules = get_rules(t);
        if (get_gen() != g1) continue;
        for (auto& c : s.chains)
            if (!c.builtin) c.policy = Verdict::none;
        s.sort();
        return s;
    }
    throw Error("ruleset kept changing while it was being read");
}

TableSnapshot Client::snapshot_chain(Table t, const std::string& chain) {
    for (int attempt = 0; attempt < max_dump_attempts; ++attempt) {
        std::uint64_t g1 = get_gen();
        TableSnapshot s;
        s.table = t;
        s.generation = g1;
        if (auto c = find_chain(t, chain)) {
            s.chains.push_back(std::move(*c));
            s.rules = get_rules(t, chain);
        }
        if (get_gen() != g1) continue;
        for (auto& c : s.chains)
            if (!c.builtin) c.policy = Verdict::none;
        s.sort();
        return s;
    }
    throw Error("ruleset kept changing while it was being read");
}

TxnOutcome Client::run_transaction(const std::vector<Op>& ops, bool commit,
                                   std::optional<std::uint64_t> generation) {
    struct VectorSource : OpSource {
        explicit VectorSource(const std::vector<Op>& v) : ops(v) {}
        const Op* next() override { return i < ops.size() ? &ops[i++] : nullptr; }
        const std::vector<Op>& ops;
        std::size_t i = 0;
    } src(ops);
    return run_transaction(src, ops.size(), commit, generation);
}

TxnOutcome Client::run_transaction(OpSource& ops, std::size_t total, bool commit,
                                   std::optional<std::uint64_t> generation) {
    try {
        txn_begin(generation);
    } catch (const KernelError& e) {
        throw TxnError(e.error_number(), e.extack(), -1, e.what());
    }

    struct Failure {
        int index;
        AckInfo ack;
    };
    std::optional<Failure> failure;
    std::size_t sent = 0;              // operations taken from the source
    std::deque<Batch::Span> inflight;  // sent batches, oldest first
    std::size_t inflight_ops = 0;
    auto on_msg = [&](nlmsghdr* nlh) {
        if (nlh->nlmsg_type != NLMSG_ERROR) return;
        std::uint32_t seq = nlh->nlmsg_seq;
        auto it = std::find_if(inflight.begin(), inflight.end(),
                               [&](const Batch::Span& b) { return b.holds(seq); });
        if (it == inflight.end()) return;
        int index = it->first_index + static_cast<int>(seq - it->first_seq);
        AckInfo a = parse_ack(nlh);
        if (a.error && a.error != ECANCELED && (!failure || index < failure->index))
            failure = Failure{index, a};
        else if (a.error == ECANCELED && !failure)
            failure = Failure{index, a};
        if (seq == it->last_seq()) {
            // In-order processing: this batch, and any before it, are done.
            for (auto b = inflight.begin(); b != std::next(it); ++b) inflight_ops -= b->count;
            inflight.erase(inflight.begin(), std::next(it));
        }
    };

    // Pipelined: up to batch_msgs requests per sendmsg (the kernel runs
    // them in order before sendmsg returns), one ack per batch, at most
    // window() requests unacknowledged so that the error replies they may
    // produce fit the receive buffer (a reply that does not fit is dropped
    // by the kernel), acks read many per syscall.  An error names its
    // operation by sequence number.
    const std::size_t window = txn_window();
    Batch batch;
    auto flush = [&] {
        if (batch.span.count == 0) return;
        while (inflight_ops + batch.span.count > window) recv_many(on_msg);
        batch.close();
        send_batch(batch);
        inflight.push_back(batch.span);
        inflight_ops += batch.span.count;
        batch.clear();
    };
    try {
        for (std::size_t i = 0; !failure; ++i) {
            const Op* op = ops.next();
            if (!op) break;
            sent = i + 1;
            MsgPtr msg = encode_op(family_, *op);
            if (!batch.add(sock_.get(), msg.get(), static_cast<int>(i))) {
                flush();
                if (!batch.add(sock_.get(), msg.get(), static_cast<int>(i)))
                    throw Error("netlink message too large");
            }
            if (batch.span.count >= batch_msgs || batch.span.count >= window) flush();
            if (progress_) progress_(i + 1, std::max(total, i + 1));
        }
        flush();
        while (!inflight.empty()) recv_many(on_msg);
    } catch (...) {
        try {
            txn_abort();
        } catch (...) {
        }
        throw;
    }

    if (failure) {
        try {
            txn_abort();
        } catch (...) {
        }
        const auto& a = failure->ack;
        throw TxnError(a.error, a.extack, failure->index, errno_text(a.error, a.extack));
    }
    if (!commit) {
        txn_abort();
        return TxnOutcome{0, static_cast<std::uint32_t>(sent)};
    }
    try {
        return txn_commit(generation);
    } catch (const KernelError& e) {
        int index = -1;
        if (auto n = extack_operation(e.extack()); n && *n >= 1 && *n <= sent)
            index = static_cast<int>(*n - 1);
        throw TxnError(e.error_number(), e.extack(), index, e.what());
    }
}

}  // namespace nfgate
