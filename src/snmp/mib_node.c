/* mib_node.c: numaNodeTable (R.1.2), one row per host NUMA node, INDEX { numaNodeId }: the
 * node's capacity, what the VMs take of it, headroom and oversubscription flags (rule R9). */
#include "snmp/mib_table.h"

enum {
	COL_CPU_LIST = 2,
	COL_CPU_CAPACITY,
	COL_MEM_CAPACITY,
	COL_MEM_FREE,
	COL_VCPUS_BOUND,
	COL_VCPUS_SPANNING,
	COL_MEM_USED,
	COL_MEM_SPANNING,
	COL_VM_COUNT,
	COL_CPU_HEADROOM,
	COL_MEM_HEADROOM,
	COL_CPU_USED_PCT,
	COL_MEM_USED_PCT,
	COL_CPU_OVER,
	COL_MEM_OVER,
	COL_HUGE_OVER,
};

#define MIB_BYTES 1048576

static size_t count(const struct model *m)
{
	return m->nnodes;
}

static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	idx[0] = m->nodes[pos].id;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_node_lower(m, idx[0]);
}

/* MiB rounded toward minus infinity (C division truncates toward zero), so that -1 means
 * "over by up to 1 MiB" as the MIB says. */
static int64_t floor_mib(int64_t bytes)
{
	int64_t q = bytes / MIB_BYTES;

	return bytes % MIB_BYTES < 0 ? q - 1 : q;
}

/* Columns 2..10: what the node has and what the VMs take of it. */
static int get_usage(const struct node_row *n, unsigned col, struct mib_value *v)
{
	switch (col) {
	case COL_CPU_LIST:
		mib_set_list(v, n->cpulist);
		break;
	case COL_CPU_CAPACITY:
		mib_set_gauge(v, n->cpu_capacity);
		break;
	case COL_MEM_CAPACITY:
		mib_set_counter64(v, n->mem_total);
		break;
	case COL_MEM_FREE:
		mib_set_counter64(v, n->mem_free);
		break;
	case COL_VCPUS_BOUND:
		mib_set_gauge(v, n->vcpus_bound);
		break;
	case COL_VCPUS_SPANNING:
		mib_set_gauge(v, n->vcpus_spanning);
		break;
	case COL_MEM_USED:
		mib_set_counter64(v, n->mem_used);
		break;
	case COL_MEM_SPANNING:
		mib_set_counter64(v, n->mem_spanning);
		break;
	case COL_VM_COUNT:
		mib_set_gauge(v, n->vm_count);
		break;
	default:
		return -1;
	}
	return 0;
}

/* Columns 11..17: against the limits (rule R9). */
static int get_limits(const struct node_row *n, unsigned col, struct mib_value *v)
{
	switch (col) {
	case COL_CPU_HEADROOM:
		mib_set_integer(v, n->cpu_headroom);
		break;
	case COL_MEM_HEADROOM:
		mib_set_integer(v, floor_mib(n->mem_headroom));
		break;
	case COL_CPU_USED_PCT:
		mib_set_gauge(v, n->cpu_used_pct);
		break;
	case COL_MEM_USED_PCT:
		mib_set_gauge(v, n->mem_used_pct);
		break;
	case COL_CPU_OVER:
		mib_set_truth(v, n->cpu_over);
		break;
	case COL_MEM_OVER:
		mib_set_truth(v, n->mem_over);
		break;
	case COL_HUGE_OVER:
		mib_set_truth(v, n->huge_over);
		break;
	default:
		return -1;
	}
	return 0;
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	const struct node_row *n = &m->nodes[pos];

	return col < COL_CPU_HEADROOM ? get_usage(n, col, v) : get_limits(n, col, v);
}

const struct mib_table mib_node_table = {
    .name = "numaNodeTable",
    .entry = {NUMA_MIB_ROOT, 1, 2, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 3,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_CPU_LIST,
    .last_col = COL_HUGE_OVER,
    .arity = 1,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
