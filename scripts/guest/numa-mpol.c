// SPDX-License-Identifier: GPL-2.0
/*
 * numa-mpol: run in the NUMA guest (scripts/guest/numa-init.sh), statically
 * linked.  Does the slab memory this task makes the kernel allocate come
 * from the node its memory policy names?
 *
 *   numa-mpol -c CPU [-b NODE] [-n FILES] [-m MIN_KB]
 *
 * Pins itself to CPU; with -b binds its memory to NODE with
 * set_mempolicy(MPOL_BIND), without it keeps the default policy (local
 * allocation: the expected node is then the CPU's).  Creates FILES empty
 * files (default 20000) in a new directory of the initramfs (ramfs): each
 * costs a dentry and an inode, slab objects allocated in this task's
 * context and kept while the files exist.  Reads every node's "Slab:"
 * from /sys/devices/system/node/node<N>/meminfo before and after, then
 * removes the files.
 *
 * Verdict, with G(n) = max(0, growth of node n's Slab) and T = sum of G:
 * PASS when G(expected) >= MIN_KB (default 4096) and G(expected) >= 3/4 T.
 * 20000 files cost about 15 MB of dentries and inodes in the small guest
 * kernel, so MIN_KB leaves a factor of 3.5 for smaller objects; the rest
 * of the system allocates little meanwhile, and the per-CPU vmstat
 * counters the meminfo files read lag by at most a few hundred kB, far
 * below 1/4 of T.  An allocator that ignores the policy puts nearly all
 * of T on the CPU's node and fails both.
 *
 * Prints one line
 *   MPOL cpu=C bind=N|none expect=N files=F total_kB=T node<n>_kB=G ...
 *        result=PASS|FAIL|SKIP [why=...]
 * and exits 0 (PASS or SKIP: no bind and the CPU's node has no memory),
 * 1 (FAIL) or 2 (error).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_NODES	64
#define NODE_DIR	"/sys/devices/system/node"
#define MPOL_BIND_MODE	2	/* MPOL_BIND of <linux/mempolicy.h> */

static int nr_nodes;
static int node_ids[MAX_NODES];

static void die(const char *what)
{
	printf("MPOL result=ERROR why=%s:%s\n", what, strerror(errno));
	exit(2);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void find_nodes(void)
{
	struct dirent *d;
	DIR *dir = opendir(NODE_DIR);
	int id;

	if (!dir)
		die("opendir " NODE_DIR);
	while ((d = readdir(dir)) && nr_nodes < MAX_NODES)
		if (sscanf(d->d_name, "node%d", &id) == 1)
			node_ids[nr_nodes++] = id;
	closedir(dir);
	qsort(node_ids, nr_nodes, sizeof(int), cmp_int);
}

/* A "Node <n> <key>: <v> kB" value of a node's meminfo, in kB. */
static long node_meminfo(int node, const char *key)
{
	char path[128], line[256], k[64];
	long v = -1, val;
	int n;
	FILE *f;

	snprintf(path, sizeof(path), NODE_DIR "/node%d/meminfo", node);
	f = fopen(path, "r");
	if (!f)
		die("open meminfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %d %63[^:]: %ld", &n, k, &val) == 3 &&
		    !strcmp(k, key))
			v = val;
	fclose(f);
	if (v < 0) {
		errno = ENOENT;
		die(key);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: numa-mpol -c CPU [-b NODE] [-n FILES] [-m MIN_KB]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long before[MAX_NODES], grow[MAX_NODES], total = 0, min_kb = 4096;
	int cpu = -1, bind = -1, files = 20000, expect, opt, i;
	unsigned int got_cpu, got_node;
	char dir[64], path[96];
	unsigned long mask = 0;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "c:b:n:m:")) != -1) {
		switch (opt) {
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'b':
			bind = atoi(optarg);
			break;
		case 'n':
			files = atoi(optarg);
			break;
		case 'm':
			min_kb = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (cpu < 0 || optind != argc || files <= 0 ||
	    bind >= (int)(8 * sizeof(mask)))
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	find_nodes();
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
	if (syscall(SYS_getcpu, &got_cpu, &got_node, NULL))
		die("getcpu");
	if ((int)got_cpu != cpu) {
		errno = EAGAIN;
		die("not on the CPU asked");
	}
	expect = bind >= 0 ? bind : (int)got_node;
	if (bind < 0 && node_meminfo(expect, "MemTotal") == 0) {
		printf("MPOL cpu=%d bind=none expect=%d result=SKIP why=node-without-memory\n",
		       cpu, expect);
		return 0;
	}
	if (bind >= 0) {
		mask = 1UL << bind;
		if (syscall(SYS_set_mempolicy, MPOL_BIND_MODE, &mask,
			    8 * sizeof(mask)))
			die("set_mempolicy");
	}

	for (i = 0; i < nr_nodes; i++)
		before[i] = node_meminfo(node_ids[i], "Slab");
	snprintf(dir, sizeof(dir), "/tmp/numa-mpol.%d", getpid());
	if (mkdir(dir, 0700))
		die("mkdir");
	for (i = 0; i < files; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
		if (fd < 0)
			die("create file");
		close(fd);
	}
	for (i = 0; i < nr_nodes; i++) {
		grow[i] = node_meminfo(node_ids[i], "Slab") - before[i];
		if (grow[i] < 0)
			grow[i] = 0;
		total += grow[i];
	}
	for (i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		unlink(path);
	}
	rmdir(dir);

	printf("MPOL cpu=%d bind=", cpu);
	if (bind >= 0)
		printf("%d", bind);
	else
		printf("none");
	printf(" expect=%d files=%d total_kB=%ld", expect, files, total);
	for (i = 0; i < nr_nodes; i++)
		printf(" node%d_kB=%ld", node_ids[i], grow[i]);
	for (i = 0; i < nr_nodes && node_ids[i] != expect; i++)
		;
	if (i == nr_nodes) {
		printf(" result=FAIL why=no-node-%d\n", expect);
		return 1;
	}
	if (grow[i] < min_kb) {
		printf(" result=FAIL why=node%d-grew-less-than-%ldkB\n",
		       expect, min_kb);
		return 1;
	}
	if (4 * grow[i] < 3 * total) {
		printf(" result=FAIL why=node%d-got-less-than-3/4\n", expect);
		return 1;
	}
	printf(" result=PASS\n");
	return 0;
}
