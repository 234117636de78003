// SPDX-License-Identifier: GPL-2.0
/*
 * The raw generic netlink client of the nfgate selftests; see
 * nl_client.h.  Messages are built by hand so tests control every byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#include "nl_client.h"

#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))

static int nlc_resolve(struct nlc *c);

int nlc_open(struct nlc *c)
{
	return nlc_open_portid(c, 0);
}

int nlc_open_portid(struct nlc *c, uint32_t portid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_pid = portid };
	int one = 1;

	c->seq = 1;
	c->family = 0;
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (c->fd < 0)
		return -errno;
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(c->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(c->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		int err = -errno;

		close(c->fd);
		c->fd = -1;
		return err;
	}
	return nlc_resolve(c);
}

uint32_t nlc_portid(const struct nlc *c)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	if (getsockname(c->fd, (struct sockaddr *)&sa, &len))
		return 0;
	return sa.nl_pid;
}

void nlc_close(struct nlc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static void nlc_init_raw(struct nlc_msg *m, uint16_t type, uint32_t seq,
			 uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->depth = 0;
	m->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh.nlmsg_seq = seq;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = type == GENL_ID_CTRL ? 1 : NFGATE_GENL_VERSION;
}

void nlc_msg_init(struct nlc_msg *m, struct nlc *c, uint8_t cmd, uint16_t flags)
{
	nlc_init_raw(m, c->family, 0, cmd, flags);
}

void nlc_put(struct nlc_msg *m, uint16_t type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->nlh.nlmsg_len);
	int total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->nlh.nlmsg_len + total > sizeof(m->buf))
		return;
	memset(a, 0, total);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(NLA_DATA(a), data, len);
	m->nlh.nlmsg_len += total;
}

void nlc_put_u8(struct nlc_msg *m, uint16_t type, uint8_t v)
{
	nlc_put(m, type, &v, sizeof(v));
}

void nlc_put_u16(struct nlc_msg *m, uint16_t type, uint16_t v)
{
	nlc_put(m, type, &v, sizeof(v));
}

void nlc_put_u32(struct nlc_msg *m, uint16_t type, uint32_t v)
{
	nlc_put(m, type, &v, sizeof(v));
}

void nlc_put_u64(struct nlc_msg *m, uint16_t type, uint64_t v)
{
	nlc_put(m, type, &v, sizeof(v));
}

void nlc_put_str(struct nlc_msg *m, uint16_t type, const char *s)
{
	nlc_put(m, type, s, strlen(s) + 1);
}

void nlc_put_flag(struct nlc_msg *m, uint16_t type)
{
	nlc_put(m, type, NULL, 0);
}

void nlc_nest_start(struct nlc_msg *m, uint16_t type)
{
	if (m->depth >= NLC_MAXNEST)
		return;
	m->nest[m->depth++] = m->nlh.nlmsg_len;
	nlc_put(m, type | NLA_F_NESTED, NULL, 0);
}

void nlc_nest_end(struct nlc_msg *m)
{
	struct nlattr *a;

	if (!m->depth)
		return;
	a = (struct nlattr *)(m->buf + m->nest[--m->depth]);
	a->nla_len = m->nlh.nlmsg_len - m->nest[m->depth];
}

/*
 * The error of an NLMSG_ERROR (struct nlmsgerr, then the request or its
 * header, then TLVs) or of an NLMSG_DONE (int, then TLVs).
 */
static void nlc_parse_err(struct nlmsghdr *nlh, struct nlc_reply *r)
{
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t total = nlh->nlmsg_len - NLMSG_HDRLEN;
	size_t off = sizeof(*e);
	struct nlattr *a;

	r->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_DONE)
		off = sizeof(int);
	else if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= total) {
		a = (struct nlattr *)((char *)e + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > total)
			break;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			r->has_msg = 1;
			snprintf(r->msg, sizeof(r->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (char *)NLA_DATA(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			r->has_offs = 1;
			memcpy(&r->offs, NLA_DATA(a), sizeof(r->offs));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			r->has_miss_type = 1;
			memcpy(&r->miss_type, NLA_DATA(a), sizeof(r->miss_type));
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

static void nlc_reply_reset(struct nlc_reply *r)
{
	r->error = 0;
	r->has_msg = 0;
	r->msg[0] = '\0';
	r->has_offs = 0;
	r->has_miss_type = 0;
	r->data_len = 0;
}

/*
 * Receive the answers to sequence number seq.  For a dump, collect every
 * message into out (if given) until NLMSG_DONE; otherwise stop at the ack.
 */
static int nlc_recv(struct nlc *c, uint32_t seq, int dump, char *out,
		    size_t outsz, size_t *outlen, struct nlc_reply *r)
{
	static union {
		struct nlmsghdr nlh;	/* for alignment */
		char bytes[65536];
	} rbuf;
	char *buf = rbuf.bytes;
	int intr = 0;

	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n = recv(c->fd, buf, sizeof(rbuf), 0);
		size_t left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->error = -errno;
			return r->error;
		}
		left = n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			uint32_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;

			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				nlc_parse_err(nlh, r);
				return r->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (plen >= sizeof(int))
					memcpy(&r->error, NLMSG_DATA(nlh),
					       sizeof(int));
				if (r->error)
					nlc_parse_err(nlh, r);
				if (!r->error && intr)
					r->error = -EINTR;
				return r->error;
			}
			if (!r->data_len && plen <= sizeof(r->data)) {
				memcpy(r->data, NLMSG_DATA(nlh), plen);
				r->data_len = plen;
			}
			if (dump && out) {
				if (*outlen + sizeof(plen) + plen > outsz) {
					r->error = -ENOSPC;
					return r->error;
				}
				memcpy(out + *outlen, &plen, sizeof(plen));
				memcpy(out + *outlen + sizeof(plen),
				       NLMSG_DATA(nlh), plen);
				*outlen += sizeof(plen) + plen;
			}
		}
	}
}

static int nlc_send(struct nlc *c, void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(c->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

int nlc_request_raw(struct nlc *c, void *buf, size_t len, struct nlc_reply *r)
{
	struct nlmsghdr *nlh = buf;
	int err;

	nlc_reply_reset(r);
	err = nlc_send(c, buf, len);
	if (err) {
		r->error = err;
		return err;
	}
	return nlc_recv(c, nlh->nlmsg_seq, 0, NULL, 0, NULL, r);
}

int nlc_request(struct nlc *c, struct nlc_msg *m, struct nlc_reply *r)
{
	m->nlh.nlmsg_flags |= NLM_F_ACK;
	m->nlh.nlmsg_seq = ++c->seq;
	return nlc_request_raw(c, m->buf, m->nlh.nlmsg_len, r);
}

int nlc_dump(struct nlc *c, struct nlc_msg *m, char *out, size_t outsz,
	     size_t *outlen, struct nlc_reply *r)
{
	int err;

	nlc_reply_reset(r);
	m->nlh.nlmsg_flags |= NLM_F_DUMP;
	m->nlh.nlmsg_seq = ++c->seq;
	err = nlc_send(c, m->buf, m->nlh.nlmsg_len);
	if (err) {
		r->error = err;
		return err;
	}
	return nlc_recv(c, m->nlh.nlmsg_seq, 1, out, outsz, outlen, r);
}

static const struct nlattr *nlc_find(const char *p, int len, uint16_t type)
{
	const struct nlattr *a;

	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

const struct nlattr *nlc_reply_attr(const struct nlc_reply *r, uint16_t type)
{
	if (r->data_len < (int)GENL_HDRLEN)
		return NULL;
	return nlc_find(r->data + GENL_HDRLEN, r->data_len - GENL_HDRLEN, type);
}

uint64_t nlc_attr_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a && a->nla_len >= NLA_HDRLEN + sizeof(v))
		memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

uint32_t nlc_attr_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (a && a->nla_len >= NLA_HDRLEN + sizeof(v))
		memcpy(&v, NLA_DATA(a), sizeof(v));
	return v;
}

/* The id of multicast group @name in a CTRL_CMD_GETFAMILY reply, or 0. */
static uint32_t nlc_find_group(const struct nlc_reply *r, const char *name)
{
	const struct nlattr *groups = nlc_reply_attr(r, CTRL_ATTR_MCAST_GROUPS);
	const struct nlattr *g, *a;
	const char *p;
	int len;

	if (!groups)
		return 0;
	p = (const char *)NLA_DATA(groups);
	len = groups->nla_len - NLA_HDRLEN;
	while (len >= NLA_HDRLEN) {
		g = (const struct nlattr *)p;
		if (g->nla_len < NLA_HDRLEN || g->nla_len > len)
			return 0;
		a = nlc_find((const char *)NLA_DATA(g), g->nla_len - NLA_HDRLEN,
			     CTRL_ATTR_MCAST_GRP_NAME);
		if (a && !strcmp((const char *)NLA_DATA(a), name))
			return nlc_attr_u32(nlc_find((const char *)NLA_DATA(g),
						     g->nla_len - NLA_HDRLEN,
						     CTRL_ATTR_MCAST_GRP_ID));
		p += NLA_ALIGN(g->nla_len);
		len -= NLA_ALIGN(g->nla_len);
	}
	return 0;
}

static int nlc_resolve(struct nlc *c)
{
	struct nlc_msg m;
	struct nlc_reply r;
	const struct nlattr *id;
	int err;

	nlc_init_raw(&m, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	nlc_put_str(&m, CTRL_ATTR_FAMILY_NAME, NFGATE_GENL_NAME);
	err = nlc_request(c, &m, &r);
	if (err)
		return err;
	id = nlc_reply_attr(&r, CTRL_ATTR_FAMILY_ID);
	if (!id)
		return -ENOENT;
	memcpy(&c->family, NLA_DATA(id), sizeof(c->family));
	c->events_group = nlc_find_group(&r, NFGATE_MCGRP_EVENTS);
	return 0;
}

int nlc_snapshot(struct nlc *c, char *out, size_t outsz, size_t *outlen)
{
	static const uint8_t cmds[] = { NFGATE_CMD_GETCHAIN, NFGATE_CMD_GETRULE };
	struct nlc_reply r;
	struct nlc_msg m;
	uint64_t gen;
	uint32_t t;
	size_t i;
	int err, tries;

	for (tries = 0; tries < 5; tries++) {
		*outlen = 0;
		err = nlc_get_gen(c, &gen);
		if (err)
			return err;
		memcpy(out, &gen, sizeof(gen));
		*outlen = sizeof(gen);
		for (t = 0; t <= NFGATE_TABLE_MAX && !err; t++) {
			for (i = 0; i < sizeof(cmds) && !err; i++) {
				nlc_msg_init(&m, c, cmds[i], 0);
				nlc_put_u32(&m, NFGATE_A_TABLE, t);
				err = nlc_dump(c, &m, out, outsz, outlen, &r);
			}
		}
		if (err != -EINTR)
			return err;
	}
	return err;
}

int nlc_new_chain(struct nlc *c, uint32_t table, const char *chain,
		  struct nlc_reply *r)
{
	struct nlc_msg m;

	nlc_msg_init(&m, c, NFGATE_CMD_NEWCHAIN, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, table);
	nlc_put_str(&m, NFGATE_A_CHAIN, chain);
	return nlc_request(c, &m, r);
}

void nlc_put_rule(struct nlc_msg *m, uint8_t proto, uint32_t verdict,
		  const char *target)
{
	nlc_nest_start(m, NFGATE_A_RULE);
	if (proto) {
		nlc_nest_start(m, NFGATE_RULE_A_PROTO);
		nlc_put_u8(m, NFGATE_PROTO_A_NUM, proto);
		nlc_nest_end(m);
	}
	if (verdict != NFGATE_VERDICT_NONE) {
		nlc_nest_start(m, NFGATE_RULE_A_TARGET);
		nlc_put_u32(m, NFGATE_TARGET_A_VERDICT, verdict);
		if (target)
			nlc_put_str(m, NFGATE_TARGET_A_CHAIN, target);
		nlc_nest_end(m);
	}
	nlc_nest_end(m);
}

int nlc_new_rule(struct nlc *c, uint32_t table, const char *chain,
		 uint8_t proto, uint32_t verdict, const char *target,
		 struct nlc_reply *r)
{
	struct nlc_msg m;

	nlc_msg_init(&m, c, NFGATE_CMD_NEWRULE, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, table);
	nlc_put_str(&m, NFGATE_A_CHAIN, chain);
	nlc_put_rule(&m, proto, verdict, target);
	return nlc_request(c, &m, r);
}

int nlc_simple(struct nlc *c, uint8_t cmd, struct nlc_reply *r)
{
	struct nlc_msg m;

	nlc_msg_init(&m, c, cmd, 0);
	return nlc_request(c, &m, r);
}

int nlc_get_gen(struct nlc *c, uint64_t *gen)
{
	static struct nlc_reply r;
	const struct nlattr *a;
	int err;

	err = nlc_simple(c, NFGATE_CMD_GETGEN, &r);
	if (err)
		return err;
	a = nlc_reply_attr(&r, NFGATE_A_GENERATION);
	if (!a)
		return -ENODATA;
	*gen = nlc_attr_u64(a);
	return 0;
}

/* Count the messages of a dump buffer whose NFGATE_A_CHAIN is chain. */
static int nlc_count_matching(const char *buf, size_t len, const char *chain)
{
	const struct nlattr *a;
	size_t off = 0;
	uint32_t plen;
	int n = 0;

	while (off + sizeof(plen) <= len) {
		memcpy(&plen, buf + off, sizeof(plen));
		off += sizeof(plen);
		if (plen >= GENL_HDRLEN) {
			a = nlc_find(buf + off + GENL_HDRLEN, plen - GENL_HDRLEN,
				     NFGATE_A_CHAIN);
			if (a && !strncmp((const char *)a + NLA_HDRLEN, chain,
					  a->nla_len - NLA_HDRLEN))
				n++;
		}
		off += plen;
	}
	return n;
}

static int nlc_dump_table(struct nlc *c, uint8_t cmd, uint32_t table,
			  const char *chain)
{
	static char buf[1 << 20];
	struct nlc_reply r;
	struct nlc_msg m;
	size_t len = 0;
	int err;

	nlc_msg_init(&m, c, cmd, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, table);
	err = nlc_dump(c, &m, buf, sizeof(buf), &len, &r);
	if (err)
		return err;
	return nlc_count_matching(buf, len, chain);
}

int nlc_rule_handles(struct nlc *c, uint32_t table, const char *chain,
		     uint64_t *handles, int max)
{
	static char buf[16 << 20];
	const struct nlattr *a, *rule;
	struct nlc_reply r;
	struct nlc_msg m;
	size_t len = 0, off = 0;
	uint32_t plen;
	int err, n = 0;

	nlc_msg_init(&m, c, NFGATE_CMD_GETRULE, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, table);
	nlc_put_str(&m, NFGATE_A_CHAIN, chain);
	err = nlc_dump(c, &m, buf, sizeof(buf), &len, &r);
	if (err)
		return err;
	while (off + sizeof(plen) <= len && n < max) {
		memcpy(&plen, buf + off, sizeof(plen));
		off += sizeof(plen);
		rule = plen >= GENL_HDRLEN ?
		       nlc_find(buf + off + GENL_HDRLEN, plen - GENL_HDRLEN,
				NFGATE_A_RULE) : NULL;
		a = rule ? nlc_find((const char *)NLA_DATA(rule),
				    rule->nla_len - NLA_HDRLEN,
				    NFGATE_RULE_A_HANDLE) : NULL;
		if (a)
			handles[n++] = nlc_attr_u64(a);
		off += plen;
	}
	return n;
}

int nlc_count_rules(struct nlc *c, uint32_t table, const char *chain)
{
	return nlc_dump_table(c, NFGATE_CMD_GETRULE, table, chain);
}

int nlc_chain_exists(struct nlc *c, uint32_t table, const char *chain)
{
	return nlc_dump_table(c, NFGATE_CMD_GETCHAIN, table, chain);
}
