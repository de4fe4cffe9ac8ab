/* SPDX-License-Identifier: BSD-3-Clause */
/* account_index.c: the VM index policy (README, "VM index"): the index the map remembers for
 * the UUID, else the domain id when free, else derived from the UUID (FNV-1a, probed upward). */
#include "core/account_impl.h"

#include <string.h>

#include "core/util.h"
#include "core/vmindex.h"

#define INDEX_MAX      VMINDEX_INDEX_MAX
#define UUID_INDEX_BIT 1073741824u /* UUID-derived indexes live in 2^30..2^31-1 */

uint32_t account_uuid_index(const char *uuid)
{
	return (fnv1a32_str(uuid ? uuid : "") & (UUID_INDEX_BIT - 1)) | UUID_INDEX_BIT;
}

/* Open addressing, numaVmIndex -> input position; 0 is never an index, so it marks empty. */
struct idmap {
	uint32_t *key;
	size_t *val;
	size_t mask;
};

static void idmap_init(struct idmap *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	m->key = xcalloc(cap, sizeof(*m->key));
	m->val = xcalloc(cap, sizeof(*m->val));
	m->mask = cap - 1;
}

static size_t idmap_slot(const struct idmap *m, uint32_t k)
{
	size_t s = (size_t)(k * 2654435761u) & m->mask;

	while (m->key[s] != 0 && m->key[s] != k)
		s = (s + 1) & m->mask;
	return s;
}

static size_t idmap_get(const struct idmap *m, uint32_t k)
{
	size_t s = idmap_slot(m, k);

	return m->key[s] ? m->val[s] : NO_POS;
}

static void idmap_put(struct idmap *m, uint32_t k, size_t v)
{
	size_t s = idmap_slot(m, k);

	m->key[s] = k;
	m->val[s] = v;
}

static void idmap_clear(struct idmap *m)
{
	free(m->key);
	free(m->val);
}

/* A VM as the policy sees it: its position in the input and its two sort keys. */
struct index_candidate {
	size_t pos;
	const char *file;
	const char *uuid;
};

static int cmp_candidate_file(const void *a, const void *b)
{
	const struct index_candidate *x = a, *y = b;
	int r = strcmp(x->file, y->file);

	return r ? r : (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_candidate_uuid(const void *a, const void *b)
{
	const struct index_candidate *x = a, *y = b;
	int r = strcmp(x->uuid, y->uuid);

	return r ? r : cmp_candidate_file(a, b);
}

/* One build's assignment: what the steps share. */
struct assign {
	struct vm *const *vms;
	struct index_candidate *e;
	size_t cnt;
	struct vmindex *map; /* NULL: nothing is remembered */
	int64_t now;
	struct idmap taken; /* numaVmIndex -> position, this build */
	struct account_index_out *out;
	bool *second; /* the UUID is also another file's, earlier by name */
};

static bool taken(const struct assign *a, uint32_t idx)
{
	return idmap_get(&a->taken, idx) != NO_POS || (a->map && vmindex_find_index(a->map, idx));
}

static void give(struct assign *a, size_t pos, uint32_t idx)
{
	idmap_put(&a->taken, idx, pos);
	a->out->index[pos] = idx;
}

/* A VM the map can remember: a canonical UUID no file earlier by name has. */
static bool rememberable(const struct assign *a, size_t pos)
{
	return a->map && !a->second[pos] && vmindex_uuid_ok(a->vms[pos]->uuid);
}

/* Files sharing a UUID: the first by name keeps it, the others are told (in (uuid, file)
 * order, the first of a run is the first by name). */
static void mark_seconds(struct assign *a)
{
	size_t i;

	qsort_empty_ok(a->e, a->cnt, sizeof(*a->e), cmp_candidate_uuid);
	for (i = 1; i < a->cnt; i++)
		if (strcmp(a->e[i].uuid, a->e[i - 1].uuid) == 0 && a->e[i].uuid[0]) {
			a->second[a->e[i].pos] = true;
			a->out->why[a->e[i].pos] = INDEX_SHARED_UUID;
			a->out->other[a->e[i].pos] = a->e[i - 1].pos;
		}
}

/* The map's indexes for the UUIDs it knows; room made for the ones it does not (the
 * longest-unseen absent UUIDs are forgotten when it is full). */
static void recall(struct assign *a)
{
	bool *keep = xcalloc(a->map->n + 1, sizeof(*keep));
	size_t i, fresh = 0, room;

	for (i = 0; i < a->cnt; i++) {
		size_t pos = a->e[i].pos;
		struct vmindex_entry *en;

		if (!rememberable(a, pos))
			continue;
		en = vmindex_find_uuid(a->map, a->e[i].uuid);
		if (en == NULL) {
			fresh++;
			continue;
		}
		keep[en - a->map->e] = true;
		if (en->last_seen != a->now) {
			en->last_seen = a->now;
			a->map->touched = true;
		}
		give(a, pos, en->index);
	}
	room = VMINDEX_MAX_ENTRIES - a->map->n;
	if (fresh > room)
		vmindex_evict(a->map, keep, fresh - room);
	free(keep);
}

/* Domain ids next, in file-name order, when no VM of this build or of the map holds the
 * number: a second claim of an id is remembered in dup_of and left for the UUID pass. */
static void claim_domain_ids(struct assign *a)
{
	struct idmap first; /* domain id -> the first file by name that claims it */
	size_t i;

	idmap_init(&first, a->cnt);
	qsort_empty_ok(a->e, a->cnt, sizeof(*a->e), cmp_candidate_file);
	for (i = 0; i < a->cnt; i++) {
		size_t pos = a->e[i].pos, prev;
		long long id = a->vms[pos]->id;

		if (id < 1 || id > (long long)INDEX_MAX)
			continue;
		prev = idmap_get(&first, (uint32_t)id);
		if (prev == NO_POS)
			idmap_put(&first, (uint32_t)id, pos);
		if (a->out->index[pos])
			continue;
		if (prev != NO_POS) {
			a->out->dup_of[pos] = prev;
			continue;
		}
		if (!taken(a, (uint32_t)id))
			give(a, pos, (uint32_t)id);
	}
	idmap_clear(&first);
}

/* Then UUID-derived indexes for the rest, in (uuid, file) order, probing upward within
 * 2^30..2^31-1 past every number this build or the map holds. */
static void derive_uuid_indexes(struct assign *a)
{
	size_t i;

	qsort_empty_ok(a->e, a->cnt, sizeof(*a->e), cmp_candidate_uuid);
	for (i = 0; i < a->cnt; i++) {
		uint32_t idx;

		if (a->out->index[a->e[i].pos])
			continue;
		idx = account_uuid_index(a->e[i].uuid);
		while (taken(a, idx))
			idx = idx == INDEX_MAX ? UUID_INDEX_BIT : idx + 1;
		give(a, a->e[i].pos, idx);
	}
}

/* The new UUIDs into the map, while it has room. */
static void remember(struct assign *a)
{
	size_t i;

	for (i = 0; i < a->cnt; i++) {
		size_t pos = a->e[i].pos;

		if (!rememberable(a, pos) || vmindex_find_uuid(a->map, a->e[i].uuid))
			continue;
		if (vmindex_add(a->map, a->e[i].uuid, a->out->index[pos], a->now, NULL, 0) < 0)
			a->out->why[pos] = INDEX_MAP_FULL;
	}
}

/* Every pass runs in an order of the files' own (name, UUID), so the same set of files and
 * the same map always give the same indexes, whatever the input order. */
void account_index_assign(struct vm *const *vms, const char *const *files, size_t n,
			  struct vmindex *map, int64_t now, struct account_index_out *out)
{
	struct assign a = {.vms = vms, .map = map, .now = now, .out = out};
	size_t i;

	a.e = xcalloc(n, sizeof(*a.e));
	a.second = xcalloc(n, sizeof(*a.second));
	for (i = 0; i < n; i++) {
		out->index[i] = 0;
		out->dup_of[i] = NO_POS;
		out->why[i] = INDEX_OK;
		out->other[i] = NO_POS;
		if (vms[i])
			a.e[a.cnt++] = (struct index_candidate){i, file_of(files, i),
								vms[i]->uuid ? vms[i]->uuid : ""};
	}
	idmap_init(&a.taken, a.cnt);
	mark_seconds(&a);
	if (map)
		recall(&a);
	claim_domain_ids(&a);
	derive_uuid_indexes(&a);
	if (map)
		remember(&a);
	idmap_clear(&a.taken);
	free(a.second);
	free(a.e);
}

/* ---------------------------------------------------------------- one UUID, one VM */

static bool named_after(const struct vm *vm, const char *file)
{
	size_t n = vm->name ? strlen(vm->name) : 0;

	return n > 0 && strncmp(file, vm->name, n) == 0 && strcmp(file + n, ".xml") == 0;
}

bool account_file_preferred(const struct vm *a, const char *fa, const struct timespec *ma,
			    const struct vm *b, const char *fb, const struct timespec *mb)
{
	bool na = named_after(a, fa), nb = named_after(b, fb);

	if (na != nb)
		return na;
	if (ma->tv_sec != mb->tv_sec)
		return ma->tv_sec > mb->tv_sec;
	if (ma->tv_nsec != mb->tv_nsec)
		return ma->tv_nsec > mb->tv_nsec;
	return strcmp(fa, fb) < 0;
}
