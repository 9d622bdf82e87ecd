/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SLUB-LL on Linux 7.3: what the allocator core (mm/slub_ll.c) needs from
 * this kernel, each under the name the core calls it by.  The same file
 * exists for every tree the series targets; diff two of them to see what
 * changed between the kernels for a slab allocator:
 *
 *   the double-word compare-exchange		cmpxchg_dw(), this_cpu_cmpxchg_dw()
 *   a slab's page: allocation, marking,	sll_alloc_pages(), sll_make_slab(),
 *     accounting, freeing			sll_account_slab(), sll_free_slab_pages()
 *   the page lock of page-lock mode		slab_lock(), slab_unlock()
 *   the emergency-reserve mark			sll_slab_pfmemalloc(),
 *						sll_slab_set_pfmemalloc()
 *   the owner CPU kept in the head page	sll_slab_cpu(), sll_set_slab_cpu()
 *   reclaim credit for freed slab pages	sll_reclaimed()
 *   KASAN around a constructor			sll_unpoison_new(), sll_poison_new()
 *   the nodes that get kmem_cache_nodes		SLL_NODE_STATE
 *   flags of the boot caches, of the flush	SLL_BOOT_CACHE_FLAGS,
 *     workqueue				SLL_FLUSH_WQ_FLAGS
 *
 * Included by mm/slub_ll.c after mm/slab.h; the entry points of this
 * tree, which the core does not know, are in mm/slub_ll_tree.c.
 */
#ifndef _MM_SLUB_LL_TREE_H
#define _MM_SLUB_LL_TREE_H

#include <linux/fault-inject.h>
#include <linux/irq_work.h>
#include <linux/kmsan.h>
#include <linux/node.h>
#include <linux/vmalloc.h>
#include "page_alloc.h"

#define SLL_NODE_STATE		N_MEMORY
#define SLL_BOOT_CACHE_FLAGS	(SLAB_HWCACHE_ALIGN | SLAB_NO_OBJ_EXT)
#define SLL_FLUSH_WQ_FLAGS	(WQ_MEM_RECLAIM | WQ_PERCPU)

/*
 * The double-word compare-exchange is mm/slab.h's for the freelist pair
 * (try_cmpxchg128() on 64-bit, try_cmpxchg64() on 32-bit, over
 * freelist_full_t), defined where the architecture has the instruction
 * and struct page is double-word aligned: what SLUB_LL depends on.  The
 * pair's first word is the low half: x86 is little-endian.
 */
#ifndef system_has_freelist_aba
#error "SLUB-LL needs a double-word compare-exchange on struct page"
#endif
#define system_has_cmpxchg_dw()		system_has_freelist_aba()
#ifdef CONFIG_64BIT
#define sll_this_cpu_try_cmpxchg_dw	this_cpu_try_cmpxchg128
#else
#define sll_this_cpu_try_cmpxchg_dw	this_cpu_try_cmpxchg64
#endif

static __always_inline freelist_full_t sll_dw(unsigned long lo,
					      unsigned long hi)
{
	return (freelist_full_t)lo | (freelist_full_t)hi << BITS_PER_LONG;
}

#define cmpxchg_dw(ptr, o1, o2, n1, n2)					\
({									\
	freelist_full_t __old = sll_dw((unsigned long)(o1),		\
				       (unsigned long)(o2));		\
									\
	try_cmpxchg_freelist((freelist_full_t *)(ptr), &__old,		\
			     sll_dw((unsigned long)(n1),		\
				    (unsigned long)(n2)));		\
})

#define this_cpu_cmpxchg_dw(pcp, o1, o2, n1, n2)			\
({									\
	freelist_full_t __old = sll_dw((unsigned long)(o1),		\
				       (unsigned long)(o2));		\
									\
	sll_this_cpu_try_cmpxchg_dw(*(freelist_full_t __percpu *)&(pcp), \
				    &__old,				\
				    sll_dw((unsigned long)(n1),		\
					   (unsigned long)(n2)));	\
})

/*
 * Pages for a slab, frozen (no reference count) like every slab's in
 * 7.3.  kmalloc_nolock() reaches the slowpath only where interrupts are
 * on and outside NMI (sll_alloc_nolock()), where the page allocator's
 * ordinary path, asked without reclaim, is safe: no no-lock variant.
 *
 * With memory allocation profiling, slab pages count on the allocator's
 * own site, here; a large kmalloc's pages (sll_alloc_pages_noprof()) on
 * the site of the caller, current->alloc_tag, like its slab objects.
 */
static inline struct page *sll_alloc_pages_noprof(gfp_t gfp, int node,
						  unsigned int order)
{
	if (node == NUMA_NO_NODE)
		return alloc_frozen_pages_noprof(gfp, order);
	return __alloc_frozen_pages_noprof(gfp, order, node, NULL,
					   ALLOC_DEFAULT);
}

static inline struct page *sll_alloc_pages(gfp_t gfp, int node,
					   unsigned int order)
{
	return alloc_hooks(sll_alloc_pages_noprof(gfp, node, order));
}

/* The pfmemalloc mark is PG_active of the head page, as in SLUB. */
static inline bool sll_slab_pfmemalloc(const struct slab *slab)
{
	return test_bit(PG_active, &slab->flags.f);
}

static inline void sll_slab_set_pfmemalloc(struct slab *slab)
{
	set_bit(PG_active, &slab->flags.f);
}

/* Make the compound page @page a slab; pages from the reserves say so. */
static inline struct slab *sll_make_slab(struct page *page)
{
	struct slab *slab;

	__folio_set_slab(page_folio(page));
	slab = page_slab(page);
	if (page_is_pfmemalloc(page))
		sll_slab_set_pfmemalloc(slab);
	return slab;
}

static void sll_account_slab(struct kmem_cache *s, struct slab *slab,
			     unsigned int order, gfp_t gfp);
static void sll_free_slab_pages(struct kmem_cache *s, struct slab *slab);

static inline void sll_reclaimed(unsigned int pages)
{
	mm_account_reclaimed_pages(pages);
}

static __always_inline void slab_lock(struct slab *slab)
{
	bit_spin_lock(PG_locked, &slab->flags.f);
}

static __always_inline void slab_unlock(struct slab *slab)
{
	bit_spin_unlock(PG_locked, &slab->flags.f);
}

/*
 * A slab is a page type in 7.3: its head page's page_type word holds
 * PGTY_slab in the top byte, which readers test racily, and leaves the
 * low 24 bits to the slab allocator.  The owner CPU goes there; the whole
 * word is written, so the top byte never changes while the page is a
 * slab.
 */
#define SLL_CPU_BITS		24
static_assert(CONFIG_NR_CPUS <= (1 << SLL_CPU_BITS));

static __always_inline unsigned int sll_slab_cpu(const struct slab *slab)
{
	return READ_ONCE(slab->__page_type) & ((1U << SLL_CPU_BITS) - 1);
}

static __always_inline void sll_set_slab_cpu(struct slab *slab,
					     unsigned int cpu)
{
	WRITE_ONCE(slab->__page_type,
		   (unsigned int)PGTY_slab << SLL_CPU_BITS | cpu);
}

static inline void sll_unpoison_new(struct kmem_cache *s, void *object)
{
	kasan_unpoison_new_object(s, object);
}

static inline void sll_poison_new(struct kmem_cache *s, void *object)
{
	kasan_poison_new_object(s, object);
}

#endif /* _MM_SLUB_LL_TREE_H */
