// SPDX-License-Identifier: GPL-2.0
/*
 * UDP traffic helper of the nfgate selftests.
 *
 *   nfg_udp recv -a ADDR -p LO[:HI] [-t IDLE_MS] [-r READY_FILE]
 *	Bind one socket per port LO..HI on ADDR, create READY_FILE once
 *	bound, count datagrams until SIGUSR1 or SIGTERM (then read what is
 *	queued) or until none came for IDLE_MS (default 10000), and print
 *	"PORT COUNT" for every port.
 *   nfg_udp send -a ADDR -p LO[:HI] [-n COUNT] [-s SPORT] [-l LEN]
 *	Send COUNT (default 1) datagrams of LEN (default 32) bytes to every
 *	port LO..HI of ADDR, from source port SPORT if given.
 *
 * Exit status 0, or 2 on usage or socket errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nfg_args.h"

#define MAX_PORTS	64

static const char usage[] =
	"usage: nfg_udp recv -a ADDR -p LO[:HI] [-t IDLE_MS] [-r FILE]\n"
	"       nfg_udp send -a ADDR -p LO[:HI] [-n COUNT] [-s SPORT] [-l LEN]\n";

static int do_recv(struct in_addr addr, int lo, int hi, int idle_ms,
		   const char *ready)
{
	struct pollfd pfd[MAX_PORTS + 1];
	long count[MAX_PORTS] = { 0 };
	int n = hi - lo + 1, i, r;
	char buf[2048];
	sigset_t sigs;

	/* SIGUSR1 / SIGTERM arrive through a signalfd, polled with the rest */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	pfd[n].fd = signalfd(-1, &sigs, 0);
	pfd[n].events = POLLIN;
	if (pfd[n].fd < 0) {
		perror("nfg_udp: signalfd");
		return 2;
	}
	for (i = 0; i < n; i++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons(lo + i),
			.sin_addr = addr,
		};
		int one = 1;

		pfd[i].fd = socket(AF_INET, SOCK_DGRAM, 0);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0 ||
		    setsockopt(pfd[i].fd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) ||
		    bind(pfd[i].fd, (struct sockaddr *)&sin, sizeof(sin))) {
			perror("nfg_udp: socket/bind");
			return 2;
		}
	}
	if (ready && nfg_write_ready(ready, "nfg_udp"))
		return 2;
	for (;;) {
		r = poll(pfd, n + 1, idle_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			perror("nfg_udp: poll");
			return 2;
		}
		if (r == 0)
			break;
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
				count[i]++;
		}
		if (pfd[n].revents & POLLIN) {
			/* told to stop: count what is queued already */
			for (i = 0; i < n; i++)
				while (recv(pfd[i].fd, buf, sizeof(buf),
					    MSG_DONTWAIT) >= 0)
					count[i]++;
			break;
		}
	}
	for (i = 0; i < n; i++)
		printf("%d %ld\n", lo + i, count[i]);
	return 0;
}

static int do_send(struct in_addr addr, int lo, int hi, int count, int sport,
		   int len)
{
	char buf[2048] = { 0 };
	int fd, port, i;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("nfg_udp: socket");
		return 2;
	}
	if (sport && nfg_bind_sport(fd, sport, "nfg_udp"))
		return 2;
	for (port = lo; port <= hi; port++) {
		struct sockaddr_in dst = {
			.sin_family = AF_INET,
			.sin_port = htons(port),
			.sin_addr = addr,
		};

		for (i = 0; i < count; i++) {
			/* EPERM from a local OUTPUT drop is an expected outcome */
			if (sendto(fd, buf, len, 0, (struct sockaddr *)&dst,
				   sizeof(dst)) < 0 && errno != EPERM) {
				perror("nfg_udp: sendto");
				return 2;
			}
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int lo = 0, hi = 0, count = 1, sport = 0, len = 32, idle = 10000, opt;
	const char *ready = NULL, *mode;
	struct in_addr addr = { 0 };
	int have_addr = 0, have_ports = 0;

	nfg_set_usage(usage);
	if (argc < 2)
		nfg_usage();
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "a:p:n:s:l:t:r:")) != -1) {
		switch (opt) {
		case 'a':
			addr = nfg_arg_addr(optarg);
			have_addr = 1;
			break;
		case 'p':
			nfg_arg_ports(optarg, &lo, &hi, MAX_PORTS);
			have_ports = 1;
			break;
		case 'n':
			count = nfg_arg_long(optarg, 0, 10000000);
			break;
		case 's':
			sport = nfg_arg_long(optarg, 1, 65535);
			break;
		case 'l':
			len = nfg_arg_long(optarg, 0, 2048);
			break;
		case 't':
			idle = nfg_arg_long(optarg, 1, 3600000);
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			nfg_usage();
		}
	}
	if (!have_addr || !have_ports)
		nfg_usage();
	if (!strcmp(mode, "recv"))
		return do_recv(addr, lo, hi, idle, ready);
	if (!strcmp(mode, "send"))
		return do_send(addr, lo, hi, count, sport, len);
	nfg_usage();
}
