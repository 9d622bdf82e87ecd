// SPDX-License-Identifier: GPL-2.0
/*
 * Reference allocator: glibc's malloc (per-thread caches, arenas).
 *
 * Debian's libmimalloc.so defines malloc and free too; the Makefile links
 * the C library ahead of it so that malloc stays glibc's, and the mimalloc
 * column checks that at start-up.
 */
#include <stdlib.h>
#include "bench.h"

struct libc_cache {
	unsigned int size;
};

static int libc_init(int ncpus)
{
	return 0;
}

static void *libc_cache_create(unsigned int size)
{
	struct libc_cache *c = malloc(sizeof(*c));

	if (c)
		c->size = size;
	return c;
}

static void libc_cache_destroy(void *cache)
{
	free(cache);
}

static void *libc_alloc(void *cache)
{
	return malloc(((struct libc_cache *)cache)->size);
}

static void libc_free(void *cache, void *obj)
{
	free(obj);
}

static void libc_bind_cpu(int cpu)
{
}

/* The asm keeps the compiler from eliding a malloc paired with a free. */
void fastpath_loop_libc(void *cache, unsigned long n)
{
	size_t size = ((struct libc_cache *)cache)->size;
	unsigned long i;
	void *p;

	for (i = 0; i < n; i++) {
		p = malloc(size);
		asm volatile("" : : "r" (p) : "memory");
		free(p);
	}
}

const struct bench_allocator bench_libc = {
	.name		= "glibc",
	.init		= libc_init,
	.cache_create	= libc_cache_create,
	.cache_destroy	= libc_cache_destroy,
	.alloc		= libc_alloc,
	.free		= libc_free,
	.bind_cpu	= libc_bind_cpu,
	.fastpath_loop	= fastpath_loop_libc,
	.per_thread_only = true,
};
