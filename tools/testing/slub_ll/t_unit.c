// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mm/slub_ll.c through the harness, each run once with the
 * lockless slowpaths and once in page-lock mode.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tap.h"

static const char *mode;

static unsigned long stat_of(struct kmem_cache *s, const char *name)
{
	int i = sll_stat_index(name);

	if (i < 0) {
		diag("no statistic called %s", name);
		abort();
	}
	return sll_stat(s, i);
}

static unsigned long allocs(struct kmem_cache *s)
{
	return stat_of(s, "alloc_fastpath") + stat_of(s, "alloc_slowpath");
}

static unsigned long frees(struct kmem_cache *s)
{
	return stat_of(s, "free_fastpath") + stat_of(s, "free_slowpath");
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(uintptr_t *)a, y = *(uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Distinct, non-overlapping, aligned objects that keep what is written. */
static const char *check_objects(void **p, size_t n, unsigned int size,
				 unsigned int align)
{
	void **sorted = malloc(n * sizeof(*p));
	const char *err = NULL;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!p[i])
			return "allocation failed";
		if ((uintptr_t)p[i] % align)
			return "misaligned object";
		memset(p[i], (int)(i * 7 + 1), size);
	}
	for (i = 0; i < n && !err; i++)
		for (j = 0; j < size; j++)
			if (((unsigned char *)p[i])[j] != (unsigned char)(i * 7 + 1)) {
				err = "object contents changed";
				break;
			}
	memcpy(sorted, p, n * sizeof(*p));
	qsort(sorted, n, sizeof(*p), cmp_ptr);
	for (i = 1; i < n && !err; i++)
		if ((char *)sorted[i] - (char *)sorted[i - 1] < size)
			err = "objects overlap or repeat";
	free(sorted);
	return err;
}

static void test_size(unsigned int size, unsigned int align, unsigned int flags)
{
	struct kmem_cache *s = sll_cache_create("size", size, align, flags, NULL);
	unsigned int want_align = align ? align : 8;
	const char *err;
	size_t n, i;
	void **p;

	if (!ok(s, "%s: create size %u align %u", mode, size, align))
		return;
	n = 3 * sll_cache_objects(s) + 5;
	p = calloc(n, sizeof(*p));
	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	err = check_objects(p, n, size, want_align < 8 ? 8 : want_align);
	for (i = 0; i < n; i++)
		sll_free(s, p[i]);
	ok(!err, "%s: %zu objects of size %u align %u (%s)", mode, n, size,
	   align, err ? err : "distinct, aligned, intact");
	ok(sll_cache_destroy(s) == 0, "%s: size %u destroyed clean", mode, size);
	free(p);
}

static void test_sizes(void)
{
	static const unsigned int odd[] = { 1, 3, 7, 13, 24, 33, 100, 255,
					    1000, 3000, 5000, 8191 };
	unsigned int size, i;

	for (size = 8; size <= 8192; size *= 2)
		test_size(size, 0, 0);
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		test_size(odd[i], 0, 0);
	for (size = 16; size <= 4096; size *= 4)
		test_size(size * 3 / 2 + 1, size, 0);
	test_size(100, 64, 0);
	test_size(40, 0, SLL_HWCACHE_ALIGN);
}

static void test_orders(void)
{
	struct kmem_cache *a = sll_cache_create("small", 8, 0, 0, NULL);
	struct kmem_cache *b = sll_cache_create("big", 8192, 0, 0, NULL);
	struct kmem_cache *c = sll_cache_create("huge", 40000, 0, 0, NULL);

	ok(a && sll_cache_order(a) == 0 && sll_cache_objects(a) == 512,
	   "%s: 8-byte objects: order 0, 512 a slab", mode);
	ok(b && sll_cache_order(b) == 3 && sll_cache_objects(b) == 4,
	   "%s: 8192-byte objects: order 3, 4 a slab", mode);
	ok(c && sll_cache_order(c) == 4 && sll_cache_objects(c) == 1,
	   "%s: 40000-byte objects: order 4, 1 a slab", mode);
	if (c) {
		void *p = sll_alloc(c);

		ok(p && !check_objects(&p, 1, 40000, 8),
		   "%s: 40000-byte object usable", mode);
		sll_free(c, p);
	}
	ok(sll_cache_destroy(a) == 0 && sll_cache_destroy(b) == 0 &&
	   sll_cache_destroy(c) == 0, "%s: order caches destroyed", mode);
}

#define CTOR_MAGIC 0x5ca1ab1eu
struct ctor_obj {
	uint32_t magic;
	uint32_t serial;
	char data[40];
};
static unsigned long ctor_calls;

static void ctor(void *p)
{
	struct ctor_obj *o = p;

	o->magic = CTOR_MAGIC;
	o->serial = ++ctor_calls;
}

static void test_ctor(void)
{
	struct kmem_cache *s = sll_cache_create("ctor", sizeof(struct ctor_obj),
						0, 0, ctor);
	enum { N = 500 };
	struct ctor_obj *p[N];
	unsigned long calls;
	int i, bad = 0;

	ctor_calls = 0;
	for (i = 0; i < N; i++) {
		p[i] = sll_alloc(s);
		bad += p[i]->magic != CTOR_MAGIC;
	}
	ok(!bad, "%s: every object arrives constructed", mode);
	ok(ctor_calls == stat_of(s, "alloc_slab") * sll_cache_objects(s),
	   "%s: ctor ran once per object of each new slab (%lu calls)", mode,
	   ctor_calls);
	for (i = 0; i < N; i++)
		sll_free(s, p[i]);
	calls = ctor_calls;
	for (i = 0; i < N; i++) {
		p[i] = sll_alloc(s);
		bad += p[i]->magic != CTOR_MAGIC;
	}
	ok(!bad, "%s: free pointer kept out of constructed objects", mode);
	ok(ctor_calls == calls + (stat_of(s, "alloc_slab") * sll_cache_objects(s) - calls),
	   "%s: reuse does not run the ctor again", mode);
	for (i = 0; i < N; i++)
		sll_free(s, p[i]);
	ok(sll_cache_destroy(s) == 0, "%s: ctor cache destroyed clean", mode);
}

static void test_rcu(void)
{
	struct kmem_cache *s = sll_cache_create("rcu", 64, 0,
						SLL_TYPESAFE_BY_RCU, NULL);
	unsigned char *p = sll_alloc(s), *q;
	int i, kept = 1;

	memset(p, 0xab, 64);
	sll_free(s, p);
	for (i = 0; i < 64; i++)
		kept &= p[i] == 0xab;
	ok(kept, "%s: freed TYPESAFE_BY_RCU object keeps its contents", mode);
	q = sll_alloc(s);
	ok(q == p, "%s: and is handed out again first", mode);
	sll_free(s, q);
	ok(sll_cache_destroy(s) == 0, "%s: rcu cache destroyed clean", mode);
}

static void test_zero(void)
{
	struct kmem_cache *s = sll_cache_create("zero", 200, 0, 0, NULL);
	unsigned char *p;
	int round, i, zero = 1;

	for (round = 0; round < 100; round++) {
		p = sll_alloc(s);
		memset(p, 0xff, 200);
		sll_free(s, p);
		p = sll_zalloc(s);
		for (i = 0; i < 200; i++)
			zero &= p[i] == 0;
		sll_free(s, p);
	}
	ok(zero, "%s: __GFP_ZERO clears reused objects", mode);
	ok(sll_cache_destroy(s) == 0, "%s: zero cache destroyed clean", mode);
}

static void shuffle(void **p, size_t n)
{
	size_t i, j;
	void *t;

	for (i = n - 1; i > 0; i--) {
		j = rand() % (i + 1);
		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
}

static void test_bulk(void)
{
	struct kmem_cache *s = sll_cache_create("bulk", 256, 0, 0, NULL);
	enum { N = 1000 };
	void *p[N];
	unsigned long a0 = allocs(s), f0 = frees(s);
	const char *err;
	int i;

	ok(sll_alloc_bulk(s, N, p) == N, "%s: bulk alloc of %d", mode, N);
	err = check_objects(p, N, 256, 8);
	ok(!err, "%s: bulk objects %s", mode, err ? err : "distinct and intact");
	ok(allocs(s) - a0 == N, "%s: bulk alloc counted per object", mode);
	shuffle(p, N);
	sll_free_bulk(s, N, p);
	ok(frees(s) - f0 == N, "%s: shuffled bulk free counted per object",
	   mode);
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) == 0 && sll_cache_slabs(s) == 0,
	   "%s: nothing in use after bulk free and shrink", mode);

	for (i = 0; i < N; i++)
		p[i] = sll_alloc(s);
	qsort(p, N, sizeof(*p), cmp_ptr);
	sll_free_bulk(s, N, p);
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) == 0 && frees(s) - f0 == 2 * N,
	   "%s: sorted bulk free (runs per slab)", mode);
	ok(sll_cache_destroy(s) == 0, "%s: bulk cache destroyed clean", mode);
}

static void test_shrink(void)
{
	struct kmem_cache *s = sll_cache_create("shrink", 512, 0, 0, NULL);
	size_t n = 20 * sll_cache_objects(s), i;
	void **p = calloc(n, sizeof(*p));
	unsigned long pages;

	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	ok(sll_cache_slabs(s) >= 20, "%s: %lu slabs for %zu objects", mode,
	   sll_cache_slabs(s), n);
	for (i = 0; i < n; i++)
		sll_free(s, p[i]);
	ok(sll_cache_slabs(s) > 0 && sll_cache_slabs(s) < 20,
	   "%s: emptied slabs freed beyond min_partial (%lu kept)", mode,
	   sll_cache_slabs(s));
	pages = sll_cache_shrink(s);
	ok(pages > 0 && sll_cache_slabs(s) == 0,
	   "%s: shrink returned %lu pages, no slab left", mode, pages);
	ok(stat_of(s, "alloc_slab") == stat_of(s, "free_slab"),
	   "%s: every slab allocated was freed", mode);
	ok(sll_cache_destroy(s) == 0, "%s: shrink cache destroyed clean", mode);
	free(p);
}

static void test_leak(void)
{
	struct kmem_cache *s = sll_cache_create("leak", 32, 0, 0, NULL);
	void *p[10];
	int i;

	for (i = 0; i < 10; i++)
		p[i] = sll_alloc(s);
	for (i = 0; i < 7; i++)
		sll_free(s, p[i]);
	ok(sll_cache_destroy(s) == 3, "%s: destroy reports 3 leaked objects",
	   mode);
	for (i = 7; i < 10; i++)
		sll_free(s, p[i]);
	ok(sll_cache_destroy(s) == 0, "%s: destroy after freeing them", mode);
}

static void test_stats(void)
{
	struct kmem_cache *s = sll_cache_create("stats", 96, 0, 0, NULL);
	enum { N = 4096 };
	void **live = calloc(N, sizeof(*live));
	size_t nlive = 0, i;
	int op;

	srand(42);
	for (op = 0; op < 200000; op++) {
		if (nlive < N && (nlive == 0 || rand() % 100 < 55)) {
			live[nlive++] = sll_alloc(s);
		} else {
			i = rand() % nlive;
			sll_free(s, live[i]);
			live[i] = live[--nlive];
		}
	}
	ok(allocs(s) - frees(s) == nlive,
	   "%s: allocs - frees = %zu objects in use", mode, nlive);
	ok(stat_of(s, "alloc_slab") - stat_of(s, "free_slab") ==
	   sll_cache_slabs(s), "%s: alloc_slab - free_slab = slabs held", mode);
	ok(stat_of(s, "cmpxchg_double_fail") == 0 &&
	   stat_of(s, "cmpxchg_double_cpu_fail") == 0,
	   "%s: no compare-exchange fails with one thread", mode);
	if (sll_cache_pagelock(s))
		ok(stat_of(s, "pagelock_taken") > 0,
		   "%s: slowpaths took the page lock", mode);
	else
		ok(stat_of(s, "pagelock_taken") == 0,
		   "%s: slowpaths never took the page lock", mode);
	ok(stat_of(s, "free_slowpath") > 0 && stat_of(s, "alloc_slowpath") > 0,
	   "%s: slowpaths ran", mode);
	diag("%s: alloc fast/slow %lu/%lu, free fast/slow %lu/%lu", mode,
	     stat_of(s, "alloc_fastpath"), stat_of(s, "alloc_slowpath"),
	     stat_of(s, "free_fastpath"), stat_of(s, "free_slowpath"));
	ok(stat_of(s, "alloc_fastpath") > 0 && stat_of(s, "free_fastpath") > 0,
	   "%s: fastpaths ran", mode);
	for (i = 0; i < nlive; i++)
		sll_free(s, live[i]);
	ok(allocs(s) == frees(s), "%s: allocs = frees when all are back", mode);
	ok(sll_cache_destroy(s) == 0, "%s: stats cache destroyed clean", mode);
	free(live);
}

struct remote {
	struct kmem_cache *s;
	void **p;
	size_t n, keep;
	unsigned int cpu;
};

/* On another CPU: allocate n objects, free all but the first keep. */
static void *remote_alloc(void *arg)
{
	struct remote *r = arg;
	size_t i;

	sll_bind_cpu(r->cpu);
	for (i = 0; i < r->n; i++)
		r->p[i] = sll_alloc(r->s);
	for (i = r->keep; i < r->n; i++)
		sll_free(r->s, r->p[i]);
	return NULL;
}

static void run_remote(struct remote *r)
{
	pthread_t t;

	pthread_create(&t, NULL, remote_alloc, r);
	pthread_join(t, NULL);
}

/* The node-list protocol: a cache whose CPUs keep no partial slabs. */
static void test_cross_cpu(void)
{
	struct kmem_cache *s = sll_cache_create("cross", 128, 0, 0, NULL);
	struct remote r = { .s = s, .cpu = 1 };
	unsigned long slow, frozen, addp;
	size_t i;

	sll_set_cpu_partial(s, 0);
	r.n = r.keep = 10 * sll_cache_objects(s);
	r.p = calloc(r.n, sizeof(void *));
	run_remote(&r);
	slow = stat_of(s, "free_slowpath");
	frozen = stat_of(s, "free_frozen");
	addp = stat_of(s, "free_add_partial");
	for (i = 0; i < r.n; i++)
		sll_free(s, r.p[i]);
	ok(stat_of(s, "free_slowpath") - slow == r.n,
	   "%s: frees from CPU 0 to CPU 1's slabs all take the slowpath", mode);
	ok(stat_of(s, "free_frozen") > frozen,
	   "%s: frees to the slab CPU 1 holds (free_frozen)", mode);
	ok(stat_of(s, "free_add_partial") - addp >= 9,
	   "%s: full slabs went back to the partial list", mode);
	ok(stat_of(s, "free_slab") > 0, "%s: emptied slabs were freed", mode);
	ok(sll_cache_slabs(s) < 10, "%s: %lu slabs kept", mode,
	   sll_cache_slabs(s));
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) == 0 && sll_cache_slabs(s) == 0,
	   "%s: nothing in use, no slab after shrink", mode);
	ok(sll_cache_destroy(s) == 0, "%s: cross cache destroyed clean", mode);
	free(r.p);
}

/*
 * list_lock without CPU partial lists: fastpath traffic never takes it;
 * the first object freed back to a full slab from another CPU takes it
 * once (full -> partial), the next one, which leaves the slab partial,
 * does not.
 */
static void test_list_lock(void)
{
	struct kmem_cache *s = sll_cache_create("listlock", 128, 0, 0, NULL);
	struct remote r = { .s = s, .cpu = 1 };
	unsigned long locks, addp, fast;
	void *p;
	size_t i;
	int k;

	sll_set_cpu_partial(s, 0);
	p = sll_alloc(s);
	locks = stat_of(s, "list_lock");
	fast = stat_of(s, "alloc_fastpath");
	for (k = 0; k < 1000; k++)
		sll_free(s, sll_alloc(s));
	ok(stat_of(s, "alloc_fastpath") == fast + 1000 &&
	   stat_of(s, "list_lock") == locks,
	   "%s: 1000 fastpath alloc+free pairs took no list_lock", mode);
	sll_free(s, p);

	/* CPU 1 fills its first slab and moves on: that slab is full. */
	r.n = sll_cache_objects(s) + 1;
	r.keep = r.n;
	r.p = calloc(r.n, sizeof(void *));
	run_remote(&r);
	locks = stat_of(s, "list_lock");
	addp = stat_of(s, "free_add_partial");
	sll_free(s, r.p[0]);
	ok(stat_of(s, "free_add_partial") == addp + 1 &&
	   stat_of(s, "list_lock") == locks + 1,
	   "%s: remote free to a full slab took list_lock once", mode);
	sll_free(s, r.p[1]);
	ok(stat_of(s, "list_lock") == locks + 1,
	   "%s: remote free to a partial slab took no list_lock", mode);
	for (i = 2; i < r.n; i++)
		sll_free(s, r.p[i]);
	ok(sll_cache_destroy(s) == 0, "%s: listlock cache destroyed clean",
	   mode);
	free(r.p);
}

struct remote_free {
	struct kmem_cache *s;
	void **p;
	size_t n, step;
	unsigned int cpu;
};

/* On another CPU: free p[0], p[step], p[2 * step], ... (n objects). */
static void *remote_free(void *arg)
{
	struct remote_free *f = arg;
	size_t i;

	sll_bind_cpu(f->cpu);
	for (i = 0; i < f->n; i++)
		sll_free(f->s, f->p[i * f->step]);
	return NULL;
}

static void free_on(unsigned int cpu, struct kmem_cache *s, void **p,
		    size_t n, size_t step)
{
	struct remote_free f = { .s = s, .p = p, .n = n, .step = step,
				 .cpu = cpu };
	pthread_t t;

	pthread_create(&t, NULL, remote_free, &f);
	pthread_join(t, NULL);
}

static bool lists_ok(struct kmem_cache *s)
{
	char why[200] = "";

	if (sll_check_lists(s, why, sizeof(why)) == 0)
		return true;
	diag("%s: %s", mode, why);
	return false;
}

/*
 * The page allocator gives pages again, and a second passes: no node
 * counts as short of pages any more, so the next test has the CPU lists'
 * whole bound.
 */
static void pages_back(void)
{
	sll_pages_fail_from(-1);
	sll_tick(sll_hz());
}

#define STAT_DIFF(s, name, before) (stat_of(s, name) - (before)[sll_stat_index(name)])

/* On @cpu: allocate @n objects into @p[], keeping them all. */
static void alloc_on(unsigned int cpu, struct kmem_cache *s, void **p,
		     size_t n)
{
	struct remote r = { .s = s, .p = p, .n = n, .keep = n, .cpu = cpu };

	run_remote(&r);
}

/* The own list's growths a pushed pair's second word counts (its high half). */
static unsigned long cp_growths(unsigned long stamp)
{
	return stamp >> (sizeof(long) * 4);
}

/*
 * CPU partial lists.  CPU 1 fills slabs and keeps every object, so they
 * are full; single frees from CPU 0 (this thread) make them partial and
 * put them on the list of CPU 1, which allocated from them.  The list of
 * a CPU is bounded to 4 slabs here.
 */
static void test_cpu_partial(void)
{
	struct kmem_cache *s = sll_cache_create("cpupartial", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	size_t n = 8 * objs + 1, i;
	unsigned long st[64], grown;
	void **p, **q, *more[2];

	p = calloc(n, sizeof(void *));
	q = calloc(4 * objs, sizeof(void *));
	ok(sll_cpu_partial(s) > 0, "%s: CPU partial lists on by default (%u objects)",
	   mode, sll_cpu_partial(s));
	sll_set_cpu_partial(s, 2 * objs);
	alloc_on(1, s, p, n);	/* slabs 0..7 full, slab 8 is CPU 1's */

	/* four frees on CPU 0 to four full slabs: to CPU 1's list, no lock */
	sll_stats(s, st);
	for (i = 0; i < 4; i++)
		sll_free(s, p[i * objs]);
	ok(STAT_DIFF(s, "cpu_partial_free", st) == 4 &&
	   STAT_DIFF(s, "list_lock", st) == 0 &&
	   sll_cpu_partial_slabs(s, 1) == 4 && sll_cpu_partial_slabs(s, 0) == 0,
	   "%s: 4 full slabs made partial on CPU 0 go to the list of CPU 1, their owner, no list_lock",
	   mode);
	ok(lists_ok(s), "%s: slabs accounted for after the pushes", mode);

	/* a fifth: the full list goes to the node in one lock hold */
	sll_stats(s, st);
	sll_free(s, p[4 * objs]);
	ok(STAT_DIFF(s, "cpu_partial_drain", st) == 1 &&
	   STAT_DIFF(s, "list_lock", st) == 1 &&
	   sll_cpu_partial_slabs(s, 1) == 1,
	   "%s: overflow drains the 4 slabs with one list_lock, the fifth stays",
	   mode);
	ok(lists_ok(s), "%s: slabs accounted for after the drain", mode);

	/*
	 * CPU 1 uses up its active slab, then takes the slab from its list
	 * (one free object, the one freed above), no lock.
	 */
	sll_stats(s, st);
	alloc_on(1, s, q, objs);
	ok(q[objs - 1] == p[4 * objs] &&
	   STAT_DIFF(s, "cpu_partial_alloc", st) == 1 &&
	   STAT_DIFF(s, "list_lock", st) == 0,
	   "%s: the alloc slowpath takes its CPU's partial slab, no list_lock",
	   mode);

	/* then the node: one lock hold freezes one slab and lists two more */
	sll_stats(s, st);
	grown = cp_growths(sll_cpu_partial_stamp(s, 1));
	alloc_on(1, s, more, 1);
	ok(STAT_DIFF(s, "cpu_partial_node", st) == 2 &&
	   STAT_DIFF(s, "list_lock", st) == 1 &&
	   sll_cpu_partial_slabs(s, 1) == 2,
	   "%s: refill from the node moves 2 more slabs to the CPU list, one list_lock",
	   mode);
	grown = cp_growths(sll_cpu_partial_stamp(s, 1)) - grown;
	ok(grown == 1,
	   "%s: the refill grows the own list once for its 2 slabs (%lu growths)",
	   mode, grown);
	ok(lists_ok(s), "%s: slabs accounted for after the refill", mode);
	alloc_on(1, s, more + 1, 1);
	ok(STAT_DIFF(s, "cpu_partial_alloc", st) == 1 &&
	   STAT_DIFF(s, "list_lock", st) == 1,
	   "%s: the next slab comes from the CPU list again", mode);

	/* CPU 0 makes slabs 5..7 partial: CPU 1's list; then CPU 1 dies */
	for (i = 5; i < 8; i++)
		sll_free(s, p[i * objs]);
	ok(sll_cpu_partial_slabs(s, 1) >= 3, "%s: CPU 1 keeps the slabs freed to (%lu)",
	   mode, sll_cpu_partial_slabs(s, 1));
	sll_stats(s, st);
	sll_cpu_dead(1);
	ok(sll_cpu_partial_slabs(s, 1) == 0 &&
	   STAT_DIFF(s, "cpu_partial_drain", st) == 1,
	   "%s: a dead CPU's partial list is drained", mode);
	ok(lists_ok(s), "%s: slabs accounted for after the CPU died", mode);

	/* a list filled again, then turned off: every list drained */
	free_on(2, s, q, 1, 1);
	sll_set_cpu_partial(s, 0);
	ok(sll_cpu_partial_slabs(s, 0) == 0 && sll_cpu_partial_slabs(s, 1) == 0 &&
	   sll_cpu_partial_slabs(s, 2) == 0 && lists_ok(s),
	   "%s: cpu_partial 0 drains every list", mode);

	/* everything back; the CPU lists may hold empty slabs until shrink */
	sll_set_cpu_partial(s, 2 * objs);
	sll_free(s, more[0]);
	sll_free(s, more[1]);
	for (i = 1; i < objs; i++)
		sll_free(s, q[i]);
	for (i = 0; i < n; i++)
		if ((i > 7 * objs || i % objs) && i != 4 * objs)
			sll_free(s, p[i]);
	ok(lists_ok(s), "%s: all objects back, slabs accounted for", mode);
	sll_cache_shrink(s);
	ok(sll_cache_slabs(s) == 0 && sll_objects_in_use(s) == 0 &&
	   sll_cpu_partial_slabs(s, 1) == 0,
	   "%s: shrink empties the CPU lists and gives every slab back", mode);
	ok(sll_cache_destroy(s) == 0, "%s: cpupartial cache destroyed clean",
	   mode);
	free(q);
	free(p);
}

/* ---- CPU partial lists: nodes, hotplug, cpu_partial 0, counts ---- */

struct remote_node {
	struct kmem_cache *s;
	void **p;
	size_t n;
	int node;
	unsigned int cpu;
};

static void *remote_alloc_node(void *arg)
{
	struct remote_node *r = arg;
	size_t i;

	sll_bind_cpu(r->cpu);
	for (i = 0; i < r->n; i++)
		r->p[i] = sll_alloc_node(r->s, r->node);
	return NULL;
}

/* On @cpu: allocate @n objects of node @node into @p[], keeping them. */
static void alloc_node_on(unsigned int cpu, struct kmem_cache *s, void **p,
			  size_t n, int node)
{
	struct remote_node r = { .s = s, .p = p, .n = n, .node = node,
				 .cpu = cpu };
	pthread_t t;

	pthread_create(&t, NULL, remote_alloc_node, &r);
	pthread_join(t, NULL);
}

static unsigned long all_cpu_partial_slabs(struct kmem_cache *s)
{
	unsigned long nr = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < sll_nr_cpus(); cpu++)
		nr += sll_cpu_partial_slabs(s, cpu);
	return nr;
}

/*
 * A node-specific allocation takes a slab of its node from the CPU's own
 * list even behind a slab of another node.  CPU 1 fills two slabs of node
 * 1, then four of node 0 and keeps a fifth as its slab; CPU 0 frees one
 * object of a node-1 slab first, then one of three node-0 slabs: CPU 1's
 * list, taken in push order, starts with the node-1 slab.  Node-0
 * allocations on CPU 1 that use up its slab and then need three objects
 * more must find them on the list, not in a new slab.
 */
static void test_cpu_partial_node_walk(void)
{
	struct kmem_cache *s = sll_cache_create("cpnode", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	void **far, **near, **more;
	unsigned long slabs0;
	unsigned long st[64];
	size_t i;

	far = calloc(2 * objs, sizeof(void *));
	near = calloc(5 * objs, sizeof(void *));
	more = calloc(objs + 2, sizeof(void *));
	sll_set_cpu_partial(s, 2 * objs);	/* 4 slabs */
	alloc_node_on(1, s, far, 2 * objs, 1);
	alloc_node_on(1, s, near, 4 * objs + 1, 0);
	sll_free(s, far[0]);
	for (i = 0; i < 3; i++)
		sll_free(s, near[i * objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 4 && lists_ok(s),
	   "%s: node-1 slab pushed first, then three node-0 slabs", mode);

	slabs0 = sll_node_slabs(s, 0);
	sll_stats(s, st);
	alloc_node_on(1, s, more, objs - 1 + 3, 0);
	ok(sll_node_slabs(s, 0) == slabs0 &&
	   STAT_DIFF(s, "cpu_partial_alloc", st) == 3,
	   "%s: node-0 allocations take the node-0 slabs behind a node-1 head (%lu new slabs, %lu from the list)",
	   mode, sll_node_slabs(s, 0) - slabs0,
	   STAT_DIFF(s, "cpu_partial_alloc", st));
	ok(sll_cpu_partial_slabs(s, 1) == 1 && lists_ok(s),
	   "%s: the node-1 slab stays on the list", mode);

	for (i = 0; i < objs + 2; i++)
		sll_free(s, more[i]);
	for (i = 1; i < 2 * objs; i++)
		sll_free(s, far[i]);
	for (i = 0; i < 4 * objs + 1; i++)
		if (i % objs || i >= 3 * objs)
			sll_free(s, near[i]);
	sll_cache_shrink(s);
	ok(sll_cache_slabs(s) == 0 && lists_ok(s),
	   "%s: cpnode: every slab back", mode);
	ok(sll_cache_destroy(s) == 0, "%s: cpnode cache destroyed clean",
	   mode);
	free(more);
	free(near);
	free(far);
}

/*
 * A full slab whose owner, CPU 1, is offline: the free that makes it
 * partial pushes it on the freeing CPU's list, not on the dead one's.
 */
static void test_push_offline(void)
{
	struct kmem_cache *s = sll_cache_create("pushoff", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	void **p = calloc(objs + 1, sizeof(void *));
	size_t i;

	alloc_on(1, s, p, objs + 1);	/* slab of p[0] full, owner 1 */
	sll_set_cpu_online(1, false);
	sll_cpu_dead(1);
	sll_free(s, p[0]);
	ok(sll_cpu_partial_slabs(s, 1) == 0 &&
	   sll_cpu_partial_slabs(s, 0) == 1 && lists_ok(s),
	   "%s: a free for an offline owner pushes on the freeing CPU's list (CPU 1 %lu, CPU 0 %lu)",
	   mode, sll_cpu_partial_slabs(s, 1), sll_cpu_partial_slabs(s, 0));
	sll_set_cpu_online(1, true);
	for (i = 1; i < objs + 1; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: pushoff cache destroyed clean",
	   mode);
	free(p);
}

/*
 * The owner goes offline and is torn down while a free pushes its slab:
 * the harness takes it down at the first point after the free's online
 * check where stop_machine() could run.  With the push's check and
 * compare-exchange in one preempt-disabled section that is after the
 * push, so the teardown finds the slab; the dead CPU's lists end empty.
 */
static void test_push_races_offline(void)
{
	struct kmem_cache *s = sll_cache_create("pushrace", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	void **p = calloc(objs + 1, sizeof(void *));
	size_t i;

	alloc_on(1, s, p, objs + 1);
	sll_offline_after_check(1);
	sll_free(s, p[0]);
	ok(sll_offline_pending() == -1 && !sll_cpu_online_now(1),
	   "%s: CPU 1 went offline during the free", mode);
	sll_offline_after_check(-1);
	ok(sll_cpu_partial_slabs(s, 1) == 0 && lists_ok(s),
	   "%s: no slab left on the list of CPU 1, torn down during the push (%lu)",
	   mode, sll_cpu_partial_slabs(s, 1));
	sll_set_cpu_online(1, true);
	for (i = 1; i < objs + 1; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: pushrace cache destroyed clean",
	   mode);
	free(p);
}

struct store_zero {
	struct kmem_cache *s;
	pthread_t t;
	bool started;
	int done;
};

static void *store_zero_fn(void *arg)
{
	struct store_zero *z = arg;

	sll_bind_cpu(3);
	sll_set_cpu_partial(z->s, 0);
	__atomic_store_n(&z->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * At the push's online check: cpu_partial 0 written from CPU 3.  This
 * thread goes on once the write has returned or waits for this CPU.
 */
static void start_store_zero(void *arg)
{
	struct store_zero *z = arg;

	z->started = true;
	pthread_create(&z->t, NULL, store_zero_fn, z);
	while (!__atomic_load_n(&z->done, __ATOMIC_SEQ_CST) &&
	       sll_rcu_waits_for() != sll_current_cpu())
		sched_yield();
}

/*
 * cpu_partial 0 written while a free is between reading the old bound
 * and its push: once the write returns, no CPU list may hold a slab.
 */
static void test_cpu_partial_off_inflight(void)
{
	struct kmem_cache *s = sll_cache_create("offflight", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	void **p = calloc(objs + 1, sizeof(void *));
	struct store_zero z = { .s = s };
	size_t i;

	alloc_on(1, s, p, objs + 1);
	sll_at_online_check(start_store_zero, &z);
	sll_free(s, p[0]);
	if (z.started)
		pthread_join(z.t, NULL);
	else
		sll_at_online_check(NULL, NULL);
	ok(z.done && sll_cpu_partial(s) == 0 &&
	   all_cpu_partial_slabs(s) == 0 && lists_ok(s),
	   "%s: after cpu_partial 0 returns, no CPU list holds a slab, an in-flight push included (%lu)",
	   mode, all_cpu_partial_slabs(s));
	for (i = 1; i < objs + 1; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: offflight cache destroyed clean",
	   mode);
	free(p);
}

/*
 * sysfs cpu_slabs counts CPU partial slabs, of every possible CPU: an
 * offline CPU keeps its lists until its teardown.
 */
static void test_cpu_slabs_count(void)
{
	struct kmem_cache *s = sll_cache_create("cpuslabs", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	void **p = calloc(2 * objs + 1, sizeof(void *));
	size_t i;

	alloc_on(1, s, p, 2 * objs + 1);	/* 2 full, CPU 1's slab */
	sll_free(s, p[0]);
	sll_free(s, p[objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 2 && sll_cpu_slabs(s, 0) == 3,
	   "%s: cpu_slabs counts CPU 1's slab and its 2 partial slabs (%lu)",
	   mode, sll_cpu_slabs(s, 0));
	sll_set_cpu_online(1, false);
	ok(sll_cpu_slabs(s, 0) == 3,
	   "%s: and still while CPU 1 is offline, before its teardown (%lu)",
	   mode, sll_cpu_slabs(s, 0));
	sll_cpu_dead(1);
	ok(sll_cpu_slabs(s, 0) == 0, "%s: none after the teardown (%lu)",
	   mode, sll_cpu_slabs(s, 0));
	sll_set_cpu_online(1, true);
	for (i = 0; i < 2 * objs + 1; i++)
		if (i != 0 && i != objs)
			sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: cpuslabs cache destroyed clean",
	   mode);
	free(p);
}

/*
 * Draining a long CPU list drops list_lock (and so enables interrupts)
 * every 32 slabs rather than holding it for the whole list.
 */
static void test_drain_batches(void)
{
	struct kmem_cache *s = sll_cache_create("batches", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	size_t n = 100 * objs + 1, i;
	void **p = calloc(n, sizeof(void *));
	unsigned long st[64];

	sll_set_cpu_partial(s, 100 * objs);	/* 200 slabs */
	alloc_on(1, s, p, n);
	for (i = 0; i < 100; i++)
		sll_free(s, p[i * objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 100, "%s: 100 slabs on CPU 1's list",
	   mode);
	sll_stats(s, st);
	sll_cpu_dead(1);
	/* one more for the slab CPU 1 allocated from, which goes partial */
	ok(sll_cpu_partial_slabs(s, 1) == 0 &&
	   STAT_DIFF(s, "list_lock", st) == 4 + 1,
	   "%s: 100 slabs drained in 4 holds of list_lock (%lu with CPU 1's slab)",
	   mode,
	   STAT_DIFF(s, "list_lock", st));
	for (i = 0; i < n; i++)
		if (i % objs || i >= 100 * objs)
			sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: batches cache destroyed clean",
	   mode);
	free(p);
}

/*
 * cpu_partial below half a slab still lets a CPU keep one slab: a free
 * that makes a full slab partial freezes it, and unfreezing it again at
 * once, because the bound cannot hold it, would cost a list_lock a push.
 */
static void test_cpu_partial_small(void)
{
	struct kmem_cache *s = sll_cache_create("cpsmall", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	size_t n = 2 * objs + 1, i;
	void **p = calloc(n, sizeof(void *));
	unsigned long st[64];

	sll_set_cpu_partial(s, 1);
	alloc_on(1, s, p, n);	/* slabs 0 and 1 full, slab 2 is CPU 1's */
	sll_stats(s, st);
	sll_free(s, p[0]);
	ok(sll_cpu_partial_slabs(s, 1) == 1 &&
	   STAT_DIFF(s, "cpu_partial_drain", st) == 0 &&
	   STAT_DIFF(s, "unfreeze", st) == 0 &&
	   STAT_DIFF(s, "list_lock", st) == 0,
	   "%s: cpu_partial 1: the first slab made partial stays on its owner's list (%lu slabs, %lu drains)",
	   mode, sll_cpu_partial_slabs(s, 1),
	   STAT_DIFF(s, "cpu_partial_drain", st));
	sll_free(s, p[objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 1 &&
	   STAT_DIFF(s, "cpu_partial_drain", st) == 1,
	   "%s: cpu_partial 1: the second drains the first, one slab stays",
	   mode);
	ok(lists_ok(s), "%s: slabs accounted for with one slab's bound", mode);
	for (i = 0; i < n; i++)
		if (i != 0 && i != objs)
			sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: cpsmall cache destroyed clean",
	   mode);
	free(p);
}

/*
 * Taking a slab off the own list, which a CPU does once for each slab it
 * allocates from, changes nothing that pushes compare: the pair of the
 * pushed list stays as it was, whatever the own list weighed.  CPU 1's
 * three slabs are pushed back to it; it takes them onto its own list with
 * the first, and the next two come off that list.
 */
static void test_cpu_partial_pop_quiet(void)
{
	struct kmem_cache *s = sll_cache_create("cppop", 128, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	size_t n = 3 * objs + 1, i;
	void **p = calloc(n, sizeof(void *));
	void **q = calloc(objs + 2, sizeof(void *));
	unsigned long stamp, st[64];

	sll_set_cpu_partial(s, 2 * objs);	/* 4 slabs */
	alloc_on(1, s, p, n);	/* slabs 0..2 full, slab 3 is CPU 1's */
	for (i = 0; i < 3; i++)
		sll_free(s, p[i * objs]);
	/* slab 3 used up, then slab 0 from the list: slabs 1, 2 stay there */
	alloc_on(1, s, q, objs);
	stamp = sll_cpu_partial_stamp(s, 1);
	ok(sll_cpu_partial_slabs(s, 1) == 2 && lists_ok(s),
	   "%s: the pushed slabs taken onto CPU 1's own list, one in use", mode);
	sll_stats(s, st);
	alloc_on(1, s, q + objs, 2);
	ok(STAT_DIFF(s, "cpu_partial_alloc", st) == 2 &&
	   sll_cpu_partial_slabs(s, 1) == 0 &&
	   sll_cpu_partial_stamp(s, 1) == stamp && lists_ok(s),
	   "%s: two slabs off the own list, the pushed pair untouched (%#lx, was %#lx)",
	   mode, sll_cpu_partial_stamp(s, 1), stamp);
	for (i = 0; i < objs + 2; i++)
		sll_free(s, q[i]);
	for (i = 0; i < n; i++)
		if (i % objs || i >= 3 * objs)
			sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: cppop cache destroyed clean", mode);
	free(q);
	free(p);
}

/*
 * sysfs counts a pushed list's slabs from its weight: exact for slabs of
 * the preferred order, short for those of the fallback order, never over.
 * The tests count the lists themselves.
 */
static void test_cpu_partial_count_fallback(void)
{
	struct kmem_cache *s = sll_cache_create("cpcount", 1024, 0, 0, NULL);
	unsigned int small = sll_cache_min_objects(s);
	size_t n = 2 * small + 1, i;
	void **p = calloc(n, sizeof(void *));

	sll_pages_fail_from(sll_cache_order(s));
	alloc_on(1, s, p, n);	/* two fallback slabs full, a third CPU 1's */
	pages_back();
	sll_free(s, p[0]);
	sll_free(s, p[small]);
	ok(sll_cpu_partial_slabs(s, 1) == 2 && lists_ok(s),
	   "%s: two fallback slabs on CPU 1's pushed list", mode);
	ok(sll_cpu_partial_slabs_shown(s, 1) >= 1 &&
	   sll_cpu_partial_slabs_shown(s, 1) <= 2 &&
	   sll_cpu_slabs(s, 0) == 1 + sll_cpu_partial_slabs_shown(s, 1),
	   "%s: sysfs shows %lu of them, an estimate from their weight (%u objects each, %u in a slab of the preferred order)",
	   mode, sll_cpu_partial_slabs_shown(s, 1), small,
	   sll_cache_objects(s));
	for (i = 0; i < n; i++)
		if (i != 0 && i != small)
			sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: cpcount cache destroyed clean",
	   mode);
	free(p);
}

/*
 * A node whose page allocator could not give a new slab even at the
 * smallest order counts as short of pages for a second: pushes of its
 * slabs keep a quarter of the bound (here one slab), those of another
 * node's slabs the whole bound (four), and a second later the mark has
 * expired without any allocation succeeding in between.  A slab that had
 * to fall back to the smallest order (fragmentation, not a shortage)
 * marks nothing.
 */
static void test_cpu_partial_short(void)
{
	struct kmem_cache *s = sll_cache_create("cpshort", 1024, 0, 0, NULL);
	unsigned int objs = sll_cache_objects(s);
	size_t n = 8 * objs + 1, i;
	void **p = calloc(n, sizeof(void *)), *far, *none;
	unsigned long st[64];

	sll_set_cpu_partial(s, 2 * objs);	/* 4 slabs */
	alloc_on(1, s, p, n);	/* slabs 0..7 full, slab 8 is CPU 1's */
	ok(sll_cache_order(s) > 0 && !sll_node_short(0) && !sll_node_short(1),
	   "%s: no node short of pages before a failure", mode);

	/* a new slab of node 1 falls back to the smallest order */
	sll_pages_fail_from(sll_cache_order(s));
	far = sll_alloc_node(s, 1);
	ok(far && !sll_node_short(1) && !sll_node_short(0),
	   "%s: a fallback slab of node 1 marks no node short", mode);

	/* then node 1 has no pages at all (CPU 2 has no slab of it) */
	sll_pages_fail_from(0);
	alloc_node_on(2, s, &none, 1, 1);
	ok(!none && sll_node_short(1) && !sll_node_short(0),
	   "%s: no slab of node 1 at all marks node 1 short, not node 0",
	   mode);
	sll_stats(s, st);
	for (i = 0; i < 4; i++)
		sll_free(s, p[i * objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 4 &&
	   STAT_DIFF(s, "cpu_partial_drain", st) == 0,
	   "%s: node 0's slabs keep the whole bound (%lu slabs on CPU 1's lists)",
	   mode, sll_cpu_partial_slabs(s, 1));

	/* now node 0 runs short too: a push drains down to one slab */
	alloc_node_on(2, s, &none, 1, 0);
	ok(!none && sll_node_short(0), "%s: node 0 short after its failure",
	   mode);
	sll_stats(s, st);
	sll_free(s, p[4 * objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 1 &&
	   STAT_DIFF(s, "cpu_partial_drain", st) == 1,
	   "%s: while node 0 is short its slabs keep a quarter of the bound (%lu slabs)",
	   mode, sll_cpu_partial_slabs(s, 1));
	ok(lists_ok(s), "%s: slabs accounted for under the short bound", mode);

	/* a second later, with the page allocator still failing */
	sll_tick(sll_hz());
	ok(!sll_node_short(0) && !sll_node_short(1),
	   "%s: the marks expire after a second by themselves", mode);
	sll_stats(s, st);
	for (i = 5; i < 8; i++)
		sll_free(s, p[i * objs]);
	ok(sll_cpu_partial_slabs(s, 1) == 4 &&
	   STAT_DIFF(s, "cpu_partial_drain", st) == 0,
	   "%s: then the whole bound again (%lu slabs)", mode,
	   sll_cpu_partial_slabs(s, 1));
	pages_back();
	sll_free(s, far);
	for (i = 0; i < n; i++)
		if (i % objs || i >= 8 * objs)
			sll_free(s, p[i]);
	ok(lists_ok(s), "%s: all objects back, slabs accounted for", mode);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: cpshort cache destroyed clean",
	   mode);
	free(p);
}
/* ---- end of CPU partial lists: nodes, hotplug, cpu_partial 0, counts ---- */

static void test_cpu_dead(void)
{
	struct kmem_cache *s = sll_cache_create("hotplug", 64, 0, 0, NULL);
	struct remote r = { .s = s, .cpu = 2, .n = 100, .keep = 50 };
	unsigned long flush;
	size_t i;

	r.p = calloc(r.n, sizeof(void *));
	run_remote(&r);
	flush = stat_of(s, "cpuslab_flush");
	sll_cpu_dead(2);
	ok(stat_of(s, "cpuslab_flush") == flush + 1,
	   "%s: dead CPU's slab flushed", mode);
	ok(sll_objects_in_use(s) == 50,
	   "%s: its free objects went back to the slab", mode);
	for (i = 0; i < r.keep; i++)
		sll_free(s, r.p[i]);
	sll_cache_shrink(s);
	ok(sll_cache_slabs(s) == 0, "%s: all slabs returned after hotplug",
	   mode);
	ok(sll_cache_destroy(s) == 0, "%s: hotplug cache destroyed clean", mode);
	free(r.p);
}

static void test_object_info(void)
{
	struct kmem_cache *s = sll_cache_create("info", 128, 0, 0, NULL);
	char *p = sll_alloc(s);

	ok(sll_usercopy_ok(p, 128) && sll_usercopy_ok(p + 100, 28),
	   "%s: usercopy inside one object allowed", mode);
	ok(!sll_usercopy_ok(p + 100, 29) && !sll_usercopy_ok(p, 129),
	   "%s: usercopy across objects refused", mode);
	ok(sll_obj_start(p + 77) == p, "%s: object info finds the start", mode);
	sll_free(s, p);
	ok(sll_cache_destroy(s) == 0, "%s: info cache destroyed clean", mode);
}

static void test_cpu_aba(void)
{
	struct kmem_cache *s = sll_cache_create("aba", 32, 0, 0, NULL);

	int r = sll_check_cpu_aba(s);

	ok(r == 1, "%s: stale CPU pair with the same list head is refused (tid)",
	   mode);
	if (r == 0) {
		/* the CPU list is now corrupt: nothing after this is valid */
		printf("Bail out! CPU pair accepted a stale update\n");
		exit(1);
	}
	ok(sll_cache_destroy(s) == 0, "%s: aba cache destroyed clean", mode);
}

static void test_alloc_node(void)
{
	struct kmem_cache *s = sll_cache_create("node", 128, 0, 0, NULL);
	enum { N = 1000 };
	void *p[N];
	int i, got = 0;

	for (i = 0; i < N; i++) {
		/* node 0 exists; node 3 has no memory and must fall back */
		p[i] = sll_alloc_node(s, i % 2 ? 3 : 0);
		got += !!p[i];
	}
	ok(got == N && !check_objects(p, N, 128, 8),
	   "%s: node-specific allocations, existing and memoryless node", mode);
	ok(sll_cache_slabs(s) <= (N + sll_cache_objects(s) - 1) /
	   sll_cache_objects(s) + 1,
	   "%s: a memoryless node does not cost a slab per object (%lu slabs)",
	   mode, sll_cache_slabs(s));
	for (i = 0; i < N; i++)
		sll_free(s, p[i]);
	ok(sll_cache_destroy(s) == 0, "%s: node cache destroyed clean", mode);
}

/*
 * Slab pages: the preferred order is tried without retrying, warning,
 * reserves or __GFP_NOFAIL; when it fails, the smallest order is asked
 * for with the caller's own flags.
 */
static void test_order_fallback(void)
{
	struct kmem_cache *s = sll_cache_create("fallback", 1024, 0, 0, NULL);
	struct sll_page_call call[SLL_PAGE_CALLS];
	unsigned int n, small = sll_cache_min_objects(s);
	enum { N = 40 };
	void *p[N];
	int i;

	ok(sll_cache_order(s) > 0 && small < sll_cache_objects(s),
	   "%s: 1024-byte cache prefers order %u (%u objects), falls back to %u objects",
	   mode, sll_cache_order(s), sll_cache_objects(s), small);
	sll_pages_fail_from(1);
	sll_page_calls_reset();
	p[0] = sll_alloc_gfp(s, SLL_GFP_NOFAIL);
	n = sll_page_calls(call, SLL_PAGE_CALLS);
	ok(p[0] && n == 2, "%s: NOFAIL allocation served after %u page requests",
	   mode, n);
	ok(n == 2 && call[0].order == sll_cache_order(s) && !call[0].ok &&
	   call[0].noretry && call[0].nowarn && !call[0].nofail &&
	   !call[0].reserves_ok,
	   "%s: preferred order asked opportunistically", mode);
	ok(n == 2 && call[1].order == 0 && call[1].ok && call[1].nofail &&
	   !call[1].noretry && !call[1].nowarn,
	   "%s: smallest order asked with the caller's flags", mode);
	for (i = 1; i < N; i++)
		p[i] = sll_alloc(s);
	ok(!check_objects(p, N, 1024, 8) &&
	   sll_cache_slabs(s) >= (N + small - 1) / small,
	   "%s: %d objects in %lu small slabs", mode, N, sll_cache_slabs(s));
	pages_back();
	for (i = 0; i < N; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) == 0 && sll_cache_slabs(s) == 0,
	   "%s: small slabs counted and given back", mode);
	ok(sll_cache_destroy(s) == 0, "%s: fallback cache destroyed clean",
	   mode);
}

/* Out of pages: NULL, and one report unless the caller said NOWARN. */
static void test_out_of_pages(void)
{
	struct kmem_cache *s = sll_cache_create("oom", 256, 0, 0, NULL);
	unsigned long reports = sll_oom_reports();
	void *p, *q;

	sll_pages_fail_from(0);
	p = sll_alloc_gfp(s, SLL_GFP_NOWARN);
	ok(!p && sll_oom_reports() == reports,
	   "%s: failed NOWARN allocation is silent", mode);
	q = sll_alloc(s);
	ok(!q && sll_oom_reports() == reports + 1,
	   "%s: failed allocation is reported", mode);
	pages_back();
	ok(sll_cache_destroy(s) == 0, "%s: oom cache destroyed clean", mode);
}

/* The page allocator runs with interrupts as the caller had them. */
static void test_page_alloc_irqs(void)
{
	struct kmem_cache *s = sll_cache_create("irqs", 128, 0, 0, NULL);
	struct sll_page_call call[SLL_PAGE_CALLS];
	unsigned int n, i, off = 0;
	void *p, *q;

	sll_page_calls_reset();
	p = sll_alloc_gfp(s, SLL_GFP_ATOMIC);
	q = sll_alloc(s);
	n = sll_page_calls(call, SLL_PAGE_CALLS);
	for (i = 0; i < n && i < SLL_PAGE_CALLS; i++)
		off += call[i].irqs_off;
	ok(p && q && n > 0 && off == 0,
	   "%s: %u page requests, %u with interrupts off", mode, n, off);
	sll_free(s, p);
	sll_free(s, q);
	ok(sll_cache_destroy(s) == 0, "%s: irqs cache destroyed clean", mode);
}

/* Flags a slab must not pass on to the page allocator are dropped. */
static void test_bad_gfp(void)
{
	struct kmem_cache *s = sll_cache_create("badgfp", 64, 0, 0, NULL);
	unsigned long fixes = sll_gfp_fixes();
	void *p = sll_alloc_gfp(s, SLL_GFP_HIGHMEM);

	ok(p && sll_gfp_fixes() == fixes + 1,
	   "%s: __GFP_HIGHMEM dropped for the slab's pages", mode);
	sll_free(s, p);
	ok(sll_cache_destroy(s) == 0, "%s: badgfp cache destroyed clean",
	   mode);
}

/*
 * A slab made of reserve pages serves only callers entitled to them: the
 * entitled caller gets one object, the rest waits on the partial list
 * for entitled callers only.
 */
static void test_pfmemalloc(void)
{
	struct kmem_cache *s = sll_cache_create("pfmemalloc", 64, 0, 0, NULL);
	enum { N = 200 };
	void *res, *res2, *p[N];
	int i, bad = 0;

	sll_pages_reserve(true);
	res = sll_alloc_gfp(s, SLL_GFP_MEMALLOC | SLL_GFP_ATOMIC);
	sll_pages_reserve(false);
	ok(res && sll_obj_pfmemalloc(res),
	   "%s: slab from the reserves is marked", mode);
	for (i = 0; i < N; i++) {
		p[i] = sll_alloc(s);
		bad += !p[i] || sll_obj_pfmemalloc(p[i]);
	}
	ok(bad == 0, "%s: no reserve object for %d ordinary allocations",
	   mode, N);
	res2 = sll_alloc_gfp(s, SLL_GFP_MEMALLOC | SLL_GFP_ATOMIC);
	ok(res2 && !check_objects((void *[]){ res, res2 }, 2, 64, 8),
	   "%s: entitled caller served again", mode);
	for (i = 0; i < N; i++)
		sll_free(s, p[i]);
	sll_free(s, res);
	sll_free(s, res2);
	sll_cache_shrink(s);
	ok(sll_cache_slabs(s) == 0, "%s: reserve slab given back", mode);
	ok(sll_cache_destroy(s) == 0, "%s: pfmemalloc cache destroyed clean",
	   mode);
}

/* Slab pages freed by a reclaiming task are credited to it. */
static void test_reclaim_credit(void)
{
	struct kmem_cache *s = sll_cache_create("reclaim", 512, 0, 0, NULL);
	size_t n = 10 * sll_cache_objects(s), i;
	void **p = calloc(n, sizeof(*p));
	unsigned long before, credited;

	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	before = sll_pages_in_use();
	sll_reclaim_begin();
	for (i = 0; i < n; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	credited = sll_reclaim_end();
	ok(credited > 0 && credited == before - sll_pages_in_use(),
	   "%s: %lu pages freed, %lu credited to reclaim", mode,
	   before - sll_pages_in_use(), credited);
	ok(sll_cache_destroy(s) == 0, "%s: reclaim cache destroyed clean",
	   mode);
	free(p);
}

/* Caches asking for merging share one cache; each user destroys it once. */
static void test_merge(void)
{
	struct kmem_cache *a = sll_cache_create("m1", 40, 0, SLL_MERGE, NULL);
	struct kmem_cache *b = sll_cache_create("m2", 40, 0, SLL_MERGE, NULL);
	struct kmem_cache *c = sll_cache_create("m3", 40, 0, 0, NULL);
	struct kmem_cache *d = sll_cache_create("m4", 200, 0, SLL_MERGE, NULL);
	void *p;

	ok(a && b == a, "%s: same geometry merged", mode);
	ok(c && c != a && d && d != a, "%s: no merging unasked or in another size",
	   mode);
	ok(sll_cache_destroy(b) == 0, "%s: alias destroyed", mode);
	p = sll_alloc(a);
	ok(p && !check_objects(&p, 1, 40, 8), "%s: merged cache lives on", mode);
	sll_free(a, p);
	ok(sll_cache_destroy(a) == 0 && sll_cache_destroy(c) == 0 &&
	   sll_cache_destroy(d) == 0, "%s: merged caches destroyed clean", mode);
}

/*
 * The objects of a new slab come in address order, or, with
 * CONFIG_SLAB_FREELIST_RANDOM, in a shuffled order -- also in a slab of
 * the fallback order, which holds fewer objects than the sequence.
 */
static void test_object_order(void)
{
	struct kmem_cache *s = sll_cache_create("order", 512, 0, 0, NULL);
	unsigned int n = sll_cache_objects(s), m = sll_cache_min_objects(s), i;
	void **p = calloc(n, sizeof(*p));
	unsigned int rising = 0;

	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	for (i = 1; i < n; i++)
		rising += (char *)p[i] > (char *)p[i - 1];
	ok(!check_objects(p, n, 512, 8), "%s: %u objects of a new slab", mode,
	   n);
	ok(sll_random_order() ? rising < n - 1 : rising == n - 1,
	   "%s: a new slab's objects in %s order (%u of %u steps rising)",
	   mode, sll_random_order() ? "random" : "address", rising, n - 1);
	for (i = 0; i < n; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);

	/* a slab of the fallback order */
	sll_pages_fail_from(sll_cache_order(s));
	for (i = 0; i < m; i++)
		p[i] = sll_alloc(s);
	pages_back();
	ok(m < n && !check_objects(p, m, 512, 8),
	   "%s: %u objects of a fallback slab", mode, m);
	for (i = 0; i < m; i++)
		sll_free(s, p[i]);
	ok(sll_cache_destroy(s) == 0, "%s: order cache destroyed clean", mode);
	free(p);
}

/*
 * CONFIG_SLAB_FREELIST_HARDENED: free pointers are not stored plain, an
 * immediate double free is reported and ignored (on the fastpath and on
 * the slowpath), and a free pointer overwritten after the free is reported
 * and never followed (the cache is left with the cut objects in use).
 */
static void test_hardened(void)
{
	struct kmem_cache *s = sll_cache_create("hard", 64, 0, 0, NULL);
	unsigned int n = sll_cache_objects(s), i;
	void **p = calloc(n + 1, sizeof(*p));
	unsigned long dumps;
	void *a, *b, *x, *y;

	a = sll_alloc(s);
	b = sll_alloc(s);
	sll_free(s, b);
	sll_free(s, a);
	ok(sll_stored_freepointer(s, a) != (unsigned long)b,
	   "%s: free pointer not stored plain", mode);

	a = sll_alloc(s);
	sll_free(s, a);
	dumps = sll_stack_dumps();
	sll_free(s, a);
	x = sll_alloc(s);
	y = sll_alloc(s);
	ok(sll_stack_dumps() == dumps + 1 && x != y,
	   "%s: double free on the fastpath reported and ignored", mode);
	sll_free(s, x);
	sll_free(s, y);

	/* a slab the CPU has let go of: frees take the slowpath */
	for (i = 0; i <= n; i++)
		p[i] = sll_alloc(s);
	sll_free(s, p[0]);
	dumps = sll_stack_dumps();
	sll_free(s, p[0]);
	ok(sll_stack_dumps() == dumps + 1,
	   "%s: double free on the slowpath reported and ignored", mode);
	for (i = 1; i <= n; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) == 0, "%s: nothing in use after the double frees",
	   mode);

	/* a use after free overwrites the free pointer of a listed object */
	a = sll_alloc(s);
	b = sll_alloc(s);
	sll_free(s, b);
	sll_free(s, a);
	sll_store_freepointer(s, a, 0x4141414141414141ul);
	dumps = sll_stack_dumps();
	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	ok(sll_stack_dumps() == dumps + 1 && !check_objects(p, n, 64, 8),
	   "%s: corrupted free pointer reported, never followed", mode);
	for (i = 0; i < n; i++)
		sll_free(s, p[i]);
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) > 0,
	   "%s: the cut list stays in use (%lu objects), not reused", mode,
	   sll_objects_in_use(s));
	free(p);
}

/*
 * The hooks of the common code: every freed object passes the memcg and
 * KASAN free hooks once, bulk frees included; objects KASAN keeps in its
 * quarantine are not handed out again until they come back through
 * ___cache_free().
 */
static void test_hooks(void)
{
	struct kmem_cache *s = sll_cache_create("hooks", 96, 0, 0, NULL);
	unsigned int n = 3 * sll_cache_objects(s), i, j, reused = 0;
	void **p = calloc(n, sizeof(*p)), **q = calloc(n, sizeof(*q));
	unsigned long memcg0, kasan0, memcg1, kasan1;

	sll_hook_counts(&memcg0, &kasan0);
	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	for (i = 0; i < n / 2; i++)
		sll_free(s, p[i]);
	sll_free_bulk(s, n - n / 2, p + n / 2);
	sll_hook_counts(&memcg1, &kasan1);
	ok(memcg1 - memcg0 == n && kasan1 - kasan0 == n,
	   "%s: %u frees, memcg hook %lu, KASAN hook %lu", mode, n,
	   memcg1 - memcg0, kasan1 - kasan0);

	sll_quarantine(true);
	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	for (i = 0; i < n / 2; i++)
		sll_free(s, p[i]);
	sll_free_bulk(s, n - n / 2, p + n / 2);
	ok(sll_objects_in_use(s) == n, "%s: quarantined objects stay in use",
	   mode);
	for (i = 0; i < n; i++)
		q[i] = sll_alloc(s);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			reused += q[i] == p[j];
	ok(reused == 0 && !check_objects(q, n, 96, 8),
	   "%s: nothing handed out while quarantined", mode);
	ok(sll_quarantine_release() == n, "%s: %u objects leave the quarantine",
	   mode, n);
	sll_quarantine(false);
	sll_free_bulk(s, n, q);
	sll_cache_shrink(s);
	ok(sll_objects_in_use(s) == 0 && sll_cache_destroy(s) == 0,
	   "%s: hooks cache destroyed clean", mode);
	free(p);
	free(q);
}

/* obj_to_index() and nearest_obj(), which memcg and KASAN reports use. */
static void test_obj_index(void)
{
	struct kmem_cache *s = sll_cache_create("index", 200, 0, 0, NULL);
	unsigned int n = sll_cache_objects(s), i, bad = 0;
	void **p = calloc(n, sizeof(*p));
	char *base;

	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	base = p[0];
	for (i = 1; i < n; i++)
		if ((char *)p[i] < base)
			base = p[i];
	for (i = 0; i < n; i++) {
		unsigned int idx = ((char *)p[i] - base) / sll_cache_size(s);

		bad += sll_obj_to_index(s, p[i]) != idx;
		bad += sll_nearest_obj(s, (char *)p[i] + 150) != p[i];
	}
	ok(bad == 0, "%s: object index and nearest object of %u objects", mode,
	   n);
	for (i = 0; i < n; i++)
		sll_free(s, p[i]);
	sll_cache_destroy(s);
	free(p);
}

/* ---- page requests, init_on_free, KFENCE, boot parameters ---- */

/*
 * The preferred order is asked for without reclaim of any kind (neither
 * direct reclaim nor a kswapd wake-up for an order the cache does not
 * need); the smallest order gets the caller's flags back.  A cache whose
 * preferred order is its smallest asks once, with the caller's flags.
 */
static void test_order_gfp(void)
{
	struct kmem_cache *big = sll_cache_create("gfp-big", 1024, 0, 0, NULL);
	struct kmem_cache *atomic = sll_cache_create("gfp-atomic", 1024, 0, 0,
						     NULL);
	struct kmem_cache *one = sll_cache_create("gfp-one", 64, 0, 0, NULL);
	struct sll_page_call call[SLL_PAGE_CALLS];
	unsigned int n;
	void *p, *q, *r;

	sll_pages_fail_from(1);
	sll_page_calls_reset();
	p = sll_alloc(big);
	n = sll_page_calls(call, SLL_PAGE_CALLS);
	ok(p && n == 2 && call[0].order == sll_cache_order(big) &&
	   !call[0].direct_reclaim && !call[0].kswapd && call[0].noretry &&
	   call[0].nowarn && !call[0].reserves_ok && !call[0].nofail,
	   "%s: GFP_KERNEL: order %u asked without reclaim or kswapd (%u requests)",
	   mode, sll_cache_order(big), n);
	ok(n == 2 && call[1].order == 0 && call[1].direct_reclaim &&
	   call[1].kswapd && !call[1].noretry && !call[1].nowarn,
	   "%s: GFP_KERNEL: the smallest order with the caller's reclaim",
	   mode);

	sll_page_calls_reset();
	q = sll_alloc_gfp(atomic, SLL_GFP_ATOMIC);
	n = sll_page_calls(call, SLL_PAGE_CALLS);
	ok(q && n == 2 && !call[0].kswapd && !call[0].direct_reclaim &&
	   call[1].kswapd && !call[1].direct_reclaim,
	   "%s: GFP_ATOMIC: kswapd woken for the smallest order only", mode);
	pages_back();

	ok(sll_cache_order(one) == 0 && sll_cache_min_objects(one) ==
	   sll_cache_objects(one), "%s: 64-byte cache has one order", mode);
	sll_page_calls_reset();
	r = sll_alloc(one);
	n = sll_page_calls(call, SLL_PAGE_CALLS);
	ok(r && n == 1 && call[0].direct_reclaim && call[0].kswapd &&
	   !call[0].noretry && !call[0].nowarn,
	   "%s: a single-order cache asks once, with the caller's flags",
	   mode);
	sll_free(big, p);
	sll_free(atomic, q);
	sll_free(one, r);
	ok(sll_cache_destroy(big) == 0 && sll_cache_destroy(atomic) == 0 &&
	   sll_cache_destroy(one) == 0,
	   "%s: gfp caches destroyed clean", mode);
}

/* Bytes [from, to) of @p all zero. */
static bool zeroed(const void *p, unsigned int from, unsigned int to)
{
	const unsigned char *b = p;

	for (; from < to; from++)
		if (b[from])
			return false;
	return true;
}

/*
 * init_on_free and KFENCE: a KFENCE object is only as long as was asked
 * for, and may end right at KFENCE's guard page (a kmalloc(73) from a
 * 96-byte cache); KFENCE wipes it itself.  The free paths hand it over
 * unwritten, alone or within a bulk free, and still wipe the others.
 */
static void test_kfence_free(void)
{
	struct kmem_cache *s = sll_cache_create("kfence-96", 96, 0, 0, NULL);
	unsigned long frees;
	void *p, *q[3];

	sll_set_init_on(false, true);
	p = sll_kfence_object(s, 73);
	frees = sll_kfence_frees();
	sll_free(s, p);
	ok(sll_kfence_frees() == frees + 1 && sll_kfence_freed_untouched() &&
	   sll_kfence_canary_ok(),
	   "%s: init_on_free: a KFENCE object goes to KFENCE unwritten, its guard intact",
	   mode);

	q[0] = sll_alloc(s);
	q[1] = sll_kfence_object(s, 73);
	q[2] = sll_alloc(s);
	memset(q[0], 0x11, 96);
	memset(q[2], 0x22, 96);
	frees = sll_kfence_frees();
	sll_free_bulk(s, 3, q);
	ok(sll_kfence_frees() == frees + 1 && sll_kfence_freed_untouched() &&
	   sll_kfence_canary_ok(),
	   "%s: init_on_free: bulk free hands its KFENCE object over unwritten",
	   mode);
	/* word 0 holds the free pointer now */
	ok(zeroed(q[0], 8, 96) && zeroed(q[2], 8, 96),
	   "%s: init_on_free: the other objects of the bulk free are wiped",
	   mode);
	sll_set_init_on(false, false);
	ok(sll_cache_destroy(s) == 0, "%s: kfence-96 cache destroyed clean",
	   mode);
}

/*
 * The alloc side: KFENCE zeroes its object itself when init_on_alloc or
 * __GFP_ZERO want it, of the size asked for; the allocator must not
 * clear the cache's object size over it.  A bulk allocation asks KFENCE
 * for whole objects, which may be cleared whole.
 */
static void test_kfence_alloc(void)
{
	struct kmem_cache *s = sll_cache_create("kfence-a96", 96, 0, 0, NULL);
	void *p, *q[3];
	int i, kf = 0;

	sll_kfence_next(s);
	p = sll_kmalloc(s, 73, true);
	ok(sll_is_kfence(p) && zeroed(p, 0, 73) && sll_kfence_canary_ok(),
	   "%s: __GFP_ZERO: a 73-byte KFENCE object zeroed, its guard intact",
	   mode);
	sll_free(s, p);

	sll_set_init_on(true, false);
	sll_kfence_next(s);
	p = sll_kmalloc(s, 73, false);
	ok(sll_is_kfence(p) && zeroed(p, 0, 73) && sll_kfence_canary_ok(),
	   "%s: init_on_alloc: a 73-byte KFENCE object zeroed, its guard intact",
	   mode);
	sll_free(s, p);

	sll_kfence_next(s);
	ok(sll_alloc_bulk(s, 3, q) == 3, "%s: bulk allocation with KFENCE",
	   mode);
	for (i = 0; i < 3; i++)
		kf += sll_is_kfence(q[i]) && zeroed(q[i], 0, 96);
	ok(kf == 1 && sll_kfence_canary_ok(),
	   "%s: init_on_alloc: bulk gets one whole KFENCE object, zeroed",
	   mode);
	sll_free_bulk(s, 3, q);
	sll_set_init_on(false, false);
	ok(sll_cache_destroy(s) == 0, "%s: kfence-a96 cache destroyed clean",
	   mode);
}

/*
 * init_on_free without init_on_alloc: a freed object is wiped, but the
 * free pointer stored in it while it was free must not be handed out
 * with it -- on the fastpath, the slowpath (a new slab's objects carry
 * their links) and in bulk.  Caches whose objects keep their contents
 * while free (constructor, SLAB_TYPESAFE_BY_RCU) keep the free pointer
 * behind the object and are not wiped: their contents stay.
 */
static void test_init_free_freeptr(unsigned int size)
{
	struct kmem_cache *s = sll_cache_create("init-free", size, 0, 0, NULL);
	unsigned int n = sll_cache_objects(s) + 2, i, bad = 0;
	void **p = calloc(n, sizeof(*p));
	void *a, *b, *x;

	sll_set_init_on(false, true);
	a = sll_alloc(s);
	b = sll_alloc(s);
	memset(a, 0x44, size);
	memset(b, 0x44, size);
	sll_free(s, b);
	sll_free(s, a);		/* a's free pointer leads to b */
	x = sll_alloc(s);
	ok(x == a && zeroed(x, 0, size),
	   "%s: init_on_free, %u bytes: reused object all zero, free pointer too",
	   mode, size);
	sll_free(s, x);

	for (i = 0; i < n; i++)
		p[i] = sll_alloc(s);
	for (i = 0; i < n; i++)
		bad += !p[i] || sll_stored_freepointer(s, p[i]) != 0;
	ok(bad == 0, "%s: init_on_free, %u bytes: %u objects of new slabs without free pointer",
	   mode, size, n);
	sll_free_bulk(s, n, p);
	ok(sll_alloc_bulk(s, n, p) == (int)n, "%s: bulk allocation", mode);
	for (bad = 0, i = 0; i < n; i++)
		bad += sll_stored_freepointer(s, p[i]) != 0;
	ok(bad == 0, "%s: init_on_free, %u bytes: %u objects of a bulk allocation without free pointer",
	   mode, size, n);
	sll_free_bulk(s, n, p);
	sll_set_init_on(false, false);
	sll_cache_shrink(s);
	ok(sll_cache_destroy(s) == 0, "%s: init-free cache destroyed clean",
	   mode);
	free(p);
}

static void test_init_free_kept(unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *s = sll_cache_create("init-free-kept", 64, 0, flags,
						ctor);
	void *a, *b, *x;
	unsigned int i, same = 0;

	sll_set_init_on(false, true);
	a = sll_alloc(s);
	b = sll_alloc(s);
	memset(a, 0x55, 64);
	sll_free(s, b);
	sll_free(s, a);
	x = sll_alloc(s);
	for (i = 0; i < 64; i++)
		same += ((unsigned char *)x)[i] == 0x55;
	ok(x == a && same == 64,
	   "%s: init_on_free, %s cache: contents kept, free pointer outside",
	   mode, ctor ? "constructor" : "RCU");
	sll_free(s, x);
	sll_set_init_on(false, false);
	ok(sll_cache_destroy(s) == 0, "%s: init-free-kept cache destroyed clean",
	   mode);
}

/* init_on_alloc alone: every object handed out is zero. */
static void test_init_alloc(void)
{
	struct kmem_cache *s = sll_cache_create("init-alloc", 64, 0, 0, NULL);
	void *a, *x;

	sll_set_init_on(true, false);
	a = sll_alloc(s);
	memset(a, 0x66, 64);
	sll_free(s, a);
	x = sll_alloc(s);
	ok(x == a && zeroed(x, 0, 64),
	   "%s: init_on_alloc: reused object all zero", mode);
	sll_free(s, x);
	sll_set_init_on(false, false);
	ok(sll_cache_destroy(s) == 0, "%s: init-alloc cache destroyed clean",
	   mode);
}

static void nop_ctor(void *p)
{
}

/* Order of a fresh cache of @size bytes, and its smallest order's count. */
static unsigned int order_of(unsigned int size, unsigned int *objects,
			     unsigned int *min_objects)
{
	struct kmem_cache *s = sll_cache_create("param", size, 0, 0, NULL);
	unsigned int order = sll_cache_order(s);

	if (objects)
		*objects = sll_cache_objects(s);
	if (min_objects)
		*min_objects = sll_cache_min_objects(s);
	sll_cache_destroy(s);
	return order;
}

/*
 * SLUB's order parameters with SLUB's meaning; the defaults leave the
 * orders as they were.  A bad value is said and changes nothing.
 */
static void test_order_params(void)
{
	unsigned int def = order_of(1024, NULL, NULL), objs, min_objs;
	unsigned long w;

	ok(def == 3 && order_of(64, NULL, NULL) == 0 &&
	   order_of(5000, NULL, NULL) == 3,
	   "%s: default orders: 1024 bytes %u, 64 bytes 0, 5000 bytes 3",
	   mode, def);

	ok(sll_boot_param("slub_max_order", "0") == 0 &&
	   order_of(1024, &objs, &min_objs) == 0 && objs == 4 &&
	   min_objs == objs,
	   "%s: slub_max_order=0: 1024-byte objects in order-0 slabs",
	   mode);
	ok(order_of(5000, NULL, NULL) == 1,
	   "%s: slub_max_order=0: a 5000-byte object still gets order 1",
	   mode);
	ok(sll_boot_param("slub_max_order", "4") == 0 &&
	   sll_boot_param("slub_min_objects", "64") == 0 &&
	   order_of(1024, &objs, NULL) == 4 && objs == 64,
	   "%s: slub_min_objects=64 slub_max_order=4: 64 objects of 1024 bytes, order 4",
	   mode);
	ok(sll_boot_param("slub_max_order", "3") == 0 &&
	   order_of(1024, &objs, NULL) == 3 && objs == 32,
	   "%s: slub_max_order=3 caps slub_min_objects=64 (32 objects)",
	   mode);
	ok(sll_boot_param("slub_min_objects", "4") == 0 &&
	   order_of(1024, &objs, NULL) == 0 && objs == 4,
	   "%s: slub_min_objects=4: order 0 for 1024 bytes", mode);
	ok(sll_boot_param("slub_min_objects", "0") == 0 &&
	   order_of(1024, NULL, NULL) == def,
	   "%s: slub_min_objects=0: the default again", mode);

	ok(sll_boot_param("slub_min_order", "2") == 0 &&
	   order_of(64, &objs, &min_objs) == 2 && min_objs == objs,
	   "%s: slub_min_order=2: 64-byte objects in order-2 slabs only",
	   mode);
	ok(sll_boot_param("slub_max_order", "1") == 0 &&
	   order_of(64, NULL, NULL) == 2,
	   "%s: slub_min_order=2 wins over slub_max_order=1", mode);
	ok(sll_boot_param("slub_max_order", "3") == 0 &&
	   sll_boot_param("slub_min_order", "0") == 0 &&
	   order_of(64, NULL, NULL) == 0 && order_of(1024, NULL, NULL) == def,
	   "%s: defaults restored", mode);

	w = sll_warn_messages();
	ok(sll_boot_param("slub_max_order", "11") != 0 &&
	   sll_boot_param("slub_min_order", "x") != 0 &&
	   sll_warn_messages() == w + 2 &&
	   strstr(sll_last_warn_message(), "slub_min_order") &&
	   order_of(1024, NULL, NULL) == def,
	   "%s: bad values said and ignored", mode);
	ok(sll_boot_param("slub_no_such_thing", "1") == -1,
	   "%s: no handler for an unknown parameter", mode);

	/* the names SLUB has had since Linux 6.8 set the same */
	ok(sll_boot_param("slab_min_objects", "4") == 0 &&
	   order_of(1024, &objs, NULL) == 0 && objs == 4 &&
	   sll_boot_param("slab_max_order", "1") == 0 &&
	   sll_boot_param("slab_min_order", "2") == 0 &&
	   order_of(64, NULL, NULL) == 2,
	   "%s: slab_min_objects, slab_max_order, slab_min_order as slub_*",
	   mode);
	w = sll_warn_messages();
	ok(sll_boot_param("slab_min_order", "x") != 0 &&
	   sll_warn_messages() == w + 1 &&
	   strstr(sll_last_warn_message(), "slab_min_order"),
	   "%s: a bad slab_min_order is said under its own name", mode);
	ok(sll_boot_param("slab_min_objects", "0") == 0 &&
	   sll_boot_param("slab_max_order", "3") == 0 &&
	   sll_boot_param("slab_min_order", "0") == 0 &&
	   order_of(1024, NULL, NULL) == def,
	   "%s: defaults restored through slab_*", mode);
}

/* slub_debug is said to be ignored, with what to use instead. */
static void test_slub_debug_param(void)
{
	unsigned long w = sll_warn_messages();

	ok(sll_boot_param("slub_debug", "FZPU") == 0 &&
	   sll_warn_messages() == w + 1 &&
	   strstr(sll_last_warn_message(), "slub_debug=FZPU") &&
	   strstr(sll_last_warn_message(), "KASAN"),
	   "%s: slub_debug=FZPU said, with what to use instead", mode);
	ok(sll_boot_param("slub_debug", NULL) == 0 &&
	   sll_warn_messages() == w + 2 &&
	   strstr(sll_last_warn_message(), "slub_debug ignored"),
	   "%s: bare slub_debug said too", mode);
	ok(sll_boot_param("slab_debug", "FZ") == 0 &&
	   sll_warn_messages() == w + 3 &&
	   strstr(sll_last_warn_message(), "slab_debug=FZ ignored"),
	   "%s: slab_debug=FZ (SLUB's name since 6.8) said too", mode);
}

/*
 * A cache asking for SLUB's debugging flags gets one warning naming the
 * flags and the cache, created or merged, and the flags are dropped:
 * init_on_free, which skips SLAB_POISON caches, wipes its objects.
 */
static void test_debug_flags(void)
{
	unsigned long w = sll_warn_messages();
	struct kmem_cache *s, *m1, *m2;
	const char *msg;
	void *a, *x;

	s = sll_cache_create("dbg-cache", 64, 0, SLL_POISON | SLL_RED_ZONE,
			     NULL);
	msg = sll_last_warn_message();
	ok(s && sll_warn_messages() == w + 1 && strstr(msg, "dbg-cache") &&
	   strstr(msg, "SLAB_POISON") && strstr(msg, "SLAB_RED_ZONE") &&
	   !strstr(msg, "SLAB_STORE_USER"),
	   "%s: one warning names the cache and its flags", mode);
	sll_set_init_on(false, true);
	a = sll_alloc(s);
	memset(a, 0x77, 64);
	sll_free(s, a);
	x = sll_alloc(s);
	ok(x == a && zeroed(x, 0, 64),
	   "%s: SLAB_POISON dropped: init_on_free wipes the cache", mode);
	sll_free(s, x);
	sll_set_init_on(false, false);
	ok(sll_cache_destroy(s) == 0 && sll_warn_messages() == w + 1,
	   "%s: dbg-cache destroyed clean, nothing more said", mode);

	m1 = sll_cache_create("dbg-m1", 72, 0, SLL_MERGE, NULL);
	m2 = sll_cache_create("dbg-m2", 72, 0,
			      SLL_MERGE | SLL_STORE_USER | SLL_TRACE |
			      SLL_CONSISTENCY_CHECKS, NULL);
	msg = sll_last_warn_message();
	ok(m1 && m2 == m1 && sll_warn_messages() == w + 2 &&
	   strstr(msg, "dbg-m2") && strstr(msg, "SLAB_STORE_USER") &&
	   strstr(msg, "SLAB_TRACE") && strstr(msg, "SLAB_CONSISTENCY_CHECKS"),
	   "%s: merged into a cache, said for the new name", mode);
	ok(sll_cache_destroy(m2) == 0 && sll_cache_destroy(m1) == 0,
	   "%s: dbg-m caches destroyed clean", mode);
}

static void test_hooks_and_params(void)
{
	test_order_gfp();
	test_init_free_freeptr(8);
	test_init_free_freeptr(64);
	test_init_free_freeptr(200);
	test_init_free_kept(SLL_TYPESAFE_BY_RCU, NULL);
	test_init_free_kept(0, nop_ctor);
	test_init_alloc();
	test_order_params();
	test_slub_debug_param();
	test_debug_flags();
	test_kfence_free();
	if (sll_hooks_counted())
		test_kfence_alloc();
}

static void test_mode(bool pagelock)
{
	struct kmem_cache *s = sll_cache_create("mode", 16, 0, 0, NULL);

	ok(sll_cache_pagelock(s) == (pagelock || !sll_system_has_cmpxchg_dw()),
	   "%s: cache uses %s mode", mode,
	   sll_cache_pagelock(s) ? "page-lock" : "lockless");
	sll_cache_destroy(s);
}

static void run(bool pagelock)
{
	mode = pagelock ? "pagelock" : "lockless";
	sll_set_pagelock(pagelock);
	test_mode(pagelock);
	test_sizes();
	test_orders();
	test_ctor();
	test_rcu();
	test_zero();
	test_bulk();
	test_shrink();
	test_leak();
	test_stats();
	test_cross_cpu();
	test_list_lock();
	test_cpu_partial();
	test_cpu_partial_node_walk();
	test_push_offline();
	test_push_races_offline();
	test_cpu_partial_off_inflight();
	test_cpu_slabs_count();
	test_drain_batches();
	test_cpu_partial_small();
	test_cpu_partial_pop_quiet();
	test_cpu_partial_count_fallback();
	test_cpu_partial_short();
	test_cpu_dead();
	test_object_info();
	test_cpu_aba();
	test_alloc_node();
	test_order_fallback();
	test_out_of_pages();
	test_page_alloc_irqs();
	test_bad_gfp();
	test_pfmemalloc();
	test_reclaim_credit();
	test_merge();
	test_object_order();
	test_obj_index();
	if (sll_hardened())
		test_hardened();
	if (sll_hooks_counted())
		test_hooks();
	test_hooks_and_params();
}

int main(void)
{
	if (sll_init(4))
		return 1;
	ok(!sll_cache_create("bad", 0, 0, 0, NULL), "size 0 refused");
	ok(!sll_cache_create("bad", 64, 24, 0, NULL), "align 24 refused");
	ok(sll_bind_cpu(4) == -1, "CPU 4 of 4 refused");
	run(false);
	run(true);
	ok(sll_warnings() == 0, "no allocator warnings");
	return done_testing();
}
