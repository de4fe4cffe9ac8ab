/* SPDX-License-Identifier: BSD-3-Clause */
/* account_dev.c: one VM's passthrough devices: each device's node (from the host's sysfs
 * lookup), the remote rule, the device rows and the per-node device counts. */
#include "core/account_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* "PCI device 0000:3b:00.1 does not exist on the host; its node is unknown" */
static void warn_dev(struct ctx *c, const struct vmctx *v, const struct vm_dev *d,
		     const struct host_dev *hd, const char *addr)
{
	char msg[256];

	if (d->kind == DEV_KIND_PCI)
		snprintf(msg, sizeof(msg),
			 "PCI device %s does not exist on the host; its node is unknown", addr);
	else if (hd != NULL && hd->not_pci)
		snprintf(msg, sizeof(msg),
			 "mediated device %s has no PCI parent; its node is unknown", d->uuid);
	else
		snprintf(msg, sizeof(msg),
			 "mediated device %s does not exist on the host; its node is unknown",
			 d->uuid);
	model_add_problem(&c->m->warnings, &c->m->nwarnings, v->file, msg);
}

/* The remote rule: the device's node is known and holds nothing of the VM, which has a node
 * (a floating VM is not judged). */
bool account_dev_remote(int node, const struct cpuset *vm_nodes)
{
	return node >= 0 && !cpuset_empty(vm_nodes) && !cpuset_test(vm_nodes, (unsigned)node);
}

static void emit_dev(struct ctx *c, const struct vmctx *v, size_t i,
		     const struct cpuset *nodes, struct vm_row *r)
{
	const struct vm_dev *d = &v->vm->devs[i];
	const struct host_dev *hd =
	    host_dev_find(c->topo.host, d->kind, &d->addr, d->kind == DEV_KIND_MDEV ? d->uuid : "");
	struct dev_row *row = array_push(&c->m->devs, &c->m->ndevs, &c->capdevs, sizeof(*row));
	char addr[PCI_ADDR_STRLEN] = "";
	size_t p;

	if (d->kind == DEV_KIND_PCI)
		pci_addr_format(&d->addr, addr);
	else if (hd != NULL && hd->found)
		pci_addr_format(&hd->addr, addr); /* the parent's */
	row->vm = v->index;
	row->ord = (unsigned)i + 1;
	row->address = xstrdup(addr);
	row->kind = d->kind;
	row->node = hd != NULL && hd->found ? hd->node : -1;
	row->remote = account_dev_remote(row->node, nodes);
	if (hd == NULL || !hd->found)
		warn_dev(c, v, d, hd, addr);
	if (row->remote)
		add_uns(&r->remote_devices, 1);
	p = row->node >= 0 ? topo_pos(&c->topo, (unsigned)row->node) : NO_POS;
	if (p != NO_POS)
		add_uns(&c->acc[p].pci_devices, 1);
}

void account_devs(struct ctx *c, const struct vmctx *v, const struct cpuset *nodes,
		  struct vm_row *r)
{
	size_t i;

	for (i = 0; i < v->vm->ndevs; i++)
		emit_dev(c, v, i, nodes, r);
}
