#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-config.sh NAME - boot one bench configuration once and show it.
#
# Prepares the tree, builds the kernel of configs/bench/NAME.conf and the
# initramfs as bench.sh does, boots the guest once to its /init shell, which
# runs one hackbench and powers off, and prints the console.  Exit 0 when
# the guest reported its run and powered off cleanly.
#
# Environment:
#   KBASE    allnoconfig (default: the bench kernel), defconfig
#            (x86_64_defconfig + kvm_guest.config under the fragments) or
#            debian (Debian's amd64 configuration, see scripts/build.sh)
#   MEM      guest memory (default 256M, 1G with defconfig and debian)
#   VCPUS    virtual CPUs (default 2)       CPU   QEMU -cpu (default: file's)
#   ACCEL    auto, kvm or tcg (default auto: KVM if a probe guest starts)
#   HB       hackbench arguments            TIMEOUT  watchdog in seconds
#   KVER     the kernel tree (scripts/lib.sh)
#   LOGDIR   where the console log goes (default build/boot, build/boot-<ver>
#            for trees other than 6.1)

set -eu
WB_ACCELS="auto kvm tcg"
. "$(dirname "$0")/lib.sh"

CONFDIR=${CONFDIR:-$WB_ROOT/configs/bench}
KBASE=${KBASE:-allnoconfig}
MEM=${MEM:-}
VCPUS=${VCPUS:-2}
CPU=${CPU:-}
ACCEL=${ACCEL:-auto}
HB=${HB:--g 10 -l 100}
TIMEOUT=${TIMEOUT:-600}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-30}
LOGDIR=${LOGDIR:-$(wb_kdir boot)}

# ---- parameters, checked before any work
[ $# -eq 1 ] && [ -n "$1" ] ||
	wb_die "usage: make boot CONFIG=<name>; valid: $(wb_conf_names)"
name=$1
wb_conf_check "$name"
case $KBASE in
allnoconfig) MEM=${MEM:-256M} ;;
defconfig | debian) MEM=${MEM:-1G} ;;
*) wb_die "unknown KBASE '$KBASE'; valid: $WB_KBASES" ;;
esac
wb_accel "$ACCEL"
for v in VCPUS TIMEOUT; do
	wb_number "$v" "${!v}"
done

# The file's CPU must not clobber the CPU= override.
user_cpu=$CPU
FRAGMENTS='' CMDLINE='' CPU=''
# shellcheck disable=SC1090
. "$CONFDIR/$name.conf"
[ -n "$FRAGMENTS" ] || wb_die "$CONFDIR/$name.conf sets no FRAGMENTS"
cpu=${user_cpu:-${CPU:-max}}

# ---- prepare, build
"$WB_ROOT/scripts/deps.sh"
"$WB_ROOT/scripts/prepare.sh"
# shellcheck disable=SC2086
kernel=$(KBASE=$KBASE "$WB_ROOT/scripts/build.sh" $FRAGMENTS)
initrd=$("$WB_ROOT/scripts/initramfs.sh")

mkdir -p "$LOGDIR"
log=$LOGDIR/$KBASE-$name.log
wb_accel "$ACCEL" "$kernel" "$initrd" "$log.probe"
accel=$WB_ACCEL

# ---- one boot, one hackbench run
wb_log boot "KVER=$WB_KVER $name ($KBASE): -accel $accel -cpu $cpu, $VCPUS vCPUs, $MEM;" \
	"hackbench $HB"
rc=0
msg=$("$WB_ROOT/scripts/boot.sh" -a "$accel" -k "$kernel" -i "$initrd" \
	-c "$cpu" -n "$VCPUS" -m "$MEM" -x "$CMDLINE" -t "$TIMEOUT" \
	-H "$HB" -r 1 -w 0 -l "$log" 2>&1) || rc=$?
cat "$log"
echo
if [ $rc -ne 0 ]; then
	printf '%s\n' "$msg" | sed -n '1p' >&2
	wb_die "$name ($KBASE) did not boot and run hackbench (console: $log)"
fi
wb_log boot "$name ($KBASE) reached the shell and ran hackbench:" \
	"$(sed -n 's/^HB run=1 seconds=//p' "$log" | tr -d '\r') s (console: $log)"
