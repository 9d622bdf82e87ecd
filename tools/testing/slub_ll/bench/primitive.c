// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern 4, the raw primitive under the slowpaths.
 *
 * One shared slab-like line holds a flags word (bit 0 is the lock, as the
 * page lock is a bit of page->flags) and a double-word aligned
 * (freelist, counters) pair.  Every operation moves the freelist and bumps
 * the counters, either
 *   - with one locked cmpxchg16b of the pair, retried on failure, or
 *   - under a bit spinlock: locked test-and-set of bit 0 to take it, a
 *     plain release store to drop it, the pair written in between.
 * The user-space lock does not disable interrupts, which the kernel's
 * page-lock path must; that cost is not part of this comparison.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include "bench.h"

struct dw_pair {
	alignas(16) unsigned long freelist;
	unsigned long counters;
};

struct dw_slab {
	__cacheline unsigned long flags;
	unsigned long pad;
	struct dw_pair pair;
};

static struct dw_slab shared;

#if defined(__x86_64__)
static inline bool cmpxchg16b(struct dw_pair *p, unsigned long o1,
			      unsigned long o2, unsigned long n1,
			      unsigned long n2)
{
	bool ok;

	asm volatile("lock cmpxchg16b %[mem]"
		     : "=@ccz" (ok), [mem] "+m" (*p), "+a" (o1), "+d" (o2)
		     : "b" (n1), "c" (n2)
		     : "memory");
	return ok;
}
#else
static inline bool cmpxchg16b(struct dw_pair *p, unsigned long o1,
			      unsigned long o2, unsigned long n1,
			      unsigned long n2)
{
	struct dw_pair old = { o1, o2 }, new = { n1, n2 };

	return __atomic_compare_exchange(p, &old, &new, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
#endif

static inline void pair_update_cmpxchg(struct dw_pair *p)
{
	unsigned long fl, cnt;

	do {
		fl = __atomic_load_n(&p->freelist, __ATOMIC_RELAXED);
		cnt = __atomic_load_n(&p->counters, __ATOMIC_RELAXED);
	} while (!cmpxchg16b(p, fl, cnt, fl + CACHELINE, cnt + 1));
}

static inline void bit_lock(unsigned long *word)
{
	while (__atomic_fetch_or(word, 1UL, __ATOMIC_ACQUIRE) & 1UL)
		while (__atomic_load_n(word, __ATOMIC_RELAXED) & 1UL)
			cpu_relax();
}

static inline void bit_unlock(unsigned long *word)
{
	__atomic_store_n(word, *word & ~1UL, __ATOMIC_RELEASE);
}

static inline void pair_update_locked(struct dw_slab *s)
{
	bit_lock(&s->flags);
	s->pair.freelist += CACHELINE;
	s->pair.counters++;
	bit_unlock(&s->flags);
}

#define PRIMITIVE_BATCH	32

static void cmpxchg_worker(struct worker *w)
{
	unsigned long n = 0;
	int i;

	while (!team_stopping(w)) {
		for (i = 0; i < PRIMITIVE_BATCH; i++)
			pair_update_cmpxchg(&shared.pair);
		n += PRIMITIVE_BATCH;
		worker_count(w, n);
	}
}

static void lock_worker(struct worker *w)
{
	unsigned long n = 0;
	int i;

	while (!team_stopping(w)) {
		for (i = 0; i < PRIMITIVE_BATCH; i++)
			pair_update_locked(&shared);
		n += PRIMITIVE_BATCH;
		worker_count(w, n);
	}
}

/* Updates of the shared pair per second, all threads together. */
double primitive_rate(bool cmpxchg, int threads)
{
	struct team t = {
		.nthreads = threads,
		.fn = cmpxchg ? cmpxchg_worker : lock_worker,
	};
	double rate;

	t.workers = workers_alloc(threads);
	rate = team_run(&t);
	free(t.workers);
	return rate;
}
