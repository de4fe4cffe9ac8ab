/* SPDX-License-Identifier: BSD-3-Clause */
/* runtime.c: runtime truth for one VM from /proc and the memory cgroup (runtime.h). Every read
 * is one small non-blocking open+read of a file the kernel generates without taking the task's
 * mm lock (stat, status, cgroup), so a QEMU stuck in D state answers; a VM whose reads still
 * take longer than its budget is given up as unknown. */
#include "source/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "source/read_file.h"

struct runtime {
	char *proc_root;
	char *cgroup_root;
	int proc_fd;	/* proc_root, O_PATH; -1 when it could not be opened */
	bool real_proc; /* the kernel's own /proc: syscalls may stand in for hidden entries */
	bool have_btime;
	int64_t btime;
	long clk_tck;
	uint64_t page_size;
	unsigned budget_ms;
	char *buf; /* the read buffer, reused; grows up to RUNTIME_FILE_MAX */
	size_t cap;
};

/* What one VM's measurement carries from step to step. */
struct probe {
	struct runtime *rt;
	const struct vm *vm;
	char pid[24];		/* "PID/": paths below the proc root */
	const struct vm_run *prev; /* the last measurement of this VM, or NULL */
	struct timespec start;	/* of this VM's reads, for the budget */
	size_t owned;		/* vCPU threads found in the process */
	size_t named;		/* vCPU threads the status file names (thread id not 0) */
};

static void read_btime(struct runtime *rt)
{
	char *path = xasprintf("%s/stat", rt->proc_root), *buf = NULL, err[ERRLEN];
	size_t len;

	rt->have_btime = read_file(path, RUNTIME_FILE_MAX, false, &buf, &len, NULL, err,
				   sizeof(err)) == 0 &&
			 runtime_parse_btime(buf, len, &rt->btime, err, sizeof(err)) == 0;
	free(buf);
	free(path);
}

struct runtime *runtime_new(const char *proc_root, const char *cgroup_root)
{
	struct runtime *rt = xcalloc(1, sizeof(*rt));
	long pg = sysconf(_SC_PAGESIZE);

	rt->proc_root = xstrdup(proc_root);
	rt->cgroup_root = xstrdup(cgroup_root);
	rt->real_proc = strcmp(proc_root, "/proc") == 0;
	rt->proc_fd = open(proc_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	rt->clk_tck = sysconf(_SC_CLK_TCK);
	if (rt->clk_tck <= 0)
		rt->clk_tck = 100;
	rt->page_size = pg > 0 ? (uint64_t)pg : 4096;
	rt->budget_ms = RUNTIME_VM_BUDGET_MS;
	rt->cap = 16384;
	rt->buf = xmalloc(rt->cap + 1);
	read_btime(rt);
	return rt;
}

void runtime_free(struct runtime *rt)
{
	if (rt == NULL)
		return;
	if (rt->proc_fd >= 0)
		close(rt->proc_fd);
	free(rt->proc_root);
	free(rt->cgroup_root);
	free(rt->buf);
	free(rt);
}

void runtime_set_budget_ms(struct runtime *rt, unsigned ms)
{
	rt->budget_ms = ms;
}

/* Read dirfd/rel whole into rt->buf (NUL-terminated). -1 with errno set (EFBIG: too big). */
static int slurp(struct runtime *rt, int dirfd, const char *rel, size_t *len)
{
	size_t n = 0;
	int fd = openat(dirfd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r;

		if (n == rt->cap) {
			if (rt->cap >= RUNTIME_FILE_MAX) {
				close(fd);
				errno = EFBIG;
				return -1;
			}
			rt->cap = rt->cap * 2 > RUNTIME_FILE_MAX ? RUNTIME_FILE_MAX : rt->cap * 2;
			rt->buf = xreallocarray(rt->buf, rt->cap + 1, 1);
		}
		r = read(fd, rt->buf + n, rt->cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0 && (size_t)r < rt->cap - n) {
			/* a short read of a regular or seq_file is its end: no second read */
			n += (size_t)r;
			break;
		}
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	rt->buf[n] = '\0';
	*len = n;
	return 0;
}

static bool over_budget(const struct probe *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_seconds(&p->start, &now) * 1000.0 > (double)p->rt->budget_ms;
}

/* sched_getaffinity(tid) as a set; -1 when it fails. */
static int affinity_of(pid_t tid, struct cpuset **out)
{
	cpu_set_t set;
	unsigned c;

	if (sched_getaffinity(tid, sizeof(set), &set) < 0)
		return -1;
	*out = cpuset_new(CPUSET_MAX_CPUS);
	for (c = 0; c < CPU_SETSIZE && c < CPUSET_MAX_CPUS; c++)
		if (CPU_ISSET(c, &set))
			cpuset_set(*out, c);
	return 0;
}

static int cmp_vcpu(const void *a, const void *b)
{
	const struct vcpu_run *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The vCPU thread tid of the process: allowed CPUs and last CPU. false when the thread is
 * not one of the process's (its task directory does not exist). */
static bool read_vcpu(struct probe *p, uint64_t tid, struct vcpu_run *v)
{
	struct runtime *rt = p->rt;
	struct proc_stat ps;
	char rel[64], err[ERRLEN];
	size_t len;

	/* task/TID/stat: the thread is the process's, and its last CPU */
	snprintf(rel, sizeof(rel), "%stask/%" PRIu64 "/stat", p->pid, tid);
	if (slurp(rt, rt->proc_fd, rel, &len) < 0)
		return errno != ENOENT && errno != ESRCH; /* unreadable, but there */
	if (runtime_parse_stat(rt->buf, len, &ps, err, sizeof(err)) == 0)
		v->last_cpu = ps.processor;
	/* the kernel's /proc: one system call instead of making and parsing a status file */
	if (rt->real_proc && tid <= INT32_MAX && affinity_of((pid_t)tid, &v->actual) == 0)
		return true;
	snprintf(rel, sizeof(rel), "%stask/%" PRIu64 "/status", p->pid, tid);
	if (slurp(rt, rt->proc_fd, rel, &len) < 0 ||
	    runtime_parse_allowed(rt->buf, len, &v->actual, err, sizeof(err)) < 0)
		v->actual = NULL;
	return true;
}

/* Every vCPU the status file names a thread for. false when the budget ran out. */
static bool read_vcpus(struct probe *p, struct vm_run *out)
{
	const struct vm *vm = p->vm;
	size_t i;

	out->vcpus = xcalloc(vm->ntids ? vm->ntids : 1, sizeof(*out->vcpus));
	for (i = 0; i < vm->ntids; i++) {
		struct vcpu_run *v = &out->vcpus[out->nvcpus];

		if (over_budget(p))
			return false;
		v->id = vm->tids[i].id;
		v->last_cpu = -1;
		if (vm->tids[i].tid == 0)
			continue;
		out->nvcpus++;
		p->named++;
		if (read_vcpu(p, vm->tids[i].tid, v))
			p->owned++;
	}
	if (out->nvcpus > 1)
		qsort(out->vcpus, out->nvcpus, sizeof(*out->vcpus), cmp_vcpu);
	return true;
}

/* A memory.numa_stat file into out; -1 when absent or unreadable. */
static int numa_stat_at(struct runtime *rt, const char *path, bool v1, struct vm_run *out)
{
	char err[ERRLEN];
	size_t len;

	if (slurp(rt, AT_FDCWD, path, &len) < 0)
		return -1;
	if (runtime_parse_numa_stat(rt->buf, len, v1, rt->page_size, &out->mem, &out->nmem, err,
				    sizeof(err)) < 0)
		return -1;
	out->mem_measured = true;
	return 0;
}

/* memory.numa_stat of dir (relative to the controller's mount) into out, remembering where. */
static int read_numa_stat(struct probe *p, const char *base, const char *dir, size_t dirlen,
			  bool v1, struct vm_run *out)
{
	char *path = xasprintf("%s%.*s/memory.numa_stat", base, (int)dirlen, dir);

	if (numa_stat_at(p->rt, path, v1, out) < 0) {
		free(path);
		return -1;
	}
	out->memcg = path;
	out->memcg_v1 = v1;
	return 0;
}

/* The end of the first depth components of path. */
static size_t prefix_len(const char *path, size_t depth)
{
	size_t i = 0;

	while (depth-- > 0) {
		const char *sl = strchr(path + i + 1, '/');

		i = sl ? (size_t)(sl - path) : strlen(path);
	}
	return i;
}

/* Resident memory per node from the VM's memory cgroup, found through /proc/PID/cgroup: its
 * *.scope (or *.libvirt-qemu) group, which covers every thread of the VM; without one, the
 * nearest ancestor of the process's group that has memory files, never a slice or the root
 * (those hold other VMs). The group name is never built: libvirt sanitises it. */
static void read_memory(struct probe *p, struct vm_run *out)
{
	struct runtime *rt = p->rt;
	char err[ERRLEN], *path = NULL, *base;
	size_t len, depth, n;
	bool v1;

	char rel[64];

	if (p->vm->hugepages)
		return; /* numa_stat leaves hugetlb pages out: not measured */
	/* the same process stays in its cgroup (libvirt never moves QEMU): no need to look */
	if (p->prev && p->prev->memcg && p->prev->pid == out->pid && p->prev->start == out->start) {
		out->memcg = xstrdup(p->prev->memcg);
		out->memcg_v1 = p->prev->memcg_v1;
		if (numa_stat_at(rt, out->memcg, out->memcg_v1, out) == 0)
			return;
		free(out->memcg);
		out->memcg = NULL;
	}
	snprintf(rel, sizeof(rel), "%scgroup", p->pid);
	if (slurp(rt, rt->proc_fd, rel, &len) < 0 ||
	    runtime_parse_cgroup(rt->buf, len, &v1, &path, err, sizeof(err)) < 0)
		return;
	base = xasprintf("%s%s", rt->cgroup_root, v1 ? "/memory" : "");
	depth = runtime_vm_group_depth(path);
	if (depth > 0) {
		n = prefix_len(path, depth);
		read_numa_stat(p, base, path, n, v1, out);
	} else {
		for (n = strlen(path); n > 1 && !out->mem_measured;) {
			const char *last = memrchr(path, '/', n);

			if (n - (size_t)(last - path) > 6 && memcmp(path + n - 6, ".slice", 6) == 0)
				break;
			read_numa_stat(p, base, path, n, v1, out);
			n = (size_t)(last - path);
		}
	}
	free(base);
	free(path);
}

/* /proc/PID is hidden from us (ProtectProc=invisible) but the process exists: the vCPU
 * threads' membership (tgkill signal 0: ESRCH unless TID is a thread of PID) and affinity
 * (sched_getaffinity needs no privilege) are still known; last CPU and memory are not. */
static enum run_state read_hidden(struct probe *p, struct vm_run *out)
{
	const struct vm *vm = p->vm;
	size_t i;

	out->vcpus = xcalloc(vm->ntids ? vm->ntids : 1, sizeof(*out->vcpus));
	for (i = 0; i < vm->ntids; i++) {
		struct vcpu_run *v = &out->vcpus[out->nvcpus];

		if (vm->tids[i].tid == 0 || vm->tids[i].tid > INT32_MAX)
			continue;
		v->id = vm->tids[i].id;
		v->last_cpu = -1;
		out->nvcpus++;
		p->named++;
		if (syscall(SYS_tgkill, (pid_t)vm->pid, (pid_t)vm->tids[i].tid, 0) < 0 &&
		    errno == ESRCH)
			continue;
		p->owned++;
		if (affinity_of((pid_t)vm->tids[i].tid, &v->actual) < 0)
			v->actual = NULL;
	}
	if (out->nvcpus > 1)
		qsort(out->vcpus, out->nvcpus, sizeof(*out->vcpus), cmp_vcpu);
	if (p->named == 0)
		return RUN_STARTING;
	return p->owned > 0 ? RUN_RUNNING : RUN_GONE;
}

/* /proc/PID cannot be opened: gone, hidden, or unknown. */
static enum run_state no_pid_dir(struct probe *p, int e, struct vm_run *out)
{
	if (!p->rt->real_proc)
		return e == ENOENT ? RUN_GONE : RUN_UNKNOWN;
	if (p->vm->pid > INT32_MAX || (kill((pid_t)p->vm->pid, 0) < 0 && errno == ESRCH))
		return RUN_GONE;
	return read_hidden(p, out);
}

/* The same-process rule: the pid is the QEMU the status file names unless it started after
 * the file was last written (libvirt writes it after QEMU starts and on every change) and
 * does not hold every vCPU thread the file names. Either test alone can be fooled: start
 * times by a clock stepped forward after the write (NTP at boot), thread ids by nothing
 * short of a new process reusing the pid and every vCPU's thread id. */
static bool same_process(const struct probe *p, const struct proc_stat *ps, int64_t mtime)
{
	const struct runtime *rt = p->rt;
	int64_t started;

	if (p->named > 0 && p->owned == p->named)
		return true;
	if (!rt->have_btime)
		return true; /* nothing says otherwise */
	started = rt->btime + (int64_t)(ps->starttime / (uint64_t)rt->clk_tck);
	return started <= mtime + RUNTIME_START_SLACK_S;
}

static enum run_state measure(struct probe *p, int64_t mtime, struct vm_run *out)
{
	struct proc_stat ps;
	char err[ERRLEN], rel[64];
	size_t len;

	if (p->rt->proc_fd < 0)
		return RUN_UNKNOWN;
	snprintf(p->pid, sizeof(p->pid), "%" PRIu64 "/", p->vm->pid);
	snprintf(rel, sizeof(rel), "%sstat", p->pid);
	/* missing, or hidden (hidepid=invisible lets the directory open, hides its files) */
	if (slurp(p->rt, p->rt->proc_fd, rel, &len) < 0)
		return errno == ENOENT || errno == ESRCH ? no_pid_dir(p, ENOENT, out) : RUN_UNKNOWN;
	if (runtime_parse_stat(p->rt->buf, len, &ps, err, sizeof(err)) < 0)
		return RUN_UNKNOWN;
	out->pid = p->vm->pid;
	out->start = ps.starttime;
	if (ps.state == 'Z' || ps.state == 'X')
		return RUN_GONE;
	if (!read_vcpus(p, out))
		return RUN_UNKNOWN;
	if (!same_process(p, &ps, mtime))
		return RUN_GONE;
	read_memory(p, out);
	if (over_budget(p))
		return RUN_UNKNOWN;
	return p->named == 0 ? RUN_STARTING : RUN_RUNNING;
}

void runtime_read_vm(struct runtime *rt, const struct vm *vm, int64_t status_mtime,
		     const struct vm_run *prev, struct vm_run *out)
{
	struct probe p = {.rt = rt, .vm = vm, .prev = prev};

	memset(out, 0, sizeof(*out));
	if (!vmrun_measurable(vm)) {
		out->state = RUN_NOT_RUNNING;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	out->state = measure(&p, status_mtime, out);
	if (out->state != RUN_RUNNING && out->state != RUN_STARTING) {
		/* a dead or unmeasured process's facts are not facts */
		struct vm_run keep = {.state = out->state};

		vmrun_clear(out);
		*out = keep;
	}
}
