/* SPDX-License-Identifier: BSD-3-Clause */
/* test_alarm.c: the notification rules without Net-SNMP: raise and clear per node and per
 * hugepage row, hold-down, startup, rows that vanish, source health, the per-condition queue
 * and what a master that comes back is sent. */
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
	assert_true(ev.ev[0].node.mem_known); /* every object of the clear is sent, as 0 */
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

/* Node 0 memory-oversubscribed, then its meminfo cannot be read: no verdict, so the condition
 * ends; its clear carries every object (capacity and headroom 0), not a hole. */
static void mem_clear_when_memory_turns_unknown_carries_every_object(void **state)
{
	struct alarm_state *s = alarm_new();
	struct host h;

	(void)state;
	host_init(&h);
	h.nodes[0].mem_over = true;
	assert_int_equal(update(s, &h, 0, &plain), 1);
	assert_true(ev.ev[0].raise && ev.ev[0].node.mem_known);
	h.nodes[0] = (struct node_row){.id = 0, .cpu_capacity = 8, .cpu_limit = 8,
				       .mem_used = 4 * GIB, .mem_known = false};
	assert_int_equal(update(s, &h, 100, &plain), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_MEM);
	assert_false(ev.ev[0].raise);
	assert_true(ev.ev[0].node.mem_known);
	assert_int_equal(ev.ev[0].node.mem_total, 0);
	assert_int_equal(ev.ev[0].node.mem_used, 4 * GIB);
	assert_int_equal(ev.ev[0].node.mem_headroom, 0);
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

static void unrelated_changes_send_nothing(void **state)
{
	static struct vm_row vms[100]; /* VMs without remote devices: no condition */
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
		vms[i].index = i + 1;
		vms[i].state = VM_STATE_RUNNING;
		h.m.vms = vms;
		h.m.nvms = i;
		assert_int_equal(update(s, &h, 100 + i, &plain), 0);
	}
	alarm_free(s);
}

struct devhost {
	struct host h;
	struct vm_row vms[2];
	struct dev_row devs[2];
};

/* VM 31 with no device, VM 32 (running) with a local device and a remote one (ordinal 2). */
static void devhost_init(struct devhost *d)
{
	host_init(&d->h);
	d->vms[0] = (struct vm_row){
	    .index = 31, .name = "nfv-local", .uuid = "u31", .state = VM_STATE_RUNNING};
	d->vms[1] = (struct vm_row){.index = 32,
				    .name = "gpu-remote",
				    .uuid = "u32",
				    .state = VM_STATE_RUNNING,
				    .remote_devices = 1};
	d->devs[0] = (struct dev_row){
	    .vm = 32, .ord = 1, .address = "0000:3b:02.1", .kind = DEV_KIND_PCI, .node = 0};
	d->devs[1] = (struct dev_row){.vm = 32,
				      .ord = 2,
				      .address = "0000:af:00.0",
				      .kind = DEV_KIND_PCI,
				      .node = 1,
				      .remote = true};
	d->h.m.vms = d->vms;
	d->h.m.nvms = 2;
	d->h.m.devs = d->devs;
	d->h.m.ndevs = 2;
}

/* VM 32's second device remote or not (a re-pin). */
static void devhost_remote(struct devhost *d, bool remote)
{
	d->vms[1].remote_devices = remote ? 1 : 0;
	d->devs[1].remote = remote;
}

/* numaVmRemoteDevice: per VM, raised when a running VM has a remote device, with its name,
 * UUID and first remote device; cleared by a re-pin (the raise's device, its values now) and
 * when the VM stops (row gone: 0 and empty strings); a defined VM raises nothing. */
static void vm_with_remote_device_raises_and_clears(void **state)
{
	struct alarm_state *s = alarm_new();
	struct devhost d;

	(void)state;
	devhost_init(&d);
	assert_int_equal(update(s, &d.h, 0, &plain), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_DEVICE);
	assert_true(ev.ev[0].raise);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 9);
	assert_string_equal(alarm_event_name(&ev.ev[0]), "numaVmRemoteDevice");
	assert_int_equal(ev.ev[0].vm.index, 32);
	assert_int_equal(ev.ev[0].vm.remote_devices, 1);
	assert_null(ev.ev[0].vm.name); /* the event owns its strings */
	assert_string_equal(ev.ev[0].vm_name, "gpu-remote");
	assert_string_equal(ev.ev[0].vm_uuid, "u32");
	assert_int_equal(ev.ev[0].dev.ord, 2);
	assert_int_equal(ev.ev[0].dev.node, 1);
	assert_string_equal(ev.ev[0].dev_address, "0000:af:00.0");
	/* re-pinned onto node 1: cleared, the same device row with its values now */
	devhost_remote(&d, false);
	assert_int_equal(update(s, &d.h, 10, &plain), 1);
	assert_false(ev.ev[0].raise);
	assert_string_equal(alarm_event_name(&ev.ev[0]), "numaVmRemoteDeviceCleared");
	assert_int_equal(ev.ev[0].dev.ord, 2);
	assert_false(ev.ev[0].dev.remote);
	/* remote again, then the VM stops: its row is gone */
	devhost_remote(&d, true);
	assert_int_equal(update(s, &d.h, 20, &plain), 1);
	d.h.m.nvms = 1;
	d.h.m.ndevs = 0;
	assert_int_equal(update(s, &d.h, 30, &plain), 1);
	assert_false(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].vm.index, 32);
	assert_string_equal(ev.ev[0].vm_name, "");
	assert_int_equal(ev.ev[0].dev.ord, 2);
	assert_string_equal(ev.ev[0].dev_address, "");
	/* a defined (not running) VM with a remote device raises nothing */
	d.h.m.nvms = 2;
	d.h.m.ndevs = 2;
	d.vms[1].state = VM_STATE_DEFINED;
	assert_int_equal(update(s, &d.h, 40, &plain), 0);
	alarm_free(s);
}

/* numaVmRemoteDevice is held down like every raise: nothing at start, the raise once the
 * condition has held 5 s, its clear at once; a device that is remote for less than the hold
 * (re-pinned, or its VM stopped) sends nothing, neither raise nor clear. */
static void vm_remote_device_is_held_down(void **state)
{
	const struct alarm_config held = {5, true};
	struct alarm_state *s = alarm_new();
	struct devhost d;

	(void)state;
	devhost_init(&d);
	assert_int_equal(update(s, &d.h, 0, &held), 0);
	assert_int_equal(alarm_next_due(s, 0, &held), 5000);
	assert_int_equal(update(s, &d.h, 4999, &held), 0);
	assert_int_equal(update(s, &d.h, 5000, &held), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_DEVICE);
	assert_true(ev.ev[0].raise);
	assert_int_equal(ev.ev[0].vm.index, 32);
	assert_int_equal(ev.ev[0].dev.ord, 2);
	devhost_remote(&d, false); /* the clear is not held */
	assert_int_equal(update(s, &d.h, 6000, &held), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_DEVICE);
	assert_false(ev.ev[0].raise);
	/* remote for 2 s, then re-pinned */
	devhost_remote(&d, true);
	assert_int_equal(update(s, &d.h, 7000, &held), 0);
	assert_int_equal(alarm_next_due(s, 7000, &held), 5000);
	devhost_remote(&d, false);
	assert_int_equal(update(s, &d.h, 9000, &held), 0);
	assert_int_equal(alarm_next_due(s, 9000, &held), UINT64_MAX);
	assert_int_equal(update(s, &d.h, 20000, &held), 0);
	/* remote again, and the VM stops within the hold */
	devhost_remote(&d, true);
	assert_int_equal(update(s, &d.h, 21000, &held), 0);
	d.h.m.nvms = 1;
	d.h.m.ndevs = 0;
	assert_int_equal(update(s, &d.h, 22000, &held), 0);
	assert_int_equal(alarm_next_due(s, 22000, &held), UINT64_MAX);
	assert_int_equal(update(s, &d.h, 40000, &held), 0);
	alarm_free(s);
}

/* numaVmPlacementDrift: per running VM, raised by a narrowed or escaped vCPU (named in the event
 * with its actual CPUs) or stray memory over the threshold, held down like the others, cleared
 * when the drift is over; numaVmGone: raised once when the process dies, never cleared, and
 * never held by the NMS (a returning master is not told it is over). */
static void vm_drift_and_gone(void **state)
{
	struct vm_row vms[1] = {
	    {.index = 41, .name = "web", .uuid = "u41", .state = VM_STATE_RUNNING,
	     .run_state = RUN_RUNNING, .vcpus_drifted = 1},
	};
	struct vcpu_row vcpus[2] = {
	    {.vm = 41, .vcpu = 0, .actual = "0", .verdict = AFFINITY_SAME},
	    {.vm = 41, .vcpu = 1, .actual = "1,4", .verdict = AFFINITY_ESCAPED},
	};
	const struct alarm_config held = {5, true};
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	host_init(&h);
	alarm_queue_init(&q);
	h.m.vms = vms;
	h.m.nvms = 1;
	h.m.vcpus = vcpus;
	h.m.nvcpus = 2;
	assert_int_equal(update(s, &h, 0, &held), 0); /* in its hold-down */
	assert_int_equal(update(s, &h, 5000, &held), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_DRIFT);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 11);
	assert_string_equal(ev.ev[0].vm_name, "web");
	assert_int_equal(ev.ev[0].nvcpus, 1);
	assert_int_equal(ev.ev[0].vcpus[0].vcpu, 1);
	assert_int_equal(ev.ev[0].vcpus[0].verdict, AFFINITY_ESCAPED);
	assert_string_equal(ev.ev[0].vcpu_actual[0], "1,4");
	/* back to its CPUs: cleared */
	vms[0].vcpus_drifted = 0;
	vcpus[1].verdict = AFFINITY_SAME;
	assert_int_equal(update(s, &h, 6000, &held), 1);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 12);
	/* stray memory over the threshold drifts too */
	vms[0].stray_over = true;
	assert_int_equal(update(s, &h, 7000, &held), 0);
	assert_int_equal(update(s, &h, 12000, &held), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_DRIFT);
	assert_int_equal(ev.ev[0].nvcpus, 0);
	/* the process dies: gone (no hold-down for the raise's values but the same rule), and the
	 * drift of a VM that is not running is over */
	vms[0].run_state = RUN_GONE;
	vms[0].pid = 4242;
	assert_int_equal(update(s, &h, 13000, &held), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_DRIFT);
	assert_false(ev.ev[0].raise);
	assert_int_equal(update(s, &h, 18000, &held), 1);
	assert_int_equal(ev.ev[0].kind, ALARM_GONE);
	assert_true(ev.ev[0].raise);
	assert_int_equal(alarm_event_subid(&ev.ev[0]), 13);
	assert_int_equal(ev.ev[0].vm.pid, 4242);
	alarm_queue_push(&q, &ev.ev[0]);
	alarm_queue_delivered(&q, 0);
	assert_false(alarm_queue_holds(&q, &ev.ev[0])); /* nothing to clear, ever */
	/* the status file goes (libvirt cleaned up): no clear */
	h.m.nvms = 0;
	h.m.nvcpus = 0;
	assert_int_equal(update(s, &h, 19000, &held), 0);
	alarm_queue_free(&q);
	alarm_free(s);
}

/* An event of one condition, as alarm_update() would make it. */
static struct alarm_event cond_event(enum alarm_kind kind, unsigned node, uint64_t size_kib,
				     bool raise, uint32_t ticks)
{
	struct alarm_event e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.raise = raise;
	e.ticks = ticks;
	e.node.id = node;
	e.huge.node = node;
	e.huge.size_kib = size_kib;
	return e;
}

/* Push e and deliver it (the queue was empty): the NMS saw it. */
static void push_seen(struct alarm_queue *q, struct alarm_event e)
{
	alarm_queue_push(q, &e);
	assert_int_equal(q->n, 1);
	alarm_queue_delivered(q, 0);
	assert_int_equal(q->n, 0);
}

/* alarm_update(), its events pushed into q; returns how many fell due. */
static size_t update_q(struct alarm_state *s, struct host *h, uint64_t ms,
		       const struct alarm_config *cfg, struct alarm_queue *q)
{
	size_t i, due = update(s, h, ms, cfg);

	for (i = 0; i < due; i++)
		alarm_queue_push(q, &ev.ev[i]);
	return due;
}

/* Assert that e is a raise or clear of kind, replayed or not. */
static void is_event(const struct alarm_event *e, enum alarm_kind kind, bool raise, bool replay)
{
	assert_int_equal(e->kind, kind);
	assert_int_equal(e->raise, raise);
	assert_int_equal(e->replay, replay);
}

static size_t deliver_all(struct alarm_queue *q)
{
	size_t k = 0;

	while (alarm_queue_peek(q)) {
		alarm_queue_delivered(q, 0);
		k++;
	}
	return k;
}

static void queue_keeps_one_notification_per_condition_in_order_of_its_latest(void **state)
{
	struct alarm_queue q;
	uint32_t i;

	(void)state;
	alarm_queue_init(&q);
	push_seen(&q, cond_event(ALARM_CPU, 4, 0, true, 1));
	push_seen(&q, cond_event(ALARM_MEM, 0, 0, true, 2));
	/* 3000 changes of three conditions while the master is away */
	for (i = 0; i < 1000; i++) {
		struct alarm_event c = cond_event(ALARM_CPU, 4, 0, i % 2 == 0, 10 * i);
		struct alarm_event m = cond_event(ALARM_MEM, 0, 0, i % 2 == 1, 10 * i + 1);
		struct alarm_event h = cond_event(ALARM_HUGE, 4, 2048, i % 2 == 0, 10 * i + 2);

		alarm_queue_push(&q, &c);
		alarm_queue_push(&q, &m);
		alarm_queue_push(&q, &h);
		assert_true(q.n <= 3);
	}
	/* the last changes: CPU 4 cleared, MEM 0 raised, the hugepage row raised then cleared
	 * without the NMS ever seeing it (nothing) */
	assert_int_equal(q.n, 2);
	assert_int_equal(q.ev[0].kind, ALARM_CPU);
	assert_false(q.ev[0].raise);
	assert_int_equal(q.ev[0].ticks, 9990);
	assert_int_equal(q.ev[1].kind, ALARM_MEM);
	assert_true(q.ev[1].raise);
	assert_int_equal(q.ev[1].ticks, 9991);
	assert_int_equal(alarm_queue_take_superseded(&q), 2998);
	assert_int_equal(alarm_queue_take_superseded(&q), 0);
	alarm_queue_free(&q);
}

static void queue_raise_then_clear_the_nms_never_saw_sends_nothing(void **state)
{
	struct alarm_queue q;
	struct alarm_event e;

	(void)state;
	alarm_queue_init(&q);
	e = cond_event(ALARM_CPU, 4, 0, true, 1);
	alarm_queue_push(&q, &e);
	e = cond_event(ALARM_SOURCE, 0, 0, true, 2);
	e.source_status = SOURCE_DEGRADED;
	alarm_queue_push(&q, &e);
	e = cond_event(ALARM_CPU, 4, 0, false, 3);
	alarm_queue_push(&q, &e);
	e = cond_event(ALARM_SOURCE, 0, 0, false, 4);
	alarm_queue_push(&q, &e);
	assert_int_equal(q.n, 0);
	assert_null(alarm_queue_peek(&q));
	/* a clear of what the NMS never held waits for nothing either */
	e = cond_event(ALARM_MEM, 1, 0, false, 5);
	alarm_queue_push(&q, &e);
	assert_int_equal(q.n, 0);
	alarm_queue_free(&q);
}

static void queue_clear_then_raise_of_a_held_condition_leaves_the_new_raise(void **state)
{
	struct alarm_queue q;
	struct alarm_event e;

	(void)state;
	alarm_queue_init(&q);
	e = cond_event(ALARM_CPU, 4, 0, true, 100);
	e.node.vcpus_bound = 10;
	push_seen(&q, e);
	e = cond_event(ALARM_CPU, 4, 0, false, 200);
	e.node.vcpus_bound = 8;
	alarm_queue_push(&q, &e);
	e = cond_event(ALARM_CPU, 4, 0, true, 300);
	e.node.vcpus_bound = 12;
	alarm_queue_push(&q, &e);
	assert_int_equal(q.n, 1);
	assert_true(q.ev[0].raise);
	assert_false(q.ev[0].replay);
	assert_int_equal(q.ev[0].node.vcpus_bound, 12);
	assert_int_equal(q.ev[0].ticks, 300);
	/* and a source that went ok, then bad with another status: that status's raise */
	e = cond_event(ALARM_SOURCE, 0, 0, true, 400);
	e.source_status = SOURCE_DEGRADED;
	alarm_queue_delivered(&q, 0);
	push_seen(&q, e);
	e = cond_event(ALARM_SOURCE, 0, 0, false, 500);
	alarm_queue_push(&q, &e);
	e = cond_event(ALARM_SOURCE, 0, 0, true, 600);
	e.source_status = SOURCE_UNAVAILABLE;
	alarm_queue_push(&q, &e);
	assert_int_equal(q.n, 1);
	assert_true(q.ev[0].raise);
	assert_int_equal(q.ev[0].source_status, SOURCE_UNAVAILABLE);
	alarm_queue_free(&q);
}

static void queue_delivery_records_what_the_nms_holds(void **state)
{
	struct alarm_queue q;
	struct alarm_event up = cond_event(ALARM_HUGE, 0, 1048576, true, 1);
	struct alarm_event down = cond_event(ALARM_HUGE, 0, 1048576, false, 2);
	struct alarm_event other = cond_event(ALARM_HUGE, 0, 2048, true, 3);

	(void)state;
	alarm_queue_init(&q);
	alarm_queue_delivered(&q, 0); /* nothing waits: nothing happens */
	alarm_queue_push(&q, &up);
	assert_false(alarm_queue_holds(&q, &up));
	/* a send that fails leaves it in place */
	assert_ptr_equal(alarm_queue_peek(&q), alarm_queue_peek(&q));
	assert_int_equal(alarm_queue_peek(&q)->ticks, 1);
	alarm_queue_delivered(&q, 0);
	assert_true(alarm_queue_holds(&q, &up));
	assert_true(alarm_queue_holds(&q, &down)); /* the condition, not the event */
	assert_false(alarm_queue_holds(&q, &other)); /* another page size, another condition */
	alarm_queue_push(&q, &down);
	assert_true(alarm_queue_holds(&q, &up)); /* until the clear is delivered */
	alarm_queue_delivered(&q, 0);
	assert_false(alarm_queue_holds(&q, &up));
	alarm_queue_push(&q, &down);
	assert_int_equal(q.n, 0);
	alarm_queue_free(&q);
}

/* The reproduction: raise sent, master lost, clear queued, flapping on the other node
 * (which filled the old 100-event queue) while it is away: the clear is still there. */
static void queue_clear_survives_an_outage_of_flapping_elsewhere(void **state)
{
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;
	unsigned i;

	(void)state;
	alarm_queue_init(&q);
	host_init(&h);
	update_q(s, &h, 0, &plain, &q);
	cpu_over(&h, true);
	assert_int_equal(update_q(s, &h, 100, &plain, &q), 1);
	assert_int_equal(deliver_all(&q), 1);
	/* the master is lost */
	cpu_over(&h, false);
	assert_int_equal(update_q(s, &h, 200, &plain, &q), 1);
	for (i = 0; i < 1000; i++) {
		h.nodes[0].cpu_over = i % 2 == 0;
		h.nodes[0].mem_over = i % 2 == 0;
		h.huges[0].over = i % 2 == 0;
		assert_int_equal(update_q(s, &h, 300 + i, &plain, &q), 3);
		assert_true(q.n <= 2 * 2 + 3 + 1);
	}
	assert_int_equal(q.n, 1);
	assert_int_equal(q.ev[0].kind, ALARM_CPU);
	assert_false(q.ev[0].raise);
	assert_int_equal(q.ev[0].node.id, 4);
	assert_int_equal(q.ev[0].node.vcpus_bound, 8);
	assert_int_equal(q.ev[0].ticks, 20);
	alarm_master_back(s, &q, &h.m, 5000, &plain);
	assert_int_equal(q.n, 1); /* the waiting clear is the difference */
	assert_int_equal(deliver_all(&q), 1);
	assert_false(alarm_queue_holds(&q, &(struct alarm_event){.kind = ALARM_CPU, .node.id = 4}));
	alarm_queue_free(&q);
	alarm_free(s);
}

/* Before the outage the NMS saw CPU 4, MEM 0 and hugepage row (0, 1G) raised; while it is away
 * MEM 0 clears and row (4, 2M) is raised. */
static void outage(struct alarm_state *s, struct host *h, struct alarm_queue *q,
		   const struct alarm_config *cfg)
{
	host_init(h);
	update_q(s, h, 0, cfg, q);
	cpu_over(h, true);
	h->nodes[0].mem_over = true;
	h->huges[1].over = true;
	assert_int_equal(update_q(s, h, 100, cfg, q), 3);
	assert_int_equal(deliver_all(q), 3);
	h->nodes[0].mem_over = false;
	h->huges[2].over = true;
	h->huges[2].demand = 600;
	assert_int_equal(update_q(s, h, 200, cfg, q), 2);
}

static void master_back_sends_the_difference_of_state(void **state)
{
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	alarm_queue_init(&q);
	outage(s, &h, &q, &plain);
	alarm_master_back(s, &q, &h.m, 77, &plain);
	assert_int_equal(q.n, 4);
	/* what waited, as it fell due */
	is_event(&q.ev[0], ALARM_MEM, false, false);
	assert_int_equal(q.ev[0].ticks, 20);
	is_event(&q.ev[1], ALARM_HUGE, true, false);
	assert_int_equal(q.ev[1].huge.node, 4);
	assert_int_equal(q.ev[1].ticks, 20);
	/* then every other condition raised now, with the values of now */
	is_event(&q.ev[2], ALARM_CPU, true, true);
	assert_int_equal(q.ev[2].node.id, 4);
	assert_int_equal(q.ev[2].node.vcpus_bound, 10);
	assert_int_equal(q.ev[2].ticks, 77);
	is_event(&q.ev[3], ALARM_HUGE, true, true);
	assert_int_equal(q.ev[3].huge.node, 0);
	assert_int_equal(q.ev[3].huge.size_kib, 1048576);
	assert_int_equal(q.ev[3].huge.total, 2);
	assert_int_equal(deliver_all(&q), 4);
	/* another return with nothing changed: the three raised conditions, nothing else */
	alarm_master_back(s, &q, &h.m, 88, &plain);
	assert_int_equal(q.n, 3);
	assert_true(q.ev[0].replay && q.ev[1].replay && q.ev[2].replay);
	alarm_queue_free(&q);
	alarm_free(s);
}

static void master_back_without_notify_on_startup_sends_what_changed_only(void **state)
{
	const struct alarm_config cfg = {0, false};
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	alarm_queue_init(&q);
	outage(s, &h, &q, &cfg);
	alarm_master_back(s, &q, &h.m, 77, &cfg);
	/* what changed since the NMS last saw it, no raise it already holds */
	assert_int_equal(q.n, 2);
	is_event(&q.ev[0], ALARM_MEM, false, false);
	is_event(&q.ev[1], ALARM_HUGE, true, false);
	alarm_queue_free(&q);
	alarm_free(s);
}

/* The difference comes from the state, not from the events that waited: conditions the NMS
 * holds and no state says are raised (here a state that never saw them, node 4 gone) clear. */
static void master_back_clears_what_the_nms_holds_and_is_no_longer_true(void **state)
{
	struct alarm_state *s = alarm_new(), *fresh = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	alarm_queue_init(&q);
	outage(s, &h, &q, &plain);
	deliver_all(&q); /* held now: CPU 4, hugepage rows (0, 1G) and (4, 2M) */
	h.m.nnodes = 1;
	h.m.nhuges = 2;
	update(fresh, &h, 300, &plain);
	alarm_master_back(fresh, &q, &h.m, 99, &plain);
	/* (0, 1G) is over still and is raised (its row, now true) */
	assert_int_equal(q.n, 3);
	is_event(&q.ev[0], ALARM_CPU, false, false);
	assert_int_equal(q.ev[0].node.id, 4);
	assert_int_equal(q.ev[0].node.cpu_capacity, 0);
	assert_int_equal(q.ev[0].ticks, 99);
	is_event(&q.ev[1], ALARM_HUGE, false, false);
	assert_int_equal(q.ev[1].huge.node, 4);
	assert_int_equal(q.ev[1].huge.total, 0);
	is_event(&q.ev[2], ALARM_HUGE, true, true);
	assert_int_equal(q.ev[2].huge.node, 0);
	alarm_queue_free(&q);
	alarm_free(fresh);
	alarm_free(s);
}

static void master_back_leaves_a_source_waiting_for_its_hold_down(void **state)
{
	const struct alarm_config cfg = {5, true};
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	alarm_queue_init(&q);
	host_init(&h);
	update_q(s, &h, 0, &cfg, &q);
	h.m.source_status = SOURCE_DEGRADED;
	update_q(s, &h, 1000, &cfg, &q);
	assert_int_equal(update_q(s, &h, 6000, &cfg, &q), 1);
	assert_int_equal(deliver_all(&q), 1);
	/* while the master is away it turns unavailable, which waits 5 s */
	h.m.source_status = SOURCE_UNAVAILABLE;
	assert_int_equal(update_q(s, &h, 7000, &cfg, &q), 0);
	alarm_master_back(s, &q, &h.m, 700, &cfg);
	assert_int_equal(q.n, 0); /* not recovered, and its new raise is not due yet */
	assert_int_equal(update_q(s, &h, 12000, &cfg, &q), 1);
	assert_int_equal(q.n, 1);
	assert_int_equal(q.ev[0].source_status, SOURCE_UNAVAILABLE);
	alarm_queue_free(&q);
	alarm_free(s);
}

/* Node 4's CPU raised and handed to the master with this ticket, no answer yet. */
static void raise_delivered(struct alarm_state *s, struct host *h, struct alarm_queue *q,
			    const struct alarm_config *cfg, uint64_t ticket)
{
	alarm_queue_init(q);
	host_init(h);
	update_q(s, h, 0, cfg, q);
	cpu_over(h, true);
	assert_int_equal(update_q(s, h, 100, cfg, q), 1);
	alarm_queue_delivered(q, ticket);
}

/* The same, answered. */
static void raise_answered(struct alarm_state *s, struct host *h, struct alarm_queue *q,
			   const struct alarm_config *cfg)
{
	raise_delivered(s, h, q, cfg, 1);
	alarm_queue_answered(q, 1, true);
	assert_false(alarm_queue_in_doubt(q));
}

/* A clear the master took and died with before answering (before it sent the trap on): the
 * NMS still holds the raise, so the clear goes again when the master is back, even with
 * notifyOnStartup no. Answered, it does not. */
static void master_back_sends_again_a_clear_it_never_answered(void **state)
{
	const struct alarm_config cfg = {0, false};
	size_t answered;

	(void)state;
	for (answered = 0; answered < 2; answered++) {
		struct alarm_state *s = alarm_new();
		struct alarm_queue q;
		struct host h;

		raise_answered(s, &h, &q, &cfg);
		cpu_over(&h, false);
		assert_int_equal(update_q(s, &h, 200, &cfg, &q), 1);
		alarm_queue_delivered(&q, 2);
		if (answered)
			alarm_queue_answered(&q, 2, true);
		alarm_queue_lost(&q);
		assert_int_equal(alarm_queue_in_doubt(&q), !answered);
		alarm_master_back(s, &q, &h.m, 300, &cfg);
		if (answered) {
			assert_int_equal(q.n, 0);
		} else {
			assert_int_equal(q.n, 1);
			is_event(&q.ev[0], ALARM_CPU, false, false);
			assert_int_equal(q.ev[0].node.id, 4);
			assert_int_equal(q.ev[0].ticks, 300);
		}
		assert_false(alarm_queue_in_doubt(&q));
		alarm_queue_free(&q);
		alarm_free(s);
	}
}

/* A raise never answered may not have arrived: sent again (replay) with notifyOnStartup no. */
static void master_back_sends_again_a_raise_it_never_answered(void **state)
{
	const struct alarm_config cfg = {0, false};
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	raise_delivered(s, &h, &q, &cfg, 7);
	alarm_queue_lost(&q);
	alarm_master_back(s, &q, &h.m, 300, &cfg);
	assert_int_equal(q.n, 1);
	is_event(&q.ev[0], ALARM_CPU, true, true);
	assert_int_equal(q.ev[0].node.vcpus_bound, 10);
	/* an answer of the lost session that comes late changes nothing */
	alarm_queue_answered(&q, 7, true);
	assert_false(alarm_queue_in_doubt(&q));
	alarm_queue_free(&q);
	alarm_free(s);
}

/* An answer with an error (or a timeout) while the session stays: alarm_restate() states the
 * truth of now: a clear when it is over, a raise when it is raised again. */
static void restate_after_a_failed_answer(void **state)
{
	struct alarm_state *s = alarm_new();
	struct alarm_queue q;
	struct host h;

	(void)state;
	raise_answered(s, &h, &q, &plain);
	cpu_over(&h, false);
	assert_int_equal(update_q(s, &h, 200, &plain, &q), 1);
	alarm_queue_delivered(&q, 2);
	alarm_queue_answered(&q, 2, false);
	assert_true(alarm_queue_in_doubt(&q));
	assert_int_equal(alarm_restate(s, &q, &h.m, 250), 1);
	is_event(&q.ev[0], ALARM_CPU, false, false);
	assert_true(alarm_queue_holds(&q, &q.ev[0]));
	alarm_queue_delivered(&q, 3);
	alarm_queue_answered(&q, 3, true);
	assert_false(alarm_queue_holds(&q, &q.ev[0]));
	/* raised again, its raise answered with an error: the raise again */
	cpu_over(&h, true);
	assert_int_equal(update_q(s, &h, 300, &plain, &q), 1);
	alarm_queue_delivered(&q, 4);
	alarm_queue_answered(&q, 4, false);
	assert_int_equal(alarm_restate(s, &q, &h.m, 350), 1);
	is_event(&q.ev[0], ALARM_CPU, true, true);
	/* nothing in doubt: nothing stated */
	assert_int_equal(alarm_restate(s, &q, &h.m, 360), 0);
	alarm_queue_free(&q);
	alarm_free(s);
}

/* Answers that never come are bounded: the oldest beyond ALARM_MAX_UNANSWERED is in doubt. */
static void unanswered_notifications_are_bounded(void **state)
{
	struct alarm_queue q;
	uint64_t t;

	(void)state;
	alarm_queue_init(&q);
	for (t = 1; t <= ALARM_MAX_UNANSWERED + 10; t++) {
		struct alarm_event e = cond_event(ALARM_HUGE, (unsigned)t, 2048, true, 1);

		alarm_queue_push(&q, &e);
		alarm_queue_delivered(&q, t);
	}
	assert_int_equal(q.nsent, ALARM_MAX_UNANSWERED);
	assert_int_equal(q.ndoubt, 10);
	alarm_queue_lost(&q);
	assert_int_equal(q.nsent, 0);
	assert_int_equal(q.ndoubt, ALARM_MAX_UNANSWERED + 10);
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
	    {ALARM_DEVICE, true, 9, "numaVmRemoteDevice"},
	    {ALARM_DEVICE, false, 10, "numaVmRemoteDeviceCleared"},
	    {ALARM_DRIFT, true, 11, "numaVmPlacementDrift"},
	    {ALARM_DRIFT, false, 12, "numaVmPlacementDriftCleared"},
	    {ALARM_GONE, true, 13, "numaVmGone"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct alarm_event e = cond_event(t[i].kind, 0, 0, t[i].raise, 0);

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
	    cmocka_unit_test(mem_clear_when_memory_turns_unknown_carries_every_object),
	    cmocka_unit_test(source_error_per_bad_status_then_one_recovery),
	    cmocka_unit_test(unrelated_changes_send_nothing),
	    cmocka_unit_test(vm_with_remote_device_raises_and_clears),
	    cmocka_unit_test(vm_remote_device_is_held_down),
	    cmocka_unit_test(vm_drift_and_gone),
	    cmocka_unit_test(queue_keeps_one_notification_per_condition_in_order_of_its_latest),
	    cmocka_unit_test(queue_raise_then_clear_the_nms_never_saw_sends_nothing),
	    cmocka_unit_test(queue_clear_then_raise_of_a_held_condition_leaves_the_new_raise),
	    cmocka_unit_test(queue_delivery_records_what_the_nms_holds),
	    cmocka_unit_test(queue_clear_survives_an_outage_of_flapping_elsewhere),
	    cmocka_unit_test(master_back_sends_the_difference_of_state),
	    cmocka_unit_test(master_back_without_notify_on_startup_sends_what_changed_only),
	    cmocka_unit_test(master_back_clears_what_the_nms_holds_and_is_no_longer_true),
	    cmocka_unit_test(master_back_leaves_a_source_waiting_for_its_hold_down),
	    cmocka_unit_test(master_back_sends_again_a_clear_it_never_answered),
	    cmocka_unit_test(master_back_sends_again_a_raise_it_never_answered),
	    cmocka_unit_test(restate_after_a_failed_answer),
	    cmocka_unit_test(unanswered_notifications_are_bounded),
	    cmocka_unit_test(event_names_follow_the_mib),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
