#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkpatches.sh - regenerate the quilt series in patches/ from the project.
#
#   scripts/patches/mkpatches.sh [option]
#     (none)        rewrite patches/ (series, patches, cover letter) and
#                   say which files changed
#     --check       regenerate into a temporary directory and fail,
#                   naming each stale file, when patches/ differs from it
#     --verify      apply the series to a fresh copy of the pinned kernel
#                   with "quilt push -a" and, separately, with "git am"
#                   (under build/int/verify), and fail on the first patch
#                   that does not apply
#     --build-each  push the patches one by one onto a fresh tree and
#                   build the kernel after each (configs base + slub_ll +
#                   kunit, out of tree, JOBS=2); fail naming the patch
#                   after which the build breaks
#     -h, --help    this help
#
# What is generated and from what: scripts/patches/mkpatches-manifest
# lists the patches in order and the project files each one adds (arch/,
# include/, mm/, Documentation/).  Those new-file sections are written
# afresh from the files; the commit message and the hand-written hunks on
# existing kernel files (Kconfig, Makefile, mm/slab.h ...) are kept from
# the patch already in patches/.  The result is deterministic: fixed From
# lines (hash of the content), dates and Signed-off-by taken from the
# patch, no git state.  To change a hand-written hunk, edit it in patches/
# (or regenerate it in a kernel tree with git format-patch) and run this
# script again.

set -eu

. "$(dirname "$0")/../lib.sh"

ROOT=$WB_ROOT
MANIFEST=$ROOT/scripts/patches/mkpatches-manifest
GEN=$ROOT/scripts/patches/mkpatches-gen.py
PATCHES=$ROOT/patches
KSRC_TAR=${KSRC_TAR:-$WB_KSRC_TAR}

die()
{
	printf 'mkpatches: error: %s\n' "$*" >&2
	exit 1
}

generate()
{
	command -v python3 >/dev/null || die "python3 is needed"
	python3 "$GEN" "$ROOT" "$MANIFEST" "$PATCHES" "$1"
}

# Every file the generator writes, and stray patches it would not write.
compare()
{
	local new=$1 f stale=()

	for f in "$new"/*; do
		f=${f##*/}
		if ! cmp -s "$new/$f" "$PATCHES/$f"; then
			stale+=("$f")
		fi
	done
	for f in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$f" ] || continue
		[ -e "$new/${f##*/}" ] || stale+=("${f##*/} (not in scripts/patches/mkpatches-manifest)")
	done
	printf '%s\n' "${stale[@]+"${stale[@]}"}"
}

# Scratch directory, removed on exit.
TMPD=
cleanup()
{
	[ -z "$TMPD" ] || rm -rf "$TMPD"
}
trap cleanup EXIT

cmd_generate()
{
	local tmp f changed

	TMPD=$(mktemp -d)
	tmp=$TMPD
	generate "$tmp"
	changed=$(compare "$tmp")
	if [ -z "$changed" ]; then
		echo "mkpatches: patches/ is up to date"
		return 0
	fi
	if printf '%s\n' "$changed" | grep -q 'not in scripts/patches/mkpatches-manifest'; then
		printf '%s\n' "$changed" | grep 'not in' | sed 's/^/  /' >&2
		die "patches/ holds patches the manifest does not list; remove or list them"
	fi
	for f in $changed; do
		cp "$tmp/$f" "$PATCHES/$f"
		echo "mkpatches: wrote patches/$f"
	done
}

cmd_check()
{
	local tmp changed

	TMPD=$(mktemp -d)
	tmp=$TMPD
	generate "$tmp"
	changed=$(compare "$tmp")
	if [ -n "$changed" ]; then
		printf '%s\n' "$changed" | sed 's/^/  stale: patches\//' >&2
		for f in $changed; do
			[ -f "$PATCHES/$f" ] && [ -f "$tmp/$f" ] &&
				diff -u "$PATCHES/$f" "$tmp/$f" | head -n 20 >&2
		done
		die "patches/ is stale: run scripts/patches/mkpatches.sh (make patches)"
	fi
	echo "mkpatches: patches/ matches the project files"
}

# Fresh pristine tree in $1 (the tarball extracted, nothing else).
fresh_tree()
{
	rm -rf "$1" "$1.tmp"
	mkdir -p "$1.tmp"
	tar -C "$1.tmp" -xf "$KSRC_TAR"
	mv "$1.tmp"/linux-source-* "$1"
	rmdir "$1.tmp"
}

cmd_verify()
{
	local dir=$ROOT/build/int/verify q g n

	[ -r "$KSRC_TAR" ] || die "$KSRC_TAR not found (apt-get install $WB_KVER_PKG)"
	command -v quilt >/dev/null || die "quilt is needed (apt-get install quilt)"
	cmd_check

	q=$dir/quilt
	echo "mkpatches: quilt push -a in $q"
	fresh_tree "$q"
	if ! (cd "$q" && QUILT_PATCHES=$PATCHES QUILT_PC=.pc \
	      quilt --quiltrc=- push -a -q); then
		n=$(cd "$q" && QUILT_PATCHES=$PATCHES QUILT_PC=.pc \
		    quilt --quiltrc=- next 2>/dev/null || true)
		die "quilt: ${n:-a patch} does not apply"
	fi

	g=$dir/gitam
	echo "mkpatches: git am in $g"
	fresh_tree "$g"
	(cd "$g" && git init -q && git add -f . >/dev/null &&
	 git -c user.name=mkpatches -c user.email=mkpatches@localhost \
		commit -q -m "linux-source-6.1 pristine") ||
		die "cannot make a git repository in $g"
	while read -r n; do
		[ -n "$n" ] || continue
		if ! (cd "$g" && git -c user.name=mkpatches \
		      -c user.email=mkpatches@localhost am -q "$PATCHES/$n"); then
			(cd "$g" && git am --abort) || true
			die "git am: $n does not apply"
		fi
	done <"$PATCHES/series"
	if ! diff -rq -x .git -x .pc "$q" "$g" >/dev/null; then
		die "quilt and git am give different trees ($q, $g)"
	fi
	echo "mkpatches: the series applies with quilt and with git am," \
	     "identical trees"
}

cmd_build_each()
{
	local dir=$ROOT/build/int/each t o n nr=0 frag

	[ -r "$KSRC_TAR" ] || die "$KSRC_TAR not found (apt-get install $WB_KVER_PKG)"
	command -v quilt >/dev/null || die "quilt is needed (apt-get install quilt)"
	cmd_check
	t=$dir/linux
	o=$dir/out
	echo "mkpatches: fresh tree in $t, builds in $o"
	fresh_tree "$t"
	rm -rf "$o"
	mkdir -p "$o"
	frag=$o/fragments.config
	cat "$ROOT/configs/base.config" "$ROOT/configs/slub_ll.config" \
	    "$ROOT/configs/kunit.config" >"$frag"
	while read -r n; do
		[ -n "$n" ] || continue
		nr=$((nr + 1))
		(cd "$t" && QUILT_PATCHES=$PATCHES QUILT_PC=.pc \
		 quilt --quiltrc=- push -q >/dev/null) ||
			die "quilt: $n does not apply"
		# Symbols appear patch by patch: configure afresh each time.
		make -s -C "$t" O="$o" ARCH=x86_64 KCONFIG_ALLCONFIG="$frag" \
			allnoconfig >/dev/null
		echo "mkpatches: [$nr] $n: building" \
		     "($(grep -c '^CONFIG_SLUB_LL' "$o/.config") SLUB_LL options set)"
		if ! make -s -C "$t" O="$o" ARCH=x86_64 -j"${JOBS:-2}" bzImage \
		     >"$o/build-$nr.log" 2>&1; then
			tail -n 20 "$o/build-$nr.log" >&2
			die "the kernel does not build after $n (log: $o/build-$nr.log)"
		fi
		if grep -q 'warning:' "$o/build-$nr.log"; then
			grep 'warning:' "$o/build-$nr.log" >&2
			die "the build after $n has compiler warnings"
		fi
	done <"$PATCHES/series"
	echo "mkpatches: the kernel builds after each of the $nr patches"
}

case "${1:-}" in
"")		cmd_generate ;;
--check)	cmd_check ;;
--verify)	cmd_verify ;;
--build-each)	cmd_build_each ;;
-h|--help)	wb_usage ;;
*)		wb_usage >&2
		die "unknown option '$1'; valid: (none), --check, --verify, --build-each, --help" ;;
esac
