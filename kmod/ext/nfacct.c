// SPDX-License-Identifier: GPL-2.0
/*
 * "nfacct" match: -m nfacct --nfacct-name NAME, as xt_nfacct: the rule
 * holds a reference on the namespace's nfnetlink_acct object NAME (which
 * must exist when the rule is created, as for iptables), adds each packet
 * it sees to the object's counters and matches unless the object has a
 * quota it is still under (nfnl_acct_overquota(): no quota or over it).
 * Counting changes the object: the kind is ordered.
 */
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_acct.h>

#include "../ext.h"
#include "../match.h"
#include "../netns.h"
#include "../txn.h"

struct nfgate_nfacct {
	/* what the rule is */
	char		name[NFGATE_NFACCT_NAME_LEN];
	/* the object */
	struct nf_acct	*acct;
};

static const struct nla_policy nfgate_nfacct_policy[NFGATE_NFACCT_A_MAX + 1] = {
	[NFGATE_NFACCT_A_NAME]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_NFACCT_NAME_LEN - 1 },
};

static int nfgate_nfacct_init(const struct nfgate_ext_ctx *ctx,
			      struct nlattr **tb, void *priv)
{
	struct nfgate_nfacct *a = priv;

	if (!tb[NFGATE_NFACCT_A_NAME] || !nla_len(tb[NFGATE_NFACCT_A_NAME]) ||
	    !*(char *)nla_data(tb[NFGATE_NFACCT_A_NAME])) {
		NL_SET_ERR_MSG(ctx->extack, "nfacct needs NAME");
		return -EINVAL;
	}
	nla_strscpy(a->name, tb[NFGATE_NFACCT_A_NAME], sizeof(a->name));
	a->acct = nfnl_acct_find_get(ctx->net, a->name);
	if (!a->acct) {
		nfgate_extack_fmt(nfgate_pernet(ctx->net), ctx->extack,
				  "nfacct: accounting object `%s' does not exist",
				  a->name);
		NL_SET_BAD_ATTR(ctx->extack, tb[NFGATE_NFACCT_A_NAME]);
		return -ENOENT;
	}
	return 0;
}

static void nfgate_nfacct_destroy(struct net *net, void *priv)
{
	struct nfgate_nfacct *a = priv;

	nfnl_acct_put(a->acct);
}

static bool nfgate_nfacct_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_nfacct *a = priv;

	nfnl_acct_update(pkt->skb, a->acct);
	return nfnl_acct_overquota(pkt->state->net, a->acct) !=
	       NFACCT_UNDERQUOTA;
}

static int nfgate_nfacct_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_nfacct *a = priv;

	return nla_put_string(skb, NFGATE_NFACCT_A_NAME, a->name);
}

const struct nfgate_ext_ops nfgate_ext_nfacct = {
	.name		= "nfacct",
	.size		= sizeof(struct nfgate_nfacct),
	.cmp_size	= offsetof(struct nfgate_nfacct, acct),
	.ordered	= nfgate_ext_always_ordered,
	.policy		= nfgate_nfacct_policy,
	.maxattr	= NFGATE_NFACCT_A_MAX,
	.init		= nfgate_nfacct_init,
	.destroy	= nfgate_nfacct_destroy,
	.match		= nfgate_nfacct_match,
	.dump		= nfgate_nfacct_dump,
};
