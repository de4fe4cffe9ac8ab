#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# notify.sh: change detection and notifications end to end: numatopd under a private snmpd whose
# trap2sink is a private snmptrapd. VM files dropped into (or renamed, removed from) the watched
# directory raise and clear each notification with the MIB's varbinds; the directory appears
# late; hold-down, a master that is down when a raise falls due, and no storm. refreshInterval is
# 600 s here, so everything seen comes from inotify (or a request). Then, numatopd restarted
# each time: notifications no; alarms that never stick across a master killed while conditions
# flap (one notification per condition waits, the difference of state is sent); the sysfs root
# losing and regaining its node directory and invalid files 0 -> 2 -> 0 at run time; a burst of
# changes coalesced into few rebuilds.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init notify
nt_need snmpd snmptrapd snmpget numatopd

FX=${FIXTURES:-$TESTS_DIR/../fixtures}/host
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
TAB=$(printf '\t')
RUN=$NT_DIR/run
QEMU=$RUN/libvirt/qemu
CONF=$NT_DIR/numatopd.conf

# ------------------------------------------------------------------ helpers

# A trap record of notification ROOT.0.SUBID whose varbinds after snmpTrapOID.0 are exactly
# the given "OID = TYPE: value" strings, in order.
trap_re() {
	tr__subid=$1
	shift
	nt_trap_re "$ROOT.0.$tr__subid" "$@"
}

count() {
	nt_traps | grep -c -E -- "$1"
}

# All notifications of this MIB received so far.
ours() {
	count "$(nt_re "OID: $ROOT.0.")[0-9]+$TAB"
}

# tenths of a second since boot
now_ds() {
	read -r nd__up nd__idle </proc/uptime
	nd__frac=${nd__up#*.}
	echo "$((${nd__up%%.*} * 10 + ${nd__frac%?}))"
}

# wait_more RE N SECS: until more than N records match RE; 1 on timeout
wait_more() {
	wm__end=$(($(now_ds) + $3 * 10))
	while [ "$(count "$1")" -le "$2" ]; do
		[ "$(now_ds)" -ge "$wm__end" ] && return 1
		sleep 0.05
	done
	return 0
}

# expect WHAT RE ACTION...: ACTION, then a new record matching RE within 5 s
expect() {
	ex__what=$1
	ex__re=$2
	shift 2
	ex__n=$(count "$ex__re")
	"$@"
	if wait_more "$ex__re" "$ex__n" 5; then
		nt_pass "$ex__what"
	else
		nt_fail "$ex__what: no trap matching /$ex__re/ within 5 s; received:"
		nt_traps | tail -n 5 >&2
	fi
}

# The way libvirt writes a status file: NAME.xml.new, then renamed over NAME.xml.
put() {
	cat >"$QEMU/$1.xml.new" && mv "$QEMU/$1.xml.new" "$QEMU/$1.xml"
}
add() {
	cp "$NT_DIR/vms/$1.xml" "$QEMU/$1.xml"
}
del() {
	rm -f "$QEMU/$1.xml"
}
pin() {
	nt_vm_xml 33 pinme 1 "<vcpu placement='static'>2</vcpu><cputune><vcpupin vcpu='0' \
cpuset='$1'/><vcpupin vcpu='1' cpuset='$2'/></cputune>" | put pinme
}

reloads() {
	nt_log_count 'configuration reloaded'
}
# reload LINE...: rewrite numatopd.conf, SIGHUP, wait (5 s) for the reload to be logged
reload() {
	rl__n=$(reloads)
	printf '%s\n' "$@" >"$CONF"
	kill -HUP "$NT_NUMATOPD_PID"
	rl__end=$(($(now_ds) + 50))
	while [ "$(reloads)" -le "$rl__n" ]; do
		[ "$(now_ds)" -ge "$rl__end" ] && return 1
		sleep 0.1
	done
}

# ------------------------------------------------------------------ expected records

# node 4: 8 CPUs, hpc-big binds 8 vCPUs and 10 GiB; memory limit 14 GiB
CPU_UP=$(trap_re 1 "$ROOT.1.2.1.3.4 = Gauge32: 8" "$ROOT.1.2.1.6.4 = Gauge32: 10" \
	"$ROOT.1.2.1.11.4 = INTEGER: -2")
CPU_DOWN=$(trap_re 2 "$ROOT.1.2.1.3.4 = Gauge32: 8" "$ROOT.1.2.1.6.4 = Gauge32: 8" \
	"$ROOT.1.2.1.11.4 = INTEGER: 0")
MEM_UP=$(trap_re 3 "$ROOT.1.2.1.4.4 = Counter64: 17179869184" \
	"$ROOT.1.2.1.8.4 = Counter64: 16106127360" "$ROOT.1.2.1.12.4 = INTEGER: -1024")
MEM_DOWN=$(trap_re 4 "$ROOT.1.2.1.4.4 = Counter64: 17179869184" \
	"$ROOT.1.2.1.8.4 = Counter64: 10737418240" "$ROOT.1.2.1.12.4 = INTEGER: 4096")
# node 1, 1 GiB pages: a pool of 4, huge-1g demands 5
HUGE_UP=$(trap_re 5 "$ROOT.1.7.1.2.1.1048576 = Gauge32: 4" "$ROOT.1.7.1.4.1.1048576 = Gauge32: 5")
HUGE_DOWN=$(trap_re 6 "$ROOT.1.7.1.2.1.1048576 = Gauge32: 4" \
	"$ROOT.1.7.1.4.1.1048576 = Gauge32: 0")
SRC_GONE=$(trap_re 7 "$ROOT.1.1.9.0 = INTEGER: 3" "$ROOT.1.1.8.0 = Gauge32: 0")
SRC_BAD=$(trap_re 7 "$ROOT.1.1.9.0 = INTEGER: 2" "$ROOT.1.1.8.0 = Gauge32: 1")
SRC_OK=$(trap_re 8 "$ROOT.1.1.9.0 = INTEGER: 1" "$ROOT.1.1.8.0 = Gauge32: 0")
sent=0 # notifications of ours expected so far

# ------------------------------------------------------------------ start

mkdir "$NT_DIR/vms" "$NT_DIR/stage" || exit 99
nt_vm_xml 31 cpu-hog 1 "<vcpu placement='static' cpuset='8-9'>2</vcpu>" >"$NT_DIR/vms/cpu-hog.xml"
nt_vm_xml 32 mem-hog 5 "<vcpu>1</vcpu><numatune><memory mode='strict' nodeset='4'/></numatune>" \
	>"$NT_DIR/vms/mem-hog.xml"
cp "$FX/libvirt/huge-1g.xml" "$NT_DIR/vms/" || exit 99
cp "$FX/libvirt/web-local.xml" "$FX/libvirt/hpc-big.xml" "$FX/libvirt/huge-1g.xml" \
	"$NT_DIR/stage/" || exit 99
reload_lines="eventDelay 200
refreshInterval 600
agentxPingInterval 1"
printf '%s\n' "$reload_lines" >"$CONF"

nt_start_trapd || nt_done
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || nt_done
# the libvirt directory does not exist yet
nt_start_numatopd -c "$CONF" -Dnumatopd --sysfs-root "$FX/sys" --libvirt-xml-dir "$QEMU" || nt_done
nt_wait_numatopd_registered || nt_done

# 1. startup: the missing directory is a source error, raised once at start
if nt_wait_for_trap "$(nt_re "OID: $ROOT.0.7")" 5 && [ "$(count "$SRC_GONE")" = 1 ]; then
	nt_pass "startup raise: numaSourceError, numaSourceStatus.0 = unavailable(3)"
else
	nt_fail "no startup numaSourceError with unavailable(3), 0 invalid files"
fi
sent=$((sent + 1))
grep -q "watching $NT_DIR until $QEMU appears" "$NT_DIR/numatopd.log" &&
	nt_pass "watches the nearest existing parent" ||
	nt_fail "no 'watching $NT_DIR until ...' in the log"

# 2. the directory appears (with its files): recovery and the hugepage raise, long before the
#    600 s refresh
mkdir -p "$RUN/libvirt" || exit 99
huge0=$(count "$HUGE_UP")
expect "directory appears: numaSourceRecovered" "$SRC_OK" mv "$NT_DIR/stage" "$QEMU"
wait_more "$HUGE_UP" "$huge0" 5 &&
	nt_pass "numaHugepageOversubscription for row 1.1048576 (pool 4, demand 5)" ||
	nt_fail "no numaHugepageOversubscription once the directory appeared"
sent=$((sent + 2))

# 3. CPU: a VM binding 2 more vCPUs to node 4 is copied in, then removed
expect "cp VM: numaNodeCpuOversubscription node 4 (8 CPUs, 10 bound, headroom -2)" "$CPU_UP" \
	add cpu-hog
# the per-file cache: that rebuild parsed the one new file only
grep -q "rebuilt: 4 nodes, 4 VMs, 0 invalid files, 1 files parsed" "$NT_DIR/numatopd.log" &&
	nt_pass "rebuild after one new file parsed 1 file" ||
	nt_fail "no 'rebuilt: ... 1 files parsed' debug line after adding one file"
expect "rm VM: numaNodeCpuOversubCleared node 4 (8 bound, headroom 0)" "$CPU_DOWN" \
	del cpu-hog
sent=$((sent + 2))

# 4. memory: 5 GiB more on node 4 (limit 14 GiB, 10 used)
expect "numaNodeMemOversubscription node 4 (15 GiB used, headroom -1024 MiB)" "$MEM_UP" add mem-hog
expect "numaNodeMemOversubCleared node 4 (10 GiB used, headroom 4096 MiB)" "$MEM_DOWN" \
	del mem-hog
sent=$((sent + 2))

# 5. hugepages: the VM that overdraws node 1's 1G pool leaves, then comes back
expect "numaHugepageOversubCleared row 1.1048576 (demand 0)" "$HUGE_DOWN" del huge-1g
expect "numaHugepageOversubscription again when it comes back" "$HUGE_UP" add huge-1g
sent=$((sent + 2))

# 6. a vcpupin change written as libvirt writes it (pinme.xml.new renamed over pinme.xml)
pin 4 5
expect "vcpupin moved to node 4 (.new + rename): numaNodeCpuOversubscription" "$CPU_UP" pin 10 11
expect "vcpupin moved back: numaNodeCpuOversubCleared" "$CPU_DOWN" pin 4 5
sent=$((sent + 2))

# 7. an invalid file: numaSourceError degraded(2) with 1 invalid file, then recovery
expect "invalid file: numaSourceError, degraded(2), numaInvalidFiles 1" "$SRC_BAD" \
	put broken <<EOF
<domain type='kvm'><name>broken</name><vcpu
EOF
expect "invalid file removed: numaSourceRecovered" "$SRC_OK" del broken
sent=$((sent + 2))

# 8. no storm: 100 VMs that pin nothing come, then go (200 changes): no notification
floating() {
	i=100
	while [ $i -lt 200 ]; do
		nt_vm_xml $i "quiet-$i" 1 "<vcpu>1</vcpu>" | put "quiet-$i"
		i=$((i + 1))
	done
}
vmcount_is() {
	snmpget -v2c -c public -t 1 -r 1 -m '' -On -Oqv "$NT_TARGET" "$ROOT.1.1.2.0" 2>/dev/null |
		grep -qx "$1"
}
wait_vmcount() {
	wv__end=$(($(now_ds) + 100))
	until vmcount_is "$1"; do
		[ "$(now_ds)" -ge "$wv__end" ] && return 1
		sleep 0.1
	done
}
floating
wait_vmcount 104 && nt_pass "100 floating VMs added (numaVmCount 104)" ||
	nt_fail "numaVmCount did not reach 104"
rm -f "$QEMU"/quiet-*.xml
wait_vmcount 4 && nt_pass "100 floating VMs removed (numaVmCount 4)" ||
	nt_fail "numaVmCount did not return to 4"
sleep 0.5
[ "$(ours)" = "$sent" ] && nt_pass "200 unrelated changes: no notification" ||
	nt_fail "$(($(ours) - sent)) notifications from unrelated changes"

# 9. hold-down 3 s: a condition that clears within it sends nothing; one that holds is raised
#    once the 3 s are over, and its clear follows at once
if reload "$reload_lines" "notificationHoldDown 3"; then
	nt_pass "reloaded with notificationHoldDown 3"
else
	nt_fail "SIGHUP reload not logged"
fi
up0=$(count "$CPU_UP")
down0=$(count "$CPU_DOWN")
t0=$(now_ds)
add cpu-hog
sleep 1.5
del cpu-hog
while [ "$(now_ds)" -lt $((t0 + 45)) ]; do sleep 0.2; done
[ "$(count "$CPU_UP")" = "$up0" ] && [ "$(count "$CPU_DOWN")" = "$down0" ] &&
	nt_pass "hold-down: a raise that clears within the hold sends nothing" ||
	nt_fail "hold-down: a 1.5 s condition sent notifications"
t0=$(now_ds)
add cpu-hog
sleep 1.5
[ "$(count "$CPU_UP")" = "$up0" ] && nt_pass "hold-down: no raise after 1.5 s" ||
	nt_fail "hold-down: raise sent before 3 s"
if wait_more "$CPU_UP" "$up0" 8; then
	nt_pass "hold-down: raise after $(($(now_ds) - t0)) tenths of a second"
else
	nt_fail "hold-down: raise not sent after the hold"
fi
expect "hold-down: the clear of a sent raise is not held" "$CPU_DOWN" del cpu-hog
sent=$((sent + 2))
reload "$reload_lines" || nt_fail "second reload not logged"

# 10. the master is down when a raise falls due: it is delivered once the master is back, and
#     the raise sent before the outage (hugepages, still true) is sent again (notifyOnStartup).
#     A SIGHUP during the outage must not start a second reconnect timer.
huge0=$(count "$HUGE_UP")
up0=$(count "$CPU_UP")
nt_stop_snmpd
nt_wait_for_line "$NT_DIR/numatopd.log" "AgentX master disconnected us" 5 ||
	nt_fail "numatopd did not notice the master leaving"
reload "$reload_lines" || nt_fail "reload while the master is down not logged"
due0=$(nt_log_count 'due: numaNodeCpuOversubscription$')
add cpu-hog
dl__end=$(($(now_ds) + 50))
while [ "$(nt_log_count 'due: numaNodeCpuOversubscription$')" -le "$due0" ]; do
	[ "$(now_ds)" -ge "$dl__end" ] && break
	sleep 0.1
done
[ "$(nt_log_count 'due: numaNodeCpuOversubscription$')" -gt "$due0" ] &&
	nt_pass "raise fell due while the master was down" || nt_fail "raise never fell due"
nt_restart_snmpd || nt_done
if wait_more "$CPU_UP" "$up0" 10; then
	nt_pass "queued raise delivered after the master came back"
else
	nt_fail "raise that fell due during the outage was lost"
fi
wait_more "$HUGE_UP" "$huge0" 5 && nt_pass "still-true raise sent again after re-registration" ||
	nt_fail "no numaHugepageOversubscription after re-registration"
expect "clear after the outage" "$CPU_DOWN" del cpu-hog
sent=$((sent + 3))
sleep 1.5 # a second reconnect timer would fire every second (agentxPingInterval 1)
if grep -q 'attempted to be re-opened' "$NT_DIR/numatopd.log"; then
	nt_fail "a reload opened a second AgentX session: $(grep -c 'attempted to be re-opened' \
		"$NT_DIR/numatopd.log") warnings"
else
	nt_pass "reloads (master up and down) leave one AgentX session"
fi

# 11. nothing else was sent, and the log names what was
[ "$(ours)" = "$sent" ] && nt_pass "exactly $sent notifications in all" || {
	nt_fail "$(ours) notifications, expected $sent:"
	nt_traps | grep -F "$ROOT.0." >&2
}
grep -q 'sent numaNodeCpuOversubscription (node 4)' "$NT_DIR/numatopd.log" &&
	nt_pass "numatopd logs each notification sent" || nt_fail "no 'sent ...' log line"
nt_stop_numatopd

# The sections below each start numatopd again (same snmpd and snmptrapd) with the configuration
# they test; QEMU now holds web-local, hpc-big, huge-1g and pinme.

# dues: how many notifications numatopd found due so far (its -Dnumatopd "due: NAME" lines)
dues() {
	nt_log_count 'due: '
}
# wait_dues N SECS: until more than N are due; 1 on timeout
wait_dues() {
	wd__end=$(($(now_ds) + $2 * 10))
	while [ "$(dues)" -le "$1" ]; do
		[ "$(now_ds)" -ge "$wd__end" ] && return 1
		sleep 0.05
	done
}
rebuilds() {
	nt_log_count 'rebuilt: '
}
# restart LINE...: numatopd again, with numatopd.conf made of LINEs, on $SYS (default the
# fixture host's sysfs) and QEMU
restart() {
	printf '%s\n' "$@" >"$CONF"
	nt_start_numatopd -c "$CONF" -Dnumatopd --sysfs-root "${SYS:-$FX/sys}" \
		--libvirt-xml-dir "$QEMU" || nt_done
	nt_wait_numatopd_registered || nt_done
}

# 12. notifications no: nothing is sent, at start (huge-1g overdraws node 1's pool) nor when
#     node 4 becomes oversubscribed
n0=$(ours)
restart "$reload_lines" "notifications no"
# (numatopd's -Lf starts its log afresh: counts of its lines are taken after each start)
r0=$(rebuilds)
add cpu-hog
wait_vmcount 5 || nt_fail "numaVmCount did not reach 5 with cpu-hog"
# the trap would take a few ms from the rebuild; give it a second
sleep 1
[ "$(rebuilds)" -gt "$r0" ] && nt_pass "notifications no: numatopd rebuilt after cpu-hog came" ||
	nt_fail "notifications no: no rebuild logged"
[ "$(ours)" = "$n0" ] &&
	nt_pass "notifications no: nothing sent at start nor when node 4 became oversubscribed" ||
	nt_fail "notifications no: $(($(ours) - n0)) notifications sent"
del cpu-hog
wait_vmcount 4 || nt_fail "numaVmCount did not return to 4"
nt_stop_numatopd

# 13. alarms never stick. The NMS saw node 4's CPU raise; snmpd is killed (-9); node 4 clears,
#     node 1's 1G hugepage row clears and comes back, nodes 0 and 1 flap (44 notifications fall
#     due, against a notificationQueue of 2 that used to drop the oldest, node 4's clear first).
#     Once snmpd is back exactly the difference arrives: node 4's clear, one hugepage raise,
#     node 0's raise (it ends raised); nothing of node 1, which the NMS never saw raised.
#     Then the same with snmpd killed and restarted while three nodes flap: the last
#     notification of every condition matches its state.
nt_vm_xml 41 node0-hog 1 "<vcpu placement='static' cpuset='0-3,12-15'>8</vcpu>" \
	>"$NT_DIR/vms/node0-hog.xml"
nt_vm_xml 42 node1-hog 1 "<vcpu placement='static' cpuset='4-7,16-19'>8</vcpu>" \
	>"$NT_DIR/vms/node1-hog.xml"
# in_out NAME: rename a VM file from vms/ into the libvirt directory or back, as a migration
# or a virsh start/destroy moves it; one notification falls due (5 s)
in_out() {
	io__d0=$(dues)
	if [ -f "$QEMU/$1.xml" ]; then
		mv "$QEMU/$1.xml" "$NT_DIR/vms/$1.xml"
	else
		mv "$NT_DIR/vms/$1.xml" "$QEMU/$1.xml"
	fi
	wait_dues "$io__d0" 5 || nt_fail "moving $1 made nothing due"
}
# node_re SUBID NODE: a notification SUBID (1 raise, 2 clear, [12] either: an ERE) of
# numaNodeCpu* for NODE
node_re() {
	echo "$(nt_re "OID: $ROOT.0.")$1$TAB$(nt_re "$ROOT.1.2.1.3.$2 = ")"
}
# since K RE: records after the first K matching RE
since() {
	nt_traps | tail -n +$(($1 + 1)) | grep -c -E -- "$2"
}
ours_re="$(nt_re "OID: $ROOT.0.")[0-9]+$TAB"
h0=$(count "$HUGE_UP")
restart "eventDelay 0" "refreshInterval 600" "agentxPingInterval 1" "notificationQueue 2"
grep -q 'notificationQueue is obsolete and ignored' "$NT_DIR/numatopd.log" &&
	nt_pass "stick: 'notificationQueue is obsolete and ignored' logged" ||
	nt_fail "stick: no warning that notificationQueue is obsolete"
wait_more "$HUGE_UP" "$h0" 5 || nt_fail "stick: no startup numaHugepageOversubscription"
expect "stick: node 4's raise reaches the NMS" "$CPU_UP" add cpu-hog
nt_kill9_snmpd
nt_wait_for_line "$NT_DIR/numatopd.log" "AgentX master disconnected us" 5 ||
	nt_fail "numatopd did not notice the master being killed"
d0=$(dues)
in_out cpu-hog
del huge-1g
in_out huge-1g
i=0
while [ $i -lt 10 ]; do
	in_out node0-hog
	in_out node1-hog
	in_out node0-hog
	in_out node1-hog
	i=$((i + 1))
done
in_out node0-hog
[ $(($(dues) - d0)) -ge 44 ] &&
	nt_pass "stick: $(($(dues) - d0)) notifications fell due while the master was down" ||
	nt_fail "stick: only $(($(dues) - d0)) notifications fell due while the master was down"
k=$(nt_traps | wc -l)
cd0=$(count "$CPU_DOWN")
nt_restart_snmpd || nt_done
wait_more "$CPU_DOWN" "$cd0" 10 &&
	nt_pass "stick: node 4's clear arrives after the outage" ||
	nt_fail "stick: node 4's numaNodeCpuOversubCleared never arrived after the outage"
nt_wait_for_line "$NT_DIR/numatopd.log" "the master is back: 3 notifications waited, 0 more" 5 &&
	nt_pass "stick: the log names 3 notifications that waited, one per condition" ||
	nt_fail "stick: no 'the master is back: 3 notifications waited, 0 more' line:" \
		"$(grep 'master is back' "$NT_DIR/numatopd.log")"
sleep 1
after=$(nt_traps | tail -n +$((k + 1)) | grep -E -- "$ours_re")
if [ "$(printf '%s\n' "$after" | grep -c .)" = 3 ] &&
	printf '%s\n' "$after" | sed -n 1p | grep -q -E -- "$CPU_DOWN" &&
	printf '%s\n' "$after" | sed -n 2p | grep -q -E -- "$HUGE_UP" &&
	printf '%s\n' "$after" | sed -n 3p | grep -q -E -- "$(node_re 1 0)"; then
	nt_pass "stick: after the outage, in order: node 4 cleared, hugepage raise, node 0 raise"
else
	nt_fail "stick: after the outage, want node 4's clear, the hugepage raise, node 0's raise:"
	printf '%s\n' "$after" >&2
fi
[ "$(since "$k" "$(node_re '[12]' 1)")" = 0 ] && [ "$(since "$k" "$HUGE_DOWN")" = 0 ] &&
	nt_pass "stick: nothing of what the NMS never saw raised, no hugepage clear" ||
	nt_fail "stick: node 1 or a hugepage clear was sent after the outage"

# the same while the conditions flap: snmpd killed 1 s in and back 1.5 s later while they flap;
# killed again at 4 s, the flapping ends at 4.5 s (node 0 raised, nodes 1 and 4 cleared) while
# it is down, and it is back at 5 s
flap() {
	fl__end=$(($(now_ds) + 45))
	fl__i=0
	while [ "$(now_ds)" -lt "$fl__end" ]; do
		case $((fl__i % 3)) in
		0) fl__vm=node0-hog ;;
		1) fl__vm=node1-hog ;;
		*) fl__vm=cpu-hog ;;
		esac
		if [ -f "$QEMU/$fl__vm.xml" ]; then
			mv "$QEMU/$fl__vm.xml" "$NT_DIR/vms/"
		else
			mv "$NT_DIR/vms/$fl__vm.xml" "$QEMU/"
		fi
		fl__i=$((fl__i + 1))
		sleep 0.0$((fl__i % 7 + 3))
	done
	[ -f "$NT_DIR/vms/node0-hog.xml" ] && mv "$NT_DIR/vms/node0-hog.xml" "$QEMU/"
	for fl__vm in node1-hog cpu-hog; do
		[ -f "$QEMU/$fl__vm.xml" ] && mv "$QEMU/$fl__vm.xml" "$NT_DIR/vms/"
	done
	return 0
}
backs() {
	nt_log_count 'the master is back'
}
b0=$(backs)
l0=$(wc -l <"$NT_DIR/numatopd.log")
d0=$(dues)
flap &
flapper=$!
nt_track "$flapper"
sleep 1
nt_kill9_snmpd
sleep 1.5
nt_restart_snmpd || nt_done
sleep 1.5
nt_kill9_snmpd
wait "$flapper"
sleep 0.5
nt_restart_snmpd || nt_done
nt__poll 50 eval '[ "$(backs)" -ge $((b0 + 2)) ]' ||
	nt_fail "stick: numatopd did not come back to both restarted masters"
sleep 1.5
# what fell due between a master's death and numatopd's return to the next one
down=$(awk -v l0="$l0" 'NR <= l0 { next } /AgentX master disconnected us/ { on = 1 }
	on && /due: / { n++ } /the master is back/ { on = 0 } END { print n + 0 }' \
	"$NT_DIR/numatopd.log")
[ "$down" -ge 1 ] &&
	nt_pass "stick: $(($(dues) - d0)) fell due while three nodes flapped, $down of them with" \
		"the master down" ||
	nt_fail "stick: nothing fell due while the master was down: the outages missed the flapping"
for node in 0 1 4; do
	want=$(snmpget -v2c -c public -t 1 -r 1 -m '' -On -Oqv "$NT_TARGET" \
		"$ROOT.1.2.1.15.$node" 2>/dev/null)
	last=$(nt_traps | grep -E -- "$(node_re '[12]' "$node")" | tail -n 1 |
		sed -n "s/.*OID: $(nt_re "$ROOT.0.")\([12]\)$TAB.*/\1/p")
	case $node:$want:$last in
	0:1:1 | 1:2:2 | 1:2: | 4:2:2)
		nt_pass "stick: node $node's last CPU notification matches its state ($want)" ;;
	*) nt_fail "stick: node $node: numaNodeCpuOversubscribed $want, last notification" \
		"'${last:-none}' (1 raise, 2 clear)" ;;
	esac
done
nt_traps | grep -E -- "$HUGE_UP|$HUGE_DOWN" | tail -n 1 | grep -q -E -- "$HUGE_UP" &&
	nt_pass "stick: the hugepage row's last notification is its raise, as it is over" ||
	nt_fail "stick: the hugepage row's last notification is not its raise"
# a clear the master took and died with: snmpd is stopped (SIGSTOP) when node 4 clears, so the
# clear sits unread in its socket, then killed: no trap went out and no answer came back. The
# NMS still holds node 4's raise, so the clear must go again once snmpd is back.
expect "stick: node 4's raise again before the silent death" "$(node_re 1 4)" in_out cpu-hog
kill -STOP "$NT_SNMPD_PID"
s0=$(nt_log_count 'sent numaNodeCpuOversubCleared')
cd0=$(count "$(node_re 2 4)")
in_out cpu-hog
nt__poll 100 eval '[ "$(nt_log_count "sent numaNodeCpuOversubCleared")" -gt "$s0" ]' ||
	nt_fail "stick: numatopd did not hand node 4's clear to the stopped master"
nt_kill9_snmpd
[ "$(count "$(node_re 2 4)")" = "$cd0" ] ||
	nt_fail "stick: the stopped master sent node 4's clear on after all (the test proves nothing)"
nt_restart_snmpd || nt_done
wait_more "$(node_re 2 4)" "$cd0" 10 &&
	nt_pass "stick: the clear the master took and died with is sent again when it is back" ||
	nt_fail "stick: node 4's clear, taken by a master that died unanswered, never arrived"
nt_stop_numatopd
mv "$QEMU/node0-hog.xml" "$NT_DIR/vms/"

# 14. numaSourceError / numaSourceRecovered at run time: the sysfs root loses its node directory
#     (renamed away: tests run as root, whom chmod 000 does not stop) and gets it back; two
#     invalid files come (0 -> 2) and go (2 -> 1 -> 0): one error, one recovery.
SYS=$NT_DIR/sys
cp -R "$FX/sys" "$SYS" || exit 99
SRC_BAD2=$(trap_re 7 "$ROOT.1.1.9.0 = INTEGER: 2" "$ROOT.1.1.8.0 = Gauge32: 2")
restart "$reload_lines"
sleep 1.1 # a request rebuilds at most once a second: the next one reads sysfs again
status_is() {
	[ "$(snmpget -v2c -c public -t 1 -r 0 -m '' -On -Oqv "$NT_TARGET" "$ROOT.1.1.9.0" \
		2>/dev/null)" = "$1" ]
}
e0=$(count "$SRC_GONE") ok0=$(count "$SRC_OK")
mv "$SYS/devices/system/node" "$SYS/devices/system/node.away"
nt__poll 30 status_is 3 || nt_fail "sysfs gone: numaSourceStatus.0 did not turn unavailable(3)"
wait_more "$SRC_GONE" "$e0" 5 &&
	nt_pass "sysfs node directory gone at run time: numaSourceError, unavailable(3)" ||
	nt_fail "sysfs gone: no numaSourceError with unavailable(3)"
grep -q "sysfs: $SYS/devices/system/node: .*; serving no NUMA nodes" "$NT_DIR/numatopd.log" &&
	nt_pass "sysfs gone: logged once as an error naming the directory" ||
	nt_fail "sysfs gone: no 'sysfs: ...node: ...; serving no NUMA nodes' line"
sleep 1.1
mv "$SYS/devices/system/node.away" "$SYS/devices/system/node"
nt__poll 30 status_is 1 || nt_fail "sysfs back: numaSourceStatus.0 did not turn ok(1)"
wait_more "$SRC_OK" "$ok0" 5 &&
	nt_pass "sysfs node directory back: numaSourceRecovered, ok(1)" ||
	nt_fail "sysfs back: no numaSourceRecovered"
sleep 0.5 # the hugepage raise that came back with the node directory has arrived
b0=$(count "$SRC_BAD2") ok0=$(count "$SRC_OK") n0=$(ours)
# both in one mv (two renames microseconds apart), so one rebuild sees 2 invalid files even on
# a loaded machine, where two separate puts may straddle the eventDelay rebuild
mkdir -p "$NT_DIR/stage"
printf '<domain><name>bad1</name><vcpu\n' >"$NT_DIR/stage/bad1.xml"
printf '<domain><name>bad2</name><vcpu\n' >"$NT_DIR/stage/bad2.xml"
mv "$NT_DIR/stage/bad1.xml" "$NT_DIR/stage/bad2.xml" "$QEMU/"
wait_more "$SRC_BAD2" "$b0" 5 &&
	nt_pass "invalid files 0 -> 2: numaSourceError, degraded(2), numaInvalidFiles 2" ||
	{ nt_fail "invalid files 0 -> 2: no numaSourceError with 2 invalid files:"; nt_traps | tail -n 3 >&2; }
d0=$(dues)
r0=$(rebuilds)
del bad1
nt__poll 30 eval '[ "$(rebuilds)" -gt "$r0" ]' || nt_fail "no rebuild after bad1 went"
sleep 0.5
[ "$(dues)" = "$d0" ] && nt_pass "invalid files 2 -> 1: still degraded, nothing sent" ||
	nt_fail "invalid files 2 -> 1 made a notification due"
del bad2
wait_more "$SRC_OK" "$ok0" 5 && nt_pass "invalid files 1 -> 0: numaSourceRecovered" ||
	nt_fail "invalid files 1 -> 0: no numaSourceRecovered"
sleep 0.3
[ "$(ours)" = $((n0 + 2)) ] && nt_pass "invalid files 0 -> 2 -> 0: one error, one recovery" ||
	nt_fail "invalid files 0 -> 2 -> 0: $(($(ours) - n0)) notifications, want 2"

# 15. a burst: 20 files written (as libvirt writes them) in a quick burst cause few rebuilds,
#     at most elapsed / eventDelay + 2 (each rebuild waits eventDelay after the first change
#     it has not read yet); the last one reads all 20
sleep 1.1 # no rebuild of a request may fall into the count
r0=$(rebuilds)
t0=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
i=0
while [ $i -lt 20 ]; do
	nt_vm_xml $((300 + i)) "burst-$i" 1 "<vcpu>1</vcpu>" | put "burst-$i"
	i=$((i + 1))
done
t1=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
# the last change's rebuild comes eventDelay (200 ms) later; no request meanwhile
sleep 1
rb=$(($(rebuilds) - r0))
bl=$(((t1 - t0) / 200 + 2))
[ "$rb" -ge 1 ] && [ "$rb" -le "$bl" ] &&
	nt_pass "a burst of 20 changes in $((t1 - t0)) ms: $rb rebuilds (at most $bl)" ||
	nt_fail "a burst of 20 changes in $((t1 - t0)) ms: $rb rebuilds, want 1 to $bl"
grep 'rebuilt: ' "$NT_DIR/numatopd.log" | tail -n 1 | grep -q ' 24 VMs, ' &&
	nt_pass "the burst's last rebuild read all 20 files (24 VMs)" ||
	nt_fail "the burst's last rebuild: $(grep 'rebuilt: ' "$NT_DIR/numatopd.log" | tail -n 1)"
rm -f "$QEMU"/burst-*.xml
nt_stop_numatopd
nt_done
