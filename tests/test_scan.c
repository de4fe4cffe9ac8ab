/* SPDX-License-Identifier: BSD-3-Clause */
/* test_scan.c: the directory scan and its per-file cache: what is read, what is skipped, that
 * a bad file is logged once per change, and that a directory that cannot be read keeps its VMs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "source/scan.h"
#include "core/util.h"
#include "tmpdir.h"

static char dir[256];
static int warnings;
static char last_warning[1024];

static void count_log(int prio, const char *msg)
{
	if (prio <= LOG_WARNING) {
		warnings++;
		snprintf(last_warning, sizeof(last_warning), "%s", msg);
	}
}

static void put(const char *name, const char *content)
{
	assert_int_equal(tmpdir_put(dir, name, content), 0);
}

static char *domain(const char *name, unsigned id)
{
	return xasprintf("<domain type='kvm' id='%u'><name>%s</name>"
			 "<uuid>00000000-0000-0000-0000-%012u</uuid>"
			 "<memory unit='KiB'>1048576</memory><vcpu>2</vcpu></domain>\n",
			 id, name, id);
}

static void put_domain(const char *name, unsigned id)
{
	char file[128];
	char *xml = domain(name, id);

	snprintf(file, sizeof(file), "%s.xml", name);
	put(file, xml);
	free(xml);
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "scan"), 0);
	warnings = 0;
	last_warning[0] = '\0';
	log_set_hook(count_log);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(tmpdir_remove(dir), 0);
	log_set_hook(NULL);
	return 0;
}

static void test_wanted_names(void **state)
{
	(void)state;
	assert_true(scan_wanted_name("vm1.xml"));
	assert_false(scan_wanted_name("vm1.xml.new"));
	assert_false(scan_wanted_name(".vm1.xml"));
	assert_false(scan_wanted_name("vm1.pid"));
	assert_false(scan_wanted_name(".xml"));
	assert_false(scan_wanted_name("xml"));
	assert_true(scan_wanted_name("a.xml"));
}

static void test_reads_valid_and_skips_the_rest(void **state)
{
	struct vm *const *vms;
	const char *const *files;
	char err[ERRLEN], path[512];
	struct scan *s;
	size_t n;

	(void)state;
	put_domain("alpha", 1);
	put_domain("beta", 2);
	put("gamma.xml.new", "<domain"); /* half-written by libvirt: never read */
	put(".hidden.xml", "<domain");
	put("notes.txt", "hello");
	snprintf(path, sizeof(path), "%s/sub.xml", dir);
	assert_int_equal(mkdir(path, 0755), 0); /* a directory named *.xml: skipped */
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	n = scan_vms(s, &vms, &files);
	assert_int_equal(n, 2);
	assert_string_equal(files[0], "alpha.xml");
	assert_string_equal(vms[0]->name, "alpha");
	assert_string_equal(files[1], "beta.xml");
	assert_int_equal(scan_invalid_files(s), 0);
	assert_int_equal(warnings, 0);
	scan_free(s);
}

static void test_unchanged_file_is_not_parsed_twice(void **state)
{
	struct vm *const *vms;
	const char *const *files;
	char err[ERRLEN];
	struct scan *s;

	(void)state;
	put_domain("alpha", 1);
	put_domain("beta", 2);
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	assert_int_equal(scan_run(s, err, sizeof(err)), 0);
	/* libvirt's way: write name.xml.new, then rename over name.xml (new inode) */
	put("beta.xml.new", "<domain type='kvm' id='7'><name>beta</name><uuid>00000000-0000-0000-0000-00000000000b</uuid>"
			    "<memory>1024</memory><vcpu>4</vcpu></domain>");
	{
		char a[512], b[512];

		snprintf(a, sizeof(a), "%s/beta.xml.new", dir);
		snprintf(b, sizeof(b), "%s/beta.xml", dir);
		assert_int_equal(rename(a, b), 0);
	}
	assert_int_equal(scan_run(s, err, sizeof(err)), 1);
	assert_int_equal(scan_vms(s, &vms, &files), 2);
	assert_int_equal(vms[1]->vcpu_max, 4);
	assert_int_equal(vms[1]->id, 7);
	scan_free(s);
}

static void test_bad_file_logged_once_per_change(void **state)
{
	struct vm *const *vms;
	const char *const *files;
	struct model m;
	char err[ERRLEN];
	struct scan *s;

	(void)state;
	put_domain("alpha", 1);
	put("broken.xml", "<domain><name>x</name>");
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	assert_int_equal(warnings, 1);
	assert_non_null(strstr(last_warning, "broken.xml"));
	assert_int_equal(scan_invalid_files(s), 1);
	assert_int_equal(scan_parse_errors(s), 1);
	assert_int_equal(scan_vms(s, &vms, &files), 1);
	/* unchanged: no new log line, no new count */
	assert_int_equal(scan_run(s, err, sizeof(err)), 0);
	assert_int_equal(warnings, 1);
	assert_int_equal(scan_parse_errors(s), 1);
	/* the error list goes into the model */
	memset(&m, 0, sizeof(m));
	scan_add_errors(s, &m);
	assert_int_equal(m.nerrors, 1);
	assert_string_equal(m.errors[0].file, "broken.xml");
	assert_true(strlen(m.errors[0].reason) > 0);
	free(m.errors[0].file);
	free(m.errors[0].reason);
	free(m.errors);
	/* changed but still bad (different size): logged and counted again */
	put("broken.xml", "<domain><name>xy</name>");
	assert_int_equal(scan_run(s, err, sizeof(err)), 1);
	assert_int_equal(warnings, 2);
	assert_int_equal(scan_parse_errors(s), 2);
	/* fixed: valid again, invalid count back to 0 */
	put_domain("broken", 3);
	assert_int_equal(scan_run(s, err, sizeof(err)), 1);
	assert_int_equal(scan_invalid_files(s), 0);
	assert_int_equal(scan_vms(s, &vms, &files), 2);
	scan_free(s);
}

/* A file name is chosen by whoever can write the directory: a newline in it stays in the one
 * log line of its failure (U+FFFD, str_safe), and cannot start a forged line. */
static void test_newline_in_file_name_is_one_log_line(void **state)
{
	char err[ERRLEN];
	struct scan *s;

	(void)state;
	put("bad\nnumatopd: forged.xml", "<domain><name>x</name>");
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 1);
	assert_int_equal(warnings, 1);
	assert_null(strchr(last_warning, '\n'));
	assert_non_null(strstr(last_warning, "/bad\xef\xbf\xbdnumatopd: forged.xml: "));
	scan_free(s);
}

static void test_fifo_does_not_block(void **state)
{
	char err[ERRLEN], path[512];
	struct scan *s;
	time_t t0 = time(NULL);

	(void)state;
	snprintf(path, sizeof(path), "%s/pipe.xml", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	put_domain("alpha", 1);
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	assert_true(time(NULL) - t0 < 5);
	assert_int_equal(scan_invalid_files(s), 1);
	assert_non_null(strstr(last_warning, "pipe.xml"));
	assert_non_null(strstr(last_warning, "not a regular file"));
	scan_free(s);
}

static void test_symlink_is_rejected(void **state)
{
	char err[ERRLEN], target[512], link[512];
	struct scan *s;

	(void)state;
	put_domain("real", 1);
	snprintf(target, sizeof(target), "%s/real.xml", dir);
	snprintf(link, sizeof(link), "%s/link.xml", dir);
	assert_int_equal(symlink(target, link), 0);
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	assert_int_equal(scan_invalid_files(s), 1);
	assert_non_null(strstr(last_warning, "link.xml"));
	assert_non_null(strstr(last_warning, "symbolic link"));
	scan_free(s);
}

static void test_vanished_files_are_dropped(void **state)
{
	struct vm *const *vms;
	const char *const *files;
	char err[ERRLEN], path[512];
	struct scan *s;

	(void)state;
	put_domain("alpha", 1);
	put_domain("beta", 2);
	s = scan_new(dir, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	snprintf(path, sizeof(path), "%s/alpha.xml", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), 0);
	assert_int_equal(scan_vms(s, &vms, &files), 1);
	assert_string_equal(vms[0]->name, "beta");
	scan_free(s);
}

static void test_missing_directory(void **state)
{
	struct vm *const *vms;
	const char *const *files;
	char err[ERRLEN], path[512];
	struct scan *s;

	(void)state;
	snprintf(path, sizeof(path), "%s/not-there", dir);
	s = scan_new(path, 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not-there"));
	assert_true(scan_dir_missing(s));
	assert_int_equal(scan_vms(s, &vms, &files), 0);
	/* it appears later: picked up */
	assert_int_equal(mkdir(path, 0755), 0);
	{
		char file[600];
		FILE *f;
		char *xml = domain("late", 9);

		snprintf(file, sizeof(file), "%s/late.xml", path);
		f = fopen(file, "w");
		assert_non_null(f);
		fputs(xml, f);
		fclose(f);
		free(xml);
	}
	assert_int_equal(scan_run(s, err, sizeof(err)), 1);
	assert_false(scan_dir_missing(s));
	assert_int_equal(scan_vms(s, &vms, &files), 1);
	scan_free(s);
}

/* Run scan_run() with the file descriptor table full (EMFILE, for real: RLIMIT_NOFILE at the
 * lowest free descriptor). */
static int run_without_fds(struct scan *s, char *err, size_t errlen)
{
	struct rlimit old, low;
	int fd = dup(0), r;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)fd;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	r = scan_run(s, err, errlen);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	return r;
}

static void test_unreadable_directory_keeps_the_last_vms(void **state)
{
	struct vm *const *vms;
	const char *const *files;
	char err[ERRLEN], path[512];
	struct scan *s;
	uint64_t gen;

	(void)state;
	put_domain("alpha", 1);
	put_domain("beta", 2);
	s = scan_new(dir, 0);
	/* never read yet: nothing to keep, as if it were not there */
	assert_int_equal(run_without_fds(s, err, sizeof(err)), -1);
	assert_true(scan_dir_missing(s));
	assert_false(scan_stale(s));
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	gen = scan_generation(s);
	assert_int_equal(run_without_fds(s, err, sizeof(err)), -2);
	assert_non_null(strstr(err, strerror(EMFILE)));
	assert_true(scan_stale(s));
	assert_false(scan_dir_missing(s));
	assert_false(scan_dir_unchanged(s)); /* the next rebuild tries again */
	assert_int_equal(scan_vms(s, &vms, &files), 2);
	assert_string_equal(vms[0]->name, "alpha");
	assert_int_equal(scan_generation(s), gen);
	/* readable again: the same VMs, nothing parsed */
	assert_int_equal(scan_run(s, err, sizeof(err)), 0);
	assert_false(scan_stale(s));
	assert_int_equal(scan_vms(s, &vms, &files), 2);
	assert_int_equal(scan_generation(s), gen);
	/* gone (ENOENT) empties it, and then a read error has nothing to keep */
	snprintf(path, sizeof(path), "%s.away", dir);
	assert_int_equal(rename(dir, path), 0);
	assert_int_equal(scan_run(s, err, sizeof(err)), -1);
	assert_int_equal(scan_vms(s, &vms, &files), 0);
	assert_int_equal(rename(path, dir), 0);
	assert_int_equal(run_without_fds(s, err, sizeof(err)), -1);
	assert_int_equal(scan_run(s, err, sizeof(err)), 2);
	scan_free(s);
}

static void test_size_cap(void **state)
{
	char err[ERRLEN];
	struct scan *s;

	(void)state;
	put_domain("alpha", 1);
	s = scan_new(dir, 64); /* smaller than the file */
	assert_int_equal(scan_run(s, err, sizeof(err)), 1);
	assert_int_equal(scan_invalid_files(s), 1);
	assert_non_null(strstr(last_warning, "larger than"));
	scan_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wanted_names),
		cmocka_unit_test_setup_teardown(test_reads_valid_and_skips_the_rest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_file_is_not_parsed_twice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_file_logged_once_per_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newline_in_file_name_is_one_log_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_does_not_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanished_files_are_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_directory_keeps_the_last_vms, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
