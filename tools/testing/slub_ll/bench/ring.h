/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Single-producer single-consumer ring of object pointers.  The producer
 * owns head, the consumer owns tail; each keeps a private copy of the
 * other's index so that it reads the shared one only when the ring looks
 * full (or empty).  The ring is how an object allocated on one CPU reaches
 * the CPU that frees it.
 */
#ifndef SLUB_LL_BENCH_RING_H
#define SLUB_LL_BENCH_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include "bench.h"

struct ring {
	/* producer side */
	__cacheline atomic_ulong head;
	unsigned long tail_seen;
	/* consumer side */
	__cacheline atomic_ulong tail;
	unsigned long head_seen;
	/* shared, read-mostly; closed: the producer has finished */
	__cacheline atomic_bool closed;
	unsigned long mask;
	void **slot;
};

static inline int ring_init(struct ring *r, unsigned int size)
{
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->closed, false);
	r->tail_seen = 0;
	r->head_seen = 0;
	r->mask = size - 1;
	r->slot = calloc(size, sizeof(void *));
	return r->slot ? 0 : -1;
}

static inline void ring_fini(struct ring *r)
{
	free(r->slot);
	r->slot = NULL;
}

/* Producer: false if the ring is full. */
static inline bool ring_push(struct ring *r, void *obj)
{
	unsigned long head = atomic_load_explicit(&r->head,
						  memory_order_relaxed);

	if (head - r->tail_seen > r->mask) {
		r->tail_seen = atomic_load_explicit(&r->tail,
						    memory_order_acquire);
		if (head - r->tail_seen > r->mask)
			return false;
	}
	r->slot[head & r->mask] = obj;
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

/* Consumer: NULL if the ring is empty. */
static inline void *ring_pop(struct ring *r)
{
	unsigned long tail = atomic_load_explicit(&r->tail,
						  memory_order_relaxed);
	void *obj;

	if (tail == r->head_seen) {
		r->head_seen = atomic_load_explicit(&r->head,
						    memory_order_acquire);
		if (tail == r->head_seen)
			return NULL;
	}
	obj = r->slot[tail & r->mask];
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return obj;
}

static inline void ring_close(struct ring *r)
{
	atomic_store_explicit(&r->closed, true, memory_order_release);
}

/* Consumer: the producer is gone and nothing is left in the ring. */
static inline bool ring_done(struct ring *r)
{
	if (!atomic_load_explicit(&r->closed, memory_order_acquire))
		return false;
	return atomic_load_explicit(&r->tail, memory_order_relaxed) ==
	       atomic_load_explicit(&r->head, memory_order_acquire);
}

/* Producer: push, waiting while the consumer catches up. */
static inline void ring_push_wait(struct ring *r, void *obj)
{
	unsigned int spins = 0;

	while (!ring_push(r, obj))
		spin_wait(&spins);
}

#endif /* SLUB_LL_BENCH_RING_H */
