/* SPDX-License-Identifier: BSD-3-Clause */
/* mib.h: NUMA-TOPOLOGY-MIB over Net-SNMP, what the daemon calls: registration of the scalars
 * and tables, and (mib_pin.h) the snapshot they answer from. Reads struct model, opens no file. */
#ifndef NUMATOPD_MIB_H
#define NUMATOPD_MIB_H

#include <stdbool.h>

#include "snmp/mib_pin.h"

/* Register every scalar and table under the root. vm_tables=false leaves out numaVmTable,
 * numaVmAssignTable and numaVcpuTable; vcpu_table=false leaves out numaVcpuTable only.
 * Returns 0, or -1 after logging why. Call after init_agent(). */
int mib_register(bool vm_tables, bool vcpu_table);
void mib_unregister(void);

#endif
