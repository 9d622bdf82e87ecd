#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kasan.sh refuses bad parameters before any work, listing the
# valid ones, and -B takes only kernels of the KASAN mode asked for.
# (Its guest runs are make check-kasan.)

. "$(dirname "$0")/tap.sh"
k="$ROOT/scripts/kasan.sh"

echo "1..10"

"$k" -B -m sideways >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "KASAN mode 'sideways' unknown; valid: outline inline initfree" "$T/out"
ok $? "an unknown KASAN mode lists the valid ones"

"$k" -B -q >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "unknown option -q; valid: -m -a -t -B -h" "$T/out"
ok $? "an unknown option lists the valid ones"

(cd "$ROOT" && timeout 20 make -s check-kasan KASAN_MODE=nonsense) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "KASAN mode 'nonsense' unknown; valid: outline inline initfree" "$T/out"
ok $? "make check-kasan KASAN_MODE=nonsense fails at once"

# Scratch "kernels": an empty bzImage and a .config with one KASAN mode,
# under the build directory names of the other mode or of their own.
fake()
{
	local dir

	for dir in base-slub-kasan$1 base-slub_ll-kunit-kasan$1; do
		mkdir -p "$T/kbuild/$dir/arch/x86/boot"
		: >"$T/kbuild/$dir/arch/x86/boot/bzImage"
		echo "CONFIG_KASAN_$2=y" >"$T/kbuild/$dir/.config"
	done
}
kasan_b()
{
	KBUILD_DIR=$T/kbuild WB_BUILD=$T/wb "$k" -B "$@" >"$T/out" 2>&1
}

fake -kasan-inline OUTLINE
kasan_b -m inline
[ $? -ne 0 ] && grep -q "base-slub-kasan-kasan-inline is not a KASAN inline kernel (no CONFIG_KASAN_INLINE=y" "$T/out"
ok $? "-B -m inline refuses an outline kernel in the inline build directory"

fake -kasan-inline INLINE
kasan_b -m inline
[ $? -ne 0 ] && ! grep -q "not a KASAN" "$T/out" &&
	grep -q "no initramfs at $T/wb/initramfs/initramfs.cpio" "$T/out"
ok $? "-B -m inline takes inline kernels (and stops at the missing initramfs)"

fake "" INLINE
kasan_b
[ $? -ne 0 ] && grep -q "base-slub-kasan is not a KASAN outline kernel" "$T/out"
ok $? "-B (outline, the default) refuses an inline kernel"

# -m initfree: its own kernels, told apart by their test_meminit.
for dir in base-slub-initfree base-slub_ll-initfree; do
	mkdir -p "$T/kbuild/$dir/arch/x86/boot"
	: >"$T/kbuild/$dir/arch/x86/boot/bzImage"
	echo "CONFIG_KFENCE=y" >"$T/kbuild/$dir/.config"
done
kasan_b -m initfree
[ $? -ne 0 ] && grep -q "base-slub-initfree is not an initfree kernel (no CONFIG_TEST_MEMINIT=y" "$T/out"
ok $? "-B -m initfree refuses a kernel without test_meminit"

# test_meminit's verdict, read from a console.
. "$ROOT/scripts/lib.sh"
printf '[    2.5] test_meminit: failures: 34 out of 131\r\n' >"$T/m"
[ "$(wb_meminit_counts "$T/m")" = "97 34 0" ]
ok $? "test_meminit's failures are counted as failed cases"
printf 'x\n[    2.5] test_meminit: all 131 tests passed!\n' >"$T/m"
[ "$(wb_meminit_counts "$T/m")" = "131 0 0" ]
ok $? "test_meminit's all-passed line is counted"
printf '[    2.5] test_meminit: all 20 tests in test_kmemcache passed\n' >"$T/m"
[ -z "$(wb_meminit_counts "$T/m")" ]
ok $? "no overall verdict from test_meminit: no counts"

[ $failed -eq 0 ]
