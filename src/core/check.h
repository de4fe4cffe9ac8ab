/* SPDX-License-Identifier: BSD-3-Clause */
/* check.h: check_numa's verdict: the monitoring-plugins threshold ranges, the per-node metrics
 * they are held against, the state (0-3) and the one output line with its perfdata. Pure. */
#ifndef NUMATOPD_CHECK_H
#define NUMATOPD_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/model.h"

/* The plugin's exit status (monitoring-plugins guidelines). */
enum check_state {
	CHECK_OK = 0,
	CHECK_WARNING = 1,
	CHECK_CRITICAL = 2,
	CHECK_UNKNOWN = 3,
};

/* A range in the guidelines' syntax [@]start:end: "10" is 0..10, "10:" is 10..inf, "~:10" is
 * -inf..10, "10:20"; a value outside it alerts, or inside it with "@" (bounds inclusive). */
struct check_range {
	bool set;     /* false: no threshold, never alerts */
	bool inside;  /* "@": alert inside the range */
	bool lo_inf;  /* "~": no lower bound */
	bool hi_inf;  /* "start:": no upper bound */
	double lo, hi;
};

/* Parses text into *r. Returns 0, or -1 with one sentence in err. */
int check_range_parse(const char *text, struct check_range *r, char *err, size_t errlen);
/* Does value v alert against r? Never when r is unset. */
bool check_range_alerts(const struct check_range *r, double v);
/* r in the guidelines' syntax with both bounds multiplied by scale (a threshold given in MiB
 * shown against a value in bytes); "" when unset. */
void check_range_format(const struct check_range *r, double scale, char *buf, size_t len);

/* The per-node metrics, in perfdata order. */
enum check_metric {
	CHECK_CPU_PCT,      /* cpu_used_pct, % */
	CHECK_MEM_PCT,      /* mem_used_pct, % */
	CHECK_CPU_HEADROOM, /* cpu_headroom, vCPUs */
	CHECK_MEM_HEADROOM, /* mem_headroom: thresholds in MiB, perfdata in bytes */
	CHECK_HUGE_SHORT,   /* hugepage bytes the VMs need beyond the pools: MiB / bytes */
	CHECK_NMETRICS,
};

/* The name of metric i as options and labels spell it ("mem-pct", "mem_pct"), or NULL. */
const char *check_metric_option(enum check_metric i);
const char *check_metric_label(enum check_metric i);

struct check_thresholds {
	struct check_range warn[CHECK_NMETRICS], crit[CHECK_NMETRICS];
	struct check_range warn_invalid, crit_invalid; /* invalid libvirt XML files */
};

/* The defaults: critical when a node's CPU or memory is oversubscribed (used % outside 0..100)
 * or one of its hugepage pools is short (shortfall outside 0), warning for any invalid file. */
void check_thresholds_default(struct check_thresholds *t);

/* The value of metric i on node n of m (hugepage rows read from m). */
double check_node_value(const struct model *m, const struct node_row *n, enum check_metric i);

/* The state of m against t: the worst over every node and metric; UNKNOWN when m has no node
 * or its libvirt directory could not be read. */
enum check_state check_evaluate(const struct model *m, const struct check_thresholds *t);

/* Prints the plugin's one line, "NUMA STATE - summary | perfdata\n", and returns the state.
 * A node's mem_limit of UINT64_MAX means unknown (the MIB does not serve it): no maximum. */
enum check_state check_print(FILE *f, const struct model *m, const struct check_thresholds *t);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *check_state_name(enum check_state s);

#endif
