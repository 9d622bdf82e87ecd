#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per fastpath alloc+free pair, counted by callgrind.
#
# Each allocator's fastpath loop runs twice under callgrind, with N and 2N
# pairs after the same warm-up; the difference of the two counts divided
# by N is the steady-state cost of one pair, so cache set-up, warm-up and
# the first slabs cancel out.  Two counts per allocator:
#   loop       everything inside fastpath_loop_* (--toggle-collect): the
#              loop's own increment, compare, branch and argument moves,
#              the harness's sll_alloc/sll_free and the allocator
#   allocator  SLUB-LL only: inside kmem_cache_alloc and kmem_cache_free,
#              the allocator's entry points, as the kernel calls them
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

# count ALLOC PAIRS FUNCTION...: instructions counted inside the named
# functions; empty if the binary has no such allocator.
count()
{
	alloc=$1
	pairs=$2
	shift 2
	toggles=
	for f in "$@"; do
		toggles="$toggles --toggle-collect=$f"
	done
	# shellcheck disable=SC2086
	if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
		$toggles "$bin" --callgrind "$alloc" --iters "$pairs" \
		>"$tmp/log" 2>&1; then
		if grep -q "no allocator" "$tmp/log"; then
			return 0
		fi
		echo "callgrind: $bin --callgrind $alloc failed:" >&2
		cat "$tmp/log" >&2
		exit 1
	fi
	sed -n 's/^totals: *//p' "$tmp/out"
}

# per_pair ALLOC FUNCTION...: (Ir(2N) - Ir(N)) / N, or empty.
per_pair()
{
	alloc=$1
	shift
	one=$(count "$alloc" "$n" "$@")
	[ -n "$one" ] || return 0
	two=$(count "$alloc" $((2 * n)) "$@")
	awk -v x="$one" -v y="$two" -v n="$n" \
		'BEGIN { printf "%.1f", (y - x) / n }'
}

echo "fastpath alloc+free under callgrind ($(valgrind --version)):"
echo "instructions per pair, (Ir(2N) - Ir(N)) / N with N=$n"
printf '  %-10s %8s %10s\n' "" "loop" "allocator"
for alloc in lockless page-lock glibc mimalloc; do
	loop=$(per_pair "$alloc" 'fastpath_loop_*')
	if [ -z "$loop" ]; then
		printf '  %-10s %s\n' "$alloc" "not in this build"
		continue
	fi
	inner=-
	case $alloc in
	lockless|page-lock)
		inner=$(per_pair "$alloc" kmem_cache_alloc kmem_cache_free)
		;;
	esac
	printf '  %-10s %8s %10s\n' "$alloc" "$loop" "$inner"
done
