#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh - boot one bench guest under QEMU and check its console output.
#
#   boot.sh -k bzImage -i initramfs.cpio -l console.log [options]
#     -a ACCEL    kvm or tcg (default tcg; tcg means -accel tcg,thread=multi)
#     -C CLOCK    wall (default) or icount: guest time counts executed
#                 instructions (single-threaded TCG, -icount; see lib.sh)
#     -c CPU      QEMU -cpu model (default max)
#     -n VCPUS    virtual CPUs (default 2)
#     -m MEM      guest memory (default 256M)
#     -x ARGS     extra kernel command line
#     -t SECONDS  watchdog: kill the guest after this long (default 300)
#     -W PROG     the workload's program in the guest: hackbench
#                 (default), forkexec or cachesload
#     -H ARGS     its arguments (default "-g 10 -l 100")
#     -r RUNS     measured runs (default 5)
#     -w WARMUP   warm-up runs (default 1)
#     -P PLUGIN   the atomics plugin (tools/qemu-plugin; icount clock
#                 only): its counts of each measured run go to <log>.atomics
#                 and into the parsed result
#     -p          probe: only prove that the guest reaches /init
#     -h          this help
#
# Exit 0 when the guest printed every result and powered off cleanly, with
# no kernel report on its console (scripts/lib/console-reports, read by
# scripts/wbstats.py check-log); the parsed result is then in <log>.json.
# Otherwise exit 1 with the reason and the last console lines, and no
# number.

set -eu
. "$(dirname "$0")/lib.sh"

accel=tcg clock=wall cpu=max vcpus=2 mem=256M extra= timeout=300
prog=hackbench hb="-g 10 -l 100" runs=5 warmup=1 probe=0 kernel= initrd= log= plugin=
opt()
{
	case $1 in
	k) kernel=$2 ;;
	i) initrd=$2 ;;
	l) log=$2 ;;
	a) accel=$2 ;;
	C) clock=$2 ;;
	c) cpu=$2 ;;
	n) vcpus=$2 ;;
	m) mem=$2 ;;
	x) extra=$2 ;;
	t) timeout=$2 ;;
	H) hb=$2 ;;
	W) prog=$2 ;;
	r) runs=$2 ;;
	w) warmup=$2 ;;
	p) probe=1 ;;
	P) plugin=$2 ;;
	esac
}

wb_opts "k:i:l:a:C:c:n:m:x:t:H:W:r:w:P:ph" opt "$@"
[ -n "$kernel" ] && [ -n "$initrd" ] && [ -n "$log" ] ||
	wb_die "boot.sh: -k KERNEL -i INITRD -l LOG are required"
wb_accel "$accel"
accel_arg=$WB_ACCEL_ARG
qemu=(qemu-system-x86_64)
clock_args=()
case $clock in
wall) plugin= ;;
icount)
	[ "$accel" = tcg ] ||
		wb_die "boot.sh: CLOCK=icount needs TCG, not accelerator '$accel'"
	wb_icount_qemu ||
		wb_die "boot.sh: no icount QEMU in $WB_ICOUNT_QEMU_DIR" \
			"(run CLOCK=icount scripts/deps.sh)"
	qemu=("${WB_ICOUNT_QEMU[@]}")
	accel_arg=tcg
	clock_args=(-icount "shift=$WB_ICOUNT_SHIFT,align=off,sleep=off")
	if [ -n "$plugin" ]; then
		[ -f "$plugin" ] || wb_die "boot.sh: no plugin $plugin"
		case $log in *,*)
			wb_die "boot.sh: the log's path may not contain commas" \
				"with -P: '$log'" ;;
		esac
		clock_args+=(-plugin "$plugin,outfile=$log.atomics")
	fi
	;;
*) wb_die "boot.sh: clock '$clock' unknown; valid: $WB_CLOCKS" ;;
esac
case $hb in
*,*) wb_die "the workload's arguments may not contain commas: '$hb'" ;;
esac
case " $WB_GUEST_PROGS " in *" $prog "*) ;; *)
	wb_die "boot.sh: program '$prog' unknown; valid: $WB_GUEST_PROGS" ;;
esac

cmdline="console=ttyS0 panic=-1 oops=panic loglevel=4"
cmdline="$cmdline hb.prog=$prog hb.args=$(printf '%s' "$hb" | tr ' ' ,)"
cmdline="$cmdline hb.runs=$runs hb.warmup=$warmup"
[ $probe = 1 ] && cmdline="$cmdline hb.probe=1"
[ -n "$extra" ] && cmdline="$cmdline $extra"

mkdir -p "$(dirname "$log")"
rm -f "$log.json" "$log.atomics"
{
	echo "# qemu: ${qemu[0]} -accel $accel_arg ${clock_args[*]}" \
		"-cpu $cpu -smp $vcpus -m $mem"
	echo "# cmdline: $cmdline"
} >"$log"
set +e
timeout -k 10 "$timeout" "${qemu[@]}" \
	-nodefaults -display none -no-reboot \
	-accel "$accel_arg" "${clock_args[@]}" \
	-cpu "$cpu" -smp "$vcpus" -m "$mem" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-serial stdio </dev/null >>"$log" 2>&1
rc=$?
set -e

what=run
[ $probe = 1 ] && what=probe
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	reason="watchdog: no power-off within ${timeout}s (hung or too slow)"
elif [ $rc -ne 0 ]; then
	reason="qemu exited with status $rc"
else
	reason=
fi
if [ -z "$reason" ]; then
	if reason=$(python3 "$WB_ROOT/scripts/wbstats.py" check-log \
			--runs "$runs" ${probe:+$([ $probe = 1 ] && echo --probe)} \
			${plugin:+--atomics "$log.atomics"} \
			--json "$log.json" "$log" 2>&1); then
		exit 0
	fi
fi
wb_failed "guest $what" "$log" "$reason"
rm -f "$log.json"
exit 1
