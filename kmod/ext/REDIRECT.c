// SPDX-License-Identifier: GPL-2.0
/*
 * "REDIRECT" target (nat table, PREROUTING and OUTPUT): -j REDIRECT
 * [--to-ports PORT[-PORT]] [--random].  As xt_REDIRECT's: destination NAT
 * to the receiving device's primary address, or to 127.0.0.1 for locally
 * generated packets (nf_nat_redirect_ipv4()).
 */
#include <net/netfilter/nf_nat_redirect.h>

#include "../match.h"
#include "nat.h"

#define NFGATE_REDIRECT_FLAGS						\
	(NF_NAT_RANGE_PROTO_SPECIFIED | NF_NAT_RANGE_PROTO_RANDOM)

static int nfgate_redirect_init(const struct nfgate_ext_ctx *ctx,
				struct nlattr **tb, void *priv)
{
	return nfgate_nat_init(ctx, tb, "REDIRECT", NFGATE_REDIRECT_FLAGS,
			       priv);
}

static unsigned int nfgate_redirect_target(const void *priv,
					   struct nfgate_pkt *pkt)
{
	return nf_nat_redirect_ipv4(pkt->skb, priv, pkt->state->hook);
}

const struct nfgate_ext_ops nfgate_ext_REDIRECT = {
	.name		= "REDIRECT",
	.is_target	= true,
	.size		= sizeof(struct nf_nat_range2),
	.policy		= nfgate_nat_policy,
	.maxattr	= NFGATE_NAT_A_MAX,
	.tables		= BIT(NFGATE_TABLE_NAT),
	.hooks		= BIT(NF_INET_PRE_ROUTING) | BIT(NF_INET_LOCAL_OUT),
	.conntrack	= true,
	.init		= nfgate_redirect_init,
	.target		= nfgate_redirect_target,
	.dump		= nfgate_nat_dump,
};
