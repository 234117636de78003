// SPDX-License-Identifier: GPL-2.0
/*
 * nl_handles TABLE CHAIN: print the handle of every rule of a chain, one
 * per line in chain order, as a GETRULE dump returns them (TABLE is the
 * number of enum nfgate_table).  nfgate_handles.sh checks with it that
 * handles cross 2^32 and stay 64-bit.  Exit status 1 on any error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl_client.h"

#define MAX_RULES	(1 << 20)

int main(int argc, char **argv)
{
	static uint64_t handles[MAX_RULES];
	struct nlc c;
	int n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: nl_handles TABLE CHAIN\n");
		return 2;
	}
	if (nlc_open(&c)) {
		fprintf(stderr, "nl_handles: cannot resolve \"nfgate\"\n");
		return 1;
	}
	n = nlc_rule_handles(&c, atoi(argv[1]), argv[2], handles, MAX_RULES);
	if (n < 0) {
		fprintf(stderr, "nl_handles: dump: %s\n", strerror(-n));
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%" PRIu64 "\n", handles[i]);
	return 0;
}
