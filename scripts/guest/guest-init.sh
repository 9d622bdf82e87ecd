#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the bench guest, run by busybox sh.  Parameters come from the
# kernel command line:
#   hb.prog=NAME          the workload's program: hackbench (default),
#                         forkexec or cachesload (scripts/guest/*.c); each
#                         prints "Time: <seconds>"
#   hb.args=-g,10,-l,100  its arguments, commas for spaces
#   hb.runs=N             measured runs (default 5)
#   hb.warmup=N           unmeasured runs first (default 1)
#   hb.probe=1            print the start marker and power off at once
#   hb.sysfs=1            read every file of /sys/kernel/slab once first,
#                         so that lock checkers see the sysfs read paths
#   hb.slabinfo=1         after the last run, one WB-SLABINFO line per
#                         cache of /proc/slabinfo that has slabs
#   hb.cpscale=N          SLUB-LL only: multiply every cache's cpu_partial
#                         by N before the first run (N >= 1), so that a
#                         bench configuration measures a larger bound of
#                         the CPU partial lists without another kernel
# Output, one machine-readable line each:
#   WB-GUEST-UP kernel=<release> cpus=<n>
#   WB-CPSCALE n=<N> caches=<n>   with hb.cpscale: the caches changed
#   WB-HB prog=<name> args=<a,b> runs=<n> warmup=<n>
#   HB run=<i> seconds=<t>        (or HB-ERROR run=<i> rc=<rc> ...)
#   FORKEXEC ..., CACHESLOAD ...  the summary line of those programs' runs
#   WB-MEM when=<boot|run<i>> slab_kb=<n> sunreclaim_kb=<n> slab_pages=<n|na>
#                                 after boot and after each measured run:
#                                 Slab and SUnreclaim of /proc/meminfo, and
#                                 the pages of all slabs of /proc/slabinfo
#                                 (num_slabs x pagesperslab; na without it)
#   SLABSTAT stat=<name> total=<sum> caches=<n>   (or SLABSTAT none)
#   WB-SLABINFO cache=<name> active=<n> objs=<n> size=<bytes> pages=<n>
#                                 with hb.slabinfo=1, after the last run
#   WB-CPULISTS caches=<n> slabs=<n> over=<n> [worst=<cache>:C<cpu>=<slabs>/<max>]
#                                 SLUB-LL only, after the last run: slabs
#                                 on all CPU partial lists, and the CPUs
#                                 whose two lists hold more than their bound
# Each measured run is a window of the atomics plugin of the icount clock
# (wbmark run <i>: cpuid marks around it; harmless without the plugin).
#   WB-GUEST-DONE runs=<n> errors=<n>

export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

prog=hackbench
args="-g 10 -l 100"
runs=5
warmup=1
probe=0
sysfs=0
cpscale=
slabinfo=0
for w in $(cat /proc/cmdline); do
	case "$w" in
	hb.prog=*) prog=${w#hb.prog=} ;;
	hb.args=*) args=$(echo "${w#hb.args=}" | tr , ' ') ;;
	hb.runs=*) runs=${w#hb.runs=} ;;
	hb.warmup=*) warmup=${w#hb.warmup=} ;;
	hb.probe=*) probe=${w#hb.probe=} ;;
	hb.sysfs=*) sysfs=${w#hb.sysfs=} ;;
	hb.cpscale=*) cpscale=${w#hb.cpscale=} ;;
	hb.slabinfo=*) slabinfo=${w#hb.slabinfo=} ;;
	esac
done

echo "WB-GUEST-UP kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
if [ "$probe" = 1 ]; then
	reboot -f
fi

# Slab memory now, one WB-MEM line.
mem()
{
	pages=na
	if [ -r /proc/slabinfo ]; then
		pages=$(awk '!/^(slabinfo|#)/ { p += $6 * $15 } END { print p + 0 }' \
			/proc/slabinfo)
	fi
	echo "WB-MEM when=$1 $(awk '/^Slab:/ { s = $2 } /^SUnreclaim:/ { u = $2 }
		END { printf "slab_kb=%d sunreclaim_kb=%d", s, u }' /proc/meminfo)" \
		"slab_pages=$pages"
}

# One run of the workload (a plugin window N when N is given); prints its
# time in seconds, or fails.
one_run()
{
	if [ -n "${1:-}" ] && [ -x /bin/wbmark ]; then
		out=$(wbmark run "$1" "$prog" $args 2>&1)
	else
		out=$("$prog" $args 2>&1)
	fi
	rc=$?
	# The summary line of forkexec and cachesload, to the console.
	echo "$out" | grep -E '^(FORKEXEC|CACHESLOAD) ' >&2
	t=$(echo "$out" | sed -n 's/^Time: *\([0-9.]*\).*/\1/p')
	if [ $rc -ne 0 ] || [ -z "$t" ]; then
		echo "rc=$rc output=$(echo "$out" | tail -n 1 | tr ' ' _)"
		return 1
	fi
	echo "$t"
}

if [ "$sysfs" = 1 ] && [ -d /sys/kernel/slab ]; then
	find /sys/kernel/slab -type f -perm -0400 -exec cat {} + \
		>/dev/null 2>&1
	echo "WB-SYSFS read=$(find /sys/kernel/slab -type f -perm -0400 | wc -l)" \
		"aliases=$(find /sys/kernel/slab -maxdepth 1 -type l | wc -l)"
fi

if [ -n "$cpscale" ]; then
	n=0
	case $cpscale in
	*[!0-9]* | 0) echo "WB-CPSCALE-ERROR hb.cpscale=$cpscale: not a number >= 1" ;;
	*)
		for d in /sys/kernel/slab/*; do
			[ -L "$d" ] || [ ! -r "$d/pagelock" ] && continue
			cp=$(cat "$d/cpu_partial")
			echo $((cp * cpscale)) >"$d/cpu_partial" && n=$((n + 1))
		done
		echo "WB-CPSCALE n=$cpscale caches=$n" ;;
	esac
fi

mem boot
echo "WB-HB prog=$prog args=$(printf '%s' "$args" | tr ' ' ,) runs=$runs warmup=$warmup"
errors=0
i=1
while [ $i -le $warmup ]; do
	if ! r=$(one_run); then
		echo "HB-ERROR warmup=$i $r"
		errors=$((errors + 1))
	fi
	i=$((i + 1))
done
i=1
while [ $i -le $runs ]; do
	if r=$(one_run $i); then
		echo "HB run=$i seconds=$r"
		mem run$i
	else
		echo "HB-ERROR run=$i $r"
		errors=$((errors + 1))
	fi
	i=$((i + 1))
done

# Allocator statistics: the 0600 files of each real cache directory
# (aliases are symlinks and are skipped), minus the tunables; summed.
if [ -d /sys/kernel/slab ]; then
	find /sys/kernel/slab -mindepth 2 -maxdepth 2 -type f -perm 600 \
		! -name min_partial ! -name cpu_partial ! -name shrink \
		! -name remote_node_defrag_ratio >/tmp/statfiles
	if [ -s /tmp/statfiles ]; then
		awk 'BEGIN {
			while ((getline f < "/tmp/statfiles") > 0) {
				if ((getline l < f) > 0 && l ~ /^[0-9]+/) {
					n = f; sub(/.*\//, "", n)
					split(l, v, " ")
					sum[n] += v[1]; cnt[n]++
				}
				close(f)
			}
			for (n in sum)
				printf "SLABSTAT stat=%s total=%d caches=%d\n",
					n, sum[n], cnt[n]
		}' | sort
	else
		echo "SLABSTAT none reason=no-statistics-files"
	fi
else
	echo "SLABSTAT none reason=no-/sys/kernel/slab"
fi

# Where the slab memory is: each cache with slabs, its objects in use,
# object slots, object size and pages (num_slabs x pagesperslab).
if [ "$slabinfo" = 1 ] && [ -r /proc/slabinfo ]; then
	awk '!/^(slabinfo|#)/ && $15 > 0 {
		printf "WB-SLABINFO cache=%s active=%d objs=%d size=%d pages=%d\n",
			$1, $2, $3, $4, $6 * $15 }' /proc/slabinfo
fi

# SLUB-LL only (its caches have a pagelock file): what each CPU's two
# partial lists hold after the workload, against their bound of
# max(2 * cpu_partial, objs_per_slab) objects, every slab weighed at
# objs_per_slab (a fallback slab weighs less and counts full here).
if ls /sys/kernel/slab/*/pagelock >/dev/null 2>&1; then
	for d in /sys/kernel/slab/*; do
		[ -L "$d" ] || [ ! -r "$d/pagelock" ] && continue
		echo "${d##*/} $(cat "$d/objs_per_slab") $(cat "$d/cpu_partial")" \
			"$(cat "$d/slabs_cpu_partial")"
	done | awk '
	{
		caches++
		bound = ($3 == 0) ? 0 : ($3 * 2 > $2 ? $3 * 2 : $2)
		max = int(bound / $2)
		for (i = 5; i <= NF; i++) {
			n = $i; sub(/.*\(/, "", n); sub(/\).*/, "", n)
			cpu = $i; sub(/=.*/, "", cpu)
			slabs += n
			if (n + 0 > max) {
				over++
				if (worst == "" || n - max > wn) {
					wn = n - max
					worst = $1 ":" cpu "=" n "/" max
				}
			}
		}
	}
	END {
		printf "WB-CPULISTS caches=%d slabs=%d over=%d", caches, slabs, over
		if (worst != "")
			printf " worst=%s", worst
		printf "\n"
	}'
fi

echo "WB-GUEST-DONE runs=$runs errors=$errors"
reboot -f
