// SPDX-License-Identifier: GPL-2.0
/*
 * "CHECKSUM" target: -j CHECKSUM --checksum-fill.  A packet whose
 * checksum is still left to the device (CHECKSUM_PARTIAL, not GSO) gets
 * it computed now, as xt_CHECKSUM does for guests behind a virtual bridge
 * that would otherwise see an empty UDP checksum (DHCP answers).  Then
 * the next rule.  mangle table only, as xt_CHECKSUM.
 */
#include <linux/netfilter.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_checksum {
	u8	op;	/* NFGATE_CHECKSUM_OP_* */
};

static const struct nla_policy nfgate_checksum_policy[NFGATE_CHECKSUM_A_MAX + 1] = {
	[NFGATE_CHECKSUM_A_OP]	= NLA_POLICY_MASK(NLA_U8, NFGATE_CHECKSUM_OP_FILL),
};

static int nfgate_checksum_init(const struct nfgate_ext_ctx *ctx,
				struct nlattr **tb, void *priv)
{
	struct nfgate_checksum *c = priv;

	if (tb[NFGATE_CHECKSUM_A_OP])
		c->op = nla_get_u8(tb[NFGATE_CHECKSUM_A_OP]);
	if (!c->op) {
		NL_SET_ERR_MSG(ctx->extack,
			       "CHECKSUM: an operation (--checksum-fill) is required");
		return -EINVAL;
	}
	return 0;
}

static unsigned int nfgate_checksum_target(const void *priv,
					   struct nfgate_pkt *pkt)
{
	struct sk_buff *skb = pkt->skb;

	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb)) {
		if (ip_check_csum_start(skb))
			return NF_DROP;
		skb_checksum_help(skb);
	}
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_checksum_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_checksum *c = priv;

	return nla_put_u8(skb, NFGATE_CHECKSUM_A_OP, c->op);
}

const struct nfgate_ext_ops nfgate_ext_CHECKSUM = {
	.name		= "CHECKSUM",
	.is_target	= true,
	.size		= sizeof(struct nfgate_checksum),
	.policy		= nfgate_checksum_policy,
	.maxattr	= NFGATE_CHECKSUM_A_MAX,
	.tables		= BIT(NFGATE_TABLE_MANGLE),
	.init		= nfgate_checksum_init,
	.target		= nfgate_checksum_target,
	.dump		= nfgate_checksum_dump,
};
