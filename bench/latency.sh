#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# bench/latency.sh: event-to-trap latency. A VM file is renamed into the watched directory the way
# libvirt writes it (NAME.xml.new -> NAME.xml), alternately pinning its vCPUs onto a full node
# (raise) and off it (clear); the time from the rename to the trap's line in snmptrapd's log.
#
#	bench/latency.sh [EVENTS [N]]  (default 50; make bench runs it with the tests' environment)
#
# Without N: the fixture host (2 VMs, and the hog: 2 vCPUs onto node 4, which hpc-big fills, or
# onto node 1). With N: a bench/genhost.sh host of N VMs with its two spare nodes
# (GENHOST_SPARE=1), the hog's 3 vCPUs onto node 8 (2 CPUs: over) or node 9 (6 CPUs): the
# rebuild after each event is that of one changed file among N + 1.
# Prints every latency, then the median and the maximum in ms; exit 1 when a trap never came or
# the median misses the target (300 ms with the default eventDelay of 200 ms).
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")/../tests" && pwd)}
: "${NUMATOPD:=$TESTS_DIR/../numatopd}"
export NUMATOPD
. "$TESTS_DIR/lib.sh"
nt_init latency
nt_need snmpd snmptrapd snmpget numatopd date

EVENTS=${1:-50}
NVMS=${2:-}
TARGET_MS=300
FX=${FIXTURES:-$TESTS_DIR/../fixtures}/host
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862

if [ -z "$NVMS" ]; then
	SYS=$FX/sys QEMU=$NT_DIR/qemu WHERE="the fixture host"
	# 2 vCPUs pinned to node 4 (already full with hpc-big's 8) or to node 1 (room)
	HOG_VCPUS=2 FULL=10-11 ROOM=4-5
	mkdir "$QEMU" || exit 99
	cp "$FX/libvirt/web-local.xml" "$FX/libvirt/hpc-big.xml" "$QEMU/" || exit 99
else
	SYS=$NT_DIR/host/sys QEMU=$NT_DIR/host/qemu WHERE="$NVMS VMs"
	HOG_VCPUS=3 FULL=256-257 ROOM=258-260
	GENHOST_SPARE=1 sh "$(dirname "$0")/genhost.sh" "$NT_DIR/host" "$NVMS" || exit 99
	# a cold start of 10,000 VMs takes seconds: the polling deadlines times 6
	: "${NT_SLOW:=6}"
	export NT_SLOW
fi

hog() {
	printf "<domain type='kvm' id='999999'>\n  <name>hog</name>\n"
	printf "  <uuid>3b0e4c1a-0000-4000-8000-000000000031</uuid>\n"
	printf "  <memory unit='GiB'>1</memory>\n"
	printf "  <vcpu placement='static' cpuset='%s'>%s</vcpu>\n" "$1" "$HOG_VCPUS"
	printf "</domain>\n"
}

nt_start_trapd || exit 1
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || exit 1
# defaults: eventDelay 200 ms
nt_start_numatopd --sysfs-root "$SYS" --libvirt-xml-dir "$QEMU" || exit 1
nt_wait_numatopd_registered || exit 1

ours() {
	grep -c -F "OID: $ROOT.0." "$NT_TRAPLOG"
}

ms() {
	echo $(($(date +%s%N) / 1000000))
}

: >"$NT_DIR/latencies"
i=0
while [ $i -lt "$EVENTS" ]; do
	if [ $((i % 2)) = 0 ]; then cpus=$FULL; else cpus=$ROOM; fi
	hog "$cpus" >"$QEMU/hog.xml.new"
	n0=$(ours)
	t0=$(ms)
	mv "$QEMU/hog.xml.new" "$QEMU/hog.xml"
	deadline=$((t0 + 5000))
	while [ "$(ours)" -le "$n0" ]; do
		if [ "$(ms)" -ge "$deadline" ]; then
			echo "FAIL: event $i: no trap within 5 s" >&2
			exit 1
		fi
		sleep 0.005
	done
	t1=$(ms)
	echo $((t1 - t0)) >>"$NT_DIR/latencies"
	i=$((i + 1))
	# let the burst window close, so that every event is measured on its own
	sleep 0.3
done

echo "latencies (ms): $(tr '\n' ' ' <"$NT_DIR/latencies")"
sort -n "$NT_DIR/latencies" | awk -v target="$TARGET_MS" -v where="$WHERE" '
	{ v[NR] = $1 }
	END {
		med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "event-to-trap latency on %s over %d events (eventDelay 200 ms): median %s ms, " \
			"min %s ms, max %s ms\n", where, NR, med, v[1], v[NR]
		if (med >= target) {
			printf "FAIL: median %s ms misses the %d ms target\n", med, target
			exit 1
		}
		printf "target met: median under %d ms\n", target
	}'
rc=$?
echo "one received trap, as snmptrapd logged it:"
grep -F "OID: $ROOT.0.1" "$NT_TRAPLOG" | head -n 1
exit $rc
