// SPDX-License-Identifier: GPL-2.0
/*
 * "recent" match: -m recent --set|--rcheck|--update|--remove, as
 * xt_recent revision 1 for IPv4.  A list is named per namespace and shared
 * by every rule naming it: the first rule creates it (with its mask), each
 * rule holds a reference, the last one frees it.  Creating a rule never
 * changes what a list holds, so a transaction that aborts leaves the lists
 * as they were (xt_recent flushes a list whose entries must grow; here an
 * entry grows the next time it is written).  Each list has its own
 * spinlock; evaluating a rule may change its list: the kind is ordered.
 */
#include <linux/ip.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "../ext.h"
#include "../match.h"

/* Addresses a list remembers, as xt_recent's ip_list_tot. */
static unsigned int nfgate_recent_list_tot = 100;
module_param_named(recent_ip_list_tot, nfgate_recent_list_tot, uint, 0444);
MODULE_PARM_DESC(recent_ip_list_tot,
		 "addresses per recent list (1..65536, default 100)");

#define NFGATE_RECENT_MAX_TOT		65536
#define NFGATE_RECENT_DEF_STAMPS	32
#define NFGATE_RECENT_MAX_STAMPS	256

struct nfgate_recent_entry {
	struct hlist_node	node;	/* in the list's hash */
	struct list_head	lru;	/* oldest first */
	__be32			addr;
	u8			ttl;
	u16			cap;	/* stamps[] slots, a power of two */
	u16			nstamps;
	u16			last;	/* slot of the newest stamp */
	unsigned long		stamps[];
};

struct nfgate_recent_list {
	struct list_head	node;	/* in nfgate_recent_lists */
	struct net		*net;
	unsigned int		refcnt;	/* rules naming it; the mutex */
	__be32			mask;
	u32			seed;
	spinlock_t		lock;	/* the entries, cap */
	unsigned int		cap;	/* stamps an entry keeps */
	unsigned int		entries;
	unsigned int		max;	/* entries at most */
	unsigned int		hmask;
	struct list_head	lru;
	char			name[NFGATE_RECENT_NAME_LEN];
	struct hlist_head	hash[];
};

/* Every list of every namespace; writers and readers hold the mutex. */
static LIST_HEAD(nfgate_recent_lists);
static DEFINE_MUTEX(nfgate_recent_mutex);

struct nfgate_recent {
	/* what the rule is */
	char		name[NFGATE_RECENT_NAME_LEN];
	u32		flags;
	u32		seconds;
	u32		hitcount;
	__be32		mask;
	/* the list it names */
	struct nfgate_recent_list *list;
};

static const struct nla_policy nfgate_recent_policy[NFGATE_RECENT_A_MAX + 1] = {
	[NFGATE_RECENT_A_NAME]		= { .type = NLA_NUL_STRING,
					    .len = NFGATE_RECENT_NAME_LEN - 1 },
	[NFGATE_RECENT_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_RECENT_FLAGS),
	[NFGATE_RECENT_A_SECONDS]	= { .type = NLA_U32 },
	[NFGATE_RECENT_A_HITCOUNT]	= NLA_POLICY_MAX(NLA_U32,
						NFGATE_RECENT_MAX_HITCOUNT),
	[NFGATE_RECENT_A_MASK]		= { .type = NLA_U32 },
};

#define NFGATE_RECENT_CMDS (NFGATE_RECENT_SET | NFGATE_RECENT_CHECK | \
			    NFGATE_RECENT_UPDATE | NFGATE_RECENT_REMOVE)

static unsigned int nfgate_recent_hash(const struct nfgate_recent_list *t,
				       __be32 addr)
{
	return jhash_1word((__force u32)addr, t->seed) & t->hmask;
}

/* The list of that name in net, its reference taken or a new one. */
static struct nfgate_recent_list *
nfgate_recent_get(struct net *net, const struct nfgate_recent *r)
{
	unsigned int tot = clamp(nfgate_recent_list_tot, 1U,
				 NFGATE_RECENT_MAX_TOT);
	unsigned int cap, hsize, i;
	struct nfgate_recent_list *t;

	cap = r->hitcount ? roundup_pow_of_two(r->hitcount) :
			    NFGATE_RECENT_DEF_STAMPS;
	mutex_lock(&nfgate_recent_mutex);
	list_for_each_entry(t, &nfgate_recent_lists, node) {
		if (t->net != net || strcmp(t->name, r->name))
			continue;
		/* entries grow when next written: nothing is lost */
		spin_lock_bh(&t->lock);
		t->cap = max(t->cap, cap);
		spin_unlock_bh(&t->lock);
		t->refcnt++;
		goto out;
	}
	hsize = 1U << fls(tot);
	t = kvzalloc(struct_size(t, hash, hsize), GFP_KERNEL_ACCOUNT);
	if (!t)
		goto out;
	t->net = net;
	t->refcnt = 1;
	t->mask = r->mask;
	t->seed = get_random_u32();
	spin_lock_init(&t->lock);
	t->cap = cap;
	t->max = tot;
	t->hmask = hsize - 1;
	INIT_LIST_HEAD(&t->lru);
	strscpy(t->name, r->name, sizeof(t->name));
	for (i = 0; i < hsize; i++)
		INIT_HLIST_HEAD(&t->hash[i]);
	list_add_tail(&t->node, &nfgate_recent_lists);
out:
	mutex_unlock(&nfgate_recent_mutex);
	return t;
}

static void nfgate_recent_remove(struct nfgate_recent_list *t,
				 struct nfgate_recent_entry *e)
{
	hlist_del(&e->node);
	list_del(&e->lru);
	kfree(e);
	t->entries--;
}

static int nfgate_recent_init(const struct nfgate_ext_ctx *ctx,
			      struct nlattr **tb, void *priv)
{
	struct nfgate_recent *r = priv;
	u32 cmd;

	if (!tb[NFGATE_RECENT_A_NAME] || !tb[NFGATE_RECENT_A_FLAGS] ||
	    !tb[NFGATE_RECENT_A_MASK]) {
		NL_SET_ERR_MSG(ctx->extack, "recent needs NAME, FLAGS and MASK");
		return -EINVAL;
	}
	nla_strscpy(r->name, tb[NFGATE_RECENT_A_NAME], sizeof(r->name));
	r->flags = nla_get_u32(tb[NFGATE_RECENT_A_FLAGS]);
	if (tb[NFGATE_RECENT_A_SECONDS])
		r->seconds = nla_get_u32(tb[NFGATE_RECENT_A_SECONDS]);
	if (tb[NFGATE_RECENT_A_HITCOUNT])
		r->hitcount = nla_get_u32(tb[NFGATE_RECENT_A_HITCOUNT]);
	r->mask = nla_get_be32(tb[NFGATE_RECENT_A_MASK]);

	/* xt_check_proc_name(): the name of a /proc file */
	if (!r->name[0] || !strcmp(r->name, ".") || !strcmp(r->name, "..") ||
	    strchr(r->name, '/')) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_RECENT_A_NAME],
				    "recent: bad list name");
		return -EINVAL;
	}
	cmd = r->flags & NFGATE_RECENT_CMDS;
	if (hweight32(cmd) != 1) {
		NL_SET_ERR_MSG(ctx->extack,
			       "recent: need exactly one of SET, CHECK, UPDATE, REMOVE");
		return -EINVAL;
	}
	if ((cmd & (NFGATE_RECENT_SET | NFGATE_RECENT_REMOVE)) &&
	    (r->seconds || r->hitcount ||
	     (r->flags & (NFGATE_RECENT_TTL | NFGATE_RECENT_REAP)))) {
		NL_SET_ERR_MSG(ctx->extack,
			       "recent: --set and --remove take no --seconds, --hitcount, --rttl or --reap");
		return -EINVAL;
	}
	if ((r->flags & NFGATE_RECENT_REAP) && !r->seconds) {
		NL_SET_ERR_MSG(ctx->extack, "recent: --reap needs --seconds");
		return -EINVAL;
	}
	r->list = nfgate_recent_get(ctx->net, r);
	if (!r->list)
		return -ENOMEM;
	return 0;
}

static void nfgate_recent_destroy(struct net *net, void *priv)
{
	struct nfgate_recent *r = priv;
	struct nfgate_recent_list *t = r->list;
	struct nfgate_recent_entry *e, *next;

	mutex_lock(&nfgate_recent_mutex);
	if (--t->refcnt) {
		mutex_unlock(&nfgate_recent_mutex);
		return;
	}
	list_del(&t->node);
	mutex_unlock(&nfgate_recent_mutex);
	/* no rule reaches the list any more: no packet either */
	list_for_each_entry_safe(e, next, &t->lru, lru)
		kfree(e);
	kvfree(t);
}

static struct nfgate_recent_entry *
nfgate_recent_lookup(const struct nfgate_recent_list *t, __be32 addr, u8 ttl)
{
	struct nfgate_recent_entry *e;

	hlist_for_each_entry(e, &t->hash[nfgate_recent_hash(t, addr)], node)
		if (e->addr == addr && (ttl == e->ttl || !ttl || !e->ttl))
			return e;
	return NULL;
}

static struct nfgate_recent_entry *
nfgate_recent_add(struct nfgate_recent_list *t, __be32 addr, u8 ttl)
{
	struct nfgate_recent_entry *e;

	if (t->entries >= t->max)
		nfgate_recent_remove(t, list_first_entry(&t->lru,
				     struct nfgate_recent_entry, lru));
	e = kmalloc(struct_size(e, stamps, t->cap), GFP_ATOMIC);
	if (!e)
		return NULL;
	e->addr = addr;
	e->ttl = ttl;
	e->cap = t->cap;
	e->nstamps = 1;
	e->last = 0;
	e->stamps[0] = jiffies;
	hlist_add_head(&e->node, &t->hash[nfgate_recent_hash(t, addr)]);
	list_add_tail(&e->lru, &t->lru);
	t->entries++;
	return e;
}

/* A full entry of a list that now keeps more stamps: oldest first. */
static struct nfgate_recent_entry *
nfgate_recent_grow(struct nfgate_recent_list *t, struct nfgate_recent_entry *e)
{
	struct nfgate_recent_entry *n;
	unsigned int i;

	n = kmalloc(struct_size(n, stamps, t->cap), GFP_ATOMIC);
	if (!n)
		return e;	/* keep the ring as it is */
	n->addr = e->addr;
	n->ttl = e->ttl;
	n->cap = t->cap;
	n->nstamps = e->nstamps;
	n->last = e->nstamps - 1;
	for (i = 0; i < e->nstamps; i++)
		n->stamps[i] = e->stamps[(e->last + 1 + i) & (e->cap - 1)];
	hlist_replace_rcu(&e->node, &n->node);
	list_replace(&e->lru, &n->lru);
	kfree(e);
	return n;
}

static void nfgate_recent_stamp(struct nfgate_recent_list *t,
				struct nfgate_recent_entry *e, u8 ttl)
{
	if (e->nstamps == e->cap && e->cap < t->cap)
		e = nfgate_recent_grow(t, e);
	e->last = (e->last + 1) & (e->cap - 1);
	e->stamps[e->last] = jiffies;
	if (e->nstamps < e->cap)
		e->nstamps++;
	e->ttl = ttl;
	list_move_tail(&e->lru, &t->lru);
}

/* xt_recent's reap: the oldest entry goes if its newest stamp is old. */
static void nfgate_recent_reap(struct nfgate_recent_list *t,
			       unsigned long time,
			       const struct nfgate_recent_entry *working,
			       bool update)
{
	struct nfgate_recent_entry *e;

	e = list_first_entry(&t->lru, struct nfgate_recent_entry, lru);
	if (e == working && update)
		return;
	if (time_after(time, e->stamps[e->last]))
		nfgate_recent_remove(t, e);
}

static bool nfgate_recent_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_recent *r = priv;
	struct nfgate_recent_list *t = r->list;
	const struct nf_hook_state *state = pkt->state;
	struct sk_buff *skb = pkt->skb;
	bool ret = r->flags & NFGATE_RECENT_INV;
	struct nfgate_recent_entry *e;
	__be32 addr;
	u8 ttl;

	addr = r->flags & NFGATE_RECENT_DEST ? pkt->daddr : pkt->saddr;
	ttl = ip_hdr(skb)->ttl;
	/* the TTL as seen before forwarding */
	if (state->out && (!skb->sk || !net_eq(state->net, sock_net(skb->sk))))
		ttl++;

	spin_lock_bh(&t->lock);
	addr &= t->mask;
	e = nfgate_recent_lookup(t, addr,
				 r->flags & NFGATE_RECENT_TTL ? ttl : 0);
	if (!e) {
		if (!(r->flags & NFGATE_RECENT_SET))
			goto out;
		if (!nfgate_recent_add(t, addr, ttl))
			pkt->hotdrop = true;
		ret = !ret;
		goto out;
	}
	if (r->flags & NFGATE_RECENT_SET) {
		ret = !ret;
	} else if (r->flags & NFGATE_RECENT_REMOVE) {
		nfgate_recent_remove(t, e);
		ret = !ret;
		goto out;
	} else {
		unsigned long time = jiffies - (unsigned long)r->seconds * HZ;
		unsigned int i, hits = 0;

		for (i = 0; i < e->nstamps; i++) {
			if (r->seconds && time_after(time, e->stamps[i]))
				continue;
			if (!r->hitcount || ++hits >= r->hitcount) {
				ret = !ret;
				break;
			}
		}
		if (r->flags & NFGATE_RECENT_REAP) {
			bool upd = (r->flags & NFGATE_RECENT_UPDATE) && ret;

			nfgate_recent_reap(t, time, e, upd);
			/* the working entry itself may have gone */
			if (!upd)
				goto out;
		}
	}
	if ((r->flags & NFGATE_RECENT_SET) ||
	    ((r->flags & NFGATE_RECENT_UPDATE) && ret))
		nfgate_recent_stamp(t, e, ttl);
out:
	spin_unlock_bh(&t->lock);
	return ret;
}

static int nfgate_recent_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_recent *r = priv;

	if (nla_put_string(skb, NFGATE_RECENT_A_NAME, r->name) ||
	    nla_put_u32(skb, NFGATE_RECENT_A_FLAGS, r->flags) ||
	    nla_put_u32(skb, NFGATE_RECENT_A_SECONDS, r->seconds) ||
	    nla_put_u32(skb, NFGATE_RECENT_A_HITCOUNT, r->hitcount) ||
	    nla_put_be32(skb, NFGATE_RECENT_A_MASK, r->mask))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_recent = {
	.name		= "recent",
	.size		= sizeof(struct nfgate_recent),
	.cmp_size	= offsetof(struct nfgate_recent, list),
	.ordered	= nfgate_ext_always_ordered,
	.policy		= nfgate_recent_policy,
	.maxattr	= NFGATE_RECENT_A_MAX,
	.init		= nfgate_recent_init,
	.destroy	= nfgate_recent_destroy,
	.match		= nfgate_recent_match,
	.dump		= nfgate_recent_dump,
};
