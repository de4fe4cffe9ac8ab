/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_pin.c: the published snapshot and the pins on it: each request pins the snapshot current
 * when it arrives, and the AgentX PDUs of one master transaction (one GETBULK) all pin the same. */
#include "snmp/mib_pin.h"

#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "core/util.h"

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

static void drop_slot(struct transaction *t)
{
	model_unref(t->m);
	memset(t, 0, sizeof(*t));
}

static void forget_all(void)
{
	for (size_t i = 0; i < TRANSACTIONS; i++)
		drop_slot(&trans[i]);
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

static struct transaction *find_slot(const netsnmp_agent_session *asp)
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
static struct transaction *take_slot(const struct timespec *now)
{
	struct transaction *lru = &trans[0], *free_slot = NULL;

	for (size_t i = 0; i < TRANSACTIONS; i++) {
		struct transaction *t = &trans[i];

		if (t->m && ts_seconds(&t->used, now) > TRANSACTION_IDLE)
			drop_slot(t);
		if (t->m == NULL && free_slot == NULL)
			free_slot = t;
		if (ts_seconds(&t->used, &lru->used) > 0)
			lru = t;
	}
	if (free_slot)
		return free_slot;
	/* the old snapshot stays alive as long as a request still references it */
	drop_slot(lru);
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
	t = find_slot(asp);
	if (t) {
		DEBUGMSGTL(("numapin", "transaction %ld: same snapshot\n", t->transid));
		t->used = now;
		return t->m;
	}
	if (refresh_hook)
		refresh_hook();
	if (current == NULL)
		return NULL;
	t = take_slot(&now);
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
