/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SLUB_LL_DEF_H
#define _LINUX_SLUB_LL_DEF_H
/*
 * SLUB-LL: the slab allocator whose slowpaths change a slab's state with
 * one double-word compare-exchange.  This header is shared by mm/slub_ll.c,
 * the CONFIG_SLUB_LL branch of mm/slab.h and the user-space harness in
 * tools/testing/slub_ll, so that each structure is defined exactly once.
 */
#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/kobject.h>
#include <linux/reciprocal_div.h>
#include <linux/slub_ll_layout.h>
#ifdef CONFIG_KASAN_GENERIC
#include <linux/kasan.h>
#endif

/*
 * Statistics, one counter per path, named in slub_ll_stat_names[] after
 * the file under /sys/kernel/slab/<cache>/.  Where upstream SLUB has a
 * counter with the same meaning, the same name is used so that existing
 * tools read it unchanged.  alloc_* and free_* count objects (bulk calls
 * included), the others count events.
 */
enum slub_ll_stat_item {
	SLL_ALLOC_FASTPATH,		/* alloc_fastpath */
	SLL_ALLOC_SLOWPATH,		/* alloc_slowpath */
	SLL_FREE_FASTPATH,		/* free_fastpath */
	SLL_FREE_SLOWPATH,		/* free_slowpath */
	SLL_FREE_FROZEN,		/* free_frozen */
	SLL_FREE_ADD_PARTIAL,		/* free_add_partial */
	SLL_FREE_REMOVE_PARTIAL,	/* free_remove_partial */
	SLL_ALLOC_FROM_PARTIAL,		/* alloc_from_partial */
	SLL_ALLOC_SLAB,			/* alloc_slab */
	SLL_ALLOC_REFILL,		/* alloc_refill */
	SLL_FREE_SLAB,			/* free_slab */
	SLL_CPUSLAB_FLUSH,		/* cpuslab_flush */
	SLL_CMPXCHG_DOUBLE_CPU_FAIL,	/* cmpxchg_double_cpu_fail */
	SLL_CMPXCHG_DOUBLE_FAIL,	/* cmpxchg_double_fail */
	SLL_FREEZE,			/* freeze */
	SLL_UNFREEZE,			/* unfreeze */
	SLL_PAGELOCK_TAKEN,		/* pagelock_taken */
	SLL_LIST_LOCK,			/* list_lock */
	SLL_CPU_PARTIAL_ALLOC,		/* cpu_partial_alloc */
	SLL_CPU_PARTIAL_FREE,		/* cpu_partial_free */
	SLL_CPU_PARTIAL_NODE,		/* cpu_partial_node */
	SLL_CPU_PARTIAL_DRAIN,		/* cpu_partial_drain */
	NR_SLUB_LL_STAT_ITEMS
};

/* The names, indexed by enum slub_ll_stat_item (mm/slub_ll.c). */
extern const char * const slub_ll_stat_names[NR_SLUB_LL_STAT_ITEMS];

/*
 * A CPU's view of its active slab and of its partial slabs.  freelist and
 * tid form a double word, changed on this CPU only; partial and
 * partial_stamp form another, which other CPUs change too (they push slabs
 * this CPU allocated from), so it sits behind the statistics, away from
 * the fastpath's words where it can, with partial_own_objs, which pushes
 * read.  partial_stamp holds the objects the slabs on the pushed list can
 * hold in its low half and counts the growths of the own list in its high
 * half; partial_own_objs, written by this CPU only, holds the objects of
 * the own list's slabs (mm/slub_ll.c, "Per-CPU partial slabs").
 */
struct kmem_cache_cpu {
	void **freelist;	/* next free object of the active slab */
	unsigned long tid;	/* bumped on every change, detects migration */
	struct slab *slab;	/* the slab this CPU has frozen, or NULL */
	/* partial slabs only this CPU touches, oldest first, via slab->next */
	struct slab *partial_own;
	unsigned long partial_own_nr;	/* how many slabs */
	unsigned int irqoff;	/* depth of interrupts-off sections here */
#ifdef CONFIG_SLUB_LL_STATS
	unsigned int stat[NR_SLUB_LL_STAT_ITEMS];
#endif
	/* partial slabs pushed for this CPU, newest first, via slab->next */
	struct slab *partial __aligned(2 * sizeof(unsigned long));
	unsigned long partial_stamp;	/* objects | own growths << half */
	unsigned long partial_own_objs;	/* objects of the own list's slabs */
	spinlock_t partial_lock;	/* guards the pair in page-lock mode */
} __aligned(2 * sizeof(unsigned long));

/* Most slabs cpu_partial may ask a CPU to keep on its two lists together. */
#define SLUB_LL_PARTIAL_MAX	1024UL

/* Per-node lists of slabs that no CPU holds. */
struct kmem_cache_node {
	spinlock_t list_lock;		/* protects partial and nr_partial */
	unsigned long nr_partial;
	struct list_head partial;
	atomic_long_t nr_slabs;
	atomic_long_t total_objects;
};

struct kmem_cache {
	struct kmem_cache_cpu __percpu *cpu_slab;
	/* Fields the common slab code (mm/slab_common.c) reads and writes. */
	slab_flags_t flags;
	unsigned int size;		/* object size with metadata and padding */
	unsigned int object_size;	/* size the user asked for */
	unsigned int offset;		/* free pointer offset within an object */
	struct reciprocal_value reciprocal_size;	/* divides by size */
	unsigned int order;		/* preferred page order of a slab */
	unsigned int min_order;		/* order tried when that one fails */
	unsigned int objects;		/* objects in a slab of that order */
	unsigned int align;
	unsigned int useroffset;	/* usercopy region */
	unsigned int usersize;
	unsigned long min_partial;	/* partial slabs kept per node */
	unsigned int cpu_partial;	/* free objects kept per CPU, or 0 */
	/* objects the slabs on a CPU's two lists may hold together */
	unsigned int cpu_partial_objs;
	bool pagelock;			/* page-lock fallback for this cache */
	/* bytes of an object kept intact; 7.3's merging widens it */
	unsigned int inuse;
	unsigned int sheaf_capacity;	/* 7.3: objects per sheaf asked for */
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	unsigned long random;		/* mixed into stored free pointers */
	unsigned long slab_mask;	/* ~(bytes of a slab of s->order - 1) */
#endif
#ifdef CONFIG_SLAB_FREELIST_RANDOM
	unsigned int *random_seq;	/* object indices in a random order */
#endif
#ifdef CONFIG_KASAN_GENERIC
	struct kasan_cache kasan_info;	/* where KASAN keeps its metadata */
#endif
	void (*ctor)(void *object);
	const char *name;
	int refcount;
	struct list_head list;		/* on slab_caches */
#ifdef CONFIG_SYSFS
	struct kobject kobj;		/* /sys/kernel/slab/<name> */
#endif
	struct kmem_cache_node *node[MAX_NUMNODES];
};

#ifdef SLUB_LL_NODE_ACCESSORS
static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int node)
{
	return s->node[node];
}

/* Where for_each_kmem_cache_node() is in its walk over the nodes. */
struct sll_node_walk {
	struct kmem_cache *s;
	int node;
};

/* The first node from where @w is on with structures of w->s, if any. */
static inline bool sll_node_next(struct sll_node_walk *w, int *node,
				 struct kmem_cache_node **n)
{
	while (w->node < nr_node_ids && !w->s->node[w->node])
		w->node++;
	if (w->node >= nr_node_ids)
		return false;
	*node = w->node;
	*n = w->s->node[w->node];
	return true;
}

#define for_each_kmem_cache_node(__s, __node, __n)			\
	for (struct sll_node_walk __w = { .s = (__s) };			\
	     sll_node_next(&__w, &(__node), &(__n)); __w.node++)
#endif

/*
 * Statistics are per CPU and summed on read; all three return or clear
 * nothing (0) without CONFIG_SLUB_LL_STATS.
 */
unsigned long slub_ll_stat_cpu(struct kmem_cache *s,
			       enum slub_ll_stat_item item, int cpu);
unsigned long slub_ll_stat_sum(struct kmem_cache *s,
			       enum slub_ll_stat_item item);
void slub_ll_stat_clear(struct kmem_cache *s, enum slub_ll_stat_item item);

/* CPU hotplug teardown: hand the slabs of dead @cpu back (always 0). */
int slub_ll_cpu_dead(unsigned int cpu);

/* Free objects each CPU may keep on its two partial lists (0: none). */
void slub_ll_set_cpu_partial(struct kmem_cache *s, unsigned int objects);
/* How long a node counts as short of pages after a failure (KUnit). */
unsigned long slub_ll_set_short_ticks(unsigned long ticks);
/* Mark @slab as made of pages from the emergency reserves (KUnit). */
void slub_ll_slab_set_pfmemalloc(struct slab *slab);
/* Has this CPU the double-word compare-exchange lockless mode needs? */
bool slub_ll_has_cmpxchg_dw(void);
/* The CPU that last allocated from @slab (kept where the tree allows). */
struct slab;
unsigned int slub_ll_slab_cpu(const struct slab *slab);
/*
 * Slabs on both partial lists of @cpu, read without a lock: the pushed
 * list's from its weight, short where it holds fallback slabs.
 */
unsigned long slub_ll_cpu_partial_slabs(struct kmem_cache *s, int cpu);
/* Add the slabs CPUs hold, active and partial, to @nodes[node]. */
void slub_ll_count_cpu_slabs(struct kmem_cache *s, unsigned long *nodes);

/* Objects in use and free on @n's partial slabs, under its list_lock. */
void slub_ll_count_partial(struct kmem_cache *s, struct kmem_cache_node *n,
			   unsigned long *inuse, unsigned long *free);

/*
 * /sys/kernel/slab/<cache>/ for SLUB-LL lives in mm/slub_ll_sysfs.c; the
 * allocator calls these when a cache is created and when a name is
 * merged into it.  What the common code calls is declared by the tree's
 * <linux/slub_ll_layout.h> or mm/slab.h.
 */
#ifdef CONFIG_SLUB_LL_SYSFS
int slub_ll_sysfs_add(struct kmem_cache *s);
int slub_ll_sysfs_alias(struct kmem_cache *s, const char *name);
#else
static inline int slub_ll_sysfs_add(struct kmem_cache *s) { return 0; }
static inline int slub_ll_sysfs_alias(struct kmem_cache *s, const char *name)
{
	return 0;
}
#endif

#endif /* _LINUX_SLUB_LL_DEF_H */
