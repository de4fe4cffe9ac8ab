/* account_index.c: the VM index policy: numaVmIndex is the domain id, else derived from the
 * UUID (FNV-1a, probed upward); a domain id claimed twice goes to the first file by name. */
#include "core/account_impl.h"

#include <string.h>

#include "core/util.h"

#define INDEX_MAX      2147483647u /* numaVmIndex is 1..2^31-1 */
#define UUID_INDEX_BIT 1073741824u /* UUID-derived indexes live in 2^30..2^31-1 */

uint32_t account_uuid_index(const char *uuid)
{
	uint32_t h = 2166136261u; /* FNV-1a, 32 bits */
	const unsigned char *p;

	for (p = (const unsigned char *)(uuid ? uuid : ""); *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return (h & (UUID_INDEX_BIT - 1)) | UUID_INDEX_BIT;
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

/* Domain ids first, in file-name order: a second claim of an id is remembered in dup_of and
 * left for the UUID pass. */
static void claim_domain_ids(struct vm *const *vms, struct index_candidate *e, size_t cnt,
			     struct idmap *map, uint32_t *index, size_t *dup_of)
{
	size_t i;

	qsort_empty_ok(e, cnt, sizeof(*e), cmp_candidate_file);
	for (i = 0; i < cnt; i++) {
		long long id = vms[e[i].pos]->id;

		if (id < 1 || id > (long long)INDEX_MAX)
			continue;
		dup_of[e[i].pos] = idmap_get(map, (uint32_t)id);
		if (dup_of[e[i].pos] != NO_POS)
			continue;
		idmap_put(map, (uint32_t)id, e[i].pos);
		index[e[i].pos] = (uint32_t)id;
	}
}

/* Then UUID-derived indexes for the rest, in (uuid, file) order, probing upward within
 * 2^30..2^31-1. */
static void derive_uuid_indexes(struct index_candidate *e, size_t cnt, struct idmap *map,
				uint32_t *index)
{
	size_t i;

	qsort_empty_ok(e, cnt, sizeof(*e), cmp_candidate_uuid);
	for (i = 0; i < cnt; i++) {
		uint32_t idx;

		if (index[e[i].pos])
			continue;
		idx = account_uuid_index(e[i].uuid);
		while (idmap_get(map, idx) != NO_POS)
			idx = idx == INDEX_MAX ? UUID_INDEX_BIT : idx + 1;
		idmap_put(map, idx, e[i].pos);
		index[e[i].pos] = idx;
	}
}

/* Both passes run in an order of the files' own (name, UUID), so the same set of files always
 * gets the same indexes, whatever the input order. */
void account_index_assign(struct vm *const *vms, const char *const *files, size_t n,
			  uint32_t *index, size_t *dup_of)
{
	struct index_candidate *e = xcalloc(n, sizeof(*e));
	struct idmap map;
	size_t i, cnt = 0;

	for (i = 0; i < n; i++) {
		index[i] = 0;
		dup_of[i] = NO_POS;
		if (vms[i])
			e[cnt++] = (struct index_candidate){i, file_of(files, i),
							    vms[i]->uuid ? vms[i]->uuid : ""};
	}
	idmap_init(&map, cnt);
	claim_domain_ids(vms, e, cnt, &map, index, dup_of);
	derive_uuid_indexes(e, cnt, &map, index);
	idmap_clear(&map);
	free(e);
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
