/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfgate generic netlink protocol: the one contract between the kernel
 * module (kmod/) and every user-space client (user/, selftests/).
 *
 * Documentation/protocol.rst describes every command and attribute; keep
 * both in step.  Numbers here are ABI: append, never renumber.
 */
#ifndef _UAPI_LINUX_NFGATE_H
#define _UAPI_LINUX_NFGATE_H

#include <linux/types.h>

#define NFGATE_GENL_NAME	"nfgate"
#define NFGATE_GENL_VERSION	1
#define NFGATE_MCGRP_EVENTS	"events"

/* Limits the kernel enforces; user space may check early for nicer errors. */
#define NFGATE_CHAIN_MAXNAMELEN	29	/* bytes including the NUL, as xtables */
#define NFGATE_IFNAMSIZ		16	/* bytes including the NUL, as IFNAMSIZ */
#define NFGATE_MAX_JUMP_DEPTH	16	/* nested -j CHAIN calls from a base chain */
#define NFGATE_TXN_ERRMSG_LEN	128	/* saved extack text of a failed staged op */
#define NFGATE_EXT_MAXNAMELEN	29	/* extension name incl. the NUL, as xtables */
#define NFGATE_MAX_RULE_EXTS	16	/* -m matches (plus one target) per rule */
#define NFGATE_MAX_EXT_BYTES	2048	/* kernel data of one rule's extensions */

/* Tables (NFGATE_A_TABLE). */
enum nfgate_table {
	NFGATE_TABLE_FILTER,
	NFGATE_TABLE_MANGLE,
	NFGATE_TABLE_RAW,	/* PREROUTING, OUTPUT at NF_IP_PRI_RAW */
	__NFGATE_TABLE_MAX
};
#define NFGATE_TABLE_MAX (__NFGATE_TABLE_MAX - 1)

/* Verdicts: chain policies (ACCEPT, DROP only) and rule targets. */
enum nfgate_verdict {
	NFGATE_VERDICT_NONE,	/* rule without -j: count and continue */
	NFGATE_VERDICT_ACCEPT,
	NFGATE_VERDICT_DROP,
	NFGATE_VERDICT_RETURN,
	NFGATE_VERDICT_JUMP,	/* -j CHAIN, NFGATE_TARGET_A_CHAIN names it */
	NFGATE_VERDICT_GOTO,	/* -g CHAIN */
	NFGATE_VERDICT_EXT,	/* -j NAME: an extension target, NFGATE_TARGET_A_EXT */
	__NFGATE_VERDICT_MAX
};
#define NFGATE_VERDICT_MAX (__NFGATE_VERDICT_MAX - 1)

enum nfgate_cmd {
	NFGATE_CMD_UNSPEC,
	NFGATE_CMD_NEWCHAIN,	/* TABLE, CHAIN: create a user chain (-N) */
	NFGATE_CMD_DELCHAIN,	/* TABLE, [CHAIN]: delete one or all user chains (-X) */
	NFGATE_CMD_FLUSH,	/* TABLE, [CHAIN]: delete the rules of one or all chains (-F) */
	NFGATE_CMD_SETPOLICY,	/* TABLE, CHAIN, POLICY, [COUNTERS] (-P) */
	NFGATE_CMD_NEWRULE,	/* TABLE, CHAIN, RULE, [POSITION]: append, or insert before POSITION (-A, -I) */
	NFGATE_CMD_DELRULE,	/* TABLE, CHAIN, one of HANDLE | POSITION | RULE (-D) */
	NFGATE_CMD_REPLACERULE,	/* TABLE, CHAIN, HANDLE | POSITION, RULE (-R) */
	NFGATE_CMD_ZERO,	/* TABLE, [CHAIN, [HANDLE | POSITION]]: zero counters (-Z) */
	NFGATE_CMD_GETCHAIN,	/* dump (NLM_F_DUMP): TABLE, [CHAIN] */
	NFGATE_CMD_GETRULE,	/* dump (NLM_F_DUMP): TABLE, [CHAIN] */
	NFGATE_CMD_TXN_BEGIN,	/* [GENERATION]: open a transaction bound to this socket */
	NFGATE_CMD_TXN_COMMIT,	/* [GENERATION]: apply all staged operations atomically */
	NFGATE_CMD_TXN_ABORT,	/* discard all staged operations */
	NFGATE_CMD_GETGEN,	/* reply: GENERATION */
	__NFGATE_CMD_MAX
};
#define NFGATE_CMD_MAX (__NFGATE_CMD_MAX - 1)

/* Top-level attributes. */
enum nfgate_attr {
	NFGATE_A_UNSPEC,
	NFGATE_A_TABLE,		/* u32, enum nfgate_table */
	NFGATE_A_CHAIN,		/* NUL-terminated string, < NFGATE_CHAIN_MAXNAMELEN */
	NFGATE_A_POLICY,	/* u32, NFGATE_VERDICT_ACCEPT or NFGATE_VERDICT_DROP */
	NFGATE_A_RULE,		/* nested, enum nfgate_rule_attr */
	NFGATE_A_HANDLE,	/* u64, rule handle (unique per netns, never reused) */
	NFGATE_A_POSITION,	/* u32, 1-based rule position in its chain */
	NFGATE_A_COUNTERS,	/* nested, enum nfgate_counters_attr: chain policy counters */
	NFGATE_A_CHAIN_FLAGS,	/* u32, NFGATE_CHAIN_F_* (dump only) */
	NFGATE_A_CHAIN_REFS,	/* u32, rules jumping to this chain (dump only) */
	NFGATE_A_CHAIN_RULES,	/* u32, rules in this chain (dump only) */
	NFGATE_A_GENERATION,	/* u64, ruleset generation id */
	NFGATE_A_TXN_OPS,	/* u32, operations staged so far (TXN_COMMIT reply) */
	NFGATE_A_PAD,
	__NFGATE_A_MAX
};
#define NFGATE_A_MAX (__NFGATE_A_MAX - 1)

#define NFGATE_CHAIN_F_BUILTIN	(1U << 0)

/* NFGATE_A_RULE: every match is optional; absent means "any". */
enum nfgate_rule_attr {
	NFGATE_RULE_A_UNSPEC,
	NFGATE_RULE_A_HANDLE,	/* u64 (dump only, ignored on input) */
	NFGATE_RULE_A_SRC,	/* nested, enum nfgate_addr_attr (-s) */
	NFGATE_RULE_A_DST,	/* nested, enum nfgate_addr_attr (-d) */
	NFGATE_RULE_A_PROTO,	/* nested, enum nfgate_proto_attr (-p) */
	NFGATE_RULE_A_IIF,	/* nested, enum nfgate_iface_attr (-i) */
	NFGATE_RULE_A_OIF,	/* nested, enum nfgate_iface_attr (-o) */
	NFGATE_RULE_A_SPORT,	/* nested, enum nfgate_port_attr (--sport) */
	NFGATE_RULE_A_DPORT,	/* nested, enum nfgate_port_attr (--dport) */
	NFGATE_RULE_A_TARGET,	/* nested, enum nfgate_target_attr; absent = no target */
	NFGATE_RULE_A_COUNTERS,	/* nested, enum nfgate_counters_attr */
	NFGATE_RULE_A_PAD,
	NFGATE_RULE_A_MATCHES,	/* nested: NFGATE_LIST_A_ELEM of enum nfgate_ext_attr (-m), in order */
	__NFGATE_RULE_A_MAX
};
#define NFGATE_RULE_A_MAX (__NFGATE_RULE_A_MAX - 1)

/* -s / -d: address and netmask (any mask, contiguous or not), network byte order. */
enum nfgate_addr_attr {
	NFGATE_ADDR_A_UNSPEC,
	NFGATE_ADDR_A_ADDR,	/* be32 */
	NFGATE_ADDR_A_MASK,	/* be32 */
	NFGATE_ADDR_A_INV,	/* flag: "!" */
	__NFGATE_ADDR_A_MAX
};
#define NFGATE_ADDR_A_MAX (__NFGATE_ADDR_A_MAX - 1)

/* -p: IP protocol number; 0 means "all" and may not be inverted. */
enum nfgate_proto_attr {
	NFGATE_PROTO_A_UNSPEC,
	NFGATE_PROTO_A_NUM,	/* u8 */
	NFGATE_PROTO_A_INV,	/* flag */
	__NFGATE_PROTO_A_MAX
};
#define NFGATE_PROTO_A_MAX (__NFGATE_PROTO_A_MAX - 1)

/* -i / -o: interface name; a trailing '+' matches every name with that prefix. */
enum nfgate_iface_attr {
	NFGATE_IFACE_A_UNSPEC,
	NFGATE_IFACE_A_NAME,	/* string, 1..NFGATE_IFNAMSIZ-1 bytes */
	NFGATE_IFACE_A_INV,	/* flag */
	__NFGATE_IFACE_A_MAX
};
#define NFGATE_IFACE_A_MAX (__NFGATE_IFACE_A_MAX - 1)

/*
 * --sport / --dport: inclusive range MIN..MAX, host byte order; needs -p tcp or udp.
 * NFGATE_PORT_A_MAX names both the upper-bound attribute and, as for every
 * other nest, the highest attribute type (the #define below).  Both meanings
 * agree only while NFGATE_PORT_A_MAX is the last attribute: keep it last.
 */
enum nfgate_port_attr {
	NFGATE_PORT_A_UNSPEC,
	NFGATE_PORT_A_MIN,	/* u16 */
	NFGATE_PORT_A_INV,	/* flag */
	NFGATE_PORT_A_MAX,	/* u16, >= MIN; must stay the last attribute */
	__NFGATE_PORT_A_MAX
};
#define NFGATE_PORT_A_MAX (__NFGATE_PORT_A_MAX - 1)

enum nfgate_target_attr {
	NFGATE_TARGET_A_UNSPEC,
	NFGATE_TARGET_A_VERDICT,	/* u32, enum nfgate_verdict */
	NFGATE_TARGET_A_CHAIN,		/* string: user chain for JUMP / GOTO */
	NFGATE_TARGET_A_EXT,		/* nested, enum nfgate_ext_attr: for EXT */
	__NFGATE_TARGET_A_MAX
};
#define NFGATE_TARGET_A_MAX (__NFGATE_TARGET_A_MAX - 1)

/* Elements of a list attribute (NFGATE_RULE_A_MATCHES). */
#define NFGATE_LIST_A_ELEM	1

/*
 * One extension: a match (-m NAME, in NFGATE_RULE_A_MATCHES) or a target
 * (-j NAME, in NFGATE_TARGET_A_EXT).  Names are iptables' (case matters:
 * "mark" is the match, "MARK" the target); DATA holds the kind's own
 * attributes, each kind's enum below.  Documentation/protocol.rst lists
 * every kind.
 */
enum nfgate_ext_attr {
	NFGATE_EXT_A_UNSPEC,
	NFGATE_EXT_A_NAME,	/* string, < NFGATE_EXT_MAXNAMELEN */
	NFGATE_EXT_A_DATA,	/* nested, the kind's attributes */
	__NFGATE_EXT_A_MAX
};
#define NFGATE_EXT_A_MAX (__NFGATE_EXT_A_MAX - 1)

/* "comment": -m comment --comment TEXT (matches every packet). */
#define NFGATE_COMMENT_MAXLEN	256	/* bytes incl. the NUL, as xt_comment */
enum nfgate_comment_attr {
	NFGATE_COMMENT_A_UNSPEC,
	NFGATE_COMMENT_A_TEXT,	/* string, < NFGATE_COMMENT_MAXLEN */
	__NFGATE_COMMENT_A_MAX
};
#define NFGATE_COMMENT_A_MAX (__NFGATE_COMMENT_A_MAX - 1)

/* "mark": -m mark [!] --mark VALUE[/MASK]: (skb->mark & MASK) == VALUE. */
enum nfgate_mark_attr {
	NFGATE_MARK_A_UNSPEC,
	NFGATE_MARK_A_VALUE,	/* u32 */
	NFGATE_MARK_A_MASK,	/* u32, default 0xffffffff */
	NFGATE_MARK_A_INV,	/* flag */
	__NFGATE_MARK_A_MAX
};
#define NFGATE_MARK_A_MAX (__NFGATE_MARK_A_MAX - 1)

/*
 * "MARK": -j MARK: skb->mark = (skb->mark & ~MASK) ^ VALUE, then the next
 * rule (--set-xmark; --set-mark, --and-mark, --or-mark, --xor-mark are
 * written in these terms, as xt_MARK does).
 */
enum nfgate_xmark_attr {
	NFGATE_XMARK_A_UNSPEC,
	NFGATE_XMARK_A_VALUE,	/* u32 */
	NFGATE_XMARK_A_MASK,	/* u32 */
	__NFGATE_XMARK_A_MAX
};
#define NFGATE_XMARK_A_MAX (__NFGATE_XMARK_A_MAX - 1)

/*
 * "tcp": -m tcp [!] --tcp-flags MASK COMP, --syn, [!] --tcp-option N, as
 * xt_tcpudp's tcp match.  Its ports are the rule's core (SPORT, DPORT);
 * DATA holds only the flags and the option test.  Without attributes the
 * element only keeps the place of -m tcp among the rule's matches.
 */
enum nfgate_tcp_attr {
	NFGATE_TCP_A_UNSPEC,
	NFGATE_TCP_A_FLAGS_MASK,	/* u8: TCP flags byte & MASK ... */
	NFGATE_TCP_A_FLAGS_COMP,	/* u8: ... == COMP; with FLAGS_MASK */
	NFGATE_TCP_A_FLAGS_INV,		/* flag, needs FLAGS_MASK */
	NFGATE_TCP_A_OPTION,		/* u8, 1..255: option kind present */
	NFGATE_TCP_A_OPTION_INV,	/* flag, needs OPTION */
	__NFGATE_TCP_A_MAX
};
#define NFGATE_TCP_A_MAX (__NFGATE_TCP_A_MAX - 1)

/*
 * "icmp": -p icmp -m icmp [!] --icmp-type TYPE[/CODE]: the ICMP type is
 * TYPE (255: any type) and the code within CODE_MIN..CODE_MAX, as xt's
 * icmp match.  Needs PROTO 1, not inverted.
 */
enum nfgate_icmp_attr {
	NFGATE_ICMP_A_UNSPEC,
	NFGATE_ICMP_A_TYPE,		/* u8, 255 = any */
	NFGATE_ICMP_A_CODE_MIN,		/* u8, default 0 */
	NFGATE_ICMP_A_CODE_MAX,		/* u8, default 255 */
	NFGATE_ICMP_A_INV,		/* flag */
	__NFGATE_ICMP_A_MAX
};
#define NFGATE_ICMP_A_MAX (__NFGATE_ICMP_A_MAX - 1)

/*
 * "multiport": -m multiport [!] --sports|--dports|--ports P[,P|,LO:HI...],
 * as xt_multiport revision 1: up to 15 port entries, a range taking two.
 * Needs PROTO tcp, udp, udplite, sctp or dccp, not inverted.
 */
#define NFGATE_MULTIPORT_MAX	15	/* entries, as XT_MULTI_PORTS */
enum nfgate_multiport_dir {
	NFGATE_MULTIPORT_SRC,		/* --sports */
	NFGATE_MULTIPORT_DST,		/* --dports */
	NFGATE_MULTIPORT_EITHER,	/* --ports */
};
enum nfgate_multiport_attr {
	NFGATE_MULTIPORT_A_UNSPEC,
	NFGATE_MULTIPORT_A_DIR,		/* u8, enum nfgate_multiport_dir */
	NFGATE_MULTIPORT_A_PORTS,	/* binary: 1..15 u16, host order */
	NFGATE_MULTIPORT_A_RANGES,	/* u16: bit i: PORTS[i]..PORTS[i+1] */
	NFGATE_MULTIPORT_A_INV,		/* flag */
	__NFGATE_MULTIPORT_A_MAX
};
#define NFGATE_MULTIPORT_A_MAX (__NFGATE_MULTIPORT_A_MAX - 1)

enum nfgate_counters_attr {
	NFGATE_COUNTERS_A_UNSPEC,
	NFGATE_COUNTERS_A_PACKETS,	/* u64 */
	NFGATE_COUNTERS_A_BYTES,	/* u64 */
	NFGATE_COUNTERS_A_PAD,
	__NFGATE_COUNTERS_A_MAX
};
#define NFGATE_COUNTERS_A_MAX (__NFGATE_COUNTERS_A_MAX - 1)

#endif /* _UAPI_LINUX_NFGATE_H */
