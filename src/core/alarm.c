/* SPDX-License-Identifier: BSD-3-Clause */
/* alarm.c: raise/clear transitions per row with hold-down, startup and master-return rules (the
 * DESCRIPTION of numaNodeCpuOversubscription states them), and the per-condition queue. Pure. */
#include "core/alarm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* A condition that is true in the last model. Kept sorted by (kind, node, size_kib), the order
 * in which observations are made from a model's sorted rows, so an update is one merge. */
struct cond {
	enum alarm_kind kind;
	unsigned node;
	uint64_t size_kib;
	int value;	/* SOURCE: the status of this episode; another bad status is a new raise;
			 * DEVICE: the numaVmDeviceIndex of the first remote device when it began */
	uint64_t since; /* ms when it (or, for SOURCE, its current value) became true */
	bool due;	/* its raise waits for the hold-down */
	bool sent;	/* a raise was sent: its end sends the clear */
	bool muted;	/* true at startup without notifyOnStartup: it sends nothing */
};

struct alarm_state {
	struct cond *c;
	size_t n, cap;
	bool started;
};

/* One row of the new model seen as a condition, true or not. */
struct obs {
	enum alarm_kind kind;
	unsigned node;
	uint64_t size_kib;
	bool active;
	int value;
	const struct node_row *nrow;
	const struct huge_row *hrow;
	const struct vm_row *vrow;
};

/* What one update works with. */
struct pass {
	const struct model *m;
	uint64_t now;
	uint32_t ticks;
	uint64_t hold_ms;
	struct alarm_events *out;
};

static const struct {
	const char *raise, *clear;
} names[] = {
    [ALARM_CPU] = {"numaNodeCpuOversubscription", "numaNodeCpuOversubCleared"},
    [ALARM_MEM] = {"numaNodeMemOversubscription", "numaNodeMemOversubCleared"},
    [ALARM_HUGE] = {"numaHugepageOversubscription", "numaHugepageOversubCleared"},
    [ALARM_SOURCE] = {"numaSourceError", "numaSourceRecovered"},
    [ALARM_DEVICE] = {"numaVmRemoteDevice", "numaVmRemoteDeviceCleared"},
    [ALARM_DRIFT] = {"numaVmPlacementDrift", "numaVmPlacementDriftCleared"},
    [ALARM_GONE] = {"numaVmGone", "numaVmGone"}, /* never cleared: end() sends nothing */
};

const char *alarm_event_name(const struct alarm_event *e)
{
	return e->raise ? names[e->kind].raise : names[e->kind].clear;
}

/* numaNotifications: raise 2k+1, its clear 2k+2, in the order of enum alarm_kind. */
unsigned alarm_event_subid(const struct alarm_event *e)
{
	return (unsigned)e->kind * 2 + (e->raise ? 1 : 2);
}

struct alarm_state *alarm_new(void)
{
	return xcalloc(1, sizeof(struct alarm_state));
}

void alarm_free(struct alarm_state *s)
{
	if (s == NULL)
		return;
	free(s->c);
	free(s);
}

void alarm_events_free(struct alarm_events *e)
{
	free(e->ev);
	memset(e, 0, sizeof(*e));
}

static int cmp_key(enum alarm_kind ak, unsigned an, uint64_t as, enum alarm_kind bk, unsigned bn,
		   uint64_t bs)
{
	if (ak != bk)
		return ak < bk ? -1 : 1;
	if (an != bn)
		return an < bn ? -1 : 1;
	if (as != bs)
		return as < bs ? -1 : 1;
	return 0;
}

/* The numaVmDeviceIndex of the VM's first remote device, 0 when it has none. */
static unsigned first_remote(const struct model *m, uint32_t vm)
{
	size_t i;

	for (i = model_dev_lower(m, vm, 0); i < m->ndevs && m->devs[i].vm == vm; i++)
		if (m->devs[i].remote)
			return m->devs[i].ord;
	return 0;
}

/* A VM "started with a remote device": it has one and is not stopped (a plain <domain>
 * file, or a status file saying shutoff, describes no running guest). */
static bool device_active(const struct vm_row *v)
{
	return v->remote_devices > 0 && v->state != VM_STATE_SHUTOFF &&
	       v->state != VM_STATE_DEFINED;
}

/* Runtime truth: a running VM with a narrowed or escaped vCPU, or stray memory over the
 * threshold. */
static bool drift_active(const struct vm_row *v)
{
	return v->run_state == RUN_RUNNING && (v->vcpus_drifted > 0 || v->stray_over);
}

/* Every row of m as a condition, sorted by key: CPU and MEM per node, HUGE per (node, size),
 * then the one SOURCE condition, then DEVICE, DRIFT and GONE per VM. */
static struct obs *observe(const struct model *m, size_t *count)
{
	size_t n = 0, i;
	struct obs *o = xcalloc(2 * m->nnodes + m->nhuges + 1 + 3 * m->nvms, sizeof(*o));

	for (i = 0; i < m->nnodes; i++)
		o[n++] = (struct obs){.kind = ALARM_CPU,
				      .node = m->nodes[i].id,
				      .active = m->nodes[i].cpu_over,
				      .nrow = &m->nodes[i]};
	for (i = 0; i < m->nnodes; i++)
		o[n++] = (struct obs){.kind = ALARM_MEM,
				      .node = m->nodes[i].id,
				      .active = m->nodes[i].mem_over,
				      .nrow = &m->nodes[i]};
	for (i = 0; i < m->nhuges; i++)
		o[n++] = (struct obs){.kind = ALARM_HUGE,
				      .node = m->huges[i].node,
				      .size_kib = m->huges[i].size_kib,
				      .active = m->huges[i].over,
				      .hrow = &m->huges[i]};
	o[n++] = (struct obs){.kind = ALARM_SOURCE,
			      .active = m->source_status != SOURCE_OK,
			      .value = m->source_status};
	for (i = 0; i < m->nvms; i++)
		o[n++] = (struct obs){.kind = ALARM_DEVICE,
				      .node = m->vms[i].index,
				      .active = device_active(&m->vms[i]),
				      .value = (int)first_remote(m, m->vms[i].index),
				      .vrow = &m->vms[i]};
	for (i = 0; i < m->nvms; i++)
		o[n++] = (struct obs){.kind = ALARM_DRIFT,
				      .node = m->vms[i].index,
				      .active = drift_active(&m->vms[i]),
				      .vrow = &m->vms[i]};
	for (i = 0; i < m->nvms; i++)
		o[n++] = (struct obs){.kind = ALARM_GONE,
				      .node = m->vms[i].index,
				      .active = m->vms[i].run_state == RUN_GONE,
				      .vrow = &m->vms[i]};
	*count = n;
	return o;
}

/* The VM's row, its strings copied into the event (all 0 but the index when it is gone). */
static void fill_vm(struct alarm_event *e, const struct cond *c, const struct obs *o)
{
	if (o) {
		size_t len = strlen(o->vrow->name);

		if (len >= sizeof(e->vm_name))
			len = utf8_cut(o->vrow->name, sizeof(e->vm_name) - 1);
		memcpy(e->vm_name, o->vrow->name, len);
		e->vm_name[len] = '\0';
		e->vm = *o->vrow;
		snprintf(e->vm_uuid, sizeof(e->vm_uuid), "%s", o->vrow->uuid);
	}
	e->vm.index = c->node;
	e->vm.name = e->vm.uuid = e->vm.file = e->vm.display_name = NULL;
	e->vm.nodes = e->vm.emulator_cpus = NULL;
}

/* DRIFT: the VM's first drifted vCPU rows, their actual CPU lists copied into the event. */
static void fill_drift(struct alarm_event *e, const struct model *m, const struct cond *c)
{
	size_t i;

	for (i = model_vcpu_lower(m, c->node, 0); i < m->nvcpus && m->vcpus[i].vm == c->node &&
						   e->nvcpus < ALARM_MAX_DRIFT_VCPUS;
	     i++) {
		const struct vcpu_row *r = &m->vcpus[i];
		struct vcpu_row *d = &e->vcpus[e->nvcpus];

		if (r->verdict != AFFINITY_NARROWED && r->verdict != AFFINITY_ESCAPED)
			continue;
		*d = *r;
		d->affinity = NULL;
		snprintf(e->vcpu_actual[e->nvcpus], sizeof(e->vcpu_actual[0]), "%s", r->actual);
		d->actual = NULL;
		e->nvcpus++;
	}
}

/* DEVICE: the VM's row and its device row numbered ord, strings copied into the event. */
static void fill_device(struct alarm_event *e, const struct model *m, const struct cond *c,
			const struct obs *o)
{
	size_t i;

	fill_vm(e, c, o);
	i = model_dev_lower(m, c->node, (unsigned)c->value);
	if (o && i < m->ndevs && m->devs[i].vm == c->node && m->devs[i].ord == (unsigned)c->value) {
		e->dev = m->devs[i];
		snprintf(e->dev_address, sizeof(e->dev_address), "%s", m->devs[i].address);
	}
	e->dev.vm = c->node;
	e->dev.ord = (unsigned)c->value;
	e->dev.address = NULL;
}

/* The event for c; o is its row in m, NULL when the row is gone (values 0). */
static void fill(struct alarm_event *e, const struct pass *p, const struct cond *c,
		 const struct obs *o, bool raise)
{
	memset(e, 0, sizeof(*e));
	e->kind = c->kind;
	e->raise = raise;
	e->ticks = p->ticks;
	switch (c->kind) {
	case ALARM_CPU:
	case ALARM_MEM:
		if (o)
			e->node = *o->nrow;
		e->node.id = c->node;
		e->node.cpulist = NULL; /* owned by the model; no column sent needs it */
		/* a notification carries every one of its objects: a node whose memory cannot be
		 * read (a hole in the table) or that is gone clears with 0 for those it lacks */
		e->node.mem_known = true;
		break;
	case ALARM_HUGE:
		if (o)
			e->huge = *o->hrow;
		e->huge.node = c->node;
		e->huge.size_kib = c->size_kib;
		break;
	case ALARM_SOURCE:
		e->source_status = p->m->source_status;
		e->invalid_files = p->m->invalid_files;
		break;
	case ALARM_DEVICE:
		fill_device(e, p->m, c, o);
		break;
	case ALARM_DRIFT:
	case ALARM_GONE:
		fill_vm(e, c, o);
		if (c->kind == ALARM_DRIFT && raise && o)
			fill_drift(e, p->m, c);
		break;
	}
}

static void emit(struct pass *p, const struct cond *c, const struct obs *o, bool raise)
{
	fill(array_push(&p->out->ev, &p->out->n, &p->out->cap, sizeof(struct alarm_event)), p, c,
	     o, raise);
}

static void raise_if_due(struct pass *p, struct cond *c, const struct obs *o)
{
	if (!c->due || p->now < c->since || p->now - c->since < p->hold_ms)
		return;
	c->due = false;
	c->sent = true;
	emit(p, c, o, true);
}

static struct cond start(const struct obs *o, uint64_t now, bool muted)
{
	return (struct cond){.kind = o->kind,
			     .node = o->node,
			     .size_kib = o->size_kib,
			     .value = o->value,
			     .since = now,
			     .due = !muted,
			     .muted = muted};
}

/* Still true: only a source that turns from one bad status to the other starts over. */
static void go_on(struct pass *p, struct cond *c, const struct obs *o)
{
	if (c->kind == ALARM_SOURCE && o->value != c->value) {
		c->value = o->value;
		c->since = p->now;
		c->muted = false;
		c->due = true;
	}
}

static void end(struct pass *p, const struct cond *c, const struct obs *o)
{
	if (c->sent && !c->muted && c->kind != ALARM_GONE)
		emit(p, c, o, false);
}

void alarm_update(struct alarm_state *s, const struct model *m, uint64_t now_ms, uint32_t ticks,
		  const struct alarm_config *cfg, struct alarm_events *out)
{
	struct pass p = {m, now_ms, ticks, (uint64_t)cfg->hold_down * 1000, out};
	bool muted = !s->started && !cfg->on_startup;
	struct cond *next = NULL;
	size_t nobs, nnext = 0, capnext = 0, i = 0, j = 0;
	struct obs *o = observe(m, &nobs);

	while (i < nobs || j < s->n) {
		const struct obs *ob = i < nobs ? &o[i] : NULL;
		struct cond *c = j < s->n ? &s->c[j] : NULL;
		int cmp =
		    !ob	 ? 1
		    : !c ? -1
			 : cmp_key(ob->kind, ob->node, ob->size_kib, c->kind, c->node, c->size_kib);
		struct cond *slot;

		if (cmp > 0) { /* the row is gone */
			end(&p, c, NULL);
			j++;
			continue;
		}
		i++;
		if (cmp == 0)
			j++;
		if (!ob->active) {
			if (cmp == 0)
				end(&p, c, ob);
			continue;
		}
		slot = array_push(&next, &nnext, &capnext, sizeof(*next));
		if (cmp == 0) {
			*slot = *c;
			go_on(&p, slot, ob);
		} else {
			*slot = start(ob, now_ms, muted);
		}
		raise_if_due(&p, slot, ob);
	}
	free(o);
	free(s->c);
	s->c = next;
	s->n = nnext;
	s->cap = capnext;
	s->started = true;
}

uint64_t alarm_next_due(const struct alarm_state *s, uint64_t now_ms,
			const struct alarm_config *cfg)
{
	uint64_t best = UINT64_MAX, hold = (uint64_t)cfg->hold_down * 1000;
	size_t i;

	for (i = 0; i < s->n; i++) {
		uint64_t at = s->c[i].since + hold;

		if (!s->c[i].due)
			continue;
		if (at <= now_ms)
			return 0;
		if (at - now_ms < best)
			best = at - now_ms;
	}
	return best;
}

/* The row of m a condition stands for, as an observation; false when m has none. */
static bool find_row(const struct model *m, const struct cond *c, struct obs *o)
{
	size_t pos;

	memset(o, 0, sizeof(*o));
	switch (c->kind) {
	case ALARM_CPU:
	case ALARM_MEM:
		o->nrow = model_node(m, c->node);
		return o->nrow != NULL;
	case ALARM_HUGE:
		pos = model_huge_lower(m, c->node, c->size_kib);
		if (pos >= m->nhuges || m->huges[pos].node != c->node ||
		    m->huges[pos].size_kib != c->size_kib)
			return false;
		o->hrow = &m->huges[pos];
		return true;
	case ALARM_SOURCE:
		return true;
	case ALARM_DEVICE:
	case ALARM_DRIFT:
	case ALARM_GONE:
		o->vrow = model_vm(m, c->node);
		return o->vrow != NULL;
	}
	return false;
}

/* ---------------------------------------------------------------- the queue */

static struct alarm_key key_of(const struct alarm_event *e)
{
	struct alarm_key k = {e->kind, 0, 0};

	switch (e->kind) {
	case ALARM_CPU:
	case ALARM_MEM:
		k.node = e->node.id;
		break;
	case ALARM_HUGE:
		k.node = e->huge.node;
		k.size_kib = e->huge.size_kib;
		break;
	case ALARM_SOURCE:
		break;
	case ALARM_DEVICE:
	case ALARM_DRIFT:
	case ALARM_GONE:
		k.node = e->vm.index;
		break;
	}
	return k;
}

static bool same_key(const struct alarm_key *a, const struct alarm_key *b)
{
	return cmp_key(a->kind, a->node, a->size_kib, b->kind, b->node, b->size_kib) == 0;
}

/* The index of the event waiting for k, q->n when none does. */
static size_t waiting(const struct alarm_queue *q, const struct alarm_key *k)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		struct alarm_key w = key_of(&q->ev[i]);

		if (same_key(&w, k))
			break;
	}
	return i;
}

/* The index of k in a set of conditions, n when it is not there. */
static size_t key_find(const struct alarm_key *set, size_t n, const struct alarm_key *k)
{
	size_t i;

	for (i = 0; i < n && !same_key(&set[i], k); i++)
		;
	return i;
}

/* Put k in a set of conditions (held, doubt), once. */
static void key_add(struct alarm_key **set, size_t *n, size_t *cap, const struct alarm_key *k)
{
	if (key_find(*set, *n, k) == *n)
		*(struct alarm_key *)array_push(set, n, cap, sizeof(*k)) = *k;
}

/* The index of k among the conditions the NMS holds, q->nheld when it holds no such one. */
static size_t held(const struct alarm_queue *q, const struct alarm_key *k)
{
	return key_find(q->held, q->nheld, k);
}

static void remove_waiting(struct alarm_queue *q, size_t i)
{
	memmove(&q->ev[i], &q->ev[i + 1], (q->n - i - 1) * sizeof(*q->ev));
	q->n--;
}

void alarm_queue_init(struct alarm_queue *q)
{
	memset(q, 0, sizeof(*q));
}

void alarm_queue_free(struct alarm_queue *q)
{
	free(q->ev);
	free(q->held);
	free(q->sent);
	free(q->doubt);
	memset(q, 0, sizeof(*q));
}

void alarm_queue_push(struct alarm_queue *q, const struct alarm_event *e)
{
	struct alarm_key k = key_of(e);
	size_t i = waiting(q, &k);

	if (i < q->n) {
		remove_waiting(q, i);
		q->superseded++;
	}
	if (!e->raise && held(q, &k) == q->nheld) {
		q->superseded++; /* nothing to clear at the NMS: the pair cancels out */
		return;
	}
	*(struct alarm_event *)array_push(&q->ev, &q->n, &q->cap, sizeof(*e)) = *e;
}

const struct alarm_event *alarm_queue_peek(const struct alarm_queue *q)
{
	return q->n ? &q->ev[0] : NULL;
}

static void doubt(struct alarm_queue *q, const struct alarm_key *k)
{
	key_add(&q->doubt, &q->ndoubt, &q->capdoubt, k);
}

static void remove_sent(struct alarm_queue *q, size_t i)
{
	memmove(&q->sent[i], &q->sent[i + 1], (q->nsent - i - 1) * sizeof(*q->sent));
	q->nsent--;
}

void alarm_queue_delivered(struct alarm_queue *q, uint64_t ticket)
{
	struct alarm_key k;
	size_t h;

	if (q->n == 0)
		return;
	k = key_of(&q->ev[0]);
	h = held(q, &k);
	/* numaVmGone has no clear: the NMS holds nothing it could be told is over */
	if (q->ev[0].raise && k.kind != ALARM_GONE)
		key_add(&q->held, &q->nheld, &q->capheld, &k);
	else if (!q->ev[0].raise && h < q->nheld)
		q->held[h] = q->held[--q->nheld];
	remove_waiting(q, 0);
	if (ticket == 0)
		return;
	if (q->nsent == ALARM_MAX_UNANSWERED) {
		doubt(q, &q->sent[0].key);
		remove_sent(q, 0);
	}
	*(struct alarm_sent *)array_push(&q->sent, &q->nsent, &q->capsent, sizeof(struct alarm_sent)) =
	    (struct alarm_sent){ticket, k};
}

void alarm_queue_answered(struct alarm_queue *q, uint64_t ticket, bool ok)
{
	size_t i;

	for (i = 0; i < q->nsent && q->sent[i].ticket != ticket; i++)
		;
	if (i == q->nsent)
		return; /* answered after its session was lost: in doubt already */
	if (!ok)
		doubt(q, &q->sent[i].key);
	remove_sent(q, i);
}

void alarm_queue_lost(struct alarm_queue *q)
{
	size_t i;

	for (i = 0; i < q->nsent; i++)
		doubt(q, &q->sent[i].key);
	q->nsent = 0;
}

bool alarm_queue_in_doubt(const struct alarm_queue *q)
{
	return q->ndoubt > 0;
}

bool alarm_queue_holds(const struct alarm_queue *q, const struct alarm_event *e)
{
	struct alarm_key k = key_of(e);

	return held(q, &k) < q->nheld;
}

uint64_t alarm_queue_take_superseded(struct alarm_queue *q)
{
	uint64_t d = q->superseded;

	q->superseded = 0;
	return d;
}

/* ---------------------------------------------------------------- the master comes back */

/* The condition of s with key k, NULL when it is not true in the last model. */
static const struct cond *find_cond(const struct alarm_state *s, const struct alarm_key *k)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (cmp_key(s->c[i].kind, s->c[i].node, s->c[i].size_kib, k->kind, k->node,
			    k->size_kib) == 0)
			return &s->c[i];
	return NULL;
}

/* Queue the event of c with the values of its row in m (0 when m has none). */
static void requeue(struct alarm_queue *q, const struct pass *p, const struct cond *c, bool raise)
{
	struct alarm_event e;
	struct obs o;

	fill(&e, p, c, find_row(p->m, c, &o) ? &o : NULL, raise);
	e.replay = raise;
	alarm_queue_push(q, &e);
}

/* Raised now, as the NMS should hold it: true in the last model, its raise fell due and sent. */
static bool raised_now(const struct cond *c)
{
	return c && c->sent && !c->muted;
}

size_t alarm_restate(const struct alarm_state *s, struct alarm_queue *q, const struct model *m,
		     uint32_t ticks)
{
	struct pass p = {m, 0, ticks, 0, NULL};
	size_t i, before = q->n;

	if (m == NULL)
		return 0;
	for (i = 0; i < q->ndoubt; i++) {
		const struct alarm_key k = q->doubt[i];
		const struct cond *c = find_cond(s, &k);
		struct cond gone = {.kind = k.kind, .node = k.node, .size_kib = k.size_kib};

		if (waiting(q, &k) < q->n)
			continue;
		if (raised_now(c)) {
			requeue(q, &p, c, true);
		} else if (k.kind != ALARM_GONE) {
			/* the NMS may hold its raise: a clear must go, whatever it was last told */
			key_add(&q->held, &q->nheld, &q->capheld, &k);
			requeue(q, &p, &gone, false);
		}
	}
	q->ndoubt = 0;
	return q->n - before;
}

void alarm_master_back(const struct alarm_state *s, struct alarm_queue *q, const struct model *m,
		       uint32_t ticks, const struct alarm_config *cfg)
{
	struct pass p = {m, 0, ticks, 0, NULL};
	size_t i;

	if (m == NULL)
		return;
	alarm_restate(s, q, m, ticks);
	/* clears first (queueing one leaves q->held as it is) */
	for (i = 0; i < q->nheld; i++) {
		const struct alarm_key k = q->held[i];
		const struct cond *c = find_cond(s, &k);
		struct cond gone = {.kind = k.kind, .node = k.node, .size_kib = k.size_kib};

		/* still raised: a source whose new status waits for its hold-down too */
		if (raised_now(c) || waiting(q, &k) < q->n)
			continue;
		requeue(q, &p, &gone, false);
	}
	if (!cfg->on_startup)
		return;
	for (i = 0; i < s->n; i++) {
		const struct cond *c = &s->c[i];
		const struct alarm_key k = {c->kind, c->node, c->size_kib};

		if (!c->sent || c->due || c->muted || waiting(q, &k) < q->n)
			continue;
		requeue(q, &p, c, true);
	}
}
