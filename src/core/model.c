/* SPDX-License-Identifier: BSD-3-Clause */
/* model.c: the immutable snapshot's lifetime (reference counted, freed whole) and its lookups:
 * binary searches over rows kept sorted by their MIB index. Pure. */
#include "core/model.h"

#include <stdlib.h>

#include "core/util.h"

static void free_problems(struct problem *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].file);
		free(p[i].reason);
	}
	free(p);
}

static void free_vm_rows(struct vm_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].file);
		free(v[i].name);
		free(v[i].uuid);
		free(v[i].display_name);
		free(v[i].nodes);
		free(v[i].emulator_cpus);
	}
	free(v);
}

void model_free(struct model *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nnodes; i++)
		free(m->nodes[i].cpulist);
	free(m->nodes);
	free(m->dists);
	free(m->huges);
	free_problems(m->errors, m->nerrors);
	if (m->vm_owner != NULL) { /* borrowed rows */
		model_unref(m->vm_owner);
		free(m);
		return;
	}
	if (m->epoch != NULL) { /* the strings are the parts' */
		model_epoch_unref(m->epoch);
		free(m->vms);
		free(m->assigns);
		free(m->vcpus);
		free(m->devs);
		free_problems(m->warnings, m->nwarnings);
		free(m);
		return;
	}
	free_vm_rows(m->vms, m->nvms);
	free(m->assigns);
	for (i = 0; i < m->nvcpus; i++) {
		free(m->vcpus[i].affinity);
		free(m->vcpus[i].actual);
	}
	free(m->vcpus);
	for (i = 0; i < m->ndevs; i++)
		free(m->devs[i].address);
	free(m->devs);
	free_problems(m->warnings, m->nwarnings);
	free(m);
}

struct model_epoch *model_epoch_new(void)
{
	struct model_epoch *e = xcalloc(1, sizeof(*e));

	e->refs = 1;
	return e;
}

struct model_epoch *model_epoch_ref(struct model_epoch *e)
{
	if (e)
		e->refs++;
	return e;
}

/* A loop, not recursion: freeing the oldest of many builds frees the chain after it. */
void model_epoch_unref(struct model_epoch *e)
{
	while (e != NULL && --e->refs == 0) {
		struct model_epoch *next = e->next;
		size_t i;

		for (i = 0; i < e->nretired; i++)
			model_unref(e->retired[i]);
		free(e->retired);
		free(e);
		e = next;
	}
}

void model_epoch_retire(struct model_epoch *e, struct model *part)
{
	*(struct model **)array_push(&e->retired, &e->nretired, &e->capretired,
				     sizeof(*e->retired)) = part;
}

struct model *model_ref(struct model *m)
{
	if (m)
		m->refs++;
	return m;
}

void model_unref(struct model *m)
{
	if (m == NULL)
		return;
	if (m->refs > 1) {
		m->refs--;
		return;
	}
	model_free(m);
}

/* Grows by one each time: anybody may have built the array (scan adds errors, account adds
 * warnings), so no capacity can be assumed; the lists are short and realloc grows in place. */
void model_add_problem(struct problem **arr, size_t *n, const char *file, const char *reason)
{
	struct problem *p;

	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	p = &(*arr)[(*n)++];
	/* a file name is the tenant's (libvirt names the file after the VM), and a reason may
	 * quote one: the same rule as every other string of the model */
	p->file = str_safe(file);
	p->reason = str_safe(reason);
}

/* (a1, a2) < (b1, b2) in lexicographic order: every composite MIB index compares this way. */
static bool less2(uint64_t a1, uint64_t a2, uint64_t b1, uint64_t b2)
{
	return a1 < b1 || (a1 == b1 && a2 < b2);
}

/* One lower bound for every row array: the first position whose (k1, k2) key is not less than
 * the one asked for. Single-key tables pass 0 as the second key part on both sides. */
#define LOWER_BOUND(rows, n, K1, K2, k1, k2)                                                     \
	do {                                                                                     \
		size_t lo_ = 0, hi_ = (n);                                                       \
		while (lo_ < hi_) {                                                              \
			size_t mid_ = lo_ + (hi_ - lo_) / 2;                                     \
			if (less2((rows)[mid_].K1, (rows)[mid_].K2, (k1), (k2)))                 \
				lo_ = mid_ + 1;                                                  \
			else                                                                     \
				hi_ = mid_;                                                      \
		}                                                                                \
		return lo_;                                                                      \
	} while (0)

size_t model_node_lower(const struct model *m, unsigned id)
{
	LOWER_BOUND(m->nodes, m->nnodes, id, id, id, id);
}

size_t model_vm_lower(const struct model *m, uint32_t index)
{
	LOWER_BOUND(m->vms, m->nvms, index, index, index, index);
}

size_t model_assign_lower(const struct model *m, uint32_t vm, unsigned node)
{
	LOWER_BOUND(m->assigns, m->nassigns, vm, node, vm, node);
}

size_t model_vcpu_lower(const struct model *m, uint32_t vm, unsigned vcpu)
{
	LOWER_BOUND(m->vcpus, m->nvcpus, vm, vcpu, vm, vcpu);
}

size_t model_dev_lower(const struct model *m, uint32_t vm, unsigned ord)
{
	LOWER_BOUND(m->devs, m->ndevs, vm, ord, vm, ord);
}

size_t model_dist_lower(const struct model *m, unsigned node, unsigned peer)
{
	LOWER_BOUND(m->dists, m->ndists, node, peer, node, peer);
}

size_t model_huge_lower(const struct model *m, unsigned node, uint64_t size_kib)
{
	LOWER_BOUND(m->huges, m->nhuges, node, size_kib, node, size_kib);
}

const struct node_row *model_node(const struct model *m, unsigned id)
{
	size_t i = model_node_lower(m, id);

	return i < m->nnodes && m->nodes[i].id == id ? &m->nodes[i] : NULL;
}

const struct vm_row *model_vm(const struct model *m, uint32_t index)
{
	size_t i = model_vm_lower(m, index);

	return i < m->nvms && m->vms[i].index == index ? &m->vms[i] : NULL;
}

const char *placement_name(enum placement p)
{
	switch (p) {
	case PLACEMENT_LOCAL:
		return "local";
	case PLACEMENT_MULTINODE:
		return "multinode";
	case PLACEMENT_SPANNING:
		return "spanning";
	case PLACEMENT_PARTIAL:
		return "partial";
	case PLACEMENT_FLOATING:
		return "floating";
	}
	return "unknown";
}
