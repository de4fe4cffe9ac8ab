/* SPDX-License-Identifier: BSD-3-Clause */
/* scan.c: the libvirt XML directory -> parsed VMs. A per-file cache keyed by (device, inode,
 * size, mtime) means an unchanged file is never parsed twice; a bad file is logged once per
 * change. */
#include "source/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/account.h"
#include "core/log.h"
#include "core/util.h"
#include "core/yield.h"

/* One *.xml file of the directory as the cache keeps it: its key and what parsing it gave. */
struct cached_file {
	char *name;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uint64_t parse_id; /* this parse's number: never given to another */
	uint64_t uuid_hash; /* of vm->uuid, for find_duplicates() */
	struct vm *vm;  /* parsed VM, or NULL when invalid */
	char *reason;   /* why it is invalid, or NULL */
	char *dup_of;   /* the file holding the same UUID that is the VM instead, or NULL */
	bool dup_counted; /* this file's duplicate is logged and counted (once per change) */
};

struct scan {
	char *dir;
	size_t max;
	struct cached_file *cache; /* sorted by name */
	size_t ncache;
	uint32_t parse_errors;
	uint64_t generation;
	uint64_t parses; /* parse_id of the last parse */
	bool dir_missing;
	bool read_once; /* a scan_run() read the directory since it was last missing */
	bool stale;	/* the last scan_run() could not read it and kept the last VMs */
	bool have_dir_key; /* dir_key holds the directory as the last scan_run() saw it */
	struct stat dir_key;
	/* views handed out by scan_vms(), rebuilt by scan_run() */
	struct vm **vms;
	const char **files;
	struct scan_stamp *stamps;
	uint64_t *parse_ids;
	size_t nvms;
};

struct scan *scan_new(const char *dir, size_t max_file_size)
{
	struct scan *s = xcalloc(1, sizeof(*s));

	s->dir = xstrdup(dir);
	s->max = max_file_size ? max_file_size : DOMXML_MAX_SIZE_DEFAULT;
	return s;
}

static void cached_file_clear(struct cached_file *f)
{
	free(f->name);
	vm_free(f->vm);
	free(f->reason);
	free(f->dup_of);
}

static void clear_cache(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->ncache; i++)
		cached_file_clear(&s->cache[i]);
	free(s->cache);
	s->cache = NULL;
	s->ncache = 0;
}

void scan_free(struct scan *s)
{
	if (s == NULL)
		return;
	clear_cache(s);
	free(s->vms);
	free(s->files);
	free(s->stamps);
	free(s->parse_ids);
	free(s->dir);
	free(s);
}

const char *scan_dir(const struct scan *s)
{
	return s->dir;
}

bool scan_wanted_name(const char *name)
{
	size_t len = strlen(name);

	if (name[0] == '.')
		return false;
	/* libvirt writes "name.xml.new" and renames it over "name.xml"; only the latter counts */
	return len > 4 && strcmp(name + len - 4, ".xml") == 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of the wanted directory entries; NULL with *errnum and err when
 * unreadable. */
static char **list_dir(const char *dir, size_t *count, int *errnum, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL) {
		*errnum = errno;
		err_set(err, errlen, "%s: %s", dir, strerror(*errnum));
		return NULL;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		char **slot;

		if (!scan_wanted_name(de->d_name))
			continue;
		slot = array_push(&names, &n, &cap, sizeof(*names));
		*slot = xstrdup(de->d_name);
	}
	if (errno) {
		size_t i;

		*errnum = errno;
		err_set(err, errlen, "%s: %s", dir, strerror(*errnum));
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		closedir(d);
		return NULL;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	if (names == NULL)
		names = xcalloc(1, sizeof(*names));
	*count = n;
	return names;
}

static bool same_key(const struct cached_file *f, const struct stat *st)
{
	return f->dev == st->st_dev && f->ino == st->st_ino && f->size == st->st_size &&
	       f->mtime.tv_sec == st->st_mtim.tv_sec && f->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static uint64_t hash_uuid(const char *u)
{
	uint64_t h = fnv1a64(FNV1A64_BASIS, u, strlen(u));

	return h ^ (h >> 29);
}

/* Parse one file into a fresh cache slot; logs and counts a failure. */
static void parse_into(struct scan *s, struct cached_file *f, const char *name,
		       const struct stat *st)
{
	char err[ERRLEN];
	char *path = xasprintf("%s/%s", s->dir, name);

	f->name = xstrdup(name);
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = st->st_size;
	f->mtime = st->st_mtim;
	f->parse_id = ++s->parses;
	if (domxml_parse_file(path, s->max, &f->vm, err, sizeof(err)) < 0) {
		char *shown = str_safe(path); /* the file name is the tenant's (str_safe) */

		f->vm = NULL;
		f->reason = xstrdup(err);
		s->parse_errors++;
		log_warn("%s: %s; file skipped", shown, str_printable(err));
		free(shown);
	}
	if (f->vm != NULL)
		f->uuid_hash = hash_uuid(f->vm->uuid);
	free(path);
}

/* "holds the UUID of lab.xml: ..." (static buffer: one caller at a time, single thread) */
static const char *dup_reason(const struct cached_file *e)
{
	static char buf[ERRLEN + 512];

	snprintf(buf, sizeof(buf),
		 "holds UUID %s, as %s does; one UUID is one VM: %s is counted (the file named "
		 "after its domain, else the newer), this file is not",
		 e->vm->uuid, e->dup_of, e->dup_of);
	return buf;
}

/* The slot of f's UUID group: the hashes first, so a lookup reads no other VM's UUID but
 * one holding the same. */
static size_t uuid_slot(const struct cached_file *e, const size_t *best, size_t mask,
			const struct cached_file *f)
{
	size_t h;

	for (h = (size_t)f->uuid_hash & mask; best[h]; h = (h + 1) & mask) {
		const struct cached_file *b = &e[best[h] - 1];

		if (b == f || (b->uuid_hash == f->uuid_hash && strcmp(b->vm->uuid, f->vm->uuid) == 0))
			break;
	}
	return h;
}

/* One UUID is one VM: in each group of files holding one UUID, the preferred file
 * (account_file_preferred, a total order) is the VM; each other one names it in dup_of. The
 * groups are found by hashing, so a scan of many files stays linear. */
static void find_duplicates(struct scan *s)
{
	size_t cap = 16, mask, i, h;
	size_t *best; /* per slot: position + 1 of the group's preferred file, 0 = empty */
	struct cached_file *e = s->cache;

	while (cap < 2 * s->ncache)
		cap *= 2;
	mask = cap - 1;
	best = xcalloc(cap, sizeof(*best));
	for (i = 0; i < s->ncache; i++) {
		free(e[i].dup_of);
		e[i].dup_of = NULL;
		if (e[i].vm == NULL)
			continue;
		h = uuid_slot(e, best, mask, &e[i]);
		if (best[h] == 0 || account_file_preferred(e[i].vm, e[i].name, &e[i].mtime,
							   e[best[h] - 1].vm, e[best[h] - 1].name,
							   &e[best[h] - 1].mtime))
			best[h] = i + 1;
	}
	for (i = 0; i < s->ncache; i++) {
		if (e[i].vm == NULL)
			continue;
		h = uuid_slot(e, best, mask, &e[i]);
		if (best[h] - 1 != i)
			e[i].dup_of = xstrdup(e[best[h] - 1].name);
	}
	free(best);
}

/* A duplicate is logged and counted in numaParseErrors once per change of its file. */
static void count_duplicates(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->ncache; i++) {
		struct cached_file *e = &s->cache[i];
		char *name, *why;

		if (e->dup_of == NULL || e->dup_counted) {
			e->dup_counted = e->dup_of != NULL;
			continue;
		}
		e->dup_counted = true;
		s->parse_errors++;
		name = str_safe(e->name); /* file names are the tenant's (str_safe) */
		why = str_safe(dup_reason(e));
		log_warn("%s: %s", name, why);
		free(why);
		free(name);
	}
}

static void rebuild_views(struct scan *s)
{
	size_t i;

	find_duplicates(s);
	count_duplicates(s);

	free(s->vms);
	free(s->files);
	free(s->stamps);
	free(s->parse_ids);
	s->vms = xcalloc(s->ncache, sizeof(*s->vms));
	s->files = xcalloc(s->ncache, sizeof(*s->files));
	s->stamps = xcalloc(s->ncache, sizeof(*s->stamps));
	s->parse_ids = xcalloc(s->ncache, sizeof(*s->parse_ids));
	s->nvms = 0;
	for (i = 0; i < s->ncache; i++) {
		if (s->cache[i].vm == NULL || s->cache[i].dup_of != NULL)
			continue;
		s->vms[s->nvms] = s->cache[i].vm;
		s->files[s->nvms] = s->cache[i].name;
		s->stamps[s->nvms] = (struct scan_stamp){s->cache[i].dev, s->cache[i].ino,
							 s->cache[i].size, s->cache[i].mtime};
		s->parse_ids[s->nvms] = s->cache[i].parse_id;
		s->nvms++;
	}
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The directory could not be read. Gone (ENOENT, ENOTDIR): its VMs are gone and the cache
 * empties (-1). Any other error (EACCES, EMFILE, EIO...) says nothing about the VMs: the cache
 * keeps those of the last read (-2), unless there was none since the directory was missing. */
static int read_failed(struct scan *s, int errnum)
{
	s->have_dir_key = false; /* the next scan_run() reads it again, whatever inotify said */
	if (errnum != ENOENT && errnum != ENOTDIR && s->read_once) {
		s->stale = true;
		return -2;
	}
	s->dir_missing = true;
	s->read_once = false;
	s->stale = false;
	s->generation++;
	clear_cache(s);
	rebuild_views(s);
	return -1;
}

/* lstat each name (a symlink is keyed, and rejected by the parser, as itself); one that
 * vanished since readdir gets st_mode 0. Any other error fails the whole listing: a name that
 * cannot be looked at is no VM that stopped. -1 with *errnum and err then. */
static int stat_names(const char *dir, char *const *names, size_t n, struct stat *st,
		      int *errnum, char *err, size_t errlen)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t i;

	if (dfd < 0) {
		*errnum = errno;
		err_set(err, errlen, "%s: %s", dir, strerror(*errnum));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (fstatat(dfd, names[i], &st[i], AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		if (errno != ENOENT) {
			*errnum = errno;
			err_set(err, errlen, "%s: a file cannot be looked at: %s", dir,
				strerror(*errnum));
			close(dfd);
			return -1;
		}
		st[i].st_mode = 0;
	}
	close(dfd);
	return 0;
}

int scan_run(struct scan *s, char *err, size_t errlen)
{
	struct cached_file *old = s->cache, *cache;
	size_t nold = s->ncache, nnames = 0, n = 0, i, j;
	struct stat *st;
	char **names;
	int parsed = 0, errnum = 0;

	/* before the listing: a change while it runs shows as a different key next time */
	s->have_dir_key = stat(s->dir, &s->dir_key) == 0;
	names = list_dir(s->dir, &nnames, &errnum, err, errlen);
	if (names == NULL)
		return read_failed(s, errnum);
	st = xcalloc(nnames ? nnames : 1, sizeof(*st));
	if (stat_names(s->dir, names, nnames, st, &errnum, err, errlen) < 0) {
		free(st);
		free_names(names, nnames);
		return read_failed(s, errnum);
	}
	cache = xcalloc(nnames, sizeof(*cache));
	for (i = 0, j = 0; i < nnames; i++) {
		struct cached_file *o = NULL;

		/* both lists are sorted by name: one merge walk finds the old entry */
		while (j < nold && strcmp(old[j].name, names[i]) < 0)
			j++;
		if (j < nold && strcmp(old[j].name, names[i]) == 0)
			o = &old[j++];
		if (st[i].st_mode == 0 || S_ISDIR(st[i].st_mode))
			continue; /* vanished since readdir (st_mode 0), or a directory */
		if (o && same_key(o, &st[i])) {
			/* unchanged: move the parse result and the name */
			cache[n++] = *o;
			o->name = NULL;
			o->vm = NULL;
			o->reason = NULL;
			o->dup_of = NULL;
			continue;
		}
		yield_point();
		parse_into(s, &cache[n++], names[i], &st[i]);
		parsed++;
	}
	free(st);
	for (i = 0; i < nold; i++)
		cached_file_clear(&old[i]);
	free(old);
	free_names(names, nnames);
	/* every kept entry was moved from a distinct old one: same count, nothing parsed = same */
	if (parsed > 0 || n != nold || s->dir_missing)
		s->generation++;
	s->dir_missing = false;
	s->read_once = true;
	s->stale = false;
	s->cache = cache;
	s->ncache = n;
	rebuild_views(s);
	return parsed;
}

/* The cache slot of name, or where it would go (*found false). */
static size_t find_slot(const struct scan *s, const char *name, bool *found)
{
	size_t lo = 0, hi = s->ncache;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(s->cache[mid].name, name);

		if (r == 0) {
			*found = true;
			return mid;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* One named file brought up to date: 1 when it was parsed, 0 when it stayed, -1 when it is
 * no longer a VM file (and was one). */
static int update_name(struct scan *s, const char *name, const struct stat *st)
{
	bool found;
	size_t i = find_slot(s, name, &found);
	struct cached_file *f = &s->cache[i];

	if (st->st_mode == 0 || S_ISDIR(st->st_mode)) { /* gone, or a directory */
		if (!found)
			return 0;
		cached_file_clear(f);
		memmove(f, f + 1, (s->ncache - i - 1) * sizeof(*f));
		s->ncache--;
		return -1;
	}
	if (found && same_key(f, st))
		return 0;
	if (found) {
		cached_file_clear(f);
	} else {
		s->cache = xreallocarray(s->cache, s->ncache + 1, sizeof(*s->cache));
		f = &s->cache[i];
		memmove(f + 1, f, (s->ncache - i) * sizeof(*f));
		s->ncache++;
	}
	memset(f, 0, sizeof(*f));
	yield_point();
	parse_into(s, f, name, st);
	return 1;
}

/* The directory is the one the last full read listed, and that read left a cache to trust. */
static bool can_trust(struct scan *s)
{
	struct stat st;

	if (!s->read_once || s->stale || s->dir_missing || !s->have_dir_key ||
	    stat(s->dir, &st) != 0 || st.st_dev != s->dir_key.st_dev ||
	    st.st_ino != s->dir_key.st_ino)
		return false;
	s->dir_key = st; /* before the names: a change while they are read shows next time */
	return true;
}

int scan_run_names(struct scan *s, char *const *names, size_t n, char *err, size_t errlen)
{
	struct stat *st;
	int parsed = 0, errnum = 0, r;
	bool changed = false;
	size_t i;

	if (!can_trust(s))
		return scan_run(s, err, errlen);
	st = xcalloc(n ? n : 1, sizeof(*st));
	if (stat_names(s->dir, names, n, st, &errnum, err, errlen) < 0) {
		free(st);
		return read_failed(s, errnum);
	}
	for (i = 0; i < n; i++) {
		if (!scan_wanted_name(names[i]) || strchr(names[i], '/'))
			continue;
		r = update_name(s, names[i], &st[i]);
		parsed += r > 0;
		changed |= r != 0;
	}
	free(st);
	if (changed)
		s->generation++;
	rebuild_views(s);
	return parsed;
}

size_t scan_vms(const struct scan *s, struct vm *const **vms, const char *const **files)
{
	*vms = s->vms;
	*files = s->files;
	return s->nvms;
}

const struct scan_stamp *scan_stamps(const struct scan *s)
{
	return s->stamps;
}

const uint64_t *scan_parse_ids(const struct scan *s)
{
	return s->parse_ids;
}

bool scan_stamp_equal(const struct scan_stamp *a, const struct scan_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

void scan_add_errors(const struct scan *s, struct model *m)
{
	size_t i;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].reason)
			model_add_problem(&m->errors, &m->nerrors, s->cache[i].name,
					  s->cache[i].reason);
}

void scan_add_warnings(const struct scan *s, struct model *m)
{
	size_t i;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].dup_of)
			model_add_problem(&m->warnings, &m->nwarnings, s->cache[i].name,
					  dup_reason(&s->cache[i]));
}

unsigned scan_invalid_files(const struct scan *s)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].reason)
			k++;
	return k;
}

uint32_t scan_parse_errors(const struct scan *s)
{
	return s->parse_errors;
}

bool scan_dir_unchanged(const struct scan *s)
{
	const struct stat *k = &s->dir_key;
	struct stat st;

	return s->have_dir_key && !s->dir_missing && stat(s->dir, &st) == 0 &&
	       st.st_dev == k->st_dev && st.st_ino == k->st_ino &&
	       st.st_mtim.tv_sec == k->st_mtim.tv_sec && st.st_mtim.tv_nsec == k->st_mtim.tv_nsec &&
	       st.st_ctim.tv_sec == k->st_ctim.tv_sec && st.st_ctim.tv_nsec == k->st_ctim.tv_nsec;
}

uint64_t scan_generation(const struct scan *s)
{
	return s->generation;
}

bool scan_dir_missing(const struct scan *s)
{
	return s->dir_missing;
}

bool scan_stale(const struct scan *s)
{
	return s->stale;
}
