/* SPDX-License-Identifier: BSD-3-Clause */
/* test_runtime.c: the runtime reader: its parsers (table-driven, malformed and truncated input),
 * the affinity and stray verdicts, and whole VMs read from the fake proc and cgroup trees of
 * fixtures/runtime (v1 and v2), plus vanished, truncated and slow files in temp copies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/account.h"
#include "core/cpuset.h"
#include "core/util.h"
#include "core/vmrun.h"
#include "core/model.h"
#include "source/domxml.h"
#include "source/engine.h"
#include "source/runtime.h"
#include "source/sysfs.h"
#include "tmpdir.h"

#define MiB (1024ull * 1024)

static struct cpuset *set(const char *s)
{
	char err[ERRLEN];
	struct cpuset *c = cpuset_parse(s, strlen(s), CPUSET_MAX_CPUS, CPUSET_KERNEL, err,
					sizeof(err));

	if (c == NULL)
		fail_msg("%s: %s", s, err);
	return c;
}

/* ---------------------------------------------------------------- /proc/PID/stat */

struct stat_case {
	const char *name, *in;
	char state;
	uint64_t start;
	int cpu;
	const char *err; /* substring, NULL = must parse */
};

#define TAIL19 "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 17"

static const struct stat_case stat_cases[] = {
    {"plain", "7101 (CPU 0/KVM) S 1 2 3 0 -1 4 5 6 7 8 9 10 11 12 20 0 4 0 777 100 200 "
	      "1 1 0 0 0 0 0 0 4096 17638 0 0 0 17 5 0 0 0 0 0\n", 'S', 777, 5, NULL},
    {"comm holding ') ' and spaces", "42 (a) b (c) ) R 1 2 3 0 -1 4 5 6 7 8 9 10 11 12 20 0 "
	      "4 0 9 100 200 1 1 0 0 0 0 0 0 4096 17638 0 0 0 17 3", 'R', 9, 3, NULL},
    {"zombie", "9 (q) Z 1 2 3 0 -1 4 5 6 7 8 9 10 11 12 20 0 4 0 1 100 200 1 1 0 0 0 0 0 0 "
	      "4096 17638 0 0 0 17 0", 'Z', 1, 0, NULL},
    {"truncated before field 39", "9 (q) S 1 2 3 0 -1 4 5 6 7 8 9 10 11 12 20 0 4 0 1 100 "
	      "200 1 1 0 0 0", 0, 0, 0, "field 30 is missing"},
    {"truncated inside the name", "9 (qemu-sys", 0, 0, 0, "no ')'"},
    {"empty", "", 0, 0, 0, "no ')'"},
    {"state is a word", "9 (q) SS 1", 0, 0, 0, "field 3"},
    {"start time not a number", "9 (q) S 1 2 3 0 -1 4 5 6 7 8 9 10 11 12 20 0 4 0 1x 100 "
	      "200 1 1 0 0 0 0 0 0 4096 17638 0 0 0 17 0", 0, 0, 0, "field 22"},
    {"last CPU over the limit", "9 (q) S 1 2 3 0 -1 4 5 6 7 8 9 10 11 12 20 0 4 0 1 100 200 "
	      "1 1 0 0 0 0 0 0 4096 17638 0 0 0 17 8192", 0, 0, 0, "field 39"},
};

static void test_parse_stat_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(stat_cases); i++) {
		const struct stat_case *c = &stat_cases[i];
		struct proc_stat ps = {0};
		char err[ERRLEN] = "";
		int rc = runtime_parse_stat(c->in, strlen(c->in), &ps, err, sizeof(err));

		if (c->err == NULL) {
			if (rc != 0)
				fail_msg("%s: %s", c->name, err);
			assert_int_equal(ps.state, c->state);
			assert_int_equal(ps.starttime, c->start);
			assert_int_equal(ps.processor, c->cpu);
		} else {
			if (rc != -1 || strstr(err, c->err) == NULL)
				fail_msg("%s: rc %d, err '%s', want '%s'", c->name, rc, err, c->err);
		}
	}
}

/* ---------------------------------------------------------------- status, btime */

static void test_parse_allowed(void **state)
{
	const char *ok = "Name:\tCPU 1/KVM\nCpus_allowed:\tff\nCpus_allowed_list:\t0-3,8\n"
			 "Mems_allowed_list:\t0\n";
	struct cpuset *c = NULL;
	char err[ERRLEN], *s;

	(void)state;
	assert_int_equal(runtime_parse_allowed(ok, strlen(ok), &c, err, sizeof(err)), 0);
	s = cpuset_format(c);
	assert_string_equal(s, "0-3,8");
	free(s);
	cpuset_free(c);
	/* a file cut before the line, a broken list, an empty one */
	assert_int_equal(runtime_parse_allowed(ok, 30, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no Cpus_allowed_list"));
	assert_int_equal(runtime_parse_allowed("Cpus_allowed_list:\t3-1\n", 23, &c, err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "reversed"));
	assert_int_equal(runtime_parse_allowed("Cpus_allowed_list:\t\n", 20, &c, err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
}

static void test_parse_btime(void **state)
{
	const char *ok = "cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n";
	char err[ERRLEN];
	int64_t t = 0;

	(void)state;
	assert_int_equal(runtime_parse_btime(ok, strlen(ok), &t, err, sizeof(err)), 0);
	assert_int_equal(t, 1700000000);
	assert_int_equal(runtime_parse_btime("btime x\n", 8, &t, err, sizeof(err)), -1);
	assert_int_equal(runtime_parse_btime("cpu 1\n", 6, &t, err, sizeof(err)), -1);
}

/* ---------------------------------------------------------------- cgroup */

struct cg_case {
	const char *name, *in;
	bool v1;
	const char *path; /* NULL: error */
};

static const struct cg_case cg_cases[] = {
    {"v2 only", "0::/machine.slice/m.scope/libvirt/emulator\n", false,
     "/machine.slice/m.scope/libvirt/emulator"},
    {"v1 memory beats 0::", "9:name=systemd:/\n4:memory:/machine/q.libvirt-qemu\n0::/\n", true,
     "/machine/q.libvirt-qemu"},
    {"memory among controllers", "3:cpu,memory:/a\n", true, "/a"},
    {"memoryx is not memory", "3:memoryx:/a\n0::/b\n", false, "/b"},
    {"no trailing newline", "0::/x", false, "/x"},
    {"neither line", "4:cpu:/a\n", false, NULL},
    {"a line without colons", "garbage\n", false, NULL},
    {"relative path", "0::machine\n", false, NULL},
    {"dot-dot component", "0::/a/../../etc\n", false, NULL},
    {"dots that are a name", "0::/a/..b\n", false, "/a/..b"},
    {"empty", "", false, NULL},
};

static void test_parse_cgroup_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cg_cases); i++) {
		const struct cg_case *c = &cg_cases[i];
		char err[ERRLEN] = "", *path = NULL;
		bool v1 = !c->v1;
		int rc = runtime_parse_cgroup(c->in, strlen(c->in), &v1, &path, err, sizeof(err));

		if (c->path == NULL) {
			if (rc != -1)
				fail_msg("%s: parsed as %s", c->name, path);
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %s", c->name, err);
		assert_string_equal(path, c->path);
		if (v1 != c->v1)
			fail_msg("%s: v1 is %d", c->name, v1);
		free(path);
	}
}

static void test_vm_group_depth(void **state)
{
	(void)state;
	assert_int_equal(runtime_vm_group_depth("/machine.slice/machine-qemu\\x2d1\\x2dweb.scope/"
						"libvirt/emulator"), 2);
	assert_int_equal(runtime_vm_group_depth("/machine/qemu-1-web.libvirt-qemu/emulator"), 2);
	assert_int_equal(runtime_vm_group_depth("/user.slice/user-0.slice/session-3.scope"), 3);
	assert_int_equal(runtime_vm_group_depth("/machine/vm1/emulator"), 0);
	assert_int_equal(runtime_vm_group_depth("/"), 0);
	assert_int_equal(runtime_vm_group_depth("/.scope"), 0); /* nothing before the suffix */
}

/* ---------------------------------------------------------------- numa_stat */

static void expect_nodes(const struct node_bytes *nb, size_t n, const char *want)
{
	char got[512] = "";
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%sN%u=%llu",
			 i ? " " : "", nb[i].node, (unsigned long long)nb[i].bytes);
	assert_string_equal(got, want);
}

static void test_numa_stat_v1(void **state)
{
	const char *full = "total=30 N0=10 N1=20\nfile=20 N0=10 N1=10\nanon=7 N0=0 N1=7\n"
			   "hierarchical_total=40 N0=10 N1=30\nhierarchical_anon=17 N0=0 N1=17\n";
	const char *flat = "total=30 N0=10 N1=20\nanon=7 N0=2 N1=5\n";
	struct node_bytes *nb;
	char err[ERRLEN];
	size_t n;

	(void)state;
	/* hierarchical_anon (children included) in pages, never total (page cache) */
	assert_int_equal(runtime_parse_numa_stat(full, strlen(full), true, 4096, &nb, &n, err,
						 sizeof(err)), 0);
	expect_nodes(nb, n, "N0=0 N1=69632");
	free(nb);
	assert_int_equal(runtime_parse_numa_stat(flat, strlen(flat), true, 4096, &nb, &n, err,
						 sizeof(err)), 0);
	expect_nodes(nb, n, "N0=8192 N1=20480");
	free(nb);
	/* anon= cut in the middle of an item */
	assert_int_equal(runtime_parse_numa_stat(flat, strlen(flat) - 4, true, 4096, &nb, &n, err,
						 sizeof(err)), -1);
	assert_non_null(strstr(err, "N<node>=<number>"));
	assert_null(nb);
	assert_int_equal(runtime_parse_numa_stat("total=1 N0=1\n", 13, true, 4096, &nb, &n, err,
						 sizeof(err)), -1);
	assert_non_null(strstr(err, "no anon= line"));
}

static void test_numa_stat_v2(void **state)
{
	const char *ok = "anon N0=4096 N1=8192\nfile N0=99 N1=99\nshmem N0=1 N2=3\n"
			 "anon_thp N0=4096 N1=0\n";
	struct node_bytes *nb;
	char err[ERRLEN];
	size_t n;

	(void)state;
	/* anon + shmem per node; anon_thp and file are not counted; a node only shmem has */
	assert_int_equal(runtime_parse_numa_stat(ok, strlen(ok), false, 4096, &nb, &n, err,
						 sizeof(err)), 0);
	expect_nodes(nb, n, "N0=4097 N1=8192 N2=3");
	free(nb);
	assert_int_equal(runtime_parse_numa_stat("shmem N0=1\n", 11, false, 4096, &nb, &n, err,
						 sizeof(err)), -1);
	assert_non_null(strstr(err, "no anon line"));
	assert_int_equal(runtime_parse_numa_stat("anon N0=1 X=2\n", 14, false, 4096, &nb, &n, err,
						 sizeof(err)), -1);
	assert_int_equal(runtime_parse_numa_stat("anon N1024=1\n", 13, false, 4096, &nb, &n, err,
						 sizeof(err)), -1);
	assert_int_equal(runtime_parse_numa_stat("anon N0=-1\n", 11, false, 4096, &nb, &n, err,
						 sizeof(err)), -1);
	assert_int_equal(runtime_parse_numa_stat("", 0, false, 4096, &nb, &n, err, sizeof(err)),
			 -1);
}

/* ---------------------------------------------------------------- verdicts */

struct verdict_case {
	const char *name, *actual, *configured; /* configured "" = floating; actual NULL = none */
	enum affinity_verdict want;
};

static const struct verdict_case verdict_cases[] = {
    {"pinned, same", "4", "4", AFFINITY_SAME},
    {"pinned, narrowed", "4", "4-5", AFFINITY_NARROWED},
    {"pinned, escaped", "4,9", "4", AFFINITY_ESCAPED},
    {"pinned, moved entirely", "9", "4", AFFINITY_ESCAPED},
    {"floating, every online CPU", "0-23", "", AFFINITY_SAME},
    {"floating, possible CPUs beyond the online ones", "0-63", "", AFFINITY_SAME},
    {"floating, narrowed by taskset", "0", "", AFFINITY_NARROWED},
    {"pinned to CPUs partly offline: only online ones count", "4,40", "4", AFFINITY_SAME},
    {"nothing online left", "40-41", "4", AFFINITY_UNKNOWN},
    {"not measured", NULL, "4", AFFINITY_UNKNOWN},
};

static void test_verdict_table(void **state)
{
	struct cpuset *online = set("0-23");
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(verdict_cases); i++) {
		const struct verdict_case *c = &verdict_cases[i];
		struct cpuset *a = c->actual ? set(c->actual) : NULL, *conf = set(c->configured);
		enum affinity_verdict v = vmrun_verdict(a, conf, online);

		if (v != c->want)
			fail_msg("%s: %s, want %s", c->name, vmrun_verdict_name(v),
				 vmrun_verdict_name(c->want));
		cpuset_free(a);
		cpuset_free(conf);
	}
	assert_int_equal(vmrun_verdict(NULL, NULL, NULL), AFFINITY_UNKNOWN);
	cpuset_free(online);
}

static void test_stray_and_resident(void **state)
{
	struct node_bytes mem[] = {{0, 1000}, {1, 900}, {4, 200}, {6, 0}};
	struct vm_run r = {.state = RUN_RUNNING, .mem = mem, .nmem = 4, .mem_measured = true};
	struct cpuset *allowed = set("0-1"), *none = cpuset_new(CPUSET_MAX_NODES);

	(void)state;
	assert_int_equal(vmrun_resident(&r), 2100);
	assert_int_equal(vmrun_stray(&r, allowed), 200);
	assert_int_equal(vmrun_stray(&r, none), 2100);
	mem[2].bytes = UINT64_MAX; /* saturates, never wraps */
	assert_true(vmrun_resident(&r) == UINT64_MAX);
	cpuset_free(allowed);
	cpuset_free(none);
}

/* ---------------------------------------------------------------- the fixture trees */

static const char *fixtures(void)
{
	const char *fx = getenv("FIXTURES");

	return fx ? fx : "fixtures";
}

static struct vm *load(const char *name, int64_t *mtime)
{
	char *path = xasprintf("%s/runtime/libvirt/%s.xml", fixtures(), name), err[ERRLEN];
	struct vm *vm = NULL;
	struct stat st;

	if (domxml_parse_file(path, 1 << 20, &vm, err, sizeof(err)) < 0)
		fail_msg("%s: %s", path, err);
	assert_int_equal(stat(path, &st), 0);
	*mtime = st.st_mtim.tv_sec;
	free(path);
	return vm;
}

/* Read fixture VM name from the given proc and cgroup roots. */
static void read_in(const char *proc, const char *cg, const char *name, struct vm_run *out)
{
	struct runtime *rt = runtime_new(proc, cg);
	int64_t mtime;
	struct vm *vm = load(name, &mtime);

	runtime_read_vm(rt, vm, mtime, NULL, NULL, out);
	vm_free(vm);
	runtime_free(rt);
}

static void read_fixture(int v, const char *name, struct vm_run *out)
{
	char *proc = xasprintf("%s/runtime/proc-v%d", fixtures(), v);
	char *cg = xasprintf("%s/runtime/cgroup-v%d", fixtures(), v);

	read_in(proc, cg, name, out);
	free(proc);
	free(cg);
}

static void expect_vcpu(const struct vm_run *r, unsigned id, const char *actual, int last)
{
	const struct vcpu_run *v = vmrun_vcpu(r, id);
	char *s;

	assert_non_null(v);
	if (actual == NULL) {
		assert_null(v->actual);
	} else {
		assert_non_null(v->actual);
		s = cpuset_format(v->actual);
		assert_string_equal(s, actual);
		free(s);
	}
	assert_int_equal(v->last_cpu, last);
}

/* "N0=<MiB> ..." of the fixture in bytes; v1 counts 4 KiB pages of this machine's size */
static void expect_mib(const struct vm_run *r, int v, const char *want_mib)
{
	uint64_t unit = v == 1 ? 256 * (uint64_t)sysconf(_SC_PAGESIZE) : MiB;
	char want[512] = "";
	unsigned node;
	unsigned long long mib;
	int used;

	while (sscanf(want_mib, "N%u=%llu%n", &node, &mib, &used) == 2) {
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%sN%u=%llu",
			 want[0] ? " " : "", node, mib * (unsigned long long)unit);
		want_mib += used;
		while (*want_mib == ' ')
			want_mib++;
	}
	assert_true(r->mem_measured);
	expect_nodes(r->mem, r->nmem, want);
}

static void fixture_vms(int v)
{
	struct vm_run r;

	read_fixture(v, "rt-stray", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	assert_int_equal(r.nvcpus, 2);
	expect_vcpu(&r, 0, "0", 0);
	expect_vcpu(&r, 1, "4", 4);
	/* the scope's numbers (v2: not the emulator group's 1 MiB; v1: anon, not page cache) */
	expect_mib(&r, v, "N0=1000 N1=900 N4=200 N6=0");
	vmrun_clear(&r);

	read_fixture(v, "rt-escaped", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	expect_vcpu(&r, 1, "1,4", 4);
	vmrun_clear(&r);

	read_fixture(v, "rt-float", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	expect_vcpu(&r, 0, "0-31", 12);
	expect_vcpu(&r, 1, "0-3", 2);
	expect_mib(&r, v, "N0=300 N1=200 N4=0 N6=0");
	vmrun_clear(&r);

	read_fixture(v, "rt-starting", &r);
	assert_int_equal(r.state, RUN_STARTING);
	assert_int_equal(r.nvcpus, 0);
	expect_mib(&r, v, "N0=6 N1=0 N4=0 N6=0");
	vmrun_clear(&r);

	read_fixture(v, "rt-huge", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	expect_vcpu(&r, 0, "16", 16);
	assert_false(r.mem_measured); /* hugetlb pages are not in numa_stat */
	vmrun_clear(&r);

	read_fixture(v, "rt-defined", &r);
	assert_int_equal(r.state, RUN_NOT_RUNNING);
	vmrun_clear(&r);
}

static void test_fixture_v1(void **state)
{
	(void)state;
	fixture_vms(1);
}

static void test_fixture_v2(void **state)
{
	(void)state;
	fixture_vms(2);
}

static void test_fixture_gone(void **state)
{
	static const char *const gone[] = {"rt-gone", "rt-recycled", "rt-zombie"};
	struct vm_run r;
	size_t i;
	int v;

	(void)state;
	/* dead, another process on the pid (started after the file, no vCPU threads), zombie */
	for (v = 1; v <= 2; v++)
		for (i = 0; i < ARRAY_SIZE(gone); i++) {
			read_fixture(v, gone[i], &r);
			if (r.state != RUN_GONE)
				fail_msg("v%d %s: %s", v, gone[i], vmrun_state_name(r.state));
			assert_int_equal(r.nvcpus, 0);
			assert_false(r.mem_measured);
			vmrun_clear(&r);
		}
}

static void test_missing_roots(void **state)
{
	struct vm_run r;

	(void)state;
	/* a proc root that does not exist says nothing about the VM: unknown, never gone */
	read_in("/nonexistent-proc", "/nonexistent-cg", "rt-stray", &r);
	assert_int_equal(r.state, RUN_UNKNOWN);
	vmrun_clear(&r);
}

/* ---------------------------------------------------------------- broken copies */

struct tmp {
	char dir[512];
	char *proc, *cg;
};

static void tmp_copy(struct tmp *t)
{
	char *cmd;

	assert_int_equal(tmpdir_make(t->dir, sizeof(t->dir), "test-runtime"), 0);
	cmd = xasprintf("cp -R '%s/runtime/proc-v2' '%s/proc' && cp -R '%s/runtime/cgroup-v2' "
			"'%s/cg'", fixtures(), t->dir, fixtures(), t->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	t->proc = xasprintf("%s/proc", t->dir);
	t->cg = xasprintf("%s/cg", t->dir);
}

/* data in t's dir/rel, the directories above it made as needed. */
static void tmp_put(const struct tmp *t, const char *rel, const char *data)
{
	char *parent = xstrdup(rel), *slash = strrchr(parent, '/');

	if (slash != NULL) {
		*slash = '\0';
		assert_int_equal(tmpdir_mkdir(t->dir, parent), 0);
	}
	assert_int_equal(tmpdir_put(t->dir, rel, data), 0);
	free(parent);
}

static void tmp_rm(const struct tmp *t, const char *rel)
{
	char *p = xasprintf("%s/%s", t->dir, rel);

	assert_int_equal(unlink(p), 0);
	free(p);
}

static void tmp_free(struct tmp *t)
{
	assert_int_equal(tmpdir_remove(t->dir), 0);
	free(t->proc);
	free(t->cg);
}

static void test_vanished_vcpu_thread(void **state)
{
	struct tmp t;
	struct vm_run r;

	(void)state;
	tmp_copy(&t);
	/* vCPU 1's thread went away between the listing and the read: its affinity is not
	 * known, the VM (still holding vCPU 0, started before its file) runs on */
	tmp_rm(&t, "proc/7100/task/7102/status");
	tmp_rm(&t, "proc/7100/task/7102/stat");
	read_in(t.proc, t.cg, "rt-stray", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	expect_vcpu(&r, 0, "0", 0);
	expect_vcpu(&r, 1, NULL, -1);
	vmrun_clear(&r);
	tmp_free(&t);
}

static void test_broken_proc_files(void **state)
{
	struct tmp t;
	struct vm_run r;

	(void)state;
	tmp_copy(&t);
	/* truncated thread files: the thread is there, its facts are not */
	tmp_put(&t, "proc/7100/task/7102/status", "Name:\tCPU 1/KVM\nCpus_allo");
	tmp_put(&t, "proc/7100/task/7102/stat", "7102 (CPU 1/KVM) S 1 2");
	read_in(t.proc, t.cg, "rt-stray", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	expect_vcpu(&r, 1, NULL, -1);
	vmrun_clear(&r);
	/* a malformed numa_stat: memory not measured, the rest stands */
	tmp_put(&t, "cg/machine.slice/machine-qemu\\x2d31\\x2drt\\x2dstray.scope/memory.numa_stat",
		"anon N0=12 N1\n");
	read_in(t.proc, t.cg, "rt-stray", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	assert_false(r.mem_measured);
	vmrun_clear(&r);
	/* a truncated process stat: nothing is known */
	tmp_put(&t, "proc/7100/stat", "7100 (qemu-system-x86) S 1");
	read_in(t.proc, t.cg, "rt-stray", &r);
	assert_int_equal(r.state, RUN_UNKNOWN);
	vmrun_clear(&r);
	/* the process's stat vanished with it (exit between open and read) */
	tmp_rm(&t, "proc/7100/stat");
	read_in(t.proc, t.cg, "rt-stray", &r);
	assert_int_equal(r.state, RUN_GONE);
	vmrun_clear(&r);
	tmp_free(&t);
}

static void test_cgroup_without_scope(void **state)
{
	struct tmp t;
	struct vm_run r;

	(void)state;
	tmp_copy(&t);
	/* no scope in the path: the nearest ancestor with memory files, below the partition */
	tmp_put(&t, "proc/7300/cgroup", "0::/machine/vm33/emulator\n");
	tmp_put(&t, "cg/machine/vm33/memory.numa_stat", "anon N0=1048576 N1=0\n");
	read_in(t.proc, t.cg, "rt-float", &r);
	expect_nodes(r.mem, r.nmem, "N0=1048576 N1=0");
	vmrun_clear(&r);
	/* never a slice: it holds other VMs */
	tmp_put(&t, "proc/7300/cgroup", "0::/machine.slice\n");
	tmp_put(&t, "cg/machine.slice/memory.numa_stat", "anon N0=1\n");
	read_in(t.proc, t.cg, "rt-float", &r);
	assert_int_equal(r.state, RUN_RUNNING);
	assert_false(r.mem_measured);
	vmrun_clear(&r);
	tmp_free(&t);
}

/* Two passes of rt-stray as the daemon makes them: the second with the first's facts and
 * held files at hand. */
/* A /proc/PID/stat text with the start time (field 22) and last CPU (field 39) given. */
static void put_stat(const struct tmp *t, const char *rel, unsigned pid, unsigned start,
		     unsigned cpu)
{
	char *text = xasprintf("%u (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 %u 20 21 22 "
			       "23 24 25 26 27 28 29 30 31 32 33 34 35 %u 37 38\n",
			       pid, start, cpu);

	tmp_put(t, rel, text);
	free(text);
}

struct passes {
	struct runtime *rt;
	struct vm *vm;
	int64_t mtime;
	struct runtime_fds *fds;
	struct vm_run prev, cur;
};

static void passes_next(struct passes *ps)
{
	vmrun_clear(&ps->prev);
	ps->prev = ps->cur;
	runtime_read_vm(ps->rt, ps->vm, ps->mtime, &ps->prev, &ps->fds, &ps->cur);
}

/* A copy of the v2 trees and the first pass over it. */
static void passes_start(struct passes *ps, struct tmp *t)
{
	memset(ps, 0, sizeof(*ps));
	tmp_copy(t);
	ps->rt = runtime_new(t->proc, t->cg);
	ps->vm = load("rt-stray", &ps->mtime);
	passes_next(ps);
	assert_int_equal(ps->cur.state, RUN_RUNNING);
}

static void passes_end(struct passes *ps, struct tmp *t)
{
	tmp_free(t);
	vmrun_clear(&ps->prev);
	vmrun_clear(&ps->cur);
	runtime_fds_free(ps->fds);
	vm_free(ps->vm);
	runtime_free(ps->rt);
}

static void test_held_files_follow_rewrites(void **state)
{
	const char *ns = "cg/machine.slice/machine-qemu\\x2d31\\x2drt\\x2dstray.scope/memory.numa_stat";
	struct passes ps;
	struct tmp t;

	(void)state;
	passes_start(&ps, &t);
	/* PID/stat, each vCPU thread's stat and status, numa_stat */
	assert_int_equal(runtime_fds_count(ps.fds), 1 + 2 * 2 + 1);
	/* rewritten in place (as the kernel regenerates them): the held files read the new text */
	put_stat(&t, "proc/7100/task/7101/stat", 7101, 1000, 3);
	tmp_put(&t, ns, "anon N0=4096 N1=8192\n");
	passes_next(&ps);
	assert_int_equal(ps.cur.state, RUN_RUNNING);
	assert_int_equal(vmrun_vcpu(&ps.cur, 0)->last_cpu, 3);
	expect_nodes(ps.cur.mem, ps.cur.nmem, "N0=4096 N1=8192");
	/* replaced (a new file under the name): the held one is dropped, the path read again */
	tmp_rm(&t, ns);
	tmp_put(&t, ns, "anon N0=0 N1=4096\n");
	passes_next(&ps);
	expect_nodes(ps.cur.mem, ps.cur.nmem, "N0=0 N1=4096");
	assert_int_equal(runtime_fds_count(ps.fds), 1 + 2 * 2 + 1);
	passes_end(&ps, &t);
}

static void test_reused_pid_rereads_cgroup(void **state)
{
	struct passes ps;
	struct tmp t;

	(void)state;
	passes_start(&ps, &t);
	assert_non_null(strstr(ps.cur.memcg, "rt\\x2dstray.scope"));
	/* the QEMU died and another process took its pid and threads' ids (new task files, a
	 * later start time) in another cgroup: the cached cgroup is not its */
	tmp_rm(&t, "proc/7100/task/7101/stat");
	tmp_rm(&t, "proc/7100/task/7102/stat");
	put_stat(&t, "proc/7100/task/7101/stat", 7101, 5000, 1);
	put_stat(&t, "proc/7100/task/7102/stat", 7102, 5000, 1);
	put_stat(&t, "proc/7100/stat", 7100, 5000, 0);
	tmp_put(&t, "proc/7100/cgroup", "0::/other.slice/other.scope\n");
	tmp_put(&t, "cg/other.slice/other.scope/memory.numa_stat", "anon N0=4096 N1=0\n");
	passes_next(&ps);
	assert_int_equal(ps.cur.start, 5000);
	assert_non_null(strstr(ps.cur.memcg, "/other.slice/other.scope/memory.numa_stat"));
	expect_nodes(ps.cur.mem, ps.cur.nmem, "N0=4096 N1=0");
	passes_end(&ps, &t);
}

static void test_gone_drops_held_files(void **state)
{
	struct passes ps;
	struct tmp t;
	char *pid_dir;

	(void)state;
	passes_start(&ps, &t);
	assert_true(runtime_fds_count(ps.fds) > 0);
	/* the process ended: its directory went with it, and so do the files held for it */
	pid_dir = xasprintf("%s/7100", t.proc);
	assert_int_equal(tmpdir_remove(pid_dir), 0);
	free(pid_dir);
	passes_next(&ps);
	assert_int_equal(ps.cur.state, RUN_GONE);
	assert_int_equal(runtime_fds_count(ps.fds), 0);
	passes_end(&ps, &t);
}

static void test_numa_maps(void **state)
{
	static const struct {
		const char *in, *want; /* want NULL: refused */
	} cases[] = {
	    /* anonymous, hugetlbfs and memfd mappings count, each at its own page size */
	    {"1000 default heap anon=3 dirty=3 N0=2 N1=1 kernelpagesize_kB=4\n"
	     "2000 bind:1 file=/dev/hugepages/x huge dirty=2 N1=2 kernelpagesize_kB=2048\n"
	     "3000 default file=/memfd:pc.ram\\040(deleted) N2=1 kernelpagesize_kB=4\n",
	     "N0=8192 N1=4198400 N2=4096"},
	    /* other file mappings are page cache (binary, libraries, images): not the VM's */
	    {"1000 default file=/usr/bin/qemu mapped=9 N0=9 kernelpagesize_kB=4\n", ""},
	    /* no page size on the line: the base page */
	    {"1000 default anon=1 N3=1", "N3=4096"},
	    /* a mapping with no resident page, and an empty file */
	    {"1000 default anon=0 kernelpagesize_kB=4\n", ""},
	    {"", ""},
	    {"1000 default anon=1 N0=x kernelpagesize_kB=4\n", NULL},
	    {"1000 default anon=1 N0=1 kernelpagesize_kB=0\n", NULL},
	    {"1000 default anon=1 N0=1 kernelpagesize_kB=4k\n", NULL},
	    {"1000 default anon=1 N1024=1\n", NULL},
	};
	struct node_bytes *nb;
	char err[ERRLEN];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = runtime_parse_numa_maps(cases[i].in, strlen(cases[i].in), 4096, &nb, &n,
						 err, sizeof(err));

		if (cases[i].want == NULL) {
			assert_int_equal(rc, -1);
			assert_null(nb);
			assert_non_null(strstr(err, "line 1: "));
			continue;
		}
		assert_int_equal(rc, 0);
		expect_nodes(nb, n, cases[i].want);
		free(nb);
	}
}

/* A reader of the v2 fixture trees. */
static struct runtime *fixture_v2(void)
{
	char *proc = xasprintf("%s/runtime/proc-v2", fixtures());
	char *cg = xasprintf("%s/runtime/cgroup-v2", fixtures());
	struct runtime *rt = runtime_new(proc, cg);

	free(proc);
	free(cg);
	return rt;
}

static void test_numa_maps_fixture(void **state)
{
	struct runtime *rt = fixture_v2();
	int64_t mtime;
	struct vm *vm = load("rt-huge", &mtime);
	struct vm_run r;

	(void)state;
	/* residencyMethod numa_maps measures the hugepage-backed VM numa_stat cannot: 1 GiB of
	 * hugepages and 2 MiB + 132 KiB of anonymous memory on node 1, 8 MiB + 40 KiB on node 0 */
	runtime_set_numa_maps(rt, true);
	runtime_read_vm(rt, vm, mtime, NULL, NULL, &r);
	assert_int_equal(r.state, RUN_RUNNING);
	assert_true(r.mem_measured);
	expect_nodes(r.mem, r.nmem, "N0=8429568 N1=1075974144");
	vmrun_clear(&r);
	vm_free(vm);
	/* a VM without numa_maps (or without CAP_SYS_PTRACE to read it): not measured */
	vm = load("rt-stray", &mtime);
	runtime_read_vm(rt, vm, mtime, NULL, NULL, &r);
	assert_int_equal(r.state, RUN_RUNNING);
	assert_false(r.mem_measured);
	vmrun_clear(&r);
	vm_free(vm);
	runtime_free(rt);
}

static void test_budget_gives_up(void **state)
{
	struct runtime *rt = fixture_v2();
	int64_t mtime;
	struct vm *vm = load("rt-stray", &mtime);
	struct vm_run r;

	(void)state;
	/* a VM whose reads outlast the budget (a stuck QEMU) is unknown, with no facts */
	runtime_set_budget_ms(rt, 0);
	runtime_read_vm(rt, vm, mtime, NULL, NULL, &r);
	assert_int_equal(r.state, RUN_UNKNOWN);
	assert_int_equal(r.nvcpus, 0);
	vmrun_clear(&r);
	vm_free(vm);
	runtime_free(rt);
}


/* ---------------------------------------------------------------- joined into the model */

static struct model *build_fixture(unsigned interval)
{
	struct engine_config cfg;
	struct engine *e;
	struct model *m;

	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	free(cfg.proc_root);
	free(cfg.cgroup_root);
	cfg.sysfs_root = xasprintf("%s/host/sys", fixtures());
	cfg.xml_dir = xasprintf("%s/runtime/libvirt", fixtures());
	cfg.proc_root = xasprintf("%s/runtime/proc-v2", fixtures());
	cfg.cgroup_root = xasprintf("%s/runtime/cgroup-v2", fixtures());
	cfg.runtime_interval = interval;
	e = engine_new(&cfg);
	m = engine_build(e, 0);
	engine_free(e);
	engine_config_clear(&cfg);
	return m;
}

static const struct vcpu_row *vcpu_of(const struct model *m, uint32_t vm, unsigned id)
{
	size_t i = model_vcpu_lower(m, vm, id);

	assert_true(i < m->nvcpus && m->vcpus[i].vm == vm && m->vcpus[i].vcpu == id);
	return &m->vcpus[i];
}

static const struct assign_row *assign_of(const struct model *m, uint32_t vm, unsigned node)
{
	size_t i = model_assign_lower(m, vm, node);

	assert_true(i < m->nassigns && m->assigns[i].vm == vm && m->assigns[i].node == node);
	return &m->assigns[i];
}

static void test_model_vms(void **state)
{
	struct model *m = build_fixture(10);
	const struct vm_row *v;
	const struct vcpu_row *c;

	(void)state;
	assert_true(m->runtime);
	v = model_vm(m, 31); /* stray: 200 MiB on node 4, outside its strict cells' 0-1 */
	assert_int_equal(v->run_state, RUN_RUNNING);
	assert_true(v->mem_measured);
	assert_int_equal(v->mem_resident, 2100 * MiB);
	assert_int_equal(v->mem_stray, 200 * MiB);
	assert_true(v->stray_over);
	assert_int_equal(assign_of(m, 31, 0)->mem_resident, 1000 * MiB);
	assert_int_equal(assign_of(m, 31, 4)->mem_resident, 200 * MiB); /* a row of its own */
	assert_int_equal(assign_of(m, 31, 4)->mem, 0);
	v = model_vm(m, 32); /* escaped vCPU 1 */
	assert_int_equal(v->vcpus_drifted, 1);
	assert_int_equal(v->mem_stray, 0);
	assert_false(v->stray_over);
	c = vcpu_of(m, 32, 1);
	assert_int_equal(c->verdict, AFFINITY_ESCAPED);
	assert_string_equal(c->actual, "1,4");
	assert_int_equal(c->last_cpu, 4);
	assert_int_equal(c->last_node, 1);
	assert_int_equal(vcpu_of(m, 32, 0)->verdict, AFFINITY_SAME);
	assert_int_equal(vcpu_of(m, 33, 0)->verdict, AFFINITY_SAME); /* floating, 0-31 */
	assert_int_equal(vcpu_of(m, 33, 1)->verdict, AFFINITY_NARROWED);
	assert_false(model_vm(m, 33)->stray_over); /* unbound memory cannot stray */
	assert_int_equal(model_vm(m, 34)->run_state, RUN_GONE);
	assert_int_equal(model_vm(m, 35)->run_state, RUN_GONE);
	assert_int_equal(model_vm(m, 36)->run_state, RUN_GONE);
	v = model_vm(m, 37);
	assert_int_equal(v->run_state, RUN_STARTING);
	c = vcpu_of(m, 37, 0); /* a row, but nothing measured: no thread yet */
	assert_string_equal(c->actual, "");
	assert_int_equal(c->verdict, AFFINITY_UNKNOWN);
	assert_int_equal(c->last_cpu, -1);
	assert_false(model_vm(m, 38)->mem_measured); /* hugepages */
	model_unref(m);
}

static void test_model_nodes(void **state)
{
	struct model *off = build_fixture(0), *on = build_fixture(10);
	const struct node_row *n1off = model_node(off, 1), *n1 = model_node(on, 1);

	(void)state;
	/* R9: the gone VMs 34 (CPU 5, 1 GiB strict on node 1) and 35 (CPU 6) free node 1 */
	assert_int_equal(n1off->vcpus_bound, 4);
	assert_int_equal(n1->vcpus_bound, 2);
	assert_int_equal(n1off->mem_used - n1->mem_used, 1024 * MiB);
	assert_int_equal(n1->vm_count, n1off->vm_count - 2);
	/* where the vCPUs last ran, and whose memory is where */
	assert_int_equal(model_node(on, 0)->vcpus_running, 4);
	assert_int_equal(n1->vcpus_running, 3);
	assert_int_equal(model_node(on, 0)->mem_resident_vms, 1806 * MiB);
	assert_int_equal(n1->mem_resident_vms, 1100 * MiB);
	assert_int_equal(model_node(on, 4)->mem_resident_vms, 200 * MiB);
	assert_int_equal(model_node(on, 6)->mem_resident_vms, 0);
	/* runtime off: configured truth only, nothing measured */
	assert_false(off->runtime);
	assert_int_equal(model_vm(off, 31)->run_state, RUN_UNKNOWN);
	assert_int_equal(model_vm(off, 34)->run_state, RUN_UNKNOWN);
	assert_int_equal(model_vm(off, 1332902969)->run_state, RUN_NOT_RUNNING);
	assert_int_equal(vcpu_of(off, 32, 1)->verdict, AFFINITY_UNKNOWN);
	model_unref(off);
	model_unref(on);
}

/* rt-stray (cells strict on nodes 0 and 1) with on node 0 and stray bytes on node 4 */
static bool stray_over(uint64_t on0, uint64_t stray)
{
	char *sys = xasprintf("%s/host/sys", fixtures()), err[ERRLEN];
	struct node_bytes mem[] = {{0, on0}, {4, stray}};
	struct vm_run run = {.state = RUN_RUNNING, .mem_measured = true, .mem = mem, .nmem = 2};
	struct host *host = NULL;
	int64_t mtime;
	struct vm *vm = load("rt-stray", &mtime);
	const char *files[] = {"rt-stray.xml"};
	struct model *m;
	bool over;

	if (sysfs_read_host(sys, &host, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	m = account_build_run(host, &vm, files, &run, 1, NULL);
	assert_int_equal(model_vm(m, 31)->mem_stray, stray);
	over = model_vm(m, 31)->stray_over;
	model_unref(m);
	vm_free(vm);
	host_free(host);
	free(sys);
	return over;
}

static void test_stray_threshold(void **state)
{
	(void)state;
	/* defaults: at least 5 % of resident memory and at least 64 MiB, both edges included */
	assert_true(stray_over(1216 * MiB, 64 * MiB));	      /* exactly 5 % and 64 MiB */
	assert_false(stray_over(1216 * MiB, 64 * MiB - 1));   /* under 64 MiB */
	assert_false(stray_over(1217 * MiB, 64 * MiB));	      /* under 5 % */
	assert_false(stray_over(0, 63 * MiB));		      /* 100 %, but small */
	assert_true(stray_over(0, 64 * MiB));
	assert_false(stray_over(64 * MiB, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_stat_table),
	    cmocka_unit_test(test_parse_allowed),
	    cmocka_unit_test(test_parse_btime),
	    cmocka_unit_test(test_parse_cgroup_table),
	    cmocka_unit_test(test_vm_group_depth),
	    cmocka_unit_test(test_numa_stat_v1),
	    cmocka_unit_test(test_numa_stat_v2),
	    cmocka_unit_test(test_verdict_table),
	    cmocka_unit_test(test_stray_and_resident),
	    cmocka_unit_test(test_fixture_v1),
	    cmocka_unit_test(test_fixture_v2),
	    cmocka_unit_test(test_fixture_gone),
	    cmocka_unit_test(test_missing_roots),
	    cmocka_unit_test(test_vanished_vcpu_thread),
	    cmocka_unit_test(test_broken_proc_files),
	    cmocka_unit_test(test_cgroup_without_scope),
	    cmocka_unit_test(test_held_files_follow_rewrites),
	    cmocka_unit_test(test_reused_pid_rereads_cgroup),
	    cmocka_unit_test(test_gone_drops_held_files),
	    cmocka_unit_test(test_numa_maps),
	    cmocka_unit_test(test_numa_maps_fixture),
	    cmocka_unit_test(test_budget_gives_up),
	    cmocka_unit_test(test_model_vms),
	    cmocka_unit_test(test_model_nodes),
	    cmocka_unit_test(test_stray_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
