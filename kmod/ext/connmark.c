// SPDX-License-Identifier: GPL-2.0
/*
 * "connmark" match: -m connmark [!] --mark VALUE[/MASK], true when the
 * packet has a conntrack entry and (ct->mark & MASK) == VALUE, "!"
 * inverting only the comparison, as xt_connmark.  A rule using it holds
 * conntrack for its namespace.
 */
#include <net/netfilter/nf_conntrack.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_connmark {
	u32	value;
	u32	mask;
	u8	inv;
	u8	zero[7];
};

static const struct nla_policy
nfgate_connmark_policy[NFGATE_CONNMARK_A_MAX + 1] = {
	[NFGATE_CONNMARK_A_VALUE]	= { .type = NLA_U32 },
	[NFGATE_CONNMARK_A_MASK]	= { .type = NLA_U32 },
	[NFGATE_CONNMARK_A_INV]		= { .type = NLA_FLAG },
};

static int nfgate_connmark_init(const struct nfgate_ext_ctx *ctx,
				struct nlattr **tb, void *priv)
{
	struct nfgate_connmark *m = priv;

	if (!tb[NFGATE_CONNMARK_A_VALUE]) {
		NL_SET_ERR_MSG(ctx->extack, "connmark match without VALUE");
		return -EINVAL;
	}
	m->value = nla_get_u32(tb[NFGATE_CONNMARK_A_VALUE]);
	m->mask = tb[NFGATE_CONNMARK_A_MASK] ?
		  nla_get_u32(tb[NFGATE_CONNMARK_A_MASK]) : 0xffffffff;
	m->inv = nla_get_flag(tb[NFGATE_CONNMARK_A_INV]);
	return 0;
}

static bool nfgate_connmark_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_connmark *m = priv;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;

	ct = nf_ct_get(pkt->skb, &ctinfo);
	if (!ct)
		return false;
	return ((READ_ONCE(ct->mark) & m->mask) == m->value) ^ m->inv;
}

static int nfgate_connmark_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_connmark *m = priv;

	if (nla_put_u32(skb, NFGATE_CONNMARK_A_VALUE, m->value) ||
	    nla_put_u32(skb, NFGATE_CONNMARK_A_MASK, m->mask) ||
	    (m->inv && nla_put_flag(skb, NFGATE_CONNMARK_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_connmark = {
	.name		= "connmark",
	.size		= sizeof(struct nfgate_connmark),
	.policy		= nfgate_connmark_policy,
	.maxattr	= NFGATE_CONNMARK_A_MAX,
	.conntrack	= true,
	.init		= nfgate_connmark_init,
	.match		= nfgate_connmark_match,
	.dump		= nfgate_connmark_dump,
};
