#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# bench/scrape.sh: B5 of make bench, a Prometheus scrape through Debian's snmp_exporter with the
# shipped modules (contrib/prometheus/snmp.yml) against numatopd, as Prometheus sends it (10 s
# scrape timeout header); with VARIANTS, also the module design choices, measured side by side.
#
#	bench/scrape.sh TARGET N [VARIANTS]    numatopd already serves N VMs at TARGET (bench/run.sh)
#	bench/scrape.sh -host N [VARIANTS]     makes the host (bench/genhost.sh), snmpd and numatopd
#
# The shipped modules: numatopd, numatopd_nodes, numatopd_vms. VARIANTS=1: also numatopd with max_repetitions 25 (the
# exporter's default) and 100 (shipped: 50), without the name/UUID lookups (the vm_index label
# instead), and with the whole numaVcpuTable walked (walked, not exported: the cost of its columns
# but numaVcpuAffinityVerdict, which the module walks already).
# Prints one line per module: "B5 N MODULE median_s min_s samples varbinds walk_median_s
# http_code cpu_s", cpu_s the CPU time (user + system) per scrape of the exporter, snmpd and
# numatopd together (B5_PIDS: the pids of snmpd and numatopd when TARGET is given): the work, which
# the wall time shows only on an idle machine. BENCH_SCRAPES rounds each (default 5). A scrape may take longer than Prometheus'
# 10 s timeout here (up to 300 s), to say by how much. Exit 1 when a scrape failed.
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TESTS_DIR=${TESTS_DIR:-$BENCH_DIR/../tests}
: "${NUMATOPD:=$BENCH_DIR/../numatopd}"
: "${SNMP_YML:=$BENCH_DIR/../contrib/prometheus/snmp.yml}"
export NUMATOPD TESTS_DIR
target=$1 n=$2 variants=${3:-0}
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/promlib.sh"
nt_init scrape
# 77 when the exporter is missing, whatever NUMATOPD_REQUIRE_ALL says: bench/run.sh reports it
unset NUMATOPD_REQUIRE_ALL
nt_need curl "${SNMP_EXPORTER:-prometheus-snmp-exporter}"
: "${NT_SLOW:=6}"
ROUNDS=${BENCH_SCRAPES:-5}

if [ "$target" = -host ]; then
	nt_need snmpd numatopd
	sh "$BENCH_DIR/genhost.sh" "$NT_DIR/h" "$n" || exit 1
	nt_start_snmpd </dev/null || exit 1
	nt_start_numatopd --sysfs-root "$NT_DIR/h/sys" --libvirt-xml-dir "$NT_DIR/h/qemu" || exit 1
	nt_wait_numatopd_registered || exit 1
	pids="$NT_SNMPD_PID $NT_NUMATOPD_PID"
else
	NT_TARGET=$target
	pids=${B5_PIDS:-}
fi

# cpu seconds (utime + stime, all threads) of the processes $pids and $PX_PID so far
cpu() {
	for p in $pids $PX_PID; do
		cat "/proc/$p/stat" 2>/dev/null
	done | awk -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" '
		{ sub(/.*\) /, ""); t += $12 + $13 } END { printf "%.3f", t / hz }'
}

# variant NAME KIND [REP]: the numatopd module of snmp.yml under the name NAME, changed by KIND:
# rep (max_repetitions REP), nolookups (no lookups: the vm_index label), vcpu (numaVcpuTable walked)
variant() {
	awk -v name="$1" -v kind="$2" -v rep="${3:-}" '
		/^[^ #]/ { inmod = ($0 == "numatopd:"); if (inmod) print name ":"; next }
		!inmod { next }
		kind == "rep" && /^  max_repetitions:/ { print "  max_repetitions: " rep; next }
		kind == "nolookups" && /^    lookups:/ { skip = 1; next }
		skip && /^(    - |      )/ { next }
		{ skip = 0 }
		kind == "vcpu" && /^  walk:$/ { print; print "  - 1.3.6.1.4.1.8072.9999.9999.6862.1.5"; next }
		{ print }' "$SNMP_YML"
}

configs=$SNMP_YML
modules="numatopd numatopd_nodes numatopd_vms"
if [ "$variants" = 1 ]; then
	{
		variant numatopd_rep25 rep 25
		variant numatopd_rep100 rep 100
		variant numatopd_nolookups nolookups
		variant numatopd_vcpu vcpu
	} >"$NT_DIR/variants.yml"
	# the exporter 0.21 reads one config file: the shipped one and the variants together
	cat "$SNMP_YML" "$NT_DIR/variants.yml" >"$NT_DIR/all.yml"
	configs=$NT_DIR/all.yml
	modules="$modules numatopd_rep25 numatopd_rep100 numatopd_nolookups numatopd_vcpu"
fi
px_start_exporter "$configs" || exit 1

rc=0
for m in $modules; do
	: >"$NT_DIR/times"
	c0=$(cpu)
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		i=$((i + 1))
		# beyond Prometheus' 10 s timeout too: how long it would take
		px_scrape "$m" "$NT_DIR/out" 300
		[ "$PX_CODE" = 200 ] || { rc=1; touch "$NT_DIR/out"; }
		walk=$(awk '$1 == "snmp_scrape_walk_duration_seconds" { print $2 }' "$NT_DIR/out")
		echo "$PX_SECONDS ${walk:--1}" >>"$NT_DIR/times"
	done
	c1=$(cpu)
	samples=$(grep -c -v '^#' "$NT_DIR/out")
	pdus=$(awk '$1 == "snmp_scrape_pdus_returned" { print $2 }' "$NT_DIR/out")
	sort -n "$NT_DIR/times" | awk -v n="$n" -v m="$m" -v s="$samples" -v p="${pdus:--1}" \
		-v c="$PX_CODE" -v cpu="$c0 $c1" '
		{ t[NR] = $1; w[NR] = $2 }
		END {
			asort_w()
			split(cpu, cs, " ")
			printf "B5 %d %s %.3f %.3f %d %d %.3f %s %.3f\n", n, m, t[int((NR + 1) / 2)], t[1], s,
				p, ws[int((NR + 1) / 2)], c, (cs[2] - cs[1]) / NR
		}
		function asort_w(   i, j, x) {
			for (i = 1; i <= NR; i++) ws[i] = w[i]
			for (i = 2; i <= NR; i++) for (j = i; j > 1 && ws[j - 1] > ws[j]; j--) {
				x = ws[j]; ws[j] = ws[j - 1]; ws[j - 1] = x }
		}'
done
px_stop_exporter
exit $rc
