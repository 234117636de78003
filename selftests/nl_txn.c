// SPDX-License-Identifier: GPL-2.0
/*
 * nfgate transactions at the netlink level.
 *
 * Two sockets, a and b, in a fresh network namespace per test: a's open
 * transaction makes b's writes EBUSY; staged operations are invisible to
 * dumps until the commit and appear all at once with it; a failed operation
 * cancels the rest and makes the commit fail with "operation N: ..."; abort,
 * closing the owning socket and the death of the owning process discard
 * everything (and another socket may begin at once); generations guard
 * BEGIN and COMMIT and count only commits that changed something; a
 * transaction of 10000 operations with a bad one in the middle fails as
 * a whole; a socket that binds a closed owner's port id before the abort
 * (held open by txn_release_delay_ms) does not inherit its transaction;
 * NEWRULE answers with the handle only on NLM_F_ECHO; writes sent
 * many per datagram with NLM_F_ACK on the last one only are answered only
 * when they fail (or carry the ack), as the pipelining client relies on.
 * TAP via kselftest_harness.h.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "nl_client.h"
#include "kselftest_harness.h"

#define SNAPSZ		(1 << 20)
#define FILTER		NFGATE_TABLE_FILTER

static char snap_base[SNAPSZ], snap_now[SNAPSZ];

FIXTURE(txn) {
	struct nlc a, b;
	size_t base_len;
	uint64_t gen0;
};

FIXTURE_SETUP(txn)
{
	struct nlc_reply r;
	int err;

	self->a.fd = self->b.fd = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %m");
	err = nlc_open(&self->a);
	ASSERT_EQ(0, err) TH_LOG("resolving \"nfgate\": %s (module loaded?)",
				 strerror(-err));
	ASSERT_EQ(0, nlc_open(&self->b));
	/* something committed already: chain BASE with one rule */
	ASSERT_EQ(0, nlc_new_chain(&self->b, FILTER, "BASE", &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_new_rule(&self->b, FILTER, "BASE", 17,
				  NFGATE_VERDICT_DROP, NULL, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_get_gen(&self->b, &self->gen0));
	ASSERT_EQ(0, nlc_snapshot(&self->b, snap_base, SNAPSZ, &self->base_len));
}

FIXTURE_TEARDOWN(txn)
{
	nlc_close(&self->a);
	nlc_close(&self->b);
}

/* Is the committed ruleset, read through c, still the setup's? */
static int unchanged(struct nlc *c, size_t base_len)
{
	size_t len = 0;

	if (nlc_snapshot(c, snap_now, SNAPSZ, &len))
		return 0;
	return len == base_len && !memcmp(snap_base, snap_now, len);
}

static uint64_t reply_gen(const struct nlc_reply *r)
{
	return nlc_attr_u64(nlc_reply_attr(r, NFGATE_A_GENERATION));
}

TEST_F(txn, other_socket_gets_ebusy)
{
	struct nlc_reply r;
	uint64_t gen;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r)) TH_LOG("%s", r.msg);

	EXPECT_EQ(-EBUSY, nlc_new_chain(&self->b, FILTER, "FROMB", &r));
	EXPECT_TRUE(r.has_msg) TH_LOG("EBUSY without extack message");
	EXPECT_EQ(-EBUSY, nlc_new_rule(&self->b, FILTER, "INPUT", 1,
				       NFGATE_VERDICT_DROP, NULL, &r));
	EXPECT_EQ(-EBUSY, nlc_simple(&self->b, NFGATE_CMD_TXN_BEGIN, &r));
	/* reads still work and show the committed ruleset */
	EXPECT_TRUE(unchanged(&self->b, self->base_len));

	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "FROMA", &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(self->gen0 + 1, reply_gen(&r));
	EXPECT_EQ(1U, nlc_attr_u32(nlc_reply_attr(&r, NFGATE_A_TXN_OPS)));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 1, gen);

	/* committed: b sees it and may write again */
	EXPECT_EQ(1, nlc_chain_exists(&self->b, FILTER, "FROMA"));
	EXPECT_EQ(0, nlc_chain_exists(&self->b, FILTER, "FROMB"));
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "FROMB", &r)) TH_LOG("%s", r.msg);
}

TEST_F(txn, begin_twice_is_ebusy)
{
	struct nlc_reply r;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(-EBUSY, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_TRUE(r.has_msg);
	EXPECT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_ABORT, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_simple(&self->b, NFGATE_CMD_TXN_BEGIN, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_simple(&self->b, NFGATE_CMD_TXN_ABORT, &r));
}

TEST_F(txn, staged_ops_invisible_until_commit)
{
	struct nlc_reply r;
	struct nlc_msg m;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	/* operation 2 sees the chain that operation 1 staged */
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "STAGED", &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_new_rule(&self->a, FILTER, "STAGED", 6,
				  NFGATE_VERDICT_ACCEPT, NULL, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_new_rule(&self->a, FILTER, "INPUT", 6,
				  NFGATE_VERDICT_JUMP, "STAGED", &r)) TH_LOG("%s", r.msg);
	/* and a delete of something committed */
	nlc_msg_init(&m, &self->a, NFGATE_CMD_FLUSH, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, FILTER);
	nlc_put_str(&m, NFGATE_A_CHAIN, "BASE");
	EXPECT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);

	/* neither socket's dumps show any of it */
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	EXPECT_TRUE(unchanged(&self->a, self->base_len));

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(4U, nlc_attr_u32(nlc_reply_attr(&r, NFGATE_A_TXN_OPS)));
	EXPECT_EQ(self->gen0 + 1, reply_gen(&r));
	EXPECT_EQ(1, nlc_chain_exists(&self->b, FILTER, "STAGED"));
	EXPECT_EQ(1, nlc_count_rules(&self->b, FILTER, "STAGED"));
	EXPECT_EQ(1, nlc_count_rules(&self->b, FILTER, "INPUT"));
	EXPECT_EQ(0, nlc_count_rules(&self->b, FILTER, "BASE"));
}

TEST_F(txn, failed_operation_cancels_the_rest)
{
	struct nlc_reply r;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "OK1", &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(-ENOENT, nlc_new_rule(&self->a, FILTER, "NOSUCH", 1,
					NFGATE_VERDICT_DROP, NULL, &r));
	EXPECT_TRUE(r.has_msg);
	EXPECT_EQ(-ECANCELED, nlc_new_chain(&self->a, FILTER, "OK3", &r));
	EXPECT_TRUE(r.has_msg);

	EXPECT_EQ(-ENOENT, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r));
	EXPECT_TRUE(r.has_msg);
	TH_LOG("commit answered: %s", r.msg);
	EXPECT_EQ(0, strncmp(r.msg, "operation 2: ", 13))
		TH_LOG("commit extack \"%s\" does not start \"operation 2: \"",
		       r.msg);

	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	EXPECT_EQ(0, nlc_chain_exists(&self->b, FILTER, "OK1"));
	/* the failed transaction is gone: both sockets may write */
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "B1", &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_ABORT, &r));
}

TEST_F(txn, abort_discards)
{
	struct nlc_reply r;
	uint64_t gen;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "GONE", &r));
	EXPECT_EQ(0, nlc_new_rule(&self->a, FILTER, "GONE", 1,
				  NFGATE_VERDICT_DROP, NULL, &r));
	EXPECT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_ABORT, &r)) TH_LOG("%s", r.msg);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0, gen);
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "GONE", &r)) TH_LOG("%s", r.msg);
}

TEST_F(txn, closing_the_socket_aborts)
{
	struct nlc_reply r;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "GONE", &r));
	EXPECT_EQ(0, nlc_new_rule(&self->a, FILTER, "INPUT", 1,
				  NFGATE_VERDICT_DROP, NULL, &r));
	nlc_close(&self->a);

	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	EXPECT_EQ(0, nlc_new_rule(&self->b, FILTER, "OUTPUT", 1,
				  NFGATE_VERDICT_NONE, NULL, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_chain_exists(&self->b, FILTER, "GONE"));
	EXPECT_EQ(0, nlc_count_rules(&self->b, FILTER, "INPUT"));
}

TEST_F(txn, process_death_aborts)
{
	struct nlc_reply r;
	int ready[2], status;
	uint64_t gen;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nlc own;

		if (nlc_open(&own) ||
		    nlc_simple(&own, NFGATE_CMD_TXN_BEGIN, &r) ||
		    nlc_new_chain(&own, FILTER, "GONE", &r) ||
		    nlc_new_rule(&own, FILTER, "INPUT", 1,
				 NFGATE_VERDICT_DROP, NULL, &r))
			_exit(1);
		c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(1, c);

	EXPECT_EQ(-EBUSY, nlc_new_chain(&self->b, FILTER, "FROMB", &r));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));

	/* at once (no EBUSY, no delay): another socket may begin */
	EXPECT_EQ(0, nlc_simple(&self->b, NFGATE_CMD_TXN_BEGIN, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_simple(&self->b, NFGATE_CMD_TXN_ABORT, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0, gen);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "FROMB", &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_chain_exists(&self->b, FILTER, "GONE"));
	EXPECT_EQ(0, nlc_count_rules(&self->b, FILTER, "INPUT"));
}

/*
 * Ownership is the socket, not its port id.  netlink_release() frees the
 * closing socket's port id before NETLINK_URELEASE aborts its transaction.
 * The module parameter txn_release_delay_ms holds the notifier for a
 * second, so the window is certain: a socket that binds the freed port id
 * in it must get EBUSY for a write and a commit (the dead owner still holds
 * the transaction), and the staged rule must never be committed.
 */
#define RELEASE_DELAY	"/sys/module/nfgate/parameters/txn_release_delay_ms"

static int write_param(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(val, f) >= 0;
	return fclose(f) || !ok ? -1 : 0;
}

TEST_F(txn, port_id_reuse_is_not_ownership)
{
	struct thief {
		int bound, write, commit;
		char msg[256];
	} *t;
	struct nlc_reply r;
	uint32_t portid;
	int ready[2];
	struct nlc own;
	char c;
	pid_t pid;

	ASSERT_EQ(0, write_param(RELEASE_DELAY, "1000"))
		TH_LOG("%s: %m (a module without txn_release_delay_ms)",
		       RELEASE_DELAY);
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	memset(t, 0, sizeof(*t));
	ASSERT_EQ(0, nlc_open(&own));
	portid = nlc_portid(&own);
	ASSERT_NE(0U, portid);
	ASSERT_EQ(0, nlc_simple(&own, NFGATE_CMD_TXN_BEGIN, &r));
	ASSERT_EQ(0, nlc_new_rule(&own, FILTER, "INPUT", 1,
				  NFGATE_VERDICT_DROP, NULL, &r));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nlc thief;
		int err = -EADDRINUSE, n;

		/* The owner's socket must die with the parent's close (this
		 * copy's close would run the delayed abort here).
		 */
		nlc_close(&own);
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (n = 0; n < 100000 && err == -EADDRINUSE; n++)
			err = nlc_open_portid(&thief, portid);
		t->bound = !err;
		if (err)
			_exit(0);
		t->write = nlc_new_rule(&thief, FILTER, "OUTPUT", 1,
					NFGATE_VERDICT_DROP, NULL, &r);
		snprintf(t->msg, sizeof(t->msg), "%s", r.msg);
		t->commit = nlc_simple(&thief, NFGATE_CMD_TXN_COMMIT, &r);
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	nlc_close(&own);	/* returns once the delayed abort has run */
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	write_param(RELEASE_DELAY, "0");
	fprintf(stderr, "#   a socket on the closed owner's port id: write %s (%s), commit %s\n",
		strerrorname_np(-t->write) ?: "0", t->msg,
		strerrorname_np(-t->commit) ?: "0");
	ASSERT_TRUE(t->bound) TH_LOG("the owner's port id never came free");
	EXPECT_EQ(-EBUSY, t->write);
	EXPECT_EQ(-EBUSY, t->commit);
	EXPECT_EQ(0, nlc_count_rules(&self->b, FILTER, "INPUT"));
	EXPECT_EQ(0, nlc_count_rules(&self->b, FILTER, "OUTPUT"));
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	munmap(t, sizeof(*t));
}

TEST_F(txn, generations)
{
	struct nlc_reply r;
	struct nlc_msg m;
	uint64_t gen;

	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_BEGIN, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, self->gen0 + 1);
	EXPECT_EQ(-ESTALE, nlc_request(&self->a, &m, &r));
	EXPECT_TRUE(r.has_msg);
	/* the refused BEGIN left no transaction behind */
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "G1", &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 1, gen);	/* a lone write is a commit */

	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_BEGIN, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, gen);
	ASSERT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "G2", &r));
	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_COMMIT, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, gen);
	ASSERT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(gen + 1, reply_gen(&r));

	/* an empty commit changes nothing, not even the generation */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0U, nlc_attr_u32(nlc_reply_attr(&r, NFGATE_A_TXN_OPS)));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 2, gen);

	/* a refused lone write does not count either */
	EXPECT_EQ(-EEXIST, nlc_new_chain(&self->b, FILTER, "G2", &r));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 2, gen);
}

/* Only a commit that changed something moves the generation, by one. */
TEST_F(txn, generation_counts_commits_only)
{
	struct nlc_reply r;
	struct nlc_msg m;
	uint64_t gen;

	/* a transaction of three writes: +1, not +3 */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "T1", &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_new_rule(&self->a, FILTER, "T1", 6,
				  NFGATE_VERDICT_ACCEPT, NULL, &r));
	EXPECT_EQ(0, nlc_new_rule(&self->a, FILTER, "T1", 17,
				  NFGATE_VERDICT_ACCEPT, NULL, &r));
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(self->gen0 + 1, reply_gen(&r));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 1, gen);
	ASSERT_EQ(0, nlc_snapshot(&self->b, snap_base, SNAPSZ, &self->base_len));

	/* counter-only operations (ZERO) are not commits */
	nlc_msg_init(&m, &self->b, NFGATE_CMD_ZERO, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, FILTER);
	EXPECT_EQ(0, nlc_request(&self->b, &m, &r)) TH_LOG("%s", r.msg);
	nlc_msg_init(&m, &self->b, NFGATE_CMD_ZERO, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, FILTER);
	nlc_put_str(&m, NFGATE_A_CHAIN, "T1");
	nlc_put_u32(&m, NFGATE_A_POSITION, 2);
	EXPECT_EQ(0, nlc_request(&self->b, &m, &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 1, gen);

	/* a failed transaction: refused commit, nothing changed, same gen */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "F1", &r));
	EXPECT_EQ(-ENOENT, nlc_new_rule(&self->a, FILTER, "T1", 6,
					NFGATE_VERDICT_JUMP, "NOSUCH", &r));
	EXPECT_EQ(-ENOENT, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 1, gen);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));

	/* an aborted one */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "A1", &r));
	EXPECT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_ABORT, &r));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0 + 1, gen);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));

	/* two lone writes: two commits */
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "L1", &r));
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "L2", &r));
	ASSERT_EQ(0, nlc_get_gen(&self->a, &gen));
	EXPECT_EQ(self->gen0 + 3, gen);
}

/*
 * A writer that read generation G loses to one that committed after:
 * BEGIN with G and COMMIT with G are both refused (ESTALE), the refused
 * COMMIT discards what was staged, and with the current generation the
 * same transaction goes through.
 */
TEST_F(txn, stale_generation_refused)
{
	struct nlc_reply r;
	struct nlc_msg m;
	uint64_t g = self->gen0, gen;

	/* another writer commits after a read G */
	EXPECT_EQ(0, nlc_new_chain(&self->b, FILTER, "OTHER", &r)) TH_LOG("%s", r.msg);
	ASSERT_EQ(0, nlc_snapshot(&self->b, snap_base, SNAPSZ, &self->base_len));

	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_BEGIN, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, g);
	EXPECT_EQ(-ESTALE, nlc_request(&self->a, &m, &r));
	EXPECT_TRUE(r.has_msg);

	/* begun without a generation, committed with the stale one */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "MINE", &r)) TH_LOG("%s", r.msg);
	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_COMMIT, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, g);
	EXPECT_EQ(-ESTALE, nlc_request(&self->a, &m, &r));
	EXPECT_TRUE(r.has_msg);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(g + 1, gen);
	/* the refused commit ended the transaction: b may write */
	EXPECT_EQ(0, nlc_simple(&self->b, NFGATE_CMD_TXN_BEGIN, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_simple(&self->b, NFGATE_CMD_TXN_ABORT, &r));

	/* with the current generation: accepted, exactly +1 */
	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_BEGIN, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, gen);
	ASSERT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, nlc_new_chain(&self->a, FILTER, "MINE", &r)) TH_LOG("%s", r.msg);
	nlc_msg_init(&m, &self->a, NFGATE_CMD_TXN_COMMIT, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, gen);
	ASSERT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(gen + 1, reply_gen(&r));
	EXPECT_EQ(1, nlc_chain_exists(&self->b, FILTER, "MINE"));
}

/*
 * 10000 operations, operation 5000 invalid in the kernel only (a jump to
 * a chain that does not exist): the commit names operation 5000, and
 * neither before nor after it does any dump show the 4999 good ones.
 */
#define BIG_OPS		10000
#define BAD_OP		5000

/*
 * Seconds, not the harness's default 30: a couple of seconds on Debian's
 * kernel in TCG, but over 30 on the debug kernel (KASAN, lockdep).
 */
TEST_F_TIMEOUT(txn, big_transaction_fails_whole, 600)
{
	struct nlc_reply r;
	uint64_t gen;
	char want[32];
	int i, err;

	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	for (i = 1; i <= BIG_OPS; i++) {
		if (i == BAD_OP)
			err = nlc_new_rule(&self->a, FILTER, "INPUT", 6,
					   NFGATE_VERDICT_JUMP, "NOSUCH", &r);
		else
			err = nlc_new_rule(&self->a, FILTER,
					   i % 2 ? "INPUT" : "BASE", 6,
					   NFGATE_VERDICT_DROP, NULL, &r);
		if (i < BAD_OP) {
			ASSERT_EQ(0, err) TH_LOG("op %d: %s", i, r.msg);
		} else if (i == BAD_OP) {
			ASSERT_EQ(-ENOENT, err) TH_LOG("op %d: %s", i, r.msg);
		} else {
			ASSERT_EQ(-ECANCELED, err) TH_LOG("op %d", i);
		}
		if (i == 2500 || i == BAD_OP - 1) {
			ASSERT_TRUE(unchanged(&self->b, self->base_len))
				TH_LOG("staged operations visible after op %d", i);
		}
	}
	EXPECT_EQ(-ENOENT, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r));
	snprintf(want, sizeof(want), "operation %d: ", BAD_OP);
	EXPECT_EQ(0, strncmp(r.msg, want, strlen(want)))
		TH_LOG("commit extack \"%s\" does not start \"%s\"", r.msg, want);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
	ASSERT_EQ(0, nlc_get_gen(&self->b, &gen));
	EXPECT_EQ(self->gen0, gen);
	EXPECT_EQ(1, nlc_count_rules(&self->b, FILTER, "BASE"));
	EXPECT_EQ(0, nlc_count_rules(&self->b, FILTER, "INPUT"));
}

/* A NEWRULE "-p udp -j DROP" into chain of FILTER, flags and seq given. */
static void build_rule(struct nlc_msg *m, struct nlc *c, const char *chain,
		       uint16_t flags, uint32_t seq)
{
	nlc_msg_init(m, c, NFGATE_CMD_NEWRULE, flags);
	m->nlh.nlmsg_seq = seq;
	nlc_put_u32(m, NFGATE_A_TABLE, FILTER);
	nlc_put_str(m, NFGATE_A_CHAIN, chain);
	nlc_put_rule(m, 17, NFGATE_VERDICT_DROP, NULL);
}

TEST_F(txn, handle_reply_only_on_echo)
{
	const struct nlattr *h1, *h2;
	struct nlc_reply r;
	struct nlc_msg m;
	uint64_t first;

	/* no NLM_F_ECHO: the ack is the only answer */
	ASSERT_EQ(0, nlc_new_rule(&self->a, FILTER, "BASE", 17,
				  NFGATE_VERDICT_DROP, NULL, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(0, r.data_len);

	build_rule(&m, &self->a, "BASE", NLM_F_ECHO, 0);
	ASSERT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);
	ASSERT_GT(r.data_len, 0);
	h1 = nlc_reply_attr(&r, NFGATE_A_HANDLE);
	ASSERT_NE(NULL, h1);
	first = nlc_attr_u64(h1);

	build_rule(&m, &self->a, "BASE", NLM_F_ECHO, 0);
	ASSERT_EQ(0, nlc_request(&self->a, &m, &r)) TH_LOG("%s", r.msg);
	h2 = nlc_reply_attr(&r, NFGATE_A_HANDLE);
	ASSERT_NE(NULL, h2);
	EXPECT_TRUE(first != 0);
	EXPECT_TRUE(nlc_attr_u64(h2) > first);
	EXPECT_EQ(4, nlc_count_rules(&self->b, FILTER, "BASE"));
}

#define BATCH	4
static char batch_buf[BATCH * NLC_BUFSZ];

/*
 * Send BATCH NEWRULEs into the chains given, in one datagram, NLM_F_ACK on
 * the last only; collect the error code answered for each (1: no answer)
 * until the last one's answer arrives.  Returns the number of answers.
 */
static int send_batch(struct nlc *c, const char *const chains[BATCH],
		      int errs[BATCH])
{
	static union {
		struct nlmsghdr nlh;
		char bytes[65536];
	} rbuf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t first = c->seq + 1;
	size_t len = 0;
	int i, answers = 0, done = 0;
	struct nlc_msg m;

	for (i = 0; i < BATCH; i++) {
		build_rule(&m, c, chains[i], i == BATCH - 1 ? NLM_F_ACK : 0,
			   ++c->seq);
		memcpy(batch_buf + len, m.buf, m.nlh.nlmsg_len);
		len += NLMSG_ALIGN(m.nlh.nlmsg_len);
		errs[i] = 1;
	}
	if (sendto(c->fd, batch_buf, len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	while (!done) {
		ssize_t n = recv(c->fd, rbuf.bytes, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;
		size_t left;

		if (n < 0)
			return -errno;
		left = n;
		for (nlh = &rbuf.nlh; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			uint32_t k = nlh->nlmsg_seq - first;

			if (nlh->nlmsg_type != NLMSG_ERROR || k >= BATCH)
				continue;
			errs[k] = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			answers++;
			if (k == BATCH - 1)
				done = 1;
		}
	}
	return answers;
}

TEST_F(txn, batch_answers_failures_and_last_ack_only)
{
	const char *const good[BATCH] = { "BASE", "BASE", "BASE", "BASE" };
	const char *const bad[BATCH] = { "BASE", "NOSUCH", "BASE", "BASE" };
	struct nlc_reply r;
	int errs[BATCH];

	/* all succeed: one answer, the ack of the last */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	ASSERT_EQ(1, send_batch(&self->a, good, errs));
	EXPECT_EQ(1, errs[0]);
	EXPECT_EQ(1, errs[1]);
	EXPECT_EQ(1, errs[2]);
	EXPECT_EQ(0, errs[3]);
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r)) TH_LOG("%s", r.msg);
	EXPECT_EQ(1 + BATCH, nlc_count_rules(&self->b, FILTER, "BASE"));

	/* the second fails: it and everything after it answer, not the first */
	ASSERT_EQ(0, nlc_simple(&self->a, NFGATE_CMD_TXN_BEGIN, &r));
	ASSERT_EQ(3, send_batch(&self->a, bad, errs));
	EXPECT_EQ(1, errs[0]);
	EXPECT_EQ(-ENOENT, errs[1]);
	EXPECT_EQ(-ECANCELED, errs[2]);
	EXPECT_EQ(-ECANCELED, errs[3]);
	EXPECT_EQ(-ENOENT, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r));
	EXPECT_EQ(0, strncmp(r.msg, "operation 2: ", 13))
		TH_LOG("commit extack \"%s\"", r.msg);
	EXPECT_EQ(1 + BATCH, nlc_count_rules(&self->b, FILTER, "BASE"));
}

TEST_F(txn, commit_without_begin)
{
	struct nlc_reply r;

	EXPECT_NE(0, nlc_simple(&self->a, NFGATE_CMD_TXN_COMMIT, &r));
	EXPECT_TRUE(r.has_msg);
	TH_LOG("COMMIT without BEGIN: %s \"%s\"", strerrorname_np(-r.error), r.msg);
	EXPECT_TRUE(unchanged(&self->b, self->base_len));
}

TEST_HARNESS_MAIN
