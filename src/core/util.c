/* SPDX-License-Identifier: BSD-3-Clause */
/* util.c: error strings, checked allocation, number parsing and bounded file reads used by
 * every layer. */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void err_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void oom(void)
{
	fputs("numatopd: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *xmemdup(const void *p, size_t nmemb, size_t size)
{
	void *q;

	if (nmemb == 0)
		return NULL;
	q = xcalloc(nmemb, size); /* checks nmemb x size for overflow */
	memcpy(q, p, nmemb * size);
	return q;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n))
		oom();
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return p;
}

void *array_push(void *arr_p, size_t *n, size_t *cap, size_t elem)
{
	char **arr = arr_p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*arr = xreallocarray(*arr, *cap, elem);
	}
	memset(*arr + *n * elem, 0, elem);
	return *arr + (*n)++ * elem;
}

uint64_t fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint32_t fnv1a32_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

int parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0) {
		err_set(err, errlen, "empty number");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9') {
			err_set(err, errlen, "'%.*s' is not a number", (int)(len > 32 ? 32 : len),
				s);
			return -1;
		}
		d = (unsigned)(s[i] - '0');
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v)) {
			err_set(err, errlen, "number '%.*s' is too large",
				(int)(len > 32 ? 32 : len), s);
			return -1;
		}
	}
	if (v > max) {
		err_set(err, errlen, "%llu is over the limit of %llu", (unsigned long long)v,
			(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_u64_str(const char *s, uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	size_t len;

	if (s == NULL) {
		err_set(err, errlen, "missing number");
		return -1;
	}
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return parse_u64(s, len, max, out, err, errlen);
}

char *str_printable(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

char *str_printable_dup(const char *s)
{
	return str_printable(xstrdup(s ? s : ""));
}

/* The length (1-4) of the well-formed UTF-8 sequence at s, and its code point in *cp; 0 when s
 * does not start one (the NUL that ends s is not a continuation byte, so it stops a sequence). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	uint32_t v, min;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, v = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, v = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Controls, and the characters that move or reorder the text around them. */
static bool unsafe_char(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

char *str_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), o = 0, n, size;
	uint32_t cp;
	char *out;

	/* every input byte gives at most 3 output bytes (one U+FFFD) */
	if (__builtin_mul_overflow(len, (size_t)3, &size) || size == SIZE_MAX)
		abort();
	out = xmalloc(size + 1);
	while (*p) {
		n = utf8_decode(p, &cp);
		if (n == 0 || unsafe_char(cp)) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			p += n ? n : 1;
		} else {
			memcpy(out + o, p, n);
			o += n;
			p += n;
		}
	}
	out[o] = '\0';
	return xreallocarray(out, o + 1, 1);
}

static bool utf8_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

size_t utf8_cut(const char *s, size_t max)
{
	size_t k = max;

	while (k > 0 && max - k < 3 && utf8_continuation(s[k]))
		k--;
	return utf8_continuation(s[k]) ? max : k;
}

size_t trim_end(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == '\0' || isspace((unsigned char)s[len - 1])))
		len--;
	return len;
}

void str_ascii_copy(char *dst, size_t dstlen, const char *src, size_t max)
{
	size_t i;

	for (i = 0; i + 1 < dstlen && i < max && src[i] != '\0' && src[i] != '\n'; i++)
		dst[i] = isprint((unsigned char)src[i]) ? src[i] : '?';
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

void str_ascii(char *s, size_t len)
{
	for (; s != NULL && len > 0 && *s != '\0'; s++, len--)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

double ts_seconds(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}
