/* mib_assign.c: numaVmAssignTable (R.1.4), INDEX { numaVmIndex, numaNodeId }: what one VM
 * takes of one host node (rules R3 and R6). Every column is accessible, from 1. */
#include "snmp/mib_table.h"

enum {
	COL_VCPUS = 1,
	COL_VCPUS_SPANNING,
	COL_MEMORY,
	COL_MEM_SPANNING,
};

static size_t count(const struct model *m)
{
	return m->nassigns;
}

static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	idx[0] = m->assigns[pos].vm;
	idx[1] = m->assigns[pos].node;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_assign_lower(m, idx[0], idx[1]);
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	const struct assign_row *r = &m->assigns[pos];

	switch (col) {
	case COL_VCPUS:
		mib_set_gauge(v, r->vcpus);
		break;
	case COL_VCPUS_SPANNING:
		mib_set_gauge(v, r->vcpus_spanning);
		break;
	case COL_MEMORY:
		mib_set_counter64(v, r->mem);
		break;
	case COL_MEM_SPANNING:
		mib_set_counter64(v, r->mem_spanning);
		break;
	default:
		return -1;
	}
	return 0;
}

const struct mib_table mib_assign_table = {
    .name = "numaVmAssignTable",
    .entry = {NUMA_MIB_ROOT, 1, 4, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 3,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_VCPUS,
    .last_col = COL_MEM_SPANNING,
    .arity = 2,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
