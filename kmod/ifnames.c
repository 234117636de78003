// SPDX-License-Identifier: GPL-2.0
/*
 * Interned interface-name pairs: the (-i, -o) names of a rule live out of
 * line, in one immutable, refcounted object per distinct pair, so a rule
 * without interface match (the common kube-proxy shape) pays one NULL
 * pointer instead of two IFNAMSIZ arrays (Documentation/design.rst,
 * Memory).  Equal pairs share one object, so a match holding the pointer
 * still compares with memcmp().
 *
 * The table is per network namespace (struct nfgate_net), an rhashtable:
 * randomly seeded and resized as it fills, so no namespace can predict the
 * buckets or make the chains long, and no namespace touches another's
 * table or lock.  A namespace holds at most max_ifnames distinct pairs.
 *
 * A reference is dropped when a rule is freed (gc, or a namespace's
 * teardown, both in process context; the _bh spinlock is a leftover of
 * frees from RCU callbacks and costs nothing on the control path); the
 * lock makes the last put and its unhash one step against a lookup taking
 * a reference.  The object itself is freed after a further grace period,
 * as packets read the names under RCU.  The object knows its namespace,
 * for the put; the table outlives every rule (nfgate_ifnames_destroy()).
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ifnames.h"
#include "main.h"
#include "netns.h"

/* The compared part: lengths and both zero-padded names. */
#define NFGATE_IFN_KEY_LEN \
	(offsetofend(struct nfgate_ifnames, oif) - \
	 offsetof(struct nfgate_ifnames, iif_len))

static const struct rhashtable_params nfgate_ifn_params = {
	.head_offset		= offsetof(struct nfgate_ifnames, node),
	.key_offset		= offsetof(struct nfgate_ifnames, iif_len),
	.key_len		= NFGATE_IFN_KEY_LEN,
	.nelem_hint		= 4,	/* most namespaces have none or few */
	.automatic_shrinking	= true,
};

int nfgate_ifnames_init(struct nfgate_net *nn)
{
	/* One 96-byte kmalloc object per distinct pair. */
	BUILD_BUG_ON(sizeof(struct nfgate_ifnames) > 96);
	spin_lock_init(&nn->ifnames_lock);
	nn->nifnames = 0;
	return rhashtable_init(&nn->ifnames, &nfgate_ifn_params);
}

/* Namespace exit, after every rule of the namespace is freed. */
void nfgate_ifnames_destroy(struct nfgate_net *nn)
{
	WARN_ON(nn->nifnames);
	rhashtable_destroy(&nn->ifnames);
}

/* The object equal to @key, with a new reference; lock held. */
static struct nfgate_ifnames *nfgate_ifn_find(struct nfgate_net *nn,
					      const struct nfgate_ifnames *key)
{
	struct nfgate_ifnames *n;

	/* In the table means referenced: the last put unhashes, locked. */
	n = rhashtable_lookup_fast(&nn->ifnames, &key->iif_len,
				   nfgate_ifn_params);
	if (n)
		refcount_inc(&n->refs);
	return n;
}

/*
 * The shared object of @nn equal to @key (names zero-padded, unused side
 * all zero), with a reference for the caller.  ERR_PTR(-ENOSPC) when the
 * namespace already holds max_ifnames other pairs, ERR_PTR(-ENOMEM) when
 * out of memory.
 */
const struct nfgate_ifnames *nfgate_ifnames_get(struct nfgate_net *nn,
						const struct nfgate_ifnames *key)
{
	struct nfgate_ifnames *n, *fresh;
	int err = 0;

	spin_lock_bh(&nn->ifnames_lock);
	n = nfgate_ifn_find(nn, key);
	spin_unlock_bh(&nn->ifnames_lock);
	if (n)
		return n;
	/* Not under the _bh lock; look again, someone may have raced us. */
	fresh = kmalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return ERR_PTR(-ENOMEM);
	memcpy(fresh, key, sizeof(*fresh));
	memset(&fresh->node, 0, sizeof(fresh->node));
	fresh->nn = nn;
	refcount_set(&fresh->refs, 1);
	spin_lock_bh(&nn->ifnames_lock);
	n = nfgate_ifn_find(nn, key);
	if (!n) {
		if (nn->nifnames >= READ_ONCE(nfgate_max_ifnames))
			err = -ENOSPC;
		else
			err = rhashtable_insert_fast(&nn->ifnames,
						     &fresh->node,
						     nfgate_ifn_params);
		if (!err) {
			nn->nifnames++;
			n = fresh;
			fresh = NULL;
		}
	}
	spin_unlock_bh(&nn->ifnames_lock);
	kfree(fresh);
	if (err == -ENOSPC)
		return ERR_PTR(err);
	/* -E2BIG, -EBUSY: the table could not grow in atomic context. */
	return n ?: ERR_PTR(-ENOMEM);
}

/*
 * The shared object of @nn equal to @key with a reference, NULL if there
 * is none: then no rule of the namespace names this pair.
 */
const struct nfgate_ifnames *nfgate_ifnames_find(struct nfgate_net *nn,
						 const struct nfgate_ifnames *key)
{
	struct nfgate_ifnames *n;

	spin_lock_bh(&nn->ifnames_lock);
	n = nfgate_ifn_find(nn, key);
	spin_unlock_bh(&nn->ifnames_lock);
	return n;
}

/* Another reference to an object the caller already holds one of. */
void nfgate_ifnames_hold(const struct nfgate_ifnames *n)
{
	struct nfgate_ifnames *w = (struct nfgate_ifnames *)n;

	if (w)
		refcount_inc(&w->refs);
}

/*
 * Drop a reference; NULL is no interface.  The last one unhashes the
 * object and frees it after a grace period: a packet may still be reading
 * the names through a rule freed without one (nfgate_chain_destroy()
 * frees unreachable rules at once, but unreachable from new readers only).
 */
void nfgate_ifnames_put(const struct nfgate_ifnames *n)
{
	struct nfgate_ifnames *w = (struct nfgate_ifnames *)n;
	struct nfgate_net *nn;

	if (!w || refcount_dec_not_one(&w->refs))
		return;
	nn = w->nn;
	spin_lock_bh(&nn->ifnames_lock);
	if (!refcount_dec_and_test(&w->refs)) {
		spin_unlock_bh(&nn->ifnames_lock);
		return;
	}
	rhashtable_remove_fast(&nn->ifnames, &w->node, nfgate_ifn_params);
	nn->nifnames--;
	spin_unlock_bh(&nn->ifnames_lock);
	kfree_rcu(w, rcu);
}
