// SPDX-License-Identifier: GPL-2.0
/*
 * Worker threads: start a team, pin each member to a core, bind it to a
 * simulated CPU of the allocator, open the measured window once all are
 * running, and turn the members' operation counts into a rate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

static cpu_set_t allowed;
static int nr_allowed;
static int cpu_of_slot[CPU_SETSIZE];

/* Cores this process may run on, in order; threads are spread over them. */
int online_cpus(void)
{
	int cpu;

	if (nr_allowed)
		return nr_allowed;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) {
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &allowed))
				cpu_of_slot[nr_allowed++] = cpu;
	}
	if (!nr_allowed) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		for (cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++)
			cpu_of_slot[nr_allowed++] = cpu;
	}
	return nr_allowed ? nr_allowed : 1;
}

/* Pin the calling thread to core @index modulo the usable cores. */
void pin_to_core(int index)
{
	static atomic_bool warned;
	cpu_set_t set;
	int err;

	CPU_ZERO(&set);
	CPU_SET(cpu_of_slot[index % online_cpus()], &set);
	err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (err && !atomic_exchange(&warned, true))
		fprintf(stderr, "warning: cannot pin threads: %s\n",
			strerror(err));
}

void cpu_relax(void)
{
#ifdef __x86_64__
	__builtin_ia32_pause();
#endif
}

/* Busy-wait a little, then give the core away (threads may outnumber cores). */
void spin_wait(unsigned int *spins)
{
	if (++*spins < 128) {
		cpu_relax();
		return;
	}
	*spins = 0;
	sched_yield();
}

double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Worker array for @n threads, each worker on its own cache line. */
struct worker *workers_alloc(int n)
{
	size_t bytes = sizeof(struct worker) * n;
	struct worker *w;

	bytes = (bytes + CACHELINE - 1) & ~(size_t)(CACHELINE - 1);
	w = aligned_alloc(CACHELINE, bytes);
	if (!w) {
		fprintf(stderr, "out of memory for %d workers\n", n);
		exit(1);
	}
	memset(w, 0, bytes);
	return w;
}

static void *worker_main(void *p)
{
	struct worker *w = p;
	struct team *t = w->team;
	unsigned int spins = 0;

	/* Bind first: the harness may pin too, and our placement wins. */
	if (t->alloc)
		t->alloc->bind_cpu(w->index);
	pin_to_core(w->index);
	atomic_fetch_add(&t->ready, 1);
	while (!atomic_load_explicit(&t->go, memory_order_acquire))
		spin_wait(&spins);
	t->fn(w);
	return NULL;
}

static unsigned long team_ops(struct team *t)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < t->nthreads; i++)
		sum += atomic_load_explicit(&t->workers[i].ops,
					    memory_order_relaxed);
	return sum;
}

/*
 * Run the team: warm up, then count operations over the measured window.
 * The workers' per-thread state (w->arg) is set up by the caller; the
 * caller also owns cleanup after the workers have been joined.
 */
double team_run(struct team *t)
{
	unsigned long ops0, ops1;
	double t0, t1;
	int i, err;

	atomic_init(&t->go, false);
	atomic_init(&t->stop, false);
	atomic_init(&t->ready, 0);
	for (i = 0; i < t->nthreads; i++) {
		struct worker *w = &t->workers[i];

		w->index = i;
		w->team = t;
		atomic_init(&w->ops, 0);
		err = pthread_create(&w->thread, NULL, worker_main, w);
		if (err) {
			fprintf(stderr, "pthread_create: %s\n", strerror(err));
			exit(1);
		}
	}
	while (atomic_load(&t->ready) < t->nthreads)
		sleep_ms(1);
	atomic_store_explicit(&t->go, true, memory_order_release);

	sleep_ms(params.warmup_ms);
	ops0 = team_ops(t);
	t0 = now_sec();
	sleep_ms(params.duration_ms);
	ops1 = team_ops(t);
	t1 = now_sec();
	atomic_store(&t->stop, true);

	for (i = 0; i < t->nthreads; i++)
		pthread_join(t->workers[i].thread, NULL);
	return (ops1 - ops0) / (t1 - t0);
}
