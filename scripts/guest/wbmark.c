// SPDX-License-Identifier: GPL-2.0
/*
 * wbmark - mark a measurement window for the atomics plugin of QEMU
 * (tools/qemu-plugin/atomics.c), linked statically into the guest.
 *
 *   wbmark start N          open window N
 *   wbmark end N            close window N (the plugin writes its counts)
 *   wbmark run N CMD ARG... open N, run CMD, close N; CMD's exit status
 *
 * A mark is cpuid from user mode with EAX = 0x57424d01 (start) or
 * 0x57424d02 (end) and EBX = N; the plugin reads both.  Without the
 * plugin it is an ordinary cpuid of an unknown leaf: harmless.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void mark(unsigned int op, unsigned int n)
{
	unsigned int a = op, b = n, c = 0, d = 0;

	asm volatile("cpuid" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
}

int main(int argc, char **argv)
{
	unsigned int n;
	int st;
	pid_t p;

	if (argc < 3)
		goto usage;
	n = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "start") && argc == 3) {
		mark(0x57424d01, n);
		return 0;
	}
	if (!strcmp(argv[1], "end") && argc == 3) {
		mark(0x57424d02, n);
		return 0;
	}
	if (strcmp(argv[1], "run") || argc < 4)
		goto usage;
	mark(0x57424d01, n);
	p = fork();
	if (p == 0) {
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0) {
		perror("wbmark");
		return 126;
	}
	mark(0x57424d02, n);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
usage:
	fprintf(stderr, "usage: wbmark start|end N | wbmark run N CMD [ARG...]\n");
	return 2;
}
