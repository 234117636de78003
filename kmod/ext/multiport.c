// SPDX-License-Identifier: GPL-2.0
/*
 * "multiport" match: -m multiport [!] --sports|--dports|--ports LIST, as
 * xt_multiport revision 1: up to 15 entries, single ports or ranges (a
 * range takes two).  The ports come from the transport header (already
 * loaded for TCP and UDP heads); later fragments never match, and a head
 * without the 4 bytes of ports is dropped.
 */
#include <linux/in.h>
#include <linux/skbuff.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_multiport {
	u16	ports[NFGATE_MULTIPORT_MAX];
	u16	ranges;		/* bit i: ports[i]..ports[i + 1] */
	u8	count;
	u8	dir;		/* enum nfgate_multiport_dir */
	u8	inv;
	u8	zero[3];
};

static const struct nla_policy
nfgate_multiport_policy[NFGATE_MULTIPORT_A_MAX + 1] = {
	[NFGATE_MULTIPORT_A_DIR]	= NLA_POLICY_MAX(NLA_U8,
							 NFGATE_MULTIPORT_EITHER),
	[NFGATE_MULTIPORT_A_PORTS]	= { .type = NLA_BINARY,
					    .len = NFGATE_MULTIPORT_MAX *
						   sizeof(u16) },
	[NFGATE_MULTIPORT_A_RANGES]	= { .type = NLA_U16 },
	[NFGATE_MULTIPORT_A_INV]	= { .type = NLA_FLAG },
};

static bool nfgate_multiport_proto_ok(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return true;
	}
	return false;
}

static int nfgate_multiport_init(const struct nfgate_ext_ctx *ctx,
				 struct nlattr **tb, void *priv)
{
	const struct nfgate_match *m = ctx->m;
	struct nfgate_multiport *mp = priv;
	const struct nlattr *pa = tb[NFGATE_MULTIPORT_A_PORTS];
	unsigned int i, len;
	u16 ranges;

	if (!(m->present & NFGATE_M_PROTO) || (m->inv & NFGATE_M_PROTO) ||
	    !nfgate_multiport_proto_ok(m->proto)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "multiport needs protocol tcp, udp, udplite, sctp or dccp, not inverted");
		return -EINVAL;
	}
	if (!tb[NFGATE_MULTIPORT_A_DIR] || !pa) {
		NL_SET_ERR_MSG(ctx->extack, "multiport needs DIR and PORTS");
		return -EINVAL;
	}
	len = nla_len(pa);
	if (!len || len % sizeof(u16)) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, pa,
				    "multiport PORTS: 1..15 u16 values");
		return -EINVAL;
	}
	mp->count = len / sizeof(u16);
	memcpy(mp->ports, nla_data(pa), len);
	ranges = tb[NFGATE_MULTIPORT_A_RANGES] ?
		 nla_get_u16(tb[NFGATE_MULTIPORT_A_RANGES]) : 0;
	for (i = 0; i < NFGATE_MULTIPORT_MAX; i++) {
		if (!(ranges & BIT(i)))
			continue;
		/* a range ends at the next entry, which starts none */
		if (i + 1 >= mp->count || (ranges & BIT(i + 1)) ||
		    mp->ports[i] >= mp->ports[i + 1]) {
			NL_SET_ERR_MSG(ctx->extack,
				       "multiport RANGES: bit i needs PORTS[i] < PORTS[i + 1], and i + 1 starts no range");
			return -EINVAL;
		}
		i++;
	}
	if (ranges >> NFGATE_MULTIPORT_MAX) {
		NL_SET_ERR_MSG(ctx->extack, "multiport RANGES: bit 15 set");
		return -EINVAL;
	}
	mp->ranges = ranges;
	mp->dir = nla_get_u8(tb[NFGATE_MULTIPORT_A_DIR]);
	mp->inv = nla_get_flag(tb[NFGATE_MULTIPORT_A_INV]);
	return 0;
}

static bool nfgate_multiport_in(const struct nfgate_multiport *mp, u16 port,
				unsigned int i)
{
	if (mp->ranges & BIT(i))
		return port >= mp->ports[i] && port <= mp->ports[i + 1];
	return port == mp->ports[i];
}

static bool nfgate_multiport_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_multiport *mp = priv;
	unsigned int i;
	__be16 buf[2];
	const __be16 *pp;
	u16 src, dst;

	if (pkt->fragoff)
		return false;
	if (pkt->ports == NFGATE_PORTS_OK) {
		src = pkt->sport;
		dst = pkt->dport;
	} else {
		pp = skb_header_pointer(pkt->skb, pkt->thoff, sizeof(buf), buf);
		if (!pp) {
			pkt->hotdrop = true;
			return false;
		}
		src = ntohs(pp[0]);
		dst = ntohs(pp[1]);
	}
	for (i = 0; i < mp->count; i++) {
		if ((mp->dir != NFGATE_MULTIPORT_DST &&
		     nfgate_multiport_in(mp, src, i)) ||
		    (mp->dir != NFGATE_MULTIPORT_SRC &&
		     nfgate_multiport_in(mp, dst, i)))
			return !mp->inv;
		if (mp->ranges & BIT(i))
			i++;
	}
	return mp->inv;
}

static int nfgate_multiport_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_multiport *mp = priv;

	if (nla_put_u8(skb, NFGATE_MULTIPORT_A_DIR, mp->dir) ||
	    nla_put(skb, NFGATE_MULTIPORT_A_PORTS, mp->count * sizeof(u16),
		    mp->ports) ||
	    nla_put_u16(skb, NFGATE_MULTIPORT_A_RANGES, mp->ranges) ||
	    (mp->inv && nla_put_flag(skb, NFGATE_MULTIPORT_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_multiport = {
	.name		= "multiport",
	.size		= sizeof(struct nfgate_multiport),
	.policy		= nfgate_multiport_policy,
	.maxattr	= NFGATE_MULTIPORT_A_MAX,
	.init		= nfgate_multiport_init,
	.match		= nfgate_multiport_match,
	.dump		= nfgate_multiport_dump,
};
