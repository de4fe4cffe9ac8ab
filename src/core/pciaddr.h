/* SPDX-License-Identifier: BSD-3-Clause */
/* pciaddr.h: a host PCI address (domain:bus:slot.function) as libvirt's XML gives it and as
 * sysfs names it, written the one way the MIB shows it ("0000:3b:00.1"). Pure: no I/O. */
#ifndef NUMATOPD_PCIADDR_H
#define NUMATOPD_PCIADDR_H

#include <stddef.h>
#include <stdint.h>

/* "ffffffff:ff:1f.7" and its NUL: libvirt allows 32-bit domains (Intel VMD uses 10000 up). */
#define PCI_ADDR_STRLEN 17

struct pci_addr {
	uint32_t domain;
	unsigned bus;	   /* 0..0xff */
	unsigned slot;	   /* 0..0x1f */
	unsigned function; /* 0..7 */
};

/* The canonical text: lower-case hex, domain at least 4 digits ("%04x:%02x:%02x.%x"). */
void pci_addr_format(const struct pci_addr *a, char out[PCI_ADDR_STRLEN]);
/* A sysfs device name in that form (upper-case hex accepted, nothing around it). Returns 0, or
 * -1 when s is not one (a non-PCI parent such as "css0" or "matrix"). */
int pci_addr_parse(const char *s, struct pci_addr *out);
/* Order by domain, bus, slot, function. */
int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b);

/* A number in C's base-0 syntax, as libvirt reads PCI address attributes (strtoul with base 0):
 * "0x3b" is hex, "073" octal, "59" decimal; blanks before it and a '+' are allowed, nothing
 * after it. Returns 0 and *out <= max, or -1 with a reason in err. */
int pci_number_parse(const char *s, uint64_t max, uint64_t *out, char *err, size_t errlen);

#endif
