/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.c: multicast notifications of committed changes.
 */
#ifndef _NFGATE_EVENTS_H
#define _NFGATE_EVENTS_H

struct nfgate_net;

void nfgate_events_commit(struct nfgate_net *nn);

#endif /* _NFGATE_EVENTS_H */
