/* SPDX-License-Identifier: BSD-3-Clause */
/* notify.c: alarm events -> AgentX Notify PDUs to the master, which sends them to its trap2sink
 * and informsink destinations. With no session they would go nowhere, so events wait in a queue. */
#include "snmp/notify.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "core/log.h"
#include "core/util.h"
#include "snmp/mib_pin.h"
#include "snmp/mib_root.h"
#include "snmp/mib_table.h"

/* The OBJECTS clause of each notification pair, in MIB order, by the columns' MIB names: the
 * table's descriptors give their numbers and values (tests/mibcols.sh checks them against the
 * MIB's OBJECTS clauses). */
static const struct {
	const struct mib_table *table;
	const char *names[NOTIFY_MAX_OBJECTS + 1]; /* NULL-terminated */
	const struct mib_table *table2;		   /* NULL, or the table of the other names */
} objects[] = {
    [ALARM_CPU] = {&mib_node_table,
		   {"numaNodeCpuCapacity", "numaNodeVcpusBound", "numaNodeCpuHeadroom"},
		   NULL},
    [ALARM_MEM] = {&mib_node_table,
		   {"numaNodeMemCapacity", "numaNodeMemUsed", "numaNodeMemHeadroom"},
		   NULL},
    [ALARM_HUGE] = {&mib_hugepage_table, {"numaHugepageTotal", "numaHugepageVmDemand"}, NULL},
    [ALARM_SOURCE] = {&mib_scalars_table, {"numaSourceStatus", "numaInvalidFiles"}, NULL},
    [ALARM_DEVICE] = {&mib_vm_table,
		      {"numaVmName", "numaVmUuid", "numaVmRemoteDevices", "numaVmDeviceAddress",
		       "numaVmDeviceNode"},
		      &mib_device_table},
    [ALARM_DRIFT] = {&mib_vm_table,
		     {"numaVmName", "numaVmUuid", "numaVmRuntimeState", "numaVmMemStray",
		      "numaVmMemResident"},
		     NULL},
    [ALARM_GONE] = {&mib_vm_table,
		    {"numaVmName", "numaVmUuid", "numaVmRuntimeState", "numaVmPid"},
		    NULL},
};

const struct mib_table *notify_objects(enum alarm_kind kind, const char *const **names)
{
	*names = objects[kind].names;
	return objects[kind].table;
}

const struct mib_table *notify_object_table(enum alarm_kind kind, const char *name)
{
	if (mib_table_column_named(objects[kind].table, name) != NULL)
		return objects[kind].table;
	if (objects[kind].table2 != NULL && mib_table_column_named(objects[kind].table2, name))
		return objects[kind].table2;
	return NULL;
}

/* agentx-Notify-PDU (RFC 2741 6.2.10); Net-SNMP's AGENTX_MSG_NOTIFY, in a header it does not
 * install. */
#define AGENTX_NOTIFY_PDU 12

/* How many notifications may wait for the master's Response at once. The master answers every
 * agentx-Notify-PDU, and answers not read yet fill the socket (a unix socket charges each small
 * message its whole allocation: ~250 fill the default 208 KiB); a master blocked writing them
 * stops reading ours, and both block in sendmsg() for ever (seen: 253 drift notifications at
 * once, a 10,000-VM host whose every VM drifted). The loop reads the answers between windows. */
#define NOTIFY_WINDOW 16

static const oid sysuptime_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid snmptrapoid_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

static struct {
	bool enabled;
	bool vm_tables; /* numaVmRemoteDevice and its clear are sent only with them */
	struct alarm_config acfg;
	struct alarm_state *st;
	struct alarm_queue q;
	struct alarm_events ev; /* scratch, reused */
	netsnmp_session *sess;	/* the AgentX session while it is open */
	bool back;		/* it (re)opened since the last flush */
	bool lost;		/* a session was lost before that */
	unsigned in_flight;	/* sent on this session, not answered yet (NOTIFY_WINDOW) */
	uintptr_t ticket;	/* the last notification's number (alarm_queue_delivered) */
	uintptr_t first_ticket; /* the first of this session: a late answer of a closed one */
} notifier;

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static uint32_t ticks(void)
{
	return (uint32_t)netsnmp_get_agent_uptime();
}

/* subagent_open_master_session() calls this once the session (and its trap sink) is open:
 * at the first connection and at every reconnection. */
static int on_session_start(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)client;
	notifier.sess = server;
	notifier.back = true;
	notifier.in_flight = 0;
	notifier.first_ticket = notifier.ticket + 1;
	return SNMPERR_SUCCESS;
}

/* The master closed the socket or stopped answering pings: the trap sink is gone. */
static int on_session_stop(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	notifier.sess = NULL;
	notifier.lost = true;
	notifier.in_flight = 0;
	notifier.first_ticket = notifier.ticket + 1;
	/* what the master took and did not answer may have died with it */
	alarm_queue_lost(&notifier.q);
	alarm_queue_take_superseded(&notifier.q); /* count from here what the outage coalesces */
	return SNMPERR_SUCCESS;
}

void notify_init(void)
{
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
			       on_session_start, NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
			       on_session_stop, NULL);
}

void notify_configure(const struct daemon_config *cfg)
{
	bool was = notifier.enabled;

	notifier.enabled = cfg->notifications;
	notifier.vm_tables = cfg->vm_tables;
	notifier.acfg.hold_down = cfg->hold_down;
	notifier.acfg.on_startup = cfg->notify_on_startup;
	if (!notifier.enabled) {
		if (was)
			log_info("notifications are off");
		alarm_free(notifier.st);
		notifier.st = NULL;
		alarm_queue_free(&notifier.q);
		return;
	}
	if (notifier.st == NULL) {
		notifier.st = alarm_new();
		alarm_queue_init(&notifier.q);
	}
}

/* The value of the column named name of row 0 of m as a varbind, instanced by the row (never .0
 * for a table): the same descriptor, value and OID a GET of that instance goes through. */
static void add_column(netsnmp_variable_list **vars, const struct mib_table *t,
		       const struct model *m, const char *name)
{
	const struct mib_column *c = mib_table_column_named(t, name);
	struct mib_value v;
	struct mib_hit hit;
	const void *bytes;
	size_t len;

	memset(&v, 0, sizeof(v));
	if (c == NULL || mib_table_value(t, m, 0, c->col, &v) != 0) {
		log_err("%s: no column %s to send", t->name, name);
		return;
	}
	mib_table_instance(t, m, 0, c->col, &hit);
	bytes = mib_value_bytes(&v, &len);
	snmp_varlist_add_variable(vars, hit.name, hit.name_len, v.type, bytes, len);
}

static void describe(const struct alarm_event *e, char *buf, size_t len)
{
	switch (e->kind) {
	case ALARM_CPU:
	case ALARM_MEM:
		snprintf(buf, len, "node %u", e->node.id);
		break;
	case ALARM_HUGE:
		snprintf(buf, len, "node %u, %llu KiB pages", e->huge.node,
			 (unsigned long long)e->huge.size_kib);
		break;
	case ALARM_SOURCE:
		snprintf(buf, len, "numaSourceStatus %d, %u invalid files", e->source_status,
			 e->invalid_files);
		break;
	case ALARM_DEVICE:
		snprintf(buf, len, "VM %u, %u remote devices", e->vm.index, e->vm.remote_devices);
		break;
	case ALARM_DRIFT:
		snprintf(buf, len, "VM %u, %u vCPUs drifted, %llu stray bytes", e->vm.index,
			 e->vm.vcpus_drifted, (unsigned long long)e->vm.mem_stray);
		break;
	case ALARM_GONE:
		snprintf(buf, len, "VM %u, pid %llu", e->vm.index, (unsigned long long)e->vm.pid);
		break;
	}
}

/* numaVmPlacementDrift: each drifted vCPU's actual affinity and verdict, instanced by its row
 * (numaVmIndex.numaVcpuId), after the OBJECTS: the varbinds say which vCPU and which way. */
static void add_drifted_vcpus(netsnmp_variable_list **vars, struct alarm_event *e)
{
	struct model one;
	unsigned k;

	for (k = 0; k < e->nvcpus; k++) {
		memset(&one, 0, sizeof(one));
		e->vcpus[k].actual = e->vcpu_actual[k];
		e->vcpus[k].affinity = (char *)"";
		one.vcpus = &e->vcpus[k];
		one.nvcpus = 1;
		add_column(vars, &mib_vcpu_table, &one, "numaVcpuActualAffinity");
		add_column(vars, &mib_vcpu_table, &one, "numaVcpuAffinityVerdict");
	}
}

/* The master's Response to a notification, or the library giving up on it (timeout, session
 * closed): either way it no longer waits. The master answers once it has sent the trap to its
 * sinks; anything else leaves the notification's condition in doubt, to be stated again. */
static int on_answer(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	uintptr_t ticket = (uintptr_t)magic;
	bool ok = op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
		  pdu->errstat == SNMP_ERR_NOERROR;

	(void)sess;
	(void)reqid;
	if (ticket >= notifier.first_ticket && notifier.in_flight > 0)
		notifier.in_flight--;
	if (!notifier.enabled)
		return 1;
	alarm_queue_answered(&notifier.q, ticket, ok);
	return 1;
}

/* Straight to the master session, not through send_v2trap(): that also builds an SNMPv1 form
 * of every notification for v1 sinks, which a subagent has none of, and logs a warning each
 * time a Counter64 object makes that impossible (numaNodeMemOversubscription); and it cannot
 * tell that the send failed. False when it did (the master went away unnoticed so far). */
static bool send_event(const struct alarm_event *ev, uintptr_t *ticket)
{
	struct alarm_event e = *ev;
	oid trap[NUMA_MIB_ROOT_LEN + 2] = {NUMA_MIB_ROOT, 0, 0};
	netsnmp_variable_list *vars = NULL;
	netsnmp_pdu *pdu;
	u_long up = e.ticks;
	struct model one_row;
	char what[128];
	size_t i;

	*ticket = 0;
	/* 'vmTables no' hides VM names: their notifications are dropped as if sent */
	if ((e.kind == ALARM_DEVICE || e.kind == ALARM_DRIFT || e.kind == ALARM_GONE) &&
	    !notifier.vm_tables)
		return true;
	/* a one-row model, so that the values come out of the table's own descriptors */
	memset(&one_row, 0, sizeof(one_row));
	e.vm.name = e.vm_name;
	e.vm.uuid = e.vm_uuid;
	e.dev.address = e.dev_address;
	one_row.vms = &e.vm;
	one_row.nvms = 1;
	one_row.devs = &e.dev;
	one_row.ndevs = 1;
	one_row.nodes = &e.node;
	one_row.nnodes = 1;
	one_row.huges = &e.huge;
	one_row.nhuges = 1;
	one_row.source_status = e.source_status;
	one_row.invalid_files = e.invalid_files;
	trap[NUMA_MIB_ROOT_LEN + 1] = alarm_event_subid(&e);
	/* sysUpTime of when it fell due: a queued notification keeps its time */
	snmp_varlist_add_variable(&vars, sysuptime_oid, OID_LENGTH(sysuptime_oid), ASN_TIMETICKS,
				  &up, sizeof(up));
	snmp_varlist_add_variable(&vars, snmptrapoid_oid, OID_LENGTH(snmptrapoid_oid),
				  ASN_OBJECT_ID, trap, sizeof(trap));
	for (i = 0; objects[e.kind].names[i]; i++)
		add_column(&vars, notify_object_table(e.kind, objects[e.kind].names[i]), &one_row,
			   objects[e.kind].names[i]);
	if (e.kind == ALARM_DRIFT)
		add_drifted_vcpus(&vars, &e);
	pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
	if (pdu == NULL) {
		snmp_free_varbind(vars);
		log_err("out of memory: %s not sent", alarm_event_name(&e));
		return true; /* retrying would not help */
	}
	pdu->variables = vars;
	pdu->command = AGENTX_NOTIFY_PDU;
	pdu->version = notifier.sess->version;
	pdu->sessid = notifier.sess->sessid;
	describe(&e, what, sizeof(what));
	/* the master's Response comes back to on_answer(), which opens the window again */
	if (snmp_async_send(notifier.sess, pdu, on_answer, (void *)(notifier.ticket + 1)) == 0) {
		snmp_free_pdu(pdu);
		DEBUGMSGTL(("numatopd", "%s (%s) not sent: %s\n", alarm_event_name(&e), what,
			    snmp_api_errstring(notifier.sess->s_snmp_errno)));
		return false;
	}
	notifier.in_flight++;
	*ticket = ++notifier.ticket;
	log_info("sent %s (%s)%s", alarm_event_name(&e), what,
		 e.replay ? ", again: the master came back" : "");
	return true;
}

void notify_update(const struct model *m)
{
	size_t i;

	if (!notifier.enabled || m == NULL)
		return;
	notifier.ev.n = 0;
	alarm_update(notifier.st, m, now_ms(), ticks(), &notifier.acfg, &notifier.ev);
	for (i = 0; i < notifier.ev.n; i++) {
		alarm_queue_push(&notifier.q, &notifier.ev.ev[i]);
		DEBUGMSGTL(("numatopd", "due: %s\n", alarm_event_name(&notifier.ev.ev[i])));
	}
}

/* The master came back after it went away: queue the difference between what is true now and
 * what the NMS holds (alarm_master_back), after what waits already. */
static void master_back(void)
{
	uint64_t superseded = alarm_queue_take_superseded(&notifier.q);
	size_t waiting = notifier.q.n;

	alarm_master_back(notifier.st, &notifier.q, mib_current(), ticks(), &notifier.acfg);
	log_info("the master is back: %zu notifications waited, %zu more bring it up to date, "
		 "%llu were superseded by a later change while it was away",
		 waiting, notifier.q.n - waiting, (unsigned long long)superseded);
}

void notify_flush(void)
{
	const struct alarm_event *e;

	if (!notifier.enabled || notifier.sess == NULL ||
	    (notifier.q.n == 0 && !notifier.back && !alarm_queue_in_doubt(&notifier.q)))
		return;
	if (notifier.back && notifier.lost)
		master_back();
	else if (alarm_queue_in_doubt(&notifier.q))
		log_info("the master did not confirm %zu notifications: their conditions are "
			 "stated again",
			 alarm_restate(notifier.st, &notifier.q, mib_current(), ticks()));
	notifier.back = false;
	notifier.lost = false;
	/* a failed send stays queued: the loss of the session follows, or the next turn retries;
	 * a full window waits for the answers the next turns read */
	while (notifier.in_flight < NOTIFY_WINDOW && (e = alarm_queue_peek(&notifier.q)) != NULL) {
		uintptr_t ticket;

		if (!send_event(e, &ticket))
			return;
		alarm_queue_delivered(&notifier.q, ticket);
	}
}

uint64_t notify_next_due(void)
{
	if (!notifier.enabled)
		return UINT64_MAX;
	return alarm_next_due(notifier.st, now_ms(), &notifier.acfg);
}

void notify_shutdown(void)
{
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
				 on_session_start, NULL, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
				 on_session_stop, NULL, 1);
	alarm_free(notifier.st);
	notifier.st = NULL;
	alarm_queue_free(&notifier.q);
	alarm_events_free(&notifier.ev);
	notifier.enabled = false;
}
