#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build slub_ll_bench as one static binary, for a host that has neither a
# compiler nor packages (a bare container, gVisor), and put it in OUTDIR
# together with run-table.sh, which runs the whole table there.
#
# usage: run-static.sh OUTDIR
#
# glibc links statically from libc6-dev.  Debian ships mimalloc only as a
# shared library, so libmimalloc.a is built here from Debian's own source
# package of the same version (apt-get source, fetched with a private apt
# configuration; the system's apt settings are not touched), compiled as
# one unit without the malloc override.  Where that source cannot be had,
# the binary is built without the mimalloc column and says so.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
work="$out/.build"
mkdir -p "$work"

# libmimalloc.a from the Debian source of the installed libmimalloc-dev.
build_mimalloc()
{
	ver=$(dpkg-query -W -f '${source:Version}' libmimalloc-dev 2>/dev/null) ||
		ver=
	if [ -n "$ver" ] && [ -f "$work/mimalloc/libmimalloc.a" ] &&
	   [ "$(cat "$work/mimalloc/version" 2>/dev/null)" = "$ver" ]; then
		echo "mimalloc $ver: reusing $work/mimalloc/libmimalloc.a"
		return 0
	fi
	apt="$work/apt"
	opts="-o Dir::Etc::SourceList=$apt/sources.list
	      -o Dir::Etc::SourceParts=/nonexistent
	      -o Dir::State::Lists=$apt/lists
	      -o Dir::Cache=$apt/cache"
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	echo "deb-src http://deb.debian.org/debian $codename main" \
		>"$apt/sources.list"
	# shellcheck disable=SC2086
	apt-get $opts update >"$apt/log" 2>&1 || return 1
	rm -rf "$apt/src" && mkdir -p "$apt/src"
	# shellcheck disable=SC2086
	(cd "$apt/src" && apt-get $opts source --download-only \
		"mimalloc${ver:+=$ver}") >>"$apt/log" 2>&1 || return 1
	dpkg-source -x "$apt"/src/mimalloc_*.dsc "$apt/src/tree" \
		>>"$apt/log" 2>&1 || return 1
	mkdir -p "$work/mimalloc/include"
	cp "$apt"/src/tree/include/*.h "$work/mimalloc/include/"
	gcc -O2 -DNDEBUG -fno-builtin-malloc -I "$apt/src/tree/include" \
		-c "$apt/src/tree/src/static.c" -o "$work/mimalloc/static.o" \
		>>"$apt/log" 2>&1 || return 1
	rm -f "$work/mimalloc/libmimalloc.a"
	ar rcs "$work/mimalloc/libmimalloc.a" "$work/mimalloc/static.o"
	# Built without MI_MALLOC_OVERRIDE: it must not define malloc.
	if nm "$work/mimalloc/static.o" | grep -qw 'T malloc'; then
		echo "libmimalloc.a defines malloc; refusing it" >&2
		return 1
	fi
	echo "$ver" >"$work/mimalloc/version"
	echo "mimalloc ${ver:-?} built from Debian source: $work/mimalloc"
}

mimalloc_a=
if build_mimalloc; then
	mimalloc_a="$work/mimalloc/libmimalloc.a"
else
	echo "warning: could not build libmimalloc.a (log: $work/apt/log);" \
		"the static binary has no mimalloc column" >&2
fi

make -C "$here" BUILD="$work/obj" STATIC=1 ${mimalloc_a:+MIMALLOC_A=$mimalloc_a}
cp "$work/obj/slub_ll_bench" "$out/slub_ll_bench"
if ldd "$out/slub_ll_bench" >/dev/null 2>&1; then
	echo "error: $out/slub_ll_bench is not static" >&2
	exit 1
fi

cat >"$out/run-table.sh" <<'EOS'
#!/bin/sh
# The full table at THREADS threads (default 16), about 3 minutes at 16:
# 7 runs a cell, 300 ms each.  Extra arguments go to slub_ll_bench
# (--help lists them), e.g. --stats, or --reps 5 --duration 200 to be quick.
cd "$(dirname "$0")" && exec ./slub_ll_bench --threads "${THREADS:-16}" "$@"
EOS
chmod +x "$out/run-table.sh"
echo "static benchmark: $out/slub_ll_bench"
echo "copy $out/slub_ll_bench and $out/run-table.sh to the target, then:"
echo "  THREADS=16 ./run-table.sh"
