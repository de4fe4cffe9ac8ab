/* mib_distance.c: numaNodeDistanceTable (R.1.6), INDEX { numaNodeId, numaNodeDistancePeer }:
 * the kernel's node distance matrix (node<N>/distance), one row per pair. */
#include "snmp/mib_table.h"

enum { COL_VALUE = 2 };

static size_t count(const struct model *m)
{
	return m->ndists;
}

static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	idx[0] = m->dists[pos].node;
	idx[1] = m->dists[pos].peer;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_dist_lower(m, idx[0], idx[1]);
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	if (col != COL_VALUE)
		return -1;
	mib_set_gauge(v, m->dists[pos].value);
	return 0;
}

const struct mib_table mib_distance_table = {
    .name = "numaNodeDistanceTable",
    .entry = {NUMA_MIB_ROOT, 1, 6, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 3,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_VALUE,
    .last_col = COL_VALUE,
    .arity = 2,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
