#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# harness.sh: self-test of tests/lib.sh: a private snmpd answers and serves AgentX on a
# group-accessible socket, snmptrapd logs one line per trap, a master restart keeps the port, and
# nothing is left running or written outside the temp dir. Runs as root and as any other user.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init harness
nt_need snmpd snmptrapd snmpget snmpgetnext snmptrap

ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
marker=$NT_DIR/marker
touch "$marker"

uptime_ok() {
	snmpget -v2c -c public -t 1 -r 1 -m '' -On "$NT_TARGET" .1.3.6.1.2.1.1.3.0 2>&1 |
		grep -q '^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = Timeticks: ([0-9]*)'
}

# 1. snmptrapd, then snmpd sending its traps there (extra config lines on stdin)
if nt_start_trapd; then
	nt_pass "snmptrapd ready on 127.0.0.1:$NT_TRAP_PORT"
else
	nt_fail "snmptrapd did not start"
	nt_done
fi
nt_port_busy udp "$NT_TRAP_PORT" && nt_pass "port check sees $NT_TRAP_PORT as busy" ||
	nt_fail "nt_port_busy udp does not see snmptrapd's port $NT_TRAP_PORT"
p=$(nt_free_udp_port) && [ "$p" -ge 20000 ] && [ "$p" -le 60000 ] && [ "$p" != "$NT_TRAP_PORT" ] &&
	nt_pass "nt_free_udp_port: $p" || nt_fail "nt_free_udp_port gave '$p'"

if nt_start_snmpd <<EOF
trap2sink 127.0.0.1:$NT_TRAP_PORT public
EOF
then
	nt_pass "snmpd ready on $NT_TARGET"
else
	nt_fail "snmpd did not start"
	nt_done
fi
port1=$NT_PORT
pid1=$NT_SNMPD_PID
uptime_ok && nt_pass "sysUpTime.0 answers" || nt_fail "sysUpTime.0 does not answer on $NT_TARGET"
grep -q "^trap2sink 127.0.0.1:$NT_TRAP_PORT public\$" "$NT_DIR/snmpd.conf" &&
	nt_pass "stdin lines appended to snmpd.conf" || nt_fail "stdin lines missing in snmpd.conf"
[ "$(cat "$NT_DIR/snmpd.pid" 2>/dev/null)" = "$pid1" ] && nt_pass "snmpd -p pid file matches \$!" ||
	nt_fail "snmpd.pid '$(cat "$NT_DIR/snmpd.pid" 2>/dev/null)' != $pid1"

# 2. the AgentX socket: where NT_AGENTX says, rw for the group (agentXPerms 0660)
sock=${NT_AGENTX#unix:}
if [ -S "$sock" ]; then
	mode=$(stat -c %a "$sock")
	[ $((0$mode & 060)) -eq $((060)) ] && nt_pass "AgentX socket $sock mode $mode" ||
		nt_fail "AgentX socket mode $mode lacks group rw"
else
	nt_fail "no AgentX socket at $sock"
fi
[ "$(dirname "$sock")" = "$NT_DIR" ] && nt_pass "socket inside \$NT_DIR" || nt_fail "socket outside \$NT_DIR"

# 3. snmpd's coldStart reaches the trap log through trap2sink
nt_wait_for_trap "$(nt_re '.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.6.3.1.1.5.1')(	|\$)" 5 &&
	nt_pass "coldStart from snmpd logged" || nt_fail "no coldStart from snmpd in the trap log"

# 4. a trap sent straight to snmptrapd: one record with the trap OID and the varbind
snmptrap -v2c -c public -m '' "127.0.0.1:$NT_TRAP_PORT" '' "$ROOT.0.1" "$ROOT.1.2.1.3.2" u 8 \
	>"$NT_DIR/snmptrap.out" 2>&1 || nt_fail "snmptrap: $(cat "$NT_DIR/snmptrap.out")"
trapre="$(nt_re ".1.3.6.1.6.3.1.1.4.1.0 = OID: $ROOT.0.1")	$(nt_re "$ROOT.1.2.1.3.2 = Gauge32: 8")\$"
if nt_wait_for_trap "$trapre" 5; then
	nt_pass "trap logged as one line"
	[ "$(nt_traps | grep -c -E "$trapre")" -eq 1 ] && nt_pass "exactly one record for it" ||
		nt_fail "$(nt_traps | grep -c -E "$trapre") records for one trap"
	nt_traps | grep -E "$trapre" | grep -q "^TRAP UDP: \[127\.0\.0\.1\]:[0-9]*->\[127\.0\.0\.1\]:$NT_TRAP_PORT	" &&
		nt_pass "record starts with the transport" || nt_fail "record lacks the transport"
else
	nt_fail "trap not logged as expected; trap records:"
	nt_traps >&2
fi

# 5. a notification from an AgentX subagent goes out through the master's trap2sink
if command -v agentxtrap >/dev/null 2>&1; then
	agentxtrap -x "$NT_AGENTX" -m '' "$ROOT.0.2" "$ROOT.1.2.1.3.1" u 3 \
		>"$NT_DIR/agentxtrap.out" 2>&1 || nt_fail "agentxtrap: $(cat "$NT_DIR/agentxtrap.out")"
	nt_wait_for_trap "$(nt_re "OID: $ROOT.0.2")	$(nt_re "$ROOT.1.2.1.3.1 = Gauge32: 3")\$" 5 &&
		nt_pass "AgentX notification forwarded by the master" ||
		nt_fail "AgentX notification not forwarded"
fi

# 6. nt_snmp: MIB names, options before the target, operands after
if [ -r "${SHARED_MIBS:-}/SNMPv2-SMI.txt" ] && [ -r "${MIBSRC:-}/NUMA-TOPOLOGY-MIB.txt" ]; then
	out=$(nt_snmp snmpget -On SNMPv2-MIB::sysUpTime.0 2>&1)
	case $out in
	".1.3.6.1.2.1.1.3.0 = Timeticks: "*) nt_pass "nt_snmp snmpget -On sysUpTime.0" ;;
	*) nt_fail "nt_snmp snmpget: $out" ;;
	esac
	out=$(nt_snmp snmpget -O n -t 1 SNMPv2-MIB::sysUpTime.0 2>&1)
	case $out in
	".1.3.6.1.2.1.1.3.0 = Timeticks: "*) nt_pass "nt_snmp with options taking a separate value" ;;
	*) nt_fail "nt_snmp snmpget -O n -t 1: $out" ;;
	esac
	out=$(nt_snmp snmpget numaSourceStatus.0 2>&1)
	case $out in
	"NUMA-TOPOLOGY-MIB::numaSourceStatus.0 = No Such Object"*) nt_pass "nt_snmp loads NUMA-TOPOLOGY-MIB" ;;
	*) nt_fail "nt_snmp snmpget numaSourceStatus.0: $out" ;;
	esac
else
	echo "note: base MIBs or MIBSRC not found, nt_snmp not checked"
fi

# 7. skipping: a missing tool exits 77, or 1 under NUMATOPD_REQUIRE_ALL=1 (in subshells, which
#    do not run the cleanup trap); starting from a subshell is refused
(SNMPTRAPD=$NT_DIR/none NUMATOPD_REQUIRE_ALL=0; nt_need snmptrapd) >/dev/null 2>&1
rc=$?
[ $rc -eq 77 ] && nt_pass "missing SNMPTRAPD: skip (77)" || nt_fail "missing SNMPTRAPD: exit $rc, want 77"
(NUMATOPD_REQUIRE_ALL=1 nt_need no-such-tool-here) >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && nt_pass "missing tool, NUMATOPD_REQUIRE_ALL=1: fail (1)" ||
	nt_fail "missing tool under NUMATOPD_REQUIRE_ALL=1: exit $rc, want 1"
(SNMPD=''; nt_need snmpd; [ -x "$SNMPD" ]) && nt_pass "empty SNMPD: found in PATH or /usr/sbin" ||
	nt_fail "empty SNMPD not resolved"
trapd_pid=$NT_TRAPD_PID
if echo | nt_start_trapd 2>"$NT_DIR/sub.err"; then
	nt_fail "nt_start_trapd ran in a pipeline's subshell"
else
	grep -q subshell "$NT_DIR/sub.err" && nt_pass "nt_start_trapd refuses a subshell" ||
		nt_fail "subshell refusal without a message: $(cat "$NT_DIR/sub.err")"
fi
[ "$NT_TRAPD_PID" = "$trapd_pid" ] && nt_alive "$NT_TRAPD_PID" && uptime_ok &&
	nt_pass "daemons untouched by the subshells" || nt_fail "a subshell disturbed the daemons"

# 8. waiting for a line that never comes times out when told
nt_wait_for_line "$NT_TRAPLOG" 'no such line' 0.3 2>/dev/null && nt_fail "wait_for_line matched nothing" ||
	nt_pass "nt_wait_for_line times out"

# 9. master restart (SIGTERM): same port, answers again, stale pid gone
nt_restart_snmpd && nt_pass "snmpd restarted" || nt_fail "snmpd restart failed"
[ "$NT_PORT" = "$port1" ] && nt_pass "same port $NT_PORT after restart" || nt_fail "port $port1 -> $NT_PORT"
nt_alive "$pid1" && nt_fail "old snmpd $pid1 still runs" || nt_pass "old snmpd gone"
uptime_ok && nt_pass "sysUpTime.0 answers after restart" || nt_fail "no answer after restart"
[ -S "$sock" ] && nt_pass "AgentX socket back" || nt_fail "no AgentX socket after restart"

# 10. master crash (SIGKILL leaves the socket file) and restart on the same port
pid2=$NT_SNMPD_PID
nt_restart_snmpd -9 && uptime_ok && [ "$NT_PORT" = "$port1" ] &&
	nt_pass "snmpd restarted after SIGKILL on the same port" || nt_fail "restart after SIGKILL failed"
nt_alive "$pid2" && nt_fail "killed snmpd $pid2 still runs" || nt_pass "killed snmpd gone"

# 11. numatopd, when built (a manual run with the fixtures at hand)
if [ -x "${NUMATOPD:-}" ] && [ -d "${FIXTURES:-$TESTS_DIR/../fixtures}/host/sys" ]; then
	fx=${FIXTURES:-$TESTS_DIR/../fixtures}/host
	nt_start_numatopd --sysfs-root "$fx/sys" --libvirt-xml-dir "$fx/libvirt" &&
		nt_wait_numatopd_registered && nt_pass "numatopd registered" ||
		nt_fail "numatopd did not register"
	npid=$NT_NUMATOPD_PID
	nt_stop_numatopd
	nt_alive "$npid" && nt_fail "numatopd $npid still runs" || nt_pass "numatopd stopped"
else
	echo "note: NUMATOPD='${NUMATOPD:-}' not built, numatopd start not checked"
fi

# 12. the port is taken when snmpd binds it: nt_start_snmpd tries another one. The first port
#     offered is snmptrapd's.
pid3=$NT_SNMPD_PID
nt_stop_snmpd
echo 0 >"$NT_DIR/calls"
nt_free_udp_port() {
	n=$(($(cat "$NT_DIR/calls") + 1))
	echo $n >"$NT_DIR/calls"
	if [ $n = 1 ]; then
		echo "$NT_TRAP_PORT"
	else
		echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40001))
	fi
}
if nt_start_snmpd </dev/null && uptime_ok; then
	[ "$(cat "$NT_DIR/calls")" = 2 ] && [ "$NT_PORT" != "$NT_TRAP_PORT" ] &&
		grep -q "Error opening specified endpoint \"udp:127.0.0.1:$NT_TRAP_PORT\"" "$NT_DIR/snmpd.log" &&
		nt_pass "taken port $NT_TRAP_PORT: snmpd retried on $NT_PORT" ||
		nt_fail "port retry: $(cat "$NT_DIR/calls") ports tried, now on $NT_PORT"
else
	nt_fail "snmpd did not start after a taken port"
fi

# 13. stop everything: no process left, nothing written outside $NT_DIR
pids="$NT_SNMPD_PID $NT_TRAPD_PID"
nt_stop_snmpd
nt_stop_trapd
left=
for p in $pids $pid1 $pid2 $pid3 ${npid:-}; do
	nt_alive "$p" && left="$left $p"
done
[ -z "$left" ] && nt_pass "no daemon left running" || nt_fail "still running:$left"

# Where Net-SNMP writes when not told otherwise: persistent state, AgentX and pid files, the
# user's ~/.snmp, and its mkstemp pattern in /tmp. Names only, not all of /tmp and /run: other
# programs on the machine may be writing there meanwhile.
outside=$(
	for d in /var/lib/snmp /var/lib/net-snmp /var/net-snmp /var/agentx /run/agentx \
		/var/run/agentx /etc/snmp /usr/share/snmp "${HOME:-/nonexistent}/.snmp"; do
		[ -e "$d" ] && find "$d" -newer "$marker" 2>/dev/null
	done
	find /run /var/run -maxdepth 1 -newer "$marker" -name 'snmp*' 2>/dev/null
	find /tmp "${TMPDIR:-/tmp}" -maxdepth 1 -newer "$marker" -name 'snmpd??????' 2>/dev/null
)
[ -z "$outside" ] && nt_pass "nothing written outside \$NT_DIR" ||
	nt_fail "written outside \$NT_DIR: $outside"

nt_done
