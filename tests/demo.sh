#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# demo.sh (`make demo`): a private snmpd (AgentX on a temp unix socket, UDP on 127.0.0.1, a
# free port) and numatopd on the bundled fixture host; prints the node, VM and assignment
# tables with snmptable, then stops both. Nothing is installed or left behind.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
top=$(cd "$TESTS_DIR/.." && pwd)
: "${FIXTURES:=$top/fixtures}" "${MIBSRC:=$top/mibs}" "${NUMATOPD:=$PWD/numatopd}"
# the IETF base modules: ../shared/mibs beside a CI checkout, else the copies in tests/mibs
[ -r "${SHARED_MIBS:-}/SNMPv2-SMI.txt" ] || SHARED_MIBS=$top/../shared/mibs
[ -r "$SHARED_MIBS/SNMPv2-SMI.txt" ] || SHARED_MIBS=$top/tests/mibs
export FIXTURES MIBSRC NUMATOPD SHARED_MIBS TESTS_DIR
. "$TESTS_DIR/lib.sh"
nt_init demo

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir "$FIXTURES/host/libvirt" || exit 1
nt_wait_numatopd_registered || exit 1

echo "numatopd on the fixture host ($FIXTURES/host), served by a private snmpd at $NT_TARGET"
for t in numaNodeTable numaVmTable numaVmAssignTable; do
	echo
	echo "\$ snmptable -v2c -c public -m NUMA-TOPOLOGY-MIB -Cb -Ci $NT_TARGET $t"
	nt_snmp snmptable -Cb -Ci -OU "$t" || exit 1
done
echo
echo "Invalid files numatopd logged while reading the fixtures:"
grep -E 'broken|skipped' "$NT_DIR/numatopd.log" | sed 's/^/  /'
