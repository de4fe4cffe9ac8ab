/* SPDX-License-Identifier: BSD-3-Clause */
/* test_account_cache.c: the incremental build (account_build_cached) accounts again only the
 * VMs that changed, and every result equals a from-scratch build (account_build_all) of the
 * same input, compared as the JSON dump prints everything. Runs on fixtures/host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "core/log.h"
#include "core/util.h"
#include "core/vmindex.h"
#include "source/domxml.h"
#include "source/sysfs.h"
#include "testutil.h"

#define MAXVMS 32

/* One build's input, as the engine hands it over. */
struct world {
	struct host *host;
	struct vm *vms[MAXVMS];
	char *files[MAXVMS];
	uint64_t ids[MAXVMS];
	struct vm_run runs[MAXVMS];
	uint64_t run_ids[MAXVMS];
	size_t n;
	uint64_t next_id;
	bool with_runs;
};

static struct account_input input(struct world *w)
{
	struct account_input in = {
	    .vms = w->vms,
	    .files = (const char *const *)w->files,
	    .parse_ids = w->ids,
	    .runs = w->with_runs ? w->runs : NULL,
	    .run_ids = w->with_runs ? w->run_ids : NULL,
	    .n = w->n,
	};
	return in;
}

/* The cached build equals a from-scratch one; returns how many VMs it accounted. */
static size_t build_and_compare(struct account_cache *k, struct world *w,
				struct vmindex *map, struct vmindex *fresh_map)
{
	struct account_input in = input(w);
	struct model *a = account_build_cached(k, w->host, &in, NULL, map, 1000);
	struct model *b = account_build_all(w->host, w->vms, (const char *const *)w->files,
					    in.runs, w->n, NULL, fresh_map, 1000);
	char *da = testutil_dump_json(a), *db = testutil_dump_json(b);

	assert_string_equal(da, db);
	assert_true(model_content_hash(a) == model_content_hash(b));
	free(da);
	free(db);
	model_unref(a);
	model_unref(b);
	return account_cache_accounted(k);
}

static struct vm *parse(const char *xml)
{
	char err[ERRLEN];
	struct vm *vm = NULL;

	assert_int_equal(domxml_parse_buffer(xml, strlen(xml), &vm, err, sizeof(err)), 0);
	return vm;
}

static struct vm *parse_file(const char *path)
{
	char err[ERRLEN];
	struct vm *vm = NULL;

	return domxml_parse_file(path, 0, &vm, err, sizeof(err)) == 0 ? vm : NULL;
}

static void add_vm(struct world *w, struct vm *vm, const char *file)
{
	size_t i = w->n++;

	assert_true(i < MAXVMS);
	w->vms[i] = vm;
	w->files[i] = xstrdup(file);
	w->ids[i] = ++w->next_id;
	w->run_ids[i] = w->next_id;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture host and its valid VM files, in file-name order (as the scan lists them). */
static int setup(void **state)
{
	const char *fx = getenv("FIXTURES");
	struct world *w = xcalloc(1, sizeof(*w));
	char err[ERRLEN], *dir, *names[MAXVMS];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	assert_non_null(fx);
	log_set_hook(testutil_quiet);
	dir = xasprintf("%s/host/sys", fx);
	assert_int_equal(sysfs_read_host(dir, &w->host, err, sizeof(err)), 0);
	free(dir);
	dir = xasprintf("%s/host/libvirt", fx);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL && n < MAXVMS - 4)
		if (strlen(de->d_name) > 4 && !strcmp(de->d_name + strlen(de->d_name) - 4, ".xml"))
			names[n++] = xstrdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct vm *vm = parse_file(path);

		if (vm != NULL)
			add_vm(w, vm, names[i]);
		free(path);
		free(names[i]);
	}
	free(dir);
	assert_true(w->n >= 8);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	size_t i;

	for (i = 0; i < w->n; i++) {
		vm_free(w->vms[i]);
		free(w->files[i]);
		vmrun_clear(&w->runs[i]);
	}
	host_free(w->host);
	free(w);
	log_set_hook(NULL);
	return 0;
}

static const char *const PINNED =
    "<domain type='kvm' id='77'><name>added</name>"
    "<uuid>6f1d2b7e-0000-4000-8000-0000000000aa</uuid>"
    "<memory unit='GiB'>2</memory>"
    "<vcpu placement='static' cpuset='%s'>2</vcpu></domain>";

static struct vm *pinned_vm(const char *cpus)
{
	char xml[512];

	snprintf(xml, sizeof(xml), PINNED, cpus);
	return parse(xml);
}

static void test_unchanged_build_accounts_nothing(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();

	assert_int_equal(build_and_compare(k, w, NULL, NULL), w->n); /* the first: every VM */
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 0);
	account_cache_free(k);
}

static void test_changed_vm_accounted_alone(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	struct vm *old;

	add_vm(w, pinned_vm("0-1"), "zz-added.xml");
	build_and_compare(k, w, NULL, NULL);
	/* a new parse of the same file: pinned elsewhere (another node) */
	old = w->vms[w->n - 1];
	w->vms[w->n - 1] = pinned_vm("4-5");
	w->ids[w->n - 1] = ++w->next_id;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	/* a new parse with the same content: accounted again, the same rows */
	vm_free(old);
	old = w->vms[w->n - 1];
	w->vms[w->n - 1] = pinned_vm("4-5");
	w->ids[w->n - 1] = ++w->next_id;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	vm_free(old);
	account_cache_free(k);
}

static void test_removed_and_added_vm(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	struct vm *gone;
	char *file;
	uint64_t id;

	build_and_compare(k, w, NULL, NULL);
	/* the third VM goes: the others shift one position, nothing is accounted */
	gone = w->vms[2];
	file = w->files[2];
	id = w->ids[2];
	memmove(&w->vms[2], &w->vms[3], (w->n - 3) * sizeof(*w->vms));
	memmove(&w->files[2], &w->files[3], (w->n - 3) * sizeof(*w->files));
	memmove(&w->ids[2], &w->ids[3], (w->n - 3) * sizeof(*w->ids));
	w->n--;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 0);
	/* it comes back (under its old parse): its result went when it did */
	memmove(&w->vms[3], &w->vms[2], (w->n - 2) * sizeof(*w->vms));
	memmove(&w->files[3], &w->files[2], (w->n - 2) * sizeof(*w->files));
	memmove(&w->ids[3], &w->ids[2], (w->n - 2) * sizeof(*w->ids));
	w->vms[2] = gone;
	w->files[2] = file;
	w->ids[2] = id;
	w->n++;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	/* a VM never seen: only it */
	add_vm(w, pinned_vm("0-1"), "zz-added.xml");
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	account_cache_free(k);
}

/* A VM whose process is gone frees its nodes (R9): the kept node sums lose its share. */
static void test_runtime_facts_changed(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	size_t i;

	w->with_runs = true;
	for (i = 0; i < w->n; i++)
		w->runs[i].state = RUN_RUNNING;
	build_and_compare(k, w, NULL, NULL);
	w->runs[1].state = RUN_GONE;
	w->run_ids[1] = ++w->next_id;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	w->runs[1].state = RUN_RUNNING;
	w->run_ids[1] = ++w->next_id;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	/* runtime facts switched off: every VM's run state changes */
	w->with_runs = false;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), w->n);
	account_cache_free(k);
}

static void test_host_change_forgets_every_vm(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	struct cpuset *online = w->host->online_cpus;

	build_and_compare(k, w, NULL, NULL);
	/* one CPU less online: the gap warnings and the VMs' missing-CPU warnings move */
	w->host->online_cpus = cpuset_dup(online ? online : w->host->cpus);
	cpuset_clear(w->host->online_cpus, 0);
	assert_int_equal(build_and_compare(k, w, NULL, NULL), w->n);
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 0);
	/* a node's CPUs */
	cpuset_clear(w->host->nodes[0].cpus, 1);
	assert_int_equal(build_and_compare(k, w, NULL, NULL), w->n);
	cpuset_set(w->host->nodes[0].cpus, 1);
	cpuset_free(w->host->online_cpus);
	w->host->online_cpus = online;
	assert_int_equal(build_and_compare(k, w, NULL, NULL), w->n);
	account_cache_free(k);
}

static const char *const WITH_DEV =
    "<domain type='kvm' id='78'><name>gpu</name>"
    "<uuid>6f1d2b7e-0000-4000-8000-0000000000bb</uuid>"
    "<memory unit='GiB'>2</memory><vcpu placement='static' cpuset='0-1'>2</vcpu>"
    "<devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
    "<address domain='0x0000' bus='0x3b' slot='0x00' function='0x1'/></source></hostdev>"
    "</devices></domain>";

/* Only the VMs naming a passthrough device read the host's devices. */
static void test_device_change_forgets_device_vms(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	struct host_dev dev = {.kind = DEV_KIND_PCI, .addr = {0, 0x3b, 0, 1}, .found = true,
			       .node = 0};

	add_vm(w, parse(WITH_DEV), "zz-gpu.xml");
	w->host->devs = xmemdup(&dev, 1, sizeof(dev));
	w->host->ndevs = 1;
	build_and_compare(k, w, NULL, NULL);
	w->host->devs[0].node = 1; /* the device moved (hotplug) */
	assert_int_equal(build_and_compare(k, w, NULL, NULL), 1);
	free(w->host->devs);
	w->host->devs = NULL;
	w->host->ndevs = 0;
	account_cache_free(k);
}

/* Another per-VM setting: every VM again. */
static void test_config_change_forgets_every_vm(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	struct account_input in = input(w);
	struct account_config cfg;
	struct model *a, *b;
	char *da, *db;

	account_config_init(&cfg);
	model_unref(account_build_cached(k, w->host, &in, &cfg, NULL, 0));
	cfg.default_huge_kib = 1048576;
	a = account_build_cached(k, w->host, &in, &cfg, NULL, 0);
	assert_int_equal(account_cache_accounted(k), w->n);
	b = account_build_all(w->host, w->vms, (const char *const *)w->files, NULL, w->n, &cfg,
			      NULL, 0);
	da = testutil_dump_json(a);
	db = testutil_dump_json(b);
	assert_string_equal(da, db);
	free(da);
	free(db);
	model_unref(a);
	model_unref(b);
	account_cache_free(k);
}

/* With the index map: a new VM claiming a domain id an earlier file holds gets a UUID index
 * and a warning; once the map knows it, a fresh build recalls it without the warning, and so
 * must the cached one. Each side has its own map, in the same state. */
static void test_index_map_as_fresh(void **state)
{
	struct world *w = *state;
	struct account_cache *k = account_cache_new();
	struct vmindex *m1 = vmindex_new(), *m2 = vmindex_new();
	char xml[512], *d;
	struct model *m;
	size_t i = 0;

	while (i < w->n && w->vms[i]->id < 1)
		i++;
	assert_true(i < w->n);
	snprintf(xml, sizeof(xml),
		 "<domain type='kvm' id='%lld'><name>late</name>"
		 "<uuid>6f1d2b7e-0000-4000-8000-0000000000cc</uuid>"
		 "<memory unit='GiB'>1</memory><vcpu>1</vcpu></domain>",
		 w->vms[i]->id);
	add_vm(w, parse(xml), "zz-late.xml");
	m = account_build(w->host, w->vms, (const char *const *)w->files, w->n, NULL);
	d = testutil_dump_json(m);
	assert_non_null(strstr(d, "is also claimed by")); /* the case this test is about */
	free(d);
	model_unref(m);
	assert_int_equal(build_and_compare(k, w, m1, m2), w->n);
	/* the map learnt the new UUIDs: 'late' is recalled now, without the warning */
	assert_int_equal(build_and_compare(k, w, m1, m2), 1);
	assert_int_equal(build_and_compare(k, w, m1, m2), 0);
	assert_true(m1->n == m2->n && m1->n > 0);
	vmindex_free(m1);
	vmindex_free(m2);
	account_cache_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unchanged_build_accounts_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_changed_vm_accounted_alone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_removed_and_added_vm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_runtime_facts_changed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_change_forgets_every_vm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_device_change_forgets_device_vms, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_change_forgets_every_vm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_index_map_as_fresh, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
