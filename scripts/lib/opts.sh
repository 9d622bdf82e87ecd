# SPDX-License-Identifier: GPL-2.0
# Options, usage and the accelerator of the workbench scripts (sourced by
# scripts/lib.sh).

# The script running, for messages.
WB_PROG=${0##*/}

# wb_usage: the usage of the calling script, from its header comment:
# the first two paragraphs after the SPDX line (what it does, then its
# synopsis and options).
wb_usage()
{
	awk 'NR < 3 { next }
	     !/^#/ { exit }
	     { sub(/^# ?/, "") }
	     $0 == "" { if (seen && ++gaps == 2) exit; if (seen) print; next }
	     { seen = 1; print }' "$0"
}

# wb_die_usage MESSAGE: "error: PROG: MESSAGE" and exit WB_USAGE_RC (1).
wb_die_usage()
{
	printf 'error: %s: %s\n' "$WB_PROG" "$*" >&2
	exit "${WB_USAGE_RC:-1}"
}

# wb_opts [-a] SPEC HANDLER ARG...: parse the calling script's options.
# SPEC is getopts' (each option letter, ":" after one that takes a value);
# HANDLER LETTER VALUE is called for each option, so that a script keeps
# only its own table.  -h (where SPEC has it) prints the usage and exits
# 0; an unknown option, or one without its value, prints the usage and
# fails naming the valid ones.  What follows the options is left in
# WB_ARGS; without -a there may be nothing.
wb_opts()
{
	local any=0 spec fn opt valid OPTIND=1 OPTARG

	[ "$1" = -a ] && { any=1; shift; }
	spec=$1 fn=$2
	shift 2
	valid=$(printf '%s' "$spec" | sed 's/://g; s/./-& /g; s/ $//')
	while getopts ":$spec" opt; do
		case $opt in
		h) wb_usage; exit 0 ;;
		:) wb_usage >&2
		   wb_die_usage "option -$OPTARG needs a value" ;;
		'?') wb_usage >&2
		   wb_die_usage "unknown option -$OPTARG; valid: $valid" ;;
		*) "$fn" "$opt" "${OPTARG:-}" ;;
		esac
	done
	shift $((OPTIND - 1))
	WB_ARGS=("$@")
	[ $any = 1 ] || [ $# -eq 0 ] ||
		wb_die_usage "unexpected argument '$1'; valid options: $valid"
}

# wb_number NAME VALUE [0]: VALUE must be a positive integer (with 0:
# 0 or more); fails naming NAME otherwise.
wb_number()
{
	case $2 in
	'' | *[!0-9]*) ;;
	0*) [ "${3:-}" = 0 ] && [ "$2" = 0 ] && return 0 ;;
	*) return 0 ;;
	esac
	if [ "${3:-}" = 0 ]; then
		wb_die "$WB_PROG: $1 must be 0 or more, not '$2'"
	fi
	wb_die "$WB_PROG: $1 must be a positive integer, not '$2'"
}

# The accelerators a script takes: kvm and tcg; "auto" where the script
# can boot a probe guest (bench.sh, boot-config.sh set it).
WB_ACCELS=${WB_ACCELS:-kvm tcg}

# wb_accel WANT [KERNEL INITRD PROBELOG]: the accelerator.  WANT must be
# one of WB_ACCELS.  kvm and tcg are taken as given; auto becomes kvm
# only when a probe boot of KERNEL and INITRD under KVM reaches /init
# within PROBE_TIMEOUT (30) seconds, with VCPUS and MEM (an open
# /dev/kvm alone proves nothing: a nested hypervisor may hang the guest;
# the probe's console goes to PROBELOG); without KERNEL, auto is only
# checked.  Sets WB_ACCEL (kvm, tcg, or auto still to probe) and
# WB_ACCEL_ARG, QEMU's -accel (kvm, or tcg,thread=multi).
wb_accel()
{
	local want=$1 timeout=${PROBE_TIMEOUT:-30}

	case " $WB_ACCELS " in
	*" $want "*) ;;
	*) wb_die "$WB_PROG: accelerator '$want' unknown; valid: $WB_ACCELS" ;;
	esac
	WB_ACCEL=$want
	if [ "$want" = auto ] && [ $# -ge 4 ]; then
		WB_ACCEL=tcg
		if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
			wb_log boot "/dev/kvm not usable"
		else
			wb_log boot "probing KVM (a guest must reach /init" \
				"within ${timeout}s)"
			if "$WB_ROOT/scripts/boot.sh" -p -a kvm -k "$2" -i "$3" \
				-n "$VCPUS" -m "$MEM" -c max -t "$timeout" \
				-l "$4" 2>/dev/null; then
				WB_ACCEL=kvm
			else
				wb_log boot "KVM probe failed (log: $4)"
			fi
		fi
	fi
	case $WB_ACCEL in
	kvm) WB_ACCEL_ARG=kvm ;;
	tcg) WB_ACCEL_ARG=tcg,thread=multi ;;
	*) WB_ACCEL_ARG= ;;
	esac
}
