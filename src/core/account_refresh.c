/* SPDX-License-Identifier: BSD-3-Clause */
/* account_refresh.c: a new snapshot without accounting again, when only the values the kernel
 * moves on its own changed: the VM rows are shared, node and hugepage rows get the new free. */
#include "core/account_impl.h"

#include <string.h>

#include "core/util.h"

static bool same_cpus(const struct cpuset *a, const struct cpuset *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return cpuset_equal(a, b);
}

static bool same_node(const struct node *a, const struct node *b)
{
	size_t i;

	if (a->id != b->id || a->has_meminfo != b->has_meminfo || a->mem_total != b->mem_total ||
	    !same_cpus(a->cpus, b->cpus) || a->ndist != b->ndist || a->nhuge != b->nhuge)
		return false;
	for (i = 0; i < a->ndist; i++)
		if (a->dist[i].peer != b->dist[i].peer || a->dist[i].value != b->dist[i].value)
			return false;
	for (i = 0; i < a->nhuge; i++)
		if (a->huge[i].size_kib != b->huge[i].size_kib || a->huge[i].nr != b->huge[i].nr)
			return false;
	return true;
}

static bool same_dev(const struct host_dev *a, const struct host_dev *b)
{
	return host_dev_cmp(a, b) == 0 && a->found == b->found && a->not_pci == b->not_pci &&
	       a->node == b->node && pci_addr_cmp(&a->addr, &b->addr) == 0;
}

bool account_host_same_layout(const struct host *a, const struct host *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	/* online CPUs: the gap warnings (CPUs no node names) are made from them */
	if (a->nnodes != b->nnodes || a->nwarnings != b->nwarnings ||
	    a->base_page_kib != b->base_page_kib || !same_cpus(a->online_cpus, b->online_cpus))
		return false;
	for (i = 0; i < a->nnodes; i++)
		if (!same_node(&a->nodes[i], &b->nodes[i]))
			return false;
	for (i = 0; i < a->nwarnings; i++)
		if (strcmp(a->warnings[i], b->warnings[i]) != 0)
			return false;
	return true;
}

bool account_host_same_devs(const struct host *a, const struct host *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->ndevs != b->ndevs)
		return false;
	for (i = 0; i < a->ndevs; i++)
		if (!same_dev(&a->devs[i], &b->devs[i]))
			return false;
	return true;
}

bool account_host_same(const struct host *a, const struct host *b)
{
	return account_host_same_layout(a, b) && account_host_same_devs(a, b);
}

struct model *account_refresh(struct model *prev, const struct host *host)
{
	struct model *m = xcalloc(1, sizeof(*m));
	struct model *owner = prev->vm_owner != NULL ? prev->vm_owner : prev;
	size_t i;

	*m = *prev;
	m->refs = 1;
	m->epoch = NULL; /* the owner holds it */
	m->errors = NULL;
	m->nerrors = 0;
	m->vm_owner = model_ref(owner);
	/* the same topology: the same nodes in the same order (both sorted by id) */
	m->nodes = xcalloc(prev->nnodes, sizeof(*m->nodes));
	for (i = 0; i < prev->nnodes; i++) {
		const struct node *n = host_node(host, prev->nodes[i].id);

		m->nodes[i] = prev->nodes[i];
		m->nodes[i].cpulist = xstrdup(prev->nodes[i].cpulist);
		if (n != NULL) {
			m->nodes[i].mem_free = n->mem_free;
			m->nodes[i].numastat = n->numastat;
		}
	}
	m->dists = xmemdup(prev->dists, prev->ndists, sizeof(*m->dists));
	m->huges = xmemdup(prev->huges, prev->nhuges, sizeof(*m->huges));
	for (i = 0; i < m->nhuges; i++) {
		const struct node *n = host_node(host, m->huges[i].node);
		const struct hugepool *pool =
		    n != NULL ? host_node_pool(n, m->huges[i].size_kib) : NULL;

		if (pool != NULL) { /* else a size only VMs ask for: 0 free, 0 surplus */
			m->huges[i].free = pool->free;
			m->huges[i].surplus = pool->surplus;
		}
	}
	return m;
}
