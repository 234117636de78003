// SPDX-License-Identifier: GPL-2.0
/*
 * GETCHAIN and GETRULE dumps of the committed ruleset: chains in dump
 * order (built-ins by hook, then user chains by name), rules in chain
 * order.  Each dumpit call takes the netns mutex and resumes from the
 * state in cb->ctx (a rule dump from the handle of the last rule sent,
 * O(1), a u64 on every kernel: cb->args[] are longs; a user chain by its
 * name, O(log n): by index, 400k chains cost a walk per message);
 * cb->seq carries the generation so that a dump spanning a
 * commit is flagged NLM_F_DUMP_INTR.
 */
#include <linux/xxhash.h>
#include <net/sock.h>

#include "chain.h"
#include "dump.h"
#include "handle.h"
#include "netlink.h"
#include "netns.h"
#include "rule.h"

/* Where a dump resumes, in cb->ctx (zeroed by the netlink core). */
struct nfgate_dump_ctx {
	u64	handle;		/* of the last rule sent */
	u32	chain;		/* index of the chain in dump order */
	u32	pos;		/* rules of that chain already sent */
	char	name[NFGATE_CHAIN_MAXNAMELEN];	/* that chain, if a user one */
};

static struct nfgate_dump_ctx *nfgate_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nfgate_dump_ctx) > sizeof(cb->ctx));
	return (struct nfgate_dump_ctx *)cb->ctx;
}

static struct nfgate_net *nfgate_dump_net(struct netlink_callback *cb)
{
	return nfgate_pernet(sock_net(cb->skb->sk));
}

static struct nlattr **nfgate_dump_attrs(struct netlink_callback *cb)
{
	return genl_dumpit_info(cb)->attrs;
}

/* Checked once per dump so that the request is answered with an error. */
int nfgate_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = nfgate_dump_attrs(cb);
	struct nfgate_net *nn = nfgate_dump_net(cb);
	struct nfgate_tbl *t;
	int err = 0;

	if (!attrs || !attrs[NFGATE_A_TABLE])
		return -EINVAL;
	if (!attrs[NFGATE_A_CHAIN])
		return 0;
	t = &nn->tables[nla_get_u32(attrs[NFGATE_A_TABLE])];
	mutex_lock(&nn->mutex);
	if (!nfgate_chain_find(t, nla_data(attrs[NFGATE_A_CHAIN]), nn->version))
		err = -ENOENT;
	mutex_unlock(&nn->mutex);
	return err;
}

static void *nfgate_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			     u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, &nfgate_genl_family,
				NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/*
 * The chain's rules at @ver, their digests (rule.c) chained through
 * XXH64 in rule order: equal for two chains whose rules were sent with
 * the same bytes in the same order.  O(rules of the chain).
 */
static u64 nfgate_chain_digest(const struct nfgate_chain *c, u64 ver)
{
	const struct nfgate_rule *r;
	u64 h = 0;

	list_for_each_entry(r, &c->rules, list)
		if (nfgate_rule_visible(r, ver))
			h = xxh64(&r->digest, sizeof(r->digest), h);
	return h;
}

static int nfgate_fill_chain(struct sk_buff *skb, struct netlink_callback *cb,
			     struct nfgate_chain *c, u64 ver)
{
	void *hdr = nfgate_dump_put(skb, cb, NFGATE_CMD_GETCHAIN);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFGATE_A_TABLE, c->table->id) ||
	    nla_put_string(skb, NFGATE_A_CHAIN, c->name) ||
	    nla_put_u32(skb, NFGATE_A_CHAIN_FLAGS,
			c->builtin ? NFGATE_CHAIN_F_BUILTIN : 0) ||
	    nla_put_u32(skb, NFGATE_A_CHAIN_REFS, c->c_refs) ||
	    nla_put_u32(skb, NFGATE_A_CHAIN_RULES, c->c_nrules) ||
	    nla_put_u64_64bit(skb, NFGATE_A_CHAIN_DIGEST,
			      nfgate_chain_digest(c, ver), NFGATE_A_PAD))
		goto cancel;
	if (c->builtin &&
	    (nla_put_u32(skb, NFGATE_A_POLICY,
			 nfgate_chain_policy(c, ver)->verdict) ||
	     nfgate_counters_fill(skb, NFGATE_A_COUNTERS, &c->policy_cnt)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int nfgate_fill_rule(struct sk_buff *skb, struct netlink_callback *cb,
			    struct nfgate_chain *c, u32 pos,
			    const struct nfgate_rule *r)
{
	void *hdr = nfgate_dump_put(skb, cb, NFGATE_CMD_GETRULE);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFGATE_A_TABLE, c->table->id) ||
	    nla_put_string(skb, NFGATE_A_CHAIN, c->name) ||
	    nla_put_u32(skb, NFGATE_A_POSITION, pos) ||
	    nfgate_rule_fill(skb, r)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The first chain to dump, from the CHAIN filter or the resume index. */
static struct nfgate_chain *nfgate_dump_first(struct netlink_callback *cb,
					      struct nfgate_tbl *t, u64 ver)
{
	struct nlattr *name = nfgate_dump_attrs(cb)[NFGATE_A_CHAIN];
	struct nfgate_dump_ctx *ctx = nfgate_dump_ctx(cb);

	if (name)
		return ctx->chain ? NULL :
		       nfgate_chain_find(t, nla_data(name), ver);
	/*
	 * Past the built-ins: the chain of that name, or if it went (the
	 * dump is then flagged NLM_F_DUMP_INTR) the next one.
	 */
	if (ctx->name[0])
		return nfgate_user_chain_from(t, ctx->name, ver);
	return nfgate_chain_nth(t, ctx->chain, ver);
}

static struct nfgate_chain *nfgate_dump_next(struct netlink_callback *cb,
					     struct nfgate_tbl *t,
					     struct nfgate_chain *c, u64 ver)
{
	struct nfgate_dump_ctx *ctx = nfgate_dump_ctx(cb);

	ctx->chain++;
	ctx->pos = 0;
	ctx->handle = 0;
	if (nfgate_dump_attrs(cb)[NFGATE_A_CHAIN])
		return NULL;
	c = nfgate_chain_next(t, c, ver);
	/* Past the last chain the index (beyond the end) says so. */
	if (c && !c->builtin)
		strscpy(ctx->name, c->name, sizeof(ctx->name));
	else
		ctx->name[0] = '\0';
	return c;
}

/* Lock, and note the generation this part of the dump shows. */
static struct nfgate_tbl *nfgate_dump_lock(struct netlink_callback *cb,
					   struct nfgate_net *nn, u64 *ver)
{
	mutex_lock(&nn->mutex);
	*ver = nn->version;
	cb->seq = (unsigned int)*ver;
	return &nn->tables[nla_get_u32(nfgate_dump_attrs(cb)[NFGATE_A_TABLE])];
}

int nfgate_dump_chains(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfgate_net *nn = nfgate_dump_net(cb);
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	int err = 0;
	u64 ver;

	t = nfgate_dump_lock(cb, nn, &ver);
	for (c = nfgate_dump_first(cb, t, ver); c;
	     c = nfgate_dump_next(cb, t, c, ver)) {
		err = nfgate_fill_chain(skb, cb, c, ver);
		if (err)
			break;
	}
	mutex_unlock(&nn->mutex);
	/* A message that does not fit an empty skb would loop forever. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * The chain a rule dump resumes in: that of the last rule sent, found by
 * its handle in O(1) rather than by walking to the chain's index.
 */
static struct nfgate_chain *nfgate_dump_rules_first(struct netlink_callback *cb,
						    struct nfgate_net *nn,
						    struct nfgate_tbl *t,
						    u64 ver)
{
	struct nfgate_dump_ctx *ctx = nfgate_dump_ctx(cb);
	struct nfgate_rule *r;

	if (ctx->pos) {
		r = nfgate_rule_by_handle(nn, ctx->handle);
		if (r && r->chain->table == t &&
		    nfgate_chain_visible(r->chain, ver))
			return r->chain;
	}
	return nfgate_dump_first(cb, t, ver);
}

int nfgate_dump_rules(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfgate_dump_ctx *ctx = nfgate_dump_ctx(cb);
	struct nfgate_net *nn = nfgate_dump_net(cb);
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	int err = 0;
	u64 ver;

	t = nfgate_dump_lock(cb, nn, &ver);
	c = nfgate_dump_rules_first(cb, nn, t, ver);
	while (c) {
		u32 pos = ctx->pos;
		struct nfgate_rule *r = NULL;

		/* Resume after the last rule sent, found by its handle in
		 * O(1).  It stays linked, visible or not, until gc; once gc
		 * took it a commit has happened since (the dump is flagged):
		 * go on with the next chain.
		 */
		if (pos) {
			r = nfgate_rule_by_handle(nn, ctx->handle);
			if (!r || r->chain != c)
				goto next;
		}
		r = list_prepare_entry(r, &c->rules, list);
		list_for_each_entry_continue(r, &c->rules, list) {
			if (!nfgate_rule_visible(r, ver))
				continue;
			err = nfgate_fill_rule(skb, cb, c, pos + 1, r);
			if (err)
				goto out;
			ctx->pos = ++pos;
			ctx->handle = r->handle;
		}
next:
		c = nfgate_dump_next(cb, t, c, ver);
	}
out:
	mutex_unlock(&nn->mutex);
	if (err && !skb->len)
		return err;
	return skb->len;
}
