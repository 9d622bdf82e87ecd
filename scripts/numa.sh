#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# numa.sh - boot SLUB-LL on a NUMA guest, hot-add memory to its memoryless
# node while it runs, and check allocations on every node.
#
#   scripts/numa.sh [options]
#     -a ACCEL    kvm or tcg (default tcg: -accel tcg,thread=multi)
#     -t SECONDS  watchdog for the whole guest (default 900)
#     -w SECONDS  how long the guest waits for the hot-added memory (default 300)
#     -f FILES    files each numa-mpol run creates (default 20000)
#     -M          no numa-mpol runs: only the KUnit module, before and after
#     -B          do not prepare or build: use the last kernel and module built
#     -h          this help
#   Environment: TREE, KBUILD_DIR, JOBS as for scripts/prepare.sh and build.sh.
#
# Kernel: allnoconfig + configs/base.config, slub_ll.config, numa.config
# (scripts/build.sh), with the KUnit suite mm/slub_ll_kunit.c as a module.
# Initramfs (build/numa/initramfs.cpio, not the bench one): busybox,
# scripts/guest/numa-init.sh as /init, scripts/guest/numa-mpol.c linked
# statically, the module.  QEMU: 3 vCPUs, one per node; nodes 0 and 1 have 256M each,
# node 2 none; -m 512M,slots=2,maxmem=1G.  When the guest prints
# NUMA-HOTADD-READY, this script adds a 256M pc-dimm to node 2 through the
# QEMU monitor (a unix socket); the guest's kernel onlines it by itself.
# The guest loads the KUnit module before and after the hot-add and runs
# numa-mpol for every node with memory (MPOL_BIND from a CPU of another
# node) and on every CPU (default policy).  Console: build/numa/console.log.
#
# Fails, naming why and showing the last console lines, when the guest
# hangs (watchdog) or its console shows a kernel report
# (scripts/lib/console-reports) or a stack dump ("Call Trace:");
# when the hot-add does not arrive; when a numa-mpol run fails; when
# insmod fails or a case of the slub_ll or slub_ll_numa suite fails, or
# skips without an entry for mode "numa" in scripts/kunit-skips.

set -eu
. "$(dirname "$0")/lib.sh"

ACCEL=tcg
TIMEOUT=900
HP_WAIT=300
FILES=20000
NOBUILD=0
MPOL=1
HP_NODE=2
HP_MB=256
OUT=$(wb_kdir numa)
TREE=$(realpath -m "${TREE:-$WB_KTREE}")
JOBS=${JOBS:-2}

opt()
{
	case $1 in
	a) ACCEL=$2 ;;
	t) TIMEOUT=$2 ;;
	w) HP_WAIT=$2 ;;
	f) FILES=$2 ;;
	M) MPOL=0 ;;
	B) NOBUILD=1 ;;
	esac
}

wb_opts "a:t:w:f:MBh" opt "$@"
wb_accel "$ACCEL"
wb_number -t "$TIMEOUT"
wb_number -w "$HP_WAIT" 0
wb_number -f "$FILES" 0

wb_need_pkgs qemu-system-x86 busybox-static python3 build-essential

kbuild=${KBUILD_DIR:-$WB_KBUILD}/base-slub_ll-numa
if [ $NOBUILD = 0 ]; then
	"$WB_ROOT/scripts/prepare.sh"
	# the last line build.sh prints; a failed build stops here
	image=$("$WB_ROOT/scripts/build.sh" base slub_ll numa) || exit 1
	image=${image##*$'\n'}
	wb_log build "base-slub_ll-numa: modules (log: $kbuild/modules.log)"
	if ! make -s -C "$TREE" O="$kbuild" ARCH=x86_64 -j"$JOBS" modules \
		>"$kbuild/modules.log" 2>&1; then
		tail -n 30 "$kbuild/modules.log" >&2
		wb_die "module build failed (full log: $kbuild/modules.log)"
	fi
else
	image=$kbuild/arch/x86/boot/bzImage
fi
module=$kbuild/mm/slub_ll_kunit.ko
[ -f "$image" ] || wb_die "no kernel image at $image"
[ -f "$module" ] || wb_die "no KUnit module at $module"

# The initramfs: our own, under build/numa.
mkdir -p "$OUT"
[ -f "$TREE/usr/gen_init_cpio.c" ] ||
	wb_die "no $TREE/usr/gen_init_cpio.c (run scripts/prepare.sh)"
busybox=$(command -v busybox) || wb_die "busybox not found (busybox-static)"
cc -O2 -o "$OUT/gen_init_cpio" "$TREE/usr/gen_init_cpio.c"
cc -static -O2 -Wall -o "$OUT/numa-mpol" "$WB_ROOT/scripts/guest/numa-mpol.c" ||
	wb_die "cannot build scripts/guest/numa-mpol.c statically (libc6-dev?)"
{
	wb_initramfs_base "$WB_ROOT/scripts/guest/numa-init.sh" "$busybox"
	echo "dir /lib 0755 0 0"
	echo "dir /lib/modules 0755 0 0"
	echo "file /bin/numa-mpol $OUT/numa-mpol 0755 0 0"
	echo "file /lib/modules/slub_ll_kunit.ko $module 0644 0 0"
} >"$OUT/initramfs.list"
initrd=$OUT/initramfs.cpio
"$OUT/gen_init_cpio" "$OUT/initramfs.list" >"$initrd"
wb_log initrd "built $initrd ($(du -k "$initrd" | cut -f1) KiB)"

# Boot.  The monitor socket takes the hot-add commands.
log=$OUT/console.log
sock=$OUT/monitor.sock
mon=$OUT/monitor.log
rm -f "$sock" "$mon"
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=7"
cmdline="$cmdline memhp_default_state=online_kernel"
cmdline="$cmdline numa.node=$HP_NODE numa.mb=$HP_MB numa.wait=$HP_WAIT"
cmdline="$cmdline numa.files=$FILES numa.mpol=$MPOL"
qemu=(qemu-system-x86_64 -nodefaults -display none -no-reboot
	-machine pc -accel "$WB_ACCEL_ARG" -cpu max
	-smp 3,sockets=3,cores=1,threads=1 -m 512M,slots=2,maxmem=1G
	-object memory-backend-ram,id=m0,size=256M
	-object memory-backend-ram,id=m1,size=256M
	-numa node,nodeid=0,cpus=0,memdev=m0
	-numa node,nodeid=1,cpus=1,memdev=m1
	-numa node,nodeid=2,cpus=2
	-monitor unix:"$sock",server=on,wait=off
	-kernel "$image" -initrd "$initrd" -append "$cmdline"
	-serial stdio)
{
	echo "# qemu: ${qemu[*]}"
} >"$log"
wb_log boot "NUMA guest: $ACCEL, 3 vCPUs, nodes 0,1 256M each, node 2" \
	"memoryless until a ${HP_MB}M hot-add (log: $log)"
t0=$(date +%s)
timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null >>"$log" 2>&1 &
qpid=$!

# monitor CMD...: send each command to the QEMU monitor, log the replies.
monitor()
{
	python3 - "$sock" "$@" >>"$mon" 2>&1 <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(10)

def until_prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf.decode(errors="replace")

until_prompt()
bad = False
for cmd in sys.argv[2:]:
    s.sendall(cmd.encode() + b"\n")
    reply = until_prompt().replace("\r", "")
    print("(qemu) " + cmd)
    # the monitor echoes the command; anything else is an error message
    rest = [l for l in reply.split("\n")
            if l.strip() and not l.startswith("(qemu)") and cmd not in l]
    for l in rest:
        print(l)
        bad = True
sys.exit(1 if bad else 0)
EOF
}

hotadd=pending
t_ready=
while kill -0 $qpid 2>/dev/null; do
	if [ $hotadd = pending ] && grep -q '^NUMA-HOTADD-READY' "$log"; then
		t_ready=$(($(date +%s) - t0))
		wb_log boot "guest ready after ${t_ready}s: adding ${HP_MB}M to node $HP_NODE"
		if monitor "object_add memory-backend-ram,id=hp0,size=${HP_MB}M" \
			"device_add pc-dimm,id=dimm0,memdev=hp0,node=$HP_NODE"; then
			hotadd=sent
		else
			hotadd=failed
			wb_log boot "the monitor refused the hot-add: $(tr '\n' ' ' <"$mon")"
		fi
	fi
	sleep 1
done
set +e
wait $qpid
rc=$?
set -e
t_all=$(($(date +%s) - t0))

# The verdict: every reason found, then the details.
why=()
# Beyond the kernel's reports, any stack dump fails this guest (a page
# allocation failure on a node shows as one).
WB_REPORT_EXTRA='Call Trace:'
bad=$(wb_console_reports "$log" "$WB_REPORT_EXTRA" | head -n 1 | cut -d: -f2-)
[ -n "$bad" ] && why+=("the kernel reported: $bad")
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	why+=("watchdog: the guest did not power off within ${TIMEOUT}s (hung or too slow)")
elif [ $rc -ne 0 ]; then
	why+=("qemu exited with status $rc")
fi
case $hotadd in
pending) why+=("the guest never asked for the hot-add (no NUMA-HOTADD-READY)") ;;
failed) why+=("the QEMU monitor refused the hot-add (see $mon)") ;;
esac
up=$(grep -m1 '^NUMA-GUEST-UP' "$log" || true)
case $up in
'') why+=("the guest's /init did not start (no NUMA-GUEST-UP)") ;;
*" cpus=3 nodes=0-2 memory=0-1"*) ;;
*) why+=("unexpected topology: $up (want cpus=3 nodes=0-2 memory=0-1)") ;;
esac
if [ $hotadd = sent ]; then
	grep -q "^NUMA-HOTADD-DONE node=$HP_NODE" "$log" ||
		why+=("the hot-added memory did not come online on node $HP_NODE")
fi
grep -q '^NUMA-GUEST-DONE' "$log" || why+=("the guest did not finish (no NUMA-GUEST-DONE)")

# numa-mpol: every run printed PASS or SKIP.
mpol_bad=$(grep '^MPOL ' "$log" | grep -v -E 'result=(PASS|SKIP)' || true)
[ -n "$mpol_bad" ] && why+=("numa-mpol failed: $(echo "$mpol_bad" | wc -l) run(s), see below")

# KUnit, per phase: the module loaded, both suites ran and passed.
ktap=$OUT/console.ktap
sed -e 's/\r$//' -e 's/^\[ *[0-9.]*\] //' "$log" >"$ktap"
kunit_summary=()
for ph in before after; do
	sec=$(sed -n "/^NUMA-KUNIT-BEGIN phase=$ph\$/,/^NUMA-KUNIT-END phase=$ph /p" "$ktap")
	if [ -z "$sec" ]; then
		[ $ph = after ] && [ $hotadd != sent ] && continue
		why+=("KUnit phase $ph did not run")
		continue
	fi
	end=$(echo "$sec" | tail -n 1)
	case $end in
	*" insmod=0 "*) ;;
	NUMA-KUNIT-END*) why+=("KUnit phase $ph: $end") ;;
	*) why+=("KUnit phase $ph did not finish"); continue ;;
	esac
	echo "$sec" >"$ktap.$ph"
	for suite in slub_ll slub_ll_numa; do
		wb_ktap_suite "$ktap.$ph" $suite numa ||
			why+=("KUnit phase $ph: $WB_KTAP_WHY")
		[ -z "$WB_KTAP_COUNTS" ] && continue
		set -- $WB_KTAP_COUNTS
		kunit_summary+=("$ph $suite: $1 passed, $2 failed, $3 skipped")
	done
done

# Report.
asked=never
[ -n "$t_ready" ] && asked="at ${t_ready}s"
wb_log numa "guest ran ${t_all}s (hot-add asked $asked), qemu rc=$rc"
grep -E '^NUMA-(GUEST-UP|NODE|HOTADD-DONE|HOTADD-TIMEOUT)' "$log" | sed 's/^/  /' >&2 || true
grep -E '^MPOL ' "$log" | sed 's/^/  /' >&2 || true
for k in "${kunit_summary[@]}"; do
	echo "  KUnit $k" >&2
done
grep -E '^ *# sll_numa_[a-z_]*: ' "$ktap" | sed 's/^ */  /' >&2 || true
if [ ${#why[@]} -gt 0 ]; then
	wb_failed -r numa "$log" "${why[@]}"
	exit 1
fi
wb_log numa "passed: hot-add to node $HP_NODE, numa-mpol and KUnit before and after"
