/* SPDX-License-Identifier: BSD-3-Clause */
/* read_file.h: the one way the sources read a small file whole: bounded, non-blocking, regular
 * files only. I/O, so it lives in the source layer; the pure core never opens a file. */
#ifndef NUMATOPD_READ_FILE_H
#define NUMATOPD_READ_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Read a whole file into a NUL-terminated buffer, at most max bytes (more is an error).
 * Opens with O_NONBLOCK (a FIFO never blocks) and, when nofollow, O_NOFOLLOW; refuses anything
 * that is not a regular file after fstat. Does not trust st_size (sysfs reports 4096).
 * Returns 0, or -1 with a reason in err ("not a regular file", "larger than 16777216 bytes",
 * strerror text). *st_out, when not NULL, receives the fstat of the opened file. */
struct stat;
int read_file(const char *path, size_t max, bool nofollow, char **buf, size_t *len,
	      struct stat *st_out, char *err, size_t errlen);

#endif
