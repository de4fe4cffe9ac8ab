/* SPDX-License-Identifier: BSD-3-Clause */
/* units.c: libvirt's scaled integers (virScaleInteger), shared by the domain XML parser and the
 * configuration tokens. Pure. */
#include "core/units.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

int units_scale(const char *unit, uint64_t *scale)
{
	static const char prefixes[] = "kmgtpe";
	const char *pos;
	uint64_t base, s = 1;
	size_t i;

	if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
	    strcasecmp(unit, "bytes") == 0) {
		*scale = 1;
		return 0;
	}
	if (unit[0] == '\0')
		return -1;
	if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
		base = 1024;
	else if (tolower((unsigned char)unit[1]) == 'b' && unit[2] == '\0')
		base = 1000;
	else
		return -1;
	pos = strchr(prefixes, tolower((unsigned char)unit[0]));
	if (pos == NULL)
		return -1;
	for (i = 0; i <= (size_t)(pos - prefixes); i++)
		s *= base;
	*scale = s;
	return 0;
}

/* Blanks, at least one digit, blanks: a number too large rather than not a number. */
static bool all_digits(const char *s)
{
	size_t n = 0;

	while (isspace((unsigned char)*s))
		s++;
	for (; isdigit((unsigned char)*s); s++)
		n++;
	while (isspace((unsigned char)*s))
		s++;
	return n > 0 && *s == '\0';
}

static int overflows(const char *value, const char *unit, uint64_t default_unit, char *err,
		     size_t errlen)
{
	char vs[40], us[24];

	str_ascii_copy(vs, sizeof(vs), value + strspn(value, " \t\r\n"), 32);
	if (unit != NULL && unit[0] != '\0') {
		str_ascii_copy(us, sizeof(us), unit, 16);
		err_set(err, errlen, "%s %s overflows", vs, us);
	} else {
		err_set(err, errlen, "%s (unit %llu bytes) overflows", vs,
			(unsigned long long)default_unit);
	}
	return -1;
}

int units_scaled(const char *value, const char *unit, uint64_t default_unit, uint64_t *bytes,
		 char *err, size_t errlen)
{
	uint64_t v = 0, scale = default_unit, b;
	char e[ERRLEN], us[24];

	if (unit != NULL && unit[0] != '\0' && units_scale(unit, &scale) < 0) {
		str_ascii_copy(us, sizeof(us), unit, 16);
		err_set(err, errlen, "unknown unit '%s'", us);
		return -1;
	}
	if (parse_u64_str(value, UINT64_MAX, &v, e, sizeof(e)) < 0) {
		if (value != NULL && all_digits(value))
			return overflows(value, unit, default_unit, err, errlen);
		str_ascii(e, sizeof(e));
		err_set(err, errlen, "%s", e);
		return -1;
	}
	if (__builtin_mul_overflow(v, scale, &b))
		return overflows(value, unit, default_unit, err, errlen);
	*bytes = b;
	return 0;
}
