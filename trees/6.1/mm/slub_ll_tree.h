/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SLUB-LL on Linux 6.1: what the allocator core (mm/slub_ll.c) needs from
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

#include <asm/cmpxchg_dw.h>

#define SLL_NODE_STATE		N_NORMAL_MEMORY
#define SLL_BOOT_CACHE_FLAGS	SLAB_HWCACHE_ALIGN
#define SLL_FLUSH_WQ_FLAGS	WQ_MEM_RECLAIM

/* Pages from @node, or where the task's memory policy says (NUMA_NO_NODE). */
static inline struct page *sll_alloc_pages(gfp_t gfp, int node,
					   unsigned int order)
{
	if (node == NUMA_NO_NODE)
		return alloc_pages(gfp, order);
	return alloc_pages_node(node, gfp, order);
}

/* Make the compound page @page a slab; pages from the reserves say so. */
static inline struct slab *sll_make_slab(struct page *page)
{
	struct folio *folio = page_folio(page);
	struct slab *slab;

	__folio_set_slab(folio);
	slab = folio_slab(folio);
	if (page_is_pfmemalloc(page))
		slab_set_pfmemalloc(slab);
	return slab;
}

static inline bool sll_slab_pfmemalloc(const struct slab *slab)
{
	return slab_test_pfmemalloc(slab);
}

static inline void sll_slab_set_pfmemalloc(struct slab *slab)
{
	slab_set_pfmemalloc(slab);
}

/* Node statistics and the memory cgroup vector (after slab->objects). */
static inline void sll_account_slab(struct kmem_cache *s, struct slab *slab,
				    unsigned int order, gfp_t gfp)
{
	account_slab(slab, order, s, gfp);
}

static inline void sll_free_slab_pages(struct kmem_cache *s, struct slab *slab)
{
	struct folio *folio = slab_folio(slab);
	int order = folio_order(folio);

	unaccount_slab(slab, order, s);
	__slab_clear_pfmemalloc(slab);
	__folio_clear_slab(folio);
	/* slab_cache shares its word with page->mapping, which must be NULL */
	slab->slab_cache = NULL;
	/* and cpu with page->_mapcount, which must be -1 */
	slab->cpu = UINT_MAX;
	__free_pages(folio_page(folio, 0), order);
}

/* Credit a task reclaiming memory with @pages freed slab pages. */
static inline void sll_reclaimed(unsigned int pages)
{
	if (current->reclaim_state)
		current->reclaim_state->reclaimed_slab += pages;
}

static __always_inline void slab_lock(struct slab *slab)
{
	bit_spin_lock(PG_locked, &slab->__page_flags);
}

static __always_inline void slab_unlock(struct slab *slab)
{
	bit_spin_unlock(PG_locked, &slab->__page_flags);
}

static __always_inline unsigned int sll_slab_cpu(const struct slab *slab)
{
	return READ_ONCE(slab->cpu);
}

static __always_inline void sll_set_slab_cpu(struct slab *slab,
					     unsigned int cpu)
{
	WRITE_ONCE(slab->cpu, cpu);
}

static inline void sll_unpoison_new(struct kmem_cache *s, void *object)
{
	kasan_unpoison_object_data(s, object);
}

static inline void sll_poison_new(struct kmem_cache *s, void *object)
{
	kasan_poison_object_data(s, object);
}

#endif /* _MM_SLUB_LL_TREE_H */
