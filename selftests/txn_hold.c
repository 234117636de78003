// SPDX-License-Identifier: GPL-2.0
/*
 * Open an nfgate transaction, stage N rules in filter INPUT
 * (default 10), print "holding" and keep the socket open until killed.
 * With a second argument PREFIX each rule matches "-i PREFIX<i>", so the
 * staged rules hold interned interface names.  The selftests use it to
 * hold a transaction across rmmod and namespace deletion and to make
 * other writers see EBUSY.  Exit status 1 if any step fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nl_client.h"

/* "-A INPUT -i PREFIX<i> -j DROP" into the open transaction. */
static int stage_named(struct nlc *c, const char *prefix, int i,
		       struct nlc_reply *r)
{
	struct nlc_msg m;
	char name[32];

	snprintf(name, sizeof(name), "%.10s%d", prefix, i % 10000);
	nlc_msg_init(&m, c, NFGATE_CMD_NEWRULE, 0);
	nlc_put_u32(&m, NFGATE_A_TABLE, NFGATE_TABLE_FILTER);
	nlc_put_str(&m, NFGATE_A_CHAIN, "INPUT");
	nlc_nest_start(&m, NFGATE_A_RULE);
	nlc_nest_start(&m, NFGATE_RULE_A_IIF);
	nlc_put_str(&m, NFGATE_IFACE_A_NAME, name);
	nlc_nest_end(&m);
	nlc_nest_start(&m, NFGATE_RULE_A_TARGET);
	nlc_put_u32(&m, NFGATE_TARGET_A_VERDICT, NFGATE_VERDICT_DROP);
	nlc_nest_end(&m);
	nlc_nest_end(&m);
	return nlc_request(c, &m, r);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10, i, err;
	const char *prefix = argc > 2 ? argv[2] : NULL;
	struct nlc_reply r = { 0 };
	struct nlc c;

	if (nlc_open(&c) || nlc_simple(&c, NFGATE_CMD_TXN_BEGIN, &r)) {
		fprintf(stderr, "txn_hold: BEGIN failed: %s\n", r.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (prefix)
			err = stage_named(&c, prefix, i, &r);
		else
			err = nlc_new_rule(&c, NFGATE_TABLE_FILTER, "INPUT", 1,
					   NFGATE_VERDICT_DROP, NULL, &r);
		if (err) {
			fprintf(stderr, "txn_hold: NEWRULE failed: %s\n", r.msg);
			return 1;
		}
	}
	printf("holding\n");
	fflush(stdout);
	for (;;)
		pause();
}
