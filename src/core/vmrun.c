/* SPDX-License-Identifier: BSD-3-Clause */
/* vmrun.c: runtime facts of a VM (vmrun.h): lookups, sums and the affinity and stray-memory
 * verdicts, kept pure so that every rule is tested with plain sets. */
#include "core/vmrun.h"

#include <stdlib.h>
#include <string.h>

bool vmrun_measurable(const struct vm *vm)
{
	return vm->is_status && vm->pid != 0 && vm->state != VM_STATE_SHUTOFF;
}

void vmrun_clear(struct vm_run *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nvcpus; i++)
		cpuset_free(r->vcpus[i].actual);
	free(r->vcpus);
	free(r->mem);
	free(r->memcg);
	memset(r, 0, sizeof(*r));
}

static bool same_actual(const struct cpuset *a, const struct cpuset *b)
{
	return a == NULL || b == NULL ? a == b : cpuset_equal(a, b);
}

bool vmrun_same(const struct vm_run *a, const struct vm_run *b)
{
	size_t i;

	if (a->state != b->state || a->nvcpus != b->nvcpus || a->mem_measured != b->mem_measured ||
	    a->nmem != b->nmem)
		return false;
	for (i = 0; i < a->nvcpus; i++)
		if (a->vcpus[i].id != b->vcpus[i].id || a->vcpus[i].last_cpu != b->vcpus[i].last_cpu ||
		    !same_actual(a->vcpus[i].actual, b->vcpus[i].actual))
			return false;
	for (i = 0; i < a->nmem; i++)
		if (a->mem[i].node != b->mem[i].node || a->mem[i].bytes != b->mem[i].bytes)
			return false;
	return true;
}

const struct vcpu_run *vmrun_vcpu(const struct vm_run *r, unsigned id)
{
	size_t lo = 0, hi = r ? r->nvcpus : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->vcpus[mid].id == id)
			return &r->vcpus[mid];
		if (r->vcpus[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t vmrun_resident(const struct vm_run *r)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < r->nmem; i++)
		if (__builtin_add_overflow(sum, r->mem[i].bytes, &sum))
			return UINT64_MAX;
	return sum;
}

enum affinity_verdict vmrun_verdict(const struct cpuset *actual, const struct cpuset *configured,
				    const struct cpuset *online)
{
	enum affinity_verdict v;
	struct cpuset *a;

	if (actual == NULL || online == NULL)
		return AFFINITY_UNKNOWN;
	if (configured == NULL || cpuset_empty(configured))
		configured = online;
	a = cpuset_dup(actual);
	cpuset_intersect(a, online);
	if (cpuset_empty(a))
		v = AFFINITY_UNKNOWN;
	else if (!cpuset_subset(a, configured))
		v = AFFINITY_ESCAPED;
	else if (cpuset_subset(configured, a))
		v = AFFINITY_SAME;
	else
		v = AFFINITY_NARROWED;
	cpuset_free(a);
	return v;
}

uint64_t vmrun_stray(const struct vm_run *r, const struct cpuset *allowed)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < r->nmem; i++) {
		if (allowed && cpuset_test(allowed, r->mem[i].node))
			continue;
		if (__builtin_add_overflow(sum, r->mem[i].bytes, &sum))
			return UINT64_MAX;
	}
	return sum;
}

const char *vmrun_state_name(enum run_state s)
{
	switch (s) {
	case RUN_RUNNING: return "running";
	case RUN_GONE: return "gone";
	case RUN_STARTING: return "starting";
	case RUN_NOT_RUNNING: return "not_running";
	case RUN_UNKNOWN: break;
	}
	return "unknown";
}

const char *vmrun_verdict_name(enum affinity_verdict v)
{
	switch (v) {
	case AFFINITY_SAME: return "same";
	case AFFINITY_NARROWED: return "narrowed";
	case AFFINITY_ESCAPED: return "escaped";
	case AFFINITY_UNKNOWN: break;
	}
	return "unknown";
}
