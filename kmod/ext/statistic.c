// SPDX-License-Identifier: GPL-2.0
/*
 * "statistic" match: -m statistic, as xt_statistic.  --mode random
 * matches when 31 random bits are below the probability threshold; --mode
 * nth keeps a counter per rule, shared by all CPUs, and matches every
 * N-th packet that reaches it.  The counter is a side effect of each
 * evaluation, so an nth rule is tried strictly in order (classify.c); the
 * counter lives outside the compared part of the private data, so two
 * rules with the same options are the same rule whatever their counts.
 */
#include <linux/atomic.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_stat_master {
	atomic_t	count;
};

struct nfgate_stat {
	u32	prob;		/* random: threshold on 31 bits */
	u32	last;		/* nth: EVERY - 1, the counter's top */
	u32	packet;		/* nth: PACKET, as given */
	u8	mode;
	u8	inv;
	u8	zero[2];
	/* not compared: run-time state (cmp_size) */
	struct nfgate_stat_master *master;	/* nth only */
};

static const struct nla_policy nfgate_stat_policy[NFGATE_STATISTIC_A_MAX + 1] = {
	[NFGATE_STATISTIC_A_MODE]	= NLA_POLICY_MAX(NLA_U8,
							 NFGATE_STATISTIC_MODE_MAX),
	[NFGATE_STATISTIC_A_INV]	= { .type = NLA_FLAG },
	[NFGATE_STATISTIC_A_PROBABILITY] = { .type = NLA_U32 },
	[NFGATE_STATISTIC_A_EVERY]	= NLA_POLICY_MIN(NLA_U32, 1),
	[NFGATE_STATISTIC_A_PACKET]	= { .type = NLA_U32 },
};

static int nfgate_stat_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	struct nfgate_stat *s = priv;
	bool random;

	if (!tb[NFGATE_STATISTIC_A_MODE]) {
		NL_SET_ERR_MSG(ctx->extack, "statistic match without MODE");
		return -EINVAL;
	}
	s->mode = nla_get_u8(tb[NFGATE_STATISTIC_A_MODE]);
	s->inv = nla_get_flag(tb[NFGATE_STATISTIC_A_INV]);
	random = s->mode == NFGATE_STATISTIC_RANDOM;
	if (random != !!tb[NFGATE_STATISTIC_A_PROBABILITY] ||
	    random == !!tb[NFGATE_STATISTIC_A_EVERY] ||
	    (random && tb[NFGATE_STATISTIC_A_PACKET])) {
		NL_SET_ERR_MSG(ctx->extack,
			       "statistic: RANDOM takes PROBABILITY, NTH takes EVERY and PACKET");
		return -EINVAL;
	}
	if (random) {
		s->prob = nla_get_u32(tb[NFGATE_STATISTIC_A_PROBABILITY]);
		if (s->prob > NFGATE_STATISTIC_PROB_ONE) {
			NL_SET_ERR_MSG_ATTR(ctx->extack,
					    tb[NFGATE_STATISTIC_A_PROBABILITY],
					    "statistic: PROBABILITY above 0x80000000");
			return -EINVAL;
		}
		return 0;
	}
	s->last = nla_get_u32(tb[NFGATE_STATISTIC_A_EVERY]) - 1;
	if (tb[NFGATE_STATISTIC_A_PACKET])
		s->packet = nla_get_u32(tb[NFGATE_STATISTIC_A_PACKET]);
	if (s->packet > s->last) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_STATISTIC_A_PACKET],
				    "statistic: PACKET must be below EVERY");
		return -EINVAL;
	}
	s->master = kzalloc(sizeof(*s->master), GFP_KERNEL_ACCOUNT);
	if (!s->master)
		return -ENOMEM;
	/* the first match comes after EVERY - PACKET packets */
	atomic_set(&s->master->count, s->last - s->packet);
	return 0;
}

static void nfgate_stat_destroy(struct net *net, void *priv)
{
	struct nfgate_stat *s = priv;

	kfree(s->master);
}

static bool nfgate_stat_ordered(const void *priv)
{
	const struct nfgate_stat *s = priv;

	return s->mode == NFGATE_STATISTIC_NTH;
}

static bool nfgate_stat_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_stat *s = priv;
	int oval, nval;

	if (s->mode == NFGATE_STATISTIC_RANDOM)
		return ((get_random_u32() & 0x7FFFFFFF) < s->prob) ^ s->inv;
	do {
		oval = atomic_read(&s->master->count);
		nval = (u32)oval == s->last ? 0 : oval + 1;
	} while (atomic_cmpxchg(&s->master->count, oval, nval) != oval);
	return !nval ^ s->inv;
}

static int nfgate_stat_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_stat *s = priv;

	if (nla_put_u8(skb, NFGATE_STATISTIC_A_MODE, s->mode) ||
	    (s->inv && nla_put_flag(skb, NFGATE_STATISTIC_A_INV)))
		return -EMSGSIZE;
	if (s->mode == NFGATE_STATISTIC_RANDOM)
		return nla_put_u32(skb, NFGATE_STATISTIC_A_PROBABILITY,
				   s->prob) ? -EMSGSIZE : 0;
	if (nla_put_u32(skb, NFGATE_STATISTIC_A_EVERY, s->last + 1) ||
	    nla_put_u32(skb, NFGATE_STATISTIC_A_PACKET, s->packet))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_statistic = {
	.name		= "statistic",
	.size		= sizeof(struct nfgate_stat),
	.cmp_size	= offsetof(struct nfgate_stat, master),
	.policy		= nfgate_stat_policy,
	.maxattr	= NFGATE_STATISTIC_A_MAX,
	.init		= nfgate_stat_init,
	.destroy	= nfgate_stat_destroy,
	.ordered	= nfgate_stat_ordered,
	.match		= nfgate_stat_match,
	.dump		= nfgate_stat_dump,
};
