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
# A report is any line of the kernel's own reports as
# scripts/lib/console-reports lists them: oopses, "BUG:" (KASAN, KFENCE,
# KCSAN, sleeping in atomic context, soft lockups, ...), "WARNING:"
# (WARN_ON(), lockdep's splats, suspicious RCU usage), "INFO:" (lockdep,
# hung tasks, RCU stalls), UBSAN, panics, general protection faults; not
# a KTAP result or diagnostic line (a test's own words).  On the first
# one, exit 1 naming it and its line number, how many report lines there
# are in all, and the last console lines.  Exit 0 when there is none and
# every -r line is there; 2 on a usage error.

set -eu
. "$(dirname "$0")/lib.sh"

LINES_SHOWN=25
required=()
WB_USAGE_RC=2

opt()
{
	case $1 in
	n) LINES_SHOWN=$2 ;;
	r) required+=("$2") ;;
	esac
}

wb_opts -a "n:r:h" opt "$@"
set -- ${WB_ARGS[@]+"${WB_ARGS[@]}"}
[ $# -eq 1 ] || wb_die_usage "one console log expected"
log=$1
[ -r "$log" ] || wb_die_usage "cannot read '$log'"

reports=$(wb_console_reports "$log")
if [ -n "$reports" ]; then
	first=$(head -n 1 <<<"$reports")
	{
		echo "console: kernel report at line ${first%%:*}: ${first#*:}"
		echo "console: $(wc -l <<<"$reports") report line(s) in $log"
		wb_console_tail "$log" "$LINES_SHOWN"
	} >&2
	exit 1
fi
for re in ${required[@]+"${required[@]}"}; do
	if ! tr -d '\r' <"$log" | grep -q -E -e "$re"; then
		{
			echo "console: no line matches '$re' (checker not running?)"
			wb_console_tail "$log" "$LINES_SHOWN"
		} >&2
		exit 1
	fi
done
exit 0
