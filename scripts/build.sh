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
# Environment: KVER (the tree, scripts/lib.sh), TREE (default the tree's,
#              build/linux for 6.1), JOBS (default 2), CONFIGS_DIR (default
#              configs), KBUILD_DIR (default the tree's, build/kbuild for 6.1)
#              KBASE: allnoconfig (default, the bench kernels), defconfig
#                (x86_64_defconfig + kvm_guest.config, key "defconfig-<key>")
#                or debian (Debian's own amd64 configuration from
#                linux-config-<ver> + the debian fragment, key
#                "debian-<key>"; the fragment "base", the bench's
#                allnoconfig base, is left out: Debian has all it asks for
#                but MODULES=n, which would build every Debian module into
#                the bzImage)
#              DEBIAN_CONFIG: Debian's configuration (default the tree's
#                config.amd64_none_amd64.xz)
#              CONFIGURE_ONLY=1: stop after the configuration is checked and
#                print the .config path instead
#
# A fragment NAME is CONFIGS_DIR/<ver>/NAME.config where the tree has its
# own (configs/7.3/), else CONFIGS_DIR/NAME.config.  With KBASE=debian the
# options of Debian's configuration that olddefconfig drops or changes
# (and no fragment asks for: options the host compiler or toolchain lacks)
# are listed, and kept in <build>/.wb-olddefconfig-changed.

set -eu
. "$(dirname "$0")/lib.sh"

TREE=$(realpath -m "${TREE:-$WB_KTREE}")
JOBS=${JOBS:-2}
CONFIGS_DIR=${CONFIGS_DIR:-$WB_ROOT/configs}
KBUILD_DIR=${KBUILD_DIR:-$WB_KBUILD}
KBASE=${KBASE:-allnoconfig}
CONFIGURE_ONLY=${CONFIGURE_ONLY:-0}

DEBIAN_CONFIG=${DEBIAN_CONFIG:-$WB_DEBIAN_CONFIG}

case $KBASE in
allnoconfig | defconfig) ;;
debian)
	[ -r "$DEBIAN_CONFIG" ] || wb_die "KBASE=debian: no $DEBIAN_CONFIG" \
		"(Debian package $WB_KCONFIG_PKG; KVER=$WB_KVER scripts/deps.sh)"
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
for f in "$@" $([ "$KBASE" = debian ] && echo debian); do
	path=$(wb_fragment "$f" "$CONFIGS_DIR")
	case $f in */* | .* | '') path= ;; esac
	if [ ! -f "$path" ]; then
		wb_die "unknown config fragment '$f'; valid:" \
			"$(wb_fragment_names "$CONFIGS_DIR")(those of KVER=$WB_KVER)"
	fi
	frags+=("$path")
done

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

# debian_changed: list the options Debian's configuration sets (y, m or
# a value) that olddefconfig dropped or changed, the fragments' own
# options left out (verify_config checks those).
debian_changed()
{
	local list=$out/.wb-olddefconfig-changed n tab=$'\t'

	values()
	{
		sed -n "s/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1$tab\2/p" | sort -t "$tab" -k 1,1
	}
	xz -dc "$DEBIAN_CONFIG" | values >"$out/.wb-debian.values"
	values <"$out/.config" >"$out/.wb-final.values"
	wanted_options "${frags[@]}" | tr ' ' '\t' | sort -t "$tab" -k 1,1 \
		>"$out/.wb-wanted.values"
	join -t "$tab" -a 1 -e - -o 0,1.2,2.2 "$out/.wb-debian.values" \
		"$out/.wb-final.values" | awk -F "$tab" '$2 != $3' |
		join -t "$tab" -v 1 - "$out/.wb-wanted.values" >"$list"
	n=$(wc -l <"$list")
	rm -f "$out/.wb-debian.values" "$out/.wb-final.values" "$out/.wb-wanted.values"
	[ "$n" -gt 0 ] || return 0
	wb_log build "KVER=$WB_KVER $key: olddefconfig dropped or changed $n option(s) of" \
		"Debian's configuration that no fragment asks for" \
		"(- = dropped; list: $list):"
	awk -F "$tab" '{ printf "  %s %s -> %s\n", $1, $2, $3 }' "$list" >&2
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
	wb_log build "KVER=$WB_KVER $key up to date (tree and configuration unchanged)"
	echo "$image"
	exit 0
fi

rm -f "$out/.wb-stamp"
cat "${frags[@]}" >"$out/.wb-fragments.config"
wb_log build "KVER=$WB_KVER $key: configuring ($KBASE + ${*})"
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
	if [ "$KBASE" = debian ]; then
		debian_changed
	fi
else
	kmake KCONFIG_ALLCONFIG="$out/.wb-fragments.config" allnoconfig >/dev/null
	kmake olddefconfig >/dev/null
fi
verify_config
if [ "$CONFIGURE_ONLY" = 1 ]; then
	wb_log build "KVER=$WB_KVER $key: configured, not built"
	echo "$out/.config"
	exit 0
fi
wb_log build "KVER=$WB_KVER $key: compiling with -j$JOBS (log: $out/build.log)"
if ! kmake -j"$JOBS" bzImage >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	wb_die "kernel build $key failed (full log: $out/build.log)"
fi
echo "$stamp" >"$out/.wb-stamp"
wb_log build "KVER=$WB_KVER $key: built $(du -k "$image" | cut -f1) KiB bzImage"
echo "$image"
