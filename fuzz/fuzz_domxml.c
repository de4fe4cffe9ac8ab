/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_domxml.c: domxml_parse_buffer, then account_build of the parsed VM on a fixed 4-node host
 * (the fixture host: nodes 0, 1, 4, 6), alone and twice beside itself, with the model checked. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "source/domxml.h"
#include "fuzz.h"
#include "core/model.h"
#include "source/sysfs.h"
#include "core/util.h"

#define GiB (1024ull * 1024 * 1024)

/* ---------------------------------------------------------------- the host */

static struct cpuset *set_of(const char *s, unsigned limit)
{
	char err[ERRLEN];
	struct cpuset *c = cpuset_parse(s, strlen(s), limit, CPUSET_KERNEL, err, sizeof(err));

	FUZZ_CHECK(c != NULL);
	return c;
}

/* fixtures/host/sys: sparse ids, a memory-only node, two pool sizes, one sysfs warning. Built
 * once and kept (reachable, so no leak report). */
static const struct host *fixed_host(void)
{
	static const struct {
		unsigned id;
		const char *cpus;
		uint64_t total, free;
		uint64_t nr2m, nr1g;
		unsigned dist[4];
	} spec[] = {
	    {0, "0-3,12-15", 16 * GiB, 4 * GiB, 1024, 2, {10, 21, 31, 41}},
	    {1, "4-7,16-19", 16 * GiB, 3 * GiB, 0, 4, {21, 10, 21, 31}},
	    {4, "8-11,20-23", 16 * GiB, GiB / 2, 1024, 0, {31, 21, 10, 21}},
	    {6, "", 8 * GiB, 2 * GiB, 0, 0, {41, 31, 21, 10}},
	};
	static struct host *h;
	size_t i, j;

	if (h != NULL)
		return h;
	h = xcalloc(1, sizeof(*h));
	h->nnodes = ARRAY_SIZE(spec);
	h->nodes = xcalloc(h->nnodes, sizeof(*h->nodes));
	h->node_ids = cpuset_new(CPUSET_MAX_NODES);
	h->cpus = cpuset_new(CPUSET_MAX_CPUS);
	for (i = 0; i < h->nnodes; i++) {
		struct node *n = &h->nodes[i];

		n->id = spec[i].id;
		n->cpus = set_of(spec[i].cpus, CPUSET_MAX_CPUS);
		n->has_meminfo = true;
		n->mem_total = spec[i].total;
		n->mem_free = spec[i].free;
		n->mem_used = spec[i].total - spec[i].free;
		n->ndist = ARRAY_SIZE(spec[i].dist);
		n->dist = xcalloc(n->ndist, sizeof(*n->dist));
		for (j = 0; j < n->ndist; j++) {
			n->dist[j].peer = spec[j].id;
			n->dist[j].value = spec[i].dist[j];
		}
		n->nhuge = 2;
		n->huge = xcalloc(2, sizeof(*n->huge));
		n->huge[0] = (struct hugepool){2048, spec[i].nr2m, spec[i].nr2m / 2, 0};
		n->huge[1] = (struct hugepool){1048576, spec[i].nr1g, 0, 0};
		cpuset_set(h->node_ids, n->id);
		cpuset_union(h->cpus, n->cpus);
	}
	h->nwarnings = 1;
	h->warnings = xcalloc(1, sizeof(char *));
	h->warnings[0] = xstrdup("node6/distance: 3 values for 4 nodes");
	return h;
}

/* ---------------------------------------------------------------- model invariants */

static void check_string(const char *s)
{
	FUZZ_CHECK(s != NULL);
}

/* Every kernel list the model holds reads back. */
static void check_list(const char *s, unsigned limit)
{
	char err[ERRLEN];
	struct cpuset *c;

	check_string(s);
	c = cpuset_parse(s, strlen(s), limit, CPUSET_KERNEL, err, sizeof(err));
	FUZZ_CHECK(c != NULL);
	cpuset_free(c);
}

/* Saturating, as the accounting sums are: the result does not depend on the order. */
static void add_sat(uint64_t *a, uint64_t b)
{
	if (__builtin_add_overflow(*a, b, a))
		*a = UINT64_MAX;
}

/* The SNMP side binary-searches every table: keys must be strictly increasing. */
static void check_order(const struct model *m)
{
	size_t i;

	for (i = 1; i < m->nnodes; i++)
		FUZZ_CHECK(m->nodes[i - 1].id < m->nodes[i].id);
	for (i = 1; i < m->ndists; i++)
		FUZZ_CHECK(m->dists[i - 1].node < m->dists[i].node ||
			   (m->dists[i - 1].node == m->dists[i].node &&
			    m->dists[i - 1].peer < m->dists[i].peer));
	for (i = 1; i < m->nhuges; i++)
		FUZZ_CHECK(m->huges[i - 1].node < m->huges[i].node ||
			   (m->huges[i - 1].node == m->huges[i].node &&
			    m->huges[i - 1].size_kib < m->huges[i].size_kib));
	for (i = 1; i < m->nvms; i++)
		FUZZ_CHECK(m->vms[i - 1].index < m->vms[i].index);
	for (i = 1; i < m->nassigns; i++)
		FUZZ_CHECK(m->assigns[i - 1].vm < m->assigns[i].vm ||
			   (m->assigns[i - 1].vm == m->assigns[i].vm &&
			    m->assigns[i - 1].node < m->assigns[i].node));
	for (i = 1; i < m->nvcpus; i++)
		FUZZ_CHECK(m->vcpus[i - 1].vm < m->vcpus[i].vm ||
			   (m->vcpus[i - 1].vm == m->vcpus[i].vm &&
			    m->vcpus[i - 1].vcpu < m->vcpus[i].vcpu));
}

static bool same_safe(const char *model_text, const char *parsed)
{
	char *safe = str_safe(parsed);
	bool same = strcmp(model_text, safe) == 0;

	free(safe);
	return same;
}

static void check_vm_row(const struct model *m, const struct vm_row *r, const struct vm *vm)
{
	uint64_t mem = 0;
	size_t i, nv = 0;

	FUZZ_CHECK(r->index >= 1 && r->index <= 2147483647u);
	check_string(r->file);
	/* the model holds the parsed text made safe (str_safe), the one rule every output uses */
	FUZZ_CHECK(same_safe(r->name, vm->name) && same_safe(r->uuid, vm->uuid));
	check_string(r->display_name);
	check_list(r->nodes, CPUSET_MAX_NODES);
	check_list(r->emulator_cpus, CPUSET_MAX_CPUS);
	FUZZ_CHECK(r->vcpus <= r->vcpus_max && r->vcpus_max == vm->vcpu_max);
	FUZZ_CHECK(r->placement >= PLACEMENT_LOCAL && r->placement <= PLACEMENT_FLOATING);
	FUZZ_CHECK(r->mem_mode >= MEM_MODE_NONE && r->mem_mode <= MEM_MODE_MIXED);
	FUZZ_CHECK(r->remote_vcpus <= r->vcpus);
	for (i = 0; i < m->nvcpus; i++) {
		const struct vcpu_row *c = &m->vcpus[i];

		if (c->vm != r->index)
			continue;
		nv++;
		FUZZ_CHECK(c->vcpu < vm->vcpu_max);
		check_list(c->affinity, CPUSET_MAX_CPUS);
		FUZZ_CHECK(c->node < 0 || (model_node(m, (unsigned)c->node) && c->affinity[0]));
		FUZZ_CHECK(!c->remote || c->node >= 0);
	}
	FUZZ_CHECK(nv == r->vcpus);
	/* only bound memory is attributed, and nothing twice */
	for (i = 0; i < m->nassigns; i++)
		if (m->assigns[i].vm == r->index)
			add_sat(&mem, m->assigns[i].mem);
	FUZZ_CHECK(mem <= r->memory);
}

/* A node's sums are the sums of its assignment rows. */
static void check_node_sums(const struct model *m)
{
	size_t i, j;

	for (i = 0; i < m->nnodes; i++) {
		const struct node_row *n = &m->nodes[i];
		uint64_t mem = 0, span = 0;
		unsigned vcpus = 0, vms = 0;

		check_list(n->cpulist, CPUSET_MAX_CPUS);
		for (j = 0; j < m->nassigns; j++) {
			const struct assign_row *a = &m->assigns[j];

			if (a->node != n->id)
				continue;
			FUZZ_CHECK(model_vm(m, a->vm) != NULL);
			FUZZ_CHECK(a->mem_spanning <= a->mem);
			FUZZ_CHECK(a->vcpus || a->vcpus_spanning || a->mem);
			vcpus += a->vcpus;
			add_sat(&mem, a->mem);
			add_sat(&span, a->mem_spanning);
			vms++;
		}
		FUZZ_CHECK(n->vcpus_bound == vcpus && n->mem_used == mem &&
			   n->mem_spanning == span && n->vm_count == vms);
		FUZZ_CHECK(n->mem_huge <= n->mem_used);
		FUZZ_CHECK(n->cpu_over == (n->vcpus_bound > n->cpu_limit));
	}
	for (i = 0; i < m->nassigns; i++)
		FUZZ_CHECK(model_node(m, m->assigns[i].node) != NULL);
	for (i = 0; i < m->nhuges; i++)
		FUZZ_CHECK(model_node(m, m->huges[i].node) != NULL);
}

static void check_model(const struct model *m, const struct vm *vm, size_t nvms)
{
	size_t i;

	FUZZ_CHECK(m != NULL && m->nvms == nvms && m->nnodes == 4);
	check_order(m);
	check_node_sums(m);
	for (i = 0; i < m->nvms; i++)
		check_vm_row(m, &m->vms[i], vm);
	for (i = 0; i < m->nwarnings; i++) {
		check_string(m->warnings[i].file);
		check_string(m->warnings[i].reason);
	}
}

/* ---------------------------------------------------------------- the target */

static void check_vm(const struct vm *vm)
{
	size_t i;

	FUZZ_CHECK(vm->name != NULL && vm->name[0] != '\0' && vm->uuid != NULL);
	FUZZ_CHECK(vm->vcpu_max >= 1 && vm->vcpu_max <= VM_MAX_VCPUS);
	FUZZ_CHECK(vm->vcpu_current >= 1 && vm->vcpu_current <= vm->vcpu_max);
	for (i = 0; i < vm->nvcpupins; i++)
		FUZZ_CHECK(vm->vcpupins[i].id < vm->vcpu_max && vm->vcpupins[i].cpus != NULL);
	for (i = 0; i < vm->ncells; i++)
		FUZZ_CHECK(vm->cells[i].cpus != NULL);
}

int fuzz_domxml(const uint8_t *data, size_t size)
{
	static const char *const files[] = {"a.xml", "b.xml"};
	char err[ERRLEN] = "";
	struct account_config cfg;
	struct vm *vm = (struct vm *)1, *two[2];
	struct model *m;

	if (domxml_parse_buffer((const char *)data, size, &vm, err, sizeof(err)) < 0) {
		FUZZ_CHECK(vm == NULL);
		fuzz_check_reason(err, sizeof(err));
		return 0;
	}
	FUZZ_CHECK(vm != NULL);
	check_vm(vm);

	m = account_build(fixed_host(), &vm, files, 1, NULL);
	check_model(m, vm, 1);
	model_unref(m);

	/* the same VM in two files: a shared domain id or UUID must still give two indexes; odd
	 * ratios and reservations exercise the limits' arithmetic */
	account_config_init(&cfg);
	cfg.cpu_ratio_pct = 0;
	cfg.mem_ratio_pct = 100000;
	cfg.reserved_all = UINT64_MAX;
	cfg.default_huge_kib = 1;
	two[0] = two[1] = vm;
	m = account_build(fixed_host(), two, files, 2, &cfg);
	check_model(m, vm, 2);
	FUZZ_CHECK(m->vms[0].index != m->vms[1].index);
	model_unref(m);
	account_config_clear(&cfg);

	vm_free(vm);
	return 0;
}

FUZZ_ENTRY(fuzz_domxml)
