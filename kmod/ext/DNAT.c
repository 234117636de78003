// SPDX-License-Identifier: GPL-2.0
/*
 * "DNAT" target (nat table, PREROUTING and OUTPUT): -j DNAT
 * --to-destination ADDR[-ADDR][:PORT[-PORT[/BASE]]] [--random]
 * [--persistent].  As xt_nat's: the connection's destination binding is
 * set up from the range (nf_nat_setup_info()); the nat table only sees a
 * connection's first packet, conntrack translates the rest.
 */
#include "../match.h"
#include "nat.h"

#define NFGATE_DNAT_FLAGS						\
	(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED |		\
	 NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PERSISTENT |		\
	 NF_NAT_RANGE_PROTO_OFFSET)

static int nfgate_dnat_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	return nfgate_nat_binding_init(ctx, tb, "DNAT", NFGATE_DNAT_FLAGS, priv);
}

static unsigned int nfgate_dnat_target(const void *priv,
				       struct nfgate_pkt *pkt)
{
	return nfgate_nat_bind(pkt, priv, NF_NAT_MANIP_DST);
}

const struct nfgate_ext_ops nfgate_ext_DNAT = {
	.name		= "DNAT",
	.is_target	= true,
	.size		= sizeof(struct nf_nat_range2),
	.policy		= nfgate_nat_policy,
	.maxattr	= NFGATE_NAT_A_MAX,
	.tables		= BIT(NFGATE_TABLE_NAT),
	.hooks		= BIT(NF_INET_PRE_ROUTING) | BIT(NF_INET_LOCAL_OUT),
	.conntrack	= true,
	.init		= nfgate_dnat_init,
	.target		= nfgate_dnat_target,
	.dump		= nfgate_nat_dump,
};
