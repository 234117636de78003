// SPDX-License-Identifier: GPL-2.0
/*
 * "icmp" match: -p icmp -m icmp [!] --icmp-type TYPE[/CODE], as xt's
 * icmp_match: the type equals TYPE (255: any type) and the code lies in
 * CODE_MIN..CODE_MAX.  Later fragments never match; a head too short for
 * the 8-byte ICMP header is dropped.
 */
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/skbuff.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_icmp {
	u8	type;
	u8	code_min;
	u8	code_max;
	u8	inv;
};

static const struct nla_policy nfgate_icmp_policy[NFGATE_ICMP_A_MAX + 1] = {
	[NFGATE_ICMP_A_TYPE]		= { .type = NLA_U8 },
	[NFGATE_ICMP_A_CODE_MIN]	= { .type = NLA_U8 },
	[NFGATE_ICMP_A_CODE_MAX]	= { .type = NLA_U8 },
	[NFGATE_ICMP_A_INV]		= { .type = NLA_FLAG },
};

static int nfgate_icmp_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	const struct nfgate_match *m = ctx->m;
	struct nfgate_icmp *ic = priv;

	if (!(m->present & NFGATE_M_PROTO) || (m->inv & NFGATE_M_PROTO) ||
	    m->proto != IPPROTO_ICMP) {
		NL_SET_ERR_MSG(ctx->extack,
			       "icmp match needs protocol icmp, not inverted");
		return -EINVAL;
	}
	if (!tb[NFGATE_ICMP_A_TYPE]) {
		NL_SET_ERR_MSG(ctx->extack, "icmp match without TYPE");
		return -EINVAL;
	}
	ic->type = nla_get_u8(tb[NFGATE_ICMP_A_TYPE]);
	ic->code_min = tb[NFGATE_ICMP_A_CODE_MIN] ?
		       nla_get_u8(tb[NFGATE_ICMP_A_CODE_MIN]) : 0;
	ic->code_max = tb[NFGATE_ICMP_A_CODE_MAX] ?
		       nla_get_u8(tb[NFGATE_ICMP_A_CODE_MAX]) : 0xff;
	ic->inv = nla_get_flag(tb[NFGATE_ICMP_A_INV]);
	return 0;
}

static bool nfgate_icmp_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_icmp *ic = priv;
	const struct icmphdr *h;
	struct icmphdr buf;
	bool hit;

	if (pkt->fragoff)
		return false;
	h = skb_header_pointer(pkt->skb, pkt->thoff, sizeof(buf), &buf);
	if (!h) {
		pkt->hotdrop = true;
		return false;
	}
	hit = ic->type == 0xff ||
	      (h->type == ic->type && h->code >= ic->code_min &&
	       h->code <= ic->code_max);
	return hit ^ ic->inv;
}

static int nfgate_icmp_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_icmp *ic = priv;

	if (nla_put_u8(skb, NFGATE_ICMP_A_TYPE, ic->type) ||
	    nla_put_u8(skb, NFGATE_ICMP_A_CODE_MIN, ic->code_min) ||
	    nla_put_u8(skb, NFGATE_ICMP_A_CODE_MAX, ic->code_max) ||
	    (ic->inv && nla_put_flag(skb, NFGATE_ICMP_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_icmp = {
	.name		= "icmp",
	.size		= sizeof(struct nfgate_icmp),
	.policy		= nfgate_icmp_policy,
	.maxattr	= NFGATE_ICMP_A_MAX,
	.init		= nfgate_icmp_init,
	.match		= nfgate_icmp_match,
	.dump		= nfgate_icmp_dump,
};
