/* SPDX-License-Identifier: BSD-3-Clause */
/* pcidev.h: the passthrough devices the VMs name, looked up below a sysfs root: each PCI
 * device's numa_node, each mediated device's parent (bus/mdev/devices/UUID links to it). */
#ifndef NUMATOPD_PCIDEV_H
#define NUMATOPD_PCIDEV_H

#include <stddef.h>

#include "core/host.h"
#include "core/vm.h"

/* Fill h->devs with one entry per distinct device of vms (NULL entries skipped), replacing what
 * h held: root/bus/pci/devices/DDDD:BB:SS.F/numa_node ("-1": the platform does not say), and
 * for an mdev the target of root/bus/mdev/devices/UUID, whose parent directory names its PCI
 * device. Never fails: a device that is not there is an entry with found false and node -1. */
void pcidev_read(const char *root, struct vm *const *vms, size_t nvms, struct host *h);

/* A numa_node file's content: the node, or -1 for "-1", anything unreadable or a node id
 * over the limit. Pure; public for its tests. */
int pcidev_parse_node(const char *buf, size_t len);
/* The parent of a mediated device from its link target ("../../../devices/pci0000:00/
 * 0000:00:02.0/<uuid>"): 0 with the address, -1 when the parent is not a PCI device. */
int pcidev_parse_parent(const char *target, struct pci_addr *out);

#endif
