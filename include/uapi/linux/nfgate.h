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
	NFGATE_TABLE_NAT,	/* PREROUTING, INPUT, OUTPUT, POSTROUTING: a
				 * connection's first packet, via the nat core
				 */
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
	NFGATE_A_CHAIN_DIGEST,	/* u64, digest of the chain's rules (dump only) */
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
 * "limit": -m limit --limit RATE --limit-burst N, a token bucket per rule
 * as xt_limit: AVG is the time between packets in 1/NFGATE_LIMIT_SCALE s
 * (iptables' XT_LIMIT_SCALE units; 3/hour is 12000000), BURST the bucket.
 */
#define NFGATE_LIMIT_SCALE	10000
#define NFGATE_LIMIT_MAX_BURST	10000
enum nfgate_limit_attr {
	NFGATE_LIMIT_A_UNSPEC,
	NFGATE_LIMIT_A_AVG,	/* u32, >= 1 */
	NFGATE_LIMIT_A_BURST,	/* u32, 1..NFGATE_LIMIT_MAX_BURST */
	__NFGATE_LIMIT_A_MAX
};
#define NFGATE_LIMIT_A_MAX (__NFGATE_LIMIT_A_MAX - 1)

/*
 * Connection tracking state bits, for "conntrack" (STATE) and "state"
 * (STATE): those of the packet's conntrack entry, as xt_conntrack's
 * XT_CONNTRACK_STATE_* (INVALID: no entry; UNTRACKED: -j CT --notrack).
 */
#define NFGATE_CT_STATE_INVALID		(1U << 0)
#define NFGATE_CT_STATE_ESTABLISHED	(1U << 1)
#define NFGATE_CT_STATE_RELATED		(1U << 2)
#define NFGATE_CT_STATE_NEW		(1U << 3)
#define NFGATE_CT_STATE_SNAT		(1U << 6)	/* conntrack only */
#define NFGATE_CT_STATE_DNAT		(1U << 7)	/* conntrack only */
#define NFGATE_CT_STATE_UNTRACKED	(1U << 8)

/* Status bits (STATUS of "conntrack"), the kernel's IPS_* values. */
#define NFGATE_CT_STATUS_EXPECTED	(1U << 0)
#define NFGATE_CT_STATUS_SEEN_REPLY	(1U << 1)
#define NFGATE_CT_STATUS_ASSURED	(1U << 2)
#define NFGATE_CT_STATUS_CONFIRMED	(1U << 3)

/* The criteria of "conntrack", for its INV attribute (xt_conntrack's bits). */
#define NFGATE_CT_F_STATE		(1U << 0)
#define NFGATE_CT_F_PROTO		(1U << 1)
#define NFGATE_CT_F_ORIGSRC		(1U << 2)
#define NFGATE_CT_F_ORIGDST		(1U << 3)
#define NFGATE_CT_F_REPLSRC		(1U << 4)
#define NFGATE_CT_F_REPLDST		(1U << 5)
#define NFGATE_CT_F_STATUS		(1U << 6)
#define NFGATE_CT_F_EXPIRE		(1U << 7)
#define NFGATE_CT_F_ORIGSRCPORT		(1U << 8)
#define NFGATE_CT_F_ORIGDSTPORT		(1U << 9)
#define NFGATE_CT_F_REPLSRCPORT		(1U << 10)
#define NFGATE_CT_F_REPLDSTPORT		(1U << 11)
#define NFGATE_CT_F_DIR			(1U << 12)	/* never inverted */

/*
 * "conntrack": -m conntrack, xt_conntrack revision 3.  Each criterion is
 * optional (at least one is given); a pair (address and mask, range
 * bounds) is given whole or not at all.  A packet without a conntrack
 * entry matches only a rule with STATE.
 */
enum nfgate_conntrack_attr {
	NFGATE_CONNTRACK_A_UNSPEC,
	NFGATE_CONNTRACK_A_INV,		/* u32, NFGATE_CT_F_* of criteria given with "!" */
	NFGATE_CONNTRACK_A_STATE,	/* u32, NFGATE_CT_STATE_* (--ctstate) */
	NFGATE_CONNTRACK_A_STATUS,	/* u32, NFGATE_CT_STATUS_*; 0 = NONE (--ctstatus) */
	NFGATE_CONNTRACK_A_PROTO,	/* u8 (--ctproto) */
	NFGATE_CONNTRACK_A_ORIGSRC,	/* be32 (--ctorigsrc) */
	NFGATE_CONNTRACK_A_ORIGSRC_MASK,	/* be32 */
	NFGATE_CONNTRACK_A_ORIGDST,	/* be32 (--ctorigdst) */
	NFGATE_CONNTRACK_A_ORIGDST_MASK,	/* be32 */
	NFGATE_CONNTRACK_A_REPLSRC,	/* be32 (--ctreplsrc) */
	NFGATE_CONNTRACK_A_REPLSRC_MASK,	/* be32 */
	NFGATE_CONNTRACK_A_REPLDST,	/* be32 (--ctrepldst) */
	NFGATE_CONNTRACK_A_REPLDST_MASK,	/* be32 */
	NFGATE_CONNTRACK_A_ORIGSRCPORT_MIN,	/* u16, host order (--ctorigsrcport) */
	NFGATE_CONNTRACK_A_ORIGSRCPORT_MAX,	/* u16, >= MIN */
	NFGATE_CONNTRACK_A_ORIGDSTPORT_MIN,	/* u16 (--ctorigdstport) */
	NFGATE_CONNTRACK_A_ORIGDSTPORT_MAX,	/* u16 */
	NFGATE_CONNTRACK_A_REPLSRCPORT_MIN,	/* u16 (--ctreplsrcport) */
	NFGATE_CONNTRACK_A_REPLSRCPORT_MAX,	/* u16 */
	NFGATE_CONNTRACK_A_REPLDSTPORT_MIN,	/* u16 (--ctrepldstport) */
	NFGATE_CONNTRACK_A_REPLDSTPORT_MAX,	/* u16 */
	NFGATE_CONNTRACK_A_DIR,		/* u8: 0 ORIGINAL, 1 REPLY (--ctdir) */
	NFGATE_CONNTRACK_A_EXPIRE_MIN,	/* u32, seconds left (--ctexpire) */
	NFGATE_CONNTRACK_A_EXPIRE_MAX,	/* u32, >= MIN */
	__NFGATE_CONNTRACK_A_MAX
};
#define NFGATE_CONNTRACK_A_MAX (__NFGATE_CONNTRACK_A_MAX - 1)

/* "state": -m state [!] --state LIST, the state part of "conntrack". */
enum nfgate_state_attr {
	NFGATE_STATE_A_UNSPEC,
	NFGATE_STATE_A_MASK,	/* u32, NFGATE_CT_STATE_* but SNAT, DNAT; not 0 */
	NFGATE_STATE_A_INV,	/* flag */
	__NFGATE_STATE_A_MAX
};
#define NFGATE_STATE_A_MAX (__NFGATE_STATE_A_MAX - 1)

/*
 * "connmark": -m connmark [!] --mark VALUE[/MASK]: the packet has a
 * conntrack entry and (ct->mark & MASK) == VALUE, "!" inverting the
 * second part only, as xt_connmark.
 */
enum nfgate_connmark_attr {
	NFGATE_CONNMARK_A_UNSPEC,
	NFGATE_CONNMARK_A_VALUE,	/* u32 */
	NFGATE_CONNMARK_A_MASK,		/* u32 */
	NFGATE_CONNMARK_A_INV,		/* flag */
	__NFGATE_CONNMARK_A_MAX
};
#define NFGATE_CONNMARK_A_MAX (__NFGATE_CONNMARK_A_MAX - 1)

/* CONNMARK's MODE (xt_connmark's XT_CONNMARK_*). */
enum nfgate_connmark_mode {
	NFGATE_CONNMARK_SET,		/* ctmark = (ctmark & ~CTMASK) ^ CTMARK */
	NFGATE_CONNMARK_SAVE,		/* ctmark = (ctmark & ~CTMASK) ^ (mark & NFMASK) */
	NFGATE_CONNMARK_RESTORE,	/* mark = (mark & ~NFMASK) ^ (ctmark & CTMASK) */
	__NFGATE_CONNMARK_MODE_MAX
};
#define NFGATE_CONNMARK_MODE_MAX (__NFGATE_CONNMARK_MODE_MAX - 1)

/*
 * "CONNMARK": -j CONNMARK, xt_connmark target revision 1 (no shifts),
 * then the next rule.  Packets without a conntrack entry pass untouched.
 */
enum nfgate_xconnmark_attr {
	NFGATE_XCONNMARK_A_UNSPEC,
	NFGATE_XCONNMARK_A_MODE,	/* u8, enum nfgate_connmark_mode */
	NFGATE_XCONNMARK_A_CTMARK,	/* u32 */
	NFGATE_XCONNMARK_A_CTMASK,	/* u32 */
	NFGATE_XCONNMARK_A_NFMASK,	/* u32 */
	__NFGATE_XCONNMARK_A_MAX
};
#define NFGATE_XCONNMARK_A_MAX (__NFGATE_XCONNMARK_A_MAX - 1)

/* statistic's MODE. */
enum nfgate_statistic_mode {
	NFGATE_STATISTIC_RANDOM,
	NFGATE_STATISTIC_NTH,
	__NFGATE_STATISTIC_MODE_MAX
};
#define NFGATE_STATISTIC_MODE_MAX (__NFGATE_STATISTIC_MODE_MAX - 1)
#define NFGATE_STATISTIC_PROB_ONE	0x80000000U	/* probability 1 */

/*
 * "statistic": -m statistic, xt_statistic.  RANDOM matches when 31 random
 * bits are below PROBABILITY; NTH keeps one counter per rule, shared by
 * all CPUs, and matches every EVERY-th packet that reaches the match,
 * PACKET deciding which one (the first packet to match is the
 * (EVERY - PACKET)-th).  NTH rules are evaluated strictly in order.
 */
enum nfgate_statistic_attr {
	NFGATE_STATISTIC_A_UNSPEC,
	NFGATE_STATISTIC_A_MODE,	/* u8, enum nfgate_statistic_mode */
	NFGATE_STATISTIC_A_INV,		/* flag */
	NFGATE_STATISTIC_A_PROBABILITY,	/* u32, 0..NFGATE_STATISTIC_PROB_ONE (RANDOM) */
	NFGATE_STATISTIC_A_EVERY,	/* u32, >= 1 (NTH) */
	NFGATE_STATISTIC_A_PACKET,	/* u32, < EVERY (NTH) */
	__NFGATE_STATISTIC_A_MAX
};
#define NFGATE_STATISTIC_A_MAX (__NFGATE_STATISTIC_A_MAX - 1)

/*
 * "CT": -j CT in the raw table: --notrack leaves the packet untracked;
 * otherwise new connections start from a template with the zone, helper
 * and event masks given (xt_CT).  "NOTRACK" is -j NOTRACK: no attributes.
 */
#define NFGATE_CT_HELPER_MAXLEN	16	/* incl. the NUL, as NF_CT_HELPER_NAME_LEN */
#define NFGATE_CT_ZONE_F_ORIG	(1U << 0)	/* --zone-orig */
#define NFGATE_CT_ZONE_F_REPLY	(1U << 1)	/* --zone-reply */
#define NFGATE_CT_ZONE_F_MARK	(1U << 2)	/* zone from the packet mark */
enum nfgate_ct_attr {
	NFGATE_CT_A_UNSPEC,
	NFGATE_CT_A_NOTRACK,	/* flag; no other attribute with it */
	NFGATE_CT_A_ZONE,	/* u16 */
	NFGATE_CT_A_ZONE_FLAGS,	/* u32, NFGATE_CT_ZONE_F_* */
	NFGATE_CT_A_HELPER,	/* string, needs -p */
	NFGATE_CT_A_CTEVENTS,	/* u32, BIT(IPCT_*) up to IPCT_SECMARK */
	NFGATE_CT_A_EXPEVENTS,	/* u32, BIT(IPEXP_NEW) */
	__NFGATE_CT_A_MAX
};
#define NFGATE_CT_A_MAX (__NFGATE_CT_A_MAX - 1)

/*
 * "REJECT": -j REJECT [--reject-with TYPE]: answer with an ICMP error or a
 * TCP RST, then drop (ipt_REJECT; filter table, INPUT/FORWARD/OUTPUT).
 * The values are iptables' (enum ipt_reject_with); 4 (echo-reply) is
 * refused, tcp-reset needs -p tcp.
 */
enum nfgate_reject_with {
	NFGATE_REJECT_NET_UNREACH,	/* icmp-net-unreachable */
	NFGATE_REJECT_HOST_UNREACH,	/* icmp-host-unreachable */
	NFGATE_REJECT_PROTO_UNREACH,	/* icmp-proto-unreachable */
	NFGATE_REJECT_PORT_UNREACH,	/* icmp-port-unreachable, the default */
	NFGATE_REJECT_ECHOREPLY,	/* not supported, as iptables */
	NFGATE_REJECT_NET_PROHIB,	/* icmp-net-prohibited */
	NFGATE_REJECT_HOST_PROHIB,	/* icmp-host-prohibited */
	NFGATE_REJECT_TCP_RESET,	/* tcp-reset */
	NFGATE_REJECT_ADMIN_PROHIB,	/* icmp-admin-prohibited */
	__NFGATE_REJECT_MAX
};
#define NFGATE_REJECT_MAX (__NFGATE_REJECT_MAX - 1)

enum nfgate_reject_attr {
	NFGATE_REJECT_A_UNSPEC,
	NFGATE_REJECT_A_WITH,	/* u32, enum nfgate_reject_with; default PORT */
	__NFGATE_REJECT_A_MAX
};
#define NFGATE_REJECT_A_MAX (__NFGATE_REJECT_A_MAX - 1)

/*
 * "LOG": -j LOG: a kernel log line through the syslog logger
 * (nf_log_syslog), then the next rule (xt_LOG).  FLAGS are xt_LOG's.
 */
#define NFGATE_LOG_PREFIXLEN	30	/* bytes incl. the NUL, as xt_LOG */
#define NFGATE_LOG_TCPSEQ	0x01	/* --log-tcp-sequence */
#define NFGATE_LOG_TCPOPT	0x02	/* --log-tcp-options */
#define NFGATE_LOG_IPOPT	0x04	/* --log-ip-options */
#define NFGATE_LOG_UID		0x08	/* --log-uid */
#define NFGATE_LOG_MACDECODE	0x20	/* --log-macdecode */
#define NFGATE_LOG_FLAGS	0x2f
enum nfgate_log_attr {
	NFGATE_LOG_A_UNSPEC,
	NFGATE_LOG_A_LEVEL,	/* u8, syslog level 0..7; default 4 (warning) */
	NFGATE_LOG_A_FLAGS,	/* u32, NFGATE_LOG_*; default 0 */
	NFGATE_LOG_A_PREFIX,	/* string, < NFGATE_LOG_PREFIXLEN; absent: none */
	__NFGATE_LOG_A_MAX
};
#define NFGATE_LOG_A_MAX (__NFGATE_LOG_A_MAX - 1)

/*
 * "NFQUEUE": -j NFQUEUE: hand the packet to user space through
 * nfnetlink_queue (xt_NFQUEUE revision 3): queue NUM, or one of TOTAL
 * queues from NUM on, chosen by a hash of the addresses and protocol (the
 * same for both directions) or, with CPU_FANOUT, by the CPU.  "QUEUE"
 * (-j QUEUE, no attributes) is queue 0 without bypass.
 */
#define NFGATE_NFQUEUE_BYPASS		0x01	/* --queue-bypass */
#define NFGATE_NFQUEUE_CPU_FANOUT	0x02	/* --queue-cpu-fanout */
#define NFGATE_NFQUEUE_FLAGS		0x03
enum nfgate_nfqueue_attr {
	NFGATE_NFQUEUE_A_UNSPEC,
	NFGATE_NFQUEUE_A_NUM,	/* u16, first queue; default 0 */
	NFGATE_NFQUEUE_A_TOTAL,	/* u16, queues, >= 1, NUM + TOTAL - 1 <= 65535; default 1 */
	NFGATE_NFQUEUE_A_FLAGS,	/* u32, NFGATE_NFQUEUE_*; default 0 */
	__NFGATE_NFQUEUE_A_MAX
};
#define NFGATE_NFQUEUE_A_MAX (__NFGATE_NFQUEUE_A_MAX - 1)

/*
 * "addrtype": -m addrtype (xt_addrtype revision 1): the route type
 * (RTN_*) of the source and/or destination address, as a mask of
 * 1 << RTN_* (RTN_UNSPEC .. RTN_XRESOLVE), looked up for the packet's
 * input or output device when LIMIT_IN / LIMIT_OUT is set.
 */
#define NFGATE_ADDRTYPE_INV_SRC		0x01	/* ! --src-type */
#define NFGATE_ADDRTYPE_INV_DST		0x02	/* ! --dst-type */
#define NFGATE_ADDRTYPE_LIMIT_IN	0x04	/* --limit-iface-in */
#define NFGATE_ADDRTYPE_LIMIT_OUT	0x08	/* --limit-iface-out */
#define NFGATE_ADDRTYPE_FLAGS		0x0f
#define NFGATE_ADDRTYPE_TYPES		0x0fff	/* 1 << RTN_UNSPEC .. RTN_XRESOLVE */
enum nfgate_addrtype_attr {
	NFGATE_ADDRTYPE_A_UNSPEC,
	NFGATE_ADDRTYPE_A_SRC,		/* u16, mask of 1 << RTN_*; 0: any */
	NFGATE_ADDRTYPE_A_DST,		/* u16, mask of 1 << RTN_*; 0: any */
	NFGATE_ADDRTYPE_A_FLAGS,	/* u32, NFGATE_ADDRTYPE_* */
	__NFGATE_ADDRTYPE_A_MAX
};
#define NFGATE_ADDRTYPE_A_MAX (__NFGATE_ADDRTYPE_A_MAX - 1)

/*
 * "DNAT", "SNAT", "MASQUERADE", "REDIRECT" (nat table): one attribute set,
 * the fields of struct nf_nat_range2 that iptables can set.  FLAGS are
 * NF_NAT_RANGE_* (linux/netfilter/nf_nat.h); an attribute is present
 * exactly when its flag says it is used (addresses: MAP_IPS, ports:
 * PROTO_SPECIFIED, base port: PROTO_OFFSET).  Which flags each kind takes
 * is in Documentation/protocol.rst.
 */
enum nfgate_nat_attr {
	NFGATE_NAT_A_UNSPEC,
	NFGATE_NAT_A_FLAGS,	/* u32, NF_NAT_RANGE_* */
	NFGATE_NAT_A_MIN_ADDR,	/* be32 */
	NFGATE_NAT_A_MAX_ADDR,	/* be32, >= MIN_ADDR */
	NFGATE_NAT_A_MIN_PORT,	/* u16, host order */
	NFGATE_NAT_A_MAX_PORT,	/* u16, host order, >= MIN_PORT */
	NFGATE_NAT_A_BASE_PORT,	/* u16, host order, >= 1 (DNAT only) */
	__NFGATE_NAT_A_MAX
};
#define NFGATE_NAT_A_MAX (__NFGATE_NAT_A_MAX - 1)

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

/*
 * "TCPMSS": -p tcp -m tcp --tcp-flags ... SYN -j TCPMSS --set-mss N |
 * --clamp-mss-to-pmtu: lower the MSS option of a SYN to N or to the
 * route's MTU minus 40, adding the option (at most 536) when the SYN has
 * none, as xt_TCPMSS.  Needs -p tcp (not inverted) and a tcp match whose
 * --tcp-flags test needs SYN, not inverted; clamping only in FORWARD,
 * OUTPUT and POSTROUTING.  Any table.
 */
#define NFGATE_TCPMSS_CLAMP_PMTU	0xffff	/* MSS: --clamp-mss-to-pmtu */
enum nfgate_tcpmss_attr {
	NFGATE_TCPMSS_A_UNSPEC,
	NFGATE_TCPMSS_A_MSS,	/* u16, required: MSS, or NFGATE_TCPMSS_CLAMP_PMTU */
	__NFGATE_TCPMSS_A_MAX
};
#define NFGATE_TCPMSS_A_MAX (__NFGATE_TCPMSS_A_MAX - 1)

/*
 * "CHECKSUM": -j CHECKSUM --checksum-fill: compute the checksum of a
 * packet that still leaves it to the device (CHECKSUM_PARTIAL, not GSO),
 * as xt_CHECKSUM; mangle table only.
 */
#define NFGATE_CHECKSUM_OP_FILL		0x01	/* --checksum-fill */
enum nfgate_checksum_attr {
	NFGATE_CHECKSUM_A_UNSPEC,
	NFGATE_CHECKSUM_A_OP,	/* u8, NFGATE_CHECKSUM_OP_*, required non-zero */
	__NFGATE_CHECKSUM_A_MAX
};
#define NFGATE_CHECKSUM_A_MAX (__NFGATE_CHECKSUM_A_MAX - 1)

/*
 * "TTL": -j TTL --ttl-set N | --ttl-dec N | --ttl-inc N: set, lower (not
 * below 0) or raise (not above 255) the IPv4 TTL, as ipt_TTL (xt_HL);
 * mangle table only.
 */
enum nfgate_ttl_tg_mode {
	NFGATE_TTL_TG_SET,		/* --ttl-set */
	NFGATE_TTL_TG_INC,		/* --ttl-inc */
	NFGATE_TTL_TG_DEC,		/* --ttl-dec */
	__NFGATE_TTL_TG_MODE_MAX
};
#define NFGATE_TTL_TG_MODE_MAX (__NFGATE_TTL_TG_MODE_MAX - 1)
enum nfgate_ttl_tg_attr {
	NFGATE_TTL_TG_A_UNSPEC,
	NFGATE_TTL_TG_A_MODE,	/* u8, enum nfgate_ttl_tg_mode, required */
	NFGATE_TTL_TG_A_VALUE,	/* u8, required; >= 1 unless SET */
	__NFGATE_TTL_TG_A_MAX
};
#define NFGATE_TTL_TG_A_MAX (__NFGATE_TTL_TG_A_MAX - 1)

/*
 * "NFLOG": -j NFLOG: hand the packet to the netlink logger
 * (nfnetlink_log, NF_LOG_TYPE_ULOG) for the listeners of GROUP, as
 * xt_NFLOG; any table.  LEN limits the bytes copied only with
 * NFGATE_NFLOG_F_COPY_LEN (--nflog-size; --nflog-range stores LEN alone).
 */
#define NFGATE_NFLOG_PREFIXLEN	64	/* bytes incl. the NUL, as xt_NFLOG */
#define NFGATE_NFLOG_F_COPY_LEN	0x01	/* --nflog-size */
#define NFGATE_NFLOG_FLAGS	0x01
enum nfgate_nflog_attr {
	NFGATE_NFLOG_A_UNSPEC,
	NFGATE_NFLOG_A_GROUP,		/* u16, default 0 */
	NFGATE_NFLOG_A_PREFIX,		/* string, < NFGATE_NFLOG_PREFIXLEN; absent: none */
	NFGATE_NFLOG_A_LEN,		/* u32, default 0 */
	NFGATE_NFLOG_A_THRESHOLD,	/* u16, default 0 (the listener's) */
	NFGATE_NFLOG_A_FLAGS,		/* u16, NFGATE_NFLOG_F_*; default 0 */
	__NFGATE_NFLOG_A_MAX
};
#define NFGATE_NFLOG_A_MAX (__NFGATE_NFLOG_A_MAX - 1)

/*
 * "iprange": -m iprange [!] --src-range A[-B] [!] --dst-range A[-B], as
 * xt_iprange revision 1: the address, as a number, is within MIN..MAX
 * (inclusive).  A test is given whole (MIN and MAX) or not at all; at
 * least one is given.  MIN above MAX is kept, as iptables does, and never
 * matches.
 */
enum nfgate_iprange_attr {
	NFGATE_IPRANGE_A_UNSPEC,
	NFGATE_IPRANGE_A_SRC_MIN,	/* be32 (--src-range) */
	NFGATE_IPRANGE_A_SRC_MAX,	/* be32 */
	NFGATE_IPRANGE_A_SRC_INV,	/* flag, needs SRC_MIN */
	NFGATE_IPRANGE_A_DST_MIN,	/* be32 (--dst-range) */
	NFGATE_IPRANGE_A_DST_MAX,	/* be32 */
	NFGATE_IPRANGE_A_DST_INV,	/* flag, needs DST_MIN */
	__NFGATE_IPRANGE_A_MAX
};
#define NFGATE_IPRANGE_A_MAX (__NFGATE_IPRANGE_A_MAX - 1)

/*
 * "length": -m length [!] --length MIN[:MAX], as xt_length: the IP total
 * length (header included) is within MIN_LEN..MAX_LEN.
 */
enum nfgate_length_attr {
	NFGATE_LENGTH_A_UNSPEC,
	NFGATE_LENGTH_A_MIN_LEN,	/* u16 */
	NFGATE_LENGTH_A_MAX_LEN,	/* u16, >= MIN_LEN */
	NFGATE_LENGTH_A_INV,	/* flag */
	__NFGATE_LENGTH_A_MAX
};
#define NFGATE_LENGTH_A_MAX (__NFGATE_LENGTH_A_MAX - 1)

/*
 * "ttl": -m ttl --ttl-eq|--ttl-lt|--ttl-gt N, ! --ttl-eq N, as ipt_ttl:
 * the IP header's TTL compared with VALUE.  The modes are ipt_ttl's.
 */
enum nfgate_ttl_mode {
	NFGATE_TTL_EQ,		/* --ttl-eq (--ttl) */
	NFGATE_TTL_NE,		/* ! --ttl-eq */
	NFGATE_TTL_LT,		/* --ttl-lt */
	NFGATE_TTL_GT,		/* --ttl-gt */
	__NFGATE_TTL_MODE_MAX
};
#define NFGATE_TTL_MODE_MAX (__NFGATE_TTL_MODE_MAX - 1)
enum nfgate_ttl_attr {
	NFGATE_TTL_A_UNSPEC,
	NFGATE_TTL_A_MODE,	/* u8, enum nfgate_ttl_mode */
	NFGATE_TTL_A_VALUE,	/* u8 */
	__NFGATE_TTL_A_MAX
};
#define NFGATE_TTL_A_MAX (__NFGATE_TTL_A_MAX - 1)

/*
 * "pkttype": -m pkttype [!] --pkt-type TYPE, as xt_pkttype: the link
 * layer's class of the packet (skb->pkt_type, PACKET_* of
 * linux/if_packet.h: 0 unicast to this host, 1 broadcast, 2 multicast,
 * 3 unicast to another host); a looped-back packet is multicast when its
 * destination is a multicast address, else broadcast.
 */
#define NFGATE_PKTTYPE_MAX	3	/* PACKET_OTHERHOST */
enum nfgate_pkttype_attr {
	NFGATE_PKTTYPE_A_UNSPEC,
	NFGATE_PKTTYPE_A_TYPE,	/* u8, 0..NFGATE_PKTTYPE_MAX */
	NFGATE_PKTTYPE_A_INV,	/* flag */
	__NFGATE_PKTTYPE_A_MAX
};
#define NFGATE_PKTTYPE_A_MAX (__NFGATE_PKTTYPE_A_MAX - 1)

/*
 * "mac": -m mac [!] --mac-source XX:XX:XX:XX:XX:XX, as xt_mac: the
 * Ethernet source address of a packet received on an Ethernet device
 * (PREROUTING, INPUT, FORWARD only).
 */
#define NFGATE_MAC_LEN		6
enum nfgate_mac_attr {
	NFGATE_MAC_A_UNSPEC,
	NFGATE_MAC_A_SRC,	/* binary, NFGATE_MAC_LEN bytes */
	NFGATE_MAC_A_INV,	/* flag */
	__NFGATE_MAC_A_MAX
};
#define NFGATE_MAC_A_MAX (__NFGATE_MAC_A_MAX - 1)

/*
 * "owner": -m owner, as xt_owner revision 1 (OUTPUT and POSTROUTING
 * only): the packet's local socket exists (SOCKET), the file credentials
 * of its socket have an fsuid within UID_MIN..UID_MAX (UID), an fsgid
 * (with SUPPL_GROUPS: or a supplementary group) within GID_MIN..GID_MAX
 * (GID).  IDs are numbers of the network namespace's user namespace,
 * which must be the writer's; user space resolves names.
 */
#define NFGATE_OWNER_UID		0x01	/* --uid-owner */
#define NFGATE_OWNER_GID		0x02	/* --gid-owner */
#define NFGATE_OWNER_SOCKET		0x04	/* --socket-exists */
#define NFGATE_OWNER_SUPPL_GROUPS	0x08	/* --suppl-groups, needs GID */
#define NFGATE_OWNER_FLAGS		0x0f
enum nfgate_owner_attr {
	NFGATE_OWNER_A_UNSPEC,
	NFGATE_OWNER_A_MATCH,	/* u8, NFGATE_OWNER_*, not 0 */
	NFGATE_OWNER_A_INV,	/* u8, of MATCH's UID, GID, SOCKET */
	NFGATE_OWNER_A_UID_MIN,	/* u32, with UID only */
	NFGATE_OWNER_A_UID_MAX,	/* u32, >= UID_MIN */
	NFGATE_OWNER_A_GID_MIN,	/* u32, with GID only */
	NFGATE_OWNER_A_GID_MAX,	/* u32, >= GID_MIN */
	__NFGATE_OWNER_A_MAX
};
#define NFGATE_OWNER_A_MAX (__NFGATE_OWNER_A_MAX - 1)

/*
 * "recent" match: -m recent, as xt_recent revision 1 (IPv4).  Rules of one
 * namespace naming the same list share it; the list is created by the
 * first such rule, with that rule's MASK, and freed with the last.
 * FLAGS holds exactly one of SET, CHECK, UPDATE, REMOVE; SET and REMOVE
 * take no SECONDS, HITCOUNT, TTL or REAP; REAP needs SECONDS.
 */
#define NFGATE_RECENT_NAME_LEN		200	/* with the NUL, as xt_recent */
#define NFGATE_RECENT_MAX_HITCOUNT	255
#define NFGATE_RECENT_SET		0x01	/* --set */
#define NFGATE_RECENT_CHECK		0x02	/* --rcheck */
#define NFGATE_RECENT_UPDATE		0x04	/* --update */
#define NFGATE_RECENT_REMOVE		0x08	/* --remove */
#define NFGATE_RECENT_TTL		0x10	/* --rttl */
#define NFGATE_RECENT_REAP		0x20	/* --reap */
#define NFGATE_RECENT_INV		0x40	/* ! before the command */
#define NFGATE_RECENT_DEST		0x80	/* --rdest (else --rsource) */
#define NFGATE_RECENT_FLAGS		0xff
enum nfgate_recent_attr {
	NFGATE_RECENT_A_UNSPEC,
	NFGATE_RECENT_A_NAME,		/* string, 1..199 bytes, no '/' */
	NFGATE_RECENT_A_FLAGS,		/* u32, NFGATE_RECENT_* */
	NFGATE_RECENT_A_SECONDS,	/* u32, 0: any age */
	NFGATE_RECENT_A_HITCOUNT,	/* u32, 0..NFGATE_RECENT_MAX_HITCOUNT */
	NFGATE_RECENT_A_MASK,		/* be32 */
	__NFGATE_RECENT_A_MAX
};
#define NFGATE_RECENT_A_MAX (__NFGATE_RECENT_A_MAX - 1)

/*
 * "connlimit" match: -m connlimit, as xt_connlimit revision 1 (IPv4),
 * counting through the kernel's nf_conncount: matches when the number of
 * connections of the packet's group (its source or destination address
 * under a prefix, in its conntrack zone), its own included, is above LIMIT
 * (at most LIMIT with UPTO).  Needs conntrack.
 */
#define NFGATE_CONNLIMIT_UPTO		0x01	/* --connlimit-upto */
#define NFGATE_CONNLIMIT_DADDR		0x02	/* --connlimit-daddr */
#define NFGATE_CONNLIMIT_FLAGS		0x03
enum nfgate_connlimit_attr {
	NFGATE_CONNLIMIT_A_UNSPEC,
	NFGATE_CONNLIMIT_A_LIMIT,	/* u32 */
	NFGATE_CONNLIMIT_A_PLEN,	/* u8, 0..32, default 32 */
	NFGATE_CONNLIMIT_A_FLAGS,	/* u32, NFGATE_CONNLIMIT_* */
	__NFGATE_CONNLIMIT_A_MAX
};
#define NFGATE_CONNLIMIT_A_MAX (__NFGATE_CONNLIMIT_A_MAX - 1)

/*
 * "nfacct" match: -m nfacct --nfacct-name NAME, as xt_nfacct: NAME is an
 * accounting object of nfnetlink_acct in the rule's namespace (created
 * with nfacct(8)), which must exist when the rule is created (ENOENT).
 */
#define NFGATE_NFACCT_NAME_LEN		32	/* with the NUL, NFACCT_NAME_MAX */
enum nfgate_nfacct_attr {
	NFGATE_NFACCT_A_UNSPEC,
	NFGATE_NFACCT_A_NAME,		/* string, 1..31 bytes */
	__NFGATE_NFACCT_A_MAX
};
#define NFGATE_NFACCT_A_MAX (__NFGATE_NFACCT_A_MAX - 1)

/*
 * "hashlimit": -m hashlimit, as xt_hashlimit revision 2 for IPv4: a token
 * bucket per key (the masked source and/or destination address, source
 * and/or destination port: MODE's HASH_* bits) in a table named per
 * network namespace and shared by every rule naming it; the first rule
 * naming a table sets its parameters (as xt_hashlimit).  AVG is the time
 * between packets in 1/NFGATE_HASHLIMIT_SCALE s, BURST the bucket; an
 * entry idle for EXPIRE ms goes, at the latest GCINTERVAL ms later.
 * SIZE 0: buckets from the memory size; MAX 0: 8 * buckets.  AVG is a
 * u64 written without padding (read it with memcpy).  Byte rates
 * (XT_HASHLIMIT_BYTES) are not supported.
 */
#define NFGATE_HASHLIMIT_SCALE		1000000ULL
#define NFGATE_HASHLIMIT_MAX_BURST	1000000
#define NFGATE_HASHLIMIT_MAX_SIZE	1048576
#define NFGATE_HASHLIMIT_NAME_LEN	255	/* with the NUL */
#define NFGATE_HASHLIMIT_HASH_DIP	0x01	/* dstip */
#define NFGATE_HASHLIMIT_HASH_DPT	0x02	/* dstport */
#define NFGATE_HASHLIMIT_HASH_SIP	0x04	/* srcip */
#define NFGATE_HASHLIMIT_HASH_SPT	0x08	/* srcport */
#define NFGATE_HASHLIMIT_INVERT		0x10	/* --hashlimit-above */
#define NFGATE_HASHLIMIT_MODES		0x1f
enum nfgate_hashlimit_attr {
	NFGATE_HASHLIMIT_A_UNSPEC,
	NFGATE_HASHLIMIT_A_NAME,	/* string, 1..NAME_LEN - 1 */
	NFGATE_HASHLIMIT_A_MODE,	/* u32, NFGATE_HASHLIMIT_* */
	NFGATE_HASHLIMIT_A_AVG,		/* u64, >= 1 */
	NFGATE_HASHLIMIT_A_BURST,	/* u32, 1..MAX_BURST */
	NFGATE_HASHLIMIT_A_SIZE,	/* u32, 0..MAX_SIZE */
	NFGATE_HASHLIMIT_A_HTMAX,	/* u32, 0..MAX_SIZE */
	NFGATE_HASHLIMIT_A_GCINTERVAL,	/* u32, ms, >= 1 */
	NFGATE_HASHLIMIT_A_EXPIRE,	/* u32, ms, >= 1 */
	NFGATE_HASHLIMIT_A_SRCMASK,	/* u8, 0..32 */
	NFGATE_HASHLIMIT_A_DSTMASK,	/* u8, 0..32 */
	__NFGATE_HASHLIMIT_A_MAX
};
#define NFGATE_HASHLIMIT_A_MAX (__NFGATE_HASHLIMIT_A_MAX - 1)

enum nfgate_counters_attr {
	NFGATE_COUNTERS_A_UNSPEC,
	NFGATE_COUNTERS_A_PACKETS,	/* u64 */
	NFGATE_COUNTERS_A_BYTES,	/* u64 */
	NFGATE_COUNTERS_A_PAD,
	__NFGATE_COUNTERS_A_MAX
};
#define NFGATE_COUNTERS_A_MAX (__NFGATE_COUNTERS_A_MAX - 1)

#endif /* _UAPI_LINUX_NFGATE_H */
