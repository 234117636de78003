// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier's per-tuple hash table: RCU hlist buckets in one bare
 * power-of-two allocation, resized incrementally (Documentation/classifier.rst,
 * "Hash tables").
 *
 * rhashtable puts a cache-line header in front of 2^k buckets, so its
 * kmalloc'ed tables round up to twice their size; this table's allocation
 * is exactly 2^order bytes, header included, and the bucket index is
 * reciprocal_scale(hash, nb), so nb need not be a power of two.  It grows
 * above two entries per slot and shrinks below one per four.
 *
 * A resize publishes the new array as cur and keeps the old one as old; the
 * writer then moves a few old buckets per write (under the chain's
 * seqcount, BH disabled) until old is empty and freed after a grace period.
 * Readers look in cur and old under RCU and repeat a lookup that overlapped
 * a move: a moved node's next pointer leads into cur's chain, which never
 * leads back, so a walk always ends.
 *
 * Writers hold the netns mutex.
 */
#include <linux/math.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "cls_hash.h"

/* 2^NFGATE_HT_MIN_ORDER bytes: 5 buckets after the header. */
#define NFGATE_HT_MIN_ORDER	6
/* Old buckets moved per write while a resize is in progress. */
#define NFGATE_HT_DRAIN		16

static struct nfgate_ht_bkts *nfgate_ht_alloc(u8 order)
{
	struct nfgate_ht_bkts *b;
	size_t size = (size_t)1 << order;

	/* Zeroed heads are empty lists. */
	b = kvzalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!b)
		return NULL;
	b->order = order;
	b->nb = (size - offsetof(struct nfgate_ht_bkts, b)) /
		sizeof(struct hlist_head);
	return b;
}

static struct nfgate_ht_bkts *nfgate_ht_cur(const struct nfgate_ht *ht)
{
	return rcu_dereference_protected(ht->cur, true);	/* netns mutex */
}

static struct nfgate_ht_bkts *nfgate_ht_old(const struct nfgate_ht *ht)
{
	return rcu_dereference_protected(ht->old, true);	/* netns mutex */
}

int nfgate_ht_init(struct nfgate_ht *ht)
{
	struct nfgate_ht_bkts *b = nfgate_ht_alloc(NFGATE_HT_MIN_ORDER);

	if (!b)
		return -ENOMEM;
	RCU_INIT_POINTER(ht->cur, b);
	RCU_INIT_POINTER(ht->old, NULL);
	ht->drained = 0;
	ht->n = 0;
	ht->seed = get_random_u32();
	return 0;
}

/* No reader can reach the table any more. */
void nfgate_ht_destroy(struct nfgate_ht *ht)
{
	kvfree(nfgate_ht_cur(ht));
	kvfree(nfgate_ht_old(ht));
	RCU_INIT_POINTER(ht->cur, NULL);
	RCU_INIT_POINTER(ht->old, NULL);
}

/* Move up to @budget old buckets into cur; free old once empty. */
static void nfgate_ht_drain(struct nfgate_ht *ht, seqcount_t *seq,
			    u32 (*hashfn)(const struct hlist_node *, u32),
			    unsigned int budget)
{
	struct nfgate_ht_bkts *cur = nfgate_ht_cur(ht);
	struct nfgate_ht_bkts *old = nfgate_ht_old(ht);
	struct hlist_node *node;
	struct hlist_head *head;

	if (!old)
		return;
	local_bh_disable();
	write_seqcount_begin(seq);
	for (; budget && ht->drained < old->nb; budget--, ht->drained++) {
		head = &old->b[ht->drained];
		while ((node = head->first)) {
			hlist_del_rcu(node);
			hlist_add_head_rcu(node,
					   nfgate_ht_head(cur, hashfn(node,
								      ht->seed)));
		}
	}
	if (ht->drained == old->nb)
		RCU_INIT_POINTER(ht->old, NULL);
	write_seqcount_end(seq);
	local_bh_enable();
	if (!rcu_access_pointer(ht->old))
		kvfree_rcu(old, rcu);
}

/* Start moving to a table of 2^order bytes, if the memory is there. */
static void nfgate_ht_resize(struct nfgate_ht *ht, seqcount_t *seq, u8 order)
{
	struct nfgate_ht_bkts *b = nfgate_ht_alloc(order);

	if (!b)
		return;		/* longer chains, still correct */
	local_bh_disable();
	write_seqcount_begin(seq);
	rcu_assign_pointer(ht->old, nfgate_ht_cur(ht));
	rcu_assign_pointer(ht->cur, b);
	ht->drained = 0;
	write_seqcount_end(seq);
	local_bh_enable();
}

/* After a write: start a resize if the load left its band, then drain. */
static void nfgate_ht_balance(struct nfgate_ht *ht, seqcount_t *seq,
			      u32 (*hashfn)(const struct hlist_node *, u32))
{
	u8 order = nfgate_ht_cur(ht)->order;
	u32 slots = 1U << (order - 3);	/* 8-byte slots, header included */

	if (!nfgate_ht_old(ht)) {
		if (ht->n > 2 * slots && order < 31)
			nfgate_ht_resize(ht, seq, order + 1);
		else if (ht->n < slots / 4 && order > NFGATE_HT_MIN_ORDER)
			nfgate_ht_resize(ht, seq, order - 1);
	}
	nfgate_ht_drain(ht, seq, hashfn, NFGATE_HT_DRAIN);
}

void nfgate_ht_insert(struct nfgate_ht *ht, struct hlist_node *node, u32 hash,
		      seqcount_t *seq,
		      u32 (*hashfn)(const struct hlist_node *, u32))
{
	hlist_add_head_rcu(node, nfgate_ht_head(nfgate_ht_cur(ht), hash));
	WRITE_ONCE(ht->n, ht->n + 1);
	nfgate_ht_balance(ht, seq, hashfn);
}

/* node was inserted; it keeps its next pointer for readers still on it. */
void nfgate_ht_remove(struct nfgate_ht *ht, struct hlist_node *node,
		      seqcount_t *seq,
		      u32 (*hashfn)(const struct hlist_node *, u32))
{
	hlist_del_init_rcu(node);
	WRITE_ONCE(ht->n, ht->n - 1);
	nfgate_ht_balance(ht, seq, hashfn);
}
