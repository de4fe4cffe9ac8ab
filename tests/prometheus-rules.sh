#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/prometheus-rules.sh: contrib/prometheus/numatopd-rules.yml and numatopd-dashboard.json on
# real data. The exporter scrapes numatopd (fixture host) as host hv1, and a dead target as hv2;
# the samples, up and snmp_scrape_* as Prometheus would store them become the input_series of a
# promtool test, which asserts the alerts the fixture host has (node 4 CPU and memory, node 1
# 1 GiB hugepages, two VMs with remote vCPUs, sources degraded, hv2's scrape failing), no others,
# and the recording rules' values. A second promtool test runs on two scrapes with runtime reads
# on: fixtures/runtime as hv3 (three VMs drifted, three gone) and a copy of it with two of the
# drifted VMs put right as hv4 (running in place: no alert). Every metric the dashboard reads is
# in a scrape or recorded.
#
# Environment: as tests/prometheus.sh; PROMTOOL (default: promtool in PATH; Debian: prometheus).
# Exit: 0 all passed, 1 a check failed, 77 skipped (a tool missing, NUMATOPD_REQUIRE_ALL unset).

. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init prometheus-rules

here=$(cd "$(dirname "$0")" && pwd)
: "${FIXTURES:=$here/../fixtures}"
PROM=$here/../contrib/prometheus
RULES=$PROM/numatopd-rules.yml
PROMTOOL=${PROMTOOL:-promtool}
nt_need snmpd curl "${SNMP_EXPORTER:-prometheus-snmp-exporter}" "$PROMTOOL" python3
python3 -c 'import yaml' 2>/dev/null ||
	nt__skip_or_fail "python3 cannot import yaml (apt-get install python3-yaml)"
. "$here/promlib.sh"

if "$PROMTOOL" check rules "$RULES" >"$NT_DIR/check.out" 2>&1; then
	nt_pass "promtool check rules: $(grep -o 'SUCCESS.*' "$NT_DIR/check.out")"
else
	nt_fail "promtool check rules $RULES:"
	cat "$NT_DIR/check.out" >&2
fi

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir "$FIXTURES/host/libvirt" ||
	exit 1
nt_wait_numatopd_registered || exit 1
px_start_exporter "$PROM/snmp.yml" || exit 1

px_scrape numatopd "$NT_DIR/hv1.out"
up1=0
[ "$PX_CODE" = 200 ] && up1=1
# hv2: nothing listens on its port, the walk fails, the exporter answers 500, Prometheus: up 0
alive=$NT_TARGET
NT_TARGET=127.0.0.1:$(nt_free_udp_port)
px_scrape numatopd "$NT_DIR/hv2.out" 3
up2=0
[ "$PX_CODE" = 200 ] && up2=1
NT_TARGET=$alive
if [ $up1 = 1 ] && [ $up2 = 0 ]; then
	nt_pass "scraped hv1 (200) and the dead hv2 (HTTP $PX_CODE)"
else
	nt_fail "scrapes: hv1 up $up1 (want 1), hv2 up $up2 (want 0)"
fi

# hv3: runtime reads on fixtures/runtime (its README.md): drifted rt-stray (200 MiB stray),
# rt-escaped (an escaped vCPU), rt-float (a narrowed one); gone rt-gone, rt-recycled, rt-zombie;
# rt-starting, rt-defined; rt-huge running in place (memory not measured).
# hv4: rt-stray and rt-escaped put right, in a copy of the trees: the taskset undone (vCPU 1 on
# CPU 1 only), the stray memory moved to node 1 but 10 MiB (under the 64 MiB threshold).
nt_stop_numatopd
RT=$FIXTURES/runtime
px_start_runtime_numatopd "$RT/libvirt" "$RT/proc-v2" "$RT/cgroup-v2" || exit 1
px_scrape numatopd "$NT_DIR/hv3.out"
code3=$PX_CODE
nt_stop_numatopd
H4=$NT_DIR/hv4
mkdir -p "$H4/libvirt"
cp "$RT/libvirt/rt-stray.xml" "$RT/libvirt/rt-escaped.xml" "$H4/libvirt/"
cp -R "$RT/proc-v2" "$RT/cgroup-v2" "$H4/"
sed 's/^\(Cpus_allowed_list:.\)1,4$/\11/' "$RT/proc-v2/7200/task/7202/status" \
	>"$H4/proc-v2/7200/task/7202/status"
stray='machine.slice/machine-qemu\x2d31\x2drt\x2dstray.scope/memory.numa_stat'
sed -e '/^anon/s/ N1=943718400 / N1=1142947840 /' -e '/^anon/s/ N4=209715200 / N4=10485760 /' \
	"$RT/cgroup-v2/$stray" >"$H4/cgroup-v2/$stray"
px_start_runtime_numatopd "$H4/libvirt" "$H4/proc-v2" "$H4/cgroup-v2" || exit 1
px_scrape numatopd "$NT_DIR/hv4.out"
if [ "$code3" = 200 ] && [ "$PX_CODE" = 200 ]; then
	nt_pass "scraped hv3 and hv4 with runtime reads on (200)"
else
	nt_fail "scrapes with runtime reads on: hv3 HTTP '$code3', hv4 HTTP '$PX_CODE'"
fi

# ------------------------------------------------------------------ promtool test rules

# series LINES INSTANCE: the exposition lines as input_series, constant for 30 minutes; values in
# plain decimal (promtool's series notation would read 1.5e+10x30 as an expansion)
series() {
	awk -v inst="$1" '
		/^#/ || NF != 2 { next }
		{
			name = $1; labels = ""
			if (i = index(name, "{")) {
				labels = substr(name, i + 1, length(name) - i - 1) ","
				name = substr(name, 1, i - 1)
			}
			v = $2 + 0
			val = v == int(v) ? sprintf("%.0f", v) : sprintf("%.6f", v)
			s = name "{" labels "instance=\"" inst "\",job=\"numatopd\"}"
			gsub(/'\''/, "'\'''\''", s)
			printf "  - series: '\''%s'\''\n    values: '\''%sx30'\''\n", s, val
		}'
}

{
	echo "rule_files: ['$RULES']"
	echo "evaluation_interval: 1m"
	echo "tests:"
	echo "- interval: 1m"
	echo "  input_series:"
	series hv1 <"$NT_DIR/hv1.out"
	echo "up $up1" | series hv1
	echo "up $up2" | series hv2
	cat <<'EOF'
  alert_rule_test:
  - eval_time: 10m
    alertname: NumaNodeCpuOversubscribed
    exp_alerts:
    - exp_labels: {severity: warning, instance: hv1, job: numatopd, node: '4'}
      exp_annotations:
        summary: 'NUMA node 4 of hv1: bound vCPUs exceed its CPU limit'
  - eval_time: 10m
    alertname: NumaNodeMemOversubscribed
    exp_alerts:
    - exp_labels: {severity: critical, instance: hv1, job: numatopd, node: '4'}
      exp_annotations:
        summary: 'NUMA node 4 of hv1: guest memory exceeds its memory limit'
  - eval_time: 10m
    alertname: NumaNodeHugepagesOversubscribed
    exp_alerts:
    - exp_labels: {severity: critical, instance: hv1, job: numatopd, node: '1', size: '1048576'}
      exp_annotations:
        summary: 'NUMA node 1 of hv1: VMs need more 1048576 KiB hugepages than its pool holds'
  - eval_time: 10m
    alertname: NumaVmRemoteVcpus
    exp_alerts: []
  - eval_time: 20m
    alertname: NumaVmRemoteVcpus
    exp_alerts:
    - exp_labels: {severity: info, instance: hv1, job: numatopd, vm: misaligned,
        uuid: 75a4a2f7-ca82-4cd5-a018-09b2bfd8d68f}
      exp_annotations:
        summary: 'VM misaligned on hv1: 1 vCPUs run outside their memory node'
    - exp_labels: {severity: info, instance: hv1, job: numatopd, vm: hotplug-live,
        uuid: a8654463-bed8-47ee-bcdf-47bf2efcd2f9}
      exp_annotations:
        summary: 'VM hotplug-live on hv1: 1 vCPUs run outside their memory node'
  - eval_time: 10m
    alertname: NumatopdSourceDegraded
    exp_alerts:
    - exp_labels: {severity: warning, instance: hv1, job: numatopd, numaSourceStatus: degraded}
      exp_annotations:
        summary: 'numatopd on hv1: sources degraded, some values are incomplete'
  - eval_time: 4m
    alertname: NumatopdScrapeFailing
    exp_alerts: []
  - eval_time: 10m
    alertname: NumatopdScrapeFailing
    exp_alerts:
    - exp_labels: {severity: warning, instance: hv2, job: numatopd}
      exp_annotations:
        summary: 'snmp_exporter scrape of numatopd on hv2 (job numatopd) fails'
  - eval_time: 20m
    alertname: NumatopdScrapeSlow
    exp_alerts: []
  # runtime reads off on hv1: every VM's state and vCPU verdict unknown, no stray memory
  - eval_time: 20m
    alertname: NumaVmPlacementDrift
    exp_alerts: []
  - eval_time: 20m
    alertname: NumaVmGone
    exp_alerts: []
  promql_expr_test:
  # headroom: CPU node 1 +1, node 4 -7 (clamped), 0 and 6 none; memory MiB node 0 4607,
  # node 1 3071, node 6 2048, node 4 -2048 (clamped)
  - expr: numatopd:cpu_headroom:sum
    eval_time: 10m
    exp_samples: [{labels: 'numatopd:cpu_headroom:sum{instance="hv1"}', value: 1}]
  - expr: numatopd:mem_headroom_mib:sum
    eval_time: 10m
    exp_samples: [{labels: 'numatopd:mem_headroom_mib:sum{instance="hv1"}', value: 9726}]
  - expr: numatopd:cluster_cpu_headroom:sum
    eval_time: 10m
    exp_samples: [{labels: 'numatopd:cluster_cpu_headroom:sum{}', value: 1}]
  - expr: numatopd:cluster_node_mem_headroom_mib:max
    eval_time: 10m
    exp_samples: [{labels: 'numatopd:cluster_node_mem_headroom_mib:max{}', value: 4607}]
  # hugepages: 2 MiB node 4 1024 free of demand; 1 GiB node 0 2 pages, node 1 -1
  - expr: numatopd:cluster_node_hugepage_headroom_pages:max
    eval_time: 10m
    exp_samples:
    - {labels: 'numatopd:cluster_node_hugepage_headroom_pages:max{size="2048"}', value: 1024}
    - {labels: 'numatopd:cluster_node_hugepage_headroom_pages:max{size="1048576"}', value: 2}
  - expr: numatopd:hugepage_headroom_pages{node="1",size="1048576"}
    eval_time: 10m
    exp_samples:
    - {labels: 'numatopd:hugepage_headroom_pages{instance="hv1",job="numatopd",node="1",size="1048576"}', value: -1}
- interval: 1m
  input_series:
EOF
	series hv3 <"$NT_DIR/hv3.out"
	series hv4 <"$NT_DIR/hv4.out"
	cat <<'EOF'
  alert_rule_test:
  - eval_time: 4m
    alertname: NumaVmGone
    exp_alerts: []
  - eval_time: 10m
    alertname: NumaVmGone
    exp_alerts:
    - exp_labels: {severity: critical, instance: hv3, job: numatopd, numaVmRuntimeState: gone,
        vm: rt-gone, uuid: 00000000-0000-4000-8000-000000000034}
      exp_annotations:
        summary: 'VM rt-gone on hv3: its QEMU process is gone while libvirt counts it running'
    - exp_labels: {severity: critical, instance: hv3, job: numatopd, numaVmRuntimeState: gone,
        vm: rt-recycled, uuid: 00000000-0000-4000-8000-000000000035}
      exp_annotations:
        summary: 'VM rt-recycled on hv3: its QEMU process is gone while libvirt counts it running'
    - exp_labels: {severity: critical, instance: hv3, job: numatopd, numaVmRuntimeState: gone,
        vm: rt-zombie, uuid: 00000000-0000-4000-8000-000000000036}
      exp_annotations:
        summary: 'VM rt-zombie on hv3: its QEMU process is gone while libvirt counts it running'
  - eval_time: 14m
    alertname: NumaVmPlacementDrift
    exp_alerts: []
  # not hv3's rt-huge (running, its vCPU as pinned), nor hv4's VMs (running, put right)
  - eval_time: 20m
    alertname: NumaVmPlacementDrift
    exp_alerts:
    - exp_labels: {severity: warning, drift: memory, instance: hv3, job: numatopd, vm: rt-stray,
        uuid: 00000000-0000-4000-8000-000000000031}
      exp_annotations:
        summary: 'VM rt-stray on hv3: 200MiB of its memory outside its bound nodes'
    - exp_labels: {severity: warning, drift: vcpus, instance: hv3, job: numatopd, vm: rt-escaped,
        uuid: 00000000-0000-4000-8000-000000000032}
      exp_annotations:
        summary: 'VM rt-escaped on hv3: 1 vCPUs may run on other CPUs than configured'
    - exp_labels: {severity: warning, drift: vcpus, instance: hv3, job: numatopd, vm: rt-float,
        uuid: 00000000-0000-4000-8000-000000000033}
      exp_annotations:
        summary: 'VM rt-float on hv3: 1 vCPUs may run on other CPUs than configured'
  promql_expr_test:
  # what keeps hv4's VMs quiet is in its scrape: both running, every vCPU same, 10 MiB stray
  - expr: count by (vm, numaVmRuntimeState) (numaVmRuntimeState_info{instance="hv4"})
    eval_time: 20m
    exp_samples:
    - {labels: '{vm="rt-stray",numaVmRuntimeState="running"}', value: 1}
    - {labels: '{vm="rt-escaped",numaVmRuntimeState="running"}', value: 1}
  - expr: count by (vm, numaVcpuAffinityVerdict) (numaVcpuAffinityVerdict_info{instance="hv4"})
    eval_time: 20m
    exp_samples:
    - {labels: '{vm="rt-stray",numaVcpuAffinityVerdict="same"}', value: 2}
    - {labels: '{vm="rt-escaped",numaVcpuAffinityVerdict="same"}', value: 2}
  - expr: numaVmMemStray{instance="hv4"}
    eval_time: 20m
    exp_samples:
    - {labels: 'numaVmMemStray{instance="hv4",job="numatopd",vm="rt-stray",uuid="00000000-0000-4000-8000-000000000031"}', value: 10485760}
    - {labels: 'numaVmMemStray{instance="hv4",job="numatopd",vm="rt-escaped",uuid="00000000-0000-4000-8000-000000000032"}', value: 0}
  - expr: numaVmMemResident{instance="hv4",vm="rt-stray"}
    eval_time: 20m
    exp_samples:
    - {labels: 'numaVmMemResident{instance="hv4",job="numatopd",vm="rt-stray",uuid="00000000-0000-4000-8000-000000000031"}', value: 2202009600}
EOF
} >"$NT_DIR/rules-test.yml"
n=$(grep -c '^  - series:' "$NT_DIR/rules-test.yml")
if [ "$n" -ge 300 ]; then
	nt_pass "promtool input: $n series from the real scrape"
else
	nt_fail "promtool input: $n series, want >= 300"
fi
if (cd "$NT_DIR" && "$PROMTOOL" test rules rules-test.yml) >"$NT_DIR/promtool.out" 2>&1; then
	nt_pass "promtool test rules: $(grep -c 'alertname:' "$NT_DIR/rules-test.yml") alert and" \
		"$(grep -c '^  - expr:' "$NT_DIR/rules-test.yml") expression checks on the real scrapes"
	sed 's/^/  /' "$NT_DIR/promtool.out"
else
	nt_fail "promtool test rules ($NT_DIR/rules-test.yml):"
	head -n 60 "$NT_DIR/promtool.out" >&2
fi

# ------------------------------------------------------------------ the dashboard

# the names of both scrapes, without and with runtime reads (hv3 has the same names as hv1, but
# its runtime columns have values: the dashboard's runtime row is read against that too)
awk '/^# TYPE / { print $3 }' "$NT_DIR/hv1.out" "$NT_DIR/hv3.out" | sort -u >"$NT_DIR/names"
# a state set and info metrics are named as the scrape shows them (numaVmPlacement_info)
if python3 "$here/prom-dashboard.py" "$PROM/numatopd-dashboard.json" "$RULES" "$NT_DIR/names" \
	>"$NT_DIR/dashboard.out" 2>&1; then
	nt_pass "numatopd-dashboard.json: $(tail -n 1 "$NT_DIR/dashboard.out")"
else
	nt_fail "numatopd-dashboard.json:"
	cat "$NT_DIR/dashboard.out" >&2
fi
# it has the views the README promises: nodes, VM placement, headroom, the runtime row
for want in '"type": "table"' 'numaNodeCpuHeadroom' 'numaVmAssignVcpus' 'numatopd:cpu_headroom:sum' \
	'"type": "row"' 'numaVmRuntimeState_info' 'numaVmMemStray' 'numaVcpuAffinityVerdict_info'; do
	if grep -q -F "$want" "$PROM/numatopd-dashboard.json"; then
		nt_pass "the dashboard has $want"
	else
		nt_fail "the dashboard lacks $want"
	fi
done

nt_done
