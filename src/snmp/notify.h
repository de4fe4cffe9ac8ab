/* notify.h: NUMA-TOPOLOGY-MIB notifications: the alarm rules' events become SNMPv2 traps sent
 * through the AgentX master, queued while it is away. SNMP glue: reads models, opens no file. */
#ifndef NUMATOPD_NOTIFY_H
#define NUMATOPD_NOTIFY_H

#include <stdint.h>

#include "core/alarm.h"
#include "core/model.h"
#include "snmp/config.h"

/* The most objects one notification carries. */
#define NOTIFY_MAX_OBJECTS 3

struct mib_table;

/* Follow the AgentX session (connected, lost, back). Call once, before init_snmp(): the
 * subagent connects while the configuration is read. */
void notify_init(void);
/* Apply notifications, notifyOnStartup, notificationHoldDown, notificationQueue (startup and
 * every reload). Turning notifications on starts afresh, as at startup. */
void notify_configure(const struct daemon_config *cfg);
/* After every rebuild (and when a hold-down runs out): queue what is due. */
void notify_update(const struct model *m);
/* Send the queue while the master is there; after it came back, replay the raises first
 * sent to the old master (notifyOnStartup). Cheap when there is nothing to do: the event loop
 * calls it every turn, so nothing is sent from inside a request handler. */
void notify_flush(void);
/* Milliseconds until a held-down raise falls due (rebuild then), UINT64_MAX for none. */
uint64_t notify_next_due(void);
void notify_shutdown(void);

/* The table whose row notifications of this kind describe, and (names, NULL-terminated) the
 * MIB names of the columns they carry, in the order of the MIB's OBJECTS clause. */
const struct mib_table *notify_objects(enum alarm_kind kind, const char *const **names);

#endif
