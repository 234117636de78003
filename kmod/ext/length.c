// SPDX-License-Identifier: GPL-2.0
/*
 * "length" match: -m length [!] --length MIN[:MAX], as xt_length for IPv4:
 * the packet's IP total length, header included, lies within MIN..MAX.
 */
#include <linux/ip.h>
#include <net/ip.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_length {
	u16	min;
	u16	max;
	u8	inv;
	u8	zero[3];
};

static const struct nla_policy nfgate_length_policy[NFGATE_LENGTH_A_MAX + 1] = {
	[NFGATE_LENGTH_A_MIN_LEN]	= { .type = NLA_U16 },
	[NFGATE_LENGTH_A_MAX_LEN]	= { .type = NLA_U16 },
	[NFGATE_LENGTH_A_INV]	= { .type = NLA_FLAG },
};

static int nfgate_length_init(const struct nfgate_ext_ctx *ctx,
			      struct nlattr **tb, void *priv)
{
	struct nfgate_length *l = priv;

	if (!tb[NFGATE_LENGTH_A_MIN_LEN] || !tb[NFGATE_LENGTH_A_MAX_LEN]) {
		NL_SET_ERR_MSG(ctx->extack, "length needs MIN and MAX");
		return -EINVAL;
	}
	l->min = nla_get_u16(tb[NFGATE_LENGTH_A_MIN_LEN]);
	l->max = nla_get_u16(tb[NFGATE_LENGTH_A_MAX_LEN]);
	l->inv = nla_get_flag(tb[NFGATE_LENGTH_A_INV]);
	if (l->min > l->max) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_LENGTH_A_MAX_LEN],
				    "length: MAX is below MIN");
		return -EINVAL;
	}
	return 0;
}

static bool nfgate_length_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_length *l = priv;
	u32 len = skb_ip_totlen(pkt->skb);

	return (len >= l->min && len <= l->max) ^ l->inv;
}

static int nfgate_length_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_length *l = priv;

	if (nla_put_u16(skb, NFGATE_LENGTH_A_MIN_LEN, l->min) ||
	    nla_put_u16(skb, NFGATE_LENGTH_A_MAX_LEN, l->max) ||
	    (l->inv && nla_put_flag(skb, NFGATE_LENGTH_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_length = {
	.name		= "length",
	.size		= sizeof(struct nfgate_length),
	.policy		= nfgate_length_policy,
	.maxattr	= NFGATE_LENGTH_A_MAX,
	.init		= nfgate_length_init,
	.match		= nfgate_length_match,
	.dump		= nfgate_length_dump,
};
