#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh - build the bench kernels of the tree KVER without booting.
#
# The configurations are AA, else CONFIGS, else the tree's CONFIGS_WALL
# (which covers the icount ones); each must be one of the tree's, checked
# before any work.  Prepares the tree (scripts/prepare.sh), then builds
# each configuration's fragments once (scripts/build.sh).

set -eu
. "$(dirname "$0")/lib.sh"

CONFDIR=${CONFDIR:-$WB_ROOT/configs/bench}
names=${AA:-${CONFIGS:-${CONFIGS_WALL:-$WB_CONFIGS_WALL}}}

for n in $names; do
	wb_conf_check "$n"
done
"$WB_ROOT/scripts/prepare.sh"
for n in $names; do
	# shellcheck disable=SC1090
	frags=$(FRAGMENTS=; . "$CONFDIR/$n.conf"; echo "$FRAGMENTS")
	[ -n "$frags" ] || wb_die "$CONFDIR/$n.conf sets no FRAGMENTS"
	# shellcheck disable=SC2086
	"$WB_ROOT/scripts/build.sh" $frags >/dev/null
done
wb_log kernels "KVER=$WB_KVER: built $(echo $names)"
