// SPDX-License-Identifier: GPL-2.0
/*
 * slub_ll_bench: the table.  Rows are (pattern, threads); columns are the
 * allocators.  Every cell of a row is measured --reps times, the columns
 * interleaved within each repetition (rotated, so that no column always
 * runs first), and the median is printed.  The
 * ratio column is lockless over page-lock speed: above 1, lockless wins.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __x86_64__
#include <cpuid.h>
#endif
#include "bench.h"

#ifndef BENCH_CFLAGS
#define BENCH_CFLAGS "?"
#endif
#ifdef BENCH_STATIC
#define BENCH_LINK "static"
#else
#define BENCH_LINK "dynamic"
#endif

#define MAX_REPS	31
#define NR_COLS		4	/* lockless, page-lock, glibc, mimalloc */

struct bench_params params = {
	.threads	= 0,		/* 0: the usable cores */
	.reps		= 7,
	.warmup_ms	= 50,
	.duration_ms	= 300,
	.fast_iters	= 2000000,
	.obj_size	= 64,
	.ring_size	= 256,
	.group		= 8,
	.cpu_partial	= -1,
};

enum {
	P_FASTPATH = 1, P_CROSSFREE = 2, P_HACKBENCH = 4, P_PRIMITIVE = 8,
	P_FANIN = 16,
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const pattern_names[] = {
	"fastpath", "crossfree", "hackbench", "primitive", "fanin",
};

#define NR_PATTERNS	ARRAY_SIZE(pattern_names)

static unsigned int patterns = P_FASTPATH | P_CROSSFREE | P_HACKBENCH |
			       P_FANIN | P_PRIMITIVE;

/* The columns; NULL where this build lacks the allocator. */
static const struct bench_allocator *cols[NR_COLS] = {
#ifdef HAVE_SLUB_LL
	&bench_slub_ll_lockless,
	&bench_slub_ll_pagelock,
#else
	NULL, NULL,
#endif
	&bench_libc,
#ifdef HAVE_MIMALLOC
	&bench_mimalloc,
#else
	NULL,
#endif
};

/* What one cell measures: a rate (or ns) for column @col. */
typedef double (*cell_fn)(int col, int threads, unsigned int arg);
static double primitive_cell(int col, int threads, unsigned int arg);

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of @n samples; NAN if any sample is NAN. */
static double median(const double *v, int n)
{
	double s[MAX_REPS];
	int i;

	for (i = 0; i < n; i++) {
		if (isnan(v[i]))
			return NAN;
		s[i] = v[i];
	}
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* (max - min) / median of the samples, as a percentage. */
static double spread(const double *v, int n, double med)
{
	double lo = v[0], hi = v[0];
	int i;

	for (i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return med > 0 ? (hi - lo) / med * 100 : NAN;
}

static void print_cell(double v)
{
	if (isnan(v))
		printf(" %9s", "-");
	else if (v >= 100)
		printf(" %9.1f", v);
	else
		printf(" %9.2f", v);
}

/* The ratio of the medians and the range of the paired ratios. */
static void print_ratio(double ratio, double lo, double hi)
{
	if (isnan(ratio))
		printf(" %17s", "-");
	else
		printf(" %6.2fx %4.2f-%-4.2f", ratio, lo, hi);
}

/*
 * Median of each column's samples of one quantity; NAN where missing.
 * @count: whole numbers, shown without decimals where the median is one.
 */
static void print_extra(const char *label, double v[NR_COLS][MAX_REPS],
			bool count)
{
	double med;
	int c;

	printf("  %-27s", label);
	for (c = 0; c < NR_COLS; c++) {
		med = median(v[c], params.reps);
		if (count && med == floor(med))
			printf(" %9.0f", med);
		else
			print_cell(med);
		if (c == 1)
			printf(" %17s", "");
	}
	printf("\n");
}

/*
 * Measure and print one row.  A cell's value divided by @div is the
 * unit shown; @lower_better is set for times, so that the ratio still reads as
 * "lockless speed / page-lock speed".
 */
static void run_row(const char *label, int threads, const char *unit,
		    double div, bool lower_better, cell_fn cell,
		    unsigned int arg, bool *present)
{
	double v[NR_COLS][MAX_REPS], med[NR_COLS], ratio, worst = 0;
	double locks[NR_COLS][MAX_REPS], pages[NR_COLS][MAX_REPS];
	double lo = INFINITY, hi = -INFINITY, pr;
	bool extras = false;
	int r, c, k;

	/* Each repetition starts one column later: no column always first. */
	for (r = 0; r < params.reps; r++)
		for (k = 0; k < NR_COLS; k++) {
			c = (r + k) % NR_COLS;
			v[c][r] = present[c] ? cell(c, threads, arg) / div
					     : NAN;
			locks[c][r] = NAN;
			pages[c][r] = NAN;
			if (cell == primitive_cell || isnan(v[c][r]) ||
			    !cols[c]->last_run)
				continue;
			cols[c]->last_run(cols[c], &locks[c][r], &pages[c][r]);
			extras = true;
		}
	for (c = 0; c < NR_COLS; c++) {
		med[c] = median(v[c], params.reps);
		if (!isnan(med[c]) && spread(v[c], params.reps, med[c]) > worst)
			worst = spread(v[c], params.reps, med[c]);
	}
	ratio = lower_better ? med[1] / med[0] : med[0] / med[1];
	/* Runs of one repetition are neighbours in time: pair them. */
	for (r = 0; r < params.reps && !isnan(ratio); r++) {
		pr = lower_better ? v[1][r] / v[0][r] : v[0][r] / v[1][r];
		lo = pr < lo ? pr : lo;
		hi = pr > hi ? pr : hi;
	}

	printf("%-16s %3d  %-7s", label, threads, unit);
	print_cell(med[0]);
	print_cell(med[1]);
	print_ratio(ratio, lo, hi);
	print_cell(med[2]);
	print_cell(med[3]);
	printf(" %6.0f%%\n", worst);
	if (extras) {
		print_extra("list_lock/1k ops", locks, false);
		print_extra("slab pages at end", pages, true);
	}
	if (params.stats && cell != primitive_cell)
		for (c = 0; c < NR_COLS; c++)
			if (present[c] && cols[c]->print_stats)
				cols[c]->print_stats(cols[c]);
	fflush(stdout);
}

static double fastpath_cell(int col, int threads, unsigned int arg)
{
	return fastpath_ns(cols[col]);
}

static double crossfree_cell(int col, int threads, unsigned int arg)
{
	return crossfree_rate(cols[col], threads);
}

static double hackbench_cell(int col, int threads, unsigned int size)
{
	return hackbench_rate(cols[col], threads, size);
}

static double fanin_cell(int col, int threads, unsigned int arg)
{
	return fanin_rate(cols[col], threads);
}

/* Column 0 is the locked cmpxchg16b, column 1 the bit spinlock. */
static double primitive_cell(int col, int threads, unsigned int arg)
{
	return primitive_rate(col == 0, threads);
}

/* 1, 2, 4, ... up to and including params.threads. */
static int next_threads(int t)
{
	if (t >= params.threads)
		return 0;
	return t * 2 < params.threads ? t * 2 : params.threads;
}

static void run_table(void)
{
	bool alloc_cols[NR_COLS], prim_cols[NR_COLS] = { true, true };
	char label[32];
	int c, t;
	unsigned int size;

	for (c = 0; c < NR_COLS; c++)
		alloc_cols[c] = cols[c];

	printf("%-16s %3s  %-7s %9s %9s %7s %-9s %9s %9s %7s\n", "pattern",
	       "thr", "unit", "lockless", "page-lock", "ll/pl", "(range)",
	       "glibc", "mimalloc", "spread");
	if (patterns & P_FASTPATH)
		run_row("fastpath", 1, "ns/op", 1, true, fastpath_cell, 0,
			alloc_cols);
	if (patterns & P_CROSSFREE)
		for (t = 1; t; t = next_threads(t))
			run_row("crossfree", t, "Mobj/s", 1e6, false,
				crossfree_cell, 0, alloc_cols);
	if (patterns & P_HACKBENCH)
		for (size = 256; size <= 512; size *= 2)
			for (t = 2; t && t <= params.threads;
			     t = next_threads(t)) {
				snprintf(label, sizeof(label), "hackbench-%u",
					 size);
				run_row(label, t, "Mmsg/s", 1e6, false,
					hackbench_cell, size, alloc_cols);
			}
	if (patterns & P_FANIN)
		for (t = 2; t && t <= params.threads; t = next_threads(t))
			run_row("fanin", t, "Mobj/s", 1e6, false, fanin_cell, 0,
				alloc_cols);
	if (patterns & P_PRIMITIVE)
		for (t = 1; t; t = next_threads(t))
			run_row("cmpxchg16b/lock", t, "Mop/s", 1e6, false,
				primitive_cell, 0, prim_cols);
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256], *p;

	snprintf(buf, len, "unknown CPU");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10))
			continue;
		p = strchr(line, ':');
		if (!p)
			break;
		p += strspn(p + 1, " \t") + 1;
		p[strcspn(p, "\n")] = '\0';
		snprintf(buf, len, "%s", p);
		break;
	}
	fclose(f);
}

static bool host_has_cx16(void)
{
#ifdef __x86_64__
	unsigned int a, b, c, d;

	if (__get_cpuid(1, &a, &b, &c, &d))
		return c & bit_CMPXCHG16B;
#endif
	return false;
}

static void print_header(void)
{
	char model[128];

	cpu_model(model, sizeof(model));
	printf("slub_ll user-space benchmark\n");
	printf("machine:   %s, %d usable of %ld online CPUs, cmpxchg16b %s\n",
	       model, online_cpus(), sysconf(_SC_NPROCESSORS_ONLN),
	       host_has_cx16() ? "yes" : "no");
	printf("compiler:  gcc %s, %s, %s\n", __VERSION__, BENCH_CFLAGS,
	       BENCH_LINK);
	printf("params:    threads=%d reps=%d warmup=%ums duration=%ums",
	       params.threads, params.reps, params.warmup_ms,
	       params.duration_ms);
	if (params.cpu_partial >= 0)
		printf(" cpu_partial=%d", params.cpu_partial);
	printf(" fast_iters=%lu size=%u ring=%u group=%d\n",
	       params.fast_iters, params.obj_size, params.ring_size,
	       params.group);
	if (!cols[0])
		printf("missing:   slub_ll (harness or allocator not built)\n");
	if (!cols[3])
		printf("missing:   mimalloc (not in this build)\n");
	printf("cells:     median of %d runs, the columns interleaved run by run,\n",
	       params.reps);
	printf("           each repetition starting with the next column\n");
	printf("ll/pl:     lockless speed / page-lock speed (>1: lockless faster),\n");
	printf("           ratio of the medians; (range): lowest-highest ratio of\n");
	printf("           the two runs of one repetition\n");
	printf("spread:    the row's worst (max - min) / median\n");
	printf("list_lock/1k ops: node list_lock acquisitions per 1000 objects\n");
	printf("           freed, over the cache's life (list_lock counter)\n");
	printf("slab pages at end: 4 KiB pages the cache's slabs hold after\n");
	printf("           the threads joined, before the cache is destroyed\n");
	printf("primitive: lockless column = locked cmpxchg16b of the pair,\n");
	printf("           page-lock column = bit spinlock around it\n\n");
}

static const char usage_text[] =
"usage: slub_ll_bench [options]\n"
"  -t, --threads N       largest thread count (default: usable CPUs)\n"
"  -r, --reps N          runs per cell, 1..%d (default 7)\n"
"  -d, --duration MS     measured window per run (default 300)\n"
"  -w, --warmup MS       warm-up before the window (default 50)\n"
"  -i, --iters N         alloc+free pairs per fastpath run (default 2000000)\n"
"  -s, --size BYTES      object size for fastpath and crossfree (default 64)\n"
"  -R, --ring N          slots per ring, a power of two (default 256)\n"
"  -g, --group N         threads per hackbench group, even (default 8)\n"
"  -p, --patterns LIST   comma list of fastpath,crossfree,hackbench,fanin,\n"
"                        primitive\n"
"  -S, --stats           after each row, the allocator's counters (last run)\n"
"  -P, --cpu-partial N   SLUB-LL caches keep N free objects per CPU on\n"
"                        partial slabs (0: no CPU partial lists; default:\n"
"                        the allocator's own bound for the object size)\n"
"  -c, --callgrind ALLOC only run the fastpath loop for ALLOC (lockless,\n"
"                        page-lock, glibc, mimalloc) --iters times, for\n"
"                        valgrind --tool=callgrind\n"
"  -h, --help\n";

static void usage(FILE *f)
{
	fprintf(f, usage_text, MAX_REPS);
}

static long parse_num(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr,
			"slub_ll_bench: %s wants a number in %ld..%ld, not '%s'\n",
			opt, lo, hi, s);
		exit(2);
	}
	return v;
}

static unsigned int parse_patterns(char *list)
{
	unsigned int mask = 0, i;
	char *tok;

	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		for (i = 0; i < NR_PATTERNS; i++)
			if (!strcmp(tok, pattern_names[i]))
				break;
		if (i == NR_PATTERNS) {
			fprintf(stderr,
				"slub_ll_bench: unknown pattern '%s'; valid: fastpath,crossfree,hackbench,fanin,primitive\n",
				tok);
			exit(2);
		}
		mask |= 1u << i;
	}
	return mask;
}

static const struct bench_allocator *find_allocator(const char *name)
{
	static const char *const names[NR_COLS] = {
		"lockless", "page-lock", "glibc", "mimalloc"
	};
	int c;

	for (c = 0; c < NR_COLS; c++)
		if (!strcmp(name, names[c]) && cols[c])
			return cols[c];
	fprintf(stderr, "slub_ll_bench: no allocator '%s' in this build; "
		"valid:", name);
	for (c = 0; c < NR_COLS; c++)
		if (cols[c])
			fprintf(stderr, " %s", names[c]);
	fprintf(stderr, "\n");
	exit(2);
}

static const struct option long_opts[] = {
	{ "threads",	required_argument, NULL, 't' },
	{ "reps",	required_argument, NULL, 'r' },
	{ "duration",	required_argument, NULL, 'd' },
	{ "warmup",	required_argument, NULL, 'w' },
	{ "iters",	required_argument, NULL, 'i' },
	{ "size",	required_argument, NULL, 's' },
	{ "ring",	required_argument, NULL, 'R' },
	{ "group",	required_argument, NULL, 'g' },
	{ "patterns",	required_argument, NULL, 'p' },
	{ "callgrind",	required_argument, NULL, 'c' },
	{ "stats",	no_argument,	   NULL, 'S' },
	{ "cpu-partial", required_argument, NULL, 'P' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ }
};

static const char *parse_args(int argc, char **argv)
{
	const char *callgrind = NULL;
	int o;

	while ((o = getopt_long(argc, argv, "t:r:d:w:i:s:R:g:p:c:SP:h",
				long_opts, NULL)) != -1) {
		switch (o) {
		case 't':
			params.threads = parse_num("--threads", optarg, 1, 63);
			break;
		case 'r':
			params.reps = parse_num("--reps", optarg, 1, MAX_REPS);
			break;
		case 'd':
			params.duration_ms = parse_num("--duration", optarg,
						       1, 60000);
			break;
		case 'w':
			params.warmup_ms = parse_num("--warmup", optarg,
						     0, 60000);
			break;
		case 'i':
			params.fast_iters = parse_num("--iters", optarg,
						      1, 1L << 40);
			break;
		case 's':
			params.obj_size = parse_num("--size", optarg, 8, 8192);
			break;
		case 'R':
			params.ring_size = parse_num("--ring", optarg, 2,
						     1 << 20);
			if (params.ring_size & (params.ring_size - 1)) {
				fprintf(stderr,
					"slub_ll_bench: --ring wants a power of two\n");
				exit(2);
			}
			break;
		case 'g':
			params.group = parse_num("--group", optarg, 2, 64) & ~1;
			break;
		case 'p':
			patterns = parse_patterns(optarg);
			break;
		case 'c':
			callgrind = optarg;
			break;
		case 'S':
			params.stats = true;
			break;
		case 'P':
			params.cpu_partial = parse_num("--cpu-partial", optarg,
						       0, 1 << 20);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "slub_ll_bench: unexpected '%s'\n",
			argv[optind]);
		usage(stderr);
		exit(2);
	}
	if (!params.threads)
		params.threads = online_cpus() < 63 ? online_cpus() : 63;
	return callgrind;
}

/* Each distinct allocator init runs once, for every simulated CPU. */
static void init_allocators(void)
{
	int (*done[NR_COLS])(int) = { NULL };
	int c, d;

	for (c = 0; c < NR_COLS; c++) {
		if (!cols[c])
			continue;
		for (d = 0; d < c && done[d] != cols[c]->init; d++)
			;
		if (d < c)
			continue;
		done[c] = cols[c]->init;
		/* Crossfree with one thread uses two simulated CPUs. */
		if (cols[c]->init(params.threads < 2 ? 2 : params.threads)) {
			fprintf(stderr, "slub_ll_bench: %s: init failed\n",
				cols[c]->name);
			exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	const char *callgrind = parse_args(argc, argv);
	double t0;

	init_allocators();
	if (callgrind)
		return fastpath_callgrind(find_allocator(callgrind),
					  params.fast_iters) ? 1 : 0;
	t0 = now_sec();
	print_header();
	run_table();
	printf("\ntable took %.0f s\n", now_sec() - t0);
	return 0;
}
