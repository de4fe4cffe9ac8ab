/* SPDX-License-Identifier: BSD-3-Clause */
/* account_impl.h: what the account*.c files share while one snapshot is built: the build and
 * per-VM contexts, saturating sums and the steps one file calls in another. Private to them. */
#ifndef NUMATOPD_ACCOUNT_IMPL_H
#define NUMATOPD_ACCOUNT_IMPL_H

#include <limits.h>
#include <stdlib.h>

#include "core/account.h"
#include "core/cpuset.h"

#define NO_POS SIZE_MAX

/* ---------------------------------------------------------------- arithmetic */

/* Sums saturate instead of wrapping: 16 EiB of guest memory cannot exist, and a stuck maximum
 * is visibly wrong where a wrapped sum would look plausible. */
static inline void add_sat(uint64_t *a, uint64_t b)
{
	if (__builtin_add_overflow(*a, b, a))
		*a = UINT64_MAX;
}

static inline void add_uns(unsigned *a, unsigned b)
{
	if (__builtin_add_overflow(*a, b, a))
		*a = UINT_MAX;
}

/* qsort(), but an empty array may be NULL: qsort() must not see that NULL. */
static inline void qsort_empty_ok(void *base, size_t n, size_t size,
				  int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Order by (a1, a2) against (b1, b2). */
static inline int cmp_key2(uint64_t a1, uint64_t a2, uint64_t b1, uint64_t b2)
{
	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	return (a2 > b2) - (a2 < b2);
}

/* files[i] of account_build(), "" when there is none. */
static inline const char *file_of(const char *const *files, size_t i)
{
	return files && files[i] ? files[i] : "";
}

/* ---------------------------------------------------------------- the build */

struct topo { /* the host, indexed once per build */
	const struct host *host;
	struct cpuset *cpus;	 /* every host CPU */
	struct cpuset *node_ids; /* every host node */
	size_t *pos;		 /* node id -> position in host->nodes, NO_POS when absent */
	size_t npos;
};

static inline size_t topo_pos(const struct topo *t, unsigned id)
{
	return id < t->npos ? t->pos[id] : NO_POS;
}

struct demand {
	uint64_t size_kib;
	uint64_t pages;
	bool matched; /* a sysfs pool of this size exists */
	size_t users; /* account_cache.c's running sums: the VMs with a demand of this size */
};

struct nodeacc { /* R9 sums for one host node */
	unsigned vcpus_bound, vcpus_spanning, vm_count;
	unsigned pci_devices; /* passthrough devices on it, of every VM */
	uint64_t mem_used, mem_spanning, mem_huge;
	uint64_t mem_resident; /* runtime: resident bytes of VMs */
	unsigned vcpus_running; /* runtime: vCPUs that last ran here */
	struct demand *demand;
	size_t ndemand, capdemand;
};

struct ctx {
	const struct account_config *cfg;
	struct topo topo;
	struct nodeacc *acc; /* parallel to host->nodes */
	struct model *m;
	const struct vm_run *runs; /* parallel to the input VMs; NULL: no runtime facts */
	const struct vm_run *run;  /* the facts of the VM being accounted, NULL: none */
	size_t capvms, capassigns, capvcpus, capdists, caphuges, capdevs;
};

/* ---------------------------------------------------------------- one VM */

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
	uint64_t mem;		    /* bytes, the memory devices that follow it included */
	struct cpuset *nodes;	    /* host nodes it is bound to; NULL: unbound */
	enum mem_mode mode;	    /* MEM_MODE_NONE when unbound */
	uint64_t huge_kib;	    /* 0: not hugepage-backed */
};

/* Where a set naming missing host ids came from, for the one warning per VM. */
enum { SRC_VCPUPIN, SRC_VCPU_CPUSET, SRC_NUMAD_CPUSET };
enum { SRC_MEMNODE, SRC_NUMATUNE, SRC_NUMAD_NODESET, SRC_MEMDEV };

struct vmctx {
	const struct vm *vm;
	const char *file;
	uint32_t index;
	struct gcell *cells;
	size_t ncells;
	size_t *cellpos;     /* guest cell id -> position + 1 in cells, 0 = none */
	unsigned ncellpos;   /* ids below this are indexed */
	uint64_t memory;     /* guest RAM: every cell, device backends, devices that fit no cell */
	struct gcell *devs;  /* RAM devices with a backend of their own (nodemask, pagesize) */
	size_t ndevs;
	uint64_t mem_devices, mem_persistent, mem_enclave; /* bytes, per device family */
	struct share *share; /* parallel to host->nodes */
	size_t nshare;
	struct cpuset *numad_cpus; /* CPUs of the numad nodeset, computed once */
	struct cpuset *bad_cpus, *bad_nodes;
	unsigned bad_cpu_src, bad_node_src; /* bit masks of SRC_* */
	const struct pin **pins;	    /* vm->vcpupins sorted by (vcpu, document order) */
	const struct vcpu_tid **tids;	    /* likewise */
	unsigned nonline, nbound, nspanning, nfloating, remote;
};

/* ---------------------------------------------------------------- the steps, by file */

/* account_index.c: the VM index policy (numaVmIndex). For each vms[i] that is not NULL:
 * index[i]; dup_of[i] = the position of the VM whose domain id vms[i] also claims (vms[i]
 * then has a UUID-derived index), else NO_POS; why[i] and other[i]: what else to warn about.
 * map (NULL: none) gives the indexes of the UUIDs it knows and learns the new ones, last seen
 * at now. The same set of files and the same map always give the same indexes, whatever the
 * input order. */
enum index_why {
	INDEX_OK,
	INDEX_SHARED_UUID, /* another file, other[i], has the UUID: the index is not remembered */
	INDEX_MAP_FULL,	   /* the map is full of present VMs: the index is not remembered */
};

struct account_index_out {
	uint32_t *index;
	size_t *dup_of;
	enum index_why *why;
	size_t *other;
};

struct vmindex;
void account_index_assign(struct vm *const *vms, const char *const *files, size_t n,
			  struct vmindex *map, int64_t now, struct account_index_out *out);

/* account_vm.c: R4-R6, R8, R10 for one VM: its cells, binding and memory, its vCPUs (through
 * account_vcpus), its assignment rows and VM row. dup_file: the file whose domain id it also
 * claims, NULL when none. */
void account_vm(struct ctx *c, const struct vm *vm, const char *file, uint32_t index,
		const char *dup_file);
/* Remove from set the ids that exist does not hold, remembering them in *bad and the bit
 * 1 << src in *mask for the VM's one warning. */
void account_drop_missing(struct cpuset *set, const struct cpuset *exist, struct cpuset **bad,
			  unsigned *mask, unsigned src);

/* account_vcpu.c: R1-R3, R7: one vCPU row per online vCPU, its share of the nodes counted. */
void account_vcpus(struct ctx *c, struct vmctx *v);
/* What libvirt pins to under automatic placement: numad's cpuset, else its nodes' CPUs. */
const struct cpuset *account_numad_cpus(const struct ctx *c, struct vmctx *v);

/* account_dev.c: one VM's passthrough devices: a row each, counted on their node, remote
 * (account_dev_remote) ones counted in r->remote_devices. nodes: the VM's nodes (its
 * assignment rows). */
void account_devs(struct ctx *c, const struct vmctx *v, const struct cpuset *nodes,
		  struct vm_row *r);

/* account_node.c: R9. Fold one VM's share of a node (and its hugepage demand) into the node's
 * sums; then one node row per host node, its hugepage and distance rows; the host's tables and
 * the VM tables (of one VM: the build puts them in index order) sorted by their MIB index. */
void account_node_add_share(struct nodeacc *a, const struct share *s);
/* The node's demand for size_kib pages, added with none when it has no such row yet. */
struct demand *account_node_demand(struct nodeacc *a, uint64_t size_kib);
void account_node_add_demand(struct nodeacc *a, uint64_t size_kib, uint64_t pages);
void account_node_rows(struct ctx *c);
void account_sort_host_rows(struct model *m);
void account_sort_vm_rows(struct model *m);

/* account_refresh.c: account_host_same() in two halves: everything but the passthrough
 * devices (what every VM's accounting reads), and the devices (what only a VM naming one
 * reads). */
bool account_host_same_layout(const struct host *a, const struct host *b);
bool account_host_same_devs(const struct host *a, const struct host *b);

/* account_cache.c: every VM's rows and node shares brought up to date (accounted, or those of
 * the build before), then put into c->m in numaVmIndex order and summed into c->acc. */
struct account_cache;
void account_cache_vms(struct account_cache *k, struct ctx *c, const struct account_input *in,
		       struct vmindex *map, int64_t now);

/* account_run.c: runtime truth joined in. A gone VM frees its nodes (R9). The vCPU row's
 * actual CPUs, verdict (configured: NULL or empty = floating) and last CPU; the VM row's
 * runtime state, resident and stray bytes, with a resident figure on each of its assignment
 * rows (and a row for every node it has memory on). */
bool account_run_gone(const struct ctx *c);
void account_run_vcpu(struct ctx *c, struct vcpu_row *r, const struct cpuset *configured);
void account_run_vm(struct ctx *c, const struct vmctx *v, struct vm_row *r, size_t first_assign);

#endif
