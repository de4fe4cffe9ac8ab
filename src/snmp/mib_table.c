/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_table.c: the shared read-only handler: maps a request OID to a row position with the
 * model's binary searches (never a scan, never a copy) and reads the value a column descriptor
 * points at, for GET and GETNEXT and for the notifications alike. */
#include "snmp/mib_table.h"

#include <limits.h>
#include <string.h>

#include "core/util.h"
#include "snmp/mib_pin.h"

/* ---------------------------------------------------------------- rows and columns */

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

/* Whether the row at pos has a value in column c: a column may leave a row out (a counter the
 * kernel does not give for that node), a hole a GET answers with noSuchInstance and a walk
 * steps over. */
static bool has_value(const struct mib_table *t, const struct model *m, size_t pos,
		      const struct mib_column *c)
{
	return c->present == NULL || c->present(row_at(t, m, pos));
}

void mib_table_index(const struct mib_table *t, const struct model *m, size_t pos, uint32_t idx[])
{
	const void *row = row_at(t, m, pos);
	size_t j;

	if (t->scalars) {
		idx[0] = 0;
		return;
	}
	for (j = 0; j < t->arity; j++)
		idx[j] = mib_key_subid(&t->keys[j], row);
}

static size_t lower(const struct mib_table *t, const struct model *m, const uint32_t idx[])
{
	if (t->scalars)
		return idx[0] == 0 ? 0 : 1;
	return t->lower(m, idx);
}

/* The first column numbered col or higher, NULL when none: columns are strictly increasing,
 * and the MIB may leave numbers out (a column retired, or one a build does not serve). */
static const struct mib_column *column_from(const struct mib_table *t, unsigned long col)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].col >= col)
			return &t->columns[i];
	return NULL;
}

const struct mib_column *mib_table_column(const struct mib_table *t, unsigned col)
{
	const struct mib_column *c = column_from(t, col);

	return c && c->col == col ? c : NULL;
}

const struct mib_column *mib_table_column_named(const struct mib_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return &t->columns[i];
	return NULL;
}

int mib_table_value(const struct mib_table *t, const struct model *m, size_t pos, unsigned col,
		    struct mib_value *v)
{
	const struct mib_column *c = mib_table_column(t, col);

	if (c == NULL || (c->present != NULL && !c->present(row_at(t, m, pos))))
		return -1;
	return mib_column_value(c, row_at(t, m, pos), v);
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

/* Whether a sub-id is beyond any Unsigned32 index. A function, not an inline comparison: where
 * oid is 32 bits wide (i386) the test is always false, which -Wtype-limits would call an error. */
static bool beyond_u32(uint64_t subid)
{
	return subid > UINT32_MAX;
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
		if (beyond_u32(rest[j]))
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
	if (q[e] > UINT_MAX || mib_table_column(t, (unsigned)q[e]) == NULL)
		return MIB_NO_OBJECT;
	if (qlen != e + 1 + t->arity)
		return MIB_NO_INSTANCE;
	for (j = 0; j < t->arity; j++) {
		if (beyond_u32(q[e + 1 + j]))
			return MIB_NO_INSTANCE;
		key[j] = (uint32_t)q[e + 1 + j];
	}
	pos = lower(t, m, key);
	if (pos >= mib_table_count(t, m))
		return MIB_NO_INSTANCE;
	mib_table_index(t, m, pos, idx);
	if (memcmp(idx, key, t->arity * sizeof(key[0])) != 0 ||
	    !has_value(t, m, pos, mib_table_column(t, (unsigned)q[e])))
		return MIB_NO_INSTANCE;
	mib_table_instance(t, m, pos, (unsigned)q[e], hit);
	return MIB_FOUND;
}

/* The first instance from row pos of column c on, column by column: a row without a value in
 * a column is skipped. */
static enum mib_result from_column(const struct mib_table *t, const struct model *m,
				   const struct mib_column *c, size_t pos, struct mib_hit *hit)
{
	size_t n = mib_table_count(t, m);

	for (; c < t->columns + t->ncolumns; c++, pos = 0) {
		while (pos < n && !has_value(t, m, pos, c))
			pos++;
		if (pos < n) {
			mib_table_instance(t, m, pos, c->col, hit);
			return MIB_FOUND;
		}
	}
	return MIB_END;
}

static enum mib_result first_instance(const struct mib_table *t, const struct model *m,
				      struct mib_hit *hit)
{
	return from_column(t, m, t->columns, 0, hit);
}

/* Instances are ordered column by column (entry.col.index), so "next" is the next row of the
 * same column, else the first row of the next column. */
static enum mib_result find_next(const struct mib_table *t, const struct model *m, const oid *q,
				 size_t qlen, struct mib_hit *hit)
{
	size_t e = t->entry_len, n = mib_table_count(t, m), j, pos;
	const struct mib_column *c;
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
	c = col > UINT_MAX ? NULL : column_from(t, (unsigned long)col);
	if (c == NULL)
		return MIB_END;
	if (c->col != col) /* before the first column, or in a gap: its first row */
		return from_column(t, m, c, 0, hit);
	pos = first_after(m, t, q + e + 1, qlen - e - 1);
	return from_column(t, m, c, pos, hit);
}

enum mib_result mib_table_find(const struct mib_table *t, const struct model *m, const oid *q,
			       size_t qlen, bool next, struct mib_hit *hit)
{
	return next ? find_next(t, m, q, qlen, hit) : find_exact(t, m, q, qlen, hit);
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
	for (i = 1; i < t->ncolumns; i++)
		if (t->columns[i].col <= t->columns[i - 1].col)
			return false;
	return true;
}

netsnmp_handler_registration *mib_table_register(const struct mib_table *t)
{
	netsnmp_handler_registration *reg;
	int rc;

	if (!mib_table_columns_ok(t)) {
		snmp_log(LOG_ERR, "%s: its column numbers do not increase\n",
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
