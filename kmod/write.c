// SPDX-License-Identifier: GPL-2.0
/*
 * Write commands.  Each validates everything first, then allocates, then
 * stages; staging fails only before it links anything (a new jump edge,
 * txn.c), so a refused command changes nothing.  All
 * lookups use the next view: later operations of a transaction see the
 * earlier ones.  Called by netlink.c with the netns mutex held and a
 * transaction (explicit, or one of a single write) open.
 */
#include <linux/slab.h>

#include "chain.h"
#include "classify.h"
#include "counters.h"
#include "gc.h"
#include "index.h"
#include "jump.h"
#include "main.h"
#include "netlink.h"
#include "netns.h"
#include "rule.h"
#include "txn.h"
#include "write.h"

static const char * const nfgate_missing_msg[NFGATE_A_MAX + 1] = {
	[NFGATE_A_TABLE]	= "missing attribute TABLE",
	[NFGATE_A_CHAIN]	= "missing attribute CHAIN",
	[NFGATE_A_POLICY]	= "missing attribute POLICY",
	[NFGATE_A_RULE]		= "missing attribute RULE",
};

/* A required attribute: missing type and a message in the extack. */
static bool nfgate_missing(struct genl_info *info, int type)
{
	if (!GENL_REQ_ATTR_CHECK(info, type))
		return false;
	if (info->extack)
		info->extack->_msg = nfgate_missing_msg[type];
	return true;
}

static int nfgate_req_table(struct nfgate_net *nn, struct genl_info *info,
			    struct nfgate_tbl **t)
{
	if (nfgate_missing(info, NFGATE_A_TABLE))
		return -EINVAL;
	/* The policy bounds it by NFGATE_TABLE_MAX. */
	*t = &nn->tables[nla_get_u32(info->attrs[NFGATE_A_TABLE])];
	return 0;
}

static int nfgate_req_chain(struct nfgate_tbl *t, struct genl_info *info,
			    u64 ver, struct nfgate_chain **c)
{
	struct nlattr *a = info->attrs[NFGATE_A_CHAIN];

	if (nfgate_missing(info, NFGATE_A_CHAIN))
		return -EINVAL;
	*c = nfgate_chain_find(t, nla_data(a), ver);
	if (!*c) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "no such chain");
		return -ENOENT;
	}
	return 0;
}

/* Find the one rule named by HANDLE or POSITION. */
static int nfgate_req_rule(struct nfgate_chain *c, struct genl_info *info,
			   u64 ver, struct nfgate_rule **r)
{
	struct nlattr *h = info->attrs[NFGATE_A_HANDLE];
	struct nlattr *p = info->attrs[NFGATE_A_POSITION];

	if (h) {
		*r = nfgate_chain_rule_by_handle(c, nla_get_u64(h), ver);
		if (!*r) {
			NL_SET_ERR_MSG_ATTR(info->extack, h,
					    "no rule with this handle in the chain");
			return -ENOENT;
		}
		return 0;
	}
	*r = nfgate_chain_rule_at(c, nla_get_u32(p), ver);
	if (!*r) {
		NL_SET_ERR_MSG_ATTR(info->extack, p, "position out of range");
		return -ERANGE;
	}
	return 0;
}

static int nfgate_enomem(struct genl_info *info)
{
	GENL_SET_ERR_MSG(info, "out of memory");
	return -ENOMEM;
}

/*
 * The NFGATE_CMD_NEWRULE reply to NEWRULE and REPLACERULE: the handle, only
 * for a request with NLM_F_ECHO (as nf_tables echoes new objects).  A bulk
 * load does not read handles; a reply per rule cost an skb allocation and
 * a copy to the client for each of them.
 */
static bool nfgate_handle_wanted(const struct genl_info *info)
{
	return info->nlhdr->nlmsg_flags & NLM_F_ECHO;
}

static struct sk_buff *nfgate_handle_reply_alloc(void)
{
	return genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
}

static void nfgate_handle_reply_fill(struct sk_buff *msg,
				     struct genl_info *info, u64 handle)
{
	void *hdr;

	if (!msg)
		return;
	hdr = genlmsg_put_reply(msg, info, &nfgate_genl_family, 0,
				NFGATE_CMD_NEWRULE);
	/* Sized for exactly this; cannot fail. */
	if (hdr && !nla_put_u64_64bit(msg, NFGATE_A_HANDLE, handle,
				      NFGATE_A_PAD))
		genlmsg_end(msg, hdr);
}

/*
 * Bounds on what a write may allocate.  max_rules and max_user_chains
 * bound the live objects (next view), but a deleted object keeps its
 * memory until gc frees it: a committed rule or chain that the open
 * transaction deletes, and what earlier commits retired and gc has not
 * freed yet (an object added and deleted in one transaction is handed to
 * gc at once).  So the allocated objects are bounded as well, by twice
 * the limit: room for a transaction that replaces every object.  At that
 * bound gc runs now, waiting for its grace periods, before a refusal.
 * Documentation/design.rst, "Transactions".
 */
static bool nfgate_alloc_room(struct nfgate_net *nn, const u32 *alloc,
			      unsigned int max)
{
	if (*alloc < 2ULL * max)
		return true;
	nfgate_gc_sync(nn);
	return *alloc < 2ULL * max;
}

static int nfgate_rule_room(struct nfgate_net *nn, struct genl_info *info,
			    bool grows)
{
	unsigned int max = READ_ONCE(nfgate_max_rules);

	if (grows && nn->nrules >= max) {
		GENL_SET_ERR_MSG(info, "rule limit of the namespace reached");
		return -ENOSPC;
	}
	if (!nfgate_alloc_room(nn, &nn->rules_alloc, max)) {
		GENL_SET_ERR_MSG(info,
				 "rule memory limit of the namespace reached: too many deleted rules not yet freed");
		return -ENOSPC;
	}
	return 0;
}

int nfgate_cmd_newchain(struct nfgate_net *nn, struct genl_info *info,
			struct sk_buff **reply)
{
	u64 next = nfgate_next_ver(nn);
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	struct nlattr *a;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (err)
		return err;
	if (nfgate_missing(info, NFGATE_A_CHAIN))
		return -EINVAL;
	a = info->attrs[NFGATE_A_CHAIN];
	err = nfgate_chain_name_check(nla_data(a), a, info->extack);
	if (err)
		return err;
	if (nfgate_chain_find(t, nla_data(a), next)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "chain exists");
		return -EEXIST;
	}
	if (t->nchains >= READ_ONCE(nfgate_max_chains)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "user chain limit of the table reached");
		return -ENOSPC;
	}
	if (!nfgate_alloc_room(nn, &t->chains_alloc,
			       READ_ONCE(nfgate_max_chains))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "user chain memory limit of the table reached: too many deleted chains not yet freed");
		return -ENOSPC;
	}
	c = nfgate_chain_alloc_user(t, nla_data(a));
	if (!c)
		return nfgate_enomem(info);
	nfgate_stage_chain_new(nn, c);
	return 0;
}

static int nfgate_delchain_check(struct nfgate_chain *c, struct nlattr *a,
				 struct netlink_ext_ack *extack)
{
	if (c->builtin) {
		NL_SET_ERR_MSG_ATTR(extack, a, "built-in chains cannot be deleted");
		return -EPERM;
	}
	if (c->nrules) {
		NL_SET_ERR_MSG_ATTR(extack, a, "chain is not empty");
		return -ENOTEMPTY;
	}
	if (c->refs) {
		NL_SET_ERR_MSG_ATTR(extack, a, "chain is the target of a jump");
		return -EMLINK;
	}
	return 0;
}

int nfgate_cmd_delchain(struct nfgate_net *nn, struct genl_info *info,
			struct sk_buff **reply)
{
	u64 next = nfgate_next_ver(nn);
	struct rb_node *node, *node_next;
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (err)
		return err;
	if (info->attrs[NFGATE_A_CHAIN]) {
		err = nfgate_req_chain(t, info, next, &c);
		if (!err)
			err = nfgate_delchain_check(c, info->attrs[NFGATE_A_CHAIN],
						    info->extack);
		if (err)
			return err;
		nfgate_stage_chain_del(nn, c);
		return 0;
	}

	/* Every user chain: all must be deletable before any is staged.
	 * They are empty, so a remaining reference is from a built-in chain.
	 */
	for (node = rb_first(&t->user_chains); node; node = rb_next(node)) {
		c = rb_entry(node, struct nfgate_chain, node);
		if (!nfgate_chain_visible(c, next))
			continue;
		err = nfgate_delchain_check(c, NULL, info->extack);
		if (err)
			return err;
	}
	/* A chain created in this transaction leaves the tree at once. */
	for (node = rb_first(&t->user_chains); node; node = node_next) {
		node_next = rb_next(node);
		c = rb_entry(node, struct nfgate_chain, node);
		if (nfgate_chain_visible(c, next))
			nfgate_stage_chain_del(nn, c);
	}
	return 0;
}

static void nfgate_flush_chain(struct nfgate_net *nn, struct nfgate_chain *c,
			       u64 next)
{
	struct nfgate_rule *r, *tmp;

	/* A rule added in this transaction leaves the list at once. */
	list_for_each_entry_safe(r, tmp, &c->rules, list)
		if (nfgate_rule_visible(r, next))
			nfgate_stage_rule_del(nn, r);
}

int nfgate_cmd_flush(struct nfgate_net *nn, struct genl_info *info,
		     struct sk_buff **reply)
{
	u64 next = nfgate_next_ver(nn);
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (err)
		return err;
	if (info->attrs[NFGATE_A_CHAIN]) {
		err = nfgate_req_chain(t, info, next, &c);
		if (err)
			return err;
		nfgate_flush_chain(nn, c, next);
		return 0;
	}
	for (c = nfgate_chain_nth(t, 0, next); c;
	     c = nfgate_chain_next(t, c, next))
		nfgate_flush_chain(nn, c, next);
	return 0;
}

int nfgate_cmd_setpolicy(struct nfgate_net *nn, struct genl_info *info,
			 struct sk_buff **reply)
{
	struct nlattr *cnt = info->attrs[NFGATE_A_COUNTERS];
	u64 next = nfgate_next_ver(nn);
	u64 packets = 0, bytes = 0;
	struct nfgate_policy *p;
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	u32 verdict;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (!err)
		err = nfgate_req_chain(t, info, next, &c);
	if (err)
		return err;
	if (!c->builtin) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFGATE_A_CHAIN],
				    "only built-in chains have a policy");
		return -EINVAL;
	}
	if (nfgate_missing(info, NFGATE_A_POLICY))
		return -EINVAL;
	verdict = nla_get_u32(info->attrs[NFGATE_A_POLICY]);
	if (cnt) {
		err = nfgate_counters_parse(cnt, &packets, &bytes, info->extack);
		if (err)
			return err;
	}
	if (nfgate_chain_policy(c, next)->verdict == verdict) {
		/* nothing to stage */
	} else if (c->pol_staged) {
		/* One staged node per chain and transaction. */
		nfgate_stage_policy_verdict(nn, c, verdict);
	} else {
		p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
		if (!p)
			return nfgate_enomem(info);
		p->verdict = verdict;
		nfgate_stage_policy(nn, c, p);
	}
	if (cnt)
		nfgate_stage_policy_counters(nn, c, packets, bytes);
	return 0;
}

/*
 * Validate a new rule for c: matches, target, jump graph.  On success the
 * spec holds a reference (nfgate_rule_spec_release()).
 */
static int nfgate_new_rule_spec(struct nfgate_net *nn, struct genl_info *info,
				struct nfgate_chain *c,
				struct nfgate_rule_spec *spec)
{
	int err;

	if (nfgate_missing(info, NFGATE_A_RULE))
		return -EINVAL;
	err = nfgate_rule_parse(c, info->attrs[NFGATE_A_RULE],
				nfgate_next_ver(nn), false, spec, info->extack);
	if (err)
		return err;
	if (spec->target)
		err = nfgate_jump_check(nn, c, spec->target, info->extack);
	if (!err)
		err = nfgate_jump_check_hooks(nn, c, spec->ext, spec->target,
					      info->extack);
	if (err)
		nfgate_rule_spec_release(spec);
	return err;
}

/*
 * A new rule, entered into the handle map and its chain's classifier, and
 * counted in nn->rules_alloc until gc frees it.
 */
static struct nfgate_rule *
nfgate_write_rule_alloc(struct nfgate_net *nn, struct nfgate_chain *c,
			struct nfgate_rule_spec *spec)
{
	struct nfgate_rule *r = nfgate_rule_alloc(spec);

	if (!r)
		return NULL;
	if (nfgate_index_add(nn, c, r)) {
		nfgate_rule_free(r);
		return NULL;
	}
	if (nfgate_cls_prepare(c, r)) {
		nfgate_index_del(nn, r);
		nfgate_rule_free(r);
		return NULL;
	}
	nn->rules_alloc++;
	return r;
}

/*
 * Undo nfgate_write_rule_alloc() for a rule whose staging failed.  Packet
 * lookups may already have seen it in the classifier's hash (invisible,
 * but seen), so it goes after a grace period.
 */
static void nfgate_write_rule_free(struct nfgate_net *nn,
				   struct nfgate_rule *r)
{
	nfgate_cls_unlink(r);
	nfgate_index_del(nn, r);
	nfgate_gc_unlinked_rule(nn, r);
}

/*
 * The rule a NEWRULE or REPLACERULE adds and, for NLM_F_ECHO, the reply
 * that will carry its handle: both or neither (NULL: out of memory).
 */
static struct nfgate_rule *
nfgate_new_rule_and_reply(struct nfgate_net *nn, struct genl_info *info,
			  struct nfgate_chain *c,
			  struct nfgate_rule_spec *spec,
			  struct sk_buff **msg)
{
	struct nfgate_rule *r;

	*msg = NULL;
	if (nfgate_handle_wanted(info)) {
		*msg = nfgate_handle_reply_alloc();
		if (!*msg)
			return NULL;
	}
	r = nfgate_write_rule_alloc(nn, c, spec);
	if (!r) {
		nlmsg_free(*msg);
		*msg = NULL;
	}
	return r;
}

/* NEWRULE once the spec is parsed: position, limit, allocation, staging. */
static int nfgate_newrule_stage(struct nfgate_net *nn, struct genl_info *info,
				struct nfgate_chain *c,
				struct nfgate_rule_spec *spec,
				struct sk_buff **reply)
{
	struct nlattr *pos_attr = info->attrs[NFGATE_A_POSITION];
	u64 next = nfgate_next_ver(nn);
	struct list_head *prev;
	struct nfgate_rule *r;
	struct sk_buff *msg;
	u32 pos = 0;
	int err;

	if (pos_attr) {
		pos = nla_get_u32(pos_attr);
		if (pos < 1 || pos > c->nrules + 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, pos_attr,
					    "position out of range");
			return -ERANGE;
		}
	}
	err = nfgate_rule_room(nn, info, true);
	if (err)
		return err;

	r = nfgate_new_rule_and_reply(nn, info, c, spec, &msg);
	if (!r)
		return nfgate_enomem(info);
	if (pos && pos <= c->nrules)
		prev = nfgate_chain_rule_at(c, pos, next)->list.prev;
	else
		prev = c->rules.prev;
	err = nfgate_stage_rule_new(nn, r, c, prev);
	if (err) {
		nfgate_write_rule_free(nn, r);
		nlmsg_free(msg);
		return nfgate_enomem(info);
	}
	nfgate_handle_reply_fill(msg, info, r->handle);
	*reply = msg;	/* NULL: no reply wanted */
	return 0;
}

int nfgate_cmd_newrule(struct nfgate_net *nn, struct genl_info *info,
		       struct sk_buff **reply)
{
	u64 next = nfgate_next_ver(nn);
	struct nfgate_rule_spec spec;
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (!err)
		err = nfgate_req_chain(t, info, next, &c);
	if (!err)
		err = nfgate_new_rule_spec(nn, info, c, &spec);
	if (err)
		return err;
	err = nfgate_newrule_stage(nn, info, c, &spec, reply);
	nfgate_rule_spec_release(&spec);
	return err;
}

int nfgate_cmd_delrule(struct nfgate_net *nn, struct genl_info *info,
		       struct sk_buff **reply)
{
	struct nlattr *rule = info->attrs[NFGATE_A_RULE];
	u64 next = nfgate_next_ver(nn);
	struct nfgate_rule_spec spec;
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	struct nfgate_rule *r;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (!err)
		err = nfgate_req_chain(t, info, next, &c);
	if (err)
		return err;
	if (!!info->attrs[NFGATE_A_HANDLE] + !!info->attrs[NFGATE_A_POSITION] +
	    !!rule != 1) {
		GENL_SET_ERR_MSG(info,
				 "need exactly one of HANDLE, POSITION or RULE");
		return -EINVAL;
	}
	if (rule) {
		err = nfgate_rule_parse(c, rule, next, NFGATE_PARSE_EXISTING,
					&spec, info->extack);
		if (err)
			return err;
		r = nfgate_chain_rule_by_spec(c, &spec, next);
		/* r, if any, holds its own reference to the names. */
		nfgate_rule_spec_release(&spec);
		if (!r) {
			NL_SET_ERR_MSG_ATTR(info->extack, rule,
					    "no such rule in the chain");
			return -ENOENT;
		}
	} else {
		err = nfgate_req_rule(c, info, next, &r);
		if (err)
			return err;
	}
	nfgate_stage_rule_del(nn, r);
	return 0;
}

int nfgate_cmd_replacerule(struct nfgate_net *nn, struct genl_info *info,
			   struct sk_buff **reply)
{
	u64 next = nfgate_next_ver(nn);
	struct nfgate_rule_spec spec;
	struct nfgate_rule *old, *r;
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	struct sk_buff *msg;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (!err)
		err = nfgate_req_chain(t, info, next, &c);
	if (err)
		return err;
	if (!!info->attrs[NFGATE_A_HANDLE] + !!info->attrs[NFGATE_A_POSITION] != 1) {
		GENL_SET_ERR_MSG(info, "need exactly one of HANDLE or POSITION");
		return -EINVAL;
	}
	err = nfgate_req_rule(c, info, next, &old);
	if (!err)
		err = nfgate_rule_room(nn, info, false);
	if (!err)
		err = nfgate_new_rule_spec(nn, info, c, &spec);
	if (err)
		return err;

	r = nfgate_new_rule_and_reply(nn, info, c, &spec, &msg);
	nfgate_rule_spec_release(&spec);	/* r took its own reference */
	if (!r)
		return nfgate_enomem(info);
	/* The new rule takes the old one's place. */
	err = nfgate_stage_rule_new(nn, r, c, &old->list);
	if (err) {
		nfgate_write_rule_free(nn, r);
		nlmsg_free(msg);
		return nfgate_enomem(info);
	}
	nfgate_stage_rule_del(nn, old);
	nfgate_handle_reply_fill(msg, info, r->handle);
	*reply = msg;	/* NULL: no reply wanted */
	return 0;
}

/*
 * Zero c's rules and policy; with @reserve only make room for their
 * bases, which may fail, so that a zero is all or nothing.
 */
static int nfgate_zero_chain(struct nfgate_chain *c, u64 ver, bool reserve)
{
	struct nfgate_rule *r;

	list_for_each_entry(r, &c->rules, list) {
		if (!nfgate_rule_visible(r, ver))
			continue;
		if (!reserve)
			nfgate_counters_set(&r->cnt, 0, 0);
		else if (nfgate_counters_reserve(&r->cnt))
			return -ENOMEM;
	}
	if (c->builtin && !reserve)
		nfgate_counters_set(&c->policy_cnt, 0, 0);
	return 0;
}

/* Not transactional: applies at once, in the sender's view @ver. */
int nfgate_cmd_zero(struct nfgate_net *nn, struct genl_info *info, u64 ver)
{
	bool one = info->attrs[NFGATE_A_HANDLE] || info->attrs[NFGATE_A_POSITION];
	struct nfgate_tbl *t;
	struct nfgate_chain *c;
	struct nfgate_rule *r;
	int err;

	err = nfgate_req_table(nn, info, &t);
	if (err)
		return err;
	if (info->attrs[NFGATE_A_HANDLE] && info->attrs[NFGATE_A_POSITION]) {
		GENL_SET_ERR_MSG(info, "need at most one of HANDLE or POSITION");
		return -EINVAL;
	}
	if (!info->attrs[NFGATE_A_CHAIN]) {
		if (one) {
			GENL_SET_ERR_MSG(info, "HANDLE and POSITION need CHAIN");
			return -EINVAL;
		}
		for (c = nfgate_chain_nth(t, 0, ver); c;
		     c = nfgate_chain_next(t, c, ver))
			if (nfgate_zero_chain(c, ver, true))
				return nfgate_enomem(info);
		for (c = nfgate_chain_nth(t, 0, ver); c;
		     c = nfgate_chain_next(t, c, ver))
			nfgate_zero_chain(c, ver, false);
		return 0;
	}
	err = nfgate_req_chain(t, info, ver, &c);
	if (err)
		return err;
	if (!one) {
		if (nfgate_zero_chain(c, ver, true))
			return nfgate_enomem(info);
		nfgate_zero_chain(c, ver, false);
		return 0;
	}
	err = nfgate_req_rule(c, info, ver, &r);
	if (err)
		return err;
	if (nfgate_counters_reserve(&r->cnt))
		return nfgate_enomem(info);
	nfgate_counters_set(&r->cnt, 0, 0);
	return 0;
}
