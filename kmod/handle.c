// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: the per-namespace map handle -> rule (an xarray, nn->handles).
 * A rule gets its handle, and its slot, when a write command allocates
 * it, before anything is staged; the slot goes when the rule is unlinked
 * (abort, gc, namespace exit).
 *
 * A handle is 64 bits on every kernel: (epoch << 32) | slot, the slot a
 * 32-bit index that the xarray hands out cyclically (xa_alloc_cyclic()),
 * the epoch counting its wraps.  So the map never depends on the width of
 * unsigned long, handles grow strictly and are never reused, and a slot
 * is reused only after 2^32 creations, when the rule that held it is long
 * gone or skipped (Documentation/design.rst, Handles).  Slots are dense:
 * about 9 bytes per rule, lookups O(1).
 */
#include <linux/moduleparam.h>
#include <linux/xarray.h>

#include "chain.h"
#include "handle.h"
#include "netns.h"
#include "rule.h"

#define NFGATE_SLOT_BITS	32
#define NFGATE_SLOT_MAX		U32_MAX

/*
 * The handle of the first rule of a new namespace.  Only for tests: a
 * value just below 2^32 makes the first rules cross a slot wrap.
 */
static unsigned long long nfgate_handle_base = 1;
module_param_named(handle_base, nfgate_handle_base, ullong, 0644);
MODULE_PARM_DESC(handle_base,
		 "First rule handle of a new network namespace (testing)");

static u32 nfgate_slot(u64 handle)
{
	return handle & NFGATE_SLOT_MAX;
}

static u64 nfgate_handle_make(u32 epoch, u32 slot)
{
	return (u64)epoch << NFGATE_SLOT_BITS | slot;
}

void nfgate_handles_init(struct nfgate_net *nn)
{
	u64 base = clamp_val(READ_ONCE(nfgate_handle_base), 1,
			     NFGATE_HANDLE_MAX);

	xa_init_flags(&nn->handles, XA_FLAGS_ALLOC1);
	nn->handle_epoch = base >> NFGATE_SLOT_BITS;
	nn->handle_cursor = nfgate_slot(base);
}

/* Namespace exit: the rules themselves are freed with their chains. */
void nfgate_handles_destroy(struct nfgate_net *nn)
{
	xa_destroy(&nn->handles);
}

/* The handle the next rule gets unless its slot is still taken. */
u64 nfgate_handle_peek(const struct nfgate_net *nn)
{
	if (!nn->handle_cursor)
		return nfgate_handle_make(nn->handle_epoch + 1, 1);
	return nfgate_handle_make(nn->handle_epoch, nn->handle_cursor);
}

/* Give r the next handle; may allocate, so before staging. */
int nfgate_handle_add(struct nfgate_net *nn, struct nfgate_rule *r)
{
	u32 slot, cursor = nn->handle_cursor;
	int ret;

	/* r->handle shares its word with ost_own: 2^62 creations. */
	if (nfgate_handle_peek(nn) > NFGATE_HANDLE_MAX)
		return -ENOSPC;
	ret = xa_alloc_cyclic(&nn->handles, &slot, r,
			      XA_LIMIT(1, NFGATE_SLOT_MAX), &cursor,
			      GFP_KERNEL_ACCOUNT);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	/* 1: the slots wrapped (past a handle the peek above allowed). */
	if (ret == 1 && nn->handle_epoch + 1 >
	    (NFGATE_HANDLE_MAX >> NFGATE_SLOT_BITS)) {
		xa_erase(&nn->handles, slot);
		return -ENOSPC;
	}
	nn->handle_epoch += ret;
	nn->handle_cursor = cursor;
	r->handle = nfgate_handle_make(nn->handle_epoch, slot);
	return 0;
}

/* Never allocates. */
void nfgate_handle_del(struct nfgate_net *nn, struct nfgate_rule *r)
{
	if (r->handle)
		xa_erase(&nn->handles, nfgate_slot(r->handle));
}

/* Any rule with @handle, visible or not, until it is unlinked. */
struct nfgate_rule *nfgate_rule_by_handle(struct nfgate_net *nn, u64 handle)
{
	struct nfgate_rule *r = xa_load(&nn->handles, nfgate_slot(handle));

	return r && r->handle == handle ? r : NULL;
}

/* The rule with @handle in chain c, if visible in ver.  O(1). */
struct nfgate_rule *nfgate_chain_rule_by_handle(struct nfgate_chain *c,
						u64 handle, u64 ver)
{
	struct nfgate_rule *r = nfgate_rule_by_handle(c->table->nn, handle);

	if (r && r->chain == c && nfgate_rule_visible(r, ver))
		return r;
	return NULL;
}

/*
 * The rules the open transaction added: those with a handle from
 * txn.first_handle on.  Their slots run from that handle's slot to the
 * cursor, once around if the slots wrapped meanwhile; a slot in between
 * may hold an older rule that the allocation skipped, which the handle
 * tells apart.
 */
static struct nfgate_rule *nfgate_txn_scan(struct nfgate_net *nn,
					   struct nfgate_handle_iter *it,
					   bool after)
{
	u64 first = nn->txn.first_handle;
	u32 first_epoch = first >> NFGATE_SLOT_BITS;
	bool wrapped = nn->handle_epoch > first_epoch;
	unsigned long last = nn->handle_cursor ? nn->handle_cursor - 1 :
						  NFGATE_SLOT_MAX;
	struct nfgate_rule *r;

	/* The transaction began right at a wrap and has added nothing. */
	if (nn->handle_epoch < first_epoch)
		return NULL;
	for (;;) {
		unsigned long max = it->second || !wrapped ? last :
							     NFGATE_SLOT_MAX;

		if (after)
			r = xa_find_after(&nn->handles, &it->idx, max,
					  XA_PRESENT);
		else
			r = xa_find(&nn->handles, &it->idx, max, XA_PRESENT);
		after = true;
		if (r) {
			if (r->handle >= first)
				return r;
			continue;
		}
		if (it->second || !wrapped)
			return NULL;
		it->second = true;
		it->idx = 1;
		after = false;
	}
}

struct nfgate_rule *nfgate_txn_new_rule_first(struct nfgate_net *nn,
					      struct nfgate_handle_iter *it)
{
	it->idx = nfgate_slot(nn->txn.first_handle);
	it->second = false;
	return nfgate_txn_scan(nn, it, false);
}

struct nfgate_rule *nfgate_txn_new_rule_next(struct nfgate_net *nn,
					     struct nfgate_handle_iter *it)
{
	return nfgate_txn_scan(nn, it, true);
}
