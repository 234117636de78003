/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chain.c: tables, their built-in and user chains, the versioned built-in
 * chain policy, and lookups of chains and of a chain's rules.
 */
#ifndef _NFGATE_CHAIN_H
#define _NFGATE_CHAIN_H

#include <linux/list.h>
#include <linux/netfilter.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include <linux/nfgate.h>

#include "classify.h"
#include "counters.h"
#include "gc.h"

struct netlink_ext_ack;
struct nfgate_net;
struct nfgate_rule;
struct nfgate_rule_spec;
struct nlattr;

#define NFGATE_NTABLES		(NFGATE_TABLE_MAX + 1)

/*
 * A built-in chain policy.  Immutable once published; a new policy is a
 * new node in front, and readers walk back to the node of their version.
 */
struct nfgate_policy {
	u64				since;		/* first version */
	struct nfgate_policy __rcu	*prev;
	u8				verdict;
	struct nfgate_gc_item		gc;		/* trims ->prev */
	struct rcu_head			rcu;
};

struct nfgate_tbl {
	struct nfgate_net	*nn;
	u8			id;		/* enum nfgate_table */
	unsigned int		hooks;		/* valid hook mask */
	struct nfgate_chain	*builtin[NF_INET_NUMHOOKS];
	/* user chains by name; a deleted chain and its re-creation coexist
	 * while their versions differ
	 */
	struct rb_root		user_chains;
	u32			nchains;	/* user chains, next view */
	/* user chains allocated: live, deleted by the open txn, and
	 * waiting for gc (bounded, write.c)
	 */
	u32			chains_alloc;
};

struct nfgate_chain {
	/* packet path (RCU) */
	struct list_head		rules;		/* of nfgate_rule */
	struct nfgate_policy __rcu	*policy;	/* built-in only */
	struct nfgate_counters		policy_cnt;	/* built-in only */
	struct nfgate_cls_chain		cls;		/* classify.c */
	/* control path (netns mutex) */
	struct nfgate_tbl	*table;
	char			name[NFGATE_CHAIN_MAXNAMELEN];
	bool			builtin;
	u8			hook;		/* built-in only */
	u64			add_ver;
	u64			del_ver;
	u32			nrules;		/* next view */
	u32			c_nrules;	/* committed view */
	u32			refs;		/* next view */
	u32			c_refs;		/* committed view */
	struct list_head	out_edges;
	struct list_head	in_edges;
	struct rb_root		ost;		/* rules in order (ostree.c) */
	struct rb_node		node;		/* table->user_chains */
	struct list_head	txn_node;	/* txn.new_chains */
	struct list_head	txn_pol_node;	/* txn.policy_chains */
	bool			pol_staged;	/* new policy node this txn */
	bool			pol_cnt_set;	/* policy counters to apply */
	u64			pol_packets;
	u64			pol_bytes;
	struct nfgate_gc_item	gc;		/* txn.del_chains, then gc */
	/* next view: rules whose extensions do not allow hook h (jump.c) */
	u32			hook_deny[NF_INET_NUMHOOKS];
	u64			dfs_stamp;	/* jump.c scratch */
	int			dfs_val;
	struct rcu_head		rcu;
};

int nfgate_table_init(struct nfgate_net *nn, struct nfgate_tbl *t, u8 id);
void nfgate_table_free(struct nfgate_tbl *t);
struct nfgate_chain *nfgate_chain_find(struct nfgate_tbl *t,
				       const char *name, u64 ver);
struct nfgate_chain *nfgate_user_chain_from(struct nfgate_tbl *t,
					    const char *name, u64 ver);
struct nfgate_chain *nfgate_chain_nth(struct nfgate_tbl *t,
				      unsigned long n, u64 ver);
struct nfgate_chain *nfgate_chain_next(struct nfgate_tbl *t,
				       struct nfgate_chain *c, u64 ver);
int nfgate_chain_name_check(const char *name, const struct nlattr *attr,
			    struct netlink_ext_ack *extack);
struct nfgate_chain *nfgate_chain_alloc_user(struct nfgate_tbl *t,
					     const char *name);
void nfgate_chain_insert(struct nfgate_chain *c);
void nfgate_chain_erase(struct nfgate_chain *c);
void nfgate_chain_free_rcu(struct nfgate_chain *c);
struct nfgate_rule *nfgate_chain_rule_at(struct nfgate_chain *c, u32 pos,
					 u64 ver);
struct nfgate_rule *nfgate_chain_rule_by_handle(struct nfgate_chain *c,
						u64 handle, u64 ver);
struct nfgate_rule *
nfgate_chain_rule_by_spec(struct nfgate_chain *c,
			  const struct nfgate_rule_spec *spec, u64 ver);
struct nfgate_policy *nfgate_chain_policy(struct nfgate_chain *c, u64 ver);
const char *nfgate_hook_chain_name(unsigned int hook);

static inline bool nfgate_chain_visible(const struct nfgate_chain *c, u64 ver)
{
	return c->builtin || (c->add_ver <= ver && ver < c->del_ver);
}

#endif /* _NFGATE_CHAIN_H */
