/* mib.c: NUMA-TOPOLOGY-MIB registration and the published snapshot: each request pins the
 * snapshot current when it arrives, so a GETBULK spanning several tables reads one model, and
 * the AgentX PDUs of one master transaction (one GETBULK) all read the same one. */
#include "snmp/mib.h"

#include "snmp/mib_table.h"
#include "core/util.h"

#include <string.h>
#include <time.h>

/* The key the pinned snapshot is filed under in a request's agent data list. */
#define PIN_KEY "numatopd-model"

static struct model *current;
static void (*refresh_hook)(void);

/* The snapshots of the last transactions. snmpd's master turns each repetition of a GETBULK
 * into its own AgentX GetNext PDU, all with the transaction id of the GETBULK; the event loop
 * runs (and may rebuild) between them, so the request data list alone cannot hold the snapshot
 * from one repetition to the next. Several slots: the PDUs of concurrent GETBULKs (two managers,
 * or a client's retry while the master still works on the first try) interleave. A slot holds a
 * reference; it is dropped when idle for TRANSACTION_IDLE s and another transaction arrives, or
 * when it is the least recently used and a new transaction needs it. */
#define TRANSACTIONS	 4
#define TRANSACTION_IDLE 10
static struct transaction {
	struct model *m; /* NULL: a free slot */
	netsnmp_session *session;
	long sessid, transid;
	struct timespec used;
} trans[TRANSACTIONS];

/* One slot per group, in registration order; NULL = not registered. */
static netsnmp_handler_registration *regs[7];

static void drop(struct transaction *t)
{
	model_unref(t->m);
	memset(t, 0, sizeof(*t));
}

static void forget_all(void)
{
	for (size_t i = 0; i < TRANSACTIONS; i++)
		drop(&trans[i]);
}

void mib_publish(struct model *m)
{
	struct model *old = current;

	/* Reference first: publishing the current snapshot again must not free it. */
	current = model_ref(m);
	model_unref(old);
	/* NULL: shutting down (or nothing to serve); no transaction goes on */
	if (m == NULL)
		forget_all();
}

struct model *mib_current(void)
{
	return current;
}

void mib_forget_transaction(void)
{
	forget_all();
}

void mib_set_refresh_hook(void (*fn)(void))
{
	refresh_hook = fn;
}

static void unpin(void *m)
{
	model_unref(m);
}

static struct transaction *find(const netsnmp_agent_session *asp)
{
	for (size_t i = 0; i < TRANSACTIONS; i++) {
		struct transaction *t = &trans[i];

		if (t->m && t->session == asp->session && t->sessid == asp->pdu->sessid &&
		    t->transid == asp->pdu->transid)
			return t;
	}
	return NULL;
}

/* A slot for a new transaction: idle ones are let go first, then the least recently used. */
static struct transaction *take(const struct timespec *now)
{
	struct transaction *lru = &trans[0], *free_slot = NULL;

	for (size_t i = 0; i < TRANSACTIONS; i++) {
		struct transaction *t = &trans[i];

		if (t->m && ts_seconds(&t->used, now) > TRANSACTION_IDLE)
			drop(t);
		if (t->m == NULL && free_slot == NULL)
			free_slot = t;
		if (ts_seconds(&t->used, &lru->used) > 0)
			lru = t;
	}
	if (free_slot)
		return free_slot;
	/* the old snapshot stays alive as long as a request still references it */
	drop(lru);
	return lru;
}

/* The snapshot for a request: the one its transaction already read, or (after the refresh
 * hook) the current one, remembered for the transaction's next PDUs. */
static struct model *for_transaction(netsnmp_agent_request_info *reqinfo)
{
	const netsnmp_agent_session *asp = reqinfo->asp;
	struct transaction *t;
	struct timespec now;

	if (asp == NULL || asp->pdu == NULL) {
		if (refresh_hook)
			refresh_hook();
		return current;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	t = find(asp);
	if (t) {
		DEBUGMSGTL(("numapin", "transaction %ld: same snapshot\n", t->transid));
		t->used = now;
		return t->m;
	}
	if (refresh_hook)
		refresh_hook();
	if (current == NULL)
		return NULL;
	t = take(&now);
	t->m = model_ref(current);
	t->session = asp->session;
	t->sessid = asp->pdu->sessid;
	t->transid = asp->pdu->transid;
	t->used = now;
	DEBUGMSGTL(("numapin", "transaction %ld: new snapshot\n", t->transid));
	return current;
}

struct model *mib_pin(netsnmp_agent_request_info *reqinfo)
{
	struct model *m = netsnmp_agent_get_list_data(reqinfo, PIN_KEY);
	netsnmp_data_list *node;

	if (m)
		return m;
	m = for_transaction(reqinfo);
	if (m == NULL)
		return NULL;
	node = netsnmp_create_data_list(PIN_KEY, model_ref(m), unpin);
	if (node == NULL) {
		/* Still valid while this handler runs: current holds a reference. */
		model_unref(m);
		return m;
	}
	netsnmp_agent_add_list_data(reqinfo, node);
	return m;
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
