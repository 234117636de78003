// SPDX-License-Identifier: GPL-2.0
/*
 * Extensions: the registry of match and target kinds, and the block of
 * extensions a rule points to.  Parsing builds the block in one
 * allocation, each kind's init filling its private data; the packet path
 * runs the block's matches in rule order after the rule's core match.
 */
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <net/netfilter/nf_conntrack.h>

#include "chain.h"
#include "ext.h"
#include "match.h"
#include "netns.h"
#include "txn.h"

/* Every kind, once.  A new kind is one line here and one file in ext/. */
static const struct nfgate_ext_ops *const nfgate_ext_kinds[] = {
	&nfgate_ext_comment,
	&nfgate_ext_mark,
	&nfgate_ext_MARK,
	&nfgate_ext_tcp,
	&nfgate_ext_udp,
	&nfgate_ext_limit,
	&nfgate_ext_hashlimit,
	&nfgate_ext_conntrack,
	&nfgate_ext_state,
	&nfgate_ext_connmark,
	&nfgate_ext_CONNMARK,
	&nfgate_ext_statistic,
	&nfgate_ext_CT,
	&nfgate_ext_NOTRACK,
	&nfgate_ext_REJECT,
	&nfgate_ext_LOG,
	&nfgate_ext_NFQUEUE,
	&nfgate_ext_QUEUE,
	&nfgate_ext_addrtype,
	&nfgate_ext_DNAT,
	&nfgate_ext_SNAT,
	&nfgate_ext_MASQUERADE,
	&nfgate_ext_REDIRECT,
	&nfgate_ext_icmp,
	&nfgate_ext_multiport,
	&nfgate_ext_TCPMSS,
	&nfgate_ext_CHECKSUM,
	&nfgate_ext_TTL,
	&nfgate_ext_NFLOG,
	&nfgate_ext_iprange,
	&nfgate_ext_length,
	&nfgate_ext_ttl,
	&nfgate_ext_pkttype,
	&nfgate_ext_mac,
	&nfgate_ext_owner,
	&nfgate_ext_recent,
	&nfgate_ext_connlimit,
	&nfgate_ext_nfacct,
};

static const struct nla_policy nfgate_ext_policy[NFGATE_EXT_A_MAX + 1] = {
	[NFGATE_EXT_A_NAME]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_EXT_MAXNAMELEN - 1 },
	[NFGATE_EXT_A_DATA]	= { .type = NLA_NESTED },
};

static const struct nfgate_ext_ops *nfgate_ext_find(const char *name,
						    bool target)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nfgate_ext_kinds); i++)
		if (nfgate_ext_kinds[i]->is_target == target &&
		    !strcmp(nfgate_ext_kinds[i]->name, name))
			return nfgate_ext_kinds[i];
	return NULL;
}

static unsigned int nfgate_ext_entry_size(const struct nfgate_ext_ops *ops)
{
	return ALIGN(sizeof(struct nfgate_ext) + ops->size, 8);
}

static inline struct nfgate_ext *nfgate_ext_first(const struct nfgate_ext_block *b)
{
	return (struct nfgate_ext *)b->data;
}

static inline struct nfgate_ext *nfgate_ext_next(const struct nfgate_ext *e)
{
	return (struct nfgate_ext *)((u8 *)e + e->size);
}

#define nfgate_ext_for_each(e, b)					\
	for (e = nfgate_ext_first(b);					\
	     (u8 *)(e) < (b)->data + (b)->len;				\
	     e = nfgate_ext_next(e))

/* The -m tcp/udp entry, which marks where the core's ports stand. */
static inline bool nfgate_ext_is_l4(const struct nfgate_ext_ops *ops)
{
	return ops == &nfgate_ext_tcp || ops == &nfgate_ext_udp;
}

/* The kind named by one NFGATE_EXT_A_* nest, its DATA checked. */
static int nfgate_ext_lookup(const struct nlattr *attr, bool target,
			     const struct nfgate_ext_ops **opsp,
			     struct nlattr **data,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_EXT_A_MAX + 1];
	const struct nfgate_ext_ops *ops;
	int err;

	err = nla_parse_nested(tb, NFGATE_EXT_A_MAX, attr, nfgate_ext_policy,
			       extack);
	if (err)
		return err;
	if (!tb[NFGATE_EXT_A_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "extension without NAME");
		return -EINVAL;
	}
	ops = nfgate_ext_find(nla_data(tb[NFGATE_EXT_A_NAME]), target);
	if (!ops) {
		if (target)
			NL_SET_ERR_MSG_ATTR(extack, tb[NFGATE_EXT_A_NAME],
					    "unknown target extension");
		else
			NL_SET_ERR_MSG_ATTR(extack, tb[NFGATE_EXT_A_NAME],
					    "unknown match extension");
		return -EOPNOTSUPP;
	}
	*opsp = ops;
	*data = tb[NFGATE_EXT_A_DATA];
	return 0;
}

/* The hooks one instance allows; 0: all. */
static unsigned int nfgate_ext_hooks(const struct nfgate_ext_ops *ops,
				     const void *priv)
{
	return ops->hooks_of ? ops->hooks_of(priv) : ops->hooks;
}

/* Whether the table allows the kind. */
static int nfgate_ext_check_table(const struct nfgate_ext_ctx *ctx,
				  const struct nfgate_ext_ops *ops,
				  const struct nlattr *attr)
{
	struct nfgate_net *nn = nfgate_pernet(ctx->net);

	if (ops->tables && !(ops->tables & BIT(ctx->table))) {
		nfgate_extack_fmt(nn, ctx->extack,
				  "%s is not valid in this table", ops->name);
		NL_SET_BAD_ATTR(ctx->extack, attr);
		return -EINVAL;
	}
	return 0;
}

/* Whether a built-in chain's hook allows the instance (after init). */
static int nfgate_ext_check_hook(const struct nfgate_ext_ctx *ctx,
				 const struct nfgate_ext_ops *ops,
				 const struct nlattr *attr, const void *priv)
{
	struct nfgate_net *nn = nfgate_pernet(ctx->net);
	unsigned int hooks = nfgate_ext_hooks(ops, priv);

	if (hooks && ctx->chain->builtin &&
	    !(hooks & BIT(ctx->chain->hook))) {
		nfgate_extack_fmt(nn, ctx->extack,
				  "%s is not valid in chain %s", ops->name,
				  ctx->chain->name);
		NL_SET_BAD_ATTR(ctx->extack, attr);
		return -EINVAL;
	}
	return 0;
}

/* Run init of one kind into entry e; data is the DATA nest or NULL. */
static int nfgate_ext_init_one(const struct nfgate_ext_ctx *ctx,
			       const struct nfgate_ext_ops *ops,
			       const struct nlattr *attr,
			       const struct nlattr *data,
			       struct nfgate_ext *e)
{
	struct nlattr **tb;
	int err;

	err = nfgate_ext_check_table(ctx, ops, attr);
	if (err)
		return err;
	tb = kcalloc(ops->maxattr + 1, sizeof(*tb), GFP_KERNEL);
	if (!tb)
		return -ENOMEM;
	if (data)
		err = nla_parse_nested(tb, ops->maxattr, data, ops->policy,
				       ctx->extack);
	if (!err)
		err = ops->init(ctx, tb, e->data);
	kfree(tb);
	if (err)
		return err;
	err = nfgate_ext_check_hook(ctx, ops, attr, e->data);
	if (err) {
		if (ops->destroy)
			ops->destroy(ctx->net, e->data);
		return err;
	}
	e->ops = ops;
	e->size = nfgate_ext_entry_size(ops);
	return 0;
}

/*
 * Build the block of a rule from NFGATE_RULE_A_MATCHES and the target's
 * NFGATE_TARGET_A_EXT (either may be NULL).  *blockp stays NULL for a
 * rule without extensions.  On error nothing is held.
 */
int nfgate_ext_parse(const struct nfgate_ext_ctx *ctx,
		     const struct nlattr *matches, const struct nlattr *target,
		     struct nfgate_ext_block **blockp)
{
	const struct nfgate_ext_ops *ops[NFGATE_MAX_RULE_EXTS + 1];
	const struct nlattr *attrs[NFGATE_MAX_RULE_EXTS + 1];
	struct nlattr *data[NFGATE_MAX_RULE_EXTS + 1];
	struct nfgate_ext_ctx c = *ctx;
	unsigned int n = 0, i, len = 0;
	struct nfgate_ext_block *b;
	struct nfgate_ext *e;
	struct nlattr *a;
	int rem, err;

	*blockp = NULL;
	if (matches) {
		nla_for_each_nested(a, matches, rem) {
			if (nla_type(a) != NFGATE_LIST_A_ELEM) {
				NL_SET_ERR_MSG_ATTR(ctx->extack, a,
						    "MATCHES holds only ELEM attributes");
				return -EINVAL;
			}
			if (n == NFGATE_MAX_RULE_EXTS) {
				NL_SET_ERR_MSG_ATTR(ctx->extack, a,
						    "too many matches in one rule");
				return -E2BIG;
			}
			err = nfgate_ext_lookup(a, false, &ops[n], &data[n],
						ctx->extack);
			if (err)
				return err;
			attrs[n++] = a;
		}
	}
	if (target) {
		err = nfgate_ext_lookup(target, true, &ops[n], &data[n],
					ctx->extack);
		if (err)
			return err;
		attrs[n++] = target;
	}
	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		len += nfgate_ext_entry_size(ops[i]);
	if (len > NFGATE_MAX_EXT_BYTES) {
		NL_SET_ERR_MSG(ctx->extack,
			       "the rule's extensions are too large");
		return -E2BIG;
	}

	b = kzalloc(sizeof(*b) + len, GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;
	b->net = ctx->net;
	b->hooks = ~0U;
	c.block = b;
	e = nfgate_ext_first(b);
	for (i = 0; i < n; i++) {
		unsigned int hooks;

		err = nfgate_ext_init_one(&c, ops[i], attrs[i], data[i], e);
		if (err)
			goto fail;
		b->len += e->size;
		hooks = nfgate_ext_hooks(ops[i], e->data);
		if (hooks)
			b->hooks &= hooks;
		/* the -m tcp/udp position marker after a match */
		if (nfgate_ext_is_l4(ops[i]) && b->nmatch)
			b->l4_late = true;
		/* ...after one with a side effect: the ports wait for it */
		if (nfgate_ext_is_l4(ops[i]) && b->ordered)
			b->ports_late = true;
		if (ops[i]->match)
			b->nmatch++;
		if (ops[i]->is_target)
			b->target = e;
		b->conntrack |= ops[i]->conntrack;
		b->ordered |= ops[i]->ordered && ops[i]->ordered(e->data);
		e = nfgate_ext_next(e);
	}
	if (b->conntrack) {
		err = nf_ct_netns_get(ctx->net, NFPROTO_IPV4);
		if (err) {
			NL_SET_ERR_MSG(ctx->extack,
				       "cannot enable conntrack in the namespace");
			b->conntrack = false;
			goto fail;
		}
	}
	*blockp = b;
	return 0;
fail:
	nfgate_ext_block_free(b);
	return err;
}

/*
 * Whether one of the extensions before the one being initialized is of
 * kind @ops and passes @test (TCPMSS looks for a SYN-only tcp match).
 */
bool nfgate_ext_ctx_has(const struct nfgate_ext_ctx *ctx,
			const struct nfgate_ext_ops *ops,
			bool (*test)(const void *priv))
{
	const struct nfgate_ext *e;

	if (!ctx->block)
		return false;
	nfgate_ext_for_each(e, ctx->block)
		if (e->ops == ops && test(e->data))
			return true;
	return false;
}

/* The .ordered of a kind whose every instance changes state (limit). */
bool nfgate_ext_always_ordered(const void *priv)
{
	return true;
}

/* Free a block no reader can reach; process context. */
void nfgate_ext_block_free(struct nfgate_ext_block *b)
{
	struct nfgate_ext *e;

	if (!b)
		return;
	nfgate_ext_for_each(e, b)
		if (e->ops->destroy)
			e->ops->destroy(b->net, e->data);
	if (b->conntrack)
		nf_ct_netns_put(b->net, NFPROTO_IPV4);
	kfree(b);
}

/* The same extensions with the same data, in the same order. */
bool nfgate_ext_block_equal(const struct nfgate_ext_block *a,
			    const struct nfgate_ext_block *b)
{
	const struct nfgate_ext *x, *y;

	if (!a || !b)
		return a == b;
	if (a->len != b->len || a->jump != b->jump)
		return false;
	y = nfgate_ext_first(b);
	nfgate_ext_for_each(x, a) {
		if (x->ops != y->ops ||
		    memcmp(x->data, y->data,
			   x->ops->cmp_size ?: x->ops->size))
			return false;
		y = nfgate_ext_next(y);
	}
	return true;
}

/*
 * A rule with a match that changes state (statistic --mode nth, limit,
 * recent, ...) before its -m tcp/udp: iptables runs that match for every
 * packet the rule's earlier matches let through, whatever its ports, and
 * tests the ports where -m tcp/udp stands.  The core left its ports to the
 * marker (NFGATE_MX_PORTS_LATE); the classifier keeps such a rule
 * residual, so nothing tested the ports before.
 */
static bool nfgate_ext_match_ports_late(const struct nfgate_ext_block *b,
					const struct nfgate_match *m,
					struct nfgate_pkt *pkt)
{
	const struct nfgate_ext *e;

	nfgate_ext_for_each(e, b) {
		if (nfgate_ext_is_l4(e->ops) && !nfgate_match_ports(m, pkt))
			return false;
		if (e->ops->match && !e->ops->match(e->data, pkt))
			return false;
	}
	return true;
}

/* The block's matches, in rule order, on a packet the core matched. */
bool nfgate_ext_match(const struct nfgate_ext_block *b,
		      const struct nfgate_match *m, struct nfgate_pkt *pkt)
{
	unsigned int left = b->nmatch;
	const struct nfgate_ext *e;

	if (unlikely(b->ports_late))
		return nfgate_ext_match_ports_late(b, m, pkt);
	/*
	 * Entries without a match function (comment, the tcp/udp position
	 * marker, the target, always last) are stepped over only up to the
	 * last match: the walk stops once every match has said yes.
	 */
	if (!left)
		return true;
	nfgate_ext_for_each(e, b) {
		if (!e->ops->match)
			continue;
		if (!e->ops->match(e->data, pkt))
			return false;
		if (!--left)
			break;
	}
	return true;
}

/*
 * The core's port match dropped the packet (a TCP/UDP head too short for
 * its header, a TCP fragment at offset 1).  iptables runs a rule's
 * matches in rule order: when -m tcp/udp comes after other matches, the
 * drop stands only if every match before it holds (and those run, as
 * they would in iptables); one that fails spares the packet, and one
 * may drop it itself (multiport on a head too short for the ports).
 */
void nfgate_ext_l4_drop(const struct nfgate_ext_block *b,
			struct nfgate_pkt *pkt)
{
	const struct nfgate_ext *e;

	if (!b->l4_late)
		return;
	pkt->hotdrop = false;
	nfgate_ext_for_each(e, b) {
		if (nfgate_ext_is_l4(e->ops))
			break;
		if (e->ops->match && !e->ops->match(e->data, pkt))
			return;
	}
	pkt->hotdrop = true;
}

/* The name of the first kind in b that does not allow @hook, or NULL. */
const char *nfgate_ext_denier(const struct nfgate_ext_block *b,
			      unsigned int hook)
{
	const struct nfgate_ext *e;

	nfgate_ext_for_each(e, b) {
		unsigned int hooks = nfgate_ext_hooks(e->ops, e->data);

		if (hooks && !(hooks & BIT(hook)))
			return e->ops->name;
	}
	return NULL;
}

static int nfgate_ext_fill_one(struct sk_buff *skb, int type,
			       const struct nfgate_ext *e)
{
	struct nlattr *nest, *data;

	nest = nla_nest_start(skb, type);
	if (!nest || nla_put_string(skb, NFGATE_EXT_A_NAME, e->ops->name))
		return -EMSGSIZE;
	data = nla_nest_start(skb, NFGATE_EXT_A_DATA);
	if (!data || (e->ops->dump && e->ops->dump(skb, e->data)))
		return -EMSGSIZE;
	nla_nest_end(skb, data);
	nla_nest_end(skb, nest);
	return 0;
}

/* NFGATE_RULE_A_MATCHES, if the block has matches. */
int nfgate_ext_fill_matches(struct sk_buff *skb,
			    const struct nfgate_ext_block *b)
{
	const struct nfgate_ext *e;
	struct nlattr *list = NULL;

	nfgate_ext_for_each(e, b) {
		if (e->ops->is_target)
			continue;
		if (!list) {
			list = nla_nest_start(skb, NFGATE_RULE_A_MATCHES);
			if (!list)
				return -EMSGSIZE;
		}
		if (nfgate_ext_fill_one(skb, NFGATE_LIST_A_ELEM, e))
			return -EMSGSIZE;
	}
	if (list)
		nla_nest_end(skb, list);
	return 0;
}

/* NFGATE_TARGET_A_EXT of an extension target. */
int nfgate_ext_fill_target(struct sk_buff *skb,
			   const struct nfgate_ext_block *b)
{
	return nfgate_ext_fill_one(skb, NFGATE_TARGET_A_EXT, b->target);
}
