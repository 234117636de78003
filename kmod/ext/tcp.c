// SPDX-License-Identifier: GPL-2.0
/*
 * "tcp" match: its ports are the rule's core match (match.c), indexed by
 * the classifier.  This entry keeps the place of -m tcp among the rule's
 * other matches, so that listings print them in rule order, and holds
 * what the core has no field for: [!] --tcp-flags MASK COMP (--syn) and
 * [!] --tcp-option N, tested as xt_tcpudp's tcp_mt does.  Without either
 * it is a place marker only and matches every packet.
 */
#include <linux/in.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#include "../ext.h"
#include "../match.h"

#define NFGATE_TCP_F_FLAGS	BIT(0)	/* test the flags byte */
#define NFGATE_TCP_F_FLAGS_INV	BIT(1)
#define NFGATE_TCP_F_OPTION_INV	BIT(2)

struct nfgate_tcp {
	u8	mask;
	u8	comp;
	u8	option;		/* 0: no option test */
	u8	flags;		/* NFGATE_TCP_F_* */
};

static const struct nla_policy nfgate_tcp_policy[NFGATE_TCP_A_MAX + 1] = {
	[NFGATE_TCP_A_FLAGS_MASK]	= { .type = NLA_U8 },
	[NFGATE_TCP_A_FLAGS_COMP]	= { .type = NLA_U8 },
	[NFGATE_TCP_A_FLAGS_INV]	= { .type = NLA_FLAG },
	[NFGATE_TCP_A_OPTION]		= NLA_POLICY_MIN(NLA_U8, 1),
	[NFGATE_TCP_A_OPTION_INV]	= { .type = NLA_FLAG },
};

static int nfgate_tcp_init(const struct nfgate_ext_ctx *ctx,
			   struct nlattr **tb, void *priv)
{
	const struct nfgate_match *m = ctx->m;
	struct nfgate_tcp *t = priv;

	if (!(m->present & NFGATE_M_PROTO) || (m->inv & NFGATE_M_PROTO) ||
	    m->proto != IPPROTO_TCP) {
		NL_SET_ERR_MSG(ctx->extack,
			       "tcp match needs protocol tcp, not inverted");
		return -EINVAL;
	}
	if (!tb[NFGATE_TCP_A_FLAGS_MASK] != !tb[NFGATE_TCP_A_FLAGS_COMP]) {
		NL_SET_ERR_MSG(ctx->extack,
			       "tcp match: FLAGS_MASK and FLAGS_COMP go together");
		return -EINVAL;
	}
	if (tb[NFGATE_TCP_A_FLAGS_INV] && !tb[NFGATE_TCP_A_FLAGS_MASK]) {
		NL_SET_ERR_MSG(ctx->extack,
			       "tcp match: FLAGS_INV without FLAGS_MASK");
		return -EINVAL;
	}
	if (tb[NFGATE_TCP_A_OPTION_INV] && !tb[NFGATE_TCP_A_OPTION]) {
		NL_SET_ERR_MSG(ctx->extack,
			       "tcp match: OPTION_INV without OPTION");
		return -EINVAL;
	}
	if (tb[NFGATE_TCP_A_FLAGS_MASK]) {
		t->mask = nla_get_u8(tb[NFGATE_TCP_A_FLAGS_MASK]);
		t->comp = nla_get_u8(tb[NFGATE_TCP_A_FLAGS_COMP]);
		t->flags |= NFGATE_TCP_F_FLAGS;
		if (nla_get_flag(tb[NFGATE_TCP_A_FLAGS_INV]))
			t->flags |= NFGATE_TCP_F_FLAGS_INV;
	}
	if (tb[NFGATE_TCP_A_OPTION]) {
		t->option = nla_get_u8(tb[NFGATE_TCP_A_OPTION]);
		if (nla_get_flag(tb[NFGATE_TCP_A_OPTION_INV]))
			t->flags |= NFGATE_TCP_F_OPTION_INV;
	}
	return 0;
}

/*
 * Whether option kind @option is among the optlen bytes of options after
 * the fixed header, walked as tcp_find_option() of xt_tcpudp: kinds 0
 * and 1 are one byte, others give their length (0 counts as 1).
 */
static bool nfgate_tcp_has_option(const struct nfgate_tcp *t,
				  struct nfgate_pkt *pkt, unsigned int optlen)
{
	bool inv = t->flags & NFGATE_TCP_F_OPTION_INV;
	u8 buf[60 - sizeof(struct tcphdr)];
	const u8 *op;
	unsigned int i;

	if (!optlen)
		return inv;
	op = skb_header_pointer(pkt->skb, pkt->thoff + sizeof(struct tcphdr),
				optlen, buf);
	if (!op) {
		pkt->hotdrop = true;
		return false;
	}
	for (i = 0; i < optlen; ) {
		if (op[i] == t->option)
			return !inv;
		if (op[i] < 2 || i + 1 >= optlen)
			i++;
		else
			i += op[i + 1] ? : 1;
	}
	return inv;
}

static bool nfgate_tcp_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_tcp *t = priv;
	struct tcphdr buf;
	const struct tcphdr *th;
	bool hit;

	if (!t->flags && !t->option)
		return true;		/* a place marker */
	/*
	 * The core's port match (SPORT 0..65535 at least) has already
	 * rejected fragments and short headers; a rule made by another
	 * client may lack it, so test as tcp_mt does.
	 */
	if (pkt->fragoff) {
		if (pkt->fragoff == 1)
			pkt->hotdrop = true;
		return false;
	}
	th = skb_header_pointer(pkt->skb, pkt->thoff, sizeof(buf), &buf);
	if (!th) {
		pkt->hotdrop = true;
		return false;
	}
	if (t->flags & NFGATE_TCP_F_FLAGS) {
		hit = (((const u8 *)th)[13] & t->mask) == t->comp;
		if (hit == !!(t->flags & NFGATE_TCP_F_FLAGS_INV))
			return false;
	}
	if (t->option) {
		if (th->doff * 4 < sizeof(buf)) {
			pkt->hotdrop = true;
			return false;
		}
		return nfgate_tcp_has_option(t, pkt,
					     th->doff * 4 - sizeof(buf));
	}
	return true;
}

static int nfgate_tcp_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_tcp *t = priv;

	if ((t->flags & NFGATE_TCP_F_FLAGS) &&
	    (nla_put_u8(skb, NFGATE_TCP_A_FLAGS_MASK, t->mask) ||
	     nla_put_u8(skb, NFGATE_TCP_A_FLAGS_COMP, t->comp)))
		return -EMSGSIZE;
	if ((t->flags & NFGATE_TCP_F_FLAGS_INV) &&
	    nla_put_flag(skb, NFGATE_TCP_A_FLAGS_INV))
		return -EMSGSIZE;
	if (t->option && nla_put_u8(skb, NFGATE_TCP_A_OPTION, t->option))
		return -EMSGSIZE;
	if ((t->flags & NFGATE_TCP_F_OPTION_INV) &&
	    nla_put_flag(skb, NFGATE_TCP_A_OPTION_INV))
		return -EMSGSIZE;
	return 0;
}

/*
 * A --tcp-flags test that needs SYN set and is not inverted (--syn): what
 * xt_TCPMSS's checkentry looks for before it accepts a rule.
 */
bool nfgate_tcp_syn_only(const void *priv)
{
	const struct nfgate_tcp *t = priv;

	return (t->flags & NFGATE_TCP_F_FLAGS) &&
	       !(t->flags & NFGATE_TCP_F_FLAGS_INV) && (t->comp & TCPHDR_SYN);
}

const struct nfgate_ext_ops nfgate_ext_tcp = {
	.name		= "tcp",
	.size		= sizeof(struct nfgate_tcp),
	.policy		= nfgate_tcp_policy,
	.maxattr	= NFGATE_TCP_A_MAX,
	.init		= nfgate_tcp_init,
	.match		= nfgate_tcp_match,
	.dump		= nfgate_tcp_dump,
};
