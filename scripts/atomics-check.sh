#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# atomics-check.sh - the atomics plugin (tools/qemu-plugin) counts a known
# guest program right.  `make check-plugin`.
#
# Builds the plugin (scripts/atomics-plugin.sh), a small initramfs with
# tools/qemu-plugin/known.c linked statically and
# scripts/guest/atomics-init.sh as /init, and boots the SLUB bench kernel
# (KERNEL=bzImage, else the bench build of configs/bench/slub.conf) on the
# icount QEMU with the plugin.  known runs N of each atomic class in
# windows of its own; the counts must be exact (user mode, where the
# loops run), the user instructions 3N or 6N plus the few around the
# loop, and the syscall window must be kernel instructions.
#
# Environment: N (default 1000000), KERNEL, TIMEOUT (default 300).

set -eu
. "$(dirname "$0")/lib.sh"

N=${N:-1000000}
TIMEOUT=${TIMEOUT:-300}
OUT=$(wb_kdir atomics-check)
TREE=$(realpath -m "${TREE:-$WB_KTREE}")

wb_need_pkgs busybox-static build-essential python3
CLOCK=icount "$WB_ROOT/scripts/deps.sh"
wb_icount_qemu || wb_die "no icount QEMU (CLOCK=icount scripts/deps.sh)"
[ -f "$WB_ATOMICS_SO" ] && [ ! -f "$WB_ATOMICS_OFF" ] ||
	wb_die "the atomics plugin is unavailable:" \
		"$(cat "$WB_ATOMICS_OFF" 2>/dev/null || echo "not built")"
if [ -z "${KERNEL:-}" ]; then
	"$WB_ROOT/scripts/prepare.sh"
	wb_conf_check slub
	frags=$(FRAGMENTS=; . "$WB_ROOT/configs/bench/slub.conf"; echo "$FRAGMENTS")
	# shellcheck disable=SC2086
	KERNEL=$("$WB_ROOT/scripts/build.sh" $frags)
fi
[ -f "$KERNEL" ] || wb_die "no kernel $KERNEL"

rm -rf "$OUT"
mkdir -p "$OUT"
cc -static -O2 -Wall -o "$OUT/known" "$WB_ROOT/tools/qemu-plugin/known.c" ||
	wb_die "cannot build known.c statically (libc6-dev?)"
busybox=$(command -v busybox) || wb_die "busybox not found (busybox-static)"
gen=$OUT/gen_init_cpio
[ -f "$TREE/usr/gen_init_cpio.c" ] ||
	wb_die "no $TREE/usr/gen_init_cpio.c (run scripts/prepare.sh)"
cc -O2 -o "$gen" "$TREE/usr/gen_init_cpio.c"
{
	wb_initramfs_base "$WB_ROOT/scripts/guest/atomics-init.sh" "$busybox"
	echo "file /bin/known $OUT/known 0755 0 0"
} | wb_initramfs_sort >"$OUT/initramfs.list"
"$gen" "$OUT/initramfs.list" >"$OUT/initramfs.cpio"

log=$OUT/console.log counts=$OUT/atomics.txt
wb_log check "booting $KERNEL with the atomics plugin, N=$N"
set +e
timeout -k 10 "$TIMEOUT" "${WB_ICOUNT_QEMU[@]}" \
	-nodefaults -display none -no-reboot -accel tcg \
	-icount "shift=$WB_ICOUNT_SHIFT,align=off,sleep=off" \
	-plugin "$WB_ATOMICS_SO,outfile=$counts" \
	-cpu max -smp 2 -m 256M -kernel "$KERNEL" -initrd "$OUT/initramfs.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=4 known.n=$N" \
	-serial stdio </dev/null >"$log" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || wb_die "QEMU exited with $rc (console: $log)"
grep -q '^KNOWN-DONE rc=0' "$log" ||
	wb_die "the guest program did not finish (console: $log)"
cat "$counts"
python3 - "$counts" "$N" <<'PY'
import sys

n = int(sys.argv[2])
w = {}
for ln in open(sys.argv[1]):
    f = ln.split()
    if f and f[0] == "PLUGIN-ATOMICS":
        kv = dict(x.split("=", 1) for x in f[1:])
        win = kv.pop("window")
        w[win] = {k: int(v) for k, v in kv.items()}
fails = 0


def check(what, ok):
    global fails
    print("%s - %s" % ("ok" if ok else "not ok", what))
    fails += not ok


zero = ("user_locked", "user_xchg_mem", "user_cmpxchg16b_locked",
        "user_cmpxchg16b_unlocked", "user_cmpxchg8b_locked",
        "user_cmpxchg8b_unlocked")
want = {
    "1": ({"user_locked": n}, 3),
    "2": ({"user_locked": n, "user_cmpxchg16b_locked": n}, 3),
    "3": ({"user_xchg_mem": n, "user_cmpxchg8b_unlocked": n,
           "user_cmpxchg8b_locked": n, "user_locked": n,
           "user_cmpxchg16b_unlocked": n}, 6),
    "4": ({}, None),
}
for win, (counts, per) in want.items():
    c = w.get(win)
    check("window %s reported" % win, c is not None)
    if c is None:
        continue
    for k in zero:
        check("window %s %s = %d (got %d)" % (win, k, counts.get(k, 0),
                                               c[k]),
              c[k] == counts.get(k, 0))
    if per:
        u = c["insns_user"]
        check("window %s insns_user %d in [%d, %d]" % (win, u, per * n,
                                                        per * n + 200),
              per * n <= u <= per * n + 200)
c = w.get("4")
if c:
    k = c["insns_kernel"]
    check("window 4: %d getppid() in the kernel, insns_kernel %d >= %d"
          % (n // 100, k, 20 * (n // 100)), k >= 20 * (n // 100))
check("a total line", "total" in w and w["total"]["insns_kernel"] > 0)
sys.exit(1 if fails else 0)
PY
wb_log check "the atomics plugin counted the known program right"
