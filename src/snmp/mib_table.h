/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_table.h: the one read-only handler every NUMA-TOPOLOGY-MIB group shares: OID <-> row
 * position by binary search over the snapshot's sorted rows, so GET and GETNEXT cost O(log n). */
#ifndef NUMATOPD_MIB_TABLE_H
#define NUMATOPD_MIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "core/model.h"
#include "core/util.h" /* ARRAY_SIZE, for the column arrays */
#include "snmp/mib_column.h"
#include "snmp/mib_root.h"

/* Longest INDEX clause of the MIB (two sub-ids: numaVmAssignEntry and friends). */
#define MIB_MAX_ARITY 2
/* Longest entry OID: root + numaObjects(1) + table + entry(1). */
#define MIB_ENTRY_MAX (NUMA_MIB_ROOT_LEN + 3)
/* A conceptual table: instances are entry.column.index, index = arity sub-ids, each an
 * Unsigned32, read from the rows' key fields. The rows are an array of the snapshot, sorted by
 * index: the pointer at rows_at and the count at count_at in struct model, stride bytes apart.
 * A scalar group is the same shape: entry = the group, one row (the model itself) whose index
 * is 0, and no keys. */
struct mib_table {
	const char *name; /* handler name, for logs */
	oid entry[MIB_ENTRY_MAX];
	size_t entry_len;
	size_t reg_len;			  /* registered at entry[0 .. reg_len-1] */
	const struct mib_column *columns; /* column numbers strictly increasing */
	size_t ncolumns;
	bool scalars; /* the one-row group: no rows_at, count_at, stride or keys */
	size_t rows_at, count_at, stride;
	size_t arity;
	struct mib_key keys[MIB_MAX_ARITY];
	/* The position of the first row whose index is >= idx (the count when none): the model's
	 * binary search. */
	size_t (*lower)(const struct model *m, const uint32_t idx[]);
};

/* The entry, entry_len and reg_len of table number n under numaObjects. */
#define MIB_TABLE_ENTRY(n)                                                                         \
	.entry = {NUMA_MIB_ROOT, 1, (n), 1}, .entry_len = NUMA_MIB_ROOT_LEN + 3,                   \
	.reg_len = NUMA_MIB_ROOT_LEN + 2
/* The columns and ncolumns of a table: an array of struct mib_column. */
#define MIB_COLUMNS(array) .columns = (array), .ncolumns = ARRAY_SIZE(array)
/* The keys and arity of a table: its MIB_KEY()s, in INDEX order. */
#define MIB_KEYS(...)                                                                              \
	.keys = {__VA_ARGS__},                                                                     \
	.arity = sizeof((struct mib_key[]){__VA_ARGS__}) / sizeof(struct mib_key)
/* The rows_at, count_at and stride of the row array model->rows, model->nrows. */
#define MIB_ROWS(rows, nrows)                                                                      \
	.rows_at = offsetof(struct model, rows), .count_at = offsetof(struct model, nrows),        \
	.stride = sizeof(*((struct model *)0)->rows)

/* Row access, the same for every table. */
size_t mib_table_count(const struct mib_table *t, const struct model *m);
/* The index sub-ids of the row at pos < count. */
void mib_table_index(const struct mib_table *t, const struct model *m, size_t pos, uint32_t idx[]);
/* The column numbered col, or NULL when t has none accessible. */
const struct mib_column *mib_table_column(const struct mib_table *t, unsigned col);
/* The column of that MIB name, or NULL. */
const struct mib_column *mib_table_column_named(const struct mib_table *t, const char *name);
/* The value of column col of the row at pos: 0, or -1 for a column t does not have or one
 * the row has no value in (mib_column.present). */
int mib_table_value(const struct mib_table *t, const struct model *m, size_t pos, unsigned col,
		    struct mib_value *v);

enum mib_result {
	MIB_FOUND,	 /* hit is filled */
	MIB_NO_OBJECT,	 /* GET: not an accessible column of this table */
	MIB_NO_INSTANCE, /* GET: an accessible column, but no such row */
	MIB_END,	 /* GETNEXT: nothing in this table after the OID */
};

struct mib_hit {
	size_t pos;
	unsigned col;
	oid name[MIB_ENTRY_MAX + 1 + MIB_MAX_ARITY];
	size_t name_len;
};

/* The pure part, callable without an agent: the instance a GET (next=false) or a GETNEXT
 * (next=true: the first instance strictly after q, column by column) of q answers from. */
enum mib_result mib_table_find(const struct mib_table *t, const struct model *m, const oid *q,
			       size_t qlen, bool next, struct mib_hit *hit);
/* The instance of column col of the row at pos, as a hit (what a GET of it finds). */
void mib_table_instance(const struct mib_table *t, const struct model *m, size_t pos, unsigned col,
			struct mib_hit *hit);

/* The Net-SNMP node handler; handler->myvoid is the struct mib_table. */
Netsnmp_Node_Handler mib_table_handler;
/* Column numbers strictly increasing (what the handler's lookup relies on); the MIB may leave
 * numbers out. */
bool mib_table_columns_ok(const struct mib_table *t);
/* Create and register the read-only handler for t. NULL (after logging) on failure, or when
 * t's column numbers do not increase. */
netsnmp_handler_registration *mib_table_register(const struct mib_table *t);

/* Every group, one per mib_*.c file. */
extern const struct mib_table mib_scalars_table;
extern const struct mib_table mib_node_table;
extern const struct mib_table mib_vm_table;
extern const struct mib_table mib_assign_table;
extern const struct mib_table mib_vcpu_table;
extern const struct mib_table mib_distance_table;
extern const struct mib_table mib_hugepage_table;
extern const struct mib_table mib_device_table;

#endif
