/* SPDX-License-Identifier: BSD-3-Clause */
/* test_arith.c: the saturating arithmetic of the R9 limits and percentages, table-driven at the
 * edges of the 64-bit range, and against a 128-bit oracle where the compiler has one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/arith.h"

static void test_pct_ceil_table(void **state)
{
	static const struct {
		uint64_t use, limit;
		uint32_t want;
	} cases[] = {
	    {0, 0, 0},				/* unused: 0 even with no limit */
	    {1, 0, UINT32_MAX},			/* used with limit 0 */
	    {8, 8, 100},
	    {15, 8, 188},			/* ceil(187.5) */
	    {1, 3, 34},				/* ceil(33.3) */
	    {2, 3, 67},
	    {UINT64_MAX, UINT64_MAX, 100},
	    {UINT64_MAX - 1, UINT64_MAX, 100},	/* 99.999...: rounds up */
	    {1, UINT64_MAX, 1},
	    {UINT64_MAX, 1, UINT32_MAX},	/* saturates */
	    {42949672ull, 1, UINT32_MAX - 95},
	    {42949673ull, 1, UINT32_MAX},	/* 4294967300 > UINT32_MAX */
	    {(1ull << 63) + 1, 1ull << 63, 101},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(arith_pct_ceil(cases[i].use, cases[i].limit), cases[i].want);
}

static void test_ratio_floor_table(void **state)
{
	static const struct {
		uint64_t x;
		uint32_t pct;
		uint64_t want;
	} cases[] = {
	    {0, 150, 0},
	    {17179869184ull, 100, 17179869184ull},
	    {8, 150, 12},
	    {7, 150, 10},			/* floor(10.5) */
	    {99, 1, 0},
	    {UINT64_MAX, 100, UINT64_MAX},
	    {UINT64_MAX, 50, UINT64_MAX / 2},	/* floor(x/2) exactly */
	    {UINT64_MAX, 101, UINT64_MAX},	/* saturates */
	    {UINT64_MAX / 2, UINT32_MAX, UINT64_MAX},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_true(arith_ratio_floor(cases[i].x, cases[i].pct) == cases[i].want);
}

static void test_diff_sat_table(void **state)
{
	(void)state;
	assert_true(arith_diff_sat(8, 15) == -7);
	assert_true(arith_diff_sat(15, 8) == 7);
	assert_true(arith_diff_sat(0, 0) == 0);
	assert_true(arith_diff_sat(UINT64_MAX, 0) == INT64_MAX);
	assert_true(arith_diff_sat(0, UINT64_MAX) == INT64_MIN);
	assert_true(arith_diff_sat(0, 1ull << 63) == INT64_MIN);	/* exactly -2^63 */
	assert_true(arith_diff_sat(0, (1ull << 63) - 1) == -INT64_MAX);
	assert_true(arith_diff_sat((1ull << 63) - 1, 0) == INT64_MAX);
}

#ifdef __SIZEOF_INT128__
/* The oracle: what the code computed before it had to build on 32-bit targets. Test only. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t shaped(uint64_t *s)
{
	uint64_t v = next_rand(s);

	return v >> (next_rand(s) % 64); /* every magnitude, not only huge values */
}

static void test_against_int128(void **state)
{
	uint64_t s = 0x9e3779b97f4a7c15ull;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		uint64_t a = shaped(&s), b = shaped(&s);
		uint32_t pct = (uint32_t)shaped(&s);
		unsigned __int128 p = b ? ((unsigned __int128)a * 100 + b - 1) / b : 0;
		unsigned __int128 r = (unsigned __int128)a * pct / 100;
		__int128 d = (__int128)a - (__int128)b;
		uint32_t want_p = a == 0 ? 0 : b == 0 || p > UINT32_MAX ? UINT32_MAX : (uint32_t)p;

		assert_int_equal(arith_pct_ceil(a, b), want_p);
		assert_true(arith_ratio_floor(a, pct) == (r > UINT64_MAX ? UINT64_MAX : (uint64_t)r));
		assert_true(arith_diff_sat(a, b) == (d > INT64_MAX   ? INT64_MAX
						     : d < INT64_MIN ? INT64_MIN
								     : (int64_t)d));
	}
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pct_ceil_table),
	    cmocka_unit_test(test_ratio_floor_table),
	    cmocka_unit_test(test_diff_sat_table),
#ifdef __SIZEOF_INT128__
	    cmocka_unit_test(test_against_int128),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
