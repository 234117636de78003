// SPDX-License-Identifier: GPL-2.0
/*
 * nl_fuzz: a seeded, reproducible generic netlink fuzzer for nfgate.
 *
 * It runs in a network namespace of its own (unshare(CLONE_NEWNET)) and
 * sends --count messages (or runs --seconds), every choice drawn from one
 * xorshift generator seeded by --seed, so a seed replays the same run.
 * It keeps a MODEL of the ruleset: per table the built-in chains with
 * their policies, the user chains (names from a small pool) and per chain
 * the ordered rules (protocol, destination ports, target, handle).
 *
 * Every message belongs to one of three classes:
 *
 * TRACKED  well-formed requests, valid or carrying one fault whose errno
 *          the protocol documents (missing chain, loop, non-empty chain,
 *          position out of range, stale generation, EBUSY from another
 *          socket, ECANCELED after a failed write...).  The model predicts
 *          the exact errno; an accepted write updates the model, within
 *          the transaction's staged copy when one is open.  Some are sent
 *          with mutations the model accounts for: attributes in another
 *          order, an attribute given twice (the last one wins), a rule
 *          HANDLE inside RULE (ignored on input), odd dump flags.
 *          Replies are checked too: NEWRULE's echoed handle (increasing,
 *          never reused), TXN_COMMIT's generation and operation count,
 *          GETGEN, and every dump against the committed model.
 * REJECT   a tracked request broken in a way the policy or the protocol
 *          refuses whatever the state: unknown or dump-only attribute
 *          types, wrong lengths, integers out of range, strings without
 *          NUL or too long, NLA_F_NESTED missing or where it does not
 *          belong, deep nests, truncated nests and messages, duplicates
 *          with an invalid first value, missing TABLE / CHAIN, a non-zero
 *          genl reserved byte, unknown commands, DUMP flags on do commands
 *          and no DUMP flag on dumps.  The answer must be a rejection with
 *          the errno of its kind and, where 6.1 can give one, an extack
 *          message.  Never sent by a transaction's owner (a module-level
 *          refusal would fail its transaction).
 * PROBE    random byte-level mutations (bit flips, random bytes, lengths,
 *          spliced attributes, random flags and commands) whose outcome
 *          nobody predicts.  They are sent only inside a PROBE
 *          transaction that the fuzzer then aborts: whatever a probe
 *          staged is discarded, and the next comparison of dumps with the
 *          model proves it.  Rejections must still carry an extack.
 *
 * Besides that: up to three sockets interleave (a second TXN_BEGIN is
 * EBUSY, so are other sockets' writes, while their dumps show the
 * committed ruleset); a fourth socket in the "events" group checks the
 * sequence of commit batches; forked children open a socket, begin a transaction,
 * stage writes and are SIGKILLed (or close the socket, or exit) in the
 * middle, after which no transaction may be left open.  Every
 * --check-every messages, and at the end, GETGEN and a full dump of
 * every table are compared with the model.  Any difference prints the
 * message number and the seed and exits 1.  The kernel log and unloading
 * are checked by nfgate_fuzz_genl.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "nl_client.h"

#define NT		(NFGATE_TABLE_MAX + 1)
#define NPOOL		8	/* user chain names per table */
#define NCH		(5 + NPOOL)
#define MAXR		24	/* rules per chain the generator builds up to */
#define NSOCK		3
#define DUMPSZ		(4 << 20)
#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))

/* ---------------------------------------------------------------- rng */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static int pct(int p)
{
	return (int)rn(100) < p;
}

/* -------------------------------------------------------------- model */

struct mrule {
	uint8_t proto, pinv, has_dport;
	uint16_t dmin, dmax;
	uint32_t verdict;
	char target[32];
	uint64_t handle;
};

struct mchain {
	int exists, builtin;
	uint32_t policy;
	char name[32];
	int n;
	struct mrule r[MAXR + 2];
};

struct model {
	struct mchain c[NT][NCH];
};

static const char *const builtin_names[NT][5] = {
	{ "INPUT", "FORWARD", "OUTPUT" },
	{ "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" },
	{ "PREROUTING", "OUTPUT" },
	{ "PREROUTING", "INPUT", "OUTPUT", "POSTROUTING" },
};

static const char *const pool[NPOOL] = {
	"U0", "U1", "U2", "U3", "u-4", "x", "Z_5",
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ01",	/* 28 bytes, the longest name */
};

/* Names the kernel refuses (EINVAL) whatever the state. */
static const char *const bad_names[] = {
	"", "-x", "!x", "a b", "tab\there", "ACCEPT", "DROP", "RETURN", "QUEUE",
};

static struct model committed, staged;
static uint64_t gen;		/* the committed generation, as predicted */
static uint64_t max_handle;	/* the highest handle seen */

static void model_init(struct model *m)
{
	int t, i;

	memset(m, 0, sizeof(*m));
	for (t = 0; t < NT; t++) {
		for (i = 0; i < 5 && builtin_names[t][i]; i++) {
			m->c[t][i].exists = 1;
			m->c[t][i].builtin = 1;
			m->c[t][i].policy = NFGATE_VERDICT_ACCEPT;
			strcpy(m->c[t][i].name, builtin_names[t][i]);
		}
		for (i = 0; i < NPOOL; i++)
			strcpy(m->c[t][5 + i].name, pool[i]);
	}
}

static struct mchain *mfind(struct model *m, int t, const char *name)
{
	int i;

	for (i = 0; i < NCH; i++)
		if (m->c[t][i].exists && !strcmp(m->c[t][i].name, name))
			return &m->c[t][i];
	return NULL;
}

static int is_jump(uint32_t v)
{
	return v == NFGATE_VERDICT_JUMP || v == NFGATE_VERDICT_GOTO;
}

/* Rules of table t jumping to chain name (CHAIN_REFS). */
static int mrefs(struct model *m, int t, const char *name)
{
	int i, j, n = 0;

	for (i = 0; i < NCH; i++)
		for (j = 0; j < m->c[t][i].n; j++)
			if (m->c[t][i].exists && is_jump(m->c[t][i].r[j].verdict) &&
			    !strcmp(m->c[t][i].r[j].target, name))
				n++;
	return n;
}

/* Does chain from reach chain to through jumps (from == to counts)? */
static int mreach(struct model *m, int t, struct mchain *from,
		  struct mchain *to, int depth)
{
	int j;

	if (from == to)
		return 1;
	if (depth > NCH)
		return 0;
	for (j = 0; j < from->n; j++) {
		struct mchain *n;

		if (!is_jump(from->r[j].verdict))
			continue;
		n = mfind(m, t, from->r[j].target);
		if (n && mreach(m, t, n, to, depth + 1))
			return 1;
	}
	return 0;
}

/* ---------------------------------------------------- rule generation */

/* A rule as sent: the model's fields plus how it is encoded. */
struct srule {
	struct mrule m;
	int send_proto0;	/* NUM 0 sent explicitly */
	int send_max;		/* DPORT MAX sent (else defaults to MIN) */
	int explicit_none;	/* TARGET with VERDICT NONE */
	int handle_inside;	/* RULE_A_HANDLE inside the nest (ignored) */
	int counters;		/* RULE_A_COUNTERS (initial counters) */
	int target_builtin;	/* target names a built-in chain */
};

static const uint8_t protos[] = { 0, 1, 6, 17, 47, 132 };

static const char *pick_chain_name(struct model *m, int t)
{
	int i = rn(NCH);

	if (pct(3))
		return bad_names[rn(sizeof(bad_names) / sizeof(bad_names[0]))];
	if (i < 5 && !m->c[t][i].exists)
		i = 0;
	return m->c[t][i].name;
}

static void gen_rule(int t, struct srule *s, int faults)
{
	memset(s, 0, sizeof(*s));
	s->m.proto = protos[rn(sizeof(protos))];
	s->m.pinv = s->m.proto && pct(15);
	if (!s->m.proto && pct(30))
		s->send_proto0 = 1;
	if ((s->m.proto == 6 || s->m.proto == 17) && !s->m.pinv && pct(50)) {
		s->m.has_dport = 1;
		s->m.dmin = pct(10) ? 65535 : rn(2000);
		s->m.dmax = s->m.dmin + (pct(50) ? rn(100) : 0);
		if (s->m.dmax < s->m.dmin)
			s->m.dmax = 65535;
		s->send_max = s->m.dmax != s->m.dmin || pct(50);
	}
	switch (rn(7)) {
	case 0: s->m.verdict = NFGATE_VERDICT_NONE; break;
	case 1: s->m.verdict = NFGATE_VERDICT_ACCEPT; break;
	case 2: s->m.verdict = NFGATE_VERDICT_DROP; break;
	case 3: s->m.verdict = NFGATE_VERDICT_RETURN; break;
	case 4: case 5: s->m.verdict = NFGATE_VERDICT_JUMP; break;
	default: s->m.verdict = NFGATE_VERDICT_GOTO; break;
	}
	s->explicit_none = !s->m.verdict && pct(20);
	if (is_jump(s->m.verdict)) {
		if (faults && pct(5)) {
			strcpy(s->m.target, builtin_names[t][0]);
			s->target_builtin = 1;
		} else {
			strcpy(s->m.target, pool[rn(NPOOL)]);
		}
	}
	s->handle_inside = pct(5);
	s->counters = pct(5);
	if (faults && pct(6)) {
		switch (rn(3)) {
		case 0:		/* protocol 0 inverted */
			s->m.proto = 0;
			s->m.pinv = 1;
			s->m.has_dport = 0;
			break;
		case 1:		/* ports without tcp/udp */
			s->m.has_dport = 1;
			s->m.dmin = 80;
			s->m.dmax = 80;
			s->m.proto = pct(50) ? 1 : 0;
			s->m.pinv = 0;
			break;
		default:	/* MIN > MAX */
			s->m.proto = 6;
			s->m.pinv = 0;
			s->m.has_dport = 1;
			s->m.dmin = 1000;
			s->m.dmax = 999;
			s->send_max = 1;
			break;
		}
	}
}

/* The errno rule parsing gives (before the jump check). */
static int rule_parse_err(struct model *m, int t, const struct srule *s)
{
	struct mchain *tc;

	if (!s->m.proto && s->m.pinv)
		return EINVAL;
	if (s->m.has_dport && s->m.dmin > s->m.dmax)
		return EINVAL;
	if (s->m.has_dport &&
	    (s->m.pinv || (s->m.proto != 6 && s->m.proto != 17)))
		return EINVAL;
	if (is_jump(s->m.verdict)) {
		tc = mfind(m, t, s->m.target);
		if (!tc)
			return ENOENT;
		if (tc->builtin)
			return EINVAL;
	}
	return 0;
}

static int rule_jump_err(struct model *m, int t, struct mchain *c,
			 const struct srule *s)
{
	struct mchain *tc;
	int j;

	if (!is_jump(s->m.verdict))
		return 0;
	tc = mfind(m, t, s->m.target);
	for (j = 0; j < c->n; j++)
		if (is_jump(c->r[j].verdict) &&
		    !strcmp(c->r[j].target, s->m.target))
			return 0;	/* the edge exists already */
	return mreach(m, t, tc, c, 0) ? ELOOP : 0;
}

static int rule_equal(const struct mrule *a, const struct mrule *b)
{
	return a->proto == b->proto && a->pinv == b->pinv &&
	       a->has_dport == b->has_dport &&
	       (!a->has_dport || (a->dmin == b->dmin && a->dmax == b->dmax)) &&
	       a->verdict == b->verdict &&
	       (!is_jump(a->verdict) || !strcmp(a->target, b->target));
}

/* ------------------------------------------------ message construction */

struct bb {
	uint8_t b[1024];
	int len;
	int nest[16];
	int depth;
};

static void bb_put(struct bb *b, uint16_t type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)(b->b + b->len);
	int total = NLA_ALIGN(NLA_HDRLEN + len);

	if (b->len + total > (int)sizeof(b->b))
		return;
	memset(a, 0, total);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(NLA_DATA(a), data, len);
	b->len += total;
}

static void bb_u8(struct bb *b, uint16_t type, uint8_t v) { bb_put(b, type, &v, 1); }
static void bb_u16(struct bb *b, uint16_t type, uint16_t v) { bb_put(b, type, &v, 2); }
static void bb_u32(struct bb *b, uint16_t type, uint32_t v) { bb_put(b, type, &v, 4); }
static void bb_u64(struct bb *b, uint16_t type, uint64_t v) { bb_put(b, type, &v, 8); }
static void bb_str(struct bb *b, uint16_t type, const char *s) { bb_put(b, type, s, strlen(s) + 1); }

static void bb_nest(struct bb *b, uint16_t type)
{
	b->nest[b->depth++] = b->len;
	bb_put(b, type | NLA_F_NESTED, NULL, 0);
}

static void bb_end(struct bb *b)
{
	struct nlattr *a = (struct nlattr *)(b->b + b->nest[--b->depth]);

	a->nla_len = b->len - b->nest[b->depth];
}

/* The content of an NFGATE_A_RULE nest. */
static void bb_rule(struct bb *b, const struct srule *s)
{
	if (s->handle_inside)
		bb_u64(b, NFGATE_RULE_A_HANDLE, rnd());
	if (s->m.proto || s->m.pinv || s->send_proto0) {
		bb_nest(b, NFGATE_RULE_A_PROTO);
		bb_u8(b, NFGATE_PROTO_A_NUM, s->m.proto);
		if (s->m.pinv)
			bb_put(b, NFGATE_PROTO_A_INV, NULL, 0);
		bb_end(b);
	}
	if (s->m.has_dport) {
		bb_nest(b, NFGATE_RULE_A_DPORT);
		bb_u16(b, NFGATE_PORT_A_MIN, s->m.dmin);
		if (s->send_max)
			bb_u16(b, NFGATE_PORT_A_MAX, s->m.dmax);
		bb_end(b);
	}
	if (s->m.verdict || s->explicit_none) {
		bb_nest(b, NFGATE_RULE_A_TARGET);
		bb_u32(b, NFGATE_TARGET_A_VERDICT, s->m.verdict);
		if (is_jump(s->m.verdict))
			bb_str(b, NFGATE_TARGET_A_CHAIN, s->m.target);
		bb_end(b);
	}
	if (s->counters) {
		bb_nest(b, NFGATE_RULE_A_COUNTERS);
		bb_u64(b, NFGATE_COUNTERS_A_PACKETS, rnd() >> rn(64));
		bb_u64(b, NFGATE_COUNTERS_A_BYTES, rnd());
		bb_end(b);
	}
}

static void bb_ext_start(struct bb *b, uint16_t type, const char *name)
{
	bb_nest(b, type);
	bb_str(b, NFGATE_EXT_A_NAME, name);
	bb_nest(b, NFGATE_EXT_A_DATA);
}

static void bb_ext_end(struct bb *b)
{
	bb_end(b);
	bb_end(b);
}

static void bb_addr(struct bb *b, uint16_t type)
{
	bb_nest(b, type);
	bb_u32(b, NFGATE_ADDR_A_ADDR, htonl(0xc0000200 | rn(256)));
	bb_u32(b, NFGATE_ADDR_A_MASK, pct(50) ? 0xffffffff : htonl(~0u << rn(33)));
	if (pct(20))
		bb_put(b, NFGATE_ADDR_A_INV, NULL, 0);
	bb_end(b);
}

static void bb_iface(struct bb *b, uint16_t type)
{
	static const char *const names[] = { "veth0", "eth+", "+", "lo", "x23456789012345" };

	bb_nest(b, type);
	bb_str(b, NFGATE_IFACE_A_NAME, names[rn(5)]);
	if (pct(20))
		bb_put(b, NFGATE_IFACE_A_INV, NULL, 0);
	bb_end(b);
}

/*
 * A rule with much more than the model knows (addresses, interfaces,
 * source ports, -m extensions, an extension target): the base of probe
 * messages only, so that their mutations reach the extension parsers.
 */
static void bb_rich_rule(struct bb *b)
{
	uint8_t proto = pct(50) ? 6 : pct(50) ? 17 : 1;
	int i, n;

	if (pct(50))
		bb_addr(b, NFGATE_RULE_A_SRC);
	if (pct(50))
		bb_addr(b, NFGATE_RULE_A_DST);
	bb_nest(b, NFGATE_RULE_A_PROTO);
	bb_u8(b, NFGATE_PROTO_A_NUM, proto);
	bb_end(b);
	if (pct(30))
		bb_iface(b, NFGATE_RULE_A_IIF);
	if (pct(30))
		bb_iface(b, NFGATE_RULE_A_OIF);
	if (proto != 1 && pct(40)) {
		bb_nest(b, NFGATE_RULE_A_SPORT);
		bb_u16(b, NFGATE_PORT_A_MIN, 1024);
		bb_u16(b, NFGATE_PORT_A_MAX, 65535);
		bb_end(b);
	}
	bb_nest(b, NFGATE_RULE_A_MATCHES);
	for (i = 0, n = rn(4); i < n; i++) {
		switch (rn(8)) {
		case 0:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, "comment");
			bb_str(b, NFGATE_COMMENT_A_TEXT, "fuzz");
			break;
		case 1:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, "mark");
			bb_u32(b, NFGATE_MARK_A_VALUE, rn(16));
			bb_u32(b, NFGATE_MARK_A_MASK, 0xff);
			break;
		case 2:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, proto == 17 ? "udp" : "tcp");
			if (proto == 6) {
				bb_u8(b, NFGATE_TCP_A_FLAGS_MASK, 0x17);
				bb_u8(b, NFGATE_TCP_A_FLAGS_COMP, 0x02);
			}
			break;
		case 3:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, "limit");
			bb_u32(b, NFGATE_LIMIT_A_AVG, 1 + rn(100000));
			bb_u32(b, NFGATE_LIMIT_A_BURST, 1 + rn(10));
			break;
		case 4: {
			uint16_t ports[3] = { 22, 80, 443 };

			bb_ext_start(b, NFGATE_LIST_A_ELEM, "multiport");
			bb_u8(b, NFGATE_MULTIPORT_A_DIR, rn(3));
			bb_put(b, NFGATE_MULTIPORT_A_PORTS, ports, sizeof(ports));
			break;
		}
		case 5:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, "iprange");
			bb_u32(b, NFGATE_IPRANGE_A_SRC_MIN, htonl(0xc6120001));
			bb_u32(b, NFGATE_IPRANGE_A_SRC_MAX, htonl(0xc61200ff));
			break;
		case 6:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, "length");
			bb_u16(b, NFGATE_LENGTH_A_MIN_LEN, 20);
			bb_u16(b, NFGATE_LENGTH_A_MAX_LEN, 1500);
			break;
		default:
			bb_ext_start(b, NFGATE_LIST_A_ELEM, "state");
			bb_u32(b, NFGATE_STATE_A_MASK, NFGATE_CT_STATE_NEW);
			break;
		}
		bb_ext_end(b);
	}
	bb_end(b);
	bb_nest(b, NFGATE_RULE_A_TARGET);
	if (pct(50)) {
		bb_u32(b, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_EXT);
		bb_nest(b, NFGATE_TARGET_A_EXT);
		bb_str(b, NFGATE_EXT_A_NAME, "MARK");
		bb_nest(b, NFGATE_EXT_A_DATA);
		bb_u32(b, NFGATE_XMARK_A_VALUE, rn(256));
		bb_u32(b, NFGATE_XMARK_A_MASK, 0xff);
		bb_end(b);
		bb_end(b);
	} else {
		bb_u32(b, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_ACCEPT);
	}
	bb_end(b);
}

/* A request as a list of top-level attributes, serialized at the end. */
struct item {
	uint16_t type;
	int len;
	uint8_t data[1024];
};

struct req {
	uint8_t cmd;
	uint16_t flags;
	int n;
	struct item it[10];
};

static struct item *req_add(struct req *q, uint16_t type, const void *d, int len)
{
	struct item *i = &q->it[q->n++];

	i->type = type;
	i->len = len;
	memcpy(i->data, d, len);
	return i;
}

static void req_init(struct req *q, uint8_t cmd)
{
	q->cmd = cmd;
	q->flags = 0;
	q->n = 0;
}

static void req_u32(struct req *q, uint16_t t, uint32_t v) { req_add(q, t, &v, 4); }
static void req_u64(struct req *q, uint16_t t, uint64_t v) { req_add(q, t, &v, 8); }
static void req_str(struct req *q, uint16_t t, const char *s) { req_add(q, t, s, strlen(s) + 1); }

static void req_rule(struct req *q, const struct srule *s)
{
	struct bb b = { .len = 0 };

	bb_rule(&b, s);
	req_add(q, NFGATE_A_RULE | NLA_F_NESTED, b.b, b.len);
}

/* Accounted mutations: another order, or a duplicate whose last copy wins. */
static void req_account(struct req *q, int t)
{
	struct item tmp;
	int i, j;

	if (q->n > 1 && pct(15)) {
		i = rn(q->n);
		j = rn(q->n);
		tmp = q->it[i];
		q->it[i] = q->it[j];
		q->it[j] = tmp;
	}
	if (q->n && q->n < 9 && pct(8)) {
		/* an earlier copy with another valid value; the last one wins */
		struct item *last = &q->it[q->n - 1];
		struct item copy = *last;
		uint32_t other = (t + 1 + rn(NT - 1)) % NT;

		memmove(&q->it[1], &q->it[0], q->n * sizeof(q->it[0]));
		q->n++;
		q->it[0] = copy;
		if ((copy.type & NLA_TYPE_MASK) == NFGATE_A_TABLE)
			memcpy(q->it[0].data, &other, 4);
		else if ((copy.type & NLA_TYPE_MASK) == NFGATE_A_CHAIN)
			q->it[0].len = snprintf((char *)q->it[0].data, 32, "%s",
						pool[rn(NPOOL)]) + 1;
	}
}

static void req_build(struct nlc_msg *m, struct nlc *c, const struct req *q)
{
	int i;

	nlc_msg_init(m, c, q->cmd, q->flags);
	for (i = 0; i < q->n; i++)
		nlc_put(m, q->it[i].type, q->it[i].data, q->it[i].len);
}

/* ------------------------------------------------------------ sockets */

struct sock {
	struct nlc c;
	int up;
};

static struct sock socks[NSOCK];

static int sock_open(struct nlc *c)
{
	struct timeval tv = { .tv_sec = 30 };
	int rcv = 1 << 20;
	int err = nlc_open(c);

	if (err)
		return err;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return 0;
}

/* -------------------------------------------------------------- stats */

static uint64_t seed, count = 1000000, seconds, check_every = 5000, msgno;
static int verbose, paranoid;
static uint64_t n_sock_closed, n_probe_ok;
static uint64_t n_sent, n_ok, n_err[256], n_dumps, n_killed, n_closed,
	n_exited, n_commits, n_aborts, n_probes, n_tracked, n_reject, n_probe_msgs,
	n_checks, n_child_msgs;
static struct timespec t_start;

static double elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - t_start.tv_sec +
	       (now.tv_nsec - t_start.tv_nsec) / 1e9;
}

static void count_answer(int err)
{
	n_sent++;
	msgno++;
	if (!err)
		n_ok++;
	else
		n_err[-err < 256 && -err > 0 ? -err : 255]++;
}

static const char *ename(int e)
{
	static char buf[4][48];
	static int k;
	char *b = buf[k++ % 4];

	if (e < 0)
		e = -e;
	snprintf(b, 48, "%s", e ? strerrorname_np(e) ?: "?" : "0");
	return b;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nl_fuzz: FAIL at message %" PRIu64 ": ", msgno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nnl_fuzz: replay with: nl_fuzz --seed %" PRIu64
		" --count %" PRIu64 "\n", seed, count);
	exit(1);
}

/* ------------------------------------------------------- dump checking */

static const char *cmd_name(int cmd);

static char dumpbuf[DUMPSZ];

static const struct nlattr *afind(const void *p, int len, uint16_t type)
{
	const struct nlattr *a;

	while (len >= NLA_HDRLEN) {
		a = p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		p = (const char *)p + NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static const struct nlattr *nfind(const struct nlattr *n, uint16_t type)
{
	return n ? afind(NLA_DATA(n), n->nla_len - NLA_HDRLEN, type) : NULL;
}

static uint32_t au32(const struct nlattr *a)
{
	return nlc_attr_u32(a);
}

static unsigned int au8(const struct nlattr *a)
{
	return a && a->nla_len >= NLA_HDRLEN + 1 ? *(uint8_t *)NLA_DATA(a) : 256;
}

static unsigned int au16(const struct nlattr *a)
{
	uint16_t v;

	if (!a || a->nla_len < NLA_HDRLEN + 2)
		return 65536;
	memcpy(&v, NLA_DATA(a), 2);
	return v;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct mchain *const *)a)->name,
		      (*(struct mchain *const *)b)->name);
}

/* The chains of table t in dump order: built-in in hook order, then user by name. */
static int chain_order(struct model *m, int t, struct mchain **out)
{
	struct mchain *u[NPOOL];
	int i, n = 0, nu = 0;

	for (i = 0; i < 5; i++)
		if (m->c[t][i].exists)
			out[n++] = &m->c[t][i];
	for (i = 5; i < NCH; i++)
		if (m->c[t][i].exists)
			u[nu++] = &m->c[t][i];
	qsort(u, nu, sizeof(u[0]), cmp_name);
	memcpy(out + n, u, nu * sizeof(u[0]));
	return n + nu;
}

/* The dump messages, one by one: *p advances. */
static const char *dump_next(const char **p, const char *end, int *len)
{
	uint32_t plen;
	const char *msg;

	if (*p + sizeof(plen) > end)
		return NULL;
	memcpy(&plen, *p, sizeof(plen));
	msg = *p + sizeof(plen);
	*p = msg + plen;
	*len = plen - GENL_HDRLEN;
	return msg + GENL_HDRLEN;
}

static void check_rule_msg(const char *a, int len, struct mchain *c, int pos,
			   const char *what)
{
	const struct mrule *mr = &c->r[pos];
	const struct nlattr *rule = afind(a, len, NFGATE_A_RULE);
	const struct nlattr *x, *p, *d, *tg;
	const struct nlattr *ch = afind(a, len, NFGATE_A_CHAIN);
	uint64_t h;

	if (!ch || strcmp(NLA_DATA(ch), c->name))
		die("%s: rule %d of chain %s dumped under chain %s", what,
		    pos + 1, c->name, ch ? (char *)NLA_DATA(ch) : "(none)");
	x = afind(a, len, NFGATE_A_POSITION);
	if (!x || au32(x) != (uint32_t)pos + 1)
		die("%s: %s rule %d has POSITION %u", what, c->name, pos + 1,
		    x ? au32(x) : 0);
	if (!rule)
		die("%s: %s rule %d without RULE", what, c->name, pos + 1);
	h = nlc_attr_u64(nfind(rule, NFGATE_RULE_A_HANDLE));
	if (h != mr->handle)
		die("%s: %s rule %d handle %" PRIu64 ", model %" PRIu64, what,
		    c->name, pos + 1, h, mr->handle);
	p = nfind(rule, NFGATE_RULE_A_PROTO);
	if (!!p != !!mr->proto ||
	    (p && (au8(nfind(p, NFGATE_PROTO_A_NUM)) != mr->proto ||
		   !!nfind(p, NFGATE_PROTO_A_INV) != mr->pinv)))
		die("%s: %s rule %d (handle %" PRIu64 ") protocol differs (model %u%s)",
		    what, c->name, pos + 1, h, mr->proto, mr->pinv ? " inv" : "");
	d = nfind(rule, NFGATE_RULE_A_DPORT);
	if (!!d != mr->has_dport ||
	    (d && (au16(nfind(d, NFGATE_PORT_A_MIN)) != mr->dmin ||
		   au16(nfind(d, NFGATE_PORT_A_MAX)) != mr->dmax)))
		die("%s: %s rule %d (handle %" PRIu64 ") ports differ (model %u:%u)",
		    what, c->name, pos + 1, h, mr->dmin, mr->dmax);
	tg = nfind(rule, NFGATE_RULE_A_TARGET);
	if ((tg ? au32(nfind(tg, NFGATE_TARGET_A_VERDICT)) : 0) != mr->verdict)
		die("%s: %s rule %d (handle %" PRIu64 ") verdict %u, model %u",
		    what, c->name, pos + 1, h,
		    tg ? au32(nfind(tg, NFGATE_TARGET_A_VERDICT)) : 0, mr->verdict);
	x = nfind(tg, NFGATE_TARGET_A_CHAIN);
	if (is_jump(mr->verdict) && (!x || strcmp(NLA_DATA(x), mr->target)))
		die("%s: %s rule %d jumps to %s, model %s", what, c->name,
		    pos + 1, x ? (char *)NLA_DATA(x) : "(none)", mr->target);
}

/*
 * Dump table t (one chain if chain) with cmd and compare with the
 * committed model.  Returns the dump's errno, compared by the caller.
 */
static int dump_check(struct nlc *c, uint8_t cmd, int t, const char *chain,
		      uint16_t extra_flags, const char *what)
{
	struct mchain *order[NCH], *one;
	static struct nlc_reply r;
	const char *p = dumpbuf, *end, *a;
	struct nlc_msg m;
	size_t len = 0;
	int n, i, j, alen, err;

	nlc_msg_init(&m, c, cmd, extra_flags);
	nlc_put_u32(&m, NFGATE_A_TABLE, t);
	if (chain)
		nlc_put_str(&m, NFGATE_A_CHAIN, chain);
	err = nlc_dump(c, &m, dumpbuf, sizeof(dumpbuf), &len, &r);
	count_answer(err);
	n_dumps++;
	if (verbose)
		fprintf(stderr, "# %" PRIu64 " %s %s table %d flags 0x%x -> %s\n",
			msgno, what, cmd_name(cmd), t, m.nlh.nlmsg_flags, ename(err));
	if (err == -EINTR)
		die("%s: dump interrupted (NLM_F_DUMP_INTR) with no writer", what);
	if (err)
		return err;
	end = dumpbuf + len;
	if (chain) {
		one = mfind(&committed, t, chain);
		if (!one)
			die("%s: dump of missing chain %s answered", what, chain);
		order[0] = one;
		n = 1;
	} else {
		n = chain_order(&committed, t, order);
	}
	for (i = 0; i < n; i++) {
		struct mchain *mc = order[i];

		if (cmd == NFGATE_CMD_GETCHAIN) {
			const struct nlattr *x;

			a = dump_next(&p, end, &alen);
			if (!a)
				die("%s: table %d: chain %s missing from GETCHAIN",
				    what, t, mc->name);
			x = afind(a, alen, NFGATE_A_CHAIN);
			if (!x || strcmp(NLA_DATA(x), mc->name))
				die("%s: table %d chain %d is %s, model %s", what, t,
				    i, x ? (char *)NLA_DATA(x) : "(none)", mc->name);
			x = afind(a, alen, NFGATE_A_CHAIN_RULES);
			if (au32(x) != (uint32_t)mc->n)
				die("%s: table %d chain %s has %u rules, model %d",
				    what, t, mc->name, au32(x), mc->n);
			x = afind(a, alen, NFGATE_A_CHAIN_REFS);
			if (au32(x) != (uint32_t)mrefs(&committed, t, mc->name))
				die("%s: table %d chain %s has %u refs, model %d",
				    what, t, mc->name, au32(x),
				    mrefs(&committed, t, mc->name));
			x = afind(a, alen, NFGATE_A_CHAIN_FLAGS);
			if (!!(au32(x) & NFGATE_CHAIN_F_BUILTIN) != mc->builtin)
				die("%s: chain %s builtin flag differs", what, mc->name);
			x = afind(a, alen, NFGATE_A_POLICY);
			if (mc->builtin && au32(x) != mc->policy)
				die("%s: table %d chain %s policy %u, model %u", what,
				    t, mc->name, au32(x), mc->policy);
			continue;
		}
		for (j = 0; j < mc->n; j++) {
			a = dump_next(&p, end, &alen);
			if (!a)
				die("%s: table %d chain %s: rule %d missing from dump",
				    what, t, mc->name, j + 1);
			check_rule_msg(a, alen, mc, j, what);
		}
	}
	if (dump_next(&p, end, &alen))
		die("%s: table %d: dump has more than the model", what, t);
	return 0;
}

static void check_gen(struct nlc *c, const char *what)
{
	uint64_t g = 0;
	int err = nlc_get_gen(c, &g);

	count_answer(err);
	if (err)
		die("%s: GETGEN: %s", what, ename(err));
	if (g != gen)
		die("%s: generation %" PRIu64 ", model %" PRIu64, what, g, gen);
}

static void ev_check(const char *what);

static void full_check(struct nlc *c, const char *what)
{
	int t;

	n_checks++;
	check_gen(c, what);
	ev_check(what);
	for (t = 0; t < NT; t++) {
		if (dump_check(c, NFGATE_CMD_GETCHAIN, t, NULL, 0, what))
			die("%s: GETCHAIN table %d failed", what, t);
		if (dump_check(c, NFGATE_CMD_GETRULE, t, NULL, 0, what))
			die("%s: GETRULE table %d failed", what, t);
	}
}

/* ------------------------------------------------------------- events */

/*
 * A socket in the "events" group, drained now and then.  Its small buffer
 * overflows at times: recv() reports ENOBUFS before the messages queued
 * around the loss, so the checks pause (ev_lost 1) until the queue is
 * empty, then (ev_lost 2) resume after the next TXN_COMMIT event, which
 * ends the batch that may have lost messages.  Every event must be one of the documented commands
 * and carry the generation of its commit; each commit's batch ends with
 * TXN_COMMIT, whose TXN_OPS counts the batch and whose generation is the
 * previous one plus one; after a drain the last one is the model's.
 */
static struct nlc evs;
static uint64_t ev_gen, ev_ops, n_events, n_ev_commits, n_ev_overruns;
static int ev_lost;

static void ev_drain(void)
{
	static union {
		struct nlmsghdr nlh;
		char b[65536];
	} buf;

	for (;;) {
		ssize_t n = recv(evs.fd, buf.b, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h;
		size_t left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			n_ev_overruns++;
			ev_lost = 1;
			continue;
		}
		if (n < 0) {
			if (ev_lost == 1)
				ev_lost = 2;
			break;
		}
		left = n;
		for (h = &buf.nlh; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			struct genlmsghdr *g = NLMSG_DATA(h);
			const void *attrs = (char *)g + GENL_HDRLEN;
			int alen = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			uint64_t eg;

			if (h->nlmsg_type != evs.family || alen < 0)
				die("event of type %u (family %u)", h->nlmsg_type,
				    evs.family);
			n_events++;
			eg = nlc_attr_u64(afind(attrs, alen, NFGATE_A_GENERATION));
			if (!ev_lost && ev_gen && eg != ev_gen + 1)
				die("event %s of generation %" PRIu64 " after %" PRIu64,
				    cmd_name(g->cmd), eg, ev_gen);
			switch (g->cmd) {
			case NFGATE_CMD_NEWCHAIN:
			case NFGATE_CMD_SETPOLICY:
			case NFGATE_CMD_DELRULE:
			case NFGATE_CMD_NEWRULE:
			case NFGATE_CMD_DELCHAIN:
				ev_ops++;
				break;
			case NFGATE_CMD_TXN_COMMIT: {
				uint32_t ops = au32(afind(attrs, alen, NFGATE_A_TXN_OPS));

				if (!ev_lost && ops != ev_ops)
					die("TXN_COMMIT event: TXN_OPS %u, %" PRIu64
					    " change events", ops, ev_ops);
				ev_gen = eg;
				ev_ops = 0;
				if (ev_lost == 2)
					ev_lost = 0;
				n_ev_commits++;
				break;
			}
			default:
				die("event with command %u", g->cmd);
			}
		}
	}
}

static void ev_check(const char *what)
{
	ev_drain();
	if (!ev_lost && ev_gen && ev_gen != gen)
		die("%s: last TXN_COMMIT event has generation %" PRIu64
		    ", model %" PRIu64, what, ev_gen, gen);
}

/* ---------------------------------------------------- tracked writes */

/* The transaction as the model sees it. */
static struct {
	int open;
	int owner;		/* socket index */
	int failed;		/* errno of the first failed write */
	int changed;
	uint32_t nops;
} txn;

/* A tracked write: built, predicted (errno, model change) and applied. */
struct wop {
	struct req q;
	int expect;		/* errno */
	int changed;		/* the write stages a change */
	/* what to apply on success */
	int kind, t, ci, pos;
	uint32_t upos;		/* NEWRULE's POSITION, 0: append */
	struct srule s;
};

enum { K_NONE, K_NEWCHAIN, K_DELCHAIN, K_DELALL, K_FLUSH, K_FLUSHALL,
	K_POLICY, K_NEWRULE, K_DELRULE, K_REPLACE };

static int chain_index(struct model *m, int t, struct mchain *c)
{
	return c ? (int)(c - m->c[t]) : -1;
}

static int rule_by_handle(struct mchain *c, uint64_t h)
{
	int j;

	for (j = 0; j < c->n; j++)
		if (c->r[j].handle == h)
			return j;
	return -1;
}

/* Some handle: of this chain, of another chain, or none at all. */
static uint64_t pick_handle(struct model *m, int t, struct mchain *c)
{
	struct mchain *o;

	if (c && c->n && pct(70))
		return c->r[rn(c->n)].handle;
	o = &m->c[t][rn(NCH)];
	if (o->exists && o->n && pct(50))
		return o->r[rn(o->n)].handle;
	return pct(50) ? max_handle + 1 + rn(5) : rnd();
}

static uint32_t pick_pos(struct mchain *c, int insert)
{
	int n = c ? c->n : 0;

	switch (rn(8)) {
	case 0: return 0;
	case 1: return n + 1 + insert;
	case 2: return 0xffffffffu;
	case 3: return 0x80000000u + rn(1000);
	default: return 1 + rn(n + insert > 0 ? n + insert : 1);
	}
}

/*
 * The chain a rule command names: 80% of the time (or when none was picked)
 * a random existing one, falling back to chain 0; else the one picked before.
 */
static struct mchain *pick_rule_chain(struct model *m, int t, struct mchain *c,
				      const char **name)
{
	if (pct(80) || !c) {
		c = &m->c[t][rn(NCH)];
		if (!c->exists)
			c = &m->c[t][0];
		*name = c->name;
	}
	return c;
}

static void put_table_chain(struct req *q, int t, const char *name)
{
	req_u32(q, NFGATE_A_TABLE, t);
	req_str(q, NFGATE_A_CHAIN, name);
}

/*
 * Name a rule of c by HANDLE: its index into *idx (-1: none), and the errno
 * the request earns, err unless that is 0 and there is no such rule.
 */
static int put_rule_handle(struct req *q, struct model *m, int t,
			   struct mchain *c, int *idx, int err)
{
	uint64_t h = pick_handle(m, t, c);

	req_u64(q, NFGATE_A_HANDLE, h);
	*idx = c ? rule_by_handle(c, h) : -1;
	if (!err && *idx < 0)
		err = ENOENT;
	return err;
}

/* The same by POSITION (1-based): ERANGE when out of c. */
static int put_rule_position(struct req *q, struct mchain *c, int *idx, int err)
{
	uint32_t p = pick_pos(c, 0);

	req_u32(q, NFGATE_A_POSITION, p);
	*idx = (int)p - 1;
	if (!err && (p < 1 || p > (uint32_t)c->n))
		err = ERANGE;
	return err;
}

/* Build and predict a random write against model m (the view of the sender). */
static void gen_write(struct model *m, struct wop *w)
{
	int t = rn(NT), cmd = rn(100);
	const char *name;
	struct mchain *c;
	int err;

	memset(w, 0, sizeof(*w));
	w->t = t;
	name = pick_chain_name(m, t);
	c = mfind(m, t, name);

	if (cmd < 8) {			/* NEWCHAIN */
		unsigned int i;

		req_init(&w->q, NFGATE_CMD_NEWCHAIN);
		name = pct(85) ? pool[rn(NPOOL)] : name;
		put_table_chain(&w->q, t, name);
		c = mfind(m, t, name);
		err = 0;
		for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
			if (!strcmp(name, bad_names[i]))
				err = EINVAL;
		if (!err && c)
			err = EEXIST;
		w->expect = err;
		w->changed = !err;
		w->kind = K_NEWCHAIN;
		for (i = 0; i < NPOOL; i++)
			if (!strcmp(pool[i], name))
				w->ci = 5 + i;
	} else if (cmd < 14) {		/* DELCHAIN */
		req_init(&w->q, NFGATE_CMD_DELCHAIN);
		req_u32(&w->q, NFGATE_A_TABLE, t);
		if (pct(85)) {
			name = pct(80) ? pool[rn(NPOOL)] : name;
			c = mfind(m, t, name);
			req_str(&w->q, NFGATE_A_CHAIN, name);
			w->kind = K_DELCHAIN;
			w->ci = chain_index(m, t, c);
			if (!c)
				w->expect = ENOENT;
			else if (c->builtin)
				w->expect = EPERM;
			else if (c->n)
				w->expect = ENOTEMPTY;
			else if (mrefs(m, t, c->name))
				w->expect = EMLINK;
			w->changed = !w->expect;
		} else {
			struct mchain *order[NCH];
			int n = chain_order(m, t, order), i;

			w->kind = K_DELALL;
			for (i = 0; i < n && !w->expect; i++) {
				if (order[i]->builtin)
					continue;
				w->changed = 1;
				if (order[i]->n)
					w->expect = ENOTEMPTY;
				else if (mrefs(m, t, order[i]->name))
					w->expect = EMLINK;
			}
		}
	} else if (cmd < 18) {		/* FLUSH */
		req_init(&w->q, NFGATE_CMD_FLUSH);
		req_u32(&w->q, NFGATE_A_TABLE, t);
		if (pct(85)) {
			req_str(&w->q, NFGATE_A_CHAIN, name);
			w->kind = K_FLUSH;
			w->ci = chain_index(m, t, c);
			if (!c)
				w->expect = ENOENT;
			else
				w->changed = c->n > 0;
		} else {
			int i;

			w->kind = K_FLUSHALL;
			for (i = 0; i < NCH; i++)
				if (m->c[t][i].exists && m->c[t][i].n)
					w->changed = 1;
		}
	} else if (cmd < 25) {		/* SETPOLICY */
		uint32_t pol = pct(50) ? NFGATE_VERDICT_ACCEPT : NFGATE_VERDICT_DROP;
		int nopol = pct(5);

		req_init(&w->q, NFGATE_CMD_SETPOLICY);
		req_u32(&w->q, NFGATE_A_TABLE, t);
		if (pct(70) && !c) {
			c = &m->c[t][rn(2)];	/* every table has two built-ins */
			name = c->name;
		}
		req_str(&w->q, NFGATE_A_CHAIN, name);
		if (!nopol)
			req_u32(&w->q, NFGATE_A_POLICY, pol);
		if (pct(15)) {
			struct bb b = { .len = 0 };

			bb_u64(&b, NFGATE_COUNTERS_A_PACKETS, pct(50) ? ~0ULL : rnd());
			bb_u64(&b, NFGATE_COUNTERS_A_BYTES, rnd());
			req_add(&w->q, NFGATE_A_COUNTERS | NLA_F_NESTED, b.b, b.len);
		}
		w->kind = K_POLICY;
		w->ci = chain_index(m, t, c);
		w->pos = pol;
		if (!c)
			w->expect = ENOENT;
		else if (!c->builtin || nopol)
			w->expect = EINVAL;
		else
			w->changed = c->policy != pol;
	} else if (cmd < 62) {		/* NEWRULE */
		int nor = pct(2);

		req_init(&w->q, NFGATE_CMD_NEWRULE);
		c = pick_rule_chain(m, t, c, &name);
		put_table_chain(&w->q, t, name);
		gen_rule(t, &w->s, 1);
		if (!nor)
			req_rule(&w->q, &w->s);
		w->upos = 0;
		w->pos = pct(30);	/* POSITION given */
		if (w->pos) {
			w->upos = pick_pos(c, 1);
			req_u32(&w->q, NFGATE_A_POSITION, w->upos);
		}
		w->q.flags = NLM_F_ECHO;
		w->kind = K_NEWRULE;
		w->ci = chain_index(m, t, c);
		if (!c)
			err = ENOENT;
		else if (nor)
			err = EINVAL;
		else
			err = rule_parse_err(m, t, &w->s);
		if (!err)
			err = rule_jump_err(m, t, c, &w->s);
		if (!err && w->pos && (w->upos < 1 || w->upos > (uint32_t)c->n + 1))
			err = ERANGE;
		if (!err && c->n >= MAXR) {
			/* keep chains short: turn it into a FLUSH of the chain */
			req_init(&w->q, NFGATE_CMD_FLUSH);
			put_table_chain(&w->q, t, name);
			w->kind = K_FLUSH;
			w->changed = 1;
		}
		w->expect = err;
		if (!err && w->kind == K_NEWRULE)
			w->changed = 1;
	} else if (cmd < 82) {		/* DELRULE */
		int how = rn(10);	/* 0-3 handle, 4-6 position, 7-8 rule, 9 none/two */

		req_init(&w->q, NFGATE_CMD_DELRULE);
		c = pick_rule_chain(m, t, c, &name);
		put_table_chain(&w->q, t, name);
		w->kind = K_DELRULE;
		w->ci = chain_index(m, t, c);
		err = c ? 0 : ENOENT;
		if (how <= 3) {
			err = put_rule_handle(&w->q, m, t, c, &w->pos, err);
		} else if (how <= 6) {
			err = put_rule_position(&w->q, c, &w->pos, err);
		} else if (how <= 8) {
			struct srule s;
			int j;

			gen_rule(t, &s, 1);
			if (c && c->n && pct(70)) {
				/* an existing rule, sent the way a client would */
				s.m = c->r[rn(c->n)];
				s.send_max = 1;
			}
			req_rule(&w->q, &s);
			if (!err)
				err = rule_parse_err(m, t, &s);
			w->pos = -1;
			for (j = 0; !err && j < c->n; j++)
				if (rule_equal(&c->r[j], &s.m)) {
					w->pos = j;
					break;
				}
			if (!err && w->pos < 0)
				err = ENOENT;
		} else {
			if (pct(50)) {
				req_u64(&w->q, NFGATE_A_HANDLE, pick_handle(m, t, c));
				req_u32(&w->q, NFGATE_A_POSITION, 1);
			}
			if (!err)
				err = EINVAL;
		}
		w->expect = err;
		w->changed = !err;
	} else if (cmd < 92) {		/* REPLACERULE */
		int how = rn(10);
		int old = -1;

		req_init(&w->q, NFGATE_CMD_REPLACERULE);
		c = pick_rule_chain(m, t, c, &name);
		put_table_chain(&w->q, t, name);
		w->kind = K_REPLACE;
		w->ci = chain_index(m, t, c);
		err = c ? 0 : ENOENT;
		if (how <= 5) {
			err = put_rule_handle(&w->q, m, t, c, &old, err);
		} else if (how <= 8) {
			err = put_rule_position(&w->q, c, &old, err);
		} else {
			if (pct(50)) {
				req_u64(&w->q, NFGATE_A_HANDLE, 1);
				req_u32(&w->q, NFGATE_A_POSITION, 1);
			}
			if (!err)
				err = EINVAL;
		}
		gen_rule(t, &w->s, 1);
		if (pct(97))
			req_rule(&w->q, &w->s);
		else if (!err)
			err = EINVAL;
		if (!err)
			err = rule_parse_err(m, t, &w->s);
		if (!err)
			err = rule_jump_err(m, t, c, &w->s);
		w->q.flags = NLM_F_ECHO;
		w->pos = old;
		w->expect = err;
		w->changed = !err;
	} else {			/* ZERO is not a write: see gen_zero */
		req_init(&w->q, NFGATE_CMD_FLUSH);
		put_table_chain(&w->q, t, "x");
		w->kind = K_FLUSH;
		c = mfind(m, t, "x");
		w->ci = chain_index(m, t, c);
		w->expect = c ? 0 : ENOENT;
		w->changed = c && c->n;
	}
	req_account(&w->q, t);
}

static void mrule_del(struct mchain *c, int j)
{
	memmove(&c->r[j], &c->r[j + 1], (c->n - j - 1) * sizeof(c->r[0]));
	c->n--;
}

static void check_new_handle(const struct nlc_reply *r, uint64_t *h)
{
	const struct nlattr *a = nlc_reply_attr(r, NFGATE_A_HANDLE);

	if (!a)
		die("NEWRULE/REPLACERULE with NLM_F_ECHO: no HANDLE in the reply");
	*h = nlc_attr_u64(a);
	if (*h <= max_handle)
		die("new handle %" PRIu64 " not above the highest seen, %" PRIu64,
		    *h, max_handle);
	max_handle = *h;
}

static void apply_write(struct model *m, struct wop *w, const struct nlc_reply *r)
{
	struct mchain *c = w->ci >= 0 ? &m->c[w->t][w->ci] : NULL;
	struct mrule nr;
	int i;

	switch (w->kind) {
	case K_NEWCHAIN:
		c->exists = 1;
		c->n = 0;
		break;
	case K_DELCHAIN:
		c->exists = 0;
		break;
	case K_DELALL:
		for (i = 5; i < NCH; i++)
			m->c[w->t][i].exists = 0;
		break;
	case K_FLUSH:
		c->n = 0;
		break;
	case K_FLUSHALL:
		for (i = 0; i < NCH; i++)
			m->c[w->t][i].n = 0;
		break;
	case K_POLICY:
		c->policy = w->pos;
		break;
	case K_NEWRULE:
		nr = w->s.m;
		if (!nr.proto)
			nr.pinv = 0;
		check_new_handle(r, &nr.handle);
		i = w->pos ? (int)w->upos - 1 : c->n;
		memmove(&c->r[i + 1], &c->r[i], (c->n - i) * sizeof(c->r[0]));
		c->r[i] = nr;
		c->n++;
		break;
	case K_DELRULE:
		mrule_del(c, w->pos);
		break;
	case K_REPLACE:
		nr = w->s.m;
		if (!nr.proto)
			nr.pinv = 0;
		check_new_handle(r, &nr.handle);
		c->r[w->pos] = nr;
		break;
	}
}

/* Check an answer against the expected errno, with extack for refusals. */
static void expect_answer(const char *what, int err, int want,
			  const struct nlc_reply *r, int need_msg)
{
	count_answer(err);
	if (verbose)
		fprintf(stderr, "# %" PRIu64 " %s -> %s (gen %" PRIu64 ")\n",
			msgno, what, ename(err), gen);
	if (-err != want)
		die("%s: answered %s, model expects %s (msg \"%s\")", what,
		    ename(err), ename(want), r->has_msg ? r->msg : "");
	if (err && need_msg && !r->has_msg)
		die("%s: refused with %s but no extack message", what, ename(err));
}

static const char *cmd_name(int cmd)
{
	static const char *const n[] = {
		"UNSPEC", "NEWCHAIN", "DELCHAIN", "FLUSH", "SETPOLICY",
		"NEWRULE", "DELRULE", "REPLACERULE", "ZERO", "GETCHAIN",
		"GETRULE", "TXN_BEGIN", "TXN_COMMIT", "TXN_ABORT", "GETGEN",
	};

	return cmd >= 0 && cmd <= NFGATE_CMD_MAX ? n[cmd] : "?";
}

/* A tracked write from socket s. */
static void tracked_write(int s)
{
	static struct nlc_reply r;
	struct nlc_msg m;
	int owner = txn.open && txn.owner == s;
	struct model *view = owner ? &staged : &committed;
	char what[96];
	struct wop w;
	int want, err;

	gen_write(view, &w);
	req_build(&m, &socks[s].c, &w.q);
	want = w.expect;
	if (txn.open && !owner)
		want = EBUSY;
	else if (owner && txn.failed)
		want = ECANCELED;
	snprintf(what, sizeof(what), "%s table %d (socket %d%s)",
		 cmd_name(w.q.cmd), w.t, s, owner ? ", owner" : "");
	err = nlc_request(&socks[s].c, &m, &r);
	expect_answer(what, err, want, &r, 1);
	n_tracked++;
	if (verbose)
		fprintf(stderr, "# %" PRIu64 " %s -> %s\n", msgno, what, ename(err));
	if (owner && !txn.failed) {
		txn.nops++;
		if (err) {
			txn.failed = -err;
			return;
		}
		apply_write(&staged, &w, &r);
		txn.changed |= w.changed;
		return;
	}
	if (!txn.open && !err) {
		apply_write(&committed, &w, &r);
		if (w.changed)
			gen++;
	}
}

/* ZERO: not transactional; the owner sees its staged view. */
static void tracked_zero(int s)
{
	static struct nlc_reply r;
	int owner = txn.open && txn.owner == s;
	struct model *m = owner ? &staged : &committed;
	int t = rn(NT), want = 0, err, how = rn(6), idx;
	const char *name = pick_chain_name(m, t);
	struct mchain *c = mfind(m, t, name);
	struct nlc_msg msg;
	struct req q;

	req_init(&q, NFGATE_CMD_ZERO);
	req_u32(&q, NFGATE_A_TABLE, t);
	if (how == 0) {
		if (pct(30)) {
			req_u32(&q, NFGATE_A_POSITION, 1);
			want = EINVAL;
		}
	} else {
		req_str(&q, NFGATE_A_CHAIN, name);
		if (how >= 3) {
			if (how == 5) {
				req_u64(&q, NFGATE_A_HANDLE, 1);
				req_u32(&q, NFGATE_A_POSITION, 1);
				want = EINVAL;
			} else if (how == 4) {
				want = put_rule_handle(&q, m, t, c, &idx,
						       c ? 0 : ENOENT);
			} else {
				want = put_rule_position(&q, c, &idx,
							 c ? 0 : ENOENT);
			}
		}
		if (!c && want != EINVAL)
			want = ENOENT;
	}
	req_account(&q, t);
	req_build(&msg, &socks[s].c, &q);
	err = nlc_request(&socks[s].c, &msg, &r);
	expect_answer("ZERO", err, want, &r, 1);
	n_tracked++;
}

/* A tracked dump (any socket: dumps show the committed ruleset). */
static void tracked_dump(int s)
{
	static const uint16_t odd[] = { 0, NLM_F_ACK, NLM_F_ECHO, NLM_F_ATOMIC,
					NLM_F_ACK | NLM_F_ECHO, NLM_F_ACK | NLM_F_ATOMIC };
	int t = rn(NT), err, want = 0;
	uint8_t cmd = pct(50) ? NFGATE_CMD_GETCHAIN : NFGATE_CMD_GETRULE;
	const char *chain = NULL;
	uint16_t flags;

	if (pct(60)) {
		chain = pick_chain_name(&committed, t);
		if (!mfind(&committed, t, chain))
			want = ENOENT;
	}
	flags = odd[rn(sizeof(odd) / 2)];
	/* genetlink refuses flags that mean nothing for a dump of a new-style op */
	if (flags & NLM_F_ATOMIC)
		want = EINVAL;
	err = dump_check(&socks[s].c, cmd, t, chain, flags, cmd_name(cmd));
	if (-err != want)
		die("%s table %d chain %s flags 0x%x: %s, model expects %s",
		    cmd_name(cmd), t, chain ?: "(all)", flags, ename(err),
		    ename(want));
}

static void txn_begin_opt(int s, int may_be_stale)
{
	static struct nlc_reply r;
	struct nlc_msg m;
	int want = 0, err, stale = may_be_stale && pct(5);

	nlc_msg_init(&m, &socks[s].c, NFGATE_CMD_TXN_BEGIN, 0);
	if (pct(40) || stale)
		nlc_put_u64(&m, NFGATE_A_GENERATION, stale ? gen + 1 + rn(3) : gen);
	if (txn.open)
		want = EBUSY;
	else if (stale)
		want = ESTALE;
	err = nlc_request(&socks[s].c, &m, &r);
	expect_answer("TXN_BEGIN", err, want, &r, 1);
	if (!err) {
		txn.open = 1;
		txn.owner = s;
		txn.failed = 0;
		txn.changed = 0;
		txn.nops = 0;
		staged = committed;
	}
}

static void txn_begin(int s)
{
	txn_begin_opt(s, 1);
}

/* At exit: a transaction left open with staged writes goes with the netns. */
static void leave_open_txn(void)
{
	int i;

	txn_begin_opt(1, 0);
	for (i = 0; i < 20 && txn.open; i++)
		tracked_write(1);
}

static void txn_end(int s, int commit)
{
	static struct nlc_reply r;
	struct nlc_msg m;
	int want = 0, err, stale = commit && pct(4);
	int owner = txn.open && txn.owner == s;

	nlc_msg_init(&m, &socks[s].c,
		     commit ? NFGATE_CMD_TXN_COMMIT : NFGATE_CMD_TXN_ABORT, 0);
	if (commit && (pct(40) || stale))
		nlc_put_u64(&m, NFGATE_A_GENERATION, stale ? gen + 1 : gen);
	if (!txn.open)
		want = EINVAL;
	else if (!owner)
		want = EBUSY;
	else if (commit && txn.failed)
		want = txn.failed;
	else if (stale)
		want = ESTALE;
	err = nlc_request(&socks[s].c, &m, &r);
	expect_answer(commit ? "TXN_COMMIT" : "TXN_ABORT", err, want, &r, 1);
	if (!owner)
		return;
	if (commit && !err) {
		const struct nlattr *g = nlc_reply_attr(&r, NFGATE_A_GENERATION);
		const struct nlattr *o = nlc_reply_attr(&r, NFGATE_A_TXN_OPS);

		committed = staged;
		if (txn.changed)
			gen++;
		n_commits++;
		if (!g || nlc_attr_u64(g) != gen)
			die("TXN_COMMIT reply generation %" PRIu64 ", model %" PRIu64,
			    nlc_attr_u64(g), gen);
		if (!o || nlc_attr_u32(o) != txn.nops)
			die("TXN_COMMIT reply TXN_OPS %u, model %u",
			    nlc_attr_u32(o), txn.nops);
	} else {
		n_aborts++;
	}
	txn.open = 0;
}

static void tracked_getgen(int s)
{
	uint64_t g = 0;
	int err = nlc_get_gen(&socks[s].c, &g);

	count_answer(err);
	if (err || g != gen)
		die("GETGEN: %s, generation %" PRIu64 ", model %" PRIu64,
		    ename(err), g, gen);
}

/* -------------------------------------------------- rejected messages */

enum { R_UNKNOWN, R_DUMPONLY, R_BADLEN, R_RANGE, R_NONUL, R_LONGNAME,
	R_NOTNESTED, R_NESTFLAG, R_DEEP, R_TRUNCNEST, R_TRUNCMSG, R_DUPBAD,
	R_MISSING, R_RESERVED, R_BADCMD, R_DUMPFLAG, R_NODUMPFLAG, R_RESFLAGS,
	R_NESTED, R_MAX };

static const char *const rname[R_MAX] = {
	"unknown type", "dump-only type", "wrong length", "out of range",
	"string without NUL", "name too long", "nest without NLA_F_NESTED",
	"NLA_F_NESTED on a leaf", "deep nest", "truncated nest",
	"truncated message", "invalid duplicate", "missing attribute",
	"genl reserved byte", "unknown command", "DUMP flag on a do command",
	"dump without DUMP flag", "reserved nlmsg_flags", "bad value in a nest",
};

static uint64_t n_rkind[R_MAX];

/* A random tracked-style request of a write command (any state). */
static void base_write(struct req *q, int *t)
{
	struct wop w;

	gen_write(&committed, &w);
	*q = w.q;
	*t = w.t;
}

static struct item *find_item(struct req *q, uint16_t type)
{
	int i;

	for (i = 0; i < q->n; i++)
		if ((q->it[i].type & NLA_TYPE_MASK) == type)
			return &q->it[i];
	return NULL;
}

/* One REJECT message from socket s (never the transaction's owner). */
static void reject_msg(int s)
{
	static struct nlc_reply r;
	struct nlc_msg m;
	struct item *it;
	struct req q;
	int kind = rn(R_MAX), t, err, i, need_msg = 1, ok = 0;
	int a = EINVAL, b = EINVAL, c2 = EINVAL;
	const char *name;
	uint32_t v32;

	base_write(&q, &t);
	switch (kind) {
	case R_UNKNOWN: {
		static const uint16_t types[] = { 0, NFGATE_A_MAX + 1, 100, 0x3fff };

		v32 = rn(5);
		i = rn(q.n + 1);
		memmove(&q.it[i + 1], &q.it[i], (q.n - i) * sizeof(q.it[0]));
		q.n++;
		q.it[i].type = types[rn(4)];
		q.it[i].len = 4;
		memcpy(q.it[i].data, &v32, 4);
		break;
	}
	case R_DUMPONLY:
		v32 = rn(10);
		req_u32(&q, pct(50) ? NFGATE_A_CHAIN_REFS : NFGATE_A_CHAIN_RULES, v32);
		break;
	case R_BADLEN: {
		/* a fixed-size attribute of the request, else TABLE */
		static const uint16_t fixed[] = { NFGATE_A_POSITION, NFGATE_A_HANDLE,
						  NFGATE_A_POLICY };
		int want = 4;

		it = find_item(&q, fixed[rn(3)]);
		if (it && (it->type & NLA_TYPE_MASK) == NFGATE_A_HANDLE)
			want = 8;
		if (!it)
			it = find_item(&q, NFGATE_A_TABLE);
		do
			it->len = rn(13);
		while (it->len == want);
		memset(it->data, 0, 16);
		break;
	}
	case R_RANGE:
		it = find_item(&q, NFGATE_A_POLICY);
		if (it && pct(50)) {
			v32 = pct(30) ? 0 : NFGATE_VERDICT_DROP + 1 + rn(1000);
		} else {
			it = find_item(&q, NFGATE_A_TABLE);
			v32 = pct(50) ? NT + rn(100) : 0xffffffffu - rn(3);
		}
		memcpy(it->data, &v32, 4);
		a = ERANGE;
		break;
	case R_NESTED: {
		/* one bad value inside the rule, which the policy validates */
		struct bb bx = { .len = 0 };
		uint32_t v = NFGATE_VERDICT_MAX + 1 + rn(100);

		switch (rn(5)) {
		case 0:		/* NUM as u16 */
			bb_nest(&bx, NFGATE_RULE_A_PROTO);
			bb_u16(&bx, NFGATE_PROTO_A_NUM, 6);
			bb_end(&bx);
			break;
		case 1:		/* MIN as u32 */
			bb_nest(&bx, NFGATE_RULE_A_PROTO);
			bb_u8(&bx, NFGATE_PROTO_A_NUM, 6);
			bb_end(&bx);
			bb_nest(&bx, NFGATE_RULE_A_DPORT);
			bb_u32(&bx, NFGATE_PORT_A_MIN, 80);
			bb_end(&bx);
			break;
		case 2:		/* VERDICT past the last one */
			bb_nest(&bx, NFGATE_RULE_A_TARGET);
			bb_u32(&bx, NFGATE_TARGET_A_VERDICT, v);
			bb_end(&bx);
			a = ERANGE;
			break;
		case 3:		/* target chain without NUL */
			bb_nest(&bx, NFGATE_RULE_A_TARGET);
			bb_u32(&bx, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_JUMP);
			bb_put(&bx, NFGATE_TARGET_A_CHAIN, "U0", 2);
			bb_end(&bx);
			break;
		default:	/* INV flag with a payload */
			bb_nest(&bx, NFGATE_RULE_A_PROTO);
			bb_u8(&bx, NFGATE_PROTO_A_NUM, 6);
			bb_u32(&bx, NFGATE_PROTO_A_INV, 1);
			bb_end(&bx);
			a = ERANGE;	/* 6.1: NLA_FLAG with a payload */
			break;
		}
		req_init(&q, pct(50) ? NFGATE_CMD_NEWRULE : NFGATE_CMD_DELRULE);
		req_u32(&q, NFGATE_A_TABLE, t);
		req_str(&q, NFGATE_A_CHAIN, builtin_names[t][0]);
		req_add(&q, NFGATE_A_RULE | NLA_F_NESTED, bx.b, bx.len);
		break;
	}
	case R_NONUL:
		req_init(&q, pct(50) ? NFGATE_CMD_NEWCHAIN : NFGATE_CMD_FLUSH);
		req_u32(&q, NFGATE_A_TABLE, t);
		name = pool[rn(NPOOL)];
		req_add(&q, NFGATE_A_CHAIN, name, strlen(name));
		break;
	case R_LONGNAME:
		req_init(&q, NFGATE_CMD_NEWCHAIN);
		req_u32(&q, NFGATE_A_TABLE, t);
		it = req_add(&q, NFGATE_A_CHAIN, "", 0);
		it->len = 29 + rn(200);
		memset(it->data, 'L', it->len);
		it->data[it->len++] = 0;
		break;
	case R_NOTNESTED:
		it = find_item(&q, NFGATE_A_RULE);
		if (!it) {
			req_init(&q, NFGATE_CMD_NEWRULE);
			req_u32(&q, NFGATE_A_TABLE, t);
			req_str(&q, NFGATE_A_CHAIN, builtin_names[t][0]);
			it = req_add(&q, NFGATE_A_RULE | NLA_F_NESTED, "", 0);
		}
		it->type &= ~NLA_F_NESTED;
		break;
	case R_NESTFLAG:
		it = find_item(&q, NFGATE_A_TABLE);
		it->type |= NLA_F_NESTED;
		break;
	case R_DEEP: {
		/* a leaf of the rule buried under many nests */
		struct bb bx = { .len = 0 };
		int depth = 2 + rn(14), d;

		req_init(&q, NFGATE_CMD_NEWRULE);
		req_u32(&q, NFGATE_A_TABLE, t);
		req_str(&q, NFGATE_A_CHAIN, builtin_names[t][0]);
		bb_nest(&bx, NFGATE_RULE_A_PROTO);
		for (d = 0; d < depth; d++)
			bb_nest(&bx, NFGATE_PROTO_A_NUM);
		bb_u8(&bx, NFGATE_PROTO_A_NUM, 6);
		for (d = 0; d < depth; d++)
			bb_end(&bx);
		bb_end(&bx);
		req_add(&q, NFGATE_A_RULE | NLA_F_NESTED, bx.b, bx.len);
		break;
	}
	case R_TRUNCNEST: {
		/* an attribute inside RULE claims more than the nest holds */
		struct bb bx = { .len = 0 };
		struct nlattr *in;
		struct srule sr;

		gen_rule(t, &sr, 0);
		sr.m.proto = 6;
		sr.m.pinv = 0;
		sr.handle_inside = 0;	/* PROTO first: what it swallows is unknown to it */
		bb_rule(&bx, &sr);
		in = (struct nlattr *)bx.b;
		in->nla_len += 4 + rn(40);
		req_init(&q, NFGATE_CMD_NEWRULE);
		req_u32(&q, NFGATE_A_TABLE, t);
		req_str(&q, NFGATE_A_CHAIN, builtin_names[t][0]);
		req_add(&q, NFGATE_A_RULE | NLA_F_NESTED, bx.b, bx.len);
		break;
	}
	case R_TRUNCMSG:
		break;		/* below, on the serialized message */
	case R_DUPBAD:
		it = find_item(&q, NFGATE_A_TABLE);
		v32 = NT + rn(1000);
		memmove(&q.it[1], &q.it[0], q.n * sizeof(q.it[0]));
		q.n++;
		q.it[0].type = NFGATE_A_TABLE;
		q.it[0].len = 4;
		memcpy(q.it[0].data, &v32, 4);
		a = ERANGE;
		break;
	case R_MISSING:
		if (pct(50) || q.cmd == NFGATE_CMD_DELCHAIN || q.cmd == NFGATE_CMD_FLUSH) {
			it = find_item(&q, NFGATE_A_TABLE);
		} else {
			it = find_item(&q, NFGATE_A_CHAIN);
		}
		if (it) {
			i = it - q.it;
			memmove(&q.it[i], &q.it[i + 1], (q.n - i - 1) * sizeof(q.it[0]));
			q.n--;
		}
		/* a duplicate may have left the other copy */
		if (find_item(&q, NFGATE_A_TABLE) && find_item(&q, NFGATE_A_CHAIN))
			return;		/* nothing missing after all */
		if (find_item(&q, NFGATE_A_TABLE) &&
		    (q.cmd == NFGATE_CMD_DELCHAIN || q.cmd == NFGATE_CMD_FLUSH))
			return;
		b = EBUSY;	/* past the core: another socket's transaction */
		break;
	case R_RESERVED:
		break;
	case R_BADCMD:
		q.cmd = pct(50) ? 0 : NFGATE_CMD_MAX + 1 + rn(255 - NFGATE_CMD_MAX);
		a = EOPNOTSUPP;
		need_msg = 0;
		break;
	case R_DUMPFLAG:
		q.flags |= NLM_F_DUMP;
		a = EOPNOTSUPP;
		need_msg = 0;
		break;
	case R_NODUMPFLAG:
		req_init(&q, pct(50) ? NFGATE_CMD_GETCHAIN : NFGATE_CMD_GETRULE);
		req_u32(&q, NFGATE_A_TABLE, t);
		q.flags = pct(50) ? NLM_F_ROOT : pct(50) ? NLM_F_MATCH : 0;
		a = EOPNOTSUPP;
		c2 = q.flags ? EINVAL : EOPNOTSUPP;	/* a reserved bit of a do */
		need_msg = 0;
		break;
	case R_RESFLAGS: {
		static const uint16_t res[] = { NLM_F_MULTI, NLM_F_DUMP_INTR,
			NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC,
			NLM_F_APPEND, 0x1000, 0x8000 };

		q.flags |= res[rn(sizeof(res) / 2)];
		break;
	}
	}
	req_build(&m, &socks[s].c, &q);
	if (kind == R_RESERVED)
		((struct genlmsghdr *)NLMSG_DATA(&m.nlh))->reserved = 1 + rn(0xffff);
	if (kind == R_TRUNCMSG) {
		/* cut inside the last attribute (not at its start) */
		struct nlattr *last = NULL;
		uint32_t off = NLMSG_HDRLEN + GENL_HDRLEN, lo;

		while (off + NLA_HDRLEN <= m.nlh.nlmsg_len) {
			last = (struct nlattr *)(m.buf + off);
			lo = off;
			off += NLA_ALIGN(last->nla_len);
			if (off >= m.nlh.nlmsg_len) {
				m.nlh.nlmsg_len = lo + 1 + rn(last->nla_len - 1);
				break;
			}
		}
		if (!last)
			return;
	}
	if (!txn.open)
		b = a;
	if (verbose)
		fprintf(stderr, "# %" PRIu64 " reject %s %s\n", msgno,
			rname[kind], cmd_name(q.cmd));
	m.nlh.nlmsg_flags |= NLM_F_ACK;
	m.nlh.nlmsg_seq = ++socks[s].c.seq;
	err = nlc_request_raw(&socks[s].c, m.buf, m.nlh.nlmsg_len, &r);
	count_answer(err);
	n_reject++;
	n_rkind[kind]++;
	ok = -err == a || -err == b || -err == c2;
	if (!ok)
		die("REJECT %s (%s, socket %d): answered %s (msg \"%s\")",
		    rname[kind], cmd_name(q.cmd), s, ename(err),
		    r.has_msg ? r.msg : "");
	if (need_msg && !r.has_msg)
		die("REJECT %s (%s): %s without extack message", rname[kind],
		    cmd_name(q.cmd), ename(err));
}

/* ------------------------------------------------------------- probes */

static void probe_mutate(struct nlc_msg *m)
{
	uint32_t lo = NLMSG_HDRLEN + GENL_HDRLEN, len = m->nlh.nlmsg_len;
	int n = pct(10) ? 0 : 1 + rn(3), i;

	for (i = 0; i < n; i++) {
		uint32_t at = len > lo ? lo + rn(len - lo) : lo;

		switch (rn(8)) {
		case 0: case 1:		/* bit flip */
			if (at < len)
				m->buf[at] ^= 1 << rn(8);
			break;
		case 2:			/* random byte */
			if (at < len)
				m->buf[at] = rnd();
			break;
		case 3:			/* an nla_len (aligned position) */
			at = lo + (rn((len - lo) / 4 + 1) * 4);
			if (at + 2 <= len) {
				uint16_t v = rn(64);

				memcpy(m->buf + at, &v, 2);
			}
			break;
		case 4:			/* shorter message */
			if (len > lo)
				len = lo + rn(len - lo);
			break;
		case 5:			/* random attribute appended */
			if (len + 32 < sizeof(m->buf)) {
				struct nlattr *a = (struct nlattr *)(m->buf + NLA_ALIGN(len));
				int l = rn(24);

				len = NLA_ALIGN(len);
				a->nla_type = rn(20) | (pct(30) ? NLA_F_NESTED : 0);
				a->nla_len = NLA_HDRLEN + l;
				for (int k = 0; k < l; k++)
					((uint8_t *)NLA_DATA(a))[k] = rn(4) ? rn(8) : rnd();
				len += NLA_ALIGN(a->nla_len);
			}
			break;
		case 6:			/* random flags (REQUEST, ACK kept) */
			m->nlh.nlmsg_flags |= rnd() & 0x0f3c;
			break;
		default:		/* another command, never one that ends the probe */
			((struct genlmsghdr *)NLMSG_DATA(&m->nlh))->cmd =
				1 + rn(NFGATE_CMD_TXN_BEGIN);
			break;
		}
	}
	m->nlh.nlmsg_len = len;
}

/*
 * A probe: TXN_BEGIN, 1..4 randomly mutated messages, TXN_ABORT.  What the
 * mutated messages staged, if anything, the abort discards.
 */
static void probe(int s)
{
	static struct nlc_reply r;
	struct nlc_msg m;
	struct wop w;
	int i, n = 1 + rn(4), err;

	txn_begin(s);
	if (!txn.open)
		return;
	n_probes++;
	for (i = 0; i < n; i++) {
		uint8_t cmd;

		gen_write(&committed, &w);
		if (pct(50)) {
			/* a rich rule into filter FORWARD or a mangle chain */
			struct bb b = { .len = 0 };
			int t = pct(50) ? NFGATE_TABLE_FILTER : NFGATE_TABLE_MANGLE;

			bb_rich_rule(&b);
			req_init(&w.q, pct(70) ? NFGATE_CMD_NEWRULE :
				 pct(50) ? NFGATE_CMD_DELRULE : NFGATE_CMD_REPLACERULE);
			req_u32(&w.q, NFGATE_A_TABLE, t);
			req_str(&w.q, NFGATE_A_CHAIN, "FORWARD");
			if (w.q.cmd == NFGATE_CMD_REPLACERULE)
				req_u32(&w.q, NFGATE_A_POSITION, 1);
			req_add(&w.q, NFGATE_A_RULE | NLA_F_NESTED, b.b, b.len);
			w.q.flags = pct(50) ? NLM_F_ECHO : 0;
		}
		req_build(&m, &socks[s].c, &w.q);
		probe_mutate(&m);
		cmd = ((struct genlmsghdr *)NLMSG_DATA(&m.nlh))->cmd;
		m.nlh.nlmsg_flags |= NLM_F_ACK | NLM_F_REQUEST;
		m.nlh.nlmsg_seq = ++socks[s].c.seq;
		if (m.nlh.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
			m.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
		if ((m.nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
			size_t len = 0;

			err = nlc_dump(&socks[s].c, &m, dumpbuf, sizeof(dumpbuf),
				       &len, &r);
		} else {
			err = nlc_request_raw(&socks[s].c, m.buf, m.nlh.nlmsg_len, &r);
		}
		count_answer(err);
		n_probe_msgs++;
		n_probe_ok += !err;
		if (err == -EAGAIN)
			die("probe %s: no answer", cmd_name(cmd));
		if (err && err != -EOPNOTSUPP && !r.has_msg &&
		    cmd != NFGATE_CMD_GETCHAIN && cmd != NFGATE_CMD_GETRULE &&
		    (m.nlh.nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
			die("probe %s: refused with %s but no extack message",
			    cmd_name(cmd), ename(err));
	}
	/* The abort must find the probe's transaction still there. */
	nlc_msg_init(&m, &socks[s].c, NFGATE_CMD_TXN_ABORT, 0);
	err = nlc_request(&socks[s].c, &m, &r);
	expect_answer("TXN_ABORT after probe", err, 0, &r, 1);
	n_aborts++;
	txn.open = 0;
}

/* ------------------------------------------------------------ children */

/*
 * A child opens its own socket, begins a transaction, stages writes
 * (checked against a staged copy of the model), reports on a pipe and is
 * killed, closes its socket or exits.  Mode 3 is killed while it still
 * sends.  Afterwards no transaction may be open: a TXN_BEGIN of ours
 * must succeed.
 */
static void child_txn(void)
{
	int mode = rn(4), p[2], st;
	uint64_t child_seed = rnd();
	char status[16] = "";
	pid_t pid;

	if (pipe(p))
		die("pipe: %m");
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (!pid) {
		struct nlc c;
		int i, n = 1 + (int)rn(12);
		uint64_t sent = 0;

		close(p[0]);
		rng_state = child_seed | 1;
		if (sock_open(&c))
			_exit(2);
		socks[0].c = c;
		txn_begin_opt(0, 0);
		sent++;
		if (!txn.open)
			_exit(3);
		for (i = 0; i < n || mode == 3; i++) {
			tracked_write(0);
			sent++;
			if (mode == 3 && i == n) {
				snprintf(status, sizeof(status), "S%llu\n",
					 (unsigned long long)sent);
				if (write(p[1], status, strlen(status)) < 0)
					_exit(4);
			}
		}
		snprintf(status, sizeof(status), "R%llu\n", (unsigned long long)sent);
		if (write(p[1], status, strlen(status)) < 0)
			_exit(4);
		if (mode == 1) {
			nlc_close(&c);
			_exit(0);
		}
		if (mode == 2)
			_exit(0);
		for (;;)
			pause();
	}
	close(p[1]);
	st = read(p[0], status, sizeof(status) - 1);
	if (st <= 0) {
		waitpid(pid, &st, 0);
		die("child transaction failed before reporting (status 0x%x)", st);
	}
	status[st] = 0;
	n_child_msgs += strtoull(status + 1, NULL, 10);
	if (mode == 3)
		usleep(rn(2000));
	if (mode == 0 || mode == 3) {
		kill(pid, SIGKILL);
		n_killed++;
	} else if (mode == 1) {
		n_closed++;
	} else {
		n_exited++;
	}
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid: %m");
	if (WIFEXITED(st) && WEXITSTATUS(st))
		die("child (mode %d) exited %d: its predictions failed", mode,
		    WEXITSTATUS(st));
	/* Its transaction is gone: a new one begins and ends at once. */
	txn_begin_opt(0, 0);
	if (!txn.open)
		die("a transaction stayed open after its child died (mode %d)", mode);
	txn_end(0, 0);
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
	fprintf(stderr, "usage: nl_fuzz [--seed N] [--count N] [--seconds S] "
		"[--check-every N] [--paranoid] [-v]\n");
	exit(2);
}

/*
 * The owner closes its socket mid-transaction: the kernel aborts it
 * (NETLINK_URELEASE) before close() returns, so another socket's
 * TXN_BEGIN must succeed at once.  The socket is then opened anew.
 */
static void close_owner(void)
{
	int o = txn.owner, other = (o + 1) % NSOCK;

	nlc_close(&socks[o].c);
	n_sock_closed++;
	txn.open = 0;
	n_aborts++;
	txn_begin_opt(other, 0);
	if (!txn.open)
		die("TXN_BEGIN refused after the owner's socket was closed");
	txn_end(other, 0);
	if (sock_open(&socks[o].c))
		die("reopening socket %d: %m", o);
}

static void step(void)
{
	int s = rn(NSOCK), x = rn(1000);

	if (txn.open) {
		int o = txn.owner;

		if (txn.failed && pct(30)) {
			txn_end(o, pct(50));
			return;
		}
		if (x < 5) {
			close_owner();
			return;
		}
		if (x < 640)
			tracked_write(o);
		else if (x < 700)
			tracked_write((o + 1 + rn(NSOCK - 1)) % NSOCK);
		else if (x < 740)
			reject_msg((o + 1 + rn(NSOCK - 1)) % NSOCK);
		else if (x < 780)
			tracked_dump(s);
		else if (x < 800)
			tracked_zero(s);
		else if (x < 815)
			txn_begin(s);
		else if (x < 830)
			txn_end((o + 1 + rn(NSOCK - 1)) % NSOCK, pct(50));
		else if (x < 940)
			txn_end(o, 1);
		else if (x < 990)
			txn_end(o, 0);
		else
			tracked_getgen(s);
		return;
	}
	if (x < 380)
		tracked_write(s);
	else if (x < 650)
		reject_msg(s);
	else if (x < 740)
		probe(s);
	else if (x < 800)
		tracked_dump(s);
	else if (x < 830)
		tracked_zero(s);
	else if (x < 960)
		txn_begin(s);
	else if (x < 975)
		txn_end(s, pct(50));
	else if (x < 997)
		tracked_getgen(s);
	else
		child_txn();
}

int main(int argc, char **argv)
{
	uint64_t next_check, steps = 0;
	int i, err;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--check-every") && i + 1 < argc)
			check_every = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--paranoid"))
			paranoid = 1;
		else
			usage();
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	if (!rng_state)
		rng_state = 1;
	printf("nl_fuzz: seed %" PRIu64 " count %" PRIu64 " seconds %" PRIu64 "\n",
	       seed, count, seconds);
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	for (i = 0; i < NSOCK; i++) {
		err = sock_open(&socks[i].c);
		if (err) {
			fprintf(stderr, "nl_fuzz: family nfgate: %s (module loaded?)\n",
				strerror(-err));
			return 1;
		}
	}
	err = nlc_open(&evs);
	if (!err) {
		int rcv = 8 << 10;	/* small: overruns happen at times */

		setsockopt(evs.fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
		if (setsockopt(evs.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &evs.events_group, sizeof(evs.events_group)))
			err = -errno;
	}
	if (err) {
		fprintf(stderr, "nl_fuzz: joining the events group: %s\n",
			strerror(-err));
		return 1;
	}
	model_init(&committed);
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	err = nlc_get_gen(&socks[0].c, &gen);
	count_answer(err);
	if (err)
		die("GETGEN: %s", ename(err));
	full_check(&socks[0].c, "initial state");
	next_check = check_every;
	/*
	 * Only this process's messages count towards --count: how many a
	 * child killed while sending got out varies with timing, and the end
	 * of the run must not.
	 */
	while (n_sent < count &&
	       (!seconds || elapsed() < seconds)) {
		step();
		if (!(++steps & 31))
			ev_drain();
		if (paranoid)
			check_gen(&socks[0].c, "GETGEN after every step");
		if (check_every && n_sent >= next_check) {
			full_check(&socks[rn(NSOCK)].c, "periodic check");
			next_check = n_sent + check_every;
		}
	}
	if (txn.open)
		txn_end(txn.owner, pct(50));
	full_check(&socks[0].c, "final check");
	leave_open_txn();

	{
		double secs = elapsed();
		uint64_t total = n_sent + n_child_msgs;

		printf("nl_fuzz: seed %" PRIu64 ": %" PRIu64 " messages in %.1f s "
		       "(%.0f/s): %" PRIu64 " from this process, %" PRIu64
		       " from children\n", seed, total, secs,
		       secs > 0 ? total / secs : 0.0, n_sent, n_child_msgs);
		printf("nl_fuzz: tracked %" PRIu64 ", reject %" PRIu64 ", probes %"
		       PRIu64 " (%" PRIu64 " mutated messages, %" PRIu64
		       " accepted), dumps %" PRIu64
		       ", full checks %" PRIu64 "\n", n_tracked, n_reject,
		       n_probes, n_probe_msgs, n_probe_ok, n_dumps, n_checks);
		printf("nl_fuzz: transactions committed %" PRIu64 ", aborted %"
		       PRIu64 "; children killed %" PRIu64 ", closed %" PRIu64
		       ", exited %" PRIu64 "; owner sockets closed %" PRIu64 "\n",
		       n_commits, n_aborts, n_killed, n_closed, n_exited,
		       n_sock_closed);
		printf("nl_fuzz: answers (this process): accepted %" PRIu64, n_ok);
		for (i = 1; i < 256; i++)
			if (n_err[i])
				printf(", %s %" PRIu64, ename(i), n_err[i]);
		printf("\nnl_fuzz: reject kinds:");
		for (i = 0; i < R_MAX; i++)
			printf(" %s %" PRIu64 "%s", rname[i], n_rkind[i],
			       i + 1 < R_MAX ? "," : "\n");
		printf("nl_fuzz: events %" PRIu64 " in %" PRIu64 " commit batches, "
		       "%" PRIu64 " receive buffer overruns\n", n_events,
		       n_ev_commits, n_ev_overruns);
		printf("nl_fuzz: final generation %" PRIu64 ", highest handle %"
		       PRIu64 "; dump equals the model\n", gen, max_handle);
	}
	return 0;
}
