# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the workbench scripts (sourced, not run).

# The kernel the series is tested against.
WB_KVER_PKG=linux-source-6.1
WB_KVER_DEB=6.1.192-2
WB_KSRC_TAR=/usr/src/linux-source-6.1.tar.xz

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
		"${missing[@]}" ||
		wb_die "apt-get install failed for: ${missing[*]}"
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
