#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kasan.sh - the tree's KASAN and KFENCE KUnit suites, on SLUB and on
# SLUB-LL, side by side.
#
#   scripts/kasan.sh [options]
#     -m MODE     generic KASAN's instrumentation: outline (default) or
#                 inline (adds configs/kasan-inline.config); or initfree:
#                 no KASAN, KFENCE and test_meminit booted with
#                 init_on_free=1 init_on_alloc=0 (configs/initfree.config)
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
# from SLUB's.  Logs: build/kasan/<allocator>-<suite>.log (-m inline:
# build/kasan/inline/, kernels build/kbuild/<key>-kasan-inline).
#
# -m initfree builds base + slub + initfree and base + slub_ll + initfree
# (no KASAN) and boots each once with init_on_free=1 init_on_alloc=0:
# the kfence suite's counts must be SLUB's, and lib/test_meminit must
# report no failure on either allocator.  Logs: build/kasan/initfree/.

set -eu
. "$(dirname "$0")/lib.sh"

ACCEL=tcg
MODE=outline
TIMEOUT=1200
NOBUILD=0
OUT=$WB_BUILD/kasan
TREE=$(realpath -m "${TREE:-$WB_BUILD/linux}")

usage()
{
	sed -n '4,16s/^# \{0,1\}//p' "$0"
}

OPTS="-m -a -t -B -h"
while getopts ":m:a:t:Bh" opt; do
	case $opt in
	m) MODE=$OPTARG ;;
	a) ACCEL=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	B) NOBUILD=1 ;;
	h) usage; exit 0 ;;
	:) usage >&2; wb_die "kasan.sh: option -$OPTARG needs a value" ;;
	*) usage >&2; wb_die "kasan.sh: unknown option -$OPTARG; valid: $OPTS" ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || wb_die "kasan.sh: unexpected argument '$1'; valid options: $OPTS"
case $MODE in
outline) mode_frag= ;;
inline) mode_frag=kasan-inline OUT=$OUT/inline ;;
initfree) mode_frag= OUT=$OUT/initfree ;;
*) wb_die "kasan.sh: KASAN mode '$MODE' unknown; valid: outline inline initfree" ;;
esac
# The boots, the suites whose counts must be SLUB's, and those counted.
if [ $MODE = initfree ]; then
	runs=initfree compared="kfence meminit" counted="kfence meminit"
	title="init_on_free=1 init_on_alloc=0, KFENCE, no KASAN"
else
	runs="kasan kfence" compared="kasan kfence" counted="kasan kfence slub_ll"
	title="KASAN $MODE"
fi
case $ACCEL in kvm | tcg) ;; *)
	wb_die "kasan.sh: accelerator '$ACCEL' unknown; valid: kvm tcg" ;; esac
case $TIMEOUT in
'' | *[!0-9]* | 0*) wb_die "kasan.sh: -t wants seconds, not '$TIMEOUT'" ;;
esac

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
	echo "${KBUILD_DIR:-$WB_BUILD/kbuild}/$(echo $(frags_of $1) | tr ' ' -)/arch/x86/boot/bzImage"
}
# -B takes what is there: it must be of the mode asked for.
for a in slub slub_ll; do
	image=$(image $a)
	[ -f "$image" ] || wb_die "no kernel image at $image"
	if [ $MODE = initfree ]; then
		grep -q "^CONFIG_TEST_MEMINIT=y$" "${image%/arch/x86/boot/bzImage}/.config" 2>/dev/null ||
			wb_die "${image%/arch/x86/boot/bzImage} is not an initfree kernel" \
				"(no CONFIG_TEST_MEMINIT=y in its .config)"
		continue
	fi
	grep -q "^CONFIG_KASAN_${MODE^^}=y$" "${image%/arch/x86/boot/bzImage}/.config" 2>/dev/null ||
		wb_die "${image%/arch/x86/boot/bzImage} is not a KASAN $MODE kernel" \
			"(no CONFIG_KASAN_${MODE^^}=y in its .config)"
done
[ -f "$initrd" ] || wb_die "no initramfs at $initrd"

# counts LOG SUITE: "passed failed skipped" of the suite's cases, or
# nothing when the suite did not finish.
counts()
{
	python3 - "$1" "$2" <<'EOF'
import re, sys
log, suite = sys.argv[1], sys.argv[2]
lines = [re.sub(r'^\[ *[0-9.]+\] ', '', l.rstrip('\r\n'))
         for l in open(log, errors='replace')]
start = None
for i, l in enumerate(lines):
    if re.fullmatch(r'( *)# Subtest: ' + re.escape(suite), l):
        start, ind = i, len(l) - len(l.lstrip(' '))
if start is None:
    sys.exit(0)
ok = bad = skip = 0
for l in lines[start + 1:]:
    m = re.match(r'( *)(not )?ok [0-9]+ (.*)', l)
    if not m:
        continue
    if len(m.group(1)) < ind or (len(m.group(1)) == ind and
                                 m.group(3).split(' ')[-1] == suite):
        print(ok, bad, skip)
        break
    if len(m.group(1)) != ind:
        continue        # a parameter of a case, or a case of a subsuite
    if '# SKIP' in m.group(3):
        skip += 1
    elif m.group(2):
        bad += 1
    else:
        ok += 1
EOF
}

# boot ALLOC RUN: boot the kernel of ALLOC; RUN "kasan" keeps KFENCE off
# (kfence.sample_interval=0), so that KASAN's cases see KASAN's objects
# only; RUN "kfence" samples every 10 ms; RUN "initfree" samples too, on
# a kernel without KASAN booted init_on_free=1 init_on_alloc=0, and also
# reads test_meminit's verdict.  Fills result[ALLOC.SUITE].
declare -A result
failed=
boot()
{
	local a=$1 run=$2 image log why= extra="loglevel=7" suites s c

	image=$(image $a)
	log=$OUT/$a-$run.log
	case $run in
	kasan)
		extra="$extra kfence.sample_interval=0"
		suites=kasan
		[ $a = slub ] || suites="$suites slub_ll" ;;
	kfence)
		suites=kfence ;;
	initfree)
		extra="$extra init_on_free=1 init_on_alloc=0"
		suites=kfence ;;
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
	elif [ $run != initfree ] &&
	     ! grep -q 'KernelAddressSanitizer initialized' "$log"; then
		why="KASAN did not initialize"
	elif [ $run != kasan ] && ! grep -q 'kfence: initialized' "$log"; then
		why="KFENCE did not initialize"
	fi
	for s in $suites; do
		[ -z "$why" ] || break
		c=$(counts "$log" $s)
		if [ -z "$c" ]; then
			why="suite $s did not finish"
			break
		fi
		result[$a.$s]=$c
	done
	if [ -z "$why" ] && [ $run = initfree ]; then
		c=$(wb_meminit_counts "$log")
		if [ -z "$c" ]; then
			why="test_meminit printed no verdict"
		else
			result[$a.meminit]=$c
		fi
	fi
	# SLUB-LL's own cases: only the skips allowed under KASAN
	if [ -z "$why" ] && [ $a = slub_ll ] && [ $run = kasan ]; then
		sed -e 's/\r$//' -e 's/^\[ *[0-9.]*\] //' "$log" >"$log.ktap"
		wb_kunit_skips kasan "$log.ktap" >"$log.skips" ||
			why=$(cat "$log.skips")
	fi
	if [ -n "$why" ]; then
		{
			echo "$run suite on $a FAILED: $why"
			echo "---- last console lines ($log) ----"
			tail -n 25 "$log" | sed 's/^/| /'
			echo "----"
		} >&2
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
for s in $counted; do
	set -- ${result[slub_ll.$s]}
	[ "$2" -eq 0 ] || bad="$bad $s has $2 failing case(s) on SLUB-LL"
done
[ -z "$bad" ] || wb_die "kasan.sh:$bad"
wb_log kasan "SLUB-LL matches SLUB in the suites: $counted ($title)"
