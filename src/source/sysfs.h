/* SPDX-License-Identifier: BSD-3-Clause */
/* sysfs.h: the host NUMA topology read from a sysfs root (default /sys):
 * devices/system/node/node<N>/{cpulist,meminfo,distance,hugepages/hugepages-<S>kB/}. */
#ifndef NUMATOPD_SYSFS_H
#define NUMATOPD_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/host.h"

/* Read the host below root ("/sys" in production; a corpus or fixture tree in tests).
 * Returns 0 and *out (possibly with zero nodes and/or warnings), or -1 with a reason in err
 * when root/devices/system/node cannot be opened at all. Unreadable per-node files make
 * warnings, never a failure. */
int sysfs_read_host(const char *root, struct host **out, char *err, size_t errlen);

/* Read again what can change while the nodes stay the same, the way the kernel moves it:
 * the online node list (it must still be prev's nodes), each node's cpulist, meminfo and
 * numastat (when prev had one), and
 * nr/free/surplus of each of prev's hugepage pools; distances and the set of pool sizes are
 * copied from prev (they cannot change while a node is online). A few dozen small reads
 * instead of the whole tree. Returns 0 and *out, or -1 whenever the result could differ from
 * sysfs_read_host(): prev had a warning or a node without cpulist or meminfo, a file cannot
 * be read or parsed, the online list differs. The caller then reads the whole host. */
int sysfs_refresh_host(const char *root, const struct host *prev, struct host **out);

/* The pure file parsers (also fuzz targets). buf need not be NUL-terminated; files may end in
 * "\n\0". Each returns 0, or -1 with a reason naming the line. */
struct meminfo {
	bool has_total, has_free, has_used;
	uint64_t total, free, used; /* bytes */
};
int sysfs_parse_meminfo(const char *buf, size_t len, struct meminfo *out, char *err,
			size_t errlen);
/* "10 21 21 10": *vals is malloc'd. */
int sysfs_parse_distance(const char *buf, size_t len, unsigned **vals, size_t *n, char *err,
			 size_t errlen);
/* nodeN/numastat: "numa_hit 123" lines; the six counters of struct numastat are kept (with
 * their bits in has), other keys are ignored; a key twice or a bad number is an error. */
int sysfs_parse_numastat(const char *buf, size_t len, struct numastat *out, char *err,
			 size_t errlen);
/* A single unsigned number (nr_hugepages and friends). */
int sysfs_parse_number(const char *buf, size_t len, uint64_t *out, char *err, size_t errlen);

#endif
