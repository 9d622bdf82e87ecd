// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator under test: mm/slub_ll.c through the user-space harness,
 * once with the lockless slowpaths and once with the page-lock fallback.
 *
 * Simulated CPU 0 belongs to the main thread, which creates and destroys
 * the caches while no worker runs; worker n is simulated CPU n + 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../harness.h"
#include "bench.h"

static int nr_workers;

/*
 * sll_bind_cpu() also pins the thread to host core (simulated CPU modulo
 * host cores).  One spare worker CPU, "host" further on than worker 0's,
 * lands on the same host core, so a single thread can change simulated
 * CPUs without being migrated (see peer_cpu).
 */
static int sll_bench_init(int ncpus)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);

	nr_workers = ncpus;
	if (host > 0 && host + 1 > ncpus && host + 2 <= SLL_MAX_CPUS)
		nr_workers = host + 1;
	return sll_init(nr_workers + 1);
}

static int sll_bench_peer_cpu(int cpu)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);

	if (host > 0 && cpu + host < nr_workers)
		return cpu + host;
	return cpu + 1;
}

static unsigned long pages_at_create;

static void *cache_create_mode(unsigned int size, bool pagelock)
{
	struct kmem_cache *s;

	sll_set_pagelock(pagelock);
	s = sll_cache_create("bench", size, 0, 0, NULL);
	if (s && sll_cache_pagelock(s) != pagelock) {
		fprintf(stderr, "slub_ll: asked for %s mode, cache uses %s\n",
			pagelock ? "page-lock" : "lockless",
			pagelock ? "lockless" : "page-lock");
		sll_cache_destroy(s);
		return NULL;
	}
	if (s && params.cpu_partial >= 0)
		sll_set_cpu_partial(s, params.cpu_partial);
	/* A new cache holds no slab yet; only one cache lives at a time. */
	pages_at_create = sll_pages_in_use();
	return s;
}

static void *lockless_cache_create(unsigned int size)
{
	return cache_create_mode(size, false);
}

static void *pagelock_cache_create(unsigned int size)
{
	return cache_create_mode(size, true);
}

/* Counters of the last cache destroyed, per mode (lockless, page-lock). */
#define MAX_STATS	64
static unsigned long last_stats[2][MAX_STATS];
static unsigned int last_order[2], last_objects[2];
static unsigned long last_pages[2];

static void sll_bench_cache_destroy(void *cache)
{
	struct kmem_cache *s = cache;
	bool pagelock = sll_cache_pagelock(s);
	long left;

	if (sll_nr_stats() <= MAX_STATS)
		sll_stats(s, last_stats[pagelock]);
	last_pages[pagelock] = sll_pages_in_use() - pages_at_create;
	last_order[pagelock] = sll_cache_order(s);
	last_objects[pagelock] = sll_cache_objects(s);
	left = sll_cache_destroy(s);

	if (left)
		fprintf(stderr, "slub_ll: %ld objects left at destroy\n", left);
}

static void *sll_bench_alloc(void *cache)
{
	return sll_alloc(cache);
}

static void sll_bench_free(void *cache, void *obj)
{
	sll_free(cache, obj);
}

static void sll_bench_bind_cpu(int cpu)
{
	if (sll_bind_cpu(cpu + 1)) {
		fprintf(stderr, "slub_ll: cannot bind to CPU %d\n", cpu + 1);
		exit(1);
	}
}

/*
 * Every non-zero counter as a percentage of the allocations, so that
 * "free_slowpath 50%" reads: half the frees took the slowpath.
 */
static void sll_bench_print_stats(const struct bench_allocator *a)
{
	bool pagelock = a == &bench_slub_ll_pagelock;
	const unsigned long *v = last_stats[pagelock];
	int fast = sll_stat_index("alloc_fastpath");
	int slow = sll_stat_index("alloc_slowpath");
	unsigned int i, col = 0;
	double allocs;

	if (fast < 0 || slow < 0 || sll_nr_stats() > MAX_STATS)
		return;
	allocs = v[fast] + v[slow];
	if (allocs == 0)
		return;
	printf("    %-9s order %u, %u objects a slab; %% of allocs:",
	       a->name, last_order[pagelock], last_objects[pagelock]);
	for (i = 0; i < sll_nr_stats(); i++) {
		if (!v[i] || i == (unsigned int)fast)
			continue;
		if (col++ % 3 == 0)
			printf("\n%25s", "");
		printf(" %s %.3g", sll_stat_name(i), v[i] * 100 / allocs);
	}
	printf("\n");
}

/*
 * An "operation" of the table is an object allocated and freed, so the
 * lock count goes per object freed; all are freed by the destroy.
 */
static void sll_bench_last_run(const struct bench_allocator *a,
			       double *locks_per_k, double *pages)
{
	bool pagelock = a == &bench_slub_ll_pagelock;
	const unsigned long *v = last_stats[pagelock];
	int lock = sll_stat_index("list_lock");
	int fast = sll_stat_index("free_fastpath");
	int slow = sll_stat_index("free_slowpath");
	double frees;

	*pages = last_pages[pagelock];
	*locks_per_k = NAN;
	if (lock < 0 || fast < 0 || slow < 0 || sll_nr_stats() > MAX_STATS)
		return;
	frees = v[fast] + v[slow];
	if (frees > 0)
		*locks_per_k = v[lock] * 1000.0 / frees;
}

void fastpath_loop_slub_ll(void *cache, unsigned long n)
{
	struct kmem_cache *s = cache;
	unsigned long i;
	void *p;

	for (i = 0; i < n; i++) {
		p = sll_alloc(s);
		asm volatile("" : : "r" (p) : "memory");
		sll_free(s, p);
	}
}

const struct bench_allocator bench_slub_ll_lockless = {
	.name		= "lockless",
	.init		= sll_bench_init,
	.cache_create	= lockless_cache_create,
	.cache_destroy	= sll_bench_cache_destroy,
	.alloc		= sll_bench_alloc,
	.free		= sll_bench_free,
	.bind_cpu	= sll_bench_bind_cpu,
	.peer_cpu	= sll_bench_peer_cpu,
	.fastpath_loop	= fastpath_loop_slub_ll,
	.print_stats	= sll_bench_print_stats,
	.last_run	= sll_bench_last_run,
};

const struct bench_allocator bench_slub_ll_pagelock = {
	.name		= "page-lock",
	.init		= sll_bench_init,
	.cache_create	= pagelock_cache_create,
	.cache_destroy	= sll_bench_cache_destroy,
	.alloc		= sll_bench_alloc,
	.free		= sll_bench_free,
	.bind_cpu	= sll_bench_bind_cpu,
	.peer_cpu	= sll_bench_peer_cpu,
	.fastpath_loop	= fastpath_loop_slub_ll,
	.print_stats	= sll_bench_print_stats,
	.last_run	= sll_bench_last_run,
};
