/* SPDX-License-Identifier: BSD-3-Clause */
/* master.h: the AgentX master as the user sees it in the log: the address tried and, while
 * there is no session, why connecting fails (errno), once per change. */
#ifndef NUMATOPD_MASTER_H
#define NUMATOPD_MASTER_H

/* Before init_snmp(): silence the library's reasonless "Failed to connect" lines and follow
 * the sessions. */
void master_init(void);
/* After init_snmp(), and again every interval s (agentxPingInterval, the library's retry):
 * while no session is open, log why once per change. */
void master_watch(unsigned interval);
void master_shutdown(void);

/* The address numatopd tries: -x, else agentXSocket, else Net-SNMP's default. */
const char *master_address(void);

#endif
