// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for SLUB-LL, run in the booted kernel.
 *
 * Every case creates its own cache, so that nothing else in the system
 * allocates from it and the per-cache statistics move only because of
 * what the case does.  The cases drive the allocator through the normal
 * kmem_cache API and then look at three things: the objects themselves
 * (distinct, aligned, constructed, zeroed, intact), the per-CPU
 * statistics of the cache (CONFIG_SLUB_LL_STATS), and the slab counts of
 * the cache's nodes.  Frees "from another CPU" are done by a work item
 * queued on that CPU, which is how a kfree() from a remote CPU happens
 * in the kernel.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/delay.h>
#include <linux/swap.h>
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include "slab.h"
#include "slub_ll_kunit_stress.h"

#define SLL_TEST_NR	512	/* objects per case: several slabs' worth */

/* A snapshot of every statistic of a cache. */
struct sll_snap {
	unsigned long v[NR_SLUB_LL_STAT_ITEMS];
};

static void sll_snap(struct kmem_cache *s, struct sll_snap *snap)
{
	int i;

	for (i = 0; i < NR_SLUB_LL_STAT_ITEMS; i++)
		snap->v[i] = slub_ll_stat_sum(s, i);
}

/* How much statistic @si moved since @snap. */
static unsigned long sll_delta(struct kmem_cache *s, struct sll_snap *snap,
			       enum slub_ll_stat_item si)
{
	return slub_ll_stat_sum(s, si) - snap->v[si];
}

static void sll_need_stats(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_SLUB_LL_STATS))
		kunit_skip(test, "needs CONFIG_SLUB_LL_STATS");
}

/*
 * KASAN's quarantine keeps freed objects for a while and frees them
 * later, from wherever it drains: a case that counts paths, slabs or
 * pages right after its frees cannot run under it.
 */
static void sll_need_prompt_frees(struct kunit *test)
{
	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN's quarantine defers the frees");
}

/*
 * The same for the cases that check their objects as well: under KASAN
 * they check the objects and leave out only what counts frees (paths,
 * slabs, pages, list lengths).  Not a skip: the case still ran.
 */
static bool sll_frees_prompt(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_KASAN_GENERIC))
		return true;
	kunit_info(test,
		   "KASAN's quarantine defers the frees: not counted\n");
	return false;
}

static unsigned long sll_nr_slabs(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	unsigned long nr = 0;
	int node;

	for_each_kmem_cache_node(s, node, n)
		nr += atomic_long_read(&n->nr_slabs);
	return nr;
}

/*
 * Every cache a case makes is a KUnit resource: KUnit destroys it when
 * the case ends, however it ends, so that a case stopped by a failed
 * KUNIT_ASSERT does not leave its cache behind.  A case that must
 * destroy a cache before its end does it with sll_cache_destroy().
 *
 * A case stopped early may still hold objects of its cache, and
 * kmem_cache_destroy() of a cache with objects in use warns and keeps
 * the cache anyway.  The objects are not tracked: when the case has
 * failed and the cache, shrunk, still has slabs, the cache is kept and
 * the case's log says so, rather than destroyed with a warning.  That
 * is also what a case that leaked objects on purpose (a stress error)
 * needs.  A case that passed is always destroyed, so a leak there is
 * still reported by kmem_cache_destroy().
 */
struct sll_managed {
	struct kunit *test;
	struct kmem_cache *s;
};

static void sll_cache_release(struct kunit_resource *res)
{
	struct sll_managed *m = res->data;
	struct kmem_cache *s = m->s;

	if (m->test->status == KUNIT_FAILURE) {
		kmem_cache_shrink(s);
		if (sll_nr_slabs(s)) {
			kunit_info(m->test,
				   "cache %s keeps %lu slabs after the failure: not destroyed\n",
				   s->name, sll_nr_slabs(s));
			kfree(m);
			return;
		}
	}
	kmem_cache_destroy(s);
	kfree(m);
}

static bool sll_cache_match(struct kunit *test, struct kunit_resource *res,
			    void *s)
{
	return res->free == sll_cache_release &&
	       ((struct sll_managed *)res->data)->s == s;
}

/* Make @s, just created, the case's: it is destroyed when the case ends. */
static void sll_cache_manage(struct kunit *test, struct kmem_cache *s)
{
	struct sll_managed *m;

	m = sll_kmalloc_obj(*m, GFP_KERNEL);
	if (m) {
		m->test = test;
		m->s = s;
		if (kunit_alloc_resource(test, NULL, sll_cache_release,
					 GFP_KERNEL, m))
			return;
		kfree(m);
	}
	kmem_cache_destroy(s);
	KUNIT_ASSERT_TRUE_MSG(test, false, "no memory to track a cache");
}

/* Destroy @s, one of the case's caches, now rather than at the end. */
static void sll_cache_destroy(struct kunit *test, struct kmem_cache *s)
{
	KUNIT_EXPECT_EQ(test, kunit_destroy_resource(test, sll_cache_match, s),
			0);
}

static struct kmem_cache *sll_cache(struct kunit *test, const char *name,
				    unsigned int size, unsigned int align,
				    slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	/*
	 * The cases count objects, statistics and slabs of their own cache:
	 * a usercopy region keeps it from being merged with another cache,
	 * and no object is taken from KFENCE, whose objects none of these
	 * counts see.
	 */
	s = kmem_cache_create_usercopy(name, size, align, flags, 0, size,
				       ctor);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	sll_cache_manage(test, s);
	s->flags |= SLAB_SKIP_KFENCE;
	return s;
}

/* Fill @p with a byte pattern derived from @seed, and check it back. */
static void sll_stamp(void *p, unsigned int size, unsigned long seed)
{
	memset(p, (u8)(seed * 31 + 7), size);
}

static bool sll_stamped(const void *p, unsigned int size, unsigned long seed)
{
	return !memchr_inv(p, (u8)(seed * 31 + 7), size);
}

/* Allocate @nr objects of @s into @obj: not one may fail. */
static void sll_alloc_objs(struct kunit *test, struct kmem_cache *s,
			   void **obj, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL_MSG(test, obj[i], "object %d of %d", i,
					  nr);
	}
}

/* Stamp each object of @obj[0..nr) with its index. */
static void sll_stamp_objs(struct kmem_cache *s, void **obj, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		sll_stamp(obj[i], s->object_size, i);
}

/* Each object of @obj[0..nr) still carries the stamp of its index. */
static void sll_check_objs(struct kunit *test, struct kmem_cache *s,
			   void **obj, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      sll_stamped(obj[i], s->object_size, i),
				      "object %d overwritten", i);
}

static void sll_free_objs(struct kmem_cache *s, void **obj, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		kmem_cache_free(s, obj[i]);
}

/*
 * Many objects: all distinct, none overlapping another one's contents,
 * every allocation and every free counted exactly once.
 */
static void sll_test_alloc_free(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	void **obj;

	s = sll_cache(test, "sll_test_basic", 96, 0, 0, NULL);
	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_snap(s, &snap);

	sll_alloc_objs(test, s, obj, SLL_TEST_NR);
	sll_stamp_objs(s, obj, SLL_TEST_NR);
	sll_check_objs(test, s, obj, SLL_TEST_NR);
	KUNIT_EXPECT_GE(test, sll_nr_slabs(s),
			(unsigned long)DIV_ROUND_UP(SLL_TEST_NR, s->objects));
	sll_free_objs(s, obj, SLL_TEST_NR);

	if (IS_ENABLED(CONFIG_SLUB_LL_STATS) && sll_frees_prompt(test)) {
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_ALLOC_FASTPATH) +
				sll_delta(s, &snap, SLL_ALLOC_SLOWPATH),
				(unsigned long)SLL_TEST_NR);
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_FREE_FASTPATH) +
				sll_delta(s, &snap, SLL_FREE_SLOWPATH),
				(unsigned long)SLL_TEST_NR);
		KUNIT_EXPECT_GE(test, sll_delta(s, &snap, SLL_ALLOC_SLAB),
				(unsigned long)DIV_ROUND_UP(SLL_TEST_NR,
							    s->objects));
	}
}

/*
 * On one CPU: the first allocation from a fresh cache takes the slowpath
 * (a new slab, which becomes this CPU's), the next ones and the frees of
 * objects of the CPU's own slab take the fastpath.
 */
static void sll_test_fast_and_slow(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	void *a, *b;

	sll_need_stats(test);
	s = sll_cache(test, "sll_test_paths", 128, 0, 0, NULL);
	migrate_disable();
	sll_snap(s, &snap);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	migrate_enable();

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	if (sll_frees_prompt(test)) {
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_ALLOC_SLOWPATH),
				1UL);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_ALLOC_SLAB), 1UL);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_ALLOC_FASTPATH),
				1UL);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_FREE_FASTPATH),
				2UL);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_FREE_SLOWPATH),
				0UL);
		/* a new slab is born frozen: nothing came from a partial list */
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_ALLOC_FROM_PARTIAL), 0UL);
	}
}

struct sll_remote {
	struct work_struct work;
	struct kmem_cache *s;
	void **obj;
	int nr;
	int cpu;	/* where the work really ran */
	bool alloc;	/* allocate rather than free */
	int node;	/* allocate on this node, or NUMA_NO_NODE */
	int failed;	/* allocations that returned NULL */
};

static void sll_remote_fn(struct work_struct *work)
{
	struct sll_remote *r = container_of(work, struct sll_remote, work);
	int i;

	r->cpu = raw_smp_processor_id();
	for (i = 0; i < r->nr; i++) {
		if (r->alloc && r->node != NUMA_NO_NODE) {
			r->obj[i] = kmem_cache_alloc_node(r->s, GFP_KERNEL,
							  r->node);
			if (!r->obj[i])
				r->failed++;
		} else if (r->alloc) {
			r->obj[i] = kmem_cache_alloc(r->s, GFP_KERNEL);
			if (!r->obj[i])
				r->failed++;
		} else {
			kmem_cache_free(r->s, r->obj[i]);
		}
	}
}

/*
 * Run alloc (from @node unless NUMA_NO_NODE) or free of @nr objects on
 * @cpu and wait for it.
 */
static void sll_on_cpu_node(struct kunit *test, int cpu, struct kmem_cache *s,
			    void **obj, int nr, bool alloc, int node)
{
	struct sll_remote r = {
		.s = s, .obj = obj, .nr = nr, .alloc = alloc, .cpu = -1,
		.node = node,
	};

	INIT_WORK_ONSTACK(&r.work, sll_remote_fn);
	queue_work_on(cpu, system_wq, &r.work);
	flush_work(&r.work);
	destroy_work_on_stack(&r.work);
	KUNIT_EXPECT_EQ(test, r.cpu, cpu);
	KUNIT_EXPECT_EQ(test, r.failed, 0);
}

static void sll_on_cpu(struct kunit *test, int cpu, struct kmem_cache *s,
		       void **obj, int nr, bool alloc)
{
	sll_on_cpu_node(test, cpu, s, obj, nr, alloc, NUMA_NO_NODE);
}

/* Two online CPUs, or skip. */
static void sll_two_cpus(struct kunit *test, int *a, int *b)
{
	*a = cpumask_first(cpu_online_mask);
	*b = cpumask_next(*a, cpu_online_mask);
	if (*b >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");
}

/* Two nodes with normal memory, the first @near and the next @far, or skip. */
static void sll_two_nodes(struct kunit *test, int *near, int *far)
{
	if (num_node_state(N_NORMAL_MEMORY) < 2)
		kunit_skip(test, "needs two nodes with normal memory");
	*near = first_node(node_states[N_NORMAL_MEMORY]);
	*far = next_node(*near, node_states[N_NORMAL_MEMORY]);
}

/*
 * Objects allocated on one CPU and freed on another: each free is a
 * slowpath free on the freeing CPU (it holds no slab of this cache), the
 * objects come back to their slabs, and the cache can hand them out again.
 */
static void sll_check_remote_free(struct kunit *test, struct kmem_cache *s,
				  int a, int b)
{
	struct sll_snap snap;
	void **obj;

	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);

	sll_snap(s, &snap);
	sll_on_cpu(test, a, s, obj, SLL_TEST_NR, true);
	sll_stamp_objs(s, obj, SLL_TEST_NR);
	sll_check_objs(test, s, obj, SLL_TEST_NR);
	sll_on_cpu(test, b, s, obj, SLL_TEST_NR, false);

	if (IS_ENABLED(CONFIG_SLUB_LL_STATS) && sll_frees_prompt(test)) {
		/* b never held a slab of this cache: no free was fast. */
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_FREE_SLOWPATH),
				(unsigned long)SLL_TEST_NR);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_FREE_FASTPATH),
				0UL);
		/* the slab a still holds received some of them */
		KUNIT_EXPECT_GE(test, sll_delta(s, &snap, SLL_FREE_FROZEN),
				1UL);
		/* full slabs that got an object back went to partial */
		if (SLL_TEST_NR > 2 * s->objects)
			KUNIT_EXPECT_GE(test,
					sll_delta(s, &snap,
						  SLL_FREE_ADD_PARTIAL) +
					sll_delta(s, &snap,
						  SLL_CPU_PARTIAL_FREE), 1UL);
	}

	/* Everything freed remotely is allocatable again, on either CPU. */
	sll_on_cpu(test, b, s, obj, SLL_TEST_NR, true);
	sll_on_cpu(test, a, s, obj, SLL_TEST_NR, false);
}

static void sll_test_remote_free(struct kunit *test)
{
	struct kmem_cache *s;
	int a, b;

	sll_two_cpus(test, &a, &b);
	s = sll_cache(test, "sll_test_remote", 256, 0, 0, NULL);
	sll_check_remote_free(test, s, a, b);
}

/*
 * The page-lock fallback: a cache switched to it before its first slab
 * exists runs every slab transition under the slab lock, never with the
 * slab compare-exchange, and behaves the same from the outside.
 */
static void sll_test_pagelock(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	int a, b;

	sll_two_cpus(test, &a, &b);
	s = sll_cache(test, "sll_test_pagelock", 192, 0, 0, NULL);
	s->pagelock = true;
	sll_snap(s, &snap);
	sll_check_remote_free(test, s, a, b);
	if (IS_ENABLED(CONFIG_SLUB_LL_STATS) && sll_frees_prompt(test)) {
		KUNIT_EXPECT_GE(test, sll_delta(s, &snap, SLL_PAGELOCK_TAKEN),
				(unsigned long)SLL_TEST_NR);
		/* one CPU at a time touches the cache: nothing to retry */
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_CMPXCHG_DOUBLE_FAIL),
				0UL);
	}
}

/*
 * Lockless mode, where the CPU has the instruction and the boot command
 * line did not ask for page locks: no page lock is ever taken.
 */
static void sll_test_lockless(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	int a, b;

	sll_two_cpus(test, &a, &b);
	s = sll_cache(test, "sll_test_lockless", 192, 0, 0, NULL);
	if (s->pagelock)
		kunit_skip(test, "caches run in page-lock mode on this boot");
	KUNIT_EXPECT_TRUE(test, slub_ll_has_cmpxchg_dw());
	sll_snap(s, &snap);
	sll_check_remote_free(test, s, a, b);
	/* whenever KASAN lets the frees happen: never under a page lock */
	if (IS_ENABLED(CONFIG_SLUB_LL_STATS))
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_PAGELOCK_TAKEN),
				0UL);
}

static atomic_t sll_ctor_calls;

static void sll_ctor(void *p)
{
	atomic_inc(&sll_ctor_calls);
	sll_stamp(p, 80, 0xc7);
}

/*
 * The constructor runs once per object slot when its slab is made, and
 * the allocator never writes into a constructed object: what the ctor
 * wrote is still there after any number of free/alloc rounds.
 */
static void sll_test_ctor(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_ctor", 80, 0, 0,
					 sll_ctor);
	struct sll_snap snap;
	void **obj;
	int round, i;

	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	atomic_set(&sll_ctor_calls, 0);
	sll_snap(s, &snap);

	for (round = 0; round < 3; round++) {
		sll_alloc_objs(test, s, obj, SLL_TEST_NR);
		for (i = 0; i < SLL_TEST_NR; i++)
			KUNIT_EXPECT_TRUE_MSG(test,
					      sll_stamped(obj[i], 80, 0xc7),
					      "round %d object %d", round, i);
		sll_free_objs(s, obj, SLL_TEST_NR);
	}
	KUNIT_EXPECT_GE(test, atomic_read(&sll_ctor_calls), SLL_TEST_NR);
	KUNIT_EXPECT_EQ(test, atomic_read(&sll_ctor_calls) % s->objects, 0);
	/* once per slot of every slab made, never on reuse of an object */
	if (IS_ENABLED(CONFIG_SLUB_LL_STATS))
		KUNIT_EXPECT_EQ(test,
				(unsigned long)atomic_read(&sll_ctor_calls),
				sll_delta(s, &snap, SLL_ALLOC_SLAB) *
				s->objects);
}

/*
 * SLAB_TYPESAFE_BY_RCU: a freed object keeps its type and contents (the
 * free pointer lives outside it) until it is reused, and a slab emptied
 * by frees goes back to the page allocator only after a grace period.
 * Without CPU partial lists and with min_partial 0, the free that empties
 * a full slab no CPU holds gives it up at once.  Inside one read-side
 * critical section the case frees every object: the objects stay intact,
 * the emptied slabs leave the cache's count, and their pages are still
 * slabs of the cache, as no grace period can end before the reader does.
 * After rcu_barrier() none of those pages belongs to the cache any more.
 */
static void sll_test_rcu(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_rcu", 64, 0,
					 SLAB_TYPESAFE_BY_RCU, NULL);
	int i, j, nr, nr_full = 0, changed = -1, early = 0, kept = 0;
	unsigned long before, during;
	struct slab **full;
	void **obj;

	/* four slabs' worth: some are full and no CPU's */
	nr = 4 * s->objects;
	obj = kunit_kcalloc(test, nr, sizeof(*obj), GFP_KERNEL);
	full = kunit_kcalloc(test, nr, sizeof(*full), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_NOT_NULL(test, full);
	slub_ll_set_cpu_partial(s, 0);
	s->min_partial = 0;
	sll_alloc_objs(test, s, obj, nr);
	sll_stamp_objs(s, obj, nr);
	/* the full slabs no CPU holds: freeing their objects empties them */
	for (i = 0; i < nr; i++) {
		struct slab *slab = virt_to_slab(obj[i]);

		if (slab->frozen || slab->freelist)
			continue;
		for (j = 0; j < nr_full; j++)
			if (full[j] == slab)
				break;
		if (j == nr_full)
			full[nr_full++] = slab;
	}
	KUNIT_ASSERT_GT(test, nr_full, 0);
	before = sll_nr_slabs(s);

	rcu_read_lock();
	for (i = 0; i < nr; i++)
		kmem_cache_free(s, obj[i]);
	for (i = 0; i < nr && changed < 0; i++)
		if (!sll_stamped(obj[i], 64, i))
			changed = i;
	for (j = 0; j < nr_full; j++)
		if (!folio_test_slab(slab_folio(full[j])) ||
		    READ_ONCE(full[j]->slab_cache) != s)
			early++;
	during = sll_nr_slabs(s);
	rcu_read_unlock();

	KUNIT_EXPECT_EQ_MSG(test, changed, -1,
			    "object %d changed after free, before a grace period",
			    changed);
	KUNIT_EXPECT_EQ_MSG(test, early, 0,
			    "%d of %d emptied slabs left the cache before a grace period",
			    early, nr_full);
	KUNIT_EXPECT_LE(test, during, before - nr_full);

	rcu_barrier();
	for (j = 0; j < nr_full; j++)
		if (READ_ONCE(full[j]->slab_cache) == s)
			kept++;
	KUNIT_EXPECT_EQ_MSG(test, kept, 0,
			    "%d of %d emptied slabs still the cache's after rcu_barrier()",
			    kept, nr_full);

	kmem_cache_shrink(s);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
}

/* Bulk allocation hands out distinct objects, bulk free takes them all. */
static void sll_test_bulk(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	void **obj;
	int i, j;

	s = sll_cache(test, "sll_test_bulk", 40, 0, 0, NULL);
	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_snap(s, &snap);

	/* 6.1 returns the count, 7.3 true: neither gives 0 on success */
	KUNIT_ASSERT_NE(test, kmem_cache_alloc_bulk(s, GFP_KERNEL, SLL_TEST_NR,
						    obj), 0);
	for (i = 0; i < SLL_TEST_NR; i++)
		KUNIT_ASSERT_NOT_NULL(test, obj[i]);
	sll_stamp_objs(s, obj, SLL_TEST_NR);
	sll_check_objs(test, s, obj, SLL_TEST_NR);
	for (i = 0; i < SLL_TEST_NR; i++)
		for (j = i + 1; j < SLL_TEST_NR; j++)
			KUNIT_EXPECT_PTR_NE(test, obj[i], obj[j]);
	KUNIT_EXPECT_GE(test, sll_nr_slabs(s),
			(unsigned long)DIV_ROUND_UP(SLL_TEST_NR, s->objects));
	kmem_cache_free_bulk(s, SLL_TEST_NR, obj);

	if (IS_ENABLED(CONFIG_SLUB_LL_STATS) && sll_frees_prompt(test))
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_ALLOC_FASTPATH) +
				sll_delta(s, &snap, SLL_ALLOC_SLOWPATH) -
				sll_delta(s, &snap, SLL_FREE_FASTPATH) -
				sll_delta(s, &snap, SLL_FREE_SLOWPATH), 0UL);

	/* and the objects can be handed out again */
	KUNIT_ASSERT_NE(test, kmem_cache_alloc_bulk(s, GFP_KERNEL, SLL_TEST_NR,
						    obj), 0);
	kmem_cache_free_bulk(s, SLL_TEST_NR, obj);
}

/*
 * Shrinking a cache whose objects are all free gives every slab back to
 * the page allocator, the CPU slabs included.
 */
static void sll_test_shrink(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_shrink", 512, 0, 0,
					 NULL);
	struct sll_snap snap;
	void **obj;

	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_snap(s, &snap);
	sll_alloc_objs(test, s, obj, SLL_TEST_NR);
	KUNIT_EXPECT_GE(test, sll_nr_slabs(s), 2UL);
	sll_free_objs(s, obj, SLL_TEST_NR);

	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
	if (IS_ENABLED(CONFIG_SLUB_LL_STATS))
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_FREE_SLAB),
				sll_delta(s, &snap, SLL_ALLOC_SLAB));
}

/* Alignment requests and SLAB_HWCACHE_ALIGN are honoured. */
static void sll_test_align(struct kunit *test)
{
	static const unsigned int aligns[] = { 8, 16, 64, 256 };
	unsigned int k;
	int i;

	for (k = 0; k < ARRAY_SIZE(aligns); k++) {
		struct kmem_cache *s;
		void *obj[16];

		s = sll_cache(test, "sll_test_align", 72, aligns[k], 0, NULL);
		sll_alloc_objs(test, s, obj, ARRAY_SIZE(obj));
		for (i = 0; i < ARRAY_SIZE(obj); i++)
			KUNIT_EXPECT_TRUE_MSG(test,
					      IS_ALIGNED((unsigned long)obj[i],
							 aligns[k]),
					      "object %d not aligned to %u", i,
					      aligns[k]);
		sll_free_objs(s, obj, ARRAY_SIZE(obj));
		sll_cache_destroy(test, s);
	}

	{
		struct kmem_cache *s;
		void *p;

		s = sll_cache(test, "sll_test_hwalign", 100, 0,
			      SLAB_HWCACHE_ALIGN, NULL);
		p = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p,
						   cache_line_size()));
		kmem_cache_free(s, p);
		sll_cache_destroy(test, s);
	}
}

/*
 * kmalloc through SLUB-LL: every size class and a large allocation,
 * __GFP_ZERO on reused memory, ksize() covering the request.
 */
static void sll_test_kmalloc(struct kunit *test)
{
	size_t size;

	for (size = 1; size <= 4 * PAGE_SIZE; size = size * 2 + 1) {
		u8 *p = kmalloc(size, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_GE(test, ksize(p), size);
		memset(p, 0xa5, size);
		kfree(p);

		p = kzalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(p, 0, size),
				      "kzalloc(%zu) not zeroed", size);
		kfree(p);

		p = kmalloc_node(size, GFP_KERNEL, numa_node_id());
		KUNIT_ASSERT_NOT_NULL(test, p);
		kfree(p);
	}
}

/* __GFP_ZERO on a cache, after the object was dirtied and freed. */
static void sll_test_zero(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_zero", 200, 0, 0,
					 NULL);
	int i;

	for (i = 0; i < 64; i++) {
		u8 *p = kmem_cache_alloc(s, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, 0xff, 200);
		kmem_cache_free(s, p);
		p = kmem_cache_zalloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, 200));
		kmem_cache_free(s, p);
	}
}

#ifdef CONFIG_PRINTK
/*
 * kmem_obj_info: any pointer into an object leads back to its start and
 * its cache; kmem_dump_obj() recognises slab objects and nothing else.
 */
static void sll_test_obj_info(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_objinfo", 136, 0, 0,
					 NULL);
	struct kmem_obj_info kp __maybe_unused = { };
	u8 *p, *q;

	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);

	/*
	 * __kmem_obj_info() is not exported: as a module the suite checks
	 * the slab's cache, and the object's start only when built in.
	 */
	KUNIT_EXPECT_PTR_EQ(test, virt_to_slab(p + 100)->slab_cache, s);
#if IS_BUILTIN(CONFIG_SLUB_LL_KUNIT_TEST)
	__kmem_obj_info(&kp, p + 100, virt_to_slab(p + 100));
	KUNIT_EXPECT_PTR_EQ(test, kp.kp_slab_cache, s);
	KUNIT_EXPECT_PTR_EQ(test, kp.kp_objp, (void *)p);
	memset(&kp, 0, sizeof(kp));
	__kmem_obj_info(&kp, q, virt_to_slab(q));
	KUNIT_EXPECT_PTR_EQ(test, kp.kp_objp, (void *)q);
#endif
	KUNIT_EXPECT_GE(test, ksize(p), (size_t)136);

	KUNIT_EXPECT_TRUE(test, kmem_dump_obj(p + 7));
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);

	/* a large kmalloc comes from the page allocator: not a slab object */
	p = kmalloc(4 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, kmem_dump_obj(p));
	kfree(p);
}
#endif

/*
 * Slabs on @cpu's partial lists, walked: the count sysfs shows is an
 * estimate where a list holds slabs of the fallback order, which a case
 * cannot rule out.  Only at rest: nothing else may be using @s.
 */
static unsigned long sll_cpu_list_len(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
	unsigned long nr = 0;
	struct slab *slab;

	for (slab = READ_ONCE(c->partial); slab; slab = slab->next)
		nr++;
	for (slab = READ_ONCE(c->partial_own); slab; slab = slab->next)
		nr++;
	return nr;
}

/* The slab after @slab on @c's pushed list, then its own list. */
static struct slab *sll_next_listed(struct kmem_cache_cpu *c,
				    struct slab *slab)
{
	if (!slab)
		return c->partial ? c->partial : c->partial_own;
	if (slab->next)
		return slab->next;
	/* the end of the pushed list: the own list follows */
	for (struct slab *p = c->partial; p; p = p->next)
		if (p == slab)
			return c->partial_own;
	return NULL;
}

/*
 * The CPU partial lists at rest: every slab on one is frozen, has free
 * objects and is counted; no frozen slab is on a node list; no slab is on
 * two lists.  Nothing else may be using @s.
 */
static void sll_check_lists(struct kunit *test, struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	struct slab *slab, *other;
	unsigned long nr, objs, flags;
	int cpu, cpu2, node;

	for_each_possible_cpu(cpu) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		for (slab = READ_ONCE(c->partial); slab; slab = slab->next) {
			KUNIT_EXPECT_TRUE(test, slab->frozen);
			KUNIT_EXPECT_NOT_NULL(test, slab->freelist);
		}
		nr = 0;
		objs = 0;
		for (slab = READ_ONCE(c->partial_own); slab; slab = slab->next) {
			KUNIT_EXPECT_TRUE(test, slab->frozen);
			KUNIT_EXPECT_NOT_NULL(test, slab->freelist);
			nr++;
			objs += slab->objects;
		}
		/* the own list is counted exactly, the pushed one never over */
		KUNIT_EXPECT_EQ(test, nr, READ_ONCE(c->partial_own_nr));
		KUNIT_EXPECT_EQ(test, objs, READ_ONCE(c->partial_own_objs));
		KUNIT_EXPECT_LE(test, slub_ll_cpu_partial_slabs(s, cpu),
				sll_cpu_list_len(s, cpu));
	}
	/* no slab on two lists, nor a CPU's active slab as well */
	for_each_possible_cpu(cpu) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		for (slab = sll_next_listed(c, NULL); slab;
		     slab = sll_next_listed(c, slab)) {
			for_each_possible_cpu(cpu2) {
				struct kmem_cache_cpu *c2;

				c2 = per_cpu_ptr(s->cpu_slab, cpu2);
				KUNIT_EXPECT_PTR_NE(test, slab,
						    READ_ONCE(c2->slab));
				for (other = sll_next_listed(c2, NULL); other;
				     other = sll_next_listed(c2, other))
					if (other != slab || cpu2 != cpu)
						KUNIT_EXPECT_PTR_NE(test, slab,
								    other);
			}
		}
	}
	for_each_kmem_cache_node(s, node, n) {
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry(slab, &n->partial, slab_list) {
			KUNIT_EXPECT_FALSE(test, slab->frozen);
			KUNIT_EXPECT_NOT_NULL(test, slab->freelist);
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
}

/*
 * Up to @max objects of @obj[0..nr), one from each slab that is full and
 * not a CPU's active slab, moved to the front of @obj; returns how many.
 * With @whole, only slabs of the cache's preferred order count: a slab
 * of the fallback order holds fewer than s->objects, so it weighs less
 * against the CPU lists' bound, which is in objects.
 */
static int sll_one_per_full_slab(struct kmem_cache *s, void **obj, int nr,
				 int max, bool whole)
{
	struct slab *slab;
	int i, j, found = 0;

	for (i = 0; i < nr && found < max; i++) {
		slab = virt_to_slab(obj[i]);
		if (slab->frozen || slab->freelist)
			continue;
		if (whole && slab->objects != s->objects)
			continue;
		for (j = 0; j < found; j++)
			if (virt_to_slab(obj[j]) == slab)
				break;
		if (j < found)
			continue;
		swap(obj[found], obj[i]);
		found++;
	}
	return found;
}

/*
 * Move one object of each of @want full slabs of the preferred order to
 * the front of @obj[0..nr); if there are fewer such slabs (the page
 * allocator gave fallback-order ones), free all @nr objects and skip the
 * case, whose counts assume slabs of s->objects each.
 */
static void sll_whole_slabs(struct kunit *test, struct kmem_cache *s,
			    void **obj, int nr, int want)
{
	int found = sll_one_per_full_slab(s, obj, nr, want, true);

	if (found == want)
		return;
	sll_free_objs(s, obj, nr);
	kunit_skip(test, "only %d of %d full slabs hold %u objects",
		   found, want, s->objects);
}

/*
 * CPU hotplug: the slab a CPU holds and the slabs on its partial list
 * are given back when that CPU goes offline, and their objects can be
 * freed and reused afterwards.
 */
static void sll_test_hotplug(struct kunit *test)
{
	struct kmem_cache *s;
	void *obj[8], **full;
	int a, b, err;

	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU))
		kunit_skip(test, "needs CONFIG_HOTPLUG_CPU");
	sll_two_cpus(test, &a, &b);
	if (!cpu_is_hotpluggable(b))
		kunit_skip(test, "CPU %d cannot go offline", b);

	s = sll_cache(test, "sll_test_hotplug", 64, 0, 0, NULL);
	full = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*full), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, full);
	sll_on_cpu(test, b, s, full, SLL_TEST_NR, true);
	sll_on_cpu(test, b, s, obj, ARRAY_SIZE(obj), true);
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(per_cpu_ptr(s->cpu_slab,
							  b)->slab));
	/* and a slab on its partial list: a full one of b's, freed to on a */
	KUNIT_ASSERT_EQ(test,
			sll_one_per_full_slab(s, full, SLL_TEST_NR, 1, false),
			1);
	sll_on_cpu(test, a, s, full, 1, false);
	/* KASAN's quarantine may keep that free: the slab stays full */
	if (sll_frees_prompt(test))
		KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(per_cpu_ptr(s->cpu_slab,
								  b)->partial));

	err = remove_cpu(b);
	if (err) {
		/* two CPUs online and b hotpluggable: it must go offline */
		KUNIT_FAIL(test, "CPU %d did not go offline (%d)", b, err);
		sll_on_cpu(test, b, s, obj, ARRAY_SIZE(obj), false);
		sll_on_cpu(test, a, s, full + 1, SLL_TEST_NR - 1, false);
		return;
	}
	KUNIT_EXPECT_NULL(test, READ_ONCE(per_cpu_ptr(s->cpu_slab,
						      b)->slab));
	KUNIT_EXPECT_NULL(test, READ_ONCE(per_cpu_ptr(s->cpu_slab,
						      b)->freelist));
	KUNIT_EXPECT_NULL(test, READ_ONCE(per_cpu_ptr(s->cpu_slab,
						      b)->partial));
	KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, b), 0UL);
	sll_check_lists(test, s);
	KUNIT_EXPECT_EQ(test, add_cpu(b), 0);

	sll_on_cpu(test, a, s, obj, ARRAY_SIZE(obj), false);
	sll_on_cpu(test, a, s, full + 1, SLL_TEST_NR - 1, false);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
}

/*
 * At quiescence the statistics add up: what was allocated and freed
 * through each path matches the work done, and no object is left in use.
 */
static void sll_test_stats_balance(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	void **obj;
	unsigned long allocs, frees;
	int round, i;

	sll_need_stats(test);
	s = sll_cache(test, "sll_test_balance", 24, 0, 0, NULL);
	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_snap(s, &snap);
	for (round = 0; round < 4; round++) {
		sll_alloc_objs(test, s, obj, SLL_TEST_NR);
		/* free in a different order than allocated */
		for (i = 0; i < SLL_TEST_NR; i += 2)
			kmem_cache_free(s, obj[i]);
		for (i = 1; i < SLL_TEST_NR; i += 2)
			kmem_cache_free(s, obj[i]);
	}
	if (!sll_frees_prompt(test))
		return;
	allocs = sll_delta(s, &snap, SLL_ALLOC_FASTPATH) +
		 sll_delta(s, &snap, SLL_ALLOC_SLOWPATH);
	frees = sll_delta(s, &snap, SLL_FREE_FASTPATH) +
		sll_delta(s, &snap, SLL_FREE_SLOWPATH);
	KUNIT_EXPECT_EQ(test, allocs, 4UL * SLL_TEST_NR);
	KUNIT_EXPECT_EQ(test, frees, 4UL * SLL_TEST_NR);
	KUNIT_EXPECT_GE(test, sll_delta(s, &snap, SLL_ALLOC_SLAB),
			sll_nr_slabs(s));
	KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_ALLOC_SLAB) -
			sll_delta(s, &snap, SLL_FREE_SLAB), sll_nr_slabs(s));
}

/*
 * When the page allocator refuses the cache's preferred order, slabs are
 * made of the smallest order that holds an object, asked for with the
 * caller's flags, and every __GFP_NOFAIL allocation is served.  The case
 * makes the refusal certain: with the cache's order raised to one past
 * the largest (SLUB_LL_PAGE_ORDERS), the first request is one the page
 * allocator always refuses, silently
 * (it carries __GFP_NOWARN); the slab made of it is min_order pages,
 * whose slab layout does not depend on s->order.  That __GFP_NOFAIL is on
 * the fallback request is checked by t_unit (tools/testing/slub_ll),
 * whose page allocator records the flags it is given.
 */
static void sll_test_nofail(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_nofail", 2048, 0, 0,
					 NULL);
	unsigned int order = s->order;
	void **obj;
	int got, small = 0, nr = 64;

	KUNIT_ASSERT_GT(test, s->order, s->min_order);
	obj = kunit_kcalloc(test, nr, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);

	s->order = SLUB_LL_PAGE_ORDERS;
	for (got = 0; got < nr; got++) {
		obj[got] = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOFAIL);
		if (!obj[got])
			break;
		small += slab_order(virt_to_slab(obj[got])) == s->min_order;
	}
	s->order = order;
	kunit_info(test, "%d of %d objects in order-%u slabs\n", small, got,
		   s->min_order);
	KUNIT_EXPECT_EQ(test, got, nr);
	KUNIT_EXPECT_EQ(test, small, got);
	sll_free_objs(s, obj, got);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
}

/* Is @slab any CPU's slab in @s? */
static bool sll_is_cpu_slab(struct kmem_cache *s, struct slab *slab)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (READ_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->slab) == slab)
			return true;
	return false;
}

/*
 * A slab from the emergency reserves serves only entitled callers and
 * never becomes a CPU slab.  The page allocator cannot be made to hand
 * out reserves here, so the case marks a partial slab the way the
 * allocator marks a slab made of reserve pages.
 */
static void sll_test_pfmemalloc(struct kunit *test)
{
	struct kmem_cache *s = sll_cache(test, "sll_test_pfmemalloc", 64, 0, 0,
					 NULL);
	struct slab *reserve;
	void *a, *b, **obj;
	int i, nr, from_reserve = 0;

	a = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	reserve = virt_to_slab(a);
	nr = reserve->objects;
	kmem_cache_shrink(s);		/* the slab goes to the partial list */
	KUNIT_ASSERT_FALSE(test, sll_is_cpu_slab(s, reserve));
	slub_ll_slab_set_pfmemalloc(reserve);

	obj = kunit_kcalloc(test, nr, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_alloc_objs(test, s, obj, nr);
	for (i = 0; i < nr; i++)
		from_reserve += virt_to_slab(obj[i]) == reserve;
	KUNIT_EXPECT_EQ(test, from_reserve, 0);

	/*
	 * An entitled caller on an empty CPU finds the reserve slab first.
	 * It names the slab's node: the task may have moved to a CPU of
	 * another node, whose allocations do not take a remote node's
	 * partial slabs below min_partial.
	 */
	kmem_cache_shrink(s);
	b = kmem_cache_alloc_node(s, GFP_KERNEL | __GFP_MEMALLOC,
				  slab_nid(reserve));
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_slab(b), reserve);
	KUNIT_EXPECT_FALSE(test, sll_is_cpu_slab(s, reserve));

	sll_free_objs(s, obj, nr);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
}

/* Slab pages freed while the task reclaims memory are credited to it. */
static void sll_test_reclaim_credit(struct kunit *test)
{
	struct kmem_cache *s;
	struct reclaim_state rs = { };
	unsigned long pages = 0;
	void **obj;
	int i;

	s = sll_cache(test, "sll_test_reclaim", 512, 0, 0, NULL);
	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_alloc_objs(test, s, obj, SLL_TEST_NR);
	kmem_cache_shrink(s);	/* every slab is full or on a partial list */
	for (i = 0; i < SLL_TEST_NR; i++) {
		struct slab *slab = virt_to_slab(obj[i]);

		/* count each slab once: at the object that starts it */
		if (obj[i] == slab_address(slab))
			pages += 1UL << slab_order(slab);
	}

	current->reclaim_state = &rs;
	sll_free_objs(s, obj, SLL_TEST_NR);
	kmem_cache_shrink(s);
	current->reclaim_state = NULL;

	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
	/* under KASAN a quarantine drain elsewhere may free some slabs */
	if (sll_frees_prompt(test))
		KUNIT_EXPECT_EQ(test, slub_ll_reclaimed(&rs), pages);
}

/*
 * Tasks migrated between CPUs while they allocate and free, handing
 * objects to each other, as the engine in slub_ll_kunit_stress.h runs
 * them: no object may have been handed out twice or changed while
 * owned, and at the end every object is back.
 */
static void sll_test_stress_migrate(struct kunit *test)
{
	struct sll_stress *st;
	unsigned long allocs = 0, frees = 0, sent = 0, changes = 0;
	unsigned int i, c;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	st->nr = 2 * num_online_cpus() + 1;
	st->w = kunit_kcalloc(test, st->nr, sizeof(*st->w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->w);
	st->size[0] = 64;
	st->size[1] = 200;
	st->cache[0] = sll_cache(test, "sll_test_stress64", st->size[0], 0, 0,
				 NULL);
	st->cache[1] = sll_cache(test, "sll_test_stress200", st->size[1], 0,
				 0, NULL);
	KUNIT_ASSERT_EQ_MSG(test, sll_stress_run(test, st, 300 * HZ), 0,
			    "could not start %u workers", st->nr);

	for (i = 0; i < st->nr; i++) {
		allocs += st->w[i].allocs;
		frees += st->w[i].frees;
		sent += st->w[i].sent;
		changes += st->w[i].cpu_changes;
	}
	kunit_info(test,
		   "%u workers on %u CPUs: %lu allocations, %lu frees (%lu handed over), %lu affinity changes, %lu CPU changes seen, %u ms\n",
		   st->nr, num_online_cpus(), allocs, frees, sent, st->moves,
		   changes, st->ms);

	/*
	 * After an error objects were leaked on purpose: the case fails
	 * here, and its caches, which still hold them, are kept.
	 */
	KUNIT_ASSERT_EQ_MSG(test, atomic_long_read(&st->errors), 0L,
			    "first error: %s", st->msg);
	KUNIT_EXPECT_EQ(test, allocs, frees);
	KUNIT_EXPECT_GT(test, sent, 0UL);
	/*
	 * The workers really ran on more than one CPU each.  Without
	 * preemption a worker moves only where it sleeps, which a short
	 * run may never do; there the case still checks ownership.  What
	 * counts is the model the kernel runs: with PREEMPT_DYNAMIC,
	 * CONFIG_PREEMPTION is set whatever the boot chose ("preempt=").
	 */
	KUNIT_EXPECT_GT(test, st->moves, 0UL);
	if (preempt_model_preemptible())
		KUNIT_EXPECT_GT(test, changes, 0UL);
	for (c = 0; c < 2; c++) {
		/* every object came back: no slab is left in use */
		kmem_cache_shrink(st->cache[c]);
		KUNIT_EXPECT_EQ_MSG(test, sll_nr_slabs(st->cache[c]), 0UL,
				    "cache %s keeps slabs after all frees",
				    st->cache[c]->name);
	}
}

/*
 * With CONFIG_SLAB_FREELIST_HARDENED, freeing an object that heads the
 * free list it goes to is reported and ignored: the list stays sane and
 * the object is handed out once, not twice.  Under KASAN, KASAN catches
 * the double free first and fails the case by its report, so it is
 * skipped there.
 */
static void sll_test_double_free(struct kunit *test)
{
	struct kmem_cache *s;
	void *p, *a, *b;

	if (!IS_ENABLED(CONFIG_SLAB_FREELIST_HARDENED))
		kunit_skip(test, "needs CONFIG_SLAB_FREELIST_HARDENED");
	if (IS_ENABLED(CONFIG_KASAN))
		kunit_skip(test, "KASAN reports the double free itself");
	if (IS_ENABLED(CONFIG_MEM_ALLOC_PROFILING_DEBUG))
		kunit_skip(test, "the profiler's debug check warns of the double free first");
	s = sll_cache(test, "sll_test_double_free", 64, 0, 0, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kunit_info(test, "freeing %p twice: one report follows\n", p);
	kmem_cache_free(s, p);
	kmem_cache_free(s, p);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
}

/*
 * With SLAB_MERGE_DEFAULT, two caches of the same geometry are one cache
 * (KASAN keeps caches apart: its metadata is per cache).
 * configs/kunit.config turns merging on; a boot with slab_nomerge, which
 * the runners never pass, fails the case.
 */
static void sll_test_merge(struct kunit *test)
{
	struct kmem_cache *a, *b, *c;
	void *p;

	if (!IS_ENABLED(CONFIG_SLAB_MERGE_DEFAULT) || IS_ENABLED(CONFIG_KASAN))
		kunit_skip(test, "caches are not merged in this kernel");
	a = kmem_cache_create("sll_test_merge_a", 72, 0, 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	sll_cache_manage(test, a);
	b = kmem_cache_create("sll_test_merge_b", 72, 0, 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	sll_cache_manage(test, b);
	c = kmem_cache_create("sll_test_merge_c", 72, 0, SLAB_TYPESAFE_BY_RCU,
			      NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	sll_cache_manage(test, c);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_PTR_NE(test, a, c);
	KUNIT_EXPECT_GE(test, a->refcount, 2);
	sll_cache_destroy(test, b);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kmem_cache_free(a, p);
}

/*
 * Memory allocation profiling: what one call site allocates counts on
 * its tag, one call and the bytes the object takes in its slab
 * (s->size) per object, and comes off the tag when freed.  The site here
 * is the case's own tag, which only this case allocates with, and each
 * way in and out is counted: one object at a time, bulk, kmalloc() and
 * kfree().  KFENCE objects are not tagged: the case's cache skips
 * KFENCE, and a kmalloc object from KFENCE is left out of the count.
 */
#ifdef CONFIG_MEM_ALLOC_PROFILING
#define SLL_TAG_NR	64

/* The case's tag moved by @calls calls and @bytes bytes since @base. */
static void sll_tag_expect(struct kunit *test, struct alloc_tag *tag,
			   struct alloc_tag_counters *base, u64 calls,
			   u64 bytes, const char *what)
{
	struct alloc_tag_counters now = alloc_tag_read(tag);

	KUNIT_EXPECT_EQ_MSG(test, now.calls - base->calls, calls,
			    "calls %s", what);
	KUNIT_EXPECT_EQ_MSG(test, now.bytes - base->bytes, bytes,
			    "bytes %s", what);
}

static void sll_test_alloc_tag(struct kunit *test)
{
	struct alloc_tag_counters base;
	struct kmem_cache *s, *k;
	unsigned int tagged = 0;
	u64 kbytes = 0;
	void **obj;
	bool got;
	int i;
	/* last: the macro ends in a semicolon of its own */
	DEFINE_ALLOC_TAG(sll_site);

	if (!mem_alloc_profiling_enabled())
		kunit_skip(test, "memory allocation profiling is off on this boot");
	if (!sll_site.counters ||
	    (IS_ENABLED(CONFIG_ARCH_MODULE_NEEDS_WEAK_PER_CPU) &&
	     IS_MODULE(CONFIG_SLUB_LL_KUNIT_TEST)))
		kunit_skip(test, "this module's tags have no counters of their own");
	s = sll_cache(test, "sll_test_alloc_tag", 72, 0, 0, NULL);
	obj = kunit_kcalloc(test, SLL_TAG_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	base = alloc_tag_read(&sll_site);

	for (i = 0; i < SLL_TAG_NR; i++) {
		obj[i] = alloc_hooks_tag(&sll_site,
					 kmem_cache_alloc_noprof(s, GFP_KERNEL));
		KUNIT_ASSERT_NOT_NULL(test, obj[i]);
	}
	sll_tag_expect(test, &sll_site, &base, SLL_TAG_NR,
		       (u64)SLL_TAG_NR * s->size, "after the allocations");
	sll_free_objs(s, obj, SLL_TAG_NR);
	sll_tag_expect(test, &sll_site, &base, 0, 0, "after the frees");

	got = alloc_hooks_tag(&sll_site,
			      kmem_cache_alloc_bulk_noprof(s, GFP_KERNEL,
							   SLL_TAG_NR, obj));
	KUNIT_ASSERT_TRUE(test, got);
	sll_tag_expect(test, &sll_site, &base, SLL_TAG_NR,
		       (u64)SLL_TAG_NR * s->size, "after the bulk allocation");
	kmem_cache_free_bulk(s, SLL_TAG_NR, obj);
	sll_tag_expect(test, &sll_site, &base, 0, 0, "after the bulk free");

	for (i = 0; i < SLL_TAG_NR; i++) {
		obj[i] = alloc_hooks_tag(&sll_site,
					 kmalloc_noprof(100, GFP_KERNEL));
		KUNIT_ASSERT_NOT_NULL(test, obj[i]);
		if (is_kfence_address(obj[i]))
			continue;
		k = virt_to_slab(obj[i])->slab_cache;
		tagged++;
		kbytes += k->size;
	}
	sll_tag_expect(test, &sll_site, &base, tagged, kbytes,
		       "after kmalloc()");
	for (i = 0; i < SLL_TAG_NR; i++)
		kfree(obj[i]);
	sll_tag_expect(test, &sll_site, &base, 0, 0, "after kfree()");
	KUNIT_EXPECT_FALSE(test, alloc_tag_is_inaccurate(&sll_site));
}
#else
static void sll_test_alloc_tag(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_MEM_ALLOC_PROFILING");
}
#endif /* CONFIG_MEM_ALLOC_PROFILING */

/*
 * CPU partial lists: frees on CPU b to full slabs that CPU a allocated
 * from put them on a's list without list_lock; a push onto a full list
 * drains it to the node under one list_lock; a takes its next slab from
 * its list; shrink empties the lists.  The list is bounded to 4 slabs.
 */
static void sll_test_cpu_partial(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	void **obj, **more;
	int a, b, i;
	bool found = false, prompt;

	sll_need_stats(test);
	sll_two_cpus(test, &a, &b);
	prompt = sll_frees_prompt(test);
	s = sll_cache(test, "sll_test_cpu_partial", 256, 0, 0, NULL);
	KUNIT_EXPECT_GT(test, s->cpu_partial, 0U);
	slub_ll_set_cpu_partial(s, 2 * s->objects);
	/* four slabs on both lists together */
	KUNIT_ASSERT_EQ(test, s->cpu_partial_objs, 4 * s->objects);

	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	more = kunit_kcalloc(test, s->objects, sizeof(*more), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_NOT_NULL(test, more);
	sll_on_cpu(test, a, s, obj, SLL_TEST_NR, true);
	sll_whole_slabs(test, s, obj, SLL_TEST_NR, 5);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, slub_ll_slab_cpu(virt_to_slab(obj[i])),
				(unsigned int)a);

	/*
	 * Under KASAN the frees below wait in its quarantine and happen
	 * later, from wherever it drains: the lists and counts they would
	 * change are not checked, nor are the lists at rest, which such a
	 * drain may be changing.
	 */

	/* four frees on b to four full slabs of a: to a's list, no lock */
	sll_snap(s, &snap);
	sll_on_cpu(test, b, s, obj, 4, false);
	if (prompt) {
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_CPU_PARTIAL_FREE), 4UL);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_LIST_LOCK), 0UL);
		KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, a), 4UL);
		KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, b), 0UL);
		sll_check_lists(test, s);
	}

	/* the fifth: the four go to the node under one lock hold */
	sll_snap(s, &snap);
	sll_on_cpu(test, b, s, obj + 4, 1, false);
	if (prompt) {
		KUNIT_EXPECT_EQ(test,
				sll_delta(s, &snap, SLL_CPU_PARTIAL_DRAIN), 1UL);
		KUNIT_EXPECT_EQ(test, sll_delta(s, &snap, SLL_LIST_LOCK), 1UL);
		KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, a), 1UL);
		sll_check_lists(test, s);
	}

	/*
	 * a allocates a slab's worth: its active slab runs out within that,
	 * and then its list gives it the slab with the one free object.
	 */
	sll_snap(s, &snap);
	sll_on_cpu(test, a, s, more, s->objects, true);
	for (i = 0; i < s->objects; i++)
		if (more[i] == obj[4])
			found = true;
	if (prompt) {
		KUNIT_EXPECT_GE(test,
				sll_delta(s, &snap, SLL_CPU_PARTIAL_ALLOC), 1UL);
		KUNIT_EXPECT_TRUE(test, found);
		sll_check_lists(test, s);
	}

	/*
	 * All back, then shrink (which first frees what KASAN's quarantine
	 * holds of the cache): no CPU list keeps a slab.
	 */
	sll_on_cpu(test, b, s, more, s->objects, false);
	sll_free_objs(s, obj + 5, SLL_TEST_NR - 5);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
	KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, a), 0UL);
	KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, b), 0UL);
}

/*
 * While a node counts as short of pages, pushes of its slabs keep a
 * quarter of the CPU lists' bound, never less than one slab: with a
 * bound of four slabs, one.  Whether a node is short is forced here (in
 * the booted kernel a new slab that fails even at the smallest order
 * marks one), and nothing between forcing and restoring it may stop the
 * case: the counts are checked after.
 */
static void sll_test_cpu_partial_short(struct kunit *test)
{
	struct kmem_cache *s;
	struct sll_snap snap;
	unsigned long ticks, len[3], drains[2], pushes[2];
	int a, b, i;
	void **obj;

	sll_need_stats(test);
	sll_two_cpus(test, &a, &b);
	s = sll_cache(test, "sll_test_cpu_partial_short", 256, 0, 0, NULL);
	slub_ll_set_cpu_partial(s, 2 * s->objects);
	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_on_cpu(test, a, s, obj, SLL_TEST_NR, true);
	sll_whole_slabs(test, s, obj, SLL_TEST_NR, 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, slub_ll_slab_cpu(virt_to_slab(obj[i])),
				(unsigned int)a);

	/* every node short: the second push drains the first slab */
	ticks = slub_ll_set_short_ticks(ULONG_MAX);
	sll_snap(s, &snap);
	sll_on_cpu(test, b, s, obj, 1, false);
	len[0] = sll_cpu_list_len(s, a);
	sll_on_cpu(test, b, s, obj + 1, 1, false);
	len[1] = sll_cpu_list_len(s, a);
	drains[0] = sll_delta(s, &snap, SLL_CPU_PARTIAL_DRAIN);
	pushes[0] = sll_delta(s, &snap, SLL_CPU_PARTIAL_FREE);
	slub_ll_set_short_ticks(ticks);

	/* none short: the third stays beside it */
	sll_snap(s, &snap);
	sll_on_cpu(test, b, s, obj + 2, 1, false);
	len[2] = sll_cpu_list_len(s, a);
	drains[1] = sll_delta(s, &snap, SLL_CPU_PARTIAL_DRAIN);
	pushes[1] = sll_delta(s, &snap, SLL_CPU_PARTIAL_FREE);

	/* under KASAN the frees wait in its quarantine: nothing to count */
	if (sll_frees_prompt(test)) {
		KUNIT_EXPECT_EQ(test, pushes[0], 2UL);
		KUNIT_EXPECT_EQ(test, pushes[1], 1UL);
		KUNIT_EXPECT_EQ(test, len[0], 1UL);
		KUNIT_EXPECT_EQ(test, len[1], 1UL);
		KUNIT_EXPECT_EQ(test, drains[0], 1UL);
		KUNIT_EXPECT_EQ(test, len[2], 2UL);
		KUNIT_EXPECT_EQ(test, drains[1], 0UL);
		sll_check_lists(test, s);
	}
	sll_free_objs(s, obj + 3, SLL_TEST_NR - 3);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, sll_nr_slabs(s), 0UL);
}

/*
 * A node-specific allocation never takes a slab of another node from
 * the CPU partial list, and leaves that slab there.
 */
static void sll_test_cpu_partial_node(struct kunit *test)
{
	struct kmem_cache *s;
	int a, b, nr, far, near;
	void **obj, *p[1];

	sll_need_prompt_frees(test);
	sll_two_cpus(test, &a, &b);
	sll_two_nodes(test, &near, &far);
	s = sll_cache(test, "sll_test_cpu_partial_node", 128, 0, 0, NULL);

	obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	sll_on_cpu_node(test, b, s, obj, SLL_TEST_NR, true, far);
	nr = sll_one_per_full_slab(s, obj, SLL_TEST_NR, 1, false);
	KUNIT_ASSERT_EQ(test, nr, 1);
	KUNIT_ASSERT_EQ(test, slab_nid(virt_to_slab(obj[0])), far);

	/* b gets its far slab on its list, then asks for the near node */
	sll_on_cpu(test, a, s, obj, 1, false);
	KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, b), 1UL);
	sll_on_cpu_node(test, b, s, p, 1, true, near);
	KUNIT_ASSERT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_EQ(test, slab_nid(virt_to_slab(p[0])), near);
	KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, b), 1UL);
	sll_check_lists(test, s);
	kmem_cache_free(s, p[0]);
	sll_free_objs(s, obj + 1, SLL_TEST_NR - 1);
}

/*
 * A node-specific allocation takes a slab of its node from the CPU's own
 * partial list even behind a slab of another node.  CPU b fills slabs of
 * the far node, then of the near node; frees on a make one far slab and
 * then three near slabs partial, so b's list, taken in push order, has
 * the far slab first.  b then allocates for the near node exactly as many
 * objects as the near node has free (its slab's and one on each of the
 * three): not one of them may need a new slab.  On one node it skips.
 */
static void sll_test_cpu_partial_foreign_head(struct kunit *test)
{
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	unsigned long slabs, nr_free;
	void **far_obj, **near_obj, **more;
	int a, b, i, far, near;

	sll_need_prompt_frees(test);
	sll_two_cpus(test, &a, &b);
	sll_two_nodes(test, &near, &far);
	s = sll_cache(test, "sll_test_cpu_partial_foreign_head", 128, 0, 0,
		      NULL);
	slub_ll_set_cpu_partial(s, 2 * s->objects);
	/* four slabs on both lists together */
	KUNIT_ASSERT_EQ(test, s->cpu_partial_objs, 4 * s->objects);

	far_obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(void *), GFP_KERNEL);
	near_obj = kunit_kcalloc(test, SLL_TEST_NR, sizeof(void *),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, far_obj);
	KUNIT_ASSERT_NOT_NULL(test, near_obj);
	sll_on_cpu_node(test, b, s, far_obj, SLL_TEST_NR, true, far);
	sll_on_cpu_node(test, b, s, near_obj, SLL_TEST_NR, true, near);
	for (i = 0; i < SLL_TEST_NR; i++)
		KUNIT_ASSERT_EQ(test, slab_nid(virt_to_slab(near_obj[i])),
				near);
	/* the bound is in objects: four slabs only if each holds s->objects */
	if (sll_one_per_full_slab(s, far_obj, SLL_TEST_NR, 1, true) != 1) {
		sll_free_objs(s, near_obj, SLL_TEST_NR);
		sll_whole_slabs(test, s, far_obj, SLL_TEST_NR, 1);
	}
	KUNIT_ASSERT_EQ(test, slab_nid(virt_to_slab(far_obj[0])), far);
	if (sll_one_per_full_slab(s, near_obj, SLL_TEST_NR, 3, true) != 3) {
		sll_free_objs(s, far_obj, SLL_TEST_NR);
		sll_whole_slabs(test, s, near_obj, SLL_TEST_NR, 3);
	}

	/* pushed far first, then near: b takes them in that order */
	sll_on_cpu(test, a, s, far_obj, 1, false);
	sll_on_cpu(test, a, s, near_obj, 3, false);
	KUNIT_ASSERT_EQ(test, sll_cpu_list_len(s, b), 4UL);

	/* the near node's free objects: b's slab's and the three */
	n = get_node(s, near);
	slabs = atomic_long_read(&n->nr_slabs);
	nr_free = atomic_long_read(&n->total_objects) - (SLL_TEST_NR - 3);
	KUNIT_ASSERT_GE(test, nr_free, 3UL);
	more = kunit_kcalloc(test, nr_free, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, more);
	sll_on_cpu_node(test, b, s, more, nr_free, true, near);
	KUNIT_EXPECT_EQ_MSG(test, atomic_long_read(&n->nr_slabs), slabs,
			    "node %d made new slabs while its partial slabs sat on CPU %d's list behind a node %d slab",
			    near, b, far);
	KUNIT_EXPECT_EQ(test, sll_cpu_list_len(s, b), 1UL);
	sll_check_lists(test, s);

	for (i = 0; i < nr_free; i++)
		kmem_cache_free(s, more[i]);
	for (i = 3; i < SLL_TEST_NR; i++)
		kmem_cache_free(s, near_obj[i]);
	for (i = 1; i < SLL_TEST_NR; i++)
		kmem_cache_free(s, far_obj[i]);
}

#ifdef SLUB_LL_KMALLOC_NOLOCK
/*
 * kmalloc_nolock() and kfree_nolock() with interrupts off and from a hard
 * interrupt (an irq_work), where a BPF program may call them.  With
 * interrupts off only the CPU's own list can serve, so the case first
 * leaves one free object there, with preemption off so that the CPU
 * stays the same: the first allocation must then succeed (and be
 * zeroed), further ones may fail, cleanly.  In page-lock mode every
 * attempt must fail: the mode spins on page locks.
 */
#define SLL_NOLOCK_SIZE	96
#define SLL_NOLOCK_NR	4

struct sll_nolock_run {
	struct irq_work work;
	bool hardirq;
	bool free;
	void *obj[SLL_NOLOCK_NR];
};

static void sll_nolock_batch(struct sll_nolock_run *r)
{
	int i;

	for (i = 0; i < SLL_NOLOCK_NR; i++) {
		if (r->free) {
			kfree_nolock(r->obj[i]);
			r->obj[i] = NULL;
		} else {
			r->obj[i] = kmalloc_nolock(SLL_NOLOCK_SIZE, __GFP_ZERO,
						   NUMA_NO_NODE);
		}
	}
}

static void sll_nolock_irq(struct irq_work *work)
{
	struct sll_nolock_run *r = container_of(work, struct sll_nolock_run,
						work);

	r->hardirq = in_hardirq() && irqs_disabled();
	sll_nolock_batch(r);
}

/* Leave a free object on this CPU's list of the nolock size class. */
static bool sll_nolock_prime(void)
{
	void *p = kmalloc_nolock(SLL_NOLOCK_SIZE, 0, NUMA_NO_NODE);

	kfree_nolock(p);
	return p;
}

static void sll_nolock_check(struct kunit *test, struct sll_nolock_run *r,
			     bool pagelock, bool primed)
{
	int i, got = 0;

	for (i = 0; i < SLL_NOLOCK_NR; i++) {
		if (!r->obj[i])
			continue;
		got++;
		KUNIT_EXPECT_TRUE(test, mem_is_zero(r->obj[i],
						    SLL_NOLOCK_SIZE));
		KUNIT_EXPECT_EQ(test, ksize(r->obj[i]) >= SLL_NOLOCK_SIZE,
				true);
	}
	if (pagelock) {
		KUNIT_EXPECT_EQ_MSG(test, got, 0,
				    "kmalloc_nolock() served in page-lock mode");
		return;
	}
	KUNIT_EXPECT_TRUE(test, primed);
	KUNIT_EXPECT_NOT_NULL_MSG(test, r->obj[0],
				  "the object left on the CPU's list was not handed out");
}

static void sll_test_nolock(struct kunit *test)
{
	struct sll_nolock_run r = { .free = false };
	unsigned long flags;
	bool pagelock, primed;
	int i;

	/* the kmalloc caches run in the mode a new cache gets */
	pagelock = sll_cache(test, "sll_test_nolock", 32, 0, 0, NULL)->pagelock;

	/* interrupts off, in process context */
	preempt_disable();
	primed = sll_nolock_prime();
	local_irq_save(flags);
	sll_nolock_batch(&r);
	local_irq_restore(flags);
	preempt_enable();
	sll_nolock_check(test, &r, pagelock, primed);
	r.free = true;
	local_irq_save(flags);
	sll_nolock_batch(&r);
	local_irq_restore(flags);

	/* in a hard interrupt on this CPU */
	r.free = false;
	r.work = IRQ_WORK_INIT_HARD(sll_nolock_irq);
	preempt_disable();
	primed = sll_nolock_prime();
	irq_work_queue(&r.work);
	preempt_enable();
	irq_work_sync(&r.work);
	KUNIT_EXPECT_TRUE(test, r.hardirq);
	sll_nolock_check(test, &r, pagelock, primed);
	r.free = true;
	irq_work_queue(&r.work);
	irq_work_sync(&r.work);
	KUNIT_EXPECT_TRUE(test, r.hardirq);
	for (i = 0; i < SLL_NOLOCK_NR; i++)
		KUNIT_EXPECT_NULL(test, r.obj[i]);
}
#endif /* SLUB_LL_KMALLOC_NOLOCK */

static struct kunit_case sll_test_cases[] = {
	KUNIT_CASE(sll_test_alloc_free),
	KUNIT_CASE(sll_test_fast_and_slow),
	KUNIT_CASE(sll_test_remote_free),
	KUNIT_CASE(sll_test_lockless),
	KUNIT_CASE(sll_test_pagelock),
	KUNIT_CASE(sll_test_ctor),
	KUNIT_CASE(sll_test_rcu),
	KUNIT_CASE(sll_test_bulk),
	KUNIT_CASE(sll_test_shrink),
	KUNIT_CASE(sll_test_align),
	KUNIT_CASE(sll_test_kmalloc),
	KUNIT_CASE(sll_test_zero),
#ifdef CONFIG_PRINTK
	KUNIT_CASE(sll_test_obj_info),
#endif
	KUNIT_CASE(sll_test_hotplug),
	KUNIT_CASE(sll_test_stats_balance),
	KUNIT_CASE(sll_test_nofail),
	KUNIT_CASE(sll_test_pfmemalloc),
	KUNIT_CASE(sll_test_reclaim_credit),
	KUNIT_CASE(sll_test_stress_migrate),
	KUNIT_CASE(sll_test_double_free),
	KUNIT_CASE(sll_test_merge),
	KUNIT_CASE(sll_test_alloc_tag),
	KUNIT_CASE(sll_test_cpu_partial),
	KUNIT_CASE(sll_test_cpu_partial_short),
	KUNIT_CASE(sll_test_cpu_partial_node),
	KUNIT_CASE(sll_test_cpu_partial_foreign_head),
#ifdef SLUB_LL_KMALLOC_NOLOCK
	KUNIT_CASE(sll_test_nolock),
#endif
	{}
};

/*
 * A node short of pages quarters the bound of the CPU partial lists for
 * a second, and in the booted kernel any failure of the page allocator
 * may mark one: the cases that count slabs on those lists would depend
 * on what else the system does.  No node counts as short while the suite
 * runs, unless a case says so.
 */
static unsigned long sll_short_ticks;

static int sll_suite_init(struct kunit_suite *suite)
{
	sll_short_ticks = slub_ll_set_short_ticks(0);
	return 0;
}

static void sll_suite_exit(struct kunit_suite *suite)
{
	slub_ll_set_short_ticks(sll_short_ticks);
}

static struct kunit_suite sll_test_suite = {
	.name = "slub_ll",
	.suite_init = sll_suite_init,
	.suite_exit = sll_suite_exit,
	.test_cases = sll_test_cases,
};

kunit_test_suite(sll_test_suite);

/*
 * NUMA and memory hot-add.  These cases need a guest with several nodes:
 * scripts/numa.sh boots one with two nodes that have memory and a node
 * that has CPUs but no memory, and loads this file as a module before
 * and again after memory is hot-added to that node.  Each case reads the
 * node states as they are when it runs: a node with normal memory must
 * get objects from its own memory, a node without any must still get
 * objects.  On one node they skip.
 */
#define SLL_NUMA_NR	64	/* objects per node or CPU: several slabs */

static void sll_numa_need_nodes(struct kunit *test)
{
	if (num_online_nodes() < 2)
		kunit_skip(test, "needs two online nodes or more");
}

static int sll_obj_nid(const void *p)
{
	return page_to_nid(virt_to_page(p));
}

/*
 * Check where @nr objects allocated for node @nid (NUMA_NO_NODE: by the
 * CPU @cpu, a CPU of node @nid, without asking for a node) ended up.
 * Returns how many are on @nid.
 */
static int sll_numa_check(struct kunit *test, const char *what, void **obj,
			  int nr, int nid, int cpu)
{
	bool has_mem = node_state(nid, N_NORMAL_MEMORY);
	int i, here = 0;

	for (i = 0; i < nr; i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, obj[i], "%s node %d object %d",
					  what, nid, i);
		if (sll_obj_nid(obj[i]) == nid)
			here++;
	}
	if (cpu >= 0)
		kunit_info(test, "%s on CPU %d, node %d (%s memory): %d of %d objects on it\n",
			   what, cpu, nid, has_mem ? "with" : "without", here,
			   nr);
	else
		kunit_info(test, "%s node %d (%s memory): %d of %d objects on it\n",
			   what, nid, has_mem ? "with" : "without", here, nr);
	if (has_mem)
		KUNIT_EXPECT_EQ_MSG(test, here, nr,
				    "%s: node %d has memory, objects elsewhere",
				    what, nid);
	return here;
}

/*
 * kmem_cache_alloc_node() on a cache made now, for every online node:
 * the objects of a node with memory come from it and its slabs are
 * counted on it; a node without memory still gets objects.
 */
static void sll_numa_alloc_node(struct kunit *test)
{
	struct kmem_cache *s;
	void **obj;
	int nid, i;

	sll_numa_need_nodes(test);
	obj = kunit_kcalloc(test, SLL_NUMA_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	s = sll_cache(test, "sll_numa_node", 128, 0, 0, NULL);

	for_each_online_node(nid) {
		for (i = 0; i < SLL_NUMA_NR; i++)
			obj[i] = kmem_cache_alloc_node(s, GFP_KERNEL, nid);
		sll_numa_check(test, "kmem_cache_alloc_node", obj,
			       SLL_NUMA_NR, nid, -1);
		if (node_state(nid, N_NORMAL_MEMORY)) {
			struct kmem_cache_node *n = get_node(s, nid);

			KUNIT_EXPECT_NOT_NULL_MSG(test, n,
						  "node %d has memory but no list",
						  nid);
			if (n)
				KUNIT_EXPECT_GE(test,
						atomic_long_read(&n->nr_slabs),
						(long)DIV_ROUND_UP(SLL_NUMA_NR,
								   s->objects));
		}
		for (i = 0; i < SLL_NUMA_NR; i++)
			if (obj[i])
				kmem_cache_free(s, obj[i]);
	}
}

/*
 * kmalloc_node() through the kmalloc caches, which were made at boot,
 * before any memory was hot-added: they must serve a node that got its
 * memory later as well as the others.
 */
static void sll_numa_kmalloc_node(struct kunit *test)
{
	static const size_t sizes[] = { 32, 192, 1024 };
	unsigned int k;
	void **obj;
	int nid, i;

	sll_numa_need_nodes(test);
	obj = kunit_kcalloc(test, SLL_NUMA_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		for_each_online_node(nid) {
			for (i = 0; i < SLL_NUMA_NR; i++)
				obj[i] = kmalloc_node(sizes[k], GFP_KERNEL,
						      nid);
			sll_numa_check(test, "kmalloc_node", obj, SLL_NUMA_NR,
				       nid, -1);
			for (i = 0; i < SLL_NUMA_NR; i++)
				kfree(obj[i]);
		}
	}
}

/*
 * Allocations without a node, on each online CPU in turn, from a cache
 * made now.  Nothing is freed until every CPU has allocated, so no cache
 * list holds a partial slab another node could lend: each slab is new,
 * and a CPU whose node has memory gets it from there.  A CPU of a node
 * without memory still gets objects.
 */
static void sll_numa_cpu_local(struct kunit *test)
{
	struct kmem_cache *s;
	unsigned int nr_cpus = num_online_cpus();
	int cpu, n = 0, i, *cpus;
	void **obj;

	sll_numa_need_nodes(test);
	obj = kunit_kcalloc(test, nr_cpus * SLL_NUMA_NR, sizeof(*obj),
			    GFP_KERNEL);
	cpus = kunit_kcalloc(test, nr_cpus, sizeof(*cpus), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_ASSERT_NOT_NULL(test, cpus);
	s = sll_cache(test, "sll_numa_cpu", 256, 0, 0, NULL);

	/*
	 * The objects are checked after cpus_read_unlock(): a failed
	 * assertion ends the case where it is.
	 */
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (n == nr_cpus)
			break;	/* a CPU came online since the count */
		sll_on_cpu(test, cpu, s, obj + n * SLL_NUMA_NR, SLL_NUMA_NR,
			   true);
		cpus[n++] = cpu;
	}
	cpus_read_unlock();
	for (i = 0; i < n; i++)
		sll_numa_check(test, "kmem_cache_alloc",
			       obj + i * SLL_NUMA_NR, SLL_NUMA_NR,
			       cpu_to_node(cpus[i]), cpus[i]);
	for (i = 0; i < n * SLL_NUMA_NR; i++)
		if (obj[i])
			kmem_cache_free(s, obj[i]);
}

static void sll_numa_kmalloc_fn(struct work_struct *work)
{
	struct sll_remote *r = container_of(work, struct sll_remote, work);
	int i;

	r->cpu = raw_smp_processor_id();
	for (i = 0; i < r->nr; i++) {
		r->obj[i] = kmalloc(192, GFP_KERNEL);
		if (!r->obj[i])
			r->failed++;
	}
}

/*
 * kmalloc() without a node on each online CPU: the caches made at boot
 * have partial slabs on several nodes, so where an object comes from is
 * not checked, only that every CPU, one of a node whose memory arrived
 * after boot included, gets objects and can free them.
 */
static void sll_numa_kmalloc_cpu(struct kunit *test)
{
	void **obj;
	int cpu, i;

	sll_numa_need_nodes(test);
	obj = kunit_kcalloc(test, SLL_NUMA_NR, sizeof(*obj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct sll_remote r = {
			.obj = obj, .nr = SLL_NUMA_NR, .cpu = -1,
		};

		INIT_WORK_ONSTACK(&r.work, sll_numa_kmalloc_fn);
		queue_work_on(cpu, system_wq, &r.work);
		flush_work(&r.work);
		destroy_work_on_stack(&r.work);
		KUNIT_EXPECT_EQ(test, r.cpu, cpu);
		KUNIT_EXPECT_EQ(test, r.failed, 0);
		for (i = 0; i < SLL_NUMA_NR; i++)
			kfree(obj[i]);
	}
	cpus_read_unlock();
}

static struct kunit_case sll_numa_cases[] = {
	KUNIT_CASE(sll_numa_alloc_node),
	KUNIT_CASE(sll_numa_kmalloc_node),
	KUNIT_CASE(sll_numa_cpu_local),
	KUNIT_CASE(sll_numa_kmalloc_cpu),
	{}
};

static struct kunit_suite sll_numa_suite = {
	.name = "slub_ll_numa",
	.test_cases = sll_numa_cases,
};

kunit_test_suite(sll_numa_suite);

MODULE_IMPORT_NS(SLUB_LL_KUNIT_NS);
MODULE_LICENSE("GPL");
