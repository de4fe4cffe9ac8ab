/* SPDX-License-Identifier: BSD-3-Clause */
/* account_vcpu.c: the rules for one VM's vCPUs: which are online (R1), their affinity (R2),
 * bound or spanning (R3), remote from their cell's memory (R7); one vCPU row each. */
#include "core/account_impl.h"

#include "core/util.h"

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* R1: sorted, without duplicates. */
static unsigned *online_vcpus(const struct vm *vm, unsigned *n)
{
	unsigned *ids;
	size_t i, k = 0;

	if (vm->has_vcpus_list) {
		ids = xcalloc(vm->nvcpus, sizeof(*ids));
		for (i = 0; i < vm->nvcpus; i++)
			if (vm->vcpus[i].enabled)
				ids[k++] = vm->vcpus[i].id;
		qsort_empty_ok(ids, k, sizeof(*ids), cmp_unsigned);
		for (i = 0, *n = 0; i < k; i++)
			if (*n == 0 || ids[*n - 1] != ids[i])
				ids[(*n)++] = ids[i];
		return ids;
	}
	/* the parser's own bound: never allocate for a count it would have refused */
	*n = vm->vcpu_current < VM_MAX_VCPUS ? vm->vcpu_current : VM_MAX_VCPUS;
	ids = xcalloc(*n, sizeof(*ids));
	for (i = 0; i < *n; i++)
		ids[i] = (unsigned)i;
	return ids;
}

/* Pointer order is document order within one array, so ties keep the first element. */
static int cmp_pin(const void *a, const void *b)
{
	const struct pin *x = *(const struct pin *const *)a, *y = *(const struct pin *const *)b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_tid(const void *a, const void *b)
{
	const struct vcpu_tid *x = *(const struct vcpu_tid *const *)a;
	const struct vcpu_tid *y = *(const struct vcpu_tid *const *)b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void index_vcpu_data(struct vmctx *v)
{
	const struct vm *vm = v->vm;
	size_t i;

	v->pins = xcalloc(vm->nvcpupins, sizeof(*v->pins));
	for (i = 0; i < vm->nvcpupins; i++)
		v->pins[i] = &vm->vcpupins[i];
	qsort_empty_ok(v->pins, vm->nvcpupins, sizeof(*v->pins), cmp_pin);
	v->tids = xcalloc(vm->ntids, sizeof(*v->tids));
	for (i = 0; i < vm->ntids; i++)
		v->tids[i] = &vm->tids[i];
	qsort_empty_ok(v->tids, vm->ntids, sizeof(*v->tids), cmp_tid);
}

static const struct pin *find_pin(const struct vmctx *v, unsigned id)
{
	size_t lo = 0, hi = v->vm->nvcpupins;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->pins[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->vm->nvcpupins && v->pins[lo]->id == id ? v->pins[lo] : NULL;
}

static uint64_t find_tid(const struct vmctx *v, unsigned id)
{
	size_t lo = 0, hi = v->vm->ntids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->tids[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->vm->ntids && v->tids[lo]->id == id ? v->tids[lo]->tid : 0;
}

const struct cpuset *account_numad_cpus(const struct ctx *c, struct vmctx *v)
{
	const struct vm *vm = v->vm;
	int n;

	if (vm->numad_cpuset)
		return vm->numad_cpuset;
	if (vm->numad_nodeset == NULL)
		return NULL;
	if (v->numad_cpus == NULL) {
		v->numad_cpus = cpuset_new(CPUSET_MAX_CPUS);
		for (n = cpuset_first(vm->numad_nodeset); n >= 0;
		     n = cpuset_next(vm->numad_nodeset, n)) {
			size_t p = topo_pos(&c->topo, (unsigned)n);

			if (p != NO_POS && c->topo.host->nodes[p].cpus)
				cpuset_union(v->numad_cpus, c->topo.host->nodes[p].cpus);
		}
	}
	return v->numad_cpus;
}

/* R2: the affinity libvirt gives vCPU id, NULL when floating. */
static const struct cpuset *vcpu_source(const struct ctx *c, struct vmctx *v, unsigned id,
					unsigned *src)
{
	const struct pin *p = find_pin(v, id);

	if (p && p->cpus) {
		*src = SRC_VCPUPIN;
		return p->cpus;
	}
	if (v->vm->vcpu_cpuset) {
		*src = SRC_VCPU_CPUSET;
		return v->vm->vcpu_cpuset;
	}
	*src = SRC_NUMAD_CPUSET; /* numad nodeset CPUs all exist, so only its cpuset can warn */
	return v->vm->vcpu_placement_auto ? account_numad_cpus(c, v) : NULL;
}

/* R3: returns the node a bound vCPU is on, else -1 (spanning or floating). */
static int place_vcpu(const struct ctx *c, struct vmctx *v, const struct cpuset *aff)
{
	const struct host *h = c->topo.host;
	size_t i, first = NO_POS, count = 0;

	for (i = 0; i < h->nnodes; i++) {
		if (h->nodes[i].cpus == NULL || !cpuset_intersects(aff, h->nodes[i].cpus))
			continue;
		if (count++ == 0) {
			first = i;
			continue;
		}
		if (count == 2)
			add_uns(&v->share[first].vcpus_spanning, 1);
		add_uns(&v->share[i].vcpus_spanning, 1);
	}
	if (count == 0) {
		v->nfloating++;
		return -1;
	}
	if (count > 1) {
		v->nspanning++;
		return -1;
	}
	add_uns(&v->share[first].vcpus, 1);
	v->nbound++;
	return (int)h->nodes[first].id;
}

/* The cell listing the vCPU; one that no cell lists is in cell 0, as libvirt puts it there
 * (virDomainNumaFillCPUsInNode), else the first cell when no cell has id 0. */
static const struct gcell *vcpu_cell(const struct vmctx *v, unsigned id)
{
	size_t i;

	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].vcpus == NULL || cpuset_test(v->cells[i].vcpus, id))
			return &v->cells[i];
	if (v->ncells == 0)
		return NULL;
	return v->ncellpos > 0 && v->cellpos[0] ? &v->cells[v->cellpos[0] - 1] : &v->cells[0];
}

static void account_vcpu(struct ctx *c, struct vmctx *v, unsigned id)
{
	unsigned src = 0;
	const struct cpuset *want = vcpu_source(c, v, id, &src);
	struct cpuset *aff = want ? cpuset_dup(want) : cpuset_new(CPUSET_MAX_CPUS);
	const struct gcell *g = vcpu_cell(v, id);
	struct vcpu_row *r;
	int node;

	if (want)
		account_drop_missing(aff, c->topo.cpus, &v->bad_cpus, &v->bad_cpu_src, src);
	node = place_vcpu(c, v, aff);
	r = array_push(&c->m->vcpus, &c->m->nvcpus, &c->capvcpus, sizeof(*r));
	r->vm = v->index;
	r->vcpu = id;
	r->affinity = cpuset_format(aff);
	r->node = node;
	r->cell = g ? (int)(g->id > INT_MAX ? INT_MAX : g->id) : -1;
	/* R7: only a bound vCPU in a bound cell can be remote */
	r->remote = node >= 0 && g && g->nodes && !cpuset_test(g->nodes, (unsigned)node);
	if (r->remote)
		v->remote++;
	r->tid = find_tid(v, id);
	account_run_vcpu(c, r, want ? aff : NULL);
	cpuset_free(aff);
}

void account_vcpus(struct ctx *c, struct vmctx *v)
{
	unsigned *ids, i;

	index_vcpu_data(v);
	ids = online_vcpus(v->vm, &v->nonline);
	for (i = 0; i < v->nonline; i++)
		account_vcpu(c, v, ids[i]);
	free(ids);
}
