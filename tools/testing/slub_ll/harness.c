// SPDX-License-Identifier: GPL-2.0
/*
 * User-space harness: mm/slub_ll.c compiled unchanged over the shim
 * headers and the stand-in kernel of linux.c, and the API of harness.h
 * on top of it.
 */
#include "../../../mm/slub_ll.c"

#include <setjmp.h>

#include "harness.h"
#include "runtime.h"

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

int sll_init(unsigned int nr_cpus)
{
	if (sll_kernel_init(nr_cpus))
		return -1;
	kmem_cache_init();
	kmem_cache_init_late();
	slub_ll_flush_init();	/* early_initcall */
	return 0;
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
	unsigned long nr = 0;
	struct slab *slab;

	for (slab = c->partial; slab; slab = slab->next)
		nr++;
	for (slab = c->partial_own; slab; slab = slab->next)
		nr++;
	return nr;
}

unsigned long sll_cpu_partial_slabs_shown(struct kmem_cache *s,
					  unsigned int cpu)
{
	return slub_ll_cpu_partial_slabs(s, cpu);
}

unsigned long sll_cpu_partial_stamp(struct kmem_cache *s, unsigned int cpu)
{
	return per_cpu_ptr(s->cpu_slab, cpu)->partial_stamp;
}

unsigned long sll_short_ticks(unsigned long ticks)
{
	return slub_ll_set_short_ticks(ticks);
}

/*
 * Walk both CPU partial lists of @cpu (at rest only: their slabs may be
 * taken and freed while the lists are in use): the empty slabs on them,
 * or the objects their slabs hold.
 */
static unsigned long cpu_lists_sum(struct kmem_cache *s, unsigned int cpu,
				   bool empty)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
	struct slab *lists[2] = { c->partial, c->partial_own }, *slab;
	unsigned long sum = 0;
	int i;

	for (i = 0; i < 2; i++)
		for (slab = lists[i]; slab; slab = slab->next)
			sum += empty ? !slab->inuse : slab->objects;
	return sum;
}

unsigned long sll_cpu_partial_empty(struct kmem_cache *s, unsigned int cpu)
{
	return cpu_lists_sum(s, cpu, true);
}

bool sll_node_short(int node)
{
	return node_short(node);
}

unsigned long sll_cpu_partial_held(struct kmem_cache *s, unsigned int cpu)
{
	return cpu_lists_sum(s, cpu, false);
}

unsigned long sll_irqoff_open(struct kmem_cache *s)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(s->cpu_slab, cpu)->irqoff;
	return sum;
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
		unsigned long objs, want;

		for (own = 0; own < 2; own++) {
			nr = 0;
			objs = 0;
			slab = own ? c->partial_own : c->partial;
			for (; slab; slab = slab->next) {
				objs += slab->objects;
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
			if (own && nr != c->partial_own_nr) {
				snprintf(why, len, "CPU %u: own list counts %lu slabs, %lu listed",
					 cpu, c->partial_own_nr, nr);
				goto out;
			}
			want = own ? c->partial_own_objs :
				     cp_pushed(c->partial_stamp);
			if (objs != want) {
				snprintf(why, len, "CPU %u: %s list counts %lu objects, its slabs hold %lu",
					 cpu, own ? "own" : "pushed", want, objs);
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

/* ---- init_on_alloc / init_on_free, kmalloc ---- */

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
