/* SPDX-License-Identifier: BSD-3-Clause */
/* runpass.h: one runtime pass over every VM of a scan, with the facts of the last pass kept
 * per file so that a rebuild re-reads only the VMs whose status file changed. I/O layer. */
#ifndef NUMATOPD_RUNPASS_H
#define NUMATOPD_RUNPASS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vmrun.h"
#include "source/scan.h"

struct runpass;

/* numa_maps: residency from /proc/PID/numa_maps (runtime_set_numa_maps). */
struct runpass *runpass_new(const char *proc_root, const char *cgroup_root, bool numa_maps);
void runpass_free(struct runpass *p);

/* Bring the facts up to date with the scan's VMs (in scan order): a VM whose file is new or
 * changed is read, and every VM when all is true; the others keep their facts. Returns how
 * many VMs were read. */
size_t runpass_update(struct runpass *p, struct scan *s, bool all);
/* Parallel to scan_vms() as of the last update. */
const struct vm_run *runpass_facts(const struct runpass *p);
/* Parallel likewise: the reading each VM's facts came from, numbered; equal numbers, the same
 * facts (what account_build_cached() keys a VM's result on). A reading that found what the one
 * before found (vmrun_same) keeps its number. */
const uint64_t *runpass_ids(const struct runpass *p);
/* Seconds the last update spent reading. */
double runpass_seconds(const struct runpass *p);

#endif
