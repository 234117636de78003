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
 */
#include <linux/slab.h>
#include <linux/stringify.h>

#include "chain.h"
#include "jump.h"
#include "netns.h"

static struct nfgate_edge *nfgate_edge_find(struct nfgate_chain *from,
					    struct nfgate_chain *to)
{
	struct nfgate_edge *e;

	list_for_each_entry(e, &from->out_edges, out_node)
		if (e->to == to)
			return e;
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
