// SPDX-License-Identifier: GPL-2.0
/*
 * "CT" target (raw table): --notrack marks the packet untracked; with a
 * zone, a helper or event masks, a conntrack template carries them to the
 * connection conntrack creates for the packet, as xt_CT does.  The
 * template exists from rule creation to rule free, with a reference on
 * conntrack for the namespace and on the helper's module.
 */
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_zones.h>

#include "../compat.h"
#include "../ext.h"
#include "../match.h"

#define NFGATE_CT_EVENTS	(BIT(IPCT_SECMARK + 1) - 1)
#define NFGATE_CT_EXPEVENTS	BIT(IPEXP_NEW)
#define NFGATE_CT_ZONE_FLAGS	(NFGATE_CT_ZONE_F_ORIG | \
				 NFGATE_CT_ZONE_F_REPLY | \
				 NFGATE_CT_ZONE_F_MARK)

struct nfgate_ct {
	/* what the rule is */
	u8		notrack;
	u8		zone_flags;
	u16		zone;
	u32		ctevents;
	u32		expevents;
	char		helper[NFGATE_CT_HELPER_MAXLEN];
	u32		zero;
	/* the template (NULL for --notrack) */
	struct nf_conn	*tmpl;
};

static const struct nla_policy nfgate_ct_policy[NFGATE_CT_A_MAX + 1] = {
	[NFGATE_CT_A_NOTRACK]	= { .type = NLA_FLAG },
	[NFGATE_CT_A_ZONE]	= { .type = NLA_U16 },
	[NFGATE_CT_A_ZONE_FLAGS] = NLA_POLICY_MASK(NLA_U32, NFGATE_CT_ZONE_FLAGS),
	[NFGATE_CT_A_HELPER]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_CT_HELPER_MAXLEN - 1 },
	[NFGATE_CT_A_CTEVENTS]	= NLA_POLICY_MASK(NLA_U32, NFGATE_CT_EVENTS),
	[NFGATE_CT_A_EXPEVENTS]	= NLA_POLICY_MASK(NLA_U32, NFGATE_CT_EXPEVENTS),
};

static u16 nfgate_ct_zone_dir(u8 flags)
{
	switch (flags & (NFGATE_CT_ZONE_F_ORIG | NFGATE_CT_ZONE_F_REPLY)) {
	case NFGATE_CT_ZONE_F_ORIG:
		return NF_CT_ZONE_DIR_ORIG;
	case NFGATE_CT_ZONE_F_REPLY:
		return NF_CT_ZONE_DIR_REPL;
	default:
		return NF_CT_DEFAULT_ZONE_DIR;
	}
}

static void nfgate_ct_put_helper(struct nf_conn *tmpl)
{
	struct nf_conn_help *help = nfct_help(tmpl);
	struct nf_conntrack_helper *helper;

	if (!help)
		return;
	/* never published to the packet path yet, or no longer reachable */
	helper = rcu_dereference_raw(help->helper);
	if (helper)
		nf_conntrack_helper_put(helper);
}

/* The helper of -p proto named @name, on the template; -ENOENT if none. */
static int nfgate_ct_set_helper(const struct nfgate_ext_ctx *ctx,
				struct nf_conn *tmpl, const char *name)
{
	const struct nfgate_match *m = ctx->m;
	struct nf_conntrack_helper *helper;
	struct nf_conn_help *help;

	if (!(m->present & NFGATE_M_PROTO) || (m->inv & NFGATE_M_PROTO)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "CT --helper needs a protocol (-p), not inverted");
		return -EINVAL;
	}
	helper = nf_conntrack_helper_try_module_get(name, NFPROTO_IPV4,
						    m->proto);
	if (!helper) {
		NL_SET_ERR_MSG(ctx->extack,
			       "CT: no such conntrack helper for this protocol (is its module loaded?)");
		return -ENOENT;
	}
	help = nf_ct_helper_ext_add(tmpl, GFP_KERNEL);
	if (!help) {
		nf_conntrack_helper_put(helper);
		return -ENOMEM;
	}
	rcu_assign_pointer(help->helper, helper);
	return 0;
}

static int nfgate_ct_template(const struct nfgate_ext_ctx *ctx,
			      struct nfgate_ct *c)
{
	struct nf_conntrack_zone zone = {
		.id = c->zone,
		.dir = nfgate_ct_zone_dir(c->zone_flags),
		.flags = c->zone_flags & NFGATE_CT_ZONE_F_MARK ?
			 NF_CT_FLAG_MARK : 0,
	};
	struct nf_conn *tmpl;
	int err;

	err = nf_ct_netns_get(ctx->net, NFPROTO_IPV4);
	if (err) {
		NL_SET_ERR_MSG(ctx->extack,
			       "cannot enable conntrack in the namespace");
		return err;
	}
	tmpl = nf_ct_tmpl_alloc(ctx->net, &zone, GFP_KERNEL);
	if (!tmpl) {
		err = -ENOMEM;
		goto put_netns;
	}
	if ((c->ctevents || c->expevents) &&
	    !nf_ct_ecache_ext_add(tmpl, c->ctevents, c->expevents,
				  GFP_KERNEL)) {
		NL_SET_ERR_MSG(ctx->extack, "CT: cannot set the event masks");
		err = -EINVAL;
		goto free_tmpl;
	}
	if (c->helper[0]) {
		err = nfgate_ct_set_helper(ctx, tmpl, c->helper);
		if (err)
			goto free_tmpl;
	}
	__set_bit(IPS_CONFIRMED_BIT, &tmpl->status);
	c->tmpl = tmpl;
	return 0;

free_tmpl:
	nf_ct_tmpl_free(tmpl);
put_netns:
	nf_ct_netns_put(ctx->net, NFPROTO_IPV4);
	return err;
}

static int nfgate_ct_init(const struct nfgate_ext_ctx *ctx,
			  struct nlattr **tb, void *priv)
{
	struct nfgate_ct *c = priv;

	c->notrack = nla_get_flag(tb[NFGATE_CT_A_NOTRACK]);
	if (tb[NFGATE_CT_A_ZONE])
		c->zone = nla_get_u16(tb[NFGATE_CT_A_ZONE]);
	if (tb[NFGATE_CT_A_ZONE_FLAGS])
		c->zone_flags = nla_get_u32(tb[NFGATE_CT_A_ZONE_FLAGS]);
	if (tb[NFGATE_CT_A_HELPER])
		nla_strscpy(c->helper, tb[NFGATE_CT_A_HELPER],
			    sizeof(c->helper));
	if (tb[NFGATE_CT_A_CTEVENTS])
		c->ctevents = nla_get_u32(tb[NFGATE_CT_A_CTEVENTS]);
	if (tb[NFGATE_CT_A_EXPEVENTS])
		c->expevents = nla_get_u32(tb[NFGATE_CT_A_EXPEVENTS]);
	if (c->notrack) {
		if (c->zone || c->zone_flags || c->helper[0] || c->ctevents ||
		    c->expevents) {
			NL_SET_ERR_MSG(ctx->extack,
				       "CT --notrack takes no other option");
			return -EINVAL;
		}
		return 0;
	}
	return nfgate_ct_template(ctx, c);
}

static void nfgate_ct_destroy(struct net *net, void *priv)
{
	struct nfgate_ct *c = priv;

	if (!c->tmpl)
		return;
	/* packets queued with the helper may still refer to it */
	if (c->helper[0])
		nf_queue_nf_hook_drop(net);
	nfgate_ct_put_helper(c->tmpl);
	nf_ct_netns_put(net, NFPROTO_IPV4);
	nf_ct_put(c->tmpl);
}

static unsigned int nfgate_ct_target(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_ct *c = priv;
	struct sk_buff *skb = pkt->skb;

	/* already seen (loopback): leave it */
	if (skb->_nfct)
		return NFGATE_EXT_CONTINUE;
	if (c->tmpl) {
		refcount_inc(&c->tmpl->ct_general.use);
		nf_ct_set(skb, c->tmpl, IP_CT_NEW);
	} else {
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	}
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_ct_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_ct *c = priv;

	if ((c->notrack && nla_put_flag(skb, NFGATE_CT_A_NOTRACK)) ||
	    (c->zone && nla_put_u16(skb, NFGATE_CT_A_ZONE, c->zone)) ||
	    (c->zone_flags &&
	     nla_put_u32(skb, NFGATE_CT_A_ZONE_FLAGS, c->zone_flags)) ||
	    (c->helper[0] &&
	     nla_put_string(skb, NFGATE_CT_A_HELPER, c->helper)) ||
	    (c->ctevents &&
	     nla_put_u32(skb, NFGATE_CT_A_CTEVENTS, c->ctevents)) ||
	    (c->expevents &&
	     nla_put_u32(skb, NFGATE_CT_A_EXPEVENTS, c->expevents)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_CT = {
	.name		= "CT",
	.is_target	= true,
	.size		= sizeof(struct nfgate_ct),
	.cmp_size	= offsetof(struct nfgate_ct, tmpl),
	.policy		= nfgate_ct_policy,
	.maxattr	= NFGATE_CT_A_MAX,
	.tables		= BIT(NFGATE_TABLE_RAW),
	.init		= nfgate_ct_init,
	.destroy	= nfgate_ct_destroy,
	.target		= nfgate_ct_target,
	.dump		= nfgate_ct_dump,
};
