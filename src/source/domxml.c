/* domxml.c: one libvirt domain XML file (status or config) into struct vm: elements found by
 * their path from the root, every value checked. libxml2 itself is behind source/xmlsafe. */
#include "source/domxml.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "core/pciaddr.h"
#include "core/units.h"
#include "core/util.h"
#include "core/uuid.h"
#include "source/xmlsafe.h"

#define NOVA_NS "http://openstack.org/xmlns/libvirt/nova/"

/* ---------------------------------------------------------------- small helpers */

/* Mapping state: the vm being filled, where errors go, and libxml2 strings to free at the end
 * (so no error path has to remember them). */
struct mapper {
	struct vm *vm;
	char *err;
	size_t errlen;
	xmlChar **strs;
	size_t nstrs, capstrs;
};

static int fail(struct mapper *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct mapper *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (p->err != NULL && p->errlen > 0)
		vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Hold a string libxml2 allocated until the parse ends, so no error path has to free it. */
static const char *free_later(struct mapper *p, xmlChar *s)
{
	xmlChar **slot;

	if (s == NULL)
		return NULL;
	slot = array_push(&p->strs, &p->nstrs, &p->capstrs, sizeof(*p->strs));
	*slot = s;
	return (const char *)s;
}

/* An attribute without namespace, as libvirt reads them; NULL when absent. */
static const char *prop(struct mapper *p, xmlNodePtr n, const char *name)
{
	return free_later(p, xmlGetNoNsProp(n, (const xmlChar *)name));
}

static const char *node_text(struct mapper *p, xmlNodePtr n)
{
	const char *s = free_later(p, xmlNodeGetContent(n));

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

/* The next sibling with the same name: for (c = child(n, "x"); c; c = next_sibling(c)). */
static xmlNodePtr next_sibling(xmlNodePtr c)
{
	return first_from(c->next, (const char *)c->name);
}

/* An unsigned number in string s (NULL = absent). Returns 1 when present, 0 when absent and
 * optional, -1 on error. */
static int parse_number(struct mapper *p, const char *where, const char *what, const char *s,
			bool required, uint64_t max, uint64_t *out)
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

static int parse_number_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
			     bool required, uint64_t max, uint64_t *out)
{
	return parse_number(p, where, attr, prop(p, n, attr), required, max, out);
}

enum { SET_OPTIONAL = 0, SET_REQUIRED = 1, SET_NONEMPTY = 2 };

/* A cpuset/nodeset value in libvirt syntax (s NULL: absent). *out stays NULL when absent and
 * optional, and on every error. */
static int set_value(struct mapper *p, const char *where, const char *attr, const char *s,
		     unsigned limit, int flags, struct cpuset **out)
{
	char e[ERRLEN], v[48];

	*out = NULL;
	if (s == NULL) {
		if (flags & SET_REQUIRED)
			return fail(p, "%s: missing %s", where, attr);
		return 0;
	}
	str_ascii_copy(v, sizeof(v), s, 40);
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

static int set_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		    unsigned limit, int flags, struct cpuset **out)
{
	return set_value(p, where, attr, prop(p, n, attr), limit, flags, out);
}

/* <name unit='...'>value</name>, or the value and unit in attributes of one element. */
static int scaled_bytes(struct mapper *p, const char *where, const char *value, const char *unit,
			uint64_t *bytes)
{
	char e[ERRLEN];

	if (units_scaled(value, unit, 1024, bytes, e, sizeof(e)) < 0)
		return fail(p, "%s: %s", where, e);
	return 0;
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
static int mode_from(struct mapper *p, const char *where, const char *s, enum mem_mode *out)
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
static int placement_from(struct mapper *p, const char *where, const char *s)
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

static int parse_ident(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	char uuid[UUID_STRLEN + 1];
	xmlNodePtr n;
	const char *s;
	uint64_t v;

	if ((n = child(dom, "name")) == NULL)
		return fail(p, "domain: missing <name>");
	s = node_text(p, n);
	if (s[0] == '\0')
		return fail(p, "domain: <name> is empty");
	vm->name = xstrdup(s);
	if ((n = child(dom, "uuid")) == NULL)
		return fail(p, "domain: missing <uuid>");
	s = node_text(p, n);
	if (s[strspn(s, " \t\r\n")] == '\0')
		return fail(p, "domain: <uuid> is empty");
	if (uuid_canonical(s, uuid) < 0)
		return fail(p, "domain: <uuid> is not 32 hex digits (with '-' between pairs)");
	vm->uuid = xstrdup(uuid);
	/* libvirt writes id='N' for running domains only; -1 is its own "no id" value. */
	s = prop(p, dom, "id");
	if (s != NULL && strcmp(s, "-1") != 0) {
		if (parse_number(p, "domain", "id", s, true, INT_MAX, &v) < 0)
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
static void parse_nova(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr md = child(dom, "metadata"), inst, n;

	for (inst = md != NULL ? md->children : NULL; inst != NULL; inst = inst->next) {
		if (!is_nova(inst, "instance"))
			continue;
		for (n = inst->children; n != NULL; n = n->next) {
			if (is_nova(n, "name")) {
				p->vm->display_name = xstrdup(node_text(p, n));
				return;
			}
		}
	}
}

static int parse_memory(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	const char *s;
	xmlNodePtr n;

	/* absent: the cells' sum, known once they are read (memory_from_cells) */
	n = child(dom, "memory");
	if (n != NULL &&
	    scaled_bytes(p, "memory", node_text(p, n), prop(p, n, "unit"), &vm->memory) < 0)
		return -1;
	vm->has_memory = n != NULL;
	vm->current_memory = vm->memory;
	n = child(child(dom, "os"), "type");
	if (n != NULL && (s = prop(p, n, "arch")) != NULL)
		vm->ppc64 = strncmp(s, "ppc64", 5) == 0;
	n = child(dom, "currentMemory");
	if (n != NULL && scaled_bytes(p, "currentMemory", node_text(p, n), prop(p, n, "unit"),
				      &vm->current_memory) < 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- vcpus */

static int parse_vcpu(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n = child(dom, "vcpu");
	uint64_t v;
	int r;

	if (n == NULL)
		return fail(p, "domain: missing <vcpu>");
	if (parse_number(p, "vcpu", "count", node_text(p, n), true, VM_MAX_VCPUS, &v) < 0)
		return -1;
	if (v == 0)
		return fail(p, "vcpu: count is 0");
	vm->vcpu_max = vm->vcpu_current = (unsigned)v;
	r = parse_number_attr(p, n, "vcpu", "current", false, VM_MAX_VCPUS, &v);
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
	    set_attr(p, n, "vcpu", "cpuset", VM_MAX_CPU_ID, SET_NONEMPTY, &vm->vcpu_cpuset) < 0)
		return -1;
	return 0;
}

/* A vCPU id attribute that must name an existing vCPU, once. */
static int vcpu_id(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		   struct cpuset *seen, unsigned *id)
{
	uint64_t v;

	if (parse_number_attr(p, n, where, attr, true, UINT_MAX, &v) < 0)
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
static int parse_vcpu_enabled(struct mapper *p, xmlNodePtr n, struct cpuset *seen, size_t *cap)
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

static int parse_vcpus_list(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr list = child(dom, "vcpus"), n;
	struct cpuset *seen;
	size_t cap = 0;
	int r = 0;

	/* libvirt ignores a <vcpus> without <vcpu>: every vCPU up to current stays online */
	if (child(list, "vcpu") == NULL)
		return 0;
	p->vm->has_vcpus_list = true;
	seen = cpuset_new(VM_MAX_VCPUS);
	for (n = child(list, "vcpu"); n != NULL && r == 0; n = next_sibling(n))
		r = parse_vcpu_enabled(p, n, seen, &cap);
	cpuset_free(seen);
	return r;
}

/* ---------------------------------------------------------------- cputune */

static int parse_vcpupins(struct mapper *p, xmlNodePtr tune, struct cpuset *seen)
{
	struct vm *vm = p->vm;
	size_t cap = 0;
	xmlNodePtr n;

	for (n = child(tune, "vcpupin"); n != NULL; n = next_sibling(n)) {
		struct pin *pin;
		char where[64];
		unsigned id;

		if (vcpu_id(p, n, "cputune/vcpupin", "vcpu", seen, &id) < 0)
			return -1;
		pin = array_push(&vm->vcpupins, &vm->nvcpupins, &cap, sizeof(*pin));
		pin->id = id;
		snprintf(where, sizeof(where), "cputune/vcpupin[vcpu=%u]", id);
		if (set_attr(p, n, where, "cpuset", VM_MAX_CPU_ID, SET_REQUIRED | SET_NONEMPTY,
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
static int parse_iothreadpins(struct mapper *p, xmlNodePtr tune)
{
	struct vm *vm = p->vm;
	unsigned *ids = NULL;
	size_t cap = 0, i;
	xmlNodePtr n;
	int r = -1;

	for (n = child(tune, "iothreadpin"); n != NULL; n = next_sibling(n)) {
		struct cpuset *cpus;
		char where[64];
		uint64_t id;

		if (vm->niothreadpins == DOMXML_MAX_IOTHREADPINS) {
			fail(p, "cputune: too many <iothreadpin> elements (more than %u)",
			     DOMXML_MAX_IOTHREADPINS);
			goto out;
		}
		if (parse_number_attr(p, n, "cputune/iothreadpin", "iothread", true, UINT_MAX,
				      &id) < 0)
			goto out;
		*(unsigned *)array_push(&ids, &vm->niothreadpins, &cap, sizeof(*ids)) =
		    (unsigned)id;
		snprintf(where, sizeof(where), "cputune/iothreadpin[iothread=%u]", (unsigned)id);
		if (set_attr(p, n, where, "cpuset", VM_MAX_CPU_ID, SET_REQUIRED | SET_NONEMPTY,
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

static int parse_cputune(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr tune = child(dom, "cputune"), n;
	struct cpuset *seen;
	int r;

	if (tune == NULL)
		return 0;
	seen = cpuset_new(VM_MAX_VCPUS);
	r = parse_vcpupins(p, tune, seen);
	cpuset_free(seen);
	if (r < 0 || parse_iothreadpins(p, tune) < 0)
		return -1;
	n = child(tune, "emulatorpin");
	if (n == NULL)
		return 0;
	if (next_sibling(n) != NULL)
		return fail(p, "cputune: more than one <emulatorpin>");
	return set_attr(p, n, "cputune/emulatorpin", "cpuset", VM_MAX_CPU_ID,
			SET_REQUIRED | SET_NONEMPTY, &p->vm->emulatorpin);
}

/* ---------------------------------------------------------------- guest NUMA */

static int parse_cell(struct mapper *p, xmlNodePtr n, size_t pos, struct cpuset *seen)
{
	struct vm *vm = p->vm;
	struct cell *c = &vm->cells[vm->ncells - 1];
	char where[64];
	uint64_t id = pos;

	if (parse_number_attr(p, n, "cpu/numa/cell", "id", false, CPUSET_MAX_NODES - 1, &id) < 0)
		return -1;
	if (id >= CPUSET_MAX_NODES) /* a position: cell ids index guest nodesets */
		return fail(p, "cpu/numa: more than %u cells", CPUSET_MAX_NODES);
	c->id = (unsigned)id;
	snprintf(where, sizeof(where), "cpu/numa/cell[id=%u]", c->id);
	if (cpuset_test(seen, c->id))
		return fail(p, "%s: duplicate id", where);
	cpuset_set(seen, c->id);
	if (set_attr(p, n, where, "cpus", VM_MAX_VCPUS, SET_OPTIONAL, &c->cpus) < 0)
		return -1;
	if (c->cpus == NULL)
		c->cpus = cpuset_new(VM_MAX_VCPUS); /* a CPU-less (memory-only) cell */
	if (prop(p, n, "memory") == NULL)
		return fail(p, "%s: missing memory", where);
	return scaled_bytes(p, where, prop(p, n, "memory"), prop(p, n, "unit"), &c->memory);
}

static int parse_cells(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n = child(child(child(dom, "cpu"), "numa"), "cell");
	struct cpuset *seen = cpuset_new(CPUSET_MAX_NODES);
	size_t cap = 0, pos;
	int r = 0;

	for (pos = 0; n != NULL && r == 0; n = next_sibling(n), pos++) {
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

static int parse_memnode(struct mapper *p, xmlNodePtr n, struct cpuset *seen,
			 const struct cpuset *cellids, size_t *cap)
{
	struct vm *vm = p->vm;
	struct memnode *m;
	char where[64];
	uint64_t id;

	if (parse_number_attr(p, n, "numatune/memnode", "cellid", true, CPUSET_MAX_NODES - 1, &id) <
	    0)
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
static int parse_memnodes(struct mapper *p, xmlNodePtr tune)
{
	struct cpuset *seen = cpuset_new(CPUSET_MAX_NODES);
	struct cpuset *cellids = cpuset_new(CPUSET_MAX_NODES);
	size_t cap = 0, i;
	xmlNodePtr n;
	int r = 0;

	for (i = 0; i < p->vm->ncells; i++)
		cpuset_set(cellids, p->vm->cells[i].id);
	for (n = child(tune, "memnode"); n != NULL && r == 0; n = next_sibling(n))
		r = parse_memnode(p, n, seen, cellids, &cap);
	cpuset_free(cellids);
	cpuset_free(seen);
	return r;
}

/* <numatune><memory>, with libvirt's implied placement (virDomainNumatuneSet): no placement
 * and no nodeset follows <vcpu placement>; placement='auto' drops any nodeset. */
static int parse_numatune_memory(struct mapper *p, xmlNodePtr n)
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

static int parse_numatune(struct mapper *p, xmlNodePtr dom)
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

/* <memory> absent: libvirt's total is the cells' sum plus every memory device
 * (virDomainDefPostParseMemory); without cells there is no size at all. */
static int memory_from_cells(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	uint64_t sum = 0;
	size_t i;

	if (vm->has_memory)
		return 0;
	if (vm->ncells == 0)
		return fail(p, "domain: missing <memory> and no <cpu><numa> cells");
	for (i = 0; i < vm->ncells; i++)
		if (__builtin_add_overflow(sum, vm->cells[i].memory, &sum))
			sum = UINT64_MAX;
	for (i = 0; i < vm->nmemdevs; i++)
		if (__builtin_add_overflow(sum, vm->memdevs[i].size, &sum))
			sum = UINT64_MAX;
	vm->memory = sum;
	if (child(dom, "currentMemory") == NULL)
		vm->current_memory = sum;
	return 0;
}

static int memdev_model(struct mapper *p, const char *where, const char *s,
			enum memdev_model *out)
{
	static const char *const names[] = {"dimm", "virtio-mem", "nvdimm", "virtio-pmem",
					    "sgx-epc"};
	char v[48];
	size_t i;

	*out = MEMDEV_DIMM; /* before libvirt required the model, a device was a DIMM */
	if (s == NULL)
		return 0;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum memdev_model)i;
			return 0;
		}
	}
	str_ascii_copy(v, sizeof(v), s, 40);
	return fail(p, "%s: unknown model '%s'", where, v);
}

/* An optional size element below parent: 0 when absent. */
static int opt_bytes(struct mapper *p, const char *where, xmlNodePtr parent, const char *name,
		     uint64_t *out)
{
	xmlNodePtr n = child(parent, name);

	*out = 0;
	if (n == NULL)
		return 0;
	return scaled_bytes(p, where, node_text(p, n), prop(p, n, "unit"), out);
}

/* <source><nodemask>/<pagesize>: a backend of its own (qemuBuildMemoryBackendProps). */
static int memdev_source(struct mapper *p, const char *where, xmlNodePtr src, struct memdev *d)
{
	xmlNodePtr mask = child(src, "nodemask");

	if (mask != NULL && set_value(p, where, "nodemask", node_text(p, mask), CPUSET_MAX_NODES,
				      SET_NONEMPTY, &d->nodemask) < 0)
		return -1;
	if (opt_bytes(p, where, src, "pagesize", &d->page_kib) < 0)
		return -1;
	if (d->page_kib % 1024 != 0)
		return fail(p, "%s: pagesize is not a multiple of 1 KiB", where);
	d->page_kib /= 1024;
	return 0;
}

static int parse_memdev(struct mapper *p, xmlNodePtr n, struct memdev *d, const char *where)
{
	xmlNodePtr target = child(n, "target"), size = child(target, "size");
	xmlNodePtr node = child(target, "node");
	char tw[80], sw[80];
	uint64_t v;

	snprintf(tw, sizeof(tw), "%s/target", where);
	snprintf(sw, sizeof(sw), "%s/source", where);
	d->node = -1;
	if (memdev_model(p, where, prop(p, n, "model"), &d->model) < 0)
		return -1;
	if (size == NULL)
		return fail(p, "%s: missing <size>", tw);
	if (scaled_bytes(p, tw, node_text(p, size), prop(p, size, "unit"), &d->size) < 0)
		return -1;
	d->plugged = d->size;
	if (d->model == MEMDEV_VIRTIO_MEM) {
		/* what the guest has: the status file's <current>, else what was asked for */
		if (opt_bytes(p, tw, target, "current", &d->plugged) < 0)
			return -1;
		if (child(target, "current") == NULL &&
		    opt_bytes(p, tw, target, "requested", &d->plugged) < 0)
			return -1;
	}
	if (node != NULL) {
		if (parse_number(p, tw, "node", node_text(p, node), true, INT_MAX, &v) < 0)
			return -1;
		d->node = (int)v;
	}
	return memdev_source(p, sw, child(n, "source"), d);
}

static int parse_memdevs(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n;
	size_t cap = 0;

	for (n = child(child(dom, "devices"), "memory"); n != NULL; n = next_sibling(n)) {
		char where[64];

		if (vm->nmemdevs == DOMXML_MAX_MEMDEVS)
			return fail(p, "devices: too many <memory> elements (more than %u)",
				    DOMXML_MAX_MEMDEVS);
		snprintf(where, sizeof(where), "devices/memory[%zu]", vm->nmemdevs + 1);
		array_push(&vm->memdevs, &vm->nmemdevs, &cap, sizeof(*vm->memdevs));
		if (parse_memdev(p, n, &vm->memdevs[vm->nmemdevs - 1], where) < 0)
			return -1;
	}
	return memory_from_cells(p, dom);
}

/* ---------------------------------------------------------------- passthrough devices */

/* One attribute of a host PCI address, read as libvirt reads it (C base-0 syntax); absent = 0,
 * as in libvirt. */
static int pci_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		    uint64_t max, uint64_t *out)
{
	const char *s = prop(p, n, attr);
	char e[ERRLEN], v[48];

	*out = 0;
	if (s == NULL)
		return 0;
	if (pci_number_parse(s, max, out, e, sizeof(e)) == 0)
		return 0;
	str_ascii_copy(v, sizeof(v), s, 40);
	return fail(p, "%s: %s '%s': %s", where, attr, v, e);
}

/* <source><address domain bus slot function> of a PCI hostdev or a hostdev interface. */
static int pci_source(struct mapper *p, xmlNodePtr dev, const char *where, struct pci_addr *a)
{
	xmlNodePtr n = child(child(dev, "source"), "address");
	const char *type;
	uint64_t d, b, s, f;

	if (n == NULL)
		return fail(p, "%s: missing <source><address>", where);
	type = prop(p, n, "type");
	if (type != NULL && strcmp(type, "pci") != 0)
		return fail(p, "%s/source/address: type is not pci", where);
	if (pci_attr(p, n, where, "domain", UINT32_MAX, &d) < 0 ||
	    pci_attr(p, n, where, "bus", 0xff, &b) < 0 ||
	    pci_attr(p, n, where, "slot", 0x1f, &s) < 0 ||
	    pci_attr(p, n, where, "function", 7, &f) < 0)
		return -1;
	*a = (struct pci_addr){(uint32_t)d, (unsigned)b, (unsigned)s, (unsigned)f};
	return 0;
}

/* <source><address uuid> of a mediated device. */
static int mdev_source(struct mapper *p, xmlNodePtr dev, const char *where, char *uuid)
{
	xmlNodePtr n = child(child(dev, "source"), "address");
	const char *s = n != NULL ? prop(p, n, "uuid") : NULL;

	if (s == NULL)
		return fail(p, "%s: missing <source><address uuid>", where);
	if (uuid_canonical(s, uuid) < 0)
		return fail(p, "%s/source/address: uuid is not 32 hex digits", where);
	return 0;
}

/* The kind of device a <hostdev> is, 0 for one that is not a PCI device (usb, scsi,
 * scsi_host, mode='capabilities'), -1 on error. mode defaults to subsystem, as in libvirt. */
static int hostdev_kind(struct mapper *p, xmlNodePtr n, const char *where)
{
	const char *mode = prop(p, n, "mode"), *type = prop(p, n, "type");

	if (mode != NULL && strcmp(mode, "capabilities") == 0)
		return 0;
	if (mode != NULL && strcmp(mode, "subsystem") != 0)
		return fail(p, "%s: unknown mode", where);
	if (type == NULL)
		return fail(p, "%s: missing type", where);
	if (strcmp(type, "pci") == 0)
		return DEV_KIND_PCI;
	if (strcmp(type, "mdev") == 0)
		return DEV_KIND_MDEV;
	return 0;
}

static struct vm_dev *push_dev(struct mapper *p, size_t *cap, enum dev_kind kind)
{
	struct vm_dev *d = array_push(&p->vm->devs, &p->vm->ndevs, cap, sizeof(*d));

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	return d;
}

static int parse_hostdev(struct mapper *p, xmlNodePtr n, size_t nth, size_t *cap)
{
	char where[64];
	int kind;

	snprintf(where, sizeof(where), "devices/hostdev[%zu]", nth);
	kind = hostdev_kind(p, n, where);
	if (kind <= 0)
		return kind;
	if (kind == DEV_KIND_MDEV)
		return mdev_source(p, n, where, push_dev(p, cap, DEV_KIND_MDEV)->uuid);
	return pci_source(p, n, where, &push_dev(p, cap, DEV_KIND_PCI)->addr);
}

static int parse_interface(struct mapper *p, xmlNodePtr n, size_t nth, size_t *cap)
{
	const char *type = prop(p, n, "type");
	char where[64];

	if (type == NULL || strcmp(type, "hostdev") != 0)
		return 0;
	snprintf(where, sizeof(where), "devices/interface[%zu]", nth);
	return pci_source(p, n, where, &push_dev(p, cap, DEV_KIND_PCI)->addr);
}

/* <hostdev> and <interface type='hostdev'>, in document order (numaVmDeviceIndex). */
static int parse_passthrough(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr devs = child(dom, "devices"), n;
	size_t nhostdev = 0, niface = 0, cap = 0;

	for (n = devs != NULL ? devs->children : NULL; n != NULL; n = n->next) {
		int r = 0;

		if (is_elem(n, "hostdev")) {
			if (nhostdev == DOMXML_MAX_HOSTDEVS)
				return fail(p, "devices: too many <hostdev> elements (more than %u)",
					    DOMXML_MAX_HOSTDEVS);
			r = parse_hostdev(p, n, ++nhostdev, &cap);
		} else if (is_elem(n, "interface")) {
			if (niface == DOMXML_MAX_HOSTDEVS)
				return fail(p,
					    "devices: too many <interface> elements (more than %u)",
					    DOMXML_MAX_HOSTDEVS);
			r = parse_interface(p, n, ++niface, &cap);
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

static int parse_page(struct mapper *p, xmlNodePtr n, struct hugepage *hp)
{
	char where[64];
	const char *size = prop(p, n, "size");
	uint64_t bytes;

	snprintf(where, sizeof(where), "memoryBacking/hugepages/page[%zu]", p->vm->npages);
	if (size == NULL)
		return fail(p, "%s: missing size", where);
	if (scaled_bytes(p, where, size, prop(p, n, "unit"), &bytes) < 0)
		return -1;
	if (bytes == 0 || bytes % 1024 != 0)
		return fail(p, "%s: size %llu bytes is not a positive multiple of 1 KiB", where,
			    (unsigned long long)bytes);
	hp->size_kib = bytes / 1024;
	return set_attr(p, n, where, "nodeset", CPUSET_MAX_NODES, SET_OPTIONAL, &hp->nodeset);
}

static int parse_hugepages(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr hp = child(child(dom, "memoryBacking"), "hugepages"), n;
	size_t cap = 0;

	if (hp == NULL)
		return 0;
	vm->hugepages = true;
	for (n = child(hp, "page"); n != NULL; n = next_sibling(n)) {
		struct hugepage *page;

		if (vm->npages == DOMXML_MAX_PAGES)
			return fail(p,
				    "memoryBacking/hugepages: too many <page> elements (more than "
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
static int parse_domain(struct mapper *p, xmlNodePtr dom)
{
	if (parse_ident(p, dom) < 0 || parse_memory(p, dom) < 0 || parse_vcpu(p, dom) < 0 ||
	    parse_vcpus_list(p, dom) < 0 || parse_cputune(p, dom) < 0 || parse_cells(p, dom) < 0 ||
	    parse_numatune(p, dom) < 0 || parse_memdevs(p, dom) < 0 ||
	    parse_passthrough(p, dom) < 0 || parse_hugepages(p, dom) < 0)
		return -1;
	parse_nova(p, dom);
	return 0;
}

/* <domstatus><vcpus><vcpu id pid>: QEMU's vCPU thread ids, private to the status file. */
static int parse_tids(struct mapper *p, xmlNodePtr st)
{
	struct vm *vm = p->vm;
	xmlNodePtr n;
	size_t cap = 0;

	for (n = child(child(st, "vcpus"), "vcpu"); n != NULL; n = next_sibling(n)) {
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
		if (parse_number_attr(p, n, where, "pid", true, UINT64_MAX, &t->tid) < 0)
			return -1;
	}
	return 0;
}

static int parse_status(struct mapper *p, xmlNodePtr st)
{
	struct vm *vm = p->vm;
	xmlNodePtr numad = child(st, "numad");
	const char *reason = prop(p, st, "reason");

	vm->is_status = true;
	vm->state = state_from(prop(p, st, "state"));
	if (reason != NULL)
		vm->reason = xstrdup(reason);
	if (parse_number_attr(p, st, "domstatus", "pid", false, UINT64_MAX, &vm->pid) < 0 ||
	    parse_tids(p, st) < 0)
		return -1;
	if (numad == NULL)
		return 0;
	if (set_attr(p, numad, "domstatus/numad", "nodeset", CPUSET_MAX_NODES, SET_OPTIONAL,
		     &vm->numad_nodeset) < 0)
		return -1;
	return set_attr(p, numad, "domstatus/numad", "cpuset", VM_MAX_CPU_ID, SET_OPTIONAL,
			&vm->numad_cpuset);
}

static int parse_root(struct mapper *p, xmlNodePtr root)
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
	str_ascii_copy(name, sizeof(name), (const char *)root->name, 40);
	return fail(p, "root element is <%s>%s, not <domain> or <domstatus>", name,
		    root->ns != NULL ? " in a namespace" : "");
}

/* ---------------------------------------------------------------- what libxml2 builds */

/* Only the parts parse_root() looks at become tree nodes (xmlsafe_filter): a status file is ~80%
 * <qemuCaps><flag>, and <devices> holds disks, NICs and <graphics passwd>: of a <hostdev> or an
 * <interface> only the element and its <source><address> are built. Building (and freeing)
 * those nodes was most of a rebuild's cost; and a password never reaches the tree. */
enum kept {
	KEPT_ALL = XMLSAFE_BUILD_ALL, /* the element and everything under it */
	KEPT_STATUS,		      /* <domstatus>: only <domain>, <vcpus>, <numad> below */
	KEPT_DOMAIN,		      /* <domain>: only the children parse_domain() reads */
	KEPT_DEVICES,		      /* <domain><devices>: only <memory>, <hostdev>, <interface> */
	KEPT_PASSTHROUGH,	      /* <hostdev>, <interface>: only <source> */
	KEPT_SOURCE,		      /* their <source>: only <address> */
	KEPT_NONE,		      /* that <address>: nothing below */
};

/* root, domain, devices, hostdev, source, address (a status file's <domstatus> root first) */
_Static_assert(XMLSAFE_FILTER_LEVELS >= 6, "the filter needs six levels of kinds");

static bool name_in(const char *name, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

/* How an element starting under a parent of kind parent is kept; false = not built. The names
 * are those parse_root() and its callees look up (child() wants no namespace). */
static bool build_filter(int parent, bool is_root, const char *name, const char *uri, int *kind)
{
	static const char *const status[] = {"vcpus", "numad", NULL};
	static const char *const domain[] = {
	    "name",  "uuid",	"metadata", "memory",	"currentMemory", "vcpu",
	    "vcpus", "cputune", "cpu",	    "numatune", "memoryBacking", "os", NULL};

	*kind = KEPT_ALL;
	if (is_root) {
		if (uri == NULL && strcmp(name, "domstatus") == 0)
			*kind = KEPT_STATUS;
		else if (uri == NULL && strcmp(name, "domain") == 0)
			*kind = KEPT_DOMAIN;
		return true; /* any other root: kept whole, parse_root() names it in its error */
	}
	switch (parent) {
	case KEPT_STATUS:
		if (uri == NULL && strcmp(name, "domain") == 0) {
			*kind = KEPT_DOMAIN;
			return true;
		}
		return uri == NULL && name_in(name, status);
	case KEPT_DOMAIN:
		if (uri == NULL && strcmp(name, "devices") == 0) {
			*kind = KEPT_DEVICES;
			return true;
		}
		return uri == NULL && name_in(name, domain);
	case KEPT_DEVICES:
		if (uri == NULL && (strcmp(name, "hostdev") == 0 || strcmp(name, "interface") == 0))
			*kind = KEPT_PASSTHROUGH;
		return uri == NULL && (strcmp(name, "memory") == 0 || *kind == KEPT_PASSTHROUGH);
	case KEPT_PASSTHROUGH:
		*kind = KEPT_SOURCE;
		return uri == NULL && strcmp(name, "source") == 0;
	case KEPT_SOURCE:
		*kind = KEPT_NONE;
		return uri == NULL && strcmp(name, "address") == 0;
	case KEPT_NONE:
		return false;
	}
	return true; /* KEPT_ALL */
}

/* ---------------------------------------------------------------- entry points */

/* The tree into a new struct vm; frees doc. */
static int map_doc(xmlDocPtr doc, struct vm **out, char *err, size_t errlen)
{
	struct mapper p = {.err = err, .errlen = errlen};
	size_t i;
	int r = -1;

	p.vm = xcalloc(1, sizeof(*p.vm));
	p.vm->id = -1;
	p.vm->mem_mode = MEM_MODE_STRICT;
	if (parse_root(&p, xmlDocGetRootElement(doc)) == 0) {
		*out = p.vm;
		p.vm = NULL;
		r = 0;
	} else {
		str_ascii(err, errlen);
	}
	for (i = 0; i < p.nstrs; i++)
		xmlFree(p.strs[i]);
	free(p.strs);
	vm_free(p.vm);
	xmlFreeDoc(doc);
	return r;
}

int domxml_parse_buffer(const char *buf, size_t len, struct vm **out, char *err, size_t errlen)
{
	xmlDocPtr doc = xmlsafe_parse_buffer(buf, len, build_filter, err, errlen);

	*out = NULL;
	return doc != NULL ? map_doc(doc, out, err, errlen) : -1;
}

xmlDocPtr domxml_parse_tree(const char *buf, size_t len, char *err, size_t errlen)
{
	return xmlsafe_parse_buffer(buf, len, build_filter, err, errlen);
}

int domxml_parse_file(const char *path, size_t max, struct vm **out, char *err, size_t errlen)
{
	xmlDocPtr doc = xmlsafe_parse_file(path, max, build_filter, err, errlen);

	*out = NULL;
	return doc != NULL ? map_doc(doc, out, err, errlen) : -1;
}
