/* SPDX-License-Identifier: BSD-3-Clause */
/* testutil.h: what several unit tests of the model share: a log hook that drops every line, and
 * the JSON dump of a model as a string (the whole of what it serves, to compare two models). */
#ifndef NUMATOPD_TEST_TESTUTIL_H
#define NUMATOPD_TEST_TESTUTIL_H

struct model;

/* A log_set_hook() hook that drops every line: for tests whose input is meant to be warned
 * about. */
void testutil_quiet(int prio, const char *msg);

/* dump_json() of m into a malloc'd string (the caller frees it); fails the test when the
 * stream cannot be opened or flushed. */
char *testutil_dump_json(const struct model *m);

#endif
