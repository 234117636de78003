// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred reclaim of what commits retired: deleted rules, deleted user
 * chains and superseded built-in policies.
 *
 * A commit tags each retired object with an RCU cookie taken after the
 * version store (rules: one mark per commit's run, struct nfgate_gc_mark).
 * Once that grace period has passed no reader can still be in a version
 * that sees the object, so the work item unlinks it (under the netns
 * mutex) and frees it after a second grace period: readers in newer
 * versions may be stepping over the unlinked node.  Chains and policies
 * go with call_rcu; rules go back on gc_rules, unlinked, with a new mark,
 * and the next pass frees them.  So does a rule that a transaction
 * unlinked itself (added and deleted in it, aborted, or refused): every
 * rule object is freed here, and nn->rules_alloc counts them exactly.
 */
#include <linux/slab.h>

#include "chain.h"
#include "classify.h"
#include "gc.h"
#include "index.h"
#include "netns.h"
#include "rule.h"

#define NFGATE_GC_DELAY		max(1, HZ / 50)
#define NFGATE_GC_BATCH		1024

void nfgate_gc_add(struct list_head *list, struct nfgate_gc_item *it,
		   unsigned long cookie)
{
	it->cookie = cookie;
	list_add_tail(&it->node, list);
}

/* The rules up to @last were retired by a commit that took @cookie. */
void nfgate_gc_mark_rules(struct nfgate_net *nn, struct nfgate_rule *last,
			  unsigned long cookie)
{
	unsigned int i = nn->gc_mark_first + nn->gc_mark_n;

	if (nn->gc_mark_n < NFGATE_GC_MARKS)
		nn->gc_mark_n++;
	else
		i--;	/* full: the newest mark covers this run too */
	nn->gc_marks[i % NFGATE_GC_MARKS] = (struct nfgate_gc_mark) {
		.cookie	= cookie,
		.last	= last,
	};
}

/*
 * Rules already unlinked from chain, classifier and indexes: free them
 * once a grace period that starts now has passed.
 */
void nfgate_gc_unlinked_rules(struct nfgate_net *nn, struct list_head *rules)
{
	struct nfgate_rule *last;

	if (list_empty(rules))
		return;
	last = list_last_entry(rules, struct nfgate_rule, gc_node);
	list_splice_tail_init(rules, &nn->gc_rules);
	nfgate_gc_mark_rules(nn, last, start_poll_synchronize_rcu());
	nfgate_gc_kick(nn);
}

void nfgate_gc_unlinked_rule(struct nfgate_net *nn, struct nfgate_rule *r)
{
	LIST_HEAD(one);

	list_add_tail(&r->gc_node, &one);
	nfgate_gc_unlinked_rules(nn, &one);
}

/*
 * Namespace exit, no reader left: free the unlinked rules; the rules
 * still linked in a chain are freed with it (nfgate_table_free()).
 */
void nfgate_gc_exit(struct nfgate_net *nn)
{
	struct nfgate_rule *r, *tmp;

	list_for_each_entry_safe(r, tmp, &nn->gc_rules, gc_node) {
		if (RB_EMPTY_NODE(&r->ost_node)) {
			list_del(&r->gc_node);
			nfgate_rule_free(r);
		}
	}
}

/* Empty gc lists (namespace init, or exit after freeing everything). */
void nfgate_gc_reset(struct nfgate_net *nn)
{
	INIT_LIST_HEAD(&nn->gc_rules);
	INIT_LIST_HEAD(&nn->gc_chains);
	INIT_LIST_HEAD(&nn->gc_policies);
	nn->gc_mark_first = 0;
	nn->gc_mark_n = 0;
}

/* Netns mutex held. */
void nfgate_gc_kick(struct nfgate_net *nn)
{
	if (!list_empty(&nn->gc_rules) || !list_empty(&nn->gc_chains) ||
	    !list_empty(&nn->gc_policies))
		queue_delayed_work(system_power_efficient_wq, &nn->gc_work,
				   NFGATE_GC_DELAY);
}

static void nfgate_gc_policy(struct nfgate_net *nn, struct nfgate_policy *p)
{
	struct nfgate_policy *old, *prev;

	/* Every reader now is at p's version or later and stops at p. */
	old = rcu_dereference_protected(p->prev, lockdep_is_held(&nn->mutex));
	RCU_INIT_POINTER(p->prev, NULL);
	while (old) {
		prev = rcu_dereference_protected(old->prev,
						 lockdep_is_held(&nn->mutex));
		kfree_rcu(old, rcu);
		old = prev;
	}
}

/*
 * The expired rules of @rules: free those unlinked a grace period ago,
 * unlink the others (retired by a commit) and queue them again.
 */
static void nfgate_gc_rules(struct nfgate_net *nn, struct list_head *rules)
{
	struct nfgate_rule *r, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(r, tmp, rules, gc_node) {
		if (RB_EMPTY_NODE(&r->ost_node)) {
			list_del(&r->gc_node);
			nfgate_rule_free(r);
			nn->rules_alloc--;
		} else {
			nfgate_cls_unlink(r);
			list_del_rcu(&r->list);
			nfgate_index_del(nn, r);
		}
		if (!(++n % NFGATE_GC_BATCH))
			cond_resched();
	}
	nfgate_gc_unlinked_rules(nn, rules);
}

/*
 * Move the items of @from whose grace period has passed to @to.  Cookies
 * were taken in list order, so the first one that has not expired ends
 * the scan.
 */
static void nfgate_gc_expired(struct list_head *from, struct list_head *to)
{
	struct nfgate_gc_item *it, *tmp;

	list_for_each_entry_safe(it, tmp, from, node) {
		if (!poll_state_synchronize_rcu(it->cookie))
			break;
		list_move_tail(&it->node, to);
	}
}

/* Move the runs of gc_rules whose mark has expired to @to, in order. */
static void nfgate_gc_expired_rules(struct nfgate_net *nn,
				    struct list_head *to)
{
	struct nfgate_gc_mark *m;
	LIST_HEAD(run);

	while (nn->gc_mark_n) {
		m = &nn->gc_marks[nn->gc_mark_first];
		if (!poll_state_synchronize_rcu(m->cookie))
			break;
		list_cut_position(&run, &nn->gc_rules, &m->last->gc_node);
		list_splice_tail_init(&run, to);
		nn->gc_mark_first = (nn->gc_mark_first + 1) % NFGATE_GC_MARKS;
		nn->gc_mark_n--;
	}
}

/* One pass over the gc lists: what has expired goes.  Netns mutex held. */
static void nfgate_gc_pass(struct nfgate_net *nn)
{
	struct nfgate_gc_item *it, *tmp;
	LIST_HEAD(rules);
	LIST_HEAD(chains);
	LIST_HEAD(policies);
	LIST_HEAD(later);

	/* A chain must go after its rules, which were retired by its own
	 * commit or an earlier one.  Their cookies are no later than the
	 * chain's unless a full mark ring merged their run into a newer
	 * mark, so a chain still holding rules after the rules are taken
	 * waits for the next run.  (Unlinked rule objects may outlive their
	 * chain: freeing them does not look at it.)
	 */
	nfgate_gc_expired(&nn->gc_chains, &chains);
	nfgate_gc_expired_rules(nn, &rules);
	nfgate_gc_expired(&nn->gc_policies, &policies);

	nfgate_gc_rules(nn, &rules);
	list_for_each_entry_safe(it, tmp, &policies, node) {
		list_del_init(&it->node);
		nfgate_gc_policy(nn, container_of(it, struct nfgate_policy, gc));
	}
	/* Empty and unreferenced since their deletion was staged. */
	list_for_each_entry_safe(it, tmp, &chains, node) {
		struct nfgate_chain *c = container_of(it, struct nfgate_chain, gc);

		if (!list_empty(&c->rules)) {
			list_move_tail(&it->node, &later);
			continue;
		}
		list_del_init(&it->node);
		nfgate_chain_erase(c);
		nfgate_chain_free_rcu(c);
	}
	list_splice(&later, &nn->gc_chains);	/* oldest first, as before */
}

void nfgate_gc_work(struct work_struct *work)
{
	struct nfgate_net *nn = container_of(to_delayed_work(work),
					     struct nfgate_net, gc_work);

	mutex_lock(&nn->mutex);
	nfgate_gc_pass(nn);
	nfgate_gc_kick(nn);
	mutex_unlock(&nn->mutex);
}

/*
 * Free now whatever gc holds, waiting for the grace periods instead of
 * leaving it to the work item: a write that would pass the allocation
 * bound of rules or chains (write.c) calls this before refusing.  Two
 * passes: the first unlinks retired rules, the second frees them.
 * Netns mutex held; sleeps.
 */
void nfgate_gc_sync(struct nfgate_net *nn)
{
	int pass;

	for (pass = 0; pass < 2; pass++) {
		synchronize_rcu();
		nfgate_gc_pass(nn);
	}
}
