/* SPDX-License-Identifier: BSD-3-Clause */
/* enums.h: the enumerations the MIB shows (numaVmState, numaVmMemMode, numaVmPlacement,
 * numaVmDeviceKind, numaSourceStatus, numaVmRuntimeState, numaVcpuAffinityVerdict), in a
 * header of their own so the snapshot need not see the domain model. */
#ifndef NUMATOPD_ENUMS_H
#define NUMATOPD_ENUMS_H

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

/* Values are the MIB's numaVmPlacement enumeration. */
enum placement {
	PLACEMENT_LOCAL = 1,
	PLACEMENT_MULTINODE = 2,
	PLACEMENT_SPANNING = 3,
	PLACEMENT_PARTIAL = 4,
	PLACEMENT_FLOATING = 5,
};

/* Values are the MIB's numaVmRuntimeState enumeration: what the VM's QEMU process is doing,
 * as the runtime reader (source/runtime) found it. */
enum run_state {
	RUN_RUNNING = 1,     /* its process is alive and is the one the status file names */
	RUN_GONE = 2,        /* the process is dead, a zombie, or another process took the pid */
	RUN_STARTING = 3,    /* alive, but the status file names no vCPU thread yet */
	RUN_NOT_RUNNING = 4, /* no process to look at: a plain <domain>, shut off, no pid */
	RUN_UNKNOWN = 5,     /* not measured: runtime reads off, hidden, too slow or unreadable */
};

/* Values are the MIB's numaVcpuAffinityVerdict enumeration: actual against configured. */
enum affinity_verdict {
	AFFINITY_SAME = 1,
	AFFINITY_NARROWED = 2, /* a strict subset of the configured CPUs */
	AFFINITY_ESCAPED = 3,  /* holds a CPU outside the configured set */
	AFFINITY_UNKNOWN = 4,
};

/* Values are the MIB's numaVmDeviceKind enumeration: a PCI device passed through whole, or a
 * mediated device (a slice of its parent PCI device). */
enum dev_kind {
	DEV_KIND_PCI = 1,
	DEV_KIND_MDEV = 2,
};

/* Values are the MIB's numaSourceStatus enumeration. */
enum { SOURCE_OK = 1, SOURCE_DEGRADED = 2, SOURCE_UNAVAILABLE = 3 };

#endif
