/* SPDX-License-Identifier: BSD-3-Clause */
/* sysfs.c: reads the host's NUMA nodes (CPUs, memory, distances, hugepage pools) below a sysfs
 * root. One bad node file becomes a warning on the host, never a failed read. */
#include "source/sysfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "source/read_file.h"

/* sysfs attributes are at most a page; 1 MiB leaves room for anything a test tree holds. */
#define SYSFS_FILE_MAX ((size_t)1 << 20)

/* ---------------------------------------------------------------- pure parsers */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The one line of a single-line attribute, without surrounding blanks and the "\n\0" end. */
static int one_line(const char *buf, size_t len, const char **start, size_t *n, char *err,
		    size_t errlen)
{
	size_t end = trim_end(buf, len), i = 0;

	while (i < end && is_blank(buf[i]))
		i++;
	if (memchr(buf + i, '\n', end - i)) {
		err_set(err, errlen, "line 2: a single line was expected");
		return -1;
	}
	*start = buf + i;
	*n = end - i;
	return 0;
}

int sysfs_parse_number(const char *buf, size_t len, uint64_t *out, char *err, size_t errlen)
{
	char why[ERRLEN];
	const char *s;
	size_t n;

	if (one_line(buf, len, &s, &n, err, errlen) < 0)
		return -1;
	if (parse_u64(s, n, UINT64_MAX, out, why, sizeof(why)) < 0) {
		err_set(err, errlen, "line 1: %s", why);
		return -1;
	}
	return 0;
}

int sysfs_parse_distance(const char *buf, size_t len, unsigned **vals, size_t *n, char *err,
			 size_t errlen)
{
	unsigned *v = NULL;
	size_t nv = 0, cap = 0, ln;
	const char *p, *end;

	if (one_line(buf, len, &p, &ln, err, errlen) < 0)
		return -1;
	for (end = p + ln; p < end;) {
		const char *tok = p;
		char why[ERRLEN];
		uint64_t x;

		while (p < end && !is_blank(*p))
			p++;
		if (parse_u64(tok, (size_t)(p - tok), UINT_MAX, &x, why, sizeof(why)) < 0) {
			err_set(err, errlen, "line 1: value %zu: %s", nv + 1, why);
			free(v);
			return -1;
		}
		*(unsigned *)array_push(&v, &nv, &cap, sizeof(*v)) = (unsigned)x;
		while (p < end && is_blank(*p))
			p++;
	}
	*vals = v;
	*n = nv;
	return 0;
}

/* "      16777216 kB" -> bytes. The three fields we take are always in kB; a missing unit means
 * the file is not what we think it is, so it is an error rather than a guess. */
static int meminfo_value(const char *name, const char *s, size_t n, unsigned lineno, uint64_t *out,
			 char *err, size_t errlen)
{
	char why[ERRLEN];
	uint64_t kib;

	while (n > 0 && is_blank(*s))
		s++, n--;
	while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
		n--;
	if (n < 2 || memcmp(s + n - 2, "kB", 2) != 0) {
		err_set(err, errlen, "line %u: %s has no kB unit", lineno, name);
		return -1;
	}
	n -= 2;
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (parse_u64(s, n, UINT64_MAX, &kib, why, sizeof(why)) < 0) {
		err_set(err, errlen, "line %u: %s: %s", lineno, name, why);
		return -1;
	}
	if (__builtin_mul_overflow(kib, 1024, out)) {
		err_set(err, errlen, "line %u: %s: %llu kB is more bytes than 64 bits hold", lineno,
			name, (unsigned long long)kib);
		return -1;
	}
	return 0;
}

/* "Node 0 MemTotal:       16777216 kB": the field is the word before the colon. */
static int meminfo_line(const char *p, size_t n, unsigned lineno, void *mi, char *err,
			size_t errlen)
{
	struct meminfo *out = mi;
	static const char *const names[] = {"MemTotal", "MemFree", "MemUsed"};
	bool *has[] = {&out->has_total, &out->has_free, &out->has_used};
	uint64_t *val[] = {&out->total, &out->free, &out->used};
	const char *colon = memchr(p, ':', n), *k;
	size_t i;

	if (colon == NULL)
		return 0;
	for (k = colon; k > p && !is_blank(k[-1]); k--)
		;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if ((size_t)(colon - k) != strlen(names[i]) ||
		    memcmp(k, names[i], strlen(names[i])))
			continue;
		if (*has[i]) {
			err_set(err, errlen, "line %u: %s appears twice", lineno, names[i]);
			return -1;
		}
		*has[i] = true;
		return meminfo_value(names[i], colon + 1, (size_t)(p + n - colon - 1), lineno,
				     val[i], err, errlen);
	}
	return 0;
}

/* Each line of a "key value" file in turn (without its newline), numbered from 1, to fn. */
static int each_line(const char *buf, size_t len,
		     int (*fn)(const char *p, size_t n, unsigned lineno, void *out, char *err,
			       size_t errlen),
		     void *out, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + trim_end(buf, len);
	unsigned lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (fn(p, n, ++lineno, out, err, errlen) < 0)
			return -1;
		p += n + (eol != NULL);
	}
	return 0;
}

int sysfs_parse_meminfo(const char *buf, size_t len, struct meminfo *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	return each_line(buf, len, meminfo_line, out, err, errlen);
}

/* "numa_hit 5183012": the key, one blank, the number of pages. */
static int numastat_line(const char *p, size_t n, unsigned lineno, void *st, char *err,
			 size_t errlen)
{
	struct numastat *out = st;
	const char *sp = memchr(p, ' ', n);
	char why[ERRLEN];
	size_t k, klen;
	uint64_t v;

	if (sp == NULL)
		return 0; /* not a counter line: nothing we read */
	klen = (size_t)(sp - p);
	for (k = 0; k < NUMASTAT_KEYS; k++) {
		const char *name = numastat_name((enum numastat_key)k);

		if (klen != strlen(name) || memcmp(p, name, klen) != 0)
			continue;
		if (numastat_has(out, (enum numastat_key)k)) {
			err_set(err, errlen, "line %u: %s appears twice", lineno, name);
			return -1;
		}
		if (parse_u64(sp + 1, n - klen - 1, UINT64_MAX, &v, why, sizeof(why)) < 0) {
			err_set(err, errlen, "line %u: %s: %s", lineno, name, why);
			return -1;
		}
		out->v[k] = v;
		out->has |= 1u << k;
	}
	return 0;
}

int sysfs_parse_numastat(const char *buf, size_t len, struct numastat *out, char *err,
			 size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (each_line(buf, len, numastat_line, out, err, errlen) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- directory helpers */

/* "node12" -> true, 12 (UINT64_MAX when too large to hold). Kernel names have no leading
 * zeros; refusing them keeps "node01" from aliasing "node1". */
static bool name_id(const char *name, const char *prefix, const char *suffix, uint64_t *id)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), n = strlen(name), i;

	if (n <= pl + sl || strncmp(name, prefix, pl) || strcmp(name + n - sl, suffix))
		return false;
	n -= pl + sl;
	name += pl;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)name[i]))
			return false;
	if (n > 1 && name[0] == '0')
		return false;
	if (parse_u64(name, n, UINT64_MAX, id, NULL, 0) < 0)
		*id = UINT64_MAX;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The entry names of dir, sorted so that warnings come out in a stable order.
 * Returns 0, or an errno value. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	int e = 0;

	*names = NULL;
	*n = 0;
	if (d == NULL)
		return errno;
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			e = errno;
			break;
		}
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			*(char **)array_push(names, n, &cap, sizeof(char *)) = xstrdup(de->d_name);
	}
	closedir(d);
	if (e) {
		free_names(*names, *n);
		*names = NULL;
		*n = 0;
		return e;
	}
	if (*n)
		qsort(*names, *n, sizeof(char *), cmp_str);
	return 0;
}

/* ---------------------------------------------------------------- the reader */

struct reader {
	struct host *h;
	size_t capwarn;
	const char *nodedir; /* root/devices/system/node */
	unsigned *ids;	     /* node ids present, ascending: the order of every distance file */
	size_t nids;
};

static void warn(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes from a broken file end up in a log line: keep it one printable line. */
static void warn(struct reader *r, const char *fmt, ...)
{
	char msg[2 * ERRLEN], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if (!isprint((unsigned char)*p))
			*p = '?';
	*(char **)array_push(&r->h->warnings, &r->h->nwarnings, &r->capwarn, sizeof(char *)) =
	    xstrdup(msg);
}

enum { FILE_OK, FILE_MISSING, FILE_BAD };

/* A missing attribute is not a problem (older kernels and test trees omit cpulist, distance,
 * meminfo); any other failure to read it is. */
static int read_attr(const char *dir, const char *name, char **buf, size_t *len, char *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	int rc = FILE_OK;

	if (stat(path, &st) < 0 && errno == ENOENT)
		rc = FILE_MISSING;
	else if (read_file(path, SYSFS_FILE_MAX, false, buf, len, NULL, err, ERRLEN) < 0)
		rc = FILE_BAD;
	free(path);
	return rc;
}

/* Without cpulist (libvirt's virhostcpudata trees), the node's cpu<M> entries name its CPUs:
 * the kernel links node<N>/cpu<M> to every CPU registered on the node. */
static void cpus_from_entries(struct reader *r, struct node *n, char **names, size_t nnames)
{
	size_t i;

	for (i = 0; i < nnames; i++) {
		uint64_t id;

		if (!name_id(names[i], "cpu", "", &id))
			continue;
		if (id >= CPUSET_MAX_CPUS)
			warn(r, "node%u/%s: CPU id over the limit of %u", n->id, names[i],
			     CPUSET_MAX_CPUS - 1);
		else
			cpuset_set(n->cpus, (unsigned)id);
	}
}

static void read_cpus(struct reader *r, const char *dir, struct node *n, char **names,
		      size_t nnames)
{
	char why[ERRLEN], *buf;
	struct cpuset *s;
	size_t len;

	switch (read_attr(dir, "cpulist", &buf, &len, why)) {
	case FILE_MISSING:
		cpus_from_entries(r, n, names, nnames);
		return;
	case FILE_BAD:
		warn(r, "node%u/cpulist: %s", n->id, why);
		return;
	}
	s = cpuset_parse(buf, len, CPUSET_MAX_CPUS, CPUSET_KERNEL, why, sizeof(why));
	free(buf);
	if (s == NULL) {
		warn(r, "node%u/cpulist: %s", n->id, why);
		return;
	}
	cpuset_free(n->cpus);
	n->cpus = s;
}

/* A node's memory from its parsed meminfo (MemTotal and MemFree present). */
static void set_meminfo(struct node *n, const struct meminfo *mi)
{
	n->has_meminfo = true;
	n->mem_total = mi->total;
	n->mem_free = mi->free;
	/* every kernel with node meminfo prints MemUsed; derive it only for odd trees */
	n->mem_used = mi->has_used ? mi->used : mi->total > mi->free ? mi->total - mi->free : 0;
}

static void read_meminfo(struct reader *r, const char *dir, struct node *n)
{
	char why[ERRLEN], *buf;
	struct meminfo mi;
	size_t len;
	int rc;

	rc = read_attr(dir, "meminfo", &buf, &len, why);
	if (rc == FILE_MISSING)
		return; /* has_meminfo stays false: unknown, not 0 bytes (the model says so) */
	if (rc == FILE_BAD) {
		warn(r, "node%u/meminfo: %s", n->id, why);
		return;
	}
	rc = sysfs_parse_meminfo(buf, len, &mi, why, sizeof(why));
	free(buf);
	if (rc < 0) {
		warn(r, "node%u/meminfo: %s", n->id, why);
		return;
	}
	if (!mi.has_total) {
		warn(r, "node%u/meminfo: no MemTotal line", n->id);
		return;
	}
	if (!mi.has_free)
		warn(r, "node%u/meminfo: no MemFree line", n->id);
	set_meminfo(n, &mi);
}

/* Missing (an old kernel, a test tree) means no counters, not zero ones. */
static void read_numastat(struct reader *r, const char *dir, struct node *n)
{
	char why[ERRLEN], *buf;
	size_t len;
	int rc = read_attr(dir, "numastat", &buf, &len, why);

	if (rc == FILE_MISSING)
		return;
	if (rc == FILE_OK) {
		rc = sysfs_parse_numastat(buf, len, &n->numastat, why, sizeof(why)) < 0 ? FILE_BAD
											: FILE_OK;
		free(buf);
	}
	if (rc == FILE_BAD)
		warn(r, "node%u/numastat: %s", n->id, why);
}

/* The i-th value is the distance to the i-th node present, in ascending id order. */
static void read_distance(struct reader *r, const char *dir, struct node *n)
{
	char why[ERRLEN], *buf;
	unsigned *vals = NULL;
	size_t len, nv = 0, k, i;
	int rc;

	rc = read_attr(dir, "distance", &buf, &len, why);
	if (rc == FILE_MISSING)
		return;
	if (rc == FILE_OK) {
		rc = sysfs_parse_distance(buf, len, &vals, &nv, why, sizeof(why)) < 0 ? FILE_BAD
										      : FILE_OK;
		free(buf);
	}
	if (rc == FILE_BAD) {
		warn(r, "node%u/distance: %s", n->id, why);
		return;
	}
	if (nv != r->nids)
		warn(r, "node%u/distance: %zu values for %zu nodes", n->id, nv, r->nids);
	k = nv < r->nids ? nv : r->nids;
	if (k) {
		n->dist = xcalloc(k, sizeof(*n->dist));
		for (i = 0; i < k; i++) {
			n->dist[i].peer = r->ids[i];
			n->dist[i].value = vals[i];
		}
		n->ndist = k;
	}
	free(vals);
}

/* The files of a pool dir, and where each goes. */
static const char *const pool_files[] = {"nr_hugepages", "free_hugepages", "surplus_hugepages"};
#define POOL_FILES ARRAY_SIZE(pool_files)

static void pool_slots(struct hugepool *p, uint64_t *vals[POOL_FILES])
{
	vals[0] = &p->nr;
	vals[1] = &p->free;
	vals[2] = &p->surplus;
}

/* nr_hugepages, free_hugepages and surplus_hugepages of one pool; all three always exist in a
 * kernel's pool dir, so a missing one is a warning too. */
static void read_pool(struct reader *r, const char *pdir, const char *rel, struct hugepool *p)
{
	uint64_t *vals[POOL_FILES];
	size_t i;

	pool_slots(p, vals);
	for (i = 0; i < POOL_FILES; i++) {
		char *path = xasprintf("%s/%s", pdir, pool_files[i]), why[ERRLEN], *buf;
		size_t len;
		int rc = read_file(path, SYSFS_FILE_MAX, false, &buf, &len, NULL, why, sizeof(why));

		free(path);
		if (rc == 0) {
			rc = sysfs_parse_number(buf, len, vals[i], why, sizeof(why));
			free(buf);
		}
		if (rc < 0)
			warn(r, "%s/%s: %s", rel, pool_files[i], why);
	}
}

static int cmp_pool(const void *a, const void *b)
{
	const struct hugepool *x = a, *y = b;

	return (x->size_kib > y->size_kib) - (x->size_kib < y->size_kib);
}

static void read_hugepages(struct reader *r, const char *dir, struct node *n)
{
	char *hdir = xasprintf("%s/hugepages", dir), **names;
	size_t nnames, cap = 0, i;
	int e = list_dir(hdir, &names, &nnames);

	if (e) {
		if (e != ENOENT)
			warn(r, "node%u/hugepages: %s", n->id, strerror(e));
		free(hdir);
		return;
	}
	for (i = 0; i < nnames; i++) {
		char *pdir, *rel;
		struct hugepool *p;
		uint64_t kib;

		/* a size that cannot be turned into bytes cannot be a real page size */
		if (!name_id(names[i], "hugepages-", "kB", &kib) || kib == 0 ||
		    kib > UINT64_MAX / 1024)
			continue;
		p = array_push(&n->huge, &n->nhuge, &cap, sizeof(*p));
		p->size_kib = kib;
		pdir = xasprintf("%s/%s", hdir, names[i]);
		rel = xasprintf("node%u/hugepages/%s", n->id, names[i]);
		read_pool(r, pdir, rel, p);
		free(pdir);
		free(rel);
	}
	if (n->nhuge)
		qsort(n->huge, n->nhuge, sizeof(*n->huge), cmp_pool);
	free_names(names, nnames);
	free(hdir);
}

static void read_node(struct reader *r, struct node *n)
{
	char *dir = xasprintf("%s/node%u", r->nodedir, n->id), **names;
	size_t nnames;
	int e;

	n->cpus = cpuset_new(CPUSET_MAX_CPUS);
	e = list_dir(dir, &names, &nnames);
	if (e) {
		warn(r, "node%u: %s", n->id, strerror(e));
		free(dir);
		return;
	}
	read_cpus(r, dir, n, names, nnames);
	read_meminfo(r, dir, n);
	read_numastat(r, dir, n);
	read_distance(r, dir, n);
	read_hugepages(r, dir, n);
	free_names(names, nnames);
	free(dir);
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* node<N> entries -> r->ids, ascending. Everything else (online, possible, has_cpu, power,
 * uevent, ...) is not a node. */
static void collect_ids(struct reader *r, char **names, size_t nnames)
{
	size_t cap = 0, i;

	for (i = 0; i < nnames; i++) {
		uint64_t id;

		if (!name_id(names[i], "node", "", &id))
			continue;
		if (id >= CPUSET_MAX_NODES) {
			warn(r, "%s: node id over the limit of %u", names[i], CPUSET_MAX_NODES - 1);
			continue;
		}
		*(unsigned *)array_push(&r->ids, &r->nids, &cap, sizeof(unsigned)) = (unsigned)id;
	}
	if (r->nids)
		qsort(r->ids, r->nids, sizeof(unsigned), cmp_unsigned);
}

/* The base page size: a <page> of this size is ordinary memory to libvirt, not a hugepage. */
static uint64_t base_page_kib(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (uint64_t)sz / 1024 : 0;
}

/* cpu/online, so that CPUs the kernel runs but no node directory names (no cpulist, no cpu<N>
 * entries: libvirt's linux-test1) can be told from CPUs that do not exist. */
static void read_cpu_online(struct reader *r, const char *root)
{
	char why[ERRLEN], *dir = xasprintf("%s/devices/system/cpu", root), *buf;
	size_t len;

	if (read_attr(dir, "online", &buf, &len, why) == FILE_OK) {
		r->h->online_cpus = cpuset_parse(buf, len, CPUSET_MAX_CPUS, CPUSET_KERNEL, why,
						 sizeof(why));
		free(buf);
	}
	free(dir);
}

int sysfs_read_host(const char *root, struct host **out, char *err, size_t errlen)
{
	char *nodedir = xasprintf("%s/devices/system/node", root), **names;
	struct reader r = {0};
	struct host *h;
	size_t nnames, i;
	int e = list_dir(nodedir, &names, &nnames);

	if (e) {
		err_set(err, errlen, "%s: %s", nodedir, strerror(e));
		free(nodedir);
		return -1;
	}
	h = r.h = xcalloc(1, sizeof(*h));
	r.nodedir = nodedir;
	h->node_ids = cpuset_new(CPUSET_MAX_NODES);
	h->cpus = cpuset_new(CPUSET_MAX_CPUS);
	collect_ids(&r, names, nnames);
	free_names(names, nnames);
	if (r.nids)
		h->nodes = xcalloc(r.nids, sizeof(*h->nodes));
	h->nnodes = r.nids;
	for (i = 0; i < r.nids; i++) {
		h->nodes[i].id = r.ids[i];
		read_node(&r, &h->nodes[i]);
		cpuset_set(h->node_ids, r.ids[i]);
		cpuset_union(h->cpus, h->nodes[i].cpus);
	}
	free(r.ids);
	free(nodedir);
	read_cpu_online(&r, root);
	h->base_page_kib = base_page_kib();
	*out = h;
	return 0;
}

/* ---------------------------------------------------------------- the quick re-read */

/* One read(2) of a small attribute below dfd: sysfs hands an attribute over whole, in one
 * read. -1 when it cannot be opened or read (a directory, a FIFO with nothing in it), or does
 * not fit in cap. */
static int quick_read(int dfd, const char *rel, char *buf, size_t cap, size_t *len)
{
	int fd = openat(dfd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	*len = (size_t)n;
	return 0;
}

static int quick_number(int dfd, const char *rel, uint64_t *out)
{
	char buf[64], why[ERRLEN];
	size_t len;

	if (quick_read(dfd, rel, buf, sizeof(buf), &len) < 0)
		return -1;
	return sysfs_parse_number(buf, len, out, why, sizeof(why));
}

static struct cpuset *quick_set(int dfd, const char *rel, unsigned limit)
{
	char buf[4096], why[ERRLEN];
	size_t len;

	if (quick_read(dfd, rel, buf, sizeof(buf), &len) < 0)
		return NULL;
	return cpuset_parse(buf, len, limit, CPUSET_KERNEL, why, sizeof(why));
}

/* prev without its per-read values: nodes, CPUs, distances, pool sizes (the caller refreshes
 * those only for a host read without warnings, and names no devices yet). */
static struct host *copy_layout(const struct host *prev)
{
	struct host *h = host_dup(prev);

	free(h->devs);
	h->devs = NULL;
	h->ndevs = 0;
	cpuset_free(h->cpus);
	h->cpus = cpuset_new(CPUSET_MAX_CPUS);
	return h;
}

static int quick_node(int dfd, struct node *n)
{
	char rel[128], buf[8192], why[ERRLEN];
	struct cpuset *cpus;
	struct meminfo mi;
	size_t len, j;

	snprintf(rel, sizeof(rel), "node%u/cpulist", n->id);
	if ((cpus = quick_set(dfd, rel, CPUSET_MAX_CPUS)) == NULL)
		return -1;
	cpuset_free(n->cpus);
	n->cpus = cpus;
	snprintf(rel, sizeof(rel), "node%u/meminfo", n->id);
	if (quick_read(dfd, rel, buf, sizeof(buf), &len) < 0 ||
	    sysfs_parse_meminfo(buf, len, &mi, why, sizeof(why)) < 0 || !mi.has_total ||
	    !mi.has_free)
		return -1;
	set_meminfo(n, &mi);
	snprintf(rel, sizeof(rel), "node%u/numastat", n->id);
	if (n->numastat.has != 0 &&
	    (quick_read(dfd, rel, buf, sizeof(buf), &len) < 0 ||
	     sysfs_parse_numastat(buf, len, &n->numastat, why, sizeof(why)) < 0))
		return -1;
	for (j = 0; j < n->nhuge; j++) {
		struct hugepool *p = &n->huge[j];
		uint64_t *vals[POOL_FILES];
		size_t k;

		pool_slots(p, vals);
		for (k = 0; k < POOL_FILES; k++) {
			snprintf(rel, sizeof(rel), "node%u/hugepages/hugepages-%" PRIu64 "kB/%s",
				 n->id, p->size_kib, pool_files[k]);
			if (quick_number(dfd, rel, vals[k]) < 0)
				return -1;
		}
	}
	return 0;
}

int sysfs_refresh_host(const char *root, const struct host *prev, struct host **out)
{
	char *nodedir;
	struct cpuset *online;
	struct host *h;
	size_t i;
	int dfd, rc = -1;

	*out = NULL;
	/* a warning, or a node read without cpulist or meminfo: only the whole read says it */
	if (prev == NULL || prev->nwarnings || prev->node_ids == NULL)
		return -1;
	for (i = 0; i < prev->nnodes; i++)
		if (!prev->nodes[i].has_meminfo)
			return -1;
	nodedir = xasprintf("%s/devices/system/node", root);
	dfd = open(nodedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(nodedir);
	if (dfd < 0)
		return -1;
	/* the kernel's list of online nodes stands for the node<N> directories */
	online = quick_set(dfd, "online", CPUSET_MAX_NODES);
	if (online == NULL || !cpuset_equal(online, prev->node_ids)) {
		cpuset_free(online);
		close(dfd);
		return -1;
	}
	cpuset_free(online);
	h = copy_layout(prev);
	for (i = 0; i < h->nnodes; i++) {
		if (quick_node(dfd, &h->nodes[i]) < 0)
			goto out;
		cpuset_union(h->cpus, h->nodes[i].cpus);
	}
	rc = 0;
out:
	close(dfd);
	if (rc < 0)
		host_free(h);
	else
		*out = h;
	return rc;
}
