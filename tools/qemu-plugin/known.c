// SPDX-License-Identifier: GPL-2.0
/*
 * known - a guest program whose atomic instructions are known, for the
 * test of the atomics plugin (tools/qemu-plugin/check.sh).  Each window
 * (cpuid marks, as in scripts/guest/wbmark.c) runs one loop written in
 * assembly, so the user-mode counts are exact:
 *
 *   window 1: N x lock cmpxchg      (3 instructions an iteration)
 *   window 2: N x lock cmpxchg16b   (3 an iteration)
 *   window 3: N x xchg reg,mem, N x cmpxchg8b, N x lock cmpxchg8b,
 *             N x cmpxchg16b        (6 an iteration)
 *   window 4: N/100 x getppid()     (user: a few; kernel: the syscalls)
 *
 * Usage: known N.  Prints "KNOWN n=N" when done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

static void mark(unsigned int op, unsigned int n)
{
	unsigned int a = op, b = n, c = 0, d = 0;

	asm volatile("cpuid" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
}

static unsigned long long mem[2] __attribute__((aligned(16)));

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	unsigned long i, a, d, b, c;

	mark(0x57424d01, 1);
	i = n, a = 0, d = 0;
	asm volatile("1:\n\t"
		     "lock cmpxchgq %%rdx, (%[m])\n\t"
		     "decq %0\n\t"
		     "jnz 1b"
		     : "+c"(i), "+a"(a), "+d"(d) : [m] "r"(mem)
		     : "memory", "cc");
	mark(0x57424d02, 1);

	mark(0x57424d01, 2);
	i = n, a = 0, d = 0, b = 0, c = 0;
	asm volatile("1:\n\t"
		     "lock cmpxchg16b (%[m])\n\t"
		     "decq %%rsi\n\t"
		     "jnz 1b"
		     : "+S"(i), "+a"(a), "+d"(d), "+b"(b), "+c"(c)
		     : [m] "r"(mem)
		     : "memory", "cc");
	mark(0x57424d02, 2);

	mark(0x57424d01, 3);
	i = n, a = 0, d = 0, b = 0, c = 0;
	asm volatile("xorl %%r8d, %%r8d\n"
		     "1:\n\t"
		     "xchgq %%r8, (%[m])\n\t"
		     "cmpxchg8b (%[m])\n\t"
		     "lock cmpxchg8b (%[m])\n\t"
		     "cmpxchg16b (%[m])\n\t"
		     "decq %%rsi\n\t"
		     "jnz 1b"
		     : "+S"(i), "+a"(a), "+d"(d), "+b"(b), "+c"(c)
		     : [m] "r"(mem)
		     : "r8", "memory", "cc");
	mark(0x57424d02, 3);

	mark(0x57424d01, 4);
	for (i = 0; i < n / 100; i++)
		syscall(SYS_getppid);
	mark(0x57424d02, 4);

	printf("KNOWN n=%lu\n", n);
	return 0;
}
