// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state (struct nfgate_net via net_generic): tables
 * and their built-in chains, the version, the mutex, the transaction, gc;
 * hooks are registered on a table's first write (hooks.c) and removed
 * before the namespace is freed.
 *
 * The interned interface names (ifnames.c) go last: every rule is freed
 * in process context (gc, or the tables' teardown here), so once the
 * tables are gone no rule holds a name and the table can go at once.
 */
#include "chain.h"
#include "gc.h"
#include "handle.h"
#include "hooks.h"
#include "ifnames.h"
#include "netns.h"
#include "txn.h"

unsigned int nfgate_net_id __read_mostly;

static void nfgate_net_free_tables(struct nfgate_net *nn)
{
	unsigned int i;

	nfgate_gc_exit(nn);
	for (i = 0; i < NFGATE_NTABLES; i++)
		nfgate_table_free(&nn->tables[i]);
	nfgate_gc_reset(nn);
	nfgate_handles_destroy(nn);
}

static int __net_init nfgate_net_init(struct net *net)
{
	struct nfgate_net *nn = nfgate_pernet(net);
	unsigned int i;
	int err;

	nn->net = net;
	mutex_init(&nn->mutex);
	nn->version = 1;	/* 0 would disable dump consistency checks */
	nfgate_txn_init(&nn->txn);
	nfgate_gc_reset(nn);
	INIT_DELAYED_WORK(&nn->gc_work, nfgate_gc_work);
	nfgate_handles_init(nn);
	err = nfgate_ifnames_init(nn);
	if (err)
		return err;

	for (i = 0; i < NFGATE_NTABLES; i++) {
		err = nfgate_table_init(nn, &nn->tables[i], i);
		if (err)
			goto err_tables;
	}
	return 0;

err_tables:
	nfgate_net_free_tables(nn);
	nfgate_ifnames_destroy(nn);	/* no rule yet */
	return err;
}

/* Stop packets first; the core waits for a grace period before .exit. */
static void __net_exit nfgate_net_pre_exit(struct net *net)
{
	nfgate_hooks_unregister(nfgate_pernet(net));
}

static void __net_exit nfgate_net_exit(struct net *net)
{
	struct nfgate_net *nn = nfgate_pernet(net);

	/* No socket is left in this namespace and no hook runs any more.
	 * Abort hands its rules to gc and queues the work: cancel it after.
	 */
	mutex_lock(&nn->mutex);
	if (nn->txn.open)
		nfgate_txn_abort(nn);
	mutex_unlock(&nn->mutex);
	cancel_delayed_work_sync(&nn->gc_work);
	mutex_lock(&nn->mutex);
	nfgate_net_free_tables(nn);
	mutex_unlock(&nn->mutex);
	mutex_destroy(&nn->mutex);
	nfgate_ifnames_destroy(nn);
}

struct pernet_operations nfgate_net_ops = {
	.init		= nfgate_net_init,
	.pre_exit	= nfgate_net_pre_exit,
	.exit		= nfgate_net_exit,
	.id		= &nfgate_net_id,
	.size		= sizeof(struct nfgate_net),
};
