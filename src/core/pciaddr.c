/* SPDX-License-Identifier: BSD-3-Clause */
/* pciaddr.c: PCI addresses: libvirt's base-0 attribute numbers, sysfs device names and the one
 * canonical text the MIB and --dump show. Pure. */
#include "core/pciaddr.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void pci_addr_format(const struct pci_addr *a, char out[PCI_ADDR_STRLEN])
{
	snprintf(out, PCI_ADDR_STRLEN, "%04x:%02x:%02x.%x", (unsigned)a->domain, a->bus & 0xffu,
		 a->slot & 0x1fu, a->function & 7u);
}

/* n hex digits (1..max) at *p, advanced past them. */
static int hex_field(const char **p, size_t min, size_t max, unsigned long *out)
{
	const char *s = *p;
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]) && n <= max)
		n++;
	if (n < min || n > max)
		return -1;
	*out = strtoul(s, NULL, 16); /* at most 8 hex digits: fits */
	*p = s + n;
	return 0;
}

int pci_addr_parse(const char *s, struct pci_addr *out)
{
	unsigned long d, b, sl, f;

	if (hex_field(&s, 4, 8, &d) < 0 || *s++ != ':' || hex_field(&s, 2, 2, &b) < 0 ||
	    *s++ != ':' || hex_field(&s, 2, 2, &sl) < 0 || *s++ != '.' ||
	    hex_field(&s, 1, 1, &f) < 0 || *s != '\0' || sl > 0x1f || f > 7)
		return -1;
	out->domain = (uint32_t)d;
	out->bus = (unsigned)b;
	out->slot = (unsigned)sl;
	out->function = (unsigned)f;
	return 0;
}

int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->slot != b->slot)
		return a->slot < b->slot ? -1 : 1;
	return (a->function > b->function) - (a->function < b->function);
}

int pci_number_parse(const char *s, uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+')
		s++;
	/* strtoull() would take a second sign ("+-1") and wrap a negative number */
	if (!isdigit((unsigned char)*s)) {
		err_set(err, errlen, "not a number");
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || *end != '\0') {
		err_set(err, errlen, "not a number");
		return -1;
	}
	if (errno == ERANGE || v > max) {
		err_set(err, errlen, "over %llu", (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}
