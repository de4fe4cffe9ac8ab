#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# check_numa.sh: the Nagios/Icinga plugin on the fixture host, once per exit status (0 OK,
# 1 WARNING, 2 CRITICAL, 3 UNKNOWN): the exact line before the perfdata, every perfdata item
# in the guidelines' format (a regex, and Monitoring::Plugin's own parser when installed);
# the same over SNMP (-H) from numatopd under a private snmpd; and the Icinga2 CheckCommand.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init check_numa
CHECK_NUMA=${CHECK_NUMA:-$TESTS_DIR/../check_numa}
[ -x "$CHECK_NUMA" ] || { nt_fail "$CHECK_NUMA is not built"; nt_done; }
FX=${FIXTURES:-$TESTS_DIR/../fixtures}/host
CONF=$TESTS_DIR/../contrib/icinga2/check_numa.conf
# numatopd.conf: none (lib.sh's SNMPCONFPATH is an empty directory), so the default ratios

# run WANT_RC ARGS...: the plugin on the fixture host; $out is its stdout, checked to be one
# line ending in a newline, and its exit status must be WANT_RC.
run() {
	want=$1
	shift
	"$CHECK_NUMA" --sysfs-root "$FX/sys" --libvirt-xml-dir "$FX/libvirt" --no-runtime "$@" \
		>"$NT_DIR/out" 2>"$NT_DIR/err"
	rc=$?
	out=$(cat "$NT_DIR/out")
	echo "check_numa $* -> exit $rc: $out"
	[ "$rc" = "$want" ] || nt_fail "check_numa $*: exit $rc, expected $want"
	[ "$(wc -l <"$NT_DIR/out")" = 1 ] || nt_fail "check_numa $*: not one line: $out"
	# a plugin writes no file: no VM index map is read or saved (numatopd's state directory)
	! grep -q "VM index map" "$NT_DIR/err" ||
		nt_fail "check_numa $*: touched the VM index map: $(grep "VM index map" "$NT_DIR/err")"
}

# summary WANT: the text before " | " must be WANT exactly.
summary() {
	got=${out%% | *}
	if [ "$got" = "$1" ]; then
		nt_pass "exit $rc: $1"
	else
		nt_fail "the summary is '$got', expected '$1'"
	fi
}

# perfdata CRIT WANT...: the items after " | " (space-separated) must include each WANT exactly,
# and every item must have the guidelines' form: 'label'=value[UOM];warn;crit;min;max with
# a UOM of % or B or none (never c: these are gauges), ranges in warn and crit, numbers in
# min and max, empty trailing fields dropped.
NUM='-?[0-9]+([.][0-9]+)?'
RANGE="@?((~|$NUM):)?($NUM)?"
ITEM="'[a-z0-9_]+'=$NUM(%|B)?(;$RANGE(;$RANGE(;($NUM)?(;($NUM)?)?)?)?)?"
perfdata() {
	crit=$1
	shift
	perf=${out#* | }
	n=0 bad=
	for item in $perf; do
		n=$((n + 1))
		printf '%s\n' "$item" | grep -Eqx "$ITEM" || bad="$bad $item"
	done
	[ "$n" = 22 ] && [ -z "$bad" ] &&
		nt_pass "22 perfdata items (5 per node, invalid files, VMs) in the guidelines' form" ||
		nt_fail "perfdata: $n items (expected 22), not in the guidelines' form:${bad:- none}"
	for want in "$@"; do
		case " $perf " in
		*" $want "*) nt_pass "perfdata has $want" ;;
		*) nt_fail "perfdata lacks $want: $perf" ;;
		esac
	done
	mp_parse "$crit"
}

# The perfdata through Monitoring::Plugin::Performance (Debian libmonitoring-plugin-perl), the
# parser of the plugins' Perl library: it must take every item, and read node 4's CPU critical
# range as $1.
mp_parse() {
	perl -MMonitoring::Plugin::Performance -e 1 2>/dev/null || {
		if [ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ]; then
			nt_fail "Monitoring::Plugin is not installed (libmonitoring-plugin-perl)"
		else
			echo "Monitoring::Plugin not installed (libmonitoring-plugin-perl): regex only"
		fi
		return 0
	}
	got=$(printf '%s' "$perf" | perl -MMonitoring::Plugin::Performance -e '
		my @p = Monitoring::Plugin::Performance->parse_perfstring(scalar <STDIN>);
		printf "%d %s\n", scalar @p, join(" ", map { $_->label . "=" . $_->value .
			$_->uom . ";" . ($_->threshold->critical->is_set ?
			$_->threshold->critical : "") } @p);')
	count=${got%% *}
	if [ "$count" = 22 ]; then
		nt_pass "Monitoring::Plugin::Performance parses the 22 items"
	else
		nt_fail "Monitoring::Plugin::Performance parses $count items: $got"
	fi
	case " $got " in
	*" node4_cpu_pct=188%;$1 "*) nt_pass "and reads node4_cpu_pct's critical range ${1:-(none)}" ;;
	*) nt_fail "Monitoring::Plugin reads node4_cpu_pct as: $got" ;;
	esac
}

# ------------------------------------------------------------------ 0 OK
# Thresholds above the fixture's figures: node 4 at 188 % CPU and 115 % memory, node 1 short
# of one 1 GiB hugepage, 2 invalid XML files.
run 0 --critical-cpu-pct 200 --critical-mem-pct 200 --critical-huge-short 1024 \
	--warning-invalid-files 2
summary "NUMA OK - 4 nodes, 14 VMs, highest CPU 188% (node 4), memory 115% (node 4)"
perfdata 200 "'node4_cpu_pct'=188%;;200;0" "'node1_huge_short'=1073741824B;;1073741824;0" \
	"'node4_cpu_headroom'=-7;;;;8" "'node4_mem_headroom'=-2147483648B;;;;15032385536" \
	"'invalid_files'=2;2;;0" "'vms'=14;;;0"

# ------------------------------------------------------------------ 1 WARNING
run 1 -w 100 --critical-mem-pct 120 --critical-cpu-pct 190 --critical-huge-short '' \
	--warning-invalid-files '~:' --warning-mem-headroom 2048:
summary "NUMA WARNING - node 4 memory 115% (warning), node 4 memory headroom -2048 MiB \
(warning); 4 nodes, 14 VMs, highest CPU 188% (node 4), memory 115% (node 4)"
perfdata 190 "'node4_mem_pct'=115%;100;120;0" "'node1_huge_short'=1073741824B;;;0" \
	"'node6_mem_headroom'=2147483648B;2147483648:;;;8589934592" "'invalid_files'=2;~:;;0"

# ------------------------------------------------------------------ 2 CRITICAL (the defaults)
run 2
summary "NUMA CRITICAL - node 1 hugepages short by 1024 MiB (critical), node 4 CPU 188% \
(critical), node 4 memory 115% (critical), 2 invalid libvirt XML files (warning); 4 nodes, 14 \
VMs, highest CPU 188% (node 4), memory 115% (node 4)"
perfdata 100 "'node4_mem_pct'=115%;;100;0" "'node1_huge_short'=1073741824B;;0;0" \
	"'invalid_files'=2;0;;0"
run 2 --critical-cpu-pct @150:200 --critical-mem-pct '' --critical-huge-short '' \
	--warning-invalid-files ''
summary "NUMA CRITICAL - node 4 CPU 188% (critical); 4 nodes, 14 VMs, highest CPU 188% \
(node 4), memory 115% (node 4)"

# ------------------------------------------------------------------ memory unknown
# A node without meminfo (fixtures/qemualloc/sys-nomeminfo) has no memory figures: not judged,
# not 0 (a headroom threshold of 1: would alert on a 0), "memory unknown", perfdata U.
NOMEM=${FIXTURES:-$TESTS_DIR/../fixtures}/qemualloc/sys-nomeminfo
mkdir -p "$NT_DIR/novms"
nomem_args="--critical-mem-headroom 1: --critical-mem-pct 0:50"
# shellcheck disable=SC2086
"$CHECK_NUMA" --sysfs-root "$NOMEM" --libvirt-xml-dir "$NT_DIR/novms" $nomem_args \
	>"$NT_DIR/out" 2>/dev/null
rc=$? nomem_out=$(cat "$NT_DIR/out")
echo "check_numa (no meminfo) -> exit $rc: $nomem_out"
[ $rc = 0 ] && [ "${nomem_out%% | *}" = "NUMA OK - 1 nodes, 0 VMs, highest CPU 0% (node 0), \
memory unknown" ] && case $nomem_out in *"'node0_mem_pct'=U "*"'node0_mem_headroom'=U "*) true ;;
	*) false ;; esac &&
	nt_pass "memory unknown: not judged, not 0; perfdata U" ||
	nt_fail "memory unknown: exit $rc, '$nomem_out'"

# ------------------------------------------------------------------ 3 UNKNOWN
"$CHECK_NUMA" --sysfs-root "$NT_DIR/nothing" --libvirt-xml-dir "$FX/libvirt" >"$NT_DIR/out" \
	2>/dev/null
rc=$? out=$(cat "$NT_DIR/out")
echo "check_numa --sysfs-root (missing) -> exit $rc: $out"
[ $rc = 3 ] && [ "$out" = "NUMA UNKNOWN - $NT_DIR/nothing/devices/system/node has no NUMA nodes" ] &&
	nt_pass "exit 3 for a sysfs root without nodes: $out" ||
	nt_fail "a missing sysfs root: exit $rc, '$out'"
run 3 --libvirt-xml-dir "$NT_DIR/nothing"
summary "NUMA UNKNOWN - $NT_DIR/nothing: the libvirt XML directory cannot be read (check_numa \
needs root or CAP_DAC_READ_SEARCH)"
run 3 -w 90:80
summary "NUMA UNKNOWN - --warning-mem-pct: range '90:80': its start is above its end"
run 3 --critical-cpu-headroom abc
summary "NUMA UNKNOWN - --critical-cpu-headroom: range 'abc' is not [@]start:end (e.g. 10, 10:, \
~:10, 10:20, @10:20)"
run 3 --no-such-option
summary "NUMA UNKNOWN - --no-such-option: invalid option or missing value (check_numa --help \
lists them)"
run 3 --config "$NT_DIR/nothing.conf"
summary "NUMA UNKNOWN - --config $NT_DIR/nothing.conf: no such file"
printf 'cpuAllocationRatio fast\n' >"$NT_DIR/bad.conf"
run 3 --config "$NT_DIR/bad.conf"
summary "NUMA UNKNOWN - numatopd.conf has errors (on standard error)"
grep -q "bad.conf: line 1" "$NT_DIR/err" && nt_pass "the directive's error is on stderr" ||
	nt_fail "stderr does not name bad.conf's line 1: $(cat "$NT_DIR/err")"

# numatopd.conf is read: a CPU ratio of 2.0 doubles node 4's limit to 16 (15 bound: 94 %)
printf 'cpuAllocationRatio 2.0\n' >"$NT_DIR/ratio.conf"
run 0 --config "$NT_DIR/ratio.conf" --critical-mem-pct '' --critical-huge-short '' \
	--warning-invalid-files ''
summary "NUMA OK - 4 nodes, 14 VMs, highest CPU 94% (node 4), memory 115% (node 4)"

# The privileges the man page states: libvirt's directory as libvirt makes it (root, 0700,
# files 0600) is UNKNOWN for an unprivileged user, and readable with CAP_DAC_READ_SEARCH on a
# copy of the binary. Only as root (it needs chown and setcap).
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && command -v setcap >/dev/null; then
	P=$NT_DIR/priv
	mkdir -p "$P" && cp -r "$FX/libvirt" "$P/qemu" && cp "$CHECK_NUMA" "$P/check_numa" &&
		chmod 755 "$NT_DIR" "$P" "$P/check_numa" && chmod 700 "$P/qemu" &&
		chmod 600 "$P/qemu"/*
	out=$(runuser -u nobody -- "$P/check_numa" --sysfs-root "$FX/sys" \
		--libvirt-xml-dir "$P/qemu" 2>/dev/null)
	rc=$?
	[ $rc = 3 ] && [ "$out" = "NUMA UNKNOWN - $P/qemu: the libvirt XML directory cannot be read \
(check_numa needs root or CAP_DAC_READ_SEARCH)" ] &&
		nt_pass "as nobody, a 0700 libvirt directory: exit 3, $out" ||
		nt_fail "as nobody: exit $rc, '$out'"
	setcap cap_dac_read_search+ep "$P/check_numa"
	out=$(runuser -u nobody -- "$P/check_numa" --sysfs-root "$FX/sys" \
		--libvirt-xml-dir "$P/qemu" 2>/dev/null)
	rc=$?
	case $rc:$out in
	"2:NUMA CRITICAL - node 1 hugepages short by 1024 MiB"*) nt_pass "as nobody with CAP_DAC_READ_SEARCH: exit 2, every VM read" ;;
	*) nt_fail "as nobody with CAP_DAC_READ_SEARCH: exit $rc, '$out'" ;;
	esac
	chmod 700 "$NT_DIR"
else
	echo "not root: the privilege checks (runuser, setcap) are left out"
fi

# ------------------------------------------------------------------ -H: over SNMP
# The same fixture served by numatopd under a private snmpd: the same summary for the same
# thresholds; memory headroom comes in whole MiB (numaNodeMemHeadroom), without the memory
# limit (not served) as its maximum. A wrong community gets no answer: UNKNOWN.
V3USER='createUser numaops SHA-256 "numa auth passphrase" AES "numa privacy passphrase"'
snmp_checks() {
	NT_SNMPD_MODULES=system_mib,vacm_conf,usmConf # usmConf: createUser
	nt_start_snmpd "$V3USER" "rouser numaops authpriv .1.3.6.1.4.1.8072.9999.9999.6862" ||
		return 1
	nt_start_numatopd --sysfs-root "$FX/sys" --libvirt-xml-dir "$FX/libvirt" || return 1
	nt_wait_numatopd_registered || return 1
	for args in "" "-w 100 --critical-mem-pct 120 --critical-cpu-pct 190 \
--critical-huge-short ~: --warning-invalid-files ~: --warning-mem-headroom 2048:"; do
		# shellcheck disable=SC2086 # the options are words
		run "$([ -z "$args" ] && echo 2 || echo 1)" $args
		local_line=${out%% | *}
		[ -z "$args" ] && local_line_2=$local_line
		# shellcheck disable=SC2086
		"$CHECK_NUMA" -H "$NT_TARGET" -C public $args >"$NT_DIR/out" 2>"$NT_DIR/err"
		rc=$? out=$(cat "$NT_DIR/out")
		echo "check_numa -H $NT_TARGET -C public $args -> exit $rc: $out"
		[ "${out%% | *}" = "$local_line" ] &&
			nt_pass "-H: exit $rc, the same summary as local: $local_line" ||
			nt_fail "-H: '${out%% | *}', local '$local_line'"
	done
	perfdata 190 "'node0_mem_headroom'=4830789632B;2147483648:" "'node0_cpu_headroom'=0;;;;8" \
		"'node1_huge_short'=1073741824B;;~:;0" "'vms'=14;;;0"
	# SNMPv3, authPriv, as README's "SNMPv3" sets the user up; a wrong passphrase: UNKNOWN
	"$CHECK_NUMA" -H "$NT_TARGET" -U numaops -L authPriv -a SHA-256 -A "numa auth passphrase" \
		-x AES -X "numa privacy passphrase" >"$NT_DIR/out" 2>"$NT_DIR/err"
	rc=$? out=$(cat "$NT_DIR/out")
	[ $rc = 2 ] && [ "${out%% | *}" = "$local_line_2" ] &&
		nt_pass "-H over SNMPv3 authPriv: exit 2, the same summary as local" ||
		nt_fail "-H over SNMPv3: exit $rc, '$out' $(cat "$NT_DIR/err")"
	"$CHECK_NUMA" -H "$NT_TARGET" -U numaops -a SHA-256 -A "not the passphrase" -x AES \
		-X "numa privacy passphrase" -t 2 >"$NT_DIR/out" 2>/dev/null
	rc=$? out=$(cat "$NT_DIR/out")
	case $rc:$out in
	"3:NUMA UNKNOWN - SNMP $NT_TARGET: Authentication failure (incorrect password, community or key)") nt_pass "SNMPv3 with a wrong passphrase: exit 3, $out" ;;
	*) nt_fail "SNMPv3 with a wrong passphrase: exit $rc, '$out'" ;;
	esac
	"$CHECK_NUMA" -H "$NT_TARGET" -C wrong -t 2 >"$NT_DIR/out" 2>&1
	rc=$? out=$(cat "$NT_DIR/out")
	[ $rc = 3 ] && [ "$out" = "NUMA UNKNOWN - SNMP $NT_TARGET: no answer (timeout)" ] &&
		nt_pass "-H with a wrong community: exit 3, $out" ||
		nt_fail "-H with a wrong community: exit $rc, '$out'"
	# memory unknown over SNMP: its columns are holes, so the same verdict as local
	nt_stop_numatopd
	nt_start_numatopd --sysfs-root "$NOMEM" --libvirt-xml-dir "$NT_DIR/novms" || return 1
	nt_wait_numatopd_registered || return 1
	# shellcheck disable=SC2086
	"$CHECK_NUMA" -H "$NT_TARGET" -C public $nomem_args >"$NT_DIR/out" 2>"$NT_DIR/err"
	rc=$? out=$(cat "$NT_DIR/out")
	[ $rc = 0 ] && [ "${out%% | *}" = "${nomem_out%% | *}" ] &&
		case $out in *"'node0_mem_headroom'=U "*) true ;; *) false ;; esac &&
		nt_pass "-H, memory unknown: the same summary as local, perfdata U" ||
		nt_fail "-H, memory unknown: exit $rc, '$out', local '$nomem_out'"
}
if command -v "${SNMPD:-snmpd}" >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ]; then
	[ -x "${NUMATOPD:-}" ] || NUMATOPD=$TESTS_DIR/../numatopd
	export NUMATOPD
	snmp_checks || nt_fail "the private snmpd and numatopd did not start"
elif [ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ]; then
	nt_fail "snmpd not found: -H is not checked"
else
	echo "snmpd not found: -H is not checked"
fi

# --help and --version: exit 3, as the monitoring-plugins do
"$CHECK_NUMA" --help >"$NT_DIR/help"
rc=$?
[ $rc = 3 ] && grep -q '^Usage: check_numa' "$NT_DIR/help" && nt_pass "--help: usage, exit 3" ||
	nt_fail "--help: exit $rc"
"$CHECK_NUMA" --version >"$NT_DIR/version"
rc=$?
[ $rc = 3 ] && grep -Eqx 'check_numa \(numatopd\) [0-9.]+' "$NT_DIR/version" &&
	nt_pass "--version: $(cat "$NT_DIR/version"), exit 3" || nt_fail "--version: exit $rc"

# ------------------------------------------------------------------ the documentation
# Every option --help lists is in man/check_numa.8 and README.md.
"$CHECK_NUMA" --help | grep -Eo -- '--[a-z-]+' | sort -u >"$NT_DIR/long-opts"
for doc in "$TESTS_DIR/../man/check_numa.8" "$TESTS_DIR/../README.md"; do
	text=$(sed 's/\\-/-/g' "$doc")
	missing=
	while read -r o; do
		case $text in *"$o"*) ;; *) missing="$missing $o" ;; esac
	done <"$NT_DIR/long-opts"
	[ -z "$missing" ] && nt_pass "${doc##*/} names the $(wc -l <"$NT_DIR/long-opts") long options" ||
		nt_fail "${doc##*/} lacks:$missing"
done

# ------------------------------------------------------------------ the Icinga2 CheckCommand
# Every argument it passes is an option of the plugin (from --help), and every threshold
# option of the plugin has an argument there.
if [ -r "$CONF" ]; then
	grep -Eo '"--?[a-z-]+"' "$CONF" | tr -d '"' | sort -u >"$NT_DIR/conf-opts"
	"$CHECK_NUMA" --help | grep -Eo -- '--[a-z-]+|^ +-[a-zA-Z],' | tr -d ' ,' |
		sort -u >"$NT_DIR/help-opts"
	extra=$(comm -23 "$NT_DIR/conf-opts" "$NT_DIR/help-opts" | tr '\n' ' ')
	missing=$(grep -E -- '--(warning|critical)-' "$NT_DIR/help-opts" |
		comm -13 "$NT_DIR/conf-opts" - | tr '\n' ' ')
	[ -z "$extra" ] && [ -z "$missing" ] &&
		nt_pass "the CheckCommand passes $(wc -l <"$NT_DIR/conf-opts") options, all the plugin's thresholds" ||
		nt_fail "the CheckCommand: unknown options '$extra', thresholds missing '$missing'"
else
	nt_fail "$CONF is missing"
fi

# icinga2 (Debian icinga2-bin) validates it with a host and a service that use its variables;
# the same file with one quote missing must fail, so that the validation is seen to work.
ICINGA2=$(command -v icinga2 || echo /usr/sbin/icinga2)
validate() { # validate CONF: icinga2 daemon -C on a private configuration including CONF
	mkdir -p "$NT_DIR/icinga2/cache"
	cat >"$NT_DIR/icinga2/icinga2.conf" <<EOF
const PluginDir = "/usr/lib/nagios/plugins"
include <itl>
include "$1"
object Host "hv1" { check_command = "dummy"; vars.numa = true }
apply Service "numa" {
	check_command = "numa"
	vars.numa_warning_mem_pct = 90
	vars.numa_warning_mem_headroom = "4096:"
	vars.numa_critical_huge_short = "~:"
	assign where host.vars.numa == true
}
EOF
	# as the user running the test: icinga2 would drop to user nagios, who cannot write to
	# the private cache directory
	"$ICINGA2" daemon -C -c "$NT_DIR/icinga2/icinga2.conf" \
		-DConfiguration.CacheDir="$NT_DIR/icinga2/cache" -DRunAsUser="$(id -un)" \
		-DRunAsGroup="$(id -gn)" >"$NT_DIR/icinga2/log" 2>&1
}
if [ -x "$ICINGA2" ]; then
	if validate "$CONF" && grep -q "Instantiated 1 Service" "$NT_DIR/icinga2/log"; then
		nt_pass "icinga2 daemon -C validates the CheckCommand and a service using it"
	else
		nt_fail "icinga2 daemon -C refuses $CONF: $(grep -i critical "$NT_DIR/icinga2/log")"
	fi
	sed 's/"\$numa_timeout\$"/"$numa_timeout$/' "$CONF" >"$NT_DIR/broken.conf"
	validate "$NT_DIR/broken.conf" && nt_fail "icinga2 daemon -C accepts a broken copy" ||
		nt_pass "icinga2 daemon -C refuses a copy with a quote missing"
elif [ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ]; then
	nt_fail "icinga2 not found (apt-get install icinga2-bin)"
else
	echo "icinga2 not found (icinga2-bin): the CheckCommand is not validated"
fi
nt_done
