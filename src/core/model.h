/* SPDX-License-Identifier: BSD-3-Clause */
/* model.h: one immutable snapshot of everything numatopd serves: rows sorted by their MIB
 * index, ready for binary search. Built whole by account_build(), then only read. Pure. */
#ifndef NUMATOPD_MODEL_H
#define NUMATOPD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/enums.h"
#include "core/numastat.h"

struct node_row {
	unsigned id;
	char *cpulist;          /* kernel list format */
	unsigned cpu_capacity;  /* CPUs in cpulist */
	uint64_t mem_total;     /* bytes, MemTotal */
	uint64_t mem_free;      /* bytes, MemFree */
	unsigned vcpus_bound;
	unsigned vcpus_spanning;
	uint64_t mem_used;      /* bytes: bound + spanning */
	uint64_t mem_spanning;  /* bytes */
	uint64_t mem_huge;      /* bytes of mem_used that are hugepage-backed */
	unsigned vm_count;
	uint64_t huge_pool;     /* bytes: sum of nr_hugepages x size over every size */
	uint64_t cpu_limit;     /* floor(cpu_capacity x ratio) */
	uint64_t mem_limit;     /* bytes, (MemTotal - huge_pool - reserved) x ratio, >= 0 */
	int64_t cpu_headroom;   /* cpu_limit - vcpus_bound */
	int64_t mem_headroom;   /* bytes: mem_limit - (mem_used - mem_huge) */
	uint32_t cpu_used_pct;  /* ceil(100 x use / limit), saturated; 0 when unused; UINT32_MAX
				 * when limit 0 (--dump=json keeps that value; see *_pct_none) */
	uint32_t mem_used_pct;
	/* Use over a limit of 0: no percentage. The MIB's instance is absent for this row;
	 * --dump=json says "cpu_used_percent_defined": false. */
	bool cpu_pct_none, mem_pct_none;
	bool cpu_over, mem_over, huge_over;
	/* runtime truth (source/runtime), VMs that are gone left out */
	uint64_t mem_resident_vms; /* bytes of VM memory resident here */
	unsigned vcpus_running;	   /* vCPUs whose last CPU is on this node */
	/* false: no readable meminfo. mem_total, mem_free, mem_limit, mem_headroom and
	 * mem_used_pct are then 0 here and no value outside (SNMP holes, JSON null). */
	bool mem_known;
	unsigned pci_devices;	  /* passthrough devices (of every VM) whose numa_node is this node */
	struct numastat numastat; /* the kernel's counters, moving on their own like mem_free */
};

struct dist_row {
	unsigned node, peer, value;
};

struct huge_row {
	unsigned node;
	uint64_t size_kib;
	uint64_t total, free, surplus; /* pages, from sysfs; 0 for a size only VMs ask for */
	uint64_t demand;               /* pages */
	bool over;                     /* demand > total */
};

struct vm_row {
	uint32_t index; /* numaVmIndex: see account_build_indexed() */
	int64_t domain_id; /* libvirt's domain id, -1 when none */
	char *file;     /* base name of the XML file */
	char *name;
	char *uuid;
	char *display_name; /* "" when none */
	enum vm_state state;
	uint64_t pid;
	unsigned vcpus;     /* online */
	unsigned vcpus_max;
	uint64_t memory;    /* bytes of guest RAM: the cells + mem_devices (R4) */
	uint64_t mem_devices;    /* bytes: dimm sizes + virtio-mem plugged (in memory) */
	uint64_t mem_persistent; /* bytes: nvdimm + virtio-pmem, host files (not in memory) */
	uint64_t mem_enclave;    /* bytes: sgx-epc (not in memory) */
	enum placement placement;
	char *nodes;        /* host nodes the VM has anything on, list format */
	enum mem_mode mem_mode;
	unsigned remote_vcpus;
	uint64_t huge_kib;  /* hugepage size backing its memory, 0 = none */
	char *emulator_cpus; /* list format, "" = not pinned */
	/* runtime truth */
	enum run_state run_state;
	bool mem_measured;     /* false: resident and stray are not known (served as 0) */
	uint64_t mem_resident; /* bytes, every node */
	uint64_t mem_stray;    /* bytes outside the strict/restrictive cells' nodes; else 0 */
	bool stray_over;       /* mem_stray over strayMemoryThreshold */
	unsigned vcpus_drifted; /* vCPUs whose verdict is narrowed or escaped */
	unsigned remote_devices; /* passthrough devices on a node the VM has nothing on */
};

struct dev_row {
	uint32_t vm;   /* numaVmIndex */
	unsigned ord;  /* numaVmDeviceIndex: 1.. in document order */
	char *address; /* canonical "0000:3b:00.1" (an mdev's parent); "" when unknown */
	enum dev_kind kind;
	int node;      /* numa_node; -1 unknown (platform silent, or not on the host) */
	bool remote;   /* node known and not one of the VM's nodes */
};

struct assign_row {
	uint32_t vm; /* numaVmIndex */
	unsigned node;
	unsigned vcpus;          /* bound vCPUs on this node */
	unsigned vcpus_spanning; /* spanning vCPUs touching this node */
	uint64_t mem;            /* bytes attributed here: bound + spanning */
	uint64_t mem_spanning;   /* bytes of mem from k-node nodesets */
	uint64_t mem_resident;   /* bytes resident here (runtime; 0 when not measured) */
};

struct vcpu_row {
	uint32_t vm;
	unsigned vcpu;
	char *affinity; /* host CPU list, "" = floating */
	int node;       /* -1 = spanning or floating */
	int cell;       /* guest cell, -1 = none */
	bool remote;
	uint64_t tid;   /* 0 = unknown */
	/* runtime truth */
	char *actual;   /* the thread's allowed CPUs, list format; "" = not measured */
	enum affinity_verdict verdict;
	int last_cpu;   /* -1 = not measured */
	int last_node;  /* -1 = not measured or a CPU in no node */
};

struct problem {
	char *file;
	char *reason;
};

struct model {
	struct node_row *nodes; size_t nnodes;       /* by id */
	struct dist_row *dists; size_t ndists;       /* by (node, peer) */
	struct huge_row *huges; size_t nhuges;       /* by (node, size_kib) */
	struct vm_row *vms; size_t nvms;             /* by index */
	struct assign_row *assigns; size_t nassigns; /* by (vm, node) */
	struct vcpu_row *vcpus; size_t nvcpus;       /* by (vm, vcpu) */
	struct dev_row *devs; size_t ndevs;          /* by (vm, ord) */
	struct problem *errors; size_t nerrors;      /* invalid files */
	struct problem *warnings; size_t nwarnings;  /* sysfs and per-VM warnings */
	unsigned vm_floating;   /* VMs with placement floating */
	unsigned vm_misaligned; /* VMs with remote_vcpus > 0 */
	unsigned cpu_ratio_pct; /* config echoed, 100 = 1.0 */
	unsigned mem_ratio_pct;
	bool runtime;           /* runtime facts were joined in (runtimeInterval not 0) */
	/* Set by the daemon after account_build(), before the snapshot is published: the
	 * scalars that describe the sources rather than the topology. */
	uint32_t last_refresh;  /* numaLastRefresh: sysUpTime ticks of this rebuild */
	uint32_t last_change;   /* numaTableLastChange: ticks when table content last changed */
	uint32_t parse_errors;  /* numaParseErrors */
	unsigned invalid_files; /* numaInvalidFiles */
	int source_status;      /* numaSourceStatus: SOURCE_OK / _DEGRADED / _UNAVAILABLE */
	unsigned refs;          /* readers holding it; see model_ref/model_unref */
	/* NULL, or the snapshot that owns vms, assigns, vcpus, devs and warnings: a rebuild in which
	 * no VM and no topology changed shares them (account_refresh) and holds a reference. */
	struct model *vm_owner;
	/* A build from per-VM results (account_cache.c): the VM rows above are copies of the
	 * rows of one-VM models, whose strings they borrow; the build's epoch keeps those alive.
	 * NULL when the rows own their strings. */
	struct model_epoch *epoch;
	uint64_t vm_hash; /* with an epoch: the parts' vm_hash folded in row order; a part: its
			   * own model_vm_rows_hash(), made once */
};

/* The one-VM models whose strings a build's rows borrow stay alive while any build that used
 * them is: each build holds its epoch, an epoch holds the next one, and the parts a build
 * stopped using are retired to the epoch before it, freed when that epoch is. */
struct model_epoch {
	unsigned refs;
	struct model_epoch *next;
	struct model **retired;
	size_t nretired, capretired;
};

struct model_epoch *model_epoch_new(void); /* one reference */
struct model_epoch *model_epoch_ref(struct model_epoch *e);
void model_epoch_unref(struct model_epoch *e);
/* part (its reference) is freed with e. */
void model_epoch_retire(struct model_epoch *e, struct model *part);

void model_free(struct model *m);
/* A snapshot lives while anybody holds it: the builder holds the first reference. */
struct model *model_ref(struct model *m);
void model_unref(struct model *m);

/* A hash of what an operator would call "the tables changed": every row but the values the
 * kernel moves on its own (MemFree, free/surplus hugepages, numastat, last CPU, resident
 * bytes). A model built from parts (epoch set) takes their rows' hash from vm_hash. */
uint64_t model_content_hash(const struct model *m);
/* The hash of the VM tables' rows alone; and one 64-bit value folded into a hash. */
uint64_t model_vm_rows_hash(const struct model *m);
uint64_t model_hash_fold(uint64_t h, uint64_t part);

void model_add_problem(struct problem **arr, size_t *n, const char *file, const char *reason);

/* Lookups by exact index: NULL when absent. */
const struct node_row *model_node(const struct model *m, unsigned id);
const struct vm_row *model_vm(const struct model *m, uint32_t index);
/* Position of the first row whose key is >= the given key (rows are sorted). */
size_t model_vm_lower(const struct model *m, uint32_t index);
size_t model_assign_lower(const struct model *m, uint32_t vm, unsigned node);
size_t model_vcpu_lower(const struct model *m, uint32_t vm, unsigned vcpu);
size_t model_dev_lower(const struct model *m, uint32_t vm, unsigned ord);
size_t model_node_lower(const struct model *m, unsigned id);
size_t model_dist_lower(const struct model *m, unsigned node, unsigned peer);
size_t model_huge_lower(const struct model *m, unsigned node, uint64_t size_kib);

const char *placement_name(enum placement p);

#endif
