// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: the per-namespace map handle -> rule (an xarray, nn->handles).
 * A rule gets its handle, and its slot, when a write command allocates
 * it, before anything is staged; the slot goes when the rule is unlinked
 * (abort, gc, namespace exit).  Handles are never reused and grow by one,
 * so the xarray stays dense: about 9 bytes per rule, lookups O(1).
 */
#include <linux/xarray.h>

#include "internal.h"

void nfgate_handles_init(struct nfgate_net *nn)
{
	xa_init(&nn->handles);
	nn->next_handle = 1;
}

/* Namespace exit: the rules themselves are freed with their chains. */
void nfgate_handles_destroy(struct nfgate_net *nn)
{
	xa_destroy(&nn->handles);
}

/* Give r the next handle; may allocate, so before staging. */
int nfgate_handle_add(struct nfgate_net *nn, struct nfgate_rule *r)
{
	int err;

	/* The xarray index is an unsigned long. */
	if (nn->next_handle > ULONG_MAX)
		return -ENOSPC;
	/* ... and r->handle shares its word with ost_own. */
	if (nn->next_handle > NFGATE_HANDLE_MAX)
		return -ENOSPC;
	err = xa_insert(&nn->handles, nn->next_handle, r, GFP_KERNEL_ACCOUNT);
	if (err)
		return err;
	r->handle = nn->next_handle++;
	return 0;
}

/* Never allocates. */
void nfgate_handle_del(struct nfgate_net *nn, struct nfgate_rule *r)
{
	if (r->handle)
		xa_erase(&nn->handles, r->handle);
}

/* The rule with @handle in chain c, if visible in ver.  O(1). */
struct nfgate_rule *nfgate_chain_rule_by_handle(struct nfgate_chain *c,
						u64 handle, u64 ver)
{
	struct nfgate_rule *r;

	if (handle > ULONG_MAX)
		return NULL;
	r = xa_load(&c->table->nn->handles, handle);
	if (r && r->chain == c && nfgate_rule_visible(r, ver))
		return r;
	return NULL;
}

/* Any rule with @handle, visible or not, until it is unlinked. */
struct nfgate_rule *nfgate_rule_by_handle(struct nfgate_net *nn, u64 handle)
{
	return handle <= ULONG_MAX ? xa_load(&nn->handles, handle) : NULL;
}
