/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ext.c: match and target extensions (-m NAME, -j NAME).  Each kind is one
 * file in kmod/ext/ with a struct nfgate_ext_ops, listed once in ext.c's
 * registry.  A rule that uses extensions points to one immutable block
 * holding them in rule order (Documentation/design.rst, Extensions); a
 * rule without them pays nothing.
 */
#ifndef _NFGATE_EXT_H
#define _NFGATE_EXT_H

#include <linux/types.h>
#include <net/netlink.h>

#include <linux/nfgate.h>

struct net;
struct nfgate_chain;
struct nfgate_match;
struct nfgate_pkt;

/* What an extension's init sees of the rule it is part of. */
struct nfgate_ext_ctx {
	struct net			*net;
	const struct nfgate_chain	*chain;
	u8				table;		/* NFGATE_TABLE_* */
	const struct nfgate_match	*m;		/* the rule's core match */
	struct netlink_ext_ack		*extack;
	/* the rule's extensions before this one, already initialized */
	const struct nfgate_ext_block	*block;
};

/* A target's "go on with the next rule", as XT_CONTINUE. */
#define NFGATE_EXT_CONTINUE	0xFFFFFFFFU

struct nfgate_ext_ops {
	const char		*name;		/* iptables' name, case matters */
	bool			is_target;	/* -j NAME, not -m NAME */
	unsigned int		size;		/* bytes of private data */
	/* bytes of it that say what the rule is (delete by specification
	 * compares them); the rest is state the packet path changes.
	 * 0: all of it.
	 */
	unsigned int		cmp_size;
	const struct nla_policy	*policy;	/* of NFGATE_EXT_A_DATA */
	unsigned int		maxattr;
	unsigned int		tables;		/* BIT(NFGATE_TABLE_*); 0: all */
	unsigned int		hooks;		/* BIT(NF_INET_*); 0: all */
	/*
	 * The hooks one instance allows, when they depend on its data
	 * (TCPMSS --clamp-mss-to-pmtu); called after init.  NULL: .hooks.
	 */
	unsigned int	(*hooks_of)(const void *priv);
	bool			conntrack;	/* needs conntrack in the netns */
	/*
	 * Whether evaluating this instance changes state (nth counter,
	 * token bucket): its rule is then tried strictly in order
	 * (classify.c).  Called after init; NULL: never.  A kind that
	 * always is uses nfgate_ext_always_ordered.
	 */
	bool	(*ordered)(const void *priv);
	/*
	 * Fill priv (zeroed) from tb, already checked against policy.  Two
	 * rules are the same (delete by specification) when their private
	 * data compare equal byte for byte, so init must normalize.
	 * Returns 0, or an error with an extack message.
	 */
	int	(*init)(const struct nfgate_ext_ctx *ctx, struct nlattr **tb,
			void *priv);
	/* Release what init took; process context.  May be NULL. */
	void	(*destroy)(struct net *net, void *priv);
	/*
	 * Packet path (RCU, BH off), never sleeps.  A match may set
	 * pkt->hotdrop.  NULL for a match that matches every packet
	 * (comment), which is then skipped.
	 */
	bool	(*match)(const void *priv, struct nfgate_pkt *pkt);
	/* An NF_* verdict, or NFGATE_EXT_CONTINUE. */
	unsigned int (*target)(const void *priv, struct nfgate_pkt *pkt);
	/* The attributes of NFGATE_EXT_A_DATA, as init took them. */
	int	(*dump)(struct sk_buff *skb, const void *priv);
};

/* One extension in a block; private data follows, 8-byte aligned. */
struct nfgate_ext {
	const struct nfgate_ext_ops	*ops;
	u16				size;	/* of this entry, with data */
	u8				data[] __aligned(8);
};

/*
 * A rule's extensions, immutable once the rule exists: the matches in
 * order, then the target if any.  The jump target of a rule with
 * extensions lives here too (struct nfgate_rule keeps one pointer).
 */
struct nfgate_ext_block {
	struct net			*net;
	struct nfgate_chain		*jump;		/* JUMP/GOTO, or NULL */
	const struct nfgate_ext		*target;	/* in data[], or NULL */
	unsigned int			hooks;		/* all allowed; 0: none */
	u16				len;		/* bytes of data[] */
	u8				nmatch;		/* with a match fn */
	bool				conntrack;	/* holds nf_ct_netns_get */
	bool				ordered;	/* one kind is */
	bool				l4_late;	/* tcp/udp after a match */
	bool				ports_late;	/* ...after an ordered one */
	u8				data[] __aligned(8);
};

int nfgate_ext_parse(const struct nfgate_ext_ctx *ctx,
		     const struct nlattr *matches, const struct nlattr *target,
		     struct nfgate_ext_block **blockp);
bool nfgate_ext_always_ordered(const void *priv);
bool nfgate_ext_ctx_has(const struct nfgate_ext_ctx *ctx,
			const struct nfgate_ext_ops *ops,
			bool (*test)(const void *priv));
bool nfgate_tcp_syn_only(const void *priv);
void nfgate_ext_block_free(struct nfgate_ext_block *b);
bool nfgate_ext_block_equal(const struct nfgate_ext_block *a,
			    const struct nfgate_ext_block *b);
bool nfgate_ext_match(const struct nfgate_ext_block *b,
		      const struct nfgate_match *m,
		      struct nfgate_pkt *pkt);
void nfgate_ext_l4_drop(const struct nfgate_ext_block *b,
			struct nfgate_pkt *pkt);
const char *nfgate_ext_denier(const struct nfgate_ext_block *b,
			      unsigned int hook);
int nfgate_ext_fill_matches(struct sk_buff *skb,
			    const struct nfgate_ext_block *b);
int nfgate_ext_fill_target(struct sk_buff *skb,
			   const struct nfgate_ext_block *b);

static inline unsigned int nfgate_ext_target(const struct nfgate_ext_block *b,
					     struct nfgate_pkt *pkt)
{
	return b->target->ops->target(b->target->data, pkt);
}

/* The kinds, each defined in kmod/ext/<name>.c. */
extern const struct nfgate_ext_ops nfgate_ext_comment;
extern const struct nfgate_ext_ops nfgate_ext_mark;
extern const struct nfgate_ext_ops nfgate_ext_MARK;
extern const struct nfgate_ext_ops nfgate_ext_tcp;
extern const struct nfgate_ext_ops nfgate_ext_udp;
extern const struct nfgate_ext_ops nfgate_ext_limit;
extern const struct nfgate_ext_ops nfgate_ext_conntrack;
extern const struct nfgate_ext_ops nfgate_ext_state;
extern const struct nfgate_ext_ops nfgate_ext_connmark;
extern const struct nfgate_ext_ops nfgate_ext_CONNMARK;
extern const struct nfgate_ext_ops nfgate_ext_statistic;
extern const struct nfgate_ext_ops nfgate_ext_CT;
extern const struct nfgate_ext_ops nfgate_ext_NOTRACK;
extern const struct nfgate_ext_ops nfgate_ext_REJECT;
extern const struct nfgate_ext_ops nfgate_ext_LOG;
extern const struct nfgate_ext_ops nfgate_ext_NFQUEUE;
extern const struct nfgate_ext_ops nfgate_ext_QUEUE;
extern const struct nfgate_ext_ops nfgate_ext_addrtype;
extern const struct nfgate_ext_ops nfgate_ext_DNAT;
extern const struct nfgate_ext_ops nfgate_ext_SNAT;
extern const struct nfgate_ext_ops nfgate_ext_MASQUERADE;
extern const struct nfgate_ext_ops nfgate_ext_REDIRECT;
extern const struct nfgate_ext_ops nfgate_ext_icmp;
extern const struct nfgate_ext_ops nfgate_ext_multiport;
extern const struct nfgate_ext_ops nfgate_ext_TCPMSS;
extern const struct nfgate_ext_ops nfgate_ext_CHECKSUM;
extern const struct nfgate_ext_ops nfgate_ext_TTL;
extern const struct nfgate_ext_ops nfgate_ext_NFLOG;
extern const struct nfgate_ext_ops nfgate_ext_iprange;
extern const struct nfgate_ext_ops nfgate_ext_length;
extern const struct nfgate_ext_ops nfgate_ext_ttl;
extern const struct nfgate_ext_ops nfgate_ext_pkttype;
extern const struct nfgate_ext_ops nfgate_ext_mac;
extern const struct nfgate_ext_ops nfgate_ext_owner;
extern const struct nfgate_ext_ops nfgate_ext_recent;
extern const struct nfgate_ext_ops nfgate_ext_connlimit;
extern const struct nfgate_ext_ops nfgate_ext_nfacct;
extern const struct nfgate_ext_ops nfgate_ext_hashlimit;

#endif /* _NFGATE_EXT_H */
