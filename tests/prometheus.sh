#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/prometheus.sh: contrib/prometheus works with Debian's prometheus-snmp-exporter 0.21:
# - snmp.yml and snmp-0.23.yml are what contrib/prometheus/generate.sh makes from generator.yml
#   and the MIB now (prometheus-snmp-generator); a column of the MIB without the override its
#   SYNTAX needs is named; snmp-0.23.yml has the >= 0.23 layout (checked against 0.23's config
#   fields: Debian 12 has no 0.23 exporter to load it);
# - the exporter scrapes numatopd (fixture host) through a private snmpd, and the metrics carry
#   the fixture's values with node/vm/uuid/size labels, byte values as exact gauges, booleans as
#   0/1; numatopd_nodes and numatopd_vms together give what numatopd gives;
# - with runtime reads on fixtures/runtime's /proc and cgroup trees, the runtime truth comes out:
#   runtime state and vCPU affinity verdict as info metrics (vm/uuid/vcpu labels), resident and
#   stray bytes as gauges.
#
# Environment: as for every test of tests/lib.sh (FIXTURES, NUMATOPD, TESTS_DIR, MIBSRC,
# SHARED_MIBS, ...), and
#   SNMP_EXPORTER   the exporter to run (default: prometheus-snmp-exporter in PATH)
#   SNMP_GENERATOR  the generator (default: prometheus-snmp-generator in PATH)
# Exit: 0 all passed, 1 a check failed, 77 skipped (a tool missing, NUMATOPD_REQUIRE_ALL unset).

. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init prometheus

here=$(cd "$(dirname "$0")" && pwd)
: "${FIXTURES:=$here/../fixtures}"
PROM=$here/../contrib/prometheus
SNMP_YML=$PROM/snmp.yml
SNMP_GENERATOR=${SNMP_GENERATOR:-prometheus-snmp-generator}
nt_need snmpd curl "${SNMP_EXPORTER:-prometheus-snmp-exporter}" "$SNMP_GENERATOR" python3
nt_need_mibs
python3 -c 'import yaml' 2>/dev/null ||
	nt__skip_or_fail "python3 cannot import yaml (apt-get install python3-yaml)"
. "$here/promlib.sh"

# ------------------------------------------------------------------ generated = shipped

if MIBDIRS=$MIBSRC:$SHARED_MIBS SNMP_GENERATOR=$SNMP_GENERATOR \
	sh "$PROM/generate.sh" "$NT_DIR/gen" >"$NT_DIR/generate.log" 2>&1; then
	nt_pass "generate.sh ran prometheus-snmp-generator without a warning"
else
	nt_fail "generate.sh failed:"
	cat "$NT_DIR/generate.log" >&2
	nt_done
fi
for f in snmp.yml snmp-0.23.yml; do
	if diff -u "$PROM/$f" "$NT_DIR/gen/$f" >"$NT_DIR/$f.diff"; then
		nt_pass "contrib/prometheus/$f is what generate.sh makes of generator.yml and the MIB"
	else
		nt_fail "contrib/prometheus/$f differs from what generate.sh makes now (run it):"
		head -n 40 "$NT_DIR/$f.diff" >&2
	fi
done

# Each metric's SYNTAX in the MIB against its type in the module: the overrides the 0.21
# generator needs by name (generator.yml says why) exist for every walked column and scalar.
awk '
	FNR == 1 { file++ }
	file == 1 && $2 == "OBJECT-TYPE" { obj = $1; next }
	file == 1 && $1 == "SYNTAX" && obj != "" {
		syn[obj] = $2 == "INTEGER" && $3 == "{" ? "enum" : $2; obj = ""; next }
	file == 2 && /^  - name: / { m = $3; next }
	file == 2 && /^    type: / { type[m] = $2; next }
	file == 2 && /^    regex_extracts:/ { rx[m] = 1; next }
	END {
		for (m in type) {
			want = ""
			if (syn[m] == "CounterBasedGauge64" && type[m] != "gauge")
				want = "{type: gauge}"
			if (syn[m] == "TruthValue" && (type[m] != "DisplayString" || !rx[m]))
				want = "*truth"
			if (syn[m] == "enum" && type[m] !~ /^EnumAs(Info|StateSet)$/)
				want = "{type: EnumAsInfo} or {type: EnumAsStateSet}"
			if (want != "")
				printf "%s (SYNTAX %s) comes out as %s: add \"%s: %s\" to overrides: " \
					"in generator.yml\n", m, syn[m], type[m], m, want
			n++
		}
		print n > "/dev/stderr"
	}' "$MIBSRC/NUMA-TOPOLOGY-MIB.txt" "$NT_DIR/gen/snmp.yml" >"$NT_DIR/overrides.out" \
	2>"$NT_DIR/overrides.n"
if [ -s "$NT_DIR/overrides.out" ]; then
	nt_fail "metrics without the override their SYNTAX needs:"
	cat "$NT_DIR/overrides.out" >&2
else
	nt_pass "every CounterBasedGauge64, TruthValue and enumeration of the module has its override"
fi
# the check must have read the module (a format change of the generator would blind it)
n=$(cat "$NT_DIR/overrides.n")
if [ "$n" -ge 40 ]; then
	nt_pass "the SYNTAX check read $n metrics"
else
	nt_fail "the SYNTAX check read $n metrics of the module, want >= 40"
fi

# snmp-0.23.yml: the fields of snmp_exporter 0.23's config structs (config/config.go at v0.23.0),
# the modules of snmp.yml with version/auth moved into auths.numatopd_v2
if python3 "$here/prom-layout.py" "$SNMP_YML" "$PROM/snmp-0.23.yml" >"$NT_DIR/layout.out" 2>&1
then
	nt_pass "snmp-0.23.yml has the >= 0.23 layout: $(cat "$NT_DIR/layout.out")"
else
	nt_fail "snmp-0.23.yml:"
	cat "$NT_DIR/layout.out" >&2
fi

# ------------------------------------------------------------------ the exporter

if "$PX_EXPORTER" --config.file="$SNMP_YML" --dry-run >"$NT_DIR/dryrun.log" 2>&1; then
	nt_pass "the exporter accepts $SNMP_YML"
else
	nt_fail "the exporter rejects $SNMP_YML:"
	cat "$NT_DIR/dryrun.log" >&2
	nt_done
fi

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir "$FIXTURES/host/libvirt" ||
	exit 1
nt_wait_numatopd_registered || exit 1
px_start_exporter "$SNMP_YML" || exit 1

for m in numatopd numatopd_nodes numatopd_vms; do
	px_scrape $m "$NT_DIR/$m.out"
	if [ "$PX_CODE" = 200 ]; then
		nt_pass "GET /snmp?module=$m&target=$NT_TARGET: 200"
	else
		nt_fail "GET /snmp?module=$m&target=$NT_TARGET: HTTP '$PX_CODE'"
		tail -n 20 "$NT_DIR/$m.out" >&2
		nt_done
	fi
	grep -v -e '^#' -e '^snmp_scrape_' "$NT_DIR/$m.out" | sort >"$NT_DIR/$m.samples"
done
cp "$NT_DIR/numatopd.out" "$NT_DIR/metrics.out"
cp "$NT_DIR/numatopd.samples" "$NT_DIR/samples"
sort -m "$NT_DIR/numatopd_nodes.samples" "$NT_DIR/numatopd_vms.samples" >"$NT_DIR/halves"
if cmp -s "$NT_DIR/halves" "$NT_DIR/samples"; then
	nt_pass "numatopd_nodes + numatopd_vms = numatopd ($(wc -l <"$NT_DIR/samples") samples)"
else
	nt_fail "numatopd_nodes + numatopd_vms differ from numatopd:"
	diff "$NT_DIR/samples" "$NT_DIR/halves" | head -n 20 >&2
fi
if grep -q '^numaVm[A-Z][A-Za-z]*{' "$NT_DIR/numatopd_nodes.samples"; then
	nt_fail "numatopd_nodes has VM rows"
else
	nt_pass "numatopd_nodes has no VM rows"
fi

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
# numastat: true counters (Counter64), so rate() works; node 6 of the fixture has no numastat
# file, so no series (a hole in the table, not a zero)
for m in numaNodeNumaHit numaNodeLocalNode numaNodeOtherNode; do
	if grep -q -x -F "# TYPE $m counter" "$NT_DIR/metrics.out"; then
		nt_pass "$m is a counter"
	else
		nt_fail "$m is not declared a counter: $(grep "^# TYPE $m " "$NT_DIR/metrics.out")"
	fi
done
has 'numaNodeLocalNode{node="4"} 9.441844e+06'
count numaNodeLocalNode 3
# runtime reads off (tests/lib.sh): nothing measured, one verdict series per vCPU
has "numaVmRuntimeState_info{numaVmRuntimeState=\"unknown\",uuid=\"$DB\",vm=\"db-multinode\"} 1"
has "numaVcpuAffinityVerdict_info{numaVcpuAffinityVerdict=\"unknown\",uuid=\"$DB\",vcpu=\"3\",vm=\"db-multinode\"} 1"
has "numaVmMemStray{uuid=\"$DB\",vm=\"db-multinode\"} 0"

# ------------------------------------------------------------------ runtime truth

# fixtures/runtime (its README.md has the facts): the fake /proc and cgroup v2 trees
nt_stop_numatopd
RT=$FIXTURES/runtime
px_start_runtime_numatopd "$RT/libvirt" "$RT/proc-v2" "$RT/cgroup-v2" || exit 1
px_scrape numatopd "$NT_DIR/runtime.out"
if [ "$PX_CODE" = 200 ]; then
	nt_pass "GET /snmp?module=numatopd with runtime reads on: 200"
else
	nt_fail "GET /snmp?module=numatopd with runtime reads on: HTTP '$PX_CODE'"
	tail -n 20 "$NT_DIR/runtime.out" >&2
	nt_done
fi
cp "$NT_DIR/runtime.out" "$NT_DIR/metrics.out"
grep -v -e '^#' -e '^snmp_scrape_' "$NT_DIR/runtime.out" | sort >"$NT_DIR/samples"
rt() { # rt N: the UUID of the fixture's VM with domain id N
	echo "uuid=\"00000000-0000-4000-8000-0000000000$1\""
}
# numaVmRuntimeState: an info metric, the state's name in a label of the metric's name
has "numaVmRuntimeState_info{numaVmRuntimeState=\"running\",$(rt 31),vm=\"rt-stray\"} 1"
has "numaVmRuntimeState_info{numaVmRuntimeState=\"gone\",$(rt 34),vm=\"rt-gone\"} 1"
has "numaVmRuntimeState_info{numaVmRuntimeState=\"gone\",$(rt 36),vm=\"rt-zombie\"} 1"
has "numaVmRuntimeState_info{numaVmRuntimeState=\"starting\",$(rt 37),vm=\"rt-starting\"} 1"
has "numaVmRuntimeState_info{numaVmRuntimeState=\"notRunning\",$(rt 39),vm=\"rt-defined\"} 1"
count numaVmRuntimeState_info 9
# bytes: 2100 MiB resident, 200 of them stray on node 4
has "numaVmMemResident{$(rt 31),vm=\"rt-stray\"} 2.2020096e+09"
has "numaVmMemStray{$(rt 31),vm=\"rt-stray\"} 2.097152e+08"
has "numaVmAssignMemResident{node=\"4\",$(rt 31),vm=\"rt-stray\"} 2.097152e+08"
has 'numaNodeMemResidentByVms{node="0"} 1.893728256e+09'
has 'numaNodeVcpusRunning{node="0"} 4'
# their Gauge32 companions in MiB are not exported (generator.yml), but served: read over SNMP
while read -r obj want; do
	got=$(nt_snmp snmpget -Ovq -OU "$obj" 2>&1)
	[ "$got" = "$want" ] && nt_pass "GET $obj = $want with runtime reads on" ||
		nt_fail "GET $obj = '$got', want '$want'"
	grep -q "^${obj%%.*}[{ ]" "$NT_DIR/runtime.out" && nt_fail "${obj%%.*} is exported" ||
		nt_pass "${obj%%.*} is not exported"
done <<'EOF'
numaVmMemResidentMiB.31 2100
numaVmMemStrayMiB.31 200
numaVmAssignMemResidentMiB.31.4 200
numaNodeMemResidentByVmsMiB.0 1806
numaVmMemResidentMiB.37 6
EOF
# numaVcpuAffinityVerdict, the one column of numaVcpuTable walked: vm, uuid and vcpu labels
has "numaVcpuAffinityVerdict_info{numaVcpuAffinityVerdict=\"escaped\",$(rt 32),vcpu=\"1\",vm=\"rt-escaped\"} 1"
has "numaVcpuAffinityVerdict_info{numaVcpuAffinityVerdict=\"narrowed\",$(rt 33),vcpu=\"1\",vm=\"rt-float\"} 1"
has "numaVcpuAffinityVerdict_info{numaVcpuAffinityVerdict=\"same\",$(rt 33),vcpu=\"0\",vm=\"rt-float\"} 1"
has "numaVcpuAffinityVerdict_info{numaVcpuAffinityVerdict=\"unknown\",$(rt 34),vcpu=\"0\",vm=\"rt-gone\"} 1"
count numaVcpuAffinityVerdict_info 13
for m in numaVmMemResident numaVmMemStray numaVmAssignMemResident numaNodeMemResidentByVms \
	numaNodeVcpusRunning numaVmRuntimeState_info numaVcpuAffinityVerdict_info; do
	if grep -q -x -F "# TYPE $m gauge" "$NT_DIR/metrics.out"; then
		nt_pass "$m is a gauge"
	else
		nt_fail "$m is not declared a gauge: $(grep "^# TYPE $m " "$NT_DIR/metrics.out")"
	fi
done

nt_done
