/* SPDX-License-Identifier: BSD-3-Clause */
/* fuzz.h: one function per fuzz target, shared by the libFuzzer binaries (fuzz/fuzz_*.c built
 * by clang with -DNUMATOPD_LIBFUZZER) and tests/replay.c, which replays inputs in make check. */
#ifndef NUMATOPD_FUZZ_H
#define NUMATOPD_FUZZ_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each takes one input, checks the invariants, frees everything and returns 0. A broken
 * invariant aborts: libFuzzer saves the input as a crash, the replay test fails on it. */
int fuzz_cpuset(const uint8_t *data, size_t size);
int fuzz_sysfs(const uint8_t *data, size_t size);
int fuzz_domxml(const uint8_t *data, size_t size);
int fuzz_xmlsafe(const uint8_t *data, size_t size);
int fuzz_runtime(const uint8_t *data, size_t size);

/* Not assert(): it must stay on in every build, NDEBUG or not. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A parser's reason for a refusal: a non-empty string that fits its buffer. Returns its
 * length, for what a target checks on top. */
static inline size_t fuzz_reason_fits(const char *err, size_t errlen)
{
	size_t n = strnlen(err, errlen);

	FUZZ_CHECK(n > 0 && n < errlen);
	return n;
}

/* A parser's reason is logged as is: one line of printable ASCII. */
static inline void fuzz_check_reason(const char *err, size_t errlen)
{
	size_t n = fuzz_reason_fits(err, errlen), i;

	for (i = 0; i < n; i++)
		FUZZ_CHECK(isprint((unsigned char)err[i]));
}

/* FUZZ_ENTRY(fuzz_x), last in fuzz/fuzz_x.c: libFuzzer's entry point calling fuzz_x() in the
 * clang build (-DNUMATOPD_LIBFUZZER, one target a binary); nothing in tests/replay, which
 * links all targets into one program. */
#ifdef NUMATOPD_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_ENTRY(target)                                                                         \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                               \
	{                                                                                          \
		return target(data, size);                                                         \
	}
#else
#define FUZZ_ENTRY(target)
#endif

#endif
