// SPDX-License-Identifier: GPL-2.0
/*
 * "comment" match: -m comment --comment TEXT.  Matches every packet; the
 * text is kept for listings (as xt_comment, 255 bytes at most).
 */
#include <linux/string.h>

#include "../ext.h"

struct nfgate_comment {
	char	text[NFGATE_COMMENT_MAXLEN];
};

static const struct nla_policy nfgate_comment_policy[NFGATE_COMMENT_A_MAX + 1] = {
	[NFGATE_COMMENT_A_TEXT]	= { .type = NLA_NUL_STRING,
				    .len = NFGATE_COMMENT_MAXLEN - 1 },
};

static int nfgate_comment_init(const struct nfgate_ext_ctx *ctx,
			       struct nlattr **tb, void *priv)
{
	struct nfgate_comment *c = priv;

	if (!tb[NFGATE_COMMENT_A_TEXT]) {
		NL_SET_ERR_MSG(ctx->extack, "comment without TEXT");
		return -EINVAL;
	}
	/* priv is zeroed: the bytes after the NUL compare equal */
	nla_strscpy(c->text, tb[NFGATE_COMMENT_A_TEXT], sizeof(c->text));
	return 0;
}

static int nfgate_comment_dump(struct sk_buff *skb, const void *priv)
{
	const struct nfgate_comment *c = priv;

	return nla_put_string(skb, NFGATE_COMMENT_A_TEXT, c->text);
}

const struct nfgate_ext_ops nfgate_ext_comment = {
	.name		= "comment",
	.size		= sizeof(struct nfgate_comment),
	.policy		= nfgate_comment_policy,
	.maxattr	= NFGATE_COMMENT_A_MAX,
	.init		= nfgate_comment_init,
	.dump		= nfgate_comment_dump,
};
