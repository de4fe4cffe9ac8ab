/* SPDX-License-Identifier: BSD-3-Clause */
/* bench/floor.c: the floor of the Net-SNMP agent library: the cheapest AgentX subagent it allows
 * (one plain handler, the library's own loop) serving a numaVcpuTable-shaped table from an array.
 *
 *	floor AGENTX-SOCKET TABLE-OID ROWS-FILE
 *
 * ROWS-FILE: one "vmIndex vcpuId" a line, in index order (bench/poll.sh takes them from
 * numatopd's walk), so the floor has the same rows and the same 10 columns (2..11, with the
 * syntaxes of numaVcpuTable) as numatopd. Runs until SIGTERM. make bench builds it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define FIRST_COL 2
#define LAST_COL  11
#define BITMAP	  32

struct row {
	oid idx[2]; /* vmIndex, vcpuId */
	long node;
	unsigned long tid;
	char cpus[16];
	unsigned char bitmap[BITMAP];
};

static struct row *rows;
static size_t nrows;
static oid table[MAX_OID_LEN];
static size_t table_len;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void load(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long vm, vcpu;
	size_t cap = 0;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while (fscanf(f, "%lu %lu", &vm, &vcpu) == 2) {
		if (nrows == cap) {
			cap = cap ? 2 * cap : 1024;
			rows = realloc(rows, cap * sizeof(*rows));
			if (rows == NULL)
				exit(1);
		}
		struct row *r = &rows[nrows++];

		memset(r, 0, sizeof(*r));
		r->idx[0] = vm;
		r->idx[1] = vcpu;
		r->node = (long)(vm % 8);
		r->tid = 100000 + 10 * vm + vcpu;
		snprintf(r->cpus, sizeof(r->cpus), "%ld-%ld", 32 * r->node, 32 * r->node + 31);
		memset(r->bitmap + 4 * r->node, 0xff, 4);
	}
	fclose(f);
}

/* The first row whose index is > (or >= when !strict) the index part IDX[0..len) of a request. */
static size_t find_row(const oid *idx, size_t len, int strict)
{
	size_t lo = 0, hi = nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = snmp_oid_compare(rows[mid].idx, 2, idx, len);

		if (c > 0 || (!strict && c == 0))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* A numeric OID (".1.3.6..."): no MIB is loaded, so read_objid() would not do. */
static int parse_oid(const char *s)
{
	char *end;

	while (*s == '.' && table_len < MAX_OID_LEN - 4) {
		unsigned long v = strtoul(s + 1, &end, 10);

		if (end == s + 1 || v > 0xffffffffUL)
			return -1;
		table[table_len++] = v;
		s = end;
	}
	return *s == '\0' && table_len > 0 ? 0 : -1;
}

static void answer(netsnmp_variable_list *vb, unsigned col, const struct row *r)
{
	long v = 0;

	switch (col) {
	case 2:
	case 8:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, r->cpus, strlen(r->cpus));
		return;
	case 6:
		snmp_set_var_typed_value(vb, ASN_GAUGE, &r->tid, sizeof(r->tid));
		return;
	case 7:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, r->bitmap, BITMAP);
		return;
	case 3:
	case 4:
	case 10:
	case 11:
		v = r->node;
		break;
	default:
		v = 2;
	}
	snmp_set_var_typed_value(vb, ASN_INTEGER, &v, sizeof(v));
}

/* The (column, row) a GET names, or the first after a GETNEXT's OID; 0: none (past the last
 * column, or no such instance). */
static unsigned locate(const oid *name, size_t len, int next, size_t *ri)
{
	oid first[MAX_OID_LEN];
	unsigned col;

	memcpy(first, table, table_len * sizeof(oid));
	first[table_len] = 1;
	first[table_len + 1] = FIRST_COL;
	*ri = 0;
	if (next && snmp_oid_compare(name, len, first, table_len + 2) < 0)
		return nrows ? FIRST_COL : 0;
	if (len < table_len + 2 ||
	    snmp_oid_ncompare(name, len, first, table_len + 1, table_len + 1) != 0)
		return 0;
	col = (unsigned)name[table_len + 1];
	if (col < FIRST_COL || col > LAST_COL)
		return 0;
	*ri = find_row(name + table_len + 2, len - table_len - 2, next);
	if (!next) {
		/* a GET names one instance: exactly vmIndex.vcpuId, and a row that has it */
		if (*ri == nrows || len != table_len + 4 ||
		    snmp_oid_compare(rows[*ri].idx, 2, name + table_len + 2, 2) != 0)
			return 0;
		return col;
	}
	if (*ri == nrows) {
		*ri = 0;
		col++;
	}
	return col <= LAST_COL ? col : 0;
}

static void serve(netsnmp_request_info *rq, int next)
{
	netsnmp_variable_list *vb = rq->requestvb;
	oid name[MAX_OID_LEN];
	size_t ri;
	unsigned col = locate(vb->name, vb->name_length, next, &ri);

	if (col == 0) {
		if (!next)
			netsnmp_set_request_error(NULL, rq, SNMP_NOSUCHINSTANCE);
		return;
	}
	memcpy(name, table, table_len * sizeof(oid));
	name[table_len] = 1;
	name[table_len + 1] = col;
	name[table_len + 2] = rows[ri].idx[0];
	name[table_len + 3] = rows[ri].idx[1];
	snmp_set_var_objid(vb, name, table_len + 4);
	answer(vb, col, &rows[ri]);
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *ai, netsnmp_request_info *rq)
{
	(void)h;
	(void)reg;
	for (; rq; rq = rq->next)
		if (!rq->processed)
			serve(rq, ai->mode == MODE_GETNEXT);
	return SNMP_ERR_NOERROR;
}

int main(int argc, char **argv)
{
	netsnmp_handler_registration *reg;

	if (argc != 4) {
		fprintf(stderr, "usage: floor AGENTX-SOCKET TABLE-OID ROWS-FILE\n");
		return 2;
	}
	if (parse_oid(argv[2]) < 0) {
		fprintf(stderr, "floor: %s: not an OID\n", argv[2]);
		return 2;
	}
	load(argv[3]);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, argv[1]);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	init_agent("floor");
	reg = netsnmp_create_handler_registration("floor", handler, table, table_len,
						  HANDLER_CAN_RONLY);
	/* numatopd may serve the same table at the default priority (127): AgentX refuses a
	 * second registration of one subtree at one priority, and prefers the lower number */
	reg->priority = 1;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		fprintf(stderr, "floor: registration failed\n");
		return 1;
	}
	init_snmp("floor");
	while (!stop)
		agent_check_and_process(1);
	snmp_shutdown("floor");
	return 0;
}
