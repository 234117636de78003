/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ostree.c: the control-path order-statistic tree of each chain's rules,
 * giving a rule's position in the next and the committed view.
 */
#ifndef _NFGATE_OSTREE_H
#define _NFGATE_OSTREE_H

#include <linux/types.h>

struct nfgate_chain;
struct nfgate_rule;

/* Order-statistic counts of a subtree of chain->ost (ostree.c). */
struct nfgate_ost_cnt {
	u32	next;		/* rules visible in the next view */
	u32	cmt;		/* rules visible in the committed view */
};

void nfgate_ost_insert(struct nfgate_chain *c, struct nfgate_rule *r,
		       struct nfgate_rule *prev);
void nfgate_ost_erase(struct nfgate_rule *r);
void nfgate_ost_stage(struct nfgate_rule *r, bool live);
void nfgate_ost_commit(struct nfgate_rule *r);
u32 nfgate_rule_rank_in(const struct nfgate_rule *r, u64 ver);
u32 nfgate_rule_rank(const struct nfgate_rule *r);

#endif /* _NFGATE_OSTREE_H */
