// SPDX-License-Identifier: GPL-2.0
// Every extension kind nfgate knows, once. A new kind is one file in this
// directory and one line here.
#include "ext/kinds.hpp"

#include <array>

namespace nfgate {

namespace {

const std::array<const ExtKind*, 7> match_kinds = {
    &ext_comment(),
    &ext_mark(),
    &ext_limit(),
    &ext_conntrack(),
    &ext_state(),
    &ext_connmark(),
    &ext_statistic(),
};

const std::array<const ExtKind*, 4> target_kinds = {
    &ext_MARK(),
    &ext_CONNMARK(),
    &ext_CT(),
    &ext_NOTRACK(),
};

}  // namespace

const ExtKind* find_match_kind(std::string_view name) {
    for (const auto* k : match_kinds)
        if (k->name() == name) return k;
    return nullptr;
}

const ExtKind* find_target_kind(std::string_view name) {
    for (const auto* k : target_kinds)
        if (k->name() == name) return k;
    return nullptr;
}

}  // namespace nfgate
