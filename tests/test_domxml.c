/* SPDX-License-Identifier: BSD-3-Clause */
/* test_domxml.c: the libvirt XML layer: every struct vm field from inline domain and status
 * XML, units, exact error reasons, hostile input, secrets, and the libvirt corpus. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "core/cpuset.h"
#include "core/pciaddr.h"
#include "source/domxml.h"
#include "source/xmlsafe.h"
#include "core/util.h"
#include "source/read_file.h"
#include "tmpdir.h"

/* ---------------------------------------------------------------- inline documents */

#define UUID  "11111111-2222-3333-4444-555555555555"
#define IDENT "<name>vm1</name><uuid>" UUID "</uuid><memory unit='KiB'>1048576</memory>"
/* A plain domain with 4 vCPUs and 1 GiB, plus body. */
#define D(body) "<domain type='kvm'>" IDENT "<vcpu>4</vcpu>" body "</domain>"
/* The same with a <vcpu> element of the test's choosing. */
#define DV(vcpu, body) "<domain type='kvm'>" IDENT vcpu body "</domain>"
/* A status file as libvirt writes it: comment first, private data, then the domain. */
#define STATUS_HEAD                                                                                \
	"<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"          \
	"OVERWRITTEN AND LOST.\n-->\n\n<domstatus state='running' reason='booted' pid='4242'>\n"
/* A domain whose memory element the test chooses. */
#define DM(mem) "<domain><name>n</name><uuid>" UUID "</uuid>" mem "<vcpu>4</vcpu></domain>"
#define S(priv, body)                                                                              \
	STATUS_HEAD priv "<domain type='kvm' id='7'>" IDENT "<vcpu>4</vcpu>" body                  \
			 "</domain></domstatus>\n"

#define VNC "<devices><graphics type='vnc' port='5900' passwd='TOPSECRET'/></devices>"

static struct vm *parse_ok_n(const char *xml, size_t len)
{
	char err[ERRLEN] = "";
	struct vm *vm = NULL;

	if (domxml_parse_buffer(xml, len, &vm, err, sizeof(err)) != 0)
		fail_msg("parse failed: %s", err);
	assert_non_null(vm);
	return vm;
}

static struct vm *parse_ok(const char *xml)
{
	return parse_ok_n(xml, strlen(xml));
}

/* Parsing must fail; the reason is returned in a static buffer. */
static const char *parse_err_n(const char *xml, size_t len)
{
	static char err[ERRLEN];
	struct vm *vm = NULL;

	memset(err, 0, sizeof(err));
	if (domxml_parse_buffer(xml, len, &vm, err, sizeof(err)) == 0) {
		vm_free(vm);
		fail_msg("parse succeeded, an error was expected");
	}
	assert_null(vm);
	assert_true(err[0] != '\0');
	return err;
}

static const char *parse_err(const char *xml)
{
	return parse_err_n(xml, strlen(xml));
}

static void assert_set(const struct cpuset *s, const char *want)
{
	char *got;

	if (want == NULL) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	got = cpuset_format(s);
	assert_string_equal(got, want);
	free(got);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (hay != NULL && strstr(hay, needle) != NULL)
		fail_msg("'%s' contains '%s'", hay, needle);
}

/* ---------------------------------------------------------------- basic fields */

static void test_plain_domain_minimal(void **state)
{
	struct vm *vm = parse_ok(D(""));

	(void)state;
	assert_string_equal(vm->name, "vm1");
	assert_string_equal(vm->uuid, UUID);
	assert_null(vm->display_name);
	assert_int_equal(vm->id, -1);
	assert_false(vm->is_status);
	assert_int_equal(vm->state, VM_STATE_DEFINED);
	assert_null(vm->reason);
	assert_int_equal(vm->pid, 0);
	assert_int_equal(vm->vcpu_max, 4);
	assert_int_equal(vm->vcpu_current, 4);
	assert_false(vm->vcpu_placement_auto);
	assert_null(vm->vcpu_cpuset);
	assert_false(vm->has_vcpus_list);
	assert_int_equal(vm->nvcpus, 0);
	assert_int_equal(vm->ntids, 0);
	assert_int_equal(vm->nvcpupins, 0);
	assert_null(vm->emulatorpin);
	assert_int_equal(vm->niothreadpins, 0);
	assert_false(vm->has_numatune_memory);
	assert_int_equal(vm->mem_mode, MEM_MODE_STRICT);
	assert_null(vm->mem_nodeset);
	assert_false(vm->mem_placement_auto);
	assert_int_equal(vm->nmemnodes, 0);
	assert_null(vm->numad_nodeset);
	assert_null(vm->numad_cpuset);
	assert_int_equal(vm->ncells, 0);
	assert_int_equal(vm->nmemdevs, 0);
	assert_int_equal(vm->memory, 1073741824ull);
	assert_int_equal(vm->current_memory, 1073741824ull);
	assert_false(vm->hugepages);
	assert_int_equal(vm->npages, 0);
	vm_free(vm);
}

static void test_status_file_with_leading_comment(void **state)
{
	struct vm *vm =
	    parse_ok(S("<vcpus><vcpu id='0' pid='5001'/><vcpu id='3' pid='5004'/></vcpus>",
		       "<currentMemory unit='MiB'>512</currentMemory>"));

	(void)state;
	assert_true(vm->is_status);
	assert_int_equal(vm->state, VM_STATE_RUNNING);
	assert_string_equal(vm->reason, "booted");
	assert_int_equal(vm->pid, 4242);
	assert_int_equal(vm->id, 7);
	assert_string_equal(vm->name, "vm1");
	assert_int_equal(vm->current_memory, 536870912ull);
	assert_int_equal(vm->memory, 1073741824ull);
	assert_int_equal(vm->ntids, 2);
	assert_int_equal(vm->tids[0].id, 0);
	assert_int_equal(vm->tids[0].tid, 5001);
	assert_int_equal(vm->tids[1].id, 3);
	assert_int_equal(vm->tids[1].tid, 5004);
	assert_false(vm->has_vcpus_list); /* the private <vcpus> is not the domain's */
	vm_free(vm);
}

static void test_status_states(void **state)
{
	static const struct {
		const char *attr;
		enum vm_state want;
	} cases[] = {
	    {"state='nostate'", VM_STATE_UNKNOWN},
	    {"state='running'", VM_STATE_RUNNING},
	    {"state='blocked'", VM_STATE_BLOCKED},
	    {"state='paused'", VM_STATE_PAUSED},
	    {"state='shutdown'", VM_STATE_SHUTDOWN},
	    {"state='shutoff'", VM_STATE_SHUTOFF},
	    {"state='crashed'", VM_STATE_CRASHED},
	    {"state='pmsuspended'", VM_STATE_PMSUSPENDED},
	    {"state='Running'", VM_STATE_UNKNOWN},
	    {"state='exploded'", VM_STATE_UNKNOWN},
	    {"", VM_STATE_UNKNOWN},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *xml = xasprintf("<domstatus %s><domain>" IDENT "<vcpu>1</vcpu></domain>"
				      "</domstatus>",
				      cases[i].attr);
		struct vm *vm = parse_ok(xml);

		if (vm->state != cases[i].want)
			fail_msg("%s: state %d, want %d", cases[i].attr, vm->state, cases[i].want);
		assert_true(vm->is_status);
		assert_null(vm->reason);
		assert_int_equal(vm->pid, 0);
		vm_free(vm);
		free(xml);
	}
}

static void test_state_and_mode_names(void **state)
{
	(void)state;
	assert_string_equal(vm_state_name(VM_STATE_RUNNING), "running");
	assert_string_equal(vm_state_name(VM_STATE_BLOCKED), "blocked");
	assert_string_equal(vm_state_name(VM_STATE_PAUSED), "paused");
	assert_string_equal(vm_state_name(VM_STATE_SHUTDOWN), "shutdown");
	assert_string_equal(vm_state_name(VM_STATE_SHUTOFF), "shutoff");
	assert_string_equal(vm_state_name(VM_STATE_CRASHED), "crashed");
	assert_string_equal(vm_state_name(VM_STATE_PMSUSPENDED), "pmsuspended");
	assert_string_equal(vm_state_name(VM_STATE_DEFINED), "defined");
	assert_string_equal(vm_state_name(VM_STATE_UNKNOWN), "unknown");
	assert_string_equal(vm_state_name((enum vm_state)0), "unknown");
	assert_string_equal(vm_state_name((enum vm_state)99), "unknown");
	assert_string_equal(mem_mode_name(MEM_MODE_NONE), "none");
	assert_string_equal(mem_mode_name(MEM_MODE_STRICT), "strict");
	assert_string_equal(mem_mode_name(MEM_MODE_INTERLEAVE), "interleave");
	assert_string_equal(mem_mode_name(MEM_MODE_PREFERRED), "preferred");
	assert_string_equal(mem_mode_name(MEM_MODE_RESTRICTIVE), "restrictive");
	assert_string_equal(mem_mode_name(MEM_MODE_MIXED), "mixed");
	assert_string_equal(mem_mode_name((enum mem_mode)0), "unknown");
}

static void test_vm_free_null(void **state)
{
	(void)state;
	vm_free(NULL);
}

static void test_uuid_trimmed_and_id_minus_one(void **state)
{
	struct vm *vm = parse_ok("<domain id='-1'><name>a b</name><uuid>\n  " UUID "\n</uuid>"
				 "<memory>1</memory><vcpu> 2 </vcpu></domain>");

	(void)state;
	assert_string_equal(vm->uuid, UUID);
	assert_string_equal(vm->name, "a b");
	assert_int_equal(vm->id, -1);
	assert_int_equal(vm->vcpu_max, 2);
	assert_int_equal(vm->memory, 1024);
	vm_free(vm);
}

/* numaVmUuid is SIZE(0..36): libvirt's liberal syntax in, the canonical form out. */
static void test_uuid_normalised_as_libvirt_parses_it(void **state)
{
	static const struct {
		const char *in, *out;
	} good[] = {
	    {"11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555"},
	    {"ABCDEF01-2345-6789-ABCD-EF0123456789", "abcdef01-2345-6789-abcd-ef0123456789"},
	    {"abcdef0123456789abcdef0123456789", "abcdef01-2345-6789-abcd-ef0123456789"},
	    {"ab-cd-ef-01-23-45-67-89-ab-cd-ef-01-23-45-67-89",
	     "abcdef01-2345-6789-abcd-ef0123456789"},
	    {" \tabcd ef01--2345 6789abcdef0123456789\n", "abcdef01-2345-6789-abcd-ef0123456789"},
	};
	static const char *const bad[] = {
	    "u",
	    "11111111-2222-3333-4444-55555555555",   /* 31 digits */
	    "11111111-2222-3333-4444-5555555555555", /* 33 digits */
	    "1-1111111-2222-3333-4444-555555555555", /* a dash inside a pair */
	    "g1111111-2222-3333-4444-555555555555",
	    "11111111-2222-3333-4444-555555555555-",
	    "11111111-2222-3333-4444-555555555555x",
	    "{11111111-2222-3333-4444-555555555555}",
	    "11111111-2222-3333-4444-555555555555111111111111111111111111111",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		char *xml = xasprintf("<domain><name>n</name><uuid>%s</uuid><memory>1</memory>"
				      "<vcpu>1</vcpu></domain>",
				      good[i].in);
		struct vm *vm = parse_ok(xml);

		assert_string_equal(vm->uuid, good[i].out);
		vm_free(vm);
		free(xml);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *xml = xasprintf("<domain><name>n</name><uuid>%s</uuid><memory>1</memory>"
				      "<vcpu>1</vcpu></domain>",
				      bad[i]);

		assert_string_equal(parse_err(xml),
				    "domain: <uuid> is not 32 hex digits (with '-' between pairs)");
		free(xml);
	}
	assert_string_equal(parse_err("<domain><name>n</name><uuid> </uuid><memory>1</memory>"
				      "<vcpu>1</vcpu></domain>"),
			    "domain: <uuid> is empty");
}

static void test_predefined_entities_and_char_refs(void **state)
{
	struct vm *vm = parse_ok("<domain><name>a&amp;b&#x41;&lt;</name><uuid>" UUID "</uuid>"
				 "<memory>1</memory><vcpu>1</vcpu></domain>");

	(void)state;
	assert_string_equal(vm->name, "a&bA<");
	assert_string_equal(vm->uuid, UUID);
	vm_free(vm);
}

static void test_foreign_namespace_elements_ignored(void **state)
{
	/* <x:vcpu> is not libvirt's <vcpu>; libvirt reads un-namespaced elements only */
	const char *err = parse_err("<domain xmlns:x='urn:x'>" IDENT "<x:vcpu>4</x:vcpu></domain>");

	(void)state;
	assert_string_equal(err, "domain: missing <vcpu>");
}

/* ---------------------------------------------------------------- vcpus */

static void test_vcpu_attributes(void **state)
{
	struct vm *vm =
	    parse_ok(DV("<vcpu placement='static' current='3' cpuset='0-7, ^2'>8</vcpu>", ""));

	(void)state;
	assert_int_equal(vm->vcpu_max, 8);
	assert_int_equal(vm->vcpu_current, 3);
	assert_false(vm->vcpu_placement_auto);
	assert_set(vm->vcpu_cpuset, "0-1,3-7");
	assert_false(vm->mem_placement_auto);
	vm_free(vm);
}

static void test_vcpu_placement_auto_implies_memory_auto(void **state)
{
	struct vm *vm = parse_ok(DV("<vcpu placement='auto' cpuset='0-3'>2</vcpu>", ""));

	(void)state;
	assert_true(vm->vcpu_placement_auto);
	assert_null(vm->vcpu_cpuset); /* libvirt ignores cpuset under automatic placement */
	assert_true(vm->mem_placement_auto);
	assert_false(vm->has_numatune_memory);
	vm_free(vm);
}

static void test_vcpus_hotplug_list(void **state)
{
	struct vm *vm =
	    parse_ok(DV("<vcpu current='2'>4</vcpu>",
			"<vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>"
			"<vcpu id='1' enabled='no' hotpluggable='yes'/>"
			"<vcpu id='3' enabled='yes' hotpluggable='yes' order='2'/></vcpus>"));

	(void)state;
	assert_true(vm->has_vcpus_list);
	assert_int_equal(vm->nvcpus, 3);
	assert_int_equal(vm->vcpus[0].id, 0);
	assert_true(vm->vcpus[0].enabled);
	assert_int_equal(vm->vcpus[1].id, 1);
	assert_false(vm->vcpus[1].enabled);
	assert_int_equal(vm->vcpus[2].id, 3);
	assert_true(vm->vcpus[2].enabled);
	assert_int_equal(vm->vcpu_current, 2);
	assert_int_equal(vm->ntids, 0);
	vm_free(vm);
}

/* libvirt ignores an empty list; taking it as one would leave no vCPU online (R1). */
static void test_vcpus_empty_list_ignored(void **state)
{
	static const char *const lists[] = {"<vcpus/>", "<vcpus></vcpus>",
					    "<vcpus>\n  <!-- none -->\n</vcpus>"};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		char *xml = xasprintf(DV("<vcpu current='2'>4</vcpu>", "%s"), lists[i]);
		struct vm *vm = parse_ok(xml);

		assert_false(vm->has_vcpus_list);
		assert_int_equal(vm->nvcpus, 0);
		assert_int_equal(vm->vcpu_current, 2);
		vm_free(vm);
		free(xml);
	}
}

static void test_private_cpu_and_vcpus_not_the_domains(void **state)
{
	/* the status file's own <cpu> and <vcpus> sit beside <domain>, never inside it */
	struct vm *vm =
	    parse_ok(S("<vcpus><vcpu id='1' pid='99'/></vcpus>"
		       "<cpu mode='custom'><numa><cell id='0' cpus='0-3' memory='1024'/>"
		       "</numa></cpu>",
		       ""));

	(void)state;
	assert_int_equal(vm->ncells, 0);
	assert_false(vm->has_vcpus_list);
	assert_int_equal(vm->nvcpus, 0);
	assert_int_equal(vm->ntids, 1);
	assert_int_equal(vm->tids[0].id, 1);
	assert_int_equal(vm->tids[0].tid, 99);
	vm_free(vm);
}

/* ---------------------------------------------------------------- cputune */

static void test_cputune_pins(void **state)
{
	struct vm *vm =
	    parse_ok(D("<iothreads>2</iothreads><cputune><shares>2048</shares>"
		       "<vcpupin vcpu='2' cpuset='4-5'/><vcpupin vcpu='0' cpuset='0,^0,1'/>"
		       "<emulatorpin cpuset='6-7'/>"
		       "<iothreadpin iothread='1' cpuset='8'/>"
		       "<iothreadpin iothread='2' cpuset='9-10'/></cputune>"));

	(void)state;
	assert_int_equal(vm->nvcpupins, 2);
	assert_int_equal(vm->vcpupins[0].id, 2);
	assert_set(vm->vcpupins[0].cpus, "4-5");
	assert_int_equal(vm->vcpupins[1].id, 0);
	assert_set(vm->vcpupins[1].cpus, "1");
	assert_set(vm->emulatorpin, "6-7");
	assert_int_equal(vm->niothreadpins, 2);
	vm_free(vm);
}

/* A document of head, n copies of item (its %zu is the copy's index) and tail. */
static char *repeat(const char *head, const char *item, size_t n, const char *tail)
{
	size_t cap = strlen(head) + strlen(tail) + n * (strlen(item) + 24) + 1, len, i;
	char *xml = xmalloc(cap);

	len = (size_t)snprintf(xml, cap, "%s", head);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(xml + len, cap - len, item, i);
	snprintf(xml + len, cap - len, "%s", tail);
	return xml;
}

/* One file must not make us hold without bound: each repeated element has a cap, the file
 * that goes over it is rejected, the one at it parses. */
static void test_repeated_element_caps(void **state)
{
	static const struct {
		const char *name, *head, *item, *tail;
		size_t cap;
		const char *err;
	} cases[] = {
	    {"iothreadpin", "<domain>" IDENT "<vcpu>4</vcpu><cputune>",
	     "<iothreadpin iothread='%zu' cpuset='8191'/>", "</cputune></domain>",
	     DOMXML_MAX_IOTHREADPINS, "cputune: too many <iothreadpin> elements (more than 16384)"},
	    {"cell", "<domain>" IDENT "<vcpu>4</vcpu><cpu><numa>",
	     "<cell memory='1' unit='KiB' dummy='%zu'/>", "</numa></cpu></domain>",
	     DOMXML_MAX_CELLS, "cpu/numa: too many <cell> elements (more than 1024)"},
	    {"memory device", "<domain>" IDENT "<vcpu>4</vcpu><devices>",
	     "<memory model='dimm'><target><size unit='KiB'>%zu</size></target></memory>",
	     "</devices></domain>", DOMXML_MAX_MEMDEVS,
	     "devices: too many <memory> elements (more than 256)"},
	    {"hostdev", "<domain>" IDENT "<vcpu>4</vcpu><devices>",
	     "<hostdev mode='subsystem' type='usb'><source><vendor id='%zu'/></source></hostdev>",
	     "</devices></domain>", DOMXML_MAX_HOSTDEVS,
	     "devices: too many <hostdev> elements (more than 1024)"},
	    {"interface", "<domain>" IDENT "<vcpu>4</vcpu><devices>",
	     "<interface type='network'><source network='n%zu'/></interface>", "</devices></domain>",
	     DOMXML_MAX_HOSTDEVS, "devices: too many <interface> elements (more than 1024)"},
	    {"hugepage", "<domain>" IDENT "<vcpu>4</vcpu><memoryBacking><hugepages>",
	     "<page size='2048' nodeset='%zu'/>", "</hugepages></memoryBacking></domain>",
	     DOMXML_MAX_PAGES,
	     "memoryBacking/hugepages: too many <page> elements (more than 64)"},
	    {"status vcpu thread", STATUS_HEAD "<vcpus>", "<vcpu id='0' pid='%zu'/>",
	     "</vcpus><domain>" IDENT "<vcpu>4</vcpu></domain></domstatus>", 4,
	     "domstatus/vcpus: more <vcpu> elements than vCPUs (4)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *xml;
		struct vm *vm;

		xml = repeat(cases[i].head, cases[i].item, cases[i].cap, cases[i].tail);
		vm = parse_ok(xml);
		vm_free(vm);
		free(xml);
		xml = repeat(cases[i].head, cases[i].item, cases[i].cap + 1, cases[i].tail);
		if (strcmp(parse_err(xml), cases[i].err) != 0)
			fail_msg("%s: '%s'", cases[i].name, parse_err(xml));
		free(xml);
	}
}

/* vcpupins, <vcpus><vcpu> and memnodes are bounded by what they name: one per vCPU, one per
 * cell. */
static void test_repeated_elements_bounded_by_what_they_name(void **state)
{
	(void)state;
	assert_string_equal(
	    parse_err(D("<cputune><vcpupin vcpu='0' cpuset='1'/><vcpupin vcpu='1' cpuset='1'/>"
			"<vcpupin vcpu='2' cpuset='1'/><vcpupin vcpu='3' cpuset='1'/>"
			"<vcpupin vcpu='0' cpuset='1'/></cputune>")),
	    "cputune/vcpupin[vcpu=0]: duplicate");
	assert_string_equal(
	    parse_err(D("<vcpus><vcpu id='0' enabled='yes'/><vcpu id='1' enabled='yes'/>"
			"<vcpu id='2' enabled='yes'/><vcpu id='3' enabled='yes'/>"
			"<vcpu id='3' enabled='yes'/></vcpus>")),
	    "vcpus/vcpu[id=3]: duplicate");
	assert_string_equal(
	    parse_err(D("<cpu><numa><cell id='0' cpus='0-3' memory='1'/></numa></cpu>"
			"<numatune><memnode cellid='0' nodeset='0'/>"
			"<memnode cellid='0' nodeset='0'/></numatune>")),
	    "numatune/memnode[cellid=0]: duplicate");
}

static void test_cpusets_allow_the_whole_host_cpu_range(void **state)
{
	struct vm *vm = parse_ok(D("<cputune><vcpupin vcpu='3' cpuset='8191'/>"
				   "<emulatorpin cpuset='0-8191'/></cputune>"));

	(void)state;
	assert_set(vm->vcpupins[0].cpus, "8191");
	assert_int_equal(cpuset_count(vm->emulatorpin), 8192);
	vm_free(vm);
}

/* ---------------------------------------------------------------- numatune */

static void test_numatune_memory_modes(void **state)
{
	static const struct {
		const char *mode;
		enum mem_mode want;
	} cases[] = {
	    {"", MEM_MODE_STRICT},
	    {"mode='strict'", MEM_MODE_STRICT},
	    {"mode='preferred'", MEM_MODE_PREFERRED},
	    {"mode='interleave'", MEM_MODE_INTERLEAVE},
	    {"mode='restrictive'", MEM_MODE_RESTRICTIVE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *xml = xasprintf(D("<numatune><memory %s nodeset='0-1,3'/></numatune>"),
				      cases[i].mode);
		struct vm *vm = parse_ok(xml);

		assert_true(vm->has_numatune_memory);
		if (vm->mem_mode != cases[i].want)
			fail_msg("%s: mode %d, want %d", cases[i].mode, vm->mem_mode,
				 cases[i].want);
		assert_set(vm->mem_nodeset, "0-1,3");
		assert_false(vm->mem_placement_auto);
		vm_free(vm);
		free(xml);
	}
}

static void test_numatune_placement_auto_drops_nodeset(void **state)
{
	struct vm *vm =
	    parse_ok(D("<cputune><vcpupin vcpu='0' cpuset='1'/></cputune>"
		       "<numatune><memory mode='interleave' placement='auto' nodeset='0-5'/>"
		       "</numatune>"));

	(void)state;
	assert_true(vm->has_numatune_memory);
	assert_int_equal(vm->mem_mode, MEM_MODE_INTERLEAVE);
	assert_true(vm->mem_placement_auto);
	assert_null(vm->mem_nodeset);
	assert_false(vm->vcpu_placement_auto); /* a vcpupin keeps the vCPUs static */
	vm_free(vm);
}

static void test_numatune_auto_with_nothing_pinned_makes_vcpus_auto(void **state)
{
	/* libvirt's numad-auto-memory-vcpu-no-cpuset-and-placement: static becomes auto */
	struct vm *vm =
	    parse_ok(DV("<vcpu placement='static'>2</vcpu>",
			"<numatune><memory mode='strict' placement='auto'/></numatune>"));

	(void)state;
	assert_true(vm->mem_placement_auto);
	assert_true(vm->vcpu_placement_auto);
	vm_free(vm);
}

static void test_numatune_placement_implied_by_vcpu_auto(void **state)
{
	struct vm *vm = parse_ok(DV("<vcpu placement='auto'>2</vcpu>",
				    "<numatune><memory mode='preferred'/></numatune>"));

	(void)state;
	assert_true(vm->has_numatune_memory);
	assert_int_equal(vm->mem_mode, MEM_MODE_PREFERRED);
	assert_true(vm->mem_placement_auto);
	assert_null(vm->mem_nodeset);
	vm_free(vm);
}

static void test_numatune_nodeset_with_vcpu_auto_stays_static(void **state)
{
	struct vm *vm = parse_ok(
	    DV("<vcpu placement='auto'>2</vcpu>", "<numatune><memory nodeset='1'/></numatune>"));

	(void)state;
	assert_true(vm->vcpu_placement_auto);
	assert_false(vm->mem_placement_auto);
	assert_set(vm->mem_nodeset, "1");
	vm_free(vm);
}

static void test_numatune_without_nodeset_and_static_vcpus(void **state)
{
	struct vm *vm = parse_ok(D("<numatune><memory mode='interleave'/></numatune>"));

	(void)state;
	assert_true(vm->has_numatune_memory);
	assert_int_equal(vm->mem_mode, MEM_MODE_INTERLEAVE);
	assert_false(vm->mem_placement_auto);
	assert_null(vm->mem_nodeset);
	vm_free(vm);
}

static void test_memnodes(void **state)
{
	struct vm *vm = parse_ok(D("<cpu><numa><cell id='0' cpus='0-1' memory='512' unit='MiB'/>"
				   "<cell id='1' cpus='2-3' memory='512' unit='MiB'/>"
				   "<cell id='2' memory='1' unit='GiB'/></numa></cpu>"
				   "<numatune><memory mode='strict' nodeset='0-3'/>"
				   "<memnode cellid='1' mode='interleave' nodeset='2-3'/>"
				   "<memnode cellid='0' nodeset='1'/>"
				   "<memnode cellid='2' mode='restrictive'/></numatune>"));

	(void)state;
	assert_set(vm->mem_nodeset, "0-3");
	assert_int_equal(vm->nmemnodes, 3);
	assert_int_equal(vm->memnodes[0].cellid, 1);
	assert_int_equal(vm->memnodes[0].mode, MEM_MODE_INTERLEAVE);
	assert_set(vm->memnodes[0].nodeset, "2-3");
	assert_int_equal(vm->memnodes[1].cellid, 0);
	assert_int_equal(vm->memnodes[1].mode, MEM_MODE_STRICT);
	assert_set(vm->memnodes[1].nodeset, "1");
	assert_int_equal(vm->memnodes[2].cellid, 2);
	assert_int_equal(vm->memnodes[2].mode, MEM_MODE_RESTRICTIVE);
	assert_null(vm->memnodes[2].nodeset);
	vm_free(vm);
}

static void test_numad_is_a_sibling_of_domain(void **state)
{
	struct vm *vm = parse_ok(
	    S("<numad nodeset='0-1' cpuset='0-7,^3'/>", "<numad nodeset='5' cpuset='5'/>"));
	struct vm *plain = parse_ok(D("<numad nodeset='5' cpuset='5'/>"));

	(void)state;
	assert_set(vm->numad_nodeset, "0-1");
	assert_set(vm->numad_cpuset, "0-2,4-7");
	assert_null(plain->numad_nodeset); /* a <numad> inside <domain> is not libvirt's */
	assert_null(plain->numad_cpuset);
	vm_free(vm);
	vm_free(plain);
}

static void test_numad_nodeset_only(void **state)
{
	struct vm *vm = parse_ok(S("<numad nodeset='1'/>", ""));

	(void)state;
	assert_set(vm->numad_nodeset, "1");
	assert_null(vm->numad_cpuset);
	vm_free(vm);
}

/* ---------------------------------------------------------------- guest NUMA and memory */

static void test_cells(void **state)
{
	struct vm *vm =
	    parse_ok(D("<cpu mode='host-passthrough'><topology sockets='2' cores='2' "
		       "threads='1'/><numa>"
		       "<cell cpus='0-1' memory='524288'/>"
		       "<cell id='1' cpus='2,3' memory='512' unit='MiB' memAccess='shared'/>"
		       "<cell id='2' memory='1' unit='G'/></numa></cpu>"));

	(void)state;
	assert_int_equal(vm->ncells, 3);
	assert_int_equal(vm->cells[0].id, 0); /* position */
	assert_set(vm->cells[0].cpus, "0-1");
	assert_int_equal(vm->cells[0].memory, 536870912ull);
	assert_int_equal(vm->cells[1].id, 1);
	assert_set(vm->cells[1].cpus, "2-3");
	assert_int_equal(vm->cells[1].memory, 536870912ull);
	assert_int_equal(vm->cells[2].id, 2);
	assert_set(vm->cells[2].cpus, ""); /* CPU-less cell: empty, never NULL */
	assert_int_equal(vm->cells[2].memory, 1073741824ull);
	vm_free(vm);
}

static void test_memory_devices(void **state)
{
	struct vm *vm =
	    parse_ok(D("<devices><disk type='file'/><memory model='dimm'><target>"
		       "<size unit='MiB'>256</size><node>1</node></target></memory>"
		       "<memory model='virtio-mem'><target><size unit='GiB'>2</size>"
		       "<block unit='MiB'>2</block><requested unit='MiB'>512</requested>"
		       "</target></memory>"
		       "<memory model='nvdimm'><target><size>1024</size><node>0</node>"
		       "</target></memory></devices>"));

	(void)state;
	assert_int_equal(vm->nmemdevs, 3);
	assert_int_equal(vm->memdevs[0].size, 268435456ull);
	assert_int_equal(vm->memdevs[0].node, 1);
	assert_int_equal(vm->memdevs[1].size, 2147483648ull);
	assert_int_equal(vm->memdevs[1].node, -1);
	assert_int_equal(vm->memdevs[2].size, 1048576ull);
	assert_int_equal(vm->memdevs[2].node, 0);
	vm_free(vm);
}

static void test_memory_and_current_memory_units(void **state)
{
	struct vm *vm = parse_ok("<domain><name>m</name><uuid>" UUID "</uuid><memory unit='GB'>2</memory>"
				 "<currentMemory unit='b'>1000000000</currentMemory>"
				 "<vcpu>1</vcpu></domain>");
	struct vm *def = parse_ok("<domain><name>m</name><uuid>" UUID "</uuid><memory>4</memory>"
				  "<vcpu>1</vcpu></domain>");

	(void)state;
	assert_int_equal(vm->memory, 2000000000ull);
	assert_int_equal(vm->current_memory, 1000000000ull);
	assert_int_equal(def->memory, 4096);
	assert_int_equal(def->current_memory, 4096);
	vm_free(vm);
	vm_free(def);
}

static void test_hugepages_without_page(void **state)
{
	struct vm *vm = parse_ok(D("<memoryBacking><hugepages/><locked/></memoryBacking>"));

	(void)state;
	assert_true(vm->hugepages);
	assert_int_equal(vm->npages, 1);
	assert_int_equal(vm->pages[0].size_kib, 0);
	assert_null(vm->pages[0].nodeset);
	vm_free(vm);
}

static void test_hugepages_pages(void **state)
{
	struct vm *vm = parse_ok(D("<memoryBacking><hugepages>"
				   "<page size='1' unit='G' nodeset='0,2'/>"
				   "<page size='2048'/>"
				   "<page size='2' unit='MiB' nodeset='1'/>"
				   "<page size='65536' unit='b'/>"
				   "</hugepages></memoryBacking>"));

	(void)state;
	assert_true(vm->hugepages);
	assert_int_equal(vm->npages, 4);
	assert_int_equal(vm->pages[0].size_kib, 1048576);
	assert_set(vm->pages[0].nodeset, "0,2");
	assert_int_equal(vm->pages[1].size_kib, 2048);
	assert_null(vm->pages[1].nodeset);
	assert_int_equal(vm->pages[2].size_kib, 2048);
	assert_set(vm->pages[2].nodeset, "1");
	assert_int_equal(vm->pages[3].size_kib, 64);
	assert_null(vm->pages[3].nodeset);
	vm_free(vm);
}

static void test_memory_backing_without_hugepages(void **state)
{
	struct vm *vm = parse_ok(D("<memoryBacking><source type='memfd'/></memoryBacking>"));

	(void)state;
	assert_false(vm->hugepages);
	assert_int_equal(vm->npages, 0);
	assert_null(vm->pages);
	vm_free(vm);
}

/* ---------------------------------------------------------------- OpenStack name */

static void test_nova_name_1_1(void **state)
{
	struct vm *vm = parse_ok(D("<metadata><nova:instance "
				   "xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>"
				   "<nova:package version='25.0.0'/><nova:name>web-01</nova:name>"
				   "<nova:flavor name='m1.small'/></nova:instance></metadata>"));

	(void)state;
	assert_string_equal(vm->display_name, "web-01");
	vm_free(vm);
}

static void test_nova_name_other_prefix_and_version(void **state)
{
	struct vm *vm = parse_ok(D("<metadata><other:thing xmlns:other='urn:other'><other:name>x"
				   "</other:name></other:thing><os:instance "
				   "xmlns:os='http://openstack.org/xmlns/libvirt/nova/2.0'>"
				   "<os:name>db-02</os:name></os:instance></metadata>"));

	(void)state;
	assert_string_equal(vm->display_name, "db-02");
	vm_free(vm);
}

static void test_nova_prefix_in_foreign_namespace_ignored(void **state)
{
	struct vm *vm =
	    parse_ok(D("<metadata><nova:instance xmlns:nova='http://example.com/nova/1.1'>"
		       "<nova:name>imposter</nova:name></nova:instance></metadata>"));
	struct vm *loose = parse_ok(D("<metadata><nova:name "
				      "xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>"
				      "stray</nova:name></metadata>"));
	struct vm *plain =
	    parse_ok(D("<metadata><instance><name>plain</name></instance></metadata>"));

	(void)state;
	assert_null(vm->display_name);
	assert_null(loose->display_name); /* only under <nova:instance> */
	assert_null(plain->display_name);
	vm_free(vm);
	vm_free(loose);
	vm_free(plain);
}

/* ---------------------------------------------------------------- parts not built */

/* Only what the parser reads becomes a tree node (domxml.c build_filter); everything else is still
 * read and checked for well-formedness, and what is read is found wherever it sits. */
static void test_unread_parts_do_not_hide_read_ones(void **state)
{
	struct vm *vm = parse_ok(S("<qemuCaps><flag name='kvm'/><flag name='vnc'/></qemuCaps>"
				   "<vcpus><vcpu id='0' pid='11'/></vcpus><chardevs/>",
				   "<os><type>hvm</type></os>"
				   "<devices><graphics type='vnc' passwd='x'><listen/></graphics>"
				   "<memory model='dimm'><target><size unit='MiB'>256</size>"
				   "<node>0</node></target></memory><disk type='file'/></devices>"
				   "<features><acpi/></features>"
				   "<cputune><vcpupin vcpu='0' cpuset='2'/></cputune>"));

	(void)state;
	assert_true(vm->is_status);
	assert_int_equal(vm->pid, 4242);
	assert_int_equal(vm->ntids, 1);
	assert_int_equal(vm->tids[0].tid, 11);
	assert_int_equal(vm->nmemdevs, 1);
	assert_int_equal(vm->memdevs[0].size, 268435456ull);
	assert_int_equal(vm->nvcpupins, 1);
	assert_set(vm->vcpupins[0].cpus, "2");
	assert_string_equal(vm->name, "vm1");
	vm_free(vm);
}

static void test_unread_parts_are_still_checked(void **state)
{
	(void)state;
	assert_contains(parse_err(S("<qemuCaps><flag name='kvm'></qemuCaps>", "")),
			"mismatched tag");
	assert_contains(parse_err(D("<devices><graphics type='vnc' passwd='&pw;'/></devices>")),
			"undefined entity reference");
	assert_contains(parse_err(D("<devices><disk type='file' type='block'/></devices>")),
			"attribute given twice");
	assert_contains(parse_err(D("<os><type>hvm</os>")), "mismatched tag");
}


/* ---------------------------------------------------------------- passthrough devices */

#define HOSTDEV(addr) "<hostdev mode='subsystem' type='pci' managed='yes'><source>" addr "</source></hostdev>"
#define DEVS(body) D("<devices>" body "</devices>")

static void assert_addr(const struct vm_dev *d, const char *want)
{
	char got[PCI_ADDR_STRLEN];

	assert_int_equal(d->kind, DEV_KIND_PCI);
	pci_addr_format(&d->addr, got);
	assert_string_equal(got, want);
}

/* Address numbers are read as libvirt reads them, C base-0 syntax: 0x3b is hex, 59 decimal,
 * 073 octal; a missing attribute is 0; the canonical text is lower-case DDDD:BB:SS.F. */
static void test_hostdev_address_numbers(void **state)
{
	static const struct {
		const char *attrs, *want;
	} cases[] = {
	    {"domain='0x0000' bus='0x3b' slot='0x00' function='0x1'", "0000:3b:00.1"},
	    {"domain='0' bus='59' slot='0' function='1'", "0000:3b:00.1"},
	    {"domain='0' bus='073' slot='0' function='1'", "0000:3b:00.1"},
	    {"domain='0X0000' bus='0X3B' slot='0x1F' function='7'", "0000:3b:1f.7"},
	    {"bus='0x3b'", "0000:3b:00.0"},
	    {"domain=' +0x1234' bus='0x0' slot='0x1' function='0x0'", "1234:00:01.0"},
	    {"domain='0x10000' bus='0xff' slot='31' function='0'", "10000:ff:1f.0"},
	    {"domain='4294967295' bus='255' slot='31' function='7'", "ffffffff:ff:1f.7"},
	    {"type='pci' domain='0x0005' bus='0x90' slot='0x01' function='0x2'", "0005:90:01.2"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *xml = xasprintf(D("<devices><hostdev mode='subsystem' type='pci'><source>"
					"<address %s/></source></hostdev></devices>"),
				      cases[i].attrs);
		struct vm *vm = parse_ok(xml);

		assert_int_equal(vm->ndevs, 1);
		assert_addr(&vm->devs[0], cases[i].want);
		vm_free(vm);
		free(xml);
	}
}

/* Each fmt % case[0] inside <devices> is refused with exactly the reason case[1]. */
static void expect_device_errors(const char *fmt, const char *const (*cases)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *devices = xasprintf(fmt, cases[i][0]);
		char *xml = xasprintf(D("<devices>%s</devices>"), devices);

		if (strcmp(parse_err(xml), cases[i][1]) != 0)
			fail_msg("%s: '%s'", devices, parse_err(xml));
		free(xml);
		free(devices);
	}
}

static void test_hostdev_address_errors(void **state)
{
	static const char *const cases[][2] = {
	    {"bus='0x100'", "devices/hostdev[1]: bus '0x100': over 255"},
	    {"slot='32'", "devices/hostdev[1]: slot '32': over 31"},
	    {"function='8'", "devices/hostdev[1]: function '8': over 7"},
	    {"domain='0x100000000'", "devices/hostdev[1]: domain '0x100000000': over 4294967295"},
	    {"bus='-1'", "devices/hostdev[1]: bus '-1': not a number"},
	    {"bus='0x'", "devices/hostdev[1]: bus '0x': not a number"},
	    {"bus='089'", "devices/hostdev[1]: bus '089': not a number"},
	    {"bus='3b'", "devices/hostdev[1]: bus '3b': not a number"},
	    {"bus='1 '", "devices/hostdev[1]: bus '1': not a number"},
	    {"bus=''", "devices/hostdev[1]: bus '': not a number"},
	    {"type='usb' bus='1'", "devices/hostdev[1]/source/address: type is not pci"},
	};

	(void)state;
	expect_device_errors("<hostdev mode='subsystem' type='pci'><source><address %s/>"
			     "</source></hostdev>",
			     cases, ARRAY_SIZE(cases));
}

/* Every PCI form libvirt has: hostdev pci (mode defaulting to subsystem), interface
 * type='hostdev', mdev by UUID; the other hostdev kinds are not PCI devices and are left out;
 * the order is the document's. */
static void test_hostdev_forms(void **state)
{
	struct vm *vm = parse_ok(DEVS(
	    "<interface type='network'><source network='default'/></interface>"
	    "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/>"
	    "<product id='0xbeef'/></source></hostdev>"
	    "<interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/>"
	    "<driver name='vfio'/><source><address type='pci' domain='0x0000' bus='0x3b' "
	    "slot='0x02' function='0x1'/></source><vlan><tag id='42'/></vlan>"
	    "<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>"
	    "</interface>"
	    "<hostdev type='pci'><driver name='vfio'/><source><address domain='0x0000' "
	    "bus='0xaf' slot='0x00' function='0x0'/></source><rom bar='off'/>"
	    "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></hostdev>"
	    "<hostdev mode='subsystem' type='mdev' model='vfio-pci' display='on'><source>"
	    "<address uuid='C2177883-F1BB-47F0-914D-32A22E3A8804'/></source></hostdev>"
	    "<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/>"
	    "<address bus='0' target='0' unit='0'/></source></hostdev>"
	    "<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='naa.1'/>"
	    "</hostdev>"
	    "<hostdev mode='capabilities' type='misc'><source><char>/dev/null</char></source>"
	    "</hostdev>"));

	(void)state;
	assert_int_equal(vm->ndevs, 3);
	assert_addr(&vm->devs[0], "0000:3b:02.1");
	assert_addr(&vm->devs[1], "0000:af:00.0");
	assert_int_equal(vm->devs[2].kind, DEV_KIND_MDEV);
	assert_string_equal(vm->devs[2].uuid, "c2177883-f1bb-47f0-914d-32a22e3a8804");
	vm_free(vm);
}

static void test_hostdev_errors(void **state)
{
	static const char *const cases[][2] = {
	    {"<hostdev mode='subsystem'/>", "devices/hostdev[1]: missing type"},
	    {"<hostdev mode='other' type='pci'/>", "devices/hostdev[1]: unknown mode"},
	    {"<hostdev type='pci'/>", "devices/hostdev[1]: missing <source><address>"},
	    {"<hostdev type='usb'/><hostdev type='pci'><source/></hostdev>",
	     "devices/hostdev[2]: missing <source><address>"},
	    {"<interface type='hostdev'><source/></interface>",
	     "devices/interface[1]: missing <source><address>"},
	    {"<hostdev type='mdev'><source><address/></source></hostdev>",
	     "devices/hostdev[1]: missing <source><address uuid>"},
	    {"<hostdev type='mdev'><source><address uuid='c2177883'/></source></hostdev>",
	     "devices/hostdev[1]/source/address: uuid is not 32 hex digits"},
	};

	(void)state;
	expect_device_errors("%s", cases, ARRAY_SIZE(cases));
}

/* An SR-IOV VF from a libvirt network pool (<forward mode='hostdev'>): the config says only
 * <interface type='network'>; the status file says which VF in <actual type='hostdev'>, as
 * virDomainActualNetDefFormat() writes it. That is a PCI device where the <interface> sits; a
 * config-only network interface, an actual of another type, and an <actual> under an interface
 * of another type (libvirt reads <actual> for type='network' only) are not devices. */
#define POOL_VF(addr)                                                                              \
	"<interface type='network'><mac address='52:54:00:8a:11:02'/>"                             \
	"<source network='sriov-pool' portid='6a3c3a1e-1c3b-4b4e-9d5c-2f0e4b8f7a10'/>"             \
	"<actual type='hostdev' managed='yes'><driver name='vfio'/><source>" addr                  \
	"<origstates><unbind/></origstates></source><vlan><tag id='42'/></vlan></actual>"          \
	"<alias name='hostdev1'/>"                                                                 \
	"<address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/></interface>"

static void test_network_pool_vf(void **state)
{
	static const char not_devices[] =
	    "<interface type='network'><source network='default'/></interface>"
	    "<interface type='network'><source network='default'/><actual type='network'>"
	    "<source bridge='virbr0'/></actual></interface>"
	    "<interface type='network'><source network='macvtap-pool'/><actual type='direct'>"
	    "<source dev='ens1f0' mode='bridge'/></actual></interface>"
	    "<interface type='direct'><source dev='ens1f0' mode='passthrough'/>"
	    "<actual type='hostdev'><source><address type='pci' bus='0x86'/></source></actual>"
	    "</interface>"
	    "<interface type='network'><source network='odd'/><actual/></interface>";
	static const char others[] =
	    "<interface type='hostdev' managed='yes'><source><address type='pci' domain='0' "
	    "bus='59' slot='2' function='1'/></source></interface>"
	    "<interface type='network'><source network='sriov-pool'/><actual type='hostdev'>"
	    "<source><address type='pci' domain='0X0001' bus='0X5E' slot='0x1F' function='7'/>"
	    "</source></actual></interface>";
	char *xml = xasprintf(
	    S("<vcpus><vcpu id='0' pid='11'/></vcpus>", "<devices>%s%s%s%s</devices>"),
	    HOSTDEV("<address domain='0' bus='0xaf' slot='0' function='0'/>"), not_devices,
	    POOL_VF("<address type='pci' domain='0x0000' bus='0x86' slot='0x02' function='0x1'/>"),
	    others);
	struct vm *vm = parse_ok(xml);

	(void)state;
	assert_int_equal(vm->ndevs, 4);
	assert_addr(&vm->devs[0], "0000:af:00.0");
	assert_addr(&vm->devs[1], "0000:86:02.1");
	assert_addr(&vm->devs[2], "0000:3b:02.1");
	assert_addr(&vm->devs[3], "0001:5e:1f.7");
	vm_free(vm);
	free(xml);
}

static void test_network_pool_vf_errors(void **state)
{
	static const char *const cases[][2] = {
	    {"<interface type='network'><source network='p'/><actual type='hostdev'/></interface>",
	     "devices/interface[1]/actual: missing <source><address>"},
	    {"<interface type='bridge'/><interface type='network'><source network='p'/>"
	     "<actual type='hostdev'><source><address type='pci' bus='0x100'/></source></actual>"
	     "</interface>",
	     "devices/interface[2]/actual: bus '0x100': over 255"},
	    {"<interface type='network'><source network='p'/><actual type='hostdev'><source>"
	     "<address type='usb' bus='1' device='2'/></source></actual></interface>",
	     "devices/interface[1]/actual/source/address: type is not pci"},
	    {POOL_VF("<address type='pci' slot='32'/>"),
	     "devices/interface[1]/actual: slot '32': over 31"},
	};

	(void)state;
	expect_device_errors("%s", cases, ARRAY_SIZE(cases));
}

/* Of a <hostdev> or <interface> only <source><address> is built, and of an interface's <actual>
 * only its <source><address>: what else they hold (an iSCSI <auth> secret, a guest <address>, a
 * port profile, a MAC) never reaches the tree, and <graphics> stays out. */
static void test_hostdev_parts_not_built(void **state)
{
	static const char scsi[] =
	    "<hostdev mode='subsystem' type='scsi'><source protocol='iscsi' name='iqn.x'>"
	    "<host name='example.org'/><auth username='u'><secret type='iscsi' usage='SECRETUSAGE'/>"
	    "</auth></source></hostdev>";
	static const char actuals[] =
	    "<interface type='network'><source network='p'/><actual type='hostdev'>"
	    "<virtualport type='802.1Qbh'><parameters profileid='PROFILESECRET'/></virtualport>"
	    "<source><address type='pci' bus='0x87'/></source></actual></interface>"
	    "<hostdev type='pci'><actual><source><address bus='0x88'/></source></actual>"
	    "<source><address bus='0x89'/></source></hostdev>"
	    "<graphics type='vnc' passwd='TOPSECRET'/>";
	char *xml = xasprintf(DEVS("%s%s%s%s"), scsi,
			      HOSTDEV("<address bus='0x3b'><zpci uid='0x1'/></address>"
				      "<origstates><unbind/></origstates>"),
			      POOL_VF("<address type='pci' bus='0x86'><zpci uid='0x2'/></address>"),
			      actuals);
	char err[ERRLEN];
	struct vm *vm;
	xmlDocPtr doc;
	xmlChar *dump = NULL;
	int len = 0;

	(void)state;
	vm = parse_ok(xml);
	assert_int_equal(vm->ndevs, 4); /* 3b, 86, 87, 89 */
	assert_addr(&vm->devs[3], "0000:89:00.0");
	vm_free(vm);
	/* the same filter as domxml: parse through it and look at what was built */
	doc = domxml_parse_tree(xml, strlen(xml), err, sizeof(err));
	assert_non_null(doc);
	xmlDocDumpMemory(doc, &dump, &len);
	assert_non_null(strstr((char *)dump, "bus=\"0x3b\""));
	assert_null(strstr((char *)dump, "SECRETUSAGE"));
	assert_null(strstr((char *)dump, "TOPSECRET"));
	assert_null(strstr((char *)dump, "zpci"));
	assert_null(strstr((char *)dump, "origstates"));
	assert_null(strstr((char *)dump, "example.org"));
	assert_non_null(strstr((char *)dump, "bus=\"0x86\""));
	assert_non_null(strstr((char *)dump, "bus=\"0x87\""));
	assert_null(strstr((char *)dump, "bus=\"0x88\"")); /* <actual> is an interface's only */
	assert_null(strstr((char *)dump, "PROFILESECRET"));
	assert_null(strstr((char *)dump, "vlan"));
	assert_null(strstr((char *)dump, "vfio"));
	assert_null(strstr((char *)dump, "52:54:00:8a:11:02"));
	assert_null(strstr((char *)dump, "hostdev1"));
	xmlFree(dump);
	xmlFreeDoc(doc);
	free(xml);
}

/* ---------------------------------------------------------------- reasons */

struct reject_case {
	const char *name;
	const char *xml;
	const char *err; /* the exact reason */
};

static const struct reject_case reject_cases[] = {
    {"other root element", "<foo><domain/></foo>",
     "root element is <foo>, not <domain> or <domstatus>"},
    {"namespaced root element", "<domain xmlns='urn:x'>" IDENT "<vcpu>1</vcpu></domain>",
     "root element is <domain> in a namespace, not <domain> or <domstatus>"},
    {"domstatus without domain", "<domstatus state='running'><vcpus/></domstatus>",
     "domstatus has no <domain>"},
    {"missing name", "<domain><uuid>" UUID "</uuid><memory>1</memory><vcpu>1</vcpu></domain>",
     "domain: missing <name>"},
    {"empty name", "<domain><name/><uuid>" UUID "</uuid><memory>1</memory><vcpu>1</vcpu></domain>",
     "domain: <name> is empty"},
    {"missing uuid", "<domain><name>n</name><memory>1</memory><vcpu>1</vcpu></domain>",
     "domain: missing <uuid>"},
    {"blank uuid", "<domain><name>n</name><uuid> \n </uuid><memory>1</memory></domain>",
     "domain: <uuid> is empty"},
    {"uuid of 65 digits",
     "<domain><name>n</name><uuid>0123456789012345678901234567890123456789012345678901234567890"
     "1234</uuid><memory>1</memory><vcpu>1</vcpu></domain>",
     "domain: <uuid> is not 32 hex digits (with '-' between pairs)"},
    {"missing memory", "<domain><name>n</name><uuid>" UUID "</uuid><vcpu>1</vcpu></domain>",
     "domain: missing <memory> and no <cpu><numa> cells"},
    {"missing vcpu", "<domain><name>n</name><uuid>" UUID "</uuid><memory>1</memory></domain>",
     "domain: missing <vcpu>"},
    {"domain id not a number", "<domain id='x'>" IDENT "<vcpu>1</vcpu></domain>",
     "domain: id: 'x' is not a number"},
    {"memory too large to parse", DM("<memory unit='TiB'>99999999999999999999</memory>"),
     "memory: 99999999999999999999 TiB overflows"},
    {"memory multiplication overflows", DM("<memory unit='EiB'>16</memory>"),
     "memory: 16 EiB overflows"},
    {"memory negative", DM("<memory>-1</memory>"), "memory: '-1' is not a number"},
    {"memory unknown unit", DM("<memory unit='furlongs'>1</memory>"),
     "memory: unknown unit 'furlongs'"},
    {"currentMemory garbage", DM("<memory>1</memory><currentMemory>1e6</currentMemory>"),
     "currentMemory: '1e6' is not a number"},
    {"vcpu zero", DV("<vcpu>0</vcpu>", ""), "vcpu: count is 0"},
    {"vcpu over the limit", DV("<vcpu>16385</vcpu>", ""),
     "vcpu: count: 16385 is over the limit of 16384"},
    {"vcpu not a number", DV("<vcpu>four</vcpu>", ""), "vcpu: count: 'four' is not a number"},
    {"vcpu negative", DV("<vcpu>-1</vcpu>", ""), "vcpu: count: '-1' is not a number"},
    {"vcpu value with a newline and non-ASCII", DV("<vcpu>1\n\xc3\xa9</vcpu>", ""),
     "vcpu: count: '1?\?\?' is not a number"},
    {"vcpu empty", DV("<vcpu/>", ""), "vcpu: count: empty number"},
    {"vcpu current over the count", DV("<vcpu current='5'>4</vcpu>", ""),
     "vcpu: current 5 is not in 1..4"},
    {"vcpu current zero", DV("<vcpu current='0'>4</vcpu>", ""), "vcpu: current 0 is not in 1..4"},
    {"vcpu unknown placement", DV("<vcpu placement='numad'>4</vcpu>", ""),
     "vcpu: unknown placement"},
    {"vcpu cpuset reversed", DV("<vcpu cpuset='3-1'>4</vcpu>", ""),
     "vcpu: cpuset '3-1': reversed range"},
    {"vcpu cpuset selects nothing", DV("<vcpu cpuset='0,^0'>4</vcpu>", ""),
     "vcpu: cpuset '0,^0' selects nothing"},
    {"vcpu cpuset empty string", DV("<vcpu cpuset=''>4</vcpu>", ""), "vcpu: cpuset '': empty set"},
    {"vcpus list id past the count", D("<vcpus><vcpu id='4' enabled='yes'/></vcpus>"),
     "vcpus/vcpu[id=4]: vcpu 4 does not exist (vcpu count 4)"},
    {"vcpus list duplicate id",
     D("<vcpus><vcpu id='0' enabled='yes'/><vcpu id='0' enabled='no'/></vcpus>"),
     "vcpus/vcpu[id=0]: duplicate"},
    {"vcpus list enabled neither yes nor no", D("<vcpus><vcpu id='0' enabled='on'/></vcpus>"),
     "vcpus/vcpu[id=0]: enabled is not yes or no"},
    {"vcpus list without id", D("<vcpus><vcpu enabled='yes'/></vcpus>"), "vcpus/vcpu: missing id"},
    {"vcpupin reversed range", D("<cputune><vcpupin vcpu='0' cpuset='3-1'/></cputune>"),
     "cputune/vcpupin[vcpu=0]: cpuset '3-1': reversed range"},
    {"vcpupin of a vcpu that does not exist",
     D("<cputune><vcpupin vcpu='9' cpuset='1'/></cputune>"),
     "cputune/vcpupin[vcpu=9]: vcpu 9 does not exist (vcpu count 4)"},
    {"vcpupin twice for one vcpu",
     D("<cputune><vcpupin vcpu='1' cpuset='1'/><vcpupin vcpu='1' cpuset='2'/></cputune>"),
     "cputune/vcpupin[vcpu=1]: duplicate"},
    {"vcpupin without cpuset", D("<cputune><vcpupin vcpu='0'/></cputune>"),
     "cputune/vcpupin[vcpu=0]: missing cpuset"},
    {"vcpupin without vcpu", D("<cputune><vcpupin cpuset='0'/></cputune>"),
     "cputune/vcpupin: missing vcpu"},
    {"vcpupin vcpu not a number", D("<cputune><vcpupin vcpu='one' cpuset='0'/></cputune>"),
     "cputune/vcpupin: vcpu: 'one' is not a number"},
    {"vcpupin cpu over libvirt's limit", D("<cputune><vcpupin vcpu='0' cpuset='16384'/></cputune>"),
     "cputune/vcpupin[vcpu=0]: cpuset '16384': id over the limit of 16383"},
    {"vcpupin garbage cpuset", D("<cputune><vcpupin vcpu='0' cpuset='x'/></cputune>"),
     "cputune/vcpupin[vcpu=0]: cpuset 'x' (byte 0x78) where a number was expected"},
    {"vcpupin garbage in a list", D("<cputune><vcpupin vcpu='0' cpuset='1,x'/></cputune>"),
     "cputune/vcpupin[vcpu=0]: cpuset '1,x': 'x' (byte 0x78) where a number was expected"},
    {"vcpupin selects nothing", D("<cputune><vcpupin vcpu='2' cpuset='^1'/></cputune>"),
     "cputune/vcpupin[vcpu=2]: cpuset '^1' selects nothing"},
    {"emulatorpin reversed", D("<cputune><emulatorpin cpuset='5-2'/></cputune>"),
     "cputune/emulatorpin: cpuset '5-2': reversed range"},
    {"emulatorpin twice",
     D("<cputune><emulatorpin cpuset='1'/><emulatorpin cpuset='2'/></cputune>"),
     "cputune: more than one <emulatorpin>"},
    {"emulatorpin without cpuset", D("<cputune><emulatorpin/></cputune>"),
     "cputune/emulatorpin: missing cpuset"},
    {"iothreadpin twice for one iothread",
     D("<cputune><iothreadpin iothread='3' cpuset='1'/><iothreadpin iothread='1' cpuset='1'/>"
       "<iothreadpin iothread='3' cpuset='2'/></cputune>"),
     "cputune/iothreadpin[iothread=3]: duplicate"},
    {"iothreadpin reversed", D("<cputune><iothreadpin iothread='2' cpuset='9-8'/></cputune>"),
     "cputune/iothreadpin[iothread=2]: cpuset '9-8': reversed range"},
    {"numatune unknown mode", D("<numatune><memory mode='bind' nodeset='0'/></numatune>"),
     "numatune/memory: unknown mode"},
    {"numatune unknown placement",
     D("<numatune><memory placement='numad' nodeset='0'/></numatune>"),
     "numatune/memory: unknown placement"},
    {"numatune node over the limit", D("<numatune><memory nodeset='1024'/></numatune>"),
     "numatune/memory: nodeset '1024': id over the limit of 1023"},
    {"numatune nodeset selects nothing", D("<numatune><memory nodeset='0,^0'/></numatune>"),
     "numatune/memory: nodeset '0,^0' selects nothing"},
    {"memnode without guest cells", D("<numatune><memnode cellid='0' nodeset='0'/></numatune>"),
     "numatune/memnode[cellid=0]: no guest NUMA cell 0"},
    {"memnode twice for one cell",
     D("<cpu><numa><cell cpus='0' memory='1'/></numa></cpu><numatune>"
       "<memnode cellid='0' nodeset='0'/><memnode cellid='0' nodeset='1'/></numatune>"),
     "numatune/memnode[cellid=0]: duplicate"},
    {"memnode reversed nodeset",
     D("<cpu><numa><cell cpus='0' memory='1'/></numa></cpu><numatune>"
       "<memnode cellid='0' nodeset='1-0'/></numatune>"),
     "numatune/memnode[cellid=0]: nodeset '1-0': reversed range"},
    {"memnode unknown mode",
     D("<cpu><numa><cell cpus='0' memory='1'/></numa></cpu><numatune>"
       "<memnode cellid='0' mode='fast' nodeset='0'/></numatune>"),
     "numatune/memnode[cellid=0]: unknown mode"},
    {"memnode without cellid", D("<numatune><memnode nodeset='0'/></numatune>"),
     "numatune/memnode: missing cellid"},
    {"cell id twice",
     D("<cpu><numa><cell id='0' cpus='0' memory='1'/><cell id='0' cpus='1' memory='1'/>"
       "</numa></cpu>"),
     "cpu/numa/cell[id=0]: duplicate id"},
    {"cell position clashes with an id",
     D("<cpu><numa><cell id='1' cpus='0' memory='1'/><cell cpus='1' memory='1'/></numa></cpu>"),
     "cpu/numa/cell[id=1]: duplicate id"},
    {"cell without memory", D("<cpu><numa><cell id='0' cpus='0'/></numa></cpu>"),
     "cpu/numa/cell[id=0]: missing memory"},
    {"cell vcpu over the limit", D("<cpu><numa><cell cpus='16384' memory='1'/></numa></cpu>"),
     "cpu/numa/cell[id=0]: cpus '16384': id over the limit of 16383"},
    {"cell unknown unit", D("<cpu><numa><cell cpus='0' memory='1' unit='parsecs'/></numa></cpu>"),
     "cpu/numa/cell[id=0]: unknown unit 'parsecs'"},
    {"cell id over the node limit", D("<cpu><numa><cell id='1024' memory='1'/></numa></cpu>"),
     "cpu/numa/cell: id: 1024 is over the limit of 1023"},
    {"memory device without size",
     D("<devices><memory model='dimm'><target><node>0</node></target></memory></devices>"),
     "devices/memory[1]/target: missing <size>"},
    {"memory device node not a number",
     D("<devices><memory model='dimm'><target><size>1</size><node>x</node></target></memory>"
       "</devices>"),
     "devices/memory[1]/target: node: 'x' is not a number"},
    {"second memory device bad size",
     D("<devices><memory><target><size>1</size></target></memory><memory><target>"
       "<size unit='EiB'>99</size></target></memory></devices>"),
     "devices/memory[2]/target: 99 EiB overflows"},
    {"hugepage size not whole KiB",
     D("<memoryBacking><hugepages><page size='1536' unit='b'/></hugepages></memoryBacking>"),
     "memoryBacking/hugepages/page[1]: size 1536 bytes is not a positive multiple of 1 KiB"},
    {"hugepage size zero",
     D("<memoryBacking><hugepages><page size='0'/></hugepages></memoryBacking>"),
     "memoryBacking/hugepages/page[1]: size 0 bytes is not a positive multiple of 1 KiB"},
    {"hugepage without size",
     D("<memoryBacking><hugepages><page size='2048'/><page nodeset='0'/></hugepages>"
       "</memoryBacking>"),
     "memoryBacking/hugepages/page[2]: missing size"},
    {"hugepage reversed nodeset",
     D("<memoryBacking><hugepages><page size='2048' nodeset='1-0'/></hugepages>"
       "</memoryBacking>"),
     "memoryBacking/hugepages/page[1]: nodeset '1-0': reversed range"},
    {"status pid not a number",
     "<domstatus state='running' pid='abc'><domain>" IDENT "<vcpu>1</vcpu></domain></domstatus>",
     "domstatus: pid: 'abc' is not a number"},
    {"status thread of a vcpu that does not exist", S("<vcpus><vcpu id='4' pid='1'/></vcpus>", ""),
     "domstatus/vcpus/vcpu[id=4]: vcpu 4 does not exist (vcpu count 4)"},
    {"status thread without pid", S("<vcpus><vcpu id='0'/></vcpus>", ""),
     "domstatus/vcpus/vcpu[id=0]: missing pid"},
    {"numad reversed nodeset", S("<numad nodeset='2-1' cpuset='0'/>", ""),
     "domstatus/numad: nodeset '2-1': reversed range"},
    {"numad cpu over the limit", S("<numad nodeset='0' cpuset='19000'/>", ""),
     "domstatus/numad: cpuset '19000': id over the limit of 16383"},
    {"undefined entity, name not shown", D("<description>&x;</description>"),
     "line 1: undefined entity reference"},
    {"processing instruction target not shown", D("<?pi+x?>"),
     "line 1: a space is missing"},
    {"mismatched tags", "<domain>\n<name>vm</name>\n<uuid>u</uid>\n</domain>",
     "line 3: mismatched tag (start and end tag differ)"},
};

static void test_rejections_exact_reasons(void **state)
{
	size_t i;
	bool ok = true;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(reject_cases); i++) {
		char err[ERRLEN] = "";
		struct vm *vm = NULL;
		const struct reject_case *c = &reject_cases[i];

		if (domxml_parse_buffer(c->xml, strlen(c->xml), &vm, err, sizeof(err)) == 0) {
			print_message("%s: accepted\n", c->name);
			vm_free(vm);
			ok = false;
		} else if (strcmp(err, c->err) != 0) {
			print_message("%s: '%s'\n%*s want '%s'\n", c->name, err,
				      (int)strlen(c->name), "", c->err);
			ok = false;
		} else if (vm != NULL) {
			print_message("%s: *out not NULL on error\n", c->name);
			ok = false;
		}
	}
	assert_true(ok);
}

/* ---------------------------------------------------------------- hostile XML */

static void test_xxe_rejected(void **state)
{
	const char *err = parse_err("<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM "
				    "\"file:///etc/passwd\">]>\n<domain><name>&x;</name>"
				    "<uuid>" UUID "</uuid><memory>1</memory><vcpu>1</vcpu></domain>");

	(void)state;
	assert_string_equal(err, "has a DOCTYPE (entities are not allowed)");
	assert_lacks(err, "root:");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_billion_laughs_rejected_fast(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n<domain><name>&lol9;</name><uuid>" UUID "</uuid><memory>1</memory><vcpu>1</vcpu>"
	    "</domain>";
	double t0 = now();
	const char *err = parse_err(xml);

	(void)state;
	assert_string_equal(err, "has a DOCTYPE (entities are not allowed)");
	assert_true(now() - t0 < 1.0); /* a guard against expansion, not a benchmark */
}

static void test_external_dtd_rejected(void **state)
{
	const char *err = parse_err("<!DOCTYPE domain SYSTEM \"http://127.0.0.1:1/x.dtd\">\n"
				    "<domain><name>n</name><uuid>" UUID "</uuid><memory>1</memory>"
				    "<vcpu>1</vcpu></domain>");

	(void)state;
	assert_string_equal(err, "has a DOCTYPE (entities are not allowed)");
}

static void test_parameter_entities_rejected(void **state)
{
	const char *err = parse_err("<!DOCTYPE d [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
				    "<domain/>");

	(void)state;
	assert_string_equal(err, "has a DOCTYPE (entities are not allowed)");
}

static void test_truncated_document(void **state)
{
	static const char xml[] = S("", "<cputune><vcpupin vcpu='0' cpuset='1'/></cputune>");
	size_t cut;

	(void)state;
	for (cut = 1; cut < sizeof(xml) - 2; cut += 7) {
		char err[ERRLEN] = "";
		struct vm *vm = NULL;

		if (domxml_parse_buffer(xml, cut, &vm, err, sizeof(err)) == 0)
			fail_msg("cut at %zu: accepted", cut);
		assert_null(vm);
		assert_true(err[0] != '\0');
	}
	cut = (size_t)(strstr(xml, "</domain>") - xml);
	assert_string_equal(parse_err_n(xml, cut),
			    "line 7: premature end of data (truncated file)");
}

/* A document levels deep: <domain> and levels - 1 nested <a> elements. */
static char *nested(size_t levels)
{
	char *xml = xmalloc(levels * 7 + 64), *p = xml;
	size_t i;

	p += sprintf(p, "<domain>");
	for (i = 1; i < levels; i++)
		p += sprintf(p, "<a>");
	for (i = 1; i < levels; i++)
		p += sprintf(p, "</a>");
	sprintf(p, "</domain>");
	return xml;
}

static void test_deep_nesting_fails_cleanly(void **state)
{
	char *xml = nested(10001);

	(void)state;
	assert_string_equal(parse_err(xml), "line 1: nesting depth over 256 levels");
	free(xml);
}

static void test_nesting_under_the_limit_parses(void **state)
{
	size_t depth = 200, i;
	char *xml = xmalloc(depth * 7 + 256), *p = xml;
	struct vm *vm;

	(void)state;
	p += sprintf(p, "<domain>" IDENT "<vcpu>1</vcpu><metadata>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "</a>");
	sprintf(p, "</metadata></domain>");
	vm = parse_ok(xml);
	assert_int_equal(vm->vcpu_max, 1);
	vm_free(vm);
	free(xml);
}

/* libxml2 refuses to open an element while XMLSAFE_MAX_DEPTH (256) are open: 257 levels are
 * read (the mapping then fails on the missing <name>), 258 are not. */
static void test_nesting_limit_is_exact(void **state)
{
	char *ok = nested(XMLSAFE_MAX_DEPTH + 1), *over = nested(XMLSAFE_MAX_DEPTH + 2);

	(void)state;
	assert_string_equal(parse_err(ok), "domain: missing <name>");
	assert_string_equal(parse_err(over), "line 1: nesting depth over 256 levels");
	free(ok);
	free(over);
}

/* Errors are mapped by code, never by libxml2's message text: the depth limit is
 * XML_ERR_INTERNAL_ERROR up to libxml2 2.12 and XML_ERR_RESOURCE_LIMIT (114) from 2.13 on, and
 * is told from other internal errors by how many elements are open. */
static void test_xml_errors_mapped_by_code(void **state)
{
	static const struct {
		int code;
		unsigned open;
		const char *want; /* NULL: no sentence of ours */
	} cases[] = {
	    {XML_ERR_INTERNAL_ERROR, XMLSAFE_MAX_DEPTH + 1, "nesting depth over 256 levels"},
	    {XML_ERR_INTERNAL_ERROR, XMLSAFE_MAX_DEPTH, "nesting depth over 256 levels"},
	    {XML_ERR_INTERNAL_ERROR, 3, NULL},
	    {XML_ERR_INTERNAL_ERROR, 0, NULL},
#if LIBXML_VERSION >= 21300
	    {XML_ERR_RESOURCE_LIMIT, XMLSAFE_MAX_DEPTH + 1, "nesting depth over 256 levels"},
	    {XML_ERR_RESOURCE_LIMIT, 3, NULL},
#endif
	    /* XML_ERR_RESOURCE_LIMIT by value: built against headers older than 2.13, run on 2.13+ */
	    {114, XMLSAFE_MAX_DEPTH + 1, "nesting depth over 256 levels"},
	    {114, 3, NULL},
	    {XML_ERR_TAG_NAME_MISMATCH, XMLSAFE_MAX_DEPTH + 1, "mismatched tag (start and end tag differ)"},
	    {XML_ERR_TAG_NAME_MISMATCH, 1, "mismatched tag (start and end tag differ)"},
	    {XML_ERR_UNDECLARED_ENTITY, 1, "undefined entity reference"},
	    {XML_ERR_DOCUMENT_EMPTY, 0, "no start tag (document is empty or not XML)"},
	    {XML_ERR_OK, 1, NULL},
	    {-1, 1, NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = xmlsafe_error_reason(cases[i].code, cases[i].open);

		if (cases[i].want == NULL ? got != NULL
					  : got == NULL || strcmp(got, cases[i].want) != 0)
			fail_msg("code %d, %u open: '%s', want '%s'", cases[i].code, cases[i].open,
				 got ? got : "(null)", cases[i].want ? cases[i].want : "(null)");
	}
}

/* A filter for the tests: <secret> and everything under it is never built. */
static bool skip_secret(int parent, bool is_root, const char *name, const char *ns_uri, int *kind)
{
	(void)parent;
	(void)is_root;
	(void)ns_uri;
	*kind = XMLSAFE_BUILD_ALL;
	return strcmp(name, "secret") != 0;
}

/* xmlsafe_parse_buffer() with a filter: a skipped subtree is absent from the tree but still
 * checked; without a filter everything is built. */
static void test_xmlsafe_filter_prunes_subtrees(void **state)
{
	static const char xml[] = "<r><a>1</a><secret><pw>x</pw></secret><b/></r>";
	char err[ERRLEN] = "";
	xmlDocPtr doc;
	xmlNodePtr root, n;
	size_t count = 0;

	(void)state;
	doc = xmlsafe_parse_buffer(xml, sizeof(xml) - 1, skip_secret, err, sizeof(err));
	assert_non_null(doc);
	root = xmlDocGetRootElement(doc);
	for (n = root->children; n != NULL; n = n->next) {
		assert_string_not_equal((const char *)n->name, "secret");
		count++;
	}
	assert_int_equal(count, 2);
	xmlFreeDoc(doc);
	doc = xmlsafe_parse_buffer(xml, sizeof(xml) - 1, NULL, err, sizeof(err));
	assert_non_null(doc);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->children->next->name,
			    "secret");
	xmlFreeDoc(doc);
	assert_null(xmlsafe_parse_buffer("<r><secret><pw></secret></r>", 28, skip_secret, err,
					 sizeof(err)));
	assert_string_equal(err, "line 1: mismatched tag (start and end tag differ)");
}

static void test_nul_byte(void **state)
{
	static const char xml[] = "<domain>\n<name>a\0b</name></domain>";

	(void)state;
	assert_string_equal(parse_err_n(xml, sizeof(xml) - 1), "line 2: contains a NUL byte");
}

static void test_invalid_utf8(void **state)
{
	static const struct {
		const char *xml, *err;
	} cases[] = {
	    {"<domain><name>\xff</name></domain>", "line 1: invalid UTF-8 (byte 0xff)"},
	    {"<domain>\n<name>\xc0\xaf</name></domain>", "line 2: invalid UTF-8 (byte 0xc0)"},
	    {"<domain><name>\xed\xa0\x80</name></domain>", "line 1: invalid UTF-8 (byte 0xed)"},
	    {"<domain><name>\xf4\x90\x80\x80</name></domain>", "line 1: invalid UTF-8 (byte 0xf4)"},
	    {"<domain><name>\xe2\x82</name></domain>", "line 1: invalid UTF-8 (byte 0xe2)"},
	    {"<domain><name>x</name></domain>\xe2\x82", "line 1: invalid UTF-8 (byte 0xe2)"},
	    {"\xff\xfe<\xd8<<", "line 1: invalid UTF-8 (byte 0xff)"},
	    {"\x4c\x6f\xa7\x94", "line 1: invalid UTF-8 (byte 0xa7)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_string_equal(parse_err(cases[i].xml), cases[i].err);
}

static void test_valid_utf8_names(void **state)
{
	struct vm *vm =
	    parse_ok("<domain><name>gr\xc3\xbc\xc3\x9f-\xe2\x82\xac-\xf0\x9f\x90\xa7</name>"
		     "<uuid>" UUID "</uuid><memory>1</memory><vcpu>1</vcpu></domain>");

	(void)state;
	assert_string_equal(vm->name, "gr\xc3\xbc\xc3\x9f-\xe2\x82\xac-\xf0\x9f\x90\xa7");
	vm_free(vm);
}

static void test_empty_and_blank_input(void **state)
{
	(void)state;
	assert_string_equal(parse_err_n("", 0), "is empty");
	assert_string_equal(parse_err("  \n"), "line 2: no start tag (document is empty or not XML)");
	assert_string_equal(parse_err("<!-- only a comment -->"),
			    "line 1: no start tag (document is empty or not XML)");
}

static void test_buffer_over_the_default_cap(void **state)
{
	size_t len = DOMXML_MAX_SIZE_DEFAULT + 1;
	char *buf = xcalloc(len, 1);

	(void)state;
	memset(buf, ' ', len);
	assert_string_equal(parse_err_n(buf, len), "larger than 16777216 bytes");
	free(buf);
}

static void test_libxml2_reason_quotes_no_names(void **state)
{
	char name[400], *xml;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	xml = xasprintf("<domain><%s>\xc3\xa9</%sx></domain>", name, name);
	assert_string_equal(parse_err(xml), "line 1: mismatched tag (start and end tag differ)");
	free(xml);
	xml = xasprintf("<domain><\xc3\xa9t\xc3\xa9></domain>");
	assert_string_equal(parse_err(xml), "line 1: mismatched tag (start and end tag differ)");
	free(xml);
}

/* libxml2 formats comment text, stray tokens and entity names into its messages, and status
 * files hold VNC/SPICE passwords: no byte sequence of a planted secret may reach a reason. */
static void test_libxml2_errors_never_quote_content(void **state)
{
#define SECRET "Qx7Zk9Wv3J"
	static const char *const docs[] = {
	    "<domain><!-- passwd=" SECRET " -- --></domain>",
	    "<domain>\n<!-- " SECRET " --->\n</domain>",
	    "<domain><!-- " SECRET,
	    "<domain><graphics passwd=" SECRET "/></domain>",
	    "<domain><graphics " SECRET "/></domain>",
	    "<domain><graphics passwd='" SECRET "/></domain>",
	    "<domain><graphics passwd=\"" SECRET,
	    "<domain><graphics passwd='" SECRET "' passwd='" SECRET "'/></domain>",
	    "<domain><graphics passwd='a<" SECRET "'/></domain>",
	    "<domain>&" SECRET ";</domain>",
	    "<domain>&" SECRET "</domain>",
	    "<domain><graphics passwd='&" SECRET ";'/></domain>",
	    "<domain>&#x" SECRET ";</domain>",
	    "<domain><?" SECRET "+x?></domain>",
	    "<domain><?xml " SECRET "?></domain>",
	    "<domain><" SECRET "></domain>",
	    "<domain></" SECRET "></domain>",
	    "<domain><a></a " SECRET "></domain>",
	    "<domain/>" SECRET,
	    "<domain/><" SECRET "/>",
	    "<domain><x:" SECRET "/></domain>",
	    "<domain " SECRET ":a='1'/>",
	    "<domain><![CDATA[" SECRET,
	    "<domain>]]>" SECRET "</domain>",
	    SECRET "<domain/>",
	    "<?xml version='1.0' encoding='" SECRET "'?><domain/>",
	    "<?xml version='" SECRET "'?><domain/>",
	    "<?xml " SECRET "?><domain/>",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		const char *err = parse_err(docs[i]);

		assert_true(err[0] != '\0');
		/* any 4 consecutive bytes of the secret */
		for (k = 0; k + 4 <= strlen(SECRET); k++) {
			char frag[5];

			memcpy(frag, &SECRET[k], 4);
			frag[4] = '\0';
			if (strstr(err, frag) != NULL)
				fail_msg("doc %zu: reason '%s' quotes '%s'", i, err, frag);
		}
	}
#undef SECRET
}

/* libxml2 must never print: its encoders report through the process-wide handler, which is
 * why the parser refuses non-UTF-8 input and ignores encoding declarations. */
static void test_libxml2_never_writes_to_stderr(void **state)
{
	static const char *const docs[] = {
	    "<?xml version='1.0' encoding='ISO-2022-JP'?><domain>\x1b$B!!\x1b(B</domain>",
	    "<?xml version='1.0' encoding='UTF-16'?><domain/>",
	    "<?xml version='1.0' encoding='no-such-encoding'?><domain/>",
	    "<?xml version='1.0' encoding='EBCDIC-US'?><domain/>",
	    "\xff\xfe<\xd8<<",
	    "\xfe\xff\xd8<<<",
	    "<domain><name>\xff</name></domain>",
	    "<domain>&x;</domain>",
	    "<domain xmlns:a='urn:a' xmlns:a='urn:b'/>",
	    "<domain><p:x/></domain>",
	    "<domain xmlns:q='not a uri'><q:x/></domain>",
	    "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>",
	    "<domain><![CDATA[unterminated",
	    "<domain",
	};
	char path[] = "/tmp/test_domxml.stderr.XXXXXX";
	int fd = mkstemp(path), saved;
	struct stat st;
	size_t i;

	(void)state;
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fd, 2) == 2);
	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		char err[ERRLEN];
		struct vm *vm = NULL;

		(void)domxml_parse_buffer(docs[i], strlen(docs[i]), &vm, err, sizeof(err));
		vm_free(vm);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	unlink(path);
	assert_int_equal(st.st_size, 0);
}

/* ---------------------------------------------------------------- files */

struct tmp {
	char dir[PATH_MAX];
};

static int tmp_setup(void **state)
{
	struct tmp *t = xcalloc(1, sizeof(*t));

	if (tmpdir_make(t->dir, sizeof(t->dir), "test_domxml") < 0) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;

	tmpdir_remove(t->dir);
	free(t);
	return 0;
}

static char *tmp_file(const struct tmp *t, const char *name, const char *content)
{
	char *path = xasprintf("%s/%s", t->dir, name);
	FILE *f;

	if (content != NULL) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(content, f);
		assert_int_equal(fclose(f), 0);
	}
	return path;
}

static const char *file_err(const char *path, size_t max)
{
	static char err[ERRLEN];
	struct vm *vm = NULL;

	memset(err, 0, sizeof(err));
	if (domxml_parse_file(path, max, &vm, err, sizeof(err)) == 0) {
		vm_free(vm);
		fail_msg("%s: parsed, an error was expected", path);
	}
	assert_null(vm);
	return err;
}

static void test_file_parses(void **state)
{
	char *path = tmp_file(*state, "ok.xml", S("", ""));
	struct vm *vm = NULL;
	char err[ERRLEN];

	assert_int_equal(domxml_parse_file(path, 0, &vm, err, sizeof(err)), 0);
	assert_string_equal(vm->name, "vm1");
	assert_int_equal(vm->state, VM_STATE_RUNNING);
	vm_free(vm);
	free(path);
}

static void test_file_over_the_cap(void **state)
{
	char *path = tmp_file(*state, "big.xml", S("", ""));

	assert_string_equal(file_err(path, 100), "larger than 100 bytes");
	free(path);
}

static void test_file_fifo_does_not_block(void **state)
{
	char *path = tmp_file(*state, "fifo.xml", NULL);

	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10); /* a blocking open would hang the suite: die loudly instead */
	assert_string_equal(file_err(path, 0), "not a regular file");
	alarm(0);
	free(path);
}

static void test_file_symlink_rejected(void **state)
{
	char *target = tmp_file(*state, "real.xml", S("", ""));
	char *link = tmp_file(*state, "link.xml", NULL);

	assert_int_equal(symlink(target, link), 0);
	assert_contains(file_err(link, 0), "symbolic link");
	free(target);
	free(link);
}

static void test_file_directory_rejected(void **state)
{
	char *path = tmp_file(*state, "dir.xml", NULL);

	assert_int_equal(mkdir(path, 0700), 0);
	assert_string_equal(file_err(path, 0), "not a regular file");
	free(path);
}

static void test_file_missing(void **state)
{
	char *path = tmp_file(*state, "absent.xml", NULL);

	assert_string_equal(file_err(path, 0), strerror(ENOENT));
	free(path);
}

static void test_file_empty(void **state)
{
	char *path = tmp_file(*state, "empty.xml", "");

	assert_string_equal(file_err(path, 0), "is empty");
	free(path);
}

/* ---------------------------------------------------------------- secrets */

static void test_secret_not_in_error(void **state)
{
	static const char *const docs[] = {
	    S("", VNC "<cputune><vcpupin vcpu='0' cpuset='3-1'/></cputune>"),
	    S("", "<devices><graphics type='vnc' passwd='TOPSECRET></devices>"),
	    S("", "<devices><graphics type='vnc' passwd=TOPSECRET/></devices>"),
	    S("", "<devices><graphics type='vnc' passwd='TOP<SECRET'/></devices>"),
	    S("", "<devices><graphics type='vnc' passwd='TOPSECRET' passwd='x'/></devices>"),
	    S("", "<devices><graphics type='vnc' passwd='TOPSECRET&bogus;'/></devices>"),
	    S("", "<devices><graphics type='vnc' passwd='TOPSECRET'/>"),
	    S("", "<!-- TOPSECRET"),
	    S("", "<![CDATA[TOPSECRET"),
	    S("", "<?TOPSECRET"),
	    S("", "<description>TOPSECRET</nodescription>"),
	    S("", "<description>TOPSECRET&#0;</description>"),
	    S("", "<description>TOPSECRET\x01</description>"),
	    STATUS_HEAD "<domain><name>TOPSECRET</name>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		const char *err = parse_err(docs[i]);

		if (strstr(err, "TOPSECRET") != NULL || strstr(err, "SECRET") != NULL)
			fail_msg("document %zu: '%s'", i, err);
	}
	assert_string_equal(parse_err(docs[0]),
			    "cputune/vcpupin[vcpu=0]: cpuset '3-1': reversed range");
}

static void test_secret_not_in_vm(void **state)
{
	struct vm *vm = parse_ok(S("", VNC "<cputune><vcpupin vcpu='0' cpuset='1'/></cputune>"));

	(void)state;
	assert_lacks(vm->name, "TOPSECRET");
	assert_lacks(vm->uuid, "TOPSECRET");
	assert_lacks(vm->display_name, "TOPSECRET");
	assert_lacks(vm->reason, "TOPSECRET");
	assert_int_equal(vm->nvcpupins, 1);
	vm_free(vm);
}

/* ---------------------------------------------------------------- corpus */

/* here rather than with the other includes: it is the corpus section's (skip and exit logic) */
#include "corpus.h"


/* Files libvirt accepts that we refuse, and why. Everything else we refuse must be a file
 * libvirt refuses too (INDEX.tsv: libvirt-rejects). */
static const struct {
	const char *path, *why;
} allowed_rejects[] = {
    /* the inputs to `virsh define` (a directory: every file there): no <uuid>, which libvirt
     * generates and always writes (run-libvirt-qemu/ and etc-libvirt-qemu/ hold them) */
    {"libvirt-live/domains/", "no <uuid>"},
};

static bool allowed_reject(const char *rel)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(allowed_rejects); i++) {
		const char *a = allowed_rejects[i].path;
		size_t len = strlen(a);

		if (strcmp(a, rel) == 0 || (a[len - 1] == '/' && strncmp(a, rel, len) == 0))
			return true;
	}
	return false;
}

/* INDEX.tsv: path, kind, features. */
struct index {
	char *buf;
	char **path, **kind, **features;
	size_t n, cap;
};

static void index_load(const char *c, struct index *ix)
{
	char *file = xasprintf("%s/INDEX.tsv", c), *line, *save = NULL, err[ERRLEN];
	size_t len, cap2 = 0, cap3 = 0;

	memset(ix, 0, sizeof(*ix));
	if (read_file(file, 1 << 20, false, &ix->buf, &len, NULL, err, sizeof(err)) < 0)
		fail_msg("%s: %s", file, err);
	for (line = strtok_r(ix->buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		char **slot;

		if (t1 == NULL || t2 == NULL)
			continue;
		*t1 = '\0';
		*t2 = '\0';
		slot = array_push(&ix->path, &ix->n, &ix->cap, sizeof(*slot));
		*slot = line;
		ix->n--;
		slot = array_push(&ix->kind, &ix->n, &cap3, sizeof(*slot));
		*slot = t1 + 1;
		ix->n--;
		slot = array_push(&ix->features, &ix->n, &cap2, sizeof(*slot));
		*slot = t2 + 1;
	}
	free(file);
}

static const char *index_features(const struct index *ix, const char *rel)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->path[i], rel) == 0)
			return ix->features[i];
	return NULL;
}

static void index_free(struct index *ix)
{
	free(ix->path);
	free(ix->kind);
	free(ix->features);
	free(ix->buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.xml names in dir, sorted; NULL when the dir does not exist. */
static char **xml_names(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char **slot;

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		slot = array_push(&names, n, &cap, sizeof(*slot));
		*slot = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

/* Every *.xml under root/rel, recursively (symlinks not followed), appended to *paths as
 * paths relative to root. */
static void xml_walk(const char *root, const char *rel, char ***paths, size_t *n, size_t *cap)
{
	char *dir = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		fail_msg("%s: cannot open", dir);
	while ((e = readdir(d)) != NULL) {
		char *sub, *full;
		struct stat st;
		size_t len = strlen(e->d_name);

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		full = xasprintf("%s/%s", root, sub);
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			xml_walk(root, sub, paths, n, cap);
			free(sub);
		} else if (len > 4 && strcmp(e->d_name + len - 4, ".xml") == 0) {
			*(char **)array_push(paths, n, cap, sizeof(**paths)) = sub;
		} else {
			free(sub);
		}
		free(full);
	}
	closedir(d);
	free(dir);
}

struct tally {
	size_t files, parsed, rejected, libvirt_rejects, allowed, not_domain, normalized_parsed;
	bool ok;
};

/* INDEX.tsv names it something other than a domain or status file (capabilities). */
static bool index_not_domain(const struct index *ix, const char *rel)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->path[i], rel) == 0)
			return strcmp(ix->kind[i], "domain") != 0 &&
			       strcmp(ix->kind[i], "domstatus") != 0;
	return false;
}

/* Not a domain: its root element is something else (capabilities, domcapabilities, ...). */
static bool not_a_domain(const struct index *ix, const char *rel, const char *err)
{
	return index_not_domain(ix, rel) ||
	       (strncmp(err, "root element is <", 17) == 0 &&
		strncmp(err, "root element is <domain>", 24) != 0 &&
		strncmp(err, "root element is <domstatus>", 27) != 0);
}

static void corpus_file(const char *c, const struct index *ix, const char *rel, struct tally *t)
{
	char *path = xasprintf("%s/%s", c, rel), err[ERRLEN] = "";
	const char *features = index_features(ix, rel);
	bool live = strncmp(rel, "libvirt-live/", 13) == 0;
	struct vm *vm = NULL;

	t->files++;
	if (domxml_parse_file(path, 0, &vm, err, sizeof(err)) == 0) {
		t->parsed++;
		if (features && strstr(features, "role-normalized-output"))
			t->normalized_parsed++;
		vm_free(vm);
	} else {
		t->rejected++;
		if (err[0] == '\0')
			t->ok = false, print_message("%s: rejected with an empty reason\n", rel);
		if (not_a_domain(ix, rel, err)) {
			t->not_domain++;
			free(path);
			return;
		}
		if (features && strstr(features, "libvirt-rejects")) {
			t->libvirt_rejects++;
			print_message("rejected (libvirt too): %s: %s\n", rel, err);
		} else if (allowed_reject(rel)) {
			t->allowed++;
			print_message("rejected (allow-listed): %s: %s\n", rel, err);
		} else {
			t->ok = false;
			print_message("REJECTED, but libvirt accepts it: %s: %s\n", rel, err);
		}
		if (features == NULL && !live)
			t->ok = false, print_message("%s: not in INDEX.tsv\n", rel);
	}
	free(path);
}

/* Every *.xml of the corpus, wherever it sits: each parses or is refused with a reason, and a
 * domain or status file is refused only where libvirt refuses it too (or allow-listed). */
static void test_corpus_every_file(void **state)
{
	const char *c = corpus_full();
	struct tally t = {.ok = true};
	struct index ix;
	char **paths = NULL;
	size_t i, n = 0, cap = 0, normalized = 0;

	(void)state;
	index_load(c, &ix);
	for (i = 0; i < ix.n; i++)
		normalized += strstr(ix.features[i], "role-normalized-output") != NULL;
	xml_walk(c, "", &paths, &n, &cap);
	if (n > 0)
		qsort(paths, n, sizeof(*paths), cmp_str);
	for (i = 0; i < n; i++) {
		corpus_file(c, &ix, paths[i], &t);
		free(paths[i]);
	}
	free(paths);
	print_message("corpus: %zu files: %zu parsed, %zu not domain XML, %zu rejected (%zu also "
		      "by libvirt, %zu allow-listed); %zu of %zu libvirt-normalized outputs parsed\n",
		      t.files, t.parsed, t.not_domain, t.rejected - t.not_domain, t.libvirt_rejects,
		      t.allowed, t.normalized_parsed, normalized);
	index_free(&ix);
	assert_true(t.ok);
	assert_int_equal(t.files, t.parsed + t.rejected);
	assert_true(t.files > 450);
	assert_true(t.parsed > 440);
	assert_true(normalized > 100);
	/* every normalized output parses (cputune-cpuset-big-id's too: libvirt's CPU id limit) */
	assert_int_equal(t.normalized_parsed, normalized);
}


/* What libxml2 itself (the whole tree, no filter) says a file's <devices> hold: the hostdev
 * forms by mode/type, and how many PCI devices domxml must find. */
struct devforms {
	size_t hostdevs, ifaces, expect;
	char kinds[256];
};

/* Whether an <interface type='network'> was given a VF: its first <actual> is type='hostdev'. */
static bool actual_is_hostdev(xmlNodePtr n)
{
	xmlChar *type = NULL;
	bool r;

	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns == NULL &&
		    strcmp((const char *)n->name, "actual") == 0)
			break;
	if (n != NULL)
		type = xmlGetNoNsProp(n, (const xmlChar *)"type");
	r = type != NULL && strcmp((const char *)type, "hostdev") == 0;
	xmlFree(type);
	return r;
}

/* " a/b" added to f->kinds once. */
static void add_kind(struct devforms *f, const char *a, const char *b)
{
	char form[96];

	snprintf(form, sizeof(form), " %s/%s", a, b);
	if (strstr(f->kinds, form) == NULL && strlen(f->kinds) + strlen(form) < sizeof(f->kinds))
		strcat(f->kinds, form);
}

static void count_device(xmlNodePtr n, struct devforms *f)
{
	xmlChar *mode = xmlGetNoNsProp(n, (const xmlChar *)"mode");
	xmlChar *type = xmlGetNoNsProp(n, (const xmlChar *)"type");
	const char *m = mode ? (const char *)mode : "subsystem",
		   *t = type ? (const char *)type : "-";

	if (strcmp((const char *)n->name, "interface") == 0) {
		if (strcmp(t, "hostdev") == 0)
			f->ifaces++, f->expect++, add_kind(f, "interface", "hostdev");
		else if (strcmp(t, "network") == 0 && actual_is_hostdev(n))
			f->ifaces++, f->expect++, add_kind(f, "interface", "network+actual");
	} else {
		f->hostdevs++;
		if (strcmp(m, "subsystem") == 0 &&
		    (strcmp(t, "pci") == 0 || strcmp(t, "mdev") == 0))
			f->expect++;
		add_kind(f, m, t);
	}
	xmlFree(mode);
	xmlFree(type);
}

static void count_forms(const char *path, struct devforms *f)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
						    XML_PARSE_NOWARNING);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, dom = root, n;

	memset(f, 0, sizeof(*f));
	if (root != NULL && strcmp((const char *)root->name, "domain") != 0 &&
	    strcmp((const char *)root->name, "domstatus") != 0)
		dom = NULL; /* capabilities and friends list hostdev support, not devices */
	if (root != NULL && strcmp((const char *)root->name, "domstatus") == 0)
		for (dom = root->children; dom && !(dom->type == XML_ELEMENT_NODE &&
						    strcmp((const char *)dom->name, "domain") == 0);
		     dom = dom->next)
			;
	for (n = dom ? dom->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "devices") == 0)
			break;
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns == NULL &&
		    (strcmp((const char *)n->name, "hostdev") == 0 ||
		     strcmp((const char *)n->name, "interface") == 0))
			count_device(n, f);
	xmlFreeDoc(doc);
}

/* What a walk over files with hostdev forms found (test_corpus_hostdev_forms and
 * test_libvirt_hostdev_forms). */
struct hdwalk {
	size_t files, parsed, hostdevs, ifaces, devs, rejected;
	bool ok;
};

/* One file: when libxml2 sees a hostdev form in it, it parses with exactly the PCI devices
 * count_forms() counts, or is rejected with a reason; expected(rel, err) says whether a
 * rejection is one we mean (NULL: any rejection with a reason is). One line per file. */
static void hostdev_file(const char *root, const char *rel,
			 bool (*expected)(const char *rel, const char *err), struct hdwalk *w)
{
	char *path = xasprintf("%s/%s", root, rel), err[ERRLEN] = "";
	struct vm *vm = NULL;
	struct devforms f;

	count_forms(path, &f);
	if (f.hostdevs + f.ifaces == 0) {
		free(path);
		return;
	}
	w->files++;
	w->hostdevs += f.hostdevs;
	w->ifaces += f.ifaces;
	if (domxml_parse_file(path, 0, &vm, err, sizeof(err)) == 0) {
		w->parsed++;
		w->devs += vm->ndevs;
		print_message("hostdev: %s:%s, %zu interface(s): %zu PCI device(s)\n", rel, f.kinds,
			      f.ifaces, vm->ndevs);
		if (vm->ndevs != f.expect)
			w->ok = false, print_message("  expected %zu\n", f.expect);
		vm_free(vm);
	} else {
		w->rejected++;
		print_message("hostdev: %s: rejected: %s\n", rel, err);
		if (err[0] == '\0')
			w->ok = false, print_message("  rejected without a reason\n");
		else if (expected != NULL && !expected(rel, err))
			w->ok = false, print_message("  NOT an expected rejection\n");
	}
	free(path);
}

/* Every *.xml under root through hostdev_file(), in name order. */
static void hostdev_walk(const char *root, bool (*expected)(const char *rel, const char *err),
			 struct hdwalk *w)
{
	char **paths = NULL;
	size_t i, n = 0, cap = 0;

	xml_walk(root, "", &paths, &n, &cap);
	if (n > 0)
		qsort(paths, n, sizeof(*paths), cmp_str);
	for (i = 0; i < n; i++) {
		hostdev_file(root, paths[i], expected, w);
		free(paths[i]);
	}
	free(paths);
}

static void hostdev_summary(const char *what, const struct hdwalk *w)
{
	print_message("%s: %zu files, %zu <hostdev> and %zu hostdev <interface> elements: %zu "
		      "files parsed (%zu PCI devices), %zu rejected with a reason\n",
		      what, w->files, w->hostdevs, w->ifaces, w->parsed, w->devs, w->rejected);
}

/* Every hostdev form of the corpus: a file with a <hostdev> or a hostdev <interface> parses
 * with exactly the PCI devices (pci, mdev, interface type='hostdev', a network's VF in <actual
 * type='hostdev'>) libxml2 sees in it, or is rejected with a reason. */
static void test_corpus_hostdev_forms(void **state)
{
	const char *c = corpus_full();
	struct hdwalk w = {.ok = true};

	(void)state;
	hostdev_walk(c, NULL, &w);
	hostdev_summary("corpus hostdev forms", &w);
	assert_true(w.ok);
	assert_true(w.files > 0);
}

/* ---------------------------------------------------------------- libvirt's hostdev forms */

/* libvirt's own test domains we refuse, and the start of our reason (fixtures/hostdev-forms/
 * README.md). They are inputs to `virsh define` or libvirt's own error cases: libvirt makes up
 * a <uuid> and 1 vCPU when they are missing and writes both into every file it keeps, so the
 * files numatopd reads always have them; out is the file libvirt wrote from the same input
 * (NULL: libvirt refuses the input too, or its test keeps no output), and it must parse. */
#define CONF	"libvirt/tests/qemuxmlconfdata/"
#define MEMLOCK "libvirt/tests/qemumemlockdata/"
static const struct {
	const char *path, *why, *out;
} hostdev_rejects[] = {
    {MEMLOCK "qemumemlock-pc-hardlimit+hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pc-hardlimit+locked+hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pc-hostdev-nvme.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pc-hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pc-locked+hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pseries-hardlimit+hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pseries-hardlimit+locked+hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pseries-hostdev.xml", "domain: missing <uuid>", NULL},
    {MEMLOCK "qemumemlock-pseries-locked+hostdev.xml", "domain: missing <uuid>", NULL},
    {CONF "hostdev-mdev-src-address-invalid.xml",
     "devices/hostdev[1]: missing <source><address uuid>", NULL},
    {CONF "hostdev-vfio-zpci-autogenerate-fids.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci-autogenerate-fids.s390x-latest.xml"},
    {CONF "hostdev-vfio-zpci-autogenerate-uids.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci-autogenerate-uids.s390x-latest.xml"},
    {CONF "hostdev-vfio-zpci-autogenerate.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci-autogenerate.s390x-latest.xml"},
    {CONF "hostdev-vfio-zpci-boundaries.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci-boundaries.s390x-latest.xml"},
    {CONF "hostdev-vfio-zpci-ccw-memballoon.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci-ccw-memballoon.s390x-latest.xml"},
    {CONF "hostdev-vfio-zpci-duplicate.xml", "domain: missing <vcpu>", NULL},
    {CONF "hostdev-vfio-zpci-invalid-uid-valid-fid.xml", "domain: missing <vcpu>", NULL},
    {CONF "hostdev-vfio-zpci-multidomain-many.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci-multidomain-many.s390x-latest.xml"},
    {CONF "hostdev-vfio-zpci-set-zero.xml", "domain: missing <vcpu>", NULL},
    {CONF "hostdev-vfio-zpci-uid-set-zero.xml", "domain: missing <vcpu>", NULL},
    {CONF "hostdev-vfio-zpci.xml", "domain: missing <vcpu>",
     CONF "hostdev-vfio-zpci.s390x-latest.xml"},
    {CONF "virtio-non-transitional.xml", "domain: missing <vcpu>",
     CONF "virtio-non-transitional.x86_64-latest.xml"},
    {CONF "virtio-transitional.xml", "domain: missing <vcpu>",
     CONF "virtio-transitional.x86_64-latest.xml"},
};
#undef CONF
#undef MEMLOCK

static bool hostdev_reject_expected(const char *rel, const char *err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostdev_rejects); i++)
		if (strcmp(hostdev_rejects[i].path, rel) == 0)
			return strncmp(err, hostdev_rejects[i].why,
				       strlen(hostdev_rejects[i].why)) == 0;
	return false;
}

/* The libvirt-written form of each refused input parses, with its devices. */
static void hostdev_outputs_parse(const char *root)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostdev_rejects); i++) {
		char *path, err[ERRLEN] = "";
		struct vm *vm = NULL;
		struct devforms f;

		if (hostdev_rejects[i].out == NULL)
			continue;
		path = xasprintf("%s/%s", root, hostdev_rejects[i].out);
		count_forms(path, &f);
		if (domxml_parse_file(path, 0, &vm, err, sizeof(err)) < 0)
			fail_msg("%s: %s", hostdev_rejects[i].out, err);
		assert_true(f.hostdevs + f.ifaces > 0);
		assert_int_equal(vm->ndevs, f.expect);
		vm_free(vm);
		free(path);
	}
}

/* Every libvirt test domain with a hostdev form (fixtures/hostdev-forms: libvirt v10.7.0's
 * tests/, 151 files): each parses with exactly the PCI and mdev devices count_forms() counts,
 * or is refused with the reason hostdev_rejects names for it. */
static void test_libvirt_hostdev_forms(void **state)
{
	const char *fx = getenv("FIXTURES");
	char *root;
	struct hdwalk w = {.ok = true};

	(void)state;
	assert_non_null(fx);
	root = xasprintf("%s/hostdev-forms", fx);
	hostdev_walk(root, hostdev_reject_expected, &w);
	hostdev_summary("libvirt hostdev forms", &w);
	hostdev_outputs_parse(root);
	free(root);
	assert_true(w.ok);
	assert_int_equal(w.files, 151);
	assert_int_equal(w.rejected, ARRAY_SIZE(hostdev_rejects));
}

static void print_set(FILE *f, const char *label, const struct cpuset *s)
{
	char *t = s != NULL ? cpuset_format(s) : xstrdup("-");

	fprintf(f, " %s=%s", label, t);
	free(t);
}

/* One line per NUMA-relevant value, for comparing two parses; cells, pins and memnodes by
 * id, since libvirt writes cells sorted by id whatever the input order. */
static char *summary(const struct vm *vm)
{
	char *buf = NULL, label[32];
	size_t len = 0, i;
	unsigned id;
	FILE *f = open_memstream(&buf, &len);

	fprintf(f, "vcpu %u/%u auto %d memauto %d mode %s mem %llu cur %llu hp %d",
		vm->vcpu_current, vm->vcpu_max, vm->vcpu_placement_auto, vm->mem_placement_auto,
		mem_mode_name(vm->mem_mode), (unsigned long long)vm->memory,
		(unsigned long long)vm->current_memory, vm->hugepages);
	print_set(f, "cpuset", vm->vcpu_cpuset);
	print_set(f, "emulator", vm->emulatorpin);
	print_set(f, "nodeset", vm->mem_nodeset);
	for (id = 0; id < VM_MAX_VCPUS; id++) {
		for (i = 0; i < vm->nvcpupins; i++) {
			if (vm->vcpupins[i].id != id)
				continue;
			snprintf(label, sizeof(label), "pin%u", id);
			print_set(f, label, vm->vcpupins[i].cpus);
		}
		for (i = 0; i < vm->ncells; i++) {
			if (vm->cells[i].id != id)
				continue;
			snprintf(label, sizeof(label), "cell%u", id);
			print_set(f, label, vm->cells[i].cpus);
			fprintf(f, "/%llu", (unsigned long long)vm->cells[i].memory);
		}
		for (i = 0; i < vm->nmemnodes; i++) {
			if (vm->memnodes[i].cellid != id)
				continue;
			snprintf(label, sizeof(label), "memnode%u", id);
			print_set(f, label, vm->memnodes[i].nodeset);
			fprintf(f, "/%s", mem_mode_name(vm->memnodes[i].mode));
		}
	}
	for (i = 0; i < vm->nmemdevs; i++)
		fprintf(f, " dev=%llu@%d", (unsigned long long)vm->memdevs[i].size,
			vm->memdevs[i].node);
	for (i = 0; i < vm->ndevs; i++) {
		char a[PCI_ADDR_STRLEN];

		pci_addr_format(&vm->devs[i].addr, a);
		fprintf(f, " %s=%s", vm->devs[i].kind == DEV_KIND_MDEV ? "mdev" : "pci",
			vm->devs[i].kind == DEV_KIND_MDEV ? vm->devs[i].uuid : a);
	}
	for (i = 0; i < vm->npages; i++) {
		fprintf(f, " page=%llu", (unsigned long long)vm->pages[i].size_kib);
		print_set(f, "for", vm->pages[i].nodeset);
	}
	fclose(f);
	return buf;
}

/* Pairs where libvirt's output differs from its input on purpose. */
static const char *const known_differences[] = {
    /* the QEMU driver adds the vCPUs no cell names to cell 0 (qemuDomainDefNumaCPUsRectify);
     * that is a driver fix-up, not parsing, and the status file shows its result */
    "numavcpus-topology-mismatch.x86_64-latest.xml",
};

static bool known_difference(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_differences); i++)
		if (strcmp(known_differences[i], name) == 0)
			return true;
	return false;
}

/* libvirt parsed each test input and wrote NAME.x86_64-latest.xml: our reading of both must
 * agree, implied placements included (only id and an added <numatune> may differ). */
static void test_corpus_inputs_agree_with_libvirt_outputs(void **state)
{
	const char *c = corpus_full();
	char *dir = xasprintf("%s/libvirt/tests/qemuxmlconfdata", c);
	size_t n, i, pairs = 0;
	char **names = xml_names(dir, &n);
	bool ok = true;

	(void)state;
	for (i = 0; i < n; i++) {
		const char *suffix = ".x86_64-latest.xml";
		size_t len = strlen(names[i]), sl = strlen(suffix);
		char *in, *out, err[ERRLEN], *a, *b;
		struct vm *vi = NULL, *vo = NULL;

		if (len <= sl || strcmp(names[i] + len - sl, suffix) != 0)
			continue;
		in = xasprintf("%s/%.*s.xml", dir, (int)(len - sl), names[i]);
		out = xasprintf("%s/%s", dir, names[i]);
		if (domxml_parse_file(in, 0, &vi, err, sizeof(err)) == 0 &&
		    domxml_parse_file(out, 0, &vo, err, sizeof(err)) == 0) {
			pairs++;
			a = summary(vi);
			b = summary(vo);
			if (strcmp(a, b) != 0 && !known_difference(names[i]))
				ok = false,
				print_message("%s:\n  in : %s\n  out: %s\n", names[i], a, b);
			free(a);
			free(b);
		}
		vm_free(vi);
		vm_free(vo);
		free(in);
		free(out);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	print_message("%zu input/output pairs compared\n", pairs);
	assert_true(pairs > 100);
	assert_true(ok);
}

/* ---------------------------------------------------------------- libvirt-live */

static struct vm *live(const char *rel)
{
	const char *c = corpus_some();
	char *path = xasprintf("%s/libvirt-live/%s", c, rel), err[ERRLEN];
	struct vm *vm = NULL;

	if (domxml_parse_file(path, 0, &vm, err, sizeof(err)) < 0)
		fail_msg("%s: %s", path, err);
	free(path);
	return vm;
}

static void assert_tid(const struct vm *vm, size_t i, unsigned id, uint64_t tid)
{
	assert_true(i < vm->ntids);
	assert_int_equal(vm->tids[i].id, id);
	assert_int_equal(vm->tids[i].tid, tid);
}

static void assert_pin(const struct vm *vm, size_t i, unsigned id, const char *cpus)
{
	assert_true(i < vm->nvcpupins);
	assert_int_equal(vm->vcpupins[i].id, id);
	assert_set(vm->vcpupins[i].cpus, cpus);
}

static void test_live_lab_pinned(void **state)
{
	struct vm *vm = live("run-libvirt-qemu/lab-pinned.xml");

	(void)state;
	assert_string_equal(vm->name, "lab-pinned");
	assert_string_equal(vm->uuid, "ffc905f8-9166-451b-958d-33ee31c445e3");
	assert_true(vm->is_status);
	assert_int_equal(vm->state, VM_STATE_RUNNING);
	assert_string_equal(vm->reason, "booted");
	assert_int_equal(vm->id, 2);
	assert_int_equal(vm->pid, 7967);
	assert_int_equal(vm->vcpu_max, 2);
	assert_set(vm->vcpu_cpuset, "0-1");
	assert_int_equal(vm->nvcpupins, 2);
	assert_pin(vm, 0, 0, "1"); /* the live pinning, not the config's */
	assert_pin(vm, 1, 1, "0");
	assert_set(vm->emulatorpin, "1");
	assert_true(vm->has_numatune_memory);
	assert_int_equal(vm->mem_mode, MEM_MODE_STRICT);
	assert_set(vm->mem_nodeset, "0");
	assert_int_equal(vm->ntids, 2);
	assert_tid(vm, 0, 0, 7973);
	assert_tid(vm, 1, 1, 7974);
	assert_int_equal(vm->memory, 67108864ull);
	assert_lacks(vm->name, "SCRUBBED"); /* the VNC password's stand-in */
	assert_lacks(vm->reason, "SCRUBBED");
	vm_free(vm);
}

static void test_live_lab_pinned_config(void **state)
{
	struct vm *vm = live("etc-libvirt-qemu/lab-pinned.xml");

	(void)state;
	assert_false(vm->is_status);
	assert_int_equal(vm->state, VM_STATE_DEFINED);
	assert_int_equal(vm->id, -1);
	assert_int_equal(vm->pid, 0);
	assert_int_equal(vm->ntids, 0);
	assert_int_equal(vm->nvcpupins, 2);
	assert_pin(vm, 0, 0, "0");
	assert_pin(vm, 1, 1, "0");
	assert_set(vm->emulatorpin, "0");
	assert_set(vm->mem_nodeset, "0");
	vm_free(vm);
}

static void test_live_lab_cpuset(void **state)
{
	struct vm *vm = live("run-libvirt-qemu/lab-cpuset.xml");

	(void)state;
	assert_int_equal(vm->id, 3);
	assert_int_equal(vm->vcpu_max, 2);
	assert_int_equal(vm->vcpu_current, 2); /* setvcpus 2 --live dropped current='1' */
	assert_true(vm->has_vcpus_list);
	assert_int_equal(vm->nvcpus, 2);
	assert_int_equal(vm->vcpus[0].id, 0);
	assert_true(vm->vcpus[0].enabled);
	assert_int_equal(vm->vcpus[1].id, 1);
	assert_true(vm->vcpus[1].enabled);
	assert_set(vm->vcpu_cpuset, "1");
	assert_int_equal(vm->nvcpupins, 0);
	assert_int_equal(vm->mem_mode, MEM_MODE_PREFERRED);
	assert_set(vm->mem_nodeset, "0");
	assert_int_equal(vm->ntids, 2);
	assert_tid(vm, 0, 0, 8005);
	assert_tid(vm, 1, 1, 8986);
	vm_free(vm);
}

static void test_live_lab_cpuset_config_keeps_current(void **state)
{
	struct vm *vm = live("etc-libvirt-qemu/lab-cpuset.xml");

	(void)state;
	assert_int_equal(vm->vcpu_max, 2);
	assert_int_equal(vm->vcpu_current, 1);
	assert_false(vm->has_vcpus_list);
	vm_free(vm);
}

static void test_live_lab_guestnuma(void **state)
{
	struct vm *vm = live("run-libvirt-qemu/lab-guestnuma.xml");

	(void)state;
	assert_int_equal(vm->ncells, 2);
	assert_int_equal(vm->cells[0].id, 0);
	assert_set(vm->cells[0].cpus, "0");
	assert_int_equal(vm->cells[0].memory, 33554432ull);
	assert_int_equal(vm->cells[1].id, 1);
	assert_set(vm->cells[1].cpus, "1");
	assert_int_equal(vm->cells[1].memory, 33554432ull);
	assert_int_equal(vm->nmemnodes, 2);
	assert_int_equal(vm->memnodes[0].cellid, 0);
	assert_int_equal(vm->memnodes[0].mode, MEM_MODE_STRICT);
	assert_set(vm->memnodes[0].nodeset, "0");
	assert_int_equal(vm->memnodes[1].cellid, 1);
	assert_int_equal(vm->memnodes[1].mode, MEM_MODE_INTERLEAVE);
	assert_set(vm->memnodes[1].nodeset, "0");
	assert_int_equal(vm->mem_mode, MEM_MODE_STRICT);
	assert_set(vm->mem_nodeset, "0");
	assert_pin(vm, 0, 0, "0");
	assert_pin(vm, 1, 1, "1");
	assert_set(vm->emulatorpin, "0-1");
	assert_tid(vm, 0, 0, 8019);
	assert_tid(vm, 1, 1, 8020);
	vm_free(vm);
}

static void test_live_lab_huge(void **state)
{
	struct vm *vm = live("run-libvirt-qemu/lab-huge.xml");

	(void)state;
	assert_true(vm->hugepages);
	assert_int_equal(vm->npages, 1);
	assert_int_equal(vm->pages[0].size_kib, 2048);
	assert_set(vm->pages[0].nodeset, "0");
	assert_int_equal(vm->mem_mode, MEM_MODE_RESTRICTIVE);
	assert_set(vm->mem_nodeset, "0");
	assert_set(vm->vcpu_cpuset, "0");
	assert_int_equal(vm->ncells, 1);
	assert_int_equal(vm->cells[0].memory, 67108864ull);
	assert_int_equal(vm->ntids, 1);
	assert_tid(vm, 0, 0, 10592);
	vm_free(vm);
}

static void test_live_lab_auto(void **state)
{
	struct vm *vm = live("run-libvirt-qemu/lab-auto.xml");

	(void)state;
	assert_int_equal(vm->id, 9);
	assert_true(vm->vcpu_placement_auto);
	assert_null(vm->vcpu_cpuset);
	assert_true(vm->has_numatune_memory);
	assert_true(vm->mem_placement_auto);
	assert_null(vm->mem_nodeset);
	assert_int_equal(vm->mem_mode, MEM_MODE_STRICT);
	assert_set(vm->numad_nodeset, "0");
	assert_set(vm->numad_cpuset, "0-1");
	assert_tid(vm, 0, 0, 10931);
	vm_free(vm);
}

static void test_live_lab_nopin(void **state)
{
	struct vm *vm = live("run-libvirt-qemu/lab-nopin.xml");

	(void)state;
	assert_int_equal(vm->vcpu_max, 1);
	assert_false(vm->vcpu_placement_auto);
	assert_null(vm->vcpu_cpuset);
	assert_int_equal(vm->nvcpupins, 0);
	assert_null(vm->emulatorpin);
	assert_int_equal(vm->niothreadpins, 0);
	assert_false(vm->has_numatune_memory);
	assert_false(vm->mem_placement_auto);
	assert_null(vm->mem_nodeset);
	assert_int_equal(vm->nmemnodes, 0);
	assert_int_equal(vm->ncells, 0);
	assert_null(vm->numad_nodeset);
	assert_false(vm->hugepages);
	assert_int_equal(vm->ntids, 1);
	assert_tid(vm, 0, 0, 10013);
	vm_free(vm);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_domain_minimal),
	    cmocka_unit_test(test_status_file_with_leading_comment),
	    cmocka_unit_test(test_status_states),
	    cmocka_unit_test(test_state_and_mode_names),
	    cmocka_unit_test(test_vm_free_null),
	    cmocka_unit_test(test_uuid_trimmed_and_id_minus_one),
	    cmocka_unit_test(test_uuid_normalised_as_libvirt_parses_it),
	    cmocka_unit_test(test_predefined_entities_and_char_refs),
	    cmocka_unit_test(test_foreign_namespace_elements_ignored),
	    cmocka_unit_test(test_vcpu_attributes),
	    cmocka_unit_test(test_vcpu_placement_auto_implies_memory_auto),
	    cmocka_unit_test(test_vcpus_hotplug_list),
	    cmocka_unit_test(test_vcpus_empty_list_ignored),
	    cmocka_unit_test(test_private_cpu_and_vcpus_not_the_domains),
	    cmocka_unit_test(test_cputune_pins),
	    cmocka_unit_test(test_repeated_element_caps),
	    cmocka_unit_test(test_repeated_elements_bounded_by_what_they_name),
	    cmocka_unit_test(test_cpusets_allow_the_whole_host_cpu_range),
	    cmocka_unit_test(test_numatune_memory_modes),
	    cmocka_unit_test(test_numatune_placement_auto_drops_nodeset),
	    cmocka_unit_test(test_numatune_auto_with_nothing_pinned_makes_vcpus_auto),
	    cmocka_unit_test(test_numatune_placement_implied_by_vcpu_auto),
	    cmocka_unit_test(test_numatune_nodeset_with_vcpu_auto_stays_static),
	    cmocka_unit_test(test_numatune_without_nodeset_and_static_vcpus),
	    cmocka_unit_test(test_memnodes),
	    cmocka_unit_test(test_numad_is_a_sibling_of_domain),
	    cmocka_unit_test(test_numad_nodeset_only),
	    cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_memory_devices),
	    cmocka_unit_test(test_memory_and_current_memory_units),
	    cmocka_unit_test(test_hugepages_without_page),
	    cmocka_unit_test(test_hugepages_pages),
	    cmocka_unit_test(test_memory_backing_without_hugepages),
	    cmocka_unit_test(test_nova_name_1_1),
	    cmocka_unit_test(test_nova_name_other_prefix_and_version),
	    cmocka_unit_test(test_nova_prefix_in_foreign_namespace_ignored),
	    cmocka_unit_test(test_unread_parts_do_not_hide_read_ones),
	    cmocka_unit_test(test_unread_parts_are_still_checked),
	    cmocka_unit_test(test_hostdev_address_numbers),
	    cmocka_unit_test(test_hostdev_address_errors),
	    cmocka_unit_test(test_hostdev_forms),
	    cmocka_unit_test(test_hostdev_errors),
	    cmocka_unit_test(test_network_pool_vf),
	    cmocka_unit_test(test_network_pool_vf_errors),
	    cmocka_unit_test(test_hostdev_parts_not_built),
	    cmocka_unit_test(test_rejections_exact_reasons),
	    cmocka_unit_test(test_xxe_rejected),
	    cmocka_unit_test(test_billion_laughs_rejected_fast),
	    cmocka_unit_test(test_external_dtd_rejected),
	    cmocka_unit_test(test_parameter_entities_rejected),
	    cmocka_unit_test(test_truncated_document),
	    cmocka_unit_test(test_deep_nesting_fails_cleanly),
	    cmocka_unit_test(test_nesting_under_the_limit_parses),
	    cmocka_unit_test(test_nesting_limit_is_exact),
	    cmocka_unit_test(test_xml_errors_mapped_by_code),
	    cmocka_unit_test(test_xmlsafe_filter_prunes_subtrees),
	    cmocka_unit_test(test_nul_byte),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_valid_utf8_names),
	    cmocka_unit_test(test_empty_and_blank_input),
	    cmocka_unit_test(test_buffer_over_the_default_cap),
	    cmocka_unit_test(test_libxml2_reason_quotes_no_names),
	    cmocka_unit_test(test_libxml2_errors_never_quote_content),
	    cmocka_unit_test(test_libxml2_never_writes_to_stderr),
	    T(test_file_parses),
	    T(test_file_over_the_cap),
	    T(test_file_fifo_does_not_block),
	    T(test_file_symlink_rejected),
	    T(test_file_directory_rejected),
	    T(test_file_missing),
	    T(test_file_empty),
	    cmocka_unit_test(test_secret_not_in_error),
	    cmocka_unit_test(test_secret_not_in_vm),
	    cmocka_unit_test(test_corpus_every_file),
	    cmocka_unit_test(test_corpus_hostdev_forms),
	    cmocka_unit_test(test_libvirt_hostdev_forms),
	    cmocka_unit_test(test_corpus_inputs_agree_with_libvirt_outputs),
	    cmocka_unit_test(test_live_lab_pinned),
	    cmocka_unit_test(test_live_lab_pinned_config),
	    cmocka_unit_test(test_live_lab_cpuset),
	    cmocka_unit_test(test_live_lab_cpuset_config_keeps_current),
	    cmocka_unit_test(test_live_lab_guestnuma),
	    cmocka_unit_test(test_live_lab_huge),
	    cmocka_unit_test(test_live_lab_auto),
	    cmocka_unit_test(test_live_lab_nopin),
	};
#undef T

	return corpus_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
