/* SPDX-License-Identifier: BSD-3-Clause */
/* host.h: the host NUMA topology model (nodes, their CPUs, memory, distances and hugepage
 * pools) that sysfs.c reads and account.c counts against. Pure: plain structs and lookups. */
#ifndef NUMATOPD_HOST_H
#define NUMATOPD_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cpuset.h"
#include "core/enums.h"
#include "core/numastat.h"
#include "core/pciaddr.h"
#include "core/uuid.h"

struct hugepool {
	uint64_t size_kib;
	uint64_t nr;      /* nr_hugepages */
	uint64_t free;    /* free_hugepages */
	uint64_t surplus; /* surplus_hugepages */
};

struct distance {
	unsigned peer; /* node id */
	unsigned value;
};

struct node {
	unsigned id;
	struct cpuset *cpus; /* never NULL; empty for a memory-only node */
	bool has_meminfo;    /* false when meminfo was missing or unreadable: memory unknown */
	uint64_t mem_total;  /* bytes */
	uint64_t mem_free;   /* bytes */
	uint64_t mem_used;   /* bytes */
	struct distance *dist; /* sorted by peer */
	size_t ndist;
	struct hugepool *huge; /* sorted by size_kib */
	size_t nhuge;
	struct numastat numastat; /* has = 0 when the file is missing */
};

/* A passthrough device some VM names, as sysfs describes it (source/pcidev.c reads only these):
 * the key is (kind, addr) for a PCI device, (kind, uuid) for a mediated one. */
struct host_dev {
	enum dev_kind kind;
	struct pci_addr addr;	    /* PCI: the device; MDEV: its parent, when found */
	char uuid[UUID_STRLEN + 1]; /* MDEV only, "" for PCI */
	bool found;		    /* the device (MDEV: a PCI parent) exists on the host */
	bool not_pci;		    /* MDEV: its parent is not a PCI device (vfio-ccw, vfio-ap) */
	int node;		    /* its numa_node: -1 when unknown or not found */
};

struct host {
	struct node *nodes; /* sorted by id */
	size_t nnodes;
	struct cpuset *node_ids; /* ids of nodes[], limit CPUSET_MAX_NODES */
	struct cpuset *cpus;     /* union of every node's cpus, limit CPUSET_MAX_CPUS */
	struct host_dev *devs;   /* sorted by host_dev_cmp(); see source/pcidev.h */
	size_t ndevs;
	struct cpuset *online_cpus; /* cpu/online; NULL when absent or unreadable */
	uint64_t base_page_kib;  /* the system page size (sysconf), 0 when unknown */
	char **warnings;         /* "node3/meminfo: Permission denied", one per problem */
	size_t nwarnings;
};

/* Frees h and everything it points to; NULL is fine. */
void host_free(struct host *h);

/* A deep copy of h (never NULL). */
struct host *host_dup(const struct host *h);
/* Lookups: binary search. NULL / -1 when absent. */
const struct node *host_node(const struct host *h, unsigned id);
int host_cpu_node(const struct host *h, unsigned cpu);
/* The node's pool of pages of size_kib KiB, NULL when it has none. */
const struct hugepool *host_node_pool(const struct node *n, uint64_t size_kib);

/* Order devices by kind, then PCI address or UUID. */
int host_dev_cmp(const struct host_dev *a, const struct host_dev *b);
/* The entry for a VM's device (kind and address or UUID), NULL when the host has none. */
const struct host_dev *host_dev_find(const struct host *h, enum dev_kind kind,
				     const struct pci_addr *addr, const char *uuid);

#endif
