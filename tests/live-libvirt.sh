#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# live-libvirt.sh: numatopd end to end against a real libvirtd and real QEMU (TCG) guests: every
# value it serves for each guest is compared with libvirt's own view (virsh) and the QEMU threads.
#
# As root only (anything else: exit 77). It installs what it needs (libvirt-daemon-system
# libvirt-clients qemu-system-x86 numad; skipped when installed), applies the host workarounds
# of $CORPUS/libvirt-live/RECIPE.md, starts its own virtlogd and libvirtd (PIDs recorded),
# defines and starts the corpus guests, runs numatopd on /run/libvirt/qemu and /sys under a
# private snmpd, and checks each guest's numaVmTable and numaVcpuTable rows (plus the host rows
# libvirt also shows) against virsh domid/domuuid/dominfo/vcpucount/vcpupin/vcpuinfo/emulatorpin/
# numatune/dumpxml, the libvirt pid file, `info cpus` over HMP and /proc/PID/task/*/{comm,status},
# and numaVmIndex against numatopd's VM index map (the index is the VM's, not the domain id's).
# Then `virsh vcpupin --live` and `emulatorpin --live` must show in a walk within 1 s (inotify),
# and everything must still agree after libvirtd was stopped (the guests run on, numatopd keeps
# serving them) and started again (it rewrites every status file), with every index unchanged.
# Last, issue 14 section 1 on real libvirt: one guest destroyed (its defined config then has
# domain id -1) and started again (a new domain id), numatopd restarted on the same map: every
# guest keeps its numaVmIndex, and numaVmDomainId is the new `virsh domid`. The teardown (every
# exit path) stops only what the test started, by pid, and undoes the workarounds; the packages
# and libvirt's capability cache stay. `make check-live` runs it; .ci/run does so once. NT_KEEP=1
# keeps $NT_DIR (views, numatopd's rows, daemon logs).
#
# How a check is written (so the runtime checks of issue 16 are a few lines each):
#	lv_nt_row UUID >FILE         numatopd's rows of the VM: "KEY<TAB>VALUE" lines (index, the
#	                             numaVmTable columns without the numaVm prefix, vcpu.N.<numaVcpu
#	                             column>, assign.NODE.<numaVmAssign column>), read by snmpget;
#	                             vcpu.N.Effective: Affinity, or every online CPU when floating
#	lv_virsh_view DOM >FILE      libvirt's and the kernel's view: "KEY<TAB>VALUE" lines
#	lv_want VIEW >FILE           what numatopd must serve: "KEY<TAB>SOURCE<TAB>VALUE" lines; one
#	                             KEY may be expected from several sources
#	lv_compare DOM WANT NTROW    one ok line per guest, one FAIL line per disagreement
#	lv_check_all SECS            all three for every guest, until they agree or SECS passed
#	lv_nt_value UUID KEY         one value of numatopd's rows (e.g. vcpu.0.Affinity)
#	lv_wait_value UUID KEY VALUE SECS   until numatopd serves VALUE (prints the tenths it took)
#	lv_stop_libvirtd / lv_start_libvirtd   the guests run on; the teardown restarts it if needed
#	lv_ids >FILE                 per guest: NAME UUID numaVmIndex numaVmDomainId `virsh domid`
#	lv_same_index OLD NEW WHAT   every guest of NEW has the numaVmIndex OLD had (lv_ids files)
# A new column is a word in LV_VM_COLS/LV_VCPU_COLS/LV_ASSIGN_COLS plus one w(KEY, SOURCE,
# VALUE) line in lv_want; a new libvirt or /proc fact is one line in lv_virsh_view. The
# runtime checks of issue 16 would read, for example:
#	u=$(lv_virsh domuuid lab-nopin); tid=$(lv_nt_value "$u" vcpu.0.ThreadId)
#	taskset -p -c 0 "$tid" >/dev/null
#	lv_wait_value "$u" vcpu.0.AffinityVerdict narrowed 3 >/dev/null || nt_fail "..."
#	nt_wait_for_trap "$(nt_re "OID: .1.3.6.1.4.1.8072.9999.9999.6862.0.N")" 3 || nt_fail "..."
# and, in the block where libvirtd is stopped below, kill -9 of a guest's QEMU (its pid:
# lv_nt_value "$u" Pid) followed by lv_wait_value "$u" RuntimeState gone. numatopd.conf
# ($NT_DIR/numatopd.conf) takes the runtimeInterval line.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
# runtime truth is read here (lib.sh turns it off for the fixtures, whose pids are not real)
NT_RUNTIME_ARG=''
. "$TESTS_DIR/lib.sh"

if [ "$(id -u)" != 0 ]; then
	nt__skip_or_fail "needs root (installs libvirt, starts libvirtd and QEMU guests)"
fi
nt_init live-libvirt
nt_need snmpd snmptrapd snmpget snmpwalk numatopd
nt_need_mibs

TAB=$(printf '\t')
LV_SRC=${CORPUS:-$TESTS_DIR/../../shared/corpus}/libvirt-live/domains
# the persistent guests (defined, then started) and one transient guest (virsh create: no
# /etc/libvirt/qemu file). lab-kvmtest is left out: type='kvm' needs a usable /dev/kvm.
LV_GUESTS='lab-nopin lab-pinned lab-cpuset lab-guestnuma lab-huge lab-auto'
LV_TRANSIENT='lab-transient'
LV_PACKAGES='libvirt-daemon-system libvirt-clients qemu-system-x86 numad'
LV_URI=qemu:///system
LV_LOCK=/run/lock/numatopd-live-libvirt.lock
# what the teardown undoes: set as each step is taken
LV_DEFINED='' LV_STARTED='' LV_QEMU_PIDS='' LV_LIBVIRTD_PID='' LV_VIRTLOGD_PID=''
LV_KVM_MODE='' LV_HUGE_MOUNTED=0 LV_HUGE_MKDIR=0 LV_NR_HUGEPAGES='' LV_LOGS_BEFORE=''
LV_POLICY_RCD=0 LV_RUN_DIR_MADE=0
# numatopd's VM index map, kept across the numatopd restart (lib.sh gives each start a fresh one)
LV_STATE_DIR=

lv_virsh() {
	virsh -q -c "$LV_URI" "$@"
}

# time in tenths of a second (nt__now), printed as seconds
lv_secs() {
	echo "$1" | awk '{ printf "%.1f", $1 / 10 }'
}

lv_phase() {
	lv__t=$(nt__now)
	echo "# $1: $(lv_secs $((lv__t - LV_PHASE_T))) s"
	LV_PHASE_T=$lv__t
}

lv_die() {
	nt_fail "$*"
	nt_done
}

# ------------------------------------------------------------------ host set-up

lv_installed() {
	for lv__p in $LV_PACKAGES; do
		case $(dpkg-query -W -f='${Status}' "$lv__p" 2>/dev/null) in
		*" installed") ;;
		*) return 1 ;;
		esac
	done
	return 0
}

# apt-get, when something is missing. policy-rc.d (only when absent) keeps the packages'
# init scripts from starting a libvirtd or virtlogd that the test would not own.
lv_install() {
	command -v dpkg-query >/dev/null 2>&1 || lv_die "no dpkg-query: this test needs Debian or Ubuntu"
	lv_installed && return 0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
		LV_POLICY_RCD=1
	fi
	echo "# installing $LV_PACKAGES"
	lv__rc=0
	# shellcheck disable=SC2086 # one package per word
	{
		DEBIAN_FRONTEND=noninteractive apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
				$LV_PACKAGES
	} >"$NT_DIR/apt.out" 2>&1 || lv__rc=$?
	[ "$LV_POLICY_RCD" = 1 ] && rm -f /usr/sbin/policy-rc.d && LV_POLICY_RCD=0
	[ "$lv__rc" = 0 ] || { tail -n 20 "$NT_DIR/apt.out" >&2; lv_die "apt-get install failed"; }
}

# RECIPE.md W1 and W2, recorded so that the teardown undoes them.
lv_workarounds() {
	# W1: without udev /dev/kvm is root-only; libvirt's access check as libvirt-qemu then
	# disagrees with its probe and re-probes QEMU (~4 s) on every API call
	if [ -c /dev/kvm ]; then
		LV_KVM_MODE=$(stat -c '%a %G' /dev/kvm)
		if ! chgrp kvm /dev/kvm || ! chmod 0660 /dev/kvm; then
			lv_die "W1: chgrp/chmod /dev/kvm failed"
		fi
	fi
	# W2: lab-huge needs a hugetlbfs mount (libvirt looks at daemon start) and 32 free 2 MiB pages
	if ! awk '$3 == "hugetlbfs" { f = 1 } END { exit !f }' /proc/mounts; then
		[ -d /dev/hugepages ] || { mkdir /dev/hugepages && LV_HUGE_MKDIR=1; }
		mount -t hugetlbfs hugetlbfs /dev/hugepages || lv_die "W2: mount hugetlbfs failed"
		LV_HUGE_MOUNTED=1
	fi
	LV_NR_HUGEPAGES=$(cat /proc/sys/vm/nr_hugepages)
	if [ "$LV_NR_HUGEPAGES" -lt 64 ]; then
		echo 64 >/proc/sys/vm/nr_hugepages
	else
		LV_NR_HUGEPAGES=
	fi
}

# virtlogd and libvirtd as RECIPE.md section 3: foreground daemons, backgrounded, own session.
lv_start_daemons() {
	for lv__p in $(lv_pids_named libvirtd virtlogd virtqemud); do
		lv_die "a libvirt daemon this test did not start runs (pid $lv__p, $(cat "/proc/$lv__p/comm")); the test starts its own (workarounds apply at daemon start, later checks stop it): stop it first"
	done
	[ -d /run/libvirt ] || LV_RUN_DIR_MADE=1
	setsid /usr/sbin/virtlogd >"$NT_DIR/virtlogd.out" 2>&1 </dev/null 9>&- &
	LV_VIRTLOGD_PID=$!
	lv_start_libvirtd || lv_die "libvirtd did not start"
}

# libvirtd alone (again, after lv_stop_libvirtd: it reconnects to the running guests, rewrites
# their status files and removes those of guests whose QEMU died meanwhile). 1 on failure.
lv_start_libvirtd() {
	# level 3 (warnings): info would log the VNC password of lab-pinned (RECIPE.md section 9)
	LIBVIRT_LOG_OUTPUTS="3:file:$NT_DIR/libvirtd.log" setsid /usr/sbin/libvirtd \
		>>"$NT_DIR/libvirtd.out" 2>&1 </dev/null 9>&- &
	LV_LIBVIRTD_PID=$!
	# a cold QEMU capabilities probe takes ~8 s
	if ! nt__poll 600 lv_daemon_up; then
		echo "FAIL: libvirtd (pid $LV_LIBVIRTD_PID) did not answer in 60 s" >&2
		return 1
	fi
	if ! nt_alive "$LV_LIBVIRTD_PID" || [ "$(cat "/proc/$LV_LIBVIRTD_PID/comm")" != libvirtd ]; then
		echo "FAIL: libvirtd exited during start-up (or pid $LV_LIBVIRTD_PID is not it)" >&2
		LV_LIBVIRTD_PID=
		return 1
	fi
}

# libvirtd stopped (SIGTERM), the guests left running; its pid stays recorded so that the
# teardown starts it again to destroy and undefine them
lv_stop_libvirtd() {
	nt__terminate "$LV_LIBVIRTD_PID"
}

# pids of the processes whose comm is one of NAMES (no procps on a bare Debian)
lv_pids_named() {
	for lv__d in /proc/[0-9]*; do
		read -r lv__c 2>/dev/null <"$lv__d/comm" || continue
		for lv__n in "$@"; do [ "$lv__c" = "$lv__n" ] && echo "${lv__d#/proc/}"; done
	done
	return 0
}

lv_daemon_up() {
	nt_alive "$LV_LIBVIRTD_PID" || return 0
	lv_virsh version >/dev/null 2>&1
}

# The corpus guests, copied: the only change is the emulator path, which is QEMU's path on
# this machine (Debian's /usr/bin/qemu-system-x86_64, as written, on CI).
lv_start_guests() {
	lv__qemu=$(command -v qemu-system-x86_64) || lv_die "qemu-system-x86_64 not found"
	mkdir "$NT_DIR/domains"
	for lv__g in $LV_GUESTS $LV_TRANSIENT; do
		[ -r "$LV_SRC/$lv__g.xml" ] || lv_die "no $LV_SRC/$lv__g.xml (CORPUS='${CORPUS:-}')"
		if lv_virsh domuuid "$lv__g" >/dev/null 2>&1; then
			lv_die "a domain named $lv__g exists already (not made by this run; a killed earlier run leaves it: virsh destroy/undefine $lv__g)"
		fi
		sed "s|<emulator>[^<]*</emulator>|<emulator>$lv__qemu</emulator>|" \
			"$LV_SRC/$lv__g.xml" >"$NT_DIR/domains/$lv__g.xml"
	done
	for lv__g in $LV_GUESTS; do
		lv_virsh define "$NT_DIR/domains/$lv__g.xml" >/dev/null ||
			lv_die "virsh define $lv__g failed"
		LV_DEFINED="$LV_DEFINED $lv__g"
		lv_virsh start "$lv__g" >/dev/null || lv_die "virsh start $lv__g failed"
		lv_started "$lv__g"
	done
	for lv__g in $LV_TRANSIENT; do
		lv_virsh create "$NT_DIR/domains/$lv__g.xml" >/dev/null ||
			lv_die "virsh create $lv__g failed"
		lv_started "$lv__g"
	done
}

# The UUID of a guest from its status file (virsh needs libvirtd, which may be stopped).
lv_virsh_off_uuid() {
	sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' "/run/libvirt/qemu/$1.xml" 2>/dev/null | head -n 1
}

# (again after a destroy: only its new QEMU pid is added)
lv_started() {
	case " $LV_STARTED " in *" $1 "*) ;; *) LV_STARTED="$LV_STARTED $1" ;; esac
	lv__pid=$(cat "/run/libvirt/qemu/$1.pid" 2>/dev/null) || lv__pid=
	LV_QEMU_PIDS="$LV_QEMU_PIDS $1:$lv__pid"
}

# ------------------------------------------------------------------ teardown

# Only what this run started, by name and pid; then the workarounds undone.
lv_teardown() {
	lv__ok=0
	# stopped by a check (lv_stop_libvirtd): start it again, it alone can undefine
	if [ -n "$LV_LIBVIRTD_PID" ] && ! nt_alive "$LV_LIBVIRTD_PID"; then
		lv_start_libvirtd || lv__ok=1
	fi
	if [ -n "$LV_LIBVIRTD_PID" ] && nt_alive "$LV_LIBVIRTD_PID"; then
		# in parallel: a destroy takes ~1.8 s here
		lv__pids=
		for lv__g in $LV_STARTED; do
			lv_virsh destroy "$lv__g" >/dev/null 2>&1 &
			lv__pids="$lv__pids $!"
		done
		for lv__p in $lv__pids; do wait "$lv__p" || :; done
		for lv__g in $LV_DEFINED; do
			lv_virsh undefine "$lv__g" >/dev/null 2>&1 || {
				echo "teardown: virsh undefine $lv__g failed" >&2
				lv__ok=1
			}
		done
	fi
	# a QEMU that outlived destroy (or a libvirtd that died): by the pid libvirt recorded,
	# when that process is still this guest's QEMU
	for lv__e in $LV_QEMU_PIDS; do
		lv__g=${lv__e%%:*} lv__p=${lv__e#*:}
		nt_alive "$lv__p" || continue
		tr '\0' ' ' <"/proc/$lv__p/cmdline" 2>/dev/null | grep -q "guest=$lv__g," || continue
		echo "teardown: QEMU of $lv__g (pid $lv__p) still runs: SIGKILL" >&2
		kill -KILL "$lv__p" 2>/dev/null || :
		lv__ok=1
	done
	nt__terminate "$LV_LIBVIRTD_PID"
	nt__terminate "$LV_VIRTLOGD_PID"
	lv_undo_host || lv__ok=1
	LV_STARTED='' LV_DEFINED='' LV_QEMU_PIDS='' LV_LIBVIRTD_PID='' LV_VIRTLOGD_PID=''
	return $lv__ok
}

lv_undo_host() {
	lv__ok=0
	# the guests' cgroup dirs (left behind only when a QEMU died while libvirtd was down)
	for lv__g in $LV_STARTED; do
		for lv__d in /sys/fs/cgroup/*/machine/qemu-*-"$lv__g".libvirt-qemu; do
			[ -d "$lv__d" ] || continue
			for lv__c in "$lv__d"/*/; do [ -d "$lv__c" ] && rmdir "$lv__c" 2>/dev/null; done
			rmdir "$lv__d" 2>/dev/null || { echo "teardown: cannot remove $lv__d" >&2; lv__ok=1; }
		done
		lv__log=/var/log/libvirt/qemu/$lv__g.log
		case " $LV_LOGS_BEFORE " in *" $lv__log "*) ;; *) rm -f "$lv__log" ;; esac
	done
	# the "machine" partition libvirt made (empty now unless someone else's guests use it)
	for lv__d in /sys/fs/cgroup/*/machine; do
		[ -d "$lv__d" ] && rmdir "$lv__d" 2>/dev/null
	done
	if [ -n "$LV_NR_HUGEPAGES" ]; then
		echo "$LV_NR_HUGEPAGES" >/proc/sys/vm/nr_hugepages || lv__ok=1
		LV_NR_HUGEPAGES=
	fi
	if [ "$LV_HUGE_MOUNTED" = 1 ]; then
		umount /dev/hugepages || { echo "teardown: umount /dev/hugepages failed" >&2; lv__ok=1; }
		LV_HUGE_MOUNTED=0
	fi
	[ "$LV_HUGE_MKDIR" = 1 ] && rmdir /dev/hugepages 2>/dev/null && LV_HUGE_MKDIR=0
	if [ -n "$LV_KVM_MODE" ]; then
		chgrp "${LV_KVM_MODE#* }" /dev/kvm && chmod "${LV_KVM_MODE%% *}" /dev/kvm || lv__ok=1
		LV_KVM_MODE=
	fi
	[ "$LV_POLICY_RCD" = 1 ] && rm -f /usr/sbin/policy-rc.d
	# /run/libvirt (sockets, pid files, empty state dirs) when our daemons made it
	if [ "$LV_RUN_DIR_MADE" = 1 ] && [ -z "$(lv_pids_named libvirtd virtlogd virtqemud)" ]; then
		rm -rf /run/libvirt
		LV_RUN_DIR_MADE=0
	fi
	return $lv__ok
}

# ------------------------------------------------------------------ numatopd's view

# column names of the two tables, as lv_nt_row prints them
LV_VM_COLS='DomainId Name Uuid DisplayName State Pid Vcpus VcpusMax Memory Placement Nodes MemMode
RemoteVcpus HugepageSize EmulatorCpus'
LV_VCPU_COLS='Affinity Node GuestCell Remote ThreadId'
LV_ASSIGN_COLS='Vcpus VcpusSpanning Memory MemSpanning'
LV_NODES=$(for lv__d in /sys/devices/system/node/node[0-9]*; do echo "${lv__d##*node}"; done |
	sort -n | tr '\n' ' ')

# numaVmIndex of the row whose numaVmUuid is UUID (empty when none)
lv_nt_index() {
	nt_snmp snmpwalk -OQs numaVmUuid 2>/dev/null |
		awk -v u="$1" '$3 == u { sub(/^numaVmUuid\./, "", $1); print $1; exit }'
}

# the index numatopd's VM index map ($LV_STATE_DIR/vm-index: "INDEX UUID LAST_SEEN" lines under
# a header) holds for UUID (empty when none)
lv_map_index() {
	awk -v u="$1" 'NR > 1 && $2 == u { print $1; exit }' "$LV_STATE_DIR/vm-index" 2>/dev/null
}

# one line per started guest: NAME UUID numaVmIndex numaVmDomainId `virsh domid`
lv_ids() {
	for lv__g in $LV_STARTED; do
		lv__u=$(lv_virsh domuuid "$lv__g")
		echo "$lv__g $lv__u $(lv_nt_value "$lv__u" index) $(lv_nt_value "$lv__u" DomainId)" \
			"$(lv_virsh domid "$lv__g")"
	done
}

# lv_same_index BEFORE AFTER WHAT: each guest of AFTER (lv_ids lines) has the numaVmIndex BEFORE
# gave its UUID
lv_same_index() {
	lv__out=$(awk 'NR == FNR { idx[$2] = $3; next }
		{ n++; if ($3 == "" || idx[$2] != $3) { print "- " $1 " (" $2 "): numaVmIndex \"" idx[$2] "\" before, \"" $3 "\" after"; bad++ } }
		END { print "# " n + 0 " " bad + 0 }' "$1" "$2")
	lv__sum=$(echo "$lv__out" | sed -n 's/^# //p')
	if [ "${lv__sum% *}" -gt 0 ] && [ "${lv__sum#* }" = 0 ]; then
		nt_pass "$3: the same numaVmIndex for all ${lv__sum% *} guests"
	else
		nt_fail "$3: numaVmIndex changed for ${lv__sum#* } of ${lv__sum% *} guests:"
		echo "$lv__out" | grep '^- ' >&2
	fi
}

# numatopd's rows of the VM with this UUID, by snmpget: KEY<TAB>VALUE, KEY the column name
# without its table prefix: index, Name..., vcpu.N.Affinity..., assign.NODE.Memory..., and
# vcpu.rows, assign.rows (how many rows the tables have for the VM)
lv_nt_row() {
	lv__i=$(lv_nt_index "$1")
	[ -n "$lv__i" ] || return 1
	lv__oids=
	for lv__c in $LV_VM_COLS; do lv__oids="$lv__oids numaVm$lv__c.$lv__i"; done
	lv__max=$(nt_snmp snmpget -OqvU "numaVmVcpusMax.$lv__i" 2>/dev/null)
	lv__v=0
	while [ "$lv__v" -lt "${lv__max:-0}" ]; do
		for lv__c in $LV_VCPU_COLS; do lv__oids="$lv__oids numaVcpu$lv__c.$lv__i.$lv__v"; done
		lv__v=$((lv__v + 1))
	done
	for lv__n in $LV_NODES; do
		for lv__c in $LV_ASSIGN_COLS; do lv__oids="$lv__oids numaVmAssign$lv__c.$lv__i.$lv__n"; done
	done
	printf 'index\t%s\n' "$lv__i"
	# shellcheck disable=SC2086 # one OID per word
	nt_snmp snmpget -OQsU $lv__oids 2>/dev/null | awk -v online="$(cat /sys/devices/system/cpu/online)" '
		/No Such (Instance|Object)/ { next }
		{
			k = $1; v = $0; sub(/^[^ ]* = ?/, "", v)
			n = split(k, p, ".")
			if (n == 2) { sub(/^numaVm/, "", p[1]); print p[1] "\t" v; next }
			if (sub(/^numaVmAssign/, "", p[1])) { print "assign." p[3] "." p[1] "\t" v; node[p[3]] = 1; next }
			sub(/^numaVcpu/, "", p[1])
			print "vcpu." p[3] "." p[1] "\t" v; seen[p[3]] = 1
			if (p[1] == "Affinity") print "vcpu." p[3] ".Effective\t" (v == "" ? online : v)
		}
		END {
			for (c in seen) nv++; print "vcpu.rows\t" nv + 0
			for (c in node) nn++; print "assign.rows\t" nn + 0
		}'
}

# one value of numatopd's row for UUID, by one snmpget (the derived keys: the whole row)
lv_nt_value() {
	case $2 in
	*.Effective | *.rows)
		lv_nt_row "$1" | awk -F "$TAB" -v k="$2" '$1 == k { print $2; f = 1 } END { exit !f }'
		return
		;;
	esac
	lv__i=$(lv_nt_index "$1")
	[ -n "$lv__i" ] || return 1
	case $2 in
	vcpu.*) lv__k=${2#vcpu.} lv__o=numaVcpu${lv__k#*.}.$lv__i.${lv__k%%.*} ;;
	assign.*) lv__k=${2#assign.} lv__o=numaVmAssign${lv__k#*.}.$lv__i.${lv__k%%.*} ;;
	index) echo "$lv__i"; return 0 ;;
	*) lv__o=numaVm$2.$lv__i ;;
	esac
	nt_snmp snmpget -OQsU "$lv__o" 2>/dev/null |
		awk '/No Such (Instance|Object)/ { exit 1 } { sub(/^[^ ]* = ?/, ""); print }'
}

lv__value_is() {
	[ "$(lv_nt_value "$1" "$2")" = "$3" ]
}

# lv_wait_value UUID KEY VALUE SECS: 0 as soon as numatopd serves VALUE; prints the tenths of
# a second it took
lv_wait_value() {
	lv__t0=$(nt__now)
	nt__poll "$(nt__tenths "$4")" lv__value_is "$1" "$2" "$3" || return 1
	echo $(($(nt__now) - lv__t0))
}

# ------------------------------------------------------------------ libvirt's view

# canonical kernel list format of a CPU or node list ("0,1,3" -> "0-1,3")
LV_AWK_LISTS='
function expand(s, set,    n, i, a, r, j) {
	n = split(s, a, ","); for (i = 1; i <= n; i++) {
		if (a[i] == "") continue
		if (split(a[i], r, "-") == 2) { for (j = r[1] + 0; j <= r[2] + 0; j++) set[j] = 1 }
		else set[a[i] + 0] = 1
	}
}
function canon(s,    set, k, m, out, lo, i) {
	split("", set); expand(s, set); m = -1
	for (k in set) if (k + 0 > m) m = k + 0
	out = ""; lo = -1
	for (i = 0; i <= m + 1; i++) {
		if ((i in set) && lo < 0) lo = i
		if (!(i in set) && lo >= 0) {
			out = out (out == "" ? "" : ",") (lo == i - 1 ? lo : lo "-" (i - 1)); lo = -1
		}
	}
	return out
}
'

# libvirt's and the kernel's view of guest DOM: KEY<TAB>VALUE lines
lv_virsh_view() {
	lv__d=$1
	lv__pid=$(cat "/run/libvirt/qemu/$lv__d.pid" 2>/dev/null)
	printf 'uuid\t%s\n' "$(lv_virsh domuuid "$lv__d")"
	printf 'id\t%s\n' "$(lv_virsh domid "$lv__d")"
	# the index is the one numatopd's map gives the UUID (issue 14: not the domain id)
	printf 'map.index\t%s\n' "$(lv_map_index "$(lv_virsh domuuid "$lv__d")")"
	printf 'name\t%s\n' "$(lv_virsh domname "$(lv_virsh domuuid "$lv__d")")"
	printf 'vcpus.max\t%s\n' "$(lv_virsh vcpucount "$lv__d" --maximum --live)"
	printf 'vcpus.current\t%s\n' "$(lv_virsh vcpucount "$lv__d" --current --live)"
	printf 'pid\t%s\n' "$lv__pid"
	# the pid file names this guest's QEMU
	tr '\0' ' ' <"/proc/$lv__pid/cmdline" 2>/dev/null | grep -q "guest=$lv__d," &&
		printf 'pid.qemu\t%s\n' "$lv__pid"
	printf 'online\t%s\n' "$(cat /sys/devices/system/cpu/online)"
	for lv__n in /sys/devices/system/node/node[0-9]*; do
		printf 'nodecpus.%s\t%s\n' "${lv__n##*node}" "$(cat "$lv__n/cpulist")"
	done
	lv_virsh dominfo "$lv__d" | awk -F ': *' '
		$1 == "State" { s = $2; gsub(/ /, "", s); sub(/^inshutdown$/, "shutdown", s); print "state\t" s }
		$1 == "CPU(s)" { print "dominfo.vcpus\t" $2 }
		$1 == "Max memory" { split($2, a, " "); printf "memory\t%.0f\n", a[1] * 1024 }'
	lv_virsh vcpupin "$lv__d" | awk '$1 ~ /^[0-9]+$/ { print "vcpupin." $1 "\t" $2 }'
	lv_virsh vcpuinfo "$lv__d" | awk -F ': *' '
		$1 == "VCPU" { v = $2; print "online." v "\t1" }
		$1 == "CPU" { print "vcpuinfo." v ".cpu\t" $2 }
		$1 == "CPU Affinity" {
			s = ""; for (i = 1; i <= length($2); i++) if (substr($2, i, 1) == "y") s = s (s == "" ? "" : ",") i - 1
			print "vcpuinfo." v ".affinity\t" s
		}'
	# virsh -q prints only the list (without -q: "       *: LIST" under a header)
	lv_virsh emulatorpin "$lv__d" | awk '{ sub(/^.*\*: */, ""); if ($0 != "") v = $0 }
		END { print "emulatorpin\t" v }'
	lv_virsh numatune "$lv__d" | awk -F ' *: *' '{ print "numatune." $1 "\t" $2 }'
	lv_xml_view "$lv__d"
	lv_virsh qemu-monitor-command "$lv__d" --hmp 'info cpus' |
		sed -n 's/^[* ]*CPU #\([0-9]*\): thread_id=\([0-9]*\).*/hmp.\1.tid\t\2/p'
	# the nodes holding the QEMU's pages (runtime truth: numatopd has an assignment row for
	# each node the VM has resident memory on, configured there or not)
	awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^N[0-9]+=[1-9]/) { n = $i; sub(/^N/, "", n);
		sub(/=.*/, "", n); r[n] = 1 } } END { for (n in r) print "proc.resident." n "\t1" }' \
		"/proc/$lv__pid/numa_maps" 2>/dev/null
	for lv__t in /proc/"$lv__pid"/task/*; do
		lv__c=$(cat "$lv__t/comm" 2>/dev/null) || continue
		case $lv__c in
		"CPU "*/TCG | "CPU "*/KVM)
			lv__v=${lv__c#CPU } lv__v=${lv__v%/*}
			printf 'proc.%s.tid\t%s\n' "$lv__v" "${lv__t##*/}"
			printf 'proc.%s.cpus\t%s\n' "$lv__v" \
				"$(awk '$1 == "Cpus_allowed_list:" { print $2 }' "$lv__t/status")"
			;;
		esac
	done
}

# What the live XML says that virsh's commands do not: whether each vCPU and the emulator are
# pinned at all (virsh shows a floating one as every CPU), guest cells, memnodes, hugepages.
lv_xml_view() {
	lv_virsh dumpxml "$1" >"$NT_DIR/dumpxml.$1" || return 0
	lv_virsh dumpxml "$1" --xpath '/domain/vcpu | /domain/cputune/* | /domain/cpu/numa/cell |
		/domain/numatune/memnode | /domain/memoryBacking/hugepages | /domain/memoryBacking/hugepages/page |
		/domain/metadata/*' 2>/dev/null | awk '
		function attr(n,    r) {
			r = " " n "=\""; if (!index($0, r)) return ""
			r = substr($0, index($0, r) + length(r)); return substr(r, 1, index(r, "\"") - 1)
		}
		function kib(v, u) {
			if (u ~ /^[Mm]/) return v * 1024
			if (u ~ /^[Gg]/) return v * 1048576
			if (u ~ /^b/) return v / 1024
			return v
		}
		/^<vcpu[ >]/ { print "xml.vcpu.cpuset\t" attr("cpuset"); print "xml.vcpu.placement\t" attr("placement") }
		/^<vcpupin / { print "xml.vcpupin." attr("vcpu") "\t" attr("cpuset") }
		/^<emulatorpin / { print "xml.emulatorpin\t" attr("cpuset") }
		/^<cell / { print "xml.cell." attr("id") ".cpus\t" attr("cpus"); print "xml.cells\t1"
			printf "xml.cell.%s.kib\t%.0f\n", attr("id"), kib(attr("memory"), attr("unit")) }
		/^<memnode / { print "xml.memnode." attr("cellid") ".mode\t" attr("mode")
			print "xml.memnode." attr("cellid") ".nodeset\t" attr("nodeset") }
		/^<hugepages/ { print "xml.hugepages\t1" }
		/^<page / { np++; printf "xml.page.%d.kib\t%.0f\n", np, kib(attr("size"), attr("unit"))
			print "xml.page." np ".cells\t" attr("nodeset") }
		/^<[a-z]*:instance/ { print "xml.nova\t1" }'
}

# lv_want VIEW: what numatopd must serve for the guest, KEY<TAB>SOURCE<TAB>VALUE (one KEY may
# come from several sources). Values libvirt shows are taken as they are; the derived columns
# follow the README's rules R2-R10 from libvirt's values. SOURCE "-": not a column, only for
# the node sums (lv_check_nodes). Memory devices (R4) are not modelled: no corpus guest has one.
lv_want() {
	awk -F "$TAB" "$LV_AWK_LISTS"'
		function w(k, src, v) { printf "%s\t%s\t%s\n", k, src, v }
		function count(list,    set, k, n) { split("", set); expand(list, set); n = 0; for (k in set) n++; return n }
		function has(list, x,    set) { split("", set); expand(list, set); return (x in set) }
		{ V[$1] = $2 }
		$1 ~ /^nodecpus\./ { n = substr($1, 10); split("", s); expand($2, s); for (c in s) cpunode[c] = n }
		END {
			w("index", "numatopd vm-index map", V["map.index"])
			w("DomainId", "virsh domid", V["id"])
			w("Name", "virsh domname", V["name"]); w("Uuid", "virsh domuuid", V["uuid"])
			w("DisplayName", "dumpxml <metadata>", ("xml.nova" in V) ? "?" : "")
			w("State", "virsh dominfo", V["state"]); w("Pid", "libvirt pid file", V["pid"])
			w("Pid", "/proc/PID/cmdline guest=", V["pid.qemu"])
			w("Vcpus", "virsh dominfo", V["dominfo.vcpus"]); w("Vcpus", "vcpucount --current --live", V["vcpus.current"])
			w("VcpusMax", "vcpucount --maximum --live", V["vcpus.max"])
			w("Memory", "virsh dominfo", V["memory"])
			auto = V["xml.vcpu.placement"] == "auto"
			emu = ("xml.emulatorpin" in V) || V["xml.vcpu.cpuset"] != "" || auto
			w("EmulatorCpus", "virsh emulatorpin + dumpxml", emu ? canon(V["emulatorpin"]) : "")
			cells(); vcpus(); assign(); placement()
		}
		# guest cells (R4, R5, R8): the dumpxml ones, else one implicit cell 0 holding every
		# vCPU and all memory; each with its binding, memory and hugepage size
		function cells(    k, x, c, modes, mode, p, hp) {
			for (k in V) if (k ~ /^xml\.cell\.[0-9]+\.cpus$/) { split(k, x, "."); cell[x[3]] = V[k]; ncell++ }
			implicit = ncell == 0
			if (implicit) { cell[0] = ""; ncell = 1 }
			gmode = V["numatune.numa_mode"]; gset = V["numatune.numa_nodeset"]; hp = 0
			for (c in cell) {
				if (("xml.memnode." c ".mode") in V) { cmode[c] = V["xml.memnode." c ".mode"]; cset[c] = V["xml.memnode." c ".nodeset"] }
				else if (gset != "") { cmode[c] = gmode; cset[c] = gset }
				else { cmode[c] = "none"; cset[c] = "" }
				modes = modes " " cmode[c]
				cmem[c] = implicit ? V["memory"] : V["xml.cell." c ".kib"] * 1024
				csize[c] = 0
				if ("xml.hugepages" in V) {
					# <hugepages/> alone: the default size; with pages, only the pages apply
					csize[c] = ("xml.page.1.kib" in V) ? 0 : 2048
					for (p = 1; ("xml.page." p ".kib") in V; p++)
						if (V["xml.page." p ".cells"] == "" || has(V["xml.page." p ".cells"], c)) csize[c] = V["xml.page." p ".kib"]
				}
				if (csize[c] > hp) hp = csize[c]
			}
			split(modes, x, " "); mode = x[1]; for (k in x) if (x[k] != mode) mode = "mixed"
			w("MemMode", "virsh numatune + dumpxml <memnode>", mode)
			w("HugepageSize", "dumpxml <hugepages>", hp)
		}
		# online vCPUs (R1-R3, R7): the ids vcpuinfo lists
		function vcpus(    k, v, pinned, aff, c, cc, x, r, remote) {
			for (k in V) if (k ~ /^online\./) {
				v = substr(k, 8); nvcpu++
				pinned = (("xml.vcpupin." v) in V) || V["xml.vcpu.cpuset"] != "" || auto
				aff = canon(V["vcpupin." v])
				w("vcpu." v ".Affinity", "virsh vcpupin + dumpxml", pinned ? aff : "")
				w("vcpu." v ".Effective", "virsh vcpupin", aff)
				w("vcpu." v ".Effective", "virsh vcpuinfo", canon(V["vcpuinfo." v ".affinity"]))
				w("vcpu." v ".Effective", "/proc/TID/status Cpus_allowed_list", canon(V["proc." v ".cpus"]))
				w("vcpu." v ".ThreadId", "HMP info cpus", V["hmp." v ".tid"])
				w("vcpu." v ".ThreadId", "/proc/PID/task/TID/comm", V["proc." v ".tid"])
				split("", vn); if (pinned) { split("", x); expand(aff, x); for (c in x) vn[cpunode[c]] = 1 }
				k = 0; for (c in vn) { k++; node = c }
				if (k == 1) avcpus[node]++; else for (c in vn) { avcpusspan[c]++; spans = 1 }
				if (k == 0) floating++
				w("vcpu." v ".Node", "virsh vcpupin + sysfs node cpulist", k == 1 ? node : -1)
				c = -1; for (cc in cell) if (has(cell[cc], v)) c = cc
				if (implicit) c = 0
				w("vcpu." v ".GuestCell", "dumpxml <cell cpus>", c)
				r = k == 1 && c != -1 && cset[c] != "" && !has(cset[c], node) ? "true" : "false"
				if (r == "true") remote++
				w("vcpu." v ".Remote", "vcpu node vs cell nodeset", r)
			}
			w("vcpu.rows", "virsh vcpuinfo", nvcpu)
			w("RemoteVcpus", "vcpu nodes vs cell nodesets", remote + 0)
		}
		# what the VM takes of each node (R6, R8; numaVmAssignTable)
		function assign(    c, k, i, n, share, rem, nodes, key, set, b, kp, s) {
			for (c in cell) {
				if (cset[c] == "") { unbound++; continue }
				k = count(cset[c]); if (k > 1) spans = 1
				share = int(cmem[c] / k); rem = cmem[c] - share * k
				split("", set); expand(cset[c], set); i = 0
				for (n = 0; n <= 1023; n++) if (n in set) {
					b = share + (i++ < rem ? 1 : 0)
					amem[n] += b; if (k > 1) amemspan[n] += b; onnode[n] = 1
					if (csize[c] > 0) hbytes[n, csize[c]] += b
				}
			}
			for (n in avcpus) onnode[n] = 1
			for (n in avcpusspan) onnode[n] = 1
			nodes = ""
			for (n in onnode) {
				nodes = nodes "," n; nnode++
				w("assign." n ".Vcpus", "vcpu nodes", avcpus[n] + 0)
				w("assign." n ".VcpusSpanning", "vcpu nodes", avcpusspan[n] + 0)
				w("assign." n ".Memory", "cell memory and nodesets", amem[n] + 0)
				w("assign." n ".MemSpanning", "cell memory and nodesets", amemspan[n] + 0)
			}
			for (key in hbytes) {
				split(key, kp, SUBSEP); s = kp[2] * 1024
				w("hugedemand." kp[1] "." kp[2], "-", int((hbytes[key] + s - 1) / s))
			}
			for (k in V)
				if (k ~ /^proc\.resident\./ && !(substr(k, 15) in onnode))
					nnode++
			w("assign.rows", "nodes with vCPUs or memory, configured or resident", nnode + 0)
			w("Nodes", "virsh vcpupin + numatune nodesets", canon(nodes))
		}
		function placement(    p) {
			if (spans) p = "spanning"
			else if (floating == nvcpu && unbound == ncell) p = "floating"
			else if (floating > 0 || unbound > 0) p = "partial"
			else if (nnode == 1) p = "local"
			else p = "multinode"
			w("Placement", "rule R10 on the above", p)
		}' "$1"
}

# lv_compare DOM WANT NTROW: one ok line for the guest, one FAIL line per disagreement
lv_compare() {
	lv__out=$(awk -F "$TAB" '
		NR == FNR { got[$1] = $2; have[$1] = 1; next }
		$2 == "-" { next }
		{
			n++
			if (!($1 in have)) { print "- " $1 ": numatopd has no value, " $2 " says \"" $3 "\""; bad++ }
			else if (got[$1] != $3) { print "- " $1 ": numatopd \"" got[$1] "\", " $2 " \"" $3 "\""; bad++ }
		}
		END { print "# " n " " bad + 0 }' "$3" "$2")
	lv__sum=$(echo "$lv__out" | sed -n 's/^# //p')
	if [ "${lv__sum#* }" = 0 ]; then
		nt_pass "$1: numatopd agrees with libvirt and /proc on ${lv__sum% *} values"
	else
		nt_fail "$1: numatopd disagrees with libvirt on ${lv__sum#* } of ${lv__sum% *} values:"
		echo "$lv__out" | grep '^- ' >&2
	fi
}

# lv_fetch DOM: both views of the guest and what numatopd must serve, into $NT_DIR/{view,nt,
# want}.DOM; 1 when numatopd has no row for it
lv_fetch() {
	lv__u=$(lv_virsh domuuid "$1")
	lv_virsh_view "$1" >"$NT_DIR/view.$1" 2>"$NT_DIR/view.$1.err"
	lv_want "$NT_DIR/view.$1" >"$NT_DIR/want.$1"
	lv_nt_row "$lv__u" >"$NT_DIR/nt.$1"
}

# 0 when numatopd's row agrees with every expected value (no output)
lv_agrees() {
	awk -F "$TAB" 'NR == FNR { got[$1] = $2; have[$1] = 1; next }
		$2 != "-" && (!($1 in have) || got[$1] != $3) { bad = 1 } END { exit bad }' "$NT_DIR/nt.$1" "$NT_DIR/want.$1"
}

lv__all_agree() {
	lv__st=0
	for lv__g in $LV_STARTED; do
		lv_fetch "$lv__g" && lv_agrees "$lv__g" || lv__st=1
	done
	return $lv__st
}

# lv_check_all SECS: every guest, fetched again until all agree (status files are rewritten
# several times per start, each followed by a rebuild) or SECS passed; then one ok line per
# guest, or one FAIL line per disagreement, from the last fetch
lv_check_all() {
	nt__poll "$(nt__tenths "$1")" lv__all_agree || :
	for lv__g in $LV_STARTED; do
		if [ -s "$NT_DIR/nt.$lv__g" ]; then
			lv_compare "$lv__g" "$NT_DIR/want.$lv__g" "$NT_DIR/nt.$lv__g"
		else
			nt_fail "$lv__g: numatopd has no numaVmTable row with numaVmUuid $(lv_virsh domuuid "$lv__g")"
		fi
	done
}

# ------------------------------------------------------------------ host rows

lv_check_host() {
	lv_host_value numaNodeCount.0 \
		"$(lv_virsh nodeinfo | awk -F ': *' '$1 == "NUMA cell(s)" { print $2 }')" "virsh nodeinfo NUMA cells"
	lv_host_value numaVmCount.0 "$(lv_virsh list --name | grep -c .)" "virsh list (active domains)"
	lv_virsh capabilities | awk '
		/<cell id=/ { c = $0; sub(/.*<cell id=./, "", c); sub(/[^0-9].*/, "", c) }
		/<memory unit=.KiB.>/ && c != "" { m = $0; gsub(/[^0-9]/, "", m); mem[c] = m }
		/<pages unit=.KiB. size=.2048.>/ && c != "" { p = $0; sub(/^[^>]*>/, "", p); sub(/<.*/, "", p); pages[c] = p }
		/<cpu id=/ && c != "" { i = $0; sub(/.*<cpu id=./, "", i); sub(/[^0-9].*/, "", i); cpus[c] = cpus[c] "," i }
		END { for (c in cpus) print c, mem[c], pages[c], cpus[c] }' >"$NT_DIR/caps.cells"
	while read -r lv__n lv__mem lv__pages lv__cpus; do
		lv__cpus=$(echo "$lv__cpus" | awk "$LV_AWK_LISTS"'{ print canon($0) }')
		lv_host_value "numaNodeCpuList.$lv__n" "$lv__cpus" "virsh capabilities cell cpus"
		lv_host_value "numaNodeMemCapacity.$lv__n" "$((lv__mem * 1024))" "virsh capabilities cell memory"
		lv_host_value "numaHugepageTotal.$lv__n.2048" "$lv__pages" "virsh capabilities cell pages 2048 KiB"
		lv__free=$(lv_virsh freepages --cellno "$lv__n" --pagesize 2048 | awk '{ print $2 }')
		lv_host_value "numaHugepageFree.$lv__n.2048" "$lv__free" "virsh freepages"
	done <"$NT_DIR/caps.cells"
}

# The node sums (R9) of every guest's expected assignment and hugepage demand: the status files
# numatopd reads are this run's guests only (the test refuses to share a libvirtd).
lv_check_nodes() {
	cat "$NT_DIR"/want.* | awk -F "$TAB" -v nodes="$LV_NODES" '
		$1 ~ /^hugedemand\./ { split($1, k, "."); hd[k[2] "." k[3]] += $3 }
		$1 ~ /^assign\.[0-9]+\./ { split($1, k, "."); sum[k[2], k[3]] += $3; if (k[3] == "Memory") vms[k[2]]++ }
		END {
			n = split(nodes, nd, " ")
			for (i = 1; i <= n; i++) {
				d = nd[i]
				print "numaNodeVcpusBound." d, sum[d, "Vcpus"] + 0
				print "numaNodeVcpusSpanning." d, sum[d, "VcpusSpanning"] + 0
				print "numaNodeMemUsed." d, sum[d, "Memory"] + 0
				print "numaNodeMemSpanning." d, sum[d, "MemSpanning"] + 0
				print "numaNodeVmCount." d, vms[d] + 0
				if (!((d ".2048") in hd)) hd[d ".2048"] = 0
			}
			for (key in hd) print "numaHugepageVmDemand." key, hd[key]
		}' >"$NT_DIR/node.sums"
	[ -s "$NT_DIR/node.sums" ] || nt_fail "no node sums computed from $NT_DIR/want.*"
	while read -r lv__oid lv__v; do
		lv_host_value "$lv__oid" "$lv__v" "the sum over the guests"
	done <"$NT_DIR/node.sums"
}

lv_host_value() {
	lv__got=$(nt_snmp snmpget -OqvU "$1" 2>&1)
	if [ "$lv__got" = "$2" ]; then
		nt_pass "$1 $lv__got = $3"
	else
		nt_fail "$1 is \"$lv__got\", $3 says \"$2\""
	fi
}

# ------------------------------------------------------------------ restarts (issue 14 section 1)

# numatopd on the status files, with the VM index map in $LV_STATE_DIR (kept across restarts)
lv_start_numatopd() {
	nt_start_numatopd -c "$NT_DIR/numatopd.conf" --libvirt-xml-dir /run/libvirt/qemu \
		--sysfs-root /sys --state-dir "$LV_STATE_DIR" && nt_wait_numatopd_registered
}

# lv_restart_guest DOM: virsh destroy (its row must go; shut off, it is checked by
# lv_check_shutoff), then virsh start: a new domain id
lv_restart_guest() {
	lv__u=$(lv_virsh domuuid "$1")
	lv_virsh destroy "$1" >/dev/null || lv_die "virsh destroy $1 failed"
	# its status file is gone, so is its row (inotify); the map keeps the UUID's index
	nt__poll 50 lv__no_row "$lv__u" && nt_pass "virsh destroy $1: its numaVmTable row is gone" ||
		nt_fail "virsh destroy $1: numatopd still serves a row for $lv__u after 5 s"
	lv_check_shutoff "$1" "$lv__u"
	lv_virsh start "$1" >/dev/null || lv_die "virsh start $1 failed"
	lv_started "$1"
}

# 0 when numatopd serves no row for UUID
lv__no_row() {
	[ -z "$(lv_nt_index "$1")" ]
}

# lv_check_shutoff DOM UUID: shut off, the guest is only a defined config in /etc/libvirt/qemu;
# numatopd reading that directory serves it with numaVmDomainId -1 and the map's index (--dump:
# one build; it reads the map and never writes it).
lv_check_shutoff() {
	MIBS='' "$NUMATOPD" --dump=json -c "$NT_DIR/numatopd.conf" --sysfs-root /sys \
		--libvirt-xml-dir /etc/libvirt/qemu --state-dir "$LV_STATE_DIR" \
		>"$NT_DIR/dump-etc.json" 2>"$NT_DIR/dump-etc.err" ||
		nt_fail "numatopd --dump on /etc/libvirt/qemu failed: $(tail -n 1 "$NT_DIR/dump-etc.err")"
	lv__row=$(grep -o "{\"index\":[0-9]*,\"domain_id\":-*[0-9]*,[^{}]*\"uuid\":\"$2\"" "$NT_DIR/dump-etc.json")
	lv__i=$(echo "$lv__row" | sed -n 's/^{"index":\([0-9]*\),.*/\1/p')
	lv__id=$(echo "$lv__row" | sed -n 's/.*"domain_id":\(-*[0-9]*\),.*/\1/p')
	echo "# $1 shut off, its /etc/libvirt/qemu config in numatopd --dump: index $lv__i domain_id $lv__id (virsh domid: $(lv_virsh domid "$1"))"
	if [ "$lv__id" = -1 ] && [ -n "$lv__i" ] && [ "$lv__i" = "$(lv_map_index "$2")" ]; then
		nt_pass "$1 shut off: numaVmDomainId -1 and the map's numaVmIndex $lv__i (--dump of /etc/libvirt/qemu)"
	else
		nt_fail "$1 shut off: --dump of /etc/libvirt/qemu gives index \"$lv__i\" domain_id \"$lv__id\", want the map's \"$(lv_map_index "$2")\" and -1"
	fi
}

# lv_restart_field FILE N: field N of the restarted guest's line in an lv_ids file
lv_restart_field() {
	awk -v g="$LV_RESTART" -v f="$2" '$1 == g { print $f }' "$1"
}

# ------------------------------------------------------------------ the test

# one run at a time on a machine: a second one waits (libvirtd, the guests' names and /dev/kvm
# are machine-wide); the daemons are started without fd 9, so the lock goes with this shell
mkdir -p "${LV_LOCK%/*}" && exec 9>"$LV_LOCK" || lv_die "cannot open $LV_LOCK"
flock -w 900 9 || lv_die "another live-libvirt run held $LV_LOCK for 15 minutes"
# shellcheck disable=SC2154 # nt__rc is assigned in the trap itself
trap 'nt__rc=$?; lv_teardown || nt__rc=1; nt__cleanup; exit $nt__rc' EXIT
LV_T0=$(nt__now) LV_PHASE_T=$LV_T0
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] ||
	lv_die "the corpus guests pin to host CPUs 0 and 1: this machine has fewer CPUs"
[ -d /sys/devices/system/node/node0 ] || lv_die "the corpus guests bind to host node 0: no node0"
lv_install
lv_phase "install (apt-get, when needed)"
for lv__f in /var/log/libvirt/qemu/*.log; do
	[ -e "$lv__f" ] && LV_LOGS_BEFORE="$LV_LOGS_BEFORE $lv__f"
done
lv_workarounds
lv_start_daemons
lv_phase "virtlogd + libvirtd up (pids $LV_VIRTLOGD_PID, $LV_LIBVIRTD_PID)"

nt_start_trapd || exit 1
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || exit 1
# numatopd.conf: the later runtime settings (runtimeInterval...) go here
LV_RUNTIME_INTERVAL=2
printf '# tests/live-libvirt.sh\nrefreshInterval 600\nruntimeInterval %s\n' "$LV_RUNTIME_INTERVAL" \
	>"$NT_DIR/numatopd.conf"
# before the guests: their rows must arrive by inotify. The VM index map outlives the numatopd
# restart at the end.
LV_STATE_DIR=$NT_DIR/vmstate
mkdir "$LV_STATE_DIR" || lv_die "mkdir $LV_STATE_DIR failed"
lv_start_numatopd || exit 1
lv_start_guests
lv_phase "$(echo "$LV_STARTED" | wc -w) guests defined and started"

lv_check_all 10
lv_check_host
lv_check_nodes
# README "VM index" rule 2: on an empty map a new UUID gets its domain id, when nobody holds it
# (here nobody does: a fresh map, a fresh libvirtd numbering from 1)
lv_ids >"$NT_DIR/ids.first"
lv__bad=$(awk '$3 != $5 { printf " %s (index %s, domid %s)", $1, $3, $5 }' "$NT_DIR/ids.first")
[ -z "$lv__bad" ] && [ -s "$NT_DIR/ids.first" ] &&
	nt_pass "a fresh map gave each of the $(wc -l <"$NT_DIR/ids.first") guests its domain id as numaVmIndex (rule 2)" ||
	nt_fail "a fresh map did not give these guests their domain id as numaVmIndex:$lv__bad"
lv_phase "first comparison"

# Runtime truth: an affinity changed behind libvirt's back (taskset on lab-nopin's floating
# vCPU 0) changes no file: numaVcpuAffinityVerdict narrowed and numaVmPlacementDrift at the
# trap receiver within runtimeInterval + 1 s. The live pin below puts it back in line.
lv__u=$(lv_virsh domuuid lab-nopin)
lv__tid=$(lv_nt_value "$lv__u" vcpu.0.ThreadId)
echo "# numaVcpuTable before the taskset:"
nt_snmp snmptable -Cb -Ci numaVcpuTable | sed 's/^/# /'
taskset -p -c 0 "$lv__tid" >/dev/null || lv_die "taskset -p -c 0 $lv__tid failed"
if lv__ds=$(lv_wait_value "$lv__u" vcpu.0.AffinityVerdict narrowed $((LV_RUNTIME_INTERVAL + 1))); then
	nt_pass "taskset -c 0 on lab-nopin's vCPU 0 (tid $lv__tid): numaVcpuAffinityVerdict narrowed after $(lv_secs "$lv__ds") s"
else
	nt_fail "taskset -c 0 on lab-nopin's vCPU 0: numaVcpuAffinityVerdict \"$(lv_nt_value "$lv__u" vcpu.0.AffinityVerdict)\" after $((LV_RUNTIME_INTERVAL + 1)) s"
fi
[ "$(lv_nt_value "$lv__u" vcpu.0.ActualAffinity)" = 0 ] &&
	nt_pass "numaVcpuActualAffinity of lab-nopin's vCPU 0 is 0 (Cpus_allowed_list)" ||
	nt_fail "numaVcpuActualAffinity of lab-nopin's vCPU 0 is \"$(lv_nt_value "$lv__u" vcpu.0.ActualAffinity)\", want 0"
# the drift names the vCPU: its numaVcpuAffinityVerdict.V.0 = narrowed(2)
if nt_wait_for_trap "$(nt_re "OID: .1.3.6.1.4.1.8072.9999.9999.6862.0.11").*$(nt_re ".6862.1.5.1.9.")[0-9]*$(nt_re ".0 = INTEGER: 2")" \
	$((LV_RUNTIME_INTERVAL + 1)); then
	nt_pass "numaVmPlacementDrift received by snmptrapd within $((LV_RUNTIME_INTERVAL + 1)) s"
	echo "# the drift trap as snmptrapd logged it:"
	nt_traps | grep "6862\.0\.11" | tail -n 1 | sed 's/^/# /'
else
	nt_fail "no numaVmPlacementDrift at snmptrapd within $((LV_RUNTIME_INTERVAL + 1)) s: $(nt_traps | tail -n 3)"
fi
echo "# numaVcpuTable after the taskset:"
nt_snmp snmptable -Cb -Ci numaVcpuTable | sed 's/^/# /'
lv_phase "runtime: taskset behind libvirt's back"

# A live pin changes only the status file: the walk must show it within 1 s (inotify, then
# eventDelay 200 ms). lab-nopin's vCPU floats; lab-pinned's vCPU 0 is pinned to CPU 0.
for lv__case in 'lab-nopin 0 1' 'lab-pinned 0 1' 'lab-guestnuma 1 0'; do
	# shellcheck disable=SC2086 # DOM VCPU CPU
	set -- $lv__case
	lv__u=$(lv_virsh domuuid "$1")
	lv_virsh vcpupin "$1" "$2" "$3" --live >/dev/null || lv_die "virsh vcpupin $1 $2 $3 --live failed"
	if lv__ds=$(lv_wait_value "$lv__u" "vcpu.$2.Affinity" "$3" 1); then
		nt_pass "virsh vcpupin $1 $2 $3 --live: numaVcpuAffinity shows $3 after $(lv_secs "$lv__ds") s"
	else
		nt_fail "virsh vcpupin $1 $2 $3 --live: numaVcpuAffinity still \"$(lv_nt_value "$lv__u" "vcpu.$2.Affinity")\" after 1 s"
	fi
done
# the live pin put lab-nopin's vCPU 0 where its thread is (CPU 1 configured, and libvirt set
# the thread's affinity to it): the drift ends, and the NMS must hear that it did
lv__u=$(lv_virsh domuuid lab-nopin)
if nt_wait_for_trap "$(nt_re "OID: .1.3.6.1.4.1.8072.9999.9999.6862.0.12").*$(nt_re "$lv__u")" \
	$((LV_RUNTIME_INTERVAL + 1)); then
	nt_pass "numaVmPlacementDriftCleared for lab-nopin received by snmptrapd within $((LV_RUNTIME_INTERVAL + 1)) s of the live pin"
	echo "# the drift-cleared trap as snmptrapd logged it:"
	nt_traps | grep "6862\.0\.12" | tail -n 1 | sed 's/^/# /'
else
	nt_fail "no numaVmPlacementDriftCleared for lab-nopin at snmptrapd within $((LV_RUNTIME_INTERVAL + 1)) s: $(nt_traps | tail -n 3)"
fi
[ "$(lv_nt_value "$lv__u" vcpu.0.AffinityVerdict)" = same ] &&
	nt_pass "numaVcpuAffinityVerdict of lab-nopin's vCPU 0 is same again" ||
	nt_fail "numaVcpuAffinityVerdict of lab-nopin's vCPU 0 is \"$(lv_nt_value "$lv__u" vcpu.0.AffinityVerdict)\" after the live pin, want same"
lv__u=$(lv_virsh domuuid lab-pinned)
lv_virsh emulatorpin lab-pinned 1 --live >/dev/null || lv_die "virsh emulatorpin lab-pinned 1 --live failed"
if lv__ds=$(lv_wait_value "$lv__u" EmulatorCpus 1 1); then
	nt_pass "virsh emulatorpin lab-pinned 1 --live: numaVmEmulatorCpus shows 1 after $(lv_secs "$lv__ds") s"
else
	nt_fail "virsh emulatorpin lab-pinned 1 --live: numaVmEmulatorCpus still \"$(lv_nt_value "$lv__u" EmulatorCpus)\" after 1 s"
fi
# and every other value still agrees (placement, nodes, effective affinity in /proc...)
lv_check_all 2
lv_check_nodes
lv_phase "live changes"

# libvirtd stopped: the status files stay and the guests run on, so numatopd serves them all
lv_ids >"$NT_DIR/ids.libvirtd-before"
lv_stop_libvirtd
lv_host_value numaVmCount.0 "$(echo "$LV_STARTED" | wc -w)" "guests running with libvirtd stopped"
# Runtime truth: a QEMU killed while libvirtd is stopped leaves its status file: numatopd must
# say gone (and free its node resources) and send numaVmGone. The transient guest: libvirtd,
# started again, forgets it, so the comparisons that follow leave it out.
lv__u=$(lv_virsh_off_uuid lab-transient)
lv__qp=$(cat /run/libvirt/qemu/lab-transient.pid 2>/dev/null) || lv__qp=
if [ -n "$lv__qp" ] && [ -n "$lv__u" ] && kill -KILL "$lv__qp" 2>/dev/null; then
	LV_STARTED=$(echo "$LV_STARTED" | tr ' ' '\n' | grep -vx lab-transient | tr '\n' ' ')
	if lv__ds=$(lv_wait_value "$lv__u" RuntimeState gone $((LV_RUNTIME_INTERVAL + 1))); then
		nt_pass "kill -9 of lab-transient's QEMU (pid $lv__qp), libvirtd stopped: numaVmRuntimeState gone after $(lv_secs "$lv__ds") s"
	else
		nt_fail "kill -9 of lab-transient's QEMU: numaVmRuntimeState \"$(lv_nt_value "$lv__u" RuntimeState)\" after $((LV_RUNTIME_INTERVAL + 1)) s"
	fi
	nt_wait_for_trap "$(nt_re "OID: .1.3.6.1.4.1.8072.9999.9999.6862.0.13")" $((LV_RUNTIME_INTERVAL + 1)) &&
		nt_pass "numaVmGone received by snmptrapd" ||
		nt_fail "no numaVmGone at snmptrapd: $(nt_traps | tail -n 3)"
else
	nt_fail "could not kill lab-transient's QEMU (pid '$lv__qp')"
fi
# started again: it reconnects and rewrites every status file; all must still agree
lv_start_libvirtd || lv_die "libvirtd did not start again"
lv_check_all 5
lv_ids >"$NT_DIR/ids.libvirtd-after"
lv_same_index "$NT_DIR/ids.libvirtd-before" "$NT_DIR/ids.libvirtd-after" "libvirtd stopped and started again"
lv_phase "libvirtd stopped and started again"

# Issue 14 section 1: the index is the VM's. One guest destroyed and started again (a new domain
# id), numatopd restarted on the same map: every UUID keeps its numaVmIndex, numaVmDomainId
# follows virsh. lab-nopin: the quickest to start (no numad query, no hugepages).
LV_RESTART=lab-nopin
lv_ids >"$NT_DIR/ids.before"
echo "# before: NAME UUID numaVmIndex numaVmDomainId virsh-domid"
sed 's/^/#   /' "$NT_DIR/ids.before"
lv_restart_guest "$LV_RESTART"
nt_stop_numatopd
lv_start_numatopd || lv_die "numatopd did not start again"
lv_check_all 10
lv_ids >"$NT_DIR/ids.after"
echo "# after destroy + start of $LV_RESTART and a numatopd restart:"
sed 's/^/#   /' "$NT_DIR/ids.after"
lv_same_index "$NT_DIR/ids.before" "$NT_DIR/ids.after" "$LV_RESTART restarted, numatopd restarted"
lv__old=$(lv_restart_field "$NT_DIR/ids.before" 5)
lv__dom=$(lv_restart_field "$NT_DIR/ids.after" 4)
lv__new=$(lv_restart_field "$NT_DIR/ids.after" 5)
if [ -n "$lv__new" ] && [ "$lv__dom" = "$lv__new" ] && [ "$lv__new" != "$lv__old" ]; then
	nt_pass "$LV_RESTART: numaVmDomainId $lv__dom = the new virsh domid (was $lv__old)"
else
	nt_fail "$LV_RESTART: numaVmDomainId \"$lv__dom\", virsh domid \"$lv__new\", before the restart \"$lv__old\": want the new domid, not the old one"
fi
lv_phase "issue 14: a guest and numatopd restarted"

if [ "$NT_FAILED" = 0 ]; then
	echo "# numaVcpuTable as snmptable shows it:"
	nt_snmp snmptable -Cb -Ci numaVcpuTable | sed 's/^/# /'
fi
nt_stop_numatopd
lv_teardown || nt_fail "teardown left something behind (see above)"
lv_phase "teardown"
echo "# total: $(lv_secs $(($(nt__now) - LV_T0))) s"
nt_done
