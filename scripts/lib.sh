# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the workbench scripts (sourced, not run); the rest
# of the library is in scripts/lib/, sourced at the end.

# Kernel configuration bases of scripts/build.sh (KBASE).
WB_KBASES="allnoconfig defconfig debian"

# Repository root, whatever directory the caller is in.
WB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WB_BUILD=${WB_BUILD:-$WB_ROOT/build}

# The kernel trees the workbench knows, and the one taken when KVER is not
# given: this is the only place that default is written.  7.3, the kernel
# users run now, where SLUB-LL's rival is SLUB with sheaves; KVER=6.1 for
# the older series.
WB_KVERS="6.1 7.3"
WB_KVER_DEFAULT=7.3

# wb_kver VER: select the kernel tree VER (fails listing the valid ones).
# Sets, for that tree:
#   WB_KVER         VER
#   WB_KVER_PKG     Debian's source package, linux-source-VER
#   WB_KVER_DEB     its version the series is tested against
#   WB_KCONFIG_PKG  Debian's configuration of it, linux-config-VER
#   WB_KSUITE       where both come from: empty for the system's own apt
#                   sources (installed like any dependency), else a suite
#                   that scripts/deps.sh fetches them from with a private
#                   apt configuration and unpacks under WB_KPKG_DIR/root
#                   (build/debian-VER; its file "version" says which)
#   WB_KSRC_TAR     the source tarball
#   WB_DEBIAN_CONFIG  Debian's amd64 configuration (xz), KBASE=debian
#   WB_KTREE        the extracted, patched tree
#   WB_KBUILD       the kernel builds (scripts/build.sh)
#   WB_PATCHES      the quilt series (series + patches)
#   WB_CONFIGS_WALL, WB_CONFIGS_ICOUNT, WB_BASELINE  the bench's defaults
# Every other per-tree cache is wb_kdir NAME.  6.1's directories keep the
# names they had before there were two trees (build/linux, build/kbuild,
# ...), so its caches survive; the others add "-VER".
wb_kver()
{
	case " $WB_KVERS " in
	*" $1 "*) ;;
	*) wb_die "unknown KVER '$1'; valid: $WB_KVERS" ;;
	esac
	WB_KVER=$1
	WB_KVER_PKG=linux-source-$1
	WB_KCONFIG_PKG=linux-config-$1
	case $1 in
	6.1)
		WB_KVER_DEB=6.1.192-2
		WB_KSUITE=
		WB_KDIR_SUFFIX=
		WB_CONFIGS_WALL="slab slub slub_ll slub_ll-locked"
		;;
	7.3)
		WB_KVER_DEB=7.3.4-1~bpo13+1
		WB_KSUITE=trixie-backports
		WB_KDIR_SUFFIX=-$1
		WB_CONFIGS_WALL="slub slub_ll slub_ll-locked"
		;;
	esac
	WB_CONFIGS_ICOUNT="slub slub_ll"
	WB_BASELINE=slub
	# The packages' files: under / when installed, else where deps.sh
	# unpacked them.
	local root=
	WB_KPKG_DIR=
	if [ -n "$WB_KSUITE" ]; then
		WB_KPKG_DIR=$WB_BUILD/debian-$1
		root=$WB_KPKG_DIR/root
	fi
	WB_KSRC_TAR=$root/usr/src/linux-source-$1.tar.xz
	WB_DEBIAN_CONFIG=$root/usr/src/linux-config-$1/config.amd64_none_amd64.xz
	WB_KTREE=$(wb_kdir linux)
	WB_KBUILD=$(wb_kdir kbuild)
	WB_PATCHES=$WB_ROOT/patches/$1
}

# wb_kdir NAME: the build directory NAME of the selected tree.
wb_kdir()
{
	echo "$WB_BUILD/$1$WB_KDIR_SUFFIX"
}

# wb_kver_version: the Debian version of the selected tree's source that
# is here (installed, or fetched by deps.sh); empty when there is none.
wb_kver_version()
{
	if [ -z "$WB_KSUITE" ]; then
		dpkg-query -W -f='${Version}' "$WB_KVER_PKG" 2>/dev/null || true
	else
		cat "$WB_KPKG_DIR/version" 2>/dev/null || true
	fi
}

# wb_kver_series: the selected tree's series for messages, e.g.
# "patches/7.3 (0 patches)".
wb_kver_series()
{
	local n=0

	[ -f "$WB_PATCHES/series" ] &&
		n=$(sed -e 's/#.*//' "$WB_PATCHES/series" | awk 'NF' | wc -l)
	echo "${WB_PATCHES#"$WB_ROOT"/} ($n patches)"
}

# wb_kver_name: the selected tree in one phrase, for headers.
wb_kver_name()
{
	local v

	v=$(wb_kver_version)
	echo "KVER=$WB_KVER: Debian $WB_KVER_PKG ${v:-(not here)}${WB_KSUITE:+ from $WB_KSUITE}, series $(wb_kver_series)"
}

# wb_fragment NAME [DIR]: the configuration fragment NAME of the selected
# tree: DIR/<ver>/NAME.config where the tree has its own, else
# DIR/NAME.config (DIR: CONFIGS_DIR, default configs).
wb_fragment()
{
	local dir=${2:-${CONFIGS_DIR:-$WB_ROOT/configs}}

	if [ -f "$dir/$WB_KVER/$1.config" ]; then
		echo "$dir/$WB_KVER/$1.config"
	else
		echo "$dir/$1.config"
	fi
}

# wb_fragment_names [DIR]: the fragments of the selected tree, for messages.
wb_fragment_names()
{
	local dir=${1:-${CONFIGS_DIR:-$WB_ROOT/configs}}

	(cd "$dir" && ls -- *.config "$WB_KVER"/*.config 2>/dev/null) |
		sed 's|.*/||; s/\.config$//' | sort -u | tr '\n' ' '
}

# wb_conf_names: the bench configurations of the selected tree, the files
# CONFDIR/<name>.conf (default configs/bench) whose KVERS, if they set it,
# names the tree; as a list for messages.
wb_conf_names()
{
	local dir=${CONFDIR:-$WB_ROOT/configs/bench} f kvers

	for f in "$dir"/*.conf; do
		[ -f "$f" ] || continue
		# shellcheck disable=SC1090
		kvers=$(KVERS=; . "$f" >/dev/null 2>&1; echo "${KVERS:-all}")
		case " $kvers " in
		" all " | *" $WB_KVER "*) printf '%s ' "$(basename "$f" .conf)" ;;
		esac
	done
}

# wb_conf_check NAME: fail unless NAME is a bench configuration of the
# selected tree, listing the valid ones.
wb_conf_check()
{
	case " $(wb_conf_names) " in
	*" $1 "*) [ -n "$1" ] && return 0 ;;
	esac
	wb_die "unknown configuration '$1'; valid: $(wb_conf_names)(those of KVER=$WB_KVER)"
}

# Start of the whole run; progress lines show time since then.
: "${WB_T0:=$(date +%s)}"
export WB_T0

wb_elapsed()
{
	local s=$(($(date +%s) - WB_T0))

	printf '%02d:%02d' $((s / 60)) $((s % 60))
}

# Progress line: "[mm:ss] step: message".
wb_log()
{
	local step=$1

	shift
	printf '[%s] %-8s %s\n' "$(wb_elapsed)" "$step:" "$*" >&2
}

wb_die()
{
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# wb_need_pkgs PKG...: install the Debian packages that are missing.
# Checks with dpkg-query first, so a complete machine does no network work.
wb_need_pkgs()
{
	local p missing=()

	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		     grep -q 'install ok installed'; then
			missing+=("$p")
		fi
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	wb_log deps "installing missing Debian packages: ${missing[*]}"
	local sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -q ||
		wb_die "apt-get update failed (needed: ${missing[*]})"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends "${missing[@]}" ||
		wb_die "apt-get install failed for: ${missing[*]}"
}

# The instruction-count clock.  Guests run under single-threaded TCG with
# -icount shift=WB_ICOUNT_SHIFT (one guest instruction = 2^shift ns of guest
# time), align=off, sleep=off: guest time is a function of the instructions
# executed, whatever the host's load.  Debian 12's QEMU 7.2 does not boot
# an SMP guest under icount; bookworm-backports' QEMU 10 does, so icount
# guests run on the backports QEMU that deps.sh unpacks into
# WB_ICOUNT_QEMU_DIR.
WB_ICOUNT_SHIFT=0
WB_ICOUNT_QEMU_DIR=${WB_ICOUNT_QEMU_DIR:-$WB_BUILD/qemu-icount}
WB_CLOCKS="wall icount"

# The bench guest's workload programs (scripts/guest/guest-init.sh runs one;
# forkexec and cachesload are scripts/guest/*.c).
WB_GUEST_PROGS="hackbench forkexec cachesload"

# wb_icount_qemu: set the array WB_ICOUNT_QEMU to the icount QEMU command
# (the unpacked binary with its own firmware, SeaBIOS and option ROMs, ahead
# of the system's); fail if it is not there or does not run.
wb_icount_qemu()
{
	local r=$WB_ICOUNT_QEMU_DIR/root

	WB_ICOUNT_QEMU=("$r/usr/bin/qemu-system-x86_64"
		-L "$r/usr/share/qemu" -L "$r/usr/share/seabios")
	[ -x "${WB_ICOUNT_QEMU[0]}" ] &&
		"${WB_ICOUNT_QEMU[@]}" --version >/dev/null 2>&1
}

wb_icount_qemu_version()
{
	wb_icount_qemu && "${WB_ICOUNT_QEMU[@]}" --version | head -n 1
}

# The atomics plugin of the icount QEMU (tools/qemu-plugin, built by
# scripts/atomics-plugin.sh): the library, and the file that says why it
# is unavailable when it is.
WB_ATOMICS_DIR=${WB_ATOMICS_DIR:-$WB_BUILD/qemu-plugin}
WB_ATOMICS_SO=$WB_ATOMICS_DIR/libatomics.so
WB_ATOMICS_OFF=$WB_ATOMICS_DIR/off

# Hash of a list of files (names and contents), stable across runs.
wb_hash_files()
{
	local f

	for f in "$@"; do
		printf '%s\n' "${f##*/}"
		cat "$f"
	done | sha256sum | cut -c1-16
}

# wb_initramfs_base INIT BUSYBOX: the gen_init_cpio lines every guest's
# initramfs starts with: /dev/console and /dev/null, /proc, /sys, /tmp,
# busybox with a link for each of its applets in /bin, INIT as /init.
wb_initramfs_base()
{
	local a

	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /bin 0755 0 0"
	echo "file /init $1 0755 0 0"
	echo "file /bin/busybox $2 0755 0 0"
	for a in $("$2" --list); do
		[ "$a" = busybox ] || echo "slink /bin/$a busybox 0777 0 0"
	done
}

# wb_program_libs PROGRAM: the shared libraries PROGRAM loads, one a line.
wb_program_libs()
{
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			$1 ~ /^\// { print $1 }' | sort -u
}

# wb_initramfs_files FILE...: gen_init_cpio lines for each file (as a
# copy of what it resolves to) and every directory above it.
wb_initramfs_files()
{
	local f d

	for f in "$@"; do
		d=$(dirname "$f")
		while [ "$d" != / ]; do
			echo "dir $d 0755 0 0"
			d=$(dirname "$d")
		done
		echo "file $f $(realpath "$f") 0755 0 0"
	done
}

# wb_initramfs_sort: the gen_init_cpio lines on stdin, each once,
# directories first and every parent before its children.
wb_initramfs_sort()
{
	awk '!seen[$0]++' | awk '$1 == "dir" { print length($2), $0; next }
				 { print 9999, $0 }' | sort -n -s -k1,1 |
		cut -d' ' -f2-
}

# Options and usage, the accelerator (lib/opts.sh); verdicts on a
# guest's console: kernel reports, KUnit results, the failure report
# (lib/verdict.sh).
. "$WB_ROOT/scripts/lib/opts.sh"
. "$WB_ROOT/scripts/lib/verdict.sh"

# wb_debian_mirror: the Debian mirror the system's apt sources name
# (WB_DEBIAN_MIRROR overrides it; deb.debian.org when none is found).
wb_debian_mirror()
{
	local m=${WB_DEBIAN_MIRROR:-}

	[ -n "$m" ] || m=$(sed -n \
		-e 's|^URIs:[[:space:]]*\(http[^[:space:]]*/debian\)/*$|\1|p' \
		-e 's|^deb[[:space:]]\+\(http[^[:space:]]*/debian\)/*[[:space:]].*|\1|p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

# wb_private_apt DIR LINE: a private apt configuration under DIR (its own
# source list holding LINE, package lists and cache), so that packages of
# another suite can be fetched while the system's sources and state stay
# untouched.  Sets the array WB_APT_OPTS for apt-get; LINE may use
# @KEYRING@ and @MIRROR@ for the archive keyring and wb_debian_mirror.
wb_private_apt()
{
	local dir=$1 line=$2

	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	line=${line//@KEYRING@//usr/share/keyrings/debian-archive-keyring.gpg}
	line=${line//@MIRROR@/$(wb_debian_mirror)}
	echo "$line" >"$dir/sources.list"
	WB_APT_OPTS=(-q -o "Dir::Etc::SourceList=$dir/sources.list"
		-o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o APT::Sandbox::User=root)
}

# The tree of this run: KVER from the environment (the Makefile passes
# it), else the default.
KVER=${KVER:-$WB_KVER_DEFAULT}
export KVER
wb_kver "$KVER"
