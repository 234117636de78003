/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal raw generic netlink client for the nfgate selftests
 * (nl_bad.c, nl_txn.c, txn_hold.c).  It builds messages byte by byte, so a
 * test can send exactly the malformed input it wants, resolves the "nfgate"
 * family with CTRL_CMD_GETFAMILY, and returns errno and extack (message,
 * offset, missing type) of every answer.  No libnl.
 */
#ifndef NFGATE_SELFTESTS_NL_CLIENT_H
#define NFGATE_SELFTESTS_NL_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/nfgate.h>

#define NLC_BUFSZ	16384
#define NLC_MAXNEST	8

struct nlc {
	int fd;
	uint16_t family;	/* generic netlink id of "nfgate" */
	uint32_t events_group;	/* id of its "events" group, 0 if none */
	uint32_t seq;
};

struct nlc_msg {
	union {
		struct nlmsghdr nlh;
		char buf[NLC_BUFSZ];
	};
	uint32_t nest[NLC_MAXNEST];	/* offsets of open nests */
	int depth;
};

struct nlc_reply {
	int error;		/* 0 or -errno from NLMSG_ERROR / NLMSG_DONE */
	int has_msg;
	char msg[256];		/* NLMSGERR_ATTR_MSG */
	int has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS */
	int has_miss_type;
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
	int data_len;		/* first reply of the family: genl header + attrs */
	char data[NLC_BUFSZ];
};

/* Open a NETLINK_GENERIC socket with extended acks and resolve "nfgate". */
int nlc_open(struct nlc *c);
/* The same, bound to @portid (0: the kernel picks); -EADDRINUSE if taken. */
int nlc_open_portid(struct nlc *c, uint32_t portid);
/* The port id the socket is bound to, 0 on error. */
uint32_t nlc_portid(const struct nlc *c);
void nlc_close(struct nlc *c);

/* Message building. */
void nlc_msg_init(struct nlc_msg *m, struct nlc *c, uint8_t cmd, uint16_t flags);
void nlc_put(struct nlc_msg *m, uint16_t type, const void *data, int len);
void nlc_put_u8(struct nlc_msg *m, uint16_t type, uint8_t v);
void nlc_put_u16(struct nlc_msg *m, uint16_t type, uint16_t v);
void nlc_put_u32(struct nlc_msg *m, uint16_t type, uint32_t v);
void nlc_put_u64(struct nlc_msg *m, uint16_t type, uint64_t v);
void nlc_put_str(struct nlc_msg *m, uint16_t type, const char *s);
void nlc_put_flag(struct nlc_msg *m, uint16_t type);
void nlc_nest_start(struct nlc_msg *m, uint16_t type);
void nlc_nest_end(struct nlc_msg *m);

/* Send a request (NLM_F_ACK is set) and wait for its ack; returns r->error. */
int nlc_request(struct nlc *c, struct nlc_msg *m, struct nlc_reply *r);
/* Send raw bytes as they are (a header that lies, a short message...). */
int nlc_request_raw(struct nlc *c, void *buf, size_t len, struct nlc_reply *r);
/*
 * Run a dump; append every answer's genl header + attributes to out, each
 * preceded by its length.  Returns 0, -errno or -EINTR on NLM_F_DUMP_INTR.
 */
int nlc_dump(struct nlc *c, struct nlc_msg *m, char *out, size_t outsz,
	     size_t *outlen, struct nlc_reply *r);

/* Everything a client can read: GETGEN and both tables' chain and rule dumps. */
int nlc_snapshot(struct nlc *c, char *out, size_t outsz, size_t *outlen);

/* Find top-level attribute type in a reply (r->data); NULL if absent. */
const struct nlattr *nlc_reply_attr(const struct nlc_reply *r, uint16_t type);
uint64_t nlc_attr_u64(const struct nlattr *a);
uint32_t nlc_attr_u32(const struct nlattr *a);

/* Convenience writes used by several tests. */
int nlc_new_chain(struct nlc *c, uint32_t table, const char *chain,
		  struct nlc_reply *r);
/* Append "-p proto [-j verdict [chain]]" to a chain; proto 0 = no -p. */
/* NFGATE_A_RULE: -p PROTO (0: none), target VERDICT [CHAIN]. */
void nlc_put_rule(struct nlc_msg *m, uint8_t proto, uint32_t verdict,
		  const char *target);
int nlc_new_rule(struct nlc *c, uint32_t table, const char *chain,
		 uint8_t proto, uint32_t verdict, const char *target,
		 struct nlc_reply *r);
int nlc_simple(struct nlc *c, uint8_t cmd, struct nlc_reply *r);
int nlc_get_gen(struct nlc *c, uint64_t *gen);
/* Number of rules in a chain according to a GETRULE dump, or -errno. */
/* The handles of a chain's rules, in order (a GETRULE dump); count or -errno. */
int nlc_rule_handles(struct nlc *c, uint32_t table, const char *chain,
		     uint64_t *handles, int max);
int nlc_count_rules(struct nlc *c, uint32_t table, const char *chain);
/* 1 if the chain exists in a GETCHAIN dump, 0 if not, or -errno. */
int nlc_chain_exists(struct nlc *c, uint32_t table, const char *chain);

#endif
