#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# install.sh: `make install DESTDIR=...` puts exactly the expected files in the configured
# directories with the right modes; the installed unit names the installed binary; the example
# numatopd.conf parses (as shipped and with every directive uncommented); a second install keeps
# an edited configuration, uninstall removes the rest; and the installed snmpd drop-in, given to
# a real snmpd, makes a socket that its group can use and a view limited to the NUMA subtree.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init install
nt_need numatopd make snmpd snmpget snmpwalk snmptranslate
nt_need_mibs

B=${NUMATOPD%/*}
[ -f "$B/Makefile" ] || { nt_fail "no Makefile beside NUMATOPD='$NUMATOPD'"; nt_done; }
D=$NT_DIR/dest
# make check's jobserver is not ours; and never rebuild the program under test (another make in
# the same tree may be compiling): install what is built
unset MAKEFLAGS MFLAGS MAKELEVEL
nt_make() {
	make -s -C "$B" -o numatopd -o libnumacore.a "$@"
}

# The configured directories, from the Makefile itself.
cat >"$NT_DIR/dirs.mk" <<'EOF'
nt-print-dirs:
	@echo sbindir='$(sbindir)'
	@echo pluginsdir='$(pluginsdir)'
	@echo mibdir='$(mibdir)'
	@echo man5dir='$(man5dir)'
	@echo man8dir='$(man8dir)'
	@echo snmpconfdir='$(snmpconfdir)'
	@echo systemdsystemunitdir='$(systemdsystemunitdir)'
	@echo sysusersdir='$(sysusersdir)'
	@echo tmpfilesdir='$(tmpfilesdir)'
	@echo builddir='$(abs_top_builddir)'
	@echo srcdir='$(abs_top_srcdir)'
EOF
nt_make -f Makefile -f "$NT_DIR/dirs.mk" nt-print-dirs >"$NT_DIR/dirs" 2>&1 ||
	{ nt_fail "cannot read the directories from $B/Makefile: $(cat "$NT_DIR/dirs")"; nt_done; }
. "$NT_DIR/dirs"
# absolute, and "//" squeezed (distcheck's unit directory is $dc_install_base//lib/...)
for v in sbindir pluginsdir mibdir man5dir man8dir snmpconfdir systemdsystemunitdir sysusersdir tmpfilesdir; do
	eval "d=\$$v"
	case $d in
	/*) eval "$v=\$(printf '%s\n' \"\$d\" | tr -s /)" ;;
	no) ;;
	*) nt_fail "$v='$d' is not an absolute path"; nt_done ;;
	esac
done

# configure warned when the configuration goes where Net-SNMP does not read it, and only then
if [ -r "$builddir/config.log" ]; then
	warned=$(grep -c "WARNING: numatopd.conf and the snmpd drop-in go to" "$builddir/config.log")
	case $snmpconfdir:$warned in
	/etc/snmp:0) nt_pass "configured for /etc/snmp: configure did not warn" ;;
	/etc/snmp:*) nt_fail "configure warned although the configuration goes to /etc/snmp" ;;
	*:0) nt_fail "configure did not warn that $snmpconfdir is not read by Net-SNMP" ;;
	*) nt_pass "configure warned that $snmpconfdir is not read by Net-SNMP (--sysconfdir=/etc)" ;;
	esac
else
	nt_fail "no config.log in $builddir"
fi

if nt_make install DESTDIR="$D" >"$NT_DIR/install.log" 2>&1; then
	nt_pass "make install DESTDIR=... succeeds"
else
	nt_fail "make install failed: $(tail -n 20 "$NT_DIR/install.log")"
	nt_done
fi

# ------------------------------------------------------------------ what lands where
{
	echo "$sbindir/numatopd 755"
	echo "$pluginsdir/check_numa 755"
	echo "$man8dir/check_numa.8 644"
	echo "$mibdir/NUMA-TOPOLOGY-MIB.txt 644"
	echo "$man8dir/numatopd.8 644"
	echo "$man5dir/numatopd.conf.5 644"
	echo "$snmpconfdir/numatopd.conf 644"
	echo "$snmpconfdir/snmpd.conf.d/numatopd.conf 644"
	[ "$systemdsystemunitdir" != no ] && echo "$systemdsystemunitdir/numatopd.service 644"
	[ "$sysusersdir" != no ] && echo "$sysusersdir/numatopd.conf 644"
	[ "$tmpfilesdir" != no ] && echo "$tmpfilesdir/numatopd.conf 644"
} | sort >"$NT_DIR/expected"
while read -r path mode; do
	if [ ! -f "$D$path" ]; then
		nt_fail "$path is not installed"
		continue
	fi
	got=$(stat -c %a "$D$path")
	[ "$got" = "$mode" ] && nt_pass "$path, mode $mode" ||
		nt_fail "$path has mode $got, not $mode"
done <"$NT_DIR/expected"
(cd "$D" && find . ! -type d | sed 's/^\.//' | sort) >"$NT_DIR/installed"
extra=$(cut -d' ' -f1 "$NT_DIR/expected" | comm -13 - "$NT_DIR/installed")
[ -z "$extra" ] && nt_pass "nothing else is installed" ||
	nt_fail "unexpected files installed: $extra"

"$D$sbindir/numatopd" -V >"$NT_DIR/version" 2>&1 && grep -q '^numatopd ' "$NT_DIR/version" &&
	nt_pass "the installed numatopd runs: $(cat "$NT_DIR/version")" ||
	nt_fail "the installed numatopd -V: $(cat "$NT_DIR/version")"

if [ "$systemdsystemunitdir" != no ]; then
	unit=$D$systemdsystemunitdir/numatopd.service
	grep -qx "ExecStart=$sbindir/numatopd .*" "$unit" &&
		nt_pass "the unit runs $sbindir/numatopd" ||
		nt_fail "the unit's ExecStart is not $sbindir/numatopd: $(grep ExecStart= "$unit")"
	grep -q '@[a-z]*@' "$unit" && nt_fail "the installed unit has an unsubstituted @var@" ||
		nt_pass "no @var@ left in the installed unit"
fi
# NUMA-TOPOLOGY-MIB alone goes to the MIB directory (the IETF modules it imports are the tests'
# copies, not ours to install: "nothing else is installed" above). The installed module loads
# with the base modules of another directory (snmp-mibs-downloader's role) and NET-SNMP-MIB
# (libsnmp-base), and the README's quiet client form, -m without "+", says nothing at all.
netsnmp_mib=
for d in /usr/share/snmp/mibs /usr/local/share/snmp/mibs; do
	[ -r "$d/NET-SNMP-MIB.txt" ] && { netsnmp_mib=$d/NET-SNMP-MIB.txt; break; }
done
if [ -n "$netsnmp_mib" ] && command -v snmptranslate >/dev/null 2>&1; then
	mkdir -p "$NT_DIR/base-mibs"
	cp "$netsnmp_mib" "$SHARED_MIBS"/SNMPv2-*.txt "$SHARED_MIBS/HCNUM-TC.txt" \
		"$SHARED_MIBS/SNMP-FRAMEWORK-MIB.txt" "$NT_DIR/base-mibs/"
	got=$(snmptranslate -M "$D$mibdir:$NT_DIR/base-mibs" -m NUMA-TOPOLOGY-MIB -On \
		NUMA-TOPOLOGY-MIB::numaNodeTable 2>"$NT_DIR/translate.err")
	[ "$got" = .1.3.6.1.4.1.8072.9999.9999.6862.1.2 ] && [ ! -s "$NT_DIR/translate.err" ] &&
		nt_pass "the installed NUMA-TOPOLOGY-MIB loads quietly beside the base MIBs" ||
		nt_fail "snmptranslate with the installed MIB: '$got' $(cat "$NT_DIR/translate.err")"
else
	nt_fail "no NET-SNMP-MIB.txt or snmptranslate to check the installed MIB with"
fi
cmp -s "$srcdir/init/numatopd.conf.example" "$D$snmpconfdir/numatopd.conf" &&
	nt_pass "numatopd.conf is the example" ||
	nt_fail "the installed numatopd.conf is not the example"

# ------------------------------------------------------------------ the example parses
host=$FIXTURES/host
conf=$D$snmpconfdir/numatopd.conf
dump() {
	"$D$sbindir/numatopd" --dump -c "$1" --sysfs-root "$host/sys" \
		--libvirt-xml-dir "$host/libvirt" >"$NT_DIR/dump.out" 2>"$NT_DIR/dump.err"
}
dump "$conf" && nt_pass "numatopd --dump -c <installed numatopd.conf> exits 0" ||
	nt_fail "numatopd --dump -c $conf failed: $(grep -v 'file skipped' "$NT_DIR/dump.err")"
sed 's/^#\([A-Za-z][A-Za-z]* \)/\1/' "$conf" >"$NT_DIR/uncommented.conf"
n=$(grep -c '^[A-Za-z]' "$NT_DIR/uncommented.conf")
if dump "$NT_DIR/uncommented.conf"; then
	nt_pass "all $n example directives uncommented: --dump exits 0"
else
	nt_fail "the example with its $n directives uncommented fails:
$(grep -v 'file skipped' "$NT_DIR/dump.err")"
fi

# ------------------------------------------------------------------ reinstall, uninstall
echo "refreshInterval 10" >>"$conf"
nt_make install DESTDIR="$D" >"$NT_DIR/install2.log" 2>&1 || nt_fail "second make install failed"
tail -n 1 "$conf" | grep -qx "refreshInterval 10" &&
	nt_pass "a second install keeps the edited numatopd.conf" ||
	nt_fail "a second install overwrote the edited numatopd.conf"
nt_make uninstall DESTDIR="$D" >"$NT_DIR/uninstall.log" 2>&1 || nt_fail "make uninstall failed"
left=$(cd "$D" && find . ! -type d | sed 's/^\.//')
[ "$left" = "$snmpconfdir/numatopd.conf" ] &&
	nt_pass "uninstall removes everything but the edited numatopd.conf" ||
	nt_fail "after uninstall, left: '$left'"
cp "$srcdir/init/numatopd.conf.example" "$conf"
nt_make uninstall DESTDIR="$D" >>"$NT_DIR/uninstall.log" 2>&1
left=$(cd "$D" && find . ! -type d)
[ -z "$left" ] && nt_pass "uninstall removes an unchanged numatopd.conf" ||
	nt_fail "after uninstall, left: $left"

# ------------------------------------------------------------------ the drop-in with snmpd
# Its lines as they are, but for the sockets (into $NT_DIR: the default one at lib.sh's
# $NT_AGENTX, numatopd's under var-agentx/) and the group (ours): snmpd must take them without a
# complaint and make both sockets, 0660 for the group; a subagent must register on each; and the
# view numatopd must show the NUMA subtree and nothing else.
nt_make install DESTDIR="$D" >"$NT_DIR/install3.log" 2>&1 || nt_fail "third make install failed"
# snmpd takes gid 0 for "no group" (it says "Can't identify group"): as root, use another
group=$(id -gn)
if [ "$(id -g)" = 0 ]; then
	for g in nogroup daemon; do
		getent group "$g" >/dev/null 2>&1 && { group=$g; break; }
	done
fi
own=unix:$NT_DIR/var-agentx/numatopd
sed -e "/^agentXSocket /s|unix:/var/agentx/master|$NT_AGENTX|" \
	-e "/^agentXSocket /s|unix:/var/agentx/numatopd|$own|" \
	-e "s|^\(agentXPerms .*\) numatopd$|\1 $group|" \
	"$D$snmpconfdir/snmpd.conf.d/numatopd.conf" >"$NT_DIR/dropin.conf"
grep -qx "agentXSocket $NT_AGENTX,$own" "$NT_DIR/dropin.conf" ||
	nt_fail "the drop-in has no 'agentXSocket unix:/var/agentx/master,unix:/var/agentx/numatopd' line to adapt"
grep -q "^agentXPerms .* $group$" "$NT_DIR/dropin.conf" ||
	nt_fail "the drop-in has no 'agentXPerms ... numatopd' line to adapt"
echo "rocommunity numaro 127.0.0.1 -V numatopd" >>"$NT_DIR/dropin.conf"
nt_start_snmpd <"$NT_DIR/dropin.conf" || nt_done
# what snmpd says while it reads its configuration, up to its "NET-SNMP version" line
sed '/^NET-SNMP version/q' "$NT_DIR/snmpd.log" | grep -Ei "can't|unknown|error|warning|invalid" \
	>"$NT_DIR/complaints"
if [ -s "$NT_DIR/complaints" ]; then
	nt_fail "snmpd complains about the drop-in: $(cat "$NT_DIR/complaints")"
else
	nt_pass "snmpd takes the drop-in without a complaint"
fi
for s in "$NT_AGENTX" "$own"; do
	perm=$(stat -c '%a %G' "${s#unix:}" 2>&1)
	[ "$perm" = "660 $group" ] && nt_pass "the AgentX socket ${s#unix:} is 0660, group $group" ||
		nt_fail "the AgentX socket ${s#unix:} is '$perm', expected '660 $group'"
done

NUMATOPD=$D$sbindir/numatopd
default_agentx=$NT_AGENTX
for NT_AGENTX in "$default_agentx" "$own"; do
	nt_start_numatopd --sysfs-root "$host/sys" --libvirt-xml-dir "$host/libvirt" || nt_done
	nt_wait_numatopd_registered || nt_done
	nt_pass "the installed numatopd registers through ${NT_AGENTX#unix:}"
	[ "$NT_AGENTX" = "$own" ] && break
	nt_stop_numatopd
done
# and at the same time another subagent on the default socket, as keepalived or FRR would be
# (a second snmpd as a subagent, -X, serving UCD-SNMP-MIB's laTable only)
mkdir -p "$NT_DIR/sub-persist"
SNMP_PERSISTENT_DIR=$NT_DIR/sub-persist "$(command -v snmpd || echo /usr/sbin/snmpd)" -f -X \
	-x "$default_agentx" -C -c /dev/null -m '' -I loadave -Lf "$NT_DIR/subagent.log" \
	</dev/null >/dev/null 2>&1 &
nt_track $!
la=
for _ in $(seq 50); do
	la=$(snmpget -v2c -c public -t 1 -r 0 -m '' -On "$NT_TARGET" .1.3.6.1.4.1.2021.10.1.2.1 2>&1)
	case $la in *'"Load-1"'*) break ;; esac
	sleep 0.1
done
numa=$(snmpget -v2c -c public -t 1 -r 0 -m '' -On "$NT_TARGET" \
	.1.3.6.1.4.1.8072.9999.9999.6862.1.1.1.0 2>&1)
case $la$numa in
*'"Load-1"'*'Gauge32: 4'*) nt_pass "a subagent on the default socket and numatopd on its own answer together" ;;
*) nt_fail "both subagents at once: laNames.1 '$la', numaNodeCount '$numa'" ;;
esac
snmpwalk -v2c -c numaro -t 2 -r 1 -m '' -On "$NT_TARGET" .1.3.6.1.4.1.8072.9999.9999.6862.1.1 \
	>"$NT_DIR/view.out" 2>&1
grep -q "^$(nt_re .1.3.6.1.4.1.8072.9999.9999.6862.1.1.1.0) = Gauge32: 4\$" "$NT_DIR/view.out" &&
	nt_pass "the view numatopd shows the NUMA subtree (numaNodeCount 4)" ||
	nt_fail "the view numatopd hides the NUMA subtree: $(head -n 3 "$NT_DIR/view.out")"
snmpget -v2c -c numaro -t 2 -r 1 -m '' -On "$NT_TARGET" .1.3.6.1.2.1.1.3.0 >"$NT_DIR/view2.out" 2>&1
grep -q 'Timeticks' "$NT_DIR/view2.out" && nt_fail "the view numatopd shows sysUpTime.0" ||
	nt_pass "the view numatopd shows nothing outside the subtree"

nt_done
