/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfg_args.h: the command-line parsing, source-port binding and "ready"
 * file shared by the selftests' traffic helpers (nfg_udp.c, nfg_tcp.c,
 * nfg_flow.c, nfg_stream.c).  Every parser exits with status 2 and the helper's usage
 * text on bad input, so a test never runs with a half-understood argument.
 */
#ifndef NFGATE_SELFTESTS_NFG_ARGS_H
#define NFGATE_SELFTESTS_NFG_ARGS_H

#include <netinet/in.h>

/* The usage text printed (to stderr) before exit(2) on bad arguments. */
void nfg_set_usage(const char *usage);
void __attribute__((noreturn)) nfg_usage(void);

/* An IPv4 address in dotted quad. */
struct in_addr nfg_arg_addr(const char *s);
/* A decimal integer in [min, max]. */
long nfg_arg_long(const char *s, long min, long max);
/* A port 1..65535 or a range LO:HI with HI - LO < max_span. */
void nfg_arg_ports(const char *s, int *lo, int *hi, int max_span);

/* Bind fd to source port sport (any address); 0 or -1 (reported). */
int nfg_bind_sport(int fd, int sport, const char *prog);

/*
 * Write "ready" to the file at path, which the test waits for once the
 * helper listens; 0 or -1 (reported).
 */
int nfg_write_ready(const char *path, const char *prog);

#endif
