/* SPDX-License-Identifier: BSD-3-Clause */
/* runtime.c: runtime truth for one VM from /proc and the memory cgroup (runtime.h). Every read
 * is one small non-blocking read of a file the kernel generates without taking the task's mm
 * lock (stat, status, cgroup, numa_stat), so a QEMU stuck in D state answers; a VM whose reads
 * still take longer than its budget is given up as unknown. The files are held open between
 * passes (struct runtime_fds): a pread regenerates a /proc or cgroup file, and saves the path
 * walk, open and close that cost two thirds of a pass. */
#include "source/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "core/util.h"
#include "source/read_file.h"

struct runtime {
	char *proc_root;
	char *cgroup_root;
	int proc_fd;	/* proc_root, O_PATH; -1 when it could not be opened */
	bool real_proc; /* the kernel's own /proc: syscalls may stand in for hidden entries */
	bool proc_kernel; /* proc_root is a procfs (held files need no link check) */
	bool cg_kernel;	  /* so is the memory controller's mount below cgroup_root */
	bool have_btime;
	int64_t btime;
	long clk_tck;
	uint64_t page_size;
	unsigned budget_ms;
	bool numa_maps; /* residency from /proc/PID/numa_maps, not the memory cgroup */
	char *buf; /* the read buffer, reused; grows up to RUNTIME_FILE_MAX */
	size_t cap;
};

/* A vCPU thread's held files. */
struct held_task {
	uint64_t tid;
	int stat;   /* PID/task/TID/stat */
	int status; /* PID/task/TID/status (trees other than the kernel's /proc) */
};

struct runtime_fds {
	uint64_t pid, start; /* the process the files belong to (start: clock ticks) */
	int stat;	     /* PID/stat */
	struct held_task *task; /* in the status file's thread order */
	size_t ntask;
	int numa; /* memory.numa_stat of the VM's memory cgroup (vm_run.memcg) */
};

/* What one VM's measurement carries from step to step. */
struct probe {
	struct runtime *rt;
	const struct vm *vm;
	struct runtime_fds *fds;	/* files held for the next pass, NULL = hold none */
	char pid[24];		/* "PID/": paths below the proc root */
	const struct vm_run *prev; /* the last measurement of this VM, or NULL */
	struct timespec start;	/* of this VM's reads, for the budget */
	size_t owned;		/* vCPU threads found in the process */
	size_t named;		/* vCPU threads the status file names (thread id not 0) */
	size_t fresh;		/* vCPU threads whose stat was opened by path, not held */
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

/* Whether dir/sub is a filesystem of type a or b. */
static bool fs_is(const char *dir, const char *sub, long a, long b)
{
	char *path = xasprintf("%s%s", dir, sub);
	struct statfs sf;
	bool is = statfs(path, &sf) == 0 && ((long)sf.f_type == a || (long)sf.f_type == b);

	free(path);
	return is;
}

/* Held files take descriptors from FD_SETSIZE up (hold()), so the soft limit, often 1024,
 * would leave none: raise it to the hard limit (capped: "unlimited" would be a huge table). */
static void raise_nofile(void)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)1 << 20;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	(void)setrlimit(RLIMIT_NOFILE, &rl); /* without it, files are opened at every pass */
}

struct runtime *runtime_new(const char *proc_root, const char *cgroup_root)
{
	struct runtime *rt = xcalloc(1, sizeof(*rt));
	long pg = sysconf(_SC_PAGESIZE);

	rt->proc_root = xstrdup(proc_root);
	rt->cgroup_root = xstrdup(cgroup_root);
	rt->real_proc = strcmp(proc_root, "/proc") == 0;
	rt->proc_kernel = fs_is(proc_root, "", PROC_SUPER_MAGIC, PROC_SUPER_MAGIC);
	rt->cg_kernel = fs_is(cgroup_root, "", CGROUP2_SUPER_MAGIC, CGROUP2_SUPER_MAGIC) ||
			fs_is(cgroup_root, "/memory", CGROUP_SUPER_MAGIC, CGROUP_SUPER_MAGIC);
	rt->proc_fd = open(proc_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	rt->clk_tck = sysconf(_SC_CLK_TCK);
	if (rt->clk_tck <= 0)
		rt->clk_tck = 100;
	rt->page_size = pg > 0 ? (uint64_t)pg : 4096;
	rt->budget_ms = RUNTIME_VM_BUDGET_MS;
	rt->cap = 16384;
	rt->buf = xmalloc(rt->cap + 1);
	read_btime(rt);
	raise_nofile();
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

void runtime_set_numa_maps(struct runtime *rt, bool on)
{
	rt->numa_maps = on;
}

void runtime_set_budget_ms(struct runtime *rt, unsigned ms)
{
	rt->budget_ms = ms;
}

/* Read fd whole from offset 0 into rt->buf (NUL-terminated): pread, so that a held /proc or
 * cgroup file is generated afresh. -1 with errno set (EFBIG: too big). */
static int fill(struct runtime *rt, int fd, size_t *len)
{
	size_t n = 0;

	for (;;) {
		ssize_t r;

		if (n == rt->cap) {
			if (rt->cap >= RUNTIME_FILE_MAX) {
				errno = EFBIG;
				return -1;
			}
			rt->cap = rt->cap * 2 > RUNTIME_FILE_MAX ? RUNTIME_FILE_MAX : rt->cap * 2;
			rt->buf = xreallocarray(rt->buf, rt->cap + 1, 1);
		}
		r = pread(fd, rt->buf + n, rt->cap - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n < rt->cap)
			break; /* a short read of a regular or seq_file is its end: no second read */
	}
	rt->buf[n] = '\0';
	*len = n;
	return 0;
}

/* Move fd above FD_SETSIZE, closing fd: the daemon's select() loop (Net-SNMP's) can watch only
 * descriptors below it, and a socket opened later must still get one. -1 when the limit
 * leaves no room there: the file is then opened again at each pass. */
static int hold(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, FD_SETSIZE);

	close(fd);
	return h;
}

static void drop_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A held file still names what its path does. On procfs and cgroupfs (kernel) a read says
 * so (a task's files fail with ESRCH once it is gone; a reused pid is a new task; a removed
 * cgroup's files fail with ENODEV); on other trees (fixtures, tests) a file unlinked or
 * renamed over is no longer the path's. */
static bool still_linked(int fd, bool kernel)
{
	struct stat st;

	return kernel || (fstat(fd, &st) == 0 && st.st_nlink > 0);
}

/* Read the held file *slot whole into rt->buf; -1 (and *slot closed) when it is no longer
 * the file or does not read. */
static int reread(struct runtime *rt, int *slot, bool kernel, size_t *len)
{
	if (slot == NULL || *slot < 0)
		return -1;
	if (still_linked(*slot, kernel) && fill(rt, *slot, len) == 0)
		return 0;
	drop_fd(slot);
	return -1;
}

/* Read dirfd/rel whole into rt->buf (NUL-terminated) through *slot: its held descriptor while
 * that reads, else a fresh open, then held. slot NULL: open, read, close. -1 with errno set. */
static int slurp(struct runtime *rt, int dirfd, const char *rel, int *slot, bool kernel,
		 size_t *len)
{
	int fd;

	if (reread(rt, slot, kernel, len) == 0)
		return 0;
	fd = openat(dirfd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fill(rt, fd, len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (slot != NULL)
		*slot = hold(fd);
	else
		close(fd);
	return 0;
}

static void drop_tasks(struct runtime_fds *f)
{
	size_t i;

	for (i = 0; i < f->ntask; i++) {
		drop_fd(&f->task[i].stat);
		drop_fd(&f->task[i].status);
	}
	free(f->task);
	f->task = NULL;
	f->ntask = 0;
}

/* Close what belongs to the process measured last (all and forget it, or all but its stat). */
static void fds_reset(struct runtime_fds *f, bool keep_stat)
{
	if (!keep_stat) {
		drop_fd(&f->stat);
		f->pid = f->start = 0;
	}
	drop_tasks(f);
	drop_fd(&f->numa);
}

void runtime_fds_free(struct runtime_fds *fds)
{
	if (fds == NULL)
		return;
	fds_reset(fds, false);
	free(fds);
}

size_t runtime_fds_count(const struct runtime_fds *fds)
{
	size_t n = 0, i;

	if (fds == NULL)
		return 0;
	n += fds->stat >= 0;
	n += fds->numa >= 0;
	for (i = 0; i < fds->ntask; i++)
		n += (fds->task[i].stat >= 0) + (fds->task[i].status >= 0);
	return n;
}

/* The held task files for this pass's thread ids, in the status file's order; the files of
 * threads it no longer names are closed. */
static void fds_tasks(struct runtime_fds *f, const struct vm *vm)
{
	struct held_task *t = xcalloc(vm->ntids ? vm->ntids : 1, sizeof(*t));
	size_t i, j;

	for (i = 0; i < vm->ntids; i++) {
		t[i].tid = vm->tids[i].tid;
		t[i].stat = t[i].status = -1;
		for (j = 0; j < f->ntask; j++) {
			if (f->task[j].tid != t[i].tid || f->task[j].stat < 0)
				continue;
			t[i] = f->task[j];
			f->task[j].stat = f->task[j].status = -1;
			break;
		}
	}
	drop_tasks(f);
	f->task = t;
	f->ntask = vm->ntids;
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
	uint64_t word;
	size_t w;

	if (sched_getaffinity(tid, sizeof(set), &set) < 0)
		return -1;
	*out = cpuset_new(CPUSET_MAX_CPUS);
	/* word by word: a thread allowed a few CPUs of 1024 costs a few steps, not 1024 */
	for (w = 0; w < sizeof(set) / sizeof(word); w++) {
		memcpy(&word, (const char *)&set + w * sizeof(word), sizeof(word));
		for (; word != 0; word &= word - 1)
			cpuset_set(*out, (unsigned)(w * 64 + (unsigned)__builtin_ctzll(word)));
	}
	return 0;
}

static int cmp_vcpu(const void *a, const void *b)
{
	const struct vcpu_run *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The vCPU thread tid of the process: allowed CPUs and last CPU. false when the thread is
 * not one of the process's (its task directory does not exist). */
static bool read_vcpu(struct probe *p, uint64_t tid, struct held_task *h, struct vcpu_run *v)
{
	struct runtime *rt = p->rt;
	struct proc_stat ps;
	char rel[64], err[ERRLEN];
	size_t len;

	/* task/TID/stat: the thread is the process's, and its last CPU */
	if (reread(rt, h ? &h->stat : NULL, rt->proc_kernel, &len) < 0) {
		p->fresh++;
		snprintf(rel, sizeof(rel), "%stask/%" PRIu64 "/stat", p->pid, tid);
		if (slurp(rt, rt->proc_fd, rel, h ? &h->stat : NULL, rt->proc_kernel, &len) < 0)
			return errno != ENOENT && errno != ESRCH; /* unreadable, but there */
	}
	if (runtime_parse_stat(rt->buf, len, &ps, err, sizeof(err)) == 0)
		v->last_cpu = ps.processor;
	/* the kernel's /proc: one system call instead of making and parsing a status file */
	if (rt->real_proc && tid <= INT32_MAX && affinity_of((pid_t)tid, &v->actual) == 0)
		return true;
	if (reread(rt, h ? &h->status : NULL, rt->proc_kernel, &len) < 0) {
		snprintf(rel, sizeof(rel), "%stask/%" PRIu64 "/status", p->pid, tid);
		if (slurp(rt, rt->proc_fd, rel, h ? &h->status : NULL, rt->proc_kernel, &len) < 0)
			return true;
	}
	if (runtime_parse_allowed(rt->buf, len, &v->actual, err, sizeof(err)) < 0)
		v->actual = NULL;
	return true;
}

/* Every vCPU the status file names a thread for. false when the budget ran out. */
static bool read_vcpus(struct probe *p, struct vm_run *out)
{
	const struct vm *vm = p->vm;
	size_t i;

	if (p->fds)
		fds_tasks(p->fds, vm);
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
		if (read_vcpu(p, vm->tids[i].tid, p->fds ? &p->fds->task[i] : NULL, v))
			p->owned++;
	}
	if (out->nvcpus > 1)
		qsort(out->vcpus, out->nvcpus, sizeof(*out->vcpus), cmp_vcpu);
	return true;
}

/* A memory.numa_stat file into out, through slot (held only when it parses); -1 when absent
 * or unreadable. */
static int numa_stat_at(struct runtime *rt, const char *path, bool v1, int *slot,
			struct vm_run *out)
{
	char err[ERRLEN];
	size_t len;

	if (slurp(rt, AT_FDCWD, path, slot, rt->cg_kernel, &len) < 0)
		return -1;
	if (runtime_parse_numa_stat(rt->buf, len, v1, rt->page_size, &out->mem, &out->nmem, err,
				    sizeof(err)) < 0) {
		if (slot != NULL)
			drop_fd(slot);
		return -1;
	}
	out->mem_measured = true;
	return 0;
}

/* memory.numa_stat of dir (relative to the controller's mount) into out, remembering where. */
static int read_numa_stat(struct probe *p, const char *base, const char *dir, size_t dirlen,
			  bool v1, struct vm_run *out)
{
	char *path = xasprintf("%s%.*s/memory.numa_stat", base, (int)dirlen, dir);

	if (numa_stat_at(p->rt, path, v1, p->fds ? &p->fds->numa : NULL, out) < 0) {
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

/* residencyMethod numa_maps: the process's own mappings, hugepages included. Never held
 * open (the file pins the process's mm) and read afresh each pass: its cost is the page walk. */
static void read_maps(struct probe *p, struct vm_run *out)
{
	struct runtime *rt = p->rt;
	char rel[64], err[ERRLEN];
	size_t len;

	snprintf(rel, sizeof(rel), "%snuma_maps", p->pid);
	if (slurp(rt, rt->proc_fd, rel, NULL, false, &len) < 0 ||
	    runtime_parse_numa_maps(rt->buf, len, rt->page_size, &out->mem, &out->nmem, err,
				    sizeof(err)) < 0)
		return;
	out->mem_measured = true;
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

	if (rt->numa_maps) {
		read_maps(p, out);
		return;
	}
	if (p->vm->hugepages)
		return; /* numa_stat leaves hugetlb pages out: not measured */
	/* the same process stays in its cgroup (libvirt never moves QEMU): no need to look */
	if (p->prev && p->prev->memcg && p->prev->pid == out->pid && p->prev->start == out->start) {
		out->memcg = xstrdup(p->prev->memcg);
		out->memcg_v1 = p->prev->memcg_v1;
		if (numa_stat_at(rt, out->memcg, out->memcg_v1, p->fds ? &p->fds->numa : NULL,
				 out) == 0)
			return;
		free(out->memcg);
		out->memcg = NULL;
	}
	if (p->fds)
		drop_fd(&p->fds->numa); /* held for a cgroup this search may not find again */
	snprintf(rel, sizeof(rel), "%scgroup", p->pid);
	if (slurp(rt, rt->proc_fd, rel, NULL, false, &len) < 0 ||
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

/* The process measured last pass, whose files are all held: when each vCPU thread named
 * still reads through its held file (none opened afresh), the process is alive (its threads die with it) and the
 * same (a held /proc file fails once its task is gone, and a reused pid is a new task; on
 * other trees a thread's files vanish with it), so its own stat, costlier than a thread's as
 * it sums over every thread, is not generated again. false: measure it whole. */
static bool measure_held(struct probe *p, struct vm_run *out)
{
	const struct runtime_fds *f = p->fds;
	size_t i;

	if (f == NULL || f->pid != p->vm->pid || f->start == 0 || f->stat < 0 ||
	    f->ntask != p->vm->ntids || p->vm->ntids == 0)
		return false;
	for (i = 0; i < f->ntask; i++)
		if (f->task[i].tid != p->vm->tids[i].tid || f->task[i].stat < 0)
			return false;
	out->pid = f->pid;
	out->start = f->start;
	if (read_vcpus(p, out) && p->named > 0 && p->owned == p->named && p->fresh == 0)
		return true;
	vmrun_clear(out);
	p->named = p->owned = p->fresh = 0;
	return false;
}

static enum run_state measure(struct probe *p, int64_t mtime, struct vm_run *out)
{
	struct proc_stat ps;
	char err[ERRLEN], rel[64];
	size_t len;

	if (p->rt->proc_fd < 0)
		return RUN_UNKNOWN;
	snprintf(p->pid, sizeof(p->pid), "%" PRIu64 "/", p->vm->pid);
	if (measure_held(p, out)) {
		read_memory(p, out);
		return over_budget(p) ? RUN_UNKNOWN : RUN_RUNNING;
	}
	snprintf(rel, sizeof(rel), "%sstat", p->pid);
	if (p->fds && p->fds->pid != p->vm->pid) {
		fds_reset(p->fds, false);
		p->fds->pid = p->vm->pid;
	}
	/* missing, or hidden (hidepid=invisible lets the directory open, hides its files) */
	if (slurp(p->rt, p->rt->proc_fd, rel, p->fds ? &p->fds->stat : NULL, p->rt->proc_kernel,
		  &len) < 0)
		return errno == ENOENT || errno == ESRCH ? no_pid_dir(p, ENOENT, out) : RUN_UNKNOWN;
	if (runtime_parse_stat(p->rt->buf, len, &ps, err, sizeof(err)) < 0)
		return RUN_UNKNOWN;
	if (p->fds && p->fds->start != ps.starttime) {
		/* another process under the same pid: none of the old one's files are its */
		fds_reset(p->fds, true);
		p->fds->start = ps.starttime;
	}
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

/* The held files of fds, made on first use. */
static struct runtime_fds *fds_of(struct runtime_fds **fds)
{
	if (fds == NULL)
		return NULL;
	if (*fds == NULL) {
		*fds = xcalloc(1, sizeof(**fds));
		(*fds)->stat = (*fds)->numa = -1;
	}
	return *fds;
}

void runtime_read_vm(struct runtime *rt, const struct vm *vm, int64_t status_mtime,
		     const struct vm_run *prev, struct runtime_fds **fds, struct vm_run *out)
{
	struct probe p = {.rt = rt, .vm = vm, .prev = prev, .fds = fds_of(fds)};

	memset(out, 0, sizeof(*out));
	if (!vmrun_measurable(vm)) {
		if (p.fds)
			fds_reset(p.fds, false);
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
		if (p.fds)
			fds_reset(p.fds, false);
	}
}
