/* SPDX-License-Identifier: BSD-3-Clause */
/* numastat.h: a NUMA node's memory-traffic counters (sysfs nodeN/numastat), kept with a bit per
 * counter that says whether the kernel gave it: a missing key is no value, never 0. Pure. */
#ifndef NUMATOPD_NUMASTAT_H
#define NUMATOPD_NUMASTAT_H

#include <stdbool.h>
#include <stdint.h>

/* In the order of the file and of the numaNodeTable columns 24..29. */
enum numastat_key {
	NUMASTAT_HIT,	       /* numa_hit */
	NUMASTAT_MISS,	       /* numa_miss */
	NUMASTAT_FOREIGN,      /* numa_foreign */
	NUMASTAT_INTERLEAVE,   /* interleave_hit */
	NUMASTAT_LOCAL,	       /* local_node */
	NUMASTAT_OTHER,	       /* other_node */
	NUMASTAT_KEYS,
};

struct numastat {
	unsigned has;		     /* bit 1 << key: the kernel gave that counter */
	uint64_t v[NUMASTAT_KEYS]; /* pages */
};

/* The kernel's name of a counter ("numa_hit"), also the --dump key. */
static inline const char *numastat_name(enum numastat_key k)
{
	static const char *const names[NUMASTAT_KEYS] = {
	    "numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node",
	};

	return names[k];
}

static inline bool numastat_has(const struct numastat *s, enum numastat_key k)
{
	return (s->has >> k) & 1u;
}

#endif
