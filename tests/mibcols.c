/* SPDX-License-Identifier: BSD-3-Clause */
/* mibcols.c: what the C side says NUMA-TOPOLOGY-MIB is, for tests/mibcols.sh to compare with the
 * MIB file: every column descriptor and every notification's objects, one sorted-able line each. */
#include <stdio.h>
#include <string.h>

#include "core/alarm.h"
#include "core/util.h"
#include "snmp/mib_table.h"
#include "snmp/notify.h"

static const struct mib_table *const tables[] = {
    &mib_scalars_table, &mib_node_table,     &mib_vm_table,	  &mib_assign_table,
    &mib_vcpu_table,	&mib_distance_table, &mib_hugepage_table, &mib_device_table,
};

static void print_oid(const oid *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%s%lu", i ? "." : "", (unsigned long)name[i]);
}

/* "object NAME OID SYNTAX": the OID of the column (or scalar) itself, without an instance. */
static void print_columns(const struct mib_table *t)
{
	for (size_t i = 0; i < t->ncolumns; i++) {
		const struct mib_column *c = &t->columns[i];

		printf("object %s ", c->name);
		print_oid(t->entry, t->entry_len);
		printf(".%u %s\n", c->col, mib_syntax_name(c->syntax));
	}
}

/* "notification NAME OID OBJECT,OBJECT...": an object the table has no column of is marked. */
static void print_notification(enum alarm_kind kind, bool raise)
{
	static const oid root[] = {NUMA_MIB_ROOT};
	struct alarm_event e = {.kind = kind, .raise = raise};
	const char *const *names;

	notify_objects(kind, &names);
	printf("notification %s ", alarm_event_name(&e));
	print_oid(root, ARRAY_SIZE(root));
	printf(".0.%u ", alarm_event_subid(&e));
	for (size_t i = 0; names[i]; i++)
		printf("%s%s%s", i ? "," : "", notify_object_table(kind, names[i]) ? "" : "?",
		       names[i]);
	printf("\n");
}

int main(void)
{
	static const enum alarm_kind kinds[] = {ALARM_CPU, ALARM_MEM,	 ALARM_HUGE, ALARM_SOURCE,
						ALARM_DEVICE, ALARM_DRIFT, ALARM_GONE};

	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		if (!mib_table_columns_ok(tables[i])) {
			fprintf(stderr, "%s: column numbers do not increase\n",
				tables[i]->name);
			return 1;
		}
		print_columns(tables[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		print_notification(kinds[i], true);
		if (kinds[i] != ALARM_GONE) /* numaVmGone has no clear */
			print_notification(kinds[i], false);
	}
	return 0;
}
