/* SPDX-License-Identifier: BSD-3-Clause */
/* check.c: check_numa's verdict: threshold ranges as the monitoring-plugins guidelines define
 * them, the per-node metrics against them, and the one line of output with perfdata. Pure. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/util.h"

#define MIB (1024.0 * 1024.0)

/* ---------------------------------------------------------------- ranges */

/* One bound: a finite decimal number filling [s, s+len). */
static int parse_bound(const char *s, size_t len, double *out)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof(buf) || strspn(s, "0123456789.+-eE") < len)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return (errno || *end || !isfinite(*out)) ? -1 : 0;
}

int check_range_parse(const char *text, struct check_range *r, char *err, size_t errlen)
{
	const char *s = text, *colon;
	char quoted[48];

	memset(r, 0, sizeof(*r));
	if (*s == '@') {
		r->inside = true;
		s++;
	}
	colon = strchr(s, ':');
	if (colon == NULL) {
		if (parse_bound(s, strlen(s), &r->hi) < 0)
			goto bad;
	} else {
		if (colon - s == 1 && *s == '~')
			r->lo_inf = true;
		else if (colon > s && parse_bound(s, (size_t)(colon - s), &r->lo) < 0)
			goto bad;
		if (colon[1] == '\0')
			r->hi_inf = true;
		else if (parse_bound(colon + 1, strlen(colon + 1), &r->hi) < 0)
			goto bad;
	}
	if (!r->lo_inf && !r->hi_inf && r->lo > r->hi) {
		str_ascii_copy(quoted, sizeof(quoted), text, 40);
		err_set(err, errlen, "range '%s': its start is above its end", quoted);
		memset(r, 0, sizeof(*r));
		return -1;
	}
	r->set = true;
	return 0;
bad:
	/* the sentence ends up in the plugin's status line: printable ASCII only */
	str_ascii_copy(quoted, sizeof(quoted), text, 40);
	err_set(err, errlen,
		"range '%s' is not [@]start:end (e.g. 10, 10:, ~:10, 10:20, @10:20)", quoted);
	memset(r, 0, sizeof(*r));
	return -1;
}

bool check_range_alerts(const struct check_range *r, double v)
{
	bool in;

	if (!r->set)
		return false;
	in = (r->lo_inf || v >= r->lo) && (r->hi_inf || v <= r->hi);
	return r->inside ? in : !in;
}

void check_range_format(const struct check_range *r, double scale, char *buf, size_t len)
{
	char lo[40] = "", hi[40] = "";

	if (!r->set) {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (r->lo_inf)
		snprintf(lo, sizeof(lo), "~:");
	else if (r->lo != 0 || r->hi_inf)
		snprintf(lo, sizeof(lo), "%.15g:", r->lo * scale);
	if (!r->hi_inf)
		snprintf(hi, sizeof(hi), "%.15g", r->hi * scale);
	snprintf(buf, len, "%s%s%s", r->inside ? "@" : "", lo, hi);
}

/* ---------------------------------------------------------------- metrics */

/* What each metric is called, its perfdata unit, what a threshold's unit is in that unit
 * (MiB -> bytes) and how the summary names it. */
static const struct metric {
	const char *option, *label, *uom;
	double scale;
	const char *what, *unit; /* "node 4 CPU 188%", "node 4 memory headroom -2048 MiB" */
} metrics[CHECK_NMETRICS] = {
	[CHECK_CPU_PCT] = {"cpu-pct", "cpu_pct", "%", 1, "CPU", "%"},
	[CHECK_MEM_PCT] = {"mem-pct", "mem_pct", "%", 1, "memory", "%"},
	[CHECK_CPU_HEADROOM] = {"cpu-headroom", "cpu_headroom", "", 1, "CPU headroom", " vCPUs"},
	[CHECK_MEM_HEADROOM] = {"mem-headroom", "mem_headroom", "B", MIB, "memory headroom",
				" MiB"},
	[CHECK_HUGE_SHORT] = {"huge-short", "huge_short", "B", MIB, "hugepages short by", " MiB"},
};

const char *check_metric_option(enum check_metric i)
{
	return (unsigned)i < CHECK_NMETRICS ? metrics[i].option : NULL;
}

const char *check_metric_label(enum check_metric i)
{
	return (unsigned)i < CHECK_NMETRICS ? metrics[i].label : NULL;
}

void check_thresholds_default(struct check_thresholds *t)
{
	char err[ERRLEN];

	memset(t, 0, sizeof(*t));
	(void)check_range_parse("100", &t->crit[CHECK_CPU_PCT], err, sizeof(err));
	(void)check_range_parse("100", &t->crit[CHECK_MEM_PCT], err, sizeof(err));
	(void)check_range_parse("0", &t->crit[CHECK_HUGE_SHORT], err, sizeof(err));
	(void)check_range_parse("0", &t->warn_invalid, err, sizeof(err));
}

/* Bytes of hugepages node id's VMs need beyond its pools, over every page size. */
static double huge_short_bytes(const struct model *m, unsigned id)
{
	double sum = 0;

	for (size_t i = model_huge_lower(m, id, 0); i < m->nhuges && m->huges[i].node == id; i++) {
		const struct huge_row *h = &m->huges[i];

		if (h->demand > h->total)
			sum += (double)(h->demand - h->total) * (double)h->size_kib * 1024.0;
	}
	return sum;
}

/* In the metric's perfdata unit: bytes for memory, as the MIB's byte columns are. */
double check_node_value(const struct model *m, const struct node_row *n, enum check_metric i)
{
	switch (i) {
	case CHECK_CPU_PCT:
		return n->cpu_used_pct;
	case CHECK_MEM_PCT:
		return n->mem_used_pct;
	case CHECK_CPU_HEADROOM:
		return (double)n->cpu_headroom;
	case CHECK_MEM_HEADROOM:
		return (double)n->mem_headroom;
	case CHECK_HUGE_SHORT:
		return huge_short_bytes(m, n->id);
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- the verdict */

static enum check_state judge(const struct check_range *warn, const struct check_range *crit,
			      double v)
{
	if (check_range_alerts(crit, v))
		return CHECK_CRITICAL;
	return check_range_alerts(warn, v) ? CHECK_WARNING : CHECK_OK;
}

/* A node whose memory could not be read (no meminfo) has no memory figures to judge: unknown,
 * not 0 (numatopd serves no value for them either). */
static bool measured(const struct node_row *n, enum check_metric i)
{
	return n->mem_known || (i != CHECK_MEM_PCT && i != CHECK_MEM_HEADROOM);
}

static enum check_state metric_state(const struct model *m, const struct node_row *n,
				     const struct check_thresholds *t, enum check_metric i)
{
	if (!measured(n, i))
		return CHECK_OK;
	/* thresholds are in the user's unit (MiB for memory), the value in the perfdata's */
	return judge(&t->warn[i], &t->crit[i], check_node_value(m, n, i) / metrics[i].scale);
}

static enum check_state worse(enum check_state a, enum check_state b)
{
	return a > b ? a : b;
}

/* Why the figures cannot be judged, or NULL. */
static const char *unknown_reason(const struct model *m)
{
	if (m->nnodes == 0)
		return "no NUMA node found";
	if (m->source_status == SOURCE_UNAVAILABLE)
		return "the libvirt XML directory could not be read";
	return NULL;
}

enum check_state check_evaluate(const struct model *m, const struct check_thresholds *t)
{
	enum check_state st;

	if (unknown_reason(m))
		return CHECK_UNKNOWN;
	st = judge(&t->warn_invalid, &t->crit_invalid, m->invalid_files);
	for (size_t k = 0; k < m->nnodes; k++)
		for (int i = 0; i < CHECK_NMETRICS; i++)
			st = worse(st, metric_state(m, &m->nodes[k], t, (enum check_metric)i));
	return st;
}

const char *check_state_name(enum check_state s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

	return (unsigned)s <= CHECK_UNKNOWN ? names[s] : "UNKNOWN";
}

/* ---------------------------------------------------------------- the line */

/* v / scale rounded down, as the MIB rounds MiB (-1 is "over by up to 1 MiB"); no libm. */
static double floor_div(double v, double scale)
{
	double q = v / scale, i = (double)(int64_t)q;

	return i > q ? i - 1 : i;
}

/* ", " between the items of the summary. */
static void sep(FILE *f, bool *first)
{
	if (!*first)
		fputs(", ", f);
	*first = false;
}

/* Every metric that alerts, worst first: "node 4 CPU 188% (critical)". */
static void print_alerts(FILE *f, const struct model *m, const struct check_thresholds *t,
			 bool *first)
{
	for (int want = CHECK_CRITICAL; want >= CHECK_WARNING; want--) {
		enum check_state s = judge(&t->warn_invalid, &t->crit_invalid, m->invalid_files);

		if ((int)s == want) {
			sep(f, first);
			fprintf(f, "%u invalid libvirt XML files (%s)", m->invalid_files,
				want == CHECK_CRITICAL ? "critical" : "warning");
		}
		for (size_t k = 0; k < m->nnodes; k++)
			for (int i = 0; i < CHECK_NMETRICS; i++) {
				const struct node_row *n = &m->nodes[k];

				if ((int)metric_state(m, n, t, (enum check_metric)i) != want)
					continue;
				sep(f, first);
				fprintf(f, "node %u %s %.0f%s (%s)", n->id, metrics[i].what,
					floor_div(check_node_value(m, n, (enum check_metric)i),
						  metrics[i].scale),
					metrics[i].unit, want == CHECK_CRITICAL ? "critical" : "warning");
			}
	}
}

/* The node with the highest value of metric i, NULL when no node has one. */
static const struct node_row *busiest(const struct model *m, enum check_metric i)
{
	const struct node_row *best = NULL;

	for (size_t k = 0; k < m->nnodes; k++)
		if (measured(&m->nodes[k], i) &&
		    (best == NULL || check_node_value(m, &m->nodes[k], i) > check_node_value(m, best, i)))
			best = &m->nodes[k];
	return best;
}

static void print_summary(FILE *f, const struct model *m, bool first)
{
	const struct node_row *c = busiest(m, CHECK_CPU_PCT), *mem = busiest(m, CHECK_MEM_PCT);

	fprintf(f, "%s%zu nodes, %zu VMs, highest CPU %" PRIu32 "%% (node %u)", first ? "" : "; ",
		m->nnodes, m->nvms, c->cpu_used_pct, c->id);
	if (mem != NULL)
		fprintf(f, ", memory %" PRIu32 "%% (node %u)", mem->mem_used_pct, mem->id);
	else
		fputs(", memory unknown", f);
}

/* 'label'=value[UOM];warn;crit;min;max, without the empty fields at the end. */
static void perf(FILE *f, const char *label, double v, const char *uom, const char *warn,
		 const char *crit, const char *min, const char *max)
{
	char fields[4][48];
	int last = -1;
	const char *src[4] = {warn, crit, min, max};

	for (int i = 0; i < 4; i++) {
		snprintf(fields[i], sizeof(fields[i]), "%s", src[i]);
		if (*fields[i])
			last = i;
	}
	fprintf(f, " '%s'=%.0f%s", label, v, uom);
	for (int i = 0; i <= last; i++)
		fprintf(f, ";%s", fields[i]);
}

static void print_node_perf(FILE *f, const struct model *m, const struct node_row *n,
			    const struct check_thresholds *t)
{
	for (int i = 0; i < CHECK_NMETRICS; i++) {
		const struct metric *d = &metrics[i];
		char label[64], warn[48], crit[48], max[32] = "";

		snprintf(label, sizeof(label), "node%u_%s", n->id, d->label);
		check_range_format(&t->warn[i], d->scale, warn, sizeof(warn));
		check_range_format(&t->crit[i], d->scale, crit, sizeof(crit));
		/* a headroom is at most the limit; percentages have no maximum (over 100 is
		 * oversubscribed), shortfalls none either */
		if (i == CHECK_CPU_HEADROOM)
			snprintf(max, sizeof(max), "%" PRIu64, n->cpu_limit);
		else if (i == CHECK_MEM_HEADROOM && n->mem_limit != UINT64_MAX)
			snprintf(max, sizeof(max), "%" PRIu64, n->mem_limit);
		if (!measured(n, (enum check_metric)i)) { /* the guidelines' "U": no value */
			fprintf(f, " '%s'=U", label);
			continue;
		}
		perf(f, label, check_node_value(m, n, (enum check_metric)i), d->uom, warn, crit,
		     (i == CHECK_CPU_HEADROOM || i == CHECK_MEM_HEADROOM) ? "" : "0", max);
	}
}

enum check_state check_print(FILE *f, const struct model *m, const struct check_thresholds *t)
{
	enum check_state st = check_evaluate(m, t);
	char warn[48], crit[48];
	bool first = true;

	fprintf(f, "NUMA %s - ", check_state_name(st));
	if (st == CHECK_UNKNOWN) {
		fprintf(f, "%s\n", unknown_reason(m));
		return st;
	}
	print_alerts(f, m, t, &first);
	print_summary(f, m, first);
	fputs(" |", f);
	for (size_t k = 0; k < m->nnodes; k++)
		print_node_perf(f, m, &m->nodes[k], t);
	check_range_format(&t->warn_invalid, 1, warn, sizeof(warn));
	check_range_format(&t->crit_invalid, 1, crit, sizeof(crit));
	perf(f, "invalid_files", m->invalid_files, "", warn, crit, "0", "");
	perf(f, "vms", (double)m->nvms, "", "", "", "0", "");
	fputc('\n', f);
	return st;
}
