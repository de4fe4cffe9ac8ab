/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_scalars.c: numaScalars (R.1.1): counts and source health of the snapshot, served as a
 * one-row "table" whose row is the model and whose index is the .0 instance sub-id, so GETNEXT
 * walks it like a table. */
#include "snmp/mib_table.h"

#define AT(member, kind) MIB_AT(struct model, member, kind)

static const struct mib_column columns[] = {
    {1, "numaNodeCount", SMI_GAUGE32, AT(nnodes, SIZE)},
    {2, "numaVmCount", SMI_GAUGE32, AT(nvms, SIZE)},
    {3, "numaVmFloatingCount", SMI_GAUGE32, AT(vm_floating, U32)},
    {4, "numaVmMisalignedCount", SMI_GAUGE32, AT(vm_misaligned, U32)},
    {5, "numaLastRefresh", SMI_TIMESTAMP, AT(last_refresh, U32)},
    {6, "numaTableLastChange", SMI_TIMESTAMP, AT(last_change, U32)},
    {7, "numaParseErrors", SMI_COUNTER32, AT(parse_errors, U32)},
    {8, "numaInvalidFiles", SMI_GAUGE32, AT(invalid_files, U32)},
    {9, "numaSourceStatus", SMI_ENUM, AT(source_status, INT)},
    {10, "numaCpuAllocationRatio", SMI_UNSIGNED32, AT(cpu_ratio_pct, U32)},
    {11, "numaMemAllocationRatio", SMI_UNSIGNED32, AT(mem_ratio_pct, U32)},
};

const struct mib_table mib_scalars_table = {
    .name = "numaScalars",
    .entry = {NUMA_MIB_ROOT, 1, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 2,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    MIB_COLUMNS(columns),
    .scalars = true,
    .arity = 1,
};
