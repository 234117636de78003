// SPDX-License-Identifier: GPL-2.0
/*
 * TCP connect probe of the nfgate selftests.
 *
 *   nfg_tcp -a ADDR -p PORT [-s SPORT] [-t TIMEOUT_MS]
 *
 * Sends one SYN (the timeout, default 500 ms, is shorter than the kernel's
 * first SYN retransmission at 1 s, so exactly one SYN leaves per probe) and
 * prints what came back: "open" (SYN-ACK), "refused" (RST: the SYN reached a
 * host without a listener) or "timeout" (nothing: dropped on the way).
 * Exit status: 0 open or refused, 1 timeout, 2 error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_usage(void)
{
	fprintf(stderr, "usage: nfg_tcp -a ADDR -p PORT [-s SPORT] [-t MS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int port = 0, sport = 0, timeout = 500, fd, opt, err;
	socklen_t errlen = sizeof(err);
	struct pollfd pfd;

	while ((opt = getopt(argc, argv, "a:p:s:t:")) != -1) {
		switch (opt) {
		case 'a':
			if (inet_pton(AF_INET, optarg, &dst.sin_addr) != 1)
				print_usage();
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 's':
			sport = atoi(optarg);
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		default:
			print_usage();
		}
	}
	if (port < 1 || port > 65535 || !dst.sin_addr.s_addr)
		print_usage();
	dst.sin_port = htons(port);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		perror("nfg_tcp: socket");
		return 2;
	}
	if (sport) {
		struct sockaddr_in src = {
			.sin_family = AF_INET,
			.sin_port = htons(sport),
		};
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&src, sizeof(src))) {
			perror("nfg_tcp: bind source port");
			return 2;
		}
	}
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) == 0) {
		puts("open");
		return 0;
	}
	if (errno == ECONNREFUSED) {
		puts("refused");
		return 0;
	}
	if (errno == EPERM) {	/* dropped by a local OUTPUT rule */
		puts("timeout");
		return 1;
	}
	if (errno != EINPROGRESS) {
		perror("nfg_tcp: connect");
		return 2;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, timeout) == 0) {
		puts("timeout");
		return 1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0) {
		perror("nfg_tcp: getsockopt");
		return 2;
	}
	if (!err) {
		puts("open");
		return 0;
	}
	if (err == ECONNREFUSED) {
		puts("refused");
		return 0;
	}
	if (err == EPERM || err == ETIMEDOUT || err == EHOSTUNREACH) {
		puts("timeout");
		return 1;
	}
	fprintf(stderr, "nfg_tcp: connect: %s\n", strerror(err));
	return 2;
}
