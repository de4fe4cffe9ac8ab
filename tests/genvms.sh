#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# genvms.sh: writes N libvirt status files (/run/libvirt/qemu format) for the host whose sysfs
# root is HOSTSYSROOT, pinned in a deterministic mix of forms drawn from its real node cpulists.
#
#	genvms.sh HOSTSYSROOT OUTDIR N SEED
#
# The files are <domstatus> wrapping <domain type='kvm' id='I'> (ids 1..N), with the private
# parts real files carry (<vcpus><vcpu id pid>, <qemuCaps> flags, a status <cpu>), named
# gNNNN-FORM.xml. The forms cycle, starting at SEED mod 9, so any 9 consecutive VMs hold each:
#	pin        <vcpupin> of each vCPU to one CPU of node a, <emulatorpin>, memory strict a
#	span       <vcpu cpuset> = the CPUs of nodes a and b, memory interleave a,b
#	float      nothing pinned
#	memonly    memory strict on any node (memory-only nodes too), vCPUs floating
#	cells      two guest cells, vCPUs of cell c pinned to node a / b, <memnode> per cell; in
#	           every other one (the first too) the last vCPU sits on node a, away from its
#	           cell's memory on b: a remote vCPU (R7)
#	huge       as pin, backed by <hugepages><page size> of a size the host has
#	interleave vCPUs pinned to node a's cpulist, memory interleave over a,b
#	numad      <vcpu placement='auto'>, memory placement auto, status <numad nodeset cpuset>
#	cellshuge  as cells, only cell 0 hugepage-backed (<page nodeset='0'>), mode preferred
# Nodes (b != a when the host has two nodes with CPUs), vCPU counts, sizes and UUIDs come from a
# MINSTD generator seeded with SEED, computed within awk's exact integer range, so any awk
# writes the same bytes. POSIX sh + awk only: CI's bare machine has no python.
# GENVMS_PAD=N (default 0): N more <qemuCaps> flags per file; real status files carry ~200, which
# makes them ~10 KB (bench/genhost.sh uses it; the tests keep the small files).
# Exit 0; 2 on bad arguments or a host without any node that has CPUs.
set -u

usage() {
	echo "usage: genvms.sh HOSTSYSROOT OUTDIR N SEED" >&2
	exit 2
}

[ $# -eq 4 ] || usage
root=$1 out=$2 n=$3 seed=$4
case $n in '' | *[!0-9]*) usage ;; esac
case $seed in '' | *[!0-9]*) usage ;; esac
nodedir=$root/devices/system/node
[ -d "$nodedir" ] || {
	echo "genvms.sh: $nodedir: no such directory" >&2
	exit 2
}
mkdir -p "$out" || exit 2

# "node ID CPULIST" per node (CPULIST "-" when memory only) in numeric id order, then "huge
# SIZE_KIB" per pool size any node has. A cpulist may end in "\n\0" (arm64): keep the set chars.
hostdesc() {
	for d in "$nodedir"/node[0-9]*; do
		[ -d "$d" ] || continue
		cl=$(tr -cd '0-9,-' <"$d/cpulist" 2>/dev/null)
		echo "node ${d##*/node} ${cl:--}"
	done | sort -k2,2n
	for h in "$nodedir"/node[0-9]*/hugepages/hugepages-*kB; do
		[ -d "$h" ] || continue
		h=${h##*/hugepages-}
		echo "huge ${h%kB}"
	done | sort -u -k2,2n
}

hostdesc | awk -v out="$out" -v n="$n" -v seed="$seed" -v pad="${GENVMS_PAD:-0}" '
# MINSTD (Park-Miller): s * 16807 < 2^46, exact in a double
function rnd(k) {
	s = (s * 16807) % 2147483647
	return s % k
}
# one line to the file being written
function p(line) {
	print line > F
}
# name=QvalueQ, Q the single quote
function a(name, value) {
	return " " name "=" Q value Q
}
# expand a kernel cpulist ("0-3,12-15") into cpu[key, 0..] and return the count
function expand(list, key,    parts, np, i, r, lo, hi, c, cnt) {
	cnt = 0
	np = split(list, parts, ",")
	for (i = 1; i <= np; i++) {
		if (parts[i] == "")
			continue
		if (split(parts[i], r, "-") == 2) {
			lo = r[1] + 0
			hi = r[2] + 0
		} else {
			lo = hi = parts[i] + 0
		}
		for (c = lo; c <= hi; c++)
			cpu[key, cnt++] = c
	}
	return cnt
}
BEGIN {
	Q = "\047"
	s = (seed % 2147483646) + 1
	ncn = 0		# nodes with CPUs: cnode[], cpulist[], ncpus[], cpu[k, j]
	nall = 0	# every node: anode[]
	nhuge = 0
	ncells = 0	# "cells" VMs so far: every other one gets a remote vCPU
	nforms = split("pin span float memonly cells huge interleave numad cellshuge", form, " ")
	nflags = split("kvm sdl no-hpet spice hda-duplex piix3-usb-uhci usb-ehci usb-redir " \
		"usb-hub ich9-ahci virtio-blk-pci.scsi scsi-disk.channel nec-usb-xhci " \
		"virtio-scsi-pci vnc qxl VGA virtio-rng pci-bridge vfio-pci pc-dimm " \
		"pcie-root-port " \
		"qemu-xhci query-hotpluggable-cpus nvdimm memory-backend-memfd " \
		"memory-backend-memfd.hugetlb memory-backend-file.prealloc-threads iothread " \
		"numa.hmat virtio-mem-pci query-cpu-model-expansion thread-context " \
		"blockdev-reopen " \
		"migration-param.bandwidth rbd-encryption sev-guest virtio-net.rss", flag, " ")
}
$1 == "node" {
	anode[nall++] = $2
	if ($3 != "-") {
		cnode[ncn] = $2
		cpulist[ncn] = $3
		ncpus[ncn] = expand($3, ncn)
		ncn++
	}
}
$1 == "huge" {
	huge[nhuge++] = $2
}
# vCPU count from {1,2,2,4,4,8}, at most cap, even when asked (two cells)
function pick_vcpus(cap, even,    v, c) {
	split("1 2 2 4 4 8", c, " ")
	v = c[rnd(6) + 1] + 0
	if (v > cap)
		v = cap
	if (even && v % 2)
		v = v > 1 ? v - 1 : 2
	return v < 1 ? 1 : v
}
# a position in cnode[] other than k (k itself when the host has one node with CPUs)
function other(k) {
	return ncn < 2 ? k : (k + 1 + rnd(ncn - 1)) % ncn
}
function status_head(name, id, pid, nv,    j, k, start) {
	p("<!--")
	p("WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE")
	p("OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:")
	p("  virsh edit " name)
	p("or other application using the libvirt API.")
	p("-->")
	p("")
	p("<domstatus" a("state", "running") a("reason", "booted") a("pid", pid) ">")
	p("  <taint" a("flag", "high-privileges") "/>")
	p("  <monitor" a("path", "/var/lib/libvirt/qemu/domain-" id "-" name "/monitor.sock") \
		a("type", "unix") "/>")
	p("  <vcpus>")
	for (j = 0; j < nv; j++)
		p("    <vcpu" a("id", j) a("pid", pid + 1 + j) "/>")
	p("  </vcpus>")
	p("  <qemuCaps>")
	start = rnd(nflags)
	k = 20 + rnd(nflags - 20)
	for (j = 0; j < k; j++)
		p("    <flag" a("name", flag[(start + j) % nflags + 1]) "/>")
	for (j = 0; j < pad; j++)
		p("    <flag" a("name", sprintf("x-pad-%03d-", j) flag[j % nflags + 1]) "/>")
	p("  </qemuCaps>")
	p("  <devices>")
	p("    <device" a("alias", "virtio-disk0") "/>")
	p("    <device" a("alias", "net0") "/>")
	p("  </devices>")
}
function status_tail(name, id) {
	p("  <libDir" a("path", "/var/lib/libvirt/qemu/domain-" id "-" name) "/>")
	p("  <cpu" a("mode", "custom") a("match", "exact") a("check", "partial") ">")
	p("    <model" a("fallback", "forbid") ">EPYC-Rome</model>")
	p("  </cpu>")
	p("  <chardevStdioLogd/>")
	p("  <allowReboot" a("value", "yes") "/>")
	p("  <agentTimeout>-2</agentTimeout>")
}
# one call per statement: awk leaves the evaluation order of arguments open
function uuid(    u, j) {
	u = ""
	for (j = 0; j < 8; j++)
		u = u sprintf("%04x", rnd(65536))
	return substr(u, 1, 8) "-" substr(u, 9, 4) "-4" substr(u, 14, 3) "-8" substr(u, 18, 3) \
		"-" substr(u, 21, 12)
}
function devices(name, i) {
	p("    <devices>")
	p("      <emulator>/usr/bin/qemu-system-x86_64</emulator>")
	p("      <disk" a("type", "file") a("device", "disk") ">")
	p("        <driver" a("name", "qemu") a("type", "qcow2") "/>")
	p("        <source" a("file", "/var/lib/libvirt/images/" name ".qcow2") a("index", 1) "/>")
	p("        <target" a("dev", "vda") a("bus", "virtio") "/>")
	p("        <alias" a("name", "virtio-disk0") "/>")
	p("      </disk>")
	p("      <interface" a("type", "network") ">")
	p("        <mac" a("address", sprintf("52:54:00:%02x:%02x:%02x", int(i / 65536) % 256, \
		int(i / 256) % 256, i % 256)) "/>")
	p("        <source" a("network", "default") a("bridge", "virbr0") "/>")
	p("        <model" a("type", "virtio") "/>")
	p("        <alias" a("name", "net0") "/>")
	p("      </interface>")
	p("    </devices>")
}
function cells(nv, memk,    half) {
	half = nv / 2
	p("    <cpu" a("mode", "host-passthrough") a("check", "none") ">")
	p("      <numa>")
	p("        <cell" a("id", 0) a("cpus", "0-" (half - 1)) a("memory", memk / 2) \
		a("unit", "KiB") "/>")
	p("        <cell" a("id", 1) a("cpus", half "-" (nv - 1)) a("memory", memk / 2) \
		a("unit", "KiB") "/>")
	p("      </numa>")
	p("    </cpu>")
}
# <cputune>: per-vCPU pins, or nothing (span, float, memonly, numad)
function cputune(fn, nv, x, y,    j, c, remote, k) {
	if (fn == "pin" || fn == "huge") {
		c = rnd(ncpus[x])
		p("    <cputune>")
		for (j = 0; j < nv; j++)
			p("      <vcpupin" a("vcpu", j) \
				a("cpuset", cpu[x, (c + j) % ncpus[x]]) "/>")
		p("      <emulatorpin" a("cpuset", cpulist[x]) "/>")
		p("    </cputune>")
	} else if (fn == "interleave" || fn == "cells" || fn == "cellshuge") {
		if (fn == "cells")
			remote = ncells++ % 2 == 0
		p("    <cputune>")
		for (j = 0; j < nv; j++) {
			k = x
			if ((fn == "cells" || fn == "cellshuge") && j >= nv / 2)
				k = remote && j == nv - 1 ? x : y
			p("      <vcpupin" a("vcpu", j) a("cpuset", cpulist[k]) "/>")
		}
		p("    </cputune>")
	}
}
function numatune(fn, x, y,    ns, m) {
	ns = cnode[x] + 0 < cnode[y] + 0 ? cnode[x] "," cnode[y] : cnode[y] "," cnode[x]
	if (x == y)
		ns = cnode[x]
	if (fn == "float")
		return
	p("    <numatune>")
	if (fn == "pin" || fn == "huge")
		p("      <memory" a("mode", "strict") a("nodeset", cnode[x]) "/>")
	else if (fn == "span" || fn == "interleave")
		p("      <memory" a("mode", "interleave") a("nodeset", ns) "/>")
	else if (fn == "memonly")
		p("      <memory" a("mode", "strict") a("nodeset", anode[rnd(nall)]) "/>")
	else if (fn == "numad")
		p("      <memory" a("mode", "strict") a("placement", "auto") "/>")
	else {
		m = fn == "cells" ? "strict" : "preferred"
		if (fn == "cells")
			p("      <memory" a("mode", "strict") a("nodeset", ns) "/>")
		p("      <memnode" a("cellid", 0) a("mode", m) a("nodeset", cnode[x]) "/>")
		p("      <memnode" a("cellid", 1) a("mode", m) a("nodeset", cnode[y]) "/>")
	}
	p("    </numatune>")
}
function vm(i,    fn, name, x, y, nv, memk, hugek, unit, two) {
	fn = form[(i - 1 + seed) % nforms + 1]
	name = sprintf("g%04d-%s", i, fn)
	F = out "/" name ".xml"
	x = rnd(ncn)
	y = other(x)
	two = fn == "cells" || fn == "cellshuge"
	nv = pick_vcpus(fn == "pin" || fn == "huge" ? ncpus[x] : 8, two)
	memk = (1 + rnd(8)) * 1048576
	hugek = 0
	if ((fn == "huge" || fn == "cellshuge") && nhuge > 0) {
		hugek = huge[rnd(nhuge)]
		# a whole number of pages in each of the two cells
		unit = hugek > 1048576 ? hugek : 1048576
		memk = (1 + rnd(4)) * 2 * unit
	}
	status_head(name, i, 10000 + i * 16, nv)
	if (fn == "numad")
		p("  <numad" a("nodeset", cnode[x]) a("cpuset", cpulist[x]) "/>")
	status_tail(name, i)
	p("  <domain" a("type", "kvm") a("id", i) ">")
	p("    <name>" name "</name>")
	p("    <uuid>" uuid() "</uuid>")
	p("    <memory" a("unit", "KiB") ">" memk "</memory>")
	p("    <currentMemory" a("unit", "KiB") ">" memk "</currentMemory>")
	if (hugek > 0) {
		p("    <memoryBacking>")
		p("      <hugepages>")
		if (fn == "cellshuge")
			p("        <page" a("size", hugek) a("unit", "KiB") a("nodeset", 0) "/>")
		else
			p("        <page" a("size", hugek) a("unit", "KiB") "/>")
		p("      </hugepages>")
		p("    </memoryBacking>")
	}
	if (fn == "span")
		p("    <vcpu" a("placement", "static") a("cpuset", cpulist[x] "," cpulist[y]) ">" \
			nv "</vcpu>")
	else
		p("    <vcpu" a("placement", fn == "numad" ? "auto" : "static") ">" nv "</vcpu>")
	cputune(fn, nv, x, y)
	numatune(fn, x, y)
	p("    <resource>")
	p("      <partition>/machine</partition>")
	p("    </resource>")
	p("    <os>")
	p("      <type" a("arch", "x86_64") a("machine", "pc-q35-7.2") ">hvm</type>")
	p("      <boot" a("dev", "hd") "/>")
	p("    </os>")
	if (two)
		cells(nv, memk)
	p("    <on_poweroff>destroy</on_poweroff>")
	p("    <on_reboot>restart</on_reboot>")
	p("    <on_crash>destroy</on_crash>")
	devices(name, i)
	p("  </domain>")
	p("</domstatus>")
	close(F)
}
END {
	if (ncn == 0) {
		print "genvms.sh: the host has no node with CPUs" > "/dev/stderr"
		exit 2
	}
	for (i = 1; i <= n; i++)
		vm(i)
}
'
