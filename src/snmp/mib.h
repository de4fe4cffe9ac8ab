/* mib.h: NUMA-TOPOLOGY-MIB over Net-SNMP: registration of the scalars and tables, and the
 * snapshot they answer from. SNMP glue only: reads struct model, never opens a file. */
#ifndef NUMATOPD_MIB_H
#define NUMATOPD_MIB_H

#include <stdbool.h>

#include "core/model.h"

/* The provisional root, 1.3.6.1.4.1.8072.9999.9999.6862 (netSnmpPlaypen.6862): the one place
 * in the code that names it. Change it here (and in mibs/NUMA-TOPOLOGY-MIB.txt) when a private
 * enterprise number is assigned. */
#define NUMA_MIB_ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 6862
#define NUMA_MIB_ROOT_LEN 10

/* Register every scalar and table under the root. vm_tables=false leaves out numaVmTable,
 * numaVmAssignTable and numaVcpuTable; vcpu_table=false leaves out numaVcpuTable only.
 * Returns 0, or -1 after logging why. Call after init_agent(). */
int mib_register(bool vm_tables, bool vcpu_table);
void mib_unregister(void);

/* Make m the snapshot new requests answer from (takes a reference, drops the old one; a
 * request already in flight keeps the snapshot it started with). */
void mib_publish(struct model *m);
/* The published snapshot, not referenced (NULL before the first publish). */
struct model *mib_current(void);

/* Called once per incoming request, before it pins its snapshot: the daemon uses it for the
 * on-demand rebuild (at most once per second). NULL = none. Not called for the further PDUs of
 * one master transaction: snmpd sends each repetition of a GETBULK as its own AgentX GetNext
 * with the GETBULK's transaction id, and all of them read the snapshot the first one pinned. */
void mib_set_refresh_hook(void (*fn)(void));

/* Forget the transactions remembered (their snapshots are released once no request holds
 * them): a new AgentX session starts, whose transaction ids may repeat the old session's. */
void mib_forget_transaction(void);

#endif
