/* scan.c: the libvirt XML directory -> parsed VMs. A per-file cache keyed by (device, inode,
 * size, mtime) means an unchanged file is never parsed twice; a bad file is logged once per
 * change. */
#include "source/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

struct entry {
	char *name;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct vm *vm;  /* parsed VM, or NULL when invalid */
	char *reason;   /* why it is invalid, or NULL */
};

struct scan {
	char *dir;
	size_t max;
	struct entry *e; /* sorted by name */
	size_t n;
	uint32_t parse_errors;
	uint64_t generation;
	bool dir_missing;
	bool have_dir_key; /* dir_key holds the directory as the last scan_run() saw it */
	struct stat dir_key;
	/* views handed out by scan_vms(), rebuilt by scan_run() */
	struct vm **vms;
	const char **files;
	struct scan_stamp *stamps;
	size_t nvms;
};

struct scan *scan_new(const char *dir, size_t max_file_size)
{
	struct scan *s = xcalloc(1, sizeof(*s));

	s->dir = xstrdup(dir);
	s->max = max_file_size ? max_file_size : DOMXML_MAX_SIZE_DEFAULT;
	return s;
}

static void entry_clear(struct entry *e)
{
	free(e->name);
	vm_free(e->vm);
	free(e->reason);
}

static void clear_entries(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		entry_clear(&s->e[i]);
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

void scan_free(struct scan *s)
{
	if (s == NULL)
		return;
	clear_entries(s);
	free(s->vms);
	free(s->files);
	free(s->stamps);
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

/* The sorted names of the wanted directory entries; NULL with err when unreadable. */
static char **list_dir(const char *dir, size_t *count, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL) {
		err_set(err, errlen, "%s: %s", dir, strerror(errno));
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
		int e = errno;
		size_t i;

		err_set(err, errlen, "%s: %s", dir, strerror(e));
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

static bool same_key(const struct entry *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
	       e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Parse one file into a fresh entry; logs and counts a failure. */
static void parse_into(struct scan *s, struct entry *e, const char *name, const struct stat *st)
{
	char err[ERRLEN];
	char *path = xasprintf("%s/%s", s->dir, name);

	e->name = xstrdup(name);
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->size = st->st_size;
	e->mtime = st->st_mtim;
	if (domxml_parse_file(path, s->max, &e->vm, err, sizeof(err)) < 0) {
		char *shown = str_printable_dup(path); /* a file name may hold a newline */

		e->vm = NULL;
		e->reason = xstrdup(err);
		s->parse_errors++;
		log_warn("%s: %s; file skipped", shown, str_printable(err));
		free(shown);
	}
	free(path);
}

static void rebuild_views(struct scan *s)
{
	size_t i;

	free(s->vms);
	free(s->files);
	free(s->stamps);
	s->vms = xcalloc(s->n, sizeof(*s->vms));
	s->files = xcalloc(s->n, sizeof(*s->files));
	s->stamps = xcalloc(s->n, sizeof(*s->stamps));
	s->nvms = 0;
	for (i = 0; i < s->n; i++) {
		if (s->e[i].vm == NULL)
			continue;
		s->vms[s->nvms] = s->e[i].vm;
		s->files[s->nvms] = s->e[i].name;
		s->stamps[s->nvms] = (struct scan_stamp){s->e[i].dev, s->e[i].ino, s->e[i].size,
							 s->e[i].mtime};
		s->nvms++;
	}
}

int scan_run(struct scan *s, char *err, size_t errlen)
{
	struct entry *old = s->e, *e;
	size_t nold = s->n, nnames = 0, n = 0, i, j;
	char **names;
	int parsed = 0;
	int dfd;

	/* before the listing: a change while it runs shows as a different key next time */
	s->have_dir_key = stat(s->dir, &s->dir_key) == 0;
	names = list_dir(s->dir, &nnames, err, errlen);
	if (names == NULL) {
		s->dir_missing = true;
		s->generation++;
		clear_entries(s);
		rebuild_views(s);
		return -1;
	}
	dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	e = xcalloc(nnames, sizeof(*e));
	for (i = 0, j = 0; i < nnames; i++) {
		struct stat st;
		struct entry *o = NULL;

		/* both lists are sorted by name: one merge walk finds the old entry */
		while (j < nold && strcmp(old[j].name, names[i]) < 0)
			j++;
		if (j < nold && strcmp(old[j].name, names[i]) == 0)
			o = &old[j++];
		/* lstat: a symlink is keyed (and rejected by the parser) as itself */
		if (dfd < 0 || fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* vanished between readdir and now: simply gone */
		if (S_ISDIR(st.st_mode))
			continue;
		if (o && same_key(o, &st)) {
			/* unchanged: move the parse result and the name */
			e[n++] = *o;
			o->name = NULL;
			o->vm = NULL;
			o->reason = NULL;
			continue;
		}
		parse_into(s, &e[n++], names[i], &st);
		parsed++;
	}
	if (dfd >= 0)
		close(dfd);
	for (i = 0; i < nold; i++)
		entry_clear(&old[i]);
	free(old);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	/* every kept entry was moved from a distinct old one: same count, nothing parsed = same */
	if (parsed > 0 || n != nold || s->dir_missing)
		s->generation++;
	s->dir_missing = false;
	s->e = e;
	s->n = n;
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

bool scan_stamp_equal(const struct scan_stamp *a, const struct scan_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

void scan_add_errors(const struct scan *s, struct model *m)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].reason)
			model_add_problem(&m->errors, &m->nerrors, s->e[i].name, s->e[i].reason);
}

unsigned scan_invalid_files(const struct scan *s)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].reason)
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
