/* SPDX-License-Identifier: BSD-3-Clause */
/* account.c: the accounting rules R1-R10 (README, "How the numbers are computed"): host
 * topology + parsed VMs + config -> one model snapshot. Pure: no I/O at all. The build's steps
 * live here; the VM index in account_index.c, the per-VM results kept between builds in
 * account_cache.c, one VM's rules in account_vm.c (R4-R6, R8, R10) and account_vcpu.c (R1-R3,
 * R7), the nodes' in account_node.c (R9). */
#include "core/account_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

void account_config_init(struct account_config *c)
{
	memset(c, 0, sizeof(*c));
	c->cpu_ratio_pct = 100;
	c->mem_ratio_pct = 100;
	c->default_huge_kib = 2048;
	c->stray_pct = 5;
	c->stray_min = 64ull << 20;
}

void account_config_clear(struct account_config *c)
{
	if (c == NULL)
		return;
	free(c->reserved);
	c->reserved = NULL;
	c->nreserved = 0;
}

/* ---------------------------------------------------------------- the build context */

static void topo_init(struct topo *t, const struct host *h)
{
	size_t i;

	t->host = h;
	t->cpus = cpuset_new(CPUSET_MAX_CPUS);
	t->node_ids = cpuset_new(CPUSET_MAX_NODES);
	t->npos = 0;
	for (i = 0; i < h->nnodes; i++)
		if (h->nodes[i].id < CPUSET_MAX_NODES && h->nodes[i].id >= t->npos)
			t->npos = h->nodes[i].id + 1;
	t->pos = xcalloc(t->npos, sizeof(*t->pos));
	for (i = 0; i < t->npos; i++)
		t->pos[i] = NO_POS;
	for (i = 0; i < h->nnodes; i++) {
		const struct node *n = &h->nodes[i];

		if (n->id < t->npos && t->pos[n->id] == NO_POS) {
			t->pos[n->id] = i;
			cpuset_set(t->node_ids, n->id);
		}
		if (n->cpus)
			cpuset_union(t->cpus, n->cpus);
	}
}

static void topo_clear(struct topo *t)
{
	cpuset_free(t->cpus);
	cpuset_free(t->node_ids);
	free(t->pos);
}

/* What the host reader could not see, said as what it is: a node without meminfo has unknown
 * memory (not 0 bytes); CPUs that cpu/online lists but no node names are a gap in sysfs. */
static void host_gaps(struct model *m, const struct host *h)
{
	char msg[256];
	struct cpuset *gap;
	size_t i;

	for (i = 0; i < h->nnodes; i++) {
		if (h->nodes[i].has_meminfo)
			continue;
		snprintf(msg, sizeof(msg),
			 "node%u/meminfo: missing or unreadable; the node's memory is unknown (no "
			 "limit, headroom or oversubscription verdict)",
			 h->nodes[i].id);
		model_add_problem(&m->warnings, &m->nwarnings, "sysfs", msg);
	}
	if (h->online_cpus == NULL || h->cpus == NULL)
		return;
	gap = cpuset_dup(h->online_cpus);
	cpuset_subtract(gap, h->cpus);
	if (!cpuset_empty(gap)) {
		char *list = cpuset_format(gap);

		snprintf(msg, sizeof(msg),
			 "cpu/online lists CPUs %.160s that no node directory names (no cpulist, no "
			 "cpu<N> entries)",
			 list);
		model_add_problem(&m->warnings, &m->nwarnings, "sysfs", msg);
		free(list);
	}
	cpuset_free(gap);
}

/* The model's header and the host's warnings; the host indexed; a zero sum per node. */
static void build_begin(struct ctx *c, const struct host *host)
{
	size_t i;

	c->m = xcalloc(1, sizeof(*c->m));
	c->m->refs = 1;
	c->m->cpu_ratio_pct = c->cfg->cpu_ratio_pct;
	c->m->mem_ratio_pct = c->cfg->mem_ratio_pct;
	c->m->source_status = SOURCE_OK; /* the daemon overrides it from the scan */
	for (i = 0; i < host->nwarnings; i++)
		model_add_problem(&c->m->warnings, &c->m->nwarnings, "sysfs", host->warnings[i]);
	host_gaps(c->m, host);
	topo_init(&c->topo, host);
	c->acc = xcalloc(host->nnodes, sizeof(*c->acc));
}

static void build_end(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->topo.host->nnodes; i++)
		free(c->acc[i].demand);
	free(c->acc);
	topo_clear(&c->topo);
}

struct model *account_build(const struct host *host, struct vm *const *vms,
			    const char *const *files, size_t nvms, const struct account_config *cfg)
{
	return account_build_all(host, vms, files, NULL, nvms, cfg, NULL, 0);
}

struct model *account_build_indexed(const struct host *host, struct vm *const *vms,
				    const char *const *files, size_t nvms,
				    const struct account_config *cfg, struct vmindex *map, int64_t now)
{
	return account_build_all(host, vms, files, NULL, nvms, cfg, map, now);
}

struct model *account_build_run(const struct host *host, struct vm *const *vms,
				const char *const *files, const struct vm_run *runs, size_t nvms,
				const struct account_config *cfg)
{
	return account_build_all(host, vms, files, runs, nvms, cfg, NULL, 0);
}

struct model *account_build_all(const struct host *host, struct vm *const *vms,
				const char *const *files, const struct vm_run *runs, size_t nvms,
				const struct account_config *cfg, struct vmindex *map, int64_t now)
{
	struct account_input in = {.vms = vms, .files = files, .runs = runs, .n = nvms};
	struct account_cache *k = account_cache_new();
	struct model *m = account_build_cached(k, host, &in, cfg, map, now);

	account_cache_free(k);
	return m;
}

struct model *account_build_cached(struct account_cache *k, const struct host *host,
				   const struct account_input *in,
				   const struct account_config *cfg, struct vmindex *map,
				   int64_t now)
{
	static const struct host no_host;
	struct account_config defaults;
	struct ctx c = {.cfg = cfg, .runs = in->runs};

	if (cfg == NULL) {
		account_config_init(&defaults);
		c.cfg = &defaults;
	}
	build_begin(&c, host ? host : &no_host);
	c.m->runtime = in->runs != NULL;
	/* R1-R8 and R10 per VM (or its result of the build before); shares into the sums */
	account_cache_vms(k, &c, in, map, now);
	account_node_rows(&c); /* R9 */
	account_sort_host_rows(c.m);
	build_end(&c);
	return c.m;
}
