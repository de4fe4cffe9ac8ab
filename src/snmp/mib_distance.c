/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_distance.c: numaNodeDistanceTable (R.1.6), INDEX { numaNodeId, numaNodeDistancePeer }:
 * the kernel's node distance matrix (node<N>/distance), one row per pair. */
#include "snmp/mib_table.h"

static const struct mib_column columns[] = {
    {2, "numaNodeDistanceValue", SMI_GAUGE32, MIB_AT(struct dist_row, value, U32)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_dist_lower(m, idx[0], idx[1]);
}

const struct mib_table mib_distance_table = {
    .name = "numaNodeDistanceTable",
    MIB_TABLE_ENTRY(6),
    MIB_COLUMNS(columns),
    MIB_ROWS(dists, ndists),
    MIB_KEYS(MIB_KEY(struct dist_row, node, U32), MIB_KEY(struct dist_row, peer, U32)),
    .lower = lower,
};
