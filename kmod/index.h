/* SPDX-License-Identifier: GPL-2.0 */
/*
 * index.c: a rule's control-path indexes taken together, the handle map
 * (handle.c) and its chain's order-statistic tree (ostree.c).
 */
#ifndef _NFGATE_INDEX_H
#define _NFGATE_INDEX_H

struct nfgate_chain;
struct nfgate_net;
struct nfgate_rule;

int nfgate_index_add(struct nfgate_net *nn, struct nfgate_chain *c,
		     struct nfgate_rule *r);
void nfgate_index_del(struct nfgate_net *nn, struct nfgate_rule *r);

#endif /* _NFGATE_INDEX_H */
