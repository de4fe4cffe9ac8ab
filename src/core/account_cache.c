/* SPDX-License-Identifier: BSD-3-Clause */
/* account_cache.c: every VM accounted once and its result kept, keyed by what it was made from
 * (the parse, the runtime reading, its numaVmIndex and index warnings), so that a build accounts
 * again only the VMs that changed, then sums the node totals (R9) anew. Pure. */
#include "core/account_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "core/vmindex.h"
#include "core/yield.h"

struct partacc { /* one VM's part of one host node's sums */
	size_t pos;  /* in host->nodes */
	struct nodeacc acc;
};

/* One VM's result: its one-VM rows (counted here, so that a build reads only the rows it
 * copies), its shares of the nodes, where its rows sit in the last build. */
struct result {
	struct model *rows; /* NULL: to be accounted (forgotten) */
	struct partacc *acc;
	size_t nacc;
	size_t nrows[4]; /* vms, assigns, vcpus, devs */
	size_t at[4];	 /* their first position in the last build's tables */
	bool placed;	 /* at[] holds */
	size_t nwarnings;
	unsigned floating, misaligned;
	uint64_t hash;
};

/* One input VM as the last build saw it: its claims on an index (file, UUID, domain id), what
 * its result was made from, and the result. */
struct vm_part {
	const struct vm *vm; /* NULL: a NULL input, nothing else is set */
	uint64_t parse_id, run_id;
	char *file, *uuid;
	long long domain_id;
	uint32_t index;
	enum index_why why;
	char *dup_file, *other; /* what the index warnings name; NULL: none */
	bool has_devs;		/* names passthrough devices: reads host->devs */
	struct result res;
};

struct account_cache {
	struct vm_part *parts; /* the last build's, in input order */
	size_t nparts;
	struct host *host; /* a copy of the host the results were made on; NULL: none yet */
	uint64_t default_huge_kib, stray_min;
	unsigned stray_pct;
	bool runtime;
	/* The last index assignment: while every VM claims what it claimed then and the map is
	 * as that assignment left it (which taught the map nothing), it gives the same again. */
	bool memo;
	const struct vmindex *map;
	uint64_t map_edits;
	struct account_index_out out;
	bool learnt;   /* the assignment added to the map: recall_memo() before the next use */
	size_t *seen;  /* the map entry (position) whose last_seen the VM moves, NO_POS: none */
	size_t *order; /* input positions of the VMs in (index, position) order */
	size_t norder;
	size_t accounted;
	/* The node sums of every result held (R9), kept as results come and go; exact while no
	 * sum saturated (sums_ok), else summed again from every result. */
	struct nodeacc *sums;
	size_t nsums;
	bool sums_ok;
	struct model_epoch *epoch; /* the last build's: parts it stops using retire there */
	struct model *last;	   /* the last build, whose tables hold the kept rows in a row */
};

/* ---------------------------------------------------------------- the node sums */

static void free_sums(struct account_cache *k)
{
	size_t i;

	for (i = 0; i < k->nsums; i++)
		free(k->sums[i].demand);
	free(k->sums);
	k->sums = NULL;
	k->nsums = 0;
	k->sums_ok = false;
}

/* *a += b, false when the sum is at the top (saturated, or exactly there: either way no
 * subtraction can be trusted any more). */
static bool plus(uint64_t *a, uint64_t b)
{
	add_sat(a, b);
	return *a != UINT64_MAX;
}

static bool plus_uns(unsigned *a, unsigned b)
{
	add_uns(a, b);
	return *a != UINT_MAX;
}

static bool add_demand(struct nodeacc *g, const struct demand *d)
{
	struct demand *e = account_node_demand(g, d->size_kib);

	e->users++;
	return plus(&e->pages, d->pages);
}

static void sums_add(struct account_cache *k, const struct result *r)
{
	size_t i, j;
	bool ok = true;

	for (i = 0; k->sums != NULL && i < r->nacc; i++) {
		const struct nodeacc *a = &r->acc[i].acc;
		struct nodeacc *g = &k->sums[r->acc[i].pos];

		ok &= plus_uns(&g->vcpus_bound, a->vcpus_bound);
		ok &= plus_uns(&g->vcpus_spanning, a->vcpus_spanning);
		ok &= plus_uns(&g->vm_count, a->vm_count);
		ok &= plus_uns(&g->pci_devices, a->pci_devices);
		ok &= plus_uns(&g->vcpus_running, a->vcpus_running);
		ok &= plus(&g->mem_used, a->mem_used);
		ok &= plus(&g->mem_spanning, a->mem_spanning);
		ok &= plus(&g->mem_huge, a->mem_huge);
		ok &= plus(&g->mem_resident, a->mem_resident);
		for (j = 0; j < a->ndemand; j++)
			ok &= add_demand(g, &a->demand[j]);
	}
	k->sums_ok &= ok;
}

static void sub_demand(struct nodeacc *g, const struct demand *d)
{
	size_t i;

	for (i = 0; i < g->ndemand; i++) {
		if (g->demand[i].size_kib != d->size_kib)
			continue;
		g->demand[i].pages -= d->pages;
		if (--g->demand[i].users == 0) /* no VM asks for it: no row (order is free) */
			g->demand[i] = g->demand[--g->ndemand];
		return;
	}
}

/* Exact while nothing saturated; else the next build sums every result again. */
static void sums_sub(struct account_cache *k, const struct result *r)
{
	size_t i, j;

	for (i = 0; k->sums_ok && i < r->nacc; i++) {
		const struct nodeacc *a = &r->acc[i].acc;
		struct nodeacc *g = &k->sums[r->acc[i].pos];

		g->vcpus_bound -= a->vcpus_bound;
		g->vcpus_spanning -= a->vcpus_spanning;
		g->vm_count -= a->vm_count;
		g->pci_devices -= a->pci_devices;
		g->vcpus_running -= a->vcpus_running;
		g->mem_used -= a->mem_used;
		g->mem_spanning -= a->mem_spanning;
		g->mem_huge -= a->mem_huge;
		g->mem_resident -= a->mem_resident;
		for (j = 0; j < a->ndemand; j++)
			sub_demand(g, &a->demand[j]);
	}
}

static void new_sums(struct account_cache *k, size_t nnodes)
{
	free_sums(k);
	k->sums = xcalloc(nnodes ? nnodes : 1, sizeof(*k->sums));
	k->nsums = nnodes;
	k->sums_ok = true;
}

/* ---------------------------------------------------------------- lifetime */

/* The rows may still be borrowed by a build: they go with the last build's epoch. */
static void drop_result(struct account_cache *k, struct vm_part *p)
{
	size_t i;

	if (p->res.rows != NULL)
		sums_sub(k, &p->res);
	if (p->res.rows != NULL && k->epoch != NULL)
		model_epoch_retire(k->epoch, p->res.rows);
	else
		model_unref(p->res.rows);
	for (i = 0; i < p->res.nacc; i++)
		free(p->res.acc[i].acc.demand);
	free(p->res.acc);
	memset(&p->res, 0, sizeof(p->res));
}

static void free_parts(struct account_cache *k, struct vm_part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		drop_result(k, &parts[i]);
		free(parts[i].file);
		free(parts[i].uuid);
		free(parts[i].dup_file);
		free(parts[i].other);
	}
	free(parts);
}

static void free_memo(struct account_cache *k)
{
	free(k->out.index);
	free(k->out.dup_of);
	free(k->out.why);
	free(k->out.other);
	free(k->seen);
	free(k->order);
	memset(&k->out, 0, sizeof(k->out));
	k->seen = k->order = NULL;
	k->norder = 0;
	k->memo = k->learnt = false;
}

struct account_cache *account_cache_new(void)
{
	return xcalloc(1, sizeof(struct account_cache));
}

void account_cache_clear(struct account_cache *k)
{
	free_sums(k); /* every result goes: nothing to subtract */
	free_parts(k, k->parts, k->nparts);
	k->parts = NULL;
	k->nparts = 0;
	host_free(k->host);
	k->host = NULL;
	free_memo(k);
	model_unref(k->last);
	k->last = NULL;
}

void account_cache_free(struct account_cache *k)
{
	if (k == NULL)
		return;
	account_cache_clear(k);
	model_epoch_unref(k->epoch);
	free(k);
}

size_t account_cache_accounted(const struct account_cache *k)
{
	return k->accounted;
}

/* What every VM's accounting reads besides the VM: the host's layout and the per-VM settings
 * (another one forgets every result), the passthrough devices (only the VMs naming one). */
static void check_host_config(struct account_cache *k, const struct ctx *c, bool runtime)
{
	const struct account_config *cfg = c->cfg;
	size_t i;

	if (k->host == NULL || k->default_huge_kib != cfg->default_huge_kib ||
	    k->stray_pct != cfg->stray_pct || k->stray_min != cfg->stray_min ||
	    k->runtime != runtime || !account_host_same_layout(k->host, c->topo.host)) {
		account_cache_clear(k);
	} else if (account_host_same_devs(k->host, c->topo.host)) {
		return;
	} else {
		for (i = 0; i < k->nparts; i++)
			if (k->parts[i].has_devs)
				drop_result(k, &k->parts[i]);
	}
	if (k->sums == NULL)
		new_sums(k, c->topo.host->nnodes);
	host_free(k->host);
	k->host = host_dup(c->topo.host);
	k->default_huge_kib = cfg->default_huge_kib;
	k->stray_pct = cfg->stray_pct;
	k->stray_min = cfg->stray_min;
	k->runtime = runtime;
}

/* ---------------------------------------------------------------- the VM index */

static const char *uuid_of(const struct vm *vm)
{
	return vm->uuid ? vm->uuid : "";
}

/* Input i claims what the last build's VM at position i claimed. */
static bool same_claim(const struct vm_part *p, const struct account_input *in, size_t i)
{
	const struct vm *vm = in->vms[i];

	if (vm == NULL || p->vm == NULL)
		return vm == NULL && p->vm == NULL;
	if (in->parse_ids && p->parse_id == in->parse_ids[i] && p->vm == vm)
		return true;
	return p->file && p->domain_id == vm->id && strcmp(p->file, file_of(in->files, i)) == 0 &&
	       strcmp(p->uuid, uuid_of(vm)) == 0;
}

static bool memo_holds(const struct account_cache *k, const struct account_input *in,
		       const struct vmindex *map)
{
	size_t i;

	if (!k->memo || k->nparts != in->n || k->map != map || (map && map->edits != k->map_edits))
		return false;
	for (i = 0; i < in->n; i++)
		if (!same_claim(&k->parts[i], in, i))
			return false;
	return true;
}

/* What the assignment does to the map besides: every VM it knows was seen now. */
static void touch_seen(const struct account_cache *k, struct vmindex *map, int64_t now)
{
	size_t i;

	for (i = 0; map && i < k->nparts; i++) {
		struct vmindex_entry *en = k->seen[i] == NO_POS ? NULL : &map->e[k->seen[i]];

		if (en && en->last_seen != now) {
			en->last_seen = now;
			map->touched = true;
		}
	}
}

struct vm_turn { /* a VM's turn: its numaVmIndex and its position in the input */
	uint32_t index;
	size_t pos;
};

static int cmp_vm_turn(const void *a, const void *b)
{
	const struct vm_turn *x = a, *y = b;

	return cmp_key2(x->index, x->pos, y->index, y->pos);
}

/* Rows and warnings come out in index order (stable whatever the input order). */
static void order_turns(struct account_cache *k, const struct account_input *in)
{
	struct vm_turn *turn = xcalloc(in->n ? in->n : 1, sizeof(*turn));
	size_t i, n = 0;

	for (i = 0; i < in->n; i++)
		if (in->vms[i])
			turn[n++] = (struct vm_turn){k->out.index[i], i};
	qsort_empty_ok(turn, n, sizeof(*turn), cmp_vm_turn);
	k->order = xcalloc(n ? n : 1, sizeof(*k->order));
	for (i = 0; i < n; i++)
		k->order[i] = turn[i].pos;
	k->norder = n;
	free(turn);
}

static void assign_indexes(struct account_cache *k, const struct account_input *in,
			   struct vmindex *map, int64_t now)
{
	uint64_t edits = map ? map->edits : 0;
	size_t n = in->n ? in->n : 1, i;

	free_memo(k);
	k->out.index = xcalloc(n, sizeof(*k->out.index));
	k->out.dup_of = xcalloc(n, sizeof(*k->out.dup_of));
	k->out.why = xcalloc(n, sizeof(*k->out.why));
	k->out.other = xcalloc(n, sizeof(*k->out.other));
	k->seen = xcalloc(n, sizeof(*k->seen));
	account_index_assign(in->vms, in->files, in->n, map, now, &k->out);
	for (i = 0; i < in->n; i++) {
		const struct vmindex_entry *en = NULL;

		/* the VMs whose last_seen the assignment moves: those it looked up (not a
		 * second file of a UUID), found or added */
		if (map && in->vms[i] && k->out.why[i] != INDEX_SHARED_UUID)
			en = vmindex_find_uuid(map, uuid_of(in->vms[i]));
		k->seen[i] = en ? (size_t)(en - map->e) : NO_POS;
	}
	order_turns(k, in);
	k->memo = true;
	k->map = map;
	k->map_edits = map ? map->edits : 0;
	/* it taught the map the new UUIDs: the next build finds them there (below) */
	k->learnt = map != NULL && map->edits != edits;
}

/* The same claims give what the last assignment gave, but for what it taught the map: the
 * next assignment finds every VM the map knows there first (account_index.c, recall), with the
 * index it got, so no known VM is then told its domain id was claimed before
 * (claim_domain_ids passes a VM that has an index). */
static void recall_memo(struct account_cache *k)
{
	size_t i;

	for (i = 0; k->learnt && i < k->nparts; i++)
		if (k->seen[i] != NO_POS)
			k->out.dup_of[i] = NO_POS;
	k->learnt = false;
}

/* ---------------------------------------------------------------- one VM */

/* Old parts by parse id, made at the first VM not found at its old position. */
struct lookup {
	size_t *slot; /* position + 1, 0 = empty */
	size_t mask;
};

static size_t hash_id(uint64_t id, size_t mask)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 17) & mask;
}

static void build_lookup(const struct account_cache *k, struct lookup *lk)
{
	size_t cap = 16, i, s;

	while (cap < 2 * k->nparts)
		cap *= 2;
	lk->slot = xcalloc(cap, sizeof(*lk->slot));
	lk->mask = cap - 1;
	for (i = 0; i < k->nparts; i++) {
		if (k->parts[i].vm == NULL)
			continue;
		for (s = hash_id(k->parts[i].parse_id, lk->mask); lk->slot[s]; s = (s + 1) & lk->mask)
			;
		lk->slot[s] = i + 1;
	}
}

/* The last build's part of the parse input i is: at the same position, else found by id. */
static struct vm_part *old_part(const struct account_cache *k, struct lookup *lk,
				const struct account_input *in, size_t i)
{
	const struct vm *vm = in->vms[i];
	uint64_t id;
	size_t s;

	if (in->parse_ids == NULL || vm == NULL)
		return NULL;
	id = in->parse_ids[i];
	if (i < k->nparts && k->parts[i].parse_id == id && k->parts[i].vm == vm)
		return &k->parts[i];
	if (lk->slot == NULL)
		build_lookup(k, lk);
	for (s = hash_id(id, lk->mask); lk->slot[s]; s = (s + 1) & lk->mask) {
		struct vm_part *p = &k->parts[lk->slot[s] - 1];

		if (p->parse_id == id && p->vm == vm)
			return p;
	}
	return NULL;
}

static bool same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* The old result is what accounting input i would make now. */
static bool result_holds(const struct vm_part *p, const struct account_input *in, size_t i,
			 const struct account_index_out *o, const char *dup, const char *other)
{
	return p->res.rows != NULL && (in->runs == NULL || (in->run_ids != NULL && p->run_id == in->run_ids[i])) &&
	       p->index == o->index[i] && p->why == o->why[i] && same_str(p->dup_file, dup) &&
	       same_str(p->other, other);
}

static void set_claims(struct vm_part *n, struct vm_part *old, const struct account_input *in,
		       size_t i, const char *dup, const char *other)
{
	const struct vm *vm = in->vms[i];

	n->vm = vm;
	if (vm == NULL)
		return;
	n->parse_id = in->parse_ids ? in->parse_ids[i] : 0;
	n->run_id = in->runs && in->run_ids ? in->run_ids[i] : 0;
	n->dup_file = dup ? xstrdup(dup) : NULL;
	n->other = other ? xstrdup(other) : NULL;
	if (old != NULL && old->file != NULL) { /* the same parse: the same claims */
		n->file = old->file;
		n->uuid = old->uuid;
		old->file = old->uuid = NULL;
		n->domain_id = old->domain_id;
		n->has_devs = old->has_devs;
		return;
	}
	n->file = xstrdup(file_of(in->files, i));
	n->uuid = xstrdup(uuid_of(vm));
	n->domain_id = vm->id;
	n->has_devs = vm->ndevs > 0;
}

/* What the index policy said about a VM besides its index, as a warning on its file. */
static void warn_index(struct ctx *c, const char *file, const struct vm_part *p)
{
	char msg[256];

	if (p->why == INDEX_SHARED_UUID)
		snprintf(msg, sizeof(msg),
			 "UUID also used by %s; numaVmIndex %u is not remembered across restarts",
			 p->other, p->index);
	else if (p->why == INDEX_MAP_FULL)
		snprintf(msg, sizeof(msg),
			 "the VM index map is full (%d VMs present); numaVmIndex %u is not "
			 "remembered across restarts",
			 VMINDEX_MAX_ENTRIES, p->index);
	else
		return;
	model_add_problem(&c->m->warnings, &c->m->nwarnings, file, msg);
}

static bool acc_empty(const struct nodeacc *a)
{
	return !a->vcpus_bound && !a->vcpus_spanning && !a->vm_count && !a->pci_devices &&
	       !a->mem_used && !a->mem_spanning && !a->mem_huge && !a->mem_resident &&
	       !a->vcpus_running && a->ndemand == 0;
}

/* The VM's shares of the nodes it touches, kept; acc (one per host node) is consumed. */
static void keep_shares(struct vm_part *p, struct nodeacc *acc, size_t nnodes)
{
	size_t i, k = 0;

	for (i = 0; i < nnodes; i++)
		k += !acc_empty(&acc[i]);
	p->res.acc = k ? xcalloc(k, sizeof(*p->res.acc)) : NULL;
	for (i = 0; i < nnodes; i++)
		if (!acc_empty(&acc[i])) /* its demand moves too */
			p->res.acc[p->res.nacc++] = (struct partacc){i, acc[i]};
	free(acc);
}

/* The tables grew by doubling: kept for long, they hold only their rows. */
static void fit_tables(struct model *m)
{
	if (m->nvms)
		m->vms = xreallocarray(m->vms, m->nvms, sizeof(*m->vms));
	if (m->nassigns)
		m->assigns = xreallocarray(m->assigns, m->nassigns, sizeof(*m->assigns));
	if (m->nvcpus)
		m->vcpus = xreallocarray(m->vcpus, m->nvcpus, sizeof(*m->vcpus));
	if (m->ndevs)
		m->devs = xreallocarray(m->devs, m->ndevs, sizeof(*m->devs));
}

/* R1-R8, R10 for input i into a model of its own, with sums of its own. */
static void account_part(struct ctx *c, struct vm_part *p, const struct account_input *in,
			 size_t i)
{
	struct model *whole = c->m;
	struct nodeacc *sums = c->acc;
	size_t nnodes = c->topo.host->nnodes;
	const char *file = file_of(in->files, i);

	yield_point();
	c->m = xcalloc(1, sizeof(*c->m));
	c->m->refs = 1;
	c->acc = xcalloc(nnodes ? nnodes : 1, sizeof(*c->acc));
	c->capvms = c->capassigns = c->capvcpus = c->capdevs = 0;
	c->run = in->runs ? &in->runs[i] : NULL;
	warn_index(c, file, p);
	account_vm(c, in->vms[i], file, p->index, p->dup_file);
	account_sort_vm_rows(c->m);
	fit_tables(c->m);
	c->m->vm_hash = model_vm_rows_hash(c->m);
	p->res.rows = c->m;
	p->res.nrows[0] = c->m->nvms;
	p->res.nrows[1] = c->m->nassigns;
	p->res.nrows[2] = c->m->nvcpus;
	p->res.nrows[3] = c->m->ndevs;
	p->res.nwarnings = c->m->nwarnings;
	p->res.floating = c->m->vm_floating;
	p->res.misaligned = c->m->vm_misaligned;
	p->res.hash = c->m->vm_hash;
	keep_shares(p, c->acc, nnodes);
	c->m = whole;
	c->acc = sums;
}

/* A result accounted now: into the running sums. */
static void count_part(struct account_cache *k, struct ctx *c, struct vm_part *p,
		       const struct account_input *in, size_t i)
{
	account_part(c, p, in, i);
	sums_add(k, &p->res);
	k->accounted++;
}

static void update_part(struct account_cache *k, struct lookup *lk, struct ctx *c,
			struct vm_part *parts, const struct account_input *in, size_t i)
{
	const struct account_index_out *o = &k->out;
	const struct vm *vm = in->vms[i];
	const char *dup = vm && o->dup_of[i] != NO_POS ? file_of(in->files, o->dup_of[i]) : NULL;
	const char *other =
	    vm && o->why[i] == INDEX_SHARED_UUID ? file_of(in->files, o->other[i]) : NULL;
	struct vm_part *old = old_part(k, lk, in, i), *p = &parts[i];
	bool holds = old && result_holds(old, in, i, o, dup, other);

	set_claims(p, old, in, i, dup, other);
	if (vm == NULL)
		return;
	p->index = o->index[i];
	p->why = o->why[i];
	if (holds) {
		p->res = old->res;
		memset(&old->res, 0, sizeof(old->res));
		return;
	}
	count_part(k, c, p, in, i);
}

/* ---------------------------------------------------------------- the whole */

/* The node sums into the build's (R9): kept ones, or every result's summed again. */
static void put_sums(struct account_cache *k, struct ctx *c, const struct vm_part *parts)
{
	size_t i;

	if (!k->sums_ok) {
		new_sums(k, c->topo.host->nnodes);
		for (i = 0; i < k->nparts; i++)
			sums_add(k, &parts[i].res);
	}
	for (i = 0; i < k->nsums; i++) {
		c->acc[i] = k->sums[i];
		c->acc[i].demand = xmemdup(k->sums[i].demand, k->sums[i].ndemand,
					   sizeof(*c->acc[i].demand));
		c->acc[i].capdemand = c->acc[i].ndemand;
	}
}

/* Rows to copy: a run of them in one model's four tables, one memcpy each. */
struct copy {
	const struct model *from;
	size_t at[4], n[4];
};

#define COPY_ROWS(m, f, field, count, cp, t)                                                     \
	do {                                                                                     \
		if ((cp)->n[t])                                                                  \
			memcpy((m)->field + (m)->count, (f)->field + (cp)->at[t],                  \
			       (cp)->n[t] * sizeof(*(m)->field));                                 \
		(m)->count += (cp)->n[t];                                                        \
	} while (0)

static void flush(struct model *m, struct copy *cp)
{
	if (cp->from != NULL) {
		COPY_ROWS(m, cp->from, vms, nvms, cp, 0);
		COPY_ROWS(m, cp->from, assigns, nassigns, cp, 1);
		COPY_ROWS(m, cp->from, vcpus, nvcpus, cp, 2);
		COPY_ROWS(m, cp->from, devs, ndevs, cp, 3);
	}
	memset(cp, 0, sizeof(*cp));
}

/* A kept VM's rows come from the last build's tables, where they follow the VM before them
 * when it was kept too; a VM accounted now, from its own rows. */
static void copy_rows(struct model *m, struct copy *cp, const struct model *last,
		      const struct result *r)
{
	const struct model *from = r->placed && last ? last : r->rows;
	size_t t, at[4] = {0, 0, 0, 0};
	bool follows = cp->from == from && from == last;

	for (t = 0; t < 4; t++) {
		if (from == last)
			at[t] = r->at[t];
		follows = follows && cp->at[t] + cp->n[t] == at[t];
	}
	if (!follows) {
		flush(m, cp);
		cp->from = from;
		memcpy(cp->at, at, sizeof(at));
	}
	for (t = 0; t < 4; t++)
		cp->n[t] += r->nrows[t];
}

static void alloc_tables(struct model *m, const struct vm_part *parts, const size_t *order,
			 size_t n)
{
	size_t i, t, tot[4] = {0, 0, 0, 0}, nw = 0;

	for (i = 0; i < n; i++) {
		for (t = 0; t < 4; t++)
			tot[t] += parts[order[i]].res.nrows[t];
		nw += parts[order[i]].res.nwarnings;
	}
	/* every row is copied over: no need to zero them first */
	m->vms = tot[0] ? xreallocarray(NULL, tot[0], sizeof(*m->vms)) : NULL;
	m->assigns = tot[1] ? xreallocarray(NULL, tot[1], sizeof(*m->assigns)) : NULL;
	m->vcpus = tot[2] ? xreallocarray(NULL, tot[2], sizeof(*m->vcpus)) : NULL;
	m->devs = tot[3] ? xreallocarray(NULL, tot[3], sizeof(*m->devs)) : NULL;
	if (nw)
		m->warnings = xreallocarray(m->warnings, m->nwarnings + nw, sizeof(*m->warnings));
}

static void copy_warnings(struct model *m, const struct model *r)
{
	size_t j;

	for (j = 0; j < r->nwarnings; j++)
		m->warnings[m->nwarnings++] =
		    (struct problem){xstrdup(r->warnings[j].file), xstrdup(r->warnings[j].reason)};
}

/* The parts' rows one after the other in index order (each part's sorted): the VM tables,
 * sorted; their warnings after the host's; their shares into the node sums. Each part learns
 * where its rows now sit. */
static void assemble(struct account_cache *k, struct ctx *c, struct vm_part *parts)
{
	struct model *m = c->m;
	struct copy cp;
	size_t i, t, dst[4] = {0, 0, 0, 0};

	memset(&cp, 0, sizeof(cp));
	alloc_tables(m, parts, k->order, k->norder);
	m->vm_hash = FNV1A64_BASIS;
	for (i = 0; i < k->norder; i++) {
		struct result *r = &parts[k->order[i]].res;

		copy_rows(m, &cp, k->last, r);
		if (r->nwarnings)
			copy_warnings(m, r->rows);
		m->vm_floating += r->floating;
		m->vm_misaligned += r->misaligned;
		m->vm_hash = model_hash_fold(m->vm_hash, r->hash);
		for (t = 0; t < 4; t++) {
			r->at[t] = dst[t];
			dst[t] += r->nrows[t];
		}
		r->placed = true;
	}
	flush(m, &cp);
}

/* This build's epoch follows the last one; the build holds it. */
static void next_epoch(struct account_cache *k, struct model *m)
{
	struct model_epoch *e = model_epoch_new();

	if (k->epoch != NULL) {
		k->epoch->next = model_epoch_ref(e);
		model_epoch_unref(k->epoch);
	}
	k->epoch = e;
	m->epoch = model_epoch_ref(e);
}

void account_cache_vms(struct account_cache *k, struct ctx *c, const struct account_input *in,
		       struct vmindex *map, int64_t now)
{
	struct vm_part *parts = xcalloc(in->n ? in->n : 1, sizeof(*parts));
	struct lookup lk = {NULL, 0};
	size_t i;

	check_host_config(k, c, in->runs != NULL);
	if (memo_holds(k, in, map)) {
		recall_memo(k);
		touch_seen(k, map, now);
	} else
		assign_indexes(k, in, map, now);
	k->accounted = 0;
	for (i = 0; i < in->n; i++)
		update_part(k, &lk, c, parts, in, i);
	free(lk.slot);
	free_parts(k, k->parts, k->nparts);
	k->parts = parts;
	k->nparts = in->n;
	assemble(k, c, parts);
	put_sums(k, c, parts);
	next_epoch(k, c->m);
	model_unref(k->last);
	k->last = model_ref(c->m);
}
