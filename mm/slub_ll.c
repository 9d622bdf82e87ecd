// SPDX-License-Identifier: GPL-2.0
/*
 * SLUB-LL: a slab allocator whose slowpaths change the state of a slab with
 * one double-word compare-exchange instead of a lock.
 *
 * The design comes first, in the DOC sections below, which
 * Documentation/mm/slub_ll.rst includes with kernel-doc: objects and
 * slabs, the states of a slab, the invariants, the lock order, slabs from
 * the emergency reserves, hooks and hardening, sizing and tunables, nodes
 * and statistics.  This is the one place they are written; the code
 * follows them.
 *
 * Sections of this file, in order, each opened by a line of dashes:
 *
 *   Globals and boot parameters
 *	the tunables and SLUB's order parameters
 *   Small helpers
 *	statistics, tids, free pointers, the update of a slab's pair
 *   Node lists (list_lock held)
 *   Slab pages
 *	new slabs from the page allocator, discard_slab()
 *   Slowpath transitions of a slab's pair
 *	freeze, refill or release, unfreeze
 *   Per-CPU partial slabs
 *	push, pop, refill from the node, drain
 *   Alloc slowpath: the CPU's slab (interrupts off)
 *	___slab_alloc(): partial lists, then a new slab
 *   Free slowpath
 *	__slab_free(): the free to a slab this CPU does not hold
 *   Fastpaths: the CPU pair, preemption enabled, no lock
 *	slab_alloc_fast(), slab_free_chain()
 *   Raw object paths, for the tree's entry points
 *	bulk without hooks, chains of freed objects
 *   Flushing CPU slabs
 *	flush_all(), the CPU hotplug callback
 *   Cache life cycle
 *	sizing, setup, shrink, destroy
 *   Memory hotplug
 *	the per-node structures of a node coming online
 *   Boot
 *	the bootstrap of the boot caches
 *   Reporting: statistics, /proc/slabinfo, object info, usercopy
 *	what sysfs, /proc and the common code read
 *
 * The file is the same in every kernel tree the series targets.  What a
 * tree differs in is its layer, two files of the same names in each:
 * mm/slub_ll_tree.h (included below: the double-word compare-exchange,
 * a slab's pages and page flags, KASAN names) and mm/slub_ll_tree.c
 * (included at the end: the entry points that tree's kernel calls,
 * kmem_cache_alloc() and friends, cache creation, kmem_cache_init(),
 * memory hotplug, with that tree's hooks around the paths here).  In the
 * project the layers live under trees/<version>/.
 */

/**
 * DOC: Objects and slabs
 *
 * A slab is a compound page cut into slab->objects objects of s->size
 * bytes: s->objects for a slab of the preferred order s->order, fewer for
 * one of the fallback order s->min_order, made when the page allocator
 * has no pages of the preferred order at hand.  A free object holds the
 * address of the next free object at s->offset: at the start of the
 * object, or just behind the object when the cache has a constructor or is
 * SLAB_TYPESAFE_BY_RCU, whose objects must keep their contents while free,
 * unless the cache's creator keeps a field of the object free for it
 * (7.3's freeptr_offset, given to cache_setup()).
 *
 * Each slab (struct slab, laid over its head page) carries a pair of
 * machine words, double-word aligned::
 *
 *	freelist	first free object that the slab itself holds
 *	counters	inuse:16	objects not on the slab's freelist
 *			objects:15	objects in the slab
 *			frozen:1	a CPU owns the slab
 *
 * Every change of the pair after the slab is published is one
 * slab_update_pair(): a compare-exchange of both words (cmpxchg16b on
 * x86-64), or, in page-lock mode, the same compare-then-store done under
 * the slab's page lock with interrupts off.  Page-lock mode is chosen for
 * a cache when the CPU lacks the instruction or when the boot parameter
 * slub_ll_pagelock asks for it.  Nothing else differs between the modes.
 */

/**
 * DOC: States of a slab
 *
 * cpu-frozen (frozen = 1)
 *	Exactly one CPU has it in c->slab.  The CPU allocates from its own
 *	list c->freelist; frees from other CPUs push onto the slab's
 *	freelist.  On no list.
 *
 * cpu-partial (frozen = 1, freelist != NULL)
 *	On exactly one of the partial lists of one CPU (c->partial, where
 *	frees push it, or c->partial_own), normally those of its owner
 *	slab->cpu, the CPU that last allocated from it (or on a list a
 *	drain took off its CPU whole), on no node list.  Nobody allocates
 *	from it; frees push onto its freelist.  inuse may reach 0 there.
 *
 * partial (frozen = 0, freelist != NULL, inuse > 0)
 *	On the node's partial list.
 *
 * full (frozen = 0, freelist == NULL)
 *	On no list: nothing needs to find it until an object comes back.
 *
 * empty (frozen = 0, inuse == 0)
 *	Kept on the partial list while the node has fewer than
 *	s->min_partial partial slabs, otherwise given back to the page
 *	allocator (a slab emptied while on the list counts itself among
 *	them).
 *
 * Transitions, each one update of the pair::
 *
 *   new slab --------------------------------------------> cpu-frozen
 *   partial --freeze (take whole freelist, list_lock)----> cpu-frozen
 *   partial --refill moves more to the CPU (same hold)---> cpu-partial
 *   full --first free back, inuse stays > 0, CPU lists
 *      on (set frozen, no lock; push on the owner's list)
 *      --------------------------------------------------> cpu-partial
 *   cpu-partial --free (no lock)-------------------------> cpu-partial
 *   cpu-partial --its CPU pops it, refills (irqs off)----> cpu-frozen
 *   cpu-partial --drain: list full, flush, dead CPU
 *      (clear frozen, list_lock) ------------------------> partial / empty
 *   cpu-frozen --refill (take freelist, stay frozen)-----> cpu-frozen
 *   cpu-frozen --release (nothing left, no lock)---------> full
 *   cpu-frozen --unfreeze, nothing to merge (no lock)----> full
 *   cpu-frozen --unfreeze (merge CPU list, list_lock)----> partial / empty
 *   full --first free comes back otherwise (list_lock)---> partial / empty
 *   partial --free, inuse stays > 0 (no lock)------------> partial
 *   partial --free, inuse == 0 (list_lock)---------------> empty
 *   a slab emptied by a free or an unfreeze, node has
 *   >= min_partial partial (list_lock) ------------------> page allocator
 *   an empty partial slab, shrink (list_lock) -----------> page allocator
 */

/**
 * DOC: Invariants
 *
 * (1) A slab with frozen = 0 and freelist != NULL is on its node's
 *     partial list, unless it is empty and the CPU that emptied it is
 *     discarding it (from its last unlock to discard_slab(), nobody else
 *     can reach it).  Every pair update that enters or leaves that
 *     condition is made while holding the node's list_lock, and the list
 *     is changed under the same hold, so whoever holds list_lock sees
 *     lists and pairs agree for every slab a list or a CPU leads to; an
 *     emptied slab on its way to discard_slab() is led to by neither.  A
 *     slab with frozen = 1 is on no node list: it is one CPU's active
 *     slab, or on one CPU partial list, never both, or held by the one
 *     function moving it between them.  The free that freezes a full slab
 *     leaves the unlisted state "frozen = 0, freelist == NULL" for one
 *     that no node list holds either, so it needs no list_lock.
 *
 * (2) Only the CPU that has a slab as its active slab takes objects from
 *     its freelist, and it always takes the whole list (new freelist
 *     NULL); a slab on a CPU partial list gives none.  Frees only push.
 *     Hence no update of the pair ever depends on the "next" field of an
 *     object it did not own, and the pair needs no ABA tag: a free that
 *     links its object in front of the head it saw is right whatever
 *     happened to the slab in between, as long as the pair still matches.
 *
 * (3) For a frozen slab, inuse counts the objects on the CPU's list as in
 *     use.  Unfreezing subtracts them while merging that list back, so
 *     inuse == 0 with frozen = 0 after an unfreeze or a free means that no
 *     object of the slab is allocated or on a CPU list: no pair update can
 *     follow, and the slab may be discarded.  Its memory may still be read
 *     by an alloc fastpath holding a stale CPU pair (its compare-exchange
 *     then fails), and, for SLAB_TYPESAFE_BY_RCU, by RCU readers until
 *     the grace period ends.
 *
 * (4) The CPU pair (c->freelist, c->tid) changes only on its own CPU (or,
 *     once the CPU is dead, in slub_ll_cpu_dead()): on the fastpath by
 *     this_cpu_cmpxchg_dw() with preemption enabled, on the slowpaths
 *     with interrupts off, bumping tid before interrupts are enabled
 *     again.  A task preempted or migrated between reading the pair and
 *     updating it finds the tid changed (tids start at the CPU number and
 *     step by a power of two >= NR_CPUS, so they differ between CPUs too)
 *     and retries.  c->slab changes only with tid bumped, which lets the
 *     free fastpath trust the slab it compared against.
 *
 * (5) A CPU's pushed partial list (c->partial, c->partial_stamp) changes
 *     only by cpu_partial_update() of the pair: pushes and whole-list
 *     takes, from any CPU, and the owner's counts of its own list's
 *     growths.  None depends on the slab->next of a slab already on the
 *     list, so each is right whenever its compare succeeds, whatever
 *     happened in between: no ABA hazard.  The CPU's own list
 *     c->partial_own and its weight c->partial_own_objs change only on
 *     that CPU with interrupts off (or once the CPU is dead); a growth of
 *     the weight is stored before the pair counts it.  The weights of the
 *     two lists together never pass s->cpu_partial_objs as read by
 *     whoever added to them, unless the count of growths wraps within
 *     one push ("Per-CPU partial slabs" below).
 *
 * tools/testing/slub_ll/model/ holds a spin model of these states,
 * transitions and invariants (1)-(3) and (5), the CPU partial lists
 * included, checked exhaustively by the user-space tests; its README says
 * what it leaves out (the tid of invariant (4), NUMA, bulk paths).
 */

/**
 * DOC: Lock order
 *
 * Outermost first::
 *
 *   cpu_hotplug_lock             cpus_read_lock() around flushing all CPUs
 *   slab_mutex                   cache list; CPU hotplug walk (common code)
 *   slub_ll_flush_lock           the per-CPU flush work items
 *   kmem_cache_node.list_lock    partial list and nr_partial of one node;
 *                                taken with interrupts off
 *   kmem_cache_cpu.partial_lock  page-lock mode only: guards one CPU's
 *                                pushed partial list pair, for the
 *                                compare-then-store alone, interrupts off
 *   slab page lock               PG_locked bit of the slab's head page;
 *                                page-lock mode only: guards that slab's
 *                                pair, for the compare-then-store alone,
 *                                interrupts off
 *
 * The fastpaths take no lock.  The free slowpath in lockless mode runs
 * with interrupts enabled unless the slab moves between node lists: a
 * full slab it makes partial goes to its owner's partial list without a
 * lock, and only a list that overflows is drained under list_lock, one
 * hold per node for the whole list.  The alloc slowpath runs with
 * interrupts off because it changes the CPU's slab and list
 * non-atomically, except around the page allocator and the building of a
 * new slab's freelist, which run with interrupts as the caller had them
 * (tid bumped first, CPU looked up again after).
 */

/**
 * DOC: Slabs from the emergency reserves
 *
 * A slab whose pages the page allocator took from its reserves
 * (pfmemalloc, marked in the slab's folio) is never a CPU slab nor on a
 * CPU partial list: the entitled caller that made it gets one object and
 * the rest goes to the node's partial list, where only entitled callers
 * take it (freeze, one object, unfreeze).  So the fastpath never hands
 * such an object to a caller that is not entitled to it.
 */

/**
 * DOC: Hooks and hardening
 *
 * The hooks around the paths are the tree layer's (mm/slub_ll_tree.c):
 * memory cgroup charging, failslab, KASAN and kmemleak, from the common
 * code's mm/slab.h in 6.1, the layer's own in 7.3.  Frees call the memcg
 * free hook and KASAN's, which may keep an object in its quarantine (it
 * comes back through ___cache_free()).  KFENCE objects sit in slabs of
 * their own that no CPU holds, so a free that reaches the core goes to
 * __slab_free(), which hands them to KFENCE (the 7.3 layer's free hook
 * hands them over first).  With CONFIG_SLAB_FREELIST_HARDENED, free
 * pointers in
 * objects are stored mixed (freeptr_mix()), checked to stay in their slab
 * when loaded from an object this CPU owns (a bad one cuts the list
 * there; the objects behind the cut stay counted in inuse, so by
 * invariant (3) their slab is never discarded), and a free of the object
 * heading the list it goes to is reported and ignored; with
 * CONFIG_SLAB_FREELIST_RANDOM a new slab's objects are linked in a
 * shuffled order.
 */

/**
 * DOC: Sizing and tunables
 *
 * Each CPU keeps up to s->cpu_partial free objects on its two partial
 * lists together (sysfs cpu_partial; 0 turns the lists off), counted as
 * SLUB counts them: n slabs stand for n * objects / 2.  So the slabs on
 * both lists may hold s->cpu_partial_objs = 2 * cpu_partial objects, or
 * one slab's s->objects if that is more, free or not: that bounds the
 * memory a CPU keeps per cache at about cpu_partial_objs * s->size bytes,
 * whatever the lists hold and however full their slabs are, leaving out
 * the tail of each slab's pages that no object fills and the one slab a
 * push may pass the bound by (a wrap of the growth count, below).  By
 * default 8 slabs for objects under 256 bytes, 6 under 1K, 4 under a
 * page, else 2, for both lists.  A refill from the node moves up to half
 * that to the CPU's own list under the list_lock hold that freezes its
 * slab.
 *
 * Memory running low: the lists are trimmed where they are used, not by
 * a shrinker.  When a node could not give a new slab even at its cache's
 * smallest order, with the caller's flags, slab_pages() marks the node
 * short of pages, and for a second after the last such failure pushes of its slabs and refills
 * from it use a quarter of the bound, never less than one slab.  A push
 * over that drains the pushed list to the node, which gives empty slabs
 * back beyond min_partial and makes partial ones reachable from every
 * CPU, and a refill takes less.  It costs the fastpath nothing; a push
 * reads the mark of its slab's node.  A CPU that stays idle keeps what
 * it has (at most the bound) until the next flush or shrink.  A shrinker
 * would have to reach the own lists, which only their CPU touches, with
 * interrupts off: from reclaim it could only queue a work item on every
 * CPU and wait for them (flush_all(): cpus_read_lock(), a mutex, a flush
 * of each work item), which reclaim must not wait on, and most of what
 * it would find is in use; Documentation/mm/slub_ll.rst has the
 * measurements.
 *
 * A slab goes back to its owner rather than to the freeing CPU because
 * the owner is the CPU that will allocate from it again: where one CPU
 * allocates and others free (a socket's buffers), slabs circulate
 * between the two without the node's list, and no CPU that only frees
 * piles slabs up.
 *
 * A slab aims at 8 * fls(nr_cpu_ids) objects (16..64) within order 3, so
 * that slabs whose objects are freed elsewhere visit the list_lock
 * rarely; larger objects get one slab of their own order.  That order is
 * only asked for if the page allocator has it at hand (no reclaim, no
 * kswapd, no retry, no warning, no reserves, never __GFP_NOFAIL); else
 * the slab is made of the smallest order that holds an object, asked for
 * with the caller's own flags.
 */

/**
 * DOC: Nodes
 *
 * An allocation that names no node takes the CPU slab, else a partial
 * slab of the node its memory policy names (the local one without a
 * policy), else one of another node in the policy's zonelist order within
 * its cpuset, from a node that keeps min_partial slabs, else a new slab
 * from where the policy says.  A node-specific allocation for a node
 * without slab structures (SLL_NODE_STATE of the tree: nodes with normal
 * memory in 6.1, with any memory in 7.3) takes any node.  Memory hotplug
 * gives every cache a kmem_cache_node before a node's memory comes
 * online.  s->min_partial (2..10, by object size) empty slabs may stay
 * on a node.  Boot parameters: slub_ll_pagelock[=0|1] puts every cache
 * in page-lock mode; slub_ll_min_order=N (0..3) raises the smallest slab
 * order, and so does SLUB's slub_min_order=N; SLUB's slub_max_order=N
 * caps the order and slub_min_objects=N sets the objects a slab should
 * hold, as in SLUB, each also under SLUB's slab_* name (Linux 6.8 on);
 * slub_debug, slab_debug and SLUB's debugging flags of a cache are not
 * implemented: said at boot or at cache creation, and ignored.
 */

/**
 * DOC: Statistics
 *
 * Per-CPU counters, one per path (SLUB_LL_STATS in slub_ll_def.h), summed
 * on read.  alloc_fastpath + alloc_slowpath counts objects handed out and
 * free_fastpath + free_slowpath objects given back, bulk calls included,
 * so at rest the difference is the number of objects in use.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/bit_spinlock.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpuset.h>
#include <linux/interrupt.h>
#include <linux/kasan.h>
#include <linux/kfence.h>
#include <linux/kmemleak.h>
#include <linux/debugobjects.h>
#include <linux/memory.h>
#include <linux/mempolicy.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/swab.h>
#include <linux/swap.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>
#include <linux/slub_ll_def.h>
#include <trace/events/kmem.h>

#include "internal.h"
#include "slab.h"
#include "slub_ll_tree.h"

/* ---------------------------------------------------------------------
 * Globals and boot parameters
 */

/* Largest order tried when fitting objects into a slab, by default. */
#define SLL_MAX_ORDER		PAGE_ALLOC_COSTLY_ORDER
#define SLL_MIN_PARTIAL		2
#define SLL_MAX_PARTIAL		10
/* cache_setup(): no free pointer offset given, the allocator picks one */
#define SLL_FREEPTR_AUTO	UINT_MAX

/* Page-lock mode for every cache: boot parameter "slub_ll_pagelock". */
static bool slub_ll_pagelock __ro_after_init;
/* Smallest slab order: "slub_ll_min_order=N" or SLUB's "slub_min_order=N". */
static unsigned int slub_ll_min_order __ro_after_init;
/* Largest order calculate_order() picks: "slub_max_order=N". */
static unsigned int slub_ll_max_order __ro_after_init = SLL_MAX_ORDER;
/* Objects a slab should hold, 0 for objects_wanted(): "slub_min_objects=N". */
static unsigned int slub_ll_min_objects __ro_after_init;

/* SLUB's debugging flags, which SLUB-LL does not implement. */
#define SLL_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
			 SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE)

/*
 * On when init_on_alloc or init_on_free is: the one key the alloc
 * fastpath tests for both (set by slub_ll_init_keys() at boot).
 */
static DEFINE_STATIC_KEY_MAYBE_RO(CONFIG_INIT_ON_ALLOC_DEFAULT_ON,
				  slub_ll_alloc_init);

/*
 * When each node last ran short of pages, in jiffies: a new slab could
 * not be had there even at its cache's smallest order.  For
 * slub_ll_short_ticks after that, the CPU partial lists of every cache
 * keep a quarter of their bound for slabs of that node
 * (cpu_partial_max()).  Nothing clears a mark: it expires.  The age is
 * taken modulo the word: on 32-bit, a node not marked for 2^32 ticks (49
 * days at HZ=1000) counts as short for one second then.
 */
static unsigned long slub_ll_short_at[MAX_NUMNODES];
/* How long a mark lasts: a second, 0 (never short) or more for tests. */
static unsigned long slub_ll_short_ticks __read_mostly = HZ;

/* The cache that struct kmem_cache_node comes from. */
static struct kmem_cache *kmem_cache_node_cache;

/*
 * Nodes for which every cache has a kmem_cache_node: those in the tree's
 * SLL_NODE_STATE at boot, and those whose memory is coming online
 * (memory hotplug).  Changed under slab_mutex, read without it.
 */
static nodemask_t slub_ll_nodes __read_mostly;

static int __init setup_slub_ll_pagelock(char *str)
{
	bool on = true;

	if (str && *str && kstrtobool(str, &on))
		pr_warn("slub_ll_pagelock: '%s' is not a boolean, enabling\n",
			str);
	slub_ll_pagelock = on;
	return 0;
}
early_param("slub_ll_pagelock", setup_slub_ll_pagelock);

/* A number in 0..@max for the boot parameter @name, or -EINVAL said. */
static int __init parse_uint_param(const char *name, const char *str,
				   unsigned int max, unsigned int *val)
{
	unsigned int v;

	if (!str || kstrtouint(str, 0, &v) || v > max) {
		pr_warn("SLUB-LL: %s: expected 0..%u, ignored\n", name, max);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

static int __init setup_slub_ll_min_order(char *str)
{
	return parse_uint_param("slub_ll_min_order", str, SLL_MAX_ORDER,
				&slub_ll_min_order);
}
early_param("slub_ll_min_order", setup_slub_ll_min_order);

/*
 * SLUB's order parameters, with SLUB's meaning and under both of SLUB's
 * names (slab_* since Linux 6.8, slub_* before): slub_min_order raises
 * the smallest order (as slub_ll_min_order does), slub_max_order caps the
 * order chosen to fit objects_wanted() objects (an object larger than
 * that still gets the order it needs), slub_min_objects replaces
 * objects_wanted().  A smallest order above the cap wins.
 */
#define SLL_UINT_PARAM(name, max, var)					\
static int __init setup_##name(char *str)				\
{									\
	return parse_uint_param(#name, str, max, &(var));		\
}									\
early_param(#name, setup_##name)

SLL_UINT_PARAM(slub_min_order, SLL_MAX_ORDER, slub_ll_min_order);
SLL_UINT_PARAM(slab_min_order, SLL_MAX_ORDER, slub_ll_min_order);
SLL_UINT_PARAM(slub_max_order, SLUB_LL_PAGE_ORDERS - 1, slub_ll_max_order);
SLL_UINT_PARAM(slab_max_order, SLUB_LL_PAGE_ORDERS - 1, slub_ll_max_order);
SLL_UINT_PARAM(slub_min_objects, (1u << 15) - 1, slub_ll_min_objects);
SLL_UINT_PARAM(slab_min_objects, (1u << 15) - 1, slub_ll_min_objects);

/* SLUB's debugging is not here: say so rather than ignore it. */
static void __init warn_slub_debug(const char *name, const char *str)
{
	pr_warn("SLUB-LL: %s%s%s ignored: SLUB-LL has no debug mode; use KASAN, KFENCE or init_on_free\n",
		name, str ? "=" : "", str ? str : "");
}

static int __init setup_slub_debug(char *str)
{
	warn_slub_debug("slub_debug", str);
	return 0;
}
early_param("slub_debug", setup_slub_debug);

static int __init setup_slab_debug(char *str)
{
	warn_slub_debug("slab_debug", str);
	return 0;
}
early_param("slab_debug", setup_slab_debug);

/* ---------------------------------------------------------------------
 * Small helpers
 */

static __always_inline void stat_add(const struct kmem_cache *s,
				     enum slub_ll_stat_item item,
				     unsigned int nr)
{
#ifdef CONFIG_SLUB_LL_STATS
	this_cpu_add(s->cpu_slab->stat[item], nr);
#endif
}

static __always_inline void stat(const struct kmem_cache *s,
				 enum slub_ll_stat_item item)
{
	stat_add(s, item, 1);
}

#define TID_STEP	roundup_pow_of_two(CONFIG_NR_CPUS)

/*
 * The allocator's interrupts-off sections of a cache, counted on each
 * CPU: every section that changes the CPU's structures of @s or holds a
 * lock of @s.  A context that may have interrupted one (an NMI, a probe
 * inside one) finds the count raised and keeps out (kmalloc_nolock(),
 * kfree_nolock(), where a tree has them).
 */
#define sll_irq_save(s, flags)						\
	do {								\
		local_irq_save(flags);					\
		__this_cpu_inc((s)->cpu_slab->irqoff);			\
	} while (0)

#define sll_irq_restore(s, flags)					\
	do {								\
		__this_cpu_dec((s)->cpu_slab->irqoff);			\
		local_irq_restore(flags);				\
	} while (0)

#define sll_lock_irqsave(s, lock, flags)				\
	do {								\
		sll_irq_save(s, flags);					\
		spin_lock(lock);					\
	} while (0)

#define sll_unlock_irqrestore(s, lock, flags)				\
	do {								\
		spin_unlock(lock);					\
		sll_irq_restore(s, flags);				\
	} while (0)

/* Is this CPU inside one of those sections of @s? */
static __always_inline bool sll_in_irqoff(struct kmem_cache *s)
{
	return this_cpu_read(s->cpu_slab->irqoff);
}

static __always_inline unsigned long next_tid(unsigned long tid)
{
	return tid + TID_STEP;
}

/*
 * A free pointer as stored in a free object.  With
 * CONFIG_SLAB_FREELIST_HARDENED it is mixed with the cache's random value
 * and the byte-swapped address it is stored at, so that what a stray write
 * or a use after free leaves there does not decode to an address of the
 * attacker's choice; without, it is stored as it is.  The mixing undoes
 * itself, so one function both stores and loads.
 */
static __always_inline void *freeptr_mix(const struct kmem_cache *s,
					 void *ptr, void *where)
{
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	return (void *)((unsigned long)ptr ^ s->random ^
			swab((unsigned long)where));
#else
	return ptr;
#endif
}

/*
 * With CONFIG_SLAB_FREELIST_HARDENED, a free pointer loaded from @object
 * must lead nowhere (NULL) or into the same slab: slabs are naturally
 * aligned blocks of at most s->order pages.
 */
static __always_inline bool freeptr_ok(const struct kmem_cache *s,
				       void *object, void *fp)
{
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	return !(((unsigned long)fp ^ (unsigned long)object) & s->slab_mask) ||
	       !fp;
#else
	return true;
#endif
}

/*
 * A free pointer that leaves its slab: the object was written after it was
 * freed.  The caller cuts the list there; what followed is never handed
 * out (it stays counted as in use: leaked, not reused).
 */
static void __cold freeptr_corrupt(const struct kmem_cache *s, void *object,
				   void *fp)
{
	pr_err("SLUB-LL %s: free object %p holds free pointer %p, outside its slab (written after free?): its free list is cut there\n",
	       s->name, object, fp);
	dump_stack();
}

static __always_inline void *get_freepointer(const struct kmem_cache *s,
					     void *object)
{
	void **where = object + s->offset;

	return freeptr_mix(s, *where, where);
}

/*
 * get_freepointer() for an object that this CPU owns, checked: a bad
 * pointer ends the list at @object.
 */
static __always_inline void *next_free(const struct kmem_cache *s,
				       void *object)
{
	void *fp = get_freepointer(s, object);

	if (unlikely(!freeptr_ok(s, object, fp))) {
		freeptr_corrupt(s, object, fp);
		return NULL;
	}
	return fp;
}

/*
 * The alloc fastpath reads the next pointer of an object that an interrupt
 * or a preempting task may already have allocated, or whose slab may
 * already be gone; the stale value is then thrown away because the tid
 * changed.  Only when debug_pagealloc is on (a boot choice) can the read
 * itself fault.
 */
static __always_inline void *get_freepointer_safe(const struct kmem_cache *s,
						  void *object)
{
	void *p;

	if (!debug_pagealloc_enabled_static())
		return get_freepointer(s, object);
	if (copy_from_kernel_nofault(&p, object + s->offset, sizeof(p)))
		return NULL;
	return freeptr_mix(s, p, object + s->offset);
}

static __always_inline void set_freepointer(const struct kmem_cache *s,
					    void *object, void *fp)
{
	void **where = object + s->offset;

	*where = freeptr_mix(s, fp, where);
}

/*
 * With CONFIG_SLAB_FREELIST_HARDENED: is the chain @head..@tail being
 * freed in front of @list already at its head?  Linking it would make the
 * list run in a circle, handing the same object out again and again.
 */
static __always_inline bool double_free(void *head, void *tail, void *list,
					unsigned int cnt)
{
	return IS_ENABLED(CONFIG_SLAB_FREELIST_HARDENED) &&
	       unlikely(tail == list || (cnt > 1 && head == list));
}

static void __cold report_double_free(const struct kmem_cache *s,
				      void *object)
{
	pr_err("SLUB-LL %s: double free of object %p: it is already free; this free is ignored\n",
	       s->name, object);
	dump_stack();
}

static __always_inline bool node_match(const struct slab *slab, int node)
{
	return node == NUMA_NO_NODE || (slab && slab_nid(slab) == node);
}

static inline void *slab_object(const struct kmem_cache *s, void *base,
				unsigned int idx)
{
	return base + idx * s->size;
}

/* A snapshot of a slab's pair; torn reads are caught by the update. */
static __always_inline void slab_read_pair(const struct slab *slab,
					   struct slab *snap)
{
	snap->freelist = READ_ONCE(slab->freelist);
	snap->counters = READ_ONCE(slab->counters);
}

/* Objects of a slab not on its own freelist, read without any lock. */
static inline unsigned int slab_inuse(const struct slab *slab)
{
	struct slab snap;

	slab_read_pair(slab, &snap);
	return snap.inuse;
}

/*
 * Change a slab's (freelist, counters) from @old to @new if it still holds
 * @old.  The one place where the two modes differ.
 */
static bool slab_update_pair(struct kmem_cache *s, struct slab *slab,
			     const struct slab *old, const struct slab *new)
{
	unsigned long flags;
	bool done;

	if (likely(!s->pagelock)) {
		done = cmpxchg_dw(&slab->freelist,
				  old->freelist, old->counters,
				  new->freelist, new->counters);
	} else {
		sll_irq_save(s, flags);
		slab_lock(slab);
		done = slab->freelist == old->freelist &&
		       slab->counters == old->counters;
		if (done) {
			WRITE_ONCE(slab->freelist, new->freelist);
			WRITE_ONCE(slab->counters, new->counters);
		}
		slab_unlock(slab);
		sll_irq_restore(s, flags);
		stat(s, SLL_PAGELOCK_TAKEN);
	}
	if (unlikely(!done))
		stat(s, SLL_CMPXCHG_DOUBLE_FAIL);
	return done;
}

/* ---------------------------------------------------------------------
 * Node lists (list_lock held)
 */

static void init_node(struct kmem_cache_node *n)
{
	spin_lock_init(&n->list_lock);
	n->nr_partial = 0;
	INIT_LIST_HEAD(&n->partial);
	atomic_long_set(&n->nr_slabs, 0);
	atomic_long_set(&n->total_objects, 0);
}

static void add_partial(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_add_tail(&slab->slab_list, &n->partial);
	/* read without the lock as a hint, so store it in one piece */
	WRITE_ONCE(n->nr_partial, n->nr_partial + 1);
}

static void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	WRITE_ONCE(n->nr_partial, n->nr_partial - 1);
}

/*
 * Objects in use and free on the node's partial slabs: the one count of
 * them for slabinfo, sysfs, cache shutdown and the tests.
 */
void slub_ll_count_partial(struct kmem_cache *s, struct kmem_cache_node *n,
			   unsigned long *inuse, unsigned long *free)
{
	struct slab *slab, snap;
	unsigned long flags;

	*inuse = 0;
	*free = 0;
	sll_lock_irqsave(s, &n->list_lock, flags);
	list_for_each_entry(slab, &n->partial, slab_list) {
		slab_read_pair(slab, &snap);
		*inuse += snap.inuse;
		*free += snap.objects - snap.inuse;
	}
	sll_unlock_irqrestore(s, &n->list_lock, flags);
}

/* ---------------------------------------------------------------------
 * Slab pages
 */

static gfp_t slab_gfp(const struct kmem_cache *s, gfp_t gfp)
{
	gfp &= gfp_allowed_mask & ~__GFP_ZERO;
	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = kmalloc_fix_flags(gfp);
	gfp |= __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		gfp |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		gfp |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		gfp |= __GFP_RECLAIMABLE;
	return gfp;
}

/* Objects of @size that a slab of @order holds. */
static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return min_t(unsigned int, (PAGE_SIZE << order) / size, (1u << 15) - 1);
}

/* Whether node @nid ran short of pages within slub_ll_short_ticks. */
static __always_inline bool node_short(int nid)
{
	return jiffies - READ_ONCE(slub_ll_short_at[nid]) <
	       READ_ONCE(slub_ll_short_ticks);
}

/*
 * Mark @node as short of pages now (NUMA_NO_NODE: none).  Written at most
 * once a tick: failures may come by the thousand.
 */
static void mark_node_short(int node)
{
	unsigned long now = jiffies;

	if (node == NUMA_NO_NODE)
		return;
	if (READ_ONCE(slub_ll_short_at[node]) != now)
		WRITE_ONCE(slub_ll_short_at[node], now);
}

/*
 * Pages for a slab: the cache's preferred order if the page allocator has
 * them at hand (no reclaim, no kswapd wake-up, no retry, no warning, no
 * reserves, never __GFP_NOFAIL): the cache does not need that order, so
 * no effort is spent on it.  Otherwise the smallest order that holds an
 * object, asked for with the caller's own flags, __GFP_NOFAIL included.
 * A failure at the smallest order marks @short_node, the node the pages
 * were meant to come from (@node, or the one the caller resolved
 * NUMA_NO_NODE to), short of pages; a failure at the preferred order
 * alone may be fragmentation and marks nothing.
 */
static struct page *slab_pages(struct kmem_cache *s, gfp_t gfp, int node,
			       int short_node, unsigned int *order)
{
	struct page *page;
	gfp_t first;

	if (s->order > s->min_order) {
		first = (gfp | __GFP_NOWARN | __GFP_NORETRY |
			 __GFP_NOMEMALLOC) & ~(__GFP_RECLAIM | __GFP_NOFAIL);
		page = sll_alloc_pages(first, node, s->order);
		if (page) {
			*order = s->order;
			return page;
		}
	}
	*order = s->min_order;
	page = sll_alloc_pages(gfp, node, s->min_order);
	if (!page)
		mark_node_short(short_node);
	return page;
}

/* A new slab's objects: KASAN metadata, then the constructor. */
static void setup_objects(struct kmem_cache *s, void *base, unsigned int nr)
{
	unsigned int i;
	void *object;

	for (i = 0; i < nr; i++) {
		object = kasan_init_slab_obj(s, slab_object(s, base, i));
		if (s->ctor) {
			sll_unpoison_new(s, object);
			s->ctor(object);
			sll_poison_new(s, object);
		}
	}
}

/* Link the @nr objects of a new slab in address order. */
static void *link_in_order(struct kmem_cache *s, void *base, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i + 1 < nr; i++)
		set_freepointer(s, slab_object(s, base, i),
				slab_object(s, base, i + 1));
	set_freepointer(s, slab_object(s, base, nr - 1), NULL);
	return base;
}

#ifdef CONFIG_SLAB_FREELIST_RANDOM
/*
 * Give a cache its random order of objects (the common code's shuffled
 * sequence of indices); boot caches get theirs once kmalloc works.
 */
static int init_random_seq(struct kmem_cache *s)
{
	return cache_random_seq_create(s, s->objects, GFP_KERNEL);
}

/*
 * Link the @nr objects of a new slab in the cache's random order, starting
 * at a random place in it.  A slab of the fallback order holds fewer
 * objects than the sequence has: indices past its end are skipped.
 */
static void *link_objects(struct kmem_cache *s, void *base, unsigned int nr)
{
	unsigned int count = s->objects, pos, i, idx;
	void *first = NULL, *prev = NULL, *object;

	if (!s->random_seq)
		return link_in_order(s, base, nr);
	pos = get_random_u32_below(count);
	for (i = 0; i < count; i++) {
		idx = s->random_seq[(pos + i) % count];
		if (idx >= nr)
			continue;
		object = slab_object(s, base, idx);
		if (prev)
			set_freepointer(s, prev, object);
		else
			first = object;
		prev = object;
	}
	set_freepointer(s, prev, NULL);
	return first;
}
#else
static inline int init_random_seq(struct kmem_cache *s)
{
	return 0;
}

static inline void *link_objects(struct kmem_cache *s, void *base,
				 unsigned int nr)
{
	return link_in_order(s, base, nr);
}
#endif

/*
 * A new slab, born frozen with all its objects taken: the chain of free
 * objects is returned through @chain for the caller to install as a CPU
 * freelist.  The node counters are left to the caller.  A failure marks
 * @short_node short of pages (slab_pages()).
 */
static struct slab *allocate_slab(struct kmem_cache *s, gfp_t gfp, int node,
				  int short_node, void **chain)
{
	struct page *page;
	struct slab *slab;
	unsigned int order, nr;
	void *base;

	gfp = slab_gfp(s, gfp);
	page = slab_pages(s, gfp, node, short_node, &order);
	if (!page)
		return NULL;
	/* marked if taken from the emergency reserves: see pfmemalloc_slab() */
	slab = sll_make_slab(page);

	nr = order_objects(order, s->size);
	slab->slab_cache = s;
	slab->freelist = NULL;
	slab->counters = 0;
	slab->objects = nr;
	slab->inuse = nr;
	slab->frozen = 1;
	/* after the count: the memcg vector has objs_per_slab() entries */
	sll_account_slab(s, slab, order, gfp);

	base = slab_address(slab);
	kasan_poison_slab(slab);
	setup_objects(s, base, nr);
	*chain = link_objects(s, base, nr);
	return slab;
}

static void rcu_free_slab(struct rcu_head *head)
{
	struct slab *slab = container_of(head, struct slab, rcu_head);

	sll_free_slab_pages(slab->slab_cache, slab);
}

static void inc_slabs_node(struct kmem_cache *s, int node, unsigned int nr)
{
	struct kmem_cache_node *n = get_node(s, node);

	atomic_long_inc(&n->nr_slabs);
	atomic_long_add(nr, &n->total_objects);
}

/*
 * Give an empty slab that is on no list back to the page allocator.  A
 * task reclaiming memory (a shrinker freeing dentries, say) is credited
 * with the pages, so that its work counts as progress; pages that wait
 * for RCU are not, they are freed later in another context.
 */
static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));

	atomic_long_dec(&n->nr_slabs);
	atomic_long_sub(slab->objects, &n->total_objects);
	stat(s, SLL_FREE_SLAB);
	if (unlikely(s->flags & SLAB_TYPESAFE_BY_RCU)) {
		call_rcu(&slab->rcu_head, rcu_free_slab);
		return;
	}
	sll_reclaimed(1 << slab_order(slab));
	sll_free_slab_pages(s, slab);
}

/* ---------------------------------------------------------------------
 * Slowpath transitions of a slab's pair
 */

/*
 * A slab whose pages came from the emergency reserves serves only callers
 * entitled to them (memory reclaim itself, __GFP_MEMALLOC), and never
 * becomes a CPU slab, whose objects the fastpath hands to anybody.
 */
static inline bool pfmemalloc_slab(const struct slab *slab)
{
	return unlikely(sll_slab_pfmemalloc(slab));
}

/* partial -> cpu-frozen: take the whole freelist.  list_lock held. */
static void *freeze_slab(struct kmem_cache *s, struct slab *slab)
{
	struct slab old, new;

	do {
		slab_read_pair(slab, &old);
		WARN_ON_ONCE(old.frozen || !old.freelist);
		new.freelist = NULL;
		new.counters = old.counters;
		new.inuse = old.objects;
		new.frozen = 1;
	} while (!slab_update_pair(s, slab, &old, &new));
	stat(s, SLL_FREEZE);
	return old.freelist;
}

/*
 * cpu-frozen, CPU list empty: take what remote frees left on the slab, or,
 * when they left nothing, let the slab go as full (it joins no list).
 */
static void *refill_or_release(struct kmem_cache *s, struct slab *slab)
{
	struct slab old, new;

	do {
		slab_read_pair(slab, &old);
		new.freelist = NULL;
		new.counters = old.counters;
		if (old.freelist)
			new.inuse = old.objects;
		else
			new.frozen = 0;
	} while (!slab_update_pair(s, slab, &old, &new));

	stat(s, old.freelist ? SLL_ALLOC_REFILL : SLL_UNFREEZE);
	return old.freelist;
}

/*
 * cpu-frozen -> full, partial or empty: the CPU lets go of @slab and
 * merges the objects still on its list @cpu_list back into the slab.
 */
static void unfreeze_slab(struct kmem_cache *s, struct slab *slab,
			  void *cpu_list)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct slab old, new;
	unsigned long flags = 0;
	unsigned int nr = 0;
	bool locked = false;
	void *tail = NULL, *p;

	for (p = cpu_list; p; p = next_free(s, p)) {
		tail = p;
		nr++;
	}

	do {
		if (locked) {
			sll_unlock_irqrestore(s, &n->list_lock, flags);
			locked = false;
		}
		slab_read_pair(slab, &old);
		WARN_ON_ONCE(!old.frozen);
		new.counters = old.counters;
		new.inuse -= nr;
		new.frozen = 0;
		new.freelist = old.freelist;
		if (tail) {
			set_freepointer(s, tail, old.freelist);
			new.freelist = cpu_list;
		}
		/* leaving with free objects: the partial list changes */
		if (new.freelist) {
			sll_lock_irqsave(s, &n->list_lock, flags);
			stat(s, SLL_LIST_LOCK);
			locked = true;
		}
	} while (!slab_update_pair(s, slab, &old, &new));
	stat(s, SLL_UNFREEZE);

	if (!locked)
		return;
	if (!new.inuse && n->nr_partial >= s->min_partial) {
		sll_unlock_irqrestore(s, &n->list_lock, flags);
		discard_slab(s, slab);
		return;
	}
	add_partial(n, slab);
	sll_unlock_irqrestore(s, &n->list_lock, flags);
}

/* ---------------------------------------------------------------------
 * Per-CPU partial slabs
 *
 * A slab remembers the CPU that last allocated from it (slab->cpu, its
 * owner).  A free that hands a full slab its first object back freezes it
 * in the same pair update and pushes it on its owner's list c->partial,
 * from whatever CPU it runs on.  Any CPU may push onto that list or take
 * it whole; nobody takes single slabs off it, so no change depends on a
 * slab->next that another CPU may be changing.
 *
 * The owner, needing a slab, takes its list whole into c->partial_own, a
 * list only it touches (interrupts off), reversed so that the slab pushed
 * first, which has had the longest time to get objects back, comes out
 * first; a refill from the node puts extra slabs there too.  So a slab
 * whose objects are freed elsewhere goes back to the CPU that allocates
 * from it without a trip through the node's list_lock.  An allocation
 * for a node takes the first slab of that node on the own list, so that a
 * slab of another node at the head does not hide it.
 *
 * One bound covers both lists: the slabs on them may hold at most
 * s->cpu_partial_objs objects together (2 * cpu_partial, at least one
 * slab of s->objects, so that a push onto empty lists always fits; a
 * slab counted for all its objects, which is its bytes over s->size: a
 * fallback slab of s->min_order weighs less).  The weight is a slab's
 * size, not its free objects: a slab pushed with one free object may be
 * empty a moment later, and its pages are what the bound is for.
 *
 * The pushed list's weight is the low half of c->partial_stamp, the
 * second word of the pair a push compares; the own list's weight is
 * c->partial_own_objs, a plain word only the owner writes, so that taking
 * a slab off the own list, once per slab the CPU allocates from, is a
 * store and not a compare-exchange of a pair that other CPUs contend
 * for.  A push reads the pair, then the own weight, and compares the
 * pair.  The own weight shrinks by plain stores: a push that read it
 * before only saw less room than there is.  It grows only by the owner's
 * take of the pushed list and by refills from the node, and each of
 * those stores the new weight first and then counts one growth in the
 * high half of c->partial_stamp with its compare-exchange of the pair: a
 * push that read the pair before the growth fails its compare-exchange
 * and reads both again, and one that reads the pair after it reads the
 * new weight too (smp_wmb() between the owner's two stores, smp_rmb()
 * between the push's two reads).  So a push that fits, fits when it
 * lands.  Only if the count of growths wrapped (2^16 growths on 32-bit,
 * 2^32 on 64-bit) between one push's read and its compare-exchange, with
 * the pushed list back at the same head and weight, could that push pass
 * the bound, by its one slab.  A push that would pass the bound takes the
 * pushed list and drains it to the node first; if the own list alone
 * leaves no room, the slab goes to the node by itself.  A refill from
 * the node grows the own weight once, by the most it may take within the
 * bound, and stores back what it did not take.  Halves of 16 bits on
 * 32-bit kernels limit cpu_partial_objs to 65535.
 *
 * For a second after a node ran short of pages (mark_node_short()),
 * pushes of its slabs and refills from it use a quarter of the bound (at
 * least one slab), so that the CPU lists give their slabs to the node,
 * and empty ones back to the page allocator, instead of keeping them.
 *
 * A push runs preempt-disabled from its owner check to its
 * compare-exchange (put_cpu_partial() says why); a flush drains the
 * pushed lists from any CPU and the CPU slab and own list from a work
 * item on their CPU, in process context (flush_all_cpus_locked()).
 */

/*
 * Change @c's (partial, partial_stamp) from (@head, @stamp) to
 * (@new_head, @new_stamp) if it still holds them: the compare-exchange of
 * the pushed list, or, in page-lock mode, the same under the list's lock,
 * interrupts off.
 */
static bool cpu_partial_update(struct kmem_cache *s, struct kmem_cache_cpu *c,
			       struct slab *head, unsigned long stamp,
			       struct slab *new_head, unsigned long new_stamp)
{
	unsigned long flags;
	bool done;

	if (likely(!s->pagelock))
		return cmpxchg_dw(&c->partial, head, stamp, new_head,
				  new_stamp);
	sll_lock_irqsave(s, &c->partial_lock, flags);
	done = c->partial == head && c->partial_stamp == stamp;
	if (done) {
		WRITE_ONCE(c->partial, new_head);
		WRITE_ONCE(c->partial_stamp, new_stamp);
	}
	sll_unlock_irqrestore(s, &c->partial_lock, flags);
	return done;
}

/*
 * The halves of c->partial_stamp: the pushed list's weight, and the count
 * of the own list's growths, which wraps.
 */
#define SLL_CP_SHIFT		(BITS_PER_LONG / 2)
#define SLL_CP_MASK		((1UL << SLL_CP_SHIFT) - 1)

static inline unsigned long cp_pushed(unsigned long stamp)
{
	return stamp & SLL_CP_MASK;
}

/* @stamp with the pushed list taken off. */
static inline unsigned long cp_taken(unsigned long stamp)
{
	return stamp & ~SLL_CP_MASK;
}

/* @stamp with one more growth of the own list counted. */
static inline unsigned long cp_grown(unsigned long stamp)
{
	return stamp + (1UL << SLL_CP_SHIFT);
}

/*
 * What a slab weighs on a CPU list: the objects it holds, free or not.
 * Only the counters word holds them, and they never change.
 */
static inline unsigned int slab_weight(const struct slab *slab)
{
	struct slab snap;

	snap.counters = READ_ONCE(slab->counters);
	return snap.objects;
}

/*
 * The bound of a CPU's two lists together, as a push of a slab of node
 * @nid or a refill from @nid uses it: a quarter of it, but at least one
 * slab, while @nid is short of pages.
 */
static __always_inline unsigned long cpu_partial_max(const struct kmem_cache *s,
						     int nid)
{
	unsigned long max = READ_ONCE(s->cpu_partial_objs);

	if (unlikely(node_short(nid)))
		max = min(max, max(max / 4, (unsigned long)s->objects));
	return max;
}

/* Store the own list's weight of @c, grown, before the pair counts it. */
static inline void grow_own_objs(struct kmem_cache_cpu *c, unsigned long objs)
{
	WRITE_ONCE(c->partial_own_objs, objs);
	/* pairs with the smp_rmb() of put_cpu_partial() */
	smp_wmb();
}

/* Whether a free that turns @slab partial should give it to a CPU list. */
static __always_inline bool cpu_partial_wanted(const struct kmem_cache *s,
					       const struct slab *slab)
{
	return READ_ONCE(s->cpu_partial_objs) && !pfmemalloc_slab(slab);
}

/* partial -> cpu-partial: own the slab, keep its freelist.  list_lock held. */
static void freeze_keep(struct kmem_cache *s, struct slab *slab)
{
	struct slab old, new;

	do {
		slab_read_pair(slab, &old);
		WARN_ON_ONCE(old.frozen || !old.freelist);
		new.freelist = old.freelist;
		new.counters = old.counters;
		new.frozen = 1;
	} while (!slab_update_pair(s, slab, &old, &new));
	stat(s, SLL_FREEZE);
}

/* Most slabs drain_cpu_partial() moves in one hold of a list_lock. */
#define SLL_DRAIN_BATCH		32

/*
 * cpu-partial -> partial, empty or full: let go of the slabs of @list, a
 * CPU's partial list that was taken whole, so nobody else reaches it.  One
 * hold of list_lock (interrupts off) serves each run of slabs of one node,
 * up to SLL_DRAIN_BATCH of them, so that a list of SLUB_LL_PARTIAL_MAX
 * slabs does not keep interrupts off for all of them; empty slabs the
 * node does not keep are discarded after it is dropped.
 */
static void drain_cpu_partial(struct kmem_cache *s, struct slab *list)
{
	struct kmem_cache_node *n = NULL, *slab_n;
	struct slab *slab, *discard = NULL;
	struct slab old, new;
	unsigned long flags = 0;
	unsigned int held = 0;

	while (list) {
		slab = list;
		list = slab->next;
		slab_n = get_node(s, slab_nid(slab));
		if (slab_n != n || held == SLL_DRAIN_BATCH) {
			if (n)
				sll_unlock_irqrestore(s, &n->list_lock, flags);
			n = slab_n;
			held = 0;
			sll_lock_irqsave(s, &n->list_lock, flags);
			stat(s, SLL_LIST_LOCK);
		}
		held++;
		do {
			slab_read_pair(slab, &old);
			WARN_ON_ONCE(!old.frozen);
			new.freelist = old.freelist;
			new.counters = old.counters;
			new.frozen = 0;
		} while (!slab_update_pair(s, slab, &old, &new));
		stat(s, SLL_UNFREEZE);
		if (!new.freelist)
			continue;	/* full: it joins no list */
		if (!new.inuse && n->nr_partial >= s->min_partial) {
			slab->next = discard;
			discard = slab;
		} else {
			add_partial(n, slab);
		}
	}
	if (n)
		sll_unlock_irqrestore(s, &n->list_lock, flags);
	while (discard) {
		slab = discard;
		discard = slab->next;
		discard_slab(s, slab);
	}
	stat(s, SLL_CPU_PARTIAL_DRAIN);
}

/* Take the pushed list of @c whole, from any CPU, to drain it; or NULL. */
static struct slab *take_cpu_partial(struct kmem_cache *s,
				     struct kmem_cache_cpu *c)
{
	unsigned long stamp;
	struct slab *head;

	do {
		head = READ_ONCE(c->partial);
		stamp = READ_ONCE(c->partial_stamp);
		if (!head)
			return NULL;
	} while (!cpu_partial_update(s, c, head, stamp, NULL,
				     cp_taken(stamp)));
	return head;
}

/*
 * Take the pushed list of @c whole for its own list, by its owner with
 * interrupts off: its weight moves to the own list's, a growth counted
 * like a refill's (fill_cpu_partial()).  NULL if empty.
 */
static struct slab *take_cpu_partial_to_own(struct kmem_cache *s,
					    struct kmem_cache_cpu *c)
{
	unsigned long own = c->partial_own_objs, stamp;
	struct slab *head;

	for (;;) {
		head = READ_ONCE(c->partial);
		stamp = READ_ONCE(c->partial_stamp);
		if (!head)
			break;
		grow_own_objs(c, own + cp_pushed(stamp));
		if (cpu_partial_update(s, c, head, stamp, NULL,
				       cp_grown(cp_taken(stamp))))
			return head;
	}
	WRITE_ONCE(c->partial_own_objs, own);
	return NULL;
}

/* Take @c's pushed list whole and drain it to the node lists. */
static void drain_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *list = take_cpu_partial(s, c);

	if (list)
		drain_cpu_partial(s, list);
}

/*
 * Push @slab, frozen by the free that made it partial, on its owner's
 * partial list (on this CPU's when the owner is offline).  If the slab
 * would take the owner's two lists past the bound, the pushed list is
 * taken whole and drained first, or, when it is empty, the slab goes to
 * the node alone.  Called with interrupts and preemption as the caller
 * had them; each try runs with preemption disabled from the cpu_online()
 * and bound reads to its compare-exchange, and drains with preemption as
 * the caller had it.
 *
 * Why preemption off: a CPU leaves cpu_online_mask in stop_machine(),
 * which cannot start while any CPU is in a preempt-disabled section, and
 * its lists are drained by slub_ll_cpu_dead() (CPUHP_SLUB_DEAD) only
 * after that.  So a try that found the owner online completes its push
 * before the owner goes offline, and the dead-CPU drain takes the slab;
 * a try that starts later sees the owner offline and pushes on this
 * CPU's list, which is online while this task runs on it.  Without it, a
 * task preempted between the check and the compare-exchange could push
 * on the list of a CPU that was drained meanwhile, where the slab would
 * stay until the CPU comes back.  The same sections let a write of 0 to
 * cpu_partial wait, with synchronize_rcu(), for every push that read the
 * old bound (slub_ll_set_cpu_partial()).  Page-lock mode needs the same:
 * its list lock disables interrupts only for the compare-then-store.
 */
static void put_cpu_partial(struct kmem_cache *s, struct slab *slab)
{
	unsigned long stamp, own, max, w = slab_weight(slab);
	struct kmem_cache_cpu *c;
	struct slab *head;
	unsigned int cpu;
	bool done;

	stat(s, SLL_CPU_PARTIAL_FREE);
	for (;;) {
		preempt_disable();
		max = cpu_partial_max(s, slab_nid(slab));
		cpu = sll_slab_cpu(slab);
		if (cpu >= nr_cpu_ids || !cpu_online(cpu))
			cpu = smp_processor_id();
		c = per_cpu_ptr(s->cpu_slab, cpu);
		head = READ_ONCE(c->partial);
		stamp = READ_ONCE(c->partial_stamp);
		/* the own weight as of the pair read: grow_own_objs() */
		smp_rmb();
		own = READ_ONCE(c->partial_own_objs);
		if (unlikely(cp_pushed(stamp) + own + w > max)) {
			if (!head) {
				/* no room, or turned off since the free */
				preempt_enable();
				WRITE_ONCE(slab->next, NULL);
				drain_cpu_partial(s, slab);
				return;
			}
			done = cpu_partial_update(s, c, head, stamp, NULL,
						  cp_taken(stamp));
			preempt_enable();
			if (done)
				drain_cpu_partial(s, head);
			continue;
		}
		WRITE_ONCE(slab->next, head);
		done = cpu_partial_update(s, c, head, stamp, slab, stamp + w);
		preempt_enable();
		if (done)
			return;
	}
}

/*
 * The next slab of this CPU's own partial list for an allocation on @node,
 * or NULL.  An allocation that names no node takes the head; one for a
 * node takes the first slab of that node, walking past (and leaving) the
 * slabs of other nodes.  An empty own list is first refilled with the
 * pushed list, taken whole and put in the order of its pushes.  The slab
 * leaves the own list's weight by a plain store.  Interrupts off.
 */
static struct slab *pop_cpu_partial(struct kmem_cache *s,
				    struct kmem_cache_cpu *c, int node)
{
	struct slab *slab, *list, *next, **prev = &c->partial_own;

	if (!c->partial_own) {
		list = take_cpu_partial_to_own(s, c);
		while (list) {
			next = list->next;
			list->next = c->partial_own;
			WRITE_ONCE(c->partial_own, list);
			WRITE_ONCE(c->partial_own_nr, c->partial_own_nr + 1);
			list = next;
		}
	}
	slab = c->partial_own;
	/*
	 * Only this CPU touches its own list, and it holds at most
	 * cpu_partial_objs objects' worth of slabs, so the walk is short;
	 * the common case, no node asked for, does not walk.
	 */
	if (unlikely(node != NUMA_NO_NODE)) {
		while (slab && slab_nid(slab) != node) {
			prev = &slab->next;
			slab = slab->next;
		}
	}
	if (!slab)
		return NULL;
	WRITE_ONCE(*prev, slab->next);
	WRITE_ONCE(c->partial_own_nr, c->partial_own_nr - 1);
	/* less weight: a push that read more only saw less room */
	WRITE_ONCE(c->partial_own_objs,
		   c->partial_own_objs - slab_weight(slab));
	stat(s, SLL_CPU_PARTIAL_ALLOC);
	return slab;
}

/*
 * While get_partial_node() holds @n's list_lock for one slab, move more to
 * this CPU's own list (interrupts off): up to half the bound on the own
 * list, and never past the bound of both lists.  One compare-exchange of
 * the pair grows the own list's weight by the most the refill may take
 * (a slab weighs at most s->objects) before any slab is frozen; what it
 * did not take is given back by a plain store, as a pop gives its slab's.
 */
static void fill_cpu_partial(struct kmem_cache *s, struct kmem_cache_node *n,
			     struct kmem_cache_cpu *c, int nid)
{
	unsigned long own = c->partial_own_objs, max, plan, taken = 0, w;
	unsigned int cpu = smp_processor_id();
	struct slab *slab, *tmp, *head, **tail = &c->partial_own;
	unsigned long stamp;

	max = cpu_partial_max(s, nid);
	if (own >= max / 2)
		return;
	do {
		head = READ_ONCE(c->partial);
		stamp = READ_ONCE(c->partial_stamp);
		if (cp_pushed(stamp) + own >= max) {
			/* a failed compare below left the weight grown */
			WRITE_ONCE(c->partial_own_objs, own);
			return;
		}
		plan = min(max - cp_pushed(stamp) - own,
			   max / 2 - own + s->objects - 1);
		grow_own_objs(c, own + plan);
	} while (!cpu_partial_update(s, c, head, stamp, head,
				     cp_grown(stamp)));

	while (*tail)
		tail = &(*tail)->next;
	list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
		if (own + taken >= max / 2)
			break;
		if (pfmemalloc_slab(slab))
			continue;
		w = slab_weight(slab);
		if (taken + w > plan)
			break;
		taken += w;
		freeze_keep(s, slab);
		remove_partial(n, slab);
		sll_set_slab_cpu(slab, cpu);
		slab->next = NULL;
		WRITE_ONCE(*tail, slab);
		tail = &slab->next;
		WRITE_ONCE(c->partial_own_nr, c->partial_own_nr + 1);
		stat(s, SLL_CPU_PARTIAL_NODE);
	}
	/* less weight: a push that read more only saw less room */
	if (taken < plan)
		WRITE_ONCE(c->partial_own_objs, own + taken);
}

/* Take @c's own list off it: on @c's CPU, interrupts off, or a dead CPU's. */
static struct slab *take_cpu_partial_own(struct kmem_cache_cpu *c)
{
	struct slab *own = c->partial_own;

	WRITE_ONCE(c->partial_own, NULL);
	WRITE_ONCE(c->partial_own_nr, 0);
	WRITE_ONCE(c->partial_own_objs, 0);
	return own;
}

/*
 * Let go of every partial slab of @c: this CPU's with interrupts off, or
 * a dead CPU's.  Its own list and the pushed one drain as one.
 */
static void flush_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *list = take_cpu_partial(s, c), **tail = &list;

	while (*tail)
		tail = &(*tail)->next;
	*tail = take_cpu_partial_own(c);
	if (list)
		drain_cpu_partial(s, list);
}

/* ---------------------------------------------------------------------
 * Alloc slowpath: the CPU's slab (interrupts off)
 */

/* Let go of the slab of @c: this CPU's, or a dead CPU's. */
static void flush_cpu_slab_locked(struct kmem_cache *s,
				  struct kmem_cache_cpu *c)
{
	struct slab *slab = c->slab;
	void *cpu_list = c->freelist;

	if (!slab)
		return;
	WRITE_ONCE(c->slab, NULL);
	WRITE_ONCE(c->freelist, NULL);
	WRITE_ONCE(c->tid, next_tid(c->tid));
	unfreeze_slab(s, slab, cpu_list);
	stat(s, SLL_CPUSLAB_FLUSH);
}

/*
 * Freeze the first partial slab of @n that @gfp may use, and fill this
 * CPU's partial list from @n under the same hold of list_lock.
 */
static void *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n,
			      gfp_t gfp, struct slab **ret)
{
	struct slab *slab, *found = NULL;
	void *chain = NULL;
	bool reserves;

	if (!n || !READ_ONCE(n->nr_partial))
		return NULL;

	reserves = gfp_pfmemalloc_allowed(gfp);
	spin_lock(&n->list_lock);
	stat(s, SLL_LIST_LOCK);
	list_for_each_entry(slab, &n->partial, slab_list) {
		if (!pfmemalloc_slab(slab) || reserves) {
			found = slab;
			break;
		}
	}
	if (found) {
		chain = freeze_slab(s, found);
		remove_partial(n, found);
		*ret = found;
		if (!pfmemalloc_slab(found))
			fill_cpu_partial(s, n, this_cpu_ptr(s->cpu_slab),
					 slab_nid(found));
	}
	spin_unlock(&n->list_lock);
	if (chain)
		stat(s, SLL_ALLOC_FROM_PARTIAL);
	return chain;
}

/* The node an allocation that names none should come from. */
static inline int policy_node(void)
{
#ifdef CONFIG_NUMA
	return mempolicy_slab_node();
#else
	return numa_mem_id();
#endif
}

#ifdef CONFIG_NUMA
/*
 * A partial slab of another node: in the order of the zonelist of the
 * task's memory policy (nearest first), only from nodes its cpuset allows,
 * and only from a node that keeps min_partial slabs after giving one.
 */
static void *get_other_partial(struct kmem_cache *s, gfp_t gfp,
			       struct slab **ret)
{
	enum zone_type highest = gfp_zone(gfp);
	struct kmem_cache_node *n;
	struct zonelist *zonelist;
	unsigned int cookie;
	struct zoneref *z;
	struct zone *zone;
	void *chain;

	do {
		cookie = read_mems_allowed_begin();
		zonelist = node_zonelist(policy_node(), gfp);
		for_each_zone_zonelist(zone, z, zonelist, highest) {
			n = get_node(s, zone_to_nid(zone));
			if (!n || READ_ONCE(n->nr_partial) <= s->min_partial ||
			    !cpuset_zone_allowed(zone, gfp))
				continue;
			chain = get_partial_node(s, n, gfp, ret);
			if (chain)
				return chain;
		}
	} while (read_mems_allowed_retry(cookie));
	return NULL;
}
#else
static inline void *get_other_partial(struct kmem_cache *s, gfp_t gfp,
				      struct slab **ret)
{
	return NULL;
}
#endif

/*
 * Freeze a partial slab of @node; when none is asked, of the node the
 * memory policy names, else of another node.  *@want is set to the node
 * looked at first: @node, or the policy's.
 */
static void *get_partial(struct kmem_cache *s, gfp_t gfp, int node,
			 int *want, struct slab **ret)
{
	void *chain;

	*want = node == NUMA_NO_NODE ? policy_node() : node;
	chain = get_partial_node(s, get_node(s, *want), gfp, ret);
	if (chain || node != NUMA_NO_NODE)
		return chain;
	return get_other_partial(s, gfp, ret);
}

/* Say, rate-limited, why an allocation that may warn got nothing. */
static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp, int node)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct kmem_cache_node *n;
	unsigned long inuse, free;
	int nid;

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&rs))
		return;
	pr_warn("SLUB-LL: unable to allocate memory on node %d, gfp=%#x(%pGg)\n",
		node, gfp, &gfp);
	pr_warn("  cache: %s, object size: %u, buffer size: %u, order: %u, smallest order: %u\n",
		s->name, s->object_size, s->size, s->order, s->min_order);
	for_each_kmem_cache_node(s, nid, n) {
		slub_ll_count_partial(s, n, &inuse, &free);
		pr_warn("  node %d: slabs: %ld, objects: %ld, free on partial slabs: %lu\n",
			nid, atomic_long_read(&n->nr_slabs),
			atomic_long_read(&n->total_objects), free);
	}
}

/*
 * A new slab.  Interrupts are restored to the caller's state around the
 * page allocator and the building of the freelist, so the task may sleep
 * (if @gfp lets it) or move to another CPU meanwhile.  @want is the node
 * get_partial() resolved @node to, which a failure marks short of pages;
 * the fallback to any node after a failure on @node marks nothing more
 * (its node is the memory policy's, which is not asked again).
 */
static void *new_slab_chain(struct kmem_cache *s, gfp_t gfp, int node,
			    int want, struct slab **ret,
			    unsigned long *irqflags)
{
	struct slab *slab;
	void *chain;

	sll_irq_restore(s, *irqflags);
	slab = allocate_slab(s, gfp, node, want, &chain);
	if (!slab && node != NUMA_NO_NODE && !(gfp & __GFP_THISNODE))
		slab = allocate_slab(s, gfp, NUMA_NO_NODE, NUMA_NO_NODE,
				     &chain);
	if (!slab)
		slab_out_of_memory(s, gfp, node);
	sll_irq_save(s, *irqflags);
	if (!slab)
		return NULL;

	inc_slabs_node(s, slab_nid(slab), slab->objects);
	stat(s, SLL_ALLOC_SLAB);
	*ret = slab;
	return chain;
}

/*
 * Allocation slowpath, interrupts off.  Returns an object and leaves the
 * CPU's slab and list loaded with the rest.  *@cp is updated when the
 * task had to enable interrupts and may have moved to another CPU.
 */
static void *___slab_alloc(struct kmem_cache *s, gfp_t gfp, int node,
			   struct kmem_cache_cpu **cp, unsigned long *irqflags)
{
	struct kmem_cache_cpu *c = *cp;
	struct slab *slab = c->slab;
	void *object;
	int want;

	/* a node without memory of its own: any node will do */
	if (node != NUMA_NO_NODE &&
	    ((unsigned int)node >= nr_node_ids ||
	     !node_isset(node, slub_ll_nodes) || !get_node(s, node)))
		node = NUMA_NO_NODE;
	if (slab && unlikely(!node_match(slab, node))) {
		flush_cpu_slab_locked(s, c);
		slab = NULL;
	}
	if (slab) {
		/* an interrupt may have freed to us since the fastpath looked */
		object = c->freelist;
		if (object)
			goto load;
		object = refill_or_release(s, slab);
		if (object)
			goto load;
		WRITE_ONCE(c->slab, NULL);
	}

	/* the CPU's partial list first: no lock */
	while ((slab = pop_cpu_partial(s, c, node))) {
		object = refill_or_release(s, slab);
		if (object) {
			WRITE_ONCE(c->slab, slab);
			sll_set_slab_cpu(slab, smp_processor_id());
			goto load;
		}
	}

	object = get_partial(s, gfp, node, &want, &slab);
	if (!object) {
		WRITE_ONCE(c->tid, next_tid(c->tid));
		object = new_slab_chain(s, gfp, node, want, &slab, irqflags);
		if (!object)
			return NULL;
		c = this_cpu_ptr(s->cpu_slab);
		*cp = c;
	}
	if (pfmemalloc_slab(slab)) {
		/* one object for this caller, the rest back to the node */
		unfreeze_slab(s, slab, next_free(s, object));
		/* c->slab may have changed above: fastpaths must retry */
		WRITE_ONCE(c->tid, next_tid(c->tid));
		return object;
	}
	/* someone else may have loaded this CPU while interrupts were on */
	flush_cpu_slab_locked(s, c);
	WRITE_ONCE(c->slab, slab);
	sll_set_slab_cpu(slab, smp_processor_id());
load:
	WRITE_ONCE(c->freelist, next_free(s, object));
	WRITE_ONCE(c->tid, next_tid(c->tid));
	return object;
}

static void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, int node)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *object;

	sll_irq_save(s, flags);
	c = this_cpu_ptr(s->cpu_slab);
	object = ___slab_alloc(s, gfp, node, &c, &flags);
	if (object)
		stat(s, SLL_ALLOC_SLOWPATH);
	sll_irq_restore(s, flags);
	return object;
}

/* ---------------------------------------------------------------------
 * Free slowpath
 */

/*
 * Free the chain @head..@tail of @cnt objects to a slab that this CPU does
 * not hold.  No lock and interrupts untouched unless the slab must move
 * between lists (invariant 1).
 */
static void __slab_free(struct kmem_cache *s, struct slab *slab,
			void *head, void *tail, unsigned int cnt)
{
	struct kmem_cache_node *n = NULL;
	struct slab old, new;
	unsigned long flags = 0;
	bool to_cpu;

	/* a KFENCE object sits in a slab of its own, which no CPU holds */
	if (kfence_free(head))
		return;
	stat_add(s, SLL_FREE_SLOWPATH, cnt);
	do {
		if (unlikely(n)) {
			sll_unlock_irqrestore(s, &n->list_lock, flags);
			n = NULL;
		}
		slab_read_pair(slab, &old);
		if (double_free(head, tail, old.freelist, cnt)) {
			report_double_free(s, tail);
			return;
		}
		set_freepointer(s, tail, old.freelist);
		new.freelist = head;
		new.counters = old.counters;
		new.inuse -= cnt;
		/* full -> cpu-partial: for its owner, on no node list */
		to_cpu = !old.frozen && !old.freelist && new.inuse &&
			 cpu_partial_wanted(s, slab);
		if (to_cpu) {
			new.frozen = 1;
		} else if (!old.frozen && (!old.freelist || !new.inuse)) {
			n = get_node(s, slab_nid(slab));
			sll_lock_irqsave(s, &n->list_lock, flags);
			stat(s, SLL_LIST_LOCK);
		}
	} while (!slab_update_pair(s, slab, &old, &new));

	if (to_cpu) {
		put_cpu_partial(s, slab);
		return;
	}
	if (likely(!n)) {
		if (old.frozen)
			stat(s, SLL_FREE_FROZEN);
		return;
	}

	if (!new.inuse && n->nr_partial >= s->min_partial) {
		if (old.freelist) {
			remove_partial(n, slab);
			stat(s, SLL_FREE_REMOVE_PARTIAL);
		}
		sll_unlock_irqrestore(s, &n->list_lock, flags);
		discard_slab(s, slab);
		return;
	}
	if (!old.freelist) {
		add_partial(n, slab);
		stat(s, SLL_FREE_ADD_PARTIAL);
	}
	sll_unlock_irqrestore(s, &n->list_lock, flags);
}

/* ---------------------------------------------------------------------
 * Fastpaths: the CPU pair, preemption enabled, no lock
 */

/*
 * The alloc fastpath loaded a bad free pointer from @object.  Only if the
 * CPU pair still is what it read (same CPU, same tid) did @object really
 * head this CPU's list: then the list is dropped from @object on.  Else
 * the read was stale and the fastpath just retries.
 */
static noinline void drop_cpu_list(struct kmem_cache *s, void *object,
				   unsigned long tid)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	sll_irq_save(s, flags);
	c = this_cpu_ptr(s->cpu_slab);
	if (c->tid == tid && c->freelist == object) {
		freeptr_corrupt(s, object, get_freepointer(s, object));
		WRITE_ONCE(c->freelist, NULL);
		WRITE_ONCE(c->tid, next_tid(c->tid));
	}
	sll_irq_restore(s, flags);
}

/*
 * Pop the first object of the CPU's list.  NULL when the slowpath has to
 * run: the list is empty or the slab is on the wrong node.
 */
static __always_inline void *slab_alloc_fast(struct kmem_cache *s, int node)
{
	struct kmem_cache_cpu *c;
	unsigned long tid;
	void *object, *next;

	for (;;) {
		c = raw_cpu_ptr(s->cpu_slab);
		tid = READ_ONCE(c->tid);
		/* tid first: a later change of the list changes it too */
		barrier();
		object = READ_ONCE(c->freelist);
		if (unlikely(!object))
			return NULL;
		if (unlikely(node != NUMA_NO_NODE &&
			     !node_match(READ_ONCE(c->slab), node)))
			return NULL;
		next = get_freepointer_safe(s, object);
		if (unlikely(!freeptr_ok(s, object, next))) {
			drop_cpu_list(s, object, tid);
			continue;
		}
		if (likely(this_cpu_cmpxchg_dw(s->cpu_slab->freelist,
					       object, tid,
					       next, next_tid(tid))))
			break;
		stat(s, SLL_CMPXCHG_DOUBLE_CPU_FAIL);
	}
	stat(s, SLL_ALLOC_FASTPATH);
	return object;
}

/*
 * Free the chain @head..@tail of @cnt objects, all from @slab, onto this
 * CPU's list if @slab is this CPU's slab; false, with nothing done, if it
 * is not.  No lock and no masking of interrupts: it may run anywhere but
 * inside an interrupts-off section of @s on this CPU.
 */
static __always_inline bool slab_free_chain_cpu(struct kmem_cache *s,
						struct slab *slab, void *head,
						void *tail, unsigned int cnt)
{
	struct kmem_cache_cpu *c;
	unsigned long tid;
	void *list;

	for (;;) {
		c = raw_cpu_ptr(s->cpu_slab);
		tid = READ_ONCE(c->tid);
		barrier();
		if (unlikely(slab != READ_ONCE(c->slab)))
			return false;
		list = READ_ONCE(c->freelist);
		if (double_free(head, tail, list, cnt)) {
			report_double_free(s, tail);
			return true;
		}
		set_freepointer(s, tail, list);
		if (likely(this_cpu_cmpxchg_dw(s->cpu_slab->freelist,
					       list, tid,
					       head, next_tid(tid))))
			break;
		stat(s, SLL_CMPXCHG_DOUBLE_CPU_FAIL);
	}
	stat_add(s, SLL_FREE_FASTPATH, cnt);
	return true;
}

/* Free the chain @head..@tail of @cnt objects, all from @slab. */
static __always_inline void slab_free_chain(struct kmem_cache *s,
					    struct slab *slab, void *head,
					    void *tail, unsigned int cnt)
{
	if (unlikely(!slab_free_chain_cpu(s, slab, head, tail, cnt)))
		__slab_free(s, slab, head, tail, cnt);
}

/* ---------------------------------------------------------------------
 * Raw object paths, for the tree's entry points
 *
 * The entry points of each kernel tree (mm/slub_ll_tree.c, included at
 * the end of this file) put their hooks around slab_alloc_fast() and
 * __slab_alloc(), slab_free_chain(), and these.
 */

/*
 * With init_on_free, a freed object is wiped, but then holds the free
 * pointer until it is handed out again: clear that too, so that nobody
 * is handed a pointer of the freelist (mixed or not).
 */
static __always_inline void wipe_freepointer(struct kmem_cache *s,
					     void *object)
{
	if (unlikely(slab_want_init_on_free(s)))
		*(void **)(object + s->offset) = NULL;
}

/*
 * Up to @size objects into @p, no hook run, interrupts off for the whole
 * batch; a full-sized KFENCE object now and then, as on the fastpath.
 * Returns how many it got: fewer than @size only when no slab could be
 * had.
 */
static size_t alloc_bulk_raw(struct kmem_cache *s, gfp_t gfp, size_t size,
			     void **p)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *object;
	size_t i;

	sll_irq_save(s, flags);
	c = this_cpu_ptr(s->cpu_slab);
	for (i = 0; i < size; i++) {
		object = kfence_alloc(s, s->object_size, gfp);
		if (unlikely(object)) {
			p[i] = object;
			continue;
		}
		object = c->freelist;
		if (likely(object)) {
			WRITE_ONCE(c->freelist, next_free(s, object));
			stat(s, SLL_ALLOC_FASTPATH);
		} else {
			/* the list changed: preempted fastpaths must retry */
			WRITE_ONCE(c->tid, next_tid(c->tid));
			object = ___slab_alloc(s, gfp, NUMA_NO_NODE, &c, &flags);
			if (unlikely(!object))
				break;
			stat(s, SLL_ALLOC_SLOWPATH);
		}
		wipe_freepointer(s, object);
		p[i] = object;
	}
	WRITE_ONCE(c->tid, next_tid(c->tid));
	sll_irq_restore(s, flags);
	return i;
}

/* How many of the @size objects at @p, from the first on, share @slab. */
static size_t slab_run(const struct slab *slab, size_t size, void **p)
{
	size_t nr = 1;

	while (nr < size && p[nr] && virt_to_slab(p[nr]) == slab)
		nr++;
	return nr;
}

/*
 * Give the @nr objects at @p back to @slab, their slab, as one chain;
 * NULL entries (objects a hook kept) are skipped.
 */
static void free_run(struct kmem_cache *s, struct slab *slab, void **p,
		     size_t nr)
{
	void *head = NULL, *tail = NULL;
	unsigned int cnt = 0;
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!p[i])
			continue;
		if (tail)
			set_freepointer(s, tail, p[i]);
		else
			head = p[i];
		tail = p[i];
		cnt++;
	}
	if (cnt)
		slab_free_chain(s, slab, head, tail, cnt);
}

/*
 * The run at the start of @p (@size entries) whose objects share a slab,
 * given back with the tree's free hooks; how many entries it consumed.
 * The tree's layer defines it (mm/slub_ll_tree.c): the hooks and how a
 * pointer that is no slab object is told apart differ between trees.
 */
static size_t free_bulk_run(struct kmem_cache *s, size_t size, void **p);

/* Free @size objects at @p, of @s or, @s NULL (kfree_bulk), of any cache. */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t done = 0;

	while (done < size)
		done += free_bulk_run(s, size - done, p + done);
}
EXPORT_SYMBOL(kmem_cache_free_bulk);

#ifdef CONFIG_KASAN_GENERIC
/* An object leaving KASAN's quarantine: its hooks ran when it was freed. */
void ___cache_free(struct kmem_cache *cache, void *x, unsigned long addr)
{
	slab_free_chain(cache, virt_to_slab(x), x, x, 1);
}
#endif

/* ---------------------------------------------------------------------
 * Flushing CPU slabs
 */

/*
 * A CPU's slab and own partial list are touched only on that CPU, so
 * flushing them runs there: as a work item of a CPU-bound worker, in
 * process context, rather than in an IPI.  Interrupts are off only to
 * take the slab and the own list off the CPU; the own list (up to
 * SLUB_LL_PARTIAL_MAX slabs) then drains with interrupts on, except
 * inside each bounded list_lock hold of drain_cpu_partial().
 */
struct slub_ll_flush_work {
	struct work_struct work;
	struct kmem_cache *s;
	bool queued;
};

static DEFINE_PER_CPU(struct slub_ll_flush_work, slub_ll_flush);
/* serialises users of slub_ll_flush */
static DEFINE_MUTEX(slub_ll_flush_lock);
/* WQ_MEM_RECLAIM: shrinking may be part of reclaim */
static struct workqueue_struct *slub_ll_flushwq;

/* Let go of this CPU's slab and own partial list.  Process context. */
static void flush_this_cpu(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	struct slab *own;

	sll_irq_save(s, flags);
	c = this_cpu_ptr(s->cpu_slab);
	flush_cpu_slab_locked(s, c);
	own = take_cpu_partial_own(c);
	sll_irq_restore(s, flags);
	if (own)
		drain_cpu_partial(s, own);
}

static void flush_cpu_work(struct work_struct *w)
{
	struct slub_ll_flush_work *sfw;

	sfw = container_of(w, struct slub_ll_flush_work, work);
	flush_this_cpu(sfw->s);
}

static bool has_cpu_slab(int cpu, struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	return READ_ONCE(c->slab) || READ_ONCE(c->partial_own);
}

/*
 * Let go of every CPU's slabs: the pushed list of every possible CPU,
 * which any CPU may take whole, then, by a work item on each online CPU
 * that holds a slab or an own partial list, those.  In this order, an own
 * list emptied stays empty once no push lands any more (cpu_partial 0):
 * it is refilled only from the pushed list or from the node within a
 * bound read then.  The caller holds cpus_read_lock(),
 * so no CPU goes offline while its work item waits: a work item of an
 * offline CPU would run elsewhere, on lists it must not touch.  An
 * offline CPU's slab and own list were drained by slub_ll_cpu_dead().
 * Before the workqueue exists (early boot) only the boot CPU runs.
 */
static void flush_all_cpus_locked(struct kmem_cache *s)
{
	struct slub_ll_flush_work *sfw;
	int cpu;

	lockdep_assert_cpus_held();
	for_each_possible_cpu(cpu)
		drain_cpu(s, per_cpu_ptr(s->cpu_slab, cpu));
	if (unlikely(!slub_ll_flushwq)) {
		flush_this_cpu(s);
	} else {
		mutex_lock(&slub_ll_flush_lock);
		for_each_online_cpu(cpu) {
			sfw = &per_cpu(slub_ll_flush, cpu);
			sfw->queued = has_cpu_slab(cpu, s);
			if (!sfw->queued)
				continue;
			INIT_WORK(&sfw->work, flush_cpu_work);
			sfw->s = s;
			queue_work_on(cpu, slub_ll_flushwq, &sfw->work);
		}
		for_each_online_cpu(cpu) {
			sfw = &per_cpu(slub_ll_flush, cpu);
			if (sfw->queued)
				flush_work(&sfw->work);
		}
		mutex_unlock(&slub_ll_flush_lock);
	}
}

/*
 * flush_all_cpus_locked() for callers without cpus_read_lock().  Lock
 * order: cpu_hotplug_lock, slab_mutex (CPUHP_SLUB_DEAD takes it with
 * CPU hotplug locked), slub_ll_flush_lock; so this must not be called
 * with slab_mutex held.
 */
static void flush_all(struct kmem_cache *s)
{
	cpus_read_lock();
	flush_all_cpus_locked(s);
	cpus_read_unlock();
}

static int __init slub_ll_flush_init(void)
{
	slub_ll_flushwq = alloc_workqueue("slub_ll_flushwq", SLL_FLUSH_WQ_FLAGS,
					  0);
	WARN_ON(!slub_ll_flushwq);
	return 0;
}

/* before smp_init(): until then, flush_all() has one CPU to flush */
early_initcall(slub_ll_flush_init);

/*
 * CPU hotplug: @cpu is dead, so nothing runs there; hand its slab in every
 * cache back.  Registered as the teardown of CPUHP_SLUB_DEAD.
 */
int slub_ll_cpu_dead(unsigned int cpu)
{
	struct kmem_cache *s;
	unsigned long flags;

	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		sll_irq_save(s, flags);
		flush_cpu_slab_locked(s, per_cpu_ptr(s->cpu_slab, cpu));
		flush_cpu_partial(s, per_cpu_ptr(s->cpu_slab, cpu));
		sll_irq_restore(s, flags);
	}
	mutex_unlock(&slab_mutex);
	return 0;
}

/* ---------------------------------------------------------------------
 * Cache life cycle
 */

/*
 * Objects a slab should hold.  Every time a CPU runs through a slab whose
 * objects come back only later (freed on other CPUs), the slab goes full
 * and then partial, two trips to the node's list_lock; with more CPUs
 * sharing that lock, make the trips rarer by making slabs bigger.
 */
static unsigned int objects_wanted(void)
{
	return clamp_t(unsigned int, 8 * fls(nr_cpu_ids), 16, 64);
}

/*
 * Smallest order up to slub_max_order that holds enough objects with
 * little waste; failing that, the order that holds one object.
 */
static unsigned int calculate_order(unsigned int size)
{
	unsigned int want, order, bytes, nr;

	want = slub_ll_min_objects ? slub_ll_min_objects : objects_wanted();
	for (; want >= 1; want /= 2) {
		for (order = slub_ll_min_order; order <= slub_ll_max_order;
		     order++) {
			bytes = PAGE_SIZE << order;
			nr = order_objects(order, size);
			if (nr >= want && (bytes - nr * size) * 8 <= bytes)
				return order;
		}
	}
	return max_t(unsigned int, get_order(size), slub_ll_min_order);
}

/*
 * Object layout, slab order and list limits; false if it cannot fit.
 * @freeptr_offset: see cache_setup().
 */
static bool calculate_layout(struct kmem_cache *s, unsigned int freeptr_offset)
{
	unsigned int align = max_t(unsigned int, s->align, sizeof(void *));
	unsigned int size = ALIGN(s->object_size, sizeof(void *));

	if (freeptr_offset != SLL_FREEPTR_AUTO) {
		/* a field of the object the cache's user keeps free for it */
		s->offset = freeptr_offset;
	} else if (s->ctor || (s->flags & SLAB_TYPESAFE_BY_RCU)) {
		/* keep it out of objects that must keep their contents */
		s->offset = size;
		size += sizeof(void *);
	} else {
		s->offset = 0;
	}
	/* KASAN's metadata and redzone, behind the object */
	kasan_cache_create(s, &size, &s->flags);
	size = ALIGN(size, align);

	s->size = size;
	s->reciprocal_size = reciprocal_value(size);
	s->order = calculate_order(size);
	s->min_order = max_t(unsigned int, get_order(size), slub_ll_min_order);
	if (s->order >= SLUB_LL_PAGE_ORDERS || s->min_order > s->order)
		return false;
	s->objects = order_objects(s->order, size);
	s->min_partial = clamp_t(unsigned long, ilog2(size) / 2,
				 SLL_MIN_PARTIAL, SLL_MAX_PARTIAL);
	return s->objects > 0;
}

static int alloc_cpu_slabs(struct kmem_cache *s)
{
	int cpu;

	s->cpu_slab = alloc_percpu(struct kmem_cache_cpu);
	if (!s->cpu_slab)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(s->cpu_slab, cpu)->tid = cpu;
		spin_lock_init(&per_cpu_ptr(s->cpu_slab, cpu)->partial_lock);
	}
	return 0;
}

static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n) {
		s->node[node] = NULL;
		kmem_cache_free(kmem_cache_node_cache, n);
	}
}

/*
 * Early boot: the cache of kmem_cache_node structures cannot allocate its
 * own node structure, so the first object of a fresh slab becomes it.
 */
static void __init early_node_alloc(int node)
{
	struct kmem_cache *s = kmem_cache_node_cache;
	struct kmem_cache_node *n;
	unsigned long flags;
	struct slab *slab;
	void *chain;

	slab = allocate_slab(s, GFP_NOWAIT, node, node, &chain);
	if (!slab)
		panic("SLUB-LL: no memory for the node structures\n");
	n = chain;
	slab->freelist = get_freepointer(s, n);
	n = kasan_slab_alloc(s, n, GFP_NOWAIT, false);
	init_node(n);
	s->node[slab_nid(slab)] = n;
	inc_slabs_node(s, slab_nid(slab), slab->objects);

	slab->inuse = 1;
	slab->frozen = 0;
	if (slab->freelist) {
		spin_lock_irqsave(&n->list_lock, flags);
		add_partial(n, slab);
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
}

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node;

	for_each_node_mask(node, slub_ll_nodes) {
		if (slab_state == DOWN) {
			early_node_alloc(node);
			continue;
		}
		n = kmem_cache_alloc_node(kmem_cache_node_cache, GFP_KERNEL,
					  node);
		if (!n) {
			free_kmem_cache_nodes(s);
			return -ENOMEM;
		}
		init_node(n);
		s->node[node] = n;
	}
	return 0;
}

static void warn_debug_flags(const char *name, slab_flags_t flags)
{
	if (likely(!(flags & SLL_DEBUG_FLAGS)))
		return;
	pr_warn("SLUB-LL: cache %s asks for%s%s%s%s%s: SLUB-LL has no debug mode, ignored (use KASAN or KFENCE)\n",
		name,
		flags & SLAB_CONSISTENCY_CHECKS ? " SLAB_CONSISTENCY_CHECKS" : "",
		flags & SLAB_RED_ZONE ? " SLAB_RED_ZONE" : "",
		flags & SLAB_POISON ? " SLAB_POISON" : "",
		flags & SLAB_STORE_USER ? " SLAB_STORE_USER" : "",
		flags & SLAB_TRACE ? " SLAB_TRACE" : "");
}

/*
 * Free objects a CPU keeps on its partial lists, counted as SLUB counts
 * its cpu_partial: n slabs stand for n * objects / 2 (slabs assumed half
 * used), so the two lists together hold up to n slabs.  Enough slabs that
 * a CPU freeing many objects allocated elsewhere, or allocating many
 * freed elsewhere, visits the list_lock once per several slabs; fewer for
 * big objects, whose slabs are bigger.
 */
static unsigned int default_cpu_partial(const struct kmem_cache *s)
{
	unsigned int slabs;

	if (s->size >= PAGE_SIZE)
		slabs = 2;
	else if (s->size >= 1024)
		slabs = 4;
	else if (s->size >= 256)
		slabs = 6;
	else
		slabs = 8;
	return slabs * s->objects / 2;
}

/*
 * The bound of both CPU lists in objects for cpu_partial @objects: never
 * less than one slab, for a bound that cannot hold the slab a free pushes
 * would unfreeze every slab right after the free froze it.
 */
static unsigned int cpu_partial_bound(const struct kmem_cache *s,
				      unsigned int objects)
{
	unsigned long max;

	/* one slab (order_objects(): 2^15 - 1 objects at most) fits a half */
	BUILD_BUG_ON((1UL << 15) - 1 > SLL_CP_MASK);

	if (!objects)
		return 0;
	/* so that 2 * objects cannot wrap a 32-bit long */
	objects = min_t(unsigned long, objects, SLL_CP_MASK);
	max = max(2UL * objects, (unsigned long)s->objects);
	max = min(max, SLUB_LL_PARTIAL_MAX * s->objects);
	return min(max, SLL_CP_MASK);
}

/**
 * slub_ll_set_cpu_partial - bound the CPU partial lists of a cache
 * @s: the cache
 * @objects: free objects each CPU may keep, 0 for no CPU partial lists;
 *	the slabs on a CPU's two lists hold 2 * @objects objects at most,
 *	or one slab's worth if that is more
 *
 * A smaller bound takes effect at each CPU's next push or refill, which
 * read it.  0 also drains
 * every list: when it returns, no CPU list holds a slab of @s.  A push
 * reads the bound and lands on a list inside one preempt-disabled
 * section (put_cpu_partial()), so after synchronize_rcu() every push
 * that read the old bound has landed, and later ones drain their slab
 * themselves; an own list is filled only with interrupts off, by a
 * refill that reads the bound, or from a pushed list.  The flush after
 * that leaves every list empty for good.  Takes cpus_read_lock(): not
 * with slab_mutex held.
 */
void slub_ll_set_cpu_partial(struct kmem_cache *s, unsigned int objects)
{
	s->cpu_partial = objects;
	WRITE_ONCE(s->cpu_partial_objs, cpu_partial_bound(s, objects));
	if (!objects) {
		synchronize_rcu();
		flush_all(s);
	}
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_set_cpu_partial);

/**
 * slub_ll_set_short_ticks - how long a node counts as short of pages
 * @ticks: jiffies after each failure; 0 for never, ULONG_MAX for always
 *
 * For tests whose outcome depends on the bound of the CPU partial lists,
 * which a node's short mark quarters: the marks come from any failure of
 * the page allocator in the system, which a test does not control.
 *
 * Return: the value before.
 */
unsigned long slub_ll_set_short_ticks(unsigned long ticks)
{
	unsigned long old = READ_ONCE(slub_ll_short_ticks);

	WRITE_ONCE(slub_ll_short_ticks, ticks);
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_set_short_ticks);

/* Page-lock mode: asked for at boot, or no double-word compare-exchange. */
static bool want_pagelock(void)
{
	return slub_ll_pagelock || !system_has_cmpxchg_dw();
}

/*
 * Set up @s, whose name, object_size, align, ctor and usercopy window the
 * tree's entry point has filled in, for @flags.  @freeptr_offset places
 * the free pointer inside the object (a SLAB_TYPESAFE_BY_RCU cache that
 * keeps a field free for it), or is SLL_FREEPTR_AUTO.  On failure
 * everything set up is released again.
 */
static int cache_setup(struct kmem_cache *s, slab_flags_t flags,
		       unsigned int freeptr_offset)
{
	int err;

	warn_debug_flags(s->name, flags);
	s->flags = flags & ~SLL_DEBUG_FLAGS;
	s->inuse = s->object_size;
	s->pagelock = want_pagelock();
	if (!calculate_layout(s, freeptr_offset))
		return -E2BIG;
	s->cpu_partial = default_cpu_partial(s);
	s->cpu_partial_objs = cpu_partial_bound(s, s->cpu_partial);
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	s->random = get_random_long();
	s->slab_mask = ~((PAGE_SIZE << s->order) - 1);
#endif

	err = alloc_cpu_slabs(s);
	if (err)
		return err;
	err = init_kmem_cache_nodes(s);
	if (err)
		goto fail;
	if (slab_state >= UP) {
		err = init_random_seq(s);
		if (err)
			goto fail;
	}
	if (slab_state >= FULL) {
		err = slub_ll_sysfs_add(s);
		if (err)
			goto fail;
	}
	return 0;

fail:
	__kmem_cache_release(s);
	return err;
}

/* Objects handed out and not yet freed; CPU lists count as handed out. */
static unsigned long objects_in_use(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	unsigned long nr = 0, inuse, free;
	int node;

	for_each_kmem_cache_node(s, node, n) {
		slub_ll_count_partial(s, n, &inuse, &free);
		nr += atomic_long_read(&n->total_objects) - free;
	}
	return nr;
}

/* Give the empty slabs on the partial lists back; true if any remain. */
static bool release_empty_slabs(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	struct slab *slab, *tmp;
	unsigned long flags;
	bool left = false;
	LIST_HEAD(empty);
	int node;

	for_each_kmem_cache_node(s, node, n) {
		sll_lock_irqsave(s, &n->list_lock, flags);
		list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
			if (slab_inuse(slab))
				continue;
			remove_partial(n, slab);
			list_add(&slab->slab_list, &empty);
		}
		sll_unlock_irqrestore(s, &n->list_lock, flags);

		list_for_each_entry_safe(slab, tmp, &empty, slab_list) {
			list_del(&slab->slab_list);
			discard_slab(s, slab);
		}
		if (atomic_long_read(&n->nr_slabs))
			left = true;
	}
	return left;
}

bool __kmem_cache_empty(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n)
		if (atomic_long_read(&n->nr_slabs))
			return false;
	return true;
}

int __kmem_cache_shrink(struct kmem_cache *s)
{
	flush_all(s);
	return release_empty_slabs(s);
}

int __kmem_cache_shutdown(struct kmem_cache *s)
{
	unsigned long leaked;

	/* kmem_cache_destroy() holds cpus_read_lock() and slab_mutex */
	flush_all_cpus_locked(s);
	release_empty_slabs(s);
	leaked = objects_in_use(s);
	if (leaked) {
		pr_err("SLUB-LL %s: %lu objects still allocated at destroy\n",
		       s->name, leaked);
		return -EBUSY;
	}
	/*
	 * The sysfs directory stays: the common code unlinks it after
	 * dropping cpus_read_lock and slab_mutex, which its readers may
	 * need before it can wait for them.
	 */
	return 0;
}

void __kmem_cache_release(struct kmem_cache *s)
{
#ifdef CONFIG_SLAB_FREELIST_RANDOM
	cache_random_seq_destroy(s);
#endif
	free_kmem_cache_nodes(s);
	free_percpu(s->cpu_slab);
	s->cpu_slab = NULL;
}

/* ---------------------------------------------------------------------
 * Memory hotplug
 */

#ifdef CONFIG_MEMORY_HOTPLUG
/*
 * Normal memory is coming to node @nid: give every cache a kmem_cache_node
 * there before the first page of the node can reach a slab.  Caches
 * created from now on get one through slub_ll_nodes.
 */
static int slub_ll_node_going_online(int nid)
{
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	int err = 0;

	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		if (get_node(s, nid))
			continue;	/* the node was online before */
		/* the node has no memory yet: any node's will do */
		n = kmem_cache_alloc(kmem_cache_node_cache, GFP_KERNEL);
		if (!n) {
			err = -ENOMEM;
			break;
		}
		init_node(n);
		s->node[nid] = n;
	}
	if (!err)
		node_set(nid, slub_ll_nodes);
	mutex_unlock(&slab_mutex);
	return err;
}

/*
 * The node's normal memory is gone (or did not come).  Its structures
 * stay: lockless readers of get_node() could not be told to let go; new
 * caches just do not get one, and node-specific allocations for it take
 * any node.
 */
static void slub_ll_node_offline(int nid)
{
	mutex_lock(&slab_mutex);
	node_clear(nid, slub_ll_nodes);
	mutex_unlock(&slab_mutex);
}

/* Memory going offline: give the empty slabs back so its pages can go. */
static void slub_ll_shrink_all(void)
{
	struct kmem_cache *s;

	/* memory hotplug holds cpus_read_lock(), taken before slab_mutex */
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		flush_all_cpus_locked(s);
		release_empty_slabs(s);
	}
	mutex_unlock(&slab_mutex);
}

#endif /* CONFIG_MEMORY_HOTPLUG */

/* ---------------------------------------------------------------------
 * Boot
 */

/*
 * Move a boot cache from its static structure into one allocated from
 * kmem_cache.  Right after boot, all slabs of the cache are either the
 * boot CPU's or on a partial list; repoint them at the copy.
 */
static struct kmem_cache * __init bootstrap(struct kmem_cache *boot)
{
	struct kmem_cache *s = kmem_cache_zalloc(kmem_cache, GFP_NOWAIT);
	struct kmem_cache_cpu *c;
	struct kmem_cache_node *n;
	unsigned long seen, flags;
	struct slab *slab;
	int node;

	memcpy(s, boot, kmem_cache->object_size);

	local_irq_save(flags);
	c = this_cpu_ptr(s->cpu_slab);
	if (c->slab)
		c->slab->slab_cache = s;
	flush_cpu_slab_locked(s, c);
	local_irq_restore(flags);

	for_each_kmem_cache_node(s, node, n) {
		seen = 0;
		list_for_each_entry(slab, &n->partial, slab_list) {
			slab->slab_cache = s;
			seen++;
		}
		WARN_ON(seen != atomic_long_read(&n->nr_slabs));
	}
	list_add(&s->list, &slab_caches);
	return s;
}

/*
 * The alloc side's key from the boot options init_on_alloc and
 * init_on_free, which mm_init() has set by now and nothing changes later.
 */
static void __init slub_ll_init_keys(void)
{
	if (want_init_on_alloc(0) || want_init_on_free())
		static_branch_enable(&slub_ll_alloc_init);
	else
		static_branch_disable(&slub_ll_alloc_init);
}

/*
 * The first half of booting: the caches that every other cache is made
 * of, moved from static structures into memory of their own.  The tree's
 * kmem_cache_init() then makes the kmalloc caches and calls boot_finish().
 */
static void __init boot_caches(void)
{
	static __initdata struct kmem_cache boot_kmem_cache,
		boot_kmem_cache_node;
	int nid;

	slub_ll_init_keys();

	kmem_cache_node_cache = &boot_kmem_cache_node;
	kmem_cache = &boot_kmem_cache;
	slub_ll_nodes = node_states[SLL_NODE_STATE];
	/* no node has been short of pages yet */
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		slub_ll_short_at[nid] = jiffies - slub_ll_short_ticks;

	create_boot_cache(kmem_cache_node_cache, "kmem_cache_node",
			  sizeof(struct kmem_cache_node), SLL_BOOT_CACHE_FLAGS,
			  0, 0);
	slab_state = PARTIAL;

	create_boot_cache(kmem_cache, "kmem_cache",
			  offsetof(struct kmem_cache, node) +
			  nr_node_ids * sizeof(struct kmem_cache_node *),
			  SLL_BOOT_CACHE_FLAGS, 0, 0);

	kmem_cache = bootstrap(&boot_kmem_cache);
	kmem_cache_node_cache = bootstrap(&boot_kmem_cache_node);
}

/* The second half, once kmalloc works. */
static void __init boot_finish(void)
{
	struct kmem_cache *s;

	/* the caches made so far get their random order */
	list_for_each_entry(s, &slab_caches, list)
		if (init_random_seq(s))
			panic("SLUB-LL: no memory for %s's random order\n",
			      s->name);

	cpuhp_setup_state_nocalls(CPUHP_SLUB_DEAD, "slub_ll:dead", NULL,
				  slub_ll_cpu_dead);

	pr_info("SLUB-LL: %s slowpaths, %u nodes, %u CPUs\n",
		want_pagelock() ? "page-lock" : "lockless",
		nr_node_ids, nr_cpu_ids);
}

/* ---------------------------------------------------------------------
 * Reporting: statistics, /proc/slabinfo, object info, usercopy
 */

const char * const slub_ll_stat_names[NR_SLUB_LL_STAT_ITEMS] = {
	[SLL_ALLOC_FASTPATH]		= "alloc_fastpath",
	[SLL_ALLOC_SLOWPATH]		= "alloc_slowpath",
	[SLL_FREE_FASTPATH]		= "free_fastpath",
	[SLL_FREE_SLOWPATH]		= "free_slowpath",
	[SLL_FREE_FROZEN]		= "free_frozen",
	[SLL_FREE_ADD_PARTIAL]		= "free_add_partial",
	[SLL_FREE_REMOVE_PARTIAL]	= "free_remove_partial",
	[SLL_ALLOC_FROM_PARTIAL]	= "alloc_from_partial",
	[SLL_ALLOC_SLAB]		= "alloc_slab",
	[SLL_ALLOC_REFILL]		= "alloc_refill",
	[SLL_FREE_SLAB]			= "free_slab",
	[SLL_CPUSLAB_FLUSH]		= "cpuslab_flush",
	[SLL_CMPXCHG_DOUBLE_CPU_FAIL]	= "cmpxchg_double_cpu_fail",
	[SLL_CMPXCHG_DOUBLE_FAIL]	= "cmpxchg_double_fail",
	[SLL_FREEZE]			= "freeze",
	[SLL_UNFREEZE]			= "unfreeze",
	[SLL_PAGELOCK_TAKEN]		= "pagelock_taken",
	[SLL_LIST_LOCK]			= "list_lock",
	[SLL_CPU_PARTIAL_ALLOC]		= "cpu_partial_alloc",
	[SLL_CPU_PARTIAL_FREE]		= "cpu_partial_free",
	[SLL_CPU_PARTIAL_NODE]		= "cpu_partial_node",
	[SLL_CPU_PARTIAL_DRAIN]		= "cpu_partial_drain",
};

unsigned long slub_ll_stat_cpu(struct kmem_cache *s,
			       enum slub_ll_stat_item item, int cpu)
{
#ifdef CONFIG_SLUB_LL_STATS
	return READ_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->stat[item]);
#else
	return 0;
#endif
}

unsigned long slub_ll_stat_sum(struct kmem_cache *s,
			       enum slub_ll_stat_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += slub_ll_stat_cpu(s, item, cpu);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_stat_sum);

void slub_ll_stat_clear(struct kmem_cache *s, enum slub_ll_stat_item item)
{
#ifdef CONFIG_SLUB_LL_STATS
	int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->stat[item], 0);
#endif
}

void slub_ll_slab_set_pfmemalloc(struct slab *slab)
{
	sll_slab_set_pfmemalloc(slab);
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_slab_set_pfmemalloc);

bool slub_ll_has_cmpxchg_dw(void)
{
	return system_has_cmpxchg_dw();
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_has_cmpxchg_dw);

unsigned int slub_ll_slab_cpu(const struct slab *slab)
{
	return sll_slab_cpu(slab);
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_slab_cpu);

/*
 * The slabs on @c's pushed list, as its weight tells them: exact while
 * they are all of the preferred order (s->objects each), rounded up from
 * the weight when some are of the fallback order, which weigh less, so
 * short of the real count by up to those slabs.  Another CPU cannot walk
 * the list, whose slabs may be taken and freed meanwhile, and a push
 * keeps no count beside the weight in its pair.
 */
static unsigned long cpu_pushed_slabs(struct kmem_cache *s,
				      struct kmem_cache_cpu *c)
{
	return DIV_ROUND_UP(cp_pushed(READ_ONCE(c->partial_stamp)), s->objects);
}

unsigned long slub_ll_cpu_partial_slabs(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	return cpu_pushed_slabs(s, c) + READ_ONCE(c->partial_own_nr);
}
EXPORT_SYMBOL_IF_KUNIT(slub_ll_cpu_partial_slabs);

/*
 * For sysfs cpu_slabs: every possible CPU's active slab and the slabs on
 * its two partial lists (an offline CPU keeps its lists until
 * CPUHP_SLUB_DEAD), read without a lock, so a count made while the lists
 * change is stale as any count of a running allocator is.  Only the head
 * of a list can be looked at from another CPU: the whole list is counted
 * on the head's node, as SLUB counts its CPU partial list, though it may
 * hold slabs of other nodes, and a pushed list holding fallback slabs is
 * counted short (cpu_pushed_slabs()).  Estimates, then, where the lists
 * mix nodes or orders; exact for the active slabs and the own lists'
 * lengths.
 */
void slub_ll_count_cpu_slabs(struct kmem_cache *s, unsigned long *nodes)
{
	struct kmem_cache_cpu *c;
	struct slab *slab;
	int cpu;

	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(s->cpu_slab, cpu);
		slab = READ_ONCE(c->slab);
		if (slab)
			nodes[slab_nid(slab)]++;
		slab = READ_ONCE(c->partial_own);
		if (slab)
			nodes[slab_nid(slab)] += READ_ONCE(c->partial_own_nr);
		slab = READ_ONCE(c->partial);
		if (slab)
			nodes[slab_nid(slab)] += cpu_pushed_slabs(s, c);
	}
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long slabs = 0, objects = 0, free = 0, inuse, nfree;
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n) {
		slabs += atomic_long_read(&n->nr_slabs);
		objects += atomic_long_read(&n->total_objects);
		slub_ll_count_partial(s, n, &inuse, &nfree);
		free += nfree;
	}
	sinfo->active_objs = objects - free;
	sinfo->num_objs = objects;
	sinfo->active_slabs = slabs;
	sinfo->num_slabs = slabs;
	sinfo->objects_per_slab = s->objects;
	sinfo->cache_order = s->order;
}

#ifdef CONFIG_PRINTK
void __kmem_obj_info(struct kmem_obj_info *kpp, void *object,
		     struct slab *slab)
{
	struct kmem_cache *s = slab->slab_cache;
	void *base = slab_address(slab);

	kpp->kp_ptr = object;
	kpp->kp_slab = slab;
	kpp->kp_slab_cache = s;
	if (object < base || object >= base + slab->objects * s->size)
		return;
	kpp->kp_objp = base + (object - base) / s->size * s->size;
	kpp->kp_data_offset = 0;
}
#endif

#ifdef CONFIG_HARDENED_USERCOPY
/* Is [ptr, ptr + n) inside the usercopy window of one object? */
void __check_heap_object(const void *ptr, unsigned long n,
			 const struct slab *slab, bool to_user)
{
	struct kmem_cache *s = slab->slab_cache;
	const void *base = slab_address(slab);
	unsigned long offset, idx;

	if (is_kfence_address(ptr)) {
		/* the object has a page of its own, anywhere in it */
		offset = ptr - kfence_object_start(ptr);
		goto check;
	}
	if (ptr < base)
		usercopy_abort("SLUB-LL object not in slab", s->name, to_user,
			       0, n);
	idx = (ptr - base) / s->size;
	offset = (ptr - base) % s->size;
	if (idx >= slab->objects)
		usercopy_abort("SLUB-LL slab tail", s->name, to_user, offset,
			       n);
check:
	if (offset >= s->useroffset &&
	    offset - s->useroffset <= s->usersize &&
	    n <= s->useroffset - offset + s->usersize)
		return;
	usercopy_abort("SLUB-LL object", s->name, to_user, offset, n);
}
#endif

/*
 * The entry points of the kernel tree this file is built in, with the
 * hooks of that tree's common code around the paths above.
 */
#include "slub_ll_tree.c"
