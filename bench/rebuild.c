/* SPDX-License-Identifier: BSD-3-Clause */
/* bench/rebuild.c: times engine_build() on a host tree (make bench builds it, bench/run.sh runs
 * it): a full rebuild from a cold engine, a rebuild with nothing changed, one with one file changed.
 *
 *	rebuild SYSFS_ROOT XML_DIR [ROUNDS]
 *
 * Prints one line "cold_ms unchanged_ms fullscan_ms onechanged_ms files_parsed_cold vms": each the
 * median over
 * ROUNDS (default 5). "Cold" is a new engine (empty per-file cache) on files the page cache
 * holds: the cost numatopd pays at start-up, not a disk's. The engine runs as the daemon runs
 * it: with an inotify watch on the directory (src/watch.c) whose events are handed to it before
 * each build, so an unchanged rebuild trusts the absence of events (REBUILD_UNWATCHED=1: no
 * watch, every build reads everything, as without inotify). "Full scan" is an unchanged
 * rebuild that reads all of sysfs and stats every file anyway, as the refreshInterval timer's
 * does. The changed file is
 * rewritten the
 * way libvirt does it (NAME.new, then rename) with the same bytes, so only the cache key
 * changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>

#include "source/engine.h"
#include "core/log.h"
#include "core/util.h"
#include "source/watch.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One build the way the daemon's rebuild() does it: pending events first. */
static struct model *build(struct engine *e, struct watch *w, uint32_t now)
{
	if (w != NULL) {
		unsigned bits = watch_read(w);
		size_t n, i;
		char **names = watch_take_names(w, &n);

		if (bits)
			engine_dir_changed(e, names, n);
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		engine_set_watched(e, watch_on_dir(w));
	}
	return engine_build(e, now);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Rewrite path with its own bytes through path.new + rename: a new inode, the same content. */
static int rewrite(const char *path)
{
	char tmp[4096];
	FILE *in, *out;
	char buf[65536];
	size_t n;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	in = fopen(path, "rb");
	out = fopen(tmp, "wb");
	if (!in || !out) {
		rc = -1;
		goto done;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
done:
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	return rc;
}

/* The first *.xml of dir (any one will do: every build stats them all). */
static char *first_xml(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *p = NULL;

	while (d && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 4 && strcmp(de->d_name + l - 4, ".xml") == 0) {
			p = xasprintf("%s/%s", dir, de->d_name);
			break;
		}
	}
	if (d)
		closedir(d);
	return p;
}

int main(int argc, char **argv)
{
	struct engine_config cfg;
	double cold[64], same[64], full[64], one[64], t;
	unsigned parsed = 0;
	size_t vms = 0;
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	char *victim;

	if (argc < 3 || rounds < 1 || rounds > 64) {
		fprintf(stderr, "usage: rebuild SYSFS_ROOT XML_DIR [ROUNDS<=64]\n");
		return 2;
	}
	victim = first_xml(argv[2]);
	if (!victim) {
		fprintf(stderr, "rebuild: no *.xml in %s\n", argv[2]);
		return 1;
	}
	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = xstrdup(argv[1]);
	cfg.xml_dir = xstrdup(argv[2]);
	for (int r = 0; r < rounds; r++) {
		struct engine *e = engine_new(&cfg);
		struct watch *w = getenv("REBUILD_UNWATCHED") ? NULL : watch_new(argv[2]);
		struct model *m;

		if (w != NULL && !watch_on_dir(w)) {
			fprintf(stderr, "rebuild: cannot watch %s\n", argv[2]);
			return 1;
		}
		t = now_ms();
		m = build(e, w, 0);
		cold[r] = now_ms() - t;
		parsed = engine_files_parsed(e);
		vms = m->nvms;
		model_unref(m);

		t = now_ms();
		m = build(e, w, 1);
		same[r] = now_ms() - t;
		if (w != NULL && !engine_last_reused(e))
			fprintf(stderr, "rebuild: an unchanged rebuild accounted again\n");
		model_unref(m);

		engine_read_all(e); /* the refresh timer's safety net */
		t = now_ms();
		m = build(e, w, 1);
		full[r] = now_ms() - t;
		model_unref(m);
		/* REBUILD_PROFILE=N: N more unchanged builds, for perf record */
		for (int i = getenv("REBUILD_PROFILE") ? atoi(getenv("REBUILD_PROFILE")) : 0; i > 0; i--)
			model_unref(build(e, w, 1));

		if (rewrite(victim) != 0) {
			perror(victim);
			return 1;
		}
		t = now_ms();
		m = build(e, w, 2);
		one[r] = now_ms() - t;
		if (engine_files_parsed(e) != 1)
			fprintf(stderr, "rebuild: %u files parsed after one change\n",
				engine_files_parsed(e));
		model_unref(m);
		engine_free(e);
		watch_free(w);
	}
	printf("%.3f %.3f %.3f %.3f %u %zu\n", median(cold, rounds), median(same, rounds),
	       median(full, rounds), median(one, rounds), parsed, vms);
	free(victim);
	engine_config_clear(&cfg);
	return 0;
}
