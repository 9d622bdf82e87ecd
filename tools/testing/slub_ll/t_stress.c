// SPDX-License-Identifier: GPL-2.0
/*
 * Stress test: THREADS threads, each bound to its own simulated CPU, run
 * STRESS_OPS random operations on two caches: allocate, free their own
 * objects, pass objects to the next thread through a ring, and free what
 * they receive.  An ownership map indexed by address proves that no
 * object is handed out twice; a stamp written by the allocating thread is
 * checked before every free; at the end every object must be back.  Run
 * in lockless and then in page-lock mode.
 *
 * Environment: STRESS_OPS (default 1000000), STRESS_THREADS (default 4),
 * STRESS_SHORT=1 (every node counts as short of pages throughout, so
 * the CPU lists keep a quarter of their bound: to measure what that
 * trimming gives back).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tap.h"

#define MAP_BYTES	(256UL << 20)	/* arena range the map covers */
#define GRAIN		8
#define POOL		64
#define RING		256
#define MAX_THREADS	32

struct stamp {
	uint32_t owner;		/* thread that allocated it, + 1 */
	uint32_t serial;
	uint32_t size;
	uint32_t fill;
};

struct ring {
	pthread_mutex_t lock;
	unsigned int head, tail;
	void *slot[RING];
	struct kmem_cache *cache[RING];
};

struct worker {
	unsigned int id;
	pthread_t thread;
	unsigned long ops;
	unsigned long allocs, frees, sent, received;
	unsigned long errors;
};

static struct kmem_cache *caches[2];
static unsigned int cache_size[2] = { 64, 200 };
static uint8_t *owner_map;
static struct ring rings[MAX_THREADS];
static struct worker workers[MAX_THREADS];
static unsigned int nthreads;
static unsigned long nops;

/*
 * Samples of the CPU partial lists: every SAMPLES-th of the run, all
 * workers stop at a barrier, one walks every CPU's lists, and the most
 * any CPU held is kept with the number of samples over the bound, and
 * how many slabs the lists held and how many of those were empty.
 */
#define SAMPLES		16
static pthread_barrier_t sample_bar;
static unsigned long held_max[2], held_over[2];
static unsigned long listed[2], listed_empty[2];

/* The documented bound: 2 * cpu_partial objects, or one slab if more. */
static unsigned long list_bound(struct kmem_cache *s)
{
	unsigned long bound = 2UL * sll_cpu_partial(s);

	if (bound && bound < sll_cache_objects(s))
		bound = sll_cache_objects(s);
	return bound;
}

static void sample_lists(void)
{
	unsigned long held, bound;
	unsigned int c, cpu;

	for (c = 0; c < 2; c++) {
		bound = list_bound(caches[c]);
		for (cpu = 0; cpu <= nthreads; cpu++) {
			listed[c] += sll_cpu_partial_slabs(caches[c], cpu);
			listed_empty[c] +=
				sll_cpu_partial_empty(caches[c], cpu);
			held = sll_cpu_partial_held(caches[c], cpu);
			if (held > held_max[c])
				held_max[c] = held;
			if (held > bound)
				held_over[c]++;
		}
	}
}

static uint8_t *map_slot(void *p)
{
	unsigned long off = sll_arena_offset(p);

	if (off >= MAP_BYTES)
		return NULL;
	return &owner_map[off / GRAIN];
}

static void error(struct worker *w, const char *what, void *p)
{
	if (w->errors++ < 5)
		diag("thread %u: %s (%p)", w->id, what, p);
}

static void claim(struct worker *w, void *p, unsigned int c)
{
	uint8_t *slot = map_slot(p), zero = 0;
	struct stamp *st = p;
	unsigned char *b = p;
	unsigned int i;

	if (!slot) {
		error(w, "object outside the ownership map", p);
		return;
	}
	if (!__atomic_compare_exchange_n(slot, &zero, (uint8_t)(w->id + 1),
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		error(w, "object handed out twice", p);
	st->owner = w->id + 1;
	st->serial = (uint32_t)w->allocs;
	st->size = cache_size[c];
	st->fill = (uint8_t)(w->allocs * 31 + w->id);
	for (i = sizeof(*st); i < cache_size[c]; i++)
		b[i] = (uint8_t)st->fill;
}

static void release(struct worker *w, void *p, unsigned int c)
{
	uint8_t *slot = map_slot(p), owner;
	struct stamp *st = p;
	unsigned char *b = p;
	unsigned int i;

	if (!slot)
		return;
	owner = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (owner == 0 || owner != st->owner || st->size != cache_size[c]) {
		error(w, "stamp does not match the ownership map", p);
		return;
	}
	for (i = sizeof(*st); i < cache_size[c]; i++)
		if (b[i] != (uint8_t)st->fill) {
			error(w, "object contents changed while owned", p);
			break;
		}
	if (!__atomic_compare_exchange_n(slot, &owner, 0, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		error(w, "object released twice", p);
	sll_free(caches[c], p);
	w->frees++;
}

static bool ring_put(struct ring *r, void *p, struct kmem_cache *c)
{
	bool done = false;

	pthread_mutex_lock(&r->lock);
	if (r->head - r->tail < RING) {
		r->slot[r->head % RING] = p;
		r->cache[r->head % RING] = c;
		r->head++;
		done = true;
	}
	pthread_mutex_unlock(&r->lock);
	return done;
}

static bool ring_get(struct ring *r, void **p, struct kmem_cache **c)
{
	bool done = false;

	pthread_mutex_lock(&r->lock);
	if (r->head != r->tail) {
		*p = r->slot[r->tail % RING];
		*c = r->cache[r->tail % RING];
		r->tail++;
		done = true;
	}
	pthread_mutex_unlock(&r->lock);
	return done;
}

static unsigned int cache_index(struct kmem_cache *c)
{
	return c == caches[1];
}

static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * The fan phase, after the random operations: each thread allocates two
 * batches of FAN_SLABS slabs' worth of each cache (full slabs, its own);
 * the next thread frees every other object of the first batch (each slab
 * made partial and pushed to its owner); the owner allocates a few
 * objects, which takes its pushed list onto its own list; the next thread
 * half frees the second batch, pushed again.  Without one bound for both
 * lists, a CPU then holds both lists full; the lists are sampled after
 * each step.
 */
#define FAN_SLABS	8
static void **fan[MAX_THREADS][3][2];	/* [thread][batch][cache] */

static void fan_sample(void)
{
	if (pthread_barrier_wait(&sample_bar) == PTHREAD_BARRIER_SERIAL_THREAD)
		sample_lists();
	pthread_barrier_wait(&sample_bar);
}

static size_t fan_size(unsigned int b, unsigned int c)
{
	unsigned int objs = sll_cache_objects(caches[c]);

	return b == 2 ? objs / 4 : FAN_SLABS * objs;
}

static void fan_alloc(struct worker *w, unsigned int b)
{
	unsigned int c;
	size_t i;
	void *p;

	for (c = 0; c < 2; c++)
		for (i = 0; i < fan_size(b, c); i++) {
			p = sll_alloc(caches[c]);
			if (p) {
				claim(w, p, c);
				w->allocs++;
			} else {
				error(w, "allocation failed", NULL);
			}
			fan[w->id][b][c][i] = p;
		}
}

/* free the objects @first, @first + @step, ... of thread @t's batch @b */
static void fan_free(struct worker *w, unsigned int t, unsigned int b,
		     size_t first, size_t step)
{
	unsigned int c;
	size_t i;

	for (c = 0; c < 2; c++)
		for (i = first; i < fan_size(b, c); i += step)
			if (fan[t][b][c][i])
				release(w, fan[t][b][c][i], c);
}

static void fan_phase(struct worker *w)
{
	unsigned int prev = (w->id + nthreads - 1) % nthreads, b;

	fan_alloc(w, 0);
	fan_alloc(w, 1);
	fan_sample();
	fan_free(w, prev, 0, 0, 2);
	fan_sample();
	fan_alloc(w, 2);
	fan_sample();
	fan_free(w, prev, 1, 0, 2);
	fan_sample();
	for (b = 0; b < 2; b++)
		fan_free(w, w->id, b, 1, 2);
	fan_free(w, w->id, 2, 0, 1);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct ring *in = &rings[w->id], *out = &rings[(w->id + 1) % nthreads];
	void *pool[POOL], *p;
	unsigned char pool_cache[POOL];
	unsigned int npool = 0, i, c;
	uint64_t x = 0x9e3779b97f4a7c15ull * (w->id + 1);
	struct kmem_cache *k;

	sll_bind_cpu(w->id + 1);
	for (w->ops = 0; w->ops < nops; w->ops++) {
		uint64_t r = next_rand(&x);
		unsigned int op = r % 16;

		if (nops >= SAMPLES && w->ops % (nops / SAMPLES) == 0) {
			if (pthread_barrier_wait(&sample_bar) ==
			    PTHREAD_BARRIER_SERIAL_THREAD)
				sample_lists();
			pthread_barrier_wait(&sample_bar);
		}

		if (op < 7 && npool < POOL) {
			c = (r >> 8) & 1;
			p = sll_alloc(caches[c]);
			if (!p) {
				error(w, "allocation failed", NULL);
				continue;
			}
			claim(w, p, c);
			w->allocs++;
			pool[npool] = p;
			pool_cache[npool++] = c;
		} else if (op < 14 && npool) {
			i = (r >> 16) % npool;
			p = pool[i];
			c = pool_cache[i];
			pool[i] = pool[--npool];
			pool_cache[i] = pool_cache[npool];
			if (op >= 11 && ring_put(out, p, caches[c]))
				w->sent++;
			else
				release(w, p, c);
		} else {
			while (ring_get(in, &p, &k)) {
				release(w, p, cache_index(k));
				w->received++;
			}
		}
	}
	while (npool--)
		release(w, pool[npool], pool_cache[npool]);
	fan_phase(w);
	return NULL;
}

static unsigned long stat_of(struct kmem_cache *s, const char *name)
{
	int i = sll_stat_index(name);

	if (i < 0) {
		diag("no statistic called %s", name);
		abort();
	}
	return sll_stat(s, i);
}

/*
 * CPU partial lists as created, bounded to one slab (so that nearly every
 * push drains the list first), or off (the protocol without them).
 */
enum cpu_partial_mode { CP_DEFAULT, CP_ONE, CP_OFF };
static const char * const cp_name[] = { "cpu_partial", "cpu_partial=1 slab",
					"cpu_partial=0" };

static void run(bool pagelock, enum cpu_partial_mode cp)
{
	char mode[64], why[200] = "";
	unsigned long allocs = 0, frees = 0, sent = 0, errors = 0, left = 0;
	struct worker main_w = { .id = MAX_THREADS };
	struct kmem_cache *k;
	unsigned int t, c;
	int bad;
	void *p;

	snprintf(mode, sizeof(mode), "%s %s",
		 pagelock || !sll_system_has_cmpxchg_dw() ? "pagelock" : "lockless",
		 cp_name[cp]);
	sll_set_pagelock(pagelock);
	caches[0] = sll_cache_create("stress64", cache_size[0], 0, 0, NULL);
	caches[1] = sll_cache_create("stress200", cache_size[1], 0, 0, NULL);
	for (c = 0; c < 2; c++) {
		if (cp == CP_ONE)
			sll_set_cpu_partial(caches[c],
					    sll_cache_objects(caches[c]) / 2);
		else if (cp == CP_OFF)
			sll_set_cpu_partial(caches[c], 0);
	}
	for (t = 0; t < nthreads; t++)
		for (c = 0; c < 6; c++)
			fan[t][c / 2][c % 2] = calloc(FAN_SLABS *
						      sll_cache_objects(caches[c % 2]),
						      sizeof(void *));
	memset(workers, 0, sizeof(workers));
	memset(held_max, 0, sizeof(held_max));
	memset(held_over, 0, sizeof(held_over));
	memset(listed, 0, sizeof(listed));
	memset(listed_empty, 0, sizeof(listed_empty));
	for (t = 0; t < nthreads; t++) {
		workers[t].id = t;
		pthread_create(&workers[t].thread, NULL, work, &workers[t]);
	}
	for (t = 0; t < nthreads; t++)
		pthread_join(workers[t].thread, NULL);
	for (t = 0; t < nthreads; t++)
		for (c = 0; c < 6; c++)
			free(fan[t][c / 2][c % 2]);

	/* main thread (CPU 0) frees what is still in flight */
	for (t = 0; t < nthreads; t++)
		while (ring_get(&rings[t], &p, &k)) {
			release(&main_w, p, cache_index(k));
			left++;
		}
	for (t = 0; t < nthreads; t++) {
		allocs += workers[t].allocs;
		frees += workers[t].frees;
		sent += workers[t].sent;
		errors += workers[t].errors;
		if (workers[t].ops != nops)
			errors++;
	}
	errors += main_w.errors;
	frees += main_w.frees;

	ok(errors == 0, "%s: %u threads x %lu ops: no double hand-out, stamps intact",
	   mode, nthreads, nops);
	ok(allocs == frees, "%s: %lu allocated, %lu freed (%lu passed between threads, %lu drained at the end)",
	   mode, allocs, frees, sent, left);
	ok(sent > 0, "%s: objects were freed by other threads", mode);
	diag("%s: CPU lists at the samples: %lu slabs, %lu of them empty",
	     mode, listed[0] + listed[1], listed_empty[0] + listed_empty[1]);
	memset(listed, 0, sizeof(listed));
	sample_lists();
	diag("%s: CPU lists at rest: %lu slabs", mode, listed[0] + listed[1]);
	diag("%s: slab pages held at rest: %lu (CPU lists: most objects a CPU held %lu and %lu, bounds %lu and %lu)",
	     mode, sll_pages_in_use(), held_max[0], held_max[1],
	     list_bound(caches[0]), list_bound(caches[1]));
	ok(held_over[0] == 0 && held_over[1] == 0,
	   "%s: no CPU's two lists held more than their bound, at every sample and at rest (%lu, %lu over)",
	   mode, held_over[0], held_over[1]);
	for (c = 0; c < 2; c++) {
		struct kmem_cache *s = caches[c];
		unsigned long a = stat_of(s, "alloc_fastpath") + stat_of(s, "alloc_slowpath");
		unsigned long f = stat_of(s, "free_fastpath") + stat_of(s, "free_slowpath");

		diag("%s %s: alloc fast %lu slow %lu, free fast %lu slow %lu frozen %lu, freeze %lu unfreeze %lu, cmpxchg fail cpu %lu slab %lu, pagelock %lu",
		     mode, c ? "200" : "64",
		     stat_of(s, "alloc_fastpath"), stat_of(s, "alloc_slowpath"),
		     stat_of(s, "free_fastpath"), stat_of(s, "free_slowpath"),
		     stat_of(s, "free_frozen"), stat_of(s, "freeze"),
		     stat_of(s, "unfreeze"), stat_of(s, "cmpxchg_double_cpu_fail"),
		     stat_of(s, "cmpxchg_double_fail"),
		     stat_of(s, "pagelock_taken"));
		diag("%s %s: cpu_partial free %lu alloc %lu node %lu drain %lu, list_lock %lu",
		     mode, c ? "200" : "64",
		     stat_of(s, "cpu_partial_free"), stat_of(s, "cpu_partial_alloc"),
		     stat_of(s, "cpu_partial_node"), stat_of(s, "cpu_partial_drain"),
		     stat_of(s, "list_lock"));
		ok(a == f, "%s: cache %u: statistics: %lu allocs = %lu frees", mode,
		   cache_size[c], a, f);
		ok(stat_of(s, "free_slowpath") > 0,
		   "%s: cache %u: remote frees happened", mode, cache_size[c]);
		if (cp == CP_OFF)
			ok(stat_of(s, "freeze") > 0 &&
			   stat_of(s, "cpu_partial_free") == 0 &&
			   stat_of(s, "cpu_partial_alloc") == 0,
			   "%s: cache %u: slabs frozen from the node list only",
			   mode, cache_size[c]);
		else
			ok(stat_of(s, "cpu_partial_free") > 0 &&
			   stat_of(s, "cpu_partial_alloc") > 0 &&
			   (cp != CP_ONE || stat_of(s, "cpu_partial_drain") > 0),
			   "%s: cache %u: slabs went through CPU partial lists%s",
			   mode, cache_size[c],
			   cp == CP_ONE ? ", drained on overflow" : "");
		bad = sll_check_lists(s, why, sizeof(why));
		ok(bad == 0,
		   "%s: cache %u: every slab accounted for, none on two lists%s%s",
		   mode, cache_size[c], bad ? ": " : "", why);
		ok(sll_irqoff_open(s) == 0,
		   "%s: cache %u: every interrupts-off section was left",
		   mode, cache_size[c]);
		ok(sll_cache_pagelock(s) == (stat_of(s, "pagelock_taken") > 0),
		   "%s: cache %u: page lock %s", mode, cache_size[c],
		   sll_cache_pagelock(s) ? "taken" : "never taken");
		sll_cache_shrink(s);
		ok(sll_cache_slabs(s) == 0,
		   "%s: cache %u: every object came back (no slab after shrink)",
		   mode, cache_size[c]);
		ok(sll_cache_destroy(s) == 0, "%s: cache %u destroyed clean", mode,
		   cache_size[c]);
	}
}

static bool map_clear(void)
{
	unsigned long i;

	for (i = 0; i < MAP_BYTES / GRAIN; i++)
		if (owner_map[i])
			return false;
	return true;
}

int main(void)
{
	enum cpu_partial_mode cp;
	const char *env;
	unsigned int t;

	env = getenv("STRESS_OPS");
	nops = env ? strtoul(env, NULL, 0) : 1000000;
	env = getenv("STRESS_THREADS");
	nthreads = env ? strtoul(env, NULL, 0) : 4;
	if (nthreads < 2 || nthreads > MAX_THREADS - 1 || !nops) {
		fprintf(stderr, "STRESS_THREADS must be 2..%d, STRESS_OPS > 0\n",
			MAX_THREADS - 1);
		return 2;
	}
	owner_map = calloc(MAP_BYTES / GRAIN, 1);
	pthread_barrier_init(&sample_bar, NULL, nthreads);
	for (t = 0; t < nthreads; t++)
		pthread_mutex_init(&rings[t].lock, NULL);
	if (!owner_map || sll_init(nthreads + 1))
		return 1;
	env = getenv("STRESS_SHORT");
	if (env && *env == '1') {
		sll_short_ticks(~0UL);
		diag("STRESS_SHORT: every node short of pages throughout");
	}

	for (cp = CP_DEFAULT; cp <= CP_OFF; cp++) {
		run(false, cp);
		ok(map_clear(), "lockless %s: ownership map empty at the end",
		   cp_name[cp]);
		run(true, cp);
		ok(map_clear(), "pagelock %s: ownership map empty at the end",
		   cp_name[cp]);
	}
	ok(sll_warnings() == 0, "no allocator warnings");
	return done_testing();
}
