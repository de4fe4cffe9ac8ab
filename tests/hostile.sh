#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# hostile.sh: the running daemon against hostile inputs. Beside valid VMs, the libvirt directory
# holds an XXE file, billion laughs, a 100 MB file, deep nesting, invalid UTF-8, NUL bytes, an
# empty file, a FIFO, a symlink, and files that vanish or are rewritten while it rebuilds; then a
# copy of the fixture sysfs tree loses a node, gets an unreadable meminfo and gains a node.
# Asserts: one log line with a reason per bad file, ever; every valid VM served with the values
# --dump computes (walkcmp); bounded memory (VmHWM); an answer within 2 s at every step.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init hostile
nt_need snmpd snmpget snmpgetnext snmpbulkwalk numatopd mkfifo truncate
nt_need_mibs
: "${WALKCMP:=$TESTS_DIR/walkcmp}"
if [ ! -x "$WALKCMP" ]; then
	echo "FAIL: WALKCMP='$WALKCMP' is not an executable (make check builds it)" >&2
	exit 1
fi

ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
HOST=${FIXTURES:-$TESTS_DIR/../fixtures}/host
SYS=$NT_DIR/sys
NODES=$SYS/devices/system/node
LV=$NT_DIR/libvirt
VALID="web-local db-multinode numad-auto hpc-big instance-0000002a"

ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# ------------------------------------------------------------------ the inputs

cp -R "$HOST/sys" "$SYS" || exit 99
mkdir "$LV" || exit 99
for v in $VALID; do
	cp "$HOST/libvirt/$v.xml" "$LV/" || exit 99
done

cat >"$LV/xxe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain [<!ENTITY xxe SYSTEM "file:///etc/shadow">]>
<domain type='kvm'><name>&xxe;</name><uuid>1</uuid><memory>1</memory><vcpu>1</vcpu></domain>
EOF
cat >"$LV/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE domain [
 <!ENTITY l0 "lol">
 <!ENTITY l1 "&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;">
 <!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">
 <!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">
 <!ENTITY l4 "&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;">
 <!ENTITY l5 "&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;">
 <!ENTITY l6 "&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;">
 <!ENTITY l7 "&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;">
 <!ENTITY l8 "&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;">
 <!ENTITY l9 "&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;">
]>
<domain type='kvm'><name>&l9;</name><uuid>2</uuid><memory>1</memory><vcpu>1</vcpu></domain>
EOF
# 100000 levels inside an otherwise valid VM
awk 'BEGIN { printf "<domain type=\047kvm\047><name>deep</name><uuid>3</uuid>"
	printf "<memory>1</memory><vcpu>1</vcpu><metadata>"
	for (i = 0; i < 100000; i++) printf "<a>"
	for (i = 0; i < 100000; i++) printf "</a>"
	print "</metadata></domain>" }' >"$LV/deep.xml"
# a valid VM with two bytes that are not UTF-8 in its name
nonutf8=$(printf '\377\376')
LC_ALL=C sed "s|<name>web-local</name>|<name>bad-$nonutf8-utf8</name>|" \
	"$HOST/libvirt/web-local.xml" >"$LV/badutf8.xml"
LC_ALL=C grep -q "bad-$nonutf8" "$LV/badutf8.xml" || {
	echo "FAIL: could not write badutf8.xml" >&2
	exit 99
}
head -c 65536 /dev/zero >"$LV/nul.xml"
: >"$LV/empty.xml"
mkfifo "$LV/fifo.xml" || exit 99
# A valid VM outside the directory, readable by its owner only, reached through a symlink:
# opened with O_NOFOLLOW, the link itself is refused, whoever runs the daemon.
sed -e 's|<name>web-local</name>|<name>via-symlink</name>|' \
	-e "s|<domain type='kvm' id='11'>|<domain type='kvm' id='99'>|" \
	"$HOST/libvirt/web-local.xml" >"$NT_DIR/secret.xml"
chmod 600 "$NT_DIR/secret.xml"
ln -s "$NT_DIR/secret.xml" "$LV/link.xml"

# file -> the reason its log line must give (an ERE); big.xml arrives later
BAD="xxe.xml:DOCTYPE laughs.xml:DOCTYPE deep.xml:[Dd]epth badutf8.xml:UTF-8 nul.xml:NUL
empty.xml:empty fifo.xml:regular.file link.xml:symbolic.link big.xml:larger.than"

# ------------------------------------------------------------------ checks

# An snmpget through the subagent, one try of 2 s: the master's agentXTimeout is 1 s, so a
# value (not an error) proves numatopd itself answered.
answers() {
	a__t0=$(ms)
	a__out=$(snmpget -v2c -c public -t 2 -r 0 -m '' -On "$NT_TARGET" "$ROOT.1.1.9.0" 2>&1)
	a__ms=$(($(ms) - a__t0))
	case $a__out in
	"$ROOT.1.1.9.0 = INTEGER: "[123]) [ "$a__ms" -le 2500 ] ;;
	*) false ;;
	esac
}

check_answers() {
	if answers; then
		nt_pass "$1: numatopd answered in $a__ms ms"
	else
		nt_fail "$1: no answer within 2 s ($a__ms ms): $a__out"
	fi
}

# get OID: the value alone (snmpget -Oe -Ot -OQ), or "ERROR ..." for no instance
get() {
	snmpget -v2c -c public -t 2 -r 1 -m '' -On -Oe -Ot -OQ "$NT_TARGET" "$1" 2>&1 |
		sed -n "s/^$(nt_re "$1") = //p"
}

# poll_get LABEL OID ERE: the daemon rebuilds at most once a second when queried, so ask
# every 0.2 s for up to 8 s until the value matches.
poll_get() {
	p__i=0
	while [ $p__i -lt 40 ]; do
		p__v=$(get "$2")
		printf '%s\n' "$p__v" | grep -Eq -- "$3" && { nt_pass "$1 ($p__v)"; return 0; }
		p__i=$((p__i + 1))
		sleep 0.2
	done
	nt_fail "$1: $2 is '$p__v' after 8 s, want /$3/"
	return 1
}

walk() {
	snmpbulkwalk -v2c -c public -t 5 -r 1 -m '' -On -Oe -Ot -OQ -Cr25 "$NT_TARGET" "$ROOT" \
		2>"$1.err" | grep -v ' = No more variables left' >"$1"
}

# compare LABEL [exact]: a walk equals `numatopd --dump=json` of the same directories, field
# for field. numaParseErrors counts every parse the daemon made since it started (a rewritten
# bad file counts again), a --dump only its own: unless "exact", the dump takes the walk's
# value after checking that it is not smaller. Retried for up to 8 s: the daemon catches up
# with a change at its next rebuild.
compare() {
	c__i=0
	while :; do
		"$NUMATOPD" --dump=json --sysfs-root "$SYS" --libvirt-xml-dir "$LV" \
			>"$NT_DIR/dump.json" 2>"$NT_DIR/dump.err"
		walk "$NT_DIR/walk.txt"
		c__pe=$(sed -n "s/^$(nt_re "$ROOT.1.1.7.0") = //p" "$NT_DIR/walk.txt")
		c__dpe=$(sed -n 's/.*"parse_errors":\([0-9]*\).*/\1/p' "$NT_DIR/dump.json")
		cp "$NT_DIR/dump.json" "$NT_DIR/dump.cmp"
		if [ "${2:-}" != exact ] && [ -n "$c__pe" ] && [ -n "$c__dpe" ] &&
			[ "$c__pe" -ge "$c__dpe" ]; then
			sed "s/\"parse_errors\":[0-9]*/\"parse_errors\":$c__pe/" "$NT_DIR/dump.json" \
				>"$NT_DIR/dump.cmp"
		fi
		# the oracle is a one-shot program: its leaks in a sanitizer build are not ours
		if ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			"$WALKCMP" "$NT_DIR/dump.cmp" "$NT_DIR/walk.txt" >"$NT_DIR/walkcmp.out" 2>&1; then
			nt_pass "$1: the walk equals --dump ($(tail -n 1 "$NT_DIR/walkcmp.out"))"
			return 0
		fi
		c__i=$((c__i + 1))
		[ $c__i -ge 16 ] && break
		sleep 0.5
	done
	nt_fail "$1: the walk differs from --dump:"
	head -n 20 "$NT_DIR/walkcmp.out" >&2
	return 1
}

# Exactly one log line names each bad file, with its reason ("DIR/name: reason; file skipped").
check_bad_lines() {
	for b in $BAD; do
		f=${b%%:*} why=${b#*:}
		[ "$f" = big.xml ] && [ ! -e "$LV/big.xml" ] && continue
		n=$(nt_log_count -F "$LV/$f: ")
		if [ "$n" -eq 1 ] && grep -F "$LV/$f: " "$NT_DIR/numatopd.log" | grep -Eq -- "$why"; then
			nt_pass "$1: one log line for $f, with its reason"
		else
			nt_fail "$1: $n log lines for $f (want 1 matching /$why/):"
			grep -F "$LV/$f" "$NT_DIR/numatopd.log" >&2
		fi
	done
}

hwm_kib() {
	sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$NT_NUMATOPD_PID/status"
}

# Nothing in the daemon's logs that a crash, a sanitizer or an assertion would print.
check_no_crash() {
	if nt_alive "$NT_NUMATOPD_PID"; then
		nt_pass "$1: numatopd still runs"
	else
		nt_fail "$1: numatopd died"
	fi
	if grep -Ei 'sanitizer|runtime error|segmentation|assert|abort|core dump|out of memory' \
		"$NT_DIR/numatopd.log" "$NT_DIR/numatopd.out" >"$NT_DIR/crash.txt" 2>/dev/null; then
		nt_fail "$1: the daemon's logs tell of a crash:"
		head -n 10 "$NT_DIR/crash.txt" >&2
	else
		nt_pass "$1: no crash in the logs"
	fi
}

# ------------------------------------------------------------------ 1. start among bad files

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$SYS" --libvirt-xml-dir "$LV" || exit 1
nt_wait_numatopd_registered || exit 1
check_answers "start, FIFO present"
compare "start" exact
[ "$(get "$ROOT.1.1.2.0")" = 5 ] && nt_pass "5 valid VMs served" ||
	nt_fail "numaVmCount.0 is '$(get "$ROOT.1.1.2.0")', want 5"
[ "$(get "$ROOT.1.1.8.0")" = 8 ] && nt_pass "8 invalid files counted" ||
	nt_fail "numaInvalidFiles.0 is '$(get "$ROOT.1.1.8.0")', want 8"
grep -q 'via-symlink' "$NT_DIR/walk.txt" && nt_fail "the VM behind the symlink is served" ||
	nt_pass "the VM behind the symlink is not served"
check_bad_lines "start"

# ------------------------------------------------------------------ 2. a 100 MB file

hwm0=$(hwm_kib)
truncate -s 100M "$LV/big.xml" || exit 99
p__i=0
until grep -q -F "$LV/big.xml: " "$NT_DIR/numatopd.log" || [ $p__i -ge 40 ]; do
	answers >/dev/null
	p__i=$((p__i + 1))
	sleep 0.2
done
hwm1=$(hwm_kib)
# An ASan build carries shadow memory and a quarantine, and under valgrind (make check-valgrind)
# VmHWM is memcheck's process with its own tool and shadow memory: only the growth is comparable
# there.
limit=64
grep -q __asan_init "$NUMATOPD" 2>/dev/null && limit=256
[ "${NUMATOPD_VALGRIND:-0}" = 1 ] && limit=256
if [ -n "$hwm1" ] && [ "$hwm1" -lt $((limit * 1024)) ]; then
	nt_pass "VmHWM $hwm1 kB after the 100 MB file, under $limit MiB"
else
	nt_fail "VmHWM '$hwm1' kB after the 100 MB file, want under $limit MiB"
fi
if [ -n "$hwm0" ] && [ -n "$hwm1" ] && [ $((hwm1 - hwm0)) -lt 16384 ]; then
	nt_pass "the 100 MB file grew VmHWM by $((hwm1 - hwm0)) kB (refused by size, not read)"
else
	nt_fail "VmHWM grew from '$hwm0' to '$hwm1' kB with the 100 MB file"
fi
check_answers "100 MB file"
compare "100 MB file"

# ------------------------------------------------------------------ 3. races

# One loop creates and deletes a valid VM file as fast as it can (it vanishes between readdir
# and open), another rewrites a file in place (read while it is being written), while we query.
rm -f "$NT_DIR/stop"
(
	while [ ! -e "$NT_DIR/stop" ]; do
		cp "$HOST/libvirt/web-local.xml" "$LV/vanish.xml" 2>/dev/null
		rm -f "$LV/vanish.xml"
	done
) &
race1=$!
nt_track $race1
(
	while [ ! -e "$NT_DIR/stop" ]; do
		cat "$HOST/libvirt/db-multinode.xml" >"$LV/rewrite.xml"
		head -c 3000 "$HOST/libvirt/db-multinode.xml" >"$LV/rewrite.xml"
	done
) &
race2=$!
nt_track $race2
slow=0
i=0
t0=$(ms)
while [ $(($(ms) - t0)) -lt 5000 ]; do
	answers || { slow=$((slow + 1)); echo "no answer in 2 s during the races: $a__out" >&2; }
	i=$((i + 1))
	sleep 0.1
done
touch "$NT_DIR/stop"
wait $race1 $race2
rm -f "$LV/vanish.xml" "$LV/rewrite.xml"
[ $slow -eq 0 ] && nt_pass "races: all $i queries answered within 2 s" ||
	nt_fail "races: $slow of $i queries unanswered within 2 s"
check_no_crash "races"
# whatever the races made it log names a file and gives a reason
if grep -E '/(vanish|rewrite)\.xml' "$NT_DIR/numatopd.log" | grep -Ev ': [^;]+; file skipped$' \
	>"$NT_DIR/odd.txt"; then
	nt_fail "races: log lines without a reason:"
	head -n 5 "$NT_DIR/odd.txt" >&2
else
	n=$(grep -Ec '/(vanish|rewrite)\.xml' "$NT_DIR/numatopd.log")
	nt_pass "races: $n log lines about the racing files, each with a reason"
fi
compare "after the races"
pe=$(get "$ROOT.1.1.7.0")
[ -n "$pe" ] && [ "$pe" -ge 9 ] && nt_pass "numaParseErrors $pe >= 9" ||
	nt_fail "numaParseErrors '$pe' after 9 bad files and the races"

# ------------------------------------------------------------------ 4. sysfs faults

cp -R "$NODES/node4" "$NT_DIR/node4.saved" || exit 99
rm -rf "$NODES/node4"
poll_get "node 4 removed: its row goes" "$ROOT.1.2.1.2.4" 'No Such Instance'
poll_get "node 4 removed: 3 nodes" "$ROOT.1.1.1.0" '^3$'
check_answers "node removed"
compare "node removed"

# a meminfo that cannot be read: a directory in its place (works as root too)
rm -f "$NODES/node1/meminfo"
mkdir "$NODES/node1/meminfo"
# (unknown memory: numaNodeMemCapacity has no instance, never 0)
poll_get "node1/meminfo a directory: no MemCapacity" "$ROOT.1.2.1.4.1" 'No Such Instance'
if [ "$(id -u)" != 0 ]; then
	chmod 000 "$NODES/node0/meminfo"
	poll_get "node0/meminfo mode 000: no MemCapacity" "$ROOT.1.2.1.4.0" 'No Such Instance'
fi
check_answers "meminfo unreadable"
compare "meminfo unreadable"

cp -R "$NT_DIR/node4.saved" "$NODES/node5" || exit 99
poll_get "node 5 added: its row comes" "$ROOT.1.2.1.2.5" '^"?8-11,20-23"?$'
poll_get "node 5 added: 4 nodes" "$ROOT.1.1.1.0" '^4$'
check_answers "node added"
compare "node added"

# ------------------------------------------------------------------ 5. in the end

check_bad_lines "end"
check_no_crash "end"
hwm2=$(hwm_kib)
[ -n "$hwm2" ] && [ "$hwm2" -lt $((limit * 1024)) ] && nt_pass "VmHWM $hwm2 kB at the end" ||
	nt_fail "VmHWM '$hwm2' kB at the end, want under $limit MiB"
nt_done
