/* SPDX-License-Identifier: BSD-3-Clause */
/* scan.h: the libvirt XML directory -> the set of parsed VMs, with a per-file cache keyed by
 * (device, inode, size, mtime) so an unchanged file is never parsed twice. I/O layer. */
#ifndef NUMATOPD_SCAN_H
#define NUMATOPD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "source/domxml.h"
#include "core/model.h"

struct scan;

struct scan *scan_new(const char *dir, size_t max_file_size);
void scan_free(struct scan *s);
const char *scan_dir(const struct scan *s);

/* Bring the cache up to date with the directory: new and changed *.xml files are parsed,
 * vanished ones dropped. A bad file is logged once per change (file and reason) and counted.
 * Returns the number of files (re)parsed; -1 with a reason in err when the directory is not
 * there (ENOENT, ENOTDIR; the cache then keeps nothing); -2 with a reason in err when it, or a
 * name in it, cannot be read for another reason (EACCES, EMFILE, ...): the cache then keeps the
 * VMs of the last read, as they are (see scan_stale()), or, when there was none since the
 * directory was last missing, -1 as if it were not there. */
int scan_run(struct scan *s, char *err, size_t errlen);

/* scan_run() for the named files only (inotify named them; a name twice is fine): each is
 * stat'ed, parsed when new or changed, dropped when gone; every other file is taken to be as
 * the last scan left it. The same returns as scan_run(). It is scan_run() when there is no
 * earlier full read to trust: none since the directory was missing or unreadable, or the
 * directory is another one (inode) now. */
int scan_run_names(struct scan *s, char *const *names, size_t n, char *err, size_t errlen);

/* The valid VMs in file-name order, borrowed until the next scan_run()/scan_free(). */
size_t scan_vms(const struct scan *s, struct vm *const **vms, const char *const **files);

/* What the cache keys a file on: equal stamps, the same parse. */
struct scan_stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};
/* Parallel to scan_vms(), borrowed likewise. */
const struct scan_stamp *scan_stamps(const struct scan *s);
bool scan_stamp_equal(const struct scan_stamp *a, const struct scan_stamp *b);
/* Parallel to scan_vms(), borrowed likewise: each VM's parse, numbered; a number is never
 * given to another parse of this scan, so an equal number is the same struct vm, unchanged. */
const uint64_t *scan_parse_ids(const struct scan *s);
/* Copy the current invalid files into a model's error list. */
void scan_add_errors(const struct scan *s, struct model *m);
/* Add a warning per file skipped because another file holding its UUID is the VM (one UUID
 * is one VM); each such file also counted once per change in scan_parse_errors(). */
void scan_add_warnings(const struct scan *s, struct model *m);
unsigned scan_invalid_files(const struct scan *s);
/* Parse failures since scan_new(), counting each changed bad file once. */
uint32_t scan_parse_errors(const struct scan *s);
/* Bumped by every scan_run() that changed the set of VMs or invalid files (a file parsed
 * again, added or dropped, the directory lost): equal generations mean the same VMs. */
uint64_t scan_generation(const struct scan *s);
/* False when the directory itself (its inode, mtime or ctime) differs from what the last
 * scan_run() saw: a name was added, removed or renamed since. One stat(2). */
bool scan_dir_unchanged(const struct scan *s);
/* True when the last scan_run() could not read the directory. */
bool scan_dir_missing(const struct scan *s);
/* True when the last scan_run() returned -2: the VMs are those of an earlier read. */
bool scan_stale(const struct scan *s);

/* Which names the scan considers: "*.xml", not dotfiles, not "*.xml.new". */
bool scan_wanted_name(const char *name);

#endif
