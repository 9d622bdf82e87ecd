/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the stand-in kernel (linux.c) shares with the harness API
 * (harness.c) beyond the kernel interfaces declared in shim/: the
 * pieces of mm/slab_common.c that sll_cache_create() reuses, the trap
 * of the usercopy check, the arena's extent and the boot of the
 * simulated machine.  Neither the allocator nor the tests include it.
 */
#ifndef SLUB_LL_RUNTIME_H
#define SLUB_LL_RUNTIME_H

#include <setjmp.h>

/* Pages of the arena ever handed out: page numbers below are valid. */
extern unsigned long sll_arena_top;

/* Set while a usercopy check runs: usercopy_abort() jumps there. */
extern jmp_buf *sll_usercopy_trap;

/* The common code's alignment of a cache's objects. */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size);
/* Whether caches created with SLL_MERGE may merge into @s. */
void set_mergeable(struct kmem_cache *s, bool on);

/*
 * Map the arena and the per-CPU units, check the host CPU, make
 * @nr_cpus simulated CPUs and bind the calling thread to CPU 0: all of
 * sll_init() but the allocator's own boot.  0, or -1 with a message.
 */
int sll_kernel_init(unsigned int nr_cpus);

#endif /* SLUB_LL_RUNTIME_H */
