// SPDX-License-Identifier: GPL-2.0
// "DNAT" target (libxt_DNAT, IPv4 revision 2): --to-destination
// [ADDR[-ADDR]][:PORT[-PORT[/BASE]]] (once, required), --random,
// --persistent.  Parsing and text: nat_binding.cpp.
#include "ext/kinds.hpp"
#include "ext/nat_binding.hpp"

#include <linux/netfilter/nf_nat.h>

#include <array>

namespace nfgate {

namespace {

constexpr auto flags = std::to_array<NatFlagOption>({
    {"random", NF_NAT_RANGE_PROTO_RANDOM},
    {"persistent", NF_NAT_RANGE_PERSISTENT},
});

}  // namespace

const ExtKind& ext_DNAT() {
    static const NatBindingKind kind({"DNAT", "to-destination", true, flags});
    return kind;
}

}  // namespace nfgate
