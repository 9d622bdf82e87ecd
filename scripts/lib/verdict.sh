# SPDX-License-Identifier: GPL-2.0
# Verdicts on a guest's console (sourced by scripts/lib.sh): the kernel's
# reports, the results of a KUnit suite, the report of a failed guest.

# The kernel reports that fail a console, and the lines that never are
# one (scripts/lib/console-reports, shared with scripts/wbstats.py).
WB_REPORTS=$WB_ROOT/scripts/lib/console-reports
WB_REPORT_RE=$(sed -n 's/^report //p' "$WB_REPORTS" | paste -s -d '|')
WB_REPORT_EXCEPT=$(sed -n 's/^except //p' "$WB_REPORTS" | paste -s -d '|')

# wb_console_reports LOG [ERE]: every report line of the console LOG as
# "N:line" (N its line number, carriage returns dropped); ERE adds a
# kind of the caller's own.  Prints nothing when there is none.
wb_console_reports()
{
	local l

	tr -d '\r' <"$1" | grep -n -E -e "$WB_REPORT_RE${2:+|$2}" |
		while IFS= read -r l; do
			[[ ${l#*:} =~ $WB_REPORT_EXCEPT ]] || printf '%s\n' "$l"
		done
}

# wb_console_tail LOG [LINES]: the last LINES (25) lines of LOG, each
# after "| ", between "---- last console lines (LOG) ----" and "----".
wb_console_tail()
{
	echo "---- last console lines ($1) ----"
	tail -n "${2:-25}" "$1" | sed 's/\r$//; s/^/| /'
	echo "----"
}

# wb_failed [-r] WHAT LOG WHY...: the report of a failed guest, on
# stderr: "WHAT FAILED: WHY" (with several, "WHAT FAILED:" and a
# "  - WHY" line each), with -r the console around the first kernel
# report, then the last console lines.
wb_failed()
{
	local around=0 what log n

	[ "$1" = -r ] && { around=1; shift; }
	what=$1 log=$2
	shift 2
	{
		if [ $# -eq 1 ]; then
			echo "$what FAILED: $1"
		else
			echo "$what FAILED:"
			printf '  - %s\n' "$@"
		fi
		n=$(wb_console_reports "$log" "${WB_REPORT_EXTRA:-}" |
			head -n 1 | cut -d: -f1)
		if [ $around = 1 ] && [ -n "$n" ]; then
			echo "---- console around the first report ($log) ----"
			sed -n "$((n > 5 ? n - 5 : 1)),$((n + 20))p" "$log" |
				sed 's/\r$//; s/^/| /'
		fi
		wb_console_tail "$log"
	} >&2
}

# wb_ktap_suite LOG SUITE [MODE]: the results of the KUnit suite SUITE,
# its last run in LOG (a console, timestamps or not), counted by
# scripts/lib/ktap.py: its own cases only, a parameterised case or a
# case with subtests once, by its own result.  Sets
#   WB_KTAP_COUNTS  "passed failed skipped", empty when SUITE did not
#                   finish (no result line of its own)
#   WB_KTAP_RESULT  the suite's own result: "ok" or "not ok"
#   WB_KTAP_FAILED  the cases that failed
#   WB_KTAP_BADSKIP with MODE, the cases that skipped and may not in
#                   MODE (wb_kunit_skips), each with its reason
#   WB_KTAP_WHY     why the suite does not pass
# and returns 0 when it finished, passed, no case failed and (with MODE)
# every skip is allowed.
wb_ktap_suite()
{
	local log=$1 suite=$2 mode=${3:-} out

	WB_KTAP_COUNTS= WB_KTAP_RESULT= WB_KTAP_FAILED= WB_KTAP_BADSKIP=
	WB_KTAP_WHY=
	out=$(python3 "$WB_ROOT/scripts/lib/ktap.py" "$log" "$suite") || {
		WB_KTAP_WHY="cannot count the results of suite $suite"
		return 1
	}
	WB_KTAP_COUNTS=$(sed -n 's/^counts //p' <<<"$out")
	WB_KTAP_RESULT=$(sed -n 's/^result //p' <<<"$out")
	WB_KTAP_FAILED=$(sed -n 's/^fail //p' <<<"$out" | tr '\n' ' ')
	WB_KTAP_FAILED=${WB_KTAP_FAILED% }
	if [ -z "$WB_KTAP_COUNTS" ]; then
		WB_KTAP_WHY="suite $suite did not finish (or did not run)"
		return 1
	fi
	if [ -n "$mode" ] && ! WB_KTAP_BADSKIP=$(sed -n 's/^case //p' <<<"$out" |
			wb_kunit_skips "$mode" /dev/stdin); then
		WB_KTAP_WHY="suite $suite: $WB_KTAP_BADSKIP"
	fi
	[ -z "$WB_KTAP_FAILED" ] ||
		WB_KTAP_WHY="suite $suite failed: $WB_KTAP_FAILED${WB_KTAP_WHY:+; $WB_KTAP_WHY}"
	[ "$WB_KTAP_RESULT" = ok ] || [ -n "$WB_KTAP_WHY" ] ||
		WB_KTAP_WHY="suite $suite did not pass"
	[ -z "$WB_KTAP_WHY" ]
}

# The KUnit cases that may skip, per runner mode (scripts/kunit-skips).
WB_KUNIT_SKIPS=${WB_KUNIT_SKIPS:-$WB_ROOT/scripts/kunit-skips}
WB_KUNIT_SKIP_MODES="lockless pagelock nocx16 kasan numa"

# wb_kunit_skips MODE KTAP: every case that KTAP (a console with the
# timestamps stripped) reports as "ok N CASE # SKIP ..." must be listed
# for MODE in WB_KUNIT_SKIPS.  MODE is a runner mode, or FRAGS/MODE for
# the runs of scripts/kunit.sh -f FRAGS (fragments joined with "-"):
# those take the lines of MODE and the lines of FRAGS/MODE, which no
# other run takes; a line "FRAGS/MODE !CASE" takes MODE's line for CASE
# back in those runs (the fragment makes the case run).  Prints the cases
# that are not listed, each with its skip reason, and returns 1; returns
# 0 when there are none.
wb_kunit_skips()
{
	local mode=$1 ktap=$2 base=${1##*/} name why bad=()

	case " $WB_KUNIT_SKIP_MODES " in
	*" $base "*) ;;
	*) echo "wb_kunit_skips: mode '$base' unknown; valid: $WB_KUNIT_SKIP_MODES"
	   return 1 ;;
	esac
	[ -r "$WB_KUNIT_SKIPS" ] || {
		echo "no skip allow-list $WB_KUNIT_SKIPS"
		return 1
	}
	while read -r name why; do
		awk -v m="$mode" -v b="$base" -v c="$name" '
			($1 == b || $1 == m) && $2 == c { f = 1 }
			m != b && $1 == m && $2 == "!" c { no = 1 }
			END { exit !(f && !no) }' \
			"$WB_KUNIT_SKIPS" || bad+=("$name (${why:-no reason})")
	done < <(sed -n 's/^ \{1,\}ok [0-9]\{1,\} \([A-Za-z0-9_]\{1,\}\) # SKIP *\(.*\)$/\1 \2/p' \
		"$ktap")
	[ ${#bad[@]} -eq 0 ] && return 0
	echo "skipped, and not allowed to skip in mode $mode (scripts/kunit-skips): ${bad[*]}"
	return 1
}

# wb_meminit_counts LOG: "passed failed 0" from lib/test_meminit's verdict
# on the console LOG ("all N tests passed!" or "failures: F out of N"),
# or nothing when it printed none.
wb_meminit_counts()
{
	sed -n -e 's/.*test_meminit: all \([0-9]*\) tests passed!.*/\1 0 0/p' \
		-e 's/.*test_meminit: failures: \([0-9]*\) out of \([0-9]*\).*/\2 \1 -/p' \
		"$1" | head -n 1 | awk '$3 == "-" { $1 -= $2; $3 = 0 } { print }'
}
