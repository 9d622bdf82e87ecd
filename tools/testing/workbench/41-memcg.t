#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/memcg.sh refuses bad parameters before any work, listing the
# valid ones.  (Its guest runs are make check-memcg.)

. "$(dirname "$0")/tap.sh"
m="$ROOT/scripts/memcg.sh"

echo "1..5"

"$m" -B -r "kmem sideways" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "run 'sideways' unknown; valid: kmem nokmem leak bootfs" "$T/out"
ok $? "an unknown run lists the valid ones"

"$m" -B -A slob >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "allocator 'slob' unknown; valid: slub_ll slub" "$T/out"
ok $? "an unknown allocator lists the valid ones"

"$m" -B -F 1,5,0 >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "wants <interval>,<probability>,<space>,<times>" "$T/out"
ok $? "a failslab= spec without four fields is refused"

"$m" -B -q >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "valid: -A -r -F -a -m -t -B -h" "$T/out"
ok $? "an unknown option lists the valid ones"

(cd "$ROOT" && timeout 20 make -s check-memcg MEMCG_RUNS=nonsense) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "run 'nonsense' unknown" "$T/out"
ok $? "make check-memcg MEMCG_RUNS=nonsense fails at once"

[ $failed -eq 0 ]
