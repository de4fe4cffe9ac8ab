/* SPDX-License-Identifier: BSD-3-Clause */
/* mib_root.h: where NUMA-TOPOLOGY-MIB hangs in the OID tree, on its own so that the tables, the
 * notifications and the tests name the root without pulling in registration or the snapshot. */
#ifndef NUMATOPD_MIB_ROOT_H
#define NUMATOPD_MIB_ROOT_H

/* The provisional root, 1.3.6.1.4.1.8072.9999.9999.6862 (netSnmpPlaypen.6862): the one place
 * in the code that names it. Change it here (and in mibs/NUMA-TOPOLOGY-MIB.txt) when a private
 * enterprise number is assigned. */
#define NUMA_MIB_ROOT	  1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 6862
#define NUMA_MIB_ROOT_LEN 10

#endif
