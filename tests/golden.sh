#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/golden.sh: the full output of numatopd on two hosts, for before/after comparisons of a
# change that must not change behaviour: --dump (text and JSON) and a full snmpbulkwalk (-On)
# through a private snmpd, for the fixture host and a generated 1,000-VM host.
#
#	tests/golden.sh OUTDIR [NUMATOPD]     writes OUTDIR/{fixture,gen1000}.{txt,json,walk}
#
# The two scalars that are clocks (numaLastRefresh.0, numaTableLastChange.0) are left out of
# the walk. Diff two OUTDIRs: `diff -r before after` is empty when nothing changed.
set -u
[ $# -ge 1 ] || { echo "usage: golden.sh OUTDIR [NUMATOPD]" >&2; exit 2; }
out=$1
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
top=$(cd "$TESTS_DIR/.." && pwd)
NUMATOPD=${2:-${NUMATOPD:-$top/numatopd}}
: "${FIXTURES:=$top/fixtures}" "${MIBSRC:=$top/mibs}"
export FIXTURES MIBSRC NUMATOPD TESTS_DIR
. "$TESTS_DIR/lib.sh"
nt_init golden
mkdir -p "$out" || exit 1
sh "$top/bench/genhost.sh" "$NT_DIR/gen" 1000 >/dev/null || exit 1
nt_start_snmpd </dev/null || exit 1
root=.1.3.6.1.4.1.8072.9999.9999.6862
for h in fixture gen1000; do
	case $h in
	fixture) set -- --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir "$FIXTURES/host/libvirt" ;;
	gen1000) set -- --sysfs-root "$NT_DIR/gen/sys" --libvirt-xml-dir "$NT_DIR/gen/qemu" ;;
	esac
	"$NUMATOPD" --dump=text "$@" >"$out/$h.txt" 2>"$out/$h.stderr"
	"$NUMATOPD" --dump=json "$@" >"$out/$h.json" 2>>"$out/$h.stderr"
	nt_start_numatopd "$@" || exit 1
	nt_wait_numatopd_registered || exit 1
	snmpbulkwalk -v2c -c public -Cr25 -t 5 -r 1 -m '' -On "$NT_TARGET" $root |
		grep -v -e "^$root\.1\.1\.5\.0 " -e "^$root\.1\.1\.6\.0 " >"$out/$h.walk"
	nt_stop_numatopd
	echo "$h: $(wc -l <"$out/$h.walk") varbinds, dump $(wc -c <"$out/$h.json") bytes"
done
