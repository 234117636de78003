// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred reclaim of what commits retired: deleted rules, deleted user
 * chains and superseded built-in policies.
 *
 * A commit tags each retired object with an RCU cookie taken after the
 * version store.  Once that grace period has passed no reader can still be
 * in a version that sees the object, so the work item unlinks it (under
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

void nfgate_gc_work(struct work_struct *work)
{
	struct nfgate_net *nn = container_of(to_delayed_work(work),
					     struct nfgate_net, gc_work);
	struct nfgate_gc_item *it, *tmp;
	LIST_HEAD(rules);
	LIST_HEAD(chains);
	LIST_HEAD(policies);
	unsigned int n = 0;

	mutex_lock(&nn->mutex);
	/* A chain must go after its rules, which were retired by its own
	 * commit or an earlier one: their cookies are no later than the
	 * chain's.  So the chains are taken first; every rule of a chain
	 * taken here has expired by the time the rules are taken.
	 */
	nfgate_gc_expired(&nn->gc_chains, &chains);
	nfgate_gc_expired(&nn->gc_rules, &rules);
	nfgate_gc_expired(&nn->gc_policies, &policies);

	list_for_each_entry_safe(it, tmp, &rules, node) {
		list_del_init(&it->node);
		nfgate_gc_rule(nn, container_of(it, struct nfgate_rule, gc));
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

		list_del_init(&it->node);
		nfgate_chain_erase(c);
		nfgate_chain_free_rcu(c);
	}
	nfgate_gc_kick(nn);
	mutex_unlock(&nn->mutex);
}
