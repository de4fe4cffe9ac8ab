/* mib_table.c: the shared read-only handler: maps a request OID to a row position with the
 * model's binary searches (never a scan, never a copy) and answers GET and GETNEXT from it. */
#include "snmp/mib_table.h"

#include <string.h>

#include "core/util.h"

/* ---------------------------------------------------------------- OID <-> row (pure) */

static void fill_hit(const struct mib_table *t, const struct model *m, size_t pos, unsigned col,
		     struct mib_hit *hit)
{
	uint32_t idx[MIB_MAX_ARITY];
	size_t j;

	memcpy(hit->name, t->entry, t->entry_len * sizeof(oid));
	hit->name[t->entry_len] = col;
	t->index(m, pos, idx);
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
	return t->lower(m, key);
}

/* The first row whose first j index sub-ids are greater than key[0..j-1]: increment the prefix
 * as a number in base 2^32 (a carry out of the top means no row can follow). */
static size_t after_prefix(const struct model *m, const struct mib_table *t, uint32_t key[],
			   size_t j)
{
	while (j > 0 && key[j - 1] == UINT32_MAX)
		j--;
	if (j == 0)
		return t->count(m);
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
	if (q[e] < t->first_col || q[e] > t->last_col)
		return MIB_NO_OBJECT;
	if (qlen != e + 1 + t->arity)
		return MIB_NO_INSTANCE;
	for (j = 0; j < t->arity; j++) {
		if ((uint64_t)q[e + 1 + j] > UINT32_MAX)
			return MIB_NO_INSTANCE;
		key[j] = (uint32_t)q[e + 1 + j];
	}
	pos = t->lower(m, key);
	if (pos >= t->count(m))
		return MIB_NO_INSTANCE;
	t->index(m, pos, idx);
	if (memcmp(idx, key, t->arity * sizeof(key[0])) != 0)
		return MIB_NO_INSTANCE;
	fill_hit(t, m, pos, (unsigned)q[e], hit);
	return MIB_FOUND;
}

static enum mib_result first_instance(const struct mib_table *t, const struct model *m,
				      struct mib_hit *hit)
{
	fill_hit(t, m, 0, t->first_col, hit);
	return MIB_FOUND;
}

/* Instances are ordered column by column (entry.col.index), so "next" is the next row of the
 * same column, else the first row of the next column. */
static enum mib_result find_next(const struct mib_table *t, const struct model *m, const oid *q,
				 size_t qlen, struct mib_hit *hit)
{
	size_t e = t->entry_len, n = t->count(m), j, pos;
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
	if (col < t->first_col)
		return first_instance(t, m, hit);
	if (col > t->last_col)
		return MIB_END;
	pos = first_after(m, t, q + e + 1, qlen - e - 1);
	if (pos < n) {
		fill_hit(t, m, pos, (unsigned)col, hit);
		return MIB_FOUND;
	}
	if (col == t->last_col)
		return MIB_END;
	fill_hit(t, m, 0, (unsigned)col + 1, hit);
	return MIB_FOUND;
}

enum mib_result mib_table_find(const struct mib_table *t, const struct model *m, const oid *q,
			       size_t qlen, bool next, struct mib_hit *hit)
{
	return next ? find_next(t, m, q, qlen, hit) : find_exact(t, m, q, qlen, hit);
}

/* ---------------------------------------------------------------- values */

void mib_set_integer(struct mib_value *v, int64_t x)
{
	v->type = ASN_INTEGER;
	v->i = x < INT32_MIN ? INT32_MIN : x > INT32_MAX ? INT32_MAX : (long)x;
}

static void set_unsigned_type(struct mib_value *v, u_char type, uint64_t x)
{
	v->type = type;
	v->u = x > UINT32_MAX ? UINT32_MAX : (u_long)x;
}

void mib_set_gauge(struct mib_value *v, uint64_t x)
{
	set_unsigned_type(v, ASN_GAUGE, x);
}

void mib_set_unsigned(struct mib_value *v, uint64_t x)
{
	set_unsigned_type(v, ASN_UNSIGNED, x);
}

void mib_set_counter(struct mib_value *v, uint32_t x)
{
	set_unsigned_type(v, ASN_COUNTER, x);
}

void mib_set_ticks(struct mib_value *v, uint32_t x)
{
	set_unsigned_type(v, ASN_TIMETICKS, x);
}

void mib_set_counter64(struct mib_value *v, uint64_t x)
{
	v->type = ASN_COUNTER64;
	v->c64.high = (u_long)(x >> 32);
	v->c64.low = (u_long)(x & UINT32_MAX);
}

void mib_set_truth(struct mib_value *v, bool b)
{
	v->type = ASN_INTEGER;
	v->i = b ? 1 : 2; /* TruthValue: true(1), false(2) */
}

void mib_set_string(struct mib_value *v, const char *s)
{
	v->type = ASN_OCTET_STR;
	v->str = s ? s : "";
	v->len = strnlen(v->str, MIB_STRING_MAX + 1);
	if (v->len > MIB_STRING_MAX)
		v->len = utf8_cut(v->str, MIB_STRING_MAX);
}

void mib_set_list(struct mib_value *v, const char *s)
{
	const size_t more = sizeof(MIB_LIST_MORE) - 1;
	size_t k;

	mib_set_string(v, s);
	if (strnlen(v->str, MIB_STRING_MAX + 1) <= MIB_STRING_MAX)
		return;
	for (k = MIB_STRING_MAX - more; k > 0 && v->str[k] != ','; k--)
		;
	memcpy(v->buf, v->str, k);
	memcpy(v->buf + k, MIB_LIST_MORE, more);
	v->str = v->buf;
	v->len = k + more;
}

/* ---------------------------------------------------------------- the Net-SNMP handler */

static int set_value(netsnmp_variable_list *vb, const struct mib_value *v)
{
	switch (v->type) {
	case ASN_INTEGER:
		return snmp_set_var_typed_value(vb, v->type, &v->i, sizeof(v->i));
	case ASN_COUNTER64:
		return snmp_set_var_typed_value(vb, v->type, &v->c64, sizeof(v->c64));
	case ASN_OCTET_STR:
		return snmp_set_var_typed_value(vb, v->type, v->str, v->len);
	default:
		return snmp_set_var_typed_value(vb, v->type, &v->u, sizeof(v->u));
	}
}

static void answer(const struct mib_table *t, const struct model *m,
		   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		   const struct mib_hit *hit, bool rename)
{
	struct mib_value v;

	memset(&v, 0, sizeof(v));
	if (t->get(m, hit->pos, hit->col, &v) != 0 ||
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

netsnmp_handler_registration *mib_table_register(const struct mib_table *t)
{
	netsnmp_handler_registration *reg;
	int rc;

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
