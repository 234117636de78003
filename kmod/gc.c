// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred reclaim of what commits retired: deleted rules, deleted user
 * chains and superseded built-in policies.
 *
 * A commit tags each retired object with an RCU cookie taken after the
 * version store (rules: one mark per commit's run, struct nfgate_gc_mark).
 * Once that grace period has passed no reader can still be in a version
 * that sees the object, so the work item unlinks it (under
 * the netns mutex) and frees it with call_rcu: readers in newer versions
 * may be stepping over the unlinked node, hence the second grace period.
 */
#include <linux/slab.h>

#include "internal.h"

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

static void nfgate_gc_rule(struct nfgate_net *nn, struct nfgate_rule *r)
{
	nfgate_cls_unlink(r);
	list_del_rcu(&r->list);
	nfgate_index_del(nn, r);
	nfgate_rule_free_rcu(r);
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

void nfgate_gc_work(struct work_struct *work)
{
	struct nfgate_net *nn = container_of(to_delayed_work(work),
					     struct nfgate_net, gc_work);
	struct nfgate_gc_item *it, *tmp;
	struct nfgate_rule *r, *rtmp;
	LIST_HEAD(rules);
	LIST_HEAD(chains);
	LIST_HEAD(policies);
	LIST_HEAD(later);
	unsigned int n = 0;

	mutex_lock(&nn->mutex);
	/* A chain must go after its rules, which were retired by its own
	 * commit or an earlier one.  Their cookies are no later than the
	 * chain's unless a full mark ring merged their run into a newer
	 * mark, so a chain still holding rules after the rules are taken
	 * waits for the next run.
	 */
	nfgate_gc_expired(&nn->gc_chains, &chains);
	nfgate_gc_expired_rules(nn, &rules);
	nfgate_gc_expired(&nn->gc_policies, &policies);

	list_for_each_entry_safe(r, rtmp, &rules, gc_node) {
		list_del_init(&r->gc_node);
		nfgate_gc_rule(nn, r);
		if (!(++n % NFGATE_GC_BATCH))
			cond_resched();
	}
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
	nfgate_gc_kick(nn);
	mutex_unlock(&nn->mutex);
}
