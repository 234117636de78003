/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gc.c: deferred unlink and free of the rules, user chains and policy
 * nodes that a commit retired, once the packets that may see them are gone.
 */
#ifndef _NFGATE_GC_H
#define _NFGATE_GC_H

#include <linux/list.h>
#include <linux/types.h>

struct nfgate_net;
struct nfgate_rule;
struct work_struct;

/*
 * Embedded in every object that is retired at commit.  While a transaction
 * is open the node links the object into the transaction's deletion list;
 * at commit it moves to the namespace's gc list of its type (gc_rules,
 * gc_chains, gc_policies) tagged with an RCU cookie.  The list says what
 * the object is, so the item carries no type.
 */
struct nfgate_gc_item {
	struct list_head	node;
	unsigned long		cookie;
};

/*
 * Rules carry no cookie (Documentation/design.rst, Memory): a commit that
 * retired rules appends them to gc_rules as one run and records its
 * cookie and the run's last rule in a small ring.  When the ring is full
 * the newest mark takes the run and the newer cookie, which only waits
 * longer.
 */
struct nfgate_gc_mark {
	unsigned long		cookie;
	struct nfgate_rule	*last;
};

#define NFGATE_GC_MARKS		64

void nfgate_gc_add(struct list_head *list, struct nfgate_gc_item *it,
		   unsigned long cookie);
void nfgate_gc_mark_rules(struct nfgate_net *nn, struct nfgate_rule *last,
			  unsigned long cookie);
void nfgate_gc_reset(struct nfgate_net *nn);
void nfgate_gc_exit(struct nfgate_net *nn);
void nfgate_gc_kick(struct nfgate_net *nn);
void nfgate_gc_work(struct work_struct *work);
void nfgate_gc_sync(struct nfgate_net *nn);
void nfgate_gc_unlinked_rules(struct nfgate_net *nn, struct list_head *rules);
void nfgate_gc_unlinked_rule(struct nfgate_net *nn, struct nfgate_rule *r);

#endif /* _NFGATE_GC_H */
