/* SPDX-License-Identifier: BSD-3-Clause */
/* pcidev.c: the NUMA node of each passthrough device the VMs name, from the PCI sysfs tree; a
 * mediated device's through its parent. Only the devices named are read: a few files each. */
#include "source/pcidev.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cpuset.h"
#include "core/util.h"
#include "source/read_file.h"

int pcidev_parse_node(const char *buf, size_t len)
{
	size_t n = trim_end(buf, len);
	uint64_t v;

	if (n == 2 && memcmp(buf, "-1", 2) == 0)
		return -1;
	if (parse_u64(buf, n, CPUSET_MAX_NODES - 1, &v, NULL, 0) < 0)
		return -1;
	return (int)v;
}

int pcidev_parse_parent(const char *target, struct pci_addr *out)
{
	char buf[PATH_MAX], *slash;
	size_t n = strlen(target);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, target, n + 1);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	/* drop the last component (the mdev itself): the one before it is the parent */
	if ((slash = strrchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	slash = strrchr(buf, '/');
	return pci_addr_parse(slash ? slash + 1 : buf, out);
}

/* root/bus/pci/devices/ADDR: found when it is there, with its numa_node. */
static void read_pci(const char *root, struct host_dev *d)
{
	char addr[PCI_ADDR_STRLEN], *dir, *path, *buf, why[ERRLEN];
	struct stat st;
	size_t len;

	pci_addr_format(&d->addr, addr);
	dir = xasprintf("%s/bus/pci/devices/%s", root, addr);
	path = xasprintf("%s/numa_node", dir);
	d->node = -1;
	d->found = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (d->found && read_file(path, 64, false, &buf, &len, NULL, why, sizeof(why)) == 0) {
		d->node = pcidev_parse_node(buf, len);
		free(buf);
	}
	free(path);
	free(dir);
}

/* The link's target, read into a bounded buffer and never followed: only its text names the
 * parent. */
static void read_mdev(const char *root, struct host_dev *d)
{
	char *link = xasprintf("%s/bus/mdev/devices/%s", root, d->uuid), target[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof(target));

	free(link);
	d->node = -1;
	d->found = false;
	if (n <= 0 || (size_t)n >= sizeof(target))
		return;
	target[n] = '\0';
	if (pcidev_parse_parent(target, &d->addr) < 0) {
		d->not_pci = true;
		return;
	}
	read_pci(root, d);
}

static int cmp_dev(const void *a, const void *b)
{
	return host_dev_cmp(a, b);
}

/* One entry per distinct device, sorted. */
static void collect(struct vm *const *vms, size_t nvms, struct host *h)
{
	size_t cap = 0, i, j, k = 0;

	for (i = 0; i < nvms; i++) {
		for (j = 0; vms[i] != NULL && j < vms[i]->ndevs; j++) {
			const struct vm_dev *v = &vms[i]->devs[j];
			struct host_dev *d = array_push(&h->devs, &h->ndevs, &cap, sizeof(*d));

			memset(d, 0, sizeof(*d));
			d->kind = v->kind;
			if (v->kind == DEV_KIND_MDEV)
				memcpy(d->uuid, v->uuid, sizeof(d->uuid));
			else
				d->addr = v->addr;
		}
	}
	if (h->ndevs > 1)
		qsort(h->devs, h->ndevs, sizeof(*h->devs), cmp_dev);
	for (i = 0; i < h->ndevs; i++)
		if (k == 0 || host_dev_cmp(&h->devs[k - 1], &h->devs[i]) != 0)
			h->devs[k++] = h->devs[i];
	h->ndevs = k;
}

void pcidev_read(const char *root, struct vm *const *vms, size_t nvms, struct host *h)
{
	size_t i;

	free(h->devs);
	h->devs = NULL;
	h->ndevs = 0;
	collect(vms, nvms, h);
	for (i = 0; i < h->ndevs; i++) {
		if (h->devs[i].kind == DEV_KIND_MDEV)
			read_mdev(root, &h->devs[i]);
		else
			read_pci(root, &h->devs[i]);
	}
}
