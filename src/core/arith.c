/* SPDX-License-Identifier: BSD-3-Clause */
/* arith.c: exact, saturating 64-bit arithmetic for the accounting rules: every intermediate
 * stays below 2^64, so the results equal those of a 128-bit computation on any target. */
#include "core/arith.h"

/* floor(r x m / d) and whether a remainder is left, for r < d, by Horner's rule over the bits
 * of m with the remainder kept below d at each step (no product ever exceeds 2 x d). */
static uint64_t muldiv_small(uint64_t r, uint32_t m, uint64_t d, int *inexact)
{
	uint64_t q = 0, rem = 0;
	int bit;

	for (bit = 31; bit >= 0; bit--) {
		q *= 2;
		if (rem >= d - rem) {
			rem -= d - rem;
			q++;
		} else {
			rem *= 2;
		}
		if ((m >> bit) & 1u) {
			if (rem >= d - r) {
				rem -= d - r;
				q++;
			} else {
				rem += r;
			}
		}
	}
	*inexact = rem != 0;
	return q;
}

uint32_t arith_pct_ceil(uint64_t use, uint64_t limit)
{
	uint64_t whole, frac;
	int inexact;

	if (use == 0)
		return 0;
	if (limit == 0)
		return UINT32_MAX;
	whole = use / limit;
	if (whole > UINT32_MAX / 100)
		return UINT32_MAX;
	frac = muldiv_small(use % limit, 100, limit, &inexact);
	whole = whole * 100 + frac + (uint64_t)inexact;
	return whole > UINT32_MAX ? UINT32_MAX : (uint32_t)whole;
}

uint64_t arith_ratio_floor(uint64_t x, uint32_t pct)
{
	uint64_t hi, lo = (x % 100) * pct / 100; /* (x % 100) x pct < 2^39 */

	if (__builtin_mul_overflow(x / 100, (uint64_t)pct, &hi) ||
	    __builtin_add_overflow(hi, lo, &hi))
		return UINT64_MAX;
	return hi;
}

int64_t arith_diff_sat(uint64_t a, uint64_t b)
{
	uint64_t d;

	if (a >= b) {
		d = a - b;
		return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
	}
	d = b - a;
	if (d > (uint64_t)INT64_MAX) /* -d is at most INT64_MIN */
		return INT64_MIN;
	return -(int64_t)d;
}
