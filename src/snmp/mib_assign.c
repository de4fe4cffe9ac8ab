/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_assign.c: numaVmAssignTable (R.1.4), INDEX { numaVmIndex, numaNodeId }: what one VM
 * takes of one host node (rules R3 and R6). Every column is accessible, from 1. */
#include "snmp/mib_table.h"

#define AT(member, kind) MIB_AT(struct assign_row, member, kind)

static const struct mib_column columns[] = {
    {1, "numaVmAssignVcpus", SMI_GAUGE32, AT(vcpus, U32)},
    {2, "numaVmAssignVcpusSpanning", SMI_GAUGE32, AT(vcpus_spanning, U32)},
    {3, "numaVmAssignMemory", SMI_COUNTERBASEDGAUGE64, AT(mem, U64)},
    {4, "numaVmAssignMemSpanning", SMI_COUNTERBASEDGAUGE64, AT(mem_spanning, U64)},
    {5, "numaVmAssignMemoryMiB", SMI_GAUGE32, AT(mem, MEBI)},
    {6, "numaVmAssignMemSpanningMiB", SMI_GAUGE32, AT(mem_spanning, MEBI)},
    {7, "numaVmAssignMemResident", SMI_COUNTERBASEDGAUGE64, AT(mem_resident, U64)},
    {8, "numaVmAssignMemResidentMiB", SMI_GAUGE32, AT(mem_resident, MEBI)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_assign_lower(m, idx[0], idx[1]);
}

const struct mib_table mib_assign_table = {
    .name = "numaVmAssignTable",
    MIB_TABLE_ENTRY(4),
    MIB_COLUMNS(columns),
    MIB_ROWS(assigns, nassigns),
    MIB_KEYS(MIB_KEY(struct assign_row, vm, U32), MIB_KEY(struct assign_row, node, U32)),
    .lower = lower,
};
