// SPDX-License-Identifier: GPL-2.0
/*
 * User-space harness: mm/slub_ll.c compiled unchanged, the few pieces of
 * the kernel it relies on (page arena, per-CPU units, the part of
 * mm/slab_common.c that creates and destroys caches), and the API of
 * harness.h on top.
 */
#include "../../../mm/slub_ll.c"

#include <cpuid.h>
#include <setjmp.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "runtime.h"

#define ARENA_PAGES	(1UL << 20)		/* 4 GiB of address space */
#define PCPU_UNIT	(4UL << 20)		/* per-CPU bytes per CPU */

/* ---- globals the allocator expects ---- */
unsigned int nr_cpu_ids = 1;
__thread unsigned int sll_cpu;
__thread unsigned long sll_cpu_off;
__thread unsigned long sll_irqs_off;
unsigned long sll_pcpu_unit = PCPU_UNIT;
gfp_t gfp_allowed_mask = ~0u;
bool init_on_alloc, init_on_free;
enum slab_state slab_state;
DEFINE_MUTEX(slab_mutex);
LIST_HEAD(slab_caches);
struct kmem_cache *kmem_cache;

char *sll_arena;
struct page *sll_pages;
uint32_t *sll_page_head;
uint8_t *sll_page_order;
uint8_t *sll_page_nid;
struct slab **sll_page_slab;

static unsigned long warnings;
static char *pcpu_base;
static unsigned long pcpu_used;
static pthread_mutex_t pcpu_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t page_lock = PTHREAD_MUTEX_INITIALIZER;
unsigned long sll_arena_top;			/* pages ever handed out */
static unsigned long pages_in_use;
static struct page *free_pages[MAX_ORDER];	/* per order, via words[0] */
static bool initialised;
static int (*cpu_dead_cb)(unsigned int cpu);

void sll_warnings_inc(void)
{
	__atomic_fetch_add(&warnings, 1, __ATOMIC_RELAXED);
}

unsigned long sll_warnings(void)
{
	return __atomic_load_n(&warnings, __ATOMIC_RELAXED);
}

__thread struct task_struct sll_task;
nodemask_t node_states[] = { [N_NORMAL_MEMORY] = { 3 } };

/* ---- page arena: per-order free lists over a bump pointer ---- */

static int fail_from_order = -1;	/* orders >= this fail; -1: none */
static bool hand_out_reserves;		/* mark new pages pfmemalloc */
static struct sll_page_call page_calls[SLL_PAGE_CALLS];
static unsigned int nr_page_calls;
static unsigned long oom_reports;

void sll_pages_fail_from(int order)
{
	pthread_mutex_lock(&page_lock);
	fail_from_order = order;
	pthread_mutex_unlock(&page_lock);
}

void sll_pages_reserve(bool on)
{
	pthread_mutex_lock(&page_lock);
	hand_out_reserves = on;
	pthread_mutex_unlock(&page_lock);
}

unsigned int sll_page_calls(struct sll_page_call *out, unsigned int max)
{
	unsigned int n;

	pthread_mutex_lock(&page_lock);
	n = min(nr_page_calls, (unsigned int)SLL_PAGE_CALLS);
	memcpy(out, page_calls, min(n, max) * sizeof(*out));
	pthread_mutex_unlock(&page_lock);
	return n;
}

void sll_page_calls_reset(void)
{
	pthread_mutex_lock(&page_lock);
	nr_page_calls = 0;
	pthread_mutex_unlock(&page_lock);
}

bool sll_ratelimit(struct ratelimit_state *rs)
{
	__atomic_fetch_add(&oom_reports, 1, __ATOMIC_RELAXED);
	return true;
}

unsigned long sll_oom_reports(void)
{
	return __atomic_load_n(&oom_reports, __ATOMIC_RELAXED);
}

static unsigned long gfp_fixes;

gfp_t kmalloc_fix_flags(gfp_t gfp)
{
	__atomic_fetch_add(&gfp_fixes, 1, __ATOMIC_RELAXED);
	return gfp & ~GFP_SLAB_BUG_MASK;
}

unsigned long sll_gfp_fixes(void)
{
	return __atomic_load_n(&gfp_fixes, __ATOMIC_RELAXED);
}

static void log_page_call(gfp_t gfp, unsigned int order, bool ok)
{
	struct sll_page_call *call;

	if (nr_page_calls < SLL_PAGE_CALLS) {
		call = &page_calls[nr_page_calls];
		call->order = order;
		call->nofail = gfp & __GFP_NOFAIL;
		call->noretry = gfp & __GFP_NORETRY;
		call->nowarn = gfp & __GFP_NOWARN;
		call->reserves_ok = !(gfp & __GFP_NOMEMALLOC);
		call->irqs_off = irqs_disabled();
		call->ok = ok;
		call->direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
		call->kswapd = gfp & __GFP_KSWAPD_RECLAIM;
	}
	nr_page_calls++;
}

struct page *sll_alloc_pages_gfp(gfp_t gfp, unsigned int order)
{
	unsigned long nr = 1UL << order, pfn, i;
	struct page *page;

	BUG_ON(gfp & GFP_SLAB_BUG_MASK);
	pthread_mutex_lock(&page_lock);
	if (fail_from_order >= 0 && order >= (unsigned int)fail_from_order) {
		log_page_call(gfp, order, false);
		pthread_mutex_unlock(&page_lock);
		return NULL;
	}
	page = free_pages[order];
	if (page) {
		free_pages[order] = (struct page *)page->words[0];
		page->words[0] = 0;
		pfn = page - sll_pages;
	} else {
		pfn = ALIGN(sll_arena_top, nr);
		if (pfn + nr > ARENA_PAGES) {
			pthread_mutex_unlock(&page_lock);
			return NULL;
		}
		sll_arena_top = pfn + nr;
		page = &sll_pages[pfn];
	}
	for (i = 0; i < nr; i++)
		sll_page_head[pfn + i] = pfn;
	sll_page_order[pfn] = order;
	sll_page_nid[pfn] = 0;
	if (hand_out_reserves)
		page->words[0] = 2;	/* see page_is_pfmemalloc() */
	pages_in_use += nr;
	log_page_call(gfp, order, true);
	pthread_mutex_unlock(&page_lock);
	return page;
}

/* Pages of @node (NUMA_NO_NODE: the local node, 0). */
struct page *sll_alloc_pages_node(int node, gfp_t gfp, unsigned int order)
{
	struct page *page = sll_alloc_pages_gfp(gfp, order);

	BUG_ON(node >= (int)nr_node_ids);
	if (page && node > 0)
		sll_page_nid[page - sll_pages] = node;
	return page;
}

void sll_free_pages(struct page *page, unsigned int order)
{
	BUG_ON(sll_page_order[page - sll_pages] != order);
	BUG_ON(page->flags & ((1UL << PG_slab) | (1UL << PG_locked) |
			      (1UL << PG_active)));
	pthread_mutex_lock(&page_lock);
	page->words[0] = (unsigned long)free_pages[order];
	free_pages[order] = page;
	pages_in_use -= 1UL << order;
	pthread_mutex_unlock(&page_lock);
}

/* ---- per-CPU units: a bump allocator, CPU n's copy n units further ---- */

void *sll_alloc_percpu(size_t size, size_t align)
{
	void *p = NULL;
	unsigned long off;

	pthread_mutex_lock(&pcpu_lock);
	off = ALIGN(pcpu_used, (unsigned long)max_t(size_t, align, 64));
	if (off + size <= PCPU_UNIT) {
		pcpu_used = off + size;
		p = pcpu_base + off;
	}
	pthread_mutex_unlock(&pcpu_lock);
	return p;	/* fresh mmap memory: zero in every unit */
}

void sll_free_percpu(void *p)
{
	/* units are never reused: a freed area stays zero-free but unused */
}

void on_each_cpu_cond(bool (*cond)(int cpu, void *info),
		      void (*func)(void *info), void *info, bool wait)
{
	unsigned int saved = sll_cpu, cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!cond(cpu, info))
			continue;
		sll_cpu = cpu;
		sll_cpu_off = cpu * PCPU_UNIT;
		func(info);
	}
	sll_cpu = saved;
	sll_cpu_off = saved * PCPU_UNIT;
}

/*
 * ---- online CPUs, preemption, CPU hotplug, workqueues ----
 */
static unsigned long cpu_offline_mask;		/* bit n: CPU n is offline */
unsigned int sll_preempt[SLL_MAX_CPUS];
static __thread int offline_armed = -1;		/* sll_offline_after_check() */
static __thread int offline_pending = -1;
static __thread void (*online_check_fn)(void *arg);
static __thread void *online_check_arg;

/* Stands in for stop_machine() taking @cpu down, then CPUHP_SLUB_DEAD. */
static void run_offline(unsigned int cpu)
{
	offline_pending = -1;
	sll_set_cpu_online(cpu, false);
	sll_cpu_dead(cpu);
}

bool sll_cpu_online(unsigned int cpu)
{
	bool online = sll_cpu_online_now(cpu);

	void (*fn)(void *arg) = online_check_fn;

	if (fn) {
		online_check_fn = NULL;
		fn(online_check_arg);
	}
	if (offline_armed >= 0 && (unsigned int)offline_armed == cpu) {
		offline_armed = -1;
		offline_pending = cpu;
		if (preemptible())
			run_offline(cpu);
	}
	return online;
}

void sll_preempt_enable(void)
{
	unsigned int left;

	barrier();
	left = __atomic_sub_fetch(&sll_preempt[sll_cpu], 1, __ATOMIC_SEQ_CST);
	BUG_ON(left + 1 == 0);
	if (!left && offline_pending >= 0 && !sll_irqs_off)
		run_offline(offline_pending);
}

void sll_set_cpu_online(unsigned int cpu, bool online)
{
	if (cpu >= nr_cpu_ids)
		return;
	if (online)
		__atomic_fetch_and(&cpu_offline_mask, ~(1UL << cpu),
				   __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_or(&cpu_offline_mask, 1UL << cpu,
				  __ATOMIC_SEQ_CST);
}

void sll_offline_after_check(int cpu)
{
	offline_armed = cpu;
}

bool sll_cpu_online_now(unsigned int cpu)
{
	return cpu < nr_cpu_ids &&
	       !(__atomic_load_n(&cpu_offline_mask, __ATOMIC_SEQ_CST) >> cpu & 1);
}

int sll_offline_pending(void)
{
	return offline_pending;
}

static int rcu_waits_for = -1;

void sll_at_online_check(void (*fn)(void *arg), void *arg)
{
	online_check_fn = fn;
	online_check_arg = arg;
}

int sll_rcu_waits_for(void)
{
	return __atomic_load_n(&rcu_waits_for, __ATOMIC_SEQ_CST);
}

/* A grace period: every preempt-disabled section of another CPU ends. */
void synchronize_rcu(void)
{
	unsigned int cpu, spins = 0;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (cpu == sll_cpu ||
		    !__atomic_load_n(&sll_preempt[cpu], __ATOMIC_SEQ_CST))
			continue;
		__atomic_store_n(&rcu_waits_for, cpu, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&sll_preempt[cpu], __ATOMIC_SEQ_CST))
			cpu_relax_n(&spins);
		__atomic_store_n(&rcu_waits_for, -1, __ATOMIC_SEQ_CST);
	}
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	static struct workqueue_struct wq;

	return &wq;
}

bool queue_work_on(int cpu, struct workqueue_struct *wq,
		   struct work_struct *work)
{
	unsigned int saved = sll_cpu;

	BUG_ON(!sll_cpu_online(cpu));
	sll_cpu = cpu;
	sll_cpu_off = cpu * PCPU_UNIT;
	work->func(work);
	sll_cpu = saved;
	sll_cpu_off = saved * PCPU_UNIT;
	return true;
}
/* ---- end of online CPUs, preemption, CPU hotplug, workqueues ---- */

int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
			      int (*startup)(unsigned int cpu),
			      int (*teardown)(unsigned int cpu))
{
	cpu_dead_cb = teardown;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	if (!strcmp(s, "1") || !strcmp(s, "y") || !strcmp(s, "on"))
		*res = true;
	else if (!strcmp(s, "0") || !strcmp(s, "n") || !strcmp(s, "off"))
		*res = false;
	else
		return -EINVAL;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	char *end;
	unsigned long v = strtoul(s, &end, base);

	if (!*s || *end || v > UINT_MAX)
		return -EINVAL;
	*res = v;
	return 0;
}

jmp_buf *sll_usercopy_trap;

void usercopy_abort(const char *name, const char *detail, bool to_user,
		    unsigned long offset, unsigned long len)
{
	if (sll_usercopy_trap)
		longjmp(*sll_usercopy_trap, 1);
	fprintf(stderr, "usercopy: %s %s offset %lu len %lu\n", name, detail,
		offset, len);
	abort();
}

void free_large_kmalloc(struct folio *folio, void *object)
{
	fprintf(stderr, "%s: no kmalloc in the harness\n", __func__);
	abort();
}

/* ---- the part of mm/slab_common.c the allocator calls back ---- */

unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, 8u);
	return ALIGN(align, (unsigned int)sizeof(void *));
}

void create_boot_cache(struct kmem_cache *s, const char *name,
		       unsigned int size, slab_flags_t flags,
		       unsigned int useroffset, unsigned int usersize)
{
	s->name = name;
	s->size = s->object_size = size;
	s->align = calculate_alignment(flags, 8, size);
	s->useroffset = useroffset;
	s->usersize = usersize;
	if (__kmem_cache_create(s, flags)) {
		fprintf(stderr, "cannot create boot cache %s\n", name);
		abort();
	}
	s->refcount = -1;
}

void setup_kmalloc_cache_index_table(void)
{
}

void create_kmalloc_caches(slab_flags_t flags)
{
	slab_state = UP;
}

/* Caches created with SLL_MERGE: the only ones others may merge into. */
#define MERGEABLE_MAX 64
static struct kmem_cache *mergeable[MERGEABLE_MAX];

static bool is_mergeable(struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < MERGEABLE_MAX; i++)
		if (mergeable[i] == s)
			return true;
	return false;
}

void set_mergeable(struct kmem_cache *s, bool on)
{
	unsigned int i;

	for (i = 0; i < MERGEABLE_MAX; i++) {
		if (on && !mergeable[i]) {
			mergeable[i] = s;
			return;
		}
		if (!on && mergeable[i] == s)
			mergeable[i] = NULL;
	}
}

/*
 * A cache the new one can be merged into, by the rules of the common
 * code reduced to what the harness creates: no constructor, no RCU, the
 * same flags, room for the object, the alignment kept, little waste.
 */
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
		slab_flags_t flags, const char *name, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (ctor || (flags & SLAB_TYPESAFE_BY_RCU))
		return NULL;
	size = ALIGN(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	flags = kmem_cache_flags(size, flags, name);
	list_for_each_entry(s, &slab_caches, list) {
		if (s->refcount < 1 || s->ctor || !is_mergeable(s) ||
		    s->flags != flags)
			continue;
		if (size > s->size || s->size - size >= sizeof(void *))
			continue;
		if (s->size & (align - 1))
			continue;
		return s;
	}
	return NULL;
}

/* ---- randomness: a generator per thread, the same sequence each run ---- */

static __thread u64 rnd_state;
static u64 rnd_seed = 0x9e3779b97f4a7c15ull;

static u64 rnd_next(void)
{
	if (!rnd_state)
		rnd_state = __atomic_add_fetch(&rnd_seed, 0x9e3779b97f4a7c15ull,
					       __ATOMIC_RELAXED) | 1;
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

unsigned long get_random_long(void)
{
	return rnd_next();
}

u32 get_random_u32_below(u32 ceil)
{
	return rnd_next() % ceil;
}

#ifdef CONFIG_SLAB_FREELIST_RANDOM
/* The common code's job: indices 0..count-1, shuffled (Fisher-Yates). */
int cache_random_seq_create(struct kmem_cache *s, unsigned int count,
			    gfp_t gfp)
{
	unsigned int i, j, t;

	if (count < 2 || s->random_seq)
		return 0;
	s->random_seq = calloc(count, sizeof(*s->random_seq));
	if (!s->random_seq)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		s->random_seq[i] = i;
	for (i = count - 1; i > 0; i--) {
		j = get_random_u32_below(i + 1);
		t = s->random_seq[i];
		s->random_seq[i] = s->random_seq[j];
		s->random_seq[j] = t;
	}
	return 0;
}

void cache_random_seq_destroy(struct kmem_cache *s)
{
	free(s->random_seq);
	s->random_seq = NULL;
}
#endif

static unsigned long stack_dumps;

void dump_stack(void)
{
	__atomic_fetch_add(&stack_dumps, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "# (stack dump)\n");
}

unsigned long sll_stack_dumps(void)
{
	return __atomic_load_n(&stack_dumps, __ATOMIC_RELAXED);
}

/* ---- hooks of the common code, counted (MODE=hardened) ---- */

static unsigned long memcg_freed, kasan_freed;

#ifdef SLL_HOOKS
#define QUARANTINE_MAX 4096
static struct {
	struct kmem_cache *s;
	void *x;
} quarantine[QUARANTINE_MAX];
static unsigned int quarantined;
static bool quarantine_on;
static pthread_mutex_t quarantine_lock = PTHREAD_MUTEX_INITIALIZER;

bool sll_kasan_slab_free(struct kmem_cache *s, void *x)
{
	bool kept = false;

	__atomic_fetch_add(&kasan_freed, 1, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&quarantine_on, __ATOMIC_RELAXED))
		return false;
	pthread_mutex_lock(&quarantine_lock);
	if (quarantined < QUARANTINE_MAX) {
		quarantine[quarantined].s = s;
		quarantine[quarantined].x = x;
		quarantined++;
		kept = true;
	}
	pthread_mutex_unlock(&quarantine_lock);
	return kept;
}

void sll_memcg_free(int objects)
{
	__atomic_fetch_add(&memcg_freed, objects, __ATOMIC_RELAXED);
}
#endif

bool sll_hooks_counted(void)
{
#ifdef SLL_HOOKS
	return true;
#else
	return false;
#endif
}

void sll_hook_counts(unsigned long *memcg, unsigned long *kasan)
{
	*memcg = __atomic_load_n(&memcg_freed, __ATOMIC_RELAXED);
	*kasan = __atomic_load_n(&kasan_freed, __ATOMIC_RELAXED);
}

void sll_quarantine(bool on)
{
#ifdef SLL_HOOKS
	__atomic_store_n(&quarantine_on, on, __ATOMIC_RELAXED);
#endif
}

unsigned long sll_quarantine_release(void)
{
	unsigned long n = 0;
#ifdef SLL_HOOKS
	pthread_mutex_lock(&quarantine_lock);
	for (n = 0; n < quarantined; n++)
		___cache_free(quarantine[n].s, quarantine[n].x, 0);
	quarantined = 0;
	pthread_mutex_unlock(&quarantine_lock);
#endif
	return n;
}

bool sll_hardened(void)
{
	return IS_ENABLED(CONFIG_SLAB_FREELIST_HARDENED);
}

bool sll_random_order(void)
{
	return IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM);
}

unsigned long sll_stored_freepointer(struct kmem_cache *s, void *object)
{
	return *(unsigned long *)(object + s->offset);
}

void sll_store_freepointer(struct kmem_cache *s, void *object,
			   unsigned long word)
{
	*(unsigned long *)(object + s->offset) = word;
}

unsigned int sll_obj_to_index(struct kmem_cache *s, const void *object)
{
	return obj_to_index(s, virt_to_slab(object), (void *)object);
}

void *sll_nearest_obj(struct kmem_cache *s, const void *p)
{
	return nearest_obj(s, virt_to_slab(p), (void *)p);
}

/* ---- harness.h ---- */

static void bind_cpu(unsigned int cpu)
{
	sll_cpu = cpu;
	sll_cpu_off = cpu * PCPU_UNIT;
}

static void *map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int sll_kernel_init(unsigned int nr_cpus)
{
	unsigned int a, b, c, d;

	if (initialised) {
		fprintf(stderr, "sll_init: called twice\n");
		return -1;
	}
	if (nr_cpus < 1 || nr_cpus > SLL_MAX_CPUS) {
		fprintf(stderr, "sll_init: %u CPUs; valid: 1..%d\n", nr_cpus,
			SLL_MAX_CPUS);
		return -1;
	}
	/* the arena is aligned to the largest slab so orders stay aligned */
	sll_arena = map(ARENA_PAGES * PAGE_SIZE);
	sll_pages = map(ARENA_PAGES * sizeof(struct page));
	sll_page_head = map(ARENA_PAGES * sizeof(uint32_t));
	sll_page_order = map(ARENA_PAGES);
	sll_page_nid = map(ARENA_PAGES);
	sll_page_slab = map(ARENA_PAGES * sizeof(struct slab *));
	pcpu_base = map(SLL_MAX_CPUS * PCPU_UNIT);
	if (!sll_arena || !sll_pages || !sll_page_head || !sll_page_order ||
	    !sll_page_nid || !sll_page_slab ||
	    !pcpu_base) {
		fprintf(stderr, "sll_init: cannot map the arena\n");
		return -1;
	}
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_CMPXCHG16B)) {
		fprintf(stderr, "sll_init: this CPU lacks cmpxchg16b\n");
		return -1;
	}
	nr_cpu_ids = nr_cpus;
	initialised = true;
	bind_cpu(0);
	return 0;
}

int sll_init(unsigned int nr_cpus)
{
	if (sll_kernel_init(nr_cpus))
		return -1;
	kmem_cache_init();
	kmem_cache_init_late();
	slub_ll_flush_init();	/* early_initcall */
	return 0;
}

unsigned int sll_nr_cpus(void)
{
	return nr_cpu_ids;
}

int sll_bind_cpu(unsigned int cpu)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (cpu >= nr_cpu_ids) {
		fprintf(stderr, "%s: CPU %u; valid: 0..%u\n", __func__, cpu,
			nr_cpu_ids - 1);
		return -1;
	}
	bind_cpu(cpu);
	if (host > 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu % host, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	return 0;
}

int sll_current_cpu(void)
{
	return initialised ? (int)sll_cpu : -1;
}

void sll_set_pagelock(bool pagelock)
{
	slub_ll_pagelock = pagelock;
}

bool sll_system_has_cmpxchg_dw(void)
{
	return system_has_cmpxchg_dw();
}

bool sll_cache_pagelock(struct kmem_cache *s)
{
	return s->pagelock;
}

/* SLUB's debugging flags asked for through sll_cache_create(). */
static slab_flags_t debug_kflags(unsigned int flags)
{
	return (flags & SLL_CONSISTENCY_CHECKS ? SLAB_CONSISTENCY_CHECKS : 0) |
	       (flags & SLL_RED_ZONE ? SLAB_RED_ZONE : 0) |
	       (flags & SLL_POISON ? SLAB_POISON : 0) |
	       (flags & SLL_STORE_USER ? SLAB_STORE_USER : 0) |
	       (flags & SLL_TRACE ? SLAB_TRACE : 0);
}

struct kmem_cache *sll_cache_create(const char *name, unsigned int size,
				    unsigned int align, unsigned int flags,
				    void (*ctor)(void *object))
{
	slab_flags_t kflags = 0;
	struct kmem_cache *s;

	if (!size || size > (PAGE_SIZE << (MAX_ORDER - 1))) {
		fprintf(stderr, "%s %s: size %u; valid: 1..%lu\n", __func__,
			name, size, PAGE_SIZE << (MAX_ORDER - 1));
		return NULL;
	}
	if (align & (align - 1)) {
		fprintf(stderr, "%s %s: align %u is not a power of two\n", __func__,
			name, align);
		return NULL;
	}
	if (flags & ~(SLL_HWCACHE_ALIGN | SLL_TYPESAFE_BY_RCU | SLL_MERGE |
		      SLL_CACHE_DEBUG_FLAGS)) {
		fprintf(stderr, "%s %s: unknown flags %#x\n", __func__,
			name, flags);
		return NULL;
	}
	if (flags & SLL_HWCACHE_ALIGN)
		kflags |= SLAB_HWCACHE_ALIGN;
	if (flags & SLL_TYPESAFE_BY_RCU)
		kflags |= SLAB_TYPESAFE_BY_RCU;
	kflags |= debug_kflags(flags);

	mutex_lock(&slab_mutex);
	if (flags & SLL_MERGE) {
		s = __kmem_cache_alias(name, size, align, kflags, ctor);
		if (s)
			goto out;
	}
	s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
	if (!s)
		goto out;
	s->name = strdup(name);
	s->size = s->object_size = size;
	s->align = calculate_alignment(kflags, align, size);
	s->ctor = ctor;
	s->useroffset = 0;
	s->usersize = size;
	if (!s->name || __kmem_cache_create(s, kflags)) {
		free((void *)s->name);
		kmem_cache_free(kmem_cache, s);
		s = NULL;
		goto out;
	}
	s->refcount = 1;
	if (flags & SLL_MERGE)
		set_mergeable(s, true);
	list_add(&s->list, &slab_caches);
out:
	mutex_unlock(&slab_mutex);
	return s;
}

long sll_cache_destroy(struct kmem_cache *s)
{
	long leaked;

	mutex_lock(&slab_mutex);
	if (--s->refcount > 0) {
		/* an alias went away: the merged cache stays */
		mutex_unlock(&slab_mutex);
		return 0;
	}
	if (__kmem_cache_shutdown(s)) {
		s->refcount++;
		/* kept, as the kernel keeps a cache that still has objects */
		leaked = objects_in_use(s);
		mutex_unlock(&slab_mutex);
		return leaked;
	}
	list_del(&s->list);
	set_mergeable(s, false);
	__kmem_cache_release(s);
	free((void *)s->name);
	kmem_cache_free(kmem_cache, s);
	mutex_unlock(&slab_mutex);
	return 0;
}

unsigned long sll_cache_shrink(struct kmem_cache *s)
{
	unsigned long before = sll_pages_in_use();

	__kmem_cache_shrink(s);
	return before - sll_pages_in_use();
}

unsigned int sll_cache_size(struct kmem_cache *s)
{
	return s->size;
}

unsigned int sll_cache_objects(struct kmem_cache *s)
{
	return s->objects;
}

unsigned int sll_cache_order(struct kmem_cache *s)
{
	return s->order;
}

void *sll_alloc(struct kmem_cache *s)
{
	return kmem_cache_alloc(s, GFP_KERNEL);
}

void *sll_zalloc(struct kmem_cache *s)
{
	return kmem_cache_alloc(s, GFP_KERNEL | __GFP_ZERO);
}

void *sll_alloc_node(struct kmem_cache *s, int node)
{
	return kmem_cache_alloc_node(s, GFP_KERNEL, node);
}

void *sll_alloc_gfp(struct kmem_cache *s, unsigned int how)
{
	gfp_t gfp = how & SLL_GFP_ATOMIC ? GFP_ATOMIC : GFP_KERNEL;

	if (how & SLL_GFP_NOFAIL)
		gfp |= __GFP_NOFAIL;
	if (how & SLL_GFP_NOWARN)
		gfp |= __GFP_NOWARN;
	if (how & SLL_GFP_MEMALLOC)
		gfp |= __GFP_MEMALLOC;
	if (how & SLL_GFP_HIGHMEM)
		gfp |= __GFP_HIGHMEM;
	return kmem_cache_alloc(s, gfp);
}

unsigned int sll_cache_min_objects(struct kmem_cache *s)
{
	return order_objects(s->min_order, s->size);
}

bool sll_obj_pfmemalloc(const void *object)
{
	return slab_test_pfmemalloc(virt_to_slab(object));
}

static __thread struct reclaim_state reclaim;

void sll_reclaim_begin(void)
{
	reclaim.reclaimed_slab = 0;
	current->reclaim_state = &reclaim;
}

unsigned long sll_reclaim_end(void)
{
	current->reclaim_state = NULL;
	return reclaim.reclaimed_slab;
}

void sll_free(struct kmem_cache *s, void *object)
{
	kmem_cache_free(s, object);
}

int sll_alloc_bulk(struct kmem_cache *s, size_t n, void **objects)
{
	return kmem_cache_alloc_bulk(s, GFP_KERNEL, n, objects);
}

void sll_free_bulk(struct kmem_cache *s, size_t n, void **objects)
{
	kmem_cache_free_bulk(s, n, objects);
}

void sll_cpu_dead(unsigned int cpu)
{
	if (cpu < nr_cpu_ids && cpu_dead_cb)
		cpu_dead_cb(cpu);
}

#define stat_names slub_ll_stat_names
_Static_assert(ARRAY_SIZE(slub_ll_stat_names) == NR_SLUB_LL_STAT_ITEMS,
	       "a statistic without a name");

unsigned int sll_nr_stats(void)
{
	return NR_SLUB_LL_STAT_ITEMS;
}

const char *sll_stat_name(unsigned int item)
{
	return item < NR_SLUB_LL_STAT_ITEMS ? stat_names[item] : NULL;
}

int sll_stat_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_SLUB_LL_STAT_ITEMS; i++)
		if (!strcmp(name, stat_names[i]))
			return i;
	return -1;
}

unsigned long sll_stat(struct kmem_cache *s, unsigned int item)
{
	return item < NR_SLUB_LL_STAT_ITEMS ? slub_ll_stat_sum(s, item) : 0;
}

void sll_stats(struct kmem_cache *s, unsigned long *out)
{
	unsigned int i;

	for (i = 0; i < NR_SLUB_LL_STAT_ITEMS; i++)
		out[i] = slub_ll_stat_sum(s, i);
}

unsigned long sll_cache_slabs(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	unsigned long nr = 0;
	int node;

	for_each_kmem_cache_node(s, node, n)
		nr += atomic_long_read(&n->nr_slabs);
	return nr;
}

unsigned long sll_pages_in_use(void)
{
	unsigned long nr;

	pthread_mutex_lock(&page_lock);
	nr = pages_in_use;
	pthread_mutex_unlock(&page_lock);
	return nr;
}

unsigned long sll_arena_offset(const void *p)
{
	return (const char *)p - sll_arena;
}

unsigned long sll_objects_in_use(struct kmem_cache *s)
{
	return objects_in_use(s);
}

bool sll_usercopy_ok(const void *ptr, unsigned long n)
{
	jmp_buf trap;
	struct slab *slab = virt_to_slab(ptr);

	if (!slab)
		return false;
	if (setjmp(trap)) {
		sll_usercopy_trap = NULL;
		return false;
	}
	sll_usercopy_trap = &trap;
	__check_heap_object(ptr, n, slab, true);
	sll_usercopy_trap = NULL;
	return true;
}

void *sll_obj_start(const void *ptr)
{
	struct kmem_obj_info info = { 0 };
	struct slab *slab = virt_to_slab(ptr);

	if (!slab)
		return NULL;
	__kmem_obj_info(&info, (void *)ptr, slab);
	return info.kp_objp;
}

void sll_set_cpu_partial(struct kmem_cache *s, unsigned int objects)
{
	slub_ll_set_cpu_partial(s, objects);
}

unsigned int sll_cpu_partial(struct kmem_cache *s)
{
	return s->cpu_partial;
}

unsigned long sll_cpu_partial_slabs(struct kmem_cache *s, unsigned int cpu)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	return c->partial_nr + c->partial_own_nr;
}

unsigned long sll_cpu_slabs(struct kmem_cache *s, int node)
{
	unsigned long nodes[MAX_NUMNODES] = { 0 };

	slub_ll_count_cpu_slabs(s, nodes);
	return node >= 0 && node < MAX_NUMNODES ? nodes[node] : 0;
}

unsigned long sll_node_slabs(struct kmem_cache *s, int node)
{
	struct kmem_cache_node *n;

	if (node < 0 || node >= (int)nr_node_ids)
		return 0;
	n = get_node(s, node);
	return n ? atomic_long_read(&n->nr_slabs) : 0;
}

enum { ON_NODE = 1, ON_CPU_PARTIAL = 2, CPU_ACTIVE = 4 };

/* Mark @slab as found at @where; fails if it was found elsewhere before. */
static int mark_slab(uint8_t *seen, struct slab *slab, uint8_t where,
		     char *why, size_t len)
{
	unsigned long pfn = (struct page *)slab - sll_pages;

	if (pfn >= sll_arena_top || sll_page_head[pfn] != pfn) {
		snprintf(why, len, "slab %p is not a head page in the arena",
			 (void *)slab);
		return -1;
	}
	if (seen[pfn]) {
		snprintf(why, len, "slab at page %lu found on two lists (%u, %u)",
			 pfn, seen[pfn], where);
		return -1;
	}
	seen[pfn] = where;
	return 0;
}

int sll_check_lists(struct kmem_cache *s, char *why, size_t len)
{
	unsigned long pfn, counted = 0, found = 0, nr;
	struct kmem_cache_node *n;
	struct slab *slab;
	uint8_t *seen;
	unsigned int cpu;
	int node, own, err = -1;

	seen = calloc(sll_arena_top + 1, 1);
	if (!seen) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for_each_kmem_cache_node(s, node, n) {
		counted += atomic_long_read(&n->nr_slabs);
		nr = 0;
		list_for_each_entry(slab, &n->partial, slab_list) {
			if (mark_slab(seen, slab, ON_NODE, why, len))
				goto out;
			if (slab->frozen || !slab->freelist ||
			    slab->slab_cache != s || slab_nid(slab) != node) {
				snprintf(why, len, "node %d lists a slab with frozen %u freelist %p",
					 node, slab->frozen, slab->freelist);
				goto out;
			}
			nr++;
		}
		if (nr != n->nr_partial) {
			snprintf(why, len, "node %d: nr_partial %lu, %lu listed",
				 node, n->nr_partial, nr);
			goto out;
		}
	}
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		for (own = 0; own < 2; own++) {
			nr = 0;
			slab = own ? c->partial_own : c->partial;
			for (; slab; slab = slab->next) {
				if (mark_slab(seen, slab, ON_CPU_PARTIAL, why,
					      len))
					goto out;
				if (!slab->frozen || !slab->freelist ||
				    slab->slab_cache != s) {
					snprintf(why, len, "CPU %u's %s partial list holds a slab with frozen %u freelist %p",
						 cpu, own ? "own" : "pushed",
						 slab->frozen, slab->freelist);
					goto out;
				}
				nr++;
			}
			if (nr != (own ? c->partial_own_nr : c->partial_nr)) {
				snprintf(why, len, "CPU %u: %s list counts %lu, %lu listed",
					 cpu, own ? "own" : "pushed",
					 own ? c->partial_own_nr : c->partial_nr,
					 nr);
				goto out;
			}
		}
		slab = c->slab;
		if (slab) {
			if (mark_slab(seen, slab, CPU_ACTIVE, why, len))
				goto out;
			if (!slab->frozen) {
				snprintf(why, len, "CPU %u's active slab is not frozen",
					 cpu);
				goto out;
			}
		}
	}
	/* every slab of the cache in the arena, listed or not */
	for (pfn = 0; pfn < sll_arena_top; pfn++) {
		slab = sll_page_slab[pfn];
		if (!slab || sll_page_head[pfn] != pfn || slab->slab_cache != s)
			continue;
		found++;
		if (!seen[pfn] && (slab->frozen || slab->freelist)) {
			snprintf(why, len, "slab at page %lu is on no list, frozen %u freelist %p",
				 pfn, slab->frozen, slab->freelist);
			goto out;
		}
	}
	if (found != counted) {
		snprintf(why, len, "%lu slabs in the arena, the nodes count %lu",
			 found, counted);
		goto out;
	}
	err = 0;
out:
	free(seen);
	return err;
}

int sll_check_cpu_aba(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;
	unsigned long tid;
	void *object, *next, *a, *b;
	bool stale_ok;

	/* make sure the CPU list holds at least three objects */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);
	object = READ_ONCE(c->freelist);
	if (!object || !get_freepointer(s, object))
		return -1;
	next = get_freepointer(s, object);

	/* the "preempting" task: head is object again, successor differs */
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	if (a != object || b != next ||
	    READ_ONCE(c->freelist) != object ||
	    get_freepointer(s, object) == next)
		return -1;

	stale_ok = this_cpu_cmpxchg_dw(s->cpu_slab->freelist, object, tid,
				       next, next_tid(tid));
	kmem_cache_free(s, b);
	return stale_ok ? 0 : 1;
}

/* ---- init_on_alloc / init_on_free, KFENCE, boot parameters ---- */

void sll_set_init_on(bool alloc, bool free)
{
	init_on_alloc = alloc;
	init_on_free = free;
	slub_ll_init_keys();
}

void *sll_kmalloc(struct kmem_cache *s, size_t size, bool zero)
{
	return __kmem_cache_alloc_node(s, GFP_KERNEL | (zero ? __GFP_ZERO : 0),
				       NUMA_NO_NODE, size, 0);
}

#define KFENCE_CANARY	0xaa
#define KFENCE_FILL	0x5a

char *sll_kfence_pool;
unsigned long sll_kfence_size;
bool sll_kfence_armed;
static unsigned char *kfence_obj;
static unsigned int kfence_obj_size;
static int kfence_obj_fill;		/* what the object was handed out with */
static unsigned long kfence_frees;
static bool kfence_untouched;

/* Two arena pages, the first a slab page of no cache yet. */
static struct slab *kfence_slab(void)
{
	struct page *page;
	unsigned long pfn;

	if (!sll_kfence_pool) {
		page = sll_alloc_pages_gfp(GFP_KERNEL, 1);
		BUG_ON(!page);
		pfn = page - sll_pages;
		page->flags |= 1UL << PG_slab;
		sll_page_slab[pfn] = (struct slab *)page;
		sll_kfence_pool = page_address(page);
		sll_kfence_size = 2 * PAGE_SIZE;
	}
	return virt_to_slab(sll_kfence_pool);
}

void *sll_kfence_object(struct kmem_cache *s, unsigned int size)
{
	struct slab *slab = kfence_slab();
	unsigned long align = s->align ? s->align : 1;

	if (!size || size > s->object_size)
		return NULL;
	memset(sll_kfence_pool, KFENCE_CANARY, sll_kfence_size);
	kfence_obj = (unsigned char *)sll_kfence_pool +
		     ((PAGE_SIZE - size) & ~(align - 1));
	kfence_obj_size = size;
	kfence_obj_fill = KFENCE_FILL;
	memset(kfence_obj, kfence_obj_fill, size);
	slab->slab_cache = s;
	return kfence_obj;
}

bool sll_is_kfence(const void *p)
{
	return is_kfence_address(p);
}

void *kfence_object_start(const void *p)
{
	return is_kfence_address(p) ? kfence_obj : NULL;
}

bool sll_kfence_canary_ok(void)
{
	const unsigned char *p = (const unsigned char *)sll_kfence_pool;
	unsigned long i;

	for (i = 0; i < sll_kfence_size; i++) {
		if (p + i >= kfence_obj && p + i < kfence_obj + kfence_obj_size)
			continue;
		if (p[i] != KFENCE_CANARY)
			return false;
	}
	return true;
}

void sll_kfence_free(void *p)
{
	struct kmem_cache *s = virt_to_slab(p)->slab_cache;
	unsigned int i;

	BUG_ON(p != kfence_obj);
	kfence_untouched = true;
	for (i = 0; i < kfence_obj_size; i++)
		if (kfence_obj[i] != kfence_obj_fill)
			kfence_untouched = false;
	if (slab_want_init_on_free(s))
		memset(kfence_obj, 0, kfence_obj_size);
	kfence_frees++;
}

unsigned long sll_kfence_frees(void)
{
	return kfence_frees;
}

bool sll_kfence_freed_untouched(void)
{
	return kfence_untouched;
}

#ifdef SLL_HOOKS
static struct kmem_cache *kfence_next_cache;

void *sll_kfence_alloc(struct kmem_cache *s, size_t size, gfp_t gfp)
{
	void *object;

	if (s != kfence_next_cache)
		return NULL;
	kfence_next_cache = NULL;
	__atomic_store_n(&sll_kfence_armed, false, __ATOMIC_RELAXED);
	object = sll_kfence_object(s, size);
	if (object && slab_want_init_on_alloc(gfp, s)) {
		memset(object, 0, size);
		kfence_obj_fill = 0;
	}
	return object;
}
#endif

bool sll_kfence_next(struct kmem_cache *s)
{
#ifdef SLL_HOOKS
	kfence_next_cache = s;
	__atomic_store_n(&sll_kfence_armed, true, __ATOMIC_RELAXED);
	return true;
#else
	return false;
#endif
}

/* pr_warn(): counted, the last one kept, printed as TAP comments */
static pthread_mutex_t warn_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long warn_messages;
static char last_warn[512];

void sll_printk_warn(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&warn_lock);
	va_start(ap, fmt);
	vsnprintf(last_warn, sizeof(last_warn), fmt, ap);
	va_end(ap);
	warn_messages++;
	fputs(last_warn, stderr);
	pthread_mutex_unlock(&warn_lock);
}

unsigned long sll_warn_messages(void)
{
	unsigned long n;

	pthread_mutex_lock(&warn_lock);
	n = warn_messages;
	pthread_mutex_unlock(&warn_lock);
	return n;
}

const char *sll_last_warn_message(void)
{
	return last_warn;
}

/* the allocator's early_param() handlers (shim/sll_kernel.h) */
extern const struct sll_early_param __start_sll_early_params[];
extern const struct sll_early_param __stop_sll_early_params[];

int sll_boot_param(const char *name, const char *value)
{
	const struct sll_early_param *p;
	char buf[64];

	for (p = __start_sll_early_params; p < __stop_sll_early_params; p++) {
		if (strcmp(p->name, name))
			continue;
		if (!value)
			return p->fn(NULL);
		snprintf(buf, sizeof(buf), "%s", value);
		return p->fn(buf);
	}
	return -1;
}
