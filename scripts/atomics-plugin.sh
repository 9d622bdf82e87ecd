#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# atomics-plugin.sh - build the atomics plugin (tools/qemu-plugin) for the
# icount QEMU in build/qemu-icount (deps.sh runs this with CLOCK=icount).
#
# The plugin API header, include/qemu/qemu-plugin.h, is not in any binary
# package: it is taken from the source package of the very QEMU version
# that deps.sh unpacked (bookworm-backports), fetched through a private
# apt state like deps.sh's (`apt-get source --download-only --tar-only`),
# of which only that one file is kept.  glib's headers: libglib2.0-dev.
#
# Prints the library's path.  On failure exits 1 and leaves the reason in
# WB_ATOMICS_OFF (build/qemu-plugin/off), which the bench's table quotes
# ("atomics: off (...)"): the bench runs on without the plugin.

set -eu
. "$(dirname "$0")/lib.sh"

dir=$WB_ATOMICS_DIR
mkdir -p "$dir"
rm -f "$WB_ATOMICS_OFF"

off()
{
	echo "$*" >"$WB_ATOMICS_OFF"
	wb_log deps "atomics plugin unavailable: $*"
	exit 1
}

wb_icount_qemu || off "no icount QEMU in $WB_ICOUNT_QEMU_DIR"
deb=$(ls "$WB_ICOUNT_QEMU_DIR"/debs/qemu-system-x86_*.deb 2>/dev/null |
	head -n 1)
[ -n "$deb" ] || off "no qemu-system-x86 package in $WB_ICOUNT_QEMU_DIR/debs"
ver=$(dpkg-deb -f "$deb" Version)
inc=$dir/include
hdr=$inc/qemu-plugin.h

if [ "$(cat "$inc/version" 2>/dev/null)" != "$ver" ]; then
	rm -rf "$inc" "$dir/src"
	mkdir -p "$inc"
	mirror=$(sed -n 's|^deb \[[^]]*\] \(http[^ ]*\) .*|\1|p' \
		"$WB_ICOUNT_QEMU_DIR/apt/sources.list" 2>/dev/null)
	wb_private_apt "$dir/src/apt" \
		"deb-src [signed-by=@KEYRING@] ${mirror:-@MIRROR@} bookworm-backports main"
	apt_opts=("${WB_APT_OPTS[@]}")
	wb_log deps "fetching the QEMU $ver source (for qemu-plugin.h)"
	apt-get "${apt_opts[@]}" update >"$dir/src/update.log" 2>&1 ||
		off "apt-get update of bookworm-backports sources failed" \
			"($dir/src/update.log)"
	(cd "$dir/src" && apt-get "${apt_opts[@]}" source --download-only \
		--tar-only "qemu=$ver") >"$dir/src/source.log" 2>&1 ||
		off "apt-get source qemu=$ver failed ($dir/src/source.log)"
	tarball=$(ls "$dir"/src/qemu_*.orig.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || off "no .orig tarball for qemu=$ver"
	tar -xOf "$tarball" --wildcards '*/include/qemu/qemu-plugin.h' \
		>"$hdr.tmp" 2>/dev/null && [ -s "$hdr.tmp" ] ||
		off "no include/qemu/qemu-plugin.h in $tarball"
	mv "$hdr.tmp" "$hdr"
	echo "$ver" >"$inc/version"
	rm -rf "$dir/src"
fi

(wb_need_pkgs libglib2.0-dev pkg-config) ||
	off "cannot install libglib2.0-dev (glib headers)"
make -s -C "$WB_ROOT/tools/qemu-plugin" QEMU_PLUGIN_INC="$inc" O="$dir" \
	>"$dir/build.log" 2>&1 || off "the plugin does not build ($dir/build.log)"
# The API version the plugin was built for must be one QEMU accepts: load
# it into a QEMU that stops at once.
echo quit | "${WB_ICOUNT_QEMU[@]}" -nodefaults -display none -accel tcg \
	-machine none -monitor stdio -plugin "$WB_ATOMICS_SO" \
	>"$dir/probe.log" 2>&1 ||
	off "QEMU $ver does not load the plugin ($dir/probe.log)"
echo "$WB_ATOMICS_SO"
