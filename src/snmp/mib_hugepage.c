/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_hugepage.c: numaHugepageTable (R.1.7), INDEX { numaNodeId, numaHugepageSize }: each
 * node's hugepage pools against what the VMs demand of them (rule R8). */
#include "snmp/mib_table.h"

#define AT(member, kind) MIB_AT(struct huge_row, member, kind)

static const struct mib_column columns[] = {
    {2, "numaHugepageTotal", SMI_GAUGE32, AT(total, U64)},
    {3, "numaHugepageFree", SMI_GAUGE32, AT(free, U64)},
    {4, "numaHugepageVmDemand", SMI_GAUGE32, AT(demand, U64)},
    {5, "numaHugepageOversubscribed", SMI_TRUTHVALUE, AT(over, BOOL)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_huge_lower(m, idx[0], idx[1]);
}

/* The page size in KiB is a uint64_t: its sub-id saturates at 2^32-1 (mib_key_subid). A page
 * of 4 TiB exists on no architecture; were it to, such rows would share one index (GETNEXT
 * still moves forward). */
const struct mib_table mib_hugepage_table = {
    .name = "numaHugepageTable",
    MIB_TABLE_ENTRY(7),
    MIB_COLUMNS(columns),
    MIB_ROWS(huges, nhuges),
    MIB_KEYS(MIB_KEY(struct huge_row, node, U32), MIB_KEY(struct huge_row, size_kib, U64)),
    .lower = lower,
};
