/* SPDX-License-Identifier: BSD-3-Clause */
/* test_check.c: check_numa's verdict (core/check): the guidelines' threshold ranges, table-driven,
 * the state over nodes and metrics, and the exact output line with its perfdata. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/util.h"

/* ---------------------------------------------------------------- ranges */

/* Which of the probe values alert against each range: the guidelines' own examples. */
static const double probes[] = {-5, 0, 5, 10, 15, 20, 25};

static void test_range_table(void **state)
{
	static const struct {
		const char *text;
		const char *alerts; /* one char per probe: 1 alerts */
		const char *formatted;
	} cases[] = {
	    {"10", "1000111", "10"},          /* < 0 or > 10 */
	    {"10:", "1110000", "10:"},        /* < 10 */
	    {"~:10", "0000111", "~:10"},      /* > 10 */
	    {"10:20", "1110001", "10:20"},    /* < 10 or > 20 */
	    {"@10:20", "0001110", "@10:20"},  /* 10 <= v <= 20 */
	    {"0", "1011111", "0"},            /* anything but 0 */
	    {"~:", "0000000", "~:"},          /* never */
	    {"@~:", "1111111", "@~:"},        /* always */
	    {"-5:5", "0001111", "-5:5"},      /* negative start */
	    {"@-10:-5", "1000000", "@-10:-5"},
	    {":10", "1000111", "10"},         /* empty start is 0 */
	    {"2.5", "1011111", "2.5"},
	    {"1e1", "1000111", "10"},
	    {"0:", "1000000", "0:"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct check_range r;
		char err[ERRLEN] = "", got[ARRAY_SIZE(probes) + 1], fmt[48];

		if (check_range_parse(cases[i].text, &r, err, sizeof(err)) != 0)
			fail_msg("'%s' refused: %s", cases[i].text, err);
		for (size_t p = 0; p < ARRAY_SIZE(probes); p++)
			got[p] = check_range_alerts(&r, probes[p]) ? '1' : '0';
		got[ARRAY_SIZE(probes)] = '\0';
		if (strcmp(got, cases[i].alerts) != 0)
			fail_msg("'%s' alerts %s on -5,0,5,10,15,20,25, expected %s", cases[i].text,
				 got, cases[i].alerts);
		check_range_format(&r, 1, fmt, sizeof(fmt));
		assert_string_equal(fmt, cases[i].formatted);
	}
}

static void test_range_refused(void **state)
{
	static const char *const bad[] = {
	    "", "@", "abc", "10:5", "1:2:3", "~", "~10", "10:~", "inf", "nan", "0x10", " 10",
	    "10 ", "1e999", "10%", "@@10",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct check_range r;
		char err[ERRLEN] = "";

		if (check_range_parse(bad[i], &r, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(err[0] != '\0');
		assert_false(r.set);
	}
}

/* The reason quotes the range as one line of printable ASCII: it lands in the status line. */
static void test_range_quoted(void **state)
{
	struct check_range r;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(check_range_parse("1\t2\x1b", &r, err, sizeof(err)), -1);
	assert_string_equal(err, "range '1?2?' is not [@]start:end (e.g. 10, 10:, ~:10, 10:20, "
				 "@10:20)");
	assert_int_equal(check_range_parse("20:10", &r, err, sizeof(err)), -1);
	assert_string_equal(err, "range '20:10': its start is above its end");
	assert_false(r.set);
}

static void test_range_scaled(void **state)
{
	struct check_range r;
	char err[ERRLEN], fmt[48];

	(void)state;
	assert_int_equal(check_range_parse("@1024:2048", &r, err, sizeof(err)), 0);
	check_range_format(&r, 1048576, fmt, sizeof(fmt));
	assert_string_equal(fmt, "@1073741824:2147483648");
	memset(&r, 0, sizeof(r));
	check_range_format(&r, 1, fmt, sizeof(fmt));
	assert_string_equal(fmt, "");
	assert_false(check_range_alerts(&r, 1e18));
}

/* ---------------------------------------------------------------- the verdict */

/* Two nodes and one hugepage pool; node 1 is 150 % CPU and 50 % memory. */
static struct model *two_nodes(void)
{
	static struct node_row nodes[2];
	static struct huge_row huges[1];
	static struct model m;

	memset(&m, 0, sizeof(m));
	memset(nodes, 0, sizeof(nodes));
	nodes[0] = (struct node_row){.id = 0, .cpu_limit = 4, .cpu_headroom = 2,
				     .cpu_used_pct = 50, .mem_limit = 8ull << 30,
				     .mem_headroom = 6ll << 30, .mem_used_pct = 25, .mem_known = true};
	nodes[1] = (struct node_row){.id = 1, .cpu_limit = 4, .cpu_headroom = -2,
				     .cpu_used_pct = 150, .mem_limit = 8ull << 30,
				     .mem_headroom = 4ll << 30, .mem_used_pct = 50, .mem_known = true};
	huges[0] = (struct huge_row){.node = 0, .size_kib = 2048, .total = 10, .demand = 10};
	m.nodes = nodes;
	m.nnodes = 2;
	m.huges = huges;
	m.nhuges = 1;
	m.nvms = 3;
	m.source_status = SOURCE_OK;
	return &m;
}

static enum check_state with(const char *warn_cpu, const char *crit_cpu)
{
	struct check_thresholds t;
	char err[ERRLEN];

	check_thresholds_default(&t);
	memset(&t.crit[CHECK_CPU_PCT], 0, sizeof(t.crit[CHECK_CPU_PCT]));
	if (warn_cpu)
		assert_int_equal(check_range_parse(warn_cpu, &t.warn[CHECK_CPU_PCT], err,
						   sizeof(err)), 0);
	if (crit_cpu)
		assert_int_equal(check_range_parse(crit_cpu, &t.crit[CHECK_CPU_PCT], err,
						   sizeof(err)), 0);
	return check_evaluate(two_nodes(), &t);
}

static void test_verdict_states(void **state)
{
	struct model *m = two_nodes();
	struct check_thresholds t;

	(void)state;
	assert_int_equal(with(NULL, NULL), CHECK_OK);
	assert_int_equal(with("100", NULL), CHECK_WARNING);    /* node 1's 150 */
	assert_int_equal(with("100", "140"), CHECK_CRITICAL);  /* critical beats warning */
	assert_int_equal(with("200", "~:"), CHECK_OK);
	assert_int_equal(with("@40:60", NULL), CHECK_WARNING); /* node 0's 50 */
	check_thresholds_default(&t);
	assert_int_equal(check_evaluate(m, &t), CHECK_CRITICAL); /* default: 150 > 100 */
	m->nodes[1].cpu_used_pct = 100;
	assert_int_equal(check_evaluate(m, &t), CHECK_OK);       /* exactly full is not over */
	m->invalid_files = 1;
	assert_int_equal(check_evaluate(m, &t), CHECK_WARNING);  /* default: any invalid file */
	m->source_status = SOURCE_UNAVAILABLE;
	assert_int_equal(check_evaluate(m, &t), CHECK_UNKNOWN);
	m->source_status = SOURCE_OK;
	m->nnodes = 0;
	assert_int_equal(check_evaluate(m, &t), CHECK_UNKNOWN);
}

/* Memory thresholds are MiB against bytes; a hugepage shortfall is bytes of missing pages. */
static void test_verdict_units(void **state)
{
	struct model *m = two_nodes();
	struct check_thresholds t;
	char err[ERRLEN];

	(void)state;
	check_thresholds_default(&t);
	assert_int_equal(check_range_parse("4096:", &t.warn[CHECK_MEM_HEADROOM], err,
					   sizeof(err)), 0);
	assert_int_equal(check_evaluate(m, &t), CHECK_CRITICAL); /* CPU 150 % still */
	m->nodes[1].cpu_used_pct = 90;
	assert_int_equal(check_evaluate(m, &t), CHECK_OK); /* 4096 MiB is not below 4096: */
	m->nodes[1].mem_headroom -= 1;                     /* one byte less is */
	assert_int_equal(check_evaluate(m, &t), CHECK_WARNING);
	m->nodes[1].mem_headroom += 1;
	m->huges[0].demand = 11; /* one 2 MiB page short: default critical 0 */
	assert_true(check_node_value(m, &m->nodes[0], CHECK_HUGE_SHORT) == 2097152.0);
	assert_int_equal(check_evaluate(m, &t), CHECK_CRITICAL);
	assert_int_equal(check_range_parse("2", &t.crit[CHECK_HUGE_SHORT], err, sizeof(err)), 0);
	assert_int_equal(check_evaluate(m, &t), CHECK_OK);
}

/* ---------------------------------------------------------------- the line */

static char *printed(const struct model *m, const struct check_thresholds *t,
		     enum check_state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*st = check_print(f, m, t);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_line(void **state)
{
	struct model *m = two_nodes();
	struct check_thresholds t;
	enum check_state st;
	char err[ERRLEN], *line;

	(void)state;
	check_thresholds_default(&t);
	assert_int_equal(check_range_parse("1024:", &t.warn[CHECK_MEM_HEADROOM], err,
					   sizeof(err)), 0);
	assert_int_equal(check_range_parse("@60:100", &t.warn[CHECK_CPU_PCT], err,
					   sizeof(err)), 0);
	line = printed(m, &t, &st);
	assert_int_equal(st, CHECK_CRITICAL);
	assert_string_equal(line,
		"NUMA CRITICAL - node 1 CPU 150% (critical); 2 nodes, 3 VMs, highest CPU 150% "
		"(node 1), memory 50% (node 1) | "
		"'node0_cpu_pct'=50%;@60:100;100;0 'node0_mem_pct'=25%;;100;0 "
		"'node0_cpu_headroom'=2;;;;4 'node0_mem_headroom'=6442450944B;1073741824:;;;8589934592 "
		"'node0_huge_short'=0B;;0;0 "
		"'node1_cpu_pct'=150%;@60:100;100;0 'node1_mem_pct'=50%;;100;0 "
		"'node1_cpu_headroom'=-2;;;;4 'node1_mem_headroom'=4294967296B;1073741824:;;;8589934592 "
		"'node1_huge_short'=0B;;0;0 'invalid_files'=0;0;;0 'vms'=3;;;0\n");
	free(line);
	m->nodes[1].cpu_used_pct = 80;
	m->nodes[1].mem_headroom = -(1ll << 20) - 1; /* over by 1 MiB and a byte: -2 MiB */
	line = printed(m, &t, &st);
	assert_int_equal(st, CHECK_WARNING);
	assert_true(strncmp(line, "NUMA WARNING - node 1 CPU 80% (warning), node 1 memory "
				  "headroom -2 MiB (warning); 2 nodes", 70) == 0);
	free(line);
	/* node 1's memory unknown (no meminfo): its 2 MiB over is no alert, its figures are U and
	 * the summary's memory is node 0's; with both unknown, "memory unknown" */
	m->nodes[1].mem_known = false;
	line = printed(m, &t, &st);
	assert_int_equal(st, CHECK_WARNING);
	assert_non_null(strstr(line, "NUMA WARNING - node 1 CPU 80% (warning); 2 nodes, 3 VMs, "
				     "highest CPU 80% (node 1), memory 25% (node 0) |"));
	assert_non_null(strstr(line, " 'node1_mem_pct'=U 'node1_cpu_headroom'=-2;;;;4 "
				     "'node1_mem_headroom'=U "));
	free(line);
	m->nodes[0].mem_known = false;
	line = printed(m, &t, &st);
	assert_non_null(strstr(line, "(node 1), memory unknown |"));
	free(line);
	m->nnodes = 0;
	line = printed(m, &t, &st);
	assert_int_equal(st, CHECK_UNKNOWN);
	assert_string_equal(line, "NUMA UNKNOWN - no NUMA node found\n");
	free(line);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(check_state_name(CHECK_OK), "OK");
	assert_string_equal(check_state_name(CHECK_UNKNOWN), "UNKNOWN");
	assert_string_equal(check_metric_option(CHECK_MEM_PCT), "mem-pct");
	assert_string_equal(check_metric_label(CHECK_HUGE_SHORT), "huge_short");
	assert_null(check_metric_option(CHECK_NMETRICS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_range_table),    cmocka_unit_test(test_range_refused),
	    cmocka_unit_test(test_range_quoted),
	    cmocka_unit_test(test_range_scaled),   cmocka_unit_test(test_verdict_states),
	    cmocka_unit_test(test_verdict_units),  cmocka_unit_test(test_line),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
