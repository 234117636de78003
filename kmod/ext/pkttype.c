// SPDX-License-Identifier: GPL-2.0
/*
 * "pkttype" match: -m pkttype [!] --pkt-type TYPE, as xt_pkttype for
 * IPv4: the link layer's class of the packet (skb->pkt_type); a packet
 * looped back by this host counts as multicast when sent to a multicast
 * address and as broadcast otherwise.
 */
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/in.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_pkttype {
	u8	type;		/* PACKET_* */
	u8	inv;
	u8	zero[2];
};

static const struct nla_policy nfgate_pkttype_policy[NFGATE_PKTTYPE_A_MAX + 1] = {
	[NFGATE_PKTTYPE_A_TYPE]	= NLA_POLICY_MAX(NLA_U8, NFGATE_PKTTYPE_MAX),
	[NFGATE_PKTTYPE_A_INV]	= { .type = NLA_FLAG },
};

static int nfgate_pkttype_init(const struct nfgate_ext_ctx *ctx,
			       struct nlattr **tb, void *priv)
{
	struct nfgate_pkttype *p = priv;

	if (!tb[NFGATE_PKTTYPE_A_TYPE]) {
		NL_SET_ERR_MSG(ctx->extack, "pkttype needs TYPE");
		return -EINVAL;
	}
	p->type = nla_get_u8(tb[NFGATE_PKTTYPE_A_TYPE]);
	p->inv = nla_get_flag(tb[NFGATE_PKTTYPE_A_INV]);
	return 0;
}

static bool nfgate_pkttype_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_pkttype *p = priv;
	u8 type = pkt->skb->pkt_type;

	if (type == PACKET_LOOPBACK)
		type = ipv4_is_multicast(pkt->daddr) ? PACKET_MULTICAST :
						       PACKET_BROADCAST;
	return (type == p->type) ^ p->inv;
}

static int nfgate_pkttype_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_pkttype *p = priv;

	if (nla_put_u8(skb, NFGATE_PKTTYPE_A_TYPE, p->type) ||
	    (p->inv && nla_put_flag(skb, NFGATE_PKTTYPE_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_pkttype = {
	.name		= "pkttype",
	.size		= sizeof(struct nfgate_pkttype),
	.policy		= nfgate_pkttype_policy,
	.maxattr	= NFGATE_PKTTYPE_A_MAX,
	.init		= nfgate_pkttype_init,
	.match		= nfgate_pkttype_match,
	.dump		= nfgate_pkttype_dump,
};
