/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eval.c: the packet path, the netfilter hook function and the chain walk.
 */
#ifndef _NFGATE_EVAL_H
#define _NFGATE_EVAL_H

struct nf_hook_state;
struct sk_buff;

unsigned int nfgate_hook_fn(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state);

#endif /* _NFGATE_EVAL_H */
