// SPDX-License-Identifier: GPL-2.0
/*
 * "TTL" target: -j TTL --ttl-set N | --ttl-dec N | --ttl-inc N.  Sets,
 * lowers (not below 0) or raises (not above 255) the IPv4 TTL and fixes
 * the header checksum, as ipt_TTL (xt_HL); then the next rule.  mangle
 * table only; decrement and increment by at least 1.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <net/checksum.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_ttl {
	u8	mode;	/* NFGATE_TTL_TG_* */
	u8	value;
};

static const struct nla_policy nfgate_ttl_policy[NFGATE_TTL_TG_A_MAX + 1] = {
	[NFGATE_TTL_TG_A_MODE]	= NLA_POLICY_MAX(NLA_U8, NFGATE_TTL_TG_MODE_MAX),
	[NFGATE_TTL_TG_A_VALUE]	= { .type = NLA_U8 },
};

static int nfgate_ttl_init(const struct nfgate_ext_ctx *ctx,
			   struct nlattr **tb, void *priv)
{
	struct nfgate_ttl *t = priv;

	if (!tb[NFGATE_TTL_TG_A_MODE] || !tb[NFGATE_TTL_TG_A_VALUE]) {
		NL_SET_ERR_MSG(ctx->extack, "TTL: MODE and VALUE are required");
		return -EINVAL;
	}
	t->mode = nla_get_u8(tb[NFGATE_TTL_TG_A_MODE]);
	t->value = nla_get_u8(tb[NFGATE_TTL_TG_A_VALUE]);
	if (t->mode != NFGATE_TTL_TG_SET && !t->value) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_TTL_TG_A_VALUE],
				    "TTL: increment or decrement by 0");
		return -EINVAL;
	}
	return 0;
}

static unsigned int nfgate_ttl_target(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_ttl *t = priv;
	struct iphdr *iph;
	int ttl;

	if (skb_ensure_writable(pkt->skb, sizeof(*iph)))
		return NF_DROP;
	iph = ip_hdr(pkt->skb);
	switch (t->mode) {
	case NFGATE_TTL_TG_SET:
		ttl = t->value;
		break;
	case NFGATE_TTL_TG_INC:
		ttl = min(iph->ttl + t->value, 255);
		break;
	default:
		ttl = max(iph->ttl - t->value, 0);
		break;
	}
	if (ttl != iph->ttl) {
		csum_replace2(&iph->check, htons(iph->ttl << 8),
			      htons(ttl << 8));
		iph->ttl = ttl;
	}
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_ttl_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_ttl *t = priv;

	if (nla_put_u8(skb, NFGATE_TTL_TG_A_MODE, t->mode) ||
	    nla_put_u8(skb, NFGATE_TTL_TG_A_VALUE, t->value))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_TTL = {
	.name		= "TTL",
	.is_target	= true,
	.size		= sizeof(struct nfgate_ttl),
	.policy		= nfgate_ttl_policy,
	.maxattr	= NFGATE_TTL_TG_A_MAX,
	.tables		= BIT(NFGATE_TABLE_MANGLE),
	.init		= nfgate_ttl_init,
	.target		= nfgate_ttl_target,
	.dump		= nfgate_ttl_dump,
};
