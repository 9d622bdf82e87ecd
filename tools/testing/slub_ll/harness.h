/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space driver for mm/slub_ll.c.
 *
 * A program links libslub_ll.a (make -C tools/testing/slub_ll lib
 * MODE=plain|tsan|asan) and includes only this header: no kernel shim
 * leaks into it.  Threads stand in for CPUs: each thread that allocates or
 * frees first binds itself to one simulated CPU, and no two live threads
 * may be bound to the same CPU at the same time (a simulated CPU's data is
 * touched only by its own thread, as a real CPU's is touched only by code
 * running on it).
 *
 * Order of calls:
 *	sll_init(nr_cpus);		once, from the main thread
 *	sll_set_pagelock(true/false);	mode for caches created from now on
 *	s = sll_cache_create(...);
 *	per thread: sll_bind_cpu(n); sll_alloc(s); sll_free(s, p); ...
 *	sll_cache_shrink(s), sll_cache_destroy(s), sll_cpu_dead(n):
 *		only while no other thread is inside the allocator (they
 *		stand in for work the kernel does on every CPU by IPI).
 */
#ifndef SLUB_LL_HARNESS_H
#define SLUB_LL_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

struct kmem_cache;

/* Most simulated CPUs sll_init() accepts. */
#define SLL_MAX_CPUS	64

/* Flags for sll_cache_create(), same meaning as the kernel's SLAB_* ones. */
#define SLL_HWCACHE_ALIGN	0x1u	/* align objects to a cache line */
#define SLL_TYPESAFE_BY_RCU	0x2u	/* free pointer kept out of the object */
/*
 * May be merged into an existing cache created with this flag and of the
 * same geometry (the common code's merging, SLAB_MERGE_DEFAULT): the
 * existing cache is returned and counts one more user; each user destroys
 * it once.
 */
#define SLL_MERGE		0x4u
/*
 * SLUB's debugging flags (SLAB_CONSISTENCY_CHECKS, SLAB_RED_ZONE,
 * SLAB_POISON, SLAB_STORE_USER, SLAB_TRACE), which SLUB-LL does not
 * implement: accepted, said and dropped.
 */
#define SLL_CONSISTENCY_CHECKS	0x100u
#define SLL_RED_ZONE		0x200u
#define SLL_POISON		0x400u
#define SLL_STORE_USER		0x800u
#define SLL_TRACE		0x1000u
#define SLL_CACHE_DEBUG_FLAGS	(SLL_CONSISTENCY_CHECKS | SLL_RED_ZONE | \
				 SLL_POISON | SLL_STORE_USER | SLL_TRACE)

/*
 * Set up the page arena, nr_cpus simulated CPUs and the allocator's boot
 * caches.  The calling thread is bound to CPU 0.  Returns 0, or -1 with a
 * message on stderr (bad nr_cpus, no memory, called twice).
 */
int sll_init(unsigned int nr_cpus);
unsigned int sll_nr_cpus(void);

/*
 * Bind the calling thread to simulated CPU @cpu (and, where the host has
 * enough, pin it to host CPU @cpu modulo the host's count).  Returns 0 or
 * -1 for a CPU number out of range.
 */
int sll_bind_cpu(unsigned int cpu);
/* Simulated CPU of the calling thread, or -1 when unbound. */
int sll_current_cpu(void);

/*
 * Select the page-lock fallback (true) or the lockless double-word
 * compare-exchange (false) for caches created after this call.  A host
 * without cmpxchg16b gets the page lock whatever is asked.
 */
void sll_set_pagelock(bool pagelock);
/*
 * Whether the build has a double-word compare-exchange (false in the
 * MODE=generic build, where every cache uses the page lock).
 */
bool sll_system_has_cmpxchg_dw(void);
/* Mode a cache actually uses. */
bool sll_cache_pagelock(struct kmem_cache *s);

struct kmem_cache *sll_cache_create(const char *name, unsigned int size,
				    unsigned int align, unsigned int flags,
				    void (*ctor)(void *object));
/*
 * Returns the number of objects still allocated, 0 on a clean destroy.
 * A cache with objects left is reported and kept (as the kernel keeps
 * it); the caller may free them and destroy it again.
 */
long sll_cache_destroy(struct kmem_cache *s);
/* Flush every CPU's slab and free empty slabs; returns the pages freed. */
unsigned long sll_cache_shrink(struct kmem_cache *s);
unsigned int sll_cache_size(struct kmem_cache *s);	/* bytes per object */
unsigned int sll_cache_objects(struct kmem_cache *s);	/* objects a slab */
unsigned int sll_cache_order(struct kmem_cache *s);	/* page order */

void *sll_alloc(struct kmem_cache *s);
void *sll_zalloc(struct kmem_cache *s);
/*
 * kmem_cache_alloc_node().  The harness has two nodes with memory, 0 and
 * 1; every CPU is on node 0, so node 1 is reached only through this.
 */
void *sll_alloc_node(struct kmem_cache *s, int node);
void sll_free(struct kmem_cache *s, void *object);
/* All or nothing: returns n, or 0 with nothing allocated. */
int sll_alloc_bulk(struct kmem_cache *s, size_t n, void **objects);
void sll_free_bulk(struct kmem_cache *s, size_t n, void **objects);

/*
 * Flush what CPU @cpu holds in every cache, as CPU hotplug does when a
 * CPU goes offline.
 */
void sll_cpu_dead(unsigned int cpu);

/*
 * ---- CPU hotplug and preemption ----
 * sll_set_cpu_online(): take a simulated CPU out of (or back into) the
 * online mask, as CPU hotplug does before (after) sll_cpu_dead().  No
 * thread may be bound to an offline CPU.
 *
 * sll_offline_after_check(cpu): the next cpu_online(@cpu) check the
 * allocator makes on the calling thread is followed by @cpu going offline
 * and its dead-CPU teardown, at the first point where stop_machine()
 * could run: right after the check if the thread is preemptible there,
 * else when it enables preemption (and interrupts) again.
 * sll_offline_pending() is the CPU still waiting for that, or -1.
 *
 * sll_at_online_check(fn, arg): call fn(arg) at the next cpu_online()
 * check the allocator makes on the calling thread (once; NULL disarms).
 * synchronize_rcu() here waits until no other simulated CPU has
 * preemption disabled; sll_rcu_waits_for() is the CPU it waits for now,
 * or -1 (one caller at a time).
 */
void sll_set_cpu_online(unsigned int cpu, bool online);
void sll_offline_after_check(int cpu);	/* -1: disarm */
bool sll_cpu_online_now(unsigned int cpu);	/* no hook runs */
int sll_offline_pending(void);
void sll_at_online_check(void (*fn)(void *arg), void *arg);
int sll_rcu_waits_for(void);
/* ---- end of CPU hotplug and preemption ---- */

/*
 * Statistics, summed over all CPUs.  Item numbers run 0..sll_nr_stats()-1
 * in the order of SLUB_LL_STATS in include/linux/slub_ll_def.h; the name
 * is the one shown under /sys/kernel/slab/<cache>/ in the kernel.
 */
unsigned int sll_nr_stats(void);
const char *sll_stat_name(unsigned int item);
/* -1 for an unknown name. */
int sll_stat_index(const char *name);
unsigned long sll_stat(struct kmem_cache *s, unsigned int item);
void sll_stats(struct kmem_cache *s, unsigned long *out /* sll_nr_stats() */);

/* Slabs and objects the cache holds right now (all nodes). */
unsigned long sll_cache_slabs(struct kmem_cache *s);
/* Pages the arena has handed out and not yet taken back. */
unsigned long sll_pages_in_use(void);

/* Byte offset of @p in the page arena (for maps indexed by address). */
unsigned long sll_arena_offset(const void *p);
/* Objects handed out and not freed, objects on CPU lists included. */
unsigned long sll_objects_in_use(struct kmem_cache *s);
/* Would the hardened-usercopy check let [ptr, ptr + n) be copied? */
bool sll_usercopy_ok(const void *ptr, unsigned long n);
/* Start of the object that @ptr points into (kmem_obj_info), or NULL. */
void *sll_obj_start(const void *ptr);
/*
 * White-box check of the CPU pair: read (freelist, tid) as the alloc
 * fastpath does, then let "another task on this CPU" allocate two objects
 * and free the first, so the list head is the same object again with a
 * different successor (the ABA case).  The stale compare-exchange must
 * fail.  Returns 1 if it failed as it should, 0 if it succeeded (the pair
 * would have been corrupted; the test then repairs nothing), -1 if the
 * scenario could not be set up.
 */
int sll_check_cpu_aba(struct kmem_cache *s);
/*
 * CPU partial lists: the bound (objects, 0 = off) and a CPU's slabs,
 * counted on its lists (only while no thread is inside the allocator),
 * and as sysfs slabs_cpu_partial shows them (an estimate where a pushed
 * list holds slabs of the fallback order).
 */
void sll_set_cpu_partial(struct kmem_cache *s, unsigned int objects);
unsigned int sll_cpu_partial(struct kmem_cache *s);
unsigned long sll_cpu_partial_slabs(struct kmem_cache *s, unsigned int cpu);
unsigned long sll_cpu_partial_slabs_shown(struct kmem_cache *s,
					  unsigned int cpu);
/*
 * Objects the slabs on both partial lists of @cpu hold, free or not,
 * walked: only while no thread is inside the allocator.  The documented
 * bound is 2 * sll_cpu_partial(s).
 */
unsigned long sll_cpu_partial_held(struct kmem_cache *s, unsigned int cpu);
/*
 * Slabs on both partial lists of @cpu with no object in use: what a
 * shrinker could give back there.  Walked, as sll_cpu_partial_held().
 */
unsigned long sll_cpu_partial_empty(struct kmem_cache *s, unsigned int cpu);
/*
 * The second word of @cpu's pushed pair: what a push compares besides
 * the head (the pushed list's weight, the own list's growths).
 */
unsigned long sll_cpu_partial_stamp(struct kmem_cache *s, unsigned int cpu);
/*
 * The allocator's interrupts-off sections of @s still open, summed over
 * the CPUs (kmalloc_nolock() keeps out of a CPU that has one): 0 whenever
 * no thread is inside the allocator.
 */
unsigned long sll_irqoff_open(struct kmem_cache *s);
/*
 * What sysfs cpu_slabs shows for @node: the CPUs' active slabs and CPU
 * partial slabs of the node, every possible CPU.
 */
unsigned long sll_cpu_slabs(struct kmem_cache *s, int node);
/* Slabs of node @node that the cache holds (slabs the node counts). */
unsigned long sll_node_slabs(struct kmem_cache *s, int node);
/*
 * Every slab of @s accounted for, with no thread working on @s: a frozen
 * slab is exactly one CPU's active slab or on exactly one CPU's partial
 * list (which counts its slabs right) with a freelist; an unfrozen one is
 * on its node's partial list exactly when it has a freelist; no slab is on
 * two lists; and these are all the slabs the node counters know.  0 when
 * all holds, else -1 with the first violation in @why.
 */
int sll_check_lists(struct kmem_cache *s, char *why, size_t len);
/* WARN_ON()s the allocator has hit so far. */
unsigned long sll_warnings(void);

/*
 * Allocation with kernel-like gfp flags, or-ed from SLL_GFP_*: ATOMIC
 * (cannot sleep), NOFAIL, NOWARN, MEMALLOC (entitled to the reserves).
 * Without any, the same as sll_alloc() (GFP_KERNEL).
 */
enum {
	SLL_GFP_ATOMIC = 1,
	SLL_GFP_NOFAIL = 2,
	SLL_GFP_NOWARN = 4,
	SLL_GFP_MEMALLOC = 8,
	SLL_GFP_HIGHMEM = 16,	/* invalid for slab: must be dropped */
};
void *sll_alloc_gfp(struct kmem_cache *s, unsigned int how);

/*
 * The page allocator under test control.  sll_pages_fail_from(N) makes
 * every request of order N or more fail (-1: none fails);
 * sll_pages_reserve(true) hands out pages as if taken from the emergency
 * reserves (pfmemalloc).  The first SLL_PAGE_CALLS requests since
 * sll_page_calls_reset() are logged; sll_page_calls() copies up to @max
 * of them and returns how many requests were made.
 */
#define SLL_PAGE_CALLS 16
struct sll_page_call {
	unsigned int order;
	bool nofail, noretry, nowarn;
	bool reserves_ok;	/* __GFP_NOMEMALLOC not set */
	bool irqs_off;		/* made with (simulated) interrupts off */
	bool ok;		/* pages were handed out */
	bool direct_reclaim;	/* __GFP_DIRECT_RECLAIM: may reclaim, compact */
	bool kswapd;		/* __GFP_KSWAPD_RECLAIM: may wake kswapd */
};
void sll_pages_fail_from(int order);
/*
 * Time: jiffies move only by sll_tick(), @ticks of them, from a thread
 * while no other is inside the allocator; sll_hz() ticks make a second.
 * sll_node_short() says whether the allocator counts @node as short of
 * pages (a new slab failed there even at the smallest order within the
 * last second; a fallback from the preferred order marks nothing): while
 * it does, the CPU partial lists keep a quarter of their bound for that
 * node's slabs, one slab at least.
 */
void sll_tick(unsigned long ticks);
unsigned long sll_hz(void);
bool sll_node_short(int node);
/*
 * How long a node counts as short after a failure, in ticks (ULONG_MAX:
 * every node always, 0: none ever); returns the value before.
 */
unsigned long sll_short_ticks(unsigned long ticks);
void sll_pages_reserve(bool on);
void sll_page_calls_reset(void);
unsigned int sll_page_calls(struct sll_page_call *out, unsigned int max);
/* Invalid gfp flags the allocator dropped (kmalloc_fix_flags()). */
unsigned long sll_gfp_fixes(void);
/* Allocation-failure reports printed so far (rate limit not applied). */
unsigned long sll_oom_reports(void);
/* Objects in a slab of the smallest order the cache falls back to. */
unsigned int sll_cache_min_objects(struct kmem_cache *s);
/* Whether the slab of @object was marked as taken from the reserves. */
bool sll_obj_pfmemalloc(const void *object);
/*
 * Reclaim context for the calling thread: between the two calls, pages of
 * slabs it frees are credited to it; sll_reclaim_end() returns how many.
 */
void sll_reclaim_begin(void);
unsigned long sll_reclaim_end(void);

/*
 * Hardening (MODE=hardened builds with CONFIG_SLAB_FREELIST_HARDENED and
 * CONFIG_SLAB_FREELIST_RANDOM and counts the hooks of the common code).
 */
bool sll_hardened(void);
bool sll_random_order(void);
/* The word a free object holds at its free pointer's place, raw. */
unsigned long sll_stored_freepointer(struct kmem_cache *s, void *object);
void sll_store_freepointer(struct kmem_cache *s, void *object,
			   unsigned long word);
/* Stack dumps printed so far (reports such as a double free). */
unsigned long sll_stack_dumps(void);
/* obj_to_index() and nearest_obj() of the common code's memcg and KASAN. */
unsigned int sll_obj_to_index(struct kmem_cache *s, const void *object);
void *sll_nearest_obj(struct kmem_cache *s, const void *p);
/*
 * Hooks: whether this build counts them; objects the memcg free hook and
 * KASAN's free hook were called for.  sll_quarantine(true) makes KASAN's
 * free hook keep freed objects (as its quarantine does) until
 * sll_quarantine_release() hands them back through ___cache_free().
 */
bool sll_hooks_counted(void);
void sll_hook_counts(unsigned long *memcg, unsigned long *kasan);
void sll_quarantine(bool on);
unsigned long sll_quarantine_release(void);

/* ---- init_on_alloc / init_on_free, KFENCE, boot parameters ---- */

/*
 * The boot options init_on_alloc and init_on_free (both off at start).
 * Only while no other thread is inside the allocator.
 */
void sll_set_init_on(bool alloc, bool free);
/* kmalloc() of @size bytes from @s (its kmalloc cache), __GFP_ZERO or not. */
void *sll_kmalloc(struct kmem_cache *s, size_t size, bool zero);

/*
 * A stand-in for KFENCE, one object at a time.  sll_kfence_object() lays
 * out an object of @size bytes for @s as KFENCE does: alone in a page of
 * the arena that is a slab of @s no CPU holds, its end against the next
 * page (KFENCE's guard page), aligned down to the cache's alignment; the
 * rest of both pages is a canary, the object holds a fill pattern.
 * Freeing it reaches kfence_free(), which counts it, notes whether the
 * object still held what it was handed out with, and wipes it if
 * init_on_free applies, its @size bytes only, as KFENCE does.
 * In builds that count hooks, sll_kfence_next(@s) makes the next
 * kfence_alloc() for @s hand out such an object of the size asked for,
 * zeroed when init_on_alloc or __GFP_ZERO want it (KFENCE does that
 * itself); it returns false in other builds.
 */
void *sll_kfence_object(struct kmem_cache *s, unsigned int size);
bool sll_kfence_next(struct kmem_cache *s);
bool sll_is_kfence(const void *p);
/* Every byte of the two pages outside the object still holds the canary. */
bool sll_kfence_canary_ok(void);
/* Objects kfence_free() took back, and whether the last one was intact. */
unsigned long sll_kfence_frees(void);
bool sll_kfence_freed_untouched(void);

/*
 * A boot parameter as the kernel's command line passes it to the
 * allocator's early_param() handler of that name (@value NULL for a bare
 * "name"): the handler's result (0, or -EINVAL for a bad value), or -1
 * when the allocator has no handler of that name.  Only while no other
 * thread is inside the allocator; the order parameters apply to caches
 * created afterwards.
 */
int sll_boot_param(const char *name, const char *value);
/* pr_warn() messages printed so far, and the text of the last one. */
unsigned long sll_warn_messages(void);
const char *sll_last_warn_message(void);

#endif /* SLUB_LL_HARNESS_H */
