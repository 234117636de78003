/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfgate internal types and the functions each file exports to the others.
 *
 * Visibility is versioned (Documentation/design.rst): every rule and user
 * chain carries add_ver/del_ver and is visible in version v iff
 * add_ver <= v < del_ver.  Packets read the committed version once; the
 * control path works on version + 1 while a transaction is open.
 */
#ifndef _NFGATE_INTERNAL_H
#define _NFGATE_INTERNAL_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/math.h>
#include <linux/refcount.h>
#include <linux/rhashtable.h>
#include <linux/seqlock.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <linux/nfgate.h>

#include "compat.h"

/* del_ver of a live object. */
#define NFGATE_VER_INF		U64_MAX

#define NFGATE_NTABLES		(NFGATE_TABLE_MAX + 1)

/* Room for "operation N: <saved extack text>". */
#define NFGATE_ERRBUF_LEN	(NFGATE_TXN_ERRMSG_LEN + 32)
#define NFGATE_ERRBUF_RING	8

struct nfgate_chain;
struct nfgate_net;

/* ---- counters.c: per-CPU packet/byte counters ---- */

struct nfgate_pcpu_counter {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	struct u64_stats_sync	syncp;
};

/*
 * Reported value = sum over CPUs - base.  Zeroing or setting only moves the
 * base (under the netns mutex), so the packet path never sees a writer.
 * The base is out of line, in the slot's block (counters.c): most rules
 * are never zeroed.  nfgate_counters_reserve() makes room for it and may
 * fail; nfgate_counters_set() after it cannot.
 */
struct nfgate_counters {
	struct nfgate_pcpu_counter __percpu *pcpu;
};

int nfgate_counters_alloc(struct nfgate_counters *c);
int nfgate_counters_reserve(struct nfgate_counters *c);
void nfgate_counters_free(struct nfgate_counters *c);
/* One packet of @bytes, on the packet path (BH off): inline, it is hot. */
static inline void nfgate_counters_add(struct nfgate_counters *c,
				       unsigned int bytes)
{
	struct nfgate_pcpu_counter *pc = this_cpu_ptr(c->pcpu);

	u64_stats_update_begin(&pc->syncp);
	u64_stats_inc(&pc->packets);
	u64_stats_add(&pc->bytes, bytes);
	u64_stats_update_end(&pc->syncp);
}
void nfgate_counters_read(const struct nfgate_counters *c, u64 *packets,
			  u64 *bytes);
void nfgate_counters_set(struct nfgate_counters *c, u64 packets, u64 bytes);

/* ---- gc.c: deferred unlink and free ---- */

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

struct nfgate_net;
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

/* ---- match.c: normalized matches and the per-packet test ---- */

#define NFGATE_M_SRC		BIT(0)
#define NFGATE_M_DST		BIT(1)
#define NFGATE_M_PROTO		BIT(2)
#define NFGATE_M_IIF		BIT(3)
#define NFGATE_M_OIF		BIT(4)
#define NFGATE_M_SPORT		BIT(5)
#define NFGATE_M_DPORT		BIT(6)
/* Only in .present: the interface name ended in '+'. */
#define NFGATE_M_IIF_WILD	BIT(7)
#define NFGATE_M_OIF_WILD	BIT(8)

/*
 * The -i/-o names of a rule, out of line (ifnames.c): immutable once
 * shared, one object per distinct pair in its namespace's table,
 * refcounted by the rules and specs that point to it, freed after a grace
 * period.  iif_len/oif_len is the number of bytes strncmp() compares:
 * IFNAMSIZ for an exact name, the prefix length for a '+' wildcard; a side
 * not matched on is all zero.  The names are zero-padded: the classifier
 * hashes all IFNAMSIZ bytes.  72 bytes, a 96-byte kmalloc object.
 */
struct nfgate_ifnames {
	struct rhash_head	node;		/* nn->ifnames */
	struct nfgate_net	*nn;		/* owner: its table, for the put */
	struct rcu_head		rcu;
	refcount_t		refs;
	/* the key: compared and hashed from iif_len to the end of oif */
	u8			iif_len;
	u8			oif_len;
	char			iif[IFNAMSIZ];
	char			oif[IFNAMSIZ];
};

int nfgate_ifnames_init(struct nfgate_net *nn);
void nfgate_ifnames_destroy(struct nfgate_net *nn);
bool nfgate_ifnames_any(struct nfgate_net *nn);
const struct nfgate_ifnames *nfgate_ifnames_get(struct nfgate_net *nn,
						const struct nfgate_ifnames *key);
const struct nfgate_ifnames *nfgate_ifnames_find(struct nfgate_net *nn,
						 const struct nfgate_ifnames *key);
void nfgate_ifnames_hold(const struct nfgate_ifnames *n);
void nfgate_ifnames_put(const struct nfgate_ifnames *n);

/*
 * Normalized, padding-free (compared with memcmp): addresses are stored
 * already masked, unused fields are zero.  ifn is NULL unless the rule
 * matches on -i or -o; equal name pairs share one object, so comparing
 * the pointer compares the names.  verdict is not matched on: it is the
 * rule's target verdict (enum nfgate_verdict), kept in a spare byte so
 * that struct nfgate_rule has no hole for it, and so that the memcmp() of
 * nfgate_rule_equal() covers it (Documentation/design.rst, Memory).
 *
 * Layout (40 bytes): 16 addresses/masks, 4 present/inv, 8 ports,
 * proto, verdict, 2 zero bytes, 8 ifn.
 */
struct nfgate_match {
	__be32	src;
	__be32	smsk;
	__be32	dst;
	__be32	dmsk;
	u16	present;	/* NFGATE_M_* */
	u16	inv;		/* NFGATE_M_* that carry '!' */
	u16	sport[2];
	u16	dport[2];
	u8	proto;
	u8	verdict;	/* the rule's; see above */
	u8	zero[2];	/* explicit padding, always 0 */
	const struct nfgate_ifnames *ifn;	/* NULL: no -i/-o */
};

/* What the packet path knows about one packet. */
struct nfgate_pkt {
	struct sk_buff			*skb;
	const struct net_device		*in;
	const struct net_device		*out;
	__be32				saddr;
	__be32				daddr;
	unsigned int			thoff;
	u16				sport;
	u16				dport;
	u16				fragoff; /* IP fragment offset, 8 B units */
	u8				proto;
	u8				ports;	/* enum nfgate_ports_state */
	bool				hotdrop;
};

enum nfgate_ports_state {
	NFGATE_PORTS_UNKNOWN,
	NFGATE_PORTS_OK,
};

bool nfgate_match(const struct nfgate_match *m, struct nfgate_pkt *pkt);
bool nfgate_load_ports_quiet(struct nfgate_pkt *pkt);

/* ---- cls_hash.c: the classifier's per-tuple hash tables ---- */

/*
 * One bucket array: exactly 2^order bytes with this header, so kvmalloc()
 * does not round it up to twice the size.
 */
struct nfgate_ht_bkts {
	struct rcu_head		rcu;
	u32			nb;		/* buckets */
	u8			order;
	struct hlist_head	b[];
};

/* A table resized incrementally: old drains into cur (cls_hash.c). */
struct nfgate_ht {
	struct nfgate_ht_bkts __rcu	*cur;
	struct nfgate_ht_bkts __rcu	*old;	/* NULL unless resizing */
	u32				drained; /* old buckets moved */
	u32				n;	/* READ_ONCE */
	u32				seed;
};

static inline struct hlist_head *nfgate_ht_head(struct nfgate_ht_bkts *bk,
						u32 hash)
{
	return &bk->b[reciprocal_scale(hash, bk->nb)];
}

/* Array i of a lookup: 0 = cur, 1 = old (NULL unless resizing); RCU. */
static inline struct nfgate_ht_bkts *nfgate_ht_array(struct nfgate_ht *ht,
						     int i)
{
	return i ? rcu_dereference(ht->old) : rcu_dereference(ht->cur);
}

int nfgate_ht_init(struct nfgate_ht *ht);
void nfgate_ht_destroy(struct nfgate_ht *ht);
void nfgate_ht_insert(struct nfgate_ht *ht, struct hlist_node *node, u32 hash,
		      seqcount_t *seq,
		      u32 (*hashfn)(const struct hlist_node *, u32));
void nfgate_ht_remove(struct nfgate_ht *ht, struct hlist_node *node,
		      seqcount_t *seq,
		      u32 (*hashfn)(const struct hlist_node *, u32));

/* ---- classify.c: tuple space search classifier per chain ---- */

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
/* ---- rule.c: rules ---- */

/* Order-statistic counts of a subtree of chain->ost (ostree.c). */
struct nfgate_ost_cnt {
	u32	next;		/* rules visible in the next view */
	u32	cmt;		/* rules visible in the committed view */
};

/* Handles above this are refused (-ENOSPC); 2^62 rule creations. */
#define NFGATE_HANDLE_BITS	62
#define NFGATE_HANDLE_MAX	((1ULL << NFGATE_HANDLE_BITS) - 1)

struct nfgate_rule {
	/* packet path (RCU) */
	struct list_head	list;		/* chain->rules */
	u64			add_ver;
	u64			del_ver;	/* WRITE_ONCE; NFGATE_VER_INF */
	struct nfgate_match	m;
	struct nfgate_chain	*target;	/* JUMP/GOTO */
	struct nfgate_counters	cnt;
	struct nfgate_cls_rule	cls;		/* classify.c */
	/* control path (netns mutex) */
	struct nfgate_chain	*chain;
	/* Both control path (netns mutex): one word, no hole for a u8. */
	u64			handle:NFGATE_HANDLE_BITS;
	u64			ost_own:2;	/* ostree.c: NFGATE_OST_* */
	struct list_head	gc_node;	/* txn.del_rules, then gc_rules */
	/* index (ostree.c; netns mutex); RB_EMPTY_NODE once unlinked: gc
	 * then only has to free the rule (gc.c)
	 */
	struct rb_node		ost_node;	/* chain->ost while linked */
	struct nfgate_ost_cnt	ost_sub;	/* visible in the subtree */
};

/*
 * A rule as parsed from NFGATE_A_RULE, before it is allocated.  A
 * successful nfgate_rule_parse() leaves a reference on m.ifn that
 * nfgate_rule_spec_release() drops; a rule takes its own.  A parse for a
 * delete by specification (NFGATE_PARSE_EXISTING) only finds names that
 * rules of the namespace hold: other names match no rule, and a delete
 * neither creates names nor runs into max_ifnames.
 */
struct nfgate_rule_spec {
	struct nfgate_match	m;		/* with the verdict */
	struct nfgate_chain	*target;
	bool			has_counters;
	u64			packets;
	u64			bytes;
};

extern const struct nla_policy nfgate_rule_policy[NFGATE_RULE_A_MAX + 1];
extern const struct nla_policy nfgate_counters_policy[NFGATE_COUNTERS_A_MAX + 1];

int nfgate_rule_cache_init(void);
void nfgate_rule_cache_exit(void);
#define NFGATE_PARSE_EXISTING	true

int nfgate_rule_parse(struct nfgate_chain *chain, const struct nlattr *attr,
		      u64 ver, bool existing, struct nfgate_rule_spec *spec,
		      struct netlink_ext_ack *extack);
void nfgate_rule_spec_release(struct nfgate_rule_spec *spec);
int nfgate_counters_parse(const struct nlattr *attr, u64 *packets, u64 *bytes,
			  struct netlink_ext_ack *extack);
struct nfgate_rule *nfgate_rule_alloc(const struct nfgate_rule_spec *spec);
void nfgate_rule_free(struct nfgate_rule *r);
bool nfgate_rule_equal(const struct nfgate_rule *r,
		       const struct nfgate_rule_spec *spec);
int nfgate_rule_fill(struct sk_buff *skb, const struct nfgate_rule *r);
int nfgate_counters_fill(struct sk_buff *skb, int type,
			 const struct nfgate_counters *c);

static inline bool nfgate_rule_visible(const struct nfgate_rule *r, u64 ver)
{
	return r->add_ver <= ver && ver < READ_ONCE(r->del_ver);
}

/* ---- chain.c: chains, policies, lookups ---- */

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

/* One (from, to) pair of the jump graph, next view (jump.c). */
struct nfgate_edge {
	struct list_head	out_node;	/* from->out_edges */
	struct list_head	in_node;	/* to->in_edges */
	struct list_head	sweep_node;	/* txn.sweep_edges at count 0 */
	struct nfgate_chain	*from;
	struct nfgate_chain	*to;
	u32			count;		/* rules from -> to */
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
	u64			dfs_stamp;	/* jump.c scratch */
	int			dfs_val;
	struct rcu_head		rcu;
};

int nfgate_table_init(struct nfgate_net *nn, struct nfgate_tbl *t, u8 id);
void nfgate_table_free(struct nfgate_tbl *t);
struct nfgate_chain *nfgate_chain_find(struct nfgate_tbl *t,
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

/* ---- ostree.c, handle.c, classify.c: control-path indexes ---- */

void nfgate_ost_insert(struct nfgate_chain *c, struct nfgate_rule *r,
		       struct nfgate_rule *prev);
void nfgate_ost_erase(struct nfgate_rule *r);
void nfgate_ost_stage(struct nfgate_rule *r, bool live);
void nfgate_ost_commit(struct nfgate_rule *r);
u32 nfgate_rule_rank_in(const struct nfgate_rule *r, u64 ver);
u32 nfgate_rule_rank(const struct nfgate_rule *r);

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

int nfgate_index_add(struct nfgate_net *nn, struct nfgate_chain *c,
		     struct nfgate_rule *r);
void nfgate_index_del(struct nfgate_net *nn, struct nfgate_rule *r);

/* ---- jump.c: jump graph (next view), loop and depth checks ---- */

int nfgate_jump_check(struct nfgate_net *nn, struct nfgate_chain *from,
		      struct nfgate_chain *to, struct netlink_ext_ack *extack);
int nfgate_jump_get(struct nfgate_chain *from, struct nfgate_chain *to);
void nfgate_jump_restore(struct nfgate_chain *from, struct nfgate_chain *to);
void nfgate_jump_put(struct nfgate_net *nn, struct nfgate_chain *from,
		     struct nfgate_chain *to);
void nfgate_jump_sweep(struct nfgate_net *nn);
void nfgate_jump_free_all(struct nfgate_chain *c);
void nfgate_jump_forget(struct nfgate_chain *c);

/* ---- txn.c: transactions ---- */

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

/* ---- netns.c: per-namespace state ---- */

struct nfgate_net {
	u64			version;	/* committed; acquire/release */
	struct net		*net;
	struct mutex		mutex;		/* everything below */
	struct nfgate_tbl	tables[NFGATE_NTABLES];
	struct xarray		handles;	/* slot -> rule (handle.c) */
	u32			handle_epoch;	/* slot wraps so far */
	u32			handle_cursor;	/* next slot to try */
	u32			nrules;		/* rules, next view */
	/* rule objects allocated: live, deleted by the open txn, and
	 * waiting for gc, until gc frees them (bounded, write.c)
	 */
	u32			rules_alloc;
	unsigned int		hooked;		/* BIT(table): hooks registered */
	struct nfgate_txn	txn;
	/* nfgate_gc_item.node (rules: gc_node), in commit (= cookie) order */
	struct list_head	gc_rules;
	struct nfgate_gc_mark	gc_marks[NFGATE_GC_MARKS];	/* ring */
	unsigned int		gc_mark_first;
	unsigned int		gc_mark_n;
	struct list_head	gc_chains;
	struct list_head	gc_policies;
	struct delayed_work	gc_work;
	u64			dfs_stamp;
	/* extack text of failed commits: must outlive the doit (the ack is
	 * built after genl_unlock()), so a small ring is reused in turn
	 */
	unsigned int		errbuf_next;
	char			errbuf[NFGATE_ERRBUF_RING][NFGATE_ERRBUF_LEN];
	/* interned -i/-o name pairs (ifnames.c); not under the mutex: rule
	 * frees drop references from RCU callbacks
	 */
	spinlock_t		ifnames_lock;	/* _bh; nifnames, last put */
	unsigned int		nifnames;	/* distinct pairs held */
	struct rhashtable	ifnames;
};

extern unsigned int nfgate_net_id;
extern struct pernet_operations nfgate_net_ops;

static inline struct nfgate_net *nfgate_pernet(const struct net *net)
{
	return net_generic(net, nfgate_net_id);
}

/* Version the control path works on: the staged view while a txn is open. */
static inline u64 nfgate_next_ver(const struct nfgate_net *nn)
{
	return nn->version + 1;
}

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

/* ---- hooks.c / eval.c: packet path ---- */

struct nfgate_hook_desc {
	u8	table;
	u8	hook;
};

unsigned int nfgate_table_hooks(u8 table);
int nfgate_hooks_use(struct nfgate_net *nn, u8 table,
		     struct netlink_ext_ack *extack);
void nfgate_hooks_drop(struct nfgate_net *nn, unsigned int tables);
void nfgate_hooks_unregister(struct nfgate_net *nn);
unsigned int nfgate_hook_fn(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);

/* ---- write.c: write commands (staged in the open transaction) ---- */

int nfgate_cmd_newchain(struct nfgate_net *nn, struct genl_info *info,
			struct sk_buff **reply);
int nfgate_cmd_delchain(struct nfgate_net *nn, struct genl_info *info,
			struct sk_buff **reply);
int nfgate_cmd_flush(struct nfgate_net *nn, struct genl_info *info,
		     struct sk_buff **reply);
int nfgate_cmd_setpolicy(struct nfgate_net *nn, struct genl_info *info,
			 struct sk_buff **reply);
int nfgate_cmd_newrule(struct nfgate_net *nn, struct genl_info *info,
		       struct sk_buff **reply);
int nfgate_cmd_delrule(struct nfgate_net *nn, struct genl_info *info,
		       struct sk_buff **reply);
int nfgate_cmd_replacerule(struct nfgate_net *nn, struct genl_info *info,
			   struct sk_buff **reply);
int nfgate_cmd_zero(struct nfgate_net *nn, struct genl_info *info, u64 ver);

/* ---- netlink.c / dump.c ---- */

/* Index of the "events" group in the family's mcgrps[]. */
enum { NFGATE_MCGRP_EVENTS_IDX };

extern struct genl_family nfgate_genl_family;

int nfgate_genl_register(void);
void nfgate_genl_unregister(void);
int nfgate_dump_start(struct netlink_callback *cb);
int nfgate_dump_chains(struct sk_buff *skb, struct netlink_callback *cb);
int nfgate_dump_rules(struct sk_buff *skb, struct netlink_callback *cb);

/* ---- events.c: multicast notifications of committed changes ---- */

void nfgate_events_commit(struct nfgate_net *nn);

/* ---- main.c: module parameters ---- */

extern unsigned int nfgate_max_rules;
extern unsigned int nfgate_max_chains;
extern unsigned int nfgate_max_ifnames;

#endif /* _NFGATE_INTERNAL_H */
