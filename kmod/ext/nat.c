// SPDX-License-Identifier: GPL-2.0
/*
 * The attributes of the nat targets as the struct nf_nat_range2 the nat
 * core takes (nf_nat_setup_info(), nf_nat_masquerade_ipv4(),
 * nf_nat_redirect_ipv4()), kept as the targets' private data so that the
 * packet path passes it as it is.  The struct is zeroed before init and
 * only its fields are written, so its tail padding stays zero and two
 * equal ranges compare equal with memcmp.
 */
#include <linux/in.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_nat.h>

#include "../match.h"
#include "../netns.h"
#include "../txn.h"
#include "nat.h"

const struct nla_policy nfgate_nat_policy[NFGATE_NAT_A_MAX + 1] = {
	[NFGATE_NAT_A_FLAGS]	 = NLA_POLICY_MASK(NLA_U32, NF_NAT_RANGE_MASK),
	[NFGATE_NAT_A_MIN_ADDR]	 = { .type = NLA_BE32 },
	[NFGATE_NAT_A_MAX_ADDR]	 = { .type = NLA_BE32 },
	[NFGATE_NAT_A_MIN_PORT]	 = { .type = NLA_U16 },
	[NFGATE_NAT_A_MAX_PORT]	 = { .type = NLA_U16 },
	[NFGATE_NAT_A_BASE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* Protocols whose rules may map ports (iptables' "portok"). */
static bool nfgate_nat_portok(const struct nfgate_match *m)
{
	if (!(m->present & NFGATE_M_PROTO))
		return false;
	switch (m->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_ICMP:
		return true;
	}
	return false;
}

/* An attribute present exactly when @flag is set in @flags. */
static int nfgate_nat_want(const struct nfgate_ext_ctx *ctx,
			   struct nlattr **tb, int type, u32 flags, u32 flag,
			   const char *kind, const char *what)
{
	struct nfgate_net *nn = nfgate_pernet(ctx->net);

	if (!!tb[type] == !!(flags & flag))
		return 0;
	if (tb[type]) {
		nfgate_extack_fmt(nn, ctx->extack, "%s: %s without its flag",
				  kind, what);
		NL_SET_BAD_ATTR(ctx->extack, tb[type]);
	} else {
		nfgate_extack_fmt(nn, ctx->extack, "%s: flag set, %s missing",
				  kind, what);
	}
	return -EINVAL;
}

/*
 * Fill @range from @tb for the target @kind, which takes the flags in
 * @allowed.  Everything the nat core would take on trust is checked here:
 * ordered ranges, ports only for protocols that have them.
 */
int nfgate_nat_init(const struct nfgate_ext_ctx *ctx, struct nlattr **tb,
		    const char *kind, unsigned int allowed,
		    struct nf_nat_range2 *range)
{
	struct nfgate_net *nn = nfgate_pernet(ctx->net);
	u32 flags = 0;
	int err;

	if (tb[NFGATE_NAT_A_FLAGS])
		flags = nla_get_u32(tb[NFGATE_NAT_A_FLAGS]);
	if (flags & ~allowed) {
		nfgate_extack_fmt(nn, ctx->extack,
				  "%s does not take NAT flags 0x%x", kind,
				  flags & ~allowed);
		NL_SET_BAD_ATTR(ctx->extack, tb[NFGATE_NAT_A_FLAGS]);
		return -EINVAL;
	}
	err = nfgate_nat_want(ctx, tb, NFGATE_NAT_A_MIN_ADDR, flags,
			      NF_NAT_RANGE_MAP_IPS, kind, "MIN_ADDR");
	if (!err)
		err = nfgate_nat_want(ctx, tb, NFGATE_NAT_A_MAX_ADDR, flags,
				      NF_NAT_RANGE_MAP_IPS, kind, "MAX_ADDR");
	if (!err)
		err = nfgate_nat_want(ctx, tb, NFGATE_NAT_A_MIN_PORT, flags,
				      NF_NAT_RANGE_PROTO_SPECIFIED, kind,
				      "MIN_PORT");
	if (!err)
		err = nfgate_nat_want(ctx, tb, NFGATE_NAT_A_MAX_PORT, flags,
				      NF_NAT_RANGE_PROTO_SPECIFIED, kind,
				      "MAX_PORT");
	if (!err)
		err = nfgate_nat_want(ctx, tb, NFGATE_NAT_A_BASE_PORT, flags,
				      NF_NAT_RANGE_PROTO_OFFSET, kind,
				      "BASE_PORT");
	if (err)
		return err;
	if ((flags & NF_NAT_RANGE_PROTO_OFFSET) &&
	    !(flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
		nfgate_extack_fmt(nn, ctx->extack,
				  "%s: a base port needs a port range", kind);
		return -EINVAL;
	}

	range->flags = flags;
	if (flags & NF_NAT_RANGE_MAP_IPS) {
		range->min_addr.ip = nla_get_be32(tb[NFGATE_NAT_A_MIN_ADDR]);
		range->max_addr.ip = nla_get_be32(tb[NFGATE_NAT_A_MAX_ADDR]);
		if (ntohl(range->min_addr.ip) > ntohl(range->max_addr.ip)) {
			nfgate_extack_fmt(nn, ctx->extack,
					  "%s: address range ends before it starts",
					  kind);
			NL_SET_BAD_ATTR(ctx->extack, tb[NFGATE_NAT_A_MAX_ADDR]);
			return -EINVAL;
		}
	}
	if (flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
		u16 min = nla_get_u16(tb[NFGATE_NAT_A_MIN_PORT]);
		u16 max = nla_get_u16(tb[NFGATE_NAT_A_MAX_PORT]);

		if (!nfgate_nat_portok(ctx->m)) {
			nfgate_extack_fmt(nn, ctx->extack,
					  "%s: ports need protocol tcp, udp, sctp, dccp or icmp",
					  kind);
			return -EINVAL;
		}
		if (min > max) {
			nfgate_extack_fmt(nn, ctx->extack,
					  "%s: port range ends before it starts",
					  kind);
			NL_SET_BAD_ATTR(ctx->extack, tb[NFGATE_NAT_A_MAX_PORT]);
			return -EINVAL;
		}
		range->min_proto.all = htons(min);
		range->max_proto.all = htons(max);
	}
	if (flags & NF_NAT_RANGE_PROTO_OFFSET)
		range->base_proto.all =
			htons(nla_get_u16(tb[NFGATE_NAT_A_BASE_PORT]));
	return 0;
}

/*
 * DNAT and SNAT: @range as the binding of one side of the connection,
 * which needs an address or a port range to bind to.
 */
int nfgate_nat_binding_init(const struct nfgate_ext_ctx *ctx,
			    struct nlattr **tb, const char *kind,
			    unsigned int allowed, struct nf_nat_range2 *range)
{
	int err;

	err = nfgate_nat_init(ctx, tb, kind, allowed, range);
	if (err)
		return err;
	if (!(range->flags &
	      (NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED))) {
		nfgate_extack_fmt(nfgate_pernet(ctx->net), ctx->extack,
				  "%s needs an address or a port range", kind);
		return -EINVAL;
	}
	return 0;
}

unsigned int nfgate_nat_bind(struct nfgate_pkt *pkt,
			     const struct nf_nat_range2 *range,
			     enum nf_nat_manip_type manip)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	/*
	 * The nat core calls the nat chains only for a packet with a
	 * conntrack entry whose binding is not set up yet (new or related).
	 */
	ct = nf_ct_get(pkt->skb, &ctinfo);
	if (WARN_ON_ONCE(!ct))
		return NF_DROP;
	return nf_nat_setup_info(ct, range, manip);
}

int nfgate_nat_dump(struct sk_buff *skb, const void *priv)
{
	const struct nf_nat_range2 *range = priv;
	u32 flags = range->flags;

	if (nla_put_u32(skb, NFGATE_NAT_A_FLAGS, flags))
		return -EMSGSIZE;
	if ((flags & NF_NAT_RANGE_MAP_IPS) &&
	    (nla_put_be32(skb, NFGATE_NAT_A_MIN_ADDR, range->min_addr.ip) ||
	     nla_put_be32(skb, NFGATE_NAT_A_MAX_ADDR, range->max_addr.ip)))
		return -EMSGSIZE;
	if ((flags & NF_NAT_RANGE_PROTO_SPECIFIED) &&
	    (nla_put_u16(skb, NFGATE_NAT_A_MIN_PORT,
			 ntohs(range->min_proto.all)) ||
	     nla_put_u16(skb, NFGATE_NAT_A_MAX_PORT,
			 ntohs(range->max_proto.all))))
		return -EMSGSIZE;
	if ((flags & NF_NAT_RANGE_PROTO_OFFSET) &&
	    nla_put_u16(skb, NFGATE_NAT_A_BASE_PORT,
			ntohs(range->base_proto.all)))
		return -EMSGSIZE;
	return 0;
}
