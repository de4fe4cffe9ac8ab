/* SPDX-License-Identifier: BSD-3-Clause */
/* account_vm.c: the rules for one VM: its guest cells (R4), their binding (R5), memory
 * attribution (R6), hugepages (R8), its rows and placement (R10). vCPUs: account_vcpu.c. */
#include "core/account_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

static const char *const cpu_src_names[] = {"vcpupin", "vcpu cpuset", "numad cpuset"};
static const char *const node_src_names[] = {"numatune memnode", "numatune memory",
					     "numad nodeset", "memory device nodemask"};

/* ---------------------------------------------------------------- warnings */

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

void account_drop_missing(struct cpuset *set, const struct cpuset *exist, struct cpuset **bad,
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
			 size_t nnames, unsigned mask, const struct cpuset *bad, const char *what,
			 const char *why)
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
	warnf(c, v, "%s %s host %s %s %s; ignored", srcs, nsrc > 1 ? "name" : "names", what, list,
	      why);
	free(list);
}

/* CPUs that cpu/online lists but no node directory names are a gap in sysfs (the host's own
 * warning says so), not CPUs that do not exist. */
static void warn_missing_cpus(struct ctx *c, struct vmctx *v)
{
	const struct cpuset *online = c->topo.host->online_cpus;
	struct cpuset *gap;

	if (v->bad_cpus == NULL || online == NULL || !cpuset_intersects(v->bad_cpus, online)) {
		warn_missing(c, v, cpu_src_names, ARRAY_SIZE(cpu_src_names), v->bad_cpu_src,
			     v->bad_cpus, "CPUs", "that do not exist");
		return;
	}
	gap = cpuset_dup(v->bad_cpus);
	cpuset_intersect(gap, online);
	cpuset_subtract(v->bad_cpus, online);
	warn_missing(c, v, cpu_src_names, ARRAY_SIZE(cpu_src_names), v->bad_cpu_src, gap, "CPUs",
		     "that no host node lists (sysfs names no node for them)");
	if (!cpuset_empty(v->bad_cpus))
		warn_missing(c, v, cpu_src_names, ARRAY_SIZE(cpu_src_names), v->bad_cpu_src,
			     v->bad_cpus, "CPUs", "that do not exist");
	cpuset_free(gap);
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

/* libvirt rounds what it starts (qemuDomainAlignMemorySizes): a status file holds the rounded
 * sizes already, a config file does not. ppc64 rounds everything to 256 MiB; elsewhere cells
 * and the initial memory to 1 MiB, DIMMs to 2 MiB. */
#define ALIGN_PPC64 (256ull << 20)
#define ALIGN_CELL  (1ull << 20)
#define ALIGN_DIMM  (2ull << 20)

static uint64_t round_up(uint64_t bytes, uint64_t align)
{
	uint64_t r = bytes % align;

	if (r == 0)
		return bytes;
	return bytes > UINT64_MAX - (align - r) ? UINT64_MAX : bytes + (align - r);
}

static uint64_t align_cell(const struct vm *vm, uint64_t bytes)
{
	if (vm->is_status)
		return bytes;
	return round_up(bytes, vm->ppc64 ? ALIGN_PPC64 : ALIGN_CELL);
}

static bool is_ram(const struct memdev *d)
{
	return d->model == MEMDEV_DIMM || d->model == MEMDEV_VIRTIO_MEM;
}

/* The guest RAM a device adds: a DIMM's size (rounded as libvirt will), what virtio-mem has
 * plugged. Persistent and enclave devices add none. */
static uint64_t device_ram(const struct vm *vm, const struct memdev *d)
{
	if (d->model == MEMDEV_VIRTIO_MEM)
		return d->plugged;
	if (d->model != MEMDEV_DIMM)
		return 0;
	if (vm->is_status)
		return d->size;
	return round_up(d->size, vm->ppc64 ? ALIGN_PPC64 : ALIGN_DIMM);
}

/* The size libvirt will give a persistent (nvdimm, virtio-pmem) or enclave (sgx-epc) device
 * (qemuDomainAlignMemorySizes rounds every model, as for DIMMs). A ppc64 nvdimm is the
 * exception: libvirt rounds its guest area down around the label when the domain is defined
 * (qemuDomainNVDimmAlignSizePseries), so a config file holds that size already. */
static uint64_t device_size(const struct vm *vm, const struct memdev *d)
{
	if (vm->is_status || (vm->ppc64 && d->model == MEMDEV_NVDIMM))
		return d->size;
	return round_up(d->size, vm->ppc64 ? ALIGN_PPC64 : ALIGN_DIMM);
}

/* libvirt's initial memory (virDomainDefGetMemoryInitial): <memory> minus every device. */
static uint64_t initial_memory(const struct vm *vm)
{
	uint64_t devs = 0;
	size_t i;

	for (i = 0; i < vm->nmemdevs; i++)
		add_sat(&devs, vm->memdevs[i].size);
	return align_cell(vm, vm->memory > devs ? vm->memory - devs : 0);
}

static void build_cells(struct vmctx *v)
{
	const struct vm *vm = v->vm;
	size_t i;

	if (vm->ncells == 0) {
		/* the implicit cell 0: id 0, every vCPU, the initial memory */
		v->ncells = 1;
		v->cells = xcalloc(1, sizeof(*v->cells));
		v->cells[0].mem = initial_memory(vm);
	} else {
		v->ncells = vm->ncells;
		v->cells = xcalloc(v->ncells, sizeof(*v->cells));
		for (i = 0; i < vm->ncells; i++) {
			v->cells[i].id = vm->cells[i].id;
			v->cells[i].vcpus = vm->cells[i].cpus;
			v->cells[i].mem = align_cell(vm, vm->cells[i].memory);
		}
	}
	index_cells(v);
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
	account_drop_missing(g->nodes, c->topo.node_ids, &v->bad_nodes, &v->bad_node_src, src);
	if (cpuset_empty(g->nodes)) {
		cpuset_free(g->nodes);
		g->nodes = NULL;
		return;
	}
	g->mode = bound_mode(mode);
}

/* ---------------------------------------------------------------- R8: hugepages */

/* A page of the host's base size is ordinary memory to libvirt, not a hugepage: 0. */
static uint64_t huge_kib(const struct ctx *c, uint64_t kib)
{
	return kib == c->topo.host->base_page_kib ? 0 : kib;
}

static uint64_t page_kib(const struct ctx *c, const struct hugepage *p)
{
	return huge_kib(c, p->size_kib ? p->size_kib : c->cfg->default_huge_kib);
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
			v->cells[i].huge_kib = huge_kib(c, c->cfg->default_huge_kib);
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

/* ---------------------------------------------------------------- R4: memory devices */

/* The cell a device targets: <target><node>, or the only cell; NULL when it fits none. */
static struct gcell *device_cell(struct vmctx *v, const struct memdev *d)
{
	if (d->node < 0)
		return v->ncells == 1 ? &v->cells[0] : NULL;
	return find_cell(v, (unsigned)d->node);
}

static void warn_lost(struct ctx *c, const struct vmctx *v, size_t i, uint64_t bytes)
{
	const struct memdev *d = &v->vm->memdevs[i];

	if (d->node < 0)
		warnf(c, v,
		      "memory device %zu has no target node and the domain has %zu cells; "
		      "its %llu bytes count in no host node",
		      i, v->ncells, (unsigned long long)bytes);
	else
		warnf(c, v,
		      "memory device %zu targets guest cell %d, which does not exist; "
		      "its %llu bytes count in no host node",
		      i, d->node, (unsigned long long)bytes);
}

/* A RAM device with its own <source><nodemask> or <pagesize> is a backend of its own
 * (qemuBuildMemoryBackendProps): bound to that nodemask, with that page size; what it does
 * not say comes from its target cell (binding, mode, page size). The mode is its cell's, else
 * the domain's; in restrictive mode libvirt gives QEMU no host nodes at all (only the cgroup's
 * cpuset.mems applies), so the device's own nodemask has no effect and it follows its cell. */
static void own_backend(struct ctx *c, struct vmctx *v, const struct memdev *d,
			const struct gcell *g, uint64_t ram)
{
	const struct vm *vm = v->vm;
	struct gcell *b = &v->devs[v->ndevs++];
	enum mem_mode mode = g && g->nodes
				     ? g->mode
				     : bound_mode(vm->has_numatune_memory ? vm->mem_mode
									  : MEM_MODE_STRICT);

	b->id = g ? g->id : 0;
	b->mem = ram;
	b->huge_kib = d->page_kib ? huge_kib(c, d->page_kib) : g ? g->huge_kib : 0;
	b->mode = MEM_MODE_NONE;
	if (d->nodemask == NULL || mode == MEM_MODE_RESTRICTIVE) {
		if (g && g->nodes) {
			b->nodes = cpuset_dup(g->nodes);
			b->mode = g->mode;
		}
		return;
	}
	b->nodes = cpuset_dup(d->nodemask);
	account_drop_missing(b->nodes, c->topo.node_ids, &v->bad_nodes, &v->bad_node_src,
			     SRC_MEMDEV);
	if (cpuset_empty(b->nodes)) {
		cpuset_free(b->nodes);
		b->nodes = NULL;
		return;
	}
	b->mode = mode;
}

/* Each device by its family: RAM (dimm, virtio-mem) follows its cell or is a backend of its
 * own; persistent (nvdimm, virtio-pmem: host files) and enclave (sgx-epc) memory is counted
 * per VM only. Returns the RAM bytes that fit no cell and have no backend of their own. */
static uint64_t place_devices(struct ctx *c, struct vmctx *v)
{
	const struct vm *vm = v->vm;
	uint64_t lost = 0;
	size_t i;

	v->devs = xcalloc(vm->nmemdevs ? vm->nmemdevs : 1, sizeof(*v->devs));
	for (i = 0; i < vm->nmemdevs; i++) {
		const struct memdev *d = &vm->memdevs[i];
		struct gcell *g = device_cell(v, d);
		uint64_t ram = device_ram(vm, d);

		if (d->model == MEMDEV_NVDIMM || d->model == MEMDEV_VIRTIO_PMEM) {
			add_sat(&v->mem_persistent, device_size(vm, d));
			continue;
		}
		if (!is_ram(d)) {
			add_sat(&v->mem_enclave, device_size(vm, d));
			continue;
		}
		add_sat(&v->mem_devices, ram);
		if (d->nodemask || d->page_kib) {
			own_backend(c, v, d, g, ram);
		} else if (g) {
			add_sat(&g->mem, ram);
		} else {
			warn_lost(c, v, i, ram);
			add_sat(&lost, ram);
		}
	}
	return lost;
}

/* The VM's guest RAM: its cells (with the devices that follow them), its device backends and
 * what fits nowhere. */
static uint64_t vm_ram(const struct vmctx *v, uint64_t lost)
{
	uint64_t sum = lost;
	size_t i;

	for (i = 0; i < v->ncells; i++)
		add_sat(&sum, v->cells[i].mem);
	for (i = 0; i < v->ndevs; i++)
		add_sat(&sum, v->devs[i].mem);
	return sum;
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

/* R8: the VM's demand on node n for size s = its bytes of size-s cells on n / s, rounded up
 * once per VM (one QEMU process), summed over VMs. */
static void add_vm_demand(struct ctx *c, const struct vmctx *v)
{
	size_t p, i;

	for (p = 0; p < c->topo.host->nnodes; p++)
		for (i = 0; i < v->share[p].nhuge; i++)
			account_node_add_demand(
			    &c->acc[p], v->share[p].huge[i].size_kib,
			    pages_for(v->share[p].huge[i].bytes, v->share[p].huge[i].size_kib));
}

/* ---------------------------------------------------------------- per-VM rows */

/* Assignment rows where the VM has anything, folded into the node sums (R9). */
static void emit_assigns(struct ctx *c, const struct vmctx *v, struct cpuset *nodes)
{
	size_t i;

	for (i = 0; i < c->topo.host->nnodes; i++) {
		const struct share *s = &v->share[i];
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
		if (!account_run_gone(c)) /* a dead VM's share is free again (R9) */
			account_node_add_share(&c->acc[i], s);
		cpuset_set(nodes, r->node);
	}
}

/* R10 */
static enum placement classify(const struct vmctx *v, const struct cpuset *nodes)
{
	bool span = v->nspanning > 0, bound = false, unbound = false;
	size_t i;

	for (i = 0; i < v->ncells + v->ndevs; i++) {
		const struct gcell *g = i < v->ncells ? &v->cells[i] : &v->devs[i - v->ncells];

		if (g->nodes == NULL) {
			unbound = true;
			continue;
		}
		bound = true;
		if (cpuset_count(g->nodes) > 1)
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
		want = account_numad_cpus(c, v);
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
	size_t i, first_assign = c->m->nassigns;

	emit_assigns(c, v, nodes);
	r = array_push(&c->m->vms, &c->m->nvms, &c->capvms, sizeof(*r));
	r->index = v->index;
	r->domain_id = vm->id >= 0 && vm->id <= INT32_MAX ? vm->id : -1;
	/* the tenant's text, made safe once here for every output (str_safe) */
	r->file = str_safe(v->file);
	r->name = str_safe(vm->name);
	r->uuid = str_safe(vm->uuid);
	r->display_name = str_safe(vm->display_name);
	r->state = vm->state;
	r->pid = vm->pid;
	r->vcpus = v->nonline;
	r->vcpus_max = vm->vcpu_max;
	r->memory = v->memory;
	r->mem_devices = v->mem_devices;
	r->mem_persistent = v->mem_persistent;
	r->mem_enclave = v->mem_enclave;
	r->placement = classify(v, nodes);
	r->nodes = cpuset_format(nodes);
	r->mem_mode = vm_mem_mode(v);
	r->remote_vcpus = v->remote;
	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].huge_kib > r->huge_kib)
			r->huge_kib = v->cells[i].huge_kib;
	for (i = 0; i < v->ndevs; i++)
		if (v->devs[i].huge_kib > r->huge_kib)
			r->huge_kib = v->devs[i].huge_kib;
	r->emulator_cpus = emulator_cpus(c, v);
	account_devs(c, v, nodes, r);
	if (r->placement == PLACEMENT_FLOATING)
		c->m->vm_floating++;
	if (r->remote_vcpus)
		c->m->vm_misaligned++;
	account_run_vm(c, v, r, first_assign);
	cpuset_free(nodes);
}

static void vmctx_clear(struct vmctx *v)
{
	size_t i;

	for (i = 0; i < v->ncells; i++)
		cpuset_free(v->cells[i].nodes);
	free(v->cells);
	for (i = 0; i < v->ndevs; i++)
		cpuset_free(v->devs[i].nodes);
	free(v->devs);
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

void account_vm(struct ctx *c, const struct vm *vm, const char *file, uint32_t index,
		const char *dup_file)
{
	struct vmctx v = {.vm = vm, .file = file, .index = index};
	size_t j;

	v.share = xcalloc(c->topo.host->nnodes, sizeof(*v.share));
	v.nshare = c->topo.host->nnodes;
	if (dup_file)
		warnf(c, &v,
		      "domain id %lld is also claimed by %s; numaVmIndex %u is derived "
		      "from the UUID instead",
		      vm->id, dup_file, index);
	build_cells(&v);
	cell_page_sizes(c, &v);
	for (j = 0; j < v.ncells; j++)
		bind_cell(c, &v, &v.cells[j]);
	v.memory = vm_ram(&v, place_devices(c, &v));
	for (j = 0; j < v.ncells; j++)
		attribute_cell(c, &v, &v.cells[j]);
	for (j = 0; j < v.ndevs; j++)
		attribute_cell(c, &v, &v.devs[j]);
	if (!account_run_gone(c))
		add_vm_demand(c, &v);
	account_vcpus(c, &v);
	warn_missing_cpus(c, &v);
	warn_missing(c, &v, node_src_names, ARRAY_SIZE(node_src_names), v.bad_node_src, v.bad_nodes,
		     "nodes", "that do not exist");
	emit_vm(c, &v);
	vmctx_clear(&v);
}
