#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages the workbench needs, if missing:
# the kernel source of the tree KVER (default in scripts/lib.sh) and
# Debian's configuration of it (linux-config-<ver>, for KBASE=debian and
# the workbench tests of it), QEMU, hackbench (rt-tests), busybox-static,
# quilt, the kernel build dependencies, python3 and prove (perl).
#
# A tree whose packages are not in the system's suite (7.3: Debian 12 has
# only 6.1; linux-source-7.3 and linux-config-7.3 are in trixie-backports)
# is fetched with a private apt configuration (wb_private_apt) and
# unpacked with dpkg-deb under build/debian-<ver>/root, never installed
# system-wide; build/debian-<ver>/version records the version fetched.
#
# With CLOCK=icount also the QEMU that runs guests on the instruction-count
# clock (see wb_icount_qemu in lib.sh): Debian's bookworm-backports QEMU,
# unpacked under build/qemu-icount, not installed system-wide, so the system
# QEMU of the wall-clock path stays as it is; and the atomics plugin for
# it (scripts/atomics-plugin.sh), which may fail without failing deps: the
# bench then says "atomics: off" and why.

set -eu
. "$(dirname "$0")/lib.sh"

# fetch_kernel: the selected tree's source and configuration packages
# from WB_KSUITE, unpacked under WB_KPKG_DIR (once).
fetch_kernel()
{
	local dir=$WB_KPKG_DIR mirror deb v

	if [ -r "$WB_KSRC_TAR" ] && [ -r "$WB_DEBIAN_CONFIG" ] &&
	   [ -s "$dir/version" ]; then
		return 0
	fi
	mirror=$(wb_debian_mirror)
	wb_log deps "fetching $WB_KVER_PKG and $WB_KCONFIG_PKG from" \
		"$WB_KSUITE into $dir (unpacked there, not installed system-wide)"
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	wb_private_apt "$dir/apt" "deb [signed-by=@KEYRING@] $mirror $WB_KSUITE main"
	apt-get "${WB_APT_OPTS[@]}" update >"$dir/apt/update.log" 2>&1 ||
		wb_die "apt-get update of $WB_KSUITE ($mirror) failed;" \
			"see $dir/apt/update.log"
	(cd "$dir/debs" && apt-get "${WB_APT_OPTS[@]}" download \
		"$WB_KVER_PKG/$WB_KSUITE" "$WB_KCONFIG_PKG/$WB_KSUITE") \
		>"$dir/apt/download.log" 2>&1 ||
		wb_die "apt-get download $WB_KVER_PKG/$WB_KSUITE" \
			"$WB_KCONFIG_PKG/$WB_KSUITE failed; see $dir/apt/download.log"
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root" ||
			wb_die "dpkg-deb -x $deb failed"
	done
	[ -r "$WB_KSRC_TAR" ] ||
		wb_die "$WB_KVER_PKG from $WB_KSUITE has no $WB_KSRC_TAR"
	[ -r "$WB_DEBIAN_CONFIG" ] ||
		wb_die "$WB_KCONFIG_PKG from $WB_KSUITE has no $WB_DEBIAN_CONFIG"
	v=$(dpkg-deb -f "$(ls "$dir"/debs/"$WB_KVER_PKG"_*.deb)" Version)
	# The tarball is what is kept; the .debs and apt's lists are not.
	rm -rf "$dir/debs" "$dir/apt/lists" "$dir/apt/cache"
	echo "$v" >"$dir/version"
	wb_log deps "$WB_KVER_PKG $v and $WB_KCONFIG_PKG unpacked under $dir/root"
	[ "$v" = "$WB_KVER_DEB" ] ||
		wb_log deps "WARNING: $WB_KVER_PKG is $v, the series is tested" \
			"against $WB_KVER_DEB"
}

pkgs=(qemu-system-x86 rt-tests busybox-static quilt
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
	python3 perl)
# A tree of the system's suite comes with the other packages.
[ -n "$WB_KSUITE" ] || pkgs=("$WB_KVER_PKG" "$WB_KCONFIG_PKG" "${pkgs[@]}")
wb_need_pkgs "${pkgs[@]}"
[ -z "$WB_KSUITE" ] || fetch_kernel

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
