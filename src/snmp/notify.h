/* SPDX-License-Identifier: BSD-3-Clause */
/* notify.h: NUMA-TOPOLOGY-MIB notifications: the alarm rules' events become SNMPv2 traps sent
 * through the AgentX master, queued while it is away. SNMP glue: reads models, opens no file. */
#ifndef NUMATOPD_NOTIFY_H
#define NUMATOPD_NOTIFY_H

#include <stdint.h>

#include "core/alarm.h"
#include "core/model.h"
#include "snmp/settings.h"

/* The most objects one notification carries. */
#define NOTIFY_MAX_OBJECTS 5

struct mib_table;

/* Follow the AgentX session (connected, lost, back). Call once, before init_snmp(): the
 * subagent connects while the configuration is read. */
void notify_init(void);
/* Apply notifications, notifyOnStartup, notificationHoldDown (startup and every reload).
 * Turning notifications on starts afresh, as at startup. */
void notify_configure(const struct daemon_config *cfg);
/* After every rebuild (and when a hold-down runs out): queue what is due. */
void notify_update(const struct model *m);
/* Send what waits while the master is there; after it came back, first queue the difference
 * of state (alarm_master_back: the clears of what ended, the raises of notifyOnStartup). Cheap
 * when there is nothing to do: the event loop calls it every turn, so nothing is sent from
 * inside a request handler. */
void notify_flush(void);
/* Milliseconds until a held-down raise falls due (rebuild then), UINT64_MAX for none. */
uint64_t notify_next_due(void);
void notify_shutdown(void);

/* The table whose row notifications of this kind describe, and (names, NULL-terminated) the
 * MIB names of the columns they carry, in the order of the MIB's OBJECTS clause (some may be
 * of a second table: notify_object_table()). */
const struct mib_table *notify_objects(enum alarm_kind kind, const char *const **names);
/* The table that has the column of that name among the objects of a kind's notifications (a
 * notification may carry objects of two tables: numaVmRemoteDevice); NULL when none has. */
const struct mib_table *notify_object_table(enum alarm_kind kind, const char *name);

#endif
