/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SLUB_LL_LAYOUT_H
#define _LINUX_SLUB_LL_LAYOUT_H
/*
 * SLUB-LL on Linux 6.1: where its structures meet this kernel's, for
 * <linux/slub_ll_def.h>.  The same file exists for every tree the series
 * targets.
 */

/*
 * The fields of struct slab (mm/slab.h) for CONFIG_SLUB_LL, laid over the
 * head page of the slab.  With struct page double-word aligned, freelist
 * starts on a double-word boundary, and freelist + counters form the pair
 * that every slowpath changes with one compare-exchange.  cpu, the last
 * CPU to allocate from the slab, is the head page's _mapcount, the word
 * SLAB keeps its active count in; it goes back to -1 before the pages do.
 */
#define SLUB_LL_SLAB_FIELDS						\
	union {								\
		struct list_head slab_list;				\
		struct rcu_head rcu_head;				\
		struct slab *next;	/* on a CPU's partial list */	\
	};								\
	struct kmem_cache *slab_cache;					\
	union {								\
		struct {						\
			void *freelist;					\
			union {						\
				unsigned long counters;			\
				struct {				\
					unsigned inuse:16;		\
					unsigned objects:15;		\
					unsigned frozen:1;		\
				};					\
			};						\
		};							\
	} __aligned(2 * sizeof(unsigned long));				\
	unsigned int cpu	/* last CPU to allocate from it */

/* EXPORT_SYMBOL_IF_KUNIT()'s namespace, as MODULE_IMPORT_NS() takes it */
#define SLUB_LL_KUNIT_NS	EXPORTED_FOR_KUNIT_TESTING

/* Slab pages credited to a task's struct reclaim_state (KUnit). */
#define slub_ll_reclaimed(rs)	((rs)->reclaimed_slab)

/* One object of the type of @var, as a single allocation. */
#define sll_kmalloc_obj(var, gfp)	kmalloc(sizeof(var), gfp)

/* Page orders a slab may have: 0 .. SLUB_LL_PAGE_ORDERS - 1. */
#define SLUB_LL_PAGE_ORDERS	MAX_ORDER

/* What 6.1's common code calls for /sys/kernel/slab (mm/slub_ll_sysfs.c). */
#ifdef CONFIG_SLUB_LL_SYSFS
#define SLAB_SUPPORTS_SYSFS
struct kmem_cache;
void sysfs_slab_unlink(struct kmem_cache *s);
void sysfs_slab_release(struct kmem_cache *s);
#endif

#endif /* _LINUX_SLUB_LL_LAYOUT_H */
