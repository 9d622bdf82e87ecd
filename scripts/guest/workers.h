/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workers.h - the timed worker processes of the bench guest's workload
 * programs (forkexec.c, cachesload.c): included, not built alone.
 */
#ifndef WB_WORKERS_H
#define WB_WORKERS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double wb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Run WORKERS processes, worker w doing its share of ITERATIONS through
 * FN(w, share, arg) (its exit status: 0 for success), wait for all of
 * them and store the wall time they took in *SECONDS.  Returns 0 when
 * every worker was forked and succeeded; else 1, the reason on stderr
 * prefixed with NAME.
 */
static int wb_run_workers(const char *name, long workers, long iterations,
			  int (*fn)(long w, long share, void *arg), void *arg,
			  double *seconds)
{
	double t0 = wb_now();
	int failed = 0;
	long w;

	for (w = 0; w < workers; w++) {
		long share = iterations / workers +
			     (w < iterations % workers ? 1 : 0);
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "%s: fork: %s\n", name, strerror(errno));
			failed = 1;
			break;
		}
		if (pid == 0)
			_exit(fn(w, share, arg));
	}
	for (;;) {
		int st;
		pid_t pid = wait(&st);

		if (pid < 0)
			break;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed = 1;
	}
	*seconds = wb_now() - t0;
	if (failed)
		fprintf(stderr, "%s: a worker failed\n", name);
	return failed;
}

#endif
