/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hooks.c: the netfilter hooks of each table, registered in a namespace on
 * the table's first write.
 */
#ifndef _NFGATE_HOOKS_H
#define _NFGATE_HOOKS_H

#include <linux/types.h>

struct netlink_ext_ack;
struct nfgate_net;

/* What a hook is, for the packet path: nf_hook_ops.priv. */
struct nfgate_hook_desc {
	u8	table;
	u8	hook;
};

unsigned int nfgate_table_hooks(u8 table);
int nfgate_hooks_use(struct nfgate_net *nn, u8 table,
		     struct netlink_ext_ack *extack);
void nfgate_hooks_drop(struct nfgate_net *nn, unsigned int tables);
void nfgate_hooks_unregister(struct nfgate_net *nn);

#endif /* _NFGATE_HOOKS_H */
