# SPDX-License-Identifier: GPL-2.0
#
# slub-ll workbench.  `make bench` builds Linux (Debian's linux-source of
# the tree KVER) with the quilt series in patches/<ver>/, boots each
# configuration under QEMU and compares hackbench times; `make check` runs
# the tests.  See README.md.

# The kernel tree, 6.1 or 7.3, for every target: empty is the default
# written in scripts/lib.sh (WB_KVER_DEFAULT), which also holds each
# tree's package, directories and bench defaults.
KVER ?=
KVERS = $(shell sed -n 's/^WB_KVERS="\(.*\)"$$/\1/p' scripts/lib.sh 2>/dev/null)
# wbvar NAME: a variable of scripts/lib.sh for the tree KVER (for help).
wbvar = $(shell KVER='$(KVER)' bash -c '. scripts/lib.sh >/dev/null && echo "$$$(1)"' 2>&1)

# Configurations compared (files configs/bench/<name>.conf) and the baseline.
# CONFIGS empty: the clock's default, CONFIGS_WALL on the wall clock,
# CONFIGS_ICOUNT on the instruction-count clock, where a boot costs more;
# empty CONFIGS_WALL, CONFIGS_ICOUNT, BASELINE: the tree's (scripts/lib.sh).
CONFIGS ?=
CONFIGS_WALL ?=
CONFIGS_ICOUNT ?=
BASELINE ?=
# A/A mode: AA=<name> runs that configuration under two names.
AA ?=
ROUNDS ?= 4
RUNS ?= 5
WARMUP ?= 1
HB ?= -g 10 -l 100
# hackbench hackbench-thread hackbench-pipe forkexec caches (scripts/bench.sh);
# WARGS: the arguments of forkexec and caches.
WORKLOAD ?= hackbench
WARGS ?=
VCPUS ?= 2
MEM ?= 256M
# QEMU -cpu for every configuration (empty: each file's CPU, default max).
CPU ?=
ACCEL ?= auto
# wall (host time), icount (guest time counts executed instructions) or
# auto: wall where KVM is used (a probe boot under KVM reaches /init),
# icount where it is not (multi-threaded TCG times are the host's load).
CLOCK ?= auto
TIMEOUT ?= 600
JOBS ?= 2
# The series applied (empty: patches/<ver>).
PATCHES ?=

export KVER CONFIGS CONFIGS_WALL CONFIGS_ICOUNT BASELINE AA ROUNDS RUNS WARMUP HB WORKLOAD WARGS \
	VCPUS MEM CPU \
	ACCEL TIMEOUT JOBS PATCHES CLOCK

.PHONY: all help deps bench boot prepare kernels check check-slub_ll \
	check-patches check-workbench check-kunit check-numa check-debug \
	check-kcsan check-allocprof check-kasan check-initfree check-memcg check-plugin config-diff \
	patches clean

all: help

help:
	@bash -c '. scripts/lib.sh'
	@echo "KVER=<ver>    the kernel tree of every target: $(KVERS) (now $(call wbvar,WB_KVER):"
	@echo "              $(call wbvar,WB_KVER_PKG) $(call wbvar,WB_KVER_DEB), series patches/$(call wbvar,WB_KVER))"
	@echo "make bench    build, boot and compare: CONFIGS=\"$(or $(CONFIGS),<the clock's>)\" BASELINE=$(or $(BASELINE),$(call wbvar,WB_BASELINE))"
	@echo "              ROUNDS=$(ROUNDS) RUNS=$(RUNS) WARMUP=$(WARMUP) HB=\"$(HB)\" VCPUS=$(VCPUS) MEM=$(MEM)"
	@echo "              WORKLOAD=$(WORKLOAD) (hackbench hackbench-thread hackbench-pipe forkexec caches) WARGS=\"$(WARGS)\""
	@echo "              CPU=<qemu -cpu> ACCEL=auto|kvm|tcg TIMEOUT=$(TIMEOUT) AA=<name>"
	@echo "              CLOCK=auto|wall|icount (icount: guest time counts instructions;"
	@echo "              auto: wall with KVM, else icount); the clock's CONFIGS:"
	@echo "              wall \"$(or $(CONFIGS_WALL),$(call wbvar,WB_CONFIGS_WALL))\"," \
		"icount \"$(or $(CONFIGS_ICOUNT),$(call wbvar,WB_CONFIGS_ICOUNT))\""
	@echo "make boot     CONFIG=<name> [KBASE=allnoconfig|defconfig|debian]: boot one configuration"
	@echo "              once to its shell, run one hackbench, print the console"
	@echo "make check    all tests, both trees: allocator in user space, both series,"
	@echo "              workbench (end-to-end smoke on KVER's tree), KUnit on 7.3 and 6.1,"
	@echo "              NUMA guest, debug kernel, memcg guest on 6.1 (CHECK_PARTS:"
	@echo "              $(CHECK_PARTS)); a part that cannot run fails"
	@echo "make config-diff  [KBASE=debian] [PAIR=\"slub slub_ll\"]: configure both, print the"
	@echo "              .config diff, fail unless only the allocator's own options differ"
	@echo "make check-memcg  [KBASE=allnoconfig|debian]: cgroup kmem accounting and failslab"
	@echo "              in a guest (scripts/memcg.sh)"
	@echo "make check-plugin  [KERNEL=bzImage]: the atomics plugin of the icount clock counts"
	@echo "              a known guest program's atomic instructions exactly"
	@echo "make check-numa  SLUB-LL on a 3-node guest with memory hot-added (scripts/numa.sh)"
	@echo "make check-debug  KUnit + hackbench on a PREEMPT, lockdep kernel, 3 modes"
	@echo "make check-kcsan  the same on a PREEMPT, KCSAN kernel"
	@echo "make check-allocprof  the suite with memory allocation profiling on (7.3 only)"
	@echo "make check-kasan  [KASAN_MODE=outline|inline]: the KASAN and KFENCE KUnit suites,"
	@echo "              SLUB vs SLUB-LL"
	@echo "make check-initfree  KFENCE's suite and test_meminit booted init_on_free=1"
	@echo "              init_on_alloc=0, SLUB vs SLUB-LL"
	@echo "make patches  regenerate patches/<ver>/ from the sources"
	@echo "make prepare  extract the kernel and apply patches/<ver>/series"
	@echo "make kernels  build the kernels of CONFIGS"
	@echo "make clean    remove the workbench's builds and results"
	@echo "configurations (KVER=$(call wbvar,WB_KVER)): $(call wbvar,(wb_conf_names))"

deps:
	@scripts/deps.sh

bench:
	@scripts/bench.sh

# One configuration booted once to the initramfs shell, which runs one
# hackbench and powers off; the console is printed.  KBASE=defconfig builds
# on x86_64_defconfig + kvm_guest.config instead of allnoconfig, KBASE=debian
# on Debian's own amd64 configuration (linux-config-<ver>), both with 1G of
# guest memory unless MEM is given.
boot:
	@MEM='$(if $(filter file,$(origin MEM)),,$(MEM))' KBASE='$(KBASE)' \
		scripts/boot-config.sh '$(CONFIG)'

# Is SLUB-LL a drop-in for SLUB in a distribution kernel?  Configures both
# (no compiling) on KBASE (default Debian's configuration) and fails naming
# every option beyond the allocator's own that differs (scripts/config-diff.sh).
PAIR ?= slub slub_ll

config-diff: deps
	@scripts/config-diff.sh -k '$(or $(KBASE),debian)' $(PAIR)

prepare: deps
	@scripts/prepare.sh

kernels: deps
	@scripts/kernels.sh

# The parts run in this order, each even when an earlier one failed; a part
# that cannot run (its code or its files are missing) fails.  The last line
# counts the parts that passed and failed.  To add a part: a check-<part>
# target and its name in CHECK_PARTS.  Both trees are checked: a part
# <target>-<ver> is check-<target> on tree <ver> (check-patches covers
# both trees by itself); the guests that do not fit the check's time are
# targets of their own with KVER=7.3 (docs/testing.md).
CHECK_PARTS = slub_ll patches workbench kunit-7.3 kunit-6.1 numa-6.1 \
	debug-6.1 memcg-6.1

# check-<target>-<ver>: check-<target> on tree <ver>, its packages first.
check-%-6.1:
	@KVER=6.1 scripts/deps.sh && \
		$(MAKE) --no-print-directory check-$* KVER=6.1
check-%-7.3:
	@KVER=7.3 scripts/deps.sh && \
		$(MAKE) --no-print-directory check-$* KVER=7.3

# The suite on 7.3 in all three modes, a CPU without cmpxchg16b included
# (the 7.3 layer maps the double-word compare-exchange differently).
check-kunit-7.3:
	@KVER=7.3 scripts/deps.sh && \
		KVER=7.3 scripts/kunit.sh -m "lockless pagelock nocx16"

check: deps
	@pass=0; fail=0; failed=; \
	for p in $(CHECK_PARTS); do \
		echo "==== check-$$p"; \
		if $(MAKE) --no-print-directory check-$$p; then \
			pass=$$((pass + 1)); \
		else \
			fail=$$((fail + 1)); failed="$$failed $$p"; \
		fi; \
	done; \
	[ -z "$$failed" ] || echo "check: failed part(s):$$failed"; \
	echo "$$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]

check-slub_ll:
	@if [ -f tools/testing/slub_ll/Makefile ]; then \
		$(MAKE) -C tools/testing/slub_ll check; \
	else \
		echo "error: check-slub_ll cannot run: tools/testing/slub_ll/Makefile absent" >&2; \
		exit 1; \
	fi

# patches/<ver>/ up to date, and applying with quilt and with git am
# (which, unlike quilt, takes no fuzz) to a fresh extract of the pinned
# kernel: every tree, or only KVER when it is given.
check-patches:
	@if [ -x scripts/patches/mkpatches.sh ]; then \
		for v in $(or $(KVER),$(KVERS)); do \
			echo "check-patches: KVER=$$v"; \
			KVER=$$v scripts/patches/mkpatches.sh --check && \
			KVER=$$v scripts/patches/mkpatches.sh --verify || exit 1; \
		done; \
	else \
		echo "error: check-patches cannot run:" \
			"scripts/patches/mkpatches.sh absent" >&2; \
		exit 1; \
	fi

# Workbench unit tests, error paths, then the end-to-end smoke (90-*).
# The tests of config-diff and memcg.sh need the extracted tree and
# Debian's configuration (deps): both are made ready first, so that no
# test skips.  A test that skips anyway fails the part.
check-workbench: deps
	@scripts/prepare.sh
	@mkdir -p build; \
	{ prove -v tools/testing/workbench/; echo $$? >build/workbench.rc; } 2>&1 | \
		tee build/workbench.log; \
	rc=$$(cat build/workbench.rc); \
	if grep -E -i '^ *ok [0-9]+[^#]*# *skip' build/workbench.log; then \
		echo "check-workbench: the test(s) above skipped; a test that cannot run fails" >&2; \
		rc=1; \
	fi; \
	exit $$rc

# The patched kernel with its KUnit suite, booted lockless and in page-lock
# mode; KTAP parsed by the tree's kunit.py, statistics checked per mode.
check-kunit:
	@scripts/kunit.sh

# The QEMU plugin that counts atomic instructions on the icount clock, on a
# guest program whose counts are known (scripts/atomics-check.sh): boots
# the SLUB bench kernel once (about half a minute); not part of check.
check-plugin:
	@scripts/atomics-check.sh

# SLUB-LL on a three-node guest, one node without memory until some is
# hot-added while it runs: the KUnit module and numa-mpol before and after.
check-numa:
	@scripts/numa.sh

# Kernel-memory accounting in a cgroup v2 group with a limit, and failslab
# with hackbench and a fork loop (scripts/memcg.sh): SLUB-LL, then the same
# kernel with cgroup.memory=nokmem, whose kmem checks must fail.
# KBASE=debian: Debian's configuration + SLUB-LL, whose failslab checks
# are SKIP (Debian does not set FAULT_INJECTION).
MEMCG_RUNS ?= kmem nokmem

check-memcg:
	@scripts/memcg.sh -A slub_ll -r "$(MEMCG_RUNS)" -k '$(or $(KBASE),allnoconfig)'

# The same suite and hackbench on checking kernels (configs/debug.config:
# PREEMPT, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP; configs/kcsan.config:
# PREEMPT, KCSAN), booted lockless, in page-lock mode and on a CPU without
# cmpxchg16b; the console must show no BUG:, WARNING:, INFO:, oops or
# panic line.  check-debug is in CHECK_PARTS, check-kcsan is not: see
# README.md for how long they take.
DEBUG_MODES ?= lockless pagelock nocx16

check-debug:
	@scripts/kunit.sh -f debug -s -m "$(DEBUG_MODES)"

check-kcsan:
	@scripts/kunit.sh -f kcsan -s -m "$(DEBUG_MODES)"

# Memory allocation profiling (7.3 only, configs/7.3/allocprof.config):
# the suite with profiling on from boot and its debug checks, where
# sll_test_alloc_tag runs; not part of make check.
check-allocprof:
	@if [ "$(call wbvar,WB_KVER)" = 6.1 ]; then \
		echo "error: check-allocprof: 6.1 has no memory allocation profiling; use KVER=7.3" >&2; \
		exit 1; \
	fi
	@scripts/kunit.sh -f allocprof -s -m "$(DEBUG_MODES)"

# The tree's KASAN and KFENCE KUnit suites on SLUB and on SLUB-LL (same
# configuration, configs/kasan.config); SLUB-LL's counts must equal
# SLUB's.  Two KASAN kernels: not part of make check.  KASAN_MODE=inline
# adds configs/kasan-inline.config (two more kernels, their own builds).
KASAN_MODE ?= outline

check-kasan: deps
	@scripts/kasan.sh -m '$(KASAN_MODE)'

# init_on_free=1 init_on_alloc=0 on SLUB and on SLUB-LL, without KASAN:
# the tree's KFENCE suite (SLUB-LL's counts must equal SLUB's) and
# lib/test_meminit (no failure on either).  Two small kernels of their
# own (configs/initfree.config): not part of make check.
check-initfree: deps
	@scripts/kasan.sh -m initfree

patches:
	@if [ -x scripts/patches/mkpatches.sh ]; then \
		scripts/patches/mkpatches.sh; \
	else \
		echo "error: scripts/patches/mkpatches.sh does not exist yet" >&2; exit 1; \
	fi

# Only the workbench's own outputs, of every tree (build/linux for 6.1,
# build/linux-7.3 ...); build/ref and build/int are not ours, and the
# fetched packages (build/debian-<ver>) stay.
clean:
	rm -rf build/linux build/linux-* build/kbuild build/kbuild-* build/initramfs \
		build/results build/kunit build/kunit-* build/boot build/boot-* \
		build/numa build/numa-* build/memcg build/memcg-* build/kasan build/kasan-* \
		build/atomics-check build/atomics-check-*
