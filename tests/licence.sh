#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# licence.sh: the project is BSD-3-Clause and says so in LICENSE, README.md and debian/copyright
# (DEP-5); every file of the tree copied from elsewhere (tests/mibs, fixtures/corpus,
# fixtures/qemualloc, fixtures/hostdev-forms/libvirt) is named by a debian/copyright stanza of
# its own that is not the project's licence, and every Files: pattern there matches a file;
# every source file of ours carries an SPDX line.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init licence

top=$(cd "${TESTS_DIR:-$(dirname "$0")}/.." && pwd)
cr=$top/debian/copyright

grep -q '^BSD 3-Clause License$' "$top/LICENSE" 2>/dev/null &&
	grep -q '^Copyright (c) 2026 The numatopd authors$' "$top/LICENSE" &&
	grep -q 'Neither the name of the copyright holder' "$top/LICENSE" &&
	nt_pass "LICENSE holds the BSD-3-Clause text for the numatopd authors" ||
	nt_fail "LICENSE is missing or not the BSD-3-Clause text"
grep -q '^## Licence' "$top/README.md" && grep -q 'BSD-3-Clause' "$top/README.md" &&
	nt_pass "README.md has a Licence section naming BSD-3-Clause" ||
	nt_fail "README.md lacks a '## Licence' section naming BSD-3-Clause"
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$cr" &&
	nt_pass "debian/copyright is in DEP-5 form" || nt_fail "debian/copyright has no DEP-5 Format: line"
grep -qi 'TODO\|unlicensed\|may not be redistributed' "$cr" &&
	nt_fail "debian/copyright still says: $(grep -i 'TODO\|unlicensed\|redistributed' "$cr")" ||
	nt_pass "debian/copyright has no TODO or 'unlicensed' left"

# Stanzas as "license<TAB>pattern" lines; Files: continues on indented lines.
awk '
	/^Files:/ { files = substr($0, 7); infiles = 1; next }
	infiles && /^ / { files = files " " $0; next }
	{ infiles = 0 }
	/^License:/ && files != "" {
		lic = $2; n = split(files, p, " ")
		for (i = 1; i <= n; i++) if (p[i] != "") print lic "\t" p[i]
		files = ""
	}
' "$cr" >"$NT_DIR/stanzas"
[ "$(awk -F'\t' '$2 == "*" { print $1 }' "$NT_DIR/stanzas")" = BSD-3-Clause ] &&
	nt_pass "Files: * is BSD-3-Clause" || nt_fail "Files: * is not 'License: BSD-3-Clause'"
# every pattern matches a file of the tree (as the shell globs it from the top)
while IFS="$(printf '\t')" read -r lic pat; do
	[ "$pat" = "*" ] && continue
	set -- "$top"/$pat
	[ -e "$1" ] && nt_pass "Files: $pat ($lic) matches" || nt_fail "Files: $pat ($lic) matches nothing"
done <"$NT_DIR/stanzas"
# every copied file is claimed by a stanza other than Files: * (the last match wins, as in DEP-5)
(cd "$top" && find tests/mibs fixtures/corpus fixtures/qemualloc fixtures/hostdev-forms/libvirt \
	-type f ! -name README.md | sort) >"$NT_DIR/copied"
[ -s "$NT_DIR/copied" ] || nt_fail "no files under tests/mibs, fixtures/corpus, fixtures/qemualloc or fixtures/hostdev-forms"
unclaimed=
while read -r f; do
	lic=
	while IFS="$(printf '\t')" read -r l pat; do
		[ "$pat" = "*" ] && continue
		# shellcheck disable=SC2254
		case $f in $pat) lic=$l ;; esac
	done <"$NT_DIR/stanzas"
	[ -n "$lic" ] || unclaimed="$unclaimed $f"
done <"$NT_DIR/copied"
[ -z "$unclaimed" ] &&
	nt_pass "each of the $(wc -l <"$NT_DIR/copied") copied files has its own debian/copyright stanza" ||
	nt_fail "copied files that debian/copyright gives to the project:$unclaimed"

# every source file of the project names its licence (SPDX) in its first five lines
(cd "$top" && find src tests fuzz bench contrib .ci init fixtures -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \) \
	! -path 'fixtures/corpus/*' ! -path 'tests/mibs/*' 2>/dev/null | sort) >"$NT_DIR/ours"
for f in configure.ac Makefile.am autogen.sh .ci/run; do
	[ -f "$top/$f" ] && echo "$f" >>"$NT_DIR/ours"
done
nospdx=
while read -r f; do
	head -n 5 "$top/$f" | grep -q 'SPDX-License-Identifier: BSD-3-Clause' || nospdx="$nospdx $f"
done <"$NT_DIR/ours"
[ "$(wc -l <"$NT_DIR/ours")" -gt 100 ] && [ -z "$nospdx" ] &&
	nt_pass "each of the $(wc -l <"$NT_DIR/ours") source files names BSD-3-Clause (SPDX)" ||
	nt_fail "source files without an SPDX BSD-3-Clause line:$nospdx"

nt_done
