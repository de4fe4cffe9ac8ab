# SPDX-License-Identifier: BSD-3-Clause
# fuzz/lib.sh: what fuzz/run.sh and fuzz/seeds.sh both start with, sourced by both: the
# targets there are, the argument check, and how they fail.
#	. "$(dirname "$0")/lib.sh"

# Every fuzz target: fuzz/fuzz_T.c, seeds in fuzz/seeds/T/, make fuzz's FUZZ_TARGETS.
FUZZ_ALL_TARGETS="cpuset sysfs domxml xmlsafe runtime"

fuzz_me=${0##*/}

# fuzz_die MESSAGE: "SCRIPT: MESSAGE" on stderr, exit 1
fuzz_die() {
	echo "$fuzz_me: $*" >&2
	exit 1
}

# fuzz_args MIN MAX USAGE "$@": exit 2 with the usage line unless MIN <= $# <= MAX
# (MAX - : no upper limit)
fuzz_args() {
	fa_min=$1 fa_max=$2 fa_usage=$3
	shift 3
	if [ $# -lt "$fa_min" ] || { [ "$fa_max" != - ] && [ $# -gt "$fa_max" ]; }; then
		echo "usage: $fuzz_me $fa_usage" >&2
		exit 2
	fi
}
