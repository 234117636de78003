// SPDX-License-Identifier: GPL-2.0
/*
 * nfg_args.c: argument parsing, source-port binding and the "ready" file
 * shared by the selftests' traffic helpers (see nfg_args.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "nfg_args.h"

static const char *usage_text = "bad arguments\n";

void nfg_set_usage(const char *usage)
{
	usage_text = usage;
}

void nfg_usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

struct in_addr nfg_arg_addr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "not an IPv4 address: '%s'\n", s);
		nfg_usage();
	}
	return a;
}

long nfg_arg_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "'%s' is not a number in %ld..%ld\n", s, min, max);
		nfg_usage();
	}
	return v;
}

void nfg_arg_ports(const char *s, int *lo, int *hi, int max_span)
{
	char *end;

	*lo = strtol(s, &end, 10);
	*hi = *lo;
	if (*end == ':')
		*hi = strtol(end + 1, &end, 10);
	if (*end || *lo < 1 || *hi > 65535 || *lo > *hi ||
	    *hi - *lo >= max_span) {
		fprintf(stderr, "bad port or range '%s' (at most %d ports)\n",
			s, max_span);
		nfg_usage();
	}
}

int nfg_bind_sport(int fd, int sport, const char *prog)
{
	struct sockaddr_in src = {
		.sin_family = AF_INET,
		.sin_port = htons(sport),
	};
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		fprintf(stderr, "%s: bind source port %d: %m\n", prog, sport);
		return -1;
	}
	return 0;
}

int nfg_write_ready(const char *path, const char *prog)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs("ready\n", f) == EOF || fclose(f)) {
		fprintf(stderr, "%s: ready file %s: %m\n", prog, path);
		return -1;
	}
	return 0;
}
