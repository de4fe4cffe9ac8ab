/* SPDX-License-Identifier: BSD-3-Clause */
/* vmrun.h: runtime truth about one VM's QEMU process (alive? where its vCPU threads may and did
 * run, where its memory sits) as source/runtime measured it; account_build() joins it with the
 * configured placement. Pure: plain structs and the verdict rules. */
#ifndef NUMATOPD_VMRUN_H
#define NUMATOPD_VMRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cpuset.h"
#include "core/enums.h"
#include "core/vm.h"

struct vcpu_run {
	unsigned id;	       /* vCPU id */
	struct cpuset *actual; /* the thread's allowed CPUs; NULL = not measured */
	int last_cpu;	       /* CPU it last ran on, -1 = not measured */
};

struct node_bytes {
	unsigned node;
	uint64_t bytes;
};

struct vm_run {
	enum run_state state;
	struct vcpu_run *vcpus; /* sorted by id; only vCPUs the status file names a thread for */
	size_t nvcpus;
	bool mem_measured;	  /* false: hugepage-backed, no memory cgroup, unreadable */
	struct node_bytes *mem;	  /* resident bytes per host node, sorted by node, zeros kept */
	size_t nmem;
	/* what the next read of the same process may reuse (source/runtime) */
	uint64_t pid, start; /* the process measured and its start time (clock ticks) */
	char *memcg;	     /* its memory.numa_stat path, NULL = none found */
	bool memcg_v1;
};

/* Whether vm has a process to look at: a status file naming a pid, not shut off. */
bool vmrun_measurable(const struct vm *vm);

/* Frees what r points to (not r itself) and zeroes it; NULL is fine. */
void vmrun_clear(struct vm_run *r);
/* True when a and b say the same about the VM (what the accounting reads: state, vCPUs,
 * resident bytes), whatever the process they were read from. */
bool vmrun_same(const struct vm_run *a, const struct vm_run *b);
/* The vCPU's entry, NULL when absent. */
const struct vcpu_run *vmrun_vcpu(const struct vm_run *r, unsigned id);
/* Resident bytes summed over every node (saturating). */
uint64_t vmrun_resident(const struct vm_run *r);

/* The verdict on a thread's actual CPUs against the configured ones. configured NULL or empty
 * means floating, i.e. every CPU in online. CPUs of actual that are not in online are ignored
 * first (the kernel leaves possible-but-offline CPUs in an unpinned thread's mask); unknown
 * when actual is NULL or nothing is left. */
enum affinity_verdict vmrun_verdict(const struct cpuset *actual, const struct cpuset *configured,
				    const struct cpuset *online);

/* Resident bytes on nodes outside allowed (the bound cells' nodesets). */
uint64_t vmrun_stray(const struct vm_run *r, const struct cpuset *allowed);

/* "running", "gone", "starting", "not_running", "unknown" (the --dump names). */
const char *vmrun_state_name(enum run_state s);
/* "same", "narrowed", "escaped", "unknown". */
const char *vmrun_verdict_name(enum affinity_verdict v);

#endif
