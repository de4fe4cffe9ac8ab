/* mib.c: NUMA-TOPOLOGY-MIB registration and the published snapshot: each request pins the
 * snapshot current when it arrives, so a GETBULK spanning several tables reads one model. */
#include "mib.h"

#include "mib_table.h"
#include "util.h"

/* The key the pinned snapshot is filed under in a request's agent data list. */
#define PIN_KEY "numatopd-model"

static struct model *current;
static void (*refresh_hook)(void);

/* One slot per group, in registration order; NULL = not registered. */
static netsnmp_handler_registration *regs[7];

void mib_publish(struct model *m)
{
	struct model *old = current;

	/* Reference first: publishing the current snapshot again must not free it. */
	current = model_ref(m);
	model_unref(old);
}

struct model *mib_current(void)
{
	return current;
}

void mib_set_refresh_hook(void (*fn)(void))
{
	refresh_hook = fn;
}

static void unpin(void *m)
{
	model_unref(m);
}

struct model *mib_pin(netsnmp_agent_request_info *reqinfo)
{
	struct model *m = netsnmp_agent_get_list_data(reqinfo, PIN_KEY);
	netsnmp_data_list *node;

	if (m)
		return m;
	if (refresh_hook)
		refresh_hook();
	m = current;
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
