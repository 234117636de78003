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

#include "nfg_args.h"

static const char usage[] = "usage: nfg_tcp -a ADDR -p PORT [-s SPORT] [-t MS]\n";

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int port = 0, sport = 0, timeout = 500, fd, opt, err;
	socklen_t errlen = sizeof(err);
	struct pollfd pfd;

	nfg_set_usage(usage);
	while ((opt = getopt(argc, argv, "a:p:s:t:")) != -1) {
		switch (opt) {
		case 'a':
			dst.sin_addr = nfg_arg_addr(optarg);
			break;
		case 'p':
			port = nfg_arg_long(optarg, 1, 65535);
			break;
		case 's':
			sport = nfg_arg_long(optarg, 1, 65535);
			break;
		case 't':
			timeout = nfg_arg_long(optarg, 1, 600000);
			break;
		default:
			nfg_usage();
		}
	}
	if (!port || !dst.sin_addr.s_addr)
		nfg_usage();
	dst.sin_port = htons(port);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		perror("nfg_tcp: socket");
		return 2;
	}
	if (sport && nfg_bind_sport(fd, sport, "nfg_tcp"))
		return 2;
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
