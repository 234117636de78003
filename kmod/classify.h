/* SPDX-License-Identifier: GPL-2.0 */
/*
 * classify.c: tuple space search classifier per chain
 * (Documentation/classifier.rst).
 */
#ifndef _NFGATE_CLASSIFY_H
#define _NFGATE_CLASSIFY_H

#include <linux/if.h>
#include <linux/list.h>
#include <linux/seqlock.h>
#include <linux/types.h>

struct nfgate_chain;
struct nfgate_pkt;
struct nfgate_rule;

/*
 * Embedded in every rule (24 bytes).  order: strictly increasing along
 * chain->rules, 0 until staged.  The rule's tuple is not stored: it is a
 * function of the rule's match (nfgate_cls_describe()), and a rule without
 * indexable field (residual) sits in the chain's order-sorted residual
 * list instead of a hash table.  Documentation/classifier.rst.
 */
struct nfgate_cls_rule {
	union {
		struct hlist_node	hnode;		/* tuple->ht */
		struct list_head	rnode;		/* chain cls.residual */
	};
	u64			order;		/* READ_ONCE; chain cls.seq */
};

/* Embedded in every chain. */
struct nfgate_cls_chain {
	struct list_head	tuples;		/* RCU, of nfgate_tuple */
	struct list_head	residual;	/* RCU, by order */
	seqcount_t		seq;		/* keys renumbered, nodes moved */
	u32			nrules;		/* rules linked in chain->rules */
};

/* Packet fields under every tuple mask, built once per packet. */
struct nfgate_cls_pkt {
	bool	ready;
	bool	ports;		/* sport/dport valid */
	bool	ifnames;	/* iif/oif filled (only tuples with names) */
	__be32	src;
	__be32	dst;
	u16	sport;
	u16	dport;
	u8	proto;
	char	iif[IFNAMSIZ];
	char	oif[IFNAMSIZ];
};

/* Chains with fewer linked rules are walked as a list (linear_below). */
extern unsigned int nfgate_cls_linear;

void nfgate_cls_chain_init(struct nfgate_chain *c);
void nfgate_cls_chain_free(struct nfgate_chain *c);
int nfgate_cls_prepare(struct nfgate_chain *c, struct nfgate_rule *r);
void nfgate_cls_stage(struct nfgate_chain *c, struct nfgate_rule *r);
void nfgate_cls_unlink(struct nfgate_rule *r);
struct nfgate_rule *nfgate_cls_next(struct nfgate_chain *c,
				    struct nfgate_rule *after, u64 ver,
				    struct nfgate_pkt *pkt,
				    struct nfgate_cls_pkt *cp);

#endif /* _NFGATE_CLASSIFY_H */
