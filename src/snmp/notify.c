/* notify.c: alarm events -> AgentX Notify PDUs to the master, which sends them to its trap2sink
 * and informsink destinations. With no session they would go nowhere, so events wait in a queue. */
#include "snmp/notify.h"

#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>

#include "core/alarm.h"
#include "core/log.h"
#include "snmp/mib.h"
#include "snmp/mib_table.h"
#include "core/util.h"

/* Columns of the rows the notifications carry (NUMA-TOPOLOGY-MIB). */
enum {
	NODE_CPU_CAPACITY = 3,
	NODE_MEM_CAPACITY = 4,
	NODE_VCPUS_BOUND = 6,
	NODE_MEM_USED = 8,
	NODE_CPU_HEADROOM = 11,
	NODE_MEM_HEADROOM = 12,
	HUGE_TOTAL = 2,
	HUGE_VM_DEMAND = 4,
	SCALAR_INVALID_FILES = 8,
	SCALAR_SOURCE_STATUS = 9,
};

/* The OBJECTS clause of each notification pair, in MIB order. */
static const struct {
	const struct mib_table *table;
	unsigned cols[3];
	size_t ncols;
} objects[] = {
    [ALARM_CPU] = {&mib_node_table, {NODE_CPU_CAPACITY, NODE_VCPUS_BOUND, NODE_CPU_HEADROOM}, 3},
    [ALARM_MEM] = {&mib_node_table, {NODE_MEM_CAPACITY, NODE_MEM_USED, NODE_MEM_HEADROOM}, 3},
    [ALARM_HUGE] = {&mib_hugepage_table, {HUGE_TOTAL, HUGE_VM_DEMAND}, 2},
    [ALARM_SOURCE] = {&mib_scalars_table, {SCALAR_SOURCE_STATUS, SCALAR_INVALID_FILES}, 2},
};

/* agentx-Notify-PDU (RFC 2741 6.2.10); Net-SNMP's AGENTX_MSG_NOTIFY, in a header it does not
 * install. */
#define AGENTX_NOTIFY_PDU 12

static const oid sysuptime_oid[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid snmptrapoid_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};

static struct {
	bool enabled;
	struct alarm_config acfg;
	struct alarm_state *st;
	struct alarm_queue q;
	struct alarm_events ev; /* scratch, reused */
	netsnmp_session *sess;	/* the AgentX session while it is open */
	bool back;		/* it (re)opened since the last flush */
	bool lost;		/* a session was lost before that */
	bool dropping;		/* the queue overflowed during this outage (logged once) */
} n;

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
	n.sess = server;
	n.back = true;
	return SNMPERR_SUCCESS;
}

/* The master closed the socket or stopped answering pings: the trap sink is gone. */
static int on_session_stop(int major, int minor, void *server, void *client)
{
	(void)major;
	(void)minor;
	(void)server;
	(void)client;
	n.sess = NULL;
	n.lost = true;
	if (n.st)
		alarm_master_lost(n.st);
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
	bool was = n.enabled;

	n.enabled = cfg->notifications;
	n.acfg.hold_down = cfg->hold_down;
	n.acfg.on_startup = cfg->notify_on_startup;
	if (!n.enabled) {
		if (was)
			log_info("notifications are off");
		alarm_free(n.st);
		n.st = NULL;
		alarm_queue_free(&n.q);
		return;
	}
	if (n.st == NULL) {
		n.st = alarm_new();
		alarm_queue_init(&n.q, cfg->notify_queue);
	} else {
		alarm_queue_set_cap(&n.q, cfg->notify_queue);
	}
}

/* The value of one column of row 0 of m as a varbind, instanced by the row (never .0 for a
 * table): the same getter and OID a GET of that instance goes through. */
static void add_column(netsnmp_variable_list **vars, const struct mib_table *t,
		       const struct model *m, unsigned col)
{
	oid name[MIB_ENTRY_MAX + 1 + MIB_MAX_ARITY];
	uint32_t idx[MIB_MAX_ARITY];
	struct mib_value v;
	size_t len = t->entry_len, i;
	const void *val;
	size_t vlen;

	if (t->get(m, 0, col, &v) < 0)
		return;
	t->index(m, 0, idx);
	memcpy(name, t->entry, len * sizeof(oid));
	name[len++] = col;
	for (i = 0; i < t->arity; i++)
		name[len++] = idx[i];
	switch (v.type) {
	case ASN_INTEGER:
		val = &v.i;
		vlen = sizeof(v.i);
		break;
	case ASN_COUNTER64:
		val = &v.c64;
		vlen = sizeof(v.c64);
		break;
	case ASN_OCTET_STR:
		val = v.str;
		vlen = v.len;
		break;
	default:
		val = &v.u;
		vlen = sizeof(v.u);
		break;
	}
	snmp_varlist_add_variable(vars, name, len, v.type, val, vlen);
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
	}
}

/* Straight to the master session, not through send_v2trap(): that also builds an SNMPv1 form
 * of every notification for v1 sinks, which a subagent has none of, and logs a warning each
 * time a Counter64 object makes that impossible (numaNodeMemOversubscription); and it cannot
 * tell that the send failed. False when it did (the master went away unnoticed so far). */
static bool send_event(const struct alarm_event *ev)
{
	struct alarm_event e = *ev;
	oid trap[NUMA_MIB_ROOT_LEN + 2] = {NUMA_MIB_ROOT, 0, 0};
	netsnmp_variable_list *vars = NULL;
	netsnmp_pdu *pdu;
	u_long up = e.ticks;
	struct model one;
	char what[128];
	size_t i;

	/* a one-row model, so that the values come out of the table's own getter */
	memset(&one, 0, sizeof(one));
	one.nodes = &e.node;
	one.nnodes = 1;
	one.huges = &e.huge;
	one.nhuges = 1;
	one.source_status = e.source_status;
	one.invalid_files = e.invalid_files;
	trap[NUMA_MIB_ROOT_LEN + 1] = alarm_event_subid(&e);
	/* sysUpTime of when it fell due: a queued notification keeps its time */
	snmp_varlist_add_variable(&vars, sysuptime_oid, OID_LENGTH(sysuptime_oid), ASN_TIMETICKS,
				  &up, sizeof(up));
	snmp_varlist_add_variable(&vars, snmptrapoid_oid, OID_LENGTH(snmptrapoid_oid),
				  ASN_OBJECT_ID, trap, sizeof(trap));
	for (i = 0; i < objects[e.kind].ncols; i++)
		add_column(&vars, objects[e.kind].table, &one, objects[e.kind].cols[i]);
	pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
	if (pdu == NULL) {
		snmp_free_varbind(vars);
		log_err("out of memory: %s not sent", alarm_event_name(&e));
		return true; /* retrying would not help */
	}
	pdu->variables = vars;
	pdu->command = AGENTX_NOTIFY_PDU;
	pdu->version = n.sess->version;
	pdu->sessid = n.sess->sessid;
	describe(&e, what, sizeof(what));
	/* the master's Response goes to the session's own callback, which ignores it */
	if (snmp_async_send(n.sess, pdu, NULL, NULL) == 0) {
		snmp_free_pdu(pdu);
		DEBUGMSGTL(("numatopd", "%s (%s) not sent: %s\n", alarm_event_name(&e), what,
			    snmp_api_errstring(n.sess->s_snmp_errno)));
		return false;
	}
	log_info("sent %s (%s)%s", alarm_event_name(&e), what,
		 e.replay ? ", again: the master came back" : "");
	return true;
}

void notify_update(const struct model *m)
{
	size_t i;

	if (!n.enabled || m == NULL)
		return;
	n.ev.n = 0;
	alarm_update(n.st, m, now_ms(), ticks(), &n.acfg, &n.ev);
	for (i = 0; i < n.ev.n; i++) {
		if (alarm_queue_push(&n.q, &n.ev.ev[i]) && !n.dropping) {
			log_warn("notification queue full (notificationQueue %zu): dropping the "
				 "oldest until the master is back",
				 n.q.cap);
			n.dropping = true;
		}
		DEBUGMSGTL(("numatopd", "due: %s\n", alarm_event_name(&n.ev.ev[i])));
	}
}

void notify_flush(void)
{
	const struct alarm_event *e;
	uint64_t dropped;
	size_t i;

	if (!n.enabled || n.sess == NULL || (n.q.n == 0 && !n.back))
		return;
	dropped = alarm_queue_take_dropped(&n.q);
	if (dropped)
		log_warn("%llu notifications were dropped while the master was unreachable",
			 (unsigned long long)dropped);
	n.dropping = false;
	/* a failed send stays queued: the loss of the session follows, or the next turn retries */
	while ((e = alarm_queue_peek(&n.q)) != NULL) {
		if (!send_event(e))
			return;
		alarm_queue_pop(&n.q, NULL);
	}
	if (!n.back)
		return;
	n.back = false;
	if (!n.lost)
		return;
	n.lost = false;
	n.ev.n = 0;
	alarm_master_back(n.st, mib_current(), ticks(), &n.acfg, &n.ev);
	/* a replay that fails is replayed at the next return */
	for (i = 0; i < n.ev.n && send_event(&n.ev.ev[i]); i++)
		;
}

uint64_t notify_next_due(void)
{
	if (!n.enabled)
		return UINT64_MAX;
	return alarm_next_due(n.st, now_ms(), &n.acfg);
}

void notify_shutdown(void)
{
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
				 on_session_start, NULL, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
				 on_session_stop, NULL, 1);
	alarm_free(n.st);
	n.st = NULL;
	alarm_queue_free(&n.q);
	alarm_events_free(&n.ev);
	n.enabled = false;
}
