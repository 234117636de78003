// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hook registration: one nf_hook_ops per (table, hook), each with
 * priv pointing at a static description.  A namespace gets a table's hooks
 * when the table is first written there (as x_tables templates do since
 * Linux 5.14), so packets never pay for tables nobody uses.
 */
#include <linux/netfilter_ipv4.h>

#include "internal.h"

#define NFGATE_FILTER_HOOKS	(BIT(NF_INET_LOCAL_IN) | BIT(NF_INET_FORWARD) | \
				 BIT(NF_INET_LOCAL_OUT))
#define NFGATE_MANGLE_HOOKS	(BIT(NF_INET_PRE_ROUTING) | BIT(NF_INET_LOCAL_IN) | \
				 BIT(NF_INET_FORWARD) | BIT(NF_INET_LOCAL_OUT) | \
				 BIT(NF_INET_POST_ROUTING))

static const struct nfgate_hook_desc nfgate_hook_descs[] = {
	{ NFGATE_TABLE_FILTER, NF_INET_LOCAL_IN },
	{ NFGATE_TABLE_FILTER, NF_INET_FORWARD },
	{ NFGATE_TABLE_FILTER, NF_INET_LOCAL_OUT },
	{ NFGATE_TABLE_MANGLE, NF_INET_PRE_ROUTING },
	{ NFGATE_TABLE_MANGLE, NF_INET_LOCAL_IN },
	{ NFGATE_TABLE_MANGLE, NF_INET_FORWARD },
	{ NFGATE_TABLE_MANGLE, NF_INET_LOCAL_OUT },
	{ NFGATE_TABLE_MANGLE, NF_INET_POST_ROUTING },
};

#define NFGATE_HOOK(i, hooknum_, prio) {				\
	.hook		= nfgate_hook_fn,				\
	.pf		= NFPROTO_IPV4,					\
	.hooknum	= (hooknum_),					\
	.priority	= (prio),					\
	.priv		= (void *)&nfgate_hook_descs[i],		\
}

/* Same order as nfgate_hook_descs[]. */
static const struct nf_hook_ops nfgate_hook_ops[] = {
	NFGATE_HOOK(0, NF_INET_LOCAL_IN, NF_IP_PRI_FILTER),
	NFGATE_HOOK(1, NF_INET_FORWARD, NF_IP_PRI_FILTER),
	NFGATE_HOOK(2, NF_INET_LOCAL_OUT, NF_IP_PRI_FILTER),
	NFGATE_HOOK(3, NF_INET_PRE_ROUTING, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(4, NF_INET_LOCAL_IN, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(5, NF_INET_FORWARD, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(6, NF_INET_LOCAL_OUT, NF_IP_PRI_MANGLE),
	NFGATE_HOOK(7, NF_INET_POST_ROUTING, NF_IP_PRI_MANGLE),
};

unsigned int nfgate_table_hooks(u8 table)
{
	return table == NFGATE_TABLE_FILTER ? NFGATE_FILTER_HOOKS :
					      NFGATE_MANGLE_HOOKS;
}

/* First and number of nfgate_hook_ops[] entries of each table. */
static const struct {
	unsigned int first, n;
} nfgate_table_ops[NFGATE_NTABLES] = {
	[NFGATE_TABLE_FILTER] = { 0, 3 },
	[NFGATE_TABLE_MANGLE] = { 3, 5 },
};

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
	int err;

	lockdep_assert_held(&nn->mutex);
	if (nn->hooked & BIT(table))
		return 0;
	err = nf_register_net_hooks(nn->net,
				    &nfgate_hook_ops[nfgate_table_ops[table].first],
				    nfgate_table_ops[table].n);
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
	unsigned int i;

	lockdep_assert_held(&nn->mutex);
	for (i = 0; i < NFGATE_NTABLES; i++) {
		if (!(nn->hooked & tables & BIT(i)))
			continue;
		nf_unregister_net_hooks(nn->net,
					&nfgate_hook_ops[nfgate_table_ops[i].first],
					nfgate_table_ops[i].n);
		nn->hooked &= ~BIT(i);
	}
}

void nfgate_hooks_unregister(struct nfgate_net *nn)
{
	mutex_lock(&nn->mutex);
	nfgate_hooks_drop(nn, ~0U);
	mutex_unlock(&nn->mutex);
}
