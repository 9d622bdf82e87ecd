#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the atomics plugin's test guest (scripts/atomics-check.sh): runs
# /bin/known with N from known.n= on the command line, then powers off.
export PATH=/bin
mount -t proc proc /proc
n=1000000
for w in $(cat /proc/cmdline); do
	case "$w" in
	known.n=*) n=${w#known.n=} ;;
	esac
done
echo "WB-GUEST-UP kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)"
known "$n"
echo "KNOWN-DONE rc=$?"
reboot -f
