// SPDX-License-Identifier: GPL-2.0
/*
 * A rule's control-path indexes taken together: the handle map
 * (handle.c) and its chain's order-statistic tree (ostree.c).  A write
 * command enters a new rule into the handle map when it allocates it (it
 * may allocate memory); staging links it into the tree (which never
 * allocates).  Unlinking (abort, gc) takes it out of both and never fails.
 * Delete by specification has no index of its own: the classifier's
 * tuple hash answers it (classify.c, Documentation/design.rst).
 */
#include "chain.h"
#include "handle.h"
#include "index.h"
#include "netns.h"
#include "ostree.h"
#include "rule.h"

int nfgate_index_add(struct nfgate_net *nn, struct nfgate_chain *c,
		     struct nfgate_rule *r)
{
	RB_CLEAR_NODE(&r->ost_node);
	return nfgate_handle_add(nn, r);
}

void nfgate_index_del(struct nfgate_net *nn, struct nfgate_rule *r)
{
	nfgate_ost_erase(r);
	nfgate_handle_del(nn, r);
}
