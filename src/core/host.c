/* SPDX-License-Identifier: BSD-3-Clause */
/* host.c: the host topology model's lookups, its copy and its one free function, for the
 * reader (sysfs.c), the accounting and tests that build a host by hand alike. Pure. */
#include "core/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void host_free(struct host *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nnodes; i++) {
		cpuset_free(h->nodes[i].cpus);
		free(h->nodes[i].dist);
		free(h->nodes[i].huge);
	}
	for (i = 0; i < h->nwarnings; i++)
		free(h->warnings[i]);
	free(h->warnings);
	free(h->devs);
	free(h->nodes);
	cpuset_free(h->node_ids);
	cpuset_free(h->cpus);
	cpuset_free(h->online_cpus);
	free(h);
}

static struct cpuset *dup_or_null(const struct cpuset *s)
{
	return s ? cpuset_dup(s) : NULL;
}

struct host *host_dup(const struct host *h)
{
	struct host *d = xcalloc(1, sizeof(*d));
	size_t i;

	*d = *h;
	d->nodes = h->nnodes ? xcalloc(h->nnodes, sizeof(*d->nodes)) : NULL;
	for (i = 0; i < h->nnodes; i++) {
		const struct node *o = &h->nodes[i];
		struct node *n = &d->nodes[i];

		*n = *o;
		n->cpus = dup_or_null(o->cpus);
		n->dist = xmemdup(o->dist, o->ndist, sizeof(*n->dist));
		n->huge = xmemdup(o->huge, o->nhuge, sizeof(*n->huge));
	}
	d->node_ids = dup_or_null(h->node_ids);
	d->cpus = dup_or_null(h->cpus);
	d->online_cpus = dup_or_null(h->online_cpus);
	d->devs = xmemdup(h->devs, h->ndevs, sizeof(*d->devs));
	d->warnings = h->nwarnings ? xcalloc(h->nwarnings, sizeof(*d->warnings)) : NULL;
	for (i = 0; i < h->nwarnings; i++)
		d->warnings[i] = xstrdup(h->warnings[i]);
	return d;
}

const struct node *host_node(const struct host *h, unsigned id)
{
	size_t lo = 0, hi = h->nnodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->nodes[mid].id == id)
			return &h->nodes[mid];
		if (h->nodes[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A scan, not a search: nodes are sorted by id, not by CPU, and cpuset_test is O(1), so this is
 * at most nnodes bit tests. It uses only the public fields, so hosts that tests build by hand
 * answer too (a private cpu->node table would be missing from those). */
int host_cpu_node(const struct host *h, unsigned cpu)
{
	size_t i;

	for (i = 0; i < h->nnodes; i++)
		if (h->nodes[i].cpus && cpuset_test(h->nodes[i].cpus, cpu))
			return (int)h->nodes[i].id;
	return -1;
}

/* A node has a handful of pool sizes at most: a scan is the search. */
const struct hugepool *host_node_pool(const struct node *n, uint64_t size_kib)
{
	size_t i;

	for (i = 0; i < n->nhuge; i++)
		if (n->huge[i].size_kib == size_kib)
			return &n->huge[i];
	return NULL;
}

int host_dev_cmp(const struct host_dev *a, const struct host_dev *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == DEV_KIND_MDEV)
		return strcmp(a->uuid, b->uuid);
	return pci_addr_cmp(&a->addr, &b->addr);
}

const struct host_dev *host_dev_find(const struct host *h, enum dev_kind kind,
				     const struct pci_addr *addr, const char *uuid)
{
	struct host_dev key = {.kind = kind};
	size_t lo = 0, hi = h->ndevs;

	if (kind == DEV_KIND_MDEV)
		snprintf(key.uuid, sizeof(key.uuid), "%s", uuid);
	else
		key.addr = *addr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = host_dev_cmp(&h->devs[mid], &key);

		if (c == 0)
			return &h->devs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
