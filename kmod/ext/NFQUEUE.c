// SPDX-License-Identifier: GPL-2.0
/*
 * "NFQUEUE" target: -j NFQUEUE [--queue-num N | --queue-balance A:B]
 * [--queue-bypass] [--queue-cpu-fanout], as xt_NFQUEUE revision 3: the
 * verdict NF_QUEUE_NR(queue), with NF_VERDICT_FLAG_QUEUE_BYPASS when the
 * packet should go on (accepted by this hook) while nobody listens on the
 * queue.  A balanced rule picks its queue by nfqueue_hash() (addresses
 * and protocol, the same for both directions) or, with cpu-fanout, by
 * the CPU.
 *
 * "QUEUE" target: -j QUEUE, iptables' standard verdict NF_QUEUE (queue 0,
 * no bypass).
 */
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <net/netfilter/nf_queue.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_nfqueue {
	u16	num;
	u16	total;
	u32	flags;
};

static u32 nfgate_nfqueue_initval __read_mostly;

static const struct nla_policy nfgate_nfqueue_policy[NFGATE_NFQUEUE_A_MAX + 1] = {
	[NFGATE_NFQUEUE_A_NUM]		= { .type = NLA_U16 },
	[NFGATE_NFQUEUE_A_TOTAL]	= NLA_POLICY_MIN(NLA_U16, 1),
	[NFGATE_NFQUEUE_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_NFQUEUE_FLAGS),
};

static int nfgate_nfqueue_init(const struct nfgate_ext_ctx *ctx,
			       struct nlattr **tb, void *priv)
{
	struct nfgate_nfqueue *q = priv;

	q->total = 1;
	if (tb[NFGATE_NFQUEUE_A_NUM])
		q->num = nla_get_u16(tb[NFGATE_NFQUEUE_A_NUM]);
	if (tb[NFGATE_NFQUEUE_A_TOTAL])
		q->total = nla_get_u16(tb[NFGATE_NFQUEUE_A_TOTAL]);
	if (tb[NFGATE_NFQUEUE_A_FLAGS])
		q->flags = nla_get_u32(tb[NFGATE_NFQUEUE_A_FLAGS]);
	if ((u32)q->num + q->total - 1 > U16_MAX) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_NFQUEUE_A_TOTAL],
				    "NFQUEUE: the last queue is beyond 65535");
		return -ERANGE;
	}
	/*
	 * Seeded once, here on the control path under the config mutex, by
	 * hand: net_get_random_once() would patch the code of this function
	 * (a static key) from a work item while it runs, and a CPU of a QEMU
	 * TCG guest has been seen spinning on that patched site for good.
	 * A rule is published after its init, so the packet path reads the
	 * final seed.
	 */
	if (!READ_ONCE(nfgate_nfqueue_initval))
		WRITE_ONCE(nfgate_nfqueue_initval, get_random_u32() | 1);
	return 0;
}

static unsigned int nfgate_nfqueue_target(const void *priv,
					  struct nfgate_pkt *pkt)
{
	const struct nfgate_nfqueue *q = priv;
	u32 queue = q->num;
	unsigned int v;

	if (q->total > 1) {
		if (q->flags & NFGATE_NFQUEUE_CPU_FANOUT)
			queue += raw_smp_processor_id() % q->total;
		else
			queue = nfqueue_hash(pkt->skb, q->num, q->total,
					     NFPROTO_IPV4,
					     READ_ONCE(nfgate_nfqueue_initval));
	}
	v = NF_QUEUE_NR(queue);
	if (q->flags & NFGATE_NFQUEUE_BYPASS)
		v |= NF_VERDICT_FLAG_QUEUE_BYPASS;
	return v;
}

static int nfgate_nfqueue_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_nfqueue *q = priv;

	if (nla_put_u16(skb, NFGATE_NFQUEUE_A_NUM, q->num) ||
	    nla_put_u16(skb, NFGATE_NFQUEUE_A_TOTAL, q->total) ||
	    nla_put_u32(skb, NFGATE_NFQUEUE_A_FLAGS, q->flags))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_NFQUEUE = {
	.name		= "NFQUEUE",
	.is_target	= true,
	.size		= sizeof(struct nfgate_nfqueue),
	.policy		= nfgate_nfqueue_policy,
	.maxattr	= NFGATE_NFQUEUE_A_MAX,
	.init		= nfgate_nfqueue_init,
	.target		= nfgate_nfqueue_target,
	.dump		= nfgate_nfqueue_dump,
};

static int nfgate_queue_init(const struct nfgate_ext_ctx *ctx,
			     struct nlattr **tb, void *priv)
{
	return 0;
}

static unsigned int nfgate_queue_target(const void *priv,
					struct nfgate_pkt *pkt)
{
	return NF_QUEUE;
}

const struct nfgate_ext_ops nfgate_ext_QUEUE = {
	.name		= "QUEUE",
	.is_target	= true,
	.init		= nfgate_queue_init,
	.target		= nfgate_queue_target,
};
