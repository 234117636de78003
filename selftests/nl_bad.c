// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed and unauthorised nfgate netlink requests.
 *
 * Every test runs in a fresh network namespace with a small ruleset, sends
 * bad requests over a raw NETLINK_GENERIC socket (nl_client.c) and expects
 * the documented errno and an extack message (NLMSGERR_ATTR_MSG); the
 * fixture teardown then checks that the generation and every dump are
 * byte-identical to what they were before: a rejected message changes
 * nothing.  kselftest_harness.h gives the TAP output.
 *
 * Two answers come from the generic netlink core before nfgate sees the
 * message and so carry no extack text in Linux 6.1: an unknown command
 * (EOPNOTSUPP) and a missing CAP_NET_ADMIN (EPERM, GENL_UNS_ADMIN_PERM).
 *
 * Privileges: without CAP_NET_ADMIN over the namespace's user namespace,
 * every command (as a request and as a dump) and the events group are
 * EPERM, whether the capability was dropped or the caller is the root of
 * another user namespace; a user namespace's root administers the network
 * namespace it owns and nothing else.  The user namespace tests need a
 * real root, not a chroot (scripts/vm-init gives the VM's command one).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "nl_client.h"
#include "kselftest_harness.h"

#define SNAPSZ		(1 << 20)

#define NEED_MSG	1	/* an extack message must be present */
#define NEED_OFFS	2	/* ... and an offset into the request */

static char snap_before[SNAPSZ], snap_after[SNAPSZ];

static const char *errname(int e)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s (%d)", e ? strerrorname_np(e) : "0", e);
	return buf;
}

/*
 * Send m and check the answer: one of the errnos in want (0-terminated),
 * plus whatever flags demand.  Logs what came back either way.
 */
static int rejected(struct __test_metadata *_metadata, const char *what,
		    struct nlc *c, struct nlc_msg *m, int flags,
		    const int *want)
{
	static struct nlc_reply r;
	uint32_t len = m->nlh.nlmsg_len;
	int err, ok = 0, i;

	err = -nlc_request(c, m, &r);
	for (i = 0; want[i]; i++)
		ok |= err == want[i];
	if ((flags & NEED_MSG) && !r.has_msg)
		ok = 0;
	if ((flags & NEED_OFFS) &&
	    (!r.has_offs || r.offs < NLMSG_HDRLEN + GENL_HDRLEN || r.offs >= len))
		ok = 0;
	fprintf(stderr, "#   %-44s %s%s msg=\"%s\"%s%s\n", what,
		ok ? "" : "UNEXPECTED ", errname(err), r.has_msg ? r.msg : "",
		r.has_offs ? " offs" : "", r.has_miss_type ? " miss_type" : "");
	if (!ok) {
		fprintf(stderr, "#   %-44s wanted", "");
		for (i = 0; want[i]; i++)
			fprintf(stderr, " %s", errname(want[i]));
		fprintf(stderr, "%s%s\n", flags & NEED_MSG ? " with message" : "",
			flags & NEED_OFFS ? " and offset" : "");
	}
	return ok;
}

#define REJECT(what, m, flags, ...) \
	EXPECT_TRUE(rejected(_metadata, what, &self->c, m, flags, \
			     (const int[]){ __VA_ARGS__, 0 }))

/* The usual start of a request: command, table and optional chain. */
static void req(struct nlc_msg *m, struct nlc *c, uint8_t cmd,
		uint32_t table, const char *chain)
{
	nlc_msg_init(m, c, cmd, 0);
	nlc_put_u32(m, NFGATE_A_TABLE, table);
	if (chain)
		nlc_put_str(m, NFGATE_A_CHAIN, chain);
}

/* NEWRULE filter CHAIN with the RULE nest left open. */
static void rule_req(struct nlc_msg *m, struct nlc *c, const char *chain)
{
	req(m, c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, chain);
	nlc_nest_start(m, NFGATE_A_RULE);
}

static void put_proto(struct nlc_msg *m, uint8_t num, int inv)
{
	nlc_nest_start(m, NFGATE_RULE_A_PROTO);
	nlc_put_u8(m, NFGATE_PROTO_A_NUM, num);
	if (inv)
		nlc_put_flag(m, NFGATE_PROTO_A_INV);
	nlc_nest_end(m);
}

static void put_verdict(struct nlc_msg *m, uint32_t verdict, const char *chain)
{
	nlc_nest_start(m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(m, NFGATE_TARGET_A_VERDICT, verdict);
	if (chain)
		nlc_put_str(m, NFGATE_TARGET_A_CHAIN, chain);
	nlc_nest_end(m);
}

FIXTURE(bad) {
	struct nlc c;
	size_t before_len;
};

/*
 * A fresh namespace with: filter chain UC holding "-p udp -j DROP",
 * filter INPUT "-p tcp -j UC", mangle PREROUTING "-p icmp" (count only),
 * filter FORWARD policy DROP.
 */
FIXTURE_SETUP(bad)
{
	struct nlc_reply r;
	struct nlc_msg m;
	int err;

	self->c.fd = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	err = nlc_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("resolving family \"nfgate\": %s (module loaded?)",
				 strerror(-err));
	ASSERT_EQ(0, nlc_new_chain(&self->c, NFGATE_TABLE_FILTER, "UC", &r))
		TH_LOG("NEWCHAIN UC: %s", r.msg);
	ASSERT_EQ(0, nlc_new_rule(&self->c, NFGATE_TABLE_FILTER, "UC", 17,
				  NFGATE_VERDICT_DROP, NULL, &r))
		TH_LOG("NEWRULE UC: %s", r.msg);
	ASSERT_EQ(0, nlc_new_rule(&self->c, NFGATE_TABLE_FILTER, "INPUT", 6,
				  NFGATE_VERDICT_JUMP, "UC", &r))
		TH_LOG("NEWRULE INPUT -j UC: %s", r.msg);
	ASSERT_EQ(0, nlc_new_rule(&self->c, NFGATE_TABLE_MANGLE, "PREROUTING",
				  1, NFGATE_VERDICT_NONE, NULL, &r))
		TH_LOG("NEWRULE mangle PREROUTING: %s", r.msg);
	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "FORWARD");
	nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_DROP);
	ASSERT_EQ(0, nlc_request(&self->c, &m, &r))
		TH_LOG("SETPOLICY FORWARD DROP: %s", r.msg);
	ASSERT_EQ(1, nlc_count_rules(&self->c, NFGATE_TABLE_FILTER, "INPUT"));
	ASSERT_EQ(0, nlc_snapshot(&self->c, snap_before, SNAPSZ,
				  &self->before_len));
}

FIXTURE_TEARDOWN(bad)
{
	size_t len = 0;

	if (self->c.fd < 0)
		return;
	EXPECT_EQ(0, nlc_snapshot(&self->c, snap_after, SNAPSZ, &len));
	EXPECT_EQ(self->before_len, len)
		TH_LOG("ruleset dump changed size after rejected requests");
	EXPECT_EQ(0, memcmp(snap_before, snap_after, len < self->before_len ?
			    len : self->before_len))
		TH_LOG("ruleset dump changed after rejected requests");
	nlc_close(&self->c);
}

TEST_F(bad, unknown_attribute_types)
{
	struct nlc_msg m;

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "NEW1");
	nlc_put_u32(&m, NFGATE_A_MAX + 1, 1);
	REJECT("top-level type A_MAX+1", &m, NEED_MSG | NEED_OFFS, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "NEW1");
	nlc_put_u32(&m, 0x3fff, 1);
	REJECT("top-level type 0x3fff", &m, NEED_MSG | NEED_OFFS, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "NEW1");
	nlc_put_u32(&m, NFGATE_A_UNSPEC, 1);
	REJECT("top-level type 0 (UNSPEC)", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_put_u32(&m, NFGATE_RULE_A_MAX + 1, 1);
	nlc_nest_end(&m);
	REJECT("rule type RULE_A_MAX+1", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_PROTO);
	nlc_put_u8(&m, NFGATE_PROTO_A_NUM, 6);
	nlc_put_u32(&m, NFGATE_PROTO_A_MAX + 1, 0);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("proto type PROTO_A_MAX+1", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_ACCEPT);
	nlc_put_u32(&m, NFGATE_TARGET_A_MAX + 1, 0);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("target type TARGET_A_MAX+1", &m, NEED_MSG | NEED_OFFS, EINVAL);
}

/* One NFGATE_EXT_A_* nest: NAME (unless NULL), an open DATA nest. */
static void ext_start(struct nlc_msg *m, int type, const char *name)
{
	nlc_nest_start(m, type);
	if (name)
		nlc_put_str(m, NFGATE_EXT_A_NAME, name);
	nlc_nest_start(m, NFGATE_EXT_A_DATA);
}

static void ext_end(struct nlc_msg *m)
{
	nlc_nest_end(m);	/* DATA */
	nlc_nest_end(m);	/* the extension */
}

/* A rule whose MATCHES list holds one comment with text. */
static void comment_elem(struct nlc_msg *m, const char *text)
{
	ext_start(m, NFGATE_LIST_A_ELEM, "comment");
	if (text)
		nlc_put_str(m, NFGATE_COMMENT_A_TEXT, text);
	ext_end(m);
}

TEST_F(bad, extensions)
{
	char big[300];
	struct nlc_msg m;
	int i;

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	ext_start(&m, NFGATE_LIST_A_ELEM, "nosuch");
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("unknown match kind", &m, NEED_MSG | NEED_OFFS, EOPNOTSUPP);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	ext_start(&m, NFGATE_LIST_A_ELEM, NULL);
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("match without NAME", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	ext_start(&m, NFGATE_LIST_A_ELEM + 1, "comment");
	nlc_put_str(&m, NFGATE_COMMENT_A_TEXT, "x");
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("MATCHES element not ELEM", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	for (i = 0; i <= NFGATE_MAX_RULE_EXTS; i++)
		comment_elem(&m, "x");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("one match too many", &m, NEED_MSG, E2BIG);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	comment_elem(&m, big);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("comment of 299 bytes", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	comment_elem(&m, NULL);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("comment without TEXT", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	ext_start(&m, NFGATE_LIST_A_ELEM, "tcp");
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("tcp marker without -p tcp", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_EXT);
	ext_start(&m, NFGATE_TARGET_A_EXT, "comment");
	nlc_put_str(&m, NFGATE_COMMENT_A_TEXT, "x");
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("a match kind as target", &m, NEED_MSG | NEED_OFFS, EOPNOTSUPP);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_EXT);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("verdict EXT without extension", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_ACCEPT);
	ext_start(&m, NFGATE_TARGET_A_EXT, "MARK");
	nlc_put_u32(&m, NFGATE_XMARK_A_VALUE, 1);
	nlc_put_u32(&m, NFGATE_XMARK_A_MASK, 1);
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("ACCEPT with an extension", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_EXT);
	ext_start(&m, NFGATE_TARGET_A_EXT, "MARK");
	nlc_put_u32(&m, NFGATE_XMARK_A_VALUE, 1);
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("MARK without MASK", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_MATCHES);
	ext_start(&m, NFGATE_LIST_A_ELEM, "mark");
	nlc_put_u16(&m, NFGATE_MARK_A_VALUE, 1);
	ext_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("mark VALUE as u16", &m, NEED_MSG | NEED_OFFS, EINVAL);
}

TEST_F(bad, wrong_lengths)
{
	struct nlc_msg m;
	const uint8_t three[3] = { 192, 0, 2 };

	nlc_msg_init(&m, &self->c, NFGATE_CMD_NEWCHAIN, 0);
	nlc_put_u16(&m, NFGATE_A_TABLE, 0);
	nlc_put_str(&m, NFGATE_A_CHAIN, "NEW1");
	REJECT("TABLE as u16", &m, NEED_MSG | NEED_OFFS, EINVAL);

	nlc_msg_init(&m, &self->c, NFGATE_CMD_NEWCHAIN, 0);
	nlc_put_u64(&m, NFGATE_A_TABLE, 0);
	nlc_put_str(&m, NFGATE_A_CHAIN, "NEW1");
	REJECT("TABLE as u64", &m, NEED_MSG | NEED_OFFS, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u8(&m, NFGATE_A_POSITION, 1);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("POSITION as u8", &m, NEED_MSG | NEED_OFFS, EINVAL);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_HANDLE, 1);
	REJECT("HANDLE as u32", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_PROTO);
	nlc_put_u32(&m, NFGATE_PROTO_A_NUM, 6);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("PROTO NUM as u32", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_SRC);
	nlc_put(&m, NFGATE_ADDR_A_ADDR, three, sizeof(three));
	nlc_put_u32(&m, NFGATE_ADDR_A_MASK, 0xffffffff);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("SRC ADDR of 3 bytes", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 6, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u32(&m, NFGATE_PORT_A_MIN, 80);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DPORT MIN as u32", &m, NEED_MSG | NEED_OFFS, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_DST);
	nlc_put_u32(&m, NFGATE_ADDR_A_ADDR, htonl(0xc0000200));
	nlc_put_u32(&m, NFGATE_ADDR_A_INV, 1);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DST INV flag with payload", &m, NEED_MSG | NEED_OFFS, EINVAL, ERANGE);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_ACCEPT);
	nlc_nest_start(&m, NFGATE_A_COUNTERS);
	nlc_put_u32(&m, NFGATE_COUNTERS_A_PACKETS, 5);
	nlc_nest_end(&m);
	REJECT("COUNTERS PACKETS as u32", &m, NEED_MSG | NEED_OFFS, EINVAL);
}

TEST_F(bad, strings)
{
	struct nlc_msg m;
	char name[64];

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, NULL);
	nlc_put(&m, NFGATE_A_CHAIN, "NEW1", 4);
	REJECT("CHAIN without NUL", &m, NEED_MSG, EINVAL);

	memset(name, 'L', sizeof(name));
	name[NFGATE_CHAIN_MAXNAMELEN] = '\0';	/* 29 characters */
	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, name);
	REJECT("CHAIN of 29 characters", &m, NEED_MSG, EINVAL, ERANGE);

	name[60] = '\0';
	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, name);
	REJECT("CHAIN of 60 characters", &m, NEED_MSG, EINVAL, ERANGE);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "");
	REJECT("CHAIN empty", &m, NEED_MSG, EINVAL, ERANGE);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put(&m, NFGATE_IFACE_A_NAME, "veth0", 5);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("IIF NAME without NUL", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "abcdefghijklmnop");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("IIF NAME of 16 characters", &m, NEED_MSG, EINVAL, ERANGE);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("IIF NAME empty", &m, NEED_MSG, EINVAL, ERANGE);

	name[NFGATE_CHAIN_MAXNAMELEN] = '\0';
	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_JUMP, name);
	nlc_nest_end(&m);
	REJECT("target CHAIN of 29 characters", &m, NEED_MSG,
	       EINVAL, ERANGE, ENOENT);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_JUMP);
	nlc_put(&m, NFGATE_TARGET_A_CHAIN, "UC", 2);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("target CHAIN without NUL", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, chain_names)
{
	static const char * const names[] = {
		"-x", "!x", "a b", "a\tb", "ACCEPT", "DROP", "RETURN", "QUEUE",
	};
	struct nlc_msg m;
	char what[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER,
		    names[i]);
		snprintf(what, sizeof(what), "NEWCHAIN \"%s\"", names[i]);
		REJECT(what, &m, NEED_MSG, EINVAL);
	}
	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "UC");
	REJECT("NEWCHAIN existing UC", &m, NEED_MSG, EEXIST);
	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "INPUT");
	REJECT("NEWCHAIN built-in INPUT", &m, NEED_MSG, EEXIST);
}

TEST_F(bad, missing_attributes)
{
	struct nlc_msg m;

	nlc_msg_init(&m, &self->c, NFGATE_CMD_NEWCHAIN, 0);
	nlc_put_str(&m, NFGATE_A_CHAIN, "NEW1");
	REJECT("NEWCHAIN without TABLE", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, NULL);
	REJECT("NEWCHAIN without CHAIN", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	REJECT("NEWRULE without RULE", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, NULL);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE without CHAIN", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "INPUT");
	REJECT("SETPOLICY without POLICY", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	REJECT("DELRULE without HANDLE/POSITION/RULE", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u64(&m, NFGATE_A_HANDLE, 1);
	nlc_put_u32(&m, NFGATE_A_POSITION, 1);
	REJECT("DELRULE with HANDLE and POSITION", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_REPLACERULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 1);
	REJECT("REPLACERULE without RULE", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_REPLACERULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("REPLACERULE without HANDLE/POSITION", &m, NEED_MSG, EINVAL);

	nlc_msg_init(&m, &self->c, NFGATE_CMD_DELCHAIN, 0);
	nlc_put_str(&m, NFGATE_A_CHAIN, "UC");
	REJECT("DELCHAIN without TABLE", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("TARGET without VERDICT", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_JUMP, NULL);
	nlc_nest_end(&m);
	REJECT("JUMP without CHAIN", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_GOTO, NULL);
	nlc_nest_end(&m);
	REJECT("GOTO without CHAIN", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_flag(&m, NFGATE_IFACE_A_INV);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("IIF without NAME", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, out_of_range_enums)
{
	struct nlc_msg m;

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_MAX + 1, "NEW1");
	REJECT("TABLE = TABLE_MAX+1", &m, NEED_MSG, EINVAL, ERANGE);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, 0xffffffff, "NEW1");
	REJECT("TABLE = 0xffffffff", &m, NEED_MSG, EINVAL, ERANGE);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_RETURN);
	REJECT("POLICY = RETURN", &m, NEED_MSG, EINVAL, ERANGE);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_NONE);
	REJECT("POLICY = NONE", &m, NEED_MSG, EINVAL, ERANGE);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POLICY, 77);
	REJECT("POLICY = 77", &m, NEED_MSG, EINVAL, ERANGE);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_MAX + 1, NULL);
	nlc_nest_end(&m);
	REJECT("VERDICT = VERDICT_MAX+1", &m, NEED_MSG, EINVAL, ERANGE);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, 0x80000000, NULL);
	nlc_nest_end(&m);
	REJECT("VERDICT = 0x80000000", &m, NEED_MSG, EINVAL, ERANGE);

	nlc_msg_init(&m, &self->c, NFGATE_CMD_GETCHAIN, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, 9);
	m.nlh.nlmsg_flags |= NLM_F_DUMP;
	REJECT("GETCHAIN dump of TABLE 9", &m, NEED_MSG, EINVAL, ERANGE);
}

/*
 * NEWRULE filter INPUT "-p PROTO" with one match element NAME whose DATA
 * nest is left open: the caller adds the attributes, then l4_end().
 */
static void l4_req(struct nlc_msg *m, struct nlc *c, uint8_t proto,
		   const char *name)
{
	rule_req(m, c, "INPUT");
	put_proto(m, proto, 0);
	nlc_nest_start(m, NFGATE_RULE_A_MATCHES);
	nlc_nest_start(m, NFGATE_LIST_A_ELEM);
	nlc_put_str(m, NFGATE_EXT_A_NAME, name);
	nlc_nest_start(m, NFGATE_EXT_A_DATA);
}

static void l4_end(struct nlc_msg *m)
{
	nlc_nest_end(m);	/* DATA */
	nlc_nest_end(m);	/* ELEM */
	nlc_nest_end(m);	/* MATCHES */
	nlc_nest_end(m);	/* RULE */
}

/* The data of the tcp, icmp and multiport match elements. */
TEST_F(bad, l4_match_data)
{
	const uint16_t ports3[3] = { 80, 90, 100 };
	const uint16_t ports16[16] = { 1 };
	const uint16_t down[2] = { 90, 80 };
	struct nlc_msg m;

	l4_req(&m, &self->c, 6, "tcp");
	nlc_put_u8(&m, NFGATE_TCP_A_FLAGS_MASK, 0x17);
	l4_end(&m);
	REJECT("tcp FLAGS_MASK without FLAGS_COMP", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "tcp");
	nlc_put_flag(&m, NFGATE_TCP_A_FLAGS_INV);
	l4_end(&m);
	REJECT("tcp FLAGS_INV alone", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "tcp");
	nlc_put_u8(&m, NFGATE_TCP_A_OPTION, 0);
	l4_end(&m);
	REJECT("tcp OPTION 0", &m, NEED_MSG | NEED_OFFS,
	       EINVAL, ERANGE);

	l4_req(&m, &self->c, 6, "tcp");
	nlc_put_flag(&m, NFGATE_TCP_A_OPTION_INV);
	l4_end(&m);
	REJECT("tcp OPTION_INV without OPTION", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 17, "tcp");
	nlc_put_u8(&m, NFGATE_TCP_A_OPTION, 2);
	l4_end(&m);
	REJECT("tcp element with PROTO udp", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 1, "icmp");
	nlc_put_u8(&m, NFGATE_ICMP_A_CODE_MIN, 0);
	l4_end(&m);
	REJECT("icmp without TYPE", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "icmp");
	nlc_put_u8(&m, NFGATE_ICMP_A_TYPE, 8);
	l4_end(&m);
	REJECT("icmp with PROTO tcp", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 1, "icmp");
	nlc_put_u16(&m, NFGATE_ICMP_A_TYPE, 8);
	l4_end(&m);
	REJECT("icmp TYPE as u16", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 3);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, ports3, sizeof(ports3));
	l4_end(&m);
	REJECT("multiport DIR 3", &m, NEED_MSG | NEED_OFFS,
	       EINVAL, ERANGE);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	l4_end(&m);
	REJECT("multiport without PORTS", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, ports3, 3);
	l4_end(&m);
	REJECT("multiport PORTS of 3 bytes", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, ports16, sizeof(ports16));
	l4_end(&m);
	REJECT("multiport 16 PORTS", &m, NEED_MSG | NEED_OFFS,
	       EINVAL, ERANGE);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, ports3, sizeof(ports3));
	nlc_put_u16(&m, NFGATE_MULTIPORT_A_RANGES, 1 << 2);
	l4_end(&m);
	REJECT("multiport range from the last entry", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, ports3, sizeof(ports3));
	nlc_put_u16(&m, NFGATE_MULTIPORT_A_RANGES, 3);
	l4_end(&m);
	REJECT("multiport ranges sharing an entry", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 6, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, down, sizeof(down));
	nlc_put_u16(&m, NFGATE_MULTIPORT_A_RANGES, 1);
	l4_end(&m);
	REJECT("multiport range 90:80", &m, NEED_MSG, EINVAL);

	l4_req(&m, &self->c, 1, "multiport");
	nlc_put_u8(&m, NFGATE_MULTIPORT_A_DIR, 1);
	nlc_put(&m, NFGATE_MULTIPORT_A_PORTS, ports3, sizeof(ports3));
	l4_end(&m);
	REJECT("multiport with PROTO icmp", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, positions_and_handles)
{
	struct nlc_msg m;

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 0);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE POSITION 0", &m, NEED_MSG, ERANGE);

	/* INPUT has one rule: 1..2 are valid insert positions */
	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 3);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE POSITION rules+2", &m, NEED_MSG, ERANGE);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 0xffffffff);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE POSITION 0xffffffff", &m, NEED_MSG, ERANGE);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 2);
	REJECT("DELRULE POSITION 2 of 1", &m, NEED_MSG, ENOENT, ERANGE);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 0);
	REJECT("DELRULE POSITION 0", &m, NEED_MSG, ENOENT, ERANGE);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u64(&m, NFGATE_A_HANDLE, 0x7fffffffffffULL);
	REJECT("DELRULE unknown HANDLE", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_DELRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_nest_start(&m, NFGATE_A_RULE);
	put_proto(&m, 17, 0);
	nlc_nest_end(&m);
	REJECT("DELRULE by spec, no such rule", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_REPLACERULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 9);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("REPLACERULE POSITION 9 of 1", &m, NEED_MSG, ENOENT, ERANGE);

	req(&m, &self->c, NFGATE_CMD_REPLACERULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u64(&m, NFGATE_A_HANDLE, 0x7fffffffffffULL);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("REPLACERULE unknown HANDLE", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_ZERO, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 9);
	REJECT("ZERO POSITION 9 of 1", &m, NEED_MSG, ENOENT, ERANGE);
}

TEST_F(bad, ports)
{
	struct nlc_msg m;

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 6, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 2000);
	nlc_put_u16(&m, NFGATE_PORT_A_MAX, 1000);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DPORT MIN 2000 > MAX 1000", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 17, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_SPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 65535);
	nlc_put_u16(&m, NFGATE_PORT_A_MAX, 0);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("SPORT MIN 65535 > MAX 0", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 80);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DPORT without PROTO", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 1, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 80);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DPORT with PROTO icmp", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 0, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_SPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 80);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("SPORT with PROTO 0 (all)", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 6, 1);
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 80);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DPORT with PROTO ! tcp", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 6, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MAX, 80);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("DPORT with MAX but no MIN", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, proto)
{
	struct nlc_msg m;

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 0, 1);
	nlc_nest_end(&m);
	REJECT("PROTO ! 0", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_PROTO);
	nlc_put_flag(&m, NFGATE_PROTO_A_INV);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("PROTO ! without NUM", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, nested_garbage)
{
	struct nlc_msg m;
	static const char junk[] = "\x05\x00\x01\x00\xff\xff\xff";
	struct nlattr *a;

	/* a nest flagged NLA_F_NESTED full of junk */
	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put(&m, NFGATE_A_RULE | NLA_F_NESTED, junk, sizeof(junk) - 1);
	REJECT("RULE nest of junk bytes", &m, NEED_MSG, EINVAL);

	/* RULE as a plain u32 (not a nest) */
	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_RULE, 0x01020304);
	REJECT("RULE as u32", &m, NEED_MSG, EINVAL);

	/* inner attribute claiming more bytes than its nest holds */
	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_SRC);
	a = (struct nlattr *)(m.buf + m.nlh.nlmsg_len);
	nlc_put_u32(&m, NFGATE_ADDR_A_ADDR, 0);
	a->nla_len = 40;
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("SRC inner length beyond nest", &m, NEED_MSG, EINVAL);

	/* trailing bytes after the last attribute of a nest */
	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_PROTO);
	nlc_put_u8(&m, NFGATE_PROTO_A_NUM, 6);
	m.buf[m.nlh.nlmsg_len] = 3;
	m.nlh.nlmsg_len += 4;	/* a 4-byte fragment of an attribute */
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("PROTO nest with trailing bytes", &m, NEED_MSG, EINVAL);

	/* a nest whose header claims less than a header */
	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	a = (struct nlattr *)(m.buf + m.nlh.nlmsg_len);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_put_u32(&m, NFGATE_RULE_A_MAX + 3, 0);
	nlc_nest_end(&m);
	a->nla_len = 2;
	REJECT("RULE nest length 2", &m, NEED_MSG, EINVAL);

	/* a nest inside the PROTO nest where a u8 belongs */
	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_PROTO);
	nlc_nest_start(&m, NFGATE_PROTO_A_NUM);
	nlc_put_u8(&m, 1, 6);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("PROTO NUM as a nest", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, interfaces_per_hook)
{
	struct nlc_msg m;

	rule_req(&m, &self->c, "OUTPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "veth0");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("IIF in filter OUTPUT", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_OIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "veth+");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("OIF in filter INPUT", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_MANGLE, "PREROUTING");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_start(&m, NFGATE_RULE_A_OIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "veth0");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("OIF in mangle PREROUTING", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_MANGLE, "POSTROUTING");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "veth0");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	REJECT("IIF in mangle POSTROUTING", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, targets)
{
	struct nlc_msg m;

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_JUMP, "OUTPUT");
	nlc_nest_end(&m);
	REJECT("JUMP to built-in OUTPUT", &m, NEED_MSG,
	       EINVAL, ENOENT, ELOOP, EPERM);

	rule_req(&m, &self->c, "UC");
	put_verdict(&m, NFGATE_VERDICT_GOTO, "INPUT");
	nlc_nest_end(&m);
	REJECT("GOTO to built-in INPUT", &m, NEED_MSG,
	       EINVAL, ENOENT, ELOOP, EPERM);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_JUMP, "NOSUCH");
	nlc_nest_end(&m);
	REJECT("JUMP to missing chain", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_MANGLE, "PREROUTING");
	nlc_nest_start(&m, NFGATE_A_RULE);
	put_verdict(&m, NFGATE_VERDICT_JUMP, "UC");
	nlc_nest_end(&m);
	REJECT("JUMP to a chain of another table", &m, NEED_MSG, ENOENT);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_ACCEPT, "UC");
	nlc_nest_end(&m);
	REJECT("ACCEPT with a target CHAIN", &m, NEED_MSG, EINVAL);

	rule_req(&m, &self->c, "UC");
	put_verdict(&m, NFGATE_VERDICT_JUMP, "UC");
	nlc_nest_end(&m);
	REJECT("UC -j UC (loop)", &m, NEED_MSG, ELOOP);

	rule_req(&m, &self->c, "UC");
	put_verdict(&m, NFGATE_VERDICT_GOTO, "UC");
	nlc_nest_end(&m);
	REJECT("UC -g UC (loop)", &m, NEED_MSG, ELOOP);
}

/*
 * NEWRULE TABLE CHAIN [-p PROTO] -j NAME with the target's DATA nest left
 * open (ext_end() closes it), or, with match set, -m NAME (and no target).
 */
static void ext_req(struct nlc_msg *m, struct nlc *c, uint32_t table,
		    const char *chain, uint8_t proto, const char *name,
		    int match)
{
	req(m, c, NFGATE_CMD_NEWRULE, table, chain);
	nlc_nest_start(m, NFGATE_A_RULE);
	if (proto)
		put_proto(m, proto, 0);
	if (match) {
		nlc_nest_start(m, NFGATE_RULE_A_MATCHES);
		nlc_nest_start(m, NFGATE_LIST_A_ELEM);
	} else {
		nlc_nest_start(m, NFGATE_RULE_A_TARGET);
		nlc_put_u32(m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_EXT);
		nlc_nest_start(m, NFGATE_TARGET_A_EXT);
	}
	nlc_put_str(m, NFGATE_EXT_A_NAME, name);
	nlc_nest_start(m, NFGATE_EXT_A_DATA);
}

static void ext_req_end(struct nlc_msg *m)
{
	nlc_nest_end(m);	/* DATA */
	nlc_nest_end(m);	/* EXT / ELEM */
	nlc_nest_end(m);	/* TARGET / MATCHES */
	nlc_nest_end(m);	/* RULE */
}

/*
 * What user space would never send: the kernel checks it again.  Values
 * outside a policy's range are ERANGE (nla_policy), the rest EINVAL.
 */
TEST_F(bad, verdict_extensions)
{
	const uint32_t F = NFGATE_TABLE_FILTER;
	struct nlc_msg m;

	ext_req(&m, &self->c, F, "INPUT", 0, "REJECT", 0);
	nlc_put_u32(&m, NFGATE_REJECT_A_WITH, NFGATE_REJECT_ECHOREPLY);
	ext_req_end(&m);
	REJECT("REJECT with echo-reply", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "REJECT", 0);
	nlc_put_u32(&m, NFGATE_REJECT_A_WITH, NFGATE_REJECT_MAX + 1);
	ext_req_end(&m);
	REJECT("REJECT WITH beyond the enum", &m, NEED_MSG, ERANGE);

	ext_req(&m, &self->c, F, "INPUT", 17, "REJECT", 0);
	nlc_put_u32(&m, NFGATE_REJECT_A_WITH, NFGATE_REJECT_TCP_RESET);
	ext_req_end(&m);
	REJECT("REJECT tcp-reset on -p udp", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "REJECT", 0);
	nlc_put_u32(&m, NFGATE_REJECT_A_WITH, NFGATE_REJECT_TCP_RESET);
	ext_req_end(&m);
	REJECT("REJECT tcp-reset without -p", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, NFGATE_TABLE_MANGLE, "INPUT", 0, "REJECT", 0);
	ext_req_end(&m);
	REJECT("REJECT in mangle", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "LOG", 0);
	nlc_put_u8(&m, NFGATE_LOG_A_LEVEL, 8);
	ext_req_end(&m);
	REJECT("LOG level 8", &m, NEED_MSG, ERANGE);

	ext_req(&m, &self->c, F, "INPUT", 0, "LOG", 0);
	nlc_put_u32(&m, NFGATE_LOG_A_FLAGS, 0x10);
	ext_req_end(&m);
	REJECT("LOG unknown flag", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "LOG", 0);
	nlc_put_str(&m, NFGATE_LOG_A_PREFIX, "0123456789012345678901234567890");
	ext_req_end(&m);
	REJECT("LOG prefix of 31 bytes", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "LOG", 0);
	nlc_put_str(&m, NFGATE_LOG_A_PREFIX, "a\nb");
	ext_req_end(&m);
	REJECT("LOG prefix with a newline", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "NFQUEUE", 0);
	nlc_put_u16(&m, NFGATE_NFQUEUE_A_NUM, 65535);
	nlc_put_u16(&m, NFGATE_NFQUEUE_A_TOTAL, 2);
	ext_req_end(&m);
	REJECT("NFQUEUE past queue 65535", &m, NEED_MSG, ERANGE);

	ext_req(&m, &self->c, F, "INPUT", 0, "NFQUEUE", 0);
	nlc_put_u16(&m, NFGATE_NFQUEUE_A_TOTAL, 0);
	ext_req_end(&m);
	REJECT("NFQUEUE of 0 queues", &m, NEED_MSG, ERANGE);

	ext_req(&m, &self->c, F, "INPUT", 0, "NFQUEUE", 0);
	nlc_put_u32(&m, NFGATE_NFQUEUE_A_FLAGS, 0x4);
	ext_req_end(&m);
	REJECT("NFQUEUE unknown flag", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "QUEUE", 0);
	nlc_put_u32(&m, 1, 1);
	ext_req_end(&m);
	REJECT("QUEUE with an attribute", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "addrtype", 1);
	ext_req_end(&m);
	REJECT("addrtype without types", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "addrtype", 1);
	nlc_put_u16(&m, NFGATE_ADDRTYPE_A_SRC, 0x1000);
	ext_req_end(&m);
	REJECT("addrtype type 12", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "FORWARD", 0, "addrtype", 1);
	nlc_put_u16(&m, NFGATE_ADDRTYPE_A_SRC, 1 << 2);
	nlc_put_u32(&m, NFGATE_ADDRTYPE_A_FLAGS, NFGATE_ADDRTYPE_LIMIT_IN |
		    NFGATE_ADDRTYPE_LIMIT_OUT);
	ext_req_end(&m);
	REJECT("addrtype both limits", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "addrtype", 1);
	nlc_put_u16(&m, NFGATE_ADDRTYPE_A_SRC, 1 << 2);
	nlc_put_u32(&m, NFGATE_ADDRTYPE_A_FLAGS, NFGATE_ADDRTYPE_LIMIT_OUT);
	ext_req_end(&m);
	REJECT("addrtype limit-out in INPUT", &m, NEED_MSG, EINVAL);

	ext_req(&m, &self->c, F, "INPUT", 0, "addrtype", 1);
	nlc_put_u16(&m, NFGATE_ADDRTYPE_A_DST, 1 << 2);
	nlc_put_u32(&m, NFGATE_ADDRTYPE_A_FLAGS, NFGATE_ADDRTYPE_INV_SRC);
	ext_req_end(&m);
	REJECT("addrtype inverted absent SRC", &m, NEED_MSG, EINVAL);
}

TEST_F(bad, chain_operations)
{
	struct nlc_msg m;

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "NOSUCH");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE in missing chain", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_MANGLE, "UC");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE in UC of the wrong table", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER,
	    "PREROUTING");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	REJECT("NEWRULE in filter PREROUTING", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_DELCHAIN, NFGATE_TABLE_FILTER, "INPUT");
	REJECT("DELCHAIN built-in INPUT", &m, NEED_MSG, EPERM);

	req(&m, &self->c, NFGATE_CMD_DELCHAIN, NFGATE_TABLE_FILTER, "UC");
	REJECT("DELCHAIN UC (rules, referenced)", &m, NEED_MSG,
	       ENOTEMPTY, EMLINK);

	req(&m, &self->c, NFGATE_CMD_DELCHAIN, NFGATE_TABLE_FILTER, NULL);
	REJECT("DELCHAIN all (UC has rules)", &m, NEED_MSG, ENOTEMPTY, EMLINK);

	req(&m, &self->c, NFGATE_CMD_DELCHAIN, NFGATE_TABLE_FILTER, "NOSUCH");
	REJECT("DELCHAIN missing chain", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_FLUSH, NFGATE_TABLE_FILTER, "NOSUCH");
	REJECT("FLUSH missing chain", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "UC");
	nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_ACCEPT);
	REJECT("SETPOLICY on user chain UC", &m, NEED_MSG,
	       EINVAL, EPERM, ENOENT);

	req(&m, &self->c, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "NOSUCH");
	nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_ACCEPT);
	REJECT("SETPOLICY on missing chain", &m, NEED_MSG, ENOENT);

	req(&m, &self->c, NFGATE_CMD_ZERO, NFGATE_TABLE_FILTER, "NOSUCH");
	REJECT("ZERO missing chain", &m, NEED_MSG, ENOENT);

	nlc_msg_init(&m, &self->c, NFGATE_CMD_GETRULE, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
	nlc_put_str(&m, NFGATE_A_CHAIN, "NOSUCH");
	m.nlh.nlmsg_flags |= NLM_F_DUMP;
	/*
	 * Linux 6.1 runs a dump's .start callback with no extack to fill
	 * (__netlink_dump_start), so this rejection carries the errno only,
	 * like the ones the genetlink core answers itself.
	 */
	REJECT("GETRULE dump of missing chain", &m, 0, ENOENT);
}

TEST_F(bad, unknown_commands)
{
	struct nlc_msg m;

	/* answered by the genetlink core: no extack text in Linux 6.1 */
	nlc_msg_init(&m, &self->c, NFGATE_CMD_UNSPEC, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
	REJECT("command 0 (UNSPEC)", &m, 0, EOPNOTSUPP);

	nlc_msg_init(&m, &self->c, NFGATE_CMD_MAX + 1, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
	REJECT("command CMD_MAX+1", &m, 0, EOPNOTSUPP);

	nlc_msg_init(&m, &self->c, 250, 0);
	REJECT("command 250", &m, 0, EOPNOTSUPP);

	/* a dump-only command sent as do, and a write sent as dump */
	nlc_msg_init(&m, &self->c, NFGATE_CMD_GETRULE, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
	REJECT("GETRULE without NLM_F_DUMP", &m, 0, EOPNOTSUPP);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "NEW1");
	m.nlh.nlmsg_flags |= NLM_F_DUMP;
	REJECT("NEWCHAIN with NLM_F_DUMP", &m, 0, EOPNOTSUPP);
}

TEST_F(bad, headers)
{
	struct nlc_msg m;
	struct genlmsghdr *g;
	static struct nlc_reply r;
	int err;

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "NEW1");
	g = (struct genlmsghdr *)(m.buf + NLMSG_HDRLEN);
	g->reserved = 1;
	REJECT("genlmsghdr.reserved = 1", &m, NEED_MSG, EINVAL);

	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, "NEW1");
	m.nlh.nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	REJECT("NEWCHAIN with NLM_F_CREATE|EXCL", &m, NEED_MSG, EINVAL);

	/* a message too short for the genetlink header */
	nlc_msg_init(&m, &self->c, NFGATE_CMD_NEWCHAIN, NLM_F_ACK);
	m.nlh.nlmsg_len = NLMSG_HDRLEN + 2;
	m.nlh.nlmsg_seq = ++self->c.seq;
	err = -nlc_request_raw(&self->c, m.buf, m.nlh.nlmsg_len, &r);
	fprintf(stderr, "#   %-44s %s\n", "truncated genetlink header",
		errname(err));
	EXPECT_EQ(EINVAL, err);
}

/* capset(2) without libcap: drop every capability of this process. */
static int drop_all_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	return syscall(SYS_capset, &hdr, data);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * A non-root uid (65534) that becomes "root" of a user namespace of its
 * own: every capability there, none over the netns, which belongs to the
 * initial user namespace.
 */
static int enter_user_namespace(char *why, size_t len)
{
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534) ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)) {
		snprintf(why, len, "setresuid/setresgid: %m");
		return -1;
	}
	if (unshare(CLONE_NEWUSER)) {
		snprintf(why, len,
			 "unshare(CLONE_NEWUSER): %m (user namespaces disabled, or running in a chroot)");
		return 1;
	}
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 65534 1") ||
	    write_file("/proc/self/gid_map", "0 65534 1") || getuid() != 0) {
		snprintf(why, len, "uid/gid map: %m");
		return -1;
	}
	return 0;
}

/*
 * Memory a forked child reports its findings in, shared with the parent;
 * NULL if mmap() fails.  Anonymous mappings start zeroed.
 */
static void *shared_zalloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* What an unprivileged child got; shared with the parent. */
struct unpriv {
	int setup;		/* 0 ok, 1 skip, -1 failed; why says */
	char why[200];
	int open;
	int newchain, newrule, flush, begin, dump, join;
	char msg[256];		/* of NEWCHAIN */
	/* every command, as a request and as a dump (NLM_F_DUMP) */
	int as_do[NFGATE_CMD_MAX + 1], as_dump[NFGATE_CMD_MAX + 1];
};

/*
 * Run the writes and a read in a child that drop_privs() made
 * unprivileged; "current" must lack CAP_NET_ADMIN as well as the socket's
 * opener, so this cannot happen in the test process, whose privileged
 * socket the teardown still needs.
 */
static void run_unprivileged(struct __test_metadata *_metadata,
			     struct nlc *priv, int use_userns)
{
	static char buf[SNAPSZ];
	struct unpriv *u;
	int status;
	pid_t pid;

	u = shared_zalloc(sizeof(*u));
	ASSERT_NE(NULL, u);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nlc_reply r;
		struct nlc_msg m;
		struct nlc c;
		size_t len = 0;

		if (use_userns) {
			u->setup = enter_user_namespace(u->why, sizeof(u->why));
		} else if (drop_all_caps()) {
			snprintf(u->why, sizeof(u->why), "capset: %m");
			u->setup = -1;
		}
		if (u->setup)
			_exit(0);
		u->open = nlc_open(&c);
		if (u->open)
			_exit(0);
		u->newchain = nlc_new_chain(&c, NFGATE_TABLE_FILTER, "NEW1", &r);
		snprintf(u->msg, sizeof(u->msg), "%s", r.msg);
		u->newrule = nlc_new_rule(&c, NFGATE_TABLE_FILTER, "INPUT", 1,
					  NFGATE_VERDICT_DROP, NULL, &r);
		req(&m, &c, NFGATE_CMD_FLUSH, NFGATE_TABLE_FILTER, NULL);
		u->flush = nlc_request(&c, &m, &r);
		u->begin = nlc_simple(&c, NFGATE_CMD_TXN_BEGIN, &r);
		nlc_msg_init(&m, &c, NFGATE_CMD_GETRULE, 0);
		nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
		u->dump = nlc_dump(&c, &m, buf, sizeof(buf), &len, &r);
		/* events carry what the dumps carry */
		u->join = setsockopt(c.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				     &c.events_group, sizeof(c.events_group)) ?
			  -errno : 0;
		for (int cmd = 1; cmd <= NFGATE_CMD_MAX; cmd++) {
			req(&m, &c, cmd, NFGATE_TABLE_FILTER, "INPUT");
			u->as_do[cmd] = nlc_request(&c, &m, &r);
			req(&m, &c, cmd, NFGATE_TABLE_FILTER, "INPUT");
			m.nlh.nlmsg_flags |= NLM_F_DUMP;
			len = 0;
			u->as_dump[cmd] = nlc_dump(&c, &m, buf, sizeof(buf),
						   &len, &r);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	if (u->setup > 0)
		SKIP(return, "%s", u->why);
	ASSERT_EQ(0, u->setup) TH_LOG("%s", u->why);
	ASSERT_EQ(0, u->open) TH_LOG("opening the unprivileged socket");
	fprintf(stderr, "#   unprivileged: NEWCHAIN %s msg=\"%s\"",
		errname(-u->newchain), u->msg);
	fprintf(stderr, ", NEWRULE %s", errname(-u->newrule));
	fprintf(stderr, ", FLUSH %s", errname(-u->flush));
	fprintf(stderr, ", TXN_BEGIN %s", errname(-u->begin));
	fprintf(stderr, ", GETRULE dump %s", errname(-u->dump));
	fprintf(stderr, ", join events %s\n", errname(-u->join));
	EXPECT_EQ(-EPERM, u->newchain);
	EXPECT_EQ(-EPERM, u->newrule);
	EXPECT_EQ(-EPERM, u->flush);
	EXPECT_EQ(-EPERM, u->begin);
	EXPECT_EQ(-EPERM, u->dump);
	EXPECT_EQ(-EPERM, u->join);
	/*
	 * Every command, both ways: EPERM, even where the command has no
	 * handler of that kind (the genetlink core checks the permission of
	 * the command before it looks for a do or dump handler): nothing
	 * tells an unprivileged caller more than that.
	 */
	for (int cmd = 1; cmd <= NFGATE_CMD_MAX; cmd++) {
		fprintf(stderr, "#   unprivileged command %2d: %s",
			cmd, errname(-u->as_do[cmd]));
		fprintf(stderr, ", as dump %s\n", errname(-u->as_dump[cmd]));
		EXPECT_EQ(-EPERM, u->as_do[cmd]) TH_LOG("command %d", cmd);
		EXPECT_EQ(-EPERM, u->as_dump[cmd]) TH_LOG("command %d dump", cmd);
	}
	/* the privileged socket still works: no transaction was left open */
	EXPECT_EQ(1, nlc_count_rules(priv, NFGATE_TABLE_FILTER, "INPUT"));
	munmap(u, sizeof(*u));
}

/* The privileged socket may join the events group (nfgate monitor does). */
TEST_F(bad, events_join_privileged)
{
	ASSERT_NE(0U, self->c.events_group);
	EXPECT_EQ(0, setsockopt(self->c.fd, SOL_NETLINK,
				NETLINK_ADD_MEMBERSHIP, &self->c.events_group,
				sizeof(self->c.events_group)))
		TH_LOG("join: %m");
}

TEST_F(bad, no_cap_net_admin)
{
	run_unprivileged(_metadata, &self->c, 0);
}

TEST_F(bad, user_namespace)
{
	run_unprivileged(_metadata, &self->c, 1);
}

/* What a user namespace's root could do, in its netns and in ours. */
struct userns_admin {
	int setup;		/* 0 ok, 1 skip, -1 failed; why says */
	char why[200];
	/* on the test's socket, inherited from the parent (its netns) */
	int inherited_newchain, inherited_setpolicy;
	/* on a socket in a netns the user namespace owns */
	int own_open, own_newchain, own_newrule, own_begin, own_txn_rule;
	int own_commit, own_rules, own_chain, own_dump, own_join;
	char msg[320];		/* of the first failure in its own netns */
};

/*
 * A user namespace's root administers the network namespace it owns and
 * nothing else.  A child enters a user namespace of its own (uid 65534
 * outside), then, on the socket the test opened as real root in the
 * test's namespace (owned by the initial user namespace), tries a write:
 * what counts is the capability over the socket's namespace, not which
 * socket or whose uid 0.  Then it makes a network namespace, owned by its
 * user namespace, and there everything works: chains, rules, a
 * transaction, dumps, the events group.  The teardown's snapshot shows
 * the test's namespace untouched.
 */
TEST_F(bad, user_namespace_owns_its_netns)
{
	static char buf[SNAPSZ];
	struct userns_admin *u;
	int status;
	pid_t pid;

	u = shared_zalloc(sizeof(*u));
	ASSERT_NE(NULL, u);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nlc *inh = &self->c;
		struct nlc_reply r;
		struct nlc_msg m;
		struct nlc c;
		size_t len = 0;

		u->setup = enter_user_namespace(u->why, sizeof(u->why));
		if (u->setup)
			_exit(0);
		u->inherited_newchain = nlc_new_chain(inh, NFGATE_TABLE_FILTER,
						      "NEW1", &r);
		req(&m, inh, NFGATE_CMD_SETPOLICY, NFGATE_TABLE_FILTER, "INPUT");
		nlc_put_u32(&m, NFGATE_A_POLICY, NFGATE_VERDICT_DROP);
		u->inherited_setpolicy = nlc_request(inh, &m, &r);

		if (unshare(CLONE_NEWNET)) {
			snprintf(u->why, sizeof(u->why),
				 "unshare(CLONE_NEWNET) as the user namespace's root: %m");
			u->setup = -1;
			_exit(0);
		}
		u->own_open = nlc_open(&c);
		if (u->own_open)
			_exit(0);
#define OWN(field, call) do { \
	u->field = (call); \
	if (u->field && !u->msg[0]) \
		snprintf(u->msg, sizeof(u->msg), "%s: %s", #field, r.msg); \
} while (0)
		OWN(own_newchain, nlc_new_chain(&c, NFGATE_TABLE_FILTER, "OWN", &r));
		OWN(own_newrule, nlc_new_rule(&c, NFGATE_TABLE_FILTER, "INPUT", 17,
					      NFGATE_VERDICT_JUMP, "OWN", &r));
		OWN(own_begin, nlc_simple(&c, NFGATE_CMD_TXN_BEGIN, &r));
		OWN(own_txn_rule, nlc_new_rule(&c, NFGATE_TABLE_FILTER, "OWN", 6,
					       NFGATE_VERDICT_DROP, NULL, &r));
		OWN(own_commit, nlc_simple(&c, NFGATE_CMD_TXN_COMMIT, &r));
#undef OWN
		u->own_rules = nlc_count_rules(&c, NFGATE_TABLE_FILTER, "OWN");
		u->own_chain = nlc_chain_exists(&c, NFGATE_TABLE_FILTER, "OWN");
		nlc_msg_init(&m, &c, NFGATE_CMD_GETRULE, 0);
		nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
		u->own_dump = nlc_dump(&c, &m, buf, sizeof(buf), &len, &r);
		u->own_join = setsockopt(c.fd, SOL_NETLINK,
					 NETLINK_ADD_MEMBERSHIP,
					 &c.events_group,
					 sizeof(c.events_group)) ? -errno : 0;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	if (u->setup > 0)
		SKIP(return, "%s", u->why);
	ASSERT_EQ(0, u->setup) TH_LOG("%s", u->why);
	fprintf(stderr, "#   the test's netns, inherited root socket: NEWCHAIN %s, SETPOLICY %s\n",
		errname(-u->inherited_newchain),
		errname(-u->inherited_setpolicy));
	EXPECT_EQ(-EPERM, u->inherited_newchain);
	EXPECT_EQ(-EPERM, u->inherited_setpolicy);
	ASSERT_EQ(0, u->own_open) TH_LOG("opening a socket in its own netns");
	fprintf(stderr, "#   its own netns: NEWCHAIN %s, NEWRULE %s, TXN %s/%s/%s, rules %d, dump %s, join %s%s%s\n",
		errname(-u->own_newchain), errname(-u->own_newrule),
		errname(-u->own_begin), errname(-u->own_txn_rule),
		errname(-u->own_commit), u->own_rules,
		errname(-u->own_dump), errname(-u->own_join),
		u->msg[0] ? " first failure: " : "", u->msg);
	EXPECT_EQ(0, u->own_newchain);
	EXPECT_EQ(0, u->own_newrule);
	EXPECT_EQ(0, u->own_begin);
	EXPECT_EQ(0, u->own_txn_rule);
	EXPECT_EQ(0, u->own_commit);
	EXPECT_EQ(1, u->own_rules);
	EXPECT_EQ(1, u->own_chain);
	EXPECT_EQ(0, u->own_dump);
	EXPECT_EQ(0, u->own_join);
	munmap(u, sizeof(*u));
}

/*
 * The positive edges of the limits tested above, so that those tests fail
 * only for the one thing that is wrong: each request here is accepted and
 * reads back as sent.  (A namespace of its own, no snapshot comparison.)
 */
FIXTURE(good) {
	struct nlc c;
};

FIXTURE_SETUP(good)
{
	int err;

	self->c.fd = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	err = nlc_open(&self->c);
	ASSERT_EQ(0, err) TH_LOG("resolving \"nfgate\": %s", strerror(-err));
}

FIXTURE_TEARDOWN(good)
{
	nlc_close(&self->c);
}

#define ACCEPTED(what, m) do { \
	static struct nlc_reply __r; \
	int __e = -nlc_request(&self->c, m, &__r); \
	fprintf(stderr, "#   %-44s %s msg=\"%s\"\n", what, errname(__e), \
		__r.msg); \
	EXPECT_EQ(0, __e); \
} while (0)

/* The one rule's RULE nest from a GETRULE dump of filter INPUT. */
static const struct nlattr *dumped_rule(struct nlc *c, char *buf, size_t sz)
{
	static struct nlc_reply r;
	struct nlc_msg m;
	size_t len = 0;
	uint32_t plen;
	const char *p;

	nlc_msg_init(&m, c, NFGATE_CMD_GETRULE, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
	nlc_put_str(&m, NFGATE_A_CHAIN, "INPUT");
	if (nlc_dump(c, &m, buf, sz, &len, &r) || len < sizeof(plen))
		return NULL;
	memcpy(&plen, buf, sizeof(plen));
	memcpy(r.data, buf + sizeof(plen), plen);
	r.data_len = plen;
	p = (const char *)nlc_reply_attr(&r, NFGATE_A_RULE);
	if (!p)
		return NULL;
	/* copy out of the static reply into buf, which the caller keeps */
	memmove(buf, p, ((const struct nlattr *)p)->nla_len);
	return (const struct nlattr *)buf;
}

static const struct nlattr *nest_find(const struct nlattr *nest, uint16_t type)
{
	const char *p = (const char *)nest + NLA_HDRLEN;
	int left = nest->nla_len - NLA_HDRLEN;

	while (left >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > left)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		p += NLA_ALIGN(a->nla_len);
		left -= NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

TEST_F(good, limits_accepted)
{
	struct nlc_msg m;
	char name[NFGATE_CHAIN_MAXNAMELEN];

	memset(name, 'L', sizeof(name));
	name[NFGATE_CHAIN_MAXNAMELEN - 1] = '\0';	/* 28 characters */
	req(&m, &self->c, NFGATE_CMD_NEWCHAIN, NFGATE_TABLE_FILTER, name);
	ACCEPTED("CHAIN of 28 characters", &m);

	rule_req(&m, &self->c, "INPUT");
	put_verdict(&m, NFGATE_VERDICT_JUMP, name);
	nlc_nest_end(&m);
	ACCEPTED("JUMP to the 28-character chain", &m);

	rule_req(&m, &self->c, "INPUT");
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, "abcdefghijklmno");
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	ACCEPTED("IIF NAME of 15 characters", &m);

	/* INPUT has 2 rules: position 3 appends */
	req(&m, &self->c, NFGATE_CMD_NEWRULE, NFGATE_TABLE_FILTER, "INPUT");
	nlc_put_u32(&m, NFGATE_A_POSITION, 3);
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_end(&m);
	ACCEPTED("NEWRULE POSITION rules+1", &m);
	EXPECT_EQ(3, nlc_count_rules(&self->c, NFGATE_TABLE_FILTER, "INPUT"));

	rule_req(&m, &self->c, "OUTPUT");
	put_proto(&m, 17, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_SPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 0);
	nlc_put_u16(&m, NFGATE_PORT_A_MAX, 65535);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	ACCEPTED("SPORT 0:65535", &m);
}

TEST_F(good, port_range_reads_back)
{
	static char buf[SNAPSZ];
	const struct nlattr *rule, *port, *a;
	struct nlc_msg m;

	rule_req(&m, &self->c, "INPUT");
	put_proto(&m, 6, 0);
	nlc_nest_start(&m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(&m, NFGATE_PORT_A_MIN, 1000);
	nlc_put_u16(&m, NFGATE_PORT_A_MAX, 2000);
	nlc_put_flag(&m, NFGATE_PORT_A_INV);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	ACCEPTED("DPORT ! 1000:2000 (MIN, MAX, INV)", &m);

	rule = dumped_rule(&self->c, buf, sizeof(buf));
	ASSERT_NE(NULL, rule) TH_LOG("no rule in the GETRULE dump");
	port = nest_find(rule, NFGATE_RULE_A_DPORT);
	ASSERT_NE(NULL, port) TH_LOG("no DPORT in the dumped rule");
	a = nest_find(port, NFGATE_PORT_A_MIN);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1000, *(uint16_t *)((char *)a + NLA_HDRLEN));
	a = nest_find(port, NFGATE_PORT_A_MAX);
	ASSERT_NE(NULL, a) TH_LOG("no PORT MAX (type %d) in the dump",
				  NFGATE_PORT_A_MAX);
	EXPECT_EQ(2000, *(uint16_t *)((char *)a + NLA_HDRLEN));
	a = nest_find(port, NFGATE_PORT_A_INV);
	ASSERT_NE(NULL, a) TH_LOG("no PORT INV in the dump");
	EXPECT_EQ(NLA_HDRLEN, a->nla_len) TH_LOG("INV is not a flag");
}

TEST_HARNESS_MAIN
