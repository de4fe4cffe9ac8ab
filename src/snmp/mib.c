/* SPDX-License-Identifier: BSD-3-Clause */
/* mib.c: NUMA-TOPOLOGY-MIB registration: every group's table under the root, the VM tables
 * only when asked for, and the module's compliance in sysORTable. The snapshot they answer from
 * is mib_pin.c's. */
#include "snmp/mib.h"

#include "snmp/mib_table.h"
#include "core/util.h"

#include <net-snmp/agent/agent_sysORTable.h>
#include <net-snmp/agent/sysORTable.h>

/* One slot per group, in registration order; NULL = not registered. */
static netsnmp_handler_registration *regs[8];

/* numaCompliance (numaConformance.numaCompliances.1) in the master's sysORTable, as agents
 * announce the modules they implement: a subagent's entry goes to the master as an AgentX
 * AddAgentCaps (again after each reconnection, by Net-SNMP's subagent code). */
static oid compliance[] = {NUMA_MIB_ROOT, 2, 1, 1};
static bool sysor_registered;
#define SYSOR_DESCR                                                                                \
	"NUMA-TOPOLOGY-MIB (numatopd): the host NUMA topology and the VMs placed on it"

static void sysor_register(void)
{
	if (register_sysORTable(compliance, ARRAY_SIZE(compliance), SYSOR_DESCR) ==
	    SYS_ORTABLE_REGISTERED_OK)
		sysor_registered = true;
	else
		snmp_log(LOG_WARNING, "NUMA-TOPOLOGY-MIB: not listed in sysORTable\n");
}

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
	sysor_register();
	return 0;
}

void mib_unregister(void)
{
	size_t i;

	if (sysor_registered)
		unregister_sysORTable(compliance, ARRAY_SIZE(compliance));
	sysor_registered = false;
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		/* Frees the registration and its handlers. */
		if (regs[i])
			netsnmp_unregister_handler(regs[i]);
		regs[i] = NULL;
	}
}
