// SPDX-License-Identifier: GPL-2.0
/*
 * "hashlimit" match: -m hashlimit, as xt_hashlimit revision 2 for IPv4.
 * A token bucket per key (masked addresses, ports, as --hashlimit-mode
 * says), with xt_hashlimit's arithmetic (credits per jiffy in a u64).
 * The buckets live in a table named per namespace and shared by every
 * rule naming it: the first rule creates it with its parameters (as
 * xt_hashlimit, later rules use the table as it is), each rule holds a
 * reference, the last one frees it.  A table has one spinlock; idle
 * entries go after --hashlimit-htable-expire ms, collected every
 * --hashlimit-htable-gcinterval ms by a delayed work, and a table never
 * holds more than --hashlimit-htable-max entries (a packet that would need
 * one more is dropped, as xt_hashlimit).  Evaluating a rule spends a
 * token: the kind is ordered.
 */
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

#include "../ext.h"
#include "../match.h"

/* as xt_hashlimit: a day of credits fits in a u64 */
#define NFGATE_HL_MAX_CPJ	(0xFFFFFFFFFFFFFFFFULL / (HZ * 60 * 60 * 24))
#define NFGATE_HL_CPJ		(1ULL << ilog2(NFGATE_HL_MAX_CPJ))

#define NFGATE_HL_HASH		(NFGATE_HASHLIMIT_HASH_DIP | \
				 NFGATE_HASHLIMIT_HASH_DPT | \
				 NFGATE_HASHLIMIT_HASH_SIP | \
				 NFGATE_HASHLIMIT_HASH_SPT)
#define NFGATE_HL_PORTS		(NFGATE_HASHLIMIT_HASH_DPT | \
				 NFGATE_HASHLIMIT_HASH_SPT)

struct nfgate_hl_key {
	__be32	src;
	__be32	dst;
	__be16	sport;
	__be16	dport;
};

struct nfgate_hl_ent {
	struct hlist_node	node;
	struct nfgate_hl_key	key;
	unsigned long		expires;	/* jiffies */
	unsigned long		prev;		/* last refill */
	u64			credit;
	u64			cap;
	u64			cost;
};

/* what a table is, from the rule that created it */
struct nfgate_hl_cfg {
	u64	avg;
	u32	mode;
	u32	burst;
	u32	size;
	u32	max;
	u32	gc_interval;
	u32	expire;
	u8	srcmask;
	u8	dstmask;
};

struct nfgate_hl_table {
	struct list_head	node;	/* in nfgate_hl_tables */
	struct net		*net;
	unsigned int		refcnt;	/* rules naming it; the mutex */
	struct nfgate_hl_cfg	cfg;	/* size and max as used */
	u32			seed;
	spinlock_t		lock;	/* the entries, count */
	unsigned int		count;
	struct delayed_work	gc;
	char			name[NFGATE_HASHLIMIT_NAME_LEN];
	struct hlist_head	hash[];
};

/* Every table of every namespace; writers and readers hold the mutex. */
static LIST_HEAD(nfgate_hl_tables);
static DEFINE_MUTEX(nfgate_hl_mutex);

struct nfgate_hashlimit {
	/* what the rule is */
	struct nfgate_hl_cfg	cfg;
	char			name[NFGATE_HASHLIMIT_NAME_LEN];
	/* the table it names */
	struct nfgate_hl_table	*table;
};

static const struct nla_policy
nfgate_hashlimit_policy[NFGATE_HASHLIMIT_A_MAX + 1] = {
	[NFGATE_HASHLIMIT_A_NAME]	= { .type = NLA_NUL_STRING,
					    .len = NFGATE_HASHLIMIT_NAME_LEN - 1 },
	[NFGATE_HASHLIMIT_A_MODE]	= NLA_POLICY_MASK(NLA_U32,
						NFGATE_HASHLIMIT_MODES),
	[NFGATE_HASHLIMIT_A_AVG]	= NLA_POLICY_MIN(NLA_U64, 1),
	/* BURST, SIZE and HTMAX: init checks the ranges (s16 .max) */
	[NFGATE_HASHLIMIT_A_BURST]	= { .type = NLA_U32 },
	[NFGATE_HASHLIMIT_A_SIZE]	= { .type = NLA_U32 },
	[NFGATE_HASHLIMIT_A_HTMAX]	= { .type = NLA_U32 },
	[NFGATE_HASHLIMIT_A_GCINTERVAL]	= NLA_POLICY_MIN(NLA_U32, 1),
	[NFGATE_HASHLIMIT_A_EXPIRE]	= NLA_POLICY_MIN(NLA_U32, 1),
	[NFGATE_HASHLIMIT_A_SRCMASK]	= NLA_POLICY_MAX(NLA_U8, 32),
	[NFGATE_HASHLIMIT_A_DSTMASK]	= NLA_POLICY_MAX(NLA_U8, 32),
};

/*
 * A time in 1/NFGATE_HASHLIMIT_SCALE s as credits (u64 arithmetic that
 * may wrap, as xt_hashlimit's user2credits(): init refuses what does).
 * HZ * NFGATE_HL_CPJ is about 2^64 / 86400, far above the scale.
 */
static u64 nfgate_hl_credits(u64 user)
{
	return user * div64_u64(HZ * NFGATE_HL_CPJ, NFGATE_HASHLIMIT_SCALE);
}

static unsigned int nfgate_hl_bucket(const struct nfgate_hl_table *t,
				     const struct nfgate_hl_key *k)
{
	u32 h = jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), t->seed);

	return reciprocal_scale(h, t->cfg.size);
}

static void nfgate_hl_gc(struct work_struct *work)
{
	struct nfgate_hl_table *t = container_of(work, struct nfgate_hl_table,
						 gc.work);
	struct nfgate_hl_ent *e;
	struct hlist_node *next;
	unsigned int i;

	for (i = 0; i < t->cfg.size; i++) {
		spin_lock_bh(&t->lock);
		hlist_for_each_entry_safe(e, next, &t->hash[i], node) {
			if (!time_after_eq(jiffies, e->expires))
				continue;
			hlist_del(&e->node);
			kfree(e);
			t->count--;
		}
		spin_unlock_bh(&t->lock);
		if (!(i & 1023))
			cond_resched();
	}
	queue_delayed_work(system_power_efficient_wq, &t->gc,
			   msecs_to_jiffies(t->cfg.gc_interval));
}

/* The table of that name in net, its reference taken, or a new one. */
static struct nfgate_hl_table *
nfgate_hl_get(struct net *net, const struct nfgate_hashlimit *h)
{
	struct nfgate_hl_cfg cfg = h->cfg;
	struct nfgate_hl_table *t;
	unsigned int i;

	mutex_lock(&nfgate_hl_mutex);
	list_for_each_entry(t, &nfgate_hl_tables, node) {
		if (t->net != net || strcmp(t->name, h->name))
			continue;
		t->refcnt++;
		goto out;
	}
	/* xt_hashlimit's sizes: from the memory, 16..8192 buckets */
	if (!cfg.size) {
		unsigned long pages = totalram_pages();

		cfg.size = (pages << PAGE_SHIFT) / 16384 /
			   sizeof(struct hlist_head);
		if (pages > 1024 * 1024 * 1024 / PAGE_SIZE)
			cfg.size = 8192;
		if (cfg.size < 16)
			cfg.size = 16;
	}
	if (!cfg.max)
		cfg.max = 8 * cfg.size;
	else if (cfg.max < cfg.size)
		cfg.max = cfg.size;
	t = kvzalloc(struct_size(t, hash, cfg.size), GFP_KERNEL_ACCOUNT);
	if (!t)
		goto out;
	t->net = net;
	t->refcnt = 1;
	t->cfg = cfg;
	t->seed = get_random_u32();
	spin_lock_init(&t->lock);
	strscpy(t->name, h->name, sizeof(t->name));
	for (i = 0; i < cfg.size; i++)
		INIT_HLIST_HEAD(&t->hash[i]);
	INIT_DEFERRABLE_WORK(&t->gc, nfgate_hl_gc);
	queue_delayed_work(system_power_efficient_wq, &t->gc,
			   msecs_to_jiffies(cfg.gc_interval));
	list_add_tail(&t->node, &nfgate_hl_tables);
out:
	mutex_unlock(&nfgate_hl_mutex);
	return t;
}

static int nfgate_hashlimit_init(const struct nfgate_ext_ctx *ctx,
				 struct nlattr **tb, void *priv)
{
	struct nfgate_hashlimit *h = priv;
	struct nfgate_hl_cfg *c = &h->cfg;
	int a;

	for (a = NFGATE_HASHLIMIT_A_NAME; a <= NFGATE_HASHLIMIT_A_MAX; a++) {
		if (!tb[a]) {
			NL_SET_ERR_MSG(ctx->extack,
				       "hashlimit needs every attribute of its kind");
			return -EINVAL;
		}
	}
	nla_strscpy(h->name, tb[NFGATE_HASHLIMIT_A_NAME], sizeof(h->name));
	c->mode = nla_get_u32(tb[NFGATE_HASHLIMIT_A_MODE]);
	c->avg = nla_get_u64(tb[NFGATE_HASHLIMIT_A_AVG]);
	c->burst = nla_get_u32(tb[NFGATE_HASHLIMIT_A_BURST]);
	c->size = nla_get_u32(tb[NFGATE_HASHLIMIT_A_SIZE]);
	c->max = nla_get_u32(tb[NFGATE_HASHLIMIT_A_HTMAX]);
	c->gc_interval = nla_get_u32(tb[NFGATE_HASHLIMIT_A_GCINTERVAL]);
	c->expire = nla_get_u32(tb[NFGATE_HASHLIMIT_A_EXPIRE]);
	c->srcmask = nla_get_u8(tb[NFGATE_HASHLIMIT_A_SRCMASK]);
	c->dstmask = nla_get_u8(tb[NFGATE_HASHLIMIT_A_DSTMASK]);

	if (!c->burst || c->burst > NFGATE_HASHLIMIT_MAX_BURST) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_HASHLIMIT_A_BURST],
				    "hashlimit: burst is 1..1000000");
		return -ERANGE;
	}
	if (c->size > NFGATE_HASHLIMIT_MAX_SIZE ||
	    c->max > NFGATE_HASHLIMIT_MAX_SIZE) {
		NL_SET_ERR_MSG(ctx->extack,
			       "hashlimit: htable size and max are at most 1048576");
		return -ERANGE;
	}
	/* xt_check_proc_name(): xt_hashlimit names a /proc file */
	if (!h->name[0] || !strcmp(h->name, ".") || !strcmp(h->name, "..") ||
	    strchr(h->name, '/')) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_HASHLIMIT_A_NAME],
				    "hashlimit: bad table name");
		return -EINVAL;
	}
	/*
	 * as xt_hashlimit: avg * burst, in credits, must not wrap (1/day
	 * with the default burst does).  xt_hashlimit says ERANGE; nfgate's
	 * ERANGE on a new rule means its position, so EINVAL.
	 */
	if (nfgate_hl_credits(c->avg * c->burst) <
	    nfgate_hl_credits(c->avg)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "hashlimit: rate times burst overflows, try lower");
		return -EINVAL;
	}
	h->table = nfgate_hl_get(ctx->net, h);
	if (!h->table)
		return -ENOMEM;
	return 0;
}

static void nfgate_hashlimit_destroy(struct net *net, void *priv)
{
	struct nfgate_hashlimit *h = priv;
	struct nfgate_hl_table *t = h->table;
	struct nfgate_hl_ent *e;
	struct hlist_node *next;
	unsigned int i;

	mutex_lock(&nfgate_hl_mutex);
	if (--t->refcnt) {
		mutex_unlock(&nfgate_hl_mutex);
		return;
	}
	list_del(&t->node);
	mutex_unlock(&nfgate_hl_mutex);
	/* no rule reaches the table any more: no packet either */
	cancel_delayed_work_sync(&t->gc);
	for (i = 0; i < t->cfg.size; i++)
		hlist_for_each_entry_safe(e, next, &t->hash[i], node)
			kfree(e);
	kvfree(t);
}

/* proto_ports_offset(): where a protocol keeps two 16-bit "ports" */
static int nfgate_hl_ports_offset(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_DCCP:
	case IPPROTO_ESP:
	case IPPROTO_SCTP:
	case IPPROTO_UDPLITE:
		return 0;
	case IPPROTO_AH:
		return 4;
	default:
		return -EINVAL;
	}
}

/* The packet's key; false if its ports are not all there. */
static bool nfgate_hl_key(const struct nfgate_hl_cfg *c,
			  const struct nfgate_pkt *pkt, struct nfgate_hl_key *k)
{
	__be16 buf[2];
	const __be16 *ports;
	int off;

	memset(k, 0, sizeof(*k));
	if (c->mode & NFGATE_HASHLIMIT_HASH_DIP)
		k->dst = pkt->daddr &
			 (c->dstmask ? htonl(~0U << (32 - c->dstmask)) : 0);
	if (c->mode & NFGATE_HASHLIMIT_HASH_SIP)
		k->src = pkt->saddr &
			 (c->srcmask ? htonl(~0U << (32 - c->srcmask)) : 0);
	if (!(c->mode & NFGATE_HL_PORTS))
		return true;
	off = nfgate_hl_ports_offset(pkt->proto);
	if (off < 0)
		return true;
	ports = skb_header_pointer(pkt->skb, pkt->thoff + off, sizeof(buf),
				   buf);
	if (!ports)
		return false;
	if (c->mode & NFGATE_HASHLIMIT_HASH_SPT)
		k->sport = ports[0];
	if (c->mode & NFGATE_HASHLIMIT_HASH_DPT)
		k->dport = ports[1];
	return true;
}

static struct nfgate_hl_ent *nfgate_hl_find(struct nfgate_hl_table *t,
					    const struct nfgate_hl_key *k)
{
	struct nfgate_hl_ent *e;

	hlist_for_each_entry(e, &t->hash[nfgate_hl_bucket(t, k)], node)
		if (!memcmp(&e->key, k, sizeof(*k)))
			return e;
	return NULL;
}

static bool nfgate_hashlimit_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_hashlimit *h = priv;
	struct nfgate_hl_table *t = h->table;
	const struct nfgate_hl_cfg *c = &t->cfg;
	bool inv = c->mode & NFGATE_HASHLIMIT_INVERT;
	unsigned long now = jiffies;
	struct nfgate_hl_key k;
	struct nfgate_hl_ent *e;
	bool hit;

	if (!nfgate_hl_key(c, pkt, &k)) {
		pkt->hotdrop = true;
		return false;
	}
	spin_lock_bh(&t->lock);
	e = nfgate_hl_find(t, &k);
	if (!e) {
		if (t->count >= c->max) {
			spin_unlock_bh(&t->lock);
			net_err_ratelimited("nfgate hashlimit %s: max count of %u reached\n",
					    t->name, c->max);
			pkt->hotdrop = true;
			return false;
		}
		e = kmalloc(sizeof(*e), GFP_ATOMIC);
		if (!e) {
			spin_unlock_bh(&t->lock);
			pkt->hotdrop = true;
			return false;
		}
		e->key = k;
		e->prev = now;
		e->cap = nfgate_hl_credits(c->avg * c->burst);
		e->credit = e->cap;	/* starts full */
		e->cost = nfgate_hl_credits(c->avg);
		hlist_add_head(&e->node, &t->hash[nfgate_hl_bucket(t, &k)]);
		t->count++;
	} else if (now != e->prev) {
		unsigned long delta = now - e->prev;

		/* an entry idle for long refills to full, never wraps */
		if (delta > div64_u64(e->cap, NFGATE_HL_CPJ) ||
		    delta * NFGATE_HL_CPJ >= e->cap - e->credit)
			e->credit = e->cap;
		else
			e->credit += delta * NFGATE_HL_CPJ;
		e->prev = now;
	}
	e->expires = now + msecs_to_jiffies(c->expire);
	hit = e->credit >= e->cost;
	if (hit)
		e->credit -= e->cost;
	spin_unlock_bh(&t->lock);
	return hit != inv;
}

static int nfgate_hashlimit_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_hashlimit *h = priv;
	const struct nfgate_hl_cfg *c = &h->cfg;

	/* AVG without padding: readers memcpy it (uapi) */
	if (nla_put_string(skb, NFGATE_HASHLIMIT_A_NAME, h->name) ||
	    nla_put_u32(skb, NFGATE_HASHLIMIT_A_MODE, c->mode) ||
	    nla_put(skb, NFGATE_HASHLIMIT_A_AVG, sizeof(c->avg), &c->avg) ||
	    nla_put_u32(skb, NFGATE_HASHLIMIT_A_BURST, c->burst) ||
	    nla_put_u32(skb, NFGATE_HASHLIMIT_A_SIZE, c->size) ||
	    nla_put_u32(skb, NFGATE_HASHLIMIT_A_HTMAX, c->max) ||
	    nla_put_u32(skb, NFGATE_HASHLIMIT_A_GCINTERVAL, c->gc_interval) ||
	    nla_put_u32(skb, NFGATE_HASHLIMIT_A_EXPIRE, c->expire) ||
	    nla_put_u8(skb, NFGATE_HASHLIMIT_A_SRCMASK, c->srcmask) ||
	    nla_put_u8(skb, NFGATE_HASHLIMIT_A_DSTMASK, c->dstmask))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_hashlimit = {
	.name		= "hashlimit",
	.size		= sizeof(struct nfgate_hashlimit),
	.cmp_size	= offsetof(struct nfgate_hashlimit, table),
	.ordered	= nfgate_ext_always_ordered,
	.policy		= nfgate_hashlimit_policy,
	.maxattr	= NFGATE_HASHLIMIT_A_MAX,
	.init		= nfgate_hashlimit_init,
	.destroy	= nfgate_hashlimit_destroy,
	.match		= nfgate_hashlimit_match,
	.dump		= nfgate_hashlimit_dump,
};
