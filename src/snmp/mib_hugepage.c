/* mib_hugepage.c: numaHugepageTable (R.1.7), INDEX { numaNodeId, numaHugepageSize }: each
 * node's hugepage pools against what the VMs demand of them (rule R8). */
#include "snmp/mib_table.h"

enum {
	COL_TOTAL = 2,
	COL_FREE,
	COL_VM_DEMAND,
	COL_OVER,
};

static size_t count(const struct model *m)
{
	return m->nhuges;
}

/* A page size in KiB above 2^32-1 (4 TiB pages) exists on no architecture; were it to, the
 * sub-id would saturate and such rows would share one index (GETNEXT still moves forward). */
static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	uint64_t kib = m->huges[pos].size_kib;

	idx[0] = m->huges[pos].node;
	idx[1] = kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_huge_lower(m, idx[0], idx[1]);
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	const struct huge_row *r = &m->huges[pos];

	switch (col) {
	case COL_TOTAL:
		mib_set_gauge(v, r->total);
		break;
	case COL_FREE:
		mib_set_gauge(v, r->free);
		break;
	case COL_VM_DEMAND:
		mib_set_gauge(v, r->demand);
		break;
	case COL_OVER:
		mib_set_truth(v, r->over);
		break;
	default:
		return -1;
	}
	return 0;
}

const struct mib_table mib_hugepage_table = {
    .name = "numaHugepageTable",
    .entry = {NUMA_MIB_ROOT, 1, 7, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 3,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_TOTAL,
    .last_col = COL_OVER,
    .arity = 2,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
