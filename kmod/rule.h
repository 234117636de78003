/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rule.c: rules, their parsed specification, allocation and freeing, the
 * one comparison used for delete by specification, and the netlink
 * encoding of rules and counters.
 */
#ifndef _NFGATE_RULE_H
#define _NFGATE_RULE_H

#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/types.h>
#include <net/netlink.h>

#include <linux/nfgate.h>

#include "classify.h"
#include "counters.h"
#include "ext.h"
#include "match.h"
#include "ostree.h"

struct nfgate_chain;
struct sk_buff;

/* Handles above this are refused (-ENOSPC); 2^62 rule creations. */
#define NFGATE_HANDLE_BITS	62
#define NFGATE_HANDLE_MAX	((1ULL << NFGATE_HANDLE_BITS) - 1)

struct nfgate_rule {
	/* packet path (RCU) */
	struct list_head	list;		/* chain->rules */
	u64			add_ver;
	u64			del_ver;	/* WRITE_ONCE; NFGATE_VER_INF */
	struct nfgate_match	m;
	union {
		struct nfgate_chain	*target;	/* JUMP/GOTO; !m.ext */
		struct nfgate_ext_block	*ext;		/* m.ext */
	};
	struct nfgate_counters	cnt;
	struct nfgate_cls_rule	cls;		/* classify.c */
	/* control path (netns mutex) */
	struct nfgate_chain	*chain;
	u64			digest;		/* nfgate_rule_digest() */
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
	struct nfgate_ext_block	*ext;		/* nfgate_rule_alloc() takes it */
	bool			has_counters;
	u64			digest;		/* nfgate_rule_digest() */
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
struct nfgate_rule *nfgate_rule_alloc(struct nfgate_rule_spec *spec);
void nfgate_rule_free(struct nfgate_rule *r);
bool nfgate_rule_equal(const struct nfgate_rule *r,
		       const struct nfgate_rule_spec *spec);
int nfgate_rule_fill(struct sk_buff *skb, const struct nfgate_rule *r);
int nfgate_counters_fill(struct sk_buff *skb, int type,
			 const struct nfgate_counters *c);

/* The chain a JUMP/GOTO rule goes to, or NULL. */
static inline struct nfgate_chain *nfgate_rule_jump(const struct nfgate_rule *r)
{
	return r->m.ext ? r->ext->jump : r->target;
}

/* The rule's block of extensions, or NULL. */
static inline const struct nfgate_ext_block *
nfgate_rule_ext(const struct nfgate_rule *r)
{
	return r->m.ext ? r->ext : NULL;
}

/*
 * The core match, then the extensions' matches in rule order.  A drop by
 * the core's ports waits for the matches that come before -m tcp/udp.
 */
static inline bool nfgate_rule_match(const struct nfgate_rule *r,
				     struct nfgate_pkt *pkt)
{
	if (!nfgate_match(&r->m, pkt)) {
		if (unlikely(pkt->hotdrop) && r->m.ext)
			nfgate_ext_l4_drop(r->ext, pkt);
		return false;
	}
	return !r->m.ext || nfgate_ext_match(r->ext, &r->m, pkt);
}

static inline bool nfgate_rule_visible(const struct nfgate_rule *r, u64 ver)
{
	return r->add_ver <= ver && ver < READ_ONCE(r->del_ver);
}

#endif /* _NFGATE_RULE_H */
