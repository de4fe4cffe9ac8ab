/* SPDX-License-Identifier: BSD-3-Clause */
/* model_hash.c: the content hash behind numaTableLastChange: FNV-1a over the values an operator
 * would call "the tables changed", each one-VM part hashed once and folded in. Pure. */
#include "core/model.h"

#include <string.h>

#include "core/util.h"

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv1a64(h, s, strlen(s) + 1);
}

/* Everything except the values the kernel moves on its own (MemFree, free/surplus hugepages,
 * numastat, a vCPU's last CPU, resident bytes). */
static uint64_t hash_host_rows(uint64_t h, const struct model *m)
{
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		const struct node_row *n = &m->nodes[i];
		uint64_t v[] = {n->id, n->cpu_capacity, n->mem_total, n->vcpus_bound,
				n->vcpus_spanning, n->mem_used, n->mem_spanning, n->vm_count,
				n->cpu_limit, n->mem_limit, n->cpu_over, n->mem_over, n->huge_over,
				n->pci_devices};

		h = fnv1a64(h, v, sizeof(v));
		h = fnv_str(h, n->cpulist);
	}
	for (i = 0; i < m->nhuges; i++) {
		const struct huge_row *g = &m->huges[i];
		uint64_t v[] = {g->node, g->size_kib, g->total, g->demand, g->over};

		h = fnv1a64(h, v, sizeof(v));
	}
	for (i = 0; i < m->ndists; i++) {
		uint64_t v[] = {m->dists[i].node, m->dists[i].peer, m->dists[i].value};

		h = fnv1a64(h, v, sizeof(v));
	}
	return h;
}

static uint64_t hash_vms(uint64_t h, const struct model *m)
{
	size_t i;

	for (i = 0; i < m->nvms; i++) {
		const struct vm_row *vm = &m->vms[i];
		uint64_t v[] = {vm->index, vm->state, vm->pid, vm->vcpus, vm->vcpus_max,
				vm->memory, vm->placement, vm->mem_mode, vm->remote_vcpus,
				vm->huge_kib, vm->remote_devices, vm->run_state, vm->stray_over,
				vm->vcpus_drifted};

		h = fnv1a64(h, v, sizeof(v));
		h = fnv_str(h, vm->name);
		h = fnv_str(h, vm->uuid);
		h = fnv_str(h, vm->display_name);
		h = fnv_str(h, vm->emulator_cpus);
	}
	for (i = 0; i < m->nassigns; i++) {
		const struct assign_row *a = &m->assigns[i];
		uint64_t v[] = {a->vm, a->node, a->vcpus, a->vcpus_spanning, a->mem,
				a->mem_spanning};

		h = fnv1a64(h, v, sizeof(v));
	}
	return h;
}

static uint64_t hash_vcpus_devs(uint64_t h, const struct model *m)
{
	size_t i;

	for (i = 0; i < m->nvcpus; i++) {
		const struct vcpu_row *c = &m->vcpus[i];
		uint64_t v[] = {c->vm, c->vcpu, (uint64_t)(int64_t)c->node,
				(uint64_t)(int64_t)c->cell, c->remote, c->tid, c->verdict};

		h = fnv1a64(h, v, sizeof(v));
		h = fnv_str(h, c->affinity);
		h = fnv_str(h, c->actual);
	}
	for (i = 0; i < m->ndevs; i++) {
		const struct dev_row *d = &m->devs[i];
		uint64_t v[] = {d->vm, d->ord, d->kind, (uint64_t)(int64_t)d->node, d->remote};

		h = fnv1a64(h, v, sizeof(v));
		h = fnv_str(h, d->address);
	}
	return h;
}

uint64_t model_vm_rows_hash(const struct model *m)
{
	return hash_vcpus_devs(hash_vms(FNV1A64_BASIS, m), m);
}

uint64_t model_hash_fold(uint64_t h, uint64_t part)
{
	return fnv1a64(h, &part, sizeof(part));
}

uint64_t model_content_hash(const struct model *m)
{
	uint64_t h = hash_host_rows(FNV1A64_BASIS, m);

	return model_hash_fold(h, m->epoch ? m->vm_hash : model_vm_rows_hash(m));
}
