/* mib_scalars.c: numaScalars (R.1.1): counts and source health of the snapshot, served as a
 * one-row "table" whose index is the .0 instance sub-id, so GETNEXT walks it like a table. */
#include "snmp/mib_table.h"

enum {
	COL_NODE_COUNT = 1,
	COL_VM_COUNT,
	COL_VM_FLOATING,
	COL_VM_MISALIGNED,
	COL_LAST_REFRESH,
	COL_LAST_CHANGE,
	COL_PARSE_ERRORS,
	COL_INVALID_FILES,
	COL_SOURCE_STATUS,
	COL_CPU_RATIO,
	COL_MEM_RATIO,
};

static size_t count(const struct model *m)
{
	(void)m;
	return 1;
}

static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	(void)m;
	(void)pos;
	idx[0] = 0;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	(void)m;
	return idx[0] == 0 ? 0 : 1;
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	(void)pos;
	switch (col) {
	case COL_NODE_COUNT:
		mib_set_gauge(v, m->nnodes);
		break;
	case COL_VM_COUNT:
		mib_set_gauge(v, m->nvms);
		break;
	case COL_VM_FLOATING:
		mib_set_gauge(v, m->vm_floating);
		break;
	case COL_VM_MISALIGNED:
		mib_set_gauge(v, m->vm_misaligned);
		break;
	case COL_LAST_REFRESH:
		mib_set_ticks(v, m->last_refresh);
		break;
	case COL_LAST_CHANGE:
		mib_set_ticks(v, m->last_change);
		break;
	case COL_PARSE_ERRORS:
		mib_set_counter(v, m->parse_errors);
		break;
	case COL_INVALID_FILES:
		mib_set_gauge(v, m->invalid_files);
		break;
	case COL_SOURCE_STATUS:
		mib_set_integer(v, m->source_status);
		break;
	case COL_CPU_RATIO:
		mib_set_unsigned(v, m->cpu_ratio_pct);
		break;
	case COL_MEM_RATIO:
		mib_set_unsigned(v, m->mem_ratio_pct);
		break;
	default:
		return -1;
	}
	return 0;
}

const struct mib_table mib_scalars_table = {
    .name = "numaScalars",
    .entry = {NUMA_MIB_ROOT, 1, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 2,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_NODE_COUNT,
    .last_col = COL_MEM_RATIO,
    .arity = 1,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
