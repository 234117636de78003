// SPDX-License-Identifier: GPL-2.0
/*
 * The jump graph of a table in the next view: one edge per (from, to) chain
 * pair with the number of rules that jump or go to 'to' from 'from'.  It
 * keeps loop and depth checks proportional to the number of edges, not
 * rules, and gives chain->refs.
 *
 * Invariant: the graph is acyclic and no path has more than
 * NFGATE_MAX_JUMP_DEPTH edges (JUMP and GOTO both count), so the packet
 * path's return stack cannot overflow and the recursions here are at most
 * NFGATE_MAX_JUMP_DEPTH + 1 deep.  Every new edge is checked against it.
 *
 * Edges whose count drops to zero stay allocated until the transaction
 * ends, so that aborting (which re-adds counts) never needs memory.
 *
 * Hooks, as ip_tables' mark_source_chains() and check of each entry's
 * hook mask: a match or target kind may allow only some hooks (DNAT:
 * PREROUTING, OUTPUT).  Second invariant: no rule is reachable from a base
 * chain whose hook one of its kinds does not allow, through any number of
 * user chains.  Each chain counts, per hook, its rules that do not allow
 * it (hook_deny, next view).  A new rule is checked against the hooks its
 * chain is reached from (a walk up its callers); a new edge also against
 * what the chains below its target deny (a walk down).  Both walks stop
 * at chains they have seen, so a check costs the part of the graph above
 * the chain and below the target, and deleting never needs one.
 */
#include <linux/slab.h>
#include <linux/stringify.h>

#include "chain.h"
#include "ext.h"
#include "jump.h"
#include "netns.h"
#include "rule.h"
#include "txn.h"

/*
 * The edge from -> to, if any.  It is on both from's out list and to's in
 * list: walk the two in step, so that the cost is twice the shorter list.
 * kube-proxy's KUBE-SERVICES has one out edge per service and each
 * KUBE-SVC one in edge; walking only the out list made adding a service
 * O(services), and loading N services O(N^2).
 */
static struct nfgate_edge *nfgate_edge_find(struct nfgate_chain *from,
					    struct nfgate_chain *to)
{
	struct list_head *out = from->out_edges.next;
	struct list_head *in = to->in_edges.next;
	struct nfgate_edge *e;

	while (out != &from->out_edges && in != &to->in_edges) {
		e = list_entry(out, struct nfgate_edge, out_node);
		if (e->to == to)
			return e;
		e = list_entry(in, struct nfgate_edge, in_node);
		if (e->from == from)
			return e;
		out = out->next;
		in = in->next;
	}
	return NULL;
}

/* Longest path (in edges) from c downwards; -ELOOP if it reaches stop. */
static int nfgate_depth_below(struct nfgate_chain *c, struct nfgate_chain *stop,
			      u64 stamp, unsigned int level)
{
	struct nfgate_edge *e;
	int best = 0;

	if (c == stop || level > NFGATE_MAX_JUMP_DEPTH)
		return -ELOOP;
	if (c->dfs_stamp == stamp)
		return c->dfs_val;
	list_for_each_entry(e, &c->out_edges, out_node) {
		int d;

		if (!e->count)
			continue;
		d = nfgate_depth_below(e->to, stop, stamp, level + 1);
		if (d < 0)
			return d;
		best = max(best, d + 1);
	}
	c->dfs_stamp = stamp;
	c->dfs_val = best;
	return best;
}

/* Longest path (in edges) from any chain down to c. */
static int nfgate_depth_above(struct nfgate_chain *c, u64 stamp,
			      unsigned int level)
{
	struct nfgate_edge *e;
	int best = 0;

	if (level > NFGATE_MAX_JUMP_DEPTH)
		return -ELOOP;
	if (c->dfs_stamp == stamp)
		return c->dfs_val;
	list_for_each_entry(e, &c->in_edges, in_node) {
		int d;

		if (!e->count)
			continue;
		d = nfgate_depth_above(e->from, stamp, level + 1);
		if (d < 0)
			return d;
		best = max(best, d + 1);
	}
	c->dfs_stamp = stamp;
	c->dfs_val = best;
	return best;
}

/* May a rule in @from jump or go to @to (next view)? */
int nfgate_jump_check(struct nfgate_net *nn, struct nfgate_chain *from,
		      struct nfgate_chain *to, struct netlink_ext_ack *extack)
{
	struct nfgate_edge *e = nfgate_edge_find(from, to);
	int below, above;

	if (e && e->count)
		return 0;	/* the graph does not change */
	below = nfgate_depth_below(to, from, ++nn->dfs_stamp, 0);
	if (below < 0) {
		NL_SET_ERR_MSG(extack, "jump would create a loop");
		return -ELOOP;
	}
	above = nfgate_depth_above(from, ++nn->dfs_stamp, 0);
	if (above < 0 || above + 1 + below > NFGATE_MAX_JUMP_DEPTH) {
		NL_SET_ERR_MSG(extack, "jump would nest chains deeper than "
			       __stringify(NFGATE_MAX_JUMP_DEPTH));
		return -ELOOP;
	}
	return 0;
}

#define NFGATE_ALL_HOOKS	(BIT(NF_INET_NUMHOOKS) - 1)

/* The hooks a rule's extensions do not allow (0: all allowed). */
static unsigned int nfgate_ext_deny(const struct nfgate_ext_block *ext)
{
	return ext ? ~ext->hooks & NFGATE_ALL_HOOKS : 0;
}

/* A rule with extensions @ext enters (delta 1) or leaves (-1) chain c. */
void nfgate_jump_account(struct nfgate_chain *c,
			 const struct nfgate_ext_block *ext, int delta)
{
	unsigned int deny = nfgate_ext_deny(ext), h;

	for (h = 0; h < NF_INET_NUMHOOKS; h++)
		if (deny & BIT(h))
			c->hook_deny[h] += delta;
}

static unsigned int nfgate_own_deny(const struct nfgate_chain *c)
{
	unsigned int h, deny = 0;

	for (h = 0; h < NF_INET_NUMHOOKS; h++)
		if (c->hook_deny[h])
			deny |= BIT(h);
	return deny;
}

/* The base hooks c is reached from (next view). */
static unsigned int nfgate_hooks_above(struct nfgate_chain *c, u64 stamp,
				       unsigned int level)
{
	struct nfgate_edge *e;
	unsigned int hooks = 0;

	if (c->builtin)
		return BIT(c->hook);
	if (c->dfs_stamp == stamp)
		return c->dfs_val;
	/* The graph is acyclic and at most NFGATE_MAX_JUMP_DEPTH deep. */
	if (WARN_ON_ONCE(level > NFGATE_MAX_JUMP_DEPTH))
		return 0;
	list_for_each_entry(e, &c->in_edges, in_node)
		if (e->count)
			hooks |= nfgate_hooks_above(e->from, stamp, level + 1);
	c->dfs_stamp = stamp;
	c->dfs_val = hooks;
	return hooks;
}

/* The hooks some rule in c or in a chain below it does not allow. */
static unsigned int nfgate_deny_below(struct nfgate_chain *c, u64 stamp,
				      unsigned int level)
{
	struct nfgate_edge *e;
	unsigned int deny;

	if (c->dfs_stamp == stamp)
		return c->dfs_val;
	deny = nfgate_own_deny(c);
	if (WARN_ON_ONCE(level > NFGATE_MAX_JUMP_DEPTH))
		return deny;
	list_for_each_entry(e, &c->out_edges, out_node)
		if (e->count)
			deny |= nfgate_deny_below(e->to, stamp, level + 1);
	c->dfs_stamp = stamp;
	c->dfs_val = deny;
	return deny;
}

/*
 * Below c, whose nfgate_deny_below() of this stamp has @hook, the first
 * chain with a rule of its own that does not allow it.
 */
static struct nfgate_chain *nfgate_deny_find(struct nfgate_chain *c,
					     u64 stamp, unsigned int hook)
{
	struct nfgate_edge *e;
	unsigned int level;

	for (level = 0; level <= NFGATE_MAX_JUMP_DEPTH; level++) {
		if (c->hook_deny[hook])
			return c;
		list_for_each_entry(e, &c->out_edges, out_node)
			if (e->count && e->to->dfs_stamp == stamp &&
			    (e->to->dfs_val & BIT(hook)))
				break;
		if (list_entry_is_head(e, &c->out_edges, out_node))
			return NULL;
		c = e->to;
	}
	return NULL;
}

/* The kind of the first rule of c (next view) that does not allow hook. */
static const char *nfgate_deny_kind(struct nfgate_net *nn,
				    struct nfgate_chain *c, unsigned int hook)
{
	u64 next = nfgate_next_ver(nn);
	struct nfgate_rule *r;
	const char *name;

	list_for_each_entry(r, &c->rules, list) {
		if (!r->m.ext || !nfgate_rule_visible(r, next))
			continue;
		name = nfgate_ext_denier(r->ext, hook);
		if (name)
			return name;
	}
	return "?";
}

/*
 * May a rule with extensions @ext (or NULL) that jumps or goes to @to (or
 * NULL) be added to chain c?  Refused when c is reached from a base chain
 * whose hook one of the rule's kinds, or of the rules below @to, does not
 * allow.
 */
int nfgate_jump_check_hooks(struct nfgate_net *nn, struct nfgate_chain *c,
			    const struct nfgate_ext_block *ext,
			    struct nfgate_chain *to,
			    struct netlink_ext_ack *extack)
{
	unsigned int own = nfgate_ext_deny(ext), below = 0, bad, hook;
	struct nfgate_edge *e = to ? nfgate_edge_find(c, to) : NULL;
	u64 below_stamp = 0;
	struct nfgate_chain *d;

	/* An existing edge was checked when it was made. */
	if (to && !(e && e->count)) {
		below_stamp = ++nn->dfs_stamp;
		below = nfgate_deny_below(to, below_stamp, 0);
	}
	if (!(own | below))
		return 0;
	bad = nfgate_hooks_above(c, ++nn->dfs_stamp, 0) & (own | below);
	if (!bad)
		return 0;
	hook = __ffs(bad);
	if (own & BIT(hook)) {
		if (c->builtin)
			nfgate_extack_fmt(nn, extack,
					  "%s is not valid in chain %s",
					  nfgate_ext_denier(ext, hook), c->name);
		else
			nfgate_extack_fmt(nn, extack,
					  "%s in chain %s is not valid from hook %s",
					  nfgate_ext_denier(ext, hook), c->name,
					  nfgate_hook_chain_name(hook));
		return -EINVAL;
	}
	/* The stamps of the walk down are intact: the walk up does not
	 * reach below @to (the graph is acyclic), it only stamps callers.
	 */
	d = nfgate_deny_find(to, below_stamp, hook);
	if (WARN_ON_ONCE(!d))
		return -EINVAL;
	nfgate_extack_fmt(nn, extack,
			  "%s in chain %s is not valid from hook %s (jump to %s)",
			  nfgate_deny_kind(nn, d, hook), d->name,
			  nfgate_hook_chain_name(hook), to->name);
	return -EINVAL;
}

/* Count one more rule from -> to; allocates the edge on first use. */
int nfgate_jump_get(struct nfgate_chain *from, struct nfgate_chain *to)
{
	struct nfgate_edge *e = nfgate_edge_find(from, to);

	if (!e) {
		e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (!e)
			return -ENOMEM;
		e->from = from;
		e->to = to;
		INIT_LIST_HEAD(&e->sweep_node);
		list_add_tail(&e->out_node, &from->out_edges);
		list_add_tail(&e->in_node, &to->in_edges);
	}
	e->count++;
	to->refs++;
	return 0;
}

/*
 * Abort of a staged deletion: the edge is still allocated, because edges
 * are swept only when the transaction ends, so this cannot fail.
 */
void nfgate_jump_restore(struct nfgate_chain *from, struct nfgate_chain *to)
{
	struct nfgate_edge *e = nfgate_edge_find(from, to);

	if (e) {
		e->count++;
		to->refs++;
	}
}

/* Count one rule less; an edge at zero is freed when the txn ends. */
void nfgate_jump_put(struct nfgate_net *nn, struct nfgate_chain *from,
		     struct nfgate_chain *to)
{
	struct nfgate_edge *e = nfgate_edge_find(from, to);

	if (!e || !e->count)
		return;
	e->count--;
	to->refs--;
	if (!e->count && list_empty(&e->sweep_node))
		list_add_tail(&e->sweep_node, &nn->txn.sweep_edges);
}

static void nfgate_edge_free(struct nfgate_edge *e)
{
	list_del(&e->out_node);
	list_del(&e->in_node);
	list_del(&e->sweep_node);
	kfree(e);
}

void nfgate_jump_sweep(struct nfgate_net *nn)
{
	struct nfgate_edge *e, *tmp;

	list_for_each_entry_safe(e, tmp, &nn->txn.sweep_edges, sweep_node) {
		if (e->count)
			list_del_init(&e->sweep_node);
		else
			nfgate_edge_free(e);
	}
}

/*
 * A chain created and deleted in one transaction: its edges are all at
 * zero (no rule in it, none jumping to it) and no abort needs them.
 */
void nfgate_jump_forget(struct nfgate_chain *c)
{
	struct nfgate_edge *e, *tmp;

	list_for_each_entry_safe(e, tmp, &c->out_edges, out_node) {
		WARN_ON_ONCE(e->count);
		nfgate_edge_free(e);
	}
	list_for_each_entry_safe(e, tmp, &c->in_edges, in_node) {
		WARN_ON_ONCE(e->count);
		nfgate_edge_free(e);
	}
}

/* Namespace exit: drop every edge leaving c. */
void nfgate_jump_free_all(struct nfgate_chain *c)
{
	struct nfgate_edge *e, *tmp;

	list_for_each_entry_safe(e, tmp, &c->out_edges, out_node)
		nfgate_edge_free(e);
}
