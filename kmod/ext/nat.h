/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat.c: what the nat targets (DNAT.c, SNAT.c, MASQUERADE.c, REDIRECT.c)
 * share: their attributes (NFGATE_NAT_A_*) as one struct nf_nat_range2,
 * checked and normalized, and its dump; and what DNAT and SNAT share: a
 * range that must bind something, set up as the connection's binding.
 */
#ifndef _NFGATE_EXT_NAT_H
#define _NFGATE_EXT_NAT_H

#include <net/netfilter/nf_nat.h>
#include <uapi/linux/netfilter/nf_nat.h>

#include "../ext.h"

extern const struct nla_policy nfgate_nat_policy[NFGATE_NAT_A_MAX + 1];

int nfgate_nat_init(const struct nfgate_ext_ctx *ctx, struct nlattr **tb,
		    const char *kind, unsigned int allowed,
		    struct nf_nat_range2 *range);
int nfgate_nat_binding_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, const char *kind,
			    unsigned int allowed, struct nf_nat_range2 *range);
unsigned int nfgate_nat_bind(struct nfgate_pkt *pkt,
			     const struct nf_nat_range2 *range,
			     enum nf_nat_manip_type manip);
int nfgate_nat_dump(struct sk_buff *skb, const void *priv);

#endif /* _NFGATE_EXT_NAT_H */
