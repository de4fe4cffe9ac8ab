/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_vcpu.c: numaVcpuTable (R.1.5), INDEX { numaVmIndex, numaVcpuId }: each online vCPU's
 * affinity, node and guest cell (rules R2, R3 and R7). */
#include "snmp/mib_table.h"

#define AT(member, kind) MIB_AT(struct vcpu_row, member, kind)

static const struct mib_column columns[] = {
    {2, "numaVcpuAffinity", SMI_DISPLAYSTRING, AT(affinity, LIST)},
    {3, "numaVcpuNode", SMI_INTEGER32, AT(node, INT)}, /* -1: spanning or floating */
    {4, "numaVcpuGuestCell", SMI_INTEGER32, AT(cell, INT)},
    {5, "numaVcpuRemote", SMI_TRUTHVALUE, AT(remote, BOOL)},
    {6, "numaVcpuThreadId", SMI_UNSIGNED32, AT(tid, U64)},
    {7, "numaVcpuAffinityBitmap", SMI_CPUBITMAP, AT(affinity, LIST)},
    {8, "numaVcpuActualAffinity", SMI_DISPLAYSTRING, AT(actual, LIST)}, /* "": not measured */
    {9, "numaVcpuAffinityVerdict", SMI_ENUM, AT(verdict, ENUM)},
    {10, "numaVcpuLastCpu", SMI_INTEGER32, AT(last_cpu, INT)},
    {11, "numaVcpuLastNode", SMI_INTEGER32, AT(last_node, INT)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_vcpu_lower(m, idx[0], idx[1]);
}

const struct mib_table mib_vcpu_table = {
    .name = "numaVcpuTable",
    MIB_TABLE_ENTRY(5),
    MIB_COLUMNS(columns),
    MIB_ROWS(vcpus, nvcpus),
    MIB_KEYS(MIB_KEY(struct vcpu_row, vm, U32), MIB_KEY(struct vcpu_row, vcpu, U32)),
    .lower = lower,
};
