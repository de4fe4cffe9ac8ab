/* test_alarm.c: the notification rules without Net-SNMP: raise and clear per node and per
 * hugepage row, hold-down, startup, rows that vanish, source health, master return, the queue. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/alarm.h"
#include "core/util.h"

#define GIB (1024ULL * 1024 * 1024)

/* Nodes 0 and 4 (8 CPUs, 16 GiB each), hugepage rows (0, 2M), (0, 1G), (4, 2M); nothing over,
 * sources ok. Rows live in the struct, so a test edits them in place. */
struct host {
	struct node_row nodes[2];
	struct huge_row huges[3];
	struct model m;
};

static const struct alarm_config plain = {0, true};

static void host_init(struct host *h)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < 2; i++)
		h->nodes[i] = (struct node_row){.id = i ? 4 : 0,
						.cpu_capacity = 8,
						.cpu_limit = 8,
						.vcpus_bound = 2,
						.cpu_headroom = 6,
						.mem_total = 16 * GIB,
						.mem_limit = 14 * GIB,
						.mem_used = 4 * GIB,
						.mem_headroom = 10 * (int64_t)GIB};
	h->huges[0] = (struct huge_row){.node = 0, .size_kib = 2048, .total = 1024};
	h->huges[1] = (struct huge_row){.node = 0, .size_kib = 1048576, .total = 2};
	h->huges[2] = (struct huge_row){.node = 4, .size_kib = 2048, .total = 512};
	h->m.nodes = h->nodes;
	h->m.nnodes = 2;
	h->m.huges = h->huges;
	h->m.nhuges = 3;
	h->m.source_status = SOURCE_OK;
}

/* Node 4 takes 10 vCPUs on 8 CPUs. */
static void cpu_over(struct host *h, bool over)
{
	h->nodes[1].cpu_over = over;
	h->nodes[1].vcpus_bound = over ? 10 : 8;
	h->nodes[1].cpu_headroom = over ? -2 : 0;
}

static struct alarm_events ev;

static size_t update(struct alarm_state *s, struct host *h, uint64_t ms,
		     const struct alarm_config *cfg)
{
	ev.n = 0;
	alarm_update(s, &h->m, ms, (uint32_t)(ms / 10), cfg, &ev);
	return ev.n;
}

static int teardown(void **state)
{
	(void)state;
	alarm_events_free(&ev);
	return 0;
}

static void cpu_raise_then_clear_with_values_after_the_change(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	assert_int_equal(update(s, &h, 0, &plain), 0);
	cpu_over(&h, true);
	assert_int_equal(update(s, &h, 1000, &plain), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_CPU);
	assert_true(ev.ev[0].raise);
	assert_false(ev.ev[0].replay);
	assert_int_equal(ev.ev[0].node.id, 4);
	assert_int_equal(ev.ev[0].node.cpu_capacity, 8);
	assert_int_equal(ev.ev[0].node.vcpus_bound, 10);
	assert_int_equal(ev.ev[0].node.cpu_headroom, -2);
	assert_null(ev.ev[0].node.cpulist);
	assert_int_equal(ev.ev[0].ticks, 100);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 1);
	assert_string_equal(alarm_event_name(&ev.ev[0]), "numaNodeCpuOversubscription");
	/* still over: nothing more */
	assert_int_equal(update(s, &h, 2000, &plain), 0);
	cpu_over(&h, false);
	assert_int_equal(update(s, &h, 3000, &plain), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_CPU);
	assert_false(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].node.id, 4);
	assert_int_equal(ev.ev[0].node.vcpus_bound, 8);
	assert_int_equal(ev.ev[0].node.cpu_headroom, 0);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 2);
	assert_int_equal(update(s, &h, 4000, &plain), 0);
	alarm_free(s);
}

static void mem_and_each_hugepage_row_are_separate_conditions(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	update(s, &h, 0, &plain);
	h.nodes[0].mem_over = true;
	h.nodes[0].mem_used = 15 * GIB;
	h.huges[1].over = true;
	h.huges[1].demand = 3;
	assert_int_equal(update(s, &h, 100, &plain), 2);
	assert_int_equal(ev.ev[0].kind, ALARM_MEM);
	assert_int_equal(ev.ev[0].node.id, 0);
	assert_int_equal(ev.ev[0].node.mem_used, 15 * GIB);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 3);
	assert_int_equal(ev.ev[1].kind, ALARM_HUGE);
	assert_true(ev.ev[1].raise);
	assert_int_equal(ev.ev[1].huge.node, 0);
	assert_int_equal(ev.ev[1].huge.size_kib, 1048576);
	assert_int_equal(ev.ev[1].huge.total, 2);
	assert_int_equal(ev.ev[1].huge.demand, 3);
	assert_int_equal(alarm_event_subid(&ev.ev[1]), 5);
	/* the 2M row of the same node is another condition */
	h.huges[0].over = true;
	assert_int_equal(update(s, &h, 200, &plain), 1);
	assert_int_equal(ev.ev[0].huge.size_kib, 2048);
	h.huges[1].over = false;
	h.huges[1].demand = 2;
	assert_int_equal(update(s, &h, 300, &plain), 1);
	assert_false(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].huge.size_kib, 1048576);
	assert_int_equal(ev.ev[0].huge.demand, 2);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 6);
	alarm_free(s);
}

static void hold_down_raise_falls_due_after_the_hold(void **state)
{
	const struct alarm_config cfg = {5, true};
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	update(s, &h, 0, &cfg);
	assert_int_equal(alarm_next_due(s, 0, &cfg), UINT64_MAX);
	cpu_over(&h, true);
	assert_int_equal(update(s, &h, 1000, &cfg), 0);
	assert_int_equal(alarm_next_due(s, 1000, &cfg), 5000);
	assert_int_equal(update(s, &h, 3000, &cfg), 0);
	assert_int_equal(alarm_next_due(s, 3000, &cfg), 3000);
	assert_int_equal(alarm_next_due(s, 7000, &cfg), 0);
	assert_int_equal(update(s, &h, 6000, &cfg), 1);
	assert_true(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].ticks, 600);
	assert_int_equal(alarm_next_due(s, 6000, &cfg), UINT64_MAX);
	/* its clear is sent at once: hold-down delays raises only */
	cpu_over(&h, false);
	assert_int_equal(update(s, &h, 6100, &cfg), 1);
	assert_false(ev.ev[0].raise);
	alarm_free(s);
}

static void hold_down_condition_clearing_within_the_hold_sends_nothing(void **state)
{
	const struct alarm_config cfg = {5, true};
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	update(s, &h, 0, &cfg);
	cpu_over(&h, true);
	assert_int_equal(update(s, &h, 1000, &cfg), 0);
	cpu_over(&h, false);
	assert_int_equal(update(s, &h, 3000, &cfg), 0);
	assert_int_equal(alarm_next_due(s, 3000, &cfg), UINT64_MAX);
	assert_int_equal(update(s, &h, 60000, &cfg), 0);
	/* back again: the hold starts over */
	cpu_over(&h, true);
	assert_int_equal(update(s, &h, 61000, &cfg), 0);
	assert_int_equal(update(s, &h, 65999, &cfg), 0);
	assert_int_equal(update(s, &h, 66000, &cfg), 1);
	alarm_free(s);
}

static void startup_raises_what_is_already_true(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	cpu_over(&h, true);
	h.m.source_status = SOURCE_DEGRADED;
	h.m.invalid_files = 2;
	assert_int_equal(update(s, &h, 0, &plain), 2);
	assert_int_equal(ev.ev[0].kind, ALARM_CPU);
	assert_true(ev.ev[0].raise);
	assert_int_equal(ev.ev[1].kind, ALARM_SOURCE);
	assert_true(ev.ev[1].raise);
	assert_int_equal(ev.ev[1].source_status, SOURCE_DEGRADED);
	assert_int_equal(ev.ev[1].invalid_files, 2);
	assert_int_equal(alarm_event_subid(&ev.ev[1]), 7);
	assert_int_equal(update(s, &h, 100, &plain), 0);
	alarm_free(s);
}

static void startup_without_notify_on_startup_is_silent_until_a_new_condition(void **state)
{
	const struct alarm_config cfg = {0, false};
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	cpu_over(&h, true);
	h.m.source_status = SOURCE_DEGRADED;
	h.m.invalid_files = 1;
	assert_int_equal(update(s, &h, 0, &cfg), 0);
	/* a clear only follows a raise that was sent */
	cpu_over(&h, false);
	h.m.source_status = SOURCE_OK;
	h.m.invalid_files = 0;
	assert_int_equal(update(s, &h, 100, &cfg), 0);
	/* a condition that starts later is no startup condition */
	cpu_over(&h, true);
	assert_int_equal(update(s, &h, 200, &cfg), 1);
	assert_true(ev.ev[0].raise);
	cpu_over(&h, false);
	assert_int_equal(update(s, &h, 300, &cfg), 1);
	assert_false(ev.ev[0].raise);
	alarm_free(s);
}

static void row_that_disappears_clears_with_zero_values(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	update(s, &h, 0, &plain);
	cpu_over(&h, true);
	h.huges[2].over = true;
	h.huges[2].demand = 600;
	assert_int_equal(update(s, &h, 100, &plain), 2);
	/* node 4 and its hugepage row vanish (offlined) */
	h.m.nnodes = 1;
	h.m.nhuges = 2;
	assert_int_equal(update(s, &h, 200, &plain), 2);
	assert_int_equal(ev.ev[0].kind, ALARM_CPU);
	assert_false(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].node.id, 4);
	assert_int_equal(ev.ev[0].node.cpu_capacity, 0);
	assert_int_equal(ev.ev[0].node.vcpus_bound, 0);
	assert_int_equal(ev.ev[0].node.cpu_headroom, 0);
	assert_int_equal(ev.ev[1].kind, ALARM_HUGE);
	assert_false(ev.ev[1].raise);
	assert_int_equal(ev.ev[1].huge.node, 4);
	assert_int_equal(ev.ev[1].huge.size_kib, 2048);
	assert_int_equal(ev.ev[1].huge.total, 0);
	assert_int_equal(ev.ev[1].huge.demand, 0);
	/* it comes back, still over: a new raise */
	h.m.nnodes = 2;
	h.m.nhuges = 3;
	assert_int_equal(update(s, &h, 300, &plain), 2);
	assert_true(ev.ev[0].raise && ev.ev[1].raise);
	alarm_free(s);
}

static void source_error_per_bad_status_then_one_recovery(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	assert_int_equal(update(s, &h, 0, &plain), 0);
	h.m.source_status = SOURCE_DEGRADED;
	h.m.invalid_files = 1;
	assert_int_equal(update(s, &h, 100, &plain), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_SOURCE);
	assert_true(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].source_status, SOURCE_DEGRADED);
	assert_int_equal(ev.ev[0].invalid_files, 1);
	/* more invalid files, same status: nothing */
	h.m.invalid_files = 3;
	assert_int_equal(update(s, &h, 150, &plain), 0);
	h.m.source_status = SOURCE_UNAVAILABLE;
	h.m.invalid_files = 0;
	assert_int_equal(update(s, &h, 200, &plain), 1);
	assert_true(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].source_status, SOURCE_UNAVAILABLE);
	h.m.source_status = SOURCE_OK;
	assert_int_equal(update(s, &h, 300, &plain), 1);
	assert_false(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].source_status, SOURCE_OK);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 8);
	assert_string_equal(alarm_event_name(&ev.ev[0]), "numaSourceRecovered");
	assert_int_equal(update(s, &h, 400, &plain), 0);
	alarm_free(s);
}

static void master_back_replays_raises_sent_to_the_old_master(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	update(s, &h, 0, &plain);
	cpu_over(&h, true);
	assert_int_equal(update(s, &h, 100, &plain), 1);
	alarm_master_lost(s);
	/* raised during the outage: the caller's queue delivers it, no replay */
	h.nodes[0].mem_over = true;
	assert_int_equal(update(s, &h, 200, &plain), 1);
	ev.n = 0;
	alarm_master_back(s, &h.m, 30, &plain, &ev);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.ev[0].kind, ALARM_CPU);
	assert_true(ev.ev[0].raise);
	assert_true(ev.ev[0].replay);
	assert_int_equal(ev.ev[0].node.id, 4);
	assert_int_equal(ev.ev[0].node.vcpus_bound, 10);
	assert_int_equal(ev.ev[0].ticks, 30);
	/* once per return */
	ev.n = 0;
	alarm_master_back(s, &h.m, 40, &plain, &ev);
	assert_int_equal(ev.n, 0);
	/* without notifyOnStartup a return sends nothing */
	alarm_master_lost(s);
	ev.n = 0;
	alarm_master_back(s, &h.m, 50, &(struct alarm_config){0, false}, &ev);
	assert_int_equal(ev.n, 0);
	alarm_free(s);
}

static void unrelated_changes_send_nothing(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;
	unsigned i;

	(void)state;
	host_init(&h);
	cpu_over(&h, true);
	update(s, &h, 0, &plain);
	for (i = 0; i < 100; i++) {
		h.nodes[0].mem_free = i * GIB / 10;
		h.nodes[0].vm_count = i;
		h.nodes[1].vcpus_bound = 9 + i % 3; /* over all along */
		h.huges[0].free = i;
		h.m.nvms = i;
		assert_int_equal(update(s, &h, 100 + i, &plain), 0);
	}
	alarm_free(s);
}

static struct alarm_event tagged(uint32_t tag)
{
	struct alarm_event e;

	memset(&e, 0, sizeof(e));
	e.ticks = tag;
	return e;
}

static void queue_drops_the_oldest_when_full(void **state)
{
	struct alarm_queue q;
	struct alarm_event e;
	uint32_t i;

	(void)state;
	alarm_queue_init(&q, 3);
	for (i = 1; i <= 3; i++) {
		e = tagged(i);
		assert_false(alarm_queue_push(&q, &e));
	}
	for (i = 4; i <= 5; i++) {
		e = tagged(i);
		assert_true(alarm_queue_push(&q, &e));
	}
	assert_int_equal(alarm_queue_take_dropped(&q), 2);
	assert_int_equal(alarm_queue_take_dropped(&q), 0);
	/* peek leaves it in place (a send that fails keeps its event) */
	assert_non_null(alarm_queue_peek(&q));
	assert_int_equal(alarm_queue_peek(&q)->ticks, 3);
	for (i = 3; i <= 5; i++) {
		assert_true(alarm_queue_pop(&q, &e));
		assert_int_equal(e.ticks, i);
	}
	assert_false(alarm_queue_pop(&q, &e));
	assert_null(alarm_queue_peek(&q));
	alarm_queue_free(&q);
}

static void queue_keeps_order_across_wrap_and_growth(void **state)
{
	struct alarm_queue q;
	struct alarm_event e;
	uint32_t i, next = 0;

	(void)state;
	alarm_queue_init(&q, 100);
	for (i = 0; i < 10; i++) {
		e = tagged(i);
		alarm_queue_push(&q, &e);
	}
	for (i = 0; i < 5; i++) {
		assert_true(alarm_queue_pop(&q, &e));
		assert_int_equal(e.ticks, next++);
	}
	for (i = 10; i < 60; i++) {
		e = tagged(i);
		assert_false(alarm_queue_push(&q, &e));
	}
	while (alarm_queue_pop(&q, &e))
		assert_int_equal(e.ticks, next++);
	assert_int_equal(next, 60);
	/* a smaller bound on reload keeps the newest */
	for (i = 0; i < 5; i++) {
		e = tagged(100 + i);
		alarm_queue_push(&q, &e);
	}
	alarm_queue_set_cap(&q, 2);
	assert_int_equal(alarm_queue_take_dropped(&q), 3);
	assert_true(alarm_queue_pop(&q, &e));
	assert_int_equal(e.ticks, 103);
	assert_true(alarm_queue_pop(&q, &e));
	assert_int_equal(e.ticks, 104);
	assert_false(alarm_queue_pop(&q, &e));
	alarm_queue_free(&q);
}

static void event_names_follow_the_mib(void **state)
{
	static const struct {
		enum alarm_kind kind;
		bool raise;
		unsigned subid;
		const char *name;
	} t[] = {
	    {ALARM_CPU, true, 1, "numaNodeCpuOversubscription"},
	    {ALARM_CPU, false, 2, "numaNodeCpuOversubCleared"},
	    {ALARM_MEM, true, 3, "numaNodeMemOversubscription"},
	    {ALARM_MEM, false, 4, "numaNodeMemOversubCleared"},
	    {ALARM_HUGE, true, 5, "numaHugepageOversubscription"},
	    {ALARM_HUGE, false, 6, "numaHugepageOversubCleared"},
	    {ALARM_SOURCE, true, 7, "numaSourceError"},
	    {ALARM_SOURCE, false, 8, "numaSourceRecovered"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct alarm_event e = tagged(0);

		e.kind = t[i].kind;
		e.raise = t[i].raise;
		assert_int_equal(alarm_event_subid(&e), t[i].subid);
		assert_string_equal(alarm_event_name(&e), t[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cpu_raise_then_clear_with_values_after_the_change),
	    cmocka_unit_test(mem_and_each_hugepage_row_are_separate_conditions),
	    cmocka_unit_test(hold_down_raise_falls_due_after_the_hold),
	    cmocka_unit_test(hold_down_condition_clearing_within_the_hold_sends_nothing),
	    cmocka_unit_test(startup_raises_what_is_already_true),
	    cmocka_unit_test(startup_without_notify_on_startup_is_silent_until_a_new_condition),
	    cmocka_unit_test(row_that_disappears_clears_with_zero_values),
	    cmocka_unit_test(source_error_per_bad_status_then_one_recovery),
	    cmocka_unit_test(master_back_replays_raises_sent_to_the_old_master),
	    cmocka_unit_test(unrelated_changes_send_nothing),
	    cmocka_unit_test(queue_drops_the_oldest_when_full),
	    cmocka_unit_test(queue_keeps_order_across_wrap_and_growth),
	    cmocka_unit_test(event_names_follow_the_mib),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
