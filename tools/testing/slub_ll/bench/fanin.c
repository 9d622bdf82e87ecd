// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern 4, fan-in: many CPUs allocate, one CPU frees everything.
 *
 * Worker 0 is the consumer; workers 1..N-1 are producers, each with an
 * SPSC ring to the consumer.  A producer allocates objects on its own
 * simulated CPU, stamps each one and pushes it into its ring; the consumer
 * polls the rings in turn and frees what arrives.  Every free is remote,
 * and all of them come from one CPU, so the slabs of every producer go
 * from full back to partial on the consumer's frees: the case where the
 * node's list_lock sees the most traffic.  The rate is objects freed per
 * second; the consumer alone sets it once the producers outrun it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"
#include "ring.h"

struct fanin {
	const struct bench_allocator *a;
	void *cache;
	int nrings;			/* one per producer */
	struct ring *rings;
};

static void fanin_producer(struct worker *w)
{
	struct fanin *f = w->arg;
	struct ring *r = &f->rings[w->index - 1];

	while (!team_stopping(w)) {
		void *obj = f->a->alloc(f->cache);

		if (!obj) {
			fprintf(stderr, "%s: allocation failed\n", f->a->name);
			exit(1);
		}
		stamp(obj, w->index);
		ring_push_wait(r, obj);
	}
	ring_close(r);
}

/* Free what ring @i holds now; true if it is closed and empty. */
static bool fanin_drain(struct worker *w, int i, unsigned long *freed)
{
	struct fanin *f = w->arg;
	struct ring *r = &f->rings[i];
	void *obj;

	while ((obj = ring_pop(r))) {
		if (read_stamp(obj) != (unsigned long)i + 1) {
			fprintf(stderr, "%s: object %p corrupted in flight\n",
				f->a->name, obj);
			exit(1);
		}
		f->a->free(f->cache, obj);
		worker_count(w, ++*freed);
	}
	return ring_done(r);
}

static void fanin_consumer(struct worker *w)
{
	struct fanin *f = w->arg;
	unsigned long freed = 0;
	unsigned int spins = 0;
	int i, done;

	do {
		unsigned long before = freed;

		done = 0;
		for (i = 0; i < f->nrings; i++)
			done += fanin_drain(w, i, &freed);
		if (freed == before)
			spin_wait(&spins);
	} while (done < f->nrings);
}

static void fanin_member(struct worker *w)
{
	if (w->index == 0)
		fanin_consumer(w);
	else
		fanin_producer(w);
}

double fanin_rate(const struct bench_allocator *a, int threads)
{
	struct fanin f = { .a = a, .nrings = threads - 1 };
	struct team t = { .alloc = a, .fn = fanin_member, .nthreads = threads };
	int i;
	double rate;

	if (threads < 2)
		return NAN;
	f.cache = a->cache_create(params.obj_size);
	f.rings = calloc(f.nrings, sizeof(*f.rings));
	if (!f.cache || !f.rings) {
		fprintf(stderr, "%s: cannot set up fan-in\n", a->name);
		exit(1);
	}
	for (i = 0; i < f.nrings; i++)
		if (ring_init(&f.rings[i], params.ring_size)) {
			fprintf(stderr, "out of memory for rings\n");
			exit(1);
		}
	t.workers = workers_alloc(t.nthreads);
	for (i = 0; i < t.nthreads; i++)
		t.workers[i].arg = &f;

	rate = team_run(&t);

	for (i = 0; i < f.nrings; i++)
		ring_fini(&f.rings[i]);
	free(f.rings);
	free(t.workers);
	a->cache_destroy(f.cache);
	return rate;
}
