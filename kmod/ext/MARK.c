// SPDX-License-Identifier: GPL-2.0
/*
 * "MARK" target: -j MARK --set-xmark VALUE/MASK (and --set-mark,
 * --and-mark, --or-mark, --xor-mark, which user space writes as xmark):
 * skb->mark = (skb->mark & ~MASK) ^ VALUE, then the next rule, as xt_MARK.
 */
#include <linux/skbuff.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_xmark {
	u32	value;
	u32	mask;
};

static const struct nla_policy nfgate_xmark_policy[NFGATE_XMARK_A_MAX + 1] = {
	[NFGATE_XMARK_A_VALUE]	= { .type = NLA_U32 },
	[NFGATE_XMARK_A_MASK]	= { .type = NLA_U32 },
};

static int nfgate_xmark_init(const struct nfgate_ext_ctx *ctx,
			     struct nlattr **tb, void *priv)
{
	struct nfgate_xmark *x = priv;

	if (!tb[NFGATE_XMARK_A_VALUE] || !tb[NFGATE_XMARK_A_MASK]) {
		NL_SET_ERR_MSG(ctx->extack, "MARK needs VALUE and MASK");
		return -EINVAL;
	}
	x->value = nla_get_u32(tb[NFGATE_XMARK_A_VALUE]);
	x->mask = nla_get_u32(tb[NFGATE_XMARK_A_MASK]);
	return 0;
}

static unsigned int nfgate_xmark_target(const void *priv,
					struct nfgate_pkt *pkt)
{
	const struct nfgate_xmark *x = priv;

	pkt->skb->mark = (pkt->skb->mark & ~x->mask) ^ x->value;
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_xmark_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_xmark *x = priv;

	if (nla_put_u32(skb, NFGATE_XMARK_A_VALUE, x->value) ||
	    nla_put_u32(skb, NFGATE_XMARK_A_MASK, x->mask))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_MARK = {
	.name		= "MARK",
	.is_target	= true,
	.size		= sizeof(struct nfgate_xmark),
	.policy		= nfgate_xmark_policy,
	.maxattr	= NFGATE_XMARK_A_MAX,
	.init		= nfgate_xmark_init,
	.target		= nfgate_xmark_target,
	.dump		= nfgate_xmark_dump,
};
