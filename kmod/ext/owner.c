// SPDX-License-Identifier: GPL-2.0
/*
 * "owner" match: -m owner [!] --uid-owner A[-B] [!] --gid-owner A[-B]
 * [--suppl-groups] [!] --socket-exists, as xt_owner revision 1: the
 * packet's local socket and the file credentials of that socket's file.
 * Only locally generated packets have one: OUTPUT and POSTROUTING.  IDs
 * are read in the network namespace's user namespace, which must be the
 * writer's (xt_owner's rule), and kept mapped (kuid_t, kgid_t) for the
 * packet path.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/netfilter.h>
#include <linux/uidgid.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "../ext.h"
#include "../match.h"
#include "../netns.h"
#include "../txn.h"

struct nfgate_owner {
	u32	uid_min;
	u32	uid_max;
	u32	gid_min;
	u32	gid_max;
	u8	match;		/* NFGATE_OWNER_* */
	u8	inv;
	u8	zero[2];
	/* the same IDs mapped (derived, so equal rules stay equal) */
	kuid_t	kuid_min;
	kuid_t	kuid_max;
	kgid_t	kgid_min;
	kgid_t	kgid_max;
};

static const struct nla_policy nfgate_owner_policy[NFGATE_OWNER_A_MAX + 1] = {
	[NFGATE_OWNER_A_MATCH]		= NLA_POLICY_RANGE(NLA_U8, 1,
							   NFGATE_OWNER_FLAGS),
	[NFGATE_OWNER_A_INV]		= NLA_POLICY_MASK(NLA_U8,
							  NFGATE_OWNER_UID |
							  NFGATE_OWNER_GID |
							  NFGATE_OWNER_SOCKET),
	[NFGATE_OWNER_A_UID_MIN]	= { .type = NLA_U32 },
	[NFGATE_OWNER_A_UID_MAX]	= { .type = NLA_U32 },
	[NFGATE_OWNER_A_GID_MIN]	= { .type = NLA_U32 },
	[NFGATE_OWNER_A_GID_MAX]	= { .type = NLA_U32 },
};

/* MIN and MAX of one ID range, present exactly when flag is matched. */
static int nfgate_owner_range(const struct nfgate_ext_ctx *ctx,
			      struct nlattr *min, struct nlattr *max,
			      bool wanted, u32 *lo, u32 *hi, const char *what)
{
	struct nfgate_net *nn = nfgate_pernet(ctx->net);

	if (!wanted) {
		if (min || max) {
			nfgate_extack_fmt(nn, ctx->extack,
					  "owner: %s range without its MATCH bit",
					  what);
			NL_SET_BAD_ATTR(ctx->extack, min ?: max);
			return -EINVAL;
		}
		return 0;
	}
	if (!min || !max) {
		nfgate_extack_fmt(nn, ctx->extack,
				  "owner: %s match needs MIN and MAX", what);
		return -EINVAL;
	}
	*lo = nla_get_u32(min);
	*hi = nla_get_u32(max);
	if (*hi < *lo) {
		nfgate_extack_fmt(nn, ctx->extack,
				  "owner: %s range %u-%u is reversed", what,
				  *lo, *hi);
		NL_SET_BAD_ATTR(ctx->extack, max);
		return -EINVAL;
	}
	return 0;
}

static int nfgate_owner_init(const struct nfgate_ext_ctx *ctx,
			     struct nlattr **tb, void *priv)
{
	struct user_namespace *ns = ctx->net->user_ns;
	struct nfgate_owner *o = priv;
	int err;

	if (!tb[NFGATE_OWNER_A_MATCH]) {
		NL_SET_ERR_MSG(ctx->extack, "owner needs MATCH");
		return -EINVAL;
	}
	o->match = nla_get_u8(tb[NFGATE_OWNER_A_MATCH]);
	if (tb[NFGATE_OWNER_A_INV])
		o->inv = nla_get_u8(tb[NFGATE_OWNER_A_INV]);
	if (o->inv & ~o->match) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_OWNER_A_INV],
				    "owner: inversion of an absent test");
		return -EINVAL;
	}
	if ((o->match & NFGATE_OWNER_SUPPL_GROUPS) &&
	    !(o->match & NFGATE_OWNER_GID)) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_OWNER_A_MATCH],
				    "owner: SUPPL_GROUPS needs GID");
		return -EINVAL;
	}
	err = nfgate_owner_range(ctx, tb[NFGATE_OWNER_A_UID_MIN],
				 tb[NFGATE_OWNER_A_UID_MAX],
				 o->match & NFGATE_OWNER_UID,
				 &o->uid_min, &o->uid_max, "UID");
	if (err)
		return err;
	err = nfgate_owner_range(ctx, tb[NFGATE_OWNER_A_GID_MIN],
				 tb[NFGATE_OWNER_A_GID_MAX],
				 o->match & NFGATE_OWNER_GID,
				 &o->gid_min, &o->gid_max, "GID");
	if (err)
		return err;
	if (!(o->match & (NFGATE_OWNER_UID | NFGATE_OWNER_GID)))
		return 0;
	if (current_user_ns() != ns) {
		NL_SET_ERR_MSG(ctx->extack,
			       "owner: IDs only from the network namespace's user namespace");
		return -EINVAL;
	}
	o->kuid_min = make_kuid(ns, o->uid_min);
	o->kuid_max = make_kuid(ns, o->uid_max);
	o->kgid_min = make_kgid(ns, o->gid_min);
	o->kgid_max = make_kgid(ns, o->gid_max);
	if ((o->match & NFGATE_OWNER_UID) &&
	    (!uid_valid(o->kuid_min) || !uid_valid(o->kuid_max) ||
	     uid_lt(o->kuid_max, o->kuid_min))) {
		NL_SET_ERR_MSG(ctx->extack,
			       "owner: UID range not mapped in the user namespace");
		return -EINVAL;
	}
	if ((o->match & NFGATE_OWNER_GID) &&
	    (!gid_valid(o->kgid_min) || !gid_valid(o->kgid_max) ||
	     gid_lt(o->kgid_max, o->kgid_min))) {
		NL_SET_ERR_MSG(ctx->extack,
			       "owner: GID range not mapped in the user namespace");
		return -EINVAL;
	}
	return 0;
}

static bool nfgate_owner_gid(const struct nfgate_owner *o,
			     const struct cred *cred)
{
	const struct group_info *gi = cred->group_info;
	int i;

	if (gid_gte(cred->fsgid, o->kgid_min) &&
	    gid_lte(cred->fsgid, o->kgid_max))
		return true;
	if (!(o->match & NFGATE_OWNER_SUPPL_GROUPS) || !gi)
		return false;
	for (i = 0; i < gi->ngroups; i++)
		if (gid_gte(gi->gid[i], o->kgid_min) &&
		    gid_lte(gi->gid[i], o->kgid_max))
			return true;
	return false;
}

static bool nfgate_owner_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_owner *o = priv;
	struct sock *sk = skb_to_full_sk(pkt->skb);
	const struct file *filp;
	bool hit = true;

	/* no socket: only a rule of nothing but inverted tests matches */
	if (!sk || !sk->sk_socket || !net_eq(pkt->state->net, sock_net(sk)))
		return (o->match ^ o->inv) == 0;
	if (o->inv & NFGATE_OWNER_SOCKET)
		return false;

	read_lock_bh(&sk->sk_callback_lock);
	filp = sk->sk_socket ? sk->sk_socket->file : NULL;
	if (!filp) {
		hit = ((o->match ^ o->inv) &
		       (NFGATE_OWNER_UID | NFGATE_OWNER_GID)) == 0;
		goto out;
	}
	if ((o->match & NFGATE_OWNER_UID) &&
	    (uid_gte(filp->f_cred->fsuid, o->kuid_min) &&
	     uid_lte(filp->f_cred->fsuid, o->kuid_max)) ==
	    !!(o->inv & NFGATE_OWNER_UID)) {
		hit = false;
		goto out;
	}
	if ((o->match & NFGATE_OWNER_GID) &&
	    nfgate_owner_gid(o, filp->f_cred) == !!(o->inv & NFGATE_OWNER_GID))
		hit = false;
out:
	read_unlock_bh(&sk->sk_callback_lock);
	return hit;
}

static int nfgate_owner_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_owner *o = priv;

	if (nla_put_u8(skb, NFGATE_OWNER_A_MATCH, o->match) ||
	    (o->inv && nla_put_u8(skb, NFGATE_OWNER_A_INV, o->inv)))
		return -EMSGSIZE;
	if ((o->match & NFGATE_OWNER_UID) &&
	    (nla_put_u32(skb, NFGATE_OWNER_A_UID_MIN, o->uid_min) ||
	     nla_put_u32(skb, NFGATE_OWNER_A_UID_MAX, o->uid_max)))
		return -EMSGSIZE;
	if ((o->match & NFGATE_OWNER_GID) &&
	    (nla_put_u32(skb, NFGATE_OWNER_A_GID_MIN, o->gid_min) ||
	     nla_put_u32(skb, NFGATE_OWNER_A_GID_MAX, o->gid_max)))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_owner = {
	.name		= "owner",
	.size		= sizeof(struct nfgate_owner),
	.policy		= nfgate_owner_policy,
	.maxattr	= NFGATE_OWNER_A_MAX,
	.hooks		= BIT(NF_INET_LOCAL_OUT) | BIT(NF_INET_POST_ROUTING),
	.init		= nfgate_owner_init,
	.match		= nfgate_owner_match,
	.dump		= nfgate_owner_dump,
};
