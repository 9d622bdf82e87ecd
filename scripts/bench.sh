#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - build every configuration, boot them interleaved round by round
# (A B C A B C ...), run hackbench in each guest and print the comparison.
#
# Parameters (environment; the Makefile passes its variables):
#   CONFIGS    configuration names, files configs/bench/<name>.conf
#   BASELINE   the configuration the others are compared with
#   AA         A/A mode: run this one configuration under two names
#   ROUNDS     boots per configuration         RUNS    measured runs a boot
#   WARMUP     unmeasured runs a boot          HB      hackbench arguments
#   VCPUS MEM  guest size                      CPU     QEMU -cpu for all
#   ACCEL      auto, kvm or tcg                TIMEOUT watchdog per boot (s)
#   CLOCK      wall (host time) or icount (guest time counts executed
#              instructions; TCG only, see lib.sh)
#   RESULTS    where result folders go (default build/results)

set -eu
WB_ACCELS="auto kvm tcg"
. "$(dirname "$0")/lib.sh"

CONFDIR=${CONFDIR:-$WB_ROOT/configs/bench}
CONFIGS=${CONFIGS:-slab slub slub-nocx16}
BASELINE=${BASELINE:-}
AA=${AA:-}
ROUNDS=${ROUNDS:-4}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
HB=${HB:--g 10 -l 100}
VCPUS=${VCPUS:-2}
MEM=${MEM:-256M}
CPU=${CPU:-}
ACCEL=${ACCEL:-auto}
CLOCK=${CLOCK:-wall}
TIMEOUT=${TIMEOUT:-600}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-30}
RESULTS=${RESULTS:-$WB_BUILD/results}

# ---- parameters, checked before any work
if [ -n "$AA" ]; then
	CONFIGS="$AA $AA"
	BASELINE=$AA
fi
[ -n "$(echo $CONFIGS)" ] || wb_die "CONFIGS is empty; valid: $(wb_conf_names)"
for n in $CONFIGS; do
	[ -f "$CONFDIR/$n.conf" ] ||
		wb_die "unknown configuration '$n'; valid: $(wb_conf_names)"
done
set -- $CONFIGS
BASELINE=${BASELINE:-$1}
for v in ROUNDS RUNS VCPUS TIMEOUT; do
	wb_number "$v" "${!v}"
done
wb_number WARMUP "$WARMUP" 0
wb_accel "$ACCEL"
case " $WB_CLOCKS " in *" $CLOCK "*) ;; *)
	wb_die "CLOCK '$CLOCK' unknown; valid: $WB_CLOCKS" ;; esac
[ "$CLOCK" = icount ] && [ "$ACCEL" = kvm ] &&
	wb_die "CLOCK=icount runs guests under TCG; it cannot be used with" \
		"ACCEL=kvm (use ACCEL=auto or tcg)"

# Labels: the configuration name, "#2", "#3" for repeats (A/A mode).
labels=() names=()
for n in $CONFIGS; do
	l=$n k=1
	while printf '%s\n' "${labels[@]}" | grep -qx -- "$l"; do
		k=$((k + 1))
		l="$n#$k"
	done
	labels+=("$l")
	names+=("$n")
done
printf '%s\n' "${labels[@]}" | grep -qx -- "$BASELINE" ||
	wb_die "BASELINE '$BASELINE' is not among CONFIGS ($CONFIGS)"

# Read one configuration file into conf_* variables.  The file's names are
# local here, so its CPU cannot clobber the global CPU= override.
load_conf()
{
	local FRAGMENTS= CPU= CMDLINE= DESC=

	# shellcheck disable=SC1090
	. "$CONFDIR/$1.conf"
	[ -n "$FRAGMENTS" ] || wb_die "$CONFDIR/$1.conf sets no FRAGMENTS"
	conf_frags=$FRAGMENTS
	conf_cpu=${CPU:-max}
	conf_cmdline=$CMDLINE
	conf_desc=${DESC:-$1}
}

declare -A cfrags ccpu ccmd cdesc
for n in "${names[@]}"; do
	load_conf "$n"
	cfrags[$n]=$conf_frags
	ccpu[$n]=${CPU:-$conf_cpu}
	ccmd[$n]=$conf_cmdline
	cdesc[$n]=$conf_desc
done

wb_log bench "configurations: ${labels[*]} (baseline $BASELINE)," \
	"$ROUNDS rounds x ($WARMUP warm-up + $RUNS runs) of hackbench $HB," \
	"$CLOCK clock"

# ---- prepare, build
CLOCK=$CLOCK "$WB_ROOT/scripts/deps.sh"
"$WB_ROOT/scripts/prepare.sh"
declare -A kernel
for n in "${names[@]}"; do
	[ -n "${kernel[$n]:-}" ] && continue
	# shellcheck disable=SC2086
	img=$("$WB_ROOT/scripts/build.sh" ${cfrags[$n]})
	for m in "${names[@]}"; do
		[ "${cfrags[$m]}" = "${cfrags[$n]}" ] && kernel[$m]=$img
	done
done
initrd=$("$WB_ROOT/scripts/initramfs.sh")

# ---- accelerator
stamp=$(date -u +%Y%m%d-%H%M%S)
out=$RESULTS/$stamp
mkdir -p "$out"
if [ "$CLOCK" = icount ]; then
	accel=tcg
	wb_log boot "accelerator: tcg, instruction-count clock" \
		"($(wb_icount_qemu_version))"
else
	wb_accel "$ACCEL" "${kernel[$1]}" "$initrd" "$out/probe-kvm.log"
	accel=$WB_ACCEL
	wb_log boot "accelerator: $accel"
fi

# ---- rounds
csv=$out/runs.csv
want_clock=wall
[ "$CLOCK" = icount ] && want_clock="icount shift=$WB_ICOUNT_SHIFT"
for r in $(seq 1 "$ROUNDS"); do
	for i in "${!labels[@]}"; do
		l=${labels[$i]} n=${names[$i]}
		log=$out/r$r-${l//#/_}.log
		wb_log boot "round $r/$ROUNDS: $l (-cpu ${ccpu[$n]}, $VCPUS vCPUs, $MEM)"
		if ! "$WB_ROOT/scripts/boot.sh" -a "$accel" -C "$CLOCK" \
			-k "${kernel[$n]}" \
			-i "$initrd" -c "${ccpu[$n]}" -n "$VCPUS" -m "$MEM" \
			-x "${ccmd[$n]}" -t "$TIMEOUT" -H "$HB" -r "$RUNS" \
			-w "$WARMUP" -l "$log"; then
			wb_die "configuration $l failed in round $r; no result" \
				"(logs in $out)"
		fi
		got=$(python3 -c 'import json,sys
print(json.load(open(sys.argv[1]))["clock"])' "$log.json")
		[ "$got" = "$want_clock" ] ||
			wb_die "$l round $r ran on the clock '$got', not" \
				"'$want_clock' (log: $log)"
		python3 "$WB_ROOT/scripts/wbstats.py" append --csv "$csv" \
			--label "$l" --config "$n" --round "$r" "$log.json"
		wb_log run "$l round $r: $(python3 -c 'import json,sys
t = sorted(json.load(open(sys.argv[1]))["runs"])
print("runs %s s" % " ".join("%.3f" % x for x in t))' "$log.json")"
	done
done

# ---- report
tree=${TREE:-$WB_BUILD/linux}
kver=$(make -s -C "$tree" kernelversion 2>/dev/null || echo unknown)
series=$(cat "$tree/.wb-stamp" 2>/dev/null || echo unknown)
note=
qemuver=$(qemu-system-x86_64 --version | head -n 1)
if [ "$CLOCK" = icount ]; then
	note=" (single-threaded TCG; vCPUs take turns on one host thread)"
	qemuver=$(wb_icount_qemu_version)
	clock="icount shift=$WB_ICOUNT_SHIFT (guest time = executed guest"
	clock="$clock instructions x $((1 << WB_ICOUNT_SHIFT)) ns, all vCPUs"
	clock="$clock together: code-path cost, not contention or cache effects)"
else
	[ "$accel" = tcg ] &&
		note=" (multi-threaded TCG: compares code paths, not contention; see README)"
	clock="wall (host time as the guest sees it)"
fi
debver=$(dpkg-query -W -f='${Version}' "$WB_KVER_PKG" 2>/dev/null || true)
hostcpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
meta=(
	"clock=$clock"
	"accelerator=$accel$note"
	"vcpus=$VCPUS" "memory=$MEM" "hackbench=$HB"
	"runs=$RUNS a boot after $WARMUP warm-up, $ROUNDS rounds interleaved"
	"qemu=$qemuver"
	"kernel=$kver ($WB_KVER_PKG $debver, series $series)"
	"host cpu=$hostcpu, $(nproc) cores"
	"results=$out"
)
for i in "${!labels[@]}"; do
	n=${names[$i]}
	how="${cfrags[$n]}; -cpu ${ccpu[$n]}${ccmd[$n]:+; ${ccmd[$n]}}"
	meta+=("${labels[$i]}=${cdesc[$n]} [$how]")
done
margs=()
for m in "${meta[@]}"; do
	margs+=(--meta "$m")
done
wb_log report "all runs done"
echo
python3 "$WB_ROOT/scripts/wbstats.py" report --csv "$csv" \
	--baseline "$BASELINE" --outdir "$out" "${margs[@]}" | tee "$out/table.txt"
