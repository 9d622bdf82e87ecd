#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh FRAGMENT... - build a kernel from configs/<FRAGMENT>.config files.
#
# Out of tree, in build/kbuild/<key> where <key> names the fragments, so
# configurations that differ only in CPU model or command line share a build.
# The configuration is a base plus the fragments; every option a fragment
# asks for is checked in the result.  A build whose tree stamp and merged
# configuration are unchanged is not touched.  Prints the bzImage path.
#
# Environment: TREE (default build/linux), JOBS (default 2),
#              CONFIGS_DIR (default configs), KBUILD_DIR (default build/kbuild)
#              KBASE: allnoconfig (default, the bench kernels), defconfig
#                (x86_64_defconfig + kvm_guest.config, key "defconfig-<key>")
#                or debian (Debian's own amd64 configuration from
#                linux-config-6.1 + configs/debian.config, key "debian-<key>";
#                the fragment "base", the bench's allnoconfig base, is left
#                out: Debian has all it asks for but MODULES=n, which would
#                build every Debian module into the bzImage)
#              DEBIAN_CONFIG: Debian's configuration (default
#                /usr/src/linux-config-6.1/config.amd64_none_amd64.xz)
#              CONFIGURE_ONLY=1: stop after the configuration is checked and
#                print the .config path instead

set -eu
. "$(dirname "$0")/lib.sh"

TREE=$(realpath -m "${TREE:-$WB_BUILD/linux}")
JOBS=${JOBS:-2}
CONFIGS_DIR=${CONFIGS_DIR:-$WB_ROOT/configs}
KBUILD_DIR=${KBUILD_DIR:-$WB_BUILD/kbuild}
KBASE=${KBASE:-allnoconfig}
CONFIGURE_ONLY=${CONFIGURE_ONLY:-0}

DEBIAN_CONFIG=${DEBIAN_CONFIG:-/usr/src/linux-config-6.1/config.amd64_none_amd64.xz}

case $KBASE in
allnoconfig | defconfig) ;;
debian)
	[ -r "$DEBIAN_CONFIG" ] || wb_die "KBASE=debian: no $DEBIAN_CONFIG" \
		"(Debian package linux-config-6.1)"
	# The bench base is replaced by Debian's; its own tweaks go last.
	args=()
	for f in "$@"; do
		[ "$f" = base ] || args+=("$f")
	done
	[ ${#args[@]} -gt 0 ] || wb_die "KBASE=debian: no fragment but base"
	set -- "${args[@]}"
	;;
*) wb_die "unknown KBASE '$KBASE'; valid: $WB_KBASES" ;;
esac

[ $# -gt 0 ] || wb_die "usage: build.sh FRAGMENT... (from $CONFIGS_DIR)"
[ -f "$TREE/Makefile" ] || wb_die "no kernel tree at $TREE (run scripts/prepare.sh)"

frags=()
for f in "$@"; do
	if [ ! -f "$CONFIGS_DIR/$f.config" ]; then
		wb_die "unknown config fragment '$f'; valid: $(cd "$CONFIGS_DIR" &&
			ls *.config | sed 's/\.config$//' | tr '\n' ' ')"
	fi
	frags+=("$CONFIGS_DIR/$f.config")
done
[ "$KBASE" = debian ] && frags+=("$CONFIGS_DIR/debian.config")

key=$(IFS=-; echo "$*")
[ "$KBASE" = allnoconfig ] || key=$KBASE-$key
out=$KBUILD_DIR/$key
image=$out/arch/x86/boot/bzImage
mkdir -p "$out"

# Options the fragments ask for, last one wins: "NAME VALUE" ("n" = unset).
wanted_options()
{
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$@" |
		awk '{ v[$1] = $2; if (!($1 in o)) { o[$1] = n++; k[n - 1] = $1 } }
		     END { for (i = 0; i < n; i++) print k[i], v[k[i]] }'
}

# Fail naming every option the final .config does not have as asked.
verify_config()
{
	local name want got bad=()

	while read -r name want; do
		got=$(sed -n -e "s/^$name=\(.*\)$/\1/p" "$out/.config")
		[ -z "$got" ] && got=n
		[ "$got" = "$want" ] || bad+=("$name (asked $want, got $got)")
	done < <(wanted_options "${frags[@]}")
	if [ ${#bad[@]} -gt 0 ]; then
		printf '  %s\n' "${bad[@]}" >&2
		wb_die "config $key: ${#bad[@]} option(s) asked by the fragments are not set" \
			"(missing dependency or unknown symbol)"
	fi
}

tree_stamp=$(cat "$TREE/.wb-stamp" 2>/dev/null || echo none)
[ "$tree_stamp" = dirty ] &&
	wb_die "$TREE is half patched (an interrupted prepare); run scripts/prepare.sh"
# Debian's configuration is an input too (the other bases are in the tree).
base_sum=
[ "$KBASE" = debian ] && base_sum=$(sha256sum <"$DEBIAN_CONFIG" | cut -c1-16)
stamp=$(printf '%s\n%s\n%s\n%s' "$TREE" "$tree_stamp" \
	"$(wb_hash_files "${frags[@]}")" "${base_sum:+$base_sum
}" | sha256sum | cut -c1-16)

if [ "$CONFIGURE_ONLY" != 1 ] && [ -f "$image" ] &&
   [ "$(cat "$out/.wb-stamp" 2>/dev/null)" = "$stamp" ]; then
	wb_log build "$key up to date (tree and configuration unchanged)"
	echo "$image"
	exit 0
fi

rm -f "$out/.wb-stamp"
cat "${frags[@]}" >"$out/.wb-fragments.config"
wb_log build "$key: configuring ($KBASE + ${*})"
kmake()
{
	make -s -C "$TREE" O="$out" ARCH=x86_64 "$@"
}
if [ "$KBASE" = defconfig ] || [ "$KBASE" = debian ]; then
	# The fragments override the base on purpose: keep Kconfig's
	# notes about that out of the output, errors and other warnings not.
	if [ "$KBASE" = defconfig ]; then
		kmake x86_64_defconfig >/dev/null
		kmake kvm_guest.config >/dev/null
	else
		xz -dc "$DEBIAN_CONFIG" >"$out/.config"
	fi
	cat "$out/.wb-fragments.config" >>"$out/.config"
	kmake olddefconfig >/dev/null 2>"$out/.wb-olddefconfig.log" || {
		cat "$out/.wb-olddefconfig.log" >&2
		wb_die "config $key: olddefconfig failed"
	}
	grep -v ':warning: override: ' "$out/.wb-olddefconfig.log" >&2 || true
else
	kmake KCONFIG_ALLCONFIG="$out/.wb-fragments.config" allnoconfig >/dev/null
	kmake olddefconfig >/dev/null
fi
verify_config
if [ "$CONFIGURE_ONLY" = 1 ]; then
	wb_log build "$key: configured, not built"
	echo "$out/.config"
	exit 0
fi
wb_log build "$key: compiling with -j$JOBS (log: $out/build.log)"
if ! kmake -j"$JOBS" bzImage >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	wb_die "kernel build $key failed (full log: $out/build.log)"
fi
echo "$stamp" >"$out/.wb-stamp"
wb_log build "$key: built $(du -k "$image" | cut -f1) KiB bzImage"
echo "$image"
