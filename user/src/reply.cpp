// SPDX-License-Identifier: GPL-2.0
// ReplyCollector: per-request reply state machine of the client.
#include "nfgate/reply.hpp"

#include <linux/netlink.h>

namespace nfgate {

void ReplyCollector::feed(nlmsghdr* nlh) {
    if (done_ || nlh->nlmsg_seq != seq_) return;
    if (dump_ && (nlh->nlmsg_flags & NLM_F_DUMP_INTR)) interrupted_ = true;
    if (nlh->nlmsg_type == NLMSG_DONE) {
        done_ = true;
    } else if (nlh->nlmsg_type == NLMSG_ERROR) {
        AckInfo a = parse_ack(nlh);
        if (a.error) error_ = a;
        // A dump ends with NLMSG_DONE; an ACK (error 0) there is not the end.
        if (!dump_ || a.error) done_ = true;
    } else if (on_data_ && !interrupted_) {
        on_data_(nlh);
    }
}

}  // namespace nfgate
