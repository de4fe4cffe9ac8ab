#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# bench/genhost.sh: a synthetic benchmark host: an 8-node x 32-CPU sysfs tree and N realistic
# (~10 KB, ~200 <qemuCaps> flags) libvirt status files made by tests/genvms.sh.
#
#	bench/genhost.sh OUTDIR N      writes OUTDIR/sys and OUTDIR/qemu (OUTDIR is emptied first)
#
# Each node: 32 CPUs (node i: 32i..32i+31), 512 GiB, 2 MiB and 1 GiB hugepage pools, distances
# 10 / 21 (same socket: nodes 0-3, 4-7) / 32. POSIX sh + awk.
# GENHOST_SPARE=1: two more nodes that no generated VM uses, added after the VMs: node 8 with
# CPUs 256-257 and node 9 with CPUs 258-263 (64 GiB each), for bench/latency.sh's VM to fill
# and leave at 1,000 and 10,000 VMs.
set -u
[ $# -eq 2 ] || { echo "usage: genhost.sh OUTDIR N" >&2; exit 2; }
out=$1 n=$2
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")/../tests" && pwd)}
NODES=8
CPUS=32

rm -rf "$out/sys" "$out/qemu"
nd=$out/sys/devices/system/node
mkdir -p "$nd" "$out/qemu" || exit 1
# node DIR ID FIRSTCPU LASTCPU GIB
node() {
	d=$nd/node$2
	mkdir -p "$d/hugepages/hugepages-2048kB" "$d/hugepages/hugepages-1048576kB"
	echo "$3-$4" >"$d/cpulist"
	awk -v i="$2" -v kb=$(($5 * 1048576)) 'BEGIN {
		printf "Node %d MemTotal:       %d kB\n", i, kb
		printf "Node %d MemFree:        %d kB\n", i, kb / 2
		printf "Node %d MemUsed:        %d kB\n", i, kb / 2
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
}

# every node's distance file, for n nodes (the kernel lists one value per node present)
distances() {
	for f in has_cpu has_memory possible online; do
		echo "0-$(($1 - 1))" >"$nd/$f"
	done
	i=0
	while [ $i -lt "$1" ]; do
		awk -v i=$i -v n="$1" 'BEGIN {
			for (j = 0; j < n; j++) {
				d = j == i ? 10 : int(j / 4) == int(i / 4) ? 21 : 32
				printf "%s%d", j ? " " : "", d
			}
			print ""
		}' >"$nd/node$i/distance"
		i=$((i + 1))
	done
}

i=0
while [ $i -lt $NODES ]; do
	node "$nd" $i $((i * CPUS)) $((i * CPUS + CPUS - 1)) 512
	i=$((i + 1))
done
distances $NODES
GENVMS_PAD=200 sh "$TESTS_DIR/genvms.sh" "$out/sys" "$out/qemu" "$n" 1 || exit 1
if [ "${GENHOST_SPARE:-0}" = 1 ]; then
	node "$nd" 8 256 257 64
	node "$nd" 9 258 263 64
	distances 10
fi
