/* SPDX-License-Identifier: BSD-3-Clause */
/* alarm.h: the notification rules of NUMA-TOPOLOGY-MIB, pure: each new model against the
 * conditions seen so far gives the raises and clears due now; and the queue that keeps them. */
#ifndef NUMATOPD_ALARM_H
#define NUMATOPD_ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/pciaddr.h"
#include "core/uuid.h"

/* One condition per row: a node's CPU or memory, a (node, size) hugepage row, the sources, a
 * VM with a remote passthrough device, a VM whose actual placement drifted (runtime truth), a
 * VM whose process died behind libvirt's back (a raise without a clear). */
enum alarm_kind {
	ALARM_CPU,
	ALARM_MEM,
	ALARM_HUGE,
	ALARM_SOURCE,
	ALARM_DEVICE,
	ALARM_DRIFT,
	ALARM_GONE,
};

/* DRIFT: the drifted vCPUs a raise names (their varbinds say which and which way). */
#define ALARM_MAX_DRIFT_VCPUS 8

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
	/* DEVICE: the VM's row and that of its first remote device (the raise's device for a
	 * clear); their strings are NULL and copied into the arrays below, so that the event
	 * owns them: the sender points the rows at them. All 0 but the indexes once it is gone. */
	struct vm_row vm;
	struct dev_row dev;
	char vm_name[256];		    /* numaVmName, cut at a UTF-8 boundary as SNMP cuts it */
	char vm_uuid[UUID_STRLEN + 1];
	char dev_address[PCI_ADDR_STRLEN];
	/* DRIFT: the first drifted vCPU rows of the VM, their actual CPU lists copied here */
	struct vcpu_row vcpus[ALARM_MAX_DRIFT_VCPUS];
	char vcpu_actual[ALARM_MAX_DRIFT_VCPUS][64];
	unsigned nvcpus;
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

void alarm_events_free(struct alarm_events *e);

/* What is waiting for the master, and what the NMS saw. "The NMS saw" a notification when it
 * was sent successfully to a master session; the NMS "holds" a condition when the last
 * notification of that condition it saw is a raise.
 *
 * The queue keeps at most one notification per condition (a node's CPU, a node's memory, a
 * (node, page size) hugepage row, the sources): the latest change of that condition, so it is
 * bounded by the number of conditions, never by the number of events, and nothing is dropped.
 * A new event for a condition replaces the one waiting, by this rule:
 *   - a raise always waits (in place of a waiting clear): the NMS learns that the condition is
 *     true now, with the values of now. So a clear then a raise of a condition the NMS holds
 *     leaves one raise: it sees the new episode's values, and an NMS that keys alarms on the
 *     instance keeps one alarm, never one without its clear.
 *   - a clear waits only if the NMS holds the condition; otherwise it cancels the waiting raise
 *     and leaves nothing: a raise then its clear of a condition the NMS never saw raised sends
 *     nothing at all.
 * Waiting notifications go out in the order their latest change fell due, each with the
 * values and sysUpTime of that change. */
struct alarm_key {
	enum alarm_kind kind;
	unsigned node;
	uint64_t size_kib; /* HUGE only */
};	/* DEVICE: node is the numaVmIndex */

/* A notification handed to the master whose answer has not come yet. */
struct alarm_sent {
	uint64_t ticket;
	struct alarm_key key;
};

struct alarm_queue {
	struct alarm_event *ev; /* waiting, oldest first, one per condition */
	size_t n, cap;
	struct alarm_key *held; /* the conditions the NMS holds, in no order */
	size_t nheld, capheld;
	struct alarm_sent *sent; /* handed over, not answered yet, oldest first */
	size_t nsent, capsent;
	struct alarm_key *doubt; /* conditions whose last notification may not have reached it */
	size_t ndoubt, capdoubt;
	uint64_t superseded; /* events replaced or cancelled since alarm_queue_take_superseded() */
};

/* At most this many notifications wait for the master's answer; an older one then counts as
 * unanswered (in doubt). The daemon keeps far fewer in flight (NOTIFY_WINDOW). */
#define ALARM_MAX_UNANSWERED 256

void alarm_queue_init(struct alarm_queue *q);
void alarm_queue_free(struct alarm_queue *q);
/* Queue e for its condition, by the rule above. */
void alarm_queue_push(struct alarm_queue *q, const struct alarm_event *e);
/* The oldest waiting, left in place (a send that fails keeps it); NULL when none waits. */
const struct alarm_event *alarm_queue_peek(const struct alarm_queue *q);
/* The oldest was sent to a master session: remove it and remember what the NMS now holds.
 * A ticket other than 0 (the caller's number for this send) keeps it unconfirmed until
 * alarm_queue_answered() or alarm_queue_lost(). */
void alarm_queue_delivered(struct alarm_queue *q, uint64_t ticket);
/* The master answered the notification of this ticket. ok: a Response without error, so it
 * went on to the trap sinks. Not ok (an error, a timeout, the session closed): it may never
 * have reached the NMS, so its condition is in doubt until alarm_restate(). */
void alarm_queue_answered(struct alarm_queue *q, uint64_t ticket, bool ok);
/* The master session is lost: every notification not answered yet is in doubt. A clear the
 * master took and died with leaves the NMS holding the raise; a raise may not have arrived. */
void alarm_queue_lost(struct alarm_queue *q);
/* Whether some condition is in doubt. */
bool alarm_queue_in_doubt(const struct alarm_queue *q);
/* Whether the NMS holds the condition of e. */
bool alarm_queue_holds(const struct alarm_queue *q, const struct alarm_event *e);
/* The number of events replaced or cancelled since the last call, and reset it. */
uint64_t alarm_queue_take_superseded(struct alarm_queue *q);

/* The master is back after it went away: queue the difference between what is true now and
 * what the NMS holds, so no alarm sticks and none is missing:
 *   - a clear for every condition the NMS holds that is no longer raised (always: a clear is
 *     never optional), unless one waits already;
 *   - with cfg->on_startup (notifyOnStartup yes), a raise for every condition raised now
 *     (marked replay), unless one waits already: as at startup, a new master (and an NMS that
 *     lost its state with it) learns every alarm. Without it, only what changed since the NMS
 *     last saw it goes out: what waits in the queue, and the clears above.
 * "Raised now": true in the last model and its raise fell due (a raise still in its hold-down,
 * or a startup condition notifyOnStartup no keeps silent, is not). Values from m, the model of
 * the last alarm_update(); a row m has no more clears with 0 for its objects. */
void alarm_master_back(const struct alarm_state *s, struct alarm_queue *q, const struct model *m,
		       uint32_t ticks, const struct alarm_config *cfg);
/* State the truth of now again for every condition in doubt, whatever notifyOnStartup says
 * (alarm_master_back() does this first): a raise (marked replay) when it is raised now, else a
 * clear (numaVmGone has none); nothing for one that has a notification waiting already, which
 * says what is true. Returns how many were queued. */
size_t alarm_restate(const struct alarm_state *s, struct alarm_queue *q, const struct model *m,
		     uint32_t ticks);

/* The MIB name of the notification an event is ("numaNodeCpuOversubCleared"). */
const char *alarm_event_name(const struct alarm_event *e);
/* Its sub-identifier under numaNotifications (1..13). */
unsigned alarm_event_subid(const struct alarm_event *e);

#endif
