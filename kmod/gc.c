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

void nfgate_gc_add(struct nfgate_net *nn, struct nfgate_gc_item *it,
		   unsigned long cookie)
{
	it->cookie = cookie;
	list_add_tail(&it->node, &nn->gc_list);
}

/* Netns mutex held. */
void nfgate_gc_kick(struct nfgate_net *nn)
{
	if (!list_empty(&nn->gc_list))
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

static void nfgate_gc_one(struct nfgate_net *nn, struct nfgate_gc_item *it)
{
	switch (it->type) {
	case NFGATE_GC_RULE: {
		struct nfgate_rule *r = container_of(it, struct nfgate_rule, gc);

		nfgate_cls_unlink(r);
		list_del_rcu(&r->list);
		nfgate_index_del(nn, r);
		nfgate_rule_free_rcu(r);
		break;
	}
	case NFGATE_GC_CHAIN: {
		struct nfgate_chain *c = container_of(it, struct nfgate_chain,
						      gc);

		/* Empty and unreferenced since its deletion was staged;
		 * its rules were retired by this or an earlier commit and
		 * come earlier in the list.
		 */
		nfgate_chain_erase(c);
		nfgate_chain_free_rcu(c);
		break;
	}
	case NFGATE_GC_POLICY:
		nfgate_gc_policy(nn, container_of(it, struct nfgate_policy, gc));
		break;
	}
}

void nfgate_gc_work(struct work_struct *work)
{
	struct nfgate_net *nn = container_of(to_delayed_work(work),
					     struct nfgate_net, gc_work);
	struct nfgate_gc_item *it, *tmp;
	unsigned int n = 0;

	mutex_lock(&nn->mutex);
	/* Cookies were taken in list order, so the first one that has not
	 * expired ends the pass.
	 */
	list_for_each_entry_safe(it, tmp, &nn->gc_list, node) {
		if (!poll_state_synchronize_rcu(it->cookie))
			break;
		list_del_init(&it->node);
		nfgate_gc_one(nn, it);
		if (!(++n % NFGATE_GC_BATCH))
			cond_resched();
	}
	nfgate_gc_kick(nn);
	mutex_unlock(&nn->mutex);
}
