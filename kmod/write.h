/* SPDX-License-Identifier: GPL-2.0 */
/*
 * write.c: write commands (staged in the open transaction).
 */
#ifndef _NFGATE_WRITE_H
#define _NFGATE_WRITE_H

#include <linux/types.h>

struct genl_info;
struct nfgate_net;
struct sk_buff;

int nfgate_cmd_newchain(struct nfgate_net *nn, struct genl_info *info,
			struct sk_buff **reply);
int nfgate_cmd_delchain(struct nfgate_net *nn, struct genl_info *info,
			struct sk_buff **reply);
int nfgate_cmd_flush(struct nfgate_net *nn, struct genl_info *info,
		     struct sk_buff **reply);
int nfgate_cmd_setpolicy(struct nfgate_net *nn, struct genl_info *info,
			 struct sk_buff **reply);
int nfgate_cmd_newrule(struct nfgate_net *nn, struct genl_info *info,
		       struct sk_buff **reply);
int nfgate_cmd_delrule(struct nfgate_net *nn, struct genl_info *info,
		       struct sk_buff **reply);
int nfgate_cmd_replacerule(struct nfgate_net *nn, struct genl_info *info,
			   struct sk_buff **reply);
int nfgate_cmd_zero(struct nfgate_net *nn, struct genl_info *info, u64 ver);

#endif /* _NFGATE_WRITE_H */
