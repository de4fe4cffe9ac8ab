/* SPDX-License-Identifier: BSD-3-Clause */
/* domxml.h: one libvirt domain XML file (a /run/libvirt/qemu status file, <domstatus>
 * wrapping <domain>, or a plain <domain>) parsed into struct vm. Only the NUMA-relevant
 * fields are kept; nothing else from the file (passwords!) ever leaves the parser. */
#ifndef NUMATOPD_DOMXML_H
#define NUMATOPD_DOMXML_H

#include <stddef.h>

#include "core/cpuset.h"
#include "core/vm.h"
#include "source/xmlsafe.h"

#define DOMXML_MAX_SIZE_DEFAULT XMLSAFE_MAX_SIZE_DEFAULT
/* Caps on repeated elements, so one file cannot make us allocate without bound; a file over a
 * cap is rejected. vcpupins and <vcpus><vcpu> are bounded by the vCPU count (one per vCPU). */
#define DOMXML_MAX_IOTHREADPINS VM_MAX_VCPUS
#define DOMXML_MAX_CELLS	CPUSET_MAX_NODES /* cell ids index guest nodesets */
#define DOMXML_MAX_MEMDEVS	256		 /* libvirt's <maxMemory slots> maximum */
#define DOMXML_MAX_PAGES	64		 /* <hugepages><page> elements */
#define DOMXML_MAX_HOSTDEVS	1024		 /* <hostdev> elements; <interface> likewise */

/* Parse a file: size-capped (max bytes, 0 = DOMXML_MAX_SIZE_DEFAULT), opened with
 * O_NONBLOCK|O_NOFOLLOW, regular files only (source/xmlsafe). Returns 0 and *out, or -1 with a
 * one-line reason in err that never quotes file content beyond an element or attribute name. */
int domxml_parse_file(const char *path, size_t max, struct vm **out, char *err, size_t errlen);
/* Parse a buffer (the file's content). Same rules. */
int domxml_parse_buffer(const char *buf, size_t len, struct vm **out, char *err, size_t errlen);

/* The libxml2 tree domxml_parse_buffer() maps, built through the same filter: for tests that
 * check what never reaches the tree. Free it with xmlFreeDoc(); NULL with a reason in err. */
struct _xmlDoc *domxml_parse_tree(const char *buf, size_t len, char *err, size_t errlen);

#endif
