/* SPDX-License-Identifier: BSD-3-Clause */
/* account_node.c: the per-node rule R9: every VM's share of a node summed, the node's limits,
 * headroom and use, its hugepage and distance rows; and every table sorted by its MIB index. */
#include "core/account_impl.h"
#include "core/arith.h"

#include "core/util.h"

/* ---------------------------------------------------------------- R9: sums */

void account_node_add_share(struct nodeacc *a, const struct share *s)
{
	add_uns(&a->vcpus_bound, s->vcpus);
	add_uns(&a->vcpus_spanning, s->vcpus_spanning);
	add_sat(&a->mem_used, s->mem);
	add_sat(&a->mem_spanning, s->mem_spanning);
	add_sat(&a->mem_huge, s->mem_huge);
	add_uns(&a->vm_count, 1);
}

struct demand *account_node_demand(struct nodeacc *a, uint64_t size_kib)
{
	struct demand *d;
	size_t i;

	for (i = 0; i < a->ndemand; i++)
		if (a->demand[i].size_kib == size_kib)
			return &a->demand[i];
	d = array_push(&a->demand, &a->ndemand, &a->capdemand, sizeof(*d));
	d->size_kib = size_kib;
	return d;
}

/* R8's demand, summed per page size over the VMs on the node. */
void account_node_add_demand(struct nodeacc *a, uint64_t size_kib, uint64_t pages)
{
	add_sat(&account_node_demand(a, size_kib)->pages, pages);
}

/* ---------------------------------------------------------------- R9: limits and rows */

static uint64_t reserved_for(const struct account_config *cfg, unsigned node)
{
	uint64_t r = cfg->reserved_all;
	size_t i;

	for (i = 0; i < cfg->nreserved; i++) /* the last directive for a node wins */
		if (cfg->reserved[i].node == node)
			r = cfg->reserved[i].bytes;
	return r;
}

static uint64_t pool_bytes(const struct node *n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n->nhuge; i++) {
		uint64_t b;

		if (__builtin_mul_overflow(n->huge[i].nr, n->huge[i].size_kib, &b) ||
		    __builtin_mul_overflow(b, 1024, &b))
			b = UINT64_MAX;
		add_sat(&sum, b);
	}
	return sum;
}

/* (MemTotal - hugepage pool - reserved) x ratio, never below 0. */
static uint64_t mem_limit(const struct account_config *cfg, const struct node *n, uint64_t pool)
{
	uint64_t avail = n->mem_total, res = reserved_for(cfg, n->id);

	avail = avail > pool ? avail - pool : 0;
	avail = avail > res ? avail - res : 0;
	return arith_ratio_floor(avail, cfg->mem_ratio_pct);
}

static void fill_node(const struct ctx *c, size_t i, struct node_row *r)
{
	const struct node *n = &c->topo.host->nodes[i];
	const struct nodeacc *a = &c->acc[i];
	uint64_t use = a->mem_used > a->mem_huge ? a->mem_used - a->mem_huge : 0;

	r->id = n->id;
	r->cpulist = n->cpus ? cpuset_format(n->cpus) : xstrdup("");
	r->cpu_capacity = n->cpus ? cpuset_count(n->cpus) : 0;
	r->mem_total = n->mem_total;
	r->mem_free = n->mem_free;
	r->vcpus_bound = a->vcpus_bound;
	r->vcpus_spanning = a->vcpus_spanning;
	r->mem_used = a->mem_used;
	r->mem_spanning = a->mem_spanning;
	r->mem_huge = a->mem_huge;
	r->vm_count = a->vm_count;
	r->huge_pool = pool_bytes(n);
	r->cpu_limit = arith_ratio_floor(r->cpu_capacity, c->cfg->cpu_ratio_pct);
	r->mem_limit = mem_limit(c->cfg, n, r->huge_pool);
	r->cpu_headroom = arith_diff_sat(r->cpu_limit, r->vcpus_bound);
	r->mem_headroom = arith_diff_sat(r->mem_limit, use);
	r->cpu_used_pct = arith_pct_ceil(r->vcpus_bound, r->cpu_limit);
	r->mem_used_pct = arith_pct_ceil(use, r->mem_limit);
	r->cpu_pct_none = r->cpu_limit == 0 && r->vcpus_bound > 0;
	r->mem_pct_none = r->mem_limit == 0 && use > 0;
	r->cpu_over = r->vcpus_bound > r->cpu_limit;
	r->mem_over = use > r->mem_limit;
	r->mem_known = n->has_meminfo;
	if (!r->mem_known) { /* unknown, not 0: no limit, no headroom, no verdict */
		r->mem_limit = 0;
		r->mem_headroom = 0;
		r->mem_used_pct = 0;
		r->mem_pct_none = false; /* not "over a limit of 0": no value at all (mem_known) */
		r->mem_over = false;
	}
	r->pci_devices = a->pci_devices;
	r->numastat = n->numastat;
	r->mem_resident_vms = a->mem_resident;
	r->vcpus_running = a->vcpus_running;
}

static uint64_t take_demand(struct nodeacc *a, uint64_t size_kib)
{
	size_t i;

	for (i = 0; i < a->ndemand; i++) {
		if (a->demand[i].size_kib == size_kib && !a->demand[i].matched) {
			a->demand[i].matched = true;
			return a->demand[i].pages;
		}
	}
	return 0;
}

static struct huge_row *push_huge(struct ctx *c, struct node_row *nr, uint64_t size_kib)
{
	struct huge_row *h = array_push(&c->m->huges, &c->m->nhuges, &c->caphuges, sizeof(*h));

	h->node = nr->id;
	h->size_kib = size_kib;
	return h;
}

/* A row per sysfs pool, plus one per size only VMs ask for (0 pages: every demand is over). */
static void emit_huges(struct ctx *c, size_t i, struct node_row *nr)
{
	const struct node *n = &c->topo.host->nodes[i];
	struct nodeacc *a = &c->acc[i];
	struct huge_row *h;
	size_t j;

	for (j = 0; j < n->nhuge; j++) {
		h = push_huge(c, nr, n->huge[j].size_kib);
		h->total = n->huge[j].nr;
		h->free = n->huge[j].free;
		h->surplus = n->huge[j].surplus;
		h->demand = take_demand(a, h->size_kib);
		h->over = h->demand > h->total;
		nr->huge_over |= h->over;
	}
	for (j = 0; j < a->ndemand; j++) {
		if (a->demand[j].matched)
			continue;
		h = push_huge(c, nr, a->demand[j].size_kib);
		h->demand = a->demand[j].pages;
		h->over = h->demand > 0;
		nr->huge_over |= h->over;
	}
}

void account_node_rows(struct ctx *c)
{
	const struct host *host = c->topo.host;
	size_t i, j;

	c->m->nnodes = host->nnodes;
	c->m->nodes = xcalloc(host->nnodes, sizeof(*c->m->nodes));
	for (i = 0; i < host->nnodes; i++) {
		const struct node *n = &host->nodes[i];

		fill_node(c, i, &c->m->nodes[i]);
		emit_huges(c, i, &c->m->nodes[i]);
		for (j = 0; j < n->ndist; j++) {
			struct dist_row *d =
			    array_push(&c->m->dists, &c->m->ndists, &c->capdists, sizeof(*d));

			d->node = n->id;
			d->peer = n->dist[j].peer;
			d->value = n->dist[j].value;
		}
	}
}

/* ---------------------------------------------------------------- sorting */

static int cmp_node_row(const void *a, const void *b)
{
	const struct node_row *x = a, *y = b;

	return cmp_key2(x->id, 0, y->id, 0);
}

static int cmp_dist_row(const void *a, const void *b)
{
	const struct dist_row *x = a, *y = b;

	return cmp_key2(x->node, x->peer, y->node, y->peer);
}

static int cmp_huge_row(const void *a, const void *b)
{
	const struct huge_row *x = a, *y = b;

	return cmp_key2(x->node, x->size_kib, y->node, y->size_kib);
}

static int cmp_vm_row(const void *a, const void *b)
{
	const struct vm_row *x = a, *y = b;

	return cmp_key2(x->index, 0, y->index, 0);
}

static int cmp_assign_row(const void *a, const void *b)
{
	const struct assign_row *x = a, *y = b;

	return cmp_key2(x->vm, x->node, y->vm, y->node);
}

static int cmp_vcpu_row(const void *a, const void *b)
{
	const struct vcpu_row *x = a, *y = b;

	return cmp_key2(x->vm, x->vcpu, y->vm, y->vcpu);
}

static int cmp_dev_row(const void *a, const void *b)
{
	const struct dev_row *x = a, *y = b;

	return cmp_key2(x->vm, x->ord, y->vm, y->ord);
}

void account_sort_host_rows(struct model *m)
{
	qsort_empty_ok(m->nodes, m->nnodes, sizeof(*m->nodes), cmp_node_row);
	qsort_empty_ok(m->dists, m->ndists, sizeof(*m->dists), cmp_dist_row);
	qsort_empty_ok(m->huges, m->nhuges, sizeof(*m->huges), cmp_huge_row);
}

void account_sort_vm_rows(struct model *m)
{
	qsort_empty_ok(m->vms, m->nvms, sizeof(*m->vms), cmp_vm_row);
	qsort_empty_ok(m->assigns, m->nassigns, sizeof(*m->assigns), cmp_assign_row);
	qsort_empty_ok(m->vcpus, m->nvcpus, sizeof(*m->vcpus), cmp_vcpu_row);
	qsort_empty_ok(m->devs, m->ndevs, sizeof(*m->devs), cmp_dev_row);
}
