/* SPDX-License-Identifier: BSD-3-Clause */
/* engine.h: one rebuild of the model from the sources: sysfs + the libvirt directory (through
 * the per-file cache) + accounting. Shared by --dump and the daemon. I/O layer, no Net-SNMP. */
#ifndef NUMATOPD_ENGINE_H
#define NUMATOPD_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/account.h"
#include "core/model.h"
#include "source/scan.h"

#define ENGINE_STATE_DIR "/var/lib/numatopd" /* the daemon's default stateDir */

struct engine_config {
	char *sysfs_root;  /* default "/sys" */
	char *xml_dir;     /* default "/run/libvirt/qemu" */
	size_t max_file_size;
	char *state_dir;  /* the VM index map's directory; NULL (the default): no map */
	bool state_write; /* false (the default, --dump): the map is read, never written */
	bool once;        /* --dump: a libvirt directory that cannot be read is not logged with
			   * the daemon's wording; the caller reports engine_dir_error() */
	struct account_config acct;
	unsigned runtime_interval; /* seconds; 0 (the default here; the daemon's is 10) = off */
	char *proc_root;	   /* default "/proc" */
	char *cgroup_root;	   /* default "/sys/fs/cgroup" */
	bool numa_maps; /* residencyMethod numa_maps: memory per node from /proc/PID/numa_maps */
};

struct engine;

struct engine *engine_new(const struct engine_config *cfg);
void engine_free(struct engine *e);
/* The engine keeps the VM index map (README, "VM index"): read from state_dir when made
 * (missing or bad: logged, and rebuilt from the VMs present), written back after a build that
 * changed it when state_write, and at engine_free() when only last-seen times moved. */

/* Swap in a new configuration (SIGHUP); the file cache is kept when the directory is the
 * same. cfg is copied. */
void engine_set_config(struct engine *e, const struct engine_config *cfg);

/* Rebuild: re-read sysfs, bring the file cache up to date, account. now is the caller's clock
 * (sysUpTime ticks in the daemon) used for last_refresh/last_change. Logs a source that
 * becomes unreadable (or readable again) once per transition. Never returns NULL. */
struct model *engine_build(struct engine *e, uint32_t now);

/* The engine knows no watch: the caller (the daemon loop) watches the directory with
 * inotify, calls engine_dir_changed() on every event it reads, with the file names the events
 * named (watch_take_names()) or NULL when they are not known, and engine_set_watched() with
 * whether it watches the directory itself. A build with no such event since the last scan,
 * and the directory's own stat unchanged, then skips the per-file stat of the scan; one with
 * only named files stats and parses those (scan_run_names()); either re-reads only the sysfs
 * values that move (sysfs_refresh_host(); the whole tree when that says it must).
 * engine_read_all(): the next build reads all of sysfs and stats every file anyway (the
 * daemon's refreshInterval timer, the safety net). Off (the default, and --dump): every build
 * reads everything. Turning it on makes the next build read everything. More than
 * WATCH_NAMES_MAX names pending: every file is stat'ed. */
void engine_set_watched(struct engine *e, bool watched);
void engine_dir_changed(struct engine *e, char *const *names, size_t n);
void engine_read_all(struct engine *e);

/* The next build reads the runtime facts of every VM, not only of the VMs whose status file
 * changed (the runtimeInterval timer, an SNMP request after a second). No-op when off. */
void engine_runtime_all(struct engine *e);
/* Seconds the last build spent on runtime reads, and how many VMs it read. */
double engine_runtime_seconds(const struct engine *e);
size_t engine_runtime_read(const struct engine *e);

/* True when the last build changed no VM and no topology: it shared the VM rows of the build
 * before (account_refresh) and only the kernel's free counts were read again. */
bool engine_last_reused(const struct engine *e);

/* Why the last build could not read the libvirt directory ("DIR: No such file or
 * directory"), NULL when it could. */
const char *engine_dir_error(const struct engine *e);

/* How many NUMA nodes the last build found (0 = none: --dump exits 1). */
size_t engine_node_count(const struct engine *e);
/* How many files the last build (re)parsed: the per-file cache at work (the daemon's debug
 * line shows it). */
unsigned engine_files_parsed(const struct engine *e);

void engine_config_init(struct engine_config *c);
void engine_config_clear(struct engine_config *c);
void engine_config_copy(struct engine_config *dst, const struct engine_config *src);

#endif
