// SPDX-License-Identifier: GPL-2.0
/*
 * "iprange" match: -m iprange [!] --src-range A-B [!] --dst-range A-B, as
 * xt_iprange revision 1 for IPv4: the address, compared as a number, lies
 * within the inclusive range.  A reversed range (MIN above MAX) is kept,
 * as iptables keeps it, and never matches (inverted: always).
 */
#include "../ext.h"
#include "../match.h"

#define NFGATE_IPRANGE_F_SRC		0x01
#define NFGATE_IPRANGE_F_DST		0x02
#define NFGATE_IPRANGE_F_SRC_INV	0x04
#define NFGATE_IPRANGE_F_DST_INV	0x08

struct nfgate_iprange {
	u32	src_min;	/* host order */
	u32	src_max;
	u32	dst_min;
	u32	dst_max;
	u8	flags;		/* NFGATE_IPRANGE_F_* */
	u8	zero[3];
};

static const struct nla_policy nfgate_iprange_policy[NFGATE_IPRANGE_A_MAX + 1] = {
	[NFGATE_IPRANGE_A_SRC_MIN]	= { .type = NLA_BE32 },
	[NFGATE_IPRANGE_A_SRC_MAX]	= { .type = NLA_BE32 },
	[NFGATE_IPRANGE_A_SRC_INV]	= { .type = NLA_FLAG },
	[NFGATE_IPRANGE_A_DST_MIN]	= { .type = NLA_BE32 },
	[NFGATE_IPRANGE_A_DST_MAX]	= { .type = NLA_BE32 },
	[NFGATE_IPRANGE_A_DST_INV]	= { .type = NLA_FLAG },
};

/* One direction's MIN, MAX and INV into *min, *max and flags. */
static int nfgate_iprange_one(const struct nfgate_ext_ctx *ctx,
			      struct nlattr *min, struct nlattr *max,
			      struct nlattr *inv, u32 *lo, u32 *hi,
			      u8 *flags, u8 f, u8 finv)
{
	if (!min && !max) {
		if (inv) {
			NL_SET_ERR_MSG_ATTR(ctx->extack, inv,
					    "iprange: inversion of an absent range");
			return -EINVAL;
		}
		return 0;
	}
	if (!min || !max) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, min ?: max,
				    "iprange: a range needs both MIN and MAX");
		return -EINVAL;
	}
	*lo = ntohl(nla_get_be32(min));
	*hi = ntohl(nla_get_be32(max));
	*flags |= f;
	if (inv)
		*flags |= finv;
	return 0;
}

static int nfgate_iprange_init(const struct nfgate_ext_ctx *ctx,
			       struct nlattr **tb, void *priv)
{
	struct nfgate_iprange *r = priv;
	int err;

	err = nfgate_iprange_one(ctx, tb[NFGATE_IPRANGE_A_SRC_MIN],
				 tb[NFGATE_IPRANGE_A_SRC_MAX],
				 tb[NFGATE_IPRANGE_A_SRC_INV],
				 &r->src_min, &r->src_max, &r->flags,
				 NFGATE_IPRANGE_F_SRC, NFGATE_IPRANGE_F_SRC_INV);
	if (err)
		return err;
	err = nfgate_iprange_one(ctx, tb[NFGATE_IPRANGE_A_DST_MIN],
				 tb[NFGATE_IPRANGE_A_DST_MAX],
				 tb[NFGATE_IPRANGE_A_DST_INV],
				 &r->dst_min, &r->dst_max, &r->flags,
				 NFGATE_IPRANGE_F_DST, NFGATE_IPRANGE_F_DST_INV);
	if (err)
		return err;
	if (!(r->flags & (NFGATE_IPRANGE_F_SRC | NFGATE_IPRANGE_F_DST))) {
		NL_SET_ERR_MSG(ctx->extack,
			       "iprange: a source or destination range is needed");
		return -EINVAL;
	}
	return 0;
}

static bool nfgate_iprange_in(__be32 addr, u32 lo, u32 hi)
{
	u32 a = ntohl(addr);

	return a >= lo && a <= hi;
}

static bool nfgate_iprange_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_iprange *r = priv;

	if ((r->flags & NFGATE_IPRANGE_F_SRC) &&
	    nfgate_iprange_in(pkt->saddr, r->src_min, r->src_max) ==
	    !!(r->flags & NFGATE_IPRANGE_F_SRC_INV))
		return false;
	if ((r->flags & NFGATE_IPRANGE_F_DST) &&
	    nfgate_iprange_in(pkt->daddr, r->dst_min, r->dst_max) ==
	    !!(r->flags & NFGATE_IPRANGE_F_DST_INV))
		return false;
	return true;
}

static int nfgate_iprange_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_iprange *r = priv;

	if ((r->flags & NFGATE_IPRANGE_F_SRC) &&
	    (nla_put_be32(skb, NFGATE_IPRANGE_A_SRC_MIN, htonl(r->src_min)) ||
	     nla_put_be32(skb, NFGATE_IPRANGE_A_SRC_MAX, htonl(r->src_max)) ||
	     ((r->flags & NFGATE_IPRANGE_F_SRC_INV) &&
	      nla_put_flag(skb, NFGATE_IPRANGE_A_SRC_INV))))
		return -EMSGSIZE;
	if ((r->flags & NFGATE_IPRANGE_F_DST) &&
	    (nla_put_be32(skb, NFGATE_IPRANGE_A_DST_MIN, htonl(r->dst_min)) ||
	     nla_put_be32(skb, NFGATE_IPRANGE_A_DST_MAX, htonl(r->dst_max)) ||
	     ((r->flags & NFGATE_IPRANGE_F_DST_INV) &&
	      nla_put_flag(skb, NFGATE_IPRANGE_A_DST_INV))))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_iprange = {
	.name		= "iprange",
	.size		= sizeof(struct nfgate_iprange),
	.policy		= nfgate_iprange_policy,
	.maxattr	= NFGATE_IPRANGE_A_MAX,
	.init		= nfgate_iprange_init,
	.match		= nfgate_iprange_match,
	.dump		= nfgate_iprange_dump,
};
