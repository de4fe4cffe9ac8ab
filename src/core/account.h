/* SPDX-License-Identifier: BSD-3-Clause */
/* account.h: the accounting rules (R1-R10, README "How the numbers are computed"): host +
 * parsed VMs + config -> one struct model. No I/O, no Net-SNMP: every rule is testable with
 * plain structs. */
#ifndef NUMATOPD_ACCOUNT_H
#define NUMATOPD_ACCOUNT_H

#include <time.h>

#include "core/vm.h"
#include "core/vmrun.h"
#include "core/model.h"
#include "core/host.h"

struct reserved {
	unsigned node;
	uint64_t bytes;
};

struct account_config {
	unsigned cpu_ratio_pct;     /* cpuAllocationRatio x 100; default 100 */
	unsigned mem_ratio_pct;     /* memAllocationRatio x 100; default 100 */
	uint64_t reserved_all;      /* reservedMemory SIZE: bytes for every node */
	struct reserved *reserved;  /* reservedMemory NODE SIZE: overrides reserved_all */
	size_t nreserved;
	uint64_t default_huge_kib;  /* defaultHugepageSize; default 2048 */
	unsigned stray_pct;	    /* strayMemoryThreshold: percent of resident; default 5 */
	uint64_t stray_min;	    /* ... and at least this many bytes; default 64 MiB */
};

void account_config_init(struct account_config *c);
void account_config_clear(struct account_config *c);

/* Build a snapshot. vms[i] may be listed in any order; file[i] is its file's base name (for
 * warnings and vm_row.file). The host's warnings are copied in. Never fails: a VM that names
 * host CPUs or nodes that do not exist gets a warning and the rest is still counted.
 * The returned model holds one reference. */
struct model *account_build(const struct host *host, struct vm *const *vms,
			    const char *const *files, size_t nvms,
			    const struct account_config *cfg);

/* account_build(), with the VM index map (README, "VM index"): a UUID the map knows keeps its
 * index; a new UUID gets its domain id when no VM of the build or of the map holds that
 * number, else its UUID-derived index probed past every number held, and is added to the map
 * (the longest-unseen absent UUIDs are dropped when it is full). now (seconds since the epoch)
 * is each present UUID's last_seen. map NULL is account_build(). Never does I/O: the caller
 * keeps the map on disk (map->changed says when). */
struct vmindex;
struct model *account_build_indexed(const struct host *host, struct vm *const *vms,
				    const char *const *files, size_t nvms,
				    const struct account_config *cfg, struct vmindex *map,
				    int64_t now);
/* account_build() joined with runtime truth: runs[i] is what source/runtime measured for
 * vms[i]. A VM whose process is gone keeps its rows, but its vCPUs, memory and hugepage
 * demand leave the node totals (R9): the resources are free. runs NULL: no runtime facts
 * (every VM's runtime state unknown, or not_running when it has no process). */
struct model *account_build_run(const struct host *host, struct vm *const *vms,
				const char *const *files, const struct vm_run *runs, size_t nvms,
				const struct account_config *cfg);
/* Both at once: what the engine calls (runs and map may each be NULL). */
struct model *account_build_all(const struct host *host, struct vm *const *vms,
				const char *const *files, const struct vm_run *runs, size_t nvms,
				const struct account_config *cfg, struct vmindex *map, int64_t now);

/* ---------------------------------------------------------------- incremental builds */

/* What a build accounts: vms[i] (NULL: skipped) from the file files[i]; runs[i] its runtime
 * facts (runs NULL: none). parse_ids[i] names the parse of files[i] that vms[i] is, and
 * run_ids[i] the reading runs[i] came from: equal ids, equal input (the engine takes them from
 * the scan and the runtime pass). NULL ids: nothing of an earlier build is reused. */
struct account_input {
	struct vm *const *vms;
	const char *const *files;
	const uint64_t *parse_ids;
	const struct vm_run *runs;
	const uint64_t *run_ids;
	size_t n;
};

/* Every VM's accounting as the last build left it: its rows, warnings and share of the nodes,
 * with what they were made from. */
struct account_cache;
struct account_cache *account_cache_new(void);
void account_cache_free(struct account_cache *k);
/* Forget everything: the next build accounts every VM. */
void account_cache_clear(struct account_cache *k);
/* account_build_all() that accounts again only the VMs whose parse, runtime facts, numaVmIndex
 * or index warnings changed, reuses the rows and node shares of the others and sums the node
 * totals (R9) anew. A host that is not account_host_same() as the last build's forgets every
 * VM (only its passthrough devices changed: the VMs naming devices), as does another config.
 * The result is the one account_build_all() makes, byte for byte. map: as builds through k
 * left it (the engine owns it). */
struct model *account_build_cached(struct account_cache *k, const struct host *host,
				   const struct account_input *in,
				   const struct account_config *cfg, struct vmindex *map,
				   int64_t now);
/* How many VMs the last account_build_cached() accounted (the others were reused). */
size_t account_cache_accounted(const struct account_cache *k);

/* True when a and b are the same host for accounting: everything account_build() reads is
 * equal (passthrough devices included) but the values the kernel moves on its own (MemFree,
 * MemUsed, free and surplus hugepages, numastat). NULL equals only NULL. */
bool account_host_same(const struct host *a, const struct host *b);

/* The model account_build() would make from host and the VMs and config prev was built from,
 * made without accounting again: prev's VM rows and warnings are shared (prev stays
 * referenced through vm_owner), node and hugepage rows are copied with host's free values
 * and numastat counters.
 * Only for a host where account_host_same(the host of prev, host). Holds one reference. */
struct model *account_refresh(struct model *prev, const struct host *host);

/* The remote-device rule: a device on node (-1: unknown) is remote for a VM whose nodes (those
 * of its assignment rows) are vm_nodes when its node is known and is not one of them; a VM
 * without any node (floating) is not judged. */
bool account_dev_remote(int node, const struct cpuset *vm_nodes);
/* One UUID is one VM: true when file fa (VM a, modified at ma) is the VM rather than fb, both
 * holding the same UUID. The file named <name>.xml after its own domain wins, then the newer
 * one, then the name that sorts first (so the choice never depends on the input order). */
bool account_file_preferred(const struct vm *a, const char *fa, const struct timespec *ma,
			    const struct vm *b, const char *fb, const struct timespec *mb);

/* The UUID-derived numaVmIndex: FNV-1a of the UUID text, masked to 30 bits, with bit 30 set
 * (so 1073741824..2147483647); numbers already held are probed past by the builder. */
uint32_t account_uuid_index(const char *uuid);

#endif
