#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/memcg.sh refuses bad parameters before any work, listing the
# valid ones; on a kernel base without failslab (-k debian) it refuses the
# runs that test only failslab, and it checks a kernel's configuration
# for what the kmem part needs.  (Its guest runs are make check-memcg.)

. "$(dirname "$0")/tap.sh"
m="$ROOT/scripts/memcg.sh"

echo "1..14"

"$m" -B -r "kmem sideways" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "run 'sideways' unknown; valid: kmem nokmem leak bootfs" "$T/out"
ok $? "an unknown run lists the valid ones"

"$m" -B -A slob >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "allocator 'slob' unknown; valid: slub_ll slub" "$T/out"
ok $? "an unknown allocator lists the valid ones"

"$m" -B -F 1,5,0 >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "wants <interval>,<probability>,<space>,<times>" "$T/out"
ok $? "a failslab= spec without four fields is refused"

"$m" -B -q >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "valid: -A -k -r -F -a -m -t -B -h" "$T/out"
ok $? "an unknown option lists the valid ones"

(cd "$ROOT" && timeout 20 make -s check-memcg MEMCG_RUNS=nonsense) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "run 'nonsense' unknown" "$T/out"
ok $? "make check-memcg MEMCG_RUNS=nonsense fails at once"

"$m" -B -k fedora >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "KBASE 'fedora' unknown; valid: allnoconfig debian" "$T/out"
ok $? "an unknown kernel base lists the valid ones"

(cd "$ROOT" && timeout 20 make -s check-memcg KBASE=nonsense) >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "KBASE 'nonsense' unknown; valid: allnoconfig debian" "$T/out"
ok $? "make check-memcg KBASE=nonsense fails at once"

# Debian's configuration stand-ins: without and with failslab.
printf 'CONFIG_MEMCG=y\n# CONFIG_FAULT_INJECTION is not set\n' | xz >"$T/nofs.xz"
printf 'CONFIG_MEMCG=y\nCONFIG_FAILSLAB=y\n' | xz >"$T/fs.xz"
DEBIAN_CONFIG=$T/nofs.xz KBUILD_DIR=$T/kbuild "$m" -B -k debian -r "kmem leak" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "run 'leak' tests failslab, which Debian's configuration lacks (FAILSLAB not set)" "$T/out"
ok $? "-k debian refuses the leak run before building: Debian has no failslab"

DEBIAN_CONFIG=$T/fs.xz KBUILD_DIR=$T/kbuild "$m" -B -k debian -r "kmem leak" >"$T/out" 2>&1
[ $? -ne 0 ] && ! grep -q "tests failslab" "$T/out" &&
	grep -q "no kernel image at $T/kbuild/debian-slub_ll/" "$T/out"
ok $? "-k debian takes the leak run where the configuration has failslab"

# A built kernel's .config: a scratch image with the options given.
kernel()
{
	local dir=$T/kbuild/$1

	shift
	mkdir -p "$dir/arch/x86/boot"
	: >"$dir/arch/x86/boot/bzImage"
	printf 'CONFIG_%s=y\n' "$@" >"$dir/.config"
}
key=base-slub_ll-memcg
# What the kmem part needs differs per tree: 6.1 has kernel memory
# accounting in MEMCG_KMEM and /proc/sys in PROC_SYSCTL, 7.3 has both
# in MEMCG and SYSCTL.  The refusal is checked on both trees.
kmem_needs()
{
	case $1 in
	6.1) echo "CGROUPS MEMCG MEMCG_KMEM SHMEM TMPFS PROC_SYSCTL" ;;
	*) echo "CGROUPS MEMCG SHMEM TMPFS PROC_FS SYSCTL" ;;
	esac
}
for v in 6.1 7.3; do
	case $v in 6.1) drop=MEMCG_KMEM ;; *) drop=SYSCTL ;; esac
	# shellcheck disable=SC2046
	kernel $key $(kmem_needs $v | sed "s/ $drop//")
	KVER=$v KBUILD_DIR=$T/kbuild "$m" -B -r kmem -t 1 >"$T/out" 2>&1
	[ $? -ne 0 ] && grep -q "$key lacks what the kmem part needs: $drop\$" "$T/out"
	ok $? "KVER=$v: a kernel without $drop is refused, naming it"
done

# shellcheck disable=SC2046
kernel $key $(kmem_needs "$KVER") DEBUG_FS
KBUILD_DIR=$T/kbuild "$m" -B -r "kmem bootfs" -t 1 >"$T/out" 2>&1
[ $? -ne 0 ] &&
	grep -q "run 'bootfs' tests failslab, which $key lacks (FAULT_INJECTION FAULT_INJECTION_DEBUG_FS FAILSLAB not set)" "$T/out"
ok $? "a kernel without failslab refuses the bootfs run, naming the options"

# The verdicts of a kmem run, from a stand-in QEMU that prints a console
# whose failslab checks are SKIP: right for a kernel without failslab,
# a failure for one with it.
# They need the extracted tree's gen_init_cpio.c (make check-workbench
# prepares it); without it they fail.
if [ ! -f "$KTREE/usr/gen_init_cpio.c" ]; then
	for t in "SKIP passes without failslab" "SKIP fails with failslab"; do
		echo "not ok $((n += 1)) - $t: cannot run, no $KTREE (make prepare)"
	done
	exit 1
fi
mkdir -p "$T/bin"
cat >"$T/bin/qemu-system-x86_64" <<'Q'
#!/bin/sh
echo "MEMCG-GUEST-UP kernel=stand-in"
for c in kmem-slab-rise kmem-slab-reclaimable-rise kmem-slab-unreclaimable-rise \
	kmem-current-covers-slab kmem-slab-falls-back kmem-limit-stops-task kmem-limit-hit; do
	echo "CHECK $c PASS stand-in"
done
echo "MEMCG-INIT-ALIVE pid=1"
echo "CHECK failslab-injected SKIP no failslab here"
echo "CHECK failslab-objects-back SKIP no failslab here"
echo "MEMCG-GUEST-DONE"
Q
chmod +x "$T/bin/qemu-system-x86_64"
fake_run()
{
	PATH=$T/bin:$PATH TREE=$KTREE WB_BUILD=$T/wb KBUILD_DIR=$T/kbuild \
		"$m" -B -r kmem -t 30 >"$T/out" 2>&1
}

# shellcheck disable=SC2046
kernel $key $(kmem_needs "$KVER") DEBUG_FS
fake_run
[ $? -eq 0 ] && grep -q "failslab checks SKIP: FAULT_INJECTION FAULT_INJECTION_DEBUG_FS FAILSLAB not set" "$T/out"
ok $? "failslab SKIP passes on a kernel without failslab, saying why"

# shellcheck disable=SC2046
kernel $key $(kmem_needs "$KVER") DEBUG_FS \
	FAULT_INJECTION FAULT_INJECTION_DEBUG_FS FAILSLAB
fake_run
[ $? -ne 0 ] && grep -q "check failslab-injected: SKIP, this run expects PASS" "$T/out"
ok $? "failslab SKIP fails the run on a kernel with failslab"

[ $failed -eq 0 ]
