// SPDX-License-Identifier: GPL-2.0
/*
 * Open an nfgate transaction, stage N rules in filter INPUT
 * (default 10), print "holding" and keep the socket open until killed.
 * The selftests use it to hold a transaction across rmmod and to make
 * other writers see EBUSY.  Exit status 1 if any step fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nl_client.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10, i;
	struct nlc_reply r = { 0 };
	struct nlc c;

	if (nlc_open(&c) || nlc_simple(&c, NFGATE_CMD_TXN_BEGIN, &r)) {
		fprintf(stderr, "txn_hold: BEGIN failed: %s\n", r.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (nlc_new_rule(&c, NFGATE_TABLE_FILTER, "INPUT", 1,
				 NFGATE_VERDICT_DROP, NULL, &r)) {
			fprintf(stderr, "txn_hold: NEWRULE failed: %s\n", r.msg);
			return 1;
		}
	}
	printf("holding\n");
	fflush(stdout);
	for (;;)
		pause();
}
