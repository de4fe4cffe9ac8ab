/* SPDX-License-Identifier: BSD-3-Clause */
/* vm.c: the domain model's lifetime (vm_free) and the names of its enumerations, as the text
 * dump and the JSON dump print them. Pure. */
#include "core/vm.h"

#include <stdlib.h>

#include "core/util.h"

const char *vm_state_name(enum vm_state s)
{
	static const char *const names[] = {
	    [VM_STATE_RUNNING] = "running",	    [VM_STATE_BLOCKED] = "blocked",
	    [VM_STATE_PAUSED] = "paused",	    [VM_STATE_SHUTDOWN] = "shutdown",
	    [VM_STATE_SHUTOFF] = "shutoff",	    [VM_STATE_CRASHED] = "crashed",
	    [VM_STATE_PMSUSPENDED] = "pmsuspended", [VM_STATE_DEFINED] = "defined",
	    [VM_STATE_UNKNOWN] = "unknown",
	};

	if ((size_t)s < ARRAY_SIZE(names) && names[s] != NULL)
		return names[s];
	return "unknown";
}

const char *mem_mode_name(enum mem_mode m)
{
	static const char *const names[] = {
	    [MEM_MODE_NONE] = "none",
	    [MEM_MODE_STRICT] = "strict",
	    [MEM_MODE_INTERLEAVE] = "interleave",
	    [MEM_MODE_PREFERRED] = "preferred",
	    [MEM_MODE_RESTRICTIVE] = "restrictive",
	    [MEM_MODE_MIXED] = "mixed",
	};

	if ((size_t)m < ARRAY_SIZE(names) && names[m] != NULL)
		return names[m];
	return "unknown";
}

static void free_pins(struct pin *pins, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cpuset_free(pins[i].cpus);
	free(pins);
}

void vm_free(struct vm *vm)
{
	size_t i;

	if (vm == NULL)
		return;
	free(vm->name);
	free(vm->uuid);
	free(vm->display_name);
	free(vm->reason);
	cpuset_free(vm->vcpu_cpuset);
	free(vm->vcpus);
	free(vm->tids);
	free_pins(vm->vcpupins, vm->nvcpupins);
	cpuset_free(vm->emulatorpin);
	cpuset_free(vm->mem_nodeset);
	for (i = 0; i < vm->nmemnodes; i++)
		cpuset_free(vm->memnodes[i].nodeset);
	free(vm->memnodes);
	cpuset_free(vm->numad_nodeset);
	cpuset_free(vm->numad_cpuset);
	for (i = 0; i < vm->ncells; i++)
		cpuset_free(vm->cells[i].cpus);
	free(vm->cells);
	for (i = 0; i < vm->nmemdevs; i++)
		cpuset_free(vm->memdevs[i].nodemask);
	free(vm->memdevs);
	free(vm->devs);
	for (i = 0; i < vm->npages; i++)
		cpuset_free(vm->pages[i].nodeset);
	free(vm->pages);
	free(vm);
}
