#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# idle.sh: an idle numatopd sleeps in select(). Regression test for a loop that asked
# snmp_select_info() for a zero timeout and spun at 100% of a core (twice: the fix was lost
# once in a rewrite). The bound is loose on purpose: a spin burns the whole interval, a
# sleeping daemon a few ticks.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init idle
nt_need snmpd

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir "$FIXTURES/host/libvirt" || exit 1
nt_wait_numatopd_registered || exit 1

ticks() { awk '{ print $14 + $15 }' "/proc/$NT_NUMATOPD_PID/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
sleep 3
t1=$(ticks)
used=$((t1 - t0))
# 3 s of wall time; a spinning loop uses about 3 s of CPU, an idle one almost none
limit=$((hz * 3 / 4))
[ "$used" -lt "$limit" ] && nt_pass "idle for 3 s: $used CPU ticks (limit $limit, $hz per second)" ||
	nt_fail "idle numatopd used $used CPU ticks in 3 s (limit $limit): is the event loop spinning?"
nt_alive "$NT_NUMATOPD_PID" && nt_pass "still running" || nt_fail "numatopd died"
nt_done
