/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <asm/cmpxchg_dw.h> for user space.
 *
 * Plain and ASan builds use the x86 header itself, its asm unchanged: the
 * per-CPU word becomes the calling thread's copy, with no segment prefix.
 * ThreadSanitizer cannot see inside asm, so its build uses the compiler's
 * 16-byte __atomic builtins instead (needs -mcx16).  The "generic" build
 * takes include/asm-generic/cmpxchg_dw.h, as an architecture without a
 * double-word compare-exchange would.
 */
#ifndef SLL_CMPXCHG_H
#define SLL_CMPXCHG_H

/*
 * The kernel patches static_cpu_has() into a plain jump at boot.  Here the
 * build already assumes the instruction (-mcx16), and sll_init() refuses
 * to run on a CPU without it, so the answer is a compile-time constant.
 */
#ifndef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
#error "build with -mcx16"
#endif
#define X86_FEATURE_CX16 1
#define X86_FEATURE_CX8 2
#define static_cpu_has(f) ((f) == X86_FEATURE_CX16)

#if defined(SLL_GENERIC_CMPXCHG_MODE)

/* an architecture without the instruction: every cache in page-lock mode */
#include SLL_GENERIC_CMPXCHG_DW

#elif defined(SLL_ATOMIC_BUILTINS)

#define system_has_cmpxchg_dw() static_cpu_has(X86_FEATURE_CX16)

static __always_inline bool sll_cas16(void *ptr, unsigned long o1,
				      unsigned long o2, unsigned long n1,
				      unsigned long n2)
{
	unsigned __int128 old = ((unsigned __int128)o2 << 64) | o1;
	unsigned __int128 new = ((unsigned __int128)n2 << 64) | n1;

	return __atomic_compare_exchange_n((unsigned __int128 *)ptr, &old, new,
					   false, __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED);
}

#define cmpxchg_dw(ptr, o1, o2, n1, n2)					\
	sll_cas16((ptr), (unsigned long)(o1), (unsigned long)(o2),	\
		  (unsigned long)(n1), (unsigned long)(n2))
#define this_cpu_cmpxchg_dw(pcp, o1, o2, n1, n2)			\
	sll_cas16(raw_cpu_ptr(&(pcp)), (unsigned long)(o1),		\
		  (unsigned long)(o2), (unsigned long)(n1),		\
		  (unsigned long)(n2))

#else

#define LOCK_PREFIX "lock; "
#define CC_SET(c) "\n\t/* output condition code " #c "*/\n"
#define CC_OUT(c) "=@cc" #c
#define __percpu_arg(x) "%" #x
#define __cmpxchg_dw_pcp(pcp) (*raw_cpu_ptr(&(pcp)))
#include SLL_ARCH_CMPXCHG_DW

#endif

#endif /* SLL_CMPXCHG_H */
