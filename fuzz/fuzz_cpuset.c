/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz_cpuset.c: cpuset_parse in both syntaxes under both limits, with the canonical format's
 * round trip parse(format(parse(x))) == parse(x) and the syntaxes and limits agreeing. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "core/cpuset.h"
#include "fuzz.h"
#include "core/util.h"

enum { KERNEL, LIBVIRT, NSYN };
enum { CPUS, NODES, NLIM };

static const enum cpuset_syntax syntaxes[NSYN] = {CPUSET_KERNEL, CPUSET_LIBVIRT};
static const unsigned limits[NLIM] = {CPUSET_MAX_CPUS, CPUSET_MAX_NODES};

/* A reason is one line that fits the buffer (callers log it as is). */
static void check_reason(const char *err, size_t errlen)
{
	FUZZ_CHECK(memchr(err, '\n', fuzz_reason_fits(err, errlen)) == NULL);
}

/* Members below the limit, iteration and count agree, and the canonical list is a fixed
 * point that both syntaxes read back as the same set. */
static void check_set(const struct cpuset *s, unsigned limit)
{
	char err[ERRLEN], *fmt, *fmt2;
	struct cpuset *t, *d;
	unsigned n = 0;
	int i, prev = -1;

	for (i = cpuset_first(s); i >= 0; i = cpuset_next(s, i)) {
		FUZZ_CHECK(i > prev && (unsigned)i < limit && cpuset_test(s, (unsigned)i));
		prev = i;
		n++;
	}
	FUZZ_CHECK(n == cpuset_count(s));
	FUZZ_CHECK(cpuset_empty(s) == (n == 0));

	fmt = cpuset_format(s);
	t = cpuset_parse(fmt, strlen(fmt), limit, CPUSET_KERNEL, err, sizeof(err));
	FUZZ_CHECK(t != NULL && cpuset_equal(s, t));
	fmt2 = cpuset_format(t);
	FUZZ_CHECK(strcmp(fmt, fmt2) == 0);
	free(fmt2);
	cpuset_free(t);
	if (n > 0) { /* libvirt refuses "", which is only the empty set's list */
		t = cpuset_parse(fmt, strlen(fmt), limit, CPUSET_LIBVIRT, err, sizeof(err));
		FUZZ_CHECK(t != NULL && cpuset_equal(s, t));
		cpuset_free(t);
	}
	free(fmt);

	d = cpuset_dup(s);
	FUZZ_CHECK(cpuset_equal(s, d) && cpuset_subset(s, d) && cpuset_subset(d, s));
	FUZZ_CHECK(cpuset_intersects(s, d) == (n > 0));
	cpuset_intersect(d, s);
	FUZZ_CHECK(cpuset_equal(s, d));
	cpuset_subtract(d, s);
	FUZZ_CHECK(cpuset_empty(d));
	cpuset_union(d, s);
	FUZZ_CHECK(cpuset_equal(s, d));
	cpuset_free(d);
}

/* ---------------------------------------------------------------- a slow oracle */

static void blanks(const char **p, const char *end, bool libvirt)
{
	while (libvirt && *p < end && isspace((unsigned char)**p))
		(*p)++;
}

static unsigned number(const char **p, const char *end)
{
	unsigned v = 0;

	while (*p < end && **p >= '0' && **p <= '9')
		v = v * 10 + (unsigned)(*(*p)++ - '0');
	return v;
}

/* The obvious reading of a list the parser accepted, one id at a time: items split at ',' and
 * applied in order; libvirt's syntax adds white space around items and around '-', '^N' to
 * clear N again, and a trailing comma. Differential: an error in the parser's word arithmetic
 * would still round-trip, but not agree with this. */
static void check_oracle(const char *buf, size_t len, bool libvirt, const struct cpuset *s,
			 unsigned limit)
{
	static bool bit[CPUSET_MAX_CPUS];
	const char *p = buf, *end = buf + len;
	unsigned id, top = 0; /* ids below top were touched (and cleared first) */

	while (end > p && (end[-1] == '\0' || isspace((unsigned char)end[-1])))
		end--;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p)), *e = comma ? comma : end;
		bool neg = false;
		unsigned lo, hi;

		blanks(&p, e, libvirt);
		if (p == e) { /* libvirt: what follows a trailing comma */
			FUZZ_CHECK(libvirt && comma == NULL);
			break;
		}
		if (libvirt && *p == '^') {
			neg = true;
			p++;
		}
		lo = hi = number(&p, e);
		blanks(&p, e, libvirt);
		if (p < e && *p == '-') {
			FUZZ_CHECK(!neg);
			p++;
			blanks(&p, e, libvirt);
			hi = number(&p, e);
		}
		FUZZ_CHECK(lo <= hi && hi < limit && limit <= CPUSET_MAX_CPUS);
		if (hi >= top) {
			memset(bit + top, 0, hi + 1 - top);
			top = hi + 1;
		}
		for (id = lo; id <= hi; id++)
			bit[id] = !neg;
		p = comma ? comma + 1 : end;
	}
	for (id = 0; id < top; id++)
		FUZZ_CHECK(cpuset_test(s, id) == bit[id]);
	FUZZ_CHECK(top == 0 ? cpuset_first(s) < 0 : cpuset_next(s, (int)top - 1) < 0);
}

int fuzz_cpuset(const uint8_t *data, size_t size)
{
	struct cpuset *s[NSYN][NLIM];
	int syn, lim;

	for (syn = 0; syn < NSYN; syn++) {
		for (lim = 0; lim < NLIM; lim++) {
			char err[ERRLEN] = "";

			s[syn][lim] = cpuset_parse((const char *)data, size, limits[lim],
						   syntaxes[syn], err, sizeof(err));
			if (s[syn][lim] == NULL)
				check_reason(err, sizeof(err));
			else
				check_set(s[syn][lim], limits[lim]);
			if (s[syn][lim] != NULL)
				check_oracle((const char *)data, size, syn == LIBVIRT, s[syn][lim],
					     limits[lim]);
		}
	}
	/* The limit only adds the "over the limit" failure: what the smaller limit reads, the
	 * larger reads the same. */
	for (syn = 0; syn < NSYN; syn++)
		if (s[syn][NODES] != NULL)
			FUZZ_CHECK(s[syn][CPUS] != NULL &&
				   cpuset_equal(s[syn][NODES], s[syn][CPUS]));
	/* libvirt's syntax extends the kernel's (blanks, exclusions) but refuses the empty set. */
	for (lim = 0; lim < NLIM; lim++)
		if (s[KERNEL][lim] != NULL && !cpuset_empty(s[KERNEL][lim]))
			FUZZ_CHECK(s[LIBVIRT][lim] != NULL &&
				   cpuset_equal(s[KERNEL][lim], s[LIBVIRT][lim]));
	for (syn = 0; syn < NSYN; syn++)
		for (lim = 0; lim < NLIM; lim++)
			cpuset_free(s[syn][lim]);
	return 0;
}

FUZZ_ENTRY(fuzz_cpuset)
