/* SPDX-License-Identifier: BSD-3-Clause */
/* runtime_parse.c: the pure parsers of the runtime reader (runtime.h): /proc/PID/stat,
 * Cpus_allowed_list, /proc/stat btime, /proc/PID/cgroup and memory.numa_stat (v1 and v2). */
#include "source/runtime.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define STAT_STARTTIME 22
#define STAT_PROCESSOR 39

/* The next space-separated token of [*p, end): its start and length; false at the end. */
static bool token(const char **p, const char *end, const char **tok, size_t *n)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end || *s == '\n')
		return false;
	*tok = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\n')
		s++;
	*n = (size_t)(s - *tok);
	*p = s;
	return true;
}

int runtime_parse_stat(const char *buf, size_t len, struct proc_stat *out, char *err,
		       size_t errlen)
{
	const char *p = memrchr(buf, ')', len), *end = buf + len, *tok;
	char why[ERRLEN];
	uint64_t v;
	size_t n;
	unsigned field;

	if (p == NULL) {
		err_set(err, errlen, "no ')' after the command name");
		return -1;
	}
	p++;
	/* the command name is field 2: tokens after its ')' are fields 3, 4, ... */
	for (field = 3; field <= STAT_PROCESSOR; field++) {
		if (!token(&p, end, &tok, &n)) {
			err_set(err, errlen, "field %u is missing", field);
			return -1;
		}
		if (field == 3) {
			if (n != 1) {
				err_set(err, errlen, "field 3: not a state letter");
				return -1;
			}
			out->state = tok[0];
			continue;
		}
		if (field != STAT_STARTTIME && field != STAT_PROCESSOR)
			continue;
		if (parse_u64(tok, n, field == STAT_PROCESSOR ? CPUSET_MAX_CPUS - 1 : UINT64_MAX, &v,
			      why, sizeof(why)) < 0) {
			err_set(err, errlen, "field %u: %s", field, why);
			str_ascii(err, errlen); /* why quotes the field, which may hold any byte */
			return -1;
		}
		if (field == STAT_STARTTIME)
			out->starttime = v;
		else
			out->processor = (int)v;
	}
	return 0;
}

/* The value of the first line "<key><blanks>VALUE" (key includes its ':' or blank), trimmed. */
static bool line_value(const char *buf, size_t len, const char *key, const char **val,
		       size_t *n)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;

		if (e - i >= klen && memcmp(buf + i, key, klen) == 0) {
			size_t s = i + klen;

			while (s < e && (buf[s] == ' ' || buf[s] == '\t'))
				s++;
			*val = buf + s;
			*n = trim_end(buf + s, e - s);
			return true;
		}
		i = e + 1;
	}
	return false;
}

int runtime_parse_allowed(const char *buf, size_t len, struct cpuset **out, char *err,
			  size_t errlen)
{
	char why[ERRLEN];
	const char *v;
	size_t n;

	if (!line_value(buf, len, "Cpus_allowed_list:", &v, &n)) {
		err_set(err, errlen, "no Cpus_allowed_list line");
		return -1;
	}
	*out = cpuset_parse(v, n, CPUSET_MAX_CPUS, CPUSET_KERNEL, why, sizeof(why));
	if (*out == NULL) {
		err_set(err, errlen, "Cpus_allowed_list: %s", why);
		str_ascii(err, errlen);
		return -1;
	}
	if (cpuset_empty(*out)) {
		cpuset_free(*out);
		*out = NULL;
		err_set(err, errlen, "Cpus_allowed_list is empty");
		return -1;
	}
	return 0;
}

int runtime_parse_btime(const char *buf, size_t len, int64_t *out, char *err, size_t errlen)
{
	char why[ERRLEN];
	const char *v;
	uint64_t t;
	size_t n;

	if (!line_value(buf, len, "btime ", &v, &n)) {
		err_set(err, errlen, "no btime line");
		return -1;
	}
	if (parse_u64(v, n, INT64_MAX, &t, why, sizeof(why)) < 0) {
		err_set(err, errlen, "btime: %s", why);
		str_ascii(err, errlen);
		return -1;
	}
	*out = (int64_t)t;
	return 0;
}

/* A controller list ("cpu,cpuacct") names memory. */
static bool has_memory(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *c = memchr(s + i, ',', n - i);
		size_t e = c ? (size_t)(c - s) : n;

		if (e - i == 6 && memcmp(s + i, "memory", 6) == 0)
			return true;
		i = e + 1;
	}
	return false;
}

static bool safe_path(const char *p, size_t n)
{
	size_t i = 1;

	if (n == 0 || p[0] != '/' || memchr(p, '\0', n))
		return false;
	while (i < n) {
		const char *sl = memchr(p + i, '/', n - i);
		size_t e = sl ? (size_t)(sl - p) : n;

		if (e - i == 2 && p[i] == '.' && p[i + 1] == '.')
			return false;
		i = e + 1;
	}
	return true;
}

int runtime_parse_cgroup(const char *buf, size_t len, bool *v1, char **path, char *err,
			 size_t errlen)
{
	const char *v2 = NULL, *mem = NULL;
	size_t v2n = 0, memn = 0, i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;
		const char *c1 = memchr(buf + i, ':', e - i), *c2;

		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(buf + e - c1 - 1)) : NULL;
		if (c2 == NULL) {
			err_set(err, errlen, "line without two ':'");
			return -1;
		}
		if (c1 - (buf + i) == 1 && buf[i] == '0' && c2 == c1 + 1) {
			v2 = c2 + 1;
			v2n = (size_t)(buf + e - v2);
		} else if (has_memory(c1 + 1, (size_t)(c2 - c1 - 1))) {
			mem = c2 + 1;
			memn = (size_t)(buf + e - mem);
		}
		i = e + 1;
	}
	*v1 = mem != NULL;
	if (mem == NULL && v2 == NULL) {
		err_set(err, errlen, "neither a memory nor a unified (0::) line");
		return -1;
	}
	if (mem == NULL) {
		mem = v2;
		memn = v2n;
	}
	if (!safe_path(mem, memn)) {
		err_set(err, errlen, "the cgroup path is not absolute or has '..'");
		return -1;
	}
	*path = xstrndup(mem, memn);
	return 0;
}

/* Add bytes to node's entry of *out (kept sorted by node). */
static void add_node(struct node_bytes **out, size_t *n, size_t *cap, unsigned node,
		     uint64_t bytes)
{
	struct node_bytes *slot;
	size_t i = *n;

	while (i > 0 && (*out)[i - 1].node > node)
		i--;
	if (i > 0 && (*out)[i - 1].node == node) {
		if (__builtin_add_overflow((*out)[i - 1].bytes, bytes, &(*out)[i - 1].bytes))
			(*out)[i - 1].bytes = UINT64_MAX;
		return;
	}
	array_push(out, n, cap, sizeof(**out));
	memmove(*out + i + 1, *out + i, (*n - 1 - i) * sizeof(**out));
	slot = *out + i;
	slot->node = node;
	slot->bytes = bytes;
}

/* The "N<id>=<value>" items of one numa_stat line after its name, added to *out. */
static int node_items(const char *p, const char *end, uint64_t unit, struct node_bytes **out,
		      size_t *n, size_t *cap, char *err, size_t errlen)
{
	const char *tok, *eq;
	char why[ERRLEN];
	uint64_t node, v;
	size_t tn;

	while (token(&p, end, &tok, &tn)) {
		eq = memchr(tok, '=', tn);
		if (tok[0] != 'N' || eq == NULL ||
		    parse_u64(tok + 1, (size_t)(eq - tok - 1), CPUSET_MAX_NODES - 1, &node, why,
			      sizeof(why)) < 0 ||
		    parse_u64(eq + 1, (size_t)(tok + tn - eq - 1), UINT64_MAX, &v, why,
			      sizeof(why)) < 0) {
			err_set(err, errlen, "'%.*s' is not N<node>=<number>", (int)(tn > 32 ? 32 : tn),
				tok);
			str_ascii(err, strlen(err));
			return -1;
		}
		if (__builtin_mul_overflow(v, unit, &v))
			v = UINT64_MAX;
		add_node(out, n, cap, (unsigned)node, v);
	}
	return 0;
}

/* Is the line at [s, e) the statistic name (followed by '=' in v1, a blank in v2)? */
static bool stat_is(const char *s, const char *e, const char *name, bool v1, const char **rest)
{
	size_t k = strlen(name);

	if ((size_t)(e - s) <= k || memcmp(s, name, k) != 0 || s[k] != (v1 ? '=' : ' '))
		return false;
	*rest = s + k + 1;
	return true;
}

int runtime_parse_numa_stat(const char *buf, size_t len, bool v1, uint64_t page_size,
			    struct node_bytes **out, size_t *n, char *err, size_t errlen)
{
	/* v1: hierarchical_anon covers child cgroups; anon where the kernel has no hierarchy */
	static const char *const want_v1[] = {"hierarchical_anon", "anon"};
	static const char *const want_v2[] = {"anon", "shmem"};
	size_t cap = 0, i, w;
	unsigned found = 0; /* bit w: want[w] was read */

	*out = NULL;
	*n = 0;
	for (w = 0; w < 2 && !(v1 && found); w++) {
		const char *name = v1 ? want_v1[w] : want_v2[w];

		for (i = 0; i < len;) {
			const char *nl = memchr(buf + i, '\n', len - i), *rest;
			size_t e = nl ? (size_t)(nl - buf) : len;

			if (stat_is(buf + i, buf + e, name, v1, &rest)) {
				/* v1's first value is the total ("anon=7935 N0=7935"): skip it */
				if (v1)
					while (rest < buf + e && *rest != ' ')
						rest++;
				if (node_items(rest, buf + e, v1 ? page_size : 1, out, n, &cap, err,
					       errlen) < 0)
					goto fail;
				found |= 1u << w;
				break;
			}
			i = e + 1;
		}
	}
	if (v1 ? found == 0 : !(found & 1)) {
		err_set(err, errlen, "no %s line", v1 ? "anon=" : "anon");
		goto fail;
	}
	return 0;
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	return -1;
}

/* Whether a numa_maps line's tokens say it holds guest memory (see runtime.h), and its page
 * size in bytes. -1 when kernelpagesize_kB is not a number of KiB. */
static int maps_line(const char *p, const char *end, uint64_t page_size, bool *guest,
		     uint64_t *page, char *err, size_t errlen)
{
	const char *tok;
	char why[ERRLEN];
	uint64_t kb;
	size_t n;

	*guest = false;
	*page = page_size;
	while (token(&p, end, &tok, &n)) {
		if ((n > 5 && memcmp(tok, "anon=", 5) == 0) || (n == 4 && memcmp(tok, "huge", 4) == 0) ||
		    (n > 12 && memcmp(tok, "file=/memfd:", 12) == 0))
			*guest = true;
		if (n > 18 && memcmp(tok, "kernelpagesize_kB=", 18) == 0) {
			if (parse_u64(tok + 18, n - 18, UINT64_MAX / 1024, &kb, why, sizeof(why)) < 0 ||
			    kb == 0) {
				err_set(err, errlen, "kernelpagesize_kB: %s", kb == 0 ? "0" : why);
				str_ascii(err, errlen);
				return -1;
			}
			*page = kb * 1024;
		}
	}
	return 0;
}

int runtime_parse_numa_maps(const char *buf, size_t len, uint64_t page_size,
			    struct node_bytes **out, size_t *n, char *err, size_t errlen)
{
	size_t cap = 0, i = 0, line = 0;
	char why[ERRLEN];

	*out = NULL;
	*n = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i), *p = buf + i, *tok;
		const char *end = nl ? nl : buf + len;
		uint64_t page;
		bool guest;
		size_t tn;

		line++;
		i = (size_t)(end - buf) + 1;
		if (maps_line(p, end, page_size, &guest, &page, why, sizeof(why)) < 0)
			goto bad;
		if (!guest)
			continue;
		/* only N<node>= items count: no address (hex) or policy word starts like one */
		while (token(&p, end, &tok, &tn)) {
			if (tn < 2 || tok[0] != 'N' || tok[1] < '0' || tok[1] > '9')
				continue;
			if (node_items(tok, tok + tn, page, out, n, &cap, why, sizeof(why)) < 0)
				goto bad;
		}
	}
	return 0;
bad:
	err_set(err, errlen, "line %zu: %s", line, why);
	free(*out);
	*out = NULL;
	*n = 0;
	return -1;
}

size_t runtime_vm_group_depth(const char *path)
{
	size_t depth = 0, best = 0, i = 1, len = strlen(path);

	while (i < len) {
		const char *sl = memchr(path + i, '/', len - i);
		size_t e = sl ? (size_t)(sl - path) : len, k = e - i;

		depth++;
		if ((k > 6 && memcmp(path + e - 6, ".scope", 6) == 0) ||
		    (k > 13 && memcmp(path + e - 13, ".libvirt-qemu", 13) == 0))
			best = depth;
		i = e + 1;
	}
	return best;
}
