#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# zabbix-mib.sh: contrib/zabbix's template against NUMA-TOPOLOGY-MIB without a Zabbix server
# (tests/zabbix.sh is the one with a server): every value map is an enum of the MIB, names and
# numbers; every enum column the template polls has its value map; the trap items are one per
# notification, each key matching its own trap OID only. tests/zabbix-mib.py does the checks.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init zabbix-mib
nt_need python3
nt_need_mibs
python3 -c 'import yaml' 2>/dev/null ||
	nt__skip_or_fail "python3 has no yaml module (apt-get install python3-yaml)"

TEMPLATE=$TESTS_DIR/../contrib/zabbix/template_numatopd_snmp.yaml
python3 "$TESTS_DIR/zabbix-mib.py" "$TEMPLATE" "$MIBSRC/NUMA-TOPOLOGY-MIB.txt" \
	"$SHARED_MIBS/NET-SNMP-MIB.txt" "$SHARED_MIBS/SNMPv2-TC.txt" >"$NT_DIR/check.out" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok: "*) nt_pass "${line#ok: }" ;;
	"FAIL: "*) nt_fail "${line#FAIL: }" ;;
	*) nt_fail "zabbix-mib.py: $line" ;;
	esac
done <"$NT_DIR/check.out"
# a crash that printed nothing, or ok lines with a failing exit, is a failure too
[ $rc = 0 ] || [ "$NT_FAILED" -gt 0 ] || nt_fail "zabbix-mib.py exited $rc"
grep -q '^ok: 13 trap items' "$NT_DIR/check.out" || nt_fail "no check of the 13 trap items ran"
nt_done
