#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh [OUT] - build the bench guest's initramfs (uncompressed cpio).
#
# busybox-static as /bin/busybox with its applets,
# scripts/guest/guest-init.sh as /init, hackbench from rt-tests with the
# shared libraries ldd lists, scripts/guest/wbmark.c (the window marks of
# the atomics plugin) and the workloads scripts/guest/forkexec.c and
# scripts/guest/cachesload.c, linked statically.  Built with the kernel tree's
# usr/gen_init_cpio so no root is needed for /dev nodes.  Rebuilt only when
# its inputs change.  Prints the cpio path.

set -eu
. "$(dirname "$0")/lib.sh"

OUT=$(realpath -m "${1:-$WB_BUILD/initramfs/initramfs.cpio}")
TREE=$(realpath -m "${TREE:-$WB_KTREE}")
dir=$(dirname "$OUT")
mkdir -p "$dir"

wb_need_pkgs busybox-static rt-tests
busybox=$(command -v busybox) || wb_die "busybox not found"
hackbench=$(command -v hackbench) || wb_die "hackbench not found (rt-tests)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	"$busybox" 2>&1 | grep -q . || wb_die "$busybox is unusable"

libs=$(wb_program_libs "$hackbench")

stamp=$( (
	echo "$busybox $hackbench $libs"
	cat "$WB_ROOT/scripts/guest/guest-init.sh" "$WB_ROOT/scripts/guest/wbmark.c" \
		"$WB_ROOT/scripts/guest/forkexec.c" \
		"$WB_ROOT/scripts/guest/cachesload.c" \
		"$WB_ROOT/scripts/guest/workers.h" "$busybox" "$hackbench" $libs
) | sha256sum | cut -c1-16)
if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$stamp" ]; then
	wb_log initrd "up to date ($OUT)"
	echo "$OUT"
	exit 0
fi

gen=$dir/gen_init_cpio
[ -f "$TREE/usr/gen_init_cpio.c" ] ||
	wb_die "no $TREE/usr/gen_init_cpio.c (run scripts/prepare.sh)"
cc -O2 -o "$gen" "$TREE/usr/gen_init_cpio.c"

for p in wbmark forkexec cachesload; do
	cc -static -O2 -Wall -o "$dir/$p" "$WB_ROOT/scripts/guest/$p.c" ||
		wb_die "cannot build scripts/guest/$p.c statically (libc6-dev?)"
done

list=$dir/initramfs.list
{
	wb_initramfs_base "$WB_ROOT/scripts/guest/guest-init.sh" "$busybox"
	echo "file /bin/hackbench $hackbench 0755 0 0"
	for p in wbmark forkexec cachesload; do
		echo "file /bin/$p $dir/$p 0755 0 0"
	done
	wb_initramfs_files $libs
} | wb_initramfs_sort >"$list"
"$gen" "$list" >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$stamp" >"$OUT.stamp"
wb_log initrd "built $OUT ($(du -k "$OUT" | cut -f1) KiB)"
echo "$OUT"
