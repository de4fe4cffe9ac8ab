/* SPDX-License-Identifier: BSD-3-Clause */
/* tmpdir.c: mkdtemp under $TMPDIR for the unit tests, and a depth-first removal with nftw(3)
 * that replaces the "rm -rf" each test used to run through system(3). */
#include "tmpdir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int tmpdir_make(char *buf, size_t len, const char *name)
{
	const char *base = getenv("TMPDIR");
	int n;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = snprintf(buf, len, "%s/numatopd-%s.XXXXXX", base, name);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkdtemp(buf) == NULL ? -1 : 0;
}

int tmpdir_put(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	FILE *f;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	if (fputs(content, f) == EOF) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int tmpdir_mkdir(const char *dir, const char *rel)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* each '/' after dir ends a parent: make it, then the whole path */
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; *p++ = '/') {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int tmpdir_remove(const char *dir)
{
	/* FTW_DEPTH: a directory after its contents; FTW_PHYS: a link is removed, not followed */
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
