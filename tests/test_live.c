/* SPDX-License-Identifier: BSD-3-Clause */
/* test_live.c: the status files a real libvirtd 9.0 wrote (corpus libvirt-live/) through the
 * whole engine on a host like the one they came from (1 node, CPUs 0-1), checked against what
 * `virsh vcpupin/emulatorpin/numatune` printed there (libvirt-live/README.md, virsh/). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/engine.h"
#include "core/log.h"
#include "core/util.h"
#include "corpus.h"
#include "testutil.h"
#include "tmpdir.h"

static char root[256];
static struct model *m;	 /* run-libvirt-qemu: after the runtime changes */
static struct model *mp; /* pristine/run-libvirt-qemu: as started from domains/ */

static void write_file(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", root, rel);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* The capture host: one NUMA cell, CPUs 0-1, 4 GiB, a 2 MiB pool of 64 pages. */
static void make_host(void)
{
	char *dir;

	assert_int_equal(tmpdir_make(root, sizeof(root), "live"), 0);
	dir = xasprintf("mkdir -p '%s/devices/system/node/node0/hugepages/hugepages-2048kB'", root);
	assert_int_equal(system(dir), 0);
	free(dir);
	write_file("devices/system/node/node0/cpulist", "0-1\n");
	write_file("devices/system/node/node0/meminfo", "Node 0 MemTotal:        4286680 kB\n"
							  "Node 0 MemFree:         3000000 kB\n"
							  "Node 0 MemUsed:         1286680 kB\n");
	write_file("devices/system/node/node0/distance", "10\n");
	write_file("devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "64\n");
	write_file("devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages", "32\n");
	write_file("devices/system/node/node0/hugepages/hugepages-2048kB/surplus_hugepages", "0\n");
}

/* The whole engine (scan, parse, account_build) over one directory of status files. */
static struct model *build_dir(char *dir)
{
	struct engine_config cfg;
	struct engine *e;
	struct model *r;

	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = xstrdup(root);
	cfg.xml_dir = dir;
	e = engine_new(&cfg);
	log_set_hook(testutil_quiet);
	r = engine_build(e, 1);
	log_set_hook(NULL);
	engine_free(e);
	engine_config_clear(&cfg);
	return r;
}

static int setup(void **state)
{
	const char *corpus = corpus_find();
	char *dir;
	struct stat st;

	(void)state;
	if (corpus == NULL)
		return 0;
	dir = xasprintf("%s/libvirt-live/run-libvirt-qemu", corpus);
	if (stat(dir, &st) < 0) {
		free(dir);
		return 0;
	}
	make_host();
	m = build_dir(dir);
	mp = build_dir(xasprintf("%s/libvirt-live/pristine/run-libvirt-qemu", corpus));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	model_unref(m);
	model_unref(mp);
	if (root[0])
		assert_int_equal(tmpdir_remove(root), 0);
	return 0;
}

static void need_corpus(void)
{
	if (m != NULL && mp != NULL)
		return;
	corpus_skip("CORPUS/libvirt-live");
}

static const struct vm_row *vm_in(const struct model *mm, const char *name)
{
	for (size_t i = 0; i < mm->nvms; i++)
		if (!strcmp(mm->vms[i].name, name))
			return &mm->vms[i];
	fail_msg("no VM named %s", name);
	return NULL;
}

static const struct vm_row *vm_named(const char *name)
{
	return vm_in(m, name);
}

static const struct vcpu_row *vcpu_in(const struct model *mm, const struct vm_row *v, unsigned id)
{
	size_t i = model_vcpu_lower(mm, v->index, id);

	assert_true(i < mm->nvcpus);
	assert_int_equal(mm->vcpus[i].vm, v->index);
	assert_int_equal(mm->vcpus[i].vcpu, id);
	return &mm->vcpus[i];
}

static const struct vcpu_row *vcpu_of(const struct vm_row *v, unsigned id)
{
	return vcpu_in(m, v, id);
}

/* The seven status files all parse; none is invalid. */
static void test_every_status_file_parses(void **state)
{
	(void)state;
	need_corpus();
	assert_int_equal(m->nerrors, 0);
	assert_int_equal(m->nvms, 7);
	assert_int_equal(m->nnodes, 1);
}

/* virsh vcpupin lab-pinned: 0 -> 1, 1 -> 0; emulatorpin 1; numatune strict 0 (live state
 * after `virsh vcpupin --live`, which differs from /etc). */
static void test_lab_pinned_live_pins(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_named("lab-pinned");
	assert_string_equal(vcpu_of(v, 0)->affinity, "1");
	assert_string_equal(vcpu_of(v, 1)->affinity, "0");
	assert_int_equal(vcpu_of(v, 0)->node, 0);
	assert_string_equal(v->emulator_cpus, "1");
	assert_int_equal(v->mem_mode, MEM_MODE_STRICT);
	assert_int_equal(v->placement, PLACEMENT_LOCAL);
	assert_int_equal(v->state, VM_STATE_RUNNING);
	assert_true(vcpu_of(v, 0)->tid > 0);
	assert_int_equal(v->memory, 65536ull * 1024);
}

/* lab-cpuset after `setvcpus 2 --live`: both vCPUs online, both on CPU 1, preferred 0. */
static void test_lab_cpuset_hotplugged(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_named("lab-cpuset");
	assert_int_equal(v->vcpus, 2);
	assert_string_equal(vcpu_of(v, 0)->affinity, "1");
	assert_string_equal(vcpu_of(v, 1)->affinity, "1");
	assert_int_equal(v->mem_mode, MEM_MODE_PREFERRED);
	assert_int_equal(v->placement, PLACEMENT_LOCAL);
}

/* lab-guestnuma: two 32 MiB cells, strict and interleave on node 0: mode mixed. */
static void test_lab_guestnuma_cells(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_named("lab-guestnuma");
	assert_int_equal(v->memory, 2 * 32768ull * 1024);
	assert_int_equal(vcpu_of(v, 0)->cell, 0);
	assert_int_equal(vcpu_of(v, 1)->cell, 1);
	assert_int_equal(v->mem_mode, MEM_MODE_MIXED);
	assert_int_equal(v->remote_vcpus, 0);
	assert_string_equal(v->emulator_cpus, "0-1");
}

/* lab-huge: 64 MiB on 2 MiB pages on node 0 = 32 pages of demand; restrictive. */
static void test_lab_huge_demand(void **state)
{
	const struct vm_row *v;
	size_t i;

	(void)state;
	need_corpus();
	v = vm_named("lab-huge");
	assert_int_equal(v->huge_kib, 2048);
	assert_int_equal(v->mem_mode, MEM_MODE_RESTRICTIVE);
	i = model_huge_lower(m, 0, 2048);
	assert_true(i < m->nhuges);
	assert_int_equal(m->huges[i].size_kib, 2048);
	assert_int_equal(m->huges[i].demand, 32);
	assert_int_equal(m->huges[i].total, 64);
	assert_false(m->huges[i].over);
}

/* lab-auto: placement auto, numad chose nodeset 0 / cpuset 0-1: bound, local. */
static void test_lab_auto_numad(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_named("lab-auto");
	assert_string_equal(vcpu_of(v, 0)->affinity, "0-1");
	assert_int_equal(vcpu_of(v, 0)->node, 0);
	assert_int_equal(v->placement, PLACEMENT_LOCAL);
	assert_int_equal(v->mem_mode, MEM_MODE_STRICT);
}

/* lab-nopin and lab-transient: nothing pinned at all. */
static void test_lab_nopin_floating(void **state)
{
	(void)state;
	need_corpus();
	assert_int_equal(vm_named("lab-nopin")->placement, PLACEMENT_FLOATING);
	assert_int_equal(vm_named("lab-transient")->placement, PLACEMENT_FLOATING);
	assert_int_equal(m->vm_floating, 2);
}

/* ---------------------------------------------------------------- the pristine set */

/* Six guests freshly started from domains/ (no lab-transient): all parse, one node. */
static void test_pristine_every_status_file_parses(void **state)
{
	(void)state;
	need_corpus();
	assert_int_equal(mp->nerrors, 0);
	assert_int_equal(mp->nvms, 6);
	assert_int_equal(mp->nnodes, 1);
}

/* pristine virsh: vcpupin lab-pinned 0 -> 0, 1 -> 1; emulatorpin 0; numatune strict 0. */
static void test_pristine_lab_pinned(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_in(mp, "lab-pinned");
	assert_int_equal(v->vcpus, 2);
	assert_string_equal(vcpu_in(mp, v, 0)->affinity, "0");
	assert_string_equal(vcpu_in(mp, v, 1)->affinity, "1");
	assert_int_equal(vcpu_in(mp, v, 0)->node, 0);
	assert_int_equal(vcpu_in(mp, v, 1)->node, 0);
	assert_string_equal(v->emulator_cpus, "0");
	assert_int_equal(v->mem_mode, MEM_MODE_STRICT);
	assert_int_equal(v->placement, PLACEMENT_LOCAL);
	assert_int_equal(v->remote_vcpus, 0);
	assert_int_equal(v->memory, 65536ull * 1024);
}

/* pristine lab-cpuset: current='1' of 2, every thread on CPU 1, preferred 0. */
static void test_pristine_lab_cpuset(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_in(mp, "lab-cpuset");
	assert_int_equal(v->vcpus, 1);
	assert_int_equal(v->vcpus_max, 2);
	assert_string_equal(vcpu_in(mp, v, 0)->affinity, "1");
	assert_int_equal(v->mem_mode, MEM_MODE_PREFERRED);
	assert_int_equal(v->placement, PLACEMENT_LOCAL);
}

/* pristine lab-guestnuma: vCPU 0 in cell 0 on CPU 0, vCPU 1 in cell 1 on CPU 1, emulator 0-1,
 * strict + interleave: mixed. */
static void test_pristine_lab_guestnuma(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_in(mp, "lab-guestnuma");
	assert_int_equal(v->memory, 2 * 32768ull * 1024);
	assert_string_equal(vcpu_in(mp, v, 0)->affinity, "0");
	assert_string_equal(vcpu_in(mp, v, 1)->affinity, "1");
	assert_int_equal(vcpu_in(mp, v, 0)->cell, 0);
	assert_int_equal(vcpu_in(mp, v, 1)->cell, 1);
	assert_string_equal(v->emulator_cpus, "0-1");
	assert_int_equal(v->mem_mode, MEM_MODE_MIXED);
	assert_int_equal(v->remote_vcpus, 0);
}

/* pristine lab-huge: vCPU 0 on CPU 0, 64 MiB on 2 MiB pages on node 0 = 32 pages; restrictive. */
static void test_pristine_lab_huge(void **state)
{
	const struct vm_row *v;
	size_t i;

	(void)state;
	need_corpus();
	v = vm_in(mp, "lab-huge");
	assert_string_equal(vcpu_in(mp, v, 0)->affinity, "0");
	assert_int_equal(v->huge_kib, 2048);
	assert_int_equal(v->mem_mode, MEM_MODE_RESTRICTIVE);
	i = model_huge_lower(mp, 0, 2048);
	assert_true(i < mp->nhuges);
	assert_int_equal(mp->huges[i].demand, 32);
	assert_false(mp->huges[i].over);
}

/* pristine lab-auto (numad nodeset 0, cpuset 0-1) and lab-nopin (nothing pinned). */
static void test_pristine_lab_auto_and_nopin(void **state)
{
	const struct vm_row *v;

	(void)state;
	need_corpus();
	v = vm_in(mp, "lab-auto");
	assert_string_equal(vcpu_in(mp, v, 0)->affinity, "0-1");
	assert_int_equal(v->placement, PLACEMENT_LOCAL);
	assert_int_equal(v->mem_mode, MEM_MODE_STRICT);
	assert_int_equal(vm_in(mp, "lab-nopin")->placement, PLACEMENT_FLOATING);
	assert_int_equal(mp->vm_floating, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_status_file_parses),
		cmocka_unit_test(test_lab_pinned_live_pins),
		cmocka_unit_test(test_lab_cpuset_hotplugged),
		cmocka_unit_test(test_lab_guestnuma_cells),
		cmocka_unit_test(test_lab_huge_demand),
		cmocka_unit_test(test_lab_auto_numad),
		cmocka_unit_test(test_lab_nopin_floating),
		cmocka_unit_test(test_pristine_every_status_file_parses),
		cmocka_unit_test(test_pristine_lab_pinned),
		cmocka_unit_test(test_pristine_lab_cpuset),
		cmocka_unit_test(test_pristine_lab_guestnuma),
		cmocka_unit_test(test_pristine_lab_huge),
		cmocka_unit_test(test_pristine_lab_auto_and_nopin),
	};

	return corpus_exit(cmocka_run_group_tests_name("libvirt-live", tests, setup, teardown));
}
