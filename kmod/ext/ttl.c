// SPDX-License-Identifier: GPL-2.0
/*
 * "ttl" match: -m ttl --ttl-eq|--ttl-lt|--ttl-gt N or ! --ttl-eq N, as
 * ipt_ttl: the IP header's time to live compared with N.
 */
#include <linux/ip.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_ttl {
	u8	mode;		/* enum nfgate_ttl_mode */
	u8	value;
	u8	zero[2];
};

static const struct nla_policy nfgate_ttl_policy[NFGATE_TTL_A_MAX + 1] = {
	[NFGATE_TTL_A_MODE]	= NLA_POLICY_MAX(NLA_U8, NFGATE_TTL_MODE_MAX),
	[NFGATE_TTL_A_VALUE]	= { .type = NLA_U8 },
};

static int nfgate_ttl_init(const struct nfgate_ext_ctx *ctx,
			   struct nlattr **tb, void *priv)
{
	struct nfgate_ttl *t = priv;

	if (!tb[NFGATE_TTL_A_MODE] || !tb[NFGATE_TTL_A_VALUE]) {
		NL_SET_ERR_MSG(ctx->extack, "ttl needs MODE and VALUE");
		return -EINVAL;
	}
	t->mode = nla_get_u8(tb[NFGATE_TTL_A_MODE]);
	t->value = nla_get_u8(tb[NFGATE_TTL_A_VALUE]);
	return 0;
}

static bool nfgate_ttl_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_ttl *t = priv;
	u8 ttl = ip_hdr(pkt->skb)->ttl;

	switch (t->mode) {
	case NFGATE_TTL_EQ:
		return ttl == t->value;
	case NFGATE_TTL_NE:
		return ttl != t->value;
	case NFGATE_TTL_LT:
		return ttl < t->value;
	case NFGATE_TTL_GT:
		return ttl > t->value;
	}
	return false;
}

static int nfgate_ttl_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_ttl *t = priv;

	if (nla_put_u8(skb, NFGATE_TTL_A_MODE, t->mode) ||
	    nla_put_u8(skb, NFGATE_TTL_A_VALUE, t->value))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_ttl = {
	.name		= "ttl",
	.size		= sizeof(struct nfgate_ttl),
	.policy		= nfgate_ttl_policy,
	.maxattr	= NFGATE_TTL_A_MAX,
	.init		= nfgate_ttl_init,
	.match		= nfgate_ttl_match,
	.dump		= nfgate_ttl_dump,
};
