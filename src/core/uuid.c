/* SPDX-License-Identifier: BSD-3-Clause */
/* uuid.c: libvirt's UUID syntax into the canonical lowercase 8-4-4-4-12 form, so that two
 * spellings of one UUID are one MIB value. Pure. */
#include "core/uuid.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* One hex digit (the caller checked it with isxdigit()) in lowercase. */
static char hex_lower(char c)
{
	static const char hex[] = "0123456789abcdef";

	return hex[strchr(hex, tolower((unsigned char)c)) - hex];
}

int uuid_canonical(const char *s, char out[UUID_STRLEN + 1])
{
	size_t i = 0, o = 0;

	while (isspace((unsigned char)*s))
		s++;
	while (i < 16) {
		if (*s == '-' || *s == ' ') {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -1;
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex_lower(s[0]);
		out[o++] = hex_lower(s[1]);
		s += 2;
		i++;
	}
	while (isspace((unsigned char)*s))
		s++;
	out[o] = '\0';
	return *s == '\0' ? 0 : -1;
}
