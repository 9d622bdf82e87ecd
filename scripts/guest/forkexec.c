// SPDX-License-Identifier: GPL-2.0
/*
 * forkexec - the fork+exec workload of the bench guest
 * (scripts/guest/guest-init.sh), linked statically.
 *
 *   forkexec [-n ITERATIONS] [-w WORKERS]
 *
 * WORKERS processes (default 2) each run their share of ITERATIONS
 * (default 1000): fork a child that execs this program again with the
 * single argument "-x" (which exits at once), and wait for it.  The
 * shape of perf bench's fork and execve loops: each iteration copies and
 * tears down an mm (vm_area_struct, anon_vma, mm_struct, page tables,
 * signal and task structs, files, creds) and loads a binary.
 *   Time: <seconds>                 wall time of all iterations, as
 *                                   hackbench prints it
 *   FORKEXEC iterations=<n> workers=<n> usec_per_iteration=<t>
 * Exit status 0 when every fork, exec and child succeeded, else 1 with
 * the reason on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workers.h"

static const char *self = "/bin/forkexec";

/* One worker: N iterations; 0 when all succeeded. */
static int worker(long w, long n, void *arg)
{
	long i;

	for (i = 0; i < n; i++) {
		int st;
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "forkexec: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid == 0) {
			execl(self, self, "-x", (char *)NULL);
			fprintf(stderr, "forkexec: exec %s: %s\n", self,
				strerror(errno));
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			fprintf(stderr, "forkexec: child %d ended with status 0x%x\n",
				(int)pid, st);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long iterations = 1000, workers = 2;
	double t;
	int opt;

	while ((opt = getopt(argc, argv, "n:w:x")) != -1) {
		switch (opt) {
		case 'n':
			iterations = atol(optarg);
			break;
		case 'w':
			workers = atol(optarg);
			break;
		case 'x':
			return 0;
		default:
			fprintf(stderr, "usage: forkexec [-n ITERATIONS] [-w WORKERS]\n");
			return 2;
		}
	}
	if (iterations < 1 || workers < 1 || workers > iterations) {
		fprintf(stderr, "forkexec: want 1 <= WORKERS <= ITERATIONS\n");
		return 2;
	}
	if (wb_run_workers("forkexec", workers, iterations, worker, NULL, &t))
		return 1;
	printf("Time: %.3f\n", t);
	printf("FORKEXEC iterations=%ld workers=%ld usec_per_iteration=%.1f\n",
	       iterations, workers, t * 1e6 / iterations);
	return 0;
}
