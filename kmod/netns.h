/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netns.c: per-namespace state and the versions it publishes.
 *
 * Visibility is versioned (Documentation/design.rst): every rule and user
 * chain carries add_ver/del_ver and is visible in version v iff
 * add_ver <= v < del_ver.  Packets read the committed version once; the
 * control path works on version + 1 while a transaction is open.
 */
#ifndef _NFGATE_NETNS_H
#define _NFGATE_NETNS_H

#include <linux/limits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "chain.h"
#include "gc.h"
#include "txn.h"

/* del_ver of a live object. */
#define NFGATE_VER_INF		U64_MAX

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

#endif /* _NFGATE_NETNS_H */
