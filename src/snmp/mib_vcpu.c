/* mib_vcpu.c: numaVcpuTable (R.1.5), INDEX { numaVmIndex, numaVcpuId }: each online vCPU's
 * affinity, node and guest cell (rules R2, R3 and R7). */
#include "snmp/mib_table.h"

enum {
	COL_AFFINITY = 2,
	COL_NODE,
	COL_GUEST_CELL,
	COL_REMOTE,
	COL_THREAD_ID,
};

static size_t count(const struct model *m)
{
	return m->nvcpus;
}

static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	idx[0] = m->vcpus[pos].vm;
	idx[1] = m->vcpus[pos].vcpu;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_vcpu_lower(m, idx[0], idx[1]);
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	const struct vcpu_row *r = &m->vcpus[pos];

	switch (col) {
	case COL_AFFINITY:
		mib_set_list(v, r->affinity);
		break;
	case COL_NODE:
		mib_set_integer(v, r->node);
		break; /* -1: spanning or floating */
	case COL_GUEST_CELL:
		mib_set_integer(v, r->cell);
		break;
	case COL_REMOTE:
		mib_set_truth(v, r->remote);
		break;
	case COL_THREAD_ID:
		mib_set_unsigned(v, r->tid);
		break;
	default:
		return -1;
	}
	return 0;
}

const struct mib_table mib_vcpu_table = {
    .name = "numaVcpuTable",
    .entry = {NUMA_MIB_ROOT, 1, 5, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 3,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_AFFINITY,
    .last_col = COL_THREAD_ID,
    .arity = 2,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
