/* SPDX-License-Identifier: BSD-3-Clause */
/* arith.h: exact, saturating 64-bit arithmetic for the accounting rules (R9) without a 128-bit
 * type, which 32-bit targets lack: percentages, ratios and signed differences. Pure. */
#ifndef NUMATOPD_ARITH_H
#define NUMATOPD_ARITH_H

#include <stdint.h>

/* ceil(100 x use / limit), saturated at UINT32_MAX; 0 when use is 0, UINT32_MAX when limit is 0
 * and use is not. */
uint32_t arith_pct_ceil(uint64_t use, uint64_t limit);
/* floor(x x pct / 100), saturated at UINT64_MAX. */
uint64_t arith_ratio_floor(uint64_t x, uint32_t pct);
/* a - b as a signed value, saturated at INT64_MIN and INT64_MAX. */
int64_t arith_diff_sat(uint64_t a, uint64_t b);

#endif
