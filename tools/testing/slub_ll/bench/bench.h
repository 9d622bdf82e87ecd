/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space benchmark for the SLUB-LL allocator.
 *
 * Each pattern is one function that measures one cell of the table: it
 * runs a fixed set of threads against one allocator for a fixed time and
 * returns a rate.  main.c runs every cell of a row several times, the
 * allocators interleaved (A B C D A B C D ...), and prints medians.
 */
#ifndef SLUB_LL_BENCH_H
#define SLUB_LL_BENCH_H

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define CACHELINE	64
#define __cacheline	alignas(CACHELINE)

/* An allocator under test, seen through the few calls the patterns make. */
struct bench_allocator {
	const char *name;
	/* Once, before any cache: @ncpus simulated CPUs. 0 or -errno. */
	int (*init)(int ncpus);
	/* A cache of @size-byte objects, or NULL. */
	void *(*cache_create)(unsigned int size);
	void (*cache_destroy)(void *cache);
	void *(*alloc)(void *cache);
	void (*free)(void *cache, void *obj);
	/* Run by every worker thread before its first allocation. */
	void (*bind_cpu)(int cpu);
	/* A CPU other than @cpu that binding moves to no other host core. */
	int (*peer_cpu)(int cpu);
	/* @n alloc+free pairs with direct calls: the fastpath pattern. */
	void (*fastpath_loop)(void *cache, unsigned long n);
	/* Print the allocator's counters for the last cache destroyed. */
	void (*print_stats)(const struct bench_allocator *a);
	/*
	 * Of the last cache destroyed: node list_lock acquisitions per 1000
	 * objects freed over its life, and the pages its slabs held once
	 * the threads had joined, just before the destroy.  NULL, or NAN
	 * in either, where the allocator cannot tell.
	 */
	void (*last_run)(const struct bench_allocator *a, double *locks_per_k,
			 double *pages);
	/* Empty cross-CPU frees make no sense for this allocator. */
	bool per_thread_only;
};

extern const struct bench_allocator bench_slub_ll_lockless;
extern const struct bench_allocator bench_slub_ll_pagelock;
extern const struct bench_allocator bench_libc;
extern const struct bench_allocator bench_mimalloc;

struct bench_params {
	int threads;			/* largest thread count of a row */
	int reps;			/* runs per cell */
	unsigned int warmup_ms;		/* before the measured window */
	unsigned int duration_ms;	/* the measured window */
	unsigned long fast_iters;	/* alloc+free pairs per fastpath run */
	unsigned int obj_size;		/* object size of patterns 1 and 2 */
	unsigned int ring_size;		/* slots per SPSC ring */
	int group;			/* threads per hackbench group */
	bool stats;			/* allocator counters after each row */
	int cpu_partial;		/* SLUB-LL cpu_partial, -1: the default */
};

extern struct bench_params params;

/* Worker threads (team.c). */
struct worker;
typedef void (*worker_fn)(struct worker *w);

struct worker {
	int index;			/* 0..nthreads-1, also the simulated CPU */
	struct team *team;
	void *arg;			/* the pattern's per-thread state */
	pthread_t thread;
	/* completed operations, stored relaxed; on a line of its own */
	__cacheline atomic_ulong ops;
};

struct team {
	int nthreads;
	const struct bench_allocator *alloc;	/* NULL: no allocator */
	worker_fn fn;
	atomic_bool go;
	atomic_bool stop;
	atomic_int ready;
	struct worker *workers;
};

int online_cpus(void);
struct worker *workers_alloc(int n);
void pin_to_core(int index);
double team_run(struct team *t);

static inline bool team_stopping(struct worker *w)
{
	return atomic_load_explicit(&w->team->stop, memory_order_relaxed);
}

static inline void worker_count(struct worker *w, unsigned long n)
{
	atomic_store_explicit(&w->ops, n, memory_order_relaxed);
}

void cpu_relax(void);
void spin_wait(unsigned int *spins);
double now_sec(void);

/* The patterns: each returns operations per second, or NAN if n/a. */
double fastpath_ns(const struct bench_allocator *a);
double crossfree_rate(const struct bench_allocator *a, int threads);
double hackbench_rate(const struct bench_allocator *a, int threads,
		      unsigned int size);
double fanin_rate(const struct bench_allocator *a, int threads);
double primitive_rate(bool cmpxchg, int threads);

/* Under callgrind: @n fastpath pairs for one allocator, nothing else. */
int fastpath_callgrind(const struct bench_allocator *a, unsigned long n);

/*
 * A word written into each object by the thread that allocated it and
 * checked by the one that frees it: the object really travels.
 */
static inline void stamp(void *obj, unsigned long v)
{
	__atomic_store_n((unsigned long *)obj, v, __ATOMIC_RELAXED);
}

static inline unsigned long read_stamp(void *obj)
{
	return __atomic_load_n((unsigned long *)obj, __ATOMIC_RELAXED);
}

#endif /* SLUB_LL_BENCH_H */
