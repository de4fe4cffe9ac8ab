#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# snmp.sh: numatopd as the AgentX subagent of a private snmpd on the fixture host, through the
# real clients: walks equal to --dump=json, exact GETs from fixtures/host/expected.tsv, GETNEXT at
# table edges, snmptable, read-only SETs, SIGHUP reload (good, bad, -c file gone), SIGTERM, bad
# config, the daemon without -f (config checked first, relative paths, ping default), and
# GETBULKs answered from one snapshot while rebuilds run between their repetitions.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/walklib.sh"
nt_init snmp
nt_need snmpd snmpwalk snmpbulkwalk snmpget snmpgetnext snmptable snmpset numatopd
nt_need_mibs
wl_init

HOST=${FIXTURES:-$TESTS_DIR/../fixtures}/host
TSV=$HOST/expected.tsv
CONF=$NT_DIR/numatopd.conf
# agentxPingInterval: how often the subagent pings (and retries) its master; 1 s keeps a lost
# master short
printf 'agentxPingInterval 1\ncpuAllocationRatio 1.0\n' >"$CONF"

# sysORTable: the master's table, where numatopd announces numaCompliance (section 5b)
NT_SNMPD_MODULES=$NT_SNMPD_MODULES,sysORTable
# the master forwards SETs to the subagent only for a community allowed to write
nt_start_snmpd 'rwcommunity private 127.0.0.1' </dev/null || exit 1
nt_start_numatopd -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" || exit 1
nt_wait_numatopd_registered || exit 1
pid=$NT_NUMATOPD_PID

# ---------------------------------------------------------------- 1. walks = model
wl_compare "fixture host" -- -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt"
echo "measured: snmpbulkwalk -Cr$WL_REPS of the subtree, fixture host: $WL_BULK_N varbinds in" \
	"$(awk -v ms="$WL_BULK_MS" 'BEGIN { printf "%.2f", ms / 1000 }') s"
walk=$NT_DIR/cmp1.bulk

# ---------------------------------------------------------------- 2. GET, exact values

tsv() {
	awk -F '\t' -v k="$1" '$1 == k { print $2; found = 1; exit } END { exit !found }' "$TSV"
}

# -Ir: the client must not refuse an index outside the MIB range before asking
get() {
	nt_snmp snmpget -Ir -Ovq -OU "$1" 2>&1
}

expect_get() {
	got=$(get "$1")
	if [ "$got" = "$2" ]; then
		nt_pass "GET $1 = '$2'"
	else
		nt_fail "GET $1 = '$got', want '$2'"
	fi
}

# numaVmIndex by name, from a walk of numaVmName: "INDEX NAME" lines
nt_snmp snmpwalk -Os -Oq -OU numaVmName >"$NT_DIR/names" 2>&1
sed -n 's/^numaVmName\.\([0-9]*\) \(.*\)$/\1 \2/p' "$NT_DIR/names" >"$NT_DIR/index"
index_of() {
	awk -v n="$1" '$2 == n { print $1; exit }' "$NT_DIR/index"
}
[ "$(wc -l <"$NT_DIR/index")" -eq 14 ] && nt_pass "numaVmName has the 14 VMs" ||
	nt_fail "numaVmName walk: $(cat "$NT_DIR/names")"
for vm in web-local misaligned huge-1g; do
	ix=$(index_of $vm)
	[ "$ix" = "$(tsv "vms[$vm].index")" ] && nt_pass "$vm has numaVmIndex $ix" ||
		nt_fail "$vm: numaVmIndex '$ix', want $(tsv "vms[$vm].index")"
done
BATCH=$(index_of batch-span)
case $BATCH in
'' | *[!0-9]*) nt_fail "no numaVmIndex for batch-span" ;;
*) [ "$BATCH" -ge 1073741824 ] && [ "$BATCH" -le 2147483647 ] &&
	nt_pass "batch-span (no domain id) has the UUID-derived index $BATCH" ||
	nt_fail "batch-span index $BATCH not in 1073741824..2147483647" ;;
esac

floor_mib() {
	awk '{ q = int($1 / 1048576); if (q * 1048576 > $1) q--; print q }'
}

# Node and hugepage columns: "OBJECT.INSTANCE KEY" (KEY of expected.tsv, or =LITERAL). MiB:
# numaNodeMemHeadroom is the byte headroom floored to MiB.
while read -r obj key; do
	case $key in
	=*) want=${key#=} ;;
	mib:*) want=$(tsv "${key#mib:}" | floor_mib) ;;
	*) want=$(tsv "$key") || { nt_fail "$key not in $TSV"; continue; } ;;
	esac
	expect_get "$obj" "$want"
done <<'EOF'
numaNodeCount.0 =4
numaVmCount.0 =14
numaVmFloatingCount.0 =1
numaVmMisalignedCount.0 =2
numaInvalidFiles.0 errors.count
numaSourceStatus.0 =degraded
numaCpuAllocationRatio.0 =100
numaNodeCpuList.1 nodes[1].cpus
numaNodeCpuList.6 nodes[6].cpus
numaNodeCpuCapacity.4 nodes[4].cpu_capacity
numaNodeMemCapacity.6 nodes[6].memory_total_bytes
numaNodeVcpusBound.4 nodes[4].vcpus_bound
numaNodeVcpusSpanning.1 nodes[1].vcpus_spanning
numaNodeMemUsed.0 nodes[0].memory_used_bytes
numaNodeMemSpanning.0 nodes[0].memory_spanning_bytes
numaNodeVmCount.6 nodes[6].vm_count
numaNodeCpuHeadroom.4 nodes[4].cpu_headroom
numaNodeMemHeadroom.4 mib:nodes[4].memory_headroom_bytes
numaNodeMemHeadroom.0 mib:nodes[0].memory_headroom_bytes
numaNodeCpuOversubscribed.4 nodes[4].cpu_oversubscribed
numaNodeCpuOversubscribed.0 nodes[0].cpu_oversubscribed
numaNodeMemOversubscribed.4 nodes[4].memory_oversubscribed
numaNodeHugepagesOversubscribed.1 nodes[1].hugepages_oversubscribed
numaHugepageVmDemand.1.1048576 nodes[1].hugepages[1048576].vm_demand
numaHugepageVmDemand.0.2048 nodes[0].hugepages[2048].vm_demand
numaHugepageTotal.0.1048576 nodes[0].hugepages[1048576].total
numaHugepageFree.4.2048 nodes[4].hugepages[2048].free
numaHugepageOversubscribed.1.1048576 =true
numaNodeDistanceValue.0.6 =41
numaNodeDistanceValue.4.1 =21
numaNodeDistanceValue.6.6 =10
EOF

# VM columns: "OBJECT VM SUFFIX FIELD": instance = numaVmIndex of VM + SUFFIX ("-": none), the
# value vms[VM].FIELD of expected.tsv; a floating vCPU's node "null" is -1 on the wire.
while read -r obj vm suffix field; do
	[ "$suffix" = - ] && suffix=
	want=$(tsv "vms[$vm].$field") || { nt_fail "vms[$vm].$field not in $TSV"; continue; }
	[ "$want" = null ] && want=-1
	expect_get "$obj.$(index_of "$vm")$suffix" "$want"
done <<'EOF'
numaVmState web-local - state
numaVmPlacement misaligned - placement
numaVmMemMode misaligned - memory_mode
numaVmRemoteVcpus misaligned - remote_vcpus
numaVmEmulatorCpus web-local - emulator_cpus
numaVmHugepageSize huge-1g - hugepage_size_kib
numaVmMemory db-multinode - memory_bytes
numaVmMemDevices db-multinode - memory_devices_bytes
numaVmMemPersistent db-multinode - memory_persistent_bytes
numaVmMemEnclave db-multinode - memory_enclave_bytes
numaVmNodes hotplug-live - nodes
numaVmVcpus hotplug-cfg - vcpus
numaVmVcpusMax hotplug-cfg - vcpus_max
numaVmState hotplug-cfg - state
numaVmDisplayName instance-0000002a - display_name
numaVmPlacement batch-span - placement
numaVmAssignVcpusSpanning batch-span .1 assign[1].vcpus_spanning
numaVmAssignMemory batch-span .0 assign[0].memory_bytes
numaVmAssignMemSpanning batch-span .1 assign[1].memory_spanning_bytes
numaVmAssignVcpus hotplug-live .4 assign[4].vcpus
numaVmAssignMemory hotplug-live .0 assign[0].memory_bytes
numaVcpuNode batch-span .0 vcpu_pins[0].node
numaVcpuAffinity batch-span .0 vcpu_pins[0].cpus
numaVcpuRemote misaligned .1 vcpu_pins[1].remote
numaVcpuGuestCell misaligned .1 vcpu_pins[1].cell
numaVcpuAffinity hotplug-live .2 vcpu_pins[2].cpus
numaVcpuNode app-partial .1 vcpu_pins[1].node
EOF
expect_get "numaVmName.$(tsv 'vms[web-local].index')" web-local
expect_get "numaVmName.$(tsv 'vms[misaligned].index')" misaligned

# rows that do not exist; a column that does not exist
WEB=$(tsv 'vms[web-local].index')
LIVE=$(tsv 'vms[hotplug-live].index')
for o in numaVmName.13 numaNodeCpuCapacity.5 "$WL_ROOT.1.2.1.3.4294967295" numaVcpuNode.$WEB.2 \
	numaVcpuNode.$LIVE.1 numaHugepageTotal.0.4 numaNodeDistanceValue.0.2 \
	numaVmAssignVcpus.$WEB.1 numaNodeCpuCapacity numaNodeCpuCapacity.0.0; do
	expect_get "$o" 'No Such Instance currently exists at this OID'
done
expect_get "$WL_ROOT.1.2.1.99.0" 'No Such Object available on this agent at this OID'

# The Gauge32 companions in MiB, rounded down: batch-span's 1025 MiB are split evenly over
# nodes 0 and 1, so each node's spanning memory (and node 0's used memory) is not a whole MiB
b=$(tsv 'nodes[0].memory_spanning_bytes')
[ $((b % 1048576)) -ne 0 ] && nt_pass "node 0's spanning memory ($b bytes) is not a multiple of 1 MiB" ||
	nt_fail "fixture changed: node 0's spanning memory $b is a multiple of 1 MiB"
while read -r obj key; do
	expect_get "$obj" "$(tsv "$key" | floor_mib)"
done <<'EOF'
numaNodeMemCapacityMiB.6 nodes[6].memory_total_bytes
numaNodeMemFreeMiB.0 nodes[0].memory_free_bytes
numaNodeMemUsedMiB.0 nodes[0].memory_used_bytes
numaNodeMemSpanningMiB.0 nodes[0].memory_spanning_bytes
numaNodeMemSpanningMiB.1 nodes[1].memory_spanning_bytes
EOF
expect_get numaNodeMemSpanningMiB.0 512
expect_get "numaVmMemoryMiB.$BATCH" "$(tsv 'vms[batch-span].memory_bytes' | floor_mib)"
expect_get "numaVmAssignMemoryMiB.$BATCH.0" 512
expect_get "numaVmAssignMemSpanningMiB.$BATCH.1" 512
# the companions appended later (runtime ones: tests/prometheus.sh, where runtime reads are on)
DB=$(tsv 'vms[db-multinode].index')
expect_get "numaVmMemDevicesMiB.$DB" "$(tsv 'vms[db-multinode].memory_devices_bytes' | floor_mib)"
expect_get "numaVmMemPersistentMiB.$DB" 0
expect_get "numaVmMemEnclaveMiB.$DB" 0
# runtime reads off here: the resident companions are 0, as their byte columns
expect_get numaNodeMemResidentByVmsMiB.0 0
expect_get "numaVmMemResidentMiB.$DB" 0
expect_get "numaVmMemStrayMiB.$DB" 0
expect_get "numaVmAssignMemResidentMiB.$DB.0" 0
# CpuBitmaps (DISPLAY-HINT "1x:"): node 4 is CPUs 8-11,20-23; node 6 has none; web-local's
# emulator is pinned to 12-13
expect_get numaNodeCpuBitmap.4 '0:f0:f'
expect_get numaNodeCpuBitmap.6 ''
expect_get "numaVmEmulatorCpuBitmap.$WEB" '0:c'

# ---------------------------------------------------------------- 3. GETNEXT at the edges

# the OID name GETNEXT lands on, or "end" (endOfMibView, or an OID outside the MIB)
next_of() {
	nt_snmp snmpgetnext -Ir -On "$1" >"$NT_DIR/next" 2>&1
	if grep -q "^$(nt_re "$WL_ROOT")\\.[0-9.]* = " "$NT_DIR/next" &&
		! grep -q 'No more variables' "$NT_DIR/next"; then
		nt_snmp snmpgetnext -Ir -Os -Oq "$1" 2>&1 | awk '{ print $1 }'
	elif grep -q -e 'No more variables' -e '^\.1\.[0-9.]* = ' "$NT_DIR/next"; then
		echo end
	else
		cat "$NT_DIR/next"
	fi
}

expect_next() {
	got=$(next_of "$1")
	if [ "$got" = "$2" ]; then
		nt_pass "GETNEXT $1 -> $2"
	else
		nt_fail "GETNEXT $1 -> '$got', want '$2'"
	fi
}

# the last instance of a column in the bulk walk of step 1
last_of() {
	grep "^$(nt_re "$WL_ROOT.$1")\\." "$walk" | tail -n 1 | sed 's/ = .*//'
}

last_vm=$(sort -n "$NT_DIR/index" | tail -n 1 | cut -d ' ' -f 1)
expect_next numaTopologyMIB numaNodeCount.0
expect_next numaNodeTable numaNodeCpuList.0
expect_next numaMemAllocationRatio.0 numaNodeCpuList.0
expect_next numaNodeCpuList.6 numaNodeCpuCapacity.0
expect_next numaNodeCpuCapacity.1 numaNodeCpuCapacity.4
expect_next "$WL_ROOT.1.2.1.2.4294967295" numaNodeCpuCapacity.0
# web-local has the lowest numaVmIndex, and rows on node 0
expect_next numaNodeHugepagesOversubscribed.6 numaNodeMemCapacityMiB.0
expect_next numaNodeCpuBitmap.6 numaNodeAssignedDevices.0
# nodes 0, 1 and 4 of the fixture host have numastat files, node 6 has none: its cells in
# columns 24..29 are holes that GETNEXT steps over
expect_next numaNodeAssignedDevices.6 numaNodeNumaHit.0
expect_next numaNodeNumaHit.4 numaNodeNumaMiss.0
expect_next numaNodeOtherNode.4 numaNodeMemResidentByVms.0
expect_next numaNodeVcpusRunning.6 numaNodeMemResidentByVmsMiB.0
expect_next numaNodeMemResidentByVmsMiB.6 "numaVmName.$WEB"
expect_next "numaVmEmulatorCpus.$last_vm" "numaVmDomainId.$WEB"
expect_next "numaVmDomainId.$last_vm" "numaVmMemoryMiB.$WEB"
expect_next "numaVmEmulatorCpuBitmap.$last_vm" "numaVmMemDevices.$WEB"
expect_next "numaVmMemEnclave.$last_vm" "numaVmRemoteDevices.$WEB"
expect_next "numaVmRemoteDevices.$last_vm" "numaVmRuntimeState.$WEB"
expect_next "numaVmMemStray.$last_vm" "numaVmMemDevicesMiB.$WEB"
expect_next "numaVmMemStrayMiB.$last_vm" "numaVmAssignVcpus.$WEB.0"
expect_next "$(last_of 1.4.1.4)" "numaVmAssignMemoryMiB.$WEB.0"
expect_next "$(last_of 1.4.1.6)" "numaVmAssignMemResident.$WEB.0"
expect_next "$(last_of 1.4.1.7)" "numaVmAssignMemResidentMiB.$WEB.0"
expect_next "$(last_of 1.4.1.8)" "numaVcpuAffinity.$WEB.0"
expect_next "$(last_of 1.5.1.6)" "numaVcpuAffinityBitmap.$WEB.0"
expect_next "$(last_of 1.5.1.7)" "numaVcpuActualAffinity.$WEB.0"
expect_next "$(last_of 1.5.1.11)" numaNodeDistanceValue.0.0
expect_next numaHugepageTotal.1 numaHugepageTotal.1.2048
expect_next numaHugepageTotal.6.1048576 numaHugepageFree.0.2048
expect_next numaHugepageOversubscribed.6.1048576 end
expect_next numaHugepageTable.2 end

# ---------------------------------------------------------------- 4. snmptable
# (-Cf takes the next word, which nt_snmp would take for an operand: the default layout,
# blanks squeezed, -OU for values without units)
nt_snmp snmptable -Ci -OU numaNodeTable 2>&1 | tr -s ' ' | sed 's/^ //; s/ $//' >"$NT_DIR/table"
cols=index
for c in CpuList CpuCapacity MemCapacity MemFree VcpusBound VcpusSpanning MemUsed MemSpanning \
	VmCount CpuHeadroom MemHeadroom CpuUsedPercent MemUsedPercent CpuOversubscribed \
	MemOversubscribed HugepagesOversubscribed MemCapacityMiB MemFreeMiB MemUsedMiB \
	MemSpanningMiB CpuBitmap AssignedDevices NumaHit NumaMiss NumaForeign InterleaveHit \
	LocalNode OtherNode MemResidentByVms VcpusRunning MemResidentByVmsMiB; do
	cols="$cols numaNode$c"
done
if grep -qxF "$cols" "$NT_DIR/table"; then
	nt_pass "snmptable numaNodeTable: all 31 columns named"
else
	nt_fail "snmptable numaNodeTable header, want '$cols':"
	cat "$NT_DIR/table" >&2
fi
row4='4 8-11,20-23 8 17179869184 536870912 15 0 17179869184 0 4 -7 -2048 188 115 true true false'
row4="$row4 16384 512 16384 0 0:f0:f 0 9444444 2148 1074 37113 9441844 5400 0 0 0"
grep -qxF "$row4" "$NT_DIR/table" && nt_pass "snmptable: the row of node 4" ||
	nt_fail "snmptable: no row '$row4' in: $(cat "$NT_DIR/table")"
# node 6 has no numastat file: snmptable shows each hole as '?'
grep -q '^6 .* 0 ? ? ? ? ? ? 0 0 0$' "$NT_DIR/table" && nt_pass "snmptable: node 6's numastat cells are holes" ||
	nt_fail "snmptable: node 6's numastat cells are not holes: $(grep '^6 ' "$NT_DIR/table")"
[ "$(grep -c '^[0-9][0-9]* ' "$NT_DIR/table")" -eq 4 ] && nt_pass "snmptable: 4 rows" ||
	nt_fail "snmptable: $(grep -c '^[0-9][0-9]* ' "$NT_DIR/table") rows, want 4"

# ---------------------------------------------------------------- 5. read-only
if nt_snmp snmpset -c private numaNodeCpuCapacity.0 u 9 >"$NT_DIR/set" 2>&1; then
	nt_fail "snmpset numaNodeCpuCapacity.0 succeeded: $(cat "$NT_DIR/set")"
elif grep -q 'Reason: notWritable' "$NT_DIR/set"; then
	nt_pass "snmpset (rwcommunity) refused: $(grep Reason "$NT_DIR/set")"
else
	# noAccess would be the master's VACM refusing the community, never reaching numatopd
	nt_fail "snmpset failed without notWritable: $(cat "$NT_DIR/set")"
fi
expect_get numaNodeCpuCapacity.0 "$(tsv 'nodes[0].cpu_capacity')"

# ---------------------------------------------------------------- 5b. sysORTable
# numaCompliance is in the master's sysORTable (the subagent's AddAgentCaps), with its text
SYSOR=.1.3.6.1.2.1.1.9.1
COMPLIANCE=.1.3.6.1.4.1.8072.9999.9999.6862.2.1.1
sysor_index() {
	nt_snmp snmpwalk -m '' -On -Oq $SYSOR.2 2>/dev/null |
		awk -v c="$COMPLIANCE" '$2 == c { n = split($1, a, "."); print a[n]; exit }'
}
ix=$(sysor_index)
if [ -n "$ix" ]; then
	nt_snmp snmpwalk -Oq sysORTable 2>&1 | grep "\.$ix " >"$NT_DIR/sysor"
	echo "measured: snmpwalk sysORTable, numatopd's row:"
	sed 's/^/  /' "$NT_DIR/sysor"
	grep -q '^SNMPv2-MIB::sysORDescr\.[0-9]* NUMA-TOPOLOGY-MIB (numatopd): ' "$NT_DIR/sysor" &&
		nt_pass "sysORTable: sysORID.$ix = numaCompliance, with its sysORDescr" ||
		nt_fail "sysORTable row $ix: $(cat "$NT_DIR/sysor")"
else
	nt_fail "sysORTable: no sysORID = $COMPLIANCE: $(nt_snmp snmpwalk -m '' -On $SYSOR 2>&1)"
fi

# ---------------------------------------------------------------- 6. SIGHUP reload
ratio_is() {
	[ "$(get numaCpuAllocationRatio.0)" = "$1" ]
}

printf 'agentxPingInterval 1\ncpuAllocationRatio 1.5\n' >"$CONF"
kill -HUP "$pid"
if nt__poll 50 ratio_is 150; then
	nt_pass "SIGHUP: numaCpuAllocationRatio.0 = 150"
else
	nt_fail "SIGHUP: numaCpuAllocationRatio.0 = '$(get numaCpuAllocationRatio.0)', want 150"
fi
# CPU limit floor(8 x 1.5) = 12: node 4 (15 bound) 12 - 15, node 0 (8 bound) 12 - 8
expect_get numaNodeCpuHeadroom.4 -3
expect_get numaNodeCpuHeadroom.0 4
expect_get numaNodeCpuOversubscribed.4 true
wl_compare "after SIGHUP, ratio 1.5" -- -c "$CONF" --sysfs-root "$HOST/sys" \
	--libvirt-xml-dir "$HOST/libvirt"
nt_wait_for_line "$NT_DIR/numatopd.log" 'configuration reloaded' 2 &&
	nt_pass "reload logged" || nt_fail "no 'configuration reloaded' in the log"

# an invalid value: the old configuration stays, one error names file and line
printf 'agentxPingInterval 1\ncpuAllocationRatio 2.0\nmemAllocationRatio banana\n' >"$CONF"
kill -HUP "$pid"
if nt_wait_for_line "$NT_DIR/numatopd.log" "$(nt_re "$CONF"): line 3" 5; then
	nt_pass "bad reload: error names $CONF: line 3"
	grep -q 'keeping the previous configuration' "$NT_DIR/numatopd.log" &&
		nt_pass "bad reload: says it keeps the previous configuration" ||
		nt_fail "bad reload: no 'keeping the previous configuration'"
else
	nt_fail "bad reload: no '$CONF: line 3' error in the log"
fi
nt_alive "$pid" && nt_pass "bad reload: numatopd still runs" || nt_fail "bad reload: numatopd died"
expect_get numaCpuAllocationRatio.0 150
expect_get numaNodeCpuHeadroom.4 -3
expect_get numaMemAllocationRatio.0 100

# the -c file gone: not an empty file (every default) but an error; the old configuration stays
printf 'agentxPingInterval 1\ncpuAllocationRatio 1.5\n' >"$CONF"
mv "$CONF" "$CONF.away"
kill -HUP "$pid"
if nt_wait_for_line "$NT_DIR/numatopd.log" \
	"$(nt_re "$CONF"): No such file or directory; keeping the previous configuration" 5; then
	nt_pass "reload without the -c file: logged, keeps the previous configuration"
else
	nt_fail "reload without the -c file: no '$CONF: No such file...; keeping' line:" \
		"$(tail -n 3 "$NT_DIR/numatopd.log")"
fi
expect_get numaCpuAllocationRatio.0 150
nt_alive "$pid" && nt_pass "reload without the -c file: numatopd still runs" ||
	nt_fail "reload without the -c file: numatopd died"
mv "$CONF.away" "$CONF"

# limits of 0 with something used: the used percentage has no instance for that row (README R9),
# never 4294967295. CPU limit floor(8 x 0.1) = 0 on every node; node 0 keeps no memory at all.
printf 'agentxPingInterval 1\ncpuAllocationRatio 0.1\nreservedMemory 0 16G\n' >"$CONF"
kill -HUP "$pid"
if nt__poll 50 ratio_is 10; then
	nt_pass "SIGHUP: numaCpuAllocationRatio.0 = 10"
	expect_get numaNodeCpuUsedPercent.4 'No Such Instance currently exists at this OID'
	expect_get numaNodeMemUsedPercent.0 'No Such Instance currently exists at this OID'
	expect_get numaNodeCpuOversubscribed.4 true
	expect_get numaNodeMemOversubscribed.0 true
	expect_get numaNodeCpuUsedPercent.6 0
	expect_next numaNodeCpuUsedPercent numaNodeCpuUsedPercent.6
	expect_next numaNodeMemUsedPercent numaNodeMemUsedPercent.1
	expect_next numaNodeMemHeadroom.6 numaNodeCpuUsedPercent.6
	wl_compare "limits of 0" -- -c "$CONF" --sysfs-root "$HOST/sys" \
		--libvirt-xml-dir "$HOST/libvirt"
	grep -q '"cpu_used_percent":4294967295,"memory_used_percent":4294967295,"cpu_used_percent_defined":false,"memory_used_percent_defined":false' \
		"$NT_DIR/cmp$WL_N.json" &&
		nt_pass "--dump=json: node 0 keeps its old percent values, *_defined false" ||
		nt_fail "--dump=json: node 0: $(grep -o '"cpu_used_percent[^}]*' "$NT_DIR/cmp$WL_N.json" | head -n 1)"
	pct1=$(sed -n 's/.*{"id":1,[^}]*"memory_used_percent":\([0-9]*\),.*/\1/p' "$NT_DIR/cmp$WL_N.json")
	expect_get numaNodeMemUsedPercent.1 "${pct1:-missing from the dump}"
else
	nt_fail "SIGHUP: numaCpuAllocationRatio.0 = '$(get numaCpuAllocationRatio.0)', want 10"
fi
printf 'agentxPingInterval 1\ncpuAllocationRatio 1.5\n' >"$CONF"

# ---------------------------------------------------------------- 7. SIGTERM
t0=$(wl_ms)
kill -TERM "$pid"
if nt__poll 50 nt__gone "$pid"; then
	st=0
	wait "$pid" || st=$?
	[ $st -eq 0 ] && nt_pass "SIGTERM: exit 0 after $(($(wl_ms) - t0)) ms" ||
		nt_fail "SIGTERM: exit status $st"
else
	nt_fail "SIGTERM: numatopd still runs after 5 s"
fi
NT_NUMATOPD_PID=
wl_wait_gone && nt_pass "after SIGTERM the subtree is gone from the master" ||
	nt_fail "5 s after SIGTERM a GETNEXT on the root still lands in the subtree"
[ -z "$(sysor_index)" ] && nt_pass "after SIGTERM numaCompliance has left sysORTable" ||
	nt_fail "after SIGTERM sysORTable still lists numaCompliance"

# ---------------------------------------------------------------- 8. invalid config at start
# "LINES|LINE": exit 1 and a message naming the file and LINE, whoever parses the directive:
# numatopd itself (cpuAllocationRatio, agentxPingInterval: 1..3600 as --dump checks, although
# init_agent() registers the library's own parser) or nobody (an unknown one). A numatopd that
# starts anyway is stopped after 10 s.
while IFS='|' read -r lines line; do
	# shellcheck disable=SC2059 # the \n in LINES are printf's
	printf "$lines" >"$NT_DIR/bad.conf"
	last=${lines%\\n}
	what="invalid config at start (${last##*\\n})"
	st=0
	MIBS='' timeout 10 "$NUMATOPD" -f -x "$NT_AGENTX" -c "$NT_DIR/bad.conf" \
		--sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" \
		</dev/null >"$NT_DIR/bad.out" 2>&1 || st=$?
	[ $st -eq 1 ] && nt_pass "$what: exit 1" ||
		nt_fail "$what: exit $st: $(cat "$NT_DIR/bad.out")"
	grep -q "$(nt_re "$NT_DIR/bad.conf"): line $line" "$NT_DIR/bad.out" &&
		nt_pass "$what: names bad.conf: line $line" ||
		nt_fail "$what: no 'bad.conf: line $line' in: $(cat "$NT_DIR/bad.out")"
done <<'EOF2'
refreshInterval 10\ncpuAllocationRatio -1\n|2
refreshInterval 10\nfrobnicate yes\n|2
cpuAllocationRatio 1.5\nagentxPingInterval banana\n|2
refreshInterval 10\nagentxPingInterval 99999\n|2
EOF2

# ---------------------------------------------------------------- 9. without -f
# The configuration is checked before numatopd detaches: the error reaches the terminal and the
# exit status. The paths of the command line are relative to where it was started, although the
# daemon moves to /. A daemon that starts anyway is found by its (unique) command line.
daemon_pid() {
	ps -eo pid=,args= | awk -v bin="$NUMATOPD" -v d="$NT_DIR/" '$2 == bin && index($0, d) {
		print $1 }'
}

printf 'refreshInterval 10\ncpuAllocationRatio 1.5x\n' >"$NT_DIR/bad.conf"
st=0
MIBS='' timeout 10 "$NUMATOPD" -x "$NT_AGENTX" -c "$NT_DIR/bad.conf" --sysfs-root "$HOST/sys" \
	--libvirt-xml-dir "$HOST/libvirt" </dev/null >"$NT_DIR/bad.out" 2>&1 || st=$?
[ $st -eq 1 ] && nt_pass "without -f, invalid config: exit 1" ||
	nt_fail "without -f, invalid config: exit $st: $(cat "$NT_DIR/bad.out")"
grep -q "$(nt_re "$NT_DIR/bad.conf"): line 2" "$NT_DIR/bad.out" &&
	nt_pass "without -f, invalid config: the error names bad.conf: line 2" ||
	nt_fail "without -f, invalid config: no 'bad.conf: line 2' in: $(cat "$NT_DIR/bad.out")"
for p in $(daemon_pid); do kill "$p"; done

# no agentxPingInterval: the default, 5 s, is how soon numatopd finds a master that starts
# after it (Net-SNMP's own default would be 15 s)
nt_stop_snmpd
mkdir "$NT_DIR/rel" && cp -R "$HOST/sys" "$HOST/libvirt" "$NT_DIR/rel/" &&
	printf 'cpuAllocationRatio 1.5\nruntimeInterval 0\n' >"$NT_DIR/rel/rel.conf" || exit 1
st=0
# -x unix:../agentx.sock is the master's socket, relative to the start directory too
(cd "$NT_DIR/rel" && MIBS='' "$NUMATOPD" -x unix:../agentx.sock -Lf "$NT_DIR/daemon.log" \
	-c rel.conf --sysfs-root sys --libvirt-xml-dir libvirt --state-dir . </dev/null \
	>"$NT_DIR/daemon.out" 2>&1) ||
	st=$?
[ $st -eq 0 ] && nt_pass "without -f, relative paths: the parent exits 0" ||
	nt_fail "without -f, relative paths: exit $st: $(cat "$NT_DIR/daemon.out")"
nt_wait_for_line "$NT_DIR/daemon.log" 'numatopd .* started' 5 || :
# no master yet: the address tried and the reason, not the library's "([NIL]):"
grep -Eq "AgentX master unix:$(nt_re "$NT_DIR/rel/../agentx.sock"): (No such file or directory|Connection refused); trying again every 5 s" \
	"$NT_DIR/daemon.log" && ! grep -q "NIL" "$NT_DIR/daemon.log" &&
	nt_pass "no master: the log names the address and errno" ||
	nt_fail "no master: $(grep -i agentx "$NT_DIR/daemon.log" | head -n 3)"
dpid=$(daemon_pid)
case $dpid in
'' | *[!0-9]*) nt_fail "without -f: no single daemon running ('$dpid')" ;;
*) nt_track "$dpid"
	nt_pass "without -f: the daemon runs (pid $dpid)" ;;
esac
t0=$(nt__now)
nt_start_snmpd 'rwcommunity private 127.0.0.1' </dev/null || exit 1
vcpus_back() {
	[ "$(nt_snmp snmpget -t 1 -r 0 -Ovq -OU numaNodeVcpusBound.4 2>/dev/null)" = 15 ]
}
if nt__poll 100 vcpus_back; then
	t=$(($(nt__now) - t0))
	nt_pass "master started after numatopd: rows after $((t / 10)).$((t % 10)) s (ping 5 s)"
else
	nt_fail "master started after numatopd: no rows within 10 s (agentxPingInterval not 5?)"
fi
# relative -c, --sysfs-root, --libvirt-xml-dir and -x unix:, resolved against the start directory
expect_get numaCpuAllocationRatio.0 150
expect_get numaNodeCount.0 4
expect_get numaVmCount.0 14
[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
nt__poll 50 nt__gone "$dpid" || nt_fail "the daemon $dpid did not stop on SIGTERM"

# ---------------------------------------------------------------- 10. GETBULK, one snapshot
# snmpd's master sends each repetition of a GETBULK as its own AgentX GetNext; numatopd rebuilds
# between them (eventDelay 0: at every change of the directory). Every answer must still come
# from one snapshot: in numaVmTable every column the answer holds whole has the same rows. One
# VM file goes away and comes back without pause meanwhile; two GETBULKs at a time, so that the
# PDUs of two transactions interleave.
VMS=$NT_DIR/vms
mkdir "$VMS" && sh "$TESTS_DIR/genvms.sh" "$HOST/sys" "$VMS" 30 7 >/dev/null || exit 1
printf 'agentxPingInterval 1\nrefreshInterval 1\neventDelay 0\nnotifications no\n' \
	>"$NT_DIR/bulk.conf"
nt_start_numatopd -c "$NT_DIR/bulk.conf" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$VMS" ||
	exit 1
nt_wait_numatopd_registered || exit 1
# g0015-*.xml: <domain id='15'>, numaVmIndex 15
moving=$(cd "$VMS" && ls | sed -n 15p)
moving_ix=15
# Under valgrind numatopd rebuilds 20-50 times slower: a tight loop would keep it rebuilding
# without end and starve the requests: there the VM is away 0.2 s, back 0.2 s.
pause=0
[ "${NUMATOPD_VALGRIND:-0}" = 1 ] && pause=0.2
(while :; do
	mv "$VMS/$moving" "$NT_DIR/$moving" || exit 1
	[ "$pause" = 0 ] || sleep "$pause"
	mv "$NT_DIR/$moving" "$VMS/$moving" || exit 1
	[ "$pause" = 0 ] || sleep "$pause"
done) &
churn=$!
nt_track "$churn"

bulk() {
	snmpbulkget -v2c -c public -t $((5 * ${NT_SLOW:-1})) -r 1 -m '' -On -Cn0 -Cr200 \
		"$NT_TARGET" "$WL_ROOT.1.3.1" \
		>"$1" 2>&1
}

# check_bulk FILE: per column the row indexes, in order (the last column may be cut by the
# repetitions); 0 one snapshot, 1 torn, 2 not an answer
check_bulk() {
	awk -v root="$WL_ROOT.1.3.1." '
		index($1, root) == 1 {
			split(substr($1, length(root) + 1), p, ".")
			if (!(p[1] in rows)) order[++n] = p[1]
			rows[p[1]] = rows[p[1]] " " p[2]
		}
		END {
			if (n < 3) { print "only " n " columns"; exit 2 }
			for (k = 2; k < n; k++)
				if (rows[order[k]] != rows[order[1]]) {
					print "column " order[k] ":" rows[order[k]] " / column " \
						order[1] ":" rows[order[1]]
					exit 1
				}
			print n - 1 " whole columns of " split(rows[order[1]], x, " ") " rows"
		}' "$1" >"$1.check"
}

torn=0 with=0 without=0 n=0 i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	bulk "$NT_DIR/bulk.$i.a" &
	other=$!
	bulk "$NT_DIR/bulk.$i.b"
	wait "$other"
	for f in "$NT_DIR/bulk.$i.a" "$NT_DIR/bulk.$i.b"; do
		n=$((n + 1))
		check_bulk "$f"
		case $? in
		0) ;;
		1) torn=$((torn + 1)) ;;
		*) nt_fail "GETBULK $f: $(cat "$f.check"): $(head -n 3 "$f")" ;;
		esac
		if grep -q "^$(nt_re "$WL_ROOT.1.3.1.")[0-9]*\\.$moving_ix = " "$f"; then
			with=$((with + 1))
		else
			without=$((without + 1))
		fi
	done
done
kill "$churn"
[ $torn -eq 0 ] && nt_pass "GETBULK under rebuilds: $n answers, each from one snapshot" ||
	nt_fail "GETBULK under rebuilds: $torn of $n answers mix two snapshots, e.g." \
		"$(cat "$NT_DIR"/bulk.*.check | grep "^column" | head -n 1)"
# the check means something only if the table did change between the requests
[ $with -gt 0 ] && [ $without -gt 0 ] &&
	nt_pass "GETBULK under rebuilds: the moving VM was in $with answers, not in $without" ||
	nt_fail "GETBULK under rebuilds: the moving VM was in $with answers, not in $without"
nt_stop_numatopd

nt_done
