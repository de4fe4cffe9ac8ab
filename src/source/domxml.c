/* SPDX-License-Identifier: BSD-3-Clause */
/* domxml.c: one libvirt domain XML file (status or config) into struct vm: elements found by
 * their path from the root, every value checked. libxml2 itself is behind source/xmlsafe. */
#include "source/domxml.h"
#include "source/domxml_impl.h"

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
	return domxml_fail(p, "%s: unknown mode", where);
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
	domxml_fail(p, "%s: unknown placement", where);
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

	if ((n = domxml_child(dom, "name")) == NULL)
		return domxml_fail(p, "domain: missing <name>");
	s = domxml_text(p, n);
	if (s[0] == '\0')
		return domxml_fail(p, "domain: <name> is empty");
	vm->name = xstrdup(s);
	if ((n = domxml_child(dom, "uuid")) == NULL)
		return domxml_fail(p, "domain: missing <uuid>");
	s = domxml_text(p, n);
	if (s[strspn(s, " \t\r\n")] == '\0')
		return domxml_fail(p, "domain: <uuid> is empty");
	if (uuid_canonical(s, uuid) < 0)
		return domxml_fail(p, "domain: <uuid> is not 32 hex digits (with '-' between pairs)");
	vm->uuid = xstrdup(uuid);
	/* libvirt writes id='N' for running domains only; -1 is its own "no id" value. */
	s = domxml_prop(p, dom, "id");
	if (s != NULL && strcmp(s, "-1") != 0) {
		if (domxml_number(p, "domain", "id", s, true, INT_MAX, &v) < 0)
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
	xmlNodePtr md = domxml_child(dom, "metadata"), inst, n;

	for (inst = md != NULL ? md->children : NULL; inst != NULL; inst = inst->next) {
		if (!is_nova(inst, "instance"))
			continue;
		for (n = inst->children; n != NULL; n = n->next) {
			if (is_nova(n, "name")) {
				p->vm->display_name = xstrdup(domxml_text(p, n));
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
	n = domxml_child(dom, "memory");
	if (n != NULL &&
	    domxml_bytes(p, "memory", domxml_text(p, n), domxml_prop(p, n, "unit"), &vm->memory) < 0)
		return -1;
	vm->has_memory = n != NULL;
	vm->current_memory = vm->memory;
	n = domxml_child(domxml_child(dom, "os"), "type");
	if (n != NULL && (s = domxml_prop(p, n, "arch")) != NULL)
		vm->ppc64 = strncmp(s, "ppc64", 5) == 0;
	n = domxml_child(dom, "currentMemory");
	if (n != NULL && domxml_bytes(p, "currentMemory", domxml_text(p, n), domxml_prop(p, n, "unit"),
				      &vm->current_memory) < 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- vcpus */

static int parse_vcpu(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n = domxml_child(dom, "vcpu");
	uint64_t v;
	int r;

	if (n == NULL)
		return domxml_fail(p, "domain: missing <vcpu>");
	if (domxml_number(p, "vcpu", "count", domxml_text(p, n), true, VM_MAX_VCPUS, &v) < 0)
		return -1;
	if (v == 0)
		return domxml_fail(p, "vcpu: count is 0");
	vm->vcpu_max = vm->vcpu_current = (unsigned)v;
	r = domxml_number_attr(p, n, "vcpu", "current", false, VM_MAX_VCPUS, &v);
	if (r < 0)
		return -1;
	if (r > 0 && (v == 0 || v > vm->vcpu_max))
		return domxml_fail(p, "vcpu: current %llu is not in 1..%u", (unsigned long long)v,
			    vm->vcpu_max);
	if (r > 0)
		vm->vcpu_current = (unsigned)v;
	r = placement_from(p, "vcpu", domxml_prop(p, n, "placement"));
	if (r == -2)
		return -1;
	vm->vcpu_placement_auto = r == 1;
	/* libvirt ignores cpuset under automatic placement: numad decides. */
	if (!vm->vcpu_placement_auto &&
	    domxml_set_attr(p, n, "vcpu", "cpuset", VM_MAX_CPU_ID, SET_NONEMPTY, &vm->vcpu_cpuset) < 0)
		return -1;
	return 0;
}

/* A vCPU id attribute that must name an existing vCPU, once. */
static int vcpu_id(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		   struct cpuset *seen, unsigned *id)
{
	uint64_t v;

	if (domxml_number_attr(p, n, where, attr, true, UINT_MAX, &v) < 0)
		return -1;
	if (v >= p->vm->vcpu_max)
		return domxml_fail(p, "%s[%s=%llu]: vcpu %llu does not exist (vcpu count %u)", where, attr,
			    (unsigned long long)v, (unsigned long long)v, p->vm->vcpu_max);
	if (seen != NULL && cpuset_test(seen, (unsigned)v))
		return domxml_fail(p, "%s[%s=%llu]: duplicate", where, attr, (unsigned long long)v);
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
	en = domxml_prop(p, n, "enabled");
	if (en == NULL || (strcmp(en, "yes") != 0 && strcmp(en, "no") != 0))
		return domxml_fail(p, "vcpus/vcpu[id=%u]: enabled is not yes or no", id);
	ve = array_push(&vm->vcpus, &vm->nvcpus, cap, sizeof(*vm->vcpus));
	ve->id = id;
	ve->enabled = strcmp(en, "yes") == 0;
	return 0;
}

static int parse_vcpus_list(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr list = domxml_child(dom, "vcpus"), n;
	struct cpuset *seen;
	size_t cap = 0;
	int r = 0;

	/* libvirt ignores a <vcpus> without <vcpu>: every vCPU up to current stays online */
	if (domxml_child(list, "vcpu") == NULL)
		return 0;
	p->vm->has_vcpus_list = true;
	seen = cpuset_new(VM_MAX_VCPUS);
	for (n = domxml_child(list, "vcpu"); n != NULL && r == 0; n = domxml_next(n))
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

	for (n = domxml_child(tune, "vcpupin"); n != NULL; n = domxml_next(n)) {
		struct pin *pin;
		char where[64];
		unsigned id;

		if (vcpu_id(p, n, "cputune/vcpupin", "vcpu", seen, &id) < 0)
			return -1;
		pin = array_push(&vm->vcpupins, &vm->nvcpupins, &cap, sizeof(*pin));
		pin->id = id;
		snprintf(where, sizeof(where), "cputune/vcpupin[vcpu=%u]", id);
		if (domxml_set_attr(p, n, where, "cpuset", VM_MAX_CPU_ID, SET_REQUIRED | SET_NONEMPTY,
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

	for (n = domxml_child(tune, "iothreadpin"); n != NULL; n = domxml_next(n)) {
		struct cpuset *cpus;
		char where[64];
		uint64_t id;

		if (vm->niothreadpins == DOMXML_MAX_IOTHREADPINS) {
			domxml_fail(p, "cputune: too many <iothreadpin> elements (more than %u)",
			     DOMXML_MAX_IOTHREADPINS);
			goto out;
		}
		if (domxml_number_attr(p, n, "cputune/iothreadpin", "iothread", true, UINT_MAX,
				      &id) < 0)
			goto out;
		*(unsigned *)array_push(&ids, &vm->niothreadpins, &cap, sizeof(*ids)) =
		    (unsigned)id;
		snprintf(where, sizeof(where), "cputune/iothreadpin[iothread=%u]", (unsigned)id);
		if (domxml_set_attr(p, n, where, "cpuset", VM_MAX_CPU_ID, SET_REQUIRED | SET_NONEMPTY,
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
			domxml_fail(p, "cputune/iothreadpin[iothread=%u]: duplicate", ids[i]);
			goto out;
		}
	r = 0;
out:
	free(ids);
	return r;
}

static int parse_cputune(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr tune = domxml_child(dom, "cputune"), n;
	struct cpuset *seen;
	int r;

	if (tune == NULL)
		return 0;
	seen = cpuset_new(VM_MAX_VCPUS);
	r = parse_vcpupins(p, tune, seen);
	cpuset_free(seen);
	if (r < 0 || parse_iothreadpins(p, tune) < 0)
		return -1;
	n = domxml_child(tune, "emulatorpin");
	if (n == NULL)
		return 0;
	if (domxml_next(n) != NULL)
		return domxml_fail(p, "cputune: more than one <emulatorpin>");
	return domxml_set_attr(p, n, "cputune/emulatorpin", "cpuset", VM_MAX_CPU_ID,
			SET_REQUIRED | SET_NONEMPTY, &p->vm->emulatorpin);
}

/* ---------------------------------------------------------------- guest NUMA */

static int parse_cell(struct mapper *p, xmlNodePtr n, size_t pos, struct cpuset *seen)
{
	struct vm *vm = p->vm;
	struct cell *c = &vm->cells[vm->ncells - 1];
	char where[64];
	uint64_t id = pos;

	if (domxml_number_attr(p, n, "cpu/numa/cell", "id", false, CPUSET_MAX_NODES - 1, &id) < 0)
		return -1;
	if (id >= CPUSET_MAX_NODES) /* a position: cell ids index guest nodesets */
		return domxml_fail(p, "cpu/numa: more than %u cells", CPUSET_MAX_NODES);
	c->id = (unsigned)id;
	snprintf(where, sizeof(where), "cpu/numa/cell[id=%u]", c->id);
	if (cpuset_test(seen, c->id))
		return domxml_fail(p, "%s: duplicate id", where);
	cpuset_set(seen, c->id);
	if (domxml_set_attr(p, n, where, "cpus", VM_MAX_VCPUS, SET_OPTIONAL, &c->cpus) < 0)
		return -1;
	if (c->cpus == NULL)
		c->cpus = cpuset_new(VM_MAX_VCPUS); /* a CPU-less (memory-only) cell */
	if (domxml_prop(p, n, "memory") == NULL)
		return domxml_fail(p, "%s: missing memory", where);
	return domxml_bytes(p, where, domxml_prop(p, n, "memory"), domxml_prop(p, n, "unit"), &c->memory);
}

static int parse_cells(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n = domxml_child(domxml_child(domxml_child(dom, "cpu"), "numa"), "cell");
	struct cpuset *seen = cpuset_new(CPUSET_MAX_NODES);
	size_t cap = 0, pos;
	int r = 0;

	for (pos = 0; n != NULL && r == 0; n = domxml_next(n), pos++) {
		if (vm->ncells == DOMXML_MAX_CELLS) {
			r = domxml_fail(p, "cpu/numa: too many <cell> elements (more than %u)",
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

	if (domxml_number_attr(p, n, "numatune/memnode", "cellid", true, CPUSET_MAX_NODES - 1, &id) <
	    0)
		return -1;
	snprintf(where, sizeof(where), "numatune/memnode[cellid=%u]", (unsigned)id);
	if (cpuset_test(seen, (unsigned)id))
		return domxml_fail(p, "%s: duplicate", where);
	cpuset_set(seen, (unsigned)id);
	/* libvirt refuses a memnode for a cell that does not exist, as we do */
	if (!cpuset_test(cellids, (unsigned)id))
		return domxml_fail(p, "%s: no guest NUMA cell %u", where, (unsigned)id);
	m = array_push(&vm->memnodes, &vm->nmemnodes, cap, sizeof(*m));
	m->cellid = (unsigned)id;
	if (mode_from(p, where, domxml_prop(p, n, "mode"), &m->mode) < 0)
		return -1;
	return domxml_set_attr(p, n, where, "nodeset", CPUSET_MAX_NODES, SET_NONEMPTY, &m->nodeset);
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
	for (n = domxml_child(tune, "memnode"); n != NULL && r == 0; n = domxml_next(n))
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
	if (mode_from(p, "numatune/memory", domxml_prop(p, n, "mode"), &vm->mem_mode) < 0)
		return -1;
	placement = placement_from(p, "numatune/memory", domxml_prop(p, n, "placement"));
	if (placement == -2)
		return -1;
	if (domxml_set_attr(p, n, "numatune/memory", "nodeset", CPUSET_MAX_NODES, SET_NONEMPTY,
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
	xmlNodePtr tune = domxml_child(dom, "numatune"), mem = domxml_child(tune, "memory");

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


static int parse_page(struct mapper *p, xmlNodePtr n, struct hugepage *hp)
{
	char where[64];
	const char *size = domxml_prop(p, n, "size");
	uint64_t bytes;

	snprintf(where, sizeof(where), "memoryBacking/hugepages/page[%zu]", p->vm->npages);
	if (size == NULL)
		return domxml_fail(p, "%s: missing size", where);
	if (domxml_bytes(p, where, size, domxml_prop(p, n, "unit"), &bytes) < 0)
		return -1;
	if (bytes == 0 || bytes % 1024 != 0)
		return domxml_fail(p, "%s: size %llu bytes is not a positive multiple of 1 KiB", where,
			    (unsigned long long)bytes);
	hp->size_kib = bytes / 1024;
	return domxml_set_attr(p, n, where, "nodeset", CPUSET_MAX_NODES, SET_OPTIONAL, &hp->nodeset);
}

static int parse_hugepages(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr hp = domxml_child(domxml_child(dom, "memoryBacking"), "hugepages"), n;
	size_t cap = 0;

	if (hp == NULL)
		return 0;
	vm->hugepages = true;
	for (n = domxml_child(hp, "page"); n != NULL; n = domxml_next(n)) {
		struct hugepage *page;

		if (vm->npages == DOMXML_MAX_PAGES)
			return domxml_fail(p,
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
	    parse_numatune(p, dom) < 0 || domxml_parse_memdevs(p, dom) < 0 ||
	    domxml_parse_passthrough(p, dom) < 0 || parse_hugepages(p, dom) < 0)
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

	for (n = domxml_child(domxml_child(st, "vcpus"), "vcpu"); n != NULL; n = domxml_next(n)) {
		struct vcpu_tid *t;
		char where[64];
		unsigned id;

		if (vm->ntids == vm->vcpu_max)
			return domxml_fail(p, "domstatus/vcpus: more <vcpu> elements than vCPUs (%u)",
				    vm->vcpu_max);
		if (vcpu_id(p, n, "domstatus/vcpus/vcpu", "id", NULL, &id) < 0)
			return -1;
		snprintf(where, sizeof(where), "domstatus/vcpus/vcpu[id=%u]", id);
		t = array_push(&vm->tids, &vm->ntids, &cap, sizeof(*t));
		t->id = id;
		if (domxml_number_attr(p, n, where, "pid", true, UINT64_MAX, &t->tid) < 0)
			return -1;
	}
	return 0;
}

static int parse_status(struct mapper *p, xmlNodePtr st)
{
	struct vm *vm = p->vm;
	xmlNodePtr numad = domxml_child(st, "numad");
	const char *reason = domxml_prop(p, st, "reason");

	vm->is_status = true;
	vm->state = state_from(domxml_prop(p, st, "state"));
	if (reason != NULL)
		vm->reason = xstrdup(reason);
	if (domxml_number_attr(p, st, "domstatus", "pid", false, UINT64_MAX, &vm->pid) < 0 ||
	    parse_tids(p, st) < 0)
		return -1;
	if (numad == NULL)
		return 0;
	if (domxml_set_attr(p, numad, "domstatus/numad", "nodeset", CPUSET_MAX_NODES, SET_OPTIONAL,
		     &vm->numad_nodeset) < 0)
		return -1;
	return domxml_set_attr(p, numad, "domstatus/numad", "cpuset", VM_MAX_CPU_ID, SET_OPTIONAL,
			&vm->numad_cpuset);
}

static int parse_root(struct mapper *p, xmlNodePtr root)
{
	char name[48];
	xmlNodePtr dom;

	if (domxml_is_elem(root, "domstatus")) {
		if ((dom = domxml_child(root, "domain")) == NULL)
			return domxml_fail(p, "domstatus has no <domain>");
		if (parse_domain(p, dom) < 0)
			return -1;
		return parse_status(p, root); /* after the domain: it knows the vCPU count */
	}
	if (domxml_is_elem(root, "domain")) {
		p->vm->state = VM_STATE_DEFINED;
		return parse_domain(p, root);
	}
	str_ascii_copy(name, sizeof(name), (const char *)root->name, 40);
	return domxml_fail(p, "root element is <%s>%s, not <domain> or <domstatus>", name,
		    root->ns != NULL ? " in a namespace" : "");
}

/* ---------------------------------------------------------------- what libxml2 builds */

/* Only the parts parse_root() looks at become tree nodes (xmlsafe_filter): a status file is ~80%
 * <qemuCaps><flag>, and <devices> holds disks, NICs and <graphics passwd>: of a <hostdev> or an
 * <interface> only the element and its <source><address> are built, and of an interface's
 * <actual> (a network pool's VF) its <source><address>. Building (and freeing) those nodes was
 * most of a rebuild's cost; and a password never reaches the tree. */
enum kept {
	KEPT_ALL = XMLSAFE_BUILD_ALL, /* the element and everything under it */
	KEPT_STATUS,		      /* <domstatus>: only <domain>, <vcpus>, <numad> below */
	KEPT_DOMAIN,		      /* <domain>: only the children parse_domain() reads */
	KEPT_DEVICES,		      /* <domain><devices>: only <memory>, <hostdev>, <interface> */
	KEPT_INTERFACE,		      /* <interface>: only <source> and <actual> */
	KEPT_PASSTHROUGH,	      /* <hostdev>, an interface's <actual>: only <source> */
	KEPT_SOURCE,		      /* their <source>: only <address> */
	KEPT_NONE,		      /* that <address>: nothing below */
};

/* root, domain, devices, interface, actual, source, address (a status file's <domstatus> root
 * first): every level's kind is remembered, so nothing below that <address> is built */
_Static_assert(XMLSAFE_FILTER_LEVELS >= 7, "the filter needs seven levels of kinds");

static bool name_in(const char *name, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

/* How an element starting under a parent of kind parent is kept; false = not built. The names
 * are those parse_root() and its callees look up (domxml_child() wants no namespace). */
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
		if (uri == NULL && strcmp(name, "hostdev") == 0)
			*kind = KEPT_PASSTHROUGH;
		else if (uri == NULL && strcmp(name, "interface") == 0)
			*kind = KEPT_INTERFACE;
		return uri == NULL && (strcmp(name, "memory") == 0 || *kind != KEPT_ALL);
	case KEPT_INTERFACE:
		if (uri == NULL && strcmp(name, "actual") == 0) {
			*kind = KEPT_PASSTHROUGH;
			return true;
		}
		*kind = KEPT_SOURCE;
		return uri == NULL && strcmp(name, "source") == 0;
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
