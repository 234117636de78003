// SPDX-License-Identifier: GPL-2.0
/*
 * Positions: an order-statistic tree per chain.  Every rule linked into a
 * chain's RCU list is also a node of chain->ost, in the same order.  Each
 * node counts the rules of its subtree that are visible in the next view
 * and in the committed view, so position -> rule and rule -> rank take
 * O(log n).  The tree needs no key: a new rule is linked next to its list
 * neighbour.  Control path only (netns mutex); packets never look at it.
 */
#include <linux/rbtree_augmented.h>

#include "chain.h"
#include "netns.h"
#include "ostree.h"
#include "rule.h"

#define NFGATE_OST_NEXT		BIT(0)	/* visible in version + 1 */
#define NFGATE_OST_CMT		BIT(1)	/* visible in version */

static inline struct nfgate_rule *nfgate_ost_rule(const struct rb_node *n)
{
	return rb_entry(n, struct nfgate_rule, ost_node);
}

static inline struct nfgate_ost_cnt nfgate_ost_sub(const struct rb_node *n)
{
	struct nfgate_ost_cnt zero = {};

	return n ? nfgate_ost_rule(n)->ost_sub : zero;
}

/* Recompute r's subtree counts; with exit, stop propagating if unchanged. */
static inline bool nfgate_ost_compute(struct nfgate_rule *r, bool exit)
{
	struct nfgate_ost_cnt l = nfgate_ost_sub(r->ost_node.rb_left);
	struct nfgate_ost_cnt rt = nfgate_ost_sub(r->ost_node.rb_right);
	struct nfgate_ost_cnt s;

	s.next = l.next + rt.next + !!(r->ost_own & NFGATE_OST_NEXT);
	s.cmt = l.cmt + rt.cmt + !!(r->ost_own & NFGATE_OST_CMT);
	if (exit && s.next == r->ost_sub.next && s.cmt == r->ost_sub.cmt)
		return true;
	r->ost_sub = s;
	return false;
}

RB_DECLARE_CALLBACKS(static, nfgate_ost_cb, struct nfgate_rule, ost_node,
		     ost_sub, nfgate_ost_compute);

/* Add (d = 1) or remove (d = -1) r's own flags @bits on the path to root. */
static void nfgate_ost_path_add(struct rb_node *n, u8 bits, int d)
{
	for (; n; n = rb_parent(n)) {
		struct nfgate_rule *r = nfgate_ost_rule(n);

		if (bits & NFGATE_OST_NEXT)
			r->ost_sub.next += d;
		if (bits & NFGATE_OST_CMT)
			r->ost_sub.cmt += d;
	}
}

static void nfgate_ost_set(struct nfgate_rule *r, u8 own)
{
	u8 on = own & ~r->ost_own, off = r->ost_own & ~own;

	r->ost_own = own;
	if (on)
		nfgate_ost_path_add(&r->ost_node, on, 1);
	if (off)
		nfgate_ost_path_add(&r->ost_node, off, -1);
}

/*
 * Link a just-staged rule (visible in the next view only) after @prev in
 * chain order, or first if @prev is NULL.  Allocates nothing.
 */
void nfgate_ost_insert(struct nfgate_chain *c, struct nfgate_rule *r,
		       struct nfgate_rule *prev)
{
	struct rb_node **link, *parent = NULL;

	if (!prev) {
		link = &c->ost.rb_node;
		while (*link) {
			parent = *link;
			link = &parent->rb_left;
		}
	} else if (!prev->ost_node.rb_right) {
		parent = &prev->ost_node;
		link = &parent->rb_right;
	} else {
		/* The successor of prev has no left child. */
		parent = prev->ost_node.rb_right;
		while (parent->rb_left)
			parent = parent->rb_left;
		link = &parent->rb_left;
	}
	r->ost_own = NFGATE_OST_NEXT;
	r->ost_sub.next = 1;
	r->ost_sub.cmt = 0;
	/* rb_insert_augmented() wants the path to the new leaf updated. */
	nfgate_ost_path_add(parent, NFGATE_OST_NEXT, 1);
	rb_link_node(&r->ost_node, parent, link);
	rb_insert_augmented(&r->ost_node, &c->ost, &nfgate_ost_cb);
}

/* Unlink r from its chain's tree (abort of a new rule, gc, exit). */
void nfgate_ost_erase(struct nfgate_rule *r)
{
	if (RB_EMPTY_NODE(&r->ost_node))
		return;
	/* Take r's own counts off the path first: erase only recomputes
	 * the nodes it moves.
	 */
	nfgate_ost_set(r, 0);
	rb_erase_augmented(&r->ost_node, &r->chain->ost, &nfgate_ost_cb);
	RB_CLEAR_NODE(&r->ost_node);
}

/* A staged delete (live = false) or its undo by abort (live = true). */
void nfgate_ost_stage(struct nfgate_rule *r, bool live)
{
	u8 own = r->ost_own & ~NFGATE_OST_NEXT;

	nfgate_ost_set(r, live ? own | NFGATE_OST_NEXT : own);
}

/* Commit: the next view becomes the committed one for r. */
void nfgate_ost_commit(struct nfgate_rule *r)
{
	u8 own = r->ost_own & NFGATE_OST_NEXT;

	nfgate_ost_set(r, own ? NFGATE_OST_NEXT | NFGATE_OST_CMT : 0);
}

/* Which count answers for @ver: the committed or the next view. */
static int nfgate_ost_view(const struct nfgate_chain *c, u64 ver)
{
	u64 cur = c->table->nn->version;

	if (ver == cur)
		return NFGATE_OST_CMT;
	if (ver == cur + 1)
		return NFGATE_OST_NEXT;
	return 0;
}

static inline u32 nfgate_ost_count(const struct rb_node *n, int view)
{
	struct nfgate_ost_cnt s = nfgate_ost_sub(n);

	return view == NFGATE_OST_CMT ? s.cmt : s.next;
}

/* The pos-th (1-based) rule visible in ver, or NULL.  O(log n). */
struct nfgate_rule *nfgate_chain_rule_at(struct nfgate_chain *c, u32 pos,
					 u64 ver)
{
	int view = nfgate_ost_view(c, ver);
	struct rb_node *n = c->ost.rb_node;

	if (WARN_ON_ONCE(!view) || !pos)
		return NULL;
	while (n) {
		struct nfgate_rule *r = nfgate_ost_rule(n);
		u32 left = nfgate_ost_count(n->rb_left, view);

		if (pos <= left) {
			n = n->rb_left;
			continue;
		}
		pos -= left;
		if (r->ost_own & view) {
			if (pos == 1)
				return r;
			pos--;
		}
		n = n->rb_right;
	}
	return NULL;
}

/*
 * r's 1-based position among the rules visible in ver; for a rule not
 * visible there, the number of visible rules before it.  O(log n).
 */
u32 nfgate_rule_rank_in(const struct nfgate_rule *r, u64 ver)
{
	int view = nfgate_ost_view(r->chain, ver);
	const struct rb_node *n = &r->ost_node;
	const struct rb_node *p;
	u32 rank;

	if (WARN_ON_ONCE(!view))
		return 0;
	rank = nfgate_ost_count(n->rb_left, view) + !!(r->ost_own & view);
	for (p = rb_parent(n); p; n = p, p = rb_parent(p)) {
		const struct nfgate_rule *pr = nfgate_ost_rule(p);

		if (p->rb_right == n)
			rank += nfgate_ost_count(p->rb_left, view) +
				!!(pr->ost_own & view);
	}
	return rank;
}

/*
 * r's 1-based position in the next view: right after a commit, its
 * position in the committed view (for change notifications).
 */
u32 nfgate_rule_rank(const struct nfgate_rule *r)
{
	return nfgate_rule_rank_in(r, nfgate_next_ver(r->chain->table->nn));
}
