// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern 1, the fastpath: one thread, bound to simulated CPU 0, allocates
 * an object and frees it again, over and over, so that both halves stay on
 * the CPU's own freelist.  The loop itself lives in each allocator's file
 * (fastpath_loop) so that it makes direct calls, and so that callgrind can
 * be told to count that one function.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

#define FASTPATH_WARMUP	10000UL

struct fastpath_run {
	const struct bench_allocator *a;
	double ns;
};

static void *fastpath_thread(void *arg)
{
	struct fastpath_run *run = arg;
	const struct bench_allocator *a = run->a;
	void *cache;
	double t0;

	a->bind_cpu(0);
	pin_to_core(0);
	cache = a->cache_create(params.obj_size);
	if (!cache) {
		fprintf(stderr, "%s: cannot create a cache\n", a->name);
		exit(1);
	}
	a->fastpath_loop(cache, FASTPATH_WARMUP);
	t0 = now_sec();
	a->fastpath_loop(cache, params.fast_iters);
	run->ns = (now_sec() - t0) * 1e9 / params.fast_iters;
	a->cache_destroy(cache);
	return NULL;
}

/* Nanoseconds per alloc+free pair. */
double fastpath_ns(const struct bench_allocator *a)
{
	struct fastpath_run run = { .a = a };
	pthread_t thread;

	if (pthread_create(&thread, NULL, fastpath_thread, &run)) {
		fprintf(stderr, "pthread_create failed\n");
		exit(1);
	}
	pthread_join(thread, NULL);
	return run.ns;
}

/*
 * For callgrind: the warm-up and then @n pairs, nothing else.  The caller
 * runs this twice with different @n and divides the difference in counted
 * instructions by the difference in @n, so set-up and warm-up cancel.
 */
int fastpath_callgrind(const struct bench_allocator *a, unsigned long n)
{
	void *cache;

	a->bind_cpu(0);
	cache = a->cache_create(params.obj_size);
	if (!cache)
		return -1;
	a->fastpath_loop(cache, FASTPATH_WARMUP);
	a->fastpath_loop(cache, n);
	a->cache_destroy(cache);
	return 0;
}
