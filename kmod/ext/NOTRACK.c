// SPDX-License-Identifier: GPL-2.0
/*
 * "NOTRACK" target (raw table): the packet stays untracked, as
 * -j CT --notrack; iptables keeps the old name as its own target.
 */
#include <net/netfilter/nf_conntrack.h>

#include "../ext.h"
#include "../match.h"

static int nfgate_notrack_init(const struct nfgate_ext_ctx *ctx,
			       struct nlattr **tb, void *priv)
{
	return 0;
}

static unsigned int nfgate_notrack_target(const void *priv,
					  struct nfgate_pkt *pkt)
{
	/* already seen (loopback): leave it */
	if (!pkt->skb->_nfct)
		nf_ct_set(pkt->skb, NULL, IP_CT_UNTRACKED);
	return NFGATE_EXT_CONTINUE;
}

const struct nfgate_ext_ops nfgate_ext_NOTRACK = {
	.name		= "NOTRACK",
	.is_target	= true,
	.tables		= BIT(NFGATE_TABLE_RAW),
	.init		= nfgate_notrack_init,
	.target		= nfgate_notrack_target,
};
