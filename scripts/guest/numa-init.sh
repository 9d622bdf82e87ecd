#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the NUMA guest (scripts/numa.sh), run by busybox sh.  Kernel
# command line parameters:
#   numa.node=N      the node that gets memory hot-added (default 2)
#   numa.mb=M        how much, in MiB (default 256)
#   numa.wait=S      how long to wait for it, seconds (default 300)
#   numa.files=F     files per numa-mpol run (default 20000)
#   numa.mpol=0      do not run numa-mpol (KUnit only)
# Steps: the topology; phase "before": numa-mpol for every node with
# memory (bound from a CPU of another node, and unbound on each CPU) and
# the KUnit module (insmod, rmmod); then NUMA-HOTADD-READY, upon which the
# host adds the memory; once node N has it, phase "after": the same
# again, now with node N.  Machine-readable lines:
#   NUMA-GUEST-UP kernel=<release> cpus=<n> nodes=<list> memory=<list>
#   NUMA-NODE node=<n> cpus=<list> memtotal_kB=<kB>
#   NUMA-PHASE phase=before|after memory=<list>
#   MPOL ...                                   (see scripts/guest/numa-mpol.c)
#   NUMA-KUNIT-BEGIN phase=<p> / NUMA-KUNIT-END phase=<p> insmod=<rc> rmmod=<rc>
#   NUMA-HOTADD-READY node=<n> mb=<m>
#   NUMA-HOTADD-DONE node=<n> memtotal_kB=<kB>  (or NUMA-HOTADD-TIMEOUT)
#   NUMA-GUEST-DONE mpol_failed=<n>

export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

hp_node=2
hp_mb=256
hp_wait=300
files=20000
run_mpol=1
for w in $(cat /proc/cmdline); do
	case "$w" in
	numa.node=*) hp_node=${w#numa.node=} ;;
	numa.mb=*) hp_mb=${w#numa.mb=} ;;
	numa.wait=*) hp_wait=${w#numa.wait=} ;;
	numa.files=*) files=${w#numa.files=} ;;
	numa.mpol=*) run_mpol=${w#numa.mpol=} ;;
	esac
done

N=/sys/devices/system/node

memtotal()
{
	awk '/MemTotal:/ { print $4 }' $N/node$1/meminfo
}

# The node of a CPU, from its nodeN link in sysfs.
cpu_node()
{
	for l in /sys/devices/system/cpu/cpu$1/node*; do
		[ -e "$l" ] && { echo "${l##*node}"; return; }
	done
	echo -1
}

# Expand a sysfs list ("0-2,4") into words.
expand()
{
	echo "$1" | tr , '\n' | awk -F- 'NF == 1 && $1 != "" { print $1 }
		NF == 2 { for (i = $1; i <= $2; i++) print i }'
}

mpol_failed=0
mpol()
{
	[ "$run_mpol" = 0 ] && return
	numa-mpol -n "$files" "$@" || mpol_failed=$((mpol_failed + 1))
}

cpus=$(expand "$(cat /sys/devices/system/cpu/online)")
echo "NUMA-GUEST-UP kernel=$(uname -r) cpus=$(echo $cpus | wc -w)" \
	"nodes=$(cat $N/online) memory=$(cat $N/has_normal_memory)"
for n in $(expand "$(cat $N/online)"); do
	echo "NUMA-NODE node=$n cpus=$(cat $N/node$n/cpulist)" \
		"memtotal_kB=$(memtotal $n)"
done

phase()
{
	echo "NUMA-PHASE phase=$1 memory=$(cat $N/has_normal_memory)"
	# each node with memory, bound from a CPU of another node
	for n in $(expand "$(cat $N/has_normal_memory)"); do
		for c in $cpus; do
			[ "$(cpu_node "$c")" != "$n" ] && break
		done
		mpol -c "$c" -b "$n"
	done
	# each CPU with the default policy: its own node (if it has memory)
	for c in $cpus; do
		mpol -c "$c"
	done
	echo "NUMA-KUNIT-BEGIN phase=$1"
	insmod /lib/modules/slub_ll_kunit.ko
	i=$?
	rmmod slub_ll_kunit
	echo "NUMA-KUNIT-END phase=$1 insmod=$i rmmod=$?"
}

phase before

echo "NUMA-HOTADD-READY node=$hp_node mb=$hp_mb"
want=$((hp_mb * 1024 * 3 / 4))
t=0
while [ "$(memtotal "$hp_node")" -lt "$want" ] && [ $t -lt "$hp_wait" ]; do
	sleep 1
	t=$((t + 1))
done
if [ "$(memtotal "$hp_node")" -lt "$want" ]; then
	echo "NUMA-HOTADD-TIMEOUT node=$hp_node memtotal_kB=$(memtotal "$hp_node")"
else
	echo "NUMA-HOTADD-DONE node=$hp_node memtotal_kB=$(memtotal "$hp_node")"
	phase after
fi

echo "NUMA-GUEST-DONE mpol_failed=$mpol_failed"
reboot -f
