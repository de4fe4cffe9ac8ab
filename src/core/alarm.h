/* alarm.h: the notification rules of NUMA-TOPOLOGY-MIB, pure: each new model against the
 * conditions seen so far gives the raises and clears due now; and the queue that keeps them. */
#ifndef NUMATOPD_ALARM_H
#define NUMATOPD_ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* One condition per row: a node's CPU or memory, a (node, size) hugepage row, the sources. */
enum alarm_kind {
	ALARM_CPU,
	ALARM_MEM,
	ALARM_HUGE,
	ALARM_SOURCE,
};

/* A notification due: the kind's raise (numaNodeCpuOversubscription, ..., numaSourceError) or
 * its clear (...Cleared, numaSourceRecovered), with the values of its objects after the
 * change, so that a queued one still says what was true when it fell due. */
struct alarm_event {
	enum alarm_kind kind;
	bool raise;
	bool replay;		/* a raise sent again because the master came back */
	uint32_t ticks;		/* sysUpTime when it fell due */
	struct node_row node;	/* CPU, MEM: the row, cpulist NULL; all 0 but id once it is gone */
	struct huge_row huge;	/* HUGE: the row; all 0 but node and size_kib once it is gone */
	int source_status;	/* SOURCE: numaSourceStatus */
	unsigned invalid_files; /* SOURCE: numaInvalidFiles */
};

struct alarm_events {
	struct alarm_event *ev;
	size_t n, cap;
};

struct alarm_config {
	unsigned hold_down; /* seconds a condition must hold before its raise is sent */
	bool on_startup;    /* raise what is already true in the first model */
};

struct alarm_state;

struct alarm_state *alarm_new(void);
void alarm_free(struct alarm_state *s);

/* Compare m with the conditions seen so far and append the notifications due now to out.
 * now_ms is a monotonic clock (for the hold-down), ticks the sysUpTime stamped on events. The
 * first call is the startup: what is true then is raised only with cfg->on_startup, and what
 * was not raised is never cleared. Calling it again with the same model sends only raises
 * whose hold-down has run out since. */
void alarm_update(struct alarm_state *s, const struct model *m, uint64_t now_ms, uint32_t ticks,
		  const struct alarm_config *cfg, struct alarm_events *out);

/* Milliseconds from now_ms until a held-down raise falls due (an alarm_update() then sends
 * it), UINT64_MAX when none waits. */
uint64_t alarm_next_due(const struct alarm_state *s, uint64_t now_ms,
			const struct alarm_config *cfg);

/* The master went away: what falls due from now on is queued by the caller. */
void alarm_master_lost(struct alarm_state *s);
/* The master is back (after alarm_master_lost): with cfg->on_startup, append a raise for every
 * condition still true whose raise was sent before the master went away, as at startup; values
 * from m, the model of the last alarm_update(). */
void alarm_master_back(struct alarm_state *s, const struct model *m, uint32_t ticks,
		       const struct alarm_config *cfg, struct alarm_events *out);

void alarm_events_free(struct alarm_events *e);

/* A bounded FIFO of events: when full, the oldest is dropped and counted. */
struct alarm_queue {
	struct alarm_event *ring;
	size_t head, n, alloc; /* ring[head] is the oldest of n; alloc grows up to cap */
	size_t cap;
	uint64_t dropped; /* since the last alarm_queue_take_dropped() */
};

void alarm_queue_init(struct alarm_queue *q, size_t cap);
void alarm_queue_free(struct alarm_queue *q);
/* Append e; returns true when the queue was full and its oldest event was dropped. */
bool alarm_queue_push(struct alarm_queue *q, const struct alarm_event *e);
/* Remove the oldest into *e (e may be NULL); false when empty. */
bool alarm_queue_pop(struct alarm_queue *q, struct alarm_event *e);
/* The oldest, left in place; NULL when empty. */
const struct alarm_event *alarm_queue_peek(const struct alarm_queue *q);
/* Change the bound (reload), dropping (and counting) the oldest events beyond it. */
void alarm_queue_set_cap(struct alarm_queue *q, size_t cap);
/* The number dropped since the last call, and reset it. */
uint64_t alarm_queue_take_dropped(struct alarm_queue *q);

/* The MIB name of the notification an event is ("numaNodeCpuOversubCleared"). */
const char *alarm_event_name(const struct alarm_event *e);
/* Its sub-identifier under numaNotifications (1..8). */
unsigned alarm_event_subid(const struct alarm_event *e);

#endif
