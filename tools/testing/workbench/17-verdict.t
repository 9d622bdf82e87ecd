#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The verdicts of scripts/lib/verdict.sh.  The kernel reports
# (scripts/lib/console-reports): one canned line of each kind is caught,
# by the shell scripts and by wbstats.py alike, with or without a
# timestamp; a test's own KTAP lines and the workbench's own lines are
# not.  The KTAP counter (wb_ktap_suite): a suite's own cases once each,
# a parameterised case and a case with subtests by their own result, a
# skip, a failure, a suite that did not finish, the skips of another
# suite left to that suite.  The failure report (wb_failed).

. "$(dirname "$0")/tap.sh"
. "$ROOT/scripts/lib.sh"

echo "1..16"

# One line per kind of report, as the 6.1 kernel prints it.
cat >"$T/reports" <<'EOF'
Oops: 0002 [#1] PREEMPT SMP NOPTI
general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] SMP
kernel BUG at mm/slub_ll.c:812!
BUG: kernel NULL pointer dereference, address: 0000000000000008
BUG: KASAN: slab-out-of-bounds in sll_test_alloc_free+0x8e/0x1c0
BUG: KFENCE: use-after-free read in kmem_cache_free+0x5a/0x200
BUG: KCSAN: data-race in kmem_cache_alloc / kmem_cache_free
BUG: sleeping function called from invalid context at mm/slub_ll.c:1190
BUG: Bad page state in process swapper/0  pfn:01234
BUG kmalloc-64 (Not tainted): Poison overwritten
WARNING: CPU: 1 PID: 87 at mm/slub_ll.c:811 sll_unfreeze+0x1d2/0x210
WARNING: possible circular locking dependency detected
WARNING: suspicious RCU usage
INFO: trying to register non-static key.
INFO: task kworker/0:1:12 blocked for more than 122 seconds.
task:kworker/1:2     state:D blocked for more than 245 seconds
rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
UBSAN: shift-out-of-bounds in mm/slub_ll.c:402:17
UBSAN: array-index-out-of-bounds in mm/slub_ll.c:1033:9
Kernel panic - not syncing: Fatal exception
watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [hackbench:190]
NMI watchdog: Watchdog detected hard LOCKUP on cpu 1
EOF
kinds=$(wc -l <"$T/reports")

# caught FILE: how many lines of FILE wb_console_reports names.
caught()
{
	wb_console_reports "$1" | wc -l
}

cp "$T/reports" "$T/plain"
[ "$(caught "$T/plain")" -eq "$kinds" ]
ok $? "each of the $kinds kinds of report is caught"

wb_console_reports "$T/plain" | cut -d: -f1 | tr '\n' ' ' >"$T/out"
[ "$(cat "$T/out")" = "$(seq 1 "$kinds" | tr '\n' ' ')" ]
ok $? "each report is named by its own line number"

sed 's/^/[   12.345678] /; s/$/\r/' "$T/reports" >"$T/stamped"
[ "$(caught "$T/stamped")" -eq "$kinds" ]
ok $? "the same lines with timestamps and carriage returns are caught"

# Lines that are not reports: a test's own KTAP, the workbench's lines.
cat >"$T/harmless" <<'EOF'
# qemu: qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 512M
# cmdline: console=ttyS0 panic=-1 oops=panic loglevel=7
[    2.000000]     # sll_test_double_free: WARNING: this is a comment in a test
[    2.000000]     # sll_test_rcu: BUG: expected one grace period, saw two
[    2.000000]     # sll_test_zero: EXPECTATION FAILED at mm/slub_ll_kunit.c:120
[    2.000000]     ok 7 sll_test_nofail # SKIP INFO: no fault injection
[    2.000000]     not ok 8 sll_test_shrink # INFO: shrink failed
[    2.000000] SLUB-LL: lockless slowpaths, cmpxchg16b
[    2.000000] SLUB-LL kmalloc-64: double free of object 0000000012345678: it is already free; this free is ignored
[    2.000000] Memory cgroup out of memory: Killed process 190 (hackbench)
[    2.000000] FAULT_INJECTION: forcing a failure.
[    2.000000] Call Trace:
CHECK kmem-limit-hit PASS 3 of 3 tasks stopped
WB-GUEST-DONE runs=1 errors=0
EOF
wb_console_reports "$T/harmless" >"$T/out"
[ ! -s "$T/out" ]
ok $? "KTAP results and diagnostics, and the workbench's own lines, are no report"

wb_console_reports "$T/harmless" 'Call Trace:' >"$T/out"
[ "$(cat "$T/out")" = "12:[    2.000000] Call Trace:" ]
ok $? "a caller's own kind (numa.sh's Call Trace:) is added"

# wbstats.py (boot.sh, the bench) reads the same list.
PYTHONPATH=$ROOT/scripts python3 - "$T/stamped" "$T/harmless" >"$T/out" 2>&1 <<'EOF'
import sys, wbstats
for path, want in ((sys.argv[1], True), (sys.argv[2], False)):
    for ln in open(path):
        ln = ln.rstrip("\r\n")
        got = bool(wbstats.REPORT_RE.search(ln)) and \
            not wbstats.REPORT_EXCEPT.search(ln)
        if got != want:
            print("wbstats disagrees: %r" % ln)
            sys.exit(1)
EOF
ok $? "wbstats.py judges each line as the shell does"

printf '[    1.0] Linux version 6.1\n[    9.9] UBSAN: shift-out-of-bounds in mm/slub_ll.c:402:17\nWB-GUEST-DONE runs=0 errors=0\n' >"$T/ubsan.log"
"$ROOT/scripts/console-scan.sh" "$T/ubsan.log" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q '^console: kernel report at line 2: \[    9.9\] UBSAN: shift-out-of-bounds' "$T/out"
ok $? "console-scan.sh fails on a UBSAN report"

# The KTAP counter.  slub_ll: a pass, a skip, a parameterised case whose
# parameters are not cases, a case with a nested suite of its own, and a
# failure; a second suite around it with skips of its own.
cat >"$T/ktap" <<'EOF'
[    1.000000] KTAP version 1
[    1.000000] 1..3
[    1.100000]     KTAP version 1
[    1.100000]     # Subtest: kasan
[    1.100000]     1..2
[    1.100000]     ok 1 kmalloc_oob_right
[    1.100000]     ok 2 match_all_not_assigned # SKIP Test requires CONFIG_KASAN_GENERIC=n
[    1.200000] ok 1 kasan
[    2.000000]     KTAP version 1
[    2.000000]     # Subtest: slub_ll
[    2.000000]     1..5
[    2.000000]     ok 1 sll_test_alloc_free
[    2.000000]     ok 2 sll_test_merge # SKIP caches are not merged in this kernel
[    2.000000]         KTAP version 1
[    2.000000]         # Subtest: sll_test_sizes
[    2.000000]         ok 1 8
[    2.000000]         ok 2 64
[    2.000000]         not ok 3 4096
[    2.000000]     # sll_test_sizes: pass:2 fail:1 skip:0 total:3
[    2.100000] BUG: an unrelated kernel line among the results
[    2.000000]     not ok 3 sll_test_sizes
[    2.000000]         KTAP version 1
[    2.000000]         # Subtest: slub_ll_inner
[    2.000000]         1..1
[    2.000000]         ok 1 sll_inner_one # SKIP not here
[    2.000000]     ok 4 slub_ll_inner
[    2.000000]     not ok 5 sll_test_rcu
[    2.000000]     # slub_ll: pass:2 fail:2 skip:1 total:5
[    2.000000] not ok 2 slub_ll
[    3.000000]     KTAP version 1
[    3.000000]     # Subtest: slub_ll_numa
[    3.000000]     1..1
[    3.000000]     ok 1 sll_numa_alloc_node # SKIP needs two online nodes or more
[    3.000000] ok 3 slub_ll_numa # SKIP
EOF
wb_ktap_suite "$T/ktap" slub_ll
echo "rc=$? $WB_KTAP_COUNTS|$WB_KTAP_RESULT|$WB_KTAP_FAILED|$WB_KTAP_WHY" >"$T/out"
grep -qx 'rc=1 2 2 1|not ok|sll_test_sizes sll_test_rcu|suite slub_ll failed: sll_test_sizes sll_test_rcu' "$T/out"
ok $? "slub_ll: nested and parameterised cases counted once, by their own result"

wb_ktap_suite "$T/ktap" kasan kasan
echo "rc=$? $WB_KTAP_COUNTS|$WB_KTAP_RESULT|$WB_KTAP_BADSKIP" >"$T/out"
grep -qx 'rc=1 1 0 1|ok|skipped, and not allowed to skip in mode kasan (scripts/kunit-skips): match_all_not_assigned (Test requires CONFIG_KASAN_GENERIC=n)' "$T/out"
ok $? "a skip outside the allow-list fails, named with its reason"

wb_ktap_suite "$T/ktap" kasan
echo "rc=$? $WB_KTAP_COUNTS" >"$T/out"
grep -qx 'rc=0 1 0 1' "$T/out"
ok $? "without a mode, skips are only counted"

wb_ktap_suite "$T/ktap" slub_ll_numa lockless
echo "rc=$? $WB_KTAP_COUNTS|$WB_KTAP_RESULT|$WB_KTAP_WHY" >"$T/out"
grep -qx 'rc=0 0 0 1|ok|' "$T/out"
ok $? "an allowed skip passes; a suite skipped whole is ok"

{
	sed -n '/# Subtest: slub_ll$/,/ok 1 sll_test_alloc_free$/p' "$T/ktap"
	echo "ok 2 slub_ll"
	sed -n '/# Subtest: slub_ll_numa$/,$p' "$T/ktap"
} >"$T/ktap2"
wb_ktap_suite "$T/ktap2" slub_ll lockless
echo "rc=$? $WB_KTAP_COUNTS|$WB_KTAP_WHY" >"$T/out"
grep -qx 'rc=0 1 0 0|' "$T/out"
ok $? "another suite's skips are not this suite's (its end line ends it)"

head -n 16 "$T/ktap" >"$T/ktap3"
wb_ktap_suite "$T/ktap3" slub_ll
echo "rc=$? [$WB_KTAP_COUNTS] $WB_KTAP_WHY" >"$T/out"
grep -qx 'rc=1 \[\] suite slub_ll did not finish (or did not run)' "$T/out"
ok $? "a suite without its own result line did not finish"

cp "$T/ktap2" "$T/ktap4"
cat "$T/ktap" >>"$T/ktap4"
cat "$T/ktap2" >>"$T/ktap4"
wb_ktap_suite "$T/ktap4" slub_ll
echo "rc=$? $WB_KTAP_COUNTS|$WB_KTAP_RESULT" >"$T/out"
grep -qx 'rc=0 1 0 0|ok' "$T/out"
ok $? "the last run of a suite counts (a module loaded twice)"

# The failure report.
seq 1 40 >"$T/console"
wb_failed "kunit lockless" "$T/console" "the suite did not finish" 2>"$T/out"
[ "$(sed -n 1p "$T/out")" = "kunit lockless FAILED: the suite did not finish" ] &&
	[ "$(sed -n 2p "$T/out")" = "---- last console lines ($T/console) ----" ] &&
	[ "$(sed -n 3p "$T/out")" = "| 16" ] && [ "$(sed -n 27p "$T/out")" = "| 40" ] &&
	[ "$(sed -n 28p "$T/out")" = "----" ] && [ "$(wc -l <"$T/out")" -eq 28 ]
ok $? "wb_failed: the reason, then the last 25 console lines"

wb_failed -r numa "$T/stamped" "one" "two" 2>"$T/out"
[ "$(sed -n 1,3p "$T/out")" = "numa FAILED:
  - one
  - two" ] && grep -q '^---- console around the first report' "$T/out" &&
	grep -q '^| \[   12.345678\] Oops: 0002' "$T/out"
ok $? "wb_failed: several reasons one a line, -r shows the first report"

[ $failed -eq 0 ]
