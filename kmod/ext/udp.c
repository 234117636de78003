// SPDX-License-Identifier: GPL-2.0
/*
 * "udp" match: its ports are the rule's core match (match.c), indexed by
 * the classifier.  This entry only keeps the place of -m udp among the
 * rule's other matches, so that listings print them in rule order.
 */
#include <linux/in.h>

#include "../ext.h"
#include "../match.h"

static int nfgate_udp_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	const struct nfgate_match *m = ctx->m;

	if (!(m->present & NFGATE_M_PROTO) || (m->inv & NFGATE_M_PROTO) ||
	    m->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG(ctx->extack,
			       "udp match needs protocol udp, not inverted");
		return -EINVAL;
	}
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_udp = {
	.name		= "udp",
	.init		= nfgate_udp_init,
};
