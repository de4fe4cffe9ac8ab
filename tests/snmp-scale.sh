#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# snmp-scale.sh: 1,000 generated VMs on a real 8-node sysfs tree of the corpus (48amd64): the
# bulk walk of the whole subtree still equals --dump=json, and how long it takes is printed
# (measured, not asserted: the machine may be loaded).
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/walklib.sh"
nt_init snmp-scale
nt_need snmpd snmpbulkwalk snmpget snmpgetnext numatopd
nt_need_mibs
wl_init

: "${CORPUS:=$TESTS_DIR/../../shared/corpus}"
SYS=$CORPUS/hwloc/48amd64-4pa2n6c-sparse/sys
[ -d "$SYS/devices/system/node" ] ||
	nt__skip_or_fail "corpus host $SYS not found (CORPUS='$CORPUS')"
N=1000
VMS=$NT_DIR/vms

t0=$(wl_ms)
sh "$TESTS_DIR/genvms.sh" "$SYS" "$VMS" $N 1000 || nt_fail "genvms.sh failed"
gen_ms=$(($(wl_ms) - t0))
[ "$(find "$VMS" -name '*.xml' | wc -l)" -eq $N ] && nt_pass "$N VM files generated" ||
	nt_fail "$(find "$VMS" -name '*.xml' | wc -l) VM files, want $N"

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$SYS" --libvirt-xml-dir "$VMS" || exit 1
nt_wait_numatopd_registered || exit 1

got=$(nt_snmp snmpget -Ovq -OU numaVmCount.0 2>&1)
[ "$got" = $N ] && nt_pass "numaVmCount.0 = $N" || nt_fail "numaVmCount.0 = '$got', want $N"

# snmpwalk (one GETNEXT per instance) is left out here: snmp-hosts.sh covers it
json=$NT_DIR/scale.json
"$NUMATOPD" --dump=json --sysfs-root "$SYS" --libvirt-xml-dir "$VMS" >"$json" 2>/dev/null ||
	nt_fail "--dump=json failed"
wl_bulkwalk "$NT_DIR/scale.bulk" || nt_fail "snmpbulkwalk: $(head -n 3 "$NT_DIR/scale.bulk.err")"
n=$(wc -l <"$NT_DIR/scale.bulk" | tr -d ' ')
wl_check "48amd64 + $N VMs" "snmpbulkwalk -Cr$WL_REPS" "$json" "$NT_DIR/scale.bulk"

secs() {
	awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'
}
echo "measured: genvms.sh, $N VMs: $(secs $gen_ms) s"
echo "measured: snmpbulkwalk -Cr$WL_REPS of the subtree, 48amd64 + $N VMs: $n varbinds in" \
	"$(secs "$WL_BULK_MS") s"
nt_done
