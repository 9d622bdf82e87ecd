/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_GENERIC_CMPXCHG_DW_H
#define _ASM_GENERIC_CMPXCHG_DW_H
/*
 * Double-word compare-exchange (interface in arch/x86/include/asm/cmpxchg_dw.h).
 *
 * __this_cpu_cmpxchg_dw_irq() is the one fallback of this_cpu_cmpxchg_dw()
 * for every architecture: with interrupts disabled, the task can neither
 * be preempted nor migrate, so the per-CPU instance it finds then is the
 * one it compares and stores.  The pointer must be computed inside that
 * section: taken before, it may name the CPU the task just left, whose
 * pair that CPU's own fastpath changes concurrently.
 *
 * An architecture header that has the instruction defines
 * system_has_cmpxchg_dw() and includes this file for the fallback.  An
 * architecture without one gets this file alone: system_has_cmpxchg_dw()
 * is false and its users take a lock instead; cmpxchg_dw() only warns and
 * fails if reached anyway.
 */
#include <linux/types.h>
#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>

#define __this_cpu_cmpxchg_dw_irq(pcp, o1, o2, n1, n2)			\
({									\
	unsigned long __flags, *__p;					\
	bool __done;							\
									\
	raw_local_irq_save(__flags);					\
	__p = (unsigned long *)raw_cpu_ptr(&(pcp));			\
	__done = __p[0] == (unsigned long)(o1) &&			\
		 __p[1] == (unsigned long)(o2);				\
	if (__done) {							\
		__p[0] = (unsigned long)(n1);				\
		__p[1] = (unsigned long)(n2);				\
	}								\
	raw_local_irq_restore(__flags);					\
	__done;								\
})

#ifndef system_has_cmpxchg_dw

#define system_has_cmpxchg_dw()	false

static inline bool __cmpxchg_dw_missing(void)
{
	WARN_ON_ONCE(1);
	return false;
}

#define cmpxchg_dw(ptr, o1, o2, n1, n2)	__cmpxchg_dw_missing()

#define this_cpu_cmpxchg_dw(pcp, o1, o2, n1, n2)			\
	__this_cpu_cmpxchg_dw_irq(pcp, o1, o2, n1, n2)

#endif /* !system_has_cmpxchg_dw */

#endif /* _ASM_GENERIC_CMPXCHG_DW_H */
