/* SPDX-License-Identifier: BSD-3-Clause */
/* tmpdir.h: a unit test's private temporary directory, a file written in it, and its removal
 * with all it holds: the set-up every unit test that writes files shares. */
#ifndef NUMATOPD_TEST_TMPDIR_H
#define NUMATOPD_TEST_TMPDIR_H

#include <stddef.h>

/* Create $TMPDIR/numatopd-NAME.XXXXXX (/tmp without TMPDIR) and write its path to buf.
 * Returns 0, or -1 with errno (ENAMETOOLONG when the path does not fit len). */
int tmpdir_make(char *buf, size_t len, const char *name);

/* Write content to dir/rel, created or truncated in place (an existing file keeps its inode, so
 * the directory's mtime does not move). Returns 0, or -1 with errno. */
int tmpdir_put(const char *dir, const char *rel, const char *content);

/* Create dir/rel and every missing directory above it (mkdir -p, mode 0755); one that exists
 * already is fine. Returns 0, or -1 with errno. */
int tmpdir_mkdir(const char *dir, const char *rel);

/* Remove dir and everything below it without following links (no shell: a quote in the path
 * is harmless). Returns 0, or -1 with errno. */
int tmpdir_remove(const char *dir);

#endif
