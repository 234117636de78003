/* SPDX-License-Identifier: GPL-2.0 */
/*
 * match.c: a rule's normalized match, what the packet path knows about a
 * packet, and the per-packet test of one against the other.
 */
#ifndef _NFGATE_MATCH_H
#define _NFGATE_MATCH_H

#include <linux/bits.h>
#include <linux/types.h>

struct net_device;
struct nf_hook_state;
struct nfgate_ifnames;
struct sk_buff;

#define NFGATE_M_SRC		BIT(0)
#define NFGATE_M_DST		BIT(1)
#define NFGATE_M_PROTO		BIT(2)
#define NFGATE_M_IIF		BIT(3)
#define NFGATE_M_OIF		BIT(4)
#define NFGATE_M_SPORT		BIT(5)
#define NFGATE_M_DPORT		BIT(6)
/* Only in .present: the interface name ended in '+'. */
#define NFGATE_M_IIF_WILD	BIT(7)
#define NFGATE_M_OIF_WILD	BIT(8)

/*
 * Normalized, padding-free (compared with memcmp): addresses are stored
 * already masked, unused fields are zero.  ifn is NULL unless the rule
 * matches on -i or -o; equal name pairs share one object, so comparing
 * the pointer compares the names.  verdict is not matched on: it is the
 * rule's target verdict (enum nfgate_verdict), kept in a spare byte so
 * that struct nfgate_rule has no hole for it, and so that the memcmp() of
 * nfgate_rule_equal() covers it (Documentation/design.rst, Memory).
 *
 * ext is nonzero (NFGATE_MX_*) when the rule points to a block of
 * extensions (ext.h), which then also holds its jump target.
 *
 * Layout (40 bytes): 16 addresses/masks, 4 present/inv, 8 ports,
 * proto, verdict, ext, 1 zero byte, 8 ifn.
 */
struct nfgate_match {
	__be32	src;
	__be32	smsk;
	__be32	dst;
	__be32	dmsk;
	u16	present;	/* NFGATE_M_* */
	u16	inv;		/* NFGATE_M_* that carry '!' */
	u16	sport[2];
	u16	dport[2];
	u8	proto;
	u8	verdict;	/* the rule's; see above */
	u8	ext;		/* NFGATE_MX_*: the rule has extensions */
	u8	zero;		/* explicit padding, always 0 */
	const struct nfgate_ifnames *ifn;	/* NULL: no -i/-o */
};

/* struct nfgate_match.ext */
#define NFGATE_MX_EXT		BIT(0)	/* a block of extensions */
#define NFGATE_MX_ORDERED	BIT(1)	/* one of them must run in order */
#define NFGATE_MX_PORTS_LATE	BIT(2)	/* ports tested at -m tcp/udp (ext.c) */

/* What the packet path knows about one packet. */
struct nfgate_pkt {
	struct sk_buff			*skb;
	const struct nf_hook_state	*state;
	const struct net_device		*in;
	const struct net_device		*out;
	__be32				saddr;
	__be32				daddr;
	unsigned int			thoff;
	u16				sport;
	u16				dport;
	u16				fragoff; /* IP fragment offset, 8 B units */
	u8				proto;
	u8				ports;	/* enum nfgate_ports_state */
	bool				hotdrop;
};

enum nfgate_ports_state {
	NFGATE_PORTS_UNKNOWN,
	NFGATE_PORTS_OK,
};

bool nfgate_match(const struct nfgate_match *m, struct nfgate_pkt *pkt);
bool nfgate_match_ports(const struct nfgate_match *m, struct nfgate_pkt *pkt);
bool nfgate_load_ports_quiet(struct nfgate_pkt *pkt);

#endif /* _NFGATE_MATCH_H */
