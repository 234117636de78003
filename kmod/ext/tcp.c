// SPDX-License-Identifier: GPL-2.0
/*
 * "tcp" match: its ports are the rule's core match (match.c), indexed by
 * the classifier.  This entry only keeps the place of -m tcp among the
 * rule's other matches, so that listings print them in rule order.
 */
#include <linux/in.h>

#include "../ext.h"
#include "../match.h"

static int nfgate_tcp_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, void *priv)
{
	const struct nfgate_match *m = ctx->m;

	if (!(m->present & NFGATE_M_PROTO) || (m->inv & NFGATE_M_PROTO) ||
	    m->proto != IPPROTO_TCP) {
		NL_SET_ERR_MSG(ctx->extack,
			       "tcp match needs protocol tcp, not inverted");
		return -EINVAL;
	}
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_tcp = {
	.name		= "tcp",
	.init		= nfgate_tcp_init,
};
