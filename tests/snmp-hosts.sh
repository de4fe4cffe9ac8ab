#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# snmp-hosts.sh: snmpwalk and snmpbulkwalk equal --dump=json on real sysfs trees of the corpus
# with VM sets from tests/genvms.sh, and with vmTables/vcpuTable off (at start and by SIGHUP).
# Also pins genvms.sh itself: same seed same bytes, every pinning form parses, bad arguments.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/walklib.sh"
nt_init snmp-hosts
nt_need snmpd snmpwalk snmpbulkwalk snmpget snmpgetnext numatopd
nt_need_mibs
wl_init

: "${CORPUS:=$TESTS_DIR/../../shared/corpus}"
HWLOC=$CORPUS/hwloc
HOSTS="nvidiagpunumanodes 48amd64-4pa2n6c-sparse 128arm-2pa2n8cluster4co"
for h in $HOSTS; do
	[ -d "$HWLOC/$h/sys/devices/system/node" ] ||
		nt__skip_or_fail "corpus host $HWLOC/$h/sys not found (CORPUS='$CORPUS')"
done
GENVMS=$TESTS_DIR/genvms.sh
NVMS=45

# ---------------------------------------------------------------- 1. genvms.sh itself
h48=$HWLOC/48amd64-4pa2n6c-sparse/sys
sh "$GENVMS" "$h48" "$NT_DIR/gen-a" 18 7 && sh "$GENVMS" "$h48" "$NT_DIR/gen-b" 18 7 &&
	sh "$GENVMS" "$h48" "$NT_DIR/gen-c" 18 8 || nt_fail "genvms.sh failed"
[ "$(find "$NT_DIR/gen-a" -name 'g*.xml' | wc -l)" -eq 18 ] && nt_pass "genvms.sh: 18 files" ||
	nt_fail "genvms.sh: $(find "$NT_DIR/gen-a" -name 'g*.xml' | wc -l) files, want 18"
diff -r "$NT_DIR/gen-a" "$NT_DIR/gen-b" >/dev/null && nt_pass "genvms.sh: same seed, same bytes" ||
	nt_fail "genvms.sh: two runs with seed 7 differ"
diff -r "$NT_DIR/gen-a" "$NT_DIR/gen-c" >/dev/null &&
	nt_fail "genvms.sh: seeds 7 and 8 give the same files" ||
	nt_pass "genvms.sh: another seed, other files"
"$NUMATOPD" --dump=json --sysfs-root "$h48" --libvirt-xml-dir "$NT_DIR/gen-a" >"$NT_DIR/gen.json" \
	2>"$NT_DIR/gen.err"
grep -q '"vm_count":18,[^}]*"invalid_files":0,' "$NT_DIR/gen.json" &&
	nt_pass "genvms.sh: numatopd reads all 18 VMs, no invalid file" ||
	nt_fail "genvms.sh VMs: $(grep -o '"summary":{[^}]*}' "$NT_DIR/gen.json")" \
		"$(head -n 3 "$NT_DIR/gen.err")"
for p in local multinode spanning partial floating; do
	grep -q "\"placement\":\"$p\"" "$NT_DIR/gen.json" && nt_pass "genvms.sh: a $p VM" ||
		nt_fail "genvms.sh: no VM with placement $p"
done
while read -r re what; do
	grep -q "$re" "$NT_DIR/gen.json" && nt_pass "genvms.sh: $what" ||
		nt_fail "genvms.sh: no $what"
done <<'EOF'
"remote":true a remote vCPU
"vm_demand":[1-9] hugepage demand
"memory_spanning_bytes":[1-9] spanning memory
"cpus":"[0-9][0-9]*" a vCPU pinned to one CPU
EOF
sh "$GENVMS" "$h48" "$NT_DIR/gen-x" ten 1 2>/dev/null
[ $? -eq 2 ] && nt_pass "genvms.sh: bad N, exit 2" || nt_fail "genvms.sh: bad N not refused"
sh "$GENVMS" "$NT_DIR/nonexistent" "$NT_DIR/gen-x" 1 1 2>/dev/null
[ $? -eq 2 ] && nt_pass "genvms.sh: no node dir, exit 2" ||
	nt_fail "genvms.sh: missing host not refused"

# ---------------------------------------------------------------- 2. corpus hosts
nt_start_snmpd </dev/null || exit 1
CONF=$NT_DIR/numatopd.conf
printf 'agentxPingInterval 1\n' >"$CONF"

seed=1
for h in $HOSTS; do
	sys=$HWLOC/$h/sys
	vms=$NT_DIR/vms-$h
	sh "$GENVMS" "$sys" "$vms" $NVMS $seed || nt_fail "genvms.sh $h failed"
	seed=$((seed + 1))
	nt_start_numatopd -c "$CONF" --sysfs-root "$sys" --libvirt-xml-dir "$vms" || exit 1
	if nt_wait_numatopd_registered; then
		wl_compare "$h + $NVMS VMs" -- -c "$CONF" --sysfs-root "$sys" \
			--libvirt-xml-dir "$vms"
		got=$(nt_snmp snmpget -Ovq -OU numaVmCount.0 2>&1)
		[ "$got" = $NVMS ] && nt_pass "$h: numaVmCount.0 = $NVMS" ||
			nt_fail "$h: numaVmCount.0 = '$got'"
	else
		nt_fail "numatopd on $h did not register"
	fi
	nt_stop_numatopd
	wl_wait_gone || nt_fail "$h: the subtree is still served after numatopd stopped"
done

# ---------------------------------------------------------------- 2b. values over 255 octets
# fixtures/longcpus: node 0 has the even CPUs 0-510, node 1 the odd ones (cpulists of 968 and
# 969 bytes), one VM with vCPUs pinned to each half, a 483-byte UTF-8 name and a 573-byte
# display name: lists are cut before a ',' and end in "...", names on a character boundary.
LONG=${FIXTURES:-$TESTS_DIR/../fixtures}/longcpus
printf 'agentxPingInterval 1\n' >"$CONF"
nt_start_numatopd -c "$CONF" --sysfs-root "$LONG/sys" --libvirt-xml-dir "$LONG/libvirt" || exit 1
if nt_wait_numatopd_registered; then
	wl_compare "longcpus" -- -c "$CONF" --sysfs-root "$LONG/sys" --libvirt-xml-dir "$LONG/libvirt"
	even=$(seq -s, 0 2 152) odd=$(seq -s, 1 2 153)
	for want in "0 $even..." "1 $odd..."; do
		got=$(nt_snmp snmpget -Ovq numaNodeCpuList.${want%% *} 2>&1)
		[ "$got" = "${want#* }" ] && nt_pass "longcpus: numaNodeCpuList.${want%% *} cut at an item" ||
			nt_fail "longcpus: numaNodeCpuList.${want%% *} = '$got', want '${want#* }'"
	done
	got=$(nt_snmp snmpwalk -Ovq numaVmName 2>&1)
	case $got in
	vm-ünïcødé-€-*) nt_pass "longcpus: numaVmName is UTF-8 text (${#got} characters)" ;;
	*) nt_fail "longcpus: numaVmName = '$got'" ;;
	esac
else
	nt_fail "numatopd on fixtures/longcpus did not register"
fi
nt_stop_numatopd
wl_wait_gone || nt_fail "longcpus: the subtree is still served after numatopd stopped"

# ---------------------------------------------------------------- 2c. CpuBitmaps up to CPU 8191
# fixtures/longcpus widened to 8192 CPUs (written here): node 0 the even CPUs 0-8190, node 1 the
# odd ones; the VM's vCPU 0 on every even CPU, vCPU 1 on CPU 8191 alone, its emulator on
# 2040-2047 (octet 255) and 8190. Text lists are cut at 255 octets; the bitmaps are whole, up to
# 1024 octets, the last octet holding CPU 8191.
WIDE=$NT_DIR/wide
cp -R "$LONG" "$WIDE" || exit 99
seq -s, 0 2 8190 >"$WIDE/sys/devices/system/node/node0/cpulist"
seq -s, 1 2 8191 >"$WIDE/sys/devices/system/node/node1/cpulist"
evens=$(seq -s, 0 2 8190)
awk -v evens="$evens" '
	/<vcpupin vcpu=.0./ { print "    <vcpupin vcpu=\x270\x27 cpuset=\x27" evens "\x27/>"; next }
	/<vcpupin vcpu=.1./ { print "    <vcpupin vcpu=\x271\x27 cpuset=\x278191\x27/>"; next }
	/<emulatorpin/ { print "    <emulatorpin cpuset=\x272040-2047,8190\x27/>"; next }
	{ print }' "$LONG/libvirt/wide.xml" >"$WIDE/libvirt/wide.xml" || exit 99
grep -q "cpuset='8191'" "$WIDE/libvirt/wide.xml" && grep -q '<emulatorpin' "$WIDE/libvirt/wide.xml" ||
	nt_fail "widecpus: the VM file was not rewritten as planned"
# octets of a CpuBitmap instance, hex, no MIB (so no DISPLAY-HINT)
bitmap_hex() {
	nt_snmp snmpget -m '' -On -Ovq -Ox "$1" 2>&1 | tr -d ' \n"' | tr 'a-f' 'A-F'
}
repeat() { # repeat HEX N
	awk -v h="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", h; print "" }'
}
nt_start_numatopd -c "$CONF" --sysfs-root "$WIDE/sys" --libvirt-xml-dir "$WIDE/libvirt" || exit 1
if nt_wait_numatopd_registered; then
	wl_compare "widecpus" -- -c "$CONF" --sysfs-root "$WIDE/sys" --libvirt-xml-dir "$WIDE/libvirt"
	R=.1.3.6.1.4.1.8072.9999.9999.6862.1
	got=$(bitmap_hex $R.2.1.22.1)
	[ "$got" = "$(repeat 55 1024)" ] &&
		nt_pass "widecpus: numaNodeCpuBitmap.1 is 1024 octets of 01010101 (CPUs 1-8191 odd)" ||
		nt_fail "widecpus: numaNodeCpuBitmap.1: ${#got} hex digits: $(echo "$got" | cut -c 1-64)..."
	list=$(nt_snmp snmpget -Ovq numaNodeCpuList.1 2>&1)
	case $list in
	*...) nt_pass "widecpus: numaNodeCpuList.1 is cut (${#list} octets) while the bitmap is whole" ;;
	*) nt_fail "widecpus: numaNodeCpuList.1 not cut: $(echo "$list" | cut -c 1-80)" ;;
	esac
	ix=$(nt_snmp snmpwalk -m '' -On -Oq $R.3.1.2 2>&1 | sed -n 's/^[.0-9]*\.\([0-9]*\) .*/\1/p' | head -n 1)
	got=$(bitmap_hex $R.5.1.7.$ix.1)
	[ "$got" = "$(repeat 00 1023)01" ] &&
		nt_pass "widecpus: numaVcpuAffinityBitmap.$ix.1 = CPU 8191 alone, 1024 octets" ||
		nt_fail "widecpus: numaVcpuAffinityBitmap.$ix.1: ${#got} hex digits, ends $(echo "$got" | tail -c 9)"
	got=$(bitmap_hex $R.5.1.7.$ix.0)
	[ "$got" = "$(repeat AA 1024)" ] &&
		nt_pass "widecpus: numaVcpuAffinityBitmap.$ix.0 = every even CPU, 1024 octets" ||
		nt_fail "widecpus: numaVcpuAffinityBitmap.$ix.0: ${#got} hex digits"
	got=$(bitmap_hex $R.3.1.18.$ix)
	[ "$got" = "$(repeat 00 255)FF$(repeat 00 767)02" ] &&
		nt_pass "widecpus: numaVmEmulatorCpuBitmap.$ix = 2040-2047 (octet 255) and 8190" ||
		nt_fail "widecpus: numaVmEmulatorCpuBitmap.$ix: ${#got} hex digits"
else
	nt_fail "numatopd on the 8192-CPU host did not register"
fi
nt_stop_numatopd
wl_wait_gone || nt_fail "widecpus: the subtree is still served after numatopd stopped"

# ---------------------------------------------------------------- 2d. a node without meminfo
# fixtures/qemualloc/sys-nomeminfo (as libvirt's snapshots of real kernels): node 0's memory is
# unknown, not 0. Its capacity, free memory, headroom, used percent and their MiB companions
# are holes (GET: noSuchInstance, GETNEXT steps over them); the 4 GiB a VM binds there is known.
NOMEM=${FIXTURES:-$TESTS_DIR/../fixtures}/qemualloc/sys-nomeminfo
mkdir -p "$NT_DIR/nomem-vms" || exit 99
cat >"$NT_DIR/nomem-vms/bound.xml" <<'EOF'
<domain type='kvm'><name>bound</name><uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='GiB'>4</memory><vcpu>1</vcpu>
  <numatune><memory mode='strict' nodeset='0'/></numatune></domain>
EOF
printf 'agentxPingInterval 1\n' >"$CONF"
nt_start_numatopd -c "$CONF" --sysfs-root "$NOMEM" --libvirt-xml-dir "$NT_DIR/nomem-vms" || exit 1
if nt_wait_numatopd_registered; then
	wl_compare "no meminfo" -- -c "$CONF" --sysfs-root "$NOMEM" --libvirt-xml-dir "$NT_DIR/nomem-vms"
	for o in numaNodeMemCapacity numaNodeMemFree numaNodeMemHeadroom numaNodeMemUsedPercent \
		numaNodeMemCapacityMiB numaNodeMemFreeMiB; do
		got=$(nt_snmp snmpget -Ovq "$o.0" 2>&1)
		case $got in
		"No Such Instance"*) nt_pass "no meminfo: $o.0 is noSuchInstance" ;;
		*) nt_fail "no meminfo: $o.0 = '$got', want noSuchInstance" ;;
		esac
	done
	got=$(nt_snmp snmpgetnext -Oq numaNodeMemCapacity 2>&1)
	case $got in
	*numaNodeVcpusBound.0\ *) nt_pass "no meminfo: GETNEXT steps over the memory holes" ;;
	*) nt_fail "no meminfo: GETNEXT of numaNodeMemCapacity = '$got'" ;;
	esac
	got=$(nt_snmp snmpget -Ovq -OU numaNodeMemUsed.0 numaNodeMemOversubscribed.0 \
		numaSourceStatus.0 2>&1 | tr '\n' ' ')
	[ "$got" = "4294967296 false degraded " ] &&
		nt_pass "no meminfo: used 4 GiB, not oversubscribed, source degraded" ||
		nt_fail "no meminfo: used, oversubscribed, status = '$got'"
else
	nt_fail "numatopd on sys-nomeminfo did not register"
fi
nt_stop_numatopd
wl_wait_gone || nt_fail "no meminfo: the subtree is still served after numatopd stopped"

# ---------------------------------------------------------------- 3. vmTables / vcpuTable
sys=$HWLOC/nvidiagpunumanodes/sys
vms=$NT_DIR/vms-nvidiagpunumanodes
walk=$NT_DIR/tables.walk

# expect_tables LABEL PRESENT... : which of the VM tables (.1.3 .1.4 .1.5) have instances
expect_tables() {
	label=$1
	shift
	wl_bulkwalk "$walk" || nt_fail "$label: snmpbulkwalk: $(head -n 3 "$walk.err")"
	for t in 1.3 1.4 1.5; do
		want=absent
		for p in "$@"; do
			[ "$p" = $t ] && want=present
		done
		got=absent
		wl_has_instance "$walk" "$WL_ROOT.$t" && got=present
		[ $got = $want ] && nt_pass "$label: $t $want" ||
			nt_fail "$label: $t $got, want $want"
	done
	wl_has_instance "$walk" "$WL_ROOT.1.6" && nt_pass "$label: distance table still there" ||
		nt_fail "$label: no distance table"
	got=$(nt_snmp snmpget -Ovq -OU numaNodeCpuCapacity.8 2>&1)
	[ "$got" = 88 ] && nt_pass "$label: numaNodeCpuCapacity.8 = 88" ||
		nt_fail "$label: numaNodeCpuCapacity.8 = '$got', want 88"
}

printf 'agentxPingInterval 1\nvmTables no\n' >"$CONF"
nt_start_numatopd -c "$CONF" --sysfs-root "$sys" --libvirt-xml-dir "$vms" || exit 1
nt_wait_numatopd_registered || exit 1
pid=$NT_NUMATOPD_PID
expect_tables "vmTables no"
got=$(nt_snmp snmpget -Ovq "numaVmName.1" 2>&1)
case $got in
"No Such Object"*) nt_pass "vmTables no: numaVmName.1 is noSuchObject" ;;
*) nt_fail "vmTables no: numaVmName.1 = '$got'" ;;
esac
wl_compare "vmTables no" --no-vm-tables -- -c "$CONF" --sysfs-root "$sys" --libvirt-xml-dir "$vms"

# the same through SIGHUP: the tables are registered again, or dropped, without a restart
# tables_are with|without: the vCPU table (and the VM table) as wanted
tables_are() {
	wl_bulkwalk "$walk" && wl_has_instance "$walk" "$WL_ROOT.1.3" || return 1
	if [ "$1" = with ]; then
		wl_has_instance "$walk" "$WL_ROOT.1.5"
	else
		! wl_has_instance "$walk" "$WL_ROOT.1.5"
	fi
}
printf 'agentxPingInterval 1\nvcpuTable no\n' >"$CONF"
kill -HUP "$pid"
nt__poll 50 tables_are without || :
expect_tables "SIGHUP to vcpuTable no" 1.3 1.4
wl_compare "vcpuTable no" --no-vcpu-table -- -c "$CONF" --sysfs-root "$sys" --libvirt-xml-dir "$vms"

printf 'agentxPingInterval 1\n' >"$CONF"
kill -HUP "$pid"
nt__poll 50 tables_are with || :
expect_tables "SIGHUP back to all tables" 1.3 1.4 1.5
wl_compare "all tables again" -- -c "$CONF" --sysfs-root "$sys" --libvirt-xml-dir "$vms"
nt_stop_numatopd
wl_wait_gone || nt_fail "the subtree is still served after numatopd stopped"

# vcpuTable no from the start
printf 'agentxPingInterval 1\nvcpuTable no\n' >"$CONF"
nt_start_numatopd -c "$CONF" --sysfs-root "$sys" --libvirt-xml-dir "$vms" || exit 1
nt_wait_numatopd_registered || exit 1
expect_tables "vcpuTable no at start" 1.3 1.4

nt_done
