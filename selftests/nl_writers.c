// SPDX-License-Identifier: GPL-2.0
/*
 * nl_writers WRITERS TXNS LOGDIR [SEED]
 *
 * Concurrent writers with generation checks (nfgate_churn_writers.sh).
 * WRITERS processes, each with its own socket, each commit TXNS
 * transactions to the user chain CHURN of the filter table, optimistic
 * concurrency as the protocol offers it (Documentation/protocol.rst):
 *
 *   1. GETGEN -> G; dump the table, count CHURN's rules -> N; GETGEN
 *      again: not G means the count may belong to another generation
 *      (retry, "stale_read");
 *   2. choose 1..3 operations from N (insert at a position 1..N+1, or
 *      delete a position 1..N; deletes once N >= MAXRULES): they are only
 *      right for the ruleset of generation G;
 *   3. TXN_BEGIN with GENERATION G: ESTALE if another writer committed
 *      since step 1 (retry from 1, "stale_begin"), EBUSY while another
 *      writer's transaction is open (retry, "busy"); once accepted,
 *      GETGEN must still answer G (else the check let a stale writer in);
 *   4. the operations, each acknowledged (none may fail);
 *   5. TXN_COMMIT with GENERATION G (ESTALE: "stale_commit", retry); the
 *      reply's GENERATION must be G + 1.
 *
 * Writer W appends every committed transaction to LOGDIR/writer.W as
 * "NEWGEN<TAB>W<TAB>I<TAB>OP[;OP...]", each OP in restore syntax
 * ("-I CHURN 3 -s ... -j DROP", "-A CHURN ...", "-D CHURN 2"), so that
 * the test replays them with "nfgate restore" in generation order.  On
 * exit each writer prints one line:
 *   writer W committed C stale_read R stale_begin S busy B stale_commit X
 * Exit status 0 if every writer committed TXNS transactions without an
 * unexpected answer, 1 otherwise.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>

#include "nl_client.h"

#define CHAIN		"CHURN"
#define MAXRULES	48
#define MAXOPS		3

struct stats {
	long committed, stale_read, stale_begin, busy, stale_commit;
};

static uint32_t rnd(uint64_t *s)
{
	/* xorshift64*: reproducible per writer and seed */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ULL) >> 32);
}

static void put_addr(struct nlc_msg *m, uint16_t type, uint32_t host)
{
	nlc_nest_start(m, type);
	nlc_put_u32(m, NFGATE_ADDR_A_ADDR, htonl(host));
	nlc_put_u32(m, NFGATE_ADDR_A_MASK, 0xffffffff);
	nlc_nest_end(m);
}

/*
 * Rule K of writer W: -s 198.18.W.(K % 250 + 1) -d 198.19.(K / 250).1
 * -p tcp --dport K+1 -j DROP, unique per (W, K).  Its restore text goes
 * to txt.
 */
static void put_rule(struct nlc_msg *m, int w, int k, char *txt, size_t sz)
{
	uint32_t src = (198U << 24) | (18U << 16) | (w << 8) | (k % 250 + 1);
	uint32_t dst = (198U << 24) | (19U << 16) | ((k / 250) << 8) | 1;

	nlc_nest_start(m, NFGATE_A_RULE);
	put_addr(m, NFGATE_RULE_A_SRC, src);
	put_addr(m, NFGATE_RULE_A_DST, dst);
	nlc_nest_start(m, NFGATE_RULE_A_PROTO);
	nlc_put_u8(m, NFGATE_PROTO_A_NUM, 6);
	nlc_nest_end(m);
	nlc_nest_start(m, NFGATE_RULE_A_DPORT);
	nlc_put_u16(m, NFGATE_PORT_A_MIN, k + 1);
	nlc_put_u16(m, NFGATE_PORT_A_MAX, k + 1);
	nlc_nest_end(m);
	nlc_nest_start(m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_DROP);
	nlc_nest_end(m);
	nlc_nest_end(m);
	snprintf(txt, sz,
		 "-s 198.18.%d.%d/32 -d 198.19.%d.1/32 -p tcp -m tcp --dport %d -j DROP",
		 w, k % 250 + 1, k / 250, k + 1);
}

static int gen_request(struct nlc *c, uint8_t cmd, uint64_t gen,
		       struct nlc_reply *r)
{
	struct nlc_msg m;

	nlc_msg_init(&m, c, cmd, 0);
	nlc_put_u64(&m, NFGATE_A_GENERATION, gen);
	return nlc_request(c, &m, r);
}

static void backoff(long tries)
{
	if (tries < 8)
		sched_yield();
	else
		usleep(100 + rand() % 400);
}

/* One writer; returns 0 if all its transactions committed as expected. */
static int writer(int w, long txns, const char *logdir, uint64_t seed)
{
	static struct nlc_reply r;
	uint64_t s = seed * 1000003ULL + w + 1;
	struct stats st = { 0 };
	char path[4096], line[MAXOPS * 160 + 64], txt[128];
	struct nlc c;
	long i, k = 0;
	FILE *log;

	snprintf(path, sizeof(path), "%s/writer.%d", logdir, w);
	log = fopen(path, "w");
	if (!log || nlc_open(&c)) {
		fprintf(stderr, "writer %d: cannot open %s or the family\n", w,
			path);
		return 1;
	}
	srand(seed + w);
	for (i = 0; i < txns; i++) {
		long tries = 0;

		for (;; tries++) {
			uint64_t g, g2, ng;
			int n, nops, j, err;
			size_t len;

			if (tries)
				backoff(tries);
			err = nlc_get_gen(&c, &g);
			if (err) {
				fprintf(stderr, "writer %d: GETGEN: %d\n", w, err);
				goto broken;
			}
			/* EINTR: the dump spanned a commit (NLM_F_DUMP_INTR) */
			n = nlc_count_rules(&c, NFGATE_TABLE_FILTER, CHAIN);
			if (n == -EINTR) {
				st.stale_read++;
				continue;
			}
			err = n < 0 ? n : nlc_get_gen(&c, &g2);
			if (err) {
				fprintf(stderr, "writer %d: dump or GETGEN: %d\n",
					w, err);
				goto broken;
			}
			if (g2 != g) {
				st.stale_read++;
				continue;
			}
			err = gen_request(&c, NFGATE_CMD_TXN_BEGIN, g, &r);
			if (err == -ESTALE) {
				st.stale_begin++;
				continue;
			}
			if (err == -EBUSY) {
				st.busy++;
				continue;
			}
			if (err) {
				fprintf(stderr, "writer %d: BEGIN: %d %s\n", w,
					err, r.msg);
				goto broken;
			}
			/*
			 * The check itself: BEGIN(G) accepted means nobody
			 * committed since G, and nobody can until we end.
			 */
			err = nlc_get_gen(&c, &g2);
			if (err || g2 != g) {
				fprintf(stderr,
					"writer %d: BEGIN with generation %llu accepted at generation %llu (%d)\n",
					w, (unsigned long long)g,
					(unsigned long long)g2, err);
				goto broken;
			}
			len = snprintf(line, sizeof(line), "%ld", i);
			nops = 1 + rnd(&s) % MAXOPS;
			for (j = 0; j < nops; j++) {
				struct nlc_msg m;
				int del = n > 0 && (n >= MAXRULES || rnd(&s) % 3 == 0);
				int pos = 1 + rnd(&s) % (del ? n : n + 1);

				nlc_msg_init(&m, &c, del ? NFGATE_CMD_DELRULE :
					     NFGATE_CMD_NEWRULE, 0);
				nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
				nlc_put_str(&m, NFGATE_A_CHAIN, CHAIN);
				if (del) {
					nlc_put_u32(&m, NFGATE_A_POSITION, pos);
					len += snprintf(line + len, sizeof(line) - len,
							"%s-D " CHAIN " %d",
							j ? ";" : "\t", pos);
					n--;
				} else {
					/* position N+1: an append (-A) */
					if (pos <= n)
						nlc_put_u32(&m, NFGATE_A_POSITION, pos);
					put_rule(&m, w, k % 10000, txt, sizeof(txt));
					k++;
					if (pos <= n)
						len += snprintf(line + len,
								sizeof(line) - len,
								"%s-I " CHAIN " %d %s",
								j ? ";" : "\t", pos, txt);
					else
						len += snprintf(line + len,
								sizeof(line) - len,
								"%s-A " CHAIN " %s",
								j ? ";" : "\t", txt);
					n++;
				}
				err = nlc_request(&c, &m, &r);
				if (err) {
					fprintf(stderr, "writer %d: op %d: %d %s\n",
						w, j + 1, err, r.msg);
					goto broken;
				}
			}
			err = gen_request(&c, NFGATE_CMD_TXN_COMMIT, g, &r);
			if (err == -ESTALE) {
				st.stale_commit++;
				continue;
			}
			if (err) {
				fprintf(stderr, "writer %d: COMMIT: %d %s\n", w,
					err, r.msg);
				goto broken;
			}
			if (!nlc_reply_attr(&r, NFGATE_A_GENERATION)) {
				fprintf(stderr, "writer %d: COMMIT without GENERATION\n",
					w);
				goto broken;
			}
			ng = nlc_attr_u64(nlc_reply_attr(&r, NFGATE_A_GENERATION));
			if (ng != g + 1) {
				fprintf(stderr,
					"writer %d: COMMIT on %llu gave generation %llu\n",
					w, (unsigned long long)g,
					(unsigned long long)ng);
				goto broken;
			}
			fprintf(log, "%llu\t%d\t%s\n", (unsigned long long)ng, w,
				line);
			st.committed++;
			break;
		}
	}
	fclose(log);
	nlc_close(&c);
	printf("writer %d committed %ld stale_read %ld stale_begin %ld busy %ld stale_commit %ld\n",
	       w, st.committed, st.stale_read, st.stale_begin, st.busy,
	       st.stale_commit);
	return 0;
broken:
	fclose(log);
	printf("writer %d committed %ld (broken) stale_read %ld stale_begin %ld busy %ld stale_commit %ld\n",
	       w, st.committed, st.stale_read, st.stale_begin, st.busy,
	       st.stale_commit);
	return 1;
}

int main(int argc, char **argv)
{
	int writers, w, status, bad = 0;
	uint64_t seed;
	long txns;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: nl_writers WRITERS TXNS LOGDIR [SEED]\n");
		return 2;
	}
	writers = atoi(argv[1]);
	txns = atol(argv[2]);
	seed = argc > 4 ? strtoull(argv[4], NULL, 0) : 1;
	if (writers < 1 || writers > 64 || txns < 0) {
		fprintf(stderr, "nl_writers: 1..64 writers\n");
		return 2;
	}
	fflush(stdout);
	for (w = 0; w < writers; w++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			status = writer(w, txns, argv[3], seed);
			fflush(stdout);
			_exit(status);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	return bad;
}
