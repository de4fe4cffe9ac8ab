#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dirfault.sh: a libvirt directory that cannot be read for a while (EACCES on the directory,
# chmod 000; then on the names in it, chmod 644: readdir works, fstatat does not) is no VM
# stopping. numatopd keeps serving the VMs it last read (numaVmCount stays), numaSourceStatus
# turns degraded(2) with one numaSourceError, no node or hugepage row is cleared, and all is ok
# again, with one numaSourceRecovered, once it can be read. As root, the test runs without
# CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv), or chmod would not stop it. EMFILE, the
# other fault, is tests/test_scan.c's (RLIMIT_NOFILE).
set -u
if [ "$(id -u)" = 0 ] && [ -z "${NT_DAC_DROPPED:-}" ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		# lib.sh's nt__skip_or_fail is not loaded yet: its rule, by hand
		[ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ] && {
			echo "FAIL: setpriv missing; NUMATOPD_REQUIRE_ALL=1 does not allow skipping" >&2
			exit 1
		}
		echo "SKIP: as root, setpriv is needed to drop CAP_DAC_OVERRIDE"
		exit 77
	fi
	NT_DAC_DROPPED=1 exec setpriv --bounding-set=-dac_override,-dac_read_search \
		--inh-caps=-dac_override,-dac_read_search sh "$0" "$@"
fi
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init dirfault
nt_need snmpd snmptrapd snmpget numatopd

FX=${FIXTURES:-$TESTS_DIR/../fixtures}/host
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
TAB=$(printf '\t')
QEMU=$NT_DIR/qemu
CONF=$NT_DIR/numatopd.conf

mkdir "$QEMU" || exit 99
cp "$FX/libvirt/web-local.xml" "$FX/libvirt/hpc-big.xml" "$FX/libvirt/huge-1g.xml" "$QEMU/" ||
	exit 99
# node 4 oversubscribed: 2 vCPUs more on its 8 CPUs, which hpc-big takes
nt_vm_xml 31 cpu-hog 1 "<vcpu placement='static' cpuset='8-9'>2</vcpu>" >"$QEMU/cpu-hog.xml" ||
	exit 99
printf '%s\n' "eventDelay 200" "refreshInterval 600" "agentxPingInterval 1" >"$CONF"

# notification SUBID (an ERE: [246] is every clear), then the given varbind text (an ERE)
notif() {
	echo "$(nt_re "OID: $ROOT.0.")$1$TAB$2"
}
count() {
	nt_traps | grep -c -E -- "$1"
}
get() {
	snmpget -v2c -c public -t 1 -r 1 -m '' -On -Oqv "$NT_TARGET" "$ROOT.$1" 2>/dev/null
}
status_is() {
	[ "$(get 1.1.9.0)" = "$1" ]
}
CLEARS=$(notif '[246]' '')
SRC_BAD=$(notif 7 "$(nt_re "$ROOT.1.1.9.0 = INTEGER: 2")")
SRC_OK=$(notif 8 "$(nt_re "$ROOT.1.1.9.0 = INTEGER: 1")")

nt_start_trapd || nt_done
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || nt_done
nt_start_numatopd -c "$CONF" -Dnumatopd --sysfs-root "$FX/sys" --libvirt-xml-dir "$QEMU" ||
	nt_done
nt_wait_numatopd_registered || nt_done
if nt_wait_for_trap "$(notif 1 "$(nt_re "$ROOT.1.2.1.3.4 = ")")" 5 &&
	nt_wait_for_trap "$(notif 5 '')" 5; then
	nt_pass "startup: node 4's CPU and node 1's 1G hugepages are raised"
else
	nt_fail "startup: no numaNodeCpuOversubscription for node 4 or numaHugepageOversubscription"
fi
[ "$(get 1.1.2.0)" = 4 ] && nt_pass "startup: numaVmCount 4" ||
	nt_fail "startup: numaVmCount $(get 1.1.2.0), want 4"

# fault WHAT MODE: chmod MODE the directory, check, chmod 755, check
fault() {
	e0=$(count "$SRC_BAD") ok0=$(count "$SRC_OK") c0=$(count "$CLEARS")
	chmod "$2" "$QEMU" || exit 99
	# a request rebuilds (at most once a second); the directory's ctime moved: it is read
	if nt__poll 50 status_is 2; then
		nt_pass "$1: numaSourceStatus.0 degraded(2)"
	else
		nt_fail "$1: numaSourceStatus.0 is $(get 1.1.9.0), want degraded(2)"
	fi
	[ "$(get 1.1.2.0)" = 4 ] && nt_pass "$1: numaVmCount stays 4" ||
		nt_fail "$1: numaVmCount $(get 1.1.2.0), want the 4 VMs last read"
	nt__poll 50 eval '[ "$(count "$SRC_BAD")" -gt "$e0" ]' &&
		nt_pass "$1: numaSourceError, degraded(2)" ||
		nt_fail "$1: no numaSourceError with numaSourceStatus degraded(2)"
	# more rebuilds while it lasts: nothing changes, nothing more is sent
	sleep 1.1
	get 1.1.2.0 >/dev/null
	sleep 1.1
	[ "$(get 1.1.2.0)" = 4 ] && status_is 2 &&
		nt_pass "$1: two rebuilds later still 4 VMs, degraded" ||
		nt_fail "$1: two rebuilds later numaVmCount $(get 1.1.2.0), status $(get 1.1.9.0)"
	[ "$(count "$SRC_BAD")" = $((e0 + 1)) ] && [ "$(count "$CLEARS")" = "$c0" ] &&
		nt_pass "$1: one numaSourceError, no node or hugepage row cleared" ||
		nt_fail "$1: $(($(count "$SRC_BAD") - e0)) numaSourceError," \
			"$(($(count "$CLEARS") - c0)) clears"
	chmod 755 "$QEMU" || exit 99
	nt__poll 50 status_is 1 && nt_pass "$1 undone: numaSourceStatus.0 ok(1)" ||
		nt_fail "$1 undone: numaSourceStatus.0 is $(get 1.1.9.0), want ok(1)"
	nt__poll 50 eval '[ "$(count "$SRC_OK")" -gt "$ok0" ]' &&
		nt_pass "$1 undone: numaSourceRecovered" || nt_fail "$1 undone: no numaSourceRecovered"
	sleep 0.3
	[ "$(get 1.1.2.0)" = 4 ] && [ "$(count "$CLEARS")" = "$c0" ] &&
		nt_pass "$1 undone: 4 VMs, still no clear" ||
		nt_fail "$1 undone: numaVmCount $(get 1.1.2.0), $(($(count "$CLEARS") - c0)) clears"
}

fault "chmod 000 (opendir: EACCES)" 000
grep -q "libvirt directory $QEMU: Permission denied; serving the VMs it last read" \
	"$NT_DIR/numatopd.log" && nt_pass "the log names the directory and the error" ||
	nt_fail "no 'libvirt directory $QEMU: Permission denied; serving the VMs it last read'"
fault "chmod 644 (fstatat: EACCES)" 644
grep -q "libvirt directory $QEMU is readable again" "$NT_DIR/numatopd.log" &&
	nt_pass "the log says when it is readable again" ||
	nt_fail "no 'libvirt directory $QEMU is readable again' line"
nt_stop_numatopd
nt_done
