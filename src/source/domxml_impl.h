/* SPDX-License-Identifier: BSD-3-Clause */
/* domxml_impl.h: what the files of the domain mapper share (domxml.c the domain and its status,
 * domxml_nodes.c reading libxml2 nodes into values, domxml_devices.c the <devices> it reads). */
#ifndef NUMATOPD_DOMXML_IMPL_H
#define NUMATOPD_DOMXML_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "core/cpuset.h"
#include "core/vm.h"

/* Mapping state: the vm being filled, where errors go, and libxml2 strings to free at the end
 * (so no error path has to remember them). */
struct mapper {
	struct vm *vm;
	char *err;
	size_t errlen;
	xmlChar **strs;
	size_t nstrs, capstrs;
};

/* domxml_set_value() flags */
enum { SET_OPTIONAL = 0, SET_REQUIRED = 1, SET_NONEMPTY = 2 };

int domxml_fail(struct mapper *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hold a string libxml2 allocated until the parse ends, so no error path has to free it. */
const char *domxml_free_later(struct mapper *p, xmlChar *s);
/* An attribute without namespace, as libvirt reads them; NULL when absent. */
const char *domxml_prop(struct mapper *p, xmlNodePtr n, const char *name);
const char *domxml_text(struct mapper *p, xmlNodePtr n);
/* libvirt's own elements carry no namespace; <qemu:commandline> and metadata do. */
bool domxml_is_elem(xmlNodePtr n, const char *name);
xmlNodePtr domxml_first_from(xmlNodePtr n, const char *name);
/* The first element child of n named name, or NULL; n may be NULL. */
xmlNodePtr domxml_child(xmlNodePtr n, const char *name);
/* The next sibling with the same name: for (c = domxml_child(n, "x"); c; c = domxml_next(c)). */
xmlNodePtr domxml_next(xmlNodePtr c);
/* An unsigned number in string s (NULL = absent). Returns 1 when present, 0 when absent and
 * optional, -1 on error. */
int domxml_number(struct mapper *p, const char *where, const char *what, const char *s,
		  bool required, uint64_t max, uint64_t *out);
int domxml_number_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		       bool required, uint64_t max, uint64_t *out);
/* A cpuset/nodeset value in libvirt syntax (s NULL: absent). *out stays NULL when absent and
 * optional, and on every error. */
int domxml_set_value(struct mapper *p, const char *where, const char *attr, const char *s,
		     unsigned limit, int flags, struct cpuset **out);
int domxml_set_attr(struct mapper *p, xmlNodePtr n, const char *where, const char *attr,
		    unsigned limit, int flags, struct cpuset **out);
/* <name unit='...'>value</name>, or the value and unit in attributes of one element. */
int domxml_bytes(struct mapper *p, const char *where, const char *value, const char *unit,
		 uint64_t *bytes);

/* <devices>: memory devices with their backends, and passthrough PCI and mdev devices. */
int domxml_parse_memdevs(struct mapper *p, xmlNodePtr dom);
int domxml_parse_passthrough(struct mapper *p, xmlNodePtr dom);
/* <memory> absent: the cells' sum plus every memory device, as libvirt computes it. */
int domxml_memory_from_cells(struct mapper *p, xmlNodePtr dom);

#endif
