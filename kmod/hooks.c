// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hook registration: one nf_hook_ops per (table, hook), each with
 * priv pointing at a static description, registered in every namespace.
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

int nfgate_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, nfgate_hook_ops,
				     ARRAY_SIZE(nfgate_hook_ops));
}

void nfgate_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, nfgate_hook_ops,
				ARRAY_SIZE(nfgate_hook_ops));
}
