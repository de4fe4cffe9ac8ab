/* SPDX-License-Identifier: BSD-3-Clause */
/* vmindex.h: the VM index map, UUID -> numaVmIndex, kept across restarts so that a VM keeps
 * its row (README, "VM index"). Pure data: src/source/statefile.c reads and writes it. */
#ifndef NUMATOPD_VMINDEX_H
#define NUMATOPD_VMINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/uuid.h"

/* The map's bound: a host that saw more distinct VMs forgets the longest-unseen absent ones.
 * 65536 lines of at most VMINDEX_LINE_MAX octets bound the state file to 4 MiB. */
#define VMINDEX_MAX_ENTRIES 65536
#define VMINDEX_INDEX_MAX   2147483647u /* numaVmIndex is 1..2^31-1 */

struct vmindex_entry {
	char uuid[UUID_STRLEN + 1]; /* canonical: lowercase 8-4-4-4-12 */
	uint32_t index;
	int64_t last_seen; /* seconds since the epoch: the last build the VM was in */
};

struct vmindex {
	struct vmindex_entry *e; /* in the order added */
	size_t n, cap;
	size_t *by_uuid, *by_index; /* open addressing over e: position + 1, 0 = empty */
	size_t mask;		    /* table size - 1 */
	bool changed; /* an entry added or dropped since vmindex_saved() */
	bool touched; /* a last_seen moved since vmindex_saved() */
	uint64_t edits; /* bumped by every add and drop: equal counts, the same entries */
};

struct vmindex *vmindex_new(void);
void vmindex_free(struct vmindex *m);

/* Add an entry. -1 with one sentence in err when uuid is not canonical, index is outside
 * 1..2^31-1, either is already in the map, or the map is full. */
int vmindex_add(struct vmindex *m, const char *uuid, uint32_t index, int64_t last_seen,
		char *err, size_t errlen);

/* The entry of uuid / of index, NULL when none. */
struct vmindex_entry *vmindex_find_uuid(const struct vmindex *m, const char *uuid);
struct vmindex_entry *vmindex_find_index(const struct vmindex *m, uint32_t index);

/* Drop up to count entries whose keep[position] is false, longest unseen first (then the
 * smallest index). keep is parallel to m->e. Returns how many were dropped. */
size_t vmindex_evict(struct vmindex *m, const bool *keep, size_t count);

/* True when uuid is in the canonical form the map keys on. */
bool vmindex_uuid_ok(const char *uuid);

/* The caller wrote the map out: changed and touched are cleared. */
void vmindex_saved(struct vmindex *m);

#endif
