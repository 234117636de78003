// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hook registration: one nf_hook_ops per (table, hook), each with
 * priv pointing at a static description.  A namespace gets a table's hooks
 * when the table is first written there (as x_tables templates do since
 * Linux 5.14), so packets never pay for tables nobody uses.
 */
#include <linux/netfilter_ipv4.h>

#include "chain.h"
#include "eval.h"
#include "hooks.h"
#include "netns.h"

/*
 * The hook table, written once: a table's hooks are consecutive entries
 * (they are registered as one run), and each entry's priv describes it
 * for the packet path.  A new table is one line per hook here.
 */
#define NFGATE_HOOK(table_, hooknum_, prio_) {				\
	.hook		= nfgate_hook_fn,				\
	.pf		= NFPROTO_IPV4,					\
	.hooknum	= (hooknum_),					\
	.priority	= (prio_),					\
	.priv		= (void *)&(const struct nfgate_hook_desc) {	\
		.table	= (table_),					\
		.hook	= (hooknum_),					\
	},								\
}

static const struct nf_hook_ops nfgate_hook_ops[] = {
	NFGATE_HOOK(NFGATE_TABLE_FILTER, NF_INET_LOCAL_IN, NF_IP_PRI_FILTER),
	NFGATE_HOOK(NFGATE_TABLE_FILTER, NF_INET_FORWARD, NF_IP_PRI_FILTER),
	NFGATE_HOOK(NFGATE_TABLE_FILTER, NF_INET_LOCAL_OUT, NF_IP_PRI_FILTER),
	NFGATE_HOOK(NFGATE_TABLE_MANGLE, NF_INET_PRE_ROUTING, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(NFGATE_TABLE_MANGLE, NF_INET_LOCAL_IN, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(NFGATE_TABLE_MANGLE, NF_INET_FORWARD, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(NFGATE_TABLE_MANGLE, NF_INET_LOCAL_OUT, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(NFGATE_TABLE_MANGLE, NF_INET_POST_ROUTING, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(NFGATE_TABLE_RAW, NF_INET_PRE_ROUTING, NF_IP_PRI_RAW),
	NFGATE_HOOK(NFGATE_TABLE_RAW, NF_INET_LOCAL_OUT, NF_IP_PRI_RAW),
};

static u8 nfgate_hook_table(unsigned int i)
{
	const struct nfgate_hook_desc *d = nfgate_hook_ops[i].priv;

	return d->table;
}

/* Mask of the hooks @table has a built-in chain for. */
unsigned int nfgate_table_hooks(u8 table)
{
	unsigned int i, hooks = 0;

	for (i = 0; i < ARRAY_SIZE(nfgate_hook_ops); i++)
		if (nfgate_hook_table(i) == table)
			hooks |= BIT(nfgate_hook_ops[i].hooknum);
	return hooks;
}

/* The run of nfgate_hook_ops[] entries of @table: first, and *n of them. */
static const struct nf_hook_ops *nfgate_table_ops(u8 table, unsigned int *n)
{
	unsigned int first = 0, end;

	while (first < ARRAY_SIZE(nfgate_hook_ops) &&
	       nfgate_hook_table(first) != table)
		first++;
	end = first;
	while (end < ARRAY_SIZE(nfgate_hook_ops) &&
	       nfgate_hook_table(end) == table)
		end++;
	*n = end - first;
	return &nfgate_hook_ops[first];
}

/*
 * Called with the namespace mutex held after a write to @table was
 * validated and staged: registers the table's hooks once.  Packets then
 * see the committed (possibly still empty) chains, which is what they saw
 * before: ACCEPT.  A refused write registers nothing; an aborted
 * transaction takes back what it registered (nfgate_hooks_drop()).
 */
int nfgate_hooks_use(struct nfgate_net *nn, u8 table,
		     struct netlink_ext_ack *extack)
{
	const struct nf_hook_ops *ops;
	unsigned int n;
	int err;

	lockdep_assert_held(&nn->mutex);
	if (nn->hooked & BIT(table))
		return 0;
	ops = nfgate_table_ops(table, &n);
	err = nf_register_net_hooks(nn->net, ops, n);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the table's netfilter hooks");
		return err;
	}
	nn->hooked |= BIT(table);
	return 0;
}

/* Unregister the hooks of the tables in @tables (a mask); mutex held. */
void nfgate_hooks_drop(struct nfgate_net *nn, unsigned int tables)
{
	const struct nf_hook_ops *ops;
	unsigned int i, n;

	lockdep_assert_held(&nn->mutex);
	for (i = 0; i < NFGATE_NTABLES; i++) {
		if (!(nn->hooked & tables & BIT(i)))
			continue;
		ops = nfgate_table_ops(i, &n);
		nf_unregister_net_hooks(nn->net, ops, n);
		nn->hooked &= ~BIT(i);
	}
}

void nfgate_hooks_unregister(struct nfgate_net *nn)
{
	mutex_lock(&nn->mutex);
	nfgate_hooks_drop(nn, ~0U);
	mutex_unlock(&nn->mutex);
}
