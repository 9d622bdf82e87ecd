#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - check the Promela model slub_ll.pml with spin, exhaustively.
#
#   run.sh [--out DIR] [check|mutants|strict|all]
#
#   check     the model in each configuration of CONFIGS below: every
#             assertion must hold in every reachable state (ok / not ok,
#             with states stored, depth and time)
#   mutants   each deliberate bug of MUTANTS must be caught: spin reports
#             an assertion violation, writes a trail, and "spin -t" replays
#             it to the same violation
#   strict    the head comment's invariants 1 and 3 taken literally
#             (STRICT_INV1, STRICT_INV3): expected to fail, see README
#   all       check, then mutants (the default; what make check runs)
#
# TAP output; exit status 1 if any test fails.  Work files go to
# --out (default ../out/model).  MEMLIM (MiB, default 3000) bounds pan.

set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/../out/model
MODEL=$HERE/slub_ll.pml
MEMLIM=${MEMLIM:-3000}

# configurations checked: spin -D flags
CONFIGS=(
	"-DNCPU=3 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1"
	"-DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DTORN_READS"
	"-DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=0"
	"-DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1"
)
MUTANTS=(MUT_FREE_NOLOCK MUT_UNFREEZE_KEEPS_FROZEN MUT_FREEZE_TAKES_ONE
	 MUT_UNFREEZE_NO_SUB MUT_FREE_FROZEN_LOCKS)
STRICT=(STRICT_INV1 STRICT_INV3)

usage()
{
	sed -n '4,18s/^# \{0,1\}//p' "$0"
}

die()
{
	printf 'run.sh: error: %s\n' "$*" >&2
	exit 1
}

what=all
while [ $# -gt 0 ]; do
	case $1 in
	--out) [ $# -ge 2 ] || die "--out needs a directory"; OUT=$2; shift ;;
	check|mutants|strict|all) what=$1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1'; valid: --out DIR, check, mutants, strict, all" ;;
	esac
	shift
done

command -v spin >/dev/null || die "spin is not installed (Debian package spin)"
command -v gcc >/dev/null || die "gcc is not installed"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

n=0
failed=0

ok()
{
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

# build NAME FLAGS...: spin -a and gcc in $OUT/NAME; pan.out is the run
build()
{
	local dir=$OUT/$1

	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$MODEL" "$dir/slub_ll.pml"
	(cd "$dir" && spin "$@" -a slub_ll.pml >spin.log 2>&1 &&
	 gcc -w -O2 -DSAFETY -DCOLLAPSE -DMEMLIM="$MEMLIM" -o pan pan.c \
		>>spin.log 2>&1)
}

# run NAME: exhaustive search, at most 10 minutes
run_pan()
{
	(cd "$OUT/$1" && timeout 600 ./pan -m10000000 -w26 >pan.out 2>&1)
}

field()
{
	sed -n "s/^ *\([0-9.e+]*\) $2.*/\1/p" "$1" | head -1
}

summary()
{
	local f=$OUT/$1/pan.out

	printf '%s states stored, depth %s, %s s' "$(field "$f" 'states, stored')" \
		"$(sed -n 's/.*depth reached \([0-9]*\),.*/\1/p' "$f")" \
		"$(sed -n 's/^pan: elapsed time \([0-9.e+]*\).*/\1/p' "$f")"
}

do_check()
{
	local cfg name f

	for cfg in "${CONFIGS[@]}"; do
		name=check$(echo "$cfg" | tr -d ' =' | sed 's/-D/_/g')
		f=$OUT/$name/pan.out
		if ! build "$name" $cfg; then
			not_ok "model $cfg: does not build"
			sed 's/^/# /' "$OUT/$name/spin.log" | tail -20
			continue
		fi
		run_pan "$name" || true
		if grep -q 'errors: 0' "$f" &&
		   ! grep -q 'max search depth too small' "$f" &&
		   ! grep -q 'Search not completed' "$f"; then
			ok "model $cfg: $(summary "$name")"
		else
			not_ok "model $cfg"
			grep -E 'violated|error|Search not' "$f" | sed 's/^/# /'
		fi
	done
}

# expect_fail FLAG: spin must find a violation and replay its trail
expect_fail()
{
	local m=$1 f why

	f=$OUT/$m/pan.out
	if ! build "$m" -D"$m"; then
		not_ok "$m: does not build"
		sed 's/^/# /' "$OUT/$m/spin.log" | tail -20
		return
	fi
	run_pan "$m" || true
	why=$(grep -o 'assertion violated.*(at depth' "$f" | head -1 |
	      sed 's/ (at depth$//')
	if [ -z "$why" ] || [ ! -s "$OUT/$m/slub_ll.pml.trail" ]; then
		not_ok "$m: not caught"
		return
	fi
	if (cd "$OUT/$m" && spin -D"$m" -t -p slub_ll.pml >replay.txt 2>&1) &&
	   grep -q 'assertion violated' "$OUT/$m/replay.txt"; then
		ok "$m: caught, trail replayed: $why"
	else
		not_ok "$m: violation found but spin -t does not replay it"
	fi
}

case $what in
check) do_check ;;
mutants) for m in "${MUTANTS[@]}"; do expect_fail "$m"; done ;;
strict) for m in "${STRICT[@]}"; do expect_fail "$m"; done ;;
all)
	do_check
	for m in "${MUTANTS[@]}"; do expect_fail "$m"; done
	;;
esac
echo "1..$n"
[ "$failed" -eq 0 ]
