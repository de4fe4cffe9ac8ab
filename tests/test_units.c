/* SPDX-License-Identifier: BSD-3-Clause */
/* test_units.c: libvirt's scaled integers (core/units) and UUID syntax (core/uuid), table-driven:
 * the sizes of domain XML and numatopd.conf, and the numaVmUuid every VM row shows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/units.h"
#include "core/util.h"
#include "core/uuid.h"

/* ---------------------------------------------------------------- units_scaled */

#define KI  1024ull
#define MI  (KI * KI)
#define GI  (MI * KI)
#define TI  (GI * KI)
#define PI_ (TI * KI)
#define EI  (PI_ * KI)

static void test_units_table(void **state)
{
	static const struct {
		const char *value, *unit;
		uint64_t want;
	} cases[] = {
	    {"1", NULL, KI},
	    {"1", "", KI},
	    {"3", "b", 3},
	    {"3", "B", 3},
	    {"3", "byte", 3},
	    {"3", "bytes", 3},
	    {"3", "BYTES", 3},
	    {"1", "KB", 1000},
	    {"1", "kb", 1000},
	    {"1", "kB", 1000},
	    {"1", "k", KI},
	    {"1", "K", KI},
	    {"1", "KiB", KI},
	    {"1", "kib", KI},
	    {"1", "KIB", KI},
	    {"1", "MB", 1000000},
	    {"1", "mb", 1000000},
	    {"1", "M", MI},
	    {"1", "m", MI},
	    {"1", "MiB", MI},
	    {"1", "MIB", MI},
	    {"1", "mib", MI},
	    {"1", "GB", 1000000000ull},
	    {"1", "gb", 1000000000ull},
	    {"1", "G", GI},
	    {"1", "GiB", GI},
	    {"1", "gib", GI},
	    {"1", "TB", 1000000000000ull},
	    {"1", "T", TI},
	    {"1", "TiB", TI},
	    {"1", "tib", TI},
	    {"1", "PB", 1000000000000000ull},
	    {"1", "P", PI_},
	    {"1", "PiB", PI_},
	    {"1", "EB", 1000000000000000000ull},
	    {"1", "E", EI},
	    {"1", "EiB", EI},
	    {"1", "eib", EI},
	    {"15", "EiB", 15 * EI},
	    {"18", "EB", 18000000000000000000ull},
	    {"18446744073709551615", "b", UINT64_MAX},
	    {"0", "EiB", 0},
	    {" 42\n", "KiB", 42 * KI},
	    {"007", "k", 7 * KI},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char err[ERRLEN] = "";
		uint64_t got = 12345;

		if (units_scaled(cases[i].value, cases[i].unit, 1024, &got, err, sizeof(err)) < 0)
			fail_msg("'%s' '%s': %s", cases[i].value,
				 cases[i].unit ? cases[i].unit : "(null)", err);
		if (got != cases[i].want)
			fail_msg("'%s' '%s': got %llu, want %llu", cases[i].value,
				 cases[i].unit ? cases[i].unit : "(null)", (unsigned long long)got,
				 (unsigned long long)cases[i].want);
	}
}

static void test_units_default_unit_is_the_callers(void **state)
{
	char err[ERRLEN];
	uint64_t got = 0;

	(void)state;
	assert_int_equal(units_scaled("5", NULL, 1, &got, err, sizeof(err)), 0);
	assert_int_equal(got, 5);
	assert_int_equal(units_scaled("5", "", MI, &got, err, sizeof(err)), 0);
	assert_int_equal(got, 5 * MI);
}

static void test_units_errors(void **state)
{
	static const struct {
		const char *value, *unit, *err;
	} cases[] = {
	    {"16", "EiB", "16 EiB overflows"},
	    {"19", "EB", "19 EB overflows"},
	    {"18446744073709551616", "b", "18446744073709551616 b overflows"},
	    {"99999999999999999999", "TiB", "99999999999999999999 TiB overflows"},
	    {"18014398509481984", NULL, "18014398509481984 (unit 1024 bytes) overflows"},
	    {"-1", "KiB", "'-1' is not a number"},
	    {"-0", NULL, "'-0' is not a number"},
	    {"+5", NULL, "'+5' is not a number"},
	    {"1.5", "GiB", "'1.5' is not a number"},
	    {"0x10", NULL, "'0x10' is not a number"},
	    {"1 2", NULL, "'1 2' is not a number"},
	    {"1e6", NULL, "'1e6' is not a number"},
	    {"", "KiB", "empty number"},
	    {"   ", "KiB", "empty number"},
	    {NULL, "KiB", "missing number"},
	    {"1", "KiBs", "unknown unit 'KiBs'"},
	    {"1", "iB", "unknown unit 'iB'"},
	    {"1", "x", "unknown unit 'x'"},
	    {"1", "ZiB", "unknown unit 'ZiB'"},
	    {"1", "kibibytes", "unknown unit 'kibibytes'"},
	    {"1", " KiB", "unknown unit ' KiB'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char err[ERRLEN] = "";
		uint64_t got = 777;

		if (units_scaled(cases[i].value, cases[i].unit, 1024, &got, err, sizeof(err)) == 0)
			fail_msg("'%s' '%s': accepted as %llu", cases[i].value, cases[i].unit,
				 (unsigned long long)got);
		if (strcmp(err, cases[i].err) != 0)
			fail_msg("'%s' '%s': error '%s', want '%s'", cases[i].value, cases[i].unit,
				 err, cases[i].err);
		assert_int_equal(got, 777); /* untouched on error */
	}
}

/* units_scale() alone: the factor of each unit name, and the names that are none. */
static void test_units_scale_factors(void **state)
{
	static const struct {
		const char *unit;
		int ret;
		uint64_t scale;
	} cases[] = {
	    {"b", 0, 1},
	    {"Byte", 0, 1},
	    {"bytes", 0, 1},
	    {"k", 0, KI},
	    {"KiB", 0, KI},
	    {"kB", 0, 1000},
	    {"m", 0, MI},
	    {"MB", 0, 1000000},
	    {"GiB", 0, GI},
	    {"t", 0, TI},
	    {"PiB", 0, PI_},
	    {"e", 0, EI},
	    {"EB", 0, 1000000000000000000ull},
	    {"", -1, 0},
	    {"i", -1, 0},
	    {"kiB ", -1, 0},
	    {"z", -1, 0},
	    {"kbit", -1, 0},
	    {"bb", -1, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t got = 0;
		int r = units_scale(cases[i].unit, &got);

		if (r != cases[i].ret || (r == 0 && got != cases[i].scale))
			fail_msg("'%s': returned %d scale %llu, want %d scale %llu", cases[i].unit,
				 r, (unsigned long long)got, cases[i].ret,
				 (unsigned long long)cases[i].scale);
	}
}

/* An error quotes value and unit as one line of printable ASCII, whatever they held. */
static void test_units_errors_are_printable(void **state)
{
	char err[ERRLEN];
	uint64_t got = 0;

	(void)state;
	assert_int_equal(units_scaled("1", "K\x1b[2J\n", 1024, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown unit 'K?[2J'");
	assert_int_equal(units_scaled("1\t\x7f", NULL, 1024, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "'1?"
				 "?' is not a number");
}

/* ---------------------------------------------------------------- uuid_canonical */

static void test_uuid_canonical_table(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: refused */
	} cases[] = {
	    {"11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555"},
	    {"ABCDEF01-2345-6789-ABCD-EF0123456789", "abcdef01-2345-6789-abcd-ef0123456789"},
	    {"abcdef0123456789abcdef0123456789", "abcdef01-2345-6789-abcd-ef0123456789"},
	    {"ab cd-ef01 2345---6789abcdef0123456789", "abcdef01-2345-6789-abcd-ef0123456789"},
	    {"\n 00000000000000000000000000000000 \t", "00000000-0000-0000-0000-000000000000"},
	    {"", NULL},
	    {"   ", NULL},
	    {"0123456789abcdef0123456789abcde", NULL},	 /* 31 digits */
	    {"0123456789abcdef0123456789abcdef0", NULL}, /* 33 digits */
	    {"0-123456789abcdef0123456789abcdef", NULL}, /* a dash inside a pair */
	    {"0123456789abcdef0123456789abcdeg", NULL},
	    {"{0123456789abcdef0123456789abcdef}", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[UUID_STRLEN + 1] = "";
		int r = uuid_canonical(cases[i].in, out);

		if (cases[i].out == NULL && r != -1)
			fail_msg("'%s': accepted as '%s'", cases[i].in, out);
		if (cases[i].out != NULL && (r != 0 || strcmp(out, cases[i].out) != 0))
			fail_msg("'%s': returned %d '%s', want '%s'", cases[i].in, r, out,
				 cases[i].out);
		if (r == 0)
			assert_int_equal(strlen(out), UUID_STRLEN);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_units_table),
	    cmocka_unit_test(test_units_default_unit_is_the_callers),
	    cmocka_unit_test(test_units_errors),
	    cmocka_unit_test(test_units_scale_factors),
	    cmocka_unit_test(test_units_errors_are_printable),
	    cmocka_unit_test(test_uuid_canonical_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
