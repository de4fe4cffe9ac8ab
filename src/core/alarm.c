/* alarm.c: raise/clear transitions per row with hold-down, startup and master-return rules (the
 * DESCRIPTION of numaNodeCpuOversubscription states them), and the bounded event queue. Pure. */
#include "core/alarm.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* A condition that is true in the last model. Kept sorted by (kind, node, size_kib), the order
 * in which observations are made from a model's sorted rows, so an update is one merge. */
struct cond {
	enum alarm_kind kind;
	unsigned node;
	uint64_t size_kib;
	int value;	/* SOURCE: the status of this episode; another bad status is a new raise */
	uint64_t since; /* ms when it (or, for SOURCE, its current value) became true */
	bool due;	/* its raise waits for the hold-down */
	bool sent;	/* a raise was sent: its end sends the clear */
	bool muted;	/* true at startup without notifyOnStartup: it sends nothing */
	unsigned epoch; /* the master session its last raise went to (see alarm_master_lost) */
};

struct alarm_state {
	struct cond *c;
	size_t n, cap;
	bool started;
	unsigned epoch;
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

/* Every row of m as a condition, sorted by key: CPU and MEM per node, HUGE per (node, size),
 * then the one SOURCE condition. */
static struct obs *observe(const struct model *m, size_t *count)
{
	size_t n = 0, i;
	struct obs *o = xcalloc(2 * m->nnodes + m->nhuges + 1, sizeof(*o));

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
	*count = n;
	return o;
}

/* Append the event for c; o is its row in m, NULL when the row is gone (values 0). */
static void emit(struct pass *p, const struct cond *c, const struct obs *o, bool raise)
{
	struct alarm_event *e = array_push(&p->out->ev, &p->out->n, &p->out->cap, sizeof(*e));

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
	}
}

static void raise_if_due(struct pass *p, struct cond *c, const struct obs *o, unsigned epoch)
{
	if (!c->due || p->now < c->since || p->now - c->since < p->hold_ms)
		return;
	c->due = false;
	c->sent = true;
	c->epoch = epoch;
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
	if (c->sent && !c->muted)
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
		raise_if_due(&p, slot, ob, s->epoch);
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

void alarm_master_lost(struct alarm_state *s)
{
	s->epoch++;
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
	}
	return false;
}

void alarm_master_back(struct alarm_state *s, const struct model *m, uint32_t ticks,
		       const struct alarm_config *cfg, struct alarm_events *out)
{
	struct pass p = {m, 0, ticks, 0, out};
	size_t i, first;

	if (!cfg->on_startup || m == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		struct cond *c = &s->c[i];
		struct obs o;

		/* a raise still due, or sent during the outage, goes out anyway */
		if (!c->sent || c->due || c->muted || c->epoch == s->epoch || !find_row(m, c, &o))
			continue;
		first = out->n;
		emit(&p, c, &o, true);
		out->ev[first].replay = true;
		c->epoch = s->epoch;
	}
}

/* ---------------------------------------------------------------- the queue */

void alarm_queue_init(struct alarm_queue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->cap = cap ? cap : 1;
}

void alarm_queue_free(struct alarm_queue *q)
{
	free(q->ring);
	memset(q, 0, sizeof(*q));
}

bool alarm_queue_pop(struct alarm_queue *q, struct alarm_event *e)
{
	if (q->n == 0)
		return false;
	if (e)
		*e = q->ring[q->head];
	q->head = (q->head + 1) % q->alloc;
	q->n--;
	return true;
}

const struct alarm_event *alarm_queue_peek(const struct alarm_queue *q)
{
	return q->n ? &q->ring[q->head] : NULL;
}

/* Room for one more below cap: a ring grows only as far as it is used. */
static void grow(struct alarm_queue *q)
{
	size_t alloc = q->alloc ? q->alloc * 2 : 8, i;
	struct alarm_event *r;

	if (alloc > q->cap)
		alloc = q->cap;
	r = xcalloc(alloc, sizeof(*r));
	for (i = 0; i < q->n; i++)
		r[i] = q->ring[(q->head + i) % q->alloc];
	free(q->ring);
	q->ring = r;
	q->head = 0;
	q->alloc = alloc;
}

bool alarm_queue_push(struct alarm_queue *q, const struct alarm_event *e)
{
	bool dropped = false;

	if (q->n >= q->cap) {
		alarm_queue_pop(q, NULL);
		q->dropped++;
		dropped = true;
	}
	if (q->n == q->alloc)
		grow(q);
	q->ring[(q->head + q->n) % q->alloc] = *e;
	q->n++;
	return dropped;
}

void alarm_queue_set_cap(struct alarm_queue *q, size_t cap)
{
	q->cap = cap ? cap : 1;
	while (q->n > q->cap) {
		alarm_queue_pop(q, NULL);
		q->dropped++;
	}
}

uint64_t alarm_queue_take_dropped(struct alarm_queue *q)
{
	uint64_t d = q->dropped;

	q->dropped = 0;
	return d;
}
