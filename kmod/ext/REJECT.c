// SPDX-License-Identifier: GPL-2.0
/*
 * "REJECT" target: -j REJECT [--reject-with TYPE].  Sends an ICMP
 * destination-unreachable of the asked code, or a TCP RST, back to the
 * sender through nf_reject_ipv4, then drops the packet, as ipt_REJECT.
 * Like ipt_REJECT it lives in the filter table's INPUT, FORWARD and
 * OUTPUT only, and tcp-reset needs a rule on -p tcp.
 */
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/netfilter.h>
#include <net/netfilter/ipv4/nf_reject.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_reject {
	u32	with;	/* enum nfgate_reject_with */
};

static const struct nla_policy nfgate_reject_policy[NFGATE_REJECT_A_MAX + 1] = {
	[NFGATE_REJECT_A_WITH]	= NLA_POLICY_MAX(NLA_U32, NFGATE_REJECT_MAX),
};

static int nfgate_reject_init(const struct nfgate_ext_ctx *ctx,
			      struct nlattr **tb, void *priv)
{
	struct nfgate_reject *r = priv;
	const struct nfgate_match *m = ctx->m;

	r->with = NFGATE_REJECT_PORT_UNREACH;
	if (tb[NFGATE_REJECT_A_WITH])
		r->with = nla_get_u32(tb[NFGATE_REJECT_A_WITH]);
	if (r->with == NFGATE_REJECT_ECHOREPLY) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_REJECT_A_WITH],
				    "REJECT: echo-reply is no longer supported");
		return -EINVAL;
	}
	if (r->with == NFGATE_REJECT_TCP_RESET &&
	    (!(m->present & NFGATE_M_PROTO) || m->proto != IPPROTO_TCP ||
	     (m->inv & NFGATE_M_PROTO))) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_REJECT_A_WITH],
				    "REJECT: tcp-reset is only valid with -p tcp");
		return -EINVAL;
	}
	return 0;
}

static unsigned int nfgate_reject_target(const void *priv,
					 struct nfgate_pkt *pkt)
{
	const struct nfgate_reject *r = priv;
	int hook = pkt->state->hook;
	int code;

	switch (r->with) {
	case NFGATE_REJECT_NET_UNREACH:
		code = ICMP_NET_UNREACH;
		break;
	case NFGATE_REJECT_HOST_UNREACH:
		code = ICMP_HOST_UNREACH;
		break;
	case NFGATE_REJECT_PROTO_UNREACH:
		code = ICMP_PROT_UNREACH;
		break;
	case NFGATE_REJECT_NET_PROHIB:
		code = ICMP_NET_ANO;
		break;
	case NFGATE_REJECT_HOST_PROHIB:
		code = ICMP_HOST_ANO;
		break;
	case NFGATE_REJECT_ADMIN_PROHIB:
		code = ICMP_PKT_FILTERED;
		break;
	case NFGATE_REJECT_TCP_RESET:
		nf_send_reset(pkt->state->net, pkt->state->sk, pkt->skb, hook);
		return NF_DROP;
	default:
		code = ICMP_PORT_UNREACH;
		break;
	}
	nf_send_unreach(pkt->skb, code, hook);
	return NF_DROP;
}

static int nfgate_reject_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_reject *r = priv;

	return nla_put_u32(skb, NFGATE_REJECT_A_WITH, r->with);
}

const struct nfgate_ext_ops nfgate_ext_REJECT = {
	.name		= "REJECT",
	.is_target	= true,
	.size		= sizeof(struct nfgate_reject),
	.policy		= nfgate_reject_policy,
	.maxattr	= NFGATE_REJECT_A_MAX,
	.tables		= BIT(NFGATE_TABLE_FILTER),
	.hooks		= BIT(NF_INET_LOCAL_IN) | BIT(NF_INET_FORWARD) |
			  BIT(NF_INET_LOCAL_OUT),
	.init		= nfgate_reject_init,
	.target		= nfgate_reject_target,
	.dump		= nfgate_reject_dump,
};
