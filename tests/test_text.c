/* SPDX-License-Identifier: BSD-3-Clause */
/* test_text.c: str_safe (core/util), the one rule for text a tenant can influence, table-driven:
 * controls, line breaks and bidi overrides become U+FFFD, invalid UTF-8 too, the rest stays. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define R "\xef\xbf\xbd" /* U+FFFD */

static void test_str_safe_table(void **state)
{
	static const struct {
		const char *why, *in, *want;
	} cases[] = {
	    {"empty", "", ""},
	    {"plain ASCII stays", "web-01.example", "web-01.example"},
	    {"printable punctuation stays", "a b?c\"d\\e<f>", "a b?c\"d\\e<f>"},
	    {"UTF-8 letters stay", "vm-\xc3\xbcn\xc3\xaf-\xe2\x82\xac-\xe6\x97\xa5",
	     "vm-\xc3\xbcn\xc3\xaf-\xe2\x82\xac-\xe6\x97\xa5"},
	    {"4-byte character stays", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
	    {"U+FFFD itself stays", R, R},
	    {"LF", "a\nb", "a" R "b"},
	    {"CR LF: two characters, two replacements", "a\r\nb", "a" R R "b"},
	    {"tab is a C0 control", "a\tb", "a" R "b"},
	    {"ESC (terminal escape)", "\x1b[2J", R "[2J"},
	    {"first C0 after NUL", "\x01", R},
	    {"last C0", "\x1f", R},
	    {"DEL", "a\x7f", "a" R},
	    {"NEL U+0085", "a\xc2\x85z", "a" R "z"},
	    {"first C1 U+0080", "\xc2\x80", R},
	    {"CSI U+009B", "\xc2\x9b" "31m", R "31m"},
	    {"last C1 U+009F", "\xc2\x9f", R},
	    {"U+00A0 is not a control", "\xc2\xa0", "\xc2\xa0"},
	    {"LINE SEPARATOR U+2028", "a\xe2\x80\xa8z", "a" R "z"},
	    {"PARAGRAPH SEPARATOR U+2029", "\xe2\x80\xa9", R},
	    {"LRE U+202A", "\xe2\x80\xaa", R},
	    {"RLO U+202E", "evil\xe2\x80\xaegpj.exe", "evil" R "gpj.exe"},
	    {"U+202F (narrow no-break space) is no override", "\xe2\x80\xaf", "\xe2\x80\xaf"},
	    {"LRI U+2066", "\xe2\x81\xa6", R},
	    {"PDI U+2069", "\xe2\x81\xa9", R},
	    {"U+2065 and U+206A are not isolates", "\xe2\x81\xa5\xe2\x81\xaa",
	     "\xe2\x81\xa5\xe2\x81\xaa"},
	    {"lone continuation byte", "a\x80z", "a" R "z"},
	    {"0xFF", "\xff", R},
	    {"0xC0 0xAF: overlong '/', one replacement per byte", "\xc0\xaf", R R},
	    {"overlong 3-byte NUL", "\xe0\x80\x80", R R R},
	    {"surrogate U+D800", "\xed\xa0\x80", R R R},
	    {"above U+10FFFF", "\xf4\x90\x80\x80", R R R R},
	    {"sequence cut short by the end", "ab\xe2\x82", "ab" R R},
	    {"sequence cut short by ASCII", "\xe2\x82" "x", R R "x"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = str_safe(cases[i].in);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got '%s', want '%s'", cases[i].why, got, cases[i].want);
		free(got);
	}
}

static void test_str_safe_null_is_empty(void **state)
{
	char *got = str_safe(NULL);

	(void)state;
	assert_string_equal(got, "");
	free(got);
}

/* The worst growth: every byte a replacement, three times as long, and still safe. */
static void test_str_safe_all_controls(void **state)
{
	char in[32], *got;
	size_t i;

	(void)state;
	for (i = 0; i < 31; i++)
		in[i] = (char)(i + 1);
	in[31] = '\0';
	got = str_safe(in);
	assert_int_equal(strlen(got), 31 * 3);
	for (i = 0; i < 31; i++)
		assert_memory_equal(got + 3 * i, R, 3);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_str_safe_table),
	    cmocka_unit_test(test_str_safe_null_is_empty),
	    cmocka_unit_test(test_str_safe_all_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
