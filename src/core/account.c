/* account.c: the accounting rules R1-R10 (README, "How the numbers are computed"): host
 * topology + parsed VMs + config -> one model snapshot. Pure: no I/O at all. */
#include "core/account.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpuset.h"
#include "core/util.h"

#define INDEX_MAX      2147483647u /* numaVmIndex is 1..2^31-1 */
#define UUID_INDEX_BIT 1073741824u /* UUID-derived indexes live in 2^30..2^31-1 */
#define NO_POS	       SIZE_MAX

/* ---------------------------------------------------------------- arithmetic */

/* Sums saturate instead of wrapping: 16 EiB of guest memory cannot exist, and a stuck maximum
 * is visibly wrong where a wrapped sum would look plausible. */
static void add_sat(uint64_t *a, uint64_t b)
{
	if (__builtin_add_overflow(*a, b, a))
		*a = UINT64_MAX;
}

static void add_uns(unsigned *a, unsigned b)
{
	if (__builtin_add_overflow(*a, b, a))
		*a = UINT_MAX;
}

/* Hugepages needed for bytes: ceil(bytes / (kib x 1024)). */
static uint64_t pages_for(uint64_t bytes, uint64_t kib)
{
	uint64_t page;

	if (bytes == 0 || kib == 0)
		return 0;
	if (__builtin_mul_overflow(kib, 1024, &page))
		return 1; /* a page over 16 EiB holds any amount */
	return bytes / page + (bytes % page != 0);
}

/* R9: ceil(100 x use / limit); 0 when unused; UINT32_MAX when the limit is 0 (or beyond). */
static uint32_t used_pct(uint64_t use, uint64_t limit)
{
	unsigned __int128 p;

	if (use == 0)
		return 0;
	if (limit == 0)
		return UINT32_MAX;
	p = ((unsigned __int128)use * 100 + limit - 1) / limit;
	return p > UINT32_MAX ? UINT32_MAX : (uint32_t)p;
}

static int64_t headroom(uint64_t limit, uint64_t use)
{
	__int128 d = (__int128)limit - (__int128)use;

	if (d > INT64_MAX)
		return INT64_MAX;
	if (d < INT64_MIN)
		return INT64_MIN;
	return (int64_t)d;
}

/* qsort() must not see the NULL of an empty array. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* ---------------------------------------------------------------- host lookups */

struct topo {
	const struct host *host;
	struct cpuset *cpus;	 /* every host CPU */
	struct cpuset *node_ids; /* every host node */
	size_t *pos;		 /* node id -> position in host->nodes, NO_POS when absent */
	size_t npos;
};

static void topo_init(struct topo *t, const struct host *h)
{
	size_t i;

	t->host = h;
	t->cpus = cpuset_new(CPUSET_MAX_CPUS);
	t->node_ids = cpuset_new(CPUSET_MAX_NODES);
	t->npos = 0;
	for (i = 0; i < h->nnodes; i++)
		if (h->nodes[i].id < CPUSET_MAX_NODES && h->nodes[i].id >= t->npos)
			t->npos = h->nodes[i].id + 1;
	t->pos = xcalloc(t->npos, sizeof(*t->pos));
	for (i = 0; i < t->npos; i++)
		t->pos[i] = NO_POS;
	for (i = 0; i < h->nnodes; i++) {
		const struct node *n = &h->nodes[i];

		if (n->id < t->npos && t->pos[n->id] == NO_POS) {
			t->pos[n->id] = i;
			cpuset_set(t->node_ids, n->id);
		}
		if (n->cpus)
			cpuset_union(t->cpus, n->cpus);
	}
}

static void topo_clear(struct topo *t)
{
	cpuset_free(t->cpus);
	cpuset_free(t->node_ids);
	free(t->pos);
}

static size_t topo_pos(const struct topo *t, unsigned id)
{
	return id < t->npos ? t->pos[id] : NO_POS;
}

/* ---------------------------------------------------------------- build state */

struct demand {
	uint64_t size_kib;
	uint64_t pages;
	bool matched; /* a sysfs pool of this size exists */
};

struct nodeacc { /* R9 sums for one host node */
	unsigned vcpus_bound, vcpus_spanning, vm_count;
	uint64_t mem_used, mem_spanning, mem_huge;
	struct demand *demand;
	size_t ndemand, capdemand;
};

struct ctx {
	const struct account_config *cfg;
	struct topo topo;
	struct nodeacc *acc; /* parallel to host->nodes */
	struct model *m;
	size_t capvms, capassigns, capvcpus, capdists, caphuges;
};

struct hpbytes { /* one VM's hugepage-backed bytes of one page size on one host node */
	uint64_t size_kib, bytes;
};

struct share { /* one VM's part of one host node */
	unsigned vcpus, vcpus_spanning;
	uint64_t mem, mem_spanning, mem_huge;
	struct hpbytes *huge; /* per page size, for R8's demand */
	size_t nhuge, caphuge;
};

struct gcell { /* a guest cell with its binding (R4, R5, R8) */
	unsigned id;
	const struct cpuset *vcpus; /* guest vCPU ids; NULL: every vCPU (the implicit cell) */
	uint64_t mem;		    /* bytes, memory devices included */
	struct cpuset *nodes;	    /* host nodes it is bound to; NULL: unbound */
	enum mem_mode mode;	    /* MEM_MODE_NONE when unbound */
	uint64_t huge_kib;	    /* 0: not hugepage-backed */
};

/* Where a set naming missing host ids came from, for the one warning per VM. */
enum { SRC_VCPUPIN, SRC_VCPU_CPUSET, SRC_NUMAD_CPUSET };
enum { SRC_MEMNODE, SRC_NUMATUNE, SRC_NUMAD_NODESET };
static const char *const cpu_src_names[] = {"vcpupin", "vcpu cpuset", "numad cpuset"};
static const char *const node_src_names[] = {"numatune memnode", "numatune memory",
					     "numad nodeset"};

struct vmctx {
	const struct vm *vm;
	const char *file;
	uint32_t index;
	struct gcell *cells;
	size_t ncells;
	size_t *cellpos;	   /* guest cell id -> position + 1 in cells, 0 = none */
	unsigned ncellpos;	   /* ids below this are indexed */
	uint64_t memory;	   /* every cell plus memory devices that fit no cell */
	struct share *share;	   /* parallel to host->nodes */
	size_t nshare;
	struct cpuset *numad_cpus; /* CPUs of the numad nodeset, computed once */
	struct cpuset *bad_cpus, *bad_nodes;
	unsigned bad_cpu_src, bad_node_src; /* bit masks of SRC_* */
	const struct pin **pins;	    /* vm->vcpupins sorted by (vcpu, document order) */
	const struct vcpu_tid **tids;	    /* likewise */
	unsigned nonline, nbound, nspanning, nfloating, remote;
};

static void warnf(struct ctx *c, const struct vmctx *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warnf(struct ctx *c, const struct vmctx *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	model_add_problem(&c->m->warnings, &c->m->nwarnings, v->file, msg);
}

/* Remove from set the ids that exist does not hold, remembering them for the warning. */
static void drop_missing(struct cpuset *set, const struct cpuset *exist, struct cpuset **bad,
			 unsigned *mask, unsigned src)
{
	struct cpuset *gone = cpuset_dup(set);

	cpuset_subtract(gone, exist);
	if (!cpuset_empty(gone)) {
		if (*bad == NULL)
			*bad = cpuset_new(cpuset_limit(set));
		cpuset_union(*bad, gone);
		*mask |= 1u << src;
		cpuset_intersect(set, exist);
	}
	cpuset_free(gone);
}

/* "vcpupin names host CPUs 63 that do not exist; ignored" */
static void warn_missing(struct ctx *c, const struct vmctx *v, const char *const *names,
			 size_t nnames, unsigned mask, const struct cpuset *bad, const char *what)
{
	char srcs[128] = "";
	size_t i, nsrc = 0;
	char *list;

	if (bad == NULL)
		return;
	for (i = 0; i < nnames; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (nsrc++)
			strcat(srcs, " and ");
		strcat(srcs, names[i]);
	}
	list = cpuset_format(bad);
	warnf(c, v, "%s %s host %s %s that do not exist; ignored", srcs,
	      nsrc > 1 ? "name" : "names", what, list);
	free(list);
}

/* ---------------------------------------------------------------- R4: guest cells */

/* Index cells by id (ids are below CPUSET_MAX_NODES), so every lookup is O(1). */
static void index_cells(struct vmctx *v)
{
	size_t i;

	v->ncellpos = 0;
	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].id >= v->ncellpos)
			v->ncellpos = v->cells[i].id + 1;
	v->cellpos = xcalloc(v->ncellpos ? v->ncellpos : 1, sizeof(*v->cellpos));
	for (i = 0; i < v->ncells; i++)
		if (v->cellpos[v->cells[i].id] == 0) /* the first of a duplicate id, as before */
			v->cellpos[v->cells[i].id] = i + 1;
}

static struct gcell *find_cell(struct vmctx *v, unsigned id)
{
	if (id >= v->ncellpos || v->cellpos[id] == 0)
		return NULL;
	return &v->cells[v->cellpos[id] - 1];
}

/* A memory device adds to the cell it targets; one that targets no cell still counts in the
 * VM's memory (nothing is silently dropped) but in no host node. */
static uint64_t add_memdev(struct ctx *c, struct vmctx *v, size_t i)
{
	const struct memdev *d = &v->vm->memdevs[i];
	struct gcell *g = NULL;

	if (d->node < 0 && v->ncells == 1)
		g = &v->cells[0];
	else if (d->node >= 0)
		g = find_cell(v, (unsigned)d->node);
	if (g) {
		add_sat(&g->mem, d->size);
		return 0;
	}
	if (d->node < 0)
		warnf(c, v,
		      "memory device %zu has no target node and the domain has %zu cells; "
		      "its %llu bytes count in no host node",
		      i, v->ncells, (unsigned long long)d->size);
	else
		warnf(c, v,
		      "memory device %zu targets guest cell %d, which does not exist; "
		      "its %llu bytes count in no host node",
		      i, d->node, (unsigned long long)d->size);
	return d->size;
}

static void build_cells(struct ctx *c, struct vmctx *v)
{
	const struct vm *vm = v->vm;
	uint64_t lost = 0;
	size_t i;

	if (vm->ncells == 0) {
		/* the implicit cell 0: id 0, every vCPU, <memory> */
		v->ncells = 1;
		v->cells = xcalloc(1, sizeof(*v->cells));
		v->cells[0].mem = vm->memory;
	} else {
		v->ncells = vm->ncells;
		v->cells = xcalloc(v->ncells, sizeof(*v->cells));
		for (i = 0; i < vm->ncells; i++) {
			v->cells[i].id = vm->cells[i].id;
			v->cells[i].vcpus = vm->cells[i].cpus;
			v->cells[i].mem = vm->cells[i].memory;
		}
	}
	index_cells(v);
	for (i = 0; i < vm->nmemdevs; i++)
		add_sat(&lost, add_memdev(c, v, i));
	v->memory = lost;
	for (i = 0; i < v->ncells; i++)
		add_sat(&v->memory, v->cells[i].mem);
}

/* ---------------------------------------------------------------- R5: cell binding */

static const struct memnode *find_memnode(const struct vm *vm, unsigned cell)
{
	size_t i;

	for (i = 0; i < vm->nmemnodes; i++)
		if (vm->memnodes[i].cellid == cell && vm->memnodes[i].nodeset)
			return &vm->memnodes[i];
	return NULL;
}

/* libvirt implies automatic memory placement from <vcpu placement='auto'> unless numatune
 * names a nodeset. */
static bool auto_memory(const struct vm *vm)
{
	return vm->mem_placement_auto || (vm->vcpu_placement_auto && vm->mem_nodeset == NULL);
}

static enum mem_mode bound_mode(enum mem_mode m)
{
	return m >= MEM_MODE_STRICT && m <= MEM_MODE_RESTRICTIVE ? m : MEM_MODE_STRICT;
}

static void bind_cell(struct ctx *c, struct vmctx *v, struct gcell *g)
{
	const struct vm *vm = v->vm;
	const struct memnode *mn = find_memnode(vm, g->id);
	const struct cpuset *want = NULL;
	enum mem_mode mode = MEM_MODE_STRICT;
	unsigned src = 0;

	if (mn) {
		want = mn->nodeset;
		mode = mn->mode;
		src = SRC_MEMNODE;
	} else if (vm->mem_nodeset) {
		want = vm->mem_nodeset;
		mode = vm->mem_mode;
		src = SRC_NUMATUNE;
	} else if (auto_memory(vm) && vm->numad_nodeset) {
		want = vm->numad_nodeset;
		src = SRC_NUMAD_NODESET;
		if (vm->has_numatune_memory)
			mode = vm->mem_mode;
	}
	g->mode = MEM_MODE_NONE;
	if (want == NULL)
		return;
	g->nodes = cpuset_dup(want);
	drop_missing(g->nodes, c->topo.node_ids, &v->bad_nodes, &v->bad_node_src, src);
	if (cpuset_empty(g->nodes)) {
		cpuset_free(g->nodes);
		g->nodes = NULL;
		return;
	}
	g->mode = bound_mode(mode);
}

/* ---------------------------------------------------------------- R8: hugepages */

static uint64_t page_kib(const struct ctx *c, const struct hugepage *p)
{
	return p->size_kib ? p->size_kib : c->cfg->default_huge_kib;
}

/* The page size backing each guest cell, 0 for none: the first entry whose nodeset holds the
 * cell, else the first entry without a nodeset (libvirt's own order). One pass over the
 * entries, each nodeset walked once. */
static void cell_page_sizes(const struct ctx *c, struct vmctx *v)
{
	const struct vm *vm = v->vm;
	const struct hugepage *all = NULL;
	bool *set;
	size_t i;
	int id;

	if (!vm->hugepages && vm->npages == 0)
		return;
	if (vm->npages == 0) {
		for (i = 0; i < v->ncells; i++)
			v->cells[i].huge_kib = c->cfg->default_huge_kib;
		return;
	}
	set = xcalloc(v->ncells ? v->ncells : 1, sizeof(*set));
	for (i = 0; i < vm->npages; i++) {
		const struct hugepage *p = &vm->pages[i];

		if (p->nodeset == NULL) {
			if (all == NULL)
				all = p;
			continue;
		}
		for (id = cpuset_next(p->nodeset, -1); id >= 0 && (unsigned)id < v->ncellpos;
		     id = cpuset_next(p->nodeset, id)) {
			size_t pos = v->cellpos[id];

			if (pos != 0 && !set[pos - 1]) {
				set[pos - 1] = true;
				v->cells[pos - 1].huge_kib = page_kib(c, p);
			}
		}
	}
	for (i = 0; i < v->ncells; i++) {
		size_t first = v->cellpos[v->cells[i].id] - 1;

		if (first != i) /* a duplicate id gets what its first cell got */
			v->cells[i].huge_kib = v->cells[first].huge_kib;
		else if (!set[i] && all != NULL)
			v->cells[i].huge_kib = page_kib(c, all);
	}
	free(set);
}

/* R8: one VM's hugepage-backed bytes on a node, summed per page size before rounding. */
static void add_huge_bytes(struct share *s, uint64_t size_kib, uint64_t bytes)
{
	struct hpbytes *h;
	size_t i;

	for (i = 0; i < s->nhuge; i++) {
		if (s->huge[i].size_kib == size_kib) {
			add_sat(&s->huge[i].bytes, bytes);
			return;
		}
	}
	h = array_push(&s->huge, &s->nhuge, &s->caphuge, sizeof(*h));
	h->size_kib = size_kib;
	h->bytes = bytes;
}

static void add_demand(struct nodeacc *a, uint64_t size_kib, uint64_t pages)
{
	struct demand *d;
	size_t i;

	for (i = 0; i < a->ndemand; i++) {
		if (a->demand[i].size_kib == size_kib) {
			add_sat(&a->demand[i].pages, pages);
			return;
		}
	}
	d = array_push(&a->demand, &a->ndemand, &a->capdemand, sizeof(*d));
	d->size_kib = size_kib;
	d->pages = pages;
}

/* ---------------------------------------------------------------- R6: memory attribution */

/* A k-node nodeset splits the cell evenly, the remainder bytes one each to the lowest node
 * ids. Hugepage-backed bytes are summed per node and page size for the VM (R8). */
static void attribute_cell(struct ctx *c, struct vmctx *v, const struct gcell *g)
{
	unsigned k, i = 0;
	uint64_t each, rem;
	int n;

	if (g->nodes == NULL)
		return;
	k = cpuset_count(g->nodes);
	each = g->mem / k;
	rem = g->mem % k;
	for (n = cpuset_first(g->nodes); n >= 0; n = cpuset_next(g->nodes, n), i++) {
		uint64_t bytes = each + (i < rem ? 1 : 0);
		size_t p = topo_pos(&c->topo, (unsigned)n);
		struct share *s;

		if (bytes == 0 || p == NO_POS)
			continue;
		s = &v->share[p];
		add_sat(&s->mem, bytes);
		if (k > 1)
			add_sat(&s->mem_spanning, bytes);
		if (g->huge_kib) {
			add_sat(&s->mem_huge, bytes);
			add_huge_bytes(s, g->huge_kib, bytes);
		}
	}
}

/* R8: the VM's demand on node n for size s = its bytes of size-s cells on n / s, rounded up
 * once per VM (one QEMU process), summed over VMs. */
static void add_vm_demand(struct ctx *c, const struct vmctx *v)
{
	size_t p, i;

	for (p = 0; p < c->topo.host->nnodes; p++)
		for (i = 0; i < v->share[p].nhuge; i++)
			add_demand(&c->acc[p], v->share[p].huge[i].size_kib,
				   pages_for(v->share[p].huge[i].bytes,
					     v->share[p].huge[i].size_kib));
}

/* ---------------------------------------------------------------- R1-R3, R7: vCPUs */

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
		sort(ids, k, sizeof(*ids), cmp_unsigned);
		for (i = 0, *n = 0; i < k; i++)
			if (*n == 0 || ids[*n - 1] != ids[i])
				ids[(*n)++] = ids[i];
		return ids;
	}
	/* the parser's own bound: never allocate for a count it would have refused */
	*n = vm->vcpu_current < DOMXML_MAX_VCPUS ? vm->vcpu_current : DOMXML_MAX_VCPUS;
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
	sort(v->pins, vm->nvcpupins, sizeof(*v->pins), cmp_pin);
	v->tids = xcalloc(vm->ntids, sizeof(*v->tids));
	for (i = 0; i < vm->ntids; i++)
		v->tids[i] = &vm->tids[i];
	sort(v->tids, vm->ntids, sizeof(*v->tids), cmp_tid);
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

/* What libvirt pins to under automatic placement: numad's cpuset, else its nodes' CPUs. */
static const struct cpuset *numad_cpus(const struct ctx *c, struct vmctx *v)
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
	return v->vm->vcpu_placement_auto ? numad_cpus(c, v) : NULL;
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

static const struct gcell *vcpu_cell(const struct vmctx *v, unsigned id)
{
	size_t i;

	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].vcpus == NULL || cpuset_test(v->cells[i].vcpus, id))
			return &v->cells[i];
	return NULL;
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
		drop_missing(aff, c->topo.cpus, &v->bad_cpus, &v->bad_cpu_src, src);
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
	cpuset_free(aff);
}

/* ---------------------------------------------------------------- per-VM rows */

/* Assignment rows where the VM has anything, folded into the node sums (R9). */
static void emit_assigns(struct ctx *c, const struct vmctx *v, struct cpuset *nodes)
{
	size_t i;

	for (i = 0; i < c->topo.host->nnodes; i++) {
		const struct share *s = &v->share[i];
		struct nodeacc *a = &c->acc[i];
		struct assign_row *r;

		if (s->vcpus == 0 && s->vcpus_spanning == 0 && s->mem == 0)
			continue;
		r = array_push(&c->m->assigns, &c->m->nassigns, &c->capassigns, sizeof(*r));
		r->vm = v->index;
		r->node = c->topo.host->nodes[i].id;
		r->vcpus = s->vcpus;
		r->vcpus_spanning = s->vcpus_spanning;
		r->mem = s->mem;
		r->mem_spanning = s->mem_spanning;
		add_uns(&a->vcpus_bound, s->vcpus);
		add_uns(&a->vcpus_spanning, s->vcpus_spanning);
		add_sat(&a->mem_used, s->mem);
		add_sat(&a->mem_spanning, s->mem_spanning);
		add_sat(&a->mem_huge, s->mem_huge);
		add_uns(&a->vm_count, 1);
		cpuset_set(nodes, r->node);
	}
}

/* R10 */
static enum placement classify(const struct vmctx *v, const struct cpuset *nodes)
{
	bool span = v->nspanning > 0, bound = false, unbound = false;
	size_t i;

	for (i = 0; i < v->ncells; i++) {
		if (v->cells[i].nodes == NULL) {
			unbound = true;
			continue;
		}
		bound = true;
		if (cpuset_count(v->cells[i].nodes) > 1)
			span = true;
	}
	if (span)
		return PLACEMENT_SPANNING;
	if (v->nbound == 0 && !bound)
		return PLACEMENT_FLOATING;
	if (v->nfloating > 0 || unbound)
		return PLACEMENT_PARTIAL;
	return cpuset_count(nodes) > 1 ? PLACEMENT_MULTINODE : PLACEMENT_LOCAL;
}

/* none when no cell is bound; the common mode; else mixed (an unbound cell is 'none'). */
static enum mem_mode vm_mem_mode(const struct vmctx *v)
{
	bool bound = false;
	size_t i;

	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].nodes)
			bound = true;
	if (!bound)
		return MEM_MODE_NONE;
	for (i = 1; i < v->ncells; i++)
		if (v->cells[i].mode != v->cells[0].mode)
			return MEM_MODE_MIXED;
	return v->cells[0].mode;
}

/* <emulatorpin>, else <vcpu cpuset>, else numad's choice; only CPUs that exist (the missing
 * ones were already reported for the vCPUs when they matter). */
static char *emulator_cpus(const struct ctx *c, struct vmctx *v)
{
	const struct vm *vm = v->vm;
	const struct cpuset *want = vm->emulatorpin ? vm->emulatorpin : vm->vcpu_cpuset;
	struct cpuset *s;
	char *out;

	if (want == NULL && vm->vcpu_placement_auto)
		want = numad_cpus(c, v);
	if (want == NULL)
		return xstrdup("");
	s = cpuset_dup(want);
	cpuset_intersect(s, c->topo.cpus);
	out = cpuset_format(s);
	cpuset_free(s);
	return out;
}

static void emit_vm(struct ctx *c, struct vmctx *v)
{
	const struct vm *vm = v->vm;
	struct cpuset *nodes = cpuset_new(CPUSET_MAX_NODES);
	struct vm_row *r;
	size_t i;

	emit_assigns(c, v, nodes);
	r = array_push(&c->m->vms, &c->m->nvms, &c->capvms, sizeof(*r));
	r->index = v->index;
	r->file = xstrdup(v->file);
	r->name = xstrdup(vm->name ? vm->name : "");
	r->uuid = xstrdup(vm->uuid ? vm->uuid : "");
	r->display_name = xstrdup(vm->display_name ? vm->display_name : "");
	r->state = vm->state;
	r->pid = vm->pid;
	r->vcpus = v->nonline;
	r->vcpus_max = vm->vcpu_max;
	r->memory = v->memory;
	r->placement = classify(v, nodes);
	r->nodes = cpuset_format(nodes);
	r->mem_mode = vm_mem_mode(v);
	r->remote_vcpus = v->remote;
	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].huge_kib > r->huge_kib)
			r->huge_kib = v->cells[i].huge_kib;
	r->emulator_cpus = emulator_cpus(c, v);
	if (r->placement == PLACEMENT_FLOATING)
		c->m->vm_floating++;
	if (r->remote_vcpus)
		c->m->vm_misaligned++;
	cpuset_free(nodes);
}

static void vmctx_clear(struct vmctx *v)
{
	size_t i;

	for (i = 0; i < v->ncells; i++)
		cpuset_free(v->cells[i].nodes);
	free(v->cells);
	free(v->cellpos);
	for (i = 0; v->share != NULL && i < v->nshare; i++)
		free(v->share[i].huge);
	free(v->share);
	cpuset_free(v->numad_cpus);
	cpuset_free(v->bad_cpus);
	cpuset_free(v->bad_nodes);
	free(v->pins);
	free(v->tids);
}

static void account_vm(struct ctx *c, const struct vm *vm, const char *file, uint32_t index,
		       const char *dup_file)
{
	struct vmctx v = {.vm = vm, .file = file, .index = index};
	unsigned *ids, i;
	size_t j;

	v.share = xcalloc(c->topo.host->nnodes, sizeof(*v.share));
	v.nshare = c->topo.host->nnodes;
	if (dup_file)
		warnf(c, &v,
		      "domain id %lld is also claimed by %s; numaVmIndex %u is derived "
		      "from the UUID instead",
		      vm->id, dup_file, index);
	build_cells(c, &v);
	cell_page_sizes(c, &v);
	for (j = 0; j < v.ncells; j++) {
		bind_cell(c, &v, &v.cells[j]);
		attribute_cell(c, &v, &v.cells[j]);
	}
	add_vm_demand(c, &v);
	index_vcpu_data(&v);
	ids = online_vcpus(vm, &v.nonline);
	for (i = 0; i < v.nonline; i++)
		account_vcpu(c, &v, ids[i]);
	free(ids);
	warn_missing(c, &v, cpu_src_names, ARRAY_SIZE(cpu_src_names), v.bad_cpu_src, v.bad_cpus,
		     "CPUs");
	warn_missing(c, &v, node_src_names, ARRAY_SIZE(node_src_names), v.bad_node_src, v.bad_nodes,
		     "nodes");
	emit_vm(c, &v);
	vmctx_clear(&v);
}

/* ---------------------------------------------------------------- VM index */

uint32_t account_uuid_index(const char *uuid)
{
	uint32_t h = 2166136261u; /* FNV-1a, 32 bits */
	const unsigned char *p;

	for (p = (const unsigned char *)(uuid ? uuid : ""); *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return (h & (UUID_INDEX_BIT - 1)) | UUID_INDEX_BIT;
}

/* Open addressing, numaVmIndex -> input position; 0 is never an index, so it marks empty. */
struct idmap {
	uint32_t *key;
	size_t *val;
	size_t mask;
};

static void idmap_init(struct idmap *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	m->key = xcalloc(cap, sizeof(*m->key));
	m->val = xcalloc(cap, sizeof(*m->val));
	m->mask = cap - 1;
}

static size_t idmap_slot(const struct idmap *m, uint32_t k)
{
	size_t s = (size_t)(k * 2654435761u) & m->mask;

	while (m->key[s] != 0 && m->key[s] != k)
		s = (s + 1) & m->mask;
	return s;
}

static size_t idmap_get(const struct idmap *m, uint32_t k)
{
	size_t s = idmap_slot(m, k);

	return m->key[s] ? m->val[s] : NO_POS;
}

static void idmap_put(struct idmap *m, uint32_t k, size_t v)
{
	size_t s = idmap_slot(m, k);

	m->key[s] = k;
	m->val[s] = v;
}

struct entry {
	size_t pos;
	const char *file;
	const char *uuid;
};

static int by_file(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = strcmp(x->file, y->file);

	return r ? r : (x->pos > y->pos) - (x->pos < y->pos);
}

static int by_uuid(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = strcmp(x->uuid, y->uuid);

	return r ? r : by_file(a, b);
}

static const char *file_of(const char *const *files, size_t i)
{
	return files && files[i] ? files[i] : "";
}

/* Domain ids first, in file-name order (a second claim of an id gets a UUID-derived index);
 * then UUID-derived indexes in (uuid, file) order, probing upward within 2^30..2^31-1. The
 * same set of files therefore always gets the same indexes, whatever the input order. */
static void assign_indexes(struct vm *const *vms, const char *const *files, size_t n,
			   uint32_t *index, size_t *dup_of)
{
	struct entry *e = xcalloc(n, sizeof(*e));
	struct idmap map;
	size_t i, cnt = 0;

	for (i = 0; i < n; i++) {
		index[i] = 0;
		dup_of[i] = NO_POS;
		if (vms[i])
			e[cnt++] =
			    (struct entry){i, file_of(files, i), vms[i]->uuid ? vms[i]->uuid : ""};
	}
	idmap_init(&map, cnt);
	sort(e, cnt, sizeof(*e), by_file);
	for (i = 0; i < cnt; i++) {
		long long id = vms[e[i].pos]->id;

		if (id < 1 || id > (long long)INDEX_MAX)
			continue;
		dup_of[e[i].pos] = idmap_get(&map, (uint32_t)id);
		if (dup_of[e[i].pos] != NO_POS)
			continue;
		idmap_put(&map, (uint32_t)id, e[i].pos);
		index[e[i].pos] = (uint32_t)id;
	}
	sort(e, cnt, sizeof(*e), by_uuid);
	for (i = 0; i < cnt; i++) {
		uint32_t idx;

		if (index[e[i].pos])
			continue;
		idx = account_uuid_index(e[i].uuid);
		while (idmap_get(&map, idx) != NO_POS)
			idx = idx == INDEX_MAX ? UUID_INDEX_BIT : idx + 1;
		idmap_put(&map, idx, e[i].pos);
		index[e[i].pos] = idx;
	}
	free(map.key);
	free(map.val);
	free(e);
}

/* ---------------------------------------------------------------- node rows */

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
	unsigned __int128 lim;

	avail = avail > pool ? avail - pool : 0;
	avail = avail > res ? avail - res : 0;
	lim = (unsigned __int128)avail * cfg->mem_ratio_pct / 100;
	return lim > UINT64_MAX ? UINT64_MAX : (uint64_t)lim;
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
	r->cpu_limit = (uint64_t)r->cpu_capacity * c->cfg->cpu_ratio_pct / 100;
	r->mem_limit = mem_limit(c->cfg, n, r->huge_pool);
	r->cpu_headroom = headroom(r->cpu_limit, r->vcpus_bound);
	r->mem_headroom = headroom(r->mem_limit, use);
	r->cpu_used_pct = used_pct(r->vcpus_bound, r->cpu_limit);
	r->mem_used_pct = used_pct(use, r->mem_limit);
	r->cpu_over = r->vcpus_bound > r->cpu_limit;
	r->mem_over = use > r->mem_limit;
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

static void emit_nodes(struct ctx *c)
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

static int cmp_key2(uint64_t a1, uint64_t a2, uint64_t b1, uint64_t b2)
{
	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	return (a2 > b2) - (a2 < b2);
}

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

static void sort_rows(struct model *m)
{
	sort(m->nodes, m->nnodes, sizeof(*m->nodes), cmp_node_row);
	sort(m->dists, m->ndists, sizeof(*m->dists), cmp_dist_row);
	sort(m->huges, m->nhuges, sizeof(*m->huges), cmp_huge_row);
	sort(m->vms, m->nvms, sizeof(*m->vms), cmp_vm_row);
	sort(m->assigns, m->nassigns, sizeof(*m->assigns), cmp_assign_row);
	sort(m->vcpus, m->nvcpus, sizeof(*m->vcpus), cmp_vcpu_row);
}

/* ---------------------------------------------------------------- entry points */

void account_config_init(struct account_config *c)
{
	memset(c, 0, sizeof(*c));
	c->cpu_ratio_pct = 100;
	c->mem_ratio_pct = 100;
	c->default_huge_kib = 2048;
}

void account_config_clear(struct account_config *c)
{
	if (c == NULL)
		return;
	free(c->reserved);
	c->reserved = NULL;
	c->nreserved = 0;
}

struct ord {
	uint32_t index;
	size_t pos;
};

static int cmp_ord(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	return cmp_key2(x->index, x->pos, y->index, y->pos);
}

/* Every VM, in index order so warnings come out in a stable order. */
static void account_vms(struct ctx *c, struct vm *const *vms, const char *const *files, size_t nvms)
{
	uint32_t *index = xcalloc(nvms, sizeof(*index));
	size_t *dup_of = xcalloc(nvms, sizeof(*dup_of));
	struct ord *ord = xcalloc(nvms, sizeof(*ord));
	size_t i, n = 0;

	assign_indexes(vms, files, nvms, index, dup_of);
	for (i = 0; i < nvms; i++)
		if (vms[i])
			ord[n++] = (struct ord){index[i], i};
	sort(ord, n, sizeof(*ord), cmp_ord);
	for (i = 0; i < n; i++) {
		size_t p = ord[i].pos;

		account_vm(c, vms[p], file_of(files, p), index[p],
			   dup_of[p] == NO_POS ? NULL : file_of(files, dup_of[p]));
	}
	free(ord);
	free(dup_of);
	free(index);
}

struct model *account_build(const struct host *host, struct vm *const *vms,
			    const char *const *files, size_t nvms, const struct account_config *cfg)
{
	static const struct host no_host;
	struct account_config defaults;
	struct ctx c = {.cfg = cfg};
	size_t i;

	if (cfg == NULL) {
		account_config_init(&defaults);
		c.cfg = &defaults;
	}
	if (host == NULL)
		host = &no_host;
	c.m = xcalloc(1, sizeof(*c.m));
	c.m->refs = 1;
	c.m->cpu_ratio_pct = c.cfg->cpu_ratio_pct;
	c.m->mem_ratio_pct = c.cfg->mem_ratio_pct;
	c.m->source_status = SOURCE_OK; /* the daemon overrides it from the scan */
	for (i = 0; i < host->nwarnings; i++)
		model_add_problem(&c.m->warnings, &c.m->nwarnings, "sysfs", host->warnings[i]);
	topo_init(&c.topo, host);
	c.acc = xcalloc(host->nnodes, sizeof(*c.acc));
	if (nvms)
		account_vms(&c, vms, files, nvms);
	emit_nodes(&c);
	sort_rows(c.m);
	for (i = 0; i < host->nnodes; i++)
		free(c.acc[i].demand);
	free(c.acc);
	topo_clear(&c.topo);
	return c.m;
}

static bool same_cpus(const struct cpuset *a, const struct cpuset *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return cpuset_equal(a, b);
}

static bool same_node(const struct node *a, const struct node *b)
{
	size_t i;

	if (a->id != b->id || a->has_meminfo != b->has_meminfo || a->mem_total != b->mem_total ||
	    !same_cpus(a->cpus, b->cpus) || a->ndist != b->ndist || a->nhuge != b->nhuge)
		return false;
	for (i = 0; i < a->ndist; i++)
		if (a->dist[i].peer != b->dist[i].peer || a->dist[i].value != b->dist[i].value)
			return false;
	for (i = 0; i < a->nhuge; i++)
		if (a->huge[i].size_kib != b->huge[i].size_kib || a->huge[i].nr != b->huge[i].nr)
			return false;
	return true;
}

bool account_host_same(const struct host *a, const struct host *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->nnodes != b->nnodes || a->nwarnings != b->nwarnings)
		return false;
	for (i = 0; i < a->nnodes; i++)
		if (!same_node(&a->nodes[i], &b->nodes[i]))
			return false;
	for (i = 0; i < a->nwarnings; i++)
		if (strcmp(a->warnings[i], b->warnings[i]) != 0)
			return false;
	return true;
}

struct model *account_refresh(struct model *prev, const struct host *host)
{
	struct model *m = xcalloc(1, sizeof(*m));
	struct model *owner = prev->vm_owner != NULL ? prev->vm_owner : prev;
	size_t i;

	*m = *prev;
	m->refs = 1;
	m->errors = NULL;
	m->nerrors = 0;
	m->vm_owner = model_ref(owner);
	/* the same topology: the same nodes in the same order (both sorted by id) */
	m->nodes = xcalloc(prev->nnodes, sizeof(*m->nodes));
	for (i = 0; i < prev->nnodes; i++) {
		const struct node *n = host_node(host, prev->nodes[i].id);

		m->nodes[i] = prev->nodes[i];
		m->nodes[i].cpulist = xstrdup(prev->nodes[i].cpulist);
		if (n != NULL)
			m->nodes[i].mem_free = n->mem_free;
	}
	m->dists = xmemdup(prev->dists, prev->ndists, sizeof(*m->dists));
	m->huges = xmemdup(prev->huges, prev->nhuges, sizeof(*m->huges));
	for (i = 0; i < m->nhuges; i++) {
		const struct node *n = host_node(host, m->huges[i].node);
		const struct hugepool *pool = n != NULL ? host_node_pool(n, m->huges[i].size_kib) : NULL;

		if (pool != NULL) { /* else a size only VMs ask for: 0 free, 0 surplus */
			m->huges[i].free = pool->free;
			m->huges[i].surplus = pool->surplus;
		}
	}
	return m;
}
