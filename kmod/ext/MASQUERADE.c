// SPDX-License-Identifier: GPL-2.0
/*
 * "MASQUERADE" target (nat table, POSTROUTING): -j MASQUERADE
 * [--to-ports PORT[-PORT]] [--random] [--random-fully].  As
 * xt_MASQUERADE's: source NAT to the output device's address for this
 * destination (nf_nat_masquerade_ipv4()).  Its device and address
 * notifiers, which drop masqueraded connections when their address goes,
 * are registered once for the module (main.c), as nft_masq does.
 */
#include <net/netfilter/nf_nat_masquerade.h>

#include "../match.h"
#include "nat.h"

#define NFGATE_MASQ_FLAGS						\
	(NF_NAT_RANGE_PROTO_SPECIFIED | NF_NAT_RANGE_PROTO_RANDOM |	\
	 NF_NAT_RANGE_PROTO_RANDOM_FULLY)

static int nfgate_masq_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	return nfgate_nat_init(ctx, tb, "MASQUERADE", NFGATE_MASQ_FLAGS, priv);
}

static unsigned int nfgate_masq_target(const void *priv,
				       struct nfgate_pkt *pkt)
{
	return nf_nat_masquerade_ipv4(pkt->skb, pkt->state->hook, priv,
				      pkt->state->out);
}

const struct nfgate_ext_ops nfgate_ext_MASQUERADE = {
	.name		= "MASQUERADE",
	.is_target	= true,
	.size		= sizeof(struct nf_nat_range2),
	.policy		= nfgate_nat_policy,
	.maxattr	= NFGATE_NAT_A_MAX,
	.tables		= BIT(NFGATE_TABLE_NAT),
	.hooks		= BIT(NF_INET_POST_ROUTING),
	.conntrack	= true,
	.init		= nfgate_masq_init,
	.target		= nfgate_masq_target,
	.dump		= nfgate_nat_dump,
};
