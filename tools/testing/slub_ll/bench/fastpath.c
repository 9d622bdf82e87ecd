// SPDX-License-Identifier: GPL-2.0
/*
 * Pattern 1, the fastpath: one thread, bound to simulated CPU 0, allocates
 * an object and frees it again, over and over, so that both halves stay on
 * the CPU's own freelist.  The loop itself lives in each allocator's file
 * (fastpath_loop) so that it makes direct calls, and so that callgrind can
 * be told to count that one function.
 *
 * A few objects stay allocated around the loop, as a running system always
 * has some: otherwise each free would empty the allocator's page or slab,
 * and an allocator that gives empty pages back (mimalloc retires them)
 * would be measured on that slowpath instead of its fastpath.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

#define FASTPATH_WARMUP	10000UL
#define FASTPATH_KEEP	16

struct fastpath_run {
	const struct bench_allocator *a;
	double ns;
};

/* Hold FASTPATH_KEEP objects (@keep) or give them back (!@keep). */
static void resident(const struct bench_allocator *a, void *cache,
		     void **objs, bool keep)
{
	int i;

	for (i = 0; i < FASTPATH_KEEP; i++) {
		if (!keep) {
			a->free(cache, objs[i]);
			continue;
		}
		objs[i] = a->alloc(cache);
		if (!objs[i]) {
			fprintf(stderr, "%s: allocation failed\n", a->name);
			exit(1);
		}
	}
}

static void *fastpath_thread(void *arg)
{
	struct fastpath_run *run = arg;
	const struct bench_allocator *a = run->a;
	void *cache, *objs[FASTPATH_KEEP];
	double t0;

	a->bind_cpu(0);
	pin_to_core(0);
	cache = a->cache_create(params.obj_size);
	if (!cache) {
		fprintf(stderr, "%s: cannot create a cache\n", a->name);
		exit(1);
	}
	resident(a, cache, objs, true);
	a->fastpath_loop(cache, FASTPATH_WARMUP);
	t0 = now_sec();
	a->fastpath_loop(cache, params.fast_iters);
	run->ns = (now_sec() - t0) * 1e9 / params.fast_iters;
	resident(a, cache, objs, false);
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
	void *cache, *objs[FASTPATH_KEEP];

	a->bind_cpu(0);
	cache = a->cache_create(params.obj_size);
	if (!cache)
		return -1;
	resident(a, cache, objs, true);
	a->fastpath_loop(cache, FASTPATH_WARMUP);
	a->fastpath_loop(cache, n);
	resident(a, cache, objs, false);
	a->cache_destroy(cache);
	return 0;
}
