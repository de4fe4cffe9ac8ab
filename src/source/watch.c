/* SPDX-License-Identifier: BSD-3-Clause */
/* watch.c: one inotify watch, on the libvirt directory or on the nearest ancestor that exists
 * (re-armed as the path appears or goes), with the timer as the fallback when inotify fails. */
#include "source/watch.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "core/log.h"
#include "source/scan.h"
#include "core/util.h"

/* The directory: what libvirt does to status files (it writes "name.xml.new", then renames it
 * over "name.xml"), any other change of a file's content (IN_MODIFY: a truncate(2) or a write
 * by a writer that keeps the file open; the daemon trusts these events between its full
 * scans), and the directory's own removal or move. */
#define DIR_MASK                                                                                   \
	(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |        \
	 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)
/* An ancestor: only a new entry (the next path component, perhaps) or its own end matters. */
#define PARENT_MASK (IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct watch {
	char *dir;
	int fd;	       /* inotify instance, -1 when there is none */
	int wd;	       /* the one watch, -1 when none */
	bool on_dir;   /* wd watches dir itself, not an ancestor */
	bool failed;   /* the last attempt failed: warned once, retried on the timer */
	char *watched; /* the path wd watches */
	char **names;  /* what the events since watch_take_names() named */
	size_t nnames, capnames;
	bool names_lost; /* some event named a file that names does not hold */
};

/* "/a/b/" -> "/a/b"; "" -> "." */
static char *clean_path(const char *p)
{
	size_t len = strlen(p);

	while (len > 1 && p[len - 1] == '/')
		len--;
	return len ? xstrndup(p, len) : xstrdup(".");
}

/* The parent of p in place; false when p has none ("/", "."). */
static bool to_parent(char *p)
{
	char *slash = strrchr(p, '/');

	if (slash == NULL) {
		if (strcmp(p, ".") == 0)
			return false;
		strcpy(p, ".");
		return true;
	}
	if (slash == p) {
		if (p[1] == '\0')
			return false;
		p[1] = '\0';
		return true;
	}
	*slash = '\0';
	return true;
}

static void fail_once(struct watch *w, const char *what, int err)
{
	if (!w->failed)
		log_warn("inotify on %s: %s: %s; changes are picked up on the refresh timer only",
			 w->dir, what, strerror(err));
	w->failed = true;
}

static void unwatch(struct watch *w)
{
	if (w->wd >= 0)
		inotify_rm_watch(w->fd, w->wd); /* fails when the kernel dropped it: fine */
	w->wd = -1;
	w->on_dir = false;
	free(w->watched);
	w->watched = NULL;
}

/* Add the watch on dir, else on its nearest existing ancestor. 0, or -1 and errno. */
static int add_nearest(struct watch *w, char **where)
{
	char *p = xstrdup(w->dir);

	for (;;) {
		bool self = strcmp(p, w->dir) == 0;

		w->wd = inotify_add_watch(w->fd, p, self ? DIR_MASK : PARENT_MASK);
		if (w->wd >= 0) {
			w->on_dir = self;
			*where = p;
			return 0;
		}
		if ((errno != ENOENT && errno != ENOTDIR) || !to_parent(p)) {
			*where = p;
			return -1;
		}
	}
}

/* True when the path below the watched ancestor has grown since it was found missing: its
 * creation may have fallen between our look and the watch. */
static bool grew(const struct watch *w, const char *where)
{
	char *below = xstrdup(w->dir);
	bool found = false;

	while (strcmp(below, where) != 0) {
		if (access(below, F_OK) == 0) {
			found = true;
			break;
		}
		if (!to_parent(below))
			break;
	}
	free(below);
	return found;
}

/* Watch dir, else its nearest existing ancestor. */
static void arm(struct watch *w)
{
	char *old = w->watched, *p = NULL;
	int tries;

	w->watched = NULL;
	if (w->fd < 0) {
		w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (w->fd < 0) {
			fail_once(w, "inotify_init1", errno);
			free(old);
			return;
		}
	}
	for (tries = 0; tries < 8; tries++) {
		unwatch(w);
		free(p);
		if (add_nearest(w, &p) < 0) {
			fail_once(w, p, errno);
			free(p);
			free(old);
			return;
		}
		if (w->on_dir || !grew(w, p))
			break;
	}
	if (w->failed)
		log_info("inotify on %s works again", w->dir);
	w->failed = false;
	if (!w->on_dir && (old == NULL || strcmp(old, p) != 0))
		log_info("watching %s until %s appears", p, w->dir);
	free(old);
	w->watched = p;
}

/* The path component below the watched ancestor that leads to dir ("libvirt" while /run is
 * watched for /run/libvirt/qemu); "" when dir itself is watched. */
static const char *next_component(const struct watch *w, char *buf, size_t len)
{
	size_t n = strlen(w->watched);
	const char *rest = w->dir;
	size_t k;

	if (strcmp(w->watched, ".") != 0) {
		rest += n;
		while (*rest == '/')
			rest++;
	}
	k = strcspn(rest, "/");
	if (k >= len)
		k = len - 1;
	memcpy(buf, rest, k);
	buf[k] = '\0';
	return buf;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void keep_name(struct watch *w, const char *name)
{
	char **slot;

	if (w->names_lost || w->nnames >= WATCH_NAMES_MAX) {
		w->names_lost = true;
		return;
	}
	slot = array_push(&w->names, &w->nnames, &w->capnames, sizeof(*w->names));
	*slot = xstrdup(name);
}

char **watch_take_names(struct watch *w, size_t *n)
{
	char **names = w->names;

	*n = w->nnames;
	if (w->names_lost) {
		free_names(names, w->nnames);
		names = NULL;
		*n = 0;
	}
	w->names = NULL;
	w->nnames = w->capnames = 0;
	w->names_lost = false;
	return names;
}

struct watch *watch_new(const char *dir)
{
	struct watch *w = xcalloc(1, sizeof(*w));

	w->dir = clean_path(dir);
	w->fd = -1;
	w->wd = -1;
	arm(w);
	return w;
}

void watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	unwatch(w);
	if (w->fd >= 0)
		close(w->fd);
	free_names(w->names, w->nnames);
	free(w->dir);
	free(w);
}

int watch_fd(const struct watch *w)
{
	return w->wd >= 0 ? w->fd : -1;
}

bool watch_on_dir(const struct watch *w)
{
	return w->wd >= 0 && w->on_dir;
}

void watch_retry(struct watch *w)
{
	/* also a safety net for an ancestor watch that missed the next component appearing */
	if (!watch_on_dir(w))
		arm(w);
}

/* One event: its WATCH_* bits; *rearm when the watch must move. */
static unsigned event_bits(struct watch *w, const struct inotify_event *ev, bool *rearm)
{
	if (ev->mask & IN_Q_OVERFLOW)
		return WATCH_RESCAN;
	if (ev->wd != w->wd)
		return 0; /* the IN_IGNORED of a watch we removed */
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)) {
		*rearm = true;
		return w->on_dir ? WATCH_RESCAN : 0;
	}
	if (!w->on_dir) {
		char next[NAME_MAX + 1];

		/* the next component of the path appeared in the ancestor: move down */
		if (ev->len && strcmp(ev->name, next_component(w, next, sizeof(next))) == 0)
			*rearm = true;
		return 0;
	}
	if (ev->len && scan_wanted_name(ev->name)) {
		keep_name(w, ev->name);
		return WATCH_CHANGED;
	}
	return 0;
}

unsigned watch_read(struct watch *w)
{
	/* aligned as struct inotify_event, room for many events with NAME_MAX names */
	char buf[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	unsigned bits = 0;
	bool rearm = false;

	if (w->fd < 0)
		return 0;
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof(buf));
		char *p;

		if (len <= 0) {
			if (len < 0 && errno == EINTR)
				continue;
			break; /* EAGAIN: drained */
		}
		for (p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			bits |= event_bits(w, ev, &rearm);
			p += sizeof(*ev) + ev->len;
		}
	}
	if (rearm) {
		bool was_on_dir = w->on_dir;

		arm(w);
		/* the directory appeared (or came back): read it now */
		if (w->on_dir && !was_on_dir)
			bits |= WATCH_RESCAN;
	}
	if (bits & WATCH_RESCAN)
		w->names_lost = true; /* every file may have changed */
	return bits;
}
