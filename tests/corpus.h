/* SPDX-License-Identifier: BSD-3-Clause */
/* corpus.h: where the cmocka tests find the libvirt and sysfs corpus, and their exit status:
 * a run that skipped a case for want of the corpus exits 77 (automake's SKIP), never 0 (PASS). */
#ifndef NUMATOPD_TESTS_CORPUS_H
#define NUMATOPD_TESTS_CORPUS_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* the number of cases that called skip() because the corpus was missing */
static unsigned corpus_skipped;

static inline bool corpus_is_dir(const char *path)
{
	struct stat st;

	return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The corpus for cases that name their files: the shared one ($CORPUS), else the small copy
 * of those files in fixtures/corpus (fixtures/README.md); NULL when neither is there. */
static inline const char *corpus_find(void)
{
	static char buf[PATH_MAX];
	const char *c = getenv("CORPUS"), *f = getenv("FIXTURES");

	if (corpus_is_dir(c))
		return c;
	if (f && snprintf(buf, sizeof(buf), "%s/corpus", f) < (int)sizeof(buf) &&
	    corpus_is_dir(buf))
		return buf;
	return NULL;
}

/* Skip the running case (counted), or fail it when NUMATOPD_REQUIRE_ALL=1 (CI). */
static inline void corpus_skip(const char *what)
{
	const char *req = getenv("NUMATOPD_REQUIRE_ALL");

	if (req && strcmp(req, "1") == 0)
		fail_msg("%s is required (NUMATOPD_REQUIRE_ALL=1)", what);
	corpus_skipped++;
	skip();
}

/* The whole shared corpus ($CORPUS), for cases that walk all of it; skips when absent. */
static inline const char *corpus_full(void)
{
	const char *c = getenv("CORPUS");

	if (corpus_is_dir(c))
		return c;
	corpus_skip("the shared corpus (CORPUS)");
	return NULL;
}

/* corpus_find(), or skip the case. */
static inline const char *corpus_some(void)
{
	const char *c = corpus_find();

	if (c == NULL)
		corpus_skip("CORPUS or FIXTURES/corpus");
	return c;
}

/* main()'s exit status from cmocka's count of failed cases. */
static inline int corpus_exit(int failed)
{
	if (failed != 0)
		return failed;
	if (corpus_skipped > 0) {
		printf("SKIP: %u case(s) skipped: the shared corpus is missing\n", corpus_skipped);
		return 77;
	}
	return 0;
}

#endif
