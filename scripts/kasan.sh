#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kasan.sh - the tree's KASAN and KFENCE KUnit suites, on SLUB and on
# SLUB-LL, side by side.
#
#   scripts/kasan.sh [options]
#     -m MODE     generic KASAN's instrumentation: outline (default) or
#                 inline (adds configs/kasan-inline.config); or initfree:
#                 no KASAN, KFENCE and test_meminit (and on 7.3 the
#                 maple tree's test module) booted with init_on_free=1
#                 init_on_alloc=0 (configs/initfree.config, 7.3's own in
#                 configs/7.3/)
#     -a ACCEL    kvm or tcg (default tcg)
#     -t SECONDS  watchdog per boot (default 1200)
#     -B          do not prepare or build: use the kernels built last
#     -h          this help
#   Environment: TREE, KBUILD_DIR as for scripts/prepare.sh and build.sh.
#
# Builds base + slub + kasan and base + slub_ll + kunit + kasan
# (configs/kasan.config: generic KASAN, KFENCE, both KUnit suites; the
# SLUB-LL kernel also runs its own suite under KASAN) and boots each
# twice (1G, 2 vCPUs): once with KFENCE off for the kasan suite (an object
# KFENCE samples is invisible to KASAN, so its cases would fail at
# random), once with KFENCE sampling every 10 ms for the kfence suite.
# Prints, per suite, the cases that passed, failed and were skipped.  The
# suites provoke reports on purpose, so the console is not scanned for
# them; a panic, a hang, a missing suite or a missing "initialized" line
# of KASAN or KFENCE fails, and so does a skipped SLUB-LL case without an
# entry for mode "kasan" in scripts/kunit-skips.  Fails when a suite has a failing case on
# SLUB-LL, or when SLUB-LL's counts of the kasan and kfence suites differ
# from SLUB's; a case of those two suites that fails on SLUB as well (the
# same configuration: the tree's test, not the allocator) is named, not
# held against SLUB-LL, as long as the counts are equal.  Logs: build/kasan/<allocator>-<suite>.log (-m inline:
# build/kasan/inline/, kernels build/kbuild/<key>-kasan-inline).
#
# -m initfree builds base + slub + initfree and base + slub_ll + initfree
# (no KASAN) and boots each twice with init_on_free=1 init_on_alloc=0:
# run "initfree" with KFENCE sampling every 10 ms, where the kfence
# suite's counts must be SLUB's, and run "meminit" with KFENCE off
# (kfence.sample_interval=0), where lib/test_meminit must report no
# failure on either allocator: a KFENCE object is not wiped on
# allocation when init_on_alloc=0, and keeps the canary bytes of the
# slot's last placement where the new object reaches over them, so with
# sampling test_meminit fails at random on SLUB as on SLUB-LL.  Where the
# tree's initfree fragment builds in lib/test_maple_tree
# (CONFIG_TEST_MAPLE_TREE=y: 7.3), its "maple_tree: PASSED of RUN tests
# passed" line of the meminit run is counted too: it must be on both
# consoles, with every test passed and the same numbers on both (a
# missing line fails the boot).  Logs: build/kasan/initfree/.

set -eu
. "$(dirname "$0")/lib.sh"

ACCEL=tcg
MODE=outline
TIMEOUT=1200
NOBUILD=0
OUT=$(wb_kdir kasan)
TREE=$(realpath -m "${TREE:-$WB_KTREE}")

opt()
{
	case $1 in
	m) MODE=$2 ;;
	a) ACCEL=$2 ;;
	t) TIMEOUT=$2 ;;
	B) NOBUILD=1 ;;
	esac
}

wb_opts "m:a:t:Bh" opt "$@"
case $MODE in
outline) mode_frag= ;;
inline) mode_frag=kasan-inline OUT=$OUT/inline ;;
initfree) mode_frag= OUT=$OUT/initfree ;;
*) wb_die "kasan.sh: KASAN mode '$MODE' unknown; valid: outline inline initfree" ;;
esac
# The boots, the suites whose counts must be SLUB's, and those counted.
# The maple tree's test module is in where the initfree fragment of the
# tree asks for it.
maple=0
if [ $MODE = initfree ]; then
	runs="initfree meminit" compared="kfence meminit" counted="kfence meminit"
	title="init_on_free=1 init_on_alloc=0, KFENCE, no KASAN"
	if grep -q '^CONFIG_TEST_MAPLE_TREE=y$' "$(wb_fragment initfree)"; then
		maple=1 compared="$compared maple" counted="$counted maple"
	fi
else
	runs="kasan kfence" compared="kasan kfence" counted="kasan kfence slub_ll"
	title="KASAN $MODE"
fi
wb_accel "$ACCEL"
wb_number -t "$TIMEOUT"

wb_need_pkgs qemu-system-x86 python3
mkdir -p "$OUT"

# allocator name -> fragments
frags_of()
{
	case $MODE.$1 in
	initfree.*) echo "base $1 initfree" ;;
	*.slub) echo "base slub kasan $mode_frag" ;;
	*.slub_ll) echo "base slub_ll kunit kasan $mode_frag" ;;
	esac
}

if [ $NOBUILD = 0 ]; then
	"$WB_ROOT/scripts/prepare.sh"
	for a in slub slub_ll; do
		"$WB_ROOT/scripts/build.sh" $(frags_of $a) >/dev/null
	done
	initrd=$("$WB_ROOT/scripts/initramfs.sh" | tail -n 1)
else
	initrd=$WB_BUILD/initramfs/initramfs.cpio
fi
# image ALLOC: the kernel of ALLOC.
image()
{
	echo "${KBUILD_DIR:-$WB_KBUILD}/$(echo $(frags_of $1) | tr ' ' -)/arch/x86/boot/bzImage"
}
# -B takes what is there: it must be of the mode asked for.
for a in slub slub_ll; do
	image=$(image $a)
	[ -f "$image" ] || wb_die "no kernel image at $image"
	if [ $MODE = initfree ]; then
		grep -q "^CONFIG_TEST_MEMINIT=y$" "${image%/arch/x86/boot/bzImage}/.config" 2>/dev/null ||
			wb_die "${image%/arch/x86/boot/bzImage} is not an initfree kernel" \
				"(no CONFIG_TEST_MEMINIT=y in its .config)"
		[ $maple = 0 ] ||
			grep -q "^CONFIG_TEST_MAPLE_TREE=y$" "${image%/arch/x86/boot/bzImage}/.config" ||
			wb_die "${image%/arch/x86/boot/bzImage} has no maple tree test" \
				"(no CONFIG_TEST_MAPLE_TREE=y in its .config; $(wb_fragment initfree) asks for it)"
		continue
	fi
	grep -q "^CONFIG_KASAN_${MODE^^}=y$" "${image%/arch/x86/boot/bzImage}/.config" 2>/dev/null ||
		wb_die "${image%/arch/x86/boot/bzImage} is not a KASAN $MODE kernel" \
			"(no CONFIG_KASAN_${MODE^^}=y in its .config)"
done
[ -f "$initrd" ] || wb_die "no initramfs at $initrd"

# maple_counts LOG: "passed failed 0" from lib/test_maple_tree's verdict
# on the console LOG ("maple_tree: PASSED of RUN tests passed", printed
# once when the built-in module has run), or nothing when there is none.
maple_counts()
{
	tr -d '\r' <"$1" |
		sed -n 's/.*maple_tree: \([0-9]\{1,\}\) of \([0-9]\{1,\}\) tests passed$/\1 \2/p' |
		head -n 1 | awk '{ print $1, $2 - $1, 0 }'
}

# boot ALLOC RUN: boot the kernel of ALLOC; RUN "kasan" keeps KFENCE off
# (kfence.sample_interval=0), so that KASAN's cases see KASAN's objects
# only; RUN "kfence" samples every 10 ms; RUN "initfree" samples too, on
# a kernel without KASAN booted init_on_free=1 init_on_alloc=0; RUN
# "meminit" boots that kernel so with KFENCE off and reads test_meminit's
# verdict and (maple=1) lib/test_maple_tree's.
# Fills result[ALLOC.SUITE], and detail[ALLOC.SUITE] with the cases of a
# KUnit suite that failed, or the first lines a failing test printed.
declare -A result detail
failed=
boot()
{
	# The suites' reports outrun the serial console: with allnoconfig's
	# 128K ring buffer the 7.3 KASAN guest dropped KTAP lines ("** N
	# printk messages dropped **") and a suite lost two of its cases.
	local a=$1 run=$2 image log why= extra="loglevel=7 log_buf_len=16M" suites s c

	image=$(image $a)
	log=$OUT/$a-$run.log
	case $run in
	kasan)
		extra="$extra kfence.sample_interval=0"
		suites=kasan
		[ $a = slub ] || suites="$suites slub_ll" ;;
	kfence)
		# only the kfence suite: the kasan suite under KFENCE sampling
		# fails at random, and a sampled cache of kmem_cache_double_destroy
		# took 7.3's SLUB down (flush_rcu_sheaf on the freed cache)
		extra="$extra kunit.filter_glob=kfence"
		suites=kfence ;;
	initfree)
		extra="$extra init_on_free=1 init_on_alloc=0"
		suites=kfence ;;
	meminit)
		extra="$extra init_on_free=1 init_on_alloc=0 kfence.sample_interval=0"
		suites= ;;
	esac
	wb_log boot "$run suite on $a ($title): $ACCEL, 2 vCPUs, 1G (log: $log)"
	# The suites provoke reports on purpose, which boot.sh counts as a
	# failure: judge the guest by its end marker and panics instead.
	"$WB_ROOT/scripts/boot.sh" -k "$image" -i "$initrd" -l "$log" \
		-a "$ACCEL" -n 2 -m 1G -x "$extra" -t "$TIMEOUT" \
		-H "-g 4 -l 50" -r 1 -w 0 >/dev/null 2>&1 || true
	if grep -q -E 'Kernel panic' "$log"; then
		why="$(grep -m1 'Kernel panic' "$log")"
	elif ! grep -q 'WB-GUEST-DONE' "$log"; then
		why="the guest did not finish (hung, too slow or crashed)"
	elif [ $run != initfree ] && [ $run != meminit ] &&
	     ! grep -q 'KernelAddressSanitizer initialized' "$log"; then
		why="KASAN did not initialize"
	elif [ $run != kasan ] && [ $run != meminit ] &&
	     ! grep -q 'kfence: initialized' "$log"; then
		why="KFENCE did not initialize"
	fi
	# SLUB-LL's own suites: only the skips allowed under KASAN; their
	# failing cases fail the comparison below
	for s in $suites; do
		[ -z "$why" ] || break
		case $s in
		slub_ll*) wb_ktap_suite "$log" $s kasan || true ;;
		*) wb_ktap_suite "$log" $s || true ;;
		esac
		if [ -z "$WB_KTAP_COUNTS" ]; then
			why="suite $s did not finish"
			break
		fi
		result[$a.$s]=$WB_KTAP_COUNTS
		detail[$a.$s]=$WB_KTAP_FAILED
		[ -z "$WB_KTAP_BADSKIP" ] || why="suite $s: $WB_KTAP_BADSKIP"
	done
	# slub_ll_numa runs on the same kernel, one node: its skips too
	if [ -z "$why" ] && [ $a = slub_ll ] && [ $run = kasan ] &&
	   ! wb_ktap_suite "$log" slub_ll_numa kasan; then
		why=$WB_KTAP_WHY
	fi
	if [ -z "$why" ] && [ $run = meminit ]; then
		c=$(wb_meminit_counts "$log")
		if [ -z "$c" ]; then
			why="test_meminit printed no verdict"
		else
			result[$a.meminit]=$c
		fi
	fi
	if [ -z "$why" ] && [ $run = meminit ] && [ $maple = 1 ]; then
		c=$(maple_counts "$log")
		if [ -z "$c" ]; then
			why="lib/test_maple_tree printed no verdict (no \"maple_tree: N of N tests passed\" line)"
		elif [ "$c" = "0 0 0" ]; then
			why="lib/test_maple_tree ran no test ($(grep -m1 -o 'maple_tree: .*' "$log" | tr -d '\r'))"
		else
			result[$a.maple]=$c
			detail[$a.maple]=$(tr -d '\r' <"$log" | grep -E -m 3 'BUG at [a-z_0-9]+:[0-9]+' |
				sed 's/^\[[ 0-9.]*\] //' | paste -s -d ';')
		fi
	fi
	if [ -n "$why" ]; then
		wb_failed "$run suite on $a" "$log" "$why"
		failed="$failed $a/$run"
	fi
}

for a in slub slub_ll; do
	for r in $runs; do
		boot $a $r
	done
done
[ -z "$failed" ] || wb_die "KASAN/KFENCE guests failed:$failed"

echo "$title, $ACCEL:"
printf '%-8s %-8s %7s %7s %8s\n' suite alloc passed failed skipped
for s in $counted; do
	for a in slub slub_ll; do
		[ -n "${result[$a.$s]:-}" ] || continue
		set -- ${result[$a.$s]}
		printf '%-8s %-8s %7s %7s %8s\n' $s $a "$1" "$2" "$3"
	done
done
bad=
for s in $compared; do
	[ "${result[slub.$s]}" = "${result[slub_ll.$s]}" ] ||
		bad="$bad $s (slub: ${result[slub.$s]}, slub_ll: ${result[slub_ll.$s]})"
done
# A failing case fails the run, but for a case of the tree's KUnit suites
# (kasan, kfence) that fails on SLUB too, in the same configuration: that
# one is the tree's (a test that does not hold on this kernel build), not
# the allocator's; it is named, and the counts must still be equal.
same=
for s in $counted; do
	for a in slub_ll slub; do
		[ -n "${result[$a.$s]:-}" ] || continue
		set -- ${result[$a.$s]}
		[ "$2" -eq 0 ] && continue
		case $a.$s in
		slub.kasan | slub.kfence) continue ;;	# the comparison judges
		slub_ll.kasan | slub_ll.kfence)
			ll_only=
			for c in ${detail[slub_ll.$s]}; do
				if [[ " ${detail[slub.$s]:-} " = *" $c "* ]]; then
					same="$same $s:$c"
				else
					ll_only="$ll_only $c"
				fi
			done
			[ -n "$ll_only" ] || continue
			bad="$bad $s fails on SLUB-LL only:$ll_only"
			continue ;;
		esac
		bad="$bad $s has $2 failing case(s) on $([ $a = slub ] && echo SLUB || echo SLUB-LL)"
		bad="$bad${detail[$a.$s]:+ (${detail[$a.$s]})}"
	done
done
[ -z "$same" ] ||
	wb_log kasan "failing on SLUB as on SLUB-LL (the tree's, not counted against SLUB-LL):$same"
[ -z "$bad" ] || wb_die "kasan.sh:$bad"
wb_log kasan "SLUB-LL matches SLUB in the suites: $counted ($title)"
