#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - check the Promela model slub_ll.pml with spin, exhaustively.
#
#   run.sh [--out DIR] [check|mutants|strict|long|all]
#
#   check     the model in each configuration of CONFIGS below: every
#             assertion must hold in every reachable state (ok / not ok,
#             with states stored, depth and time)
#   mutants   each deliberate bug of MUTANTS must be caught: spin reports
#             a violation of the assertion the mutant is about, writes a
#             trail, and "spin -t" replays it to the same violation
#   strict    the head comment's invariants 1 and 3 taken literally
#             (STRICT_INV1, STRICT_INV3): expected to fail, see README
#   long      the configurations and mutants too long for make check
#             (LONG_CONFIGS, LONG_MUTANTS; see README)
#   all       check, then mutants (the default; what make check runs)
#
# TAP output; exit status 1 if any test fails.  Work files go to
# --out (default ../out/model).  MEMLIM (MiB, default 4000) bounds pan.

set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/../out/model
MODEL=$HERE/slub_ll.pml
MEMLIM=${MEMLIM:-4000}

# configurations checked: the search depth bound (pan -m; its stack is
# most of pan's memory), then spin -D flags.  pan is compiled with -O0:
# its searches are memory-bound, and -O1 costs more compile time than it
# saves.
CONFIGS=(
	"12000000 -DNCPU=3 -DNOBJ=2 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DHOTPLUG=1"
	"12000000 -DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1"
	"25000000 -DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=2"
	"2000000 -DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DRETUNE=1"
	"2000000 -DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DHOTPLUG=1"
	"2000000 -DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DTORN_READS"
	"2000000 -DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=0 -DTORN_READS"
	"2000000 -DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=0 -DCPU_PARTIAL_SLABS=0"
	"2000000 -DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=0"
)

# too long for make check (run.sh long): the 3-CPU 3-object row, and
# cpu_partial set to 0 with two slabs on a pushed list (CPU_PARTIAL_SLABS=2),
# where the order of the flush matters
LONG_CONFIGS=(
	"30000000 -DNCPU=3 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DPREEMPT=0 -DREMOTE_DRAIN=0"
	"20000000 -DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=2 -DRETUNE=1 -DPREEMPT=0 -DREMOTE_DRAIN=0"
)

# mutants: NAME|spin -D flags of the configuration|the violated assertion,
# as pan prints it (an extended regular expression)
MSMALL="-DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1"
MUTANTS=(
	# inv1: a slab with free objects, not frozen, off the list
	"MUT_FREE_NOLOCK|$MSMALL -DCPU_PARTIAL_SLABS=0|on_partial\[h_j\]==\( !\(sfrozen\[h_j\]\)"
	# add_partial() of a frozen slab
	"MUT_UNFREEZE_KEEPS_FROZEN|$MSMALL -DCPU_PARTIAL_SLABS=0|^\( !\(sfrozen\[sl\]\)&&\(sfree\[sl\]!=255\)\)$"
	# inv2: the free pointer of a shared object read
	"MUT_FREEZE_TAKES_ONE|$MSMALL -DCPU_PARTIAL_SLABS=1|^\(h_p!=ofl\)$"
	# inv3
	"MUT_UNFREEZE_NO_SUB|$MSMALL -DCPU_PARTIAL_SLABS=1|^\(\(sinuse\[sl\]\+h_len\)==2\)$"
	# add_partial() of a frozen slab (a CPU's, or a cpu-partial one)
	"MUT_FREE_FROZEN_LOCKS|$MSMALL -DCPU_PARTIAL_SLABS=1|^\( !\(sfrozen\[sl\]\)&&\(sfree\[sl\]!=255\)\)$"
	# a slab on its way to (or on) a CPU partial list, not frozen
	"MUT_PUSH_NOFREEZE|$MSMALL -DCPU_PARTIAL_SLABS=1|sfrozen\[h_j\]\)$|^\(\(live\[h_c\]&&sfrozen\[h_c\]\)|^\(sfrozen\[(pend_sl\[h_i\]|tslab\[h_i\])\]&&"
	# add_partial() of a frozen slab
	"MUT_DRAIN_KEEPS_FROZEN|$MSMALL -DCPU_PARTIAL_SLABS=1|^\( !\(sfrozen\[sl\]\)&&\(sfree\[sl\]!=255\)\)$"
	# a slab on two lists, or a CPU list holding what is not cpu-partial
	"MUT_PUSH_NOCAS|$MSMALL -DCPU_PARTIAL_SLABS=1|^\(h_pl\[h_j\]<=1\)$|^\(\(live\[h_c\]&&sfrozen\[h_c\]\)&&\(sfree\[h_c\]!=255\)\)$|^\(\(h_pl\[h_j\]-on_partial\[h_j\]\)==sfrozen\[h_j\]\)$"
	# a slab on two lists (or in a list and in transit)
	"MUT_TAKE_NOCAS|$MSMALL -DCPU_PARTIAL_SLABS=1|^\(h_pl\[h_j\]<=1\)$|^\(\(h_pl\[h_j\]-on_partial\[h_j\]\)==sfrozen\[h_j\]\)$"
	# a slab pushed on a dead CPU's list
	"MUT_PUSH_PREEMPTIBLE|-DNCPU=2 -DNOBJ=3 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DHOTPLUG=1|^\(\(\(hp<2\)"
	# a slab on a CPU list after cpu_partial was set to 0
	"MUT_RETUNE_NOSYNC|-DNCPU=2 -DNOBJ=2 -DNSLAB=1 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=1 -DRETUNE=1|^\( !\(tuned\)"
	# both lists of a CPU past their bound: a push that read the pair
	# before the own list grew lands (three slabs, searched to MUT_DEPTH)
	"MUT_PUSH_NOSTAMP|-DNCPU=2 -DNOBJ=2 -DNSLAB=3 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=2|^\(\(\(h_w%4\)!=1\)\|\|\(\(cpn\[h_i\]\+cownn\[h_i\]\)<=2\)\)$"
)
# the depth bound of a mutant's search where not 10000000: three slabs
# are too many states for an exhaustive search, and the violation DFS
# finds within 20000 steps replays quickly (the model without the
# mutant has none within that depth: README)
declare -A MUT_DEPTH=([MUT_PUSH_NOSTAMP]=20000)
LONG_MUTANTS=(
	# a slab on a CPU's own list after cpu_partial was set to 0
	"MUT_FLUSH_IPI_FIRST|-DNCPU=2 -DNOBJ=2 -DNSLAB=2 -DMIN_PARTIAL=1 -DCPU_PARTIAL_SLABS=2 -DRETUNE=1 -DPREEMPT=0 -DREMOTE_DRAIN=0|^\( !\(tuned\)"
)
STRICT=(
	"STRICT_INV1|$MSMALL -DCPU_PARTIAL_SLABS=1|on_partial\[h_j\]==\( !\(sfrozen\[h_j\]\)"
	"STRICT_INV3|$MSMALL -DCPU_PARTIAL_SLABS=1|^\(cslab\[h_i\]!=sl\)$"
)

usage()
{
	sed -n '4,21s/^# \{0,1\}//p' "$0"
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
	check|mutants|strict|long|all) what=$1 ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1'; valid: --out DIR, check, mutants, strict, long, all" ;;
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
	 gcc -w -O0 -DSAFETY -DCOLLAPSE -DMEMLIM="$MEMLIM" -o pan pan.c \
		>>spin.log 2>&1)
}

# run NAME HASHBITS DEPTH: exhaustive search, at most 10 minutes
run_pan()
{
	(cd "$OUT/$1" && timeout 600 ./pan -m"$3" -w"$2" >pan.out 2>&1)
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
	local cfg depth name f

	for cfg in "$@"; do
		depth=${cfg%% *}
		cfg=${cfg#* }
		name=check$(echo "$cfg" | tr -d ' =' | sed 's/-D/_/g')
		f=$OUT/$name/pan.out
		if ! build "$name" $cfg; then
			not_ok "model $cfg: does not build"
			sed 's/^/# /' "$OUT/$name/spin.log" | tail -20
			continue
		fi
		run_pan "$name" 24 "$depth" || true
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

# expect_fail "FLAG|FLAGS|REGEX": spin must find a violation of an
# assertion matching REGEX and replay its trail to it
expect_fail()
{
	local m=${1%%|*} rest=${1#*|} flags re f why again

	flags=${rest%%|*}
	re=${rest#*|}
	f=$OUT/$m/pan.out
	if ! build "$m" -D"$m" $flags; then
		not_ok "$m: does not build"
		sed 's/^/# /' "$OUT/$m/spin.log" | tail -20
		return
	fi
	run_pan "$m" 22 "${MUT_DEPTH[$m]:-10000000}" || true
	why=$(grep -o 'assertion violated.*(at depth' "$f" | head -1 |
	      sed 's/^assertion violated //; s/ (at depth$//')
	if [ -z "$why" ] || [ ! -s "$OUT/$m/slub_ll.pml.trail" ]; then
		not_ok "$m: not caught"
		return
	fi
	if ! printf '%s\n' "$why" | grep -Eq "$re"; then
		not_ok "$m: caught for another reason: $why"
		return
	fi
	# the replay must end in the same assertion (spin prints it
	# without the blanks pan puts in)
	(cd "$OUT/$m" &&
	 spin -D"$m" $flags -t -p slub_ll.pml >replay.txt 2>&1) || true
	again=$(sed -n 's/^spin: text of failed assertion: assert(\(.*\))$/\1/p' \
		"$OUT/$m/replay.txt" | head -1)
	if [ -n "$again" ] &&
	   [ "$(echo "$again" | tr -d ' ')" = "$(echo "$why" | tr -d ' ')" ]; then
		ok "$m: caught, trail replayed: $why"
	else
		not_ok "$m: violation found but spin -t does not replay it"
	fi
}

case $what in
check) do_check "${CONFIGS[@]}" ;;
mutants) for m in "${MUTANTS[@]}"; do expect_fail "$m"; done ;;
strict) for m in "${STRICT[@]}"; do expect_fail "$m"; done ;;
long)
	do_check "${LONG_CONFIGS[@]}"
	for m in "${LONG_MUTANTS[@]}"; do expect_fail "$m"; done
	;;
all)
	do_check "${CONFIGS[@]}"
	for m in "${MUTANTS[@]}"; do expect_fail "$m"; done
	;;
esac
echo "1..$n"
[ "$failed" -eq 0 ]
