#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# man.sh: the manual pages render without a groff warning at any width from 60 to 140 columns,
# and document what the code has: every directive of src/snmp/settings.c in numatopd.conf.5 (with
# the default settings.c states, and an example numatopd accepts), in the example numatopd.conf
# and in README.md's table, every long option of src/main.c in numatopd.8 and README.md, every
# short one in numatopd.8. Names come from the sources, so a new undocumented directive or option
# fails here.
set -u
. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init man
nt_need groff

top=$(cd "${TESTS_DIR:-$(dirname "$0")}/.." && pwd)
page8=$top/man/numatopd.8
page5=$top/man/numatopd.conf.5
plugin8=$top/man/check_numa.8 # its options: tests/check_numa.sh
example=$top/init/numatopd.conf.example
for f in "$page8" "$page5" "$plugin8" "$example" "$top/src/snmp/settings.c" "$top/src/main.c" \
	"$top/README.md"; do
	[ -r "$f" ] || { nt_fail "$f is missing"; nt_done; }
done

# ------------------------------------------------------------------ rendering
# man(1) formats for the terminal's width: "can't break line" and "cannot adjust line" come and
# go with it, so every width is tried (about 2 s for both pages).
for page in "$page8" "$page5" "$plugin8"; do
	name=${page##*/}
	: >"$NT_DIR/warn"
	w=60
	while [ $w -le 140 ]; do
		groff -ww -z -b -Tutf8 -man -rLL=${w}n "$page" 2>&1 |
			sed "s/^/width $w: /" >>"$NT_DIR/warn"
		w=$((w + 1))
	done
	LC_ALL=C groff -ww -z -b -Tascii -man "$page" 2>&1 | sed 's/^/ascii: /' >>"$NT_DIR/warn"
	if [ -s "$NT_DIR/warn" ]; then
		nt_fail "$name: groff warnings: $(head -n 5 "$NT_DIR/warn")"
	else
		nt_pass "$name: no groff warning at widths 60-140, utf8 and ascii"
	fi
	# the page must also say something: a broken macro package renders nothing, silently
	lines=$(groff -Tutf8 -man "$page" 2>/dev/null | wc -l)
	[ "$lines" -gt 50 ] && nt_pass "$name renders ($lines lines)" ||
		nt_fail "$name renders to only $lines lines"
done

# ------------------------------------------------------------------ helpers
# Troff source to plain words: font escapes, \- \: \& \e and quotes out, macro names off.
plain() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\[:&]//g' -e 's/\\e/\\/g' \
		-e 's/\\(mu/x/g' -e 's/\\(aq/'"'"'/g' -e 's/^\.[A-Z][A-Z]* *//' -e 's/"//g'
}

# The tagged paragraphs of one section (.SH TITLE up to the next .SH) of a page, one per line:
# "tag<TAB>body", both plain.
entries() {
	awk -v sec="$2" '
		/^\.SH / { insec = ($0 == ".SH " sec); next }
		!insec { next }
		/^\.(TP|SS|PP|RS|RE)/ {
			if (tag != "") print tag "\t" body
			tag = ""; body = ""; want = ($0 == ".TP"); next
		}
		want { tag = $0; want = 0; next }
		tag != "" { body = body " " $0 }
		END { if (tag != "") print tag "\t" body }
	' "$1" | plain
}

# ------------------------------------------------------------------ directives
# src/snmp/settings.c registers {"name", handler, "ARGS (default X; ...)"} rows.
sed -n 's/^[[:space:]]*{"\([A-Za-z][A-Za-z]*\)", *h_[a-z_]*, *"\(.*\)"},.*$/\1	\2/p' \
	"$top/src/snmp/settings.c" >"$NT_DIR/directives"
ndir=$(wc -l <"$NT_DIR/directives")
[ "$ndir" -ge 10 ] && nt_pass "$ndir directives found in src/snmp/settings.c" ||
	nt_fail "only $ndir directives parsed from src/snmp/settings.c: has its table changed form?"

entries "$page5" DIRECTIVES >"$NT_DIR/dir5"
tab=$(printf '\t')
while IFS=$tab read -r name help; do
	line=$(awk -F '\t' -v n="$name" '{ split($1, w, " ") } w[1] == n' "$NT_DIR/dir5")
	def=$(printf '%s\n' "$help" | sed -n 's/.*(default \([^;)]*\).*/\1/p')
	if [ -z "$line" ]; then
		nt_fail "numatopd.conf.5 has no entry for the directive $name"
	elif [ -z "$def" ]; then
		nt_fail "src/snmp/settings.c states no default for $name: '$help'"
	elif printf '%s\n' "$line" | grep -qF "Default: $def."; then
		nt_pass "numatopd.conf.5 documents $name, default $def"
	else
		nt_fail "numatopd.conf.5: the entry for $name does not say 'Default: $def.'"
	fi
	grep -q "^#$name " "$example" && nt_pass "the example numatopd.conf has #$name" ||
		nt_fail "init/numatopd.conf.example lacks a commented '#$name' line"
	# README.md's table: | `name ARGS` | `default` ... |
	row=$(grep "^| \`$name[ \`]" "$top/README.md")
	case $row in
	*"| \`$def\`"*) nt_pass "README.md lists $name with its default" ;;
	*) nt_fail "README.md's directive table has no row '| \`$name ...\` | \`$def\` ...'" ;;
	esac
done <"$NT_DIR/directives"

# every directive documented has a default and an example line ("Example: NAME VALUE"); the
# examples together are a configuration numatopd accepts
: >"$NT_DIR/examples.conf"
while IFS=$tab read -r tag body; do
	name=${tag%% *}
	case $body in
	*"Default: "*) nt_pass "numatopd.conf.5: $name has a Default" ;;
	*) nt_fail "numatopd.conf.5: the entry for $name has no 'Default: '" ;;
	esac
	case $body in
	*"Example: $name "?*)
		nt_pass "numatopd.conf.5: $name has an Example"
		printf '%s\n' "$name ${body##*"Example: $name "}" >>"$NT_DIR/examples.conf"
		;;
	*) nt_fail "numatopd.conf.5: the entry for $name has no 'Example: $name VALUE'" ;;
	esac
done <"$NT_DIR/dir5"
fx=${FIXTURES:-$top/fixtures}/host
if [ -x "${NUMATOPD:-}" ]; then
	if "$NUMATOPD" --dump -c "$NT_DIR/examples.conf" --sysfs-root "$fx/sys" \
		--libvirt-xml-dir "$fx/libvirt" >"$NT_DIR/examples.out" 2>&1; then
		nt_pass "numatopd accepts the $(wc -l <"$NT_DIR/examples.conf") example lines of numatopd.conf.5"
	else
		nt_fail "numatopd --dump -c refuses the examples of numatopd.conf.5:" \
			"$(grep -v 'file skipped$' "$NT_DIR/examples.out" | head -n 3)"
	fi
fi

# nothing documented that the code does not know (a renamed or removed directive)
cut -f1 "$NT_DIR/dir5" | awk '{ print $1 }' | while read -r name; do
	grep -q "^$name$tab" "$NT_DIR/directives" ||
		echo "numatopd.conf.5 documents '$name', which src/snmp/settings.c does not register"
done >"$NT_DIR/stale"
sed -n 's/^#\([A-Za-z][A-Za-z]*\) .*/\1/p' "$example" | while read -r name; do
	grep -q "^$name$tab" "$NT_DIR/directives" ||
		echo "the example numatopd.conf has '$name', which src/snmp/settings.c does not register"
done >>"$NT_DIR/stale"
[ -s "$NT_DIR/stale" ] && nt_fail "$(cat "$NT_DIR/stale")" ||
	nt_pass "no stale directive in numatopd.conf.5 or the example"

# ------------------------------------------------------------------ options
entries "$page8" OPTIONS | cut -f1 >"$NT_DIR/opt8"
sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", *[a-z_]*_argument.*/\1/p' "$top/src/main.c" \
	>"$NT_DIR/longopts"
nlong=$(wc -l <"$NT_DIR/longopts")
[ "$nlong" -ge 3 ] && nt_pass "$nlong long options found in src/main.c" ||
	nt_fail "only $nlong long options parsed from src/main.c: has longopts changed form?"
while read -r opt; do
	grep -qE -- "(^|[ ,])--$opt([ =[,]|$)" "$NT_DIR/opt8" &&
		nt_pass "numatopd.8 describes --$opt" ||
		nt_fail "numatopd.8 has no OPTIONS entry for --$opt"
	grep -q -- "\`--$opt[ =[\`]" "$top/README.md" && nt_pass "README.md mentions --$opt" ||
		nt_fail "README.md does not mention \`--$opt\`"
done <"$NT_DIR/longopts"

short=$(sed -n 's/.*getopt_long([^"]*"\([^"]*\)".*/\1/p' "$top/src/main.c" | tr -d ':')
[ -n "$short" ] && nt_pass "short options in src/main.c: $short" ||
	nt_fail "no getopt_long option string found in src/main.c"
for opt in $(printf '%s\n' "$short" | sed 's/./& /g'); do
	grep -qE -- "(^|[ ,])-$opt([ ,[]|$)" "$NT_DIR/opt8" &&
		nt_pass "numatopd.8 describes -$opt" ||
		nt_fail "numatopd.8 has no OPTIONS entry for -$opt"
done

nt_done
