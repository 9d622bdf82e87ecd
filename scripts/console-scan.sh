#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# console-scan.sh - fail when a guest's console shows a kernel report.
#
#   console-scan.sh [-n LINES] [-r REGEX]... LOG
#     -n LINES   console lines shown on failure (default 25)
#     -r REGEX   a line that must be present (extended regex; repeatable):
#                proves that the checker looked for is really running
#     -h         this help
#
# A report is any line of the kernel's own reports: "BUG:" (KCSAN data
# races, sleeping in atomic context, smp_processor_id() in preemptible
# code, bad page state, ...), "WARNING:" (lockdep's circular dependency,
# inconsistent lock state, suspicious RCU usage, WARN_ON()), "INFO:"
# (lockdep turned off, RCU stalls, hung tasks), oopses, panics and
# general protection faults.  On the first one, exit 1 naming it and
# its line number, how many report lines there are in all, and the last
# console lines.  Exit 0 when there is none and every -r line is there.

set -eu

LINES_SHOWN=25
required=()

usage()
{
	sed -n '6,11s/^# \{0,1\}//p' "$0"
}

while getopts "n:r:h" opt; do
	case $opt in
	n) LINES_SHOWN=$OPTARG ;;
	r) required+=("$OPTARG") ;;
	h) usage; exit 0 ;;
	*) usage >&2
	   echo "error: console-scan.sh: unknown option; valid: -n -r -h" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ]; then
	echo "error: console-scan.sh: one console log expected" >&2
	exit 2
fi
log=$1
if [ ! -r "$log" ]; then
	echo "error: console-scan.sh: cannot read '$log'" >&2
	exit 2
fi

REPORT='(^|[] ])(BUG|WARNING|INFO):|Kernel panic|Oops[:]|general protection fault|kernel BUG at|Unable to handle kernel'

tail_lines()
{
	echo "---- last console lines ($log) ----"
	tail -n "$LINES_SHOWN" "$log" | sed 's/\r$//; s/^/| /'
	echo "----"
}

first=$(tr -d '\r' <"$log" | grep -n -m 1 -E "$REPORT" || true)
if [ -n "$first" ]; then
	total=$(tr -d '\r' <"$log" | grep -c -E "$REPORT" || true)
	{
		echo "console: kernel report at line ${first%%:*}: ${first#*:}"
		echo "console: $total report line(s) in $log"
		tail_lines
	} >&2
	exit 1
fi
for re in ${required[@]+"${required[@]}"}; do
	if ! tr -d '\r' <"$log" | grep -q -E -e "$re"; then
		{
			echo "console: no line matches '$re' (checker not running?)"
			tail_lines
		} >&2
		exit 1
	fi
done
exit 0
