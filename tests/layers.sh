#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/layers.sh: the include graph of src/ runs one way. Reads every #include in src/ and
# fails on an include that breaks the layer rule, on a cycle between modules, on a Net-SNMP or
# libxml2 header where it must not be, and on a call that opens a file in src/core or src/snmp.
#
# The rule (folders of src/, lowest first):
#   core/    pure: includes core/ only; no Net-SNMP header, no libxml2 header; never opens a
#            file (the same calls as snmp/ below).
#   source/  reads the world (sysfs, libvirt XML, inotify): core/ and source/; no Net-SNMP header.
#   snmp/    the MIB face: core/ and snmp/; no libxml2 header; never opens a file (no call to
#            open, openat, creat, fopen, freopen, fdopen, opendir, fdopendir or popen).
#            From source/ it may include one header: snmp/settings.h -> source/engine.h, because
#            the numatopd.conf directives fill struct engine_config (a configuration type, not
#            code: the daemon hands it to the engine). Anything else an SNMP file needs from a
#            source belongs in core/ or reaches it through the daemon.
#   src/     main.c and daemon.[ch], the loop: may include anything; nothing in a folder includes
#            them.
# A quoted include names its folder from src/ (#include "core/model.h"). A module is x.c with
# its x.h and x_impl.h (the private header the x*.c files of one split concept share); no
# module may reach itself through includes (x.c including y.h and y.c or y.h including x.h is
# a cycle).
#
#	tests/layers.sh [SRCDIR]     (default: the src/ beside this script)
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init layers

src=${1:-$TESTS_DIR/../src}
[ -d "$src/core" ] || { nt_fail "$src/core: no such folder"; nt_done; }

# Edges the rule always allows, "FROM -> TO" relative to src/ (see the header).
RULE_EXCEPTIONS='
snmp/settings.h -> source/engine.h
'

# Known offences allowed for a while, "FROM -> TO": an include another branch is removing.
# Empty since the account, domxml and descriptor-table branches merged; an entry that no
# longer breaks a rule (gone, or no cycle left) fails the test, so that it goes.
KNOWN_EDGES='
'

# ------------------------------------------------------------------ reading the tree

# FILE<TAB>LINE<TAB>KIND<TAB>NAME for every #include of every file below $1 (paths relative to
# it); KIND is q for "name", a for <name>.
includes() {
	(cd "$1" && find . -name '*.[ch]' | sed 's|^\./||' | LC_ALL=C sort |
	while IFS= read -r f; do
		awk -v f="$f" '
			/^[ \t]*#[ \t]*include[ \t]*"/ {
				n = $0; sub(/^[^"]*"/, "", n); sub(/".*/, "", n)
				print f "\t" FNR "\tq\t" n
			}
			/^[ \t]*#[ \t]*include[ \t]*</ {
				n = $0; sub(/^[^<]*</, "", n); sub(/>.*/, "", n)
				print f "\t" FNR "\ta\t" n
			}' "$f"
	done)
}

# The layer of a path relative to src/: its folder, or "top" for src/ itself.
layer_of() {
	case $1 in
	*/*) echo "${1%%/*}" ;;
	*) echo top ;;
	esac
}

# A layer as the messages name it.
layer_name() {
	[ "$1" = top ] && echo "src/ itself (main, daemon)" || echo "src/$1"
}

# May layer $1 include layer $2?
layer_allows() {
	case $1 in
	top) return 0 ;;
	core) [ "$2" = core ] ;;
	source) [ "$2" = core ] || [ "$2" = source ] ;;
	snmp) [ "$2" = core ] || [ "$2" = snmp ] ;;
	*) return 1 ;;
	esac
}

in_list() { # in_list "EDGE" "$LIST"
	printf '%s\n' "$2" | grep -qxF "$1"
}

# check_tree SRCDIR KNOWN: prints one line per offence ("OFFENCE: ...") and the module
# edges it kept to $NT_DIR/edges; the known edges in KNOWN are skipped (and reported when
# stale).
check_tree() {
	root=$1 known=$2
	: >"$NT_DIR/edges"
	: >"$NT_DIR/seen"
	includes "$root" >"$NT_DIR/includes"
	while IFS=$(printf '\t') read -r file line kind name; do
		from=$(layer_of "$file")
		case $from in
		top | core | source | snmp) ;;
		*)
			echo "OFFENCE: src/$file is in no layer (tests/layers.sh knows core," \
				"source, snmp and src/ itself)"
			continue
			;;
		esac
		case $name in
		net-snmp/*)
			if [ "$from" = core ] || [ "$from" = source ]; then
				echo "OFFENCE: src/$file:$line includes <$name>: no Net-SNMP" \
					"header in src/$from"
			fi
			continue
			;;
		libxml/*)
			if [ "$from" = core ] || [ "$from" = snmp ]; then
				echo "OFFENCE: src/$file:$line includes <$name>: libxml2 lives in" \
					"src/source"
			fi
			continue
			;;
		esac
		[ "$kind" = q ] || continue
		if [ ! -f "$root/$name" ]; then
			if [ -f "$root/$(dirname "$file")/$name" ]; then
				echo "OFFENCE: src/$file:$line includes \"$name\": name the" \
					"folder from src/ (\"$(dirname "$file")/$name\")"
			fi
			continue # not in src/: no layer
		fi
		edge="$file -> $name"
		echo "$edge" >>"$NT_DIR/seen"
		if in_list "$edge" "$known"; then
			continue
		fi
		to=$(layer_of "$name")
		if ! layer_allows "$from" "$to" && ! in_list "$edge" "$RULE_EXCEPTIONS"; then
			echo "OFFENCE: src/$file:$line: $edge: $(layer_name "$from") must not" \
				"include $(layer_name "$to")"
		fi
		echo "$file $name" >>"$NT_DIR/edges"
	done <"$NT_DIR/includes"
	printf '%s\n' "$known" | while IFS= read -r edge; do
		[ -z "$edge" ] || still_needed "$edge" ||
			echo "OFFENCE: the known edge '$edge' is no longer needed (gone, or it" \
				"breaks no rule now): remove it from KNOWN_EDGES"
	done
	find_cycles <"$NT_DIR/edges"
	find_calls "$root"
}

# Does the known edge $1 ("FROM -> TO") still break a rule: is it there, and does it reach up
# or close a cycle with the edges kept?
still_needed() {
	grep -qxF "$1" "$NT_DIR/seen" || return 1
	sn_from=${1%% -> *} sn_to=${1#* -> }
	layer_allows "$(layer_of "$sn_from")" "$(layer_of "$sn_to")" || return 0
	{ cat "$NT_DIR/edges"; echo "$sn_from $sn_to"; } | find_cycles | grep -q .
}

# Cycles between modules (x.c + x.h) on stdin's "FROM TO" file edges: one line per cycle.
find_cycles() {
	awk '
		function mod(p) { sub(/\.[ch]$/, "", p); sub(/_impl$/, "", p); return p }
		function visit(m,    i, j, k, path) {
			state[m] = 1
			stack[++depth] = m
			for (i = 1; i <= nout[m]; i++) {
				k = out[m, i]
				if (state[k] == 1) {
					path = k
					for (j = depth; j >= 1 && stack[j] != k; j--)
						;
					for (j++; j <= depth; j++)
						path = path " -> " stack[j]
					print "OFFENCE: include cycle: " path " -> " k \
					    " (modules: x.c with x.h)"
				} else if (state[k] == 0) {
					visit(k)
				}
			}
			depth--
			state[m] = 2
		}
		{
			a = mod($1); b = mod($2)
			if (a == b || ((a, b) in have))
				next
			have[a, b] = 1
			out[a, ++nout[a]] = b
			if (!(a in state)) { state[a] = 0; order[++n] = a }
			if (!(b in state)) { state[b] = 0; order[++n] = b }
		}
		END {
			for (i = 1; i <= n; i++)
				if (state[order[i]] == 0)
					visit(order[i])
		}'
}

# Calls that open a file in src/core or src/snmp, outside comments and string literals.
OPENERS='open|openat|creat|fopen|freopen|fdopen|opendir|fdopendir|popen'
find_calls() {
	for d in core snmp; do [ -d "$1/$d" ] && echo "$d"; done >"$NT_DIR/open-dirs"
	[ -s "$NT_DIR/open-dirs" ] || return 0
	# shellcheck disable=SC2046 # the folder names have no blanks
	(cd "$1" && find $(cat "$NT_DIR/open-dirs") -name '*.[ch]' | LC_ALL=C sort |
		while IFS= read -r f; do
		awk -v f="$f" -v calls="$OPENERS" '
			{
				s = $0; code = " "; i = 1; len = length(s)
				while (i <= len) {
					c = substr(s, i, 1); c2 = substr(s, i, 2)
					if (cmt) {
						if (c2 == "*/") { cmt = 0; i += 2 } else i++
						continue
					}
					if (c2 == "/*") { cmt = 1; i += 2; continue }
					if (c2 == "//") break
					if (c == "\"" || c == "\047") {
						for (i++; i <= len && substr(s, i, 1) != c; i++)
							if (substr(s, i, 1) == "\\") i++
						i++
						code = code "\"\""
						continue
					}
					code = code c; i++
				}
				if (code ~ "[^A-Za-z0-9_.>](" calls ")[ \t]*[(]")
					print "OFFENCE: src/" f ":" FNR ": opens a file, which" \
					    " src/core and src/snmp never do: " $0
			}' "$f"
	done)
}

# Edges per folder pair of the kept edges ("core -> core: 12").
summary() {
	while read -r a b; do
		echo "$(layer_of "$a") -> $(layer_of "$b")"
	done <"$NT_DIR/edges" | sort | uniq -c | awk '{ printf "  %s %s %s: %d\n", $2, $3, $4, $1 }'
}

# ------------------------------------------------------------------ the checker checks

mkt() { # mkt NAME FILE LINE...: write a file of the test tree $NT_DIR/t/NAME
	t=$NT_DIR/t/$1 p=$2
	shift 2
	mkdir -p "$(dirname "$t/$p")"
	printf '%s\n' "$@" >"$t/$p"
}
clean_tree() { # a small tree that follows the rule
	mkt "$1" core/a.h '#include <stdint.h>'
	mkt "$1" core/a.c '#include "core/a_impl.h"'
	mkt "$1" core/a_impl.h '#include "core/a.h"'
	mkt "$1" core/a_more.c '#include "core/a_impl.h"'
	mkt "$1" source/b.h '#include "core/a.h"' '#include <libxml/tree.h>'
	mkt "$1" source/b.c '#include "source/b.h"'
	mkt "$1" snmp/c.h '#include "core/a.h"' '#include "snmp/d.h"'
	mkt "$1" snmp/c.c '#include "core/a.h"' '#include <net-snmp/net-snmp-config.h>' \
		'static const char *s = "fopen(";' 'int f(void) { return snmp_open(0) + 1; }' \
		'/* never open(path) here,' '   nor fopen(path, "r") */ int g(void);' \
		'int h(void); // nor opendir(d)'
	mkt "$1" snmp/d.h '/* d */'
	mkt "$1" snmp/d.c '#include "snmp/d.h"'
	mkt "$1" main.h '#include "snmp/c.h"'
	mkt "$1" main.c '#include "main.h"' '#include "source/b.h"'
}

# offence NAME PATTERN FILE LINE...: the clean tree with FILE made of LINEs must give an
# offence line that holds PATTERN: proves each check can fail.
offence() {
	name=$1 want=$2 file=$3
	shift 3
	clean_tree "$name"
	mkt "$name" "$file" "$@"
	expect_offence "$name" "$want" ''
}
expect_offence() { # expect_offence NAME PATTERN KNOWN
	got=$(check_tree "$NT_DIR/t/$1" "$3")
	if printf '%s\n' "$got" | grep -qF "$2"; then
		nt_pass "a tree with $1 fails: $2"
	else
		nt_fail "a tree with $1 passed, expected an offence '$2'; got: $got"
	fi
}

expect_clean() { # expect_clean NAME KNOWN WHY
	got=$(check_tree "$NT_DIR/t/$1" "$2")
	if [ -z "$got" ]; then
		nt_pass "$3 passes"
	else
		nt_fail "$3 fails: $got"
	fi
}

clean_tree clean
expect_clean clean '' "a tree that follows the rule"
clean_tree allowed && mkt allowed snmp/d.c '#include "snmp/c.h"' &&
	mkt allowed core/a.c '#include "core/a_impl.h"' '#include "source/b.h"'
expect_clean allowed 'snmp/d.c -> snmp/c.h
core/a.c -> source/b.h' "a tree whose cycle and upward include are known edges"
offence up 'core/a.c -> source/b.h: src/core must not include src/source' \
	core/a.c '#include "core/a.h"' '#include "source/b.h"'
offence sideways 'source/b.c -> snmp/c.h: src/source must not include src/snmp' \
	source/b.c '#include "snmp/c.h"'
offence daemon 'snmp/c.c -> main.h: src/snmp must not include src/ itself' \
	snmp/c.c '#include "main.h"'
offence cycle 'include cycle: snmp/c -> snmp/d -> snmp/c' \
	snmp/d.c '#include "snmp/c.h"'
offence netsnmp 'source/b.c:1 includes <net-snmp/net-snmp-includes.h>: no Net-SNMP header' \
	source/b.c '#include <net-snmp/net-snmp-includes.h>'
offence xml 'core/a.c:1 includes <libxml/parser.h>: libxml2 lives in src/source' \
	core/a.c '#include <libxml/parser.h>'
offence opens 'snmp/c.c:1: opens a file' \
	snmp/c.c 'int f(void) { FILE *x = fopen("a", "r"); return !x; }'
offence opendir 'snmp/c.c:1: opens a file' \
	snmp/c.c 'void *g(void) { return opendir ("/"); }'
offence coreopen 'core/a.c:1: opens a file' \
	core/a.c 'int f(void) { return open("a", 0); }'
offence bare 'source/b.c:1 includes "b.h": name the folder' \
	source/b.c '#include "b.h"'
offence folder 'src/extra/e.c is in no layer' \
	extra/e.c '#include "core/a.h"'
clean_tree known
expect_offence known "the known edge 'core/a.c -> source/b.h' is no longer needed" \
	'core/a.c -> source/b.h'
clean_tree harmless
expect_offence harmless "the known edge 'main.c -> main.h' is no longer needed" 'main.c -> main.h'

# ------------------------------------------------------------------ src/

got=$(check_tree "$src" "$KNOWN_EDGES")
if [ -z "$got" ]; then
	nt_pass "src/: $(wc -l <"$NT_DIR/edges") includes between its files follow the layer" \
		"rule, no cycle, no Net-SNMP header in core or source, no file opened in core or snmp" \
		"(known edges allowed: $(printf '%s\n' "$KNOWN_EDGES" | grep -c .))"
else
	printf '%s\n' "$got" | while IFS= read -r l; do echo "$l" >&2; done
	nt_fail "src/: $(printf '%s\n' "$got" | grep -c .) offences (above)"
fi
echo "include edges between files of src/ by folder (known edges left out):"
summary
nt_done
