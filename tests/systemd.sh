#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# systemd.sh: numatopd.service as the issue asks for it: non-root with CAP_DAC_READ_SEARCH only,
# each required hardening directive present, `systemd-analyze verify` clean, and an offline
# `systemd-analyze security` exposure of at most 2.0; the unit and the snmpd drop-in agree on
# the AgentX socket and the group; the sysusers.d entry parses.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init systemd
nt_need systemd-analyze systemd-sysusers

top=$(cd "${TESTS_DIR:-$(dirname "$0")}/.." && pwd)
unit_in=$top/init/numatopd.service.in
dropin=$top/init/snmpd.conf.d/numatopd.conf
sysusers=$top/init/sysusers.d/numatopd.conf
for f in "$unit_in" "$dropin" "$sysusers"; do
	[ -r "$f" ] || { nt_fail "$f is missing"; nt_done; }
done
MAX_EXPOSURE=2.0

# A copy whose ExecStart is the binary under test (verify checks that it is executable). The
# name must stay numatopd.service: verify and security name the unit after its file.
: "${NUMATOPD:=$top/numatopd}"
[ -x "$NUMATOPD" ] || { nt_fail "NUMATOPD='$NUMATOPD' is not an executable"; nt_done; }
mkdir "$NT_DIR/unit"
unit=$NT_DIR/unit/numatopd.service
sed "s|@sbindir@/numatopd|$NUMATOPD|" "$unit_in" >"$unit"
grep -q '@[a-z]*@' "$unit" &&
	nt_fail "unsubstituted @var@ left in the unit: $(grep '@[a-z]*@' "$unit")"

# [Service] key=value, last one wins as in systemd (a bare "Key=" resets)
val() {
	awk -F= -v k="$1" '
		/^\[/ { svc = ($0 == "[Service]") }
		svc && $1 == k { sub(/^[^=]*=/, ""); v = $0 }
		END { print v }
	' "$unit"
}

want() {
	got=$(val "$1")
	[ "$got" = "$2" ] && nt_pass "$1=$2" || nt_fail "$1 is '$got', expected '$2'"
}

# ------------------------------------------------------------------ the directives asked for
user=$(val User)
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] && nt_pass "runs as the user $user" ||
	nt_fail "User= is '$user': the service must not run as root"
want AmbientCapabilities CAP_DAC_READ_SEARCH
want CapabilityBoundingSet CAP_DAC_READ_SEARCH
for kv in NoNewPrivileges=yes TemporaryFileSystem=/:ro ProtectHome=yes PrivateTmp=yes \
	PrivateDevices=yes ProtectKernelModules=yes ProtectKernelLogs=yes \
	ProtectControlGroups=yes RestrictNamespaces=yes LockPersonality=yes \
	MemoryDenyWriteExecute=yes SystemCallFilter=~@privileged\ @resources \
	Restart=on-failure RestrictAddressFamilies=AF_UNIX; do
	want "${kv%%=*}" "${kv#*=}"
done
grep -qx 'SystemCallFilter=@system-service' "$unit" && nt_pass "SystemCallFilter=@system-service" ||
	nt_fail "no SystemCallFilter=@system-service line"
# -f: systemd supervises the process it started; the address is the drop-in's socket
exec_start=$(val ExecStart)
case " $exec_start " in
*" -f "*) nt_pass "ExecStart runs numatopd in the foreground" ;;
*) nt_fail "ExecStart lacks -f: '$exec_start'" ;;
esac
for dep in After Wants; do
	grep -q "^$dep=.*snmpd\.service" "$unit" && nt_pass "$dep=snmpd.service" ||
		nt_fail "no $dep=snmpd.service in [Unit]"
done
grep -q '^After=.*libvirtd\.service' "$unit" && nt_pass "After=libvirtd.service" ||
	nt_fail "no After=libvirtd.service in [Unit]"

# ------------------------------------------------------------------ unit and drop-in agree
socket=$(printf '%s\n' "$exec_start" | sed -n 's/.* -x \([^ ]*\).*/\1/p')
# agentXSocket: one comma-separated list; the last line wins
dropin_sockets=$(sed -n 's/^agentXSocket[[:space:]]*//p' "$dropin" | tail -n 1)
case ",$dropin_sockets," in
*",$socket,"*) nt_pass "the unit's -x $socket is one of the drop-in's sockets ($dropin_sockets)" ;;
*) nt_fail "unit -x '$socket' is not in the drop-in's agentXSocket '$dropin_sockets'" ;;
esac
# beside Net-SNMP's default master socket, never instead of it (other subagents use it)
case ",$dropin_sockets," in
*",unix:/var/agentx/master,"* | *",/var/agentx/master,"*)
	nt_pass "the drop-in keeps the default socket /var/agentx/master" ;;
*) nt_fail "the drop-in's agentXSocket '$dropin_sockets' drops the default /var/agentx/master" ;;
esac
case $socket in
unix:/var/agentx/master | /var/agentx/master)
	nt_fail "numatopd uses the default socket, not one of its own" ;;
*) nt_pass "numatopd has a socket of its own" ;;
esac
# access control is left to the SNMPv3 user's view: no other view gains the VM inventory
if grep -Eq '^[[:space:]]*view[[:space:]]+' "$dropin" &&
	! grep -E '^[[:space:]]*view[[:space:]]+' "$dropin" | grep -Evq '^[[:space:]]*view[[:space:]]+numatopd[[:space:]]'; then
	nt_pass "the drop-in's only view is numatopd (no systemonly line)"
else
	nt_fail "the drop-in touches a view other than numatopd: $(grep -E '^[[:space:]]*view' "$dropin")"
fi
# the sandbox shows numatopd the socket's directory (tests/sandbox.sh builds it), and the
# tmpfiles.d entry makes that directory before the service starts
sockdir=$(dirname "${socket#unix:}")
grep -Eq "^BindReadOnlyPaths=(.*[[:space:]])?-?$sockdir([[:space:]]|\$)" "$unit" &&
	nt_pass "the unit binds the socket's directory $sockdir" ||
	nt_fail "the unit does not bind the socket's directory $sockdir (BindReadOnlyPaths=)"
grep -Eq "^d[[:space:]]+$sockdir[[:space:]]" "$top/init/tmpfiles.d/numatopd.conf" 2>/dev/null &&
	nt_pass "init/tmpfiles.d/numatopd.conf makes $sockdir" ||
	nt_fail "init/tmpfiles.d/numatopd.conf does not make $sockdir"
perms_group=$(awk '$1 == "agentXPerms" { print $5 }' "$dropin")
[ "$perms_group" = "$(val Group)" ] &&
	nt_pass "agentXPerms gives the socket to the group $perms_group" ||
	nt_fail "agentXPerms group '$perms_group' is not the unit's Group= '$(val Group)'"
sock_mode=$(awk '$1 == "agentXPerms" { print $2 }' "$dropin")
[ "$sock_mode" = 0660 ] && nt_pass "the socket is mode 0660" ||
	nt_fail "agentXPerms socket mode is '$sock_mode', expected 0660"

# ------------------------------------------------------------------ systemd-analyze
# --man=no: the pages named by Documentation= are not installed here
systemd-analyze verify --man=no "$unit" >"$NT_DIR/verify.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! [ -s "$NT_DIR/verify.out" ]; then
	nt_pass "systemd-analyze verify: clean"
else
	nt_fail "systemd-analyze verify (exit $rc): $(cat "$NT_DIR/verify.out")"
fi

systemd-analyze security --offline=yes "$unit" >"$NT_DIR/security.out" 2>&1
level=$(sed -n 's/.*Overall exposure level for numatopd\.service: \([0-9][0-9]*\.[0-9]\).*/\1/p' \
	"$NT_DIR/security.out")
if [ -z "$level" ]; then
	nt_fail "no 'Overall exposure level' in: $(tail -n 5 "$NT_DIR/security.out")"
elif awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l <= m) }'; then
	nt_pass "systemd-analyze security: exposure $level <= $MAX_EXPOSURE"
else
	nt_fail "systemd-analyze security: exposure $level > $MAX_EXPOSURE:
$(grep '✗' "$NT_DIR/security.out")"
fi
# README.md and numatopd.8 quote the figure: keep them right
for doc in "$top/README.md" "$top/man/numatopd.8"; do
	grep -q "rates the unit $level " "$doc" &&
		nt_pass "${doc##*/} quotes the exposure $level" ||
		nt_fail "${doc##*/} does not say 'rates the unit $level ...'"
done

# ------------------------------------------------------------------ sysusers.d
mkdir -p "$NT_DIR/root/etc"
if systemd-sysusers --root="$NT_DIR/root" --dry-run "$sysusers" >"$NT_DIR/sysusers.out" 2>&1; then
	grep -q "Creating user '$user'" "$NT_DIR/sysusers.out" &&
		nt_pass "the sysusers.d entry creates the user $user" ||
		nt_fail "systemd-sysusers would not create $user: $(cat "$NT_DIR/sysusers.out")"
else
	nt_fail "systemd-sysusers --dry-run: $(cat "$NT_DIR/sysusers.out")"
fi

nt_done
