// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions: staging of rule, chain and policy changes in the next
 * version, commit (one release store of the version), abort, failure
 * bookkeeping, and aborting the owner's transaction when its socket goes
 * away (NETLINK_URELEASE).
 *
 * Everything here runs under the netns mutex.  Staging a rule fails only
 * in nfgate_jump_get(), before it links anything; the rest of staging
 * never fails once its caller has allocated what it needs, so every
 * command is all or nothing.  Abort never fails: the one allocation under
 * it is an optional classifier table shrink (cls_hash.c).
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "chain.h"
#include "classify.h"
#include "counters.h"
#include "events.h"
#include "gc.h"
#include "handle.h"
#include "hooks.h"
#include "index.h"
#include "jump.h"
#include "netns.h"
#include "ostree.h"
#include "rule.h"
#include "txn.h"

void nfgate_txn_init(struct nfgate_txn *t)
{
	t->open = false;
	t->first_handle = 1;
	INIT_LIST_HEAD(&t->del_rules);
	INIT_LIST_HEAD(&t->new_chains);
	INIT_LIST_HEAD(&t->del_chains);
	INIT_LIST_HEAD(&t->policy_chains);
	INIT_LIST_HEAD(&t->sweep_edges);
}

/*
 * Open a transaction for the socket @owner.  An explicit one holds a
 * reference on it until it ends, so that the pointer names that socket
 * and no other (nfgate_txn_owner()); a transaction of one write begins
 * and ends in the same request.
 */
void nfgate_txn_begin(struct nfgate_net *nn, struct sock *owner,
		      bool implicit)
{
	struct nfgate_txn *t = &nn->txn;

	t->implicit = implicit;
	t->failed = false;
	t->changed = false;
	t->hooked = nn->hooked;
	t->owner = implicit ? NULL : owner;
	if (t->owner)
		sock_hold(t->owner);
	t->first_handle = nfgate_handle_peek(nn);
	t->nops = 0;
	t->failed_op = 0;
	t->err = 0;
	t->errmsg[0] = '\0';
	WRITE_ONCE(t->open, true);
}

static void nfgate_txn_end(struct nfgate_net *nn)
{
	struct nfgate_txn *t = &nn->txn;

	nfgate_jump_sweep(nn);
	WRITE_ONCE(t->open, false);
	if (t->owner) {
		sock_put(t->owner);
		t->owner = NULL;
	}
}

/* Was @skb sent by the socket that owns the open explicit transaction? */
bool nfgate_txn_owner(const struct nfgate_net *nn, const struct sk_buff *skb)
{
	return nn->txn.open && nn->txn.owner &&
	       nn->txn.owner == NETLINK_CB(skb).sk;
}

/* Link r into c after prev, invisible until commit. */
int nfgate_stage_rule_new(struct nfgate_net *nn, struct nfgate_rule *r,
			  struct nfgate_chain *c, struct list_head *prev)
{
	struct nfgate_txn *t = &nn->txn;
	int err;

	if (nfgate_rule_jump(r)) {
		err = nfgate_jump_get(c, nfgate_rule_jump(r));
		if (err)
			return err;
	}
	nfgate_jump_account(c, nfgate_rule_ext(r), 1);
	r->chain = c;
	r->add_ver = nfgate_next_ver(nn);
	r->del_ver = NFGATE_VER_INF;
	list_add_rcu(&r->list, prev);
	nfgate_ost_insert(c, r, prev == &c->rules ? NULL :
			  list_entry(prev, struct nfgate_rule, list));
	nfgate_cls_stage(c, r);
	c->nrules++;
	nn->nrules++;
	t->changed = true;
	return 0;
}

/*
 * Take a staged rule out of its chain, the classifier and the indexes.
 * No version shows it, but packets may be stepping over it: gc frees it
 * after a grace period.
 */
static void nfgate_txn_unlink_rule(struct nfgate_net *nn,
				   struct nfgate_rule *r, struct list_head *gc)
{
	nfgate_cls_unlink(r);
	list_del_rcu(&r->list);
	nfgate_index_del(nn, r);
	list_add_tail(&r->gc_node, gc);
}

void nfgate_stage_rule_del(struct nfgate_net *nn, struct nfgate_rule *r)
{
	struct nfgate_txn *t = &nn->txn;
	LIST_HEAD(gc);

	r->chain->nrules--;
	nn->nrules--;
	nfgate_jump_account(r->chain, nfgate_rule_ext(r), -1);
	if (nfgate_rule_jump(r))
		nfgate_jump_put(nn, r->chain, nfgate_rule_jump(r));
	t->changed = true;
	if (r->add_ver == nfgate_next_ver(nn)) {
		/* Added by this transaction: no version will ever show it.
		 * It goes now rather than at commit, so that adding and
		 * deleting in a loop piles up neither memory nor invisible
		 * rules in the classifier bucket of their key.  Its handle
		 * leaves the map, hence nfgate_txn_for_each_new_rule().
		 */
		nfgate_txn_unlink_rule(nn, r, &gc);
		nfgate_gc_unlinked_rules(nn, &gc);
		return;
	}
	WRITE_ONCE(r->del_ver, nfgate_next_ver(nn));
	nfgate_ost_stage(r, false);
	list_add_tail(&r->gc_node, &t->del_rules);
}

void nfgate_stage_chain_new(struct nfgate_net *nn, struct nfgate_chain *c)
{
	struct nfgate_txn *t = &nn->txn;

	c->add_ver = nfgate_next_ver(nn);
	c->del_ver = NFGATE_VER_INF;
	nfgate_chain_insert(c);
	list_add_tail(&c->txn_node, &t->new_chains);
	c->table->nchains++;
	t->changed = true;
}

/* c is empty and no rule jumps to it (nfgate_cmd_delchain() checked). */
void nfgate_stage_chain_del(struct nfgate_net *nn, struct nfgate_chain *c)
{
	struct nfgate_txn *t = &nn->txn;

	c->table->nchains--;
	t->changed = true;
	if (c->add_ver == nfgate_next_ver(nn)) {
		/* Created by this transaction, so were all its rules, and
		 * those were freed when deleted: it goes now, as abort would
		 * take it, rather than at commit.  Edges at zero from rules
		 * deleted meanwhile still name it.
		 */
		list_del_init(&c->txn_node);
		nfgate_jump_forget(c);
		nfgate_chain_erase(c);
		nfgate_chain_free_rcu(c);
		return;
	}
	c->del_ver = nfgate_next_ver(nn);
	list_add_tail(&c->gc.node, &t->del_chains);
}

static void nfgate_txn_touch_policy(struct nfgate_txn *t,
				    struct nfgate_chain *c)
{
	if (list_empty(&c->txn_pol_node))
		list_add_tail(&c->txn_pol_node, &t->policy_chains);
}

/* Publish p (verdict set by the caller) in front of c's policy list. */
void nfgate_stage_policy(struct nfgate_net *nn, struct nfgate_chain *c,
			 struct nfgate_policy *p)
{
	struct nfgate_txn *t = &nn->txn;
	struct nfgate_policy *head;

	head = rcu_dereference_protected(c->policy,
					 lockdep_is_held(&nn->mutex));
	p->since = nfgate_next_ver(nn);
	INIT_LIST_HEAD(&p->gc.node);
	RCU_INIT_POINTER(p->prev, head);
	rcu_assign_pointer(c->policy, p);
	c->pol_staged = true;
	nfgate_txn_touch_policy(t, c);
	t->changed = true;
}

/*
 * Another SETPOLICY of c in the same transaction: c->policy is the node
 * it staged (since = next), whose verdict no packet reads before the
 * commit publishes that version, so it changes in place instead of
 * stacking a node per SETPOLICY.
 */
void nfgate_stage_policy_verdict(struct nfgate_net *nn,
				 struct nfgate_chain *c, u8 verdict)
{
	struct nfgate_policy *p;

	p = rcu_dereference_protected(c->policy, lockdep_is_held(&nn->mutex));
	WRITE_ONCE(p->verdict, verdict);
}

/* Policy counters are not versioned: they are set when the txn commits. */
void nfgate_stage_policy_counters(struct nfgate_net *nn,
				  struct nfgate_chain *c, u64 packets,
				  u64 bytes)
{
	c->pol_cnt_set = true;
	c->pol_packets = packets;
	c->pol_bytes = bytes;
	nfgate_txn_touch_policy(&nn->txn, c);
}

void nfgate_txn_commit(struct nfgate_net *nn)
{
	struct nfgate_txn *t = &nn->txn;
	struct nfgate_chain *c, *ctmp;
	struct nfgate_handle_iter it;
	struct nfgate_rule *r;
	unsigned long cookie;

	/* Committed-view bookkeeping for dumps. */
	nfgate_txn_for_each_new_rule(nn, it, r) {
		nfgate_ost_commit(r);
		r->chain->c_nrules++;
		if (nfgate_rule_jump(r))
			nfgate_rule_jump(r)->c_refs++;
	}
	list_for_each_entry(r, &t->del_rules, gc_node) {
		nfgate_ost_commit(r);
		r->chain->c_nrules--;
		if (nfgate_rule_jump(r))
			nfgate_rule_jump(r)->c_refs--;
	}

	if (t->changed) {
		/* The commit point: packets that load the new version see
		 * every staged change, and none before.  Pairs with
		 * smp_load_acquire() in nfgate_hook_fn().
		 */
		smp_store_release(&nn->version, nfgate_next_ver(nn));
		nfgate_events_commit(nn);
	}
	list_for_each_entry_safe(c, ctmp, &t->new_chains, txn_node)
		list_del_init(&c->txn_node);

	if (list_empty(&t->del_rules) && list_empty(&t->del_chains) &&
	    list_empty(&t->policy_chains)) {
		nfgate_txn_end(nn);
		return;
	}
	/* Readers of older versions may still use what this commit retired:
	 * gc waits for a grace period that starts now.
	 */
	cookie = start_poll_synchronize_rcu();
	if (!list_empty(&t->del_rules)) {
		r = list_last_entry(&t->del_rules, struct nfgate_rule, gc_node);
		list_splice_tail_init(&t->del_rules, &nn->gc_rules);
		nfgate_gc_mark_rules(nn, r, cookie);
	}
	list_for_each_entry_safe(c, ctmp, &t->del_chains, gc.node) {
		list_del(&c->gc.node);
		nfgate_gc_add(&nn->gc_chains, &c->gc, cookie);
	}
	list_for_each_entry_safe(c, ctmp, &t->policy_chains, txn_pol_node) {
		list_del_init(&c->txn_pol_node);
		if (c->pol_cnt_set)
			nfgate_counters_set(&c->policy_cnt, c->pol_packets,
					    c->pol_bytes);
		c->pol_cnt_set = false;
		if (c->pol_staged) {
			struct nfgate_policy *head;

			head = rcu_dereference_protected(c->policy,
							 lockdep_is_held(&nn->mutex));
			nfgate_gc_add(&nn->gc_policies, &head->gc, cookie);
			c->pol_staged = false;
		}
	}
	nfgate_txn_end(nn);
	nfgate_gc_kick(nn);
}

void nfgate_txn_abort(struct nfgate_net *nn)
{
	u64 next = nfgate_next_ver(nn);
	struct nfgate_txn *t = &nn->txn;
	struct nfgate_chain *c, *ctmp;
	struct nfgate_rule *r, *rtmp;
	struct nfgate_handle_iter it;
	LIST_HEAD(gc);

	/* Undo the deletions of committed rules (a rule added and deleted
	 * in this transaction is gone already).
	 */
	list_for_each_entry_safe(r, rtmp, &t->del_rules, gc_node) {
		list_del_init(&r->gc_node);
		WRITE_ONCE(r->del_ver, NFGATE_VER_INF);
		nfgate_ost_stage(r, true);
		r->chain->nrules++;
		nn->nrules++;
		nfgate_jump_account(r->chain, nfgate_rule_ext(r), 1);
		if (nfgate_rule_jump(r))
			nfgate_jump_restore(r->chain, nfgate_rule_jump(r));
	}
	list_for_each_entry_safe(c, ctmp, &t->del_chains, gc.node) {
		list_del_init(&c->gc.node);
		c->del_ver = NFGATE_VER_INF;
		c->table->nchains++;
	}
	nfgate_txn_for_each_new_rule(nn, it, r) {
		r->chain->nrules--;
		nn->nrules--;
		nfgate_jump_account(r->chain, nfgate_rule_ext(r), -1);
		if (nfgate_rule_jump(r))
			nfgate_jump_put(nn, r->chain, nfgate_rule_jump(r));
		nfgate_txn_unlink_rule(nn, r, &gc);
	}
	nfgate_gc_unlinked_rules(nn, &gc);
	/* Edges to or from new chains are all at zero now. */
	nfgate_jump_sweep(nn);
	list_for_each_entry_safe(c, ctmp, &t->new_chains, txn_node) {
		list_del_init(&c->txn_node);
		nfgate_chain_erase(c);
		c->table->nchains--;
		nfgate_chain_free_rcu(c);
	}
	list_for_each_entry_safe(c, ctmp, &t->policy_chains, txn_pol_node) {
		list_del_init(&c->txn_pol_node);
		c->pol_cnt_set = false;
		while (c->pol_staged) {
			struct nfgate_policy *p, *prev;

			p = rcu_dereference_protected(c->policy,
						      lockdep_is_held(&nn->mutex));
			if (p->since != next)
				break;
			prev = rcu_dereference_protected(p->prev,
							 lockdep_is_held(&nn->mutex));
			rcu_assign_pointer(c->policy, prev);
			kfree_rcu(p, rcu);
		}
		c->pol_staged = false;
	}
	/* Tables first written in this transaction go back to no hooks. */
	nfgate_hooks_drop(nn, nn->hooked & ~t->hooked);
	nfgate_txn_end(nn);
}

/* An explicit transaction's write failed: remember the first failure. */
void nfgate_txn_fail(struct nfgate_net *nn, int err,
		     const struct netlink_ext_ack *extack)
{
	struct nfgate_txn *t = &nn->txn;

	if (t->failed)
		return;
	t->failed = true;
	t->err = err;
	t->failed_op = t->nops;
	if (extack && extack->_msg)
		strscpy(t->errmsg, extack->_msg, sizeof(t->errmsg));
	else
		snprintf(t->errmsg, sizeof(t->errmsg), "%pe", ERR_PTR(err));
}

/*
 * "operation N: <reason>" for the extack of a refused commit.  The ack is
 * sent after the doit returns and genl_unlock(), so the text lives in a
 * ring of buffers in the namespace rather than on the stack.
 */
const char *nfgate_txn_errmsg(struct nfgate_net *nn)
{
	char *buf = nn->errbuf[nn->errbuf_next++ % NFGATE_ERRBUF_RING];

	snprintf(buf, NFGATE_ERRBUF_LEN, "operation %u: %s",
		 nn->txn.failed_op, nn->txn.errmsg);
	return buf;
}

/*
 * A formatted extack message (this kernel has no NL_SET_ERR_MSG_FMT): the
 * text lives in the same ring as nfgate_txn_errmsg()'s.  Mutex held.
 */
void nfgate_extack_fmt(struct nfgate_net *nn, struct netlink_ext_ack *extack,
		       const char *fmt, ...)
{
	char *buf = nn->errbuf[nn->errbuf_next++ % NFGATE_ERRBUF_RING];
	va_list args;

	if (!extack)
		return;
	va_start(args, fmt);
	vsnprintf(buf, NFGATE_ERRBUF_LEN, fmt, args);
	va_end(args);
	extack->_msg = buf;
}

/*
 * The owner's socket is closing.  In this kernel the netlink notifier
 * chain is a blocking one, called from netlink_release() in process
 * context, so the transaction is aborted right here: once close()
 * returns, the next client finds no stale transaction.  netlink_release()
 * orphans the socket (SOCK_DEAD) before it notifies, and its port id is
 * free from then on: the owner is recognised by its socket, not by the
 * port id, which another socket may already have bound.
 */
/*
 * Only for tests: how long the release notifier waits before it takes the
 * mutex.  The closed owner's port id is free and its transaction still
 * open meanwhile, so nl_txn can show, deterministically, that a socket
 * binding that port id in the window is not the owner.
 */
static unsigned int nfgate_release_delay_ms;
module_param_named(txn_release_delay_ms, nfgate_release_delay_ms, uint, 0644);
MODULE_PARM_DESC(txn_release_delay_ms,
		 "Delay before a closed owner's transaction is aborted (testing)");

static int nfgate_netlink_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	unsigned int delay = READ_ONCE(nfgate_release_delay_ms);
	struct netlink_notify *n = ptr;
	struct nfgate_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	nn = nfgate_pernet(n->net);
	if (!nn || !READ_ONCE(nn->txn.open))
		return NOTIFY_DONE;
	if (delay)
		msleep(min(delay, 10000U));
	mutex_lock(&nn->mutex);
	if (nn->txn.open && nn->txn.owner &&
	    sock_flag(nn->txn.owner, SOCK_DEAD))
		nfgate_txn_abort(nn);
	mutex_unlock(&nn->mutex);
	return NOTIFY_DONE;
}

static struct notifier_block nfgate_netlink_nb = {
	.notifier_call = nfgate_netlink_event,
};

int nfgate_txn_notifier_register(void)
{
	return netlink_register_notifier(&nfgate_netlink_nb);
}

void nfgate_txn_notifier_unregister(void)
{
	netlink_unregister_notifier(&nfgate_netlink_nb);
}
