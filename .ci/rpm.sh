#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# .ci/rpm.sh: build the RPM of numatopd.spec (EL 9 / Fedora) from `make dist`'s tarball as far
# as Debian allows, lint the spec and the package with rpmlint, and check what it holds. Any
# failure exits non-zero.
#
# Needs Debian 12 with rpm, rpmlint and elfutils (apt-get install rpm rpmlint elfutils: eu-strip
# for find-debuginfo) and the build tools of ./autogen.sh. What Debian cannot give, and how this
# stands in:
# - EL's build dependencies (net-snmp-devel, ...): rpmbuild --nodeps, and this machine's
#   compiler and Debian's -dev packages build it.
# - systemd-rpm-macros (%_unitdir, %systemd_post, %sysusers_create_compat, ...): Debian's rpm has
#   none, so a stand-in file below defines them as EL 9's systemd 252 does (its paths, and the
#   scriptlets expanded to the same commands), only for this build.
# The build runs in a temporary copy of the checkout (like .ci/deb.sh), never in this tree.
# RPM_CHECK=1 also runs the spec's %check (make check, ~3 min); by default rpmbuild --nocheck.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

tmp=$(mktemp -d "${TMPDIR:-/tmp}/numatopd-rpm.XXXXXX")
# RPM_KEEP=1 keeps the temporary directory
trap '[ "${RPM_KEEP:-0}" = 1 ] && echo "kept $tmp" >&2 || rm -rf "$tmp"' EXIT

failures=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for t in rpmbuild rpmlint rpm2cpio cpio eu-strip; do
	command -v "$t" >/dev/null || { echo "FAIL: $t not found (apt-get install rpm rpmlint elfutils)" >&2; exit 1; }
done

echo "=== make dist in a copy of the checkout ($tmp/src)"
git() { command git -c safe.directory="$top" "$@"; }
mkdir "$tmp/src"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 -r cp --parents -t "$tmp/src"
if ! (cd "$tmp/src" && autoreconf -fi && ./configure -q && make dist-gzip) >"$tmp/dist.log" 2>&1; then
	tail -n 40 "$tmp/dist.log" >&2
	echo "FAIL: make dist" >&2
	exit 1
fi
tarball=$(cd "$tmp/src" && ls numatopd-*.tar.gz)
version=${tarball#numatopd-}
version=${version%.tar.gz}
echo "tarball: $tarball"

# the spec as the tarball carries it (rpmbuild -ta would read this one)
tar -xzf "$tmp/src/$tarball" -C "$tmp" "numatopd-$version/numatopd.spec" ||
	{ echo "FAIL: $tarball has no numatopd.spec" >&2; exit 1; }
spec=$tmp/numatopd-$version/numatopd.spec
grep -q "^Version: *$version\$" "$spec" && ok "numatopd.spec in the tarball has Version $version" ||
	bad "numatopd.spec's Version is not $version: $(grep '^Version:' "$spec")"

R=$tmp/rpmbuild
mkdir -p "$R/SOURCES" "$R/SPECS"
cp "$tmp/src/$tarball" "$R/SOURCES/"
cp "$tmp/src/init/sysusers.d/numatopd.conf" "$R/SOURCES/numatopd.sysusers"
cp "$spec" "$R/SPECS/"

# The stand-in for what EL 9 has and Debian's rpm lacks. From redhat-rpm-config: scriptlets and
# brp-compress run by bash (/bin/sh is bash there; under Debian's dash brp-compress compresses
# nothing), docs in /usr/share/doc/NAME, debuginfo packages (find-debuginfo strips the binary). From systemd-rpm-macros (systemd 252):
# the directories, and the scriptlets as its macros expand them; %sysusers_create_compat runs,
# like Fedora's sysusers.generate-pre.sh, a groupadd/useradd for each "u" line of the file.
cat >"$tmp/macros.el9" <<'EOF'
%_buildshell /bin/bash
%_docdir_fmt %%{NAME}
%_enable_debug_packages 1
%_debugsource_packages 1
%install %{?_enable_debug_packages:%{?buildsubdir:%{debug_package}}}\
%%install\
%{nil}
%__os_install_post /bin/bash /usr/lib/rpm/brp-compress\
/usr/lib/rpm/brp-strip %{__strip}\
/usr/lib/rpm/brp-strip-comment-note %{__strip} %{__objdump}\
/usr/lib/rpm/brp-remove-la-files\
%{nil}
%_unitdir /usr/lib/systemd/system
%_sysusersdir /usr/lib/sysusers.d
%_tmpfilesdir /usr/lib/tmpfiles.d
%tmpfiles_create() /usr/bin/systemd-tmpfiles --create %{?*} >/dev/null 2>&1 || :
%systemd_requires Requires(post): systemd\
Requires(preun): systemd\
Requires(postun): systemd
%sysusers_requires_compat Requires(pre): shadow-utils
%systemd_post() if [ $1 -eq 1 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then\
    # Initial installation\
    /usr/lib/systemd/systemd-update-helper install-system-units %{?*} || :\
fi
%systemd_preun() if [ $1 -eq 0 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then\
    # Package removal, not upgrade\
    /usr/lib/systemd/systemd-update-helper remove-system-units %{?*} || :\
fi
%systemd_postun_with_restart() if [ $1 -ge 1 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then\
    # Package upgrade, not uninstall\
    /usr/lib/systemd/systemd-update-helper mark-restart-system-units %{?*} || :\
fi
%sysusers_create_compat() %(awk '$1 == "u" { d = ""; for (i = 4; i <= NF - 2; i++) d = d (d == "" ? "" : " ") $i; gsub(/"/, "", d); printf "getent group %%s >/dev/null || groupadd -r %%s || :\\n", $2, $2; printf "getent passwd %%s >/dev/null || useradd -r -g %%s -d %%s -s %%s -c \\"%%s\\" %%s || :\\n", $2, $2, $(NF - 1), $NF, d, $2 }' %1)
EOF

echo "=== rpmbuild -bb --nodeps (log: rpmbuild.log, shown on failure)"
check=--nocheck
[ "${RPM_CHECK:-0}" = 1 ] && check=
t0=$(date +%s)
# shellcheck disable=SC2086 # $check: one option or none
if ! rpmbuild -bb --nodeps $check --load="$tmp/macros.el9" --define "_topdir $R" \
	"$R/SPECS/numatopd.spec" >"$tmp/rpmbuild.log" 2>&1; then
	tail -n 60 "$tmp/rpmbuild.log" >&2
	echo "FAIL: rpmbuild" >&2
	exit 1
fi
t1=$(date +%s)
echo "rpmbuild took $((t1 - t0)) s"
grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$tmp/rpmbuild.log" || :
rpms=$(find "$R/RPMS" -name '*.rpm' | sort)
echo "built: $(for f in $rpms; do basename "$f"; done | tr '\n' ' ')"
pkg=$(echo "$rpms" | grep -v -e '-debug' | head -n 1)
[ -n "$pkg" ] || { echo "FAIL: no binary RPM built" >&2; exit 1; }

echo "=== rpm -qlp: the files"
rpm -qlp "$pkg" >"$tmp/files" 2>/dev/null
sort -o "$tmp/files" "$tmp/files"
cat >"$tmp/want" <<EOF
/etc/snmp/numatopd.conf
/etc/snmp/snmpd.conf.d
/etc/snmp/snmpd.conf.d/numatopd.conf
/usr/lib/.build-id
/usr/lib/.build-id/XX
/usr/lib/.build-id/XX/ID
/usr/lib/systemd/system/numatopd.service
/usr/lib/sysusers.d/numatopd.conf
/usr/lib/tmpfiles.d/numatopd.conf
/usr/lib64/nagios/plugins/check_numa
/usr/sbin/numatopd
/usr/share/doc/numatopd
/usr/share/doc/numatopd/README.md
/usr/share/doc/numatopd/contrib
/usr/share/licenses/numatopd
/usr/share/licenses/numatopd/LICENSE
/usr/share/man/man5/numatopd.conf.5.gz
/usr/share/man/man8/check_numa.8.gz
/usr/share/man/man8/numatopd.8.gz
/usr/share/snmp/mibs/NUMA-TOPOLOGY-MIB.txt
EOF
# (the build-id links' names are the binaries' hashes, one each for numatopd and check_numa,
# hence sort -u; the contrib tree is checked below)
sed -E -e 's|^/usr/lib/\.build-id/[0-9a-f]{2}$|/usr/lib/.build-id/XX|' \
	-e 's|^/usr/lib/\.build-id/[0-9a-f]{2}/[0-9a-f]+$|/usr/lib/.build-id/XX/ID|' \
	-e '\|^/usr/share/doc/numatopd/contrib/|d' "$tmp/files" | sort -u >"$tmp/got"
if diff -u "$tmp/want" "$tmp/got" >"$tmp/files.diff"; then
	ok "rpm -qlp: the daemon, check_numa, the unit, the sysusers and tmpfiles entries, NUMA-TOPOLOGY-MIB only, two config files, three man pages, README, contrib, LICENSE"
else
	bad "rpm -qlp differs from the expected list (- expected, + packaged):"
	cat "$tmp/files.diff" >&2
fi
for f in snmptt/numatopd.conf prometheus/snmp.yml; do
	grep -q -x "/usr/share/doc/numatopd/contrib/$f" "$tmp/files" && ok "doc: contrib/$f" ||
		bad "contrib/$f is not in the package's doc"
done
mibs=$(grep -c '^/usr/share/snmp/mibs/' "$tmp/files" || :)
[ "$mibs" = 1 ] && ok "one file under /usr/share/snmp/mibs (no IETF base MIB)" ||
	bad "$mibs files under /usr/share/snmp/mibs"

echo "=== config files, scriptlets, dependencies"
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$pkg" 2>/dev/null >"$tmp/flags"
for f in /etc/snmp/numatopd.conf /etc/snmp/snmpd.conf.d/numatopd.conf; do
	grep -q -x "cn $f" "$tmp/flags" && ok "$f is %config(noreplace)" ||
		bad "$f is not %config(noreplace): $(grep " $f\$" "$tmp/flags")"
done
grep -q -x "l /usr/share/licenses/numatopd/LICENSE" "$tmp/flags" && ok "LICENSE is %license" ||
	bad "LICENSE is not %license: $(grep LICENSE "$tmp/flags")"
rpm -qp --scripts "$pkg" 2>/dev/null >"$tmp/scripts"
grep -q -F "useradd -r -g numatopd -d /nonexistent -s /usr/sbin/nologin" "$tmp/scripts" &&
	ok "%pre creates the system user numatopd (home /nonexistent, nologin)" ||
	bad "%pre does not create the user numatopd:"
for s in "install-system-units numatopd.service" "remove-system-units numatopd.service" \
	"mark-restart-system-units numatopd.service"; do
	grep -q -F "$s" "$tmp/scripts" && ok "scriptlet: systemd-update-helper $s" ||
		bad "no scriptlet runs systemd-update-helper $s"
done
rpm -qp --requires "$pkg" 2>/dev/null >"$tmp/requires"
grep -q '^libnetsnmpagent\.so' "$tmp/requires" && grep -q '^libxml2\.so' "$tmp/requires" &&
	ok "automatic Requires: libnetsnmpagent, libxml2" ||
	bad "the Requires lack libnetsnmpagent or libxml2: $(tr '\n' ' ' <"$tmp/requires")"
rpm -qp --recommends "$pkg" 2>/dev/null | grep -q -x net-snmp && ok "Recommends: net-snmp" ||
	bad "no Recommends: net-snmp"
[ "${failures}" -eq 0 ] || cat "$tmp/scripts" >&2

echo "=== the payload against the tree"
mkdir "$tmp/root"
(cd "$tmp/root" && rpm2cpio "$pkg" | cpio -idm --quiet)
cmp -s "$tmp/root/usr/share/snmp/mibs/NUMA-TOPOLOGY-MIB.txt" mibs/NUMA-TOPOLOGY-MIB.txt &&
	ok "the MIB is the tree's" || bad "the packaged MIB differs from mibs/NUMA-TOPOLOGY-MIB.txt"
cmp -s "$tmp/root/etc/snmp/snmpd.conf.d/numatopd.conf" init/snmpd.conf.d/numatopd.conf &&
	ok "the snmpd drop-in is the tree's" || bad "the packaged drop-in differs from the tree's"
grep -q '^ExecStart=/usr/sbin/numatopd ' "$tmp/root/usr/lib/systemd/system/numatopd.service" &&
	ok "the unit runs /usr/sbin/numatopd" || bad "the unit's ExecStart is not /usr/sbin/numatopd"
if out=$("$tmp/root/usr/sbin/numatopd" --dump --sysfs-root fixtures/host/sys \
	--libvirt-xml-dir fixtures/host/libvirt 2>/dev/null) && printf '%s\n' "$out" | grep -q '^VMs (14)'; then
	ok "the packaged numatopd --dump reads the fixture host (14 VMs)"
else
	bad "the packaged numatopd --dump failed on the fixture host"
fi

echo "=== rpmlint (the spec, then the package; fails on errors, warnings are listed)"
# rpmlint 2.4 of Debian. The warnings left are explained in README.md ("Install on EL 9 /
# Fedora").
# Debian's rpmlint defaults are openSUSE's; Fedora's configuration (rpmlint's
# configs/Fedora/fedora.toml, licenses.toml) differs in what concerns this package thus:
cat >"$tmp/fedora.toml" <<'EOF'
CompressExtension = "gz"
ValidLicenses = ["BSD-3-Clause"]
Filters = [' no-group-tag', ' no-packager-tag', ' no-signature', ' no-buildroot-tag']
EOF
set +e
rpmlint -c "$tmp/fedora.toml" "$spec" "$pkg" >"$tmp/rpmlint.out" 2>&1
lint_rc=$?
set -e
cat "$tmp/rpmlint.out"
summary=$(grep -E '^ *[0-9]+ packages and [0-9]+ specfiles checked' "$tmp/rpmlint.out" || :)
summary=${summary# }
case $summary in
"") bad "rpmlint printed no summary (exit status $lint_rc)" ;;
*" 0 errors, "*) ok "rpmlint: $summary" ;;
*) bad "rpmlint: $summary" ;;
esac

if [ "$failures" -ne 0 ]; then
	echo "=== .ci/rpm.sh: $failures check(s) failed" >&2
	exit 1
fi
echo "=== .ci/rpm.sh: RPM built, linted and checked"
