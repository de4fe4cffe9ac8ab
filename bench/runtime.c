/* SPDX-License-Identifier: BSD-3-Clause */
/* bench/runtime.c: the cost of one full runtime pass (source/runtime: liveness, 4 vCPU threads'
 * affinity and last CPU, the memory cgroup's numa_stat) over N VMs on fake proc and cgroup v2
 * trees it writes in a temp dir (make bench builds it, bench/run.sh runs it).
 *
 *	runtime N [ROUNDS]
 *	runtime --self N [ROUNDS]   the kernel's own /proc and cgroups: N VMs that all name this
 *	                            process and 4 of its threads (the real cost of each read)
 *	runtime --tree ROOT SYSROOT QEMUDIR
 *	                            writes ROOT/proc and ROOT/cg for the QEMU processes and vCPU
 *	                            threads QEMUDIR's status files name, running as configured
 *	                            (make bench's B3 with runtime data: numatopd --proc-root
 *	                            ROOT/proc --cgroup-root ROOT/cg)
 *
 * Prints "N median_ms min_ms cpu_ms" over ROUNDS passes (default 5) after one warm-up pass,
 * cpu_ms the median CPU time of a pass (user + system: what the pass costs, without the time
 * other processes of a loaded machine take from it); the trees sit in the page cache (tmpfs or
 * not), as /proc and cgroupfs always do. The VMs' files are held open from pass to pass, as
 * the daemon holds them. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "core/model.h"
#include "core/vmrun.h"
#include "source/domxml.h"
#include "source/engine.h"
#include "source/runtime.h"

#define VCPUS 4

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "runtime: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void mk(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "runtime: mkdir %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static char *stat_line(unsigned pid, const char *comm, unsigned cpu)
{
	return xasprintf("%u (%s) S 1 %u %u 0 -1 4194560 1200 0 0 0 512 300 0 0 20 0 4 0 1000 "
			 "1000000 400 18446744073709551615 1 1 0 0 0 0 0 4096 17638 0 0 0 17 %u 0 "
			 "0 0 0 0 0 0 0 0 0 0 0\n",
			 pid, comm, pid, pid, cpu);
}

/* What a fake QEMU process shows: its vCPU threads, the CPUs each may run on (list format) and
 * the one it last ran on, and its resident memory per node ("anon N0=... N1=..." or NULL for
 * 1 GiB on node 0 and 3 GiB on node 1). */
struct fake_proc {
	uint64_t pid;
	const uint64_t *tids;
	const char *const *allowed;
	const unsigned *last_cpu;
	size_t ntids;
	const char *anon;
};

static const char status_head[] =
	"Name:\tCPU 0/KVM\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nPid:\t2\n"
	"PPid:\t1\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\n"
	"Groups:\t\nVmPeak:\t1 kB\nVmSize:\t1 kB\nVmRSS:\t1 kB\nThreads:\t9\n"
	"SigQ:\t0/1\nSigPnd:\t0\nShdPnd:\t0\nSigBlk:\t0\nSigIgn:\t0\nSigCgt:\t0\n"
	"CapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n"
	"NoNewPrivs:\t0\nSeccomp:\t0\nSpeculation_Store_Bypass:\tvulnerable\n"
	"Cpus_allowed:\tffffffff\n";

/* The fake proc and cgroup v2 entries of one QEMU process, VM i's scope. */
static void write_process(const char *root, unsigned i, const struct fake_proc *f)
{
	char *dir = xasprintf("%s/proc/%" PRIu64, root, f->pid), *p, *s;
	char *scope = xasprintf("/machine.slice/machine-qemu\\x2d%u\\x2dvm.scope", i);
	size_t t;

	mk(dir);
	p = xasprintf("%s/task", dir), mk(p), free(p);
	s = stat_line((unsigned)f->pid, "qemu-system-x86", 0);
	p = xasprintf("%s/stat", dir), put(p, s), free(p), free(s);
	s = xasprintf("0::%s/libvirt/emulator\n", scope);
	p = xasprintf("%s/cgroup", dir), put(p, s), free(p), free(s);
	for (t = 0; t < f->ntids; t++) {
		p = xasprintf("%s/task/%" PRIu64, dir, f->tids[t]), mk(p), free(p);
		s = stat_line((unsigned)f->tids[t], "CPU 0/KVM", f->last_cpu[t]);
		p = xasprintf("%s/task/%" PRIu64 "/stat", dir, f->tids[t]), put(p, s), free(p), free(s);
		s = xasprintf("%sCpus_allowed_list:\t%s\nMems_allowed:\t1\nMems_allowed_list:\t0\n"
			      "voluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t1\n",
			      status_head, f->allowed[t]);
		p = xasprintf("%s/task/%" PRIu64 "/status", dir, f->tids[t]), put(p, s), free(p), free(s);
	}
	p = xasprintf("%s/cg%s", root, scope);
	{
		char *q = xasprintf("mkdir -p '%s'", p);

		if (system(q) != 0)
			exit(1);
		free(q);
	}
	s = xasprintf("%s/memory.numa_stat", p);
	free(p);
	p = xasprintf("%s\nfile N0=4096 N1=0\nkernel_stack N0=0 N1=0\n"
		      "pagetables N0=0 N1=0\nshmem N0=0 N1=0\nfile_mapped N0=0 N1=0\n"
		      "file_dirty N0=0 N1=0\nfile_writeback N0=0 N1=0\nswapcached N0=0 N1=0\n"
		      "anon_thp N0=0 N1=0\nfile_thp N0=0 N1=0\nshmem_thp N0=0 N1=0\n"
		      "inactive_anon N0=0 N1=0\nactive_anon N0=0 N1=0\ninactive_file N0=0 N1=0\n"
		      "active_file N0=0 N1=0\nunevictable N0=0 N1=0\nslab_reclaimable N0=0 N1=0\n"
		      "slab_unreclaimable N0=0 N1=0\n",
		      f->anon ? f->anon : "anon N0=1073741824 N1=3221225472");
	put(s, p);
	free(p);
	free(s);
	free(scope);
	free(dir);
}

/* VM i: pid 100000 + 10 i, vCPU threads pid + 1 .. pid + 4, its scope in cgroup v2. */
static struct vm *make_vm(const char *root, unsigned i)
{
	unsigned pid = 100000 + 10 * i;
	uint64_t tids[VCPUS];
	static const char *const all[VCPUS] = {"0-31", "0-31", "0-31", "0-31"};
	static const unsigned last[VCPUS] = {1, 2, 3, 4};
	struct fake_proc f = {.pid = pid, .tids = tids, .allowed = all, .last_cpu = last,
			      .ntids = VCPUS};
	char err[ERRLEN];
	char *xml = xasprintf("<domstatus state='running' pid='%u'><vcpus><vcpu id='0' pid='%u'/>"
			      "<vcpu id='1' pid='%u'/><vcpu id='2' pid='%u'/><vcpu id='3' "
			      "pid='%u'/></vcpus><domain type='kvm' id='%u'><name>vm%u</name>"
			      "<uuid>00000000-0000-4000-8000-%012u</uuid><memory unit='GiB'>4"
			      "</memory><vcpu>4</vcpu></domain></domstatus>",
			      pid, pid + 1, pid + 2, pid + 3, pid + 4, i + 1, i, i);
	struct vm *vm = NULL;
	size_t t;

	for (t = 0; t < VCPUS; t++)
		tids[t] = pid + 1 + t;
	write_process(root, i, &f);
	if (domxml_parse_buffer(xml, strlen(xml), &vm, err, sizeof(err)) < 0) {
		fprintf(stderr, "runtime: VM %u: %s\n", i, err);
		exit(1);
	}
	free(xml);
	return vm;
}

/* One VM of the model as a fake process whose runtime agrees with its configuration: each vCPU
 * thread allowed its configured CPUs (all of them when it floats) and last on the first, half
 * its memory resident, spread over its nodes as configured. */
static void write_vm(const char *root, unsigned i, const struct model *m, const struct vm_row *v)
{
	size_t a, c, n = 0, len = 0;
	uint64_t *tids = xcalloc(m->nvcpus + 1, sizeof(*tids));
	const char **allowed = xcalloc(m->nvcpus + 1, sizeof(*allowed));
	unsigned *last = xcalloc(m->nvcpus + 1, sizeof(*last));
	char anon[512] = "anon";

	for (c = 0; c < m->nvcpus; c++) {
		const struct vcpu_row *r = &m->vcpus[c];

		if (r->vm != v->index || r->tid == 0)
			continue;
		tids[n] = r->tid;
		allowed[n] = r->affinity[0] ? r->affinity : "0-255";
		last[n] = (unsigned)strtoul(allowed[n], NULL, 10);
		n++;
	}
	for (a = 0; a < m->nassigns && len + 40 < sizeof(anon); a++)
		if (m->assigns[a].vm == v->index && m->assigns[a].mem > 0)
			len = strlen(anon), snprintf(anon + len, sizeof(anon) - len, " N%u=%" PRIu64,
						     m->assigns[a].node, m->assigns[a].mem / 2);
	write_process(root, i, &(struct fake_proc){.pid = v->pid, .tids = tids,
						   .allowed = allowed, .last_cpu = last,
						   .ntids = n, .anon = strcmp(anon, "anon") ? anon : NULL});
	free(tids);
	free(allowed);
	free(last);
}

/* --tree ROOT SYSROOT QEMUDIR: ROOT/proc and ROOT/cg for the QEMU processes and vCPU threads
 * QEMUDIR's status files name, as they run when nothing drifted, so that a daemon run with
 * --proc-root ROOT/proc --cgroup-root ROOT/cg measures every VM running and in place. */
static int write_tree(const char *root, const char *sys_root, const char *qemu_dir)
{
	struct engine_config cfg;
	struct engine *e;
	struct model *m;
	char *p = xasprintf("%s/proc", root), *q;
	unsigned n = 0;
	size_t i;

	mk(root), mk(p);
	q = xasprintf("%s/stat", p), put(q, "cpu 1\nbtime 1700000000\n"), free(q), free(p);
	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = xstrdup(sys_root);
	cfg.xml_dir = xstrdup(qemu_dir);
	e = engine_new(&cfg);
	m = engine_build(e, 0);
	for (i = 0; i < m->nvms; i++)
		if (m->vms[i].pid != 0)
			write_vm(root, n++, m, &m->vms[i]);
	printf("%u processes\n", n);
	model_unref(m);
	engine_free(e);
	engine_config_clear(&cfg);
	return 0;
}

/* One pass as the daemon's timer makes it: each VM read with its last facts at hand. */
static void *idle_thread(void *arg)
{
	*(volatile pid_t *)arg = gettid();
	for (;;)
		pause();
	return NULL;
}

/* N VMs naming this process and 4 threads of it. */
static struct vm **self_vms(size_t n)
{
	static volatile pid_t tid[VCPUS];
	struct vm **vms = xcalloc(n, sizeof(*vms));
	pthread_t th;
	char err[ERRLEN];
	size_t i;

	for (i = 0; i < VCPUS; i++) {
		if (pthread_create(&th, NULL, idle_thread, (void *)&tid[i]) != 0)
			exit(1);
		while (tid[i] == 0)
			usleep(1000);
	}
	for (i = 0; i < n; i++) {
		char *xml = xasprintf("<domstatus state='running' pid='%d'><vcpus><vcpu id='0' pid='%d'/>"
				      "<vcpu id='1' pid='%d'/><vcpu id='2' pid='%d'/><vcpu id='3' "
				      "pid='%d'/></vcpus><domain type='kvm' id='%zu'><name>vm%zu</name>"
				      "<uuid>00000000-0000-4000-8000-%012zu</uuid><memory unit='GiB'>4"
				      "</memory><vcpu>4</vcpu></domain></domstatus>",
				      getpid(), tid[0], tid[1], tid[2], tid[3], i + 1, i, i);

		if (domxml_parse_buffer(xml, strlen(xml), &vms[i], err, sizeof(err)) < 0)
			exit(1);
		free(xml);
	}
	return vms;
}

static double pass_ms(struct runtime *rt, struct vm **vms, size_t n, struct vm_run *runs,
		      struct vm_run *prev, double *cpu_ms)
{
	static struct runtime_fds **fds;
	struct timespec c0, c1;

	struct timespec t0, t1;
	size_t i;

	if (fds == NULL)
		fds = xcalloc(n, sizeof(*fds)); /* held for the process's life, as the daemon does */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		runtime_read_vm(rt, vms[i], INT64_MAX / 2, &prev[i], &fds[i], &runs[i]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	*cpu_ms = ts_seconds(&c0, &c1) * 1000.0;
	for (i = 0; i < n; i++) {
		if (runs[i].state != RUN_RUNNING || runs[i].nvcpus != VCPUS || !runs[i].mem_measured) {
			fprintf(stderr, "runtime: VM %zu was not measured whole\n", i);
			exit(1);
		}
		vmrun_clear(&prev[i]);
		prev[i] = runs[i];
		memset(&runs[i], 0, sizeof(runs[i]));
	}
	return ts_seconds(&t0, &t1) * 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A warm-up pass (dentries, the read buffer, the held files), then ROUNDS measured. */
static void measure(struct runtime *rt, struct vm **vms, size_t n, struct vm_run *runs,
		    struct vm_run *prev, size_t rounds)
{
	double *t = xcalloc(rounds, sizeof(*t)), *cpu = xcalloc(rounds, sizeof(*cpu)), c;
	size_t i;

	pass_ms(rt, vms, n, runs, prev, &c);
	for (i = 0; i < rounds; i++)
		t[i] = pass_ms(rt, vms, n, runs, prev, &cpu[i]);
	qsort(t, rounds, sizeof(*t), cmp_double);
	qsort(cpu, rounds, sizeof(*cpu), cmp_double);
	printf("%zu %.2f %.2f %.2f\n", n, t[rounds / 2], t[0], cpu[rounds / 2]);
	free(t);
	free(cpu);
}

int main(int argc, char **argv)
{
	char root[] = "/tmp/numatopd-bench-runtime.XXXXXX";
	size_t n, i, rounds;
	struct vm **vms;
	struct vm_run *runs, *prev;
	struct runtime *rt;
	char *p, *q, *cmd;

	bool self = argc > 1 && strcmp(argv[1], "--self") == 0;

	if (argc == 5 && strcmp(argv[1], "--tree") == 0)
		return write_tree(argv[2], argv[3], argv[4]);

	if (self) {
		argv++;
		argc--;
	}
	if (argc < 2 || (n = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: runtime [--self] N [ROUNDS] | --tree ROOT SYSROOT QEMUDIR\n");
		return 2;
	}
	rounds = argc > 2 ? strtoul(argv[2], NULL, 10) : 5;
	if (rounds == 0)
		rounds = 1;
	if (self) {
		vms = self_vms(n);
		runs = xcalloc(n, sizeof(*runs));
		prev = xcalloc(n, sizeof(*prev));
		rt = runtime_new("/proc", "/sys/fs/cgroup");
		measure(rt, vms, n, runs, prev, rounds);
		exit(0); /* the idle threads end with the process */
	}
	if (mkdtemp(root) == NULL)
		return 1;
	p = xasprintf("%s/proc", root), mk(p);
	q = xasprintf("%s/stat", p), put(q, "cpu 1\nbtime 1700000000\n"), free(q), free(p);
	vms = xcalloc(n, sizeof(*vms));
	runs = xcalloc(n, sizeof(*runs));
	prev = xcalloc(n, sizeof(*prev));
	for (i = 0; i < n; i++)
		vms[i] = make_vm(root, (unsigned)i);
	p = xasprintf("%s/proc", root), q = xasprintf("%s/cg", root);
	rt = runtime_new(p, q);
	free(p), free(q);
	measure(rt, vms, n, runs, prev, rounds);
	runtime_free(rt);
	for (i = 0; i < n; i++) {
		vm_free(vms[i]);
		vmrun_clear(&prev[i]);
	}
	free(vms);
	free(runs);
	free(prev);
	cmd = xasprintf("rm -rf '%s'", root);
	i = (size_t)system(cmd);
	free(cmd);
	return 0;
}
