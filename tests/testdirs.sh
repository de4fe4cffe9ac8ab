#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# testdirs.sh: every unit test makes and removes its private temporary directory through
# tests/tmpdir.[ch] (tmpdir_make honours $TMPDIR; tmpdir_remove needs no shell, so a quote in
# the path is harmless): no mkdtemp() of its own and no "rm -rf" of a whole directory through
# system(3); and a test that calls tmpdir_* has $(TEST_TMPDIR) among its sources.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init testdirs

top=$TESTS_DIR/..
for f in "$top"/tests/*.c; do
	name=$(basename "$f" .c)
	[ "$name" = tmpdir ] && continue
	if grep -n 'mkdtemp(\|"rm -rf '"'"'%s'"'"'"' "$f" >"$NT_DIR/hits"; then
		nt_fail "tests/$name.c makes or removes its own temporary directory:" \
			"$(head -n 3 "$NT_DIR/hits")"
	else
		nt_pass "tests/$name.c: no mkdtemp, no rm -rf of a whole directory"
	fi
	grep -q 'tmpdir_[a-z]*(' "$f" || continue
	var=$(echo "tests/$name" | tr '/-' '__')_SOURCES
	grep "^$var = " "$top/Makefile.am" | grep -q 'TEST_TMPDIR' &&
		nt_pass "tests/$name.c uses tmpdir and Makefile.am links it" ||
		nt_fail "tests/$name.c uses tmpdir_*() but $var lacks \$(TEST_TMPDIR)"
done

nt_done
