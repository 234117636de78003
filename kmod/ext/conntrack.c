// SPDX-License-Identifier: GPL-2.0
/*
 * "conntrack" match: -m conntrack, the semantics of xt_conntrack revision
 * 3 for IPv4: the packet's state (--ctstate), its entry's protocol,
 * original and reply addresses and ports, status bits, the seconds left
 * before it expires and the packet's direction.  Each criterion may be
 * inverted but --ctdir.  A rule using it holds conntrack for its
 * namespace (ext.c).
 */
#include <linux/netfilter/xt_conntrack.h>
#include <net/netfilter/nf_conntrack.h>

#include "../ext.h"
#include "../match.h"

enum { CT_ORIGSRC, CT_ORIGDST, CT_REPLSRC, CT_REPLDST, CT_NADDR };

struct nfgate_ct {
	u32	flags;		/* NFGATE_CT_F_* given */
	u32	inv;		/* NFGATE_CT_F_* inverted */
	u32	state;
	u32	status;
	__be32	addr[CT_NADDR];
	__be32	mask[CT_NADDR];
	u16	port[CT_NADDR][2];	/* min, max; host order */
	u32	expire[2];
	u8	proto;
	u8	dir;		/* IP_CT_DIR_ORIGINAL or IP_CT_DIR_REPLY */
	u8	zero[6];
};

#define NFGATE_CT_STATE_ALL	(NFGATE_CT_STATE_INVALID | \
				 NFGATE_CT_STATE_ESTABLISHED | \
				 NFGATE_CT_STATE_RELATED | NFGATE_CT_STATE_NEW | \
				 NFGATE_CT_STATE_SNAT | NFGATE_CT_STATE_DNAT | \
				 NFGATE_CT_STATE_UNTRACKED)
#define NFGATE_CT_STATUS_ALL	(NFGATE_CT_STATUS_EXPECTED | \
				 NFGATE_CT_STATUS_SEEN_REPLY | \
				 NFGATE_CT_STATUS_ASSURED | \
				 NFGATE_CT_STATUS_CONFIRMED)
#define NFGATE_CT_F_ALL		(NFGATE_CT_F_DIR * 2 - 1)

static const struct nla_policy nfgate_ct_policy[NFGATE_CONNTRACK_A_MAX + 1] = {
	[NFGATE_CONNTRACK_A_INV]	= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_CT_F_ALL &
							  ~NFGATE_CT_F_DIR),
	[NFGATE_CONNTRACK_A_STATE]	= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_CT_STATE_ALL),
	[NFGATE_CONNTRACK_A_STATUS]	= NLA_POLICY_MASK(NLA_U32,
							  NFGATE_CT_STATUS_ALL),
	[NFGATE_CONNTRACK_A_PROTO]	= { .type = NLA_U8 },
	[NFGATE_CONNTRACK_A_ORIGSRC]	= { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_ORIGSRC_MASK] = { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_ORIGDST]	= { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_ORIGDST_MASK] = { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_REPLSRC]	= { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_REPLSRC_MASK] = { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_REPLDST]	= { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_REPLDST_MASK] = { .type = NLA_BE32 },
	[NFGATE_CONNTRACK_A_ORIGSRCPORT_MIN] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_ORIGSRCPORT_MAX] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_ORIGDSTPORT_MIN] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_ORIGDSTPORT_MAX] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_REPLSRCPORT_MIN] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_REPLSRCPORT_MAX] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_REPLDSTPORT_MIN] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_REPLDSTPORT_MAX] = { .type = NLA_U16 },
	[NFGATE_CONNTRACK_A_DIR]	= NLA_POLICY_MAX(NLA_U8, IP_CT_DIR_REPLY),
	[NFGATE_CONNTRACK_A_EXPIRE_MIN]	= { .type = NLA_U32 },
	[NFGATE_CONNTRACK_A_EXPIRE_MAX]	= { .type = NLA_U32 },
};

/* The address attributes of CT_ORIGSRC.., the port attributes likewise. */
static const u16 nfgate_ct_addr_attr[CT_NADDR] = {
	NFGATE_CONNTRACK_A_ORIGSRC, NFGATE_CONNTRACK_A_ORIGDST,
	NFGATE_CONNTRACK_A_REPLSRC, NFGATE_CONNTRACK_A_REPLDST,
};

static const u16 nfgate_ct_port_attr[CT_NADDR] = {
	NFGATE_CONNTRACK_A_ORIGSRCPORT_MIN, NFGATE_CONNTRACK_A_ORIGDSTPORT_MIN,
	NFGATE_CONNTRACK_A_REPLSRCPORT_MIN, NFGATE_CONNTRACK_A_REPLDSTPORT_MIN,
};

/* Both attributes of a pair, or neither; an extack message otherwise. */
static int nfgate_ct_pair(const struct nfgate_ext_ctx *ctx, struct nlattr **tb,
			  unsigned int a, bool *present)
{
	*present = tb[a] && tb[a + 1];
	if (!tb[a] != !tb[a + 1]) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, tb[a] ?: tb[a + 1],
				    "conntrack: an address needs its mask, a range both bounds");
		return -EINVAL;
	}
	return 0;
}

static int nfgate_ct_init(const struct nfgate_ext_ctx *ctx,
			  struct nlattr **tb, void *priv)
{
	struct nfgate_ct *ct = priv;
	unsigned int i;
	bool present;
	int err;

	/* the uapi bits are the kernel's, so they are used as they are */
	BUILD_BUG_ON((NFGATE_CT_STATE_INVALID ^ XT_CONNTRACK_STATE_INVALID) |
		     (NFGATE_CT_STATE_ESTABLISHED ^
		      XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED)) |
		     (NFGATE_CT_STATE_RELATED ^
		      XT_CONNTRACK_STATE_BIT(IP_CT_RELATED)) |
		     (NFGATE_CT_STATE_NEW ^ XT_CONNTRACK_STATE_BIT(IP_CT_NEW)) |
		     (NFGATE_CT_STATE_SNAT ^ XT_CONNTRACK_STATE_SNAT) |
		     (NFGATE_CT_STATE_DNAT ^ XT_CONNTRACK_STATE_DNAT) |
		     (NFGATE_CT_STATE_UNTRACKED ^ XT_CONNTRACK_STATE_UNTRACKED));
	BUILD_BUG_ON((NFGATE_CT_STATUS_EXPECTED ^ IPS_EXPECTED) |
		     (NFGATE_CT_STATUS_SEEN_REPLY ^ IPS_SEEN_REPLY) |
		     (NFGATE_CT_STATUS_ASSURED ^ IPS_ASSURED) |
		     (NFGATE_CT_STATUS_CONFIRMED ^ IPS_CONFIRMED));

	if (tb[NFGATE_CONNTRACK_A_STATE]) {
		ct->flags |= NFGATE_CT_F_STATE;
		ct->state = nla_get_u32(tb[NFGATE_CONNTRACK_A_STATE]);
	}
	if (tb[NFGATE_CONNTRACK_A_STATUS]) {
		ct->flags |= NFGATE_CT_F_STATUS;
		ct->status = nla_get_u32(tb[NFGATE_CONNTRACK_A_STATUS]);
	}
	if (tb[NFGATE_CONNTRACK_A_PROTO]) {
		ct->flags |= NFGATE_CT_F_PROTO;
		ct->proto = nla_get_u8(tb[NFGATE_CONNTRACK_A_PROTO]);
	}
	for (i = 0; i < CT_NADDR; i++) {
		unsigned int a = nfgate_ct_addr_attr[i];

		err = nfgate_ct_pair(ctx, tb, a, &present);
		if (err)
			return err;
		if (present) {
			ct->flags |= NFGATE_CT_F_ORIGSRC << i;
			/* as given: iptables prints 192.0.2.5/24 back */
			ct->addr[i] = nla_get_be32(tb[a]);
			ct->mask[i] = nla_get_be32(tb[a + 1]);
		}
		a = nfgate_ct_port_attr[i];
		err = nfgate_ct_pair(ctx, tb, a, &present);
		if (err)
			return err;
		if (present) {
			ct->flags |= NFGATE_CT_F_ORIGSRCPORT << i;
			ct->port[i][0] = nla_get_u16(tb[a]);
			ct->port[i][1] = nla_get_u16(tb[a + 1]);
			if (ct->port[i][0] > ct->port[i][1]) {
				NL_SET_ERR_MSG_ATTR(ctx->extack, tb[a],
						    "conntrack: port range MIN > MAX");
				return -EINVAL;
			}
		}
	}
	err = nfgate_ct_pair(ctx, tb, NFGATE_CONNTRACK_A_EXPIRE_MIN, &present);
	if (err)
		return err;
	if (present) {
		ct->flags |= NFGATE_CT_F_EXPIRE;
		ct->expire[0] = nla_get_u32(tb[NFGATE_CONNTRACK_A_EXPIRE_MIN]);
		ct->expire[1] = nla_get_u32(tb[NFGATE_CONNTRACK_A_EXPIRE_MAX]);
		if (ct->expire[0] > ct->expire[1]) {
			NL_SET_ERR_MSG_ATTR(ctx->extack,
					    tb[NFGATE_CONNTRACK_A_EXPIRE_MIN],
					    "conntrack: expire range MIN > MAX");
			return -EINVAL;
		}
	}
	if (tb[NFGATE_CONNTRACK_A_DIR]) {
		ct->flags |= NFGATE_CT_F_DIR;
		ct->dir = nla_get_u8(tb[NFGATE_CONNTRACK_A_DIR]);
	}
	if (!ct->flags) {
		NL_SET_ERR_MSG(ctx->extack,
			       "conntrack: at least one criterion is required");
		return -EINVAL;
	}
	if (tb[NFGATE_CONNTRACK_A_INV]) {
		ct->inv = nla_get_u32(tb[NFGATE_CONNTRACK_A_INV]);
		if (ct->inv & ~ct->flags) {
			NL_SET_ERR_MSG_ATTR(ctx->extack,
					    tb[NFGATE_CONNTRACK_A_INV],
					    "conntrack: INV names a criterion not given");
			return -EINVAL;
		}
	}
	return 0;
}

/* Criterion f holds (before inversion) as hit says: does the rule go on? */
static inline bool nfgate_ct_ok(const struct nfgate_ct *ct, u32 f, bool hit)
{
	return !(ct->flags & f) || (hit ^ !!(ct->inv & f));
}

static bool nfgate_ct_match(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_ct *info = priv;
	const struct nf_conntrack_tuple *t[IP_CT_DIR_MAX];
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;
	unsigned int statebit, i;
	__be32 a;
	u16 p;

	ct = nf_ct_get(pkt->skb, &ctinfo);
	if (ct)
		statebit = XT_CONNTRACK_STATE_BIT(ctinfo);
	else if (ctinfo == IP_CT_UNTRACKED)
		statebit = XT_CONNTRACK_STATE_UNTRACKED;
	else
		statebit = XT_CONNTRACK_STATE_INVALID;

	if (info->flags & NFGATE_CT_F_STATE) {
		if (ct && test_bit(IPS_SRC_NAT_BIT, &ct->status))
			statebit |= XT_CONNTRACK_STATE_SNAT;
		if (ct && test_bit(IPS_DST_NAT_BIT, &ct->status))
			statebit |= XT_CONNTRACK_STATE_DNAT;
		if (!nfgate_ct_ok(info, NFGATE_CT_F_STATE,
				  info->state & statebit))
			return false;
	}
	/* no entry: only the state can say anything */
	if (!ct)
		return info->flags & NFGATE_CT_F_STATE;

	if ((info->flags & NFGATE_CT_F_DIR) &&
	    CTINFO2DIR(ctinfo) != info->dir)
		return false;

	t[IP_CT_DIR_ORIGINAL] = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
	t[IP_CT_DIR_REPLY] = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	for (i = 0; i < CT_NADDR; i++) {
		/* ORIGSRC, ORIGDST, REPLSRC, REPLDST */
		const struct nf_conntrack_tuple *tu = t[i / 2];

		a = i & 1 ? tu->dst.u3.ip : tu->src.u3.ip;
		if (!nfgate_ct_ok(info, NFGATE_CT_F_ORIGSRC << i,
				  !((a ^ info->addr[i]) & info->mask[i])))
			return false;
	}
	if (!nfgate_ct_ok(info, NFGATE_CT_F_PROTO,
			  nf_ct_protonum(ct) == info->proto))
		return false;
	for (i = 0; i < CT_NADDR; i++) {
		const struct nf_conntrack_tuple *tu = t[i / 2];

		p = ntohs(i & 1 ? tu->dst.u.all : tu->src.u.all);
		if (!nfgate_ct_ok(info, NFGATE_CT_F_ORIGSRCPORT << i,
				  p >= info->port[i][0] &&
				  p <= info->port[i][1]))
			return false;
	}
	if (!nfgate_ct_ok(info, NFGATE_CT_F_STATUS,
			  READ_ONCE(ct->status) & info->status))
		return false;
	if (info->flags & NFGATE_CT_F_EXPIRE) {
		unsigned long left = nf_ct_expires(ct) / HZ;

		if (!nfgate_ct_ok(info, NFGATE_CT_F_EXPIRE,
				  left >= info->expire[0] &&
				  left <= info->expire[1]))
			return false;
	}
	return true;
}

static int nfgate_ct_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_ct *ct = priv;
	unsigned int i;

	if ((ct->inv && nla_put_u32(skb, NFGATE_CONNTRACK_A_INV, ct->inv)) ||
	    ((ct->flags & NFGATE_CT_F_STATE) &&
	     nla_put_u32(skb, NFGATE_CONNTRACK_A_STATE, ct->state)) ||
	    ((ct->flags & NFGATE_CT_F_STATUS) &&
	     nla_put_u32(skb, NFGATE_CONNTRACK_A_STATUS, ct->status)) ||
	    ((ct->flags & NFGATE_CT_F_PROTO) &&
	     nla_put_u8(skb, NFGATE_CONNTRACK_A_PROTO, ct->proto)))
		return -EMSGSIZE;
	for (i = 0; i < CT_NADDR; i++) {
		if (!(ct->flags & (NFGATE_CT_F_ORIGSRC << i)))
			continue;
		if (nla_put_be32(skb, nfgate_ct_addr_attr[i], ct->addr[i]) ||
		    nla_put_be32(skb, nfgate_ct_addr_attr[i] + 1, ct->mask[i]))
			return -EMSGSIZE;
	}
	for (i = 0; i < CT_NADDR; i++) {
		if (!(ct->flags & (NFGATE_CT_F_ORIGSRCPORT << i)))
			continue;
		if (nla_put_u16(skb, nfgate_ct_port_attr[i], ct->port[i][0]) ||
		    nla_put_u16(skb, nfgate_ct_port_attr[i] + 1,
				ct->port[i][1]))
			return -EMSGSIZE;
	}
	if (((ct->flags & NFGATE_CT_F_DIR) &&
	     nla_put_u8(skb, NFGATE_CONNTRACK_A_DIR, ct->dir)) ||
	    ((ct->flags & NFGATE_CT_F_EXPIRE) &&
	     (nla_put_u32(skb, NFGATE_CONNTRACK_A_EXPIRE_MIN, ct->expire[0]) ||
	      nla_put_u32(skb, NFGATE_CONNTRACK_A_EXPIRE_MAX, ct->expire[1]))))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_conntrack = {
	.name		= "conntrack",
	.size		= sizeof(struct nfgate_ct),
	.policy		= nfgate_ct_policy,
	.maxattr	= NFGATE_CONNTRACK_A_MAX,
	.conntrack	= true,
	.init		= nfgate_ct_init,
	.match		= nfgate_ct_match,
	.dump		= nfgate_ct_dump,
};
