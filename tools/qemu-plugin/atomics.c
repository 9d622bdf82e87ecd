// SPDX-License-Identifier: GPL-2.0
/*
 * atomics.c - a QEMU TCG plugin (x86-64 system emulation) that counts the
 * guest instructions executed and, among them, the atomic read-modify-write
 * ones, in kernel and in user mode, over windows the guest marks.
 *
 * Classes, decoded from each instruction's bytes at translation time:
 *   locked           any lock-prefixed instruction (F0 among the prefixes)
 *   xchg_mem         xchg with a memory operand and no lock prefix
 *                    (86/87, ModRM.mod != 3): locked by the CPU implicitly
 *   cmpxchg16b_*     0F C7 /1 with REX.W, with or without a lock prefix;
 *   cmpxchg8b_*      0F C7 /1 without REX.W  (the locked ones are also in
 *                    "locked"; the unlocked ones are per-CPU operations
 *                    such as this_cpu_cmpxchg_double)
 *
 * Kernel or user mode: by the block's virtual address.  On x86-64 Linux
 * the kernel runs from the upper half (>= 0xffff800000000000) and user
 * space from the lower half, so the address decides the privilege level
 * without a register read per block.  (A block does not cross from one
 * half to the other.)
 *
 * Counting: callbacks, not inline operations, which crash QEMU 10.0's
 * single-threaded TCG under -icount with more than one vCPU.  Each block
 * adds its instruction count to a per-vCPU scoreboard when it starts (a
 * block left early by an exception still counts whole: page faults make
 * the totals a little high); each atomic instruction has a callback of
 * its own, so the atomic counts are exact.
 *
 * Windows: the guest executes cpuid from user mode with EAX = MARK_START
 * or MARK_END and EBX = a window number (scripts/guest/wbmark.c).  A
 * callback on every user-mode cpuid reads EAX and EBX through the
 * register API; at START the counters summed over the vCPUs are
 * remembered, at END the difference is written as one line to the file
 * given as outfile=PATH:
 *
 *   PLUGIN-ATOMICS window=<n> insns_kernel=N insns_user=N locked=N
 *     xchg_mem=N cmpxchg16b_locked=N cmpxchg16b_unlocked=N
 *     cmpxchg8b_locked=N cmpxchg8b_unlocked=N user_locked=N ...
 *
 * (one line; the unprefixed atomic counts are kernel mode, user_* the
 * same classes in user mode).  At exit a line with window=total covers
 * the whole run, boot included.  Under single-threaded TCG (the
 * instruction-count clock) the vCPUs take turns, so a window's sums are
 * exact; under multi-threaded TCG another vCPU may be mid-block.
 *
 * Arguments: outfile=PATH (default: QEMU's log via qemu_plugin_outs).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define KERNEL_START	0xffff800000000000ULL
#define MARK_START	0x57424d01u	/* "WBM" 1 */
#define MARK_END	0x57424d02u	/* "WBM" 2 */

enum cls {
	C_INSNS,
	C_LOCKED,
	C_XCHG_MEM,
	C_CX16_LOCKED,
	C_CX16_UNLOCKED,
	C_CX8_LOCKED,
	C_CX8_UNLOCKED,
	NR_CLS
};

static const char *const cls_name[NR_CLS] = {
	"insns", "locked", "xchg_mem", "cmpxchg16b_locked",
	"cmpxchg16b_unlocked", "cmpxchg8b_locked", "cmpxchg8b_unlocked",
};

enum { M_USER, M_KERNEL, NR_MODES };

struct counts {
	uint64_t c[NR_MODES][NR_CLS];
};

static struct qemu_plugin_scoreboard *score;
static struct qemu_plugin_register *reg_eax, *reg_ebx;
static GMutex lock;
static FILE *out;
static struct counts start;
static int64_t open_window = -1;
static unsigned int nr_vcpus;	/* highest vCPU index seen + 1 */

static void sum_counts(struct counts *s)
{
	unsigned int v;
	int m, k;

	memset(s, 0, sizeof(*s));
	for (v = 0; v < nr_vcpus; v++) {
		const struct counts *c = qemu_plugin_scoreboard_find(score, v);

		for (m = 0; m < NR_MODES; m++)
			for (k = 0; k < NR_CLS; k++)
				s->c[m][k] += c->c[m][k];
	}
}

static void emit(const char *window, const struct counts *d)
{
	GString *s = g_string_new("PLUGIN-ATOMICS");
	int k;

	g_string_append_printf(s, " window=%s insns_kernel=%" PRIu64
			       " insns_user=%" PRIu64, window,
			       d->c[M_KERNEL][C_INSNS], d->c[M_USER][C_INSNS]);
	for (k = C_LOCKED; k < NR_CLS; k++)
		g_string_append_printf(s, " %s=%" PRIu64, cls_name[k],
				       d->c[M_KERNEL][k]);
	for (k = C_LOCKED; k < NR_CLS; k++)
		g_string_append_printf(s, " user_%s=%" PRIu64, cls_name[k],
				       d->c[M_USER][k]);
	g_string_append_c(s, '\n');
	if (out) {
		fputs(s->str, out);
		fflush(out);
	} else {
		qemu_plugin_outs(s->str);
	}
	g_string_free(s, TRUE);
}

static uint32_t read_reg32(struct qemu_plugin_register *r)
{
	GByteArray *buf = g_byte_array_new();
	uint32_t v = 0;
	int n = qemu_plugin_read_register(r, buf);

	/* target byte order: little-endian on x86 */
	for (int i = (n > 4 ? 4 : n) - 1; i >= 0; i--)
		v = v << 8 | buf->data[i];
	g_byte_array_free(buf, TRUE);
	return v;
}

static void on_cpuid(unsigned int vcpu, void *udata)
{
	uint32_t eax, ebx;
	struct counts now;
	char name[24];
	int m, k;

	if (!reg_eax || !reg_ebx)
		return;
	eax = read_reg32(reg_eax);
	if (eax != MARK_START && eax != MARK_END)
		return;
	ebx = read_reg32(reg_ebx);
	g_mutex_lock(&lock);
	sum_counts(&now);
	if (eax == MARK_START) {
		start = now;
		open_window = ebx;
	} else if (open_window == (int64_t)ebx) {
		for (m = 0; m < NR_MODES; m++)
			for (k = 0; k < NR_CLS; k++)
				now.c[m][k] -= start.c[m][k];
		snprintf(name, sizeof(name), "%u", ebx);
		emit(name, &now);
		open_window = -1;
	}
	g_mutex_unlock(&lock);
}

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0xf0: case 0xf2: case 0xf3: case 0x2e: case 0x36: case 0x3e:
	case 0x26: case 0x64: case 0x65: case 0x66: case 0x67:
		return true;
	}
	return false;
}

/*
 * Classify one instruction from its bytes; *cpuid is set for 0F A2.
 * Returns the atomic class or C_INSNS for none.
 */
static int classify(const uint8_t *b, size_t n, bool *cpuid)
{
	bool lock = false, rexw = false;
	size_t i = 0;
	uint8_t modrm;

	*cpuid = false;
	while (i < n && is_legacy_prefix(b[i]))
		lock |= b[i++] == 0xf0;
	if (i < n && (b[i] & 0xf0) == 0x40)
		rexw = b[i++] & 0x08;
	if (i >= n)
		return C_INSNS;
	if (b[i] == 0x86 || b[i] == 0x87) {
		if (i + 1 < n && (b[i + 1] >> 6) != 3)
			return lock ? C_LOCKED : C_XCHG_MEM;
		return lock ? C_LOCKED : C_INSNS;
	}
	if (b[i] == 0x0f && i + 1 < n) {
		if (b[i + 1] == 0xa2) {
			*cpuid = true;
			return lock ? C_LOCKED : C_INSNS;
		}
		if (b[i + 1] == 0xc7 && i + 2 < n) {
			modrm = b[i + 2];
			if ((modrm >> 6) != 3 && ((modrm >> 3) & 7) == 1) {
				if (rexw)
					return lock ? C_CX16_LOCKED :
						      C_CX16_UNLOCKED;
				return lock ? C_CX8_LOCKED : C_CX8_UNLOCKED;
			}
		}
	}
	return lock ? C_LOCKED : C_INSNS;
}

/*
 * What a block or an instruction adds when it executes: the counter
 * (mode, class) packed into the callback's user data with the amount.
 */
#define UDATA(mode, cls, n)	((void *)(uintptr_t)(((uint64_t)(n) << 8) | \
						     (mode) << 4 | (cls)))

static void on_exec(unsigned int vcpu, void *udata)
{
	uintptr_t u = (uintptr_t)udata;
	struct counts *c = qemu_plugin_scoreboard_find(score, vcpu);

	c->c[(u >> 4) & 0xf][u & 0xf] += u >> 8;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	int mode = qemu_plugin_tb_vaddr(tb) >= KERNEL_START ? M_KERNEL :
							      M_USER;

	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec,
		QEMU_PLUGIN_CB_NO_REGS, UDATA(mode, C_INSNS, n));
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint8_t b[16];
		size_t len = qemu_plugin_insn_data(insn, b, sizeof(b));
		bool cpuid;
		int k = classify(b, len, &cpuid);

		if (k != C_INSNS)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec,
				QEMU_PLUGIN_CB_NO_REGS, UDATA(mode, k, 1));
		/* a locked cmpxchg8b/16b is also a locked instruction */
		if (k == C_CX16_LOCKED || k == C_CX8_LOCKED)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec,
				QEMU_PLUGIN_CB_NO_REGS,
				UDATA(mode, C_LOCKED, 1));
		if (cpuid && mode == M_USER)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_cpuid,
				QEMU_PLUGIN_CB_R_REGS, NULL);
	}
}

static void vcpu_init(qemu_plugin_id_t id, unsigned int vcpu)
{
	GArray *regs;
	guint i;

	g_mutex_lock(&lock);
	if (vcpu >= nr_vcpus)
		nr_vcpus = vcpu + 1;
	if (!reg_eax) {
		regs = qemu_plugin_get_registers();
		for (i = 0; i < regs->len; i++) {
			qemu_plugin_reg_descriptor *r = &g_array_index(regs,
				qemu_plugin_reg_descriptor, i);

			if (!strcmp(r->name, "rax") || !strcmp(r->name, "eax"))
				reg_eax = r->handle;
			else if (!strcmp(r->name, "rbx") ||
				 !strcmp(r->name, "ebx"))
				reg_ebx = r->handle;
		}
		g_array_free(regs, TRUE);
		if (!reg_eax || !reg_ebx)
			fprintf(stderr, "atomics: no rax/rbx register; "
				"windows are not marked\n");
	}
	g_mutex_unlock(&lock);
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	struct counts total;

	g_mutex_lock(&lock);
	sum_counts(&total);
	emit("total", &total);
	if (out)
		fclose(out);
	out = NULL;
	g_mutex_unlock(&lock);
	qemu_plugin_scoreboard_free(score);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *outfile = NULL;
	int i;

	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		fprintf(stderr, "atomics: x86_64 system emulation only\n");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "outfile=", 8)) {
			outfile = argv[i] + 8;
		} else {
			fprintf(stderr, "atomics: unknown argument %s\n",
				argv[i]);
			return -1;
		}
	}
	if (outfile) {
		out = fopen(outfile, "w");
		if (!out) {
			perror(outfile);
			return -1;
		}
	}
	score = qemu_plugin_scoreboard_new(sizeof(struct counts));
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
