/* mib.c: NUMA-TOPOLOGY-MIB registration: every group's table under the root, the VM tables
 * only when asked for. The snapshot they answer from is mib_pin.c's. */
#include "snmp/mib.h"

#include "snmp/mib_table.h"
#include "core/util.h"

/* One slot per group, in registration order; NULL = not registered. */
static netsnmp_handler_registration *regs[8];

int mib_register(bool vm_tables, bool vcpu_table)
{
	const struct mib_table *tables[ARRAY_SIZE(regs)];
	size_t n = 0, i;

	tables[n++] = &mib_scalars_table;
	tables[n++] = &mib_node_table;
	if (vm_tables) {
		tables[n++] = &mib_vm_table;
		tables[n++] = &mib_assign_table;
		if (vcpu_table)
			tables[n++] = &mib_vcpu_table;
	}
	tables[n++] = &mib_distance_table;
	tables[n++] = &mib_hugepage_table;
	if (vm_tables)
		tables[n++] = &mib_device_table;

	mib_unregister();
	for (i = 0; i < n; i++) {
		regs[i] = mib_table_register(tables[i]);
		if (regs[i] == NULL) {
			snmp_log(LOG_ERR, "NUMA-TOPOLOGY-MIB: not registered\n");
			mib_unregister();
			return -1;
		}
	}
	return 0;
}

void mib_unregister(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		/* Frees the registration and its handlers. */
		if (regs[i])
			netsnmp_unregister_handler(regs[i]);
		regs[i] = NULL;
	}
}
