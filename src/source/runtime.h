/* SPDX-License-Identifier: BSD-3-Clause */
/* runtime.h: runtime truth read from the kernel for a VM whose status file names a QEMU pid:
 * liveness from /proc/PID/stat, each vCPU thread's allowed and last CPU from
 * /proc/PID/task/TID/{status,stat}, resident memory per node from the VM's memory cgroup
 * (memory.numa_stat). Bounded, non-blocking reads; I/O layer, no Net-SNMP. */
#ifndef NUMATOPD_RUNTIME_H
#define NUMATOPD_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vm.h"
#include "core/vmrun.h"

/* No /proc or cgroup file we read is near this; a bigger one is refused, not truncated. */
#define RUNTIME_FILE_MAX ((size_t)1 << 20)
/* A VM whose reads take longer than this is given up as unknown (a stuck QEMU). */
#define RUNTIME_VM_BUDGET_MS 250
/* A process that started more than this after its status file was written is not the one the
 * file names (btime is whole seconds and start times are clock ticks: allow for rounding). */
#define RUNTIME_START_SLACK_S 2

struct runtime;
/* The descriptors one VM's reads keep open between passes (runtime_read_vm). */
struct runtime_fds;

/* proc_root: "/proc" (only then are the syscall fallbacks for a hidden /proc used);
 * cgroup_root: "/sys/fs/cgroup" (v1: one directory per controller below it; v2: the tree). */
struct runtime *runtime_new(const char *proc_root, const char *cgroup_root);
void runtime_free(struct runtime *rt);
/* residencyMethod numa_maps: resident memory per node from /proc/PID/numa_maps (exact, counts
 * hugepages, but walks the page tables under the process's mmap lock: about 10 ms per GiB
 * resident, and needs CAP_SYS_PTRACE) instead of the memory cgroup. Off by default. */
void runtime_set_numa_maps(struct runtime *rt, bool on);
/* Tests: the per-VM time budget in milliseconds (0 gives every measured VM up). */
void runtime_set_budget_ms(struct runtime *rt, unsigned ms);

/* Measure vm, whose status file was last written at status_mtime (wall clock, seconds), into
 * *out (overwritten; free with vmrun_clear()). Never fails: what cannot be read is unknown.
 * prev, when not NULL, is the last measurement of the same file: its memory cgroup is reused
 * for the same process (pid and start time), saving the read of /proc/PID/cgroup.
 * fds, when not NULL, holds the files read open for the next read of the same file (*fds is
 * created on first use; free it with runtime_fds_free()): a pass then re-reads each with one
 * pread instead of resolving its path, opening and closing it. A held file is dropped and
 * opened again by path when its read fails (on the kernel's /proc: the task is gone, and a
 * reused pid is a new task) or, on other trees, when it was unlinked or renamed over; all are
 * dropped when the pid or its start time changes or the VM is no longer measured. */
void runtime_read_vm(struct runtime *rt, const struct vm *vm, int64_t status_mtime,
		     const struct vm_run *prev, struct runtime_fds **fds, struct vm_run *out);
/* Close and free; NULL is fine. */
void runtime_fds_free(struct runtime_fds *fds);
/* Descriptors held (tests). */
size_t runtime_fds_count(const struct runtime_fds *fds);

/* ---------------------------------------------------------------- pure parsers (fuzzed) */

struct proc_stat {
	char state;	    /* field 3: R, S, D, Z, X, ... */
	uint64_t starttime; /* field 22: clock ticks after boot */
	int processor;	    /* field 39: CPU last run on */
};
/* /proc/PID/stat or /proc/PID/task/TID/stat: "pid (comm) state ...", comm may hold ") ". */
int runtime_parse_stat(const char *buf, size_t len, struct proc_stat *out, char *err,
		       size_t errlen);
/* The Cpus_allowed_list line of /proc/PID/task/TID/status. */
int runtime_parse_allowed(const char *buf, size_t len, struct cpuset **out, char *err,
			  size_t errlen);
/* The btime line of /proc/stat: boot time, wall-clock seconds. */
int runtime_parse_btime(const char *buf, size_t len, int64_t *out, char *err, size_t errlen);
/* /proc/PID/cgroup: the v1 line whose controllers include memory, else the v2 "0::" line.
 * *path is malloc'd, absolute, without ".." components. */
int runtime_parse_cgroup(const char *buf, size_t len, bool *v1, char **path, char *err,
			 size_t errlen);
/* memory.numa_stat: v1 pages ("hierarchical_anon=... N0=..", else "anon="), times page_size;
 * v2 bytes, the "anon" and "shmem" lines summed. *out sorted by node, malloc'd. */
int runtime_parse_numa_stat(const char *buf, size_t len, bool v1, uint64_t page_size,
			    struct node_bytes **out, size_t *n, char *err, size_t errlen);
/* /proc/PID/numa_maps: resident bytes per node of the mappings that hold guest memory, i.e.
 * anonymous ("anon="), hugetlbfs ("huge") or memfd ("file=/memfd:") ones, never other
 * file-backed ones (shared libraries, disk images: the page cache is not the VM's): each
 * "N<node>=<pages>" times the line's "kernelpagesize_kB" (page_size without one). *out sorted
 * by node, malloc'd. */
int runtime_parse_numa_maps(const char *buf, size_t len, uint64_t page_size,
			    struct node_bytes **out, size_t *n, char *err, size_t errlen);
/* The directory below the cgroup mount whose memory.numa_stat covers the whole VM, given
 * the process's cgroup path: the nearest component named *.scope (systemd) or *.libvirt-qemu
 * (libvirt without systemd), with depth the components kept; 0 when the path has none. */
size_t runtime_vm_group_depth(const char *path);

#endif
