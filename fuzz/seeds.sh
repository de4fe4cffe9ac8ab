#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# fuzz/seeds.sh: assemble the seed inputs of every fuzz target into a build directory, from
# fuzz/seeds/, fixtures/ and the shared corpus (read in place, never copied into the tree).
#   seeds.sh SRCDIR CORPUS OUTDIR    -> OUTDIR/{cpuset,sysfs,domxml,xmlsafe,runtime}/<sha1>
# CORPUS may be missing (a bare clone): the seeds then come from the tree alone, unless
# NUMATOPD_REQUIRE_ALL=1 (CI), which makes a missing corpus an error.
set -eu
. "$(dirname "$0")/lib.sh"

fuzz_args 3 3 "SRCDIR CORPUS OUTDIR" "$@"
src=$1
corpus=$2
out=$3
if [ ! -d "$corpus" ]; then
	if [ "${NUMATOPD_REQUIRE_ALL:-0}" = 1 ]; then
		fuzz_die "the corpus '$corpus' is not a directory (NUMATOPD_REQUIRE_ALL=1;" \
			"configure --with-shared-dir=DIR names it)"
	fi
	echo "$fuzz_me: no corpus at '$corpus': seeds from the tree alone" >&2
	corpus=
fi

rm -rf "$out"
for t in $FUZZ_ALL_TARGETS; do
	mkdir -p "$out/$t"
done

# Named by content, as libFuzzer names its own corpus files: the same seed from two places
# is one file.
put() {
	h=$(sha1sum <"$2" | cut -c1-40)
	[ -e "$out/$1/$h" ] || cp "$2" "$out/$1/$h"
}

# find's file list, one per line; our trees and the corpus have no newline in a name
each() {
	t=$1
	while IFS= read -r f; do
		put "$t" "$f"
	done
}

trees() {
	echo "$src/fixtures"
	[ -z "$corpus" ] || echo "$corpus"
}

# The committed seeds
for t in $FUZZ_ALL_TARGETS; do
	[ -d "$src/fuzz/seeds/$t" ] && find "$src/fuzz/seeds/$t" -type f | each "$t"
done

# sysfs: the node attributes sysfs.c reads
trees | while IFS= read -r d; do
	find -H "$d" -type f \( -name meminfo -o -name distance -o -name cpulist -o \
		-name nr_hugepages -o -name free_hugepages -o -name surplus_hugepages \) -path '*node*'
done | each sysfs

# cpuset: kernel lists from sysfs, and every set attribute libvirt XML holds (libvirt syntax)
trees | while IFS= read -r d; do
	find -H "$d" -type f \( -name cpulist -o -name online -o -name possible -o -name has_cpu -o \
		-name has_memory -o -name has_normal_memory \) -path '*node*'
done | each cpuset
tmp=$out/.value
trees | while IFS= read -r d; do
	find -H "$d" -type f -name '*.xml' -exec grep -ohE \
		"(cpuset|nodeset|cpus)=('[^']*'|\"[^\"]*\")" {} +
done | sed -e 's/^[a-z]*=.//' -e 's/.$//' | sort -u | while IFS= read -r v; do
	printf '%s' "$v" >"$tmp"
	put cpuset "$tmp"
done
rm -f "$tmp"

# runtime: the fake proc and cgroup trees' files the runtime reader parses
find "$src/fixtures/runtime" -type f \( -name stat -o -name status -o -name cgroup -o \
	-name memory.numa_stat -o -name numa_maps \) | each runtime

# domxml: every libvirt file of the fixture host (also the skipped and broken ones), libvirt's
# passthrough test domains (fixtures/hostdev-forms) and the corpus (status files, configs,
# capabilities)
find "$src/fixtures/host/libvirt" -type f | each domxml
find "$src/fixtures/hostdev-forms" -type f -name '*.xml' | each domxml
[ -z "$corpus" ] || find -H "$corpus" -type f -name '*.xml' ! -path '*/schemas/*' | each domxml

# xmlsafe: the boundary reads any XML, so every domxml seed is one of its seeds too
find "$out/domxml" -type f | each xmlsafe

for t in $FUZZ_ALL_TARGETS; do
	printf '%s: %s seeds  ' "$t" "$(find "$out/$t" -type f | wc -l)"
done
echo "(in $out${corpus:+, with $corpus})"
