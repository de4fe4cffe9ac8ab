/* SPDX-License-Identifier: BSD-3-Clause */
/* runpass.c: the runtime facts of every VM of a scan, kept per file between passes (keyed on
 * the scan's stamp), so an inotify rebuild reads /proc only for the VMs whose file changed and
 * the runtimeInterval timer reads them all. */
#include "source/runpass.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "core/yield.h"
#include "source/runtime.h"

struct runpass {
	struct runtime *rt;
	char **files; /* sorted by name, as the scan's VMs */
	struct scan_stamp *stamps;
	struct vm_run *runs;
	struct runtime_fds **fds; /* each VM's held files (runtime_read_vm) */
	uint64_t *ids; /* the reading each of runs came from */
	uint64_t reads;
	size_t n;
	double seconds;
};

struct runpass *runpass_new(const char *proc_root, const char *cgroup_root, bool numa_maps)
{
	struct runpass *p = xcalloc(1, sizeof(*p));

	p->rt = runtime_new(proc_root, cgroup_root);
	runtime_set_numa_maps(p->rt, numa_maps);
	return p;
}

static void drop(char **files, struct vm_run *runs, struct runtime_fds **fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(files[i]);
		vmrun_clear(&runs[i]);
		runtime_fds_free(fds[i]);
	}
	free(files);
	free(runs);
	free(fds);
}

void runpass_free(struct runpass *p)
{
	if (p == NULL)
		return;
	drop(p->files, p->runs, p->fds, p->n);
	free(p->stamps);
	free(p->ids);
	runtime_free(p->rt);
	free(p);
}

size_t runpass_update(struct runpass *p, struct scan *s, bool all)
{
	struct vm *const *vms;
	const char *const *files;
	const struct scan_stamp *st = scan_stamps(s);
	size_t n = scan_vms(s, &vms, &files), i, j = 0, read = 0;
	char **nf = xcalloc(n ? n : 1, sizeof(*nf));
	struct vm_run *nr = xcalloc(n ? n : 1, sizeof(*nr));
	struct runtime_fds **nfd = xcalloc(n ? n : 1, sizeof(*nfd));
	uint64_t *ids = xcalloc(n ? n : 1, sizeof(*ids));
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		/* both lists are sorted by file name: one merge walk finds the old facts */
		while (j < p->n && strcmp(p->files[j], files[i]) < 0)
			j++;
		const struct vm_run *prev = NULL;

		nf[i] = xstrdup(files[i]);
		if (j < p->n && strcmp(p->files[j], files[i]) == 0) {
			prev = &p->runs[j];
			nfd[i] = p->fds[j];
			p->fds[j] = NULL;
			if (!all && scan_stamp_equal(&p->stamps[j], &st[i])) {
				nr[i] = p->runs[j];
				ids[i] = p->ids[j];
				memset(&p->runs[j], 0, sizeof(p->runs[j]));
				continue;
			}
		}
		runtime_read_vm(p->rt, vms[i], (int64_t)st[i].mtime.tv_sec, prev, &nfd[i], &nr[i]);
		/* the same facts keep their number: the VM is not accounted again for nothing */
		ids[i] = prev && vmrun_same(prev, &nr[i]) ? p->ids[j] : ++p->reads;
		read++;
		yield_point(); /* a pass of 10,000 VMs takes ~1 s: requests wait no longer than 1 ms */
	}
	drop(p->files, p->runs, p->fds, p->n);
	free(p->stamps);
	free(p->ids);
	p->files = nf;
	p->runs = nr;
	p->fds = nfd;
	p->ids = ids;
	p->stamps = xmemdup(st, n, sizeof(*st));
	p->n = n;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	p->seconds = ts_seconds(&t0, &t1);
	return read;
}

const struct vm_run *runpass_facts(const struct runpass *p)
{
	return p->runs;
}

const uint64_t *runpass_ids(const struct runpass *p)
{
	return p->ids;
}

double runpass_seconds(const struct runpass *p)
{
	return p->seconds;
}
