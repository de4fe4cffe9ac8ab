#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# pcidev.sh: passthrough devices and numastat over SNMP, on fixtures/pcihost (README "Passthrough
# devices"): a full walk equals --dump=json, numaVmDeviceTable and the numastat columns through
# snmptable and GET (a node without numastat is a hole, not 0), and numaVmRemoteDevice raised at
# startup for the VMs pinned away from their GPU and from their network pool's VF, then cleared
# for the first when it is re-pinned onto the GPU's node, through a private snmpd and snmptrapd.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/walklib.sh"
nt_init pcidev
nt_need snmpd snmptrapd snmpwalk snmpbulkwalk snmpget snmptable numatopd
nt_need_mibs
wl_init

FX=${FIXTURES:-$TESTS_DIR/../fixtures}/pcihost
# the sysfs tree with its mdev link, which a release tarball does not keep (copy.sh says why)
sh "$FX/copy.sh" "$NT_DIR/pcihost" || exit 99
SYSROOT=$NT_DIR/pcihost/sys
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
TAB=$(printf '\t')
QEMU=$NT_DIR/qemu
CONF=$NT_DIR/numatopd.conf
mkdir "$QEMU" && cp "$FX"/libvirt/*.xml "$QEMU/" || exit 99
printf 'agentxPingInterval 1\neventDelay 200\nrefreshInterval 600\n' >"$CONF"

nt_start_trapd || nt_done
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" </dev/null || nt_done
nt_start_numatopd -c "$CONF" --sysfs-root "$SYSROOT" --libvirt-xml-dir "$QEMU" || nt_done
nt_wait_numatopd_registered || nt_done

# ---------------------------------------------------------------- 1. walk = --dump
wl_compare "device host" -- -c "$CONF" --sysfs-root "$SYSROOT" --libvirt-xml-dir "$QEMU"
# the network pool's VF in the dump the walk was compared with (one VM a line)
POOL_JSON='"pci_devices":[{"address":"0000:3b:02.2","kind":"pci","node":0,"remote":true}],"remote_pci_devices":1'
if grep '"name":"nfv-pool"' "$NT_DIR/cmp$WL_N.json" | grep -qF -- "$POOL_JSON"; then
	nt_pass "--dump=json: nfv-pool's pci_devices lists its pool's VF, remote"
else
	nt_fail "--dump=json: nfv-pool has no $POOL_JSON"
fi

# ---------------------------------------------------------------- 2. numaVmDeviceTable
table() {
	nt_snmp snmptable -Ci -OU "$1" 2>&1 | tr -s ' ' | sed 's/^ //; s/ $//' >"$NT_DIR/$1"
	echo "----- snmptable $1" && cat "$NT_DIR/$1"
}
has_line() {
	if grep -qxF "$2" "$NT_DIR/$1"; then
		nt_pass "$1: '$2'"
	else
		nt_fail "$1: no line '$2'"
	fi
}
table numaVmDeviceTable
has_line numaVmDeviceTable \
	"index numaVmDeviceAddress numaVmDeviceKind numaVmDeviceNode numaVmDeviceRemote"
has_line numaVmDeviceTable "31.1 0000:3b:02.1 pci 0 false"
has_line numaVmDeviceTable "32.1 0000:af:00.0 pci 1 true"
has_line numaVmDeviceTable "33.1 0000:d8:00.0 mdev 1 false"
# nfv-pool: a VF of the node-0 NIC from a network pool (only the status file's <actual
# type='hostdev'> names it; its virtio NIC is no device), the VM pinned to node 1
has_line numaVmDeviceTable "34.1 0000:3b:02.2 pci 0 true"
# absent-dev (plain domain, UUID-derived index): missing device, platform-silent one, missing
# mdev (empty address: snmptable shows nothing for it)
absent=$(awk '$2 == "0000:5e:00.0" { sub(/\..*/, "", $1); print $1 }' "$NT_DIR/numaVmDeviceTable")
has_line numaVmDeviceTable "$absent.1 0000:5e:00.0 pci -1 false"
has_line numaVmDeviceTable "$absent.2 0000:00:1f.6 pci -1 false"
[ "$(grep -c '^[0-9][0-9.]* ' "$NT_DIR/numaVmDeviceTable")" -eq 8 ] &&
	nt_pass "numaVmDeviceTable: 8 rows (6 VMs)" ||
	nt_fail "numaVmDeviceTable: $(grep -c '^[0-9][0-9.]* ' "$NT_DIR/numaVmDeviceTable") rows, want 8"

expect_get() {
	eg__got=$(nt_snmp snmpget -Ovq -OU "$1" 2>&1)
	if [ "$eg__got" = "$2" ]; then
		nt_pass "GET $1 = '$2'"
	else
		nt_fail "GET $1 = '$eg__got', want '$2'"
	fi
}
expect_get numaVmRemoteDevices.32 1
expect_get numaVmRemoteDevices.31 0
expect_get numaVmRemoteDevices.34 1
expect_get "numaVmDeviceAddress.$absent.3" ''
expect_get numaNodeAssignedDevices.0 2
expect_get numaNodeAssignedDevices.1 3

# ---------------------------------------------------------------- 3. numastat
table numaNodeTable
expect_get numaNodeNumaHit.0 5183012
expect_get numaNodeNumaMiss.0 1024
expect_get numaNodeNumaForeign.0 2048
expect_get numaNodeInterleaveHit.0 37113
expect_get numaNodeLocalNode.0 5180377
expect_get numaNodeOtherNode.0 3659
# node 1 has no numastat file: no value at all, and a walk steps over it
expect_get numaNodeNumaHit.1 'No Such Instance currently exists at this OID'
got=$(nt_snmp snmpgetnext -Os -OU numaNodeNumaHit.0 2>&1)
case $got in
numaNodeNumaMiss.0*) nt_pass "GETNEXT numaNodeNumaHit.0 skips node 1's hole: $got" ;;
*) nt_fail "GETNEXT numaNodeNumaHit.0 = '$got', want numaNodeNumaMiss.0" ;;
esac

# ---------------------------------------------------------------- 4. numaVmRemoteDevice
# (notifyOnStartup is on by default: gpu-remote and nfv-pool are remote from the first model)
UUID=7d2f1c3a-5b6e-4f80-9a1b-2c3d4e5f6a02
UP=$(nt_trap_re $ROOT.0.9 "$ROOT.1.3.1.2.32 = STRING: \"gpu-remote\"" "$ROOT.1.3.1.3.32 = STRING: \"$UUID\"" \
	"$ROOT.1.3.1.22.32 = Gauge32: 1" "$ROOT.1.8.1.2.32.1 = STRING: \"0000:af:00.0\"" \
	"$ROOT.1.8.1.4.32.1 = INTEGER: 1")
DOWN=$(nt_trap_re $ROOT.0.10 "$ROOT.1.3.1.2.32 = STRING: \"gpu-remote\"" \
	"$ROOT.1.3.1.3.32 = STRING: \"$UUID\"" "$ROOT.1.3.1.22.32 = Gauge32: 0" \
	"$ROOT.1.8.1.2.32.1 = STRING: \"0000:af:00.0\"" "$ROOT.1.8.1.4.32.1 = INTEGER: 1")
POOL=$(nt_trap_re $ROOT.0.9 "$ROOT.1.3.1.2.34 = STRING: \"nfv-pool\"" \
	"$ROOT.1.3.1.3.34 = STRING: \"7d2f1c3a-5b6e-4f80-9a1b-2c3d4e5f6a06\"" \
	"$ROOT.1.3.1.22.34 = Gauge32: 1" "$ROOT.1.8.1.2.34.1 = STRING: \"0000:3b:02.2\"" \
	"$ROOT.1.8.1.4.34.1 = INTEGER: 0")
if nt_wait_for_trap "$(nt_re "OID: $ROOT.0.9")" 10 && nt_traps | grep -E -q -- "$UP"; then
	nt_pass "startup: numaVmRemoteDevice for gpu-remote (32), its GPU 0000:af:00.0 on node 1"
	echo "----- received" && nt_traps | grep -E -- "$(nt_re "OID: $ROOT.0.9")"
else
	nt_fail "no numaVmRemoteDevice for VM 32 with its row and device; received:"
	nt_traps | tail -n 5 >&2
fi
if nt_wait_for_trap "$(nt_re "$ROOT.1.3.1.2.34 = STRING: \"nfv-pool\"")" 10 &&
	nt_traps | grep -E -q -- "$POOL"; then
	nt_pass "startup: numaVmRemoteDevice for nfv-pool (34), its pool's VF 0000:3b:02.2 on node 0"
else
	nt_fail "no numaVmRemoteDevice for VM 34 with its row and VF; received:"
	nt_traps | tail -n 5 >&2
fi
[ "$(nt_traps | grep -c -E -- "$(nt_re "OID: $ROOT.0.9")$TAB")" -eq 2 ] &&
	nt_pass "only gpu-remote and nfv-pool raise (local, floating, unknown-node and defined VMs do not)" ||
	nt_fail "$(nt_traps | grep -c -E -- "$(nt_re "OID: $ROOT.0.9")$TAB") numaVmRemoteDevice, want 2"
# re-pinned onto node 1, written as libvirt writes it
sed -e "s/cpuset='2'/cpuset='4'/; s/cpuset='3'/cpuset='5'/; s/nodeset='0'/nodeset='1'/" \
	"$QEMU/gpu-remote.xml" >"$QEMU/gpu-remote.xml.new" && mv "$QEMU/gpu-remote.xml.new" \
	"$QEMU/gpu-remote.xml"
if nt_wait_for_trap "$(nt_re "OID: $ROOT.0.10")" 10 && nt_traps | grep -E -q -- "$DOWN"; then
	nt_pass "re-pinned onto node 1: numaVmRemoteDeviceCleared, 0 remote devices"
else
	nt_fail "no numaVmRemoteDeviceCleared after the re-pin; received:"
	nt_traps | tail -n 3 >&2
fi
expect_get numaVmDeviceRemote.32.1 false
nt_done
