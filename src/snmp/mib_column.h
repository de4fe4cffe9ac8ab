/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_column.h: a column of NUMA-TOPOLOGY-MIB as data: its MIB name and number, its SMI syntax
 * and where its value is in a row struct; and the SNMP value it reads to. */
#ifndef NUMATOPD_MIB_COLUMN_H
#define NUMATOPD_MIB_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

/* DisplayString and SnmpAdminString are SIZE (0..255): longer text is cut to fit (see
 * MIB_FIELD_TEXT and MIB_FIELD_LIST) rather than break the MIB. */
#define MIB_STRING_MAX 255
/* What a cut CPU or node list ends in: no list syntax, so never read as a list item. */
#define MIB_LIST_MORE "..."
/* CpuBitmap is SIZE (0..1024): one bit per CPU, CPUs 0..8191 (CPUSET_MAX_CPUS). */
#define MIB_BITMAP_MAX 1024

/* One column value, ready for snmp_set_var_typed_value(). */
struct mib_value {
	u_char type; /* ASN_INTEGER, ASN_GAUGE, ASN_COUNTER64, ASN_OCTET_STR, ... */
	long i;	     /* ASN_INTEGER */
	u_long u;    /* ASN_GAUGE, ASN_UNSIGNED, ASN_COUNTER, ASN_TIMETICKS */
	struct counter64 c64;
	const char *str; /* ASN_OCTET_STR: not NUL-terminated as far as SNMP is concerned */
	size_t len;
	/* a cut list or a CPU bitmap is built here (str then points into it) */
	char buf[MIB_BITMAP_MAX];
};

/* The SMI syntax of a column, as the MIB writes it: it fixes the type on the wire and the
 * range a value is clamped to. tests/mibcols.sh compares it with the MIB file. */
enum mib_syntax {
	SMI_GAUGE32,		 /* Gauge32 */
	SMI_UNSIGNED32,		 /* Unsigned32 */
	SMI_COUNTER32,		 /* Counter32 */
	SMI_TIMESTAMP,		 /* TimeStamp: TimeTicks */
	SMI_INTEGER32,		 /* Integer32 */
	SMI_ENUM,		 /* INTEGER { ... }: an enumeration */
	SMI_TRUTHVALUE,		 /* TruthValue: true(1), false(2) */
	SMI_COUNTERBASEDGAUGE64, /* CounterBasedGauge64: Counter64 on the wire */
	SMI_COUNTER64,		 /* Counter64 */
	SMI_DISPLAYSTRING,	 /* DisplayString */
	SMI_SNMPADMINSTRING,	 /* SnmpAdminString */
	SMI_CPUBITMAP,		 /* CpuBitmap: OCTET STRING, bit n (MSB first) = CPU n */
};

/* Where a column's value is in its row: the C type of the field at the offset, or a getter. */
enum mib_field {
	MIB_FIELD_U32,	/* unsigned, uint32_t */
	MIB_FIELD_U64,	/* uint64_t */
	MIB_FIELD_MEBI, /* uint64_t bytes, read as MiB rounded down (the Gauge32 companions) */
	MIB_FIELD_SIZE, /* size_t */
	MIB_FIELD_INT,	/* int */
	MIB_FIELD_ENUM, /* an enum whose values are the MIB's enumeration (int-sized) */
	MIB_FIELD_I64,	/* int64_t */
	MIB_FIELD_BOOL, /* bool */
	MIB_FIELD_TEXT, /* char *: text, cut at a UTF-8 character boundary */
	MIB_FIELD_LIST, /* char *: a CPU or node list, cut before an item, then MIB_LIST_MORE;
			 * under SMI_CPUBITMAP the same list as a bitmap, whole */
	MIB_FIELD_GETTER,
};

/* One accessible column: the MIB's descriptor and number, its syntax and where its value is.
 * Adding a column is one line in its table's columns array, plus its OBJECT-TYPE in
 * mibs/NUMA-TOPOLOGY-MIB.txt; tests/mibcols.sh fails until the two agree. */
struct mib_column {
	unsigned col;
	const char *name; /* e.g. "numaNodeCpuCapacity" */
	enum mib_syntax syntax;
	enum mib_field field;
	size_t offset; /* into the row struct */
	/* MIB_FIELD_GETTER: a value computed from the row, then clamped to the syntax */
	int64_t (*get)(const void *row);
	/* NULL: every row has a value; else false for a row that has none in this column (a hole
	 * in the table: GET says noSuchInstance, GETNEXT steps over it) */
	bool (*present)(const void *row);
};

/* The field, offset and get of a column whose value is a member of the row struct:
 * MIB_AT(struct node_row, cpu_capacity, U32). A member of another C type than the kind says
 * does not compile (an enum kind: of another size than int). */
#define MIB_AT(type, member, kind) MIB_FIELD_##kind, MIB_OFFSET(type, member, kind), NULL, NULL
/* The same for a member only the rows for which present(row) is true have a value in. */
#define MIB_AT_IF(type, member, kind, present)                                                     \
	MIB_FIELD_##kind, MIB_OFFSET(type, member, kind), NULL, (present)
/* The same for a value computed by fn(row). */
#define MIB_GETTER(fn) MIB_FIELD_GETTER, 0, (fn), NULL
/* The same for a value only the rows for which present(row) is true have. */
#define MIB_GETTER_IF(fn, present) MIB_FIELD_GETTER, 0, (fn), (present)

/* offsetof(type, member), plus a zero that only compiles when the member has the kind's type:
 * comparing its address with a ctype pointer is a "distinct pointer types" error (-Werror),
 * and a negative array size one. */
#define MIB_OFFSET(type, member, kind) (offsetof(type, member) + MIB_CHECK_##kind(type, member))
#define MIB_IS(type, member, ctype)    (0 * sizeof(&((type *)0)->member == (ctype *)0))
#define MIB_SIZE_IS(type, member, ctype)                                                           \
	(0 * sizeof(char[sizeof(((type *)0)->member) == sizeof(ctype) ? 1 : -1]))
#define MIB_CHECK_U32(type, member)  MIB_IS(type, member, uint32_t)
#define MIB_CHECK_U64(type, member)  MIB_IS(type, member, uint64_t)
#define MIB_CHECK_MEBI(type, member) MIB_IS(type, member, uint64_t)
#define MIB_CHECK_SIZE(type, member) MIB_IS(type, member, size_t)
#define MIB_CHECK_INT(type, member)  MIB_IS(type, member, int)
#define MIB_CHECK_ENUM(type, member) MIB_SIZE_IS(type, member, int)
#define MIB_CHECK_I64(type, member)  MIB_IS(type, member, int64_t)
#define MIB_CHECK_BOOL(type, member) MIB_IS(type, member, bool)
#define MIB_CHECK_TEXT(type, member) MIB_IS(type, member, char *)
#define MIB_CHECK_LIST(type, member) MIB_IS(type, member, char *)

/* One sub-id of a row's INDEX: an unsigned field of the row (U32 or U64 only; a value above
 * 2^32-1 saturates). */
struct mib_key {
	enum mib_field field;
	size_t offset;
};
#define MIB_KEY(type, member, kind)                                                                \
	{                                                                                          \
		MIB_FIELD_##kind, MIB_OFFSET(type, member, kind)                                   \
	}

/* The MIB's name of a syntax: "Gauge32", "INTEGER" (an enumeration), "TruthValue", ... */
const char *mib_syntax_name(enum mib_syntax syntax);
/* The bytes of v as snmp_set_var_typed_value() and snmp_varlist_add_variable() take them. */
const void *mib_value_bytes(const struct mib_value *v, size_t *len);

/* The value of column c of row: 0, or -1 when its syntax and field disagree (text and number). */
int mib_column_value(const struct mib_column *c, const void *row, struct mib_value *v);
/* The index sub-id key k of row: its field, saturated at 2^32-1. */
uint32_t mib_key_subid(const struct mib_key *k, const void *row);

#endif
