#!/bin/sh
# snmp-master.sh: numatopd outlives its AgentX master. The master killed (SIGKILL) or stopped and
# started again: the rows come back within agentxPingInterval plus a margin; numatopd started
# before any master: the rows appear once snmpd starts. The walk still equals --dump=json.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/walklib.sh"
nt_init snmp-master
nt_need snmpd snmpwalk snmpbulkwalk snmpget snmpgetnext numatopd
nt_need_mibs
wl_init

HOST=${FIXTURES:-$TESTS_DIR/../fixtures}/host
CONF=$NT_DIR/numatopd.conf
# Net-SNMP's own directive, read by the library: how often a subagent pings its master and, once
# the master is gone, retries. 1 s keeps this test short.
PING=1
# How long the rows may take beyond one ping interval: the reconnect, the registration of seven
# subtrees, and a loaded 2-core machine.
MARGIN=6
printf 'agentxPingInterval %s\n' $PING >"$CONF"

answers() {
	[ "$(nt_snmp snmpget -t 1 -r 0 -Ovq -OU numaNodeVcpusBound.4 2>/dev/null)" = 15 ]
}

# expect_back LABEL T0: the rows answer again within PING + MARGIN seconds of T0 (tenths)
expect_back() {
	if nt__poll $(((PING + MARGIN) * 10)) answers; then
		t=$(($(nt__now) - $2))
		nt_pass "$1: rows back after $((t / 10)).$((t % 10)) s"
	else
		nt_fail "$1: numaNodeVcpusBound.4 not 15 within $((PING + MARGIN)) s:" \
			"$(nt_snmp snmpget -Ovq numaNodeVcpusBound.4 2>&1)"
	fi
}

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" || exit 1
nt_wait_numatopd_registered || exit 1
pid=$NT_NUMATOPD_PID
answers && nt_pass "rows answer" || nt_fail "numaNodeVcpusBound.4 is not 15 at start"

# 1. the master dies without a word (SIGKILL) and comes back on the same port and socket
nt_kill9_snmpd
nt_alive "$pid" && nt_pass "master killed: numatopd keeps running" ||
	nt_fail "numatopd exited when its master was killed"
nt_restart_snmpd || exit 1
expect_back "master killed and restarted" "$(nt__now)"
nt_alive "$pid" && nt_pass "numatopd is the same process ($pid)" || nt_fail "numatopd died"
wl_compare "after the master's restart" -- -c "$CONF" --sysfs-root "$HOST/sys" \
	--libvirt-xml-dir "$HOST/libvirt"

# 2. the master is stopped cleanly (SIGTERM) and started again
nt_restart_snmpd || exit 1
expect_back "master stopped and started" "$(nt__now)"

# 3. a longer absence: several pings fail before the master is back
nt_kill9_snmpd
# the absence itself is the point here: nothing to poll for
sleep 2.5
nt_alive "$pid" && nt_pass "2.5 s without a master: numatopd keeps running" ||
	nt_fail "numatopd exited while the master was away"
nt_restart_snmpd || exit 1
expect_back "master back after 2.5 s" "$(nt__now)"
n=$(grep -c 'subagent connected' "$NT_DIR/numatopd.log")
[ "$n" -ge 4 ] && nt_pass "numatopd logged its first connection and 3 reconnections" ||
	nt_fail "$n 'subagent connected' lines in numatopd.log, want 4 or more"
nt_stop_numatopd
nt_stop_snmpd

# 4. numatopd first, no master at all; the rows appear once snmpd starts
rm -f "$NT_DIR/agentx.sock"
nt_start_numatopd -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" || exit 1
pid=$NT_NUMATOPD_PID
# it is up (its start line is logged) and waits for the master
nt_wait_for_line "$NT_DIR/numatopd.log" 'numatopd .* started' 5 || :
nt_alive "$pid" && nt_pass "no master: numatopd runs and waits" ||
	nt_fail "numatopd exited without a master: $(tail -n 3 "$NT_DIR/numatopd.log")"
t0=$(nt__now)
nt_start_snmpd </dev/null || exit 1
expect_back "snmpd started after numatopd" "$t0"
wl_compare "snmpd started after numatopd" -- -c "$CONF" --sysfs-root "$HOST/sys" \
	--libvirt-xml-dir "$HOST/libvirt"

nt_done
