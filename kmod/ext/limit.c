// SPDX-License-Identifier: GPL-2.0
/*
 * "limit" match: -m limit --limit RATE [--limit-burst N], a token bucket
 * per rule with xt_limit's arithmetic (credits per jiffy, the same overflow
 * bound), so that a rule lets through what the same iptables rule would.
 * Evaluating it spends a token: the kind is ordered (classify.c).
 */
#include <linux/jiffies.h>
#include <linux/log2.h>

#include "../ext.h"
#include "../match.h"

/* Credits are counted so that a day of them fits in a u32. */
#define NFGATE_LIMIT_MAX_CPJ	(0xFFFFFFFFUL / (HZ * 60 * 60 * 24))
#define NFGATE_LIMIT_CPJ	rounddown_pow_of_two(NFGATE_LIMIT_MAX_CPJ)

struct nfgate_limit {
	/* what the rule is */
	u32		avg;
	u32		burst;
	/* derived, and the bucket the packet path changes */
	u32		cost;		/* credits per packet */
	u32		cap;		/* a full bucket */
	u32		credit;		/* cmpxchg */
	u32		zero;
	unsigned long	prev;		/* jiffies of the last refill, xchg */
};

static const struct nla_policy nfgate_limit_policy[NFGATE_LIMIT_A_MAX + 1] = {
	[NFGATE_LIMIT_A_AVG]	= NLA_POLICY_MIN(NLA_U32, 1),
	[NFGATE_LIMIT_A_BURST]	= NLA_POLICY_RANGE(NLA_U32, 1,
						   NFGATE_LIMIT_MAX_BURST),
};

/* A time in 1/NFGATE_LIMIT_SCALE s as credits, without overflowing. */
static u32 nfgate_limit_credits(u32 user)
{
	if (user > 0xFFFFFFFF / (HZ * NFGATE_LIMIT_CPJ))
		return (user / NFGATE_LIMIT_SCALE) * HZ * NFGATE_LIMIT_CPJ;
	return (user * HZ * NFGATE_LIMIT_CPJ) / NFGATE_LIMIT_SCALE;
}

static int nfgate_limit_init(const struct nfgate_ext_ctx *ctx,
			     struct nlattr **tb, void *priv)
{
	struct nfgate_limit *l = priv;

	if (!tb[NFGATE_LIMIT_A_AVG] || !tb[NFGATE_LIMIT_A_BURST]) {
		NL_SET_ERR_MSG(ctx->extack, "limit needs AVG and BURST");
		return -EINVAL;
	}
	l->avg = nla_get_u32(tb[NFGATE_LIMIT_A_AVG]);
	l->burst = nla_get_u32(tb[NFGATE_LIMIT_A_BURST]);
	/* as xt_limit: avg * burst must not wrap */
	if (nfgate_limit_credits(l->avg * l->burst) <
	    nfgate_limit_credits(l->avg)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "limit: rate times burst overflows, try lower");
		return -ERANGE;
	}
	l->cap = nfgate_limit_credits(l->avg * l->burst);
	l->cost = nfgate_limit_credits(l->avg);
	l->credit = l->cap;	/* starts full */
	l->prev = jiffies;
	return 0;
}

static bool nfgate_limit_match(const void *priv, struct nfgate_pkt *pkt)
{
	struct nfgate_limit *l = (struct nfgate_limit *)priv;
	u64 refill = 0;
	unsigned long now;
	u32 old, new;
	bool hit;

	/* nothing to refill (same jiffy) and nothing to spend */
	if (READ_ONCE(l->credit) < l->cost &&
	    !time_after(jiffies, READ_ONCE(l->prev)))
		return false;
	do {
		now = jiffies;
		/* u64: a bucket idle for days refills to full, not wraps */
		refill += (u64)(now - xchg(&l->prev, now)) * NFGATE_LIMIT_CPJ;
		old = READ_ONCE(l->credit);
		new = min_t(u64, old + refill, l->cap);
		hit = new >= l->cost;
		if (hit)
			new -= l->cost;
	} while (cmpxchg(&l->credit, old, new) != old);
	return hit;
}

static int nfgate_limit_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_limit *l = priv;

	if (nla_put_u32(skb, NFGATE_LIMIT_A_AVG, l->avg) ||
	    nla_put_u32(skb, NFGATE_LIMIT_A_BURST, l->burst))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_limit = {
	.name		= "limit",
	.size		= sizeof(struct nfgate_limit),
	.cmp_size	= offsetof(struct nfgate_limit, cost),
	.ordered	= nfgate_ext_always_ordered,
	.policy		= nfgate_limit_policy,
	.maxattr	= NFGATE_LIMIT_A_MAX,
	.init		= nfgate_limit_init,
	.match		= nfgate_limit_match,
	.dump		= nfgate_limit_dump,
};
