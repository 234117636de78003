// SPDX-License-Identifier: GPL-2.0
/*
 * Delete by specification (iptables -D CHAIN <rule>): a per-namespace
 * rhltable of rules keyed by a hash of (chain, verdict, target, normalized
 * match).  struct nfgate_match is padding-free, so the hash covers exactly
 * what nfgate_rule_equal() compares.  Equal hashes share a list; the
 * lookup keeps the rules that are really equal and visible in the view
 * and, among several, the first in chain order (lowest rank).
 *
 * A rule enters the table when a write command allocates it (before
 * staging: insertion may allocate) and leaves it when it is unlinked.
 */
#include <linux/jhash.h>
#include <linux/rhashtable.h>

#include "internal.h"

static const struct rhashtable_params nfgate_spec_params = {
	.head_offset		= offsetof(struct nfgate_rule, spec_node),
	.key_offset		= offsetof(struct nfgate_rule, spec_hash),
	.key_len		= sizeof(u32),
	.automatic_shrinking	= true,
};

static u32 nfgate_spec_hashfn(const struct nfgate_chain *c, u8 verdict,
			      const struct nfgate_chain *target,
			      const struct nfgate_match *m)
{
	u32 h;

	BUILD_BUG_ON(sizeof(*m) % sizeof(u32));
	h = jhash(&c, sizeof(c), verdict);
	h = jhash(&target, sizeof(target), h);
	return jhash2((const u32 *)m, sizeof(*m) / sizeof(u32), h);
}

int nfgate_spec_init(struct nfgate_net *nn)
{
	return rhltable_init(&nn->specs, &nfgate_spec_params);
}

/* Namespace exit: the rules themselves are freed with their chains. */
void nfgate_spec_destroy(struct nfgate_net *nn)
{
	rhltable_destroy(&nn->specs);
}

/* Enter r (about to be staged into c); may allocate. */
int nfgate_spec_add(struct nfgate_net *nn, struct nfgate_chain *c,
		    struct nfgate_rule *r)
{
	int err;

	r->spec_hash = nfgate_spec_hashfn(c, r->verdict, r->target, &r->m);
	err = rhltable_insert(&nn->specs, &r->spec_node, nfgate_spec_params);
	if (!err)
		r->spec_in = true;
	return err;
}

/* Never allocates. */
void nfgate_spec_del(struct nfgate_net *nn, struct nfgate_rule *r)
{
	if (!r->spec_in)
		return;
	rhltable_remove(&nn->specs, &r->spec_node, nfgate_spec_params);
	r->spec_in = false;
}

/* The first rule of c in chain order visible in ver that equals spec. */
struct nfgate_rule *
nfgate_chain_rule_by_spec(struct nfgate_chain *c,
			  const struct nfgate_rule_spec *spec, u64 ver)
{
	struct nfgate_net *nn = c->table->nn;
	struct nfgate_rule *r, *best = NULL;
	struct rhlist_head *list, *pos;
	u32 best_rank = 0, hash;

	hash = nfgate_spec_hashfn(c, spec->verdict, spec->target, &spec->m);
	rcu_read_lock();
	list = rhltable_lookup(&nn->specs, &hash, nfgate_spec_params);
	rhl_for_each_entry_rcu(r, pos, list, spec_node) {
		u32 rank;

		if (r->chain != c || !nfgate_rule_visible(r, ver) ||
		    !nfgate_rule_equal(r, spec))
			continue;
		/* Duplicates are rare; rank them only when there are two. */
		if (!best) {
			best = r;
			continue;
		}
		if (!best_rank)
			best_rank = nfgate_rule_rank_in(best, ver);
		rank = nfgate_rule_rank_in(r, ver);
		if (rank < best_rank) {
			best = r;
			best_rank = rank;
		}
	}
	rcu_read_unlock();
	return best;
}
