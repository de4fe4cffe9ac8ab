/* domxml.h: one libvirt domain XML file (a /run/libvirt/qemu status file, <domstatus>
 * wrapping <domain>, or a plain <domain>) parsed into struct vm. Only the NUMA-relevant
 * fields are kept; nothing else from the file (passwords!) ever leaves the parser. */
#ifndef NUMATOPD_DOMXML_H
#define NUMATOPD_DOMXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cpuset.h"

#define DOMXML_MAX_SIZE_DEFAULT (16u * 1024 * 1024)
#define DOMXML_MAX_VCPUS 16384 /* libvirt's own limit is lower; bounds our arrays */
/* Caps on repeated elements, so one file cannot make us allocate without bound; a file over a
 * cap is rejected. vcpupins and <vcpus><vcpu> are bounded by the vCPU count (one per vCPU). */
#define DOMXML_MAX_IOTHREADPINS DOMXML_MAX_VCPUS
#define DOMXML_MAX_CELLS CPUSET_MAX_NODES /* cell ids index guest nodesets */
#define DOMXML_MAX_MEMDEVS 256            /* libvirt's <maxMemory slots> maximum */
#define DOMXML_MAX_PAGES 64               /* <hugepages><page> elements */

/* Values are the MIB's numaVmState enumeration. */
enum vm_state {
	VM_STATE_RUNNING = 1,
	VM_STATE_BLOCKED = 2,
	VM_STATE_PAUSED = 3,
	VM_STATE_SHUTDOWN = 4,
	VM_STATE_SHUTOFF = 5,
	VM_STATE_CRASHED = 6,
	VM_STATE_PMSUSPENDED = 7,
	VM_STATE_DEFINED = 8, /* plain <domain> XML: no status */
	VM_STATE_UNKNOWN = 9, /* "nostate" or anything unrecognised */
};

/* Values are the MIB's numaVmMemMode enumeration. */
enum mem_mode {
	MEM_MODE_NONE = 1,
	MEM_MODE_STRICT = 2,
	MEM_MODE_INTERLEAVE = 3,
	MEM_MODE_PREFERRED = 4,
	MEM_MODE_RESTRICTIVE = 5,
	MEM_MODE_MIXED = 6, /* only in accounting results */
};

struct vcpu_enabled {
	unsigned id;
	bool enabled;
};

struct vcpu_tid {
	unsigned id;
	uint64_t tid; /* thread id from the status file's private <vcpus> */
};

struct pin {
	unsigned id;         /* vcpu or iothread id */
	struct cpuset *cpus; /* host CPUs, limit CPUSET_MAX_CPUS */
};

struct memnode {
	unsigned cellid;
	enum mem_mode mode;     /* default strict */
	struct cpuset *nodeset; /* host nodes; NULL when absent */
};

struct cell {
	unsigned id;         /* id attribute, else position */
	struct cpuset *cpus; /* guest vCPU ids (limit DOMXML_MAX_VCPUS); never NULL, may be empty */
	uint64_t memory;     /* bytes */
};

struct memdev {
	uint64_t size; /* bytes */
	int node;      /* guest cell from <target><node>, -1 when absent */
};

struct hugepage {
	uint64_t size_kib;      /* 0: <hugepages/> without <page>, i.e. the default size */
	struct cpuset *nodeset; /* guest cell ids (limit CPUSET_MAX_NODES); NULL = all cells */
};

struct vm {
	char *name;
	char *uuid;         /* canonical: lowercase 8-4-4-4-12, 36 chars */
	char *display_name; /* <metadata><nova:instance><nova:name>, NULL when absent */
	long long id;       /* <domain id=...>, -1 when absent */

	bool is_status;     /* the file was a <domstatus> */
	enum vm_state state;
	char *reason;       /* <domstatus reason>, NULL when absent */
	uint64_t pid;       /* <domstatus pid>, 0 when absent */

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
	size_t niothreadpins;       /* only counted: each is checked, none is kept */

	bool has_numatune_memory;       /* <numatune><memory> present */
	enum mem_mode mem_mode;         /* its mode, default strict */
	struct cpuset *mem_nodeset;     /* its nodeset, NULL when absent */
	bool mem_placement_auto;        /* placement='auto', explicit or implied by <vcpu> */
	struct memnode *memnodes;
	size_t nmemnodes;

	struct cpuset *numad_nodeset; /* <domstatus><numad nodeset cpuset>; NULL when absent */
	struct cpuset *numad_cpuset;

	struct cell *cells; /* <cpu><numa><cell>; 0 = no guest NUMA */
	size_t ncells;
	struct memdev *memdevs; /* <devices><memory><target> */
	size_t nmemdevs;

	uint64_t memory;         /* <memory>, bytes */
	uint64_t current_memory; /* <currentMemory>, bytes (= memory when absent) */

	bool hugepages; /* <memoryBacking><hugepages> present */
	struct hugepage *pages;
	size_t npages;
};

/* Parse a file: size-capped (max bytes, 0 = DOMXML_MAX_SIZE_DEFAULT), opened with
 * O_NONBLOCK|O_NOFOLLOW, regular files only. Returns 0 and *out, or -1 with a one-line reason
 * in err that never quotes file content beyond an element or attribute name. */
int domxml_parse_file(const char *path, size_t max, struct vm **out, char *err, size_t errlen);
/* Parse a buffer (the file's content). Same rules. */
int domxml_parse_buffer(const char *buf, size_t len, struct vm **out, char *err, size_t errlen);
void vm_free(struct vm *vm);

/* A libvirt scaled integer: value with unit (b bytes KB k KiB MB M MiB GB G GiB TB T TiB PB P
 * PiB EB E EiB, case-insensitive; NULL or "" = default_unit bytes, e.g. 1024 for KiB).
 * Overflow-checked. */
int domxml_scaled(const char *value, const char *unit, uint64_t default_unit, uint64_t *bytes,
		  char *err, size_t errlen);

const char *vm_state_name(enum vm_state s);
const char *mem_mode_name(enum mem_mode m);

#endif
