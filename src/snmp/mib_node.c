/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_node.c: numaNodeTable (R.1.2), one row per host NUMA node, INDEX { numaNodeId }: the
 * node's capacity, what the VMs take of it, headroom and oversubscription flags (rule R9). */
#include "snmp/mib_table.h"

#define MIB_BYTES 1048576

/* numaNodeMemHeadroom: MiB rounded toward minus infinity (C division truncates toward zero),
 * so that -1 means "over by up to 1 MiB" as the MIB says. */
static int64_t mem_headroom_mib(const void *row)
{
	int64_t bytes = ((const struct node_row *)row)->mem_headroom;
	int64_t q = bytes / MIB_BYTES;

	return bytes % MIB_BYTES < 0 ? q - 1 : q;
}

/* The used percentages exist only where there is one: use over a limit of 0 has none (rule
 * R9), and its instance is absent rather than an in-band number. */
static bool cpu_pct_defined(const void *row)
{
	return !((const struct node_row *)row)->cpu_pct_none;
}

/* A node whose meminfo could not be read has unknown memory (rule R9): its capacity, free
 * memory and what the limit makes of them are holes, never 0. What the VMs put there is known. */
static bool mem_known(const void *row)
{
	return ((const struct node_row *)row)->mem_known;
}

static bool mem_pct_defined(const void *row)
{
	return mem_known(row) && !((const struct node_row *)row)->mem_pct_none;
}

#define AT_IF(member, kind, present) MIB_AT_IF(struct node_row, member, kind, present)

/* A numastat counter: present only for a node whose numastat file has its line. */
#define NUMASTAT_PRESENT(fn, key)                                                                  \
	static bool fn(const void *row)                                                            \
	{                                                                                          \
		return numastat_has(&((const struct node_row *)row)->numastat, key);               \
	}
NUMASTAT_PRESENT(has_hit, NUMASTAT_HIT)
NUMASTAT_PRESENT(has_miss, NUMASTAT_MISS)
NUMASTAT_PRESENT(has_foreign, NUMASTAT_FOREIGN)
NUMASTAT_PRESENT(has_interleave, NUMASTAT_INTERLEAVE)
NUMASTAT_PRESENT(has_local, NUMASTAT_LOCAL)
NUMASTAT_PRESENT(has_other, NUMASTAT_OTHER)

#define AT(member, kind) MIB_AT(struct node_row, member, kind)
#define NUMASTAT(key, present) MIB_AT_IF(struct node_row, numastat.v[key], U64, present)

static const struct mib_column columns[] = {
    /* what the node has and what the VMs take of it */
    {2, "numaNodeCpuList", SMI_DISPLAYSTRING, AT(cpulist, LIST)},
    {3, "numaNodeCpuCapacity", SMI_GAUGE32, AT(cpu_capacity, U32)},
    {4, "numaNodeMemCapacity", SMI_COUNTERBASEDGAUGE64, AT_IF(mem_total, U64, mem_known)},
    {5, "numaNodeMemFree", SMI_COUNTERBASEDGAUGE64, AT_IF(mem_free, U64, mem_known)},
    {6, "numaNodeVcpusBound", SMI_GAUGE32, AT(vcpus_bound, U32)},
    {7, "numaNodeVcpusSpanning", SMI_GAUGE32, AT(vcpus_spanning, U32)},
    {8, "numaNodeMemUsed", SMI_COUNTERBASEDGAUGE64, AT(mem_used, U64)},
    {9, "numaNodeMemSpanning", SMI_COUNTERBASEDGAUGE64, AT(mem_spanning, U64)},
    {10, "numaNodeVmCount", SMI_GAUGE32, AT(vm_count, U32)},
    /* against the limits (rule R9) */
    {11, "numaNodeCpuHeadroom", SMI_INTEGER32, AT(cpu_headroom, I64)},
    {12, "numaNodeMemHeadroom", SMI_INTEGER32, MIB_GETTER_IF(mem_headroom_mib, mem_known)},
    {13, "numaNodeCpuUsedPercent", SMI_GAUGE32, AT_IF(cpu_used_pct, U32, cpu_pct_defined)},
    {14, "numaNodeMemUsedPercent", SMI_GAUGE32, AT_IF(mem_used_pct, U32, mem_pct_defined)},
    {15, "numaNodeCpuOversubscribed", SMI_TRUTHVALUE, AT(cpu_over, BOOL)},
    {16, "numaNodeMemOversubscribed", SMI_TRUTHVALUE, AT(mem_over, BOOL)},
    {17, "numaNodeHugepagesOversubscribed", SMI_TRUTHVALUE, AT(huge_over, BOOL)},
    /* Gauge32 companions of the byte counts, in MiB rounded down, saturated */
    {18, "numaNodeMemCapacityMiB", SMI_GAUGE32, AT_IF(mem_total, MEBI, mem_known)},
    {19, "numaNodeMemFreeMiB", SMI_GAUGE32, AT_IF(mem_free, MEBI, mem_known)},
    {20, "numaNodeMemUsedMiB", SMI_GAUGE32, AT(mem_used, MEBI)},
    {21, "numaNodeMemSpanningMiB", SMI_GAUGE32, AT(mem_spanning, MEBI)},
    /* numaNodeCpuList whole, one bit per CPU */
    {22, "numaNodeCpuBitmap", SMI_CPUBITMAP, AT(cpulist, LIST)},
    /* passthrough devices and the kernel's memory-traffic counters */
    {23, "numaNodeAssignedDevices", SMI_GAUGE32, AT(pci_devices, U32)},
    {24, "numaNodeNumaHit", SMI_COUNTER64, NUMASTAT(NUMASTAT_HIT, has_hit)},
    {25, "numaNodeNumaMiss", SMI_COUNTER64, NUMASTAT(NUMASTAT_MISS, has_miss)},
    {26, "numaNodeNumaForeign", SMI_COUNTER64, NUMASTAT(NUMASTAT_FOREIGN, has_foreign)},
    {27, "numaNodeInterleaveHit", SMI_COUNTER64, NUMASTAT(NUMASTAT_INTERLEAVE, has_interleave)},
    {28, "numaNodeLocalNode", SMI_COUNTER64, NUMASTAT(NUMASTAT_LOCAL, has_local)},
    {29, "numaNodeOtherNode", SMI_COUNTER64, NUMASTAT(NUMASTAT_OTHER, has_other)},
    {30, "numaNodeMemResidentByVms", SMI_COUNTERBASEDGAUGE64, AT(mem_resident_vms, U64)},
    {31, "numaNodeVcpusRunning", SMI_GAUGE32, AT(vcpus_running, U32)},
    /* Gauge32 companions of the byte counts added after 21, in MiB rounded down, saturated */
    {32, "numaNodeMemResidentByVmsMiB", SMI_GAUGE32, AT(mem_resident_vms, MEBI)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_node_lower(m, idx[0]);
}

const struct mib_table mib_node_table = {
    .name = "numaNodeTable",
    MIB_TABLE_ENTRY(2),
    MIB_COLUMNS(columns),
    MIB_ROWS(nodes, nnodes),
    MIB_KEYS(MIB_KEY(struct node_row, id, U32)),
    .lower = lower,
};
