/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_vm.c: numaVmTable (R.1.3), one row per VM, INDEX { numaVmIndex }: identity, size and
 * where it is placed (rules R1, R10 and the per-VM values of the README). */
#include "snmp/mib_table.h"

#define AT(member, kind) MIB_AT(struct vm_row, member, kind)

static const struct mib_column columns[] = {
    {2, "numaVmName", SMI_SNMPADMINSTRING, AT(name, TEXT)},
    {3, "numaVmUuid", SMI_DISPLAYSTRING, AT(uuid, TEXT)},
    {4, "numaVmDisplayName", SMI_SNMPADMINSTRING, AT(display_name, TEXT)},
    {5, "numaVmState", SMI_ENUM, AT(state, ENUM)},
    {6, "numaVmPid", SMI_UNSIGNED32, AT(pid, U64)},
    {7, "numaVmVcpus", SMI_GAUGE32, AT(vcpus, U32)},
    {8, "numaVmVcpusMax", SMI_GAUGE32, AT(vcpus_max, U32)},
    {9, "numaVmMemory", SMI_COUNTERBASEDGAUGE64, AT(memory, U64)},
    {10, "numaVmPlacement", SMI_ENUM, AT(placement, ENUM)},
    {11, "numaVmNodes", SMI_DISPLAYSTRING, AT(nodes, LIST)},
    {12, "numaVmMemMode", SMI_ENUM, AT(mem_mode, ENUM)},
    {13, "numaVmRemoteVcpus", SMI_GAUGE32, AT(remote_vcpus, U32)},
    {14, "numaVmHugepageSize", SMI_UNSIGNED32, AT(huge_kib, U64)},
    {15, "numaVmEmulatorCpus", SMI_DISPLAYSTRING, AT(emulator_cpus, LIST)},
    {16, "numaVmDomainId", SMI_INTEGER32, AT(domain_id, I64)},
    {17, "numaVmMemoryMiB", SMI_GAUGE32, AT(memory, MEBI)},
    {18, "numaVmEmulatorCpuBitmap", SMI_CPUBITMAP, AT(emulator_cpus, LIST)},
    {19, "numaVmMemDevices", SMI_COUNTERBASEDGAUGE64, AT(mem_devices, U64)},
    {20, "numaVmMemPersistent", SMI_COUNTERBASEDGAUGE64, AT(mem_persistent, U64)},
    {21, "numaVmMemEnclave", SMI_COUNTERBASEDGAUGE64, AT(mem_enclave, U64)},
    {22, "numaVmRemoteDevices", SMI_GAUGE32, AT(remote_devices, U32)},
    {23, "numaVmRuntimeState", SMI_ENUM, AT(run_state, ENUM)},
    {24, "numaVmMemResident", SMI_COUNTERBASEDGAUGE64, AT(mem_resident, U64)},
    {25, "numaVmMemStray", SMI_COUNTERBASEDGAUGE64, AT(mem_stray, U64)},
    /* Gauge32 companions of the byte counts added after 17, in MiB rounded down, saturated */
    {26, "numaVmMemDevicesMiB", SMI_GAUGE32, AT(mem_devices, MEBI)},
    {27, "numaVmMemPersistentMiB", SMI_GAUGE32, AT(mem_persistent, MEBI)},
    {28, "numaVmMemEnclaveMiB", SMI_GAUGE32, AT(mem_enclave, MEBI)},
    {29, "numaVmMemResidentMiB", SMI_GAUGE32, AT(mem_resident, MEBI)},
    {30, "numaVmMemStrayMiB", SMI_GAUGE32, AT(mem_stray, MEBI)},
};

static size_t lower(const struct model *m, const uint32_t idx[])
{
	return model_vm_lower(m, idx[0]);
}

const struct mib_table mib_vm_table = {
    .name = "numaVmTable",
    MIB_TABLE_ENTRY(3),
    MIB_COLUMNS(columns),
    MIB_ROWS(vms, nvms),
    MIB_KEYS(MIB_KEY(struct vm_row, index, U32)),
    .lower = lower,
};
