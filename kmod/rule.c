// SPDX-License-Identifier: GPL-2.0
/*
 * Rules: parsing and validation of NFGATE_A_RULE into a normalized spec,
 * the one comparison used for delete-by-specification, allocation from a
 * kmem_cache, freeing (now or after RCU) and the dump encoding.
 */
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/xxhash.h>

#include "chain.h"
#include "counters.h"
#include "ifnames.h"
#include "match.h"
#include "netns.h"
#include "rule.h"

static struct kmem_cache *nfgate_rule_cache __read_mostly;

const struct nla_policy nfgate_counters_policy[NFGATE_COUNTERS_A_MAX + 1] = {
	[NFGATE_COUNTERS_A_PACKETS]	= { .type = NLA_U64 },
	[NFGATE_COUNTERS_A_BYTES]	= { .type = NLA_U64 },
};

static const struct nla_policy nfgate_addr_policy[NFGATE_ADDR_A_MAX + 1] = {
	[NFGATE_ADDR_A_ADDR]	= { .type = NLA_BE32 },
	[NFGATE_ADDR_A_MASK]	= { .type = NLA_BE32 },
	[NFGATE_ADDR_A_INV]	= { .type = NLA_FLAG },
};

static const struct nla_policy nfgate_proto_policy[NFGATE_PROTO_A_MAX + 1] = {
	[NFGATE_PROTO_A_NUM]	= { .type = NLA_U8 },
	[NFGATE_PROTO_A_INV]	= { .type = NLA_FLAG },
};

static const struct nla_policy nfgate_iface_policy[NFGATE_IFACE_A_MAX + 1] = {
	[NFGATE_IFACE_A_NAME]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_IFNAMSIZ - 1 },
	[NFGATE_IFACE_A_INV]	= { .type = NLA_FLAG },
};

static const struct nla_policy nfgate_port_policy[NFGATE_PORT_A_MAX + 1] = {
	[NFGATE_PORT_A_MIN]	= { .type = NLA_U16 },
	[NFGATE_PORT_A_MAX]	= { .type = NLA_U16 },
	[NFGATE_PORT_A_INV]	= { .type = NLA_FLAG },
};

static const struct nla_policy nfgate_target_policy[NFGATE_TARGET_A_MAX + 1] = {
	[NFGATE_TARGET_A_VERDICT] = NLA_POLICY_MAX(NLA_U32, NFGATE_VERDICT_MAX),
	[NFGATE_TARGET_A_CHAIN]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_CHAIN_MAXNAMELEN - 1 },
	[NFGATE_TARGET_A_EXT]	= { .type = NLA_NESTED },
};

const struct nla_policy nfgate_rule_policy[NFGATE_RULE_A_MAX + 1] = {
	[NFGATE_RULE_A_HANDLE]	= { .type = NLA_U64 },
	[NFGATE_RULE_A_SRC]	= NLA_POLICY_NESTED(nfgate_addr_policy),
	[NFGATE_RULE_A_DST]	= NLA_POLICY_NESTED(nfgate_addr_policy),
	[NFGATE_RULE_A_PROTO]	= NLA_POLICY_NESTED(nfgate_proto_policy),
	[NFGATE_RULE_A_IIF]	= NLA_POLICY_NESTED(nfgate_iface_policy),
	[NFGATE_RULE_A_OIF]	= NLA_POLICY_NESTED(nfgate_iface_policy),
	[NFGATE_RULE_A_SPORT]	= NLA_POLICY_NESTED(nfgate_port_policy),
	[NFGATE_RULE_A_DPORT]	= NLA_POLICY_NESTED(nfgate_port_policy),
	[NFGATE_RULE_A_TARGET]	= NLA_POLICY_NESTED(nfgate_target_policy),
	[NFGATE_RULE_A_COUNTERS] = NLA_POLICY_NESTED(nfgate_counters_policy),
	[NFGATE_RULE_A_MATCHES]	= { .type = NLA_NESTED },
};

int nfgate_rule_cache_init(void)
{
	/* The match is padding-free: memcmp() compares all of it. */
	BUILD_BUG_ON(offsetof(struct nfgate_match, ifn) !=
		     offsetofend(struct nfgate_match, zero));
	/* Extension data is 8-byte aligned (ext.c). */
	BUILD_BUG_ON(sizeof(struct nfgate_ext) % 8 ||
		     sizeof(struct nfgate_ext_block) % 8);
	BUILD_BUG_ON(sizeof(struct nfgate_match) !=
		     offsetofend(struct nfgate_match, ifn));
	/* The budget: 22 rules per 4 KiB slab (Documentation/design.rst). */
	BUILD_BUG_ON(sizeof(struct nfgate_rule) > 184);
	nfgate_rule_cache = KMEM_CACHE(nfgate_rule, SLAB_ACCOUNT);
	return nfgate_rule_cache ? 0 : -ENOMEM;
}

void nfgate_rule_cache_exit(void)
{
	kmem_cache_destroy(nfgate_rule_cache);
}

/* -s / -d.  The address is stored masked; a plain 0/0 matches all. */
static int nfgate_parse_addr(const struct nlattr *attr, u16 bit,
			     __be32 *addr, __be32 *mask,
			     struct nfgate_match *m,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_ADDR_A_MAX + 1];
	bool inv;
	int err;

	err = nla_parse_nested(tb, NFGATE_ADDR_A_MAX, attr,
			       nfgate_addr_policy, extack);
	if (err)
		return err;
	if (!tb[NFGATE_ADDR_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "address match without ADDR");
		return -EINVAL;
	}
	*mask = tb[NFGATE_ADDR_A_MASK] ? nla_get_in_addr(tb[NFGATE_ADDR_A_MASK]) :
					 htonl(0xffffffff);
	*addr = nla_get_in_addr(tb[NFGATE_ADDR_A_ADDR]) & *mask;
	inv = nla_get_flag(tb[NFGATE_ADDR_A_INV]);
	if (!*mask && !inv)
		return 0;
	m->present |= bit;
	if (inv)
		m->inv |= bit;
	return 0;
}

/* -p.  Protocol 0 ("all") is the same as no match. */
static int nfgate_parse_proto(const struct nlattr *attr,
			      struct nfgate_match *m,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_PROTO_A_MAX + 1];
	bool inv;
	int err;

	err = nla_parse_nested(tb, NFGATE_PROTO_A_MAX, attr,
			       nfgate_proto_policy, extack);
	if (err)
		return err;
	if (!tb[NFGATE_PROTO_A_NUM]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "protocol match without NUM");
		return -EINVAL;
	}
	m->proto = nla_get_u8(tb[NFGATE_PROTO_A_NUM]);
	inv = nla_get_flag(tb[NFGATE_PROTO_A_INV]);
	if (!m->proto && inv) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "protocol 0 (all) cannot be inverted");
		return -EINVAL;
	}
	if (!m->proto)
		return 0;
	m->present |= NFGATE_M_PROTO;
	if (inv)
		m->inv |= NFGATE_M_PROTO;
	return 0;
}

/* -i / -o.  A lone '+' (not inverted) matches every interface. */
static int nfgate_parse_iface(const struct nlattr *attr, u16 bit, u16 wild,
			      char *name, u8 *len, struct nfgate_match *m,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_IFACE_A_MAX + 1];
	const char *s;
	size_t n;
	bool inv;
	int err;

	err = nla_parse_nested(tb, NFGATE_IFACE_A_MAX, attr,
			       nfgate_iface_policy, extack);
	if (err)
		return err;
	if (!tb[NFGATE_IFACE_A_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "interface match without NAME");
		return -EINVAL;
	}
	s = nla_data(tb[NFGATE_IFACE_A_NAME]);
	n = strnlen(s, NFGATE_IFNAMSIZ);
	if (!n || n >= NFGATE_IFNAMSIZ) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFGATE_IFACE_A_NAME],
				    "interface name must be 1..15 bytes");
		return -EINVAL;
	}
	inv = nla_get_flag(tb[NFGATE_IFACE_A_INV]);
	if (s[n - 1] == '+') {
		if (n == 1 && !inv)
			return 0;
		memcpy(name, s, n - 1);
		*len = n - 1;
		m->present |= wild;
	} else {
		memcpy(name, s, n);
		*len = IFNAMSIZ;
	}
	m->present |= bit;
	if (inv)
		m->inv |= bit;
	return 0;
}

/* --sport / --dport: MIN..MAX, MAX defaults to MIN. */
static int nfgate_parse_port(const struct nlattr *attr, u16 bit, u16 *range,
			     struct nfgate_match *m,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_PORT_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NFGATE_PORT_A_MAX, attr,
			       nfgate_port_policy, extack);
	if (err)
		return err;
	if (!tb[NFGATE_PORT_A_MIN]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "port match without MIN");
		return -EINVAL;
	}
	range[0] = nla_get_u16(tb[NFGATE_PORT_A_MIN]);
	range[1] = tb[NFGATE_PORT_A_MAX] ? nla_get_u16(tb[NFGATE_PORT_A_MAX]) :
					   range[0];
	if (range[0] > range[1]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFGATE_PORT_A_MAX],
				    "port range MIN is greater than MAX");
		return -EINVAL;
	}
	m->present |= bit;
	if (nla_get_flag(tb[NFGATE_PORT_A_INV]))
		m->inv |= bit;
	return 0;
}

/*
 * -j / -g.  Jump targets are user chains of the same table, seen in ver.
 * An extension target (EXT) leaves its nest in *ext for nfgate_ext_parse().
 */
static int nfgate_parse_target(struct nfgate_tbl *t, const struct nlattr *attr,
			       u64 ver, struct nfgate_rule_spec *spec,
			       struct nlattr **ext,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_TARGET_A_MAX + 1];
	struct nlattr *name;
	struct nfgate_chain *c;
	int err;

	err = nla_parse_nested(tb, NFGATE_TARGET_A_MAX, attr,
			       nfgate_target_policy, extack);
	if (err)
		return err;
	if (!tb[NFGATE_TARGET_A_VERDICT]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "target without VERDICT");
		return -EINVAL;
	}
	spec->m.verdict = nla_get_u32(tb[NFGATE_TARGET_A_VERDICT]);
	*ext = tb[NFGATE_TARGET_A_EXT];
	if ((spec->m.verdict == NFGATE_VERDICT_EXT) != !!*ext) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "EXT takes an extension target (TARGET_A_EXT), other verdicts none");
		return -EINVAL;
	}
	name = tb[NFGATE_TARGET_A_CHAIN];
	if (spec->m.verdict != NFGATE_VERDICT_JUMP &&
	    spec->m.verdict != NFGATE_VERDICT_GOTO) {
		if (name) {
			NL_SET_ERR_MSG_ATTR(extack, name,
					    "only JUMP and GOTO take a chain");
			return -EINVAL;
		}
		return 0;
	}
	if (!name) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "JUMP and GOTO need a CHAIN");
		return -EINVAL;
	}
	c = nfgate_chain_find(t, nla_data(name), ver);
	if (!c) {
		NL_SET_ERR_MSG_ATTR(extack, name, "target chain does not exist");
		return -ENOENT;
	}
	if (c->builtin) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "cannot jump to a built-in chain");
		return -EINVAL;
	}
	spec->target = c;
	return 0;
}

int nfgate_counters_parse(const struct nlattr *attr, u64 *packets, u64 *bytes,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_COUNTERS_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NFGATE_COUNTERS_A_MAX, attr,
			       nfgate_counters_policy, extack);
	if (err)
		return err;
	*packets = tb[NFGATE_COUNTERS_A_PACKETS] ?
		   nla_get_u64(tb[NFGATE_COUNTERS_A_PACKETS]) : 0;
	*bytes = tb[NFGATE_COUNTERS_A_BYTES] ?
		 nla_get_u64(tb[NFGATE_COUNTERS_A_BYTES]) : 0;
	return 0;
}

/* Refuse -i where there is no input device and -o where there is no output. */
static int nfgate_check_iface_hooks(const struct nfgate_chain *chain,
				    struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	unsigned int no_in = BIT(NF_INET_LOCAL_OUT) | BIT(NF_INET_POST_ROUTING);
	unsigned int no_out = BIT(NF_INET_PRE_ROUTING) | BIT(NF_INET_LOCAL_IN);

	if (!chain->builtin)
		return 0;
	if (tb[NFGATE_RULE_A_IIF] && (no_in & BIT(chain->hook))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFGATE_RULE_A_IIF],
				    "input interface match not allowed in OUTPUT or POSTROUTING");
		return -EINVAL;
	}
	if (tb[NFGATE_RULE_A_OIF] && (no_out & BIT(chain->hook))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFGATE_RULE_A_OIF],
				    "output interface match not allowed in PREROUTING or INPUT");
		return -EINVAL;
	}
	return 0;
}

/*
 * XXH64 of the rule's top-level attributes as they were received, each
 * chained into the next as the seed, except HANDLE, COUNTERS and PAD:
 * two rules sent with the same bytes get the same digest, whatever their
 * counters.  Dumps fold these into a chain's digest (dump.c), with which
 * a client skips reading chains it would write back unchanged
 * (Documentation/protocol.rst, Chain digests).
 */
static u64 nfgate_rule_digest(const struct nlattr *attr)
{
	const struct nlattr *a;
	u64 h = 0;
	int rem;

	nla_for_each_nested(a, attr, rem) {
		switch (nla_type(a)) {
		case NFGATE_RULE_A_HANDLE:
		case NFGATE_RULE_A_COUNTERS:
		case NFGATE_RULE_A_PAD:
			continue;
		}
		h = xxh64(a, a->nla_len, h);
	}
	return h;
}

/*
 * Parse and validate a rule for @chain; target chains are looked up in
 * @ver.  The spec is normalized so that equal rules compare equal.  With
 * @existing (a delete by specification), interface names no rule holds
 * are -ENOENT "no such rule in the chain".
 */
int nfgate_rule_parse(struct nfgate_chain *chain, const struct nlattr *attr,
		      u64 ver, bool existing, struct nfgate_rule_spec *spec,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFGATE_RULE_A_MAX + 1];
	struct nfgate_match *m = &spec->m;
	struct nfgate_ifnames ifn = {};
	struct nlattr *port, *ext = NULL;
	int err;

	memset(spec, 0, sizeof(*spec));
	err = nla_parse_nested(tb, NFGATE_RULE_A_MAX, attr, nfgate_rule_policy,
			       extack);
	if (err)
		return err;
	spec->digest = nfgate_rule_digest(attr);
	err = nfgate_check_iface_hooks(chain, tb, extack);
	if (err)
		return err;

	if (tb[NFGATE_RULE_A_SRC])
		err = nfgate_parse_addr(tb[NFGATE_RULE_A_SRC], NFGATE_M_SRC,
					&m->src, &m->smsk, m, extack);
	if (!err && tb[NFGATE_RULE_A_DST])
		err = nfgate_parse_addr(tb[NFGATE_RULE_A_DST], NFGATE_M_DST,
					&m->dst, &m->dmsk, m, extack);
	if (!err && tb[NFGATE_RULE_A_PROTO])
		err = nfgate_parse_proto(tb[NFGATE_RULE_A_PROTO], m, extack);
	if (!err && tb[NFGATE_RULE_A_IIF])
		err = nfgate_parse_iface(tb[NFGATE_RULE_A_IIF], NFGATE_M_IIF,
					 NFGATE_M_IIF_WILD, ifn.iif,
					 &ifn.iif_len, m, extack);
	if (!err && tb[NFGATE_RULE_A_OIF])
		err = nfgate_parse_iface(tb[NFGATE_RULE_A_OIF], NFGATE_M_OIF,
					 NFGATE_M_OIF_WILD, ifn.oif,
					 &ifn.oif_len, m, extack);
	if (!err && tb[NFGATE_RULE_A_SPORT])
		err = nfgate_parse_port(tb[NFGATE_RULE_A_SPORT], NFGATE_M_SPORT,
					m->sport, m, extack);
	if (!err && tb[NFGATE_RULE_A_DPORT])
		err = nfgate_parse_port(tb[NFGATE_RULE_A_DPORT], NFGATE_M_DPORT,
					m->dport, m, extack);
	if (err)
		return err;

	port = tb[NFGATE_RULE_A_SPORT] ?: tb[NFGATE_RULE_A_DPORT];
	if (port && (!(m->present & NFGATE_M_PROTO) ||
		     (m->inv & NFGATE_M_PROTO) ||
		     (m->proto != IPPROTO_TCP && m->proto != IPPROTO_UDP))) {
		NL_SET_ERR_MSG_ATTR(extack, port,
				    "port match needs protocol tcp or udp, not inverted");
		return -EINVAL;
	}

	if (tb[NFGATE_RULE_A_TARGET]) {
		err = nfgate_parse_target(chain->table, tb[NFGATE_RULE_A_TARGET],
					  ver, spec, &ext, extack);
		if (err)
			return err;
	}
	if (tb[NFGATE_RULE_A_COUNTERS]) {
		spec->has_counters = true;
		err = nfgate_counters_parse(tb[NFGATE_RULE_A_COUNTERS],
					    &spec->packets, &spec->bytes,
					    extack);
		if (err)
			return err;
	}
	/* Last but one: the names are the only thing that can fail after. */
	if (tb[NFGATE_RULE_A_MATCHES] || ext) {
		struct nfgate_ext_ctx ctx = {
			.net = chain->table->nn->net,
			.chain = chain,
			.table = chain->table->id,
			.m = m,
			.extack = extack,
		};

		err = nfgate_ext_parse(&ctx, tb[NFGATE_RULE_A_MATCHES], ext,
				       &spec->ext);
		if (err)
			return err;
		if (spec->ext) {
			spec->ext->jump = spec->target;
			m->ext = NFGATE_MX_EXT;
			if (spec->ext->ordered)
				m->ext |= NFGATE_MX_ORDERED;
			if (spec->ext->ports_late)
				m->ext |= NFGATE_MX_PORTS_LATE;
		}
	}
	if (m->present & (NFGATE_M_IIF | NFGATE_M_OIF)) {
		struct nfgate_net *nn = chain->table->nn;
		const struct nfgate_ifnames *n;

		if (existing)
			n = nfgate_ifnames_find(nn, &ifn) ?: ERR_PTR(-ENOENT);
		else
			n = nfgate_ifnames_get(nn, &ifn);
		if (IS_ERR(n)) {
			nfgate_ext_block_free(spec->ext);
			spec->ext = NULL;
			if (PTR_ERR(n) == -ENOENT)
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "no such rule in the chain");
			else if (PTR_ERR(n) == -ENOSPC)
				NL_SET_ERR_MSG(extack,
					       "too many distinct interface names in the namespace (max_ifnames)");
			else
				NL_SET_ERR_MSG(extack,
					       "out of memory for interface names");
			return PTR_ERR(n);
		}
		m->ifn = n;
	}
	return 0;
}

/* Drop what a successful nfgate_rule_parse() holds. */
void nfgate_rule_spec_release(struct nfgate_rule_spec *spec)
{
	nfgate_ifnames_put(spec->m.ifn);
	spec->m.ifn = NULL;
	nfgate_ext_block_free(spec->ext);
	spec->ext = NULL;
}

/* A rule from @spec; it takes the spec's extension block. */
struct nfgate_rule *nfgate_rule_alloc(struct nfgate_rule_spec *spec)
{
	struct nfgate_rule *r;

	r = kmem_cache_zalloc(nfgate_rule_cache, GFP_KERNEL);
	if (!r)
		return NULL;
	if (nfgate_counters_alloc(&r->cnt)) {
		kmem_cache_free(nfgate_rule_cache, r);
		return NULL;
	}
	if (spec->has_counters) {
		if (nfgate_counters_reserve(&r->cnt)) {
			nfgate_rule_free(r);
			return NULL;
		}
		nfgate_counters_set(&r->cnt, spec->packets, spec->bytes);
	}
	memcpy(&r->m, &spec->m, sizeof(r->m));
	r->digest = spec->digest;
	nfgate_ifnames_hold(r->m.ifn);
	if (r->m.ext) {
		r->ext = spec->ext;
		spec->ext = NULL;
	} else {
		r->target = spec->target;
	}
	r->del_ver = NFGATE_VER_INF;
	INIT_LIST_HEAD(&r->gc_node);
	return r;
}

/*
 * Free a rule no reader can reach any more: after its grace period, or
 * one never published.
 */
void nfgate_rule_free(struct nfgate_rule *r)
{
	if (r->m.ext)
		nfgate_ext_block_free(r->ext);
	nfgate_ifnames_put(r->m.ifn);
	nfgate_counters_free(&r->cnt);
	kmem_cache_free(nfgate_rule_cache, r);
}

/*
 * Delete by specification: normalized matches and target are equal;
 * counters and handles do not count.
 */
bool nfgate_rule_equal(const struct nfgate_rule *r,
		       const struct nfgate_rule_spec *spec)
{
	/* The verdict is in the match, the jump also in the block. */
	return nfgate_rule_jump(r) == spec->target &&
	       !memcmp(&r->m, &spec->m, sizeof(r->m)) &&
	       (!r->m.ext || nfgate_ext_block_equal(r->ext, spec->ext));
}

static int nfgate_fill_addr(struct sk_buff *skb, int type, __be32 addr,
			    __be32 mask, bool inv)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_in_addr(skb, NFGATE_ADDR_A_ADDR, addr) ||
	    nla_put_in_addr(skb, NFGATE_ADDR_A_MASK, mask) ||
	    (inv && nla_put_flag(skb, NFGATE_ADDR_A_INV)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nfgate_fill_iface(struct sk_buff *skb, int type, const char *name,
			     bool wild, bool inv)
{
	char buf[IFNAMSIZ + 1];
	struct nlattr *nest;

	snprintf(buf, sizeof(buf), "%s%s", name, wild ? "+" : "");
	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put_string(skb, NFGATE_IFACE_A_NAME, buf) ||
	    (inv && nla_put_flag(skb, NFGATE_IFACE_A_INV)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nfgate_fill_port(struct sk_buff *skb, int type, const u16 *range,
			    bool inv)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u16(skb, NFGATE_PORT_A_MIN, range[0]) ||
	    nla_put_u16(skb, NFGATE_PORT_A_MAX, range[1]) ||
	    (inv && nla_put_flag(skb, NFGATE_PORT_A_INV)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nfgate_fill_target(struct sk_buff *skb, const struct nfgate_rule *r)
{
	struct nfgate_chain *jump = nfgate_rule_jump(r);
	struct nlattr *nest;

	if (r->m.verdict == NFGATE_VERDICT_NONE)
		return 0;
	nest = nla_nest_start(skb, NFGATE_RULE_A_TARGET);
	if (!nest || nla_put_u32(skb, NFGATE_TARGET_A_VERDICT, r->m.verdict) ||
	    (jump && nla_put_string(skb, NFGATE_TARGET_A_CHAIN, jump->name)) ||
	    (r->m.verdict == NFGATE_VERDICT_EXT &&
	     nfgate_ext_fill_target(skb, r->ext)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int nfgate_counters_fill(struct sk_buff *skb, int type,
			 const struct nfgate_counters *c)
{
	struct nlattr *nest;
	u64 packets, bytes;

	nfgate_counters_read(c, &packets, &bytes);
	nest = nla_nest_start(skb, type);
	if (!nest ||
	    nla_put_u64_64bit(skb, NFGATE_COUNTERS_A_PACKETS, packets,
			      NFGATE_COUNTERS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFGATE_COUNTERS_A_BYTES, bytes,
			      NFGATE_COUNTERS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* NFGATE_A_RULE as dumps send it: handle, matches as input, target, counters. */
int nfgate_rule_fill(struct sk_buff *skb, const struct nfgate_rule *r)
{
	const struct nfgate_match *m = &r->m;
	u16 f = m->present, inv = m->inv;
	struct nlattr *nest;

	nest = nla_nest_start(skb, NFGATE_A_RULE);
	if (!nest ||
	    nla_put_u64_64bit(skb, NFGATE_RULE_A_HANDLE, r->handle,
			      NFGATE_RULE_A_PAD))
		return -EMSGSIZE;
	if ((f & NFGATE_M_SRC) &&
	    nfgate_fill_addr(skb, NFGATE_RULE_A_SRC, m->src, m->smsk,
			     inv & NFGATE_M_SRC))
		return -EMSGSIZE;
	if ((f & NFGATE_M_DST) &&
	    nfgate_fill_addr(skb, NFGATE_RULE_A_DST, m->dst, m->dmsk,
			     inv & NFGATE_M_DST))
		return -EMSGSIZE;
	if (f & NFGATE_M_PROTO) {
		struct nlattr *p = nla_nest_start(skb, NFGATE_RULE_A_PROTO);

		if (!p || nla_put_u8(skb, NFGATE_PROTO_A_NUM, m->proto) ||
		    ((inv & NFGATE_M_PROTO) &&
		     nla_put_flag(skb, NFGATE_PROTO_A_INV)))
			return -EMSGSIZE;
		nla_nest_end(skb, p);
	}
	if ((f & NFGATE_M_IIF) &&
	    nfgate_fill_iface(skb, NFGATE_RULE_A_IIF, m->ifn->iif,
			      f & NFGATE_M_IIF_WILD, inv & NFGATE_M_IIF))
		return -EMSGSIZE;
	if ((f & NFGATE_M_OIF) &&
	    nfgate_fill_iface(skb, NFGATE_RULE_A_OIF, m->ifn->oif,
			      f & NFGATE_M_OIF_WILD, inv & NFGATE_M_OIF))
		return -EMSGSIZE;
	if ((f & NFGATE_M_SPORT) &&
	    nfgate_fill_port(skb, NFGATE_RULE_A_SPORT, m->sport,
			     inv & NFGATE_M_SPORT))
		return -EMSGSIZE;
	if ((f & NFGATE_M_DPORT) &&
	    nfgate_fill_port(skb, NFGATE_RULE_A_DPORT, m->dport,
			     inv & NFGATE_M_DPORT))
		return -EMSGSIZE;
	if (r->m.ext && nfgate_ext_fill_matches(skb, r->ext))
		return -EMSGSIZE;
	if (nfgate_fill_target(skb, r) ||
	    nfgate_counters_fill(skb, NFGATE_RULE_A_COUNTERS, &r->cnt))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}
