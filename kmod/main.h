/* SPDX-License-Identifier: GPL-2.0 */
/*
 * main.c: module parameters.
 */
#ifndef _NFGATE_MAIN_H
#define _NFGATE_MAIN_H

extern unsigned int nfgate_max_rules;
extern unsigned int nfgate_max_chains;
extern unsigned int nfgate_max_ifnames;

#endif /* _NFGATE_MAIN_H */
