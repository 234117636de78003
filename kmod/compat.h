/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims: the one place that knows which kernels nfgate
 * builds against.  nfgate is written for Linux 6.1, where everything it
 * uses exists, so this file only refuses older trees.  When a newer kernel
 * renames or drops an interface, the replacement goes here (as WireGuard's
 * compat layer does), never as #ifdefs in the other files.
 */
#ifndef _NFGATE_COMPAT_H
#define _NFGATE_COMPAT_H

#include <net/genetlink.h>

/* GENL_REQ_ATTR_CHECK() and per-op strict policies arrived in 6.1. */
#ifndef GENL_REQ_ATTR_CHECK
#error "nfgate needs Linux 6.1 or newer"
#endif

/*
 * Exported by nf_queue.c (EXPORT_SYMBOL_GPL) but declared only in
 * net/netfilter/nf_internals.h, which out-of-tree builds do not get.
 * Drops packets queued to user space from hooks of @net, so that nothing
 * queued still refers to a conntrack helper being released (xt_CT, nft_ct).
 */
struct net;
void nf_queue_nf_hook_drop(struct net *net);

#endif /* _NFGATE_COMPAT_H */
