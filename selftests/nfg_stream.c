// SPDX-License-Identifier: GPL-2.0
/*
 * nfg_stream: one paced TCP stream whose bytes are numbered, to prove that
 * a stream crossing the router is neither cut nor corrupted while rules
 * change (nfgate_churn.sh).
 *
 *   nfg_stream send -a ADDR -p PORT [-s SPORT] [-i INTERVAL_US] [-b BYTES]
 *	Connect, then write BYTES (default 1024) every INTERVAL_US (default
 *	2000) until SIGUSR1/SIGTERM: the stream is 32-bit big-endian words
 *	0, 1, 2, ...  Then shut down the write side, wait for the receiver
 *	to close and print "sent N" (bytes).
 *   nfg_stream recv -a ADDR -p PORT [-r READY_FILE] [-t IDLE_MS]
 *	Accept one connection, read until EOF (or IDLE_MS, default 30000,
 *	without data), check every word and print "received N bad B
 *	first_bad O" (B: words not equal to their index, O: byte offset of
 *	the first, -1 if none).
 *
 * Exit status 0, 1 if the stream broke (connect/read/write error, idle
 * timeout), 2 on usage or socket errors.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "nfg_args.h"

static const char usage[] =
	"usage: nfg_stream send -a ADDR -p PORT [-s SPORT] [-i INTERVAL_US] [-b BYTES]\n"
	"       nfg_stream recv -a ADDR -p PORT [-r READY_FILE] [-t IDLE_MS]\n";

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int do_send(struct sockaddr_in *dst, int sport, long interval,
		   long chunk)
{
	uint32_t *buf = malloc(chunk + 4);
	uint64_t word = 0, sent = 0;
	struct timespec next;
	char c;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || !buf) {
		perror("nfg_stream: socket");
		return 2;
	}
	if (sport && nfg_bind_sport(fd, sport, "nfg_stream"))
		return 2;
	if (connect(fd, (struct sockaddr *)dst, sizeof(*dst))) {
		perror("nfg_stream: connect");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		long n = chunk / 4, i;
		size_t off = 0;

		for (i = 0; i < n; i++)
			buf[i] = htonl((uint32_t)word++);
		while (off < (size_t)n * 4) {
			ssize_t w = write(fd, (char *)buf + off, n * 4 - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				perror("nfg_stream: write");
				printf("sent %llu\n", (unsigned long long)sent);
				return 1;
			}
			off += w;
			sent += w;
		}
		next.tv_nsec += interval * 1000;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, &c, 1) > 0)
		;
	close(fd);
	printf("sent %llu\n", (unsigned long long)sent);
	return 0;
}

static int do_recv(struct sockaddr_in *addr, const char *ready, int idle_ms)
{
	static unsigned char buf[65536];
	uint64_t got = 0, bad = 0;
	long long first_bad = -1;
	unsigned char word[4];
	int lfd, fd, one = 1, rc = 0;
	struct pollfd pfd;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("nfg_stream: socket");
		return 2;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)addr, sizeof(*addr)) || listen(lfd, 1)) {
		perror("nfg_stream: bind/listen");
		return 2;
	}
	if (ready && nfg_write_ready(ready, "nfg_stream"))
		return 2;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("nfg_stream: accept");
		return 2;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		ssize_t n, i;

		if (poll(&pfd, 1, idle_ms) <= 0) {
			fprintf(stderr, "nfg_stream: idle for %d ms\n", idle_ms);
			rc = 1;
			break;
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("nfg_stream: read");
			rc = 1;
			break;
		}
		if (!n)
			break;
		for (i = 0; i < n; i++, got++) {
			word[got % 4] = buf[i];
			if (got % 4 == 3) {
				uint32_t v = (uint32_t)word[0] << 24 |
					     word[1] << 16 | word[2] << 8 |
					     word[3];

				if (v != (uint32_t)(got / 4)) {
					if (!bad++)
						first_bad = got - 3;
				}
			}
		}
	}
	close(fd);
	printf("received %llu bad %llu first_bad %lld\n",
	       (unsigned long long)got, (unsigned long long)bad, first_bad);
	return rc;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	long interval = 2000, chunk = 1024;
	int port = 0, sport = 0, idle = 30000, opt, sending;
	const char *ready = NULL;
	struct sigaction sa = { .sa_handler = on_stop };

	nfg_set_usage(usage);
	if (argc < 2)
		nfg_usage();
	if (!strcmp(argv[1], "send"))
		sending = 1;
	else if (!strcmp(argv[1], "recv"))
		sending = 0;
	else
		nfg_usage();
	optind = 2;
	while ((opt = getopt(argc, argv, "a:p:s:i:b:r:t:")) != -1) {
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
		case 'b':
			chunk = nfg_arg_long(optarg, 4, 1 << 20) & ~3L;
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
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return sending ? do_send(&addr, sport, interval, chunk) :
			 do_recv(&addr, ready, idle);
}
