#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bench's clock: by default (CLOCK=auto) the wall clock where KVM is
# used and the instruction-count clock where it is not, with the icount
# QEMU fetched and the clock's default configurations; the table's header
# names the clock and why it was chosen.  Runs scripts/bench.sh over
# stand-in steps (STEPS_DIR): no kernel is built or booted.

. "$(dirname "$0")/tap.sh"

# ---- stand-ins: every call is recorded in $T/calls
steps=$T/steps
mkdir -p "$steps" "$T/bin" "$T/icount/root/usr/bin"
cat >"$steps/deps.sh" <<'S'
#!/bin/sh
echo "deps CLOCK=${CLOCK:-}" >>"$CALLS"
S
cat >"$steps/prepare.sh" <<'S'
#!/bin/sh
echo prepare >>"$CALLS"
S
cat >"$steps/build.sh" <<'S'
#!/bin/sh
echo "build $*" >>"$CALLS"
echo "$STANDIN/kbuild/$(echo "$@" | tr ' ' -)/bzImage"
S
cat >"$steps/initramfs.sh" <<'S'
#!/bin/sh
echo "$STANDIN/initramfs.cpio"
S
# boot.sh: a probe passes or fails as PROBE says; a bench boot writes the
# result boot.sh would, on the clock it was asked for, SLUB-LL 3% faster.
cat >"$steps/boot.sh" <<'S'
#!/bin/bash
accel=tcg clock=wall probe=0 runs=5 kernel= log= plugin=
while getopts "k:i:l:a:C:c:n:m:x:t:H:W:r:w:P:p" o; do
	case $o in
	k) kernel=$OPTARG ;; l) log=$OPTARG ;; a) accel=$OPTARG ;;
	C) clock=$OPTARG ;; r) runs=$OPTARG ;; p) probe=1 ;;
	P) plugin=" -P $OPTARG" ;;
	esac
done
if [ $probe = 1 ]; then
	echo "probe -a $accel $kernel" >>"$CALLS"
	[ "$PROBE" = pass ]
	exit
fi
echo "boot -a $accel -C $clock $kernel$plugin" >>"$CALLS"
[ "$clock" = icount ] && clock="icount shift=0"
t=1.300
case $kernel in *slub_ll*) t=1.261 ;; esac
python3 - "$log.json" "$clock" "$runs" "$t" <<'P'
import json, sys
n = int(sys.argv[3])
json.dump({"runs": [float(sys.argv[4]) + 0.001 * i for i in range(n)],
           "clock": sys.argv[2]}, open(sys.argv[1], "w"))
P
S
printf '#!/bin/sh\necho "QEMU emulator version 10.0.2 (stand-in)"\n' \
	>"$T/icount/root/usr/bin/qemu-system-x86_64"
printf '#!/bin/sh\necho "QEMU emulator version 7.2.0 (stand-in)"\n' \
	>"$T/bin/qemu-system-x86_64"
chmod +x "$steps"/*.sh "$T/icount/root/usr/bin/qemu-system-x86_64" \
	"$T/bin/qemu-system-x86_64"
: >"$T/kvm"

# bench [VAR=value...]: scripts/bench.sh with the workbench's own
# parameters unset (make check exports them), over the stand-ins.
clean_env=(-u CONFIGS -u CONFIGS_WALL -u CONFIGS_ICOUNT -u BASELINE -u AA
	-u ROUNDS -u RUNS -u WARMUP -u HB -u VCPUS -u MEM -u CPU -u ACCEL
	-u CLOCK -u TIMEOUT -u KVM_DEV -u MAKEFLAGS -u MAKELEVEL)
# The clock does not depend on the tree; the expected configurations are
# 6.1's defaults (7.3 has no slab).
standin_env=(KVER=6.1 STEPS_DIR="$steps" STANDIN="$T" CALLS="$T/calls"
	PATH="$T/bin:$PATH" WB_ICOUNT_QEMU_DIR="$T/icount"
	TREE="$T/notree" RESULTS="$T/results" WB_ATOMICS_DIR="$T/plugin")
bench()
{
	rm -rf "$T/results" "$T/calls"
	env "${clean_env[@]}" "${standin_env[@]}" "$@" \
		timeout 120 "$ROOT/scripts/bench.sh" >"$T/out" 2>&1
}
table()
{
	cat "$T"/results/*/table.txt
}
# rows: the labels of the table's rows with their n, "label:n ...".
rows()
{
	table | awk '/^configuration/ { t = 1; next } t && /^-/ { next }
		     t && NF == 0 { exit }
		     t { n = ($2 == "(base)") ? $3 : $2; printf "%s:%s ", $1, n }'
}

echo "1..11"

bench KVM_DEV="$T/nokvm"
[ $? -eq 0 ] && [ "$(head -n 1 "$T/calls")" = "deps CLOCK=icount" ] &&
	! grep -q '^probe' "$T/calls" &&
	[ "$(grep -c '^boot -a tcg -C icount' "$T/calls")" = 8 ] &&
	[ "$(grep -c '^boot' "$T/calls")" = 8 ] &&
	table | head -n 1 |
	grep -qx "clock: *icount shift=0 (no KVM: $T/nokvm absent)"
ok $? "no KVM device: icount, its QEMU fetched first, no probe, header says why"

[ "$(rows)" = "slub:20 slub_ll:20 " ] && table | grep -q '^slub (base) '
ok $? "icount's default: slub and slub_ll, 4 rounds x 5 runs, slub the baseline"

bench KVM_DEV="$T/kvm" PROBE=fail
[ $? -eq 0 ] && grep -q "^probe -a kvm $T/kbuild/base-slub/bzImage" "$T/calls" &&
	[ "$(grep '^deps' "$T/calls" | tr '\n' ' ')" = "deps CLOCK=wall deps CLOCK=icount " ] &&
	[ "$(grep -c '^boot -a tcg -C icount' "$T/calls")" = 8 ] &&
	[ "$(grep -c '^boot' "$T/calls")" = 8 ] &&
	table | head -n 1 | grep -q "^clock: *icount shift=0 (no KVM: a probe boot under KVM failed, log $T/results/.*/probe-kvm.log)" &&
	[ "$(rows)" = "slub:20 slub_ll:20 " ]
ok $? "KVM probe fails: icount (QEMU fetched after the probe), header says why"

bench KVM_DEV="$T/kvm" PROBE=pass
[ $? -eq 0 ] && ! grep -q 'deps CLOCK=icount' "$T/calls" &&
	[ "$(grep -c '^boot -a kvm -C wall' "$T/calls")" = 16 ] &&
	[ "$(grep -c '^boot' "$T/calls")" = 16 ] &&
	table | head -n 1 |
	grep -qx "clock: *wall (KVM: a probe boot reached /init)" &&
	[ "$(rows)" = "slab:20 slub:20 slub_ll:20 slub_ll-locked:20 " ]
ok $? "KVM probe passes: wall clock under KVM, the four wall configurations"

bench KVM_DEV="$T/nokvm" CLOCK=wall ROUNDS=1 RUNS=1
[ $? -eq 0 ] && [ "$(grep -c '^boot -a tcg -C wall' "$T/calls")" = 4 ] &&
	table | head -n 1 | grep -qx "clock: *wall (CLOCK=wall)" &&
	table | grep -q "^accelerator: *tcg (multi-threaded TCG" &&
	! grep -q 'deps CLOCK=icount' "$T/calls"
ok $? "CLOCK=wall without KVM stays wall, under multi-threaded TCG"

bench KVM_DEV="$T/kvm" PROBE=pass CLOCK=icount CONFIGS="slab slub" ROUNDS=2 RUNS=1
[ $? -eq 0 ] && ! grep -q '^probe' "$T/calls" &&
	[ "$(grep -c '^boot -a tcg -C icount' "$T/calls")" = 4 ] &&
	table | head -n 1 | grep -qx "clock: *icount shift=0 (CLOCK=icount)" &&
	[ "$(rows)" = "slab:2 slub:2 " ]
ok $? "CLOCK=icount is taken as given, with the CONFIGS given"

bench KVM_DEV="$T/kvm" PROBE=pass ACCEL=tcg ROUNDS=1 RUNS=1
[ $? -eq 0 ] && ! grep -q '^probe' "$T/calls" &&
	table | head -n 1 | grep -qx "clock: *icount shift=0 (no KVM: ACCEL=tcg)"
ok $? "ACCEL=tcg: no KVM, so the instruction-count clock"

# The atomics plugin: passed to every icount boot where it was built,
# else the table says it is off and why; never on the wall clock.
mkdir -p "$T/plugin"
: >"$T/plugin/libatomics.so"
bench KVM_DEV="$T/nokvm" ROUNDS=1 RUNS=1
[ $? -eq 0 ] &&
	[ "$(grep -c "^boot -a tcg -C icount .* -P $T/plugin/libatomics.so\$" "$T/calls")" = 2 ] &&
	table | grep -q "^atomics: *on " &&
	bench KVM_DEV="$T/nokvm" CLOCK=wall ROUNDS=1 RUNS=1 &&
	! grep -q -- ' -P ' "$T/calls" &&
	table | grep -q "^atomics: *off (the plugin counts on the icount clock only)"
ok $? "the atomics plugin goes to the icount boots where built, not to wall ones"

echo "glib headers missing" >"$T/plugin/off"
bench KVM_DEV="$T/nokvm" ROUNDS=1 RUNS=1
[ $? -eq 0 ] && ! grep -q -- ' -P ' "$T/calls" &&
	[ "$(grep -c '^boot -a tcg -C icount' "$T/calls")" = 2 ] &&
	table | grep -q "^atomics: *off (glib headers missing)" &&
	table | grep -qx "atomics: off (glib headers missing)"
ok $? "an unavailable plugin: the bench completes, the table says why"
rm -rf "$T/plugin"

bench KVM_DEV="$T/nokvm" BASELINE=slab
[ $? -ne 0 ] && [ ! -e "$T/calls" ] &&
	grep -q "BASELINE 'slab' is not among CONFIGS_ICOUNT (slub slub_ll)" "$T/out"
ok $? "a baseline outside the clock's default configurations fails at once"

# make bench: the Makefile's defaults (CLOCK ?= auto, CONFIGS empty).
rm -rf "$T/results" "$T/calls"
(cd "$ROOT" && env "${clean_env[@]}" "${standin_env[@]}" KVM_DEV="$T/nokvm" \
	timeout 120 make -s bench) >"$T/out" 2>&1
[ $? -eq 0 ] && table | head -n 1 |
	grep -qx "clock: *icount shift=0 (no KVM: $T/nokvm absent)" &&
	[ "$(rows)" = "slub:20 slub_ll:20 " ]
ok $? "make bench without KVM: icount and its default configurations"

[ $failed -eq 0 ]
