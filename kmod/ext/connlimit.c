// SPDX-License-Identifier: GPL-2.0
/*
 * "connlimit" match: -m connlimit --connlimit-above|--connlimit-upto N, as
 * xt_connlimit revision 1 for IPv4, with the kernel's nf_conncount doing
 * the counting (one tree of connections per rule, keyed on the masked
 * address and the conntrack zone, as xt_connlimit and nft_connlimit).
 * Counting adds the packet's connection to the rule's tree: ordered.
 */
#include <linux/err.h>
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_count.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_connlimit {
	/* what the rule is */
	u32		limit;
	u32		flags;
	__be32		mask;
	u8		plen;
	/* the rule's count */
	struct nf_conncount_data *data;
};

static const struct nla_policy nfgate_connlimit_policy[NFGATE_CONNLIMIT_A_MAX + 1] = {
	[NFGATE_CONNLIMIT_A_LIMIT]	= { .type = NLA_U32 },
	[NFGATE_CONNLIMIT_A_PLEN]	= NLA_POLICY_MAX(NLA_U8, 32),
	[NFGATE_CONNLIMIT_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_CONNLIMIT_FLAGS),
};

static int nfgate_connlimit_init(const struct nfgate_ext_ctx *ctx,
				 struct nlattr **tb, void *priv)
{
	struct nfgate_connlimit *c = priv;
	void *data;

	if (!tb[NFGATE_CONNLIMIT_A_LIMIT]) {
		NL_SET_ERR_MSG(ctx->extack, "connlimit needs LIMIT");
		return -EINVAL;
	}
	c->limit = nla_get_u32(tb[NFGATE_CONNLIMIT_A_LIMIT]);
	c->plen = tb[NFGATE_CONNLIMIT_A_PLEN] ?
		  nla_get_u8(tb[NFGATE_CONNLIMIT_A_PLEN]) : 32;
	if (tb[NFGATE_CONNLIMIT_A_FLAGS])
		c->flags = nla_get_u32(tb[NFGATE_CONNLIMIT_A_FLAGS]);
	c->mask = c->plen ? htonl(~0U << (32 - c->plen)) : 0;
	/* the key: the masked address and the zone id */
	data = nf_conncount_init(ctx->net, NFPROTO_IPV4, 2 * sizeof(u32));
	if (IS_ERR(data)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "connlimit: cannot set up connection counting");
		return PTR_ERR(data);
	}
	c->data = data;
	return 0;
}

static void nfgate_connlimit_destroy(struct net *net, void *priv)
{
	struct nfgate_connlimit *c = priv;

	nf_conncount_destroy(net, NFPROTO_IPV4, c->data);
}

static bool nfgate_connlimit_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_connlimit *c = priv;
	const struct nf_conntrack_zone *zone = &nf_ct_zone_dflt;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;
	unsigned int n;
	u32 key[2];

	ct = nf_ct_get(pkt->skb, &ctinfo);
	if (ct)
		zone = nf_ct_zone(ct);
	key[0] = (__force u32)((c->flags & NFGATE_CONNLIMIT_DADDR ?
				pkt->daddr : pkt->saddr) & c->mask);
	key[1] = zone->id;
	n = nf_conncount_count_skb(pkt->state->net, pkt->skb, NFPROTO_IPV4,
				   c->data, key);
	if (!n) {
		/* no memory, or no tuple: xt_connlimit drops */
		pkt->hotdrop = true;
		return false;
	}
	return (n > c->limit) ^ !!(c->flags & NFGATE_CONNLIMIT_UPTO);
}

static int nfgate_connlimit_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_connlimit *c = priv;

	if (nla_put_u32(skb, NFGATE_CONNLIMIT_A_LIMIT, c->limit) ||
	    nla_put_u8(skb, NFGATE_CONNLIMIT_A_PLEN, c->plen) ||
	    nla_put_u32(skb, NFGATE_CONNLIMIT_A_FLAGS, c->flags))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_connlimit = {
	.name		= "connlimit",
	.size		= sizeof(struct nfgate_connlimit),
	.cmp_size	= offsetof(struct nfgate_connlimit, data),
	.conntrack	= true,
	.ordered	= nfgate_ext_always_ordered,
	.policy		= nfgate_connlimit_policy,
	.maxattr	= NFGATE_CONNLIMIT_A_MAX,
	.init		= nfgate_connlimit_init,
	.destroy	= nfgate_connlimit_destroy,
	.match		= nfgate_connlimit_match,
	.dump		= nfgate_connlimit_dump,
};
