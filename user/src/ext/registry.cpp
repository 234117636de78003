// SPDX-License-Identifier: GPL-2.0
// Every extension kind nfgate knows, once. A new kind is one file in this
// directory and one line here.
#include "ext/kinds.hpp"

#include <array>

namespace nfgate {

namespace {

const auto match_kinds = std::to_array<const ExtKind*>({
    &ext_comment(),
    &ext_mark(),
    &ext_limit(),
    &ext_hashlimit(),
    &ext_addrtype(),
    &ext_icmp(),
    &ext_multiport(),
    &ext_conntrack(),
    &ext_state(),
    &ext_connmark(),
    &ext_statistic(),
    &ext_iprange(),
    &ext_length(),
    &ext_ttl(),
    &ext_pkttype(),
    &ext_mac(),
    &ext_owner(),
    &ext_recent(),
    &ext_connlimit(),
    &ext_nfacct(),
});

const auto target_kinds = std::to_array<const ExtKind*>({
    &ext_MARK(),
    &ext_CONNMARK(),
    &ext_CT(),
    &ext_NOTRACK(),
    &ext_REJECT(),
    &ext_LOG(),
    &ext_NFQUEUE(),
    &ext_QUEUE(),
    &ext_DNAT(),
    &ext_SNAT(),
    &ext_MASQUERADE(),
    &ext_REDIRECT(),
    &ext_TCPMSS(),
    &ext_CHECKSUM(),
    &ext_TTL(),
    &ext_NFLOG(),
});

}  // namespace

const ExtKind* find_match_kind(std::string_view name) {
    for (const auto* k : match_kinds)
        if (k->name() == name) return k;
    return nullptr;
}

std::span<const ExtKind* const> all_match_kinds() { return match_kinds; }

std::span<const ExtKind* const> all_target_kinds() { return target_kinds; }

const ExtKind* find_target_kind(std::string_view name) {
    for (const auto* k : target_kinds)
        if (k->name() == name) return k;
    return nullptr;
}

}  // namespace nfgate
