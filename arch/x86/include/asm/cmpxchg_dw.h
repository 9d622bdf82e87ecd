/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_CMPXCHG_DW_H
#define _ASM_X86_CMPXCHG_DW_H
/*
 * Compare-exchange of two adjacent machine words, the first aligned to
 * twice the word size: cmpxchg16b on x86-64, cmpxchg8b on i386.
 *
 *   cmpxchg_dw(ptr, o1, o2, n1, n2)
 *	If ptr[0] == o1 and ptr[1] == o2, store n1 and n2; true if stored.
 *	Locked: atomic against every CPU.
 *   this_cpu_cmpxchg_dw(pcp, o1, o2, n1, n2)
 *	The same on this CPU's instance of the per-CPU word pcp and the word
 *	that follows it.  Not locked: atomic against interrupts and
 *	preemption on this CPU only, which is all per-CPU data needs.
 *   system_has_cmpxchg_dw()
 *	Whether the CPU has the instruction.  Without it cmpxchg_dw() must
 *	not be used, and this_cpu_cmpxchg_dw() falls back to a plain
 *	compare and store with interrupts disabled, finding this CPU's
 *	instance only once they are (include/asm-generic/cmpxchg_dw.h).
 *
 * The names differ from cmpxchg_double() on purpose: the word pair is
 * passed as one pointer, and the per-CPU form is usable without it.
 */
#include <linux/types.h>
#include <linux/irqflags.h>
#include <asm/alternative.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <linux/percpu.h>

#ifdef CONFIG_X86_64
#define __CMPXCHG_DW_INSN	"cmpxchg16b"
#define __CMPXCHG_DW_FEATURE	X86_FEATURE_CX16
#else
#define __CMPXCHG_DW_INSN	"cmpxchg8b"
#define __CMPXCHG_DW_FEATURE	X86_FEATURE_CX8
#endif

#define system_has_cmpxchg_dw()	static_cpu_has(__CMPXCHG_DW_FEATURE)

/*
 * The asm operand naming this CPU's instance of a per-CPU word.  In the
 * kernel the segment prefix of __percpu_arg() selects the instance; a
 * user-space build without segment-based per-CPU data overrides this.
 */
#ifndef __cmpxchg_dw_pcp
#define __cmpxchg_dw_pcp(pcp)	(pcp)
#endif

static __always_inline bool __cmpxchg_dw(unsigned long *ptr,
					 unsigned long o1, unsigned long o2,
					 unsigned long n1, unsigned long n2)
{
	bool done;

	asm volatile(LOCK_PREFIX __CMPXCHG_DW_INSN " %[lo]"
		     CC_SET(z)
		     : CC_OUT(z) (done), [lo] "+m" (ptr[0]), "+m" (ptr[1]),
		       "+a" (o1), "+d" (o2)
		     : "b" (n1), "c" (n2)
		     : "memory");
	return done;
}

#define cmpxchg_dw(ptr, o1, o2, n1, n2)					\
	__cmpxchg_dw((unsigned long *)(ptr),				\
		     (unsigned long)(o1), (unsigned long)(o2),		\
		     (unsigned long)(n1), (unsigned long)(n2))

/* The fallback of this_cpu_cmpxchg_dw(), shared with other architectures */
#include <asm-generic/cmpxchg_dw.h>

#define this_cpu_cmpxchg_dw(pcp, o1, o2, n1, n2)			\
({									\
	__auto_type __pcp = &(pcp);					\
	unsigned long __o1 = (unsigned long)(o1);			\
	unsigned long __o2 = (unsigned long)(o2);			\
	unsigned long __n1 = (unsigned long)(n1);			\
	unsigned long __n2 = (unsigned long)(n2);			\
	bool __done;							\
									\
	if (likely(system_has_cmpxchg_dw())) {				\
		asm volatile(__CMPXCHG_DW_INSN " " __percpu_arg([lo])	\
			     CC_SET(z)					\
			     : CC_OUT(z) (__done),			\
			       [lo] "+m" (__cmpxchg_dw_pcp(*__pcp)),	\
			       "+a" (__o1), "+d" (__o2)			\
			     : "b" (__n1), "c" (__n2)			\
			     : "memory");				\
	} else {							\
		__done = __this_cpu_cmpxchg_dw_irq(*__pcp, __o1, __o2,	\
						   __n1, __n2);		\
	}								\
	__done;								\
})

#endif /* _ASM_X86_CMPXCHG_DW_H */
