// SPDX-License-Identifier: GPL-2.0
/*
 * Change notifications: after every commit that changed something, the
 * committed changes are multicast to the "events" group in the namespace
 * of the change, as messages with the command numbers and attributes of
 * the requests and dumps, followed by one TXN_COMMIT marker.
 *
 * Order (Documentation/protocol.rst, "Events"): new chains, policies,
 * deleted rules, new rules (by chain in dump order, then by position),
 * deleted chains, TXN_COMMIT.  Built while the netns mutex is held and the
 * transaction lists are still intact, right after the version store.  The
 * commit cannot fail: when memory runs out the listeners get ENOBUFS
 * (genl_set_err) and must resynchronize with a dump.
 */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "chain.h"
#include "events.h"
#include "handle.h"
#include "netlink.h"
#include "netns.h"
#include "ostree.h"
#include "rule.h"
#include "txn.h"

/* The batch being built. */
struct nfgate_ev {
	struct net		*net;
	struct sk_buff		*skb;
	u64			gen;
	u32			nmsgs;		/* change messages sent */
	bool			failed;
};

/* One message: what the fill function needs. */
struct nfgate_ev_obj {
	u8				cmd;
	const struct nfgate_chain	*chain;
	const struct nfgate_rule	*rule;
	u32				pos;
	u8				policy;
};

/* A new rule with its position, sorted before sending. */
struct nfgate_ev_new {
	const struct nfgate_rule	*r;
	u32				rank;
};

static void nfgate_ev_flush(struct nfgate_ev *ev)
{
	if (!ev->skb)
		return;
	if (ev->skb->len)
		/* A listener that cannot take it gets ENOBUFS from the core. */
		genlmsg_multicast_netns(&nfgate_genl_family, ev->net, ev->skb,
					0, NFGATE_MCGRP_EVENTS_IDX, GFP_KERNEL);
	else
		nlmsg_free(ev->skb);
	ev->skb = NULL;
}

static int nfgate_ev_fill(struct sk_buff *skb, const struct nfgate_ev_obj *o,
			  u64 gen, u32 nmsgs)
{
	const struct nfgate_chain *c = o->chain;

	if (c && (nla_put_u32(skb, NFGATE_A_TABLE, c->table->id) ||
		  nla_put_string(skb, NFGATE_A_CHAIN, c->name)))
		return -EMSGSIZE;
	switch (o->cmd) {
	case NFGATE_CMD_SETPOLICY:
		if (nla_put_u32(skb, NFGATE_A_POLICY, o->policy))
			return -EMSGSIZE;
		break;
	case NFGATE_CMD_NEWRULE:
		if (nla_put_u32(skb, NFGATE_A_POSITION, o->pos) ||
		    nfgate_rule_fill(skb, o->rule))
			return -EMSGSIZE;
		break;
	case NFGATE_CMD_DELRULE:
		if (nla_put_u64_64bit(skb, NFGATE_A_HANDLE, o->rule->handle,
				      NFGATE_A_PAD) ||
		    nfgate_rule_fill(skb, o->rule))
			return -EMSGSIZE;
		break;
	case NFGATE_CMD_TXN_COMMIT:
		if (nla_put_u32(skb, NFGATE_A_TXN_OPS, nmsgs))
			return -EMSGSIZE;
		break;
	}
	return nla_put_u64_64bit(skb, NFGATE_A_GENERATION, gen, NFGATE_A_PAD);
}

/* Append one message; a full skb is sent and the message retried. */
static void nfgate_ev_put(struct nfgate_ev *ev, const struct nfgate_ev_obj *o)
{
	int tries;

	if (ev->failed)
		return;
	for (tries = 0; tries < 2; tries++) {
		void *hdr;

		if (!ev->skb) {
			ev->skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
			if (!ev->skb)
				break;
		}
		hdr = genlmsg_put(ev->skb, 0, 0, &nfgate_genl_family, 0,
				  o->cmd);
		if (hdr && !nfgate_ev_fill(ev->skb, o, ev->gen, ev->nmsgs)) {
			genlmsg_end(ev->skb, hdr);
			if (o->cmd != NFGATE_CMD_TXN_COMMIT)
				ev->nmsgs++;
			return;
		}
		if (hdr)
			genlmsg_cancel(ev->skb, hdr);
		if (!ev->skb->len)
			break;	/* does not fit an empty skb */
		nfgate_ev_flush(ev);
	}
	ev->failed = true;
}

static void nfgate_ev_chain(struct nfgate_ev *ev, u8 cmd,
			    const struct nfgate_chain *c)
{
	struct nfgate_ev_obj o = { .cmd = cmd, .chain = c };

	nfgate_ev_put(ev, &o);
}

static void nfgate_ev_rule(struct nfgate_ev *ev, u8 cmd,
			   const struct nfgate_rule *r, u32 pos)
{
	struct nfgate_ev_obj o = {
		.cmd = cmd, .chain = r->chain, .rule = r, .pos = pos,
	};

	nfgate_ev_put(ev, &o);
}

/* Chains in dump order: table, built-ins by hook, user chains by name. */
static int nfgate_ev_chain_cmp(const struct nfgate_chain *a,
			       const struct nfgate_chain *b)
{
	if (a->table->id != b->table->id)
		return a->table->id < b->table->id ? -1 : 1;
	if (a->builtin != b->builtin)
		return a->builtin ? -1 : 1;
	if (a->builtin)
		return a->hook < b->hook ? -1 : a->hook > b->hook;
	return strcmp(a->name, b->name);
}

static int nfgate_ev_new_cmp(const void *pa, const void *pb)
{
	const struct nfgate_ev_new *a = pa, *b = pb;
	int d;

	if (a->r->chain != b->r->chain) {
		d = nfgate_ev_chain_cmp(a->r->chain, b->r->chain);
		if (d)
			return d;
	}
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/*
 * New rules sorted by chain, then by position: applied in this order to
 * a copy of the previous ruleset (after the deletions), every insert at
 * its position lands where the committed ruleset has it.
 */
static void nfgate_ev_new_rules(struct nfgate_ev *ev, struct nfgate_txn *t)
{
	struct nfgate_ev_new *v;
	struct nfgate_net *nn = container_of(t, struct nfgate_net, txn);
	struct nfgate_rule *r;
	struct nfgate_handle_iter it;
	size_t n = 0, i = 0;

	nfgate_txn_for_each_new_rule(nn, it, r)
		if (READ_ONCE(r->del_ver) == NFGATE_VER_INF)
			n++;
	if (!n || ev->failed)
		return;
	v = kvmalloc_array(n, sizeof(*v), GFP_KERNEL);
	if (!v) {
		ev->failed = true;
		return;
	}
	nfgate_txn_for_each_new_rule(nn, it, r) {
		if (READ_ONCE(r->del_ver) != NFGATE_VER_INF)
			continue;	/* added and deleted in this txn */
		v[i].r = r;
		v[i].rank = nfgate_rule_rank(r);
		i++;
	}
	sort(v, n, sizeof(*v), nfgate_ev_new_cmp, NULL);
	for (i = 0; i < n; i++)
		nfgate_ev_rule(ev, NFGATE_CMD_NEWRULE, v[i].r, v[i].rank);
	kvfree(v);
}

void nfgate_events_commit(struct nfgate_net *nn)
{
	struct nfgate_txn *t = &nn->txn;
	struct nfgate_ev ev = {
		.net = nn->net,
		.gen = nn->version,
	};
	struct nfgate_ev_obj commit = { .cmd = NFGATE_CMD_TXN_COMMIT };
	struct nfgate_chain *c;
	struct nfgate_rule *r;

	lockdep_assert_held(&nn->mutex);
	if (!genl_has_listeners(&nfgate_genl_family, nn->net,
				NFGATE_MCGRP_EVENTS_IDX))
		return;

	/* Objects created and deleted in this transaction were never
	 * committed: they are skipped.
	 */
	list_for_each_entry(c, &t->new_chains, txn_node)
		if (c->del_ver == NFGATE_VER_INF)
			nfgate_ev_chain(&ev, NFGATE_CMD_NEWCHAIN, c);

	list_for_each_entry(c, &t->policy_chains, txn_pol_node) {
		struct nfgate_policy *p = nfgate_chain_policy(c, ev.gen);
		struct nfgate_ev_obj o = {
			.cmd = NFGATE_CMD_SETPOLICY, .chain = c,
			.policy = p->verdict,
		};

		if (c->pol_staged &&
		    nfgate_chain_policy(c, ev.gen - 1)->verdict != p->verdict)
			nfgate_ev_put(&ev, &o);
	}

	list_for_each_entry(r, &t->del_rules, gc_node)
		if (r->add_ver != ev.gen)
			nfgate_ev_rule(&ev, NFGATE_CMD_DELRULE, r, 0);

	nfgate_ev_new_rules(&ev, t);

	list_for_each_entry(c, &t->del_chains, gc.node)
		if (c->add_ver != ev.gen)
			nfgate_ev_chain(&ev, NFGATE_CMD_DELCHAIN, c);

	nfgate_ev_put(&ev, &commit);
	if (ev.failed) {
		/* Tell every listener that it missed changes. */
		nlmsg_free(ev.skb);
		genl_set_err(&nfgate_genl_family, nn->net, 0,
			     NFGATE_MCGRP_EVENTS_IDX, -ENOBUFS);
		return;
	}
	nfgate_ev_flush(&ev);
}
