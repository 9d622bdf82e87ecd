#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the kernel-memory guest (scripts/memcg.sh), run by busybox sh.
# Kernel command line parameters:
#   memcg.parts=kmem,failslab  what to run (default both)
#   memcg.max=24M        memory.max of the limited group
#   memcg.dirs=5000      directories the growth task creates (kept below
#                        the limit: slab must rise, then fall back)
#   memcg.limitdirs=60000  directories the limit task tries to create
#   fs.prob=1 fs.interval=1 fs.times=100000 fs.space=0
#                        failslab through debugfs (unless failslab= is on
#                        the command line: then the kernel's interval,
#                        probability and times are used, and space 0)
#   fs.hb=-g,4,-l,50     hackbench arguments, commas for spaces
#   fs.forks=300         forks of the fork loop
#   fs.tol=16,5          tolerance per cache: objects, percent of idle
#   fs.leak=N            keep N processes alive before the second count
#                        (a deliberate "leak": the check must fail)
#
# kmem: cgroup v2, a group with memory.max; a task in it creates
# directories on tmpfs (dentries and shmem inodes, both charged to the
# group), memory.stat's slab counters are read before, while it waits, and
# after it is killed and the directories removed.  Then a fresh group with
# the same limit and a task creating more directories than fit: it must
# be stopped (OOM kill or ENOMEM) while this init goes on.
# failslab: idle slab counts (/proc/slabinfo active_objs, after
# drop_caches and a shrink of every cache), then fsload: failslab on,
# hackbench and a fork loop, failslab off; the counts again.
#
# Lines: MEMCG-GUEST-UP, MEMCG-STAT, MEMCG-LIMIT, MEMCG-EVENTS, FAILSLAB-*,
# SLAB-DELTA, and one "CHECK <name> PASS|FAIL <numbers>" per assertion
# ("CHECK <name> SKIP <reason>" for failslab on a kernel without it);
# MEMCG-GUEST-DONE last.

export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

parts=kmem,failslab
max=24M
dirs=5000
limitdirs=60000
fs_prob=1
fs_interval=1
fs_times=100000
fs_space=0
fs_hb="-g 4 -l 50"
fs_forks=300
fs_tol=16,5
fs_leak=0
fs_boot=
for w in $(cat /proc/cmdline); do
	case "$w" in
	memcg.parts=*) parts=${w#memcg.parts=} ;;
	memcg.max=*) max=${w#memcg.max=} ;;
	memcg.dirs=*) dirs=${w#memcg.dirs=} ;;
	memcg.limitdirs=*) limitdirs=${w#memcg.limitdirs=} ;;
	fs.prob=*) fs_prob=${w#fs.prob=} ;;
	fs.interval=*) fs_interval=${w#fs.interval=} ;;
	fs.times=*) fs_times=${w#fs.times=} ;;
	fs.space=*) fs_space=${w#fs.space=} ;;
	fs.hb=*) fs_hb=$(echo "${w#fs.hb=}" | tr , ' ') ;;
	fs.forks=*) fs_forks=${w#fs.forks=} ;;
	fs.tol=*) fs_tol=${w#fs.tol=} ;;
	fs.leak=*) fs_leak=${w#fs.leak=} ;;
	failslab=*) fs_boot=${w#failslab=} ;;
	esac
done

echo "MEMCG-GUEST-UP kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)" \
	"cmdline_kmem=$(grep -q 'cgroup.memory=nokmem' /proc/cmdline && echo off || echo on)"

# check NAME COND NUMBERS...: one verdict line; COND is an awk expression.
check()
{
	name=$1 cond=$2
	shift 2
	if awk "BEGIN { exit !($cond) }"; then
		echo "CHECK $name PASS $*"
	else
		echo "CHECK $name FAIL $*"
	fi
}

CG=/sys/fs/cgroup

# mstat GROUP KEY: one memory.stat value.
mstat()
{
	awk -v k="$2" '$1 == k { print $2 }' $CG/$1/memory.stat
}

snap()
{
	echo "MEMCG-STAT group=$1 phase=$2 slab=$(mstat "$1" slab)" \
		"slab_reclaimable=$(mstat "$1" slab_reclaimable)" \
		"slab_unreclaimable=$(mstat "$1" slab_unreclaimable)" \
		"current=$(cat $CG/$1/memory.current)"
}

# val LINE KEY: KEY=value from a line.
val()
{
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# mkgroup NAME: a child with memory.max and no swap.
mkgroup()
{
	mkdir $CG/$1
	echo "$max" >$CG/$1/memory.max
	[ -f $CG/$1/memory.swap.max ] && echo 0 >$CG/$1/memory.swap.max
	echo "MEMCG-GROUP name=$1 max=$(cat $CG/$1/memory.max)" \
		"swap.max=$(cat $CG/$1/memory.swap.max 2>/dev/null || echo none)"
}

kmem()
{
	mkdir -p $CG /mnt
	mount -t cgroup2 none $CG || { echo "MEMCG-ERROR cgroup2 mount failed"; return; }
	mount -t tmpfs -o size=200M,nr_inodes=0 none /mnt
	echo +memory >$CG/cgroup.subtree_control
	mkgroup grow
	b=$(snap grow before)
	echo "$b"

	# The growth task: join the group, create the directories, wait.
	mkdir /mnt/grow
	sh -c "echo \$\$ >$CG/grow/cgroup.procs
		cd /mnt/grow && seq 1 $dirs | xargs mkdir && touch /mnt/grow.ready
		exec sleep 100000" &
	task=$!
	t=0
	while [ ! -f /mnt/grow.ready ] && [ $t -lt 300 ] && kill -0 $task 2>/dev/null; do
		sleep 1
		t=$((t + 1))
	done
	d=$(snap grow during)
	echo "$d created=$(ls /mnt/grow | wc -l)"
	kill $task
	wait $task 2>/dev/null
	rm -rf /mnt/grow /mnt/grow.ready
	# Dentries and tasks go back through RCU: give it a few seconds.
	t=0
	while :; do
		a=$(snap grow after)
		[ $(($(val "$a" slab) - $(val "$b" slab))) -le \
		  $((($(val "$d" slab) - $(val "$b" slab)) / 10)) ] && break
		[ $t -ge 10 ] && break
		sleep 1
		t=$((t + 1))
	done
	echo "$a waited=${t}s"

	slab_up=$(($(val "$d" slab) - $(val "$b" slab)))
	rec_up=$(($(val "$d" slab_reclaimable) - $(val "$b" slab_reclaimable)))
	unrec_up=$(($(val "$d" slab_unreclaimable) - $(val "$b" slab_unreclaimable)))
	cur_up=$(($(val "$d" current) - $(val "$b" current)))
	slab_left=$(($(val "$a" slab) - $(val "$b" slab)))
	rec_left=$(($(val "$a" slab_reclaimable) - $(val "$b" slab_reclaimable)))
	unrec_left=$(($(val "$a" slab_unreclaimable) - $(val "$b" slab_unreclaimable)))
	# A directory costs a dentry and an inode, several hundred bytes:
	# at least 256 bytes each is what "rise" means here.
	want=$((dirs * 256))
	check kmem-slab-rise "$slab_up >= $want" \
		"slab_delta=$slab_up want>=$want dirs=$dirs"
	check kmem-slab-reclaimable-rise "$rec_up > 0" "delta=$rec_up"
	check kmem-slab-unreclaimable-rise "$unrec_up > 0" "delta=$unrec_up"
	check kmem-current-covers-slab "$slab_up > 0 && $cur_up >= $slab_up" \
		"current_delta=$cur_up slab_delta=$slab_up"
	# Back: at most a tenth of the rise is left, in each counter.
	check kmem-slab-falls-back \
		"$slab_up > 0 && $slab_left * 10 <= $slab_up && $rec_left * 10 <= $rec_up && $unrec_left * 10 <= $unrec_up" \
		"slab_left=$slab_left reclaimable_left=$rec_left" \
		"unreclaimable_left=$unrec_left of_rise=$slab_up"

	# The limit: more directories than fit into the group.
	mkgroup limit
	mkdir /mnt/lim
	sh -c "echo \$\$ >$CG/limit/cgroup.procs
		cd /mnt/lim && seq 1 $limitdirs | xargs mkdir 2>/mnt/lim.err
		echo \$? >/mnt/lim.rc" &
	wait $!
	rc=$?
	created=$(ls /mnt/lim | wc -l)
	enomem=$(grep -c -i -E 'out of memory|cannot allocate' /mnt/lim.err 2>/dev/null)
	s=$(snap limit full)
	echo "$s"
	echo "MEMCG-LIMIT tried=$limitdirs created=$created shell_rc=$rc" \
		"xargs_rc=$(cat /mnt/lim.rc 2>/dev/null || echo killed)" \
		"enomem_lines=${enomem:-0} max=$(cat $CG/limit/memory.max)" \
		"current=$(cat $CG/limit/memory.current)"
	ev=$(awk '{ printf "%s=%s ", $1, $2 }' $CG/limit/memory.events)
	echo "MEMCG-EVENTS group=limit $ev"
	oomk=$(val "$ev" oom_kill)
	hits=$(val "$ev" max)
	check kmem-limit-stops-task \
		"$created < $limitdirs && ($oomk > 0 || ${enomem:-0} > 0)" \
		"created=$created of=$limitdirs oom_kill=$oomk enomem_lines=${enomem:-0}"
	check kmem-limit-hit "$hits > 0" "memory.events.max=$hits"
	rm -rf /mnt/lim /mnt/lim.err /mnt/lim.rc
	echo "MEMCG-INIT-ALIVE pid=$$"
}

# tick: wait a second without a fork (read times out on an idle FIFO).
mkfifo /tmp/tick
tick()
{
	read -r -t 1 _ <>/tmp/tick
}

# shrinkall: shrink every slab cache, which empties the per-CPU slabs
# (slabinfo counts their free objects as active).  Each write opens a
# file, whose struct file is freed after an RCU grace period.
shrinkall()
{
	for f in /sys/kernel/slab/*/shrink; do
		[ -f "$f" ] && echo 1 >"$f" 2>/dev/null
	done
}

# slabcounts FILE: "cache active_objs objs_per_slab", every cache.  Drop
# the reclaimable caches, shrink every cache twice, a second apart (the
# files the first pass opened are freed by then, and the second pass
# takes them off the CPUs), wait for the second pass's files, then read
# /proc/slabinfo -- with shell builtins only from the first shrink on: an
# allocation after the shrink puts a whole slab back on a CPU, and a fork
# and exec make many.
slabcounts()
{
	sleep 2
	sync
	cpu_partial_off
	echo 3 >/proc/sys/vm/drop_caches
	shrinkall
	tick
	shrinkall
	tick
	while read -r name active _ _ perslab _; do
		case $name in slabinfo | '#'*) continue ;; esac
		echo "$name $active $perslab"
	done </proc/slabinfo >"$1"
	cpu_partial_restore
}

# cpu_partial_off: no CPU partial lists while the caches are counted.  A
# slab on one is counted as wholly in use by slabinfo, and the frees of
# the files the shrinks open land there after the last shrink; with the
# lists off they go to the node list, whose free objects slabinfo sees.
# cpu_partial_restore puts the caches' own bounds back.
cpu_partial_off()
{
	: >/tmp/cpu_partial.saved
	for f in /sys/kernel/slab/*/cpu_partial; do
		[ -f "$f" ] || continue
		read -r v <"$f" && echo "$f $v" >>/tmp/cpu_partial.saved
		echo 0 >"$f" 2>/dev/null
	done
}

cpu_partial_restore()
{
	while read -r f v; do
		echo "$v" >"$f" 2>/dev/null
	done </tmp/cpu_partial.saved
}

# fsset KEY VALUE: one failslab attribute, retried (the write itself
# allocates and may be failed while injection is on).
FS=/sys/kernel/debug/failslab
fsset()
{
	i=0
	until echo "$2" >$FS/$1 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge 1000 ] && { echo "FAILSLAB-ERROR cannot set $1=$2"; return 1; }
	done
}

failslab()
{
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
	if [ ! -d $FS ]; then
		# A kernel without failslab through debugfs: nothing to
		# inject.  The host decides whether that was to be expected.
		for c in failslab-injected failslab-objects-back; do
			echo "CHECK $c SKIP no $FS in this kernel" \
				"(FAILSLAB, FAULT_INJECTION_DEBUG_FS or DEBUG_FS not set)"
		done
		return
	fi
	if [ -n "$fs_boot" ]; then
		# failslab=<interval>,<probability>,<space>,<times> set these,
		# on from boot: pause it for the idle counts.  The boot used up
		# part of <space> (bytes spared before the first failure); the
		# run starts with none spared.
		fs_interval=$(cat $FS/interval)
		fs_prob=$(cat $FS/probability)
		fs_times=$(cat $FS/times)
		fsset probability 0
		echo "FAILSLAB-BOOT interval=$fs_interval probability=$fs_prob" \
			"space_left=$(cat $FS/space) times_left=$fs_times"
		fs_space=0
		src="cmdline failslab=$fs_boot"
	else
		src=debugfs
	fi
	# Warm-up without injection, so that first-use allocations are in
	# the idle counts.
	hackbench $fs_hb >/dev/null 2>&1
	sh -c "i=0; while [ \$i -lt 20 ]; do (:); i=\$((i + 1)); done"
	slabcounts /tmp/slab.before

	fsset verbose 0
	fsset ignore-gfp-wait N
	fsset task-filter N
	fsset interval "$fs_interval"
	fsset space "$fs_space"
	fsset times "$fs_times"
	echo "FAILSLAB-CONFIG source=$src probability=$fs_prob interval=$fs_interval" \
		"space=$fs_space times=$fs_times ignore-gfp-wait=$(cat $FS/ignore-gfp-wait)" \
		"task-filter=$(cat $FS/task-filter) verbose=$(cat $FS/verbose)"

	# The load (scripts/guest/fsload.c) turns injection on, runs hackbench and
	# the fork loop, and turns it off: a shell gives up when a fork fails.
	out=$(fsload $FS/probability "$fs_prob" "$fs_forks" 60 -- hackbench $fs_hb)
	load_rc=$?
	fsset probability 0
	left=$(cat $FS/times)
	if [ "$fs_times" -gt 0 ] 2>/dev/null; then
		injected=$((fs_times - left))
	else
		injected=unknown
	fi
	echo "FAILSLAB-RUN injected=$injected times_left=$left load_rc=$load_rc" \
		"$(echo "$out" | grep '^FSLOAD' | sed 's/^FSLOAD //')"

	# A deliberate leak for the test of the test: processes kept alive.
	leakers=
	i=0
	while [ $i -lt "$fs_leak" ]; do
		sleep 100000 &
		leakers="$leakers $!"
		i=$((i + 1))
	done

	slabcounts /tmp/slab.after
	tol_n=${fs_tol%,*}
	tol_p=${fs_tol#*,}
	# Every cache in both counts: after <= before + the tolerance, the
	# largest of tol_n objects, tol_p% of before, and one slab per CPU:
	# each CPU may take a fresh slab between its shrink and the read (the
	# open of /proc/slabinfo alone allocates a file), and slabinfo counts
	# every object of a CPU's slab as in use.
	ncpu=$(grep -c ^processor /proc/cpuinfo)
	awk -v n="$tol_n" -v p="$tol_p" -v c="$ncpu" 'NR == FNR { b[$1] = $2; next }
		$1 in b { d = $2 - b[$1]; t = int(b[$1] * p / 100); if (t < n) t = n
		  if (t < $3 * c) t = $3 * c
		  over = ""; if (d > t) over = " OVER"
		  if (d != 0)
			printf "SLAB-DELTA cache=%s idle=%d after=%d delta=%d tolerance=%d%s\n",
				$1, b[$1], $2, d, t, over }' \
		/tmp/slab.before /tmp/slab.after >/tmp/slab.delta
	cat /tmp/slab.delta
	over=$(grep -c ' OVER$' /tmp/slab.delta)
	total=$(awk 'NR == FNR { b[$1] = $2; next } $1 in b { x += b[$1]; y += $2 }
		END { printf "idle=%d after=%d", x, y }' /tmp/slab.before /tmp/slab.after)
	caches=$(wc -l </tmp/slab.after)
	check failslab-injected "$injected > 0" \
		"injected=$injected (times=$fs_times left=$left)"
	check failslab-objects-back "$over == 0" \
		"caches_over=$over of=$caches $total tolerance=max($tol_n,$tol_p%,${ncpu}_slabs)" \
		"over:$(sed -n 's/^SLAB-DELTA cache=\([^ ]*\) .*delta=\([-0-9]*\) .*OVER$/\1+\2/p' /tmp/slab.delta |
			tr '\n' ' ' | sed 's/ $//; s/ /,/g')"
	[ -n "$leakers" ] && kill $leakers 2>/dev/null
	echo "FAILSLAB-INIT-ALIVE pid=$$"
}

case ",$parts," in *,kmem,*) kmem ;; esac
case ",$parts," in *,failslab,*) failslab ;; esac

echo "MEMCG-GUEST-DONE"
reboot -f
