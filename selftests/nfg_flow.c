// SPDX-License-Identifier: GPL-2.0
/*
 * nfg_flow: a steady UDP flow with sequence numbers, to prove that no packet
 * of an established flow is lost or duplicated while rules change.
 *
 *   nfg_flow send -a ADDR -p PORT [-s SPORT] [-i INTERVAL_US] [-n MAX]
 *	Send datagrams carrying sequence numbers 0, 1, ... every INTERVAL_US
 *	(default 2000) until SIGUSR1/SIGTERM or MAX datagrams; print
 *	"sent N errors E" (E: failed sendto calls, which are not counted in N).
 *   nfg_flow recv -a ADDR -p PORT [-r READY_FILE] [-t IDLE_MS]
 *	Receive until SIGUSR1/SIGTERM (then drain) or IDLE_MS (default 30000)
 *	without a datagram; print "received N distinct D duplicates X
 *	highest H missing M" and the first missing sequence numbers below H.
 *
 * Exit status 0, or 2 on usage or socket errors.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "nfg_args.h"

#define MAX_SEQ		(1 << 22)
#define MAGIC		0x6e666766u	/* "nfgf" */

static const char usage[] =
	"usage: nfg_flow send -a ADDR -p PORT [-s SPORT] [-i INTERVAL_US] [-n MAX]\n"
	"       nfg_flow recv -a ADDR -p PORT [-r READY_FILE] [-t IDLE_MS]\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int do_send(struct sockaddr_in *dst, int sport, long interval_us,
		   long max)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long sent = 0, errors = 0;
	struct timespec next;
	uint32_t msg[2];
	int fd;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("nfg_flow: socket");
		return 2;
	}
	if (sport && nfg_bind_sport(fd, sport, "nfg_flow"))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop && (max <= 0 || (long)sent < max) && sent < MAX_SEQ) {
		msg[0] = htonl(MAGIC);
		msg[1] = htonl(sent);
		if (sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)dst,
			   sizeof(*dst)) == sizeof(msg))
			sent++;
		else
			errors++;
		next.tv_nsec += interval_us * 1000;
		while (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		/* a signal ends the sleep early; the loop test sees stop */
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	printf("sent %lu errors %lu\n", sent, errors);
	return 0;
}

static int do_recv(struct sockaddr_in *addr, const char *ready, int idle_ms)
{
	unsigned long received = 0, distinct = 0, dups = 0, missing = 0;
	long highest = -1, i;
	struct pollfd pfd[2];
	unsigned char *seen;
	uint32_t msg[4];
	sigset_t sigs;
	int shown = 0, rcvbuf = 32 << 20;
	ssize_t n;

	seen = calloc(MAX_SEQ, 1);
	if (!seen) {
		perror("nfg_flow: calloc");
		return 2;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	pfd[1].fd = signalfd(-1, &sigs, 0);
	pfd[1].events = POLLIN;
	pfd[0].fd = socket(AF_INET, SOCK_DGRAM, 0);
	pfd[0].events = POLLIN;
	/* room for seconds of the flow: a receiver starved of CPU (TCG on a
	 * busy machine) must not turn into loss the test blames on nfgate
	 */
	if (pfd[0].fd >= 0 &&
	    setsockopt(pfd[0].fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		perror("nfg_flow: SO_RCVBUFFORCE");
	if (pfd[0].fd < 0 || pfd[1].fd < 0 ||
	    bind(pfd[0].fd, (struct sockaddr *)addr, sizeof(*addr))) {
		perror("nfg_flow: socket/bind");
		return 2;
	}
	if (ready && nfg_write_ready(ready, "nfg_flow"))
		return 2;
	for (;;) {
		int r = poll(pfd, 2, idle_ms);
		int draining;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		draining = !!(pfd[1].revents & POLLIN);
		while ((n = recv(pfd[0].fd, msg, sizeof(msg), MSG_DONTWAIT)) >= 0) {
			uint32_t seq = ntohl(msg[1]);

			if (n != 8 || ntohl(msg[0]) != MAGIC || seq >= MAX_SEQ)
				continue;
			received++;
			if (seen[seq]++) {
				dups++;
				continue;
			}
			distinct++;
			if ((long)seq > highest)
				highest = seq;
		}
		if (draining)
			break;
	}
	for (i = 0; i <= highest; i++)
		if (!seen[i])
			missing++;
	printf("received %lu distinct %lu duplicates %lu highest %ld missing %lu\n",
	       received, distinct, dups, highest, missing);
	for (i = 0; i <= highest && shown < 10; i++) {
		if (!seen[i]) {
			printf("missing seq %ld\n", i);
			shown++;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	long interval = 2000, max = 0;
	int sport = 0, idle = 30000, opt, port = 0;
	const char *ready = NULL, *mode;

	nfg_set_usage(usage);
	if (argc < 2)
		nfg_usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "a:p:s:i:n:r:t:")) != -1) {
		switch (opt) {
		case 'a':
			addr.sin_addr = nfg_arg_addr(optarg);
			break;
		case 'p':
			port = nfg_arg_long(optarg, 1, 65535);
			break;
		case 's':
			sport = nfg_arg_long(optarg, 1, 65535);
			break;
		case 'i':
			interval = nfg_arg_long(optarg, 1, 10000000);
			break;
		case 'n':
			max = nfg_arg_long(optarg, 0, MAX_SEQ);
			break;
		case 'r':
			ready = optarg;
			break;
		case 't':
			idle = nfg_arg_long(optarg, 1, 3600000);
			break;
		default:
			nfg_usage();
		}
	}
	if (!port || !addr.sin_addr.s_addr)
		nfg_usage();
	addr.sin_port = htons(port);
	if (!strcmp(mode, "send"))
		return do_send(&addr, sport, interval, max);
	if (!strcmp(mode, "recv"))
		return do_recv(&addr, ready, idle);
	nfg_usage();
}
