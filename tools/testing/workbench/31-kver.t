#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel trees (KVER): an unknown one fails at once, in the scripts and
# in make, listing the valid ones; each tree has its own directories,
# series and configurations (no SLAB on 7.3); the bench's table names the
# tree; the series generator writes trees/<ver>/<path> as <path>, and an
# empty series checks trivially, saying so.  No kernel is built.

. "$(dirname "$0")/tap.sh"

echo "1..13"

KVER=5.10 "$ROOT/scripts/prepare.sh" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown KVER '5.10'; valid: 6.1 7.3" "$T/out"
ok $? "prepare.sh: an unknown KVER fails listing the valid ones"

KVER=5.10 "$ROOT/scripts/patches/mkpatches.sh" --check >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown KVER '5.10'; valid: 6.1 7.3" "$T/out"
ok $? "mkpatches.sh: an unknown KVER fails listing the valid ones"

for target in bench prepare check-kunit; do
	(cd "$ROOT" && timeout 20 make -s "$target" KVER=5.10) >"$T/out" 2>&1
	[ $? -ne 0 ] && grep -q "unknown KVER '5.10'; valid: 6.1 7.3" "$T/out"
	ok $? "make $target KVER=5.10 fails at once listing the valid ones"
done

# kvar VER NAME: a variable of lib.sh for tree VER.
kvar()
{
	KVER=$1 bash -c '. "$0/scripts/lib.sh" && eval "echo \$$1"' "$ROOT" "$2"
}
[ "$(kvar 6.1 WB_KTREE)" = "$ROOT/build/linux" ] &&
	[ "$(kvar 6.1 WB_KBUILD)" = "$ROOT/build/kbuild" ] &&
	[ "$(kvar 6.1 WB_PATCHES)" = "$ROOT/patches/6.1" ] &&
	[ "$(kvar 7.3 WB_PATCHES)" = "$ROOT/patches/7.3" ] &&
	[ "$(kvar 7.3 WB_KTREE)" != "$(kvar 6.1 WB_KTREE)" ] &&
	[ "$(kvar 7.3 WB_KBUILD)" != "$(kvar 6.1 WB_KBUILD)" ] &&
	[ "$(env -u KVER bash -c '. "$0/scripts/lib.sh" && echo $WB_KVER' "$ROOT")" = 7.3 ]
ok $? "each tree has its own tree, build and series directories; 7.3 is the default"

[ "$(KVER=7.3 bash -c '. "$0/scripts/lib.sh" && wb_fragment slub' "$ROOT")" = \
	"$ROOT/configs/7.3/slub.config" ] &&
	[ "$(KVER=6.1 bash -c '. "$0/scripts/lib.sh" && wb_fragment slub' "$ROOT")" = \
	"$ROOT/configs/slub.config" ] &&
	[ "$(KVER=7.3 bash -c '. "$0/scripts/lib.sh" && wb_fragment base' "$ROOT")" = \
	"$ROOT/configs/base.config" ]
ok $? "a fragment of configs/7.3/ overrides configs/ on 7.3 only"

env -u CONFIGS_WALL -u CONFIGS_ICOUNT -u BASELINE KVER=7.3 \
	CONFIGS="slab slub" RESULTS="$T/results" \
	timeout 20 "$ROOT/scripts/bench.sh" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q "unknown configuration 'slab'" "$T/out" &&
	grep "unknown configuration 'slab'" "$T/out" | grep -qw slub &&
	! grep "unknown configuration 'slab'" "$T/out" | sed 's/.*valid//' |
		grep -qw slab
ok $? "CONFIGS=slab on 7.3 fails listing the valid configurations, without slab"

(cd "$ROOT" && timeout 20 make -s kernels KVER=7.3 CONFIGS=slab) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown configuration 'slab'" "$T/out"
ok $? "make kernels KVER=7.3 CONFIGS=slab fails at once"

# The bench over stand-in steps (no icount QEMU either, as on a machine
# whose deps ran without the bench): the tree reaches every step and the
# table names it.
steps=$T/steps
mkdir -p "$steps"
for s in deps prepare initramfs; do
	printf '#!/bin/sh\necho "%s KVER=$KVER" >>"$CALLS"\necho "$CALLS"\n' "$s" \
		>"$steps/$s.sh"
done
printf '#!/bin/sh\necho "build KVER=$KVER $*" >>"$CALLS"\necho /nonexistent/bzImage\n' \
	>"$steps/build.sh"
cat >"$steps/boot.sh" <<'S'
#!/bin/bash
while getopts "k:i:l:a:C:c:n:m:x:t:H:W:r:w:P:p" o; do
	case $o in l) log=$OPTARG ;; esac
done
echo '{"runs": [1.0], "clock": "icount shift=0"}' >"$log.json"
S
chmod +x "$steps"/*.sh
env -u CONFIGS_WALL -u CONFIGS_ICOUNT -u BASELINE -u AA -u HB -u CPU \
	KVER=7.3 CONFIGS=slub ROUNDS=1 RUNS=1 WARMUP=0 CLOCK=icount \
	STEPS_DIR="$steps" CALLS="$T/calls" TREE="$T/notree" \
	RESULTS="$T/results" WB_ATOMICS_DIR="$T/plugin" WB_ICOUNT_QEMU_DIR="$T/noqemu" \
	timeout 60 "$ROOT/scripts/bench.sh" >"$T/out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "^prepare KVER=7.3$" "$T/calls" &&
	grep -q "^build KVER=7.3 base slub$" "$T/calls"
ok $? "bench KVER=7.3 runs every step on the 7.3 tree (rc=$rc)"

grep -q "linux-source-7.3" "$T/out" && grep -q "patches/7.3" "$T/out" &&
	grep -q "KVER=7.3" "$T/out"
ok $? "the bench's table names the tree, its Debian package and its series"

# The generator: trees/<ver>/<path> is the kernel's <path>.
g=$T/gen
mkdir -p "$g/trees/7.3/mm" "$g/include/linux" "$g/src"
printf 'int tree_layer;\n' >"$g/trees/7.3/mm/layer.c"
printf '#define SHARED 1\n' >"$g/include/linux/shared.h"
printf '0001-mm-add-a-layer.patch: trees/7.3/mm/layer.c include/linux/shared.h\n' \
	>"$g/manifest"
cat >"$g/src/0001-mm-add-a-layer.patch" <<'P'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A U Thor <author@example.org>
Subject: [PATCH] mm: add a layer

Signed-off-by: A U Thor <author@example.org>
---
-- 
2.39.5

P
cat >"$g/src/0000-cover-letter.patch" <<'P'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
Subject: [PATCH 0/1] a layer

A U Thor (1):
P
python3 "$ROOT/scripts/patches/mkpatches-gen.py" "$g" "$g/manifest" \
	"$g/src" "$g/out" 7.3 >"$T/out" 2>&1 &&
	grep -q '^diff --git a/mm/layer.c b/mm/layer.c$' "$g/out/0001-mm-add-a-layer.patch" &&
	grep -q '^+++ b/include/linux/shared.h$' "$g/out/0001-mm-add-a-layer.patch" &&
	! grep -q 'trees/' "$g/out/0001-mm-add-a-layer.patch" "$g/out/0000-cover-letter.patch"
ok $? "the generator writes trees/7.3/mm/layer.c as mm/layer.c, other paths as they are"

# A tree whose manifest lists no patch: the workbench's scripts in a copy
# of the project with 7.3's manifest emptied.
e=$T/empty
mkdir -p "$e/patches/7.3"
: >"$e/patches/7.3/series"
cp -r "$ROOT/scripts" "$e/scripts"
grep '^#' "$ROOT/scripts/patches/manifest-7.3" >"$e/scripts/patches/manifest-7.3"
KVER=7.3 "$e/scripts/patches/mkpatches.sh" --check >"$T/out" 2>&1
[ $? -eq 0 ] && grep -q "empty series" "$T/out"
ok $? "mkpatches.sh --check on an empty series passes, saying it is empty"

[ $failed -eq 0 ]
