// SPDX-License-Identifier: GPL-2.0
/*
 * Chains: the built-in chains of a table, user chains kept in a name-sorted
 * rbtree, lookups by name and by position in a given version, and the
 * versioned built-in policy.
 *
 * Rule lookups by position, handle and specification live in ostree.c,
 * handle.c and classify.c.
 */
#include <linux/ctype.h>
#include <linux/slab.h>

#include "chain.h"
#include "classify.h"
#include "counters.h"
#include "hooks.h"
#include "jump.h"
#include "netns.h"
#include "rule.h"

static const char * const nfgate_hook_names[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING]	= "PREROUTING",
	[NF_INET_LOCAL_IN]	= "INPUT",
	[NF_INET_FORWARD]	= "FORWARD",
	[NF_INET_LOCAL_OUT]	= "OUTPUT",
	[NF_INET_POST_ROUTING]	= "POSTROUTING",
};

static const char * const nfgate_verdict_names[] = {
	"ACCEPT", "DROP", "RETURN", "QUEUE",
};

const char *nfgate_hook_chain_name(unsigned int hook)
{
	return hook < NF_INET_NUMHOOKS ? nfgate_hook_names[hook] : NULL;
}

static struct nfgate_chain *nfgate_chain_new(struct nfgate_tbl *t,
					     const char *name)
{
	struct nfgate_chain *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (!c)
		return NULL;
	INIT_LIST_HEAD(&c->rules);
	nfgate_cls_chain_init(c);
	c->ost = RB_ROOT;
	INIT_LIST_HEAD(&c->out_edges);
	INIT_LIST_HEAD(&c->in_edges);
	INIT_LIST_HEAD(&c->txn_node);
	INIT_LIST_HEAD(&c->txn_pol_node);
	INIT_LIST_HEAD(&c->gc.node);
	RB_CLEAR_NODE(&c->node);
	c->table = t;
	strscpy(c->name, name, sizeof(c->name));
	c->del_ver = NFGATE_VER_INF;
	return c;
}

static struct nfgate_chain *nfgate_chain_new_builtin(struct nfgate_tbl *t,
						     unsigned int hook)
{
	struct nfgate_chain *c = nfgate_chain_new(t, nfgate_hook_names[hook]);
	struct nfgate_policy *p;

	if (!c)
		return NULL;
	c->builtin = true;
	c->hook = hook;
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		goto err;
	p->verdict = NFGATE_VERDICT_ACCEPT;
	p->since = 0;
	INIT_LIST_HEAD(&p->gc.node);
	RCU_INIT_POINTER(c->policy, p);
	if (nfgate_counters_alloc(&c->policy_cnt))
		goto err;
	/* Policy counters are set at commit, which cannot fail. */
	if (nfgate_counters_reserve(&c->policy_cnt)) {
		nfgate_counters_free(&c->policy_cnt);
		goto err;
	}
	return c;
err:
	kfree(p);
	kfree(c);
	return NULL;
}

/* Counted in t->chains_alloc until nfgate_chain_free_rcu(). */
struct nfgate_chain *nfgate_chain_alloc_user(struct nfgate_tbl *t,
					     const char *name)
{
	struct nfgate_chain *c = nfgate_chain_new(t, name);

	if (c)
		t->chains_alloc++;
	return c;
}

/* Free a chain and its rules now: no reader can reach it any more. */
static void nfgate_chain_destroy(struct nfgate_chain *c)
{
	struct nfgate_rule *r, *tmp;

	list_for_each_entry_safe(r, tmp, &c->rules, list) {
		list_del(&r->list);
		nfgate_rule_free(r);
	}
	nfgate_cls_chain_free(c);
	if (c->builtin) {
		struct nfgate_policy *p, *prev;

		p = rcu_dereference_protected(c->policy, true);
		while (p) {
			prev = rcu_dereference_protected(p->prev, true);
			kfree(p);
			p = prev;
		}
		nfgate_counters_free(&c->policy_cnt);
	}
	kfree(c);
}

int nfgate_table_init(struct nfgate_net *nn, struct nfgate_tbl *t, u8 id)
{
	unsigned int hook;

	t->nn = nn;
	t->id = id;
	t->hooks = nfgate_table_hooks(id);
	t->user_chains = RB_ROOT;
	for (hook = 0; hook < NF_INET_NUMHOOKS; hook++) {
		if (!(t->hooks & BIT(hook)))
			continue;
		t->builtin[hook] = nfgate_chain_new_builtin(t, hook);
		if (!t->builtin[hook]) {
			nfgate_table_free(t);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * Namespace exit: hooks are gone and a grace period has passed, so all of
 * it is freed at once, including rules and chains still waiting for gc.
 */
void nfgate_table_free(struct nfgate_tbl *t)
{
	struct nfgate_chain *c, *tmp;
	unsigned int hook;

	/* Edges point both ways; drop them while every chain exists. */
	for (hook = 0; hook < NF_INET_NUMHOOKS; hook++)
		if (t->builtin[hook])
			nfgate_jump_free_all(t->builtin[hook]);
	rbtree_postorder_for_each_entry_safe(c, tmp, &t->user_chains, node)
		nfgate_jump_free_all(c);

	for (hook = 0; hook < NF_INET_NUMHOOKS; hook++) {
		if (t->builtin[hook])
			nfgate_chain_destroy(t->builtin[hook]);
		t->builtin[hook] = NULL;
	}
	rbtree_postorder_for_each_entry_safe(c, tmp, &t->user_chains, node)
		nfgate_chain_destroy(c);
	t->user_chains = RB_ROOT;
}

/* Name order (strcmp), then creation version: a re-created twin sorts last. */
void nfgate_chain_insert(struct nfgate_chain *c)
{
	struct rb_root *root = &c->table->user_chains;
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		struct nfgate_chain *o = rb_entry(*link, struct nfgate_chain,
						  node);
		int d = strcmp(c->name, o->name);

		parent = *link;
		if (d < 0 || (d == 0 && c->add_ver < o->add_ver))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&c->node, parent, link);
	rb_insert_color(&c->node, root);
}

void nfgate_chain_erase(struct nfgate_chain *c)
{
	rb_erase(&c->node, &c->table->user_chains);
	RB_CLEAR_NODE(&c->node);
}

static void nfgate_chain_free_cb(struct rcu_head *head)
{
	kfree(container_of(head, struct nfgate_chain, rcu));
}

/* A user chain that is unlinked from the tree and reached by no rule. */
void nfgate_chain_free_rcu(struct nfgate_chain *c)
{
	c->table->chains_alloc--;
	nfgate_cls_chain_free(c);
	call_rcu(&c->rcu, nfgate_chain_free_cb);
}

static struct nfgate_chain *nfgate_user_find(struct nfgate_tbl *t,
					     const char *name, u64 ver)
{
	struct rb_node *n = t->user_chains.rb_node, *first = NULL;

	while (n) {
		struct nfgate_chain *c = rb_entry(n, struct nfgate_chain, node);
		int d = strcmp(name, c->name);

		if (d < 0) {
			n = n->rb_left;
		} else if (d > 0) {
			n = n->rb_right;
		} else {
			first = n;
			n = n->rb_left;
		}
	}
	for (n = first; n; n = rb_next(n)) {
		struct nfgate_chain *c = rb_entry(n, struct nfgate_chain, node);

		if (strcmp(name, c->name))
			break;
		if (nfgate_chain_visible(c, ver))
			return c;
	}
	return NULL;
}

struct nfgate_chain *nfgate_chain_find(struct nfgate_tbl *t,
				       const char *name, u64 ver)
{
	unsigned int hook;

	for (hook = 0; hook < NF_INET_NUMHOOKS; hook++)
		if (t->builtin[hook] && !strcmp(name, nfgate_hook_names[hook]))
			return t->builtin[hook];
	return nfgate_user_find(t, name, ver);
}

/*
 * The first visible user chain whose name is @name or sorts after it: where
 * a dump resumes, O(log n) instead of walking to its index.
 */
struct nfgate_chain *nfgate_user_chain_from(struct nfgate_tbl *t,
					    const char *name, u64 ver)
{
	struct rb_node *n = t->user_chains.rb_node, *first = NULL;

	while (n) {
		struct nfgate_chain *c = rb_entry(n, struct nfgate_chain, node);

		if (strcmp(name, c->name) <= 0) {
			first = n;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	for (n = first; n; n = rb_next(n)) {
		struct nfgate_chain *c = rb_entry(n, struct nfgate_chain, node);

		if (nfgate_chain_visible(c, ver))
			return c;
	}
	return NULL;
}

/* The n-th chain (from 0) in dump order: built-ins by hook, then by name. */
struct nfgate_chain *nfgate_chain_nth(struct nfgate_tbl *t,
				      unsigned long n, u64 ver)
{
	unsigned int hook;
	struct rb_node *node;

	for (hook = 0; hook < NF_INET_NUMHOOKS; hook++) {
		if (!t->builtin[hook])
			continue;
		if (!n--)
			return t->builtin[hook];
	}
	for (node = rb_first(&t->user_chains); node; node = rb_next(node)) {
		struct nfgate_chain *c = rb_entry(node, struct nfgate_chain,
						  node);

		if (!nfgate_chain_visible(c, ver))
			continue;
		if (!n--)
			return c;
	}
	return NULL;
}

int nfgate_chain_name_check(const char *name, const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	unsigned int i;
	const char *p;

	if (!name[0]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "chain name is empty");
		return -EINVAL;
	}
	if (name[0] == '-' || name[0] == '!') {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "chain name may not start with '-' or '!'");
		return -EINVAL;
	}
	for (p = name; *p; p++) {
		if (isspace(*p)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "chain name may not contain white space");
			return -EINVAL;
		}
	}
	for (i = 0; i < ARRAY_SIZE(nfgate_verdict_names); i++) {
		if (!strcmp(name, nfgate_verdict_names[i])) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "chain name may not be a verdict");
			return -EINVAL;
		}
	}
	return 0;
}

/* The policy node of a built-in chain as seen in ver; netns mutex held. */
struct nfgate_policy *nfgate_chain_policy(struct nfgate_chain *c, u64 ver)
{
	struct mutex *lock = &c->table->nn->mutex;
	struct nfgate_policy *p;

	p = rcu_dereference_protected(c->policy, lockdep_is_held(lock));
	while (p->since > ver) {
		struct nfgate_policy *prev;

		prev = rcu_dereference_protected(p->prev, lockdep_is_held(lock));
		if (!prev)
			break;
		p = prev;
	}
	return p;
}

/* The chain after c in dump order, or NULL. */
struct nfgate_chain *nfgate_chain_next(struct nfgate_tbl *t,
				       struct nfgate_chain *c, u64 ver)
{
	struct rb_node *node;
	unsigned int hook;

	if (c->builtin) {
		for (hook = c->hook + 1; hook < NF_INET_NUMHOOKS; hook++)
			if (t->builtin[hook])
				return t->builtin[hook];
		node = rb_first(&t->user_chains);
	} else {
		node = rb_next(&c->node);
	}
	for (; node; node = rb_next(node)) {
		c = rb_entry(node, struct nfgate_chain, node);
		if (nfgate_chain_visible(c, ver))
			return c;
	}
	return NULL;
}
