/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ifnames.c: the -i/-o interface name pairs of rules, interned per
 * namespace and shared by every rule that matches on the same pair.
 */
#ifndef _NFGATE_IFNAMES_H
#define _NFGATE_IFNAMES_H

#include <linux/if.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

struct nfgate_net;

/*
 * The -i/-o names of a rule, out of line (ifnames.c): immutable once
 * shared, one object per distinct pair in its namespace's table,
 * refcounted by the rules and specs that point to it, freed after a grace
 * period.  iif_len/oif_len is the number of bytes strncmp() compares:
 * IFNAMSIZ for an exact name, the prefix length for a '+' wildcard; a side
 * not matched on is all zero.  The names are zero-padded: the classifier
 * hashes all IFNAMSIZ bytes.  72 bytes, a 96-byte kmalloc object.
 */
struct nfgate_ifnames {
	struct rhash_head	node;		/* nn->ifnames */
	struct nfgate_net	*nn;		/* owner: its table, for the put */
	struct rcu_head		rcu;
	refcount_t		refs;
	/* the key: compared and hashed from iif_len to the end of oif */
	u8			iif_len;
	u8			oif_len;
	char			iif[IFNAMSIZ];
	char			oif[IFNAMSIZ];
};

int nfgate_ifnames_init(struct nfgate_net *nn);
void nfgate_ifnames_destroy(struct nfgate_net *nn);
const struct nfgate_ifnames *nfgate_ifnames_get(struct nfgate_net *nn,
						const struct nfgate_ifnames *key);
const struct nfgate_ifnames *nfgate_ifnames_find(struct nfgate_net *nn,
						 const struct nfgate_ifnames *key);
void nfgate_ifnames_hold(const struct nfgate_ifnames *n);
void nfgate_ifnames_put(const struct nfgate_ifnames *n);

#endif /* _NFGATE_IFNAMES_H */
