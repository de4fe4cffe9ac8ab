/* SPDX-License-Identifier: BSD-3-Clause */
/* uuid.h: a domain UUID as libvirt reads it, written the one way the MIB shows it (lowercase
 * 8-4-4-4-12). Pure: no I/O. */
#ifndef NUMATOPD_UUID_H
#define NUMATOPD_UUID_H

#define UUID_STRLEN 36 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" without its NUL */

/* libvirt's virUUIDParse: blanks around, 32 hex digits, '-' or ' ' anywhere between digit
 * pairs. Returns 0 with the canonical form in out, or -1 (out then holds no UUID). */
int uuid_canonical(const char *s, char out[UUID_STRLEN + 1]);

#endif
