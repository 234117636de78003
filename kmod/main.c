// SPDX-License-Identifier: GPL-2.0
/*
 * nfgate module entry: module parameters, and the order in which the
 * pieces come up and go down.
 *
 * Up: rule cache, per-namespace state (and hooks), the netlink release
 * notifier, and last the genl family, so that no request arrives before
 * its namespace state exists.  Down in reverse: no more requests, no more
 * notifications, namespaces torn down (hooks first), then wait for every
 * RCU callback before the cache goes.
 */
#include <linux/module.h>
#include <net/netfilter/nf_nat_masquerade.h>

#include "main.h"
#include "netlink.h"
#include "netns.h"
#include "rule.h"
#include "txn.h"

unsigned int nfgate_max_rules = 1000000;
module_param_named(max_rules, nfgate_max_rules, uint, 0644);
MODULE_PARM_DESC(max_rules, "Maximum number of rules per network namespace");

unsigned int nfgate_max_chains = 65536;
module_param_named(max_user_chains, nfgate_max_chains, uint, 0644);
MODULE_PARM_DESC(max_user_chains, "Maximum number of user chains per table");

unsigned int nfgate_max_ifnames = 65536;
module_param_named(max_ifnames, nfgate_max_ifnames, uint, 0644);
MODULE_PARM_DESC(max_ifnames,
		 "Maximum number of distinct (-i, -o) interface name pairs per network namespace");

static int __init nfgate_init(void)
{
	int err;

	err = nfgate_rule_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&nfgate_net_ops);
	if (err)
		goto err_cache;
	err = nfgate_txn_notifier_register();
	if (err)
		goto err_pernet;
	/* MASQUERADE's: forget masqueraded connections when their device
	 * or address goes (refcounted in the nat core, as nft_masq's).
	 */
	err = nf_nat_masquerade_inet_register_notifiers();
	if (err)
		goto err_notifier;
	err = nfgate_genl_register();
	if (err)
		goto err_masq;
	return 0;

err_masq:
	nf_nat_masquerade_inet_unregister_notifiers();
err_notifier:
	nfgate_txn_notifier_unregister();
err_pernet:
	unregister_pernet_subsys(&nfgate_net_ops);
err_cache:
	rcu_barrier();
	nfgate_rule_cache_exit();
	return err;
}

static void __exit nfgate_exit(void)
{
	nfgate_genl_unregister();
	nfgate_txn_notifier_unregister();
	/* Per namespace: hooks off, grace period, gc work cancelled,
	 * open transaction aborted, everything freed.
	 */
	unregister_pernet_subsys(&nfgate_net_ops);
	nf_nat_masquerade_inet_unregister_notifiers();
	/* Chains, policies and interface names are freed by RCU callbacks. */
	rcu_barrier();
	nfgate_rule_cache_exit();
}

module_init(nfgate_init);
module_exit(nfgate_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfgate: versioned IPv4 packet filter with a generic netlink API");
MODULE_ALIAS_GENL_FAMILY(NFGATE_GENL_NAME);
