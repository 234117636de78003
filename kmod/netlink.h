/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlink.c: the "nfgate" generic netlink family, its commands and its
 * multicast group.
 */
#ifndef _NFGATE_NETLINK_H
#define _NFGATE_NETLINK_H

#include <net/genetlink.h>

#include "compat.h"

/* Index of the "events" group in the family's mcgrps[]. */
enum { NFGATE_MCGRP_EVENTS_IDX };

extern struct genl_family nfgate_genl_family;

int nfgate_genl_register(void);
void nfgate_genl_unregister(void);

#endif /* _NFGATE_NETLINK_H */
