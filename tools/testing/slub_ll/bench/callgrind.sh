#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per fastpath alloc+free pair, counted by callgrind.
#
# callgrind counts only inside fastpath_loop_* (--toggle-collect).  Each
# allocator runs twice, with N and 2N pairs after the same warm-up, and
# the difference of the two counts divided by N is the steady-state cost
# of one pair: cache set-up, warm-up and the first slabs cancel out.  The
# loop's own increment, compare and branch are included (3 instructions).
#
# usage: callgrind.sh [BINARY] ; CALLGRIND_ITERS=N sets N (default 200000)
set -eu

bin=${1:-./slub_ll_bench}
n=${CALLGRIND_ITERS:-200000}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "callgrind: valgrind is not installed; instruction counts skipped"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Instructions counted for "$1" allocator and "$2" pairs; empty if the
# binary has no such allocator.
count()
{
	if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
		--toggle-collect='fastpath_loop_*' \
		"$bin" --callgrind "$1" --iters "$2" >"$tmp/log" 2>&1; then
		if grep -q "no allocator" "$tmp/log"; then
			return 0
		fi
		echo "callgrind: $bin --callgrind $1 failed:" >&2
		cat "$tmp/log" >&2
		exit 1
	fi
	sed -n 's/^totals: *//p' "$tmp/out"
}

echo "fastpath under callgrind ($(valgrind --version)):" \
	"instructions per alloc+free pair"
echo "counted in fastpath_loop_*, (Ir(2N) - Ir(N)) / N with N=$n"
for alloc in lockless page-lock glibc mimalloc; do
	one=$(count "$alloc" "$n")
	if [ -z "$one" ]; then
		printf '  %-10s %s\n' "$alloc" "not in this build"
		continue
	fi
	two=$(count "$alloc" $((2 * n)))
	awk -v a="$alloc" -v x="$one" -v y="$two" -v n="$n" \
		'BEGIN { printf "  %-10s %7.1f instructions/pair\n", a, (y - x) / n }'
done
