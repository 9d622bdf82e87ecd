#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# memcg.sh - kernel-memory accounting in a cgroup, and slab fault injection,
# in a guest; each run's verdict is checked against what that run expects.
#
#   scripts/memcg.sh [options]
#     -A ALLOC    allocator fragment: slub_ll (default) or slub
#     -k KBASE    kernel base: allnoconfig (default: + base, memcg
#                 fragments) or debian (Debian's own configuration +
#                 the allocator only, as scripts/build.sh KBASE=debian;
#                 without FAILSLAB there the failslab checks are SKIP)
#     -r RUNS     runs, in order (default "kmem nokmem"); valid:
#                   kmem      cgroup kmem and failslab (debugfs): all PASS
#                   nokmem    the same kernel with cgroup.memory=nokmem:
#                             the kmem checks must FAIL (test of the test)
#                   leak      failslab with processes kept alive before the
#                             second count: its check must FAIL
#                   bootfs    failslab from the boot parameter (-F): PASS
#     -F SPEC     failslab=<interval>,<probability>,<space>,<times> for
#                 bootfs (default 1,1,100000000,100000: injection is on
#                 from boot, so <space>, the bytes spared first, must
#                 cover the boot: an early failed allocation panics)
#     -a ACCEL    kvm or tcg (default tcg: -accel tcg,thread=multi)
#     -m MEM      guest memory (default 256M, 1G with -k debian)
#     -t SECONDS  watchdog per guest (default 600)
#     -B          do not prepare or build: use the last kernel built
#     -h          this help
#   Environment: TREE, KBUILD_DIR, JOBS as for scripts/build.sh.
#
# Kernel: allnoconfig + configs/base.config, the allocator's fragment and
# configs/memcg.config (build/kbuild/base-<alloc>-memcg); with -k debian,
# Debian's configuration + the allocator's fragment + configs/debian.config
# (build/kbuild/debian-<alloc>, the kernel of make boot KBASE=debian),
# which must have what the kmem part needs (cgroups, memcg kmem, tmpfs).  A
# kernel without failslab through debugfs (Debian's: FAULT_INJECTION is not
# set) runs the failslab part's checks as SKIP, naming the missing options,
# and refuses the runs that are only about failslab.  Initramfs
# build/memcg/initramfs.cpio: busybox, hackbench, scripts/guest/fsload.c
# linked statically, scripts/guest/memcg-init.sh as /init (it describes the
# scenarios and prints "CHECK <name> PASS|FAIL" lines).  Consoles:
# build/memcg/<alloc>-<run>.log (debian-<alloc>-<run>.log).  A run fails
# when its guest hangs, panics or shows a kernel report
# (scripts/lib/console-reports), does not finish, or a check's verdict is
# not the one the run expects.

set -eu
. "$(dirname "$0")/lib.sh"

ALLOC=slub_ll
KBASE=allnoconfig
RUNS="kmem nokmem"
FS_SPEC=1,1,100000000,100000
ACCEL=tcg
MEM=
TIMEOUT=600
NOBUILD=0
OUT=$(wb_kdir memcg)
VALID_RUNS="kmem nokmem leak bootfs"

opt()
{
	case $1 in
	A) ALLOC=$2 ;;
	k) KBASE=$2 ;;
	r) RUNS=$2 ;;
	F) FS_SPEC=$2 ;;
	a) ACCEL=$2 ;;
	m) MEM=$2 ;;
	t) TIMEOUT=$2 ;;
	B) NOBUILD=1 ;;
	esac
}

wb_opts "A:k:r:F:a:m:t:Bh" opt "$@"
case $ALLOC in
slub | slub_ll) ;;
*) wb_die "memcg.sh: allocator '$ALLOC' unknown; valid: slub_ll slub" ;;
esac
case $KBASE in
allnoconfig) MEM=${MEM:-256M} ;;
debian) MEM=${MEM:-1G} ;;
*) wb_die "memcg.sh: KBASE '$KBASE' unknown; valid: allnoconfig debian" ;;
esac
for r in $RUNS; do
	case " $VALID_RUNS " in
	*" $r "*) ;;
	*) wb_die "memcg.sh: run '$r' unknown; valid: $VALID_RUNS" ;;
	esac
done
[ -n "$RUNS" ] || wb_die "memcg.sh: no run given; valid: $VALID_RUNS"
wb_accel "$ACCEL"
wb_number -t "$TIMEOUT"
[[ $FS_SPEC =~ ^[0-9]+,[0-9]+,[0-9]+,-?[0-9]+$ ]] ||
	wb_die "memcg.sh: -F wants <interval>,<probability>,<space>,<times>, not '$FS_SPEC'"

wb_need_pkgs qemu-system-x86 busybox-static rt-tests build-essential

TREE=$(realpath -m "${TREE:-$WB_KTREE}")
# fs_runs_refused KEY MISSING: leak and bootfs are about failslab only.
fs_runs_refused()
{
	local r

	for r in $RUNS; do
		case $r in leak | bootfs)
			wb_die "memcg.sh: run '$r' tests failslab, which $1 lacks ($2 not set)" ;;
		esac
	done
}

if [ "$KBASE" = debian ]; then
	key=debian-$ALLOC frags=(base "$ALLOC")
	# Before a long build: Debian's own configuration has no failslab.
	DEBIAN_CONFIG=${DEBIAN_CONFIG:-$WB_DEBIAN_CONFIG}
	[ -r "$DEBIAN_CONFIG" ] || wb_die "memcg.sh: -k debian: no $DEBIAN_CONFIG" \
		"(Debian package $WB_KCONFIG_PKG; KVER=$WB_KVER scripts/deps.sh)"
	xz -dc "$DEBIAN_CONFIG" | grep -q '^CONFIG_FAILSLAB=y$' ||
		fs_runs_refused "Debian's configuration" FAILSLAB
else
	key=base-$ALLOC-memcg frags=(base "$ALLOC" memcg)
fi
if [ $NOBUILD = 0 ]; then
	"$WB_ROOT/scripts/prepare.sh"
	# the last line build.sh prints; a failed build stops here
	image=$(KBASE=$KBASE "$WB_ROOT/scripts/build.sh" "${frags[@]}") || exit 1
	image=${image##*$'\n'}
else
	image=${KBUILD_DIR:-$WB_KBUILD}/$key/arch/x86/boot/bzImage
fi
[ -f "$image" ] || wb_die "no kernel image at $image"
kconfig=${image%/arch/x86/boot/bzImage}/.config
[ -f "$kconfig" ] || wb_die "no kernel configuration at $kconfig"

# unset_options OPTION...: those the kernel's .config does not have as y.
unset_options()
{
	local o miss=

	for o in "$@"; do
		grep -q "^CONFIG_$o=y$" "$kconfig" || miss="$miss $o"
	done
	echo "${miss# }"
}
# What the kmem part needs; 7.3 has kernel memory accounting in MEMCG
# itself and /proc/sys in SYSCTL.
case $WB_KVER in
6.1) kmem_needs="CGROUPS MEMCG MEMCG_KMEM SHMEM TMPFS PROC_SYSCTL" ;;
*) kmem_needs="CGROUPS MEMCG SHMEM TMPFS PROC_FS SYSCTL" ;;
esac
# shellcheck disable=SC2086
miss=$(unset_options $kmem_needs)
[ -z "$miss" ] || wb_die "memcg.sh: $key lacks what the kmem part needs: $miss"
# Without these the guest has no /sys/kernel/debug/failslab.
fs_miss=$(unset_options DEBUG_FS FAULT_INJECTION FAULT_INJECTION_DEBUG_FS FAILSLAB)
FS_WANT=PASS
if [ -n "$fs_miss" ]; then
	FS_WANT=SKIP
	fs_runs_refused "$key" "$fs_miss"
	wb_log memcg "$key: $fs_miss not set: the failslab checks must report SKIP"
fi

# The initramfs: busybox, hackbench and its libraries, our /init.
mkdir -p "$OUT"
[ -f "$TREE/usr/gen_init_cpio.c" ] ||
	wb_die "no $TREE/usr/gen_init_cpio.c (run scripts/prepare.sh)"
busybox=$(command -v busybox) || wb_die "busybox not found (busybox-static)"
hackbench=$(command -v hackbench) || wb_die "hackbench not found (rt-tests)"
cc -O2 -o "$OUT/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
cc -static -O2 -Wall -o "$OUT/fsload" "$WB_ROOT/scripts/guest/fsload.c" ||
	wb_die "cannot build scripts/guest/fsload.c statically (libc6-dev?)"
libs=$(wb_program_libs "$hackbench")
{
	wb_initramfs_base "$WB_ROOT/scripts/guest/memcg-init.sh" "$busybox"
	echo "file /bin/hackbench $hackbench 0755 0 0"
	echo "file /bin/fsload $OUT/fsload 0755 0 0"
	wb_initramfs_files $libs
} | wb_initramfs_sort >"$OUT/initramfs.list"
initrd=$OUT/initramfs.cpio
"$OUT/gen_init_cpio" "$OUT/initramfs.list" >"$initrd"

# check_verdicts LOG WANT...: each WANT is NAME=PASS or NAME=FAIL.
check_verdicts()
{
	local log=$1 w name want got

	shift
	for w in "$@"; do
		name=${w%=*} want=${w#*=}
		got=$(sed -n "s/^CHECK $name \([A-Z]*\) .*/\1/p" "$log" | head -n 1)
		[ -n "$got" ] || { why+=("check $name did not report"); continue; }
		[ "$got" = "$want" ] ||
			why+=("check $name: $got, this run expects $want")
	done
}

KMEM_CHECKS="kmem-slab-rise kmem-slab-reclaimable-rise
kmem-slab-unreclaimable-rise kmem-current-covers-slab kmem-slab-falls-back
kmem-limit-stops-task kmem-limit-hit"
FS_CHECKS="failslab-injected failslab-objects-back"

failed=()
for run in $RUNS; do
	log=$OUT/$ALLOC-$run.log
	[ "$KBASE" = allnoconfig ] || log=$OUT/$KBASE-$ALLOC-$run.log
	cmdline="console=ttyS0 panic=-1 oops=panic loglevel=4"
	want=()
	case $run in
	kmem)
		for c in $KMEM_CHECKS; do want+=("$c=PASS"); done
		for c in $FS_CHECKS; do want+=("$c=$FS_WANT"); done ;;
	nokmem)
		# Without kmem accounting nothing of it reaches the group.
		cmdline="$cmdline cgroup.memory=nokmem memcg.parts=kmem"
		want=(kmem-slab-rise=FAIL kmem-slab-reclaimable-rise=FAIL
			kmem-slab-unreclaimable-rise=FAIL kmem-limit-stops-task=FAIL) ;;
	leak)
		cmdline="$cmdline memcg.parts=failslab fs.leak=64"
		want=(failslab-injected=PASS failslab-objects-back=FAIL) ;;
	bootfs)
		cmdline="$cmdline memcg.parts=failslab failslab=$FS_SPEC"
		for c in $FS_CHECKS; do want+=("$c=PASS"); done ;;
	esac
	qemu=(qemu-system-x86_64 -nodefaults -display none -no-reboot
		-machine pc -accel "$WB_ACCEL_ARG" -cpu max -smp 2 -m "$MEM"
		-kernel "$image" -initrd "$initrd" -append "$cmdline"
		-serial stdio)
	echo "# qemu: ${qemu[*]}" >"$log"
	wb_log boot "$key, run $run: $ACCEL, 2 vCPUs, $MEM (console: $log)"
	t0=$(date +%s)
	set +e
	timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null >>"$log" 2>&1
	rc=$?
	set -e
	t=$(($(date +%s) - t0))
	sed -i 's/\r$//' "$log"

	why=()
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		why+=("watchdog: the guest did not finish within ${TIMEOUT}s")
	elif [ $rc -ne 0 ]; then
		why+=("qemu exited with status $rc")
	fi
	scan=$(wb_console_reports "$log" | head -n 1)
	[ -z "$scan" ] ||
		why+=("console: kernel report at line ${scan%%:*}: ${scan#*:}")
	grep -q '^MEMCG-GUEST-UP' "$log" || why+=("the guest's /init did not start")
	grep -q '^MEMCG-GUEST-DONE' "$log" || why+=("the guest did not finish (no MEMCG-GUEST-DONE)")
	grep -q -E '^(MEMCG|FAILSLAB)-ERROR' "$log" &&
		why+=("$(grep -m1 -E '^(MEMCG|FAILSLAB)-ERROR' "$log")")
	case $run in
	kmem | nokmem) grep -q '^MEMCG-INIT-ALIVE' "$log" ||
		why+=("init did not survive the limited group") ;;
	esac
	case $run in
	bootfs)
		IFS=, read -r fi fp _ ft <<<"$FS_SPEC"
		grep -q "^FAILSLAB-CONFIG source=cmdline failslab=$FS_SPEC probability=$fp interval=$fi space=0 times=$ft " "$log" ||
			why+=("failslab=$FS_SPEC on the command line was not taken as given") ;;
	esac
	check_verdicts "$log" "${want[@]}"

	wb_log memcg "$key, run $run: guest ran ${t}s, qemu rc=$rc"
	grep -E '^(MEMCG-(STAT|GROUP|LIMIT|EVENTS)|FAILSLAB-(BOOT|CONFIG|RUN)|CHECK) ' "$log" |
		sed 's/^/  /' >&2 || true
	# The largest changes of in-use objects, most first.
	grep '^SLAB-DELTA ' "$log" | sort -t= -k5 -n -r | head -n 8 |
		sed 's/^/  /' >&2 || true
	if [ ${#why[@]} -gt 0 ]; then
		wb_failed "memcg run $run" "$log" "${why[@]}"
		failed+=("$run")
	else
		wb_log memcg "$key, run $run: every check as expected (${want[*]})"
		case " ${want[*]} " in *=SKIP*)
			wb_log memcg "$key, run $run: failslab checks SKIP: $fs_miss not set" ;;
		esac
	fi
done
[ ${#failed[@]} -eq 0 ] || wb_die "memcg.sh: run(s) failed: ${failed[*]}"
wb_log memcg "passed: $key, runs $RUNS"
