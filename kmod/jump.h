/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jump.c: the jump graph of a table in the next view, and its loop and
 * depth checks.
 */
#ifndef _NFGATE_JUMP_H
#define _NFGATE_JUMP_H

#include <linux/list.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct nfgate_chain;
struct nfgate_ext_block;
struct nfgate_net;

/* One (from, to) pair of the jump graph, next view (jump.c). */
struct nfgate_edge {
	struct list_head	out_node;	/* from->out_edges */
	struct list_head	in_node;	/* to->in_edges */
	struct list_head	sweep_node;	/* txn.sweep_edges at count 0 */
	struct nfgate_chain	*from;
	struct nfgate_chain	*to;
	u32			count;		/* rules from -> to */
};

int nfgate_jump_check(struct nfgate_net *nn, struct nfgate_chain *from,
		      struct nfgate_chain *to, struct netlink_ext_ack *extack);
int nfgate_jump_check_hooks(struct nfgate_net *nn, struct nfgate_chain *c,
			    const struct nfgate_ext_block *ext,
			    struct nfgate_chain *to,
			    struct netlink_ext_ack *extack);
void nfgate_jump_account(struct nfgate_chain *c,
			 const struct nfgate_ext_block *ext, int delta);
int nfgate_jump_get(struct nfgate_chain *from, struct nfgate_chain *to);
void nfgate_jump_restore(struct nfgate_chain *from, struct nfgate_chain *to);
void nfgate_jump_put(struct nfgate_net *nn, struct nfgate_chain *from,
		     struct nfgate_chain *to);
void nfgate_jump_sweep(struct nfgate_net *nn);
void nfgate_jump_free_all(struct nfgate_chain *c);
void nfgate_jump_forget(struct nfgate_chain *c);

#endif /* _NFGATE_JUMP_H */
