/* SPDX-License-Identifier: BSD-3-Clause */
/* units.h: libvirt's scaled integers ("4", unit "GiB"), as domain XML and numatopd.conf write
 * sizes. Pure: no I/O. */
#ifndef NUMATOPD_UNITS_H
#define NUMATOPD_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* A unit name as libvirt's virScaleInteger reads it: b byte bytes; k m g t p e alone or with
 * "iB" (powers of 1024) or "B" (powers of 1000); case-insensitive. Returns 0 and *scale (bytes
 * per unit), or -1 when the name is not a unit. */
int units_scale(const char *unit, uint64_t *scale);

/* A scaled integer: decimal value (blanks around allowed) times unit (units_scale(); NULL or ""
 * = default_unit bytes, e.g. 1024 for KiB). Overflow-checked. Returns 0 and *bytes, or -1 with
 * one sentence in err that quotes value and unit only as printable ASCII. */
int units_scaled(const char *value, const char *unit, uint64_t default_unit, uint64_t *bytes,
		 char *err, size_t errlen);

#endif
