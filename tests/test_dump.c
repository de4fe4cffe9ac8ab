/* SPDX-License-Identifier: BSD-3-Clause */
/* test_dump.c: the fixture host end to end through the engine (sysfs + scan + accounting)
 * against the hand-computed fixtures/host/expected.tsv, plus the JSON encoder's escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dump.h"
#include "source/engine.h"
#include "core/log.h"
#include "core/util.h"
#include "testutil.h"

struct kv {
	char *key;
	char *val;
};

static struct kv *facts;
static size_t nfacts, capfacts;

static void fact(const char *val, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fact(const char *val, const char *fmt, ...)
{
	struct kv *f = array_push(&facts, &nfacts, &capfacts, sizeof(*facts));
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&f->key, fmt, ap) < 0)
		abort();
	va_end(ap);
	f->val = xstrdup(val);
}

static const char *u64(uint64_t v)
{
	static char buf[8][32];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%" PRIu64, v);
	return buf[i];
}

static const char *i64(int64_t v)
{
	static char buf[8][32];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%" PRId64, v);
	return buf[i];
}

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static void flatten_nodes(const struct model *m)
{
	for (size_t i = 0; i < m->nnodes; i++) {
		const struct node_row *n = &m->nodes[i];
		const char *p = xasprintf("nodes[%u]", n->id);

		fact(n->cpulist, "%s.cpus", p);
		fact(u64(n->cpu_capacity), "%s.cpu_capacity", p);
		fact(u64(n->mem_total), "%s.memory_total_bytes", p);
		fact(u64(n->mem_free), "%s.memory_free_bytes", p);
		fact(u64(n->vcpus_bound), "%s.vcpus_bound", p);
		fact(u64(n->vcpus_spanning), "%s.vcpus_spanning", p);
		fact(u64(n->mem_used), "%s.memory_used_bytes", p);
		fact(u64(n->mem_spanning), "%s.memory_spanning_bytes", p);
		fact(u64(n->vm_count), "%s.vm_count", p);
		fact(i64(n->cpu_headroom), "%s.cpu_headroom", p);
		fact(i64(n->mem_headroom), "%s.memory_headroom_bytes", p);
		fact(tf(n->cpu_over), "%s.cpu_oversubscribed", p);
		fact(tf(n->mem_over), "%s.memory_oversubscribed", p);
		fact(tf(n->huge_over), "%s.hugepages_oversubscribed", p);
		fact(tf(n->mem_known), "%s.memory_known", p);
		free((char *)p);
	}
	for (size_t i = 0; i < m->nhuges; i++) {
		const struct huge_row *h = &m->huges[i];

		fact(u64(h->total), "nodes[%u].hugepages[%" PRIu64 "].total", h->node, h->size_kib);
		fact(u64(h->free), "nodes[%u].hugepages[%" PRIu64 "].free", h->node, h->size_kib);
		fact(u64(h->demand), "nodes[%u].hugepages[%" PRIu64 "].vm_demand", h->node,
		     h->size_kib);
	}
}

static void flatten_vms(const struct model *m)
{
	for (size_t i = 0; i < m->nvms; i++) {
		const struct vm_row *v = &m->vms[i];
		char p[300];

		snprintf(p, sizeof(p), "vms[%s]", v->name);
		fact(u64(v->index), "%s.index", p);
		fact(vm_state_name(v->state), "%s.state", p);
		fact(u64(v->vcpus), "%s.vcpus", p);
		fact(u64(v->vcpus_max), "%s.vcpus_max", p);
		fact(u64(v->memory), "%s.memory_bytes", p);
		fact(u64(v->mem_devices), "%s.memory_devices_bytes", p);
		fact(u64(v->mem_persistent), "%s.memory_persistent_bytes", p);
		fact(u64(v->mem_enclave), "%s.memory_enclave_bytes", p);
		fact(placement_name(v->placement), "%s.placement", p);
		fact(mem_mode_name(v->mem_mode), "%s.memory_mode", p);
		fact(v->nodes, "%s.nodes", p);
		fact(u64(v->remote_vcpus), "%s.remote_vcpus", p);
		fact(u64(v->huge_kib), "%s.hugepage_size_kib", p);
		fact(v->emulator_cpus, "%s.emulator_cpus", p);
		fact(v->display_name, "%s.display_name", p);
		for (size_t j = model_assign_lower(m, v->index, 0);
		     j < m->nassigns && m->assigns[j].vm == v->index; j++) {
			const struct assign_row *a = &m->assigns[j];

			fact(u64(a->vcpus), "%s.assign[%u].vcpus", p, a->node);
			fact(u64(a->vcpus_spanning), "%s.assign[%u].vcpus_spanning", p, a->node);
			fact(u64(a->mem), "%s.assign[%u].memory_bytes", p, a->node);
			fact(u64(a->mem_spanning), "%s.assign[%u].memory_spanning_bytes", p,
			     a->node);
		}
		for (size_t j = model_vcpu_lower(m, v->index, 0);
		     j < m->nvcpus && m->vcpus[j].vm == v->index; j++) {
			const struct vcpu_row *c = &m->vcpus[j];

			fact(c->affinity, "%s.vcpu_pins[%u].cpus", p, c->vcpu);
			fact(c->node < 0 ? "null" : i64(c->node), "%s.vcpu_pins[%u].node", p,
			     c->vcpu);
			fact(i64(c->cell), "%s.vcpu_pins[%u].cell", p, c->vcpu);
			fact(tf(c->remote), "%s.vcpu_pins[%u].remote", p, c->vcpu);
		}
	}
	fact(u64(m->nerrors), "errors.count");
}

static const char *lookup(const char *key)
{
	for (size_t i = 0; i < nfacts; i++)
		if (!strcmp(facts[i].key, key))
			return facts[i].val;
	return NULL;
}

static void free_facts(void)
{
	for (size_t i = 0; i < nfacts; i++) {
		free(facts[i].key);
		free(facts[i].val);
	}
	free(facts);
	facts = NULL;
	nfacts = capfacts = 0;
}

static struct model *build_fixture(void)
{
	const char *fx = getenv("FIXTURES");
	struct engine_config cfg;
	struct engine *e;
	struct model *m;

	assert_non_null(fx);
	engine_config_init(&cfg);
	free(cfg.sysfs_root);
	free(cfg.xml_dir);
	cfg.sysfs_root = xasprintf("%s/host/sys", fx);
	cfg.xml_dir = xasprintf("%s/host/libvirt", fx);
	e = engine_new(&cfg);
	log_set_hook(testutil_quiet);
	m = engine_build(e, 42);
	log_set_hook(NULL);
	assert_int_equal(engine_node_count(e), 4);
	engine_free(e);
	engine_config_clear(&cfg);
	return m;
}

/* Every line of expected.tsv (hand-computed from the README's rules) holds. */
static void test_fixture_host_matches_hand_computed(void **state)
{
	char *path, line[1024];
	struct model *m;
	unsigned checked = 0, wrong = 0;
	FILE *f;

	(void)state;
	m = build_fixture();
	flatten_nodes(m);
	flatten_vms(m);
	path = xasprintf("%s/host/expected.tsv", getenv("FIXTURES"));
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *tab, *key = line, *want;
		const char *got;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		tab = strchr(line, '\t');
		if (tab == NULL)
			continue;
		*tab = '\0';
		want = tab + 1;
		want[strcspn(want, "\t#")] = '\0';
		while (*want && want[strlen(want) - 1] == ' ')
			want[strlen(want) - 1] = '\0';
		got = lookup(key);
		checked++;
		if (got == NULL || strcmp(got, want) != 0) {
			print_message("MISMATCH %s: expected '%s', got '%s'\n", key, want,
				      got ? got : "(absent)");
			wrong++;
		}
	}
	fclose(f);
	free(path);
	print_message("%u facts checked, %u wrong\n", checked, wrong);
	assert_true(checked > 100);
	assert_int_equal(wrong, 0);
	free_facts();
	model_unref(m);
}

/* The engine stamps the source scalars. */
static void test_fixture_source_scalars(void **state)
{
	struct model *m;

	(void)state;
	m = build_fixture();
	assert_int_equal(m->invalid_files, 2);
	assert_int_equal(m->parse_errors, 2);
	assert_int_equal(m->source_status, SOURCE_DEGRADED);
	assert_int_equal(m->last_refresh, 42);
	assert_int_equal(m->last_change, 42);
	model_unref(m);
}

/* Names are escaped; bytes that are not UTF-8 become U+FFFD instead of breaking JSON. */
static void test_json_escapes_names(void **state)
{
	struct vm_row v;
	struct model m;
	char *out;

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(&v, 0, sizeof(v));
	v.index = 5;
	v.file = "we\"ird\n.xml";
	v.name = "caf\xc3\xa9\\\x01";
	v.uuid = "u";
	v.display_name = "bad\xff";
	v.nodes = "";
	v.emulator_cpus = "";
	v.state = VM_STATE_RUNNING;
	v.placement = PLACEMENT_FLOATING;
	v.mem_mode = MEM_MODE_NONE;
	m.vms = &v;
	m.nvms = 1;
	out = testutil_dump_json(&m);
	assert_non_null(strstr(out, "\"file\":\"we\\\"ird\\u000a.xml\""));
	assert_non_null(strstr(out, "\"name\":\"caf\xc3\xa9\\\\\\u0001\""));
	assert_non_null(strstr(out, "\"display_name\":\"bad\\ufffd\""));
	assert_non_null(strstr(out, "\"vcpu_pins\":[]"));
	free(out);
}

/* A tenant-chosen <name> or <nova:name> with a newline (&#10;) and a file name with one keep
 * the text dump at one line per VM and per problem: control bytes print as '?'. */
static void test_text_keeps_one_line_per_row(void **state)
{
	struct vm_row v[2];
	struct problem bad = {.file = "x\n  forged.xml: fake", .reason = "line 1: \x1b[2Jcleared"};
	struct model m;
	char *out = NULL, *p;
	size_t len = 0, lines = 0;
	FILE *f;

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(v, 0, sizeof(v));
	for (int i = 0; i < 2; i++) {
		v[i].index = (uint32_t)i + 1;
		v[i].uuid = "u";
		v[i].nodes = "";
		v[i].emulator_cpus = "";
		v[i].state = VM_STATE_RUNNING;
		v[i].placement = PLACEMENT_FLOATING;
		v[i].mem_mode = MEM_MODE_NONE;
	}
	v[0].name = "evil\n         7 forged";
	v[0].display_name = "web\r\n         8 forged\x7f";
	v[1].name = "plain";
	v[1].display_name = "";
	m.vms = v;
	m.nvms = 2;
	m.errors = &bad;
	m.nerrors = 1;
	f = open_memstream(&out, &len);
	assert_non_null(f);
	dump_text(f, &m);
	fclose(f);
	assert_null(strstr(out, "\n         7 forged"));
	assert_null(strstr(out, "\n         8 forged"));
	assert_null(strstr(out, "\n  forged.xml"));
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "evil?         7 forged"));
	assert_non_null(strstr(out, "web??         8 forged?\n"));
	assert_non_null(strstr(out, "  x?  forged.xml: fake: line 1: ?[2Jcleared\n"));
	/* the VM section: its title, the header and exactly one line per VM */
	p = strstr(out, "VMs (2)");
	assert_non_null(p);
	for (; *p && strncmp(p, "\n\n", 2) != 0; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 1 + 2);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_host_matches_hand_computed),
		cmocka_unit_test(test_fixture_source_scalars),
		cmocka_unit_test(test_json_escapes_names),
		cmocka_unit_test(test_text_keeps_one_line_per_row),
	};

	return cmocka_run_group_tests_name("dump", tests, NULL, NULL);
}
