/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stress engine of the SLUB-LL KUnit suite: kernel threads that
 * allocate and free on two caches while a migrator moves them between
 * CPUs.  Only mm/slub_ll_kunit.c includes this file: its functions are
 * static, part of that one suite, kept apart so that the suite's cases
 * read on their own.  The case that runs it, and checks what it counted,
 * is sll_test_stress_migrate() there.
 */
#ifndef _MM_SLUB_LL_KUNIT_STRESS_H
#define _MM_SLUB_LL_KUNIT_STRESS_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

/*
 * Stress: tasks migrated between CPUs while they allocate and free
 *
 * More kernel threads than CPUs run a fixed number of random operations
 * on two caches: allocate into a private pool, free from it, or hand an
 * object to the next thread, which checks and frees it (a cross-CPU free
 * whenever the two run on different CPUs).  A migrator thread keeps
 * moving the workers between the online CPUs with set_cpus_allowed_ptr(),
 * so that they are preempted and migrated at arbitrary points, inside
 * the fastpaths included.
 *
 * Every object carries its owner: word 1 is claimed with xchg() on
 * allocation, so an object handed out to two threads at once is caught
 * by the second claim (whatever the first claim saw: the marker of a
 * free or a new slab's garbage, never another owner's tag); word 0 and
 * the bytes from 16 on are a stamp checked on free.  At the end every
 * object must be back: allocations and frees balance and a shrink gives
 * every slab back.
 */

#define SLL_STRESS_OPS		20000	/* per worker */
#define SLL_STRESS_POOL		32	/* objects a worker holds at most */
#define SLL_STRESS_RING		64	/* objects waiting for their receiver */
#define SLL_STRESS_OWNED	0x511c0de000000000UL	/* | owner tag */
#define SLL_STRESS_FREED	0x511cf4ee00000000UL
#define SLL_STRESS_TAG_MASK	0xffffffffUL

struct sll_stress_item {
	void *p;
	u32 serial;
	u16 owner;		/* worker id + 1 */
	u8 c;			/* which cache */
};

struct sll_stress;

struct sll_stress_worker {
	struct sll_stress *st;
	struct task_struct *task;
	unsigned int id;
	u32 rnd;
	int last_cpu;
	spinlock_t lock;	/* inbox */
	unsigned int head, tail;
	struct sll_stress_item inbox[SLL_STRESS_RING];
	struct sll_stress_item pool[SLL_STRESS_POOL];
	unsigned long allocs, frees, sent, cpu_changes;
};

struct sll_stress {
	struct kmem_cache *cache[2];
	unsigned int size[2];
	struct sll_stress_worker *w;
	unsigned int nr;
	atomic_t running;
	struct completion done;
	atomic_long_t errors;
	unsigned long moves;	/* migrator's successful affinity changes */
	unsigned int ms;	/* how long the workers ran */
	spinlock_t msg_lock;
	char msg[160];		/* the first error */
};

static u32 sll_stress_rnd(struct sll_stress_worker *w)
{
	/* xorshift32: cheap, and each worker has its own sequence */
	w->rnd ^= w->rnd << 13;
	w->rnd ^= w->rnd >> 17;
	w->rnd ^= w->rnd << 5;
	return w->rnd;
}

static __printf(3, 4) void sll_stress_err(struct sll_stress *st, void *p,
					  const char *fmt, ...)
{
	va_list args;

	if (atomic_long_inc_return(&st->errors) > 1)
		return;
	spin_lock(&st->msg_lock);
	va_start(args, fmt);
	vsnprintf(st->msg, sizeof(st->msg), fmt, args);
	va_end(args);
	spin_unlock(&st->msg_lock);
	pr_err("slub_ll stress: object %p: %s\n", p, st->msg);
}

static unsigned long sll_stress_word0(void *p, u32 serial)
{
	return (unsigned long)p ^ ((unsigned long)serial << 7);
}

static u8 sll_stress_fill(const struct sll_stress_item *it)
{
	return (u8)(it->serial * 31 + it->owner);
}

/* Allocate into @it and claim the object; false if it was not ours. */
static bool sll_stress_alloc(struct sll_stress_worker *w,
			     struct sll_stress_item *it)
{
	struct sll_stress *st = w->st;
	unsigned int c = sll_stress_rnd(w) & 1;
	unsigned long old, *word;
	void *p;

	p = kmem_cache_alloc(st->cache[c], GFP_KERNEL);
	if (!p) {
		sll_stress_err(st, NULL, "allocation failed");
		return false;
	}
	word = p;
	old = xchg(&word[1], SLL_STRESS_OWNED | (w->id + 1));
	if ((old & ~SLL_STRESS_TAG_MASK) == SLL_STRESS_OWNED) {
		/* Both holders now think they own it: leak it. */
		sll_stress_err(st, p,
			       "handed out twice: worker %u got it while worker %lu held it",
			       w->id, (old & SLL_STRESS_TAG_MASK) - 1);
		return false;
	}
	it->p = p;
	it->c = c;
	it->owner = w->id + 1;
	it->serial = (u32)w->allocs++;
	word[0] = sll_stress_word0(p, it->serial);
	memset(p + 16, sll_stress_fill(it), st->size[c] - 16);
	return true;
}

/* Check the stamp of @it and free it; on a mismatch leak it. */
static void sll_stress_free(struct sll_stress_worker *w,
			    struct sll_stress_item *it)
{
	struct sll_stress *st = w->st;
	unsigned long *word = it->p;
	unsigned long want = SLL_STRESS_OWNED | it->owner;
	void *bad;

	if (READ_ONCE(word[1]) != want) {
		sll_stress_err(st, it->p,
			       "owner word %#lx, want %#lx (handed out twice or overwritten)",
			       READ_ONCE(word[1]), want);
		goto leak;
	}
	bad = memchr_inv(it->p + 16, sll_stress_fill(it),
			 st->size[it->c] - 16);
	if (word[0] != sll_stress_word0(it->p, it->serial) || bad) {
		sll_stress_err(st, it->p,
			       "contents of worker %d's object changed while owned (at +%ld)",
			       it->owner - 1, bad ? (long)(bad - it->p) : 0L);
		goto leak;
	}
	if (cmpxchg(&word[1], want, SLL_STRESS_FREED) != want) {
		sll_stress_err(st, it->p, "owner word changed during the free");
		goto leak;
	}
	kmem_cache_free(st->cache[it->c], it->p);
	w->frees++;
leak:
	it->p = NULL;
}

/* Hand @it to worker @to; false if its inbox is full. */
static bool sll_stress_send(struct sll_stress_worker *to,
			    struct sll_stress_item *it)
{
	bool done = false;

	spin_lock(&to->lock);
	if (to->head - to->tail < SLL_STRESS_RING) {
		to->inbox[to->head++ % SLL_STRESS_RING] = *it;
		done = true;
	}
	spin_unlock(&to->lock);
	return done;
}

/* Free up to @max objects other workers sent to @w. */
static void sll_stress_receive(struct sll_stress_worker *w, unsigned int max)
{
	struct sll_stress_item it;

	while (max--) {
		spin_lock(&w->lock);
		if (w->head == w->tail) {
			spin_unlock(&w->lock);
			return;
		}
		it = w->inbox[w->tail++ % SLL_STRESS_RING];
		spin_unlock(&w->lock);
		sll_stress_free(w, &it);
	}
}

static int sll_stress_worker_fn(void *arg)
{
	struct sll_stress_worker *w = arg;
	struct sll_stress *st = w->st;
	struct sll_stress_worker *next = &st->w[(w->id + 1) % st->nr];
	int i, cpu;

	w->last_cpu = raw_smp_processor_id();
	for (i = 0; i < SLL_STRESS_OPS && !atomic_long_read(&st->errors);
	     i++) {
		struct sll_stress_item *it;
		u32 r = sll_stress_rnd(w);

		cpu = raw_smp_processor_id();
		if (cpu != w->last_cpu) {
			w->cpu_changes++;
			w->last_cpu = cpu;
		}
		sll_stress_receive(w, 2);
		it = &w->pool[r % SLL_STRESS_POOL];
		if (!it->p) {
			sll_stress_alloc(w, it);
		} else if (r & (1U << 16)) {
			if (sll_stress_send(next, it)) {
				it->p = NULL;
				w->sent++;
			} else {
				sll_stress_free(w, it);
			}
		} else {
			sll_stress_free(w, it);
		}
	}
	for (i = 0; i < SLL_STRESS_POOL; i++)
		if (w->pool[i].p)
			sll_stress_free(w, &w->pool[i]);

	if (atomic_dec_and_test(&st->running))
		complete(&st->done);
	/* The inboxes are drained by the test once every worker is here. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int sll_stress_migrator_fn(void *arg)
{
	struct sll_stress *st = arg;
	unsigned int i, n = 0;
	int cpu = cpumask_first(cpu_online_mask);

	while (!kthread_should_stop()) {
		for (i = 0; i < st->nr; i++) {
			cpu = cpumask_next(cpu, cpu_online_mask);
			if (cpu >= nr_cpu_ids)
				cpu = cpumask_first(cpu_online_mask);
			if (!set_cpus_allowed_ptr(st->w[i].task,
						  cpumask_of(cpu)))
				st->moves++;
		}
		/* skip a CPU now and then so that the pairs change */
		if (++n % 3 == 0)
			cpu = cpumask_next(cpu, cpu_online_mask);
		/* mostly busy, but let the workers have the CPUs too */
		if (n % 4 == 0)
			schedule_timeout_uninterruptible(1);
		else
			cond_resched();
	}
	return 0;
}

/*
 * Start @st->nr workers on @st->cache[] and the migrator, wait until
 * every worker is done (an error is recorded after @timeout jiffies, and
 * the workers stop at the first error), stop them all and free what is
 * left in their inboxes.  Returns -ENOMEM, with nothing run, if not every
 * worker could be started.
 */
static int sll_stress_run(struct kunit *test, struct sll_stress *st,
			  unsigned long timeout)
{
	struct task_struct *migrator;
	unsigned int i, started = 0;
	unsigned long start;

	atomic_set(&st->running, st->nr);
	init_completion(&st->done);
	spin_lock_init(&st->msg_lock);

	for (i = 0; i < st->nr; i++) {
		struct sll_stress_worker *w = &st->w[i];

		w->st = st;
		w->id = i;
		w->rnd = 0x9e3779b9U * (i + 1);
		spin_lock_init(&w->lock);
		w->task = kthread_create(sll_stress_worker_fn, w,
					 "sll_stress/%u", i);
		if (IS_ERR(w->task))
			break;
		get_task_struct(w->task);
		started++;
	}
	if (started < st->nr) {
		/* nothing ran yet: stopping an unwoken kthread skips its fn */
		for (i = 0; i < started; i++) {
			kthread_stop(st->w[i].task);
			put_task_struct(st->w[i].task);
		}
		return -ENOMEM;
	}
	start = jiffies;
	migrator = kthread_run(sll_stress_migrator_fn, st, "sll_stress_mig");
	KUNIT_EXPECT_FALSE(test, IS_ERR(migrator));
	for (i = 0; i < st->nr; i++)
		wake_up_process(st->w[i].task);

	if (!wait_for_completion_timeout(&st->done, timeout)) {
		/* an error makes the workers stop; they must end before st */
		sll_stress_err(st, NULL, "workers did not finish within %u s",
			       jiffies_to_msecs(timeout) / 1000);
		wait_for_completion(&st->done);
	}
	if (!IS_ERR(migrator))
		kthread_stop(migrator);
	for (i = 0; i < st->nr; i++) {
		struct sll_stress_worker *w = &st->w[i];

		kthread_stop(w->task);
		put_task_struct(w->task);
		/* what others sent that @w did not free: free it here */
		sll_stress_receive(w, SLL_STRESS_RING);
	}
	st->ms = jiffies_to_msecs(jiffies - start);
	return 0;
}

#endif /* _MM_SLUB_LL_KUNIT_STRESS_H */
