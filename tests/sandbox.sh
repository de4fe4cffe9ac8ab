#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# sandbox.sh: numatopd.service's file system sandbox, built without systemd. The mount namespace
# its directives describe (TemporaryFileSystem=/:ro, BindReadOnlyPaths=, BindPaths=, the private
# /proc, /dev and /tmp of ProtectProc=, PrivateDevices=, PrivateTmp=) is made with unshare -m,
# tmpfs and bind mounts read from the unit itself; numatopd --dump runs inside as an unprivileged
# user holding CAP_DAC_READ_SEARCH alone, as the unit runs it. Inside, /etc/shadow and a guest
# image under /var/lib/libvirt/images cannot be read (outside, the same user and capability read
# both: the check can fail), while the dump of the fixture VMs, bound at the unit's libvirt
# path, is complete. Needs root (mounts): skips otherwise.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init sandbox
nt_need numatopd unshare setpriv chroot mount
[ "$(id -u)" = 0 ] || nt__skip_or_fail "not root: cannot make mounts"

top=$(cd "${TESTS_DIR:-$(dirname "$0")}/.." && pwd)
unit=$top/init/numatopd.service.in
# The binary under test is bound at /numatopd in the root tmpfs: the unit's @sbindir@ path may
# not exist on this machine, and a mount point cannot be made inside the read-only /usr. Its
# libraries come from the unit's binds.
exec_path=/numatopd
libvirt_dir=/run/libvirt/qemu

# Every value of a list directive of [Service], one word a line; an empty assignment resets.
list() {
	awk -F= -v k="$1" '
		/^\[/ { svc = ($0 == "[Service]") }
		svc && $1 == k {
			sub(/^[^=]*=/, "")
			if ($0 == "") { n = 0; next }
			m = split($0, w, /[[:space:]]+/)
			for (i = 1; i <= m; i++) if (w[i] != "") v[++n] = w[i]
		}
		END { for (i = 1; i <= n; i++) print v[i] }
	' "$unit"
}
last() { list "$1" | tail -n 1; }

[ "$(list TemporaryFileSystem)" = "/:ro" ] && nt_pass "TemporaryFileSystem=/:ro: the root is empty" ||
	nt_fail "TemporaryFileSystem is '$(list TemporaryFileSystem)', expected /:ro"
[ -z "$(last ProtectSystem)" ] && nt_pass "no ProtectSystem= (it would show the host's / again)" ||
	nt_fail "ProtectSystem=$(last ProtectSystem) overrides TemporaryFileSystem=/ (systemd #18999)"
# "mode spec", in the order systemd mounts them: parents first (sorted by destination)
{ list BindReadOnlyPaths | sed 's/^/ro /'; list BindPaths | sed 's/^/rw /'; } |
	awk '{ d = $2; sub(/^-/, "", d); n = split(d, p, ":"); print ((n > 1) ? p[2] : p[1]) "\t" $0 }' |
	sort | cut -f2 >"$NT_DIR/binds"
grep -q " -*$libvirt_dir\$" "$NT_DIR/binds" && nt_pass "the unit binds $libvirt_dir" ||
	nt_fail "the unit does not bind $libvirt_dir"
state=/var/lib/$(last StateDirectory)
grep -qx "rw $state" "$NT_DIR/binds" && nt_pass "the state directory $state is bound writable" ||
	nt_fail "no BindPaths=$state for StateDirectory="

# The user: the unit's when it exists here, else nobody.
uid=$(id -u "$(last User)" 2>/dev/null) && gid=$(id -g "$(last User)") || { uid=65534; gid=65534; }
caps=$(last AmbientCapabilities | tr 'A-Z' 'a-z' | sed 's/^cap_//')
[ "$caps" = dac_read_search ] || nt_fail "AmbientCapabilities is '$caps', not CAP_DAC_READ_SEARCH alone"
asuser="setpriv --reuid=$uid --regid=$gid --clear-groups --inh-caps=-all,+$caps \
--ambient-caps=+$caps --bounding-set=-all,+$caps"

# Runs in the new mount namespace: a stand-in /var (a guest image, the state directory, the
# directories of the tmpfiles.d entry) so that nothing of this machine's is touched, the root
# tmpfs with the unit's mounts, and the commands given as arguments (one shell word each) first
# outside the new root, then inside.
cat >"$NT_DIR/ns.sh" <<'EOF'
set -eu
R=$NT_DIR/root
mount -t tmpfs -o mode=0755 tmpfs /var
mkdir -p /var/lib/libvirt/images "$STATE"
awk '$1 == "d" { print $2 }' "$TMPFILES" | while read -r d; do mkdir -p "$d"; done
echo "GUEST-DISK-BYTES" >/var/lib/libvirt/images/guest.img
chmod 600 /var/lib/libvirt/images/guest.img
chmod 700 /var/lib/libvirt/images
chown "$UID_GID" "$STATE"
mkdir -p "$R"
mount -t tmpfs -o mode=0755 tmpfs "$R"
while read -r mode spec; do
	opt=${spec%%[!-]*}
	spec=${spec#-}
	src=${spec%%:*}
	dst=$src
	case $spec in *:*) dst=${spec#*:}; dst=${dst%%:*} ;; esac
	[ "$dst" = "$LIBVIRT_DIR" ] && src=$FIXTURE_LIBVIRT
	if [ ! -e "$src" ]; then
		[ -n "$opt" ] && continue
		echo "ns.sh: $src (from the unit) does not exist" >&2
		exit 1
	fi
	if [ ! -e "$R$dst" ]; then
		if [ -d "$src" ]; then mkdir -p "$R$dst"; else mkdir -p "$R${dst%/*}"; : >"$R$dst"; fi
	fi
	mount --bind "$src" "$R$dst"
	[ "$mode" = ro ] && mount -o remount,bind,ro "$R$dst"
done <"$NT_DIR/binds"
mkdir -p "$R/proc" "$R/dev" "$R/tmp"
mount -t proc -o hidepid=invisible,subset=pid proc "$R/proc"
mount -t tmpfs -o mode=0755 tmpfs "$R/dev"
for d in null zero full random urandom; do : >"$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
: >"$R$EXEC_PATH"
mount --bind "$NUMATOPD" "$R$EXEC_PATH"
mount -o remount,ro "$R"
for cmd in "$@"; do
	echo "== outside: $cmd"; sh -c "$cmd" && echo "== rc 0" || echo "== rc $?"
	echo "== inside: $cmd"; chroot "$R" sh -c "$cmd" && echo "== rc 0" || echo "== rc $?"
done
EOF
export NT_DIR STATE=$state UID_GID=$uid:$gid LIBVIRT_DIR=$libvirt_dir \
	FIXTURE_LIBVIRT=$FIXTURES/host/libvirt EXEC_PATH=$exec_path NUMATOPD \
	TMPFILES=$top/init/tmpfiles.d/numatopd.conf
unshare -m --propagation private sh "$NT_DIR/ns.sh" \
	"$asuser cat /etc/shadow >/dev/null" \
	"$asuser cat /var/lib/libvirt/images/guest.img" \
	"$asuser $exec_path --dump" \
	"$asuser sh -c 'echo ok >$state/probe'" \
	"$asuser sh -c 'echo no >/etc/probe'" \
	>"$NT_DIR/ns.out" 2>&1
rc=$?
[ $rc -eq 0 ] && nt_pass "the unit's namespace is built from its own directives" ||
	{ nt_fail "building the namespace (exit $rc): $(tail -n 5 "$NT_DIR/ns.out")"; nt_done; }

# rc of the command N (1-based) outside/inside
result() {
	awk -v n="$1" -v w="$2" '
		/^== (outside|inside): / { k = ($2 == "outside:") ? "o" : "i"; if (k == "o") c++ }
		/^== rc / && c == n && ((w == "outside" && k == "o") || (w == "inside" && k == "i")) { print $3 }
	' "$NT_DIR/ns.out"
}
[ "$(result 1 outside)" = 0 ] && [ "$(result 1 inside)" != 0 ] &&
	nt_pass "/etc/shadow: read outside with the capability, not inside" ||
	nt_fail "/etc/shadow: outside rc $(result 1 outside), inside rc $(result 1 inside)"
[ "$(result 2 outside)" = 0 ] && [ "$(result 2 inside)" != 0 ] &&
	nt_pass "a guest image in /var/lib/libvirt/images: read outside, not inside" ||
	nt_fail "guest image: outside rc $(result 2 outside), inside rc $(result 2 inside)"
grep -c GUEST-DISK-BYTES "$NT_DIR/ns.out" | grep -qx 1 ||
	nt_fail "the guest image's bytes were read $(grep -c GUEST-DISK-BYTES "$NT_DIR/ns.out") times, expected once (outside)"
[ "$(result 4 inside)" = 0 ] && nt_pass "the state directory $state is writable inside" ||
	nt_fail "cannot write to $state inside (rc $(result 4 inside))"
[ "$(result 5 inside)" != 0 ] && nt_pass "the rest of the root is read-only inside" ||
	nt_fail "/etc/probe could be written inside"

# the dump inside: numatopd ran (its libraries are bound), read the fixture VMs at the unit's
# libvirt path through the capability (the files are 0644 here, so also check the count)
awk '/^== inside: .* --dump$/ { p = 1; next } /^== / { p = 0 } p' "$NT_DIR/ns.out" >"$NT_DIR/dump.in"
[ "$(result 3 inside)" = 0 ] && grep -q '^VMs (14)' "$NT_DIR/dump.in" &&
	grep -q ' web-local ' "$NT_DIR/dump.in" && grep -q ' hpc-big ' "$NT_DIR/dump.in" &&
	nt_pass "numatopd --dump inside: 14 VMs from $libvirt_dir, web-local and hpc-big among them" ||
	nt_fail "numatopd --dump inside (rc $(result 3 inside)): $(head -n 20 "$NT_DIR/dump.in")"

nt_done
