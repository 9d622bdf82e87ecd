// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern 3, hackbench-like: groups of sender and receiver threads.
 *
 * Each group has as many senders as receivers, and one SPSC ring from
 * every sender to every receiver.  A sender allocates a message object of
 * the row's size (256 or 512 bytes, the sizes of a socket buffer's head and
 * data in the kernel's hackbench), stamps it and sends it to the next
 * receiver in turn; a receiver polls its rings and frees what arrives.  The
 * rate is messages freed per second over all groups.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"
#include "ring.h"

struct hb {
	const struct bench_allocator *a;
	void *cache;
	int group;			/* threads per group, even */
	int half;			/* senders (= receivers) per group */
	struct ring *rings;		/* [group][sender][receiver] */
};

static struct ring *hb_ring(struct hb *h, int group, int s, int r)
{
	return &h->rings[(group * h->half + s) * h->half + r];
}

static void sender(struct worker *w, int group, int s)
{
	struct hb *h = w->arg;
	int r = 0, i;

	while (!team_stopping(w)) {
		void *obj = h->a->alloc(h->cache);

		if (!obj) {
			fprintf(stderr, "%s: allocation failed\n", h->a->name);
			exit(1);
		}
		stamp(obj, s);
		ring_push_wait(hb_ring(h, group, s, r), obj);
		r = (r + 1) % h->half;
	}
	for (i = 0; i < h->half; i++)
		ring_close(hb_ring(h, group, s, i));
}

/* Free what one ring holds now; 1 if it is closed and empty. */
static int drain_one(struct worker *w, struct ring *ring, int s,
		     unsigned long *freed)
{
	struct hb *h = w->arg;
	void *obj;

	while ((obj = ring_pop(ring))) {
		if (read_stamp(obj) != (unsigned long)s) {
			fprintf(stderr, "%s: message %p corrupted\n",
				h->a->name, obj);
			exit(1);
		}
		h->a->free(h->cache, obj);
		worker_count(w, ++*freed);
	}
	return ring_done(ring);
}

static void receiver(struct worker *w, int group, int r)
{
	struct hb *h = w->arg;
	unsigned long freed = 0;
	unsigned int spins = 0;
	int s, done;

	do {
		unsigned long before = freed;

		done = 0;
		for (s = 0; s < h->half; s++)
			done += drain_one(w, hb_ring(h, group, s, r), s,
					  &freed);
		if (freed == before)
			spin_wait(&spins);
	} while (done < h->half);
}

static void hb_member(struct worker *w)
{
	struct hb *h = w->arg;
	int group = w->index / h->group;
	int j = w->index % h->group;

	if (j < h->half)
		sender(w, group, j);
	else
		receiver(w, group, j - h->half);
}

double hackbench_rate(const struct bench_allocator *a, int threads,
		      unsigned int size)
{
	struct hb h = { .a = a };
	struct team t = { .alloc = a, .fn = hb_member };
	int groups, nrings, i;
	double rate;

	if (threads < 2)
		return NAN;
	h.group = params.group < threads ? params.group : threads;
	h.group &= ~1;
	h.half = h.group / 2;
	groups = threads / h.group;
	t.nthreads = groups * h.group;
	nrings = groups * h.half * h.half;

	h.cache = a->cache_create(size);
	h.rings = calloc(nrings, sizeof(*h.rings));
	if (!h.cache || !h.rings) {
		fprintf(stderr, "%s: cannot set up hackbench\n", a->name);
		exit(1);
	}
	for (i = 0; i < nrings; i++)
		if (ring_init(&h.rings[i], params.ring_size)) {
			fprintf(stderr, "out of memory for rings\n");
			exit(1);
		}
	t.workers = workers_alloc(t.nthreads);
	for (i = 0; i < t.nthreads; i++)
		t.workers[i].arg = &h;

	rate = team_run(&t);

	for (i = 0; i < nrings; i++)
		ring_fini(&h.rings[i]);
	free(h.rings);
	free(t.workers);
	a->cache_destroy(h.cache);
	return rate;
}
