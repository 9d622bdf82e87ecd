#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The strict console scan of scripts/kunit.sh -s (scripts/console-scan.sh):
# a clean debug console passes; a lockdep splat, a KCSAN report and a
# sleep in atomic context each fail naming their line; a console without
# the line that proves the checker ran fails; and kunit.sh refuses an
# unknown fragment or option, listing the valid ones.

. "$(dirname "$0")/tap.sh"
scan="$ROOT/scripts/console-scan.sh"
logs="$(dirname "$0")/logs"

echo "1..9"

"$scan" -r 'Lock dependency validator' -r 'Linux version .* SMP PREEMPT' \
	"$logs/debug-clean.log" >"$T/out" 2>&1
ok $? "clean debug console with its checker lines passes"

"$scan" "$logs/lockdep.log" >"$T/out" 2>&1
[ $? -eq 1 ] &&
	grep -q '^console: kernel report at line 14: WARNING: possible circular locking dependency detected' "$T/out" &&
	grep -q '| WB-GUEST-DONE' "$T/out"
ok $? "lockdep splat fails, named with its line number and the last console lines"

"$scan" "$logs/kcsan.log" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q 'BUG: KCSAN: data-race in kmem_cache_alloc' "$T/out"
ok $? "KCSAN report fails, named"

"$scan" "$logs/atomic-sleep.log" >"$T/out" 2>&1
[ $? -eq 1 ] &&
	grep -q 'BUG: sleeping function called from invalid context' "$T/out"
ok $? "sleeping in atomic context fails, named (timestamped line)"

"$scan" -r 'kcsan: enabled early' "$logs/debug-clean.log" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "no line matches 'kcsan: enabled early'" "$T/out"
ok $? "a console without the checker's line fails"

rc=0
for f in good.log slab.log; do
	"$scan" "$logs/$f" >"$T/out" 2>&1 || { rc=1; break; }
done
ok $rc "the bench's sample consoles have no report"

"$scan" -x "$logs/debug-clean.log" >"$T/out" 2>&1
[ $? -eq 2 ] && grep -q 'valid: -n -r -h' "$T/out"
ok $? "console-scan.sh: an unknown option lists the valid ones"

"$ROOT/scripts/kunit.sh" -B -f nonsense >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "fragment 'nonsense' unknown; valid: .*debug .*kcsan" "$T/out"
ok $? "kunit.sh: an unknown fragment lists the valid ones"

"$ROOT/scripts/kunit.sh" -q >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q 'valid: -m -a -n -t -f -s -B -h' "$T/out"
ok $? "kunit.sh: an unknown option lists the valid ones"

[ $failed -eq 0 ]
