/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cls_hash.c: the classifier's per-tuple hash tables, resized
 * incrementally under the chain's seqcount.
 */
#ifndef _NFGATE_CLS_HASH_H
#define _NFGATE_CLS_HASH_H

#include <linux/math.h>
#include <linux/rcupdate.h>
#include <linux/seqlock.h>
#include <linux/types.h>

/*
 * One bucket array: exactly 2^order bytes with this header, so kvmalloc()
 * does not round it up to twice the size.
 */
struct nfgate_ht_bkts {
	struct rcu_head		rcu;
	u32			nb;		/* buckets */
	u8			order;
	struct hlist_head	b[];
};

/* A table resized incrementally: old drains into cur (cls_hash.c). */
struct nfgate_ht {
	struct nfgate_ht_bkts __rcu	*cur;
	struct nfgate_ht_bkts __rcu	*old;	/* NULL unless resizing */
	u32				drained; /* old buckets moved */
	u32				n;	/* READ_ONCE */
	u32				seed;
};

static inline struct hlist_head *nfgate_ht_head(struct nfgate_ht_bkts *bk,
						u32 hash)
{
	return &bk->b[reciprocal_scale(hash, bk->nb)];
}

/* Array i of a lookup: 0 = cur, 1 = old (NULL unless resizing); RCU. */
static inline struct nfgate_ht_bkts *nfgate_ht_array(struct nfgate_ht *ht,
						     int i)
{
	return i ? rcu_dereference(ht->old) : rcu_dereference(ht->cur);
}

int nfgate_ht_init(struct nfgate_ht *ht);
void nfgate_ht_destroy(struct nfgate_ht *ht);
void nfgate_ht_insert(struct nfgate_ht *ht, struct hlist_node *node, u32 hash,
		      seqcount_t *seq,
		      u32 (*hashfn)(const struct hlist_node *, u32));
void nfgate_ht_remove(struct nfgate_ht *ht, struct hlist_node *node,
		      seqcount_t *seq,
		      u32 (*hashfn)(const struct hlist_node *, u32));

#endif /* _NFGATE_CLS_HASH_H */
