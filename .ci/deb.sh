#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# .ci/deb.sh: build the Debian package from a clean copy of this checkout, lint it, install it
# with apt-get and check what it installed. Any failure exits non-zero; the package stays installed.
#
# Needs root on Debian 12 with the build tools and build dependencies installed:
#   apt-get install dpkg-dev debhelper lintian fakeroot build-essential  (+ ./autogen.sh's list)
# The build runs in a temporary copy (git's tracked and untracked-but-not-ignored files), never in
# this tree, so a configured or half-built checkout does not leak into the package.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
export DEBIAN_FRONTEND=noninteractive

tmp=$(mktemp -d "${TMPDIR:-/tmp}/numatopd-deb.XXXXXX")
spid='' npid=''
cleanup() {
	for p in $npid $spid; do kill "$p" 2>/dev/null || :; wait "$p" 2>/dev/null || :; done
	rm -rf "$tmp"
}
trap cleanup EXIT
# apt-get fetches a local .deb as the user _apt, who must be able to reach it
chmod 755 "$tmp"

failures=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

echo "=== copying the checkout to $tmp/src"
# CI runs as root in a checkout another user may own: git (>= 2.35.2) refuses such a tree
# unless it is a safe.directory
git() { command git -c safe.directory="$top" "$@"; }
git rev-parse --is-inside-work-tree >/dev/null ||
	{ echo "FAIL: $top is not a git checkout" >&2; exit 1; }
mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 -r cp --parents -t "$tmp/src"

echo "=== dpkg-buildpackage -us -uc -b (log: build.log, shown on failure)"
t0=$(date +%s)
if ! (cd "$tmp/src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	tail -n 150 "$tmp/build.log" >&2
	find "$tmp/src" -name test-suite.log -exec cat {} + >&2 2>/dev/null || :
	echo "FAIL: dpkg-buildpackage failed" >&2
	exit 1
fi
t1=$(date +%s)
grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$tmp/build.log" || :
grep -E '^SKIP: ' "$tmp/build.log" || :
echo "package build took $((t1 - t0)) s"

debs=$(cd "$tmp" && ls numatopd_*.deb)
changes=$(cd "$tmp" && ls numatopd_*.changes)
echo "built: $debs"

echo "=== lintian (fails on errors; warnings are listed)"
if (cd "$tmp" && lintian --fail-on error "$changes"); then
	ok "lintian: no errors"
else
	bad "lintian reported errors"
fi

echo "=== apt-get install ./$debs"
(cd "$tmp" && apt-get install -y "./$debs") || { echo "FAIL: apt-get install" >&2; exit 1; }

echo "=== checks of the installed package"
pkgver=$(dpkg-query -W -f='${Version}' numatopd)
out=$(/usr/sbin/numatopd --version 2>&1) || :
if printf '%s\n' "$out" | grep -q -F "${pkgver%%-*}"; then
	ok "/usr/sbin/numatopd --version: $out"
else
	bad "/usr/sbin/numatopd --version does not name version ${pkgver%%-*}: $out"
fi

if /usr/sbin/numatopd --dump --sysfs-root fixtures/host/sys \
	--libvirt-xml-dir fixtures/host/libvirt >"$tmp/dump.out" 2>"$tmp/dump.err"; then
	if grep -q '^VMs (14)' "$tmp/dump.out" && grep -q ' web-local ' "$tmp/dump.out"; then
		ok "/usr/sbin/numatopd --dump on the fixture host: 14 VMs, web-local among them"
	else
		bad "--dump output lacks 'VMs (14)' or web-local:"
		head -n 40 "$tmp/dump.out" >&2
	fi
else
	bad "/usr/sbin/numatopd --dump failed:"
	cat "$tmp/dump.err" >&2
fi

if ent=$(getent passwd numatopd); then
	IFS=: read -r _ _ uid gid _ home shell <<<"$ent"
	if [ "$uid" -lt 1000 ] && [ "$home" = /nonexistent ] &&
		[ "$(getent group numatopd | cut -d: -f3)" = "$gid" ]; then
		ok "system user numatopd ($ent), group numatopd"
	else
		bad "user numatopd is not a system user with home /nonexistent and group numatopd: $ent"
	fi
	[ "$shell" = /usr/sbin/nologin ] || bad "user numatopd has the login shell $shell"
else
	bad "no user numatopd"
fi

unit=/lib/systemd/system/numatopd.service
if [ -f "$unit" ]; then
	ok "$unit installed"
else
	bad "$unit missing"
fi
# the unit's sandbox binds /var/agentx: the package's tmpfiles.d entry makes it at once
if [ -f /usr/lib/tmpfiles.d/numatopd.conf ] && [ -d /var/agentx ]; then
	ok "/usr/lib/tmpfiles.d/numatopd.conf installed, /var/agentx exists"
else
	bad "/usr/lib/tmpfiles.d/numatopd.conf or /var/agentx missing after installation"
fi
# without a running systemd the postinst must still enable the unit (deb-systemd-helper makes
# the symlinks of its [Install] section), and not start it
wants=$(find /etc/systemd/system -path '*.wants/numatopd.service' 2>/dev/null)
if [ -n "$wants" ]; then
	ok "numatopd.service enabled: $wants"
else
	bad "numatopd.service is not enabled (no /etc/systemd/system/*.wants/numatopd.service)"
fi
# (by its executable: test suites may run numatopd binaries of their own on this machine)
started=$(for e in /proc/[0-9]*/exe; do
	[ "$(readlink "$e" 2>/dev/null)" = /usr/sbin/numatopd ] && echo "${e//[!0-9]/}"
done || :)
if [ -n "$started" ]; then
	bad "/usr/sbin/numatopd runs after installation without systemd: pid $started"
else
	ok "/usr/sbin/numatopd not started"
fi

mib=/usr/share/snmp/mibs/NUMA-TOPOLOGY-MIB.txt
if cmp -s "$mib" mibs/NUMA-TOPOLOGY-MIB.txt; then
	ok "$mib installed, identical to the tree's"
else
	bad "$mib missing or different from mibs/NUMA-TOPOLOGY-MIB.txt"
fi
# the IETF base modules are not ours to ship (debian/copyright): NUMA-TOPOLOGY-MIB alone
mibs=$(dpkg -L numatopd | grep '^/usr/share/snmp/mibs/.' || :)
if [ "$mibs" = "$mib" ]; then
	ok "the package installs no MIB but $mib"
else
	bad "the package installs other MIB files: $mibs"
fi

dropin=/etc/snmp/snmpd.conf.d/numatopd.conf
if dpkg-query -W -f='${Conffiles}\n' numatopd | grep -q "^ $dropin "; then
	ok "$dropin is a conffile"
else
	bad "$dropin is not a conffile of the package"
fi
if grep -q -E '^[[:space:]]*agentXPerms([[:space:]]+[^[:space:]]+){3}[[:space:]]+numatopd\b' \
	"$dropin" 2>/dev/null; then
	ok "$dropin gives the AgentX socket to group numatopd"
else
	bad "$dropin has no 'agentXPerms SOCKPERMS DIRPERMS USER numatopd' line"
fi

# The drop-in at work: a private snmpd reads it (its socket moved into $tmp, a UDP port of its
# own added), and the installed numatopd, run as the user numatopd, must register through it.
agentx_as_numatopd() {
	local d=$tmp/agentx-check port
	# numatopd's persistent state apart from snmpd's: it runs unprivileged
	mkdir -p "$d/persist" "$d/npersist" "$d/clientconf"
	chown numatopd:numatopd "$d/npersist"
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		{
			# the drop-in's two sockets, moved into $d
			sed -e "/^agentXSocket /s|unix:/var/agentx/master|unix:$d/var-agentx/master|" \
				-e "/^agentXSocket /s|unix:/var/agentx/numatopd|unix:$d/agentx/master|" \
				"$dropin"
			echo "agentaddress udp:127.0.0.1:$port"
			echo "rocommunity public 127.0.0.1"
		} >"$d/snmpd.conf"
		SNMP_PERSISTENT_DIR=$d/persist /usr/sbin/snmpd -f -C -c "$d/snmpd.conf" -m '' \
			-I system_mib,vacm_conf -Lf "$d/snmpd.log" </dev/null >/dev/null 2>&1 &
		spid=$!
		for _ in $(seq 50); do
			[ -S "$d/agentx/master" ] && [ -S "$d/var-agentx/master" ] && break
			kill -0 "$spid" 2>/dev/null || break
			sleep 0.1
		done
		[ -S "$d/agentx/master" ] && break
		wait "$spid" 2>/dev/null || :
		grep -q 'Error opening specified endpoint' "$d/snmpd.log" || break
	done
	if [ ! -S "$d/agentx/master" ] || [ ! -S "$d/var-agentx/master" ]; then
		bad "snmpd with $dropin did not start or lacks one of its two sockets:"; tail -n 20 "$d/snmpd.log" >&2
		kill "$spid" 2>/dev/null || :; wait "$spid" 2>/dev/null || :
		return
	fi
	SNMP_PERSISTENT_DIR=$d/npersist setpriv --reuid=numatopd --regid=numatopd --init-groups \
		/usr/sbin/numatopd -f -Le -x "unix:$d/agentx/master" \
		--sysfs-root "$tmp/src/fixtures/host/sys" \
		--libvirt-xml-dir "$tmp/src/fixtures/host/libvirt" </dev/null >"$d/numatopd.log" 2>&1 &
	npid=$!
	local oid=.1.3.6.1.4.1.8072.9999.9999.6862.1.1.1.0 got=""
	for _ in $(seq 100); do
		got=$(SNMPCONFPATH=$d/clientconf SNMP_PERSISTENT_DIR=$d/persist snmpget -v2c \
			-c public -m '' -On -t 0.5 -r 0 "127.0.0.1:$port" "$oid" 2>&1) || :
		case $got in *"Gauge32: 4"*) break ;; esac
		kill -0 "$npid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$(stat -c %G "$d/agentx/master")" = numatopd ] && case $got in
		*"Gauge32: 4"*) true ;; *) false ;; esac; then
		ok "numatopd as user numatopd registered through the drop-in's socket: $got"
	else
		bad "numatopd as user numatopd did not register through $dropin's socket ($got):"
		ls -l "$d/agentx" >&2
		tail -n 10 "$d/numatopd.log" "$d/snmpd.log" >&2
	fi
	kill "$npid" 2>/dev/null || :; wait "$npid" 2>/dev/null || :
	kill "$spid" 2>/dev/null || :; wait "$spid" 2>/dev/null || :
	npid='' spid=''
	return 0
}
if [ -r "$dropin" ] && command -v snmpget >/dev/null && [ -x /usr/sbin/snmpd ]; then
	agentx_as_numatopd
else
	bad "cannot try the drop-in: $dropin, snmpd or snmpget missing"
fi

for man in /usr/share/man/man8/numatopd.8.gz /usr/share/man/man5/numatopd.conf.5.gz; do
	if [ -f "$man" ]; then
		ok "$man installed"
	else
		bad "$man missing"
	fi
done

if [ "$failures" -ne 0 ]; then
	echo "=== .ci/deb.sh: $failures check(s) failed" >&2
	exit 1
fi
echo "=== .ci/deb.sh: package built, linted, installed and checked"
