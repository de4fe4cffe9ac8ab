/* SPDX-License-Identifier: BSD-3-Clause */
/* engine.c: rebuild = read sysfs + refresh the per-file cache + account, then stamp the
 * source scalars. Logs source transitions once, never per rebuild. */
#include "source/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "source/pcidev.h"
#include "source/statefile.h"
#include "source/runpass.h"
#include "source/sysfs.h"
#include "source/watch.h"
#include "core/util.h"

struct engine {
	struct engine_config cfg;
	struct scan *scan;
	size_t nnodes;
	bool sysfs_bad;      /* last build could not read sysfs */
	bool dir_bad;        /* last build could not read the libvirt directory */
	uint64_t last_hash;  /* content hash of the tables, for last_change */
	uint32_t last_change;
	unsigned last_parsed; /* files the last build (re)parsed */
	bool built;
	/* the last build, for account_refresh() when nothing but free counts changed */
	struct model *prev;
	struct host *prev_host; /* the host prev was built from, NULL = none */
	uint64_t prev_gen;      /* scan generation prev was built from */
	bool reused;            /* the last build was an account_refresh() */
	bool watched;           /* see engine_set_watched() */
	bool dirty;             /* an event naming no file since the last scan, or never scanned */
	char **pending;         /* the files events named since the last scan */
	size_t npending, cappending;
	bool read_all;          /* the next build reads all of sysfs and stats every file */
	uint32_t errors_before; /* parse failures counted by scans since replaced (SIGHUP) */
	struct vmindex *map;    /* the VM index map */
	bool save_bad;          /* the last save of the map failed */
	bool reserved_told;     /* reservedMemory naming missing nodes was logged (this config) */
	char dir_err[ERRLEN];   /* why the last build could not read the directory, "" = it could */
	struct account_cache *cache; /* every VM's accounting, for the next build */
	struct runpass *rp;	/* runtime facts; NULL when runtimeInterval is 0 */
	bool rt_all;		/* the next build reads every VM's runtime facts */
	size_t rt_read;		/* VMs the last build read */
};

static void drop_prev(struct engine *e)
{
	model_unref(e->prev);
	e->prev = NULL;
	host_free(e->prev_host);
	e->prev_host = NULL;
}

static void drop_pending(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->npending; i++)
		free(e->pending[i]);
	free(e->pending);
	e->pending = NULL;
	e->npending = e->cappending = 0;
}

void engine_config_init(struct engine_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sysfs_root = xstrdup("/sys");
	c->xml_dir = xstrdup("/run/libvirt/qemu");
	c->max_file_size = DOMXML_MAX_SIZE_DEFAULT;
	c->state_dir = NULL; /* no map: the daemon's settings name the directory */
	c->state_write = false;
	c->proc_root = xstrdup("/proc");
	c->cgroup_root = xstrdup("/sys/fs/cgroup");
	account_config_init(&c->acct);
}

void engine_config_clear(struct engine_config *c)
{
	free(c->sysfs_root);
	free(c->xml_dir);
	free(c->state_dir);
	free(c->proc_root);
	free(c->cgroup_root);
	account_config_clear(&c->acct);
	memset(c, 0, sizeof(*c));
}

void engine_config_copy(struct engine_config *dst, const struct engine_config *src)
{
	*dst = *src;
	dst->sysfs_root = xstrdup(src->sysfs_root);
	dst->xml_dir = xstrdup(src->xml_dir);
	dst->state_dir = src->state_dir ? xstrdup(src->state_dir) : NULL;
	dst->proc_root = xstrdup(src->proc_root);
	dst->cgroup_root = xstrdup(src->cgroup_root);
	dst->acct.reserved =
	    xmemdup(src->acct.reserved, src->acct.nreserved, sizeof(*src->acct.reserved));
}

/* Read the map; what went wrong is logged once, and the map starts from what was good. A
 * missing map is the first start (or a lost file): the daemon says so, --dump stays quiet. */
static void load_map(struct engine *e)
{
	char err[512];

	e->map = vmindex_new();
	if (e->cfg.state_dir == NULL)
		return;
	switch (statefile_load(e->cfg.state_dir, e->map, err, sizeof(err))) {
	case STATEFILE_OK:
		break;
	case STATEFILE_MISSING:
		if (e->cfg.state_write)
			log_warn("VM index map %s; starting a new one (normal at the first start)",
				 err);
		break;
	case STATEFILE_BAD:
		log_warn("VM index map %s; ignored, rebuilt from the VMs present", err);
		break;
	case STATEFILE_PARTIAL:
		log_warn("VM index map %s; the other entries are kept", err);
		break;
	}
}

/* Write the map when it changed (or, at the end, when only last-seen times moved). A failure
 * is logged once until a save works again: the indexes then hold only until a restart. */
static void save_map(struct engine *e, bool at_end)
{
	char err[512];

	if (!e->cfg.state_write || e->cfg.state_dir == NULL ||
	    !(e->map->changed || (at_end && e->map->touched)))
		return;
	if (statefile_save(e->cfg.state_dir, e->map, err, sizeof(err)) < 0) {
		if (!e->save_bad)
			log_warn("VM index map not saved: %s; numaVmIndex may change at a restart",
				 err);
		e->save_bad = true;
		return;
	}
	if (e->save_bad)
		log_info("VM index map saved again in %s", e->cfg.state_dir);
	e->save_bad = false;
}

struct engine *engine_new(const struct engine_config *cfg)
{
	struct engine *e = xcalloc(1, sizeof(*e));

	engine_config_copy(&e->cfg, cfg);
	load_map(e);
	e->scan = scan_new(cfg->xml_dir, cfg->max_file_size);
	e->cache = account_cache_new();
	e->dirty = true;
	e->read_all = true;
	if (cfg->runtime_interval)
		e->rp = runpass_new(cfg->proc_root, cfg->cgroup_root, cfg->numa_maps);
	e->rt_all = true;
	return e;
}

void engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	drop_prev(e);
	drop_pending(e);
	account_cache_free(e->cache);
	scan_free(e->scan);
	save_map(e, true);
	vmindex_free(e->map);
	runpass_free(e->rp);
	engine_config_clear(&e->cfg);
	free(e);
}

void engine_set_config(struct engine *e, const struct engine_config *cfg)
{
	bool same_dir = strcmp(e->cfg.xml_dir, cfg->xml_dir) == 0 &&
			e->cfg.max_file_size == cfg->max_file_size;

	/* a new state directory gets the map the VMs have now, so no index moves */
	if (cfg->state_dir && (e->cfg.state_dir == NULL || strcmp(e->cfg.state_dir, cfg->state_dir)))
		e->map->changed = true;

	engine_config_clear(&e->cfg);
	engine_config_copy(&e->cfg, cfg);
	e->reserved_told = false;
	drop_prev(e); /* ratios and reservations change the accounting */
	account_cache_clear(e->cache); /* so may the rest: every VM is accounted anew */
	e->dirty = e->read_all = true;
	runpass_free(e->rp); /* the roots may have changed: read everything anew */
	e->rp = cfg->runtime_interval
		    ? runpass_new(cfg->proc_root, cfg->cgroup_root, cfg->numa_maps)
		    : NULL;
	e->rt_all = true;
	if (!same_dir) {
		/* numaParseErrors is a Counter32: it must not go back when the scan is new */
		e->errors_before += scan_parse_errors(e->scan);
		scan_free(e->scan);
		e->scan = scan_new(cfg->xml_dir, cfg->max_file_size);
		e->dir_bad = false;
	}
}

void engine_set_watched(struct engine *e, bool watched)
{
	if (watched && !e->watched)
		e->dirty = e->read_all = true; /* events before the watch existed are unknown */
	e->watched = watched;
}

void engine_dir_changed(struct engine *e, char *const *names, size_t n)
{
	size_t i;

	if (names == NULL || e->dirty || e->npending + n > WATCH_NAMES_MAX) {
		e->dirty = true; /* every file is stat'ed anyway */
		drop_pending(e);
		return;
	}
	for (i = 0; i < n; i++)
		*(char **)array_push(&e->pending, &e->npending, &e->cappending,
				     sizeof(*e->pending)) = xstrdup(names[i]);
}

void engine_read_all(struct engine *e)
{
	e->dirty = e->read_all = true;
}

void engine_runtime_all(struct engine *e)
{
	e->rt_all = true;
}

double engine_runtime_seconds(const struct engine *e)
{
	return e->rp ? runpass_seconds(e->rp) : 0;
}

size_t engine_runtime_read(const struct engine *e)
{
	return e->rt_read;
}

bool engine_last_reused(const struct engine *e)
{
	return e->reused;
}

size_t engine_node_count(const struct engine *e)
{
	return e->nnodes;
}

unsigned engine_files_parsed(const struct engine *e)
{
	return e->last_parsed;
}

static struct host *read_host(struct engine *e)
{
	struct host *host = NULL;
	char err[ERRLEN];

	/* between full reads, a watched engine re-reads only what moves (sysfs.h) */
	if (e->watched && !e->read_all && !e->sysfs_bad && e->prev_host != NULL &&
	    sysfs_refresh_host(e->cfg.sysfs_root, e->prev_host, &host) == 0)
		return host;
	if (sysfs_read_host(e->cfg.sysfs_root, &host, err, sizeof(err)) < 0) {
		if (!e->sysfs_bad)
			log_err("sysfs: %s; serving no NUMA nodes until it is readable", err);
		e->sysfs_bad = true;
		return NULL;
	}
	if (e->sysfs_bad)
		log_info("sysfs: %s/devices/system/node is readable again", e->cfg.sysfs_root);
	e->sysfs_bad = false;
	return host;
}

static void refresh_dir(struct engine *e)
{
	char err[ERRLEN];
	bool was_stale;
	int parsed;

	if (e->watched && !e->dirty && !e->dir_bad && e->npending == 0 &&
	    scan_dir_unchanged(e->scan)) {
		e->last_parsed = 0; /* inotify saw nothing: every file is as the last scan left it */
		return;
	}
	was_stale = scan_stale(e->scan);
	/* inotify named the files that changed: only those are looked at */
	if (e->watched && !e->dirty && !e->dir_bad && e->npending > 0)
		parsed = scan_run_names(e->scan, e->pending, e->npending, err, sizeof(err));
	else
		parsed = scan_run(e->scan, err, sizeof(err));
	e->dirty = false; /* an event from now on means another scan */
	drop_pending(e);

	e->last_parsed = parsed > 0 ? (unsigned)parsed : 0;
	snprintf(e->dir_err, sizeof(e->dir_err), "%s", parsed < 0 ? err : "");
	if (parsed < 0 && e->cfg.once) {
		e->dir_bad = parsed == -1;
		return;
	}
	if (parsed == -2) {
		if (!was_stale)
			log_warn("libvirt directory %s; serving the VMs it last read until it can "
				 "be read again",
				 err);
		return;
	}
	if (parsed < 0) {
		if (!e->dir_bad)
			log_warn("libvirt directory %s; serving host tables only until it appears",
				 err);
		e->dir_bad = true;
		return;
	}
	if (e->dir_bad || was_stale)
		log_info("libvirt directory %s is readable again", e->cfg.xml_dir);
	e->dir_bad = false;
}

/* reservedMemory NODE SIZE for a node the host does not have reserves nothing: say so, once
 * per configuration. */
static void check_reserved(struct engine *e, const struct host *host)
{
	char nodes[256];
	size_t i, j, len = 0;

	if (e->reserved_told || host == NULL || host->nnodes == 0)
		return;
	nodes[0] = '\0';
	for (j = 0; j < host->nnodes && len < sizeof(nodes); j++)
		len += (size_t)snprintf(nodes + len, sizeof(nodes) - len, "%s%u", j ? "," : "",
					host->nodes[j].id);
	for (i = 0; i < e->cfg.acct.nreserved; i++) {
		for (j = 0; j < host->nnodes; j++)
			if (host->nodes[j].id == e->cfg.acct.reserved[i].node)
				break;
		if (j == host->nnodes)
			log_warn("reservedMemory: node %u does not exist on this host (nodes %s); "
				 "ignored",
				 e->cfg.acct.reserved[i].node, nodes);
	}
	e->reserved_told = true;
}

const char *engine_dir_error(const struct engine *e)
{
	return e->dir_err[0] ? e->dir_err : NULL;
}

/* Nodes whose memory is unknown (no readable meminfo): the values are incomplete. */
static size_t unknown_memory(const struct host *h)
{
	size_t i, n = 0;

	for (i = 0; i < h->nnodes; i++)
		n += !h->nodes[i].has_meminfo;
	return n;
}

/* Only the VMs whose parse or runtime reading changed are accounted again (account_cache). */
static struct model *account(struct engine *e, const struct host *host, struct vm *const *vms,
			     const char *const *files, size_t nvms)
{
	struct account_input in = {
	    .vms = vms,
	    .files = files,
	    .parse_ids = scan_parse_ids(e->scan),
	    .runs = e->rp ? runpass_facts(e->rp) : NULL,
	    .run_ids = e->rp ? runpass_ids(e->rp) : NULL,
	    .n = nvms,
	};

	return account_build_cached(e->cache, host, &in, &e->cfg.acct, e->map, (int64_t)time(NULL));
}

struct model *engine_build(struct engine *e, uint32_t now)
{
	static const struct host empty_host;
	struct host *host = read_host(e);
	struct vm *const *vms;
	const char *const *files;
	struct model *m;
	size_t nvms, sysfs_warnings;
	uint64_t h, gen;

	refresh_dir(e);
	check_reserved(e, host);
	e->read_all = false;
	/* runtime facts: of the VMs whose file changed, or of every VM when it is time */
	e->rt_read = e->rp ? runpass_update(e->rp, e->scan, e->rt_all) : 0;
	e->rt_all = false;
	gen = scan_generation(e->scan);
	nvms = scan_vms(e->scan, &vms, &files);
	if (host != NULL) /* the devices the VMs name, read again each time: hotplug moves them */
		pcidev_read(e->cfg.sysfs_root, vms, nvms, host);
	e->reused = e->prev != NULL && host != NULL && e->prev_host != NULL &&
		    gen == e->prev_gen && e->rt_read == 0 && account_host_same(e->prev_host, host);
	if (e->reused) {
		m = account_refresh(e->prev, host);
	} else {
		m = account(e, host ? host : &empty_host, vms, files, nvms);
		save_map(e, false);
		scan_add_warnings(e->scan, m); /* a refresh shares these with the build before */
	}
	scan_add_errors(e->scan, m);
	e->nnodes = host ? host->nnodes : 0;
	sysfs_warnings = host ? host->nwarnings + unknown_memory(host) : 0;
	drop_prev(e);
	e->prev = model_ref(m);
	e->prev_host = host;
	e->prev_gen = gen;

	m->parse_errors = e->errors_before + scan_parse_errors(e->scan);
	m->invalid_files = scan_invalid_files(e->scan);
	if (e->sysfs_bad || e->dir_bad)
		m->source_status = SOURCE_UNAVAILABLE;
	else if (m->invalid_files || sysfs_warnings || scan_stale(e->scan))
		m->source_status = SOURCE_DEGRADED;
	else
		m->source_status = SOURCE_OK;
	/* a refresh changes only what the hash leaves out */
	h = e->reused ? e->last_hash : model_content_hash(m);
	if (!e->built || h != e->last_hash)
		e->last_change = now;
	e->last_hash = h;
	e->built = true;
	m->last_refresh = now;
	m->last_change = e->last_change;
	return m;
}
