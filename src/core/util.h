/* SPDX-License-Identifier: BSD-3-Clause */
/* util.h: small helpers shared by every layer: error strings, checked allocation,
 * checked number parsing and bounded, non-blocking file reads. No Net-SNMP here. */
#ifndef NUMATOPD_UTIL_H
#define NUMATOPD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Every parser fills a caller-owned char err[ERRLEN] with one human sentence. */
#define ERRLEN 256

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void err_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Allocation that never returns NULL: out of memory aborts (a monitoring agent that cannot
 * allocate a few bytes cannot do anything useful; failing loudly beats serving garbage). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
/* A copy of nmemb elements of size bytes; NULL when nmemb is 0. */
void *xmemdup(const void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Append one element to a growable array: *arr has *n used of *cap slots. Returns the slot. */
void *array_push(void *arr_p, size_t *n, size_t *cap, size_t elem);

/* FNV-1a: the 64-bit hash of n bytes, continuing from h (FNV1A64_BASIS to start), and the 32-bit
 * hash of a string. Stable values: numaVmIndex derives from the 32-bit one. */
#define FNV1A64_BASIS 0xcbf29ce484222325ULL
uint64_t fnv1a64(uint64_t h, const void *p, size_t n);
uint32_t fnv1a32_str(const char *s);

/* Parse an unsigned decimal number filling the whole of [s, s+len) (no sign, no spaces).
 * Returns 0 and *out, or -1 with a reason in err ("not a number", "too large"). */
int parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out, char *err, size_t errlen);
/* Same, for a NUL-terminated string with optional surrounding white space. */
int parse_u64_str(const char *s, uint64_t max, uint64_t *out, char *err, size_t errlen);

/* Replace every control byte (below 0x20, and 0x7f) of s with '?', in place, and return s: a
 * file name or a string from a libvirt XML file (tenant-controlled) printed in a log line or the
 * text dump can then never start a line of its own. str_printable_dup() does it on a copy. */
char *str_printable(char *s);
char *str_printable_dup(const char *s);

/* The one rule for text a tenant can influence (VM names, Nova display names, file names, the
 * reasons that quote them), applied when the model is built, so that SNMP, the logs and --dump
 * all show the same safe text: a copy of s (NULL reads as "") that is valid UTF-8 and holds no
 * C0 control (tab included), DEL, C1 control (NEL included), line or paragraph separator
 * (U+2028, U+2029), bidi override or embedding (U+202A-U+202E) or isolate (U+2066-U+2069).
 * Each such character becomes U+FFFD (the replacement character), and so does each byte that
 * does not start a well-formed UTF-8 sequence (overlong, surrogate, above U+10FFFF, cut short):
 * a replaced character is visibly replaced and never confused with a '?' of the name. */
char *str_safe(const char *s);

/* For error sentences that quote a value: copy at most max bytes of src up to its first newline
 * into dst, every byte that is not printable ASCII as '?', trailing blanks dropped. */
void str_ascii_copy(char *dst, size_t dstlen, const char *src, size_t max);
/* The same in place, over at most len bytes of s: one line of printable ASCII. */
void str_ascii(char *s, size_t len);

/* Where to cut s, which is longer than max bytes, so that it keeps at most max bytes and does not
 * end inside a UTF-8 sequence: max itself unless s[max] is a continuation byte, else the start
 * of that sequence (at most 3 bytes back; further back the bytes are not UTF-8, cut at max). */
size_t utf8_cut(const char *s, size_t max);

/* Trim trailing white space and NUL bytes (sysfs files may end in "\n\0"). Returns new len. */
size_t trim_end(const char *s, size_t len);

/* Seconds from one CLOCK_MONOTONIC reading to a later one (negative when it is earlier). */
double ts_seconds(const struct timespec *from, const struct timespec *to);

#endif
