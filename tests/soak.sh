#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/soak.sh: numatopd under churn. VM files are created, rewritten and deleted at 50 events/s
# the way libvirt writes them (NAME.xml.new, then rename) while a client loops snmpbulkwalk over
# the whole subtree; SOAK_SECONDS long (default 60; make soak: 600).
#
# Every file written is generation K of the model: domain id K (the VM index), name soak-S-gK,
# K % 4 + 1 vCPUs and (K % 7 + 1) * 64 MiB, so a walked row is consistent when the values of its
# index agree with each other whatever snapshot each PDU of the walk saw. Passes when numatopd
# never dies, no walk fails, no row is torn, VmRSS grows under 10 % after the warm-up (the first
# minute, a quarter of shorter runs; not asserted under valgrind), and at the end the walks equal
# --dump. Prints the achieved event rate.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
. "${TESTS_DIR:-$(dirname "$0")}/walklib.sh"
nt_init soak
nt_need snmpd snmpbulkwalk snmpwalk snmpgetnext numatopd
nt_need_mibs
wl_init

SECS=${SOAK_SECONDS:-60}
RATE=50
SLOTS=20
WARMUP=$((SECS / 4))
[ "$WARMUP" -gt 60 ] && WARMUP=60
FX=${FIXTURES:-$TESTS_DIR/../fixtures}/host
QEMU=$NT_DIR/qemu
VMT=$WL_ROOT.1.3.1
mkdir "$QEMU" || exit 99

# gen K S: generation K of slot S
gen() {
	printf "<domain type='kvm' id='%d'>\n  <name>soak-%d-g%d</name>\n" "$1" "$2" "$1"
	printf "  <uuid>5a0c0000-0000-4000-8000-%012d</uuid>\n" "$1"
	printf "  <memory unit='MiB'>%d</memory>\n" $((($1 % 7 + 1) * 64))
	printf "  <currentMemory unit='MiB'>%d</currentMemory>\n" $((($1 % 7 + 1) * 64))
	printf "  <vcpu placement='static'>%d</vcpu>\n</domain>\n" $(($1 % 4 + 1))
}

# tenths of a second since boot, without a fork
now10() {
	read -r up _ </proc/uptime
	f=${up#*.}
	f=${f#0}
	echo $((${up%.*} * 10 + f / 10))
}

# The writer: every 0.1 s, the events due by now at RATE/s; every 10th deletes its slot.
writer() {
	k=0
	t0=$(now10)
	end=$((t0 + SECS * 10))
	while :; do
		t=$(now10)
		[ "$t" -ge "$end" ] && break
		due=$(((t - t0) * RATE / 10))
		while [ $k -lt $due ]; do
			k=$((k + 1))
			s=$((k * 7 % SLOTS))
			if [ $((k % 10)) = 9 ]; then
				rm -f "$QEMU/vm-$s.xml"
			else
				gen $k $s >"$QEMU/vm-$s.xml.new" && mv "$QEMU/vm-$s.xml.new" "$QEMU/vm-$s.xml"
			fi
		done
		sleep 0.1
	done
	echo "$k $(((t - t0)))" >"$NT_DIR/writer.done"
}

# Rows of one walk that are torn: a VM row whose name, vCPUs or memory is not its index's
# generation, or more vCPU rows than its generation has. Prints one line per problem.
torn() {
	awk -v vm="$VMT." -v vc="$WL_ROOT.1.5.1." '
		function gen(oid, pre,    rest, n, p) {
			rest = substr(oid, length(pre) + 1)
			n = split(rest, p, ".")
			col = p[1]
			return p[2]
		}
		index($1, vm) == 1 {
			k = gen($1, vm)
			v = $3
			gsub(/"/, "", v)
			if (col == 2 && v !~ ("^soak-[0-9]+-g" k "$"))
				print "VM " k ": name " v
			if (col == 7 && v != k % 4 + 1)
				print "VM " k ": vcpus " v " (expected " k % 4 + 1 ")"
			if (col == 9 && v != (k % 7 + 1) * 64 * 1048576)
				print "VM " k ": memory " v
		}
		# rows counted on numaVcpuAffinity (column 2): numaVcpuId (1) is not-accessible,
		# never walked
		index($1, vc) == 1 {
			k = gen($1, vc)
			if (col == 2 && ++nv[k] > k % 4 + 1)
				print "VM " k ": more than " k % 4 + 1 " vCPU rows"
		}' "$1"
}

# The checker checked: a consistent walk of generation 5 (2 vCPUs, 384 MiB) is not torn; a
# wrong name, vCPU count or memory, or a third vCPU row, is.
selftest_torn() {
	st=$NT_DIR/torn-selftest
	ok5="$VMT.2.5 = \"soak-3-g5\"
$VMT.7.5 = 2
$VMT.9.5 = 402653184
$WL_ROOT.1.5.1.2.5.0 = \"0-3\"
$WL_ROOT.1.5.1.2.5.1 = \"0-3\""
	printf '%s\n' "$ok5" >"$st"
	if [ -n "$(torn "$st")" ]; then
		nt_fail "torn-row checker flags a consistent walk: $(torn "$st" | head -n 1)"
	else
		nt_pass "torn-row checker passes a consistent walk"
	fi
	for bad in "$VMT.2.5 = \"soak-3-g6\"" "$VMT.7.5 = 3" "$VMT.9.5 = 1" \
		"$WL_ROOT.1.5.1.2.5.2 = \"0-3\""; do
		printf '%s\n%s\n' "$ok5" "$bad" >"$st"
		if [ -n "$(torn "$st")" ]; then
			nt_pass "torn-row checker flags '${bad#"$WL_ROOT"}'"
		else
			nt_fail "torn-row checker misses '${bad#"$WL_ROOT"}'"
		fi
	done
}
selftest_torn

walker() {
	w=0 bad=0 torn_n=0
	while [ ! -e "$NT_DIR/writer.done" ]; do
		w=$((w + 1))
		if ! wl_bulkwalk "$NT_DIR/walk.cur"; then
			bad=$((bad + 1))
			{ echo "walk $w failed:"; head -n 5 "$NT_DIR/walk.cur.err"; } >>"$NT_DIR/walker.out"
		fi
		torn "$NT_DIR/walk.cur" >"$NT_DIR/walk.torn"
		if [ -s "$NT_DIR/walk.torn" ]; then
			torn_n=$((torn_n + 1))
			{ echo "walk $w torn:"; head -n 5 "$NT_DIR/walk.torn"; } >>"$NT_DIR/walker.out"
		fi
		nlines=$(wc -l <"$NT_DIR/walk.cur")
		echo "$w $bad $torn_n $nlines" >"$NT_DIR/walker.state"
	done
	mv "$NT_DIR/walker.state" "$NT_DIR/walker.done"
}

rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$NT_NUMATOPD_PID/status" 2>/dev/null
}

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$FX/sys" --libvirt-xml-dir "$QEMU" || exit 1
nt_wait_numatopd_registered || exit 1

writer &
nt_track $!
walker &
nt_track $!

# the main shell watches: numatopd alive, VmRSS every 5 s
: >"$NT_DIR/rss"
start=$(now10)
died=0
while [ ! -e "$NT_DIR/walker.done" ]; do
	if ! nt_alive "$NT_NUMATOPD_PID"; then
		died=1
		break
	fi
	echo "$((($(now10) - start) / 10)) $(rss)" >>"$NT_DIR/rss"
	sleep 5
	# the writer ends on its own; the walker at most one walk later (2 minutes: a stuck walk)
	[ $(($(now10) - start)) -gt $((SECS * 10 + 1200)) ] && break
done

if [ $died = 1 ]; then
	nt_fail "numatopd died during the soak"
else
	nt_pass "numatopd ran the whole soak"
fi
if [ -e "$NT_DIR/writer.done" ]; then
	read -r events tenths <"$NT_DIR/writer.done"
	echo "writer: $events events in $((tenths / 10)).$((tenths % 10)) s:" \
		"$(awk -v e="$events" -v t="$tenths" 'BEGIN { printf "%.1f", e * 10 / t }') events/s"
	if [ "$events" -ge $((SECS * RATE * 9 / 10)) ]; then
		nt_pass "the writer reached 90 % of $RATE events/s"
	else
		nt_fail "the writer made $events events in $SECS s, under 90 % of $RATE/s"
	fi
else
	nt_fail "the writer did not finish"
fi
if [ -e "$NT_DIR/walker.done" ]; then
	read -r walks bad tornw lines <"$NT_DIR/walker.done"
	echo "walker: $walks bulk walks (the last $lines varbinds), $bad failed, $tornw torn"
	[ "$walks" -ge 2 ] && nt_pass "$walks walks" || nt_fail "only $walks walks"
	[ "$bad" = 0 ] && nt_pass "no walk failed" || nt_fail "$bad walks failed"
	[ "$tornw" = 0 ] && nt_pass "no torn row" || nt_fail "$tornw walks with torn rows"
	[ -s "$NT_DIR/walker.out" ] && head -n 20 "$NT_DIR/walker.out" >&2
else
	nt_fail "the walker did not finish"
fi

# RSS: growth over the warm-up's last sample, to the largest sample after it
rssline=$(awk -v w="$WARMUP" '
	$2 == "" { next }
	$1 <= w { base = $2 }
	$1 > w { if (base == "") base = $2; if ($2 > max) max = $2; last = $2 }
	END {
		if (base == "" || max == "") { print "none"; exit }
		printf "%d %d %d %.1f\n", base, max, last, (max - base) * 100 / base
	}' "$NT_DIR/rss")
if [ "$rssline" = none ]; then
	nt_fail "no VmRSS sample after the warm-up"
else
	set -- $rssline
	echo "VmRSS: $1 kB after ${WARMUP} s, max $2 kB, last $3 kB: growth $4 %"
	if [ "${NUMATOPD_VALGRIND:-0}" = 1 ]; then
		echo "VmRSS growth not asserted under valgrind"
	elif awk -v g="$4" 'BEGIN { exit !(g < 10) }'; then
		nt_pass "VmRSS grew $4 % (< 10 %) after the warm-up"
	else
		nt_fail "VmRSS grew $4 % after the warm-up"
	fi
fi

# quiet now: once numatopd caught up (its walk equals --dump, polled), the counted comparison
settled() {
	"$NUMATOPD" --dump=json --sysfs-root "$FX/sys" --libvirt-xml-dir "$QEMU" \
		>"$NT_DIR/settle.json" 2>/dev/null &&
		wl_bulkwalk "$NT_DIR/settle.walk" &&
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			"$WALKCMP" "$NT_DIR/settle.json" "$NT_DIR/settle.walk" >/dev/null 2>&1
}
nt__poll 100 settled || echo "the walk still differs from --dump 10 s after the churn" >&2
if nt_alive "$NT_NUMATOPD_PID"; then
	wl_compare "after the soak" -- --sysfs-root "$FX/sys" --libvirt-xml-dir "$QEMU"
fi
nt_stop_numatopd
nt_done
