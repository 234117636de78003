// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU packet/byte counters of rules and built-in chain policies.
 *
 * The packet path adds to its own CPU's slot (BH disabled, u64_stats
 * seqcount for 32-bit readers).  Readers sum all CPUs.  Zeroing and setting
 * never write the per-CPU slots: they move a base that is subtracted from
 * the sum, so they are exact even while packets flow.
 *
 * The bases are out of line: a block gets an array of them, one per
 * slot, when one of its slots is first zeroed or set (reserve), and keeps
 * it until the block is freed.  A slot's base is cleared when the slot is
 * handed out again.
 *
 * Slots come from blocks: one page-sized, page-aligned per-CPU allocation
 * holds many counters, so a rule costs a bitmap search under a spinlock
 * instead of an alloc_percpu() (a global mutex and a chunk bitmap scan, the
 * dominant cost of a bulk load).  Slot 0 of a block on CPU 0 holds a
 * pointer to the block's bookkeeping, found from any slot by the page
 * offset, so struct nfgate_counters needs no extra field.  A slot is freed
 * with its owner (after the RCU grace period for rules), zeroed when it is
 * handed out again, and a block goes back to the per-CPU allocator when its
 * last slot is freed.  Blocks are shared by all namespaces.
 */
#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "counters.h"

#define NFGATE_CNT_BLOCK_BYTES	PAGE_SIZE
#define NFGATE_CNT_SLOTS	\
	(NFGATE_CNT_BLOCK_BYTES / sizeof(struct nfgate_pcpu_counter))

/* What is subtracted from a slot's sum. */
struct nfgate_cnt_base {
	u64	packets;
	u64	bytes;
};

struct nfgate_cnt_block {
	struct nfgate_pcpu_counter __percpu *pcpu;	/* slot 0: header */
	struct list_head	node;		/* nfgate_cnt_partial */
	unsigned int		used;		/* slots handed out */
	DECLARE_BITMAP(map, NFGATE_CNT_SLOTS);
	/* NULL until reserved; published once, under nfgate_cnt_lock with
	 * a release (slots of one block belong to many namespaces).  An
	 * entry is written only under the netns mutex of its slot's owner.
	 */
	struct nfgate_cnt_base	*bases;
};

/* Slot 0 of a block, on CPU 0: the way back from a slot to its block. */
struct nfgate_cnt_header {
	struct nfgate_cnt_block	*block;
};

/*
 * Blocks with a free slot.  Slots are freed from RCU callbacks (softirq),
 * so the lock is taken with BH disabled.
 */
static DEFINE_SPINLOCK(nfgate_cnt_lock);
static LIST_HEAD(nfgate_cnt_partial);

static struct nfgate_cnt_block *nfgate_cnt_block_new(void)
{
	struct nfgate_cnt_header *h;
	struct nfgate_cnt_block *b;

	BUILD_BUG_ON(sizeof(struct nfgate_cnt_header) >
		     sizeof(struct nfgate_pcpu_counter));
	BUILD_BUG_ON(NFGATE_CNT_SLOTS < 2);
	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return NULL;
	b->pcpu = __alloc_percpu_gfp(NFGATE_CNT_BLOCK_BYTES,
				     NFGATE_CNT_BLOCK_BYTES,
				     GFP_KERNEL_ACCOUNT);
	if (!b->pcpu) {
		kfree(b);
		return NULL;
	}
	h = (struct nfgate_cnt_header *)per_cpu_ptr(b->pcpu, 0);
	h->block = b;
	__set_bit(0, b->map);
	b->used = 1;
	INIT_LIST_HEAD(&b->node);
	return b;
}

/* A free slot of a partial block, or NULL; nfgate_cnt_lock held. */
static struct nfgate_pcpu_counter __percpu *nfgate_cnt_take(void)
{
	struct nfgate_cnt_block *b;
	unsigned long i;

	b = list_first_entry_or_null(&nfgate_cnt_partial,
				     struct nfgate_cnt_block, node);
	if (!b)
		return NULL;
	i = find_first_zero_bit(b->map, NFGATE_CNT_SLOTS);
	__set_bit(i, b->map);
	if (++b->used == NFGATE_CNT_SLOTS)
		list_del_init(&b->node);
	return b->pcpu + i;
}

static struct nfgate_cnt_block *
nfgate_cnt_block_of(struct nfgate_pcpu_counter __percpu *slot,
		    unsigned long *index)
{
	unsigned long off = (unsigned long)per_cpu_ptr(slot, 0) &
			    (NFGATE_CNT_BLOCK_BYTES - 1);
	struct nfgate_pcpu_counter __percpu *base =
		(void __percpu *)((char __percpu *)slot - off);
	struct nfgate_cnt_header *h =
		(struct nfgate_cnt_header *)per_cpu_ptr(base, 0);

	*index = off / sizeof(struct nfgate_pcpu_counter);
	return h->block;
}

int nfgate_counters_alloc(struct nfgate_counters *c)
{
	struct nfgate_pcpu_counter __percpu *slot;
	struct nfgate_cnt_block *fresh = NULL, *b;
	struct nfgate_cnt_base *bases;
	unsigned long i;
	int cpu;

	for (;;) {
		spin_lock_bh(&nfgate_cnt_lock);
		if (fresh) {
			list_add(&fresh->node, &nfgate_cnt_partial);
			fresh = NULL;
		}
		slot = nfgate_cnt_take();
		spin_unlock_bh(&nfgate_cnt_lock);
		if (slot)
			break;
		fresh = nfgate_cnt_block_new();
		if (!fresh)
			return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct nfgate_pcpu_counter *pc = per_cpu_ptr(slot, cpu);

		memset(pc, 0, sizeof(*pc));
		u64_stats_init(&pc->syncp);
	}
	b = nfgate_cnt_block_of(slot, &i);
	bases = smp_load_acquire(&b->bases);	/* pairs with reserve */
	if (bases)
		memset(&bases[i], 0, sizeof(bases[i]));
	c->pcpu = slot;
	return 0;
}

/* Room for c's base; the control path, may sleep. */
int nfgate_counters_reserve(struct nfgate_counters *c)
{
	struct nfgate_cnt_base *bases;
	struct nfgate_cnt_block *b;
	unsigned long i;

	b = nfgate_cnt_block_of(c->pcpu, &i);
	if (smp_load_acquire(&b->bases))	/* pairs with the release */
		return 0;
	bases = kcalloc(NFGATE_CNT_SLOTS, sizeof(*bases), GFP_KERNEL_ACCOUNT);
	if (!bases)
		return -ENOMEM;
	spin_lock_bh(&nfgate_cnt_lock);
	if (!b->bases) {
		/* Zeroed array before pointer; pairs with the acquires. */
		smp_store_release(&b->bases, bases);
		bases = NULL;
	}
	spin_unlock_bh(&nfgate_cnt_lock);
	kfree(bases);
	return 0;
}

/* Any context: rules are freed from RCU callbacks. */
void nfgate_counters_free(struct nfgate_counters *c)
{
	struct nfgate_cnt_block *b, *empty = NULL;
	unsigned long i;

	if (!c->pcpu)
		return;
	b = nfgate_cnt_block_of(c->pcpu, &i);
	c->pcpu = NULL;
	spin_lock_bh(&nfgate_cnt_lock);
	__clear_bit(i, b->map);
	if (b->used-- == NFGATE_CNT_SLOTS)
		list_add_tail(&b->node, &nfgate_cnt_partial);
	if (b->used == 1) {
		list_del(&b->node);
		empty = b;
	}
	spin_unlock_bh(&nfgate_cnt_lock);
	if (empty) {
		free_percpu(empty->pcpu);	/* atomic context is fine */
		kfree(empty->bases);
		kfree(empty);
	}
}

static void nfgate_counters_sum(const struct nfgate_counters *c,
				u64 *packets, u64 *bytes)
{
	u64 pk = 0, by = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct nfgate_pcpu_counter *pc = per_cpu_ptr(c->pcpu, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&pc->syncp);
			p = u64_stats_read(&pc->packets);
			b = u64_stats_read(&pc->bytes);
		} while (u64_stats_fetch_retry(&pc->syncp, start));
		pk += p;
		by += b;
	}
	*packets = pk;
	*bytes = by;
}

void nfgate_counters_read(const struct nfgate_counters *c, u64 *packets,
			  u64 *bytes)
{
	const struct nfgate_cnt_base *bases;
	struct nfgate_cnt_block *b;
	unsigned long i;
	u64 pk, by;

	nfgate_counters_sum(c, &pk, &by);
	b = nfgate_cnt_block_of(c->pcpu, &i);
	bases = smp_load_acquire(&b->bases);	/* pairs with reserve */
	if (bases) {
		pk -= bases[i].packets;
		by -= bases[i].bytes;
	}
	*packets = pk;
	*bytes = by;
}

/*
 * Make the reported value (packets, bytes) from now on; netns mutex held,
 * after nfgate_counters_reserve().
 */
void nfgate_counters_set(struct nfgate_counters *c, u64 packets, u64 bytes)
{
	struct nfgate_cnt_base *bases;
	struct nfgate_cnt_block *b;
	unsigned long i;
	u64 pk, by;

	b = nfgate_cnt_block_of(c->pcpu, &i);
	bases = smp_load_acquire(&b->bases);	/* pairs with reserve */
	if (WARN_ON_ONCE(!bases))
		return;
	nfgate_counters_sum(c, &pk, &by);
	bases[i].packets = pk - packets;
	bases[i].bytes = by - bytes;
}
