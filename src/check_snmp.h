/* SPDX-License-Identifier: BSD-3-Clause */
/* check_snmp.h: check_numa's second source: the figures of a remote numatopd read over SNMP
 * (numaNodeTable, numaHugepageTable, three scalars) into the rows core/check judges. */
#ifndef NUMATOPD_CHECK_SNMP_H
#define NUMATOPD_CHECK_SNMP_H

#include <stddef.h>

#include "core/model.h"

struct check_snmp_target {
	const char *host;      /* Net-SNMP peer name: host, host:port, udp6:[::1]:161 */
	const char *community; /* SNMPv2c */
	unsigned timeout;      /* the plugin's, seconds: a request waits half of it */
	/* SNMPv3 (USM) when secname is set: level noAuthNoPriv, authNoPriv or authPriv;
	 * protocols as Net-SNMP names them (MD5, SHA, SHA-256 ...; DES, AES ...) */
	const char *secname, *seclevel, *authproto, *authpass, *privproto, *privpass;
};

/* The model as far as the MIB serves it: node rows (percentages, headrooms, CPU limit; the
 * memory limit is not served: UINT64_MAX), hugepage rows, the VM count (rows without
 * content), invalid files and source status. NULL with one sentence in err. */
struct model *check_snmp_read(const struct check_snmp_target *t, char *err, size_t errlen);

#endif
