// SPDX-License-Identifier: GPL-2.0
// "SNAT" target (iptables 1.8.9): --to-source [ADDR[-ADDR]][:PORT[-PORT]]
// (once, required), --random, --random-fully, --persistent.  iptables
// parses a "/BASE" here too but keeps no base port for SNAT (it saves
// "/0"); nfgate refuses it.  Parsing and text: nat_binding.cpp.
#include "ext/kinds.hpp"
#include "ext/nat_binding.hpp"

#include <linux/netfilter/nf_nat.h>

#include <array>

namespace nfgate {

namespace {

constexpr auto flags = std::to_array<NatFlagOption>({
    {"random", NF_NAT_RANGE_PROTO_RANDOM},
    {"random-fully", NF_NAT_RANGE_PROTO_RANDOM_FULLY},
    {"persistent", NF_NAT_RANGE_PERSISTENT},
});

}  // namespace

const ExtKind& ext_SNAT() {
    static const NatBindingKind kind({"SNAT", "to-source", false, flags});
    return kind;
}

}  // namespace nfgate
