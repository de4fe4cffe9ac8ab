#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# notify-storm.sh: many notifications fall due at once. 600 running VMs whose QEMU processes are
# all gone (an empty proc root) bring 600 numaVmGone at the first runtime pass. The master
# answers each one; answers left unread fill the AgentX socket and, with the master blocked
# writing them, both ends blocked in sendmsg for ever (numatopd hung, ignored SIGTERM; seen with
# 253 at once). numatopd must hand every notification to the master, snmptrapd must receive them
# (all on an idle machine; counted, not asserted, under load: UDP), numatopd must go on answering,
# and it must stop on SIGTERM.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init notify-storm
nt_need snmpd snmptrapd snmpget numatopd

FX=${FIXTURES:-$TESTS_DIR/../fixtures}/host
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
N=600
VMS=$NT_DIR/vms
PROC=$NT_DIR/proc
sh "$TESTS_DIR/genvms.sh" "$FX/sys" "$VMS" $N 7 || nt_fail "genvms.sh failed"
# a proc root with the boot time and no process: every VM's QEMU is gone
mkdir -p "$PROC" "$NT_DIR/cgroup"
printf 'cpu  1 0 0 0\nbtime 1700000000\n' >"$PROC/stat"
printf 'refreshInterval 600\nruntimeInterval 10\n' >"$NT_DIR/storm.conf"

# UDP datagrams the kernel dropped for a full receive buffer, machine-wide (/proc/net/snmp)
udp_rcvbuf_errors() {
	awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 }
		else print $c + 0 }' /proc/net/snmp 2>/dev/null || echo 0
}

nt_start_trapd || exit 1
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" </dev/null || exit 1
NT_RUNTIME_ARG="--proc-root $PROC --cgroup-root $NT_DIR/cgroup" \
	nt_start_numatopd -c "$NT_DIR/storm.conf" --sysfs-root "$FX/sys" --libvirt-xml-dir "$VMS" ||
	exit 1
nt_wait_numatopd_registered || exit 1
drops0=$(udp_rcvbuf_errors)

gone_re=$(nt_re "OID: $ROOT.0.13")
got=0
i=0
limit=$((60 * ${NT_SLOW:-1}))
still=0 # tenths of a second without a new one: 5 s of silence ends the wait
while [ $i -lt $((limit * 10)) ] && [ $still -lt 50 ]; do
	last=$got
	got=$(nt_traps | grep -c -E -- "$gone_re")
	[ "$got" -ge $N ] && break
	[ "$got" -gt 0 ] && [ "$got" -eq "$last" ] && still=$((still + 1)) || still=0
	sleep 0.1
	i=$((i + 1))
done
# snmpd forwards them to snmptrapd over UDP, unacknowledged. On an idle machine all 600 arrive;
# with the machine loaded part of a burst is lost after numatopd handed it to the master (seen:
# 588 and 421 of 600, no receive-buffer drop counted by the kernel; not investigated further).
# So the count is reported, and what the deadlock broke is asserted: every notification handed
# to the master (next), requests answered, SIGTERM obeyed.
sleep 1
got=$(nt_traps | grep -c -E -- "$gone_re")
drops=$(($(udp_rcvbuf_errors) - drops0))
echo "# $got of $N numaVmGone notifications reached snmptrapd in $((i / 10)).$((i % 10)) s ($drops UDP receive-buffer drops counted meanwhile)"
[ "$got" -gt 0 ] && nt_pass "numaVmGone notifications reached snmptrapd ($got of $N)" ||
	nt_fail "no numaVmGone notification reached snmptrapd within $limit s"
sent=$(nt_log_count '^sent numaVmGone')
[ "$sent" -eq $N ] && nt_pass "numatopd logged $N sent numaVmGone" ||
	nt_fail "numatopd logged $sent sent numaVmGone, want $N"

v=$(nt_snmp snmpget -Ovq -OU numaVmCount.0 2>&1)
[ "$v" = $N ] && nt_pass "numatopd still answers: numaVmCount.0 = $N" ||
	nt_fail "numaVmCount.0 = '$v' after the storm, want $N"

# SIGTERM: gone within 5 s (nt_stop_numatopd would resort to SIGKILL and only warn)
kill -TERM "$NT_NUMATOPD_PID"
i=0
while nt_alive "$NT_NUMATOPD_PID" && [ $i -lt $((50 * ${NT_SLOW:-1})) ]; do
	sleep 0.1
	i=$((i + 1))
done
nt_alive "$NT_NUMATOPD_PID" && nt_fail "numatopd still runs 5 s after SIGTERM" ||
	nt_pass "numatopd stopped on SIGTERM after the storm"
nt_stop_numatopd
nt_done
