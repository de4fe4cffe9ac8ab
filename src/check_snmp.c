/* SPDX-License-Identifier: BSD-3-Clause */
/* check_snmp.c: check_numa -H: numaNodeTable, numaHugepageTable and the scalars of a remote
 * numatopd, walked over SNMPv2c or v3 with GETBULK, into the model rows core/check judges. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "check_snmp.h"
#include "core/util.h"

/* NUMA-TOPOLOGY-MIB: numaObjects = ROOT.1 */
#define ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 6862, 1
static const oid node_entry[] = {ROOT, 2, 1}; /* .col.nodeId */
static const oid huge_entry[] = {ROOT, 7, 1}; /* .col.nodeId.sizeKiB */
enum { SC_VMS = 2, SC_INVALID = 8, SC_STATUS = 9 }; /* numaScalars ROOT.1.N.0 */

struct rows {
	struct model *m;
	size_t ncap, hcap;
};

/* The row of node id, appended when new (the walk meets the ids in order). */
static struct node_row *node_of(struct rows *r, unsigned id)
{
	struct model *m = r->m;
	struct node_row *n;

	for (size_t i = 0; i < m->nnodes; i++)
		if (m->nodes[i].id == id)
			return &m->nodes[i];
	n = array_push(&m->nodes, &m->nnodes, &r->ncap, sizeof(*n));
	memset(n, 0, sizeof(*n));
	n->id = id;
	n->mem_limit = UINT64_MAX; /* not served */
	n->mem_known = false;	   /* until its memory headroom comes: a hole when unknown */
	return n;
}

static struct huge_row *huge_of(struct rows *r, unsigned id, uint64_t size)
{
	struct model *m = r->m;
	struct huge_row *h;

	for (size_t i = 0; i < m->nhuges; i++)
		if (m->huges[i].node == id && m->huges[i].size_kib == size)
			return &m->huges[i];
	h = array_push(&m->huges, &m->nhuges, &r->hcap, sizeof(*h));
	memset(h, 0, sizeof(*h));
	h->node = id;
	h->size_kib = size;
	return h;
}

/* One varbind of numaNodeEntry: the columns check_numa judges. */
static void node_column(struct rows *r, const netsnmp_variable_list *v, size_t base)
{
	struct node_row *n;
	long x;

	if (v->name_length != base + 2 || v->val.integer == NULL)
		return;
	n = node_of(r, (unsigned)v->name[base + 1]);
	x = *v->val.integer;
	switch (v->name[base]) {
	case 6: n->vcpus_bound = (unsigned)x; break;
	case 11: n->cpu_headroom = x; break;
	case 12: /* MiB, rounded down; no value (a hole) when the node's memory is unknown */
		n->mem_headroom = (int64_t)x * 1048576;
		n->mem_known = true;
		break;
	case 13: n->cpu_used_pct = (uint32_t)x; break;
	case 14: n->mem_used_pct = (uint32_t)x; break;
	default: break;
	}
	n->cpu_limit = (uint64_t)(n->cpu_headroom + (int64_t)n->vcpus_bound);
}

static void huge_column(struct rows *r, const netsnmp_variable_list *v, size_t base)
{
	struct huge_row *h;

	if (v->name_length != base + 3 || v->val.integer == NULL)
		return;
	h = huge_of(r, (unsigned)v->name[base + 1], v->name[base + 2]);
	if (v->name[base] == 2)
		h->total = (unsigned long)*v->val.integer;
	else if (v->name[base] == 4)
		h->demand = (unsigned long)*v->val.integer;
}

/* Sends pdu, returns the answer, or NULL with err filled. */
static netsnmp_pdu *ask(netsnmp_session *ss, netsnmp_pdu *pdu, char *err, size_t errlen)
{
	netsnmp_pdu *resp = NULL;
	int st = snmp_synch_response(ss, pdu, &resp);

	if (st == STAT_SUCCESS && resp && resp->errstat == SNMP_ERR_NOERROR)
		return resp;
	if (st == STAT_SUCCESS && resp)
		err_set(err, errlen, "SNMP %s: %s", ss->peername, snmp_errstring(resp->errstat));
	else
		err_set(err, errlen, "SNMP %s: %s", ss->peername,
			st == STAT_TIMEOUT ? "no answer (timeout)" : snmp_api_errstring(ss->s_snmp_errno));
	if (resp)
		snmp_free_pdu(resp);
	return NULL;
}

typedef void (*column_fn)(struct rows *r, const netsnmp_variable_list *v, size_t base);

/* GETBULK over the subtree root, each varbind to fn. */
static int walk(netsnmp_session *ss, const oid *root, size_t rootlen, column_fn fn,
		struct rows *r, char *err, size_t errlen)
{
	oid name[MAX_OID_LEN];
	size_t namelen = rootlen;
	bool done = false;

	memcpy(name, root, rootlen * sizeof(oid));
	while (!done) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK), *resp;

		pdu->non_repeaters = 0;
		pdu->max_repetitions = 50;
		snmp_add_null_var(pdu, name, namelen);
		if ((resp = ask(ss, pdu, err, errlen)) == NULL)
			return -1;
		done = resp->variables == NULL;
		for (netsnmp_variable_list *v = resp->variables; v && !done; v = v->next_variable) {
			if (v->type == SNMP_ENDOFMIBVIEW || v->name_length <= rootlen ||
			    snmp_oid_compare(root, rootlen, v->name, rootlen) != 0) {
				done = true;
				break;
			}
			fn(r, v, rootlen);
			memcpy(name, v->name, v->name_length * sizeof(oid));
			namelen = v->name_length;
		}
		snmp_free_pdu(resp);
	}
	return 0;
}

/* numaVmCount, numaInvalidFiles, numaSourceStatus. */
static int scalars(netsnmp_session *ss, struct model *m, char *err, size_t errlen)
{
	static const int which[] = {SC_VMS, SC_INVALID, SC_STATUS};
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp;
	long got[3] = {-1, -1, -1};
	size_t i = 0;

	for (size_t k = 0; k < ARRAY_SIZE(which); k++) {
		oid name[] = {ROOT, 1, (oid)which[k], 0};

		snmp_add_null_var(pdu, name, ARRAY_SIZE(name));
	}
	if ((resp = ask(ss, pdu, err, errlen)) == NULL)
		return -1;
	for (netsnmp_variable_list *v = resp->variables; v && i < 3; v = v->next_variable, i++)
		if (v->val.integer && (v->type == ASN_INTEGER || v->type == ASN_GAUGE))
			got[i] = *v->val.integer;
	snmp_free_pdu(resp);
	if (got[0] < 0 || got[0] > 1000000 || got[1] < 0 || got[2] < 0) {
		err_set(err, errlen, "SNMP %s: no NUMA-TOPOLOGY-MIB scalars (is numatopd "
			"registered, and may this community read its view?)", ss->peername);
		return -1;
	}
	m->nvms = (size_t)got[0];
	m->vms = xcalloc(m->nvms ? m->nvms : 1, sizeof(*m->vms)); /* counted, not shown */
	m->invalid_files = (unsigned)got[1];
	m->source_status = (int)got[2];
	return 0;
}

/* The key a passphrase makes, hashed with the session's authentication protocol (USM hashes
 * the privacy passphrase with it too). *len holds the room of key on entry. */
static int key(netsnmp_session *s, const char *pass, u_char *k, size_t *len, const char *what,
	       char *err, size_t errlen)
{
	if (generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen, (const u_char *)pass,
			strlen(pass), k, len) == SNMPERR_SUCCESS)
		return 0;
	err_set(err, errlen, "SNMPv3: the %s passphrase is too short", what);
	return -1;
}

/* Level, protocols and keys of an SNMPv3 session from t. Returns -1 with err filled. */
static int usm(netsnmp_session *s, const struct check_snmp_target *t, char *err, size_t errlen)
{
	static const char *const levels[] = {"noAuthNoPriv", "authNoPriv", "authPriv"};
	static const int values[] = {SNMP_SEC_LEVEL_NOAUTH, SNMP_SEC_LEVEL_AUTHNOPRIV,
				     SNMP_SEC_LEVEL_AUTHPRIV};
	const char *level = t->seclevel ? t->seclevel : "authPriv";
	size_t i;
	int auth, priv;
	oid *o;

	for (i = 0; i < ARRAY_SIZE(levels) && strcasecmp(level, levels[i]) != 0; i++)
		;
	if (i == ARRAY_SIZE(levels)) {
		err_set(err, errlen, "SNMPv3 level '%.20s': expected noAuthNoPriv, authNoPriv or "
			"authPriv", level);
		return -1;
	}
	s->version = SNMP_VERSION_3;
	s->securityName = (char *)t->secname;
	s->securityNameLen = strlen(t->secname);
	s->securityLevel = values[i];
	if (i == 0)
		return 0;
	auth = usm_lookup_auth_type(t->authproto ? t->authproto : "SHA");
	if (auth < 0 || (o = sc_get_auth_oid(auth, &s->securityAuthProtoLen)) == NULL ||
	    t->authpass == NULL) {
		err_set(err, errlen, "SNMPv3: an authentication protocol (MD5, SHA, SHA-256 ...) "
			"and passphrase are needed");
		return -1;
	}
	s->securityAuthProto = snmp_duplicate_objid(o, s->securityAuthProtoLen);
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (key(s, t->authpass, s->securityAuthKey, &s->securityAuthKeyLen, "authentication",
		err, errlen) < 0)
		return -1;
	if (i == 1)
		return 0;
	priv = usm_lookup_priv_type(t->privproto ? t->privproto : "AES");
	if (priv < 0 || (o = sc_get_priv_oid(priv, &s->securityPrivProtoLen)) == NULL ||
	    t->privpass == NULL) {
		err_set(err, errlen, "SNMPv3: a privacy protocol (DES, AES ...) and passphrase "
			"are needed");
		return -1;
	}
	s->securityPrivProto = snmp_duplicate_objid(o, s->securityPrivProtoLen);
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	return key(s, t->privpass, s->securityPrivKey, &s->securityPrivKeyLen, "privacy", err,
		   errlen);
}

struct model *check_snmp_read(const struct check_snmp_target *t, char *err, size_t errlen)
{
	netsnmp_session s, *ss;
	struct rows r = {.m = xcalloc(1, sizeof(*r.m))};
	int rc;

	r.m->refs = 1;
	init_snmp("check_numa");
	snmp_sess_init(&s);
	s.peername = (char *)t->host;
	s.version = SNMP_VERSION_2c;
	s.community = (u_char *)t->community;
	s.community_len = strlen(t->community);
	/* half the plugin's timeout: a host that does not answer is told as such, before the
	 * plugin's own alarm says only "timed out" */
	s.timeout = (long)t->timeout * 500000L;
	s.retries = 0;
	ss = NULL;
	if (t->secname == NULL || usm(&s, t, err, errlen) == 0) {
		if ((ss = snmp_open(&s)) == NULL)
			err_set(err, errlen, "SNMP %s: cannot open a session", t->host);
	}
	/* snmp_open() copied them */
	free(s.securityAuthProto);
	free(s.securityPrivProto);
	if (ss == NULL) {
		model_unref(r.m);
		return NULL;
	}
	rc = scalars(ss, r.m, err, errlen);
	if (rc == 0)
		rc = walk(ss, node_entry, ARRAY_SIZE(node_entry), node_column, &r, err, errlen);
	if (rc == 0)
		rc = walk(ss, huge_entry, ARRAY_SIZE(huge_entry), huge_column, &r, err, errlen);
	snmp_close(ss);
	if (rc < 0) {
		model_unref(r.m);
		return NULL;
	}
	return r.m;
}
