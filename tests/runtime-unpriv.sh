#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# runtime-unpriv.sh: the runtime reads as an unprivileged user (nobody), as numatopd.service
# runs them, on a real process of another user (root's sleep) posing as a one-vCPU QEMU: with
# a plain /proc every fact is read; with a /proc mounted hidepid=invisible (what the unit's
# ProtectProc=invisible gives) liveness and affinity still are, through kill/tgkill/
# sched_getaffinity, and last CPU and memory are not measured; a dead process is gone. Root
# only (setpriv, unshare, mount): otherwise exit 77.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init runtime-unpriv
if [ "$(id -u)" != 0 ]; then
	nt__skip_or_fail "needs root (setpriv to nobody, a private hidepid /proc)"
fi
nt_need numatopd setpriv unshare taskset
FX=${FIXTURES:-$TESTS_DIR/../fixtures}

sleep 600 &
SP=$!
nt_track "$SP"
taskset -p -c 0 "$SP" >/dev/null || nt_fail "taskset -p -c 0 $SP failed"
mkdir -p "$NT_DIR/lv" && chmod 755 "$NT_DIR" "$NT_DIR/lv"
# written now: the process started before the status file, as libvirt's QEMU does
cat >"$NT_DIR/lv/probe.xml" <<END
<domstatus state='running' reason='booted' pid='$SP'>
  <vcpus><vcpu id='0' pid='$SP'/></vcpus>
  <domain type='kvm' id='7'>
    <name>probe</name>
    <uuid>00000000-0000-4000-8000-000000000007</uuid>
    <memory unit='MiB'>64</memory>
    <vcpu placement='static'>1</vcpu>
  </domain>
</domstatus>
END
chmod 644 "$NT_DIR/lv/probe.xml"
# an empty configuration: runtime reads at their default (lib.sh's default file turns them off)
: >"$NT_DIR/lv/empty.conf" && chmod 644 "$NT_DIR/lv/empty.conf"

# dump PROC-ROOT: numatopd --dump=json as nobody, the probe VM's fields one per line
dump() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$NUMATOPD" --dump=json -c "$NT_DIR/lv/empty.conf" \
		--sysfs-root "$FX/host/sys" --libvirt-xml-dir "$NT_DIR/lv" --proc-root "$1" \
		2>"$NT_DIR/dump.err" | grep '"index":7,' | tr ',' '\n' >"$NT_DIR/probe.txt"
}

# has KEY VALUE LABEL: the probe's dump has "KEY":VALUE
has() {
	if grep -qx "\"$1\":$2" "$NT_DIR/probe.txt" ||
		grep -q "^{\"$1\":$2}" "$NT_DIR/probe.txt" || grep -qx "\"$1\":$2}.*" "$NT_DIR/probe.txt"; then
		nt_pass "$3: $1 is $2"
	else
		nt_fail "$3: $1 is not $2: $(grep "\"$1\"" "$NT_DIR/probe.txt" | head -n 1)"
	fi
}

dump /proc
has runtime_state '"running"' "plain /proc, as nobody"
has actual_cpus '"0"' "plain /proc, as nobody"
# a number: the sleeping process moves to CPU 0 only when it next wakes
grep -qx '"last_cpu":[0-9][0-9]*' "$NT_DIR/probe.txt" && nt_pass "plain /proc, as nobody: last_cpu read" ||
	nt_fail "plain /proc, as nobody: no last_cpu: $(grep last_cpu "$NT_DIR/probe.txt")"
grep -q '"memory_resident_bytes":[0-9]' "$NT_DIR/probe.txt" &&
	nt_pass "plain /proc, as nobody: the memory cgroup is read" ||
	nt_fail "plain /proc, as nobody: no memory residency: $(grep resident "$NT_DIR/probe.txt")"

# ProtectProc=invisible: a private /proc that hides root's processes from nobody
unshare -m sh -c "mount -t proc -o hidepid=invisible proc /proc &&
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'test ! -e /proc/$SP'" &&
	nt_pass "hidepid=invisible hides root's process from nobody" ||
	nt_fail "hidepid=invisible did not hide /proc/$SP from nobody"
NUMATOPD_HIDDEN=$NT_DIR/hidden.json
unshare -m sh -c "mount -t proc -o hidepid=invisible proc /proc &&
	setpriv --reuid=65534 --regid=65534 --clear-groups '$NUMATOPD' --dump=json -c '$NT_DIR/lv/empty.conf' \
	--sysfs-root '$FX/host/sys' --libvirt-xml-dir '$NT_DIR/lv'" >"$NUMATOPD_HIDDEN" 2>/dev/null
grep '"index":7,' "$NUMATOPD_HIDDEN" | tr ',' '\n' >"$NT_DIR/probe.txt"
has runtime_state '"running"' "hidden /proc"
has actual_cpus '"0"' "hidden /proc (sched_getaffinity)"
has last_cpu null "hidden /proc"
has memory_resident_bytes null "hidden /proc"

kill "$SP" && wait "$SP" 2>/dev/null
dump /proc
has runtime_state '"gone"' "killed"
nt_done
