// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern 2, cross-CPU free: the kfree() case that cannot queue.
 *
 * Threads come in pairs.  The producer allocates objects on its simulated
 * CPU, stamps each one and passes it through an SPSC ring to the consumer,
 * which frees it on another simulated CPU.  The rate is objects freed per
 * second, all pairs together.
 *
 * With one thread there is no pair: the thread allocates a batch while
 * bound to one simulated CPU, then rebinds to a peer CPU and frees the
 * batch -- the same remote free without contention.  The peer is chosen
 * so that rebinding does not move the thread to another host core.
 * Allocators that have no notion of a CPU (malloc) have no such case.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"
#include "ring.h"

struct xfree {
	const struct bench_allocator *a;
	void *cache;
	struct ring *rings;		/* one per pair */
};

static void *alloc_or_die(struct xfree *x)
{
	void *obj = x->a->alloc(x->cache);

	if (!obj) {
		fprintf(stderr, "%s: allocation failed\n", x->a->name);
		exit(1);
	}
	return obj;
}

static void free_checked(struct xfree *x, void *obj, unsigned long want)
{
	if (read_stamp(obj) != want) {
		fprintf(stderr, "%s: object %p corrupted in flight\n",
			x->a->name, obj);
		exit(1);
	}
	x->a->free(x->cache, obj);
}

static void producer(struct worker *w)
{
	struct xfree *x = w->arg;
	struct ring *r = &x->rings[w->index / 2];

	while (!team_stopping(w)) {
		void *obj = alloc_or_die(x);

		stamp(obj, w->index);
		ring_push_wait(r, obj);
	}
	ring_close(r);
}

static void consumer(struct worker *w)
{
	struct xfree *x = w->arg;
	struct ring *r = &x->rings[w->index / 2];
	unsigned long freed = 0;
	unsigned int spins = 0;
	void *obj;

	for (;;) {
		obj = ring_pop(r);
		if (!obj) {
			if (ring_done(r))
				break;
			spin_wait(&spins);
			continue;
		}
		free_checked(x, obj, w->index - 1);
		worker_count(w, ++freed);
	}
}

static void pair_member(struct worker *w)
{
	if (w->index % 2 == 0)
		producer(w);
	else
		consumer(w);
}

/* One thread, two simulated CPUs: allocate on one, free on the other. */
static void migrant(struct worker *w)
{
	struct xfree *x = w->arg;
	unsigned int batch = params.ring_size;
	void **objs = calloc(batch, sizeof(void *));
	unsigned long freed = 0;
	int peer = x->a->peer_cpu(0);
	unsigned int i;

	if (!objs) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	while (!team_stopping(w)) {
		x->a->bind_cpu(0);
		for (i = 0; i < batch; i++) {
			objs[i] = alloc_or_die(x);
			stamp(objs[i], i);
		}
		x->a->bind_cpu(peer);
		for (i = 0; i < batch; i++)
			free_checked(x, objs[i], i);
		freed += batch;
		worker_count(w, freed);
	}
	x->a->bind_cpu(0);
	free(objs);
}

double crossfree_rate(const struct bench_allocator *a, int threads)
{
	struct xfree x = { .a = a };
	struct team t = { .alloc = a };
	int npairs = threads / 2, i;
	double rate;

	if (threads == 1 && a->per_thread_only)
		return NAN;
	x.cache = a->cache_create(params.obj_size);
	if (!x.cache) {
		fprintf(stderr, "%s: cannot create a cache\n", a->name);
		exit(1);
	}
	t.nthreads = threads == 1 ? 1 : npairs * 2;
	t.fn = threads == 1 ? migrant : pair_member;
	x.rings = calloc(npairs ? npairs : 1, sizeof(*x.rings));
	for (i = 0; i < npairs; i++)
		if (!x.rings || ring_init(&x.rings[i], params.ring_size)) {
			fprintf(stderr, "out of memory for rings\n");
			exit(1);
		}
	t.workers = workers_alloc(t.nthreads);
	for (i = 0; i < t.nthreads; i++)
		t.workers[i].arg = &x;

	rate = team_run(&t);

	for (i = 0; i < npairs; i++)
		ring_fini(&x.rings[i]);
	free(x.rings);
	free(t.workers);
	a->cache_destroy(x.cache);
	return rate;
}
