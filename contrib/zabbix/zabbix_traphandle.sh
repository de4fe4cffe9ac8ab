#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# contrib/zabbix/zabbix_traphandle.sh: an snmptrapd traphandle that appends each trap to Zabbix's
# SNMPTrapperFile in the record format Zabbix reads ("<time> ZBXTRAP <address>", then the trap),
# for hosts without snmptrapd's embedded Perl (zabbix_trap_receiver.pl does the same in Perl).
#
# snmptrapd.conf:  traphandle default /bin/sh /path/to/zabbix_traphandle.sh /var/log/snmptrap/snmptrap.log
# (run snmptrapd with -n -On: numeric addresses, and OIDs the template's snmptrap[] keys match
# whether or not the receiver loads NUMA-TOPOLOGY-MIB). The address must be the one of the
# host's SNMP interface in Zabbix, or the trap is "unmatched".
#
# snmptrapd hands the trap on stdin: the sender's host name, its transport address
# ("UDP: [192.0.2.7]:40000->[192.0.2.1]:162"), then one "OID value" line per varbind.

file=${1:?usage: zabbix_traphandle.sh SNMPTrapperFile}
IFS= read -r host || exit 0
IFS= read -r transport || transport=
addr=$(printf '%s\n' "$transport" | sed -n 's/^[A-Za-z0-9]*: *\[\([^]]*\)\].*/\1/p')
trap=$(cat)
# one write per record, so records of handlers running side by side do not interleave
printf '%s ZBXTRAP %s\n%s\n%s\n' "$(date '+%Y-%m-%dT%H:%M:%S')" "${addr:-$host}" "$transport" \
	"$trap" >>"$file"
