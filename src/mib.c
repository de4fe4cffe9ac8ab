/* mib.c: NUMA-TOPOLOGY-MIB registration and the published snapshot: each request pins the
 * snapshot current when it arrives, so a GETBULK spanning several tables reads one model, and
 * the AgentX PDUs of one master transaction (one GETBULK) all read the same one. */
#include "mib.h"

#include "mib_table.h"
#include "util.h"

#include <string.h>

/* The key the pinned snapshot is filed under in a request's agent data list. */
#define PIN_KEY "numatopd-model"

static struct model *current;
static void (*refresh_hook)(void);

/* The snapshot of the last transaction. snmpd's master turns each repetition of a GETBULK into
 * its own AgentX GetNext PDU, all with the transaction id of the GETBULK; the event loop runs
 * (and may rebuild) between them, so the request data list alone cannot hold the snapshot from
 * one repetition to the next. Referenced; dropped when another transaction arrives. */
static struct {
	struct model *m;
	netsnmp_session *session;
	long sessid, transid;
} last;

/* One slot per group, in registration order; NULL = not registered. */
static netsnmp_handler_registration *regs[7];

static void forget_last(void)
{
	model_unref(last.m);
	memset(&last, 0, sizeof(last));
}

void mib_publish(struct model *m)
{
	struct model *old = current;

	/* Reference first: publishing the current snapshot again must not free it. */
	current = model_ref(m);
	model_unref(old);
	/* NULL: shutting down (or nothing to serve); no transaction goes on */
	if (m == NULL)
		forget_last();
}

struct model *mib_current(void)
{
	return current;
}

void mib_forget_transaction(void)
{
	forget_last();
}

void mib_set_refresh_hook(void (*fn)(void))
{
	refresh_hook = fn;
}

static void unpin(void *m)
{
	model_unref(m);
}

/* The snapshot for a request: the one its transaction already read, or (after the refresh
 * hook) the current one, remembered for the transaction's next PDUs. */
static struct model *for_transaction(netsnmp_agent_request_info *reqinfo)
{
	const netsnmp_pdu *pdu = reqinfo->asp ? reqinfo->asp->pdu : NULL;

	if (pdu && last.m && last.session == reqinfo->asp->session && last.sessid == pdu->sessid &&
	    last.transid == pdu->transid) {
		DEBUGMSGTL(("numatopd/pin", "transaction %ld: same snapshot\n", pdu->transid));
		return last.m;
	}
	if (refresh_hook)
		refresh_hook();
	/* the old snapshot stays alive as long as a request still references it */
	forget_last();
	if (pdu && current) {
		last.m = model_ref(current);
		last.session = reqinfo->asp->session;
		last.sessid = pdu->sessid;
		last.transid = pdu->transid;
		DEBUGMSGTL(("numatopd/pin", "transaction %ld: new snapshot\n", pdu->transid));
	}
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
