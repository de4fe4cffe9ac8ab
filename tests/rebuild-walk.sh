#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# rebuild-walk.sh: the request path never waits for a rebuild. A 10,000-VM host (bench/
# genhost.sh), numatopd under a private snmpd with agentXTimeout 1 s and no retry; SIGHUP every
# 0.3 s with another maxFileSize forces cold rebuilds (each parses all 10,000 files again,
# 1.4 s or more) while snmpbulkwalk, with Net-SNMP's default timeout, walks numaVmName for 10 s:
# every walk gets all 10,000 rows, no error. ~45 s, so not in make check: .ci/run and make bench
# (bench/run.sh) run it, or alone: make check TESTS=tests/rebuild-walk.sh.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init rebuild-walk
nt_need snmpd snmpbulkwalk numatopd

N=${REBUILD_WALK_VMS:-10000}
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
HOST=$NT_DIR/host
CONF=$NT_DIR/numatopd.conf
sh "$TESTS_DIR/../bench/genhost.sh" "$HOST" "$N" >/dev/null || { nt_fail "genhost.sh"; nt_done; }
printf 'agentxPingInterval 1\nrefreshInterval 600\neventDelay 0\nnotifications no\n' >"$CONF"

nt_start_snmpd 'agentXRetries 0' </dev/null || exit 1
nt_start_numatopd -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/qemu" || exit 1
NT_SLOW=$((${NT_SLOW:-1} * 6)) nt_wait_numatopd_registered || exit 1

# SIGHUP every 0.3 s until the file stop appears, maxFileSize changed each time: a new scan,
# every file parsed again (a cold rebuild, as after a libvirtd restart)
hup_loop() {
	hl__size=16
	while [ ! -e "$NT_DIR/stop" ]; do
		hl__size=$((33 - hl__size))
		printf 'agentxPingInterval 1\nrefreshInterval 600\neventDelay 0\nnotifications no\nmaxFileSize %sM\n' \
			"$hl__size" >"$CONF.new" && mv "$CONF.new" "$CONF"
		kill -HUP "$NT_NUMATOPD_PID" 2>/dev/null || return
		sleep 0.3
	done
}
hup_loop &
hup=$!
nt_track "$hup"
# walks one after the other for 10 s (at least 3)
end=$(($(nt__now) + 100))
walk=0
while [ $walk -lt 3 ] || [ "$(nt__now)" -lt $end ]; do
	walk=$((walk + 1))
	t0=$(nt__now)
	snmpbulkwalk -v2c -c public -m '' -On -Cr50 "$NT_TARGET" "$ROOT.1.3.1.2" \
		>"$NT_DIR/walk$walk" 2>"$NT_DIR/walk$walk.err"
	st=$?
	rows=$(grep -c "^$(nt_re "$ROOT.1.3.1.2.")" "$NT_DIR/walk$walk")
	secs=$(awk -v a="$t0" -v b="$(nt__now)" 'BEGIN { printf "%.1f", (b - a) / 10 }')
	if [ $st = 0 ] && [ "$rows" = "$N" ] && [ ! -s "$NT_DIR/walk$walk.err" ]; then
		nt_pass "walk $walk during forced rebuilds: $rows rows in $secs s, no timeout"
	else
		[ $walk -gt 20 ] && break
		nt_fail "walk $walk: status $st, $rows rows of $N in $secs s: $(head -n 3 "$NT_DIR/walk$walk.err")$(grep -v "^$(nt_re "$ROOT.1.3.1.2.")" "$NT_DIR/walk$walk" | head -n 3)"
	fi
done
touch "$NT_DIR/stop"
wait "$hup"
nt_log_at_least 4 "configuration reloaded" "%s forced rebuilds ran meanwhile" \
	"only %s rebuilds ran: the walks were not tested under rebuilds"
nt_stop_numatopd
nt_done
