/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_GENERIC_CMPXCHG_DW_H
#define _ASM_GENERIC_CMPXCHG_DW_H
/*
 * Double-word compare-exchange for architectures without one (see
 * arch/x86/include/asm/cmpxchg_dw.h for the interface).  There is no
 * locked form: system_has_cmpxchg_dw() is false, and users must take a
 * lock instead; cmpxchg_dw() only warns and fails if reached anyway.  The
 * per-CPU form only has to be atomic against this CPU, which disabling
 * interrupts gives.
 */
#include <linux/types.h>
#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>

#define system_has_cmpxchg_dw()	false

static inline bool __cmpxchg_dw_missing(void)
{
	WARN_ON_ONCE(1);
	return false;
}

#define cmpxchg_dw(ptr, o1, o2, n1, n2)	__cmpxchg_dw_missing()

static __always_inline bool
__this_cpu_cmpxchg_dw_irq(unsigned long *p, unsigned long o1,
			  unsigned long o2, unsigned long n1, unsigned long n2)
{
	unsigned long flags;
	bool done;

	raw_local_irq_save(flags);
	done = p[0] == o1 && p[1] == o2;
	if (done) {
		p[0] = n1;
		p[1] = n2;
	}
	raw_local_irq_restore(flags);
	return done;
}

#define this_cpu_cmpxchg_dw(pcp, o1, o2, n1, n2)			\
	__this_cpu_cmpxchg_dw_irq((unsigned long *)raw_cpu_ptr(&(pcp)),	\
				  (unsigned long)(o1), (unsigned long)(o2), \
				  (unsigned long)(n1), (unsigned long)(n2))

#endif /* _ASM_GENERIC_CMPXCHG_DW_H */
