#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/mibcols.sh: the C side and mibs/NUMA-TOPOLOGY-MIB.txt describe the same MIB. Every column
# descriptor of src/snmp/mib_*.c (name, OID, syntax) and every notification's objects (notify.c,
# by name) against what smidump reads from the MIB file, both ways: each accessible scalar or
# column of the MIB has a descriptor, each descriptor is in the MIB, with the same number under
# the same entry and the same syntax.
#
# Environment (automake sets it; the defaults fit a manual run from a checkout): MIBSRC,
# SHARED_MIBS, NUMATOPD_REQUIRE_ALL as for every test (tests/lib.sh); MIBCOLS, the tests/mibcols
# program (default: beside $NUMATOPD); SMIDUMP, smidump to use (empty: look in PATH).
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init mibcols
nt_need_mibs
nt_need "${SMIDUMP:-smidump}"
SMIDUMP=$(command -v "${SMIDUMP:-smidump}")
: "${NUMATOPD:=$TESTS_DIR/../numatopd}" "${MIBCOLS:=$(dirname "$NUMATOPD")/tests/mibcols}"
[ -x "$MIBCOLS" ] || { echo "FAIL: MIBCOLS='$MIBCOLS' is not an executable" >&2; exit 1; }
MODULE=NUMA-TOPOLOGY-MIB
mibfile=$MIBSRC/$MODULE.txt
tmp=$NT_DIR

# smidump with no configuration file and imports from our two directories only (see mib.sh).
dump() {
	SMIPATH="$MIBSRC:$SHARED_MIBS" "$SMIDUMP" -c /dev/null -f "$1" "$mibfile" 2>"$tmp/err.$1"
}
if ! dump tree >"$tmp/tree" || ! dump identifiers >"$tmp/ids" || [ -s "$tmp/err.tree" ] ||
	[ -s "$tmp/err.identifiers" ]; then
	echo "FAIL: smidump could not read $mibfile:" >&2
	cat "$tmp/err.tree" "$tmp/err.identifiers" >&2
	exit 1
fi

# The MIB side, in the lines tests/mibcols prints. The tree gives each object's access and
# syntax ("+-- r-n Gauge32 numaNodeCount(1)") and each notification's objects
# ("+--numaSourceError(7) [numaSourceStatus,numaInvalidFiles]"); the identifiers give the
# full OIDs ("NUMA-TOPOLOGY-MIB numaNodeCount scalar 1.3.6..."). smidump calls an enumeration
# "Enumeration"; the MIB (and tests/mibcols) writes INTEGER.
awk '
FNR == NR {
	for (i = 1; i <= NF; i++) {
		if ($i == "+--" && substr($(i + 1), 1, 1) == "r") {
			name = $(i + 3)
			sub(/\(.*/, "", name)
			syntax[name] = $(i + 2) == "Enumeration" ? "INTEGER" : $(i + 2)
		} else if ($i ~ /^\+--[a-zA-Z]/ && $(i + 1) ~ /^\[/) {
			name = substr($i, 4)
			sub(/\(.*/, "", name)
			objects[name] = substr($(i + 1), 2, length($(i + 1)) - 2)
		}
	}
	next
}
($3 == "scalar" || $3 == "column") && ($2 in syntax) { print "object", $2, $4, syntax[$2] }
$3 == "notification" { print "notification", $2, $4, objects[$2] }
' "$tmp/tree" "$tmp/ids" | sort >"$tmp/mib"
# (the C side is never empty, so a parse of the MIB that finds nothing cannot pass)
"$MIBCOLS" >"$tmp/c.raw" || { echo "FAIL: $MIBCOLS failed" >&2; exit 1; }
sort "$tmp/c.raw" >"$tmp/c"

comm -13 "$tmp/mib" "$tmp/c" >"$tmp/only.c"
comm -23 "$tmp/mib" "$tmp/c" >"$tmp/only.mib"
if [ -s "$tmp/only.c" ] || [ -s "$tmp/only.mib" ]; then
	nt_fail "the descriptors and $MODULE differ (name, OID, syntax / objects):"
	sed 's/^/  in the C descriptors only: /' "$tmp/only.c" >&2
	sed 's/^/  in the MIB only:           /' "$tmp/only.mib" >&2
else
	nt_pass "$(grep -c '^object ' "$tmp/c") descriptors and" \
		"$(grep -c '^notification ' "$tmp/c") notifications match $MODULE both ways"
fi
nt_done
