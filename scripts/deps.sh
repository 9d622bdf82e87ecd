#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages the workbench needs, if missing:
# the pinned kernel source, QEMU, hackbench (rt-tests), busybox-static,
# quilt, the kernel build dependencies, python3 and prove (perl).

set -eu
. "$(dirname "$0")/lib.sh"

wb_need_pkgs "$WB_KVER_PKG" qemu-system-x86 rt-tests busybox-static quilt \
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils \
	python3 perl
