# SPDX-License-Identifier: BSD-3-Clause
# tests/walklib.sh: sourced by the snmp*.sh tests after lib.sh: the one comparison of a real
# snmpwalk / snmpbulkwalk of the NUMA subtree with `numatopd --dump=json`, through $WALKCMP.
#
#	wl_init                            after nt_init: checks $WALKCMP, sets WL_ROOT
#	wl_compare LABEL [FLAG...] -- ARG...
#		dumps `numatopd --dump=json ARG...` (ARG: the -c/--sysfs-root/--libvirt-xml-dir the
#		running numatopd was started with), walks the subtree with snmpwalk (GETNEXT) and
#		snmpbulkwalk (GETBULK, -Cr$WL_REPS), and counts one check per walk: equal field for
#		field (walkcmp FLAGs: --no-vm-tables, --no-vcpu-table). Sets WL_BULK_MS (how long
#		the bulk walk took) and WL_BULK_N (varbinds it returned).
#	wl_check LABEL WHAT JSON WALK [FLAG...]
#		one check: walkcmp FLAGs JSON WALK (WHAT names the walk in the message)
#	wl_bulkwalk FILE [SUBTREE]         snmpbulkwalk -On -Oe -Ot -OQ into FILE (no MIB loaded);
#	                                   0 when it ran cleanly; sets WL_BULK_MS
#	wl_has_instance FILE SUBTREE       true when FILE holds an instance under SUBTREE
#	wl_inside                          true while the master serves something under WL_ROOT
#	wl_wait_gone                       wait (5 s) until it does not; 1 when it still does
#	wl_ms                              a millisecond clock (arbitrary origin)
#
# A subtree that is the last one the master serves ends with the endOfMibView exception that
# snmpwalk prints as one more line ("X = No more variables left in this MIB View ..."); it is
# not an instance, so it is left out before the comparison.

wl_init() {
	: "${WALKCMP:=${TESTS_DIR:-$(dirname "$0")}/walkcmp}"
	if [ ! -x "$WALKCMP" ]; then
		echo "FAIL: WALKCMP='$WALKCMP' is not an executable (make check builds it)" >&2
		exit 1
	fi
	WL_ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
	: "${WL_REPS:=25}"
	WL_N=0
}

wl_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime 2>/dev/null ||
		echo $(($(date +%s) * 1000))
}

# wl__walk CMD FILE SUBTREE [OPTS...]: the raw walk into FILE.raw, then FILE without the
# endOfMibView line; status of the client.
wl__walk() {
	wl__cmd=$1 wl__f=$2 wl__sub=$3
	shift 3
	"$wl__cmd" -v2c -c public -t 5 -r 1 -m '' -On -Oe -Ot -OQ "$@" "$NT_TARGET" "$wl__sub" \
		>"$wl__f.raw" 2>"$wl__f.err"
	wl__st=$?
	grep -v ' = No more variables left in this MIB View' "$wl__f.raw" >"$wl__f"
	[ $wl__st -eq 0 ] && [ ! -s "$wl__f.err" ]
}

wl_bulkwalk() {
	wl__t0=$(wl_ms)
	wl__walk snmpbulkwalk "$1" "${2:-$WL_ROOT}" "-Cr$WL_REPS"
	wl__st=$?
	WL_BULK_MS=$(($(wl_ms) - wl__t0))
	return $wl__st
}

wl_has_instance() {
	grep -q "^$(nt_re "$2")\\." "$1"
}

wl_check() {
	wl__label=$1 wl__what=$2 wl__json=$3 wl__f=$4
	shift 4
	# walkcmp is a one-shot program that never frees its JSON tree: in a sanitizer build,
	# LeakSanitizer would turn every comparison into a failure
	if ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$WALKCMP" "$@" "$wl__json" "$wl__f" >"$wl__f.cmp" 2>&1; then
		nt_pass "$wl__label: $wl__what equals --dump=json ($(tail -n 1 "$wl__f.cmp"))"
	else
		nt_fail "$wl__label: $wl__what differs from --dump=json:"
		head -n 20 "$wl__f.cmp" >&2
		[ -s "$wl__f.err" ] && { echo "client stderr:" >&2; head -n 5 "$wl__f.err" >&2; }
	fi
}

wl_compare() {
	wl__label=$1
	shift
	wl__flags=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		wl__flags="$wl__flags $1"
		shift
	done
	[ $# -gt 0 ] && shift
	WL_N=$((WL_N + 1))
	wl__base=$NT_DIR/cmp$WL_N
	wl__json=$wl__base.json
	# the map of the numatopd last started (a --state-dir in ARG... wins); NT_RUNTIME_ARG
	# (lib.sh): --no-runtime or nothing
	# shellcheck disable=SC2086 # NT_RUNTIME_ARG: one option or nothing
	if ! "$NUMATOPD" --dump=json ${NT_STATE_DIR:+--state-dir "$NT_STATE_DIR"} $NT_RUNTIME_ARG \
		"$@" >"$wl__json" 2>"$wl__base.dump.err"; then
		nt_fail "$wl__label: numatopd --dump=json $* failed:" \
			"$(head -n 3 "$wl__base.dump.err")"
		return 1
	fi
	wl__walk snmpwalk "$wl__base.walk" "$WL_ROOT" || :
	# shellcheck disable=SC2086
	wl_check "$wl__label" snmpwalk "$wl__json" "$wl__base.walk" $wl__flags
	wl_bulkwalk "$wl__base.bulk" || :
	WL_BULK_N=$(wc -l <"$wl__base.bulk" | tr -d ' ')
	# shellcheck disable=SC2086
	wl_check "$wl__label" "snmpbulkwalk -Cr$WL_REPS" "$wl__json" "$wl__base.bulk" $wl__flags
}

# True while a GETNEXT on the MIB root lands inside the subtree (a subagent serves it).
wl_inside() {
	snmpgetnext -v2c -c public -t 1 -r 0 -m '' -On "$NT_TARGET" "$WL_ROOT" 2>&1 |
		grep -q "^$(nt_re "$WL_ROOT")\\.[0-9.]* = [^N]"
}

wl__outside() {
	! wl_inside
}

# Wait (5 s at most) until the master no longer serves the subtree: a stopped subagent's close
# reaches the master a moment after the process is gone. 1 when it is still there.
wl_wait_gone() {
	nt__poll 50 wl__outside
}
