// SPDX-License-Identifier: GPL-2.0
/*
 * The "nfgate" generic netlink family: one strict nla_policy per distinct
 * attribute set, CAP_NET_ADMIN in the namespace's user namespace for every
 * operation, the transaction commands, and the glue that runs each write
 * inside the caller's transaction (or a transaction of one).
 */
#include <linux/module.h>
#include <net/sock.h>

#include "dump.h"
#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "rule.h"
#include "txn.h"
#include "write.h"

#define NFGATE_POLICY_TABLE	NLA_POLICY_MAX(NLA_U32, NFGATE_TABLE_MAX)
#define NFGATE_POLICY_CHAIN	{ .type = NLA_NUL_STRING,		\
				  .len = NFGATE_CHAIN_MAXNAMELEN - 1 }

/*
 * One policy per distinct attribute set; a command takes exactly the
 * attributes of its policy (the core rejects any other).
 */

/* A chain: NEWCHAIN, DELCHAIN, FLUSH, GETCHAIN, GETRULE. */
static const struct nla_policy nfgate_table_chain_policy[NFGATE_A_MAX + 1] = {
	[NFGATE_A_TABLE]	= NFGATE_POLICY_TABLE,
	[NFGATE_A_CHAIN]	= NFGATE_POLICY_CHAIN,
};

/* A built-in chain's policy and its counters: SETPOLICY. */
static const struct nla_policy nfgate_chain_verdict_policy[NFGATE_A_MAX + 1] = {
	[NFGATE_A_TABLE]	= NFGATE_POLICY_TABLE,
	[NFGATE_A_CHAIN]	= NFGATE_POLICY_CHAIN,
	[NFGATE_A_POLICY]	= NLA_POLICY_RANGE(NLA_U32, NFGATE_VERDICT_ACCEPT,
						   NFGATE_VERDICT_DROP),
	[NFGATE_A_COUNTERS]	= NLA_POLICY_NESTED(nfgate_counters_policy),
};

/* A rule and where it goes: NEWRULE. */
static const struct nla_policy nfgate_rule_insert_policy[NFGATE_A_MAX + 1] = {
	[NFGATE_A_TABLE]	= NFGATE_POLICY_TABLE,
	[NFGATE_A_CHAIN]	= NFGATE_POLICY_CHAIN,
	[NFGATE_A_RULE]		= NLA_POLICY_NESTED(nfgate_rule_policy),
	[NFGATE_A_POSITION]	= { .type = NLA_U32 },
};

/* A rule by handle, position or specification: DELRULE, REPLACERULE. */
static const struct nla_policy nfgate_rule_ref_policy[NFGATE_A_MAX + 1] = {
	[NFGATE_A_TABLE]	= NFGATE_POLICY_TABLE,
	[NFGATE_A_CHAIN]	= NFGATE_POLICY_CHAIN,
	[NFGATE_A_HANDLE]	= { .type = NLA_U64 },
	[NFGATE_A_POSITION]	= { .type = NLA_U32 },
	[NFGATE_A_RULE]		= NLA_POLICY_NESTED(nfgate_rule_policy),
};

/* A chain, or one rule of it by handle or position: ZERO. */
static const struct nla_policy nfgate_rule_at_policy[NFGATE_A_MAX + 1] = {
	[NFGATE_A_TABLE]	= NFGATE_POLICY_TABLE,
	[NFGATE_A_CHAIN]	= NFGATE_POLICY_CHAIN,
	[NFGATE_A_HANDLE]	= { .type = NLA_U64 },
	[NFGATE_A_POSITION]	= { .type = NLA_U32 },
};

/* The expected committed generation: TXN_BEGIN, TXN_COMMIT. */
static const struct nla_policy nfgate_generation_policy[NFGATE_A_MAX + 1] = {
	[NFGATE_A_GENERATION]	= { .type = NLA_U64 },
};

typedef int (*nfgate_write_fn)(struct nfgate_net *nn, struct genl_info *info,
			       struct sk_buff **reply);

/*
 * Run one write: staged in the sender's open transaction, or as a
 * transaction of one (staged, then committed or aborted here).
 */
static int nfgate_nl_write(struct sk_buff *skb, struct genl_info *info,
			   nfgate_write_fn fn)
{
	struct nfgate_net *nn = nfgate_pernet(genl_info_net(info));
	struct nfgate_txn *t = &nn->txn;
	struct sk_buff *reply = NULL;
	bool implicit = false;
	int err;

	mutex_lock(&nn->mutex);
	if (t->open) {
		if (!nfgate_txn_owner(nn, skb)) {
			GENL_SET_ERR_MSG(info, "busy: another socket holds the transaction");
			err = -EBUSY;
			goto out;
		}
		if (t->failed) {
			GENL_SET_ERR_MSG(info, "the transaction already failed");
			err = -ECANCELED;
			goto out;
		}
	} else {
		nfgate_txn_begin(nn, NETLINK_CB(skb).sk, true);
		implicit = true;
	}
	t->nops++;
	err = fn(nn, info, &reply);
	/* Hooks only for a write that passed: a refused one changes nothing. */
	if (!err && info->attrs[NFGATE_A_TABLE])
		err = nfgate_hooks_use(nn, nla_get_u32(info->attrs[NFGATE_A_TABLE]),
				       info->extack);
	if (err && reply) {
		nlmsg_free(reply);
		reply = NULL;
	}
	if (implicit) {
		if (err)
			nfgate_txn_abort(nn);
		else
			nfgate_txn_commit(nn);
	} else if (err) {
		nfgate_txn_fail(nn, err, info->extack);
	}
out:
	mutex_unlock(&nn->mutex);
	/* The operation is done; a reply that cannot be queued does not
	 * change that, so its error is not reported.
	 */
	if (reply)
		genlmsg_reply(reply, info);
	return err;
}

static int nfgate_nl_newchain(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_newchain);
}

static int nfgate_nl_delchain(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_delchain);
}

static int nfgate_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_flush);
}

static int nfgate_nl_setpolicy(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_setpolicy);
}

static int nfgate_nl_newrule(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_newrule);
}

static int nfgate_nl_delrule(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_delrule);
}

static int nfgate_nl_replacerule(struct sk_buff *skb, struct genl_info *info)
{
	return nfgate_nl_write(skb, info, nfgate_cmd_replacerule);
}

static int nfgate_nl_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct nfgate_net *nn = nfgate_pernet(genl_info_net(info));
	u64 ver;
	int err;

	mutex_lock(&nn->mutex);
	/* The transaction owner zeroes what it sees. */
	ver = nn->version;
	if (nfgate_txn_owner(nn, skb))
		ver = nfgate_next_ver(nn);
	err = nfgate_cmd_zero(nn, info, ver);
	mutex_unlock(&nn->mutex);
	return err;
}

static bool nfgate_gen_ok(struct nfgate_net *nn, struct genl_info *info)
{
	struct nlattr *gen = info->attrs[NFGATE_A_GENERATION];

	if (!gen || nla_get_u64(gen) == nn->version)
		return true;
	NL_SET_ERR_MSG_ATTR(info->extack, gen,
			    "generation differs from the committed one");
	return false;
}

static int nfgate_nl_txn_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct nfgate_net *nn = nfgate_pernet(genl_info_net(info));
	int err = 0;

	mutex_lock(&nn->mutex);
	if (nn->txn.open) {
		GENL_SET_ERR_MSG(info, "busy: a transaction is already open");
		err = -EBUSY;
	} else if (!nfgate_gen_ok(nn, info)) {
		err = -ESTALE;
	} else {
		nfgate_txn_begin(nn, NETLINK_CB(skb).sk, false);
	}
	mutex_unlock(&nn->mutex);
	return err;
}

/* The owner's open transaction, or an error for anyone else. */
static int nfgate_txn_owned(struct nfgate_net *nn, struct sk_buff *skb,
			    struct genl_info *info)
{
	if (!nn->txn.open) {
		GENL_SET_ERR_MSG(info, "no transaction is open");
		return -EINVAL;
	}
	if (!nfgate_txn_owner(nn, skb)) {
		GENL_SET_ERR_MSG(info, "busy: another socket holds the transaction");
		return -EBUSY;
	}
	return 0;
}

static int nfgate_nl_txn_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct nfgate_net *nn = nfgate_pernet(genl_info_net(info));
	struct sk_buff *msg = NULL;
	void *hdr;
	u32 nops;
	int err;

	mutex_lock(&nn->mutex);
	err = nfgate_txn_owned(nn, skb, info);
	if (err)
		goto out;
	if (nn->txn.failed) {
		/* Refused with the failed operation's error. */
		err = nn->txn.err;
		if (info->extack)
			info->extack->_msg = nfgate_txn_errmsg(nn);
		nfgate_txn_abort(nn);
		goto out;
	}
	if (!nfgate_gen_ok(nn, info)) {
		nfgate_txn_abort(nn);
		err = -ESTALE;
		goto out;
	}
	/* Allocate before committing: a commit is never reported failed. */
	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "out of memory");
		err = -ENOMEM;
		goto out;
	}
	nops = nn->txn.nops;
	nfgate_txn_commit(nn);
	hdr = genlmsg_put_reply(msg, info, &nfgate_genl_family, 0,
				NFGATE_CMD_TXN_COMMIT);
	if (!hdr ||
	    nla_put_u64_64bit(msg, NFGATE_A_GENERATION, nn->version,
			      NFGATE_A_PAD) ||
	    nla_put_u32(msg, NFGATE_A_TXN_OPS, nops)) {
		nlmsg_free(msg);
		msg = NULL;
	} else {
		genlmsg_end(msg, hdr);
	}
out:
	mutex_unlock(&nn->mutex);
	if (msg)
		genlmsg_reply(msg, info);
	return err;
}

static int nfgate_nl_txn_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct nfgate_net *nn = nfgate_pernet(genl_info_net(info));
	int err;

	mutex_lock(&nn->mutex);
	err = nfgate_txn_owned(nn, skb, info);
	if (!err)
		nfgate_txn_abort(nn);
	mutex_unlock(&nn->mutex);
	return err;
}

static int nfgate_nl_getgen(struct sk_buff *skb, struct genl_info *info)
{
	struct nfgate_net *nn = nfgate_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	u64 gen;

	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "out of memory");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &nfgate_genl_family, 0,
				NFGATE_CMD_GETGEN);
	mutex_lock(&nn->mutex);
	gen = nn->version;
	mutex_unlock(&nn->mutex);
	if (!hdr || nla_put_u64_64bit(msg, NFGATE_A_GENERATION, gen,
				      NFGATE_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

#define NFGATE_DOIT(c, fn, pol) {					\
	.cmd		= (c),						\
	.doit		= (fn),						\
	.policy		= (pol),					\
	.maxattr	= NFGATE_A_MAX,					\
	.flags		= GENL_UNS_ADMIN_PERM,				\
}

#define NFGATE_DUMPIT(c, fn, pol) {					\
	.cmd		= (c),						\
	.start		= nfgate_dump_start,				\
	.dumpit		= (fn),						\
	.policy		= (pol),					\
	.maxattr	= NFGATE_A_MAX,					\
	.flags		= GENL_UNS_ADMIN_PERM,				\
}

/* Commands without a policy take no attributes (the core rejects any). */
static const struct genl_ops nfgate_genl_ops[] = {
	NFGATE_DOIT(NFGATE_CMD_NEWCHAIN, nfgate_nl_newchain,
		    nfgate_table_chain_policy),
	NFGATE_DOIT(NFGATE_CMD_DELCHAIN, nfgate_nl_delchain,
		    nfgate_table_chain_policy),
	NFGATE_DOIT(NFGATE_CMD_FLUSH, nfgate_nl_flush,
		    nfgate_table_chain_policy),
	NFGATE_DOIT(NFGATE_CMD_SETPOLICY, nfgate_nl_setpolicy,
		    nfgate_chain_verdict_policy),
	NFGATE_DOIT(NFGATE_CMD_NEWRULE, nfgate_nl_newrule,
		    nfgate_rule_insert_policy),
	NFGATE_DOIT(NFGATE_CMD_DELRULE, nfgate_nl_delrule,
		    nfgate_rule_ref_policy),
	NFGATE_DOIT(NFGATE_CMD_REPLACERULE, nfgate_nl_replacerule,
		    nfgate_rule_ref_policy),
	NFGATE_DOIT(NFGATE_CMD_ZERO, nfgate_nl_zero, nfgate_rule_at_policy),
	NFGATE_DUMPIT(NFGATE_CMD_GETCHAIN, nfgate_dump_chains,
		      nfgate_table_chain_policy),
	NFGATE_DUMPIT(NFGATE_CMD_GETRULE, nfgate_dump_rules,
		      nfgate_table_chain_policy),
	NFGATE_DOIT(NFGATE_CMD_TXN_BEGIN, nfgate_nl_txn_begin,
		    nfgate_generation_policy),
	NFGATE_DOIT(NFGATE_CMD_TXN_COMMIT, nfgate_nl_txn_commit,
		    nfgate_generation_policy),
	NFGATE_DOIT(NFGATE_CMD_TXN_ABORT, nfgate_nl_txn_abort, NULL),
	NFGATE_DOIT(NFGATE_CMD_GETGEN, nfgate_nl_getgen, NULL),
};

/*
 * Events carry whole rules with addresses, interfaces and counters, as the
 * dumps do: joining needs CAP_NET_ADMIN in the namespace's user namespace,
 * like every dump (genl_bind() checks it for the joining task).
 */
static const struct genl_multicast_group nfgate_mcgrps[] = {
	[NFGATE_MCGRP_EVENTS_IDX] = {
		.name	= NFGATE_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family nfgate_genl_family __ro_after_init = {
	.name		= NFGATE_GENL_NAME,
	.version	= NFGATE_GENL_VERSION,
	.maxattr	= NFGATE_A_MAX,
	.netnsok	= true,
	.parallel_ops	= false,
	/* Every command is "new style": genlmsghdr.reserved and nlmsg_flags
	 * are checked and a command without a policy takes no attributes.
	 */
	.resv_start_op	= NFGATE_CMD_NEWCHAIN,
	.module		= THIS_MODULE,
	.ops		= nfgate_genl_ops,
	.n_ops		= ARRAY_SIZE(nfgate_genl_ops),
	.mcgrps		= nfgate_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(nfgate_mcgrps),
};

int nfgate_genl_register(void)
{
	return genl_register_family(&nfgate_genl_family);
}

void nfgate_genl_unregister(void)
{
	genl_unregister_family(&nfgate_genl_family);
}
