// SPDX-License-Identifier: GPL-2.0
/*
 * "CONNMARK" target: -j CONNMARK, xt_connmark's target revision 1, then
 * the next rule.  SET: ctmark = (ctmark & ~CTMASK) ^ CTMARK; SAVE: ctmark
 * = (ctmark & ~CTMASK) ^ (mark & NFMASK); RESTORE: mark = (mark &
 * ~NFMASK) ^ (ctmark & CTMASK).  A packet without a conntrack entry is
 * left alone.  A rule using it holds conntrack for its namespace.
 */
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_xconnmark {
	u32	ctmark;
	u32	ctmask;
	u32	nfmask;
	u8	mode;
	u8	zero[3];
};

static const struct nla_policy
nfgate_xconnmark_policy[NFGATE_XCONNMARK_A_MAX + 1] = {
	[NFGATE_XCONNMARK_A_MODE]	= NLA_POLICY_MAX(NLA_U8,
							 NFGATE_CONNMARK_MODE_MAX),
	[NFGATE_XCONNMARK_A_CTMARK]	= { .type = NLA_U32 },
	[NFGATE_XCONNMARK_A_CTMASK]	= { .type = NLA_U32 },
	[NFGATE_XCONNMARK_A_NFMASK]	= { .type = NLA_U32 },
};

static int nfgate_xconnmark_init(const struct nfgate_ext_ctx *ctx,
				 struct nlattr **tb, void *priv)
{
	struct nfgate_xconnmark *x = priv;

	if (!tb[NFGATE_XCONNMARK_A_MODE] || !tb[NFGATE_XCONNMARK_A_CTMARK] ||
	    !tb[NFGATE_XCONNMARK_A_CTMASK] || !tb[NFGATE_XCONNMARK_A_NFMASK]) {
		NL_SET_ERR_MSG(ctx->extack,
			       "CONNMARK needs MODE, CTMARK, CTMASK and NFMASK");
		return -EINVAL;
	}
	x->mode = nla_get_u8(tb[NFGATE_XCONNMARK_A_MODE]);
	x->ctmark = nla_get_u32(tb[NFGATE_XCONNMARK_A_CTMARK]);
	x->ctmask = nla_get_u32(tb[NFGATE_XCONNMARK_A_CTMASK]);
	x->nfmask = nla_get_u32(tb[NFGATE_XCONNMARK_A_NFMASK]);
	return 0;
}

static void nfgate_xconnmark_set(struct nf_conn *ct, u32 newmark)
{
	if (READ_ONCE(ct->mark) != newmark) {
		WRITE_ONCE(ct->mark, newmark);
		nf_conntrack_event_cache(IPCT_MARK, ct);
	}
}

static unsigned int nfgate_xconnmark_target(const void *priv,
					    struct nfgate_pkt *pkt)
{
	const struct nfgate_xconnmark *x = priv;
	struct sk_buff *skb = pkt->skb;
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;
	u32 old;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct)
		return NFGATE_EXT_CONTINUE;
	old = READ_ONCE(ct->mark);
	switch (x->mode) {
	case NFGATE_CONNMARK_SET:
		nfgate_xconnmark_set(ct, (old & ~x->ctmask) ^ x->ctmark);
		break;
	case NFGATE_CONNMARK_SAVE:
		nfgate_xconnmark_set(ct, (old & ~x->ctmask) ^
					 (skb->mark & x->nfmask));
		break;
	case NFGATE_CONNMARK_RESTORE:
		skb->mark = (skb->mark & ~x->nfmask) ^ (old & x->ctmask);
		break;
	}
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_xconnmark_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_xconnmark *x = priv;

	if (nla_put_u8(skb, NFGATE_XCONNMARK_A_MODE, x->mode) ||
	    nla_put_u32(skb, NFGATE_XCONNMARK_A_CTMARK, x->ctmark) ||
	    nla_put_u32(skb, NFGATE_XCONNMARK_A_CTMASK, x->ctmask) ||
	    nla_put_u32(skb, NFGATE_XCONNMARK_A_NFMASK, x->nfmask))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_CONNMARK = {
	.name		= "CONNMARK",
	.is_target	= true,
	.size		= sizeof(struct nfgate_xconnmark),
	.policy		= nfgate_xconnmark_policy,
	.maxattr	= NFGATE_XCONNMARK_A_MAX,
	.conntrack	= true,
	.init		= nfgate_xconnmark_init,
	.target		= nfgate_xconnmark_target,
	.dump		= nfgate_xconnmark_dump,
};
