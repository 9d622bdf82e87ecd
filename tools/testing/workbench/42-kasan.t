#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/kasan.sh refuses bad parameters before any work, listing the
# valid ones, and -B takes only kernels of the KASAN mode asked for.  On
# a stand-in QEMU that prints canned consoles, the kasan suite's own
# skips (generic KASAN skips the tag-based cases) are not held against
# SLUB-LL's allow-list, a SLUB-LL case that skips without leave fails,
# and so does a kasan or kfence case that fails on SLUB-LL only.  The
# initfree verdict on canned consoles: the kfence suite is counted in the
# boot with KFENCE sampling, test_meminit and the maple tree's test line
# (7.3's initfree fragment builds lib/test_maple_tree in) in the boot
# without; the maple tree's line must be on both allocators' consoles,
# complete and equal -- one failed test, a missing line, other numbers
# or a kernel without the test each fail -- and 6.1's fragment, without
# the test, does not ask for the line; a failing kfence case or a
# test_meminit failure fails too.  (The real guest runs are make
# check-kasan and make check-initfree.)

. "$(dirname "$0")/tap.sh"
k="$ROOT/scripts/kasan.sh"

echo "1..27"

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
# suite NAME CASE...: a KTAP suite; CASE "name:reason" skips, "!name"
# fails (and so does the suite).
suite()
{
	local name=$1 i=0 c res=ok

	shift
	echo "[    2.0]     KTAP version 1"
	echo "[    2.0]     # Subtest: $name"
	echo "[    2.0]     1..$#"
	for c in "$@"; do
		case $c in
		!*) echo "[    2.0]     not ok $((i += 1)) ${c#!}"; res="not ok" ;;
		*) echo "[    2.0]     ok $((i += 1)) ${c/:/ # SKIP }" ;;
		esac
	done
	echo "[    2.0] $res 1 $name"
}
# what the allocator of this kernel prints: VAR_SLUB or VAR_LL
of()
{
	local v
	case $kernel in *slub_ll*) v=${1}_LL ;; *) v=${1}_SLUB ;; esac
	echo "${!v:-$2}"
}
echo "[    0.0] Linux version 6.1"
case $append in *init_on_free=1*) ;; *)
echo "[    0.1] KernelAddressSanitizer initialized (generic)" ;;
esac
echo "[    0.1] kfence: initialized - using 2097152 bytes for 255 objects"
case $append in
*init_on_free=1*kfence.sample_interval=0*)
	# KFENCE off: the kfence suite fails whole, and is not counted here
	[ "$(of MAPLE)" = none ] || {
		echo "[    1.0] "
		echo "[    1.0] TEST STARTING"
		echo "[    1.0] "
		of MAPLE_BUG "" | sed 's/^./[    1.5] &/'
		echo "[    1.9] maple_tree: $(of MAPLE "3807 of 3807") tests passed"
	}
	echo "[    1.9] test_meminit: $(of MEMINIT "all 131 tests passed!")"
	suite kfence !test_out_of_bounds_read !test_use_after_free_read ;;
*kfence.sample_interval=0*)
	suite kasan kmalloc_oob_right $(of KASAN kmalloc_oob_left) \
		"match_all_not_assigned:Test requires CONFIG_KASAN_GENERIC=n"
	case $kernel in *slub_ll*)
		suite slub_ll sll_test_alloc_free \
			"${SLL_SKIP:-sll_test_merge:caches are not merged}"
		suite slub_ll_numa \
			"sll_numa_alloc_node:needs two online nodes or more" ;;
	esac ;;
*init_on_free=1*)
	# KFENCE sampling: test_meminit meets KFENCE's canaries at random
	# and is not counted here; nor is the maple tree's line
	echo "[    1.9] maple_tree: 3806 of 3807 tests passed"
	echo "[    1.9] test_meminit: failures: 7 out of 131"
	suite kfence test_out_of_bounds_read $(of KFENCE test_use_after_free_read) ;;
*)
	suite kfence test_out_of_bounds_read $(of KFENCE test_use_after_free_read) ;;
esac
echo "WB-GUEST-DONE runs=1 errors=0"
EOF
chmod +x "$T/bin/qemu-system-x86_64"
PATH=$T/bin:$PATH kasan_b
[ $? -eq 0 ] && grep -q "SLUB-LL matches SLUB in the suites: kasan kfence slub_ll" "$T/out" &&
	grep -q -E '^kasan +slub_ll +2 +0 +1$' "$T/out"
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

# A kasan or kfence case that fails on SLUB-LL only.
KASAN_LL='!kmalloc_oob_left' PATH=$T/bin:$PATH kasan_b
[ $? -ne 0 ] && grep -q "kasan.sh: kasan (slub: 2 0 1, slub_ll: 1 1 1) kasan fails on SLUB-LL only: kmalloc_oob_left$" "$T/out"
ok $? "a kasan case failing on SLUB-LL only fails the comparison"

KFENCE_LL='!test_use_after_free_read' PATH=$T/bin:$PATH kasan_b
[ $? -ne 0 ] && grep -q "kfence (slub: 2 0 0, slub_ll: 1 1 0) kfence fails on SLUB-LL only: test_use_after_free_read$" "$T/out"
ok $? "a kfence case failing on SLUB-LL only fails the comparison"

# A case that fails on SLUB as well (7.3's kasan_strings in this
# configuration) is the tree's: named, and the counts still compared.
KASAN_SLUB='!kasan_strings' KASAN_LL='!kasan_strings' PATH=$T/bin:$PATH kasan_b
[ $? -eq 0 ] && grep -q "failing on SLUB as on SLUB-LL (the tree's, not counted against SLUB-LL): kasan:kasan_strings$" "$T/out" &&
	grep -q -E '^kasan +slub_ll +1 +1 +1$' "$T/out"
ok $? "a kasan case failing on both allocators is named, not held against SLUB-LL"

KASAN_SLUB='!kasan_strings' KASAN_LL='!kasan_memchr' PATH=$T/bin:$PATH kasan_b
[ $? -ne 0 ] && grep -q "kasan.sh: kasan fails on SLUB-LL only: kasan_memchr$" "$T/out"
ok $? "equal counts, other failing cases: SLUB-LL's own failure fails"

# -m initfree on stand-in kernels with test_meminit and the maple tree
# test, on 7.3 (its initfree fragment asks for the maple tree test).
for dir in base-slub-initfree base-slub_ll-initfree; do
	printf 'CONFIG_KFENCE=y\nCONFIG_TEST_MEMINIT=y\nCONFIG_TEST_MAPLE_TREE=y\n' \
		>"$T/kbuild/$dir/.config"
done
initfree()
{
	KVER=7.3 PATH=$T/bin:$PATH kasan_b -m initfree
}
initfree
[ $? -eq 0 ] && grep -q "SLUB-LL matches SLUB in the suites: kfence meminit maple" "$T/out" &&
	grep -q -E '^maple +slub +3807 +0 +0$' "$T/out" &&
	grep -q -E '^maple +slub_ll +3807 +0 +0$' "$T/out" &&
	grep -q -E '^meminit +slub_ll +131 +0 +0$' "$T/out"
ok $? "initfree on 7.3: the maple tree line counted on both (not the sampling boot's test_meminit)"

MAPLE_LL="3806 of 3807" MAPLE_BUG_LL="BUG at check_ranges:1234 (1)
Pass: 2900 Run:2901" initfree
[ $? -ne 0 ] && grep -q "kasan.sh: maple (slub: 3807 0 0, slub_ll: 3806 1 0) maple has 1 failing case(s) on SLUB-LL (BUG at check_ranges:1234 (1))" "$T/out"
ok $? "one maple tree test failing on SLUB-LL fails, naming the test's line"

MAPLE_LL=none initfree
[ $? -ne 0 ] && grep -q 'meminit suite on slub_ll FAILED: lib/test_maple_tree printed no verdict (no "maple_tree: N of N tests passed" line)' "$T/out"
ok $? "no maple tree line on SLUB-LL fails its boot"

MAPLE_SLUB=none initfree
[ $? -ne 0 ] && grep -q 'meminit suite on slub FAILED: lib/test_maple_tree printed no verdict' "$T/out"
ok $? "no maple tree line on SLUB fails too"

MAPLE_LL="3700 of 3700" initfree
[ $? -ne 0 ] && grep -q "kasan.sh: maple (slub: 3807 0 0, slub_ll: 3700 0 0)$" "$T/out"
ok $? "fewer maple tree tests run on SLUB-LL, all passed: still a failure"

MAPLE_SLUB="3806 of 3807" MAPLE_LL="3806 of 3807" initfree
[ $? -ne 0 ] && grep -q "maple has 1 failing case(s) on SLUB-LL maple has 1 failing case(s) on SLUB" "$T/out"
ok $? "the same maple tree failure on both allocators fails (complete on both)"

MAPLE_LL="0 of 0" MAPLE_SLUB="0 of 0" initfree
[ $? -ne 0 ] && grep -q "meminit suite on slub FAILED: lib/test_maple_tree ran no test (maple_tree: 0 of 0 tests passed)" "$T/out"
ok $? "a maple tree test that ran nothing fails"

MEMINIT_LL="failures: 2 out of 131" initfree
[ $? -ne 0 ] && grep -q "kasan.sh: meminit (slub: 131 0 0, slub_ll: 129 2 0) meminit has 2 failing case(s) on SLUB-LL" "$T/out"
ok $? "a test_meminit failure on SLUB-LL fails"

KFENCE_LL='!test_use_after_free_read' initfree
[ $? -ne 0 ] && grep -q "kfence fails on SLUB-LL only: test_use_after_free_read" "$T/out"
ok $? "a kfence case failing on SLUB-LL under init_on_free fails"

sed -i '/MAPLE/d' "$T/kbuild/base-slub_ll-initfree/.config"
initfree
[ $? -ne 0 ] && grep -q "base-slub_ll-initfree has no maple tree test (no CONFIG_TEST_MAPLE_TREE=y in its .config; $ROOT/configs/7.3/initfree.config asks for it)" "$T/out"
ok $? "-B -m initfree on 7.3 refuses a kernel without the maple tree test"

# 6.1's initfree fragment has no maple tree test: no line is asked for.
MAPLE_SLUB=none MAPLE_LL=none KVER=6.1 PATH=$T/bin:$PATH kasan_b -m initfree
[ $? -eq 0 ] && grep -q "SLUB-LL matches SLUB in the suites: kfence meminit (" "$T/out" &&
	! grep -q "^maple" "$T/out"
ok $? "initfree on 6.1 counts kfence and meminit only"

[ $failed -eq 0 ]
