/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_column.c: what a column descriptor means: the field it points at, read as its C type,
 * then brought into the range and onto the wire type of its SMI syntax. */
#include "snmp/mib_column.h"

#include <string.h>

#include "core/cpuset.h"
#include "core/util.h"

/* A field's value before a column's syntax makes an SNMP value of it. */
struct field_value {
	bool is_signed, is_text;
	int64_t i;	  /* is_signed */
	uint64_t u;	  /* neither */
	const char *text; /* is_text */
};

/* Fields are read with memcpy, not through a cast pointer: the field's C type was checked when
 * the column was written (MIB_AT), and a copy reads it without breaking aliasing rules. */
static void read_number(enum mib_field field, const char *p, struct field_value *f)
{
	uint32_t u32;
	size_t size;
	int i;
	bool b;

	switch (field) {
	case MIB_FIELD_U32:
		memcpy(&u32, p, sizeof(u32));
		f->u = u32;
		break;
	case MIB_FIELD_U64:
		memcpy(&f->u, p, sizeof(f->u));
		break;
	case MIB_FIELD_MEBI:
		memcpy(&f->u, p, sizeof(f->u));
		f->u >>= 20; /* bytes to MiB, rounded down */
		break;
	case MIB_FIELD_SIZE:
		memcpy(&size, p, sizeof(size));
		f->u = size;
		break;
	case MIB_FIELD_BOOL:
		memcpy(&b, p, sizeof(b));
		f->u = b;
		break;
	case MIB_FIELD_INT:
	case MIB_FIELD_ENUM:
		memcpy(&i, p, sizeof(i));
		f->is_signed = true;
		f->i = i;
		break;
	case MIB_FIELD_I64:
		memcpy(&f->i, p, sizeof(f->i));
		f->is_signed = true;
		break;
	case MIB_FIELD_TEXT:
	case MIB_FIELD_LIST:
	case MIB_FIELD_GETTER:
		break; /* not a number: read_field() reads these */
	}
}

static void read_field(const struct mib_column *c, const void *row, struct field_value *f)
{
	const char *p = (const char *)row + c->offset;

	memset(f, 0, sizeof(*f));
	if (c->field == MIB_FIELD_GETTER) {
		f->is_signed = true;
		f->i = c->get(row);
	} else if (c->field == MIB_FIELD_TEXT || c->field == MIB_FIELD_LIST) {
		f->is_text = true;
		memcpy(&f->text, p, sizeof(f->text));
	} else {
		read_number(c->field, p, f);
	}
}

static uint64_t as_unsigned(const struct field_value *f)
{
	if (f->is_signed)
		return f->i < 0 ? 0 : (uint64_t)f->i;
	return f->u;
}

static int64_t as_signed(const struct field_value *f)
{
	if (f->is_signed)
		return f->i;
	return f->u > INT64_MAX ? INT64_MAX : (int64_t)f->u;
}

/* How a value is brought into the range of a syntax. */
enum range { TO_UINT32, TO_INT32, TO_TRUTH, TO_UINT64, TO_TEXT, TO_BITMAP };

/* Per syntax: its name in the MIB, its type on the wire, its range. */
static const struct {
	const char *name;
	u_char type;
	enum range range;
} syntaxes[] = {
    [SMI_GAUGE32] = {"Gauge32", ASN_GAUGE, TO_UINT32},
    [SMI_UNSIGNED32] = {"Unsigned32", ASN_UNSIGNED, TO_UINT32},
    [SMI_COUNTER32] = {"Counter32", ASN_COUNTER, TO_UINT32},
    [SMI_TIMESTAMP] = {"TimeStamp", ASN_TIMETICKS, TO_UINT32},
    [SMI_INTEGER32] = {"Integer32", ASN_INTEGER, TO_INT32},
    [SMI_ENUM] = {"INTEGER", ASN_INTEGER, TO_INT32},
    [SMI_TRUTHVALUE] = {"TruthValue", ASN_INTEGER, TO_TRUTH},
    [SMI_COUNTERBASEDGAUGE64] = {"CounterBasedGauge64", ASN_COUNTER64, TO_UINT64},
    [SMI_COUNTER64] = {"Counter64", ASN_COUNTER64, TO_UINT64},
    [SMI_DISPLAYSTRING] = {"DisplayString", ASN_OCTET_STR, TO_TEXT},
    [SMI_SNMPADMINSTRING] = {"SnmpAdminString", ASN_OCTET_STR, TO_TEXT},
    [SMI_CPUBITMAP] = {"CpuBitmap", ASN_OCTET_STR, TO_BITMAP},
};

const char *mib_syntax_name(enum mib_syntax syntax)
{
	return (size_t)syntax < ARRAY_SIZE(syntaxes) ? syntaxes[syntax].name : "?";
}

/* Over MIB_STRING_MAX bytes, cut at the last UTF-8 character boundary that fits. */
static void set_text(struct mib_value *v, const char *s)
{
	v->str = s ? s : "";
	v->len = strnlen(v->str, MIB_STRING_MAX + 1);
	if (v->len > MIB_STRING_MAX)
		v->len = utf8_cut(v->str, MIB_STRING_MAX);
}

/* A CPU or node list ("0-3,8,10"): over MIB_STRING_MAX bytes, the longest prefix that ends
 * before a ',' and leaves room for MIB_LIST_MORE, then MIB_LIST_MORE (in v->buf, so v must
 * outlive its use). Never a shorter list that looks complete, never half an item. */
static void set_list(struct mib_value *v, const char *s)
{
	const size_t more = sizeof(MIB_LIST_MORE) - 1;
	size_t k;

	set_text(v, s);
	if (strnlen(v->str, MIB_STRING_MAX + 1) <= MIB_STRING_MAX)
		return;
	for (k = MIB_STRING_MAX - more; k > 0 && v->str[k] != ','; k--)
		;
	memcpy(v->buf, v->str, k);
	memcpy(v->buf + k, MIB_LIST_MORE, more);
	v->str = v->buf;
	v->len = k + more;
}

/* A CPU list ("0-3,8", the model's kernel list format) as a CpuBitmap in v->buf: bit 7 of
 * octet 0 is CPU 0 (Q-BRIDGE-MIB's PortList order), and the string ends with the octet that
 * holds the highest CPU, so an empty list is the empty string. -1 when s is not such a list. */
_Static_assert(CPUSET_MAX_CPUS <= 8 * MIB_BITMAP_MAX, "a CpuBitmap holds every CPU id the model can");

static int set_bitmap(struct mib_value *v, const char *s)
{
	char err[ERRLEN];
	struct cpuset *set = cpuset_parse(s, strlen(s), CPUSET_MAX_CPUS, CPUSET_KERNEL, err,
					  sizeof(err));
	int cpu;

	if (set == NULL)
		return -1;
	memset(v->buf, 0, sizeof(v->buf));
	v->len = 0;
	for (cpu = cpuset_next(set, -1); cpu >= 0 && cpu < 8 * MIB_BITMAP_MAX;
	     cpu = cpuset_next(set, cpu)) {
		v->buf[cpu / 8] = (char)((unsigned char)v->buf[cpu / 8] | 0x80u >> (cpu % 8));
		v->len = (size_t)cpu / 8 + 1;
	}
	cpuset_free(set);
	v->str = v->buf;
	return 0;
}

static bool is_text_range(enum range r)
{
	return r == TO_TEXT || r == TO_BITMAP;
}

/* f in the range of the syntax: 0, or -1 when a text field meets a number syntax or the other
 * way round (or a bitmap's field is no CPU list). */
static int set_value_of(struct mib_value *v, enum mib_syntax syntax, enum mib_field field,
			const struct field_value *f)
{
	int64_t i = as_signed(f);
	uint64_t u = as_unsigned(f);

	v->type = syntaxes[syntax].type;
	if (f->is_text != is_text_range(syntaxes[syntax].range))
		return -1;
	switch (syntaxes[syntax].range) {
	case TO_UINT32:
		v->u = u > UINT32_MAX ? UINT32_MAX : (u_long)u;
		break;
	case TO_INT32:
		v->i = i < INT32_MIN ? INT32_MIN : i > INT32_MAX ? INT32_MAX : (long)i;
		break;
	case TO_TRUTH:
		v->i = i != 0 ? 1 : 2; /* TruthValue: true(1), false(2) */
		break;
	case TO_UINT64:
		v->c64.high = (u_long)(u >> 32);
		v->c64.low = (u_long)(u & UINT32_MAX);
		break;
	case TO_TEXT:
		if (field == MIB_FIELD_LIST)
			set_list(v, f->text);
		else
			set_text(v, f->text);
		break;
	case TO_BITMAP:
		return field == MIB_FIELD_LIST ? set_bitmap(v, f->text ? f->text : "") : -1;
	}
	return 0;
}

int mib_column_value(const struct mib_column *c, const void *row, struct mib_value *v)
{
	struct field_value f;

	read_field(c, row, &f);
	return set_value_of(v, c->syntax, c->field, &f);
}

uint32_t mib_key_subid(const struct mib_key *k, const void *row)
{
	struct field_value f;

	memset(&f, 0, sizeof(f));
	read_number(k->field, (const char *)row + k->offset, &f);
	return f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u;
}

const void *mib_value_bytes(const struct mib_value *v, size_t *len)
{
	switch (v->type) {
	case ASN_INTEGER:
		*len = sizeof(v->i);
		return &v->i;
	case ASN_COUNTER64:
		*len = sizeof(v->c64);
		return &v->c64;
	case ASN_OCTET_STR:
		*len = v->len;
		return v->str;
	default:
		*len = sizeof(v->u);
		return &v->u;
	}
}
