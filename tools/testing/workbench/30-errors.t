#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Error paths that need no kernel build: the quilt series on a scratch tree
# (a patch that does not apply is named and the tree left pristine, and the
# next run works), unknown configuration names and bad parameters.

. "$(dirname "$0")/tap.sh"

# A scratch "kernel tree": prepare.sh does not extract over a tree marked as
# extracted, so its quilt handling can be tested on three small files.
tree=$T/tree
mkdir -p "$tree/mm"
printf 'one\ntwo\nthree\n' >"$tree/mm/a.c"
printf 'alpha\nbeta\n' >"$tree/mm/b.c"
printf 'all:\n' >"$tree/Makefile"
touch "$tree/.wb-extracted"
pristine=$(cd "$tree" && find . -path ./.wb-stamp -prune -o -type f -print0 |
	sort -z | xargs -0 sha256sum | sha256sum)
tree_sum()
{
	(cd "$tree" && find . -path ./.wb-stamp -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum | sha256sum)
}

pd=$T/patches
mkdir -p "$pd"
cat >"$pd/0001-good.patch" <<'P'
Subject: good

--- a/mm/a.c
+++ b/mm/a.c
@@ -1,3 +1,3 @@
 one
-two
+TWO
 three
P
cat >"$pd/0002-good-too.patch" <<'P'
--- a/mm/b.c
+++ b/mm/b.c
@@ -1,2 +1,2 @@
-alpha
+ALPHA
 beta
P
cat >"$pd/0003-broken.patch" <<'P'
--- a/mm/a.c
+++ b/mm/a.c
@@ -1,3 +1,3 @@
 one
-zwei
+ZWEI
 three
P
prep()
{
	TREE=$tree PATCHES=$pd "$ROOT/scripts/prepare.sh" >"$T/out" 2>&1
}

echo "1..23"

rm -f "$pd/series"
prep
ok $? "missing series is an empty series"

printf '0001-good.patch\n0002-good-too.patch\n0003-broken.patch\n' >"$pd/series"
prep
rc=$?
[ $rc -ne 0 ] && grep -q "patch 0003-broken.patch does not apply" "$T/out"
ok $? "a patch that does not apply is named (rc=$rc)"

[ "$(tree_sum)" = "$pristine" ] && [ ! -e "$tree/.pc" ]
ok $? "the tree is left pristine after the failure"

printf '0001-good.patch\n0002-good-too.patch\n' >"$pd/series"
prep && grep -qx TWO "$tree/mm/a.c" && grep -qx ALPHA "$tree/mm/b.c"
ok $? "after removing the bad patch the next run applies the series"

touch -d '2001-01-01' "$tree/mm/a.c"
prep && grep -q "series unchanged" "$T/out" &&
	[ "$(stat -c %Y "$tree/mm/a.c")" = "$(date -d 2001-01-01 +%s)" ]
ok $? "an unchanged series touches nothing"

# Change one patch: the file it touches changes, the other keeps its mtime.
cp "$pd/0001-good.patch" "$T/0001.orig"
sed -i 's/^+TWO$/+DOS/' "$pd/0001-good.patch"
touch -d '2001-01-01' "$tree/mm/b.c"
prep && grep -qx DOS "$tree/mm/a.c" && grep -qx ALPHA "$tree/mm/b.c" &&
	[ "$(stat -c %Y "$tree/mm/b.c")" = "$(date -d 2001-01-01 +%s)" ] &&
	[ "$(stat -c %Y "$tree/mm/a.c")" != "$(date -d 2001-01-01 +%s)" ]
ok $? "a changed patch: unchanged files keep their mtime, changed ones not"
cp "$T/0001.orig" "$pd/0001-good.patch"

printf '0001-good.patch\n0002-good-too.patch\n0003-broken.patch\n' >"$pd/series"
prep
[ $? -ne 0 ] && grep -q 0003-broken.patch "$T/out" &&
	[ "$(tree_sum)" = "$pristine" ]
ok $? "a broken patch after applied ones: named, tree pristine"

printf '# comment only\n0002-good-too.patch\n' >"$pd/series"
prep && grep -qx two "$tree/mm/a.c" && grep -qx ALPHA "$tree/mm/b.c"
ok $? "a changed series replaces the applied one"

printf '0002-good-too.patch\n0009-missing.patch\n' >"$pd/series"
before=$(tree_sum)
prep
[ $? -ne 0 ] && grep -q "0009-missing.patch" "$T/out" &&
	[ "$(tree_sum)" = "$before" ]
ok $? "a series naming a missing file fails before touching the tree"

: >"$pd/series"
prep && [ "$(tree_sum)" = "$pristine" ]
ok $? "an empty series pops everything"

# Configuration names and parameters are checked before any work.
bench()
{
	env "$@" RESULTS="$T/results" timeout 20 "$ROOT/scripts/bench.sh" \
		>"$T/out" 2>&1
}
# The configurations of the tree the tests run on (KVER).
valid=$(bash -c '. "$0/scripts/lib.sh" && wb_conf_names' "$ROOT")

bench CONFIGS="slub nonsense"
[ $? -eq 1 ] && grep -q "unknown configuration 'nonsense'" "$T/out" &&
	(for v in $valid; do grep -qw -- "$v" "$T/out" || exit 1; done)
ok $? "unknown configuration fails listing the valid ones"

(cd "$ROOT" && timeout 20 make -s bench CONFIGS=nonsense) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "valid: .*slub" "$T/out"
ok $? "make bench CONFIGS=nonsense fails at once"

bench CONFIGS="slub slub_ll" BASELINE=slub-nocx16
[ $? -eq 1 ] && grep -q "BASELINE 'slub-nocx16' is not among" "$T/out"
ok $? "a baseline outside CONFIGS is refused"

bench CONFIGS=slub ROUNDS=0
[ $? -eq 1 ] && grep -q "ROUNDS must be a positive integer" "$T/out"
ok $? "ROUNDS=0 is refused"

bench CONFIGS=slub ACCEL=hvf
[ $? -eq 1 ] && grep -q "valid: auto kvm tcg" "$T/out"
ok $? "an unknown accelerator lists the valid ones"

bench CONFIGS=slub CLOCK=sundial
[ $? -eq 1 ] && grep -q "CLOCK 'sundial' unknown; valid: auto wall icount" "$T/out"
ok $? "an unknown clock lists the valid ones"

bench CONFIGS=slub WORKLOAD=kernbench
[ $? -eq 1 ] && grep -q "WORKLOAD 'kernbench' unknown; valid: hackbench hackbench-thread hackbench-pipe forkexec caches" "$T/out"
ok $? "an unknown workload lists the valid ones"

bench CONFIGS=slub WORKLOAD=hackbench-pipe WARGS="-n 5"
[ $? -eq 1 ] && grep -q "WARGS is for forkexec and caches; hackbench's arguments are HB" "$T/out"
ok $? "WARGS with a hackbench workload is refused"

bench CONFIGS=slub WORKLOAD=forkexec WARGS="-n 5,6"
[ $? -eq 1 ] && grep -q "may not contain commas: '-n 5,6'" "$T/out"
ok $? "a workload's arguments with commas are refused"

(cd "$ROOT" && timeout 20 make -s check-allocprof KVER=6.1) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "6.1 has no memory allocation profiling; use KVER=7.3" "$T/out"
ok $? "make check-allocprof KVER=6.1 fails at once, saying why"

bench CONFIGS=slub CLOCK=icount ACCEL=kvm
[ $? -eq 1 ] && grep -q "CLOCK=icount runs guests under TCG" "$T/out"
ok $? "CLOCK=icount with ACCEL=kvm is refused with the reason"

# make check: a part that cannot run fails, it is not skipped.  The
# Makefile alone in a scratch directory has neither the user-space
# harness nor scripts/patches/mkpatches.sh.
mkdir -p "$T/bare"
cp "$ROOT/Makefile" "$T/bare/"
for part in slub_ll patches; do
	make -s -C "$T/bare" check-$part >"$T/out" 2>&1
	[ $? -ne 0 ] && grep -q "check-$part cannot run" "$T/out"
	ok $? "make check-$part without its files fails, saying why"
done

[ $failed -eq 0 ]
