/* SPDX-License-Identifier: GPL-2.0 */
/*
 * handle.c: the namespace's handle -> rule map, which also lists the rules
 * the open transaction added.
 */
#ifndef _NFGATE_HANDLE_H
#define _NFGATE_HANDLE_H

#include <linux/types.h>

struct nfgate_net;
struct nfgate_rule;

/* A walk over the rules the open transaction added (handle.c). */
struct nfgate_handle_iter {
	unsigned long	idx;		/* slot */
	bool		second;		/* past a wrap of the slots */
};

void nfgate_handles_init(struct nfgate_net *nn);
void nfgate_handles_destroy(struct nfgate_net *nn);
u64 nfgate_handle_peek(const struct nfgate_net *nn);
int nfgate_handle_add(struct nfgate_net *nn, struct nfgate_rule *r);
void nfgate_handle_del(struct nfgate_net *nn, struct nfgate_rule *r);
struct nfgate_rule *nfgate_rule_by_handle(struct nfgate_net *nn, u64 handle);
struct nfgate_rule *nfgate_txn_new_rule_first(struct nfgate_net *nn,
					      struct nfgate_handle_iter *it);
struct nfgate_rule *nfgate_txn_new_rule_next(struct nfgate_net *nn,
					     struct nfgate_handle_iter *it);

/*
 * The rules the open transaction added, in staging order, with a struct
 * nfgate_handle_iter it.  Handles grow strictly and a rule gets its handle
 * in the write that stages it, so they are the rules in the handle map
 * from txn.first_handle on (a rule whose staging failed has left it), and
 * rules need no transaction list node.
 */
#define nfgate_txn_for_each_new_rule(nn, it, r)			\
	for (r = nfgate_txn_new_rule_first(nn, &(it)); r;		\
	     r = nfgate_txn_new_rule_next(nn, &(it)))

#endif /* _NFGATE_HANDLE_H */
