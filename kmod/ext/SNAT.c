// SPDX-License-Identifier: GPL-2.0
/*
 * "SNAT" target (nat table, POSTROUTING and INPUT): -j SNAT --to-source
 * ADDR[-ADDR][:PORT[-PORT]] [--random] [--random-fully] [--persistent].
 * As xt_nat's: the connection's source binding is set up from the range
 * (nf_nat_setup_info()).
 */
#include "../match.h"
#include "nat.h"

#define NFGATE_SNAT_FLAGS						\
	(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED |		\
	 NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PROTO_RANDOM_FULLY |	\
	 NF_NAT_RANGE_PERSISTENT)

static int nfgate_snat_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	return nfgate_nat_binding_init(ctx, tb, "SNAT", NFGATE_SNAT_FLAGS, priv);
}

static unsigned int nfgate_snat_target(const void *priv,
				       struct nfgate_pkt *pkt)
{
	return nfgate_nat_bind(pkt, priv, NF_NAT_MANIP_SRC);
}

const struct nfgate_ext_ops nfgate_ext_SNAT = {
	.name		= "SNAT",
	.is_target	= true,
	.size		= sizeof(struct nf_nat_range2),
	.policy		= nfgate_nat_policy,
	.maxattr	= NFGATE_NAT_A_MAX,
	.tables		= BIT(NFGATE_TABLE_NAT),
	.hooks		= BIT(NF_INET_POST_ROUTING) | BIT(NF_INET_LOCAL_IN),
	.conntrack	= true,
	.init		= nfgate_snat_init,
	.target		= nfgate_snat_target,
	.dump		= nfgate_nat_dump,
};
