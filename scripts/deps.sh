#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages the workbench needs, if missing:
# the pinned kernel source and Debian's configuration of it
# (linux-config-6.1, for KBASE=debian and the workbench tests of it), QEMU,
# hackbench (rt-tests), busybox-static, quilt, the kernel build
# dependencies, python3 and prove (perl).
#
# With CLOCK=icount also the QEMU that runs guests on the instruction-count
# clock (see wb_icount_qemu in lib.sh): Debian's bookworm-backports QEMU,
# unpacked under build/qemu-icount, not installed system-wide, so the system
# QEMU of the wall-clock path stays as it is; and the atomics plugin for
# it (scripts/atomics-plugin.sh), which may fail without failing deps: the
# bench then says "atomics: off" and why.

set -eu
. "$(dirname "$0")/lib.sh"

wb_need_pkgs "$WB_KVER_PKG" "$WB_KCONFIG_PKG" qemu-system-x86 rt-tests busybox-static quilt \
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils \
	python3 perl

[ "${CLOCK:-wall}" = icount ] || exit 0

dir=$WB_ICOUNT_QEMU_DIR
if wb_icount_qemu; then
	"$WB_ROOT/scripts/atomics-plugin.sh" >/dev/null || true
	exit 0
fi

# A private apt configuration under $dir/apt (wb_private_apt), so the
# system's sources and state stay untouched; the archive is the Debian
# mirror the system uses.
mirror=$(wb_debian_mirror)
pkgs="qemu-system-x86 qemu-system-data seabios"

wb_log deps "fetching from bookworm-backports into $dir:" \
	"$pkgs (unpacked there, not installed system-wide)"
rm -rf "$dir"
mkdir -p "$dir/debs"
wb_private_apt "$dir/apt" "deb [signed-by=@KEYRING@] $mirror bookworm-backports main"
apt_opts=("${WB_APT_OPTS[@]}")
apt-get "${apt_opts[@]}" update >"$dir/apt/update.log" 2>&1 ||
	wb_die "apt-get update of bookworm-backports ($mirror) failed;" \
		"see $dir/apt/update.log"
specs=()
for p in $pkgs; do
	specs+=("$p/bookworm-backports")
done
(cd "$dir/debs" && apt-get "${apt_opts[@]}" download "${specs[@]}") \
	>"$dir/apt/download.log" 2>&1 ||
	wb_die "apt-get download ${specs[*]} failed; see $dir/apt/download.log"

# The shared libraries QEMU links: Debian 12 packages, installed
# system-wide like the rest (the system QEMU needs most of them anyway).
deb=$(ls "$dir"/debs/qemu-system-x86_*.deb)
libs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
	sed 's/^[[:space:]]*//; s/[[:space:](].*//' |
	grep -v -e '^qemu-' -e '^seabios$' -e '^ipxe-qemu$' -e '^$' | tr '\n' ' ')
# shellcheck disable=SC2086
wb_need_pkgs $libs

for d in "$dir"/debs/*.deb; do
	dpkg-deb -x "$d" "$dir/root"
done
missing=$(ldd "$dir/root/usr/bin/qemu-system-x86_64" | grep 'not found' || true)
[ -z "$missing" ] || wb_die "the backports QEMU lacks libraries: $missing"
wb_icount_qemu || wb_die "the backports QEMU in $dir does not run"
rm -rf "$dir/apt/lists" "$dir/apt/cache"
wb_log deps "icount QEMU: $(wb_icount_qemu_version)"
"$WB_ROOT/scripts/atomics-plugin.sh" >/dev/null || true
