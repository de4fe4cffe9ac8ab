/* SPDX-License-Identifier: BSD-3-Clause */
/* vm.h: the domain model: one libvirt domain's NUMA-relevant facts, as the domain XML parser
 * (source/domxml) fills them and the accounting rules (core/account) read them. Pure. */
#ifndef NUMATOPD_VM_H
#define NUMATOPD_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cpuset.h"
#include "core/enums.h"
#include "core/pciaddr.h"
#include "core/uuid.h"

#define VM_MAX_VCPUS 16384 /* libvirt's own limit is lower; bounds our arrays */
/* Host CPU ids a domain may name (<vcpupin cpuset>, <vcpu cpuset>, ...): libvirt accepts
 * 0..16383 (VIR_DOMAIN_CPUMASK_LEN); ids no host has are dropped by the accounting (R2). */
#define VM_MAX_CPU_ID 16384

struct vcpu_enabled {
	unsigned id;
	bool enabled;
};

struct vcpu_tid {
	unsigned id;
	uint64_t tid; /* thread id from the status file's private <vcpus> */
};

struct pin {
	unsigned id;	     /* vcpu or iothread id */
	struct cpuset *cpus; /* host CPUs, limit CPUSET_MAX_CPUS */
};

struct memnode {
	unsigned cellid;
	enum mem_mode mode;	/* default strict */
	struct cpuset *nodeset; /* host nodes; NULL when absent */
};

struct cell {
	unsigned id;	     /* id attribute, else position */
	struct cpuset *cpus; /* guest vCPU ids (limit VM_MAX_VCPUS); never NULL, may be empty */
	uint64_t memory;     /* bytes */
};

/* <devices><memory model=...>: each is its own QEMU memory backend. */
enum memdev_model {
	MEMDEV_DIMM,	    /* RAM */
	MEMDEV_VIRTIO_MEM,  /* RAM, plugged in blocks: <requested> (status: <current>) */
	MEMDEV_NVDIMM,	    /* a host file (<source><path>), persistent */
	MEMDEV_VIRTIO_PMEM, /* likewise */
	MEMDEV_SGX_EPC,	    /* SGX enclave page cache */
};

struct memdev {
	enum memdev_model model;
	uint64_t size;		 /* <target><size>, bytes */
	uint64_t plugged;	 /* virtio-mem: <current>, else <requested>, bytes; else = size */
	int node;		 /* guest cell from <target><node>, -1 when absent */
	struct cpuset *nodemask; /* <source><nodemask>: host nodes; NULL when absent */
	uint64_t page_kib;	 /* <source><pagesize>, 0 when absent */
};

struct hugepage {
	uint64_t size_kib;	/* 0: <hugepages/> without <page>, i.e. the default size */
	struct cpuset *nodeset; /* guest cell ids (limit CPUSET_MAX_NODES); NULL = all cells */
};

/* A passthrough device: <hostdev type='pci'> or <interface type='hostdev'> (the PCI address
 * of the host device), or <hostdev type='mdev'> (the mediated device's UUID; its parent PCI
 * device is found in sysfs). */
struct vm_dev {
	enum dev_kind kind;
	struct pci_addr addr;	    /* DEV_KIND_PCI */
	char uuid[UUID_STRLEN + 1]; /* DEV_KIND_MDEV: canonical; "" for PCI */
};

struct vm {
	char *name;
	char *uuid;	    /* canonical: lowercase 8-4-4-4-12, 36 chars */
	char *display_name; /* <metadata><nova:instance><nova:name>, NULL when absent */
	long long id;	    /* <domain id=...>, -1 when absent */

	bool is_status; /* the file was a <domstatus> */
	enum vm_state state;
	char *reason; /* <domstatus reason>, NULL when absent */
	uint64_t pid; /* <domstatus pid>, 0 when absent */

	unsigned vcpu_max;     /* <vcpu> value */
	unsigned vcpu_current; /* <vcpu current>, else vcpu_max */
	bool vcpu_placement_auto;
	struct cpuset *vcpu_cpuset; /* <vcpu cpuset>, NULL when absent */

	struct vcpu_enabled *vcpus; /* <domain><vcpus><vcpu id enabled>; NULL/0 when absent */
	size_t nvcpus;
	bool has_vcpus_list;

	struct vcpu_tid *tids; /* <domstatus><vcpus><vcpu id pid> */
	size_t ntids;

	struct pin *vcpupins; /* <cputune><vcpupin vcpu cpuset> */
	size_t nvcpupins;
	struct cpuset *emulatorpin; /* NULL when absent */
	size_t niothreadpins;	    /* only counted: each is checked, none is kept */

	bool has_numatune_memory;   /* <numatune><memory> present */
	enum mem_mode mem_mode;	    /* its mode, default strict */
	struct cpuset *mem_nodeset; /* its nodeset, NULL when absent */
	bool mem_placement_auto;    /* placement='auto', explicit or implied by <vcpu> */
	struct memnode *memnodes;
	size_t nmemnodes;

	struct cpuset *numad_nodeset; /* <domstatus><numad nodeset cpuset>; NULL when absent */
	struct cpuset *numad_cpuset;

	struct cell *cells; /* <cpu><numa><cell>; 0 = no guest NUMA */
	size_t ncells;
	struct memdev *memdevs; /* <devices><memory><target> */
	size_t nmemdevs;

	uint64_t memory;	 /* <memory> (cells + devices when absent), bytes */
	bool has_memory;	 /* <memory> present */
	uint64_t current_memory; /* <currentMemory>, bytes (= memory when absent) */

	bool ppc64;	/* <os><type arch='ppc64|ppc64le'>: libvirt's 256 MiB alignment */

	struct vm_dev *devs; /* passthrough devices, in document order */
	size_t ndevs;

	bool hugepages; /* <memoryBacking><hugepages> present */
	struct hugepage *pages;
	size_t npages;
};

void vm_free(struct vm *vm);

const char *vm_state_name(enum vm_state s);
const char *mem_mode_name(enum mem_mode m);

#endif
