/* SPDX-License-Identifier: BSD-3-Clause */
/* test_watch.c: the inotify watch on a temp directory: which changes mark it dirty, which do
 * not, and how it follows a directory that does not exist yet, vanishes and comes back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "source/watch.h"
#include "tmpdir.h"

static char base[256];
static int warnings, infos;

static void quiet(int prio, const char *msg)
{
	(void)msg;
	if (prio <= LOG_WARNING)
		warnings++;
	else
		infos++;
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(tmpdir_make(base, sizeof(base), "watch"), 0);
	warnings = infos = 0;
	log_set_hook(quiet);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(tmpdir_remove(base), 0);
	log_set_hook(NULL);
	return 0;
}

static char *path(const char *rel)
{
	return xasprintf("%s/%s", base, rel);
}

static void put(const char *rel)
{
	assert_int_equal(tmpdir_put(base, rel, "<domain/>\n"), 0);
}

static void move(const char *from, const char *to)
{
	char *a = path(from), *b = path(to);

	assert_int_equal(rename(a, b), 0);
	free(a);
	free(b);
}

/* What the watch reports once the kernel has queued the events (up to 1 s). */
static unsigned settle(struct watch *w)
{
	struct pollfd p = {.fd = watch_fd(w), .events = POLLIN};

	if (p.fd < 0)
		return 0;
	if (poll(&p, 1, 1000) <= 0)
		return 0;
	return watch_read(w);
}

/* Nothing is pending: poll for 50 ms. */
static unsigned nothing_more(struct watch *w)
{
	struct pollfd p = {.fd = watch_fd(w), .events = POLLIN};

	if (poll(&p, 1, 50) <= 0)
		return 0;
	return watch_read(w);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The names the events gave, for the engine to stat only those: *.xml only, gathered until
 * taken; too many, and none is given (every file may have changed). */
static void events_name_their_files(void **state)
{
	char *dir = path("qemu"), **names, name[64];
	struct watch *w;
	size_t n, i;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	w = watch_new(dir);
	assert_true(watch_on_dir(w));
	put("qemu/a.xml.new");
	move("qemu/a.xml.new", "qemu/a.xml");
	put("qemu/notes.txt");
	assert_int_equal(settle(w), WATCH_CHANGED);
	nothing_more(w);
	names = watch_take_names(w, &n);
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], "a.xml");
	free_names(names, n);
	assert_null(watch_take_names(w, &n)); /* taken */
	assert_int_equal(n, 0);
	for (i = 0; i <= WATCH_NAMES_MAX; i++) {
		snprintf(name, sizeof(name), "qemu/v%zu.xml", i);
		put(name);
		watch_read(w); /* drain as the loop would: the kernel's queue is bounded too */
	}
	nothing_more(w);
	assert_null(watch_take_names(w, &n));
	assert_int_equal(n, 0);
	watch_free(w);
	free(dir);
}

static void xml_writes_renames_and_removals_mark_dirty(void **state)
{
	char *dir = path("qemu");
	struct watch *w;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	w = watch_new(dir);
	assert_true(watch_fd(w) >= 0);
	assert_true(watch_on_dir(w));
	put("qemu/a.xml");
	assert_int_equal(settle(w), WATCH_CHANGED);
	/* libvirt's way: write name.xml.new, rename it over name.xml */
	put("qemu/a.xml.new");
	assert_int_equal(settle(w) & WATCH_RESCAN, 0);
	move("qemu/a.xml.new", "qemu/a.xml");
	assert_int_equal(settle(w), WATCH_CHANGED);
	move("qemu/a.xml", "qemu/b.xml");
	assert_int_equal(settle(w), WATCH_CHANGED);
	free(dir);
	dir = path("qemu/b.xml");
	/* content changed without a close: truncate(2), and a write still open */
	assert_int_equal(truncate(dir, 3), 0);
	assert_int_equal(settle(w), WATCH_CHANGED);
	{
		FILE *f = fopen(dir, "a");

		assert_non_null(f);
		assert_int_equal(fputs("<x/>", f) >= 0, 1);
		assert_int_equal(fflush(f), 0);
		assert_int_equal(settle(w), WATCH_CHANGED);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(settle(w), WATCH_CHANGED);
	}
	assert_int_equal(unlink(dir), 0);
	assert_int_equal(settle(w), WATCH_CHANGED);
	watch_free(w);
	free(dir);
}

static void other_names_do_not_mark_dirty(void **state)
{
	char *dir = path("quiet");
	struct watch *w;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	w = watch_new(dir);
	put("quiet/x.xml.new");
	put("quiet/.hidden.xml");
	put("quiet/notes.txt");
	assert_int_equal(settle(w), 0);
	assert_int_equal(nothing_more(w), 0);
	watch_free(w);
	free(dir);
}

static void missing_directory_is_awaited_from_its_nearest_parent(void **state)
{
	char *dir = path("run/libvirt/qemu"), *run = path("run"), *lv = path("run/libvirt");
	struct watch *w;
	unsigned bits = 0;
	int i;

	(void)state;
	w = watch_new(dir);
	assert_true(watch_fd(w) >= 0);
	assert_false(watch_on_dir(w));
	/* unrelated entries in the parent change nothing */
	put("unrelated.xml");
	assert_int_equal(settle(w), 0);
	assert_false(watch_on_dir(w));
	assert_int_equal(mkdir(run, 0755), 0);
	assert_int_equal(mkdir(lv, 0755), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* one component at a time: a few reads until the directory itself is watched */
	for (i = 0; i < 5 && !watch_on_dir(w); i++)
		bits |= settle(w);
	assert_true(watch_on_dir(w));
	assert_true(bits & WATCH_RESCAN);
	put("run/libvirt/qemu/vm.xml");
	assert_int_equal(settle(w), WATCH_CHANGED);
	watch_free(w);
	free(dir);
	free(run);
	free(lv);
}

static void directory_removed_and_recreated_is_followed(void **state)
{
	char *dir = path("gone");
	struct watch *w;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	put("gone/a.xml");
	w = watch_new(dir);
	assert_int_equal(tmpdir_remove(dir), 0);
	assert_true(settle(w) & WATCH_RESCAN);
	assert_false(watch_on_dir(w));
	assert_true(watch_fd(w) >= 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_true(settle(w) & WATCH_RESCAN);
	assert_true(watch_on_dir(w));
	put("gone/b.xml");
	assert_int_equal(settle(w), WATCH_CHANGED);
	watch_free(w);
	free(dir);
}

static void without_inotify_it_says_so_once_and_retries(void **state)
{
	char *dir = path("q");
	struct rlimit saved, low;
	struct watch *w;
	int lowest = dup(0);

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	/* no descriptor left: inotify_init1() fails with EMFILE */
	assert_true(lowest >= 0);
	close(lowest);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	low = saved;
	low.rlim_cur = (rlim_t)lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	w = watch_new(dir);
	assert_int_equal(watch_fd(w), -1);
	assert_false(watch_on_dir(w));
	assert_int_equal(watch_read(w), 0);
	watch_retry(w);
	assert_int_equal(warnings, 1);
	/* a descriptor is free again: the refresh timer's retry picks it up */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	watch_retry(w);
	assert_true(watch_fd(w) >= 0);
	assert_true(watch_on_dir(w));
	assert_int_equal(warnings, 1);
	assert_true(infos >= 1);
	put("q/a.xml");
	assert_int_equal(settle(w), WATCH_CHANGED);
	watch_free(w);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(events_name_their_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(xml_writes_renames_and_removals_mark_dirty, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(other_names_do_not_mark_dirty, setup, teardown),
	    cmocka_unit_test_setup_teardown(missing_directory_is_awaited_from_its_nearest_parent,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(directory_removed_and_recreated_is_followed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(without_inotify_it_says_so_once_and_retries, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
