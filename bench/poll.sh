#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# bench/poll.sh: B7 and B8 of make bench: how fast a poller reads numaVcpuTable and numaVmTable
# one column at a time versus several columns per request (B7), and numatopd's request path
# against the floor of the Net-SNMP agent library, bench/floor (B8).
#
#	bench/poll.sh TARGET AGENTX PID SNMPD_PID N
#	                                    numatopd (PID) serves N VMs at TARGET, its master
#	                                    (SNMPD_PID) listens for subagents at AGENTX
#	                                    (bench/run.sh, at 1,000 VMs)
#	bench/poll.sh -host N               makes the host (bench/genhost.sh), snmpd and numatopd
#
# B7, each table: snmpbulkwalk -Cr25 of every column in turn (what an NMS does that walks column
#    by column), of the whole entry, snmptable (GETBULK, all columns, -Cr 25) and snmptable -CB
#    (GETNEXT, all columns, one row a request); REQS requests with every column of a row
#    against as many with a single column (snmpget, snmpgetnext, snmpbulkget -Cr25).
# B8: the floor (FLOOR, bench/floor) serves the same rows and 10 columns at numaVcpuTable's
#    OID at AgentX priority 1, which the master prefers to numatopd's 127 while it runs.
#    snmpbulkwalk -Cr25 (one varbind per AgentX message) and snmptable -CB (GETNEXT, 10 per
#    message) of the table for both: wall time, the CPU time of the subagent and of snmpd
#    and the subagent's voluntary context switches (its wake-ups) per varbind; with strace
#    (when installed and BENCH_STRACE is not 0), one more run each: the system calls per
#    AgentX message (all the subagent's calls / its recvfrom calls, one per message) and
#    the pselect6 calls per message.
# Every figure is the median of BENCH_POLL_ROUNDS runs (default 3); BENCH_POLL_ONLY=b8 skips B7.
# Prints a table; 1 on failure.
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TESTS_DIR=${TESTS_DIR:-$BENCH_DIR/../tests}
: "${NUMATOPD:=$BENCH_DIR/../numatopd}"
: "${FLOOR:=$(dirname "$NUMATOPD")/bench/floor}"
export NUMATOPD TESTS_DIR
. "$TESTS_DIR/lib.sh"
nt_init poll
nt_need snmpbulkwalk snmpbulkget snmpgetnext snmptable
: "${NT_SLOW:=6}"
[ -x "$FLOOR" ] || { echo "FAIL: $FLOOR not built (make bench builds it)" >&2; exit 1; }
ROUNDS=${BENCH_POLL_ROUNDS:-3}
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
REQS=20
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
VCPU=$ROOT.1.5
VM=$ROOT.1.3
OUT=$NT_DIR/poll
: >"$OUT"

case $# in
5) ;;
2) [ "$1" = -host ] || set -- ;;
*) set -- ;;
esac
[ $# -gt 0 ] || { echo "usage: poll.sh TARGET AGENTX PID SNMPD_PID N | -host N" >&2; exit 2; }
if [ "$1" = -host ]; then
	n=$2
	nt_need snmpd numatopd
	sh "$BENCH_DIR/genhost.sh" "$NT_DIR/h" "$n" || exit 1
	nt_start_snmpd </dev/null || exit 1
	nt_start_numatopd --sysfs-root "$NT_DIR/h/sys" --libvirt-xml-dir "$NT_DIR/h/qemu" || exit 1
	nt_wait_numatopd_registered || exit 1
	target=$NT_TARGET agentx=$NT_AGENTX pid=$NT_NUMATOPD_PID spid=$NT_SNMPD_PID
else
	target=$1 agentx=$2 pid=$3 spid=$4 n=$5
fi

ns() {
	date +%s%N
}

# snmp CMD OPTS OID...: CMD with the bench's options and OPTS (one word, split) against the
# target (no MIB loaded)
snmp() {
	c=$1 o=$2
	shift 2
	# shellcheck disable=SC2086 # OPTS: several options in one word
	"$c" -v2c -c public -t 5 -r 1 -m '' -On $o "$target" "$@"
}

# numbered columns FIRST..LAST of table T as OIDs
cols() {
	awk -v t="$1" -v a="$2" -v b="$3" 'BEGIN { for (c = a; c <= b; c++) printf "%s.1.%d ", t, c }'
}

# run LABEL VARBINDS CMD...: CMD ROUNDS times; one line "LABEL median_s varbinds" in $OUT
run() {
	label=$1 vb=$2
	shift 2
	: >"$NT_DIR/times"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		t0=$(ns)
		"$@" >"$NT_DIR/run.out" 2>"$NT_DIR/run.err" || {
			echo "FAIL: $label: $* failed: $(head -n 2 "$NT_DIR/run.err")" >&2
			return 1
		}
		echo $(($(ns) - t0)) >>"$NT_DIR/times"
		r=$((r + 1))
	done
	[ "$vb" = - ] && vb=$(count)
	sort -n "$NT_DIR/times" | awk -v l="$label" -v vb="$vb" '{ t[NR] = $1 }
		END { printf "%s|%.3f|%d\n", l, t[int((NR + 1) / 2)] / 1e9, vb }' >>"$OUT"
}

# the instances of a walk (no endOfMibView line)
count() {
	grep -c ' = [^N]' "$NT_DIR/run.out"
}

walk_columns() {
	for o in $(cols "$1" "$2" "$3"); do
		snmp snmpbulkwalk -Cr25 "$o" || return 1
	done
}

table() {
	snmptable -v2c -c public -t 5 -r 1 -M "$NT_MIBDIRS" -m NUMA-TOPOLOGY-MIB -Cf , -CH \
		"$@" "$target" "$tname"
}

requests() {
	i=0
	while [ $i -lt $REQS ]; do
		snmp "$@" || return 1
		i=$((i + 1))
	done
}

# b7 T NAME FIRST LAST: the B7 rows of one table
b7() {
	t=$1 tname=$2 first=$3 last=$4
	ncol=$((last - first + 1))
	snmp snmpbulkwalk -Cr25 "$t.1.$first" >"$NT_DIR/rows" || return 1
	nrow=$(grep -c ' = [^N]' "$NT_DIR/rows")
	vb=$((nrow * ncol))
	run "$tname, snmpbulkwalk -Cr25 of each column" $vb walk_columns "$t" "$first" "$last" ||
		return 1
	run "$tname, snmpbulkwalk -Cr25 of the entry" - snmp snmpbulkwalk -Cr25 "$t.1" || return 1
	run "$tname, snmptable -Cr 25 (GETBULK)" $vb table -Cr 25 || return 1
	run "$tname, snmptable -CB (GETNEXT)" $vb table -CB || return 1
	# the instance suffix of the first row (its index)
	idx=$(sed -n '1s/^[.0-9]*\.'"$first"'\.\([0-9.]*\) = .*/\1/p' "$NT_DIR/rows")
	run "$tname, snmpget, 1 column (x$REQS)" - requests snmpget "" "$t.1.$first.$idx" ||
		return 1
	# shellcheck disable=SC2046 # cols: one word per column
	run "$tname, snmpget, $ncol columns (x$REQS)" - requests snmpget "" \
		$(cols "$t" "$first" "$last" | sed "s/\([0-9]\) /\1.$idx /g") || return 1
	run "$tname, snmpgetnext, 1 column (x$REQS)" - \
		requests snmpgetnext "" "$t.1.$first" || return 1
	# shellcheck disable=SC2046
	run "$tname, snmpgetnext, $ncol columns (x$REQS)" - \
		requests snmpgetnext "" $(cols "$t" "$first" "$last") || return 1
	run "$tname, snmpbulkget -Cr25, 1 column (x$REQS)" - \
		requests snmpbulkget "-Cn0 -Cr25" "$t.1.$first" || return 1
	# shellcheck disable=SC2046
	run "$tname, snmpbulkget -Cr25, $ncol columns (x$REQS)" - \
		requests snmpbulkget "-Cn0 -Cr25" $(cols "$t" "$first" "$last") || return 1
}

# the floor's numaVcpuThreadId of the first row (bench/floor.c: 100000 + 10 vm + vcpu)
floor_serves() {
	snmp snmpget "" "$VCPU.1.6.$first_row" 2>/dev/null | grep -q "Gauge32: $floor_tid\$"
}

floor_gone() {
	! floor_serves
}

start_floor() {
	# numatopd's rows, "vmIndex vcpuId" a line, from its numaVcpuNode column
	snmp snmpbulkwalk -Cr25 "$VCPU.1.3" |
		sed -n 's/^[.0-9]*\.1\.5\.1\.3\.\([0-9]*\)\.\([0-9]*\) = .*/\1 \2/p' \
			>"$NT_DIR/floor.rows"
	read -r fvm fvcpu <"$NT_DIR/floor.rows" || return 1
	first_row=$fvm.$fvcpu floor_tid=$((100000 + 10 * fvm + fvcpu))
	MIBS='' "$FLOOR" "$agentx" "$VCPU" "$NT_DIR/floor.rows" >"$NT_DIR/floor.log" 2>&1 &
	floor_pid=$!
	nt_track $floor_pid
	nt__poll 100 floor_serves || { echo "FAIL: bench/floor did not register" >&2; return 1; }
}

stop_floor() {
	nt__terminate "$floor_pid"
	nt__poll 50 floor_gone || { echo "FAIL: bench/floor still answers" >&2; return 1; }
}

# traced WHO PID CMD...: CMD once with strace -c on PID: "WHO|calls per message|pselect6 per
# message|messages|calls" in $OUT.trace
traced() {
	tw=$1 tp=$2
	shift 2
	strace -c -f -p "$tp" -o "$NT_DIR/strace" 2>"$NT_DIR/strace.err" &
	sp=$!
	sleep 1
	"$@" >/dev/null 2>&1
	kill -INT $sp
	wait $sp 2>/dev/null
	awk -v w="$tw" '$NF == "total" { total = $4 } $NF == "recvfrom" { msg = $4 }
		$NF == "pselect6" { sel = $4 }
		END { if (msg > 0) printf "%s|%.1f|%.1f|%d|%d\n", w, total / msg, sel / msg, msg, total }' \
		"$NT_DIR/strace" >>"$OUT.trace"
}

# utime + stime (ticks) of a process; its voluntary context switches
ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

vcsw() {
	awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "/proc/$1/status"
}

# agentrun KEY SUBAGENT_PID CMD...: CMD once; "wall_ns subagent_ticks snmpd_ticks wake-ups"
# appended to $NT_DIR/agent.KEY
agentrun() {
	key=$1 ap=$2
	shift 2
	a0=$(ticks "$ap") s0=$(ticks "$spid") w0=$(vcsw "$ap") t0=$(ns)
	"$@" >"$NT_DIR/run.out" 2>"$NT_DIR/run.err" || {
		echo "FAIL: B8 $key: $* failed: $(head -n 2 "$NT_DIR/run.err")" >&2
		return 1
	}
	echo "$(($(ns) - t0)) $(($(ticks "$ap") - a0)) $(($(ticks "$spid") - s0))" \
		"$(($(vcsw "$ap") - w0))" >>"$NT_DIR/agent.$key"
}

# summary KEY LABEL: "LABEL|wall s|varbinds ($vb)|subagent CPU s|snmpd CPU s|wake-ups|best wall
# s": medians of the runs, and the wall time of the fastest one, in $OUT.b8
summary() {
	awk -v l="$2" -v vb="$vb" -v hz="$HZ" '
		function med(c,    i, j, t, a) { for (i = 1; i <= NR; i++) a[i] = v[i, c]
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return a[int((NR + 1) / 2)] }
		{ for (c = 1; c <= 4; c++) v[NR, c] = $c }
		{ if (NR == 1 || $1 < best) best = $1 }
		END { printf "%s|%.3f|%d|%.3f|%.3f|%d|%.3f\n", l, med(1) / 1e9, vb, med(2) / hz,
			med(3) / hz, med(4), best / 1e9 }' "$NT_DIR/agent.$1" >>"$OUT.b8"
}

# the whole table, or a failure: the floor must serve every row numatopd does
walk_vcpu() {
	snmp snmpbulkwalk -Cr25 "$VCPU" >"$NT_DIR/walk" || return 1
	cat "$NT_DIR/walk"
	[ "$(grep -c ' = [^N]' "$NT_DIR/walk")" = "$vb" ] || {
		echo "walked $(grep -c ' = [^N]' "$NT_DIR/walk") varbinds, not $vb" >&2
		return 1
	}
}

# one round: both requests against WHO (numatopd, or the floor started for the round)
b8_round() {
	tp=$pid
	if [ "$1" = floor ]; then
		start_floor || return 1
		tp=$floor_pid
	fi
	agentrun "$1.walk" "$tp" walk_vcpu || return 1
	agentrun "$1.next" "$tp" table -CB || return 1
	if [ "$2" = 1 ] && [ "${BENCH_STRACE:-1}" != 0 ] && command -v strace >/dev/null 2>&1; then
		traced "$1, snmpbulkwalk -Cr25" "$tp" walk_vcpu
		traced "$1, snmptable -CB (GETNEXT)" "$tp" table -CB
	fi
	if [ "$1" = floor ]; then
		stop_floor || return 1
	fi
	return 0
}

# numatopd and the floor in turns, ROUNDS times (the load of the machine drifts); strace in the
# last round only
b8() {
	tname=numaVcpuTable
	vb=$(awk -F'|' '$1 ~ /^numaVcpuTable, snmpbulkwalk -Cr25 of the entry/ { print $3 }' "$OUT")
	if [ -z "$vb" ]; then
		snmp snmpbulkwalk -Cr25 "$VCPU" >"$NT_DIR/walk" || return 1
		vb=$(grep -c ' = [^N]' "$NT_DIR/walk")
	fi
	r=1
	while [ $r -le "$ROUNDS" ]; do
		b8_round numatopd $((r == ROUNDS)) && b8_round floor $((r == ROUNDS)) || return 1
		r=$((r + 1))
	done
	for who in numatopd floor; do
		summary "$who.walk" "$who, snmpbulkwalk -Cr25"
		summary "$who.next" "$who, snmptable -CB (GETNEXT)"
	done
}

rc=0
# BENCH_POLL_ONLY=b8: the request path alone
if [ "${BENCH_POLL_ONLY:-}" = b8 ]; then
	b8 || rc=1
else
	b7 "$VCPU" numaVcpuTable 2 11 && b7 "$VM" numaVmTable 2 25 && b8 || rc=1
fi
[ -s "$OUT" ] && echo "B7 at $n VMs, how to poll fast: median of $ROUNDS runs each (2 cores shared: noisy)"
awk -F'|' '{ printf "  %-56s %6.2f s %6d varbinds %6d varbinds/s\n", $1, $2, $3,
	($2 > 0 ? $3 / $2 : 0) }' "$OUT"
if [ -s "$OUT.b8" ]; then
	echo "B8 the request path, numaVcpuTable: numatopd against bench/floor (median of $ROUNDS)"
	echo "  (us/varbind: CPU time per varbind of the subagent and of snmpd; wake-ups: the"
	echo "  subagent's voluntary context switches per varbind; best: the fastest run)"
	awk -F'|' '{ printf "  %-34s %5.2f s %6d varbinds/s %5.1f us %5.1f us snmpd %4.2f wake-ups" \
		" (best %.2f s)\n", $1, $2, ($2 > 0 ? $3 / $2 : 0), $4 * 1e6 / $3, $5 * 1e6 / $3,
		$6 / $3, $7 }' "$OUT.b8"
fi
if [ -s "$OUT.trace" ]; then
	echo "B8 system calls per AgentX message (strace -c -f -p, one run each)"
	awk -F'|' '{ printf "  %-34s %5.1f calls %4.1f pselect6 %6d messages %7d calls\n", $1, $2,
		$3, $4, $5 }' "$OUT.trace"
fi
exit $rc
