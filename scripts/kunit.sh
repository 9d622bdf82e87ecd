#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh - build the patched kernel with the SLUB-LL KUnit suite, boot it
# under QEMU once per mode, and check the KTAP it prints.
#
#   scripts/kunit.sh [options]
#     -m MODES    space-separated boot modes (default "lockless pagelock"):
#                   lockless  CPU with cmpxchg16b, default command line
#                   pagelock  booted with slub_ll_pagelock
#                   nocx16    CPU without cmpxchg16b (-cpu max,-cx16)
#     -a ACCEL    kvm or tcg (default tcg: -accel tcg,thread=multi)
#     -n VCPUS    virtual CPUs (default 2; the cross-CPU cases need 2)
#     -t SECONDS  watchdog per boot (default 600)
#     -f FRAGS    extra config fragments on top of base slub_ll kunit, from
#                 configs/ (e.g. "debug", "kcsan"); logs build/kunit[-<ver>]/<FRAGS>-<mode>.log
#     -s          strict console scan (scripts/console-scan.sh), and every
#                 "# console-requires: REGEX" line of the fragments matched
#     -B          do not prepare or build: use the last kernel built
#     -h          this help
#   Environment: KVER, TREE, KBUILD_DIR as for scripts/prepare.sh and
#   build.sh.
#
# Tree and build: scripts/prepare.sh (the tree KVER: build/linux for 6.1,
# build/linux-<ver> else, patches/<ver>/series applied with quilt),
# scripts/build.sh base slub_ll kunit (build/kbuild[-<ver>]/...) and
# the bench initramfs (scripts/initramfs.sh).  Each boot goes through
# scripts/boot.sh: the KUnit suite runs at the end of boot, then the
# initramfs runs one short hackbench (-g 4 -l 50) and dumps the summed
# allocator statistics.  The console is kept in build/kunit/<mode>.log;
# its KTAP is parsed by the tree's tools/testing/kunit/kunit.py parse.
# Fails when a boot hangs or the console shows a kernel report (a panic,
# an oops, a warning: scripts/lib/console-reports), when the slub_ll suite
# is missing, did not report all its cases or has a failing case, when a
# case skipped that scripts/kunit-skips does not allow to in the mode, or when
# the statistics do not fit the mode: every path used, and page locks
# taken in page-lock mode and never in lockless mode, or when after
# hackbench a CPU's two partial lists hold more slabs than their bound
# (max(2 * cpu_partial, objs_per_slab) objects, the guest's WB-CPULISTS).

set -eu
. "$(dirname "$0")/lib.sh"

MODES="lockless pagelock"
HB="-g 4 -l 50"
ACCEL=tcg
VCPUS=2
TIMEOUT=600
NOBUILD=0
FRAGS=
STRICT=0
OUT=$(wb_kdir kunit)
TREE=$(realpath -m "${TREE:-$WB_KTREE}")

opt()
{
	case $1 in
	m) MODES=$2 ;;
	a) ACCEL=$2 ;;
	n) VCPUS=$2 ;;
	t) TIMEOUT=$2 ;;
	f) FRAGS=$2 ;;
	s) STRICT=1 ;;
	B) NOBUILD=1 ;;
	esac
}

wb_opts "m:a:n:t:f:sBh" opt "$@"
wb_accel "$ACCEL"
wb_number -n "$VCPUS"
for m in $MODES; do
	case $m in
	lockless|pagelock|nocx16) ;;
	*) wb_die "kunit.sh: mode '$m' unknown; valid: lockless pagelock nocx16" ;;
	esac
done

# Extra fragments: each must exist; their "# console-requires:" lines are
# what the strict scan insists on seeing.
frags=()
required=()
for f in $FRAGS; do
	[ -f "$(wb_fragment "$f" "$WB_ROOT/configs")" ] ||
		wb_die "kunit.sh: config fragment '$f' unknown; valid:" \
			"$(wb_fragment_names "$WB_ROOT/configs")(those of KVER=$WB_KVER)"
	frags+=("$f")
	while IFS= read -r re; do
		required+=(-r "$re")
	done < <(sed -n 's/^# console-requires: //p' "$(wb_fragment "$f" "$WB_ROOT/configs")")
done
key=$(IFS=-; echo "base-slub_ll-kunit${frags[*]+-${frags[*]}}")
prefix=
[ ${#frags[@]} -eq 0 ] || prefix=$(IFS=-; echo "${frags[*]}")-

wb_need_pkgs qemu-system-x86 python3

if [ $NOBUILD = 0 ]; then
	"$WB_ROOT/scripts/prepare.sh"
	# the last line build.sh prints; a failed build stops here
	image=$("$WB_ROOT/scripts/build.sh" base slub_ll kunit ${frags[@]+"${frags[@]}"}) ||
		exit 1
	image=${image##*$'\n'}
	initrd=$("$WB_ROOT/scripts/initramfs.sh" | tail -n 1)
else
	image=${KBUILD_DIR:-$WB_KBUILD}/$key/arch/x86/boot/bzImage
	initrd=$WB_BUILD/initramfs/initramfs.cpio
fi
[ -f "$image" ] || wb_die "no kernel image at $image"
[ -f "$initrd" ] || wb_die "no initramfs at $initrd"
parser=$TREE/tools/testing/kunit/kunit.py
[ -f "$parser" ] || wb_die "no $parser (run scripts/prepare.sh)"
mkdir -p "$OUT"

# The number of cases in the suite, from its source in the tree (the
# slub_ll_numa suite in the same file is scripts/numa.sh's).  A case under
# "#ifdef SLUB_LL_<feature>" counts where the tree's layout header
# defines the feature (kmalloc_nolock() is 7.3's).
layout=$TREE/include/linux/slub_ll_layout.h
expected=$(sed -n '/^static struct kunit_case sll_test_cases\[\] = {$/,/^};$/p' \
	"$TREE/mm/slub_ll_kunit.c" | awk -v layout="$layout" '
	/^#ifdef SLUB_LL_/ {
		skip = system("grep -q \"^#define " $2 "\\b\" " layout) != 0
		next
	}
	/^#endif/ { skip = 0; next }
	/^\tKUNIT_CASE\(/ && !skip { n++ }
	END { print n + 0 }')
[ "$expected" -gt 0 ] || wb_die "cannot count the cases of $TREE/mm/slub_ll_kunit.c"

# stat_total LOG NAME: the guest's SLABSTAT total for statistic NAME.
stat_total()
{
	sed -n "s/^SLABSTAT stat=$2 total=\([0-9]*\) .*/\1/p" "$1" | head -n 1
}

# check_stats MODE LOG: the statistics moved the way the mode implies.
check_stats()
{
	local mode=$1 log=$2 name v bad=

	for name in alloc_fastpath alloc_slowpath free_fastpath free_slowpath \
		    alloc_slab pagelock_taken; do
		v=$(stat_total "$log" $name)
		[ -n "$v" ] || { echo "no SLABSTAT line for $name"; return 1; }
		eval "st_$name=$v"
	done
	[ "$st_alloc_fastpath" -gt 0 ] || bad="$bad alloc_fastpath=0"
	[ "$st_alloc_slowpath" -gt 0 ] || bad="$bad alloc_slowpath=0"
	[ "$st_free_fastpath" -gt 0 ] || bad="$bad free_fastpath=0"
	[ "$st_free_slowpath" -gt 0 ] || bad="$bad free_slowpath=0"
	[ "$st_alloc_slab" -gt 0 ] || bad="$bad alloc_slab=0"
	case $mode in
	lockless)
		[ "$st_pagelock_taken" -eq 0 ] ||
			bad="$bad pagelock_taken=$st_pagelock_taken(want 0)" ;;
	*)
		[ "$st_pagelock_taken" -gt 0 ] ||
			bad="$bad pagelock_taken=0(want >0)" ;;
	esac
	if [ -n "$bad" ]; then
		echo "statistics do not fit mode $mode:$bad"
		return 1
	fi
	echo "alloc fast/slow $st_alloc_fastpath/$st_alloc_slowpath," \
	     "free fast/slow $st_free_fastpath/$st_free_slowpath," \
	     "new slabs $st_alloc_slab, page locks $st_pagelock_taken"
}

# boot_one MODE: boot, parse, print a one-line verdict; 0 when all passed.
boot_one()
{
	local mode=$1 cpu=max extra="loglevel=7" log=$OUT/$prefix$1.log
	local why stats scan report counts lists skipkey=$1

	# the allowed skips: the mode's, and those of FRAGS/mode (kunit-skips)
	[ -z "$prefix" ] || skipkey=${prefix%-}/$mode

	# strict: the guest reads all of /sys/kernel/slab before hackbench
	[ $STRICT = 0 ] || extra="$extra hb.sysfs=1"
	case $mode in
	pagelock) extra="$extra slub_ll_pagelock" ;;
	nocx16) cpu=max,-cx16 ;;
	esac
	wb_log boot "kunit $mode: $ACCEL, $VCPUS vCPUs, -cpu $cpu, $extra" \
		"(log: $log)"
	why=
	# boot.sh runs the guest (KUnit at the end of boot, then a short
	# hackbench and the statistics dump from the initramfs) and checks
	# that it printed its results and powered off.
	if ! "$WB_ROOT/scripts/boot.sh" -k "$image" -i "$initrd" -l "$log" \
		-a "$ACCEL" -c "$cpu" -n "$VCPUS" -m 512M -x "$extra" \
		-t "$TIMEOUT" -H "$HB" -r 1 -w 0; then
		why="the guest failed (see above)"
	fi
	# The strict scan names the first report, even when the guest died;
	# it replaces the grep below, so that KUnit's results are still shown.
	scan=
	if [ $STRICT = 1 ] && ! scan=$("$WB_ROOT/scripts/console-scan.sh" -n 0 \
		${required[@]+"${required[@]}"} "$log" 2>&1); then
		scan=$(echo "$scan" | grep '^console:' | tr '\n' ' ')
		[ -n "$scan" ] || scan="console scan failed"
	else
		scan=
	fi
	if [ -n "$why" ]; then
		:
	elif [ $STRICT = 0 ] && report=$(wb_console_reports "$log") &&
	     [ -n "$report" ]; then
		why="the kernel reported: $(head -n 1 <<<"$report" | cut -d: -f2-)"
	elif ! grep -q 'SLUB-LL: .* slowpaths' "$log"; then
		why="the kernel is not running SLUB-LL (no 'SLUB-LL: ... slowpaths' line)"
	fi
	case $mode in
	pagelock|nocx16)
		[ -z "$why" ] && ! grep -q 'SLUB-LL: page-lock slowpaths' "$log" &&
			why="mode $mode did not boot in page-lock mode" ;;
	lockless)
		[ -z "$why" ] && ! grep -q 'SLUB-LL: lockless slowpaths' "$log" &&
			why="mode $mode did not boot in lockless mode" ;;
	esac

	if [ -z "$why" ]; then
		if ! python3 "$parser" parse "$log" >"$log.parsed" 2>&1; then
			why="KUnit reported failures (kunit.py parse)"
		fi
		sed 's/^/  /' "$log.parsed" >&2
	fi
	# every case of the suite reported, none failed, and a case that
	# skipped is allowed to in this mode; the same of slub_ll_numa,
	# which runs on the same kernel
	if [ -z "$why" ]; then
		sed -e 's/\r$//' -e 's/^\[ *[0-9.]*\] //' "$log" >"$log.ktap"
		if ! wb_ktap_suite "$log.ktap" slub_ll_numa "$skipkey"; then
			why=$WB_KTAP_WHY
		fi
		if ! wb_ktap_suite "$log.ktap" slub_ll "$skipkey"; then
			why="$WB_KTAP_WHY${why:+; $why}"
		else
			set -- $WB_KTAP_COUNTS
			counts="$1 passed, $3 skipped"
			[ $(($1 + $2 + $3)) -eq "$expected" ] ||
				why="the slub_ll suite reported $(($1 + $2 + $3)) of its $expected cases${why:+; $why}"
		fi
	fi
	if [ -z "$why" ] && ! stats=$(check_stats "$mode" "$log.ktap"); then
		why=$stats
	fi
	# memory held after the workload: no CPU's two partial lists over
	# their bound (the guest's WB-CPULISTS line)
	lists=$(grep -m 1 '^WB-CPULISTS ' "$log.ktap" || true)
	lists=${lists#WB-CPULISTS }
	if [ -n "$why" ]; then
		:
	elif [ -z "$lists" ]; then
		why="the guest printed no WB-CPULISTS line (CPU partial lists after hackbench)"
	elif ! grep -q -E '^caches=[1-9][0-9]* .*over=0( |$)' <<<"$lists"; then
		why="CPU partial lists over their bound after hackbench: $lists"
	fi
	# strict: merged caches (SLAB_MERGE_DEFAULT) show as links
	if [ -z "$why" ] && [ $STRICT = 1 ] &&
	   grep -q '^CONFIG_SLAB_MERGE_DEFAULT=y' "$(dirname "$image")/../../../.config" &&
	   ! grep -q -E '^WB-SYSFS .* aliases=[1-9]' "$log.ktap"; then
		why="no merged cache shows as a link in /sys/kernel/slab"
	fi
	[ -z "$scan" ] || why="$scan${why:+; $why}"
	if [ -n "$why" ]; then
		wb_failed "kunit $mode" "$log" "$why"
		return 1
	fi
	wb_log boot "kunit $mode: slub_ll suite passed ($counts)"
	wb_log stats "$mode: $stats"
	wb_log stats "$mode: CPU partial lists after hackbench: $lists"
	return 0
}

failed=()
for m in $MODES; do
	boot_one "$m" || failed+=("$m")
done
if [ ${#failed[@]} -gt 0 ]; then
	wb_die "KUnit failed in mode(s): ${failed[*]}"
fi
wb_log kunit "all modes passed: $MODES"
