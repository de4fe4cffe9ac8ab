/* SPDX-License-Identifier: BSD-3-Clause */
/* testutil.c: the log hook and the model-to-JSON-string helper that test_account_cache,
 * test_engine, test_dump, test_live and test_qemualloc each used to define. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/dump.h"
#include "testutil.h"

void testutil_quiet(int prio, const char *msg)
{
	(void)prio;
	(void)msg;
}

char *testutil_dump_json(const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	dump_json(f, m);
	assert_int_equal(fclose(f), 0);
	return buf;
}
