/* SPDX-License-Identifier: BSD-3-Clause */
/* test_mib.c: NUMA-TOPOLOGY-MIB glue without snmpd: OID <-> row mapping and GETNEXT at every
 * table edge, value conversions, then the registered handlers behind an in-process agent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/model.h"
#include "core/util.h"
#include "snmp/mib.h"
#include "snmp/mib_root.h"
#include "snmp/mib_table.h"
#include "tmpdir.h"

static const oid root[] = {NUMA_MIB_ROOT};
#define RLEN NUMA_MIB_ROOT_LEN

/* ---------------------------------------------------------------- the hand-built snapshot */

static const unsigned node_ids[] = {0, 4, 250};

/* Nodes 0, 4, 250 with their distance matrix and hugepage pools. */
static void add_nodes(struct model *m)
{
	static const struct {
		unsigned node;
		uint64_t kib, total;
	} huges[] = {
	    {0, 2048, 512},
	    {0, 1048576, 4},
	    {4, 2048, 0},
	    {250, 2048, 1ULL << 40},
	};
	size_t i, j;

	m->nnodes = ARRAY_SIZE(node_ids);
	m->nodes = xcalloc(m->nnodes, sizeof(*m->nodes));
	for (i = 0; i < m->nnodes; i++) {
		m->nodes[i].id = node_ids[i];
		m->nodes[i].cpulist = xasprintf("%zu-%zu", i * 8, i * 8 + 7);
		m->nodes[i].cpu_capacity = 8;
		m->nodes[i].mem_known = true;
	}
	m->nodes[0].mem_total = 68719476736ULL; /* 64 GiB: high 16, low 0 */
	m->nodes[0].mem_free = 0x100000005ULL;
	m->nodes[0].cpu_over = true;
	m->nodes[0].cpu_used_pct = UINT32_MAX;
	m->nodes[0].cpu_pct_none = true;
	m->nodes[2].mem_pct_none = true;
	m->ndists = m->nnodes * m->nnodes;
	m->dists = xcalloc(m->ndists, sizeof(*m->dists));
	for (i = 0; i < m->nnodes; i++)
		for (j = 0; j < m->nnodes; j++)
			m->dists[i * m->nnodes + j] = (struct dist_row){
			    node_ids[i], node_ids[j], i == j ? 10 : 20 + (unsigned)j};
	m->nhuges = ARRAY_SIZE(huges);
	m->huges = xcalloc(m->nhuges, sizeof(*m->huges));
	for (i = 0; i < m->nhuges; i++) {
		m->huges[i].node = huges[i].node;
		m->huges[i].size_kib = huges[i].kib;
		m->huges[i].total = huges[i].total;
	}
}

/* VMs 3, 7, 1073741900 with their assignment and vCPU rows. */
static void add_vms(struct model *m)
{
	static const uint32_t vms[] = {3, 7, 1073741900};
	static const struct assign_row assigns[] = {
	    {3, 0, 2, 0, 1073741824, 0, 0},   {3, 4, 1, 1, 536870912, 536870912, 0},
	    {7, 250, 4, 0, 4294967296, 0, 0}, {1073741900, 0, 0, 2, 1024, 1024, 0},
	    {1073741900, 4, 0, 2, 1024, 1024, 0},
	};
	static const struct {
		uint32_t vm;
		unsigned vcpu;
		int node;
	} vcpus[] = {
	    {3, 0, 0}, {3, 1, 4}, {7, 0, 250}, {1073741900, 0, -1}, {1073741900, 5, -1},
	};
	size_t i;

	m->nvms = ARRAY_SIZE(vms);
	m->vms = xcalloc(m->nvms, sizeof(*m->vms));
	for (i = 0; i < m->nvms; i++) {
		m->vms[i].index = vms[i];
		m->vms[i].name = xasprintf("vm%u", vms[i]);
		m->vms[i].uuid = xstrdup("6f1c6b2e-58a4-4b7a-9d4e-3c1f2b0a9e11");
		m->vms[i].display_name = xstrdup("");
		m->vms[i].nodes = xstrdup("0,4");
		m->vms[i].emulator_cpus = xstrdup("");
		m->vms[i].state = VM_STATE_RUNNING;
		m->vms[i].placement = PLACEMENT_MULTINODE;
		m->vms[i].mem_mode = MEM_MODE_STRICT;
		m->vms[i].run_state = RUN_UNKNOWN;
	}
	m->vms[1].pid = 5000000000ULL;
	m->nassigns = ARRAY_SIZE(assigns);
	m->assigns = xcalloc(m->nassigns, sizeof(*m->assigns));
	memcpy(m->assigns, assigns, sizeof(assigns));
	m->nvcpus = ARRAY_SIZE(vcpus);
	m->vcpus = xcalloc(m->nvcpus, sizeof(*m->vcpus));
	for (i = 0; i < m->nvcpus; i++) {
		m->vcpus[i].vm = vcpus[i].vm;
		m->vcpus[i].vcpu = vcpus[i].vcpu;
		m->vcpus[i].node = vcpus[i].node;
		m->vcpus[i].cell = -1;
		m->vcpus[i].affinity = xstrdup(vcpus[i].node < 0 ? "" : "1");
		m->vcpus[i].actual = xstrdup("");
		m->vcpus[i].verdict = AFFINITY_UNKNOWN;
		m->vcpus[i].last_cpu = m->vcpus[i].last_node = -1;
	}
	/* passthrough devices: VM 3 has two, VM 1073741900 one (an mdev without parent) */
	m->ndevs = 3;
	m->devs = xcalloc(m->ndevs, sizeof(*m->devs));
	m->devs[0] = (struct dev_row){3, 1, xstrdup("0000:3b:02.1"), DEV_KIND_PCI, 0, false};
	m->devs[1] = (struct dev_row){3, 2, xstrdup("0000:af:00.0"), DEV_KIND_PCI, 250, true};
	m->devs[2] = (struct dev_row){1073741900, 1, xstrdup(""), DEV_KIND_MDEV, -1, false};
	m->vms[0].remote_devices = 1;
}

/* The snapshot every test reads: sparse ids, rows sorted as account_build() leaves them. */
static struct model *build_model(void)
{
	struct model *m = xcalloc(1, sizeof(*m));

	m->refs = 1;
	add_nodes(m);
	add_vms(m);
	/* numastat: node 4 has every counter, node 250 only numa_hit, node 0 no file */
	m->nodes[1].numastat.has = (1u << NUMASTAT_KEYS) - 1;
	m->nodes[1].numastat.v[NUMASTAT_HIT] = 5000000000ULL;
	m->nodes[2].numastat.has = 1u << NUMASTAT_HIT;
	m->nodes[2].numastat.v[NUMASTAT_HIT] = 7;
	m->cpu_ratio_pct = 150;
	m->mem_ratio_pct = 100;
	m->last_refresh = 4242;
	m->last_change = 4200;
	m->parse_errors = 3;
	m->invalid_files = 1;
	m->source_status = SOURCE_DEGRADED;
	return m;
}

static struct model *model;
static struct model *empty_model;

static int setup_models(void **state)
{
	(void)state;
	model = build_model();
	empty_model = xcalloc(1, sizeof(*empty_model));
	empty_model->refs = 1;
	return 0;
}

static int teardown_models(void **state)
{
	(void)state;
	model_unref(model);
	model_unref(empty_model);
	return 0;
}

/* ---------------------------------------------------------------- OID <-> row, table-driven */

/* OIDs are written after the root: (1, 2, 1, 2, 4) is numaNodeCpuList.4. */
struct find_case {
	const char *what;
	const struct mib_table *t;
	bool next, empty;
	size_t qlen;
	oid q[12];
	enum mib_result res;
	size_t wlen;
	oid want[12];
};

#define OLEN(...)      (sizeof((oid[]){__VA_ARGS__}) / sizeof(oid))
#define NEXT(tbl, ...) .t = &(tbl), .next = true, .qlen = OLEN(__VA_ARGS__), .q = {__VA_ARGS__}
#define GET(tbl, ...)  .t = &(tbl), .next = false, .qlen = OLEN(__VA_ARGS__), .q = {__VA_ARGS__}
#define GOT(...)       .res = MIB_FOUND, .wlen = OLEN(__VA_ARGS__), .want = {__VA_ARGS__}
#define END	       .res = MIB_END
#define NOOBJ	       .res = MIB_NO_OBJECT
#define NOINST	       .res = MIB_NO_INSTANCE
#define BIG	       4294967295UL /* the largest sub-id an Unsigned32 index can have */
/* Sub-ids past 2^32-1 (no Unsigned32 index has them) exist only where oid is wider than 32 bits:
 * the cases that send one are left out where it is not (i386). */
#if ULONG_MAX > 0xffffffffUL
#define HUGE	       4294967296UL /* one past it: no index has it */
#define WIDE_OID(...)  __VA_ARGS__
#else
#define WIDE_OID(...)
#endif
#define VMX	       1073741900   /* the UUID-derived VM index */

static const struct find_case find_cases[] = {
    /* numaScalars: a one-row table whose index is .0 */
    {"scalars: next of the group", NEXT(mib_scalars_table, 1, 1), GOT(1, 1, 1, 0)},
    {"scalars: next of numaObjects", NEXT(mib_scalars_table, 1), GOT(1, 1, 1, 0)},
    {"scalars: next of group.0", NEXT(mib_scalars_table, 1, 1, 0), GOT(1, 1, 1, 0)},
    {"scalars: next of a scalar without .0", NEXT(mib_scalars_table, 1, 1, 1), GOT(1, 1, 1, 0)},
    {"scalars: next of the first", NEXT(mib_scalars_table, 1, 1, 1, 0), GOT(1, 1, 2, 0)},
    {"scalars: next of an over-long instance", NEXT(mib_scalars_table, 1, 1, 5, 0, 7),
     GOT(1, 1, 6, 0)},
    {"scalars: next of .1 skips to the next scalar", NEXT(mib_scalars_table, 1, 1, 5, 1),
     GOT(1, 1, 6, 0)},
    {"scalars: next of the last is the end", NEXT(mib_scalars_table, 1, 1, 11, 0), END},
    {"scalars: next past the last column", NEXT(mib_scalars_table, 1, 1, 12), END},
    {"scalars: next of the node table", NEXT(mib_scalars_table, 1, 2), END},
    {"scalars: get of an instance", GET(mib_scalars_table, 1, 1, 5, 0), GOT(1, 1, 5, 0)},
    {"scalars: get without .0", GET(mib_scalars_table, 1, 1, 5), NOINST},
    {"scalars: get of .1", GET(mib_scalars_table, 1, 1, 5, 1), NOINST},
    {"scalars: get too long", GET(mib_scalars_table, 1, 1, 5, 0, 0), NOINST},
    {"scalars: get of column 0", GET(mib_scalars_table, 1, 1, 0, 0), NOOBJ},
    {"scalars: get of column 12", GET(mib_scalars_table, 1, 1, 12, 0), NOOBJ},
    {"scalars: get of the group", GET(mib_scalars_table, 1, 1), NOOBJ},

    /* numaNodeTable: ids 0, 4, 250; columns 2..29; node 0 has no numaNodeCpuUsedPercent (13)
     * and node 250 no numaNodeMemUsedPercent (14): a limit of 0 with something used; 24..29:
     * numastat, rows 4 and 250 for 24, row 4 only for 25..29 */
    {"node: next of the table", NEXT(mib_node_table, 1, 2), GOT(1, 2, 1, 2, 0)},
    {"node: next of the entry", NEXT(mib_node_table, 1, 2, 1), GOT(1, 2, 1, 2, 0)},
    {"node: next of the scalars", NEXT(mib_node_table, 1, 1, 11, 0), GOT(1, 2, 1, 2, 0)},
    {"node: next of table.0", NEXT(mib_node_table, 1, 2, 0), GOT(1, 2, 1, 2, 0)},
    {"node: next of column 0", NEXT(mib_node_table, 1, 2, 1, 0), GOT(1, 2, 1, 2, 0)},
    {"node: next of the index column", NEXT(mib_node_table, 1, 2, 1, 1, 250), GOT(1, 2, 1, 2, 0)},
    {"node: next of a column", NEXT(mib_node_table, 1, 2, 1, 2), GOT(1, 2, 1, 2, 0)},
    {"node: next of the first row", NEXT(mib_node_table, 1, 2, 1, 2, 0), GOT(1, 2, 1, 2, 4)},
    {"node: next between rows", NEXT(mib_node_table, 1, 2, 1, 2, 1), GOT(1, 2, 1, 2, 4)},
    {"node: next just before the last", NEXT(mib_node_table, 1, 2, 1, 2, 249),
     GOT(1, 2, 1, 2, 250)},
    {"node: next longer than the index", NEXT(mib_node_table, 1, 2, 1, 2, 4, 0),
     GOT(1, 2, 1, 2, 250)},
    {"node: last row goes to the next column", NEXT(mib_node_table, 1, 2, 1, 2, 250),
     GOT(1, 2, 1, 3, 0)},
    {"node: largest index", NEXT(mib_node_table, 1, 2, 1, 2, BIG), GOT(1, 2, 1, 3, 0)},
    {"node: largest index, longer", NEXT(mib_node_table, 1, 2, 1, 2, BIG, 5), GOT(1, 2, 1, 3, 0)},
    WIDE_OID({"node: sub-id above 2^32-1", NEXT(mib_node_table, 1, 2, 1, 2, HUGE),
	      GOT(1, 2, 1, 3, 0)},)
    {"node: on to column 32", NEXT(mib_node_table, 1, 2, 1, 31, 250), GOT(1, 2, 1, 32, 0)},
    {"node: last row of the last column", NEXT(mib_node_table, 1, 2, 1, 32, 250), END},
    {"node: last row with a value", NEXT(mib_node_table, 1, 2, 1, 29, 4), GOT(1, 2, 1, 30, 0)},
    {"node: next past the last column", NEXT(mib_node_table, 1, 2, 1, 33), END},
    {"node: on to column 18", NEXT(mib_node_table, 1, 2, 1, 17, 250), GOT(1, 2, 1, 18, 0)},
    {"node: on to column 23", NEXT(mib_node_table, 1, 2, 1, 22, 250), GOT(1, 2, 1, 23, 0)},
    {"node: a hole is stepped over", NEXT(mib_node_table, 1, 2, 1, 23, 250), GOT(1, 2, 1, 24, 4)},
    {"node: the hole's next row", NEXT(mib_node_table, 1, 2, 1, 24, 4), GOT(1, 2, 1, 24, 250)},
    {"node: holes to the next column", NEXT(mib_node_table, 1, 2, 1, 24, 250),
     GOT(1, 2, 1, 25, 4)},
    {"node: a column of holes but one", NEXT(mib_node_table, 1, 2, 1, 25, 0), GOT(1, 2, 1, 25, 4)},
    {"node: get of a hole", GET(mib_node_table, 1, 2, 1, 24, 0), NOINST},
    {"node: get of a hole, last row", GET(mib_node_table, 1, 2, 1, 25, 250), NOINST},
    {"node: get of a counter", GET(mib_node_table, 1, 2, 1, 24, 250), GOT(1, 2, 1, 24, 250)},
    {"node: next of a column whose first row has no value", NEXT(mib_node_table, 1, 2, 1, 13),
     GOT(1, 2, 1, 13, 4)},
    {"node: next from the column before steps over the hole", NEXT(mib_node_table, 1, 2, 1, 12, 250),
     GOT(1, 2, 1, 13, 4)},
    {"node: next before the hole", NEXT(mib_node_table, 1, 2, 1, 14, 0), GOT(1, 2, 1, 14, 4)},
    {"node: a hole in the last row goes to the next column", NEXT(mib_node_table, 1, 2, 1, 14, 4),
     GOT(1, 2, 1, 15, 0)},
    {"node: get of a percentage that does not exist", GET(mib_node_table, 1, 2, 1, 13, 0), NOINST},
    {"node: get of the same column in another row", GET(mib_node_table, 1, 2, 1, 13, 250),
     GOT(1, 2, 1, 13, 250)},
    {"node: next of entry 2", NEXT(mib_node_table, 1, 2, 2), END},
    {"node: next of the vm table", NEXT(mib_node_table, 1, 3), END},
    {"node: get of a row", GET(mib_node_table, 1, 2, 1, 2, 4), GOT(1, 2, 1, 2, 4)},
    {"node: get of the last cell", GET(mib_node_table, 1, 2, 1, 22, 250), GOT(1, 2, 1, 22, 250)},
    {"node: get of a missing row", GET(mib_node_table, 1, 2, 1, 2, 5), NOINST},
    {"node: get without index", GET(mib_node_table, 1, 2, 1, 2), NOINST},
    {"node: get too long", GET(mib_node_table, 1, 2, 1, 2, 4, 0), NOINST},
    WIDE_OID({"node: get above 2^32-1", GET(mib_node_table, 1, 2, 1, 2, HUGE), NOINST},)
    {"node: get of the index column", GET(mib_node_table, 1, 2, 1, 1, 4), NOOBJ},
    {"node: get of column 32", GET(mib_node_table, 1, 2, 1, 32, 4), GOT(1, 2, 1, 32, 4)},
    {"node: get of column 33", GET(mib_node_table, 1, 2, 1, 33, 4), NOOBJ},
    {"node: get of the entry", GET(mib_node_table, 1, 2, 1), NOOBJ},
    {"node: get of the table", GET(mib_node_table, 1, 2), NOOBJ},
    {"node: get elsewhere", GET(mib_node_table, 1, 3, 1, 2, 3), NOOBJ},

    /* numaVmTable: 3, 7, 1073741900; columns 2..30 */
    {"vm: next of the table", NEXT(mib_vm_table, 1, 3), GOT(1, 3, 1, 2, 3)},
    {"vm: next between rows", NEXT(mib_vm_table, 1, 3, 1, 2, 5), GOT(1, 3, 1, 2, 7)},
    {"vm: next before the big index", NEXT(mib_vm_table, 1, 3, 1, 15, VMX - 1),
     GOT(1, 3, 1, 15, VMX)},
    {"vm: last row goes to the next column", NEXT(mib_vm_table, 1, 3, 1, 2, VMX),
     GOT(1, 3, 1, 3, 3)},
    {"vm: on to column 26", NEXT(mib_vm_table, 1, 3, 1, 25, VMX), GOT(1, 3, 1, 26, 3)},
    {"vm: the end", NEXT(mib_vm_table, 1, 3, 1, 30, VMX), END},
    {"vm: numaVmDomainId follows numaVmEmulatorCpus", NEXT(mib_vm_table, 1, 3, 1, 15, VMX),
     GOT(1, 3, 1, 16, 3)},
    {"vm: on to column 22", NEXT(mib_vm_table, 1, 3, 1, 21, VMX), GOT(1, 3, 1, 22, 3)},
    {"vm: get", GET(mib_vm_table, 1, 3, 1, 9, VMX), GOT(1, 3, 1, 9, VMX)},
    {"vm: get between rows", GET(mib_vm_table, 1, 3, 1, 9, 4), NOINST},
    {"vm: empty table, next of the table", NEXT(mib_vm_table, 1, 3), .empty = true, END},
    {"vm: empty table, next of a row", NEXT(mib_vm_table, 1, 3, 1, 2, 5), .empty = true, END},
    {"vm: empty table, next from before", NEXT(mib_vm_table, 1, 2, 1, 17, 250), .empty = true, END},
    {"vm: empty table, get", GET(mib_vm_table, 1, 3, 1, 2, 3), .empty = true, NOINST},

    /* numaVmAssignTable: (3,0) (3,4) (7,250) (VMX,0) (VMX,4); columns 1..8 */
    {"assign: next of the table", NEXT(mib_assign_table, 1, 4), GOT(1, 4, 1, 1, 3, 0)},
    {"assign: next of the entry", NEXT(mib_assign_table, 1, 4, 1), GOT(1, 4, 1, 1, 3, 0)},
    {"assign: next of column 0", NEXT(mib_assign_table, 1, 4, 1, 0, 9, 9), GOT(1, 4, 1, 1, 3, 0)},
    {"assign: next of a column", NEXT(mib_assign_table, 1, 4, 1, 1), GOT(1, 4, 1, 1, 3, 0)},
    {"assign: partial index of a vm", NEXT(mib_assign_table, 1, 4, 1, 1, 3), GOT(1, 4, 1, 1, 3, 0)},
    {"assign: partial index between vms", NEXT(mib_assign_table, 1, 4, 1, 1, 4),
     GOT(1, 4, 1, 1, 7, 250)},
    {"assign: partial index at the largest", NEXT(mib_assign_table, 1, 4, 1, 1, BIG),
     GOT(1, 4, 1, 2, 3, 0)},
    WIDE_OID({"assign: partial index above 2^32-1", NEXT(mib_assign_table, 1, 4, 1, 1, HUGE),
	      GOT(1, 4, 1, 2, 3, 0)},)
    {"assign: next of the first row", NEXT(mib_assign_table, 1, 4, 1, 1, 3, 0),
     GOT(1, 4, 1, 1, 3, 4)},
    {"assign: second index between rows", NEXT(mib_assign_table, 1, 4, 1, 1, 3, 1),
     GOT(1, 4, 1, 1, 3, 4)},
    {"assign: last node of a vm goes to the next vm", NEXT(mib_assign_table, 1, 4, 1, 1, 3, 4),
     GOT(1, 4, 1, 1, 7, 250)},
    {"assign: second index at the largest", NEXT(mib_assign_table, 1, 4, 1, 1, 3, BIG),
     GOT(1, 4, 1, 1, 7, 250)},
    WIDE_OID({"assign: second index above 2^32-1", NEXT(mib_assign_table, 1, 4, 1, 1, 3, HUGE),
	      GOT(1, 4, 1, 1, 7, 250)},)
    {"assign: longer than the index", NEXT(mib_assign_table, 1, 4, 1, 1, 3, 4, 9),
     GOT(1, 4, 1, 1, 7, 250)},
    {"assign: both indexes at the largest", NEXT(mib_assign_table, 1, 4, 1, 1, BIG, BIG),
     GOT(1, 4, 1, 2, 3, 0)},
    {"assign: last row goes to the next column", NEXT(mib_assign_table, 1, 4, 1, 1, VMX, 4),
     GOT(1, 4, 1, 2, 3, 0)},
    {"assign: before the last cell", NEXT(mib_assign_table, 1, 4, 1, 6, VMX, 3),
     GOT(1, 4, 1, 6, VMX, 4)},
    {"assign: on to column 8", NEXT(mib_assign_table, 1, 4, 1, 7, VMX, 4), GOT(1, 4, 1, 8, 3, 0)},
    {"assign: the end", NEXT(mib_assign_table, 1, 4, 1, 8, VMX, 4), END},
    {"assign: past the last column", NEXT(mib_assign_table, 1, 4, 1, 9), END},
    {"assign: get", GET(mib_assign_table, 1, 4, 1, 1, 3, 4), GOT(1, 4, 1, 1, 3, 4)},
    {"assign: get of the last row", GET(mib_assign_table, 1, 4, 1, 6, VMX, 4),
     GOT(1, 4, 1, 6, VMX, 4)},
    {"assign: get of a partial index", GET(mib_assign_table, 1, 4, 1, 1, 3), NOINST},
    {"assign: get of a missing pair", GET(mib_assign_table, 1, 4, 1, 1, 3, 250), NOINST},
    {"assign: get too long", GET(mib_assign_table, 1, 4, 1, 1, 3, 4, 0), NOINST},
    {"assign: get of column 0", GET(mib_assign_table, 1, 4, 1, 0, 3, 4), NOOBJ},
    {"assign: get of column 8", GET(mib_assign_table, 1, 4, 1, 8, 3, 4), GOT(1, 4, 1, 8, 3, 4)},
    {"assign: get of column 9", GET(mib_assign_table, 1, 4, 1, 9, 3, 4), NOOBJ},

    /* numaVcpuTable: (3,0) (3,1) (7,0) (VMX,0) (VMX,5); columns 2..7 */
    {"vcpu: next of the table", NEXT(mib_vcpu_table, 1, 5), GOT(1, 5, 1, 2, 3, 0)},
    {"vcpu: next of the index column", NEXT(mib_vcpu_table, 1, 5, 1, 1, 7, 0),
     GOT(1, 5, 1, 2, 3, 0)},
    {"vcpu: last vcpu of a vm", NEXT(mib_vcpu_table, 1, 5, 1, 2, 3, 1), GOT(1, 5, 1, 2, 7, 0)},
    {"vcpu: vcpu id gap", NEXT(mib_vcpu_table, 1, 5, 1, 2, VMX, 1), GOT(1, 5, 1, 2, VMX, 5)},
    {"vcpu: last row goes to the next column", NEXT(mib_vcpu_table, 1, 5, 1, 2, VMX, 5),
     GOT(1, 5, 1, 3, 3, 0)},
    {"vcpu: the end", NEXT(mib_vcpu_table, 1, 5, 1, 11, VMX, 5), END},
    {"vcpu: past the last column", NEXT(mib_vcpu_table, 1, 5, 1, 12), END},
    {"vcpu: get", GET(mib_vcpu_table, 1, 5, 1, 3, 7, 0), GOT(1, 5, 1, 3, 7, 0)},
    {"vcpu: get of the index column", GET(mib_vcpu_table, 1, 5, 1, 1, 7, 0), NOOBJ},
    {"vcpu: get of a missing vcpu", GET(mib_vcpu_table, 1, 5, 1, 3, 7, 1), NOINST},

    /* numaNodeDistanceTable: the 3 x 3 matrix of 0, 4, 250; one column, 2 */
    {"distance: next of the table", NEXT(mib_distance_table, 1, 6), GOT(1, 6, 1, 2, 0, 0)},
    {"distance: end of a node's row", NEXT(mib_distance_table, 1, 6, 1, 2, 0, 250),
     GOT(1, 6, 1, 2, 4, 0)},
    {"distance: partial index", NEXT(mib_distance_table, 1, 6, 1, 2, 250), GOT(1, 6, 1, 2, 250, 0)},
    {"distance: partial index past the last node", NEXT(mib_distance_table, 1, 6, 1, 2, 251), END},
    {"distance: last row of the only column", NEXT(mib_distance_table, 1, 6, 1, 2, 250, 250), END},
    {"distance: past the column", NEXT(mib_distance_table, 1, 6, 1, 3), END},
    {"distance: get", GET(mib_distance_table, 1, 6, 1, 2, 4, 250), GOT(1, 6, 1, 2, 4, 250)},
    {"distance: get of a missing peer", GET(mib_distance_table, 1, 6, 1, 2, 4, 1), NOINST},

    /* numaHugepageTable: (0,2048) (0,1048576) (4,2048) (250,2048); columns 2..5 */
    {"hugepage: next of the table", NEXT(mib_hugepage_table, 1, 7), GOT(1, 7, 1, 2, 0, 2048)},
    {"hugepage: partial index", NEXT(mib_hugepage_table, 1, 7, 1, 2, 0), GOT(1, 7, 1, 2, 0, 2048)},
    {"hugepage: next size on a node", NEXT(mib_hugepage_table, 1, 7, 1, 2, 0, 2048),
     GOT(1, 7, 1, 2, 0, 1048576)},
    {"hugepage: last size goes to the next node", NEXT(mib_hugepage_table, 1, 7, 1, 2, 0, BIG),
     GOT(1, 7, 1, 2, 4, 2048)},
    {"hugepage: last row goes to the next column", NEXT(mib_hugepage_table, 1, 7, 1, 4, 250, 2048),
     GOT(1, 7, 1, 5, 0, 2048)},
    {"hugepage: the end", NEXT(mib_hugepage_table, 1, 7, 1, 5, 250, 2048), END},
    {"hugepage: the end of the MIB", NEXT(mib_hugepage_table, 2), END},
    {"hugepage: get", GET(mib_hugepage_table, 1, 7, 1, 3, 0, 1048576), GOT(1, 7, 1, 3, 0, 1048576)},
    {"hugepage: get of a missing size", GET(mib_hugepage_table, 1, 7, 1, 3, 4, 1048576), NOINST},
};

static size_t with_root(oid *out, const oid *suffix, size_t len)
{
	memcpy(out, root, sizeof(root));
	memcpy(out + RLEN, suffix, len * sizeof(oid));
	return RLEN + len;
}

static void check_hit(const struct mib_table *t, const struct model *m, const struct mib_hit *h)
{
	uint32_t idx[MIB_MAX_ARITY];
	size_t j;

	assert_int_equal(h->name_len, t->entry_len + 1 + t->arity);
	assert_int_equal(h->col, h->name[t->entry_len]);
	assert_true(h->pos < mib_table_count(t, m));
	mib_table_index(t, m, h->pos, idx);
	for (j = 0; j < t->arity; j++)
		assert_int_equal(idx[j], h->name[t->entry_len + 1 + j]);
}

static void run_find_case(void **state)
{
	const struct find_case *c = *state;
	const struct model *m = c->empty ? empty_model : model;
	oid q[MAX_OID_LEN], want[MAX_OID_LEN];
	size_t qlen = with_root(q, c->q, c->qlen), wlen;
	struct mib_hit hit;
	enum mib_result res = mib_table_find(c->t, m, q, qlen, c->next, &hit);

	assert_int_equal(res, c->res);
	if (res != MIB_FOUND)
		return;
	wlen = with_root(want, c->want, c->wlen);
	assert_int_equal(hit.name_len, wlen);
	assert_memory_equal(hit.name, want, wlen * sizeof(oid));
	check_hit(c->t, m, &hit);
}

/* ---------------------------------------------------------------- OIDs outside the root */

static void test_next_from_outside_root(void **state)
{
	static const oid before[] = {1, 3, 6, 1, 4, 1};
	oid after[RLEN];
	struct mib_hit hit;

	(void)state;
	assert_int_equal(
	    mib_table_find(&mib_node_table, model, before, ARRAY_SIZE(before), true, &hit),
	    MIB_FOUND);
	assert_int_equal(hit.name[RLEN + 1], 2);
	assert_int_equal(mib_table_find(&mib_scalars_table, model, root, RLEN, true, &hit),
			 MIB_FOUND);
	assert_int_equal(hit.name[RLEN + 2], 1);
	memcpy(after, root, sizeof(root));
	after[RLEN - 1]++;
	assert_int_equal(mib_table_find(&mib_node_table, model, after, RLEN, true, &hit), MIB_END);
	assert_int_equal(mib_table_find(&mib_node_table, model, after, RLEN, false, &hit),
			 MIB_NO_OBJECT);
}

static const struct mib_table *const every_table[] = {
    &mib_scalars_table, &mib_node_table,     &mib_vm_table,	    &mib_assign_table,
    &mib_vcpu_table,	&mib_distance_table, &mib_hugepage_table, &mib_device_table,
};

/* The instances a walk of t finds: every (column, row) the row has a value in. */
static size_t instances(const struct mib_table *t)
{
	size_t n = 0, j, pos;
	struct mib_value v;

	for (j = 0; j < t->ncolumns; j++)
		for (pos = 0; pos < mib_table_count(t, model); pos++)
			n += mib_table_value(t, model, pos, t->columns[j].col, &v) == 0;
	return n;
}

/* Every table walked by GETNEXT from its table OID: each instance once, in increasing OID
 * order, columns x rows of them, and then the end. */
static void walk_table(const struct mib_table *t)
{
	oid q[MAX_OID_LEN];
	size_t qlen = t->reg_len, n = 0;
	struct mib_hit hit;

	memcpy(q, t->entry, qlen * sizeof(oid));
	while (mib_table_find(t, model, q, qlen, true, &hit) == MIB_FOUND) {
		assert_true(snmp_oid_compare(hit.name, hit.name_len, q, qlen) > 0);
		assert_int_equal(mib_table_find(t, model, hit.name, hit.name_len, false, &hit),
				 MIB_FOUND);
		memcpy(q, hit.name, hit.name_len * sizeof(oid));
		qlen = hit.name_len;
		n++;
	}
	assert_int_equal(n, instances(t));
}

static void test_walk_every_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(every_table); i++)
		walk_table(every_table[i]);
	/* the node table's holes: 3 rows x 22 columns less node 0's CPU and node 250's memory
	 * percentage, numastat 6 for node 4 and 1 for 250, and the 3 runtime columns of each row
	 * (numaNodeMemResidentByVmsMiB has no hole: a value in every row, as its byte column) */
	assert_int_equal(instances(&mib_node_table), 3 * 22 - 2 + 7 + 3 * 3);
	assert_int_equal(instances(&mib_device_table), 3 * 4);
}

/* A counter the kernel does not give is no value at all, never 0: mib_table_value() refuses
 * it (so no notification or walk can send a 0 for it), and the row's other columns stay. */
static void test_absent_counter_has_no_value(void **state)
{
	const struct mib_column *hit = mib_table_column_named(&mib_node_table, "numaNodeNumaHit");
	struct mib_value v;

	(void)state;
	assert_non_null(hit);
	assert_int_equal(mib_table_value(&mib_node_table, model, 0, hit->col, &v), -1);
	assert_int_equal(mib_table_value(&mib_node_table, model, 1, hit->col, &v), 0);
	assert_int_equal(v.type, ASN_COUNTER64);
	assert_int_equal(v.c64.high, 1);
	assert_int_equal(v.c64.low, 705032704);
	assert_int_equal(mib_table_value(&mib_node_table, model, 2, hit->col + 1, &v), -1);
	assert_int_equal(mib_table_value(&mib_node_table, model, 0, 23, &v), 0);
}

/* A node whose meminfo could not be read has unknown memory: its capacity, free memory,
 * headroom, used percent and their MiB companions are holes (GET noSuchInstance, GETNEXT steps
 * to the next node), never 0; what the VMs put there (used, spanning) is still served. */
static void test_unknown_memory_is_a_hole(void **state)
{
	static const char *const holes[] = {
	    "numaNodeMemCapacity", "numaNodeMemFree",	     "numaNodeMemHeadroom",
	    "numaNodeMemUsedPercent", "numaNodeMemCapacityMiB", "numaNodeMemFreeMiB"};
	static const char *const kept[] = {"numaNodeMemUsed", "numaNodeMemUsedMiB",
					   "numaNodeMemSpanning", "numaNodeMemOversubscribed"};
	struct node_row *n = &model->nodes[1]; /* node 4, between 0 and 250 */
	const struct mib_column *c;
	struct mib_value v;
	struct mib_hit hit;
	oid q[RLEN + 5];

	(void)state;
	n->mem_known = false;
	memcpy(q, root, sizeof(root));
	q[RLEN] = 1, q[RLEN + 1] = 2, q[RLEN + 2] = 1; /* numaNodeEntry */
	for (size_t i = 0; i < ARRAY_SIZE(holes); i++) {
		c = mib_table_column_named(&mib_node_table, holes[i]);
		assert_non_null(c);
		assert_int_equal(mib_table_value(&mib_node_table, model, 1, c->col, &v), -1);
		q[RLEN + 3] = c->col, q[RLEN + 4] = n->id;
		assert_int_equal(mib_table_find(&mib_node_table, model, q, RLEN + 5, false, &hit),
				 MIB_NO_INSTANCE);
		q[RLEN + 4] = 0; /* GETNEXT from node 0 skips node 4 (250 has no percentage) */
		assert_int_equal(mib_table_find(&mib_node_table, model, q, RLEN + 5, true, &hit),
				 MIB_FOUND);
		assert_true(hit.col > c->col || hit.pos == 2);
	}
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++) {
		c = mib_table_column_named(&mib_node_table, kept[i]);
		assert_non_null(c);
		assert_int_equal(mib_table_value(&mib_node_table, model, 1, c->col, &v), 0);
	}
	n->mem_known = true;
}

static unsigned lower_calls;

static size_t counting_lower(const struct model *m, const uint32_t idx[])
{
	lower_calls++;
	return model_assign_lower(m, idx[0], idx[1]);
}

static void test_one_binary_search_per_request(void **state)
{
	struct mib_table t = mib_assign_table;
	oid q[MAX_OID_LEN];
	size_t qlen;
	struct mib_hit hit;

	(void)state;
	t.lower = counting_lower;
	qlen = with_root(q, (const oid[]){1, 4, 1, 2, 3, BIG}, 6);
	assert_int_equal(mib_table_find(&t, model, q, qlen, true, &hit), MIB_FOUND);
	assert_int_equal(lower_calls, 1);
	qlen = with_root(q, (const oid[]){1, 4, 1, 2, 7, 250}, 6);
	assert_int_equal(mib_table_find(&t, model, q, qlen, false, &hit), MIB_FOUND);
	assert_int_equal(lower_calls, 2);
}

/* ---------------------------------------------------------------- values */

static struct mib_value value(const struct mib_table *t, size_t pos, unsigned col)
{
	struct mib_value v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(t, model, pos, col, &v), 0);
	return v;
}

static void test_counter64_splits_high_and_low(void **state)
{
	struct mib_value v;

	(void)state;
	v = value(&mib_node_table, 0, 4); /* numaNodeMemCapacity: 64 GiB */
	assert_int_equal(v.type, ASN_COUNTER64);
	assert_int_equal(v.c64.high, 16);
	assert_int_equal(v.c64.low, 0);
	v = value(&mib_node_table, 0, 5); /* numaNodeMemFree: 2^32 + 5 */
	assert_int_equal(v.c64.high, 1);
	assert_int_equal(v.c64.low, 5);
	v = value(&mib_assign_table, 2, 3); /* numaVmAssignMemory.7.250: 4 GiB */
	assert_int_equal(v.c64.high, 1);
	assert_int_equal(v.c64.low, 0);
}

static void test_mem_headroom_rounds_down_and_clamps(void **state)
{
	static const struct {
		int64_t bytes;
		long mib;
	} cases[] = {
	    {-1, -1},
	    {-1048576, -1},
	    {-1048577, -2},
	    {0, 0},
	    {1048575, 0},
	    {1048576, 1},
	    {(int64_t)INT32_MAX * 1048576, INT32_MAX},
	    {((int64_t)INT32_MAX + 1) * 1048576, INT32_MAX},
	    {(int64_t)INT32_MIN * 1048576, INT32_MIN},
	    {(int64_t)INT32_MIN * 1048576 - 1, INT32_MIN},
	    {INT64_MAX, INT32_MAX},
	    {INT64_MIN, INT32_MIN},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mib_value v;

		model->nodes[1].mem_headroom = cases[i].bytes;
		v = value(&mib_node_table, 1, 12);
		assert_int_equal(v.type, ASN_INTEGER);
		assert_int_equal(v.i, cases[i].mib);
	}
	model->nodes[1].mem_headroom = 0;
}

static void test_cpu_headroom_clamps_to_integer32(void **state)
{
	static const struct {
		int64_t in;
		long out;
	} cases[] = {
	    {-5, -5},
	    {7, 7},
	    {3000000000LL, INT32_MAX},
	    {INT64_MIN, INT32_MIN},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		model->nodes[2].cpu_headroom = cases[i].in;
		assert_int_equal(value(&mib_node_table, 2, 11).i, cases[i].out);
	}
	model->nodes[2].cpu_headroom = 0;
}

static void test_gauge_and_unsigned_clamp(void **state)
{
	struct mib_value v;

	(void)state;
	v = value(&mib_hugepage_table, 3, 2); /* numaHugepageTotal: 2^40 pages */
	assert_int_equal(v.type, ASN_GAUGE);
	assert_int_equal(v.u, 4294967295UL);
	v = value(&mib_vm_table, 1, 6); /* numaVmPid: 5000000000 */
	assert_int_equal(v.type, ASN_UNSIGNED);
	assert_int_equal(v.u, 4294967295UL);
	/* numaNodeCpuUsedPercent: over a limit of 0 there is none (node 0), never 2^32-1 */
	assert_int_equal(mib_table_value(&mib_node_table, model, 0, 13, &v), -1);
	/* a real percentage past 2^32-1 (a tiny non-zero limit) saturates */
	model->nodes[1].cpu_used_pct = UINT32_MAX;
	v = value(&mib_node_table, 1, 13);
	assert_int_equal(v.u, 4294967295UL);
	model->nodes[1].cpu_used_pct = 0;
	v = value(&mib_hugepage_table, 0, 2);
	assert_int_equal(v.u, 512);
}

/* Every byte count of a VM row that has a Gauge32 companion, set to bytes. */
static void set_vm_bytes(struct vm_row *v, uint64_t bytes)
{
	v->memory = v->mem_devices = v->mem_persistent = v->mem_enclave = bytes;
	v->mem_resident = v->mem_stray = bytes;
}

/* The Gauge32 companions: bytes / 1048576, the remainder dropped, saturated at 2^32-1. */
static void test_mib_companions_round_down_and_saturate(void **state)
{
	static const struct {
		uint64_t bytes;
		unsigned long mib;
	} cases[] = {
	    {0, 0},
	    {1048575, 0},
	    {1048576, 1},
	    {1073741825, 1024}, /* 1 GiB + 1 byte, as batch-span */
	    {536870913, 512},
	    {68719476736ULL, 65536},
	    {4503599626321920ULL, 4294967295UL}, /* (2^32-1) MiB: the largest exact */
	    {4503599627370496ULL, 4294967295UL}, /* 2^32 MiB: saturated */
	    {UINT64_MAX, 4294967295UL},
	};
	static const struct {
		const struct mib_table *t;
		unsigned col;
	} cols[] = {
	    {&mib_node_table, 18},  {&mib_node_table, 19},  {&mib_node_table, 20},
	    {&mib_node_table, 21},  {&mib_node_table, 32},  {&mib_vm_table, 17},
	    {&mib_vm_table, 26},    {&mib_vm_table, 27},    {&mib_vm_table, 28},
	    {&mib_vm_table, 29},    {&mib_vm_table, 30},    {&mib_assign_table, 5},
	    {&mib_assign_table, 6}, {&mib_assign_table, 8},
	};
	struct node_row *n = &model->nodes[1];
	struct node_row saved = *n;
	struct vm_row vsaved = model->vms[1];
	struct assign_row asaved = model->assigns[1];
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n->mem_total = n->mem_free = n->mem_used = n->mem_spanning = cases[i].bytes;
		n->mem_resident_vms = cases[i].bytes;
		set_vm_bytes(&model->vms[1], cases[i].bytes);
		model->assigns[1].mem = model->assigns[1].mem_spanning = cases[i].bytes;
		model->assigns[1].mem_resident = cases[i].bytes;
		for (k = 0; k < ARRAY_SIZE(cols); k++) {
			struct mib_value v = value(cols[k].t, 1, cols[k].col);

			assert_int_equal(v.type, ASN_GAUGE);
			if (v.u != cases[i].mib)
				fail_msg("%s column %u: %llu bytes read %lu MiB, want %lu",
					 cols[k].t->name, cols[k].col,
					 (unsigned long long)cases[i].bytes, v.u, cases[i].mib);
		}
	}
	*n = saved;
	model->vms[1] = vsaved;
	model->assigns[1] = asaved;
}

/* CpuBitmap: MSB of octet 0 is CPU 0, the string ends with the octet of the highest CPU,
 * every CPU up to 8191 is in it however long the text list is. */
static void test_cpu_bitmap(void **state)
{
	static const struct {
		const char *list;
		size_t len;
		const char *head; /* the first octets */
		size_t nhead;
		unsigned char last;
	} cases[] = {
	    {"", 0, "", 0, 0},
	    {"0", 1, "\x80", 1, 0x80},
	    {"0-7", 1, "\xff", 1, 0xff},
	    {"8-15", 2, "\x00\xff", 2, 0xff},
	    {"1,3,5,7", 1, "\x55", 1, 0x55},
	    {"0,23", 3, "\x80\x00\x01", 3, 0x01},
	    {"8191", 1024, "\x00", 1, 0x01},
	    {"0-8191", 1024, "\xff\xff", 2, 0xff},
	};
	struct node_row *n = &model->nodes[1];
	char *saved = n->cpulist;
	struct mib_value v;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n->cpulist = (char *)cases[i].list;
		memset(&v, 0, sizeof(v));
		assert_int_equal(mib_table_value(&mib_node_table, model, 1, 22, &v), 0);
		assert_int_equal(v.type, ASN_OCTET_STR);
		if (v.len != cases[i].len)
			fail_msg("'%s': %zu octets, want %zu", cases[i].list, v.len, cases[i].len);
		assert_memory_equal(v.str, cases[i].head, cases[i].nhead);
		if (v.len > 0)
			assert_int_equal((unsigned char)v.str[v.len - 1], cases[i].last);
	}
	n->cpulist = saved;
}

/* A 512-CPU node whose CPUs alternate with its neighbour's: the list (968 octets) is cut at 255,
 * the bitmap is whole: 64 octets of 10101010. */
static void test_cpu_bitmap_whole_where_the_list_is_cut(void **state)
{
	struct node_row *n = &model->nodes[1];
	char *saved = n->cpulist, *list = xcalloc(1, 4096);
	struct mib_value v;
	size_t i, used = 0;

	(void)state;
	for (i = 0; i < 512; i += 2)
		used += (size_t)snprintf(list + used, 4096 - used, "%s%zu", i ? "," : "", i);
	n->cpulist = list;
	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(&mib_node_table, model, 1, 2, &v), 0);
	assert_true(v.len <= 255);
	assert_memory_equal(v.str + v.len - 3, "...", 3);
	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(&mib_node_table, model, 1, 22, &v), 0);
	assert_int_equal(v.len, 64);
	for (i = 0; i < 64; i++)
		assert_int_equal((unsigned char)v.str[i], 0xaa);
	n->cpulist = saved;
	free(list);
}

/* The affinity and emulator bitmaps read their own lists; a floating vCPU's is empty. */
static void test_vcpu_and_emulator_bitmaps(void **state)
{
	struct mib_value v;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(&mib_vcpu_table, model, 0, 7, &v), 0);
	assert_int_equal(v.len, 1);
	assert_int_equal((unsigned char)v.str[0], 0x40); /* affinity "1" */
	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(&mib_vcpu_table, model, 3, 7, &v), 0);
	assert_int_equal(v.len, 0); /* floating */
	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(&mib_vm_table, model, 0, 18, &v), 0);
	assert_int_equal(v.len, 0); /* emulator not pinned */
}

static void test_truth_values(void **state)
{
	(void)state;
	assert_int_equal(value(&mib_node_table, 0, 15).i, 1); /* cpu_over */
	assert_int_equal(value(&mib_node_table, 0, 16).i, 2);
	assert_int_equal(value(&mib_vcpu_table, 0, 5).i, 2);
	assert_int_equal(value(&mib_hugepage_table, 0, 5).i, 2);
}

static void test_vcpu_node_minus_one_is_a_value(void **state)
{
	struct mib_value v = value(&mib_vcpu_table, 3, 3);

	(void)state;
	assert_int_equal(v.type, ASN_INTEGER);
	assert_int_equal(v.i, -1);
	assert_int_equal(value(&mib_vcpu_table, 2, 3).i, 250);
	assert_int_equal(value(&mib_vcpu_table, 3, 4).i, -1);
}

static void test_strings_carry_their_length(void **state)
{
	char *saved = model->nodes[2].cpulist;
	char long_list[600];
	struct mib_value v;

	(void)state;
	v = value(&mib_node_table, 1, 2);
	assert_int_equal(v.type, ASN_OCTET_STR);
	assert_int_equal(v.len, 4);
	assert_memory_equal(v.str, "8-15", 4);
	v = value(&mib_vm_table, 0, 4); /* no display name */
	assert_int_equal(v.len, 0);
	/* 100 items "1000,...,1099" (499 bytes): the 50 that fit before "..." (249 bytes), not
	 * 255 bytes ending in half an item */
	long_list[0] = '\0';
	for (unsigned c = 1000; c < 1100; c++)
		snprintf(long_list + strlen(long_list), sizeof(long_list) - strlen(long_list),
			 c > 1000 ? ",%u" : "%u", c);
	model->nodes[2].cpulist = long_list;
	memset(&v, 0, sizeof(v));
	assert_int_equal(mib_table_value(&mib_node_table, model, 2, 2, &v), 0);
	assert_int_equal(v.len, 249 + 3);
	assert_memory_equal(v.str, long_list, 249);
	assert_memory_equal(v.str + 249, "...", 3);
	/* the same rule for every list column: numaVmNodes, numaVmEmulatorCpus, numaVcpuAffinity */
	{
		static const struct {
			const struct mib_table *t;
			unsigned col;
		} lists[] = {{&mib_vm_table, 11}, {&mib_vm_table, 15}, {&mib_vcpu_table, 2}};
		char *saved_vm[2] = {model->vms[0].nodes, model->vms[0].emulator_cpus};
		char *saved_vcpu = model->vcpus[0].affinity;

		model->vms[0].nodes = model->vms[0].emulator_cpus = long_list;
		model->vcpus[0].affinity = long_list;
		for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
			memset(&v, 0, sizeof(v));
			assert_int_equal(mib_table_value(lists[k].t, model, 0, lists[k].col, &v), 0);
			assert_int_equal(v.len, 252);
			assert_memory_equal(v.str + 245, "1049...", 7);
		}
		model->vms[0].nodes = saved_vm[0];
		model->vms[0].emulator_cpus = saved_vm[1];
		model->vcpus[0].affinity = saved_vcpu;
	}
	model->nodes[2].cpulist = NULL;
	assert_int_equal(value(&mib_node_table, 2, 2).len, 0);
	model->nodes[2].cpulist = saved;
}

static void test_long_name_is_cut_on_a_character(void **state)
{
	char *saved = model->vms[0].name;
	char name[401];
	size_t i;

	(void)state;
	for (i = 0; i + 2 <= 400; i += 2)
		memcpy(name + i, "\xc3\xa9", 2); /* 200 times U+00E9, two octets each */
	name[400] = '\0';
	model->vms[0].name = name;
	assert_int_equal(value(&mib_vm_table, 0, 2).len, 254); /* not 255: half an e-acute */
	name[0] = 'x'; /* now every character but the first starts at an odd offset */
	memmove(name + 1, name + 2, 399);
	assert_int_equal(value(&mib_vm_table, 0, 2).len, 255);
	model->vms[0].name = saved;
}

static void test_scalars(void **state)
{
	static const struct {
		unsigned col;
		u_char type;
		u_long u;
		long i;
	} cases[] = {
	    {1, ASN_GAUGE, 3, 0},	{2, ASN_GAUGE, 3, 0},	     {3, ASN_GAUGE, 0, 0},
	    {4, ASN_GAUGE, 0, 0},	{5, ASN_TIMETICKS, 4242, 0}, {6, ASN_TIMETICKS, 4200, 0},
	    {7, ASN_COUNTER, 3, 0},	{8, ASN_GAUGE, 1, 0},	     {9, ASN_INTEGER, 0, 2},
	    {10, ASN_UNSIGNED, 150, 0}, {11, ASN_UNSIGNED, 100, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mib_value v = value(&mib_scalars_table, 0, cases[i].col);

		assert_int_equal(v.type, cases[i].type);
		if (v.type == ASN_INTEGER)
			assert_int_equal(v.i, cases[i].i);
		else
			assert_int_equal(v.u, cases[i].u);
	}
}

static void test_unknown_column_is_refused(void **state)
{
	struct mib_value v;

	(void)state;
	assert_int_equal(mib_table_value(&mib_node_table, model, 0, 1, &v), -1);
	assert_int_equal(mib_table_value(&mib_scalars_table, model, 0, 12, &v), -1);
	assert_int_equal(mib_table_value(&mib_distance_table, model, 0, 3, &v), -1);
}

/* The wire type each SMI syntax must give: stated again here, apart from mib_table.c. */
static u_char wire_type(enum mib_syntax syntax)
{
	static const u_char types[] = {
	    [SMI_GAUGE32] = ASN_GAUGE,
	    [SMI_UNSIGNED32] = ASN_UNSIGNED,
	    [SMI_COUNTER32] = ASN_COUNTER,
	    [SMI_TIMESTAMP] = ASN_TIMETICKS,
	    [SMI_INTEGER32] = ASN_INTEGER,
	    [SMI_ENUM] = ASN_INTEGER,
	    [SMI_TRUTHVALUE] = ASN_INTEGER,
	    [SMI_COUNTERBASEDGAUGE64] = ASN_COUNTER64,
	    [SMI_COUNTER64] = ASN_COUNTER64,
	    [SMI_DISPLAYSTRING] = ASN_OCTET_STR,
	    [SMI_SNMPADMINSTRING] = ASN_OCTET_STR,
	    [SMI_CPUBITMAP] = ASN_OCTET_STR,
	};

	assert_true((size_t)syntax < ARRAY_SIZE(types));
	return types[syntax];
}

/* Every descriptor of every table: numbers increasing, found by number and by
 * name, and its field read in its syntax (a string syntax on a number would be refused). */
static void test_every_column_reads_in_its_syntax(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(every_table); i++) {
		const struct mib_table *t = every_table[i];

		assert_true(mib_table_columns_ok(t));
		for (j = 0; j < t->ncolumns; j++) {
			const struct mib_column *c = &t->columns[j];
			/* node 4 (row 1) has a value in every column */
			struct mib_value v = value(t, t == &mib_node_table ? 1 : 0, c->col);

			assert_ptr_equal(mib_table_column(t, c->col), c);
			assert_ptr_equal(mib_table_column_named(t, c->name), c);
			assert_int_equal(v.type, wire_type(c->syntax));
		}
		assert_null(mib_table_column_named(t, "numaNoSuchColumn"));
	}
}

/* The MIB may leave column numbers out: GET of a missing column is noSuchObject, GETNEXT steps
 * over the gap to the next column's first row; numbers that do not increase are refused. */
static void test_column_gaps_are_skipped(void **state)
{
	static const struct mib_column gap[] = {
	    {2, "numaA", SMI_GAUGE32, MIB_AT(struct node_row, vm_count, U32)},
	    {4, "numaB", SMI_GAUGE32, MIB_AT(struct node_row, vm_count, U32)},
	};
	static const struct mib_column down[] = {
	    {4, "numaB", SMI_GAUGE32, MIB_AT(struct node_row, vm_count, U32)},
	    {2, "numaA", SMI_GAUGE32, MIB_AT(struct node_row, vm_count, U32)},
	};
	struct mib_table t = mib_node_table;
	size_t last = model->nnodes - 1;
	oid q[RLEN + 5];
	struct mib_hit hit;

	(void)state;
	/* a gap is a number another column holds: allowed, and never served */
	t.columns = gap;
	t.ncolumns = ARRAY_SIZE(gap);
	assert_true(mib_table_columns_ok(&t));
	assert_null(mib_table_column(&t, 3));
	memcpy(q, root, sizeof(root));
	q[RLEN] = 1, q[RLEN + 1] = 2, q[RLEN + 2] = 1; /* numaNodeEntry */
	/* GET of column 3 of the first node: no such object */
	q[RLEN + 3] = 3, q[RLEN + 4] = model->nodes[0].id;
	assert_int_equal(mib_table_find(&t, model, q, RLEN + 5, false, &hit), MIB_NO_OBJECT);
	/* GETNEXT after the last row of column 2 is the first row of column 4 */
	q[RLEN + 3] = 2, q[RLEN + 4] = model->nodes[last].id;
	assert_int_equal(mib_table_find(&t, model, q, RLEN + 5, true, &hit), MIB_FOUND);
	assert_int_equal(hit.col, 4);
	assert_int_equal(hit.pos, 0);
	/* from inside the gap (column 3) too */
	q[RLEN + 3] = 3;
	assert_int_equal(mib_table_find(&t, model, q, RLEN + 5, true, &hit), MIB_FOUND);
	assert_int_equal(hit.col, 4);
	assert_int_equal(hit.pos, 0);
	/* and nothing after the last row of the last column */
	q[RLEN + 3] = 4;
	assert_int_equal(mib_table_find(&t, model, q, RLEN + 5, true, &hit), MIB_END);
	t.columns = down;
	t.ncolumns = ARRAY_SIZE(down);
	assert_false(mib_table_columns_ok(&t));
	t.ncolumns = 0;
	assert_false(mib_table_columns_ok(&t));
}

/* A descriptor whose syntax and field disagree gives no value rather than a wrong one. */
static void test_syntax_and_field_must_agree(void **state)
{
	static const struct mib_column wrong[] = {
	    {2, "numaText", SMI_DISPLAYSTRING, MIB_AT(struct node_row, vm_count, U32)},
	    {3, "numaNumber", SMI_GAUGE32, MIB_AT(struct node_row, cpulist, LIST)},
	};
	struct mib_table t = mib_node_table;
	struct mib_value v;

	(void)state;
	t.columns = wrong;
	t.ncolumns = ARRAY_SIZE(wrong);
	assert_int_equal(mib_table_value(&t, model, 0, 2, &v), -1);
	assert_int_equal(mib_table_value(&t, model, 0, 3, &v), -1);
}

static void test_publish_keeps_references(void **state)
{
	struct model *a = build_model(), *b = build_model();

	(void)state;
	assert_null(mib_current());
	mib_publish(a);
	assert_int_equal(a->refs, 2);
	mib_publish(a); /* again: must not free it */
	assert_int_equal(a->refs, 2);
	mib_publish(b);
	assert_int_equal(a->refs, 1);
	assert_ptr_equal(mib_current(), b);
	mib_publish(NULL);
	assert_null(mib_current());
	assert_int_equal(b->refs, 1);
	model_unref(a);
	model_unref(b);
}

/* ---------------------------------------------------------------- through an in-process agent */

/* A master agent on a loopback UDP port and a client session in the same process:
 * snmp_synch_response() reads every open session, so the agent answers while the client
 * waits. Real PDUs: BER encoding, bulk_to_next, the subtree walk, VACM. */
#define APP "numatopd-test"

static char agent_dir[PATH_MAX];
static netsnmp_session *client;
static bool agent_up;
static unsigned hook_calls;
static bool hook_publishes;

static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* The refresh hook: counts, and when asked publishes a new snapshot as a rebuild would. */
static void hook(void)
{
	hook_calls++;
	if (hook_publishes) {
		struct model *m = build_model();

		m->last_refresh = 10000 + hook_calls;
		mib_publish(m);
		model_unref(m);
	}
}

static void agent_config(void)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, agent_dir);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0); /* master */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_ROOT_ACCESS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
			       NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1);
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_STDERR, LOG_ERR);
	setenv("MIBS", "", 1); /* no MIB parsing: numeric OIDs only */
}

static int setup_agent(void **state)
{
	char port_spec[64], peer[64];
	netsnmp_session s;
	int port = free_port();

	setup_models(state);
	if (port < 0 || tmpdir_make(agent_dir, sizeof(agent_dir), "test_mib") < 0)
		return 0;
	agent_config();
	snprintf(port_spec, sizeof(port_spec), "udp:127.0.0.1:%d", port);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_PORTS, port_spec);
	init_agent(APP);
	init_snmp(APP);
	/* The VACM in libnetsnmpagent refuses every community until told otherwise. */
	netsnmp_config((char *)"rwcommunity private 127.0.0.1");
	if (init_master_agent() != 0)
		return 0;
	snmp_sess_init(&s);
	snprintf(peer, sizeof(peer), "udp:127.0.0.1:%d", port);
	s.peername = peer;
	s.version = SNMP_VERSION_2c;
	s.community = (u_char *)"private";
	s.community_len = strlen("private");
	s.retries = 0;
	s.timeout = 5000000;
	client = snmp_open(&s);
	if (client == NULL)
		return 0;
	mib_set_refresh_hook(hook);
	if (mib_register(true, true) != 0)
		return -1;
	mib_publish(model);
	agent_up = true;
	return 0;
}

static int teardown_agent(void **state)
{
	if (client)
		snmp_close(client);
	mib_unregister();
	mib_unregister(); /* safe twice */
	mib_publish(NULL);
	mib_set_refresh_hook(NULL);
	snmp_shutdown(APP);
	shutdown_master_agent();
	shutdown_agent();
	tmpdir_remove(agent_dir);
	return teardown_models(state);
}

static void need_agent(void)
{
	const char *all = getenv("NUMATOPD_REQUIRE_ALL");

	if (agent_up)
		return;
	if (all && strcmp(all, "1") == 0)
		fail_msg("the in-process agent did not start (loopback UDP unavailable?)");
	skip();
}

/* Sends one PDU of the given command with one varbind (value NULL = a null varbind). */
static netsnmp_pdu *ask(int command, const oid *suffix, size_t len, long max_rep)
{
	netsnmp_pdu *pdu = snmp_pdu_create(command), *resp = NULL;
	oid name[MAX_OID_LEN];
	size_t nlen = with_root(name, suffix, len);
	u_long gauge = 1;

	if (command == SNMP_MSG_GETBULK) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = max_rep;
	}
	if (command == SNMP_MSG_SET)
		snmp_pdu_add_variable(pdu, name, nlen, ASN_GAUGE, &gauge, sizeof(gauge));
	else
		snmp_add_null_var(pdu, name, nlen);
	assert_int_equal(snmp_synch_response(client, pdu, &resp), STAT_SUCCESS);
	assert_non_null(resp);
	return resp;
}

static void assert_name(const netsnmp_variable_list *vb, const oid *suffix, size_t len)
{
	oid want[MAX_OID_LEN];
	size_t wlen = with_root(want, suffix, len);

	assert_int_equal(vb->name_length, wlen);
	assert_memory_equal(vb->name, want, wlen * sizeof(oid));
}

#define ASK(cmd, ...)	 ask(cmd, (const oid[]){__VA_ARGS__}, OLEN(__VA_ARGS__), 0)
#define NAME_IS(vb, ...) assert_name(vb, (const oid[]){__VA_ARGS__}, OLEN(__VA_ARGS__))

static void test_agent_get_counter64(void **state)
{
	netsnmp_pdu *r;

	(void)state;
	need_agent();
	r = ASK(SNMP_MSG_GET, 1, 2, 1, 4, 0);
	assert_int_equal(r->errstat, SNMP_ERR_NOERROR);
	assert_int_equal(r->variables->type, ASN_COUNTER64);
	assert_int_equal(r->variables->val.counter64->high, 16);
	assert_int_equal(r->variables->val.counter64->low, 0);
	snmp_free_pdu(r);
}

static void test_agent_get_missing(void **state)
{
	netsnmp_pdu *r;

	(void)state;
	need_agent();
	r = ASK(SNMP_MSG_GET, 1, 2, 1, 4, 1);
	assert_int_equal(r->variables->type, SNMP_NOSUCHINSTANCE);
	snmp_free_pdu(r);
	r = ASK(SNMP_MSG_GET, 1, 2, 1, 1, 0);
	assert_int_equal(r->variables->type, SNMP_NOSUCHOBJECT);
	snmp_free_pdu(r);
	r = ASK(SNMP_MSG_GET, 1, 1, 5);
	assert_int_equal(r->variables->type, SNMP_NOSUCHINSTANCE);
	snmp_free_pdu(r);
}

static void test_agent_getnext_moves_to_next_table(void **state)
{
	netsnmp_pdu *r;

	(void)state;
	need_agent();
	r = ASK(SNMP_MSG_GETNEXT, 1, 2, 1, 32, 250);
	NAME_IS(r->variables, 1, 3, 1, 2, 3);
	assert_int_equal(r->variables->type, ASN_OCTET_STR);
	assert_memory_equal(r->variables->val.string, "vm3", 3);
	snmp_free_pdu(r);
	r = ASK(SNMP_MSG_GETNEXT, 1, 1, 11, 0);
	NAME_IS(r->variables, 1, 2, 1, 2, 0);
	snmp_free_pdu(r);
	r = ASK(SNMP_MSG_GETNEXT, 1, 7, 1, 5, 250, 2048);
	NAME_IS(r->variables, 1, 8, 1, 2, 3, 1);
	assert_int_equal(r->variables->type, ASN_OCTET_STR);
	assert_memory_equal(r->variables->val.string, "0000:3b:02.1", 12);
	snmp_free_pdu(r);
	r = ASK(SNMP_MSG_GETNEXT, 1, 8, 1, 5, 1073741900, 1);
	assert_int_equal(r->variables->type, SNMP_ENDOFMIBVIEW);
	snmp_free_pdu(r);
}

static void test_agent_getnext_from_before_the_root(void **state)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *r = NULL;
	static const oid start[] = {1, 3, 6, 1, 4, 1, 8072, 9999};

	(void)state;
	need_agent();
	snmp_add_null_var(pdu, start, ARRAY_SIZE(start));
	assert_int_equal(snmp_synch_response(client, pdu, &r), STAT_SUCCESS);
	NAME_IS(r->variables, 1, 1, 1, 0);
	assert_int_equal(r->variables->type, ASN_GAUGE);
	assert_int_equal(*r->variables->val.integer, 3);
	snmp_free_pdu(r);
}

/* One GETBULK over the last scalars and the whole node table: bulk_to_next turns it into
 * GETNEXT passes through two handlers; the refresh hook runs once and every value comes from
 * the snapshot pinned first, although the hook publishes a new one at every call. */
static void test_agent_getbulk_pins_one_snapshot(void **state)
{
	const netsnmp_variable_list *vb;
	netsnmp_pdu *r;
	size_t n = 0;

	(void)state;
	need_agent();
	hook_calls = 0;
	hook_publishes = true;
	r = ask(SNMP_MSG_GETBULK, (const oid[]){1, 1, 4, 0}, 4, 20);
	hook_publishes = false;
	assert_int_equal(hook_calls, 1);
	for (vb = r->variables; vb; vb = vb->next_variable, n++)
		if (n == 0)
			assert_int_equal(*vb->val.integer, 10001); /* numaLastRefresh.0 */
	assert_int_equal(n, 20);
	NAME_IS(r->variables, 1, 1, 5, 0);
	vb = r->variables;
	while (vb->next_variable)
		vb = vb->next_variable;
	/* 7 more scalars, then 13 node cells: CpuList x 3, CpuCapacity x 3, ... */
	NAME_IS(vb, 1, 2, 1, 6, 0);
	snmp_free_pdu(r);
	/* The next request sees the snapshot the hook published, and the request's pin was
	 * released: current and the memory of the last transaction hold it. */
	r = ASK(SNMP_MSG_GET, 1, 1, 5, 0);
	assert_int_equal(hook_calls, 2);
	assert_int_equal(*r->variables->val.integer, 10001);
	assert_int_equal(mib_current()->refs, 3); /* current, and the two transactions' slots */
	mib_forget_transaction();
	assert_int_equal(mib_current()->refs, 1);
	snmp_free_pdu(r);
	mib_publish(model);
}

/* One AgentX PDU as the subagent sees it: session, AgentX session id, transaction id. */
struct fake_req {
	netsnmp_pdu pdu;
	netsnmp_agent_session asp;
	netsnmp_agent_request_info ri;
};

static struct model *pin_as(struct fake_req *f, netsnmp_session *sess, long sessid, long transid)
{
	memset(f, 0, sizeof(*f));
	f->pdu.sessid = sessid;
	f->pdu.transid = transid;
	f->asp.session = sess;
	f->asp.pdu = &f->pdu;
	f->ri.asp = &f->asp;
	return mib_pin(&f->ri);
}

static void done_req(struct fake_req *f)
{
	netsnmp_free_agent_data_sets(&f->ri);
}

/* snmpd sends each repetition of a GETBULK as its own AgentX GetNext with one transaction id,
 * and the loop may rebuild between them: every PDU of the transaction reads the first one's
 * snapshot, without calling the refresh hook again, even when the PDUs of another transaction
 * come in between; another transaction, or another session, reads the current one. */
static void test_transaction_pins_one_snapshot(void **state)
{
	netsnmp_session s1, s2;
	struct fake_req f;
	struct model *first, *m, *other = build_model();

	(void)state;
	hook_calls = 0;
	hook_publishes = true;
	mib_set_refresh_hook(hook);
	first = pin_as(&f, &s1, 7, 500);
	assert_int_equal(hook_calls, 1);
	assert_ptr_equal(first, mib_current());
	model_ref(first);
	done_req(&f);
	/* a rebuild between two repetitions */
	mib_publish(other);
	for (int i = 0; i < 3; i++) {
		m = pin_as(&f, &s1, 7, 500);
		assert_ptr_equal(m, first);
		done_req(&f);
	}
	assert_int_equal(hook_calls, 1);
	assert_int_equal(first->refs, 2); /* ours and the transaction's */
	/* another transaction: the hook, the current snapshot */
	m = pin_as(&f, &s1, 7, 501);
	assert_int_equal(hook_calls, 2);
	assert_ptr_equal(m, mib_current());
	assert_ptr_not_equal(m, first);
	done_req(&f);
	/* the first one goes on, interleaved (two managers, or a client's retry) */
	m = pin_as(&f, &s1, 7, 500);
	assert_ptr_equal(m, first);
	done_req(&f);
	assert_int_equal(hook_calls, 2);
	/* the same transaction id from another session, or another AgentX session id */
	pin_as(&f, &s2, 7, 501);
	done_req(&f);
	assert_int_equal(hook_calls, 3);
	pin_as(&f, &s2, 8, 501);
	done_req(&f);
	assert_int_equal(hook_calls, 4);
	/* a new master session: ids may repeat; every slot lets its snapshot go */
	mib_forget_transaction();
	assert_int_equal(first->refs, 1);
	pin_as(&f, &s1, 7, 500);
	done_req(&f);
	assert_int_equal(hook_calls, 5);
	/* four slots: a fifth transaction takes the least recently used one (500) */
	for (long t = 701; t <= 704; t++) {
		pin_as(&f, &s1, 7, t);
		done_req(&f);
	}
	assert_int_equal(hook_calls, 9);
	pin_as(&f, &s1, 7, 701);
	done_req(&f);
	assert_int_equal(hook_calls, 9);
	pin_as(&f, &s1, 7, 500);
	done_req(&f);
	assert_int_equal(hook_calls, 10);
	/* a request without a session (none of the above to compare): the hook each time */
	memset(&f, 0, sizeof(f));
	mib_pin(&f.ri);
	done_req(&f);
	assert_int_equal(hook_calls, 11);
	hook_publishes = false;
	mib_set_refresh_hook(NULL);
	mib_publish(NULL); /* forgets the transactions too */
	assert_int_equal(other->refs, 1);
	model_unref(first);
	model_unref(other);
}

static void test_agent_two_tables_one_pdu_one_refresh(void **state)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *r = NULL;
	oid a[MAX_OID_LEN], b[MAX_OID_LEN];
	size_t alen = with_root(a, (const oid[]){1, 1, 5, 0}, 4);
	size_t blen = with_root(b, (const oid[]){1, 6, 1, 2, 4, 250}, 6);

	(void)state;
	need_agent();
	hook_calls = 0;
	snmp_add_null_var(pdu, a, alen);
	snmp_add_null_var(pdu, b, blen);
	assert_int_equal(snmp_synch_response(client, pdu, &r), STAT_SUCCESS);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(*r->variables->val.integer, 4242);
	assert_int_equal(*r->variables->next_variable->val.integer, 22);
	snmp_free_pdu(r);
}

static void test_agent_set_is_not_writable(void **state)
{
	netsnmp_pdu *r;

	(void)state;
	need_agent();
	r = ASK(SNMP_MSG_SET, 1, 2, 1, 3, 0);
	assert_int_equal(r->errstat, SNMP_ERR_NOTWRITABLE);
	snmp_free_pdu(r);
}

static void test_agent_nothing_published(void **state)
{
	netsnmp_pdu *r;

	(void)state;
	need_agent();
	mib_publish(NULL);
	r = ASK(SNMP_MSG_GET, 1, 1, 1, 0);
	assert_int_equal(r->variables->type, SNMP_NOSUCHOBJECT);
	snmp_free_pdu(r);
	r = ASK(SNMP_MSG_GETNEXT, 1, 1);
	assert_int_equal(r->variables->type, SNMP_ENDOFMIBVIEW);
	snmp_free_pdu(r);
	mib_publish(model);
}

static void test_agent_vm_tables_left_out(void **state)
{
	netsnmp_pdu *r;

	(void)state;
	need_agent();
	assert_int_equal(mib_register(false, true), 0);
	r = ASK(SNMP_MSG_GETNEXT, 1, 2, 1, 32, 250);
	NAME_IS(r->variables, 1, 6, 1, 2, 0, 0);
	snmp_free_pdu(r);
	/* the device table is a VM table: gone too */
	r = ASK(SNMP_MSG_GETNEXT, 1, 7, 1, 5, 250, 2048);
	assert_int_equal(r->variables->type, SNMP_ENDOFMIBVIEW);
	snmp_free_pdu(r);
	assert_int_equal(mib_register(true, false), 0);
	r = ASK(SNMP_MSG_GETNEXT, 1, 4, 1, 8, VMX, 4);
	NAME_IS(r->variables, 1, 6, 1, 2, 0, 0);
	snmp_free_pdu(r);
	mib_unregister();
	r = ASK(SNMP_MSG_GET, 1, 1, 1, 0);
	assert_int_equal(r->variables->type, SNMP_NOSUCHOBJECT);
	snmp_free_pdu(r);
	assert_int_equal(mib_register(true, true), 0);
	r = ASK(SNMP_MSG_GET, 1, 5, 1, 3, VMX, 5);
	assert_int_equal(*r->variables->val.integer, -1);
	snmp_free_pdu(r);
}

/* ---------------------------------------------------------------- main */

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_next_from_outside_root),
	    cmocka_unit_test(test_walk_every_table),
	    cmocka_unit_test(test_absent_counter_has_no_value),
	    cmocka_unit_test(test_unknown_memory_is_a_hole),
	    cmocka_unit_test(test_one_binary_search_per_request),
	    cmocka_unit_test(test_counter64_splits_high_and_low),
	    cmocka_unit_test(test_mem_headroom_rounds_down_and_clamps),
	    cmocka_unit_test(test_cpu_headroom_clamps_to_integer32),
	    cmocka_unit_test(test_gauge_and_unsigned_clamp),
	    cmocka_unit_test(test_mib_companions_round_down_and_saturate),
	    cmocka_unit_test(test_cpu_bitmap),
	    cmocka_unit_test(test_cpu_bitmap_whole_where_the_list_is_cut),
	    cmocka_unit_test(test_vcpu_and_emulator_bitmaps),
	    cmocka_unit_test(test_truth_values),
	    cmocka_unit_test(test_vcpu_node_minus_one_is_a_value),
	    cmocka_unit_test(test_strings_carry_their_length),
	    cmocka_unit_test(test_long_name_is_cut_on_a_character),
	    cmocka_unit_test(test_scalars),
	    cmocka_unit_test(test_unknown_column_is_refused),
	    cmocka_unit_test(test_every_column_reads_in_its_syntax),
	    cmocka_unit_test(test_column_gaps_are_skipped),
	    cmocka_unit_test(test_syntax_and_field_must_agree),
	    cmocka_unit_test(test_publish_keeps_references),
	    cmocka_unit_test(test_transaction_pins_one_snapshot),
	};
	static const struct CMUnitTest agent_tests[] = {
	    cmocka_unit_test(test_agent_get_counter64),
	    cmocka_unit_test(test_agent_get_missing),
	    cmocka_unit_test(test_agent_getnext_moves_to_next_table),
	    cmocka_unit_test(test_agent_getnext_from_before_the_root),
	    cmocka_unit_test(test_agent_getbulk_pins_one_snapshot),
	    cmocka_unit_test(test_agent_two_tables_one_pdu_one_refresh),
	    cmocka_unit_test(test_agent_set_is_not_writable),
	    cmocka_unit_test(test_agent_nothing_published),
	    cmocka_unit_test(test_agent_vm_tables_left_out),
	};
	struct CMUnitTest finds[ARRAY_SIZE(find_cases)];
	size_t i;
	int failed;

	for (i = 0; i < ARRAY_SIZE(find_cases); i++)
		finds[i] = (struct CMUnitTest){.name = find_cases[i].what,
					       .test_func = run_find_case,
					       .initial_state = (void *)&find_cases[i]};
	failed = _cmocka_run_group_tests("mib_find", finds, ARRAY_SIZE(finds), setup_models,
					 teardown_models);
	failed += cmocka_run_group_tests_name("mib_values", tests, setup_models, teardown_models);
	failed +=
	    cmocka_run_group_tests_name("mib_agent", agent_tests, setup_agent, teardown_agent);
	return failed;
}
