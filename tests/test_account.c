/* SPDX-License-Identifier: BSD-3-Clause */
/* test_account.c: the accounting rules R1-R10 and the model's lookups, on hosts and VMs built
 * by hand (no sysfs, no XML): each test states its hand-computed expectation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "core/cpuset.h"
#include "core/host.h"
#include "core/model.h"
#include "core/util.h"
#include "core/vmindex.h"

#define KiB	1024ull
#define MiB	(1024ull * KiB)
#define GiB	(1024ull * MiB)
#define PAGE_1G 1048576ull /* KiB */
#define PAGE_2M 2048ull

/* ---------------------------------------------------------------- builders */

static struct cpuset *set_of(const char *s, unsigned limit)
{
	char err[ERRLEN];
	struct cpuset *c = cpuset_parse(s, strlen(s), limit, CPUSET_KERNEL, err, sizeof(err));

	assert_non_null(c);
	return c;
}

#define CPUS(s)	 set_of((s), CPUSET_MAX_CPUS)
#define NODES(s) set_of((s), CPUSET_MAX_NODES)
#define VCPUS(s) set_of((s), VM_MAX_VCPUS)

struct pool_spec {
	uint64_t size_kib, nr, free, surplus;
};

struct node_spec {
	unsigned id;
	const char *cpus;
	uint64_t mem_total;
	struct pool_spec pools[2]; /* size_kib 0 ends the list */
};

/* Distances: 10 to itself, 20 + peer id to others. mem_free = a quarter of MemTotal. */
static struct host *tb_host(const struct node_spec *spec, size_t n)
{
	struct host *h = xcalloc(1, sizeof(*h));
	size_t i, j;

	h->nodes = xcalloc(n, sizeof(*h->nodes));
	h->nnodes = n;
	h->node_ids = cpuset_new(CPUSET_MAX_NODES);
	h->cpus = cpuset_new(CPUSET_MAX_CPUS);
	for (i = 0; i < n; i++) {
		struct node *nd = &h->nodes[i];

		nd->id = spec[i].id;
		nd->cpus = CPUS(spec[i].cpus);
		nd->has_meminfo = true;
		nd->mem_total = spec[i].mem_total;
		nd->mem_free = spec[i].mem_total / 4;
		nd->mem_used = nd->mem_total - nd->mem_free;
		while (nd->nhuge < 2 && spec[i].pools[nd->nhuge].size_kib)
			nd->nhuge++;
		nd->huge = xcalloc(nd->nhuge, sizeof(*nd->huge));
		for (j = 0; j < nd->nhuge; j++) {
			nd->huge[j].size_kib = spec[i].pools[j].size_kib;
			nd->huge[j].nr = spec[i].pools[j].nr;
			nd->huge[j].free = spec[i].pools[j].free;
			nd->huge[j].surplus = spec[i].pools[j].surplus;
		}
		nd->dist = xcalloc(n, sizeof(*nd->dist));
		nd->ndist = n;
		for (j = 0; j < n; j++) {
			nd->dist[j].peer = spec[j].id;
			nd->dist[j].value = i == j ? 10 : 20 + spec[j].id;
		}
		cpuset_set(h->node_ids, nd->id);
		cpuset_union(h->cpus, nd->cpus);
	}
	return h;
}

static void tb_host_warn(struct host *h, const char *w)
{
	h->warnings = xreallocarray(h->warnings, h->nwarnings + 1, sizeof(*h->warnings));
	h->warnings[h->nwarnings++] = xstrdup(w);
}

/* A running VM without domain id, pins or binding: everything floating and unbound. */
static struct vm *tb_vm(const char *name, unsigned vcpus, uint64_t memory)
{
	struct vm *vm = xcalloc(1, sizeof(*vm));

	vm->name = xstrdup(name);
	vm->uuid = xasprintf("uuid-%s", name);
	vm->id = -1;
	vm->is_status = true;
	vm->state = VM_STATE_RUNNING;
	vm->vcpu_max = vcpus;
	vm->vcpu_current = vcpus;
	vm->memory = memory;
	vm->current_memory = memory;
	vm->mem_mode = MEM_MODE_STRICT;
	return vm;
}

#define PUSH(arr, n)                                                                               \
	(*(arr) = xreallocarray(*(arr), *(n) + 1, sizeof(**(arr))),                                \
	 memset(&(*(arr))[*(n)], 0, sizeof(**(arr))), &(*(arr))[(*(n))++])

static void tb_pin(struct vm *vm, unsigned vcpu, const char *cpus)
{
	struct pin *p = PUSH(&vm->vcpupins, &vm->nvcpupins);

	p->id = vcpu;
	p->cpus = CPUS(cpus);
}

static void tb_cpuset(struct vm *vm, const char *cpus)
{
	vm->vcpu_cpuset = CPUS(cpus);
}

static void tb_cell(struct vm *vm, unsigned id, const char *vcpus, uint64_t bytes)
{
	struct cell *c = PUSH(&vm->cells, &vm->ncells);

	c->id = id;
	c->cpus = VCPUS(vcpus);
	c->memory = bytes;
}

static void tb_memnode(struct vm *vm, unsigned cell, enum mem_mode mode, const char *nodes)
{
	struct memnode *m = PUSH(&vm->memnodes, &vm->nmemnodes);

	m->cellid = cell;
	m->mode = mode;
	m->nodeset = NODES(nodes);
}

/* nodes NULL: <memory mode=...> without nodeset. */
static void tb_numatune(struct vm *vm, enum mem_mode mode, const char *nodes)
{
	vm->has_numatune_memory = true;
	vm->mem_mode = mode;
	vm->mem_nodeset = nodes ? NODES(nodes) : NULL;
}

static void tb_memdev(struct vm *vm, uint64_t size, int node)
{
	struct memdev *d = PUSH(&vm->memdevs, &vm->nmemdevs);

	d->size = size;
	d->node = node;
}

/* nodeset NULL: applies to every cell not named by another entry. */
static void tb_page(struct vm *vm, uint64_t size_kib, const char *cells)
{
	struct hugepage *p = PUSH(&vm->pages, &vm->npages);

	vm->hugepages = true;
	p->size_kib = size_kib;
	p->nodeset = cells ? NODES(cells) : NULL;
}

static void tb_numad(struct vm *vm, const char *nodes, const char *cpus)
{
	vm->numad_nodeset = nodes ? NODES(nodes) : NULL;
	vm->numad_cpuset = cpus ? CPUS(cpus) : NULL;
}

static void tb_vcpu_enabled(struct vm *vm, unsigned id, bool enabled)
{
	struct vcpu_enabled *e = PUSH(&vm->vcpus, &vm->nvcpus);

	vm->has_vcpus_list = true;
	e->id = id;
	e->enabled = enabled;
}

static void tb_tid(struct vm *vm, unsigned id, uint64_t tid)
{
	struct vcpu_tid *t = PUSH(&vm->tids, &vm->ntids);

	t->id = id;
	t->tid = tid;
}

static void tb_vm_free(struct vm *vm)
{
	size_t i;

	for (i = 0; i < vm->nvcpupins; i++)
		cpuset_free(vm->vcpupins[i].cpus);
	for (i = 0; i < vm->ncells; i++)
		cpuset_free(vm->cells[i].cpus);
	for (i = 0; i < vm->nmemnodes; i++)
		cpuset_free(vm->memnodes[i].nodeset);
	for (i = 0; i < vm->npages; i++)
		cpuset_free(vm->pages[i].nodeset);
	free(vm->vcpupins);
	free(vm->cells);
	free(vm->memnodes);
	free(vm->pages);
	free(vm->memdevs);
	free(vm->devs);
	free(vm->vcpus);
	free(vm->tids);
	cpuset_free(vm->vcpu_cpuset);
	cpuset_free(vm->emulatorpin);
	cpuset_free(vm->mem_nodeset);
	cpuset_free(vm->numad_nodeset);
	cpuset_free(vm->numad_cpuset);
	free(vm->name);
	free(vm->uuid);
	free(vm->display_name);
	free(vm->reason);
	free(vm);
}

/* One host, some VMs (file "<name>.xml"), a config, and the model built from them. */
struct world {
	struct host *host;
	struct vm *vms[16];
	size_t nvms;
	struct account_config cfg;
	struct model *m;
};

static const struct node_spec two_nodes[] = {
    {0, "0-3", 16 * GiB, {{0}}},
    {1, "4-7", 16 * GiB, {{0}}},
};

static const struct node_spec three_nodes[] = {
    {0, "0-3", 16 * GiB, {{0}}},
    {1, "4-7", 16 * GiB, {{0}}},
    {2, "8-11", 16 * GiB, {{0}}},
};

static void world_init(struct world *w, const struct node_spec *spec, size_t n)
{
	memset(w, 0, sizeof(*w));
	w->host = tb_host(spec, n);
	account_config_init(&w->cfg);
}

static struct vm *add_vm(struct world *w, const char *name, unsigned vcpus, uint64_t mem)
{
	assert_true(w->nvms < ARRAY_SIZE(w->vms));
	return w->vms[w->nvms++] = tb_vm(name, vcpus, mem);
}

static struct model *build(struct world *w)
{
	char *files[ARRAY_SIZE(w->vms)];
	size_t i;

	for (i = 0; i < w->nvms; i++)
		files[i] = xasprintf("%s.xml", w->vms[i]->name);
	model_unref(w->m);
	w->m = account_build(w->host, w->vms, (const char *const *)files, w->nvms, &w->cfg);
	for (i = 0; i < w->nvms; i++)
		free(files[i]);
	assert_non_null(w->m);
	assert_int_equal(w->m->refs, 1);
	return w->m;
}

static void world_clear(struct world *w)
{
	size_t i;

	model_unref(w->m);
	for (i = 0; i < w->nvms; i++)
		tb_vm_free(w->vms[i]);
	host_free(w->host);
	account_config_clear(&w->cfg);
}

/* ---------------------------------------------------------------- model probes */

static const struct vm_row *vm_named(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nvms; i++)
		if (strcmp(m->vms[i].name, name) == 0)
			return &m->vms[i];
	fail_msg("no VM row named %s", name);
	return NULL;
}

static const struct node_row *node_at(const struct model *m, unsigned id)
{
	const struct node_row *r = model_node(m, id);

	assert_non_null(r);
	return r;
}

static const struct assign_row *assign_at(const struct model *m, const char *vm, unsigned node)
{
	uint32_t idx = vm_named(m, vm)->index;
	size_t i = model_assign_lower(m, idx, node);

	if (i < m->nassigns && m->assigns[i].vm == idx && m->assigns[i].node == node)
		return &m->assigns[i];
	return NULL;
}

static const struct vcpu_row *vcpu_at(const struct model *m, const char *vm, unsigned vcpu)
{
	uint32_t idx = vm_named(m, vm)->index;
	size_t i = model_vcpu_lower(m, idx, vcpu);

	if (i < m->nvcpus && m->vcpus[i].vm == idx && m->vcpus[i].vcpu == vcpu)
		return &m->vcpus[i];
	return NULL;
}

static const struct huge_row *huge_at(const struct model *m, unsigned node, uint64_t size)
{
	size_t i = model_huge_lower(m, node, size);

	if (i < m->nhuges && m->huges[i].node == node && m->huges[i].size_kib == size)
		return &m->huges[i];
	return NULL;
}

static size_t nwarnings_for(const struct model *m, const char *file)
{
	size_t i, n = 0;

	for (i = 0; i < m->nwarnings; i++)
		if (strcmp(m->warnings[i].file, file) == 0)
			n++;
	return n;
}

static const char *warning_for(const struct model *m, const char *file)
{
	size_t i;

	for (i = 0; i < m->nwarnings; i++)
		if (strcmp(m->warnings[i].file, file) == 0)
			return m->warnings[i].reason;
	fail_msg("no warning for %s", file);
	return NULL;
}

static void assert_vcpu(const struct model *m, const char *vm, unsigned vcpu, const char *affinity,
			int node, int cell, bool remote)
{
	const struct vcpu_row *r = vcpu_at(m, vm, vcpu);

	assert_non_null(r);
	assert_string_equal(r->affinity, affinity);
	assert_int_equal(r->node, node);
	assert_int_equal(r->cell, cell);
	assert_int_equal(r->remote, remote);
}

/* ---------------------------------------------------------------- R1 */

/* R1: <vcpu current='2'>4</vcpu>: vCPUs 0 and 1 online. The pin of offline vCPU 3 (to node 1)
 * is ignored; <vcpu cpuset='0-3'> binds both online vCPUs to node 0. */
static void r1_online_vcpus_current(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, two_nodes, 2);
	vm = add_vm(&w, "a", 4, GiB);
	vm->vcpu_current = 2;
	tb_cpuset(vm, "0-3");
	tb_pin(vm, 3, "4");
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->vcpus, 2);
	assert_int_equal(vm_named(w.m, "a")->vcpus_max, 4);
	assert_int_equal(w.m->nvcpus, 2);
	assert_vcpu(w.m, "a", 0, "0-3", 0, 0, false);
	assert_vcpu(w.m, "a", 1, "0-3", 0, 0, false);
	assert_null(vcpu_at(w.m, "a", 3));
	assert_int_equal(node_at(w.m, 0)->vcpus_bound, 2);
	assert_int_equal(node_at(w.m, 1)->vcpus_bound, 0);
	assert_int_equal(node_at(w.m, 1)->vm_count, 0);
	world_clear(&w);
}

/* R1: a <vcpus> list wins over current: 0 yes, 1 no, 2 yes, 3 no -> online {0, 2} although
 * current says 4; both pinned to CPU 0, so node 0 has 2 bound vCPUs, not 4. */
static void r1_vcpus_list_enabled_no(void **state)
{
	struct world w;
	struct vm *vm;
	unsigned i;

	(void)state;
	world_init(&w, two_nodes, 2);
	vm = add_vm(&w, "a", 4, GiB);
	for (i = 0; i < 4; i++) {
		tb_vcpu_enabled(vm, i, i % 2 == 0);
		tb_pin(vm, i, "0");
	}
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->vcpus, 2);
	assert_int_equal(vm_named(w.m, "a")->vcpus_max, 4);
	assert_non_null(vcpu_at(w.m, "a", 0));
	assert_null(vcpu_at(w.m, "a", 1));
	assert_non_null(vcpu_at(w.m, "a", 2));
	assert_null(vcpu_at(w.m, "a", 3));
	assert_int_equal(node_at(w.m, 0)->vcpus_bound, 2);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R2 */

/* R2: vcpupin > <vcpu cpuset> > numad (cpuset, else its nodes' CPUs) > floating.
 * a: pin 0 -> CPU 1; vCPUs 1, 2 take cpuset 4-7, not numad's 0-3 (its nodeset 0-1 binds the
 * memory, so no vCPU is remote). b: placement auto, numad cpuset 2-3. c: placement auto, numad
 * nodeset 1 only -> CPUs 4-7. d: nothing -> floating. */
static void r2_affinity_precedence(void **state)
{
	struct world w;
	struct vm *a, *b, *c;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 3, GiB);
	tb_pin(a, 0, "1");
	tb_cpuset(a, "4-7");
	a->vcpu_placement_auto = true;
	tb_numad(a, "0-1", "0-3");
	b = add_vm(&w, "b", 1, GiB);
	b->vcpu_placement_auto = true;
	tb_numad(b, "0", "2-3");
	c = add_vm(&w, "c", 1, GiB);
	c->vcpu_placement_auto = true;
	tb_numad(c, "1", NULL);
	add_vm(&w, "d", 1, GiB);
	build(&w);
	assert_vcpu(w.m, "a", 0, "1", 0, 0, false);
	assert_vcpu(w.m, "a", 1, "4-7", 1, 0, false);
	assert_vcpu(w.m, "a", 2, "4-7", 1, 0, false);
	assert_vcpu(w.m, "b", 0, "2-3", 0, 0, false);
	assert_vcpu(w.m, "c", 0, "4-7", 1, 0, false);
	assert_vcpu(w.m, "d", 0, "", -1, 0, false);
	world_clear(&w);
}

/* R2: numad placement for both vCPUs and memory. a: <vcpu placement='auto'> implies memory
 * placement; numad nodeset 1 -> vCPUs on 4-7 (node 1), 2 GiB strict on node 1: local.
 * b: numatune memory interleave placement auto, numad nodeset 0-1 cpuset 0-7: both vCPUs span,
 * memory splits 1 GiB + 1 GiB, mode interleave. */
static void numad_vcpus_and_memory(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 2, 2 * GiB);
	a->vcpu_placement_auto = true;
	tb_numad(a, "1", NULL);
	b = add_vm(&w, "b", 2, 2 * GiB);
	b->vcpu_placement_auto = true;
	tb_numatune(b, MEM_MODE_INTERLEAVE, NULL);
	b->mem_placement_auto = true;
	tb_numad(b, "0-1", "0-7");
	build(&w);
	assert_vcpu(w.m, "a", 1, "4-7", 1, 0, false);
	assert_int_equal(assign_at(w.m, "a", 1)->vcpus, 2);
	assert_int_equal(assign_at(w.m, "a", 1)->mem, 2 * GiB);
	assert_null(assign_at(w.m, "a", 0));
	assert_int_equal(vm_named(w.m, "a")->placement, PLACEMENT_LOCAL);
	assert_int_equal(vm_named(w.m, "a")->mem_mode, MEM_MODE_STRICT);
	assert_string_equal(vm_named(w.m, "a")->emulator_cpus, "4-7");
	assert_vcpu(w.m, "b", 0, "0-7", -1, 0, false);
	assert_int_equal(assign_at(w.m, "b", 0)->mem_spanning, GiB);
	assert_int_equal(assign_at(w.m, "b", 1)->mem_spanning, GiB);
	assert_int_equal(vm_named(w.m, "b")->mem_mode, MEM_MODE_INTERLEAVE);
	assert_int_equal(vm_named(w.m, "b")->placement, PLACEMENT_SPANNING);
	world_clear(&w);
}

/* R2: CPUs 62 and 63 do not exist. vCPU 0 pinned to 3,63 keeps CPU 3 (bound to node 0); vCPU 1
 * pinned to 62 alone is left with nothing: floating. One warning for the VM names both. b: its
 * vcpupin and <vcpu cpuset> both name missing CPUs: still one warning naming both sources. */
static void nonexistent_cpu_dropped(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 2, GiB);
	tb_pin(a, 0, "3,63");
	tb_pin(a, 1, "62");
	b = add_vm(&w, "b", 2, GiB);
	tb_pin(b, 0, "0,9");
	tb_cpuset(b, "4,8");
	build(&w);
	assert_vcpu(w.m, "a", 0, "3", 0, 0, false);
	assert_vcpu(w.m, "a", 1, "", -1, 0, false);
	assert_int_equal(node_at(w.m, 0)->vcpus_bound, 2); /* a's vCPU 0 and b's vCPU 0 */
	assert_int_equal(nwarnings_for(w.m, "a.xml"), 1);
	assert_string_equal(warning_for(w.m, "a.xml"),
			    "vcpupin names host CPUs 62-63 that do not exist; ignored");
	assert_int_equal(nwarnings_for(w.m, "b.xml"), 1);
	assert_string_equal(
	    warning_for(w.m, "b.xml"),
	    "vcpupin and vcpu cpuset name host CPUs 8-9 that do not exist; ignored");
	assert_vcpu(w.m, "b", 1, "4", 1, 0, false);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R3 */

/* R3: vCPU 0 on 0-1 (node 0): bound. vCPU 1 on 3-4 (nodes 0 and 1): spanning. vCPU 2 has no
 * affinity: floating. Node 0: bound 1, spanning 1; node 1: bound 0, spanning 1. */
static void r3_bound_spanning_floating(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, two_nodes, 2);
	vm = add_vm(&w, "a", 3, GiB);
	tb_pin(vm, 0, "0-1");
	tb_pin(vm, 1, "3-4");
	build(&w);
	assert_vcpu(w.m, "a", 0, "0-1", 0, 0, false);
	assert_vcpu(w.m, "a", 1, "3-4", -1, 0, false);
	assert_vcpu(w.m, "a", 2, "", -1, 0, false);
	assert_int_equal(node_at(w.m, 0)->vcpus_bound, 1);
	assert_int_equal(node_at(w.m, 0)->vcpus_spanning, 1);
	assert_int_equal(node_at(w.m, 1)->vcpus_bound, 0);
	assert_int_equal(node_at(w.m, 1)->vcpus_spanning, 1);
	assert_int_equal(assign_at(w.m, "a", 0)->vcpus, 1);
	assert_int_equal(assign_at(w.m, "a", 0)->vcpus_spanning, 1);
	assert_int_equal(assign_at(w.m, "a", 1)->vcpus, 0);
	assert_int_equal(assign_at(w.m, "a", 1)->vcpus_spanning, 1);
	assert_string_equal(vm_named(w.m, "a")->nodes, "0-1");
	world_clear(&w);
}

/* R3: a spanning vCPU counts once in each node it touches, however many CPUs it has there.
 * vCPU 0 on 0,4,8 (nodes 0-2); vCPU 1 on 0-1,4-5 (two CPUs in each of nodes 0, 1); vCPU 2 on
 * 0-1 (bound, once). Spanning: node 0 2, node 1 2, node 2 1; bound: node 0 1. */
static void spanning_counts_once_per_node(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, three_nodes, 3);
	vm = add_vm(&w, "a", 3, GiB);
	tb_pin(vm, 0, "0,4,8");
	tb_pin(vm, 1, "0-1,4-5");
	tb_pin(vm, 2, "0-1");
	build(&w);
	assert_int_equal(node_at(w.m, 0)->vcpus_spanning, 2);
	assert_int_equal(node_at(w.m, 1)->vcpus_spanning, 2);
	assert_int_equal(node_at(w.m, 2)->vcpus_spanning, 1);
	assert_int_equal(node_at(w.m, 0)->vcpus_bound, 1);
	assert_int_equal(node_at(w.m, 1)->vcpus_bound, 0);
	assert_int_equal(assign_at(w.m, "a", 2)->vcpus_spanning, 1);
	assert_int_equal(w.m->nassigns, 3);
	assert_int_equal(vm_named(w.m, "a")->placement, PLACEMENT_SPANNING);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R4 */

/* R4: cells 0 (vCPUs 0-1, 2 GiB) -> node 0 and 1 (vCPUs 2-3, 2 GiB) -> node 1. Memory devices:
 * 1 GiB -> cell 1; 512 MiB -> cell 5 (none): warning; 256 MiB without target in a 2-cell VM:
 * warning. VM memory 2 + 2 + 1 + 0.5 + 0.25 = 5.75 GiB; node 0 2 GiB, node 1 3 GiB. */
static void r4_cells_and_memory_devices(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, two_nodes, 2);
	vm = add_vm(&w, "a", 4, 6 * GiB);
	tb_cell(vm, 0, "0-1", 2 * GiB);
	tb_cell(vm, 1, "2-3", 2 * GiB);
	tb_memnode(vm, 0, MEM_MODE_STRICT, "0");
	tb_memnode(vm, 1, MEM_MODE_STRICT, "1");
	tb_memdev(vm, GiB, 1);
	tb_memdev(vm, 512 * MiB, 5);
	tb_memdev(vm, 256 * MiB, -1);
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->memory, 5 * GiB + 768 * MiB);
	assert_int_equal(node_at(w.m, 0)->mem_used, 2 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_used, 3 * GiB);
	assert_int_equal(nwarnings_for(w.m, "a.xml"), 2);
	assert_string_equal(w.m->warnings[0].reason,
			    "memory device 1 targets guest cell 5, which does not exist; its "
			    "536870912 bytes count in no host node");
	assert_string_equal(w.m->warnings[1].reason,
			    "memory device 2 has no target node and the domain has 2 cells; its "
			    "268435456 bytes count in no host node");
	assert_vcpu(w.m, "a", 1, "", -1, 0, false);
	assert_vcpu(w.m, "a", 2, "", -1, 1, false);
	world_clear(&w);
}

/* R4: <memory> (4 GiB) already includes the memory devices: the implicit cell 0 holds the
 * initial 2 GiB and every vCPU, the devices that target no node or node 0 (1 + 1 GiB) follow
 * it: 4 GiB, all bound to node 1, 2 GiB of it devices. */
static void r4_implicit_cell(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, two_nodes, 2);
	vm = add_vm(&w, "a", 2, 4 * GiB);
	tb_memdev(vm, GiB, -1);
	tb_memdev(vm, GiB, 0);
	tb_numatune(vm, MEM_MODE_STRICT, "1");
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->memory, 4 * GiB);
	assert_int_equal(vm_named(w.m, "a")->mem_devices, 2 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_used, 4 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_spanning, 0);
	assert_int_equal(nwarnings_for(w.m, "a.xml"), 0);
	assert_vcpu(w.m, "a", 1, "", -1, 0, false);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R5 */

/* R5: a: numatune memory interleave nodeset 1 -> node 1. b: numatune memory without nodeset,
 * no automatic placement -> unbound. c: memory placement auto + numad nodeset 0 -> node 0.
 * d: placement auto but no numad status (a defined, not running, VM) -> unbound. e: only
 * <vcpu placement='auto'> (memory placement implied) + numad nodeset 1 -> node 1. */
static void r5_binding_sources(void **state)
{
	struct world w;
	struct vm *a, *b, *c, *d, *e;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 1, GiB);
	tb_numatune(a, MEM_MODE_INTERLEAVE, "1");
	b = add_vm(&w, "b", 1, GiB);
	tb_numatune(b, MEM_MODE_STRICT, NULL);
	c = add_vm(&w, "c", 1, GiB);
	c->mem_placement_auto = true;
	tb_numad(c, "0", NULL);
	d = add_vm(&w, "d", 1, GiB);
	d->mem_placement_auto = true;
	e = add_vm(&w, "e", 1, GiB);
	e->vcpu_placement_auto = true;
	tb_numad(e, "1", NULL);
	build(&w);
	assert_int_equal(assign_at(w.m, "a", 1)->mem, GiB);
	assert_int_equal(vm_named(w.m, "a")->mem_mode, MEM_MODE_INTERLEAVE);
	assert_int_equal(vm_named(w.m, "b")->mem_mode, MEM_MODE_NONE);
	assert_string_equal(vm_named(w.m, "b")->nodes, "");
	assert_int_equal(vm_named(w.m, "b")->memory, GiB);
	assert_int_equal(assign_at(w.m, "c", 0)->mem, GiB);
	assert_string_equal(vm_named(w.m, "d")->nodes, "");
	assert_int_equal(assign_at(w.m, "e", 1)->mem, GiB);
	assert_int_equal(node_at(w.m, 0)->mem_used, GiB);
	assert_int_equal(node_at(w.m, 1)->mem_used, 2 * GiB); /* a and e */
	assert_vcpu(w.m, "e", 0, "4-7", 1, 0, false);
	world_clear(&w);
}

/* R5: memnode for cell 0 (preferred, node 0) beats numatune memory (strict, node 1); cell 1 has
 * no memnode and takes numatune memory. Node 0 2 GiB, node 1 1 GiB; modes differ: mixed. */
static void memnode_beats_numatune_memory(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, two_nodes, 2);
	vm = add_vm(&w, "a", 2, 3 * GiB);
	tb_cell(vm, 0, "0", 2 * GiB);
	tb_cell(vm, 1, "1", GiB);
	tb_numatune(vm, MEM_MODE_STRICT, "1");
	tb_memnode(vm, 0, MEM_MODE_PREFERRED, "0");
	build(&w);
	assert_int_equal(node_at(w.m, 0)->mem_used, 2 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_used, GiB);
	assert_int_equal(vm_named(w.m, "a")->mem_mode, MEM_MODE_MIXED);
	world_clear(&w);
}

/* R5: numatune nodeset 1,7 on a two-node host: node 7 dropped with a warning, the 1 GiB is bound
 * (not spanning) to node 1. b: nodeset 5-6 names no existing node: unbound, warned. */
static void nonexistent_node_dropped(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 1, GiB);
	tb_numatune(a, MEM_MODE_STRICT, "1,7");
	b = add_vm(&w, "b", 1, GiB);
	tb_numatune(b, MEM_MODE_STRICT, "5-6");
	build(&w);
	assert_string_equal(warning_for(w.m, "a.xml"),
			    "numatune memory names host nodes 7 that do not exist; ignored");
	assert_int_equal(assign_at(w.m, "a", 1)->mem, GiB);
	assert_int_equal(assign_at(w.m, "a", 1)->mem_spanning, 0);
	assert_string_equal(vm_named(w.m, "a")->nodes, "1");
	assert_string_equal(warning_for(w.m, "b.xml"),
			    "numatune memory names host nodes 5-6 that do not exist; ignored");
	assert_int_equal(vm_named(w.m, "b")->mem_mode, MEM_MODE_NONE);
	assert_int_equal(vm_named(w.m, "b")->placement, PLACEMENT_FLOATING);
	assert_int_equal(node_at(w.m, 0)->mem_used, 0);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R6 */

/* R6: 1001 bytes over nodes 0-1 -> 501 + 500 (remainder to the lowest id), all spanning.
 * 1000 bytes over 0-2, mode preferred (the split ignores the mode) -> 334 + 333 + 333. */
static void r6_remainder_split(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, three_nodes, 3);
	a = add_vm(&w, "a", 1, 1001);
	tb_numatune(a, MEM_MODE_STRICT, "0-1");
	b = add_vm(&w, "b", 1, 1000);
	tb_numatune(b, MEM_MODE_PREFERRED, "0-2");
	build(&w);
	assert_int_equal(assign_at(w.m, "a", 0)->mem, 501);
	assert_int_equal(assign_at(w.m, "a", 0)->mem_spanning, 501);
	assert_int_equal(assign_at(w.m, "a", 1)->mem, 500);
	assert_int_equal(assign_at(w.m, "a", 1)->mem_spanning, 500);
	assert_null(assign_at(w.m, "a", 2));
	assert_int_equal(assign_at(w.m, "b", 0)->mem, 334);
	assert_int_equal(assign_at(w.m, "b", 1)->mem, 333);
	assert_int_equal(assign_at(w.m, "b", 2)->mem, 333);
	assert_int_equal(node_at(w.m, 0)->mem_used, 835);
	assert_int_equal(node_at(w.m, 0)->mem_spanning, 835);
	assert_int_equal(vm_named(w.m, "a")->memory, 1001);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R7 */

/* R7: cells 0 (vCPUs 0-1) -> node 0, 1 (vCPUs 2-3) -> node 1; vCPU 4 is in no cell.
 * vCPU 0 on CPU 0: local. vCPU 1 on CPU 4 (node 1, cell bound to 0): remote. vCPU 2 on CPU 5:
 * local. vCPU 3 on 0,4: spanning, never remote. vCPU 4 is in no cell, so in cell 0 as libvirt
 * puts it: on CPU 1 (node 0), local.
 * b: unbound memory, vCPU on node 1: never remote. remote_vcpus a=1, b=0; misaligned 1. */
static void r7_remote_vcpu(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 5, 2 * GiB);
	tb_cell(a, 0, "0-1", GiB);
	tb_cell(a, 1, "2-3", GiB);
	tb_memnode(a, 0, MEM_MODE_STRICT, "0");
	tb_memnode(a, 1, MEM_MODE_STRICT, "1");
	tb_pin(a, 0, "0");
	tb_pin(a, 1, "4");
	tb_pin(a, 2, "5");
	tb_pin(a, 3, "0,4");
	tb_pin(a, 4, "1");
	b = add_vm(&w, "b", 1, GiB);
	tb_pin(b, 0, "4");
	build(&w);
	assert_vcpu(w.m, "a", 0, "0", 0, 0, false);
	assert_vcpu(w.m, "a", 1, "4", 1, 0, true);
	assert_vcpu(w.m, "a", 2, "5", 1, 1, false);
	assert_vcpu(w.m, "a", 3, "0,4", -1, 1, false);
	assert_vcpu(w.m, "a", 4, "1", 0, 0, false);
	assert_int_equal(vm_named(w.m, "a")->remote_vcpus, 1);
	assert_vcpu(w.m, "b", 0, "4", 1, 0, false);
	assert_int_equal(vm_named(w.m, "b")->remote_vcpus, 0);
	assert_int_equal(w.m->vm_misaligned, 1);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R8 */

static const struct node_spec huge_nodes[] = {
    {0, "0-3", 16 * GiB, {{PAGE_1G, 8, 5, 1}, {PAGE_2M, 1024, 1000, 0}}},
    {1, "4-7", 16 * GiB, {{0}}},
};

/* R8: a VM's bytes on a node are summed over its cells, then rounded up; VMs add up. a's
 * cells of 3 GiB and 2.5 GiB on 1 GiB pages need ceil(5.5) = 6 pages; b's two 1.5 GiB cells
 * need 3 (not 2 + 2); c's 0.5 GiB needs 1 (not pooled with b's). Node 0 has 8: 10 > 8, over.
 * The 2 MiB pool is untouched: demand 0, not over. */
static void r8_demand_rounded_per_vm_and_node(void **state)
{
	struct world w;
	struct vm *a, *b, *c;
	const struct huge_row *h;

	(void)state;
	world_init(&w, huge_nodes, 2);
	a = add_vm(&w, "a", 2, 0);
	tb_cell(a, 0, "0", 3 * GiB);
	tb_cell(a, 1, "1", 2 * GiB + 512 * MiB);
	tb_numatune(a, MEM_MODE_STRICT, "0");
	tb_page(a, PAGE_1G, NULL);
	b = add_vm(&w, "b", 2, 0);
	tb_cell(b, 0, "0", GiB + 512 * MiB);
	tb_cell(b, 1, "1", GiB + 512 * MiB);
	tb_numatune(b, MEM_MODE_STRICT, "0");
	tb_page(b, PAGE_1G, NULL);
	c = add_vm(&w, "c", 1, 0);
	tb_cell(c, 0, "0", 512 * MiB);
	tb_numatune(c, MEM_MODE_STRICT, "0");
	tb_page(c, PAGE_1G, NULL);
	build(&w);
	h = huge_at(w.m, 0, PAGE_1G);
	assert_non_null(h);
	assert_int_equal(h->demand, 10);
	assert_int_equal(h->total, 8);
	assert_int_equal(h->free, 5);
	assert_int_equal(h->surplus, 1);
	assert_true(h->over);
	h = huge_at(w.m, 0, PAGE_2M);
	assert_non_null(h);
	assert_int_equal(h->demand, 0);
	assert_false(h->over);
	assert_true(node_at(w.m, 0)->huge_over);
	assert_int_equal(vm_named(w.m, "a")->huge_kib, PAGE_1G);
	assert_int_equal(w.m->nhuges, 2);
	world_clear(&w);
}

/* R8/R9: node 0: 16 GiB, pools 8 x 1 GiB + 1024 x 2 MiB = 10 GiB -> memory limit 6 GiB.
 * a: 3 GiB on 1 GiB pages; b: 7 GiB plain, both on node 0. Used 10 GiB of which 3 GiB
 * hugepage-backed: 7 GiB compared with 6 GiB: over, headroom -1 GiB, ceil(700/6) = 117%. */
static void r8_pool_and_huge_memory_excluded(void **state)
{
	struct world w;
	struct vm *a, *b;
	const struct node_row *n;

	(void)state;
	world_init(&w, huge_nodes, 2);
	a = add_vm(&w, "a", 1, 3 * GiB);
	tb_numatune(a, MEM_MODE_STRICT, "0");
	tb_page(a, PAGE_1G, NULL);
	b = add_vm(&w, "b", 1, 7 * GiB);
	tb_numatune(b, MEM_MODE_STRICT, "0");
	build(&w);
	n = node_at(w.m, 0);
	assert_int_equal(n->huge_pool, 10 * GiB);
	assert_int_equal(n->mem_limit, 6 * GiB);
	assert_int_equal(n->mem_used, 10 * GiB);
	assert_int_equal(n->mem_huge, 3 * GiB);
	assert_true(n->mem_over);
	assert_int_equal(n->mem_headroom, -(int64_t)GiB);
	assert_int_equal(n->mem_used_pct, 117);
	assert_int_equal(huge_at(w.m, 0, PAGE_1G)->demand, 3);
	assert_false(n->huge_over);
	world_clear(&w);
}

/* R8: node 1 has no hugepage pool; a's 1 GiB on 2 MiB pages bound there needs 512 pages: a row
 * (1, 2048) with total 0 appears, over. Node 0's rows stay as sysfs says. */
static void r8_size_without_pool(void **state)
{
	struct world w;
	struct vm *a;
	const struct huge_row *h;

	(void)state;
	world_init(&w, huge_nodes, 2);
	a = add_vm(&w, "a", 1, GiB);
	tb_numatune(a, MEM_MODE_STRICT, "1");
	tb_page(a, PAGE_2M, NULL);
	build(&w);
	h = huge_at(w.m, 1, PAGE_2M);
	assert_non_null(h);
	assert_int_equal(h->total, 0);
	assert_int_equal(h->free, 0);
	assert_int_equal(h->demand, 512);
	assert_true(h->over);
	assert_true(node_at(w.m, 1)->huge_over);
	assert_false(node_at(w.m, 0)->huge_over);
	assert_int_equal(node_at(w.m, 1)->huge_pool, 0);
	assert_int_equal(w.m->nhuges, 3);
	world_clear(&w);
}

/* R8: a: cells 0-2 of 1 GiB on node 0; page 1 GiB for cell 1, 2 MiB for the others (the entry
 * without nodeset): demand 1 x 1 GiB, 2 x 512 x 2 MiB. b: only cell 0 named (1 GiB pages),
 * cell 1 has no entry: not hugepage-backed; on node 1 mem_huge 1 GiB of 2 GiB. */
static void r8_nodeset_some_cells(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, huge_nodes, 2);
	a = add_vm(&w, "a", 3, 3 * GiB);
	tb_cell(a, 0, "0", GiB);
	tb_cell(a, 1, "1", GiB);
	tb_cell(a, 2, "2", GiB);
	tb_numatune(a, MEM_MODE_STRICT, "0");
	tb_page(a, PAGE_1G, "1");
	tb_page(a, PAGE_2M, NULL);
	b = add_vm(&w, "b", 2, 2 * GiB);
	tb_cell(b, 0, "0", GiB);
	tb_cell(b, 1, "1", GiB);
	tb_numatune(b, MEM_MODE_STRICT, "1");
	tb_page(b, PAGE_1G, "0");
	build(&w);
	assert_int_equal(huge_at(w.m, 0, PAGE_1G)->demand, 1);
	assert_int_equal(huge_at(w.m, 0, PAGE_2M)->demand, 1024);
	assert_int_equal(node_at(w.m, 0)->mem_huge, 3 * GiB);
	assert_int_equal(vm_named(w.m, "a")->huge_kib, PAGE_1G);
	assert_int_equal(node_at(w.m, 1)->mem_used, 2 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_huge, GiB);
	assert_int_equal(huge_at(w.m, 1, PAGE_1G)->demand, 1);
	assert_null(huge_at(w.m, 1, PAGE_2M));
	world_clear(&w);
}

/* R4/R8 with cell ids out of order and apart (looked up by id, not position): cell 7 takes the
 * first page entry naming it (1 GiB), cell 2 the 2 MiB one; the memory device targeting cell 7
 * adds its 1 GiB there. Cell 7 (1 + 1 GiB) on node 0: 2 pages; cell 2 (1 GiB) on node 1 has no
 * 2 MiB pool row but its bytes are hugepage-backed. */
static void r8_page_entries_and_memdevs_by_cell_id(void **state)
{
	struct world w;
	struct vm *a;

	(void)state;
	world_init(&w, huge_nodes, 2);
	a = add_vm(&w, "a", 2, 0);
	tb_cell(a, 7, "0", GiB);
	tb_cell(a, 2, "1", GiB);
	tb_memnode(a, 7, MEM_MODE_STRICT, "0");
	tb_memnode(a, 2, MEM_MODE_STRICT, "1");
	tb_page(a, PAGE_1G, "7");
	tb_page(a, PAGE_2M, "2,7");
	tb_memdev(a, GiB, 7);
	build(&w);
	assert_int_equal(huge_at(w.m, 0, PAGE_1G)->demand, 2);
	assert_int_equal(huge_at(w.m, 0, PAGE_2M)->demand, 0);
	assert_int_equal(node_at(w.m, 0)->mem_huge, 2 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_huge, GiB);
	assert_int_equal(node_at(w.m, 1)->mem_used, GiB);
	assert_int_equal(vm_named(w.m, "a")->memory, 3 * GiB);
	world_clear(&w);
}

/* R8: <hugepages/> alone, or a page of size 0, means defaultHugepageSize: 2048 KiB by default
 * (1 GiB -> 512 pages on node 0), 1 GiB when configured so (1 page). */
static void r8_default_size(void **state)
{
	struct world w;
	struct vm *a, *b;

	(void)state;
	world_init(&w, huge_nodes, 2);
	a = add_vm(&w, "a", 1, GiB);
	a->hugepages = true;
	tb_numatune(a, MEM_MODE_STRICT, "0");
	build(&w);
	assert_int_equal(huge_at(w.m, 0, PAGE_2M)->demand, 512);
	assert_int_equal(vm_named(w.m, "a")->huge_kib, PAGE_2M);
	b = add_vm(&w, "b", 1, GiB);
	tb_page(b, 0, NULL);
	tb_numatune(b, MEM_MODE_STRICT, "0");
	w.cfg.default_huge_kib = PAGE_1G;
	build(&w);
	assert_int_equal(huge_at(w.m, 0, PAGE_1G)->demand, 2); /* a and b, one page each */
	assert_int_equal(huge_at(w.m, 0, PAGE_2M)->demand, 0);
	assert_int_equal(vm_named(w.m, "b")->huge_kib, PAGE_1G);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R9 */

/* R9: node 0 (4 CPUs, 16 GiB). a: 3 vCPUs + 6 GiB, b: 2 vCPUs + 12 GiB, all on node 0.
 * vCPUs 5 > limit 4: over, headroom -1, ceil(500/4) = 125%. Memory 18 GiB > 16 GiB: over,
 * headroom -2 GiB, ceil(1800/16) = 113%. vm_count 2. Node 1 unused: 0%, full headroom. */
static void r9_node_sums_and_limits(void **state)
{
	struct world w;
	struct vm *a, *b;
	const struct node_row *n;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 3, 6 * GiB);
	tb_cpuset(a, "0-3");
	tb_numatune(a, MEM_MODE_STRICT, "0");
	b = add_vm(&w, "b", 2, 12 * GiB);
	tb_cpuset(b, "0-3");
	tb_numatune(b, MEM_MODE_STRICT, "0");
	build(&w);
	n = node_at(w.m, 0);
	assert_string_equal(n->cpulist, "0-3");
	assert_int_equal(n->cpu_capacity, 4);
	assert_int_equal(n->mem_total, 16 * GiB);
	assert_int_equal(n->mem_free, 4 * GiB);
	assert_int_equal(n->vcpus_bound, 5);
	assert_int_equal(n->cpu_limit, 4);
	assert_true(n->cpu_over);
	assert_int_equal(n->cpu_headroom, -1);
	assert_int_equal(n->cpu_used_pct, 125);
	assert_int_equal(n->mem_used, 18 * GiB);
	assert_int_equal(n->mem_limit, 16 * GiB);
	assert_true(n->mem_over);
	assert_int_equal(n->mem_headroom, -2 * (int64_t)GiB);
	assert_int_equal(n->mem_used_pct, 113);
	assert_int_equal(n->vm_count, 2);
	n = node_at(w.m, 1);
	assert_int_equal(n->cpu_used_pct, 0);
	assert_int_equal(n->mem_used_pct, 0);
	assert_int_equal(n->cpu_headroom, 4);
	assert_int_equal(n->mem_headroom, 16 * (int64_t)GiB);
	assert_false(n->cpu_over || n->mem_over || n->huge_over);
	world_clear(&w);
}

/* R9: node 2 has memory but no CPUs. a: vCPUs on node 0, 4 GiB bound to node 2: node 2 CPU
 * limit 0 but nothing bound (0%, not over), memory 4 of 8 GiB = 50%, vm_count 1. The VM is
 * multinode and both its vCPUs are remote. */
static void memory_only_node(void **state)
{
	static const struct node_spec spec[] = {
	    {0, "0-3", 16 * GiB, {{0}}},
	    {1, "4-7", 16 * GiB, {{0}}},
	    {2, "", 8 * GiB, {{0}}},
	};
	struct world w;
	struct vm *a;
	const struct node_row *n;

	(void)state;
	world_init(&w, spec, 3);
	a = add_vm(&w, "a", 2, 4 * GiB);
	tb_cpuset(a, "0-3");
	tb_numatune(a, MEM_MODE_STRICT, "2");
	build(&w);
	n = node_at(w.m, 2);
	assert_string_equal(n->cpulist, "");
	assert_int_equal(n->cpu_capacity, 0);
	assert_int_equal(n->cpu_limit, 0);
	assert_int_equal(n->vcpus_bound, 0);
	assert_int_equal(n->cpu_used_pct, 0);
	assert_false(n->cpu_over);
	assert_int_equal(n->mem_used, 4 * GiB);
	assert_int_equal(n->mem_used_pct, 50);
	assert_int_equal(n->vm_count, 1);
	assert_int_equal(vm_named(w.m, "a")->placement, PLACEMENT_MULTINODE);
	assert_string_equal(vm_named(w.m, "a")->nodes, "0,2");
	assert_int_equal(vm_named(w.m, "a")->remote_vcpus, 2);
	world_clear(&w);
}

/* R9: cpuAllocationRatio 0.1 on a 4-CPU node: floor(0.4) = 0. One bound vCPU: over,
 * 4294967295%, headroom -1. */
static void cpu_limit_zero(void **state)
{
	struct world w;
	struct vm *a;
	const struct node_row *n;

	(void)state;
	world_init(&w, two_nodes, 2);
	w.cfg.cpu_ratio_pct = 10;
	a = add_vm(&w, "a", 1, GiB);
	tb_pin(a, 0, "0");
	build(&w);
	n = node_at(w.m, 0);
	assert_int_equal(n->cpu_limit, 0);
	assert_true(n->cpu_over);
	assert_int_equal(n->cpu_used_pct, UINT32_MAX);
	assert_int_equal(n->cpu_headroom, -1);
	assert_int_equal(node_at(w.m, 1)->cpu_used_pct, 0);
	assert_false(node_at(w.m, 1)->cpu_over);
	assert_int_equal(w.m->cpu_ratio_pct, 10);
	world_clear(&w);
}

/* R9: cpuAllocationRatio 1.5: 3 CPUs -> floor(4.5) = 4, 4 CPUs -> 6. memAllocationRatio 0.5:
 * 16 GiB -> 8 GiB; 9 GiB bound there: ceil(900/8) = 113%, over. */
static void allocation_ratios(void **state)
{
	static const struct node_spec spec[] = {
	    {0, "0-2", 16 * GiB, {{0}}},
	    {1, "3-6", 16 * GiB, {{0}}},
	};
	struct world w;
	struct vm *a;

	(void)state;
	world_init(&w, spec, 2);
	w.cfg.cpu_ratio_pct = 150;
	w.cfg.mem_ratio_pct = 50;
	a = add_vm(&w, "a", 1, 9 * GiB);
	tb_numatune(a, MEM_MODE_STRICT, "1");
	build(&w);
	assert_int_equal(node_at(w.m, 0)->cpu_limit, 4);
	assert_int_equal(node_at(w.m, 1)->cpu_limit, 6);
	assert_int_equal(node_at(w.m, 0)->mem_limit, 8 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_limit, 8 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_used_pct, 113);
	assert_true(node_at(w.m, 1)->mem_over);
	assert_int_equal(w.m->cpu_ratio_pct, 150);
	assert_int_equal(w.m->mem_ratio_pct, 50);
	world_clear(&w);
}

/* R9: reservedMemory 1 GiB for every node, 2 GiB for node 1, 32 GiB for node 2 (more than it
 * has): limits 15, 14 and 0 GiB. One byte on node 2: 4294967295%, over. */
static void reserved_memory(void **state)
{
	struct world w;
	struct vm *a;

	(void)state;
	world_init(&w, three_nodes, 3);
	w.cfg.reserved_all = GiB;
	w.cfg.reserved = xcalloc(2, sizeof(*w.cfg.reserved));
	w.cfg.nreserved = 2;
	w.cfg.reserved[0] = (struct reserved){1, 2 * GiB};
	w.cfg.reserved[1] = (struct reserved){2, 32 * GiB};
	a = add_vm(&w, "a", 1, 1);
	tb_numatune(a, MEM_MODE_STRICT, "2");
	build(&w);
	assert_int_equal(node_at(w.m, 0)->mem_limit, 15 * GiB);
	assert_int_equal(node_at(w.m, 1)->mem_limit, 14 * GiB);
	assert_int_equal(node_at(w.m, 2)->mem_limit, 0);
	assert_int_equal(node_at(w.m, 2)->mem_used_pct, UINT32_MAX);
	assert_int_equal(node_at(w.m, 2)->mem_headroom, -1);
	assert_true(node_at(w.m, 2)->mem_over);
	world_clear(&w);
}

/* ---------------------------------------------------------------- R10 */

struct placement_case {
	const char *name;
	const char *pin0, *pin1; /* vCPU pins, NULL = none */
	const char *cpuset;	 /* <vcpu cpuset>, NULL = none */
	const char *memory;	 /* numatune nodeset, NULL = none */
	enum placement want;
};

static const struct placement_case placement_cases[] = {
    {"local", NULL, NULL, "0-3", "0", PLACEMENT_LOCAL},
    {"multinode", NULL, NULL, "0-3", "1", PLACEMENT_MULTINODE},
    {"multinode-vcpus", "0", "4", NULL, "0", PLACEMENT_MULTINODE},
    {"spanning-vcpu", NULL, NULL, "3-4", "0", PLACEMENT_SPANNING},
    {"spanning-memory", NULL, NULL, "0-3", "0-1", PLACEMENT_SPANNING},
    {"spanning-only-memory", NULL, NULL, NULL, "0-1", PLACEMENT_SPANNING},
    {"partial-vcpu", "0", NULL, NULL, "0", PLACEMENT_PARTIAL},
    {"partial-memory", NULL, NULL, "0-3", NULL, PLACEMENT_PARTIAL},
    {"partial-only-memory", NULL, NULL, NULL, "0", PLACEMENT_PARTIAL},
    {"floating", NULL, NULL, NULL, NULL, PLACEMENT_FLOATING},
};

/* R10: spanning > floating > partial > local/multinode, one VM per case (2 vCPUs, 1 GiB). */

/* ---------------------------------------------------------------- R11: passthrough devices */

static void tb_dev(struct vm *vm, enum dev_kind kind, unsigned bus, const char *uuid)
{
	struct vm_dev *d = PUSH(&vm->devs, &vm->ndevs);

	d->kind = kind;
	d->addr.bus = bus;
	if (uuid)
		snprintf(d->uuid, sizeof(d->uuid), "%s", uuid);
}

static int cmp_host_dev(const void *a, const void *b)
{
	return host_dev_cmp(a, b);
}

/* What source/pcidev.c would find: bus 0x3b on node 0, 0xaf on node 1, 0x1f with numa_node -1,
 * 0x5e absent; mdev "m1" with a parent (0xd8) on node 1, "m2" absent, "m3" not PCI. */
static void tb_host_devs(struct host *h)
{
	static const struct host_dev devs[] = {
	    {DEV_KIND_PCI, {0, 0x3b, 0, 0}, "", true, false, 0},
	    {DEV_KIND_PCI, {0, 0xaf, 0, 0}, "", true, false, 1},
	    {DEV_KIND_PCI, {0, 0x1f, 0, 0}, "", true, false, -1},
	    {DEV_KIND_PCI, {0, 0x5e, 0, 0}, "", false, false, -1},
	    {DEV_KIND_MDEV, {0, 0xd8, 0, 0}, "m1", true, false, 1},
	    {DEV_KIND_MDEV, {0}, "m2", false, false, -1},
	    {DEV_KIND_MDEV, {0}, "m3", false, true, -1},
	};

	h->devs = xmemdup(devs, ARRAY_SIZE(devs), sizeof(devs[0]));
	h->ndevs = ARRAY_SIZE(devs);
	qsort(h->devs, h->ndevs, sizeof(*h->devs), cmp_host_dev);
}

/* The remote rule alone: known node, not one of the VM's; a floating VM is not judged. */
static void r11_remote_rule(void **state)
{
	struct cpuset *n0 = NODES("0"), *n01 = NODES("0-1"), *none = cpuset_new(CPUSET_MAX_NODES);

	(void)state;
	assert_false(account_dev_remote(0, n0));
	assert_true(account_dev_remote(1, n0));
	assert_false(account_dev_remote(1, n01));
	assert_false(account_dev_remote(-1, n0));
	assert_false(account_dev_remote(1, none));
	assert_false(account_dev_remote(-1, none));
	assert_true(account_dev_remote(7, n01)); /* a node the host lacks is still not the VM's */
	cpuset_free(n0);
	cpuset_free(n01);
	cpuset_free(none);
}

static bool has_warning(const struct model *m, const char *file, const char *reason)
{
	size_t i;

	for (i = 0; i < m->nwarnings; i++)
		if (strcmp(m->warnings[i].file, file) == 0 && strcmp(m->warnings[i].reason, reason) == 0)
			return true;
	return false;
}

static const struct dev_row *dev_of(const struct model *m, const char *vm, unsigned ord)
{
	size_t i = model_dev_lower(m, vm_named(m, vm)->index, ord);

	assert_true(i < m->ndevs);
	assert_int_equal(m->devs[i].ord, ord);
	return &m->devs[i];
}

static void r11_devices(void **state)
{
	struct world w;
	struct vm *vm;

	(void)state;
	world_init(&w, two_nodes, 2);
	tb_host_devs(w.host);
	vm = add_vm(&w, "vf-local", 2, GiB); /* vCPUs and memory on node 0, the VF too */
	tb_cpuset(vm, "0-1");
	tb_numatune(vm, MEM_MODE_STRICT, "0");
	tb_dev(vm, DEV_KIND_PCI, 0x3b, NULL);
	vm = add_vm(&w, "gpu-remote", 2, GiB); /* on node 0, the GPU on node 1 */
	tb_cpuset(vm, "0-1");
	tb_numatune(vm, MEM_MODE_STRICT, "0");
	tb_dev(vm, DEV_KIND_PCI, 0xaf, NULL);
	tb_dev(vm, DEV_KIND_PCI, 0x3b, NULL);
	vm = add_vm(&w, "spanning", 2, GiB); /* vCPU 1 touches node 1: the GPU is one of its */
	tb_pin(vm, 0, "0");
	tb_pin(vm, 1, "4");
	tb_dev(vm, DEV_KIND_PCI, 0xaf, NULL);
	vm = add_vm(&w, "mem-on-1", 2, GiB); /* floating vCPUs, memory on node 1 */
	tb_numatune(vm, MEM_MODE_STRICT, "1");
	tb_dev(vm, DEV_KIND_PCI, 0xaf, NULL);
	vm = add_vm(&w, "floating", 2, GiB);
	tb_dev(vm, DEV_KIND_PCI, 0xaf, NULL);
	vm = add_vm(&w, "unknown", 2, GiB);
	tb_cpuset(vm, "0-1");
	tb_dev(vm, DEV_KIND_PCI, 0x1f, NULL);
	tb_dev(vm, DEV_KIND_PCI, 0x5e, NULL);
	tb_dev(vm, DEV_KIND_MDEV, 0, "m2");
	tb_dev(vm, DEV_KIND_MDEV, 0, "m3");
	vm = add_vm(&w, "vgpu", 2, GiB);
	tb_cpuset(vm, "0-1");
	tb_dev(vm, DEV_KIND_MDEV, 0, "m1");
	build(&w);

	assert_false(dev_of(w.m, "vf-local", 1)->remote);
	assert_string_equal(dev_of(w.m, "vf-local", 1)->address, "0000:3b:00.0");
	assert_int_equal(vm_named(w.m, "vf-local")->remote_devices, 0);
	assert_true(dev_of(w.m, "gpu-remote", 1)->remote);
	assert_int_equal(dev_of(w.m, "gpu-remote", 1)->node, 1);
	assert_false(dev_of(w.m, "gpu-remote", 2)->remote);
	assert_int_equal(vm_named(w.m, "gpu-remote")->remote_devices, 1);
	assert_false(dev_of(w.m, "spanning", 1)->remote);
	assert_false(dev_of(w.m, "mem-on-1", 1)->remote);
	assert_false(dev_of(w.m, "floating", 1)->remote);
	assert_int_equal(dev_of(w.m, "unknown", 1)->node, -1);
	assert_false(dev_of(w.m, "unknown", 1)->remote);
	assert_int_equal(dev_of(w.m, "unknown", 2)->node, -1);
	assert_string_equal(dev_of(w.m, "unknown", 2)->address, "0000:5e:00.0");
	assert_string_equal(dev_of(w.m, "unknown", 3)->address, "");
	assert_int_equal(dev_of(w.m, "unknown", 3)->kind, DEV_KIND_MDEV);
	assert_string_equal(dev_of(w.m, "unknown", 4)->address, "");
	assert_true(dev_of(w.m, "vgpu", 1)->remote);
	assert_string_equal(dev_of(w.m, "vgpu", 1)->address, "0000:d8:00.0");
	assert_int_equal(w.m->ndevs, 11);
	/* per node: the VF twice on 0; the GPU 4 times and the vGPU's parent on 1 */
	assert_int_equal(model_node(w.m, 0)->pci_devices, 2);
	assert_int_equal(model_node(w.m, 1)->pci_devices, 5);
	/* warnings: the absent device, the absent mdev, the mdev without a PCI parent */
	assert_true(has_warning(w.m, "unknown.xml",
				"PCI device 0000:5e:00.0 does not exist on the host; its node is "
				"unknown"));
	assert_true(has_warning(w.m, "unknown.xml",
				"mediated device m2 does not exist on the host; its node is unknown"));
	assert_true(has_warning(w.m, "unknown.xml",
				"mediated device m3 has no PCI parent; its node is unknown"));
	assert_int_equal(nwarnings_for(w.m, "unknown.xml"), 3);
	world_clear(&w);
}

static void r10_placement_classes(void **state)
{
	struct world w;
	size_t i;

	(void)state;
	world_init(&w, two_nodes, 2);
	for (i = 0; i < ARRAY_SIZE(placement_cases); i++) {
		const struct placement_case *c = &placement_cases[i];
		struct vm *vm = add_vm(&w, c->name, 2, GiB);

		if (c->pin0)
			tb_pin(vm, 0, c->pin0);
		if (c->pin1)
			tb_pin(vm, 1, c->pin1);
		if (c->cpuset)
			tb_cpuset(vm, c->cpuset);
		if (c->memory)
			tb_numatune(vm, MEM_MODE_STRICT, c->memory);
	}
	build(&w);
	for (i = 0; i < ARRAY_SIZE(placement_cases); i++) {
		const struct vm_row *r = vm_named(w.m, placement_cases[i].name);

		if (r->placement != placement_cases[i].want)
			fail_msg("%s: placement %s, want %s", placement_cases[i].name,
				 placement_name(r->placement),
				 placement_name(placement_cases[i].want));
	}
	assert_int_equal(w.m->vm_floating, 1);
	world_clear(&w);
}

/* mem_mode: a unbound -> none; b both cells strict -> strict; c interleave -> interleave;
 * d strict + unbound cell -> mixed; e strict + preferred -> mixed. */
static void memory_modes(void **state)
{
	struct world w;
	struct vm *vm;
	const char *names[] = {"a", "b", "c", "d", "e"};
	const enum mem_mode want[] = {MEM_MODE_NONE, MEM_MODE_STRICT, MEM_MODE_INTERLEAVE,
				      MEM_MODE_MIXED, MEM_MODE_MIXED};
	size_t i;

	(void)state;
	world_init(&w, two_nodes, 2);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		vm = add_vm(&w, names[i], 2, 2 * GiB);
		tb_cell(vm, 0, "0", GiB);
		tb_cell(vm, 1, "1", GiB);
	}
	tb_memnode(w.vms[1], 0, MEM_MODE_STRICT, "0");
	tb_memnode(w.vms[1], 1, MEM_MODE_STRICT, "1");
	tb_numatune(w.vms[2], MEM_MODE_INTERLEAVE, "0-1");
	tb_memnode(w.vms[3], 0, MEM_MODE_STRICT, "0");
	tb_memnode(w.vms[4], 0, MEM_MODE_STRICT, "0");
	tb_memnode(w.vms[4], 1, MEM_MODE_PREFERRED, "1");
	build(&w);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		assert_int_equal(vm_named(w.m, names[i])->mem_mode, want[i]);
	world_clear(&w);
}

/* ---------------------------------------------------------------- VM rows */

/* The other per-VM values: identity copied; thread ids per vCPU (0 unknown); emulator_cpus from
 * emulatorpin (missing CPU 99 dropped), else vcpu cpuset, else numad, else "". */
static void vm_row_fields(void **state)
{
	struct world w;
	struct vm *a, *b, *c;

	(void)state;
	world_init(&w, two_nodes, 2);
	a = add_vm(&w, "a", 2, GiB);
	a->display_name = xstrdup("web-1");
	a->pid = 4242;
	a->state = VM_STATE_PAUSED;
	a->emulatorpin = CPUS("0-1,99");
	tb_cpuset(a, "4-7");
	tb_tid(a, 1, 5001);
	b = add_vm(&w, "b", 1, GiB);
	tb_cpuset(b, "4-7");
	b->vcpu_placement_auto = true;
	tb_numad(b, "0", "2-3");
	c = add_vm(&w, "c", 1, GiB);
	c->vcpu_placement_auto = true;
	tb_numad(c, "0", "2-3");
	add_vm(&w, "d", 1, GiB);
	build(&w);
	assert_string_equal(vm_named(w.m, "a")->file, "a.xml");
	assert_string_equal(vm_named(w.m, "a")->uuid, "uuid-a");
	assert_string_equal(vm_named(w.m, "a")->display_name, "web-1");
	assert_int_equal(vm_named(w.m, "a")->pid, 4242);
	assert_int_equal(vm_named(w.m, "a")->state, VM_STATE_PAUSED);
	assert_int_equal(vm_named(w.m, "a")->memory, GiB);
	assert_int_equal(vm_named(w.m, "a")->huge_kib, 0);
	assert_string_equal(vm_named(w.m, "a")->emulator_cpus, "0-1");
	assert_int_equal(vcpu_at(w.m, "a", 0)->tid, 0);
	assert_int_equal(vcpu_at(w.m, "a", 1)->tid, 5001);
	assert_string_equal(vm_named(w.m, "b")->emulator_cpus, "4-7");
	assert_string_equal(vm_named(w.m, "c")->emulator_cpus, "2-3");
	assert_string_equal(vm_named(w.m, "d")->display_name, "");
	assert_string_equal(vm_named(w.m, "d")->emulator_cpus, "");
	assert_int_equal(nwarnings_for(w.m, "a.xml"), 0);
	world_clear(&w);
}

/* Host rows: sysfs warnings are copied with file "sysfs"; nodes given out of order come out
 * sorted, with their distance rows. */
static void host_rows(void **state)
{
	static const struct node_spec spec[] = {
	    {1, "4-7", 16 * GiB, {{0}}},
	    {0, "0-3", 8 * GiB, {{0}}},
	};
	struct world w;

	(void)state;
	world_init(&w, spec, 2);
	tb_host_warn(w.host, "node3/meminfo: Permission denied");
	build(&w);
	assert_int_equal(w.m->nwarnings, 1);
	assert_string_equal(w.m->warnings[0].file, "sysfs");
	assert_string_equal(w.m->warnings[0].reason, "node3/meminfo: Permission denied");
	assert_int_equal(w.m->nnodes, 2);
	assert_int_equal(w.m->nodes[0].id, 0);
	assert_int_equal(w.m->nodes[0].mem_total, 8 * GiB);
	assert_int_equal(w.m->nodes[1].id, 1);
	assert_int_equal(w.m->ndists, 4);
	assert_int_equal(w.m->dists[0].node, 0);
	assert_int_equal(w.m->dists[0].peer, 0);
	assert_int_equal(w.m->dists[0].value, 10);
	assert_int_equal(w.m->dists[1].peer, 1);
	assert_int_equal(w.m->dists[1].value, 21);
	assert_int_equal(w.m->dists[2].node, 1);
	assert_int_equal(w.m->dists[2].value, 20);
	assert_int_equal(w.m->nvms, 0);
	world_clear(&w);
}

/* ---------------------------------------------------------------- VM index */

/* Domain id 5 is the index; id 0 and ids over 2^31-1 are not usable: UUID-derived instead. */
static void index_domain_id(void **state)
{
	struct world w;

	(void)state;
	world_init(&w, two_nodes, 2);
	add_vm(&w, "a", 1, GiB)->id = 5;
	add_vm(&w, "b", 1, GiB)->id = 0;
	add_vm(&w, "c", 1, GiB)->id = 2147483648LL;
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->index, 5);
	assert_int_equal(vm_named(w.m, "b")->index, account_uuid_index("uuid-b"));
	assert_int_equal(vm_named(w.m, "c")->index, account_uuid_index("uuid-c"));
	assert_int_equal(w.m->vms[0].index, 5); /* rows sorted by index */
	world_clear(&w);
}

/* FNV-1a 32 of the UUID text, low 30 bits, bit 30 set (values from a reference FNV-1a). The
 * same files in another order get the same indexes. */
static void index_uuid_derived(void **state)
{
	struct world w;
	uint32_t ia, ib, ic;
	struct vm *t;

	(void)state;
	assert_int_equal(account_uuid_index(""), 1092394437u);
	assert_int_equal(account_uuid_index("a"), 1678518572u);
	assert_int_equal(account_uuid_index("uuid-a"), 1158746820u);
	world_init(&w, two_nodes, 2);
	add_vm(&w, "a", 1, GiB);
	add_vm(&w, "b", 1, GiB);
	add_vm(&w, "c", 1, GiB);
	build(&w);
	ia = vm_named(w.m, "a")->index;
	ib = vm_named(w.m, "b")->index;
	ic = vm_named(w.m, "c")->index;
	assert_int_equal(ia, 1158746820u);
	assert_true(ib >= 1073741824u && ib <= 2147483647u);
	t = w.vms[0];
	w.vms[0] = w.vms[2];
	w.vms[2] = t;
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->index, ia);
	assert_int_equal(vm_named(w.m, "b")->index, ib);
	assert_int_equal(vm_named(w.m, "c")->index, ic);
	world_clear(&w);
}

static uint32_t fnv_full(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Find a string "w<k><b1><b2>" whose account_uuid_index is target, k > *from. FNV-1a's last
 * step (h ^ b2) x prime is invertible, so for each prefix and b1 only one b2 can fit. */
static void uuid_with_index(uint32_t target, unsigned *from, char *out, size_t outlen)
{
	uint32_t inv = 16777619u;
	unsigned k, t, i, b1;

	for (i = 0; i < 5; i++) /* Newton: inverse of the FNV prime modulo 2^32 */
		inv *= 2u - 16777619u * inv;
	for (k = *from + 1;; k++) {
		char prefix[16];
		uint32_t h;

		snprintf(prefix, sizeof(prefix), "w%u", k);
		h = fnv_full(prefix);
		for (b1 = 1; b1 < 256; b1++) {
			uint32_t h1 = (h ^ b1) * 16777619u;

			for (t = 0; t < 4; t++) {
				uint32_t want = (t << 30) | (target & 0x3fffffffu);
				uint32_t b2 = (want * inv) ^ h1;

				if (b2 != 0 && b2 < 256) {
					snprintf(out, outlen, "%s%c%c", prefix, (char)b1, (char)b2);
					*from = k;
					assert_int_equal(account_uuid_index(out), target);
					return;
				}
			}
		}
	}
}

static void set_uuid(struct vm *vm, const char *uuid)
{
	free(vm->uuid);
	vm->uuid = xstrdup(uuid);
}

/* Collision: x and y share UUID index X; z has domain id X + 1. Ids go first (z = X + 1), then
 * the smaller UUID takes X and the other probes past X and X + 1 to X + 2. */
static void index_collision_probing(void **state)
{
	const uint32_t X = 1073741824u + 12345u;
	char u1[32], u2[32];
	unsigned from = 0;
	struct world w;
	const char *lo, *hi;

	(void)state;
	uuid_with_index(X, &from, u1, sizeof(u1));
	uuid_with_index(X, &from, u2, sizeof(u2));
	lo = strcmp(u1, u2) < 0 ? "x" : "y";
	hi = strcmp(u1, u2) < 0 ? "y" : "x";
	world_init(&w, two_nodes, 2);
	set_uuid(add_vm(&w, "x", 1, GiB), u1);
	set_uuid(add_vm(&w, "y", 1, GiB), u2);
	add_vm(&w, "z", 1, GiB)->id = X + 1;
	build(&w);
	assert_int_equal(vm_named(w.m, "z")->index, X + 1);
	assert_int_equal(vm_named(w.m, lo)->index, X);
	assert_int_equal(vm_named(w.m, hi)->index, X + 2);
	world_clear(&w);
}

/* Probing wraps from 2147483647 to 1073741824. */
static void index_probing_wraps(void **state)
{
	char u1[32], u2[32];
	unsigned from = 0;
	struct world w;
	const char *lo, *hi;

	(void)state;
	uuid_with_index(2147483647u, &from, u1, sizeof(u1));
	uuid_with_index(2147483647u, &from, u2, sizeof(u2));
	lo = strcmp(u1, u2) < 0 ? "x" : "y";
	hi = strcmp(u1, u2) < 0 ? "y" : "x";
	world_init(&w, two_nodes, 2);
	set_uuid(add_vm(&w, "x", 1, GiB), u1);
	set_uuid(add_vm(&w, "y", 1, GiB), u2);
	build(&w);
	assert_int_equal(vm_named(w.m, lo)->index, 2147483647u);
	assert_int_equal(vm_named(w.m, hi)->index, 1073741824u);
	world_clear(&w);
}

/* b.xml and a.xml both claim domain id 5 (b listed first): a.xml wins by file name, b.xml gets
 * its UUID-derived index and a warning. */
static void index_duplicate_domain_id(void **state)
{
	struct world w;
	char want[160];

	(void)state;
	world_init(&w, two_nodes, 2);
	add_vm(&w, "b", 1, GiB)->id = 5;
	add_vm(&w, "a", 1, GiB)->id = 5;
	build(&w);
	assert_int_equal(vm_named(w.m, "a")->index, 5);
	assert_int_equal(vm_named(w.m, "b")->index, account_uuid_index("uuid-b"));
	assert_int_equal(nwarnings_for(w.m, "a.xml"), 0);
	snprintf(want, sizeof(want),
		 "domain id 5 is also claimed by a.xml; numaVmIndex %u is derived from the UUID "
		 "instead",
		 account_uuid_index("uuid-b"));
	assert_string_equal(warning_for(w.m, "b.xml"), want);
	world_clear(&w);
}

/* ---------------------------------------------------------------- VM index map */

static struct model *build_mapped(struct world *w, struct vmindex *map, int64_t now)
{
	char *files[ARRAY_SIZE(w->vms)];
	size_t i;

	for (i = 0; i < w->nvms; i++)
		files[i] = xasprintf("%s.xml", w->vms[i]->name);
	model_unref(w->m);
	w->m = account_build_indexed(w->host, w->vms, (const char *const *)files, w->nvms,
				     &w->cfg, map, now);
	for (i = 0; i < w->nvms; i++)
		free(files[i]);
	return w->m;
}

/* A canonical UUID from a number: 00000000-0000-0000-0000-<k in 12 hex digits>. */
static void uuid_of(struct vm *vm, unsigned long long k)
{
	free(vm->uuid);
	vm->uuid = xasprintf("00000000-0000-0000-0000-%012llx", k);
}

static struct vm *add_mapped(struct world *w, const char *name, unsigned long long k, long long id)
{
	struct vm *vm = add_vm(w, name, 1, GiB);

	uuid_of(vm, k);
	vm->id = id;
	return vm;
}

/* Take VM name out of the world (it stopped and its file is gone). */
static void remove_vm(struct world *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nvms; i++)
		if (strcmp(w->vms[i]->name, name) == 0) {
			tb_vm_free(w->vms[i]);
			w->vms[i] = w->vms[--w->nvms];
			return;
		}
	fail_msg("no VM %s", name);
}

/* The VMs restart (new domain ids, c now holds a's old id) and a new VM d comes up with b's
 * old id: a, b and c keep their first indexes; d gets no number the map holds. */
static void index_map_restart(void **state)
{
	struct vmindex *map = vmindex_new();
	struct world w;

	(void)state;
	world_init(&w, two_nodes, 2);
	add_mapped(&w, "a", 1, 1);
	add_mapped(&w, "b", 2, 2);
	add_mapped(&w, "c", 3, 3);
	build_mapped(&w, map, 100);
	assert_int_equal(vm_named(w.m, "a")->index, 1);
	assert_int_equal(vm_named(w.m, "c")->index, 3);
	assert_int_equal(map->n, 3);
	assert_true(map->changed);
	vmindex_saved(map);
	w.vms[0]->id = 7;
	w.vms[1]->id = -1; /* b is defined but not running */
	w.vms[2]->id = 1;
	add_mapped(&w, "d", 4, 2);
	build_mapped(&w, map, 200);
	assert_int_equal(vm_named(w.m, "a")->index, 1);
	assert_int_equal(vm_named(w.m, "a")->domain_id, 7);
	assert_int_equal(vm_named(w.m, "b")->index, 2);
	assert_int_equal(vm_named(w.m, "b")->domain_id, -1);
	assert_int_equal(vm_named(w.m, "c")->index, 3);
	assert_int_equal(vm_named(w.m, "d")->index,
			 account_uuid_index("00000000-0000-0000-0000-000000000004"));
	assert_int_equal(map->n, 4);
	assert_int_equal(vmindex_find_uuid(map, w.vms[0]->uuid)->last_seen, 200);
	world_clear(&w);
	vmindex_free(map);
}

/* A VM that went away keeps its number: a new VM with its old domain id gets another. */
static void index_map_no_reuse(void **state)
{
	struct vmindex *map = vmindex_new();
	struct world w;

	(void)state;
	world_init(&w, two_nodes, 2);
	add_mapped(&w, "a", 1, 5);
	build_mapped(&w, map, 100);
	assert_int_equal(vm_named(w.m, "a")->index, 5);
	remove_vm(&w, "a");
	add_mapped(&w, "e", 9, 5);
	build_mapped(&w, map, 200);
	assert_int_not_equal(vm_named(w.m, "e")->index, 5);
	assert_int_equal(vmindex_find_index(map, 5)->last_seen, 100);
	world_clear(&w);
	vmindex_free(map);
}

/* Two UUIDs whose derived indexes collide: the first by UUID takes X, the other X + 1, and
 * keeps it when the first goes and comes back (the map, not the probe order, decides). */
static void index_map_collision_sticks(void **state)
{
	enum { BITS = 20 };
	uint32_t *seen = xcalloc((size_t)1 << BITS, sizeof(*seen)); /* low bits -> k + 1 */
	unsigned long long k, lo = 0, hi = 0;
	struct vmindex *map = vmindex_new();
	struct world w;
	char u[40];
	uint32_t x;

	(void)state;
	for (k = 1; hi == 0; k++) { /* a birthday search: ~40000 UUIDs */
		uint32_t h;
		size_t slot;

		snprintf(u, sizeof(u), "00000000-0000-0000-0000-%012llx", k);
		h = account_uuid_index(u);
		for (slot = h & ((1u << BITS) - 1); seen[slot]; slot = (slot + 1) & ((1u << BITS) - 1)) {
			snprintf(u, sizeof(u), "00000000-0000-0000-0000-%012llx",
				 (unsigned long long)seen[slot] - 1);
			if (account_uuid_index(u) == h) {
				lo = seen[slot] - 1;
				hi = k;
				break;
			}
		}
		seen[slot] = (uint32_t)k + 1;
	}
	free(seen);
	snprintf(u, sizeof(u), "00000000-0000-0000-0000-%012llx", lo);
	x = account_uuid_index(u);
	world_init(&w, two_nodes, 2);
	add_mapped(&w, "lo", lo, -1);
	add_mapped(&w, "hi", hi, -1);
	build_mapped(&w, map, 1);
	assert_int_equal(vm_named(w.m, "lo")->index, x);
	assert_int_equal(vm_named(w.m, "hi")->index, x == VMINDEX_INDEX_MAX ? 1073741824u : x + 1);
	remove_vm(&w, "lo");
	build_mapped(&w, map, 2);
	assert_int_equal(vm_named(w.m, "hi")->index, x == VMINDEX_INDEX_MAX ? 1073741824u : x + 1);
	add_mapped(&w, "lo", lo, -1);
	build_mapped(&w, map, 3);
	assert_int_equal(vm_named(w.m, "lo")->index, x);
	world_clear(&w);
	vmindex_free(map);
}

/* A full map forgets the longest-unseen absent UUID (never a present one) for a new one. */
static void index_map_full(void **state)
{
	struct vmindex *map = vmindex_new();
	struct world w;
	char u[40];
	size_t i;

	(void)state;
	for (i = 0; i < VMINDEX_MAX_ENTRIES; i++) {
		snprintf(u, sizeof(u), "00000000-0000-0000-0001-%012zx", i);
		assert_int_equal(vmindex_add(map, u, (uint32_t)(1000 + i), (int64_t)(10 + i), NULL, 0), 0);
	}
	assert_int_equal(vmindex_add(map, "00000000-0000-0000-0000-000000000099", 99, 0, NULL, 0), -1);
	world_init(&w, two_nodes, 2);
	/* the oldest entry (index 1000, seen at 10) is present again: 1001 goes instead */
	add_mapped(&w, "old", 0, 3);
	free(w.vms[0]->uuid);
	w.vms[0]->uuid = xstrdup("00000000-0000-0000-0001-000000000000");
	add_mapped(&w, "new", 7, 5);
	build_mapped(&w, map, 1000000);
	assert_int_equal(vm_named(w.m, "old")->index, 1000);
	assert_int_equal(vm_named(w.m, "new")->index, 5);
	assert_int_equal(map->n, VMINDEX_MAX_ENTRIES);
	assert_non_null(vmindex_find_index(map, 1000));
	assert_null(vmindex_find_index(map, 1001));
	assert_non_null(vmindex_find_index(map, 1002));
	assert_non_null(vmindex_find_uuid(map, "00000000-0000-0000-0000-000000000007"));
	assert_int_equal(nwarnings_for(w.m, "new.xml"), 0);
	world_clear(&w);
	vmindex_free(map);
}

/* Two files with one UUID: the first by name is remembered, the other warned about. */
static void index_map_shared_uuid(void **state)
{
	struct vmindex *map = vmindex_new();
	struct world w;

	(void)state;
	world_init(&w, two_nodes, 2);
	add_mapped(&w, "b", 1, 4);
	add_mapped(&w, "a", 1, 3);
	build_mapped(&w, map, 1);
	assert_int_equal(vm_named(w.m, "a")->index, 3);
	assert_int_equal(vm_named(w.m, "b")->index, 4);
	assert_int_equal(map->n, 1);
	assert_string_equal(warning_for(w.m, "b.xml"),
			    "UUID also used by a.xml; numaVmIndex 4 is not remembered across "
			    "restarts");
	world_clear(&w);
	vmindex_free(map);
}

/* ---------------------------------------------------------------- model.c */

static struct node_row l_nodes[] = {{.id = 0}, {.id = 2}};
static struct vm_row l_vms[] = {{.index = 5}, {.index = 9}};
static struct assign_row l_assigns[] = {
    {.vm = 5, .node = 0}, {.vm = 5, .node = 2}, {.vm = 9, .node = 1}};
static struct vcpu_row l_vcpus[] = {
    {.vm = 5, .vcpu = 0}, {.vm = 5, .vcpu = 3}, {.vm = 9, .vcpu = 1}};
static struct dist_row l_dists[] = {{0, 0, 10}, {0, 2, 20}, {2, 0, 20}, {2, 2, 10}};
static struct huge_row l_huges[] = {
    {.node = 0, .size_kib = 2048}, {.node = 0, .size_kib = 1048576}, {.node = 2, .size_kib = 2048}};

static struct model lookup_model(void)
{
	struct model m = {0};

	m.nodes = l_nodes;
	m.nnodes = ARRAY_SIZE(l_nodes);
	m.vms = l_vms;
	m.nvms = ARRAY_SIZE(l_vms);
	m.assigns = l_assigns;
	m.nassigns = ARRAY_SIZE(l_assigns);
	m.vcpus = l_vcpus;
	m.nvcpus = ARRAY_SIZE(l_vcpus);
	m.dists = l_dists;
	m.ndists = ARRAY_SIZE(l_dists);
	m.huges = l_huges;
	m.nhuges = ARRAY_SIZE(l_huges);
	return m;
}

/* Exact lookups: present, absent between rows, absent past the end. */
static void model_exact_lookups(void **state)
{
	struct model m = lookup_model();

	(void)state;
	assert_ptr_equal(model_node(&m, 0), &l_nodes[0]);
	assert_ptr_equal(model_node(&m, 2), &l_nodes[1]);
	assert_null(model_node(&m, 1));
	assert_null(model_node(&m, 3));
	assert_ptr_equal(model_vm(&m, 5), &l_vms[0]);
	assert_ptr_equal(model_vm(&m, 9), &l_vms[1]);
	assert_null(model_vm(&m, 0));
	assert_null(model_vm(&m, 7));
	assert_null(model_vm(&m, UINT32_MAX));
}

struct lower_case {
	uint64_t k1, k2;
	size_t want;
};

/* lower_bound at the edges: before the first row, equal, between, on the last, after it. */
static void model_lower_bounds(void **state)
{
	static const struct lower_case nodes[] = {{0, 0, 0}, {1, 0, 1}, {2, 0, 1}, {3, 0, 2}};
	static const struct lower_case vms[] = {{0, 0, 0}, {5, 0, 0},  {6, 0, 1},
						{9, 0, 1}, {10, 0, 2}, {UINT32_MAX, 0, 2}};
	static const struct lower_case pairs[] = {{0, 0, 0}, {5, 0, 0}, {5, 1, 1}, {5, 2, 1},
						  {5, 3, 1}, {5, 4, 2}, {6, 0, 2}, {9, 1, 2},
						  {9, 2, 3}, {10, 0, 3}};
	static const struct lower_case dists[] = {{0, 0, 0}, {0, 1, 1}, {1, 5, 2}, {2, 0, 2},
						  {2, 2, 3}, {2, 3, 4}, {3, 0, 4}};
	static const struct lower_case huges[] = {{0, 0, 0},	   {0, 2048, 0},    {0, 4096, 1},
						  {0, 1048576, 1}, {0, 1048577, 2}, {1, 0, 2},
						  {2, 2048, 2},	   {2, 2049, 3}};
	struct model m = lookup_model();
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(nodes); i++)
		assert_int_equal(model_node_lower(&m, (unsigned)nodes[i].k1), nodes[i].want);
	for (i = 0; i < ARRAY_SIZE(vms); i++)
		assert_int_equal(model_vm_lower(&m, (uint32_t)vms[i].k1), vms[i].want);
	/* assigns: (5,0) (5,2) (9,1); vcpus: (5,0) (5,3) (9,1) */
	assert_int_equal(model_assign_lower(&m, 5, 1), 1);
	assert_int_equal(model_assign_lower(&m, 9, 1), 2);
	assert_int_equal(model_assign_lower(&m, 9, 2), 3);
	for (i = 0; i < ARRAY_SIZE(pairs); i++)
		assert_int_equal(model_vcpu_lower(&m, (uint32_t)pairs[i].k1, (unsigned)pairs[i].k2),
				 pairs[i].want);
	for (i = 0; i < ARRAY_SIZE(dists); i++)
		assert_int_equal(model_dist_lower(&m, (unsigned)dists[i].k1, (unsigned)dists[i].k2),
				 dists[i].want);
	for (i = 0; i < ARRAY_SIZE(huges); i++)
		assert_int_equal(model_huge_lower(&m, (unsigned)huges[i].k1, huges[i].k2),
				 huges[i].want);
}

/* An empty model (no nodes, no VMs, as from a host without sysfs): every search returns 0. */
static void model_empty(void **state)
{
	struct model *m;

	(void)state;
	m = account_build(NULL, NULL, NULL, 0, NULL);
	assert_int_equal(m->nnodes + m->nvms + m->nassigns + m->nvcpus + m->ndists + m->nhuges, 0);
	assert_int_equal(m->cpu_ratio_pct, 100);
	assert_null(model_node(m, 0));
	assert_null(model_vm(m, 1));
	assert_int_equal(model_node_lower(m, 0), 0);
	assert_int_equal(model_vm_lower(m, 0), 0);
	assert_int_equal(model_assign_lower(m, 1, 1), 0);
	assert_int_equal(model_vcpu_lower(m, 1, 1), 0);
	assert_int_equal(model_dist_lower(m, 1, 1), 0);
	assert_int_equal(model_huge_lower(m, 1, 1), 0);
	model_unref(m);
}

/* A snapshot lives while anybody holds it; the builder's reference is the first. */
static void model_refcount(void **state)
{
	struct world w;
	struct model *m;

	(void)state;
	world_init(&w, two_nodes, 2);
	add_vm(&w, "a", 1, GiB);
	m = model_ref(build(&w));
	assert_ptr_equal(m, w.m);
	assert_int_equal(m->refs, 2);
	model_unref(m);
	assert_int_equal(w.m->refs, 1);
	assert_string_equal(w.m->vms[0].name, "a"); /* still alive */
	model_unref(NULL);
	model_free(NULL);
	assert_null(model_ref(NULL));
	world_clear(&w); /* the last unref frees it (ASan/valgrind check) */
}

static void model_problems_and_names(void **state)
{
	struct problem *p = NULL;
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < 20; i++)
		model_add_problem(&p, &n, i ? "f.xml" : NULL, "bad");
	assert_int_equal(n, 20);
	assert_string_equal(p[0].file, "");
	assert_string_equal(p[19].file, "f.xml");
	assert_string_equal(p[19].reason, "bad");
	for (i = 0; i < n; i++) {
		free(p[i].file);
		free(p[i].reason);
	}
	free(p);
	assert_string_equal(placement_name(PLACEMENT_LOCAL), "local");
	assert_string_equal(placement_name(PLACEMENT_MULTINODE), "multinode");
	assert_string_equal(placement_name(PLACEMENT_SPANNING), "spanning");
	assert_string_equal(placement_name(PLACEMENT_PARTIAL), "partial");
	assert_string_equal(placement_name(PLACEMENT_FLOATING), "floating");
}

static void config_defaults(void **state)
{
	struct account_config c;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	account_config_init(&c);
	assert_int_equal(c.cpu_ratio_pct, 100);
	assert_int_equal(c.mem_ratio_pct, 100);
	assert_int_equal(c.reserved_all, 0);
	assert_null(c.reserved);
	assert_int_equal(c.nreserved, 0);
	assert_int_equal(c.default_huge_kib, 2048);
	c.reserved = xcalloc(1, sizeof(*c.reserved));
	c.nreserved = 1;
	account_config_clear(&c);
	assert_null(c.reserved);
	assert_int_equal(c.nreserved, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(r1_online_vcpus_current),
	    cmocka_unit_test(r1_vcpus_list_enabled_no),
	    cmocka_unit_test(r2_affinity_precedence),
	    cmocka_unit_test(numad_vcpus_and_memory),
	    cmocka_unit_test(nonexistent_cpu_dropped),
	    cmocka_unit_test(r3_bound_spanning_floating),
	    cmocka_unit_test(spanning_counts_once_per_node),
	    cmocka_unit_test(r4_cells_and_memory_devices),
	    cmocka_unit_test(r4_implicit_cell),
	    cmocka_unit_test(r5_binding_sources),
	    cmocka_unit_test(memnode_beats_numatune_memory),
	    cmocka_unit_test(nonexistent_node_dropped),
	    cmocka_unit_test(r6_remainder_split),
	    cmocka_unit_test(r7_remote_vcpu),
	    cmocka_unit_test(r8_demand_rounded_per_vm_and_node),
	    cmocka_unit_test(r8_page_entries_and_memdevs_by_cell_id),
	    cmocka_unit_test(r8_pool_and_huge_memory_excluded),
	    cmocka_unit_test(r8_size_without_pool),
	    cmocka_unit_test(r8_nodeset_some_cells),
	    cmocka_unit_test(r8_default_size),
	    cmocka_unit_test(r9_node_sums_and_limits),
	    cmocka_unit_test(memory_only_node),
	    cmocka_unit_test(cpu_limit_zero),
	    cmocka_unit_test(allocation_ratios),
	    cmocka_unit_test(reserved_memory),
	    cmocka_unit_test(r10_placement_classes),
	    cmocka_unit_test(r11_remote_rule),
	    cmocka_unit_test(r11_devices),
	    cmocka_unit_test(memory_modes),
	    cmocka_unit_test(vm_row_fields),
	    cmocka_unit_test(host_rows),
	    cmocka_unit_test(index_domain_id),
	    cmocka_unit_test(index_uuid_derived),
	    cmocka_unit_test(index_collision_probing),
	    cmocka_unit_test(index_probing_wraps),
	    cmocka_unit_test(index_duplicate_domain_id),
	    cmocka_unit_test(index_map_restart),
	    cmocka_unit_test(index_map_no_reuse),
	    cmocka_unit_test(index_map_collision_sticks),
	    cmocka_unit_test(index_map_full),
	    cmocka_unit_test(index_map_shared_uuid),
	    cmocka_unit_test(model_exact_lookups),
	    cmocka_unit_test(model_lower_bounds),
	    cmocka_unit_test(model_empty),
	    cmocka_unit_test(model_refcount),
	    cmocka_unit_test(model_problems_and_names),
	    cmocka_unit_test(config_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
