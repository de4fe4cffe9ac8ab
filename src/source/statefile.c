/* SPDX-License-Identifier: BSD-3-Clause */
/* statefile.c: the VM index map on disk. The file is hostile input like any other: bounded in
 * size, one strict line format, a bad line dropped with a reason; never a crash. */
#include "source/statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "source/read_file.h"

/* One line "INDEX UUID LAST_SEEN" (no newline) into m. */
static int parse_line(struct vmindex *m, const char *s, size_t len, char *err, size_t errlen)
{
	const char *sp1 = memchr(s, ' ', len), *sp2;
	char uuid[UUID_STRLEN + 1], why[128];
	uint64_t index, seen;

	if (len >= STATEFILE_LINE_MAX || sp1 == NULL) {
		err_set(err, errlen, "not INDEX UUID LAST-SEEN");
		return -1;
	}
	sp2 = sp1 + 1 + UUID_STRLEN;
	if (sp2 >= s + len || *sp2 != ' ') {
		err_set(err, errlen, "the UUID is not 36 characters");
		return -1;
	}
	if (parse_u64(s, (size_t)(sp1 - s), VMINDEX_INDEX_MAX, &index, why, sizeof(why)) < 0 ||
	    parse_u64(sp2 + 1, (size_t)(s + len - sp2 - 1), INT64_MAX, &seen, why, sizeof(why)) < 0) {
		err_set(err, errlen, "%s", why);
		return -1;
	}
	memcpy(uuid, sp1 + 1, UUID_STRLEN);
	uuid[UUID_STRLEN] = '\0';
	return vmindex_add(m, uuid, (uint32_t)index, (int64_t)seen, err, errlen);
}

/* Every line after the header; a bad one is dropped, the first reason kept. */
static enum statefile_status parse(struct vmindex *m, const char *buf, size_t len, char *err,
				   size_t errlen)
{
	size_t hl = strlen(STATEFILE_HEADER), bad = 0, lineno = 1;
	const char *p = buf + hl + 1, *end = buf + len;
	char why[160];

	if (len <= hl || memcmp(buf, STATEFILE_HEADER, hl) != 0 || buf[hl] != '\n') {
		err_set(err, errlen, "line 1 is not \"%s\"", STATEFILE_HEADER);
		return STATEFILE_BAD;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		if ((nl == NULL || parse_line(m, p, l, why, sizeof(why)) < 0) && bad++ == 0)
			err_set(err, errlen, "line %zu: %s", lineno,
				nl ? why : "no newline at the end");
		p += l + 1;
	}
	if (bad) {
		size_t n = strlen(err);

		if (n < errlen)
			snprintf(err + n, errlen - n, " (%zu bad line%s dropped)", bad,
				 bad > 1 ? "s" : "");
		return STATEFILE_PARTIAL;
	}
	return STATEFILE_OK;
}

enum statefile_status statefile_load(const char *dir, struct vmindex *m, char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s", dir, STATEFILE_NAME), *buf = NULL, why[160];
	enum statefile_status st;
	struct stat sb;
	size_t len;

	if (stat(path, &sb) < 0 && errno == ENOENT) {
		err_set(err, errlen, "%s: %s", path, strerror(ENOENT));
		free(path);
		return STATEFILE_MISSING;
	}
	if (read_file(path, STATEFILE_MAX_SIZE, true, &buf, &len, NULL, why, sizeof(why)) < 0) {
		err_set(err, errlen, "%s: %s", path, why);
		free(path);
		return STATEFILE_BAD;
	}
	st = parse(m, buf, len, why, sizeof(why));
	if (st != STATEFILE_OK)
		err_set(err, errlen, "%s: %s", path, why);
	m->changed = st != STATEFILE_OK; /* a cleaned file is written back at the next change */
	m->touched = false;
	free(buf);
	free(path);
	return st;
}

static int cmp_entry_index(const void *a, const void *b)
{
	const struct vmindex_entry *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* The file's text, entries by index. */
static char *format(const struct vmindex *m, size_t *len)
{
	struct vmindex_entry *e = xcalloc(m->n + 1, sizeof(*e));
	char *buf = xmalloc((m->n + 1) * STATEFILE_LINE_MAX + 1);
	size_t i, n;

	memcpy(e, m->e, m->n * sizeof(*e));
	if (m->n > 1)
		qsort(e, m->n, sizeof(*e), cmp_entry_index);
	n = (size_t)sprintf(buf, "%s\n", STATEFILE_HEADER);
	for (i = 0; i < m->n; i++)
		n += (size_t)sprintf(buf + n, "%" PRIu32 " %s %" PRId64 "\n", e[i].index, e[i].uuid,
				     e[i].last_seen < 0 ? 0 : e[i].last_seen);
	free(e);
	*len = n;
	return buf;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Temporary file, fsync, rename over the old one, fsync of the directory: a crash leaves
 * either the old map or the new one, never half of one. */
static const char *save(int dfd, const char *buf, size_t len)
{
	const char *tmp = STATEFILE_NAME ".tmp";
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		return "create " STATEFILE_NAME ".tmp";
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlinkat(dfd, tmp, 0);
		errno = e;
		return "write " STATEFILE_NAME ".tmp";
	}
	if (close(fd) < 0)
		return "close " STATEFILE_NAME ".tmp";
	if (renameat(dfd, tmp, dfd, STATEFILE_NAME) < 0)
		return "rename " STATEFILE_NAME ".tmp";
	if (fsync(dfd) < 0)
		return "fsync the directory";
	return NULL;
}

int statefile_save(const char *dir, struct vmindex *m, char *err, size_t errlen)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *step;
	size_t len;
	char *buf;

	if (dfd < 0) {
		err_set(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	buf = format(m, &len);
	step = save(dfd, buf, len);
	if (step)
		err_set(err, errlen, "%s: %s: %s", dir, step, strerror(errno));
	free(buf);
	close(dfd);
	if (step)
		return -1;
	vmindex_saved(m);
	return 0;
}
