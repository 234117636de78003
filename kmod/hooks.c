// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hook registration: one nf_hook_ops per (table, hook), each with
 * priv pointing at a static description.  A namespace gets a table's hooks
 * when the table is first written there (as x_tables templates do since
 * Linux 5.14), so packets never pay for tables nobody uses.
 *
 * The nat table's entries are not netfilter hooks of their own: as
 * iptable_nat's, they are registered with the nat core
 * (nf_nat_ipv4_register_fn()), whose hooks call them only for a
 * connection's first packet; conntrack translates the rest.
 */
#include <linux/netfilter_ipv4.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>

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
	NFGATE_HOOK(NFGATE_TABLE_NAT, NF_INET_PRE_ROUTING, NF_IP_PRI_NAT_DST),
	NFGATE_HOOK(NFGATE_TABLE_NAT, NF_INET_LOCAL_IN, NF_IP_PRI_NAT_SRC),
	NFGATE_HOOK(NFGATE_TABLE_NAT, NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST),
	NFGATE_HOOK(NFGATE_TABLE_NAT, NF_INET_POST_ROUTING, NF_IP_PRI_NAT_SRC),
};

/*
 * Tables whose hooks the nat core calls (nfgate_nat_register()) instead
 * of netfilter itself: a mask of BIT(table).
 */
#define NFGATE_TABLES_VIA_NAT	BIT(NFGATE_TABLE_NAT)

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
 * The nat core calls its lookup functions from its own hooks, and only for
 * a packet with a conntrack entry (nf_nat_inet_fn() lets untracked ones
 * pass): without conntrack in the namespace the nat chains would never
 * run.  nf_nat_register_fn() does not enable conntrack (it only registers
 * the nat core's hooks with netfilter), nor does iptable_nat: there the
 * nat targets' checkentry (xt_nat) takes nf_ct_netns_get().  A nat table
 * with only count-only or ACCEPT/DROP rules still needs it, so the table
 * takes one reference for as long as its hooks are registered.
 */
static int nfgate_nat_register(struct net *net, const struct nf_hook_ops *ops,
			       unsigned int n)
{
	unsigned int i;
	int err;

	err = nf_ct_netns_get(net, NFPROTO_IPV4);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = nf_nat_ipv4_register_fn(net, &ops[i]);
		if (err)
			goto err_unwind;
	}
	return 0;

err_unwind:
	while (i)
		nf_nat_ipv4_unregister_fn(net, &ops[--i]);
	nf_ct_netns_put(net, NFPROTO_IPV4);
	return err;
}

/*
 * As after nf_unregister_net_hooks(), a packet may still be in
 * nfgate_hook_fn() when this returns: what it reads is static or lives
 * until the namespace's .exit, past a grace period.  The conntrack
 * reference goes last, once no nat chain can be called any more.
 */
static void nfgate_nat_unregister(struct net *net,
				  const struct nf_hook_ops *ops, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		nf_nat_ipv4_unregister_fn(net, &ops[i]);
	nf_ct_netns_put(net, NFPROTO_IPV4);
}

static int nfgate_table_register(struct net *net, u8 table)
{
	const struct nf_hook_ops *ops;
	unsigned int n;

	ops = nfgate_table_ops(table, &n);
	if (NFGATE_TABLES_VIA_NAT & BIT(table))
		return nfgate_nat_register(net, ops, n);
	return nf_register_net_hooks(net, ops, n);
}

static void nfgate_table_unregister(struct net *net, u8 table)
{
	const struct nf_hook_ops *ops;
	unsigned int n;

	ops = nfgate_table_ops(table, &n);
	if (NFGATE_TABLES_VIA_NAT & BIT(table))
		nfgate_nat_unregister(net, ops, n);
	else
		nf_unregister_net_hooks(net, ops, n);
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
	int err;

	lockdep_assert_held(&nn->mutex);
	if (nn->hooked & BIT(table))
		return 0;
	err = nfgate_table_register(nn->net, table);
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
		nfgate_table_unregister(nn->net, i);
		nn->hooked &= ~BIT(i);
	}
}

void nfgate_hooks_unregister(struct nfgate_net *nn)
{
	mutex_lock(&nn->mutex);
	nfgate_hooks_drop(nn, ~0U);
	mutex_unlock(&nn->mutex);
}
