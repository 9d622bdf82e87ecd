// SPDX-License-Identifier: GPL-2.0
/*
 * cachesload - the many-caches workload of the bench guest
 * (scripts/guest/guest-init.sh), linked statically.
 *
 *   cachesload [-n ITERATIONS] [-w WORKERS] [-k KEEP] [-d DIR]
 *
 * WORKERS processes (default 2) each run their share of ITERATIONS
 * (default 4000) over a ring of KEEP slots (default 64) in a directory
 * of their own under DIR (default /).  An iteration empties the slot it comes to (the
 * objects made KEEP iterations before) and fills it again: a directory
 * with a file written, read back and renamed in it, a connected pair of
 * Unix sockets with a byte sent through, and a pipe with a byte sent
 * through.  So dentries, inodes, files, sockets, skbuffs, pipe buffers and
 * the kmalloc caches under them are allocated and freed together, each
 * object living KEEP iterations, freed in another order than it came.
 *   Time: <seconds>                 wall time of all iterations
 *   CACHESLOAD iterations=<n> workers=<n> keep=<n> usec_per_iteration=<t>
 * Exit status 0 when every step succeeded, else 1 with the failed step on
 * stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workers.h"

struct slot {
	int used;
	int sock[2];
	int pipe[2];
};

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "cachesload: %s %s: %s\n", what, path ? path : "",
		strerror(errno));
	return 1;
}

/* A byte through the pair FD[1] -> FD[0]. */
static int through(int *fd)
{
	char c = 'x';

	if (write(fd[1], &c, 1) != 1 || read(fd[0], &c, 1) != 1)
		return -1;
	return 0;
}

static int empty_slot(const char *base, int k, struct slot *s)
{
	char d[320], f[340];

	if (!s->used)
		return 0;
	snprintf(d, sizeof(d), "%s/d%d", base, k);
	snprintf(f, sizeof(f), "%s/g", d);
	if (unlink(f))
		return fail("unlink", f);
	if (rmdir(d))
		return fail("rmdir", d);
	close(s->sock[0]);
	close(s->sock[1]);
	close(s->pipe[0]);
	close(s->pipe[1]);
	s->used = 0;
	return 0;
}

static int fill_slot(const char *base, int k, struct slot *s)
{
	char d[320], f[340], g[340], buf[128];
	struct stat st;
	int fd;

	snprintf(d, sizeof(d), "%s/d%d", base, k);
	snprintf(f, sizeof(f), "%s/f", d);
	snprintf(g, sizeof(g), "%s/g", d);
	if (mkdir(d, 0700))
		return fail("mkdir", d);
	memset(buf, 'a' + k % 26, sizeof(buf));
	fd = open(f, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || close(fd))
		return fail("write", f);
	fd = open(f, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf) || close(fd))
		return fail("read", f);
	if (rename(f, g) || stat(g, &st))
		return fail("rename", g);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s->sock))
		return fail("socketpair", NULL);
	if (through(s->sock))
		return fail("socket byte", NULL);
	if (pipe(s->pipe))
		return fail("pipe", NULL);
	if (through(s->pipe))
		return fail("pipe byte", NULL);
	s->used = 1;
	return 0;
}

static const char *dir = "";

static int worker(long w, long n, void *arg)
{
	int keep = *(long *)arg;
	struct slot *ring = calloc(keep, sizeof(*ring));
	char base[300];
	long i;
	int k;

	if (!ring)
		return fail("calloc", NULL);
	snprintf(base, sizeof(base), "%s/cachesload.%ld", dir, w);
	if (mkdir(base, 0700) && errno != EEXIST)
		return fail("mkdir", base);
	for (i = 0; i < n; i++) {
		k = i % keep;
		if (empty_slot(base, k, &ring[k]) || fill_slot(base, k, &ring[k]))
			return 1;
	}
	for (k = 0; k < keep; k++)
		if (empty_slot(base, k, &ring[k]))
			return 1;
	if (rmdir(base))
		return fail("rmdir", base);
	free(ring);
	return 0;
}

int main(int argc, char **argv)
{
	long iterations = 4000, workers = 2, keep = 64;
	double t;
	int opt;

	while ((opt = getopt(argc, argv, "n:w:k:d:")) != -1) {
		switch (opt) {
		case 'n':
			iterations = atol(optarg);
			break;
		case 'w':
			workers = atol(optarg);
			break;
		case 'k':
			keep = atol(optarg);
			break;
		case 'd':
			dir = optarg;
			if (strlen(dir) > 256) {
				fprintf(stderr, "cachesload: -d: path too long\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr,
				"usage: cachesload [-n ITERATIONS] [-w WORKERS] [-k KEEP] [-d DIR]\n");
			return 2;
		}
	}
	if (iterations < 1 || workers < 1 || workers > iterations ||
	    keep < 1 || keep > 200) {
		fprintf(stderr,
			"cachesload: want 1 <= WORKERS <= ITERATIONS, 1 <= KEEP <= 200\n");
		return 2;
	}
	if (wb_run_workers("cachesload", workers, iterations, worker, &keep,
			   &t))
		return 1;
	printf("Time: %.3f\n", t);
	printf("CACHESLOAD iterations=%ld workers=%ld keep=%ld usec_per_iteration=%.1f\n",
	       iterations, workers, keep, t * 1e6 / iterations);
	return 0;
}
