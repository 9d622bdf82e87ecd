#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# config-diff.sh - is one allocator a drop-in for another in a configuration?
#
#   scripts/config-diff.sh [options] [A B]
#     A B         bench configurations (configs/bench/<name>.conf), default
#                 slub slub_ll
#     -k KBASE    configuration base as for scripts/build.sh (default debian)
#     -P          skip the probe (see below)
#     -h          this help
#   Environment: KVER, TREE, KBUILD_DIR, CONFIGS_DIR as for scripts/build.sh,
#                CONFDIR (default configs/bench).
#
# Configures (scripts/build.sh, CONFIGURE_ONLY=1, no compiling) KBASE with
# the fragments of A and of B and prints every option whose value differs
# in the two .config files.  An option is y, m, a value, "n" (offered but
# off: "# ... is not set") or "-" (not offered: absent); n and - differ, so
# an option that is off in KBASE but can no longer be chosen shows up.
# Only the allocator choice and the allocators' own options may differ:
# SLAB, SLUB, SLOB, SLUB_*, SLUB_LL_*, and two that follow from SLUB_DEBUG
# (it selects STACKDEPOT; UNWINDER_GUESS is offered only without it).
# Anything else fails, naming the options, those that must stay selectable
# for a drop-in first: MEMCG_KMEM, KASAN, KFENCE, FAILSLAB,
# SLAB_FREELIST_HARDENED, SLAB_FREELIST_RANDOM, SLAB_MERGE_DEFAULT.
#
# The probe: options KBASE leaves off cannot differ in value, so each of
# A and B is configured once more with configs/drop-in-probe.config, which
# turns on KASAN, KFENCE and FAILSLAB; the probe fails naming the options
# either side does not take.

set -eu -o pipefail
. "$(dirname "$0")/lib.sh"

KBASE=debian
PROBE=1
CONFDIR=${CONFDIR:-$WB_ROOT/configs/bench}
WATCHED="MEMCG_KMEM KASAN KFENCE FAILSLAB SLAB_FREELIST_HARDENED
SLAB_FREELIST_RANDOM SLAB_MERGE_DEFAULT HAVE_ARCH_KASAN"
ALLOWED='^(SLAB|SLUB|SLOB|SLUB_.*|STACKDEPOT|UNWINDER_GUESS)$'

opt()
{
	case $1 in
	k) KBASE=$2 ;;
	P) PROBE=0 ;;
	esac
}

wb_opts -a "k:Ph" opt "$@"
set -- ${WB_ARGS[@]+"${WB_ARGS[@]}"}
case $# in
0) set -- slub slub_ll ;;
2) ;;
*) wb_die "config-diff.sh: two configurations expected; valid: $(wb_conf_names)" ;;
esac
case " $WB_KBASES " in
*" $KBASE "*) ;;
*) wb_die "unknown KBASE '$KBASE'; valid: $WB_KBASES" ;;
esac
for n in "$@"; do
	wb_conf_check "$n"
done

fragments()
{
	# shellcheck disable=SC1090
	(FRAGMENTS=; . "$CONFDIR/$1.conf"; echo "$FRAGMENTS")
}

# configure NAME [EXTRA-FRAGMENT]: print the .config path.
configure()
{
	# shellcheck disable=SC2046
	CONFIGURE_ONLY=1 KBASE=$KBASE "$WB_ROOT/scripts/build.sh" \
		$(fragments "$1") ${2:+"$2"} | tail -n 1
}

# "NAME VALUE" per option: y, m, a value, n (is not set).
values()
{
	sed -n -e 's/^CONFIG_\([A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	       -e 's/^# CONFIG_\([A-Za-z0-9_]*\) is not set$/\1 n/p' "$1" |
		sort
}

"$WB_ROOT/scripts/prepare.sh" >&2
a=$1 b=$2
ca=$(configure "$a")
cb=$(configure "$b")
values "$ca" >"$ca.values"
values "$cb" >"$cb.values"

# Every option of either side, with both values ("-" where absent).
join -a 1 -a 2 -e - -o 0,1.2,2.2 "$ca.values" "$cb.values" >"$cb.join"
awk '$2 != $3' "$cb.join" >"$cb.diff"

echo "config-diff: KVER=$WB_KVER, KBASE=$KBASE, $a ($ca) against $b ($cb)"
printf '  %-28s %-14s %s\n' option "$a" "$b"
awk '{ printf "  %-28s %-14s %s\n", $1, $2, $3 }' "$cb.diff"
echo "  ($(wc -l <"$cb.diff") option(s) differ; - = not offered," \
	"n = offered, off)"
echo "watched options:"
for o in $WATCHED; do
	awk -v o="$o" '$1 == o { printf "  %-28s %-14s %s\n", $1, $2, $3; f = 1 }
		END { if (!f) printf "  %-28s %-14s %s\n", o, "-", "-" }' "$cb.join"
done

bad=()
for o in $WATCHED; do
	awk -v o="$o" '$1 == o { f = 1 } END { exit !f }' "$cb.diff" &&
		bad+=("$o")
done
while read -r o _; do
	case " ${bad[*]} " in *" $o "*) continue ;; esac
	[[ $o =~ $ALLOWED ]] || bad+=("$o")
done <"$cb.diff"

probe_bad=()
if [ "$PROBE" = 1 ]; then
	for n in "$a" "$b"; do
		if ! out=$(configure "$n" drop-in-probe 2>&1); then
			probe_bad+=("$n: $(echo "$out" |
				sed -n 's/^  CONFIG_\([A-Za-z0-9_]*\) (asked.*/\1/p' |
				tr '\n' ' ')")
		fi
	done
	if [ ${#probe_bad[@]} -eq 0 ]; then
		echo "probe: KASAN, KFENCE, FAILSLAB can be turned on with $a and with $b"
	fi
fi

if [ ${#bad[@]} -gt 0 ] || [ ${#probe_bad[@]} -gt 0 ]; then
	[ ${#bad[@]} -gt 0 ] &&
		echo "config-diff FAILED: $a and $b differ in ${#bad[@]} option(s)" \
			"beyond the allocator's own: ${bad[*]}" >&2
	for p in ${probe_bad[@]+"${probe_bad[@]}"}; do
		echo "config-diff FAILED: probe: not taken by $p" >&2
	done
	exit 1
fi
echo "config-diff: passed: only the allocator's own options differ"
