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

#include "snmp/mib.h"
#include "core/model.h"

/* Longest INDEX clause of the MIB (two sub-ids: numaVmAssignEntry and friends). */
#define MIB_MAX_ARITY 2
/* Longest entry OID: root + numaObjects(1) + table + entry(1). */
#define MIB_ENTRY_MAX (NUMA_MIB_ROOT_LEN + 3)
/* DisplayString and SnmpAdminString are SIZE (0..255): longer text is cut to fit (see
 * mib_set_string and mib_set_list) rather than break the MIB. */
#define MIB_STRING_MAX 255
/* What a cut CPU or node list ends in: no list syntax, so never read as a list item. */
#define MIB_LIST_MORE "..."

/* One column value, ready for snmp_set_var_typed_value(). */
struct mib_value {
	u_char type; /* ASN_INTEGER, ASN_GAUGE, ASN_COUNTER64, ASN_OCTET_STR, ... */
	long i;	     /* ASN_INTEGER */
	u_long u;    /* ASN_GAUGE, ASN_UNSIGNED, ASN_COUNTER, ASN_TIMETICKS */
	struct counter64 c64;
	const char *str; /* ASN_OCTET_STR: not NUL-terminated as far as SNMP is concerned */
	size_t len;
	char buf[MIB_STRING_MAX + 1]; /* a cut list is built here (str then points into it) */
};

/* A conceptual table: instances are entry.column.index, index = arity sub-ids, each an
 * Unsigned32. A scalar group is the same shape: entry = the group, one row whose index is 0. */
struct mib_table {
	const char *name; /* handler name, for logs */
	oid entry[MIB_ENTRY_MAX];
	size_t entry_len;
	size_t reg_len;		      /* registered at entry[0 .. reg_len-1] */
	unsigned first_col, last_col; /* the accessible columns */
	size_t arity;
	size_t (*count)(const struct model *m);
	/* The index sub-ids of the row at pos < count. */
	void (*index)(const struct model *m, size_t pos, uint32_t idx[]);
	/* The position of the first row whose index is >= idx (count when none). */
	size_t (*lower)(const struct model *m, const uint32_t idx[]);
	/* The value of column first_col..last_col of the row at pos; -1 for a column it lacks. */
	int (*get)(const struct model *m, size_t pos, unsigned col, struct mib_value *v);
};

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

/* The Net-SNMP node handler; handler->myvoid is the struct mib_table. */
Netsnmp_Node_Handler mib_table_handler;
/* Create and register the read-only handler for t. NULL (after logging) on failure. */
netsnmp_handler_registration *mib_table_register(const struct mib_table *t);

/* The snapshot this request answers from: pinned on the first call for a request and kept
 * by it until it is freed; NULL when nothing is published. Implemented in mib.c. */
struct model *mib_pin(netsnmp_agent_request_info *reqinfo);

/* Value constructors for the column getters: they clamp to the SMI type's range. */
void mib_set_integer(struct mib_value *v, int64_t x);
void mib_set_gauge(struct mib_value *v, uint64_t x);
void mib_set_unsigned(struct mib_value *v, uint64_t x);
void mib_set_counter(struct mib_value *v, uint32_t x);
void mib_set_ticks(struct mib_value *v, uint32_t x);
void mib_set_counter64(struct mib_value *v, uint64_t x);
void mib_set_truth(struct mib_value *v, bool b);
/* Text: over MIB_STRING_MAX bytes, cut at the last UTF-8 character boundary that fits. */
void mib_set_string(struct mib_value *v, const char *s);
/* A CPU or node list ("0-3,8,10"): over MIB_STRING_MAX bytes, the longest prefix that ends
 * before a ',' and leaves room for MIB_LIST_MORE, then MIB_LIST_MORE (in v->buf, so v must
 * outlive its use). Never a shorter list that looks complete, never half an item. */
void mib_set_list(struct mib_value *v, const char *s);

/* Every group, one per mib_*.c file. */
extern const struct mib_table mib_scalars_table;
extern const struct mib_table mib_node_table;
extern const struct mib_table mib_vm_table;
extern const struct mib_table mib_assign_table;
extern const struct mib_table mib_vcpu_table;
extern const struct mib_table mib_distance_table;
extern const struct mib_table mib_hugepage_table;

#endif
