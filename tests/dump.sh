#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dump.sh: `numatopd --dump` on the bundled fixture host: exit codes, the text tables, the JSON,
# the invalid files named with a reason, no secret leaked, and a host without NUMA nodes.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init dump

HOST="$FIXTURES/host"
out="$NT_DIR/out"

"$NUMATOPD" --dump --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" >"$out.txt" 2>"$out.err"
rc=$?
[ $rc -eq 0 ] && nt_pass "--dump exits 0" || nt_fail "--dump exited $rc: $(cat "$out.err")"
for n in 0 1 4 6; do
	grep -Eq "^ +$n " "$out.txt" && nt_pass "text lists node $n" || nt_fail "text lacks node $n"
done
grep -q "(memory only)" "$out.txt" && nt_pass "memory-only node marked" || nt_fail "memory-only node not marked"
grep -q "Invalid files (2)" "$out.txt" && nt_pass "two invalid files listed" || nt_fail "invalid files not listed as 2"
grep -q "broken-truncated.xml: " "$out.txt" && nt_pass "truncated file named with a reason" || nt_fail "truncated file not named"
grep -q "broken-cpuset.xml: .*reversed" "$out.txt" && nt_pass "bad cpuset file names the reason" || nt_fail "bad cpuset reason missing"
# one log line per bad file, naming the file
[ "$(grep -c 'broken-' "$out.err")" -eq 2 ] && nt_pass "one log line per bad file" || nt_fail "expected 2 log lines about broken files, got: $(cat "$out.err")"
grep -q "half-written" "$out.txt" "$out.err" && nt_fail ".xml.new file was read" || nt_pass ".xml.new file skipped"
grep -q "hidden" "$out.txt" "$out.err" && nt_fail "dotfile was read" || nt_pass "dotfile skipped"
grep -qi "SECRET" "$out.txt" "$out.err" && nt_fail "a VNC password leaked" || nt_pass "no password in text output or log"

"$NUMATOPD" --dump=json --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" >"$out.json" 2>/dev/null
rc=$?
[ $rc -eq 0 ] && nt_pass "--dump=json exits 0" || nt_fail "--dump=json exited $rc"
for key in '"nodes":\[' '"vms":\[' '"errors":\[' '"assign":\[' '"vcpu_pins":\[' '"hugepages":\[' '"distances":\['; do
	grep -q "$key" "$out.json" && nt_pass "JSON has $key" || nt_fail "JSON lacks $key"
done
grep -qi "SECRET" "$out.json" && nt_fail "a VNC password leaked into JSON" || nt_pass "no password in JSON"

# the same build gives the same bytes (stable indexes and ordering)
"$NUMATOPD" --dump=json --sysfs-root "$HOST/sys" --libvirt-xml-dir "$HOST/libvirt" >"$out.json2" 2>/dev/null
cmp -s "$out.json" "$out.json2" && nt_pass "JSON is deterministic" || nt_fail "two dumps differ"

# no NUMA nodes: exit 1 with a message
mkdir -p "$NT_DIR/empty/devices/system/node"
"$NUMATOPD" --dump --sysfs-root "$NT_DIR/empty" --libvirt-xml-dir "$HOST/libvirt" >/dev/null 2>"$out.err"
rc=$?
[ $rc -eq 1 ] && nt_pass "no NUMA nodes: exit 1" || nt_fail "no NUMA nodes: exit $rc"
grep -q "no NUMA nodes" "$out.err" && nt_pass "no NUMA nodes: says so" || nt_fail "no message for no NUMA nodes"

# bad options and config
"$NUMATOPD" --dump=xml >/dev/null 2>&1 && nt_fail "--dump=xml accepted" || nt_pass "--dump=xml rejected"
"$NUMATOPD" --dump -c "$NT_DIR/none.conf" >/dev/null 2>&1 && nt_fail "missing -c file accepted" || nt_pass "missing -c file rejected"
printf 'cpuAllocationRatio banana\n' >"$NT_DIR/bad.conf"
"$NUMATOPD" --dump -c "$NT_DIR/bad.conf" --sysfs-root "$HOST/sys" >/dev/null 2>"$out.err"
rc=$?
[ $rc -eq 1 ] && nt_pass "invalid value: exit 1" || nt_fail "invalid value: exit $rc"
grep -q "bad.conf: line 1" "$out.err" && nt_pass "invalid value names file and line" || nt_fail "no file:line in: $(cat "$out.err")"
printf 'refreshInterval 10\nfrobnicate yes\n' >"$NT_DIR/unknown.conf"
"$NUMATOPD" --dump -c "$NT_DIR/unknown.conf" --sysfs-root "$HOST/sys" >/dev/null 2>"$out.err"
rc=$?
[ $rc -eq 1 ] && nt_pass "unknown directive: exit 1" || nt_fail "unknown directive: exit $rc"
grep -q "unknown.conf: line 2" "$out.err" && nt_pass "unknown directive names file and line" || nt_fail "no file:line in: $(cat "$out.err")"
grep -qx ".*unknown.conf: line 2: Error: unknown directive: frobnicate." "$out.err" &&
	nt_pass "an unknown directive is logged as an error" ||
	nt_fail "no 'Error: unknown directive' line in: $(cat "$out.err")"
! grep -q "Warning: Unknown token" "$out.err" && [ "$(grep -c frobnicate "$out.err")" = 1 ] &&
	nt_pass "said once, as an error: no Net-SNMP 'Warning: Unknown token' before it" ||
	nt_fail "the unknown directive is not said once as an error: $(cat "$out.err")"
# reservedMemory for a node the host does not have: accepted, with a warning
printf 'reservedMemory 9 1G\n' >"$NT_DIR/nonode.conf"
"$NUMATOPD" --dump -c "$NT_DIR/nonode.conf" --sysfs-root "$HOST/sys" \
	--libvirt-xml-dir "$HOST/libvirt" >/dev/null 2>"$out.err"
rc=$?
[ $rc -eq 0 ] && grep -q "reservedMemory: node 9 does not exist on this host (nodes 0,1,4,6); ignored" "$out.err" &&
	nt_pass "reservedMemory for a missing node warns" ||
	nt_fail "reservedMemory 9: exit $rc, $(cat "$out.err")"
# a valid config changes the numbers: cpuAllocationRatio 2 doubles every CPU limit
printf 'cpuAllocationRatio 2.0\nsysfsRoot %s\nlibvirtXmlDir %s\n' "$HOST/sys" "$HOST/libvirt" >"$NT_DIR/good.conf"
"$NUMATOPD" --dump=json -c "$NT_DIR/good.conf" >"$out.r2" 2>/dev/null
grep -q '"cpu_allocation_ratio_percent":200' "$out.r2" && nt_pass "config file read (ratio 200%)" || nt_fail "cpuAllocationRatio not applied"
grep -q '"id":0,"cpus":"[^"]*","cpu_capacity":8,[^}]*"cpu_limit":16' "$out.r2" && nt_pass "node 0 CPU limit doubled" || nt_fail "node 0 CPU limit not 16"

# Net-SNMP matches directive names case-insensitively: so must our handlers
printf 'CPUALLOCATIONRATIO 3\nsysfsroot %s\nlibvirtxmldir %s\n' "$HOST/sys" "$HOST/libvirt" >"$NT_DIR/case.conf"
"$NUMATOPD" --dump=json -c "$NT_DIR/case.conf" >"$out.case" 2>"$out.err"
grep -q '"cpu_allocation_ratio_percent":300,"memory_allocation_ratio_percent":100' "$out.case" &&
	nt_pass "directive names are case-insensitive" || nt_fail "CPUALLOCATIONRATIO misapplied: $(head -c 300 "$out.case")"
printf 'refreshinterval banana\n' >"$NT_DIR/case2.conf"
"$NUMATOPD" --dump -c "$NT_DIR/case2.conf" --sysfs-root "$HOST/sys" >/dev/null 2>&1 &&
	nt_fail "lower-case directive with a bad value accepted" || nt_pass "lower-case directive validated"
# the AgentX directives the daemon takes do not make --dump fail on the same file
printf 'agentXSocket unix:/nowhere\nagentXTimeout 2\nsysfsRoot %s\n' "$HOST/sys" >"$NT_DIR/ax.conf"
"$NUMATOPD" --dump -c "$NT_DIR/ax.conf" --libvirt-xml-dir "$HOST/libvirt" >/dev/null 2>&1 &&
	nt_pass "--dump accepts the daemon's AgentX directives" || nt_fail "--dump rejected agentXSocket"

# -Lf appends: a second run keeps the first one's lines (the two invalid fixture files each)
rm -f "$NT_DIR/append.log"
for i in 1 2; do
	"$NUMATOPD" --dump -Lf "$NT_DIR/append.log" --sysfs-root "$HOST/sys" \
		--libvirt-xml-dir "$HOST/libvirt" >/dev/null 2>&1
done
n=$(grep -c 'file skipped' "$NT_DIR/append.log" 2>/dev/null)
[ "${n:-0}" -eq 4 ] && nt_pass "-Lf appends across runs (4 lines)" ||
	nt_fail "-Lf after two runs holds ${n:-0} 'file skipped' lines, not 4"

"$NUMATOPD" --version | grep -q "^numatopd [0-9]" && nt_pass "--version" || nt_fail "--version"
"$NUMATOPD" --help | grep -q -- "-x ADDRESS .*(default unix:/var/agentx/master," &&
	nt_pass "--help names the default AgentX socket" || nt_fail "--help: $("$NUMATOPD" --help | grep -- -x)"
# A libvirt directory --dump cannot read is an error with the reason (the daemon waits for it)
dump_dir_fails() {
	ddf__what=$1
	shift
	"$@" --dump --sysfs-root "$HOST/sys" --libvirt-xml-dir "$ddf__dir" >"$out.dir" 2>"$out.dir.err"
	ddf__rc=$?
	if [ $ddf__rc -ne 0 ] &&
		grep -qx "numatopd: --dump: libvirt directory $ddf__dir: $ddf__what" "$out.dir.err" &&
		! grep -q "serving host tables" "$out.dir.err"; then
		nt_pass "--dump with a libvirt directory that says '$ddf__what' exits $ddf__rc"
	else
		nt_fail "--dump, '$ddf__what': exit $ddf__rc, $(cat "$out.dir.err")"
	fi
}
ddf__dir=$NT_DIR/nonexistent
dump_dir_fails "No such file or directory" "$NUMATOPD"
ddf__dir=$HOST/sys/devices/system/node/possible
dump_dir_fails "Not a directory" "$NUMATOPD"
ddf__dir=$NT_DIR/closed
mkdir "$ddf__dir" && chmod 000 "$ddf__dir"
if [ "$(id -u)" != 0 ]; then
	dump_dir_fails "Permission denied" "$NUMATOPD"
elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups \
	test -x "$NUMATOPD" 2>/dev/null; then
	chmod 755 "$NT_DIR"
	dump_dir_fails "Permission denied" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NUMATOPD"
else
	echo "note: EACCES not tested (root without setpriv, or $NUMATOPD not reachable as nobody)"
fi
chmod 700 "$ddf__dir"

# residencyMethod numa_maps: the hugepage-backed fixture VM, which memory.numa_stat cannot
# measure, gets its residency from its /proc/PID/numa_maps (1 GiB of hugepages and 10 MiB + 172
# KiB of anonymous and memfd pages: 1084403712 bytes); a method numatopd lacks is refused
RT="$FIXTURES/runtime"
for m in cgroup numa_maps; do
	printf 'residencyMethod %s\n' "$m" >"$NT_DIR/$m.conf"
	"$NUMATOPD" --dump=json -c "$NT_DIR/$m.conf" --sysfs-root "$HOST/sys" \
		--libvirt-xml-dir "$RT/libvirt" --proc-root "$RT/proc-v2" --cgroup-root "$RT/cgroup-v2" \
		>"$out.$m" 2>"$out.$m.err" || nt_fail "residencyMethod $m: $(cat "$out.$m.err")"
done
huge='"name":"rt-huge"[^}]*"memory_resident_bytes":'
grep -q "${huge}1084403712" "$out.numa_maps" && nt_pass "numa_maps measures the hugepage VM" ||
	nt_fail "numa_maps: rt-huge not 1084403712 bytes resident: $(grep -o "${huge}[^,]*" "$out.numa_maps")"
grep -q "${huge}null" "$out.cgroup" && nt_pass "cgroup leaves the hugepage VM unmeasured" ||
	nt_fail "cgroup: rt-huge measured: $(grep -o "${huge}[^,]*" "$out.cgroup")"
printf 'residencyMethod pagemap\n' >"$NT_DIR/pm.conf"
"$NUMATOPD" --dump -c "$NT_DIR/pm.conf" >/dev/null 2>"$out.pm" &&
	nt_fail "residencyMethod pagemap accepted" || nt_pass "residencyMethod pagemap refused"

nt_done
