# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the workbench scripts (sourced, not run).

# The kernel the series is tested against.
WB_KVER_PKG=linux-source-6.1
WB_KVER_DEB=6.1.192-2
WB_KSRC_TAR=/usr/src/linux-source-6.1.tar.xz
# Debian's own configuration of that kernel (KBASE=debian).
WB_KCONFIG_PKG=linux-config-6.1

# Kernel configuration bases of scripts/build.sh (KBASE).
WB_KBASES="allnoconfig defconfig debian"

# Repository root, whatever directory the caller is in.
WB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WB_BUILD=${WB_BUILD:-$WB_ROOT/build}

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

# Hash of a list of files (names and contents), stable across runs.
wb_hash_files()
{
	local f

	for f in "$@"; do
		printf '%s\n' "${f##*/}"
		cat "$f"
	done | sha256sum | cut -c1-16
}

# wb_pick_accel WANT KERNEL INITRD PROBELOG: print the accelerator to use.
# WANT "kvm" or "tcg" is taken as given.  "auto" becomes kvm only when a
# probe boot under KVM reaches /init within PROBE_TIMEOUT seconds: an open
# /dev/kvm alone proves nothing (a nested hypervisor may hang the guest).
# Uses VCPUS and MEM for the probe guest.
wb_pick_accel()
{
	local want=$1 kernel=$2 initrd=$3 log=$4
	local timeout=${PROBE_TIMEOUT:-30}

	if [ "$want" != auto ]; then
		echo "$want"
		return 0
	fi
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		wb_log boot "/dev/kvm not usable"
		echo tcg
		return 0
	fi
	wb_log boot "probing KVM (a guest must reach /init within ${timeout}s)"
	if "$WB_ROOT/scripts/boot.sh" -p -a kvm -k "$kernel" -i "$initrd" \
		-n "$VCPUS" -m "$MEM" -c max -t "$timeout" -l "$log" \
		2>/dev/null; then
		echo kvm
	else
		wb_log boot "KVM probe failed (log: $log)"
		echo tcg
	fi
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

# The KUnit cases that may skip, per runner mode (scripts/kunit-skips).
WB_KUNIT_SKIPS=${WB_KUNIT_SKIPS:-$WB_ROOT/scripts/kunit-skips}
WB_KUNIT_SKIP_MODES="lockless pagelock nocx16 kasan numa"

# wb_kunit_skips MODE KTAP: every case that KTAP (a console with the
# timestamps stripped) reports as "ok N CASE # SKIP ..." must be listed
# for MODE in WB_KUNIT_SKIPS.  Prints the cases that are not, each with
# its skip reason, and returns 1; returns 0 when there are none.
wb_kunit_skips()
{
	local mode=$1 ktap=$2 name why bad=()

	case " $WB_KUNIT_SKIP_MODES " in
	*" $mode "*) ;;
	*) echo "wb_kunit_skips: mode '$mode' unknown; valid: $WB_KUNIT_SKIP_MODES"
	   return 1 ;;
	esac
	[ -r "$WB_KUNIT_SKIPS" ] || {
		echo "no skip allow-list $WB_KUNIT_SKIPS"
		return 1
	}
	while read -r name why; do
		awk -v m="$mode" -v c="$name" \
			'$1 == m && $2 == c { f = 1 } END { exit !f }' \
			"$WB_KUNIT_SKIPS" || bad+=("$name (${why:-no reason})")
	done < <(sed -n 's/^ \{1,\}ok [0-9]\{1,\} \([A-Za-z0-9_]\{1,\}\) # SKIP *\(.*\)$/\1 \2/p' \
		"$ktap")
	[ ${#bad[@]} -eq 0 ] && return 0
	echo "skipped, and not allowed to skip in mode $mode (scripts/kunit-skips): ${bad[*]}"
	return 1
}

# wb_meminit_counts LOG: "passed failed 0" from lib/test_meminit's verdict
# on the console LOG ("all N tests passed!" or "failures: F out of N"),
# or nothing when it printed none.
wb_meminit_counts()
{
	sed -n -e 's/.*test_meminit: all \([0-9]*\) tests passed!.*/\1 0 0/p' \
		-e 's/.*test_meminit: failures: \([0-9]*\) out of \([0-9]*\).*/\2 \1 -/p' \
		"$1" | head -n 1 | awk '$3 == "-" { $1 -= $2; $3 = 0 } { print }'
}
