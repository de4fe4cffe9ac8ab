#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# vmindex.sh: numaVmIndex is a property of the VM (README, "VM index"): walk, restart the VMs
# (new domain ids, each one another VM's old id), walk, restart numatopd, walk again: every
# UUID keeps its index, numaVmDomainId shows the new ids. Then a corrupt map: a warning, no
# crash, the indexes rebuilt; and --dump reads the map but never writes it.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init vmindex
nt_need snmpd snmpwalk numatopd

HOST=${FIXTURES:-$TESTS_DIR/../fixtures}/host
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
UUIDCOL=$ROOT.1.3.1.3
IDCOL=$ROOT.1.3.1.16
VMS=$NT_DIR/vms
STATE=$NT_DIR/state
N=6
CONF=$NT_DIR/numatopd.conf
printf 'agentxPingInterval 1\neventDelay 0\nnotifications no\n' >"$CONF"
mkdir "$VMS" && sh "$TESTS_DIR/genvms.sh" "$HOST/sys" "$VMS" $N 3 >/dev/null || exit 1

# INDEX UUID, one line per VM, sorted by index
walk_uuids() {
	nt_snmp snmpwalk -On -Oq -- "$UUIDCOL" |
		sed -n "s|^$(nt_re "$UUIDCOL").\([0-9]*\) \"*\([0-9a-f-]*\)\"*\$|\1 \2|p" | sort -n
}

# INDEX DOMAIN-ID
walk_ids() {
	nt_snmp snmpwalk -On -Oq -- "$IDCOL" | sed -n "s|^$(nt_re "$IDCOL").\([0-9]*\) \(.*\)\$|\1 \2|p" |
		sort -n
}

# Every file's domain id I becomes N + 1 - I: each VM restarted with another VM's old id.
restart_vms() {
	for rv__f in "$VMS"/*.xml; do
		rv__id=$(sed -n "s/.*<domain type='kvm' id='\([0-9]*\)'.*/\1/p" "$rv__f")
		sed "s/<domain type='kvm' id='$rv__id'/<domain type='kvm' id='$((N + 1 - rv__id))'/" \
			"$rv__f" >"$rv__f.new" && mv "$rv__f.new" "$rv__f"
	done
}

start() {
	nt_start_numatopd -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$VMS" \
		--state-dir "$STATE" || exit 1
	nt_wait_numatopd_registered || exit 1
}

nt_start_snmpd </dev/null || exit 1
mkdir -p "$STATE"
start
walk_uuids >"$NT_DIR/before"
walk_ids >"$NT_DIR/ids.before"
[ "$(wc -l <"$NT_DIR/before")" -eq $N ] &&
	[ "$(awk '$1 != $2' "$NT_DIR/ids.before" | wc -l)" -eq 0 ] &&
	nt_pass "first start: $N VMs, numaVmIndex = numaVmDomainId for a fresh map" ||
	nt_fail "first start: $(cat "$NT_DIR/before" "$NT_DIR/ids.before")"
nt__poll 50 test -s "$STATE/vm-index" && [ "$(sed 1q "$STATE/vm-index")" = "numatopd-vmindex 1" ] &&
	[ "$(wc -l <"$STATE/vm-index")" -eq $((N + 1)) ] &&
	nt_pass "the map is written: a header and $N entries" ||
	nt_fail "the map: $(cat "$STATE/vm-index" 2>&1)"

restart_vms
# numatopd sees the files change (inotify, eventDelay 0) and answers from a fresh build
ok=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	walk_ids >"$NT_DIR/ids.vms"
	[ "$(awk '$1 + $2 == '$((N + 1)) "$NT_DIR/ids.vms" | wc -l)" -eq $N ] && { ok=1; break; }
	sleep 0.2
done
walk_uuids >"$NT_DIR/after.vms"
[ $ok = 1 ] && cmp -s "$NT_DIR/before" "$NT_DIR/after.vms" &&
	nt_pass "VMs restarted with each other's domain ids: same index for every UUID" ||
	nt_fail "after the VM restart: $(cat "$NT_DIR/ids.vms" "$NT_DIR/after.vms")"

nt_stop_numatopd
start
walk_uuids >"$NT_DIR/after.restart"
walk_ids >"$NT_DIR/ids.restart"
cmp -s "$NT_DIR/before" "$NT_DIR/after.restart" &&
	cmp -s "$NT_DIR/ids.vms" "$NT_DIR/ids.restart" &&
	nt_pass "numatopd restarted: same index for every UUID, the new domain ids served" ||
	nt_fail "after the numatopd restart: $(cat "$NT_DIR/after.restart" "$NT_DIR/ids.restart")"
nt_stop_numatopd

# --dump reads the map (the same indexes), never writes it
sum=$(cksum <"$STATE/vm-index")
"$NUMATOPD" --dump=json -c "$CONF" --sysfs-root "$HOST/sys" --libvirt-xml-dir "$VMS" \
	--state-dir "$STATE" >"$NT_DIR/dump.json" 2>"$NT_DIR/dump.err"
first=$(sed -n '1p' "$NT_DIR/before")
grep -q "\"index\":${first%% *},\"domain_id\":$((N + 1 - ${first%% *})),.*\"uuid\":\"${first#* }\"" \
	"$NT_DIR/dump.json" && [ "$(cksum <"$STATE/vm-index")" = "$sum" ] &&
	nt_pass "--dump uses the map and leaves it as it was" ||
	nt_fail "--dump: $(head -c 600 "$NT_DIR/dump.json") $(cat "$NT_DIR/dump.err")"

# a corrupt map: a warning, indexes rebuilt from the domain ids, a clean map written back
printf 'numatopd-vmindex 1\n1 6E1A2B3C-0000-4000-8000-000000000001 0\n' >"$STATE/vm-index"
start
walk_ids >"$NT_DIR/ids.corrupt"
[ "$(awk '$1 != $2' "$NT_DIR/ids.corrupt" | wc -l)" -eq 0 ] &&
	grep -q "VM index map $STATE/vm-index: line 2: not a UUID in lowercase 8-4-4-4-12 form (1 bad line dropped); the other entries are kept" \
		"$NT_DIR/numatopd.log" &&
	nt_pass "a corrupt map: warned about, rebuilt from the VMs present" ||
	nt_fail "corrupt map: $(cat "$NT_DIR/ids.corrupt"; tail -n 5 "$NT_DIR/numatopd.log")"
nt__poll 50 sh -c "[ \$(wc -l <'$STATE/vm-index') -eq $((N + 1)) ]" &&
	nt_pass "the rebuilt map is written back whole" || nt_fail "map: $(cat "$STATE/vm-index")"
nt_stop_numatopd
nt_done
