/* SPDX-License-Identifier: BSD-3-Clause */
/* replay.c: make check's replay of the fuzz inputs: every file of tests/regress/<target>/ and
 * fuzz/seeds/<target>/, the fixture host's files and libvirt's passthrough test domains
 * (fixtures/hostdev-forms), through the fuzz targets' own functions
 * (fuzz/fuzz_*.c built by gcc without libFuzzer, so the sanitizer build checks them too).
 *   replay                  all of the above (TESTS_DIR and FIXTURES come from make check)
 *   replay TARGET FILE...   these files only, in this process (to debug what libFuzzer found)
 * Each input runs in a child process: a crash or leak names its file and the others still run. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

static const struct target {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} targets[] = {
    {"cpuset", fuzz_cpuset},
    {"sysfs", fuzz_sysfs},
    {"domxml", fuzz_domxml},
    {"xmlsafe", fuzz_xmlsafe},
    {"runtime", fuzz_runtime},
};

#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static const struct target *cur;  /* the target nftw's callback feeds */
static unsigned counts[NTARGETS]; /* inputs replayed per target */
static unsigned passed, failed;

/* The whole file in a buffer of exactly its size, so the sanitizers see any over-read. */
static int slurp(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, r;
	uint8_t *p;

	if (f == NULL)
		return -1;
	p = malloc(cap);
	while (p != NULL && (r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			p = realloc(p, cap *= 2);
	}
	if (p == NULL || ferror(f)) {
		free(p);
		fclose(f);
		return -1;
	}
	fclose(f);
	*buf = realloc(p, n ? n : 1);
	*len = n;
	return *buf != NULL ? 0 : -1;
}

static int run_here(const struct target *t, const char *path)
{
	uint8_t *buf;
	size_t len;

	if (slurp(path, &buf, &len) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	t->fn(buf, len);
	free(buf);
	return 0;
}

static void replay(const struct target *t, const char *path)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("replay: fork");
		exit(99);
	}
	if (pid == 0) /* exit(), not _exit(): LeakSanitizer checks at exit */
		exit(run_here(t, path) < 0 ? 2 : 0);
	if (waitpid(pid, &status, 0) < 0) {
		perror("replay: waitpid");
		exit(99);
	}
	counts[t - targets]++;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		passed++;
		return;
	}
	failed++;
	if (WIFSIGNALED(status))
		printf("FAIL: %s %s: killed by signal %d\n", t->name, path, WTERMSIG(status));
	else
		printf("FAIL: %s %s: exit status %d\n", t->name, path, WEXITSTATUS(status));
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode))
		replay(cur, path);
	return 0;
}

/* Every regular file below dir; a missing dir is fine (git keeps no empty directory). */
static void replay_tree(const struct target *t, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	cur = t;
	nftw(dir, visit, 16, FTW_PHYS);
}

static const struct target *find_target(const char *name)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

static char *path_of(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *p = malloc(n);

	if (p == NULL)
		exit(99);
	snprintf(p, n, "%s/%s/%s", a, b, c);
	return p;
}

int main(int argc, char **argv)
{
	const char *tests = getenv("TESTS_DIR"), *fixtures = getenv("FIXTURES");
	size_t i;

	if (argc >= 2) {
		const struct target *t = find_target(argv[1]);
		int k, bad = 0;

		if (t == NULL || argc < 3) {
			fprintf(stderr, "usage: replay [cpuset|sysfs|domxml|xmlsafe FILE...]\n");
			return 2;
		}
		for (k = 2; k < argc; k++)
			bad |= run_here(t, argv[k]) < 0;
		return bad;
	}
	if (tests == NULL || fixtures == NULL) {
		fprintf(stderr,
			"replay: TESTS_DIR and FIXTURES must be set (make check sets them)\n");
		return 99;
	}
	for (i = 0; i < NTARGETS; i++) {
		const struct target *t = &targets[i];
		char *regress = path_of(tests, "regress", t->name);
		char *seeds = path_of(tests, "../fuzz/seeds", t->name);

		replay_tree(t, regress);
		replay_tree(t, seeds);
		free(regress);
		free(seeds);
	}
	{
		char *sys = path_of(fixtures, "host", "sys"),
		     *lv = path_of(fixtures, "host", "libvirt"),
		     *hd = path_of(fixtures, "hostdev-forms", "libvirt/tests");

		replay_tree(find_target("cpuset"), sys);
		replay_tree(find_target("sysfs"), sys);
		replay_tree(find_target("domxml"), lv);
		replay_tree(find_target("xmlsafe"), lv);
		replay_tree(find_target("domxml"), hd);
		free(sys);
		free(lv);
		free(hd);
	}
	for (i = 0; i < NTARGETS; i++) {
		if (counts[i] == 0) {
			printf("FAIL: %s: no input found (TESTS_DIR=%s FIXTURES=%s)\n",
			       targets[i].name, tests, fixtures);
			failed++;
		} else {
			printf("ok: %s: %u inputs replayed\n", targets[i].name, counts[i]);
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
