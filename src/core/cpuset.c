/* SPDX-License-Identifier: BSD-3-Clause */
/* cpuset.c: dynamic bitmaps for CPU and node ids; parses the kernel list format and libvirt's
 * set syntax, formats back to the canonical kernel list. */
#include "core/cpuset.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define WORD_BITS 64u

struct cpuset {
	unsigned limit; /* ids must be < limit */
	size_t nwords;  /* words allocated; grows on demand up to limit */
	uint64_t *w;
};

struct cpuset *cpuset_new(unsigned limit)
{
	struct cpuset *s = xcalloc(1, sizeof(*s));

	s->limit = limit;
	return s;
}

struct cpuset *cpuset_dup(const struct cpuset *s)
{
	struct cpuset *d = cpuset_new(s->limit);

	if (s->nwords) {
		d->w = xcalloc(s->nwords, sizeof(*d->w));
		memcpy(d->w, s->w, s->nwords * sizeof(*d->w));
		d->nwords = s->nwords;
	}
	return d;
}

void cpuset_free(struct cpuset *s)
{
	if (s == NULL)
		return;
	free(s->w);
	free(s);
}

unsigned cpuset_limit(const struct cpuset *s)
{
	return s->limit;
}

static void grow(struct cpuset *s, size_t nwords)
{
	if (nwords <= s->nwords)
		return;
	s->w = xreallocarray(s->w, nwords, sizeof(*s->w));
	memset(s->w + s->nwords, 0, (nwords - s->nwords) * sizeof(*s->w));
	s->nwords = nwords;
}

int cpuset_set(struct cpuset *s, unsigned id)
{
	if (id >= s->limit)
		return -1;
	grow(s, id / WORD_BITS + 1);
	s->w[id / WORD_BITS] |= (uint64_t)1 << (id % WORD_BITS);
	return 0;
}

void cpuset_clear(struct cpuset *s, unsigned id)
{
	if (id / WORD_BITS < s->nwords)
		s->w[id / WORD_BITS] &= ~((uint64_t)1 << (id % WORD_BITS));
}

bool cpuset_test(const struct cpuset *s, unsigned id)
{
	if (id / WORD_BITS >= s->nwords)
		return false;
	return (s->w[id / WORD_BITS] >> (id % WORD_BITS)) & 1;
}

unsigned cpuset_count(const struct cpuset *s)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < s->nwords; i++)
		n += (unsigned)__builtin_popcountll(s->w[i]);
	return n;
}

bool cpuset_empty(const struct cpuset *s)
{
	size_t i;

	for (i = 0; i < s->nwords; i++)
		if (s->w[i])
			return false;
	return true;
}

static uint64_t word(const struct cpuset *s, size_t i)
{
	return i < s->nwords ? s->w[i] : 0;
}

static size_t maxwords(const struct cpuset *a, const struct cpuset *b)
{
	return a->nwords > b->nwords ? a->nwords : b->nwords;
}

bool cpuset_equal(const struct cpuset *a, const struct cpuset *b)
{
	size_t i, n = maxwords(a, b);

	for (i = 0; i < n; i++)
		if (word(a, i) != word(b, i))
			return false;
	return true;
}

bool cpuset_subset(const struct cpuset *a, const struct cpuset *b)
{
	size_t i;

	for (i = 0; i < a->nwords; i++)
		if (a->w[i] & ~word(b, i))
			return false;
	return true;
}

bool cpuset_intersects(const struct cpuset *a, const struct cpuset *b)
{
	size_t i, n = a->nwords < b->nwords ? a->nwords : b->nwords;

	for (i = 0; i < n; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

void cpuset_union(struct cpuset *dst, const struct cpuset *src)
{
	size_t i, n = src->nwords;
	size_t lim = (dst->limit + WORD_BITS - 1) / WORD_BITS;

	/* Trim src's trailing empty words first, so a bigger-limit set whose members all fit
	 * never grows dst past its limit. */
	while (n > 0 && src->w[n - 1] == 0)
		n--;
	if (n > lim)
		n = lim;
	grow(dst, n);
	for (i = 0; i < n; i++)
		dst->w[i] |= src->w[i];
	/* Ids at or above dst->limit in the last word cannot be members. */
	if (dst->limit % WORD_BITS && dst->nwords == lim)
		dst->w[lim - 1] &= ((uint64_t)1 << (dst->limit % WORD_BITS)) - 1;
}

void cpuset_intersect(struct cpuset *dst, const struct cpuset *src)
{
	size_t i;

	for (i = 0; i < dst->nwords; i++)
		dst->w[i] &= word(src, i);
}

void cpuset_subtract(struct cpuset *dst, const struct cpuset *src)
{
	size_t i;

	for (i = 0; i < dst->nwords; i++)
		dst->w[i] &= ~word(src, i);
}

int cpuset_next(const struct cpuset *s, int prev)
{
	size_t i;
	unsigned start = prev < 0 ? 0 : (unsigned)prev + 1;

	for (i = start / WORD_BITS; i < s->nwords; i++) {
		uint64_t w = s->w[i];

		if (i == start / WORD_BITS)
			w &= ~(uint64_t)0 << (start % WORD_BITS);
		if (w)
			return (int)(i * WORD_BITS + (unsigned)__builtin_ctzll(w));
	}
	return -1;
}

int cpuset_first(const struct cpuset *s)
{
	return cpuset_next(s, -1);
}

char *cpuset_format(const struct cpuset *s)
{
	size_t cap = 64, len = 0;
	char *out = xmalloc(cap);
	int i = cpuset_first(s);

	out[0] = '\0';
	while (i >= 0) {
		int j = i, k;
		char item[32];
		int n;

		while ((k = cpuset_next(s, j)) == j + 1)
			j = k;
		if (j == i)
			n = snprintf(item, sizeof(item), "%s%d", len ? "," : "", i);
		else
			n = snprintf(item, sizeof(item), "%s%d-%d", len ? "," : "", i, j);
		if (len + (size_t)n + 1 > cap) {
			cap = (len + (size_t)n + 1) * 2;
			out = xreallocarray(out, cap, 1);
		}
		memcpy(out + len, item, (size_t)n + 1);
		len += (size_t)n;
		i = k;
	}
	return out;
}

/* ---------------------------------------------------------------- parsing */

struct cursor {
	const char *p, *end;
};

/* One id: digits only, below limit. */
static int parse_id(struct cursor *c, unsigned limit, unsigned *out, char *err, size_t errlen)
{
	const char *start = c->p;
	uint64_t v = 0;

	while (c->p < c->end && isdigit((unsigned char)*c->p)) {
		v = v * 10 + (uint64_t)(*c->p - '0');
		if (v >= limit) {
			/* keep scanning digits so the message shows the whole number */
			while (c->p < c->end && isdigit((unsigned char)*c->p))
				c->p++;
			err_set(err, errlen, "'%.*s': id over the limit of %u",
				(int)(c->p - start > 24 ? 24 : c->p - start), start, limit - 1);
			return -1;
		}
		c->p++;
	}
	if (c->p == start) {
		if (c->p < c->end)
			err_set(err, errlen, "'%c' (byte 0x%02x) where a number was expected",
				isprint((unsigned char)*c->p) ? *c->p : '?', (unsigned char)*c->p);
		else
			err_set(err, errlen, "a number is missing at the end");
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* "a" or "a-b", b >= a. */
static int parse_range(struct cursor *c, unsigned limit, unsigned *lo, unsigned *hi, char *err,
		       size_t errlen)
{
	if (parse_id(c, limit, lo, err, errlen) < 0)
		return -1;
	*hi = *lo;
	if (c->p < c->end && *c->p == '-') {
		c->p++;
		if (parse_id(c, limit, hi, err, errlen) < 0)
			return -1;
		if (*hi < *lo) {
			err_set(err, errlen, "'%u-%u': reversed range", *lo, *hi);
			return -1;
		}
	}
	return 0;
}

/* lo <= hi < limit. A word at a time: a hostile file can hold hundreds of thousands of
 * "0-8191" sets, and one call per id made parsing such a file take seconds. */
static void set_range(struct cpuset *s, unsigned lo, unsigned hi)
{
	size_t w, first = lo / WORD_BITS, last = hi / WORD_BITS;

	grow(s, last + 1);
	for (w = first; w <= last; w++) {
		uint64_t m = ~(uint64_t)0;

		if (w == first)
			m &= ~(uint64_t)0 << (lo % WORD_BITS);
		if (w == last && hi % WORD_BITS != WORD_BITS - 1)
			m &= ((uint64_t)1 << (hi % WORD_BITS + 1)) - 1;
		s->w[w] |= m;
	}
}

static int unexpected(const struct cursor *c, char *err, size_t errlen)
{
	err_set(err, errlen, "'%c' (byte 0x%02x) where ',' was expected",
		isprint((unsigned char)*c->p) ? *c->p : '?', (unsigned char)*c->p);
	return -1;
}

/* The kernel's list format, strictly: "a" and "a-b" items joined by single commas. */
static int parse_kernel(struct cursor *c, unsigned limit, struct cpuset *s, char *err,
			size_t errlen)
{
	if (c->p == c->end)
		return 0;
	for (;;) {
		unsigned lo, hi;

		if (parse_range(c, limit, &lo, &hi, err, errlen) < 0)
			return -1;
		set_range(s, lo, hi);
		if (c->p == c->end)
			return 0;
		if (*c->p != ',')
			return unexpected(c, err, errlen);
		c->p++;
		if (c->p == c->end) {
			err_set(err, errlen, "a number is missing at the end");
			return -1;
		}
	}
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && isspace((unsigned char)*c->p))
		c->p++;
}

/* libvirt's virBitmapParseSeparator: items "N", "N-M" and "^N" applied in order (so "^3,0-7"
 * is 0-7), white space around items and around '-', a trailing comma allowed, "^N-M" not. */
static int parse_libvirt(struct cursor *c, unsigned limit, struct cpuset *s, char *err,
			 size_t errlen)
{
	skip_spaces(c);
	if (c->p == c->end) {
		/* libvirt rejects an empty set attribute; so do we */
		err_set(err, errlen, "empty set");
		return -1;
	}
	while (c->p < c->end) {
		bool neg = *c->p == '^';
		unsigned lo, hi;

		c->p += neg;
		if (parse_id(c, limit, &lo, err, errlen) < 0)
			return -1;
		hi = lo;
		skip_spaces(c);
		if (c->p < c->end && *c->p == '-') {
			if (neg) {
				err_set(err, errlen, "'^%u-': an exclusion is a single id, not a range",
					lo);
				return -1;
			}
			c->p++;
			skip_spaces(c);
			if (parse_id(c, limit, &hi, err, errlen) < 0)
				return -1;
			if (hi < lo) {
				err_set(err, errlen, "'%u-%u': reversed range", lo, hi);
				return -1;
			}
			skip_spaces(c);
		}
		if (neg)
			cpuset_clear(s, lo);
		else
			set_range(s, lo, hi);
		if (c->p == c->end)
			break;
		if (*c->p != ',')
			return unexpected(c, err, errlen);
		c->p++;
		skip_spaces(c);
	}
	return 0;
}

struct cpuset *cpuset_parse(const char *str, size_t len, unsigned limit, enum cpuset_syntax syn,
			    char *err, size_t errlen)
{
	struct cpuset *s = cpuset_new(limit);
	struct cursor c = {str, str + trim_end(str, len)};
	int r = syn == CPUSET_LIBVIRT ? parse_libvirt(&c, limit, s, err, errlen)
				      : parse_kernel(&c, limit, s, err, errlen);

	if (r < 0) {
		cpuset_free(s);
		return NULL;
	}
	return s;
}
