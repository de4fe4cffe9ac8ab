/* SPDX-License-Identifier: BSD-3-Clause */
/* test_cpuset.c: the CPU/node set layer: kernel and libvirt set syntax (table-driven), the
 * canonical format, set algebra and iteration across 64-bit word boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpuset.h"
#include "core/util.h"

#define K     CPUSET_KERNEL
#define L     CPUSET_LIBVIRT
#define CPUS  CPUSET_MAX_CPUS
#define NODES CPUSET_MAX_NODES

/* ---------------------------------------------------------------- parse table */

struct parse_case {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in); set it to pass NUL bytes */
	enum cpuset_syntax syn;
	unsigned limit;
	const char *want; /* canonical output, or NULL when an error is expected */
	const char *err;  /* substring of the error */
};

static const struct parse_case parse_cases[] = {
    {"kernel list", "0-3,8,10-11", 0, K, CPUS, "0-3,8,10-11", NULL},
    {"kernel trailing newline", "0-3,8\n", 0, K, CPUS, "0-3,8", NULL},
    {"kernel trailing newline and NUL", "0-31\n\0", 6, K, CPUS, "0-31", NULL},
    {"kernel empty string is the empty set", "", 0, K, CPUS, "", NULL},
    {"kernel lone newline is the empty set", "\n", 0, K, CPUS, "", NULL},
    {"kernel lone newline and NUL is the empty set", "\n\0", 2, K, CPUS, "", NULL},
    {"kernel strided list", "0,4,8,12", 0, K, CPUS, "0,4,8,12", NULL},
    {"kernel overlapping ranges merge", "0-3,2-5", 0, K, CPUS, "0-5", NULL},
    {"kernel unsorted items sort", "8,0-3", 0, K, CPUS, "0-3,8", NULL},
    {"kernel single-id range", "5-5", 0, K, CPUS, "5", NULL},
    {"kernel word boundaries", "63-64,127,128", 0, K, CPUS, "63-64,127-128", NULL},
    {"kernel last cpu id 8191", "8191", 0, K, CPUS, "8191", NULL},
    {"kernel whole cpu range", "0-8191", 0, K, CPUS, "0-8191", NULL},
    {"kernel last node id 1023", "1023", 0, K, NODES, "1023", NULL},
    {"libvirt exclusion", "0-7,^3", 0, L, CPUS, "0-2,4-7", NULL},
    /* libvirt applies items in order, as virBitmapParseSeparator does */
    {"libvirt exclusion first is undone", "^3,0-7", 0, L, CPUS, "0-7", NULL},
    {"libvirt id after its exclusion", "0-7,^3,3", 0, L, CPUS, "0-7", NULL},
    {"libvirt exclusions one by one", "0-7,^3,^5", 0, L, CPUS, "0-2,4,6-7", NULL},
    {"libvirt blank after comma", "0-3, 8", 0, L, CPUS, "0-3,8", NULL},
    {"libvirt blanks around exclusion", " ^2 , 0-4", 0, L, CPUS, "0-4", NULL},
    {"libvirt blanks around an exclusion after", "0-4 , ^2 ", 0, L, CPUS, "0-1,3-4", NULL},
    {"libvirt blanks around the dash", "1 - 3", 0, L, CPUS, "1-3", NULL},
    {"libvirt blank before comma", "1 ,2", 0, L, CPUS, "1-2", NULL},
    {"libvirt trailing comma", "0-3,", 0, L, CPUS, "0-3", NULL},
    {"libvirt trailing comma and blank", "0-3, ", 0, L, CPUS, "0-3", NULL},
    {"libvirt tabs", "\t1,\t2\t", 0, L, CPUS, "1-2", NULL},
    {"libvirt trailing newline", "0-3\n", 0, L, CPUS, "0-3", NULL},
    {"kernel blank around the dash", "1 - 3", 0, K, CPUS, NULL, "','"},
    {"kernel trailing comma", "0-3,", 0, K, CPUS, NULL, "missing"},
    {"libvirt excluding everything is empty", "0-1,^0,^1", 0, L, CPUS, "", NULL},
    {"libvirt only an exclusion is empty", "^3", 0, L, CPUS, "", NULL},
    {"libvirt exclusion of a range is refused", "0-15,^4-11", 0, L, CPUS, NULL, "not a range"},
    {"libvirt blank between two ids", "1 2", 0, L, CPUS, NULL, "','"},
    {"libvirt only a comma", ",", 0, L, CPUS, NULL, "number"},
    {"libvirt two trailing commas", "1,,", 0, L, CPUS, NULL, "number"},
    {"libvirt blank inside a number", "1 0", 0, L, CPUS, NULL, "','"},
    {"libvirt exclusion over the limit", "0,^8192", 0, L, CPUS, NULL, "limit"},
    {"reversed range", "3-1", 0, K, CPUS, NULL, "reversed"},
    {"reversed range, libvirt", "3-1", 0, L, CPUS, NULL, "reversed"},
    {"cpu id equal to the limit", "8192", 0, K, CPUS, NULL, "limit"},
    {"node id equal to the limit", "1024", 0, K, NODES, NULL, "limit"},
    {"range ending past the limit", "8190-8192", 0, K, CPUS, NULL, "limit"},
    {"node range past the limit, libvirt", "0-2000", 0, L, NODES, NULL, "limit"},
    {"huge number does not overflow", "99999999999999999999", 0, K, CPUS, NULL, "limit"},
    {"huge number after a range", "1-99999999999999999999", 0, K, CPUS, NULL, "limit"},
    {"letters", "abc", 0, K, CPUS, NULL, "number"},
    {"letters, libvirt", "abc", 0, L, CPUS, NULL, "number"},
    {"double comma", "1,,2", 0, K, CPUS, NULL, "number"},
    {"double comma, libvirt", "1,,2", 0, L, CPUS, NULL, "number"},
    {"open range", "1-", 0, K, CPUS, NULL, "missing"},
    {"leading dash", "-1", 0, K, CPUS, NULL, "number"},
    {"trailing comma", "1,", 0, K, CPUS, NULL, "missing"},
    {"exclusion in kernel syntax", "^3", 0, K, CPUS, NULL, "number"},
    {"exclusion in kernel syntax after an item", "0-7,^3", 0, K, CPUS, NULL, "number"},
    {"blank in kernel syntax", "0-3, 8", 0, K, CPUS, NULL, "number"},
    {"embedded NUL", "1\0,2", 4, K, CPUS, NULL, "0x00"},
    {"embedded NUL, libvirt", "1,\0002", 4, L, CPUS, NULL, "0x00"},
    {"non-ASCII byte", "1,\xc3\xa9", 0, K, CPUS, NULL, "0xc3"},
    {"non-ASCII after an id", "1\xff", 0, K, CPUS, NULL, "0xff"},
    {"double range", "1-2-3", 0, K, CPUS, NULL, "','"},
    {"newline in the middle", "1\n2", 0, K, CPUS, NULL, "0x0a"},
    {"libvirt empty string", "", 0, L, CPUS, NULL, "empty"},
    {"libvirt only blanks", "  ", 0, L, CPUS, NULL, "empty"},
    {"libvirt blank caret", "^ 3", 0, L, CPUS, NULL, "number"},
};

static void check_parse_case(const struct parse_case *c)
{
	size_t len = c->len ? c->len : strlen(c->in);
	/* an exact-size copy: ASan catches any read past len */
	char *buf = xmalloc(len), err[ERRLEN] = "";
	struct cpuset *s;

	memcpy(buf, c->in, len);
	s = cpuset_parse(buf, len, c->limit, c->syn, err, sizeof(err));
	if (c->want) {
		char *out;

		if (s == NULL)
			fail_msg("%s: unexpected error: %s", c->name, err);
		out = cpuset_format(s);
		if (strcmp(out, c->want) != 0)
			fail_msg("%s: got '%s', want '%s'", c->name, out, c->want);
		assert_int_equal(cpuset_limit(s), c->limit);
		free(out);
	} else {
		if (s != NULL)
			fail_msg("%s: parsed, but an error with '%s' was expected", c->name,
				 c->err);
		if (strstr(err, c->err) == NULL)
			fail_msg("%s: error '%s' lacks '%s'", c->name, err, c->err);
	}
	cpuset_free(s);
	free(buf);
}

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(parse_cases); i++)
		check_parse_case(&parse_cases[i]);
}

static void test_error_messages_name_the_input(void **state)
{
	char err[ERRLEN];

	(void)state;
	assert_null(cpuset_parse("9-3", 3, CPUS, K, err, sizeof(err)));
	assert_string_equal(err, "'9-3': reversed range");
	assert_null(cpuset_parse("8192", 4, CPUS, K, err, sizeof(err)));
	assert_string_equal(err, "'8192': id over the limit of 8191");
	assert_null(cpuset_parse("x", 1, CPUS, K, err, sizeof(err)));
	assert_string_equal(err, "'x' (byte 0x78) where a number was expected");
}

/* ---------------------------------------------------------------- helpers */

static struct cpuset *set_of(const char *s, unsigned limit)
{
	char err[ERRLEN];
	struct cpuset *c = cpuset_parse(s, strlen(s), limit, K, err, sizeof(err));

	if (c == NULL)
		fail_msg("'%s': %s", s, err);
	return c;
}

static void assert_set(const struct cpuset *s, const char *want)
{
	char *out = cpuset_format(s);

	assert_string_equal(out, want);
	free(out);
}

/* ---------------------------------------------------------------- format */

static void test_format_round_trips(void **state)
{
	static const char *const canon[] = {
	    "",
	    "0",
	    "0-1",
	    "0,2,4",
	    "0-63",
	    "63-64",
	    "64",
	    "0-8191",
	    "8191",
	    "1,3-5,64,127-129,8191",
	    "0-62,64-126,128",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(canon); i++) {
		struct cpuset *s = set_of(canon[i], CPUS), *d = cpuset_dup(s);

		assert_set(s, canon[i]);
		assert_set(d, canon[i]);
		assert_true(cpuset_equal(s, d));
		cpuset_free(s);
		cpuset_free(d);
	}
}

static void test_format_built_by_set(void **state)
{
	struct cpuset *s = cpuset_new(CPUS);

	(void)state;
	assert_int_equal(cpuset_set(s, 10), 0);
	assert_int_equal(cpuset_set(s, 9), 0);
	assert_int_equal(cpuset_set(s, 11), 0);
	assert_int_equal(cpuset_set(s, 200), 0);
	assert_set(s, "9-11,200");
	cpuset_clear(s, 10);
	assert_set(s, "9,11,200");
	cpuset_clear(s, 7000); /* beyond the allocated words: a no-op */
	assert_set(s, "9,11,200");
	cpuset_free(s);
}

/* ---------------------------------------------------------------- members */

static void test_set_refuses_the_limit(void **state)
{
	struct cpuset *n = cpuset_new(NODES);

	(void)state;
	assert_int_equal(cpuset_set(n, 1023), 0);
	assert_int_equal(cpuset_set(n, 1024), -1);
	assert_false(cpuset_test(n, 1024));
	assert_true(cpuset_test(n, 1023));
	assert_false(cpuset_test(n, 100000));
	assert_int_equal(cpuset_count(n), 1);
	assert_int_equal(cpuset_limit(n), NODES);
	cpuset_free(n);
}

static void test_count(void **state)
{
	struct cpuset *s = set_of("0-3,8,63-64,127-128,8191", CPUS), *e = cpuset_new(CPUS);

	(void)state;
	assert_int_equal(cpuset_count(s), 10);
	assert_false(cpuset_empty(s));
	assert_int_equal(cpuset_count(e), 0);
	assert_true(cpuset_empty(e));
	cpuset_free(s);
	cpuset_free(e);
}

static void test_emptied_set_is_empty_and_equal_to_new(void **state)
{
	struct cpuset *s = set_of("5000", CPUS), *e = cpuset_new(CPUS);

	(void)state;
	cpuset_clear(s, 5000);
	assert_true(cpuset_empty(s));
	assert_int_equal(cpuset_count(s), 0);
	assert_true(cpuset_equal(s, e)); /* more words allocated, same members */
	assert_true(cpuset_equal(e, s));
	assert_int_equal(cpuset_first(s), -1);
	assert_set(s, "");
	cpuset_free(s);
	cpuset_free(e);
}

/* ---------------------------------------------------------------- algebra */

static void test_union(void **state)
{
	struct cpuset *a = set_of("0-3,100", CPUS), *b = set_of("2-5,4000", CPUS);

	(void)state;
	cpuset_union(a, b);
	assert_set(a, "0-5,100,4000");
	assert_set(b, "2-5,4000");
	cpuset_free(a);
	cpuset_free(b);
}

static void test_union_node_set_into_cpu_set(void **state)
{
	struct cpuset *c = set_of("5000", CPUS), *n = set_of("0-3,1023", NODES);

	(void)state;
	cpuset_union(c, n);
	assert_set(c, "0-3,1023,5000");
	assert_int_equal(cpuset_limit(c), CPUS);
	cpuset_free(c);
	cpuset_free(n);
}

static void test_union_bigger_set_into_node_set_drops_ids_over_its_limit(void **state)
{
	struct cpuset *n = set_of("1", NODES), *c = set_of("1000,1023-1024,5000", CPUS);

	(void)state;
	cpuset_union(n, c);
	assert_set(n, "1,1000,1023");
	assert_false(cpuset_test(n, 1024));
	assert_int_equal(cpuset_count(n), 3);
	/* still able to take its own ids afterwards */
	assert_int_equal(cpuset_set(n, 1022), 0);
	assert_set(n, "1,1000,1022-1023");
	cpuset_free(n);
	cpuset_free(c);
}

static void test_union_into_empty_odd_limit(void **state)
{
	struct cpuset *s = cpuset_new(100), *c = set_of("50,99-101,300", CPUS);

	(void)state;
	cpuset_union(s, c);
	assert_set(s, "50,99");
	assert_int_equal(cpuset_count(s), 2);
	cpuset_free(s);
	cpuset_free(c);
}

static void test_intersection(void **state)
{
	struct cpuset *a = set_of("0-10,64-70,5000", CPUS), *b = set_of("5-66", CPUS);
	struct cpuset *e = cpuset_new(CPUS);

	(void)state;
	cpuset_intersect(a, b);
	assert_set(a, "5-10,64-66");
	cpuset_intersect(a, e);
	assert_set(a, "");
	assert_true(cpuset_empty(a));
	cpuset_free(a);
	cpuset_free(b);
	cpuset_free(e);
}

static void test_subtract(void **state)
{
	struct cpuset *a = set_of("0-10,64-70,5000", CPUS), *b = set_of("5-66,8000", CPUS);

	(void)state;
	cpuset_subtract(a, b);
	assert_set(a, "0-4,67-70,5000");
	cpuset_subtract(a, a);
	assert_true(cpuset_empty(a));
	cpuset_free(a);
	cpuset_free(b);
}

static void test_subset(void **state)
{
	struct cpuset *small = set_of("2,64", CPUS), *big = set_of("0-100", CPUS);
	struct cpuset *far = set_of("2,64,5000", CPUS), *e = cpuset_new(CPUS);

	(void)state;
	assert_true(cpuset_subset(small, big));
	assert_false(cpuset_subset(big, small));
	assert_false(cpuset_subset(far, big)); /* a has words b lacks */
	assert_true(cpuset_subset(small, far));
	assert_true(cpuset_subset(e, small));
	assert_false(cpuset_subset(small, e));
	assert_true(cpuset_subset(big, big));
	cpuset_free(small);
	cpuset_free(big);
	cpuset_free(far);
	cpuset_free(e);
}

static void test_equal(void **state)
{
	struct cpuset *a = set_of("1-3,64", CPUS), *b = set_of("64,3,2,1", CPUS);
	struct cpuset *c = set_of("1-3", CPUS), *d = set_of("1-3,64,4096", CPUS);

	(void)state;
	assert_true(cpuset_equal(a, b));
	assert_false(cpuset_equal(a, c));
	assert_false(cpuset_equal(c, a));
	assert_false(cpuset_equal(a, d));
	assert_false(cpuset_equal(d, a));
	cpuset_free(a);
	cpuset_free(b);
	cpuset_free(c);
	cpuset_free(d);
}

static void test_intersects(void **state)
{
	struct cpuset *a = set_of("0-3,128", CPUS), *b = set_of("4-127,129", CPUS);
	struct cpuset *c = set_of("128,6000", CPUS), *e = cpuset_new(CPUS);

	(void)state;
	assert_false(cpuset_intersects(a, b));
	assert_false(cpuset_intersects(b, a));
	assert_true(cpuset_intersects(a, c));
	assert_true(cpuset_intersects(c, a));
	assert_false(cpuset_intersects(e, a));
	assert_false(cpuset_intersects(b, c));
	cpuset_free(a);
	cpuset_free(b);
	cpuset_free(c);
	cpuset_free(e);
}

/* ---------------------------------------------------------------- iteration */

static void test_next_crosses_word_boundaries(void **state)
{
	struct cpuset *s = set_of("63-64,127-128", CPUS);
	static const int want[] = {63, 64, 127, 128};
	size_t n = 0;
	int i;

	(void)state;
	for (i = cpuset_next(s, -1); i >= 0; i = cpuset_next(s, i)) {
		assert_true(n < ARRAY_SIZE(want));
		assert_int_equal(i, want[n]);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(want));
	assert_int_equal(cpuset_first(s), 63);
	assert_int_equal(cpuset_next(s, 0), 63);
	assert_int_equal(cpuset_next(s, 62), 63);
	assert_int_equal(cpuset_next(s, 65), 127);
	assert_int_equal(cpuset_next(s, 126), 127);
	assert_int_equal(cpuset_next(s, 128), -1);
	assert_int_equal(cpuset_next(s, 8191), -1);
	assert_int_equal(cpuset_next(s, 100000), -1);
	cpuset_free(s);
}

static void test_next_ascending_over_whole_range(void **state)
{
	struct cpuset *s = set_of("0,1,191,192,8191", CPUS);
	static const int want[] = {0, 1, 191, 192, 8191};
	size_t n = 0;
	int i;

	(void)state;
	for (i = cpuset_next(s, -1); i >= 0; i = cpuset_next(s, i))
		assert_int_equal(i, want[n++]);
	assert_int_equal(n, ARRAY_SIZE(want));
	cpuset_free(s);
}

static void test_first_of_empty(void **state)
{
	struct cpuset *e = cpuset_new(CPUS);

	(void)state;
	assert_int_equal(cpuset_first(e), -1);
	assert_int_equal(cpuset_next(e, -1), -1);
	assert_int_equal(cpuset_next(e, 5), -1);
	cpuset_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_error_messages_name_the_input),
	    cmocka_unit_test(test_format_round_trips),
	    cmocka_unit_test(test_format_built_by_set),
	    cmocka_unit_test(test_set_refuses_the_limit),
	    cmocka_unit_test(test_count),
	    cmocka_unit_test(test_emptied_set_is_empty_and_equal_to_new),
	    cmocka_unit_test(test_union),
	    cmocka_unit_test(test_union_node_set_into_cpu_set),
	    cmocka_unit_test(test_union_bigger_set_into_node_set_drops_ids_over_its_limit),
	    cmocka_unit_test(test_union_into_empty_odd_limit),
	    cmocka_unit_test(test_intersection),
	    cmocka_unit_test(test_subtract),
	    cmocka_unit_test(test_subset),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_intersects),
	    cmocka_unit_test(test_next_crosses_word_boundaries),
	    cmocka_unit_test(test_next_ascending_over_whole_range),
	    cmocka_unit_test(test_first_of_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
