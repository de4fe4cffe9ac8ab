#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# snmptt.sh: contrib/snmptt/numatopd.conf against the real snmptt (standalone mode). A private
# snmptrapd hands every notification it receives to snmptt twice, through its traphandle: once
# as snmptt's documentation recommends (numeric OIDs, no MIB: net_snmp_perl_enable = 0) and
# once with the Net-SNMP Perl module and NUMA-TOPOLOGY-MIB loaded (names and enum labels
# translated). numatopd runs on the fixture host under a private snmpd whose trap2sink is that
# snmptrapd: at start it raises what is already true (node 4's CPU and memory, node 1's 1 GiB
# hugepages, 2 invalid XML files); VM files moved away clear each. Then numatopd restarts on
# fixtures/pcihost (numaVmRemoteDevice for the VMs pinned away from their GPU and their pool's
# VF; the first re-pinned clears) and on fixtures/runtime with its /proc and cgroup trees
# (numaVmGone for the three dead QEMU processes, numaVmPlacementDrift for the three drifted VMs;
# the escaped vCPU put back clears). Every line snmptt logs is checked whole: severity,
# category, source address, message with node or VM and values.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init snmptt
nt_need snmpd snmptrapd snmpget numatopd
nt_need_mibs
asked=${SNMPTT:-}
SNMPTT=$(nt__resolve SNMPTT snmptt) ||
	nt__skip_or_fail "snmptt not found (SNMPTT='$asked'; apt-get install snmptt)"

FIXTURES=${FIXTURES:-$TESTS_DIR/../fixtures}
FX=$FIXTURES/host
CONTRIB=$TESTS_DIR/../contrib/snmptt/numatopd.conf
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
QEMU=$NT_DIR/qemu
AWAY=$NT_DIR/away

# ------------------------------------------------------------------ the configuration itself

# Every notification of the MIB has one EVENT, with the MIB's descriptor and OID, and no EVENT
# names anything else.
mib_events() {
	awk '/^[a-zA-Z][a-zA-Z0-9]* +NOTIFICATION-TYPE/ { name = $1 }
		name != "" && /::= *\{ *numaNotifications [0-9]+ *\}/ {
			gsub(/[^0-9]/, "", $0); print name " .1.3.6.1.4.1.8072.9999.9999.6862.0." $0
			name = "" }' "$MIBSRC/NUMA-TOPOLOGY-MIB.txt" | sort
}
conf_events() {
	awk '$1 == "EVENT" { print $2 " " $3 }' "$CONTRIB" | sort
}
if [ "$(mib_events | wc -l)" -eq 13 ] && [ "$(mib_events)" = "$(conf_events)" ]; then
	nt_pass "one EVENT per notification of the MIB (13), with its descriptor and OID"
else
	nt_fail "the EVENTs of $CONTRIB differ from the MIB's notifications (< MIB, > conf):"
	mib_events >"$NT_DIR/mib-events.out"
	conf_events | diff "$NT_DIR/mib-events.out" - >&2
fi

# ------------------------------------------------------------------ snmptt set-up

# write_ini NAME PERL: $NT_DIR/NAME.ini logging to $NT_DIR/NAME.log (unknown traps to
# NAME-unknown.log); no syslog, database, daemon or EXEC. PERL 1: the Net-SNMP Perl module
# translates, with NUMA-TOPOLOGY-MIB loaded (MIBDIRS comes from the traphandle line).
write_ini() {
	cat >"$NT_DIR/$1.ini" <<EOF
[General]
snmptt_system_name = test
mode = standalone
multiple_event = 1
dns_enable = 0
net_snmp_perl_enable = $2
mibs_environment = NUMA-TOPOLOGY-MIB
translate_log_trap_oid = 0
translate_integers = 1
translate_varname_oid_format = 1
allow_unsafe_regex = 0
[Logging]
stdout_enable = 0
log_enable = 1
log_file = $NT_DIR/$1.log
log_system_enable = 0
unknown_trap_log_enable = 1
unknown_trap_log_file = $NT_DIR/$1-unknown.log
syslog_enable = 0
syslog_system_enable = 0
[Exec]
exec_enable = 0
pre_exec_enable = 0
[Debugging]
DEBUGGING = 0
[TrapFiles]
snmptt_conf_files = <<END
$CONTRIB
END
EOF
}
write_ini plain 0
write_ini perl 1

# snmptt --dump: snmptt reads the file and defines 13 EVENTs, each with its FORMAT
"$SNMPTT" --ini="$NT_DIR/plain.ini" --dump >"$NT_DIR/dump.out" 2>"$NT_DIR/dump.err"
if grep -q -x '13 EVENTs found that contain at least the mandatory FORMAT line' \
	"$NT_DIR/dump.out" && [ "$(grep -c "^Event: $(nt_re "$ROOT.0.")[1-9][0-9]* => " \
	"$NT_DIR/dump.out")" -eq 13 ]; then
	nt_pass "snmptt --dump: 13 EVENTs, each with a FORMAT"
else
	nt_fail "snmptt --dump does not define the 13 EVENTs:"
	head -n 30 "$NT_DIR/dump.out" >&2
fi

# snmptt logs "<ctime date> <message>"; the date is cut off
lines() {
	sed -E 's/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4} //' \
		"$NT_DIR/$1.log" 2>/dev/null
}
has_line() {
	lines "$1" | grep -q -x -F -- "$2"
}
# expect LOG LINE: LINE appears in LOG within 10 s
expect() {
	if nt__poll 100 has_line "$1" "$2"; then
		nt_pass "$1: $2"
	else
		nt_fail "$1: no line '$2' within 10 s; the log:"
		lines "$1" | tail -n 5 >&2
	fi
}
# both LINE [PERL_LINE]: LINE in plain.log, and PERL_LINE (default: LINE) in perl.log
both() {
	expect plain "$1"
	expect perl "${2:-$1}"
}

# ------------------------------------------------------------------ start: four raises

mkdir "$AWAY" && cp -R "$FX/libvirt" "$QEMU" || exit 99
printf '%s\n' "eventDelay 200" "refreshInterval 600" >"$NT_DIR/numatopd.conf"
nt_start_trapd "traphandle default $SNMPTT --ini=$NT_DIR/plain.ini" \
	"traphandle default /usr/bin/env MIBDIRS=$NT_MIBDIRS $SNMPTT --ini=$NT_DIR/perl.ini" ||
	nt_done
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || nt_done
nt_start_numatopd -c "$NT_DIR/numatopd.conf" --sysfs-root "$FX/sys" --libvirt-xml-dir "$QEMU" ||
	nt_done
nt_wait_numatopd_registered || nt_done

S='"Status Events" 127.0.0.1 -'
both "$ROOT.0.1 Major $S numaNodeCpuOversubscription: host NUMA node 4 is CPU-oversubscribed: 15 vCPUs bound to 8 CPUs, headroom -7 vCPUs"
both "$ROOT.0.3 Major $S numaNodeMemOversubscription: host NUMA node 4 is memory-oversubscribed: headroom -2048 MiB (VMs use 17179869184 bytes of its 17179869184 bytes)"
both "$ROOT.0.5 Critical $S numaHugepageOversubscription: host NUMA node 1, 1048576 KiB hugepages oversubscribed: the VMs need 5 pages, the pool holds 4"
both "$ROOT.0.7 Warning $S numaSourceError: numatopd's sources are degraded(2), 2 invalid libvirt XML files: the NUMA figures of this host are incomplete" \
	"$ROOT.0.7 Warning $S numaSourceError: numatopd's sources are degraded, 2 invalid libvirt XML files: the NUMA figures of this host are incomplete"

# ------------------------------------------------------------------ the clears

# hpc-big (8 vCPUs, 10 GiB on node 4) leaves: node 4's CPU and memory clear
mv "$QEMU/hpc-big.xml" "$AWAY/"
both "$ROOT.0.2 Normal $S numaNodeCpuOversubCleared: host NUMA node 4 is no longer CPU-oversubscribed: 7 vCPUs bound to 8 CPUs, headroom 1 vCPUs"
both "$ROOT.0.4 Normal $S numaNodeMemOversubCleared: host NUMA node 4 is no longer memory-oversubscribed: headroom 8192 MiB (VMs use 6442450944 bytes of its 17179869184 bytes)"
# huge-1g (5 pages of 1 GiB on node 1, whose pool holds 4) leaves
mv "$QEMU/huge-1g.xml" "$AWAY/"
both "$ROOT.0.6 Normal $S numaHugepageOversubCleared: host NUMA node 1, 1048576 KiB hugepages no longer oversubscribed: the VMs need 0 pages, the pool holds 4"
# the two invalid files leave
mv "$QEMU"/broken-*.xml "$AWAY/"
both "$ROOT.0.8 Normal $S numaSourceRecovered: numatopd's sources are ok(1) again, 0 invalid libvirt XML files" \
	"$ROOT.0.8 Normal $S numaSourceRecovered: numatopd's sources are ok again, 0 invalid libvirt XML files"

# ------------------------------------------------------------------ passthrough devices

# fixtures/pcihost (README "Passthrough devices"): gpu-remote (32) is pinned to node 0, its GPU
# sits on node 1; nfv-pool (34) is pinned to node 1, its network pool's VF sits on node 0
nt_stop_numatopd
sh "$FIXTURES/pcihost/copy.sh" "$NT_DIR/pcihost" || exit 99
PCIQEMU=$NT_DIR/pciqemu
mkdir "$PCIQEMU" && cp "$FIXTURES"/pcihost/libvirt/*.xml "$PCIQEMU/" || exit 99
nt_start_numatopd -c "$NT_DIR/numatopd.conf" --sysfs-root "$NT_DIR/pcihost/sys" \
	--libvirt-xml-dir "$PCIQEMU" || nt_done
nt_wait_numatopd_registered || nt_done
GPU='gpu-remote (7d2f1c3a-5b6e-4f80-9a1b-2c3d4e5f6a02)'
both "$ROOT.0.9 Major $S numaVmRemoteDevice: VM $GPU has 1 passthrough devices on a node it has nothing on, the first 0000:af:00.0 on node 1"
both "$ROOT.0.9 Major $S numaVmRemoteDevice: VM nfv-pool (7d2f1c3a-5b6e-4f80-9a1b-2c3d4e5f6a06) has 1 passthrough devices on a node it has nothing on, the first 0000:3b:02.2 on node 0"
# gpu-remote re-pinned onto node 1, written as libvirt writes it
sed -e "s/cpuset='2'/cpuset='4'/; s/cpuset='3'/cpuset='5'/; s/nodeset='0'/nodeset='1'/" \
	"$PCIQEMU/gpu-remote.xml" >"$PCIQEMU/gpu-remote.xml.new" &&
	mv "$PCIQEMU/gpu-remote.xml.new" "$PCIQEMU/gpu-remote.xml" || exit 99
both "$ROOT.0.10 Normal $S numaVmRemoteDeviceCleared: VM $GPU has 0 remote passthrough devices (it stopped or was re-pinned)"
# (gpu-remote's 2 vCPUs move from node 0's 4 CPUs, which were taken by 6, to node 1's)
both "$ROOT.0.1 Major $S numaNodeCpuOversubscription: host NUMA node 0 is CPU-oversubscribed: 6 vCPUs bound to 4 CPUs, headroom -2 vCPUs"
both "$ROOT.0.2 Normal $S numaNodeCpuOversubCleared: host NUMA node 0 is no longer CPU-oversubscribed: 4 vCPUs bound to 4 CPUs, headroom 0 vCPUs"
both "$ROOT.0.1 Major $S numaNodeCpuOversubscription: host NUMA node 1 is CPU-oversubscribed: 6 vCPUs bound to 4 CPUs, headroom -2 vCPUs"

# ------------------------------------------------------------------ runtime truth

# fixtures/runtime (README "Runtime truth"): its VMs on the fixture host, read every second from
# a copy of its /proc tree (the test changes it) and its cgroup v2 tree
nt_stop_numatopd
RT=$FIXTURES/runtime PROC=$NT_DIR/proc RTQEMU=$NT_DIR/rtqemu
cp -R "$RT/proc-v2" "$PROC" && cp -R "$RT/libvirt" "$RTQEMU" || exit 99
printf '%s\n' "eventDelay 200" "refreshInterval 600" "runtimeInterval 1" >"$NT_DIR/runtime.conf"
# shellcheck disable=SC2034 # read by nt_start_numatopd (tests/lib.sh)
NT_RUNTIME_ARG="--proc-root $PROC --cgroup-root $RT/cgroup-v2"
nt_start_numatopd -c "$NT_DIR/runtime.conf" --sysfs-root "$FX/sys" --libvirt-xml-dir "$RTQEMU" ||
	nt_done
nt_wait_numatopd_registered || nt_done
# rt-huge's 2 MiB pages on node 1, which has no such pool
both "$ROOT.0.5 Critical $S numaHugepageOversubscription: host NUMA node 1, 2048 KiB hugepages oversubscribed: the VMs need 512 pages, the pool holds 0"
# gone ID NAME PID: VM NAME (numaVmIndex ID) lost its QEMU process PID
gone() {
	both "$ROOT.0.13 Critical $S numaVmGone: the QEMU process $3 of VM $2 (00000000-0000-4000-8000-0000000000$1) died behind libvirt's back"
}
gone 34 rt-gone 7400      # no process
gone 35 rt-recycled 7500  # another program's
gone 36 rt-zombie 7600    # a zombie
# drift VM TAIL [PERL_TAIL]: numaVmPlacementDrift of VM, running, then TAIL (perl.log: PERL_TAIL)
drift() {
	both "$ROOT.0.11 Major $S numaVmPlacementDrift: $1 runs elsewhere than configured: runtime state running(1), $2" \
		"$ROOT.0.11 Major $S numaVmPlacementDrift: $1 runs elsewhere than configured: runtime state running, ${3:-$2}"
}
# rt-stray: 200 of its 2100 MiB on node 4, outside its strict nodes 0 and 1 (no vCPU drifted)
drift 'VM rt-stray (00000000-0000-4000-8000-000000000031)' \
	'209715200 of its 2202009600 resident bytes stray'
# rt-escaped: vCPU 1, pinned to CPU 1, may run on 1,4; rt-float: vCPU 1 narrowed to 0-3
ESC='VM rt-escaped (00000000-0000-4000-8000-000000000032)'
drift "$ESC" '0 of its 524288000 resident bytes stray; vCPU 1 escaped(3): allowed on CPUs 1,4' \
	'0 of its 524288000 resident bytes stray; vCPU 1 escaped: allowed on CPUs 1,4'
drift 'VM rt-float (00000000-0000-4000-8000-000000000033)' \
	'0 of its 524288000 resident bytes stray; vCPU 1 narrowed(2): allowed on CPUs 0-3' \
	'0 of its 524288000 resident bytes stray; vCPU 1 narrowed: allowed on CPUs 0-3'
# rt-escaped's vCPU 1 may run on CPU 1 only again
st=$PROC/7200/task/7202/status
sed 's/^Cpus_allowed_list:.*/Cpus_allowed_list:	1/' "$st" >"$st.new" && mv "$st.new" "$st" || exit 99
both "$ROOT.0.12 Normal $S numaVmPlacementDriftCleared: $ESC runs as configured again (runtime state running(1))" \
	"$ROOT.0.12 Normal $S numaVmPlacementDriftCleared: $ESC runs as configured again (runtime state running)"

# ------------------------------------------------------------------ nothing else

# 8 on the fixture host, 6 on fixtures/pcihost, 8 on fixtures/runtime
WANT=22
sleep 0.5
ours=$(nt_traps | grep -c -F "OID: $ROOT.0.")
for log in plain perl; do
	n=$(lines $log | grep -c "^$(nt_re "$ROOT.0.")")
	[ "$ours" -eq $WANT ] && [ "$n" -eq "$ours" ] &&
		nt_pass "$log: one line for each of the $ours notifications snmptrapd received" ||
		nt_fail "$log: $n lines for $ours notifications received (want $WANT and $WANT)"
	# (snmpd's own coldStart is unknown to this file, and logged there)
	if grep -q -F "Unknown trap ($ROOT." "$NT_DIR/$log-unknown.log" 2>/dev/null; then
		nt_fail "$log: snmptt found no EVENT for a notification of ours:"
		cat "$NT_DIR/$log-unknown.log" >&2
	elif grep -q -F 'Unknown trap (.1.3.6.1.6.3.1.1.5.1)' "$NT_DIR/$log-unknown.log"; then
		nt_pass "$log: no notification of ours unknown (snmpd's coldStart is)"
	else
		nt_fail "$log: snmptt did not log snmpd's coldStart as unknown: is the unknown log read?"
	fi
done
echo "snmptt's log (net_snmp_perl_enable = 0):"
cat "$NT_DIR/plain.log"
nt_stop_numatopd
nt_done
