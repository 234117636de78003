/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dump.c: the GETCHAIN and GETRULE dumps of the committed ruleset.
 */
#ifndef _NFGATE_DUMP_H
#define _NFGATE_DUMP_H

struct netlink_callback;
struct sk_buff;

int nfgate_dump_start(struct netlink_callback *cb);
int nfgate_dump_chains(struct sk_buff *skb, struct netlink_callback *cb);
int nfgate_dump_rules(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _NFGATE_DUMP_H */
