/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces mm/slub_ll.c uses, for user space.  Every header
 * name the allocator includes (linux/mm.h, asm/percpu.h, "slab.h", ...)
 * is a one-line file in shim/ that includes this one.
 *
 * Model:
 *  - Pages come from one mmap'd arena; a struct page array and two side
 *    arrays (head page number, order) sit behind it, so an address finds
 *    its slab in O(1).
 *  - A simulated CPU is a thread bound to it (sll_bind_cpu()).  Per-CPU
 *    data lives in one unit per CPU; this_cpu_ptr() adds the calling
 *    thread's unit offset.  Only the bound thread touches its unit, as
 *    only code running on a CPU touches that CPU's data, so "interrupts
 *    off" and "preemption off" need no mechanism: they are tracked for
 *    assertions only.
 *  - Spinlocks and bit locks spin on atomics (yielding when the holder
 *    seems to be descheduled), mutexes are pthread mutexes.
 *  - RCU callbacks run at once: the harness has no RCU readers.
 * What the allocator's own structures look like is taken from
 * include/linux/slub_ll_def.h, never repeated here.
 */
#ifndef SLL_KERNEL_H
#define SLL_KERNEL_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---- configuration of the simulated kernel ---- */
#define CONFIG_SLUB_LL 1
#ifndef SLL_NO_STATS
#define CONFIG_SLUB_LL_STATS 1
#endif
#define CONFIG_NR_CPUS 64
#define CONFIG_PRINTK 1
#define CONFIG_HAVE_HARDENED_USERCOPY_ALLOCATOR 1
#define CONFIG_HARDENED_USERCOPY 1
#define CONFIG_X86_64 1
#define MAX_NUMNODES 2
#define NUMA_NO_NODE (-1)

/* ---- compiler ---- */
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define __aligned(x) __attribute__((__aligned__(x)))
#define __maybe_unused __attribute__((__unused__))
#define noinline __attribute__((__noinline__))
#define __cold __attribute__((__cold__))
/* IS_ENABLED(CONFIG_FOO): 1 when CONFIG_FOO is defined as 1, else 0 */
#define __sll_one_if_1 0,
#define __sll_second(a, b, ...) b
#define __sll_enabled3(junk) __sll_second(junk 1, 0, 0)
#define __sll_enabled2(v) __sll_enabled3(__sll_one_if_##v)
#define IS_ENABLED(option) __sll_enabled2(option)
#define __noreturn __attribute__((__noreturn__))
#define __percpu
#define __user
#define __init
#define __initdata
#define __ro_after_init
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#ifdef __SANITIZE_THREAD__
/* what they order, said to ThreadSanitizer, which knows no x86 ordering */
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#else
/* x86's: loads are not reordered with loads, nor stores with stores */
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#endif
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define EXPORT_SYMBOL(sym) extern typeof(sym) sym
#define EXPORT_SYMBOL_IF_KUNIT(sym) extern typeof(sym) sym
#define __read_mostly
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;
struct kmem_cache;
struct slab;

/* ---- arithmetic ---- */
#define ALIGN(x, a) (((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
#define BITS_PER_LONG	(__SIZEOF_LONG__ * 8)
#define min(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define fls(x) ((x) ? 32 - __builtin_clz((unsigned int)(x)) : 0)
#define ilog2(n) (63 - __builtin_clzl((unsigned long)(n)))
#define roundup_pow_of_two(n) \
	((n) <= 1 ? 1UL : 1UL << (64 - __builtin_clzl((unsigned long)(n) - 1)))

/* ---- diagnostics ---- */
#define pr_err(fmt, ...) fprintf(stderr, "# " fmt, ##__VA_ARGS__)
/* counted, and the last one kept, for the tests (harness.h) */
void sll_printk_warn(const char *fmt, ...)
	__attribute__((__format__(__printf__, 1, 2)));
#define pr_warn(fmt, ...) sll_printk_warn("# " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) do { if (0) fprintf(stderr, fmt, ##__VA_ARGS__); } while (0)
#define BUG() do { fprintf(stderr, "BUG at %s:%d\n", __FILE__, __LINE__); abort(); } while (0)
#define panic(fmt, ...) do { fprintf(stderr, "panic: " fmt, ##__VA_ARGS__); abort(); } while (0)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)
#define WARN_ON(c) ({ bool _w = !!(c); if (unlikely(_w)) { \
	fprintf(stderr, "WARNING at %s:%d: %s\n", __FILE__, __LINE__, #c); \
	sll_warnings_inc(); } _w; })
#define WARN_ON_ONCE(c) WARN_ON(c)
void sll_warnings_inc(void);
unsigned long sll_warnings(void);

/* ---- lists ---- */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}
static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_add(n, h, h->next);
}
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}
static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = (void *)0x100;
	e->prev = (void *)0x122;
}
static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}
#define list_entry(p, t, m) container_of(p, t, m)
#define list_first_entry(h, t, m) list_entry((h)->next, t, m)
#define list_first_entry_or_null(h, t, m) \
	(list_empty(h) ? NULL : list_first_entry(h, t, m))
#define list_next_entry(p, m) list_entry((p)->m.next, typeof(*(p)), m)
/* the end test does no member access, so UBSan accepts the list head */
#define list_entry_is_head(p, h, m) \
	((struct list_head *)((char *)(p) + offsetof(typeof(*(p)), m)) == (h))
#define list_for_each_entry(p, h, m) \
	for (p = list_first_entry(h, typeof(*p), m); !list_entry_is_head(p, h, m); \
	     p = list_next_entry(p, m))
#define list_entry_node(p, m) \
	((struct list_head *)((char *)(p) + offsetof(typeof(*(p)), m)))
#define list_for_each_entry_safe(p, n, h, m) \
	for (p = list_first_entry(h, typeof(*p), m), \
	     n = list_entry(list_entry_node(p, m)->next, typeof(*p), m); \
	     !list_entry_is_head(p, h, m); \
	     p = n, n = list_entry(list_entry_node(n, m)->next, typeof(*n), m))

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
static inline void call_rcu(struct rcu_head *head,
			    void (*func)(struct rcu_head *head))
{
	func(head);
}
/* waits until no other simulated CPU is in a preempt-disabled section */
void synchronize_rcu(void);

/* ---- atomics ---- */
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define atomic_long_read(v) __atomic_load_n(&(v)->counter, __ATOMIC_RELAXED)
#define atomic_long_set(v, i) __atomic_store_n(&(v)->counter, (i), __ATOMIC_RELAXED)
#define atomic_long_add(i, v) ((void)__atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_long_sub(i, v) ((void)__atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_long_inc(v) atomic_long_add(1, v)
#define atomic_long_dec(v) atomic_long_sub(1, v)

static inline void cpu_relax_n(unsigned int *spins)
{
	if (++*spins < 64)
		__builtin_ia32_pause();
	else
		sched_yield();
}

/* ---- simulated CPUs, interrupts, preemption ---- */
extern unsigned int nr_cpu_ids;
extern __thread unsigned int sll_cpu;		/* bound simulated CPU */
extern __thread unsigned long sll_cpu_off;	/* its per-CPU offset */
extern __thread unsigned long sll_irqs_off;
extern unsigned long sll_pcpu_unit;

#define smp_processor_id() (sll_cpu)
#define raw_smp_processor_id() (sll_cpu)
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)

/*
 * ---- online CPUs, preemption, CPU hotplug ----
 * sll_set_cpu_online() (harness.h) takes a simulated CPU offline and back.
 * Preemption is counted per simulated CPU, so that the harness can stand
 * in for stop_machine() (a CPU leaves the online mask only while no CPU
 * is in a preempt-disabled section) and for synchronize_rcu() (which
 * waits for every such section).  See sll_offline_after_check().
 */
bool sll_cpu_online(unsigned int cpu);
void sll_preempt_enable(void);
extern unsigned int sll_preempt[];	/* per simulated CPU */
#define cpu_online(cpu) sll_cpu_online(cpu)
#define for_each_online_cpu(cpu) \
	for_each_possible_cpu(cpu) if (sll_cpu_online(cpu))
#define preempt_disable() \
	do { __atomic_add_fetch(&sll_preempt[sll_cpu], 1, __ATOMIC_SEQ_CST); \
	     barrier(); } while (0)
#define preempt_enable() sll_preempt_enable()
#define preemptible() \
	(!__atomic_load_n(&sll_preempt[sll_cpu], __ATOMIC_RELAXED) && \
	 !sll_irqs_off)
#define cpus_read_lock() do { } while (0)
#define cpus_read_unlock() do { } while (0)
#define lockdep_assert_cpus_held() do { } while (0)
/* ---- end of online CPUs, preemption, CPU hotplug ---- */

#define local_irq_save(flags) do { (flags) = sll_irqs_off; sll_irqs_off = 1; } while (0)
#define local_irq_restore(flags) do { sll_irqs_off = (flags); } while (0)
#define raw_local_irq_save(flags) local_irq_save(flags)
#define raw_local_irq_restore(flags) local_irq_restore(flags)
#define irqs_disabled() (sll_irqs_off != 0)
#define lockdep_assert_irqs_disabled() BUG_ON(!irqs_disabled())

void on_each_cpu_cond(bool (*cond)(int cpu, void *info),
		      void (*func)(void *info), void *info, bool wait);

/* the calling thread as a task: what the allocator reads of current */
struct reclaim_state {
	unsigned long reclaimed_slab;
};
struct task_struct {
	struct reclaim_state *reclaim_state;
};
extern __thread struct task_struct sll_task;
#define current (&sll_task)

/* ---- per-CPU data ---- */
#define DEFINE_PER_CPU(type, name) __typeof__(type) name[CONFIG_NR_CPUS]
#define per_cpu(var, cpu) ((var)[cpu])
#define per_cpu_ptr(ptr, cpu) \
	((typeof(ptr))((char *)(ptr) + (unsigned long)(cpu) * sll_pcpu_unit))
#define raw_cpu_ptr(ptr) ((typeof(ptr))((char *)(ptr) + sll_cpu_off))
#define this_cpu_ptr(ptr) raw_cpu_ptr(ptr)
#define this_cpu_add(pcp, val) (*raw_cpu_ptr(&(pcp)) += (val))
#define this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define this_cpu_read(pcp) (*raw_cpu_ptr(&(pcp)))
#define __this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define __this_cpu_dec(pcp) this_cpu_add(pcp, -1)
void *sll_alloc_percpu(size_t size, size_t align);
void sll_free_percpu(void *p);
#define alloc_percpu(type) ((type *)sll_alloc_percpu(sizeof(type), __alignof__(type)))
#define free_percpu(p) sll_free_percpu(p)

/* ---- locks ---- */
typedef struct {
	int locked;
} spinlock_t;
static inline void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}
static inline void spin_lock(spinlock_t *l)
{
	unsigned int spins = 0;

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax_n(&spins);
}
static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
#define spin_lock_irqsave(l, flags) do { local_irq_save(flags); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { spin_unlock(l); local_irq_restore(flags); } while (0)
#define lockdep_assert_held(l) BUG_ON(!__atomic_load_n(&(l)->locked, __ATOMIC_RELAXED))

static inline void bit_spin_lock(int nr, unsigned long *addr)
{
	unsigned long mask = 1UL << nr;
	unsigned int spins = 0;

	while (__atomic_fetch_or(addr, mask, __ATOMIC_ACQUIRE) & mask)
		while (__atomic_load_n(addr, __ATOMIC_RELAXED) & mask)
			cpu_relax_n(&spins);
}
static inline void bit_spin_unlock(int nr, unsigned long *addr)
{
	__atomic_fetch_and(addr, ~(1UL << nr), __ATOMIC_RELEASE);
}

struct mutex {
	pthread_mutex_t m;
};
#define DEFINE_MUTEX(name) struct mutex name = { PTHREAD_MUTEX_INITIALIZER }
#define mutex_lock(x) pthread_mutex_lock(&(x)->m)
#define mutex_unlock(x) pthread_mutex_unlock(&(x)->m)

struct kobject {
	int unused;
};

/* ---- pages ---- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define MAX_ORDER 11
#define PAGE_ALLOC_COSTLY_ORDER 3
enum { PG_locked = 0, PG_active = 6, PG_slab = 9 };

struct page {
	unsigned long flags;
	unsigned long words[5];
	unsigned int page_type;
	int _refcount;
	unsigned long memcg_data;
} __aligned(2 * sizeof(unsigned long));

struct folio {
	struct page page;
};

extern char *sll_arena;
extern struct page *sll_pages;
extern uint32_t *sll_page_head;		/* head page number of each page */
extern uint8_t *sll_page_order;		/* order, valid on head pages */
extern uint8_t *sll_page_nid;		/* node, valid on head pages */
extern struct slab **sll_page_slab;	/* slab of each page, or NULL */

static inline unsigned long sll_pfn(const void *addr)
{
	return ((uintptr_t)addr - (uintptr_t)sll_arena) >> PAGE_SHIFT;
}
static inline struct page *virt_to_page(const void *addr)
{
	return &sll_pages[sll_pfn(addr)];
}
static inline void *page_address(const struct page *page)
{
	return sll_arena + ((unsigned long)(page - sll_pages) << PAGE_SHIFT);
}
static inline struct folio *page_folio(struct page *page)
{
	return (struct folio *)&sll_pages[sll_page_head[page - sll_pages]];
}
static inline struct folio *virt_to_folio(const void *addr)
{
	return (struct folio *)&sll_pages[sll_page_head[sll_pfn(addr)]];
}
static inline struct page *folio_page(struct folio *folio, unsigned long n)
{
	return &folio->page + n;
}
static inline void *folio_address(const struct folio *folio)
{
	return page_address(&folio->page);
}
static inline int folio_order(const struct folio *folio)
{
	return sll_page_order[&folio->page - sll_pages];
}
static inline bool folio_test_slab(const struct folio *folio)
{
	return __atomic_load_n(&folio->page.flags, __ATOMIC_RELAXED) &
	       (1UL << PG_slab);
}
/* PG_slab, plus the per-page slab pointer that virt_to_slab() reads */
static inline void sll_folio_slab_map(struct folio *folio, bool on)
{
	unsigned long pfn = &folio->page - sll_pages;
	unsigned long i, nr = 1UL << sll_page_order[pfn];

	for (i = 0; i < nr; i++)
		sll_page_slab[pfn + i] = on ? (struct slab *)folio : NULL;
}
static inline void __folio_set_slab(struct folio *folio)
{
	__atomic_fetch_or(&folio->page.flags, 1UL << PG_slab, __ATOMIC_RELAXED);
	sll_folio_slab_map(folio, true);
}
static inline void __folio_clear_slab(struct folio *folio)
{
	sll_folio_slab_map(folio, false);
	__atomic_fetch_and(&folio->page.flags, ~(1UL << PG_slab), __ATOMIC_RELAXED);
}
static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* gfp flags: only what the allocator and the tests look at */
#define __GFP_DMA		0x01u
#define __GFP_HIGHMEM		0x02u
#define __GFP_RECLAIMABLE	0x10u
#define __GFP_DMA32		0x04u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define __GFP_NOWARN		0x2000u
#define __GFP_NORETRY		0x10000u
#define __GFP_MEMALLOC		0x20000u
#define __GFP_NOMEMALLOC	0x80000u
#define __GFP_COMP		0x40000u
#define __GFP_ZERO		0x100u
#define __GFP_NOFAIL		0x8000u
#define __GFP_THISNODE		0x200000u
#define __GFP_BITS_MASK		0xffffffu
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32
#define GFP_NOWAIT		0u
#define GFP_ATOMIC		(0x20u | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		__GFP_RECLAIM
extern gfp_t gfp_allowed_mask;
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

static inline bool gfp_pfmemalloc_allowed(gfp_t gfp)
{
	return gfp & __GFP_MEMALLOC;
}
gfp_t kmalloc_fix_flags(gfp_t gfp);

/*
 * The page allocator of the harness (harness.c): it can be told to fail
 * from some order on and to hand out pages "from the reserves", and it
 * logs the calls for the tests to check.
 */
struct page *sll_alloc_pages_gfp(gfp_t gfp, unsigned int order);
void sll_free_pages(struct page *page, unsigned int order);
#define alloc_pages(gfp, order) sll_alloc_pages_gfp(gfp, order)
struct page *sll_alloc_pages_node(int node, gfp_t gfp, unsigned int order);
#define alloc_pages_node(node, gfp, order) \
	sll_alloc_pages_node(node, gfp, order)
#define __free_pages(page, order) sll_free_pages(page, order)
/*
 * As in the kernel, a fresh page from the reserves says so in a bit of the
 * word that becomes the slab's list link: the allocator must copy it into
 * the slab's flags (PG_active) before it uses the page.
 */
static inline bool page_is_pfmemalloc(const struct page *page)
{
	return page->words[0] & 2;
}
static inline bool debug_pagealloc_enabled_static(void)
{
	return false;
}
static inline long copy_from_kernel_nofault(void *dst, const void *src,
					    size_t size)
{
	memcpy(dst, src, size);
	return 0;
}

/*
 * ---- nodes: two, both with normal memory ----
 * CONFIG_NUMA stays off (no memory policies, no zonelists): every CPU is
 * on node 0, allocations that name no node get node 0's memory, and node
 * 1 is reached only by node-specific allocations.  A page remembers the
 * node it was asked for in a side array (sll_page_nid[]).
 */
enum node_states { N_NORMAL_MEMORY };
#define nr_node_ids 2u
#define numa_mem_id() 0
#define for_each_node_state(node, state) \
	for ((node) = 0; (node) < (int)nr_node_ids; (node)++) \
		if (node_isset(node, node_states[state]))
typedef struct {
	unsigned long bits;
} nodemask_t;
extern nodemask_t node_states[];
#define node_isset(node, mask) (((mask).bits >> (node)) & 1)
#define node_set(node, mask) ((mask).bits |= 1UL << (node))
#define node_clear(node, mask) ((mask).bits &= ~(1UL << (node)))
#define for_each_node_mask(node, mask) \
	for ((node) = 0; (node) < (int)nr_node_ids; (node)++) \
		if (node_isset(node, mask))

/*
 * ---- time ----
 * jiffies start where the kernel's do, five minutes before they wrap,
 * and move only when a test lets time pass (sll_tick() of harness.h).
 */
#define HZ 100
extern volatile unsigned long jiffies;

/* ---- rate limits: every report counted, none suppressed ---- */
struct ratelimit_state {
	int unused;
};
#define DEFAULT_RATELIMIT_INTERVAL 0
#define DEFAULT_RATELIMIT_BURST 0
#define DEFINE_RATELIMIT_STATE(name, interval, burst) \
	struct ratelimit_state name = { 0 }
bool sll_ratelimit(struct ratelimit_state *rs);
#define __ratelimit(rs) sll_ratelimit(rs)

/* ---- flags of caches ---- */
#define SLAB_HWCACHE_ALIGN	0x00002000u
#define SLAB_CACHE_DMA		0x00004000u
#define SLAB_CACHE_DMA32	0x00008000u
#define SLAB_PANIC		0x00040000u
#define SLAB_TYPESAFE_BY_RCU	0x00080000u
#define SLAB_DEBUG_OBJECTS	0x00400000u
#define SLAB_RECLAIM_ACCOUNT	0x00020000u
#define SLAB_ACCOUNT		0x04000000u
#define SLAB_POISON		0x00000800u
#define SLAB_CONSISTENCY_CHECKS	0x00000100u
#define SLAB_RED_ZONE		0x00000400u
#define SLAB_STORE_USER		0x00010000u
#define SLAB_TRACE		0x00200000u

/* ---- hooks that do nothing here ---- */
struct list_lru;
struct obj_cgroup;
struct seq_file;
struct file;
static inline void kmemleak_free_recursive(const void *p, slab_flags_t f) { }
static inline void debug_check_no_locks_freed(const void *p, unsigned long n) { }
static inline void debug_check_no_obj_freed(const void *p, unsigned long n) { }
static inline void trace_kmem_cache_alloc(unsigned long ip, const void *p,
		struct kmem_cache *s, gfp_t gfp, int node) { }
static inline void trace_kmem_cache_free(unsigned long ip, const void *p,
		const struct kmem_cache *s) { }

/*
 * ---- workqueues ----
 * queue_work_on() runs the work at once on the calling thread, bound to
 * the target CPU for the time of the call (as the CPU-bound worker would
 * run it); flush_work() then has nothing to wait for.  Like the IPIs of
 * on_each_cpu_cond(), this is for work done while no other thread is
 * inside the allocator on that CPU.
 */
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
};
struct workqueue_struct {
	int unused;
};
#define WQ_MEM_RECLAIM 0x8u
#define INIT_WORK(w, f) ((w)->func = (f))
struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...);
bool queue_work_on(int cpu, struct workqueue_struct *wq,
		   struct work_struct *work);
static inline bool flush_work(struct work_struct *work)
{
	return true;
}
#define early_initcall(fn) \
	static int (*const __sll_initcall_##fn)(void) __maybe_unused = fn
/* ---- end of workqueues ---- */

/* ---- boot and hotplug ---- */
/* each handler in a table the harness looks names up in (harness.h) */
struct sll_early_param {
	const char *name;
	int (*fn)(char *str);
};
#define early_param(str, fn) \
	static const struct sll_early_param __sll_param_##fn \
	__attribute__((__used__, __section__("sll_early_params"), \
		       __aligned__(sizeof(void *)))) = { str, fn }
enum cpuhp_state { CPUHP_SLUB_DEAD };
int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
			      int (*startup)(unsigned int cpu),
			      int (*teardown)(unsigned int cpu));
int kstrtobool(const char *s, bool *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
void __noreturn usercopy_abort(const char *name, const char *detail,
			       bool to_user, unsigned long offset,
			       unsigned long len);

/*
 * ---- KASAN, KFENCE, memory cgroups ----
 * The harness is built with CONFIG_KASAN_GENERIC so that the quarantine
 * entry point ___cache_free() exists.  In MODE=hardened the hooks count
 * their calls and KASAN's free hook can keep objects in a quarantine of
 * the harness's own (harness.h); otherwise they do nothing, so that the
 * fastpath's code is that of a kernel without these options.
 */
#define CONFIG_KASAN_GENERIC 1
struct kasan_cache {
	int unused;
};
struct reciprocal_value {
	u32 divisor;
};
static inline struct reciprocal_value reciprocal_value(u32 d)
{
	return (struct reciprocal_value){ d };
}
static inline u32 reciprocal_divide(u32 a, struct reciprocal_value r)
{
	return a / r.divisor;
}
static inline void *kasan_reset_tag(const void *p) { return (void *)p; }
static inline void kasan_cache_create(struct kmem_cache *s, unsigned int *size,
				      slab_flags_t *flags) { }
static inline void kasan_poison_slab(struct slab *slab) { }
static inline void *kasan_init_slab_obj(struct kmem_cache *s, const void *o)
{
	return (void *)o;
}
static inline void kasan_unpoison_object_data(struct kmem_cache *s, void *o) { }
static inline void kasan_poison_object_data(struct kmem_cache *s, void *o) { }
static inline void *kasan_slab_alloc(struct kmem_cache *s, void *o, gfp_t gfp,
				     bool init)
{
	return o;
}
void ___cache_free(struct kmem_cache *cache, void *x, unsigned long addr);
/*
 * KFENCE: a stand-in (harness.c), whose pool is two pages of the arena,
 * sll_kfence_pool (empty until a test takes an object from it).
 * kfence_alloc() hands out from it only in the builds that count hooks,
 * and only when a test asked for it, so that the alloc fastpath of the
 * other builds is that of a kernel without KFENCE.
 */
extern char *sll_kfence_pool;
extern unsigned long sll_kfence_size;
extern bool sll_kfence_armed;
static inline bool is_kfence_address(const void *p)
{
	return (unsigned long)((const char *)p - sll_kfence_pool) <
	       sll_kfence_size;
}
void *kfence_object_start(const void *p);
void sll_kfence_free(void *p);
static inline bool kfence_free(void *p)
{
	if (!is_kfence_address(p))
		return false;
	sll_kfence_free(p);
	return true;
}
#ifdef SLL_HOOKS
void *sll_kfence_alloc(struct kmem_cache *s, size_t size, gfp_t gfp);
static inline void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t gfp)
{
	if (unlikely(__atomic_load_n(&sll_kfence_armed, __ATOMIC_RELAXED)))
		return sll_kfence_alloc(s, size, gfp);
	return NULL;
}
#else
static inline void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t gfp)
{
	return NULL;
}
#endif
#ifdef SLL_HOOKS
bool sll_kasan_slab_free(struct kmem_cache *s, void *x);
void sll_memcg_free(int objects);
static inline bool kasan_slab_free(struct kmem_cache *s, void *x, bool init)
{
	return sll_kasan_slab_free(s, x);
}
static inline void memcg_slab_free_hook(struct kmem_cache *s,
					struct slab *slab, void **p,
					int objects)
{
	sll_memcg_free(objects);
}
#else
static inline bool kasan_slab_free(struct kmem_cache *s, void *x, bool init)
{
	return false;
}
static inline void memcg_slab_free_hook(struct kmem_cache *s,
					struct slab *slab, void **p,
					int objects) { }
#endif

/*
 * ---- static keys ----
 * A flag tested at run time, where the kernel patches a jump: as cheap
 * as the bool that stands for init_on_alloc and init_on_free here.
 */
struct sll_static_key {
	bool enabled;
};
#define DEFINE_STATIC_KEY_MAYBE_RO(cfg, name) \
	struct sll_static_key name = { IS_ENABLED(cfg) }
#define static_branch_maybe(cfg, key) \
	(IS_ENABLED(cfg) ? likely((key)->enabled) : unlikely((key)->enabled))
#define static_branch_enable(key) ((key)->enabled = true)
#define static_branch_disable(key) ((key)->enabled = false)

/* ---- randomness ---- */
unsigned long get_random_long(void);
u32 get_random_u32_below(u32 ceil);
/* <unistd.h> declares a swab() of its own: let it do so first */
#include <unistd.h>
#define swab(x) __builtin_bswap64(x)
void dump_stack(void);
#ifdef CONFIG_SLAB_FREELIST_RANDOM
int cache_random_seq_create(struct kmem_cache *s, unsigned int count,
			    gfp_t gfp);
void cache_random_seq_destroy(struct kmem_cache *s);
#endif

/* ---- the allocator's own definitions ---- */
#include <linux/slub_ll_def.h>

/* struct slab of mm/slab.h, over struct page */
struct slab {
	unsigned long __page_flags;
	SLUB_LL_SLAB_FIELDS;
	int __page_refcount;
	unsigned long memcg_data;
};
_Static_assert(sizeof(struct slab) <= sizeof(struct page), "slab > page");
_Static_assert(offsetof(struct slab, freelist) % (2 * sizeof(long)) == 0,
	       "slab pair not double-word aligned");
_Static_assert(offsetof(struct kmem_cache_cpu, freelist) == 0 &&
	       offsetof(struct kmem_cache_cpu, tid) == sizeof(void *),
	       "CPU pair not adjacent");

#include "sll_slab.h"
#include "sll_cmpxchg.h"
#include <linux/slub_ll_slab.h>

#endif /* SLL_KERNEL_H */
