#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The distribution base (KBASE=debian) and scripts/config-diff.sh: an
# unknown KBASE lists the valid ones (debian among them) in every script
# that takes one; config-diff refuses unknown names, fails on a pair that
# differs in an option beyond the allocator's own, naming it, and passes
# a pair that does not.  The pairs are configured only (no compiling), in
# a scratch build directory; they need the extracted tree of KVER (make
# prepare) and Debian's configuration of it, and fail without them.

. "$(dirname "$0")/tap.sh"

echo "1..8"

KBASE=nonsense "$ROOT/scripts/build.sh" slub >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown KBASE 'nonsense'; valid: allnoconfig defconfig debian" "$T/out"
ok $? "build.sh: an unknown KBASE lists the valid ones"

(cd "$ROOT" && timeout 20 make -s boot CONFIG=slub KBASE=nonsense) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown KBASE 'nonsense'; valid: .*debian" "$T/out"
ok $? "make boot KBASE=nonsense fails at once listing the valid ones"

"$ROOT/scripts/config-diff.sh" -k nonsense >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown KBASE 'nonsense'; valid: .*debian" "$T/out"
ok $? "config-diff.sh: an unknown KBASE lists the valid ones"

"$ROOT/scripts/config-diff.sh" slub nonsense >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown configuration 'nonsense'; valid: .*slub_ll" "$T/out"
ok $? "config-diff.sh: an unknown configuration lists the valid ones"

"$ROOT/scripts/config-diff.sh" -x >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "valid: -k -P -h" "$T/out"
ok $? "config-diff.sh: an unknown option lists the valid ones"

# Scratch configurations: "plain" is SLUB, "weaker" is SLUB with an option
# a drop-in must keep turned off.
mkdir -p "$T/frags" "$T/bench"
cp -r "$ROOT"/configs/. "$T/frags/"
printf '# CONFIG_SLAB_FREELIST_RANDOM is not set\n' >"$T/frags/weaker.config"
echo 'FRAGMENTS="base slub"' >"$T/bench/plain.conf"
echo 'FRAGMENTS="base slub weaker"' >"$T/bench/weaker.conf"
cdiff()
{
	CONFDIR=$T/bench CONFIGS_DIR=$T/frags KBUILD_DIR=$T/kbuild \
		"$ROOT/scripts/config-diff.sh" -P "$@" >"$T/out" 2>&1
}

# These need the extracted tree (make check-workbench prepares it) and
# Debian's configuration (make deps): without them they fail.
if [ ! -f "$KTREE/Makefile" ]; then
	for t in "a bad pair fails" "the option and its values" "a good pair passes"; do
		echo "not ok $((n += 1)) - config-diff $t: cannot run, no $KTREE (make prepare)"
	done
	exit 1
fi

cdiff plain weaker
[ $? -eq 1 ] &&
	grep -q "config-diff FAILED: plain and weaker differ in 1 option(s) beyond the allocator's own: SLAB_FREELIST_RANDOM" "$T/out"
ok $? "config-diff on a bad pair fails naming the option"

grep -q -E '^  SLAB_FREELIST_RANDOM +y +n$' "$T/out"
ok $? "config-diff prints the differing option with both values"

cdiff plain plain
[ $? -eq 0 ] && grep -q "(0 option(s) differ" "$T/out" &&
	grep -q "config-diff: passed" "$T/out"
ok $? "config-diff on an identical pair passes"

[ $failed -eq 0 ]
