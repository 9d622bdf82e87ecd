#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# prepare.sh - extract the pinned kernel once and apply the quilt series.
#
# Environment:
#   KVER=ver     the kernel tree (scripts/lib.sh: 6.1 or 7.3)
#   TREE=dir     kernel tree to manage (default build/linux for 6.1,
#                build/linux-<ver> for the others)
#   PATCHES=dir  directory holding "series" and the patches (default
#                patches/<ver>)
#
# The tree keeps a private copy of the applied series in .wb-patches and a
# stamp (hash of the series and its patches) in .wb-stamp.  An unchanged
# stamp touches nothing.  A changed series is popped and the new one pushed;
# if a patch does not apply, it is named and everything is popped again, so
# the tree is left pristine and the next run starts from a clean state.

set -eu
. "$(dirname "$0")/lib.sh"

TREE=${TREE:-$WB_KTREE}
PATCHES=${PATCHES:-$WB_PATCHES}
TREE=$(realpath -m "$TREE")
PATCHES=$(realpath -m "$PATCHES")

check_kernel_package()
{
	local have

	have=$(wb_kver_version)
	if [ "$have" != "$WB_KVER_DEB" ]; then
		wb_log prepare "WARNING: $WB_KVER_PKG is '${have:-not here}'," \
			"the series is tested against $WB_KVER_DEB"
	fi
	if [ ! -r "$WB_KSRC_TAR" ]; then
		[ -z "$WB_KSUITE" ] &&
			wb_die "$WB_KSRC_TAR not found (install $WB_KVER_PKG)"
		wb_die "$WB_KSRC_TAR not found (KVER=$WB_KVER scripts/deps.sh" \
			"fetches $WB_KVER_PKG from $WB_KSUITE)"
	fi
}

extract()
{
	local tmp

	[ -f "$TREE/Makefile" ] && [ -f "$TREE/.wb-extracted" ] && return 0
	check_kernel_package
	wb_log extract "unpacking $WB_KSRC_TAR ($WB_KVER_PKG" \
		"$(wb_kver_version)) into $TREE"
	rm -rf "$TREE" "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	tar -C "$TREE.tmp" -xf "$WB_KSRC_TAR"
	mv "$TREE.tmp"/linux-source-* "$TREE"
	rmdir "$TREE.tmp"
	touch "$TREE/.wb-extracted"
	wb_log extract "done"
}

# The patch names listed in a series file (comments and options stripped).
series_names()
{
	[ -f "$1" ] || return 0
	sed -e 's/#.*//' "$1" | awk 'NF { print $1 }'
}

# Stamp of the wanted series; "empty" when there is nothing to apply.
wanted_stamp()
{
	local names n files=()

	names=$(series_names "$PATCHES/series")
	[ -z "$names" ] && { echo empty; return 0; }
	files+=("$PATCHES/series")
	for n in $names; do
		files+=("$PATCHES/$n")
	done
	wb_hash_files "${files[@]}"
}

tquilt()
{
	(cd "$TREE" && QUILT_PATCHES=.wb-patches QUILT_PC=.pc \
		quilt --quiltrc=- "$@")
}

# Before a changed series is popped: remember the content and mtime of
# every file the applied patches touch.  After the new series is pushed, a
# file whose content came back the same gets its old mtime back, so the
# kernel build redoes only what really changed.
save_mtimes()
{
	local p f

	: >"$TREE/.wb-mtimes"
	[ -d "$TREE/.pc" ] || return 0
	for p in $(tquilt applied 2>/dev/null); do
		tquilt files "$p"
	done | sort -u | while read -r f; do
		[ -f "$TREE/$f" ] || continue
		printf '%s %s %s\n' "$(sha256sum <"$TREE/$f" | cut -c1-64)" \
			"$(stat -c %Y "$TREE/$f")" "$f"
	done >"$TREE/.wb-mtimes"
}

restore_mtimes()
{
	local sum mt f kept=0

	[ -f "$TREE/.wb-mtimes" ] || return 0
	while read -r sum mt f; do
		[ -f "$TREE/$f" ] || continue
		[ "$(sha256sum <"$TREE/$f" | cut -c1-64)" = "$sum" ] || continue
		touch -m -d "@$mt" "$TREE/$f"
		kept=$((kept + 1))
	done <"$TREE/.wb-mtimes"
	rm -f "$TREE/.wb-mtimes"
	wb_log patch "$kept unchanged file(s) keep their timestamps"
}

pop_all()
{
	if [ -d "$TREE/.pc" ] && tquilt applied >/dev/null 2>&1; then
		tquilt pop -a -q >/dev/null ||
			wb_die "quilt pop failed in $TREE; remove $TREE to start over"
	fi
	rm -rf "$TREE/.pc" "$TREE/.wb-patches"
	echo empty >"$TREE/.wb-stamp"
}

main()
{
	local want have n names

	wb_need_pkgs quilt
	extract

	names=$(series_names "$PATCHES/series")
	for n in $names; do
		[ -f "$PATCHES/$n" ] ||
			wb_die "series lists $n but $PATCHES/$n does not exist"
	done

	want=$(wanted_stamp)
	have=$(cat "$TREE/.wb-stamp" 2>/dev/null || echo empty)
	if [ "$want" = "$have" ]; then
		n=$(echo "$names" | grep -c . || true)
		# A fresh extract has no stamp yet: say it is pristine.
		[ -f "$TREE/.wb-stamp" ] || echo empty >"$TREE/.wb-stamp"
		if [ "$n" = 0 ]; then
			wb_log patch "KVER=$WB_KVER: empty series" \
				"${PATCHES#"$WB_ROOT"/}, pristine tree untouched"
		else
			wb_log patch "KVER=$WB_KVER: series unchanged" \
				"(${PATCHES#"$WB_ROOT"/}, $n patches), tree untouched"
		fi
		return 0
	fi

	wb_log patch "series changed: popping the old one"
	# Until the new series is fully applied the stamp says "dirty".
	echo dirty >"$TREE/.wb-stamp"
	[ -f "$TREE/.wb-mtimes" ] || save_mtimes
	pop_all
	if [ "$want" = empty ]; then
		restore_mtimes
		wb_log patch "KVER=$WB_KVER: empty series" \
			"${PATCHES#"$WB_ROOT"/}, pristine tree"
		return 0
	fi

	echo dirty >"$TREE/.wb-stamp"
	mkdir -p "$TREE/.wb-patches"
	cp "$PATCHES/series" "$TREE/.wb-patches/series"
	for n in $names; do
		mkdir -p "$(dirname "$TREE/.wb-patches/$n")"
		cp "$PATCHES/$n" "$TREE/.wb-patches/$n"
	done
	for n in $names; do
		wb_log patch "applying $n"
		if ! out=$(tquilt push -q 2>&1); then
			printf '%s\n' "$out" | tail -n 20 >&2
			pop_all
			restore_mtimes
			wb_die "patch $n does not apply to $WB_KVER_PKG $WB_KVER_DEB;" \
				"tree restored to pristine ($TREE)"
		fi
	done
	restore_mtimes
	echo "$want" >"$TREE/.wb-stamp"
	wb_log patch "KVER=$WB_KVER: applied $(echo "$names" | grep -c .)" \
		"patches of ${PATCHES#"$WB_ROOT"/}"
}

main "$@"
