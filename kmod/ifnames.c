// SPDX-License-Identifier: GPL-2.0
/*
 * Interned interface-name pairs: the (-i, -o) names of a rule live out of
 * line, in one immutable, refcounted object per distinct pair, so a rule
 * without interface match (the common kube-proxy shape) pays one NULL
 * pointer instead of two IFNAMSIZ arrays (Documentation/design.rst,
 * Memory).  Equal pairs share one object, so a match holding the pointer
 * still compares with memcmp().
 *
 * The table is module-global (names are not secret and are few).  A
 * reference is dropped from rule frees, which run in RCU callbacks
 * (softirq), hence the _bh spinlock; the object itself is freed after a
 * further grace period, as packets read the names under RCU.
 */
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "internal.h"

#define NFGATE_IFN_HASH_BITS	6

static DEFINE_HASHTABLE(nfgate_ifn_table, NFGATE_IFN_HASH_BITS);
static DEFINE_SPINLOCK(nfgate_ifn_lock);

/* The compared part: lengths and both zero-padded names. */
#define NFGATE_IFN_KEY_LEN \
	(offsetofend(struct nfgate_ifnames, oif) - \
	 offsetof(struct nfgate_ifnames, iif_len))

static u32 nfgate_ifn_hash(const struct nfgate_ifnames *k)
{
	return jhash(&k->iif_len, NFGATE_IFN_KEY_LEN, 0);
}

static bool nfgate_ifn_eq(const struct nfgate_ifnames *a,
			  const struct nfgate_ifnames *b)
{
	return !memcmp(&a->iif_len, &b->iif_len, NFGATE_IFN_KEY_LEN);
}

/* The object equal to @key, with a new reference; lock held. */
static struct nfgate_ifnames *nfgate_ifn_find(const struct nfgate_ifnames *key,
					      u32 h)
{
	struct nfgate_ifnames *n;

	hash_for_each_possible(nfgate_ifn_table, n, node, h)
		if (nfgate_ifn_eq(n, key)) {
			refcount_inc(&n->refs);
			return n;
		}
	return NULL;
}

/*
 * The shared object equal to @key (names zero-padded, unused side all
 * zero), with a reference for the caller; NULL when out of memory.
 */
const struct nfgate_ifnames *nfgate_ifnames_get(const struct nfgate_ifnames *key)
{
	struct nfgate_ifnames *n, *fresh;
	u32 h = nfgate_ifn_hash(key);

	spin_lock_bh(&nfgate_ifn_lock);
	n = nfgate_ifn_find(key, h);
	spin_unlock_bh(&nfgate_ifn_lock);
	if (n)
		return n;
	/* Not under the _bh lock; look again, someone may have raced us. */
	fresh = kmalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return NULL;
	memcpy(fresh, key, sizeof(*fresh));
	refcount_set(&fresh->refs, 1);
	spin_lock_bh(&nfgate_ifn_lock);
	n = nfgate_ifn_find(key, h);
	if (!n) {
		hash_add(nfgate_ifn_table, &fresh->node, h);
		n = fresh;
		fresh = NULL;
	}
	spin_unlock_bh(&nfgate_ifn_lock);
	kfree(fresh);
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

	if (!w || refcount_dec_not_one(&w->refs))
		return;
	spin_lock_bh(&nfgate_ifn_lock);
	if (!refcount_dec_and_test(&w->refs)) {
		spin_unlock_bh(&nfgate_ifn_lock);
		return;
	}
	hash_del(&w->node);
	spin_unlock_bh(&nfgate_ifn_lock);
	kfree_rcu(w, rcu);
}

/* Module exit: every rule is gone, so must be every name pair. */
void nfgate_ifnames_exit(void)
{
	WARN_ON(!hash_empty(nfgate_ifn_table));
}
