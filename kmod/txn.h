/* SPDX-License-Identifier: GPL-2.0 */
/*
 * txn.c: transactions: staging in the next version, commit, abort, and
 * the failure bookkeeping of explicit transactions.
 */
#ifndef _NFGATE_TXN_H
#define _NFGATE_TXN_H

#include <linux/list.h>
#include <linux/types.h>

#include <linux/nfgate.h>

struct netlink_ext_ack;
struct nfgate_chain;
struct nfgate_net;
struct nfgate_policy;
struct nfgate_rule;
struct sk_buff;
struct sock;

/* Room for "operation N: <saved extack text>". */
#define NFGATE_ERRBUF_LEN	(NFGATE_TXN_ERRMSG_LEN + 32)
#define NFGATE_ERRBUF_RING	8

struct nfgate_txn {
	bool			open;
	bool			implicit;	/* transaction of one write */
	bool			failed;
	bool			changed;	/* something to publish */
	/* The owner's socket, held while an explicit txn is open: a socket
	 * that binds the owner's port id after it closed is not the owner.
	 */
	struct sock		*owner;
	u32			nops;		/* writes so far */
	u32			failed_op;	/* 1-based */
	unsigned int		hooked;		/* nn->hooked at begin */
	int			err;
	char			errmsg[NFGATE_TXN_ERRMSG_LEN];
	u64			first_handle;	/* nfgate_handle_peek() at begin */
	struct list_head	del_rules;	/* rule.gc.node */
	struct list_head	new_chains;	/* chain.txn_node */
	struct list_head	del_chains;	/* chain.gc.node */
	struct list_head	policy_chains;	/* chain.txn_pol_node */
	struct list_head	sweep_edges;	/* edge.sweep_node */
};

void nfgate_txn_init(struct nfgate_txn *t);
void nfgate_txn_begin(struct nfgate_net *nn, struct sock *owner,
		      bool implicit);
bool nfgate_txn_owner(const struct nfgate_net *nn, const struct sk_buff *skb);
void nfgate_txn_commit(struct nfgate_net *nn);
void nfgate_txn_abort(struct nfgate_net *nn);
void nfgate_txn_fail(struct nfgate_net *nn, int err,
		     const struct netlink_ext_ack *extack);
const char *nfgate_txn_errmsg(struct nfgate_net *nn);
struct netlink_ext_ack;
__printf(3, 4)
void nfgate_extack_fmt(struct nfgate_net *nn, struct netlink_ext_ack *extack,
		       const char *fmt, ...);
int nfgate_stage_rule_new(struct nfgate_net *nn, struct nfgate_rule *r,
			  struct nfgate_chain *c, struct list_head *prev);
void nfgate_stage_rule_del(struct nfgate_net *nn, struct nfgate_rule *r);
void nfgate_stage_chain_new(struct nfgate_net *nn, struct nfgate_chain *c);
void nfgate_stage_chain_del(struct nfgate_net *nn, struct nfgate_chain *c);
void nfgate_stage_policy(struct nfgate_net *nn, struct nfgate_chain *c,
			 struct nfgate_policy *p);
void nfgate_stage_policy_verdict(struct nfgate_net *nn,
				 struct nfgate_chain *c, u8 verdict);
void nfgate_stage_policy_counters(struct nfgate_net *nn,
				  struct nfgate_chain *c, u64 packets,
				  u64 bytes);
int nfgate_txn_notifier_register(void);
void nfgate_txn_notifier_unregister(void);

#endif /* _NFGATE_TXN_H */
