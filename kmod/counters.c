// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU packet/byte counters of rules and built-in chain policies.
 *
 * The packet path adds to its own CPU's slot (BH disabled, u64_stats
 * seqcount for 32-bit readers).  Readers sum all CPUs.  Zeroing and setting
 * never write the per-CPU slots: they move a base that is subtracted from
 * the sum, so they are exact even while packets flow.
 */
#include <linux/percpu.h>

#include "internal.h"

int nfgate_counters_alloc(struct nfgate_counters *c)
{
	int cpu;

	c->pcpu = alloc_percpu_gfp(struct nfgate_pcpu_counter,
				   GFP_KERNEL_ACCOUNT);
	if (!c->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(c->pcpu, cpu)->syncp);
	c->base_packets = 0;
	c->base_bytes = 0;
	return 0;
}

void nfgate_counters_free(struct nfgate_counters *c)
{
	free_percpu(c->pcpu);
	c->pcpu = NULL;
}

/* Packet path; the caller has BH disabled. */
void nfgate_counters_add(struct nfgate_counters *c, unsigned int bytes)
{
	struct nfgate_pcpu_counter *pc = this_cpu_ptr(c->pcpu);

	u64_stats_update_begin(&pc->syncp);
	u64_stats_inc(&pc->packets);
	u64_stats_add(&pc->bytes, bytes);
	u64_stats_update_end(&pc->syncp);
}

static void nfgate_counters_sum(const struct nfgate_counters *c,
				u64 *packets, u64 *bytes)
{
	u64 pk = 0, by = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct nfgate_pcpu_counter *pc = per_cpu_ptr(c->pcpu, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&pc->syncp);
			p = u64_stats_read(&pc->packets);
			b = u64_stats_read(&pc->bytes);
		} while (u64_stats_fetch_retry(&pc->syncp, start));
		pk += p;
		by += b;
	}
	*packets = pk;
	*bytes = by;
}

void nfgate_counters_read(const struct nfgate_counters *c, u64 *packets,
			  u64 *bytes)
{
	u64 pk, by;

	nfgate_counters_sum(c, &pk, &by);
	*packets = pk - c->base_packets;
	*bytes = by - c->base_bytes;
}

/* Make the reported value (packets, bytes) from now on; netns mutex held. */
void nfgate_counters_set(struct nfgate_counters *c, u64 packets, u64 bytes)
{
	u64 pk, by;

	nfgate_counters_sum(c, &pk, &by);
	c->base_packets = pk - packets;
	c->base_bytes = by - bytes;
}
