// SPDX-License-Identifier: GPL-2.0
/*
 * Packet path: the netfilter hook function and the chain walk.
 *
 * One version is read per packet; every rule and policy is judged in that
 * version, so a packet sees one committed ruleset, never a mix.  Each step
 * asks the chain for the first matching rule after the current one: the
 * classifier (classify.c) for longer chains, a list walk for short ones.
 * Jumps push (chain, rule) on a fixed on-stack array; nothing here
 * allocates, takes a lock or WARNs.
 */
#include <linux/ip.h>
#include <linux/netfilter_ipv4.h>
#include <net/ip.h>

#include "chain.h"
#include "classify.h"
#include "counters.h"
#include "eval.h"
#include "ext.h"
#include "hooks.h"
#include "match.h"
#include "netns.h"
#include "rule.h"

struct nfgate_frame {
	struct nfgate_chain	*chain;
	struct nfgate_rule	*rule;	/* continue after this one */
};

static inline struct list_head *nfgate_next(struct list_head *pos)
{
	return rcu_dereference(list_next_rcu(pos));
}

static unsigned int nfgate_policy_verdict(struct nfgate_chain *base, u64 ver,
					  unsigned int len)
{
	struct nfgate_policy *p = rcu_dereference(base->policy);
	u8 verdict = NFGATE_VERDICT_ACCEPT;

	while (p && p->since > ver)
		p = rcu_dereference(p->prev);
	if (p)
		verdict = p->verdict;
	nfgate_counters_add(&base->policy_cnt, len);
	return verdict == NFGATE_VERDICT_DROP ? NF_DROP : NF_ACCEPT;
}

/*
 * The list walk: for short chains, and for packets that the first port
 * rule reached drops (a TCP/UDP header cut short, whose ports cannot be
 * keyed; a TCP fragment at offset 1).  A rule the packet matched is
 * visible in its version, so gc cannot unlink it before the packet is
 * done.
 */
static struct nfgate_rule *nfgate_list_next(struct nfgate_chain *c,
					    struct nfgate_rule *after, u64 ver,
					    struct nfgate_pkt *pkt)
{
	struct list_head *pos;

	pos = nfgate_next(after ? &after->list : &c->rules);
	for (; pos != &c->rules; pos = nfgate_next(pos)) {
		struct nfgate_rule *r = list_entry(pos, struct nfgate_rule,
						   list);

		if (!nfgate_rule_visible(r, ver))
			continue;
		if (nfgate_rule_match(r, pkt))
			return r;
		if (unlikely(pkt->hotdrop))
			return NULL;
	}
	return NULL;
}

static unsigned int nfgate_walk(struct nfgate_chain *base, u64 ver,
				struct nfgate_pkt *pkt, bool linear)
{
	/*
	 * Written before read (sp; cp.ready): CONFIG_INIT_STACK_ALL_ZERO
	 * would otherwise clear 300 bytes for every packet.
	 */
	struct nfgate_frame stack[NFGATE_MAX_JUMP_DEPTH] __uninitialized;
	struct nfgate_cls_pkt cp __uninitialized;
	unsigned int len = pkt->skb->len;
	struct nfgate_chain *chain = base;
	struct nfgate_rule *after = NULL, *r;
	unsigned int sp = 0;

	cp.ready = false;
	for (;;) {
		if (linear ||
		    READ_ONCE(chain->cls.nrules) < READ_ONCE(nfgate_cls_linear))
			r = nfgate_list_next(chain, after, ver, pkt);
		else
			r = nfgate_cls_next(chain, after, ver, pkt, &cp);
		if (unlikely(pkt->hotdrop))
			return NF_DROP;
		if (!r)
			goto do_return;
		nfgate_counters_add(&r->cnt, len);

		switch (r->m.verdict) {
		case NFGATE_VERDICT_ACCEPT:
			return NF_ACCEPT;
		case NFGATE_VERDICT_DROP:
			return NF_DROP;
		case NFGATE_VERDICT_RETURN:
			goto do_return;
		case NFGATE_VERDICT_JUMP:
			/* The control path keeps nesting within the stack;
			 * should that ever fail, drop quietly.
			 */
			if (unlikely(sp >= ARRAY_SIZE(stack)))
				return NF_DROP;
			stack[sp].chain = chain;
			stack[sp].rule = r;
			sp++;
			fallthrough;
		case NFGATE_VERDICT_GOTO:
			chain = nfgate_rule_jump(r);
			after = NULL;
			continue;
		case NFGATE_VERDICT_EXT: {
			unsigned int v = nfgate_ext_target(r->ext, pkt);

			if (v != NFGATE_EXT_CONTINUE)
				return v;
			after = r;
			continue;
		}
		default:
			/* No target: counters only, go on after it. */
			after = r;
			continue;
		}
do_return:
		/* Falling off a chain or RETURN: back to the caller, or the
		 * base chain's policy when there is none.
		 */
		if (!sp)
			break;
		sp--;
		chain = stack[sp].chain;
		after = stack[sp].rule;
	}
	return nfgate_policy_verdict(base, ver, len);
}

unsigned int nfgate_hook_fn(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	const struct nfgate_hook_desc *d = priv;
	struct nfgate_net *nn = nfgate_pernet(state->net);
	struct nfgate_chain *base = nn->tables[d->table].builtin[d->hook];
	const struct iphdr *iph = ip_hdr(skb);
	struct nfgate_pkt pkt = {
		.skb = skb,
		.state = state,
		.in = state->in,
		.out = state->out,
		.saddr = iph->saddr,
		.daddr = iph->daddr,
		.proto = iph->protocol,
		.thoff = skb_network_offset(skb) + ip_hdrlen(skb),
		.fragoff = ntohs(iph->frag_off) & IP_OFFSET,
		.ports = NFGATE_PORTS_UNKNOWN,
	};
	unsigned int verdict;
	bool linear = false;
	u64 ver;

	/*
	 * The classifier keys ports, so it needs them now.  Packets that the
	 * first tcp/udp match reached drops (a head too short for its header,
	 * a TCP fragment at offset 1) take the list walk, which stops there,
	 * in chain order, as iptables does (Documentation/classifier.rst).
	 */
	if (pkt.proto == IPPROTO_TCP || pkt.proto == IPPROTO_UDP) {
		if (!pkt.fragoff)
			linear = !nfgate_load_ports_quiet(&pkt);
		else
			linear = pkt.fragoff == 1 && pkt.proto == IPPROTO_TCP;
	}

	/* Pairs with smp_store_release() in nfgate_txn_commit(). */
	ver = smp_load_acquire(&nn->version);
	/*
	 * Per-CPU counters and the classifier's seqcount readers need BH
	 * off.  Received and forwarded packets come in softirq context with
	 * BH off already; only packets a local process sends (LOCAL_OUT,
	 * then POST_ROUTING) pay for disabling it.
	 */
	if (softirq_count())
		return nfgate_walk(base, ver, &pkt, linear);
	local_bh_disable();
	verdict = nfgate_walk(base, ver, &pkt, linear);
	local_bh_enable();
	return verdict;
}
