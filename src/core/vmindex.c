/* SPDX-License-Identifier: BSD-3-Clause */
/* vmindex.c: the VM index map (UUID -> numaVmIndex) as data: add, find both ways, evict the
 * longest-unseen entries. No I/O: src/source/statefile.c keeps it on disk. */
#include "core/vmindex.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct vmindex *vmindex_new(void)
{
	struct vmindex *m = xcalloc(1, sizeof(*m));

	m->mask = 15;
	m->by_uuid = xcalloc(m->mask + 1, sizeof(*m->by_uuid));
	m->by_index = xcalloc(m->mask + 1, sizeof(*m->by_index));
	return m;
}

void vmindex_free(struct vmindex *m)
{
	if (m == NULL)
		return;
	free(m->e);
	free(m->by_uuid);
	free(m->by_index);
	free(m);
}

bool vmindex_uuid_ok(const char *uuid)
{
	char canon[UUID_STRLEN + 1];

	return uuid && strlen(uuid) == UUID_STRLEN && uuid_canonical(uuid, canon) == 0 &&
	       strcmp(canon, uuid) == 0;
}

static size_t hash_uuid(const char *s)
{
	return fnv1a32_str(s);
}

static size_t hash_index(uint32_t i)
{
	return (size_t)(i * 2654435761u);
}

/* The slot of uuid in by_uuid: its entry's, or the empty one where it would go. */
static size_t slot_uuid(const struct vmindex *m, const char *uuid)
{
	size_t s = hash_uuid(uuid) & m->mask;

	while (m->by_uuid[s] && strcmp(m->e[m->by_uuid[s] - 1].uuid, uuid) != 0)
		s = (s + 1) & m->mask;
	return s;
}

static size_t slot_index(const struct vmindex *m, uint32_t index)
{
	size_t s = hash_index(index) & m->mask;

	while (m->by_index[s] && m->e[m->by_index[s] - 1].index != index)
		s = (s + 1) & m->mask;
	return s;
}

/* Rebuild both tables over e[0..n), at least twice as large as n. */
static void reindex(struct vmindex *m)
{
	size_t cap = 16, i;

	while (cap < 2 * m->n + 2)
		cap *= 2;
	free(m->by_uuid);
	free(m->by_index);
	m->mask = cap - 1;
	m->by_uuid = xcalloc(cap, sizeof(*m->by_uuid));
	m->by_index = xcalloc(cap, sizeof(*m->by_index));
	for (i = 0; i < m->n; i++) {
		m->by_uuid[slot_uuid(m, m->e[i].uuid)] = i + 1;
		m->by_index[slot_index(m, m->e[i].index)] = i + 1;
	}
}

struct vmindex_entry *vmindex_find_uuid(const struct vmindex *m, const char *uuid)
{
	size_t s = slot_uuid(m, uuid);

	return m->by_uuid[s] ? &m->e[m->by_uuid[s] - 1] : NULL;
}

struct vmindex_entry *vmindex_find_index(const struct vmindex *m, uint32_t index)
{
	size_t s = slot_index(m, index);

	return m->by_index[s] ? &m->e[m->by_index[s] - 1] : NULL;
}

int vmindex_add(struct vmindex *m, const char *uuid, uint32_t index, int64_t last_seen,
		char *err, size_t errlen)
{
	struct vmindex_entry *e;

	const char *why = NULL;

	if (!vmindex_uuid_ok(uuid))
		why = "not a UUID in lowercase 8-4-4-4-12 form";
	else if (index < 1 || index > VMINDEX_INDEX_MAX)
		why = "the index is outside 1..2147483647";
	else if (vmindex_find_uuid(m, uuid))
		why = "the UUID is listed twice";
	else if (vmindex_find_index(m, index))
		why = "the index is listed twice";
	else if (m->n >= VMINDEX_MAX_ENTRIES)
		why = "the map is full";
	if (why) {
		err_set(err, errlen, "%s", why);
		return -1;
	}
	e = array_push(&m->e, &m->n, &m->cap, sizeof(*m->e));
	memcpy(e->uuid, uuid, UUID_STRLEN + 1);
	e->index = index;
	e->last_seen = last_seen;
	m->changed = true;
	m->edits++;
	if (2 * m->n + 2 > m->mask + 1) {
		reindex(m);
	} else {
		m->by_uuid[slot_uuid(m, uuid)] = m->n;
		m->by_index[slot_index(m, index)] = m->n;
	}
	return 0;
}

/* Longest unseen first, then the smallest index (a total order: indexes are unique). */
static int cmp_unseen(const void *a, const void *b)
{
	const struct vmindex_entry *x = a, *y = b;

	if (x->last_seen != y->last_seen)
		return x->last_seen < y->last_seen ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

size_t vmindex_evict(struct vmindex *m, const bool *keep, size_t count)
{
	struct vmindex_entry *cand;
	size_t i, ncand = 0, ndrop, w = 0;

	if (count == 0 || m->n == 0)
		return 0;
	cand = xcalloc(m->n, sizeof(*cand));
	for (i = 0; i < m->n; i++)
		if (!keep[i])
			cand[ncand++] = m->e[i];
	if (ncand > 1)
		qsort(cand, ncand, sizeof(*cand), cmp_unseen);
	ndrop = ncand < count ? ncand : count;
	/* mark the dropped entries by their unique index, then compact in place */
	for (i = 0; i < ndrop; i++)
		vmindex_find_index(m, cand[i].index)->index = 0;
	for (i = 0; i < m->n; i++)
		if (m->e[i].index != 0)
			m->e[w++] = m->e[i];
	free(cand);
	m->n = w;
	if (ndrop) {
		m->changed = true;
		m->edits++;
		reindex(m);
	}
	return ndrop;
}

void vmindex_saved(struct vmindex *m)
{
	m->changed = false;
	m->touched = false;
}
