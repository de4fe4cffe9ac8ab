/* SPDX-License-Identifier: BSD-3-Clause */
/* test_engine.c: the rebuild shortcuts. A build that changed no VM and no topology shares the
 * VM rows of the build before (account_refresh) and must serve exactly what a fresh engine
 * serves; with a watched directory, a build without an event skips the per-file stat. Runs on
 * a writable copy of fixtures/host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dump.h"
#include "source/engine.h"
#include "core/log.h"
#include "core/util.h"
#include "testutil.h"
#include "tmpdir.h"

static char root[256]; /* temp dir: sys/ and libvirt/ */
static struct engine_config cfg;

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* in place: the directory's own mtime does not move */
static void put(const char *rel, const char *content)
{
	assert_int_equal(tmpdir_put(root, rel, content), 0);
}

#define NODE0 "sys/devices/system/node/node0"

static int setup(void **state)
{
	const char *fx = getenv("FIXTURES");

	(void)state;
	assert_non_null(fx);
	assert_int_equal(tmpdir_make(root, sizeof(root), "engine"), 0);
	sh("cp -R '%s/host/sys' '%s/host/libvirt' '%s'", fx, fx, root);
	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = xasprintf("%s/sys", root);
	cfg.xml_dir = xasprintf("%s/libvirt", root);
	log_set_hook(testutil_quiet);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_set_hook(NULL);
	engine_config_clear(&cfg);
	assert_int_equal(tmpdir_remove(root), 0);
	return 0;
}

/* What a new engine (no cache, no previous build) serves from the same files. */
static char *fresh_dump(uint32_t now)
{
	struct engine *e = engine_new(&cfg);
	struct model *m = engine_build(e, now);
	char *s = testutil_dump_json(m);

	assert_false(engine_last_reused(e));
	model_unref(m);
	engine_free(e);
	return s;
}

static void assert_same_as_fresh(const struct model *m, uint32_t now)
{
	char *a = testutil_dump_json(m), *b = fresh_dump(now);

	assert_string_equal(a, b);
	free(a);
	free(b);
}

static const struct node_row *node(const struct model *m, unsigned id)
{
	const struct node_row *n = model_node(m, id);

	assert_non_null(n);
	return n;
}

static void test_unchanged_build_shares_vm_rows(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2, *m3;
	char *d1;

	(void)state;
	m1 = engine_build(e, 7);
	assert_false(engine_last_reused(e)); /* the first build accounts */
	assert_true(m1->nvms > 0);
	d1 = testutil_dump_json(m1);
	m2 = engine_build(e, 7);
	assert_true(engine_last_reused(e));
	assert_ptr_equal(m2->vms, m1->vms);
	assert_ptr_equal(m2->vcpus, m1->vcpus);
	/* the first snapshot goes first: the second must still hold the shared rows */
	model_unref(m1);
	m3 = engine_build(e, 7);
	assert_true(engine_last_reused(e));
	assert_ptr_equal(m3->vms, m2->vms);
	assert_ptr_equal(m3->vm_owner, m2->vm_owner); /* no chain of owners */
	model_unref(m2);
	{
		char *d3 = testutil_dump_json(m3);

		assert_string_equal(d3, d1);
		free(d3);
	}
	assert_int_equal(m3->nerrors, 2); /* the two broken fixture files, still listed */
	model_unref(m3);
	engine_free(e);
	free(d1);
}

static void test_free_counts_are_read_again(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2;
	const struct huge_row *h;
	size_t i;

	(void)state;
	m1 = engine_build(e, 7);
	assert_int_equal(node(m1, 0)->mem_free, 4194304ull * 1024);
	put(NODE0 "/meminfo", "Node 0 MemTotal:       16777216 kB\n"
			      "Node 0 MemFree:         1048576 kB\n"
			      "Node 0 MemUsed:        15728640 kB\n");
	put(NODE0 "/hugepages/hugepages-2048kB/free_hugepages", "17\n");
	put(NODE0 "/hugepages/hugepages-2048kB/surplus_hugepages", "3\n");
	m2 = engine_build(e, 7);
	assert_true(engine_last_reused(e));
	assert_int_equal(node(m2, 0)->mem_free, 1048576ull * 1024);
	assert_int_equal(node(m1, 0)->mem_free, 4194304ull * 1024); /* m1 is immutable */
	i = model_huge_lower(m2, 0, 2048);
	assert_true(i < m2->nhuges);
	h = &m2->huges[i];
	assert_int_equal(h->node, 0);
	assert_int_equal(h->size_kib, 2048);
	assert_int_equal(h->free, 17);
	assert_int_equal(h->surplus, 3);
	assert_same_as_fresh(m2, 7);
	model_unref(m1);
	model_unref(m2);
	engine_free(e);
}

static void test_topology_change_accounts_again(void **state)
{
	static const char *const changes[][2] = {
	    {NODE0 "/hugepages/hugepages-2048kB/nr_hugepages", "2048\n"},
	    {NODE0 "/cpulist", "0-3\n"},
	    {NODE0 "/distance", "10 31 31 31\n"},
	    {NODE0 "/meminfo", "Node 0 MemTotal:       8388608 kB\nNode 0 MemFree: 1 kB\n"},
	};
	size_t k;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(changes); k++) {
		struct engine *e = engine_new(&cfg);
		struct model *m1 = engine_build(e, 7), *m2;

		put(changes[k][0], changes[k][1]);
		m2 = engine_build(e, 7);
		assert_false(engine_last_reused(e));
		assert_same_as_fresh(m2, 7);
		model_unref(m1);
		model_unref(m2);
		engine_free(e);
	}
}

static void test_vm_change_accounts_again(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2, *m3;
	size_t n;

	(void)state;
	m1 = engine_build(e, 7);
	n = m1->nvms;
	sh("rm '%s/libvirt/web-local.xml'", root);
	m2 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(m2->nvms, n - 1);
	assert_same_as_fresh(m2, 7);
	sh("cp '%s/host/libvirt/web-local.xml' '%s/libvirt/'", getenv("FIXTURES"), root);
	m3 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(m3->nvms, n);
	assert_same_as_fresh(m3, 7);
	model_unref(m1);
	model_unref(m2);
	model_unref(m3);
	engine_free(e);
}

static void test_config_change_accounts_again(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct engine_config c2;
	struct model *m1, *m2;

	(void)state;
	m1 = engine_build(e, 7);
	engine_config_copy(&c2, &cfg);
	c2.acct.cpu_ratio_pct = 200;
	engine_set_config(e, &c2);
	m2 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(node(m2, 0)->cpu_limit, 2 * node(m1, 0)->cpu_limit);
	model_unref(m1);
	model_unref(m2);
	engine_free(e);
	engine_config_clear(&c2);
}

/* numaParseErrors is a Counter32: a SIGHUP that names another directory must not lower it. */
static void test_parse_errors_survive_a_new_directory(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct engine_config c2;
	struct model *m1, *m2, *m3;

	(void)state;
	m1 = engine_build(e, 7);
	assert_int_equal(m1->parse_errors, 2); /* the two broken fixture files */
	engine_config_copy(&c2, &cfg);
	free(c2.xml_dir);
	c2.xml_dir = xasprintf("%s/empty", root);
	sh("mkdir '%s/empty'", root);
	engine_set_config(e, &c2);
	m2 = engine_build(e, 7);
	assert_int_equal(m2->nvms, 0);
	assert_int_equal(m2->invalid_files, 0);
	assert_int_equal(m2->parse_errors, 2);
	engine_set_config(e, &cfg); /* back: both broken files fail again, and count */
	m3 = engine_build(e, 7);
	assert_int_equal(m3->parse_errors, 4);
	model_unref(m1);
	model_unref(m2);
	model_unref(m3);
	engine_free(e);
	engine_config_clear(&c2);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static const struct vm_row *vm_named(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nvms; i++)
		if (strcmp(m->vms[i].name, name) == 0)
			return &m->vms[i];
	return NULL;
}

/* Rename web-local inside its file, writing it in place: the directory's mtime stays. */
static void rename_in_place(const char *to)
{
	sh("sed 's|<name>web-local</name>|<name>%s</name>|' '%s/libvirt/web-local.xml' > "
	   "'%s/tmp.xml' && cat '%s/tmp.xml' > '%s/libvirt/web-local.xml'",
	   to, root, root, root, root);
}

/* Watched: no event, no scan; an event, a scan; a new name, a scan even without its event. */
static void test_watched_build_trusts_events(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2, *m3, *m4;

	(void)state;
	engine_set_watched(e, true);
	m1 = engine_build(e, 7);
	assert_true(engine_files_parsed(e) > 0);
	sleep_ms(20); /* any file time from now on differs from the last scan's */
	rename_in_place("web-renamed");
	m2 = engine_build(e, 7);
	assert_true(engine_last_reused(e)); /* no event: the scan is skipped, by design */
	assert_int_equal(engine_files_parsed(e), 0);
	assert_non_null(vm_named(m2, "web-local"));
	engine_dir_changed(e, NULL, 0);
	m3 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(engine_files_parsed(e), 1);
	assert_non_null(vm_named(m3, "web-renamed"));
	assert_same_as_fresh(m3, 7);
	model_unref(m1);
	model_unref(m2);
	sleep_ms(20);
	/* a file added with its event lost: the directory's own stat still shows it */
	sh("sed 's|<name>web-local</name>|<name>web-copy</name>|; s|<uuid>[^<]*</uuid>|"
	   "<uuid>0b0e0e0e-0000-4000-8000-00000000abcd</uuid>|; /<domain /s| id=.[0-9]*.| id=\\x279999\\x27|' "
	   "'%s/host/libvirt/web-local.xml' > '%s/libvirt/web-copy.xml'",
	   getenv("FIXTURES"), root);
	m4 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(engine_files_parsed(e), 1);
	assert_int_equal(m4->nvms, m3->nvms + 1);
	assert_non_null(vm_named(m4, "web-copy"));
	assert_same_as_fresh(m4, 7);
	model_unref(m3);
	model_unref(m4);
	engine_free(e);
}

/* Watched, with the names the events gave: only those files are looked at (added, changed,
 * removed), a change nothing named waits for the full read, and each build is what a fresh
 * engine serves of the files it looked at. */
static void test_watched_build_stats_named_files(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2, *m3, *m4;
	char *changed[] = {"web-local.xml"}, *moved[] = {"idle-float.xml", "web-copy.xml"};

	(void)state;
	engine_set_watched(e, true);
	m1 = engine_build(e, 7);
	sleep_ms(20);
	rename_in_place("web-named");
	sh("sed 's|<name>hpc-big</name>|<name>hpc-unnamed</name>|' '%s/libvirt/hpc-big.xml' > "
	   "'%s/tmp.xml' && cat '%s/tmp.xml' > '%s/libvirt/hpc-big.xml'", root, root, root, root);
	engine_dir_changed(e, changed, 1);
	m2 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(engine_files_parsed(e), 1);
	assert_non_null(vm_named(m2, "web-named"));
	assert_non_null(vm_named(m2, "hpc-big")); /* no event named it */
	/* one file gone, one new, both named */
	sh("rm '%s/libvirt/idle-float.xml'", root);
	sh("sed 's|<name>web-local</name>|<name>web-copy</name>|; s|<uuid>[^<]*</uuid>|"
	   "<uuid>0b0e0e0e-0000-4000-8000-00000000abce</uuid>|; /<domain /s| id=.[0-9]*.| id=\\x279998\\x27|' "
	   "'%s/host/libvirt/web-local.xml' > '%s/libvirt/web-copy.xml'",
	   getenv("FIXTURES"), root);
	engine_dir_changed(e, moved, 2);
	m3 = engine_build(e, 7);
	assert_int_equal(engine_files_parsed(e), 1);
	assert_int_equal(m3->nvms, m2->nvms);
	assert_null(vm_named(m3, "idle-float"));
	assert_non_null(vm_named(m3, "web-copy"));
	/* the safety net: everything is read, the unnamed change too */
	engine_read_all(e);
	m4 = engine_build(e, 7);
	assert_non_null(vm_named(m4, "hpc-unnamed"));
	assert_same_as_fresh(m4, 7);
	model_unref(m1);
	model_unref(m2);
	model_unref(m3);
	model_unref(m4);
	engine_free(e);
}

/* Watched, sysfs is re-read quickly between full reads: what moves is seen, and whatever the
 * quick read cannot tell (a node gone) makes it read everything. */
static void test_watched_sysfs_quick_read(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2, *m3;

	(void)state;
	engine_set_watched(e, true);
	m1 = engine_build(e, 7);
	assert_int_equal(m1->nnodes, 4);
	put(NODE0 "/meminfo", "Node 0 MemTotal:       16777216 kB\n"
			      "Node 0 MemFree:         2097152 kB\n"
			      "Node 0 MemUsed:        14680064 kB\n");
	m2 = engine_build(e, 7);
	assert_true(engine_last_reused(e));
	assert_int_equal(node(m2, 0)->mem_free, 2097152ull * 1024);
	assert_same_as_fresh(m2, 7);
	sh("rm -rf '%s/sys/devices/system/node/node6'", root);
	m3 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(m3->nnodes, 3);
	assert_same_as_fresh(m3, 7);
	model_unref(m1);
	model_unref(m2);
	model_unref(m3);
	engine_free(e);
}

/* Unwatched (the default): an in-place change is seen without any event. */
static void test_unwatched_build_stats_every_file(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2;

	(void)state;
	m1 = engine_build(e, 7);
	sleep_ms(20); /* a new mtime on any file system clock */
	rename_in_place("web-inplace");
	m2 = engine_build(e, 7);
	assert_false(engine_last_reused(e));
	assert_int_equal(engine_files_parsed(e), 1);
	assert_same_as_fresh(m2, 7);
	model_unref(m1);
	model_unref(m2);
	engine_free(e);
}

/* Turning the watch on forces one full scan: events before it are unknown. */
static void test_watch_turned_on_scans_once(void **state)
{
	struct engine *e = engine_new(&cfg);
	struct model *m1, *m2, *m3;

	(void)state;
	m1 = engine_build(e, 7);
	sleep_ms(20);
	rename_in_place("web-before");
	engine_set_watched(e, true);
	m2 = engine_build(e, 7);
	assert_int_equal(engine_files_parsed(e), 1);
	m3 = engine_build(e, 7);
	assert_true(engine_last_reused(e));
	model_unref(m1);
	model_unref(m2);
	model_unref(m3);
	engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unchanged_build_shares_vm_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_free_counts_are_read_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_topology_change_accounts_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vm_change_accounts_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_change_accounts_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parse_errors_survive_a_new_directory, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_watched_build_trusts_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watched_build_stats_named_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watched_sysfs_quick_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unwatched_build_stats_every_file, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_watch_turned_on_scans_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
