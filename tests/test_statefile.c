/* SPDX-License-Identifier: BSD-3-Clause */
/* test_statefile.c: the VM index map on disk (source/statefile.c): a round trip, and every
 * way the file can be missing, corrupt or hostile, each read without a crash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "core/vmindex.h"
#include "source/read_file.h"
#include "source/statefile.h"
#include "tmpdir.h"

#define U1 "6e1a2b3c-0000-4000-8000-000000000001"
#define U2 "6e1a2b3c-0000-4000-8000-000000000002"

static char dir[4096];

static int setup(void **state)
{
	(void)state;
	return tmpdir_make(dir, sizeof(dir), "statefile");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove(dir);
}

static void put(const char *text)
{
	assert_int_equal(tmpdir_put(dir, STATEFILE_NAME, text), 0);
}

static char *get(void)
{
	char *path = xasprintf("%s/" STATEFILE_NAME, dir), *buf = NULL, err[128];
	size_t len;

	assert_int_equal(read_file(path, 1 << 20, true, &buf, &len, NULL, err, sizeof(err)), 0);
	free(path);
	return buf;
}

/* Saved by index, read back equal; no temporary file left behind. */
static void round_trip(void **state)
{
	struct vmindex *m = vmindex_new(), *r = vmindex_new();
	char err[256], *text, *tmp;

	(void)state;
	assert_int_equal(vmindex_add(m, U2, 7, 1700000000, err, sizeof(err)), 0);
	assert_int_equal(vmindex_add(m, U1, 1073741999, 5, err, sizeof(err)), 0);
	assert_int_equal(statefile_save(dir, m, err, sizeof(err)), 0);
	assert_false(m->changed);
	text = get();
	assert_string_equal(text, STATEFILE_HEADER "\n7 " U2 " 1700000000\n1073741999 " U1 " 5\n");
	free(text);
	tmp = xasprintf("%s/" STATEFILE_NAME ".tmp", dir);
	assert_int_equal(access(tmp, F_OK), -1);
	free(tmp);
	assert_int_equal(statefile_load(dir, r, err, sizeof(err)), STATEFILE_OK);
	assert_int_equal(r->n, 2);
	assert_int_equal(vmindex_find_uuid(r, U1)->index, 1073741999);
	assert_int_equal(vmindex_find_index(r, 7)->last_seen, 1700000000);
	assert_false(r->changed);
	vmindex_free(m);
	vmindex_free(r);
}

static void missing(void **state)
{
	struct vmindex *m = vmindex_new();
	char err[256];

	(void)state;
	assert_int_equal(statefile_load(dir, m, err, sizeof(err)), STATEFILE_MISSING);
	assert_int_equal(m->n, 0);
	vmindex_free(m);
}

/* No header: the whole file is ignored, and the map is written anew at the next save. */
static void corrupt(void **state)
{
	struct vmindex *m = vmindex_new();
	char err[256];

	(void)state;
	put("\x7f" "ELF garbage\n7 " U1 " 1\n");
	assert_int_equal(statefile_load(dir, m, err, sizeof(err)), STATEFILE_BAD);
	assert_int_equal(m->n, 0);
	assert_true(m->changed);
	assert_non_null(strstr(err, "line 1 is not \"" STATEFILE_HEADER "\""));
	vmindex_free(m);
}

/* Bad lines are dropped one by one, the first reason named; the good ones stay. */
static void bad_lines(void **state)
{
	struct vmindex *m = vmindex_new();
	char err[256];

	(void)state;
	put(STATEFILE_HEADER "\n"
	    "7 " U1 " 1\n"
	    "8 6E1A2B3C-0000-4000-8000-000000000002 1\n" /* not lowercase */
	    "0 " U2 " 1\n"				/* index 0 */
	    "2147483648 " U2 " 1\n"			/* over 2^31-1 */
	    "7 " U2 " 1\n"				/* index twice */
	    "9 " U1 " 1\n"				/* UUID twice */
	    "9 " U2 " -1\n"				/* a sign */
	    "\n"
	    "9 " U2 " 1 trailing\n"
	    "9 " U2 " 1\n"
	    "10 6e1a2b3c-0000-4000-8000-000000000003 1"); /* no newline */
	assert_int_equal(statefile_load(dir, m, err, sizeof(err)), STATEFILE_PARTIAL);
	assert_int_equal(m->n, 2);
	assert_int_equal(vmindex_find_uuid(m, U1)->index, 7);
	assert_int_equal(vmindex_find_uuid(m, U2)->index, 9);
	assert_non_null(strstr(err, "line 3: not a UUID"));
	assert_non_null(strstr(err, "(9 bad lines dropped)"));
	assert_true(m->changed);
	vmindex_free(m);
}

/* Larger than the bound: not read at all. A symbolic link: not followed. */
static void too_large_or_link(void **state)
{
	struct vmindex *m = vmindex_new();
	char *path = xasprintf("%s/" STATEFILE_NAME, dir), err[256];

	(void)state;
	put(STATEFILE_HEADER "\n");
	assert_int_equal(truncate(path, (off_t)STATEFILE_MAX_SIZE + 1), 0);
	assert_int_equal(statefile_load(dir, m, err, sizeof(err)), STATEFILE_BAD);
	assert_non_null(strstr(err, "larger than"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(statefile_load(dir, m, err, sizeof(err)), STATEFILE_BAD);
	assert_int_equal(m->n, 0);
	free(path);
	vmindex_free(m);
}

/* A directory that does not exist: the save fails with the path and the reason. */
static void save_fails(void **state)
{
	struct vmindex *m = vmindex_new();
	char *gone = xasprintf("%s/nonexistent", dir), err[512];

	(void)state;
	assert_int_equal(vmindex_add(m, U1, 7, 1, err, sizeof(err)), 0);
	assert_int_equal(statefile_save(gone, m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nonexistent: No such file or directory"));
	assert_true(m->changed);
	free(gone);
	vmindex_free(m);
}

/* The map itself: a full map refuses; eviction takes the longest unseen not kept. */
static void map_evict(void **state)
{
	struct vmindex *m = vmindex_new();
	bool keep[3] = {true, false, false};
	char err[128];

	(void)state;
	assert_int_equal(vmindex_add(m, U1, 1, 10, err, sizeof(err)), 0);
	assert_int_equal(vmindex_add(m, U2, 2, 30, err, sizeof(err)), 0);
	assert_int_equal(vmindex_add(m, "6e1a2b3c-0000-4000-8000-000000000003", 3, 20, err,
				     sizeof(err)), 0);
	assert_int_equal(vmindex_add(m, "not-a-uuid", 4, 0, err, sizeof(err)), -1);
	vmindex_saved(m);
	assert_int_equal(vmindex_evict(m, keep, 1), 1);
	assert_true(m->changed);
	assert_non_null(vmindex_find_index(m, 1));
	assert_non_null(vmindex_find_index(m, 2));
	assert_null(vmindex_find_index(m, 3));
	assert_null(vmindex_find_uuid(m, "6e1a2b3c-0000-4000-8000-000000000003"));
	vmindex_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(corrupt, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(too_large_or_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(save_fails, setup, teardown),
	    cmocka_unit_test(map_evict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
