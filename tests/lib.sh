# SPDX-License-Identifier: BSD-3-Clause
# tests/lib.sh: shared harness for the shell tests, sourced (POSIX sh, runs under dash). Starts a
# private snmpd (AgentX master), snmptrapd and numatopd in a temp dir and stops them on any exit.
#
# Use:
#	. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
#	nt_init mytest                 # temp dir $NT_DIR, cleanup trap, pass/fail counters
#	nt_need snmpd snmpget          # exit 77 (skip) when missing; NUMATOPD_REQUIRE_ALL=1: fail
#	nt_start_trapd || exit 1       # sets NT_TRAP_PORT; traps land in $NT_TRAPLOG
#	nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || exit 1
#	nt_start_numatopd --sysfs-root "$FIXTURES/host/sys" --libvirt-xml-dir ... || exit 1
#	nt_wait_numatopd_registered || exit 1
#	out=$(nt_snmp snmpget numaSourceStatus.0) ...
#	nt_done                        # prints "N passed, M failed", exit 0 or 1
#
# Functions
#	nt_init NAME                   private dir $NT_DIR, trap on EXIT/INT/TERM/HUP, exports
#	nt_pass MSG / nt_fail MSG      count a check ("ok: MSG" on stdout / "FAIL: MSG" on stderr)
#	nt_done                        summary line; on failure also the tail of every log
#	nt_need TOOL...                skip (77) or, with NUMATOPD_REQUIRE_ALL=1, fail (1)
#	nt_need_mibs                   the same for $MIBSRC and $SHARED_MIBS (nt_snmp needs them)
#	nt_free_udp_port               print a UDP port that is free on 127.0.0.1 right now
#	nt_port_busy udp|tcp PORT      true when PORT is bound (tcp: listening) on any address
#	nt_start_snmpd [LINE...]       snmpd; extra snmpd.conf lines as arguments, or on stdin (a
#	                               here-document) when no argument is given and stdin is not a
#	                               terminal: give </dev/null when there are none. Never pipe
#	                               into it (cmd | nt_start_snmpd): the last command of a
#	                               pipeline runs in a subshell, which would lose the pid
#	                               and port; all nt_start_* refuse to run in a subshell.
#	nt_stop_snmpd / nt_kill9_snmpd / nt_restart_snmpd [-9]
#	nt_start_trapd [LINE...]       snmptrapd; extra snmptrapd.conf lines as arguments (e.g.
#	                               a traphandle)
#	nt_stop_trapd
#	nt_start_numatopd ARGS... / nt_wait_numatopd_registered / nt_stop_numatopd
#	nt_log_count [-F] RE           how many lines of numatopd's log match (grep -c)
#	nt_log_at_least N RE PASS FAIL a check: N or more lines of numatopd's log match RE
#	nt_snmp CMD ARGS...            snmpget/snmpwalk/snmptable... against $NT_TARGET
#	nt_wait_for_line FILE ERE SECS poll every 0.1 s until a line of FILE matches
#	nt_wait_for_trap ERE [SECS]    nt_wait_for_line on the trap records of $NT_TRAPLOG
#	nt_traps                       print the trap records received so far
#	nt_re STRING                   STRING with ERE metacharacters escaped (OIDs: dots)
#	nt_vm_xml ID NAME MEMORY XML   print a plain libvirt <domain> file (see below)
#	nt_track PID                   stop this process too at exit
#	nt_alive PID                   true while PID runs (a zombie counts as gone)
#
# Environment read: SNMPD, SNMPTRAPD (absolute paths, may be empty: PATH, then /usr/sbin),
# NUMATOPD (the daemon under test), MIBSRC, SHARED_MIBS, TESTS_DIR, TMPDIR, NT_KEEP=1 (keep
# $NT_DIR), NUMATOPD_REQUIRE_ALL=1, NT_SNMPD_MODULES (snmpd -I list, default below).
# NUMATOPD_VALGRIND=1 (make check-valgrind): nt_start_numatopd runs numatopd under valgrind
# memcheck, one log per process ($NT_DIR/valgrind.PID.log); nt_stop_numatopd and the cleanup
# fail the test on any error or definitely lost byte in it. NT_SLOW: factor on every polling
# deadline (default 1; 4 under valgrind).
# Environment set: NT_DIR, NT_PORT, NT_TARGET, NT_AGENTX, NT_TRAP_PORT, NT_TRAPLOG, NT_MIBDIRS,
# and, exported, SNMPCONFPATH and SNMP_PERSISTENT_DIR (so no Net-SNMP program started from the
# test reads /etc/snmp or ~/.snmp, or writes under /var/lib/snmp), MIBS and MIBDIRS unset.
#
# Net-SNMP details this relies on (net-snmp 5.9):
# - snmpd opens the agentaddress of the config AND any address given on the command line; giving
#   the same one twice makes the second bind fail ("Error opening specified endpoint"), so the
#   address is in snmpd.conf only.
# - -C: no default config file (/etc/snmp/snmpd.conf, snmp.conf, ~/.snmp); -m '': load no MIB
#   at all (Debian ships none and its "mibs :" lives in /etc/snmp/snmp.conf, skipped by -C), so
#   snmpd logs no MIB warning and extra config lines must use numeric OIDs.
# - snmptrapd -X: no AgentX connection to a master (NOTIFICATION-LOG-MIB); this makes the
#   doNotRetainNotificationLogs token unknown, so it is not used.
# - snmptrapd logs its own notices ("NET-SNMP version 5.9.3" once bound, "Stopping snmptrapd")
#   at the same priority as the traps, into the same -Lf file: trap records are the lines that
#   start with "TRAP".

# ------------------------------------------------------------------ basics

nt_init() {
	NT_NAME=${1:-test}
	NT_PASSED=0
	NT_FAILED=0
	NT_SNMPD_PID=
	NT_TRAPD_PID=
	NT_NUMATOPD_PID=
	NT_TRACKED=
	NT_PORT=
	NT_TARGET=
	NT_TRAP_PORT=
	NT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/numatopd-$NT_NAME.XXXXXX") || {
		echo "FAIL: mktemp -d under ${TMPDIR:-/tmp} failed" >&2
		exit 99
	}
	NT_AGENTX=unix:$NT_DIR/agentx.sock
	if [ "${NUMATOPD_VALGRIND:-0}" = 1 ]; then : "${NT_SLOW:=4}"; fi
	NT_TRAPLOG=$NT_DIR/traps.log
	# shellcheck disable=SC2154 # nt__rc is assigned in the trap itself
	trap 'nt__rc=$?; nt__cleanup; exit $nt__rc' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	# Private client config and persistent state: an empty SNMPCONFPATH directory hides
	# /etc/snmp and ~/.snmp; SNMP_PERSISTENT_DIR keeps cert_indexes, snmpd.conf and
	# snmptrapd.conf state out of /var/lib/snmp. cert_indexes is made here so that no
	# program logs "Created directory: ...".
	mkdir "$NT_DIR/clientconf" "$NT_DIR/persist" "$NT_DIR/persist/cert_indexes" || exit 99
	chmod 700 "$NT_DIR/persist/cert_indexes"
	SNMPCONFPATH=$NT_DIR/clientconf
	# numatopd without -c reads numatopd.conf from there: the fixtures' pids are not this
	# machine's processes, so runtime reads are off unless a test turns them on (the same
	# for nt_start_numatopd and wl_compare, which pass $NT_RUNTIME_ARG: NT_RUNTIME_ARG= in a
	# test that reads the runtime)
	echo 'runtimeInterval 0' >"$NT_DIR/clientconf/numatopd.conf" || exit 99
	NT_RUNTIME_ARG=${NT_RUNTIME_ARG---no-runtime}
	SNMP_PERSISTENT_DIR=$NT_DIR/persist
	export SNMPCONFPATH SNMP_PERSISTENT_DIR NT_DIR NT_AGENTX NT_TRAPLOG
	unset MIBS MIBDIRS
	# a manual run from a checkout: find the MIBs beside the tests
	if [ -n "${TESTS_DIR:-}" ]; then
		: "${MIBSRC:=$TESTS_DIR/../mibs}"
		[ -r "${SHARED_MIBS:-}/SNMPv2-SMI.txt" ] || SHARED_MIBS=$TESTS_DIR/../../shared/mibs
		[ -r "$SHARED_MIBS/SNMPv2-SMI.txt" ] || SHARED_MIBS=$TESTS_DIR/mibs
	fi
	# Net-SNMP takes a module found in two directories of -M from the later one: the tree's
	# MIB last, or an installed numatopd package's older copy hides the columns added since
	NT_MIBDIRS=
	for nt__d in /usr/share/snmp/mibs "${SHARED_MIBS:-}" "${MIBSRC:-}"; do
		[ -n "$nt__d" ] && [ -d "$nt__d" ] && NT_MIBDIRS=${NT_MIBDIRS:+$NT_MIBDIRS:}$nt__d
	done
}

nt_pass() {
	NT_PASSED=$((NT_PASSED + 1))
	echo "ok: $*"
}

nt_fail() {
	NT_FAILED=$((NT_FAILED + 1))
	echo "FAIL: $*" >&2
}

nt_done() {
	if [ "$NT_FAILED" -ne 0 ]; then
		nt__show_logs >&2
	fi
	echo "$NT_PASSED passed, $NT_FAILED failed"
	[ "$NT_FAILED" -eq 0 ] && exit 0
	exit 1
}

# Tail of every log in $NT_DIR (failure diagnostics).
nt__show_logs() {
	for nt__f in "$NT_DIR"/*.log "$NT_DIR"/*.out; do
		[ -s "$nt__f" ] || continue
		echo "----- tail of $nt__f"
		tail -n 25 "$nt__f"
	done
}

nt__cleanup() {
	trap - EXIT HUP INT TERM
	# the subagent first, so it does not log the master's disappearance
	for nt__p in ${NT_NUMATOPD_PID:-} $NT_TRACKED ${NT_SNMPD_PID:-} ${NT_TRAPD_PID:-}; do
		nt__terminate "$nt__p"
	done
	NT_NUMATOPD_PID='' NT_SNMPD_PID='' NT_TRAPD_PID='' NT_TRACKED=''
	nt__valgrind_check || nt__rc=1
	[ -n "${NT_DIR:-}" ] && [ -d "$NT_DIR" ] || return 0
	if [ "${NT_KEEP:-0}" = 1 ]; then
		echo "NT_KEEP=1: kept $NT_DIR" >&2
	else
		rm -rf "$NT_DIR"
	fi
}

# True in the shell itself, false in a subshell (a pipeline's last command, $(...), ( )): the
# shell opens /proc/self for read's redirection, so it names the process running the code, while
# $$ stays the main shell's pid. Without /proc: assume true.
nt__main_shell() {
	[ -r /proc/self/stat ] || return 0
	read -r nt__self </proc/self/stat || return 0
	[ "${nt__self%% *}" = "$$" ] && return 0
	echo "FAIL: $1 ran in a subshell (piped into, or inside \$(...)): the pid it starts would be lost" >&2
	return 1
}

nt_track() {
	NT_TRACKED="$NT_TRACKED $1"
}

# Time in tenths of a second, from an arbitrary origin (the deadlines of the polling loops).
nt__now() {
	if read -r nt__up </proc/uptime 2>/dev/null; then
		nt__up=${nt__up%% *}
		nt__frac=${nt__up#*.}
		echo "$(( ${nt__up%.*} * 10 + ${nt__frac%?} ))"
	else
		echo "$(($(date +%s) * 10))"
	fi
}

# nt__poll TENTHS CMD...: run CMD every 0.1 s until it succeeds (0) or TENTHS have passed (1).
nt__poll() {
	nt__deadline=$(($(nt__now) + $1 * ${NT_SLOW:-1}))
	shift
	while :; do
		"$@" && return 0
		[ "$(nt__now)" -ge "$nt__deadline" ] && return 1
		sleep 0.1
	done
}

# seconds (maybe fractional) -> tenths
nt__tenths() {
	awk -v s="$1" 'BEGIN { printf "%d\n", s * 10 + 0.5 }'
}

# ------------------------------------------------------------------ processes

# True while PID runs. A process that exited but was not reaped yet (a zombie child of this
# shell) counts as gone: kill -0 would still succeed on it.
nt_alive() {
	[ -n "${1:-}" ] || return 1
	if [ -r "/proc/$1/stat" ]; then
		nt__state=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
		[ -n "$nt__state" ] && [ "$nt__state" != Z ] && [ "$nt__state" != X ]
	else
		kill -0 "$1" 2>/dev/null
	fi
}

# SIGTERM, up to 5 s for it to go, then SIGKILL; reaps it when it is our child.
nt__terminate() {
	[ -n "${1:-}" ] || return 0
	if nt_alive "$1"; then
		kill -TERM "$1" 2>/dev/null || :
		if ! nt__poll 50 nt__gone "$1"; then
			echo "warning: pid $1 ignored SIGTERM for 5 s, sending SIGKILL" >&2
			kill -KILL "$1" 2>/dev/null || :
			nt__poll 50 nt__gone "$1" || :
		fi
	fi
	wait "$1" 2>/dev/null || :
	return 0
}

nt__gone() {
	! nt_alive "$1"
}

# nt__resolve VAR NAME: VAR (if set and non-empty) must be an executable path; otherwise look
# NAME up in PATH, /usr/sbin and /sbin. Prints the path; 1 when not found.
nt__resolve() {
	eval "nt__v=\${$1:-}"
	if [ -n "$nt__v" ]; then
		[ -x "$nt__v" ] && { echo "$nt__v"; return 0; }
		return 1
	fi
	command -v "$2" 2>/dev/null && return 0
	for nt__d in /usr/sbin /sbin /usr/local/sbin; do
		[ -x "$nt__d/$2" ] && { echo "$nt__d/$2"; return 0; }
	done
	return 1
}

nt__skip_or_fail() {
	if [ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ]; then
		echo "FAIL: $1; NUMATOPD_REQUIRE_ALL=1 does not allow skipping this test" >&2
		exit 1
	fi
	echo "SKIP: $1"
	exit 77
}

nt_need() {
	for nt__t in "$@"; do
		case $nt__t in
		snmpd)
			SNMPD=$(nt__resolve SNMPD snmpd) ||
				nt__skip_or_fail "snmpd not found (SNMPD='${SNMPD:-}'; apt-get install snmpd)"
			;;
		snmptrapd)
			SNMPTRAPD=$(nt__resolve SNMPTRAPD snmptrapd) ||
				nt__skip_or_fail "snmptrapd not found (SNMPTRAPD='${SNMPTRAPD:-}'; apt-get install snmptrapd)"
			;;
		numatopd)
			# the program under test is built by make check: missing is an error
			if [ ! -x "${NUMATOPD:-}" ]; then
				echo "FAIL: NUMATOPD='${NUMATOPD:-}' is not an executable" >&2
				exit 1
			fi
			;;
		*)
			command -v "$nt__t" >/dev/null 2>&1 ||
				nt__skip_or_fail "$nt__t not found"
			;;
		esac
	done
}

nt_need_mibs() {
	[ -r "${MIBSRC:-}/NUMA-TOPOLOGY-MIB.txt" ] || {
		echo "FAIL: MIBSRC='${MIBSRC:-}' has no NUMA-TOPOLOGY-MIB.txt" >&2
		exit 1
	}
	[ -r "${SHARED_MIBS:-}/SNMPv2-SMI.txt" ] ||
		nt__skip_or_fail "no base MIB modules in SHARED_MIBS='${SHARED_MIBS:-}'"
}

# ------------------------------------------------------------------ ports

# nt_port_busy udp|tcp PORT: is PORT bound (tcp: listening) on any local address? ss when there
# is one, else /proc/net/{udp,tcp}{,6}; neither: assume free (the starters retry on a bind failure).
nt_port_busy() {
	case $1 in
	tcp) nt__ss=-Hnlt nt__state=0A ;;
	*) nt__ss=-Hnlu nt__state= ;;
	esac
	if command -v ss >/dev/null 2>&1; then
		ss "$nt__ss" 2>/dev/null | awk -v p="$2" '
			{ n = split($4, a, ":"); if (a[n] == p) found = 1 }
			END { exit !found }'
		return
	fi
	nt__hex=$(printf '%04X' "$2")
	cat "/proc/net/$1" "/proc/net/${1}6" 2>/dev/null |
		awk -v h="$nt__hex" -v s="$nt__state" 's == "" || $4 == s {
				n = split($2, a, ":"); if (a[n] == h) found = 1 }
			END { exit !found }'
}

# A random port in 20000..60000 (from /dev/urandom: no $RANDOM in POSIX sh) not bound now.
nt_free_udp_port() {
	nt__i=0
	while [ $nt__i -lt 50 ]; do
		nt__i=$((nt__i + 1))
		nt__r=$(od -An -N2 -tu2 /dev/urandom 2>/dev/null | tr -d ' ')
		[ -n "$nt__r" ] || nt__r=$(( ($$ * 7919 + nt__i * 104729 + $(date +%s)) % 65536 ))
		nt__port=$((20000 + nt__r % 40001))
		nt_port_busy udp "$nt__port" || { echo "$nt__port"; return 0; }
	done
	echo "nt_free_udp_port: no free UDP port found" >&2
	return 1
}

# ------------------------------------------------------------------ snmpd

# The modules snmpd initialises: the system group (sysUpTime.0, the readiness probe) and
# rocommunity. AgentX master support, trap2sink and the forwarding of subagent notifications
# are core, not modules. Everything else (host resources, interfaces, disman...) only slows
# the start and reads the host.
: "${NT_SNMPD_MODULES:=system_mib,vacm_conf}"

# Write $NT_DIR/snmpd.conf. Extra lines: arguments, else stdin unless it is a terminal (an
# inherited pipe that never closes costs at most 5 s rather than a hang).
nt__write_snmpd_conf() {
	{
		echo "# written by tests/lib.sh"
		echo "master agentx"
		echo "agentXSocket $NT_AGENTX"
		echo "agentXPerms 0660 0770"
		# how long the master waits for a subagent's answer: a hung or dead subagent
		# costs at most 2 s, less than the clients' own timeout
		echo "agentXTimeout 1"
		echo "agentXRetries 1"
		echo "rocommunity public 127.0.0.1"
		echo "agentaddress udp:127.0.0.1:$NT_PORT"
		echo "dontLogTCPWrappersConnects yes"
		if [ $# -gt 0 ]; then
			printf '%s\n' "$@"
		elif [ ! -t 0 ]; then
			if command -v timeout >/dev/null 2>&1; then
				timeout 5 cat 2>/dev/null
			else
				cat 2>/dev/null
			fi
		fi
	} >"$NT_DIR/snmpd.conf.new" && mv "$NT_DIR/snmpd.conf.new" "$NT_DIR/snmpd.conf"
}

nt__snmpd_answers() {
	"$SNMPGET" -v2c -c public -t 0.2 -r 0 -m '' -On "$NT_TARGET" .1.3.6.1.2.1.1.3.0 \
		>"$NT_DIR/probe.out" 2>&1 &&
		grep -q '^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = Timeticks' "$NT_DIR/probe.out"
}

# ready: answers on UDP and the AgentX socket exists; or stop polling when it died
nt__snmpd_ready_or_dead() {
	nt_alive "$NT_SNMPD_PID" || return 0
	[ -S "$NT_DIR/agentx.sock" ] && nt__snmpd_answers
}

# One start of snmpd on $NT_PORT with the current snmpd.conf. 0 ready, 2 bind failure (try
# another port), 1 other failure.
nt__launch_snmpd() {
	rm -f "$NT_DIR/agentx.sock" "$NT_DIR/snmpd.pid"
	nt__logstart=0
	[ -f "$NT_DIR/snmpd.log" ] && nt__logstart=$(wc -l <"$NT_DIR/snmpd.log")
	"$SNMPD" -f -C -c "$NT_DIR/snmpd.conf" -A -Lf "$NT_DIR/snmpd.log" -p "$NT_DIR/snmpd.pid" \
		-m '' -I "$NT_SNMPD_MODULES" </dev/null >>"$NT_DIR/snmpd.out" 2>&1 &
	NT_SNMPD_PID=$!
	if nt__poll 100 nt__snmpd_ready_or_dead && nt_alive "$NT_SNMPD_PID"; then
		return 0
	fi
	if nt_alive "$NT_SNMPD_PID"; then
		echo "FAIL: snmpd (pid $NT_SNMPD_PID) not ready on $NT_TARGET / $NT_AGENTX after 10 s" >&2
		nt__terminate "$NT_SNMPD_PID"
		NT_SNMPD_PID=
		return 1
	fi
	wait "$NT_SNMPD_PID" 2>/dev/null || :
	NT_SNMPD_PID=
	if tail -n "+$((nt__logstart + 1))" "$NT_DIR/snmpd.log" 2>/dev/null |
		grep -q 'Error opening specified endpoint'; then
		return 2
	fi
	echo "FAIL: snmpd exited during start-up" >&2
	return 1
}

nt__snmpd_failed() {
	echo "----- $NT_DIR/snmpd.conf" >&2
	cat "$NT_DIR/snmpd.conf" >&2
	echo "----- tail of $NT_DIR/snmpd.log" >&2
	tail -n 20 "$NT_DIR/snmpd.log" >&2 2>/dev/null
	[ -s "$NT_DIR/snmpd.out" ] && { echo "----- $NT_DIR/snmpd.out" >&2; tail -n 20 "$NT_DIR/snmpd.out" >&2; }
	return 1
}

nt__snmpd_tools() {
	nt_need snmpd snmpget
	SNMPGET=$(command -v snmpget)
}

nt_start_snmpd() {
	nt__main_shell nt_start_snmpd || return 1
	if nt_alive "${NT_SNMPD_PID:-}"; then
		echo "FAIL: nt_start_snmpd: snmpd already runs (pid $NT_SNMPD_PID)" >&2
		return 1
	fi
	nt__snmpd_tools
	NT_PORT=$(nt_free_udp_port) || return 1
	nt__write_snmpd_conf "$@" || return 1
	nt__attempt=1
	while :; do
		NT_TARGET=127.0.0.1:$NT_PORT
		export NT_PORT NT_TARGET
		nt__st=0
		nt__launch_snmpd || nt__st=$?
		case $nt__st in
		0) return 0 ;;
		1) nt__snmpd_failed; return 1 ;;
		esac
		# the port was taken between the check and the bind: another one
		if [ $nt__attempt -ge 10 ]; then
			echo "FAIL: snmpd could not bind a UDP port in 10 attempts" >&2
			nt__snmpd_failed
			return 1
		fi
		nt__attempt=$((nt__attempt + 1))
		NT_PORT=$(nt_free_udp_port) || return 1
		sed "s/^agentaddress udp:127\.0\.0\.1:[0-9]*\$/agentaddress udp:127.0.0.1:$NT_PORT/" \
			"$NT_DIR/snmpd.conf" >"$NT_DIR/snmpd.conf.new" &&
			mv "$NT_DIR/snmpd.conf.new" "$NT_DIR/snmpd.conf"
	done
}

nt_stop_snmpd() {
	nt__terminate "${NT_SNMPD_PID:-}"
	NT_SNMPD_PID=
}

# The master dies without unregistering anything or removing its socket (crash test).
nt_kill9_snmpd() {
	if [ -n "${NT_SNMPD_PID:-}" ]; then
		kill -KILL "$NT_SNMPD_PID" 2>/dev/null || :
		nt__poll 50 nt__gone "$NT_SNMPD_PID" || :
		wait "$NT_SNMPD_PID" 2>/dev/null || :
	fi
	NT_SNMPD_PID=
}

# Stop (SIGTERM, or SIGKILL with -9) and start again: same config, UDP port and AgentX socket.
nt_restart_snmpd() {
	nt__main_shell nt_restart_snmpd || return 1
	if [ "${1:-}" = -9 ]; then
		nt_kill9_snmpd
	else
		nt_stop_snmpd
	fi
	nt__snmpd_tools
	if [ -z "${NT_PORT:-}" ] || [ ! -f "$NT_DIR/snmpd.conf" ]; then
		echo "FAIL: nt_restart_snmpd before nt_start_snmpd" >&2
		return 1
	fi
	nt__st=0
	nt__launch_snmpd || nt__st=$?
	case $nt__st in
	0) return 0 ;;
	2) echo "FAIL: snmpd could not bind $NT_TARGET again on restart" >&2 ;;
	esac
	nt__snmpd_failed
}

# ------------------------------------------------------------------ snmptrapd

# Trap log format ($NT_TRAPLOG, one line per notification received, SNMPv2c/v3 and informs):
#
#	TRAP <transport>\t<varbind>\t<varbind>...
#
# <transport> is snmptrapd's %b, e.g. "UDP: [127.0.0.1]:54321->[127.0.0.1]:40000"; each
# <varbind> is "<numeric OID> = <TYPE>: <value>" as snmpget -On prints it (no MIB is loaded), the
# first two being sysUpTime.0 and snmpTrapOID.0, e.g.
#	TRAP UDP: [127.0.0.1]:37538->[127.0.0.1]:40000	.1.3.6.1.2.1.1.3.0 = Timeticks: (4) 0:00:00.04	.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.8072.9999.9999.6862.0.1	.1.3.6.1.4.1.8072.9999.9999.6862.1.2.1.3.2 = Gauge32: 8
# (fields separated by one TAB). An SNMPv1 trap is "TRAP1 <transport>\t<enterprise> <generic>
# <specific>\t<varbind>...". The record is one line as long as no string value holds a newline.
# Other lines in the file are snmptrapd's own notices.
nt__write_trapd_conf() {
	{
		cat <<'EOF'
# written by tests/lib.sh
disableAuthorization yes
format2 TRAP %b\t%v\n
format1 TRAP1 %b\t%N %w %q\t%v\n
EOF
		if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi
	} >"$NT_DIR/snmptrapd.conf"
}

nt__trapd_ready_or_dead() {
	nt_alive "$NT_TRAPD_PID" || return 0
	grep -q '^NET-SNMP version' "$NT_TRAPLOG" 2>/dev/null
}

nt_start_trapd() {
	nt__main_shell nt_start_trapd || return 1
	if nt_alive "${NT_TRAPD_PID:-}"; then
		echo "FAIL: nt_start_trapd: snmptrapd already runs (pid $NT_TRAPD_PID)" >&2
		return 1
	fi
	nt_need snmptrapd
	nt__write_trapd_conf "$@"
	nt__attempt=0
	while [ $nt__attempt -lt 10 ]; do
		nt__attempt=$((nt__attempt + 1))
		NT_TRAP_PORT=$(nt_free_udp_port) || return 1
		# a fresh log each attempt: readiness is its "NET-SNMP version" line
		rm -f "$NT_TRAPLOG" "$NT_DIR/snmptrapd.pid"
		"$SNMPTRAPD" -f -C -c "$NT_DIR/snmptrapd.conf" -Lf "$NT_TRAPLOG" \
			-p "$NT_DIR/snmptrapd.pid" -m '' -On -n -X "udp:127.0.0.1:$NT_TRAP_PORT" \
			</dev/null >>"$NT_DIR/snmptrapd.out" 2>&1 &
		NT_TRAPD_PID=$!
		nt__poll 100 nt__trapd_ready_or_dead || :
		if nt_alive "$NT_TRAPD_PID"; then
			if grep -q '^NET-SNMP version' "$NT_TRAPLOG" 2>/dev/null; then
				export NT_TRAP_PORT
				return 0
			fi
			echo "FAIL: snmptrapd (pid $NT_TRAPD_PID) not ready after 10 s" >&2
			break
		fi
		wait "$NT_TRAPD_PID" 2>/dev/null || :
		NT_TRAPD_PID=
		cat "$NT_TRAPLOG" >>"$NT_DIR/snmptrapd.out" 2>/dev/null
		grep -q 'Address already in use' "$NT_TRAPLOG" 2>/dev/null || {
			echo "FAIL: snmptrapd exited during start-up" >&2
			break
		}
	done
	[ $nt__attempt -ge 10 ] && echo "FAIL: snmptrapd could not bind a UDP port in 10 attempts" >&2
	nt_stop_trapd
	echo "----- $NT_DIR/snmptrapd.out and traps.log" >&2
	tail -n 20 "$NT_DIR/snmptrapd.out" "$NT_TRAPLOG" >&2 2>/dev/null
	return 1
}

nt_stop_trapd() {
	nt__terminate "${NT_TRAPD_PID:-}"
	NT_TRAPD_PID=
}

nt_traps() {
	grep '^TRAP' "$NT_TRAPLOG" 2>/dev/null
	return 0
}

# ------------------------------------------------------------------ waiting

nt__line_in() {
	grep -E -q -- "$2" "$1" 2>/dev/null
}

# nt_wait_for_line FILE ERE TIMEOUT_S: 0 as soon as a line of FILE matches, 1 after TIMEOUT_S
# (one line on stderr says what was awaited).
nt_wait_for_line() {
	nt__poll "$(nt__tenths "$3")" nt__line_in "$1" "$2" && return 0
	echo "timed out after $3 s waiting for /$2/ in $1" >&2
	return 1
}

nt_wait_for_trap() {
	nt_wait_for_line "$NT_TRAPLOG" "^TRAP.*$1" "${2:-10}"
}

# nt_trap_re NOTIFICATION_OID VARBIND...: an ERE for the nt_traps record of that notification
# whose varbinds after sysUpTime.0 and snmpTrapOID.0 are exactly the given "OID = TYPE: value"
# strings, in order.
nt_trap_re() {
	nt__tab=$(printf '\t')
	nt__re="^TRAP [^$nt__tab]*$nt__tab$(nt_re .1.3.6.1.2.1.1.3.0) = Timeticks: \([0-9]+\) [^$nt__tab]*"
	nt__re="$nt__re$nt__tab$(nt_re ".1.3.6.1.6.3.1.1.4.1.0 = OID: $1")"
	shift
	for nt__vb in "$@"; do
		nt__re="$nt__re$nt__tab$(nt_re "$nt__vb")"
	done
	echo "$nt__re\$"
}

# ERE-quote: nt_re .1.3.6 -> \.1\.3\.6
nt_re() {
	printf '%s\n' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'
}

# ------------------------------------------------------------------ VM files

# nt_vm_xml ID NAME MEMORY EXTRA_XML: a plain <domain> file (the /etc/libvirt/qemu form) on
# stdout; uuid 3b0e4c1a-...-<ID as 12 digits>; MEMORY is GiB, or a number with its unit (256MiB);
# EXTRA_XML is one line (<vcpu>, <numatune>...) before </domain>.
nt_vm_xml() {
	nt__mem=${3%%[!0-9]*}
	nt__unit=${3#"$nt__mem"}
	printf "<domain type='kvm' id='%s'>\n  <name>%s</name>\n" "$1" "$2"
	printf "  <uuid>3b0e4c1a-0000-4000-8000-%012d</uuid>\n" "$1"
	printf "  <memory unit='%s'>%s</memory>\n  %s\n</domain>\n" "${nt__unit:-GiB}" "$nt__mem" "$4"
}

# ------------------------------------------------------------------ numatopd

nt_start_numatopd() {
	nt__main_shell nt_start_numatopd || return 1
	nt_need numatopd
	if nt_alive "${NT_NUMATOPD_PID:-}"; then
		echo "FAIL: nt_start_numatopd: numatopd already runs (pid $NT_NUMATOPD_PID)" >&2
		return 1
	fi
	# MIBS empty: like snmpd -m '', load no MIB. With the private SNMPCONFPATH, Debian's
	# "mibs :" (in /etc/snmp/snmp.conf) is not read and Net-SNMP would try its default MIB
	# list, logging a page of "Cannot find module" before numatopd's first line.
	nt__vg=
	if [ "${NUMATOPD_VALGRIND:-0}" = 1 ]; then
		nt_need valgrind
		nt__vg="valgrind --leak-check=full --error-exitcode=99 --errors-for-leak-kinds=definite"
		nt__vg="$nt__vg --log-file=$NT_DIR/valgrind.%p.log"
		# one leak inside libnetsnmp itself, named and explained in the file
		nt__vg="$nt__vg --suppressions=$TESTS_DIR/valgrind.supp"
	fi
	# shellcheck disable=SC2086 # nt__vg: the valgrind command line or nothing; NT_RUNTIME_ARG likewise
	# a fresh VM index map for each start, as on a new host, in NT_STATE_DIR (a --state-dir
	# in ARGS comes later and wins: a test of the map across restarts names its own)
	NT_STATE_N=$((${NT_STATE_N:-0} + 1))
	NT_STATE_DIR=$NT_DIR/state.$NT_STATE_N
	mkdir -p "$NT_STATE_DIR"
	MIBS='' $nt__vg "$NUMATOPD" -f -x "$NT_AGENTX" -Lf "$NT_DIR/numatopd.log" \
		--state-dir "$NT_STATE_DIR" $NT_RUNTIME_ARG "$@" \
		</dev/null >>"$NT_DIR/numatopd.out" 2>&1 &
	NT_NUMATOPD_PID=$!
	return 0
}

nt__registered_or_dead() {
	nt_alive "$NT_NUMATOPD_PID" || return 0
	"$SNMPGETNEXT" -v2c -c public -t 0.5 -r 0 -m '' -On "$NT_TARGET" \
		.1.3.6.1.4.1.8072.9999.9999.6862 >"$NT_DIR/probe.out" 2>&1 &&
		grep -q '^\.1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.6862\.' "$NT_DIR/probe.out"
}

# Polls a GETNEXT on the MIB root until the answer lies inside it (10 s).
nt_wait_numatopd_registered() {
	nt_need snmpgetnext
	SNMPGETNEXT=$(command -v snmpgetnext)
	if nt__poll 100 nt__registered_or_dead && nt_alive "$NT_NUMATOPD_PID"; then
		return 0
	fi
	if nt_alive "$NT_NUMATOPD_PID"; then
		echo "FAIL: numatopd not registered with $NT_TARGET after 10 s; last answer:" >&2
		cat "$NT_DIR/probe.out" >&2
	else
		nt__st=0
		wait "$NT_NUMATOPD_PID" 2>/dev/null || nt__st=$?
		echo "FAIL: numatopd exited with status $nt__st during start-up" >&2
		NT_NUMATOPD_PID=
	fi
	for nt__f in numatopd.out numatopd.log snmpd.log; do
		[ -s "$NT_DIR/$nt__f" ] || continue
		echo "----- tail of $NT_DIR/$nt__f" >&2
		tail -n 20 "$NT_DIR/$nt__f" >&2
	done
	return 1
}

nt_stop_numatopd() {
	nt__terminate "${NT_NUMATOPD_PID:-}"
	nt__valgrind_check || nt_fail "valgrind found errors or leaks in numatopd"
	NT_NUMATOPD_PID=
}

# nt_log_count [GREP_OPTION...] RE: how many lines of numatopd's log match RE (grep -c).
nt_log_count() {
	grep -c "$@" "$NT_DIR/numatopd.log"
}

# nt_log_at_least N RE PASS FAIL: nt_pass PASS when N or more lines of numatopd's log match RE,
# else nt_fail FAIL; both are printf formats, given the count found.
nt_log_at_least() {
	nt__n=$(nt_log_count -- "$2")
	# shellcheck disable=SC2059 # the messages are the caller's formats
	if [ "$nt__n" -ge "$1" ]; then
		nt_pass "$(printf "$3" "$nt__n")"
	else
		nt_fail "$(printf "$4" "$nt__n")"
	fi
}

# ------------------------------------------------------------------ clients

# nt_snmp CMD ARGS...: CMD -v2c -c public -t 2 -r 1 -M $NT_MIBDIRS -m SNMPv2-MIB:NUMA-TOPOLOGY-MIB
# (an explicit module list, not "+": Net-SNMP's default list names IF-MIB, HOST-RESOURCES-MIB
# and others that Debian does not ship, and each would print an error)
# [ARGS' options] $NT_TARGET [ARGS' operands]. Net-SNMP's getopt stops at the first operand, so
# the target goes between the caller's options and operands (OIDs never start with '-'); "--"
# ends the options explicitly. Options that take a separate value are recognised.
nt_snmp() {
	nt__cmd=$1
	shift
	if [ -z "${NT_TARGET:-}" ]; then
		echo "FAIL: nt_snmp before nt_start_snmpd" >&2
		return 1
	fi
	nt__n=$#
	nt__i=0
	nt__opts=1
	nt__val=0
	while [ $nt__i -lt $nt__n ]; do
		nt__a=$1
		shift
		nt__i=$((nt__i + 1))
		if [ $nt__opts = 0 ]; then
			set -- "$@" "$nt__a"
		elif [ $nt__val = 1 ]; then
			set -- "$@" "$nt__a"
			nt__val=0
		else
			case $nt__a in
			--) nt__opts=0; set -- "$@" "$NT_TARGET" ;;
			-[aAcCeEIlLmMnOPrtuvxXZTY]) nt__val=1; set -- "$@" "$nt__a" ;;
			-?*) set -- "$@" "$nt__a" ;;
			*) nt__opts=0; set -- "$@" "$NT_TARGET" "$nt__a" ;;
			esac
		fi
	done
	[ $nt__opts = 1 ] && set -- "$@" "$NT_TARGET"
	"$nt__cmd" -v2c -c public -t 2 -r 1 ${NT_MIBDIRS:+-M "$NT_MIBDIRS"} \
		-m SNMPv2-MIB:NUMA-TOPOLOGY-MIB "$@"
}

# ------------------------------------------------------------------ valgrind

# Check the valgrind logs of the numatopd runs that ended (NUMATOPD_VALGRIND=1): 1 when one
# reports an error or a definitely lost byte (the log is shown). A log is checked once (renamed
# *.done). A log without an ERROR SUMMARY (numatopd, or valgrind, killed or crashed: no test
# kills numatopd with SIGKILL, and nt__terminate does so only after SIGTERM failed) fails too:
# an unchecked run must not pass. One line per run is appended to $NUMATOPD_VALGRIND_SUMMARY
# when set (make check-valgrind's report).
nt__valgrind_check() {
	[ "${NUMATOPD_VALGRIND:-0}" = 1 ] && [ -n "${NT_DIR:-}" ] || return 0
	nt__vgrc=0
	for nt__f in "$NT_DIR"/valgrind.*.log; do
		[ -f "$nt__f" ] || continue
		nt__p=${nt__f#"$NT_DIR"/valgrind.}
		nt_alive "${nt__p%.log}" && continue
		nt__line=$(awk -v name="${NT_NAME:-test}" '
			/ERROR SUMMARY:/ { for (i = 1; i <= NF; i++) if ($i == "SUMMARY:") err = $(i + 1) }
			/definitely lost:/ { for (i = 1; i <= NF; i++) if ($i == "lost:") { dl = $(i + 1); gsub(",", "", dl) } }
			END {
				if (err == "") { print name ": no ERROR SUMMARY (killed or crashed)"; exit 1 }
				if (dl == "") dl = 0
				printf "%s: ERROR SUMMARY %s errors, definitely lost %s bytes\n", name, err, dl
				exit (err + 0 > 0 || dl + 0 > 0)
			}' "$nt__f")
		nt__st=$?
		[ -n "${NUMATOPD_VALGRIND_SUMMARY:-}" ] && echo "$nt__line" >>"$NUMATOPD_VALGRIND_SUMMARY"
		if [ $nt__st -ne 0 ]; then
			echo "FAIL: valgrind: $nt__line ($nt__f):" >&2
			cat "$nt__f" >&2
			nt__vgrc=1
		fi
		mv "$nt__f" "$nt__f.done"
	done
	return $nt__vgrc
}
