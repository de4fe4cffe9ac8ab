/* SPDX-License-Identifier: BSD-3-Clause */
/* dump.c: `numatopd --dump`: the model as aligned text tables for a NOC person, or as the
 * stable JSON documented in README.md. Pure formatting. */
#include "core/dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/vm.h" /* vm_state_name(), mem_mode_name() */
#include "core/vmrun.h" /* vmrun_state_name(), vmrun_verdict_name() */

/* ---------------------------------------------------------------- JSON */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p);

	fputc('"', f);
	while (left > 0) {
		size_t n = utf8_len(p, left);

		if (n == 0) {
			fputs("\\ufffd", f); /* not UTF-8 (a file name, say): replaced, not passed on */
			p++;
			left--;
			continue;
		}
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fwrite(p, 1, n, f);
		p += n;
		left -= n;
	}
	fputc('"', f);
}

static const char *jbool(bool b)
{
	return b ? "true" : "false";
}

/* ,"key":value, or null when the value was not measured. */
static void json_u64(FILE *f, const char *key, bool known, uint64_t v)
{
	if (known)
		fprintf(f, ",\"%s\":%" PRIu64, key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_i64(FILE *f, const char *key, bool known, int64_t v)
{
	if (known)
		fprintf(f, ",\"%s\":%" PRId64, key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_int(FILE *f, const char *key, int v)
{
	if (v >= 0)
		fprintf(f, ",\"%s\":%d", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* Only the counters the kernel gave: a missing one is absent, never 0. */
static void json_numastat(FILE *f, const struct numastat *s)
{
	const char *sep = "";
	int k;

	for (k = 0; k < NUMASTAT_KEYS; k++) {
		if (!numastat_has(s, (enum numastat_key)k))
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, sep, numastat_name((enum numastat_key)k), s->v[k]);
		sep = ",";
	}
}

static const char *dev_kind_name(enum dev_kind k)
{
	return k == DEV_KIND_MDEV ? "mdev" : "pci";
}

static void json_devs(FILE *f, const struct model *m, const struct vm_row *v)
{
	size_t i, first = model_dev_lower(m, v->index, 0);

	fputs(",\"pci_devices\":[", f);
	for (i = first; i < m->ndevs && m->devs[i].vm == v->index; i++) {
		const struct dev_row *d = &m->devs[i];

		fprintf(f, "%s{\"address\":", i > first ? "," : "");
		json_str(f, d->address);
		fprintf(f, ",\"kind\":\"%s\",\"node\":%d,\"remote\":%s}", dev_kind_name(d->kind),
			d->node, jbool(d->remote));
	}
	fprintf(f, "],\"remote_pci_devices\":%u", v->remote_devices);
}

/* A node's figures: what sysfs says of its memory is null when its meminfo was unreadable
 * (unknown, not 0), like every value numatopd did not measure; what VMs put there is known. */
static void json_node_figures(FILE *f, const struct node_row *n)
{
	bool known = n->mem_known;

	fprintf(f, ",\"cpu_capacity\":%u", n->cpu_capacity);
	json_u64(f, "memory_total_bytes", known, n->mem_total);
	json_u64(f, "memory_free_bytes", known, n->mem_free);
	fprintf(f,
		",\"vcpus_bound\":%u,\"vcpus_spanning\":%u,\"memory_used_bytes\":%" PRIu64
		",\"memory_spanning_bytes\":%" PRIu64 ",\"memory_hugepage_bytes\":%" PRIu64
		",\"vm_count\":%u,\"cpu_limit\":%" PRIu64,
		n->vcpus_bound, n->vcpus_spanning, n->mem_used, n->mem_spanning, n->mem_huge,
		n->vm_count, n->cpu_limit);
	json_u64(f, "memory_limit_bytes", known, n->mem_limit);
	fprintf(f, ",\"cpu_headroom\":%" PRId64, n->cpu_headroom);
	json_i64(f, "memory_headroom_bytes", known, n->mem_headroom);
	fprintf(f, ",\"cpu_used_percent\":%" PRIu32, n->cpu_used_pct);
	json_u64(f, "memory_used_percent", known, n->mem_used_pct);
	fprintf(f,
		",\"cpu_used_percent_defined\":%s,\"memory_used_percent_defined\":%s"
		",\"cpu_oversubscribed\":%s,\"memory_oversubscribed\":%s"
		",\"hugepages_oversubscribed\":%s,\"memory_known\":%s",
		jbool(!n->cpu_pct_none), jbool(known && !n->mem_pct_none), jbool(n->cpu_over),
		jbool(n->mem_over), jbool(n->huge_over), jbool(known));
}

static void json_node(FILE *f, const struct model *m, const struct node_row *n)
{
	size_t i, first;

	fprintf(f, "{\"id\":%u,\"cpus\":", n->id);
	json_str(f, n->cpulist);
	json_node_figures(f, n);
	json_u64(f, "memory_resident_by_vms_bytes", m->runtime, n->mem_resident_vms);
	json_u64(f, "vcpus_running", m->runtime, n->vcpus_running);
	fputs(",\"distances\":[", f);
	first = model_dist_lower(m, n->id, 0);
	for (i = first; i < m->ndists && m->dists[i].node == n->id; i++)
		fprintf(f, "%s{\"node\":%u,\"distance\":%u}", i > first ? "," : "",
			m->dists[i].peer, m->dists[i].value);
	fputs("],\"hugepages\":[", f);
	first = model_huge_lower(m, n->id, 0);
	for (i = first; i < m->nhuges && m->huges[i].node == n->id; i++) {
		const struct huge_row *h = &m->huges[i];

		fprintf(f,
			"%s{\"size_kib\":%" PRIu64 ",\"total\":%" PRIu64 ",\"free\":%" PRIu64
			",\"surplus\":%" PRIu64 ",\"vm_demand\":%" PRIu64
			",\"oversubscribed\":%s}",
			i > first ? "," : "", h->size_kib, h->total, h->free, h->surplus, h->demand,
			jbool(h->over));
	}
	fprintf(f, "],\"pci_devices\":%u,\"numastat\":{", n->pci_devices);
	json_numastat(f, &n->numastat);
	fputs("}}", f);
}

static void json_vm(FILE *f, const struct model *m, const struct vm_row *v)
{
	size_t i, first;

	fprintf(f, "{\"index\":%" PRIu32 ",\"domain_id\":%" PRId64 ",\"file\":", v->index,
		v->domain_id);
	json_str(f, v->file);
	fputs(",\"name\":", f);
	json_str(f, v->name);
	fputs(",\"uuid\":", f);
	json_str(f, v->uuid);
	fputs(",\"display_name\":", f);
	json_str(f, v->display_name);
	fprintf(f,
		",\"state\":\"%s\",\"pid\":%" PRIu64 ",\"vcpus\":%u,\"vcpus_max\":%u"
		",\"memory_bytes\":%" PRIu64 ",\"placement\":\"%s\",\"memory_mode\":\"%s\""
		",\"nodes\":",
		vm_state_name(v->state), v->pid, v->vcpus, v->vcpus_max, v->memory,
		placement_name(v->placement), mem_mode_name(v->mem_mode));
	json_str(f, v->nodes);
	fprintf(f, ",\"remote_vcpus\":%u,\"hugepage_size_kib\":%" PRIu64 ",\"emulator_cpus\":",
		v->remote_vcpus, v->huge_kib);
	json_str(f, v->emulator_cpus);
	fprintf(f, ",\"runtime_state\":\"%s\"", vmrun_state_name(v->run_state));
	json_u64(f, "memory_resident_bytes", v->mem_measured, v->mem_resident);
	json_u64(f, "memory_stray_bytes", v->mem_measured, v->mem_stray);
	fprintf(f,
		",\"memory_devices_bytes\":%" PRIu64 ",\"memory_persistent_bytes\":%" PRIu64
		",\"memory_enclave_bytes\":%" PRIu64 ",\"assign\":[",
		v->mem_devices, v->mem_persistent, v->mem_enclave);
	first = model_assign_lower(m, v->index, 0);
	for (i = first; i < m->nassigns && m->assigns[i].vm == v->index; i++) {
		const struct assign_row *a = &m->assigns[i];

		fprintf(f,
			"%s{\"node\":%u,\"vcpus\":%u,\"vcpus_spanning\":%u,\"memory_bytes\":%" PRIu64
			",\"memory_spanning_bytes\":%" PRIu64,
			i > first ? "," : "", a->node, a->vcpus, a->vcpus_spanning, a->mem,
			a->mem_spanning);
		json_u64(f, "memory_resident_bytes", v->mem_measured, a->mem_resident);
		fputc('}', f);
	}
	fputs("],\"vcpu_pins\":[", f);
	first = model_vcpu_lower(m, v->index, 0);
	for (i = first; i < m->nvcpus && m->vcpus[i].vm == v->index; i++) {
		const struct vcpu_row *c = &m->vcpus[i];

		fprintf(f, "%s{\"vcpu\":%u,\"cpus\":", i > first ? "," : "", c->vcpu);
		json_str(f, c->affinity);
		if (c->node < 0)
			fputs(",\"node\":null", f);
		else
			fprintf(f, ",\"node\":%d", c->node);
		fprintf(f, ",\"cell\":%d,\"remote\":%s,\"thread_id\":%" PRIu64, c->cell,
			jbool(c->remote), c->tid);
		fputs(",\"actual_cpus\":", f);
		if (c->actual && c->actual[0])
			json_str(f, c->actual);
		else
			fputs("null", f);
		json_int(f, "last_cpu", c->last_cpu);
		json_int(f, "last_node", c->last_node);
		fprintf(f, ",\"affinity\":\"%s\"}", vmrun_verdict_name(c->verdict));
	}
	fputc(']', f);
	json_devs(f, m, v);
	fputc('}', f);
}

static void json_problems(FILE *f, const char *key, const struct problem *p, size_t n)
{
	size_t i;

	fprintf(f, ",\n\"%s\":[", key);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n {\"file\":" : "\n {\"file\":", f);
		json_str(f, p[i].file);
		fputs(",\"reason\":", f);
		json_str(f, p[i].reason);
		fputc('}', f);
	}
	fputc(']', f);
}

static const char *source_name(int status)
{
	switch (status) {
	case SOURCE_OK:
		return "ok";
	case SOURCE_DEGRADED:
		return "degraded";
	default:
		return "unavailable";
	}
}

void dump_json(FILE *f, const struct model *m)
{
	size_t i;

	fprintf(f,
		"{\"summary\":{\"node_count\":%zu,\"vm_count\":%zu,\"vm_floating_count\":%u"
		",\"vm_misaligned_count\":%u,\"invalid_files\":%zu,\"parse_errors\":%" PRIu32
		",\"source_status\":\"%s\""
		",\"cpu_allocation_ratio_percent\":%u,\"memory_allocation_ratio_percent\":%u},\n"
		"\"nodes\":[",
		m->nnodes, m->nvms, m->vm_floating, m->vm_misaligned, m->nerrors, m->parse_errors,
		source_name(m->source_status), m->cpu_ratio_pct, m->mem_ratio_pct);
	for (i = 0; i < m->nnodes; i++) {
		fputs(i ? ",\n " : "\n ", f);
		json_node(f, m, &m->nodes[i]);
	}
	fputs("],\n\"vms\":[", f);
	for (i = 0; i < m->nvms; i++) {
		fputs(i ? ",\n " : "\n ", f);
		json_vm(f, m, &m->vms[i]);
	}
	fputc(']', f);
	json_problems(f, "errors", m->errors, m->nerrors);
	json_problems(f, "warnings", m->warnings, m->nwarnings);
	fputs("}\n", f);
}

/* ---------------------------------------------------------------- text */

static const char *flag(bool b)
{
	return b ? "YES" : "-";
}

/* Bytes as MiB with one decimal: what a NOC person reads at a glance. */
static void mib(char *buf, size_t len, uint64_t bytes)
{
	snprintf(buf, len, "%.1f", (double)bytes / 1048576.0);
}

static void text_nodes(FILE *f, const struct model *m)
{
	size_t i;

	fprintf(f, "NUMA nodes (%zu); memory in MiB\n", m->nnodes);
	fprintf(f, "%4s %-18s %4s %5s %5s %4s %4s %10s %10s %10s %10s %10s %4s %5s %5s %s\n",
		"NODE", "CPUS", "CAP", "LIMIT", "BOUND", "SPAN", "HEAD", "MEMTOTAL", "MEMFREE",
		"MEMLIMIT", "MEMUSED", "MEMHEAD", "VMS", "CPU%", "MEM%", "OVER(cpu/mem/huge)");
	for (i = 0; i < m->nnodes; i++) {
		const struct node_row *n = &m->nodes[i];
		char total[32], freeb[32], limit[32], used[32], head[32];
		char cpct[16], mpct[16];

		mib(total, sizeof(total), n->mem_total);
		mib(freeb, sizeof(freeb), n->mem_free);
		mib(limit, sizeof(limit), n->mem_limit);
		mib(used, sizeof(used), n->mem_used);
		snprintf(head, sizeof(head), "%.1f", (double)n->mem_headroom / 1048576.0);
		snprintf(cpct, sizeof(cpct), n->cpu_pct_none ? "inf" : "%u", n->cpu_used_pct);
		snprintf(mpct, sizeof(mpct), n->mem_pct_none ? "inf" : "%u", n->mem_used_pct);
		if (!n->mem_known) { /* no meminfo: unknown, not 0 */
			char *const unknown[] = {total, freeb, limit, head, mpct};

			for (size_t k = 0; k < ARRAY_SIZE(unknown); k++)
				strcpy(unknown[k], "?");
		}
		fprintf(f,
			"%4u %-18s %4u %5" PRIu64 " %5u %4u %4" PRId64
			" %10s %10s %10s %10s %10s %4u %5s %5s %s/%s/%s\n",
			n->id, n->cpulist[0] ? n->cpulist : "(memory only)", n->cpu_capacity,
			n->cpu_limit, n->vcpus_bound, n->vcpus_spanning, n->cpu_headroom, total,
			freeb, limit, used, head, n->vm_count, cpct, mpct, flag(n->cpu_over),
			flag(n->mem_over), flag(n->huge_over));
	}
}

static void text_huge(FILE *f, const struct model *m)
{
	size_t i;

	if (m->nhuges == 0)
		return;
	fprintf(f, "\nHugepage pools (pages)\n%4s %10s %8s %8s %8s %8s %s\n", "NODE", "SIZE_KIB",
		"TOTAL", "FREE", "SURPLUS", "DEMAND", "OVER");
	for (i = 0; i < m->nhuges; i++) {
		const struct huge_row *h = &m->huges[i];

		fprintf(f,
			"%4u %10" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			" %s\n",
			h->node, h->size_kib, h->total, h->free, h->surplus, h->demand, flag(h->over));
	}
}

static void text_vms(FILE *f, const struct model *m)
{
	size_t i;

	fprintf(f, "\nVMs (%zu); memory in MiB\n%10s %-24s %-10s %5s %10s %-9s %-11s %-8s %6s %s\n",
		m->nvms, "INDEX", "NAME", "STATE", "VCPUS", "MEMORY", "PLACEMENT", "MEMMODE",
		"NODES", "REMOTE", "DISPLAY NAME");
	for (i = 0; i < m->nvms; i++) {
		const struct vm_row *v = &m->vms[i];
		char mem[32], vc[24];
		/* tenant-controlled: a newline in <name> must not forge a row */
		char *name = str_printable_dup(v->name), *shown = str_printable_dup(v->display_name);

		mib(mem, sizeof(mem), v->memory);
		snprintf(vc, sizeof(vc), "%u/%u", v->vcpus, v->vcpus_max);
		fprintf(f, "%10" PRIu32 " %-24s %-10s %5s %10s %-9s %-11s %-8s %6u %s\n", v->index,
			name, vm_state_name(v->state), vc, mem, placement_name(v->placement),
			mem_mode_name(v->mem_mode), v->nodes[0] ? v->nodes : "-", v->remote_vcpus,
			shown);
		free(name);
		free(shown);
	}
}

static void text_assign(FILE *f, const struct model *m)
{
	size_t i;

	fprintf(f, "\nVM assignment per node; memory in MiB\n%-24s %4s %6s %6s %10s %10s\n", "VM",
		"NODE", "VCPUS", "SPAN", "MEMORY", "MEMSPAN");
	for (i = 0; i < m->nassigns; i++) {
		const struct assign_row *a = &m->assigns[i];
		const struct vm_row *v = model_vm(m, a->vm);
		char mem[32], span[32];
		char *name = str_printable_dup(v ? v->name : "?");

		mib(mem, sizeof(mem), a->mem);
		mib(span, sizeof(span), a->mem_spanning);
		fprintf(f, "%-24s %4u %6u %6u %10s %10s\n", name, a->node, a->vcpus,
			a->vcpus_spanning, mem, span);
		free(name);
	}
}

/* Runtime truth, when it was read: one line per VM, its drifted vCPUs named. */
static void text_runtime(FILE *f, const struct model *m)
{
	size_t i, j;

	if (!m->runtime)
		return;
	fprintf(f, "\nVM runtime; memory in MiB\n%-24s %-11s %10s %10s %s\n", "VM", "RUNTIME",
		"RESIDENT", "STRAY", "VCPU AFFINITY (not same)");
	for (i = 0; i < m->nvms; i++) {
		const struct vm_row *v = &m->vms[i];
		char res[32] = "-", stray[32] = "-";
		char *name = str_printable_dup(v->name);

		if (v->mem_measured) {
			mib(res, sizeof(res), v->mem_resident);
			mib(stray, sizeof(stray), v->mem_stray);
		}
		fprintf(f, "%-24s %-11s %10s %10s", name, vmrun_state_name(v->run_state), res,
			stray);
		for (j = model_vcpu_lower(m, v->index, 0);
		     j < m->nvcpus && m->vcpus[j].vm == v->index; j++)
			if (m->vcpus[j].verdict == AFFINITY_NARROWED ||
			    m->vcpus[j].verdict == AFFINITY_ESCAPED)
				fprintf(f, " %u:%s(%s)", m->vcpus[j].vcpu,
					vmrun_verdict_name(m->vcpus[j].verdict), m->vcpus[j].actual);
		fputc('\n', f);
		free(name);
	}
}

static void text_problems(FILE *f, const char *title, const struct problem *p, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	fprintf(f, "\n%s (%zu)\n", title, n);
	for (i = 0; i < n; i++) {
		/* a file name may hold a newline; a reason quotes bytes of the file */
		char *file = str_printable_dup(p[i].file), *why = str_printable_dup(p[i].reason);

		fprintf(f, "  %s: %s\n", file, why);
		free(file);
		free(why);
	}
}

/* Only when some VM has one: hosts without passthrough devices print what they always did. */
static void text_devs(FILE *f, const struct model *m)
{
	size_t i;

	if (m->ndevs == 0)
		return;
	fprintf(f, "\nPassthrough devices (%zu)\n%10s %3s %-16s %-4s %4s %s\n", m->ndevs, "VM", "#",
		"ADDRESS", "KIND", "NODE", "REMOTE");
	for (i = 0; i < m->ndevs; i++) {
		const struct dev_row *d = &m->devs[i];

		fprintf(f, "%10" PRIu32 " %3u %-16s %-4s %4d %s\n", d->vm, d->ord,
			d->address[0] ? d->address : "-", dev_kind_name(d->kind), d->node,
			flag(d->remote));
	}
}

void dump_text(FILE *f, const struct model *m)
{
	text_nodes(f, m);
	text_huge(f, m);
	text_vms(f, m);
	text_assign(f, m);
	text_runtime(f, m);
	text_devs(f, m);
	text_problems(f, "Invalid files", m->errors, m->nerrors);
	text_problems(f, "Warnings", m->warnings, m->nwarnings);
}
