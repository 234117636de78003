// SPDX-License-Identifier: GPL-2.0
/*
 * "NFLOG" target: -j NFLOG [--nflog-group N] [--nflog-prefix P]
 * [--nflog-size N | --nflog-range N] [--nflog-threshold N].  Hands the
 * packet to the netlink logger (nfnetlink_log, NF_LOG_TYPE_ULOG), which
 * sends it to the listeners of the group, as xt_NFLOG; then the next
 * rule.  --nflog-range is kept (and listed) but, as in xt_NFLOG, only
 * --nflog-size (the COPY_LEN flag) limits the bytes copied.  Each rule
 * holds a reference on the logger, taken in init, dropped in destroy.
 */
#include <linux/kmod.h>
#include <linux/netfilter.h>
#include <net/netfilter/nf_log.h>

#include "../ext.h"
#include "../match.h"

struct nfgate_nflog {
	u32	len;
	u16	group;
	u16	threshold;
	u16	flags;
	char	prefix[NFGATE_NFLOG_PREFIXLEN];
	u8	zero[2];
};

static const struct nla_policy nfgate_nflog_policy[NFGATE_NFLOG_A_MAX + 1] = {
	[NFGATE_NFLOG_A_GROUP]		= { .type = NLA_U16 },
	[NFGATE_NFLOG_A_PREFIX]		= { .type = NLA_NUL_STRING,
					    .len = NFGATE_NFLOG_PREFIXLEN - 1 },
	[NFGATE_NFLOG_A_LEN]		= { .type = NLA_U32 },
	[NFGATE_NFLOG_A_THRESHOLD]	= { .type = NLA_U16 },
	[NFGATE_NFLOG_A_FLAGS]		= NLA_POLICY_MASK(NLA_U16,
							  NFGATE_NFLOG_FLAGS),
};

static int nfgate_nflog_init(const struct nfgate_ext_ctx *ctx,
			     struct nlattr **tb, void *priv)
{
	struct nfgate_nflog *l = priv;
	int err;

	if (tb[NFGATE_NFLOG_A_GROUP])
		l->group = nla_get_u16(tb[NFGATE_NFLOG_A_GROUP]);
	if (tb[NFGATE_NFLOG_A_LEN])
		l->len = nla_get_u32(tb[NFGATE_NFLOG_A_LEN]);
	if (tb[NFGATE_NFLOG_A_THRESHOLD])
		l->threshold = nla_get_u16(tb[NFGATE_NFLOG_A_THRESHOLD]);
	if (tb[NFGATE_NFLOG_A_FLAGS])
		l->flags = nla_get_u16(tb[NFGATE_NFLOG_A_FLAGS]);
	/* priv is zeroed: the bytes after the NUL compare equal */
	if (tb[NFGATE_NFLOG_A_PREFIX])
		nla_strscpy(l->prefix, tb[NFGATE_NFLOG_A_PREFIX],
			    sizeof(l->prefix));

	err = nf_logger_find_get(NFPROTO_IPV4, NF_LOG_TYPE_ULOG);
	if (err) {
		request_module("%s", "nfnetlink_log");
		err = nf_logger_find_get(NFPROTO_IPV4, NF_LOG_TYPE_ULOG);
	}
	if (err) {
		NL_SET_ERR_MSG(ctx->extack,
			       "NFLOG: no netlink logger (modprobe nfnetlink_log)");
		return err;
	}
	return 0;
}

static void nfgate_nflog_destroy(struct net *net, void *priv)
{
	nf_logger_put(NFPROTO_IPV4, NF_LOG_TYPE_ULOG);
}

static unsigned int nfgate_nflog_target(const void *priv,
					struct nfgate_pkt *pkt)
{
	const struct nfgate_nflog *l = priv;
	struct nf_loginfo li = {
		.type			= NF_LOG_TYPE_ULOG,
		.u.ulog.copy_len	= l->len,
		.u.ulog.group		= l->group,
		.u.ulog.qthreshold	= l->threshold,
	};

	if (l->flags & NFGATE_NFLOG_F_COPY_LEN)
		li.u.ulog.flags |= NF_LOG_F_COPY_LEN;
	nf_log_packet(pkt->state->net, NFPROTO_IPV4, pkt->state->hook,
		      pkt->skb, pkt->in, pkt->out, &li, "%s", l->prefix);
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_nflog_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_nflog *l = priv;

	if (nla_put_u16(skb, NFGATE_NFLOG_A_GROUP, l->group))
		return -EMSGSIZE;
	if (l->prefix[0] && nla_put_string(skb, NFGATE_NFLOG_A_PREFIX, l->prefix))
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFGATE_NFLOG_A_LEN, l->len) ||
	    nla_put_u16(skb, NFGATE_NFLOG_A_THRESHOLD, l->threshold) ||
	    nla_put_u16(skb, NFGATE_NFLOG_A_FLAGS, l->flags))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_NFLOG = {
	.name		= "NFLOG",
	.is_target	= true,
	.size		= sizeof(struct nfgate_nflog),
	.policy		= nfgate_nflog_policy,
	.maxattr	= NFGATE_NFLOG_A_MAX,
	.init		= nfgate_nflog_init,
	.destroy	= nfgate_nflog_destroy,
	.target		= nfgate_nflog_target,
	.dump		= nfgate_nflog_dump,
};
