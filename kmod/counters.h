/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counters.c: per-CPU packet/byte counters of rules and built-in chain
 * policies, bumped on the packet path, read and set by the control path.
 */
#ifndef _NFGATE_COUNTERS_H
#define _NFGATE_COUNTERS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct nfgate_pcpu_counter {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	struct u64_stats_sync	syncp;
};

/*
 * Reported value = sum over CPUs - base.  Zeroing or setting only moves the
 * base (under the netns mutex), so the packet path never sees a writer.
 * The base is out of line, in the slot's block (counters.c): most rules
 * are never zeroed.  nfgate_counters_reserve() makes room for it and may
 * fail; nfgate_counters_set() after it cannot.
 */
struct nfgate_counters {
	struct nfgate_pcpu_counter __percpu *pcpu;
};

int nfgate_counters_alloc(struct nfgate_counters *c);
int nfgate_counters_reserve(struct nfgate_counters *c);
void nfgate_counters_free(struct nfgate_counters *c);
/* One packet of @bytes, on the packet path (BH off): inline, it is hot. */
static inline void nfgate_counters_add(struct nfgate_counters *c,
				       unsigned int bytes)
{
	struct nfgate_pcpu_counter *pc = this_cpu_ptr(c->pcpu);

	u64_stats_update_begin(&pc->syncp);
	u64_stats_inc(&pc->packets);
	u64_stats_add(&pc->bytes, bytes);
	u64_stats_update_end(&pc->syncp);
}
void nfgate_counters_read(const struct nfgate_counters *c, u64 *packets,
			  u64 *bytes);
void nfgate_counters_set(struct nfgate_counters *c, u64 packets, u64 bytes);

#endif /* _NFGATE_COUNTERS_H */
