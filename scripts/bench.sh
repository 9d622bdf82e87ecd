#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - build every configuration, boot them interleaved round by round
# (A B C A B C ...), run one workload in each guest and print the comparison.
#
# Parameters (environment; the Makefile passes its variables):
#   KVER       the kernel tree (scripts/lib.sh: 6.1 or 7.3); the
#              configurations, their default sets and the baseline are
#              the tree's, and the table names the tree
#   CONFIGS    configuration names, files configs/bench/<name>.conf valid
#              for the tree; empty: CONFIGS_WALL on the wall clock,
#              CONFIGS_ICOUNT on icount (defaults: the tree's)
#   BASELINE   the configuration the others are compared with (default:
#              the tree's, slub, with the default CONFIGS, else the first
#              of CONFIGS)
#   AA         A/A mode: run this one configuration under two names
#   ROUNDS     boots per configuration         RUNS    measured runs a boot
#   WARMUP     unmeasured runs a boot          HB      hackbench arguments
#   WORKLOAD   what each run is (default hackbench):
#                hackbench         hackbench HB: processes over sockets,
#                                  as the seed ran it
#                hackbench-thread  hackbench HB -T: threads over sockets
#                hackbench-pipe    hackbench HB -p: processes over pipes
#                forkexec          forkexec WARGS (scripts/guest/forkexec.c,
#                                  default "-n 1000 -w VCPUS"): fork, exec,
#                                  exit, wait
#                caches            cachesload WARGS (scripts/guest/
#                                  cachesload.c, default "-n 4000 -w VCPUS"):
#                                  directories, files, sockets and pipes
#                                  made and removed
#   WARGS      the arguments of forkexec or cachesload
#   VCPUS MEM  guest size                      CPU     QEMU -cpu for all
#   ACCEL      auto, kvm or tcg                TIMEOUT watchdog per boot (s)
#   CLOCK      auto (default), wall or icount.  wall: host time as the
#              guest sees it; icount: guest time counts executed
#              instructions (single-threaded TCG, see lib.sh); auto: wall
#              where KVM is used (ACCEL=kvm, or ACCEL=auto and a probe boot
#              under KVM reaches /init), icount where it is not, since
#              under multi-threaded TCG host time is mostly the host's load
#   RESULTS    where result folders go (default build/results)
#   KVM_DEV    the KVM device looked at by ACCEL=auto (default /dev/kvm)
#   STEPS_DIR  where deps.sh, prepare.sh, build.sh, initramfs.sh and
#              boot.sh are (default scripts/; the workbench's tests put
#              stand-ins there)

set -eu
WB_ACCELS="auto kvm tcg"
. "$(dirname "$0")/lib.sh"

CONFDIR=${CONFDIR:-$WB_ROOT/configs/bench}
CONFIGS_WALL=${CONFIGS_WALL:-$WB_CONFIGS_WALL}
CONFIGS_ICOUNT=${CONFIGS_ICOUNT:-$WB_CONFIGS_ICOUNT}
CONFIGS=${CONFIGS:-}
BASELINE=${BASELINE:-}
AA=${AA:-}
ROUNDS=${ROUNDS:-4}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
HB=${HB:--g 10 -l 100}
WORKLOAD=${WORKLOAD:-hackbench}
WARGS=${WARGS:-}
VCPUS=${VCPUS:-2}
MEM=${MEM:-256M}
CPU=${CPU:-}
ACCEL=${ACCEL:-auto}
CLOCK=${CLOCK:-auto}
TIMEOUT=${TIMEOUT:-600}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-30}
RESULTS=${RESULTS:-$WB_BUILD/results}
KVM_DEV=${KVM_DEV:-/dev/kvm}
STEPS_DIR=${STEPS_DIR:-$WB_ROOT/scripts}

# check_set WHAT LIST: every name of LIST is a configuration file and the
# baseline is among them.
check_set()
{
	local n list

	# shellcheck disable=SC2086,SC2116
	list=$(echo $2)
	[ -n "$list" ] || wb_die "$1 is empty; valid: $(wb_conf_names)"
	for n in $list; do
		wb_conf_check "$n"
	done
	case " $list " in *" ${BASELINE%#*} "*) ;; *)
		wb_die "BASELINE '$BASELINE' is not among $1 ($list)" ;;
	esac
}

# ---- parameters, checked before any work
if [ -n "$AA" ]; then
	CONFIGS="$AA $AA"
	BASELINE=$AA
fi
for v in ROUNDS RUNS VCPUS TIMEOUT; do
	wb_number "$v" "${!v}"
done
wb_number WARMUP "$WARMUP" 0
WB_WORKLOADS="hackbench hackbench-thread hackbench-pipe forkexec caches"
case $WORKLOAD in
hackbench) wprog=hackbench wargs=$HB ;;
hackbench-thread) wprog=hackbench wargs="$HB -T" ;;
hackbench-pipe) wprog=hackbench wargs="$HB -p" ;;
forkexec) wprog=forkexec wargs=${WARGS:-"-n 1000 -w $VCPUS"} ;;
caches) wprog=cachesload wargs=${WARGS:-"-n 4000 -w $VCPUS"} ;;
*) wb_die "WORKLOAD '$WORKLOAD' unknown; valid: $WB_WORKLOADS" ;;
esac
[ -z "$WARGS" ] || [ "$wprog" != hackbench ] ||
	wb_die "WARGS is for forkexec and caches; hackbench's arguments are HB"
case $wargs in *,*)
	wb_die "the workload's arguments may not contain commas: '$wargs'" ;;
esac
wb_accel "$ACCEL"
case " auto $WB_CLOCKS " in *" $CLOCK "*) ;; *)
	wb_die "CLOCK '$CLOCK' unknown; valid: auto $WB_CLOCKS" ;; esac
[ "$CLOCK" = icount ] && [ "$ACCEL" = kvm ] &&
	wb_die "CLOCK=icount runs guests under TCG; it cannot be used with" \
		"ACCEL=kvm (use ACCEL=auto or tcg)"

# ---- the clock and the accelerator, as far as known without a kernel.
# clock stays "auto" and accel empty until a probe boot under KVM decides.
kvm_state()
{
	if [ ! -e "$KVM_DEV" ]; then
		echo "$KVM_DEV absent"
	elif [ ! -r "$KVM_DEV" ] || [ ! -w "$KVM_DEV" ]; then
		echo "$KVM_DEV not readable and writable"
	fi
}

clock=$CLOCK accel='' why='' kvm=''
case $CLOCK in
wall | icount) why="CLOCK=$CLOCK" ;;
esac
case $CLOCK/$ACCEL in
icount/*) accel=tcg ;;
*/kvm) accel=kvm ;;
*/tcg) accel=tcg ;;
*/auto)
	kvm=$(kvm_state)
	[ -n "$kvm" ] && accel=tcg
	;;
esac
if [ "$clock" = auto ] && [ -n "$accel" ]; then
	if [ "$accel" = kvm ]; then
		clock=wall why="KVM: ACCEL=kvm"
	elif [ "$ACCEL" = tcg ]; then
		clock=icount why="no KVM: ACCEL=tcg"
	else
		clock=icount why="no KVM: $kvm"
	fi
fi

# The configurations: as given, or the default of the clock (both while
# the clock is still open: either may be run).
if [ -n "$CONFIGS" ]; then
	# shellcheck disable=SC2086
	set -- $CONFIGS
	BASELINE=${BASELINE:-$1}
	check_set CONFIGS "$CONFIGS"
else
	BASELINE=${BASELINE:-$WB_BASELINE}
	[ "$clock" = icount ] || check_set CONFIGS_WALL "$CONFIGS_WALL"
	[ "$clock" = wall ] || check_set CONFIGS_ICOUNT "$CONFIGS_ICOUNT"
fi

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
for n in $CONFIGS $CONFIGS_WALL $CONFIGS_ICOUNT; do
	if [ ! -f "$CONFDIR/$n.conf" ] || [ -n "${cfrags[$n]:-}" ]; then
		continue
	fi
	load_conf "$n"
	cfrags[$n]=$conf_frags
	ccpu[$n]=${CPU:-$conf_cpu}
	ccmd[$n]=$conf_cmdline
	cdesc[$n]=$conf_desc
done

# kernel_of NAME: the bzImage of configuration NAME, built once per set of
# fragments.
declare -A kernel
kernel_of()
{
	local f=${cfrags[$1]}

	if [ -z "${kernel[$f]:-}" ]; then
		# shellcheck disable=SC2086
		kernel[$f]=$("$STEPS_DIR/build.sh" $f)
	fi
}

# ---- prepare; a probe boot under KVM if the accelerator is still open
wb_log bench "tree: $(wb_kver_name)"
wb_log bench "clock: $clock${why:+ ($why)}," \
	"accelerator: ${accel:-to be probed}${kvm:+ (no KVM: $kvm)}"
CLOCK=$([ "$clock" = icount ] && echo icount || echo wall) \
	"$STEPS_DIR/deps.sh"
"$STEPS_DIR/prepare.sh"
initrd=$("$STEPS_DIR/initramfs.sh")
stamp=$(date -u +%Y%m%d-%H%M%S)
out=$RESULTS/$stamp
if [ -z "$accel" ]; then
	mkdir -p "$out"
	# An open /dev/kvm alone proves nothing (a nested hypervisor may
	# hang the guest): the baseline's kernel must reach /init under KVM.
	n=${BASELINE%#*}
	kernel_of "$n"
	probe=$out/probe-kvm.log
	wb_log boot "probing KVM with $n" \
		"(a guest must reach /init within ${PROBE_TIMEOUT}s)"
	if "$STEPS_DIR/boot.sh" -p -a kvm -k "${kernel[${cfrags[$n]}]}" \
		-i "$initrd" -n "$VCPUS" -m "$MEM" -c max \
		-t "$PROBE_TIMEOUT" -l "$probe" 2>/dev/null; then
		accel=kvm
		[ "$clock" = auto ] && clock=wall why="KVM: a probe boot reached /init"
	else
		wb_log boot "KVM probe failed (log: $probe)"
		accel=tcg
		if [ "$clock" = auto ]; then
			clock=icount
			why="no KVM: a probe boot under KVM failed, log $probe"
			CLOCK=icount "$STEPS_DIR/deps.sh"
		fi
	fi
fi
if [ -z "$CONFIGS" ]; then
	if [ "$clock" = icount ]; then
		CONFIGS=$CONFIGS_ICOUNT
	else
		CONFIGS=$CONFIGS_WALL
	fi
fi

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

wb_log bench "KVER=$WB_KVER configurations: ${labels[*]} (baseline $BASELINE)," \
	"$ROUNDS rounds x ($WARMUP warm-up + $RUNS runs) of $WORKLOAD" \
	"($wprog $wargs)," \
	"$clock clock ($why)"

# ---- build
for n in "${names[@]}"; do
	kernel_of "$n"
done
mkdir -p "$out"
if [ "$clock" = icount ]; then
	wb_log boot "accelerator: tcg, instruction-count clock" \
		"($(wb_icount_qemu_version || echo "icount QEMU absent"))"
else
	wb_log boot "accelerator: $accel"
fi

# ---- the atomics plugin (icount only; see tools/qemu-plugin/atomics.c)
plugin_args=()
if [ "$clock" != icount ]; then
	atomics="off (the plugin counts on the icount clock only)"
elif [ -f "$WB_ATOMICS_OFF" ]; then
	atomics="off ($(head -n 1 "$WB_ATOMICS_OFF"))"
elif [ ! -f "$WB_ATOMICS_SO" ]; then
	atomics="off (not built: $WB_ATOMICS_SO absent)"
else
	atomics="on (kernel instructions and atomics of each measured run)"
	plugin_args=(-P "$WB_ATOMICS_SO")
fi
wb_log boot "atomics: $atomics"

# ---- rounds
csv=$out/runs.csv
want_clock=wall
[ "$clock" = icount ] && want_clock="icount shift=$WB_ICOUNT_SHIFT"
for r in $(seq 1 "$ROUNDS"); do
	for i in "${!labels[@]}"; do
		l=${labels[$i]} n=${names[$i]}
		log=$out/r$r-${l//#/_}.log
		wb_log boot "round $r/$ROUNDS: $l (-cpu ${ccpu[$n]}, $VCPUS vCPUs, $MEM)"
		if ! "$STEPS_DIR/boot.sh" -a "$accel" -C "$clock" \
			-k "${kernel[${cfrags[$n]}]}" \
			-i "$initrd" -c "${ccpu[$n]}" -n "$VCPUS" -m "$MEM" \
			-x "${ccmd[$n]}" -t "$TIMEOUT" -W "$wprog" -H "$wargs" \
			-r "$RUNS" \
			-w "$WARMUP" -l "$log" "${plugin_args[@]}"; then
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
tree=${TREE:-$WB_KTREE}
kver=$(make -s -C "$tree" kernelversion 2>/dev/null || echo unknown)
stamp_of_tree=$(cat "$tree/.wb-stamp" 2>/dev/null || echo unknown)
if [ -n "${PATCHES:-}" ]; then
	series="PATCHES=$PATCHES, stamp $stamp_of_tree"
else
	series="$(wb_kver_series), stamp $stamp_of_tree"
fi
note=
qemuver=$(qemu-system-x86_64 --version | head -n 1)
# The clock line says which clock and why; the time line what it counts.
if [ "$clock" = icount ]; then
	note=" (single-threaded TCG; vCPUs take turns on one host thread)"
	qemuver=$(wb_icount_qemu_version) ||
		qemuver="icount QEMU absent ($WB_ICOUNT_QEMU_DIR)"
	clockline="icount shift=$WB_ICOUNT_SHIFT ($why)"
	time="executed guest instructions x $((1 << WB_ICOUNT_SHIFT)) ns,"
	time="$time all vCPUs together: code-path cost, not contention or"
	time="$time cache effects"
else
	if [ "$accel" = tcg ]; then
		note=" (multi-threaded TCG: host load shows in the times;"
		note="$note see docs/workbench.md)"
	fi
	clockline="wall ($why)"
	time="host time as the guest sees it"
fi
debver=$(wb_kver_version)
hostcpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
meta=(
	"clock=$clockline"
	"time=$time"
	"accelerator=$accel$note"
	"vcpus=$VCPUS" "memory=$MEM" "workload=$WORKLOAD: $wprog $wargs"
	"runs=$RUNS a boot after $WARMUP warm-up, $ROUNDS rounds interleaved"
	"atomics=$atomics"
	"qemu=$qemuver"
	"kernel=$kver (KVER=$WB_KVER: Debian $WB_KVER_PKG ${debver:-unknown}${WB_KSUITE:+ from $WB_KSUITE}, series $series)"
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
