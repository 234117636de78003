// SPDX-License-Identifier: GPL-2.0
/*
 * txn_churn KIND OPS SECONDS commit|abort
 *
 * Open one nfgate transaction and stage OPS operations that undo each
 * other, then measure kernel memory while the transaction is still open,
 * then commit or abort it.  KIND:
 *   rule    NEWRULE / DELRULE (by specification) of "-p udp -j DROP" in
 *           filter INPUT
 *   chain   NEWCHAIN / DELCHAIN of the user chain CHURN in filter
 *   policy  SETPOLICY filter INPUT DROP / ACCEPT
 * The operations go out in batches of BATCH messages per sendmsg() without
 * NLM_F_ACK (the VM is slow TCG): only failures answer.  The loop also
 * stops after SECONDS.  Memory is SUnreclaim + Percpu of /proc/meminfo,
 * in kB, before BEGIN and after the loop (each after a pause for RCU).
 *
 * Prints one line per fact for the calling test:
 *   ops N            operations sent
 *   refused N        of which answered with an error
 *   first_error E M  errno and extack of the first error
 *   loop_ms N        time of the loop
 *   mem_before_kb N, mem_during_kb N
 *   end commit|abort E M   the answer to TXN_COMMIT / TXN_ABORT
 * Exit status 1 if the socket or BEGIN fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "nl_client.h"

#define BATCH		512
#define MSG_MAX		128

static char batch[BATCH * MSG_MAX] __attribute__((aligned(4)));

static long meminfo_kb(void)
{
	char line[256];
	long sum = 0, v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SUnreclaim: %ld kB", &v) == 1 ||
		    sscanf(line, "Percpu: %ld kB", &v) == 1)
			sum += v;
	}
	fclose(f);
	return sum;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Operation i of KIND, appended to the batch at *len with sequence seq. */
static void add_op(struct nlc *c, const char *kind, long i, uint32_t seq,
		   size_t *len)
{
	static struct nlc_msg m;
	int odd = i & 1;

	if (!strcmp(kind, "rule")) {
		nlc_msg_init(&m, c, odd ? NFGATE_CMD_DELRULE : NFGATE_CMD_NEWRULE, 0);
		nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
		nlc_put_str(&m, NFGATE_A_CHAIN, "INPUT");
		nlc_put_rule(&m, 17, NFGATE_VERDICT_DROP, NULL);
	} else if (!strcmp(kind, "chain")) {
		nlc_msg_init(&m, c, odd ? NFGATE_CMD_DELCHAIN : NFGATE_CMD_NEWCHAIN, 0);
		nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
		nlc_put_str(&m, NFGATE_A_CHAIN, "CHURN");
	} else {
		nlc_msg_init(&m, c, NFGATE_CMD_SETPOLICY, 0);
		nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
		nlc_put_str(&m, NFGATE_A_CHAIN, "INPUT");
		nlc_put_u32(&m, NFGATE_A_POLICY,
			    odd ? NFGATE_VERDICT_ACCEPT : NFGATE_VERDICT_DROP);
	}
	m.nlh.nlmsg_seq = seq;
	memcpy(batch + *len, m.buf, m.nlh.nlmsg_len);
	*len += NLMSG_ALIGN(m.nlh.nlmsg_len);
}

/* The errors of a batch, then the ack of the GETGEN that ends it. */
static int drain(struct nlc *c, uint32_t end_seq, long *refused, int *first,
		 char *first_msg, size_t msgsz)
{
	static union {
		struct nlmsghdr nlh;
		char bytes[65536];
	} rbuf;

	for (;;) {
		ssize_t n = recv(c->fd, rbuf.bytes, sizeof(rbuf), 0);
		struct nlmsghdr *nlh;
		size_t left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		left = n;
		for (nlh = &rbuf.nlh; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nlh->nlmsg_seq == end_seq)
				return 0;
			if (!e->error)
				continue;
			if (!(*refused)++) {
				*first = e->error;
				snprintf(first_msg, msgsz, "(no extack)");
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
					size_t off = sizeof(*e);
					size_t total = nlh->nlmsg_len -
						       NLMSG_HDRLEN;

					if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
						off += e->msg.nlmsg_len -
						       NLMSG_HDRLEN;
					while (off + NLA_HDRLEN <= total) {
						struct nlattr *a = (void *)
							((char *)e + off);

						if (a->nla_len < NLA_HDRLEN ||
						    off + a->nla_len > total)
							break;
						if ((a->nla_type & NLA_TYPE_MASK) ==
						    NLMSGERR_ATTR_MSG)
							snprintf(first_msg, msgsz,
								 "%.*s",
								 (int)(a->nla_len -
								       NLA_HDRLEN),
								 (char *)a +
								 NLA_HDRLEN);
						off += NLA_ALIGN(a->nla_len);
					}
				}
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	long ops, secs, i = 0, refused = 0, before, during, t0, t1;
	char first_msg[256] = "";
	struct nlc_reply r = { 0 };
	int first = 0, err, commit, rcvbuf = 4 << 20;
	const char *kind;
	struct nlc_msg m;
	struct nlc c;

	if (argc != 5) {
		fprintf(stderr,
			"usage: txn_churn rule|chain|policy OPS SECONDS commit|abort\n");
		return 2;
	}
	kind = argv[1];
	ops = atol(argv[2]);
	secs = atol(argv[3]);
	commit = !strcmp(argv[4], "commit");

	if (nlc_open(&c)) {
		fprintf(stderr, "txn_churn: cannot open the nfgate family\n");
		return 1;
	}
	setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	sleep(2);
	before = meminfo_kb();
	if (nlc_simple(&c, NFGATE_CMD_TXN_BEGIN, &r)) {
		fprintf(stderr, "txn_churn: BEGIN failed: %s\n", r.msg);
		return 1;
	}
	t0 = now_ms();
	while (i < ops && now_ms() - t0 < secs * 1000) {
		uint32_t seq = ++c.seq;
		size_t len = 0;
		long n;

		for (n = 0; n < BATCH && i < ops; n++, i++)
			add_op(&c, kind, i, seq, &len);
		if (sendto(c.fd, batch, len, 0, (struct sockaddr *)&sa,
			   sizeof(sa)) < 0) {
			perror("txn_churn: sendto");
			return 1;
		}
		/* End the batch with an acked GETGEN and read the errors. */
		nlc_msg_init(&m, &c, NFGATE_CMD_GETGEN, NLM_F_ACK);
		m.nlh.nlmsg_seq = ++c.seq;
		if (sendto(c.fd, m.buf, m.nlh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			perror("txn_churn: sendto");
			return 1;
		}
		err = drain(&c, m.nlh.nlmsg_seq, &refused, &first, first_msg,
			    sizeof(first_msg));
		if (err) {
			fprintf(stderr, "txn_churn: recv: %s\n", strerror(-err));
			return 1;
		}
	}
	t1 = now_ms();
	sleep(2);
	during = meminfo_kb();

	printf("ops %ld\n", i);
	printf("refused %ld\n", refused);
	printf("first_error %d %s\n", first, first_msg);
	printf("loop_ms %ld\n", t1 - t0);
	printf("mem_before_kb %ld\n", before);
	printf("mem_during_kb %ld\n", during);
	err = nlc_simple(&c, commit ? NFGATE_CMD_TXN_COMMIT :
			 NFGATE_CMD_TXN_ABORT, &r);
	printf("end %s %d %s\n", argv[4], err, r.msg);
	fflush(stdout);
	nlc_close(&c);
	return 0;
}
