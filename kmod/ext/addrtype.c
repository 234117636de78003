// SPDX-License-Identifier: GPL-2.0
/*
 * "addrtype" match: -m addrtype [!] --src-type T[,T...] [!] --dst-type
 * T[,T...] [--limit-iface-in | --limit-iface-out], as xt_addrtype
 * revision 1: the route type of the address, inet_dev_addr_type(), is in
 * the rule's mask of 1 << RTN_*.  With a limit the lookup is in the
 * routing table of the packet's input (output) device, where LOCAL means
 * an address of that device's table.  A limit needs its device, so
 * xt_addrtype's checkentry refuses --limit-iface-out in PREROUTING and
 * INPUT and --limit-iface-in in OUTPUT and POSTROUTING; so does init.  In
 * a user chain reached from such a hook the lookup has no device and is
 * global.
 */
#include <linux/netfilter.h>
#include <net/route.h>

#include "../chain.h"
#include "../ext.h"
#include "../match.h"

struct nfgate_addrtype {
	u16	src;
	u16	dst;
	u32	flags;
};

static const struct nla_policy nfgate_addrtype_policy[NFGATE_ADDRTYPE_A_MAX + 1] = {
	[NFGATE_ADDRTYPE_A_SRC]		= NLA_POLICY_MASK(NLA_U16,
							  NFGATE_ADDRTYPE_TYPES),
	[NFGATE_ADDRTYPE_A_DST]		= NLA_POLICY_MASK(NLA_U16,
							  NFGATE_ADDRTYPE_TYPES),
	[NFGATE_ADDRTYPE_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_ADDRTYPE_FLAGS),
};

static int nfgate_addrtype_init(const struct nfgate_ext_ctx *ctx,
				struct nlattr **tb, void *priv)
{
	const u32 limits = NFGATE_ADDRTYPE_LIMIT_IN | NFGATE_ADDRTYPE_LIMIT_OUT;
	struct nfgate_addrtype *a = priv;
	const struct nfgate_chain *c = ctx->chain;

	if (tb[NFGATE_ADDRTYPE_A_SRC])
		a->src = nla_get_u16(tb[NFGATE_ADDRTYPE_A_SRC]);
	if (tb[NFGATE_ADDRTYPE_A_DST])
		a->dst = nla_get_u16(tb[NFGATE_ADDRTYPE_A_DST]);
	if (tb[NFGATE_ADDRTYPE_A_FLAGS])
		a->flags = nla_get_u32(tb[NFGATE_ADDRTYPE_A_FLAGS]);
	if (!a->src && !a->dst) {
		NL_SET_ERR_MSG(ctx->extack,
			       "addrtype: SRC or DST types are needed");
		return -EINVAL;
	}
	/* an inversion of an absent test would be kept but never shown */
	if ((!a->src && (a->flags & NFGATE_ADDRTYPE_INV_SRC)) ||
	    (!a->dst && (a->flags & NFGATE_ADDRTYPE_INV_DST))) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_ADDRTYPE_A_FLAGS],
				    "addrtype: inversion of an absent type test");
		return -EINVAL;
	}
	if ((a->flags & limits) == limits) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_ADDRTYPE_A_FLAGS],
				    "addrtype: both incoming and outgoing interface limitation cannot be selected");
		return -EINVAL;
	}
	if (!c->builtin)
		return 0;
	if ((a->flags & NFGATE_ADDRTYPE_LIMIT_OUT) &&
	    (c->hook == NF_INET_PRE_ROUTING || c->hook == NF_INET_LOCAL_IN)) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_ADDRTYPE_A_FLAGS],
				    "addrtype: output interface limitation not valid in PREROUTING and INPUT");
		return -EINVAL;
	}
	if ((a->flags & NFGATE_ADDRTYPE_LIMIT_IN) &&
	    (c->hook == NF_INET_POST_ROUTING || c->hook == NF_INET_LOCAL_OUT)) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_ADDRTYPE_A_FLAGS],
				    "addrtype: input interface limitation not valid in POSTROUTING and OUTPUT");
		return -EINVAL;
	}
	return 0;
}

static bool nfgate_addrtype_is(struct net *net, const struct net_device *dev,
			       __be32 addr, u16 mask)
{
	return mask & BIT(inet_dev_addr_type(net, dev, addr));
}

static bool nfgate_addrtype_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_addrtype *a = priv;
	const struct net_device *dev = NULL;
	struct net *net = pkt->state->net;

	if (a->flags & NFGATE_ADDRTYPE_LIMIT_IN)
		dev = pkt->in;
	else if (a->flags & NFGATE_ADDRTYPE_LIMIT_OUT)
		dev = pkt->out;
	if (a->src && nfgate_addrtype_is(net, dev, pkt->saddr, a->src) ==
		      !!(a->flags & NFGATE_ADDRTYPE_INV_SRC))
		return false;
	if (a->dst && nfgate_addrtype_is(net, dev, pkt->daddr, a->dst) ==
		      !!(a->flags & NFGATE_ADDRTYPE_INV_DST))
		return false;
	return true;
}

static int nfgate_addrtype_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_addrtype *a = priv;

	if (nla_put_u16(skb, NFGATE_ADDRTYPE_A_SRC, a->src) ||
	    nla_put_u16(skb, NFGATE_ADDRTYPE_A_DST, a->dst) ||
	    nla_put_u32(skb, NFGATE_ADDRTYPE_A_FLAGS, a->flags))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_addrtype = {
	.name		= "addrtype",
	.size		= sizeof(struct nfgate_addrtype),
	.policy		= nfgate_addrtype_policy,
	.maxattr	= NFGATE_ADDRTYPE_A_MAX,
	.init		= nfgate_addrtype_init,
	.match		= nfgate_addrtype_match,
	.dump		= nfgate_addrtype_dump,
};
