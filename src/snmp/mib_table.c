/* mib_table.c: the shared read-only handler: maps a request OID to a row position with the
 * model's binary searches (never a scan, never a copy) and reads the value a column descriptor
 * points at, for GET and GETNEXT and for the notifications alike. */
#include "snmp/mib_table.h"

#include <string.h>

#include "core/util.h"
#include "snmp/mib_pin.h"

/* ---------------------------------------------------------------- rows and fields */

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

size_t mib_table_count(const struct mib_table *t, const struct model *m)
{
	size_t n;

	if (t->scalars)
		return 1;
	memcpy(&n, (const char *)m + t->count_at, sizeof(n));
	return n;
}

static const void *row_at(const struct mib_table *t, const struct model *m, size_t pos)
{
	const char *rows;

	if (t->scalars)
		return m;
	/* the array pointer as a char pointer: object pointers share one representation */
	memcpy(&rows, (const char *)m + t->rows_at, sizeof(rows));
	return rows + pos * t->stride;
}

void mib_table_index(const struct mib_table *t, const struct model *m, size_t pos, uint32_t idx[])
{
	const char *row = row_at(t, m, pos);
	struct field_value f;
	size_t j;

	if (t->scalars) {
		idx[0] = 0;
		return;
	}
	/* A page size in KiB above 2^32-1 (4 TiB pages) exists on no architecture; were it to,
	 * the sub-id would saturate and such rows would share one index (GETNEXT still moves
	 * forward). */
	for (j = 0; j < t->arity; j++) {
		memset(&f, 0, sizeof(f));
		read_number(t->keys[j].field, row + t->keys[j].offset, &f);
		idx[j] = f.u > UINT32_MAX ? UINT32_MAX : (uint32_t)f.u;
	}
}

static size_t lower(const struct mib_table *t, const struct model *m, const uint32_t idx[])
{
	if (t->scalars)
		return idx[0] == 0 ? 0 : 1;
	return t->lower(m, idx);
}

static unsigned first_col(const struct mib_table *t)
{
	return t->columns[0].col;
}

static unsigned last_col(const struct mib_table *t)
{
	return t->columns[t->ncolumns - 1].col;
}

const struct mib_column *mib_table_column(const struct mib_table *t, unsigned col)
{
	if (col < first_col(t) || col > last_col(t))
		return NULL;
	return &t->columns[col - first_col(t)];
}

const struct mib_column *mib_table_column_named(const struct mib_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return &t->columns[i];
	return NULL;
}

/* ---------------------------------------------------------------- OID <-> row (pure) */

void mib_table_instance(const struct mib_table *t, const struct model *m, size_t pos, unsigned col,
			struct mib_hit *hit)
{
	uint32_t idx[MIB_MAX_ARITY];
	size_t j;

	memcpy(hit->name, t->entry, t->entry_len * sizeof(oid));
	hit->name[t->entry_len] = col;
	mib_table_index(t, m, pos, idx);
	for (j = 0; j < t->arity; j++)
		hit->name[t->entry_len + 1 + j] = idx[j];
	hit->name_len = t->entry_len + 1 + t->arity;
	hit->pos = pos;
	hit->col = col;
}

static size_t lower_padded(const struct model *m, const struct mib_table *t, uint32_t key[],
			   size_t j)
{
	for (; j < t->arity; j++)
		key[j] = 0;
	return lower(t, m, key);
}

/* The first row whose first j index sub-ids are greater than key[0..j-1]: increment the prefix
 * as a number in base 2^32 (a carry out of the top means no row can follow). */
static size_t after_prefix(const struct model *m, const struct mib_table *t, uint32_t key[],
			   size_t j)
{
	while (j > 0 && key[j - 1] == UINT32_MAX)
		j--;
	if (j == 0)
		return mib_table_count(t, m);
	key[j - 1]++;
	return lower_padded(m, t, key, j);
}

/* The first row whose index, as OID sub-ids, comes after rest[0..r-1] in OID order. rest may be
 * shorter than the index (a partial index), longer (then an equal index is a prefix of it, so
 * before it) or hold sub-ids no Unsigned32 index can have. */
static size_t first_after(const struct model *m, const struct mib_table *t, const oid *rest,
			  size_t r)
{
	uint32_t key[MIB_MAX_ARITY];
	size_t j;

	for (j = 0; j < r && j < t->arity; j++) {
		if ((uint64_t)rest[j] > UINT32_MAX)
			return after_prefix(m, t, key, j);
		key[j] = (uint32_t)rest[j];
	}
	if (r < t->arity)
		return lower_padded(m, t, key, r);
	return after_prefix(m, t, key, t->arity);
}

static enum mib_result find_exact(const struct mib_table *t, const struct model *m, const oid *q,
				  size_t qlen, struct mib_hit *hit)
{
	uint32_t key[MIB_MAX_ARITY], idx[MIB_MAX_ARITY];
	size_t e = t->entry_len, j, pos;

	if (qlen <= e || memcmp(q, t->entry, e * sizeof(oid)) != 0)
		return MIB_NO_OBJECT;
	if (q[e] < first_col(t) || q[e] > last_col(t))
		return MIB_NO_OBJECT;
	if (qlen != e + 1 + t->arity)
		return MIB_NO_INSTANCE;
	for (j = 0; j < t->arity; j++) {
		if ((uint64_t)q[e + 1 + j] > UINT32_MAX)
			return MIB_NO_INSTANCE;
		key[j] = (uint32_t)q[e + 1 + j];
	}
	pos = lower(t, m, key);
	if (pos >= mib_table_count(t, m))
		return MIB_NO_INSTANCE;
	mib_table_index(t, m, pos, idx);
	if (memcmp(idx, key, t->arity * sizeof(key[0])) != 0)
		return MIB_NO_INSTANCE;
	mib_table_instance(t, m, pos, (unsigned)q[e], hit);
	return MIB_FOUND;
}

static enum mib_result first_instance(const struct mib_table *t, const struct model *m,
				      struct mib_hit *hit)
{
	mib_table_instance(t, m, 0, first_col(t), hit);
	return MIB_FOUND;
}

/* Instances are ordered column by column (entry.col.index), so "next" is the next row of the
 * same column, else the first row of the next column. */
static enum mib_result find_next(const struct mib_table *t, const struct model *m, const oid *q,
				 size_t qlen, struct mib_hit *hit)
{
	size_t e = t->entry_len, n = mib_table_count(t, m), j, pos;
	oid col;

	if (n == 0)
		return MIB_END;
	for (j = 0; j < e && j < qlen; j++) {
		if (q[j] != t->entry[j])
			return q[j] < t->entry[j] ? first_instance(t, m, hit) : MIB_END;
	}
	if (qlen <= e) /* the entry itself or one of its ancestors */
		return first_instance(t, m, hit);
	col = q[e];
	if (col < first_col(t))
		return first_instance(t, m, hit);
	if (col > last_col(t))
		return MIB_END;
	pos = first_after(m, t, q + e + 1, qlen - e - 1);
	if (pos < n) {
		mib_table_instance(t, m, pos, (unsigned)col, hit);
		return MIB_FOUND;
	}
	if (col == last_col(t))
		return MIB_END;
	mib_table_instance(t, m, 0, (unsigned)col + 1, hit);
	return MIB_FOUND;
}

enum mib_result mib_table_find(const struct mib_table *t, const struct model *m, const oid *q,
			       size_t qlen, bool next, struct mib_hit *hit)
{
	return next ? find_next(t, m, q, qlen, hit) : find_exact(t, m, q, qlen, hit);
}

/* ---------------------------------------------------------------- values */

/* How a value is brought into the range of a syntax. */
enum range { TO_UINT32, TO_INT32, TO_TRUTH, TO_UINT64, TO_TEXT };

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
    [SMI_DISPLAYSTRING] = {"DisplayString", ASN_OCTET_STR, TO_TEXT},
    [SMI_SNMPADMINSTRING] = {"SnmpAdminString", ASN_OCTET_STR, TO_TEXT},
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

/* f in the range of the syntax: 0, or -1 when a text field meets a number syntax or the other
 * way round. */
static int set_value_of(struct mib_value *v, enum mib_syntax syntax, enum mib_field field,
			const struct field_value *f)
{
	int64_t i = as_signed(f);
	uint64_t u = as_unsigned(f);

	v->type = syntaxes[syntax].type;
	if (f->is_text != (syntaxes[syntax].range == TO_TEXT))
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
	}
	return 0;
}

int mib_table_value(const struct mib_table *t, const struct model *m, size_t pos, unsigned col,
		    struct mib_value *v)
{
	const struct mib_column *c = mib_table_column(t, col);
	struct field_value f;

	if (c == NULL)
		return -1;
	read_field(c, row_at(t, m, pos), &f);
	return set_value_of(v, c->syntax, c->field, &f);
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

/* ---------------------------------------------------------------- the Net-SNMP handler */

static int set_value(netsnmp_variable_list *vb, const struct mib_value *v)
{
	size_t len;
	const void *bytes = mib_value_bytes(v, &len);

	return snmp_set_var_typed_value(vb, v->type, bytes, len);
}

static void answer(const struct mib_table *t, const struct model *m,
		   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		   const struct mib_hit *hit, bool rename)
{
	struct mib_value v;

	memset(&v, 0, sizeof(v));
	if (mib_table_value(t, m, hit->pos, hit->col, &v) != 0 ||
	    (rename && snmp_set_var_objid(r->requestvb, hit->name, hit->name_len) != 0) ||
	    set_value(r->requestvb, &v) != 0) {
		snmp_log(LOG_ERR, "%s: cannot answer column %u of row %zu\n", t->name, hit->col,
			 hit->pos);
		netsnmp_set_request_error(reqinfo, r, SNMP_ERR_GENERR);
	}
}

static void answer_get(const struct mib_table *t, const struct model *m,
		       netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	const netsnmp_variable_list *vb = r->requestvb;
	struct mib_hit hit;

	switch (m ? mib_table_find(t, m, vb->name, vb->name_length, false, &hit) : MIB_NO_OBJECT) {
	case MIB_FOUND:
		answer(t, m, reqinfo, r, &hit, false);
		break;
	case MIB_NO_INSTANCE:
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
		break;
	default:
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
		break;
	}
}

/* Nothing found leaves the varbind alone: the agent then asks the next registered subtree. An
 * inclusive request (AgentX include flag, or a start the agent moved to our root) may be
 * answered by its own OID. */
static void answer_next(const struct mib_table *t, const struct model *m,
			netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	const netsnmp_variable_list *vb = r->requestvb;
	struct mib_hit hit;

	if (m == NULL)
		return;
	if (r->inclusive &&
	    mib_table_find(t, m, vb->name, vb->name_length, false, &hit) == MIB_FOUND) {
		answer(t, m, reqinfo, r, &hit, true);
		return;
	}
	if (mib_table_find(t, m, vb->name, vb->name_length, true, &hit) == MIB_FOUND)
		answer(t, m, reqinfo, r, &hit, true);
}

int mib_table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
		      netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct mib_table *t = handler->myvoid;
	const struct model *m;
	netsnmp_request_info *r;

	(void)reginfo;
	m = mib_pin(reqinfo);
	for (r = requests; r; r = r->next) {
		if (r->processed)
			continue;
		switch (reqinfo->mode) {
		case MODE_GET:
			answer_get(t, m, reqinfo, r);
			break;
		case MODE_GETNEXT:
			answer_next(t, m, reqinfo, r);
			break;
		default: /* SETs never get here (HANDLER_CAN_RONLY); GETBULK goes via bulk_to_next
			  */
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_GENERR);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

bool mib_table_columns_ok(const struct mib_table *t)
{
	size_t i;

	if (t->ncolumns == 0)
		return false;
	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].col != t->columns[0].col + i)
			return false;
	return true;
}

netsnmp_handler_registration *mib_table_register(const struct mib_table *t)
{
	netsnmp_handler_registration *reg;
	int rc;

	if (!mib_table_columns_ok(t)) {
		snmp_log(LOG_ERR, "%s: its columns are not numbered one after the other\n",
			 t->name);
		return NULL;
	}
	reg = netsnmp_create_handler_registration(t->name, mib_table_handler, t->entry, t->reg_len,
						  HANDLER_CAN_RONLY);
	if (reg == NULL) {
		snmp_log(LOG_ERR, "%s: cannot create its handler registration\n", t->name);
		return NULL;
	}
	/* Read back in the handler; the agent frees myvoid only with a data_free, never set. */
	reg->handler->myvoid = (void *)t;
	/* Without HANDLER_CAN_GETBULK this injects the bulk_to_next helper: GETBULK arrives here
	 * as GETNEXT passes. On failure the agent has freed reg already. */
	rc = netsnmp_register_handler(reg);
	if (rc != MIB_REGISTERED_OK) {
		snmp_log(LOG_ERR, "%s: registration failed (%s)\n", t->name,
			 rc == MIB_DUPLICATE_REGISTRATION ? "the OID is already registered"
							  : "agent error");
		return NULL;
	}
	return reg;
}
