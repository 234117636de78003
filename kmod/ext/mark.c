// SPDX-License-Identifier: GPL-2.0
/*
 * "mark" match: -m mark [!] --mark VALUE[/MASK], true when
 * (skb->mark & MASK) == VALUE, as xt_mark.
 */
#include <linux/skbuff.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_mark {
	u32	value;
	u32	mask;
	u8	inv;
	u8	zero[7];
};

static const struct nla_policy nfgate_mark_policy[NFGATE_MARK_A_MAX + 1] = {
	[NFGATE_MARK_A_VALUE]	= { .type = NLA_U32 },
	[NFGATE_MARK_A_MASK]	= { .type = NLA_U32 },
	[NFGATE_MARK_A_INV]	= { .type = NLA_FLAG },
};

static int nfgate_mark_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	struct nfgate_mark *m = priv;

	if (!tb[NFGATE_MARK_A_VALUE]) {
		NL_SET_ERR_MSG(ctx->extack, "mark match without VALUE");
		return -EINVAL;
	}
	m->value = nla_get_u32(tb[NFGATE_MARK_A_VALUE]);
	m->mask = tb[NFGATE_MARK_A_MASK] ? nla_get_u32(tb[NFGATE_MARK_A_MASK]) :
					   0xffffffff;
	m->inv = nla_get_flag(tb[NFGATE_MARK_A_INV]);
	return 0;
}

static bool nfgate_mark_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_mark *m = priv;

	return ((pkt->skb->mark & m->mask) == m->value) ^ m->inv;
}

static int nfgate_mark_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_mark *m = priv;

	if (nla_put_u32(skb, NFGATE_MARK_A_VALUE, m->value) ||
	    nla_put_u32(skb, NFGATE_MARK_A_MASK, m->mask) ||
	    (m->inv && nla_put_flag(skb, NFGATE_MARK_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_mark = {
	.name		= "mark",
	.size		= sizeof(struct nfgate_mark),
	.policy		= nfgate_mark_policy,
	.maxattr	= NFGATE_MARK_A_MAX,
	.init		= nfgate_mark_init,
	.match		= nfgate_mark_match,
	.dump		= nfgate_mark_dump,
};
