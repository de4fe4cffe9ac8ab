/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_runtime.c: the runtime reader's parsers (source/runtime_parse.c: /proc/PID/stat,
 * Cpus_allowed_list, btime, /proc/PID/cgroup, memory.numa_stat v1 and v2, numa_maps) on the
 * same bytes, each result written back the kernel's way and read again, refusals with a
 * printable reason. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "core/cpuset.h"
#include "core/util.h"
#include "core/vmrun.h"
#include "fuzz.h"
#include "source/runtime.h"

/* The state, start time and last CPU, in a line of 52 fields as the kernel prints it. */
static void stat_line(const char *buf, size_t len)
{
	char err[ERRLEN] = "", *line;
	struct proc_stat a, b;
	size_t n;

	if (runtime_parse_stat(buf, len, &a, err, sizeof(err)) < 0) {
		fuzz_check_reason(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(a.state != ' ' && a.state != '\t' && a.state != '\n');
	FUZZ_CHECK(a.processor >= 0 && (unsigned)a.processor < CPUSET_MAX_CPUS);
	/* the command name may hold ") " and anything else: only the last ')' ends it */
	line = xasprintf("7 (a) b) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 %" PRIu64
			 " 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 %d 37 38 39 40 41 42 43 "
			 "44 45 46 47 48 49\n",
			 a.starttime, a.processor);
	n = strlen(line);
	line[9] = a.state; /* any byte but a blank, NUL included */
	FUZZ_CHECK(runtime_parse_stat(line, n, &b, err, sizeof(err)) == 0);
	FUZZ_CHECK(a.state == b.state && a.starttime == b.starttime && a.processor == b.processor);
	free(line);
}

/* A non-empty set of CPU ids, which the kernel's list syntax gives back. */
static void allowed(const char *buf, size_t len)
{
	char err[ERRLEN] = "", *fmt, *line;
	struct cpuset *s = NULL, *t = NULL;

	if (runtime_parse_allowed(buf, len, &s, err, sizeof(err)) < 0) {
		FUZZ_CHECK(s == NULL);
		fuzz_check_reason(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(s != NULL && !cpuset_empty(s) && cpuset_limit(s) == CPUSET_MAX_CPUS);
	fmt = cpuset_format(s);
	line = xasprintf("Name:\tCPU 0/KVM\nCpus_allowed_list:\t%s\nMems_allowed_list:\t0\n", fmt);
	FUZZ_CHECK(runtime_parse_allowed(line, strlen(line), &t, err, sizeof(err)) == 0);
	FUZZ_CHECK(cpuset_equal(s, t));
	free(line);
	free(fmt);
	cpuset_free(t);
	cpuset_free(s);
}

static void btime(const char *buf, size_t len)
{
	char err[ERRLEN] = "", line[64];
	int64_t a, b;
	int n;

	if (runtime_parse_btime(buf, len, &a, err, sizeof(err)) < 0) {
		fuzz_check_reason(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(a >= 0);
	n = snprintf(line, sizeof(line), "cpu 1 2\nbtime %" PRId64 "\nprocesses 9\n", a);
	FUZZ_CHECK(runtime_parse_btime(line, (size_t)n, &b, err, sizeof(err)) == 0 && a == b);
}

/* The path is absolute, one line, without a ".." component, and a "0::" line gives it back;
 * the VM's group is one of its components. */
static void cgroup(const char *buf, size_t len)
{
	char err[ERRLEN] = "", *line, *again = NULL, *c;
	size_t depth, comps = 0;
	bool v1, v1b;
	char *path = NULL;

	if (runtime_parse_cgroup(buf, len, &v1, &path, err, sizeof(err)) < 0) {
		FUZZ_CHECK(path == NULL);
		fuzz_check_reason(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(path[0] == '/' && strchr(path, '\n') == NULL && strlen(path) <= len);
	for (c = path; (c = strchr(c, '/')) != NULL; c++) {
		comps++;
		FUZZ_CHECK(strncmp(c, "/../", 4) != 0 && strcmp(c, "/..") != 0);
	}
	depth = runtime_vm_group_depth(path);
	FUZZ_CHECK(depth <= comps);
	line = xasprintf("%s:%s\n", v1 ? "4:memory" : "0:", path);
	FUZZ_CHECK(runtime_parse_cgroup(line, strlen(line), &v1b, &again, err, sizeof(err)) == 0);
	FUZZ_CHECK(v1 == v1b && strcmp(path, again) == 0);
	free(again);
	free(line);
	free(path);
}

/* A node list read back is the one written. */
static void same_nodes(const struct node_bytes *a, size_t na, const struct node_bytes *b,
		       size_t nb)
{
	size_t i;

	FUZZ_CHECK(na == nb);
	for (i = 0; i < na; i++)
		FUZZ_CHECK(a[i].node == b[i].node && a[i].bytes == b[i].bytes);
}

/* Nodes strictly increasing below the node limit; v1 bytes are whole pages (or saturated);
 * the per-node bytes written back as one v2 "anon" line read back the same. */
static void numa_stat(const char *buf, size_t len, bool v1)
{
	const uint64_t page = 4096;
	char err[ERRLEN] = "", *line;
	struct node_bytes *nb = NULL, *nb2 = NULL;
	size_t n = 0, n2 = 0, i, o;

	if (runtime_parse_numa_stat(buf, len, v1, page, &nb, &n, err, sizeof(err)) < 0) {
		FUZZ_CHECK(nb == NULL && n == 0);
		fuzz_check_reason(err, sizeof(err));
		return;
	}
	line = xmalloc(n * 48 + 8);
	o = (size_t)sprintf(line, "anon "); /* the blank: a line without nodes is one too */
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(nb[i].node < CPUSET_MAX_NODES && (i == 0 || nb[i].node > nb[i - 1].node));
		FUZZ_CHECK(!v1 || nb[i].bytes % page == 0 || nb[i].bytes == UINT64_MAX);
		o += (size_t)sprintf(line + o, " N%u=%" PRIu64, nb[i].node, nb[i].bytes);
	}
	line[o++] = '\n';
	FUZZ_CHECK(runtime_parse_numa_stat(line, o, false, page, &nb2, &n2, err, sizeof(err)) == 0);
	same_nodes(nb, n, nb2, n2);
	free(line);
	free(nb);
	free(nb2);
}

/* Nodes strictly increasing, bytes whole KiB (pages are) or saturated; unsaturated, one
 * 1 KiB-page anonymous mapping per node reads back the same. */
static void numa_maps(const char *buf, size_t len)
{
	char err[ERRLEN] = "", *line;
	struct node_bytes *nb = NULL, *nb2 = NULL;
	size_t n = 0, n2 = 0, i, o = 0;
	bool sat = false;

	if (runtime_parse_numa_maps(buf, len, 4096, &nb, &n, err, sizeof(err)) < 0) {
		FUZZ_CHECK(nb == NULL && n == 0);
		fuzz_check_reason(err, sizeof(err));
		return;
	}
	line = xmalloc(n * 80 + 1);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(nb[i].node < CPUSET_MAX_NODES && (i == 0 || nb[i].node > nb[i - 1].node));
		FUZZ_CHECK(nb[i].bytes % 1024 == 0 || nb[i].bytes == UINT64_MAX);
		sat |= nb[i].bytes == UINT64_MAX;
		o += (size_t)sprintf(line + o, "1 default anon=1 N%u=%" PRIu64 " kernelpagesize_kB=1\n",
				     nb[i].node, nb[i].bytes / 1024);
	}
	if (!sat) {
		FUZZ_CHECK(runtime_parse_numa_maps(line, o, 4096, &nb2, &n2, err, sizeof(err)) == 0);
		same_nodes(nb, n, nb2, n2);
	}
	free(line);
	free(nb);
	free(nb2);
}

int fuzz_runtime(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	stat_line(buf, size);
	allowed(buf, size);
	btime(buf, size);
	cgroup(buf, size);
	numa_stat(buf, size, true);
	numa_stat(buf, size, false);
	numa_maps(buf, size);
	return 0;
}

FUZZ_ENTRY(fuzz_runtime)
