// SPDX-License-Identifier: GPL-2.0
/*
 * "mac" match: -m mac [!] --mac-source XX:XX:XX:XX:XX:XX, as xt_mac: the
 * Ethernet source address of a packet that came in on an Ethernet device
 * with its link-layer header still in front of the data.  Only received
 * packets have one: PREROUTING, INPUT and FORWARD.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_mac {
	u8	src[ETH_ALEN];
	u8	inv;
	u8	zero;
};

static const struct nla_policy nfgate_mac_policy[NFGATE_MAC_A_MAX + 1] = {
	[NFGATE_MAC_A_SRC]	= NLA_POLICY_EXACT_LEN(NFGATE_MAC_LEN),
	[NFGATE_MAC_A_INV]	= { .type = NLA_FLAG },
};

static int nfgate_mac_init(const struct nfgate_ext_ctx *ctx,
			   struct nlattr **tb, void *priv)
{
	struct nfgate_mac *m = priv;

	BUILD_BUG_ON(NFGATE_MAC_LEN != ETH_ALEN);
	if (!tb[NFGATE_MAC_A_SRC]) {
		NL_SET_ERR_MSG(ctx->extack, "mac needs SRC");
		return -EINVAL;
	}
	nla_memcpy(m->src, tb[NFGATE_MAC_A_SRC], ETH_ALEN);
	m->inv = nla_get_flag(tb[NFGATE_MAC_A_INV]);
	return 0;
}

static bool nfgate_mac_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_mac *m = priv;
	const struct sk_buff *skb = pkt->skb;

	if (!skb->dev || skb->dev->type != ARPHRD_ETHER)
		return false;
	if (skb_mac_header(skb) < skb->head)
		return false;
	if (skb_mac_header(skb) + ETH_HLEN > skb->data)
		return false;
	return ether_addr_equal(eth_hdr(skb)->h_source, m->src) ^ m->inv;
}

static int nfgate_mac_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_mac *m = priv;

	if (nla_put(skb, NFGATE_MAC_A_SRC, ETH_ALEN, m->src) ||
	    (m->inv && nla_put_flag(skb, NFGATE_MAC_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_mac = {
	.name		= "mac",
	.size		= sizeof(struct nfgate_mac),
	.policy		= nfgate_mac_policy,
	.maxattr	= NFGATE_MAC_A_MAX,
	.hooks		= BIT(NF_INET_PRE_ROUTING) | BIT(NF_INET_LOCAL_IN) |
			  BIT(NF_INET_FORWARD),
	.init		= nfgate_mac_init,
	.match		= nfgate_mac_match,
	.dump		= nfgate_mac_dump,
};
