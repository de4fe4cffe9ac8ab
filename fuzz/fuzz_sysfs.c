/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_sysfs.c: the sysfs attribute parsers (meminfo, distance, a single number, and cpulist
 * through cpuset_parse's kernel syntax) on the same bytes, with each result read back. */
#include <inttypes.h>
#include <string.h>

#include "core/cpuset.h"
#include "fuzz.h"
#include "source/sysfs.h"
#include "core/util.h"

/* The three fields are kB in the file, so bytes are whole KiB; an absent field stays 0. */
static void meminfo(const char *buf, size_t len)
{
	char err[ERRLEN] = "";
	struct meminfo mi;

	if (sysfs_parse_meminfo(buf, len, &mi, err, sizeof(err)) < 0) {
		fuzz_reason_fits(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(mi.total % 1024 == 0 && mi.free % 1024 == 0 && mi.used % 1024 == 0);
	FUZZ_CHECK(mi.has_total || mi.total == 0);
	FUZZ_CHECK(mi.has_free || mi.free == 0);
	FUZZ_CHECK(mi.has_used || mi.used == 0);
}

/* The values printed the kernel's way ("10 21\n") read back the same. */
static void distance(const char *buf, size_t len)
{
	char err[ERRLEN] = "", *out;
	unsigned *v = NULL, *w = NULL;
	size_t n = 0, m = 0, i, o = 0;

	if (sysfs_parse_distance(buf, len, &v, &n, err, sizeof(err)) < 0) {
		fuzz_reason_fits(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(n <= len);
	out = xmalloc(n * 11 + 2);
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(out + o, "%s%u", i ? " " : "", v[i]);
	out[o++] = '\n';
	FUZZ_CHECK(sysfs_parse_distance(out, o, &w, &m, err, sizeof(err)) == 0);
	FUZZ_CHECK(m == n && (n == 0 || memcmp(v, w, n * sizeof(*v)) == 0));
	free(out);
	free(v);
	free(w);
}

static void number(const char *buf, size_t len)
{
	char err[ERRLEN] = "", out[32];
	uint64_t x, y;
	int n;

	if (sysfs_parse_number(buf, len, &x, err, sizeof(err)) < 0) {
		fuzz_reason_fits(err, sizeof(err));
		return;
	}
	n = snprintf(out, sizeof(out), "%" PRIu64 "\n", x);
	FUZZ_CHECK(sysfs_parse_number(out, (size_t)n + 1, &y, err, sizeof(err)) == 0 && x == y);
}

/* What sysfs_read_host does with a node's cpulist. */
static void cpulist(const char *buf, size_t len)
{
	char err[ERRLEN] = "", *fmt;
	struct cpuset *s, *t;

	s = cpuset_parse(buf, len, CPUSET_MAX_CPUS, CPUSET_KERNEL, err, sizeof(err));
	if (s == NULL) {
		fuzz_reason_fits(err, sizeof(err));
		return;
	}
	fmt = cpuset_format(s);
	t = cpuset_parse(fmt, strlen(fmt), CPUSET_MAX_CPUS, CPUSET_KERNEL, err, sizeof(err));
	FUZZ_CHECK(t != NULL && cpuset_equal(s, t));
	free(fmt);
	cpuset_free(t);
	cpuset_free(s);
}

int fuzz_sysfs(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	meminfo(buf, size);
	distance(buf, size);
	number(buf, size);
	cpulist(buf, size);
	return 0;
}

FUZZ_ENTRY(fuzz_sysfs)
