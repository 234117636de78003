// SPDX-License-Identifier: GPL-2.0
/*
 * "LOG" target: -j LOG [--log-level L] [--log-prefix P] [--log-tcp-sequence]
 * [--log-tcp-options] [--log-ip-options] [--log-uid] [--log-macdecode].
 * One kernel log line per packet through the IPv4 syslog logger
 * (nf_log_syslog), then the next rule, as xt_LOG.  Each rule holds a
 * reference on the logger, taken in init and dropped in destroy, so the
 * logger cannot go away while a rule may use it.  nf_log_syslog logs for
 * namespaces other than init_net only when net.netfilter.nf_log_all_netns
 * is 1, as for iptables.
 */
#include <linux/kmod.h>
#include <linux/netfilter.h>
#include <linux/string.h>
#include <net/netfilter/nf_log.h>

#include "../ext.h"
#include "../match.h"

#define NFGATE_LOG_DEFAULT_LEVEL	4	/* LOG_WARNING */

struct nfgate_log {
	u8	level;
	u8	zero[3];
	u32	flags;
	char	prefix[NFGATE_LOG_PREFIXLEN];
	u8	zero2[2];
};

static const struct nla_policy nfgate_log_policy[NFGATE_LOG_A_MAX + 1] = {
	[NFGATE_LOG_A_LEVEL]	= NLA_POLICY_MAX(NLA_U8, 7),
	[NFGATE_LOG_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, NFGATE_LOG_FLAGS),
	[NFGATE_LOG_A_PREFIX]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_LOG_PREFIXLEN - 1 },
};

static int nfgate_log_init(const struct nfgate_ext_ctx *ctx,
			   struct nlattr **tb, void *priv)
{
	struct nfgate_log *l = priv;
	int err;

	l->level = NFGATE_LOG_DEFAULT_LEVEL;
	if (tb[NFGATE_LOG_A_LEVEL])
		l->level = nla_get_u8(tb[NFGATE_LOG_A_LEVEL]);
	if (tb[NFGATE_LOG_A_FLAGS])
		l->flags = nla_get_u32(tb[NFGATE_LOG_A_FLAGS]);
	/* priv is zeroed: the bytes after the NUL compare equal */
	if (tb[NFGATE_LOG_A_PREFIX]) {
		if (strchr(nla_data(tb[NFGATE_LOG_A_PREFIX]), '\n')) {
			NL_SET_ERR_MSG_ATTR(ctx->extack, tb[NFGATE_LOG_A_PREFIX],
					    "LOG: newlines not allowed in the prefix");
			return -EINVAL;
		}
		nla_strscpy(l->prefix, tb[NFGATE_LOG_A_PREFIX],
			    sizeof(l->prefix));
	}

	err = nf_logger_find_get(NFPROTO_IPV4, NF_LOG_TYPE_LOG);
	if (err) {
		request_module("%s", "nf_log_syslog");
		err = nf_logger_find_get(NFPROTO_IPV4, NF_LOG_TYPE_LOG);
	}
	if (err) {
		NL_SET_ERR_MSG(ctx->extack,
			       "LOG: no IPv4 syslog logger (modprobe nf_log_syslog)");
		return err;
	}
	return 0;
}

static void nfgate_log_destroy(struct net *net, void *priv)
{
	nf_logger_put(NFPROTO_IPV4, NF_LOG_TYPE_LOG);
}

static unsigned int nfgate_log_target(const void *priv, struct nfgate_pkt *pkt)
{
	const struct nfgate_log *l = priv;
	struct nf_loginfo li = {
		.type = NF_LOG_TYPE_LOG,
		.u.log.level = l->level,
		.u.log.logflags = l->flags,
	};

	nf_log_packet(pkt->state->net, NFPROTO_IPV4, pkt->state->hook,
		      pkt->skb, pkt->in, pkt->out, &li, "%s", l->prefix);
	return NFGATE_EXT_CONTINUE;
}

static int nfgate_log_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_log *l = priv;

	if (nla_put_u8(skb, NFGATE_LOG_A_LEVEL, l->level) ||
	    nla_put_u32(skb, NFGATE_LOG_A_FLAGS, l->flags))
		return -EMSGSIZE;
	if (l->prefix[0] && nla_put_string(skb, NFGATE_LOG_A_PREFIX, l->prefix))
		return -EMSGSIZE;
	return 0;
}

const struct nfgate_ext_ops nfgate_ext_LOG = {
	.name		= "LOG",
	.is_target	= true,
	.size		= sizeof(struct nfgate_log),
	.policy		= nfgate_log_policy,
	.maxattr	= NFGATE_LOG_A_MAX,
	.init		= nfgate_log_init,
	.destroy	= nfgate_log_destroy,
	.target		= nfgate_log_target,
	.dump		= nfgate_log_dump,
};
