/* SPDX-License-Identifier: BSD-3-Clause */
/* test_sysfs.c: the sysfs reader on synthetic trees built in a temp dir (sparse ids, missing and
 * broken files) and on the corpus's real snapshots, with libvirt's nodeinfo as an oracle. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cpuset.h"
#include "source/pcidev.h"
#include "source/sysfs.h"
#include "core/util.h"
#include "source/read_file.h"
#include "corpus.h"
#include "tmpdir.h"

#define KiB  1024ull
#define NODE "devices/system/node"

/* ---------------------------------------------------------------- temp trees */

struct tree {
	char root[256];
};

static char *tpath(const struct tree *t, const char *rel)
{
	return xasprintf("%s/%s", t->root, rel);
}

static void mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", p, strerror(errno));
	free(p);
}

static void mkd(const struct tree *t, const char *rel)
{
	char *p = tpath(t, rel);

	mkdirs(p);
	free(p);
}

/* Write len bytes (so "\n\0" endings can be written) to rel, making parent dirs. */
static void put_n(const struct tree *t, const char *rel, const char *data, size_t len)
{
	char *p = tpath(t, rel), *dir = xstrdup(p);
	FILE *f;

	mkdirs(dirname(dir));
	f = fopen(p, "wb");
	if (f == NULL)
		fail_msg("fopen %s: %s", p, strerror(errno));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(dir);
	free(p);
}

static void put(const struct tree *t, const char *rel, const char *data)
{
	put_n(t, rel, data, strlen(data));
}

static void lnk(const struct tree *t, const char *rel, const char *target)
{
	char *p = tpath(t, rel);

	if (symlink(target, p) < 0)
		fail_msg("symlink %s: %s", p, strerror(errno));
	free(p);
}

static void put_meminfo(const struct tree *t, unsigned id, uint64_t total_kb, uint64_t free_kb)
{
	char rel[64], text[512];

	snprintf(rel, sizeof(rel), NODE "/node%u/meminfo", id);
	snprintf(text, sizeof(text),
		 "Node %u MemTotal:       %llu kB\nNode %u MemFree:        %llu kB\n"
		 "Node %u MemUsed:        %llu kB\nNode %u Active:          1234 kB\n"
		 "Node %u HugePages_Total:     0\n",
		 id, (unsigned long long)total_kb, id, (unsigned long long)free_kb, id,
		 (unsigned long long)(total_kb - free_kb), id, id);
	put(t, rel, text);
}

static void put_cpulist(const struct tree *t, unsigned id, const char *list)
{
	char rel[64];

	snprintf(rel, sizeof(rel), NODE "/node%u/cpulist", id);
	put(t, rel, list);
}

static int tree_setup(void **state)
{
	struct tree *t = xcalloc(1, sizeof(*t));

	if (tmpdir_make(t->root, sizeof(t->root), "sysfs") < 0)
		return -1;
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	int rc = tmpdir_remove(t->root);

	free(t);
	return rc;
}

static struct host *read_ok(const struct tree *t)
{
	char err[ERRLEN] = "";
	struct host *h = NULL;

	if (sysfs_read_host(t->root, &h, err, sizeof(err)) != 0)
		fail_msg("sysfs_read_host(%s): %s", t->root, err);
	assert_non_null(h);
	return h;
}

static void assert_set(const struct cpuset *s, const char *want)
{
	char *out = cpuset_format(s);

	assert_string_equal(out, want);
	free(out);
}

static void assert_warnings(const struct host *h, const char *const *want, size_t n)
{
	size_t i;

	for (i = 0; i < h->nwarnings; i++)
		print_message("warning: %s\n", h->warnings[i]);
	assert_int_equal(h->nwarnings, n);
	for (i = 0; i < n; i++)
		assert_string_equal(h->warnings[i], want[i]);
}

#define ASSERT_WARNINGS(h, ...)                                                                    \
	do {                                                                                       \
		static const char *const w_[] = {__VA_ARGS__};                                     \
		assert_warnings((h), w_, ARRAY_SIZE(w_));                                          \
	} while (0)

static const struct node *node_of(const struct host *h, unsigned id)
{
	const struct node *n = host_node(h, id);

	if (n == NULL)
		fail_msg("node %u missing", id);
	return n;
}

/* ---------------------------------------------------------------- synthetic trees */

static void test_sparse_node_ids(void **state)
{
	struct tree *t = *state;
	struct host *h;

	put_cpulist(t, 0, "0-3\n");
	put_cpulist(t, 8, "4-7\n");
	put_cpulist(t, 250, "8,10\n");
	put_cpulist(t, 1023, "9\n");
	h = read_ok(t);
	assert_int_equal(h->nnodes, 4);
	assert_int_equal(h->nodes[0].id, 0);
	assert_int_equal(h->nodes[1].id, 8);
	assert_int_equal(h->nodes[2].id, 250);
	assert_int_equal(h->nodes[3].id, 1023);
	assert_set(h->node_ids, "0,8,250,1023");
	assert_set(h->cpus, "0-10");
	assert_int_equal(cpuset_limit(h->node_ids), CPUSET_MAX_NODES);
	assert_int_equal(cpuset_limit(h->cpus), CPUSET_MAX_CPUS);
	assert_ptr_equal(host_node(h, 250), &h->nodes[2]);
	assert_ptr_equal(host_node(h, 0), &h->nodes[0]);
	assert_ptr_equal(host_node(h, 1023), &h->nodes[3]);
	assert_null(host_node(h, 1));
	assert_null(host_node(h, 251));
	assert_null(host_node(h, 5000));
	assert_int_equal(host_cpu_node(h, 3), 0);
	assert_int_equal(host_cpu_node(h, 4), 8);
	assert_int_equal(host_cpu_node(h, 10), 250);
	assert_int_equal(host_cpu_node(h, 9), 1023);
	assert_int_equal(host_cpu_node(h, 11), -1);
	assert_int_equal(host_cpu_node(h, 9000), -1);
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_memory_only_node(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	put_cpulist(t, 0, "0-1\n");
	put_meminfo(t, 0, 1024, 512);
	put_cpulist(t, 1, "\n");
	put_meminfo(t, 1, 16 * 1024 * 1024, 16 * 1024 * 1024 - 64);
	h = read_ok(t);
	n = node_of(h, 1);
	assert_true(cpuset_empty(n->cpus));
	assert_true(n->has_meminfo);
	assert_int_equal(n->mem_total, 16ull * 1024 * 1024 * KiB);
	assert_int_equal(n->mem_free, (16ull * 1024 * 1024 - 64) * KiB);
	assert_int_equal(n->mem_used, 64 * KiB);
	assert_set(h->cpus, "0-1");
	assert_set(h->node_ids, "0-1");
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_missing_cpulist_uses_cpu_entries(void **state)
{
	struct tree *t = *state;
	struct host *h;

	mkd(t, NODE "/node0/cpu0");
	mkd(t, NODE "/node0/cpu2");
	lnk(t, NODE "/node0/cpu5", "../../cpu/cpu5");	  /* dangling here: only the name counts */
	put(t, NODE "/node0/cpu64", "../../cpu/cpu64\n"); /* a link stored as a file */
	put(t, NODE "/node0/cpumap", "00000025\n");
	mkd(t, NODE "/node0/cpufreq");
	mkd(t, NODE "/node0/cpu01"); /* not a kernel name */
	mkd(t, NODE "/node0/cpu");
	mkd(t, NODE "/node0/cpu9x");
	put_cpulist(t, 1, "1\n"); /* a cpulist wins over entries */
	mkd(t, NODE "/node1/cpu7");
	h = read_ok(t);
	assert_set(node_of(h, 0)->cpus, "0,2,5,64");
	assert_set(node_of(h, 1)->cpus, "1");
	assert_set(h->cpus, "0-2,5,64");
	assert_int_equal(host_cpu_node(h, 64), 0);
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_cpu_entry_over_the_limit(void **state)
{
	struct tree *t = *state;
	struct host *h;

	mkd(t, NODE "/node0/cpu3");
	mkd(t, NODE "/node0/cpu8192");
	h = read_ok(t);
	assert_set(node_of(h, 0)->cpus, "3");
	ASSERT_WARNINGS(h, "node0/cpu8192: CPU id over the limit of 8191");
	host_free(h);
}

static void test_nul_endings(void **state)
{
	static const char mem[] = "Node 0 MemTotal:       2048 kB\n"
				  "Node 0 MemFree:        1024 kB\n"
				  "Node 0 MemUsed:        1024 kB\n";
	struct tree *t = *state;
	char membuf[sizeof(mem) + 1];
	const struct node *n;
	struct host *h;

	memcpy(membuf, mem, sizeof(mem)); /* the array's NUL is the "\0" after "\n" */
	put_n(t, NODE "/node0/cpulist", "0-3\n\0", 5);
	put_n(t, NODE "/node0/meminfo", membuf, sizeof(mem));
	put_n(t, NODE "/node0/distance", "10\n\0", 4);
	put_n(t, NODE "/node0/hugepages/hugepages-2048kB/nr_hugepages", "5\n\0", 3);
	put_n(t, NODE "/node0/hugepages/hugepages-2048kB/free_hugepages", "3\n\0", 3);
	put_n(t, NODE "/node0/hugepages/hugepages-2048kB/surplus_hugepages", "1\n\0", 3);
	h = read_ok(t);
	n = node_of(h, 0);
	assert_set(n->cpus, "0-3");
	assert_true(n->has_meminfo);
	assert_int_equal(n->mem_total, 2048 * KiB);
	assert_int_equal(n->mem_free, 1024 * KiB);
	assert_int_equal(n->mem_used, 1024 * KiB);
	assert_int_equal(n->ndist, 1);
	assert_int_equal(n->dist[0].peer, 0);
	assert_int_equal(n->dist[0].value, 10);
	assert_int_equal(n->nhuge, 1);
	assert_int_equal(n->huge[0].size_kib, 2048);
	assert_int_equal(n->huge[0].nr, 5);
	assert_int_equal(n->huge[0].free, 3);
	assert_int_equal(n->huge[0].surplus, 1);
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

/* As root, chmod 000 does not stop a read: a directory in the file's place fails for anyone. */
static void test_unreadable_meminfo(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;
	char *p;

	put_cpulist(t, 3, "0-1\n");
	put_meminfo(t, 3, 1024, 512);
	p = tpath(t, NODE "/node3/meminfo");
	if (geteuid() == 0) {
		assert_int_equal(unlink(p), 0);
		mkdirs(p);
	} else {
		assert_int_equal(chmod(p, 0), 0);
	}
	h = read_ok(t);
	n = node_of(h, 3);
	assert_false(n->has_meminfo);
	assert_int_equal(n->mem_total, 0);
	assert_set(n->cpus, "0-1"); /* the rest of the node is still there */
	if (geteuid() == 0)
		ASSERT_WARNINGS(h, "node3/meminfo: not a regular file");
	else
		ASSERT_WARNINGS(h, "node3/meminfo: Permission denied");
	host_free(h);
	free(p);
}

static void test_garbage_meminfo(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	put_cpulist(t, 0, "0\n");
	put(t, NODE "/node0/meminfo",
	    "Node 0 MemTotal:       2048 kB\nNode 0 MemFree:        lots kB\n");
	put_cpulist(t, 1, "1\n");
	put(t, NODE "/node1/meminfo", "\x01\x02 garbage\xff\n");
	put_cpulist(t, 2, "2\n");
	put(t, NODE "/node2/meminfo", "Node 2 MemTotal:       2048\n");
	h = read_ok(t);
	n = node_of(h, 0);
	assert_false(n->has_meminfo);
	assert_int_equal(n->mem_total, 0);
	assert_false(node_of(h, 1)->has_meminfo);
	assert_false(node_of(h, 2)->has_meminfo);
	ASSERT_WARNINGS(h, "node0/meminfo: line 2: MemFree: 'lots' is not a number",
			"node1/meminfo: no MemTotal line",
			"node2/meminfo: line 1: MemTotal has no kB unit");
	host_free(h);
}

static void test_garbage_cpulist(void **state)
{
	struct tree *t = *state;
	struct host *h;

	put(t, NODE "/node0/cpulist", "0-3,x\n");
	put_meminfo(t, 0, 1024, 1024);
	put_cpulist(t, 1, "4\n");
	h = read_ok(t);
	assert_true(cpuset_empty(node_of(h, 0)->cpus));
	assert_true(node_of(h, 0)->has_meminfo);
	assert_set(h->cpus, "4");
	ASSERT_WARNINGS(h, "node0/cpulist: 'x' (byte 0x78) where a number was expected");
	host_free(h);
}

static void test_distance_maps_to_ids_in_order(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	put(t, NODE "/node0/distance", "10 40 80\n");
	put(t, NODE "/node8/distance", "40 10 80\n");
	put(t, NODE "/node250/distance", "80 80 10\n");
	h = read_ok(t);
	n = node_of(h, 8);
	assert_int_equal(n->ndist, 3);
	assert_int_equal(n->dist[0].peer, 0);
	assert_int_equal(n->dist[0].value, 40);
	assert_int_equal(n->dist[1].peer, 8);
	assert_int_equal(n->dist[1].value, 10);
	assert_int_equal(n->dist[2].peer, 250);
	assert_int_equal(n->dist[2].value, 80);
	assert_int_equal(node_of(h, 250)->dist[2].value, 10);
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_distance_count_mismatch(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	put(t, NODE "/node0/distance", "10 20\n");
	put(t, NODE "/node1/distance", "20 10 30 40\n");
	put(t, NODE "/node2/distance", "30 30 10\n");
	put(t, NODE "/node3/distance", "\n");
	put(t, NODE "/node4/distance", "10 2x\n");
	h = read_ok(t);
	n = node_of(h, 0);
	assert_int_equal(n->ndist, 2);
	assert_int_equal(n->dist[1].peer, 1);
	assert_int_equal(n->dist[1].value, 20);
	n = node_of(h, 1);
	assert_int_equal(n->ndist, 4);
	assert_int_equal(n->dist[3].peer, 3);
	assert_int_equal(n->dist[3].value, 40);
	assert_int_equal(node_of(h, 2)->ndist, 3);
	assert_int_equal(node_of(h, 3)->ndist, 0);
	assert_int_equal(node_of(h, 4)->ndist, 0);
	ASSERT_WARNINGS(
	    h, "node0/distance: 2 values for 5 nodes", "node1/distance: 4 values for 5 nodes",
	    "node2/distance: 3 values for 5 nodes", "node3/distance: 0 values for 5 nodes",
	    "node4/distance: line 1: value 2: '2x' is not a number");
	host_free(h);
}

static void put_pool(const struct tree *t, unsigned id, unsigned kib, unsigned nr, unsigned fr,
		     unsigned sur)
{
	char rel[128], v[32];

	snprintf(rel, sizeof(rel), NODE "/node%u/hugepages/hugepages-%ukB/nr_hugepages", id, kib);
	snprintf(v, sizeof(v), "%u\n", nr);
	put(t, rel, v);
	snprintf(rel, sizeof(rel), NODE "/node%u/hugepages/hugepages-%ukB/free_hugepages", id, kib);
	snprintf(v, sizeof(v), "%u\n", fr);
	put(t, rel, v);
	snprintf(rel, sizeof(rel), NODE "/node%u/hugepages/hugepages-%ukB/surplus_hugepages", id,
		 kib);
	snprintf(v, sizeof(v), "%u\n", sur);
	put(t, rel, v);
}

static void test_hugepage_sizes_sorted(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	put_pool(t, 0, 1048576, 4, 2, 0);
	put_pool(t, 0, 64, 100, 99, 1);
	put_pool(t, 0, 2048, 512, 500, 3);
	put_pool(t, 0, 32768, 0, 0, 0);
	mkd(t, NODE "/node0/hugepages/hugepages-02048kB"); /* not a kernel name */
	mkd(t, NODE "/node0/hugepages/hugepages-kB");
	mkd(t, NODE "/node0/hugepages/hugepages-0kB");
	put(t, NODE "/node0/hugepages/README", "x\n");
	h = read_ok(t);
	n = node_of(h, 0);
	assert_int_equal(n->nhuge, 4);
	assert_int_equal(n->huge[0].size_kib, 64);
	assert_int_equal(n->huge[0].nr, 100);
	assert_int_equal(n->huge[0].free, 99);
	assert_int_equal(n->huge[0].surplus, 1);
	assert_int_equal(n->huge[1].size_kib, 2048);
	assert_int_equal(n->huge[1].nr, 512);
	assert_int_equal(n->huge[1].free, 500);
	assert_int_equal(n->huge[1].surplus, 3);
	assert_int_equal(n->huge[2].size_kib, 32768);
	assert_int_equal(n->huge[2].nr, 0);
	assert_int_equal(n->huge[3].size_kib, 1048576);
	assert_int_equal(n->huge[3].nr, 4);
	assert_int_equal(n->huge[3].free, 2);
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_hugepage_pool_with_bad_files(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	put(t, NODE "/node0/hugepages/hugepages-2048kB/nr_hugepages", "8\n");
	put(t, NODE "/node0/hugepages/hugepages-2048kB/free_hugepages", "-1\n");
	h = read_ok(t);
	n = node_of(h, 0);
	assert_int_equal(n->nhuge, 1);
	assert_int_equal(n->huge[0].size_kib, 2048);
	assert_int_equal(n->huge[0].nr, 8);
	assert_int_equal(n->huge[0].free, 0);
	ASSERT_WARNINGS(
	    h, "node0/hugepages/hugepages-2048kB/free_hugepages: line 1: '-1' is not a number",
	    "node0/hugepages/hugepages-2048kB/surplus_hugepages: No such file or directory");
	host_free(h);
}

static void test_non_node_entries_ignored(void **state)
{
	struct tree *t = *state;
	struct host *h;

	put_cpulist(t, 0, "0\n");
	put(t, NODE "/online", "0\n");
	put(t, NODE "/possible", "0-3\n");
	put(t, NODE "/has_cpu", "0\n");
	put(t, NODE "/has_memory", "0\n");
	put(t, NODE "/uevent", "");
	mkd(t, NODE "/power");
	mkd(t, NODE "/node");
	mkd(t, NODE "/nodeX");
	mkd(t, NODE "/node01");
	mkd(t, NODE "/node2a");
	mkd(t, NODE "/memory0");
	h = read_ok(t);
	assert_int_equal(h->nnodes, 1);
	assert_int_equal(h->nodes[0].id, 0);
	assert_set(h->node_ids, "0");
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_node_id_over_the_limit(void **state)
{
	struct tree *t = *state;
	struct host *h;

	put_cpulist(t, 0, "0\n");
	mkd(t, NODE "/node1024");
	mkd(t, NODE "/node99999999999999999999");
	h = read_ok(t);
	assert_int_equal(h->nnodes, 1);
	ASSERT_WARNINGS(h, "node1024: node id over the limit of 1023",
			"node99999999999999999999: node id over the limit of 1023");
	host_free(h);
}

/* As root, chmod 000 does not stop opendir: a file in the dir's place fails for anyone. */
static void test_node_dir_not_readable(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;
	char *p = tpath(t, NODE "/node1");

	put_cpulist(t, 0, "0\n");
	if (geteuid() == 0) {
		put(t, NODE "/node1", "not a dir\n");
	} else {
		put_cpulist(t, 1, "1\n");
		assert_int_equal(chmod(p, 0), 0);
	}
	h = read_ok(t);
	if (geteuid() != 0)
		assert_int_equal(chmod(p, 0755), 0); /* let teardown remove it */
	assert_int_equal(h->nnodes, 2);
	n = node_of(h, 1);
	assert_non_null(n->cpus);
	assert_true(cpuset_empty(n->cpus));
	assert_false(n->has_meminfo);
	assert_set(h->node_ids, "0-1");
	if (geteuid() == 0)
		ASSERT_WARNINGS(h, "node1: Not a directory");
	else
		ASSERT_WARNINGS(h, "node1: Permission denied");
	host_free(h);
	free(p);
}

static void test_empty_node_dir(void **state)
{
	struct tree *t = *state;
	const struct node *n;
	struct host *h;

	mkd(t, NODE "/node5");
	h = read_ok(t);
	assert_int_equal(h->nnodes, 1);
	n = node_of(h, 5);
	assert_non_null(n->cpus);
	assert_true(cpuset_empty(n->cpus));
	assert_false(n->has_meminfo);
	assert_int_equal(n->ndist, 0);
	assert_int_equal(n->nhuge, 0);
	assert_true(cpuset_empty(h->cpus));
	assert_int_equal(h->nwarnings, 0);
	host_free(h);
}

static void test_no_nodes(void **state)
{
	struct tree *t = *state;
	struct host *h;

	mkd(t, NODE);
	put(t, NODE "/online", "\n");
	h = read_ok(t);
	assert_int_equal(h->nnodes, 0);
	assert_true(cpuset_empty(h->node_ids));
	assert_null(host_node(h, 0));
	assert_int_equal(host_cpu_node(h, 0), -1);
	host_free(h);
}

static void test_missing_root(void **state)
{
	struct tree *t = *state;
	char *want = xasprintf("%s/nope/" NODE ": No such file or directory", t->root);
	char *root = tpath(t, "nope"), err[ERRLEN] = "";
	struct host *h = NULL;

	assert_int_equal(sysfs_read_host(root, &h, err, sizeof(err)), -1);
	assert_null(h);
	assert_string_equal(err, want);
	free(root);
	free(want);
}

static void test_host_free_null(void **state)
{
	(void)state;
	host_free(NULL); /* must not crash */
	assert_true(true);
}

/* ---------------------------------------------------------------- pure parsers */

/* An exact-size copy, so ASan sees any read past len. */
static char *copy(const char *s, size_t len)
{
	char *b = xmalloc(len);

	memcpy(b, s, len);
	return b;
}

struct meminfo_case {
	const char *name, *in;
	size_t len; /* 0: strlen */
	const char *err;
	bool has_total, has_free, has_used;
	uint64_t total, free, used;
};

static const struct meminfo_case meminfo_cases[] = {
    {"kernel file",
     "Node 0 MemTotal:       16777216 kB\nNode 0 MemFree:   1024 kB\n"
     "Node 0 MemUsed:   16776192 kB\nNode 0 HugePages_Total:     0\n",
     0, NULL, true, true, true, 16777216 * KiB, 1024 * KiB, 16776192 * KiB},
    {"ends in newline and NUL", "Node 1 MemTotal: 4 kB\n\0", 23, NULL, true, false, false, 4 * KiB,
     0, 0},
    {"no final newline", "Node 1 MemFree: 4 kB", 0, NULL, false, true, false, 0, 4 * KiB, 0},
    {"another node's number is fine", "Node 7 MemTotal: 1 kB", 0, NULL, true, false, false, KiB, 0,
     0},
    {"other fields ignored", "Node 0 Active(anon):  x kB\nNode 0 MemTotalX: 9 kB\nnonsense\n", 0,
     NULL, false, false, false, 0, 0, 0},
    {"empty", "", 0, NULL, false, false, false, 0, 0, 0},
    {"zero", "Node 0 MemFree: 0 kB\n", 0, NULL, false, true, false, 0, 0, 0},
    {"largest that fits", "Node 0 MemTotal: 18014398509481983 kB\n", 0, NULL, true, false, false,
     18014398509481983ull * KiB, 0, 0},
    {"not a number", "Node 0 MemTotal: 1 kB\nNode 0 MemUsed: 1x kB\n", 0,
     "line 2: MemUsed: '1x' is not a number", false, false, false, 0, 0, 0},
    {"negative", "Node 0 MemTotal: -5 kB\n", 0, "line 1: MemTotal: '-5' is not a number", false,
     false, false, 0, 0, 0},
    {"no value", "Node 0 MemTotal: kB\n", 0, "line 1: MemTotal: empty number", false, false, false,
     0, 0, 0},
    {"no unit", "Node 0 MemTotal: 5\n", 0, "line 1: MemTotal has no kB unit", false, false, false,
     0, 0, 0},
    {"bytes overflow", "Node 0 MemTotal: 18014398509481984 kB\n", 0,
     "line 1: MemTotal: 18014398509481984 kB is more bytes than 64 bits hold", false, false, false,
     0, 0, 0},
    {"u64 overflow", "Node 0 MemTotal: 99999999999999999999 kB\n", 0,
     "line 1: MemTotal: number '99999999999999999999' is too large", false, false, false, 0, 0, 0},
    {"twice", "Node 0 MemFree: 1 kB\n\nNode 0 MemFree: 1 kB\n", 0, "line 3: MemFree appears twice",
     false, false, false, 0, 0, 0},
    {"embedded NUL", "Node 0 MemTotal: 1\0002 kB\n", 24, "line 1: MemTotal: '1", false, false,
     false, 0, 0, 0},
};

static void test_parse_meminfo_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(meminfo_cases); i++) {
		const struct meminfo_case *c = &meminfo_cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		char *b = copy(c->in, len), err[ERRLEN] = "";
		struct meminfo mi;
		int rc = sysfs_parse_meminfo(b, len, &mi, err, sizeof(err));

		free(b);
		if (c->err) {
			if (rc != -1 || strncmp(err, c->err, strlen(c->err)) != 0)
				fail_msg("%s: rc %d, error '%s', want '%s'", c->name, rc, err,
					 c->err);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", c->name, err);
		assert_int_equal(mi.has_total, c->has_total);
		assert_int_equal(mi.has_free, c->has_free);
		assert_int_equal(mi.has_used, c->has_used);
		assert_int_equal(mi.total, c->total);
		assert_int_equal(mi.free, c->free);
		assert_int_equal(mi.used, c->used);
	}
}

static void test_parse_distance(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		size_t n;
		unsigned v[4];
		const char *err;
	} cases[] = {
	    {"10 21 21 10\n", 0, 4, {10, 21, 21, 10}, NULL},
	    {"10 21\n\0", 7, 2, {10, 21}, NULL},
	    {"10", 0, 1, {10}, NULL},
	    {"  10\t 20  \n", 0, 2, {10, 20}, NULL},
	    {"", 0, 0, {0}, NULL},
	    {"\n\0", 2, 0, {0}, NULL},
	    {"4294967295", 0, 1, {4294967295u}, NULL},
	    {"10 x", 0, 0, {0}, "line 1: value 2: 'x' is not a number"},
	    {"10 -1", 0, 0, {0}, "line 1: value 2: '-1' is not a number"},
	    {"4294967296", 0, 0, {0}, "line 1: value 1: 4294967296 is over the limit"},
	    {"10\n20\n", 0, 0, {0}, "line 2: a single line was expected"},
	    {"10 2\0000", 6, 0, {0}, "line 1: value 2: '2"},
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in), n = 99;
		char *b = copy(cases[i].in, len), err[ERRLEN] = "";
		unsigned *v = NULL;
		int rc = sysfs_parse_distance(b, len, &v, &n, err, sizeof(err));

		free(b);
		if (cases[i].err) {
			if (rc != -1 || strncmp(err, cases[i].err, strlen(cases[i].err)) != 0)
				fail_msg("'%s': rc %d, error '%s'", cases[i].in, rc, err);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s': %s", cases[i].in, err);
		assert_int_equal(n, cases[i].n);
		for (j = 0; j < n; j++)
			assert_int_equal(v[j], cases[i].v[j]);
		free(v);
	}
}

static void test_parse_number(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		uint64_t want;
		const char *err;
	} cases[] = {
	    {"0\n", 0, 0, NULL},
	    {"512\n\0", 5, 512, NULL},
	    {" 7 \n", 0, 7, NULL},
	    {"18446744073709551615", 0, UINT64_MAX, NULL},
	    {"18446744073709551616", 0, 0, "line 1: number '18446744073709551616' is too large"},
	    {"", 0, 0, "line 1: empty number"},
	    {"\n\0", 2, 0, "line 1: empty number"},
	    {"abc\n", 0, 0, "line 1: 'abc' is not a number"},
	    {"1 2\n", 0, 0, "line 1: '1 2' is not a number"},
	    {"1\n2\n", 0, 0, "line 2: a single line was expected"},
	    {"-3", 0, 0, "line 1: '-3' is not a number"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		char *b = copy(cases[i].in, len), err[ERRLEN] = "";
		uint64_t v = 12345;
		int rc = sysfs_parse_number(b, len, &v, err, sizeof(err));

		free(b);
		if (cases[i].err) {
			if (rc != -1 || strcmp(err, cases[i].err) != 0)
				fail_msg("'%s': rc %d, error '%s'", cases[i].in, rc, err);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s': %s", cases[i].in, err);
		assert_int_equal(v, cases[i].want);
	}
}


/* numastat: the six counters with their bits; other keys ignored; a missing line is no value
 * (its bit clear), never 0; a key twice or a bad number refuses the file. */
static void test_parse_numastat(void **state)
{
	static const char full[] = "numa_hit 5183012\nnuma_miss 1024\nnuma_foreign 2048\n"
				   "interleave_hit 37113\nlocal_node 5180377\nother_node 3659\n";
	struct numastat st;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(sysfs_parse_numastat(full, sizeof(full), &st, err, sizeof(err)), 0);
	assert_int_equal(st.has, 0x3f);
	assert_int_equal(st.v[NUMASTAT_HIT], 5183012);
	assert_int_equal(st.v[NUMASTAT_INTERLEAVE], 37113);
	assert_int_equal(st.v[NUMASTAT_OTHER], 3659);
	assert_int_equal(sysfs_parse_numastat("numa_hit 7\nfuture_key 9\nlocal_node 18446744073709551615\n",
					      56, &st, err, sizeof(err)),
			 0);
	assert_int_equal(st.has, (1u << NUMASTAT_HIT) | (1u << NUMASTAT_LOCAL));
	assert_true(numastat_has(&st, NUMASTAT_HIT));
	assert_false(numastat_has(&st, NUMASTAT_MISS));
	assert_int_equal(st.v[NUMASTAT_LOCAL], UINT64_MAX);
	assert_int_equal(sysfs_parse_numastat("numa_hit 1\nnuma_hit 2\n", 22, &st, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "line 2: numa_hit appears twice");
	assert_int_equal(st.has, 0);
	assert_int_equal(sysfs_parse_numastat("numa_miss x\n", 12, &st, err, sizeof(err)), -1);
	assert_string_equal(err, "line 1: numa_miss: 'x' is not a number");
	assert_int_equal(sysfs_parse_numastat("", 0, &st, err, sizeof(err)), 0);
	assert_int_equal(st.has, 0);
}

/* numa_node files and mdev link targets. */
static void test_pcidev_parsers(void **state)
{
	char a[PCI_ADDR_STRLEN];
	struct pci_addr pa;

	(void)state;
	assert_int_equal(pcidev_parse_node("1\n", 2), 1);
	assert_int_equal(pcidev_parse_node("-1\n", 3), -1);
	assert_int_equal(pcidev_parse_node("0", 1), 0);
	assert_int_equal(pcidev_parse_node("1024\n", 5), -1); /* over the node limit */
	assert_int_equal(pcidev_parse_node("x\n", 2), -1);
	assert_int_equal(pcidev_parse_node("-2\n", 3), -1);
	assert_int_equal(pcidev_parse_parent("../../../devices/pci0000:d7/0000:d7:00.0/0000:d8:00.0/"
					     "4b20d080-1b54-4048-85b3-a6a62d165c01",
					     &pa),
			 0);
	pci_addr_format(&pa, a);
	assert_string_equal(a, "0000:d8:00.0");
	assert_int_equal(pcidev_parse_parent("../../../devices/pci0000:00/0000:00:02.0/u/", &pa), 0);
	pci_addr_format(&pa, a);
	assert_string_equal(a, "0000:00:02.0");
	/* vfio-ccw and vfio-ap parents are not PCI devices */
	assert_int_equal(pcidev_parse_parent("../../../devices/css0/0.0.0023/u", &pa), -1);
	assert_int_equal(pcidev_parse_parent("../../../devices/vfio_ap/matrix/u", &pa), -1);
	assert_int_equal(pcidev_parse_parent("u", &pa), -1);
	assert_int_equal(pci_addr_parse("10000:00:00.0", &pa), 0);
	assert_int_equal(pci_addr_parse("0000:00:20.0", &pa), -1);
	assert_int_equal(pci_addr_parse("0000:00:1f.8", &pa), -1);
	assert_int_equal(pci_addr_parse("000:00:1f.0", &pa), -1);
	assert_int_equal(pci_addr_parse("0000:00:1f.0x", &pa), -1);
}

/* The device host: numastat for node 0 only, and each device the VMs name looked up. */
static void test_read_pcihost(void **state)
{
	const char *fx = getenv("FIXTURES");
	char *root, *copy, dir[PATH_MAX], err[ERRLEN];
	struct host *h = NULL;
	struct vm vm = {0};
	struct vm *vms[] = {&vm};
	struct vm_dev devs[4] = {
	    {.kind = DEV_KIND_PCI, .addr = {0, 0x3b, 2, 1}},
	    {.kind = DEV_KIND_PCI, .addr = {0, 0x5e, 0, 0}},
	    {.kind = DEV_KIND_MDEV, .uuid = "4b20d080-1b54-4048-85b3-a6a62d165c01"},
	    {.kind = DEV_KIND_PCI, .addr = {0, 0x3b, 2, 1}},
	};
	const struct host_dev *d;

	(void)state;
	if (fx == NULL)
		skip();
	/* the tree with its mdev link, which a release tarball does not keep */
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "test_sysfs_pci"), 0);
	copy = xasprintf("sh '%s/pcihost/copy.sh' '%s'", fx, dir);
	assert_int_equal(system(copy), 0);
	free(copy);
	root = xasprintf("%s/sys", dir);
	assert_int_equal(sysfs_read_host(root, &h, err, sizeof(err)), 0);
	assert_int_equal(h->nwarnings, 0);
	assert_int_equal(h->nodes[0].numastat.has, 0x3f);
	assert_int_equal(h->nodes[0].numastat.v[NUMASTAT_MISS], 1024);
	assert_int_equal(h->nodes[1].numastat.has, 0);
	vm.devs = devs;
	vm.ndevs = 4;
	pcidev_read(root, vms, 1, h);
	assert_int_equal(h->ndevs, 3); /* the VF twice is one entry */
	d = host_dev_find(h, DEV_KIND_PCI, &devs[0].addr, "");
	assert_non_null(d);
	assert_true(d->found);
	assert_int_equal(d->node, 0);
	d = host_dev_find(h, DEV_KIND_PCI, &devs[1].addr, "");
	assert_non_null(d);
	assert_false(d->found);
	assert_int_equal(d->node, -1);
	d = host_dev_find(h, DEV_KIND_MDEV, NULL, devs[2].uuid);
	assert_non_null(d);
	assert_true(d->found);
	assert_int_equal(d->node, 1);
	assert_int_equal(d->addr.bus, 0xd8);
	host_free(h);
	free(root);
	tmpdir_remove(dir);
}

/* ---------------------------------------------------------------- corpus */


/* The corpus keeps the kernel's relative symlinks; a copy that could not keep links holds them
 * as small files naming the target ("../linux-resctrl/system/"). Follow either kind to a
 * directory; NULL when there is none. */
static char *resolve_dir(const char *path, int depth)
{
	char *buf = NULL, *dir, *next, *res;
	struct stat st;
	size_t len;

	if (stat(path, &st) < 0)
		return NULL;
	if (S_ISDIR(st.st_mode))
		return realpath(path, NULL);
	if (depth > 8 || !S_ISREG(st.st_mode) || st.st_size == 0 || st.st_size > PATH_MAX)
		return NULL;
	if (read_file(path, PATH_MAX, false, &buf, &len, NULL, NULL, 0) < 0)
		return NULL;
	len = trim_end(buf, len);
	while (len > 1 && buf[len - 1] == '/')
		len--;
	buf[len] = '\0';
	if (len == 0 || buf[0] == '/' || strchr(buf, '\n')) {
		free(buf);
		return NULL;
	}
	dir = xstrdup(path);
	next = xasprintf("%s/%s", dirname(dir), buf);
	res = resolve_dir(next, depth + 1);
	free(next);
	free(dir);
	free(buf);
	return res;
}

/* A temp root whose devices/system/node is a symlink to the corpus's node dir, since the reader
 * takes the dir that contains devices/system/node (like /sys). */
static void corpus_root(struct tree *t, const char *nodedir)
{
	char *p;

	mkd(t, "devices/system");
	p = tpath(t, NODE);
	if (symlink(nodedir, p) < 0)
		fail_msg("symlink %s: %s", p, strerror(errno));
	free(p);
}

/* Read the corpus snapshot rel (the dir holding node/) into a fresh temp root. NULL when the
 * snapshot has no node dir. */
static struct host *read_corpus(const char *rel)
{
	char *base = xasprintf("%s/%s", corpus_some(), rel), *b = resolve_dir(base, 0), *nd, *node;
	struct tree t;
	struct host *h;

	if (b == NULL)
		fail_msg("%s: no such snapshot", base);
	nd = xasprintf("%s/node", b);
	node = resolve_dir(nd, 0);
	free(nd);
	free(b);
	free(base);
	if (node == NULL)
		return NULL;
	assert_int_equal(tmpdir_make(t.root, sizeof(t.root), "sysfs"), 0);
	corpus_root(&t, node);
	free(node);
	h = read_ok(&t);
	assert_int_equal(tmpdir_remove(t.root), 0);
	return h;
}

static struct host *read_corpus_ok(const char *rel)
{
	struct host *h = read_corpus(rel);

	if (h == NULL)
		fail_msg("%s: no node dir", rel);
	return h;
}

/* ---------------------------------------------------------------- the quick re-read */

static void assert_same_host(const struct host *a, const struct host *b)
{
	size_t i, j;

	assert_int_equal(a->nnodes, b->nnodes);
	assert_int_equal(a->nwarnings, b->nwarnings);
	assert_true(cpuset_equal(a->node_ids, b->node_ids));
	assert_true(cpuset_equal(a->cpus, b->cpus));
	for (i = 0; i < a->nnodes; i++) {
		const struct node *x = &a->nodes[i], *y = &b->nodes[i];

		assert_int_equal(x->id, y->id);
		assert_true(cpuset_equal(x->cpus, y->cpus));
		assert_int_equal(x->has_meminfo, y->has_meminfo);
		assert_int_equal(x->mem_total, y->mem_total);
		assert_int_equal(x->mem_free, y->mem_free);
		assert_int_equal(x->mem_used, y->mem_used);
		assert_int_equal(x->ndist, y->ndist);
		for (j = 0; j < x->ndist; j++) {
			assert_int_equal(x->dist[j].peer, y->dist[j].peer);
			assert_int_equal(x->dist[j].value, y->dist[j].value);
		}
		assert_int_equal(x->nhuge, y->nhuge);
		for (j = 0; j < x->nhuge; j++) {
			assert_int_equal(x->huge[j].size_kib, y->huge[j].size_kib);
			assert_int_equal(x->huge[j].nr, y->huge[j].nr);
			assert_int_equal(x->huge[j].free, y->huge[j].free);
			assert_int_equal(x->huge[j].surplus, y->huge[j].surplus);
		}
	}
}

/* Two nodes as a kernel shows them: online list, cpulist, meminfo, distance, two pool sizes. */
static void put_two_nodes(const struct tree *t)
{
	put(t, NODE "/online", "0-1\n");
	put(t, NODE "/possible", "0-3\n");
	put_cpulist(t, 0, "0-3\n");
	put_cpulist(t, 1, "4-7\n");
	put_meminfo(t, 0, 8388608, 4194304);
	put_meminfo(t, 1, 8388608, 1048576);
	put(t, NODE "/node0/distance", "10 21\n");
	put(t, NODE "/node1/distance", "21 10\n");
	put_pool(t, 0, 2048, 512, 500, 0);
	put_pool(t, 0, 1048576, 2, 2, 0);
	put_pool(t, 1, 2048, 0, 0, 0);
	put_pool(t, 1, 1048576, 4, 1, 0);
}

static struct host *refresh_ok(const struct tree *t, const struct host *prev)
{
	struct host *h = NULL;

	if (sysfs_refresh_host(t->root, prev, &h) != 0)
		fail_msg("sysfs_refresh_host(%s) refused", t->root);
	assert_non_null(h);
	return h;
}

static void test_refresh_reads_what_moves(void **state)
{
	struct tree *t = *state;
	struct host *h1, *h2, *full;

	put_two_nodes(t);
	h1 = read_ok(t);
	assert_int_equal(h1->nwarnings, 0);
	h2 = refresh_ok(t, h1); /* nothing changed: the same host */
	assert_same_host(h2, h1);
	host_free(h2);
	put_meminfo(t, 1, 8388608, 2097152);
	put_pool(t, 0, 2048, 1024, 17, 3);
	put_cpulist(t, 1, "4-6\n"); /* a CPU offlined */
	h2 = refresh_ok(t, h1);
	full = read_ok(t);
	assert_same_host(h2, full);
	assert_int_equal(node_of(h2, 1)->mem_free, 2097152 * KiB);
	assert_int_equal(node_of(h2, 0)->huge[0].nr, 1024);
	assert_int_equal(node_of(h2, 0)->huge[0].free, 17);
	assert_int_equal(node_of(h2, 0)->huge[0].surplus, 3);
	assert_set(node_of(h2, 1)->cpus, "4-6");
	assert_set(h2->cpus, "0-6");
	host_free(full);
	host_free(h2);
	host_free(h1);
}

/* Whenever the quick read could differ from the whole one, it refuses. */
static void test_refresh_refuses_what_it_cannot_tell(void **state)
{
	struct tree *t = *state;
	struct host *h1, *h2 = (struct host *)1;

	put_two_nodes(t);
	h1 = read_ok(t);
	assert_int_equal(sysfs_refresh_host(t->root, NULL, &h2), -1);
	assert_null(h2);
	/* a node came online: its directory and the online list */
	put(t, NODE "/online", "0-2\n");
	put_cpulist(t, 2, "8\n");
	put_meminfo(t, 2, 1024, 512);
	assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
	put(t, NODE "/online", "0-1\n");
	h2 = refresh_ok(t, h1);
	host_free(h2);
	/* no online list (test trees, old kernels) */
	{
		char *p = tpath(t, NODE "/online");

		assert_int_equal(unlink(p), 0);
		assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
		put(t, NODE "/online", "0-1\n");
		free(p);
	}
	/* a pool file gone, a meminfo turned into a directory, a node gone */
	{
		char *p = tpath(t, NODE "/node1/hugepages/hugepages-1048576kB/free_hugepages");

		assert_int_equal(unlink(p), 0);
		assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
		put_pool(t, 1, 1048576, 4, 1, 0);
		free(p);
		p = tpath(t, NODE "/node0/meminfo");
		assert_int_equal(unlink(p), 0);
		mkd(t, NODE "/node0/meminfo");
		assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
		assert_int_equal(rmdir(p), 0);
		put_meminfo(t, 0, 8388608, 4194304);
		free(p);
	}
	put(t, NODE "/node1/meminfo", "Node 1 MemTotal: 12 kB\n"); /* no MemFree */
	assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
	put_meminfo(t, 1, 8388608, 1048576);
	put_cpulist(t, 0, "0-3,x\n");
	assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
	put_cpulist(t, 0, "0-3\n");
	h2 = refresh_ok(t, h1);
	host_free(h2);
	host_free(h1);
	/* a host read with a warning is never refreshed, only read again */
	put(t, NODE "/node1/distance", "21 1x\n");
	h1 = read_ok(t);
	assert_true(h1->nwarnings > 0);
	assert_int_equal(sysfs_refresh_host(t->root, h1, &h2), -1);
	host_free(h1);
}

/* On every corpus snapshot with an online list, the quick read of an unchanged tree equals the
 * whole read (NUL endings, sparse ids, memory-only nodes, many page sizes), or refuses. */
static void test_refresh_corpus(void **state)
{
	static const char *const snaps[] = {
	    "hwloc/128arm-2pa2n8cluster4co/sys/devices/system",
	    "hwloc/memorysidecaches/sys/devices/system",
	    "hwloc/fakecpuid1f-64intel64-2p4d2n2c2t/sys/devices/system",
	    "hwloc/48amd64-4pa2n6c-sparse/sys/devices/system",
	    "hwloc/nvidiagpunumanodes/sys/devices/system",
	    "hwloc/fakeheteromemtiers/sys/devices/system",
	};
	unsigned same = 0;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(snaps); i++) {
		char *base = xasprintf("%s/%s", corpus_full(), snaps[i]), *b = resolve_dir(base, 0), *nd;
		char *node;
		struct tree t;
		struct host *h1, *h2;

		assert_non_null(b);
		nd = xasprintf("%s/node", b);
		node = resolve_dir(nd, 0);
		assert_non_null(node);
		assert_int_equal(tmpdir_make(t.root, sizeof(t.root), "sysfs"), 0);
		corpus_root(&t, node);
		h1 = read_ok(&t);
		if (sysfs_refresh_host(t.root, h1, &h2) == 0) {
			assert_same_host(h2, h1);
			host_free(h2);
			same++;
		} else {
			print_message("%s: refused (%zu warnings)\n", snaps[i], h1->nwarnings);
		}
		host_free(h1);
		assert_int_equal(tmpdir_remove(t.root), 0);
		free(node);
		free(nd);
		free(b);
		free(base);
	}
	assert_true(same >= 3);
}

static unsigned count_cpus(const struct host *h, unsigned id)
{
	return cpuset_count(node_of(h, id)->cpus);
}

static void test_corpus_nvidiagpunumanodes(void **state)
{
	struct host *h = read_corpus_ok("hwloc/nvidiagpunumanodes/sys/devices/system");
	const struct node *n;
	unsigned id;

	(void)state;
	assert_set(h->node_ids, "0,8,250-255");
	assert_int_equal(h->nwarnings, 0);
	assert_set(node_of(h, 0)->cpus, "0-87");
	assert_set(node_of(h, 8)->cpus, "88-175");
	assert_int_equal(cpuset_count(h->cpus), 176);
	for (id = 250; id <= 255; id++) {
		n = node_of(h, id);
		assert_true(cpuset_empty(n->cpus));
		assert_true(n->has_meminfo);
		assert_int_equal(n->mem_total, 15728640 * KiB);
		assert_int_equal(n->nhuge, 2);
		assert_int_equal(n->huge[0].size_kib, 2048);
		assert_int_equal(n->huge[1].size_kib, 1048576);
	}
	assert_int_equal(node_of(h, 250)->mem_used, 64 * KiB);
	n = node_of(h, 0);
	assert_int_equal(n->mem_total, 129839104 * KiB);
	assert_int_equal(n->ndist, 8);
	assert_int_equal(n->dist[0].peer, 0);
	assert_int_equal(n->dist[0].value, 10);
	assert_int_equal(n->dist[1].peer, 8);
	assert_int_equal(n->dist[1].value, 40);
	assert_int_equal(n->dist[7].peer, 255);
	assert_int_equal(n->dist[7].value, 80);
	n = node_of(h, 253);
	assert_int_equal(n->dist[5].peer, 253);
	assert_int_equal(n->dist[5].value, 10);
	assert_int_equal(host_cpu_node(h, 100), 8);
	host_free(h);
}

static void test_corpus_48amd64_sparse(void **state)
{
	static const unsigned ids[] = {0, 1, 2, 33, 34, 45, 72, 73};
	struct host *h = read_corpus_ok("hwloc/48amd64-4pa2n6c-sparse/sys/devices/system");
	const struct node *n;
	size_t i;

	(void)state;
	assert_set(h->node_ids, "0-2,33-34,45,72-73");
	assert_int_equal(h->nwarnings, 0);
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		assert_int_equal(count_cpus(h, ids[i]), 6);
	assert_set(node_of(h, 33)->cpus, "18-23");
	assert_int_equal(cpuset_count(h->cpus), 48);
	n = node_of(h, 33);
	assert_int_equal(n->mem_total, 16777216 * KiB);
	assert_int_equal(n->ndist, 8);
	assert_int_equal(n->dist[3].peer, 33);
	assert_int_equal(n->dist[3].value, 10);
	assert_int_equal(n->dist[1].peer, 1);
	assert_int_equal(n->dist[1].value, 16);
	assert_int_equal(n->dist[7].peer, 73);
	assert_int_equal(n->dist[7].value, 22);
	assert_int_equal(host_cpu_node(h, 47), 73);
	host_free(h);
}

static void test_corpus_128arm_hugepages(void **state)
{
	static const uint64_t sizes[] = {64, 2048, 32768, 1048576};
	struct host *h = read_corpus_ok("hwloc/128arm-2pa2n8cluster4co/sys/devices/system");
	size_t i, j;

	(void)state;
	assert_set(h->node_ids, "0-3");
	assert_int_equal(h->nwarnings, 0);
	assert_set(node_of(h, 0)->cpus, "0-31"); /* the file is "0-31\n\0" */
	assert_set(node_of(h, 3)->cpus, "96-127");
	assert_int_equal(cpuset_count(h->cpus), 128);
	assert_int_equal(node_of(h, 1)->mem_total, 132117940 * KiB);
	assert_int_equal(node_of(h, 1)->mem_free, 131884112 * KiB);
	for (i = 0; i < h->nnodes; i++) {
		assert_int_equal(h->nodes[i].nhuge, 4);
		for (j = 0; j < 4; j++)
			assert_int_equal(h->nodes[i].huge[j].size_kib, sizes[j]);
		assert_int_equal(h->nodes[i].ndist, 4);
	}
	assert_int_equal(node_of(h, 2)->dist[1].value, 25);
	host_free(h);
}

static void test_corpus_node_exporter_cpuless(void **state)
{
	struct host *h = read_corpus_ok("node_exporter-sys/devices/system");
	const struct node *n;

	(void)state;
	assert_set(h->node_ids, "0-2");
	assert_int_equal(h->nwarnings, 0);
	assert_set(node_of(h, 0)->cpus, "0-1");
	assert_set(node_of(h, 1)->cpus, "2-3");
	n = node_of(h, 2);
	assert_true(cpuset_empty(n->cpus));
	assert_true(n->has_meminfo);
	assert_int_equal(n->mem_total, 134217728 * KiB);
	assert_int_equal(n->mem_used, 94582940 * KiB);
	assert_int_equal(node_of(h, 0)->mem_total, 134182340 * KiB);
	assert_set(h->cpus, "0-3");
	host_free(h);
}

static void test_corpus_subcores1_cpus_from_entries(void **state)
{
	struct host *h = read_corpus_ok("libvirt/tests/virhostcpudata/linux-subcores1");

	(void)state;
	assert_set(h->node_ids, "0-1,16-17");
	assert_int_equal(h->nwarnings, 0);
	assert_set(node_of(h, 0)->cpus, "0-39");
	assert_set(node_of(h, 1)->cpus, "40-79");
	assert_set(node_of(h, 16)->cpus, "80-119");
	assert_set(node_of(h, 17)->cpus, "120-159");
	assert_int_equal(cpuset_count(h->cpus), 160);
	assert_int_equal(node_of(h, 0)->mem_total, 67108864 * KiB);
	assert_int_equal(host_cpu_node(h, 100), 16);
	host_free(h);
}

/* The next cell of a markdown table row: [*p, '|') trimmed; *p moves past the '|'. */
static char *cell(const char **p)
{
	const char *s = *p, *e = strchr(s, '|');
	size_t n;

	if (e == NULL)
		e = s + strlen(s);
	*p = *e ? e + 1 : e;
	while (*s == ' ')
		s++;
	n = (size_t)(e - s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return xstrndup(s, n);
}

/* One row: "| `path` | node ids | ...". The id list is "0,1,2" or "-" (no node dir). */
static bool check_summary_row(const char *line, size_t *nread)
{
	const char *p = line + 1;
	char *path = cell(&p), *ids = cell(&p), *rel;
	struct host *h;
	bool ok = true;

	rel = xstrndup(path + 1, strlen(path) - 2); /* drop the backticks */
	h = read_corpus(rel);
	if (strcmp(ids, "-") == 0) {
		if (h != NULL)
			ok = false, print_message("%s: table says no nodes, we read some\n", rel);
	} else if (h == NULL) {
		ok = false, print_message("%s: no node dir\n", rel);
	} else {
		char err[ERRLEN], *got = cpuset_format(h->node_ids), *want;
		struct cpuset *s = cpuset_parse(ids, strlen(ids), CPUSET_MAX_NODES, CPUSET_KERNEL,
						err, sizeof(err));

		assert_non_null(s);
		want = cpuset_format(s);
		if (strcmp(got, want) != 0 || h->nwarnings != 0) {
			size_t i;

			ok = false;
			print_message("%s: nodes %s (table: %s), %zu warnings\n", rel, got, want,
				      h->nwarnings);
			for (i = 0; i < h->nwarnings; i++)
				print_message("  %s\n", h->warnings[i]);
		}
		(*nread)++;
		cpuset_free(s);
		free(got);
		free(want);
	}
	host_free(h);
	free(rel);
	free(path);
	free(ids);
	return ok;
}

/* Every snapshot in the README's summary table: read without a warning, same node ids. */
static void test_corpus_summary_table(void **state)
{
	char *readme = xasprintf("%s/README.md", corpus_full()), *buf, err[ERRLEN], *line, *save;
	size_t len, rows = 0, nread = 0, bad = 0;
	const char *sec;

	(void)state;
	if (read_file(readme, 1 << 20, false, &buf, &len, NULL, err, sizeof(err)) < 0)
		fail_msg("%s: %s", readme, err);
	sec = strstr(buf, "## Summary of every sysfs snapshot");
	assert_non_null(sec);
	for (line = strtok_r((char *)sec, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (rows && strncmp(line, "## ", 3) == 0)
			break;
		if (strncmp(line, "| `", 3) != 0)
			continue;
		rows++;
		if (!check_summary_row(line, &nread))
			bad++;
	}
	print_message("summary table: %zu snapshots, %zu with nodes, %zu bad\n", rows, nread, bad);
	assert_true(rows >= 30);
	assert_true(nread >= 25);
	assert_int_equal(bad, 0);
	free(buf);
	free(readme);
}

/* libvirt's virhostcpudata: linux-<arch>-<name>.expected is virNodeGetInfo over linux-<name>/,
 * printed as "CPUs: %u/%u, ..., Nodes: %u". The first CPU figure counts the online CPUs that
 * libvirt finds as cpu<M> entries of the node dirs (and cpu/present); the second is
 * nodes*sockets*cores*threads, which libvirt forces to equal online + offline CPUs found there.
 * Our node CPUs come from cpulist, or from the same cpu<M> entries without looking at
 * online/present, so we compare our CPU count with the SECOND figure (test6: 6/8 online, 8 cpu
 * entries) and our node count with Nodes. Trees where libvirt legitimately differs: */
static const struct {
	const char *name;
	bool nodes_differ, cpus_differ;
} libvirt_differs[] = {
    /* node0 and node1 hold no cpu<M> entries: libvirt falls back to cpu/ (1 node, 2 CPUs);
     * we report two CPU-less nodes */
    {"test1", true, true},
    /* 8 nodes x 4 sockets x 2 cores x 1 thread != 64 CPUs: libvirt reports its flattened
     * topology, "Nodes: 1, Sockets: 1, Cores: 64, Threads: 1" */
    {"test8", true, false},
    /* the node dirs link 160 CPUs but cpu/present holds 80, which libvirt keeps; and the
     * topology does not multiply out, so it flattens to Nodes: 1 */
    {"deconf-cpus", true, true},
};

static size_t find_differs(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(libvirt_differs); i++)
		if (strcmp(libvirt_differs[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* "linux-x86_64-test1.expected" -> "test1": the arch (x86_64, ppc64, aarch64, armv6l, s390x)
 * has no '-', so the name is everything after the second '-'. */
static char *expected_name(const char *file)
{
	const char *a = file + strlen("linux-"), *dash = strchr(a, '-');

	assert_non_null(dash);
	return xstrndup(dash + 1, strlen(dash + 1) - strlen(".expected"));
}

static bool check_nodeinfo(const char *dir, const char *file, size_t *npairs)
{
	char *name = expected_name(file), *path = xasprintf("%s/%s", dir, file), *buf, err[ERRLEN];
	char *rel = xasprintf("libvirt/tests/virhostcpudata/linux-%s", name);
	unsigned online, total, mhz, nodes, cpus;
	size_t len, k = find_differs(name);
	struct host *h;
	bool ok = true;

	if (read_file(path, 4096, false, &buf, &len, NULL, err, sizeof(err)) < 0)
		fail_msg("%s: %s", path, err);
	if (sscanf(buf, "CPUs: %u/%u, MHz: %u, Nodes: %u", &online, &total, &mhz, &nodes) != 4)
		fail_msg("%s: unexpected format", path);
	h = read_corpus(rel);
	if (h != NULL) {
		bool nd, cd;

		cpus = cpuset_count(h->cpus);
		nd = h->nnodes != nodes;
		cd = cpus != total;
		if (nd != (k != SIZE_MAX && libvirt_differs[k].nodes_differ) ||
		    cd != (k != SIZE_MAX && libvirt_differs[k].cpus_differ) || h->nwarnings) {
			ok = false;
			print_message("%s: we read %zu nodes, %u CPUs, %zu warnings; libvirt: %s",
				      file, h->nnodes, cpus, h->nwarnings, buf);
		}
		/* a flattened libvirt answer always says one node */
		if (nd && nodes != 1)
			ok = false, print_message("%s: libvirt Nodes %u is not 1\n", file, nodes);
		(*npairs)++;
	}
	host_free(h);
	free(buf);
	free(rel);
	free(path);
	free(name);
	return ok;
}

static void test_corpus_libvirt_nodeinfo(void **state)
{
	char *dir = xasprintf("%s/libvirt/tests/virhostcpudata", corpus_full()), **names = NULL;
	size_t n = 0, i, npairs = 0, bad = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	d = opendir(dir);
	if (d == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (strncmp(de->d_name, "linux-", 6) == 0 && l > 9 &&
		    strcmp(de->d_name + l - 9, ".expected") == 0) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		if (!check_nodeinfo(dir, names[i], &npairs))
			bad++;
		free(names[i]);
	}
	print_message("virhostcpudata: %zu .expected files, %zu with a node dir, %zu bad\n", n,
		      npairs, bad);
	/* 20 files; the 5 trees without node/ (f21-mustang, raspberrypi, rhelsa-3.19.0-mustang,
	 * test5, with-frequency) are libvirt's non-NUMA fallback and say nothing about nodes */
	assert_true(npairs >= 10);
	assert_int_equal(bad, 0);
	free(names);
	free(dir);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_sparse_node_ids),
	    T(test_memory_only_node),
	    T(test_missing_cpulist_uses_cpu_entries),
	    T(test_cpu_entry_over_the_limit),
	    T(test_nul_endings),
	    T(test_unreadable_meminfo),
	    T(test_garbage_meminfo),
	    T(test_garbage_cpulist),
	    T(test_distance_maps_to_ids_in_order),
	    T(test_distance_count_mismatch),
	    T(test_hugepage_sizes_sorted),
	    T(test_hugepage_pool_with_bad_files),
	    T(test_non_node_entries_ignored),
	    T(test_node_id_over_the_limit),
	    T(test_node_dir_not_readable),
	    T(test_empty_node_dir),
	    T(test_no_nodes),
	    T(test_missing_root),
	    cmocka_unit_test(test_host_free_null),
	    cmocka_unit_test(test_parse_meminfo_table),
	    cmocka_unit_test(test_parse_distance),
	    cmocka_unit_test(test_parse_number),
	    cmocka_unit_test(test_parse_numastat),
	    cmocka_unit_test(test_pcidev_parsers),
	    cmocka_unit_test(test_read_pcihost),
	    cmocka_unit_test(test_corpus_nvidiagpunumanodes),
	    cmocka_unit_test(test_corpus_48amd64_sparse),
	    cmocka_unit_test_setup_teardown(test_refresh_reads_what_moves, tree_setup, tree_teardown),
	    cmocka_unit_test_setup_teardown(test_refresh_refuses_what_it_cannot_tell, tree_setup,
					    tree_teardown),
	    cmocka_unit_test(test_refresh_corpus),
	    cmocka_unit_test(test_corpus_128arm_hugepages),
	    cmocka_unit_test(test_corpus_node_exporter_cpuless),
	    cmocka_unit_test(test_corpus_subcores1_cpus_from_entries),
	    cmocka_unit_test(test_corpus_summary_table),
	    cmocka_unit_test(test_corpus_libvirt_nodeinfo),
	};
#undef T

	return corpus_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
