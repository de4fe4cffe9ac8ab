/* SPDX-License-Identifier: BSD-3-Clause */
/* domxml_devices.c: the <devices> the mapper reads: memory devices (dimm, virtio-mem, nvdimm,
 * virtio-pmem, sgx-epc) with their backends, and passthrough PCI and mediated devices. */
#include "source/domxml.h"
#include "source/domxml_impl.h"

#include <string.h>

#include "core/pciaddr.h"
#include "core/util.h"
#include "core/uuid.h"

/* <memory> absent: libvirt's total is the cells' sum plus every memory device
 * (virDomainDefPostParseMemory); without cells there is no size at all. */
int domxml_memory_from_cells(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	uint64_t sum = 0;
	size_t i;

	if (vm->has_memory)
		return 0;
	if (vm->ncells == 0)
		return domxml_fail(p, "domain: missing <memory> and no <cpu><numa> cells");
	for (i = 0; i < vm->ncells; i++)
		if (__builtin_add_overflow(sum, vm->cells[i].memory, &sum))
			sum = UINT64_MAX;
	for (i = 0; i < vm->nmemdevs; i++)
		if (__builtin_add_overflow(sum, vm->memdevs[i].size, &sum))
			sum = UINT64_MAX;
	vm->memory = sum;
	if (domxml_child(dom, "currentMemory") == NULL)
		vm->current_memory = sum;
	return 0;
}

static int memdev_model(struct mapper *p, const char *where, const char *s, enum memdev_model *out)
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
	return domxml_fail(p, "%s: unknown model '%s'", where, v);
}

/* An optional size element below parent: 0 when absent. */
static int opt_bytes(struct mapper *p, const char *where, xmlNodePtr parent, const char *name,
		     uint64_t *out)
{
	xmlNodePtr n = domxml_child(parent, name);

	*out = 0;
	if (n == NULL)
		return 0;
	return domxml_bytes(p, where, domxml_text(p, n), domxml_prop(p, n, "unit"), out);
}

/* <source><nodemask>/<pagesize>: a backend of its own (qemuBuildMemoryBackendProps). */
static int memdev_source(struct mapper *p, const char *where, xmlNodePtr src, struct memdev *d)
{
	xmlNodePtr mask = domxml_child(src, "nodemask");

	if (mask != NULL && domxml_set_value(p, where, "nodemask", domxml_text(p, mask),
					     CPUSET_MAX_NODES, SET_NONEMPTY, &d->nodemask) < 0)
		return -1;
	if (opt_bytes(p, where, src, "pagesize", &d->page_kib) < 0)
		return -1;
	if (d->page_kib % 1024 != 0)
		return domxml_fail(p, "%s: pagesize is not a multiple of 1 KiB", where);
	d->page_kib /= 1024;
	return 0;
}

static int parse_memdev(struct mapper *p, xmlNodePtr n, struct memdev *d, const char *where)
{
	xmlNodePtr target = domxml_child(n, "target"), size = domxml_child(target, "size");
	xmlNodePtr node = domxml_child(target, "node");
	char tw[80], sw[80];
	uint64_t v;

	snprintf(tw, sizeof(tw), "%s/target", where);
	snprintf(sw, sizeof(sw), "%s/source", where);
	d->node = -1;
	if (memdev_model(p, where, domxml_prop(p, n, "model"), &d->model) < 0)
		return -1;
	if (size == NULL)
		return domxml_fail(p, "%s: missing <size>", tw);
	if (domxml_bytes(p, tw, domxml_text(p, size), domxml_prop(p, size, "unit"), &d->size) < 0)
		return -1;
	d->plugged = d->size;
	if (d->model == MEMDEV_VIRTIO_MEM) {
		/* what the guest has: the status file's <current>, else what was asked for */
		if (opt_bytes(p, tw, target, "current", &d->plugged) < 0)
			return -1;
		if (domxml_child(target, "current") == NULL &&
		    opt_bytes(p, tw, target, "requested", &d->plugged) < 0)
			return -1;
	}
	if (node != NULL) {
		if (domxml_number(p, tw, "node", domxml_text(p, node), true, INT_MAX, &v) < 0)
			return -1;
		d->node = (int)v;
	}
	return memdev_source(p, sw, domxml_child(n, "source"), d);
}

int domxml_parse_memdevs(struct mapper *p, xmlNodePtr dom)
{
	struct vm *vm = p->vm;
	xmlNodePtr n;
	size_t cap = 0;

	for (n = domxml_child(domxml_child(dom, "devices"), "memory"); n != NULL;
	     n = domxml_next(n)) {
		char where[64];

		if (vm->nmemdevs == DOMXML_MAX_MEMDEVS)
			return domxml_fail(p, "devices: too many <memory> elements (more than %u)",
					   DOMXML_MAX_MEMDEVS);
		snprintf(where, sizeof(where), "devices/memory[%zu]", vm->nmemdevs + 1);
		array_push(&vm->memdevs, &vm->nmemdevs, &cap, sizeof(*vm->memdevs));
		if (parse_memdev(p, n, &vm->memdevs[vm->nmemdevs - 1], where) < 0)
			return -1;
	}
	return domxml_memory_from_cells(p, dom);
}

/* ---------------------------------------------------------------- passthrough devices */

/* One attribute of a host PCI address, read as libvirt reads it (C base-0 syntax); absent = 0,
 * as in libvirt. */
static int pci_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		    uint64_t max, uint64_t *out)
{
	const char *s = domxml_prop(p, n, attr);
	char e[ERRLEN], v[48];

	*out = 0;
	if (s == NULL)
		return 0;
	if (pci_number_parse(s, max, out, e, sizeof(e)) == 0)
		return 0;
	str_ascii_copy(v, sizeof(v), s, 40);
	return domxml_fail(p, "%s: %s '%s': %s", where, attr, v, e);
}

/* <source><address domain bus slot function> of a PCI hostdev or a hostdev interface. */
static int pci_source(struct mapper *p, xmlNodePtr dev, const char *where, struct pci_addr *a)
{
	xmlNodePtr n = domxml_child(domxml_child(dev, "source"), "address");
	const char *type;
	uint64_t d, b, s, f;

	if (n == NULL)
		return domxml_fail(p, "%s: missing <source><address>", where);
	type = domxml_prop(p, n, "type");
	if (type != NULL && strcmp(type, "pci") != 0)
		return domxml_fail(p, "%s/source/address: type is not pci", where);
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
	xmlNodePtr n = domxml_child(domxml_child(dev, "source"), "address");
	const char *s = n != NULL ? domxml_prop(p, n, "uuid") : NULL;

	if (s == NULL)
		return domxml_fail(p, "%s: missing <source><address uuid>", where);
	if (uuid_canonical(s, uuid) < 0)
		return domxml_fail(p, "%s/source/address: uuid is not 32 hex digits", where);
	return 0;
}

/* The kind of device a <hostdev> is, 0 for one that is not a PCI device (usb, scsi,
 * scsi_host, mode='capabilities'), -1 on error. mode defaults to subsystem, as in libvirt. */
static int hostdev_kind(struct mapper *p, xmlNodePtr n, const char *where)
{
	const char *mode = domxml_prop(p, n, "mode"), *type = domxml_prop(p, n, "type");

	if (mode != NULL && strcmp(mode, "capabilities") == 0)
		return 0;
	if (mode != NULL && strcmp(mode, "subsystem") != 0)
		return domxml_fail(p, "%s: unknown mode", where);
	if (type == NULL)
		return domxml_fail(p, "%s: missing type", where);
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

static bool type_is(struct mapper *p, xmlNodePtr n, const char *want)
{
	const char *type = n != NULL ? domxml_prop(p, n, "type") : NULL;

	return type != NULL && strcmp(type, want) == 0;
}

/* An <interface type='hostdev'> names its host device itself. An <interface type='network'>
 * handed a VF by a network pool (<forward mode='hostdev'>) names it only in the status file:
 * <actual type='hostdev'> holds the <source><address> (libvirt's virDomainActualNetDefFormat;
 * its parser reads the first <actual>, and for type='network' only). No <actual> (a config
 * file) or another actual type (a bridge, macvtap) is no device. */
static int parse_interface(struct mapper *p, xmlNodePtr n, size_t nth, size_t *cap)
{
	xmlNodePtr actual = domxml_child(n, "actual");
	char where[64];

	if (type_is(p, n, "hostdev")) {
		snprintf(where, sizeof(where), "devices/interface[%zu]", nth);
		return pci_source(p, n, where, &push_dev(p, cap, DEV_KIND_PCI)->addr);
	}
	if (!type_is(p, n, "network") || !type_is(p, actual, "hostdev"))
		return 0;
	snprintf(where, sizeof(where), "devices/interface[%zu]/actual", nth);
	return pci_source(p, actual, where, &push_dev(p, cap, DEV_KIND_PCI)->addr);
}

/* <hostdev>, <interface type='hostdev'> and a network's VF, in document order
 * (numaVmDeviceIndex). */
int domxml_parse_passthrough(struct mapper *p, xmlNodePtr dom)
{
	xmlNodePtr devs = domxml_child(dom, "devices"), n;
	size_t nhostdev = 0, niface = 0, cap = 0;

	for (n = devs != NULL ? devs->children : NULL; n != NULL; n = n->next) {
		int r = 0;

		if (domxml_is_elem(n, "hostdev")) {
			if (nhostdev == DOMXML_MAX_HOSTDEVS)
				return domxml_fail(
				    p, "devices: too many <hostdev> elements (more than %u)",
				    DOMXML_MAX_HOSTDEVS);
			r = parse_hostdev(p, n, ++nhostdev, &cap);
		} else if (domxml_is_elem(n, "interface")) {
			if (niface == DOMXML_MAX_HOSTDEVS)
				return domxml_fail(
				    p, "devices: too many <interface> elements (more than %u)",
				    DOMXML_MAX_HOSTDEVS);
			r = parse_interface(p, n, ++niface, &cap);
		}
		if (r < 0)
			return -1;
	}
	return 0;
}
