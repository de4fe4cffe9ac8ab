#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# fuzz/run.sh: run each libFuzzer target (built by make fuzz) for SECONDS from fresh seeds plus
# the corpus it grew before; fails on any crash, leak, timeout or out-of-memory.
#   run.sh SECONDS SRCDIR CORPUS TARGET...    (from the build directory; outputs under fuzz/)
# FUZZ_SEED=S (environment): libFuzzer's -seed, so the same inputs are tried again; FUZZ_RUNS=R:
# stop each target after R executions (SECONDS still caps it). Both unset: a random seed, time only.
# Per target: fuzz/corpus/T (grows across runs), fuzz/artifacts/T/ (what failed), and
# fuzz/artifacts/T.log (libFuzzer's output). A failing input goes to tests/regress/T/ with its fix.
set -u
. "$(dirname "$0")/lib.sh"

fuzz_args 4 - "SECONDS SRCDIR CORPUS TARGET..." "$@"
secs=$1
src=$2
corpus=$3
shift 3
case $secs in
'' | *[!0-9]*)
	echo "$fuzz_me: FUZZ_SECONDS must be a whole number of seconds, not '$secs'" >&2
	exit 2
	;;
esac
seed_args=
for v in "${FUZZ_SEED:-}" "${FUZZ_RUNS:-}"; do
	case $v in
	*[!0-9]*)
		echo "$fuzz_me: FUZZ_SEED and FUZZ_RUNS are whole numbers, not '$v'" >&2
		exit 2
		;;
	esac
done
[ -n "${FUZZ_SEED:-}" ] && seed_args="-seed=$FUZZ_SEED"
[ -n "${FUZZ_RUNS:-}" ] && seed_args="$seed_args -runs=$FUZZ_RUNS"

sh "$src/fuzz/seeds.sh" "$src" "$corpus" fuzz/seed-inputs || exit 1

# Readable stack traces when a symbolizer is installed (Debian: llvm, or llvm-14 alone).
for s in llvm-symbolizer llvm-symbolizer-14; do
	if command -v "$s" >/dev/null 2>&1; then
		ASAN_SYMBOLIZER_PATH=$(command -v "$s")
		export ASAN_SYMBOLIZER_PATH
		break
	fi
done
UBSAN_OPTIONS=print_stacktrace=1
export UBSAN_OPTIONS

failed=0
for t in "$@"; do
	bin=fuzz/fuzz_$t
	art=fuzz/artifacts/$t
	log=fuzz/artifacts/$t.log
	# artifacts of an earlier run were reported then; only this run's count now
	rm -rf "$art"
	mkdir -p "fuzz/corpus/$t" "$art"
	# XML seeds run to tens of KiB; the set and sysfs parsers see short lines
	case $t in
	domxml | xmlsafe) maxlen=65536 ;;
	*) maxlen=4096 ;;
	esac
	dict=
	[ -f "$src/fuzz/$t.dict" ] && dict=-dict=$src/fuzz/$t.dict
	# the boundary sees the same files as the domain parser: its dictionary fits
	[ "$t" = xmlsafe ] && dict=-dict=$src/fuzz/domxml.dict
	echo "fuzz: $t for $secs s${seed_args:+ ($seed_args)}"
	# -timeout: one input that takes 10 s is a hang; -malloc_limit_mb: one allocation of
	# 256 MiB is a memory bomb (files are capped at 16 MiB). Both fail, like a crash or a leak.
	# RSS itself grows to ~0.5 GiB with ASan's quarantine, hence libFuzzer's default limit.
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 \
		-max_len="$maxlen" $seed_args \
		-print_final_stats=1 -artifact_prefix="$art/" $dict \
		"fuzz/corpus/$t" "fuzz/seed-inputs/$t" >"$log" 2>&1
	rc=$?
	# the last status line ("#N DONE cov: C ft: F corp: ... exec/s: E rss: R") and the totals
	last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	echo "  $t: ${execs:-?} executions, ${speed:-?} exec/s, peak RSS ${rss:-?} MB;" \
		"$(echo "$last" | sed -n 's/.*\(cov: [0-9]*\) \(ft: [0-9]*\) \(corp: [^ ]*\).*/\1 \2 \3/p')"
	found=$(find "$art" -type f | head -n 20)
	if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
		failed=$((failed + 1))
		echo "FAIL: fuzz target $t (exit $rc); tail of $log:" >&2
		tail -n 60 "$log" >&2
		[ -n "$found" ] && printf 'failing input(s), replay with tests/replay %s FILE:\n%s\n' \
			"$t" "$found" >&2
	fi
done
[ "$failed" -eq 0 ] && echo "fuzz: $# targets, no crash, leak or hang" && exit 0
echo "fuzz: $failed of $# targets failed" >&2
exit 1
