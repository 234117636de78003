// SPDX-License-Identifier: GPL-2.0
/*
 * "TCPMSS" target: -j TCPMSS --set-mss N | --clamp-mss-to-pmtu.  Lowers
 * the MSS option of a TCP SYN, as xt_TCPMSS: to N, or to the smaller of
 * the MTU of the packet's route and of the route back to its sender,
 * minus the IPv4 and TCP headers.  An MSS already at or below the new
 * value is left alone; a SYN without the option and without payload gets
 * one (at most 536, RFC 1122's default), the IPv4 length and both
 * checksums fixed.  Then the next rule.
 *
 * As xt_TCPMSS's checkentry: the rule needs -p tcp (not inverted) and a
 * tcp match before the target whose --tcp-flags test needs SYN (--syn),
 * and clamping needs a route, so FORWARD, OUTPUT and POSTROUTING only.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_tcpmss {
	u16	mss;	/* NFGATE_TCPMSS_CLAMP_PMTU: clamp */
};

static const struct nla_policy nfgate_tcpmss_policy[NFGATE_TCPMSS_A_MAX + 1] = {
	[NFGATE_TCPMSS_A_MSS]	= { .type = NLA_U16 },
};

#define NFGATE_TCPMSS_CLAMP_HOOKS	(BIT(NF_INET_FORWARD) | \
					 BIT(NF_INET_LOCAL_OUT) | \
					 BIT(NF_INET_POST_ROUTING))

static int nfgate_tcpmss_init(const struct nfgate_ext_ctx *ctx,
			      struct nlattr **tb, void *priv)
{
	const struct nfgate_match *m = ctx->m;
	struct nfgate_tcpmss *t = priv;

	if (!tb[NFGATE_TCPMSS_A_MSS]) {
		NL_SET_ERR_MSG(ctx->extack,
			       "TCPMSS: MSS (--set-mss or --clamp-mss-to-pmtu) is required");
		return -EINVAL;
	}
	t->mss = nla_get_u16(tb[NFGATE_TCPMSS_A_MSS]);
	if (!(m->present & NFGATE_M_PROTO) || m->proto != IPPROTO_TCP ||
	    (m->inv & NFGATE_M_PROTO)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "TCPMSS: only valid with -p tcp, not inverted");
		return -EINVAL;
	}
	if (!nfgate_ext_ctx_has(ctx, &nfgate_ext_tcp, nfgate_tcp_syn_only)) {
		NL_SET_ERR_MSG(ctx->extack,
			       "TCPMSS: only works on TCP SYN packets (add -m tcp --syn or --tcp-flags with SYN)");
		return -EINVAL;
	}
	return 0;
}

static unsigned int nfgate_tcpmss_hooks(const void *priv)
{
	const struct nfgate_tcpmss *t = priv;

	return t->mss == NFGATE_TCPMSS_CLAMP_PMTU ?
	       NFGATE_TCPMSS_CLAMP_HOOKS : 0;
}

/* The MTU of the route back to the packet's sender; ~0U without one. */
static u32 nfgate_tcpmss_reverse_mtu(struct net *net,
				     const struct sk_buff *skb)
{
	struct dst_entry *dst = NULL;
	struct flowi fl = {};
	u32 mtu = ~0U;

	fl.u.ip4.daddr = ip_hdr(skb)->saddr;
	nf_route(net, &dst, &fl, false, NFPROTO_IPV4);
	if (dst) {
		mtu = dst_mtu(dst);
		dst_release(dst);
	}
	return mtu;
}

static unsigned int nfgate_tcpmss_optlen(const u8 *opt, unsigned int i)
{
	/* NOP, EOL and zero lengths step one byte: always progress */
	if (opt[i] <= TCPOPT_NOP || opt[i + 1] == 0)
		return 1;
	return opt[i + 1];
}

/* Bytes added to the packet (0 or TCPOLEN_MSS), or -1 to drop it. */
static int nfgate_tcpmss_mangle(const struct nfgate_tcpmss *t,
				struct nfgate_pkt *pkt)
{
	unsigned int minlen = sizeof(struct iphdr) + sizeof(struct tcphdr);
	struct sk_buff *skb = pkt->skb;
	unsigned int tcphoff = ip_hdrlen(skb);
	int len, tcp_hdrlen;
	struct tcphdr *th;
	unsigned int i;
	__be16 oldval;
	u16 newmss;
	u8 *opt;

	if (pkt->fragoff)
		return 0;
	if (skb_ensure_writable(skb, skb->len))
		return -1;
	len = skb->len - tcphoff;
	if (len < (int)sizeof(struct tcphdr))
		return -1;
	th = (struct tcphdr *)(skb_network_header(skb) + tcphoff);
	tcp_hdrlen = th->doff * 4;
	if (len < tcp_hdrlen || tcp_hdrlen < sizeof(struct tcphdr))
		return -1;

	if (t->mss == NFGATE_TCPMSS_CLAMP_PMTU) {
		u32 in_mtu = nfgate_tcpmss_reverse_mtu(pkt->state->net, skb);
		u32 min_mtu;

		if (!skb_dst(skb))
			return -1;
		min_mtu = min(dst_mtu(skb_dst(skb)), in_mtu);
		if (min_mtu <= minlen) {
			net_err_ratelimited("nfgate: TCPMSS: unknown or invalid path-MTU (%u)\n",
					    min_mtu);
			return -1;
		}
		newmss = min_mtu - minlen;
	} else {
		newmss = t->mss;
	}

	opt = (u8 *)th;
	for (i = sizeof(struct tcphdr); i + TCPOLEN_MSS <= tcp_hdrlen;
	     i += nfgate_tcpmss_optlen(opt, i)) {
		u16 oldmss;

		if (opt[i] != TCPOPT_MSS || opt[i + 1] != TCPOLEN_MSS)
			continue;
		oldmss = (opt[i + 2] << 8) | opt[i + 3];
		/* never raise it, even with --set-mss */
		if (oldmss <= newmss)
			return 0;
		opt[i + 2] = newmss >> 8;
		opt[i + 3] = newmss & 0xff;
		inet_proto_csum_replace2(&th->check, skb, htons(oldmss),
					 htons(newmss), false);
		return 0;
	}

	/*
	 * No MSS option.  With payload after the header, adding one would
	 * move it (and might make the SYN too large): leave the packet.
	 */
	if (len > tcp_hdrlen)
		return 0;
	/* doff has four bits */
	if (tcp_hdrlen >= 15 * 4)
		return 0;

	if (skb_tailroom(skb) < TCPOLEN_MSS) {
		if (pskb_expand_head(skb, 0, TCPOLEN_MSS - skb_tailroom(skb),
				     GFP_ATOMIC))
			return -1;
		th = (struct tcphdr *)(skb_network_header(skb) + tcphoff);
	}
	skb_put(skb, TCPOLEN_MSS);

	/* RFC 1122: without the option the peer assumes 536 */
	newmss = min_t(u16, newmss, 536);

	opt = (u8 *)th + sizeof(struct tcphdr);
	memmove(opt + TCPOLEN_MSS, opt, len - sizeof(struct tcphdr));
	/* the pseudo header's TCP length grows */
	inet_proto_csum_replace2(&th->check, skb, htons(len),
				 htons(len + TCPOLEN_MSS), true);
	opt[0] = TCPOPT_MSS;
	opt[1] = TCPOLEN_MSS;
	opt[2] = newmss >> 8;
	opt[3] = newmss & 0xff;
	inet_proto_csum_replace4(&th->check, skb, 0, *((__be32 *)opt), false);

	/* doff shares its 16-bit word with the flags */
	oldval = ((__be16 *)th)[6];
	th->doff += TCPOLEN_MSS / 4;
	inet_proto_csum_replace2(&th->check, skb, oldval, ((__be16 *)th)[6],
				 false);
	return TCPOLEN_MSS;
}

static unsigned int nfgate_tcpmss_target(const void *priv,
					 struct nfgate_pkt *pkt)
{
	struct iphdr *iph;
	__be16 newlen;
	int ret;

	ret = nfgate_tcpmss_mangle(priv, pkt);
	if (ret < 0)
		return NF_DROP;
	if (ret > 0) {
		iph = ip_hdr(pkt->skb);
		newlen = htons(ntohs(iph->tot_len) + ret);
		csum_replace2(&iph->check, iph->tot_len, newlen);
		iph->tot_len = newlen;
	}
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_tcpmss_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_tcpmss *t = priv;

	return nla_put_u16(skb, NFGATE_TCPMSS_A_MSS, t->mss);
}

const struct nfgate_ext_ops nfgate_ext_TCPMSS = {
	.name		= "TCPMSS",
	.is_target	= true,
	.size		= sizeof(struct nfgate_tcpmss),
	.policy		= nfgate_tcpmss_policy,
	.maxattr	= NFGATE_TCPMSS_A_MAX,
	.hooks_of	= nfgate_tcpmss_hooks,
	.init		= nfgate_tcpmss_init,
	.target		= nfgate_tcpmss_target,
	.dump		= nfgate_tcpmss_dump,
};
