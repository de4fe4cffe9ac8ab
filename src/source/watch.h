/* SPDX-License-Identifier: BSD-3-Clause */
/* watch.h: inotify on the libvirt directory, or on its nearest existing parent until it
 * appears, telling the daemon when to rebuild. I/O layer, no Net-SNMP; events only say "dirty". */
#ifndef NUMATOPD_WATCH_H
#define NUMATOPD_WATCH_H

#include <stdbool.h>
#include <stddef.h>

/* What watch_read() saw (bits). */
enum {
	WATCH_CHANGED = 1, /* a *.xml file was written, renamed or removed: rebuild soon */
	WATCH_RESCAN = 2,  /* the directory appeared or vanished, or the queue overflowed: now */
};

struct watch;

/* Start watching dir. Never NULL: without inotify (or past the watch limit) it logs once and
 * watch_fd() is -1, and the caller's refresh timer is all there is. */
struct watch *watch_new(const char *dir);
void watch_free(struct watch *w);

/* The descriptor to select() for reading, -1 when not watching. */
int watch_fd(const struct watch *w);
/* Drain the pending events; WATCH_* bits, 0 for nothing relevant. */
unsigned watch_read(struct watch *w);
/* The *.xml names the events drained by watch_read() since the last call named (duplicates
 * possible): the caller frees names[i] and the array. NULL, *n 0, when there were none, and
 * when some are not known (more than WATCH_NAMES_MAX, a queue overflow, the directory itself
 * came or went): then every file may have changed. */
#define WATCH_NAMES_MAX 1024
char **watch_take_names(struct watch *w, size_t *n);
/* From the refresh timer: try again what failed (inotify instance, watch limit). */
void watch_retry(struct watch *w);
/* True when the directory itself is watched (not a parent, not nothing). */
bool watch_on_dir(const struct watch *w);

#endif
