// SPDX-License-Identifier: GPL-2.0
// ReplyCollector tests with synthetic messages: request replies and ACKs,
// dumps with NLMSG_DONE, errors with extack, NLM_F_DUMP_INTR, other seqs.
#include "nfgate/reply.hpp"

#include <linux/netlink.h>
#include <netlink/attr.h>

#include <gtest/gtest.h>

#include <cerrno>

namespace nfgate {
namespace {

MsgPtr data_msg(std::uint32_t seq, int flags = NLM_F_MULTI) {
    MsgPtr m = new_request(0x20, NFGATE_CMD_GETCHAIN, flags);
    nlmsg_hdr(m.get())->nlmsg_seq = seq;
    return m;
}

MsgPtr done_msg(std::uint32_t seq) {
    MsgPtr m(nlmsg_alloc());
    nlmsg_put(m.get(), 0, seq, NLMSG_DONE, sizeof(int), NLM_F_MULTI);
    return m;
}

MsgPtr ack_msg(std::uint32_t seq, int err, const char* extack = nullptr) {
    MsgPtr m(nlmsg_alloc());
    nlmsg_put(m.get(), 0, seq, NLMSG_ERROR, 0, NLM_F_CAPPED | (extack ? NLM_F_ACK_TLVS : 0));
    nlmsgerr e{};
    e.error = -err;
    nlmsg_append(m.get(), &e, sizeof(e), 0);
    if (extack) nla_put_string(m.get(), NLMSGERR_ATTR_MSG, extack);
    return m;
}

TEST(Reply, RequestWithDataThenAck) {
    int data = 0;
    ReplyCollector rc(7, false, [&](nlmsghdr*) { ++data; });
    rc.feed(nlmsg_hdr(data_msg(6).get()));  // someone else's
    rc.feed(nlmsg_hdr(data_msg(7, 0).get()));
    EXPECT_FALSE(rc.done());
    rc.feed(nlmsg_hdr(ack_msg(7, 0).get()));
    EXPECT_TRUE(rc.done());
    EXPECT_FALSE(rc.error());
    EXPECT_EQ(data, 1);
}

TEST(Reply, RequestError) {
    ReplyCollector rc(3, false);
    rc.feed(nlmsg_hdr(ack_msg(3, EEXIST, "chain exists").get()));
    ASSERT_TRUE(rc.done());
    ASSERT_TRUE(rc.error());
    EXPECT_EQ(rc.error()->error, EEXIST);
    EXPECT_EQ(rc.error()->extack, "chain exists");
}

TEST(Reply, DumpUntilDone) {
    int data = 0;
    ReplyCollector rc(9, true, [&](nlmsghdr*) { ++data; });
    rc.feed(nlmsg_hdr(data_msg(9).get()));
    rc.feed(nlmsg_hdr(data_msg(9).get()));
    rc.feed(nlmsg_hdr(ack_msg(9, 0).get()));  // not the end of a dump
    EXPECT_FALSE(rc.done());
    rc.feed(nlmsg_hdr(done_msg(9).get()));
    EXPECT_TRUE(rc.done());
    EXPECT_FALSE(rc.interrupted());
    EXPECT_EQ(data, 2);
}

TEST(Reply, DumpInterrupted) {
    int data = 0;
    ReplyCollector rc(4, true, [&](nlmsghdr*) { ++data; });
    rc.feed(nlmsg_hdr(data_msg(4).get()));
    rc.feed(nlmsg_hdr(data_msg(4, NLM_F_MULTI | NLM_F_DUMP_INTR).get()));
    rc.feed(nlmsg_hdr(data_msg(4).get()));
    rc.feed(nlmsg_hdr(done_msg(4).get()));
    EXPECT_TRUE(rc.done());
    EXPECT_TRUE(rc.interrupted());
    EXPECT_EQ(data, 1);
}

TEST(Reply, DumpError) {
    ReplyCollector rc(5, true);
    rc.feed(nlmsg_hdr(ack_msg(5, EPERM).get()));
    EXPECT_TRUE(rc.done());
    EXPECT_EQ(rc.error()->error, EPERM);
}

}  // namespace
}  // namespace nfgate
