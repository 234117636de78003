// SPDX-License-Identifier: GPL-2.0
// The kinds of user/src/ext/, each defined in the file of its name; only
// registry.cpp lists them.
#pragma once

#include "nfgate/ext.hpp"

namespace nfgate {

const ExtKind& ext_comment();
const ExtKind& ext_mark();
const ExtKind& ext_limit();
const ExtKind& ext_hashlimit();
const ExtKind& ext_MARK();
const ExtKind& ext_conntrack();
const ExtKind& ext_state();
const ExtKind& ext_connmark();
const ExtKind& ext_CONNMARK();
const ExtKind& ext_statistic();
const ExtKind& ext_CT();
const ExtKind& ext_NOTRACK();
const ExtKind& ext_REJECT();
const ExtKind& ext_LOG();
const ExtKind& ext_NFQUEUE();
const ExtKind& ext_QUEUE();
const ExtKind& ext_addrtype();
const ExtKind& ext_DNAT();
const ExtKind& ext_SNAT();
const ExtKind& ext_MASQUERADE();
const ExtKind& ext_REDIRECT();
const ExtKind& ext_icmp();
const ExtKind& ext_multiport();
const ExtKind& ext_TCPMSS();
const ExtKind& ext_CHECKSUM();
const ExtKind& ext_TTL();
const ExtKind& ext_NFLOG();
const ExtKind& ext_iprange();
const ExtKind& ext_length();
const ExtKind& ext_ttl();
const ExtKind& ext_pkttype();
const ExtKind& ext_mac();
const ExtKind& ext_owner();
const ExtKind& ext_recent();
const ExtKind& ext_connlimit();
const ExtKind& ext_nfacct();

}  // namespace nfgate
