/* SPDX-License-Identifier: BSD-3-Clause */
/* test_qemualloc.c: memory counted the way QEMU allocates it (issue 10), on libvirt's own test
 * domains and sysfs snapshots copied into fixtures/qemualloc: parsed, read and accounted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/account.h"
#include "core/log.h"
#include "core/util.h"
#include "source/domxml.h"
#include "source/engine.h"
#include "source/read_file.h"
#include "source/sysfs.h"
#include "testutil.h"
#include "tmpdir.h"

#define KiB 1024ull

static char *fixture(const char *rel)
{
	const char *fx = getenv("FIXTURES");

	assert_non_null(fx);
	return xasprintf("%s/qemualloc/%s", fx, rel);
}

static struct host *read_sys(const char *rel)
{
	char err[ERRLEN], *root = fixture(rel);
	struct host *h = NULL;

	assert_int_equal(sysfs_read_host(root, &h, err, sizeof(err)), 0);
	free(root);
	return h;
}

static struct vm *parse(const char *file)
{
	char err[ERRLEN] = "", *path = xasprintf("%s/%s", "libvirt", file), *full = fixture(path);
	struct vm *vm = NULL;

	if (domxml_parse_file(full, 0, &vm, err, sizeof(err)) < 0)
		fail_msg("%s: %s", file, err);
	free(full);
	free(path);
	return vm;
}

/* One test domain on the bundled four-node host (fixtures/host/sys, nodes 0,1,4,6). */
static struct model *account_one(struct vm *vm, const char *file)
{
	const char *fx = getenv("FIXTURES");
	char err[ERRLEN], *root = xasprintf("%s/host/sys", fx);
	struct host *h = NULL;
	struct model *m;

	assert_int_equal(sysfs_read_host(root, &h, err, sizeof(err)), 0);
	m = account_build(h, &vm, &file, 1, NULL);
	host_free(h);
	free(root);
	return m;
}

/* One test domain parsed and accounted; unload() frees both. */
static struct vm *loaded;

static struct model *load(const char *file)
{
	loaded = parse(file);
	return account_one(loaded, file);
}

static void unload(struct model *m)
{
	model_unref(m);
	vm_free(loaded);
	loaded = NULL;
}

static bool has_warning(const struct model *m, const char *needle)
{
	size_t i;

	for (i = 0; i < m->nwarnings; i++)
		if (strstr(m->warnings[i].reason, needle) != NULL ||
		    strstr(m->warnings[i].file, needle) != NULL)
			return true;
	return false;
}

static const struct huge_row *huge(const struct model *m, unsigned node, uint64_t kib)
{
	size_t i = model_huge_lower(m, node, kib);

	return i < m->nhuges && m->huges[i].node == node && m->huges[i].size_kib == kib
		   ? &m->huges[i]
		   : NULL;
}

/* ---------------------------------------------------------------- memory devices */

/* <memory> already includes the DIMMs: the implicit cell holds <memory> minus them. A config
 * file is rounded as libvirt will at start: ppc64 initial memory to 256 MiB. */
static void test_ppc64_nonuma_dimms_inside_memory(void **state)
{
	struct model *m = load("memory-hotplug-ppc64-nonuma.xml");

	(void)state;
	assert_int_equal(m->nvms, 1);
	/* 2098177 KiB - 2 x 524288 = 1049601 KiB, rounded up to 1310720; plus 1 GiB of DIMMs */
	assert_int_equal(m->vms[0].memory, (1310720 + 1048576) * KiB);
	assert_int_equal(m->vms[0].mem_devices, 1048576 * KiB);
	assert_int_equal(m->vms[0].mem_persistent, 0);
	unload(m);
}

/* dimm: 523264 and 524287 KiB round to 2 MiB (524288 each). The second has its own nodemask
 * 1-3 (node 1 on this host; 2 and 3 do not exist) and 2 MiB pages: 256 pages on node 1. */
static void test_dimm_own_backend(void **state)
{
	struct model *m = load("memory-hotplug-dimm.x86_64-latest.xml");
	const struct huge_row *h = huge(m, 1, 2048);

	(void)state;
	assert_int_equal(m->vms[0].memory, (219136 + 2 * 524288) * KiB);
	assert_int_equal(m->vms[0].mem_devices, 2 * 524288 * KiB);
	assert_int_equal(model_node(m, 1)->mem_used, 524288 * KiB);
	assert_int_equal(model_node(m, 1)->mem_huge, 524288 * KiB);
	assert_int_equal(model_node(m, 0)->mem_used, 0);
	assert_non_null(h);
	assert_int_equal(h->demand, 256);
	assert_true(has_warning(m, "nodes 2-3 that do not exist"));
	unload(m);
}

/* virtio-mem: what is plugged (<requested>) counts, not <size>. The second device has its
 * own nodemask 1-3 and 2 MiB pages: 1 GiB = 512 pages on node 1. */
static void test_virtio_mem_requested(void **state)
{
	struct model *m = load("memory-hotplug-virtio-mem.x86_64-latest.xml");
	const struct huge_row *h = huge(m, 1, 2048);

	(void)state;
	assert_int_equal(m->vms[0].memory, (2095104 + 524288 + 1048576) * KiB);
	assert_int_equal(m->vms[0].mem_devices, (524288 + 1048576) * KiB);
	assert_int_equal(model_node(m, 1)->mem_used, 1048576 * KiB);
	assert_non_null(h);
	assert_int_equal(h->demand, 512);
	unload(m);
}

/* nvdimm and virtio-pmem are host files: a separate figure, never node RAM. */
static void test_persistent_memory_apart(void **state)
{
	const char *f1 = "memory-hotplug-nvdimm.x86_64-latest.xml";
	const char *f2 = "memory-hotplug-virtio-pmem.x86_64-latest.xml";
	struct vm *v1 = parse(f1), *v2 = parse(f2);
	struct model *m1 = account_one(v1, f1), *m2 = account_one(v2, f2);

	(void)state;
	assert_int_equal(m1->vms[0].memory, 1048576 * KiB);
	/* 523264 KiB as written, 524288 once libvirt rounds it to 2 MiB at start */
	assert_int_equal(m1->vms[0].mem_persistent, 524288 * KiB);
	assert_int_equal(m1->vms[0].mem_devices, 0);
	assert_int_equal(m2->vms[0].memory, 2095104 * KiB);
	assert_int_equal(m2->vms[0].mem_persistent, 524288 * KiB);
	model_unref(m1);
	model_unref(m2);
	vm_free(v1);
	vm_free(v2);
}

/* sgx-epc: enclave memory, its own figure, not RAM of a cell. */
static void test_sgx_epc_apart(void **state)
{
	struct model *m = load("sgx-epc.x86_64-7.0.0.xml");

	(void)state;
	assert_int_equal(m->vms[0].memory, 1048576 * KiB);
	assert_int_equal(m->vms[0].mem_enclave, (65536 + 16384) * KiB);
	assert_int_equal(m->vms[0].mem_devices, 0);
	unload(m);
}

/* A domain written here, for the cases libvirt's test domains do not hold. */
static struct vm *parse_text(const char *xml)
{
	char err[ERRLEN] = "";
	struct vm *vm = NULL;

	if (domxml_parse_buffer(xml, strlen(xml), &vm, err, sizeof(err)) < 0)
		fail_msg("inline domain: %s", err);
	return vm;
}

#define DOM_HEAD                                                                              \
	"<domain type='kvm'><name>dev</name><uuid>5f1c2d3e-0000-4000-8000-00000000000a</uuid>" \
	"<memory unit='KiB'>%s</memory><vcpu>2</vcpu><os><type arch='%s'>hvm</type></os>"

/* Persistent and enclave devices are rounded like DIMMs in a config file (513 MiB: to 514 MiB
 * on x86, 768 MiB on ppc64), never in a status file (libvirt rounded them when it started the VM); a
 * ppc64 nvdimm stays as written (libvirt rounded it around its label when it was defined). */
static void test_persistent_and_enclave_rounded_as_libvirt_will(void **state)
{
	static const struct {
		const char *head, *tail, *arch, *model;
		uint64_t want_kib;
	} cases[] = {
	    {"", "", "x86_64", "nvdimm", 526336},
	    {"", "", "x86_64", "virtio-pmem", 526336},
	    {"", "", "x86_64", "sgx-epc", 526336},
	    {"", "", "ppc64le", "virtio-pmem", 786432},
	    {"", "", "ppc64le", "nvdimm", 525312},
	    {"<domstatus state='running' pid='1'>", "</domstatus>", "x86_64", "nvdimm", 525312},
	    {"<domstatus state='running' pid='1'>", "</domstatus>", "x86_64", "sgx-epc", 525312},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *xml = xasprintf("%s" DOM_HEAD "<devices><memory model='%s'><target>"
				      "<size unit='KiB'>525312</size></target></memory></devices>"
				      "</domain>%s",
				      cases[i].head, "1572864", cases[i].arch, cases[i].model,
				      cases[i].tail);
		struct vm *vm = parse_text(xml);
		struct model *m = account_one(vm, "dev.xml");
		bool enclave = strcmp(cases[i].model, "sgx-epc") == 0;

		assert_int_equal(m->nvms, 1);
		assert_int_equal(enclave ? m->vms[0].mem_enclave : m->vms[0].mem_persistent,
				 cases[i].want_kib * KiB);
		assert_int_equal(enclave ? m->vms[0].mem_persistent : m->vms[0].mem_enclave, 0);
		model_unref(m);
		vm_free(vm);
		free(xml);
	}
}

/* virtio-mem in a status file: what the guest has plugged now (<current>) counts, not what
 * was asked for (<requested>), either way round (a guest still unplugging, or still plugging). */
static void test_virtio_mem_current_beats_requested(void **state)
{
	static const struct {
		const char *requested, *current;
		uint64_t want_kib;
	} cases[] = {
	    {"1048576", "524288", 524288},
	    {"524288", "1048576", 1048576},
	    {"1048576", "0", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *xml = xasprintf(
		    "<domstatus state='running' reason='booted' pid='1'>" DOM_HEAD
		    "<numatune><memory mode='strict' nodeset='0'/></numatune>"
		    "<cpu><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/></numa></cpu>"
		    "<devices><memory model='virtio-mem'><target><size unit='KiB'>2097152</size>"
		    "<node>0</node><block unit='KiB'>2048</block>"
		    "<requested unit='KiB'>%s</requested><current unit='KiB'>%s</current>"
		    "</target></memory></devices></domain></domstatus>",
		    "3145728", "x86_64", cases[i].requested, cases[i].current);
		struct vm *vm = parse_text(xml);
		struct model *m = account_one(vm, "dev.xml");

		assert_int_equal(m->vms[0].mem_devices, cases[i].want_kib * KiB);
		assert_int_equal(m->vms[0].memory, (1048576 + cases[i].want_kib) * KiB);
		assert_int_equal(model_node(m, 0)->mem_used, (1048576 + cases[i].want_kib) * KiB);
		model_unref(m);
		vm_free(vm);
		free(xml);
	}
}

/* A DIMM with its own nodemask is bound there in strict mode, but in restrictive mode libvirt
 * hands QEMU no host nodes (only the cgroup's cpuset.mems applies): it follows its cell. */
static void test_dimm_nodemask_ignored_when_restrictive(void **state)
{
	static const char *modes[] = {"strict", "restrictive"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char *xml = xasprintf(
		    DOM_HEAD "<numatune><memory mode='%s' nodeset='0'/></numatune>"
			     "<cpu><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/></numa>"
			     "</cpu><devices><memory model='dimm'><source><nodemask>1</nodemask>"
			     "</source><target><size unit='KiB'>524288</size><node>0</node>"
			     "</target></memory></devices></domain>",
		    "1572864", "x86_64", modes[i]);
		struct vm *vm = parse_text(xml);
		struct model *m = account_one(vm, "dev.xml");

		assert_int_equal(m->vms[0].memory, 1572864 * KiB);
		assert_int_equal(model_node(m, 0)->mem_used, (i == 0 ? 1048576 : 1572864) * KiB);
		assert_int_equal(model_node(m, 1)->mem_used, (i == 0 ? 524288 : 0) * KiB);
		model_unref(m);
		vm_free(vm);
		free(xml);
	}
}

/* ---------------------------------------------------------------- page size, ids, cells */

/* <page size='4' unit='KiB'/> is the base page: ordinary RAM where the host's base page is
 * 4 KiB (a host with bigger base pages sees a real 4 KiB hugepage request). */
static void test_system_page_size_is_not_huge(void **state)
{
	struct model *m = load("hugepages-default-system-size.xml");

	(void)state;
	assert_int_equal(m->vms[0].huge_kib, sysconf(_SC_PAGESIZE) == 4096 ? 0 : 4);
	unload(m);
}

/* hugepages-default-system-size.xml with its memory bound strict to node 0, backed by pages
 * of page_kib, on the bundled host read as one whose base page is base_kib KiB. */
static struct model *on_base_page(uint64_t base_kib, const char *page_kib)
{
	static const char xml[] =
	    "<domain type='kvm'><name>SomeDummyHugepagesGuest</name>"
	    "<uuid>ef1bdff4-27f3-4e85-a807-5fb4d58463cc</uuid><memory unit='KiB'>1048576</memory>"
	    "<memoryBacking><hugepages><page size='%s' unit='KiB'/></hugepages></memoryBacking>"
	    "<vcpu placement='static'>2</vcpu>"
	    "<numatune><memory mode='strict' nodeset='0'/></numatune></domain>";
	const char *file = "SomeDummyHugepagesGuest.xml";
	struct host *h = read_sys("../host/sys");
	char *text = xasprintf(xml, page_kib);
	struct vm *vm = parse_text(text);
	struct model *m;

	h->base_page_kib = base_kib;
	m = account_build(h, &vm, &file, 1, NULL);
	vm_free(vm);
	host_free(h);
	free(text);
	return m;
}

/* A page of the base size is ordinary RAM, all of it used on node 0, no demand: <page size='4'/>
 * on a 4 KiB host (x86), <page size='64'/> on a 64 KiB one (many arm64 and ppc64 hosts). */
static void test_base_page_is_ram(void **state)
{
	static const struct {
		uint64_t base_kib;
		const char *page_kib;
	} cases[] = {{4, "4"}, {64, "64"}};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct model *m = on_base_page(cases[i].base_kib, cases[i].page_kib);

		assert_int_equal(m->vms[0].huge_kib, 0);
		assert_int_equal(model_node(m, 0)->mem_used, 1048576 * KiB);
		assert_int_equal(model_node(m, 0)->mem_huge, 0);
		assert_null(huge(m, 0, cases[i].base_kib));
		assert_false(model_node(m, 0)->huge_over);
		model_unref(m);
	}
}

/* A 64 KiB base page (many arm64 and ppc64 hosts): <page size='4'/> is a real hugepage request
 * that no pool holds, 1 GiB / 4 KiB pages of demand on node 0. */
static void test_base_page_64k_makes_4k_huge(void **state)
{
	struct model *m = on_base_page(64, "4");
	const struct huge_row *h = huge(m, 0, 4);

	(void)state;
	assert_int_equal(m->vms[0].huge_kib, 4);
	assert_int_equal(model_node(m, 0)->mem_used, 1048576 * KiB);
	assert_int_equal(model_node(m, 0)->mem_huge, 1048576 * KiB);
	assert_non_null(h);
	assert_int_equal(h->demand, 262144);
	assert_int_equal(h->total, 0);
	assert_true(h->over);
	model_unref(m);
}

/* libvirt accepts CPU ids up to 16383: the VM stays, the ids the host lacks are dropped. */
static void test_big_cpu_ids_accepted(void **state)
{
	struct model *m = load("cputune-cpuset-big-id.xml");

	(void)state;
	assert_int_equal(m->nvms, 1);
	assert_int_equal(m->vms[0].memory, 219136 * KiB);
	assert_int_equal(m->vcpus[0].node, 0); /* 0,16383: CPU 0 is on node 0 */
	assert_string_equal(m->vcpus[1].affinity, "");
	assert_true(has_warning(m, "2048,4096,16383"));
	unload(m);
}

/* <memory> absent: the cells' sum, each rounded to 1 MiB as libvirt starts it. */
static void test_no_memory_element(void **state)
{
	struct model *m = load("cpu-numa-no-memory-element.xml");

	(void)state;
	assert_int_equal(m->vms[0].memory, 2 * 109568 * KiB); /* 109550 KiB up to 107 MiB */
	unload(m);
}

/* vCPUs 1, 5 and 7-11 are in no cell: libvirt puts them in cell 0 (its own output of this
 * test domain lists cell 0 as 0-1,5,7-11). */
static void test_unlisted_vcpus_in_cell0(void **state)
{
	struct model *m = load("numavcpus-topology-mismatch.xml");
	size_t i;

	(void)state;
	assert_int_equal(m->nvcpus, 12);
	for (i = 0; i < m->nvcpus; i++) {
		unsigned id = m->vcpus[i].vcpu;
		bool in1 = (id >= 2 && id <= 4) || id == 6;

		assert_int_equal(m->vcpus[i].cell, in1 ? 1 : 0);
	}
	unload(m);
}

/* ---------------------------------------------------------------- sysfs */

/* One inline domain on a fixture sysfs tree. */
static struct model *on_sys(const char *sys, const char *xml, const char *file)
{
	struct host *h = read_sys(sys);
	char err[ERRLEN];
	struct vm *vm = NULL;
	struct model *m;

	if (domxml_parse_buffer(xml, strlen(xml), &vm, err, sizeof(err)) < 0)
		fail_msg("%s: %s", file, err);
	m = account_build(h, &vm, &file, 1, NULL);
	vm_free(vm);
	host_free(h);
	return m;
}

/* linux-with-die has no node meminfo: the node's memory is unknown, not 0 - degraded, a
 * warning, no oversubscription verdict even with a VM bound there. */
static void test_node_without_meminfo(void **state)
{
	static const char xml[] =
	    "<domain><name>bound</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
	    "<memory unit='GiB'>4</memory><vcpu>1</vcpu>"
	    "<numatune><memory mode='strict' nodeset='0'/></numatune></domain>";
	struct model *m = on_sys("sys-nomeminfo", xml, "bound.xml");

	(void)state;
	assert_true(has_warning(m, "node0/meminfo"));
	assert_int_equal(model_node(m, 0)->mem_used, 4 * 1024 * 1024 * KiB);
	assert_false(model_node(m, 0)->mem_over);
	assert_int_equal(model_node(m, 0)->mem_used_pct, 0);
	assert_false(model_node(m, 0)->mem_known);
	model_unref(m);
}

/* --dump=json of the same: what sysfs would say of the node's memory is null (unknown, like
 * every value not measured), never 0, and there is no percentage; what the VM puts there is. */
static void test_node_without_meminfo_is_null_in_json(void **state)
{
	static const char xml[] =
	    "<domain><name>bound</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
	    "<memory unit='GiB'>4</memory><vcpu>1</vcpu>"
	    "<numatune><memory mode='strict' nodeset='0'/></numatune></domain>";
	static const char *const want[] = {
	    "\"memory_total_bytes\":null,\"memory_free_bytes\":null,",
	    "\"memory_used_bytes\":4294967296,",
	    "\"memory_limit_bytes\":null,",
	    "\"memory_headroom_bytes\":null,",
	    "\"memory_used_percent\":null,",
	    "\"memory_used_percent_defined\":false,",
	    "\"memory_oversubscribed\":false,",
	    "\"memory_known\":false,"};
	struct model *m = on_sys("sys-nomeminfo", xml, "bound.xml");
	char *json = testutil_dump_json(m);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (strstr(json, want[i]) == NULL)
			fail_msg("no %s in %s", want[i], json);
	free(json);
	model_unref(m);
}

/* The daemon's view of the same tree: numaSourceStatus degraded. */
static void test_node_without_meminfo_degrades(void **state)
{
	char dir[512];
	struct engine_config cfg;
	struct engine *e;
	struct model *m;

	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "test-qemualloc"), 0);
	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = fixture("sys-nomeminfo");
	cfg.xml_dir = xstrdup(dir);
	e = engine_new(&cfg);
	m = engine_build(e, 1);
	assert_int_equal(m->source_status, SOURCE_DEGRADED);
	assert_false(model_node(m, 0)->mem_known);
	model_unref(m);
	engine_free(e);
	engine_config_clear(&cfg);
	assert_int_equal(tmpdir_remove(dir), 0);
}

/* linux-test1: node directories without CPU entries while cpu/online lists 0-1. Say that,
 * not that the CPUs "do not exist". */
static void test_node_cpus_missing_from_sysfs(void **state)
{
	static const char xml[] =
	    "<domain><name>pinned</name><uuid>11111111-2222-3333-4444-555555555556</uuid>"
	    "<memory unit='GiB'>1</memory><vcpu cpuset='0'>1</vcpu></domain>";
	struct model *m = on_sys("sys-nocpus", xml, "pinned.xml");

	(void)state;
	assert_true(has_warning(m, "cpu/online lists CPUs 0-1"));
	assert_false(has_warning(m, "do not exist"));
	assert_true(has_warning(m, "no host node lists"));
	model_unref(m);
}

/* ---------------------------------------------------------------- one UUID, one VM */

static char tmp[512];

/* The test domain from, copied into tmp as to, with mtime. */
static void copy_in(const char *from, const char *to, time_t mtime)
{
	char *src = xasprintf("libvirt/%s", from), *full = fixture(src), *text = NULL;
	char *dst = xasprintf("%s/%s", tmp, to), err[ERRLEN];
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
	size_t len;

	if (read_file(full, 1 << 20, false, &text, &len, NULL, err, sizeof(err)) < 0)
		fail_msg("%s: %s", full, err);
	assert_int_equal(tmpdir_put(tmp, to, text), 0);
	assert_int_equal(utimensat(AT_FDCWD, dst, ts, 0), 0);
	free(text);
	free(dst);
	free(full);
	free(src);
}

static struct model *build_dir(struct engine **e)
{
	struct engine_config cfg;
	const char *fx = getenv("FIXTURES");

	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = xasprintf("%s/host/sys", fx);
	cfg.xml_dir = xstrdup(tmp);
	*e = engine_new(&cfg);
	engine_config_clear(&cfg);
	return engine_build(*e, 1);
}

/* Two libvirt test domains share UUID c7a5fdbd-... and name QEMUGuest1: one VM. A file
 * named <name>.xml wins; else the newest. The loser is a warning naming both files and one
 * parse error, counted once per change. */
static void test_duplicate_uuid_one_vm(void **state)
{
	struct engine *e;
	struct model *m;
	char *path;

	(void)state;
	assert_int_equal(tmpdir_make(tmp, sizeof(tmp), "test-qemualloc"), 0);
	copy_in("cputune-cpuset-big-id.xml", "lab.old.xml", 1000);
	copy_in("cpu-numa-no-memory-element.xml", "lab.xml", 2000);
	m = build_dir(&e);
	assert_int_equal(m->nvms, 1);
	assert_string_equal(m->vms[0].file, "lab.xml"); /* the newer */
	assert_true(has_warning(m, "lab.old.xml"));
	assert_true(has_warning(m, "as lab.xml does"));
	assert_int_equal(m->parse_errors, 1);
	model_unref(m);
	m = engine_build(e, 2);
	assert_int_equal(m->parse_errors, 1); /* nothing changed: not counted again */
	assert_int_equal(m->nvms, 1);
	model_unref(m);
	engine_free(e);

	/* the older file named after the domain wins over the newer one */
	copy_in("cputune-cpuset-big-id.xml", "QEMUGuest1.xml", 500);
	path = xasprintf("%s/lab.old.xml", tmp);
	assert_int_equal(unlink(path), 0);
	free(path);
	m = build_dir(&e);
	assert_int_equal(m->nvms, 1);
	assert_string_equal(m->vms[0].file, "QEMUGuest1.xml");
	assert_true(has_warning(m, "as QEMUGuest1.xml does"));
	model_unref(m);
	engine_free(e);
	assert_int_equal(tmpdir_remove(tmp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ppc64_nonuma_dimms_inside_memory),
	    cmocka_unit_test(test_dimm_own_backend),
	    cmocka_unit_test(test_virtio_mem_requested),
	    cmocka_unit_test(test_virtio_mem_current_beats_requested),
	    cmocka_unit_test(test_persistent_memory_apart),
	    cmocka_unit_test(test_sgx_epc_apart),
	    cmocka_unit_test(test_persistent_and_enclave_rounded_as_libvirt_will),
	    cmocka_unit_test(test_dimm_nodemask_ignored_when_restrictive),
	    cmocka_unit_test(test_system_page_size_is_not_huge),
	    cmocka_unit_test(test_base_page_is_ram),
	    cmocka_unit_test(test_base_page_64k_makes_4k_huge),
	    cmocka_unit_test(test_big_cpu_ids_accepted),
	    cmocka_unit_test(test_no_memory_element),
	    cmocka_unit_test(test_unlisted_vcpus_in_cell0),
	    cmocka_unit_test(test_node_without_meminfo),
	    cmocka_unit_test(test_node_without_meminfo_is_null_in_json),
	    cmocka_unit_test(test_node_without_meminfo_degrades),
	    cmocka_unit_test(test_node_cpus_missing_from_sysfs),
	    cmocka_unit_test(test_duplicate_uuid_one_vm),
	};

	log_set_hook(testutil_quiet);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
