/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_device.c: numaVmDeviceTable (R.1.8), one row per passthrough PCI device of a VM, INDEX
 * { numaVmIndex, numaVmDeviceIndex }: its host address, kind, node and whether it is remote. */
#include "snmp/mib_table.h"

#define AT(member, kind) MIB_AT(struct dev_row, member, kind)

static const struct mib_column columns[] = {
    {2, "numaVmDeviceAddress", SMI_DISPLAYSTRING, AT(address, TEXT)},
    {3, "numaVmDeviceKind", SMI_ENUM, AT(kind, ENUM)},
    {4, "numaVmDeviceNode", SMI_INTEGER32, AT(node, INT)},
    {5, "numaVmDeviceRemote", SMI_TRUTHVALUE, AT(remote, BOOL)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_dev_lower(m, idx[0], idx[1]);
}

const struct mib_table mib_device_table = {
    .name = "numaVmDeviceTable",
    MIB_TABLE_ENTRY(8),
    MIB_COLUMNS(columns),
    MIB_ROWS(devs, ndevs),
    MIB_KEYS(MIB_KEY(struct dev_row, vm, U32), MIB_KEY(struct dev_row, ord, U32)),
    .lower = lower,
};
