// SPDX-License-Identifier: GPL-2.0
/*
 * "state" match: -m state [!] --state LIST, true when the packet's
 * conntrack state is in LIST (INVALID: no entry, UNTRACKED: -j CT
 * --notrack), as xt_state and the state alias of xt_conntrack that
 * iptables 1.8 sends.  A rule using it holds conntrack for its namespace.
 */
#include <linux/netfilter/xt_conntrack.h>
#include <net/netfilter/nf_conntrack.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_state {
	u32	mask;
	u8	inv;
	u8	zero[3];
};

#define NFGATE_STATE_ALL	(NFGATE_CT_STATE_INVALID | \
				 NFGATE_CT_STATE_ESTABLISHED | \
				 NFGATE_CT_STATE_RELATED | NFGATE_CT_STATE_NEW | \
				 NFGATE_CT_STATE_UNTRACKED)

static const struct nla_policy nfgate_state_policy[NFGATE_STATE_A_MAX + 1] = {
	[NFGATE_STATE_A_MASK]	= NLA_POLICY_MASK(NLA_U32, NFGATE_STATE_ALL),
	[NFGATE_STATE_A_INV]	= { .type = NLA_FLAG },
};

static int nfgate_state_init(const struct nfgate_ext_ctx *ctx,
			     struct nlattr **tb, void *priv)
{
	struct nfgate_state *s = priv;

	if (!tb[NFGATE_STATE_A_MASK] || !nla_get_u32(tb[NFGATE_STATE_A_MASK])) {
		NL_SET_ERR_MSG(ctx->extack, "state match needs a non-empty MASK");
		return -EINVAL;
	}
	s->mask = nla_get_u32(tb[NFGATE_STATE_A_MASK]);
	s->inv = nla_get_flag(tb[NFGATE_STATE_A_INV]);
	return 0;
}

static bool nfgate_state_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_state *s = priv;
	enum ip_conntrack_info ctinfo;
	unsigned int statebit;

	if (nf_ct_get(pkt->skb, &ctinfo))
		statebit = XT_CONNTRACK_STATE_BIT(ctinfo);
	else if (ctinfo == IP_CT_UNTRACKED)
		statebit = XT_CONNTRACK_STATE_UNTRACKED;
	else
		statebit = XT_CONNTRACK_STATE_INVALID;
	return !!(s->mask & statebit) ^ s->inv;
}

static int nfgate_state_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_state *s = priv;

	if (nla_put_u32(skb, NFGATE_STATE_A_MASK, s->mask) ||
	    (s->inv && nla_put_flag(skb, NFGATE_STATE_A_INV)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_state = {
	.name		= "state",
	.size		= sizeof(struct nfgate_state),
	.policy		= nfgate_state_policy,
	.maxattr	= NFGATE_STATE_A_MAX,
	.conntrack	= true,
	.init		= nfgate_state_init,
	.match		= nfgate_state_match,
	.dump		= nfgate_state_dump,
};
