/* SPDX-License-Identifier: BSD-3-Clause */
/* account_run.c: runtime truth (core/vmrun.h) joined with the configured placement: the
 * verdicts on vCPU affinity, resident and stray memory per VM and node, and R9's rule that a
 * VM whose process is gone no longer holds its nodes. */
#include "core/account_impl.h"

#include "core/util.h"

bool account_run_gone(const struct ctx *c)
{
	return c->run && c->run->state == RUN_GONE;
}

static size_t node_pos(const struct ctx *c, int cpu)
{
	int node = cpu >= 0 ? host_cpu_node(c->topo.host, (unsigned)cpu) : -1;

	return node >= 0 ? topo_pos(&c->topo, (unsigned)node) : NO_POS;
}

void account_run_vcpu(struct ctx *c, struct vcpu_row *r, const struct cpuset *configured)
{
	const struct vcpu_run *f = c->run ? vmrun_vcpu(c->run, r->vcpu) : NULL;
	size_t p;

	r->verdict = AFFINITY_UNKNOWN;
	r->last_cpu = r->last_node = -1;
	if (f == NULL || f->actual == NULL)
		r->actual = xstrdup("");
	if (f == NULL)
		return;
	if (f->actual) {
		r->actual = cpuset_format(f->actual);
		r->verdict = vmrun_verdict(f->actual, configured, c->topo.cpus);
	}
	r->last_cpu = f->last_cpu;
	p = node_pos(c, f->last_cpu);
	if (p != NO_POS) {
		r->last_node = (int)c->topo.host->nodes[p].id;
		add_uns(&c->acc[p].vcpus_running, 1);
	}
}

/* The host nodes the VM's memory may be on when every bound cell is strict or restrictive
 * (vm_row.mem_mode says so only when every cell is bound in that one mode); NULL otherwise:
 * stray memory is then not a thing. */
static struct cpuset *allowed_nodes(const struct vmctx *v, const struct vm_row *r)
{
	struct cpuset *s;
	size_t i;

	if (r->mem_mode != MEM_MODE_STRICT && r->mem_mode != MEM_MODE_RESTRICTIVE)
		return NULL;
	s = cpuset_new(CPUSET_MAX_NODES);
	for (i = 0; i < v->ncells; i++)
		if (v->cells[i].nodes)
			cpuset_union(s, v->cells[i].nodes);
	return s;
}

/* The VM's assignment row for node, made (all zero) when it has none: a node holding its
 * memory is a node it is on, stray or not. Rows from first on are the VM's. */
static struct assign_row *assign_for(struct ctx *c, const struct vmctx *v, size_t first,
				     unsigned node)
{
	struct assign_row *a;
	size_t i;

	for (i = first; i < c->m->nassigns; i++)
		if (c->m->assigns[i].node == node)
			return &c->m->assigns[i];
	a = array_push(&c->m->assigns, &c->m->nassigns, &c->capassigns, sizeof(*a));
	a->vm = v->index;
	a->node = node;
	return a;
}

static bool over_threshold(const struct account_config *cfg, uint64_t stray, uint64_t resident)
{
	uint64_t lhs, rhs;

	if (stray == 0 || stray < cfg->stray_min)
		return false;
	/* stray / resident >= pct / 100, without division's rounding */
	if (__builtin_mul_overflow(stray, 100, &lhs))
		lhs = UINT64_MAX;
	if (__builtin_mul_overflow(resident, cfg->stray_pct, &rhs))
		rhs = UINT64_MAX;
	return lhs >= rhs;
}

static void count_drift(const struct ctx *c, const struct vmctx *v, struct vm_row *r)
{
	size_t i;

	for (i = c->m->nvcpus; i > 0 && c->m->vcpus[i - 1].vm == v->index; i--)
		if (c->m->vcpus[i - 1].verdict == AFFINITY_NARROWED ||
		    c->m->vcpus[i - 1].verdict == AFFINITY_ESCAPED)
			r->vcpus_drifted++;
}

void account_run_vm(struct ctx *c, const struct vmctx *v, struct vm_row *r, size_t first_assign)
{
	const struct vm_run *f = c->run;
	struct cpuset *allowed;
	size_t i, p;

	if (f == NULL) { /* no runtime reads: only "no process at all" is known */
		r->run_state = vmrun_measurable(v->vm) ? RUN_UNKNOWN : RUN_NOT_RUNNING;
		return;
	}
	r->run_state = f->state;
	count_drift(c, v, r);
	if (!f->mem_measured)
		return;
	r->mem_measured = true;
	r->mem_resident = vmrun_resident(f);
	allowed = allowed_nodes(v, r);
	r->mem_stray = allowed ? vmrun_stray(f, allowed) : 0;
	r->stray_over = over_threshold(c->cfg, r->mem_stray, r->mem_resident);
	cpuset_free(allowed);
	for (i = 0; i < f->nmem; i++) {
		p = topo_pos(&c->topo, f->mem[i].node);
		if (p == NO_POS || f->mem[i].bytes == 0)
			continue;
		assign_for(c, v, first_assign, f->mem[i].node)->mem_resident = f->mem[i].bytes;
		add_sat(&c->acc[p].mem_resident, f->mem[i].bytes);
	}
}
