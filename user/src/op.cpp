// SPDX-License-Identifier: GPL-2.0
// Protocol command numbers of the write operations.
#include "nfgate/op.hpp"

namespace nfgate {

std::uint8_t op_command(OpKind k) {
    switch (k) {
        case OpKind::new_chain:
            return NFGATE_CMD_NEWCHAIN;
        case OpKind::del_chain:
            return NFGATE_CMD_DELCHAIN;
        case OpKind::flush:
            return NFGATE_CMD_FLUSH;
        case OpKind::set_policy:
            return NFGATE_CMD_SETPOLICY;
        case OpKind::new_rule:
            return NFGATE_CMD_NEWRULE;
        case OpKind::del_rule:
            return NFGATE_CMD_DELRULE;
        case OpKind::replace_rule:
            return NFGATE_CMD_REPLACERULE;
        case OpKind::zero:
            return NFGATE_CMD_ZERO;
    }
    return NFGATE_CMD_UNSPEC;
}

}  // namespace nfgate
