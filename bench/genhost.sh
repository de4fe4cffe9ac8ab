#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# bench/genhost.sh: a synthetic benchmark host: an 8-node x 32-CPU sysfs tree and N realistic
# (~10 KB, ~200 <qemuCaps> flags) libvirt status files made by tests/genvms.sh.
#
#	bench/genhost.sh OUTDIR N      writes OUTDIR/sys and OUTDIR/qemu (OUTDIR is emptied first)
#
# Each node: 32 CPUs (node i: 32i..32i+31), 512 GiB, 2 MiB and 1 GiB hugepage pools, distances
# 10 / 21 (same socket: nodes 0-3, 4-7) / 32. POSIX sh + awk.
set -u
[ $# -eq 2 ] || { echo "usage: genhost.sh OUTDIR N" >&2; exit 2; }
out=$1 n=$2
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")/../tests" && pwd)}
NODES=8
CPUS=32

rm -rf "$out/sys" "$out/qemu"
nd=$out/sys/devices/system/node
mkdir -p "$nd" "$out/qemu" || exit 1
for f in has_cpu has_memory possible online; do
	echo "0-$((NODES - 1))" >"$nd/$f"
done
i=0
while [ $i -lt $NODES ]; do
	d=$nd/node$i
	mkdir -p "$d/hugepages/hugepages-2048kB" "$d/hugepages/hugepages-1048576kB"
	echo "$((i * CPUS))-$((i * CPUS + CPUS - 1))" >"$d/cpulist"
	awk -v i=$i -v n=$NODES 'BEGIN {
		for (j = 0; j < n; j++) {
			d = j == i ? 10 : int(j / 4) == int(i / 4) ? 21 : 32
			printf "%s%d", j ? " " : "", d
		}
		print ""
	}' >"$d/distance"
	awk -v i=$i 'BEGIN {
		printf "Node %d MemTotal:       536870912 kB\n", i
		printf "Node %d MemFree:        268435456 kB\n", i
		printf "Node %d MemUsed:        268435456 kB\n", i
		printf "Node %d FilePages:       4194304 kB\n", i
		printf "Node %d AnonHugePages:   1048576 kB\n", i
		printf "Node %d HugePages_Total:  4096\n", i
		printf "Node %d HugePages_Free:   2048\n", i
		printf "Node %d HugePages_Surp:      0\n", i
	}' >"$d/meminfo"
	echo 4096 >"$d/hugepages/hugepages-2048kB/nr_hugepages"
	echo 2048 >"$d/hugepages/hugepages-2048kB/free_hugepages"
	echo 0 >"$d/hugepages/hugepages-2048kB/surplus_hugepages"
	echo 16 >"$d/hugepages/hugepages-1048576kB/nr_hugepages"
	echo 8 >"$d/hugepages/hugepages-1048576kB/free_hugepages"
	echo 0 >"$d/hugepages/hugepages-1048576kB/surplus_hugepages"
	i=$((i + 1))
done
GENVMS_PAD=200 sh "$TESTS_DIR/genvms.sh" "$out/sys" "$out/qemu" "$n" 1
