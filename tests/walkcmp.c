/* SPDX-License-Identifier: BSD-3-Clause */
/* walkcmp.c: the integration tests' oracle. Reads `numatopd --dump=json` and an
 * `snmpbulkwalk -On -Oe -Ot -OQ` of the NUMA subtree, derives every instance the MIB should
 * show from the JSON, and compares field for field, both ways. Exit 0 when equal.
 *   walkcmp [--no-vm-tables] [--no-vcpu-table] DUMP.json WALK.txt */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- a small JSON reader */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	bool b;
	char *s;         /* number text or string */
	struct jv **kid; /* array items or object values */
	char **key;      /* object keys */
	size_t n;
};

struct jp {
	const char *p;
	int err;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void ws(struct jp *j)
{
	while (isspace((unsigned char)*j->p))
		j->p++;
}

static struct jv *jnew(enum jtype t)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (!v)
		abort();
	v->t = t;
	return v;
}

static void put_utf8(char **o, unsigned c)
{
	if (c < 0x80) {
		*(*o)++ = (char)c;
	} else if (c < 0x800) {
		*(*o)++ = (char)(0xc0 | c >> 6);
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	} else {
		*(*o)++ = (char)(0xe0 | c >> 12);
		*(*o)++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	}
}

/* Unescaping never lengthens a string, so its escaped length bounds the copy (sizing it by the
 * rest of the document made parsing quadratic: a minute for 1,000 VMs in the ASan build). */
static char *jstr(struct jp *j)
{
	const char *end = j->p + 1;
	char *out, *o;

	while (*end && *end != '"')
		end += end[0] == '\\' && end[1] ? 2 : 1;
	out = o = xrealloc(NULL, (size_t)(end - j->p) + 1);
	j->p++; /* opening quote */
	while (*j->p && *j->p != '"') {
		if (*j->p != '\\') {
			*o++ = *j->p++;
			continue;
		}
		j->p++;
		switch (*j->p) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			unsigned c = 0;

			for (int i = 1; i <= 4; i++)
				c = c * 16 + (unsigned)(isdigit((unsigned char)j->p[i])
								 ? j->p[i] - '0'
								 : (tolower(j->p[i]) - 'a' + 10));
			put_utf8(&o, c);
			j->p += 4;
			break;
		}
		default: *o++ = *j->p; break;
		}
		j->p++;
	}
	if (*j->p != '"')
		j->err = 1;
	else
		j->p++;
	*o = '\0';
	return out;
}

static struct jv *jparse(struct jp *j);

static void jappend(struct jv *v, char *key, struct jv *kid)
{
	v->kid = xrealloc(v->kid, (v->n + 1) * sizeof(*v->kid));
	v->key = xrealloc(v->key, (v->n + 1) * sizeof(*v->key));
	v->kid[v->n] = kid;
	v->key[v->n] = key;
	v->n++;
}

static struct jv *jcontainer(struct jp *j, bool obj)
{
	struct jv *v = jnew(obj ? J_OBJ : J_ARR);
	char close = obj ? '}' : ']';

	j->p++;
	ws(j);
	if (*j->p == close) {
		j->p++;
		return v;
	}
	while (!j->err) {
		char *key = NULL;

		ws(j);
		if (obj) {
			if (*j->p != '"') {
				j->err = 1;
				break;
			}
			key = jstr(j);
			ws(j);
			if (*j->p++ != ':')
				j->err = 1;
		}
		jappend(v, key, jparse(j));
		ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			break;
		}
		j->err = 1;
	}
	return v;
}

static struct jv *jparse(struct jp *j)
{
	struct jv *v;

	ws(j);
	if (*j->p == '{' || *j->p == '[')
		return jcontainer(j, *j->p == '{');
	if (*j->p == '"') {
		v = jnew(J_STR);
		v->s = jstr(j);
		return v;
	}
	if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
		v = jnew(J_BOOL);
		v->b = *j->p == 't';
		j->p += v->b ? 4 : 5;
		return v;
	}
	if (!strncmp(j->p, "null", 4)) {
		j->p += 4;
		return jnew(J_NULL);
	}
	v = jnew(J_NUM);
	{
		const char *s = j->p;

		while (*j->p == '-' || isdigit((unsigned char)*j->p))
			j->p++;
		if (j->p == s)
			j->err = 1;
		v->s = strndup(s, (size_t)(j->p - s));
	}
	return v;
}

static const struct jv *get(const struct jv *o, const char *key)
{
	for (size_t i = 0; o && o->t == J_OBJ && i < o->n; i++)
		if (!strcmp(o->key[i], key))
			return o->kid[i];
	fprintf(stderr, "walkcmp: JSON lacks \"%s\"\n", key);
	exit(2);
}

static bool has(const struct jv *o, const char *key)
{
	for (size_t i = 0; o && o->t == J_OBJ && i < o->n; i++)
		if (!strcmp(o->key[i], key))
			return true;
	return false;
}

static const char *num(const struct jv *o, const char *key)
{
	const struct jv *v = get(o, key);

	if (v->t != J_NUM) {
		fprintf(stderr, "walkcmp: \"%s\" is not a number\n", key);
		exit(2);
	}
	return v->s;
}

/* A runtime number: null (not measured) is served as dflt. */
static const char *num_or(const struct jv *o, const char *key, const char *dflt)
{
	return get(o, key)->t == J_NULL ? dflt : num(o, key);
}

/* A value numatopd does not know (null: a node's memory without meminfo) is a hole in the walk. */
static bool known(const struct jv *o, const char *key)
{
	return get(o, key)->t != J_NULL;
}

static const char *str(const struct jv *o, const char *key)
{
	return get(o, key)->s;
}

static const char *truth(const struct jv *o, const char *key)
{
	return get(o, key)->b ? "1" : "2";
}

/* ---------------------------------------------------------------- expected instances */

#define ROOT ".1.3.6.1.4.1.8072.9999.9999.6862"

struct inst {
	char *oid;
	char *val;
	bool any; /* only presence is checked (TimeStamps) */
	bool bin; /* val is the octets in hex (CpuBitmap): any bytes, NUL included */
	bool seen;
};

static struct inst *want;
static size_t nwant, capwant;

static void expect(bool any, const char *val, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void expect(bool any, const char *val, const char *fmt, ...)
{
	char oid[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(oid, sizeof(oid), fmt, ap);
	va_end(ap);
	/* doubling: one realloc per instance copied the array 37,000 times for 1,000 VMs */
	if (nwant == capwant)
		want = xrealloc(want, (capwant = capwant ? capwant * 2 : 1024) * sizeof(*want));
	want[nwant].oid = strdup(oid);
	want[nwant].val = strdup(val ? val : "");
	want[nwant].any = any;
	want[nwant].bin = false;
	want[nwant].seen = false;
	nwant++;
}

/* A CpuBitmap, worked out from the front of the kernel list in the JSON: octet k holds CPUs
 * 8k..8k+7, most significant bit first, up to the octet of the highest CPU. Expected as hex. */
static void expect_bitmap(const char *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void expect_bitmap(const char *list, const char *fmt, ...)
{
	unsigned char bits[1024] = {0};
	char oid[512], hex[2 * sizeof(bits) + 1] = "";
	size_t len = 0;
	const char *p = list;
	va_list ap;

	while (*p) {
		unsigned long lo = strtoul(p, (char **)&p, 10), hi = lo;

		if (*p == '-')
			hi = strtoul(p + 1, (char **)&p, 10);
		if (*p == ',')
			p++;
		for (unsigned long c = lo; c <= hi && c < 8192; c++) {
			bits[c / 8] |= (unsigned char)(0x80u >> (c % 8));
			len = c / 8 + 1;
		}
	}
	for (size_t i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02X", bits[i]);
	va_start(ap, fmt);
	vsnprintf(oid, sizeof(oid), fmt, ap);
	va_end(ap);
	expect(false, hex, "%s", oid);
	want[nwant - 1].bin = true;
}

/* The MIB's rules for values over 255 octets (its DESCRIPTIONs, README "Limits"), worked out
 * here from the front of the string rather than by the agent's code. */
#define SIZE_MAX_OCTETS 255

/* Text (names): the whole UTF-8 characters that fit in 255 octets. */
static const char *text_value(const char *s)
{
	static char buf[SIZE_MAX_OCTETS + 1];
	size_t len = strlen(s), i = 0;

	if (len <= SIZE_MAX_OCTETS)
		return s;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

		if (i + n > SIZE_MAX_OCTETS)
			break;
		i += n;
	}
	memcpy(buf, s, i);
	buf[i] = '\0';
	return buf;
}

/* A CPU or node list: the items that fit with a following "..." in 255 octets, then "...". */
static const char *list_value(const char *s)
{
	static char buf[SIZE_MAX_OCTETS + 1];
	size_t len = strlen(s), keep = 0;

	if (len <= SIZE_MAX_OCTETS)
		return s;
	for (size_t i = 0; i < len && i + 3 <= SIZE_MAX_OCTETS; i++)
		if (s[i] == ',')
			keep = i;
	snprintf(buf, sizeof(buf), "%.*s...", (int)keep, s);
	return buf;
}

static const char *enum_of(const char *name, const char *const *names)
{
	static char buf[16];

	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], name)) {
			snprintf(buf, sizeof(buf), "%d", i + 1);
			return buf;
		}
	fprintf(stderr, "walkcmp: unknown enum label '%s'\n", name);
	exit(2);
}

static const char *floor_mib(const char *bytes)
{
	static char buf[32];
	long long b = strtoll(bytes, NULL, 10);
	long long q = b / 1048576;

	if (b % 1048576 != 0 && b < 0)
		q--;
	if (q > 2147483647LL)
		q = 2147483647LL;
	if (q < -2147483648LL)
		q = -2147483648LL;
	snprintf(buf, sizeof(buf), "%lld", q);
	return buf;
}

/* A Gauge32 companion in MiB: the bytes divided by 1048576, rounded down, saturated. */
static const char *mib_gauge(const char *bytes)
{
	static char buf[32];
	unsigned long long q = strtoull(bytes, NULL, 10) / 1048576;

	snprintf(buf, sizeof(buf), "%llu", q > 4294967295ULL ? 4294967295ULL : q);
	return buf;
}

static bool jtrue(const struct jv *o, const char *key)
{
	return get(o, key)->b;
}

static void expect_scalars(const struct jv *s)
{
	static const char *const status[] = {"ok", "degraded", "unavailable", NULL};

	expect(false, num(s, "node_count"), ROOT ".1.1.1.0");
	expect(false, num(s, "vm_count"), ROOT ".1.1.2.0");
	expect(false, num(s, "vm_floating_count"), ROOT ".1.1.3.0");
	expect(false, num(s, "vm_misaligned_count"), ROOT ".1.1.4.0");
	expect(true, NULL, ROOT ".1.1.5.0");
	expect(true, NULL, ROOT ".1.1.6.0");
	expect(false, num(s, "parse_errors"), ROOT ".1.1.7.0");
	expect(false, num(s, "invalid_files"), ROOT ".1.1.8.0");
	expect(false, enum_of(str(s, "source_status"), status), ROOT ".1.1.9.0");
	expect(false, num(s, "cpu_allocation_ratio_percent"), ROOT ".1.1.10.0");
	expect(false, num(s, "memory_allocation_ratio_percent"), ROOT ".1.1.11.0");
}

static void expect_node(const struct jv *n)
{
	static const char *const cols[] = {
		NULL, NULL, "cpus", "cpu_capacity", "memory_total_bytes", "memory_free_bytes",
		"vcpus_bound", "vcpus_spanning", "memory_used_bytes", "memory_spanning_bytes",
		"vm_count", "cpu_headroom", NULL, "cpu_used_percent", "memory_used_percent"};
	static const char *const stat_keys[] = {"numa_hit",	  "numa_miss",	"numa_foreign",
						"interleave_hit", "local_node", "other_node"};
	const char *id = num(n, "id");
	const struct jv *d = get(n, "distances"), *h = get(n, "hugepages"), *st = get(n, "numastat");

	for (int c = 2; c <= 14; c++) {
		/* a used percentage over a limit of 0 has no instance */
		if ((c == 13 && !jtrue(n, "cpu_used_percent_defined")) ||
		    (c == 14 && !jtrue(n, "memory_used_percent_defined")))
			continue;
		if (c == 12) {
			if (known(n, "memory_headroom_bytes"))
				expect(false, floor_mib(num(n, "memory_headroom_bytes")),
				       ROOT ".1.2.1.12.%s", id);
		} else if (c == 2)
			expect(false, list_value(str(n, "cpus")), ROOT ".1.2.1.2.%s", id);
		else if (known(n, cols[c]))
			expect(false, num(n, cols[c]), ROOT ".1.2.1.%d.%s", c, id);
	}
	expect(false, truth(n, "cpu_oversubscribed"), ROOT ".1.2.1.15.%s", id);
	expect(false, truth(n, "memory_oversubscribed"), ROOT ".1.2.1.16.%s", id);
	expect(false, truth(n, "hugepages_oversubscribed"), ROOT ".1.2.1.17.%s", id);
	if (known(n, "memory_total_bytes"))
		expect(false, mib_gauge(num(n, "memory_total_bytes")), ROOT ".1.2.1.18.%s", id);
	if (known(n, "memory_free_bytes"))
		expect(false, mib_gauge(num(n, "memory_free_bytes")), ROOT ".1.2.1.19.%s", id);
	expect(false, mib_gauge(num(n, "memory_used_bytes")), ROOT ".1.2.1.20.%s", id);
	expect(false, mib_gauge(num(n, "memory_spanning_bytes")), ROOT ".1.2.1.21.%s", id);
	expect_bitmap(str(n, "cpus"), ROOT ".1.2.1.22.%s", id);
	expect(false, num(n, "pci_devices"), ROOT ".1.2.1.23.%s", id);
	expect(false, num_or(n, "memory_resident_by_vms_bytes", "0"), ROOT ".1.2.1.30.%s", id);
	expect(false, num_or(n, "vcpus_running", "0"), ROOT ".1.2.1.31.%s", id);
	expect(false, mib_gauge(num_or(n, "memory_resident_by_vms_bytes", "0")),
	       ROOT ".1.2.1.32.%s", id);
	/* numastat: a counter the dump lacks must be a hole in the walk */
	for (int k = 0; k < 6; k++)
		if (has(st, stat_keys[k]))
			expect(false, num(st, stat_keys[k]), ROOT ".1.2.1.%d.%s", 24 + k, id);
	for (size_t i = 0; i < d->n; i++)
		expect(false, num(d->kid[i], "distance"), ROOT ".1.6.1.2.%s.%s", id,
		       num(d->kid[i], "node"));
	for (size_t i = 0; i < h->n; i++) {
		const char *sz = num(h->kid[i], "size_kib");

		expect(false, num(h->kid[i], "total"), ROOT ".1.7.1.2.%s.%s", id, sz);
		expect(false, num(h->kid[i], "free"), ROOT ".1.7.1.3.%s.%s", id, sz);
		expect(false, num(h->kid[i], "vm_demand"), ROOT ".1.7.1.4.%s.%s", id, sz);
		expect(false, truth(h->kid[i], "oversubscribed"), ROOT ".1.7.1.5.%s.%s", id, sz);
	}
}

static void expect_vm(const struct jv *v, bool vcpu_table)
{
	static const char *const states[] = {"running", "blocked", "paused", "shutdown",
					     "shutoff", "crashed", "pmsuspended", "defined",
					     "unknown", NULL};
	static const char *const places[] = {"local", "multinode", "spanning", "partial",
					     "floating", NULL};
	static const char *const modes[] = {"none", "strict", "interleave", "preferred",
					    "restrictive", "mixed", NULL};
	static const char *const kinds[] = {"pci", "mdev", NULL};
	static const char *const runs[] = {"running", "gone", "starting", "not_running", "unknown",
					   NULL};
	static const char *const verdicts[] = {"same", "narrowed", "escaped", "unknown", NULL};
	const char *ix = num(v, "index");
	const struct jv *a = get(v, "assign"), *p = get(v, "vcpu_pins"), *pd = get(v, "pci_devices");

	expect(false, text_value(str(v, "name")), ROOT ".1.3.1.2.%s", ix);
	expect(false, text_value(str(v, "uuid")), ROOT ".1.3.1.3.%s", ix);
	expect(false, text_value(str(v, "display_name")), ROOT ".1.3.1.4.%s", ix);
	expect(false, enum_of(str(v, "state"), states), ROOT ".1.3.1.5.%s", ix);
	expect(false, num(v, "pid"), ROOT ".1.3.1.6.%s", ix);
	expect(false, num(v, "vcpus"), ROOT ".1.3.1.7.%s", ix);
	expect(false, num(v, "vcpus_max"), ROOT ".1.3.1.8.%s", ix);
	expect(false, num(v, "memory_bytes"), ROOT ".1.3.1.9.%s", ix);
	expect(false, enum_of(str(v, "placement"), places), ROOT ".1.3.1.10.%s", ix);
	expect(false, list_value(str(v, "nodes")), ROOT ".1.3.1.11.%s", ix);
	expect(false, enum_of(str(v, "memory_mode"), modes), ROOT ".1.3.1.12.%s", ix);
	expect(false, num(v, "remote_vcpus"), ROOT ".1.3.1.13.%s", ix);
	expect(false, num(v, "hugepage_size_kib"), ROOT ".1.3.1.14.%s", ix);
	expect(false, list_value(str(v, "emulator_cpus")), ROOT ".1.3.1.15.%s", ix);
	expect(false, num(v, "domain_id"), ROOT ".1.3.1.16.%s", ix);
	expect(false, mib_gauge(num(v, "memory_bytes")), ROOT ".1.3.1.17.%s", ix);
	expect_bitmap(str(v, "emulator_cpus"), ROOT ".1.3.1.18.%s", ix);
	expect(false, num(v, "memory_devices_bytes"), ROOT ".1.3.1.19.%s", ix);
	expect(false, num(v, "memory_persistent_bytes"), ROOT ".1.3.1.20.%s", ix);
	expect(false, num(v, "memory_enclave_bytes"), ROOT ".1.3.1.21.%s", ix);
	expect(false, num(v, "remote_pci_devices"), ROOT ".1.3.1.22.%s", ix);
	expect(false, enum_of(str(v, "runtime_state"), runs), ROOT ".1.3.1.23.%s", ix);
	expect(false, num_or(v, "memory_resident_bytes", "0"), ROOT ".1.3.1.24.%s", ix);
	expect(false, num_or(v, "memory_stray_bytes", "0"), ROOT ".1.3.1.25.%s", ix);
	expect(false, mib_gauge(num(v, "memory_devices_bytes")), ROOT ".1.3.1.26.%s", ix);
	expect(false, mib_gauge(num(v, "memory_persistent_bytes")), ROOT ".1.3.1.27.%s", ix);
	expect(false, mib_gauge(num(v, "memory_enclave_bytes")), ROOT ".1.3.1.28.%s", ix);
	expect(false, mib_gauge(num_or(v, "memory_resident_bytes", "0")), ROOT ".1.3.1.29.%s", ix);
	expect(false, mib_gauge(num_or(v, "memory_stray_bytes", "0")), ROOT ".1.3.1.30.%s", ix);
	for (size_t i = 0; i < pd->n; i++) { /* numaVmDeviceIndex: the position, from 1 */
		const struct jv *dv = pd->kid[i];

		expect(false, str(dv, "address"), ROOT ".1.8.1.2.%s.%zu", ix, i + 1);
		expect(false, enum_of(str(dv, "kind"), kinds), ROOT ".1.8.1.3.%s.%zu", ix, i + 1);
		expect(false, num(dv, "node"), ROOT ".1.8.1.4.%s.%zu", ix, i + 1);
		expect(false, truth(dv, "remote"), ROOT ".1.8.1.5.%s.%zu", ix, i + 1);
	}
	for (size_t i = 0; i < a->n; i++) {
		const char *nd = num(a->kid[i], "node");

		expect(false, num(a->kid[i], "vcpus"), ROOT ".1.4.1.1.%s.%s", ix, nd);
		expect(false, num(a->kid[i], "vcpus_spanning"), ROOT ".1.4.1.2.%s.%s", ix, nd);
		expect(false, num(a->kid[i], "memory_bytes"), ROOT ".1.4.1.3.%s.%s", ix, nd);
		expect(false, num(a->kid[i], "memory_spanning_bytes"), ROOT ".1.4.1.4.%s.%s", ix,
		       nd);
		expect(false, mib_gauge(num(a->kid[i], "memory_bytes")), ROOT ".1.4.1.5.%s.%s",
		       ix, nd);
		expect(false, mib_gauge(num(a->kid[i], "memory_spanning_bytes")),
		       ROOT ".1.4.1.6.%s.%s", ix, nd);
		expect(false, num_or(a->kid[i], "memory_resident_bytes", "0"), ROOT ".1.4.1.7.%s.%s",
		       ix, nd);
		expect(false, mib_gauge(num_or(a->kid[i], "memory_resident_bytes", "0")),
		       ROOT ".1.4.1.8.%s.%s", ix, nd);
	}
	for (size_t i = 0; vcpu_table && i < p->n; i++) {
		const struct jv *c = p->kid[i], *node = get(c, "node");
		const char *id = num(c, "vcpu");

		expect(false, list_value(str(c, "cpus")), ROOT ".1.5.1.2.%s.%s", ix, id);
		expect(false, node->t == J_NULL ? "-1" : node->s, ROOT ".1.5.1.3.%s.%s", ix, id);
		expect(false, num(c, "cell"), ROOT ".1.5.1.4.%s.%s", ix, id);
		expect(false, truth(c, "remote"), ROOT ".1.5.1.5.%s.%s", ix, id);
		expect(false, num(c, "thread_id"), ROOT ".1.5.1.6.%s.%s", ix, id);
		expect_bitmap(str(c, "cpus"), ROOT ".1.5.1.7.%s.%s", ix, id);
		expect(false, list_value(get(c, "actual_cpus")->t == J_NULL ? "" : str(c, "actual_cpus")),
		       ROOT ".1.5.1.8.%s.%s", ix, id);
		expect(false, enum_of(str(c, "affinity"), verdicts), ROOT ".1.5.1.9.%s.%s", ix, id);
		expect(false, num_or(c, "last_cpu", "-1"), ROOT ".1.5.1.10.%s.%s", ix, id);
		expect(false, num_or(c, "last_node", "-1"), ROOT ".1.5.1.11.%s.%s", ix, id);
	}
}

/* ---------------------------------------------------------------- the walk */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int c;

	if (!f) {
		fprintf(stderr, "walkcmp: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((c = fgetc(f)) != EOF) {
		if (n + 1 >= cap)
			buf = xrealloc(buf, cap = cap ? cap * 2 : 4096);
		buf[n++] = (char)c;
	}
	fclose(f);
	buf = xrealloc(buf, n + 1);
	buf[n] = '\0';
	return buf;
}

/* Compare two numeric OIDs (".1.3.6...") as SNMP orders them. */
static int oidcmp(const char *a, const char *b)
{
	while (*a && *b) {
		unsigned long x = strtoul(a + 1, (char **)&a, 10);
		unsigned long y = strtoul(b + 1, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* The value as snmpwalk -OQ printed it: strings unquoted and unescaped. */
static char *walk_value(const char *v)
{
	size_t len = strlen(v);
	char *out, *o;

	if (len < 2 || v[0] != '"' || v[len - 1] != '"')
		return strdup(v);
	out = o = malloc(len);
	for (size_t i = 1; i + 1 < len; i++) {
		if (v[i] == '\\' && i + 2 < len)
			i++;
		*o++ = v[i];
	}
	*o = '\0';
	return out;
}

/* Net-SNMP prints a string with a byte that is neither isprint() nor isspace() (in the C
 * locale: any byte over 0x7f, so UTF-8 text) as quoted hex pairs, 16 a line, when no MIB gives
 * a DISPLAY-HINT (walks use -m ''). */
static bool printed_as_hex(const char *s)
{
	for (; *s; s++)
		if (!isprint((unsigned char)*s) && !isspace((unsigned char)*s))
			return true;
	return false;
}

/* raw: the walk's value, quotes and line breaks included; true when its hex pairs spell
 * expected. */
static bool hex_equal(const char *raw, const char *expected)
{
	const unsigned char *w = (const unsigned char *)expected;
	size_t len = strlen(raw);

	if (len < 2 || raw[0] != '"' || raw[len - 1] != '"')
		return false;
	for (size_t i = 1; i + 1 < len;) {
		unsigned x;
		int n;

		if (isspace((unsigned char)raw[i])) {
			i++;
			continue;
		}
		if (sscanf(raw + i, "%2x%n", &x, &n) != 1 || n != 2 || *w == '\0' || x != *w)
			return false;
		w++;
		i += 2;
	}
	return *w == '\0';
}

/* The next line of the walk at *p, with the lines a quoted value continues on (hex pairs, or
 * a string holding a newline) joined to it; NULL at the end. */
/* raw: the walk's value; true when it holds the octets whose hex is want_hex, printed either as
 * quoted hex pairs or, when every octet is printable, as a string. */
static bool bin_equal(const char *raw, const char *want_hex)
{
	size_t n = strlen(want_hex) / 2, i;
	char *bytes = malloc(n + 1), *val;
	bool same;

	for (i = 0; i < n; i++) {
		unsigned x;

		sscanf(want_hex + 2 * i, "%2x", &x);
		bytes[i] = (char)x;
	}
	bytes[n] = '\0';
	val = walk_value(raw);
	same = (strlen(val) == n && memcmp(val, bytes, n) == 0 && memchr(bytes, 0, n) == NULL);
	if (!same) {
		/* hex_equal wants the expected octets as a string: compare pair by pair here */
		const char *q = raw;
		size_t k = 0;

		same = raw[0] == '"';
		for (q = raw + 1; same && *q && *q != '"';) {
			unsigned x;
			int used;

			if (isspace((unsigned char)*q)) {
				q++;
				continue;
			}
			if (sscanf(q, "%2x%n", &x, &used) != 1 || used != 2 || k >= n ||
			    (unsigned char)bytes[k] != x)
				same = false;
			k++;
			q += 2;
		}
		same = same && k == n;
	}
	free(val);
	free(bytes);
	return same;
}

static char *next_line(char **p)
{
	char *line = *p, *eq, *end;

	if (*line == '\0')
		return NULL;
	end = strchr(line, '\n');
	eq = strstr(line, " = \"");
	if (eq && (!end || eq < end)) {
		/* the closing quote is the first '"' not escaped by a backslash */
		char *q = eq + 4;

		while (*q && *q != '"')
			q += q[0] == '\\' && q[1] ? 2 : 1;
		if (*q == '"')
			end = strchr(q, '\n');
	}
	if (end) {
		*end = '\0';
		*p = end + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

static int inst_cmp(const void *a, const void *b)
{
	return oidcmp(((const struct inst *)a)->oid, ((const struct inst *)b)->oid);
}

/* want[] is sorted once by compare_walk(): a linear search made 1,000 VMs (37,000 instances)
 * take 6 s, and minutes in the sanitizer build. */
static struct inst *find(const char *oid)
{
	struct inst key = {.oid = (char *)oid};

	return bsearch(&key, want, nwant, sizeof(*want), inst_cmp);
}

static int compare_walk(char *walk)
{
	char *line, *rest = walk, prev[512] = "";
	unsigned bad = 0, got = 0;

	qsort(want, nwant, sizeof(*want), inst_cmp);
	while ((line = next_line(&rest)) != NULL) {
		char *eq = strstr(line, " = "), *val;
		struct inst *w;

		if (!eq || strncmp(line, ROOT ".", strlen(ROOT) + 1) != 0)
			continue;
		*eq = '\0';
		val = walk_value(eq + 3);
		got++;
		if (prev[0] && oidcmp(prev, line) >= 0) {
			printf("ORDER %s after %s\n", line, prev);
			bad++;
		}
		snprintf(prev, sizeof(prev), "%s", line);
		w = find(line);
		if (!w) {
			printf("EXTRA %s = %s\n", line, val);
			bad++;
		} else if (w->seen) {
			printf("TWICE %s\n", line);
			bad++;
		} else {
			w->seen = true;
			bool same = w->bin		      ? bin_equal(eq + 3, w->val)
				    : printed_as_hex(w->val) ? hex_equal(eq + 3, w->val)
							     : strcmp(w->val, val) == 0;

			if (!w->any && !same) {
				printf("VALUE %s: walk '%s', dump '%s'\n", line, val, w->val);
				bad++;
			}
		}
		free(val);
	}
	for (size_t i = 0; i < nwant; i++)
		if (!want[i].seen) {
			printf("MISSING %s (dump '%s')\n", want[i].oid, want[i].val);
			bad++;
		}
	printf("walkcmp: %u instances walked, %zu expected, %u differences\n", got, nwant, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool vm_tables = true, vcpu_table = true;
	struct jp j;
	struct jv *root;
	const struct jv *nodes, *vms;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--no-vm-tables"))
			vm_tables = false;
		else if (!strcmp(argv[i], "--no-vcpu-table"))
			vcpu_table = false;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: walkcmp [--no-vm-tables] [--no-vcpu-table] DUMP.json "
				"WALK.txt\n");
		return 2;
	}
	j.p = slurp(argv[i]);
	j.err = 0;
	root = jparse(&j);
	if (j.err) {
		fprintf(stderr, "walkcmp: %s is not valid JSON\n", argv[i]);
		return 2;
	}
	expect_scalars(get(root, "summary"));
	nodes = get(root, "nodes");
	vms = get(root, "vms");
	for (size_t k = 0; k < nodes->n; k++)
		expect_node(nodes->kid[k]);
	for (size_t k = 0; vm_tables && k < vms->n; k++)
		expect_vm(vms->kid[k], vcpu_table);
	return compare_walk(slurp(argv[i + 1]));
}
