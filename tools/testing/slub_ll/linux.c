// SPDX-License-Identifier: GPL-2.0
/*
 * The stand-in kernel under mm/slub_ll.c in user space: the page arena
 * and page allocator (with its calls recorded), the per-CPU units, the
 * simulated CPUs (binding, the online mask, preemption and interrupt
 * tracking, CPU hotplug), RCU and workqueues, the part of
 * mm/slab_common.c the allocator calls back, the hooks of the common
 * code, a KFENCE stand-in, pr_warn() and boot parameters.  What it
 * offers the tests is declared in harness.h; what harness.c uses of it
 * beyond the shim, in runtime.h.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/slub_ll_def.h>
#include "slab.h"

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

volatile unsigned long jiffies = (unsigned long)(-300L * HZ);

void sll_tick(unsigned long ticks)
{
	jiffies += ticks;
}

unsigned long sll_hz(void)
{
	return HZ;
}

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

/* ---- the simulated machine: boot, CPU binding ---- */

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

void sll_cpu_dead(unsigned int cpu)
{
	if (cpu < nr_cpu_ids && cpu_dead_cb)
		cpu_dead_cb(cpu);
}

unsigned long sll_pages_in_use(void)
{
	unsigned long nr;

	pthread_mutex_lock(&page_lock);
	nr = pages_in_use;
	pthread_mutex_unlock(&page_lock);
	return nr;
}

/* ---- KFENCE, pr_warn(), boot parameters ---- */

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
