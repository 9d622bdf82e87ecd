/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SLUB_LL_LAYOUT_H
#define _LINUX_SLUB_LL_LAYOUT_H
/*
 * SLUB-LL on Linux 7.3: where its structures meet this kernel's, for
 * <linux/slub_ll_def.h>.  The same file exists for every tree the series
 * targets.
 */

/*
 * The fields of struct slab (mm/slab.h) for CONFIG_SLUB_LL between
 * slab_cache, which 7.3 keeps in the head page's compound_info word, and
 * the page type.  They are SLUB's, so that the common code finds what it
 * reads where it reads it, with one link more: next, for a CPU's partial
 * list.  freelist and counters (struct freelist_counters, mm/slab.h) are
 * the pair every slowpath changes with one compare-exchange; SLUB-LL
 * leaves counters' obj_exts bits clear.  The owner CPU of a slab lives
 * in the low bits of the page type (mm/slub_ll_tree.h).
 */
#define SLUB_LL_SLAB_FIELDS						\
	union {								\
		struct {						\
			union {						\
				struct list_head slab_list;		\
				struct slab *next; /* CPU partial list */ \
			};						\
			struct freelist_counters;			\
		};							\
		struct rcu_head rcu_head;				\
	}

/* mm/slab.h has no get_node(): <linux/slub_ll_def.h> gives one. */
#define SLUB_LL_NODE_ACCESSORS	1

/* This tree has kmalloc_nolock() and kfree_nolock() (the KUnit suite). */
#define SLUB_LL_KMALLOC_NOLOCK	1

/* EXPORT_SYMBOL_IF_KUNIT()'s namespace, as MODULE_IMPORT_NS() takes it */
#define SLUB_LL_KUNIT_NS	"EXPORTED_FOR_KUNIT_TESTING"

/* Slab pages credited to a task's struct reclaim_state (KUnit). */
#define slub_ll_reclaimed(rs)	((rs)->reclaimed)

/* One object of the type of @var, as a single allocation. */
#define sll_kmalloc_obj(var, gfp)	kmalloc_obj(var, gfp)

/* Page orders a slab may have: 0 .. SLUB_LL_PAGE_ORDERS - 1. */
#define SLUB_LL_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)

#endif /* _LINUX_SLUB_LL_LAYOUT_H */
