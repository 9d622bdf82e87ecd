#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kasan.sh refuses bad parameters before any work, listing the
# valid ones, and -B takes only kernels of the KASAN mode asked for.  On
# a stand-in QEMU that prints canned consoles, the kasan suite's own
# skips (generic KASAN skips the tag-based cases) are not held against
# SLUB-LL's allow-list, and a SLUB-LL case that skips without leave
# fails.  (Its real guest runs are make check-kasan.)

. "$(dirname "$0")/tap.sh"
k="$ROOT/scripts/kasan.sh"

echo "1..12"

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

# Stand-in guests: the kasan boot runs the kasan suite (one case skipped
# as under generic KASAN) and, on SLUB-LL, its own two suites; the
# kfence boot the kfence suite.
fake "" OUTLINE
mkdir -p "$T/bin" "$T/wb/initramfs"
: >"$T/wb/initramfs/initramfs.cpio"
cat >"$T/bin/qemu-system-x86_64" <<'EOF'
#!/bin/bash
while [ $# -gt 0 ]; do
	case $1 in
	-kernel) kernel=$2; shift ;;
	-append) append=$2; shift ;;
	esac
	shift
done
suite()
{
	local name=$1 i=0 c

	shift
	echo "[    2.0]     KTAP version 1"
	echo "[    2.0]     # Subtest: $name"
	echo "[    2.0]     1..$#"
	for c in "$@"; do
		echo "[    2.0]     ok $((i += 1)) ${c/:/ # SKIP }"
	done
	echo "[    2.0] ok 1 $name"
}
echo "[    0.0] Linux version 6.1"
echo "[    0.1] KernelAddressSanitizer initialized (generic)"
echo "[    0.1] kfence: initialized - using 2097152 bytes for 255 objects"
case $append in
*kfence.sample_interval=0*)
	suite kasan kmalloc_oob_right \
		"match_all_not_assigned:Test requires CONFIG_KASAN_GENERIC=n"
	case $kernel in *slub_ll*)
		suite slub_ll sll_test_alloc_free \
			"${SLL_SKIP:-sll_test_merge:caches are not merged}"
		suite slub_ll_numa \
			"sll_numa_alloc_node:needs two online nodes or more" ;;
	esac ;;
*)
	suite kfence test_out_of_bounds_read ;;
esac
echo "WB-GUEST-DONE runs=1 errors=0"
EOF
chmod +x "$T/bin/qemu-system-x86_64"
PATH=$T/bin:$PATH kasan_b
[ $? -eq 0 ] && grep -q "SLUB-LL matches SLUB in the suites: kasan kfence slub_ll" "$T/out" &&
	grep -q -E '^kasan +slub_ll +1 +0 +1$' "$T/out"
ok $? "the kasan suite's own skips are only counted, not held against SLUB-LL"

SLL_SKIP="sll_test_bulk:no reason" PATH=$T/bin:$PATH kasan_b
[ $? -ne 0 ] &&
	grep -q "kasan suite on slub_ll FAILED: suite slub_ll: skipped, and not allowed to skip in mode kasan (scripts/kunit-skips): sll_test_bulk (no reason)" "$T/out"
ok $? "a SLUB-LL case that skips without leave fails the SLUB-LL boot"

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
