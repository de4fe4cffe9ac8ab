/* SPDX-License-Identifier: BSD-3-Clause */
/* statefile.h: the VM index map on disk (STATEDIR/vm-index): read strictly, as hostile input,
 * and written atomically (temporary file, fsync, rename, fsync of the directory). */
#ifndef NUMATOPD_STATEFILE_H
#define NUMATOPD_STATEFILE_H

#include <stddef.h>

#include "core/vmindex.h"

#define STATEFILE_NAME	   "vm-index"
#define STATEFILE_HEADER   "numatopd-vmindex 1"
#define STATEFILE_LINE_MAX 72 /* "2147483647 <36> <19 digits>\n" is 68 octets */
#define STATEFILE_MAX_SIZE ((size_t)(VMINDEX_MAX_ENTRIES + 1) * STATEFILE_LINE_MAX)

enum statefile_status {
	STATEFILE_OK,	   /* read whole */
	STATEFILE_MISSING, /* no file: m is empty */
	STATEFILE_BAD,	   /* unusable (unreadable, too large, no header): m is empty; err says why */
	STATEFILE_PARTIAL, /* some lines were bad and dropped; err names the first */
};

/* Read dir/vm-index into the empty map m. */
enum statefile_status statefile_load(const char *dir, struct vmindex *m, char *err, size_t errlen);

/* Write m to dir/vm-index atomically. Returns 0 (m is then marked saved), or -1 with the
 * failing step and errno's text in err. */
int statefile_save(const char *dir, struct vmindex *m, char *err, size_t errlen);

#endif
