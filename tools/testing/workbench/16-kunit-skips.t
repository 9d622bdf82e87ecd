#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A skipped KUnit case passes only where scripts/kunit-skips allows it in
# the runner's mode.  scripts/kunit.sh -B on a stand-in QEMU that prints a
# canned console (the slub_ll suite's cases as listed in
# mm/slub_ll_kunit.c, a hackbench run, the statistics): the skips of a
# one-node lockless boot pass, a skipped CPU-hotplug case fails naming it,
# and the page-lock mode's own skip passes there and fails in lockless
# mode; CPU partial lists over their bound after hackbench (or no line on
# them) fail.  wb_kunit_skips (lib.sh) on canned KTAP for the modes of
# scripts/numa.sh and scripts/kasan.sh, and the allow-list names only
# known modes and cases.

. "$(dirname "$0")/tap.sh"
. "$ROOT/scripts/lib.sh"

echo "1..17"

# the guest's line on its CPU partial lists after hackbench
CPULISTS="caches=90 slabs=100 over=0"

src=$ROOT/mm/slub_ll_kunit.c
cases=$(sed -n '/^static struct kunit_case sll_test_cases\[\] = {$/,/^};$/p' "$src" |
	sed -n 's/^	KUNIT_CASE(\(sll_[a-z0-9_]*\)),$/\1/p')
numa_cases=$(sed -n '/^static struct kunit_case sll_numa_cases\[\] = {$/,/^};$/p' "$src" |
	sed -n 's/^	KUNIT_CASE(\(sll_[a-z0-9_]*\)),$/\1/p')

# ktap SUITE CASES SKIP...: the KTAP of one suite; each SKIP is
# "case:reason", a case reported as skipped.
ktap()
{
	local suite=$1 list=$2 i=0 c s r line

	shift 2
	echo "    KTAP version 1"
	echo "    # Subtest: $suite"
	echo "    1..$(echo "$list" | wc -l)"
	for c in $list; do
		i=$((i + 1))
		line="    ok $i $c"
		for s in "$@"; do
			r=${s#*:}
			[ "${s%%:*}" = "$c" ] && line="$line # SKIP $r"
		done
		echo "$line"
	done
}

# console MODE SKIP...: a kunit.sh guest's console: the kernel's lines
# with timestamps, then those of the initramfs.
console()
{
	local mode=$1 locks=0 n=0 c l

	shift
	[ "$mode" = lockless ] || locks=812
	{
		echo "SLUB-LL: ${mode/pagelock/page-lock} slowpaths, cmpxchg16b"
		echo "KTAP version 1"
		echo "1..2"
		ktap slub_ll "$cases" "$@"
		echo "ok 1 slub_ll"
		for c in $numa_cases; do
			echo "$c:needs two online nodes or more"
		done | {
			mapfile -t skips
			ktap slub_ll_numa "$numa_cases" "${skips[@]}"
		}
		echo "ok 2 slub_ll_numa # SKIP"
	} | while IFS= read -r l; do
		echo "[    2.000000] $l"
	done
	echo "WB-GUEST-UP kernel=stand-in cpus=2"
	echo "WB-HB args=-g,4,-l,50 runs=1 warmup=0"
	echo "HB run=1 seconds=0.5"
	for l in alloc_fastpath alloc_slowpath free_fastpath free_slowpath \
		 alloc_slab; do
		echo "SLABSTAT stat=$l total=$((n += 100)) caches=20"
	done
	echo "SLABSTAT stat=pagelock_taken total=$locks caches=20"
	[ -z "$CPULISTS" ] || echo "WB-CPULISTS $CPULISTS"
	echo "WB-GUEST-DONE runs=1 errors=0"
}

# Stand-ins: QEMU prints $T/console; the tree has the suite's source
# (for the case count) and a parser that accepts anything.
mkdir -p "$T/bin" "$T/tree/mm" "$T/tree/tools/testing/kunit" \
	"$T/kbuild/base-slub_ll-kunit/arch/x86/boot" "$T/wb/initramfs"
printf '#!/bin/sh\ncat "%s"\n' "$T/console" >"$T/bin/qemu-system-x86_64"
chmod +x "$T/bin/qemu-system-x86_64"
cp "$src" "$T/tree/mm/"
# a 7.3 tree: its layout header has every feature a case may need
mkdir -p "$T/tree/include/linux"
cp "$ROOT/trees/7.3/include/linux/slub_ll_layout.h" "$T/tree/include/linux/"
echo 'print("stand-in parser")' >"$T/tree/tools/testing/kunit/kunit.py"
: >"$T/kbuild/base-slub_ll-kunit/arch/x86/boot/bzImage"
: >"$T/wb/initramfs/initramfs.cpio"
kunit()
{
	PATH=$T/bin:$PATH TREE=$T/tree KBUILD_DIR=$T/kbuild WB_BUILD=$T/wb \
		"$ROOT/scripts/kunit.sh" -B -t 30 "$@" >"$T/out" 2>&1
}
one_node="sll_test_cpu_partial_node:needs two nodes with normal memory"

console lockless "$one_node" >"$T/console"
kunit -m lockless
[ $? -eq 0 ] && grep -q "kunit lockless: slub_ll suite passed" "$T/out"
ok $? "kunit.sh: a one-node lockless boot's allowed skips pass"

console lockless "$one_node" "sll_test_hotplug:CPU 1 did not go offline (-16)" >"$T/console"
kunit -m lockless
[ $? -ne 0 ] &&
	grep -q "kunit lockless FAILED: suite slub_ll: skipped, and not allowed to skip in mode lockless (scripts/kunit-skips): sll_test_hotplug (CPU 1 did not go offline (-16))" "$T/out"
ok $? "kunit.sh: a skipped hotplug case fails, named with its reason"

console lockless "$one_node" "sll_test_lockless:caches run in page-lock mode on this boot" >"$T/console"
kunit -m lockless
[ $? -ne 0 ] && grep -q "not allowed to skip in mode lockless.*: sll_test_lockless" "$T/out"
ok $? "kunit.sh: the page-lock mode's skip fails a lockless boot"

console pagelock "$one_node" "sll_test_lockless:caches run in page-lock mode on this boot" >"$T/console"
kunit -m pagelock
[ $? -eq 0 ] && grep -q "kunit pagelock: slub_ll suite passed" "$T/out"
ok $? "kunit.sh: the page-lock mode's skip passes a page-lock boot"

# Memory held after the workload: a CPU's lists over their bound fail the
# boot, named with the worst cache; a guest that printed no line fails.
CPULISTS="caches=90 slabs=107 over=1 worst=dentry:C1=11/8" \
	console lockless "$one_node" >"$T/console"
kunit -m lockless
[ $? -ne 0 ] &&
	grep -q "kunit lockless FAILED: CPU partial lists over their bound after hackbench: caches=90 slabs=107 over=1 worst=dentry:C1=11/8" "$T/out"
ok $? "kunit.sh: a CPU's partial lists over their bound after hackbench fail"

CPULISTS= console lockless "$one_node" >"$T/console"
kunit -m lockless
[ $? -ne 0 ] && grep -q "the guest printed no WB-CPULISTS line" "$T/out"
ok $? "kunit.sh: a guest that does not report its CPU partial lists fails"

# The modes of numa.sh and kasan.sh: KTAP without the console around it.
ktap slub_ll "$cases" "sll_test_merge:caches are not merged in this kernel" \
	"sll_test_double_free:needs CONFIG_SLAB_FREELIST_HARDENED" >"$T/ktap"
wb_kunit_skips numa "$T/ktap" >"$T/out" 2>&1
ok $? "numa: the skips the NUMA kernel's configuration implies pass"

ktap slub_ll "$cases" "$one_node" >"$T/ktap"
wb_kunit_skips numa "$T/ktap" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "mode numa.*: sll_test_cpu_partial_node (needs two nodes" "$T/out"
ok $? "numa: a skipped two-node case fails on the three-node guest"

ktap slub_ll "$cases" "$one_node" "sll_test_double_free:KASAN reports the double free itself" \
	"sll_test_merge:caches are not merged in this kernel" >"$T/ktap"
wb_kunit_skips kasan "$T/ktap" >"$T/out" 2>&1
ok $? "kasan: the skips KASAN implies pass"

ktap slub_ll "$cases" "sll_test_alloc_free:KASAN's quarantine defers the frees" >"$T/ktap"
wb_kunit_skips kasan "$T/ktap" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q ": sll_test_alloc_free (KASAN's quarantine" "$T/out"
ok $? "kasan: a case skipped whole for the quarantine fails"

# A fragment's own skip: allowed in its runs only.
ktap slub_ll "$cases" "$one_node" \
	"sll_test_double_free:the profiler's debug check warns of the double free first" >"$T/ktap"
wb_kunit_skips allocprof/lockless "$T/ktap" >"$T/out" 2>&1
ok $? "allocprof/lockless: the mode's skips and the fragment's own pass"

wb_kunit_skips lockless "$T/ktap" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "mode lockless.*: sll_test_double_free (the profiler" "$T/out"
ok $? "lockless: the allocprof fragment's skip fails an ordinary boot"

# The same fragment takes the plain modes' skip of the profiling case
# back: that case must run where the fragment turns profiling on.
ktap slub_ll "$cases" "$one_node" \
	"sll_test_alloc_tag:needs CONFIG_MEM_ALLOC_PROFILING" >"$T/ktap"
wb_kunit_skips lockless "$T/ktap" >"$T/out" 2>&1
ok $? "lockless: the profiling case may skip on an ordinary boot"

wb_kunit_skips allocprof/lockless "$T/ktap" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "mode allocprof/lockless.*: sll_test_alloc_tag (needs" "$T/out"
ok $? "allocprof/lockless: the profiling case may not skip where profiling is on"

wb_kunit_skips sideways "$T/ktap" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "mode 'sideways' unknown; valid: $WB_KUNIT_SKIP_MODES" "$T/out"
ok $? "an unknown mode is refused, listing the valid ones"

# The allow-list itself: known modes, cases of the suite, a reason each.
bad=$(grep -v -e '^#' -e '^$' "$WB_KUNIT_SKIPS" | while read -r m c r; do
	case " $WB_KUNIT_SKIP_MODES " in *" ${m##*/} "*) ;; *) echo "mode $m" ;; esac
	echo "$cases $numa_cases" | tr ' ' '\n' | grep -qx "${c#!}" || echo "case $c"
	case $c in !*) [ "$m" != "${m##*/}" ] || echo "plain mode $m takes back $c" ;; esac
	[ -n "$r" ] || echo "no reason for $m $c"
done)
echo "$bad" >"$T/out"
[ -z "$bad" ]
ok $? "scripts/kunit-skips names known modes and cases, each with a reason"

grep -q "^lockless sll_test_hotplug\|^numa  *sll_test_cpu_partial_node" "$WB_KUNIT_SKIPS"
[ $? -ne 0 ]
ok $? "hotplug may not skip in a 2-vCPU guest, nor cpu_partial_node on 3 nodes"

[ $failed -eq 0 ]
