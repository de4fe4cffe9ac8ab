/* mib_vm.c: numaVmTable (R.1.3), one row per VM, INDEX { numaVmIndex }: identity, size and
 * where it is placed (rules R1, R10 and the per-VM values of the README). */
#include "snmp/mib_table.h"

enum {
	COL_NAME = 2,
	COL_UUID,
	COL_DISPLAY_NAME,
	COL_STATE,
	COL_PID,
	COL_VCPUS,
	COL_VCPUS_MAX,
	COL_MEMORY,
	COL_PLACEMENT,
	COL_NODES,
	COL_MEM_MODE,
	COL_REMOTE_VCPUS,
	COL_HUGEPAGE_SIZE,
	COL_EMULATOR_CPUS,
};

static size_t count(const struct model *m)
{
	return m->nvms;
}

static void index_of(const struct model *m, size_t pos, uint32_t idx[])
{
	idx[0] = m->vms[pos].index;
}

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_vm_lower(m, idx[0]);
}

static int get(const struct model *m, size_t pos, unsigned col, struct mib_value *v)
{
	const struct vm_row *r = &m->vms[pos];

	switch (col) {
	case COL_NAME:
		mib_set_string(v, r->name);
		break;
	case COL_UUID:
		mib_set_string(v, r->uuid);
		break;
	case COL_DISPLAY_NAME:
		mib_set_string(v, r->display_name);
		break;
	case COL_STATE:
		mib_set_integer(v, r->state);
		break;
	case COL_PID:
		mib_set_unsigned(v, r->pid);
		break;
	case COL_VCPUS:
		mib_set_gauge(v, r->vcpus);
		break;
	case COL_VCPUS_MAX:
		mib_set_gauge(v, r->vcpus_max);
		break;
	case COL_MEMORY:
		mib_set_counter64(v, r->memory);
		break;
	case COL_PLACEMENT:
		mib_set_integer(v, r->placement);
		break;
	case COL_NODES:
		mib_set_list(v, r->nodes);
		break;
	case COL_MEM_MODE:
		mib_set_integer(v, r->mem_mode);
		break;
	case COL_REMOTE_VCPUS:
		mib_set_gauge(v, r->remote_vcpus);
		break;
	case COL_HUGEPAGE_SIZE:
		mib_set_unsigned(v, r->huge_kib);
		break;
	case COL_EMULATOR_CPUS:
		mib_set_list(v, r->emulator_cpus);
		break;
	default:
		return -1;
	}
	return 0;
}

const struct mib_table mib_vm_table = {
    .name = "numaVmTable",
    .entry = {NUMA_MIB_ROOT, 1, 3, 1},
    .entry_len = NUMA_MIB_ROOT_LEN + 3,
    .reg_len = NUMA_MIB_ROOT_LEN + 2,
    .first_col = COL_NAME,
    .last_col = COL_EMULATOR_CPUS,
    .arity = 1,
    .count = count,
    .index = index_of,
    .lower = lower,
    .get = get,
};
