// SPDX-License-Identifier: GPL-2.0
/*
 * The per-chain packet classifier: tuple space search with exact
 * first-match order (Documentation/classifier.rst).
 *
 * Every rule has an order key that increases along chain->rules.  Rules
 * whose matches have an indexable part are grouped by "tuple" (which
 * fields, which prefix lengths) into one hash table per tuple (cls_hash.c),
 * keyed by those
 * fields; the rest (the residual rules) sit in an order-sorted list.  A
 * lookup asks for the first rule after a given key that is visible in the
 * packet's version and matches: one hash probe per tuple, the full
 * nfgate_match() on each candidate, the smallest key wins.
 *
 * Control path under the netns mutex; the packet path under RCU with BH
 * disabled.  Order keys are renumbered (rarely) under the chain's
 * seqcount, and the parts of a lookup without side effects are repeated
 * when a renumber overlaps them (nfgate_cls_next()).
 */
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>

#include "chain.h"
#include "classify.h"
#include "cls_hash.h"
#include "ifnames.h"
#include "match.h"
#include "netns.h"
#include "rule.h"

/* Gap left between the keys of appended or prepended rules. */
#define NFGATE_ORDER_STEP	(1ULL << 32)
/* Key of the first rule of an empty chain: room on both sides. */
#define NFGATE_ORDER_FIRST	(1ULL << 63)
/* A local renumber is accepted once it leaves this much room per key. */
#define NFGATE_ORDER_MIN_GAP	(1ULL << 20)

#define NFGATE_T_PORTS		(NFGATE_M_SPORT | NFGATE_M_DPORT)

/* 0 sends every chain through the classifier (tests use it). */
unsigned int nfgate_cls_linear = 8;
module_param_named(linear_below, nfgate_cls_linear, uint, 0644);
MODULE_PARM_DESC(linear_below,
		 "Chains with fewer rules are walked as a list, not classified");

/* The indexable fields of a rule or a packet; unused fields are zero. */
struct nfgate_cls_key {
	__be32	src;
	__be32	dst;
	u16	sport;
	u16	dport;
	u8	proto;
	u8	zero[3];
	char	iif[IFNAMSIZ];
	char	oif[IFNAMSIZ];
};

/* What the hash functions get: a key and how many of its words count. */
struct nfgate_cls_lkey {
	struct nfgate_cls_key	k;
	u32			nwords;
};

struct nfgate_tuple {
	struct list_head	node;		/* chain cls.tuples (RCU) */
	struct nfgate_ht	ht;		/* rules by masked key */
	__be32			smsk;		/* 0 unless NFGATE_M_SRC */
	__be32			dmsk;		/* 0 unless NFGATE_M_DST */
	u16			fields;		/* NFGATE_M_* */
	u8			nwords;		/* key words hashed */
};

/* Key words before the names: addresses, ports, protocol. */
#define NFGATE_CLS_BASE_WORDS	4

/*
 * The four base words in one jhash_3words() (the protocol word folded into
 * the seed), the names, when keyed, chained after them: a probe of the
 * common tuples is one final mix, not a generic jhash2() loop.
 */
static u32 nfgate_cls_hash(const struct nfgate_cls_lkey *lk, u32 seed)
{
	const u32 *w = (const u32 *)&lk->k;
	u32 h;

	BUILD_BUG_ON(offsetof(struct nfgate_cls_key, iif) !=
		     NFGATE_CLS_BASE_WORDS * sizeof(u32));
	h = jhash_3words(w[0], w[1], w[2], seed ^ w[3]);
	if (lk->nwords > NFGATE_CLS_BASE_WORDS)
		h = jhash2(w + NFGATE_CLS_BASE_WORDS,
			   lk->nwords - NFGATE_CLS_BASE_WORDS, h);
	return h;
}

static u16 nfgate_cls_describe(const struct nfgate_match *m, __be32 *smsk,
			       __be32 *dmsk);

/* Key words hashed for a tuple of fields f: names only if used. */
static u8 nfgate_cls_nwords(u16 f)
{
	u8 n = NFGATE_CLS_BASE_WORDS;

	if (f & (NFGATE_M_IIF | NFGATE_M_OIF))
		n += IFNAMSIZ / sizeof(u32);
	if (f & NFGATE_M_OIF)
		n += IFNAMSIZ / sizeof(u32);
	return n;
}

/* The indexed fields of a rule: a function of its match (no pointer). */
static u16 nfgate_cls_rule_fields(const struct nfgate_rule *r)
{
	__be32 smsk, dmsk;

	return nfgate_cls_describe(&r->m, &smsk, &dmsk);
}

/* The key of match m (of a rule or a rule spec) under fields f. */
static void nfgate_cls_match_key(u16 f, const struct nfgate_match *m,
				 struct nfgate_cls_lkey *lk)
{
	memset(&lk->k, 0, sizeof(lk->k));
	lk->nwords = nfgate_cls_nwords(f);
	/* Addresses are stored masked with the rule's (= tuple's) mask. */
	if (f & NFGATE_M_SRC)
		lk->k.src = m->src;
	if (f & NFGATE_M_DST)
		lk->k.dst = m->dst;
	if (f & NFGATE_M_PROTO)
		lk->k.proto = m->proto;
	if (f & NFGATE_M_SPORT)
		lk->k.sport = m->sport[0];
	if (f & NFGATE_M_DPORT)
		lk->k.dport = m->dport[0];
	if (f & NFGATE_M_IIF)
		memcpy(lk->k.iif, m->ifn->iif, IFNAMSIZ);
	if (f & NFGATE_M_OIF)
		memcpy(lk->k.oif, m->ifn->oif, IFNAMSIZ);
}

static void nfgate_cls_rule_key(const struct nfgate_rule *r,
				struct nfgate_cls_lkey *lk)
{
	nfgate_cls_match_key(nfgate_cls_rule_fields(r), &r->m, lk);
}

/* A rule's hash, when its table moves it to a resized bucket array. */
static u32 nfgate_cls_node_hash(const struct hlist_node *node, u32 seed)
{
	struct nfgate_cls_lkey lk;

	nfgate_cls_rule_key(container_of(node, struct nfgate_rule, cls.hnode),
			    &lk);
	return nfgate_cls_hash(&lk, seed);
}

/* A netmask of the form 1...10...0. */
static bool nfgate_is_prefix(__be32 mask)
{
	u32 host = ~ntohl(mask);

	return !(host & (host + 1));
}

/*
 * The indexable part of a rule: non-inverted prefix addresses, protocol,
 * exact interface names, single tcp/udp ports.  Everything else is left to
 * nfgate_match() on the candidates.  A rule with an extension whose
 * evaluation changes state (statistic --mode nth, ...) is residual, so that
 * it is evaluated exactly when iptables would: in order, until a match.
 */
static u16 nfgate_cls_describe(const struct nfgate_match *m, __be32 *smsk,
			       __be32 *dmsk)
{
	u16 pos = m->present & ~m->inv;
	u16 f = 0;

	*smsk = 0;
	*dmsk = 0;
	/* tried in rule order only: a side effect per evaluation */
	if (m->ext & NFGATE_MX_ORDERED)
		return 0;
	if ((pos & NFGATE_M_SRC) && nfgate_is_prefix(m->smsk)) {
		f |= NFGATE_M_SRC;
		*smsk = m->smsk;
	}
	if ((pos & NFGATE_M_DST) && nfgate_is_prefix(m->dmsk)) {
		f |= NFGATE_M_DST;
		*dmsk = m->dmsk;
	}
	if (pos & NFGATE_M_PROTO)
		f |= NFGATE_M_PROTO;
	if ((pos & NFGATE_M_IIF) && !(m->present & NFGATE_M_IIF_WILD))
		f |= NFGATE_M_IIF;
	if ((pos & NFGATE_M_OIF) && !(m->present & NFGATE_M_OIF_WILD))
		f |= NFGATE_M_OIF;
	if ((f & NFGATE_M_PROTO) &&
	    (m->proto == IPPROTO_TCP || m->proto == IPPROTO_UDP)) {
		if ((pos & NFGATE_M_SPORT) && m->sport[0] == m->sport[1])
			f |= NFGATE_M_SPORT;
		if ((pos & NFGATE_M_DPORT) && m->dport[0] == m->dport[1])
			f |= NFGATE_M_DPORT;
	}
	return f;
}

/* The tuple of c with these fields and masks; netns mutex held. */
static struct nfgate_tuple *nfgate_cls_tuple_find(struct nfgate_chain *c,
						  u16 f, __be32 smsk,
						  __be32 dmsk)
{
	struct nfgate_tuple *t;

	list_for_each_entry(t, &c->cls.tuples, node)
		if (t->fields == f && t->smsk == smsk && t->dmsk == dmsk)
			return t;
	return NULL;
}

void nfgate_cls_chain_init(struct nfgate_chain *c)
{
	INIT_LIST_HEAD(&c->cls.tuples);
	INIT_LIST_HEAD(&c->cls.residual);
	seqcount_init(&c->cls.seq);
	c->cls.nrules = 0;
}

/*
 * The chain is unreachable by packets (namespace exit, or a deleted or
 * aborted user chain: no visible rule jumps to it) and holds no rule that
 * is still to be unlinked; the tables go now.
 */
void nfgate_cls_chain_free(struct nfgate_chain *c)
{
	struct nfgate_tuple *t, *tmp;

	list_for_each_entry_safe(t, tmp, &c->cls.tuples, node) {
		list_del(&t->node);
		nfgate_ht_destroy(&t->ht);
		kfree(t);
	}
}

/*
 * Allocate phase of NEWRULE/REPLACERULE: put r in its tuple's table (and
 * create the tuple) before anything is staged, so -ENOMEM changes nothing.
 * Lookups may find r from now on; it is invisible in every version until
 * staging gives it add_ver.
 */
int nfgate_cls_prepare(struct nfgate_chain *c, struct nfgate_rule *r)
{
	struct nfgate_cls_lkey lk;
	struct nfgate_tuple *t;
	__be32 smsk, dmsk;
	u16 f;
	int err;

	r->add_ver = NFGATE_VER_INF;
	r->chain = c;		/* nfgate_cls_unlink() finds the tuple via c */
	f = nfgate_cls_describe(&r->m, &smsk, &dmsk);
	if (!f)
		return 0;	/* residual: listed when staged */
	t = nfgate_cls_tuple_find(c, f, smsk, dmsk);
	if (t)
		goto found;
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->fields = f;
	t->smsk = smsk;
	t->dmsk = dmsk;
	t->nwords = nfgate_cls_nwords(f);
	err = nfgate_ht_init(&t->ht);
	if (err) {
		kfree(t);
		return err;
	}
	list_add_tail_rcu(&t->node, &c->cls.tuples);
found:
	nfgate_cls_match_key(f, &r->m, &lk);
	nfgate_ht_insert(&t->ht, &r->cls.hnode, nfgate_cls_hash(&lk, t->ht.seed),
			 &c->cls.seq, nfgate_cls_node_hash);
	return 0;
}

static u64 nfgate_order_at(struct nfgate_chain *c, struct list_head *pos,
			   u64 end)
{
	if (pos == &c->rules)
		return end;
	return list_entry(pos, struct nfgate_rule, list)->cls.order;
}

/*
 * No key is left between r's neighbours: spread a window around r evenly
 * over the key range between the rules outside it, growing the window
 * until every key gets NFGATE_ORDER_MIN_GAP of room or it is the whole
 * chain.  Packets that compare keys meanwhile retry (cls.seq).
 */
static void nfgate_cls_spread(struct nfgate_chain *c, struct nfgate_rule *r)
{
	struct list_head *head = &c->rules;
	struct list_head *first = &r->list, *last = &r->list, *pos;
	u64 lo, hi, gap, i;
	u32 n = 1, grow;

	for (;;) {
		lo = nfgate_order_at(c, first->prev, 0);
		hi = nfgate_order_at(c, last->next, U64_MAX);
		if (first->prev == head && last->next == head)
			break;
		if ((hi - lo) / (n + 1) >= NFGATE_ORDER_MIN_GAP)
			break;
		for (grow = n; grow; grow--) {
			if (first->prev != head) {
				first = first->prev;
				n++;
			}
			if (last->next != head) {
				last = last->next;
				n++;
			}
		}
	}
	gap = (hi - lo) / (n + 1);
	if (first->prev == head && last->next == head && gap > NFGATE_ORDER_STEP) {
		/* The whole chain: renumber as appends would, centred. */
		gap = NFGATE_ORDER_STEP;
		lo = NFGATE_ORDER_FIRST - ((u64)n / 2 + 1) * gap;
	}

	local_bh_disable();
	write_seqcount_begin(&c->cls.seq);
	for (pos = first, i = 1;; pos = pos->next, i++) {
		WRITE_ONCE(list_entry(pos, struct nfgate_rule, list)->cls.order,
			   lo + gap * i);
		if (pos == last)
			break;
	}
	write_seqcount_end(&c->cls.seq);
	local_bh_enable();
}

/* r was just linked into c->rules: give it a key between its neighbours. */
static void nfgate_cls_order(struct nfgate_chain *c, struct nfgate_rule *r)
{
	u64 lo = nfgate_order_at(c, r->list.prev, 0);
	u64 hi, key;

	if (r->list.next == &c->rules) {
		if (!lo)
			key = NFGATE_ORDER_FIRST;
		else if (lo < U64_MAX - NFGATE_ORDER_STEP)
			key = lo + NFGATE_ORDER_STEP;
		else
			goto spread;
	} else {
		hi = nfgate_order_at(c, r->list.next, U64_MAX);
		if (!lo && hi > NFGATE_ORDER_STEP)
			key = hi - NFGATE_ORDER_STEP;
		else if (hi - lo >= 2)
			key = lo + (hi - lo) / 2;
		else
			goto spread;
	}
	/* r is invisible: no reader can pick it, no need for cls.seq. */
	WRITE_ONCE(r->cls.order, key);
	return;
spread:
	nfgate_cls_spread(c, r);
}

/* Keep the residual list in key order; appends and head inserts are O(1). */
static void nfgate_cls_residual_add(struct nfgate_chain *c,
				    struct nfgate_rule *r)
{
	struct list_head *head = &c->cls.residual, *pos = head;
	u64 key = r->cls.order;

	if (!list_empty(head) &&
	    list_last_entry(head, struct nfgate_rule, cls.rnode)->cls.order > key) {
		list_for_each(pos, head)
			if (list_entry(pos, struct nfgate_rule,
				       cls.rnode)->cls.order > key)
				break;
	}
	list_add_tail_rcu(&r->cls.rnode, pos);
}

/* Staging: r is linked into c->rules at its place; cannot fail. */
void nfgate_cls_stage(struct nfgate_chain *c, struct nfgate_rule *r)
{
	nfgate_cls_order(c, r);
	if (!nfgate_cls_rule_fields(r))
		nfgate_cls_residual_add(c, r);
	WRITE_ONCE(c->cls.nrules, c->cls.nrules + 1);
}

/*
 * r leaves the classifier: at gc, on abort, or when a command fails after
 * nfgate_cls_prepare().  Readers may still be looking at r; the caller
 * frees it after a grace period; their compares need only r->m.  The
 * rule's tuple is found again from its match, as nfgate_cls_prepare()
 * found it (and tuples live as long as their chain).
 */
void nfgate_cls_unlink(struct nfgate_rule *r)
{
	struct nfgate_tuple *t;
	__be32 smsk, dmsk;
	u16 f;

	f = nfgate_cls_describe(&r->m, &smsk, &dmsk);
	if (f) {
		t = nfgate_cls_tuple_find(r->chain, f, smsk, dmsk);
		if (WARN_ON_ONCE(!t))
			return;
		/* Not in the table if nfgate_cls_prepare() failed. */
		if (!hlist_unhashed(&r->cls.hnode))
			nfgate_ht_remove(&t->ht, &r->cls.hnode,
					 &r->chain->cls.seq,
					 nfgate_cls_node_hash);
	} else if (r->cls.order) {
		list_del_rcu(&r->cls.rnode);
	}
	if (r->cls.order)
		WRITE_ONCE(r->chain->cls.nrules, r->chain->cls.nrules - 1);
}

/*
 * Delete by specification (iptables -D CHAIN <rule>): the first rule of c
 * in chain order that is visible in ver and equal to spec.  Equal rules
 * have equal matches, hence the same tuple and key, so the tuple's hash
 * holds every candidate: one probe, then the rules sharing that key (the
 * duplicates and rules differing only in non-indexed fields or target),
 * the smallest order key wins.  A rule without indexable field is
 * residual: the residual list is walked in order.  Netns mutex held, so
 * no order key is renumbered meanwhile.
 */
struct nfgate_rule *
nfgate_chain_rule_by_spec(struct nfgate_chain *c,
			  const struct nfgate_rule_spec *spec, u64 ver)
{
	struct nfgate_rule *r, *best = NULL;
	struct nfgate_ht_bkts *bk;
	struct nfgate_cls_lkey lk;
	struct nfgate_tuple *t;
	__be32 smsk, dmsk;
	u32 hash;
	int i;
	u16 f;

	f = nfgate_cls_describe(&spec->m, &smsk, &dmsk);
	if (!f) {
		list_for_each_entry(r, &c->cls.residual, cls.rnode)
			if (nfgate_rule_visible(r, ver) &&
			    nfgate_rule_equal(r, spec))
				return r;
		return NULL;
	}
	t = nfgate_cls_tuple_find(c, f, smsk, dmsk);
	if (!t)
		return NULL;
	nfgate_cls_match_key(f, &spec->m, &lk);
	hash = nfgate_cls_hash(&lk, t->ht.seed);
	rcu_read_lock();
	/* A bucket also holds other keys: equality sorts them out. */
	for (i = 0; i < 2; i++) {
		bk = nfgate_ht_array(&t->ht, i);
		if (!bk)
			continue;
		hlist_for_each_entry_rcu(r, nfgate_ht_head(bk, hash),
					 cls.hnode) {
			if (!nfgate_rule_visible(r, ver) ||
			    !nfgate_rule_equal(r, spec))
				continue;
			if (!best || r->cls.order < best->cls.order)
				best = r;
		}
	}
	rcu_read_unlock();
	return best;
}

static void nfgate_cls_pkt_init(struct nfgate_cls_pkt *cp,
				const struct nfgate_pkt *pkt)
{
	cp->src = pkt->saddr;
	cp->dst = pkt->daddr;
	cp->proto = pkt->proto;
	cp->ports = pkt->ports == NFGATE_PORTS_OK;
	cp->sport = cp->ports ? pkt->sport : 0;
	cp->dport = cp->ports ? pkt->dport : 0;
	cp->ifnames = false;
	cp->ready = true;
}

/*
 * The interface names, padded, on the first probe of a tuple that keys
 * them: most chains have none, and copying two names costs as much as a
 * whole probe.  dev->name may hold stale bytes after its NUL.
 */
static void nfgate_cls_pkt_ifnames(struct nfgate_cls_pkt *cp,
				   const struct nfgate_pkt *pkt)
{
	if (pkt->in)
		strscpy_pad(cp->iif, pkt->in->name, IFNAMSIZ);
	else
		memset(cp->iif, 0, IFNAMSIZ);
	if (pkt->out)
		strscpy_pad(cp->oif, pkt->out->name, IFNAMSIZ);
	else
		memset(cp->oif, 0, IFNAMSIZ);
	cp->ifnames = true;
}

static void nfgate_cls_pkt_key(const struct nfgate_tuple *t,
			       struct nfgate_cls_pkt *cp,
			       const struct nfgate_pkt *pkt,
			       struct nfgate_cls_lkey *lk)
{
	struct nfgate_cls_key *k = &lk->k;
	u16 f = t->fields;

	lk->nwords = t->nwords;
	k->src = cp->src & t->smsk;
	k->dst = cp->dst & t->dmsk;
	k->sport = (f & NFGATE_M_SPORT) ? cp->sport : 0;
	k->dport = (f & NFGATE_M_DPORT) ? cp->dport : 0;
	k->proto = (f & NFGATE_M_PROTO) ? cp->proto : 0;
	memset(k->zero, 0, sizeof(k->zero));
	if (f & (NFGATE_M_IIF | NFGATE_M_OIF)) {
		if (!cp->ifnames)
			nfgate_cls_pkt_ifnames(cp, pkt);
		if (f & NFGATE_M_IIF)
			memcpy(k->iif, cp->iif, IFNAMSIZ);
		else
			memset(k->iif, 0, IFNAMSIZ);
	}
	if (f & NFGATE_M_OIF)
		memcpy(k->oif, cp->oif, IFNAMSIZ);
}

/*
 * The keyed addresses of a candidate against the packet's, before the call
 * to nfgate_match(): a bucket also holds rules of other keys, and for the
 * usual one-address-per-rule sets this rejects them in a few instructions.
 * Keyed addresses are stored masked with the tuple's mask.
 */
static inline bool nfgate_cls_addrs_may_match(const struct nfgate_tuple *t,
					      const struct nfgate_cls_lkey *lk,
					      const struct nfgate_rule *r)
{
	return (!(t->fields & NFGATE_M_DST) || r->m.dst == lk->k.dst) &&
	       (!(t->fields & NFGATE_M_SRC) || r->m.src == lk->k.src);
}

/*
 * One candidate.  The core match has no side effect here (see
 * nfgate_cls_next()), but an extension's match may drop the packet (an
 * ICMP header cut short, as xt_icmp): that counts as a hit, so the
 * smallest key wins whether it matched or dropped, and a drop by a
 * candidate that loses to an earlier rule is forgotten.
 */
static inline bool nfgate_cls_try(const struct nfgate_rule *r,
				  struct nfgate_pkt *pkt, bool *drop)
{
	bool hit = nfgate_rule_match(r, pkt);

	*drop = pkt->hotdrop;
	pkt->hotdrop = false;
	return hit || *drop;
}

/* What the hash tables offer: the matching rule with the smallest key. */
struct nfgate_cls_best {
	struct nfgate_rule	*rule;
	u64			key;	/* U64_MAX: none (keys are below) */
	bool			drop;	/* its match dropped the packet */
};

/*
 * The indexed rules visible in ver with a key > after: the one that
 * matches with the smallest key.  Indexed rules have no side effect
 * (ordered kinds make a rule residual), so this may run again.
 */
static void nfgate_cls_scan_tuples(struct nfgate_chain *c, u64 after,
				   u64 ver, struct nfgate_pkt *pkt,
				   struct nfgate_cls_pkt *cp,
				   struct nfgate_cls_best *best)
{
	/* nfgate_cls_pkt_key() writes every word that is hashed */
	struct nfgate_cls_lkey lk __uninitialized;
	struct nfgate_ht_bkts *bk;
	struct nfgate_tuple *t;
	struct nfgate_rule *r;
	bool drop;
	u32 hash;
	int i;

	best->rule = NULL;
	best->key = U64_MAX;
	best->drop = false;
	list_for_each_entry_rcu(t, &c->cls.tuples, node) {
		if (!READ_ONCE(t->ht.n))
			continue;
		/* Port rules never match a packet without ports. */
		if ((t->fields & NFGATE_T_PORTS) && !cp->ports)
			continue;
		nfgate_cls_pkt_key(t, cp, pkt, &lk);
		hash = nfgate_cls_hash(&lk, t->ht.seed);
		/*
		 * cur, then old while a resize drains it.  A bucket also holds
		 * rules of other keys: nfgate_match() rejects them, as it
		 * checks every indexed field.
		 */
		for (i = 0; i < 2; i++) {
			bk = nfgate_ht_array(&t->ht, i);
			if (!bk)
				continue;
			hlist_for_each_entry_rcu(r, nfgate_ht_head(bk, hash),
						 cls.hnode) {
				u64 key = READ_ONCE(r->cls.order);

				if (key <= after || key >= best->key)
					continue;
				/* most rules of other keys differ here */
				if (!nfgate_cls_addrs_may_match(t, &lk, r))
					continue;
				if (!nfgate_rule_visible(r, ver) ||
				    !nfgate_cls_try(r, pkt, &drop))
					continue;
				best->rule = r;
				best->key = key;
				best->drop = drop;
			}
		}
	}
}

/*
 * The first residual rule visible in ver with a key > after, or NULL.
 * Keys only, nothing evaluated, so this may run again.  A rule visible in
 * ver stays linked while the packet is in its RCU section (gc.c), so the
 * walk may go on from it after the keys have moved.
 */
static struct nfgate_rule *nfgate_cls_residual_first(struct nfgate_chain *c,
						     u64 after, u64 ver)
{
	struct nfgate_rule *r;

	list_for_each_entry_rcu(r, &c->cls.residual, cls.rnode)
		if (READ_ONCE(r->cls.order) > after &&
		    nfgate_rule_visible(r, ver))
			return r;
	return NULL;
}

/*
 * Whether r comes after best in the chain.  Rules never change places, so
 * their keys compare the same in every consistent view: one is read again
 * if a renumber overlapped.
 */
static bool nfgate_cls_beyond(struct nfgate_chain *c,
			      const struct nfgate_rule *r,
			      const struct nfgate_rule *best)
{
	unsigned int seq;
	bool beyond;

	do {
		seq = read_seqcount_begin(&c->cls.seq);
		beyond = READ_ONCE(r->cls.order) > READ_ONCE(best->cls.order);
	} while (read_seqcount_retry(&c->cls.seq, seq));
	return beyond;
}

/*
 * The first rule of c after @after (NULL: from the start) that is visible
 * in ver and matches.  The caller loaded the ports of a TCP/UDP head
 * fragment and keeps TCP fragments at offset 1 to the list walk, so
 * nfgate_match() never sets hotdrop here.  The keys are read under the
 * chain's seqcount: a lookup that overlapped a renumber or a resize runs
 * again, but only the parts without side effects: the hash tables' rules
 * and the search for the first residual rule after @after.  The residual
 * rules from there up to the best candidate run after, each once and in
 * rule order, as iptables would run them (an ordered kind, statistic nth
 * or limit, must not count a packet twice).
 * Extensions' matches may drop (nfgate_cls_try()); the rule that decides
 * leaves that in pkt->hotdrop.
 */
struct nfgate_rule *nfgate_cls_next(struct nfgate_chain *c,
				    struct nfgate_rule *after, u64 ver,
				    struct nfgate_pkt *pkt,
				    struct nfgate_cls_pkt *cp)
{
	struct nfgate_cls_best best;
	struct nfgate_rule *r;
	unsigned int seq;
	bool drop;
	u64 from;

	if (!cp->ready)
		nfgate_cls_pkt_init(cp, pkt);
	do {
		seq = read_seqcount_begin(&c->cls.seq);
		from = after ? READ_ONCE(after->cls.order) : 0;
		nfgate_cls_scan_tuples(c, from, ver, pkt, cp, &best);
		r = nfgate_cls_residual_first(c, from, ver);
		if (r && READ_ONCE(r->cls.order) >= best.key)
			r = NULL;
	} while (read_seqcount_retry(&c->cls.seq, seq));

	if (r) {
		list_for_each_entry_from_rcu(r, &c->cls.residual, cls.rnode) {
			if (best.rule && nfgate_cls_beyond(c, r, best.rule))
				break;
			if (nfgate_rule_visible(r, ver) &&
			    nfgate_cls_try(r, pkt, &drop)) {
				pkt->hotdrop = drop;
				return r;
			}
		}
	}
	pkt->hotdrop = best.drop;
	return best.rule;
}
