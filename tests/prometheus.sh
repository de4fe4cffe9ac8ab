#!/bin/sh
# tests/prometheus.sh: contrib/prometheus/snmp.yml works with Debian's prometheus-snmp-exporter:
# the exporter scrapes numatopd (fixture host) through a private snmpd, and the metrics carry the
# fixture's values with node/vm/uuid/size labels, byte values as exact gauges, booleans as 0/1.
#
# Environment: as for every test of tests/lib.sh (FIXTURES, NUMATOPD, TESTS_DIR, ...), and
#   SNMP_EXPORTER  the exporter to run (default: prometheus-snmp-exporter in PATH)
#   SNMP_YML       the config to test (default: contrib/prometheus/snmp.yml beside tests/)
# Exit: 0 all passed, 1 a check failed, 77 skipped (a tool missing, NUMATOPD_REQUIRE_ALL unset).

. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init prometheus

here=$(cd "$(dirname "$0")" && pwd)
: "${FIXTURES:=$here/../fixtures}"
: "${SNMP_YML:=$here/../contrib/prometheus/snmp.yml}"
nt_need snmpd curl "${SNMP_EXPORTER:-prometheus-snmp-exporter}"
SNMP_EXPORTER=$(command -v "${SNMP_EXPORTER:-prometheus-snmp-exporter}")

if "$SNMP_EXPORTER" --config.file="$SNMP_YML" --dry-run >"$NT_DIR/dryrun.log" 2>&1; then
	nt_pass "the exporter accepts $SNMP_YML"
else
	nt_fail "the exporter rejects $SNMP_YML:"
	cat "$NT_DIR/dryrun.log" >&2
	nt_done
fi

nt_start_snmpd || exit 1
nt_start_numatopd --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir "$FIXTURES/host/libvirt" ||
	exit 1
nt_wait_numatopd_registered || exit 1

# ------------------------------------------------------------------ the exporter

tcp_port_busy() {
	if command -v ss >/dev/null 2>&1; then
		ss -Hnlt 2>/dev/null | awk -v p="$1" '
			{ n = split($4, a, ":"); if (a[n] == p) found = 1 }
			END { exit !found }'
		return
	fi
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v h="$hex" '$4 == "0A" { n = split($2, a, ":"); if (a[n] == h) found = 1 }
			END { exit !found }'
}

exporter_ready_or_dead() {
	nt_alive "$EXPORTER_PID" || return 0
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$HTTP_PORT/"
}

# Start it on a free TCP port of 127.0.0.1; another port when the bind races with someone else.
start_exporter() {
	attempt=0
	while [ $attempt -lt 10 ]; do
		attempt=$((attempt + 1))
		HTTP_PORT=$(nt_free_udp_port) || return 1
		tcp_port_busy "$HTTP_PORT" && continue
		"$SNMP_EXPORTER" --config.file="$SNMP_YML" \
			--web.listen-address="127.0.0.1:$HTTP_PORT" \
			</dev/null >"$NT_DIR/exporter.log" 2>&1 &
		EXPORTER_PID=$!
		nt_track "$EXPORTER_PID"
		nt__poll 100 exporter_ready_or_dead || :
		nt_alive "$EXPORTER_PID" && exporter_ready_or_dead && return 0
		if nt_alive "$EXPORTER_PID"; then
			echo "FAIL: the exporter does not answer on 127.0.0.1:$HTTP_PORT after 10 s" >&2
			return 1
		fi
		grep -q 'address already in use' "$NT_DIR/exporter.log" || {
			echo "FAIL: the exporter exited during start-up" >&2
			return 1
		}
	done
	echo "FAIL: the exporter could not bind a TCP port in 10 attempts" >&2
	return 1
}

start_exporter || { tail -n 20 "$NT_DIR/exporter.log" >&2; exit 1; }

url="http://127.0.0.1:$HTTP_PORT/snmp?module=numatopd&target=$NT_TARGET"
code=$(curl -s -o "$NT_DIR/metrics.out" -w '%{http_code}' --max-time 30 "$url")
if [ "$code" = 200 ]; then
	nt_pass "GET /snmp?module=numatopd&target=$NT_TARGET: 200"
else
	nt_fail "GET $url: HTTP '$code'"
	tail -n 20 "$NT_DIR/metrics.out" >&2
	nt_done
fi
grep -v '^#' "$NT_DIR/metrics.out" >"$NT_DIR/samples"

# has LINE: the scrape has exactly this sample line (labels in the exporter's sorted order)
has() {
	if grep -q -x -F -- "$1" "$NT_DIR/samples"; then
		nt_pass "$1"
	else
		nt_fail "no sample line '$1'; lines of ${1%%\{*}:"
		grep -F -- "${1%%[{ ]*}" "$NT_DIR/samples" >&2
	fi
}

# count NAME N: the metric has N samples
count() {
	n=$(grep -c -E "^$1(\{| )" "$NT_DIR/samples")
	if [ "$n" = "$2" ]; then
		nt_pass "$1: $2 samples"
	else
		nt_fail "$1: $n samples, want $2"
	fi
}

WEB=c5ad3b2e-8610-422e-8963-09a9fae4bcf2
DB=f60f6be1-3b76-41c2-9703-714948bcac8d
BATCH=e905d164-c0d4-4a08-8974-5c4494fdd3ac

# scalars
has 'numaNodeCount 4'
has 'numaVmCount 14'
has 'numaInvalidFiles 2'
has 'numaSourceStatus{numaSourceStatus="degraded"} 1'
has 'numaSourceStatus{numaSourceStatus="ok"} 0'
# nodes: 64-bit byte values as exact gauges in Prometheus float format
has 'numaNodeCpuCapacity{node="4"} 8'
has 'numaNodeCpuCapacity{node="6"} 0'
has 'numaNodeMemUsed{node="1"} 1.5032909824e+10'
has 'numaNodeMemUsed{node="0"} 1.0201071616e+10'
has 'numaNodeMemSpanning{node="0"} 5.373952e+08'
has 'numaNodeCpuHeadroom{node="4"} -7'
has 'numaNodeMemHeadroom{node="4"} -2048'
has 'numaNodeCpuList{node="0",numaNodeCpuList="0-3,12-15"} 1'
# TruthValue: true(1) -> 1, false(2) -> 0
has 'numaNodeCpuOversubscribed{node="4"} 1'
has 'numaNodeCpuOversubscribed{node="0"} 0'
has 'numaNodeHugepagesOversubscribed{node="1"} 1'
count numaNodeMemCapacity 4
# VMs: name and UUID looked up from the index, the index itself dropped
has "numaVmMemory{uuid=\"$WEB\",vm=\"web-local\"} 4.294967296e+09"
has "numaVmVcpus{uuid=\"$DB\",vm=\"db-multinode\"} 4"
has "numaVmMemDevices{uuid=\"$DB\",vm=\"db-multinode\"} 5.36870912e+08"
has "numaVmMemPersistent{uuid=\"$DB\",vm=\"db-multinode\"} 0"
count numaVmMemEnclave 14
has "numaVmPlacement_info{numaVmPlacement=\"spanning\",uuid=\"$BATCH\",vm=\"batch-span\"} 1"
has "numaVmState_info{numaVmState=\"defined\",uuid=\"$BATCH\",vm=\"batch-span\"} 1"
count numaVmVcpus 14
if grep -q 'vm_index=' "$NT_DIR/samples"; then
	nt_fail "a sample still carries the vm_index label"
else
	nt_pass "no sample carries vm_index"
fi
# assignments: VM x node
has "numaVmAssignMemory{node=\"1\",uuid=\"$DB\",vm=\"db-multinode\"} 2.68435456e+09"
has "numaVmAssignMemory{node=\"0\",uuid=\"$BATCH\",vm=\"batch-span\"} 5.373952e+08"
has "numaVmAssignVcpusSpanning{node=\"1\",uuid=\"$BATCH\",vm=\"batch-span\"} 2"
count numaVmAssignMemory 17
# hugepages: node x size (KiB)
has 'numaHugepageVmDemand{node="1",size="1048576"} 5'
has 'numaHugepageTotal{node="0",size="2048"} 1024'
has 'numaHugepageOversubscribed{node="1",size="1048576"} 1'
has 'numaHugepageOversubscribed{node="0",size="2048"} 0'
# distances
has 'numaNodeDistanceValue{node="0",peer="6"} 41'
# types as declared
for m in numaNodeMemCapacity numaNodeMemUsed numaVmMemory numaVmAssignMemory; do
	has_type=$(grep -c -x -F "# TYPE $m gauge" "$NT_DIR/metrics.out")
	if [ "$has_type" = 1 ]; then
		nt_pass "$m is a gauge"
	else
		nt_fail "$m is not declared a gauge: $(grep "^# TYPE $m " "$NT_DIR/metrics.out")"
	fi
done

nt_done
