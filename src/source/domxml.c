/* domxml.c: one libvirt domain XML file (status or config) into struct vm, with libxml2 held at
 * arm's length: no DTD, no entities, no network, elements found by their path from the root. */
#include "source/domxml.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "core/util.h"

#define NOVA_NS "http://openstack.org/xmlns/libvirt/nova/"
#define MSG_MAX 96 /* longest reason for a libxml2 error we report */

/* IGNORE_ENC: libvirt writes UTF-8 only, and we check that before parsing, so libxml2 never
 * converts; its converters report errors through the global handler, i.e. to stderr. */
#define PARSE_OPTIONS                                                                              \
	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |          \
	 XML_PARSE_IGNORE_ENC)

/* ---------------------------------------------------------------- small helpers */

/* Parse state: the vm being filled, where errors go, and libxml2 strings to free at the end
 * (so no error path has to remember them). */
struct px {
	struct vm *vm;
	char *err;
	size_t errlen;
	xmlChar **strs;
	size_t nstrs, capstrs;
};

static int fail(struct px *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct px *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (p->err != NULL && p->errlen > 0)
		vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copy at most max bytes of src up to its first newline, printable ASCII only. */
static void clean(char *dst, size_t dstlen, const char *src, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < dstlen && i < max && src[i] != '\0' && src[i] != '\n'; i++)
		dst[i] = isprint((unsigned char)src[i]) ? src[i] : '?';
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

/* Every reason we return is one line of printable ASCII, whatever a value quoted in it held. */
static void printable(char *s, size_t len)
{
	for (; s != NULL && len > 0 && *s != '\0'; s++, len--)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

static const char *keep(struct px *p, xmlChar *s)
{
	xmlChar **slot;

	if (s == NULL)
		return NULL;
	slot = array_push(&p->strs, &p->nstrs, &p->capstrs, sizeof(*p->strs));
	*slot = s;
	return (const char *)s;
}

/* An attribute without namespace, as libvirt reads them; NULL when absent. */
static const char *prop(struct px *p, xmlNodePtr n, const char *name)
{
	return keep(p, xmlGetNoNsProp(n, (const xmlChar *)name));
}

static const char *text(struct px *p, xmlNodePtr n)
{
	const char *s = keep(p, xmlNodeGetContent(n));

	return s != NULL ? s : "";
}

/* libvirt's own elements carry no namespace; <qemu:commandline> and metadata do. */
static bool is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	       strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr first_from(xmlNodePtr n, const char *name)
{
	for (; n != NULL; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

/* The first element child of n named name, or NULL; n may be NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	return n != NULL ? first_from(n->children, name) : NULL;
}

/* The next sibling with the same name: for (c = child(n, "x"); c; c = next(c)). */
static xmlNodePtr next(xmlNodePtr c)
{
	return first_from(c->next, (const char *)c->name);
}

/* An unsigned number in string s (NULL = absent). Returns 1 when present, 0 when absent and
 * optional, -1 on error. */
static int num(struct px *p, const char *where, const char *what, const char *s, bool required,
	       uint64_t max, uint64_t *out)
{
	char e[ERRLEN];

	if (s == NULL) {
		if (required)
			return fail(p, "%s: missing %s", where, what);
		return 0;
	}
	if (parse_u64_str(s, max, out, e, sizeof(e)) < 0)
		return fail(p, "%s: %s: %s", where, what, e);
	return 1;
}

static int num_attr(struct px *p, xmlNodePtr n, const char *where, const char *attr, bool required,
		    uint64_t max, uint64_t *out)
{
	return num(p, where, attr, prop(p, n, attr), required, max, out);
}

enum { SET_OPTIONAL = 0, SET_REQUIRED = 1, SET_NONEMPTY = 2 };

/* A cpuset/nodeset attribute in libvirt syntax. *out stays NULL when absent and optional, and
 * on every error. */
static int set_attr(struct px *p, xmlNodePtr n, const char *where, const char *attr, unsigned limit,
		    int flags, struct cpuset **out)
{
	const char *s = prop(p, n, attr);
	char e[ERRLEN], v[48];

	*out = NULL;
	if (s == NULL) {
		if (flags & SET_REQUIRED)
			return fail(p, "%s: missing %s", where, attr);
		return 0;
	}
	clean(v, sizeof(v), s, 40);
	*out = cpuset_parse(s, strlen(s), limit, CPUSET_LIBVIRT, e, sizeof(e));
	if (*out == NULL) {
		size_t len = strlen(s);

		/* "'3-1': reversed range" already quotes the whole value */
		if (e[0] == '\'' && strncmp(e + 1, s, len) == 0 && e[len + 1] == '\'')
			return fail(p, "%s: %s %s", where, attr, e);
		return fail(p, "%s: %s '%s': %s", where, attr, v, e);
	}
	if ((flags & SET_NONEMPTY) && cpuset_empty(*out)) {
		/* on any error *out is NULL: a caller holding it in a local must not leak it */
		cpuset_free(*out);
		*out = NULL;
		return fail(p, "%s: %s '%s' selects nothing", where, attr, v);
	}
	return 0;
}

/* ---------------------------------------------------------------- units */

/* libvirt's virScaleInteger: b/byte/bytes; k m g t p e alone or with "iB" are powers of 1024,
 * with "B" powers of 1000; all case-insensitive. */
static int unit_scale(const char *unit, uint64_t *scale)
{
	static const char prefixes[] = "kmgtpe";
	const char *pos;
	uint64_t base, s = 1;
	size_t i;

	if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
	    strcasecmp(unit, "bytes") == 0) {
		*scale = 1;
		return 0;
	}
	if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
		base = 1024;
	else if (tolower((unsigned char)unit[1]) == 'b' && unit[2] == '\0')
		base = 1000;
	else
		return -1;
	pos = strchr(prefixes, tolower((unsigned char)unit[0]));
	if (unit[0] == '\0' || pos == NULL)
		return -1;
	for (i = 0; i <= (size_t)(pos - prefixes); i++)
		s *= base;
	*scale = s;
	return 0;
}

static bool all_digits(const char *s)
{
	size_t n = 0;

	while (isspace((unsigned char)*s))
		s++;
	for (; isdigit((unsigned char)*s); s++)
		n++;
	while (isspace((unsigned char)*s))
		s++;
	return n > 0 && *s == '\0';
}

int domxml_scaled(const char *value, const char *unit, uint64_t default_unit, uint64_t *bytes,
		  char *err, size_t errlen)
{
	uint64_t v = 0, scale = default_unit, b;
	char e[ERRLEN], vs[40], us[24];
	bool has_unit = unit != NULL && unit[0] != '\0', too_large = false;

	if (has_unit && unit_scale(unit, &scale) < 0) {
		clean(us, sizeof(us), unit, 16);
		err_set(err, errlen, "unknown unit '%s'", us);
		return -1;
	}
	if (parse_u64_str(value, UINT64_MAX, &v, e, sizeof(e)) < 0) {
		if (value == NULL || !all_digits(value)) {
			printable(e, sizeof(e));
			err_set(err, errlen, "%s", e);
			return -1;
		}
		too_large = true; /* digits only: reported as an overflow */
	}
	if (too_large || __builtin_mul_overflow(v, scale, &b)) {
		clean(vs, sizeof(vs), value + strspn(value, " \t\r\n"), 32);
		if (has_unit) {
			clean(us, sizeof(us), unit, 16);
			err_set(err, errlen, "%s %s overflows", vs, us);
		} else {
			err_set(err, errlen, "%s (unit %llu bytes) overflows", vs,
				(unsigned long long)default_unit);
		}
		return -1;
	}
	*bytes = b;
	return 0;
}

/* <name unit='...'>value</name>, or the value and unit in attributes of one element. */
static int scaled(struct px *p, const char *where, const char *value, const char *unit,
		  uint64_t *bytes)
{
	char e[ERRLEN];

	if (domxml_scaled(value, unit, 1024, bytes, e, sizeof(e)) < 0)
		return fail(p, "%s: %s", where, e);
	return 0;
}

/* ---------------------------------------------------------------- names */

const char *vm_state_name(enum vm_state s)
{
	static const char *const names[] = {
	    [VM_STATE_RUNNING] = "running",	    [VM_STATE_BLOCKED] = "blocked",
	    [VM_STATE_PAUSED] = "paused",	    [VM_STATE_SHUTDOWN] = "shutdown",
	    [VM_STATE_SHUTOFF] = "shutoff",	    [VM_STATE_CRASHED] = "crashed",
	    [VM_STATE_PMSUSPENDED] = "pmsuspended", [VM_STATE_DEFINED] = "defined",
	    [VM_STATE_UNKNOWN] = "unknown",
	};

	if ((size_t)s < ARRAY_SIZE(names) && names[s] != NULL)
		return names[s];
	return "unknown";
}

const char *mem_mode_name(enum mem_mode m)
{
	static const char *const names[] = {
	    [MEM_MODE_NONE] = "none",
	    [MEM_MODE_STRICT] = "strict",
	    [MEM_MODE_INTERLEAVE] = "interleave",
	    [MEM_MODE_PREFERRED] = "preferred",
	    [MEM_MODE_RESTRICTIVE] = "restrictive",
	    [MEM_MODE_MIXED] = "mixed",
	};

	if ((size_t)m < ARRAY_SIZE(names) && names[m] != NULL)
		return names[m];
	return "unknown";
}

/* The state attribute as libvirt's virDomainStateTypeToString writes it. */
static enum vm_state state_from(const char *s)
{
	static const struct {
		const char *name;
		enum vm_state state;
	} map[] = {
	    {"running", VM_STATE_RUNNING},	   {"blocked", VM_STATE_BLOCKED},
	    {"paused", VM_STATE_PAUSED},	   {"shutdown", VM_STATE_SHUTDOWN},
	    {"shutoff", VM_STATE_SHUTOFF},	   {"crashed", VM_STATE_CRASHED},
	    {"pmsuspended", VM_STATE_PMSUSPENDED},
	};
	size_t i;

	for (i = 0; s != NULL && i < ARRAY_SIZE(map); i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].state;
	return VM_STATE_UNKNOWN; /* "nostate" included */
}

/* A numatune mode; absent = strict. */
static int mode_from(struct px *p, const char *where, const char *s, enum mem_mode *out)
{
	static const struct {
		const char *name;
		enum mem_mode mode;
	} map[] = {
	    {"strict", MEM_MODE_STRICT},
	    {"preferred", MEM_MODE_PREFERRED},
	    {"interleave", MEM_MODE_INTERLEAVE},
	    {"restrictive", MEM_MODE_RESTRICTIVE},
	};
	size_t i;

	*out = MEM_MODE_STRICT;
	if (s == NULL)
		return 0;
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (strcmp(s, map[i].name) == 0) {
			*out = map[i].mode;
			return 0;
		}
	}
	return fail(p, "%s: unknown mode", where);
}

/* placement='auto'|'static': 1 auto, 0 static, -1 absent, -2 error. */
static int placement_from(struct px *p, const char *where, const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "auto") == 0)
		return 1;
	if (strcmp(s, "static") == 0)
		return 0;
	fail(p, "%s: unknown placement", where);
	return -2;
}

/* ---------------------------------------------------------------- identity and memory */

/* libvirt's virUUIDParse: blanks around, 32 hex digits, '-' or ' ' anywhere between digit
 * pairs. Written out the canonical way (lowercase 8-4-4-4-12, the MIB's 36 characters). */
static int uuid_parse(const char *s, char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, o = 0;

	while (isspace((unsigned char)*s))
		s++;
	while (i < 16) {
		if (*s == '-' || *s == ' ') {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -1;
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[strchr(hex, tolower((unsigned char)s[0])) - hex];
		out[o++] = hex[strchr(hex, tolower((unsigned char)s[1])) - hex];
		s += 2;
		i++;
	}
	while (isspace((unsigned char)*s))
		s++;
	out[o] = '\0';
	return *s == '\0' ? 0 : -1;
}

static int parse_ident(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	char uuid[37];
	xmlNodePtr n;
	const char *s;
	uint64_t v;

	if ((n = child(dom, "name")) == NULL)
		return fail(p, "domain: missing <name>");
	s = text(p, n);
	if (s[0] == '\0')
		return fail(p, "domain: <name> is empty");
	vm->name = xstrdup(s);
	if ((n = child(dom, "uuid")) == NULL)
		return fail(p, "domain: missing <uuid>");
	s = text(p, n);
	if (s[strspn(s, " \t\r\n")] == '\0')
		return fail(p, "domain: <uuid> is empty");
	if (uuid_parse(s, uuid) < 0)
		return fail(p, "domain: <uuid> is not 32 hex digits (with '-' between pairs)");
	vm->uuid = xstrdup(uuid);
	/* libvirt writes id='N' for running domains only; -1 is its own "no id" value. */
	s = prop(p, dom, "id");
	if (s != NULL && strcmp(s, "-1") != 0) {
		if (num(p, "domain", "id", s, true, INT_MAX, &v) < 0)
			return -1;
		vm->id = (long long)v;
	}
	return 0;
}

static bool is_nova(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL && n->ns->href != NULL &&
	       strncmp((const char *)n->ns->href, NOVA_NS, strlen(NOVA_NS)) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* <metadata><nova:instance><nova:name>, matched by namespace URI, never by prefix. */
static void parse_nova(struct px *p, xmlNodePtr dom)
{
	xmlNodePtr md = child(dom, "metadata"), inst, n;

	for (inst = md != NULL ? md->children : NULL; inst != NULL; inst = inst->next) {
		if (!is_nova(inst, "instance"))
			continue;
		for (n = inst->children; n != NULL; n = n->next) {
			if (is_nova(n, "name")) {
				p->vm->display_name = xstrdup(text(p, n));
				return;
			}
		}
	}
}

static int parse_memory(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n;

	if ((n = child(dom, "memory")) == NULL)
		return fail(p, "domain: missing <memory>");
	if (scaled(p, "memory", text(p, n), prop(p, n, "unit"), &vm->memory) < 0)
		return -1;
	vm->current_memory = vm->memory;
	n = child(dom, "currentMemory");
	if (n != NULL &&
	    scaled(p, "currentMemory", text(p, n), prop(p, n, "unit"), &vm->current_memory) < 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- vcpus */

static int parse_vcpu(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n = child(dom, "vcpu");
	uint64_t v;
	int r;

	if (n == NULL)
		return fail(p, "domain: missing <vcpu>");
	if (num(p, "vcpu", "count", text(p, n), true, DOMXML_MAX_VCPUS, &v) < 0)
		return -1;
	if (v == 0)
		return fail(p, "vcpu: count is 0");
	vm->vcpu_max = vm->vcpu_current = (unsigned)v;
	r = num_attr(p, n, "vcpu", "current", false, DOMXML_MAX_VCPUS, &v);
	if (r < 0)
		return -1;
	if (r > 0 && (v == 0 || v > vm->vcpu_max))
		return fail(p, "vcpu: current %llu is not in 1..%u", (unsigned long long)v,
			    vm->vcpu_max);
	if (r > 0)
		vm->vcpu_current = (unsigned)v;
	r = placement_from(p, "vcpu", prop(p, n, "placement"));
	if (r == -2)
		return -1;
	vm->vcpu_placement_auto = r == 1;
	/* libvirt ignores cpuset under automatic placement: numad decides. */
	if (!vm->vcpu_placement_auto &&
	    set_attr(p, n, "vcpu", "cpuset", CPUSET_MAX_CPUS, SET_NONEMPTY, &vm->vcpu_cpuset) < 0)
		return -1;
	return 0;
}

/* A vCPU id attribute that must name an existing vCPU, once. */
static int vcpu_id(struct px *p, xmlNodePtr n, const char *where, const char *attr,
		   struct cpuset *seen, unsigned *id)
{
	uint64_t v;

	if (num_attr(p, n, where, attr, true, UINT_MAX, &v) < 0)
		return -1;
	if (v >= p->vm->vcpu_max)
		return fail(p, "%s[%s=%llu]: vcpu %llu does not exist (vcpu count %u)", where, attr,
			    (unsigned long long)v, (unsigned long long)v, p->vm->vcpu_max);
	if (seen != NULL && cpuset_test(seen, (unsigned)v))
		return fail(p, "%s[%s=%llu]: duplicate", where, attr, (unsigned long long)v);
	if (seen != NULL)
		cpuset_set(seen, (unsigned)v);
	*id = (unsigned)v;
	return 0;
}

/* <domain><vcpus><vcpu id enabled>: which vCPUs are online after hotplug. */
static int parse_vcpu_enabled(struct px *p, xmlNodePtr n, struct cpuset *seen, size_t *cap)
{
	struct vm *vm = p->vm;
	struct vcpu_enabled *ve;
	const char *en;
	unsigned id;

	if (vcpu_id(p, n, "vcpus/vcpu", "id", seen, &id) < 0)
		return -1;
	en = prop(p, n, "enabled");
	if (en == NULL || (strcmp(en, "yes") != 0 && strcmp(en, "no") != 0))
		return fail(p, "vcpus/vcpu[id=%u]: enabled is not yes or no", id);
	ve = array_push(&vm->vcpus, &vm->nvcpus, cap, sizeof(*vm->vcpus));
	ve->id = id;
	ve->enabled = strcmp(en, "yes") == 0;
	return 0;
}

static int parse_vcpus_list(struct px *p, xmlNodePtr dom)
{
	xmlNodePtr list = child(dom, "vcpus"), n;
	struct cpuset *seen;
	size_t cap = 0;
	int r = 0;

	/* libvirt ignores a <vcpus> without <vcpu>: every vCPU up to current stays online */
	if (child(list, "vcpu") == NULL)
		return 0;
	p->vm->has_vcpus_list = true;
	seen = cpuset_new(DOMXML_MAX_VCPUS);
	for (n = child(list, "vcpu"); n != NULL && r == 0; n = next(n))
		r = parse_vcpu_enabled(p, n, seen, &cap);
	cpuset_free(seen);
	return r;
}

/* ---------------------------------------------------------------- cputune */

static int parse_vcpupins(struct px *p, xmlNodePtr tune, struct cpuset *seen)
{
	struct vm *vm = p->vm;
	size_t cap = 0;
	xmlNodePtr n;

	for (n = child(tune, "vcpupin"); n != NULL; n = next(n)) {
		struct pin *pin;
		char where[64];
		unsigned id;

		if (vcpu_id(p, n, "cputune/vcpupin", "vcpu", seen, &id) < 0)
			return -1;
		pin = array_push(&vm->vcpupins, &vm->nvcpupins, &cap, sizeof(*pin));
		pin->id = id;
		snprintf(where, sizeof(where), "cputune/vcpupin[vcpu=%u]", id);
		if (set_attr(p, n, where, "cpuset", CPUSET_MAX_CPUS, SET_REQUIRED | SET_NONEMPTY,
			     &pin->cpus) < 0)
			return -1;
	}
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* Each <iothreadpin> is checked but only counted: the implied vCPU placement in numatune is
 * all that uses them, and keeping their sets would let one file hold a set per element. */
static int parse_iothreadpins(struct px *p, xmlNodePtr tune)
{
	struct vm *vm = p->vm;
	unsigned *ids = NULL;
	size_t cap = 0, i;
	xmlNodePtr n;
	int r = -1;

	for (n = child(tune, "iothreadpin"); n != NULL; n = next(n)) {
		struct cpuset *cpus;
		char where[64];
		uint64_t id;

		if (vm->niothreadpins == DOMXML_MAX_IOTHREADPINS) {
			fail(p, "cputune: too many <iothreadpin> elements (more than %u)",
			     DOMXML_MAX_IOTHREADPINS);
			goto out;
		}
		if (num_attr(p, n, "cputune/iothreadpin", "iothread", true, UINT_MAX, &id) < 0)
			goto out;
		*(unsigned *)array_push(&ids, &vm->niothreadpins, &cap, sizeof(*ids)) =
		    (unsigned)id;
		snprintf(where, sizeof(where), "cputune/iothreadpin[iothread=%u]", (unsigned)id);
		if (set_attr(p, n, where, "cpuset", CPUSET_MAX_CPUS, SET_REQUIRED | SET_NONEMPTY,
			     &cpus) < 0)
			goto out;
		cpuset_free(cpus);
	}
	/* iothread ids are not bounded, so find duplicates by sorting (qsort must not see the
	 * NULL of no pins: a <cputune> without any is the common case) */
	if (vm->niothreadpins > 1)
		qsort(ids, vm->niothreadpins, sizeof(*ids), cmp_uint);
	for (i = 1; i < vm->niothreadpins; i++)
		if (ids[i] == ids[i - 1]) {
			fail(p, "cputune/iothreadpin[iothread=%u]: duplicate", ids[i]);
			goto out;
		}
	r = 0;
out:
	free(ids);
	return r;
}

static int parse_cputune(struct px *p, xmlNodePtr dom)
{
	xmlNodePtr tune = child(dom, "cputune"), n;
	struct cpuset *seen;
	int r;

	if (tune == NULL)
		return 0;
	seen = cpuset_new(DOMXML_MAX_VCPUS);
	r = parse_vcpupins(p, tune, seen);
	cpuset_free(seen);
	if (r < 0 || parse_iothreadpins(p, tune) < 0)
		return -1;
	n = child(tune, "emulatorpin");
	if (n == NULL)
		return 0;
	if (next(n) != NULL)
		return fail(p, "cputune: more than one <emulatorpin>");
	return set_attr(p, n, "cputune/emulatorpin", "cpuset", CPUSET_MAX_CPUS,
			SET_REQUIRED | SET_NONEMPTY, &p->vm->emulatorpin);
}

/* ---------------------------------------------------------------- guest NUMA */

static int parse_cell(struct px *p, xmlNodePtr n, size_t pos, struct cpuset *seen)
{
	struct vm *vm = p->vm;
	struct cell *c = &vm->cells[vm->ncells - 1];
	char where[64];
	uint64_t id = pos;

	if (num_attr(p, n, "cpu/numa/cell", "id", false, CPUSET_MAX_NODES - 1, &id) < 0)
		return -1;
	if (id >= CPUSET_MAX_NODES) /* a position: cell ids index guest nodesets */
		return fail(p, "cpu/numa: more than %u cells", CPUSET_MAX_NODES);
	c->id = (unsigned)id;
	snprintf(where, sizeof(where), "cpu/numa/cell[id=%u]", c->id);
	if (cpuset_test(seen, c->id))
		return fail(p, "%s: duplicate id", where);
	cpuset_set(seen, c->id);
	if (set_attr(p, n, where, "cpus", DOMXML_MAX_VCPUS, SET_OPTIONAL, &c->cpus) < 0)
		return -1;
	if (c->cpus == NULL)
		c->cpus = cpuset_new(DOMXML_MAX_VCPUS); /* a CPU-less (memory-only) cell */
	if (prop(p, n, "memory") == NULL)
		return fail(p, "%s: missing memory", where);
	return scaled(p, where, prop(p, n, "memory"), prop(p, n, "unit"), &c->memory);
}

static int parse_cells(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n = child(child(child(dom, "cpu"), "numa"), "cell");
	struct cpuset *seen = cpuset_new(CPUSET_MAX_NODES);
	size_t cap = 0, pos;
	int r = 0;

	for (pos = 0; n != NULL && r == 0; n = next(n), pos++) {
		if (vm->ncells == DOMXML_MAX_CELLS) {
			r = fail(p, "cpu/numa: too many <cell> elements (more than %u)",
				 DOMXML_MAX_CELLS);
			break;
		}
		array_push(&vm->cells, &vm->ncells, &cap, sizeof(*vm->cells));
		r = parse_cell(p, n, pos, seen);
	}
	cpuset_free(seen);
	return r;
}

static int parse_memnode(struct px *p, xmlNodePtr n, struct cpuset *seen,
			 const struct cpuset *cellids, size_t *cap)
{
	struct vm *vm = p->vm;
	struct memnode *m;
	char where[64];
	uint64_t id;

	if (num_attr(p, n, "numatune/memnode", "cellid", true, CPUSET_MAX_NODES - 1, &id) < 0)
		return -1;
	snprintf(where, sizeof(where), "numatune/memnode[cellid=%u]", (unsigned)id);
	if (cpuset_test(seen, (unsigned)id))
		return fail(p, "%s: duplicate", where);
	cpuset_set(seen, (unsigned)id);
	/* libvirt refuses a memnode for a cell that does not exist, as we do */
	if (!cpuset_test(cellids, (unsigned)id))
		return fail(p, "%s: no guest NUMA cell %u", where, (unsigned)id);
	m = array_push(&vm->memnodes, &vm->nmemnodes, cap, sizeof(*m));
	m->cellid = (unsigned)id;
	if (mode_from(p, where, prop(p, n, "mode"), &m->mode) < 0)
		return -1;
	return set_attr(p, n, where, "nodeset", CPUSET_MAX_NODES, SET_NONEMPTY, &m->nodeset);
}

/* Each memnode names a distinct existing cell, so there are at most as many as cells. */
static int parse_memnodes(struct px *p, xmlNodePtr tune)
{
	struct cpuset *seen = cpuset_new(CPUSET_MAX_NODES);
	struct cpuset *cellids = cpuset_new(CPUSET_MAX_NODES);
	size_t cap = 0, i;
	xmlNodePtr n;
	int r = 0;

	for (i = 0; i < p->vm->ncells; i++)
		cpuset_set(cellids, p->vm->cells[i].id);
	for (n = child(tune, "memnode"); n != NULL && r == 0; n = next(n))
		r = parse_memnode(p, n, seen, cellids, &cap);
	cpuset_free(cellids);
	cpuset_free(seen);
	return r;
}

/* <numatune><memory>, with libvirt's implied placement (virDomainNumatuneSet): no placement
 * and no nodeset follows <vcpu placement>; placement='auto' drops any nodeset. */
static int parse_numatune_memory(struct px *p, xmlNodePtr n)
{
	struct vm *vm = p->vm;
	int placement;

	vm->has_numatune_memory = true;
	if (mode_from(p, "numatune/memory", prop(p, n, "mode"), &vm->mem_mode) < 0)
		return -1;
	placement = placement_from(p, "numatune/memory", prop(p, n, "placement"));
	if (placement == -2)
		return -1;
	if (set_attr(p, n, "numatune/memory", "nodeset", CPUSET_MAX_NODES, SET_NONEMPTY,
		     &vm->mem_nodeset) < 0)
		return -1;
	if (placement == -1)
		placement = vm->mem_nodeset == NULL && vm->vcpu_placement_auto ? 1 : 0;
	if (placement == 1) {
		vm->mem_placement_auto = true;
		cpuset_free(vm->mem_nodeset);
		vm->mem_nodeset = NULL;
	}
	return 0;
}

static int parse_numatune(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr tune = child(dom, "numatune"), mem = child(tune, "memory");

	if (mem != NULL && parse_numatune_memory(p, mem) < 0)
		return -1;
	if (mem == NULL && vm->vcpu_placement_auto)
		vm->mem_placement_auto = true; /* as libvirt implies */
	/* ... and the other way round: automatic memory placement with nothing pinned makes
	 * libvirt place the vCPUs automatically too (its test numad-auto-memory-vcpu-no-cpuset-
	 * and-placement turns placement='static' into 'auto'). */
	if (mem != NULL && vm->mem_placement_auto && vm->vcpu_cpuset == NULL &&
	    vm->nvcpupins == 0 && vm->emulatorpin == NULL && vm->niothreadpins == 0)
		vm->vcpu_placement_auto = true;
	return parse_memnodes(p, tune);
}

static int parse_memdevs(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n;
	size_t cap = 0;

	for (n = child(child(dom, "devices"), "memory"); n != NULL; n = next(n)) {
		xmlNodePtr target = child(n, "target"), size = child(target, "size");
		xmlNodePtr node = child(target, "node");
		struct memdev *d;
		char where[64];
		uint64_t v;

		if (vm->nmemdevs == DOMXML_MAX_MEMDEVS)
			return fail(p, "devices: too many <memory> elements (more than %u)",
				    DOMXML_MAX_MEMDEVS);
		snprintf(where, sizeof(where), "devices/memory[%zu]/target", vm->nmemdevs + 1);
		if (size == NULL)
			return fail(p, "%s: missing <size>", where);
		d = array_push(&vm->memdevs, &vm->nmemdevs, &cap, sizeof(*d));
		d->node = -1;
		if (scaled(p, where, text(p, size), prop(p, size, "unit"), &d->size) < 0)
			return -1;
		if (node != NULL) {
			if (num(p, where, "node", text(p, node), true, INT_MAX, &v) < 0)
				return -1;
			d->node = (int)v;
		}
	}
	return 0;
}

static int parse_page(struct px *p, xmlNodePtr n, struct hugepage *hp)
{
	char where[64];
	const char *size = prop(p, n, "size");
	uint64_t bytes;

	snprintf(where, sizeof(where), "memoryBacking/hugepages/page[%zu]", p->vm->npages);
	if (size == NULL)
		return fail(p, "%s: missing size", where);
	if (scaled(p, where, size, prop(p, n, "unit"), &bytes) < 0)
		return -1;
	if (bytes == 0 || bytes % 1024 != 0)
		return fail(p, "%s: size %llu bytes is not a positive multiple of 1 KiB", where,
			    (unsigned long long)bytes);
	hp->size_kib = bytes / 1024;
	return set_attr(p, n, where, "nodeset", CPUSET_MAX_NODES, SET_OPTIONAL, &hp->nodeset);
}

static int parse_hugepages(struct px *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr hp = child(child(dom, "memoryBacking"), "hugepages"), n;
	size_t cap = 0;

	if (hp == NULL)
		return 0;
	vm->hugepages = true;
	for (n = child(hp, "page"); n != NULL; n = next(n)) {
		struct hugepage *page;

		if (vm->npages == DOMXML_MAX_PAGES)
			return fail(p, "memoryBacking/hugepages: too many <page> elements (more than "
				       "%u)",
				    DOMXML_MAX_PAGES);
		page = array_push(&vm->pages, &vm->npages, &cap, sizeof(*page));
		if (parse_page(p, n, page) < 0)
			return -1;
	}
	if (vm->npages == 0)
		array_push(&vm->pages, &vm->npages, &cap, sizeof(*vm->pages)); /* default size */
	return 0;
}

/* ---------------------------------------------------------------- domain and domstatus */

/* In dependency order: vcpu before pins, cells before memnodes, pins before the implied
 * placement in numatune. */
static int parse_domain(struct px *p, xmlNodePtr dom)
{
	if (parse_ident(p, dom) < 0 || parse_memory(p, dom) < 0 || parse_vcpu(p, dom) < 0 ||
	    parse_vcpus_list(p, dom) < 0 || parse_cputune(p, dom) < 0 || parse_cells(p, dom) < 0 ||
	    parse_numatune(p, dom) < 0 || parse_memdevs(p, dom) < 0 || parse_hugepages(p, dom) < 0)
		return -1;
	parse_nova(p, dom);
	return 0;
}

/* <domstatus><vcpus><vcpu id pid>: QEMU's vCPU thread ids, private to the status file. */
static int parse_tids(struct px *p, xmlNodePtr st)
{
	struct vm *vm = p->vm;
	xmlNodePtr n;
	size_t cap = 0;

	for (n = child(child(st, "vcpus"), "vcpu"); n != NULL; n = next(n)) {
		struct vcpu_tid *t;
		char where[64];
		unsigned id;

		if (vm->ntids == vm->vcpu_max)
			return fail(p, "domstatus/vcpus: more <vcpu> elements than vCPUs (%u)",
				    vm->vcpu_max);
		if (vcpu_id(p, n, "domstatus/vcpus/vcpu", "id", NULL, &id) < 0)
			return -1;
		snprintf(where, sizeof(where), "domstatus/vcpus/vcpu[id=%u]", id);
		t = array_push(&vm->tids, &vm->ntids, &cap, sizeof(*t));
		t->id = id;
		if (num_attr(p, n, where, "pid", true, UINT64_MAX, &t->tid) < 0)
			return -1;
	}
	return 0;
}

static int parse_status(struct px *p, xmlNodePtr st)
{
	struct vm *vm = p->vm;
	xmlNodePtr numad = child(st, "numad");
	const char *reason = prop(p, st, "reason");

	vm->is_status = true;
	vm->state = state_from(prop(p, st, "state"));
	if (reason != NULL)
		vm->reason = xstrdup(reason);
	if (num_attr(p, st, "domstatus", "pid", false, UINT64_MAX, &vm->pid) < 0 ||
	    parse_tids(p, st) < 0)
		return -1;
	if (numad == NULL)
		return 0;
	if (set_attr(p, numad, "domstatus/numad", "nodeset", CPUSET_MAX_NODES, SET_OPTIONAL,
		     &vm->numad_nodeset) < 0)
		return -1;
	return set_attr(p, numad, "domstatus/numad", "cpuset", CPUSET_MAX_CPUS, SET_OPTIONAL,
			&vm->numad_cpuset);
}

static int parse_root(struct px *p, xmlNodePtr root)
{
	char name[48];
	xmlNodePtr dom;

	if (is_elem(root, "domstatus")) {
		if ((dom = child(root, "domain")) == NULL)
			return fail(p, "domstatus has no <domain>");
		if (parse_domain(p, dom) < 0)
			return -1;
		return parse_status(p, root); /* after the domain: it knows the vCPU count */
	}
	if (is_elem(root, "domain")) {
		p->vm->state = VM_STATE_DEFINED;
		return parse_domain(p, root);
	}
	clean(name, sizeof(name), (const char *)root->name, 40);
	return fail(p, "root element is <%s>%s, not <domain> or <domstatus>", name,
		    root->ns != NULL ? " in a namespace" : "");
}

/* ---------------------------------------------------------------- libxml2 */

/* Which elements become tree nodes. libxml2 still reads every byte and checks that the whole
 * file is well-formed, but only the parts parse_root() looks at are built: a status file is
 * ~80% <qemuCaps><flag>, and <devices> holds disks, NICs and <graphics passwd>. Building (and
 * freeing) those nodes was most of a rebuild's cost; and a password never reaches the tree. */
enum kept {
	KEPT_ALL,     /* the element and everything under it */
	KEPT_STATUS,  /* <domstatus>: only <domain>, <vcpus>, <numad> below */
	KEPT_DOMAIN,  /* <domain>: only the children parse_domain() reads */
	KEPT_DEVICES, /* <domain><devices>: only <memory> */
};

#define KEPT_LEVELS 4 /* root, domain, devices, memory: deeper kept elements are all KEPT_ALL */

/* What the parser reported: the first fatal (well-formedness) error, else the first error;
 * and where the pruning SAX handlers are. */
struct xerr {
	bool doctype;
	bool entity_ref; /* a reference callback, in a built part or not */
	bool have_fatal, have_error;
	char fatal[MSG_MAX];
	char error[MSG_MAX];
	unsigned depth;  /* open built elements */
	unsigned skip;   /* open elements of a subtree not built; 0 = building */
	enum kept kind[KEPT_LEVELS];
};

/* Our own sentence for a libxml2 error code. libxml2's message text is never passed on: it
 * quotes comment text, stray tokens and entity names, and a status file holds VNC and SPICE
 * passwords. */
static const char *xml_reason(const xmlError *e)
{
	static const struct {
		int code;
		const char *reason;
	} map[] = {
	    {XML_ERR_NO_MEMORY, "out of memory while parsing"},
	    {XML_ERR_DOCUMENT_START, "no start tag (not XML)"},
	    {XML_ERR_DOCUMENT_EMPTY, "no start tag (document is empty or not XML)"},
	    {XML_ERR_DOCUMENT_END, "extra content after the root element"},
	    {XML_ERR_EXTRA_CONTENT, "extra content after the root element"},
	    {XML_ERR_INVALID_HEX_CHARREF, "invalid character reference"},
	    {XML_ERR_INVALID_DEC_CHARREF, "invalid character reference"},
	    {XML_ERR_INVALID_CHARREF, "invalid character reference"},
	    {XML_ERR_INVALID_CHAR, "invalid character"},
	    {XML_ERR_CHARREF_AT_EOF, "premature end of data (truncated file)"},
	    {XML_ERR_CHARREF_IN_PROLOG, "character reference outside the root element"},
	    {XML_ERR_CHARREF_IN_EPILOG, "character reference outside the root element"},
	    {XML_ERR_ENTITYREF_AT_EOF, "premature end of data (truncated file)"},
	    {XML_ERR_ENTITYREF_NO_NAME, "bad entity reference"},
	    {XML_ERR_ENTITYREF_SEMICOL_MISSING, "bad entity reference (no ';')"},
	    {XML_ERR_UNDECLARED_ENTITY, "undefined entity reference"},
	    {XML_WAR_UNDECLARED_ENTITY, "undefined entity reference"},
	    {XML_ERR_UNKNOWN_ENCODING, "unsupported encoding"},
	    {XML_ERR_UNSUPPORTED_ENCODING, "unsupported encoding"},
	    {XML_ERR_STRING_NOT_STARTED, "string not started"},
	    {XML_ERR_STRING_NOT_CLOSED, "unterminated string"},
	    {XML_ERR_LT_IN_ATTRIBUTE, "'<' in an attribute value"},
	    {XML_ERR_ATTRIBUTE_NOT_STARTED, "attribute value not quoted"},
	    {XML_ERR_ATTRIBUTE_NOT_FINISHED, "unterminated attribute value"},
	    {XML_ERR_ATTRIBUTE_WITHOUT_VALUE, "attribute without a value"},
	    {XML_ERR_ATTRIBUTE_REDEFINED, "attribute given twice in one element"},
	    {XML_ERR_LITERAL_NOT_STARTED, "literal not started"},
	    {XML_ERR_LITERAL_NOT_FINISHED, "unterminated literal"},
	    {XML_ERR_COMMENT_NOT_FINISHED, "unterminated comment"},
	    {XML_ERR_PI_NOT_STARTED, "malformed processing instruction"},
	    {XML_ERR_PI_NOT_FINISHED, "unterminated processing instruction"},
	    {XML_ERR_XMLDECL_NOT_STARTED, "malformed XML declaration"},
	    {XML_ERR_XMLDECL_NOT_FINISHED, "malformed XML declaration"},
	    {XML_ERR_VERSION_MISSING, "XML declaration without a version"},
	    {XML_ERR_MISPLACED_CDATA_END, "']]>' in character data"},
	    {XML_ERR_CDATA_NOT_FINISHED, "unterminated CDATA section"},
	    {XML_ERR_RESERVED_XML_NAME, "XML declaration not at the start"},
	    {XML_ERR_SPACE_REQUIRED, "a space is missing"},
	    {XML_ERR_NAME_REQUIRED, "a name was expected"},
	    {XML_ERR_GT_REQUIRED, "'>' expected"},
	    {XML_ERR_LTSLASH_REQUIRED, "end tag expected"},
	    {XML_ERR_EQUAL_REQUIRED, "'=' expected after an attribute name"},
	    {XML_ERR_TAG_NAME_MISMATCH, "mismatched tag (start and end tag differ)"},
	    {XML_ERR_TAG_NOT_FINISHED, "premature end of data (truncated file)"},
	    {XML_ERR_HYPHEN_IN_COMMENT, "'--' inside a comment"},
	    {XML_ERR_NOT_WELL_BALANCED, "not well-formed XML (unbalanced elements)"},
	    {XML_ERR_NAME_TOO_LONG, "a name is too long"},
	    {XML_NS_ERR_UNDEFINED_NAMESPACE, "undefined namespace prefix"},
	    {XML_NS_ERR_QNAME, "malformed qualified name"},
	};
	size_t i;

	/* libxml2 2.9 reports its depth limit as an internal error; the format is fixed */
	if (e->code == XML_ERR_INTERNAL_ERROR && e->message != NULL &&
	    strncmp(e->message, "Excessive depth in document", 27) == 0)
		return "nesting depth over 256 levels";
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].code == e->code)
			return map[i].reason;
	return NULL;
}

static void record(char *dst, size_t dstlen, const xmlError *e)
{
	const char *reason = xml_reason(e);

	if (reason != NULL)
		snprintf(dst, dstlen, "line %d: %s", e->line, reason);
	else
		snprintf(dst, dstlen, "line %d: XML syntax error (libxml2 error %d)", e->line,
			 e->code);
}

static void on_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;
	struct xerr *xe = ctxt != NULL ? ctxt->_private : NULL;

	if (xe == NULL || e == NULL)
		return;
	if (e->level == XML_ERR_FATAL && !xe->have_fatal) {
		record(xe->fatal, sizeof(xe->fatal), e);
		xe->have_fatal = true;
	} else if (e->level == XML_ERR_ERROR && !xe->have_error) {
		record(xe->error, sizeof(xe->error), e);
		xe->have_error = true;
	}
}

/* Stop at the DOCTYPE, before libxml2 reads a single entity declaration. */
static void on_doctype(void *data, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = data;
	struct xerr *xe = ctxt->_private;

	(void)name;
	(void)ext;
	(void)sys;
	xe->doctype = true;
	xmlStopParser(ctxt);
}

static bool name_in(const xmlChar *name, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp((const char *)name, *names) == 0)
			return true;
	return false;
}

/* How an element starting under a parent of kind parent is kept; false = not built. The names
 * are those parse_root() and its callees look up (child() wants no namespace). */
static bool keep_elem(enum kept parent, bool is_root, const xmlChar *name, const xmlChar *uri,
		      enum kept *kind)
{
	static const char *const status[] = {"vcpus", "numad", NULL};
	static const char *const domain[] = {"name",	"uuid",	     "metadata", "memory",
					     "currentMemory", "vcpu", "vcpus",	  "cputune",
					     "cpu",	"numatune", "memoryBacking", NULL};

	*kind = KEPT_ALL;
	if (is_root) {
		if (uri == NULL && strcmp((const char *)name, "domstatus") == 0)
			*kind = KEPT_STATUS;
		else if (uri == NULL && strcmp((const char *)name, "domain") == 0)
			*kind = KEPT_DOMAIN;
		return true; /* any other root: kept whole, parse_root() names it in its error */
	}
	switch (parent) {
	case KEPT_ALL:
		return true;
	case KEPT_STATUS:
		if (uri == NULL && strcmp((const char *)name, "domain") == 0) {
			*kind = KEPT_DOMAIN;
			return true;
		}
		return uri == NULL && name_in(name, status);
	case KEPT_DOMAIN:
		if (uri == NULL && strcmp((const char *)name, "devices") == 0) {
			*kind = KEPT_DEVICES;
			return true;
		}
		return uri == NULL && name_in(name, domain);
	case KEPT_DEVICES:
		return uri == NULL && strcmp((const char *)name, "memory") == 0;
	}
	return true;
}

static struct xerr *xerr_of(void *data)
{
	return ((xmlParserCtxtPtr)data)->_private;
}

static void on_start(void *data, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **nss, int nattrs, int ndefaulted,
		     const xmlChar **attrs)
{
	struct xerr *xe = xerr_of(data);
	enum kept parent, kind;

	if (xe->skip > 0) {
		xe->skip++;
		return;
	}
	parent = xe->depth == 0 ? KEPT_ALL
		 : xe->depth <= KEPT_LEVELS ? xe->kind[xe->depth - 1]
					     : KEPT_ALL;
	if (!keep_elem(parent, xe->depth == 0, name, uri, &kind)) {
		xe->skip = 1;
		return;
	}
	if (xe->depth < KEPT_LEVELS)
		xe->kind[xe->depth] = kind;
	xe->depth++;
	xmlSAX2StartElementNs(data, name, prefix, uri, nns, nss, nattrs, ndefaulted, attrs);
}

static void on_end(void *data, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct xerr *xe = xerr_of(data);

	if (xe->skip > 0) {
		xe->skip--;
		return;
	}
	if (xe->depth > 0)
		xe->depth--;
	xmlSAX2EndElementNs(data, name, prefix, uri);
}

static void on_chars(void *data, const xmlChar *ch, int len)
{
	if (xerr_of(data)->skip == 0)
		xmlSAX2Characters(data, ch, len);
}

static void on_cdata(void *data, const xmlChar *ch, int len)
{
	if (xerr_of(data)->skip == 0)
		xmlSAX2CDataBlock(data, ch, len);
}

static void on_comment(void *data, const xmlChar *text)
{
	if (xerr_of(data)->skip == 0)
		xmlSAX2Comment(data, text);
}

static void on_pi(void *data, const xmlChar *target, const xmlChar *text)
{
	if (xerr_of(data)->skip == 0)
		xmlSAX2ProcessingInstruction(data, target, text);
}

/* Without a DTD (refused above) libxml2 treats any entity reference as a fatal error, so this
 * should never run; if it does, the file is refused wherever the reference was. */
static void on_reference(void *data, const xmlChar *name)
{
	struct xerr *xe = xerr_of(data);

	xe->entity_ref = true;
	if (xe->skip == 0)
		xmlSAX2Reference(data, name);
}

/* Strict UTF-8 (no overlong forms, surrogates or code points over U+10FFFF). Returns the
 * offset of the first bad byte, or len. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c, need, cp, k;

		/* ASCII, 8 bytes at a time: almost every byte of a status file */
		while (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i == len)
			break;
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return i;
		if (len - i <= need)
			return i;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3fu);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return i;
		i += need + 1;
	}
	return len;
}

static size_t line_of(const char *buf, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

/* Checks libxml2 cannot be trusted to make quietly: size, NUL bytes, encoding. */
static int precheck(const char *buf, size_t len, char *err, size_t errlen)
{
	const char *nul;
	size_t bad;

	if (len == 0) {
		err_set(err, errlen, "is empty");
		return -1;
	}
	if (len > INT_MAX) {
		err_set(err, errlen, "larger than %d bytes", INT_MAX);
		return -1;
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		err_set(err, errlen, "line %zu: contains a NUL byte", line_of(buf, nul - buf));
		return -1;
	}
	bad = utf8_check((const unsigned char *)buf, len);
	if (bad < len) {
		err_set(err, errlen, "line %zu: invalid UTF-8 (byte 0x%02x)", line_of(buf, bad),
			(unsigned char)buf[bad]);
		return -1;
	}
	return 0;
}

/* Any entity reference (element content or attribute value) anywhere in the tree. Iterative:
 * the depth is capped by libxml2, but there is no reason to recurse at all. */
static bool has_entity_ref(xmlDocPtr doc)
{
	xmlNodePtr n = doc->children;

	while (n != NULL) {
		if (n->type == XML_ENTITY_REF_NODE || n->type == XML_ENTITY_NODE ||
		    n->type == XML_ENTITY_DECL || n->type == XML_DTD_NODE)
			return true;
		if (n->type == XML_ELEMENT_NODE) {
			xmlAttrPtr a;
			xmlNodePtr c;

			for (a = n->properties; a != NULL; a = a->next)
				for (c = a->children; c != NULL; c = c->next)
					if (c->type == XML_ENTITY_REF_NODE)
						return true;
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
		}
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n == (xmlNodePtr)doc)
				return false;
		}
		n = n->next;
	}
	return false;
}

static xmlDocPtr read_doc(const char *buf, size_t len, char *err, size_t errlen)
{
	static bool initialised;
	struct xerr xe = {0};
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	if (!initialised) {
		xmlInitParser();
		initialised = true;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		err_set(err, errlen, "cannot create an XML parser");
		return NULL;
	}
	ctxt->_private = &xe;
	ctxt->sax->serror = on_error;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	ctxt->sax->characters = on_chars;
	ctxt->sax->cdataBlock = on_cdata;
	ctxt->sax->comment = on_comment;
	ctxt->sax->processingInstruction = on_pi;
	ctxt->sax->reference = on_reference;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, PARSE_OPTIONS);
	xmlFreeParserCtxt(ctxt);
	if (xe.doctype || (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL)))
		err_set(err, errlen, "has a DOCTYPE (entities are not allowed)");
	else if (doc == NULL)
		err_set(err, errlen, "%s",
			xe.have_fatal	? xe.fatal
			: xe.have_error ? xe.error
					: "not well-formed XML");
	else if (xe.entity_ref || has_entity_ref(doc))
		err_set(err, errlen, "has an entity reference (entities are not allowed)");
	else if (xmlDocGetRootElement(doc) == NULL)
		err_set(err, errlen, "has no root element");
	else
		return doc;
	xmlFreeDoc(doc);
	return NULL;
}

/* ---------------------------------------------------------------- entry points */

static int parse(const char *buf, size_t len, struct vm **out, char *err, size_t errlen)
{
	struct px p = {.err = err, .errlen = errlen};
	xmlDocPtr doc = NULL;
	size_t i;
	int r = -1;

	*out = NULL;
	if (precheck(buf, len, err, errlen) < 0 || (doc = read_doc(buf, len, err, errlen)) == NULL)
		goto out;
	p.vm = xcalloc(1, sizeof(*p.vm));
	p.vm->id = -1;
	p.vm->mem_mode = MEM_MODE_STRICT;
	if (parse_root(&p, xmlDocGetRootElement(doc)) < 0)
		goto out;
	*out = p.vm;
	p.vm = NULL;
	r = 0;
out:
	if (r < 0)
		printable(err, errlen);
	for (i = 0; i < p.nstrs; i++)
		xmlFree(p.strs[i]);
	free(p.strs);
	vm_free(p.vm);
	xmlFreeDoc(doc);
	return r;
}

int domxml_parse_buffer(const char *buf, size_t len, struct vm **out, char *err, size_t errlen)
{
	if (len > DOMXML_MAX_SIZE_DEFAULT) {
		*out = NULL;
		err_set(err, errlen, "larger than %u bytes", DOMXML_MAX_SIZE_DEFAULT);
		return -1;
	}
	return parse(buf, len, out, err, errlen);
}

int domxml_parse_file(const char *path, size_t max, struct vm **out, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int r;

	*out = NULL;
	if (read_file(path, max ? max : DOMXML_MAX_SIZE_DEFAULT, true, &buf, &len, NULL, err,
		      errlen) < 0)
		return -1;
	r = parse(buf, len, out, err, errlen);
	free(buf);
	return r;
}

static void free_pins(struct pin *pins, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cpuset_free(pins[i].cpus);
	free(pins);
}

void vm_free(struct vm *vm)
{
	size_t i;

	if (vm == NULL)
		return;
	free(vm->name);
	free(vm->uuid);
	free(vm->display_name);
	free(vm->reason);
	cpuset_free(vm->vcpu_cpuset);
	free(vm->vcpus);
	free(vm->tids);
	free_pins(vm->vcpupins, vm->nvcpupins);
	cpuset_free(vm->emulatorpin);
	cpuset_free(vm->mem_nodeset);
	for (i = 0; i < vm->nmemnodes; i++)
		cpuset_free(vm->memnodes[i].nodeset);
	free(vm->memnodes);
	cpuset_free(vm->numad_nodeset);
	cpuset_free(vm->numad_cpuset);
	for (i = 0; i < vm->ncells; i++)
		cpuset_free(vm->cells[i].cpus);
	free(vm->cells);
	free(vm->memdevs);
	for (i = 0; i < vm->npages; i++)
		cpuset_free(vm->pages[i].nodeset);
	free(vm->pages);
	free(vm);
}
