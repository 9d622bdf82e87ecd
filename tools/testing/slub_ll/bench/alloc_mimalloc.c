// SPDX-License-Identifier: GPL-2.0
/*
 * Reference allocator: mimalloc, called directly (mi_malloc/mi_free), so it
 * stands beside the C library's malloc rather than replacing it.
 */
#include <mimalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include "bench.h"

struct mi_cache {
	unsigned int size;
};

/* The glibc column is only glibc if mimalloc has not taken over malloc. */
static int mi_init(int ncpus)
{
	void *p = calloc(1, 64);
	bool taken = mi_is_in_heap_region(p);

	free(p);
	if (taken) {
		fprintf(stderr,
			"mimalloc replaced malloc: link libc ahead of it\n");
		return -1;
	}
	return 0;
}

static void *mi_cache_create(unsigned int size)
{
	struct mi_cache *c = malloc(sizeof(*c));

	if (c)
		c->size = size;
	return c;
}

static void mi_cache_destroy(void *cache)
{
	free(cache);
}

static void *mi_alloc(void *cache)
{
	return mi_malloc(((struct mi_cache *)cache)->size);
}

static void mi_free_obj(void *cache, void *obj)
{
	mi_free(obj);
}

static void mi_bind_cpu(int cpu)
{
}

void fastpath_loop_mimalloc(void *cache, unsigned long n)
{
	size_t size = ((struct mi_cache *)cache)->size;
	unsigned long i;
	void *p;

	for (i = 0; i < n; i++) {
		p = mi_malloc(size);
		asm volatile("" : : "r" (p) : "memory");
		mi_free(p);
	}
}

const struct bench_allocator bench_mimalloc = {
	.name		= "mimalloc",
	.init		= mi_init,
	.cache_create	= mi_cache_create,
	.cache_destroy	= mi_cache_destroy,
	.alloc		= mi_alloc,
	.free		= mi_free_obj,
	.bind_cpu	= mi_bind_cpu,
	.fastpath_loop	= fastpath_loop_mimalloc,
	.per_thread_only = true,
};
