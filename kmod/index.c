// SPDX-License-Identifier: GPL-2.0
/*
 * A rule's control-path indexes taken together: the handle map
 * (handle.c), the specification hash (spec_hash.c) and its chain's
 * order-statistic tree (ostree.c).  A write command enters a new rule
 * into the first two when it allocates it (they may allocate memory);
 * staging links it into the tree (which never allocates).  Unlinking
 * (abort, gc) takes it out of all three and never fails.
 */
#include "internal.h"

int nfgate_index_add(struct nfgate_net *nn, struct nfgate_chain *c,
		     struct nfgate_rule *r)
{
	int err;

	RB_CLEAR_NODE(&r->ost_node);
	err = nfgate_handle_add(nn, r);
	if (err)
		return err;
	err = nfgate_spec_add(nn, c, r);
	if (err)
		nfgate_handle_del(nn, r);
	return err;
}

void nfgate_index_del(struct nfgate_net *nn, struct nfgate_rule *r)
{
	nfgate_ost_erase(r);
	nfgate_spec_del(nn, r);
	nfgate_handle_del(nn, r);
}
