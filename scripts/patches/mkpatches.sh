#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkpatches.sh - regenerate a tree's quilt series, patches/<ver>/, from
# the project.
#
#   KVER=<ver> scripts/patches/mkpatches.sh [option]
#     (none)        rewrite patches/<ver>/ (series, patches, cover letter)
#                   and say which files changed
#     --check       regenerate into a temporary directory and fail,
#                   naming each stale file, when patches/<ver>/ differs
#     --verify      apply the series to a fresh copy of the pinned kernel
#                   with "quilt push -a" and, separately, with "git am"
#                   (under build/int/verify-<ver>), and fail on the first
#                   patch that does not apply
#     --build-each  push the patches one by one onto a fresh tree and
#                   build the kernel after each (configs base + slub_ll +
#                   kunit of the tree, out of tree, JOBS=2); fail naming
#                   the patch after which the build breaks
#     -h, --help    this help
#   KVER: the tree, 6.1 or 7.3 (default in scripts/lib.sh).  An empty
#   series (its manifest lists no patches) passes --check, --verify and
#   --build-each trivially, saying so.
#
# What is generated and from what: scripts/patches/manifest-<ver> lists
# the tree's patches in order and the project files each one adds (arch/,
# include/, mm/, Documentation/; a file trees/<ver>/<path>, the tree's own
# layer, is added as <path>).  Those new-file sections are written afresh
# from the files; the commit message and the hand-written hunks on
# existing kernel files (Kconfig, Makefile, mm/slab.h ...) are kept from
# the patch already in patches/<ver>/.  The result is deterministic: fixed
# From lines (hash of the content), dates and Signed-off-by taken from the
# patch, no git state.  To change a hand-written hunk, edit it in
# patches/<ver>/ (or regenerate it in a kernel tree with git format-patch)
# and run this script again.

set -eu

. "$(dirname "$0")/../lib.sh"

ROOT=$WB_ROOT
MANIFEST=$ROOT/scripts/patches/manifest-$WB_KVER
MNAME=${MANIFEST#"$ROOT"/}
GEN=$ROOT/scripts/patches/mkpatches-gen.py
PATCHES=$WB_PATCHES
PNAME=${PATCHES#"$ROOT"/}
KSRC_TAR=${KSRC_TAR:-$WB_KSRC_TAR}

die()
{
	printf 'mkpatches: error: %s\n' "$*" >&2
	exit 1
}

generate()
{
	command -v python3 >/dev/null || die "python3 is needed"
	[ -f "$MANIFEST" ] || die "no $MNAME (the KVER=$WB_KVER series' manifest)"
	python3 "$GEN" "$ROOT" "$MANIFEST" "$PATCHES" "$1" "$WB_KVER"
}

# The patches the series lists (none: an empty series).
series_count()
{
	[ -f "$PATCHES/series" ] || { echo 0; return 0; }
	sed -e 's/#.*//' "$PATCHES/series" | awk 'NF' | wc -l
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
		[ -e "$new/${f##*/}" ] || stale+=("${f##*/} (not in $MNAME)")
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
		echo "mkpatches: $PNAME is up to date"
		return 0
	fi
	if printf '%s\n' "$changed" | grep -q "not in $MNAME"; then
		printf '%s\n' "$changed" | grep 'not in' | sed 's/^/  /' >&2
		die "$PNAME holds patches $MNAME does not list; remove or list them"
	fi
	mkdir -p "$PATCHES"
	for f in $changed; do
		cp "$tmp/$f" "$PATCHES/$f"
		echo "mkpatches: wrote $PNAME/$f"
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
		printf '%s\n' "$changed" | sed "s|^|  stale: $PNAME/|" >&2
		for f in $changed; do
			[ -f "$PATCHES/$f" ] && [ -f "$tmp/$f" ] &&
				diff -u "$PATCHES/$f" "$tmp/$f" | head -n 20 >&2
		done
		die "$PNAME is stale: run KVER=$WB_KVER scripts/patches/mkpatches.sh" \
			"(make patches KVER=$WB_KVER)"
	fi
	if [ "$(series_count)" = 0 ]; then
		echo "mkpatches: $PNAME is an empty series ($MNAME lists no" \
		     "patches): nothing to check"
		return 0
	fi
	echo "mkpatches: $PNAME matches the project files"
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

# need_tarball: the tree's source tarball, or fail saying how to get it.
need_tarball()
{
	[ -r "$KSRC_TAR" ] && return 0
	[ -z "$WB_KSUITE" ] && die "$KSRC_TAR not found (apt-get install $WB_KVER_PKG)"
	die "$KSRC_TAR not found (KVER=$WB_KVER scripts/deps.sh fetches" \
		"$WB_KVER_PKG from $WB_KSUITE)"
}

cmd_verify()
{
	local dir=$ROOT/build/int/verify$WB_KDIR_SUFFIX q g n

	cmd_check
	if [ "$(series_count)" = 0 ]; then
		echo "mkpatches: KVER=$WB_KVER: empty series, nothing to apply"
		return 0
	fi
	need_tarball
	command -v quilt >/dev/null || die "quilt is needed (apt-get install quilt)"

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
		commit -q -m "$WB_KVER_PKG pristine") ||
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
	echo "mkpatches: KVER=$WB_KVER: the series applies to $WB_KVER_PKG" \
	     "with quilt and with git am, identical trees"
}

cmd_build_each()
{
	local dir=$ROOT/build/int/each$WB_KDIR_SUFFIX t o n nr=0 frag

	cmd_check
	if [ "$(series_count)" = 0 ]; then
		echo "mkpatches: KVER=$WB_KVER: empty series, nothing to build"
		return 0
	fi
	need_tarball
	command -v quilt >/dev/null || die "quilt is needed (apt-get install quilt)"
	t=$dir/linux
	o=$dir/out
	echo "mkpatches: fresh tree in $t, builds in $o"
	fresh_tree "$t"
	rm -rf "$o"
	mkdir -p "$o"
	frag=$o/fragments.config
	cat "$(wb_fragment base)" "$(wb_fragment slub_ll)" \
	    "$(wb_fragment kunit)" >"$frag"
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
