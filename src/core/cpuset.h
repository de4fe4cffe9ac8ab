/* SPDX-License-Identifier: BSD-3-Clause */
/* cpuset.h: dynamic bitmaps for host CPU ids and NUMA node ids, with the kernel list format
 * ("0-3,8") and libvirt's set syntax ("0-7,^3"). Pure: no I/O. */
#ifndef NUMATOPD_CPUSET_H
#define NUMATOPD_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUSET_MAX_CPUS 8192  /* ids 0..8191: the kernel's NR_CPUS maximum */
#define CPUSET_MAX_NODES 1024 /* ids 0..1023: the kernel's MAX_NUMNODES maximum */

struct cpuset;

enum cpuset_syntax {
	CPUSET_KERNEL,  /* "0-3,8,10-11", trailing "\n" and "\0" allowed, "" = empty */
	CPUSET_LIBVIRT, /* libvirt's parser: items applied in order, "^N" clears one id ("0-7, ^3";
			 * "^3,0-7" is 0-7), blanks around items and '-', a trailing comma */
};

/* A new empty set whose ids must stay below limit (CPUSET_MAX_CPUS or CPUSET_MAX_NODES). */
struct cpuset *cpuset_new(unsigned limit);
struct cpuset *cpuset_dup(const struct cpuset *s);
void cpuset_free(struct cpuset *s);

/* Parse len bytes of s (need not be NUL-terminated). Returns a new set, or NULL with a reason
 * in err ("'9-3': reversed range", "8192 is over the limit of 8191", "'x': not a number").
 * A libvirt set that excludes everything is an empty set, not an error. */
struct cpuset *cpuset_parse(const char *s, size_t len, unsigned limit, enum cpuset_syntax syn,
			    char *err, size_t errlen);

/* Canonical kernel list ("0-3,8"), "" for the empty set. Caller frees. */
char *cpuset_format(const struct cpuset *s);

unsigned cpuset_limit(const struct cpuset *s);
/* Returns -1 when id >= limit, else 0. */
int cpuset_set(struct cpuset *s, unsigned id);
void cpuset_clear(struct cpuset *s, unsigned id);
bool cpuset_test(const struct cpuset *s, unsigned id);
unsigned cpuset_count(const struct cpuset *s);
bool cpuset_empty(const struct cpuset *s);
bool cpuset_equal(const struct cpuset *a, const struct cpuset *b);
/* true when every member of a is in b */
bool cpuset_subset(const struct cpuset *a, const struct cpuset *b);
bool cpuset_intersects(const struct cpuset *a, const struct cpuset *b);
/* In place: dst |= src, dst &= src, dst &= ~src. Ids of src over dst's limit are ignored
 * by union only if they cannot exist in dst (callers union sets of one kind). */
void cpuset_union(struct cpuset *dst, const struct cpuset *src);
void cpuset_intersect(struct cpuset *dst, const struct cpuset *src);
void cpuset_subtract(struct cpuset *dst, const struct cpuset *src);
/* Iteration: first member > prev (pass -1 to start); -1 at the end.
 *   for (int i = cpuset_next(s, -1); i >= 0; i = cpuset_next(s, i)) */
int cpuset_next(const struct cpuset *s, int prev);
/* Lowest member, or -1 when empty. */
int cpuset_first(const struct cpuset *s);

#endif
