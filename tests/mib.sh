#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/mib.sh: NUMA-TOPOLOGY-MIB is clean under smilint at level 9 (not one message) and
# loads in Net-SNMP with exactly the OIDs the agent serves (src/snmp/mib_root.h NUMA_MIB_ROOT).
#
# Environment (automake sets it; the defaults fit a manual run from a checkout):
#   MIBSRC       directory holding NUMA-TOPOLOGY-MIB.txt
#   SHARED_MIBS  directory holding the IETF/Net-SNMP base modules it imports
#   SMILINT      smilint to use (empty: look in PATH)
#   SNMPTRANSLATE  snmptranslate to use (empty: look in PATH)
#   NUMATOPD_REQUIRE_ALL=1  turn a skip (missing tool or base MIBs) into a failure
# Exit: 0 all passed, 1 a check failed, 77 skipped, 99 hard error.

MODULE=NUMA-TOPOLOGY-MIB
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862

here=$(cd "$(dirname "$0")" && pwd)
MIBSRC=${MIBSRC:-$here/../mibs}
SHARED_MIBS=${SHARED_MIBS:-$here/../../shared/mibs}
mibfile=$MIBSRC/$MODULE.txt

skip() {
	if [ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FAIL: $1; NUMATOPD_REQUIRE_ALL=1 does not allow skipping this test" >&2
		exit 1
	fi
	echo "SKIP: $1"
	exit 77
}

if [ ! -r "$mibfile" ]; then
	echo "FAIL: $mibfile is missing or unreadable" >&2
	exit 1
fi
[ -r "$SHARED_MIBS/SNMPv2-SMI.txt" ] ||
	skip "no base MIB modules in SHARED_MIBS='$SHARED_MIBS' (SNMPv2-SMI.txt not found)"
SMILINT=$(command -v "${SMILINT:-smilint}") ||
	skip "smilint not found (apt-get install smitools)"
SNMPTRANSLATE=$(command -v "${SNMPTRANSLATE:-snmptranslate}") ||
	skip "snmptranslate not found (apt-get install snmp)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/numatopd-mib.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 99' HUP INT TERM

passed=0
failed=0
pass() {
	passed=$((passed + 1))
	echo "ok: $1"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL: $1" >&2
}

# Net-SNMP with nothing but our two MIB directories: no snmp.conf (SNMPCONFPATH points at an
# empty directory, so neither /etc/snmp nor ~/.snmp adds MIBs or directories), no MIBS or
# MIBDIRS from the environment, and a private persistent directory (as root, snmptranslate
# would otherwise create /var/lib/snmp/cert_indexes). Stderr goes to $tmp/err, without the
# one notice about creating that private directory.
mkdir "$tmp/snmpconf" "$tmp/persist" || exit 99
unset MIBS MIBDIRS
translate() {
	SNMPCONFPATH=$tmp/snmpconf SNMP_PERSISTENT_DIR=$tmp/persist \
		"$SNMPTRANSLATE" -M "$MIBSRC:$SHARED_MIBS" -m "$MODULE" "$@" 2>"$tmp/err.raw"
	rc=$?
	grep -v -F "Created directory: $tmp/persist" "$tmp/err.raw" >"$tmp/err"
	return $rc
}

# 1. The provisional OID's number is written in one place only, so moving the module to a
#    private enterprise number is a one-line change.
n=$(grep -c 6862 "$mibfile")
if [ "$n" = 1 ]; then
	pass "6862 appears on exactly one line"
else
	fail "6862 appears on $n lines of $mibfile, want exactly 1:"
	grep -n 6862 "$mibfile" >&2
fi

# 2. smilint at level 9 (every message libsmi has). -c /dev/null: read no
#    configuration file at all, so neither /etc/smi.conf (Debian's sets level 9 and paths that
#    hold no IETF modules) nor ~/.smirc changes the result. SMIPATH without a leading or
#    trailing colon replaces libsmi's built-in path: imports resolve only from our two
#    directories. smilint exits 0 even when it reports errors, so any output is a failure.
#    -I namelength-32: libsmi hides the RFC 2578 3.1 warning on descriptors longer than 32
#    characters unless told otherwise; we keep every descriptor within 32 (smilint -l 9 clean).
SMIPATH="$MIBSRC:$SHARED_MIBS" "$SMILINT" -c /dev/null -l 9 -I namelength-32 -s -m "$mibfile" \
	>"$tmp/smilint" 2>&1
if [ -s "$tmp/smilint" ]; then
	fail "smilint -l 9 reported $(wc -l <"$tmp/smilint") message(s):"
	cat "$tmp/smilint" >&2
else
	pass "smilint -l 9 (namelength-32 included): no error, no warning"
fi

# 3. Net-SNMP loads the module and every import resolves: nothing at all on stderr.
if translate -Tp -IR numaTopologyMIB >"$tmp/tree" && [ ! -s "$tmp/err" ] &&
	grep -q 'numaTopologyMIB(6862)' "$tmp/tree"; then
	pass "snmptranslate loads $MODULE cleanly"
else
	fail "snmptranslate -m $MODULE -Tp did not load the module cleanly:"
	cat "$tmp/err" >&2
fi

# 4. OIDs, exactly: the agent registers these numbers, managers resolve these names.
check_oid() {
	if ! got=$(translate -On "$MODULE::$1") || [ -s "$tmp/err" ]; then
		fail "snmptranslate -On $MODULE::$1 failed:"
		cat "$tmp/err" >&2
	elif [ "$got" != "$2" ]; then
		fail "$1 is $got, want $2"
	else
		pass "$1 = $2"
	fi
}
check_oid numaTopologyMIB "$ROOT"
check_oid numaNodeCpuOversubscription "$ROOT.0.1"
check_oid numaSourceRecovered "$ROOT.0.8"
check_oid numaSourceStatus "$ROOT.1.1.9"
check_oid numaSourceStatus.0 "$ROOT.1.1.9.0"
check_oid numaMemAllocationRatio "$ROOT.1.1.11"
check_oid numaNodeCpuList "$ROOT.1.2.1.2"
check_oid numaNodeHugepagesOversubscribed "$ROOT.1.2.1.17"
check_oid numaVmName "$ROOT.1.3.1.2"
check_oid numaVmEmulatorCpus "$ROOT.1.3.1.15"
check_oid numaVmDomainId "$ROOT.1.3.1.16"
check_oid numaVmAssignVcpus "$ROOT.1.4.1.1"
check_oid numaVmAssignMemory "$ROOT.1.4.1.3"
check_oid numaVmAssignMemory.1073741825.3 "$ROOT.1.4.1.3.1073741825.3"
check_oid numaVcpuThreadId "$ROOT.1.5.1.6"
check_oid numaNodeDistanceValue "$ROOT.1.6.1.2"
check_oid numaHugepageVmDemand "$ROOT.1.7.1.4"
check_oid numaHugepageVmDemand.1.1048576 "$ROOT.1.7.1.4.1.1048576"
check_oid numaCompliance "$ROOT.2.1.1"
check_oid numaNodeMemCapacityMiB "$ROOT.1.2.1.18"
check_oid numaNodeCpuBitmap "$ROOT.1.2.1.22"
check_oid numaVmMemoryMiB "$ROOT.1.3.1.17"
check_oid numaVmEmulatorCpuBitmap "$ROOT.1.3.1.18"
check_oid numaVmAssignMemSpanningMiB "$ROOT.1.4.1.6"
check_oid numaVcpuAffinityBitmap "$ROOT.1.5.1.7"
check_oid numaNotificationGroup "$ROOT.2.2.7"

# 5. Syntax the agent's encoders rely on: 64-bit byte counts are CounterBasedGauge64 (Counter64
#    on the wire), and a notification carries the objects the agent sends.
check_def() {
	if translate -Td "$MODULE::$1" >"$tmp/def" && [ ! -s "$tmp/err" ] &&
		grep -q -- "$2" "$tmp/def"; then
		pass "$1: $2"
	else
		fail "$1: definition does not contain '$2':"
		cat "$tmp/def" "$tmp/err" >&2
	fi
}
check_def numaNodeMemUsed 'TEXTUAL CONVENTION CounterBasedGauge64'
check_def numaVmAssignMemory 'SYNTAX	Counter64'
check_def numaNodeMemHeadroom 'UNITS		"MiB"'
check_def numaVmName 'TEXTUAL CONVENTION SnmpAdminString'
check_def numaNodeMemUsedMiB 'SYNTAX	Gauge32'
check_def numaNodeMemUsedMiB 'UNITS		"MiB"'
check_def numaVcpuAffinityBitmap 'TEXTUAL CONVENTION CpuBitmap'
check_def numaVcpuAffinityBitmap 'OCTET STRING (0..1024)'
check_def numaVmDisplayName 'DISPLAY-HINT	"255t"'
check_def numaHugepageOversubscription \
	'OBJECTS	{ numaHugepageTotal, numaHugepageVmDemand }'

# 5b. Notifications are optional ('notifications no' is a valid setting): numaNotificationGroup
#     is a GROUP clause of numaCompliance, not one of its MANDATORY-GROUPS.
mandatory=$(awk '/MANDATORY-GROUPS/ { on = 1 } on { print } on && /}/ { exit }' "$mibfile")
if printf '%s\n' "$mandatory" | grep -q numaNotificationGroup; then
	fail "numaNotificationGroup is among the MANDATORY-GROUPS of numaCompliance"
elif grep -q '^ *GROUP  *numaNotificationGroup$' "$mibfile"; then
	pass "numaNotificationGroup is an optional GROUP of numaCompliance"
else
	fail "numaCompliance has no GROUP clause for numaNotificationGroup"
fi

# 5c. Every byte count (CounterBasedGauge64, UNITS "bytes") has its Gauge32 companion in MiB,
#     NAMEMiB, for pollers that read Counter64 as a counter or speak SNMPv1 (issue 14).
awk '/^[a-zA-Z0-9]+ OBJECT-TYPE$/ { name = $1 } /^    SYNTAX / { syn[name] = $2 }
	/^    UNITS / { units[name] = $2 }
	END { for (n in syn) if (syn[n] == "CounterBasedGauge64" && units[n] == "\"bytes\"")
		print n, (syn[n "MiB"] == "Gauge32" && units[n "MiB"] == "\"MiB\"") ? "ok" : "none" }' \
	"$mibfile" | sort >"$tmp/companions"
if [ ! -s "$tmp/companions" ]; then
	fail "no CounterBasedGauge64 byte column found in $mibfile"
elif grep ' none$' "$tmp/companions" >"$tmp/lonely"; then
	fail "byte columns without a Gauge32 NAMEMiB companion: $(cut -d ' ' -f 1 "$tmp/lonely" | tr '\n' ' ')"
else
	pass "each of the $(wc -l <"$tmp/companions" | tr -d ' ') byte columns has its Gauge32 MiB companion"
fi

# 6. Read-only module: no writable or creatable object.
if grep -n -E 'read-write|read-create' "$mibfile" >"$tmp/rw"; then
	fail "writable objects in a read-only module:"
	cat "$tmp/rw" >&2
else
	pass "no read-write or read-create object"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
